//! Declarations: a template's sections turned into an infra program's
//! parameters, tables, conditions, resources and outputs, in that order,
//! with their decorators.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::{Map, Value};

use crate::constructs::Raise;
use crate::expr::{push, Converter};
use crate::layout::{self, Node};
use crate::names::{Kind, Name, Namer, Names};
use crate::problems::{Code, Pointer, Problem};

/// The sections a template may have; anything else is reported.
const SECTIONS: &[&str] = &[
    "AWSTemplateFormatVersion",
    "Description",
    "Metadata",
    "Parameters",
    "Mappings",
    "Conditions",
    "Rules",
    "Resources",
    "Outputs",
    "Transform",
    "Globals",
];

const INTERFACE: &str = "AWS::CloudFormation::Interface";

/// The program's text (not yet formatted) and what was reported.
pub struct Program {
    pub text: String,
    pub problems: Vec<Problem>,
}

fn section<'v>(
    template: &'v Map<String, Value>,
    key: &str,
    problems: &mut Vec<Problem>,
) -> Option<&'v Map<String, Value>> {
    match template.get(key)? {
        Value::Object(map) => Some(map),
        _ => {
            problems.push(Problem {
                code: Code::InvalidTemplate,
                message: format!("`{key}` must be an object"),
                at: vec![key.to_string()],
            });
            None
        }
    }
}

/// Names every declaration of the template.
fn name_everything(
    template: &Map<String, Value>,
    problems: &mut Vec<Problem>,
    raises: &[Raise],
    loops: HashMap<String, crate::foreach::Loop>,
) -> Names {
    let mut namer = Namer::default();
    let mut names = Names::default();
    crate::foreach::name_loops(&loops, &mut namer, &mut names);
    names.loops = loops;
    for raise in raises {
        namer.name(&raise.instance, true);
        names
            .entities
            .insert(raise.primary.clone(), (Kind::Resource, Name { ident: raise.instance.clone(), logical_id: None }));
        names.absorbed.extend(raise.members.iter().filter(|m| **m != raise.primary).cloned());
        names.raised.insert(raise.primary.clone(), raise.clone());
        names.forms.extend(raise.forms.iter().cloned());
    }
    for (key, kind) in [("Parameters", Kind::Parameter), ("Resources", Kind::Resource)] {
        for id in section(template, key, problems).into_iter().flat_map(Map::keys) {
            if names.entities.contains_key(id) || names.loops.contains_key(id) {
                continue;
            }
            let name = namer.name(id, false);
            if names.entities.insert(id.clone(), (kind, name)).is_some() {
                problems.push(Problem {
                    code: Code::InvalidTemplate,
                    message: format!("`{id}` is both a parameter and a resource"),
                    at: vec![key.to_string(), id.clone()],
                });
            }
        }
    }
    for id in section(template, "Mappings", problems).into_iter().flat_map(Map::keys) {
        names.mappings.insert(id.clone(), namer.name(id, true));
    }
    for id in section(template, "Conditions", problems).into_iter().flat_map(Map::keys) {
        names.conditions.insert(id.clone(), namer.name(id, false));
    }
    names
}

/// Builds the program for a template.
pub fn program(template: &Value, stack_name: &str, raises: &[Raise], comments: &Comments) -> Program {
    let mut problems = Vec::new();
    let Value::Object(template) = template else {
        problems.push(Problem { code: Code::InvalidTemplate, message: "a template is an object".into(), at: vec![] });
        return Program { text: String::new(), problems };
    };
    let crate::foreach::Prepared { template, loops, notes, written_out } = crate::foreach::prepare(template);
    problems.extend(notes);
    let template = &template;
    for key in template.keys() {
        if !SECTIONS.contains(&key.as_str()) {
            let code = if key == "Hooks" { Code::Unsupported } else { Code::InvalidTemplate };
            problems.push(Problem {
                code,
                message: format!("the section `{key}` has no form in infra"),
                at: vec![key.clone()],
            });
        }
    }
    if section(template, "Resources", &mut problems).is_none_or(Map::is_empty) {
        problems.push(Problem {
            code: Code::InvalidTemplate,
            message: "a template needs `Resources`".into(),
            at: vec![],
        });
    }
    let names = name_everything(template, &mut problems, raises, loops);
    let mut c = Converter::new(&names);
    c.problems = problems;
    c.comments = comments.clone();
    crate::foreach::carry_comments(&mut c.comments, &written_out);
    let mut out = Writer::default();

    if let Some(version) = template.get("AWSTemplateFormatVersion") {
        if version != "2010-09-09" {
            c.report(
                Code::NotKept,
                "the template format version is always written as 2010-09-09",
                &vec!["AWSTemplateFormatVersion".into()],
            );
        }
    }

    // The template's own settings need a `stack` block.
    let mut metadata = section(template, "Metadata", &mut c.problems).cloned().unwrap_or_default();
    let interface = metadata.get(INTERFACE).and_then(|i| console_interface(i, &names));
    if interface.is_some() {
        metadata.shift_remove(INTERFACE);
    }
    let mut stack_decorators = Vec::new();
    if let Some(transform) = template.get("Transform") {
        let at = vec!["Transform".to_string()];
        match transform {
            Value::String(t) => stack_decorators.push(format!("@transform({})", layout::quote(t))),
            Value::Array(items) if items.iter().all(Value::is_string) => {
                let list: Vec<String> = items.iter().filter_map(Value::as_str).map(layout::quote).collect();
                stack_decorators.push(format!("@transform({})", list.join(", ")));
            }
            _ => c.report(Code::Unsupported, "a transform with parameters has no form in infra", &at),
        }
    }
    if !metadata.is_empty() {
        let node = c.value(&Value::Object(metadata), &vec!["Metadata".into()]);
        stack_decorators.push(format!("@metadata({})", layout::layout(&node, 0)));
    }
    if let Some(globals) = template.get("Globals") {
        let node = c.value(globals, &vec!["Globals".into()]);
        stack_decorators.push(format!("@globals({})", layout::layout(&node, 0)));
    }
    let description = template.get("Description");
    match description {
        Some(Value::String(d)) if !doc_fits(d) => {
            stack_decorators.insert(0, format!("@description({})", layout::quote(d)))
        }
        Some(Value::String(_)) | None => {}
        Some(_) => c.report(Code::InvalidTemplate, "`Description` must be a string", &vec!["Description".into()]),
    }
    let in_block = !stack_decorators.is_empty();
    if let Some(Value::String(d)) = description.filter(|d| d.as_str().is_some_and(doc_fits)) {
        if !in_block {
            out.doc("//!", d);
        }
    }
    if in_block {
        for d in &stack_decorators {
            out.line(d);
        }
        // A stack's name is an identifier: a file named `2024-app` makes `Stack2024App`.
        let prefix = if stack_name.starts_with(|c: char| c.is_ascii_alphabetic()) { "" } else { "Stack" };
        out.line(&format!("stack {prefix}{stack_name} {{"));
        if let Some(Value::String(d)) = description.filter(|d| d.as_str().is_some_and(doc_fits)) {
            out.doc("//!", d);
        }
    }

    let asserts = rules(template, &mut c);
    parameters(template, &mut c, &mut out, interface.as_ref(), &asserts);
    let mappings = template.get("Mappings").and_then(Value::as_object);
    let conditions = template.get("Conditions").and_then(Value::as_object);
    let resources = template.get("Resources").and_then(Value::as_object);
    let outputs = template.get("Outputs").and_then(Value::as_object);

    // Resources and outputs first, so that what they read is known.
    let mut resource_text = Writer::default();
    if let Some(resources) = resources {
        for (id, body) in resources {
            resource(id, body, &mut c, &mut resource_text);
        }
    }
    let mut output_text = Writer::default();
    if let Some(outputs) = outputs {
        let mut namer = Namer::default();
        for (id, body) in outputs {
            output(id, body, &mut c, &mut namer, &mut output_text);
        }
    }

    if let Some(mappings) = mappings {
        for (id, table) in mappings {
            let at = vec!["Mappings".to_string(), id.clone()];
            if !c.mappings_used.contains(id) {
                c.report(
                    Code::NotKept,
                    format!("the mapping `{id}` is never read with a key known only at deploy time, so a build leaves it out"),
                    &at,
                );
            }
            let node = c.value(table, &at);
            out.blank();
            comment(&c, &mut out, "Mappings", id);
            out.line(&format!("let {} = {}", names.mappings[id].ident, layout::layout(&node, 0)));
        }
    }
    if let Some(conditions) = conditions {
        let used = conditions_used(template, conditions);
        for (id, body) in conditions {
            let at = vec!["Conditions".to_string(), id.clone()];
            if id.starts_with("Fn::ForEach") {
                c.report(Code::Unsupported, crate::foreach::unsupported(body), &at);
                continue;
            }
            if !used.contains(id.as_str()) {
                c.report(
                    Code::NotKept,
                    format!("the condition `{id}` is used by no resource or output, so a build leaves it out"),
                    &at,
                );
            }
            let node = c.condition(body, &at);
            out.blank();
            comment(&c, &mut out, "Conditions", id);
            let name = &names.conditions[id];
            logical_id(&mut out, name);
            out.line(&format!("let {} = {}", name.ident, layout::layout(&node, 0)));
        }
    }
    out.append(resource_text);
    out.append(output_text);
    if in_block {
        out.line("}");
    }
    Program { text: out.text, problems: c.problems }
}

/// Whether a description can be written as a doc comment and read back
/// unchanged (the parser trims it and each line's end).
fn doc_fits(text: &str) -> bool {
    !text.is_empty() && text.trim() == text && !text.contains('\r') && text.lines().all(|l| l.trim_end() == l)
}

#[derive(Default)]
struct Writer {
    text: String,
}

impl Writer {
    fn line(&mut self, line: &str) {
        self.text.push_str(line);
        self.text.push('\n');
    }

    fn blank(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with("\n\n") && !self.text.ends_with("{\n") {
            self.text.push('\n');
        }
    }

    fn doc(&mut self, marker: &str, text: &str) {
        for line in text.split('\n') {
            if line.is_empty() {
                self.line(marker);
            } else {
                self.line(&format!("{marker} {line}"));
            }
        }
    }

    fn append(&mut self, other: Writer) {
        if !other.text.is_empty() {
            self.blank();
        }
        self.text.push_str(other.text.trim_start_matches('\n'));
    }
}

/// YAML comments kept: by section and logical ID, the comment lines
/// written right above the declaration's key.
pub type Comments = HashMap<(String, String), Vec<String>>;

/// The YAML comments right above a declaration, as `//` comments.
fn comment(c: &Converter<'_>, out: &mut Writer, section: &str, id: &str) {
    for line in c.comments.get(&(section.to_string(), id.to_string())).into_iter().flatten() {
        if line.is_empty() {
            out.line("//");
        } else {
            out.line(&format!("// {line}"));
        }
    }
}

fn logical_id(out: &mut Writer, name: &Name) {
    if let Some(id) = &name.logical_id {
        out.line(&format!("@logical_id({})", layout::quote(id)));
    }
}

/// The console's parameter groups and labels, when `@group` and `@label`
/// say exactly what the template does: `(groups in order, labels)`.
struct Interface {
    groups: Vec<(String, Vec<String>)>,
    labels: Vec<(String, String)>,
}

fn console_interface(interface: &Value, names: &Names) -> Option<Interface> {
    let interface = interface.as_object()?;
    if interface.keys().any(|k| k != "ParameterGroups" && k != "ParameterLabels") {
        return None;
    }
    let mut groups = Vec::new();
    let mut seen = HashSet::new();
    for group in interface.get("ParameterGroups").map_or(Some(&vec![]), Value::as_array)? {
        let group = group.as_object()?;
        if group.keys().any(|k| k != "Label" && k != "Parameters") {
            return None;
        }
        let label = group.get("Label")?.as_object()?;
        if label.len() != 1 {
            return None;
        }
        let label = label.get("default")?.as_str()?.to_string();
        let mut members = Vec::new();
        for p in group.get("Parameters")?.as_array()? {
            let p = p.as_str()?;
            if !matches!(names.entity(p), Some((Kind::Parameter, _))) || !seen.insert(p.to_string()) {
                return None;
            }
            members.push(p.to_string());
        }
        if members.is_empty() || groups.iter().any(|(l, _): &(String, _)| *l == label) {
            return None;
        }
        groups.push((label, members));
    }
    let mut labels = Vec::new();
    for (p, label) in interface.get("ParameterLabels").map_or(Some(&Map::new()), Value::as_object)? {
        let label = label.as_object()?;
        if label.len() != 1 || !matches!(names.entity(p), Some((Kind::Parameter, _))) {
            return None;
        }
        labels.push((p.clone(), label.get("default")?.as_str()?.to_string()));
    }
    Some(Interface { groups, labels })
}

fn parameters(
    template: &Map<String, Value>,
    c: &mut Converter<'_>,
    out: &mut Writer,
    interface: Option<&Interface>,
    asserts: &HashMap<String, Vec<String>>,
) {
    let Some(parameters) = template.get("Parameters").and_then(Value::as_object) else { return };
    // Grouped parameters come first, group by group, so that the groups
    // come out in the template's order.
    let mut order: Vec<&String> = Vec::new();
    if let Some(interface) = interface {
        for (_, members) in &interface.groups {
            order.extend(members.iter().filter_map(|m| parameters.get_key_value(m).map(|(k, _)| k)));
        }
    }
    let grouped: BTreeSet<&String> = order.iter().copied().collect();
    order.extend(parameters.keys().filter(|k| !grouped.contains(k)));
    for id in order {
        let at = vec!["Parameters".to_string(), id.clone()];
        let Some(body) = parameters[id].as_object() else {
            c.report(Code::InvalidTemplate, "a parameter is an object", &at);
            continue;
        };
        out.blank();
        comment(c, out, "Parameters", id);
        parameter(id, body, c, out, interface, &at, asserts.get(id.as_str()).map_or(&[][..], Vec::as_slice));
    }
}

fn parameter(
    id: &str,
    body: &Map<String, Value>,
    c: &mut Converter<'_>,
    out: &mut Writer,
    interface: Option<&Interface>,
    at: &Pointer,
    asserts: &[String],
) {
    let name = c.names.entities[id].1.clone();
    let Some(cfn_type) = body.get("Type").and_then(Value::as_str) else {
        c.report(Code::InvalidTemplate, "a parameter needs a `Type`", at);
        return;
    };
    if !parameter_type_fits(cfn_type) {
        c.report(Code::InvalidTemplate, format!("`{cfn_type}` is no parameter type"), &push(at, "Type"));
        return;
    }
    let ty = match cfn_type {
        "String" => "string",
        "Number" => "number",
        "CommaDelimitedList" => "list<string>",
        "List<Number>" => "list<number>",
        other => other,
    };
    let mut decorators = Vec::new();
    if let Some(description) = body.get("Description") {
        match description {
            Value::String(d) if doc_fits(d) => out.doc("///", d),
            Value::String(d) => decorators.push(format!("@description({})", layout::quote(d))),
            _ => c.report(Code::InvalidTemplate, "`Description` must be a string", &push(at, "Description")),
        }
    }
    logical_id(out, &name);
    if let Some(interface) = interface {
        if let Some((label, _)) = interface.groups.iter().find(|(_, members)| members.iter().any(|m| m == id)) {
            decorators.push(format!("@group({})", layout::quote(label)));
        }
        if let Some((_, label)) = interface.labels.iter().find(|(p, _)| p == id) {
            decorators.push(format!("@label({})", layout::quote(label)));
        }
    }
    for (key, value) in body {
        let here = push(at, key);
        match key.as_str() {
            "Type" | "Description" | "Default" => {}
            "AllowedValues" => {
                let node = match value {
                    // CloudFormation reads a parameter's values as text.
                    Value::Array(items) if ty != "number" => Node::List(
                        items
                            .iter()
                            .enumerate()
                            .map(|(i, item)| match item {
                                Value::Number(n) => Node::text(n.to_string()),
                                Value::Bool(b) => Node::text(b.to_string()),
                                other => c.value(other, &push(&here, i)),
                            })
                            .collect(),
                    ),
                    _ => c.value(value, &here),
                };
                decorators.push(format!("@allowed({})", layout::layout(&node, 0)));
            }
            "AllowedPattern" => {
                let Some(pattern) = value.as_str() else {
                    c.report(Code::InvalidTemplate, "`AllowedPattern` must be a string", &here);
                    continue;
                };
                decorators.push(format!("@pattern({})", pattern_literal(pattern)));
            }
            "MinLength" | "MaxLength" | "MinValue" | "MaxValue" => {
                let decorator = match key.as_str() {
                    "MinLength" => "min_length",
                    "MaxLength" => "max_length",
                    "MinValue" => "min",
                    _ => "max",
                };
                match number_text(value) {
                    Some(n) => decorators.push(format!("@{decorator}({n})")),
                    None => c.report(Code::InvalidTemplate, format!("`{key}` must be a number"), &here),
                }
            }
            "ConstraintDescription" => match value.as_str() {
                Some(text) => decorators.push(format!("@constraint_description({})", layout::quote(text))),
                None => c.report(Code::InvalidTemplate, "`ConstraintDescription` must be a string", &here),
            },
            "NoEcho" => match value {
                Value::Bool(true) => decorators.push("@secret".into()),
                Value::String(s) if s.eq_ignore_ascii_case("true") => decorators.push("@secret".into()),
                Value::Bool(false) => {}
                Value::String(s) if s.eq_ignore_ascii_case("false") => {}
                _ => c.report(Code::InvalidTemplate, "`NoEcho` must be true or false", &here),
            },
            _ => c.report(
                Code::NotKept,
                format!("the parameter setting `{key}` has no form in infra and is left out"),
                &here,
            ),
        }
    }
    decorators.extend(asserts.iter().cloned());
    for d in decorators {
        out.line(&d);
    }
    let default = body.get("Default").map(|d| parameter_default(ty, d, c, &push(at, "Default")));
    match default {
        Some(default) => out.line(&format!("param {}: {ty} = {default}", name.ident)),
        None => out.line(&format!("param {}: {ty}", name.ident)),
    }
}

fn number_text(value: &Value) -> Option<String> {
    match value {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) if s.trim().parse::<f64>().is_ok() => Some(s.trim().to_string()),
        _ => None,
    }
}

/// A Java pattern: a raw string when it has backslashes and no quote, so
/// that it reads as written.
fn pattern_literal(pattern: &str) -> String {
    if pattern.contains('\\') && !pattern.contains('"') && !pattern.contains('\n') {
        format!("r\"{pattern}\"")
    } else {
        layout::quote(pattern)
    }
}

fn parameter_default(ty: &str, default: &Value, c: &mut Converter<'_>, at: &Pointer) -> String {
    let list = ty == "list<string>" || ty == "list<number>";
    match default {
        Value::String(s) if list => {
            // CloudFormation splits the default at each comma; the list
            // joined again with commas is the same text.
            let items: Vec<String> = s
                .split(',')
                .map(|item| match ty {
                    "list<number>" if item.parse::<f64>().is_ok() => item.to_string(),
                    _ => layout::quote(item),
                })
                .collect();
            format!("[{}]", items.join(", "))
        }
        // CloudFormation reads a parameter's values as text.
        Value::Number(n) if ty != "number" => layout::quote(&n.to_string()),
        Value::Bool(b) => layout::quote(&b.to_string()),
        Value::String(_) | Value::Number(_) | Value::Array(_) => {
            let node = c.value(default, at);
            layout::flat(&node)
        }
        _ => {
            c.report(Code::InvalidTemplate, "a parameter's default is a string or a number", at);
            "null".into()
        }
    }
}

fn resource(id: &str, body: &Value, c: &mut Converter<'_>, out: &mut Writer) {
    let at = vec!["Resources".to_string(), id.to_string()];
    if c.names.absorbed.iter().any(|a| a == id) {
        return;
    }
    if let Some(raise) = c.names.raised.get(id).cloned() {
        let properties =
            raise.properties.iter().map(|(k, v)| (k.clone(), c.value(v, &push(&push(&at, "Properties"), k)))).collect();
        out.blank();
        comment(c, out, "Resources", id);
        out.line(&crate::constructs::instance_text(&raise, properties));
        return;
    }
    let looped = c.names.loops.get(id).cloned();
    if looped.is_none() && id.starts_with("Fn::ForEach") {
        c.report(Code::Unsupported, crate::foreach::unsupported(body), &at);
        return;
    }
    let body = looped.as_ref().map_or(body, |l| &l.body);
    // Inside a loop, the resource is its fragment's one entry.
    let at = looped.as_ref().map_or(at, |l| vec!["Resources".into(), id.into(), "2".into(), l.key.clone()]);
    let Some(body) = body.as_object() else {
        c.report(Code::InvalidTemplate, "a resource is an object", &at);
        return;
    };
    let Some(cfn_type) = body.get("Type").and_then(Value::as_str) else {
        c.report(Code::InvalidTemplate, "a resource needs a `Type`", &at);
        return;
    };
    if !resource_type_fits(cfn_type) {
        let message =
            format!("the type name `{cfn_type}` cannot be written in infra (letters and digits between `::`)");
        c.report(Code::Unsupported, message, &push(&at, "Type"));
        return;
    }
    let name = c.names.entities[id].1.clone();
    out.blank();
    comment(c, out, "Resources", id);
    logical_id(out, &name);
    c.loop_var = looped.as_ref().map(|l| (l.identifier.clone(), l.var.clone()));
    // References anywhere in the resource imply the dependencies they name.
    let before = c.referenced.len();
    let mut decorators = Vec::new();
    let mut depends_on: Option<&Value> = None;
    for (key, value) in body {
        let here = push(&at, key);
        match key.as_str() {
            "Type" | "Properties" => {}
            "Condition" => match value.as_str() {
                Some(cond) => {
                    let node = c.condition_name(cond, &here);
                    decorators.push(format!("@when({})", layout::flat(&node)));
                }
                None => c.report(Code::InvalidTemplate, "`Condition` must name a condition", &here),
            },
            "DependsOn" => depends_on = Some(value),
            "DeletionPolicy" | "UpdateReplacePolicy" => {
                let decorator = if key == "DeletionPolicy" { "deletion_policy" } else { "update_replace_policy" };
                let node = c.value(value, &here);
                decorators.push(format!("@{decorator}({})", layout::flat(&node)));
            }
            "IgnoreGlobals" => {
                let node = c.value(value, &here);
                decorators.push(format!("@ignore_globals({})", layout::flat(&node)));
            }
            "Metadata" | "CreationPolicy" | "UpdatePolicy" => {
                let decorator = match key.as_str() {
                    "Metadata" => "metadata",
                    "CreationPolicy" => "creation_policy",
                    _ => "update_policy",
                };
                let node = c.value(value, &here);
                decorators.push(format!("@{decorator}({})", layout::layout(&node, 0)));
            }
            _ => c.report(
                Code::NotKept,
                format!("the resource attribute `{key}` has no form in infra and is left out"),
                &here,
            ),
        }
    }
    let properties = match body.get("Properties") {
        None => None,
        Some(Value::Object(p)) if crate::expr::intrinsic(p).is_some() => {
            let message = "properties computed as a whole by a function have no form in infra: write the function on each property";
            c.report(Code::Unsupported, message, &push(&at, "Properties"));
            None
        }
        Some(Value::Object(p)) => Some(c.value(&Value::Object(p.clone()), &push(&at, "Properties"))),
        Some(_) => {
            c.report(Code::InvalidTemplate, "`Properties` must be an object", &push(&at, "Properties"));
            None
        }
    };
    if let Some(depends_on) = depends_on {
        let here = push(&at, "DependsOn");
        let targets: Vec<&str> = match depends_on {
            Value::String(s) => vec![s.as_str()],
            Value::Array(items) if items.iter().all(Value::is_string) => {
                items.iter().filter_map(Value::as_str).collect()
            }
            _ => {
                c.report(Code::InvalidTemplate, "`DependsOn` names resources", &here);
                vec![]
            }
        };
        let implied: HashSet<String> = c.referenced[before..].iter().cloned().collect();
        let mut kept = Vec::new();
        for target in targets {
            match c.names.entity(target) {
                Some((Kind::Resource, n)) => {
                    if !implied.contains(target) && !kept.contains(&n.ident) {
                        kept.push(n.ident.clone());
                    }
                }
                _ => c.report(Code::UnknownName, format!("no resource named `{target}` in the template"), &here),
            }
        }
        if !kept.is_empty() {
            decorators.insert(
                decorators.iter().position(|d| !d.starts_with("@when")).unwrap_or(decorators.len()),
                format!("@depends_on({})", kept.join(", ")),
            );
        }
    }
    for d in decorators {
        out.line(&d);
    }
    // A resource's body is always a block of its own.
    let body_text = match properties {
        Some(Node::Object(entries)) if !entries.is_empty() => {
            let lines: Vec<String> =
                entries.iter().map(|(k, v)| format!("  {}: {}", layout::key(k), layout::layout(v, 1))).collect();
            format!("{{\n{}\n}}", lines.join("\n"))
        }
        _ => "{}".to_string(),
    };
    c.loop_var = None;
    let for_clause = looped.as_ref().map(|l| crate::foreach::for_clause(l, c.names)).unwrap_or_default();
    out.line(&format!("resource {}: {cfn_type}{for_clause} {body_text}", name.ident));
}

fn output(id: &str, body: &Value, c: &mut Converter<'_>, namer: &mut Namer, out: &mut Writer) {
    let at = vec!["Outputs".to_string(), id.to_string()];
    if id.starts_with("Fn::ForEach") {
        c.report(Code::Unsupported, crate::foreach::unsupported(body), &at);
        return;
    }
    let Some(body) = body.as_object() else {
        c.report(Code::InvalidTemplate, "an output is an object", &at);
        return;
    };
    let name = namer.name(id, false);
    out.blank();
    comment(c, out, "Outputs", id);
    let mut decorators = Vec::new();
    for (key, value) in body {
        let here = push(&at, key);
        match key.as_str() {
            "Value" => {}
            "Description" => match value {
                Value::String(d) if doc_fits(d) => out.doc("///", d),
                Value::String(d) => decorators.push(format!("@description({})", layout::quote(d))),
                _ => c.report(
                    Code::Unsupported,
                    "an output's `Description` computed at deploy time has no form in infra",
                    &here,
                ),
            },
            "Condition" => match value.as_str() {
                Some(cond) => {
                    let node = c.condition_name(cond, &here);
                    decorators.push(format!("@when({})", layout::flat(&node)));
                }
                None => c.report(Code::InvalidTemplate, "`Condition` must name a condition", &here),
            },
            "Export" => match value
                .as_object()
                .and_then(|e| e.get("Name"))
                .filter(|_| value.as_object().is_some_and(|e| e.len() == 1))
            {
                Some(export) => {
                    let node = c.value(export, &push(&here, "Name"));
                    decorators.push(format!("@export({})", layout::flat(&node)));
                }
                None => c.report(Code::InvalidTemplate, "`Export` is `{ Name: ... }`", &here),
            },
            _ => c.report(
                Code::NotKept,
                format!("the output setting `{key}` has no form in infra and is left out"),
                &here,
            ),
        }
    }
    logical_id(out, &name);
    for d in decorators {
        out.line(&d);
    }
    let Some(value) = body.get("Value") else {
        c.report(Code::InvalidTemplate, "an output needs a `Value`", &at);
        return;
    };
    let node = c.value(value, &push(&at, "Value"));
    out.line(&format!("output {} = {}", name.ident, layout::layout(&node, 0)));
}

/// The conditions that resources and outputs use, and those these use in
/// turn: a build declares only those.
fn conditions_used<'t>(template: &'t Map<String, Value>, conditions: &'t Map<String, Value>) -> HashSet<&'t str> {
    let mut used = HashSet::new();
    let mut work: Vec<&str> = Vec::new();
    for key in ["Resources", "Outputs"] {
        for (_, body) in template.get(key).and_then(Value::as_object).into_iter().flatten() {
            if let Some(Value::String(c)) = body.get("Condition") {
                work.push(c);
            }
            collect_condition_uses(body, &mut work);
        }
    }
    // SAM's `Globals` is written out too (`@globals`).
    if let Some(globals) = template.get("Globals") {
        collect_condition_uses(globals, &mut work);
    }
    while let Some(name) = work.pop() {
        if used.insert(name) {
            if let Some(body) = conditions.get(name) {
                collect_condition_uses(body, &mut work);
            }
        }
    }
    used
}

fn collect_condition_uses<'t>(value: &'t Value, out: &mut Vec<&'t str>) {
    match value {
        Value::Array(items) => items.iter().for_each(|i| collect_condition_uses(i, out)),
        Value::Object(map) => {
            if map.len() == 1 {
                if let Some(Value::String(c)) = map.get("Condition") {
                    out.push(c);
                }
                if let Some(Value::Array(args)) = map.get("Fn::If") {
                    if let Some(Value::String(c)) = args.first() {
                        out.push(c);
                    }
                }
            }
            map.values().for_each(|v| collect_condition_uses(v, out));
        }
        _ => {}
    }
}

/// Functions only rules have, which the language cannot say.
/// `Rules` as `@assert` decorators, by the parameter each goes on: the
/// one the rule is named after, or else the first it reads.
fn rules(template: &Map<String, Value>, c: &mut Converter<'_>) -> HashMap<String, Vec<String>> {
    let mut asserts: HashMap<String, Vec<String>> = HashMap::new();
    let Some(rules) = template.get("Rules").and_then(Value::as_object) else { return asserts };
    // How many rules of each parameter the build names itself (`XRule`,
    // `XRule2`): an `@assert` without a name takes the next.
    let mut generated: HashMap<String, usize> = HashMap::new();
    let mut taken: Vec<String> = rules.keys().cloned().collect();
    for (id, rule) in rules {
        let at = vec!["Rules".to_string(), id.clone()];
        let Some(rule) = rule.as_object() else {
            c.report(Code::InvalidTemplate, "a rule is an object", &at);
            continue;
        };
        let mut read = Vec::new();
        collect_refs(rule, &mut read);
        let target = read
            .iter()
            .find(|p| *id == **p || *id == format!("{p}Rule"))
            .or(read.first())
            .filter(|p| matches!(c.names.entity(p), Some((Kind::Parameter, _))))
            .cloned();
        let Some(target) = target else {
            c.report(
                Code::NotKept,
                format!("the rule `{id}` reads no parameter, so it has no parameter to go on; it is left out"),
                &at,
            );
            continue;
        };
        let when = rule.get("RuleCondition").map(|w| c.condition(w, &push(&at, "RuleCondition")));
        let assertions = rule.get("Assertions").and_then(Value::as_array).cloned().unwrap_or_default();
        let names = infrac::normalise::split_rule_names(id, assertions.len(), &mut taken);
        if assertions.len() > 1 {
            c.report(
                Code::NotKept,
                format!(
                    "the rule `{id}` comes back as {} rules, one assertion each: `{}`",
                    names.len(),
                    names.join("`, `")
                ),
                &at,
            );
        }
        for (i, (assertion, name)) in assertions.iter().zip(&names).enumerate() {
            let here = push(&push(&at, "Assertions"), i);
            let Some(check) = assertion.get("Assert") else {
                c.report(Code::InvalidTemplate, "an assertion needs `Assert`", &here);
                continue;
            };
            let check = c.condition(check, &push(&here, "Assert"));
            let condition = match &when {
                Some(when) => Node::Chain("||", vec![Node::Unary("!", Box::new(when.clone())), check]),
                None => check,
            };
            for key in assertion.as_object().into_iter().flat_map(Map::keys) {
                if key != "Assert" && key != "AssertDescription" {
                    c.report(
                        Code::NotKept,
                        format!("the assertion setting `{key}` has no form in infra and is left out"),
                        &push(&here, key),
                    );
                }
            }
            let message = assertion.get("AssertDescription").and_then(Value::as_str).unwrap_or_default();
            let count = generated.entry(target.clone()).or_default();
            let default = match *count + 1 {
                1 => format!("{target}Rule"),
                n => format!("{target}Rule{n}"),
            };
            let list = asserts.entry(target.clone()).or_default();
            if *name == default {
                *count += 1;
                list.push(format!("@assert({}, {})", layout::flat(&condition), layout::quote(message)));
            } else {
                list.push(format!(
                    "@assert({}, {}, {})",
                    layout::flat(&condition),
                    layout::quote(message),
                    layout::quote(name)
                ));
            }
        }
    }
    asserts
}

fn collect_refs(map: &Map<String, Value>, out: &mut Vec<String>) {
    for (key, value) in map {
        match value {
            Value::String(s) if key == "Ref" && !out.contains(s) && !s.starts_with("AWS::") => out.push(s.clone()),
            Value::Object(inner) => collect_refs(inner, out),
            Value::Array(items) => {
                for item in items {
                    if let Value::Object(inner) = item {
                        collect_refs(inner, out);
                    }
                }
            }
            _ => {}
        }
    }
}

/// A type name as infra's lexer reads one: `AWS::S3::Bucket`, `Custom::Thing`.
fn resource_type_fits(name: &str) -> bool {
    let mut parts = name.split("::");
    let first_fits = parts.next().is_some_and(|p| p.starts_with(|c: char| c.is_ascii_alphabetic()));
    let parts: Vec<&str> = name.split("::").collect();
    first_fits
        && parts.len() >= 2
        && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// A parameter type as infra's parser reads one: a name or type name,
/// optionally with one type argument (`List<AWS::EC2::Subnet::Id>`).
fn parameter_type_fits(ty: &str) -> bool {
    let (base, argument) = match ty.split_once('<') {
        Some((base, rest)) => match rest.strip_suffix('>') {
            Some(argument) => (base, Some(argument)),
            None => return false,
        },
        None => (ty, None),
    };
    let word = base.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && base.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    (word || resource_type_fits(base)) && argument.is_none_or(parameter_type_fits)
}
