use super::*;

fn ty(name: &str) -> &'static ResourceType {
    resource_type(name).unwrap_or_else(|| panic!("{name} is missing from the embedded spec"))
}

fn string_shape(shape: &Shape) -> &StringShape {
    match shape {
        Shape::String(s) => s,
        other => panic!("expected a string, got {other:?}"),
    }
}

#[test]
fn metadata_identifies_the_snapshot() {
    assert_eq!(source_version(), "1.58.0");
    assert!(schema_date().starts_with("20"), "{}", schema_date());
    assert!(regions().contains(&"us-east-1"));
    assert!(regions().windows(2).all(|w| w[0] < w[1]), "regions are sorted");
}

#[test]
fn type_names_are_many_and_sorted() {
    let names: Vec<&str> = type_names().collect();
    assert!(names.len() > 1800, "{} types", names.len());
    assert!(names.windows(2).all(|w| w[0] < w[1]));
    assert!(names.contains(&"AWS::S3::Bucket"));
}

#[test]
fn the_index_tiles_the_names_and_the_frames() {
    // No name or frame overlaps another or leaves bytes unread, so a type only ever decodes its own.
    let (mut names_end, mut frames_end) = (0, 0);
    for entry in &TYPES {
        assert_eq!(entry.name.start, names_end, "{} does not start where the previous name ends", entry.name());
        assert_eq!(entry.frame.start, frames_end, "{} does not start where the previous frame ends", entry.name());
        assert!(!entry.name().is_empty() && !entry.frame().is_empty());
        (names_end, frames_end) = (entry.name.end, entry.frame.end);
    }
    assert_eq!(names_end as usize, TYPE_NAMES.len());
    assert_eq!(frames_end as usize, FRAMES.len());
}

#[test]
fn every_indexed_type_decodes_from_its_own_frame() {
    for (at, entry) in TYPES.iter().enumerate() {
        let name = entry.name();
        let json = decompress(entry.frame()).unwrap_or_else(|err| panic!("{name}: {err}"));
        let resource = resource_type(name).unwrap_or_else(|| panic!("{name} is listed but not found"));
        assert_eq!(resource.name, name);
        // The look-up caches the decoding of this type's frame in this type's slot.
        assert_eq!(resource, &decode::resource_type(name, &json), "{name}");
        assert!(std::ptr::eq(resource, &**DECODED[at].get().unwrap()), "{name} is cached in another slot");
    }
}

#[test]
fn a_frame_decodes_only_whole() {
    let frame = TYPES.iter().find(|entry| entry.name() == "AWS::SQS::Queue").unwrap().frame();
    assert!(decompress(&frame[..frame.len() - 1]).is_err(), "a truncated frame is an error");
    let mut two = frame.to_vec();
    two.extend_from_slice(frame);
    assert!(decompress(&two).is_err(), "trailing bytes are an error");
    // The decoder is shared, so a failed frame must not spoil the next one.
    assert!(decompress(frame).unwrap().starts_with('{'));
}

#[test]
fn unknown_type_is_none() {
    assert!(resource_type("AWS::S3::Buckett").is_none());
    assert!(resource_type("aws::s3::bucket").is_none());
    assert!(resource_type("AWS::S3").is_none());
    assert!(resource_type("AWS::S3::Bucket.VersioningConfiguration").is_none());
    assert!(resource_type("AAA::Before::Everything").is_none());
    assert!(resource_type("ZZZ::After::Everything").is_none());
    assert!(resource_type("").is_none());
    assert!(describe_type("AWS::Nope::Nope").is_none());
    assert!(describe_definition("AWS::S3::Bucket.NoSuchThing").is_none());
}

#[test]
fn s3_bucket() {
    let bucket = ty("AWS::S3::Bucket");
    assert_eq!(bucket.name, "AWS::S3::Bucket");

    let name = bucket.property("BucketName").unwrap();
    let name_shape = string_shape(&name.shape);
    assert_eq!(name_shape.max_len, Some(63));
    assert_eq!(name_shape.formats, ["AWS::S3::Bucket.Name"]);
    assert!(name.create_only);
    assert!(!name.required);

    let versioning = bucket.property("VersioningConfiguration").unwrap();
    assert_eq!(versioning.shape, Shape::Def("VersioningConfiguration".into()));
    let object = bucket.object(&versioning.shape).unwrap();
    assert_eq!(object.required, ["Status"]);
    let status = &object.properties["Status"];
    assert!(status.required);
    assert_eq!(string_shape(&status.shape).allowed, ["Enabled", "Suspended"]);

    assert!(bucket.attribute("Arn").is_some());
    assert!(bucket.attribute("DomainName").is_some());
    assert!(bucket.attribute("Nope").is_none());
    assert!(bucket.property("Arn").unwrap().read_only);

    assert_eq!(bucket.tagging, Tagging::List);
    assert_eq!(bucket.tag_property.as_deref(), Some("Tags"));
    assert_eq!(bucket.ref_returns.property(), Some("BucketName"));
    assert!(bucket.available_in("us-east-1"));
    assert!(!bucket.available_in("mars-north-1"));
}

#[test]
fn nested_path_flags_reach_definitions() {
    let bucket = ty("AWS::S3::Bucket");
    assert!(bucket.write_only.iter().any(|p| p == "LifecycleConfiguration.Rules.*.Transition"));
    let rule = bucket.object(&bucket.definition("Rule").unwrap().shape).unwrap();
    assert!(rule.properties["Transition"].write_only);
}

#[test]
fn ecs_service() {
    let service = ty("AWS::ECS::Service");
    let launch = string_shape(&service.property("LaunchType").unwrap().shape);
    for value in ["EC2", "FARGATE", "EXTERNAL"] {
        assert!(launch.allowed.iter().any(|v| v == value), "{value}");
    }
    assert!(service.property("LaunchType").unwrap().conditional_create_only);
    assert!(service.attribute("ServiceArn").is_some());
    assert!(service.attribute("Name").is_some());
    // A composite primary identifier, and the CDK's table says which part Ref returns.
    assert_eq!(service.ref_returns.identifier, ["ServiceArn", "Cluster"]);
    assert_eq!(service.ref_returns.property(), Some("ServiceArn"));
}

#[test]
fn ref_returns() {
    let stage = ty("AWS::ApiGateway::Stage");
    assert_eq!(stage.ref_returns.property(), Some("StageName"));
    let rule = ty("AWS::Events::Rule");
    assert_eq!(rule.ref_returns.properties, ["EventBusName", "Name"]);
    assert_eq!(rule.ref_returns.property(), None);
    let vpc = ty("AWS::EC2::VPC");
    let id = string_shape(&vpc.ref_returns.shape);
    assert_eq!(id.formats, ["AWS::EC2::VPC.Id"]);
    // Composite keys the table does not cover stay unknown.
    let unknown = type_names()
        .map(ty)
        .filter(|t| t.ref_returns.identifier.len() > 1 && t.ref_returns.properties.is_empty())
        .count();
    assert!(unknown > 100, "{unknown}");
}

#[test]
fn rds_instance_has_nested_attributes() {
    let instance = ty("AWS::RDS::DBInstance");
    assert!(matches!(instance.attribute("Endpoint.Address"), Some(Shape::String(_))));
    assert!(instance.attribute("Endpoint.Port").is_some());
}

#[test]
fn tag_shapes() {
    assert_eq!(ty("AWS::SNS::Topic").tagging, Tagging::List);
    let parameter = ty("AWS::SSM::Parameter");
    assert_eq!(parameter.tagging, Tagging::Map);
    assert!(matches!(parameter.property("Tags").unwrap().shape, Shape::Map { .. }));
    let instance_profile = ty("AWS::IAM::InstanceProfile");
    assert_eq!(instance_profile.tagging, Tagging::None);
    assert!(!instance_profile.is_taggable());
}

#[test]
fn iam_policy_documents_are_json() {
    let role = ty("AWS::IAM::Role");
    assert_eq!(role.property("AssumeRolePolicyDocument").unwrap().shape, Shape::Json);
    assert!(role.required.iter().any(|r| r == "AssumeRolePolicyDocument"));
}

#[test]
fn required_alternatives() {
    let subnet = ty("AWS::EC2::Subnet");
    let group = subnet
        .required_alternatives
        .iter()
        .find(|g| g.options.iter().any(|o| o == &["CidrBlock"]))
        .expect("Subnet needs one of its CIDR sources");
    assert!(!group.exactly_one);
    assert!(group.is_satisfied_by(|p| p == "CidrBlock"));
    assert!(!group.is_satisfied_by(|_| false));

    let scaling_group = ty("AWS::AutoScaling::AutoScalingGroup");
    let xor = &scaling_group.required_alternatives[0];
    assert!(xor.exactly_one);
    assert!(xor.is_satisfied_by(|p| p == "LaunchTemplate"));
    assert!(!xor.is_satisfied_by(|p| p == "LaunchTemplate" || p == "InstanceId"));
}

#[test]
fn stack_outputs_are_a_pattern() {
    let stack = ty("AWS::CloudFormation::Stack");
    assert!(stack.attribute("Outputs.BucketName").is_some());
    assert!(stack.attribute("Outputs.").is_none());
    let custom = ty("AWS::CloudFormation::CustomResource");
    assert!(custom.attribute("AnythingTheHandlerReturns").is_some());
}

#[test]
fn region_availability() {
    let project = ty("AWS::DeviceFarm::Project");
    assert!(project.available_in("us-west-2"));
    assert!(!project.available_in("us-east-1"));
    assert!(project.unavailable_regions().any(|r| r == "eu-west-1"));
}

#[test]
fn describe_type_has_every_section() {
    let page = describe_type("AWS::S3::Bucket").unwrap();
    for needle in [
        "AWS::S3::Bucket\n",
        "Docs: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-s3-bucket.html",
        "Properties (* = required):",
        "  BucketName: string, length at most 63, format AWS::S3::Bucket.Name",
        "  VersioningConfiguration: VersioningConfiguration",
        "Attributes (Fn::GetAtt):",
        "  Arn: string",
        "Ref returns: BucketName (string",
        "Tags: Tags, a list of { Key, Value }",
        "Regions: ",
        "Definitions (explain AWS::S3::Bucket.NAME for one): ",
    ] {
        assert!(page.contains(needle), "missing {needle:?} in:\n{page}");
    }
    assert!(!page.contains("  Arn: string\n      "), "read-only Arn is an attribute, not a property");

    let service = describe_type("AWS::ECS::Service").unwrap();
    assert!(service.contains("  Cluster: string"), "{service}");
    assert!(service.contains("Ref returns: ServiceArn (string"), "{service}");
    let log_stream = describe_type("AWS::Logs::SubscriptionFilter").unwrap();
    assert!(log_stream.contains("Ref returns: FilterName"), "{log_stream}");
    let permission = describe_type("AWS::Lambda::Permission").unwrap();
    assert!(permission.contains("primary identifier: FunctionName, Id"), "{permission}");
}

#[test]
fn describe_definition_and_property() {
    let def = describe_definition("AWS::S3::Bucket.VersioningConfiguration").unwrap();
    assert!(def.starts_with("AWS::S3::Bucket.VersioningConfiguration\n"), "{def}");
    assert!(def.contains("  Status*: string, one of: Enabled, Suspended"), "{def}");
    assert!(def.contains("aws-properties-s3-bucket-versioningconfiguration.html"), "{def}");

    let status = describe_definition("AWS::S3::Bucket.VersioningConfiguration.Status").unwrap();
    assert!(status.contains("Type: string"), "{status}");
    assert!(status.contains("Required: yes"), "{status}");
    assert!(status.contains("one of: Enabled, Suspended"), "{status}");

    let rules = describe_definition("AWS::S3::Bucket.LifecycleConfiguration.Rules").unwrap();
    assert!(rules.contains("Type: list of Rule"), "{rules}");
    assert!(rules.contains("Properties of Rule (* = required):"), "{rules}");

    let address = describe_definition("AWS::RDS::DBInstance.Endpoint.Address").unwrap();
    assert!(address.contains("Type: string"), "{address}");
}

/// Every entry decodes, and every `Shape::Def` names a definition of its own type.
#[test]
fn every_type_decodes_with_resolvable_definitions() {
    fn check(resource: &ResourceType, shape: &Shape) {
        match shape {
            Shape::Def(name) => {
                assert!(resource.definition(name).is_some(), "{}: dangling definition {name}", resource.name)
            }
            Shape::List { item, .. } => check(resource, item),
            Shape::Map { value, .. } => check(resource, value),
            Shape::Object(object) => object.properties.values().for_each(|p| check(resource, &p.shape)),
            Shape::Union(members) => members.iter().for_each(|m| check(resource, m)),
            _ => {}
        }
    }
    for name in type_names() {
        let resource = ty(name);
        resource.properties.values().for_each(|p| check(resource, &p.shape));
        resource.definitions.values().for_each(|d| check(resource, &d.shape));
        resource.attributes.values().for_each(|s| check(resource, s));
        assert!(describe_type(name).is_some());
    }
}
