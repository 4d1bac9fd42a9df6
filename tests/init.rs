//! The project templates of `infrac init` (`init/<template>/`, `src/init.rs`):
//! every new project compiles without diagnostics into consistent templates,
//! is formatted, has the files a project needs with its name in them, and is
//! listed in `docs/init.md`.
//!
//! With `INFRAC_TEMPLATES_DIR` set, each project's templates are also written
//! there, for `.ci/lint-templates.sh`.

mod support;

use infrac::diagnostics::render;
use infrac::init::{self, InitError, NameProblem};
use infrac::source::SourceMap;
use support::program;

const PROJECT: &str = "my-project";
const STACK: &str = "MyProject";

fn project(template: &str) -> Vec<(String, String)> {
    init::files(template, PROJECT).unwrap_or_else(|e| panic!("{template}: {e}"))
}

fn file<'a>(files: &'a [(String, String)], path: &str) -> &'a str {
    files.iter().find(|(p, _)| p == path).map(|(_, text)| text.as_str()).unwrap_or_else(|| panic!("no {path}"))
}

#[test]
fn the_templates_the_issue_asks_for_exist() {
    let names: Vec<&str> = init::templates().iter().map(|t| t.name).collect();
    for wanted in ["empty", "static-site", "cats-vs-dogs", "apprunner-api", "worker"] {
        assert!(names.contains(&wanted), "no template {wanted} in {names:?}");
    }
    assert!(names.contains(&init::DEFAULT_TEMPLATE));
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted, "templates are listed by name");
}

#[test]
fn every_project_compiles_without_diagnostics_into_consistent_templates() {
    for template in init::templates() {
        let files = project(template.name);
        let mut sources = SourceMap::new();
        let entry = sources.add(init::ENTRY_FILE, file(&files, init::ENTRY_FILE));
        // `asset(...)` and `docker_image(...)` read the project's other files.
        let others = files.iter().map(|(path, text)| (path.clone(), text.clone().into_bytes())).collect();
        let mut read = |_: &str| Err("no such file".to_string());
        let options = infrac::Options::default();
        let mut assets = program::asset_reader(others);
        let compilation = infrac::compile_program(&mut sources, &[entry], &options, &mut read, &mut assets);
        assert!(
            compilation.diagnostics.is_empty(),
            "{}: a new project must compile without errors or warnings:\n{}",
            template.name,
            render::plain(&sources, &compilation.diagnostics)
        );
        let stacks: Vec<&str> = compilation.stacks.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(stacks, [STACK], "{}: one stack, named after the project", template.name);
        let what = format!("init/{}/{}", template.name, init::ENTRY_FILE);
        program::assert_consistent(&what, &sources, &compilation);
        program::write_templates(&what, &compilation);
    }
}

#[test]
fn every_program_is_formatted() {
    for template in init::templates() {
        for (path, text) in template.raw_files().iter().filter(|(path, _)| path.ends_with(".infra")) {
            let formatted = infrac::format::format_file(0, text)
                .unwrap_or_else(|_| panic!("init/{}/{path} does not parse", template.name));
            assert_eq!(&formatted, text, "init/{}/{path} is not formatted: run `infrac fmt` on it", template.name);
        }
    }
}

#[test]
fn every_project_has_the_files_a_project_needs() {
    for template in init::templates() {
        let files = project(template.name);
        // Besides these, a project may hold what its program ships: the
        // folders its `asset(...)` and `docker_image(...)` calls name.
        let paths: Vec<&str> =
            files.iter().map(|(p, _)| p.as_str()).filter(|p| !is_shipped(template.name, p)).collect();
        assert_eq!(
            paths,
            [".github/workflows/infra.yml", ".gitignore", "README.md", "app.infra"],
            "{}: the files of a project",
            template.name
        );
        let ignored: Vec<&str> = file(&files, ".gitignore").lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(ignored, [format!("{}/", init::OUTPUT_DIR)], "{}: .gitignore", template.name);
        let readme = file(&files, "README.md");
        for command in ["infrac check", "infrac diff", "infrac deploy", "infrac destroy"] {
            assert!(readme.contains(command), "{}: the README names `{command}`", template.name);
        }
        let workflow = file(&files, ".github/workflows/infra.yml");
        for step in ["run: infrac check", "run: infrac fmt --check", "run: infrac diff", "cargo install"] {
            assert!(workflow.contains(step), "{}: the CI workflow runs `{step}`", template.name);
        }
        assert!(workflow.contains("PLACEHOLDER"), "the repository infrac is installed from is marked as a placeholder");
        assert!(!template.description.is_empty() && !template.description.contains('\n'));
    }
}

/// Whether `path` is under a folder that the template's program names in
/// an `asset(...)` or `docker_image(...)` call.
fn is_shipped(template: &str, path: &str) -> bool {
    let program = init::template(template).and_then(|t| t.raw_files().iter().find(|(p, _)| *p == init::ENTRY_FILE));
    let Some((_, program)) = program else { return false };
    let Some((folder, _)) = path.split_once('/') else { return false };
    program.contains(&format!("asset(\"./{folder}\"")) || program.contains(&format!("docker_image(\"./{folder}\""))
}

#[test]
fn the_project_name_is_substituted() {
    for template in init::templates() {
        let infra = template.raw_files().iter().filter(|(path, _)| path.ends_with(".infra"));
        let placeholders: usize = infra.map(|(_, text)| text.matches("ProjectName").count()).sum();
        assert_eq!(placeholders, 1, "{}: `ProjectName` names the one stack, and nothing else", template.name);
        let files = project(template.name);
        assert!(file(&files, "app.infra").contains(&format!("\nstack {STACK} {{\n")), "{}", template.name);
        assert!(file(&files, "README.md").starts_with(&format!("# {PROJECT}\n")), "{}: README title", template.name);
        assert!(file(&files, "README.md").contains(&format!("`{STACK}`")), "{}: README names the stack", template.name);
        for (path, text) in &files {
            for placeholder in ["ProjectName", "{{stack}}", "{{project}}"] {
                assert!(!text.contains(placeholder), "{}/{path} still holds {placeholder}", template.name);
            }
        }
    }
    let other = init::files("empty", "billing.v2").expect("a valid name");
    assert!(file(&other, "app.infra").contains("stack BillingV2 {"));
}

#[test]
fn project_names_must_give_valid_stack_names() {
    assert_eq!(init::stack_name("my_site").as_deref(), Ok("MySite"));
    assert_eq!(init::stack_name("a").as_deref(), Ok("A"));
    let problem = |name: &str| match init::stack_name(name) {
        Err(InitError::InvalidProjectName { problem, .. }) => problem,
        other => panic!("{name}: {other:?}"),
    };
    assert_eq!(problem("2048-game"), NameProblem::NoLeadingLetter);
    assert_eq!(problem(""), NameProblem::NoLeadingLetter);
    assert_eq!(problem("---"), NameProblem::NoLeadingLetter);
    assert_eq!(problem("café"), NameProblem::Character('é'));
    assert_eq!(problem("a/b"), NameProblem::Character('/'));
    assert_eq!(problem(&"a".repeat(129)), NameProblem::TooLong);
    let message = init::files("empty", "2048").unwrap_err().to_string();
    assert_eq!(
        message,
        "the project name `2048` gives no valid CloudFormation stack name: it must start with a letter"
    );
}

#[test]
fn an_unknown_template_is_an_error_that_lists_the_templates() {
    let error = init::files("static_site", PROJECT).unwrap_err();
    assert_eq!(error, InitError::UnknownTemplate { name: "static_site".to_string(), suggestion: Some("static-site") });
    let message = error.to_string();
    assert!(message.starts_with("no project template `static_site`; did you mean `static-site`?"), "{message}");
    for template in init::templates() {
        assert!(message.contains(template.name), "{message} lists {}", template.name);
    }
    let unrelated = init::files("kubernetes", PROJECT).unwrap_err();
    assert!(matches!(unrelated, InitError::UnknownTemplate { suggestion: None, .. }));
}

/// `docs/init.md`'s table of templates is exactly the list `infrac init
/// --list` prints: every template, with its description.
#[test]
fn the_docs_list_every_template() {
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/init.md")).expect("docs/init.md");
    let section = docs.split("## Templates").nth(1).expect("a Templates section");
    let rows: Vec<(String, String)> = section
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .map(|row| {
            let (name, rest) = row.split_once("` | ").expect("| `name` | description |");
            (name.to_string(), rest.trim_end_matches(" |").to_string())
        })
        .collect();
    let expected: Vec<(String, String)> =
        init::templates().iter().map(|t| (t.name.to_string(), t.description.to_string())).collect();
    assert_eq!(rows, expected, "docs/init.md lists the templates and their descriptions");
}
