//! The plain-text pages that `infrac explain` prints for a resource type, a definition or a
//! property. They are built only from the typed model, so they show what the checker sees.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::model::{Property, RequiredAlternatives, ResourceType, Shape, StringShape, Tagging};

/// Allowed values shown in a property list before the rest are counted instead of listed.
const LISTED_VALUES: usize = 10;

/// The page for one resource type, or `None` if there is no such type.
///
/// Sections: description, docs and source URLs, lifecycle, settable properties (with type,
/// constraints, required marker, flags and description), required alternatives and
/// dependencies, `Fn::GetAtt` attributes, what `Ref` returns, tagging, deprecated paths,
/// region availability, and the names of nested definitions.
pub fn describe_type(name: &str) -> Option<String> {
    let Some(resource) = super::resource_type(name) else {
        return match super::attributes::named(name)? {
            (shape, None) => Some(attribute_page(shape)),
            (_, Some(_)) => None,
        };
    };
    let mut out = String::new();
    writeln!(out, "{}", resource.name).unwrap();
    if let Some(description) = &resource.description {
        writeln!(out, "{description}").unwrap();
    }
    writeln!(out).unwrap();
    if let Some(url) = resource.docs_url() {
        writeln!(out, "Docs: {url}").unwrap();
    }
    if let Some(url) = &resource.source_url {
        writeln!(out, "Source: {url}").unwrap();
    }
    if let Some(lifecycle) = &resource.lifecycle {
        match &lifecycle.date {
            Some(date) => writeln!(out, "Lifecycle: {} ({date})", lifecycle.status).unwrap(),
            None => writeln!(out, "Lifecycle: {}", lifecycle.status).unwrap(),
        }
    }

    writeln!(out, "\nProperties (* = required):").unwrap();
    let settable = write_properties(&mut out, resource, &resource.properties, true);
    if settable == 0 {
        writeln!(out, "  (none)").unwrap();
    }
    write_rules(&mut out, &resource.required_alternatives, &resource.dependent_required, &resource.dependent_excluded);

    writeln!(out, "\nAttributes (Fn::GetAtt):").unwrap();
    if resource.attributes.is_empty() {
        writeln!(out, "  (none)").unwrap();
    }
    for (name, shape) in &resource.attributes {
        writeln!(out, "  {name}: {}", summary(resource, shape)).unwrap();
    }

    writeln!(out, "\nRef returns: {}", ref_summary(resource)).unwrap();
    writeln!(out, "Tags: {}", tagging_summary(resource)).unwrap();
    if !resource.deprecated.is_empty() {
        let paths: Vec<&str> = resource.deprecated.iter().map(String::as_str).collect();
        write_wrapped(&mut out, "Deprecated:", &paths);
    }
    writeln!(out, "Regions: {}", regions_summary(resource)).unwrap();
    if !resource.definitions.is_empty() {
        let names: Vec<&str> = resource.definitions.keys().map(String::as_str).collect();
        let heading = format!("\nDefinitions (explain {}.NAME for one):", resource.name);
        write_wrapped(&mut out, &heading, &names);
    }
    Some(out)
}

/// The page for a definition or property path such as `AWS::S3::Bucket.VersioningConfiguration`
/// or `AWS::S3::Bucket.VersioningConfiguration.Status`, or `None` if the path leads nowhere.
///
/// The first segment after the type may name a definition or a top-level property; each
/// later segment names a property of the object reached so far, looking through lists and
/// maps to their items.
pub fn describe_definition(path: &str) -> Option<String> {
    let (resource, rest) = match super::attributes::named(path) {
        Some((shape, None)) => return Some(attribute_page(shape)),
        Some((shape, Some(rest))) => (shape, rest),
        None => {
            let (type_name, rest) = path.split_once('.')?;
            (super::resource_type(type_name)?, rest)
        }
    };
    let segments: Vec<&str> = rest.split('.').collect();

    let mut property: Option<&Property> = None;
    let mut shape: &Shape = match resource.definition(segments[0]) {
        Some(def) => {
            if segments.len() == 1 {
                return Some(definition_page(resource, segments[0]));
            }
            &def.shape
        }
        None => {
            let top = resource.property(segments[0])?;
            property = Some(top);
            &top.shape
        }
    };
    for segment in &segments[1..] {
        let object = resource.object(element(resource, shape))?;
        let next = object.properties.get(*segment)?;
        property = Some(next);
        shape = &next.shape;
    }
    Some(property_page(resource, path, property?))
}

/// The page for a resource attribute's shape (`AWS::Lambda::Alias.UpdatePolicy`,
/// `AWS::CloudFormation::Init`): what it is, its properties and definitions.
fn attribute_page(shape: &ResourceType) -> String {
    let mut out = String::new();
    writeln!(out, "{}", shape.name).unwrap();
    if let Some(description) = &shape.description {
        writeln!(out, "{description}").unwrap();
    }
    writeln!(out, "\nProperties (* = required):").unwrap();
    write_properties(&mut out, shape, &shape.properties, true);
    write_rules(&mut out, &shape.required_alternatives, &shape.dependent_required, &shape.dependent_excluded);
    if !shape.definitions.is_empty() {
        let names: Vec<&str> = shape.definitions.keys().map(String::as_str).collect();
        let heading = format!("\nDefinitions (explain {}.NAME for one):", shape.name);
        write_wrapped(&mut out, &heading, &names);
    }
    out
}

fn definition_page(resource: &ResourceType, name: &str) -> String {
    let def = &resource.definitions[name];
    let mut out = String::new();
    writeln!(out, "{}.{name}", resource.name).unwrap();
    if let Some(description) = &def.description {
        writeln!(out, "{description}").unwrap();
    }
    writeln!(out).unwrap();
    if let Some(url) = resource.definition_docs_url(name) {
        writeln!(out, "Docs: {url}").unwrap();
    }
    write_shape_body(&mut out, resource, &def.shape);
    out
}

fn property_page(resource: &ResourceType, path: &str, property: &Property) -> String {
    let mut out = String::new();
    writeln!(out, "{path}").unwrap();
    let description = property.description.as_ref().or_else(|| match &property.shape {
        Shape::Def(name) => resource.definition(name)?.description.as_ref(),
        _ => None,
    });
    if let Some(description) = description {
        writeln!(out, "{description}").unwrap();
    }
    writeln!(out).unwrap();
    writeln!(out, "Type: {}", type_label(&property.shape)).unwrap();
    writeln!(out, "Required: {}", if property.required { "yes" } else { "no" }).unwrap();
    for flag in flags(property) {
        writeln!(out, "Flag: {flag} ({})", flag_meaning(flag)).unwrap();
    }
    for line in constraints(&property.shape, usize::MAX, true) {
        writeln!(out, "{line}").unwrap();
    }
    let item = element(resource, &property.shape);
    if !std::ptr::eq(item, &property.shape) {
        for line in constraints(item, usize::MAX, true) {
            writeln!(out, "Each item: {line}").unwrap();
        }
    }
    write_shape_body(&mut out, resource, item);
    out
}

/// Lists the properties and rules of an object shape, or the members of a union.
fn write_shape_body(out: &mut String, resource: &ResourceType, shape: &Shape) {
    let label = match shape {
        Shape::Def(name) => Some(name.as_str()),
        _ => None,
    };
    match resource.resolve(shape) {
        Shape::Object(object) => {
            match label {
                Some(name) => writeln!(out, "\nProperties of {name} (* = required):").unwrap(),
                None => writeln!(out, "\nProperties (* = required):").unwrap(),
            }
            if write_properties(out, resource, &object.properties, false) == 0 {
                writeln!(out, "  (none)").unwrap();
            }
            write_rules(out, &object.required_alternatives, &object.dependent_required, &object.dependent_excluded);
            if object.open {
                writeln!(out, "Other properties are allowed.").unwrap();
            }
        }
        Shape::Union(members) => {
            writeln!(out, "\nOne of:").unwrap();
            for member in members {
                writeln!(out, "  {}", summary(resource, member)).unwrap();
            }
        }
        _ => {}
    }
}

/// Writes one line per property (plus its description) and returns how many it wrote.
fn write_properties(
    out: &mut String,
    resource: &ResourceType,
    properties: &BTreeMap<String, Property>,
    skip_read_only: bool,
) -> usize {
    let mut written = 0;
    for (name, property) in properties {
        if skip_read_only && property.read_only {
            continue;
        }
        let marker = if property.required { "*" } else { "" };
        write!(out, "  {name}{marker}: {}", summary(resource, &property.shape)).unwrap();
        let flags = flags(property);
        if !flags.is_empty() {
            write!(out, "  [{}]", flags.join(", ")).unwrap();
        }
        writeln!(out).unwrap();
        if let Some(description) = &property.description {
            writeln!(out, "      {description}").unwrap();
        }
        written += 1;
    }
    written
}

fn write_rules(
    out: &mut String,
    alternatives: &[RequiredAlternatives],
    dependent_required: &BTreeMap<String, Vec<String>>,
    dependent_excluded: &BTreeMap<String, Vec<String>>,
) {
    for group in alternatives {
        let options: Vec<String> = group
            .options
            .iter()
            .map(|option| match option.as_slice() {
                [] => "(nothing)".to_owned(),
                names => names.join(" + "),
            })
            .collect();
        let quantifier = if group.exactly_one { "exactly one" } else { "at least one" };
        writeln!(out, "Give {quantifier} of: {}", options.join(" | ")).unwrap();
    }
    for (name, needs) in dependent_required {
        writeln!(out, "If {name} is given, also give: {}", needs.join(", ")).unwrap();
    }
    for (name, excludes) in dependent_excluded {
        writeln!(out, "If {name} is given, do not give: {}", excludes.join(", ")).unwrap();
    }
}

fn flags(property: &Property) -> Vec<&'static str> {
    let mut flags = Vec::new();
    if property.read_only {
        flags.push("read-only");
    }
    if property.create_only {
        flags.push("create-only");
    }
    if property.conditional_create_only {
        flags.push("conditionally create-only");
    }
    if property.write_only {
        flags.push("write-only");
    }
    if property.deprecated {
        flags.push("deprecated");
    }
    flags
}

/// What each flag means, for the page of a single property.
fn flag_meaning(flag: &str) -> &'static str {
    match flag {
        "read-only" => "set by AWS; a template cannot set it",
        "create-only" => "changing it replaces the resource",
        "conditionally create-only" => "changing it may replace the resource",
        "write-only" => "never returned when the resource is read",
        "deprecated" => "AWS advises against using it",
        _ => "",
    }
}

/// Appends `items` after `heading`, joined by ", " and wrapped to keep lines short.
fn write_wrapped(out: &mut String, heading: &str, items: &[&str]) {
    const WIDTH: usize = 100;
    let mut line = heading.to_owned();
    for (i, item) in items.iter().enumerate() {
        let piece = if i + 1 < items.len() { format!("{item},") } else { (*item).to_owned() };
        if line.len() + 1 + piece.len() > WIDTH && line.trim().len() > heading.trim().len() {
            writeln!(out, "{}", line.trim_end()).unwrap();
            line = "  ".to_owned();
        } else if !line.ends_with(' ') {
            line.push(' ');
        }
        line.push_str(&piece);
    }
    writeln!(out, "{line}").unwrap();
}

/// The item of a list or the value of a map (repeatedly), else the shape itself.
fn element<'a>(resource: &'a ResourceType, shape: &'a Shape) -> &'a Shape {
    match resource.resolve(shape) {
        Shape::List { item, .. } => element(resource, item),
        Shape::Map { value, .. } => element(resource, value),
        _ => shape,
    }
}

/// The type and its main constraints on one line, for lists.
fn summary(resource: &ResourceType, shape: &Shape) -> String {
    let mut parts = vec![type_label(shape)];
    parts.extend(constraints(shape, LISTED_VALUES, false));
    if let Shape::List { item, .. } | Shape::Map { value: item, .. } = shape {
        if !matches!(resource.resolve(item), Shape::Object(_)) {
            parts.extend(constraints(item, LISTED_VALUES, false));
        }
    }
    parts.join(", ")
}

/// `string`, `list of Tag`, `map of string`, `VersioningConfiguration`, `integer or string`.
pub(crate) fn type_label(shape: &Shape) -> String {
    match shape {
        Shape::String(_) => "string".to_owned(),
        Shape::Integer { .. } => "integer".to_owned(),
        Shape::Number { .. } => "number".to_owned(),
        Shape::Boolean => "boolean".to_owned(),
        Shape::List { item, .. } => format!("list of {}", type_label(item)),
        Shape::Map { value, .. } => format!("map of {}", type_label(value)),
        Shape::Object(_) => "object".to_owned(),
        Shape::Def(name) => name.clone(),
        Shape::Json => "JSON (object or string)".to_owned(),
        Shape::Any => "any".to_owned(),
        Shape::Union(members) => {
            let labels: Vec<String> = members.iter().map(type_label).collect();
            labels.join(" or ")
        }
    }
}

/// Human-readable constraints of a shape (not of its items).
fn constraints(shape: &Shape, listed_values: usize, with_pattern: bool) -> Vec<String> {
    let mut out = Vec::new();
    match shape {
        Shape::String(s) => string_constraints(s, listed_values, with_pattern, &mut out),
        Shape::Integer { min, max, allowed } => {
            if !allowed.is_empty() {
                let values: Vec<String> = allowed.iter().map(i64::to_string).collect();
                out.push(format!("one of: {}", values.join(", ")));
            }
            if let Some(range) = range("", *min, *max) {
                out.push(range);
            }
        }
        Shape::Number { min, max } => {
            if let Some(range) = range("", *min, *max) {
                out.push(range);
            }
        }
        Shape::List { min_items, max_items, .. } => {
            if let Some(range) = range("items ", *min_items, *max_items) {
                out.push(range);
            }
        }
        Shape::Map { key_pattern: Some(pattern), .. } if with_pattern => out.push(format!("keys match {pattern}")),
        _ => {}
    }
    out
}

fn string_constraints(s: &StringShape, listed: usize, with_pattern: bool, out: &mut Vec<String>) {
    if !s.allowed.is_empty() {
        let shown: Vec<&str> = s.allowed.iter().take(listed).map(String::as_str).collect();
        let mut text = format!("one of: {}", shown.join(", "));
        if s.allowed.len() > shown.len() {
            write!(text, ", ... ({} values)", s.allowed.len()).unwrap();
        }
        if s.case_insensitive {
            text.push_str(" (any case)");
        }
        out.push(text);
    }
    if let Some(range) = range("length ", s.min_len, s.max_len) {
        out.push(range);
    }
    if !s.formats.is_empty() {
        out.push(format!("format {}", s.formats.join(" or ")));
    }
    if !s.relationships.is_empty() {
        out.push(format!("refers to {}", s.relationships.join(" or ")));
    }
    if with_pattern {
        if let Some(pattern) = &s.pattern {
            out.push(format!("pattern {pattern}"));
        }
    }
}

fn range<T: std::fmt::Display>(what: &str, min: Option<T>, max: Option<T>) -> Option<String> {
    match (min, max) {
        (Some(min), Some(max)) => Some(format!("{what}{min} to {max}")),
        (Some(min), None) => Some(format!("{what}at least {min}")),
        (None, Some(max)) => Some(format!("{what}at most {max}")),
        (None, None) => None,
    }
}

fn ref_summary(resource: &ResourceType) -> String {
    let returns = &resource.ref_returns;
    match (returns.properties.as_slice(), returns.identifier.as_slice()) {
        ([property], _) => format!("{property} ({})", summary(resource, &returns.shape)),
        ([], []) => "a string (the schema names no identifier)".to_owned(),
        ([], ids) => format!("a string identifying the resource (primary identifier: {})", ids.join(", ")),
        (properties, _) => format!("{} (a string: the values joined with |)", properties.join("|")),
    }
}

fn tagging_summary(resource: &ResourceType) -> String {
    let property = resource.tag_property.as_deref().unwrap_or("?");
    match resource.tagging {
        Tagging::None => "not taggable".to_owned(),
        Tagging::List => format!("{property}, a list of {{ Key, Value }}"),
        Tagging::Map => format!("{property}, a map from key to value"),
        Tagging::Other => format!("{property} (see its type)"),
    }
}

fn regions_summary(resource: &ResourceType) -> String {
    let all = super::regions();
    let missing: Vec<&str> = resource.unavailable_regions().collect();
    if missing.is_empty() {
        return format!("all {} known regions", all.len());
    }
    if missing.len() * 2 > all.len() {
        let present: Vec<&str> = all.iter().copied().filter(|region| !missing.contains(region)).collect();
        return format!("only {}", present.join(", "));
    }
    format!("all but {}", missing.join(", "))
}
