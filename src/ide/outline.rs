//! A file's shape: its outline (declarations, nested), the regions an
//! editor may fold, and the tokens coloured by what they name.

use super::index::DefKind;
use super::Snapshot;
use crate::check::builtins;
use crate::source::{FileId, Span};
use crate::syntax::ast::{self, CommentKind, ItemKind, ResourceType, StackBody};
use crate::syntax::lexer;
use crate::syntax::token::Token;

/// One entry of a file's outline.
#[derive(Clone, Debug, PartialEq)]
pub struct Symbol {
    pub name: String,
    pub kind: DefKind,
    /// The type of a resource or param, the construct of a stack, a
    /// function's parameters.
    pub detail: Option<String>,
    pub span: Span,
    pub name_span: Span,
    pub children: Vec<Symbol>,
}

pub(super) fn symbols(file: &ast::File) -> Vec<Symbol> {
    items_symbols(&file.items)
}

fn items_symbols(items: &[ast::Item]) -> Vec<Symbol> {
    items
        .iter()
        .filter_map(|item| {
            let name = item.kind.name()?;
            let (kind, detail, children) = match &item.kind {
                ItemKind::Param(p) => (DefKind::Param, Some(p.ty.node.to_string()), Vec::new()),
                ItemKind::Let(ast::Let { params: Some(params), .. }) => {
                    (DefKind::Function, Some(super::function_params_text(params)), Vec::new())
                }
                ItemKind::Let(_) => (DefKind::Let, None, Vec::new()),
                ItemKind::Resource(r) => (DefKind::Resource, Some(type_text(&r.ty.node)), Vec::new()),
                ItemKind::Existing(e) => (DefKind::Resource, Some(e.construct.node.join(".")), Vec::new()),
                ItemKind::Output(_) => (DefKind::Output, None, Vec::new()),
                ItemKind::Construct(c) => (DefKind::Construct, None, items_symbols(&c.items)),
                ItemKind::Stack(s) => match &s.body {
                    StackBody::Items(inner) => (DefKind::Stack, None, items_symbols(inner)),
                    StackBody::Instance { construct, .. } => {
                        (DefKind::Stack, Some(construct.node.join(".")), Vec::new())
                    }
                },
                ItemKind::Import(_) | ItemKind::Error => return None,
            };
            Some(Symbol { name: name.node.clone(), kind, detail, span: item.span, name_span: name.span, children })
        })
        .collect()
}

fn type_text(ty: &ResourceType) -> String {
    match ty {
        ResourceType::Cfn(name) => name.clone(),
        ResourceType::Path(path) => path.join("."),
    }
}

/// A region an editor may fold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Folding {
    /// Byte offsets of the region's first and last characters' lines.
    pub start: u32,
    pub end: u32,
    pub kind: FoldKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FoldKind {
    Region,
    Comment,
    Imports,
}

pub(super) fn folding(file: &ast::File, text: &str) -> Vec<Folding> {
    let spans_lines = |start: u32, end: u32| text.get(start as usize..end as usize).is_some_and(|t| t.contains('\n'));
    let mut folds = Vec::new();
    fn visit(items: &[ast::Item], folds: &mut Vec<Folding>, spans_lines: &dyn Fn(u32, u32) -> bool) {
        for item in items {
            // From the declaration's keyword (after its decorators).
            let start = item.kind.name().map_or(item.span.start, |_| item.span.start);
            if spans_lines(start, item.span.end) {
                folds.push(Folding { start, end: item.span.end, kind: FoldKind::Region });
            }
            match &item.kind {
                ItemKind::Construct(c) => visit(&c.items, folds, spans_lines),
                ItemKind::Stack(ast::Stack { body: StackBody::Items(inner), .. }) => visit(inner, folds, spans_lines),
                _ => {}
            }
        }
    }
    visit(&file.items, &mut folds, &spans_lines);
    // Runs of line comments, and block comments, over several lines.
    let mut run: Option<(u32, u32)> = None;
    for comment in &file.comments {
        let joined = run.filter(|(_, end)| {
            comment.kind != CommentKind::Block && text[*end as usize..comment.span.start as usize].trim().is_empty()
        });
        run = match joined {
            Some((start, _)) => Some((start, comment.span.end)),
            None => {
                if let Some((start, end)) = run {
                    if spans_lines(start, end) {
                        folds.push(Folding { start, end, kind: FoldKind::Comment });
                    }
                }
                Some((comment.span.start, comment.span.end))
            }
        };
    }
    if let Some((start, end)) = run {
        if spans_lines(start, end) {
            folds.push(Folding { start, end, kind: FoldKind::Comment });
        }
    }
    // Consecutive imports.
    let imports: Vec<&ast::Item> = file.items.iter().filter(|i| matches!(i.kind, ItemKind::Import(_))).collect();
    if let (Some(first), Some(last)) = (imports.first(), imports.last()) {
        if imports.len() > 1 && spans_lines(first.span.start, last.span.end) {
            folds.push(Folding { start: first.span.start, end: last.span.end, kind: FoldKind::Imports });
        }
    }
    folds.sort_by_key(|f| (f.start, f.end));
    folds
}

/// What a token names, for colouring.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    Resource,
    Construct,
    Parameter,
    Let,
    Output,
    Stack,
    Namespace,
    Property,
    Decorator,
    Function,
    /// A CloudFormation resource type.
    Type,
    Variable,
}

impl TokenKind {
    /// Every kind, in the order of the legend the server announces.
    pub const ALL: &'static [TokenKind] = &[
        TokenKind::Resource,
        TokenKind::Construct,
        TokenKind::Parameter,
        TokenKind::Let,
        TokenKind::Output,
        TokenKind::Stack,
        TokenKind::Namespace,
        TokenKind::Property,
        TokenKind::Decorator,
        TokenKind::Function,
        TokenKind::Type,
        TokenKind::Variable,
    ];
}

/// Bits of the modifiers a token may carry.
pub struct TokenModifier;

impl TokenModifier {
    /// Where the name is declared.
    pub const DECLARATION: u32 = 1;
    /// Part of the language or its standard library.
    pub const DEFAULT_LIBRARY: u32 = 2;
}

fn def_token(kind: DefKind) -> TokenKind {
    match kind {
        DefKind::Param => TokenKind::Parameter,
        DefKind::Let => TokenKind::Let,
        DefKind::Function => TokenKind::Function,
        DefKind::FunctionParam => TokenKind::Variable,
        DefKind::Resource => TokenKind::Resource,
        DefKind::Output => TokenKind::Output,
        DefKind::Construct => TokenKind::Construct,
        DefKind::Stack => TokenKind::Stack,
        DefKind::ImportAlias => TokenKind::Namespace,
        DefKind::LoopVariable => TokenKind::Variable,
    }
}

pub(super) fn semantic_tokens(snapshot: &Snapshot, file: FileId) -> Vec<(Span, TokenKind, u32)> {
    let text = &snapshot.sources.get(file).text;
    let lexed = lexer::lex(text, file);
    let index = &snapshot.index;
    let defs: std::collections::HashMap<Span, &super::Def> =
        index.defs_in(file).map(|(_, d)| (d.name_span, d)).collect();
    let refs: std::collections::HashMap<Span, usize> =
        index.refs.iter().filter(|r| r.span.file == file).map(|r| (r.span, r.def)).collect();
    let mut found = Vec::new();
    let tokens = &lexed.tokens;
    for (i, (token, range)) in tokens.iter().enumerate() {
        let span = Span::new(file, range.clone());
        let next = tokens.get(i + 1).map(|(t, _)| t);
        let previous = i.checked_sub(1).map(|p| &tokens[p].0);
        let classified = match token {
            Token::CfnType(_) => Some((TokenKind::Type, TokenModifier::DEFAULT_LIBRARY)),
            Token::Ident(name) => {
                if let Some(def) = defs.get(&span) {
                    Some((def_token(def.kind), TokenModifier::DECLARATION))
                } else if let Some(&def) = refs.get(&span) {
                    let def = &index.defs[def];
                    let modifier = if snapshot.sources.get(def.name_span.file).embedded {
                        TokenModifier::DEFAULT_LIBRARY
                    } else {
                        0
                    };
                    // A key that names a construct's parameter is a property.
                    let kind = if next == Some(&Token::Colon) && def.kind == DefKind::Param {
                        TokenKind::Property
                    } else {
                        def_token(def.kind)
                    };
                    Some((kind, modifier))
                } else if previous == Some(&Token::At) {
                    Some((TokenKind::Decorator, TokenModifier::DEFAULT_LIBRARY))
                } else if matches!(next, Some(Token::LParen)) && builtins::named(name).is_some() {
                    Some((TokenKind::Function, TokenModifier::DEFAULT_LIBRARY))
                } else if next == Some(&Token::Colon) && previous != Some(&Token::Resource) {
                    Some((TokenKind::Property, 0))
                } else if *name == "aws" || (crate::stdlib::source(name).is_some() && next == Some(&Token::Dot)) {
                    Some((TokenKind::Namespace, TokenModifier::DEFAULT_LIBRARY))
                } else {
                    None
                }
            }
            _ => None,
        };
        if let Some((kind, modifiers)) = classified {
            found.push((span, kind, modifiers));
        }
    }
    found
}
