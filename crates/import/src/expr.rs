//! Values: template JSON, intrinsic functions included, turned into infra
//! expressions. `Ref` and `Fn::GetAtt` become names and members, `Fn::Sub`
//! and `Fn::Join` interpolated strings, conditions operators, and the other
//! functions the built-ins that compile back to them.

use serde_json::{Map, Value};

use crate::layout::{Node, Part};
use crate::names::{Kind, Names};
use crate::problems::{Code, Pointer, Problem};

/// The pseudo parameters and their infra names.
const PSEUDO: &[(&str, &str)] = &[
    ("AWS::Region", "aws.region"),
    ("AWS::AccountId", "aws.account_id"),
    ("AWS::StackName", "aws.stack_name"),
    ("AWS::StackId", "aws.stack_id"),
    ("AWS::Partition", "aws.partition"),
    ("AWS::URLSuffix", "aws.url_suffix"),
    ("AWS::NoValue", "aws.no_value"),
    ("AWS::NotificationARNs", "aws.notification_arns"),
];

/// Functions CloudFormation has (or its transforms add) that the language
/// has no form for.
const UNSUPPORTED: &[&str] = &["Fn::Transform", "Fn::ToJsonString", "Fn::Length", "Fn::GetStackOutput"];

/// `Fn::GetStackOutput`'s keys, and the names `stack_output` gives them
/// (the first two are its arguments, the others its settings).
const STACK_OUTPUT_KEYS: &[(&str, &str)] =
    &[("StackName", "stack_name"), ("OutputName", "output_name"), ("Region", "region"), ("RoleArn", "role_arn")];

/// Converts values of one template, collecting problems.
pub struct Converter<'a> {
    pub names: &'a Names,
    pub problems: Vec<Problem>,
    /// References found (logical IDs), for `DependsOn`.
    pub referenced: Vec<String>,
    /// Mappings read with a key known only at deploy time.
    pub mappings_used: Vec<String>,
    /// YAML comments written right above a declaration, by section and
    /// logical ID, to keep as `//` comments.
    pub comments: std::collections::HashMap<(String, String), Vec<String>>,
    /// In the body of a `Fn::ForEach` written as a resource loop: its
    /// identifier and the loop variable standing for it.
    pub loop_var: Option<(String, String)>,
}

fn malformed(what: &str) -> String {
    format!("malformed {what}")
}

impl<'a> Converter<'a> {
    pub fn new(names: &'a Names) -> Self {
        Converter {
            names,
            problems: Vec::new(),
            referenced: Vec::new(),
            mappings_used: Vec::new(),
            comments: Default::default(),
            loop_var: None,
        }
    }

    pub fn report(&mut self, code: Code, message: impl Into<String>, at: &Pointer) {
        self.problems.push(Problem { code, message: message.into(), at: at.clone() });
    }

    fn error(&mut self, code: Code, message: impl Into<String>, at: &Pointer) -> Node {
        self.report(code, message, at);
        Node::Atom("null".into())
    }

    /// A value where CloudFormation reads a value.
    pub fn value(&mut self, v: &Value, at: &Pointer) -> Node {
        // A raised instance's output, as the instance builds it.
        if let Some((_, output)) = self.names.forms.iter().find(|(form, _)| form == v) {
            return Node::Atom(output.clone());
        }
        match v {
            Value::Null => Node::Atom("null".into()),
            Value::Bool(b) => Node::Atom(b.to_string()),
            Value::Number(n) => Node::Atom(n.to_string()),
            Value::String(s) => Node::text(s.clone()),
            Value::Array(items) => {
                Node::List(items.iter().enumerate().map(|(i, item)| self.value(item, &push(at, i))).collect())
            }
            Value::Object(map) => {
                if let Some((name, arg)) = intrinsic(map) {
                    return self.intrinsic(name, arg, &push(at, name));
                }
                let entries = map.iter().map(|(k, item)| (k.clone(), self.value(item, &push(at, k)))).collect();
                Node::Object(entries)
            }
        }
    }

    /// A condition: in `Conditions`, an `Fn::If`, a rule.
    pub fn condition(&mut self, v: &Value, at: &Pointer) -> Node {
        match v {
            Value::Object(map) if map.len() == 1 && map.contains_key("Condition") => {
                let at = push(at, "Condition");
                match &map["Condition"] {
                    Value::String(name) => self.condition_name(name, &at),
                    _ => self.error(Code::MalformedIntrinsic, malformed("Condition"), &at),
                }
            }
            _ => self.value(v, at),
        }
    }

    pub fn condition_name(&mut self, name: &str, at: &Pointer) -> Node {
        match self.names.conditions.get(name) {
            Some(n) => Node::Atom(n.ident.clone()),
            None => self.error(Code::UnknownName, format!("no condition named `{name}` in the template"), at),
        }
    }

    fn intrinsic(&mut self, name: &str, arg: &Value, at: &Pointer) -> Node {
        match name {
            "Ref" => match arg {
                Value::String(id) => self.reference(id, at),
                _ => self.error(Code::MalformedIntrinsic, malformed("Ref: it takes a logical ID"), at),
            },
            "Fn::GetAtt" => self.get_att(arg, at),
            "Fn::Sub" => self.sub(arg, at),
            "Fn::Join" => self.join(arg, at),
            "Fn::If" => match arg.as_array().map(Vec::as_slice) {
                Some([Value::String(c), a, b]) => {
                    let c = self.condition_name(c, &push(at, 0));
                    let a = self.value(a, &push(at, 1));
                    let b = self.value(b, &push(at, 2));
                    Node::Ternary(Box::new(c), Box::new(a), Box::new(b))
                }
                _ => self.error(Code::MalformedIntrinsic, malformed("Fn::If: [condition, then, else]"), at),
            },
            "Fn::Equals" => match arg.as_array().map(Vec::as_slice) {
                Some([a, b]) => {
                    let a = self.value(a, &push(at, 0));
                    let b = self.value(b, &push(at, 1));
                    Node::Binary("==", Box::new(a), Box::new(b))
                }
                _ => self.error(Code::MalformedIntrinsic, malformed("Fn::Equals: [a, b]"), at),
            },
            "Fn::Not" => match arg.as_array().map(Vec::as_slice) {
                Some([inner]) => match self.condition(inner, &push(at, 0)) {
                    Node::Binary("==", a, b) => Node::Binary("!=", a, b),
                    other => Node::Unary("!", Box::new(other)),
                },
                _ => self.error(Code::MalformedIntrinsic, malformed("Fn::Not: [condition]"), at),
            },
            "Fn::And" | "Fn::Or" => match arg.as_array() {
                Some(items) if items.len() >= 2 => {
                    let op = if name == "Fn::And" { "&&" } else { "||" };
                    let parts = items.iter().enumerate().map(|(i, c)| self.condition(c, &push(at, i))).collect();
                    Node::Chain(op, parts)
                }
                _ => self.error(Code::MalformedIntrinsic, malformed(&format!("{name}: 2 to 10 conditions")), at),
            },
            "Fn::Select" => match arg.as_array().map(Vec::as_slice) {
                Some([index, list]) => {
                    let index = self.number(index, &push(at, 0));
                    let list = self.value(list, &push(at, 1));
                    match list {
                        Node::Atom(_) | Node::Call(..) => Node::Index(Box::new(list), Box::new(index)),
                        list => Node::Call("select", vec![index, list]),
                    }
                }
                _ => self.error(Code::MalformedIntrinsic, malformed("Fn::Select: [index, list]"), at),
            },
            "Fn::Split" => match arg.as_array().map(Vec::as_slice) {
                Some([sep @ Value::String(_), text]) => {
                    let sep = self.value(sep, &push(at, 0));
                    let text = self.value(text, &push(at, 1));
                    Node::Call("split", vec![sep, text])
                }
                _ => self.error(Code::MalformedIntrinsic, malformed("Fn::Split: [separator, text]"), at),
            },
            "Fn::Base64" => {
                let inner = self.value(arg, at);
                Node::Call("base64", vec![inner])
            }
            "Fn::ImportValue" => {
                let inner = self.value(arg, at);
                Node::Call("import_value", vec![inner])
            }
            "Fn::GetAZs" => match arg {
                Value::String(s) if s.is_empty() => Node::Call("azs", vec![]),
                Value::Null => {
                    self.report(Code::NotKept, "`Fn::GetAZs` of nothing comes back as `Fn::GetAZs: \"\"`", at);
                    Node::Call("azs", vec![])
                }
                _ => {
                    let region = self.value(arg, at);
                    Node::Call("azs", vec![region])
                }
            },
            "Fn::Cidr" => match arg.as_array().map(Vec::as_slice) {
                Some([block, count, bits]) => {
                    let block = self.value(block, &push(at, 0));
                    let count = self.number(count, &push(at, 1));
                    let bits = self.number(bits, &push(at, 2));
                    Node::Call("cidr", vec![block, count, bits])
                }
                _ => self.error(Code::MalformedIntrinsic, malformed("Fn::Cidr: [block, count, host bits]"), at),
            },
            "Fn::FindInMap" => self.find_in_map(arg, at),
            "Fn::Contains" | "Fn::EachMemberEquals" | "Fn::EachMemberIn" => {
                let function = match name {
                    "Fn::Contains" => "contains",
                    "Fn::EachMemberEquals" => "each_member_equals",
                    _ => "each_member_in",
                };
                match arg.as_array().map(Vec::as_slice) {
                    Some([list, value]) => {
                        let list = self.value(list, &push(at, 0));
                        let value = self.value(value, &push(at, 1));
                        Node::Call(function, vec![list, value])
                    }
                    _ => self.error(Code::MalformedIntrinsic, malformed(&format!("{name}: [list, value]")), at),
                }
            }
            "Fn::Transform" => {
                // A list of one macro call is that call.
                let call = match arg {
                    Value::Array(calls) if calls.len() == 1 => &calls[0],
                    other => other,
                };
                match call.as_object().map(|c| (c.get("Name"), c.get("Parameters"), c.len())) {
                    Some((Some(name @ Value::String(_)), None, 1)) => {
                        let name = self.value(name, &push(at, "Name"));
                        Node::Call("transform", vec![name])
                    }
                    Some((Some(name @ Value::String(_)), Some(parameters @ Value::Object(_)), 2)) => {
                        let name = self.value(name, &push(at, "Name"));
                        let parameters = self.value(parameters, &push(at, "Parameters"));
                        Node::Call("transform", vec![name, parameters])
                    }
                    _ => self.error(Code::MalformedIntrinsic, malformed("Fn::Transform: { Name, Parameters }"), at),
                }
            }
            "Fn::GetStackOutput" => match arg.as_object() {
                Some(call) if call.keys().all(|k| STACK_OUTPUT_KEYS.iter().any(|(key, _)| key == k)) => {
                    let (Some(stack), Some(output)) = (call.get("StackName"), call.get("OutputName")) else {
                        return self.error(
                            Code::MalformedIntrinsic,
                            malformed("Fn::GetStackOutput: { StackName, OutputName }"),
                            at,
                        );
                    };
                    let stack = self.value(stack, &push(at, "StackName"));
                    let output = self.value(output, &push(at, "OutputName"));
                    let mut settings = Vec::new();
                    for (key, setting) in STACK_OUTPUT_KEYS.iter().skip(2) {
                        if let Some(value) = call.get(*key) {
                            settings.push((setting.to_string(), self.value(value, &push(at, key))));
                        }
                    }
                    let mut args = vec![stack, output];
                    if !settings.is_empty() {
                        args.push(Node::Object(settings));
                    }
                    Node::Call("stack_output", args)
                }
                _ => self.error(
                    Code::MalformedIntrinsic,
                    malformed("Fn::GetStackOutput: { StackName, OutputName, Region, RoleArn }"),
                    at,
                ),
            },
            "Fn::RefAll" => match arg {
                Value::String(_) => {
                    let parameter_type = self.value(arg, at);
                    Node::Call("ref_all", vec![parameter_type])
                }
                _ => self.error(Code::MalformedIntrinsic, malformed("Fn::RefAll: a parameter type"), at),
            },
            "Fn::ValueOf" => match arg.as_array().map(Vec::as_slice) {
                Some([Value::String(parameter), attribute @ Value::String(_)]) => {
                    let parameter = self.reference(parameter, &push(at, 0));
                    let attribute = self.value(attribute, &push(at, 1));
                    Node::Call("value_of", vec![parameter, attribute])
                }
                _ => self.error(Code::MalformedIntrinsic, malformed("Fn::ValueOf: [parameter, attribute]"), at),
            },
            "Fn::ValueOfAll" => match arg.as_array().map(Vec::as_slice) {
                Some([parameter_type @ Value::String(_), attribute @ Value::String(_)]) => {
                    let parameter_type = self.value(parameter_type, &push(at, 0));
                    let attribute = self.value(attribute, &push(at, 1));
                    Node::Call("value_of_all", vec![parameter_type, attribute])
                }
                _ => self.error(Code::MalformedIntrinsic, malformed("Fn::ValueOfAll: [parameter type, attribute]"), at),
            },
            "Condition" => match arg {
                Value::String(c) => self.condition_name(c, at),
                _ => self.error(Code::MalformedIntrinsic, malformed("Condition"), at),
            },
            _ if UNSUPPORTED.contains(&name) || name.starts_with("Fn::ForEach") => {
                self.error(Code::Unsupported, format!("`{name}` has no form in infra"), at)
            }
            _ => self.error(Code::UnknownIntrinsic, format!("unknown intrinsic function `{name}`"), at),
        }
    }

    /// A count or index, written as a number even when the template wrote
    /// it as text (CloudFormation reads both).
    fn number(&mut self, v: &Value, at: &Pointer) -> Node {
        match v {
            Value::String(s) if s.parse::<i64>().is_ok() => Node::Atom(s.clone()),
            _ => self.value(v, at),
        }
    }

    /// `Ref`: a parameter, a resource or a pseudo parameter.
    pub fn reference(&mut self, id: &str, at: &Pointer) -> Node {
        if let Some((_, var)) = self.loop_var.as_ref().filter(|(identifier, _)| identifier == id) {
            return Node::Atom(var.clone());
        }
        if let Some((_, name)) = PSEUDO.iter().find(|(p, _)| *p == id) {
            return Node::Atom(name.to_string());
        }
        match self.names.entity(id) {
            Some((_, name)) => {
                self.referenced.push(id.to_string());
                Node::Atom(name.ident.clone())
            }
            None => self.unknown_reference(id, at),
        }
    }

    fn unknown_reference(&mut self, id: &str, at: &Pointer) -> Node {
        let message = if self.names.conditions.contains_key(id) {
            format!("`{id}` is a condition; a reference names a parameter or a resource")
        } else {
            format!("no parameter or resource named `{id}` in the template")
        };
        self.error(Code::UnknownName, message, at)
    }

    fn get_att(&mut self, arg: &Value, at: &Pointer) -> Node {
        let (resource, attribute) = match arg {
            Value::String(s) => match s.split_once('.') {
                Some((r, a)) => (r.to_string(), a.to_string()),
                None => return self.error(Code::MalformedIntrinsic, malformed("Fn::GetAtt: Resource.Attribute"), at),
            },
            Value::Array(items) => match items.as_slice() {
                [Value::String(r), Value::String(a)] => (r.clone(), a.clone()),
                [Value::String(_), _] => {
                    return self.error(Code::Unsupported, "an attribute named at deploy time has no form in infra", at)
                }
                _ => return self.error(Code::MalformedIntrinsic, malformed("Fn::GetAtt: [resource, attribute]"), at),
            },
            _ => return self.error(Code::MalformedIntrinsic, malformed("Fn::GetAtt: [resource, attribute]"), at),
        };
        self.attribute(&resource, &attribute, at)
    }

    fn attribute(&mut self, resource: &str, attribute: &str, at: &Pointer) -> Node {
        if let Some(raise) = self.names.raised.get(resource) {
            self.referenced.push(resource.to_string());
            return match crate::constructs::output_for(raise, attribute) {
                Some(output) => Node::Atom(format!("{}.{output}", raise.instance)),
                None => self.error(
                    Code::Unsupported,
                    format!("`{}` has no output for the attribute `{attribute}`", raise.construct),
                    at,
                ),
            };
        }
        let ident = match self.names.entity(resource) {
            Some((Kind::Resource, name)) => name.ident.clone(),
            Some(_) => {
                return self.error(
                    Code::UnknownName,
                    format!("`{resource}` is a parameter, which has no attributes"),
                    at,
                )
            }
            None => {
                return self.error(Code::UnknownName, format!("no resource named `{resource}` in the template"), at)
            }
        };
        if !attribute.split('.').all(crate::layout::is_word) {
            return self.error(
                Code::Unsupported,
                format!("the attribute `{attribute}` is not a name infra can write after a `.`"),
                at,
            );
        }
        self.referenced.push(resource.to_string());
        Node::Atom(format!("{ident}.{attribute}"))
    }

    /// `Fn::Sub`: an interpolated string, its variables written in place.
    fn sub(&mut self, arg: &Value, at: &Pointer) -> Node {
        let (template, variables) = match arg {
            Value::String(s) => (s.as_str(), None),
            Value::Array(items) => match items.as_slice() {
                [Value::String(s), Value::Object(vars)] => (s.as_str(), Some(vars)),
                [Value::String(s)] => (s.as_str(), None),
                _ => return self.error(Code::MalformedIntrinsic, malformed("Fn::Sub: [template, variables]"), at),
            },
            Value::Object(map) if intrinsic(map).is_some() => {
                return self.error(
                    Code::Unsupported,
                    "an `Fn::Sub` template computed by a function has no form in infra",
                    at,
                )
            }
            _ => return self.error(Code::MalformedIntrinsic, malformed("Fn::Sub: a template string"), at),
        };
        let mut parts = Vec::new();
        let mut rest = template;
        while let Some(start) = rest.find("${") {
            push_text(&mut parts, &rest[..start]);
            let after = &rest[start + 2..];
            if let Some(literal) = after.strip_prefix('!') {
                // `${!x}` is the text `${x}`.
                push_text(&mut parts, "${");
                rest = literal;
                continue;
            }
            let Some(end) = after.find('}') else {
                push_text(&mut parts, &rest[start..]);
                rest = "";
                break;
            };
            let name = after[..end].trim();
            parts.push(self.sub_name(name, variables, at));
            rest = &after[end + 1..];
        }
        push_text(&mut parts, rest);
        merge_text(parts)
    }

    fn sub_name(&mut self, name: &str, variables: Option<&Map<String, Value>>, at: &Pointer) -> Part {
        if let Some(value) = variables.and_then(|vars| vars.get(name)) {
            let at = push(&push(at, 1), name);
            return match value {
                Value::String(s) => Part::Text(s.clone()),
                Value::Number(n) => Part::Text(n.to_string()),
                other => Part::Expr(self.value(other, &at)),
            };
        }
        if name.contains("::") || !name.contains('.') {
            return Part::Expr(self.reference(name, at));
        }
        let (resource, attribute) = name.split_once('.').expect("checked for a dot");
        Part::Expr(self.attribute(resource, attribute, at))
    }

    /// `Fn::Join`: an interpolated string when the items are written out;
    /// `join()` of a list known only at deploy time.
    fn join(&mut self, arg: &Value, at: &Pointer) -> Node {
        let Some([Value::String(separator), list]) = arg.as_array().map(Vec::as_slice) else {
            return self.error(Code::MalformedIntrinsic, malformed("Fn::Join: [separator, list]"), at);
        };
        let Value::Array(items) = list else {
            let list = self.value(list, &push(at, 1));
            return Node::Call("join", vec![Node::text(separator.clone()), list]);
        };
        let mut parts = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                push_text(&mut parts, separator);
            }
            match item {
                Value::String(s) => push_text(&mut parts, s),
                Value::Number(n) => push_text(&mut parts, &n.to_string()),
                Value::Bool(b) => push_text(&mut parts, &b.to_string()),
                other => {
                    let node = self.value(other, &push(&push(at, 1), i));
                    // A string built in place is spliced in.
                    match node {
                        Node::Str(inner) => {
                            for part in inner {
                                match part {
                                    Part::Text(t) => push_text(&mut parts, &t),
                                    expr => parts.push(expr),
                                }
                            }
                        }
                        node => parts.push(Part::Expr(node)),
                    }
                }
            }
        }
        merge_text(parts)
    }

    fn find_in_map(&mut self, arg: &Value, at: &Pointer) -> Node {
        let args = arg.as_array().map(Vec::as_slice).unwrap_or_default();
        if args.len() >= 3 && !args[0].is_string() {
            return self.error(Code::Unsupported, "a mapping named at deploy time has no form in infra", at);
        }
        // A fourth argument (`AWS::LanguageExtensions`): `{ DefaultValue: x }`.
        let (map, first, second, default) = match args {
            [Value::String(map), first, second] => (map, first, second, None),
            [Value::String(map), first, second, Value::Object(options)]
                if options.len() == 1 && options.contains_key("DefaultValue") =>
            {
                (map, first, second, options.get("DefaultValue"))
            }
            _ => {
                let shape = "Fn::FindInMap: [mapping, key, key] or [mapping, key, key, { DefaultValue: value }]";
                return self.error(Code::MalformedIntrinsic, malformed(shape), at);
            }
        };
        let Some(name) = self.names.mappings.get(map) else {
            return self.error(Code::UnknownName, format!("no mapping named `{map}` in the template"), &push(at, 0));
        };
        let ident = name.ident.clone();
        let first_node = self.value(first, &push(at, 1));
        let second_node = self.value(second, &push(at, 2));
        if !(first.is_string() && second.is_string()) {
            self.mappings_used.push(map.clone());
        } else {
            self.report(
                Code::NotKept,
                format!("`Fn::FindInMap` with both keys written out is folded into the value it reads from `{map}`"),
                at,
            );
        }
        let mut args = vec![Node::Atom(ident), first_node, second_node];
        if let Some(default) = default {
            args.push(self.value(default, &push(&push(at, 3), "DefaultValue")));
        }
        Node::Call("lookup", args)
    }
}

/// The intrinsic function an object is, if it is one: a single key that
/// is `Ref`, `Condition` or starts with `Fn::`.
pub fn intrinsic(map: &Map<String, Value>) -> Option<(&str, &Value)> {
    if map.len() != 1 {
        return None;
    }
    let (key, value) = map.iter().next()?;
    (key == "Ref" || key.starts_with("Fn::")).then_some((key.as_str(), value))
}

pub fn push(at: &Pointer, segment: impl ToString) -> Pointer {
    let mut next = at.clone();
    next.push(segment.to_string());
    next
}

fn push_text(parts: &mut Vec<Part>, text: &str) {
    if text.is_empty() {
        return;
    }
    match parts.last_mut() {
        Some(Part::Text(last)) => last.push_str(text),
        _ => parts.push(Part::Text(text.to_string())),
    }
}

fn merge_text(parts: Vec<Part>) -> Node {
    let mut merged = Vec::new();
    for part in parts {
        match part {
            Part::Text(t) => push_text(&mut merged, &t),
            expr => merged.push(expr),
        }
    }
    if merged.is_empty() {
        merged.push(Part::Text(String::new()));
    }
    Node::Str(merged)
}
