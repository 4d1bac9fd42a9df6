//! Regular expressions in the two dialects a template holds, run with `fancy-regex`.
//!
//! - A parameter's `AllowedPattern` (`@pattern`) is a Java regular expression:
//!   CloudFormation is written in Java and matches it against the whole value.
//! - A resource schema's `pattern` is an ECMAScript regular expression (cfn-lint
//!   reads it with Python), matched anywhere in the value unless it is anchored
//!   itself, like JSON Schema's `pattern`.
//!
//! A pattern is translated into fancy-regex syntax one construct at a time, and
//! only where the meaning is certain: Java's `\w`, `\d` and `\s` are ASCII, its
//! `.` stops at every line terminator, `[\w-+]` holds a literal `-`, `(?i)`
//! folds ASCII letters only, and `&&` intersects classes. Anything else makes
//! the pattern [`Unsupported`]: it is then not checked, and never reported as
//! wrong. A Java pattern that Java itself rejects is [`Invalid`].
//!
//! The translation writes every class out in full (`\w` becomes
//! `[0-9A-Za-z_]`), so neither engine needs Unicode tables. A translation
//! that needs backtracking (look-around, atomic groups, possessive
//! quantifiers, backreferences) or nested classes runs on `fancy-regex`;
//! any other on `regex-lite`, which compiles it ten to forty times faster
//! (a counted `.{1,512}` takes 0.2 ms there and 7 ms in fancy-regex).

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// `java.util.regex`, matched against the whole value.
    Java,
    /// ECMAScript as cfn-lint reads it, matched anywhere in the value.
    EcmaScript,
}

/// Why a Java pattern is not a regular expression at all; `at` counts
/// characters from the start of the pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Invalid {
    pub reason: InvalidReason,
    pub at: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InvalidReason {
    UnclosedClass,
    UnclosedGroup,
    UnmatchedParenthesis,
    /// `*`, `+`, `?` or `{n}` with nothing before it to repeat.
    NothingToRepeat,
    /// `{` that does not start `{n}`, `{n,}` or `{n,m}`, or `{n,m}` with `m < n`.
    BadRepetition,
    /// `[z-a]`, or a range that ends in a class such as `\w`.
    BadRange,
    /// A backslash before a letter that means nothing, such as `\y`.
    UnknownEscape(char),
    /// A malformed `\x`, `\u`, `\0` or `\c` escape, or a backslash at the end.
    BadEscape,
}

/// What infrac cannot evaluate in a pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unsupported {
    /// A construct of the pattern, as written: `\p{javaLowerCase}`, `(?x)`, `\b`.
    Construct(String),
    /// The translation is one the engine refuses (a look-behind of
    /// unbounded length, a reference to a group that does not exist, ...).
    Engine,
}

/// A pattern ready to match, or why it cannot be checked.
#[derive(Clone, Debug)]
pub enum Compiled {
    Checked(Arc<Engine>),
    Invalid(Invalid),
    Unsupported(Unsupported),
}

/// The engine a translated pattern runs on.
#[derive(Debug)]
pub enum Engine {
    Plain(regex_lite::Regex),
    Backtracking(fancy_regex::Regex),
}

impl Compiled {
    /// Whether `value` matches; `None` when the pattern cannot be checked,
    /// or the engine gave up on this value (too much backtracking).
    pub fn matches(&self, value: &str) -> Option<bool> {
        match self {
            Compiled::Checked(engine) => match engine.as_ref() {
                Engine::Plain(regex) => Some(regex.is_match(value)),
                Engine::Backtracking(regex) => regex.is_match(value).ok(),
            },
            Compiled::Invalid(_) | Compiled::Unsupported(_) => None,
        }
    }
}

/// Compiled patterns by dialect and text.
static CACHE: LazyLock<Mutex<HashMap<(Dialect, String), Compiled>>> = LazyLock::new(|| Mutex::new(HashMap::new()));

/// Compiles `pattern` in `dialect` (once per text).
pub fn compile(dialect: Dialect, pattern: &str) -> Compiled {
    let mut cache = CACHE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    cache.entry((dialect, pattern.to_string())).or_insert_with(|| compile_uncached(dialect, pattern)).clone()
}

/// Whether `value` matches a schema pattern (ECMAScript, anywhere in the
/// value), or `None` when the pattern cannot be checked.
pub(super) fn matches(pattern: &str, value: &str) -> Option<bool> {
    compile(Dialect::EcmaScript, pattern).matches(value)
}

fn compile_uncached(dialect: Dialect, pattern: &str) -> Compiled {
    let translation = match translate(dialect, pattern) {
        Ok(translation) => translation,
        Err(Problem::Invalid(invalid)) => return Compiled::Invalid(invalid),
        Err(Problem::Unsupported(unsupported)) => return Compiled::Unsupported(unsupported),
    };
    if !translation.backtracks {
        if let Ok(regex) = regex_lite::Regex::new(&translation.text) {
            return Compiled::Checked(Arc::new(Engine::Plain(regex)));
        }
    }
    match fancy_regex::Regex::new(&translation.text) {
        Ok(regex) => Compiled::Checked(Arc::new(Engine::Backtracking(regex))),
        Err(_) => Compiled::Unsupported(Unsupported::Engine),
    }
}

/// A pattern in the engines' syntax.
#[derive(Debug, PartialEq)]
struct Translation {
    text: String,
    /// Whether it needs `fancy-regex`: look-around, atomic groups,
    /// possessive quantifiers, backreferences or nested classes.
    backtracks: bool,
}

#[derive(Debug, PartialEq)]
enum Problem {
    Invalid(Invalid),
    Unsupported(Unsupported),
}

/// Rewrites a pattern into the engines' syntax. A Java pattern is anchored
/// at both ends of the value.
fn translate(dialect: Dialect, pattern: &str) -> Result<Translation, Problem> {
    let mut translator = Translator {
        dialect,
        chars: pattern.chars().collect(),
        i: 0,
        out: String::with_capacity(pattern.len() * 2),
        groups: vec![Group { flags: Flags::default(), opened_at: 0 }],
        captures: 0,
        repeatable: Repeatable::No,
        backtracks: false,
    };
    translator.sequence()?;
    let body = translator.out;
    let text = match dialect {
        Dialect::Java => format!(r"\A(?:{body})\z"),
        Dialect::EcmaScript => body,
    };
    Ok(Translation { text, backtracks: translator.backtracks })
}

/// Inline flags in force.
#[derive(Clone, Copy, Default)]
struct Flags {
    case_insensitive: bool,
    dot_all: bool,
}

/// An open group: the flags inside it and where it started.
struct Group {
    flags: Flags,
    opened_at: usize,
}

/// Whether a quantifier may follow what was written last.
#[derive(Clone, Copy, PartialEq)]
enum Repeatable {
    Yes,
    /// At the start, after `(` or `|`, or after a quantifier: Java rejects it.
    No,
    /// After an anchor or a flag group: left to the engine.
    Unknown,
}

/// One element of a character class.
enum ClassItem {
    Char(char),
    /// A class in regex-syntax form (`[0-9A-Za-z_]`), or several characters
    /// of `\Q...\E`.
    Set(String),
}

struct Translator {
    dialect: Dialect,
    chars: Vec<char>,
    i: usize,
    out: String,
    groups: Vec<Group>,
    /// Capturing groups opened so far: a Java backreference takes as many
    /// digits as name an existing group.
    captures: usize,
    repeatable: Repeatable,
    /// Whether the translation needs a backtracking engine.
    backtracks: bool,
}

/// Java's `\s`: ASCII whitespace.
const JAVA_SPACE: &str = r"\t\n\x{B}\x{C}\r ";
/// Unicode's White_Space, as regex-syntax's `\s` (what ECMAScript's `\s` is, less U+FEFF).
const UNICODE_SPACE: &str =
    r"\t\n\x{B}\x{C}\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}";
/// The characters after which Java's `.` stops and before which its `$` matches.
const JAVA_LINE_TERMINATORS: &str = r"\n\r\x{85}\x{2028}\x{2029}";
const WORD: &str = "0-9A-Za-z_";

impl Translator {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.i).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.i + offset).copied()
    }

    fn flags(&self) -> Flags {
        self.groups.last().map(|g| g.flags).unwrap_or_default()
    }

    fn set_flags(&mut self, flags: Flags) {
        if let Some(group) = self.groups.last_mut() {
            group.flags = flags;
        }
    }

    fn invalid(&self, reason: InvalidReason, at: usize) -> Problem {
        match self.dialect {
            Dialect::Java => Problem::Invalid(Invalid { reason, at }),
            // Schema patterns are never reported; one that makes no sense is
            // simply not checked.
            Dialect::EcmaScript => self.unsupported(at, self.chars.len()),
        }
    }

    /// The pattern's text from `start` to `end` as unsupported.
    fn unsupported(&self, start: usize, end: usize) -> Problem {
        let end = end.min(self.chars.len()).max(start);
        Problem::Unsupported(Unsupported::Construct(self.chars[start..end].iter().collect()))
    }

    fn sequence(&mut self) -> Result<(), Problem> {
        while let Some(c) = self.peek() {
            let start = self.i;
            match c {
                '\\' => self.escape_outside_class()?,
                '[' => {
                    let class = self.class()?;
                    self.out.push_str(&class);
                    self.repeatable = Repeatable::Yes;
                }
                '(' => self.open_group()?,
                ')' => {
                    if self.groups.len() == 1 {
                        return Err(self.invalid(InvalidReason::UnmatchedParenthesis, start));
                    }
                    self.groups.pop();
                    self.out.push(')');
                    self.i += 1;
                    self.repeatable = Repeatable::Yes;
                }
                '|' => {
                    self.out.push('|');
                    self.i += 1;
                    self.repeatable = Repeatable::No;
                }
                '*' | '+' | '?' => {
                    self.i += 1;
                    self.quantifier(start, c.to_string())?;
                }
                '{' => match quantifier_len(&self.chars[start..]) {
                    Some(len) => {
                        let text: String = self.chars[start..start + len].iter().collect();
                        if !repetition_is_ordered(&text) {
                            return Err(self.invalid(InvalidReason::BadRepetition, start));
                        }
                        // Java reads `{2}` with nothing before it, or after another
                        // quantifier, as repeating an empty string.
                        if self.repeatable == Repeatable::No {
                            return Err(self.unsupported(start, start + len));
                        }
                        self.i += len;
                        self.quantifier(start, text)?;
                    }
                    None => match self.dialect {
                        Dialect::Java => return Err(self.invalid(InvalidReason::BadRepetition, start)),
                        // `{,5}` is a literal in ECMAScript but `{0,5}` to Python, whose
                        // reading cfn-lint uses: the pattern means different things.
                        Dialect::EcmaScript if self.peek_at(1) == Some(',') => {
                            return Err(self.unsupported(start, start + 2))
                        }
                        // Annex B: a brace that starts no quantifier is a literal.
                        Dialect::EcmaScript => {
                            self.literal('{');
                            self.i += 1;
                        }
                    },
                },
                '}' => {
                    self.literal('}');
                    self.i += 1;
                }
                '.' => {
                    let dot = match (self.dialect, self.flags().dot_all) {
                        (_, true) => "(?s:.)".to_string(),
                        (Dialect::Java, false) => format!("[^{JAVA_LINE_TERMINATORS}]"),
                        // Python's `.`, which cfn-lint uses, stops at `\n` only.
                        (Dialect::EcmaScript, false) => r"[^\n]".to_string(),
                    };
                    self.out.push_str(&dot);
                    self.i += 1;
                    self.repeatable = Repeatable::Yes;
                }
                '^' => {
                    self.out.push('^');
                    self.i += 1;
                    self.repeatable = Repeatable::Unknown;
                }
                '$' => {
                    self.i += 1;
                    // Java's `$` also matches before a line terminator that ends
                    // the value; that only matters when something after it can
                    // match the terminator.
                    let last_in_branch = self.groups.len() == 1 && matches!(self.peek(), None | Some('|'));
                    if self.dialect == Dialect::Java && !last_in_branch {
                        self.out.push_str(&format!(r"(?=(?:\r\n|[{JAVA_LINE_TERMINATORS}])?\z)"));
                        self.backtracks = true;
                    } else {
                        self.out.push('$');
                    }
                    self.repeatable = Repeatable::Unknown;
                }
                c => {
                    self.literal(c);
                    self.i += 1;
                }
            }
        }
        if self.groups.len() > 1 {
            let opened_at = self.groups.last().map_or(0, |g| g.opened_at);
            return Err(self.invalid(InvalidReason::UnclosedGroup, opened_at));
        }
        Ok(())
    }

    /// A quantifier just read (`text`), with its lazy `?` or possessive `+`.
    fn quantifier(&mut self, start: usize, text: String) -> Result<(), Problem> {
        if self.repeatable == Repeatable::No {
            return Err(self.invalid(InvalidReason::NothingToRepeat, start));
        }
        self.out.push_str(&text);
        match self.peek() {
            Some('?') => {
                self.out.push('?');
                self.i += 1;
            }
            // Possessive: Java's, not ECMAScript's.
            Some('+') if self.dialect == Dialect::Java => {
                self.out.push('+');
                self.i += 1;
                self.backtracks = true;
            }
            Some('+') => return Err(self.unsupported(start, self.i + 1)),
            _ => {}
        }
        self.repeatable = Repeatable::No;
        Ok(())
    }

    /// A literal character outside a class, folded if `(?i)` is in force.
    fn literal(&mut self, c: char) {
        if self.flags().case_insensitive && c.is_ascii_alphabetic() {
            let (lower, upper) = (c.to_ascii_lowercase(), c.to_ascii_uppercase());
            self.out.push_str(&format!("[{lower}{upper}]"));
        } else {
            push_char(&mut self.out, c);
        }
        self.repeatable = Repeatable::Yes;
    }

    fn open_group(&mut self) -> Result<(), Problem> {
        let start = self.i;
        let flags = self.flags();
        let rest: String = self.chars[start..self.chars.len().min(start + 4)].iter().collect();
        let (opening, skip) = if !rest.starts_with("(?") {
            self.captures += 1;
            ("(", 1)
        } else if rest.starts_with("(?:") {
            ("(?:", 3)
        } else if rest.starts_with("(?=") || rest.starts_with("(?!") {
            self.backtracks = true;
            (&rest[..3], 3)
        } else if rest.starts_with("(?<=") || rest.starts_with("(?<!") {
            self.backtracks = true;
            (&rest[..4], 4)
        } else if rest.starts_with("(?>") && self.dialect == Dialect::Java {
            self.backtracks = true;
            ("(?>", 3)
        } else if rest.starts_with("(?<") && rest[3..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            let name_end = (start + 3..self.chars.len()).find(|&j| !self.chars[j].is_ascii_alphanumeric());
            match name_end {
                Some(end) if self.chars[end] == '>' => {
                    let name: String = self.chars[start + 3..end].iter().collect();
                    self.captures += 1;
                    self.out.push_str(&format!("(?<{name}>"));
                    self.i = end + 1;
                    self.groups.push(Group { flags, opened_at: start });
                    self.repeatable = Repeatable::No;
                    return Ok(());
                }
                _ => return Err(self.unsupported(start, start + 3)),
            }
        } else {
            return self.flag_group(start);
        };
        self.out.push_str(opening);
        self.i += skip;
        self.groups.push(Group { flags, opened_at: start });
        self.repeatable = Repeatable::No;
        Ok(())
    }

    /// `(?is)`, `(?-i)` or `(?i:...)`. Only `i` and `s` mean the same in both
    /// dialects and the engine; ECMAScript's `m` is passed on.
    fn flag_group(&mut self, start: usize) -> Result<(), Problem> {
        let mut flags = self.flags();
        let mut multi_line = None;
        let mut j = start + 2;
        let mut negate = false;
        loop {
            match self.chars.get(j) {
                Some('-') if !negate => negate = true,
                Some('i') => flags.case_insensitive = !negate,
                Some('s') => flags.dot_all = !negate,
                Some('m') if self.dialect == Dialect::EcmaScript => multi_line = Some(!negate),
                Some(')' | ':') if j > start + 2 => break,
                // Named up to the end of the flag group: `(?x)`.
                _ => {
                    let end = (j..self.chars.len()).find(|&k| matches!(self.chars[k], ')' | ':'));
                    return Err(self.unsupported(start, end.map_or(j + 1, |end| end + 1)));
                }
            }
            j += 1;
        }
        let scoped = self.chars[j] == ':';
        let multi_line = match multi_line {
            Some(true) => "m",
            Some(false) => "-m",
            None => "",
        };
        if scoped {
            self.out.push_str(&format!("(?{multi_line}:"));
            self.groups.push(Group { flags, opened_at: start });
            self.repeatable = Repeatable::No;
        } else {
            if !multi_line.is_empty() {
                self.out.push_str(&format!("(?{multi_line})"));
            }
            self.set_flags(flags);
            self.repeatable = Repeatable::Unknown;
        }
        self.i = j + 1;
        Ok(())
    }

    fn escape_outside_class(&mut self) -> Result<(), Problem> {
        let start = self.i;
        let Some(c) = self.peek_at(1) else {
            return Err(self.invalid(InvalidReason::BadEscape, start));
        };
        match (self.dialect, c) {
            (Dialect::Java, 'A') => self.assertion(r"\A", 2),
            (Dialect::Java, 'z') => self.assertion(r"\z", 2),
            (Dialect::Java, 'Z') => {
                self.assertion(&format!(r"(?=(?:\r\n|[{JAVA_LINE_TERMINATORS}])?\z)"), 2);
                self.backtracks = true;
            }
            (Dialect::Java, 'R') => {
                self.backtracks = true;
                self.out.push_str(&format!(r"(?>\r\n|[\n\x{{B}}\x{{C}}\r\x{{85}}\x{{2028}}\x{{2029}}])"));
                self.i += 2;
                self.repeatable = Repeatable::Yes;
            }
            (Dialect::Java, 'Q') => {
                self.i += 2;
                while self.i < self.chars.len() {
                    if self.peek() == Some('\\') && self.peek_at(1) == Some('E') {
                        self.i += 2;
                        return Ok(());
                    }
                    let c = self.chars[self.i];
                    self.literal(c);
                    self.i += 1;
                }
            }
            (Dialect::Java, 'k') if self.peek_at(2) == Some('<') => {
                if self.flags().case_insensitive {
                    return Err(self.unsupported(start, start + 2));
                }
                let end = (start + 3..self.chars.len()).find(|&j| self.chars[j] == '>');
                let Some(end) = end else { return Err(self.invalid(InvalidReason::BadEscape, start)) };
                let name: String = self.chars[start + 3..end].iter().collect();
                self.out.push_str(&format!(r"\k<{name}>"));
                self.backtracks = true;
                self.i = end + 1;
                self.repeatable = Repeatable::Yes;
            }
            (Dialect::Java, '1'..='9') => {
                if self.flags().case_insensitive {
                    return Err(self.unsupported(start, start + 2));
                }
                // The longest run of digits that names an existing group; the
                // digits after it are literals.
                let digits: String =
                    self.chars[start + 1..].iter().take_while(|c| c.is_ascii_digit()).collect::<String>();
                let mut len = digits.len();
                while len > 1 && digits[..len].parse::<usize>().map_or(true, |n| n > self.captures) {
                    len -= 1;
                }
                // Grouped, so that a literal digit after it stays a literal.
                self.out.push_str(&format!(r"(?:\{})", &digits[..len]));
                self.backtracks = true;
                self.i = start + 1 + len;
                self.repeatable = Repeatable::Yes;
            }
            (Dialect::EcmaScript, 'b' | 'B') => {
                // ECMAScript's word boundary is ASCII.
                let text = if c == 'b' {
                    format!("(?:(?<=[{WORD}])(?![{WORD}])|(?<![{WORD}])(?=[{WORD}]))")
                } else {
                    format!("(?:(?<=[{WORD}])(?=[{WORD}])|(?<![{WORD}])(?![{WORD}]))")
                };
                self.assertion(&text, 2);
                self.backtracks = true;
            }
            _ => match self.escape()? {
                ClassItem::Char(c) => self.literal(c),
                ClassItem::Set(set) => {
                    self.out.push_str(&set);
                    self.repeatable = Repeatable::Yes;
                }
            },
        }
        Ok(())
    }

    fn assertion(&mut self, text: &str, len: usize) {
        self.out.push_str(text);
        self.i += len;
        self.repeatable = Repeatable::Unknown;
    }

    /// An escape that stands for characters, at `self.i` (the backslash):
    /// one character, or a class. Advances past it. Assertions and
    /// backreferences are handled before, outside classes; inside one they
    /// are not checked.
    fn escape(&mut self) -> Result<ClassItem, Problem> {
        let start = self.i;
        let Some(c) = self.peek_at(1) else {
            return Err(self.invalid(InvalidReason::BadEscape, start));
        };
        self.i += 2;
        let java = self.dialect == Dialect::Java;
        let class = |negated: bool, members: &str| {
            if negated {
                format!("[^{members}]")
            } else {
                format!("[{members}]")
            }
        };
        let item = match c {
            'd' | 'D' => ClassItem::Set(class(c == 'D', "0-9")),
            'w' | 'W' => ClassItem::Set(class(c == 'W', WORD)),
            's' | 'S' if java => ClassItem::Set(class(c == 'S', JAVA_SPACE)),
            's' | 'S' => ClassItem::Set(class(c == 'S', UNICODE_SPACE)),
            'h' | 'H' if java => {
                ClassItem::Set(class(c == 'H', r" \t\x{A0}\x{1680}\x{180E}\x{2000}-\x{200A}\x{202F}\x{205F}\x{3000}"))
            }
            'v' | 'V' if java => ClassItem::Set(class(c == 'V', r"\n\x{B}\x{C}\r\x{85}\x{2028}\x{2029}")),
            'v' => ClassItem::Char('\u{B}'),
            't' => ClassItem::Char('\t'),
            'n' => ClassItem::Char('\n'),
            'r' => ClassItem::Char('\r'),
            'f' => ClassItem::Char('\u{C}'),
            'a' if java => ClassItem::Char('\u{7}'),
            'e' if java => ClassItem::Char('\u{1B}'),
            'c' if java => {
                let Some(control) = self.peek() else { return Err(self.invalid(InvalidReason::BadEscape, start)) };
                self.i += 1;
                ClassItem::Char(char::from_u32(control as u32 ^ 64).unwrap_or(control))
            }
            '0' if java => {
                // `\0n`, `\0nn` or `\0mnn` with m at most 3.
                let octal = |j: usize| self.chars.get(j).and_then(|c| c.to_digit(8));
                let digits = match (octal(self.i), octal(self.i + 1), octal(self.i + 2)) {
                    (Some(m), Some(_), Some(_)) if m <= 3 => 3,
                    (Some(_), Some(_), _) => 2,
                    (Some(_), None, _) => 1,
                    (None, _, _) => return Err(self.invalid(InvalidReason::BadEscape, start)),
                };
                let text: String = self.chars[self.i..self.i + digits].iter().collect();
                self.i += digits;
                ClassItem::Char(char::from_u32(u32::from_str_radix(&text, 8).unwrap_or(0)).unwrap_or('\0'))
            }
            'x' if self.peek() == Some('{') && java => {
                let end = (self.i..self.chars.len()).find(|&j| self.chars[j] == '}');
                let code = end.and_then(|end| self.hex(self.i + 1, end));
                match (end, code.and_then(char::from_u32)) {
                    (Some(end), Some(c)) => {
                        self.i = end + 1;
                        ClassItem::Char(c)
                    }
                    _ => return Err(self.invalid(InvalidReason::BadEscape, start)),
                }
            }
            'x' => match self.hex(self.i, self.i + 2).and_then(char::from_u32) {
                Some(c) => {
                    self.i += 2;
                    ClassItem::Char(c)
                }
                None => return Err(self.invalid(InvalidReason::BadEscape, start)),
            },
            'u' if !java && self.peek() == Some('{') => return Err(self.unsupported(start, self.i)),
            'u' => {
                let Some(code) = self.hex(self.i, self.i + 4) else {
                    return Err(self.invalid(InvalidReason::BadEscape, start));
                };
                self.i += 4;
                // A surrogate pair written as two escapes is one character.
                let low = (self.peek() == Some('\\') && self.peek_at(1) == Some('u'))
                    .then(|| self.hex(self.i + 2, self.i + 6))
                    .flatten()
                    .filter(|low| (0xDC00..0xE000).contains(low));
                match (code, low) {
                    (0xD800..=0xDBFF, Some(low)) => {
                        self.i += 6;
                        let c = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                        ClassItem::Char(char::from_u32(c).unwrap_or('\u{FFFD}'))
                    }
                    // A lone surrogate has no meaning outside UTF-16.
                    (0xD800..=0xDFFF, _) => return Err(self.unsupported(start, self.i)),
                    (code, _) => ClassItem::Char(char::from_u32(code).unwrap_or('\u{FFFD}')),
                }
            }
            'p' | 'P' if java => {
                let (name, end) = if self.peek() == Some('{') {
                    let end = (self.i..self.chars.len()).find(|&j| self.chars[j] == '}');
                    let Some(end) = end else { return Err(self.invalid(InvalidReason::BadEscape, start)) };
                    (self.chars[self.i + 1..end].iter().collect::<String>(), end + 1)
                } else {
                    (self.peek().map(String::from).unwrap_or_default(), self.i + 1)
                };
                // `\p{Lower}` under `(?i)` matches both cases in Java.
                let folds = matches!(name.as_str(), "Lower" | "Upper") && self.flags().case_insensitive;
                match posix_class(&name).filter(|_| !folds) {
                    Some(members) => {
                        self.i = end;
                        ClassItem::Set(class(c == 'P', members))
                    }
                    None => return Err(self.unsupported(start, end)),
                }
            }
            c if c.is_ascii_alphanumeric() => match self.dialect {
                // Java gives every letter after a backslash a meaning or rejects it.
                Dialect::Java if c.is_ascii_alphabetic() && !"bBGXNkEQAzZR".contains(c) => {
                    return Err(self.invalid(InvalidReason::UnknownEscape(c), start))
                }
                // Word boundaries (which need Unicode tables), `\G`, `\X`, `\N`,
                // backreferences inside a class: not checked.
                _ => return Err(self.unsupported(start, self.i)),
            },
            // An escaped punctuation character (or space) is that character.
            c if c.is_ascii_punctuation() || c == ' ' => ClassItem::Char(c),
            c if java && !c.is_alphabetic() => ClassItem::Char(c),
            _ => return Err(self.unsupported(start, self.i)),
        };
        Ok(item)
    }

    /// The hexadecimal number in `chars[from..to]`, if it is one.
    fn hex(&self, from: usize, to: usize) -> Option<u32> {
        let digits: String = self.chars.get(from..to)?.iter().collect();
        if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        u32::from_str_radix(&digits, 16).ok()
    }

    /// The character class at `self.i` (`[`), in regex-syntax form.
    fn class(&mut self) -> Result<String, Problem> {
        let start = self.i;
        self.i += 1;
        let mut out = String::from("[");
        if self.peek() == Some('^') {
            out.push('^');
            self.i += 1;
        }
        // `]` first in a class is a literal in Java; `[]` and `[^]` are whole
        // patterns in ECMAScript, not worth emulating.
        if self.peek() == Some(']') {
            if self.dialect == Dialect::EcmaScript {
                return Err(self.unsupported(start, self.i + 1));
            }
            self.class_char(&mut out, ']');
            self.i += 1;
        }
        let folds = self.flags().case_insensitive;
        loop {
            let Some(c) = self.peek() else {
                return Err(self.invalid(InvalidReason::UnclosedClass, start));
            };
            match c {
                ']' => {
                    self.i += 1;
                    out.push(']');
                    return Ok(out);
                }
                '[' if self.dialect == Dialect::Java => {
                    let nested = self.class()?;
                    out.push_str(&nested);
                    self.backtracks = true;
                }
                '&' if self.dialect == Dialect::Java && self.peek_at(1) == Some('&') => {
                    out.push_str("&&");
                    self.i += 2;
                    self.backtracks = true;
                }
                '\\' if self.dialect == Dialect::Java && self.peek_at(1) == Some('Q') => {
                    self.i += 2;
                    loop {
                        match self.peek() {
                            None => return Err(self.invalid(InvalidReason::UnclosedClass, start)),
                            Some('\\') if self.peek_at(1) == Some('E') => {
                                self.i += 2;
                                break;
                            }
                            Some(c) => {
                                self.class_char(&mut out, c);
                                self.i += 1;
                            }
                        }
                    }
                }
                _ => {
                    let item_start = self.i;
                    let item = self.class_atom()?;
                    match item {
                        // `[\w-+]`: a `-` after a class is a literal in both dialects.
                        ClassItem::Set(set) => self.push_set(&mut out, &set),
                        ClassItem::Char(low) => {
                            let is_range = self.peek() == Some('-')
                                && !matches!(self.peek_at(1), None | Some(']'))
                                && !(self.dialect == Dialect::Java && self.peek_at(1) == Some('['));
                            if !is_range {
                                self.class_char(&mut out, low);
                                continue;
                            }
                            self.i += 1;
                            let high_start = self.i;
                            match self.class_atom()? {
                                ClassItem::Char(high) if high >= low => {
                                    push_class_range(&mut out, low, high, folds);
                                }
                                ClassItem::Char(_) => {
                                    return Err(self.invalid(InvalidReason::BadRange, item_start));
                                }
                                // Annex B: `[a-\d]` is `a`, `-` and the digits.
                                ClassItem::Set(set) if self.dialect == Dialect::EcmaScript => {
                                    self.class_char(&mut out, low);
                                    self.class_char(&mut out, '-');
                                    self.push_set(&mut out, &set);
                                }
                                ClassItem::Set(_) => {
                                    return Err(self.invalid(InvalidReason::BadRange, high_start));
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// A class escape inside a class: its members written out when it is
    /// not negated (`[\w.]` is `[0-9A-Za-z_.]`), else nested.
    fn push_set(&mut self, out: &mut String, set: &str) {
        match set.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            Some(members) if !members.starts_with('^') => out.push_str(members),
            _ => {
                out.push_str(set);
                self.backtracks = true;
            }
        }
    }

    /// One character or class escape inside a class.
    fn class_atom(&mut self) -> Result<ClassItem, Problem> {
        match self.peek() {
            Some('\\') => self.escape(),
            Some(c) => {
                self.i += 1;
                Ok(ClassItem::Char(c))
            }
            None => Err(self.invalid(InvalidReason::UnclosedClass, self.i)),
        }
    }

    /// A literal character inside a class, with its other case under `(?i)`.
    fn class_char(&self, out: &mut String, c: char) {
        push_char(out, c);
        if self.flags().case_insensitive && c.is_ascii_alphabetic() {
            let other = if c.is_ascii_lowercase() { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() };
            out.push(other);
        }
    }
}

/// A range inside a class; under `(?i)` also the other case of its ASCII letters.
fn push_class_range(out: &mut String, low: char, high: char, folds: bool) {
    push_char(out, low);
    out.push('-');
    push_char(out, high);
    if !folds {
        return;
    }
    for (from, to) in [('a', 'z'), ('A', 'Z')] {
        let (start, end) = (low.max(from), high.min(to));
        if start <= end {
            let flip = |c: char| if c.is_ascii_lowercase() { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() };
            out.push(flip(start));
            out.push('-');
            out.push(flip(end));
        }
    }
}

/// A character as regex-syntax reads it literally anywhere: letters and
/// digits as they are, anything else as a code point.
fn push_char(out: &mut String, c: char) {
    if c.is_ascii_alphanumeric() {
        out.push(c);
    } else {
        out.push_str(&format!("\\x{{{:X}}}", c as u32));
    }
}

/// Java's POSIX classes (`\p{Alpha}`), which are ASCII.
fn posix_class(name: &str) -> Option<&'static str> {
    Some(match name {
        "Lower" => "a-z",
        "Upper" => "A-Z",
        "ASCII" => r"\x{0}-\x{7F}",
        "Alpha" => "A-Za-z",
        "Digit" => "0-9",
        "Alnum" => "0-9A-Za-z",
        "Punct" => r"\x{21}-\x{2F}\x{3A}-\x{40}\x{5B}-\x{60}\x{7B}-\x{7E}",
        "Graph" => r"\x{21}-\x{7E}",
        "Print" => r"\x{20}-\x{7E}",
        "Blank" => r" \t",
        "Cntrl" => r"\x{0}-\x{1F}\x{7F}",
        "XDigit" => "0-9A-Fa-f",
        "Space" => JAVA_SPACE,
        _ => return None,
    })
}

/// The length of a quantifier `{n}`, `{n,}` or `{n,m}` at the start of `chars`.
fn quantifier_len(chars: &[char]) -> Option<usize> {
    let mut i = 1;
    let digits = |i: &mut usize| {
        let start = *i;
        while chars.get(*i).is_some_and(char::is_ascii_digit) {
            *i += 1;
        }
        *i > start
    };
    if !digits(&mut i) {
        return None;
    }
    if chars.get(i) == Some(&',') {
        i += 1;
        digits(&mut i);
    }
    (chars.get(i) == Some(&'}')).then_some(i + 1)
}

/// Whether `{n,m}` has `n <= m` (`{n}` and `{n,}` always do).
fn repetition_is_ordered(text: &str) -> bool {
    let inner = &text[1..text.len() - 1];
    match inner.split_once(',') {
        Some((low, high)) if !high.is_empty() => match (low.parse::<u64>(), high.parse::<u64>()) {
            (Ok(low), Ok(high)) => low <= high,
            _ => false,
        },
        _ => true,
    }
}

#[cfg(test)]
mod tests;
