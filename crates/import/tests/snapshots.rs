//! Snapshots of imported programs for a dozen varied templates, so that a
//! change in how imports read shows in review. Each snapshot holds the
//! program and the warnings, with the template's line and column.

use std::path::Path;

/// Templates from `tests/templates/`, each showing different features.
const TEMPLATES: &[&str] = &[
    // Mappings read by region, conditions, outputs with exports.
    "aws/EC2_EC2InstanceWithSecurityGroupSample.json",
    // cfn-init metadata, a creation policy, multi-line files.
    "aws/EC2_InstanceWithCfnInit.json",
    // A VPC: acronym logical IDs, DependsOn kept where nothing implies it.
    "aws/VPC_VPC_With_Managed_NAT_And_Private_Subnet.json",
    // Rolling updates: an update policy, signals.
    "aws/AutoScaling_AutoScalingRollingUpdates.json",
    // Fn::Join user data as interpolation.
    "aws/ElasticLoadBalancing_ELBWithLockedDownAutoScaledInstances.json",
    // RDS: parameter constraints, deletion policies, a read replica.
    "aws/RDS_RDS_MySQL_With_Read_Replica.json",
    // Parameter groups and labels, rules.
    "aws/Solutions_DirectoryServiceSettings_templates_DIRECTORY_SETTINGS.cfn.json",
    // Lambda with inline code.
    "aws/Lambda_LambdaSample.json",
    // S3 with a bucket policy.
    "aws/S3_compliant-bucket.json",
    // ECS on Fargate in YAML: short-form tags, comments (a warning).
    "aws/ECS_FargateLaunchType_services_public-service.yaml",
    // YAML block scalars with `#` lines that are no comments.
    "aws/EC2_InstanceWithCfnInit.yaml",
    // DynamoDB with indexes.
    "aws/DynamoDB_DynamoDB_Secondary_Indexes.json",
    // SQS FIFO: conditions on parameters, Fn::If with NoValue.
    "aws/SQS_SQSFIFOQueue.json",
    // SAM: `Globals` and a function's `IgnoreGlobals`.
    "cfn-lint/transform_serverless_ignore_globals.yaml",
    // Fn::ForEach: a resource loop; nested output loops written out.
    "aws/CloudFormation_fn-foreach-s3-outputs.json",
    // Fn::ForEach in YAML: `Ref` to the identifier as the loop variable.
    "aws/CloudFormation_fn-foreach-ddb.yaml",
];

#[test]
fn imported_programs() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/templates");
    for name in TEMPLATES {
        let path = dir.join(name);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut shown = match infrac_import::import_text(&text, "Imported") {
            Ok(imported) => {
                let mut out = imported.text;
                for warning in &imported.warnings {
                    out.push_str("\n// ");
                    out.push_str(&infrac_import::render(name, &text, warning).trim_end().replace('\n', "\n// "));
                }
                out
            }
            Err(problems) => panic!("{name} does not import: {}", problems[0].problem),
        };
        shown.push('\n');
        let snapshot = name.trim_start_matches("aws/").replace(['/', '.'], "_");
        insta::assert_snapshot!(snapshot, shown);
    }
}
