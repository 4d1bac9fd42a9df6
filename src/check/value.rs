//! Values during checking: compile-time data, or deploy-time expressions
//! with the type CloudFormation will give them.

use std::rc::Rc;

use serde_json::Number;

use crate::diagnostics::facts::{Kind, Origin};
use crate::hir;

/// The type of a value, as far as the checker knows it.
#[derive(Clone, Debug, PartialEq)]
pub enum Ty {
    /// Not known until deploy time (e.g. a resource attribute).
    Any,
    Null,
    Bool,
    Number,
    String,
    List(Box<Ty>),
    Object,
}

impl Ty {
    /// The type as diagnostics name it. A list's item type is a guess from
    /// its first item (see [`Val::ty`]), so a list is only "a list".
    pub fn kind(&self) -> Kind {
        match self {
            Ty::Any => Kind::Any,
            Ty::Null => Kind::Null,
            Ty::Bool => Kind::Bool,
            Ty::Number => Kind::Number,
            Ty::String => Kind::String,
            Ty::List(_) => Kind::list(),
            Ty::Object => Kind::Object,
        }
    }
}

/// A value computed by the checker.
#[derive(Clone, Debug)]
pub enum Val {
    Null,
    Bool(bool),
    Number(Number),
    Str(String),
    List(Vec<Val>),
    Object(Vec<(String, Val)>),
    /// Known only at deploy time: an intrinsic function.
    Deploy(Deploy),
    /// A boolean known only at deploy time: a CloudFormation condition.
    Cond(Rc<Cond>),
    /// A CloudFormation resource: its `Ref`, and `Fn::GetAtt` through members.
    Resource(Rc<ResourceHandle>),
    /// A construct instance: its outputs are its members.
    Instance(Rc<InstanceValue>),
    /// A value whose computation failed and was reported already.
    Error,
}

#[derive(Debug)]
pub struct ResourceHandle {
    pub logical_id: String,
    pub cfn_type: String,
    /// The declared name, for messages.
    pub name: String,
}

#[derive(Debug)]
pub struct InstanceValue {
    /// The construct as users name it: `ec2.Vpc`, or `Service` for a user's.
    pub construct: String,
    /// Which construct it is: its module and item index.
    pub kind: (usize, usize),
    pub name: String,
    /// The construct's outputs: name and item index in the construct.
    pub outputs: Vec<(String, usize)>,
    /// The output marked `@primary`: what the instance is where a plain
    /// value is wanted (`VpcId: net` is `net.id`).
    pub primary: Option<usize>,
    /// Where its outputs' values come from.
    pub source: InstanceSource,
}

/// Where an instance's outputs come from.
#[derive(Debug)]
pub enum InstanceSource {
    /// Expanded in this program, in the stack that reads it. Its outputs are
    /// evaluated in the frame on first use, so that two instances may refer
    /// to each other's attributes while their properties are being evaluated.
    Expanded { frame: usize },
    /// Expanded (or described) in the stack `producer` and read in another:
    /// each output read is exported by the producer, under the instance's
    /// path there (`["net"]`), and imported where it is read.
    Imported { inner: std::rc::Rc<InstanceValue>, producer: usize, path: Vec<String> },
    /// Described by `existing`: infrastructure the program does not manage,
    /// whose outputs are the attributes the description gives.
    Existing {
        /// The attributes given, by output name.
        attributes: Vec<(String, Val)>,
        /// The description's name, where it is declared.
        declared: crate::source::Span,
        /// Whether a key of the description was no output (reported): an
        /// attribute it then lacks may be the one misspelt, and is not
        /// reported again.
        misspelt: bool,
    },
}

#[derive(Clone, Debug)]
pub struct Deploy {
    pub ty: Ty,
    pub value: hir::Value,
    /// What makes it deploy-time, for messages.
    pub origin: Origin,
    /// For `c ? a : b` decided at deploy time: the two branches, so that
    /// each is checked against the schema where the value is used.
    pub choice: Option<Rc<(Val, Val)>>,
}

/// A deploy-time boolean.
#[derive(Debug)]
pub struct Cond {
    /// The condition's logical ID once it has one: conditions bound by a
    /// `let` are named after it and emitted once.
    pub name: Option<String>,
    pub node: CondNode,
    /// How the boolean reads as a plain value, where that is simpler than an
    /// `Fn::If` (a `bool` parameter is just its `Ref`).
    pub as_value: Option<hir::Value>,
    /// What makes it deploy-time, for messages.
    pub origin: Origin,
}

#[derive(Clone, Debug)]
pub enum CondNode {
    Equals(hir::Value, hir::Value),
    Not(Rc<Cond>),
    And(Vec<Rc<Cond>>),
    Or(Vec<Rc<Cond>>),
    /// A function only a rule may use (`Fn::Contains`, ...): made only
    /// while an `@assert` is evaluated (`builtins/rules.rs`).
    Rule(hir::RuleFunction, hir::Value, hir::Value),
}

impl Val {
    pub fn ty(&self) -> Ty {
        match self {
            Val::Null => Ty::Null,
            Val::Bool(_) | Val::Cond(_) => Ty::Bool,
            Val::Number(_) => Ty::Number,
            Val::Str(_) => Ty::String,
            Val::List(items) => Ty::List(Box::new(items.first().map_or(Ty::Any, Val::ty))),
            Val::Object(_) | Val::Instance(_) => Ty::Object,
            Val::Resource(_) => Ty::String,
            Val::Deploy(deploy) => deploy.ty.clone(),
            Val::Error => Ty::Any,
        }
    }

    /// Whether the value is fully known at compile time.
    pub fn is_compile_time(&self) -> bool {
        // What `deploy_origin` finds, without building it.
        match self {
            Val::Deploy(_) | Val::Cond(_) | Val::Resource(_) | Val::Instance(_) => false,
            Val::List(items) => items.iter().all(Val::is_compile_time),
            Val::Object(entries) => entries.iter().all(|(_, v)| v.is_compile_time()),
            _ => true,
        }
    }

    /// The kind of the value's type, as diagnostics name it.
    pub fn kind(&self) -> Kind {
        self.ty().kind()
    }

    /// What first makes this value deploy-time, if anything does.
    pub fn deploy_origin(&self) -> Option<Origin> {
        match self {
            Val::Deploy(deploy) => Some(deploy.origin.clone()),
            Val::Cond(cond) => Some(cond.origin.clone()),
            Val::Resource(resource) => Some(Origin::Resource(resource.name.clone())),
            Val::Instance(instance) => Some(Origin::Instance(instance.name.clone())),
            Val::List(items) => items.iter().find_map(Val::deploy_origin),
            Val::Object(entries) => entries.iter().find_map(|(_, v)| v.deploy_origin()),
            _ => None,
        }
    }

    pub fn contains_error(&self) -> bool {
        match self {
            Val::Error => true,
            Val::List(items) => items.iter().any(Val::contains_error),
            Val::Object(entries) => entries.iter().any(|(_, v)| v.contains_error()),
            _ => false,
        }
    }

    /// The text of a compile-time scalar, as interpolation shows it.
    pub fn scalar_text(&self) -> Option<String> {
        match self {
            Val::Str(s) => Some(s.clone()),
            Val::Number(n) => Some(n.to_string()),
            Val::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }
}

/// Whether a value of type `found` can stand where `expected` is wanted.
pub fn assignable(found: &Ty, expected: &Ty) -> bool {
    match (found, expected) {
        (Ty::Any, _) | (_, Ty::Any) => true,
        (Ty::List(a), Ty::List(b)) => assignable(a, b),
        (a, b) => a == b,
    }
}
