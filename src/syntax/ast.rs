//! The untyped syntax tree, as parsed.
//!
//! Nodes are plain owned data with spans. Recovery from syntax errors leaves
//! `Error` nodes; later stages skip them without reporting again. Comments are
//! kept on the [`File`] so that tools such as a formatter lose none.

use crate::source::{Span, Spanned};

pub type Ident = Spanned<String>;

#[derive(Clone, Debug, PartialEq)]
pub struct File {
    /// Text of the `//!` comments at the top of the file.
    pub doc: Option<String>,
    pub items: Vec<Item>,
    /// Every comment in the file, in source order.
    pub comments: Vec<Comment>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommentKind {
    /// `// ...`
    Line,
    /// `/* ... */`
    Block,
    /// `/// ...`, documents the next declaration.
    OuterDoc,
    /// `//! ...`, documents the enclosing file or stack.
    InnerDoc,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Comment {
    pub kind: CommentKind,
    pub text: String,
    pub span: Span,
}

/// A declaration with its doc comment and decorators.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub doc: Option<String>,
    pub decorators: Vec<Decorator>,
    pub kind: ItemKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ItemKind {
    Param(Param),
    Let(Let),
    Resource(Resource),
    Existing(Existing),
    Output(Output),
    Construct(Construct),
    Stack(Stack),
    Import(Import),
    /// A declaration that did not parse.
    Error,
}

impl ItemKind {
    /// The declared name, if the declaration parsed.
    pub fn name(&self) -> Option<&Ident> {
        match self {
            ItemKind::Param(p) => Some(&p.name),
            ItemKind::Let(l) => Some(&l.name),
            ItemKind::Resource(r) => Some(&r.name),
            ItemKind::Existing(e) => Some(&e.name),
            ItemKind::Output(o) => Some(&o.name),
            ItemKind::Construct(c) => Some(&c.name),
            ItemKind::Stack(s) => Some(&s.name),
            ItemKind::Import(_) | ItemKind::Error => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Decorator {
    pub name: Ident,
    pub args: Vec<Expr>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub name: Ident,
    pub ty: Spanned<TypeExpr>,
    pub default: Option<Expr>,
    /// `param ...name: Construct`: a parameter group, which forwards the
    /// construct's parameters (see [`Construct::groups`]).
    pub group: bool,
}

/// A parameter type: `string`, `list<string>`, `AWS::EC2::VPC::Id`,
/// `AWS::SSM::Parameter::Value<String>`, or a record such as
/// `{ port: number, description?: string }`.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeExpr {
    /// Empty for a record.
    pub name: String,
    pub arg: Option<Box<Spanned<TypeExpr>>>,
    /// A record's fields, in the order written.
    pub fields: Option<Vec<FieldType>>,
}

/// One field of a record type: `port: number`, or `description?: string`
/// when it may be left out.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldType {
    pub name: Ident,
    pub optional: bool,
    pub ty: Spanned<TypeExpr>,
}

impl std::fmt::Display for TypeExpr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(fields) = &self.fields {
            f.write_str("{ ")?;
            for (i, field) in fields.iter().enumerate() {
                let mark = if field.optional { "?" } else { "" };
                let separator = if i + 1 < fields.len() { ", " } else { " " };
                write!(f, "{}{mark}: {}{separator}", field.name.node, field.ty.node)?;
            }
            return f.write_str("}");
        }
        match &self.arg {
            Some(arg) => write!(f, "{}<{}>", self.name, arg.node),
            None => f.write_str(&self.name),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Let {
    pub name: Ident,
    /// `let name(a, b) = body`: a function of these parameters, evaluated
    /// where it is called.
    pub params: Option<Vec<Ident>>,
    pub value: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    pub name: Ident,
    pub ty: Spanned<ResourceType>,
    /// `for x in xs`: one resource per item.
    pub for_each: Option<ForClause>,
    pub body: Expr,
}

/// `existing NAME: ns.Construct { attribute: value, ... }`: infrastructure
/// the program does not manage, described as an instance of a construct by
/// the outputs that consumers read.
#[derive(Clone, Debug, PartialEq)]
pub struct Existing {
    pub name: Ident,
    /// The construct, as written (`ec2.Vpc`).
    pub construct: Spanned<Vec<String>>,
    /// The attributes given: an object of output names to values.
    pub body: Expr,
}

/// `for item in iterable` or `for key, item in iterable`.
#[derive(Clone, Debug, PartialEq)]
pub struct ForClause {
    pub key: Option<Ident>,
    pub item: Ident,
    pub iterable: Expr,
}

/// `construct NAME { declarations }`: a reusable group of resources whose
/// `param`s are its properties and whose `output`s are its attributes.
#[derive(Clone, Debug, PartialEq)]
pub struct Construct {
    pub name: Ident,
    pub items: Vec<Item>,
}

impl Construct {
    /// The construct's parameters (its properties), with their declarations;
    /// parameter groups are not among them.
    pub fn params(&self) -> impl Iterator<Item = (&Item, &Param)> {
        self.items.iter().filter_map(|item| match &item.kind {
            ItemKind::Param(param) if !param.group => Some((item, param)),
            _ => None,
        })
    }

    /// The construct's parameter groups: `param ...service: ecs.FargateService`
    /// takes every parameter of `ecs.FargateService` that the construct does
    /// not declare itself and that no instance spreading the group
    /// (`...service`) sets, and passes the ones given on.
    pub fn groups(&self) -> impl Iterator<Item = (&Item, &Param)> {
        self.items.iter().filter_map(|item| match &item.kind {
            ItemKind::Param(param) if param.group => Some((item, param)),
            _ => None,
        })
    }
}

/// `stack NAME { declarations }`, or `stack NAME: CONSTRUCT { properties }`
/// for a construct instantiated as a whole stack.
#[derive(Clone, Debug, PartialEq)]
pub struct Stack {
    pub name: Ident,
    pub doc: Option<String>,
    pub body: StackBody,
}

#[derive(Clone, Debug, PartialEq)]
pub enum StackBody {
    Items(Vec<Item>),
    Instance { construct: Spanned<Vec<String>>, properties: Expr },
}

/// `import "./lib.infra"`, `import "./lib.infra" as lib` or
/// `import { a, b } from "./lib.infra"`.
#[derive(Clone, Debug, PartialEq)]
pub struct Import {
    pub path: Spanned<String>,
    pub alias: Option<Ident>,
    pub names: Vec<Ident>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ResourceType {
    /// `AWS::S3::Bucket`
    Cfn(String),
    /// `s3.Bucket`
    Path(Vec<String>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Output {
    pub name: Ident,
    pub value: Expr,
}

pub type Expr = Spanned<ExprKind>;

#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Null,
    Bool(bool),
    /// The number as written, so that `1.50` stays `1.50` until folded.
    Number(String),
    Str(Vec<StrPart>),
    List(Vec<Expr>),
    Object(Vec<Property>),
    Name(String),
    Member(Box<Expr>, Ident),
    Index(Box<Expr>, Box<Expr>),
    Call(Box<Expr>, Vec<Expr>),
    Not(Box<Expr>),
    Binary(BinaryOp, Box<Expr>, Box<Expr>),
    Conditional(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `[for x in xs: body]`
    Comprehension(Box<Comprehension>),
    /// An expression that did not parse.
    Error,
}

impl ExprKind {
    /// The property `key` of an object literal, as written.
    pub fn property(&self, key: &str) -> Option<&Property> {
        match self {
            ExprKind::Object(properties) => properties.iter().find(|p| !p.spread && p.key.node == key),
            _ => None,
        }
    }
}

impl Expr {
    /// Calls `visit` with this expression and every one inside it,
    /// outermost first.
    pub fn walk(&self, visit: &mut dyn FnMut(&Expr)) {
        visit(self);
        match &self.node {
            ExprKind::Null | ExprKind::Bool(_) | ExprKind::Number(_) | ExprKind::Name(_) | ExprKind::Error => {}
            ExprKind::Str(parts) => parts.iter().for_each(|part| match part {
                StrPart::Interp(expr) => expr.walk(visit),
                StrPart::Text(_) => {}
            }),
            ExprKind::List(items) => items.iter().for_each(|item| item.walk(visit)),
            ExprKind::Object(properties) => properties.iter().for_each(|p| p.value.walk(visit)),
            ExprKind::Member(base, _) | ExprKind::Not(base) => base.walk(visit),
            ExprKind::Index(a, b) | ExprKind::Binary(_, a, b) => {
                a.walk(visit);
                b.walk(visit);
            }
            ExprKind::Call(callee, args) => {
                callee.walk(visit);
                args.iter().for_each(|arg| arg.walk(visit));
            }
            ExprKind::Conditional(a, b, c) => {
                a.walk(visit);
                b.walk(visit);
                c.walk(visit);
            }
            ExprKind::Comprehension(comprehension) => {
                comprehension.clause.iterable.walk(visit);
                comprehension.body.walk(visit);
            }
        }
    }
}

/// Calls `visit` with every expression of `items`, declarations nested in
/// constructs and stacks included: decorator arguments, defaults, values,
/// loops and bodies.
pub fn walk_items(items: &[Item], visit: &mut dyn FnMut(&Expr)) {
    for item in items {
        item.decorators.iter().flat_map(|d| &d.args).for_each(|arg| arg.walk(visit));
        match &item.kind {
            ItemKind::Param(param) => param.default.iter().for_each(|d| d.walk(visit)),
            ItemKind::Let(let_) => let_.value.walk(visit),
            ItemKind::Resource(resource) => {
                if let Some(clause) = &resource.for_each {
                    clause.iterable.walk(visit);
                }
                resource.body.walk(visit);
            }
            ItemKind::Existing(existing) => existing.body.walk(visit),
            ItemKind::Output(output) => output.value.walk(visit),
            ItemKind::Construct(construct) => walk_items(&construct.items, visit),
            ItemKind::Stack(stack) => match &stack.body {
                StackBody::Items(items) => walk_items(items, visit),
                StackBody::Instance { properties, .. } => properties.walk(visit),
            },
            ItemKind::Import(_) | ItemKind::Error => {}
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Comprehension {
    pub clause: ForClause,
    pub body: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub enum StrPart {
    Text(String),
    Interp(Expr),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Eq,
    NotEq,
    And,
    Or,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    /// `a ?? b`: `a` unless it is `null`.
    Coalesce,
}

impl BinaryOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Eq => "==",
            BinaryOp::NotEq => "!=",
            BinaryOp::And => "&&",
            BinaryOp::Or => "||",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Rem => "%",
            BinaryOp::Coalesce => "??",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Property {
    pub key: Spanned<String>,
    pub value: Expr,
    /// `...value`: the entries of an object, spread into this one; the key
    /// is then `...`.
    pub spread: bool,
}
