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
        imported.warnings.iter().any(|w| w.code == infrac_import::Code::NotRaised
            && w.message.contains("only the logical IDs differ")
            && w.message.contains("(`SiteBucketPolicy` would be `SitePolicy`)")),
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
    assert!(
        note.message.contains(
            "`PublicAccessBlockConfiguration` differs (`SiteBucket` has `\"false\"` at `PublicAccessBlockConfiguration.BlockPublicPolicy`, the construct's `\"true\"`)"
        ),
        "{}",
        note.message
    );
    assert_eq!(infrac::normalise::differences(&public, &build(&imported.text)), Vec::<String>::new());
}

/// Every template of the round-trip corpus with a group a construct could
/// make, and what `--constructs` says of each group (with the template's
/// line), as the command prints it to standard error.
#[test]
fn corpus_notes() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/templates");
    let mut paths = Vec::new();
    for folder in ["aws", "cfn-lint"] {
        let entries = std::fs::read_dir(root.join(folder)).expect("the corpus").flatten();
        paths.extend(entries.map(|e| format!("{folder}/{}", e.file_name().to_string_lossy())));
    }
    paths.sort();
    let mut shown = String::new();
    for name in paths.iter().filter(|p| p.ends_with(".json") || p.ends_with(".yaml") || p.ends_with(".yml")) {
        let text = std::fs::read_to_string(root.join(name)).expect("readable");
        let Ok(imported) = infrac_import::import_text_with(&text, "Imported", true) else { continue };
        let groups: Vec<_> = imported
            .warnings
            .iter()
            .filter(|w| matches!(w.problem.code, infrac_import::Code::Raised | infrac_import::Code::NotRaised))
            .collect();
        if groups.is_empty() {
            continue;
        }
        shown.push_str(&format!("=== {name}\n"));
        for note in groups {
            shown.push_str(infrac_import::render(name, &text, note).trim_end());
            shown.push('\n');
        }
    }
    insta::assert_snapshot!("constructs_corpus_notes", shown);
}

/// A template `ec2.Vpc` built, with every logical ID given by `rename`.
fn renamed_vpc(program: &str, rename: impl Fn(&str) -> String) -> serde_json::Value {
    let text = build(program).to_string();
    let template = build(program);
    let mut text = text;
    for id in template["Resources"].as_object().expect("resources").keys() {
        text = text.replace(&format!("\"{id}\""), &format!("\"{}\"", rename(id)));
    }
    serde_json::from_str(&text).expect("JSON")
}

fn not_raised(template: &serde_json::Value) -> String {
    let imported = infrac_import::import_with(template, "Imported", true).expect("imports");
    assert!(imported.text.contains("AWS::EC2::VPC"), "{}", imported.text);
    assert_eq!(infrac::normalise::differences(template, &build(&imported.text)), Vec::<String>::new());
    let notes: Vec<_> = imported.warnings.iter().filter(|w| w.code == infrac_import::Code::NotRaised).collect();
    assert_eq!(notes.len(), 1, "{:?}", imported.warnings);
    notes[0].message.clone()
}

#[test]
fn a_vpc_whose_only_difference_is_its_logical_ids_says_so() {
    // The resources of `net: ec2.Vpc` as a person would name them.
    let template = renamed_vpc("resource net: ec2.Vpc { flow_logs: false }\noutput id = net\n", |id| {
        id.strip_prefix("Net").unwrap_or(id).to_string()
    });
    assert_eq!(
        not_raised(&template),
        "`Vpc`, `InternetGateway`, `GatewayAttachment` and 16 more could be `ec2.Vpc` but stay as they are: \
         only the logical IDs differ from the construct's: raising would replace 19 resources \
         (`Vpc` would be `VpcVpc`, and 18 more)"
    );
}

#[test]
fn a_vpc_the_construct_would_make_differently_says_how() {
    // Subnets of /24 where the construct cuts /19 blocks, and a subnet that
    // another resource reads directly.
    let mut template = build("resource net: ec2.Vpc { nat_gateways: 2 }\n");
    for (i, id) in ["NetPublic0", "NetPublic1", "NetPrivate0", "NetPrivate1"].iter().enumerate() {
        template["Resources"][id]["Properties"]["CidrBlock"] = format!("10.0.{i}.0/24").into();
    }
    template["Resources"]["Endpoint"] = serde_json::json!({
        "Type": "AWS::EC2::VPCEndpoint",
        "Properties": { "VpcId": { "Ref": "NetVpc" }, "ServiceName": "com.amazonaws.us-east-1.s3", "RouteTableIds": [{ "Ref": "NetPrivateRoutes0" }] }
    });
    let note = not_raised(&template);
    assert!(note.contains("`Endpoint` reads the group's `NetPrivateRoutes0` directly"), "{note}");
    assert!(
        note.contains("subnet sizes differ: the construct cuts the VPC's range into eight equal blocks (4 resources; `NetPublic0` has `\"10.0.0.0/24\"`, the construct's `\"10.0.0.0/19\"`)"),
        "{note}"
    );
    assert!(!note.contains("logical IDs"), "{note}");
}
