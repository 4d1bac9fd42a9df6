//! The AWS SAM resource types (`AWS::Serverless::Function`, ...): the
//! `AWS::Serverless-2016-10-31` transform expands them into CloudFormation
//! resources when the stack deploys. infrac has no schema for them (the
//! resource data it embeds is CloudFormation's), so their properties are
//! passed through unchecked, with a warning, and a stack that declares one
//! names the transform.

/// The transform that expands SAM resources.
pub const SERVERLESS_TRANSFORM: &str = "AWS::Serverless-2016-10-31";

/// The transforms a template may name (`@transform`): SAM, the language
/// extensions, CodeDeploy blue/green deployments for ECS, and Secrets
/// Manager rotation.
pub const TRANSFORMS: &[&str] =
    &["AWS::CodeDeployBlueGreen", LANGUAGE_EXTENSIONS, "AWS::SecretsManager-2020-07-23", SERVERLESS_TRANSFORM];

/// The transform that resolves intrinsics where CloudFormation takes none
/// (a `DeletionPolicy` computed at deploy time, `Fn::ForEach`, ...).
pub const LANGUAGE_EXTENSIONS: &str = "AWS::LanguageExtensions";

/// The resource types the SAM transform defines.
pub const TYPES: &[&str] = &[
    "AWS::Serverless::Api",
    "AWS::Serverless::Application",
    "AWS::Serverless::CapacityProvider",
    "AWS::Serverless::Connector",
    "AWS::Serverless::Function",
    "AWS::Serverless::GraphQLApi",
    "AWS::Serverless::HttpApi",
    "AWS::Serverless::LayerVersion",
    "AWS::Serverless::SimpleTable",
    "AWS::Serverless::StateMachine",
];

/// Whether `name` is a SAM resource type.
pub fn is_sam_type(name: &str) -> bool {
    TYPES.contains(&name)
}
