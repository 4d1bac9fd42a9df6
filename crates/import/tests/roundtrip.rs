//! The round trip: every template of the corpus is imported, the program
//! built with the compiler, and the template it builds compared with the
//! original after `infrac::normalise`. A template that does not come back
//! equal must be listed in `tests/templates/EXCEPTIONS.txt` with its reason,
//! and a listed one must still fail (so the list shrinks as import improves).
//!
//! The corpus is `tests/templates/` here (public templates, sources in its
//! SOURCES.md) and the repository's own `tests/templates/` (the hand
//! translations' originals).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use infrac::source::SourceMap;

/// Every template of the corpus, by its path from the repository root.
pub fn corpus() -> Vec<(String, PathBuf)> {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = crate_dir.join("../..");
    let mut found = Vec::new();
    for dir in [crate_dir.join("tests/templates"), root.join("tests/templates")] {
        collect(&dir, &mut found);
    }
    found.sort();
    found
        .into_iter()
        .map(|path| {
            let shown = path.canonicalize().expect("a corpus file");
            let root = root.canonicalize().expect("the repository");
            let relative = shown.strip_prefix(&root).expect("under the repository").to_string_lossy().into_owned();
            (relative, path)
        })
        .collect()
}

fn collect(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            collect(&path, found);
        } else if path.extension().is_some_and(|e| e == "json" || e == "yaml" || e == "yml" || e == "template") {
            found.push(path);
        }
    }
}

/// What happened to one template: `None` when it came back equal,
/// otherwise why not.
fn round_trip(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).expect("a corpus template is readable");
    round_trip_text(&text)
}

fn round_trip_text(text: &str) -> Option<String> {
    let text = text.to_string();
    let original = match infrac::cfn_yaml::read(&text, infrac::cfn_yaml::Tags::CloudFormation) {
        Ok(node) => node.to_json(),
        Err(e) => return Some(format!("unreadable: {e}")),
    };
    let imported = match infrac_import::import_text(&text, "Imported") {
        Ok(imported) => imported,
        Err(problems) => {
            let first = &problems[0].problem;
            return Some(format!("import: {} {} at {}", first.code.as_str(), first.message, first.path()));
        }
    };
    // The program is as `infrac fmt` writes it.
    match infrac::format::format_source(&imported.text) {
        Ok(formatted) if formatted == imported.text => {}
        _ => return Some("import: the program is not formatted".to_string()),
    }
    let mut sources = SourceMap::new();
    let file = sources.add("imported.infra", imported.text.clone());
    let compilation = infrac::compile(&mut sources, &[file]);
    if let Some(error) = compilation.diagnostics.iter().find(|d| d.is_error()) {
        return Some(format!("build: {} {}", error.code.as_str(), error.message));
    }
    let built = &compilation.stacks[0].template;
    let differences = infrac::normalise::differences(&original, built);
    differences.first().map(|d| {
        format!(
            "differs: {d}{}",
            if differences.len() > 1 { format!(" (+{} more)", differences.len() - 1) } else { String::new() }
        )
    })
}

fn exceptions() -> BTreeMap<String, String> {
    let list = include_str!("templates/EXCEPTIONS.txt");
    list.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (path, reason) = l.split_once(": ").unwrap_or((l, ""));
            (path.trim().to_string(), reason.trim().to_string())
        })
        .collect()
}

#[test]
fn corpus_round_trips() {
    let corpus = corpus();
    assert!(corpus.len() >= 60, "the corpus has {} templates, expected at least 60", corpus.len());
    let exceptions = exceptions();
    let mut unexpected = Vec::new();
    let mut passed = 0;
    for (name, path) in &corpus {
        let outcome = round_trip(path);
        match (&outcome, exceptions.get(name)) {
            (None, None) => passed += 1,
            (None, Some(_)) => unexpected.push(format!("{name}: round-trips now; remove it from EXCEPTIONS.txt")),
            (Some(why), None) => unexpected.push(format!("{name}: {why}")),
            (Some(_), Some(_)) => {}
        }
    }
    for name in exceptions.keys() {
        if !corpus.iter().any(|(n, _)| n == name) {
            unexpected.push(format!("{name}: listed in EXCEPTIONS.txt but not in the corpus"));
        }
    }
    eprintln!("round trip: {passed} of {} templates come back equal", corpus.len());
    assert!(unexpected.is_empty(), "unexpected round-trip outcomes:\n{}", unexpected.join("\n"));
}

/// Prints every template's outcome: `cargo test -p infrac-import --test
/// roundtrip -- --ignored --nocapture report`.
#[test]
#[ignore]
fn report() {
    for (name, path) in corpus() {
        match round_trip(&path) {
            None => println!("PASS {name}"),
            Some(why) => println!("FAIL {name}: {why}"),
        }
    }
}

/// `Fn::ForEach` in the forms the corpus lacks: each comes back equal, a
/// loop of resources named `Prefix${Id}` as a resource loop, the others
/// written out item by item.
#[test]
fn for_each_forms_round_trip() {
    let head = "Transform: AWS::LanguageExtensions\nMappings:\n  Names:\n    All:\n      List: [Orders, Billing]\n";
    let cases = [
        // A lookup with written keys; `Ref: Id` in a Sub, a reference to a resource.
        (true, "Resources:\n  Topic:\n    Type: AWS::SNS::Topic\n  Fn::ForEach::Queues:\n    - Name\n    - !FindInMap [Names, All, List]\n    - Queue${Name}:\n        Type: AWS::SQS::Queue\n        Properties:\n          QueueName: !Sub \"${AWS::StackName}-${Name}\"\n          Tags: [{ Key: topic, Value: !Ref Topic }, { Key: name, Value: !Ref Name }]\n"),
        // `&{Id}` over items with a hyphen: the IDs drop it, a loop cannot.
        (false, "Resources:\n  Fn::ForEach::Topics:\n    - Name\n    - [my-app, other]\n    - Topic&{Name}:\n        Type: AWS::SNS::Topic\n        Properties:\n          TopicName: !Sub \"${Name}-topic\"\n"),
        // The identifier first in the ID.
        (false, "Resources:\n  Fn::ForEach::Topics:\n    - Name\n    - [A, B]\n    - ${Name}Topic:\n        Type: AWS::SNS::Topic\n"),
        // A resource waits for one resource of the loop, which `@depends_on` cannot name.
        (false, "Resources:\n  Later:\n    Type: AWS::SNS::Topic\n    DependsOn: TopicA\n  Fn::ForEach::Topics:\n    - Name\n    - [A, B]\n    - Topic${Name}:\n        Type: AWS::SNS::Topic\n"),
        // A loop in a resource's properties.
        (false, "Resources:\n  Param:\n    Type: AWS::SSM::Parameter\n    Properties:\n      Type: String\n      Value: x\n      Tags:\n        Fn::ForEach::Tags:\n          - K\n          - [Team, Env]\n          - ${K}: !Sub \"${K}-value\"\n"),
        // Nested loops of resources.
        (false, "Resources:\n  Fn::ForEach::Outer:\n    - Env\n    - [Dev, Prod]\n    - Fn::ForEach::Inner:\n        - App\n        - [Web, Api]\n        - Topic${Env}${App}:\n            Type: AWS::SNS::Topic\n            Properties:\n              TopicName: !Sub \"${Env}-${App}\"\n"),
        // Conditions and outputs, written out; an output reads a looped resource.
        (true, "Parameters:\n  Stage:\n    Type: String\nConditions:\n  Fn::ForEach::Is:\n    - S\n    - [Dev, Prod]\n    - Is${S}: !Equals [!Ref Stage, !Ref S]\nResources:\n  Fn::ForEach::Topics:\n    - S\n    - [Dev, Prod]\n    - Topic${S}:\n        Type: AWS::SNS::Topic\n        Condition: IsProd\nOutputs:\n  # The topics' names.\n  Fn::ForEach::Arns:\n    - S\n    - [Dev]\n    - Topic${S}Arn:\n        Condition: IsProd\n        Value: !GetAtt [!Sub \"Topic${S}\", TopicName]\n"),
    ];
    for (looped, body) in cases {
        let text = format!("{head}{body}");
        if let Some(why) = round_trip_text(&text) {
            panic!("{why}\n{text}");
        }
        let imported = infrac_import::import_text(&text, "Imported").expect("imports");
        assert_eq!(imported.text.contains(" for "), looped, "{}", imported.text);
    }
    // A comment above a loop written out goes above what it makes.
    let last = format!("{head}{}", cases[cases.len() - 1].1);
    let imported = infrac_import::import_text(&last, "Imported").expect("imports");
    assert!(
        imported.text.contains("// The topics' names.\n  @when(is_prod)\n  output topic_dev_arn"),
        "{}",
        imported.text
    );
    // A collection known only at deploy time is refused, saying why.
    let text = format!("{head}Parameters:\n  Names:\n    Type: CommaDelimitedList\nResources:\n  Fn::ForEach::Topics:\n    - Name\n    - !Ref Names\n    - Topic${{Name}}:\n        Type: AWS::SNS::Topic\n");
    let problems = infrac_import::import_text(&text, "Imported").err().expect("refused");
    assert!(
        problems[0].problem.message.contains("`Names`, a list known only at deploy time"),
        "{}",
        problems[0].problem
    );
    // A problem inside a loop's resource is placed at its line.
    let text = "Resources:\n  Fn::ForEach::Topics:\n    - Name\n    - [A, B]\n    - Topic${Name}:\n        Type: AWS::SNS::Topic\n        Properties:\n          TopicName: { Fn::Bogus: x }\n";
    let problems = infrac_import::import_text(text, "Imported").err().expect("refused");
    assert_eq!(problems[0].at.map(|p| p.line), Some(8), "{}", problems[0].problem);
}
