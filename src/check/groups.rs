//! Parameter forwarding: `param ...service: ecs.FargateService` in a
//! construct declares a *parameter group*, so that a construct wrapping
//! another (an L3 around an L2) does not re-declare its parameters.
//!
//! The group's members are the wrapped construct's parameters, less those
//! the construct declares itself (its own declaration overrides) and those
//! the instances that spread the group set beside it
//! (`resource app: ecs.FargateService { ...service, vpc: net }` sets `vpc`).
//! An instance of the construct takes the members as its own properties,
//! checked there against the wrapped construct's types and constraints; the
//! group's value is the object of the members given, and `...service`
//! spreads it into the wrapped instance, so a member left out takes the
//! wrapped construct's default.

use std::collections::HashMap;

use super::{Checker, FrameId, Val};
use crate::diagnostics::builder as diag;
use crate::source::Span;
use crate::syntax::ast::{self, ItemKind};

/// The types of values, which a group cannot forward.
const VALUE_TYPES: &[&str] =
    &["string", "number", "bool", "object", "any", "list", "String", "Number", "List", "CommaDelimitedList"];

/// A parameter a construct takes: its own, or a member of one of its groups
/// (declared in the wrapped construct's module).
#[derive(Clone, Copy)]
pub(super) struct TakenParam<'a> {
    /// The module whose construct declares the parameter.
    pub module: usize,
    pub item: &'a ast::Item,
    pub param: &'a ast::Param,
}

impl<'a> Checker<'a> {
    /// Every parameter a construct takes: its own, then its groups' members,
    /// group by group. Two groups with a member of one name are reported.
    pub(super) fn taken_params(&mut self, module: usize, construct: &'a ast::Construct) -> Vec<TakenParam<'a>> {
        let mut taken: Vec<TakenParam<'a>> =
            construct.params().map(|(item, param)| TakenParam { module, item, param }).collect();
        let mut from_group: HashMap<&str, Span> = HashMap::new();
        for (_, group) in construct.groups() {
            for member in self.group_members(module, &construct.items, group) {
                let name = member.param.name.node.as_str();
                if let Some(first) = from_group.get(name) {
                    // Reported once, where the groups are declared.
                    if self.reported_groups.insert((group.name.span, name.to_string())) {
                        self.report(diag::duplicate_group_member(group.name.span, name, *first));
                    }
                    continue;
                }
                from_group.insert(name, group.name.span);
                taken.push(member);
            }
        }
        taken
    }

    /// The members of the group `group` of the construct whose items are
    /// `items` (in `module`).
    pub(super) fn group_members(
        &mut self,
        module: usize,
        items: &'a [ast::Item],
        group: &'a ast::Param,
    ) -> Vec<TakenParam<'a>> {
        let Some((wrapped_module, wrapped_index)) = self.group_construct(module, group) else { return Vec::new() };
        let ItemKind::Construct(wrapped) = &self.modules[wrapped_module].file.items[wrapped_index].kind else {
            return Vec::new();
        };
        let own: Vec<&str> = items
            .iter()
            .filter_map(|item| match &item.kind {
                ItemKind::Param(param) if !param.group => Some(param.name.node.as_str()),
                _ => None,
            })
            .collect();
        let beside = keys_set_beside(items, &group.name.node);
        wrapped
            .params()
            .filter(|(_, param)| !own.contains(&param.name.node.as_str()))
            .filter(|(_, param)| !beside.contains(&param.name.node.as_str()))
            .map(|(item, param)| TakenParam { module: wrapped_module, item, param })
            .collect()
    }

    /// The construct a group forwards, resolved (and reported) once.
    fn group_construct(&mut self, module: usize, group: &'a ast::Param) -> Option<(usize, usize)> {
        if let Some(found) = self.group_constructs.get(&group.name.span) {
            return *found;
        }
        let ty = &group.ty.node;
        let path: Vec<String> = ty.name.split('.').map(str::to_string).collect();
        let value_type = ty.arg.is_some()
            || ty.fields.is_some()
            || ty.name.contains("::")
            || VALUE_TYPES.contains(&ty.name.as_str());
        let found = match !value_type {
            true => {
                let module_frame = self.module_frames[module];
                self.in_frame(module_frame, |c| c.resolve_construct(&path, group.ty.span))
            }
            false => {
                self.report(diag::group_of_value_type(group.ty.span, &group.ty.node.to_string()));
                None
            }
        };
        self.group_constructs.insert(group.name.span, found);
        found
    }

    /// A group's value in an instance of its construct: the members the
    /// instance sets, in the wrapped construct's order.
    /// (A group in a stack block was reported; its members are never set.)
    pub(super) fn group_value(&mut self, frame: FrameId, group: &'a ast::Param) -> Val {
        let (module, items) = (self.frames[frame].module, self.frames[frame].items);
        let members = self.group_members(module, items, group);
        let args = &self.frames[frame].args;
        // A required member left unset was reported at the instance; the
        // wrapped instance would only report it again.
        if members.iter().any(|m| m.param.default.is_none() && !args.contains_key(&m.param.name.node)) {
            return Val::Error;
        }
        let given = members
            .iter()
            .filter_map(|member| {
                let name = &member.param.name.node;
                args.get(name).map(|value| (name.clone(), value.clone()))
            })
            .collect();
        Val::Object(given)
    }

    /// A group outside a construct: a stack cannot forward what it has no
    /// instance of.
    pub(super) fn report_group_outside_construct(&mut self, group: &ast::Param) {
        self.report(diag::group_outside_construct(group.name.span, &group.name.node));
    }
}

/// The keys set explicitly beside `...group` in the bodies of `items` that
/// spread it: those are not members of the group.
pub(crate) fn keys_set_beside<'a>(items: &'a [ast::Item], group: &str) -> Vec<&'a str> {
    let mut keys = Vec::new();
    for item in items {
        let ItemKind::Resource(resource) = &item.kind else { continue };
        let ast::ExprKind::Object(properties) = &resource.body.node else { continue };
        let spreads =
            properties.iter().any(|p| p.spread && matches!(&p.value.node, ast::ExprKind::Name(name) if name == group));
        if spreads {
            keys.extend(properties.iter().filter(|p| !p.spread).map(|p| p.key.node.as_str()));
        }
    }
    keys
}
