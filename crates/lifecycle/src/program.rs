//! The program as `infrac build` made it: its stacks in deploy order, each
//! with its template and what the lifecycle must know about its parameters.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// One stack of the built program.
#[derive(Clone, Debug)]
pub struct BuiltStack {
    pub name: String,
    pub template: Value,
    /// The template as written to `out/` and submitted to CloudFormation.
    pub text: String,
    /// The stacks whose exports this one imports (they deploy first).
    pub depends_on: Vec<String>,
    /// The keys of the file assets its template names ([`Program::assets`]).
    pub assets: Vec<String>,
    /// The tags of the images its template names ([`Program::images`]).
    pub images: Vec<String>,
}

impl BuiltStack {
    pub fn new(name: &str, template: Value, depends_on: Vec<String>) -> BuiltStack {
        let text = infrac::backend::to_text(&template);
        BuiltStack { name: name.to_string(), template, text, depends_on, assets: Vec::new(), images: Vec::new() }
    }

    /// The stack, needing the file assets with these keys.
    pub fn with_assets(mut self, keys: Vec<String>) -> BuiltStack {
        self.assets = keys;
        self
    }

    /// The stack, needing the images with these tags.
    pub fn with_images(mut self, tags: Vec<String>) -> BuiltStack {
        self.images = tags;
        self
    }

    /// Each parameter's default, if it has one.
    pub fn parameter_defaults(&self) -> BTreeMap<String, Option<String>> {
        self.parameters()
            .map(|(name, declaration)| (name.clone(), declaration.get("Default").map(scalar_text)))
            .collect()
    }

    /// The parameters declared `NoEcho` (`@secret`): their values are never shown.
    pub fn secret_parameters(&self) -> BTreeSet<String> {
        self.parameters()
            .filter(|(_, declaration)| declaration.get("NoEcho").and_then(Value::as_bool) == Some(true))
            .map(|(name, _)| name.clone())
            .collect()
    }

    /// Output key -> export name, for the outputs that export.
    pub fn exports(&self) -> BTreeMap<String, String> {
        exports_of(&self.template)
    }

    fn parameters(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.template.get("Parameters").and_then(Value::as_object).into_iter().flatten()
    }
}

/// Output key -> export name in a template, for outputs whose export name
/// is a plain string (the ones infrac writes with `Fn::Sub` are resolved by
/// CloudFormation; the deployed stack's outputs give their values).
pub fn exports_of(template: &Value) -> BTreeMap<String, String> {
    let mut exports = BTreeMap::new();
    for (key, output) in template.get("Outputs").and_then(Value::as_object).into_iter().flatten() {
        if let Some(Value::String(name)) = output.get("Export").and_then(|e| e.get("Name")) {
            exports.insert(key.clone(), name.clone());
        }
    }
    exports
}

/// A parameter value as CloudFormation takes it: text.
pub fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Array(items) => items.iter().map(scalar_text).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

/// The built program: stacks in deploy order, and the file assets and
/// images they need published.
#[derive(Clone, Debug, Default)]
pub struct Program {
    pub stacks: Vec<BuiltStack>,
    pub assets: Vec<FileAsset>,
    pub images: Vec<infrac::assets::images::Image>,
    /// The bucket and repository the templates name for them.
    pub staging: infrac::assets::Staging,
}

/// A packaged file asset (`asset(PATH)`), ready to upload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileAsset {
    /// The object key in the staging bucket, as the templates name it.
    pub key: String,
    /// The file or folder it was made from, for messages.
    pub path: String,
    pub bytes: Vec<u8>,
}

impl Program {
    pub fn new(stacks: Vec<BuiltStack>) -> Program {
        Program { stacks, assets: Vec::new(), images: Vec::new(), staging: Default::default() }
    }

    pub fn asset(&self, key: &str) -> Option<&FileAsset> {
        self.assets.iter().find(|asset| asset.key == key)
    }

    pub fn stack(&self, name: &str) -> Option<&BuiltStack> {
        self.stacks.iter().find(|s| s.name == name)
    }

    /// Exactly the stacks named, in deploy order; every stack when `names`
    /// is empty. Unknown names are returned as the error.
    pub fn named(&self, names: &[String]) -> Result<Vec<&BuiltStack>, Vec<String>> {
        self.closure(names, |_| Vec::new())
    }

    /// The stacks named and every stack they depend on, in deploy order;
    /// every stack when `names` is empty. Unknown names are returned as the error.
    pub fn with_dependencies(&self, names: &[String]) -> Result<Vec<&BuiltStack>, Vec<String>> {
        self.closure(names, |stack| stack.depends_on.clone())
    }

    /// The stacks named and every stack that depends on them, in deploy
    /// order (destroy walks it backwards).
    pub fn with_dependents(&self, names: &[String]) -> Result<Vec<&BuiltStack>, Vec<String>> {
        self.closure(names, |stack| {
            self.stacks.iter().filter(|other| other.depends_on.contains(&stack.name)).map(|o| o.name.clone()).collect()
        })
    }

    fn closure(
        &self,
        names: &[String],
        next: impl Fn(&BuiltStack) -> Vec<String>,
    ) -> Result<Vec<&BuiltStack>, Vec<String>> {
        if names.is_empty() {
            return Ok(self.stacks.iter().collect());
        }
        let unknown: Vec<String> = names.iter().filter(|n| self.stack(n).is_none()).cloned().collect();
        if !unknown.is_empty() {
            return Err(unknown);
        }
        let mut wanted: BTreeSet<String> = BTreeSet::new();
        let mut queue: Vec<String> = names.to_vec();
        while let Some(name) = queue.pop() {
            if wanted.insert(name.clone()) {
                if let Some(stack) = self.stack(&name) {
                    queue.extend(next(stack));
                }
            }
        }
        Ok(self.stacks.iter().filter(|s| wanted.contains(&s.name)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn program() -> Program {
        let stack =
            |name: &str, deps: &[&str]| BuiltStack::new(name, json!({}), deps.iter().map(|d| d.to_string()).collect());
        Program::new(vec![
            stack("Network", &[]),
            stack("Data", &[]),
            stack("App", &["Network", "Data"]),
            stack("Ops", &["App"]),
        ])
    }

    fn names(stacks: Result<Vec<&BuiltStack>, Vec<String>>) -> Vec<String> {
        stacks.unwrap().iter().map(|s| s.name.clone()).collect()
    }

    #[test]
    fn selections_follow_dependencies_in_deploy_order() {
        let program = program();
        assert_eq!(names(program.with_dependencies(&["App".into()])), ["Network", "Data", "App"]);
        assert_eq!(names(program.with_dependents(&["Network".into()])), ["Network", "App", "Ops"]);
        assert_eq!(names(program.with_dependencies(&[])), ["Network", "Data", "App", "Ops"]);
        assert_eq!(names(program.named(&["Ops".into(), "Network".into()])), ["Network", "Ops"]);
        assert_eq!(program.with_dependencies(&["Nope".into()]).unwrap_err(), ["Nope"]);
    }

    #[test]
    fn reads_parameters_and_exports() {
        let stack = BuiltStack::new(
            "App",
            json!({
                "Parameters": {
                    "Stage": { "Type": "String", "Default": "dev" },
                    "Password": { "Type": "String", "NoEcho": true },
                    "Zones": { "Type": "CommaDelimitedList", "Default": ["a", "b"] }
                },
                "Outputs": { "Url": { "Value": "x", "Export": { "Name": "App-Url" } }, "Plain": { "Value": "y" } }
            }),
            vec![],
        );
        assert_eq!(stack.secret_parameters().into_iter().collect::<Vec<_>>(), ["Password"]);
        let defaults = stack.parameter_defaults();
        assert_eq!(defaults["Stage"].as_deref(), Some("dev"));
        assert_eq!(defaults["Password"], None);
        assert_eq!(defaults["Zones"].as_deref(), Some("a,b"));
        assert_eq!(stack.exports().into_iter().collect::<Vec<_>>(), [("Url".to_string(), "App-Url".to_string())]);
    }
}
