//! The schemas' `pattern`s: ECMAScript regular expressions, run with `regex-lite`.
//!
//! A pattern is translated to `regex-lite` syntax only where the two languages
//! agree on what it means; anything else (lookaround, backreferences, Unicode
//! property classes, Annex B oddities) makes the translation fail, and the
//! pattern is then not checked at all. A pattern mismatch is only ever a
//! warning, but a wrong translation would still be a false warning, so the
//! translator refuses rather than guesses.
//!
//! Like JSON Schema's `pattern`, a pattern matches anywhere in the value
//! unless it is anchored itself.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use regex_lite::Regex;

/// Compiled patterns by their ECMAScript text; `None` when it cannot be checked.
static CACHE: LazyLock<Mutex<HashMap<String, Option<Regex>>>> = LazyLock::new(|| Mutex::new(HashMap::new()));

/// Whether `value` matches `pattern`, or `None` when the pattern cannot be checked.
pub(super) fn matches(pattern: &str, value: &str) -> Option<bool> {
    let mut cache = CACHE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let regex = cache.entry(pattern.to_string()).or_insert_with(|| compile(pattern));
    regex.as_ref().map(|regex| regex.is_match(value))
}

fn compile(pattern: &str) -> Option<Regex> {
    Regex::new(&translate(pattern)?).ok()
}

/// Rewrites an ECMAScript pattern (without flags) into `regex-lite` syntax, or
/// `None` if it uses something the translation does not cover.
pub(super) fn translate(pattern: &str) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => {
                let (text, used) = escape(&chars[i + 1..], false)?;
                out.push_str(&text);
                i += 1 + used;
            }
            '[' => i = class(&chars, i, &mut out)?,
            '{' => {
                // A brace that does not start `{n}`, `{n,}` or `{n,m}` is a literal in ECMAScript.
                match quantifier_len(&chars[i..]) {
                    Some(len) => {
                        out.extend(&chars[i..i + len]);
                        i += len;
                    }
                    // `{,5}` is a literal in ECMAScript but `{0,5}` to Python, whose
                    // reading cfn-lint uses: the pattern means different things.
                    None if chars.get(i + 1) == Some(&',') => return None,
                    None => {
                        out.push_str("\\{");
                        i += 1;
                    }
                }
            }
            '}' => {
                out.push_str("\\}");
                i += 1;
            }
            '(' if chars.get(i + 1) == Some(&'?') => {
                // Only non-capturing and named groups; lookaround is not supported.
                match (chars.get(i + 2), chars.get(i + 3)) {
                    (Some(':'), _) => {
                        out.push_str("(?:");
                        i += 3;
                    }
                    (Some('<'), Some(c)) if c.is_ascii_alphabetic() => {
                        out.push_str("(?<");
                        i += 3;
                    }
                    // Inline flags (`(?s)`, `(?i)`): not ECMAScript, but Python (and so
                    // cfn-lint) and regex-lite read them the same way.
                    _ if flags_len(&chars[i..]).is_some() => {
                        let len = flags_len(&chars[i..]).unwrap_or(0);
                        out.extend(&chars[i..i + len]);
                        i += len;
                    }
                    _ => return None,
                }
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    Some(out)
}

/// The length of an inline flag group such as `(?s)` or `(?i)` at the start of `chars`.
fn flags_len(chars: &[char]) -> Option<usize> {
    let flags = chars.get(2..)?.iter().take_while(|c| matches!(c, 'i' | 's' | 'm')).count();
    (flags > 0 && chars.get(2 + flags) == Some(&')')).then_some(3 + flags)
}

/// The length of a quantifier `{n}`, `{n,}` or `{n,m}` at the start of `chars`.
fn quantifier_len(chars: &[char]) -> Option<usize> {
    let mut i = 1;
    let digits = |i: &mut usize| {
        let start = *i;
        while chars.get(*i).is_some_and(char::is_ascii_digit) {
            *i += 1;
        }
        *i > start
    };
    if !digits(&mut i) {
        return None;
    }
    if chars.get(i) == Some(&',') {
        i += 1;
        digits(&mut i);
    }
    (chars.get(i) == Some(&'}')).then_some(i + 1)
}

/// Translates the escape after a backslash; returns the text and how many chars it used.
fn escape(rest: &[char], in_class: bool) -> Option<(String, usize)> {
    let c = *rest.first()?;
    let text = match c {
        'd' | 'D' | 'w' | 'W' | 's' | 'S' => format!("\\{c}"),
        'b' | 'B' if !in_class => format!("\\{c}"),
        'n' | 'r' | 't' | 'f' | 'v' => format!("\\{c}"),
        'x' => {
            let hex: String = rest.get(1..3)?.iter().collect();
            u32::from_str_radix(&hex, 16).ok()?;
            return Some((format!("\\x{{{hex}}}"), 3));
        }
        'u' if rest.get(1) == Some(&'{') => {
            let end = rest.iter().position(|&c| c == '}')?;
            let hex: String = rest[2..end].iter().collect();
            char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?;
            return Some((format!("\\x{{{hex}}}"), end + 1));
        }
        'u' => {
            let hex: String = rest.get(1..5)?.iter().collect();
            // Surrogate halves have no meaning outside UTF-16.
            char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?;
            return Some((format!("\\x{{{hex}}}"), 5));
        }
        // An escaped punctuation character is that character. Spell it as a code
        // point: `\<` and `\>` mean word boundaries to regex-lite.
        c if c.is_ascii_punctuation() || c == ' ' => format!("\\x{{{:X}}}", c as u32),
        // Backreferences, `\c`, `\0`, `\p{..}` and Annex B identity escapes.
        _ => return None,
    };
    Some((text, 1))
}

/// Translates the character class starting at `chars[start]` (`[`); returns the index after it.
fn class(chars: &[char], start: usize, out: &mut String) -> Option<usize> {
    let mut i = start + 1;
    out.push('[');
    if chars.get(i) == Some(&'^') {
        out.push('^');
        i += 1;
    }
    if chars.get(i) == Some(&']') {
        // `[]` matches nothing and `[^]` anything in ECMAScript; neither is worth emulating.
        return None;
    }
    // Whether the last item can start a range (a single character, not a class escape
    // and not the end of a range).
    let mut last_is_char = false;
    while i < chars.len() {
        let c = chars[i];
        match c {
            ']' => {
                out.push(']');
                return Some(i + 1);
            }
            '\\' => {
                let (text, used) = escape(&chars[i + 1..], true)?;
                let class_escape = matches!(chars[i + 1], 'd' | 'D' | 'w' | 'W' | 's' | 'S');
                out.push_str(&text);
                i += 1 + used;
                last_is_char = !class_escape;
            }
            '-' => {
                let next = chars.get(i + 1).copied();
                let next_is_class_escape = next == Some('\\')
                    && chars.get(i + 2).is_some_and(|c| matches!(c, 'd' | 'D' | 'w' | 'W' | 's' | 'S'));
                if last_is_char && next.is_some_and(|n| n != ']') && !next_is_class_escape {
                    out.push('-');
                    i += 1;
                    // The range's end follows; it cannot start another range.
                    let end = chars[i];
                    if end == '\\' {
                        let (text, used) = escape(&chars[i + 1..], true)?;
                        out.push_str(&text);
                        i += 1 + used;
                    } else {
                        push_class_char(out, end);
                        i += 1;
                    }
                    last_is_char = false;
                } else {
                    out.push_str("\\-");
                    i += 1;
                    last_is_char = true;
                }
            }
            c => {
                push_class_char(out, c);
                i += 1;
                last_is_char = true;
            }
        }
    }
    // An unclosed class is a syntax error in ECMAScript too.
    None
}

/// A literal character inside a class: `[`, `&`, `~` and `-` have meanings in
/// regex-lite classes that they do not have in ECMAScript.
fn push_class_char(out: &mut String, c: char) {
    if matches!(c, '[' | '&' | '~' | '-' | '^') {
        out.push('\\');
    }
    out.push(c);
}

#[cfg(test)]
mod tests {
    use super::{matches, translate};

    #[test]
    fn translates_what_both_languages_agree_on() {
        assert_eq!(translate(r"^[a-z0-9.-]*$").as_deref(), Some(r"^[a-z0-9.\-]*$"));
        assert_eq!(translate(r"[\w-.~]").as_deref(), Some(r"[\w\-.\~]"));
        assert_eq!(translate(r"a{x}").as_deref(), Some(r"a\{x\}"));
        assert_eq!(translate(r"(?s).+").as_deref(), Some(r"(?s).+"));
        assert_eq!(translate(r"\u0009").as_deref(), Some(r"\x{0009}"));
        assert_eq!(translate(r"\/").as_deref(), Some(r"\x{2F}"));
        assert_eq!(translate(r"[[a]").as_deref(), Some(r"[\[a]"));
    }

    #[test]
    fn refuses_what_it_cannot_translate() {
        for pattern in
            [r"(?!^[0-9]+$)", r"(?=a)", r"(\w)\1", r"\p{L}", r"[^]", r"\uD800", r"[abc", r"\cA", r"a{,5}", r"\Z"]
        {
            assert_eq!(translate(pattern), None, "{pattern}");
        }
    }

    #[test]
    fn matches_like_json_schema() {
        assert_eq!(matches(r"^([a-z0-9][a-z0-9.-]*[a-z0-9])?$", "my-bucket"), Some(true));
        assert_eq!(matches(r"^([a-z0-9][a-z0-9.-]*[a-z0-9])?$", "My_Bucket"), Some(false));
        // Unanchored patterns match anywhere.
        assert_eq!(matches(r"arn:aws", "x arn:aws y"), Some(true));
        assert_eq!(matches(r"\<a\>", "<a>"), Some(true));
        assert_eq!(matches(r"(?!x)", "y"), None);
    }
}
