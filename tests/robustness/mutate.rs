//! The mutators of the robustness test: deterministic edits that turn a
//! program into many nearly right ones.
//!
//! - Character-level: insert a fragment, delete or replace characters, swap,
//!   duplicate or delete lines, truncate.
//! - Grammar-aware, on a light tokenisation of the text (its own, rather than
//!   `infrac::syntax`'s, so it neither shares the lexer's mistakes nor breaks
//!   when the lexer changes; it must only be right on programs that are, and
//!   total on anything): add a copy of a decorator with its arguments, none
//!   or another's; copy a decorator to another declaration; drop or rename
//!   one; swap, drop or duplicate a call's arguments; duplicate or delete an
//!   object's entry or a list's item; swap or replace identifiers; empty a
//!   bracketed group.

use std::collections::HashMap;

/// Every built-in function. `seeds_use_every_decorator_and_builtin` checks
/// this against the compiler's own list.
#[rustfmt::skip]
pub const BUILTINS: &[&str] = &[
    "after", "asset", "azs", "base64", "cidr", "concat", "contains", "docker_image", "each_member_equals",
    "each_member_in", "file", "from_json", "from_yaml", "get", "import_value", "join", "json", "keys", "length",
    "lookup", "merge", "range", "ref_all", "select", "split", "stack_output", "sub", "to_number", "transform",
    "type_of", "value_of", "value_of_all", "values",
];

/// Every decorator, whatever it applies to; checked like [`BUILTINS`].
#[rustfmt::skip]
pub const DECORATORS: &[&str] = &[
    "allowed", "assert", "constraint_description", "creation_policy", "deletion_policy", "depends_on",
    "derived", "description", "expect", "export", "globals", "group", "ignore_globals", "label", "logical_id", "max", "max_length", "metadata", "min", "min_length", "override", "pattern", "primary",
    "secret", "tags", "transform", "update_policy", "update_replace_policy", "when",
];

/// Fragments the character-level mutator inserts: delimiters, operators,
/// string and comment openers, keywords, odd numbers and multi-byte
/// characters.
#[rustfmt::skip]
pub const INTERESTING: &[&str] = &[
    "{", "}", "[", "]", "(", ")", "\"", "$", "@", ":", ",", "=", "!", "?", "/", "*", "\n", "${", "\"\"\"",
    "/*", "*/", "//", "///", "//!", "\\", "\\$", "\\u", ".", "::", "<", ">", "==", "!=", "&&", "||", "-", "0",
    "-1", "1e999", "0.5", "+", "*", "%", "??", "<=", ">=", "r\"", "r\"\"\"", "99999999999999999999", "é", "🦀", "\u{0}", "\r", "\t", " ", "AWS::",
    "AWS::S3::Bucket", "_", "resource", "param", "let", "output", "stack", "construct", "import", "for", "in",
    "true", "null", "aws.", "x", "json(", "select(", "range(", "@when(false)", "@logical_id(\"\")",
    "@depends_on(", "\"${", "}\"",
];

/// Words the grammar-aware mutator puts in place of an identifier, besides
/// the file's own identifiers, the built-ins and the decorators.
pub const WORDS: &[&str] =
    &["aws", "region", "null", "true", "false", "for", "in", "string", "number", "bool", "list", "s3", "Bucket", "x"];

/// xorshift64*: tiny, deterministic, good enough to pick positions.
pub struct Rng(u64);

impl Rng {
    /// Seeds from a name with FNV-1a, so every file gets its own stream.
    pub fn for_name(name: &str) -> Rng {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in name.bytes() {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
        Rng(hash | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// `count` mutations of `text`, as `(how it was made, text)`: a few
/// truncations at evenly spaced character boundaries, then, alternately,
/// character-level and grammar-aware edits, one or several stacked. The
/// same `name` gives the same mutations.
pub fn mutations(name: &str, text: &str, count: usize) -> Vec<(String, String)> {
    let mut rng = Rng::for_name(name);
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::with_capacity(count);
    let input = |how: String, text: String| (how, text);

    let truncations = (count / 8).min(chars.len()).max(1).min(count);
    for i in 0..truncations {
        let at = i * chars.len() / truncations;
        out.push(input(format!("truncation at char {at}"), chars[..at].iter().collect()));
    }
    while out.len() < count {
        let edits = if rng.below(3) == 0 { 2 + rng.below(3) } else { 1 };
        let how: Vec<String>;
        let mutated = if out.len() % 2 == 0 {
            let mut current = chars.clone();
            how = (0..edits).map(|_| mutate_chars(&mut rng, &mut current)).collect();
            current.into_iter().collect()
        } else {
            let mut current = text.to_string();
            how = (0..edits).map(|_| mutate_grammar(&mut rng, &mut current)).collect();
            current
        };
        out.push(input(how.join(", then "), mutated));
    }
    out
}

/// Applies one random character-level edit in place and says what it did.
fn mutate_chars(rng: &mut Rng, chars: &mut Vec<char>) -> String {
    let len = chars.len();
    match rng.below(7) {
        0 if len > 0 => {
            let at = rng.below(len);
            let n = (1 + rng.below(3)).min(len - at);
            let gone: String = chars.drain(at..at + n).collect();
            format!("deleting {gone:?} at char {at}")
        }
        1 | 2 => {
            let at = rng.below(len + 1);
            let fragment = *rng.pick(INTERESTING);
            chars.splice(at..at, fragment.chars());
            format!("inserting {fragment:?} at char {at}")
        }
        3 if len > 0 => {
            let at = rng.below(len);
            let fragment = *rng.pick(INTERESTING);
            let old = chars[at];
            chars.splice(at..at + 1, fragment.chars());
            format!("replacing {old:?} at char {at} with {fragment:?}")
        }
        4 => {
            let mut lines = split_lines(chars);
            if lines.len() < 2 {
                return "nothing (too few lines to swap)".into();
            }
            let (a, b) = (rng.below(lines.len()), rng.below(lines.len()));
            lines.swap(a, b);
            *chars = lines.concat();
            format!("swapping lines {} and {}", a + 1, b + 1)
        }
        5 => {
            let mut lines = split_lines(chars);
            if lines.is_empty() {
                return "nothing (no line to duplicate)".into();
            }
            let a = rng.below(lines.len());
            let line = lines[a].clone();
            lines.insert(a, line);
            *chars = lines.concat();
            format!("duplicating line {}", a + 1)
        }
        _ => {
            let mut lines = split_lines(chars);
            if lines.is_empty() {
                return "nothing (no line to delete)".into();
            }
            let a = rng.below(lines.len());
            lines.remove(a);
            *chars = lines.concat();
            format!("deleting line {}", a + 1)
        }
    }
}

/// Lines with their `\n` kept, so joining them gives the text back (a last
/// line without `\n` gets none).
fn split_lines(chars: &[char]) -> Vec<Vec<char>> {
    let mut lines = Vec::new();
    let mut line = Vec::new();
    for &c in chars {
        line.push(c);
        if c == '\n' {
            lines.push(std::mem::take(&mut line));
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Applies one random grammar-aware edit in place and says what it did.
pub fn mutate_grammar(rng: &mut Rng, text: &mut String) -> String {
    let tokens = scan(text);
    let shape = Shape::from_tokens(text, &tokens);
    let calls: Vec<&Group> = shape.groups.iter().filter(|g| g.open_char == b'(' && g.items.len() >= 2).collect();
    let filled: Vec<&Group> = shape.groups.iter().filter(|g| !g.items.is_empty()).collect();
    let identifiers: Vec<&Token> = tokens.iter().filter(|t| t.kind == Kind::Ident).collect();
    for _ in 0..8 {
        match rng.below(12) {
            0 if !shape.decorators.is_empty() => {
                // The copy keeps its arguments, loses them, or takes another
                // decorator's: `@when()` then `@when(c)`.
                let decorator = rng.pick(&shape.decorators).clone();
                let written = text[decorator.clone()].to_string();
                let name = written.split('(').next().unwrap_or(&written);
                let copy = match rng.below(3) {
                    0 => written.to_string(),
                    1 => format!("{name}()"),
                    _ => {
                        let other = &text[rng.pick(&shape.decorators).clone()];
                        format!("{name}{}", other.find('(').map_or("", |i| &other[i..]))
                    }
                };
                text.insert_str(decorator.start, &format!("{copy}\n{}", indentation(text, decorator.start)));
                return format!("adding `{copy}` before `{written}`");
            }
            1 if !shape.decorators.is_empty() && !shape.declarations.is_empty() => {
                let decorator = text[rng.pick(&shape.decorators).clone()].to_string();
                let at = *rng.pick(&shape.declarations);
                text.insert_str(at, &format!("{decorator}\n{}", indentation(text, at)));
                return format!("copying `{decorator}` to the declaration at byte {at}");
            }
            2 if !shape.decorators.is_empty() => {
                let decorator = rng.pick(&shape.decorators).clone();
                let gone = text[decorator.clone()].to_string();
                // The decorator's line goes too when nothing else is on it.
                let before = text[..decorator.start].trim_end_matches([' ', '\t']);
                let alone = (before.is_empty() || before.ends_with('\n')) && text[decorator.end..].starts_with('\n');
                let range = if alone { before.len()..decorator.end + 1 } else { decorator };
                text.replace_range(range, "");
                return format!("dropping `{gone}`");
            }
            3 if !shape.decorators.is_empty() => {
                let decorator = rng.pick(&shape.decorators).clone();
                let name_end = text[decorator.start + 1..decorator.end]
                    .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .map_or(decorator.end, |i| decorator.start + 1 + i);
                let new = *rng.pick(DECORATORS);
                let old = text[decorator.start + 1..name_end].to_string();
                text.replace_range(decorator.start + 1..name_end, new);
                return format!("renaming `@{old}` to `@{new}`");
            }
            4 if !calls.is_empty() => {
                let call = *rng.pick(&calls);
                let (a, b) = two_distinct(rng, call.items.len());
                let (first, second) = (call.items[a.min(b)].clone(), call.items[a.max(b)].clone());
                let swapped =
                    format!("{}{}{}", &text[second.clone()], &text[first.end..second.start], &text[first.clone()]);
                text.replace_range(first.start..second.end, &swapped);
                return format!("swapping arguments {} and {} of the call at byte {}", a.min(b), a.max(b), call.open);
            }
            5 | 6 if !filled.is_empty() => {
                let group = *rng.pick(&filled);
                let i = rng.below(group.items.len());
                let item = group.items[i].clone();
                let gone = text[item.clone()].to_string();
                // With the separator that follows it, or else the one before.
                let range = match group.items.get(i + 1) {
                    Some(next) => item.start..next.start,
                    None if i > 0 => group.items[i - 1].end..item.end,
                    None => item,
                };
                text.replace_range(range, "");
                let what = if group.open_char == b'(' { "argument" } else { "entry" };
                return format!("deleting {what} `{gone}` at byte {}", group.open);
            }
            7 | 8 if !filled.is_empty() => {
                let group = *rng.pick(&filled);
                let item = rng.pick(&group.items).clone();
                let copy = text[item.clone()].to_string();
                // Items separated by line breaks get one; the others a comma.
                let separator = if text[group.open..item.start].contains('\n') && group.open_char == b'{' {
                    format!("\n{}", indentation(text, item.start))
                } else {
                    ", ".to_string()
                };
                text.insert_str(item.end, &format!("{separator}{copy}"));
                return format!("duplicating `{copy}`");
            }
            9 if identifiers.len() >= 2 => {
                let (a, b) = two_distinct(rng, identifiers.len());
                let (first, second) = if identifiers[a].start < identifiers[b].start {
                    (identifiers[a], identifiers[b])
                } else {
                    (identifiers[b], identifiers[a])
                };
                let (x, y) = (text[first.range()].to_string(), text[second.range()].to_string());
                if x == y {
                    continue;
                }
                text.replace_range(second.range(), &x);
                text.replace_range(first.range(), &y);
                return format!("swapping identifiers `{x}` and `{y}`");
            }
            10 if !identifiers.is_empty() => {
                let token = *rng.pick(&identifiers);
                let new = match rng.below(4) {
                    0 => rng.pick(BUILTINS).to_string(),
                    1 => rng.pick(DECORATORS).to_string(),
                    2 => rng.pick(WORDS).to_string(),
                    _ => text[rng.pick(&identifiers).range()].to_string(),
                };
                let old = text[token.range()].to_string();
                text.replace_range(token.range(), &new);
                return format!("replacing identifier `{old}` with `{new}`");
            }
            11 if !shape.groups.is_empty() => {
                let group = rng.pick(&shape.groups);
                let gone = text[group.open + 1..group.close].to_string();
                text.replace_range(group.open + 1..group.close, "");
                return format!("emptying the group `{gone}` at byte {}", group.open);
            }
            _ => {}
        }
    }
    "nothing (no structure to edit)".into()
}

/// Two different numbers below `n` (`n >= 2`).
fn two_distinct(rng: &mut Rng, n: usize) -> (usize, usize) {
    let a = rng.below(n);
    let b = (a + 1 + rng.below(n - 1)) % n;
    (a, b)
}

/// The spaces and tabs that start the line holding byte `at`.
fn indentation(text: &str, at: usize) -> String {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..].chars().take_while(|c| *c == ' ' || *c == '\t').collect()
}

// ---------------------------------------------------------------------------
// A light tokenisation for the grammar-aware mutator
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// A name, a keyword, or a type such as `AWS::S3::Bucket`.
    Ident,
    Number,
    /// A whole string, interpolations included.
    Str,
    Punct(u8),
    Newline,
    Comment,
    /// Anything else (a character the language does not use).
    Other,
}

#[derive(Clone, Copy, Debug)]
struct Token {
    kind: Kind,
    start: usize,
    end: usize,
}

impl Token {
    fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

fn scan(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let kind = match bytes[i] {
            b' ' | b'\t' | b'\r' => {
                i += 1;
                continue;
            }
            b'\n' => {
                i += 1;
                Kind::Newline
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
                Kind::Comment
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i = skip_block_comment(bytes, i);
                Kind::Comment
            }
            b'"' => {
                i = skip_string(bytes, i);
                Kind::Str
            }
            b'0'..=b'9' => {
                while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'.') {
                    i += 1;
                }
                Kind::Number
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                loop {
                    while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                        i += 1;
                    }
                    // `AWS::S3::Bucket` is one name.
                    if text[i..].starts_with("::") && bytes.get(i + 2).is_some_and(|c| c.is_ascii_alphabetic()) {
                        i += 2;
                    } else {
                        break;
                    }
                }
                Kind::Ident
            }
            c if c.is_ascii() => {
                i += 1;
                Kind::Punct(c)
            }
            _ => {
                i += text[i..].chars().next().map_or(1, char::len_utf8);
                Kind::Other
            }
        };
        tokens.push(Token { kind, start, end: i });
    }
    tokens
}

/// The end of the block comment at `i` (block comments nest); the end of
/// the text when it is unterminated.
fn skip_block_comment(bytes: &[u8], mut i: usize) -> usize {
    let mut depth = 0;
    while i < bytes.len() {
        if bytes[i..].starts_with(b"/*") {
            depth += 1;
            i += 2;
        } else if bytes[i..].starts_with(b"*/") {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    bytes.len()
}

/// The end of the string at `i`: after its closing quote, the end of its
/// line when it is unterminated, or the end of the text.
fn skip_string(bytes: &[u8], i: usize) -> usize {
    let triple = bytes[i..].starts_with(b"\"\"\"");
    let mut i = i + if triple { 3 } else { 1 };
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' if !triple => return i + 1,
            b'"' if bytes[i..].starts_with(b"\"\"\"") => return i + 3,
            b'\n' if !triple => return i,
            b'$' if bytes.get(i + 1) == Some(&b'{') => i = skip_interpolation(bytes, i + 2),
            _ => i += 1,
        }
    }
    bytes.len()
}

/// The end of the interpolation whose code starts at `i`: after its `}`.
fn skip_interpolation(bytes: &[u8], mut i: usize) -> usize {
    let mut depth = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                i = skip_string(bytes, i);
                continue;
            }
            b'{' => depth += 1,
            b'}' if depth == 0 => return i + 1,
            b'}' => depth -= 1,
            b'\n' => return i,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// A bracketed group: its bracket's byte offsets and its items' byte ranges
/// (split at top-level commas, and at line breaks in objects and lists).
#[derive(Debug)]
pub struct Group {
    pub open_char: u8,
    pub open: usize,
    pub close: usize,
    pub items: Vec<std::ops::Range<usize>>,
}

/// What the grammar-aware mutator edits.
pub struct Shape {
    pub groups: Vec<Group>,
    /// `@name` or `@name(...)`.
    pub decorators: Vec<std::ops::Range<usize>>,
    /// Where the declarations start (the keyword at the start of a line).
    pub declarations: Vec<usize>,
}

impl Shape {
    /// The structure of `text`.
    pub fn of(text: &str) -> Shape {
        Shape::from_tokens(text, &scan(text))
    }

    fn from_tokens(text: &str, tokens: &[Token]) -> Shape {
        // Matching brackets, as token indices.
        let mut pairs = Vec::new();
        let mut open: Vec<usize> = Vec::new();
        for (i, token) in tokens.iter().enumerate() {
            match token.kind {
                Kind::Punct(b'(' | b'[' | b'{') => open.push(i),
                Kind::Punct(c @ (b')' | b']' | b'}')) => {
                    let wanted = match c {
                        b')' => b'(',
                        b']' => b'[',
                        _ => b'{',
                    };
                    if let Some(&o) = open.last() {
                        if tokens[o].kind == Kind::Punct(wanted) {
                            open.pop();
                            pairs.push((o, i));
                        }
                    }
                }
                _ => {}
            }
        }
        let close_of: HashMap<usize, usize> = pairs.iter().copied().collect();
        let mut groups = Vec::new();
        for &(o, c) in &pairs {
            let Kind::Punct(open_char) = tokens[o].kind else { unreachable!() };
            let mut items = Vec::new();
            let mut item: Option<std::ops::Range<usize>> = None;
            let mut i = o + 1;
            while i < c {
                let token = tokens[i];
                let separator =
                    matches!(token.kind, Kind::Punct(b',')) || (token.kind == Kind::Newline && open_char != b'(');
                if separator {
                    items.extend(item.take());
                } else if token.kind != Kind::Newline && token.kind != Kind::Comment {
                    // A nested group is part of the item, whole.
                    let end = close_of.get(&i).map_or(token.end, |&nested| tokens[nested].end);
                    let start = item.as_ref().map_or(token.start, |r| r.start);
                    item = Some(start..end);
                    if let Some(&nested) = close_of.get(&i) {
                        i = nested;
                    }
                }
                i += 1;
            }
            items.extend(item);
            groups.push(Group { open_char, open: tokens[o].start, close: tokens[c].start, items });
        }
        groups.sort_by_key(|g| g.open);

        let mut decorators = Vec::new();
        for (i, token) in tokens.iter().enumerate() {
            if token.kind == Kind::Punct(b'@')
                && tokens.get(i + 1).is_some_and(|t| t.kind == Kind::Ident && t.start == token.end)
            {
                let name = tokens[i + 1];
                let end = match tokens.get(i + 2) {
                    Some(t) if t.kind == Kind::Punct(b'(') && t.start == name.end => {
                        close_of.get(&(i + 2)).map_or(name.end, |&c| tokens[c].end)
                    }
                    _ => name.end,
                };
                decorators.push(token.start..end);
            }
        }

        const KEYWORDS: &[&str] = &["param", "let", "resource", "output", "stack", "construct"];
        let declarations = tokens
            .iter()
            .enumerate()
            .filter(|(i, t)| {
                t.kind == Kind::Ident
                    && KEYWORDS.contains(&&text[t.range()])
                    && (*i == 0 || tokens[i - 1].kind == Kind::Newline)
            })
            .map(|(_, t)| t.start)
            .collect();
        Shape { groups, decorators, declarations }
    }
}
