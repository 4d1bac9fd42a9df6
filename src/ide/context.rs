//! What sits around a cursor, read from the tokens before it rather than
//! from the syntax tree, because the text being typed rarely parses: a
//! resource body missing its closing brace, a key without its value.
//!
//! The lexer never fails, so this works on any text: it tracks the brackets
//! open at the cursor and what opened each (a resource header, a key), which
//! gives the property path from the resource body down to the cursor.

use crate::syntax::lexer;
use crate::syntax::token::Token;

/// Where a property path starts: the body of a resource or of a stack made
/// from a construct.
#[derive(Clone, Debug, PartialEq)]
pub enum BodyOwner {
    /// `resource x: AWS::S3::Bucket { ... }`
    Cfn(String),
    /// `resource x: s3.Bucket { ... }` or `stack X: ns.Name { ... }`.
    Construct(Vec<String>),
}

/// One step from a body down to the cursor.
#[derive(Clone, Debug, PartialEq)]
pub enum Segment {
    /// The value of a key.
    Key(String),
    /// An item of a list.
    Item,
}

/// A place inside a resource body.
#[derive(Clone, Debug, PartialEq)]
pub struct BodyPath {
    pub owner: BodyOwner,
    /// The byte offset of the body's `{`.
    pub body_start: usize,
    pub path: Vec<Segment>,
}

/// What the cursor is in the middle of.
#[derive(Clone, Debug, PartialEq)]
pub enum Context {
    /// In a comment or a string's text: nothing to offer.
    Inert,
    /// The type after `resource x:` (L1 type or construct), `stack X:` or
    /// `param x:`; `written` is what is typed so far, dots and colons
    /// included.
    Type { declaration: TypeOf, written: String },
    /// A decorator's name after `@`.
    Decorator,
    /// `a.b.` then the cursor: the dotted names before it.
    Member { base: Vec<String> },
    /// A property name inside an object of a body; `written` are the keys
    /// the object already has (before and after the cursor).
    Key { body: BodyPath, written: Vec<String> },
    /// A value; inside a body, `place` is the path to it (ending in the key
    /// it is the value of, or in a list item).
    Value { place: Option<BodyPath> },
    /// Where a declaration may start: a keyword.
    Declaration,
}

/// Which declaration a type follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeOf {
    Resource,
    Stack,
    Param,
}

/// The context at `offset`, with the start of the word being typed there
/// (the part a completion replaces).
pub fn at(text: &str, offset: usize) -> (Context, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let word_start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_alphanumeric() || *c == '_')
        .last()
        .map_or(offset, |(i, _)| i);
    let lexed = lexer::lex(text, 0);
    // At the end of a line comment the cursor is still in it; after `*/` it is not.
    let in_comment = lexed.comments.iter().any(|c| {
        let (start, end) = (c.span.start as usize, c.span.end as usize);
        start < offset && (offset < end || (offset == end && c.kind != crate::syntax::ast::CommentKind::Block))
    });
    if in_comment {
        return (Context::Inert, word_start);
    }
    let tokens = &lexed.tokens;
    // Tokens wholly before the word being typed.
    let count = tokens.partition_point(|(_, range)| range.end <= word_start);
    let scan = Scan::run(&tokens[..count]);
    if scan.in_string_text(tokens, count, offset) {
        return (Context::Inert, word_start);
    }
    // A type path may hold dots and colons: `s3.Buc`, `AWS::S3::Buc`.
    let path_start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | ':'))
        .last()
        .map_or(offset, |(i, _)| i);
    let path_count = tokens.partition_point(|(_, range)| range.end <= path_start);
    if let Some(declaration) = type_position(&tokens[..path_count]) {
        let written = before[path_start..].trim_start_matches(':').to_string();
        let start = path_start + (before[path_start..].len() - written.len());
        return (Context::Type { declaration, written }, start);
    }
    let previous = count.checked_sub(1).map(|i| &tokens[i].0);
    if previous == Some(&Token::At) && tokens[count - 1].1.end == word_start {
        return (Context::Decorator, word_start);
    }
    if previous == Some(&Token::Dot) && tokens[count - 1].1.end == word_start {
        let mut base = Vec::new();
        let mut i = count - 1;
        while i >= 1 {
            match &tokens[i - 1].0 {
                Token::Ident(name) => base.push(name.to_string()),
                _ => break,
            }
            if i >= 2 && tokens[i - 2].0 == Token::Dot {
                i -= 2;
            } else {
                break;
            }
        }
        base.reverse();
        return (Context::Member { base }, word_start);
    }
    let context = match scan.frames.last() {
        Some(Frame { kind: FrameKind::Object, .. }) => {
            let newline_since = previous.is_none() || text[tokens[count - 1].1.end..word_start].contains('\n');
            match previous {
                Some(Token::Colon) => {
                    let key = scan.key_before(tokens, count);
                    Context::Value { place: key.and_then(|key| scan.body_path_to(Segment::Key(key))) }
                }
                Some(Token::LBrace | Token::Comma) => scan.key_context(tokens, count),
                Some(_) if newline_since => scan.key_context(tokens, count),
                _ => Context::Value { place: None },
            }
        }
        None | Some(Frame { kind: FrameKind::Block, .. }) => {
            let newline_since = previous.is_none() || text[tokens[count - 1].1.end..word_start].contains('\n');
            let expression_follows = matches!(previous, Some(Token::Eq | Token::Colon | Token::Comma | Token::In))
                || previous.is_some_and(is_operator);
            if newline_since && !expression_follows {
                Context::Declaration
            } else {
                Context::Value { place: None }
            }
        }
        Some(Frame { kind: FrameKind::List, .. }) => Context::Value { place: scan.body_path_to(Segment::Item) },
        Some(_) => Context::Value { place: None },
    };
    (context, word_start)
}

fn is_operator(token: &Token) -> bool {
    matches!(
        token,
        Token::EqEq | Token::NotEq | Token::AndAnd | Token::OrOr | Token::Bang | Token::Question | Token::InterpStart
    )
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// `resource x:`, `stack X:` or `param x:` just before: the declaration a
/// type completes.
fn type_position(tokens: &[(Token, std::ops::Range<usize>)]) -> Option<TypeOf> {
    let n = tokens.len();
    if n < 3 || tokens[n - 1].0 != Token::Colon || !matches!(tokens[n - 2].0, Token::Ident(_)) {
        return None;
    }
    match tokens[n - 3].0 {
        Token::Resource => Some(TypeOf::Resource),
        Token::Stack => Some(TypeOf::Stack),
        Token::Param => Some(TypeOf::Param),
        _ => None,
    }
}

#[derive(Clone, Debug)]
enum FrameKind {
    /// A stack's or construct's block of declarations.
    Block,
    /// An object literal; `owner` when it is a resource's body.
    Object,
    List,
    /// Parentheses or an interpolation.
    Other,
}

#[derive(Clone, Debug)]
struct Frame {
    kind: FrameKind,
    /// The token index of the opening bracket.
    open: usize,
    /// How the frame hangs off its parent.
    segment: Option<Segment>,
    /// Set when the frame is a body.
    owner: Option<BodyOwner>,
    /// The byte offset of the bracket.
    start: usize,
}

/// The brackets open after a run of tokens.
struct Scan {
    frames: Vec<Frame>,
}

/// A declaration header seen, waiting for its `{`.
enum Header {
    Resource(Option<BodyOwner>),
    Block,
    Instance(Vec<String>),
}

impl Scan {
    fn run(tokens: &[(Token, std::ops::Range<usize>)]) -> Scan {
        let mut frames: Vec<Frame> = Vec::new();
        let mut header: Option<(usize, Header)> = None;
        for (i, (token, range)) in tokens.iter().enumerate() {
            let depth = frames.len();
            match token {
                Token::Resource => header = Some((depth, Header::Resource(None))),
                Token::Construct => header = Some((depth, Header::Block)),
                Token::Stack => {
                    // `stack X: ns.C {` is an instance; `stack X {` a block.
                    let path = read_path(tokens, i + 3);
                    let instance = matches!(tokens.get(i + 2), Some((Token::Colon, _)));
                    header = Some((depth, if instance { Header::Instance(path) } else { Header::Block }));
                }
                Token::Param | Token::Let | Token::Output | Token::Import => header = None,
                Token::Colon => {
                    if let Some((d, Header::Resource(owner @ None))) = &mut header {
                        if *d == depth {
                            *owner = match tokens.get(i + 1) {
                                Some((Token::CfnType(name), _)) => Some(BodyOwner::Cfn(name.to_string())),
                                Some((Token::Ident(_), _)) => Some(BodyOwner::Construct(read_path(tokens, i + 1))),
                                _ => None,
                            };
                        }
                    }
                }
                Token::LBrace => {
                    let mut frame =
                        Frame { kind: FrameKind::Object, open: i, segment: None, owner: None, start: range.start };
                    match header.take() {
                        Some((d, Header::Resource(owner))) if d == depth => frame.owner = owner,
                        Some((d, Header::Instance(path))) if d == depth => {
                            frame.owner = Some(BodyOwner::Construct(path));
                        }
                        Some((d, Header::Block)) if d == depth => frame.kind = FrameKind::Block,
                        other => {
                            header = other;
                            frame.segment = segment_before(tokens, i, frames.last());
                        }
                    }
                    frames.push(frame);
                }
                Token::LBracket | Token::LBracketLine => {
                    let segment = segment_before(tokens, i, frames.last());
                    frames.push(Frame { kind: FrameKind::List, open: i, segment, owner: None, start: range.start });
                }
                Token::LParen | Token::LParenLine | Token::InterpStart | Token::StrStart => {
                    frames.push(Frame {
                        kind: FrameKind::Other,
                        open: i,
                        segment: None,
                        owner: None,
                        start: range.start,
                    });
                }
                Token::RBrace | Token::RBracket | Token::RParen | Token::InterpEnd | Token::StrEnd => {
                    frames.pop();
                }
                _ => {}
            }
        }
        Scan { frames }
    }

    /// Whether the cursor is in the text of a string (not in an
    /// interpolation inside it).
    fn in_string_text(&self, tokens: &[(Token, std::ops::Range<usize>)], count: usize, offset: usize) -> bool {
        let open_string = self.frames.last().is_some_and(|f| tokens[f.open].0 == Token::StrStart);
        // A string token that spans the cursor, such as its text.
        let spanning = tokens.get(count).is_some_and(|(token, range)| {
            range.start < offset && offset <= range.end && matches!(token, Token::StrText(_) | Token::StrEnd)
        });
        open_string || spanning
    }

    /// The path from the innermost body to the cursor.
    fn body_path(&self) -> Option<BodyPath> {
        let mut path = Vec::new();
        for frame in self.frames.iter().rev() {
            if let Some(owner) = &frame.owner {
                path.reverse();
                return Some(BodyPath { owner: owner.clone(), body_start: frame.start, path });
            }
            match (&frame.kind, &frame.segment) {
                (FrameKind::Object | FrameKind::List, Some(segment)) => path.push(segment.clone()),
                _ => return None,
            }
        }
        None
    }

    /// A key position inside the innermost object.
    fn key_context(&self, tokens: &[(Token, std::ops::Range<usize>)], count: usize) -> Context {
        let Some(body) = self.body_path() else { return Context::Value { place: None } };
        let frame = self.frames.last().expect("a key is inside an object");
        // Keys are `word :` directly inside the object, before and after the cursor.
        let mut written = Vec::new();
        let mut depth = 0usize;
        for (i, (token, _)) in tokens.iter().enumerate().skip(frame.open + 1) {
            match token {
                Token::LBrace | Token::LBracket | Token::LBracketLine | Token::LParen | Token::LParenLine => depth += 1,
                Token::InterpStart | Token::StrStart => depth += 1,
                Token::RBrace | Token::RBracket | Token::RParen | Token::InterpEnd | Token::StrEnd => {
                    if depth == 0 {
                        break;
                    }
                    depth -= 1;
                }
                Token::Colon if depth == 0 && i > 0 && i != count => {
                    if let Some(word) = tokens[i - 1].0.word() {
                        // The word being typed is not written yet.
                        if i - 1 != count {
                            written.push(word.to_string());
                        }
                    }
                }
                _ => {}
            }
        }
        Context::Key { body, written }
    }

    /// `key:` just before the cursor.
    fn key_before(&self, tokens: &[(Token, std::ops::Range<usize>)], count: usize) -> Option<String> {
        let word = tokens.get(count.checked_sub(2)?)?.0.word()?;
        Some(word.to_string())
    }

    /// The path to a value one step below the innermost bracket.
    fn body_path_to(&self, last: Segment) -> Option<BodyPath> {
        let mut body = self.body_path()?;
        body.path.push(last);
        Some(body)
    }
}

/// `a.b.c` from token `i` on.
fn read_path(tokens: &[(Token, std::ops::Range<usize>)], mut i: usize) -> Vec<String> {
    let mut path = Vec::new();
    while let Some((Token::Ident(name), _)) = tokens.get(i) {
        path.push(name.to_string());
        if matches!(tokens.get(i + 1), Some((Token::Dot, _))) {
            i += 2;
        } else {
            break;
        }
    }
    path
}

/// How a bracket at token `i` hangs off its parent: `key: {`, or an item of
/// a list.
fn segment_before(tokens: &[(Token, std::ops::Range<usize>)], i: usize, parent: Option<&Frame>) -> Option<Segment> {
    if i >= 2 && tokens[i - 1].0 == Token::Colon {
        if let Some(word) = tokens[i - 2].0.word() {
            return Some(Segment::Key(word.to_string()));
        }
        if let Token::StrText(text) = &tokens[i - 2].0 {
            return Some(Segment::Key(text.clone()));
        }
    }
    match parent {
        Some(Frame { kind: FrameKind::List, .. }) => Some(Segment::Item),
        _ => None,
    }
}
