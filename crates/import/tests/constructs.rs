//! `--constructs`: groups of resources raised to a standard-library
//! construct only when the instance builds back to the very same resources;
//! otherwise a note says why each stays as it is.
//!
//! `tests/constructs/*.infra`: each program is built, its template imported
//! with constructs, and the imported program (with its notes) is a snapshot;
//! it must build back to the template. A new case is one new file.
//! `corpus_notes`: the notes for real templates of the corpus that have
//! groups a construct could make, each left alone with its reasons.

use std::path::Path;

use infrac::source::SourceMap;

/// The template a program builds.
fn build(program: &str) -> serde_json::Value {
    let mut sources = SourceMap::new();
    let file = sources.add("program.infra", program.to_string());
    let compilation = infrac::compile(&mut sources, &[file]);
    assert!(!compilation.has_errors(), "{program} does not build: {:?}", compilation.diagnostics);
    compilation.stacks[0].template.clone()
}

fn notes(warnings: &[infrac_import::Problem]) -> Vec<String> {
    warnings.iter().map(ToString::to_string).collect()
}

#[test]
fn programs_with_constructs_come_back_as_their_instances() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/constructs");
    let mut paths: Vec<_> = std::fs::read_dir(&dir).expect("the folder").flatten().map(|e| e.path()).collect();
    paths.retain(|p| p.extension().is_some_and(|e| e == "infra"));
    paths.sort();
    assert!(!paths.is_empty());
    for path in paths {
        let name = path.file_stem().and_then(|s| s.to_str()).expect("a name").to_string();
        let program = std::fs::read_to_string(&path).expect("readable");
        let template = build(&program);
        let imported = infrac_import::import_with(&template, "Imported", true).expect("imports");
        let raised = imported.warnings.iter().filter(|w| w.code == infrac_import::Code::Raised).count();
        assert!(raised > 0, "{name}: nothing raised: {:?}", notes(&imported.warnings));
        assert!(
            imported.warnings.iter().all(|w| w.code != infrac_import::Code::NotRaised),
            "{name}: {:?}",
            notes(&imported.warnings)
        );
        let built = build(&imported.text);
        assert_eq!(infrac::normalise::differences(&template, &built), Vec::<String>::new(), "{name}");
        let mut shown = imported.text.clone();
        for note in notes(&imported.warnings) {
            shown.push_str(&format!("\n// {note}"));
        }
        shown.push('\n');
        insta::assert_snapshot!(format!("constructs_{name}"), shown);
    }
}
const SITE: &str = r#"
resource site: s3.Bucket {
  name: "example-site"
  policy_statements: [{
    Effect: "Allow"
    Principal: { Service: "cloudfront.amazonaws.com" }
    Action: "s3:GetObject"
  }]
}

resource reader: AWS::IAM::Role {
  AssumeRolePolicyDocument: { Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] }
  Policies: [{ PolicyName: "read", PolicyDocument: { Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "${site.arn}/*" }] } }]
}

output bucket = site
output origin = site.domain_name
"#;

#[test]
fn a_bucket_and_its_tls_policy_become_s3_bucket() {
    let template = build(SITE);
    let imported = infrac_import::import_with(&template, "Site", true).expect("imports");
    assert!(imported.text.contains("resource site: s3.Bucket {"), "{}", imported.text);
    assert!(imported.text.contains("\"${site.arn}/*\""), "{}", imported.text);
    assert!(imported.text.contains("output origin = site.domain_name"), "{}", imported.text);
    assert!(!imported.text.contains("AWS::S3::BucketPolicy"), "{}", imported.text);
    let notes: Vec<String> = imported.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(notes, ["note[I0202]: `SiteBucket` and `SitePolicy` raised: now `site: s3.Bucket`"]);
    assert_eq!(infrac::normalise::differences(&template, &build(&imported.text)), Vec::<String>::new());
    // Without the option, the resources stay L1.
    let plain = infrac_import::import(&template, "Site").expect("imports");
    assert!(plain.text.contains("resource site_policy: AWS::S3::BucketPolicy"), "{}", plain.text);
}

#[test]
fn a_group_that_is_not_the_construct_stays_as_it_is() {
    // Renamed: an instance cannot give these logical IDs.
    let mut renamed = build(SITE);
    let resources = renamed["Resources"].as_object_mut().expect("resources");
    let policy = resources.shift_remove("SitePolicy").expect("the policy");
    resources.insert("SiteBucketPolicy".into(), policy);
    let imported = infrac_import::import_with(&renamed, "Site", true).expect("imports");
    assert!(imported.text.contains("AWS::S3::BucketPolicy"), "{}", imported.text);
    assert!(
        imported.warnings.iter().any(|w| w.code == infrac_import::Code::NotRaised && w.message.contains("renaming")),
        "{:?}",
        imported.warnings
    );
    // A bucket the construct would make differently (public access allowed).
    let mut public = build(SITE);
    public["Resources"]["SiteBucket"]["Properties"]["PublicAccessBlockConfiguration"]["BlockPublicPolicy"] =
        serde_json::Value::Bool(false);
    let imported = infrac_import::import_with(&public, "Site", true).expect("imports");
    assert!(imported.text.contains("AWS::S3::BucketPolicy"), "{}", imported.text);
    let note = imported.warnings.iter().find(|w| w.code == infrac_import::Code::NotRaised).expect("a note");
    assert!(note.message.contains("differs"), "{}", note.message);
    assert_eq!(infrac::normalise::differences(&public, &build(&imported.text)), Vec::<String>::new());
}
