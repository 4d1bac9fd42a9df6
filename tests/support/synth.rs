//! Builds the smallest resource a CloudFormation schema allows, as `.infra`
//! source: its required properties, one option of each required alternative,
//! recursively for nested objects, with strings that satisfy enums, formats,
//! patterns and lengths. Shared by `tests/schema_sample.rs` and
//! `benches/schema_check.rs`.

#![allow(dead_code)]

use std::collections::BTreeSet;
use std::fmt::Write;

use infrac::schema::validate::pattern_matches;
use infrac::schema::{ObjectShape, Property, RequiredAlternatives, ResourceType, Shape, StringShape};

/// Example values for the semantic formats the schemas use, valid for cfn-lint's format rules.
const FORMAT_SAMPLES: &[(&str, &str)] = &[
    (
        "AWS::ACM::Certificate.Arn",
        "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012",
    ),
    ("AWS::EC2::Image.Id", "ami-0123456789abcdef0"),
    ("AWS::EC2::SecurityGroup.Id", "sg-0123456789abcdef0"),
    ("AWS::EC2::SecurityGroup.Name", "sample"),
    ("AWS::EC2::Subnet.Id", "subnet-0123456789abcdef0"),
    ("AWS::EC2::VPC.Id", "vpc-0123456789abcdef0"),
    ("AWS::IAM::Role.Arn", "arn:aws:iam::123456789012:role/sample"),
    ("AWS::KMS::Alias.AliasName", "alias/sample"),
    ("AWS::KMS::Key.Arn", "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
    ("AWS::KMS::Key.Id", "1234abcd-12ab-34cd-56ef-1234567890ab"),
    ("AWS::Lambda::Function.Arn", "arn:aws:lambda:us-east-1:123456789012:function:sample"),
    ("AWS::Logs::LogGroup.Name", "sample-log-group"),
    ("AWS::Route53::HostedZone.Id", "Z0123456789ABCDEFGHIJ"),
    ("AWS::S3::Bucket.Name", "sample-bucket"),
    ("AWS::SNS::Topic.Arn", "arn:aws:sns:us-east-1:123456789012:sample"),
    ("AWS::SQS::Queue.Arn", "arn:aws:sqs:us-east-1:123456789012:sample"),
    ("date-time", "2026-01-01T00:00:00Z"),
    ("ipv4-network", "10.0.0.0/16"),
    ("ipv6-network", "2001:db8::/32"),
    ("json", "{}"),
    ("timestamp", "2026-01-01T00:00:00Z"),
    ("uri", "https://example.com"),
];

/// Strings tried, in order, for a constrained string with no format sample.
const STRING_CANDIDATES: &[&str] = &[
    "sample",
    "Sample",
    "sample-1",
    "sample1",
    "s1",
    "1",
    "sample.example.com",
    "arn:aws:iam::123456789012:role/sample",
    "arn:aws:s3:::sample-bucket",
    "123456789012",
    "us-east-1",
    "https://example.com",
    "10.0.0.0/16",
    "/sample",
    "SAMPLE",
    "sample_1",
    "2026-01-01",
    "2026-01-01T00:00:00Z",
];

// --- values -------------------------------------------------------------------

/// Builds `.infra` source text for the smallest value of a shape.
pub struct Synth<'r> {
    pub resource: &'r ResourceType,
}

pub type Synthesized = Result<String, String>;

impl Synth<'_> {
    fn value(&self, shape: &Shape, name: &str, depth: usize) -> Synthesized {
        if depth > 12 {
            return Err(format!("`{name}` nests too deep"));
        }
        match self.resource.resolve(shape) {
            Shape::Any | Shape::Def(_) => Ok(quote("sample")),
            Shape::Json if name.contains("Policy") => Ok(policy(name)),
            Shape::Json => Ok("{}".to_string()),
            Shape::Boolean => Ok("true".to_string()),
            Shape::Integer { min, max, allowed } => Ok(match allowed.first() {
                Some(first) => first.to_string(),
                None => pick_number(min.map(|m| m as f64), max.map(|m| m as f64)).to_string(),
            }),
            Shape::Number { min, max } => Ok(pick_number(*min, *max).to_string()),
            Shape::String(string) if name.contains("Policy") && string.formats.iter().any(|f| f == "json") => {
                Ok(policy(name))
            }
            Shape::String(string) => string_value(string, name).map(|s| quote(&s)),
            Shape::List { item, min_items, .. } => {
                let count = min_items.unwrap_or(1).max(1);
                match self.value(item, name, depth + 1) {
                    Ok(one) => Ok(format!("[{}]", vec![one; count as usize].join(", "))),
                    Err(_) if min_items.unwrap_or(0) == 0 => Ok("[]".to_string()),
                    Err(why) => Err(why),
                }
            }
            // One entry: some maps must not be empty (`minProperties`, which the data drops).
            Shape::Map { value, key_pattern } => {
                let key_shape = StringShape { pattern: key_pattern.clone(), ..StringShape::default() };
                match (string_value(&key_shape, name), self.value(value, name, depth + 1)) {
                    (Ok(k), Ok(v)) => Ok(format!("{{ {}: {v} }}", key(&k))),
                    _ => Ok("{}".to_string()),
                }
            }
            Shape::Object(object) => self.object(object, depth),
            Shape::Union(members) => {
                let mut first_error = None;
                for member in members {
                    match self.value(member, name, depth + 1) {
                        Ok(text) => return Ok(text),
                        Err(why) => first_error = first_error.or(Some(why)),
                    }
                }
                Err(first_error.unwrap_or_else(|| format!("`{name}` is an empty union")))
            }
        }
    }

    fn object(&self, object: &ObjectShape, depth: usize) -> Synthesized {
        let fields = self.fields(
            &object.properties,
            &object.required,
            &object.required_alternatives,
            &object.dependent_required,
            depth,
        )?;
        Ok(format!("{{ {} }}", fields.join(", ")))
    }

    /// `Name: value` for each property the object must have.
    fn fields(
        &self,
        properties: &std::collections::BTreeMap<String, Property>,
        required: &[String],
        alternatives: &[RequiredAlternatives],
        dependent: &std::collections::BTreeMap<String, Vec<String>>,
        depth: usize,
    ) -> Result<Vec<String>, String> {
        let mut chosen: Vec<String> = required.to_vec();
        for group in alternatives {
            if group.is_satisfied_by(|name| chosen.iter().any(|c| c == name)) {
                continue;
            }
            let usable =
                |option: &&Vec<String>| option.iter().all(|name| properties.get(name).is_some_and(|p| !p.read_only));
            let option = group
                .options
                .iter()
                .filter(usable)
                .find(|option| !option.is_empty())
                .or_else(|| group.options.iter().find(|option| option.is_empty()))
                .ok_or("no usable required alternative")?;
            chosen.extend(option.iter().cloned());
        }
        loop {
            let before = chosen.len();
            for (name, needs) in dependent {
                if chosen.contains(name) {
                    for need in needs {
                        if !chosen.contains(need) {
                            chosen.push(need.clone());
                        }
                    }
                }
            }
            if chosen.len() == before {
                break;
            }
        }
        let mut seen = BTreeSet::new();
        let mut fields = Vec::new();
        for name in chosen {
            if !seen.insert(name.clone()) {
                continue;
            }
            let property = properties.get(&name).ok_or_else(|| format!("required `{name}` is not a property"))?;
            if property.read_only {
                return Err(format!("required `{name}` is read-only"));
            }
            fields.push(format!("{}: {}", key(&name), self.value(&property.shape, &name, depth + 1)?));
        }
        Ok(fields)
    }

    /// The resource as an `.infra` declaration named `name`.
    pub fn resource(&self, name: &str) -> Synthesized {
        let r = self.resource;
        if r.lifecycle.as_ref().is_some_and(|l| l.status == "shutdown") {
            return Err("its service has shut down".to_string());
        }
        let fields = self.fields(&r.properties, &r.required, &r.required_alternatives, &r.dependent_required, 0)?;
        let mut out = String::new();
        if fields.is_empty() {
            writeln!(out, "resource {name}: {} {{}}", r.name).unwrap();
        } else {
            writeln!(out, "resource {name}: {} {{", r.name).unwrap();
            for field in fields {
                writeln!(out, "  {field}").unwrap();
            }
            writeln!(out, "}}").unwrap();
        }
        Ok(out)
    }

    /// The whole resource as an `.infra` program.
    pub fn program(&self) -> Synthesized {
        Ok(format!("// The smallest {} the schema allows.\n{}", self.resource.name, self.resource("sample")?))
    }
}

fn pick_number(min: Option<f64>, max: Option<f64>) -> f64 {
    let fits = |v: f64| min.is_none_or(|m| v >= m) && max.is_none_or(|m| v <= m);
    if fits(1.0) {
        1.0
    } else {
        min.or(max).unwrap_or(1.0)
    }
}

/// A policy document cfn-lint's policy checks accept.
fn policy(name: &str) -> String {
    if name.starts_with("AssumeRole") {
        return r#"{ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }] }"#.to_string();
    }
    r#"{ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] }"#.to_string()
}

/// A string that satisfies the shape: an enum value, a format sample, a value
/// generated from the pattern, or one of the fixed candidates.
fn string_value(shape: &StringShape, name: &str) -> Result<String, String> {
    if let Some(first) = shape.allowed.first() {
        return Ok(first.clone());
    }
    let length_fits = |s: &str| {
        let len = s.chars().count() as u64;
        shape.min_len.is_none_or(|m| len >= m) && shape.max_len.is_none_or(|m| len <= m)
    };
    let pattern_fits = |s: &str| match &shape.pattern {
        Some(pattern) => pattern_matches(pattern, s) != Some(false),
        None => true,
    };
    let mut candidates: Vec<String> = Vec::new();
    for format in &shape.formats {
        if let Some((_, sample)) = FORMAT_SAMPLES.iter().find(|(f, _)| f == format) {
            candidates.push(sample.to_string());
        }
    }
    if let Some(pattern) = &shape.pattern {
        for extra in [0, 1, 3, 8, 20] {
            if let Some(generated) = generate::from_pattern(pattern, extra) {
                candidates.push(generated);
            }
        }
    }
    candidates.extend(STRING_CANDIDATES.iter().map(|s| s.to_string()));
    // Padded to the minimum length, for plain strings with bounds.
    if let Some(min) = shape.min_len {
        candidates.push(format!("sample{}", "0".repeat((min as usize).saturating_sub(6))));
    }
    candidates
        .into_iter()
        .find(|c| length_fits(c) && pattern_fits(c))
        .ok_or_else(|| format!("no value for `{name}` fits its pattern {:?}", shape.pattern))
}

fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '$' => out.push_str("\\$"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A property name as an object key: bare when it is an identifier.
fn key(name: &str) -> String {
    const KEYWORDS: &[&str] =
        &["true", "false", "null", "param", "let", "resource", "output", "construct", "stack", "import", "for", "in"];
    let identifier = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if identifier && !KEYWORDS.contains(&name) {
        name.to_string()
    } else {
        quote(name)
    }
}

/// A small generator of strings that match an ECMAScript pattern: the first
/// alternative of each choice, the first character of each class, and the
/// fewest repetitions (`extra` more where a quantifier allows them).
pub mod generate {
    pub fn from_pattern(pattern: &str, extra: usize) -> Option<String> {
        let chars: Vec<char> = pattern.chars().collect();
        let mut parser = Parser { chars, at: 0, extra };
        let out = parser.alternation()?;
        (parser.at == parser.chars.len()).then_some(out)
    }

    struct Parser {
        chars: Vec<char>,
        at: usize,
        extra: usize,
    }

    impl Parser {
        fn peek(&self) -> Option<char> {
            self.chars.get(self.at).copied()
        }

        /// `a|b|c`: the first alternative; the others are parsed and dropped.
        fn alternation(&mut self) -> Option<String> {
            let first = self.sequence()?;
            while self.peek() == Some('|') {
                self.at += 1;
                self.sequence()?;
            }
            Some(first)
        }

        fn sequence(&mut self) -> Option<String> {
            let mut out = String::new();
            while let Some(c) = self.peek() {
                if c == '|' || c == ')' {
                    break;
                }
                let atom = self.atom()?;
                let (min, max) = self.quantifier()?;
                let times = match max {
                    Some(max) => (min + self.extra).min(max),
                    None => min + self.extra,
                };
                // `a?` and `a*` with no extra still give nothing.
                let times = if min == 0 && self.extra == 0 { 0 } else { times };
                for _ in 0..times {
                    out.push_str(&atom);
                }
            }
            Some(out)
        }

        fn quantifier(&mut self) -> Option<(usize, Option<usize>)> {
            let q = match self.peek() {
                Some('?') => (0, Some(1)),
                Some('*') => (0, None),
                Some('+') => (1, None),
                Some('{') => {
                    let end = self.chars[self.at..].iter().position(|&c| c == '}')? + self.at;
                    let body: String = self.chars[self.at + 1..end].iter().collect();
                    let parsed = match body.split_once(',') {
                        None => body.parse().ok().map(|n| (n, Some(n))),
                        Some((lo, "")) => lo.parse().ok().map(|n| (n, None)),
                        Some((lo, hi)) => Some((lo.parse().ok()?, Some(hi.parse().ok()?))),
                    };
                    match parsed {
                        Some(q) => {
                            self.at = end + 1;
                            self.lazy();
                            return Some(q);
                        }
                        None => return Some((1, Some(1))),
                    }
                }
                _ => return Some((1, Some(1))),
            };
            self.at += 1;
            self.lazy();
            Some(q)
        }

        fn lazy(&mut self) {
            if self.peek() == Some('?') {
                self.at += 1;
            }
        }

        fn atom(&mut self) -> Option<String> {
            let c = self.peek()?;
            self.at += 1;
            match c {
                '^' | '$' => Some(String::new()),
                '.' => Some("a".to_string()),
                '(' => {
                    let mut lookaround = false;
                    if self.peek() == Some('?') {
                        self.at += 1;
                        match self.peek()? {
                            ':' => self.at += 1,
                            '=' | '!' => {
                                self.at += 1;
                                lookaround = true;
                            }
                            '<' => {
                                self.at += 1;
                                match self.peek()? {
                                    '=' | '!' => {
                                        self.at += 1;
                                        lookaround = true;
                                    }
                                    _ => {
                                        while self.peek()? != '>' {
                                            self.at += 1;
                                        }
                                        self.at += 1;
                                    }
                                }
                            }
                            's' | 'i' | 'm' => {
                                // Inline flags `(?s)`: skip them.
                                while self.peek()? != ')' {
                                    self.at += 1;
                                }
                                self.at += 1;
                                return Some(String::new());
                            }
                            _ => return None,
                        }
                    }
                    let inner = self.alternation()?;
                    if self.peek()? != ')' {
                        return None;
                    }
                    self.at += 1;
                    Some(if lookaround { String::new() } else { inner })
                }
                '[' => self.class(),
                '\\' => {
                    let e = self.peek()?;
                    self.at += 1;
                    Some(match e {
                        'd' => "0".to_string(),
                        'w' | 'S' | 'D' => "a".to_string(),
                        's' => " ".to_string(),
                        'W' => "-".to_string(),
                        'b' | 'B' | 'A' | 'Z' | 'z' => String::new(),
                        'n' => "\n".to_string(),
                        't' => "\t".to_string(),
                        'u' => {
                            let hex: String = self.chars.get(self.at..self.at + 4)?.iter().collect();
                            self.at += 4;
                            char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?.to_string()
                        }
                        'x' => {
                            let hex: String = self.chars.get(self.at..self.at + 2)?.iter().collect();
                            self.at += 2;
                            char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?.to_string()
                        }
                        'p' | 'P' => {
                            while self.peek()? != '}' {
                                self.at += 1;
                            }
                            self.at += 1;
                            "a".to_string()
                        }
                        other if other.is_ascii_alphanumeric() => return None,
                        other => other.to_string(),
                    })
                }
                c => Some(c.to_string()),
            }
        }

        /// A character class: its first member, or for a negated class the first
        /// of a few plain characters it does not exclude.
        fn class(&mut self) -> Option<String> {
            let negated = self.peek() == Some('^');
            if negated {
                self.at += 1;
            }
            let mut members: Vec<(char, char)> = Vec::new();
            let mut first: Option<char> = None;
            let mut start = true;
            loop {
                let c = self.peek()?;
                self.at += 1;
                if c == ']' && !start {
                    break;
                }
                start = false;
                let (lo, is_single) = if c == '\\' {
                    let e = self.peek()?;
                    self.at += 1;
                    match e {
                        'd' => {
                            members.push(('0', '9'));
                            first.get_or_insert('0');
                            continue;
                        }
                        'w' => {
                            members.extend([('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')]);
                            first.get_or_insert('a');
                            continue;
                        }
                        's' => {
                            members.extend([(' ', ' '), ('\t', '\t'), ('\n', '\n')]);
                            first.get_or_insert(' ');
                            continue;
                        }
                        'S' | 'W' | 'D' | 'p' | 'P' => {
                            if matches!(e, 'p' | 'P') {
                                while self.peek()? != '}' {
                                    self.at += 1;
                                }
                                self.at += 1;
                            }
                            first.get_or_insert('a');
                            continue;
                        }
                        'n' => ('\n', true),
                        't' => ('\t', true),
                        'u' => {
                            let hex: String = self.chars.get(self.at..self.at + 4)?.iter().collect();
                            self.at += 4;
                            (char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?, true)
                        }
                        'x' => {
                            let hex: String = self.chars.get(self.at..self.at + 2)?.iter().collect();
                            self.at += 2;
                            (char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?, true)
                        }
                        other => (other, true),
                    }
                } else {
                    (c, true)
                };
                let _ = is_single;
                if self.peek() == Some('-') && self.chars.get(self.at + 1).is_some_and(|&n| n != ']') {
                    self.at += 1;
                    let mut hi = self.peek()?;
                    self.at += 1;
                    if hi == '\\' {
                        hi = self.peek()?;
                        self.at += 1;
                    }
                    members.push((lo, hi));
                } else {
                    members.push((lo, lo));
                }
                first.get_or_insert(lo);
            }
            if negated {
                let excluded = |c: char| members.iter().any(|(lo, hi)| *lo <= c && c <= *hi);
                return "aA0-_.x".chars().find(|c| !excluded(*c)).map(|c| c.to_string());
            }
            // Prefer a plain character when the class has one.
            let plain = members.iter().find(|(lo, _)| lo.is_ascii_alphanumeric()).map(|(lo, _)| *lo);
            plain.or(first).map(|c| c.to_string())
        }
    }
}
