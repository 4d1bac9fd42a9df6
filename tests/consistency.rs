//! The template-consistency check (`support::consistency`) catches each kind
//! of inconsistency, shown on small hand-made templates, and accepts what
//! CloudFormation accepts.

mod support;

use serde_json::{json, Value};
use support::consistency::{check_build, ExternalImports, Stack};

/// The problems of one template deployed as stack `S`, as `at: message`.
fn problems(template: Value) -> Vec<String> {
    build_problems(&[("S", template, &[])], &ExternalImports::default())
}

fn build_problems(stacks: &[(&str, Value, &[&str])], external: &ExternalImports) -> Vec<String> {
    let depends_on: Vec<Vec<String>> =
        stacks.iter().map(|(_, _, deps)| deps.iter().map(|d| d.to_string()).collect()).collect();
    let stacks: Vec<Stack> = stacks
        .iter()
        .zip(&depends_on)
        .map(|((name, template, _), depends_on)| Stack { name: *name, template, depends_on })
        .collect();
    check_build(&stacks, external).iter().map(|p| format!("{}: {}: {}", p.stack, p.at, p.message)).collect()
}

#[track_caller]
fn assert_one(template: Value, expected: &str) {
    let found = problems(template);
    assert_eq!(found, vec![expected.to_string()]);
}

/// Every form of reference, each to something declared: no problem.
#[test]
fn a_consistent_template_passes() {
    let template = json!({
        "Parameters": { "Stage": { "Type": "String" } },
        "Mappings": { "Sizes": { "us-east-1": { "size": "big" }, "eu-west-1": { "size": "small" } } },
        "Conditions": {
            "IsProd": { "Fn::Equals": [{ "Ref": "Stage" }, "prod"] },
            "IsBig": { "Fn::And": [
                { "Condition": "IsProd" },
                { "Fn::Equals": [{ "Fn::FindInMap": ["Sizes", { "Ref": "AWS::Region" }, "size"] }, "big"] }
            ] }
        },
        "Resources": {
            "Logs": { "Type": "AWS::S3::Bucket", "Condition": "IsProd" },
            "Queue": {
                "Type": "AWS::SQS::Queue",
                "DependsOn": ["Logs"],
                "Properties": {
                    "QueueName": { "Fn::Sub": "${Stage}-${AWS::Region}-${Logs.Arn}-${!Literal}" },
                    "DelaySeconds": { "Fn::If": ["IsBig", 5, { "Ref": "AWS::NoValue" }] },
                    "Tags": [
                        { "Key": "a", "Value": { "Fn::GetAtt": ["Logs", "Arn"] } },
                        { "Key": "b", "Value": { "Fn::GetAtt": "Logs.DomainName" } },
                        { "Key": "c", "Value": { "Fn::Sub": ["${Name}-x", { "Name": { "Ref": "Stage" } }] } }
                    ],
                    // An IAM-style `Condition` key is data, not a condition reference.
                    "Policy": { "Condition": "NotACondition" }
                }
            }
        },
        "Outputs": {
            "Url": {
                "Condition": "IsProd",
                "Value": { "Ref": "Queue" },
                "Export": { "Name": { "Fn::Sub": "${AWS::StackName}-url" } }
            }
        }
    });
    assert_eq!(problems(template), Vec::<String>::new());
}

#[test]
fn ref_of_an_undeclared_name() {
    assert_one(
        json!({ "Resources": { "Q": { "Type": "AWS::SQS::Queue", "Properties": { "QueueName": { "Ref": "Stage" } } } } }),
        "S: Resources.Q.Properties.QueueName.Ref: reads `Stage`, which is not a parameter, resource or pseudo parameter of the template",
    );
}

#[test]
fn get_att_of_a_parameter() {
    assert_one(
        json!({
            "Parameters": { "Stage": { "Type": "String" } },
            "Resources": { "Q": { "Type": "AWS::SQS::Queue", "Properties": { "QueueName": { "Fn::GetAtt": ["Stage", "Arn"] } } } }
        }),
        "S: Resources.Q.Properties.QueueName.Fn::GetAtt: reads `Stage`, which is not a resource of the template",
    );
}

#[test]
fn sub_placeholders_of_undeclared_names() {
    let found = problems(json!({
        "Resources": { "Q": { "Type": "AWS::SQS::Queue", "Properties": {
            "QueueName": { "Fn::Sub": "${Missing}-${Gone.Arn}-${!Escaped}-${AWS::Region}" }
        } } }
    }));
    assert_eq!(
        found,
        [
            "S: Resources.Q.Properties.QueueName.Fn::Sub: reads `Missing`, which is not a parameter, resource or pseudo parameter of the template",
            "S: Resources.Q.Properties.QueueName.Fn::Sub: reads `Gone`, which is not a resource of the template",
        ]
    );
}

#[test]
fn if_on_an_undeclared_condition() {
    assert_one(
        json!({ "Resources": { "Q": { "Type": "AWS::SQS::Queue", "Properties": { "DelaySeconds": { "Fn::If": ["Condition", 1, 2] } } } } }),
        "S: Resources.Q.Properties.DelaySeconds.Fn::If: names condition `Condition`, which the template does not declare",
    );
}

#[test]
fn condition_of_a_resource_and_of_an_output() {
    let found = problems(json!({
        "Resources": { "Q": { "Type": "AWS::SQS::Queue", "Condition": "IsProd" } },
        "Outputs": { "O": { "Condition": "IsProd", "Value": "x" } }
    }));
    assert_eq!(
        found,
        [
            "S: Resources.Q.Condition: names condition `IsProd`, which the template does not declare",
            "S: Outputs.O.Condition: names condition `IsProd`, which the template does not declare",
        ]
    );
}

#[test]
fn condition_naming_an_undeclared_condition() {
    assert_one(
        json!({
            "Conditions": { "A": { "Fn::Not": [{ "Condition": "B" }] } },
            "Resources": { "Q": { "Type": "AWS::SQS::Queue", "Condition": "A" } }
        }),
        "S: Conditions.A.Fn::Not[0].Condition: names condition `B`, which the template does not declare",
    );
}

#[test]
fn find_in_map_of_an_undeclared_mapping() {
    assert_one(
        json!({ "Resources": { "Q": { "Type": "AWS::SQS::Queue", "Properties": {
            "QueueName": { "Fn::FindInMap": ["Sizes", { "Ref": "AWS::Region" }, "size"] }
        } } } }),
        "S: Resources.Q.Properties.QueueName.Fn::FindInMap: reads mapping `Sizes`, which the template does not declare",
    );
}

#[test]
fn find_in_map_of_a_missing_key() {
    let found = problems(json!({
        "Mappings": { "Sizes": { "us-east-1": { "size": "big" }, "eu-west-1": { "other": "x" } } },
        "Resources": { "Q": { "Type": "AWS::SQS::Queue", "Properties": {
            "QueueName": { "Fn::FindInMap": ["Sizes", { "Ref": "AWS::Region" }, "size"] },
            "DelaySeconds": { "Fn::FindInMap": ["Sizes", "ap-south-1", "size"] }
        } } }
    }));
    assert_eq!(
        found,
        [
            "S: Resources.Q.Properties.QueueName.Fn::FindInMap: reads `size` of row `eu-west-1` of mapping `Sizes`, which has none",
            "S: Resources.Q.Properties.DelaySeconds.Fn::FindInMap: reads row `ap-south-1` of mapping `Sizes`, which has none",
        ]
    );
}

#[test]
fn find_in_map_with_a_default_may_miss_a_key() {
    let found = problems(json!({
        "Mappings": { "Sizes": { "us-east-1": { "size": "big" }, "eu-west-1": { "other": "x" } } },
        "Resources": { "Q": { "Type": "AWS::SQS::Queue", "Properties": {
            "QueueName": { "Fn::FindInMap": ["Sizes", { "Ref": "AWS::Region" }, "size", { "DefaultValue": "small" }] },
            "DelaySeconds": { "Fn::FindInMap": ["Sizes", "ap-south-1", "size", { "DefaultValue": { "Ref": "Nothing" } }] }
        } } }
    }));
    assert_eq!(
        found,
        [
            "S: Resources.Q.Properties.DelaySeconds.Fn::FindInMap.Ref: reads `Nothing`, which is not a parameter, resource or pseudo parameter of the template"
        ]
    );
}

#[test]
fn depends_on_an_undeclared_resource() {
    let found = problems(json!({
        "Resources": {
            "Q": { "Type": "AWS::SQS::Queue", "DependsOn": "Bucket" },
            "R": { "Type": "AWS::SQS::Queue", "DependsOn": ["Q", "R"] }
        }
    }));
    assert_eq!(
        found,
        [
            "S: Resources.Q.DependsOn: depends on `Bucket`, which is not a resource of the template",
            "S: Resources.R.DependsOn: depends on itself",
        ]
    );
}

#[test]
fn conditions_that_read_resources_or_imports() {
    let found = problems(json!({
        "Conditions": {
            "ByRef": { "Fn::Equals": [{ "Ref": "Q" }, "x"] },
            "ByGetAtt": { "Fn::Equals": [{ "Fn::GetAtt": ["Q", "Arn"] }, "x"] },
            "ByImport": { "Fn::Equals": [{ "Fn::ImportValue": "Other-Q" }, "x"] }
        },
        "Resources": { "Q": { "Type": "AWS::SQS::Queue" } }
    }));
    assert_eq!(
        found,
        [
            "S: Conditions.ByRef.Fn::Equals[0].Ref: reads resource `Q` inside Conditions",
            "S: Conditions.ByGetAtt.Fn::Equals[0].Fn::GetAtt: reads resource `Q` inside Conditions",
            "S: Conditions.ByImport.Fn::Equals[0].Fn::ImportValue: reads an import inside Conditions",
            "S: Conditions.ByImport.Fn::Equals[0].Fn::ImportValue: imports `Other-Q`, which no stack of this build exports",
        ]
    );
}

fn exporter() -> Value {
    json!({
        "Resources": { "Vpc": { "Type": "AWS::EC2::VPC" } },
        "Outputs": {
            "ExportVpc": { "Value": { "Ref": "Vpc" }, "Export": { "Name": "Network-Vpc" } },
            "ExportId": { "Value": { "Ref": "Vpc" }, "Export": { "Name": { "Fn::Sub": "${AWS::StackName}-Id" } } }
        }
    })
}

fn importer(name: &str) -> Value {
    json!({ "Resources": { "G": { "Type": "AWS::EC2::SecurityGroup", "Properties": { "VpcId": { "Fn::ImportValue": name } } } } })
}

#[test]
fn imports_of_exports_of_the_build() {
    let none = ExternalImports::default();
    for name in ["Network-Vpc", "Network-Id"] {
        let found = build_problems(&[("Network", exporter(), &[]), ("App", importer(name), &["Network"])], &none);
        assert_eq!(found, Vec::<String>::new(), "{name}");
    }
}

#[test]
fn import_of_a_name_no_stack_exports() {
    let found = build_problems(
        &[("Network", exporter(), &[]), ("App", importer("Network-Subnet"), &["Network"])],
        &Default::default(),
    );
    assert_eq!(
        found,
        ["App: Resources.G.Properties.VpcId.Fn::ImportValue: imports `Network-Subnet`, which no stack of this build exports"]
    );
}

#[test]
fn import_from_a_stack_that_does_not_deploy_first() {
    let found =
        build_problems(&[("Network", exporter(), &[]), ("App", importer("Network-Vpc"), &[])], &Default::default());
    assert_eq!(
        found,
        ["App: Resources.G.Properties.VpcId.Fn::ImportValue: imports `Network-Vpc` from Network, which is not among the stacks it depends on"]
    );
}

#[test]
fn import_of_its_own_export() {
    let mut template = exporter();
    template["Resources"]["G"] = importer("Network-Vpc")["Resources"]["G"].clone();
    let found = build_problems(&[("Network", template, &[])], &Default::default());
    assert_eq!(
        found,
        ["Network: Resources.G.Properties.VpcId.Fn::ImportValue: imports `Network-Vpc`, which this stack exports itself"]
    );
}

#[test]
fn imports_the_program_names_itself_may_leave_the_build() {
    let mut external = ExternalImports::default();
    external.literal.insert("shared-ami-id".to_string());
    assert_eq!(build_problems(&[("App", importer("shared-ami-id"), &[])], &external), Vec::<String>::new());

    let computed = json!({ "Fn::Sub": "${Stage}-vpc" });
    let template = json!({
        "Parameters": { "Stage": { "Type": "String" } },
        "Resources": { "G": { "Type": "AWS::EC2::SecurityGroup", "Properties": { "VpcId": { "Fn::ImportValue": computed } } } }
    });
    let found = build_problems(&[("App", template.clone(), &[])], &ExternalImports::default());
    assert_eq!(
        found,
        [
            r#"App: Resources.G.Properties.VpcId.Fn::ImportValue: imports a name that is not a constant: {"Fn::Sub":"${Stage}-vpc"}"#
        ]
    );
    let external = ExternalImports { computed: true, ..Default::default() };
    assert_eq!(build_problems(&[("App", template, &[])], &external), Vec::<String>::new());
}

#[test]
fn two_stacks_export_one_name() {
    let found = build_problems(&[("Network", exporter(), &[]), ("Other", exporter(), &[])], &Default::default());
    assert_eq!(
        found,
        ["Other: Outputs.ExportVpc.Export.Name: exports `Network-Vpc`, which Network exports too (Outputs.ExportVpc.Export.Name)"]
    );
}
