//! The facts diagnostics are made of, as data: the kind of a value, what a
//! place wanted, where a deploy-time value comes from, what must be known
//! at compile time.
//!
//! Stages build these from their own types (the checker's `Ty`, the schema
//! walker's shapes) and hand them to [`super::builder`], which alone turns
//! them into English. None of them can be printed elsewhere: they have no
//! `Display`.

use serde_json::Number;

/// The kind of a value, as a message names it: "a string", "a list of
/// strings", "an object or a JSON string".
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// Any value, or one whose kind is not known.
    Any,
    Null,
    Bool,
    /// A whole number, where the schema says so.
    Integer,
    Number,
    String,
    /// A list, with the kind of its items where that is known for all of them.
    List(Option<Box<Kind>>),
    Object,
    /// An object, or its JSON text: a schema's `json` string.
    Json,
    /// Any one of these, in order, without repeats.
    OneOf(Vec<Kind>),
}

impl Kind {
    /// A list whose items are all of `item`.
    pub fn list_of(item: Kind) -> Kind {
        Kind::List(Some(Box::new(item)))
    }

    /// A list of items of unknown kind.
    pub fn list() -> Kind {
        Kind::List(None)
    }
}

/// What a value was wanted as, where a kind alone does not say it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueRole {
    /// An operand of `==` or a part of an interpolated string: a string,
    /// number or boolean.
    Scalar,
    /// The body of a resource or a construct instance.
    Properties,
    /// What `.name` reads from: an object or a resource.
    MemberBase,
    /// What a loop or a comprehension iterates: a list or an object.
    Iterable,
    /// A position, or a bound of `range`.
    WholeNumber,
    /// The key in `object[key]`.
    ObjectKey,
    /// What `[i]` is applied to.
    IndexBase,
    /// What `length` measures: a list, string or object.
    Measured,
    /// What `contains` searches: a list, object or string.
    Searched,
    /// The table of `lookup`: an object of objects.
    LookupTable,
    /// A row of a `lookup` table: an object.
    LookupRow,
    /// A cell of a `lookup` table: a string or a list of strings.
    LookupCell,
    /// The variables of `sub`: an object.
    SubVariables,
    /// A dependency of `after`: a resource, or an attribute of one.
    Resource,
    /// The argument of `@allowed`: a list of strings or numbers.
    AllowedValues,
    /// The argument of `@tags`: an object of tags.
    Tags,
    /// The first argument of `@override`: the path of a resource inside the
    /// instance.
    OverridePath,
}

/// What a place wanted: a kind of value, or a role that says more.
#[derive(Clone, Debug, PartialEq)]
pub enum Expected {
    Kind(Kind),
    Role(ValueRole),
}

impl From<Kind> for Expected {
    fn from(kind: Kind) -> Expected {
        Expected::Kind(kind)
    }
}

impl From<ValueRole> for Expected {
    fn from(role: ValueRole) -> Expected {
        Expected::Role(role)
    }
}

/// What would fix a value of the wrong type, when something simple would.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeHint {
    None,
    /// The value would do as the single item of a list.
    WrapInList,
    /// A list where one value is expected.
    OneValue,
    /// Tags written as an object where the type takes a list of `{ Key, Value }`.
    TagList,
}

/// What a call with the wrong number of arguments calls.
#[derive(Clone, Copy, Debug)]
pub enum Callee<'a> {
    /// A built-in function, by name: `join`.
    Function(&'a str),
    /// A decorator, by name without the `@`: `deletion_policy`.
    Decorator(&'a str),
    /// A user function (`let name(a) = ...`), with where it is declared.
    UserFunction(&'a str, crate::source::Span),
}

/// What makes a value deploy-time: where it comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum Origin {
    /// A parameter, by its declared name.
    Parameter(String),
    /// A resource, or an attribute of one, by the resource's declared name.
    Resource(String),
    /// A construct instance, by its declared name.
    Instance(String),
    /// `aws.<name>`, by the name after `aws.`.
    PseudoParameter(String),
    /// A value imported from another stack, by that stack's name.
    Stack(String),
    /// A built-in function that is always deploy-time (`azs`), by name.
    Function(&'static str),
    /// A `{{resolve:...}}` string, which CloudFormation fills in.
    DynamicReference,
    /// None of the above is known (an expression of deploy-time parts that
    /// lost track of them).
    Unnamed,
}

/// A place that takes only a value known at compile time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompileTimeNeed<'a> {
    /// The argument of a decorator, by the decorator's name without `@`.
    DecoratorArgument(&'a str),
    /// A logical ID given by `@logical_id`.
    LogicalId,
    /// A parameter's default.
    ParameterDefault,
    /// The list or object a comprehension iterates.
    ComprehensionList,
    /// The list or object a resource loop iterates.
    ResourceLoopList,
    /// The key in `object[key]`.
    ObjectKey,
    /// The table of `lookup`, which becomes a `Mappings` entry.
    LookupTable,
    /// The only argument of a function, by the function's name (`length`).
    Argument(&'a str),
    /// A bound of a function that counts (`range`).
    Bound(&'a str),
    /// A list a function joins (`concat`).
    JoinedList(&'a str),
    /// What a function searches (`contains`).
    Searched(&'a str),
    /// The key a function reads (`get`).
    Key(&'a str),
    /// The separator of a function (`join`, `split`).
    Separator(&'a str),
    /// The template of a function (`sub`).
    Template(&'a str),
    /// An operand of an operator that folds at compile time (`<`, `+`).
    Operand(&'a str),
}

/// Why arithmetic has no result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArithmeticFault {
    DivisionByZero,
    /// The result is too large to hold (or not a finite number).
    Overflow,
}

/// A kind of declaration, as messages name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Declaration {
    Parameter,
    Let,
    Resource,
    /// An `existing` description: nothing the template creates.
    Existing,
    Output,
    Construct,
    Stack,
    Import,
}

/// A name used as a value that is a namespace of other names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Namespace<'a> {
    /// `aws`, whose members are the pseudo parameters.
    Aws,
    /// A stack, with the names it declares that another stack can read,
    /// its resources first.
    Stack { name: &'a str, members: &'a [&'a str] },
    /// A module imported `as` a name, or a namespace of the standard
    /// library, with the `let`s and the constructs it holds.
    Module { name: &'a str, lets: &'a [&'a str], constructs: &'a [&'a str] },
}

/// What was passed where an instance of a construct is wanted.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Passed<'a> {
    /// An instance of another construct.
    Instance { name: &'a str, construct: &'a str },
    /// A resource of a CloudFormation type.
    Resource { name: &'a str, cfn_type: &'a str },
    /// Some other value, of this kind.
    Value(&'a Kind),
}

/// What is wrong with the arguments of `cidr` computed at compile time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CidrProblem {
    /// The block has no `/prefix`.
    NotABlock(String),
    NotIpv4(String),
    /// The prefix is not a number up to 32.
    BadPrefix(String),
    /// The count is not 1 to 256, or the host bits not 0 to 32.
    CountOrBitsOutOfRange,
    /// Subnets with these host bits do not fit in the block.
    SubnetsLargerThanBlock {
        block: String,
        host_bits: u32,
    },
    /// The block holds fewer subnets of this size than asked for.
    TooFewSubnets {
        block: String,
        available: u64,
        host_bits: u32,
        count: u64,
    },
}

/// A section of a template with a quota on its entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Section {
    Resources,
    Parameters,
    Outputs,
    Mappings,
}

/// A template feature that only a transform makes valid: CloudFormation
/// rejects it unless the template names the transform.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransformFeature {
    /// `@globals`: SAM's `Globals` section.
    SamGlobals,
    /// A `@deletion_policy` or `@update_replace_policy`, by the
    /// decorator's name, known only at deploy time.
    ComputedPolicy(&'static str),
    /// `lookup(table, row, column, default)` with a key known only at
    /// deploy time: `Fn::FindInMap` with a `DefaultValue`.
    LookupDefault,
}

/// A text of a template with a quota on its length.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LimitedText<'a> {
    TemplateDescription,
    /// The description of an output, by its logical ID.
    OutputDescription(&'a str),
}

/// A kind of declaration, as far as decorators are concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// A `param` of a stack (or of a file that is one).
    StackParam,
    /// A `param` of a construct: a property of its instances.
    ConstructParam,
    Let,
    /// A resource of a CloudFormation type.
    Resource,
    /// A resource whose type is a construct.
    Instance,
    /// An `existing` description of infrastructure the program does not manage.
    Existing,
    StackOutput,
    /// An `output` of a construct: an attribute of its instances.
    ConstructOutput,
    Stack,
    Construct,
    Import,
}

/// What a length constraint counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LengthUnit {
    Characters,
    Items,
}

/// How a value breaks a constraint.
#[derive(Clone, Debug, PartialEq)]
pub enum Violation {
    NotAllowed { allowed: Vec<String> },
    BelowMinimum { minimum: Number },
    AboveMaximum { maximum: Number },
    TooShort { length: usize, minimum: u64, unit: LengthUnit },
    TooLong { length: usize, maximum: u64, unit: LengthUnit },
    NoMatch { pattern: String },
}

/// The value a constraint is checked on.
#[derive(Clone, Copy, Debug)]
pub enum ConstrainedValue<'a> {
    /// The default of the parameter `param`.
    Default { param: &'a str },
    /// An instance's value for the construct's parameter `param`.
    Argument { param: &'a str },
}

/// What a constraint decorator limits, which decides the parameter types it
/// applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConstraintFamily {
    /// `@min`, `@max`.
    Bound,
    /// `@min_length`, `@max_length`.
    Length,
    /// `@pattern`.
    Pattern,
}

/// A value two resources of a stack may not share (`check::slots`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum SlotKind {
    /// A listener rule's priority on its listener.
    ListenerRulePriority,
    /// A listener's port on its load balancer.
    ListenerPort,
    /// A security group ingress rule (protocol, ports and source).
    IngressRule,
    /// A Lambda function's event source mapping for one source.
    EventSource,
    /// A REST API method on its resource.
    HttpMethod,
    /// An API Gateway HTTP or WebSocket route key on its API.
    RouteKey,
    /// A REST API resource's path part under its parent.
    PathPart,
    /// A route's destination in its route table.
    RouteDestination,
    /// A subnet's association with a route table.
    SubnetAssociation,
    /// A Route 53 record's name and type in its hosted zone.
    RecordNameAndType,
    /// A physical name, unique in the account: `Name("bucket")`.
    Name(&'static str),
}
