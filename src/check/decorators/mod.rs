//! Decorators: the one table of which decorator goes where, and their
//! lowering into a typed struct per kind of declaration.
//!
//! Before anything is evaluated, every declaration of every module is
//! lowered once ([`lower`]): an unknown, misplaced or repeated decorator, or
//! one with the wrong number of arguments, is reported there and left out.
//! What remains is typed (`ResourceAttrs { when, depends_on, ... }`), with
//! its arguments in place, so the rest of the checker never looks a
//! decorator up by name nor counts its arguments.
//!
//! Arguments are evaluated where the declaration is: `settings.rs` turns them
//! into CloudFormation settings, `constraints.rs` checks values against a
//! parameter's constraints, `params.rs` builds CloudFormation parameters.

mod constraints;
mod params;
mod settings;

use std::collections::HashMap;

pub(crate) use crate::diagnostics::facts::{ConstrainedValue, Place};
pub(in crate::check) use constraints::declared_type;
pub(in crate::check) use params::AWS_PARAMETER_TYPES;

use super::Checker;
use crate::diagnostics::builder as diag;
use crate::diagnostics::facts::Callee;
use crate::diagnostics::suggest::did_you_mean;
use crate::source::Span;
use crate::syntax::ast::{Decorator, Expr, Item, ItemKind, ResourceType, StackBody};

/// Every decorator the language has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum DecoratorKind {
    Allowed,
    Assert,
    ConstraintDescription,
    CreationPolicy,
    DeletionPolicy,
    DependsOn,
    Derived,
    Description,
    Expect,
    Export,
    Globals,
    Group,
    IgnoreGlobals,
    Label,
    LogicalId,
    Max,
    MaxLength,
    Metadata,
    Min,
    MinLength,
    Override,
    Pattern,
    Primary,
    Secret,
    Tags,
    Transform,
    UpdatePolicy,
    UpdateReplacePolicy,
    When,
}

/// How many arguments a decorator takes: from `min` to `max` (no limit
/// when `None`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Arity {
    pub min: usize,
    pub max: Option<usize>,
}

/// One row of the table.
struct Spec {
    name: &'static str,
    arity: Arity,
    places: &'static [Place],
    /// Whether it may be written several times on one declaration.
    repeatable: bool,
}

const NONE: Arity = Arity { min: 0, max: Some(0) };
const ONE: Arity = Arity { min: 1, max: Some(1) };
const TWO: Arity = Arity { min: 2, max: Some(2) };
const TWO_OR_THREE: Arity = Arity { min: 2, max: Some(3) };
const SOME: Arity = Arity { min: 1, max: None };
const PARAMS: &[Place] = &[Place::StackParam, Place::ConstructParam];

impl DecoratorKind {
    pub(crate) const ALL: &'static [DecoratorKind] = &[
        DecoratorKind::Allowed,
        DecoratorKind::Assert,
        DecoratorKind::ConstraintDescription,
        DecoratorKind::CreationPolicy,
        DecoratorKind::DeletionPolicy,
        DecoratorKind::DependsOn,
        DecoratorKind::Derived,
        DecoratorKind::Description,
        DecoratorKind::Expect,
        DecoratorKind::Export,
        DecoratorKind::Globals,
        DecoratorKind::Group,
        DecoratorKind::IgnoreGlobals,
        DecoratorKind::Label,
        DecoratorKind::LogicalId,
        DecoratorKind::Max,
        DecoratorKind::MaxLength,
        DecoratorKind::Metadata,
        DecoratorKind::Min,
        DecoratorKind::MinLength,
        DecoratorKind::Override,
        DecoratorKind::Pattern,
        DecoratorKind::Primary,
        DecoratorKind::Secret,
        DecoratorKind::Tags,
        DecoratorKind::Transform,
        DecoratorKind::UpdatePolicy,
        DecoratorKind::UpdateReplacePolicy,
        DecoratorKind::When,
    ];

    /// The table: name, arguments, where it applies.
    fn spec(self) -> Spec {
        use DecoratorKind::*;
        use Place::*;
        let (name, arity, places, repeatable): (_, _, &'static [Place], _) = match self {
            Allowed => ("allowed", ONE, PARAMS, false),
            Assert => ("assert", TWO_OR_THREE, PARAMS, true),
            ConstraintDescription => ("constraint_description", ONE, PARAMS, false),
            CreationPolicy => ("creation_policy", ONE, &[Resource], false),
            DeletionPolicy => ("deletion_policy", ONE, &[Resource], false),
            DependsOn => ("depends_on", SOME, &[Resource, Instance], false),
            Derived => ("derived", ONE, &[ConstructOutput], false),
            Description => {
                ("description", ONE, &[StackParam, ConstructParam, StackOutput, ConstructOutput, Stack], false)
            }
            // Only a construct's instance is known when compiling: a stack
            // parameter's value arrives at deploy time, with no one to warn.
            Expect => ("expect", TWO, &[ConstructParam], true),
            Export => ("export", ONE, &[StackOutput], false),
            Globals => ("globals", ONE, &[Stack], false),
            Group => ("group", ONE, PARAMS, false),
            IgnoreGlobals => ("ignore_globals", ONE, &[Resource], false),
            Label => ("label", ONE, PARAMS, false),
            LogicalId => ("logical_id", ONE, &[StackParam, Resource, StackOutput, Let], false),
            Max => ("max", ONE, PARAMS, false),
            MaxLength => ("max_length", ONE, PARAMS, false),
            Metadata => ("metadata", ONE, &[Resource, Stack], false),
            Min => ("min", ONE, PARAMS, false),
            MinLength => ("min_length", ONE, PARAMS, false),
            Override => ("override", TWO, &[Instance], true),
            Pattern => ("pattern", ONE, PARAMS, false),
            Primary => ("primary", NONE, &[ConstructOutput], false),
            Secret => ("secret", NONE, PARAMS, false),
            Tags => ("tags", ONE, &[Stack, Instance], false),
            Transform => ("transform", SOME, &[Stack], false),
            UpdatePolicy => ("update_policy", ONE, &[Resource], false),
            UpdateReplacePolicy => ("update_replace_policy", ONE, &[Resource], false),
            When => ("when", ONE, &[Resource, Instance, StackOutput], false),
        };
        Spec { name, arity, places, repeatable }
    }

    /// The name as written after `@`.
    pub(crate) fn name(self) -> &'static str {
        self.spec().name
    }

    pub(crate) fn arity(self) -> Arity {
        self.spec().arity
    }

    /// The declarations it applies to.
    pub(crate) fn places(self) -> &'static [Place] {
        self.spec().places
    }

    pub(crate) fn from_name(name: &str) -> Option<DecoratorKind> {
        DecoratorKind::ALL.iter().copied().find(|kind| kind.name() == name)
    }

    /// The decorators a kind of declaration accepts, in table order.
    pub(crate) fn allowed_at(place: Place) -> Vec<DecoratorKind> {
        DecoratorKind::ALL.iter().copied().filter(|kind| kind.places().contains(&place)).collect()
    }
}

/// Where `item` sits: at the top of a file or stack, or in a construct.
/// `None` for a declaration that did not parse.
pub(crate) fn place_of(item: &Item, in_construct: bool) -> Option<Place> {
    Some(match &item.kind {
        ItemKind::Param(_) if in_construct => Place::ConstructParam,
        ItemKind::Param(_) => Place::StackParam,
        ItemKind::Let(_) => Place::Let,
        ItemKind::Resource(resource) => match resource.ty.node {
            ResourceType::Cfn(_) => Place::Resource,
            ResourceType::Path(_) => Place::Instance,
        },
        ItemKind::Existing(_) => Place::Existing,
        ItemKind::Output(_) if in_construct => Place::ConstructOutput,
        ItemKind::Output(_) => Place::StackOutput,
        ItemKind::Construct(_) => Place::Construct,
        ItemKind::Stack(_) => Place::Stack,
        ItemKind::Import(_) => Place::Import,
        ItemKind::Error => return None,
    })
}

/// A decorator with one argument.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Arg<'a> {
    pub decorator: &'a Decorator,
    pub value: &'a Expr,
}

/// A decorator with two arguments: `@override("path", { ... })`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Pair<'a> {
    pub first: &'a Expr,
    pub second: &'a Expr,
}

/// `@assert(condition, "message")`, or `@assert(condition, "message",
/// "RuleName")` naming the `Rules` entry it becomes; `@expect(condition,
/// "message")` has the same shape.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Assertion<'a> {
    pub decorator: &'a Decorator,
    pub condition: &'a Expr,
    pub message: &'a Expr,
    pub rule_name: Option<&'a Expr>,
}

/// A decorator with one or more arguments: `@depends_on(a, b)`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Args<'a> {
    pub decorator: &'a Decorator,
    pub values: &'a [Expr],
}

/// A parameter's decorators (of a stack or of a construct).
#[derive(Clone, Debug, Default)]
pub(crate) struct ParamAttrs<'a> {
    pub description: Option<Arg<'a>>,
    pub secret: Option<&'a Decorator>,
    pub allowed: Option<Arg<'a>>,
    pub min: Option<Arg<'a>>,
    pub max: Option<Arg<'a>>,
    pub min_length: Option<Arg<'a>>,
    pub max_length: Option<Arg<'a>>,
    pub pattern: Option<Arg<'a>>,
    pub constraint_description: Option<Arg<'a>>,
    /// `AWS::CloudFormation::Interface`: the console's group and label.
    pub group: Option<Arg<'a>>,
    pub label: Option<Arg<'a>>,
    pub logical_id: Option<Arg<'a>>,
    /// `@assert`s, in order: checked at compile time on a construct's
    /// parameter, `Rules` on a parameter CloudFormation receives.
    pub asserts: Vec<Assertion<'a>>,
    /// `@expect`s, in order: what a construct's instance should do, a
    /// warning when it does not (never with a rule name).
    pub expects: Vec<Assertion<'a>>,
}

/// A CloudFormation resource's decorators.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct ResourceAttrs<'a> {
    pub when: Option<Arg<'a>>,
    pub depends_on: Option<Args<'a>>,
    pub deletion_policy: Option<Arg<'a>>,
    pub update_replace_policy: Option<Arg<'a>>,
    pub logical_id: Option<Arg<'a>>,
    pub creation_policy: Option<Arg<'a>>,
    pub update_policy: Option<Arg<'a>>,
    pub metadata: Option<Arg<'a>>,
    /// SAM's `IgnoreGlobals`: the `@globals` a SAM resource does not take.
    pub ignore_globals: Option<Arg<'a>>,
}

/// A construct instance's decorators.
#[derive(Clone, Debug, Default)]
pub(crate) struct InstanceAttrs<'a> {
    pub when: Option<Arg<'a>>,
    pub depends_on: Option<Args<'a>>,
    pub tags: Option<Arg<'a>>,
    pub overrides: Vec<Pair<'a>>,
}

/// A stack output's decorators.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct OutputAttrs<'a> {
    pub description: Option<Arg<'a>>,
    pub export: Option<Arg<'a>>,
    pub when: Option<Arg<'a>>,
    pub logical_id: Option<Arg<'a>>,
}

/// A `let`'s decorators.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct LetAttrs<'a> {
    /// The name of the condition a deploy-time boolean becomes.
    pub logical_id: Option<Arg<'a>>,
}

/// A construct output's decorators.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct ConstructOutputAttrs<'a> {
    pub description: Option<Arg<'a>>,
    pub primary: Option<&'a Decorator>,
    /// `@derived(expr)`: the output of an `existing` description that does
    /// not give it, computed from the attributes it gives.
    pub derived: Option<Arg<'a>>,
}

/// A stack's decorators.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct StackAttrs<'a> {
    pub description: Option<Arg<'a>>,
    pub tags: Option<Arg<'a>>,
    pub metadata: Option<Arg<'a>>,
    pub transform: Option<Args<'a>>,
    /// SAM's `Globals`: properties every SAM resource of a kind shares.
    pub globals: Option<Arg<'a>>,
}

/// A declaration's decorators, lowered for its kind.
#[derive(Clone, Debug)]
pub(crate) enum Attrs<'a> {
    Param(ParamAttrs<'a>),
    Resource(ResourceAttrs<'a>),
    Instance(InstanceAttrs<'a>),
    StackOutput(OutputAttrs<'a>),
    ConstructOutput(ConstructOutputAttrs<'a>),
    Stack(StackAttrs<'a>),
    Let(LetAttrs<'a>),
    /// Constructs and imports take none.
    Nothing,
}

/// A decorator the lowering leaves out, and why.
#[derive(Debug)]
pub(crate) enum Misuse<'a> {
    Unknown(&'a Decorator),
    Misplaced(&'a Decorator, DecoratorKind),
    Repeated { decorator: &'a Decorator, kind: DecoratorKind, first: Span },
    ArgumentCount(&'a Decorator, DecoratorKind),
}

/// The decorators of `item`, written at `place`, typed; and those left out.
pub(crate) fn lower<'a>(item: &'a Item, place: Place) -> (Attrs<'a>, Vec<Misuse<'a>>) {
    let mut accepted: Vec<(DecoratorKind, &'a Decorator)> = Vec::new();
    let mut misuses = Vec::new();
    let mut seen: HashMap<DecoratorKind, Span> = HashMap::new();
    for decorator in &item.decorators {
        let Some(kind) = DecoratorKind::from_name(&decorator.name.node) else {
            misuses.push(Misuse::Unknown(decorator));
            continue;
        };
        if !kind.places().contains(&place) {
            misuses.push(Misuse::Misplaced(decorator, kind));
            continue;
        }
        if let Some(&first) = seen.get(&kind).filter(|_| !kind.spec().repeatable) {
            misuses.push(Misuse::Repeated { decorator, kind, first });
            continue;
        }
        seen.insert(kind, decorator.span);
        let Arity { min, max } = kind.arity();
        let count = decorator.args.len();
        if count < min || max.is_some_and(|max| count > max) {
            misuses.push(Misuse::ArgumentCount(decorator, kind));
            continue;
        }
        accepted.push((kind, decorator));
    }
    (typed(place, &accepted), misuses)
}

/// Sorts accepted decorators (the right place and arity) into their fields.
fn typed<'a>(place: Place, accepted: &[(DecoratorKind, &'a Decorator)]) -> Attrs<'a> {
    let arg = |wanted: DecoratorKind| accepted.iter().find(|(k, _)| *k == wanted).and_then(|(_, d)| one(d));
    let flag = |wanted: DecoratorKind| accepted.iter().find(|(k, _)| *k == wanted).map(|(_, d)| *d);
    let args = |wanted: DecoratorKind| {
        accepted.iter().find(|(k, _)| *k == wanted).map(|(_, d)| Args { decorator: d, values: &d.args })
    };
    let pairs = |wanted: DecoratorKind| -> Vec<Pair<'a>> {
        accepted.iter().filter(|(k, _)| *k == wanted).filter_map(|(_, d)| two(d)).collect()
    };
    use DecoratorKind as K;
    match place {
        Place::StackParam | Place::ConstructParam => Attrs::Param(ParamAttrs {
            description: arg(K::Description),
            secret: flag(K::Secret),
            allowed: arg(K::Allowed),
            min: arg(K::Min),
            max: arg(K::Max),
            min_length: arg(K::MinLength),
            max_length: arg(K::MaxLength),
            pattern: arg(K::Pattern),
            constraint_description: arg(K::ConstraintDescription),
            group: arg(K::Group),
            label: arg(K::Label),
            logical_id: arg(K::LogicalId),
            asserts: accepted.iter().filter(|(k, _)| *k == K::Assert).filter_map(|(_, d)| assertion(d)).collect(),
            expects: accepted.iter().filter(|(k, _)| *k == K::Expect).filter_map(|(_, d)| assertion(d)).collect(),
        }),
        Place::Resource => Attrs::Resource(ResourceAttrs {
            when: arg(K::When),
            depends_on: args(K::DependsOn),
            deletion_policy: arg(K::DeletionPolicy),
            update_replace_policy: arg(K::UpdateReplacePolicy),
            logical_id: arg(K::LogicalId),
            creation_policy: arg(K::CreationPolicy),
            update_policy: arg(K::UpdatePolicy),
            metadata: arg(K::Metadata),
            ignore_globals: arg(K::IgnoreGlobals),
        }),
        Place::Instance => Attrs::Instance(InstanceAttrs {
            when: arg(K::When),
            depends_on: args(K::DependsOn),
            tags: arg(K::Tags),
            overrides: pairs(K::Override),
        }),
        Place::StackOutput => Attrs::StackOutput(OutputAttrs {
            description: arg(K::Description),
            export: arg(K::Export),
            when: arg(K::When),
            logical_id: arg(K::LogicalId),
        }),
        Place::ConstructOutput => Attrs::ConstructOutput(ConstructOutputAttrs {
            description: arg(K::Description),
            primary: flag(K::Primary),
            derived: arg(K::Derived),
        }),
        Place::Stack => Attrs::Stack(StackAttrs {
            description: arg(K::Description),
            tags: arg(K::Tags),
            metadata: arg(K::Metadata),
            transform: args(K::Transform),
            globals: arg(K::Globals),
        }),
        Place::Let => Attrs::Let(LetAttrs { logical_id: arg(K::LogicalId) }),
        Place::Construct | Place::Import | Place::Existing => Attrs::Nothing,
    }
}

fn one(decorator: &Decorator) -> Option<Arg<'_>> {
    match decorator.args.as_slice() {
        [value] => Some(Arg { decorator, value }),
        _ => None,
    }
}

fn two(decorator: &Decorator) -> Option<Pair<'_>> {
    match decorator.args.as_slice() {
        [first, second] => Some(Pair { first, second }),
        _ => None,
    }
}

fn assertion(decorator: &Decorator) -> Option<Assertion<'_>> {
    match decorator.args.as_slice() {
        [condition, message] => Some(Assertion { decorator, condition, message, rule_name: None }),
        [condition, message, name] => Some(Assertion { decorator, condition, message, rule_name: Some(name) }),
        _ => None,
    }
}

/// A declaration, by where it sits in its (borrowed, never moved) syntax tree.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct ItemKey(*const Item);

impl ItemKey {
    pub(super) fn of(item: &Item) -> ItemKey {
        ItemKey(item)
    }
}

/// What the checker knows of decorators: every declaration's, lowered, and
/// parameters' constraints once evaluated.
#[derive(Default)]
pub(crate) struct Decorators<'a> {
    attrs: HashMap<ItemKey, (Place, Attrs<'a>)>,
    constraints: HashMap<ItemKey, std::rc::Rc<Vec<constraints::Constraint>>>,
}

impl<'a> Checker<'a> {
    /// Lowers the decorators of every declaration of every module, reporting
    /// those left out. Runs before anything is evaluated.
    pub(super) fn lower_decorators(&mut self) {
        let modules = self.modules;
        for module in modules {
            for item in &module.file.items {
                self.lower_item(item, false);
                match &item.kind {
                    ItemKind::Construct(construct) => {
                        construct.items.iter().for_each(|inner| self.lower_item(inner, true));
                        self.check_one_primary(&construct.items);
                    }
                    ItemKind::Stack(stack) => {
                        if let StackBody::Items(items) = &stack.body {
                            items.iter().for_each(|inner| self.lower_item(inner, false));
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    fn lower_item(&mut self, item: &'a Item, in_construct: bool) {
        let Some(place) = place_of(item, in_construct) else { return };
        let (attrs, misuses) = lower(item, place);
        let allowed: Vec<&str> = DecoratorKind::allowed_at(place).iter().map(|kind| kind.name()).collect();
        for misuse in misuses {
            let diagnostic = match misuse {
                Misuse::Unknown(decorator) => {
                    let name = decorator.name.node.as_str();
                    let suggestion = did_you_mean(name, allowed.iter().copied());
                    diag::unknown_decorator(decorator.name.span, name, place, &allowed, suggestion)
                }
                Misuse::Misplaced(decorator, kind) => {
                    diag::misplaced_decorator(decorator.name.span, kind.name(), kind.places(), place, &allowed)
                }
                Misuse::Repeated { decorator, kind, first } => {
                    diag::duplicate_decorator(decorator.span, kind.name(), first)
                }
                Misuse::ArgumentCount(decorator, kind) => {
                    let Arity { min, max } = kind.arity();
                    let callee = Callee::Decorator(kind.name());
                    diag::argument_count(decorator.span, callee, min, max, decorator.args.len())
                }
            };
            self.report(diagnostic);
        }
        self.decorators.attrs.insert(ItemKey::of(item), (place, attrs));
    }

    /// A construct has one `@primary` output at most: the first counts.
    fn check_one_primary(&mut self, items: &'a [Item]) {
        let primaries: Vec<Span> = items
            .iter()
            .filter_map(|item| match self.attrs(item) {
                Some(Attrs::ConstructOutput(attrs)) => attrs.primary.map(|d| d.span),
                _ => None,
            })
            .collect();
        if let Some((first, others)) = primaries.split_first() {
            for &other in others {
                self.report(diag::second_primary_output(other, *first));
            }
        }
    }

    /// The lowered decorators of a declaration (every declaration was
    /// lowered before anything is evaluated).
    fn attrs(&self, item: &'a Item) -> Option<&Attrs<'a>> {
        self.decorators.attrs.get(&ItemKey::of(item)).map(|(_, attrs)| attrs)
    }

    /// Where a declaration sits, as its decorators were lowered for.
    pub(super) fn place(&self, item: &'a Item) -> Option<Place> {
        self.decorators.attrs.get(&ItemKey::of(item)).map(|(place, _)| *place)
    }

    pub(super) fn param_attrs(&self, item: &'a Item) -> ParamAttrs<'a> {
        match self.attrs(item) {
            Some(Attrs::Param(attrs)) => attrs.clone(),
            _ => ParamAttrs::default(),
        }
    }

    pub(super) fn resource_attrs(&self, item: &'a Item) -> ResourceAttrs<'a> {
        match self.attrs(item) {
            Some(Attrs::Resource(attrs)) => *attrs,
            _ => ResourceAttrs::default(),
        }
    }

    pub(super) fn instance_attrs(&self, item: &'a Item) -> InstanceAttrs<'a> {
        match self.attrs(item) {
            Some(Attrs::Instance(attrs)) => attrs.clone(),
            _ => InstanceAttrs::default(),
        }
    }

    pub(super) fn stack_attrs(&self, item: &'a Item) -> StackAttrs<'a> {
        match self.attrs(item) {
            Some(Attrs::Stack(attrs)) => *attrs,
            _ => StackAttrs::default(),
        }
    }

    /// `@logical_id` of a resource, a stack parameter, a stack output or a `let`.
    pub(super) fn logical_id_attr(&self, item: &'a Item) -> Option<Arg<'a>> {
        match self.attrs(item)? {
            Attrs::Resource(attrs) => attrs.logical_id,
            Attrs::Param(attrs) => attrs.logical_id,
            Attrs::StackOutput(attrs) => attrs.logical_id,
            Attrs::Let(attrs) => attrs.logical_id,
            _ => None,
        }
    }

    /// `@when` of a resource or an instance.
    pub(super) fn when_attr(&self, item: &'a Item) -> Option<Arg<'a>> {
        match self.attrs(item) {
            Some(Attrs::Resource(attrs)) => attrs.when,
            Some(Attrs::Instance(attrs)) => attrs.when,
            _ => None,
        }
    }

    /// The item index of a construct's `@primary` output: the first so
    /// marked (a second one is reported where it is declared).
    /// `@derived(expr)` of a construct's output.
    pub(super) fn derived_attr(&self, item: &'a Item) -> Option<Arg<'a>> {
        match self.attrs(item) {
            Some(Attrs::ConstructOutput(attrs)) => attrs.derived,
            _ => None,
        }
    }

    pub(super) fn primary_output(&self, items: &'a [Item]) -> Option<usize> {
        items.iter().position(|item| matches!(self.attrs(item), Some(Attrs::ConstructOutput(a)) if a.primary.is_some()))
    }
}

/// What a construct's page lists for one of its parameters: the decorators
/// that constrain or describe its value, as written, in source order.
pub(crate) fn documented_param_decorators(item: &Item) -> impl Iterator<Item = &Decorator> {
    item.decorators.iter().filter(|d| {
        !matches!(
            DecoratorKind::from_name(&d.name.node),
            Some(DecoratorKind::Assert | DecoratorKind::Expect | DecoratorKind::Description)
        )
    })
}

#[cfg(test)]
mod tests {
    use super::{DecoratorKind, Place};
    use crate::diagnostics::builder::places_plural;

    /// The table in docs/language.md lists every decorator, written with or
    /// without arguments as it takes them, and where it applies in the words
    /// the diagnostics use.
    #[test]
    fn the_language_reference_lists_every_decorator() {
        let page = include_str!("../../../docs/language.md");
        let section = page.split("## Decorators").nth(1).expect("docs/language.md has a Decorators section");
        let rows: Vec<(&str, &str)> = section
            .lines()
            .skip_while(|line| !line.starts_with("| decorator |"))
            .skip(2)
            .take_while(|line| line.starts_with('|'))
            .map(|line| {
                let cells: Vec<&str> = line.split('|').map(str::trim).collect();
                (cells[1], cells[2])
            })
            .collect();
        let mut documented = Vec::new();
        for (written, applies_to) in rows {
            let written = written.trim_matches('`');
            let name = written.trim_start_matches('@').split('(').next().unwrap_or_default();
            let kind = DecoratorKind::from_name(name).unwrap_or_else(|| panic!("`@{name}` is documented but unknown"));
            let takes_arguments = kind.arity().max != Some(0);
            assert_eq!(written.contains('('), takes_arguments, "`{written}`");
            assert_eq!(applies_to, places_plural(kind.places()), "where `@{name}` applies");
            documented.push(kind);
        }
        assert_eq!(documented, DecoratorKind::ALL, "one row per decorator, in the catalogue's order");
    }

    #[test]
    fn every_declaration_kind_is_a_place() {
        for kind in DecoratorKind::ALL {
            assert!(!kind.places().is_empty(), "{kind:?} applies somewhere");
            assert_eq!(DecoratorKind::from_name(kind.name()), Some(*kind));
        }
        assert_eq!(DecoratorKind::allowed_at(Place::Let), [DecoratorKind::LogicalId]);
    }
}
