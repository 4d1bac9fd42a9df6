//! The source map: from a template's logical IDs back to the `.infra`
//! declarations that made them, written next to the templates at build time
//! (`<Stack>.sources.json`, see `docs/build-output.md`), so that what
//! CloudFormation reports by logical ID after the build (a resource that
//! failed to deploy, a property that drifted) is shown at the user's line
//! with the same snippet-and-label rendering as a compile error.
//!
//! The compiler keeps, per stack, each parameter's, resource's and output's
//! [`hir::Provenance`] as spans ([`Declarations`]); [`StackSourceMap::new`]
//! turns them into file names, byte ranges, lines and columns, which
//! [`StackSourceMap::to_json`] writes and [`StackSourceMap::from_json`]
//! reads back. A tool that reads it loads the files again ([`locate`]) and
//! builds the diagnostic ([`deploy_failure`], [`drift`]); a file edited since
//! the build, whose declaration may have moved, gives no location rather than
//! a wrong one.

use serde_json::{json, Map, Value};

use crate::diagnostics::{builder as diag, Diagnostic};
use crate::hir;
use crate::source::{SourceMap, Span};

/// The format's version, the `version` field of every file.
pub const VERSION: u64 = 1;

/// The source map file of a stack: `App` -> `App.sources.json`.
pub fn file_name(stack: &str) -> String {
    format!("{stack}.sources.json")
}

/// What the compiler keeps of a stack's declarations: each logical ID with
/// where it was declared, in template order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Declarations {
    pub parameters: Vec<(String, hir::Provenance)>,
    pub resources: Vec<(String, hir::Provenance)>,
    pub outputs: Vec<(String, hir::Provenance)>,
}

impl Declarations {
    pub fn of(stack: &hir::Stack) -> Declarations {
        Declarations {
            parameters: stack.parameters.iter().map(|p| (p.logical_id.clone(), p.provenance.clone())).collect(),
            resources: stack.resources.iter().map(|r| (r.logical_id.clone(), r.provenance.clone())).collect(),
            outputs: stack.outputs.iter().map(|o| (o.logical_id.clone(), o.provenance.clone())).collect(),
        }
    }
}

/// A place in a source file: the file as it was given to the compiler (a
/// standard-library file as `std/<namespace>.infra`), the byte range, the
/// 1-based line and column (in characters) of its start, and the text there
/// (a name, mostly), which tells whether the file still has it there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceLocation {
    pub file: String,
    pub start: u32,
    pub end: u32,
    pub line: u32,
    pub column: u32,
    pub text: String,
}

impl SourceLocation {
    pub fn of(sources: &SourceMap, span: Span) -> SourceLocation {
        let file = sources.get(span.file);
        let (line, column) = file.line_col(span.start);
        let text = file.text.get(span.range()).unwrap_or_default().to_string();
        let (line, column) = (line as u32, column as u32);
        SourceLocation { file: file.name.clone(), start: span.start, end: span.end, line, column, text }
    }

    fn to_json(&self) -> Value {
        json!({
            "file": self.file,
            "start": self.start,
            "end": self.end,
            "line": self.line,
            "column": self.column,
            "text": self.text,
        })
    }

    fn from_json(value: &Value) -> Result<SourceLocation, String> {
        let number = |key: &str| {
            value
                .get(key)
                .and_then(Value::as_u64)
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| format!("a location needs a number `{key}`"))
        };
        let string = |key: &str| {
            value
                .get(key)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| format!("a location needs a string `{key}`"))
        };
        Ok(SourceLocation {
            file: string("file")?,
            start: number("start")?,
            end: number("end")?,
            line: number("line")?,
            column: number("column")?,
            text: string("text")?,
        })
    }
}

/// Where one logical ID was declared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Declaration {
    /// The declaration's path from its stack (`site.bucket`, `queue["a"]`).
    pub path: String,
    /// The declaration in the user's code: the declaration's name, or the
    /// name of the user's instance of the standard-library construct that
    /// created it.
    pub at: SourceLocation,
    /// For what a standard-library construct created: the construct
    /// (`s3.Bucket`) and the declaration in the library.
    pub library: Option<(String, SourceLocation)>,
    /// A resource's top-level properties where the user wrote them (the
    /// property's key), in template order.
    pub properties: Vec<(String, SourceLocation)>,
}

impl Declaration {
    fn new(sources: &SourceMap, provenance: &hir::Provenance) -> Declaration {
        Declaration {
            path: provenance.path.clone(),
            at: SourceLocation::of(sources, provenance.span),
            library: provenance
                .library
                .as_ref()
                .map(|(construct, span)| (construct.clone(), SourceLocation::of(sources, *span))),
            properties: provenance
                .properties
                .iter()
                .map(|(name, span)| (name.clone(), SourceLocation::of(sources, *span)))
                .collect(),
        }
    }

    /// Where the user wrote the property at `path` (`BucketName`, or a
    /// nested path as CloudFormation gives it, `/Tags/0/Value`): the
    /// top-level property's key.
    pub fn property(&self, path: &str) -> Option<&SourceLocation> {
        let top = top_level_property(path)?;
        self.properties.iter().find(|(name, _)| name == top).map(|(_, location)| location)
    }

    fn to_json(&self) -> Value {
        let mut object = Map::new();
        object.insert("path".into(), Value::String(self.path.clone()));
        object.insert("at".into(), self.at.to_json());
        if let Some((construct, at)) = &self.library {
            let mut library = at.to_json();
            library.as_object_mut().expect("a location is an object").insert("construct".into(), json!(construct));
            object.insert("library".into(), library);
        }
        if !self.properties.is_empty() {
            let properties = self.properties.iter().map(|(name, at)| (name.clone(), at.to_json())).collect();
            object.insert("properties".into(), Value::Object(properties));
        }
        Value::Object(object)
    }

    fn from_json(value: &Value) -> Result<Declaration, String> {
        let path = value.get("path").and_then(Value::as_str).ok_or("a declaration needs a string `path`")?;
        let at = SourceLocation::from_json(value.get("at").ok_or("a declaration needs `at`")?)?;
        let library = match value.get("library") {
            None => None,
            Some(library) => {
                let construct =
                    library.get("construct").and_then(Value::as_str).ok_or("`library` needs `construct`")?;
                Some((construct.to_string(), SourceLocation::from_json(library)?))
            }
        };
        let properties = match value.get("properties") {
            None => Vec::new(),
            Some(Value::Object(entries)) => entries
                .iter()
                .map(|(name, at)| Ok((name.clone(), SourceLocation::from_json(at)?)))
                .collect::<Result<_, String>>()?,
            Some(_) => return Err("`properties` must be an object".to_string()),
        };
        Ok(Declaration { path: path.to_string(), at, library, properties })
    }
}

/// One stack's source map: the file `<Stack>.sources.json`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackSourceMap {
    pub stack: String,
    /// By logical ID, in template order.
    pub parameters: Vec<(String, Declaration)>,
    pub resources: Vec<(String, Declaration)>,
    pub outputs: Vec<(String, Declaration)>,
}

impl StackSourceMap {
    pub fn new(sources: &SourceMap, stack: &str, declarations: &Declarations) -> StackSourceMap {
        let section = |entries: &[(String, hir::Provenance)]| {
            entries.iter().map(|(id, provenance)| (id.clone(), Declaration::new(sources, provenance))).collect()
        };
        StackSourceMap {
            stack: stack.to_string(),
            parameters: section(&declarations.parameters),
            resources: section(&declarations.resources),
            outputs: section(&declarations.outputs),
        }
    }

    pub fn resource(&self, logical_id: &str) -> Option<&Declaration> {
        find(&self.resources, logical_id)
    }

    pub fn parameter(&self, logical_id: &str) -> Option<&Declaration> {
        find(&self.parameters, logical_id)
    }

    pub fn output(&self, logical_id: &str) -> Option<&Declaration> {
        find(&self.outputs, logical_id)
    }

    pub fn to_json(&self) -> Value {
        let section = |entries: &[(String, Declaration)]| -> Value {
            Value::Object(entries.iter().map(|(id, declaration)| (id.clone(), declaration.to_json())).collect())
        };
        json!({
            "version": VERSION,
            "stack": self.stack,
            "parameters": section(&self.parameters),
            "resources": section(&self.resources),
            "outputs": section(&self.outputs),
        })
    }

    pub fn from_json(value: &Value) -> Result<StackSourceMap, String> {
        match value.get("version").and_then(Value::as_u64) {
            Some(VERSION) => {}
            other => return Err(format!("source map version {other:?}; this infrac reads version {VERSION}")),
        }
        let stack = value.get("stack").and_then(Value::as_str).ok_or("a source map needs a string `stack`")?;
        let section = |key: &str| -> Result<Vec<(String, Declaration)>, String> {
            match value.get(key) {
                None => Ok(Vec::new()),
                Some(Value::Object(entries)) => {
                    entries.iter().map(|(id, d)| Ok((id.clone(), Declaration::from_json(d)?))).collect()
                }
                Some(_) => Err(format!("`{key}` must be an object")),
            }
        };
        Ok(StackSourceMap {
            stack: stack.to_string(),
            parameters: section("parameters")?,
            resources: section("resources")?,
            outputs: section("outputs")?,
        })
    }
}

fn find<'m>(entries: &'m [(String, Declaration)], logical_id: &str) -> Option<&'m Declaration> {
    entries.iter().find(|(id, _)| id == logical_id).map(|(_, declaration)| declaration)
}

/// `/Tags/0/Value` -> `Tags`; `BucketName` -> `BucketName`. Drift reports
/// paths from the resource's properties, sometimes under `/Properties`.
fn top_level_property(path: &str) -> Option<&str> {
    let path = path.strip_prefix("/Properties/").unwrap_or(path);
    path.trim_start_matches('/').split('/').next().filter(|name| !name.is_empty())
}

/// The top-level property a CloudFormation failure reason names, if it
/// names one the way resource handlers do (`#/BucketName: ...`, or
/// `... property {/BucketName} ...`).
pub fn property_named_in(reason: &str) -> Option<&str> {
    fn name_at(rest: &str) -> Option<&str> {
        let end = rest.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest.len());
        (end > 0).then(|| &rest[..end])
    }
    ["#/", "{/"].iter().find_map(|marker| reason.find(marker).and_then(|at| name_at(&reason[at + marker.len()..])))
}

/// Reads a user's file by the name the source map gives it.
pub type Reader<'r> = dyn FnMut(&str) -> Result<String, String> + 'r;

/// The span of `location` in `sources`, adding its file if it is not there
/// yet: a standard-library file from the embedded sources, a user's file
/// through `read`. `None` when the file cannot be read or no longer has the
/// declaration where the build found it (it was edited since).
pub fn locate(sources: &mut SourceMap, location: &SourceLocation, read: &mut Reader) -> Option<Span> {
    let embedded = crate::stdlib::namespaces().find(|ns| crate::stdlib::file_name(ns) == location.file);
    let file = match embedded {
        Some(namespace) => match sources.find_embedded(&location.file) {
            Some(file) => file,
            None => sources.add_embedded(location.file.clone(), crate::stdlib::source(namespace)?),
        },
        None => match sources.find(&location.file) {
            Some(file) => file,
            None => {
                let text = read(&location.file).ok()?;
                sources.add(location.file.clone(), text)
            }
        },
    };
    let range = location.start as usize..location.end as usize;
    let unchanged = sources.get(file).text.get(range.clone()) == Some(location.text.as_str())
        && sources.get(file).line_col(location.start) == (location.line as usize, location.column as usize);
    unchanged.then(|| Span::new(file, range))
}

/// What the user wrote behind a logical ID, located in `sources`: the
/// declaration, the property (when asked for and written), and the
/// library's declaration.
struct Located {
    declared: Span,
    property: Option<Span>,
    library: Option<(String, Span)>,
}

fn located(
    declaration: &Declaration,
    property: Option<&str>,
    sources: &mut SourceMap,
    read: &mut Reader,
) -> Option<Located> {
    let declared = locate(sources, &declaration.at, read)?;
    let property = property.and_then(|path| declaration.property(path)).and_then(|at| locate(sources, at, read));
    let library =
        declaration.library.as_ref().and_then(|(construct, at)| Some((construct.clone(), locate(sources, at, read)?)));
    Some(Located { declared, property, library })
}

/// The diagnostic for a resource CloudFormation failed to create, update or
/// delete (`status`, e.g. `CREATE_FAILED`, and its `reason`), at the
/// resource's declaration and, when the reason names a top-level property
/// the user wrote, at that property. `None` when the source map does not
/// know the logical ID or its file changed since the build: show
/// CloudFormation's words alone then.
pub fn deploy_failure(
    map: &StackSourceMap,
    sources: &mut SourceMap,
    read: &mut Reader,
    logical_id: &str,
    status: &str,
    reason: &str,
) -> Option<Diagnostic> {
    let declaration = map.resource(logical_id)?;
    let found = located(declaration, property_named_in(reason), sources, read)?;
    let property = property_named_in(reason).zip(found.property);
    let library = found.library.as_ref().map(|(construct, span)| (construct.as_str(), *span));
    Some(diag::deploy_failed(found.declared, &declaration.path, logical_id, status, reason, property, library))
}

/// The diagnostic for a resource whose live configuration differs from its
/// template: at the property `property_path` (as drift detection gives it,
/// `/Tags/0/Value`) where the user wrote it, else at the declaration, with
/// the expected and actual values when CloudFormation gives them. Without
/// a property, the resource itself was changed or deleted.
pub fn drift(
    map: &StackSourceMap,
    sources: &mut SourceMap,
    read: &mut Reader,
    logical_id: &str,
    property_path: Option<&str>,
    expected: Option<&str>,
    actual: Option<&str>,
) -> Option<Diagnostic> {
    let declaration = map.resource(logical_id)?;
    let found = located(declaration, property_path, sources, read)?;
    let library = found.library.as_ref().map(|(construct, span)| (construct.as_str(), *span));
    Some(diag::resource_drifted(
        found.declared,
        &declaration.path,
        logical_id,
        property_path.map(|path| (path, found.property)),
        expected,
        actual,
        library,
    ))
}
