//! `--constructs`: a bucket with its TLS-only policy is raised to
//! `s3.Bucket` only when the instance builds back to the very same
//! resources; otherwise a note says why it stays as it is.

use infrac::source::SourceMap;

/// The template a program builds.
fn build(program: &str) -> serde_json::Value {
    let mut sources = SourceMap::new();
    let file = sources.add("program.infra", program.to_string());
    let compilation = infrac::compile(&mut sources, &[file]);
    assert!(!compilation.has_errors(), "{program} does not build");
    compilation.stacks[0].template.clone()
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
