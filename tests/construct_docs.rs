//! `docs/constructs/` is generated from the standard library's source and
//! must not go stale: each page equals what `infrac explain ns.Name` prints.
//! Regenerate with `UPDATE_DOCS=1 cargo test --test construct_docs`.

use std::path::Path;

use infrac::stdlib::docs;

#[test]
fn construct_pages_are_up_to_date() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/constructs");
    let update = std::env::var_os("UPDATE_DOCS").is_some();
    let mut expected = vec![("README.md".to_string(), docs::index())];
    for construct in docs::constructs() {
        let name = format!("{}.{}", construct.namespace, construct.name);
        let page = docs::describe(&name).expect("every listed construct has a page");
        expected.push((format!("{name}.md"), page));
    }
    if update {
        std::fs::create_dir_all(&dir).unwrap();
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for entry in entries.flatten() {
                std::fs::remove_file(entry.path()).unwrap();
            }
        }
    }
    let mut stale = Vec::new();
    for (file, text) in &expected {
        let path = dir.join(file);
        if update {
            std::fs::write(&path, text).unwrap();
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            stale.push(file.clone());
        }
    }
    let extra: Vec<String> = std::fs::read_dir(&dir)
        .map(|entries| entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    let extra: Vec<&String> = extra.iter().filter(|f| !expected.iter().any(|(e, _)| e == *f)).collect();
    assert!(
        stale.is_empty() && extra.is_empty(),
        "docs/constructs is out of date (stale: {stale:?}, not generated: {extra:?}); \
         run `UPDATE_DOCS=1 cargo test --test construct_docs`"
    );
}

#[test]
fn every_construct_documents_its_parts() {
    for construct in docs::constructs() {
        let name = format!("{}.{}", construct.namespace, construct.name);
        let page = docs::describe(&name).unwrap();
        let summary = page.lines().nth(2).unwrap_or_default();
        assert!(!summary.starts_with("Defined in"), "{name} needs a doc comment");
        // Every property and attribute row ends with a description.
        for row in
            page.lines().filter(|l| l.starts_with("| `") && !l.contains("` | `AWS::") && !l.contains("(construct)"))
        {
            assert!(!row.ends_with("|  |") && !row.ends_with("| |"), "{name}: undocumented row {row}");
        }
    }
}
