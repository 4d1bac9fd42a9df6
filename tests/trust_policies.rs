//! Trust policies that a construct writes as JSON text, because their
//! condition keys are known only at deploy time (`eks.ServiceAccountRole`
//! with IRSA), are the IAM documents they mean once CloudFormation fills in
//! the deploy-time parts: the text is checked here as JSON, with the
//! intrinsics it uses evaluated against made-up deployed values.

mod support;

use serde_json::{json, Value as Json};
use support::program;

const ISSUER: &str = "https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF";
const PROVIDER_ARN: &str =
    "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF";

/// The value of `value` once deployed, for the intrinsics the trust policy
/// uses; `Ref` and `Fn::GetAtt` answer from `deployed`.
fn evaluate(value: &Json, deployed: &dyn Fn(&str) -> String) -> Json {
    let Some((function, args)) = value.as_object().and_then(|m| m.iter().next()) else {
        return value.clone();
    };
    match function.as_str() {
        "Ref" => Json::String(deployed(args.as_str().unwrap())),
        "Fn::GetAtt" => Json::String(deployed(&format!("{}.{}", args[0].as_str().unwrap(), args[1].as_str().unwrap()))),
        "Fn::Split" => {
            let text = evaluate(&args[1], deployed);
            let parts = text.as_str().unwrap().split(args[0].as_str().unwrap()).map(|p| json!(p)).collect();
            Json::Array(parts)
        }
        "Fn::Select" => {
            let list = evaluate(&args[1], deployed);
            list[args[0].as_u64().unwrap() as usize].clone()
        }
        "Fn::Sub" => {
            let (text, variables) = match args {
                Json::String(text) => (text.as_str(), Json::Null),
                _ => (args[0].as_str().unwrap(), args[1].clone()),
            };
            let mut out = String::new();
            let mut rest = text;
            while let Some(start) = rest.find("${") {
                out.push_str(&rest[..start]);
                let end = rest[start..].find('}').unwrap() + start;
                let name = &rest[start + 2..end];
                match &variables[name] {
                    Json::Null => out.push_str(&deployed(name)),
                    variable => out.push_str(evaluate(variable, deployed).as_str().unwrap()),
                }
                rest = &rest[end + 1..];
            }
            out.push_str(rest);
            Json::String(out)
        }
        other => panic!("no model of {other}"),
    }
}

#[test]
fn irsa_trust_policy_is_the_document_iam_expects() {
    let program = r#"
resource net: ec2.Vpc {}
resource k8s: eks.Cluster { vpc: net, oidc_provider: true }
resource reader: eks.ServiceAccountRole {
  cluster: k8s
  mode: "irsa"
  namespace: "shop"
  service_account: "catalogue.reader"
}
"#;
    let (sources, compilation) = program::compile_files(&[("app.infra".to_string(), program.to_string())]);
    assert!(!compilation.has_errors(), "{}", infrac::diagnostics::render::plain(&sources, &compilation.diagnostics));
    let template = &compilation.stacks[0].template;
    let document = &template["Resources"]["ReaderRoleRole"]["Properties"]["AssumeRolePolicyDocument"];
    let deployed = |name: &str| match name {
        "K8sCluster.OpenIdConnectIssuerUrl" => ISSUER.to_string(),
        "K8sOidc" => PROVIDER_ARN.to_string(),
        other => panic!("the trust policy names {other}"),
    };
    let text = evaluate(document, &deployed);
    let policy: Json = serde_json::from_str(text.as_str().expect("the policy is JSON text"))
        .unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    let issuer = ISSUER.trim_start_matches("https://");
    assert_eq!(
        policy,
        json!({
            "Version": "2012-10-17",
            "Statement": [{
                "Effect": "Allow",
                "Principal": { "Federated": PROVIDER_ARN },
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": { "StringEquals": {
                    format!("{issuer}:sub"): "system:serviceaccount:shop:catalogue.reader",
                    format!("{issuer}:aud"): "sts.amazonaws.com"
                }}
            }]
        })
    );
    // The provider trusts the audience the condition asks for.
    let provider = &template["Resources"]["K8sOidc"]["Properties"];
    assert_eq!(provider["ClientIdList"], json!(["sts.amazonaws.com"]));
    assert_eq!(provider["Url"], json!({ "Fn::GetAtt": ["K8sCluster", "OpenIdConnectIssuerUrl"] }));
}
