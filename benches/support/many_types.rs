//! The program that `schema_check` and `startup` compile to measure the
//! schemas: one resource of each of many types, the smallest each schema
//! allows (written by the schema-sample generator in `tests/support/synth.rs`).

use infrac::schema;

/// One resource of each of `types` types (every seventh listed type, but for
/// retired ones, which would add warnings).
pub fn program(types: usize) -> String {
    let mut program = format!("//! One resource of each of {types} types.\n\n");
    let mut used = 0;
    for (index, name) in schema::type_names().enumerate().filter(|(i, _)| i % 7 == 3) {
        if used == types {
            return program;
        }
        let resource = schema::resource_type(name).expect("listed types exist");
        if resource.lifecycle.is_some() {
            continue;
        }
        if let Ok(text) = (super::synth::Synth { resource }).resource(&format!("r{index}")) {
            program.push_str(&text);
            program.push('\n');
            used += 1;
        }
    }
    assert_eq!(used, types, "not enough types could be synthesized");
    program
}
