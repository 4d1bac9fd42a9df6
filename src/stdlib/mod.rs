//! The standard library: the L2/L3 constructs under `std/`, written in infra
//! itself and embedded in the binary. A namespace (`s3`, `ec2`, ...) is in
//! scope in every file unless the file declares that name itself.

include!(concat!(env!("OUT_DIR"), "/std_modules.rs"));

/// The path a standard-library file is shown under in diagnostics.
pub fn file_name(namespace: &str) -> String {
    format!("std/{namespace}.infra")
}

/// The source of a standard-library namespace.
pub fn source(namespace: &str) -> Option<&'static str> {
    STD_MODULES.iter().find(|(name, _)| *name == namespace).map(|(_, text)| *text)
}

/// Every namespace, sorted.
pub fn namespaces() -> impl Iterator<Item = &'static str> {
    STD_MODULES.iter().map(|(name, _)| *name)
}

pub mod docs;
