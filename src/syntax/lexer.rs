//! The lexer driver: runs logos over code and scans strings and block
//! comments by hand, because interpolation nests (`"a${f("b${c}")}"`) and
//! multi-line strings need their indentation removed.
//!
//! Lexing never fails: bad input becomes a [`Token::Error`] plus a
//! diagnostic, and the lexer carries on.

use logos::Logos;

use super::ast::{Comment, CommentKind};
use super::token::{Raw, Token};
use crate::diagnostics::{builder as diag, Diagnostic};
use crate::source::{FileId, Span};

/// A token and its byte range in the file.
pub type SpannedToken<'src> = (Token<'src>, std::ops::Range<usize>);

pub struct Lexed<'src> {
    pub tokens: Vec<SpannedToken<'src>>,
    pub comments: Vec<Comment>,
    pub diagnostics: Vec<Diagnostic>,
}

pub fn lex(src: &str, file: FileId) -> Lexed<'_> {
    let mut lexer = Lexer {
        src,
        file,
        tokens: Vec::new(),
        comments: Vec::new(),
        diagnostics: Vec::new(),
        line_start: true,
        nesting: 0,
        too_deep: false,
    };
    lexer.code(0, None);
    Lexed { tokens: lexer.tokens, comments: lexer.comments, diagnostics: lexer.diagnostics }
}

struct Lexer<'src> {
    src: &'src str,
    file: FileId,
    tokens: Vec<SpannedToken<'src>>,
    comments: Vec<Comment>,
    diagnostics: Vec<Diagnostic>,
    /// No token yet on the current line.
    line_start: bool,
    /// Open brackets and interpolations around the current token.
    nesting: usize,
    /// Nesting passed [`MAX_NESTING`]: the rest of the file is not lexed.
    too_deep: bool,
}

/// How deep brackets and interpolations may nest. Far beyond any real
/// program; it bounds the work error recovery can do on broken input.
pub const MAX_NESTING: usize = 256;

/// Where a stretch of code ends.
enum CodeEnd {
    /// End of input.
    Eof,
    /// The `}` that closes an interpolation, at this offset.
    InterpClose(usize),
}

impl<'src> Lexer<'src> {
    fn span(&self, range: std::ops::Range<usize>) -> Span {
        Span::new(self.file, range)
    }

    fn push(&mut self, token: Token<'src>, range: std::ops::Range<usize>) {
        if self.too_deep {
            return;
        }
        match token {
            Token::LBrace
            | Token::LBracket
            | Token::LBracketLine
            | Token::LParen
            | Token::LParenLine
            | Token::InterpStart => {
                self.nesting += 1;
                if self.nesting > MAX_NESTING {
                    self.too_deep = true;
                    self.diagnostics.push(diag::nesting_too_deep(self.span(range), MAX_NESTING));
                    return;
                }
            }
            Token::RBrace | Token::RBracket | Token::RParen | Token::InterpEnd => {
                self.nesting = self.nesting.saturating_sub(1);
            }
            _ => {}
        }
        self.tokens.push((token, range));
        self.line_start = false;
    }

    /// Whether the last token ends an operand, so that a `-` after it is
    /// subtraction.
    fn after_operand(&self) -> bool {
        matches!(
            self.tokens.last().map(|(token, _)| token),
            Some(
                Token::Ident(_)
                    | Token::Number(_)
                    | Token::StrEnd
                    | Token::True
                    | Token::False
                    | Token::Null
                    | Token::RParen
                    | Token::RBracket
                    | Token::RBrace
            )
        )
    }

    /// Whether the tokens so far end inside a parameter's type: after
    /// `param NAME:`, with no `=` and no new line since.
    fn in_param_type(&self) -> bool {
        if self.line_start {
            return false;
        }
        // Back over what a type is made of (a record type has colons of its
        // own) to the colon after `param NAME`.
        for (index, (token, _)) in self.tokens.iter().enumerate().rev() {
            match token {
                Token::Colon if index >= 2 && matches!(self.tokens[index - 2].0, Token::Param) => return true,
                Token::Ident(_)
                | Token::CfnType(_)
                | Token::Lt
                | Token::Gt
                | Token::Dot
                | Token::LBrace
                | Token::RBrace
                | Token::Comma
                | Token::Question
                | Token::Colon => {}
                _ => return false,
            }
        }
        false
    }

    /// Lexes code from `pos`. Inside an interpolation (`interp_open` is the
    /// span of its `${`), stops at the unmatched `}`.
    fn code(&mut self, mut pos: usize, interp_open: Option<std::ops::Range<usize>>) -> CodeEnd {
        let mut depth = 0usize;
        'restart: loop {
            let mut raw = Raw::lexer(&self.src[pos..]);
            while let Some(result) = raw.next() {
                if self.too_deep {
                    return CodeEnd::Eof;
                }
                let range = pos + raw.span().start..pos + raw.span().end;
                let text = &self.src[range.clone()];
                let token = match result {
                    Err(()) => {
                        self.diagnostics.push(diag::unknown_character(self.span(range.clone()), text));
                        Token::Error
                    }
                    Ok(Raw::Newline) => {
                        self.line_start = true;
                        continue;
                    }
                    Ok(Raw::LineComment) => {
                        self.line_comment(text, range);
                        continue;
                    }
                    Ok(Raw::BlockCommentStart) => {
                        pos = self.block_comment(range.start);
                        continue 'restart;
                    }
                    Ok(Raw::Quote) => {
                        pos = self.string(range, false, None);
                        continue 'restart;
                    }
                    Ok(Raw::TripleQuote) => {
                        pos = self.string(range, true, None);
                        continue 'restart;
                    }
                    Ok(kind @ (Raw::RawQuote | Raw::RawTripleQuote)) => {
                        // `r`, the hashes, then the quotes.
                        let quotes = if kind == Raw::RawTripleQuote { 3 } else { 1 };
                        let hashes = range.len() - 1 - quotes;
                        pos = self.string(range, kind == Raw::RawTripleQuote, Some(hashes));
                        continue 'restart;
                    }
                    Ok(Raw::RBrace) if depth == 0 && interp_open.is_some() => {
                        self.push(Token::InterpEnd, range.clone());
                        return CodeEnd::InterpClose(range.end);
                    }
                    Ok(Raw::LBrace) => {
                        depth += 1;
                        Token::LBrace
                    }
                    Ok(Raw::RBrace) => {
                        depth = depth.saturating_sub(1);
                        Token::RBrace
                    }
                    Ok(Raw::Ident) => Token::keyword(text).unwrap_or(Token::Ident(text)),
                    Ok(Raw::CfnType) => Token::CfnType(text),
                    Ok(Raw::Number) => Token::Number(text),
                    Ok(Raw::LBracket) if self.line_start => Token::LBracketLine,
                    Ok(Raw::LBracket) => Token::LBracket,
                    Ok(Raw::RBracket) => Token::RBracket,
                    Ok(Raw::LParen) if self.line_start => Token::LParenLine,
                    Ok(Raw::LParen) => Token::LParen,
                    Ok(Raw::RParen) => Token::RParen,
                    Ok(Raw::Comma) => Token::Comma,
                    Ok(Raw::Colon) => Token::Colon,
                    Ok(Raw::Eq) => Token::Eq,
                    Ok(Raw::EqEq) => Token::EqEq,
                    Ok(Raw::NotEq) => Token::NotEq,
                    Ok(Raw::AndAnd) => Token::AndAnd,
                    Ok(Raw::OrOr) => Token::OrOr,
                    Ok(Raw::Bang) => Token::Bang,
                    Ok(Raw::Question) => Token::Question,
                    Ok(Raw::Dot) => Token::Dot,
                    Ok(Raw::Ellipsis) => Token::Ellipsis,
                    Ok(Raw::At) => Token::At,
                    Ok(Raw::Lt) => Token::Lt,
                    Ok(Raw::Gt) => Token::Gt,
                    // In a parameter's type, `>=` closes the type and starts
                    // the default: `param ids: List<String>=[]`.
                    Ok(Raw::GtEq) if self.in_param_type() => {
                        self.push(Token::Gt, range.start..range.start + 1);
                        self.push(Token::Eq, range.start + 1..range.end);
                        continue;
                    }
                    Ok(Raw::GtEq) => Token::GtEq,
                    Ok(Raw::LtEq) => Token::LtEq,
                    Ok(Raw::Plus) => Token::Plus,
                    Ok(Raw::Minus) => Token::Minus,
                    Ok(Raw::Star) => Token::Star,
                    Ok(Raw::Slash) => Token::Slash,
                    Ok(Raw::Percent) => Token::Percent,
                    Ok(Raw::QuestionQuestion) => Token::QuestionQuestion,
                };
                // `n-1` is `n - 1`: a sign right after an operand on the same
                // line is subtraction (at a line's start, `-1` is a list item).
                if let Token::Number(text) = token {
                    if text.starts_with('-') && !self.line_start && self.after_operand() {
                        self.push(Token::Minus, range.start..range.start + 1);
                        self.push(Token::Number(&text[1..]), range.start + 1..range.end);
                        continue;
                    }
                }
                self.push(token, range);
            }
            return CodeEnd::Eof;
        }
    }

    fn line_comment(&mut self, text: &str, range: std::ops::Range<usize>) {
        // Rust's convention: `////` is an ordinary comment, not a doc comment.
        let kind = if text.starts_with("//!") {
            CommentKind::InnerDoc
        } else if text.starts_with("///") && !text.starts_with("////") {
            CommentKind::OuterDoc
        } else {
            CommentKind::Line
        };
        self.comments.push(Comment { kind, text: text.to_string(), span: self.span(range) });
    }

    /// Scans a (nesting) block comment starting at `start`; returns the
    /// offset after it.
    fn block_comment(&mut self, start: usize) -> usize {
        let bytes = self.src.as_bytes();
        let mut depth = 0usize;
        let mut i = start;
        while i + 1 < bytes.len() {
            match (bytes[i], bytes[i + 1]) {
                (b'/', b'*') => {
                    depth += 1;
                    i += 2;
                }
                (b'*', b'/') => {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        let span = self.span(start..i);
                        self.comments.push(Comment {
                            kind: CommentKind::Block,
                            text: self.src[start..i].to_string(),
                            span,
                        });
                        return i;
                    }
                }
                _ => i += 1,
            }
        }
        let end = self.src.len();
        self.diagnostics.push(diag::unterminated_comment(self.span(start..start + 2)));
        self.comments.push(Comment {
            kind: CommentKind::Block,
            text: self.src[start..end].to_string(),
            span: self.span(start..end),
        });
        end
    }

    /// Scans a string whose opening quote is at `open`; returns the offset
    /// after its closing quote (or where the lexer gave up on it). A raw
    /// string (`r"..."`, `r"""..."""`) has no escapes and no interpolation:
    /// its text is what stands between the quotes; `raw` is the number of
    /// `#` after its `r`, which its closing quotes must be followed by too.
    fn string(&mut self, open: std::ops::Range<usize>, triple: bool, raw: Option<usize>) -> usize {
        let hashes = raw.unwrap_or(0);
        let quotes = if triple { 3 } else { 1 };
        let first_token = self.tokens.len();
        self.push(Token::StrStart, open.clone());
        let mut text = String::new();
        let mut text_start = open.end;
        let mut pos = open.end;
        let end = loop {
            let rest = &self.src[pos..];
            let Some(c) = rest.chars().next() else {
                self.report_unterminated(&open, quotes, hashes);
                self.push(Token::StrText(std::mem::take(&mut text)), text_start..pos);
                self.push(Token::StrEnd, pos..pos);
                break pos;
            };
            let closes = rest.len() >= quotes + hashes
                && rest.as_bytes()[..quotes].iter().all(|&b| b == b'"')
                && rest.as_bytes()[quotes..quotes + hashes].iter().all(|&b| b == b'#');
            if closes {
                let close = pos + quotes + hashes;
                self.push(Token::StrText(std::mem::take(&mut text)), text_start..pos);
                self.push(Token::StrEnd, pos..close);
                break close;
            }
            if c == '\n' && !triple {
                self.report_unterminated(&open, quotes, hashes);
                self.push(Token::StrText(std::mem::take(&mut text)), text_start..pos);
                self.push(Token::StrEnd, pos..pos);
                break pos;
            }
            if raw.is_some() {
                text.push(c);
                pos += c.len_utf8();
                continue;
            }
            if c == '\\' {
                let escaped = rest[1..].chars().next();
                let decoded = match escaped {
                    Some('n') => Some('\n'),
                    Some('t') => Some('\t'),
                    Some('r') => Some('\r'),
                    Some('"') => Some('"'),
                    Some('\\') => Some('\\'),
                    Some('$') => Some('$'),
                    _ => None,
                };
                let width = 1 + escaped.map_or(0, char::len_utf8);
                match decoded {
                    Some(d) => text.push(d),
                    None => {
                        // Keep the text as written so that one mistake is one error.
                        text.push_str(&rest[..width]);
                        let range = pos..pos + width;
                        self.diagnostics.push(diag::invalid_escape(self.span(range.clone()), &self.src[range]));
                    }
                }
                pos += width;
                continue;
            }
            if rest.starts_with("${") {
                self.push(Token::StrText(std::mem::take(&mut text)), text_start..pos);
                let interp = pos..pos + 2;
                self.push(Token::InterpStart, interp.clone());
                match self.code(interp.end, Some(interp.clone())) {
                    CodeEnd::InterpClose(after) => {
                        pos = after;
                        text_start = after;
                        continue;
                    }
                    CodeEnd::Eof => {
                        self.diagnostics.push(diag::unterminated_interpolation(self.span(interp)));
                        let eof = self.src.len();
                        self.push(Token::InterpEnd, eof..eof);
                        self.push(Token::StrText(String::new()), eof..eof);
                        self.push(Token::StrEnd, eof..eof);
                        break eof;
                    }
                }
            }
            text.push(c);
            pos += c.len_utf8();
        };
        if triple {
            dedent(&mut self.tokens[first_token..]);
        }
        end
    }

    fn report_unterminated(&mut self, open: &std::ops::Range<usize>, quotes: usize, hashes: usize) {
        let close = format!("{}{}", "\"".repeat(quotes), "#".repeat(hashes));
        let diagnostic = diag::unterminated_string(self.span(open.clone()), &self.src[open.clone()], &close);
        self.diagnostics.push(diagnostic);
    }
}

/// Removes the common indentation of a multi-line string, the newline right
/// after the opening `"""` and the line that holds only the closing `"""`.
/// Interpolations count as text when measuring indentation.
fn dedent(tokens: &mut [SpannedToken<'_>]) {
    // Only the string's own text pieces, not those of strings nested inside
    // interpolations: those sit at a deeper interpolation depth.
    let mut depth = 0usize;
    let mut pieces: Vec<usize> = Vec::new();
    for (i, (token, _)) in tokens.iter().enumerate() {
        match token {
            Token::InterpStart => depth += 1,
            Token::InterpEnd => depth -= 1,
            Token::StrText(_) if depth == 0 => pieces.push(i),
            _ => {}
        }
    }
    // The text is worked on as a whole, as characters with `None` where an
    // interpolation sits (it counts as text, and no character can stand
    // for it: a string may hold any character, NUL included).
    let mut text: Vec<Option<char>> = Vec::new();
    for (n, &i) in pieces.iter().enumerate() {
        if n > 0 {
            text.push(None);
        }
        if let Token::StrText(piece) = &tokens[i].0 {
            text.extend(piece.chars().map(Some));
        }
    }
    if text.first() == Some(&Some('\n')) {
        text.remove(0);
    } else if text.starts_with(&[Some('\r'), Some('\n')]) {
        text.drain(..2);
    }
    let is_blank = |c: &Option<char>| matches!(c, Some(' ' | '\t'));
    if let Some(last_newline) = text.iter().rposition(|c| *c == Some('\n')) {
        if text[last_newline + 1..].iter().all(is_blank) {
            text.truncate(last_newline);
        }
    }
    let lines: Vec<&[Option<char>]> = text.split(|c| *c == Some('\n')).collect();
    let indent = lines
        .iter()
        .filter(|line| !line.iter().all(|c| matches!(c, Some(ch) if ch.is_whitespace())))
        .map(|line| line.iter().take_while(|c| is_blank(c)).count())
        .min()
        .unwrap_or(0);
    let mut dedented: Vec<Option<char>> = Vec::with_capacity(text.len());
    for (n, line) in lines.iter().enumerate() {
        if n > 0 {
            dedented.push(Some('\n'));
        }
        let removable =
            line.len() >= indent && line[..indent].iter().all(|c| matches!(c, Some(ch) if ch.is_whitespace()));
        let kept = if removable { &line[indent..] } else { &line[line.iter().take_while(|c| is_blank(c)).count()..] };
        dedented.extend_from_slice(kept);
    }
    for (&i, piece) in pieces.iter().zip(dedented.split(Option::is_none)) {
        tokens[i].0 = Token::StrText(piece.iter().flatten().collect());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(src: &str, expect: &str) {
        let lexed = lex(src, 0);
        let mut out: Vec<String> = lexed.tokens.iter().map(|(t, r)| format!("{t:?}@{r:?}")).collect();
        out.extend(lexed.diagnostics.iter().map(|d| format!("{} {}", d.code.as_str(), d.message)));
        assert_eq!(out.join("\n"), expect.trim());
    }

    #[test]
    fn type_names_are_one_token() {
        check("AWS::S3::Bucket x", "CfnType(\"AWS::S3::Bucket\")@0..15\nIdent(\"x\")@16..17");
    }

    #[test]
    fn interpolation_nests() {
        check(
            r#""a${f("b${c}")}d""#,
            r#"
StrStart@0..1
StrText("a")@1..2
InterpStart@2..4
Ident("f")@4..5
LParen@5..6
StrStart@6..7
StrText("b")@7..8
InterpStart@8..10
Ident("c")@10..11
InterpEnd@11..12
StrText("")@12..12
StrEnd@12..13
RParen@13..14
InterpEnd@14..15
StrText("d")@15..16
StrEnd@16..17"#,
        );
    }

    #[test]
    fn braces_inside_interpolation() {
        check(
            r#""${ {a: 1}.a }""#,
            r#"
StrStart@0..1
StrText("")@1..1
InterpStart@1..3
LBrace@4..5
Ident("a")@5..6
Colon@6..7
Number("1")@8..9
RBrace@9..10
Dot@10..11
Ident("a")@11..12
InterpEnd@13..14
StrText("")@14..14
StrEnd@14..15"#,
        );
    }

    #[test]
    fn escapes_and_errors() {
        check(
            r#""a\n\$\q" #"#,
            r#"
StrStart@0..1
StrText("a\n$\\q")@1..8
StrEnd@8..9
Error@10..11
E0105 invalid escape sequence `\q`
E0103 unknown character `#`"#,
        );
    }

    #[test]
    fn unterminated_string_stops_at_line_end() {
        check(
            "\"abc\nx",
            "StrStart@0..1\nStrText(\"abc\")@1..4\nStrEnd@4..4\nIdent(\"x\")@5..6\nE0102 unterminated string",
        );
    }

    #[test]
    fn multiline_strings_are_dedented() {
        let lexed = lex("\"\"\"\n    a\n      b ${x}\n    \"\"\"", 0);
        let texts: Vec<_> = lexed
            .tokens
            .iter()
            .filter_map(|(t, _)| if let Token::StrText(s) = t { Some(s.clone()) } else { None })
            .collect();
        assert_eq!(texts, ["a\n  b ", ""]);
    }

    fn string_texts(src: &str) -> Vec<String> {
        let lexed = lex(src, 0);
        lexed
            .tokens
            .iter()
            .filter_map(|(t, _)| if let Token::StrText(s) = t { Some(s.clone()) } else { None })
            .collect()
    }

    #[test]
    fn any_character_survives_dedenting() {
        // A NUL or other control character is text like any other, before
        // and after an interpolation.
        assert_eq!(string_texts("\"\"\"\n  a\0b ${x} c\n  \"\"\""), ["a\0b ", " c"]);
        assert_eq!(string_texts("\"\"\"\n  \u{1}${x}\0\n    ${y}\n  \"\"\""), ["\u{1}", "\0\n  ", ""]);
        // An interpolation at the start of a line counts as text: the line
        // sets the indentation to none.
        assert_eq!(string_texts("\"\"\"\n  a\n${x} b\n  \"\"\""), ["  a\n", " b"]);
        // Non-ASCII whitespace does not break the indentation count.
        assert_eq!(string_texts("\"\"\"\n  \u{3000}a\n  b\n  \"\"\""), ["\u{3000}a\nb"]);
    }

    #[test]
    fn raw_strings_close_at_a_quote_with_their_hashes() {
        assert_eq!(string_texts(r#"r"a\n${b}""#), [r"a\n${b}"]);
        assert_eq!(string_texts(r##"r#"say "hi""#"##), [r#"say "hi""#]);
        assert_eq!(string_texts(r###"r##"a "# b"##"###), [r##"a "# b"##]);
        assert_eq!(string_texts("r#\"\"\"\n  one \"\"\" two\n  \"\"\"#"), [r#"one """ two"#]);
        // The span covers the hashes: the formatter and editors see all of it.
        check(r##"r#"x"#"##, "StrStart@0..3\nStrText(\"x\")@3..4\nStrEnd@4..6");
        // A quote without its hash is text; the line's end leaves it open.
        check(
            "r#\"x\"\ny",
            "StrStart@0..3\nStrText(\"x\\\"\")@3..5\nStrEnd@5..5\nIdent(\"y\")@6..7\nE0102 unterminated string",
        );
    }

    #[test]
    fn bracket_at_line_start_is_marked() {
        check("a\n[1]", "Ident(\"a\")@0..1\nLBracketLine@2..3\nNumber(\"1\")@3..4\nRBracket@4..5");
    }

    #[test]
    fn comments_are_kept() {
        let lexed = lex("/// doc\n//! inner\n// plain\n//// plain\n/* a /* nested */ b */", 0);
        let kinds: Vec<_> = lexed.comments.iter().map(|c| c.kind).collect();
        assert_eq!(
            kinds,
            [CommentKind::OuterDoc, CommentKind::InnerDoc, CommentKind::Line, CommentKind::Line, CommentKind::Block]
        );
        assert!(lexed.diagnostics.is_empty());
    }
}
