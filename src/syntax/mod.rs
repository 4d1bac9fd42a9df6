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
    let (items, errors) = parser::items(file).parse(tokens.as_slice().map(eoi, |(t, s)| (t, s))).into_output_errors();
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
    let found = match error.found() {
        Some(token) => token.to_string(),
        None => "end of input".to_string(),
    };
    let mut expected: Vec<String> = error
        .expected()
        .filter_map(|pattern| match pattern {
            RichPattern::Token(token) => Some(token.to_string()),
            RichPattern::Label(label) => Some(label.to_string()),
            RichPattern::EndOfInput => Some("end of input".to_string()),
            RichPattern::SomethingElse | RichPattern::Any => None,
            other => Some(other.to_string()),
        })
        .collect();
    expected.sort();
    expected.dedup();
    let context = error.contexts().last().map(|(label, s)| {
        let what = match label {
            RichPattern::Label(label) => label.to_string(),
            other => other.to_string(),
        };
        (what, Span::new(file, s.start..s.end))
    });
    diag::syntax_error(span, &found, &expected, context.as_ref().map(|(w, s)| (w.as_str(), *s)))
}

/// Gives each declaration the `///` comments right before it, and the file
/// the `//!` comments before its first declaration.
fn attach_docs(file: &mut File) {
    let doc_text = |text: &str, marker: &str| {
        let body = &text[marker.len()..];
        body.strip_prefix(' ').unwrap_or(body).trim_end().to_string()
    };
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
    let mut previous_end = 0;
    for item in &mut file.items {
        let docs: Vec<String> = file
            .comments
            .iter()
            .filter(|c| {
                c.kind == CommentKind::OuterDoc && c.span.start >= previous_end && c.span.end <= item.span.start
            })
            .map(|c| doc_text(&c.text, "///"))
            .collect();
        if !docs.is_empty() {
            item.doc = Some(docs.join("\n").trim().to_string());
        }
        previous_end = item.span.end;
    }
}
