//! Completion: what may be typed at the cursor, each with its
//! documentation, and signature help for built-in and user functions.
//!
//! The cursor's [`Context`] decides what is offered: types after
//! `resource x:`, property names inside a body (required ones first, those
//! already written left out), allowed values after `key:`, attributes after
//! `x.`, decorators after `@`, and otherwise the names in scope and the
//! built-in functions.

use super::context::{self, BodyOwner, BodyPath, Context, TypeOf};
use super::hover::{cfn_type_of, decorator_doc, param_doc};
use super::index::DefKind;
use super::schema_path::{allowed_values, object_at, property_doc, shape_at, shape_words};
use super::{construct_named, std_files, Snapshot};
use crate::check::builtins;
use crate::check::decorators::DecoratorKind;
use crate::diagnostics::facts::Place;
use crate::source::FileId;
use crate::syntax::ast::{self, ItemKind};
use crate::syntax::lexer;
use crate::syntax::token::Token;

/// One thing that may be typed.
#[derive(Clone, Debug, PartialEq)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
    /// A short line beside the label: a type, a signature.
    pub detail: Option<String>,
    /// Markdown; `None` for items whose documentation costs a look-up
    /// (resource types: see [`resolve_type_doc`]).
    pub documentation: Option<String>,
    /// What to insert, when not the label; `$0` marks where the cursor goes.
    pub snippet: Option<String>,
    /// Orders the list: items sort by it, then by label.
    pub rank: u8,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    Keyword,
    /// A CloudFormation resource type.
    ResourceType,
    Construct,
    /// A property of a resource body or a construct instance.
    Property,
    /// An allowed value.
    Value,
    Name(DefKind),
    Namespace,
    Function,
    Decorator,
    Attribute,
    /// A parameter type: `string`, `list<string>`.
    Type,
}

impl Completion {
    fn new(label: impl Into<String>, kind: CompletionKind) -> Completion {
        Completion { label: label.into(), kind, detail: None, documentation: None, snippet: None, rank: 1 }
    }

    fn detail(mut self, detail: impl Into<String>) -> Completion {
        self.detail = Some(detail.into());
        self
    }

    fn doc(mut self, doc: Option<String>) -> Completion {
        self.documentation = doc;
        self
    }

    fn snippet(mut self, snippet: impl Into<String>) -> Completion {
        self.snippet = Some(snippet.into());
        self
    }

    fn rank(mut self, rank: u8) -> Completion {
        self.rank = rank;
        self
    }
}

/// The documentation of a resource type offered by completion, looked up
/// only when the editor asks for it.
pub fn resolve_type_doc(type_name: &str) -> Option<String> {
    crate::schema::resource_type(type_name).map(super::schema_path::type_doc)
}

/// What may be typed at `offset`, and where the text they replace starts.
pub(super) fn completions(snapshot: &Snapshot, file: FileId, offset: u32) -> (Vec<Completion>, u32) {
    let text = &snapshot.sources.get(file).text;
    let (context, start) = context::at(text, offset as usize);
    let mut items = match context {
        Context::Inert => Vec::new(),
        Context::Type { declaration, written } => types(snapshot, file, declaration, &written),
        Context::Decorator => DecoratorKind::ALL
            .iter()
            .map(|kind| {
                let arity = kind.arity();
                let item = Completion::new(kind.name(), CompletionKind::Decorator).doc(Some(decorator_doc(*kind)));
                if arity.max == Some(0) {
                    item
                } else {
                    item.snippet(format!("{}($0)", kind.name()))
                }
            })
            .collect(),
        Context::Member { base } => members(snapshot, file, offset, &base),
        Context::Key { body, written } => keys(snapshot, file, &body, &written),
        Context::Value { place } => {
            let mut items = place.map(|place| values(snapshot, file, &place)).unwrap_or_default();
            items.extend(names_in_scope(snapshot, file, offset));
            items
        }
        Context::Declaration => {
            let mut items: Vec<Completion> = ["param", "let", "resource", "output", "stack", "construct", "import"]
                .iter()
                .map(|k| Completion::new(*k, CompletionKind::Keyword).snippet(format!("{k} ")))
                .collect();
            items.extend(names_in_scope(snapshot, file, offset).into_iter().map(|i| i.rank(2)));
            items
        }
    };
    items.sort_by(|a, b| (a.rank, &a.label).cmp(&(b.rank, &b.label)));
    items.dedup_by(|a, b| a.label == b.label);
    (items, start as u32)
}

/// Types after `resource x:`, `stack X:` or `param x:`.
fn types(snapshot: &Snapshot, file: FileId, declaration: TypeOf, written: &str) -> Vec<Completion> {
    let mut items = Vec::new();
    if declaration == TypeOf::Resource && !written.contains('.') {
        // Past `AWS::S3::`, only that service's types; the editor filters the rest.
        let service = written.rfind("::").map_or("", |i| &written[..i + 2]);
        items.extend(
            crate::schema::type_names()
                .filter(|name| name.starts_with(service))
                .map(|name| Completion::new(name, CompletionKind::ResourceType)),
        );
    }
    if declaration == TypeOf::Param {
        for ty in ["string", "number", "bool", "list<string>", "list<number>"] {
            items.push(Completion::new(ty, CompletionKind::Type).rank(0));
        }
    }
    if written.contains("::") {
        return items;
    }
    // The program's constructs, then the standard library's.
    for (_, def) in snapshot.index.defs_in(file) {
        if def.kind == DefKind::Construct {
            items.push(Completion::new(&def.name, CompletionKind::Construct).doc(def.doc.clone()).rank(0));
        }
    }
    for (namespace, ast) in std_files() {
        for item in &ast.items {
            if let ItemKind::Construct(c) = &item.kind {
                let label = format!("{namespace}.{}", c.name.node);
                let doc = item.doc.as_ref().map(|d| d.split("\n\n").next().unwrap_or(d).to_string());
                items.push(Completion::new(label, CompletionKind::Construct).doc(doc).rank(0));
            }
        }
    }
    items
}

/// After `a.`: a namespace's constructs and lets, an instance's outputs,
/// an L1 resource's attributes, the pseudo parameters.
fn members(snapshot: &Snapshot, file: FileId, offset: u32, base: &[String]) -> Vec<Completion> {
    let Some(root) = base.first() else { return Vec::new() };
    if root == "aws" && base.len() == 1 {
        return crate::check::PSEUDO_PARAMETERS
            .iter()
            .map(|(name, cfn, _)| {
                Completion::new(*name, CompletionKind::Attribute)
                    .detail(*cfn)
                    .doc(Some(format!("The pseudo parameter `{cfn}`.")))
            })
            .collect();
    }
    let def = visible_def(snapshot, file, offset, root);
    // A namespace: an import alias or the standard library's.
    let namespace_items = match def {
        Some(def) if snapshot.index.defs[def].kind == DefKind::ImportAlias => {
            alias_target(snapshot, def).map(|m| &*snapshot.loaded[m].ast)
        }
        None => std_files().iter().find(|(ns, _)| ns == root).map(|(_, ast)| ast),
        Some(_) => None,
    };
    if let Some(ast) = namespace_items {
        return ast
            .items
            .iter()
            .filter_map(|item| match &item.kind {
                ItemKind::Construct(c) => {
                    Some(Completion::new(&c.name.node, CompletionKind::Construct).doc(item.doc.clone()))
                }
                ItemKind::Let(l @ ast::Let { params: Some(params), .. }) => {
                    Some(function_completion(&l.name.node, params, item.doc.clone()))
                }
                ItemKind::Let(l) => {
                    Some(Completion::new(&l.name.node, CompletionKind::Name(DefKind::Let)).doc(item.doc.clone()))
                }
                _ => None,
            })
            .collect();
    }
    let Some(def) = def else { return Vec::new() };
    let found = &snapshot.index.defs[def];
    if let Some((module, index)) = found.construct {
        let Some(ast::Item { kind: ItemKind::Construct(construct), .. }) = snapshot.loaded[module].ast.items.get(index)
        else {
            return Vec::new();
        };
        return construct
            .items
            .iter()
            .filter_map(|item| match &item.kind {
                ItemKind::Output(o) => {
                    Some(Completion::new(&o.name.node, CompletionKind::Attribute).doc(item.doc.clone()))
                }
                _ => None,
            })
            .collect();
    }
    let Some(type_name) = cfn_type_of(snapshot, found) else { return Vec::new() };
    let Some(rt) = crate::schema::resource_type(type_name) else { return Vec::new() };
    let prefix: String = base[1..].iter().map(|s| format!("{s}.")).collect();
    rt.attributes
        .iter()
        .filter_map(|(name, shape)| {
            let rest = name.strip_prefix(&prefix)?;
            let label = rest.trim_end_matches(".*").trim_end_matches('*');
            (!label.is_empty()).then(|| {
                Completion::new(label, CompletionKind::Attribute)
                    .detail(shape_words(rt, shape))
                    .doc(Some(format!("An attribute of `{type_name}` (`Fn::GetAtt`).")))
            })
        })
        .collect()
}

/// The module an `import ... as x` alias names.
fn alias_target(snapshot: &Snapshot, def: usize) -> Option<usize> {
    let alias = &snapshot.index.defs[def];
    let loaded = &snapshot.loaded[alias.module];
    let position = loaded
        .ast
        .items
        .iter()
        .filter_map(|item| match &item.kind {
            ItemKind::Import(import) => Some(import),
            _ => None,
        })
        .position(|import| import.alias.as_ref().is_some_and(|a| a.span == alias.name_span))?;
    loaded.imports.get(position).copied().flatten()
}

/// Property names inside a body.
fn keys(snapshot: &Snapshot, file: FileId, body: &BodyPath, written: &[String]) -> Vec<Completion> {
    let is_written = |name: &str| written.iter().any(|w| w == name);
    match &body.owner {
        BodyOwner::Cfn(type_name) => {
            let Some(rt) = crate::schema::resource_type(type_name) else { return Vec::new() };
            let Some(object) = object_at(rt, &body.path) else { return Vec::new() };
            object
                .properties
                .iter()
                .filter(|(name, property)| !is_written(name) && !property.read_only)
                .map(|(name, property)| {
                    let required = object.required.iter().any(|r| r == name);
                    let mut detail = shape_words(rt, &property.shape);
                    if required {
                        detail.push_str(" (required)");
                    }
                    Completion::new(name, CompletionKind::Property)
                        .detail(detail)
                        .doc(Some(property_doc(rt, name, property, required)))
                        .snippet(format!("{name}: $0"))
                        .rank(if required { 0 } else { 1 })
                })
                .collect()
        }
        BodyOwner::Construct(path) => {
            let Some((_, construct)) = construct_named(snapshot, file, path) else { return Vec::new() };
            if let [context::Segment::Key(name), rest @ ..] = body.path.as_slice() {
                // Inside a property: the fields of its record type.
                let params = super::construct_params(snapshot, file, construct);
                let Some(&(_, param)) = params.iter().find(|(_, p)| p.name.node == *name) else {
                    return Vec::new();
                };
                let Some(fields) = record_at(&param.ty.node, rest) else { return Vec::new() };
                return fields
                    .iter()
                    .filter(|field| !is_written(&field.name.node))
                    .map(|field| {
                        let name = &field.name.node;
                        let optional = if field.optional { " (optional)" } else { "" };
                        Completion::new(name, CompletionKind::Property)
                            .detail(format!("{}{optional}", field.ty.node))
                            .snippet(format!("{name}: $0"))
                            .rank(if field.optional { 1 } else { 0 })
                    })
                    .collect();
            }
            if !body.path.is_empty() {
                return Vec::new();
            }
            super::construct_params(snapshot, file, construct)
                .into_iter()
                .filter(|(_, param)| !is_written(&param.name.node))
                .map(|(item, param)| {
                    let required = param.default.is_none();
                    let name = &param.name.node;
                    Completion::new(name, CompletionKind::Property)
                        .detail(param.ty.node.to_string())
                        .doc(Some(param_doc(snapshot, item, param)))
                        .snippet(format!("{name}: $0"))
                        .rank(if required { 0 } else { 1 })
                })
                .collect()
        }
    }
}

/// The fields of the record type at `path` inside a parameter's type:
/// `list<{ port: number }>` with one list item step gives `port`.
pub(super) fn record_at<'t>(ty: &'t ast::TypeExpr, path: &[context::Segment]) -> Option<&'t [ast::FieldType]> {
    let mut ty = ty;
    for segment in path {
        ty = match segment {
            context::Segment::Item => &ty.arg.as_ref()?.node,
            context::Segment::Key(key) => &ty.fields.as_ref()?.iter().find(|f| f.name.node == *key)?.ty.node,
        };
    }
    ty.fields.as_deref()
}

/// The values a schema allows at `place`.
fn values(_snapshot: &Snapshot, _file: FileId, place: &BodyPath) -> Vec<Completion> {
    let BodyOwner::Cfn(type_name) = &place.owner else { return Vec::new() };
    let Some(rt) = crate::schema::resource_type(type_name) else { return Vec::new() };
    let Some(shape) = shape_at(rt, &place.path) else { return Vec::new() };
    allowed_values(rt, shape).into_iter().map(|v| Completion::new(v, CompletionKind::Value).rank(0)).collect()
}

/// The declaration named `name` that is visible at `offset` of `file`.
fn visible_def(snapshot: &Snapshot, file: FileId, offset: u32, name: &str) -> Option<usize> {
    let mut best = None;
    for (id, def) in snapshot.index.defs_in(file) {
        if def.name != name || def.kind == DefKind::Output {
            continue;
        }
        let block = enclosing_block(snapshot, file, def.name_span.start);
        if block.is_none() || block == enclosing_block(snapshot, file, offset) {
            // A declaration in the cursor's block wins over a top-level one.
            if best.is_none() || block.is_some() {
                best = Some(id);
            }
        }
    }
    best.or_else(|| {
        // An imported name: a reference in this file to a declaration elsewhere.
        snapshot
            .index
            .refs
            .iter()
            .filter(|r| r.span.file == file)
            .map(|r| r.def)
            .find(|&d| snapshot.index.defs[d].name == name)
    })
}

/// The span of the stack or construct block holding `offset`, if any.
fn enclosing_block(snapshot: &Snapshot, file: FileId, offset: u32) -> Option<(u32, u32)> {
    let ast = snapshot.ast(file)?;
    ast.items
        .iter()
        .filter(|item| matches!(item.kind, ItemKind::Stack(_) | ItemKind::Construct(_)))
        .find(|item| item.span.start < offset && offset < item.span.end)
        .map(|item| (item.span.start, item.span.end))
}

/// Every name visible at `offset`, the standard library's namespaces, `aws`
/// and the built-in functions.
fn names_in_scope(snapshot: &Snapshot, file: FileId, offset: u32) -> Vec<Completion> {
    let mut items = Vec::new();
    let here = enclosing_block(snapshot, file, offset);
    for (_, def) in snapshot.index.defs_in(file) {
        let visible = match def.kind {
            DefKind::Output => false,
            DefKind::LoopVariable => false,
            // In the function's own declaration.
            DefKind::FunctionParam => def.span.start <= offset && offset <= def.span.end,
            DefKind::Stack | DefKind::Construct | DefKind::ImportAlias => true,
            _ => {
                let block = enclosing_block(snapshot, file, def.name_span.start);
                block.is_none() || block == here
            }
        };
        if visible {
            items.push(name_completion(snapshot, def).rank(0));
        }
    }
    // Loop variables of a looped resource or comprehension around the cursor.
    for (_, def) in snapshot.index.defs_in(file) {
        if def.kind == DefKind::LoopVariable && loop_scope_holds(snapshot, file, def.name_span.start, offset) {
            items.push(Completion::new(&def.name, CompletionKind::Name(DefKind::LoopVariable)).detail("for").rank(0));
        }
    }
    // Names imported from other files.
    for reference in snapshot.index.refs.iter().filter(|r| r.span.file == file) {
        let def = &snapshot.index.defs[reference.def];
        if def.name_span.file != file && matches!(def.kind, DefKind::Let | DefKind::Function | DefKind::Construct) {
            items.push(name_completion(snapshot, def).rank(0));
        }
    }
    items.push(
        Completion::new("aws", CompletionKind::Namespace)
            .doc(Some("The pseudo parameters: `aws.region`, `aws.account_id`, ...".into()))
            .rank(1),
    );
    // A file's own names hide the standard library's namespaces.
    let declared: Vec<String> = items.iter().map(|i| i.label.clone()).collect();
    for namespace in crate::stdlib::namespaces().filter(|ns| !declared.iter().any(|d| d == ns)) {
        items.push(Completion::new(namespace, CompletionKind::Namespace).detail("standard library").rank(2));
    }
    for builtin in builtins::names().filter_map(builtins::named) {
        items.push(
            Completion::new(builtin.name, CompletionKind::Function)
                .detail(builtin.doc.signatures.first().copied().unwrap_or(builtin.name))
                .doc(Some(builtin.page()))
                .snippet(format!("{}($0)", builtin.name))
                .rank(1),
        );
    }
    for constant in ["true", "false", "null"] {
        items.push(Completion::new(constant, CompletionKind::Keyword).rank(2));
    }
    items
}

/// A declared name as completion offers it: a function as a call.
fn name_completion(snapshot: &Snapshot, def: &super::Def) -> Completion {
    let params = snapshot.let_of(def).and_then(|l| l.params.as_deref());
    match (def.kind, params) {
        (DefKind::Function, Some(params)) => function_completion(&def.name, params, def.doc.clone()),
        (DefKind::FunctionParam, _) => {
            Completion::new(&def.name, CompletionKind::Name(def.kind)).detail("function parameter")
        }
        (DefKind::ImportAlias, _) => {
            Completion::new(&def.name, CompletionKind::Namespace).detail(def.kind.keyword()).doc(def.doc.clone())
        }
        _ => Completion::new(&def.name, CompletionKind::Name(def.kind)).detail(def.kind.keyword()).doc(def.doc.clone()),
    }
}

/// `f(a, b)`, inserted as `f(` and `)` around the cursor.
fn function_completion(name: &str, params: &[ast::Ident], doc: Option<String>) -> Completion {
    Completion::new(name, CompletionKind::Name(DefKind::Function))
        .detail(format!("{name}{}", super::function_params_text(params)))
        .doc(doc)
        .snippet(format!("{name}($0)"))
}

/// Whether the loop variable declared at `declared` is in scope at
/// `offset`: both lie in one looped resource or comprehension.
fn loop_scope_holds(snapshot: &Snapshot, file: FileId, declared: u32, offset: u32) -> bool {
    // The loop's body follows its variable: the smallest item or bracketed
    // expression that holds the declaration holds its scope.
    let Some(ast) = snapshot.ast(file) else { return false };
    fn holds(items: &[ast::Item], declared: u32, offset: u32) -> bool {
        items.iter().any(|item| {
            let inside = item.span.start <= declared && declared < item.span.end;
            inside
                && match &item.kind {
                    ItemKind::Resource(r) => {
                        r.for_each.is_some() && item.span.start <= offset && offset <= item.span.end
                    }
                    ItemKind::Stack(ast::Stack { body: ast::StackBody::Items(items), .. }) => {
                        holds(items, declared, offset)
                    }
                    ItemKind::Construct(c) => holds(&c.items, declared, offset),
                    _ => {
                        // A comprehension: `[for x in xs: body]` around both.
                        item.span.start <= offset && offset <= item.span.end
                    }
                }
        })
    }
    holds(&ast.items, declared, offset)
}

/// A place in a few words, for a decorator's documentation.
pub(super) fn place_words(place: Place) -> &'static str {
    match place {
        Place::StackParam => "stack parameters",
        Place::ConstructParam => "construct parameters",
        Place::Let => "lets",
        Place::Resource => "resources",
        Place::Instance => "construct instances",
        Place::Existing => "existing resources",
        Place::StackOutput => "stack outputs",
        Place::ConstructOutput => "construct outputs",
        Place::Stack => "stacks",
        Place::Construct => "constructs",
        Place::Import => "imports",
    }
}

/// What signature help shows about the call whose arguments hold the
/// cursor.
#[derive(Clone, Debug, PartialEq)]
pub struct Signature {
    /// Each way to call the function: `join(separator, list)`.
    pub labels: Vec<String>,
    /// Markdown.
    pub doc: Option<String>,
    /// The argument the cursor is in, from 0.
    pub argument: usize,
}

/// The built-in or user function whose argument list holds `offset`.
pub(super) fn signature(snapshot: &Snapshot, file: FileId, offset: usize) -> Option<Signature> {
    let text = &snapshot.sources.get(file).text;
    let lexed = lexer::lex(text, file);
    // Open brackets before the cursor: token index, and commas seen at that depth.
    let mut open: Vec<(usize, usize)> = Vec::new();
    for (i, (token, range)) in lexed.tokens.iter().enumerate() {
        if range.start >= offset {
            break;
        }
        match token {
            Token::LParen | Token::LParenLine | Token::LBrace | Token::LBracket | Token::LBracketLine => {
                open.push((i, 0))
            }
            Token::InterpStart | Token::StrStart => open.push((i, 0)),
            Token::RParen | Token::RBrace | Token::RBracket | Token::InterpEnd | Token::StrEnd => {
                open.pop();
            }
            Token::Comma => {
                if let Some(last) = open.last_mut() {
                    last.1 += 1;
                }
            }
            _ => {}
        }
    }
    // The innermost call around the cursor: a list or object inside an
    // argument is still in that argument.
    let &(paren, argument) =
        open.iter().rev().find(|(i, _)| matches!(lexed.tokens[*i].0, Token::LParen | Token::LParenLine))?;
    if paren == 0 {
        return None;
    }
    // `ns.f(` is not a built-in.
    if paren >= 2 && lexed.tokens[paren - 2].0 == Token::Dot {
        return None;
    }
    let (Token::Ident(name), range) = &lexed.tokens[paren - 1] else { return None };
    if let Some(builtin) = builtins::named(name) {
        let labels = builtin.doc.signatures.iter().map(|s| s.to_string()).collect();
        return Some(Signature { labels, doc: Some(builtin.doc.summary.to_string()), argument });
    }
    let def = user_function(snapshot, file, name, range.start as u32)?;
    let params = snapshot.let_of(def)?.params.as_deref()?;
    let label = format!("{name}{}", super::function_params_text(params));
    Some(Signature { labels: vec![label], doc: def.doc.clone(), argument })
}

/// The user function called `name` at `at`: the one the index resolved
/// there, else (in a call being typed, which may not parse) one of that
/// name the file declares or imports.
fn user_function<'s>(snapshot: &'s Snapshot, file: FileId, name: &str, at: u32) -> Option<&'s super::Def> {
    let index = &snapshot.index;
    let is_function = |def: &&super::Def| def.kind == DefKind::Function && def.name == name;
    if let Some(def) = index.def_at(file, at).map(|def| &index.defs[def]) {
        return is_function(&def).then_some(def);
    }
    index
        .defs_in(file)
        .map(|(_, def)| def)
        .find(is_function)
        .or_else(|| index.refs.iter().filter(|r| r.span.file == file).map(|r| &index.defs[r.def]).find(is_function))
}
