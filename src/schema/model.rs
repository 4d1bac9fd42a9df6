//! The typed view of one CloudFormation resource type, as the checker and `infrac explain` use it.
//!
//! Everything here is plain owned data built by `decode.rs`; nothing in this file knows the
//! compact on-disk format.

use std::collections::BTreeMap;

/// One CloudFormation resource type, such as `AWS::S3::Bucket`.
///
/// Property and attribute maps are ordered by name.
/// Paths (`read_only`, `create_only`, ...) are dotted property paths such as
/// `MetadataConfiguration.Destination`; `*` stands for "every item of a list"
/// (`LifecycleConfiguration.Rules.*.Transition`).
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceType {
    pub name: &'static str,
    /// The first sentence of the schema's description.
    pub description: Option<String>,
    /// The URL the schema names as its documentation or source, when it names one.
    pub source_url: Option<String>,
    /// Every property the schema declares, including read-only ones (which a template cannot set).
    pub properties: BTreeMap<String, Property>,
    pub required: Vec<String>,
    pub required_alternatives: Vec<RequiredAlternatives>,
    /// "If the key is given, these must be given too."
    pub dependent_required: BTreeMap<String, Vec<String>>,
    /// "If the key is given, these must not be given."
    pub dependent_excluded: BTreeMap<String, Vec<String>>,
    /// Nested property types, referenced from shapes by `Shape::Def(name)`.
    pub definitions: BTreeMap<String, Definition>,
    /// `Fn::GetAtt` names (dotted for nested ones, e.g. `Endpoint.Address`) and their shapes.
    /// A name ending in `*` is a prefix pattern: `Outputs.*` accepts any name below `Outputs.`,
    /// and `*` alone (custom resources) accepts any name.
    pub attributes: BTreeMap<String, Shape>,
    pub ref_returns: RefReturns,
    pub tagging: Tagging,
    /// The property that carries tags (`Tags` for most types), when the type is taggable.
    pub tag_property: Option<String>,
    pub lifecycle: Option<Lifecycle>,
    /// `delete_then_create` or `create_then_delete`, when the schema says how replacement works.
    pub replacement_strategy: Option<String>,
    pub read_only: Vec<String>,
    /// Changing these replaces the resource.
    pub create_only: Vec<String>,
    /// Changing these may replace the resource, depending on other values.
    pub conditional_create_only: Vec<String>,
    /// Accepted on create and update but never returned by a read.
    pub write_only: Vec<String>,
    pub deprecated: Vec<String>,
    pub(crate) missing_regions: u64,
}

/// A nested property type of one resource type (a JSON-schema definition).
#[derive(Debug, Clone, PartialEq)]
pub struct Definition {
    pub description: Option<String>,
    pub shape: Shape,
}

/// One property of a resource or of an object shape.
///
/// `required` is relative to the object that holds the property.
/// The path flags are set from the resource's path lists; a property of a definition
/// shared by several paths carries the union of their flags, so for exact answers on
/// nested paths use [`ResourceType::read_only`] and friends.
#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    pub shape: Shape,
    pub description: Option<String>,
    pub required: bool,
    pub read_only: bool,
    pub create_only: bool,
    pub conditional_create_only: bool,
    pub write_only: bool,
    pub deprecated: bool,
}

/// The type of a value: what a property accepts or an attribute returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    String(StringShape),
    Integer {
        min: Option<i64>,
        max: Option<i64>,
        /// When non-empty, the only accepted values.
        allowed: Vec<i64>,
    },
    Number {
        min: Option<f64>,
        max: Option<f64>,
    },
    Boolean,
    List {
        item: Box<Shape>,
        min_items: Option<u64>,
        max_items: Option<u64>,
    },
    /// An object with arbitrary keys (optionally matching `key_pattern`) and values of one shape.
    Map {
        value: Box<Shape>,
        key_pattern: Option<String>,
    },
    /// An object with declared properties, written inline in the schema.
    Object(Box<ObjectShape>),
    /// A named definition of the owning resource type; see [`ResourceType::definition`].
    Def(String),
    /// Free-form JSON: a policy document or other object that CloudFormation also accepts as
    /// a JSON string (`"type": ["object", "string"]`).
    Json,
    /// Anything at all; the schema gives no type.
    Any,
    /// Any one of these shapes.
    Union(Vec<Shape>),
}

/// A string and its constraints.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StringShape {
    /// When non-empty, the only accepted values.
    pub allowed: Vec<String>,
    /// `allowed` is compared ignoring case.
    pub case_insensitive: bool,
    /// An ECMAScript regular expression; some use lookaround that Rust regex engines reject.
    pub pattern: Option<String>,
    pub min_len: Option<u64>,
    pub max_len: Option<u64>,
    /// Semantic formats, any one of which the value may have: `AWS::IAM::Role.Arn`,
    /// `AWS::EC2::VPC.Id`, `date-time`, `json`, ...
    pub formats: Vec<String>,
    /// Properties of other resource types this value refers to, as `Type.Property`
    /// (e.g. `AWS::EC2::VPC.VpcId`).
    pub relationships: Vec<String>,
}

/// An object shape with declared properties (inline, or the body of a definition).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ObjectShape {
    pub properties: BTreeMap<String, Property>,
    pub required: Vec<String>,
    pub required_alternatives: Vec<RequiredAlternatives>,
    pub dependent_required: BTreeMap<String, Vec<String>>,
    pub dependent_excluded: BTreeMap<String, Vec<String>>,
    /// Whether properties beyond the declared ones are allowed.
    pub open: bool,
}

/// "Give one of these property sets": from `oneOf`/`anyOf` of `required` lists and from
/// cfn-lint's `requiredXor`/`requiredOr`.
///
/// An option is satisfied when all its properties are present (an empty option always is).
/// With `exactly_one`, exactly one option must be satisfied; otherwise at least one.
#[derive(Debug, Clone, PartialEq)]
pub struct RequiredAlternatives {
    pub exactly_one: bool,
    pub options: Vec<Vec<String>>,
}

/// What `Ref` on the resource returns. CloudFormation always returns a string.
#[derive(Debug, Clone, PartialEq)]
pub struct RefReturns {
    /// The primary identifier: one property name, or several for a composite key.
    pub identifier: Vec<String>,
    /// The properties whose value `Ref` returns (joined with `|` when there are several),
    /// or empty when unknown (most composite keys). This is the single primary identifier,
    /// unless the CDK's service database says otherwise (e.g. `StageName` for
    /// `AWS::ApiGateway::Stage`, `Name` for `AWS::CodeBuild::Project`).
    pub properties: Vec<String>,
    /// The shape of the returned value: the property's shape (with its format and pattern)
    /// when a single property is returned, else a plain string.
    pub shape: Shape,
}

impl RefReturns {
    /// The one property whose value `Ref` returns, when that is known.
    pub fn property(&self) -> Option<&str> {
        match self.properties.as_slice() {
            [single] => Some(single),
            _ => None,
        }
    }
}

/// How a resource type takes tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tagging {
    /// Not taggable.
    None,
    /// A list of `{ Key, Value }` objects.
    List,
    /// An object from tag key to tag value (including legacy JSON-typed `Tags`).
    Map,
    /// Something else (e.g. tags nested in `TagSpecifications`, or another key naming).
    Other,
}

/// A type that AWS is retiring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lifecycle {
    /// `sunset`, `shutdown` or `maintenance`, as the schema says.
    pub status: String,
    /// The ISO date of the status change, when given.
    pub date: Option<String>,
}

impl ResourceType {
    pub fn property(&self, name: &str) -> Option<&Property> {
        self.properties.get(name)
    }

    pub fn definition(&self, name: &str) -> Option<&Definition> {
        self.definitions.get(name)
    }

    /// Follows `Shape::Def` links to the shape they name (a dangling name resolves to `Any`).
    pub fn resolve<'a>(&'a self, shape: &'a Shape) -> &'a Shape {
        let mut shape = shape;
        // Definitions are structs or unions, never bare aliases, so one step is enough;
        // the bound only guards against a malformed file.
        for _ in 0..8 {
            match shape {
                Shape::Def(name) => match self.definitions.get(name) {
                    Some(def) => shape = &def.shape,
                    None => return &Shape::Any,
                },
                _ => return shape,
            }
        }
        &Shape::Any
    }

    /// The object behind a shape, whether inline or a named definition.
    pub fn object<'a>(&'a self, shape: &'a Shape) -> Option<&'a ObjectShape> {
        match self.resolve(shape) {
            Shape::Object(object) => Some(object),
            _ => None,
        }
    }

    /// The shape `Fn::GetAtt` on `name` returns, if the attribute exists.
    pub fn attribute(&self, name: &str) -> Option<&Shape> {
        if let Some(shape) = self.attributes.get(name) {
            return Some(shape);
        }
        self.attributes.iter().find_map(|(pattern, shape)| {
            let prefix = pattern.strip_suffix('*')?;
            (name.len() > prefix.len() && name.starts_with(prefix)).then_some(shape)
        })
    }

    pub fn is_taggable(&self) -> bool {
        self.tagging != Tagging::None
    }

    /// Whether the type exists in `region`; false for a region not in [`super::regions`].
    pub fn available_in(&self, region: &str) -> bool {
        match super::regions().iter().position(|r| *r == region) {
            Some(bit) => self.missing_regions & (1 << bit) == 0,
            None => false,
        }
    }

    /// The known regions where the type does not exist, in the order of [`super::regions`].
    pub fn unavailable_regions(&self) -> impl Iterator<Item = &'static str> + '_ {
        super::regions()
            .iter()
            .enumerate()
            .filter(|(bit, _)| self.missing_regions & (1 << bit) != 0)
            .map(|(_, region)| *region)
    }

    /// The CloudFormation template reference page for this type (AWS types only).
    pub fn docs_url(&self) -> Option<String> {
        reference_page(self.name, None)
    }

    /// The template reference page for one of this type's definitions (AWS types only).
    pub fn definition_docs_url(&self, definition: &str) -> Option<String> {
        reference_page(self.name, Some(definition))
    }
}

/// `AWS::S3::Bucket` -> `.../aws-resource-s3-bucket.html`;
/// with `VersioningConfiguration` -> `.../aws-properties-s3-bucket-versioningconfiguration.html`.
/// The docs name pages after the type, so this is a convention, not data from the schema.
fn reference_page(type_name: &str, definition: Option<&str>) -> Option<String> {
    // A resource attribute's shape (`AWS::Lambda::Alias.UpdatePolicy`, cfn-init's parts) has no page of its own.
    if type_name.contains('.') || (definition.is_some() && type_name == super::attributes::CFN_INIT) {
        return None;
    }
    let mut parts = type_name.split("::");
    let (Some("AWS"), Some(service), Some(resource), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return None;
    };
    let stem = format!("{service}-{resource}").to_ascii_lowercase();
    let page = match definition {
        None => format!("aws-resource-{stem}"),
        Some(def) => format!("aws-properties-{stem}-{}", def.to_ascii_lowercase()),
    };
    Some(format!("https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/{page}.html"))
}

impl RequiredAlternatives {
    /// Whether the properties for which `present` is true satisfy this group.
    pub fn is_satisfied_by(&self, present: impl Fn(&str) -> bool) -> bool {
        let satisfied = self.options.iter().filter(|option| option.iter().all(|name| present(name))).count();
        if self.exactly_one {
            satisfied == 1
        } else {
            satisfied >= 1
        }
    }
}
