//! Decodes one resource type from the compact format written by `tools/cfn-spec/generate.py`.
//!
//! The format is described in `tools/cfn-spec/README.md`. In short, a shape is either a bare
//! string (`"s"`, `"i"`, `"n"`, `"b"`, `"j"` JSON, `"*"` any, `"#Name"` a definition) or an
//! object whose `t` is one of those or `l` list, `m` map, `o` object, `u` union, with short
//! constraint keys beside it. A property is a shape that may also carry `doc`.
//!
//! The data is generated and embedded, so a malformed entry is a bug in the generator:
//! decoding is lenient (unknown keys are ignored, wrong types read as absent) rather than
//! failing at a user's compile time.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::model::{
    Definition, Lifecycle, ObjectShape, Property, RefReturns, RequiredAlternatives, ResourceType, Shape, StringShape,
    Tagging,
};

pub(crate) fn resource_type(name: &'static str, raw: &str) -> ResourceType {
    let value: Value =
        serde_json::from_str(raw).unwrap_or_else(|err| panic!("embedded schema for {name} is not valid JSON: {err}"));
    let empty = Map::new();
    let obj = value.as_object().unwrap_or(&empty);

    let body = object_shape(obj);
    let definitions = obj
        .get("d")
        .and_then(Value::as_object)
        .map(|defs| {
            defs.iter()
                .map(|(def_name, def)| {
                    let definition = Definition { description: string(def.get("doc")), shape: shape(def) };
                    (def_name.clone(), definition)
                })
                .collect()
        })
        .unwrap_or_default();
    let attributes = obj
        .get("att")
        .and_then(Value::as_object)
        .map(|atts| atts.iter().map(|(k, v)| (k.clone(), shape(v))).collect())
        .unwrap_or_default();

    let identifier = strings(obj.get("id"));
    let properties = match obj.get("refp") {
        Some(returned) => strings(Some(returned)),
        None if identifier.len() == 1 => identifier.clone(),
        None => Vec::new(),
    };
    let ref_returns = RefReturns {
        identifier,
        properties,
        shape: obj.get("ref").map(shape).unwrap_or_else(|| Shape::String(StringShape::default())),
    };

    let tagging = match obj.get("tags").and_then(Value::as_str) {
        None => Tagging::None,
        Some("l") => Tagging::List,
        Some("m") => Tagging::Map,
        Some(_) => Tagging::Other,
    };
    let lifecycle = obj.get("life").and_then(Value::as_object).map(|life| Lifecycle {
        status: string(life.get("status")).unwrap_or_default(),
        date: string(life.get("date")),
    });

    let mut resource = ResourceType {
        name,
        description: string(obj.get("doc")),
        source_url: string(obj.get("url")),
        properties: body.properties,
        required: body.required,
        required_alternatives: body.required_alternatives,
        dependent_required: body.dependent_required,
        dependent_excluded: body.dependent_excluded,
        definitions,
        attributes,
        ref_returns,
        tagging,
        tag_property: string(obj.get("tag")),
        lifecycle,
        replacement_strategy: string(obj.get("repl")),
        read_only: strings(obj.get("ro")),
        create_only: strings(obj.get("co")),
        conditional_create_only: strings(obj.get("cco")),
        write_only: strings(obj.get("wo")),
        deprecated: strings(obj.get("dep")),
        missing_regions: obj.get("nr").and_then(Value::as_u64).unwrap_or(0),
    };
    mark_path_flags(&mut resource);
    resource
}

fn shape(value: &Value) -> Shape {
    match value {
        Value::String(short) => short_shape(short),
        Value::Object(obj) => {
            let kind = obj.get("t").and_then(Value::as_str).unwrap_or("*");
            match kind {
                "s" => Shape::String(StringShape {
                    allowed: strings(obj.get("e")),
                    case_insensitive: obj.contains_key("ci"),
                    pattern: string(obj.get("pat")),
                    min_len: obj.get("minL").and_then(Value::as_u64),
                    max_len: obj.get("maxL").and_then(Value::as_u64),
                    formats: strings(obj.get("fmt")),
                    relationships: strings(obj.get("rel")),
                }),
                "i" => Shape::Integer {
                    min: obj.get("min").and_then(as_i64),
                    max: obj.get("max").and_then(as_i64),
                    allowed: obj
                        .get("e")
                        .and_then(Value::as_array)
                        .map(|values| values.iter().filter_map(as_i64).collect())
                        .unwrap_or_default(),
                },
                "n" => Shape::Number {
                    min: obj.get("min").and_then(Value::as_f64),
                    max: obj.get("max").and_then(Value::as_f64),
                },
                "l" => Shape::List {
                    item: Box::new(obj.get("i").map(shape).unwrap_or(Shape::Any)),
                    min_items: obj.get("minI").and_then(Value::as_u64),
                    max_items: obj.get("maxI").and_then(Value::as_u64),
                },
                "m" => Shape::Map {
                    value: Box::new(obj.get("v").map(shape).unwrap_or(Shape::Any)),
                    key_pattern: string(obj.get("kp")),
                },
                "o" => Shape::Object(Box::new(object_shape(obj))),
                "u" => Shape::Union(
                    obj.get("u")
                        .and_then(Value::as_array)
                        .map(|members| members.iter().map(shape).collect())
                        .unwrap_or_default(),
                ),
                other => short_shape(other),
            }
        }
        _ => Shape::Any,
    }
}

fn short_shape(short: &str) -> Shape {
    match short {
        "s" => Shape::String(StringShape::default()),
        "i" => Shape::Integer { min: None, max: None, allowed: Vec::new() },
        "n" => Shape::Number { min: None, max: None },
        "b" => Shape::Boolean,
        "j" => Shape::Json,
        _ => match short.strip_prefix('#') {
            Some(name) => Shape::Def(name.to_owned()),
            None => Shape::Any,
        },
    }
}

/// Reads the struct keys shared by a resource type's top level and an object shape.
fn object_shape(obj: &Map<String, Value>) -> ObjectShape {
    let required = strings(obj.get("r"));
    let properties = obj
        .get("p")
        .and_then(Value::as_object)
        .map(|props| {
            props
                .iter()
                .map(|(name, value)| {
                    let property = Property {
                        shape: shape(value),
                        description: string(value.get("doc")),
                        required: required.contains(name),
                        read_only: false,
                        create_only: false,
                        conditional_create_only: false,
                        write_only: false,
                        deprecated: false,
                    };
                    (name.clone(), property)
                })
                .collect()
        })
        .unwrap_or_default();
    let required_alternatives = obj
        .get("alt")
        .and_then(Value::as_array)
        .map(|groups| {
            groups
                .iter()
                .map(|group| RequiredAlternatives {
                    exactly_one: group.get("x").is_some(),
                    options: group
                        .get("o")
                        .and_then(Value::as_array)
                        .map(|options| options.iter().map(|o| strings(Some(o))).collect())
                        .unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default();
    ObjectShape {
        properties,
        required,
        required_alternatives,
        dependent_required: string_lists(obj.get("dreq")),
        dependent_excluded: string_lists(obj.get("dexc")),
        open: obj.contains_key("open"),
    }
}

#[derive(Clone, Copy)]
enum Flag {
    ReadOnly,
    CreateOnly,
    ConditionalCreateOnly,
    WriteOnly,
    Deprecated,
}

/// Copies the resource's path lists onto the properties they reach.
fn mark_path_flags(resource: &mut ResourceType) {
    let lists = [
        (Flag::ReadOnly, resource.read_only.clone()),
        (Flag::CreateOnly, resource.create_only.clone()),
        (Flag::ConditionalCreateOnly, resource.conditional_create_only.clone()),
        (Flag::WriteOnly, resource.write_only.clone()),
        (Flag::Deprecated, resource.deprecated.clone()),
    ];
    for (flag, paths) in lists {
        for path in paths {
            let segments: Vec<&str> = path.split('.').collect();
            mark(resource, &segments, flag);
        }
    }
}

fn mark(resource: &mut ResourceType, segments: &[&str], flag: Flag) {
    let Some((first, rest)) = segments.split_first() else {
        return;
    };
    let Some(property) = resource.properties.get_mut(*first) else {
        return;
    };
    // A path leaves one borrowed structure when it enters a named definition,
    // so walk it in hops: inline shapes first, then definition by definition.
    let mut pending = mark_property(property, rest, flag);
    for _ in 0..32 {
        let Some((def_name, rest)) = pending else {
            return;
        };
        let Some(def) = resource.definitions.get_mut(&def_name) else {
            return;
        };
        pending = mark_shape(&mut def.shape, rest, flag);
    }
}

/// Marks the property at `rest` below `property`, or returns the definition the path
/// continues in, with the segments still to walk.
fn mark_property<'p>(property: &mut Property, rest: &'p [&'p str], flag: Flag) -> Option<(String, &'p [&'p str])> {
    if rest.is_empty() {
        set(property, flag);
        return None;
    }
    mark_shape(&mut property.shape, rest, flag)
}

fn mark_shape<'p>(shape: &mut Shape, rest: &'p [&'p str], flag: Flag) -> Option<(String, &'p [&'p str])> {
    let (segment, tail) = rest.split_first()?;
    match shape {
        Shape::Def(name) => Some((name.clone(), rest)),
        Shape::List { item, .. } if *segment == "*" => mark_shape(item, tail, flag),
        Shape::Object(object) => {
            let property = object.properties.get_mut(*segment)?;
            mark_property(property, tail, flag)
        }
        _ => None,
    }
}

fn set(property: &mut Property, flag: Flag) {
    match flag {
        Flag::ReadOnly => property.read_only = true,
        Flag::CreateOnly => property.create_only = true,
        Flag::ConditionalCreateOnly => property.conditional_create_only = true,
        Flag::WriteOnly => property.write_only = true,
        Flag::Deprecated => property.deprecated = true,
    }
}

fn string(value: Option<&Value>) -> Option<String> {
    value.and_then(Value::as_str).map(str::to_owned)
}

/// A list of strings; a single string reads as a one-element list.
fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    }
}

fn string_lists(value: Option<&Value>) -> BTreeMap<String, Vec<String>> {
    value
        .and_then(Value::as_object)
        .map(|map| map.iter().map(|(k, v)| (k.clone(), strings(Some(v)))).collect())
        .unwrap_or_default()
}

/// Integer bounds are sometimes written as floats (`1.0`) in the schemas.
fn as_i64(value: &Value) -> Option<i64> {
    value.as_i64().or_else(|| value.as_f64().map(|f| f as i64))
}
