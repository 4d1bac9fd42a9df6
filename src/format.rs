//! The formatter behind `infrac fmt`: one canonical layout for `.infra`
//! text. The rules, with an example, are in `docs/formatting.md`.
//!
//! The formatter reads the token stream and the comments, not the syntax
//! tree. All it needs are brackets, operators and the few keywords that start
//! a declaration, so it keeps working when the parser learns new forms. The
//! parser serves only to refuse a file with syntax errors.
//!
//! It works in two steps. `elements` turns the lexer's output into a flat
//! list of tokens and comments in source order, with each string literal
//! folded into one element. Then a `Printer` walks that list. Between two
//! elements it decides whether to put a newline (possibly after a blank
//! line) plus indentation, one space, or nothing. The elements themselves are
//! copied from the source.
//!
//! **Invariant:** formatting changes only the whitespace between tokens and
//! comments, plus the trailing whitespace of line comments. The output lexes
//! to the same tokens, and a string literal (interpolations and `"""` strings
//! included) or a block comment is copied byte for byte.
//!
//! **Invariant:** the formatter never removes a newline that separates two
//! tokens. It adds one only before a declaration, before a doc comment, or
//! before the closing bracket of a vertical block (one whose opening bracket
//! ends its line, or that got one of the other breaks). None of these comes
//! before a `[` or `(`, so a `[` or `(` that starts a line still starts one
//! after formatting, and one that does not still does not. That matters: at
//! the start of a line such a bracket begins a new list or group instead of
//! indexing or calling the expression before it.
//!
//! **Invariant:** formatting is idempotent: `format(format(x)) == format(x)`.

use std::ops::Range;

use crate::diagnostics::Diagnostic;
use crate::source::FileId;
use crate::syntax::ast::CommentKind;
use crate::syntax::lexer::{self, Lexed};
use crate::syntax::token::Token;

/// One level of indentation.
const INDENT: &str = "  ";

/// Formats one file's text. A file with syntax errors is left alone. The
/// `Err` holds every diagnostic that the lexer and parser reported, with
/// spans in file `0`.
pub fn format_source(src: &str) -> Result<String, Vec<Diagnostic>> {
    format_file(0, src)
}

/// Like [`format_source`], except that diagnostics point into `file`, so
/// they render against a [`SourceMap`](crate::source::SourceMap) that
/// holds the file under that id.
pub fn format_file(file: FileId, src: &str) -> Result<String, Vec<Diagnostic>> {
    crate::with_deep_stack(|| format_file_here(file, src))
}

fn format_file_here(file: FileId, src: &str) -> Result<String, Vec<Diagnostic>> {
    let (_, diagnostics) = crate::syntax::parse(src, file);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(diagnostics);
    }
    Ok(layout(src, &lexer::lex(src, file)))
}

/// Lays out lexed text. It never fails; on text with syntax errors it does
/// its best, which is why callers go through [`format_file`].
fn layout(src: &str, lexed: &Lexed<'_>) -> String {
    let elements = elements(lexed);
    let mut printer = Printer::new(src);
    for (index, element) in elements.iter().enumerate() {
        let previous = index.checked_sub(1).map(|i| &elements[i]);
        let next_token = elements[index + 1..].iter().find_map(Element::token);
        printer.element(previous, element, next_token);
    }
    printer.finish()
}

/// A token or a comment: what the printer places.
#[derive(Debug)]
struct Element<'src> {
    piece: Piece<'src>,
    range: Range<usize>,
}

#[derive(Debug)]
enum Piece<'src> {
    /// A token. A whole string literal, from its opening quote to its closing
    /// quote, counts as one `Token::StrStart`. Its interpolations belong to
    /// it and are copied with it.
    Token(Token<'src>),
    Comment(CommentKind),
}

impl<'src> Element<'src> {
    fn token(&self) -> Option<&Token<'src>> {
        match &self.piece {
            Piece::Token(token) => Some(token),
            Piece::Comment(_) => None,
        }
    }

    fn is_line_comment(&self) -> bool {
        matches!(self.piece, Piece::Comment(kind) if kind != CommentKind::Block)
    }

    fn is_doc_comment(&self) -> bool {
        matches!(self.piece, Piece::Comment(CommentKind::OuterDoc | CommentKind::InnerDoc))
    }
}

/// The tokens and comments of a file, in source order, with each string
/// literal folded into one element. A comment inside an interpolation is
/// part of its string.
fn elements<'src>(lexed: &Lexed<'src>) -> Vec<Element<'src>> {
    let tokens = &lexed.tokens;
    let mut elements = Vec::with_capacity(tokens.len() + lexed.comments.len());
    let mut strings: Vec<Range<usize>> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let (token, range) = &tokens[i];
        if *token != Token::StrStart {
            elements.push(Element { piece: Piece::Token(token.clone()), range: range.clone() });
            i += 1;
            continue;
        }
        // Strings nest through interpolations: find the matching end.
        let mut depth = 0usize;
        let mut end = i;
        for (j, (token, _)) in tokens.iter().enumerate().skip(i) {
            end = j;
            match token {
                Token::StrStart => depth += 1,
                Token::StrEnd => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                break;
            }
        }
        let whole = range.start..tokens[end].1.end.max(range.end);
        strings.push(whole.clone());
        elements.push(Element { piece: Piece::Token(Token::StrStart), range: whole });
        i = end + 1;
    }
    for comment in &lexed.comments {
        let range = comment.span.range();
        // `strings` is sorted and its ranges do not overlap.
        let before = strings.partition_point(|s| s.start <= range.start);
        if before > 0 && range.start < strings[before - 1].end {
            continue;
        }
        elements.push(Element { piece: Piece::Comment(comment.kind), range });
    }
    elements.sort_by_key(|element| element.range.start);
    elements
}

/// An open `{`, `[` or `(`.
struct Frame {
    /// The indentation of lines inside the bracket: one more than the line
    /// the bracket opened on. Brackets opened on the same line therefore
    /// share one level (`foo({` indents its body once).
    indent: usize,
    /// `?`s at this depth still waiting for their `:`.
    questions: usize,
    /// The block is laid out vertically: the bracket ended its line, or
    /// the printer moved something inside onto a new line. Its closing
    /// bracket gets its own line too.
    broken: bool,
}

/// Where the printer is relative to a decorator (`@name` or `@name(...)`).
#[derive(Clone, Copy, PartialEq, Debug)]
enum Decorator {
    Outside,
    /// Just after `@`.
    At,
    /// Just after `@name`.
    Name,
    /// Inside `@name(...)`; the number of frames outside its `(`.
    Args(usize),
    /// Just after `@name(...)`.
    Done,
}

struct Printer<'s> {
    src: &'s str,
    out: String,
    /// Open brackets; the first frame is the file itself and is never popped.
    frames: Vec<Frame>,
    /// Indentation level of the current output line.
    line_indent: usize,
    /// The current output line holds a token.
    line_has_token: bool,
    /// The current output line holds a token or a comment.
    line_has_content: bool,
    /// The last token on the current output line opens a bracket.
    line_ends_with_opener: bool,
    /// The last token printed.
    last_token: Option<Token<'s>>,
    /// The last token printed is a member name (`x.in`), so a `[` or `(`
    /// right after it indexes or calls.
    last_token_is_member: bool,
    /// Whether the last token was the `?` of an optional record field.
    last_was_optional_mark: bool,
    decorator: Decorator,
}

impl<'s> Printer<'s> {
    fn new(src: &'s str) -> Self {
        Printer {
            src,
            out: String::with_capacity(src.len() + src.len() / 8),
            frames: vec![Frame { indent: 0, questions: 0, broken: false }],
            line_indent: 0,
            line_has_token: false,
            line_has_content: false,
            line_ends_with_opener: false,
            last_token: None,
            last_token_is_member: false,
            last_was_optional_mark: false,
            decorator: Decorator::Outside,
        }
    }

    fn top(&mut self) -> &mut Frame {
        self.frames.last_mut().expect("the file's frame is never popped")
    }

    /// Places one element after `previous`. `next_token` is the first token
    /// after it, comments skipped.
    fn element(&mut self, previous: Option<&Element<'s>>, element: &Element<'s>, next_token: Option<&Token<'s>>) {
        let gap = &self.src[previous.map_or(0, |p| p.range.end)..element.range.start];
        let newlines = gap.matches('\n').count();
        let token = element.token();
        let starts_declaration = token.is_some_and(|t| self.starts_declaration(t, next_token));
        let closes = token.is_some_and(is_closer);
        // `description?: string` in a record type: the `?` belongs to the
        // field's name and starts no conditional.
        let optional_mark = token == Some(&Token::Question) && next_token == Some(&Token::Colon);
        let after_optional_mark = token == Some(&Token::Colon) && self.last_was_optional_mark;
        let ternary = token == Some(&Token::Colon) && !after_optional_mark && self.top().questions > 0;
        if ternary {
            self.top().questions -= 1;
        }

        // Added line breaks: a declaration and a doc comment start their own
        // line, and a vertical block closes on its own line.
        let forced = if starts_declaration {
            self.line_has_token
        } else if element.is_doc_comment() {
            self.line_has_content
        } else {
            closes && self.line_has_token && self.top().broken
        };
        if forced && !closes {
            self.top().broken = true;
        }

        if let Some(previous) = previous {
            if newlines > 0 || forced {
                self.start_line(element, newlines >= 2 && !closes, starts_declaration);
            } else if !optional_mark && !after_optional_mark && self.wants_space(previous, element, gap, ternary) {
                self.out.push(' ');
            }
        }

        let text = &self.src[element.range.clone()];
        if element.is_line_comment() {
            self.out.push_str(text.trim_end());
        } else {
            self.out.push_str(text);
        }
        self.line_has_content = true;
        if let Some(token) = token {
            self.after_token(token);
        }
        if optional_mark {
            self.top().questions -= 1;
        }
        self.last_was_optional_mark = optional_mark;
    }

    /// Ends the current line and indents the next one for `element`, after
    /// a blank line if `blank` and one is allowed there.
    fn start_line(&mut self, element: &Element<'s>, blank: bool, starts_declaration: bool) {
        if self.line_ends_with_opener {
            // No blank line right after an opening bracket, and the block is
            // vertical.
            self.top().broken = true;
        } else if blank {
            self.out.push('\n');
        }
        self.out.push('\n');
        let indent = self.indent(element, starts_declaration);
        for _ in 0..indent {
            self.out.push_str(INDENT);
        }
        self.line_indent = indent;
        self.line_has_token = false;
        self.line_has_content = false;
        self.line_ends_with_opener = false;
    }

    /// Whether `token` starts a declaration: a decorator, or a declaration
    /// keyword that is neither a member name (`x.stack`), nor an object key
    /// (`{ stack: 1 }`), nor the declaration a decorator belongs to.
    fn starts_declaration(&self, token: &Token<'s>, next_token: Option<&Token<'s>>) -> bool {
        if matches!(self.decorator, Decorator::Name | Decorator::Done) {
            return false;
        }
        match token {
            Token::At => true,
            Token::Param
            | Token::Let
            | Token::Resource
            | Token::Existing
            | Token::Output
            | Token::Construct
            | Token::Stack
            | Token::Import => self.last_token != Some(Token::Dot) && next_token != Some(&Token::Colon),
            _ => false,
        }
    }

    /// The indentation of a line that starts with `element`.
    fn indent(&self, element: &Element<'s>, starts_declaration: bool) -> usize {
        let frame = self.frames.last().expect("the file's frame is never popped").indent;
        let token = element.token();
        if token.is_some_and(is_closer) {
            // The line of the matching opener.
            return frame.saturating_sub(1);
        }
        // A line that continues an expression: the line before ends with an
        // operator, or this one starts with one.
        let continues = !starts_declaration
            && !element.is_doc_comment()
            && (self.last_token.as_ref().is_some_and(ends_continued_line) || token.is_some_and(starts_continued_line));
        frame + usize::from(continues)
    }

    /// Whether one space separates `previous` and `element` on one line.
    fn wants_space(&self, previous: &Element<'s>, element: &Element<'s>, gap: &str, ternary: bool) -> bool {
        use Token::*;
        if element.is_line_comment() {
            return true;
        }
        if let Some(token) = element.token() {
            match token {
                Comma | RParen | RBracket => return false,
                RBrace => return previous.token() != Some(&LBrace),
                _ => {}
            }
        }
        let Some(before) = previous.token() else {
            // After a block comment.
            return true;
        };
        match before {
            LParen | LParenLine | LBracket | LBracketLine | At | Dot | Bang | Ellipsis => return false,
            LBrace => return true,
            _ => {}
        }
        let Some(token) = element.token() else {
            // A block comment after code.
            return true;
        };
        if is_spaced_operator(token) || is_spaced_operator(before) {
            return true;
        }
        match token {
            Dot => false,
            Colon => ternary,
            // Right after an expression these index or call it.
            LBracket | LParen => !self.ends_expression(before),
            // Type arguments today (`list<string>`), maybe comparisons one
            // day: keep the spacing as written.
            Lt | Gt => !gap.is_empty(),
            _ if matches!(before, Lt | Gt) => !gap.is_empty(),
            _ => true,
        }
    }

    /// Whether `token` (the last token printed) can end an expression.
    fn ends_expression(&self, token: &Token<'s>) -> bool {
        use Token::*;
        matches!(token, Ident(_) | CfnType(_) | Number(_) | StrStart | True | False | Null | RParen | RBracket | RBrace)
            || self.last_token_is_member
    }

    fn after_token(&mut self, token: &Token<'s>) {
        use Token::*;
        match token {
            LBrace | LBracket | LBracketLine | LParen | LParenLine => {
                let indent = self.line_indent + 1;
                self.frames.push(Frame { indent, questions: 0, broken: false });
                self.line_ends_with_opener = true;
            }
            RBrace | RBracket | RParen => {
                if self.frames.len() > 1 {
                    self.frames.pop();
                }
                self.line_ends_with_opener = false;
            }
            Question => {
                self.top().questions += 1;
                self.line_ends_with_opener = false;
            }
            _ => self.line_ends_with_opener = false,
        }
        self.decorator = match (self.decorator, token) {
            (_, At) => Decorator::At,
            (Decorator::At, t) if t.word().is_some() => Decorator::Name,
            (Decorator::Name, LParen) => Decorator::Args(self.frames.len() - 1),
            (Decorator::Args(depth), RParen) if self.frames.len() == depth => Decorator::Done,
            (Decorator::Args(depth), _) => Decorator::Args(depth),
            _ => Decorator::Outside,
        };
        self.last_token_is_member = token.word().is_some() && self.last_token == Some(Dot);
        self.last_token = Some(token.clone());
        self.line_has_token = true;
    }

    fn finish(mut self) -> String {
        if !self.out.is_empty() {
            self.out.push('\n');
        }
        self.out
    }
}

fn is_closer(token: &Token<'_>) -> bool {
    matches!(token, Token::RBrace | Token::RBracket | Token::RParen)
}

/// Operators with one space on each side.
fn is_spaced_operator(token: &Token<'_>) -> bool {
    use Token::*;
    matches!(
        token,
        Eq | EqEq
            | NotEq
            | AndAnd
            | OrOr
            | Question
            | LtEq
            | GtEq
            | Plus
            | Minus
            | Star
            | Slash
            | Percent
            | QuestionQuestion
    )
}

/// A line that ends with this token continues on the next line.
fn ends_continued_line(token: &Token<'_>) -> bool {
    use Token::*;
    matches!(
        token,
        Eq | EqEq
            | NotEq
            | AndAnd
            | OrOr
            | Question
            | Colon
            | Dot
            | Ellipsis
            | Bang
            | LtEq
            | GtEq
            | Plus
            | Minus
            | Star
            | Slash
            | Percent
            | QuestionQuestion
    )
}

/// A line that starts with this token continues the line before.
fn starts_continued_line(token: &Token<'_>) -> bool {
    use Token::*;
    matches!(
        token,
        Eq | EqEq
            | NotEq
            | AndAnd
            | OrOr
            | Question
            | Colon
            | Dot
            | LtEq
            | GtEq
            | Plus
            | Star
            | Slash
            | Percent
            | QuestionQuestion
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lays out `input` (syntax errors or not, so that forms the parser does
    /// not know yet can be tested) and checks the result and its
    /// idempotence.
    #[track_caller]
    fn check(input: &str, expect: &str) {
        let once = layout(input, &lexer::lex(input, 0));
        assert_eq!(once, expect, "\n--- got:\n{once}\n--- expected:\n{expect}");
        let twice = layout(&once, &lexer::lex(&once, 0));
        assert_eq!(twice, once, "not idempotent:\n{twice}");
    }

    #[test]
    fn spacing() {
        check(
            "param  stage :string=\"dev\"\nlet x=a==b&&!c||d?e:f\nlet y = f ( a ,b )[ 0 ] . c",
            "param stage: string = \"dev\"\nlet x = a == b && !c || d ? e : f\nlet y = f(a, b)[0].c\n",
        );
    }

    #[test]
    fn objects_and_lists() {
        check(
            "resource b:AWS::S3::Bucket{Tags:[{Key:\"a\",Value:\"b\",},]}\nlet e = {}\nlet l = [ ]",
            "resource b: AWS::S3::Bucket { Tags: [{ Key: \"a\", Value: \"b\", },] }\nlet e = {}\nlet l = []\n",
        );
    }

    #[test]
    fn ternary_colon_versus_property_colon() {
        check(
            "let a = {k:c?{x:1}:{y:2}, j:p?q?1:2:3}",
            "let a = { k: c ? { x: 1 } : { y: 2 }, j: p ? q ? 1 : 2 : 3 }\n",
        );
    }

    #[test]
    fn decorators() {
        check(
            "@ allowed ( [\"a\"] )  @secret param p:string\n@export(\"x\")\noutput o=1",
            "@allowed([\"a\"]) @secret param p: string\n@export(\"x\")\noutput o = 1\n",
        );
    }

    #[test]
    fn declarations_start_lines() {
        check(
            "let a = 1 let b = 2 @secret param c: string output d = a",
            "let a = 1\nlet b = 2\n@secret param c: string\noutput d = a\n",
        );
    }

    #[test]
    fn keywords_as_keys_and_members_are_not_declarations() {
        check("let a = { let: 1, stack: x.output }", "let a = { let: 1, stack: x.output }\n");
    }

    #[test]
    fn blocks_that_gain_lines_close_on_their_own_line() {
        check("stack Net { param a: string let b = 1 }", "stack Net {\n  param a: string\n  let b = 1\n}\n");
    }

    #[test]
    fn indentation_follows_brackets_once_per_line() {
        check(
            "let a = foo({\nx: 1\n})\nlet b = [{\na: 1\n}, {\nb: 2\n}]",
            "let a = foo({\n  x: 1\n})\nlet b = [{\n  a: 1\n}, {\n  b: 2\n}]\n",
        );
    }

    #[test]
    fn continuation_lines_are_indented() {
        check(
            "let a =\n{\nx: 1\n}\nlet b = c\n? d\n: e\nlet f = g &&\nh",
            "let a =\n  {\n    x: 1\n  }\nlet b = c\n  ? d\n  : e\nlet f = g &&\n  h\n",
        );
    }

    #[test]
    fn blank_lines() {
        check(
            "\n\n\nlet a = {\n\n\nx: 1\n\n\n\ny: 2\n\n}\n\n\n\nlet b = 1\n\n\n",
            "let a = {\n  x: 1\n\n  y: 2\n}\n\nlet b = 1\n",
        );
    }

    #[test]
    fn strings_are_verbatim() {
        check(
            "let a = \"x${ f( \"y${ b ? 1:2 }\" ) }z\"   \nlet b = \"\"\"\n   keep   \n      this\n  \"\"\"",
            "let a = \"x${ f( \"y${ b ? 1:2 }\" ) }z\"\nlet b = \"\"\"\n   keep   \n      this\n  \"\"\"\n",
        );
    }

    #[test]
    fn comments() {
        check(
            "let a = {   // after brace\n  /* block */ x:1    /* trailing */\n// before close\n  }   \n\t// end  ",
            "let a = { // after brace\n  /* block */ x: 1 /* trailing */\n  // before close\n}\n// end\n",
        );
    }

    #[test]
    fn doc_comments_get_their_own_line() {
        check(
            "let a = 1 /// documents b\nlet b = 2\n/* c */ //! inner",
            "let a = 1\n/// documents b\nlet b = 2\n/* c */\n//! inner\n",
        );
    }

    #[test]
    fn comment_inside_interpolation_stays_in_string() {
        check("let a = \"${ b /* c */ }\"", "let a = \"${ b /* c */ }\"\n");
    }

    #[test]
    fn line_leading_bracket_keeps_its_line() {
        check("let a = b\n  [1]\nlet c = d [0]\nlet e = f\n(g)", "let a = b\n[1]\nlet c = d[0]\nlet e = f\n(g)\n");
    }

    #[test]
    fn block_comment_spanning_lines_keeps_index_on_its_line() {
        // The `[` is not at the start of a line for the lexer: the newline is
        // inside the comment. It must stay glued to the comment's line.
        check("let a = b /* x\n */ [0]", "let a = b /* x\n */ [0]\n");
    }

    #[test]
    fn angle_brackets_keep_their_spacing() {
        check(
            "param a: list<string>\nparam b: AWS::SSM::Parameter::Value<String>=\"x\"",
            "param a: list<string>\nparam b: AWS::SSM::Parameter::Value<String> = \"x\"\n",
        );
    }

    #[test]
    fn forms_the_parser_does_not_know_yet() {
        check(
            "import \"./net.infra\"\nconstruct Site{param name:string\nresource b:AWS::S3::Bucket{}}\nfor az in azs(){\nresource s:x.Y{az:az}}",
            "import \"./net.infra\"\nconstruct Site {\n  param name: string\n  resource b: AWS::S3::Bucket {}\n}\nfor az in azs() {\n  resource s: x.Y { az: az }\n}\n",
        );
    }

    #[test]
    fn vertical_blocks_close_on_their_own_line() {
        check(
            "let a = [\n1,\n2]\nlet b = { x: 1\ny: 2 }\nlet c = f(\n{ d: 1 })",
            "let a = [\n  1,\n  2\n]\nlet b = { x: 1\n  y: 2 }\nlet c = f(\n  { d: 1 }\n)\n",
        );
    }

    #[test]
    fn forms_from_the_grammar_drafts() {
        check(
            "import {Site,Queue as Q} from \"./site.infra\"\nlet s=[for n in range(5):n]\nlet p=[for s in sizes:s==\"big\"?2:1]\nresource q:AWS::SQS::Queue for name in names{QueueName:name}\nresource w:ecs.Service{override listener{Port:443}}",
            "import { Site, Queue as Q } from \"./site.infra\"\nlet s = [for n in range(5): n]\nlet p = [for s in sizes: s == \"big\" ? 2 : 1]\nresource q: AWS::SQS::Queue for name in names { QueueName: name }\nresource w: ecs.Service { override listener { Port: 443 } }\n",
        );
    }

    #[test]
    fn a_decorator_keeps_its_declaration_on_its_line() {
        check(
            "@a(x) let b = 1 @c @d param e: string @f\nlet g = 1",
            "@a(x) let b = 1\n@c @d param e: string\n@f\nlet g = 1\n",
        );
    }

    #[test]
    fn group_after_a_line_comment_keeps_its_line() {
        check("let a = [f // c\n(x)]", "let a = [f // c\n  (x)]\n");
    }

    #[test]
    fn closing_line_after_several_closers() {
        check(
            "let a = f([{\nb: 1\n}])\nlet c = {\nd: [\n1\n]}",
            "let a = f([{\n  b: 1\n}])\nlet c = {\n  d: [\n    1\n  ]\n}\n",
        );
    }

    #[test]
    fn empty_input() {
        check("", "");
        check(" \n\n ", "");
        check("// only\n", "// only\n");
    }

    #[test]
    fn crlf_line_endings() {
        check("let a = 1 // c\r\n\r\nlet b = 2\r\n", "let a = 1 // c\n\nlet b = 2\n");
    }

    #[test]
    fn syntax_errors_are_refused() {
        let errors = format_source("let a = {").expect_err("an unclosed object is a syntax error");
        assert!(errors.iter().any(Diagnostic::is_error));
        assert!(format_source("let a = \"abc").is_err());
        assert_eq!(format_source("let  a=1").as_deref(), Ok("let a = 1\n"));
    }
}
