//! The human text of a [`Diff`]: per stack, the security tables and the data at risk first,
//! then parameters, conditions, mappings, resources (each with a tree of its changed
//! properties), outputs and the rest of the template, and a closing count.

use serde_json::Value;

use super::value::{intrinsic, show, show_lines, show_path, walk};
use super::Diff;
use super::{
    Cause, Change, Direction, EntryDiff, FieldChange, Impact, OutputDiff, ParameterDiff, PropertyChange, Replacement,
    ResourceDiff, Risk, Segment, StackDiff, StackStatus,
};

/// Finds where a resource was declared: `(stack, logical ID)` → `app.infra:12`.
pub type Locate<'a> = &'a dyn Fn(&str, &str) -> Option<String>;

/// How to render a diff.
#[derive(Clone, Copy, Default)]
pub struct RenderOptions<'a> {
    /// ANSI colours (for a terminal).
    pub color: bool,
    /// Shown after each resource when it returns a place.
    pub locate: Option<Locate<'a>>,
}

/// Values longer than this are broken over lines.
const WIDTH: usize = 72;

/// The diff as text, ending in a newline.
pub fn render_text(diff: &Diff, options: &RenderOptions) -> String {
    let paint = Paint { color: options.color };
    let mut out = Vec::new();
    for stack in &diff.stacks {
        if !out.is_empty() {
            out.push(String::new());
        }
        render_stack(stack, options, &paint, &mut out);
    }
    if diff.stacks.len() > 1 {
        out.push(String::new());
        out.push(format!("{} of {} stacks differ.", diff.stacks_with_differences(), diff.stacks.len()));
    }
    if diff.is_broadening() {
        out.push(paint.bold("Access broadens: the rows marked ! let more in."));
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
}

fn render_stack(stack: &StackDiff, options: &RenderOptions, paint: &Paint, out: &mut Vec<String>) {
    if stack.status == StackStatus::Unchanged {
        out.push(format!("{}: no differences", paint.bold(&format!("Stack {}", stack.name))));
        return;
    }
    let note = match stack.status {
        StackStatus::Added => " (new stack)",
        StackStatus::Removed => " (deleted: not in the program any more; every resource is removed)",
        _ => "",
    };
    out.push(format!("{}{note}", paint.bold(&format!("Stack {}", stack.name))));
    security_tables(stack, paint, out);
    data_at_risk(stack, paint, out);
    if !stack.parameters.is_empty() {
        section(out, paint, "Parameters");
        stack.parameters.iter().for_each(|parameter| render_parameter(parameter, paint, out));
    }
    entries(out, paint, "Conditions", &stack.conditions);
    entries(out, paint, "Mappings", &stack.mappings);
    if !stack.resources.is_empty() {
        section(out, paint, "Resources");
        for resource in &stack.resources {
            render_resource(stack, resource, options, paint, out);
        }
    }
    if !stack.outputs.is_empty() {
        section(out, paint, "Outputs");
        stack.outputs.iter().for_each(|output| render_output(output, paint, out));
    }
    entries(out, paint, "Other template changes", &stack.other);
    out.push(String::new());
    out.push(summary_line(stack, paint));
}

fn summary_line(stack: &StackDiff, paint: &Paint) -> String {
    let summary = stack.summary();
    let mut replaced = Vec::new();
    if summary.replace > 0 {
        replaced.push(format!("{} replaced", summary.replace));
    }
    if summary.may_replace > 0 {
        replaced.push(format!("{} may be replaced", summary.may_replace));
    }
    let replaced = if replaced.is_empty() { String::new() } else { format!(" ({})", replaced.join(", ")) };
    let line = format!(
        "Stack {}: {} to add, {} to change{replaced}, {} to remove",
        stack.name, summary.add, summary.change, summary.remove
    );
    paint.bold(&line)
}

fn section(out: &mut Vec<String>, paint: &Paint, title: &str) {
    out.push(String::new());
    out.push(paint.underline(title));
}

fn sign(change: Change) -> &'static str {
    match change {
        Change::Added => "[+]",
        Change::Removed => "[-]",
        Change::Changed => "[~]",
    }
}

fn paint_sign(paint: &Paint, change: Change) -> String {
    match change {
        Change::Added => paint.green(sign(change)),
        Change::Removed => paint.red(sign(change)),
        Change::Changed => paint.yellow(sign(change)),
    }
}

// --- security tables -------------------------------------------------------------------------

fn security_tables(stack: &StackDiff, paint: &Paint, out: &mut Vec<String>) {
    if !stack.iam_statements.is_empty() {
        section(out, paint, "IAM statement changes");
        let rows = stack.iam_statements.iter().map(|row| {
            let not = |negated: bool, values: &[String]| {
                let mut lines = values.to_vec();
                if negated {
                    lines.insert(0, "NOT".to_string());
                }
                lines
            };
            let mut note: Vec<String> = row.reason.iter().cloned().collect();
            // A wildcard matters in what is granted, not in what goes away.
            if row.change == Change::Added && !row.wildcards.is_empty() {
                note.push(format!("wildcard {}", row.wildcards.join(", ")));
            }
            let cells = vec![
                vec![row.owner.clone()],
                vec![row.effect.clone()],
                not(row.not_actions, &row.actions),
                not(row.not_resources, &row.resources),
                not(row.not_principals, &row.principals),
                row.conditions.clone(),
                vec![note.join("; ")],
            ];
            (row.change, row.broadening, cells)
        });
        table(out, paint, &["Owner", "Effect", "Action", "Resource", "Principal", "Condition", ""], rows.collect());
    }
    if !stack.managed_policies.is_empty() {
        section(out, paint, "IAM managed policy changes");
        let rows = stack
            .managed_policies
            .iter()
            .map(|row| (row.change, row.broadening, vec![vec![row.owner.clone()], vec![row.policy_arn.clone()]]))
            .collect();
        table(out, paint, &["Owner", "Managed policy ARN"], rows);
    }
    if !stack.security_group_rules.is_empty() {
        section(out, paint, "Security group changes");
        let rows = stack
            .security_group_rules
            .iter()
            .map(|row| {
                let direction = match row.direction {
                    Direction::Ingress => "In",
                    Direction::Egress => "Out",
                };
                let note = if row.broadening && row.open_to_world {
                    "open to the internet"
                } else if row.broadening {
                    "new ingress"
                } else {
                    ""
                };
                let cells = vec![
                    vec![row.group.clone()],
                    vec![direction.to_string()],
                    vec![row.protocol.clone()],
                    vec![row.peer.clone()],
                    vec![note.to_string()],
                ];
                (row.change, row.broadening, cells)
            })
            .collect();
        table(out, paint, &["Group", "Dir", "Protocol", "Peer", ""], rows);
    }
}

/// An aligned table whose cells may hold several lines; each row starts with its sign and a
/// `!` when it broadens access.
fn table(out: &mut Vec<String>, paint: &Paint, header: &[&str], rows: Vec<(Change, bool, Vec<Vec<String>>)>) {
    // A column no row fills (no statement has a condition) is left out.
    let filled: Vec<bool> = (0..header.len())
        .map(|column| rows.iter().any(|(_, _, cells)| cells[column].iter().any(|line| !line.is_empty())))
        .collect();
    let keep = |column: usize| filled[column] || column == 0;
    let header: Vec<&str> = header.iter().enumerate().filter(|(i, _)| keep(*i)).map(|(_, h)| *h).collect();
    let rows: Vec<(Change, bool, Vec<Vec<String>>)> = rows
        .into_iter()
        .map(|(change, broadening, cells)| {
            (change, broadening, cells.into_iter().enumerate().filter(|(i, _)| keep(*i)).map(|(_, c)| c).collect())
        })
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for (_, _, cells) in &rows {
        for (width, cell) in widths.iter_mut().zip(cells) {
            *width = (*width).max(cell.iter().map(|line| line.chars().count()).max().unwrap_or(0));
        }
    }
    let line = |lead: &str, cells: Vec<&str>| {
        let mut text = lead.to_string();
        for (cell, width) in cells.iter().zip(&widths) {
            text.push_str(&format!("{cell:<width$}  "));
        }
        text.trim_end().to_string()
    };
    out.push(paint.dim(&line("     ", header)));
    for (change, broadening, cells) in rows {
        let height = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
        for index in 0..height {
            let lead = if index == 0 {
                format!("{}{} ", sign(change), if broadening { "!" } else { " " })
            } else {
                "     ".to_string()
            };
            let text = line(&lead, cells.iter().map(|cell| cell.get(index).map_or("", String::as_str)).collect());
            out.push(match change {
                Change::Added => paint.green(&text),
                Change::Removed => paint.red(&text),
                Change::Changed => paint.yellow(&text),
            });
        }
    }
}

fn data_at_risk(stack: &StackDiff, paint: &Paint, out: &mut Vec<String>) {
    if stack.stateful.is_empty() {
        return;
    }
    section(out, paint, "Data at risk");
    for risk in &stack.stateful {
        let (what, attribute, decorator) = match risk.risk {
            Risk::Deleted => ("is deleted with its data", "DeletionPolicy", "@deletion_policy(\"Retain\")"),
            Risk::Replaced => (
                "is replaced: the old one is deleted with its data",
                "UpdateReplacePolicy",
                "@update_replace_policy(\"Retain\")",
            ),
            Risk::MayBeReplaced => (
                "may be replaced: the old one would be deleted with its data",
                "UpdateReplacePolicy",
                "@update_replace_policy(\"Retain\")",
            ),
        };
        out.push(paint.bold_red(&format!(
            "!! {} {} {what} ({attribute} {}); {decorator} would keep it",
            risk.resource_type, risk.logical_id, risk.policy
        )));
    }
}

// --- parameters, outputs, entries ---------------------------------------------------------------

fn render_parameter(parameter: &ParameterDiff, paint: &Paint, out: &mut Vec<String>) {
    let secret = if parameter.secret { " (secret)" } else { "" };
    out.push(format!("{} {}{secret}", paint_sign(paint, parameter.change), parameter.name));
    let mut leaves: Vec<Leaf> = parameter.fields.iter().map(field_leaf).collect();
    if let Some((old, new)) = &parameter.value {
        leaves.push(Leaf {
            label: "value".to_string(),
            change: match (old, new) {
                (None, _) => Change::Added,
                (_, None) => Change::Removed,
                _ => Change::Changed,
            },
            old: old.clone().map(Value::String),
            new: new.clone().map(Value::String),
            note: String::new(),
        });
    }
    render_leaves(&leaves, " ", paint, out);
}

fn render_output(output: &OutputDiff, paint: &Paint, out: &mut Vec<String>) {
    out.push(format!("{} {}", paint_sign(paint, output.change), output.name));
    let leaves: Vec<Leaf> = output.fields.iter().map(field_leaf).collect();
    render_leaves(&leaves, " ", paint, out);
    if let Some(export) = &output.export_removed {
        out.push(paint.bold_red(&format!(
            " !! stops exporting {}: a stack that imports it blocks this deploy until it stops importing it",
            Value::String(export.clone())
        )));
    }
}

fn field_leaf(field: &FieldChange) -> Leaf {
    let change = match (&field.old, &field.new) {
        (None, _) => Change::Added,
        (_, None) => Change::Removed,
        _ => Change::Changed,
    };
    Leaf { label: field.field.clone(), change, old: field.old.clone(), new: field.new.clone(), note: String::new() }
}

fn entries(out: &mut Vec<String>, paint: &Paint, title: &str, entries: &[EntryDiff]) {
    if entries.is_empty() {
        return;
    }
    section(out, paint, title);
    for entry in entries {
        match (&entry.old, &entry.new) {
            // A changed table is shown by what changed in it.
            (Some(old @ Value::Object(_)), Some(new @ Value::Object(_)))
                if intrinsic(old).is_none() && intrinsic(new).is_none() =>
            {
                out.push(format!("{} {}", paint_sign(paint, entry.change), entry.name));
                let mut found = Vec::new();
                walk(&mut Vec::new(), Some(old), Some(new), &mut found);
                let mut nodes = Vec::new();
                for change in found {
                    let path = tag_value_path(&change.path).to_vec();
                    let leaf = Leaf {
                        label: String::new(),
                        change: change.change,
                        old: change.old,
                        new: change.new,
                        note: String::new(),
                    };
                    insert(&mut nodes, &path, leaf);
                }
                render_nodes(&collapse(nodes), " ", paint, out);
            }
            _ => {
                let leaf = Leaf {
                    label: entry.name.clone(),
                    change: entry.change,
                    old: entry.old.clone(),
                    new: entry.new.clone(),
                    note: String::new(),
                };
                render_leaf(&leaf, "", " ", paint, out);
            }
        }
    }
}

// --- resources -------------------------------------------------------------------------------

fn render_resource(
    stack: &StackDiff,
    resource: &ResourceDiff,
    options: &RenderOptions,
    paint: &Paint,
    out: &mut Vec<String>,
) {
    let impact = match resource.impact {
        Impact::Create | Impact::Update => String::new(),
        Impact::MayReplace => format!(" {}", paint.yellow("(may be replaced)")),
        Impact::Replace => format!(" {}", paint.bold_red("(replace)")),
        Impact::Destroy => format!(" {}", paint.bold_red("(destroy)")),
        Impact::Retain => format!(" {}", paint.yellow("(orphan: removed from the stack, kept in the account)")),
        Impact::Snapshot => format!(" {}", paint.yellow("(destroy after a snapshot)")),
    };
    let place = options
        .locate
        .and_then(|locate| locate(&stack.name, &resource.logical_id))
        .map(|place| format!("  {}", paint.dim(&place)))
        .unwrap_or_default();
    out.push(format!(
        "{} {} {}{impact}{place}",
        paint_sign(paint, resource.change),
        paint.cyan(resource.resource_type()),
        resource.logical_id
    ));
    let mut nodes = Vec::new();
    for change in &resource.changes {
        // Properties are shown by name; resource attributes keep theirs (`DeletionPolicy`).
        let path = match change.path.split_first() {
            Some((Segment::Key(first), rest)) if first == "Properties" && !rest.is_empty() => rest,
            _ => &change.path[..],
        };
        let path = tag_value_path(path);
        let leaf = Leaf {
            label: String::new(),
            change: change.change,
            old: change.old.clone(),
            new: change.new.clone(),
            note: change_note(change, stack),
        };
        insert(&mut nodes, path, leaf);
    }
    render_nodes(&collapse(nodes), " ", paint, out);
}

/// A place in a resource's tree of changes: an inner node groups changes below one path.
struct Node {
    label: String,
    leaf: Option<Leaf>,
    children: Vec<Node>,
}

fn label(segment: &Segment) -> String {
    show_path(std::slice::from_ref(segment))
}

/// Puts `leaf` in the tree at `path`, labelled by the path's last step.
fn insert(nodes: &mut Vec<Node>, path: &[Segment], mut leaf: Leaf) {
    let Some((first, rest)) = path.split_first() else { return };
    let name = label(first);
    let at = match nodes.iter().position(|node| node.label == name && node.leaf.is_none()) {
        Some(at) if !rest.is_empty() => at,
        _ => {
            nodes.push(Node { label: name.clone(), leaf: None, children: Vec::new() });
            nodes.len() - 1
        }
    };
    if rest.is_empty() {
        // A tag is shown by its value: its key is in the label already.
        if matches!(first, Segment::Tag(_)) {
            leaf.old = leaf.old.map(without_key);
            leaf.new = leaf.new.map(without_key);
        }
        leaf.label = name;
        nodes[at].leaf = Some(leaf);
    } else {
        insert(&mut nodes[at].children, rest, leaf);
    }
}

/// A tag's `Value` is shown as the tag's: `Tags[Key=team]: "core" → "platform"`.
fn tag_value_path(path: &[Segment]) -> &[Segment] {
    match path {
        [.., Segment::Tag(_), Segment::Key(last)] if last == "Value" => &path[..path.len() - 1],
        _ => path,
    }
}

/// A tag's value (or the tag without its key, when it holds more, like `PropagateAtLaunch`).
fn without_key(tag: Value) -> Value {
    match tag {
        Value::Object(mut object) => {
            object.remove("Key");
            match (object.len(), object.get("Value")) {
                (1, Some(value)) => value.clone(),
                _ => Value::Object(object),
            }
        }
        other => other,
    }
}

/// An inner node with one child and nothing of its own reads as one path: `RedrivePolicy.maxReceiveCount`.
fn collapse(nodes: Vec<Node>) -> Vec<Node> {
    nodes
        .into_iter()
        .map(|mut node| {
            node.children = collapse(node.children);
            while node.leaf.is_none() && node.children.len() == 1 {
                let child = node.children.pop().expect("one child");
                let joined = if child.label.starts_with('[') {
                    format!("{}{}", node.label, child.label)
                } else {
                    format!("{}.{}", node.label, child.label)
                };
                node = Node {
                    leaf: child.leaf.map(|leaf| Leaf { label: joined.clone(), ..leaf }),
                    label: joined,
                    children: child.children,
                };
            }
            node
        })
        .collect()
}

fn change_note(change: &PropertyChange, stack: &StackDiff) -> String {
    let replacement = match change.replacement {
        Replacement::Always => Some("requires replacement"),
        Replacement::Maybe => Some("may cause replacement"),
        Replacement::Never => None,
    };
    let cause = change.cause.as_ref().map(|cause| match cause {
        Cause::ReplacedResource(id) => {
            let certain = stack.resources.iter().any(|r| r.logical_id == *id && r.impact == Impact::Replace);
            format!("changes with {id}, which {}", if certain { "is replaced" } else { "may be replaced" })
        }
        Cause::ChangedParameter(name) => format!("changes with parameter {name}"),
    });
    let parts: Vec<String> = replacement.map(str::to_string).into_iter().chain(cause).collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("({})", parts.join("; "))
    }
}

fn render_nodes(nodes: &[Node], prefix: &str, paint: &Paint, out: &mut Vec<String>) {
    for (index, node) in nodes.iter().enumerate() {
        let last = index + 1 == nodes.len();
        let (branch, inner) = if last { ("└─ ", "    ") } else { ("├─ ", "│   ") };
        let inner_prefix = format!("{prefix}{inner}");
        match &node.leaf {
            Some(leaf) => render_leaf(leaf, &format!("{prefix}{branch}"), &inner_prefix, paint, out),
            None => {
                out.push(format!("{prefix}{branch}{} {}", paint.yellow("[~]"), node.label));
                render_nodes(&node.children, &inner_prefix, paint, out);
            }
        }
    }
}

/// One changed value with its label, old and new values and a note.
struct Leaf {
    label: String,
    change: Change,
    old: Option<Value>,
    new: Option<Value>,
    note: String,
}

/// Leaves as a flat list under `prefix` (a tree of one level).
fn render_leaves(leaves: &[Leaf], prefix: &str, paint: &Paint, out: &mut Vec<String>) {
    if prefix.is_empty() {
        for leaf in leaves {
            render_leaf(leaf, "", " ", paint, out);
        }
        return;
    }
    for (index, leaf) in leaves.iter().enumerate() {
        let last = index + 1 == leaves.len();
        let (branch, inner) = if last { ("└─ ", "    ") } else { ("├─ ", "│   ") };
        render_leaf(leaf, &format!("{prefix}{branch}"), &format!("{prefix}{inner}"), paint, out);
    }
}

/// `[~] Key: old → new (note)` when both fit on a line; otherwise the old and new values below
/// it, or a line diff when both are text of several lines.
fn render_leaf(leaf: &Leaf, head: &str, inner: &str, paint: &Paint, out: &mut Vec<String>) {
    let note = if leaf.note.is_empty() { String::new() } else { format!(" {}", paint.note(&leaf.note)) };
    let marker = paint_sign(paint, leaf.change);
    let one_line =
        |value: &Value| Some(show(value)).filter(|text| text.chars().count() <= WIDTH && !text.contains('\n'));
    match (&leaf.old, &leaf.new) {
        (Some(old), Some(new)) if old == new && !leaf.note.is_empty() => {
            // Unchanged text that changes at deploy time (a reference to something replaced).
            let value = one_line(new).unwrap_or_else(|| "…".to_string());
            out.push(format!("{head}{marker} {}: {value}{note}", leaf.label));
        }
        (Some(old), Some(new)) => match (one_line(old), one_line(new)) {
            (Some(a), Some(b)) if a.chars().count() + b.chars().count() <= WIDTH => {
                out.push(format!("{head}{marker} {}: {} → {}{note}", leaf.label, paint.red(&a), paint.green(&b)));
            }
            _ => {
                out.push(format!("{head}{marker} {}{note}", leaf.label));
                if let (Some((wrap, a)), Some((other_wrap, b))) = (text_of(old), text_of(new)) {
                    if wrap == other_wrap && (a.contains('\n') || b.contains('\n')) {
                        if !wrap.is_empty() {
                            out.push(format!("{inner}{}", paint.dim(wrap.trim_end())));
                        }
                        text_diff(a, b, inner, paint, out);
                        return;
                    }
                }
                value_lines(old, &format!("{inner}├─ "), &format!("{inner}│      "), Change::Removed, paint, out);
                value_lines(new, &format!("{inner}└─ "), &format!("{inner}       "), Change::Added, paint, out);
            }
        },
        (old, new) => {
            let value = new.as_ref().or(old.as_ref()).unwrap_or(&Value::Null);
            match one_line(value) {
                Some(text) => {
                    out.push(format!("{head}{marker} {}: {}{note}", leaf.label, paint.for_change(leaf.change, &text)))
                }
                None => {
                    out.push(format!("{head}{marker} {}{note}", leaf.label));
                    for line in show_lines(value, WIDTH) {
                        out.push(format!("{inner}    {}", paint.for_change(leaf.change, &line)));
                    }
                }
            }
        }
    }
}

/// A text value, possibly inside functions of one argument (`!Base64 !Sub "..."`): the
/// functions' short form and the text.
fn text_of(value: &Value) -> Option<(String, &str)> {
    match (value, intrinsic(value)) {
        (Value::String(text), _) => Some((String::new(), text)),
        (_, Some((name, argument))) if matches!(name, "Fn::Base64" | "Fn::Sub") => {
            let (inner, text) = text_of(argument)?;
            Some((format!("!{} {inner}", name.trim_start_matches("Fn::")), text))
        }
        _ => None,
    }
}

/// `[-] value` / `[+] value`, continued over lines.
fn value_lines(value: &Value, head: &str, inner: &str, change: Change, paint: &Paint, out: &mut Vec<String>) {
    for (index, line) in show_lines(value, WIDTH).into_iter().enumerate() {
        let text = if index == 0 { format!("{head}{} {line}", sign(change)) } else { format!("{inner}{line}") };
        out.push(paint.for_change(change, &text));
    }
}

/// A unified line diff of two texts (user data, scripts, policies written as text).
fn text_diff(old: &str, new: &str, inner: &str, paint: &Paint, out: &mut Vec<String>) {
    let diff = similar::TextDiff::from_lines(old, new);
    for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
        out.push(format!("{inner}{}", paint.dim(&hunk.header().to_string())));
        for change in hunk.iter_changes() {
            let line = change.value().trim_end_matches('\n');
            let text = match change.tag() {
                similar::ChangeTag::Delete => paint.red(&format!("{inner}- {line}")),
                similar::ChangeTag::Insert => paint.green(&format!("{inner}+ {line}")),
                similar::ChangeTag::Equal => format!("{inner}  {line}"),
            };
            out.push(text);
        }
    }
}

// --- colour ----------------------------------------------------------------------------------

struct Paint {
    color: bool,
}

impl Paint {
    fn wrap(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }
    fn green(&self, text: &str) -> String {
        self.wrap("32", text)
    }
    fn red(&self, text: &str) -> String {
        self.wrap("31", text)
    }
    fn yellow(&self, text: &str) -> String {
        self.wrap("33", text)
    }
    fn cyan(&self, text: &str) -> String {
        self.wrap("36", text)
    }
    fn bold(&self, text: &str) -> String {
        self.wrap("1", text)
    }
    fn bold_red(&self, text: &str) -> String {
        self.wrap("1;31", text)
    }
    fn dim(&self, text: &str) -> String {
        self.wrap("2", text)
    }
    fn underline(&self, text: &str) -> String {
        self.wrap("1;4", text)
    }
    fn note(&self, text: &str) -> String {
        if text.contains("requires replacement") {
            self.bold_red(text)
        } else {
            self.yellow(text)
        }
    }
    fn for_change(&self, change: Change, text: &str) -> String {
        match change {
            Change::Added => self.green(text),
            Change::Removed => self.red(text),
            Change::Changed => self.yellow(text),
        }
    }
}
