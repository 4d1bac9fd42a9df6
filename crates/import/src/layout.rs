//! Layout: the infra expression tree the importer builds, written out as
//! text (objects and lists broken over lines when long, multi-line text as
//! `"""` strings) for `infrac fmt` to indent.

/// An infra expression.
#[derive(Clone, Debug)]
pub enum Node {
    /// Written as is: a number, `true`, a name, `aws.region`, `bucket.Arn`.
    Atom(String),
    /// A string, with interpolated expressions.
    Str(Vec<Part>),
    List(Vec<Node>),
    Object(Vec<(String, Node)>),
    Call(&'static str, Vec<Node>),
    Index(Box<Node>, Box<Node>),
    Unary(&'static str, Box<Node>),
    Binary(&'static str, Box<Node>, Box<Node>),
    Chain(&'static str, Vec<Node>),
    Ternary(Box<Node>, Box<Node>, Box<Node>),
}

#[derive(Clone, Debug)]
pub enum Part {
    Text(String),
    Expr(Node),
}

impl Node {
    pub fn text(text: impl Into<String>) -> Node {
        Node::Str(vec![Part::Text(text.into())])
    }

    /// How tightly the expression binds: operands looser than their
    /// operator are parenthesised.
    fn precedence(&self) -> u8 {
        match self {
            Node::Ternary(..) => 0,
            Node::Chain("||", _) => 2,
            Node::Chain(..) => 3,
            Node::Binary(..) => 4,
            Node::Unary(..) => 9,
            _ => 10,
        }
    }
}

/// Objects and lists longer than this on one line are broken over lines.
const WIDTH: usize = 72;

/// A name that may stand bare as an object key.
pub fn is_word(key: &str) -> bool {
    let mut chars = key.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !matches!(key, "true" | "false" | "null")
}

pub fn key(key: &str) -> String {
    if is_word(key) {
        key.to_string()
    } else {
        quote(key)
    }
}

/// A plain string literal, escaped.
pub fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    escape_into(&mut out, text, false);
    out.push('"');
    out
}

fn escape_into(out: &mut String, text: &str, triple: bool) {
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' if !triple || chars.get(i + 1..i + 3) == Some(&['"', '"']) => out.push_str("\\\""),
            '\n' if !triple => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '$' if chars.get(i + 1) == Some(&'{') => out.push_str("\\$"),
            c => out.push(c),
        }
    }
}

/// The expression on one line.
pub fn flat(node: &Node) -> String {
    match node {
        Node::Atom(text) => text.clone(),
        Node::Str(parts) => single_line_string(parts),
        Node::List(items) => format!("[{}]", items.iter().map(flat).collect::<Vec<_>>().join(", ")),
        Node::Object(entries) if entries.is_empty() => "{}".to_string(),
        Node::Object(entries) => {
            let inner: Vec<String> = entries.iter().map(|(k, v)| format!("{}: {}", key(k), flat(v))).collect();
            format!("{{ {} }}", inner.join(", "))
        }
        Node::Call(name, args) => format!("{name}({})", args.iter().map(flat).collect::<Vec<_>>().join(", ")),
        Node::Index(target, index) => format!("{}[{}]", operand(target, 10), flat(index)),
        Node::Unary(op, inner) => format!("{op}{}", operand(inner, 9)),
        Node::Binary(op, a, b) => format!("{} {op} {}", operand(a, 5), operand(b, 5)),
        Node::Chain(op, items) => {
            let prec = node.precedence();
            items.iter().map(|i| operand(i, prec)).collect::<Vec<_>>().join(&format!(" {op} "))
        }
        Node::Ternary(c, a, b) => format!("{} ? {} : {}", operand(c, 1), operand(a, 1), operand(b, 0)),
    }
}

fn operand(node: &Node, min: u8) -> String {
    if node.precedence() < min {
        format!("({})", flat(node))
    } else {
        flat(node)
    }
}

fn single_line_string(parts: &[Part]) -> String {
    let mut out = String::from("\"");
    for part in parts {
        match part {
            Part::Text(text) => escape_into(&mut out, text, false),
            Part::Expr(node) => {
                out.push_str("${");
                out.push_str(&flat(node));
                out.push('}');
            }
        }
    }
    out.push('"');
    out
}

/// The expression laid out at `depth` levels of indentation: long objects
/// and lists one entry per line, multi-line text as a `"""` string.
pub fn layout(node: &Node, depth: usize) -> String {
    match node {
        Node::Str(parts) => multi_line_string(parts, depth).unwrap_or_else(|| single_line_string(parts)),
        Node::List(items) if !items.is_empty() && !fits(node) => {
            let pad = "  ".repeat(depth + 1);
            let inner: Vec<String> = items.iter().map(|i| format!("{pad}{}", layout(i, depth + 1))).collect();
            format!("[\n{}\n{}]", inner.join("\n"), "  ".repeat(depth))
        }
        Node::Object(entries) if !entries.is_empty() && !fits(node) => {
            let pad = "  ".repeat(depth + 1);
            let inner: Vec<String> =
                entries.iter().map(|(k, v)| format!("{pad}{}: {}", key(k), layout(v, depth + 1))).collect();
            format!("{{\n{}\n{}}}", inner.join("\n"), "  ".repeat(depth))
        }
        Node::Call(name, args)
            if !fits(node) && matches!(args.last(), Some(Node::Object(_) | Node::List(_) | Node::Str(_))) =>
        {
            // `f(a, {` ... `})`: only the last argument spreads.
            let (last, first) = args.split_last().expect("matched a last argument");
            let mut head: Vec<String> = first.iter().map(flat).collect();
            head.push(layout(last, depth));
            format!("{name}({})", head.join(", "))
        }
        Node::Ternary(c, a, b) if !fits(node) => {
            format!(
                "{}\n{pad}? {}\n{pad}: {}",
                operand(c, 1),
                parenthesised_layout(a, depth + 1, 1),
                parenthesised_layout(b, depth + 1, 0),
                pad = "  ".repeat(depth + 1)
            )
        }
        _ => flat(node),
    }
}

fn parenthesised_layout(node: &Node, depth: usize, min: u8) -> String {
    if node.precedence() < min {
        format!("({})", layout(node, depth))
    } else {
        layout(node, depth)
    }
}

fn fits(node: &Node) -> bool {
    let text = flat(node);
    text.len() <= WIDTH && !text.contains('\n')
}

/// A `"""` string when the text has several lines and the lexer's dedent
/// gives back exactly this text; `None` otherwise.
fn multi_line_string(parts: &[Part], depth: usize) -> Option<String> {
    let text: String = parts
        .iter()
        .map(|p| match p {
            Part::Text(t) => t.clone(),
            Part::Expr(_) => "\u{0}".to_string(),
        })
        .collect();
    if text.matches('\n').count() < 2 || text.contains('\r') {
        return None;
    }
    // The lexer removes the indentation common to the lines that are not
    // blank: one of them must start at the margin, or it would remove more.
    if !text.split('\n').any(|line| line.starts_with(|c: char| !c.is_whitespace())) {
        return None;
    }
    let pad = "  ".repeat(depth + 1);
    let mut out = String::from("\"\"\"\n");
    let mut line_start = true;
    for part in parts {
        match part {
            Part::Text(t) => {
                for (n, line) in t.split('\n').enumerate() {
                    if n > 0 {
                        out.push('\n');
                        line_start = true;
                    }
                    if !line.is_empty() {
                        if line_start {
                            out.push_str(&pad);
                        }
                        escape_into(&mut out, line, true);
                        line_start = false;
                    }
                }
            }
            Part::Expr(node) => {
                if line_start {
                    out.push_str(&pad);
                }
                out.push_str("${");
                out.push_str(&flat(node));
                out.push('}');
                line_start = false;
            }
        }
    }
    out.push('\n');
    out.push_str(&pad);
    out.push_str("\"\"\"");
    Some(out)
}
