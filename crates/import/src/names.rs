//! Names: from CloudFormation logical IDs to snake_case infra names whose
//! PascalCase is the logical ID again, with `@logical_id` where none is.

use std::collections::{BTreeSet, HashMap};

use infrac::check::pascal_case;

/// Words the lexer reads as keywords, which cannot name a declaration.
pub(crate) const KEYWORDS: &[&str] =
    &["param", "let", "resource", "output", "construct", "stack", "import", "for", "in", "true", "false", "null"];

/// The snake_case spelling of a logical ID: a break before an upper-case
/// letter that follows a lower-case letter or a digit, and before the last
/// letter of a run of capitals that starts a word (`VPCId` -> `vpc_id`).
pub fn snake_case(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    let mut out = String::with_capacity(id.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_ascii_alphanumeric() {
            out.push('_');
            continue;
        }
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase() || prev.is_ascii_digit() || (prev.is_ascii_uppercase() && next_lower) {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// A declaration's infra name and, when its PascalCase is not the logical
/// ID, the ID to keep with `@logical_id`.
#[derive(Clone, Debug)]
pub struct Name {
    pub ident: String,
    pub logical_id: Option<String>,
}

/// Assigns unique names within one namespace of the program.
#[derive(Default)]
pub struct Namer {
    taken: BTreeSet<String>,
}

impl Namer {
    /// The name for `id`. With `exact`, the declaration has no `@logical_id`
    /// (a mapping is named only after its `let`): the name is then the ID
    /// itself when no snake_case name spells it.
    pub fn name(&mut self, id: &str, exact: bool) -> Name {
        let snake = snake_case(id);
        let mut ident = snake.clone();
        if KEYWORDS.contains(&ident.as_str()) || ident == "aws" {
            // A trailing `_` keeps the PascalCase.
            ident.push('_');
        }
        let mut fits = pascal_case(&ident) == id;
        if ident.is_empty() {
            ident.push('_');
        }
        let is_identifier = id.starts_with(|c: char| c.is_ascii_alphabetic())
            && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if exact && !fits && is_identifier && !self.taken.contains(id) && !KEYWORDS.contains(&id) {
            ident = id.to_string();
            fits = pascal_case(&ident) == id;
        }
        let mut n = 2;
        while self.taken.contains(&ident) {
            ident = format!("{snake}_{n}");
            n += 1;
            fits = false;
        }
        self.taken.insert(ident.clone());
        Name { ident, logical_id: (!fits).then(|| id.to_string()) }
    }
}

/// What a logical ID names in the template, for `Ref` and friends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Parameter,
    Resource,
}

/// Every name of a template: logical ID to infra name, per section.
#[derive(Default)]
pub struct Names {
    pub entities: HashMap<String, (Kind, Name)>,
    /// Groups raised to a construct, by the logical ID of their primary
    /// resource.
    pub raised: HashMap<String, crate::constructs::Raise>,
    /// Resources a raised instance makes other than its primary one.
    pub absorbed: Vec<String>,
    /// Template values a raised instance's outputs build, and the
    /// expressions that read them (`net.public_subnet_ids[0]`).
    pub forms: Vec<(serde_json::Value, String)>,
    pub conditions: HashMap<String, Name>,
    pub mappings: HashMap<String, Name>,
    /// `Fn::ForEach` loops written as resource loops, by their key.
    pub loops: HashMap<String, crate::foreach::Loop>,
}

impl Names {
    /// The infra name of a parameter or resource.
    pub fn entity(&self, id: &str) -> Option<&(Kind, Name)> {
        self.entities.get(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_round_trips_where_it_can() {
        for (id, snake) in [
            ("MyBucket", "my_bucket"),
            ("S3Bucket", "s3_bucket"),
            ("VPCId", "vpc_id"),
            ("PublicSubnet1RouteTableAssociation", "public_subnet1_route_table_association"),
            ("EC2Instance", "ec2_instance"),
            ("myQueue", "my_queue"),
            ("VPC", "vpc"),
        ] {
            assert_eq!(snake_case(id), snake, "{id}");
        }
        let mut namer = Namer::default();
        assert!(namer.name("MyBucket", false).logical_id.is_none());
        assert_eq!(namer.name("VPC", false).logical_id.as_deref(), Some("VPC"));
        assert_eq!(namer.name("Resource", false).ident, "resource_");
        let mapping = namer.name("AWSRegionArch2AMI", true);
        assert_eq!((mapping.ident.as_str(), mapping.logical_id), ("AWSRegionArch2AMI", None));
    }
}
