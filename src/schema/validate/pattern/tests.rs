//! The translation against independent oracles: tables of patterns, values
//! and what Java (`java_cases.txt`) or JavaScript (`ecmascript_cases.txt`)
//! answer for them, checked against those engines by `tools/pattern-oracle/`.

use super::{compile, translate, Compiled, Dialect, Engine, Invalid, InvalidReason, Problem, Unsupported};

/// `%n`, `%r`, `%t`, `%uXXXX` and `%%` in a table cell.
fn unescape(cell: &str) -> String {
    let mut units: Vec<u16> = Vec::new();
    let mut chars = cell.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            let mut buffer = [0; 2];
            units.extend_from_slice(c.encode_utf16(&mut buffer));
            continue;
        }
        match chars.next() {
            Some('n') => units.push(u16::from(b'\n')),
            Some('r') => units.push(u16::from(b'\r')),
            Some('t') => units.push(u16::from(b'\t')),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                units.push(u16::from_str_radix(&hex, 16).expect("four hex digits after %u"));
            }
            Some('%') => units.push(u16::from(b'%')),
            other => panic!("unknown escape %{other:?} in {cell:?}"),
        }
    }
    String::from_utf16(&units).expect("the cell is valid UTF-16")
}

struct Case {
    line: usize,
    pattern: String,
    value: String,
    expected: String,
    unchecked: bool,
}

fn cases(table: &str) -> Vec<Case> {
    table
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.starts_with('#') && !line.is_empty())
        .map(|(index, line)| {
            let cells: Vec<&str> = line.split('\t').collect();
            assert!(matches!(cells.len(), 3 | 4), "line {}: {line:?}", index + 1);
            Case {
                line: index + 1,
                pattern: unescape(cells[0]),
                value: unescape(cells[1]),
                expected: cells[2].to_string(),
                unchecked: cells.get(3) == Some(&"unchecked"),
            }
        })
        .collect()
}

fn check_table(dialect: Dialect, table: &str) {
    let cases = cases(table);
    assert!(cases.len() >= 20, "the table has its cases");
    let mut failures = Vec::new();
    for case in &cases {
        let compiled = compile(dialect, &case.pattern);
        let got = match (&compiled, case.unchecked) {
            (Compiled::Unsupported(_), true) => continue,
            (_, true) => format!("checked ({compiled:?})"),
            (Compiled::Invalid(_), false) => "invalid".to_string(),
            (Compiled::Unsupported(why), false) => format!("unchecked ({why:?})"),
            (Compiled::Checked(_), false) => match compiled.matches(&case.value) {
                Some(matched) => matched.to_string(),
                None => "gave up".to_string(),
            },
        };
        if got != case.expected {
            failures.push(format!(
                "line {}: {:?} on {:?}: expected {}, got {got} (translated: {:?})",
                case.line,
                case.pattern,
                case.value,
                if case.unchecked { "unchecked" } else { &case.expected },
                translate(dialect, &case.pattern)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn java_patterns_match_as_java_does() {
    check_table(Dialect::Java, include_str!("java_cases.txt"));
}

#[test]
fn schema_patterns_match_as_ecmascript_does() {
    check_table(Dialect::EcmaScript, include_str!("ecmascript_cases.txt"));
}

#[test]
fn invalid_java_patterns_say_why_and_where() {
    let invalid = |pattern: &str| match translate(Dialect::Java, pattern) {
        Err(Problem::Invalid(invalid)) => invalid,
        other => panic!("{pattern}: {other:?}"),
    };
    assert_eq!(invalid("[a-z"), Invalid { reason: InvalidReason::UnclosedClass, at: 0 });
    assert_eq!(invalid("ab(c"), Invalid { reason: InvalidReason::UnclosedGroup, at: 2 });
    assert_eq!(invalid("a)"), Invalid { reason: InvalidReason::UnmatchedParenthesis, at: 1 });
    assert_eq!(invalid("x|*"), Invalid { reason: InvalidReason::NothingToRepeat, at: 2 });
    assert_eq!(invalid("a{x}"), Invalid { reason: InvalidReason::BadRepetition, at: 1 });
    assert_eq!(invalid("[z-a]"), Invalid { reason: InvalidReason::BadRange, at: 1 });
    assert_eq!(invalid(r"a\y"), Invalid { reason: InvalidReason::UnknownEscape('y'), at: 1 });
}

#[test]
fn only_what_needs_backtracking_runs_on_the_backtracking_engine() {
    let engine = |pattern: &str| match compile(Dialect::Java, pattern) {
        Compiled::Checked(engine) => match engine.as_ref() {
            Engine::Plain(_) => "plain",
            Engine::Backtracking(_) => "backtracking",
        },
        other => panic!("{pattern}: {other:?}"),
    };
    for plain in [r"^[a-z0-9.-]{3,63}$", r".{1,512}", r"[\w-\+]+", r"(?i)[^a-f]\s", r"\p{Alpha}+\Qx\E"] {
        assert_eq!(engine(plain), "plain", "{plain}");
    }
    for backtracking in [r"(?=.{3})a+", r"(?<!x)b", r"(?>a|ab)c", r"a*+", r"(a)\1", r"a$\n", r"[a-z&&[^b]]", r"[\S]"] {
        assert_eq!(engine(backtracking), "backtracking", "{backtracking}");
    }
}

#[test]
fn unsupported_constructs_are_named() {
    let unsupported = |pattern: &str| match compile(Dialect::Java, pattern) {
        Compiled::Unsupported(why) => why,
        other => panic!("{pattern}: {other:?}"),
    };
    assert_eq!(unsupported(r"a\p{L}"), Unsupported::Construct(r"\p{L}".into()));
    assert_eq!(unsupported("(?x)a"), Unsupported::Construct("(?x)".into()));
    assert_eq!(unsupported(r"\bx"), Unsupported::Construct(r"\b".into()));
    // Java allows a reference to a group that does not exist; the engine does not.
    assert_eq!(unsupported(r"(a)\2"), Unsupported::Engine);
}

/// Every pattern a shape holds, nested shapes included.
fn collect_patterns(shape: &crate::schema::Shape, out: &mut std::collections::BTreeSet<String>) {
    use crate::schema::Shape;
    match shape {
        Shape::String(string) => out.extend(string.pattern.clone()),
        Shape::List { item, .. } => collect_patterns(item, out),
        Shape::Map { value, key_pattern } => {
            out.extend(key_pattern.clone());
            collect_patterns(value, out);
        }
        Shape::Object(object) => object.properties.values().for_each(|p| collect_patterns(&p.shape, out)),
        Shape::Union(shapes) => shapes.iter().for_each(|s| collect_patterns(s, out)),
        _ => {}
    }
}

#[test]
fn the_schema_patterns_are_mostly_checked() {
    // If the translation refused everything, every schema pattern would pass
    // unchecked; count how many of the schemas' patterns it takes.
    let mut patterns = std::collections::BTreeSet::new();
    for name in crate::schema::type_names() {
        let Some(resource) = crate::schema::resource_type(name) else { continue };
        resource.properties.values().for_each(|p| collect_patterns(&p.shape, &mut patterns));
        resource.definitions.values().for_each(|d| collect_patterns(&d.shape, &mut patterns));
    }
    let checked = patterns.iter().filter(|p| matches!(compile(Dialect::EcmaScript, p), Compiled::Checked(_))).count();
    assert!(patterns.len() > 2000, "the schemas hold their patterns: {}", patterns.len());
    assert!(checked * 100 >= patterns.len() * 95, "{checked} of {} schema patterns are checked", patterns.len());
}
