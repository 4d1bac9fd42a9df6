//! The parser: chumsky combinators from tokens to the [`ast`](super::ast).
//!
//! Recovery is layered, most specific first: a broken bracketed expression
//! becomes an `Error` expression with its delimiters balanced; a broken
//! declaration is skipped up to the next token that can start one. So one
//! run reports every syntax error it can and the checker still sees every
//! declaration that parsed.

use chumsky::input::ValueInput;
use chumsky::prelude::*;

use super::ast::*;
use super::token::Token;
use crate::source::{FileId, Span, Spanned};

pub(crate) type ParseError<'tokens, 'src> = Rich<'tokens, Token<'src>, SimpleSpan>;
type Extra<'tokens, 'src> = extra::Err<ParseError<'tokens, 'src>>;

/// Parses a whole file's tokens into its declarations.
pub(crate) fn items<'tokens, 'src: 'tokens, I>(
    file: FileId,
) -> impl Parser<'tokens, I, Vec<Item>, Extra<'tokens, 'src>> + Clone
where
    I: ValueInput<'tokens, Token = Token<'src>, Span = SimpleSpan>,
{
    let span = move |s: SimpleSpan| Span::new(file, s.start..s.end);
    let ident = select! { Token::Ident(name) => name.to_string() }
        .map_with(move |name, e| Spanned::new(name, span(e.span())))
        .labelled("identifier");
    let expr = expression(file);

    let args = expr.clone().separated_by(just(Token::Comma)).allow_trailing().collect::<Vec<_>>();
    let decorator = just(Token::At)
        .ignore_then(ident.clone())
        .then(args.delimited_by(just(Token::LParen), just(Token::RParen)).or_not())
        .map_with(move |(name, args), e| Decorator { name, args: args.unwrap_or_default(), span: span(e.span()) })
        .labelled("decorator");

    // `string`, `AWS::EC2::VPC::Id`, or a construct such as `ec2.Vpc`.
    let type_name = select! { Token::Ident(name) => name.to_string() }
        .separated_by(just(Token::Dot))
        .at_least(1)
        .collect::<Vec<_>>()
        .map(|segments| segments.join("."))
        .or(select! { Token::CfnType(name) => name.to_string() });
    let type_expr = recursive(|type_expr| {
        type_name
            .then(type_expr.delimited_by(just(Token::Lt), just(Token::Gt)).or_not())
            .map_with(move |(name, arg): (String, Option<Spanned<TypeExpr>>), e| {
                Spanned::new(TypeExpr { name, arg: arg.map(Box::new) }, span(e.span()))
            })
            .labelled("type")
    });

    let resource_type = select! { Token::CfnType(name) => ResourceType::Cfn(name.to_string()) }
        .or(select! { Token::Ident(name) => name.to_string() }
            .separated_by(just(Token::Dot))
            .at_least(1)
            .collect::<Vec<_>>()
            .map(ResourceType::Path))
        .map_with(move |ty, e| Spanned::new(ty, span(e.span())))
        .labelled("resource type");

    let path = select! { Token::Ident(name) => name.to_string() }
        .separated_by(just(Token::Dot))
        .at_least(1)
        .collect::<Vec<_>>()
        .map_with(move |path, e| Spanned::new(path, span(e.span())))
        .labelled("construct name");
    let plain_string = just(Token::StrStart)
        .ignore_then(select! { Token::StrText(text) => text })
        .then_ignore(just(Token::StrEnd))
        .map_with(move |text, e| Spanned::new(text, span(e.span())))
        .labelled("path string");
    let for_clause = just(Token::For)
        .ignore_then(ident.clone())
        .then(just(Token::Comma).ignore_then(ident.clone()).or_not())
        .then_ignore(just(Token::In))
        .then(expr.clone())
        .map(|((first, second), iterable)| match second {
            Some(item) => ForClause { key: Some(first), item, iterable },
            None => ForClause { key: None, item: first, iterable },
        });

    let param = just(Token::Param)
        .ignore_then(ident.clone())
        .then_ignore(just(Token::Colon))
        .then(type_expr)
        .then(just(Token::Eq).ignore_then(expr.clone()).or_not())
        .map(|((name, ty), default)| ItemKind::Param(Param { name, ty, default }))
        .labelled("parameter")
        .as_context();
    let let_ = just(Token::Let)
        .ignore_then(ident.clone())
        .then_ignore(just(Token::Eq))
        .then(expr.clone())
        .map(|(name, value)| ItemKind::Let(Let { name, value }))
        .labelled("let")
        .as_context();
    let resource = just(Token::Resource)
        .ignore_then(ident.clone())
        .then_ignore(just(Token::Colon))
        .then(resource_type)
        .then(for_clause.or_not())
        .then(expr.clone())
        .map(|(((name, ty), for_each), body)| ItemKind::Resource(Resource { name, ty, for_each, body }))
        .labelled("resource")
        .as_context();
    let output = just(Token::Output)
        .ignore_then(ident.clone())
        .then_ignore(just(Token::Eq))
        .then(expr.clone())
        .map(|(name, value)| ItemKind::Output(Output { name, value }))
        .labelled("output")
        .as_context();
    let as_word = select! { Token::Ident("as") => () };
    let from_word = select! { Token::Ident("from") => () };
    let import = just(Token::Import)
        .ignore_then(choice((
            plain_string.clone().then(as_word.ignore_then(ident.clone()).or_not()).map(|(path, alias)| Import {
                path,
                alias,
                names: Vec::new(),
            }),
            ident
                .clone()
                .separated_by(just(Token::Comma))
                .allow_trailing()
                .at_least(1)
                .collect::<Vec<_>>()
                .delimited_by(just(Token::LBrace), just(Token::RBrace))
                .then_ignore(from_word)
                .then(plain_string)
                .map(|(names, path)| Import { path, alias: None, names }),
        )))
        .map(ItemKind::Import)
        .labelled("import")
        .as_context();

    let item_start = choice((
        just(Token::Param),
        just(Token::Let),
        just(Token::Resource),
        just(Token::Output),
        just(Token::At),
        just(Token::Construct),
        just(Token::Stack),
        just(Token::Import),
    ));
    // A broken declaration is skipped up to the next one; inside a block,
    // also up to the block's end.
    let broken = move |stop_at_brace: bool| {
        any()
            .and_is(just(Token::RBrace).not().or(empty().filter(move |_| !stop_at_brace).rewind()))
            .then(
                any()
                    .and_is(item_start.clone().not())
                    .and_is(just(Token::RBrace).not().or(empty().filter(move |_| !stop_at_brace).rewind()))
                    .repeated(),
            )
            .map_with(move |_, e| Item {
                doc: None,
                decorators: Vec::new(),
                kind: ItemKind::Error,
                span: span(e.span()),
            })
    };
    let item = recursive(|item: Recursive<dyn Parser<'tokens, I, Item, Extra<'tokens, 'src>>>| {
        let nested = item.clone().recover_with(via_parser(broken(true)));
        let block = nested.repeated().collect::<Vec<Item>>().delimited_by(just(Token::LBrace), just(Token::RBrace));
        let construct = just(Token::Construct)
            .ignore_then(ident.clone())
            .then(block.clone())
            .map(|(name, items)| ItemKind::Construct(Construct { name, items }))
            .labelled("construct")
            .as_context();
        let stack = just(Token::Stack)
            .ignore_then(ident.clone())
            .then(choice((
                just(Token::Colon)
                    .ignore_then(path)
                    .then(expr.clone())
                    .map(|(construct, properties)| StackBody::Instance { construct, properties }),
                block.map(StackBody::Items),
            )))
            .map(|(name, body)| ItemKind::Stack(Stack { name, doc: None, body }))
            .labelled("stack")
            .as_context();
        decorator
            .clone()
            .repeated()
            .collect::<Vec<_>>()
            .then(choice((param, let_, resource, output, construct, stack, import)))
            .map_with(move |(decorators, kind), e| Item { doc: None, decorators, kind, span: span(e.span()) })
    });

    let item = item.recover_with(via_parser(broken(false)));
    item.repeated().collect::<Vec<_>>().then_ignore(end())
}

enum Postfix {
    Member(Ident),
    Index(Expr),
    Call(Vec<Expr>),
}

fn expression<'tokens, 'src: 'tokens, I>(file: FileId) -> impl Parser<'tokens, I, Expr, Extra<'tokens, 'src>> + Clone
where
    I: ValueInput<'tokens, Token = Token<'src>, Span = SimpleSpan>,
{
    let span = move |s: SimpleSpan| Span::new(file, s.start..s.end);
    recursive(move |expr| {
        let word = any()
            .filter(|t: &Token| t.word().is_some())
            .map_with(move |t: Token, e| Spanned::new(t.word().unwrap_or_default().to_string(), span(e.span())))
            .labelled("name");
        let text = select! { Token::StrText(text) => text };

        let interpolation = just(Token::InterpStart)
            .ignore_then(
                expr.clone().recover_with(via_parser(
                    any()
                        .and_is(just(Token::InterpEnd).not())
                        .repeated()
                        .map_with(move |_, e| Spanned::new(ExprKind::Error, span(e.span()))),
                )),
            )
            .then_ignore(just(Token::InterpEnd));
        let string = just(Token::StrStart)
            .ignore_then(text.clone())
            .then(interpolation.then(text.clone()).repeated().collect::<Vec<_>>())
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
            .labelled("string");
        let plain_string = just(Token::StrStart)
            .ignore_then(text)
            .then_ignore(just(Token::StrEnd))
            .map_with(move |text, e| Spanned::new(text, span(e.span())));

        let separator = just(Token::Comma).or_not();
        let loop_variable = select! { Token::Ident(name) => name.to_string() }
            .map_with(move |name, e| Spanned::new(name, span(e.span())))
            .labelled("identifier");
        let comprehension = just(Token::For)
            .ignore_then(loop_variable.clone())
            .then(just(Token::Comma).ignore_then(loop_variable).or_not())
            .then_ignore(just(Token::In))
            .then(expr.clone())
            .then_ignore(just(Token::Colon))
            .then(expr.clone())
            .delimited_by(just(Token::LBracket).or(just(Token::LBracketLine)), just(Token::RBracket))
            .map(|(((first, second), iterable), body)| {
                let clause = match second {
                    Some(item) => ForClause { key: Some(first), item, iterable },
                    None => ForClause { key: None, item: first, iterable },
                };
                ExprKind::Comprehension(Box::new(Comprehension { clause, body }))
            })
            .labelled("list comprehension");
        let list = expr
            .clone()
            .then_ignore(separator.clone())
            .repeated()
            .collect::<Vec<_>>()
            .delimited_by(just(Token::LBracket).or(just(Token::LBracketLine)), just(Token::RBracket))
            .map(ExprKind::List)
            .labelled("list");
        let property = word
            .or(plain_string)
            .labelled("key")
            .then_ignore(just(Token::Colon))
            .then(expr.clone())
            .map(|(key, value)| Property { key, value });
        let object = property
            .then_ignore(separator)
            .repeated()
            .collect::<Vec<_>>()
            .delimited_by(just(Token::LBrace), just(Token::RBrace))
            .map(ExprKind::Object)
            .labelled("object");
        let parenthesized = expr
            .clone()
            .delimited_by(just(Token::LParen).or(just(Token::LParenLine)), just(Token::RParen))
            .map(|inner: Expr| inner.node);

        let atom = choice((
            select! {
                Token::Number(n) => ExprKind::Number(n.to_string()),
                Token::True => ExprKind::Bool(true),
                Token::False => ExprKind::Bool(false),
                Token::Null => ExprKind::Null,
                Token::Ident(name) => ExprKind::Name(name.to_string()),
            },
            string,
            comprehension,
            list,
            object,
            parenthesized,
        ))
        .map_with(move |kind, e| Spanned::new(kind, span(e.span())))
        .labelled("expression")
        .recover_with(via_parser(nested_delimiters(
            Token::LBrace,
            Token::RBrace,
            [(Token::LBracket, Token::RBracket), (Token::LParen, Token::RParen)],
            move |s| Spanned::new(ExprKind::Error, span(s)),
        )))
        .recover_with(via_parser(nested_delimiters(
            Token::LBracket,
            Token::RBracket,
            [(Token::LBrace, Token::RBrace), (Token::LParen, Token::RParen)],
            move |s| Spanned::new(ExprKind::Error, span(s)),
        )))
        .boxed();

        let args = expr.clone().separated_by(just(Token::Comma)).allow_trailing().collect::<Vec<_>>();
        let postfix = choice((
            just(Token::Dot).ignore_then(word).map(Postfix::Member),
            expr.clone().delimited_by(just(Token::LBracket), just(Token::RBracket)).map(Postfix::Index),
            args.delimited_by(just(Token::LParen), just(Token::RParen)).map(Postfix::Call),
        ))
        .map_with(move |op, e| (op, span(e.span())));
        let call = atom.foldl(postfix.repeated(), |lhs: Expr, (op, op_span): (Postfix, Span)| {
            let whole = lhs.span.to(op_span);
            let kind = match op {
                Postfix::Member(name) => ExprKind::Member(Box::new(lhs), name),
                Postfix::Index(index) => ExprKind::Index(Box::new(lhs), Box::new(index)),
                Postfix::Call(args) => ExprKind::Call(Box::new(lhs), args),
            };
            Spanned::new(kind, whole)
        });

        let not = just(Token::Bang)
            .map_with(move |_, e| span(e.span()))
            .repeated()
            .foldr(call, |bang: Span, operand: Expr| {
                let whole = bang.to(operand.span);
                Spanned::new(ExprKind::Not(Box::new(operand)), whole)
            })
            .boxed();

        let binary = |operand: chumsky::Boxed<'tokens, 'tokens, I, Expr, Extra<'tokens, 'src>>,
                      token: Token<'static>,
                      op: BinaryOp| {
            operand.clone().foldl(
                just(token).to(op).then(operand).repeated(),
                |lhs: Expr, (op, rhs): (BinaryOp, Expr)| {
                    let whole = lhs.span.to(rhs.span);
                    Spanned::new(ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)), whole)
                },
            )
        };
        let equality = not
            .clone()
            .foldl(
                choice((just(Token::EqEq).to(BinaryOp::Eq), just(Token::NotEq).to(BinaryOp::NotEq)))
                    .then(not)
                    .repeated(),
                |lhs: Expr, (op, rhs): (BinaryOp, Expr)| {
                    let whole = lhs.span.to(rhs.span);
                    Spanned::new(ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)), whole)
                },
            )
            .boxed();
        let and = binary(equality, Token::AndAnd, BinaryOp::And).boxed();
        let or = binary(and, Token::OrOr, BinaryOp::Or).boxed();

        or.then(just(Token::Question).ignore_then(expr.clone()).then_ignore(just(Token::Colon)).then(expr).or_not())
            .map(|(condition, branches): (Expr, Option<(Expr, Expr)>)| match branches {
                None => condition,
                Some((then, otherwise)) => {
                    let whole = condition.span.to(otherwise.span);
                    Spanned::new(ExprKind::Conditional(Box::new(condition), Box::new(then), Box::new(otherwise)), whole)
                }
            })
    })
}
