//! Tokens: the raw logos lexer for code, and the tokens the parser sees.
//!
//! Strings are not single tokens: the lexer driver in [`super::lexer`] splits
//! them into `StrStart StrText (InterpStart ... InterpEnd StrText)* StrEnd`
//! so that interpolated expressions are ordinary tokens for the parser.

use std::fmt;

use logos::Logos;

/// What logos recognises outside strings and block comments.
#[derive(Logos, Clone, Copy, Debug, PartialEq, Eq)]
#[logos(skip r"[ \t\r\f]+")]
pub(crate) enum Raw {
    #[token("\n")]
    Newline,
    #[regex(r"//[^\n]*", allow_greedy = true)]
    LineComment,
    #[token("/*")]
    BlockCommentStart,
    #[token("\"\"\"")]
    TripleQuote,
    /// `r"""`, or `r#"""` with any number of `#`: a raw multi-line string
    /// (no escapes, no interpolation), closed by `"""` and as many `#`.
    #[regex("r#*\"\"\"")]
    RawTripleQuote,
    /// `r"`, or `r#"` with any number of `#`: a raw string, closed by `"`
    /// and as many `#`, so that `r#"say "hi""#` may hold a quote.
    #[regex("r#*\"")]
    RawQuote,
    #[token("\"")]
    Quote,
    #[regex(r"[A-Za-z][A-Za-z0-9]*(::[A-Za-z0-9]+)+")]
    CfnType,
    #[regex(r"[A-Za-z_][A-Za-z0-9_]*")]
    Ident,
    #[regex(r"-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")]
    Number,
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    #[token("[")]
    LBracket,
    #[token("]")]
    RBracket,
    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token(",")]
    Comma,
    #[token(":")]
    Colon,
    #[token("=")]
    Eq,
    #[token("==")]
    EqEq,
    #[token("!=")]
    NotEq,
    #[token("&&")]
    AndAnd,
    #[token("||")]
    OrOr,
    #[token("!")]
    Bang,
    #[token("?")]
    Question,
    #[token(".")]
    Dot,
    /// `...`: a parameter group, or spreading one into an object.
    #[token("...")]
    Ellipsis,
    #[token("@")]
    At,
    #[token("<")]
    Lt,
    #[token(">")]
    Gt,
    #[token("<=")]
    LtEq,
    #[token(">=")]
    GtEq,
    #[token("+")]
    Plus,
    #[token("-")]
    Minus,
    #[token("*")]
    Star,
    #[token("/")]
    Slash,
    #[token("%")]
    Percent,
    #[token("??")]
    QuestionQuestion,
}

/// A token as the parser sees it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Token<'src> {
    Ident(&'src str),
    /// A CloudFormation type name such as `AWS::S3::Bucket`.
    CfnType(&'src str),
    Number(&'src str),
    // Keywords.
    Param,
    Let,
    Resource,
    /// `existing`: infrastructure described, not managed.
    Existing,
    Output,
    Construct,
    Stack,
    Import,
    For,
    In,
    True,
    False,
    Null,
    // Strings.
    StrStart,
    /// Literal text of a string, escapes already decoded.
    StrText(String),
    InterpStart,
    InterpEnd,
    StrEnd,
    // Punctuation.
    LBrace,
    RBrace,
    LBracket,
    /// `[` as the first token on a line: starts a list, never indexes the
    /// expression on the line before.
    LBracketLine,
    RBracket,
    LParen,
    /// `(` as the first token on a line: never calls the expression before.
    LParenLine,
    RParen,
    Comma,
    Colon,
    Eq,
    EqEq,
    NotEq,
    AndAnd,
    OrOr,
    Bang,
    Question,
    Dot,
    Ellipsis,
    At,
    Lt,
    Gt,
    LtEq,
    GtEq,
    Plus,
    /// Subtraction; a negative number is one `Number` token.
    Minus,
    Star,
    Slash,
    Percent,
    QuestionQuestion,
    /// Input the lexer could not make sense of; already reported.
    Error,
}

impl<'src> Token<'src> {
    pub(crate) fn keyword(text: &str) -> Option<Token<'static>> {
        Some(match text {
            "param" => Token::Param,
            "let" => Token::Let,
            "resource" => Token::Resource,
            "existing" => Token::Existing,
            "output" => Token::Output,
            "construct" => Token::Construct,
            "stack" => Token::Stack,
            "import" => Token::Import,
            "for" => Token::For,
            "in" => Token::In,
            "true" => Token::True,
            "false" => Token::False,
            "null" => Token::Null,
            _ => return None,
        })
    }

    /// The text of an identifier or keyword, which may serve as an object
    /// key or member name (`{ for: 1 }`, `x.in`).
    pub fn word(&self) -> Option<&'src str> {
        Some(match self {
            Token::Ident(name) => name,
            Token::Param => "param",
            Token::Let => "let",
            Token::Resource => "resource",
            Token::Existing => "existing",
            Token::Output => "output",
            Token::Construct => "construct",
            Token::Stack => "stack",
            Token::Import => "import",
            Token::For => "for",
            Token::In => "in",
            Token::True => "true",
            Token::False => "false",
            Token::Null => "null",
            _ => return None,
        })
    }
}

impl fmt::Display for Token<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(word) = self.word() {
            return match self {
                Token::Ident(_) => write!(f, "identifier `{word}`"),
                _ => write!(f, "keyword `{word}`"),
            };
        }
        let text = match self {
            Token::CfnType(name) => return write!(f, "type name `{name}`"),
            Token::Number(n) => return write!(f, "number `{n}`"),
            Token::StrStart | Token::StrText(_) | Token::StrEnd => "string",
            Token::InterpStart => "`${`",
            Token::InterpEnd => "`}`",
            Token::LBrace => "`{`",
            Token::RBrace => "`}`",
            Token::LBracket | Token::LBracketLine => "`[`",
            Token::RBracket => "`]`",
            Token::LParen | Token::LParenLine => "`(`",
            Token::RParen => "`)`",
            Token::Comma => "`,`",
            Token::Colon => "`:`",
            Token::Eq => "`=`",
            Token::EqEq => "`==`",
            Token::NotEq => "`!=`",
            Token::AndAnd => "`&&`",
            Token::OrOr => "`||`",
            Token::Bang => "`!`",
            Token::Question => "`?`",
            Token::Dot => "`.`",
            Token::Ellipsis => "`...`",
            Token::At => "`@`",
            Token::Lt => "`<`",
            Token::Gt => "`>`",
            Token::LtEq => "`<=`",
            Token::GtEq => "`>=`",
            Token::Plus => "`+`",
            Token::Minus => "`-`",
            Token::Star => "`*`",
            Token::Slash => "`/`",
            Token::Percent => "`%`",
            Token::QuestionQuestion => "`??`",
            Token::Error => "invalid input",
            _ => unreachable!("words are handled above"),
        };
        f.write_str(text)
    }
}
