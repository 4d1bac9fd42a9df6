//! Hover: what the word under the cursor is, in Markdown.
//!
//! A CloudFormation type or property shows its schema documentation; a
//! construct or construct property its doc comment, type and default; a
//! name its declaration; a built-in function its reference page; a
//! decorator where it applies; a diagnostic code its title.

use super::context::{self, BodyOwner, Context};
use super::index::{Def, DefKind};
use super::schema_path::{object_at, property_doc, shape_words, type_doc};
use super::{construct_named, Snapshot};
use crate::check::builtins;
use crate::check::decorators::DecoratorKind;
use crate::diagnostics::Code;
use crate::source::{FileId, Span};
use crate::syntax::ast::{self, ItemKind};

/// Markdown about the text in `span`.
#[derive(Clone, Debug, PartialEq)]
pub struct Hover {
    pub markdown: String,
    pub span: Span,
}

pub(super) fn hover(snapshot: &Snapshot, file: FileId, offset: u32) -> Option<Hover> {
    let text = &snapshot.sources.get(file).text;
    let (start, end) = word_at(text, offset as usize)?;
    let word = &text[start..end];
    let span = Span::new(file, start..end);
    let markdown = if word.contains("::") {
        crate::schema::resource_type(word).map(type_doc)?
    } else if let Some(code) = Code::ALL.iter().find(|c| c.as_str() == word) {
        format!("**{}**: {}\n\n{}", code.as_str(), code.title(), code.explanation().trim())
    } else if text[..start].ends_with('@') {
        decorator_doc(DecoratorKind::from_name(word)?)
    } else if let Some(markdown) = key_doc(snapshot, file, text, start, end) {
        markdown
    } else if let Some(def) = snapshot.index.def_at(file, start as u32) {
        def_doc(snapshot, &snapshot.index.defs[def])
    } else if text[end..].trim_start().starts_with('(') {
        builtins::named(word)?.page()
    } else if let Some(markdown) = member_doc(snapshot, file, text, start, word) {
        markdown
    } else {
        return None;
    };
    Some(Hover { markdown, span })
}

/// The word at `offset`: an identifier, or a CloudFormation type name.
fn word_at(text: &str, offset: usize) -> Option<(usize, usize)> {
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == ':';
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let start = text[..offset].char_indices().rev().take_while(|(_, c)| is_word(*c)).last().map_or(offset, |(i, _)| i);
    let end = text[offset..].char_indices().find(|(_, c)| !is_word(*c)).map_or(text.len(), |(i, _)| offset + i);
    let (mut start, mut end) = (start, end);
    // `key:` is a word and its colon; `AWS::S3::Bucket` keeps its colons.
    let word = &text[start..end];
    if !word.contains("::") {
        let trimmed = word.trim_matches(':');
        start += word.len() - word.trim_start_matches(':').len();
        end = start + trimmed.len();
        // `a:b` around the cursor: the part holding it.
        if let Some(colon) = text[start..end].find(':') {
            if offset <= start + colon {
                end = start + colon;
            } else {
                start += colon + 1;
            }
        }
    }
    (start < end).then_some((start, end))
}

/// A property key: its schema documentation, or the construct parameter's.
fn key_doc(snapshot: &Snapshot, file: FileId, text: &str, start: usize, end: usize) -> Option<String> {
    if !text[end..].trim_start().starts_with(':') {
        return None;
    }
    let key = &text[start..end];
    let (Context::Key { body, .. }, _) = context::at(text, end) else { return None };
    match &body.owner {
        BodyOwner::Cfn(type_name) => {
            let rt = crate::schema::resource_type(type_name)?;
            let object = object_at(rt, &body.path)?;
            let property = object.properties.get(key)?;
            Some(property_doc(rt, key, property, object.required.iter().any(|r| r == key)))
        }
        BodyOwner::Construct(path) => {
            let (_, construct) = construct_named(snapshot, file, path)?;
            let params = super::construct_params(snapshot, file, construct);
            let &(param_item, param) = params.iter().find(|(_, p)| p.name.node == key)?;
            Some(param_doc(snapshot, param_item, param))
        }
    }
}

/// A construct parameter: its type, default and doc comment.
pub(super) fn param_doc(snapshot: &Snapshot, item: &ast::Item, param: &ast::Param) -> String {
    let mut out = format!("```infra\nparam {}: {}", param.name.node, param.ty.node);
    if let Some(default) = &param.default {
        out.push_str(&format!(" = {}", source_text(snapshot, default.span)));
    }
    out.push_str("\n```");
    if param.default.is_none() {
        out.push_str("\n\nRequired.");
    }
    if let Some(doc) = &item.doc {
        out.push_str("\n\n");
        out.push_str(doc);
    }
    out
}

/// The text of `span` on one line, cut short when long.
fn source_text(snapshot: &Snapshot, span: Span) -> String {
    let text = &snapshot.sources.get(span.file).text;
    let Some(written) = text.get(span.range()) else { return String::new() };
    let one_line = written.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() > 200 {
        let cut: String = one_line.chars().take(200).collect();
        format!("{cut} …")
    } else {
        one_line
    }
}

/// A declaration: how it is written and its doc comment.
fn def_doc(snapshot: &Snapshot, def: &Def) -> String {
    let loaded = &snapshot.loaded[def.module];
    // The standard library's constructs have a generated reference page.
    if def.kind == DefKind::Construct {
        if let Some(namespace) = &loaded.std_namespace {
            if let Some(page) = crate::stdlib::docs::describe(&format!("{namespace}.{}", def.name)) {
                return page;
            }
        }
    }
    let header = match def.kind {
        DefKind::Let
        | DefKind::Function
        | DefKind::FunctionParam
        | DefKind::Output
        | DefKind::Param
        | DefKind::LoopVariable
        | DefKind::ImportAlias => source_text(snapshot, def.span),
        // A block's header, up to its body.
        DefKind::Resource | DefKind::Construct | DefKind::Stack => {
            let full = source_text(snapshot, def.span);
            let decorators_end = def.name_span.start.saturating_sub(def.span.start) as usize;
            let keyword_start = full[..decorators_end.min(full.len())].rfind(def.kind.keyword()).unwrap_or(0);
            let from_keyword = &full[keyword_start..];
            from_keyword.split('{').next().unwrap_or(from_keyword).trim().to_string()
        }
    };
    let mut out = format!("```infra\n{header}\n```");
    if let Some(value) = folded_value(snapshot, def) {
        out.push_str(&format!("\n\nFolded at compile time:\n\n```infra\n{value}\n```"));
    }
    if let Some(doc) = &def.doc {
        out.push_str("\n\n");
        out.push_str(doc);
    }
    // An instance: what its construct is.
    if let Some((module, index)) = def.construct {
        if let Some(ast::Item { doc: Some(doc), kind: ItemKind::Construct(c), .. }) =
            snapshot.loaded[module].ast.items.get(index)
        {
            out.push_str(&format!("\n\n---\n\n`{}`: {doc}", c.name.node));
        }
    }
    if let Some(type_name) = cfn_type_of(snapshot, def) {
        if let Some(rt) = crate::schema::resource_type(type_name) {
            if let Some(description) = &rt.description {
                out.push_str(&format!("\n\n---\n\n`{type_name}`: {description}"));
            }
        }
    }
    out
}

/// A let's value as checking folded it, unless it is written so already
/// (`let stage = "dev"`).
fn folded_value<'s>(snapshot: &'s Snapshot, def: &Def) -> Option<&'s str> {
    if def.kind != DefKind::Let {
        return None;
    }
    let value = snapshot.folded_value(def.name_span)?;
    let written = snapshot.let_of(def).map(|let_| source_text(snapshot, let_.value.span));
    (written.as_deref() != Some(value)).then_some(value)
}

/// The CloudFormation type of a resource declaration.
pub(super) fn cfn_type_of<'s>(snapshot: &'s Snapshot, def: &Def) -> Option<&'s str> {
    if def.kind != DefKind::Resource {
        return None;
    }
    let ast = &snapshot.loaded[def.module].ast;
    find_resource(&ast.items, def.name_span).and_then(|r| match &r.ty.node {
        ast::ResourceType::Cfn(name) => Some(name.as_str()),
        ast::ResourceType::Path(_) => None,
    })
}

fn find_resource(items: &[ast::Item], name_span: Span) -> Option<&ast::Resource> {
    items.iter().find_map(|item| match &item.kind {
        ItemKind::Resource(r) if r.name.span == name_span => Some(r),
        ItemKind::Construct(c) => find_resource(&c.items, name_span),
        ItemKind::Stack(ast::Stack { body: ast::StackBody::Items(items), .. }) => find_resource(items, name_span),
        _ => None,
    })
}

/// `x.Arn`: an attribute of an L1 resource; `aws.region`: a pseudo parameter.
fn member_doc(snapshot: &Snapshot, file: FileId, text: &str, start: usize, word: &str) -> Option<String> {
    let before = text[..start].strip_suffix('.')?;
    let base_start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_alphanumeric() || *c == '_')
        .last()
        .map(|(i, _)| i)?;
    let base = &before[base_start..];
    if base == "aws" {
        let (_, cfn, _) = crate::check::PSEUDO_PARAMETERS.iter().find(|(name, _, _)| *name == word)?;
        return Some(format!("**aws.{word}**: the pseudo parameter `{cfn}`"));
    }
    let def = snapshot.index.def_at(file, base_start as u32)?;
    let type_name = cfn_type_of(snapshot, &snapshot.index.defs[def])?;
    let rt = crate::schema::resource_type(type_name)?;
    let shape = rt.attribute(word)?;
    Some(format!("**{word}**: `{}`\n\nAn attribute of `{type_name}` (`Fn::GetAtt`).", shape_words(rt, shape)))
}

/// A decorator: what it takes and where it goes.
pub(super) fn decorator_doc(kind: DecoratorKind) -> String {
    let arity = kind.arity();
    let arguments = match (arity.min, arity.max) {
        (0, Some(0)) => "no arguments".to_string(),
        (min, Some(max)) if min == max => format!("{min} argument{}", if min == 1 { "" } else { "s" }),
        (min, Some(max)) => format!("{min} to {max} arguments"),
        (min, None) => format!("{min} or more arguments"),
    };
    let places: Vec<&str> = kind.places().iter().map(|p| super::complete::place_words(*p)).collect();
    format!("**@{}**: {arguments}\n\nApplies to: {}.", kind.name(), places.join(", "))
}
