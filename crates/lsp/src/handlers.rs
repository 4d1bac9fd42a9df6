//! Every request the server answers, and the protocol shapes of its
//! answers: capabilities, diagnostics, hover, completion, navigation,
//! rename, formatting, outline, semantic tokens, folding, signature help and
//! quick fixes.

use std::collections::BTreeMap;

use lsp_server::Request;
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionParams, CompletionItem, CompletionItemKind, CompletionParams,
    CompletionTextEdit, DiagnosticRelatedInformation, DiagnosticSeverity, DocumentFormattingParams, DocumentSymbol,
    DocumentSymbolParams, Documentation, FoldingRange, FoldingRangeKind, FoldingRangeParams, GotoDefinitionParams,
    HoverContents, HoverParams, InsertTextFormat, Location, MarkupContent, MarkupKind, NumberOrString,
    ParameterInformation, ParameterLabel, Position, PrepareRenameResponse, Range, ReferenceParams, RenameParams,
    SemanticToken, SemanticTokens, SemanticTokensParams, SignatureHelp, SignatureHelpParams, SignatureInformation,
    SymbolInformation, SymbolKind, TextDocumentPositionParams, TextEdit, WorkspaceSymbolParams,
};
use serde_json::{json, Value};

use crate::convert::{self, Encoding, LineIndex};
use crate::program::StdFolder;
use crate::{Context, Server};
use infrac::ide::{self, CompletionKind, DefKind, FoldKind, Snapshot, TokenKind, TokenModifier};
use infrac::source::Span;

/// Where each diagnostic code is explained.
const EXPLANATIONS: &str = "https://github.com/infrac/infrac/blob/main/src/diagnostics/explanations";

/// Semantic token types, in the legend's order; `resource` is the server's
/// own (the VS Code extension declares it a kind of `variable`).
const TOKEN_TYPES: &[&str] =
    &["resource", "class", "parameter", "variable", "property", "namespace", "decorator", "function", "type"];
const TOKEN_MODIFIERS: &[&str] = &["declaration", "defaultLibrary", "readonly"];

pub(crate) fn capabilities(encoding: Encoding) -> Value {
    json!({
        "positionEncoding": if encoding == Encoding::Utf8 { "utf-8" } else { "utf-16" },
        "textDocumentSync": { "openClose": true, "change": 1 },
        "hoverProvider": true,
        "completionProvider": { "triggerCharacters": [".", "@", ":"], "resolveProvider": true },
        "definitionProvider": true,
        "referencesProvider": true,
        "renameProvider": { "prepareProvider": true },
        "documentFormattingProvider": true,
        "documentSymbolProvider": true,
        "workspaceSymbolProvider": true,
        "semanticTokensProvider": {
            "legend": { "tokenTypes": TOKEN_TYPES, "tokenModifiers": TOKEN_MODIFIERS },
            "full": true,
        },
        "foldingRangeProvider": true,
        "signatureHelpProvider": { "triggerCharacters": ["(", ","] },
        "codeActionProvider": { "codeActionKinds": ["quickfix"] },
    })
}

type Answer = Result<Value, String>;

fn params<P: serde::de::DeserializeOwned>(request: Request) -> Result<P, String> {
    serde_json::from_value(request.params).map_err(|e| format!("invalid parameters: {e}"))
}

fn to_value(value: impl serde::Serialize) -> Answer {
    serde_json::to_value(value).map_err(|e| e.to_string())
}

pub(crate) fn handle(server: &mut Server, request: Request) -> Answer {
    match request.method.as_str() {
        req::HoverRequest::METHOD => hover(server, params(request)?),
        req::Completion::METHOD => completion(server, params(request)?),
        req::ResolveCompletionItem::METHOD => resolve_completion(params(request)?),
        req::GotoDefinition::METHOD => definition(server, params(request)?),
        req::References::METHOD => references(server, params(request)?),
        req::PrepareRenameRequest::METHOD => prepare_rename(server, params(request)?),
        req::Rename::METHOD => rename(server, params(request)?),
        req::Formatting::METHOD => formatting(server, params(request)?),
        req::DocumentSymbolRequest::METHOD => document_symbols(server, params(request)?),
        req::WorkspaceSymbolRequest::METHOD => workspace_symbols(server, params(request)?),
        req::SemanticTokensFullRequest::METHOD => semantic_tokens(server, params(request)?),
        req::FoldingRangeRequest::METHOD => folding(server, params(request)?),
        req::SignatureHelpRequest::METHOD => signature_help(server, params(request)?),
        req::CodeActionRequest::METHOD => code_actions(server, params(request)?),
        other => Err(format!("unsupported request {other}")),
    }
}

impl Context<'_> {
    fn text(&self) -> &str {
        &self.snapshot.sources.get(self.file).text
    }

    fn offset(&self, position: Position) -> u32 {
        LineIndex::new(self.text(), self.encoding).offset(position) as u32
    }

    fn range(&self, span: Span) -> Range {
        range(self.snapshot, self.encoding, span)
    }

    fn location(&self, span: Span) -> Option<Location> {
        location(self.snapshot, self.std, self.encoding, span)
    }
}

fn range(snapshot: &Snapshot, encoding: Encoding, span: Span) -> Range {
    let text = &snapshot.sources.get(span.file).text;
    LineIndex::new(text, encoding).range(span.start as usize, span.end as usize)
}

/// The document a span lies in: a user's file, or the standard library's
/// copy in its folder.
fn location(snapshot: &Snapshot, std: &StdFolder, encoding: Encoding, span: Span) -> Option<Location> {
    let source = snapshot.sources.get(span.file);
    let path = if source.embedded { std.path(&source.name)? } else { std::path::PathBuf::from(&source.name) };
    Some(Location { uri: convert::uri_of(&path), range: range(snapshot, encoding, span) })
}

fn at<T>(
    server: &mut Server,
    position: &TextDocumentPositionParams,
    f: impl FnOnce(&Context, u32) -> T,
) -> Result<T, String> {
    server
        .with_document(&position.text_document.uri, |cx| {
            let offset = cx.offset(position.position);
            f(cx, offset)
        })
        .ok_or_else(|| "no such document".to_string())
}

/// One of the checker's diagnostics, as the protocol carries it.
pub(crate) fn diagnostic(
    snapshot: &Snapshot,
    std: &StdFolder,
    encoding: Encoding,
    found: &infrac::diagnostics::Diagnostic,
) -> lsp_types::Diagnostic {
    let mut message = found.message.clone();
    // A terminal shows a label under the code and the help after it; an
    // editor shows both in one message, where a suggestion the label
    // repeats (`unknown property; did you mean `X`?`) would come twice.
    let label = match &found.help {
        Some(help) => found
            .primary
            .message
            .strip_suffix(help.as_str())
            .map_or(&*found.primary.message, |rest| rest.trim_end_matches(|c: char| c == ';' || c == ' ')),
        None => &found.primary.message,
    };
    if !label.is_empty() {
        message.push_str(&format!("\n{label}"));
    }
    for note in &found.notes {
        message.push_str(&format!("\nnote: {note}"));
    }
    if let Some(help) = &found.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    let related: Vec<DiagnosticRelatedInformation> = found
        .secondary
        .iter()
        .filter_map(|label| {
            Some(DiagnosticRelatedInformation {
                location: location(snapshot, std, encoding, label.span)?,
                message: label.message.clone(),
            })
        })
        .collect();
    // What a quick fix needs, carried back by the client in `codeAction`.
    let data = if let Some(suggestion) = found.suggestion() {
        Some(json!({ "replace": suggestion }))
    } else {
        let missing = found.missing_properties();
        (!missing.is_empty()).then(|| json!({ "add": missing }))
    };
    let code = found.code.as_str();
    lsp_types::Diagnostic {
        range: range(snapshot, encoding, found.primary.span),
        severity: Some(if found.is_error() { DiagnosticSeverity::ERROR } else { DiagnosticSeverity::WARNING }),
        code: Some(NumberOrString::String(code.to_string())),
        code_description: format!("{EXPLANATIONS}/{code}.md")
            .parse()
            .ok()
            .map(|href| lsp_types::CodeDescription { href }),
        source: Some("infrac".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data,
    }
}

fn markdown(value: String) -> MarkupContent {
    MarkupContent { kind: MarkupKind::Markdown, value }
}

fn hover(server: &mut Server, params: HoverParams) -> Answer {
    let position = &params.text_document_position_params;
    // Checked first, for a `let`'s folded value: usually done already (the
    // diagnostics of the same text), else once for this text.
    let found = server.with_checked_document(&position.text_document.uri, |cx| {
        let hover = cx.snapshot.hover(cx.file, cx.offset(position.position))?;
        Some(lsp_types::Hover {
            contents: HoverContents::Markup(markdown(hover.markdown)),
            range: Some(cx.range(hover.span)),
        })
    });
    to_value(found.ok_or("no such document")?)
}

fn completion_kind(kind: CompletionKind) -> CompletionItemKind {
    match kind {
        CompletionKind::Keyword => CompletionItemKind::KEYWORD,
        CompletionKind::ResourceType | CompletionKind::Type => CompletionItemKind::CLASS,
        CompletionKind::Construct => CompletionItemKind::STRUCT,
        CompletionKind::Property => CompletionItemKind::PROPERTY,
        CompletionKind::Value => CompletionItemKind::ENUM_MEMBER,
        CompletionKind::Name(DefKind::Param) => CompletionItemKind::VARIABLE,
        CompletionKind::Name(DefKind::Let) => CompletionItemKind::CONSTANT,
        CompletionKind::Name(DefKind::Function) => CompletionItemKind::FUNCTION,
        CompletionKind::Name(DefKind::Resource) => CompletionItemKind::REFERENCE,
        CompletionKind::Name(DefKind::Construct) => CompletionItemKind::STRUCT,
        CompletionKind::Name(DefKind::Stack | DefKind::ImportAlias) | CompletionKind::Namespace => {
            CompletionItemKind::MODULE
        }
        CompletionKind::Name(_) => CompletionItemKind::VARIABLE,
        CompletionKind::Function => CompletionItemKind::FUNCTION,
        CompletionKind::Decorator => CompletionItemKind::KEYWORD,
        CompletionKind::Attribute => CompletionItemKind::FIELD,
    }
}

fn completion(server: &mut Server, params: CompletionParams) -> Answer {
    let items = at(server, &params.text_document_position, |cx, offset| {
        let (items, start) = cx.snapshot.completions(cx.file, offset);
        let range = cx.range(Span { file: cx.file, start, end: offset });
        items
            .into_iter()
            .map(|item| {
                let snippet = item.snippet.is_some();
                CompletionItem {
                    kind: Some(completion_kind(item.kind)),
                    detail: item.detail,
                    documentation: item.documentation.map(|d| Documentation::MarkupContent(markdown(d))),
                    sort_text: Some(format!("{}{}", item.rank, item.label)),
                    filter_text: Some(item.label.clone()),
                    insert_text_format: Some(if snippet {
                        InsertTextFormat::SNIPPET
                    } else {
                        InsertTextFormat::PLAIN_TEXT
                    }),
                    text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                        range,
                        new_text: item.snippet.unwrap_or_else(|| item.label.clone()),
                    })),
                    data: (item.kind == CompletionKind::ResourceType).then(|| json!({ "type": item.label })),
                    label: item.label,
                    ..CompletionItem::default()
                }
            })
            .collect::<Vec<_>>()
    })?;
    to_value(lsp_types::CompletionResponse::List(lsp_types::CompletionList { is_incomplete: false, items }))
}

fn resolve_completion(mut item: CompletionItem) -> Answer {
    let type_name = item.data.as_ref().and_then(|d| d.get("type")).and_then(Value::as_str).map(str::to_string);
    if let Some(doc) = type_name.and_then(|name| ide::resolve_type_doc(&name)) {
        item.documentation = Some(Documentation::MarkupContent(markdown(doc)));
    }
    to_value(item)
}

fn definition(server: &mut Server, params: GotoDefinitionParams) -> Answer {
    let found = at(server, &params.text_document_position_params, |cx, offset| {
        cx.snapshot.definition(cx.file, offset).and_then(|span| cx.location(span))
    })?;
    to_value(found.map(lsp_types::GotoDefinitionResponse::Scalar))
}

fn references(server: &mut Server, params: ReferenceParams) -> Answer {
    let include_declaration = params.context.include_declaration;
    let found = at(server, &params.text_document_position, |cx, offset| {
        let spans = cx.snapshot.references(cx.file, offset);
        let skip = usize::from(!include_declaration);
        spans.into_iter().skip(skip).filter_map(|span| cx.location(span)).collect::<Vec<_>>()
    })?;
    to_value(found)
}

fn prepare_rename(server: &mut Server, params: TextDocumentPositionParams) -> Answer {
    let found = at(server, &params, |cx, offset| match cx.snapshot.rename(cx.file, offset) {
        Ok((name, spans)) => {
            let here = spans.iter().find(|s| s.file == cx.file && s.start <= offset && offset <= s.end).copied();
            Ok(here
                .map(|span| PrepareRenameResponse::RangeWithPlaceholder { range: cx.range(span), placeholder: name }))
        }
        Err(ide::RenameError::NotAName) => Ok(None),
        Err(ide::RenameError::StandardLibrary) => Err("the standard library cannot be renamed".to_string()),
    })?;
    to_value(found?)
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && infrac::syntax::lexer::lex(name, 0)
            .tokens
            .first()
            .is_some_and(|(t, _)| matches!(t, infrac::syntax::token::Token::Ident(_)))
}

fn rename(server: &mut Server, params: RenameParams) -> Answer {
    let new_name = params.new_name.clone();
    if !is_identifier(&new_name) {
        return Err(format!("`{new_name}` is not a name"));
    }
    let found = at(server, &params.text_document_position, |cx, offset| {
        let (_, spans) = cx.snapshot.rename(cx.file, offset).map_err(|_| "nothing to rename here".to_string())?;
        let mut changes: BTreeMap<String, Vec<TextEdit>> = BTreeMap::new();
        for span in spans {
            let Some(location) = cx.location(span) else { continue };
            changes
                .entry(location.uri.as_str().to_string())
                .or_default()
                .push(TextEdit { range: location.range, new_text: new_name.clone() });
        }
        Ok::<_, String>(json!({ "changes": changes }))
    })?;
    found
}

fn formatting(server: &mut Server, params: DocumentFormattingParams) -> Answer {
    let found = server
        .with_document(&params.text_document.uri, |cx| {
            let text = cx.text();
            match infrac::format::format_source(text) {
                Ok(formatted) if formatted != text => {
                    Some(vec![TextEdit { range: cx.range(Span::new(cx.file, 0..text.len())), new_text: formatted }])
                }
                Ok(_) => Some(Vec::new()),
                // A file that does not parse is left alone; its diagnostics say why.
                Err(_) => None,
            }
        })
        .ok_or("no such document")?;
    to_value(found)
}

fn symbol_kind(kind: DefKind) -> SymbolKind {
    match kind {
        DefKind::Param => SymbolKind::VARIABLE,
        DefKind::Let => SymbolKind::CONSTANT,
        DefKind::Function => SymbolKind::FUNCTION,
        DefKind::FunctionParam => SymbolKind::VARIABLE,
        DefKind::Resource => SymbolKind::OBJECT,
        DefKind::Output => SymbolKind::PROPERTY,
        DefKind::Construct => SymbolKind::CLASS,
        DefKind::Stack => SymbolKind::MODULE,
        DefKind::ImportAlias => SymbolKind::NAMESPACE,
        DefKind::LoopVariable => SymbolKind::VARIABLE,
    }
}

#[allow(deprecated)]
fn document_symbol(cx: &Context, symbol: ide::Symbol) -> DocumentSymbol {
    DocumentSymbol {
        name: symbol.name,
        detail: symbol.detail,
        kind: symbol_kind(symbol.kind),
        tags: None,
        deprecated: None,
        range: cx.range(symbol.span),
        selection_range: cx.range(symbol.name_span),
        children: Some(symbol.children.into_iter().map(|c| document_symbol(cx, c)).collect()),
    }
}

fn document_symbols(server: &mut Server, params: DocumentSymbolParams) -> Answer {
    let found = server
        .with_document(&params.text_document.uri, |cx| {
            cx.snapshot.symbols(cx.file).into_iter().map(|s| document_symbol(cx, s)).collect::<Vec<_>>()
        })
        .ok_or("no such document")?;
    to_value(lsp_types::DocumentSymbolResponse::Nested(found))
}

/// The declarations whose names contain the query, in every program of
/// the workspace folder and of the open documents outside it.
fn workspace_symbols(server: &mut Server, params: WorkspaceSymbolParams) -> Answer {
    let mut found: Vec<SymbolInformation> = Vec::new();
    if let Some(snapshot) = server.workspace_snapshot() {
        found.extend(symbol_information(&snapshot, server.std(), server.encoding(), &params.query));
    }
    for path in server.documents_outside_workspace() {
        let symbols = server.with_document(&convert::uri_of(&path), |cx| {
            symbol_information(cx.snapshot, cx.std, cx.encoding, &params.query)
        });
        found.extend(symbols.unwrap_or_default());
    }
    found.sort_by(|a, b| {
        (&a.name, a.location.uri.as_str(), a.location.range.start).cmp(&(
            &b.name,
            b.location.uri.as_str(),
            b.location.range.start,
        ))
    });
    found.dedup_by(|a, b| a.location == b.location);
    to_value(found)
}

#[allow(deprecated)]
fn symbol_information(snapshot: &Snapshot, std: &StdFolder, encoding: Encoding, query: &str) -> Vec<SymbolInformation> {
    snapshot
        .workspace_symbols(query)
        .into_iter()
        .filter_map(|def| {
            Some(SymbolInformation {
                name: def.name.clone(),
                kind: symbol_kind(def.kind),
                tags: None,
                deprecated: None,
                location: location(snapshot, std, encoding, def.name_span)?,
                container_name: None,
            })
        })
        .collect()
}

fn token_type(kind: TokenKind) -> (u32, u32) {
    const READONLY: u32 = 4;
    let (name, extra) = match kind {
        TokenKind::Resource => ("resource", 0),
        TokenKind::Construct => ("class", 0),
        TokenKind::Parameter => ("parameter", 0),
        TokenKind::Let => ("variable", READONLY),
        TokenKind::Variable => ("variable", 0),
        TokenKind::Output | TokenKind::Property => ("property", 0),
        TokenKind::Stack | TokenKind::Namespace => ("namespace", 0),
        TokenKind::Decorator => ("decorator", 0),
        TokenKind::Function => ("function", 0),
        TokenKind::Type => ("type", 0),
    };
    (TOKEN_TYPES.iter().position(|t| *t == name).unwrap_or(0) as u32, extra)
}

fn semantic_tokens(server: &mut Server, params: SemanticTokensParams) -> Answer {
    let found = server
        .with_document(&params.text_document.uri, |cx| {
            let index = LineIndex::new(cx.text(), cx.encoding);
            let mut data = Vec::new();
            let mut previous = Position::default();
            for (span, kind, modifiers) in cx.snapshot.semantic_tokens(cx.file) {
                let range = index.range(span.start as usize, span.end as usize);
                if range.start.line != range.end.line {
                    continue;
                }
                let (token_type, extra) = token_type(kind);
                let mut bits = extra;
                if modifiers & TokenModifier::DECLARATION != 0 {
                    bits |= 1;
                }
                if modifiers & TokenModifier::DEFAULT_LIBRARY != 0 {
                    bits |= 2;
                }
                let delta_line = range.start.line - previous.line;
                let delta_start =
                    if delta_line == 0 { range.start.character - previous.character } else { range.start.character };
                data.push(SemanticToken {
                    delta_line,
                    delta_start,
                    length: range.end.character - range.start.character,
                    token_type,
                    token_modifiers_bitset: bits,
                });
                previous = range.start;
            }
            SemanticTokens { result_id: None, data }
        })
        .ok_or("no such document")?;
    to_value(found)
}

fn folding(server: &mut Server, params: FoldingRangeParams) -> Answer {
    let found = server
        .with_document(&params.text_document.uri, |cx| {
            cx.snapshot
                .folding(cx.file)
                .into_iter()
                .map(|fold| {
                    let range = cx.range(Span { file: cx.file, start: fold.start, end: fold.end });
                    FoldingRange {
                        start_line: range.start.line,
                        start_character: None,
                        end_line: range.end.line,
                        end_character: None,
                        kind: Some(match fold.kind {
                            FoldKind::Region => FoldingRangeKind::Region,
                            FoldKind::Comment => FoldingRangeKind::Comment,
                            FoldKind::Imports => FoldingRangeKind::Imports,
                        }),
                        collapsed_text: None,
                    }
                })
                .collect::<Vec<_>>()
        })
        .ok_or("no such document")?;
    to_value(found)
}

/// `join(separator, list)` -> `["separator", "list"]`.
fn signature_parameters(signature: &str) -> Vec<String> {
    let Some(inner) = signature.split_once('(').and_then(|(_, rest)| rest.rsplit_once(')')).map(|(inner, _)| inner)
    else {
        return Vec::new();
    };
    inner.split(',').map(str::trim).filter(|p| !p.is_empty()).map(str::to_string).collect()
}

fn signature_help(server: &mut Server, params: SignatureHelpParams) -> Answer {
    let found = at(server, &params.text_document_position_params, |cx, offset| {
        let signature = cx.snapshot.signature(cx.file, offset)?;
        let argument = signature.argument;
        let signatures: Vec<SignatureInformation> = signature
            .labels
            .iter()
            .map(|label| SignatureInformation {
                label: label.clone(),
                documentation: signature.doc.clone().map(|doc| Documentation::MarkupContent(markdown(doc))),
                parameters: Some(
                    signature_parameters(label)
                        .into_iter()
                        .map(|p| ParameterInformation { label: ParameterLabel::Simple(p), documentation: None })
                        .collect(),
                ),
                active_parameter: None,
            })
            .collect();
        // The first signature with room for the argument the cursor is in.
        let active = signatures
            .iter()
            .position(|s| {
                let parameters = s.parameters.as_ref().map_or(0, Vec::len);
                let repeats = s.label.contains("...");
                argument < parameters || repeats
            })
            .unwrap_or(0);
        Some(SignatureHelp {
            signatures,
            active_signature: Some(active as u32),
            active_parameter: Some(argument as u32),
        })
    })?;
    to_value(found)
}

fn code_actions(server: &mut Server, params: CodeActionParams) -> Answer {
    let uri = params.text_document.uri.clone();
    let found = server
        .with_document(&uri, |cx| {
            let mut actions = Vec::new();
            for diagnostic in &params.context.diagnostics {
                let Some(data) = &diagnostic.data else { continue };
                let edit = if let Some(replacement) = data.get("replace").and_then(Value::as_str) {
                    let edit = TextEdit { range: diagnostic.range, new_text: replacement.to_string() };
                    Some((format!("Replace with `{replacement}`"), edit))
                } else if let Some(missing) = data.get("add").and_then(Value::as_array) {
                    let names: Vec<&str> = missing.iter().filter_map(Value::as_str).collect();
                    let start = cx.offset(diagnostic.range.start);
                    let end = cx.offset(diagnostic.range.end);
                    cx.snapshot.add_properties(Span { file: cx.file, start, end }, &names).map(|edit| {
                        let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
                        let title = format!("Add {}", quoted.join(", "));
                        (title, TextEdit { range: cx.range(edit.span), new_text: edit.text })
                    })
                } else {
                    None
                };
                let Some((title, edit)) = edit else { continue };
                let mut changes = std::collections::HashMap::new();
                changes.insert(uri.clone(), vec![edit]);
                actions.push(CodeAction {
                    title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic.clone()]),
                    edit: Some(lsp_types::WorkspaceEdit { changes: Some(changes), ..Default::default() }),
                    is_preferred: Some(true),
                    ..CodeAction::default()
                });
            }
            actions
        })
        .ok_or("no such document")?;
    to_value(found)
}
