//! The parser: chumsky combinators from tokens to the [`ast`](super::ast).
//!
//! One function per grammar rule, each returning a [`Boxed`] parser over one
//! concrete input type ([`TokenInput`]). Boxing erases the combinator types at
//! every rule: without it the whole grammar is one nested type that rustc
//! spends minutes proving trait bounds on, for no measurable gain in parse
//! speed.
//!
//! Naming: a rule function is named after what it parses (`param`,
//! `resource`, `string`); recursive rules take the parser of the thing they
//! nest (`expr`, `item`) as an argument.
//!
//! Recovery is layered, most specific first: a broken bracketed expression
//! becomes an `Error` expression with its delimiters balanced; a broken
//! declaration is skipped up to the next token that can start one. So one
//! run reports every syntax error it can and the checker still sees every
//! declaration that parsed.

use chumsky::input::MappedInput;
use chumsky::prelude::*;
use chumsky::recursive::Direct;

use super::ast::*;
use super::token::Token;
use crate::source::{FileId, Span, Spanned};

/// The tokens of one file with their byte spans, as the parser reads them.
pub(crate) type TokenInput<'tokens, 'src> =
    MappedInput<'tokens, Token<'src>, SimpleSpan, &'tokens [(Token<'src>, SimpleSpan)]>;
pub(crate) type ParseError<'tokens, 'src> = Rich<'tokens, Token<'src>, SimpleSpan>;
type Extra<'tokens, 'src> = extra::Err<ParseError<'tokens, 'src>>;
/// A type-erased parser of one grammar rule.
type Rule<'tokens, 'src, O> = Boxed<'tokens, 'tokens, TokenInput<'tokens, 'src>, O, Extra<'tokens, 'src>>;
/// The expression parser, as the rules inside it refer to it: already
/// type-erased by `recursive`, so it is passed as it is rather than boxed
/// again (a second indirection on every nested expression).
type ExprRef<'tokens, 'src> =
    Recursive<Direct<'tokens, 'tokens, TokenInput<'tokens, 'src>, Expr, Extra<'tokens, 'src>>>;

/// Parses a whole file's tokens into its declarations.
pub(crate) fn items<'tokens, 'src: 'tokens>(file: FileId) -> Rule<'tokens, 'src, Vec<Item>> {
    let expr = expression(file);
    let item = recursive(|item| declaration(file, expr.clone(), item.boxed())).boxed();
    item.recover_with(via_parser(broken(file, false))).repeated().collect::<Vec<_>>().then_ignore(end()).boxed()
}

fn to_span(file: FileId, s: SimpleSpan) -> Span {
    Span::new(file, s.start..s.end)
}

/// Leaf rules such as this one are not boxed: they are small, and tried
/// at every token where a name may stand.
fn ident<'tokens, 'src: 'tokens>(
    file: FileId,
) -> impl Parser<'tokens, TokenInput<'tokens, 'src>, Ident, Extra<'tokens, 'src>> + Clone {
    select! { Token::Ident(name) => name.to_string() }
        .map_with(move |name, e| Spanned::new(name, to_span(file, e.span())))
        .labelled("identifier")
}

/// `a.b.c`, as its segments.
fn dotted<'tokens, 'src: 'tokens>() -> Rule<'tokens, 'src, Vec<String>> {
    select! { Token::Ident(name) => name.to_string() }
        .separated_by(just(Token::Dot))
        .at_least(1)
        .collect::<Vec<_>>()
        .boxed()
}

/// A string without interpolation: an import's path, an object's key.
fn plain_string<'tokens, 'src: 'tokens>(file: FileId) -> Rule<'tokens, 'src, Spanned<String>> {
    just(Token::StrStart)
        .ignore_then(select! { Token::StrText(text) => text })
        .then_ignore(just(Token::StrEnd))
        .map_with(move |text, e| Spanned::new(text, to_span(file, e.span())))
        .boxed()
}

/// `for item in list` or `for key, item in object`.
fn for_clause<'tokens, 'src: 'tokens>(
    file: FileId,
    expr: impl Parser<'tokens, TokenInput<'tokens, 'src>, Expr, Extra<'tokens, 'src>> + Clone + 'tokens,
) -> Rule<'tokens, 'src, ForClause> {
    just(Token::For)
        .ignore_then(ident(file))
        .then(just(Token::Comma).ignore_then(ident(file)).or_not())
        .then_ignore(just(Token::In))
        .then(expr)
        .map(|((first, second), iterable)| match second {
            Some(item) => ForClause { key: Some(first), item, iterable },
            None => ForClause { key: None, item: first, iterable },
        })
        .boxed()
}

fn decorator<'tokens, 'src: 'tokens>(file: FileId, expr: Rule<'tokens, 'src, Expr>) -> Rule<'tokens, 'src, Decorator> {
    let args = expr.separated_by(just(Token::Comma)).allow_trailing().collect::<Vec<_>>();
    just(Token::At)
        .ignore_then(ident(file))
        .then(args.delimited_by(just(Token::LParen), just(Token::RParen)).or_not())
        .map_with(move |(name, args), e| Decorator {
            name,
            args: args.unwrap_or_default(),
            span: to_span(file, e.span()),
        })
        .labelled("decorator")
        .boxed()
}

/// `string`, `list<string>`, `AWS::EC2::VPC::Id`, a construct such as
/// `ec2.Vpc`, or a record `{ port: number, description?: string }`.
fn type_expr<'tokens, 'src: 'tokens>(file: FileId) -> Rule<'tokens, 'src, Spanned<TypeExpr>> {
    let type_name =
        dotted().map(|segments| segments.join(".")).or(select! { Token::CfnType(name) => name.to_string() }).boxed();
    recursive(move |type_expr| {
        let type_expr = type_expr.boxed();
        let named = type_name.then(type_expr.clone().delimited_by(just(Token::Lt), just(Token::Gt)).or_not()).map(
            |(name, arg): (String, Option<Spanned<TypeExpr>>)| TypeExpr { name, arg: arg.map(Box::new), fields: None },
        );
        let field = word(file)
            .then(just(Token::Question).or_not().map(|mark| mark.is_some()))
            .then_ignore(just(Token::Colon))
            .then(type_expr)
            .map(|((name, optional), ty)| FieldType { name, optional, ty });
        let record = field
            .then_ignore(just(Token::Comma).or_not())
            .repeated()
            .collect::<Vec<_>>()
            .delimited_by(just(Token::LBrace), just(Token::RBrace))
            .map(|fields| TypeExpr { name: String::new(), arg: None, fields: Some(fields) });
        choice((record, named)).map_with(move |ty, e| Spanned::new(ty, to_span(file, e.span()))).labelled("type")
    })
    .boxed()
}

fn resource_type<'tokens, 'src: 'tokens>(file: FileId) -> Rule<'tokens, 'src, Spanned<ResourceType>> {
    select! { Token::CfnType(name) => ResourceType::Cfn(name.to_string()) }
        .or(dotted().map(ResourceType::Path))
        .map_with(move |ty, e| Spanned::new(ty, to_span(file, e.span())))
        .labelled("resource type")
        .boxed()
}

/// One declaration with its decorators; `item` parses a nested one, inside
/// a construct or a stack.
fn declaration<'tokens, 'src: 'tokens>(
    file: FileId,
    expr: Rule<'tokens, 'src, Expr>,
    item: Rule<'tokens, 'src, Item>,
) -> Rule<'tokens, 'src, Item> {
    let nested = item.recover_with(via_parser(broken(file, true)));
    let block = nested.repeated().collect::<Vec<Item>>().delimited_by(just(Token::LBrace), just(Token::RBrace)).boxed();
    let kind = choice((
        param(file, expr.clone()),
        let_(file, expr.clone()),
        resource(file, expr.clone()),
        existing(file, expr.clone()),
        output(file, expr.clone()),
        construct(file, block.clone()),
        stack(file, expr.clone(), block),
        import(file),
    ));
    decorator(file, expr)
        .repeated()
        .collect::<Vec<_>>()
        .then(kind)
        .map_with(move |(decorators, kind), e| Item { doc: None, decorators, kind, span: to_span(file, e.span()) })
        .boxed()
}

fn param<'tokens, 'src: 'tokens>(file: FileId, expr: Rule<'tokens, 'src, Expr>) -> Rule<'tokens, 'src, ItemKind> {
    just(Token::Param)
        .ignore_then(just(Token::Ellipsis).or_not().map(|group| group.is_some()))
        .then(ident(file))
        .then_ignore(just(Token::Colon))
        .then(type_expr(file))
        .then(just(Token::Eq).ignore_then(expr).or_not())
        .map(|(((group, name), ty), default)| ItemKind::Param(Param { name, ty, default, group }))
        .labelled("parameter")
        .as_context()
        .boxed()
}

fn let_<'tokens, 'src: 'tokens>(file: FileId, expr: Rule<'tokens, 'src, Expr>) -> Rule<'tokens, 'src, ItemKind> {
    let params = ident(file)
        .separated_by(just(Token::Comma))
        .allow_trailing()
        .collect::<Vec<_>>()
        .delimited_by(just(Token::LParen), just(Token::RParen));
    just(Token::Let)
        .ignore_then(ident(file))
        .then(params.or_not())
        .then_ignore(just(Token::Eq))
        .then(expr)
        .map(|((name, params), value)| ItemKind::Let(Let { name, params, value }))
        .labelled("let")
        .as_context()
        .boxed()
}

fn resource<'tokens, 'src: 'tokens>(file: FileId, expr: Rule<'tokens, 'src, Expr>) -> Rule<'tokens, 'src, ItemKind> {
    just(Token::Resource)
        .ignore_then(ident(file))
        .then_ignore(just(Token::Colon))
        .then(resource_type(file))
        .then(for_clause(file, expr.clone()).or_not())
        .then(expr)
        .map(|(((name, ty), for_each), body)| ItemKind::Resource(Resource { name, ty, for_each, body }))
        .labelled("resource")
        .as_context()
        .boxed()
}

/// `existing NAME: ns.Construct { attributes }`.
fn existing<'tokens, 'src: 'tokens>(file: FileId, expr: Rule<'tokens, 'src, Expr>) -> Rule<'tokens, 'src, ItemKind> {
    let construct_name =
        dotted().map_with(move |path, e| Spanned::new(path, to_span(file, e.span()))).labelled("construct name");
    just(Token::Existing)
        .ignore_then(ident(file))
        .then_ignore(just(Token::Colon))
        .then(construct_name)
        .then(expr)
        .map(|((name, construct), body)| ItemKind::Existing(Existing { name, construct, body }))
        .labelled("existing")
        .as_context()
        .boxed()
}

fn output<'tokens, 'src: 'tokens>(file: FileId, expr: Rule<'tokens, 'src, Expr>) -> Rule<'tokens, 'src, ItemKind> {
    just(Token::Output)
        .ignore_then(ident(file))
        .then_ignore(just(Token::Eq))
        .then(expr)
        .map(|(name, value)| ItemKind::Output(Output { name, value }))
        .labelled("output")
        .as_context()
        .boxed()
}

/// `import "./x.infra" [as x]` or `import { a, b } from "./x.infra"`.
fn import<'tokens, 'src: 'tokens>(file: FileId) -> Rule<'tokens, 'src, ItemKind> {
    let path = plain_string(file).labelled("path string");
    let as_word = select! { Token::Ident("as") => () };
    let from_word = select! { Token::Ident("from") => () };
    let whole = path.clone().then(as_word.ignore_then(ident(file)).or_not()).map(|(path, alias)| Import {
        path,
        alias,
        names: Vec::new(),
    });
    let names = ident(file)
        .separated_by(just(Token::Comma))
        .allow_trailing()
        .at_least(1)
        .collect::<Vec<_>>()
        .delimited_by(just(Token::LBrace), just(Token::RBrace))
        .then_ignore(from_word)
        .then(path)
        .map(|(names, path)| Import { path, alias: None, names });
    just(Token::Import)
        .ignore_then(choice((whole, names)))
        .map(ItemKind::Import)
        .labelled("import")
        .as_context()
        .boxed()
}

fn construct<'tokens, 'src: 'tokens>(
    file: FileId,
    block: Rule<'tokens, 'src, Vec<Item>>,
) -> Rule<'tokens, 'src, ItemKind> {
    just(Token::Construct)
        .ignore_then(ident(file))
        .then(block)
        .map(|(name, items)| ItemKind::Construct(Construct { name, items }))
        .labelled("construct")
        .as_context()
        .boxed()
}

/// `stack NAME { items }` or `stack NAME: Construct { properties }`.
fn stack<'tokens, 'src: 'tokens>(
    file: FileId,
    expr: Rule<'tokens, 'src, Expr>,
    block: Rule<'tokens, 'src, Vec<Item>>,
) -> Rule<'tokens, 'src, ItemKind> {
    let construct_name =
        dotted().map_with(move |path, e| Spanned::new(path, to_span(file, e.span()))).labelled("construct name");
    just(Token::Stack)
        .ignore_then(ident(file))
        .then(choice((
            just(Token::Colon)
                .ignore_then(construct_name)
                .then(expr)
                .map(|(construct, properties)| StackBody::Instance { construct, properties }),
            block.map(StackBody::Items),
        )))
        .map(|(name, body)| ItemKind::Stack(Stack { name, doc: None, body }))
        .labelled("stack")
        .as_context()
        .boxed()
}

/// A broken declaration, skipped up to the next one; inside a block
/// (`stop_at_brace`), also up to the block's end.
fn broken<'tokens, 'src: 'tokens>(file: FileId, stop_at_brace: bool) -> Rule<'tokens, 'src, Item> {
    let item_start = choice((
        just(Token::Param),
        just(Token::Let),
        just(Token::Resource),
        just(Token::Existing),
        just(Token::Output),
        just(Token::At),
        just(Token::Construct),
        just(Token::Stack),
        just(Token::Import),
    ));
    let not_block_end = move || just(Token::RBrace).not().or(empty().filter(move |_| !stop_at_brace).rewind());
    any()
        .and_is(not_block_end())
        .then(any().and_is(item_start.not()).and_is(not_block_end()).repeated())
        .map_with(move |_, e| Item {
            doc: None,
            decorators: Vec::new(),
            kind: ItemKind::Error,
            span: to_span(file, e.span()),
        })
        .boxed()
}

enum Postfix {
    Member(Ident),
    Index(Expr),
    Call(Vec<Expr>),
}

/// An expression, loosest binding first: `c ? a : b`, `??`, `||`, `&&`,
/// `==`/`!=`, `<`/`<=`/`>`/`>=`, `+`/`-`, `*`/`/`/`%`, `!`, then calls,
/// members and indexes on an atom.
fn expression<'tokens, 'src: 'tokens>(file: FileId) -> Rule<'tokens, 'src, Expr> {
    recursive(move |expr: ExprRef<'tokens, 'src>| {
        let operand = unary(file, postfix(file, expr.clone(), atom(file, expr.clone())));
        let product = binary(
            operand,
            choice((
                just(Token::Star).to(BinaryOp::Mul),
                just(Token::Slash).to(BinaryOp::Div),
                just(Token::Percent).to(BinaryOp::Rem),
            )),
        );
        let sum = binary(product, choice((just(Token::Plus).to(BinaryOp::Add), just(Token::Minus).to(BinaryOp::Sub))));
        let comparison = binary(
            sum,
            choice((
                just(Token::Lt).to(BinaryOp::Lt),
                just(Token::LtEq).to(BinaryOp::Le),
                just(Token::Gt).to(BinaryOp::Gt),
                just(Token::GtEq).to(BinaryOp::Ge),
            )),
        );
        let equality =
            binary(comparison, choice((just(Token::EqEq).to(BinaryOp::Eq), just(Token::NotEq).to(BinaryOp::NotEq))));
        let and = binary(equality, just(Token::AndAnd).to(BinaryOp::And));
        let or = binary(and, just(Token::OrOr).to(BinaryOp::Or));
        let coalesce = binary(or, just(Token::QuestionQuestion).to(BinaryOp::Coalesce));
        conditional(coalesce, expr)
    })
    .boxed()
}

/// `condition ? then : otherwise`, or just the condition.
fn conditional<'tokens, 'src: 'tokens>(
    condition: Rule<'tokens, 'src, Expr>,
    expr: ExprRef<'tokens, 'src>,
) -> Rule<'tokens, 'src, Expr> {
    condition
        .then(just(Token::Question).ignore_then(expr.clone()).then_ignore(just(Token::Colon)).then(expr).or_not())
        .map(|(condition, branches): (Expr, Option<(Expr, Expr)>)| match branches {
            None => condition,
            Some((then, otherwise)) => {
                let whole = condition.span.to(otherwise.span);
                Spanned::new(ExprKind::Conditional(Box::new(condition), Box::new(then), Box::new(otherwise)), whole)
            }
        })
        .boxed()
}

/// Left-associative `operand (op operand)*`.
fn binary<'tokens, 'src: 'tokens>(
    operand: Rule<'tokens, 'src, Expr>,
    op: impl Parser<'tokens, TokenInput<'tokens, 'src>, BinaryOp, Extra<'tokens, 'src>> + Clone + 'tokens,
) -> Rule<'tokens, 'src, Expr> {
    operand
        .clone()
        .foldl(op.then(operand).repeated(), |lhs: Expr, (op, rhs): (BinaryOp, Expr)| {
            let whole = lhs.span.to(rhs.span);
            Spanned::new(ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)), whole)
        })
        .boxed()
}

/// `!!operand`.
fn unary<'tokens, 'src: 'tokens>(file: FileId, operand: Rule<'tokens, 'src, Expr>) -> Rule<'tokens, 'src, Expr> {
    just(Token::Bang)
        .map_with(move |_, e| to_span(file, e.span()))
        .repeated()
        .foldr(operand, |bang: Span, operand: Expr| {
            let whole = bang.to(operand.span);
            Spanned::new(ExprKind::Not(Box::new(operand)), whole)
        })
        .boxed()
}

/// `atom.member`, `atom[index]`, `atom(args)`, repeated.
fn postfix<'tokens, 'src: 'tokens>(
    file: FileId,
    expr: ExprRef<'tokens, 'src>,
    atom: Rule<'tokens, 'src, Expr>,
) -> Rule<'tokens, 'src, Expr> {
    let args = expr.clone().separated_by(just(Token::Comma)).allow_trailing().collect::<Vec<_>>();
    let op = choice((
        just(Token::Dot).ignore_then(word(file)).map(Postfix::Member),
        expr.delimited_by(just(Token::LBracket), just(Token::RBracket)).map(Postfix::Index),
        args.delimited_by(just(Token::LParen), just(Token::RParen)).map(Postfix::Call),
    ))
    .map_with(move |op, e| (op, to_span(file, e.span())));
    atom.foldl(op.repeated(), |lhs: Expr, (op, op_span): (Postfix, Span)| {
        let whole = lhs.span.to(op_span);
        let kind = match op {
            Postfix::Member(name) => ExprKind::Member(Box::new(lhs), name),
            Postfix::Index(index) => ExprKind::Index(Box::new(lhs), Box::new(index)),
            Postfix::Call(args) => ExprKind::Call(Box::new(lhs), args),
        };
        Spanned::new(kind, whole)
    })
    .boxed()
}

/// An identifier or a keyword, where any word will do: a member name, an
/// object key.
fn word<'tokens, 'src: 'tokens>(
    file: FileId,
) -> impl Parser<'tokens, TokenInput<'tokens, 'src>, Ident, Extra<'tokens, 'src>> + Clone {
    any()
        .filter(|t: &Token| t.word().is_some())
        .map_with(move |t: Token, e| Spanned::new(t.word().unwrap_or_default().to_string(), to_span(file, e.span())))
        .labelled("name")
}

fn atom<'tokens, 'src: 'tokens>(file: FileId, expr: ExprRef<'tokens, 'src>) -> Rule<'tokens, 'src, Expr> {
    let parenthesized = expr
        .clone()
        .delimited_by(just(Token::LParen).or(just(Token::LParenLine)), just(Token::RParen))
        .map(|inner: Expr| inner.node);
    choice((
        select! {
            Token::Number(n) => ExprKind::Number(n.to_string()),
            Token::True => ExprKind::Bool(true),
            Token::False => ExprKind::Bool(false),
            Token::Null => ExprKind::Null,
            Token::Ident(name) => ExprKind::Name(name.to_string()),
        },
        string(file, expr.clone()),
        comprehension(file, expr.clone()),
        list(expr.clone()),
        object(file, expr),
        parenthesized,
    ))
    .map_with(move |kind, e| Spanned::new(kind, to_span(file, e.span())))
    .labelled("expression")
    .recover_with(via_parser(nested_delimiters(
        Token::LBrace,
        Token::RBrace,
        [(Token::LBracket, Token::RBracket), (Token::LParen, Token::RParen)],
        move |s| Spanned::new(ExprKind::Error, to_span(file, s)),
    )))
    .recover_with(via_parser(nested_delimiters(
        Token::LBracket,
        Token::RBracket,
        [(Token::LBrace, Token::RBrace), (Token::LParen, Token::RParen)],
        move |s| Spanned::new(ExprKind::Error, to_span(file, s)),
    )))
    .boxed()
}

/// `"text ${expr} text"`: the lexer has already split it into parts.
fn string<'tokens, 'src: 'tokens>(file: FileId, expr: ExprRef<'tokens, 'src>) -> Rule<'tokens, 'src, ExprKind> {
    let text = select! { Token::StrText(text) => text };
    let interpolation = just(Token::InterpStart)
        .ignore_then(
            expr.recover_with(via_parser(
                any()
                    .and_is(just(Token::InterpEnd).not())
                    .repeated()
                    .map_with(move |_, e| Spanned::new(ExprKind::Error, to_span(file, e.span()))),
            )),
        )
        .then_ignore(just(Token::InterpEnd));
    just(Token::StrStart)
        .ignore_then(text)
        .then(interpolation.then(text).repeated().collect::<Vec<_>>())
        .then_ignore(just(Token::StrEnd))
        .map(|(first, rest)| {
            let mut parts = Vec::new();
            if !first.is_empty() {
                parts.push(StrPart::Text(first));
            }
            for (interp, text) in rest {
                parts.push(StrPart::Interp(interp));
                if !text.is_empty() {
                    parts.push(StrPart::Text(text));
                }
            }
            ExprKind::Str(parts)
        })
        .labelled("string")
        .boxed()
}

/// `[for x in list: body]`.
fn comprehension<'tokens, 'src: 'tokens>(file: FileId, expr: ExprRef<'tokens, 'src>) -> Rule<'tokens, 'src, ExprKind> {
    for_clause(file, expr.clone())
        .then_ignore(just(Token::Colon))
        .then(expr)
        .delimited_by(just(Token::LBracket).or(just(Token::LBracketLine)), just(Token::RBracket))
        .map(|(clause, body)| ExprKind::Comprehension(Box::new(Comprehension { clause, body })))
        .labelled("list comprehension")
        .boxed()
}

fn list<'tokens, 'src: 'tokens>(expr: ExprRef<'tokens, 'src>) -> Rule<'tokens, 'src, ExprKind> {
    expr.then_ignore(just(Token::Comma).or_not())
        .repeated()
        .collect::<Vec<_>>()
        .delimited_by(just(Token::LBracket).or(just(Token::LBracketLine)), just(Token::RBracket))
        .map(ExprKind::List)
        .labelled("list")
        .boxed()
}

fn object<'tokens, 'src: 'tokens>(file: FileId, expr: ExprRef<'tokens, 'src>) -> Rule<'tokens, 'src, ExprKind> {
    let keyed = word(file)
        .or(plain_string(file))
        .labelled("key")
        .then_ignore(just(Token::Colon))
        .then(expr.clone())
        .map(|(key, value)| Property { key, value, spread: false });
    let spread = just(Token::Ellipsis).map_with(move |_, e| to_span(file, e.span())).then(expr).map(
        |(span, value): (Span, Expr)| Property { key: Spanned::new("...".to_string(), span), value, spread: true },
    );
    let property = choice((spread, keyed));
    property
        .then_ignore(just(Token::Comma).or_not())
        .repeated()
        .collect::<Vec<_>>()
        .delimited_by(just(Token::LBrace), just(Token::RBrace))
        .map(ExprKind::Object)
        .labelled("object")
        .boxed()
}
