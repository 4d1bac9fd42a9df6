//! Following a property path (`VersioningConfiguration`, `Rules[*].Transition`)
//! down a CloudFormation resource type's schema, and describing what is
//! found there for people.

use std::collections::BTreeMap;

use super::context::Segment;
use crate::schema::{Property, ResourceType, Shape};

/// An object's declared properties and which of them are required.
pub(super) struct ObjectAt<'s> {
    pub properties: &'s BTreeMap<String, Property>,
    pub required: &'s [String],
}

/// Where a path leads: the resource's own properties, or a shape.
enum Step<'s> {
    Root,
    Shape(&'s Shape),
}

fn follow<'s>(rt: &'s ResourceType, path: &[Segment]) -> Option<Step<'s>> {
    let mut at = Step::Root;
    for segment in path {
        at = match (at, segment) {
            (Step::Root, Segment::Key(key)) => Step::Shape(&rt.property(key)?.shape),
            (Step::Root, Segment::Item) => return None,
            (Step::Shape(shape), segment) => Step::Shape(step(rt, shape, segment)?),
        };
    }
    Some(at)
}

fn step<'s>(rt: &'s ResourceType, shape: &'s Shape, segment: &Segment) -> Option<&'s Shape> {
    match (rt.resolve(shape), segment) {
        (Shape::Object(object), Segment::Key(key)) => Some(&object.properties.get(key)?.shape),
        (Shape::Map { value, .. }, Segment::Key(_)) => Some(value),
        (Shape::List { item, .. }, Segment::Item) => Some(item),
        // A union: the first member that has the step.
        (Shape::Union(members), segment) => members.iter().find_map(|m| step(rt, m, segment)),
        _ => None,
    }
}

/// The object whose keys are written at `path`.
pub(super) fn object_at<'s>(rt: &'s ResourceType, path: &[Segment]) -> Option<ObjectAt<'s>> {
    match follow(rt, path)? {
        Step::Root => Some(ObjectAt { properties: &rt.properties, required: &rt.required }),
        Step::Shape(shape) => object_of(rt, shape),
    }
}

fn object_of<'s>(rt: &'s ResourceType, shape: &'s Shape) -> Option<ObjectAt<'s>> {
    match rt.resolve(shape) {
        Shape::Object(object) => Some(ObjectAt { properties: &object.properties, required: &object.required }),
        Shape::Union(members) => members.iter().find_map(|m| object_of(rt, m)),
        _ => None,
    }
}

/// The shape of the value at `path` (which ends in a key or an item).
pub(super) fn shape_at<'s>(rt: &'s ResourceType, path: &[Segment]) -> Option<&'s Shape> {
    match follow(rt, path)? {
        Step::Root => None,
        Step::Shape(shape) => Some(rt.resolve(shape)),
    }
}

/// A shape in a few words: `string`, `list of Rule`, `map of string`.
pub(super) fn shape_words(rt: &ResourceType, shape: &Shape) -> String {
    match shape {
        Shape::String(_) => "string".into(),
        Shape::Integer { .. } => "integer".into(),
        Shape::Number { .. } => "number".into(),
        Shape::Boolean => "boolean".into(),
        Shape::List { item, .. } => format!("list of {}", shape_words(rt, item)),
        Shape::Map { value, .. } => format!("map of {}", shape_words(rt, value)),
        Shape::Object(_) => "object".into(),
        Shape::Def(name) => match rt.resolve(shape) {
            Shape::Object(_) => name.clone(),
            resolved => shape_words(rt, resolved),
        },
        Shape::Json => "JSON (object or string)".into(),
        Shape::Any => "any value".into(),
        Shape::Union(members) => {
            let words: Vec<String> = members.iter().map(|m| shape_words(rt, m)).collect();
            words.join(" or ")
        }
    }
}

/// The values a shape allows, quoted as they are written in infra.
pub(super) fn allowed_values(rt: &ResourceType, shape: &Shape) -> Vec<String> {
    match rt.resolve(shape) {
        Shape::String(string) => string.allowed.iter().map(|v| format!("\"{v}\"")).collect(),
        Shape::Integer { allowed, .. } => allowed.iter().map(i64::to_string).collect(),
        Shape::Boolean => vec!["true".into(), "false".into()],
        Shape::Union(members) => members.iter().flat_map(|m| allowed_values(rt, m)).collect(),
        _ => Vec::new(),
    }
}

/// A property's documentation, in Markdown: type, whether it is required,
/// what it allows, whether changing it replaces the resource.
pub(super) fn property_doc(rt: &ResourceType, name: &str, property: &Property, required: bool) -> String {
    let mut out = format!("**{name}**: `{}`", shape_words(rt, &property.shape));
    if required {
        out.push_str(" (required)");
    }
    out.push_str("\n\n");
    if let Some(description) = &property.description {
        out.push_str(description.trim());
        out.push_str("\n\n");
    }
    let allowed = allowed_values(rt, &property.shape);
    if !allowed.is_empty() && !matches!(rt.resolve(&property.shape), Shape::Boolean) {
        out.push_str(&format!("Allowed values: {}\n\n", allowed.join(", ")));
    }
    if property.create_only {
        out.push_str("Create-only: changing this replaces the resource.\n\n");
    } else if property.conditional_create_only {
        out.push_str("Changing this may replace the resource.\n\n");
    }
    if property.read_only {
        out.push_str("Read-only: CloudFormation sets it; a template cannot.\n\n");
    }
    if property.deprecated {
        out.push_str("Deprecated.\n\n");
    }
    if let Some(url) = rt.docs_url() {
        out.push_str(&format!("[{} reference]({url})", rt.name));
    }
    out.trim_end().to_string()
}

/// A resource type's documentation, in Markdown.
pub(super) fn type_doc(rt: &ResourceType) -> String {
    let mut out = format!("**{}**\n\n", rt.name);
    if let Some(description) = &rt.description {
        out.push_str(description.trim());
        out.push_str("\n\n");
    }
    if !rt.required.is_empty() {
        let required: Vec<String> = rt.required.iter().map(|r| format!("`{r}`")).collect();
        out.push_str(&format!("Required properties: {}\n\n", required.join(", ")));
    }
    let attributes: Vec<String> = rt.attributes.keys().map(|a| format!("`{a}`")).collect();
    if !attributes.is_empty() {
        out.push_str(&format!("Attributes: {}\n\n", attributes.join(", ")));
    }
    if let Some(url) = rt.docs_url() {
        out.push_str(&format!("[Reference]({url})"));
    }
    out.trim_end().to_string()
}
