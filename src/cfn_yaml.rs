//! Reading CloudFormation templates (and other YAML or JSON documents) into
//! a tree that keeps the line and column of every node, for diagnostics.
//!
//! The YAML itself is parsed by `saphyr-parser` (YAML 1.2 syntax, an event
//! stream with spans and tags); this module owns what CloudFormation adds on
//! top of it:
//!
//! - **Short-form tags.** `!Ref X` becomes `{ "Ref": "X" }`, `!Condition X`
//!   `{ "Condition": "X" }`, and `!Sub`, `!GetAtt`, `!If`, `!Join`, `!Select`,
//!   `!Split`, `!FindInMap`, `!Base64`, `!Cidr`, `!GetAZs`, `!ImportValue`,
//!   `!Equals`, `!And`, `!Or`, `!Not`, `!Transform` and the rule functions
//!   (`!Contains`, `!EachMemberEquals`, `!EachMemberIn`, `!RefAll`,
//!   `!ValueOf`, `!ValueOfAll`) become `{ "Fn::Name": … }`.
//!   `!GetAtt Resource.Attribute` (the string form) becomes
//!   `["Resource", "Attribute"]`, split at the first dot, as CloudFormation
//!   splits it. The non-specific tag `!` keeps a plain scalar a string, as
//!   YAML says. Any other `!Tag` is an error ([`Problem::UnknownTag`]), as it
//!   is for CloudFormation; with [`Tags::None`] every `!Tag` is one.
//! - **Scalars read as YAML 1.1**, which is what CloudFormation implements
//!   (its documentation: "YAML Version 1.1 … with a few exceptions"), not
//!   YAML 1.2. Only *plain* (unquoted) scalars are resolved; quoted and block
//!   scalars are always strings:
//!   - `true/false`, `yes/no`, `on/off` (lower, Capitalised or UPPER case)
//!     are booleans; `y` and `n` stay strings (as in PyYAML and cfn-lint).
//!   - `null`, `Null`, `NULL`, `~` and an empty value are null.
//!   - Integers: decimal, `0x` hexadecimal, `0b` binary, octal written with a
//!     leading zero (`0755` is 493; this is why an unquoted account ID such as
//!     `012345670123` is a different number in CloudFormation), sexagesimal
//!     (`1:30` is 90) and `_` separators (`1_000`). A leading zero followed by
//!     an 8 or a 9 (`054238437032`) is no YAML 1.1 number: it stays a string.
//!     An integer too large for 64 bits is kept exact as the string of its
//!     digits (the JSON tree has no bigger integer, and a float would round it).
//!   - Floats: `1.5`, `1e3`, `.5`, `1_000.5`. `.inf`, `-.inf` and `.nan` have
//!     no JSON value and no CloudFormation property takes one: they stay the
//!     strings written.
//!   - Anything else (dates such as `2010-09-09` included: CloudFormation
//!     has no timestamps) is a string.
//! - **Keys** are always the text written (`80:` is the key `"80"`), as
//!   CloudFormation's keys are names; a key that is a list or a map, a
//!   repeated key, an alias (`*name`, which CloudFormation does not support)
//!   and more than one document are errors.
//!
//! JSON is YAML, so a JSON template is read by the same code and gets the
//! same positions.

use std::fmt;
use std::sync::OnceLock;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span, Tag};

/// Where a node starts: line and column, both counted from 1 (columns in
/// characters).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl Position {
    /// The byte offset of this position in `text` (the text it was read
    /// from), for a `source::Span`; `None` past its end.
    pub fn offset_in(&self, text: &str) -> Option<usize> {
        // Lines end at `\n` (a `\r\n` ends with one too).
        let line_start =
            if self.line <= 1 { 0 } else { text.match_indices('\n').nth(self.line - 2).map(|(i, _)| i + 1)? };
        let line = &text[line_start..];
        match line.char_indices().nth(self.column.checked_sub(1)?) {
            Some((i, _)) => Some(line_start + i),
            // Just past the last character (the end of the text).
            None if line.chars().count() == self.column - 1 => Some(text.len()),
            None => None,
        }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {} column {}", self.line, self.column)
    }
}

/// One value of a document and where it was written. For a short form such
/// as `!Ref X`, the node of `{ "Ref": "X" }` and its key are at the tag.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub at: Position,
}

/// A map key and where it was written.
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub name: String,
    pub at: Position,
}

/// The value of a node: JSON's kinds, with entries in the order written.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(String),
    List(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

impl Node {
    /// The node as JSON, positions dropped, keys in the order written.
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::Value::Number(n.clone()),
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::List(items) => serde_json::Value::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => {
                serde_json::Value::Object(entries.iter().map(|(k, v)| (k.name.clone(), v.to_json())).collect())
            }
        }
    }

    /// The value under `key`, for a map that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The position of the node at a JSON-pointer-like path of keys and
    /// list indexes (`["Resources", "Bucket", "Properties"]`), for a
    /// diagnostic about a value found in [`Node::to_json`]'s tree.
    pub fn position_of<'a>(&self, path: impl IntoIterator<Item = &'a str>) -> Option<Position> {
        let mut node = self;
        for step in path {
            node = match &node.value {
                Value::Map(_) => node.get(step)?,
                Value::List(items) => items.get(step.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(node.at)
    }
}

/// Which tags a document may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tags {
    /// CloudFormation's short forms (`!Ref`, `!Sub`, …), written out as
    /// their long forms.
    CloudFormation,
    /// None: a value the program loads at compile time may not smuggle in
    /// intrinsics the checker never saw.
    None,
}

/// Why a document could not be read, and where.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadError {
    pub at: Position,
    pub problem: Problem,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// Not YAML; the parser's own account.
    Syntax(String),
    /// A `!Tag` that is not one of CloudFormation's short forms (or, with
    /// [`Tags::None`], any `!Tag`).
    UnknownTag(String),
    /// A YAML tag CloudFormation does not support (`!!binary`, `!!set`,
    /// `!!timestamp`, …).
    UnsupportedTag(String),
    /// A value `!!int`, `!!float`, `!!bool` or `!!null` cannot be.
    TagMismatch {
        tag: String,
        text: String,
    },
    /// `*name`: CloudFormation does not support aliases.
    Alias,
    /// A key that is a list or a map.
    ComplexKey,
    DuplicateKey(String),
    MultipleDocuments,
    /// Deeper than [`MAX_DEPTH`].
    TooDeep,
}

/// How deeply lists and maps may nest: far beyond any template, and low
/// enough that the recursive walks over a tree cannot exhaust the stack.
pub const MAX_DEPTH: usize = 256;

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}", self.problem, self.at)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Syntax(info) => f.write_str(info),
            Problem::UnknownTag(tag) => write!(f, "unknown tag `{tag}`"),
            Problem::UnsupportedTag(tag) => write!(f, "CloudFormation does not support the tag `{tag}`"),
            Problem::TagMismatch { tag, text } => write!(f, "`{text}` cannot be read as `{tag}`"),
            Problem::Alias => f.write_str("aliases (`*name`) are not supported by CloudFormation"),
            Problem::ComplexKey => f.write_str("a key must be a plain name, not a list or a map"),
            Problem::DuplicateKey(key) => write!(f, "the key `{key}` is repeated"),
            Problem::MultipleDocuments => f.write_str("more than one document"),
            Problem::TooDeep => write!(f, "nested more than {MAX_DEPTH} levels deep"),
        }
    }
}

impl std::error::Error for ReadError {}

/// The CloudFormation short forms and the key each becomes.
const SHORT_FORMS: &[(&str, &str)] = &[
    ("Ref", "Ref"),
    ("Condition", "Condition"),
    ("Sub", "Fn::Sub"),
    ("GetAtt", "Fn::GetAtt"),
    ("If", "Fn::If"),
    ("Join", "Fn::Join"),
    ("Select", "Fn::Select"),
    ("Split", "Fn::Split"),
    ("FindInMap", "Fn::FindInMap"),
    ("Base64", "Fn::Base64"),
    ("Cidr", "Fn::Cidr"),
    ("GetAZs", "Fn::GetAZs"),
    ("ImportValue", "Fn::ImportValue"),
    ("Equals", "Fn::Equals"),
    ("And", "Fn::And"),
    ("Or", "Fn::Or"),
    ("Not", "Fn::Not"),
    ("Transform", "Fn::Transform"),
    // The rule functions, which only a rule's `Assertions` take.
    ("Contains", "Fn::Contains"),
    ("EachMemberEquals", "Fn::EachMemberEquals"),
    ("EachMemberIn", "Fn::EachMemberIn"),
    ("RefAll", "Fn::RefAll"),
    ("ValueOf", "Fn::ValueOf"),
    ("ValueOfAll", "Fn::ValueOfAll"),
];

/// The long form of a short-form tag's name (`Sub` → `Fn::Sub`).
pub fn long_form(short: &str) -> Option<&'static str> {
    SHORT_FORMS.iter().find(|(name, _)| *name == short).map(|(_, long)| *long)
}

/// Reads one YAML or JSON document. An empty document is null.
pub fn read(text: &str, tags: Tags) -> Result<Node, ReadError> {
    let mut builder = Builder { tags, stack: Vec::new(), root: None, documents: 0 };
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(syntax_error)?;
        builder.event(event, span)?;
    }
    Ok(builder.root.unwrap_or(Node { value: Value::Null, at: Position { line: 1, column: 1 } }))
}

fn syntax_error(error: ScanError) -> ReadError {
    let marker = error.marker();
    ReadError {
        at: Position { line: marker.line(), column: marker.col() + 1 },
        problem: Problem::Syntax(error.info().to_string()),
    }
}

fn position(span: Span) -> Position {
    Position { line: span.start.line(), column: span.start.col() + 1 }
}

/// A list or map being read, and the tag it was opened with.
enum Open {
    List { at: Position, tag: Option<String>, items: Vec<Node> },
    Map { at: Position, tag: Option<String>, entries: Vec<(Key, Node)>, key: Option<Key> },
}

/// Builds the tree from the event stream without recursion, so that the
/// parser's events, not the call stack, bound the depth.
struct Builder {
    tags: Tags,
    stack: Vec<Open>,
    root: Option<Node>,
    documents: usize,
}

impl Builder {
    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), ReadError> {
        let at = position(span);
        match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => Ok(()),
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(ReadError { at, problem: Problem::MultipleDocuments });
                }
                Ok(())
            }
            Event::Alias(_) => Err(ReadError { at, problem: Problem::Alias }),
            Event::Scalar(text, style, _anchor, tag) => {
                // A key is its text, whatever it looks like; so the only
                // tags a key may have are those that keep it text.
                if let Some(Open::Map { key: key @ None, .. }) = self.stack.last_mut() {
                    if let Some(tag) = tag.filter(|tag| !is_text_tag(tag)) {
                        return Err(ReadError { at, problem: Problem::UnknownTag(tag.to_string()) });
                    }
                    *key = Some(Key { name: text.into_owned(), at });
                    return Ok(());
                }
                let tag = self.tag_name(tag.as_deref(), at)?;
                let value = scalar(&text, style, tag.as_deref(), at)?;
                self.finish(Node { value, at }, tag)
            }
            Event::SequenceStart(_, tag) => {
                self.open_check(at)?;
                let tag = self.tag_name(tag.as_deref(), at)?;
                self.stack.push(Open::List { at, tag, items: Vec::new() });
                Ok(())
            }
            Event::MappingStart(_, tag) => {
                self.open_check(at)?;
                let tag = self.tag_name(tag.as_deref(), at)?;
                self.stack.push(Open::Map { at, tag, entries: Vec::new(), key: None });
                Ok(())
            }
            Event::SequenceEnd | Event::MappingEnd => match self.stack.pop() {
                Some(Open::List { at, tag, items }) => self.finish(Node { value: Value::List(items), at }, tag),
                Some(Open::Map { at, tag, entries, .. }) => self.finish(Node { value: Value::Map(entries), at }, tag),
                None => Ok(()),
            },
        }
    }

    /// A list or map may not be a key, nor nest without bound.
    fn open_check(&self, at: Position) -> Result<(), ReadError> {
        if let Some(Open::Map { key: None, .. }) = self.stack.last() {
            return Err(ReadError { at, problem: Problem::ComplexKey });
        }
        if self.stack.len() >= MAX_DEPTH {
            return Err(ReadError { at, problem: Problem::TooDeep });
        }
        Ok(())
    }

    /// The tag's name as this module knows it: a short form's name (`Ref`),
    /// a core schema tag (`!!str`), or an error.
    fn tag_name(&self, tag: Option<&Tag>, at: Position) -> Result<Option<String>, ReadError> {
        let Some(tag) = tag else { return Ok(None) };
        // The non-specific tag `!` only says "not resolved by content": a
        // plain scalar under it is a string, as if quoted (YAML 1.1, 3.3.2).
        if tag.handle.is_empty() && tag.suffix == "!" {
            return Ok(Some("!".to_string()));
        }
        if tag.is_yaml_core_schema() {
            return match tag.suffix.as_str() {
                "str" | "int" | "float" | "bool" | "null" | "seq" | "map" => Ok(Some(format!("!!{}", tag.suffix))),
                _ => Err(ReadError { at, problem: Problem::UnsupportedTag(format!("!!{}", tag.suffix)) }),
            };
        }
        if tag.handle == "!" && self.tags == Tags::CloudFormation && long_form(&tag.suffix).is_some() {
            return Ok(Some(tag.suffix.clone()));
        }
        Err(ReadError { at, problem: Problem::UnknownTag(tag.to_string()) })
    }

    /// Applies a short-form tag and places a finished node in its parent.
    fn finish(&mut self, node: Node, tag: Option<String>) -> Result<(), ReadError> {
        let at = node.at;
        let node = match tag.as_deref() {
            None | Some("!" | "!!str" | "!!int" | "!!float" | "!!bool" | "!!null" | "!!seq" | "!!map") => node,
            Some(short) => {
                let long = long_form(short).expect("tag_name only lets short forms through");
                let argument = match (short, node.value) {
                    // `!GetAtt Bucket.Arn`: split at the first dot.
                    ("GetAtt", Value::String(text)) => match text.split_once('.') {
                        Some((resource, attribute)) => Value::List(vec![
                            Node { value: Value::String(resource.to_string()), at },
                            Node { value: Value::String(attribute.to_string()), at },
                        ]),
                        None => Value::String(text),
                    },
                    // `!GetAZs` with nothing after it is `!GetAZs ""`.
                    ("GetAZs", Value::Null) => Value::String(String::new()),
                    (_, value) => value,
                };
                let key = Key { name: long.to_string(), at };
                Node { value: Value::Map(vec![(key, Node { value: argument, at })]), at }
            }
        };
        match self.stack.last_mut() {
            None => {
                self.root = Some(node);
                Ok(())
            }
            Some(Open::List { items, .. }) => {
                items.push(node);
                Ok(())
            }
            Some(Open::Map { entries, key, .. }) => {
                let key = key.take().expect("a map's value follows its key");
                if entries.iter().any(|(k, _)| k.name == key.name) {
                    return Err(ReadError { at: key.at, problem: Problem::DuplicateKey(key.name) });
                }
                entries.push((key, node));
                Ok(())
            }
        }
    }
}

/// The non-specific tag `!` or the core tag `!!str`.
fn is_text_tag(tag: &Tag) -> bool {
    (tag.handle.is_empty() && tag.suffix == "!") || (tag.is_yaml_core_schema() && tag.suffix == "str")
}

/// The value of a scalar: quoted and block scalars are strings; a plain one
/// is resolved as YAML 1.1 resolves it, unless a core tag says what it is.
fn scalar(text: &str, style: ScalarStyle, tag: Option<&str>, at: Position) -> Result<Value, ReadError> {
    let mismatch =
        |tag: &str| ReadError { at, problem: Problem::TagMismatch { tag: tag.to_string(), text: text.to_string() } };
    match tag {
        Some("!!str" | "!") => return Ok(Value::String(text.to_string())),
        Some(tag @ "!!int") => return integer(text).ok_or_else(|| mismatch(tag)),
        Some(tag @ "!!float") => {
            return float(text).or_else(|| integer(text).map(to_float)).ok_or_else(|| mismatch(tag));
        }
        Some(tag @ "!!bool") => return boolean(text).map(Value::Bool).ok_or_else(|| mismatch(tag)),
        Some(tag @ "!!null") => return if is_null(text) { Ok(Value::Null) } else { Err(mismatch(tag)) },
        Some(tag @ ("!!seq" | "!!map")) => return Err(mismatch(tag)),
        _ => {}
    }
    if style != ScalarStyle::Plain {
        return Ok(Value::String(text.to_string()));
    }
    if is_null(text) {
        return Ok(Value::Null);
    }
    if let Some(b) = boolean(text) {
        return Ok(Value::Bool(b));
    }
    Ok(integer(text).or_else(|| float(text)).unwrap_or_else(|| Value::String(text.to_string())))
}

fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

fn boolean(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => Some(true),
        "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => Some(false),
        _ => None,
    }
}

fn to_float(value: Value) -> Value {
    match value {
        Value::Number(n) => n.as_f64().and_then(serde_json::Number::from_f64).map_or(Value::Number(n), Value::Number),
        other => other,
    }
}

/// YAML 1.1's integers (`int` in its type repository).
fn integer(text: &str) -> Option<Value> {
    static INTEGER: OnceLock<regex_lite::Regex> = OnceLock::new();
    let pattern = INTEGER.get_or_init(|| {
        regex_lite::Regex::new(r"^[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+|0|[1-9][0-9_]*(?::[0-5]?[0-9])*)$")
            .expect("the pattern is valid")
    });
    if !pattern.is_match(text) {
        return None;
    }
    let (negative, body) = match text.as_bytes()[0] {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let digits: String = body.chars().filter(|c| *c != '_').collect();
    let magnitude: Option<u128> = if let Some(binary) = digits.strip_prefix("0b") {
        u128::from_str_radix(binary, 2).ok()
    } else if let Some(hex) = digits.strip_prefix("0x") {
        u128::from_str_radix(hex, 16).ok()
    } else if digits.contains(':') {
        digits.split(':').try_fold(0u128, |total, part| total.checked_mul(60)?.checked_add(part.parse().ok()?))
    } else if digits.len() > 1 && digits.starts_with('0') {
        u128::from_str_radix(&digits[1..], 8).ok()
    } else {
        digits.parse().ok()
    };
    let number = magnitude.and_then(|m| {
        if negative {
            i64::try_from(m).ok().map(|m| serde_json::Number::from(-m)).or_else(|| {
                // i64::MIN has no positive counterpart.
                (m == 1u128 << 63).then(|| serde_json::Number::from(i64::MIN))
            })
        } else {
            u64::try_from(m).ok().map(serde_json::Number::from)
        }
    });
    // Too large for 64 bits: the digits as written, exactly.
    Some(number.map_or_else(|| Value::String(text.to_string()), Value::Number))
}

/// YAML 1.1's floats, without the infinities and not-a-number, which JSON
/// cannot hold.
fn float(text: &str) -> Option<Value> {
    static FLOAT: OnceLock<regex_lite::Regex> = OnceLock::new();
    let pattern = FLOAT.get_or_init(|| {
        regex_lite::Regex::new(r"^[-+]?(?:[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+]?[0-9]+)?|[0-9][0-9_]*[eE][-+]?[0-9]+)$")
            .expect("the pattern is valid")
    });
    if !pattern.is_match(text) {
        return None;
    }
    let cleaned: String = text.chars().filter(|c| *c != '_').collect();
    let value: f64 = cleaned.parse().ok()?;
    serde_json::Number::from_f64(value).map(Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn cfn(text: &str) -> serde_json::Value {
        read(text, Tags::CloudFormation).unwrap_or_else(|e| panic!("{text:?}: {e}")).to_json()
    }

    fn value(text: &str) -> serde_json::Value {
        cfn(&format!("V: {text}"))["V"].clone()
    }

    fn error(text: &str) -> ReadError {
        read(text, Tags::CloudFormation).expect_err(text)
    }

    #[test]
    fn ref_and_condition_keep_their_names() {
        assert_eq!(value("!Ref Bucket"), json!({ "Ref": "Bucket" }));
        assert_eq!(value("!Condition IsProd"), json!({ "Condition": "IsProd" }));
    }

    #[test]
    fn sub_in_both_forms() {
        assert_eq!(value("!Sub 'arn:${AWS::Partition}:s3:::x'"), json!({ "Fn::Sub": "arn:${AWS::Partition}:s3:::x" }));
        assert_eq!(value("!Sub ['${A}-x', { A: !Ref B }]"), json!({ "Fn::Sub": ["${A}-x", { "A": { "Ref": "B" } }] }));
    }

    #[test]
    fn get_att_string_form_splits_at_the_first_dot() {
        assert_eq!(value("!GetAtt Bucket.Arn"), json!({ "Fn::GetAtt": ["Bucket", "Arn"] }));
        assert_eq!(value("!GetAtt Db.Endpoint.Address"), json!({ "Fn::GetAtt": ["Db", "Endpoint.Address"] }));
        assert_eq!(value("!GetAtt [Bucket, Arn]"), json!({ "Fn::GetAtt": ["Bucket", "Arn"] }));
    }

    #[test]
    fn every_other_short_form_becomes_fn() {
        let cases = [
            ("!If [C, a, b]", json!({ "Fn::If": ["C", "a", "b"] })),
            ("!Join ['', [a, b]]", json!({ "Fn::Join": ["", ["a", "b"]] })),
            ("!Select [0, !GetAZs '']", json!({ "Fn::Select": [0, { "Fn::GetAZs": "" }] })),
            ("!Split [',', a]", json!({ "Fn::Split": [",", "a"] })),
            (
                "!FindInMap [M, !Ref 'AWS::Region', AMI]",
                json!({ "Fn::FindInMap": ["M", { "Ref": "AWS::Region" }, "AMI"] }),
            ),
            ("!Base64 text", json!({ "Fn::Base64": "text" })),
            ("!Cidr [10.0.0.0/16, 4, 8]", json!({ "Fn::Cidr": ["10.0.0.0/16", 4, 8] })),
            ("!GetAZs", json!({ "Fn::GetAZs": "" })),
            ("!GetAZs us-east-1", json!({ "Fn::GetAZs": "us-east-1" })),
            ("!ImportValue Shared-Vpc", json!({ "Fn::ImportValue": "Shared-Vpc" })),
            ("!Equals [!Ref Env, prod]", json!({ "Fn::Equals": [{ "Ref": "Env" }, "prod"] })),
            ("!And [!Condition A, !Condition B]", json!({ "Fn::And": [{ "Condition": "A" }, { "Condition": "B" }] })),
            ("!Or [!Condition A, !Condition B]", json!({ "Fn::Or": [{ "Condition": "A" }, { "Condition": "B" }] })),
            ("!Not [!Condition A]", json!({ "Fn::Not": [{ "Condition": "A" }] })),
            (
                "!Transform { Name: AWS::Include, Parameters: { Location: s3://b/k } }",
                json!({ "Fn::Transform": { "Name": "AWS::Include", "Parameters": { "Location": "s3://b/k" } } }),
            ),
            ("!Contains [!Ref Users, a]", json!({ "Fn::Contains": [{ "Ref": "Users" }, "a"] })),
            (
                "!EachMemberEquals [!RefAll 'AWS::EC2::VPC::Id', v]",
                json!({ "Fn::EachMemberEquals": [{ "Fn::RefAll": "AWS::EC2::VPC::Id" }, "v"] }),
            ),
            (
                "!EachMemberIn [!ValueOfAll [T, Tag], [a]]",
                json!({ "Fn::EachMemberIn": [{ "Fn::ValueOfAll": ["T", "Tag"] }, ["a"]] }),
            ),
            ("!ValueOf [Subnet, VpcId]", json!({ "Fn::ValueOf": ["Subnet", "VpcId"] })),
        ];
        for (text, expected) in cases {
            assert_eq!(value(text), expected, "{text}");
        }
    }

    #[test]
    fn block_form_short_forms() {
        let text = "Value: !Join\n  - ''\n  - - 'arn:aws:s3:::'\n    - !Ref Bucket\n";
        assert_eq!(cfn(text), json!({ "Value": { "Fn::Join": ["", ["arn:aws:s3:::", { "Ref": "Bucket" }]] } }));
    }

    #[test]
    fn unknown_tags_are_errors_at_their_place() {
        let e = error("A: 1\nB: !Reff Bucket\n");
        assert_eq!(e.problem, Problem::UnknownTag("!Reff".to_string()));
        assert_eq!(e.at, Position { line: 2, column: 4 });
        assert_eq!(e.to_string(), "unknown tag `!Reff` at line 2 column 4");
        let e = read("A: !Ref B", Tags::None).expect_err("no tags");
        assert_eq!(e.problem, Problem::UnknownTag("!Ref".to_string()));
    }

    #[test]
    fn invalid_yaml_says_where() {
        let e = error("A: [1, 2\nB: 3\n");
        assert!(matches!(e.problem, Problem::Syntax(_)), "{e:?}");
        assert_eq!(e.at.line, 2);
        let e = error("A:\n  - 1\n bad: 2\n");
        assert!(matches!(e.problem, Problem::Syntax(_)), "{e:?}");
        assert_eq!(e.at.line, 3);
    }

    #[test]
    fn cloudformation_unsupported_yaml_is_an_error() {
        assert_eq!(error("A: &x 1\nB: *x\n").problem, Problem::Alias);
        assert_eq!(error("A: 1\nA: 2\n").problem, Problem::DuplicateKey("A".to_string()));
        assert_eq!(error("A: 1\n---\nB: 2\n").problem, Problem::MultipleDocuments);
        assert_eq!(error("? [a]\n: 1\n").problem, Problem::ComplexKey);
        assert_eq!(error("A: !!binary aGk=\n").problem, Problem::UnsupportedTag("!!binary".to_string()));
        // Block nesting has no bound of the parser's own (flow nesting has, 255).
        let deep = format!("{}x", "- ".repeat(MAX_DEPTH + 1));
        assert_eq!(error(&deep).problem, Problem::TooDeep);
    }

    #[test]
    fn yaml_1_1_booleans() {
        for text in ["true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"] {
            assert_eq!(value(text), json!(true), "{text}");
        }
        for text in ["false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"] {
            assert_eq!(value(text), json!(false), "{text}");
        }
        assert_eq!(value("y"), json!("y"));
        assert_eq!(value("n"), json!("n"));
        assert_eq!(value("'yes'"), json!("yes"));
        assert_eq!(value("yEs"), json!("yEs"));
    }

    #[test]
    fn yaml_1_1_nulls() {
        for text in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(value(text), json!(null), "{text:?}");
        }
        assert_eq!(value("'null'"), json!("null"));
    }

    #[test]
    fn yaml_1_1_integers() {
        assert_eq!(value("42"), json!(42));
        assert_eq!(value("-42"), json!(-42));
        assert_eq!(value("+42"), json!(42));
        assert_eq!(value("0"), json!(0));
        assert_eq!(value("0755"), json!(493));
        assert_eq!(value("012345670123"), json!(1402433619));
        assert_eq!(value("0x1F"), json!(31));
        assert_eq!(value("0b101"), json!(5));
        assert_eq!(value("1_000"), json!(1000));
        assert_eq!(value("1:30"), json!(90));
        assert_eq!(value("123456789012"), json!(123456789012u64));
        assert_eq!(value("18446744073709551615"), json!(u64::MAX));
        assert_eq!(value("-9223372036854775808"), json!(i64::MIN));
    }

    #[test]
    fn leading_zero_with_eight_or_nine_is_a_string() {
        assert_eq!(value("054238437032"), json!("054238437032"));
        assert_eq!(value("09"), json!("09"));
    }

    #[test]
    fn integers_beyond_64_bits_stay_exact() {
        assert_eq!(value("123456789012345678901234567890"), json!("123456789012345678901234567890"));
        assert_eq!(value("-99999999999999999999"), json!("-99999999999999999999"));
    }

    #[test]
    fn yaml_1_1_floats() {
        assert_eq!(value("1.5"), json!(1.5));
        assert_eq!(value("1.10"), json!(1.1));
        assert_eq!(value(".5"), json!(0.5));
        assert_eq!(value("1e3"), json!(1000.0));
        assert_eq!(value("-2.5E-1"), json!(-0.25));
        assert_eq!(value("1_000.5"), json!(1000.5));
        assert_eq!(value("!!float 3"), json!(3.0));
    }

    #[test]
    fn infinities_and_nan_stay_strings() {
        for text in [".inf", "-.inf", "+.Inf", ".nan", ".NaN"] {
            assert_eq!(value(text), json!(text), "{text}");
        }
    }

    #[test]
    fn dates_versions_and_quoted_numbers_are_strings() {
        assert_eq!(value("2010-09-09"), json!("2010-09-09"));
        assert_eq!(value("'0755'"), json!("0755"));
        assert_eq!(value("\"42\""), json!("42"));
        assert_eq!(value("|\n  42\n"), json!("42\n"));
        assert_eq!(value("1.2.3"), json!("1.2.3"));
        assert_eq!(value("10.0.0.0/16"), json!("10.0.0.0/16"));
        assert_eq!(value("!!str 0755"), json!("0755"));
    }

    #[test]
    fn core_tags_force_a_kind() {
        assert_eq!(value("!!int '12'"), json!(12));
        assert_eq!(value("!!bool 'yes'"), json!(true));
        assert_eq!(value("!!null ''"), json!(null));
        assert!(matches!(error("A: !!int abc").problem, Problem::TagMismatch { .. }));
    }

    #[test]
    fn the_non_specific_tag_keeps_a_scalar_a_string() {
        assert_eq!(value("! 42"), json!("42"));
        assert_eq!(value("! true"), json!("true"));
        assert_eq!(value("! {a: 1}"), json!({ "a": 1 }));
        // cfn-lint's no_value.yaml: the tag falls on the implicit map's key.
        assert_eq!(value("[! \"Ref\": \"AWS::AccountId\"]"), json!([{ "Ref": "AWS::AccountId" }]));
    }

    #[test]
    fn keys_are_their_text() {
        assert_eq!(cfn("80: a\nyes: b\n2010-09-09: c\n"), json!({ "80": "a", "yes": "b", "2010-09-09": "c" }));
    }

    #[test]
    fn json_reads_alike_with_positions() {
        let text = "{\n  \"Resources\": {\n    \"Bucket\": { \"Type\": \"AWS::S3::Bucket\", \"Count\": 2 }\n  }\n}\n";
        let node = read(text, Tags::CloudFormation).expect("JSON is YAML");
        assert_eq!(node.to_json(), json!({ "Resources": { "Bucket": { "Type": "AWS::S3::Bucket", "Count": 2 } } }));
        assert_eq!(node.position_of(["Resources", "Bucket", "Type"]), Some(Position { line: 3, column: 25 }));
        assert_eq!(node.position_of(["Resources", "Bucket"]), Some(Position { line: 3, column: 15 }));
    }

    #[test]
    fn json_indented_with_tabs() {
        let text = "{\n\t\"Resources\": {\n\t\t\"Q\": {\n\t\t\t\"Type\": \"AWS::SQS::Queue\"\n\t\t}\n\t}\n}\n";
        assert_eq!(cfn(text), json!({ "Resources": { "Q": { "Type": "AWS::SQS::Queue" } } }));
    }

    #[test]
    fn positions_give_byte_offsets() {
        let text = "A: é\nB: !Ref Zed\n";
        let node = read(text, Tags::CloudFormation).expect("valid");
        let at = node.position_of(["B"]).expect("present");
        let offset = at.offset_in(text).expect("inside the text");
        assert_eq!(&text[offset..offset + 8], "!Ref Zed");
        let at = node.position_of(["A"]).expect("present");
        assert_eq!(&text[at.offset_in(text).expect("inside")..], "é\nB: !Ref Zed\n");
        assert_eq!(Position { line: 9, column: 1 }.offset_in(text), None);
    }

    #[test]
    fn windows_line_ends_and_a_byte_order_mark() {
        assert_eq!(cfn("\u{feff}A: 1\r\nB: |\r\n  x\r\n"), json!({ "A": 1, "B": "x\n" }));
    }

    #[test]
    fn every_node_has_its_position() {
        let text = "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags:\n        - Key: a\n          Value: !Ref X\n";
        let node = read(text, Tags::CloudFormation).expect("valid");
        assert_eq!(node.position_of(["Resources", "Bucket", "Type"]), Some(Position { line: 3, column: 11 }));
        let tags = ["Resources", "Bucket", "Properties", "Tags", "0", "Value"];
        assert_eq!(node.position_of(tags), Some(Position { line: 7, column: 18 }));
        let Value::Map(entries) = &node.get("Resources").expect("present").value else { panic!("a map") };
        assert_eq!(entries[0].0.at, Position { line: 2, column: 3 });
    }

    /// Broken templates give an error, never a panic: every corpus template
    /// cut short, and with one character removed, at many places.
    #[test]
    fn broken_templates_never_panic() {
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/templates");
        let mut read_count = 0;
        for entry in std::fs::read_dir(folder).expect("tests/templates is readable") {
            let path = entry.expect("an entry").path();
            if !path.extension().is_some_and(|e| e == "yaml" || e == "json") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("readable");
            read(&text, Tags::CloudFormation).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(401).collect();
            for &cut in &cuts {
                let _ = read(&text[..cut], Tags::CloudFormation);
                let next = text[cut..].chars().next().map_or(cut, |c| cut + c.len_utf8());
                let _ = read(&format!("{}{}", &text[..cut], &text[next..]), Tags::CloudFormation);
                read_count += 2;
            }
        }
        assert!(read_count > 500, "only {read_count} broken templates were read");
    }

    #[test]
    fn empty_document_is_null() {
        assert_eq!(cfn(""), json!(null));
        assert_eq!(cfn("# only a comment\n"), json!(null));
    }
}
