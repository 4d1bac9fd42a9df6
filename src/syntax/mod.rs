//! Syntax: text to tree. Knows nothing about AWS.
//!
//! **Invariant:** parsing never fails. [`parse`] always returns a [`File`];
//! what did not parse is an `Error` node plus a diagnostic.

pub mod ast;
pub mod lexer;
mod parser;
pub mod token;

use chumsky::error::RichPattern;
use chumsky::prelude::*;

use crate::diagnostics::{builder as diag, Diagnostic};
use crate::source::{FileId, Span};
use ast::{CommentKind, File};
use token::Token;

/// Lexes and parses one file.
pub fn parse(src: &str, file: FileId) -> (File, Vec<Diagnostic>) {
    let lexed = lexer::lex(src, file);
    let mut diagnostics = lexed.diagnostics;
    let tokens: Vec<(Token, SimpleSpan)> = lexed.tokens.into_iter().map(|(t, r)| (t, SimpleSpan::from(r))).collect();
    let eoi = SimpleSpan::from(src.len()..src.len());
    let (items, errors) = parser::items(file).parse(tokens.as_slice().split_token_span(eoi)).into_output_errors();
    for error in errors {
        // The lexer has already reported what it could not read.
        if matches!(error.found(), Some(Token::Error)) {
            continue;
        }
        diagnostics.push(syntax_error(file, &error));
    }
    let mut file_ast = File { doc: None, items: items.unwrap_or_default(), comments: lexed.comments };
    attach_docs(&mut file_ast);
    (file_ast, diagnostics)
}

fn syntax_error(file: FileId, error: &parser::ParseError<'_, '_>) -> Diagnostic {
    let span = Span::new(file, error.span().start..error.span().end);
    let found = error.found().map(Token::to_string);
    let mut end_expected = false;
    let expected: Vec<String> = error
        .expected()
        .filter_map(|pattern| match pattern {
            RichPattern::Token(token) => Some(token.to_string()),
            RichPattern::Label(label) => Some(label.to_string()),
            RichPattern::EndOfInput => {
                end_expected = true;
                None
            }
            RichPattern::SomethingElse | RichPattern::Any => None,
            other => Some(other.to_string()),
        })
        .collect();
    let context = error.contexts().last().map(|(label, s)| {
        let what = match label {
            RichPattern::Label(label) => label.to_string(),
            other => other.to_string(),
        };
        (what, Span::new(file, s.start..s.end))
    });
    diag::syntax_error(span, found.as_deref(), &expected, end_expected, context.as_ref().map(|(w, s)| (w.as_str(), *s)))
}

/// Gives each declaration the `///` comments right before it, each stack
/// the `//!` comments at the top of its block, and the file the `//!`
/// comments before its first declaration.
fn attach_docs(file: &mut File) {
    let first_item = file.items.first().map_or(u32::MAX, |item| item.span.start);
    let inner: Vec<String> = file
        .comments
        .iter()
        .filter(|c| c.kind == CommentKind::InnerDoc && c.span.start < first_item)
        .map(|c| doc_text(&c.text, "//!"))
        .collect();
    if !inner.is_empty() {
        file.doc = Some(inner.join("\n").trim().to_string());
    }
    let File { items, comments, .. } = file;
    attach_in(items, comments, 0);
}

fn doc_text(text: &str, marker: &str) -> String {
    let body = &text[marker.len()..];
    body.strip_prefix(' ').unwrap_or(body).trim_end().to_string()
}

/// The doc comments of `kind` between `start` and `end`, joined.
fn docs_between(comments: &[ast::Comment], kind: CommentKind, start: u32, end: u32) -> Option<String> {
    let marker = if kind == CommentKind::InnerDoc { "//!" } else { "///" };
    let docs: Vec<String> = comments
        .iter()
        .filter(|c| c.kind == kind && c.span.start >= start && c.span.end <= end)
        .map(|c| doc_text(&c.text, marker))
        .collect();
    (!docs.is_empty()).then(|| docs.join("\n").trim().to_string())
}

fn attach_in(items: &mut [ast::Item], comments: &[ast::Comment], block_start: u32) {
    let mut previous_end = block_start;
    for item in items {
        item.doc = docs_between(comments, CommentKind::OuterDoc, previous_end, item.span.start);
        let body_start = item.kind.name().map_or(item.span.start, |n| n.span.end);
        match &mut item.kind {
            ast::ItemKind::Construct(construct) => attach_in(&mut construct.items, comments, body_start),
            ast::ItemKind::Stack(stack) => {
                if let ast::StackBody::Items(inner) = &mut stack.body {
                    let first = inner.first().map_or(item.span.end, |i| i.span.start);
                    stack.doc = docs_between(comments, CommentKind::InnerDoc, body_start, first);
                    attach_in(inner, comments, body_start);
                }
                // A `///` comment on the stack describes it too.
                if stack.doc.is_none() {
                    stack.doc = item.doc.clone();
                }
            }
            _ => {}
        }
        previous_end = item.span.end;
    }
}
