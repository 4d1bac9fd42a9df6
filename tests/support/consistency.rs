//! The template-consistency check: what every build infrac emits must
//! satisfy, whatever the program. It reads only the template JSON and knows
//! nothing of the compiler, so it can catch the compiler naming something it
//! did not declare.
//!
//! Within one template:
//! - every `Ref`, `Fn::GetAtt`, `${X}` and `${X.Attr}` of `Fn::Sub`, `Fn::If`
//!   condition, `Condition` of a resource or output, `{"Condition": X}` in
//!   `Conditions`, `Fn::FindInMap` map (and its literal keys) and
//!   `DependsOn` names something the template declares, or a pseudo
//!   parameter;
//! - `Conditions` read no resource and no import (CloudFormation evaluates
//!   them before it creates anything).
//!
//! Across one build (the stacks of one compilation):
//! - every `Fn::ImportValue` names an export of another stack of the build,
//!   and that stack deploys first (it is in the importer's `depends_on`),
//!   unless the program asked for that import by name itself
//!   (`import_value("...")` of something outside the build);
//! - no two outputs export the same name.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::{Map, Value};

/// CloudFormation's pseudo parameters: `Ref`-able in every template.
const PSEUDO_PARAMETERS: &[&str] = &[
    "AWS::AccountId",
    "AWS::NotificationARNs",
    "AWS::NoValue",
    "AWS::Partition",
    "AWS::Region",
    "AWS::StackId",
    "AWS::StackName",
    "AWS::URLSuffix",
];

/// One stack of a build, as the check needs it.
pub struct Stack<'a> {
    pub name: &'a str,
    pub template: &'a Value,
    /// The stacks that deploy before this one.
    pub depends_on: &'a [String],
}

/// Something a template names but does not declare, or reads where it may not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub stack: String,
    /// Where in the template: `Resources.Queue.Properties.DelaySeconds`.
    pub at: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.stack, self.at, self.message)
    }
}

/// The import names a program writes itself (`import_value("name")`),
/// which may name exports outside the build.
#[derive(Default)]
pub struct ExternalImports {
    pub literal: BTreeSet<String>,
    /// The program computes some import name (`import_value("${stage}-id")`),
    /// so an import whose name is not a constant may be one of its own.
    pub computed: bool,
}

/// Every problem of the build, stack by stack, in template order.
pub fn check_build(stacks: &[Stack], external: &ExternalImports) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut exports: BTreeMap<String, (&str, String)> = BTreeMap::new();
    let mut imports = Vec::new();
    for stack in stacks {
        let mut walker = Walker::new(stack.name, stack.template);
        walker.template();
        problems.append(&mut walker.problems);
        for (name, at) in walker.exports {
            if let Some((first_stack, first_at)) = exports.get(&name) {
                problems.push(Problem {
                    stack: stack.name.to_string(),
                    at,
                    message: format!("exports `{name}`, which {first_stack} exports too ({first_at})"),
                });
            } else {
                exports.insert(name, (stack.name, at));
            }
        }
        imports.extend(walker.imports.into_iter().map(|(name, at)| (stack, name, at)));
    }
    for (stack, name, at) in imports {
        let problem = |message: String| Problem { stack: stack.name.to_string(), at: at.clone(), message };
        match name {
            ImportName::Constant(name) => match exports.get(&name) {
                Some((exporter, _)) if *exporter == stack.name => {
                    problems.push(problem(format!("imports `{name}`, which this stack exports itself")))
                }
                Some((exporter, _)) if !stack.depends_on.iter().any(|s| s == exporter) => problems.push(problem(
                    format!("imports `{name}` from {exporter}, which is not among the stacks it depends on"),
                )),
                Some(_) => {}
                None if external.literal.contains(&name) => {}
                None => problems.push(problem(format!("imports `{name}`, which no stack of this build exports"))),
            },
            ImportName::Computed(value) if !external.computed => {
                problems.push(problem(format!("imports a name that is not a constant: {value}")))
            }
            ImportName::Computed(_) => {}
        }
    }
    problems
}

/// Panics listing every problem of the build, if there is one.
#[track_caller]
pub fn assert_consistent(what: &str, stacks: &[Stack], external: &ExternalImports) {
    let problems = check_build(stacks, external);
    if !problems.is_empty() {
        let list: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
        panic!("{what}: the templates name what they do not declare:\n{}", list.join("\n"));
    }
}

/// The name an `Fn::ImportValue` or an `Export` gives: known, or computed at
/// deploy time.
enum ImportName {
    Constant(String),
    Computed(String),
}

/// What a template declares, by section.
#[derive(Default)]
struct Declared {
    parameters: BTreeSet<String>,
    resources: BTreeSet<String>,
    conditions: BTreeSet<String>,
    mappings: Map<String, Value>,
}

struct Walker<'a> {
    stack: &'a str,
    template: &'a Value,
    declared: Declared,
    /// Inside `Conditions`: nothing may be read that exists only once the
    /// stack is being created.
    in_conditions: bool,
    problems: Vec<Problem>,
    exports: Vec<(String, String)>,
    imports: Vec<(ImportName, String)>,
}

fn section<'v>(template: &'v Value, name: &str) -> impl Iterator<Item = (&'v String, &'v Value)> {
    template.get(name).and_then(Value::as_object).into_iter().flatten()
}

impl<'a> Walker<'a> {
    fn new(stack: &'a str, template: &'a Value) -> Walker<'a> {
        let names = |name| section(template, name).map(|(key, _)| key.clone()).collect();
        let declared = Declared {
            parameters: names("Parameters"),
            resources: names("Resources"),
            conditions: names("Conditions"),
            mappings: template.get("Mappings").and_then(Value::as_object).cloned().unwrap_or_default(),
        };
        Walker {
            stack,
            template,
            declared,
            in_conditions: false,
            problems: Vec::new(),
            exports: Vec::new(),
            imports: Vec::new(),
        }
    }

    fn report(&mut self, at: &str, message: String) {
        self.problems.push(Problem { stack: self.stack.to_string(), at: at.to_string(), message });
    }

    fn template(&mut self) {
        let template = self.template;
        self.in_conditions = true;
        for (name, body) in section(template, "Conditions") {
            self.value(body, &format!("Conditions.{name}"));
        }
        self.in_conditions = false;
        for (id, resource) in section(template, "Resources") {
            let at = format!("Resources.{id}");
            let Some(resource) = resource.as_object() else {
                self.report(&at, "is not an object".into());
                continue;
            };
            for (key, value) in resource {
                let at = format!("{at}.{key}");
                match key.as_str() {
                    "Type" | "DeletionPolicy" | "UpdateReplacePolicy" => {}
                    "Condition" => self.condition_name(value, &at),
                    "DependsOn" => self.depends_on(id, value, &at),
                    _ => self.value(value, &at),
                }
            }
        }
        for (id, output) in section(template, "Outputs") {
            let at = format!("Outputs.{id}");
            if let Some(condition) = output.get("Condition") {
                self.condition_name(condition, &format!("{at}.Condition"));
            }
            if let Some(value) = output.get("Value") {
                self.value(value, &format!("{at}.Value"));
            } else {
                self.report(&at, "has no Value".into());
            }
            if let Some(name) = output.get("Export").and_then(|export| export.get("Name")) {
                let at = format!("{at}.Export.Name");
                self.value(name, &at);
                match self.name_of(name) {
                    ImportName::Constant(name) => self.exports.push((name, at)),
                    ImportName::Computed(_) => {}
                }
            }
        }
    }

    /// `Condition: X` on a resource or output, and `Fn::If`'s first argument.
    fn condition_name(&mut self, name: &Value, at: &str) {
        match name.as_str() {
            Some(name) if self.declared.conditions.contains(name) => {}
            Some(name) => self.report(at, format!("names condition `{name}`, which the template does not declare")),
            None => self.report(at, format!("a condition name must be a string, not {name}")),
        }
    }

    fn depends_on(&mut self, id: &str, names: &Value, at: &str) {
        let names: Vec<&Value> = match names {
            Value::Array(items) => items.iter().collect(),
            one => vec![one],
        };
        for name in names {
            match name.as_str() {
                Some(name) if name == id => self.report(at, "depends on itself".into()),
                Some(name) if self.declared.resources.contains(name) => {}
                Some(name) => self.report(at, format!("depends on `{name}`, which is not a resource of the template")),
                None => self.report(at, format!("DependsOn takes logical IDs, not {name}")),
            }
        }
    }

    fn value(&mut self, value: &Value, at: &str) {
        match value {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.value(item, &format!("{at}[{i}]"));
                }
            }
            Value::Object(entries) => {
                if entries.len() == 1 {
                    let (key, argument) = entries.iter().next().expect("one entry");
                    if key == "Ref" || key.starts_with("Fn::") || (self.in_conditions && key == "Condition") {
                        self.intrinsic(key, argument, &format!("{at}.{key}"));
                        return;
                    }
                }
                for (key, value) in entries {
                    self.value(value, &format!("{at}.{key}"));
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {}
        }
    }

    fn intrinsic(&mut self, function: &str, argument: &Value, at: &str) {
        match function {
            "Ref" => match argument.as_str() {
                Some(name) => self.name(name, false, at),
                None => self.report(at, format!("`Ref` takes a name, not {argument}")),
            },
            "Fn::GetAtt" => {
                let (id, attribute) = match argument {
                    Value::String(text) => match text.split_once('.') {
                        Some((id, attribute)) => (id, Value::String(attribute.to_string())),
                        None => return self.report(at, format!("`{text}` is not `Id.Attribute`")),
                    },
                    Value::Array(items) if items.len() == 2 && items[0].is_string() => {
                        (items[0].as_str().expect("checked"), items[1].clone())
                    }
                    _ => return self.report(at, format!("`Fn::GetAtt` takes [Id, Attribute], not {argument}")),
                };
                self.value(&attribute, at);
                self.name(id, true, at);
            }
            "Fn::Sub" => {
                let (text, variables) = match argument {
                    Value::String(text) => (text.as_str(), None),
                    Value::Array(items) if items.len() == 2 && items[0].is_string() && items[1].is_object() => {
                        (items[0].as_str().expect("checked"), items[1].as_object())
                    }
                    _ => {
                        return self.report(at, format!("`Fn::Sub` takes a string or [string, object], not {argument}"))
                    }
                };
                if let Some(variables) = variables {
                    for (name, value) in variables {
                        self.value(value, &format!("{at}.{name}"));
                    }
                }
                for placeholder in placeholders(text) {
                    let (name, attribute) = match placeholder.split_once('.') {
                        Some((name, _)) => (name, true),
                        None => (placeholder, false),
                    };
                    if variables.is_some_and(|v| v.contains_key(placeholder) || v.contains_key(name)) {
                        continue;
                    }
                    self.name(name, attribute, at);
                }
            }
            "Fn::If" => match argument.as_array().map(Vec::as_slice) {
                Some([condition, yes, no]) => {
                    self.condition_name(condition, at);
                    self.value(yes, &format!("{at}[1]"));
                    self.value(no, &format!("{at}[2]"));
                }
                _ => self.report(at, format!("`Fn::If` takes [condition, then, else], not {argument}")),
            },
            "Condition" => self.condition_name(argument, at),
            "Fn::FindInMap" => self.find_in_map(argument, at),
            "Fn::ImportValue" => {
                if self.in_conditions {
                    self.report(at, "reads an import inside Conditions".into());
                }
                self.value(argument, at);
                let name = self.name_of(argument);
                self.imports.push((name, at.to_string()));
            }
            _ => self.value(argument, at),
        }
    }

    /// A name read with `Ref` or `${X}`, or with an attribute by
    /// `Fn::GetAtt` or `${X.Attr}`.
    fn name(&mut self, name: &str, with_attribute: bool, at: &str) {
        let is_resource = self.declared.resources.contains(name);
        if self.in_conditions && is_resource {
            return self.report(at, format!("reads resource `{name}` inside Conditions"));
        }
        let known = is_resource
            || (!with_attribute && (self.declared.parameters.contains(name) || PSEUDO_PARAMETERS.contains(&name)));
        if !known {
            let what = if with_attribute { "a resource" } else { "a parameter, resource or pseudo parameter" };
            self.report(at, format!("reads `{name}`, which is not {what} of the template"));
        }
    }

    fn find_in_map(&mut self, argument: &Value, at: &str) {
        let Some([map, first, second, rest @ ..]) = argument.as_array().map(Vec::as_slice) else {
            return self.report(at, format!("`Fn::FindInMap` takes [map, key, key], not {argument}"));
        };
        self.value(first, at);
        self.value(second, at);
        // `[map, key, key, { DefaultValue: v }]` (`AWS::LanguageExtensions`)
        // reads the default where the mapping has no cell.
        let default = match rest {
            [] => None,
            [Value::Object(options)] if options.len() == 1 && options.contains_key("DefaultValue") => {
                options.get("DefaultValue")
            }
            _ => {
                return self
                    .report(at, format!("`Fn::FindInMap`'s fourth argument is {{ DefaultValue }}, not {argument}"))
            }
        };
        if let Some(default) = default {
            self.value(default, at);
        }
        let Some(map_name) = map.as_str() else {
            return self.value(map, at);
        };
        let Some(table) = self.declared.mappings.get(map_name).and_then(Value::as_object).cloned() else {
            return self.report(at, format!("reads mapping `{map_name}`, which the template does not declare"));
        };
        // A deploy-time first key may pick any row, so each needs a constant second key.
        let rows: Vec<(&String, &Value)> = match first.as_str() {
            Some(key) => match table.get_key_value(key) {
                Some(row) => vec![row],
                None if default.is_some() => return,
                None => return self.report(at, format!("reads row `{key}` of mapping `{map_name}`, which has none")),
            },
            None => table.iter().collect(),
        };
        if let (Some(key), None) = (second.as_str(), default) {
            for (row, values) in rows {
                if values.get(key).is_none() {
                    self.report(at, format!("reads `{key}` of row `{row}` of mapping `{map_name}`, which has none"));
                }
            }
        }
    }

    /// An export or import name: a constant, or a `Fn::Sub` of constants
    /// and this stack's own name (stacks deploy under their names).
    fn name_of(&self, name: &Value) -> ImportName {
        match name {
            Value::String(text) => ImportName::Constant(text.clone()),
            Value::Object(entries) if entries.len() == 1 => match entries.get("Fn::Sub").and_then(Value::as_str) {
                Some(text) if placeholders(text).all(|p| p == "AWS::StackName") => {
                    ImportName::Constant(text.replace("${AWS::StackName}", self.stack).replace("${!", "${"))
                }
                _ => ImportName::Computed(name.to_string()),
            },
            _ => ImportName::Computed(name.to_string()),
        }
    }
}

/// The names in an `Fn::Sub` string's `${...}` (`${!literal}` is an escape).
fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || loop {
        let start = rest.find("${")?;
        let after = &rest[start + 2..];
        let end = after.find('}')?;
        rest = &after[end + 1..];
        if !after.starts_with('!') {
            return Some(&after[..end]);
        }
    })
}
