//! The checked program, ready for the backend: logical IDs assigned, values
//! folded, deploy-time expressions turned into CloudFormation intrinsics.
//! It is the contract between [`check`](crate::check), which builds it, and
//! [`backend`](crate::backend), which serialises it.
//!
//! **Invariant:** nothing here can be wrong in a way the user must hear
//! about; the backend only serialises it. Every condition and mapping a
//! stack's values name is declared in that stack.

use serde_json::Number;

use crate::source::Span;

pub struct Stack {
    pub name: String,
    /// The file that declares the stack.
    pub source: crate::source::FileId,
    pub description: Option<String>,
    /// The template's `Metadata`, as written with `@metadata`; the backend
    /// adds `AWS::CloudFormation::Interface` from the parameters' groups
    /// and labels.
    pub metadata: Vec<(String, Value)>,
    /// `Transform`: the macros CloudFormation runs on the template first.
    pub transforms: Vec<String>,
    /// SAM's `Globals`, as written with `@globals` (the SAM transform reads
    /// and removes it).
    pub globals: Option<Value>,
    pub parameters: Vec<Parameter>,
    /// Checks of the parameters' values CloudFormation makes before it
    /// deploys (`Rules`).
    pub rules: Vec<Rule>,
    /// Tables read with `Fn::FindInMap`: name and a two-level object.
    pub mappings: Vec<(String, Value)>,
    pub conditions: Vec<Condition>,
    pub resources: Vec<Resource>,
    pub outputs: Vec<Output>,
    /// Stacks this one imports values from; they deploy first.
    pub depends_on: Vec<String>,
}

#[derive(Default)]
pub struct Parameter {
    pub logical_id: String,
    pub cfn_type: String,
    pub description: Option<String>,
    pub default: Option<Value>,
    pub allowed_values: Option<Vec<Value>>,
    pub allowed_pattern: Option<String>,
    pub min_value: Option<Number>,
    pub max_value: Option<Number>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub no_echo: bool,
    pub provenance: Provenance,
    pub constraint_description: Option<String>,
    /// The console's parameter group (`AWS::CloudFormation::Interface`).
    pub group: Option<String>,
    /// The console's label for the parameter.
    pub label: Option<String>,
}

/// One entry of `Rules`.
pub struct Rule {
    pub logical_id: String,
    /// `RuleCondition`: the assertions apply only when it holds.
    pub condition: Option<CondExpr>,
    pub assertions: Vec<Assertion>,
}

pub struct Assertion {
    pub assert: CondExpr,
    pub description: Option<String>,
}

#[derive(Clone)]
pub struct Condition {
    pub logical_id: String,
    pub expr: CondExpr,
}

pub struct Resource {
    pub logical_id: String,
    pub cfn_type: String,
    pub properties: Vec<(String, Value)>,
    pub depends_on: Vec<String>,
    pub condition: Option<String>,
    /// A policy's name, or (under `AWS::LanguageExtensions`) an intrinsic
    /// that computes it.
    pub deletion_policy: Option<Value>,
    pub update_replace_policy: Option<Value>,
    pub provenance: Provenance,
    pub creation_policy: Option<Value>,
    pub update_policy: Option<Value>,
    /// `Metadata`, such as `AWS::CloudFormation::Init` for cfn-init.
    pub metadata: Option<Value>,
    /// SAM's `IgnoreGlobals`: `"*"` or the names of the `Globals` properties
    /// the resource does not take.
    pub ignore_globals: Option<Value>,
}

impl Resource {
    /// Every value the resource holds: its properties, then its metadata and
    /// policies. References in any of them are dependencies.
    pub fn values(&self) -> impl Iterator<Item = &Value> {
        self.properties
            .iter()
            .map(|(_, value)| value)
            .chain(self.metadata.iter())
            .chain(self.creation_policy.iter().chain(self.update_policy.iter()))
            .chain(self.deletion_policy.iter().chain(self.update_replace_policy.iter()))
    }
}

pub struct Output {
    pub logical_id: String,
    pub description: Option<String>,
    pub value: Value,
    pub export_name: Option<Value>,
    pub condition: Option<String>,
    pub provenance: Provenance,
}

/// Where the user declared a parameter, resource or output of the template:
/// what the source map records (`crate::sourcemap`), so that a failure
/// CloudFormation reports by logical ID is shown at the `.infra` line. The
/// backend ignores it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Provenance {
    /// The declaration's name in the user's code; for what a
    /// standard-library construct created, the name of the user's instance
    /// of it.
    pub span: Span,
    /// The declaration's path from its stack: the instances it is inside,
    /// then its own name, each with its loop key (`site.bucket`,
    /// `workers["a"].queue`).
    pub path: String,
    /// For what a standard-library construct created: the construct of the
    /// user's instance (`s3.Bucket`) and the declaration in the library.
    pub library: Option<(String, Span)>,
    /// A resource's top-level properties where the user wrote them (in its
    /// body, or in an `@override` of an instance): name and the span of the
    /// key, in template order.
    pub properties: Vec<(String, Span)>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    List(Vec<Value>),
    Object(Vec<(String, Value)>),
    Intrinsic(Box<Intrinsic>),
}

/// CloudFormation intrinsic functions, by their `Fn::` names.
#[derive(Clone, Debug, PartialEq)]
pub enum Intrinsic {
    /// A parameter, resource or pseudo parameter (`AWS::Region`).
    Ref(String),
    GetAtt(String, String),
    Sub(String, Vec<(String, Value)>),
    Join(String, Value),
    Select(Value, Value),
    Split(String, Value),
    Base64(Value),
    Cidr(Value, Value, Value),
    GetAZs(Value),
    ImportValue(Value),
    If(String, Value, Value),
    /// A mapping, its two keys, and (under `AWS::LanguageExtensions`) the
    /// value where the mapping has none.
    FindInMap(String, Value, Value, Option<Value>),
    /// Rules only: `Fn::RefAll` of a parameter type, the values of every
    /// resource of that type in the account and region.
    RefAll(String),
    /// Rules only: `Fn::ValueOf` of a parameter (its logical ID) and an
    /// attribute of the resource it names (`VpcId`, `Tags.Name`).
    ValueOf(String, String),
    /// Rules only: `Fn::ValueOfAll` of a parameter type and an attribute.
    ValueOfAll(String, String),
    /// `Fn::Transform`: a macro, by name, and its parameters.
    Transform(String, Option<Value>),
    /// `Fn::GetStackOutput`: an output of another stack, by stack and
    /// output name, in another region or through a role when given.
    GetStackOutput {
        stack: Value,
        output: Value,
        region: Option<Value>,
        role_arn: Option<Value>,
    },
}

/// The functions only a rule's assertion may use, each of two operands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleFunction {
    /// `Fn::Contains`: a list holds a string.
    Contains,
    /// `Fn::EachMemberEquals`: every item of a list equals a string.
    EachMemberEquals,
    /// `Fn::EachMemberIn`: every item of a list is in another list.
    EachMemberIn,
}

impl RuleFunction {
    pub fn intrinsic_name(self) -> &'static str {
        match self {
            RuleFunction::Contains => "Fn::Contains",
            RuleFunction::EachMemberEquals => "Fn::EachMemberEquals",
            RuleFunction::EachMemberIn => "Fn::EachMemberIn",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum CondExpr {
    Equals(Value, Value),
    Not(Box<CondExpr>),
    And(Vec<CondExpr>),
    Or(Vec<CondExpr>),
    /// Another named condition.
    Condition(String),
    /// A function only rules have (`Fn::Contains`, ...), of two operands.
    Rule(RuleFunction, Value, Value),
}

impl Value {
    pub fn intrinsic(intrinsic: Intrinsic) -> Value {
        Value::Intrinsic(Box::new(intrinsic))
    }

    /// Calls `visit` with this value and every value inside it, outermost
    /// first: the one walk every question about a value's contents uses.
    pub fn visit(&self, visit: &mut dyn FnMut(&Value)) {
        visit(self);
        match self {
            Value::List(items) => items.iter().for_each(|item| item.visit(visit)),
            Value::Object(entries) => entries.iter().for_each(|(_, value)| value.visit(visit)),
            Value::Intrinsic(intrinsic) => intrinsic.operands().into_iter().for_each(|value| value.visit(visit)),
            Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {}
        }
    }

    /// Calls `visit` with every logical ID this value refers to.
    pub fn for_each_reference(&self, visit: &mut dyn FnMut(&str)) {
        self.visit(&mut |value| {
            let Value::Intrinsic(intrinsic) = value else { return };
            match intrinsic.as_ref() {
                Intrinsic::Ref(id) | Intrinsic::GetAtt(id, _) | Intrinsic::ValueOf(id, _) => visit(id),
                Intrinsic::Sub(template, _) => for_each_sub_reference(template, visit),
                _ => {}
            }
        });
    }
}

impl Intrinsic {
    /// The values the function takes as operands.
    pub fn operands(&self) -> Vec<&Value> {
        match self {
            Intrinsic::Ref(_)
            | Intrinsic::GetAtt(..)
            | Intrinsic::RefAll(_)
            | Intrinsic::ValueOf(..)
            | Intrinsic::ValueOfAll(..) => Vec::new(),
            Intrinsic::Sub(_, variables) => variables.iter().map(|(_, value)| value).collect(),
            Intrinsic::Transform(_, parameters) => parameters.iter().collect(),
            Intrinsic::GetStackOutput { stack, output, region, role_arn } => {
                [Some(stack), Some(output), region.as_ref(), role_arn.as_ref()].into_iter().flatten().collect()
            }
            Intrinsic::Join(_, value)
            | Intrinsic::Split(_, value)
            | Intrinsic::Base64(value)
            | Intrinsic::GetAZs(value)
            | Intrinsic::ImportValue(value) => vec![value],
            Intrinsic::Select(a, b) | Intrinsic::If(_, a, b) | Intrinsic::FindInMap(_, a, b, None) => vec![a, b],
            Intrinsic::FindInMap(_, a, b, Some(default)) => vec![a, b, default],
            Intrinsic::Cidr(a, b, c) => vec![a, b, c],
        }
    }
}

impl CondExpr {
    /// Calls `visit` with every value the condition compares.
    pub fn for_each_value(&self, visit: &mut dyn FnMut(&Value)) {
        match self {
            CondExpr::Equals(a, b) | CondExpr::Rule(_, a, b) => {
                visit(a);
                visit(b);
            }
            CondExpr::Not(inner) => inner.for_each_value(visit),
            CondExpr::And(parts) | CondExpr::Or(parts) => parts.iter().for_each(|p| p.for_each_value(visit)),
            CondExpr::Condition(_) => {}
        }
    }

    /// Calls `visit` with every named condition this one uses.
    pub fn for_each_condition(&self, visit: &mut dyn FnMut(&str)) {
        match self {
            CondExpr::Condition(name) => visit(name),
            CondExpr::Not(inner) => inner.for_each_condition(visit),
            CondExpr::And(parts) | CondExpr::Or(parts) => parts.iter().for_each(|p| p.for_each_condition(visit)),
            CondExpr::Equals(..) | CondExpr::Rule(..) => {}
        }
    }
}

/// The logical IDs named by `${Id}` and `${Id.Attribute}` in an `Fn::Sub`
/// template.
fn for_each_sub_reference(template: &str, visit: &mut dyn FnMut(&str)) {
    for name in sub_names(template) {
        visit(name.split('.').next().unwrap_or(name));
    }
}

/// What stands between `${` and `}` in an `Fn::Sub` template (`Id`,
/// `Id.Attribute`, `AWS::Region`, a variable), but for the literal
/// `${!text}`.
pub fn sub_names(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("${") {
        rest = &rest[start + 2..];
        let Some(end) = rest.find('}') else { break };
        let name = &rest[..end];
        if !name.starts_with('!') {
            names.push(name);
        }
        rest = &rest[end + 1..];
    }
    names
}
