//! `infrac diff`: what would change between two sets of stacks, and how to show it.
//!
//! The input is two lists of [`StackState`]s (a stack's name, its template, and the parameter
//! values it is or will be deployed with, when known): the previous build and this one, or the
//! deployed stacks and this build. [`diff`] compares them as CloudFormation would and returns a
//! [`Diff`]: per stack, the resources added, removed and changed (down to each changed property,
//! with the replacement each change causes), the parameters, outputs, conditions, mappings and
//! other template sections that changed, the IAM statements and security-group rules added or
//! removed (with the ones that broaden access marked), and the stateful resources whose data a
//! deploy would delete. A stack only in the old list is removed; only in the new list, added.
//!
//! - `value.rs`: CloudFormation's equality (`"5"` is `5`, tags in any order are the same tags),
//!   the walk that finds each changed property, references, and the short form values are shown
//!   in.
//! - `resources.rs`: resource changes and their replacement, predicted from the embedded schemas'
//!   create-only properties and propagated through references to replaced resources.
//! - `sections.rs`: parameters, outputs, conditions, mappings and the rest of the template.
//! - `security.rs`: IAM statements and security-group rules as rows, and what broadens access.
//! - `stateful.rs`: the one list of resource types that hold data, and the policies that keep it.
//! - `render.rs`: the human text; `json.rs`: the same content as JSON (`docs/diff.md`).
//!
//! **Invariant:** the module is pure and deterministic: the same input gives the same [`Diff`],
//! text and JSON, byte for byte. Resources are ordered by logical ID, stacks as given (new order,
//! then removed stacks in old order). No value of a `NoEcho` parameter ever enters a [`Diff`].

mod json;
mod render;
mod resources;
mod sections;
mod security;
mod stateful;
mod value;

use std::collections::BTreeMap;

use serde_json::Value;

pub use json::to_json;
pub use render::{render_text, Locate, RenderOptions};
pub use stateful::{is_stateful, STATEFUL_TYPES};

/// One stack as it is (deployed, or built before) or as it will be.
#[derive(Clone, Debug, Default)]
pub struct StackState {
    pub name: String,
    /// The CloudFormation template, as JSON.
    pub template: Value,
    /// Parameter values the stack is deployed with (`--live`: from DescribeStacks) or will be
    /// deployed with. A parameter missing here has its template `Default`.
    pub parameters: BTreeMap<String, String>,
}

/// Everything that differs between two sets of stacks.
#[derive(Clone, Debug, PartialEq)]
pub struct Diff {
    pub stacks: Vec<StackDiff>,
}

impl Diff {
    /// Whether no stack differs at all.
    pub fn is_empty(&self) -> bool {
        self.stacks.iter().all(|stack| !stack.has_differences())
    }

    /// Whether some stack's change broadens access: an added `Allow` statement or managed
    /// policy, a removed `Deny`, or a security-group rule letting more in (what
    /// `--require-approval broadening` asks about).
    pub fn is_broadening(&self) -> bool {
        self.stacks.iter().any(StackDiff::is_broadening)
    }

    /// How many stacks differ.
    pub fn stacks_with_differences(&self) -> usize {
        self.stacks.iter().filter(|stack| stack.has_differences()).count()
    }
}

/// What became of a stack as a whole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StackStatus {
    /// Only in the new set: every resource in it is added.
    Added,
    /// Only in the old set (removed from the program, or renamed): every resource is removed.
    Removed,
    Changed,
    Unchanged,
}

/// The differences of one stack.
#[derive(Clone, Debug, PartialEq)]
pub struct StackDiff {
    pub name: String,
    pub status: StackStatus,
    /// Changed resources only, by logical ID.
    pub resources: Vec<ResourceDiff>,
    pub parameters: Vec<ParameterDiff>,
    pub outputs: Vec<OutputDiff>,
    pub conditions: Vec<EntryDiff>,
    pub mappings: Vec<EntryDiff>,
    /// The other top-level sections: `AWSTemplateFormatVersion`, `Description`, `Transform`,
    /// `Metadata`, `Rules`, and any the template has beyond them.
    pub other: Vec<EntryDiff>,
    pub iam_statements: Vec<StatementRow>,
    pub managed_policies: Vec<ManagedPolicyRow>,
    pub security_group_rules: Vec<RuleRow>,
    /// Stateful resources whose data the change would delete.
    pub stateful: Vec<StatefulRisk>,
}

impl StackDiff {
    pub fn has_differences(&self) -> bool {
        self.status != StackStatus::Unchanged
    }

    pub fn is_broadening(&self) -> bool {
        self.iam_statements.iter().any(|row| row.broadening)
            || self.managed_policies.iter().any(|row| row.broadening)
            || self.security_group_rules.iter().any(|row| row.broadening)
    }

    pub fn summary(&self) -> Summary {
        let mut summary = Summary::default();
        for resource in &self.resources {
            match resource.change {
                Change::Added => summary.add += 1,
                Change::Removed => summary.remove += 1,
                Change::Changed => {
                    summary.change += 1;
                    match resource.impact {
                        Impact::Replace => summary.replace += 1,
                        Impact::MayReplace => summary.may_replace += 1,
                        _ => {}
                    }
                }
            }
        }
        summary
    }
}

/// Resource counts for a stack's closing line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub add: usize,
    /// Changed resources, replaced ones included.
    pub change: usize,
    pub replace: usize,
    pub may_replace: usize,
    pub remove: usize,
}

/// Whether a thing was added, removed or changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    Added,
    Removed,
    Changed,
}

/// What a deploy does to a resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Impact {
    /// Created (an added resource).
    Create,
    /// Updated in place.
    Update,
    /// Some change may replace it, depending on values only known at deploy time.
    MayReplace,
    /// A new resource is created and the old one deleted (or kept, by `UpdateReplacePolicy`).
    Replace,
    /// Removed and deleted.
    Destroy,
    /// Removed from the stack but kept in the account (`DeletionPolicy: Retain`).
    Retain,
    /// Removed and deleted after a final snapshot (`DeletionPolicy: Snapshot`).
    Snapshot,
}

/// Whether a property change replaces its resource (the schema's create-only properties).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Replacement {
    Never,
    /// Conditionally create-only, or a create-only value that refers to something replaced.
    Maybe,
    Always,
}

/// One changed resource.
#[derive(Clone, Debug, PartialEq)]
pub struct ResourceDiff {
    pub logical_id: String,
    pub change: Change,
    /// `None` for an added resource.
    pub old_type: Option<String>,
    /// `None` for a removed resource.
    pub new_type: Option<String>,
    pub impact: Impact,
    /// For a changed resource, every changed property and resource attribute.
    pub changes: Vec<PropertyChange>,
}

impl ResourceDiff {
    /// The type to show: the new one, or the old one of a removed resource.
    pub fn resource_type(&self) -> &str {
        self.new_type.as_deref().or(self.old_type.as_deref()).unwrap_or_default()
    }
}

/// One step of a path into a resource: `Properties`, `Tags[Key=env]`, `Rules[0]`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Segment {
    Key(String),
    /// An item of a list; for a removed item its index in the old list, otherwise in the new.
    Index(usize),
    /// An item of a list of tags (`{ Key, Value }` objects), which is compared by key.
    Tag(String),
}

/// One changed value inside a resource: a property (path under `Properties`) or a resource
/// attribute (`DeletionPolicy`, `DependsOn`, `Metadata`, `Condition`, `Type`, ...).
#[derive(Clone, Debug, PartialEq)]
pub struct PropertyChange {
    /// From the resource's top level: `["Properties", "QueueName"]`, `["DeletionPolicy"]`.
    pub path: Vec<Segment>,
    pub change: Change,
    pub old: Option<Value>,
    pub new: Option<Value>,
    pub replacement: Replacement,
    /// Set when the value changes only because something it refers to does (its text is the
    /// same in both templates).
    pub cause: Option<Cause>,
}

/// Why an unchanged value will change at deploy time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cause {
    /// It refers (`Ref`, `Fn::GetAtt`, `Fn::Sub`) to this resource, which is (or may be) replaced.
    ReplacedResource(String),
    /// It refers to this parameter, whose value changes.
    ChangedParameter(String),
}

/// A parameter added, removed or changed.
#[derive(Clone, Debug, PartialEq)]
pub struct ParameterDiff {
    pub name: String,
    pub change: Change,
    /// `NoEcho` on either side: its default and values are shown as `****`.
    pub secret: bool,
    /// Changed fields of the definition (`Type`, `Default`, `AllowedValues`, ...).
    pub fields: Vec<FieldChange>,
    /// The value it is deployed with, when known on at least one side and different.
    pub value: Option<(Option<String>, Option<String>)>,
}

/// An output added, removed or changed.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputDiff {
    pub name: String,
    pub change: Change,
    /// Changed fields (`Value`, `Description`, `Condition`, `Export`).
    pub fields: Vec<FieldChange>,
    /// The export name (shown) this stack stops exporting: a stack importing it blocks the
    /// deploy, and must stop importing it first.
    pub export_removed: Option<String>,
}

/// One changed field of a parameter or output definition.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

/// A named entry (condition, mapping, top-level section) added, removed or changed.
#[derive(Clone, Debug, PartialEq)]
pub struct EntryDiff {
    pub name: String,
    pub change: Change,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

/// An IAM policy statement added or removed. Values are shown in short form (`!Ref X`,
/// `!GetAtt X.Arn`); lists are sorted.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct StatementRow {
    /// The logical ID of the resource that holds the statement.
    pub owner: String,
    pub change: Change,
    /// `Allow`, `Deny`, or `?` for a statement that is not a literal object.
    pub effect: String,
    pub actions: Vec<String>,
    /// `NotAction` rather than `Action`.
    pub not_actions: bool,
    pub resources: Vec<String>,
    pub not_resources: bool,
    /// `AWS:arn...`, `Service:sns.amazonaws.com`, `*`; for an identity policy, the identities
    /// it is attached to.
    pub principals: Vec<String>,
    pub not_principals: bool,
    /// One line per condition key: `StringEquals aws:SourceAccount: !Ref AWS::AccountId`.
    pub conditions: Vec<String>,
    /// An added `Allow` or a removed `Deny`, unless it narrows a statement it replaces.
    pub broadening: bool,
    /// What broadens, when it does: `new principal`, `new action`, `new resource`, `fewer
    /// conditions` (a statement changed in that part alone), `new statement`, `removed Deny`.
    pub reason: Option<String>,
    /// Which of action, resource and principal hold a wildcard (`*`).
    pub wildcards: Vec<String>,
}

/// A managed policy attached to (or detached from) a role, user or group.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct ManagedPolicyRow {
    pub owner: String,
    pub change: Change,
    pub policy_arn: String,
    /// An attached policy.
    pub broadening: bool,
}

/// A security-group rule added or removed.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RuleRow {
    /// The group: the logical ID of an `AWS::EC2::SecurityGroup` or what a separate rule
    /// resource's `GroupId` names.
    pub group: String,
    pub change: Change,
    pub direction: Direction,
    /// `TCP 443`, `UDP 1000-2000`, `All ICMP`, `Everything`.
    pub protocol: String,
    /// `Everyone (IPv4)`, `10.0.0.0/16`, `!GetAtt Lb.GroupId`, ...
    pub peer: String,
    /// The peer is every address (`0.0.0.0/0` or `::/0`).
    pub open_to_world: bool,
    /// Added ingress, or added egress to every address.
    pub broadening: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Direction {
    Ingress,
    Egress,
}

/// A resource holding data that a deploy would delete.
#[derive(Clone, Debug, PartialEq)]
pub struct StatefulRisk {
    pub logical_id: String,
    pub resource_type: String,
    pub risk: Risk,
    /// The policy in force (`DeletionPolicy` for a deletion, `UpdateReplacePolicy` for a
    /// replacement), or its default when the template sets none.
    pub policy: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Risk {
    Deleted,
    Replaced,
    MayBeReplaced,
}

/// Compares two sets of stacks, matched by name.
pub fn diff(old: &[StackState], new: &[StackState]) -> Diff {
    let empty = StackState::default();
    let mut stacks = Vec::new();
    for stack in new {
        match old.iter().find(|o| o.name == stack.name) {
            Some(before) => stacks.push(diff_stack(before, stack, StackStatus::Changed)),
            None => stacks.push(diff_stack(
                &StackState { name: stack.name.clone(), ..empty.clone() },
                stack,
                StackStatus::Added,
            )),
        }
    }
    for stack in old.iter().filter(|o| !new.iter().any(|n| n.name == o.name)) {
        stacks.push(diff_stack(stack, &StackState { name: stack.name.clone(), ..empty.clone() }, StackStatus::Removed));
    }
    Diff { stacks }
}

fn diff_stack(old: &StackState, new: &StackState, status: StackStatus) -> StackDiff {
    let section = |state: &StackState, name: &str| {
        state.template.get(name).and_then(Value::as_object).cloned().unwrap_or_default()
    };
    let old_resources = section(old, "Resources");
    let new_resources = section(new, "Resources");
    let (parameters, changed_parameters) = sections::parameters(old, new);
    let resources = resources::diff_resources(&old_resources, &new_resources, &changed_parameters);
    let (iam_statements, managed_policies) = security::iam(&old_resources, &new_resources);
    let security_group_rules = security::security_groups(&old_resources, &new_resources);
    let stateful = stateful::risks(&resources, &old_resources, &new_resources);
    let mut stack = StackDiff {
        name: new.name.clone(),
        status,
        resources,
        parameters,
        outputs: sections::outputs(&section(old, "Outputs"), &section(new, "Outputs")),
        conditions: sections::entries(&section(old, "Conditions"), &section(new, "Conditions")),
        mappings: sections::entries(&section(old, "Mappings"), &section(new, "Mappings")),
        // A new or deleted stack's format version and description say nothing more.
        other: if status == StackStatus::Changed { sections::other(&old.template, &new.template) } else { Vec::new() },
        iam_statements,
        managed_policies,
        security_group_rules,
        stateful,
    };
    if stack.status == StackStatus::Changed && is_unchanged(&stack) {
        stack.status = StackStatus::Unchanged;
    }
    stack
}

fn is_unchanged(stack: &StackDiff) -> bool {
    stack.resources.is_empty()
        && stack.parameters.is_empty()
        && stack.outputs.is_empty()
        && stack.conditions.is_empty()
        && stack.mappings.is_empty()
        && stack.other.is_empty()
        && stack.iam_statements.is_empty()
        && stack.managed_policies.is_empty()
        && stack.security_group_rules.is_empty()
}
