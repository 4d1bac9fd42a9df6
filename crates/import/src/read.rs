//! Templates as text: read with the compiler's CloudFormation YAML reader
//! (`infrac::cfn_yaml`, YAML or JSON, short-form tags in their long form),
//! imported, and every problem placed at the template's line and column.

use infrac::cfn_yaml::{self, Node, Position, Tags, Value};

use crate::program::Comments;

use crate::problems::{Code, Problem};
use crate::Imported;

/// A problem at a place in the template's text (`None` for the whole
/// template).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Located {
    pub problem: Problem,
    pub at: Option<Position>,
}

/// An imported template's program and the warnings, each placed.
pub struct ImportedText {
    pub text: String,
    pub warnings: Vec<Located>,
}

/// Reads and imports a template's text. `stack_name` is as for
/// [`crate::import`].
pub fn import_text(text: &str, stack_name: &str) -> Result<ImportedText, Vec<Located>> {
    import_text_with(text, stack_name, false)
}

/// [`import_text`], raising groups of resources to constructs with
/// `constructs` ([`crate::import_with`]).
pub fn import_text_with(text: &str, stack_name: &str, constructs: bool) -> Result<ImportedText, Vec<Located>> {
    let root = match cfn_yaml::read(text, Tags::CloudFormation) {
        Ok(root) => root,
        Err(error) => {
            let code = match error.problem {
                cfn_yaml::Problem::UnknownTag(_) => Code::UnknownIntrinsic,
                _ => Code::InvalidTemplate,
            };
            let problem = Problem { code, message: error.problem.to_string(), at: vec![] };
            return Err(vec![Located { problem, at: Some(error.at) }]);
        }
    };
    let place = |problem: Problem| {
        // The deepest node of the path the template has: an intrinsic's name
        // is not a node of its own (its object is), and what `Fn::ForEach`
        // makes is found at its loop.
        let at =
            (1..=problem.at.len()).rev().find_map(|n| root.position_of(problem.at[..n].iter().map(String::as_str)));
        Located { problem, at }
    };
    let (kept, lost_lines) = kept_comments(text, &root);
    let mut lost: Vec<Located> = lost_lines
        .first()
        .map(|&line| Located {
            problem: Problem {
                code: Code::NotKept,
                message: format!(
                    "{} YAML comment{} cannot be kept: only whole-line comments right above a declaration are",
                    lost_lines.len(),
                    if lost_lines.len() == 1 { "" } else { "s" }
                ),
                at: vec![],
            },
            at: Some(Position { line, column: 1 }),
        })
        .into_iter()
        .collect();
    match crate::import_commented(&root.to_json(), stack_name, constructs, &kept) {
        Ok(Imported { text, warnings }) => {
            lost.extend(warnings.into_iter().map(place));
            Ok(ImportedText { text, warnings: lost })
        }
        Err(problems) => Err(problems.into_iter().map(place).collect()),
    }
}

/// The whole-line comments right above a declaration's key (the lines
/// just before it, up to a line that is no comment), by section and
/// logical ID; and the lines of every other comment.
fn kept_comments(text: &str, root: &Node) -> (Comments, Vec<usize>) {
    let all = yaml_comments(text);
    let lines: Vec<&str> = text.lines().collect();
    let whole_line = |n: usize| lines.get(n - 1).is_some_and(|l| l.trim_start().starts_with('#'));
    let mut kept = Comments::new();
    let mut used = Vec::new();
    for section in ["Parameters", "Mappings", "Conditions", "Resources", "Outputs"] {
        let Some(Node { value: Value::Map(entries), .. }) = root.get(section) else { continue };
        for (key, _) in entries {
            let mut first = key.at.line;
            while first > 1 && whole_line(first - 1) && all.contains(&(first - 1)) {
                first -= 1;
            }
            if first == key.at.line {
                continue;
            }
            let comment: Vec<String> = (first..key.at.line)
                .map(|n| {
                    let body = lines[n - 1].trim_start().trim_start_matches('#');
                    body.strip_prefix(' ').unwrap_or(body).trim_end().to_string()
                })
                .collect();
            used.extend(first..key.at.line);
            kept.insert((section.to_string(), key.name.clone()), comment);
        }
    }
    let lost = all.into_iter().filter(|n| !used.contains(n)).collect();
    (kept, lost)
}

/// The lines (from 1) holding a YAML comment: a `#` that starts a line or
/// follows a space, outside quotes and block scalars. JSON has none.
pub fn yaml_comments(text: &str) -> Vec<usize> {
    if text.trim_start().starts_with('{') {
        return Vec::new();
    }
    let mut found = Vec::new();
    // The indentation a block scalar's lines are deeper than.
    let mut block: Option<usize> = None;
    for (n, line) in text.lines().enumerate() {
        let indent = line.len() - line.trim_start().len();
        if let Some(parent) = block {
            if line.trim().is_empty() || indent > parent {
                continue;
            }
            block = None;
        }
        let mut quote: Option<char> = None;
        let mut previous = ' ';
        for c in line.chars() {
            match quote {
                Some(q) if c == q => quote = None,
                Some(_) => {}
                None if c == '#' && previous.is_whitespace() => {
                    found.push(n + 1);
                    break;
                }
                None if (c == '"' || c == '\'') && (previous.is_whitespace() || "[{,:-".contains(previous)) => {
                    quote = Some(c)
                }
                None => {}
            }
            previous = c;
        }
        let content = line.split(" #").next().unwrap_or(line).trim_end();
        if content.ends_with(['|', '>'])
            || content.rsplit_once(' ').is_some_and(|(_, last)| {
                last.starts_with(['|', '>']) && last[1..].chars().all(|c| c == '-' || c == '+' || c.is_ascii_digit())
            })
        {
            block = Some(indent);
        }
    }
    found
}

/// A problem for people: `error[I0103]: message`, then where, then the
/// template's line with a caret under the column.
pub fn render(path: &str, text: &str, located: &Located) -> String {
    let mut out = format!("{}\n", located.problem);
    match located.at {
        Some(at) => {
            out.push_str(&format!("  --> {path}:{}:{}\n", at.line, at.column));
            if let Some(line) = text.lines().nth(at.line - 1) {
                let number = at.line.to_string();
                let pad = " ".repeat(number.len());
                let caret: String = line
                    .chars()
                    .take(at.column.saturating_sub(1))
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                out.push_str(&format!("{pad} |\n{number} | {line}\n{pad} | {caret}^\n"));
            }
        }
        None => out.push_str(&format!("  --> {path}\n")),
    }
    if !located.problem.at.is_empty() {
        out.push_str(&format!("  = at {}\n", located.problem.path()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_found_outside_quotes_and_block_scalars() {
        let text = "# top\nA: 1 # after\nB: 'x # in quotes'\nC: \"y #z\"\nD: |\n  #!/bin/bash\n  echo # shell\nE: >-\n  # folded\nF: a#b\n  # indented\n";
        assert_eq!(yaml_comments(text), vec![1, 2, 11]);
        assert!(yaml_comments("{ \"A\": \"# not\" }").is_empty());
    }

    #[test]
    fn comments_right_above_a_declaration_are_kept() {
        let text = "Resources:\n  # The bucket.\n  #\n  # Holds the logs.\n  Logs:\n    Type: AWS::S3::Bucket # lost\n";
        let imported = import_text(text, "Stack").expect("imports");
        assert_eq!(imported.text, "// The bucket.\n//\n// Holds the logs.\nresource logs: AWS::S3::Bucket {}\n");
        assert_eq!(imported.warnings.len(), 1);
        assert_eq!(imported.warnings[0].at, Some(Position { line: 6, column: 1 }));
    }

    #[test]
    fn problems_are_placed_at_the_template_line() {
        let text =
            "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Ref Missing\n";
        let Err(problems) = import_text(text, "Stack") else { panic!("a Ref to nothing is an error") };
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].problem.code, Code::UnknownName);
        assert_eq!(problems[0].at, Some(Position { line: 5, column: 19 }));
        let rendered = render("t.yaml", text, &problems[0]);
        assert!(rendered.contains("--> t.yaml:5:19"), "{rendered}");
        let Err(problems) = import_text("Resources: [", "Stack") else { panic!("invalid YAML is an error") };
        assert_eq!(problems[0].problem.code, Code::InvalidTemplate);
        assert!(problems[0].at.is_some());
    }
}
