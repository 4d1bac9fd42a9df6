//! Construct reference pages, generated from the standard library's source:
//! its doc comments, parameters, outputs and resources. `infrac explain
//! s3.Bucket` prints one; `docs/constructs/` holds them all, and a test keeps
//! those files equal to what this module generates.

use std::fmt::Write;

use crate::check::decorators::{self, documented_param_decorators, place_of, Attrs, ConstructOutputAttrs};
use crate::source::Span;
use crate::syntax::ast::{Construct, Item, ItemKind, ResourceType};

/// A construct of the standard library, found by `ns.Name`.
pub struct StdConstruct {
    pub namespace: &'static str,
    pub name: String,
}

/// Every construct of the standard library, sorted by namespace, then in
/// source order.
pub fn constructs() -> Vec<StdConstruct> {
    let mut all = Vec::new();
    for namespace in super::namespaces() {
        let Some((file, _)) = parse(namespace) else { continue };
        for item in &file.items {
            if let ItemKind::Construct(construct) = &item.kind {
                all.push(StdConstruct { namespace, name: construct.name.node.clone() });
            }
        }
    }
    all
}

fn parse(namespace: &str) -> Option<(crate::syntax::ast::File, &'static str)> {
    let text = super::source(namespace)?;
    let (file, _) = crate::syntax::parse(text, 0);
    Some((file, text))
}

/// The reference page of `ns.Name`, or `None` when there is no such construct.
pub fn describe(path: &str) -> Option<String> {
    let (namespace, name) = path.split_once('.')?;
    let (file, text) = parse(namespace)?;
    let item = file.items.iter().find(|i| matches!(&i.kind, ItemKind::Construct(c) if c.name.node == name))?;
    let ItemKind::Construct(construct) = &item.kind else { return None };
    Some(page(namespace, item, construct, text))
}

/// The decorators of a declaration inside a construct, lowered as the
/// checker lowers them.
fn attrs(item: &Item) -> Option<Attrs<'_>> {
    place_of(item, true).map(|place| decorators::lower(item, place).0)
}

/// The source text of a span of a standard-library file, on one line.
fn source_text(text: &str, span: Span) -> String {
    let written = &text[span.start as usize..span.end as usize];
    written.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A doc comment as one table cell.
fn cell(doc: Option<&str>) -> String {
    doc.unwrap_or("").split_whitespace().collect::<Vec<_>>().join(" ").replace('|', "\\|")
}

/// A construct's doc comment without its `checkov:` lines, and those lines.
fn split_doc(doc: &str) -> (String, Vec<(String, String)>) {
    let mut prose = Vec::new();
    let mut checks = Vec::new();
    for line in doc.lines() {
        match line.trim().strip_prefix("checkov:") {
            Some(rest) => {
                let rest = rest.trim();
                let (id, reason) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
                checks.push((id.to_string(), reason.trim().to_string()));
            }
            None => prose.push(line),
        }
    }
    (prose.join("\n").trim().to_string(), checks)
}

fn page(namespace: &str, item: &Item, construct: &Construct, text: &str) -> String {
    let full_name = format!("{namespace}.{}", construct.name.node);
    let mut out = format!("# {full_name}\n\n");
    let (prose, checks) = split_doc(item.doc.as_deref().unwrap_or(""));
    if !prose.is_empty() {
        writeln!(out, "{prose}\n").unwrap();
    }
    writeln!(
        out,
        "Defined in [`std/{namespace}.infra`](../../std/{namespace}.infra). This page is generated from that \
         source; `infrac explain {full_name}` prints it.\n"
    )
    .unwrap();

    let params: Vec<(&Item, &crate::syntax::ast::Param)> = construct.params().collect();
    out.push_str("## Properties\n\n");
    if params.is_empty() && construct.groups().next().is_none() {
        out.push_str("None.\n\n");
    } else {
        out.push_str("| property | type | default | description |\n|---|---|---|---|\n");
        for (item, param) in &params {
            let default = match &param.default {
                Some(expr) => format!("`{}`", source_text(text, expr.span)),
                None => "**required**".to_string(),
            };
            let mut description = cell(item.doc.as_deref());
            for decorator in documented_param_decorators(item) {
                let args: Vec<String> = decorator.args.iter().map(|a| source_text(text, a.span)).collect();
                write!(description, " `@{}({})`", decorator.name.node, args.join(", ")).unwrap();
            }
            writeln!(out, "| `{}` | `{}` | {default} | {} |", param.name.node, param.ty.node, description.trim())
                .unwrap();
        }
        // A group's members are documented on the construct it forwards.
        for (item, group) in construct.groups() {
            let forwarded = group.ty.node.to_string();
            let page = match forwarded.split_once('.') {
                Some(_) => format!("[`{forwarded}`]({forwarded}.md)"),
                None => format!("`{forwarded}`"),
            };
            writeln!(
                out,
                "| `...{}` | every property of {page} not listed here | | {} |",
                group.name.node,
                cell(item.doc.as_deref())
            )
            .unwrap();
        }
        out.push('\n');
    }

    // A construct's `@assert`s and `@expect`s, by their messages.
    let (mut asserted, mut expected) = (Vec::new(), Vec::new());
    for (item, _) in &params {
        if let Some(Attrs::Param(attrs)) = attrs(item) {
            let message =
                |rule: &decorators::Assertion| source_text(text, rule.message.span).trim_matches('"').to_string();
            asserted.extend(attrs.asserts.iter().map(message));
            expected.extend(attrs.expects.iter().map(message));
        }
    }
    for (heading, messages) in
        [("Checked at compile time:", asserted), ("Warned about at compile time (`W0302`):", expected)]
    {
        if !messages.is_empty() {
            writeln!(out, "{heading}\n").unwrap();
            for message in messages {
                writeln!(out, "- {message}").unwrap();
            }
            out.push('\n');
        }
    }

    out.push_str("## Attributes\n\n");
    let outputs: Vec<&Item> = construct.items.iter().filter(|i| matches!(i.kind, ItemKind::Output(_))).collect();
    if outputs.is_empty() {
        out.push_str("None.\n\n");
    } else {
        out.push_str("| attribute | description |\n|---|---|\n");
        for item in &outputs {
            let ItemKind::Output(output) = &item.kind else { continue };
            let primary = if matches!(attrs(item), Some(Attrs::ConstructOutput(a)) if a.primary.is_some()) {
                " (the instance itself, where a value is expected)"
            } else {
                ""
            };
            let derived = match attrs(item) {
                Some(Attrs::ConstructOutput(ConstructOutputAttrs { derived: Some(derived), .. })) => {
                    format!(
                        " For an [existing](../guide/existing.md) one that does not give it: `{}`.",
                        source_text(text, derived.value.span)
                    )
                }
                _ => String::new(),
            };
            writeln!(out, "| `{}`{primary} | {}{derived} |", output.name.node, cell(item.doc.as_deref())).unwrap();
        }
        out.push('\n');
    }

    out.push_str("## Resources it creates\n\n");
    out.push_str(
        "Their paths are what `@override(\"path\", { ... })` on an instance names; a nested construct's \
         resources are named through it (`lb.listener`).\n\n",
    );
    out.push_str("| path | type | created | description |\n|---|---|---|---|\n");
    for item in &construct.items {
        let ItemKind::Resource(resource) = &item.kind else { continue };
        let ty = match &resource.ty.node {
            ResourceType::Cfn(name) => format!("`{name}`"),
            ResourceType::Path(path) if path.len() == 2 => {
                let name = path.join(".");
                format!("[`{name}`]({name}.md) (construct)")
            }
            ResourceType::Path(path) => format!("`{}` (construct)", path.join(".")),
        };
        let when = match attrs(item) {
            Some(Attrs::Resource(attrs)) => attrs.when,
            Some(Attrs::Instance(attrs)) => attrs.when,
            _ => None,
        };
        let when = when.map(|when| format!("when `{}`", source_text(text, when.value.span)));
        let created = match (&resource.for_each, when) {
            (Some(clause), when) => {
                let each = format!("one per item of `{}`", source_text(text, clause.iterable.span));
                when.map_or(each.clone(), |when| format!("{each}, {when}"))
            }
            (None, Some(when)) => when,
            (None, None) => "always".to_string(),
        };
        let path = match &resource.for_each {
            Some(_) => format!("`{}.<key>`", resource.name.node),
            None => format!("`{}`", resource.name.node),
        };
        writeln!(out, "| {path} | {ty} | {created} | {} |", cell(item.doc.as_deref())).unwrap();
    }
    out.push('\n');

    out.push_str("## Security checks not met by default\n\n");
    if checks.is_empty() {
        out.push_str("None: the defaults pass every checkov check that CI runs on this construct's templates.\n");
    } else {
        out.push_str("CI runs checkov on templates of this construct; these checks are deliberately not met:\n\n");
        for (id, reason) in checks {
            writeln!(out, "- `{id}`: {reason}").unwrap();
        }
    }

    let mut required: Vec<String> =
        params.iter().filter(|(_, p)| p.default.is_none()).map(|(_, p)| p.name.node.clone()).collect();
    required.extend(required_group_members(namespace, construct));
    out.push_str("\n## Example\n\n```infra\n");
    // `LoadBalancedFargateService` -> `service`: the noun the name ends with.
    let name = &construct.name.node;
    let last_word = name.rfind(|c: char| c.is_ascii_uppercase()).map_or(name.as_str(), |i| &name[i..]);
    let instance = last_word.to_lowercase();
    if required.is_empty() {
        writeln!(out, "resource {instance}: {full_name} {{}}").unwrap();
    } else {
        writeln!(out, "resource {instance}: {full_name} {{").unwrap();
        for name in &required {
            writeln!(out, "  {name}: ...").unwrap();
        }
        out.push_str("}\n");
    }
    out.push_str("```\n");
    out
}

/// The required parameters a construct takes through its groups: those of
/// the forwarded constructs without a default that it neither declares nor
/// sets beside the spread.
fn required_group_members(namespace: &str, construct: &Construct) -> Vec<String> {
    let own: Vec<&str> = construct.params().map(|(_, p)| p.name.node.as_str()).collect();
    let mut required = Vec::new();
    for (_, group) in construct.groups() {
        let forwarded = group.ty.node.name.clone();
        let (wrapped_namespace, wrapped_name) = forwarded.split_once('.').unwrap_or((namespace, &forwarded));
        let Some((file, _)) = parse(wrapped_namespace) else { continue };
        let beside = crate::check::groups::keys_set_beside(&construct.items, &group.name.node);
        for item in &file.items {
            let ItemKind::Construct(wrapped) = &item.kind else { continue };
            if wrapped.name.node != wrapped_name {
                continue;
            }
            for (_, param) in wrapped.params() {
                let name = param.name.node.as_str();
                if param.default.is_none() && !own.contains(&name) && !beside.contains(&name) {
                    required.push(name.to_string());
                }
            }
        }
    }
    required
}

/// The index of `docs/constructs/`.
pub fn index() -> String {
    let mut out = String::from(
        "# Construct library\n\nThe standard library's constructs, written in infra under [`std/`](../../std). \
         Every namespace is in scope in every file: `resource site: s3.Bucket {}` needs no import. \
         These pages are generated from the library's source (`infrac explain NAME` prints one).\n\n\
         | construct | summary |\n|---|---|\n",
    );
    for construct in constructs() {
        let full_name = format!("{}.{}", construct.namespace, construct.name);
        let summary = describe(&full_name)
            .and_then(|page| page.lines().nth(2).map(str::to_string))
            .filter(|line| !line.starts_with("Defined in"))
            .unwrap_or_default();
        writeln!(out, "| [`{full_name}`]({full_name}.md) | {summary} |").unwrap();
    }
    out
}
