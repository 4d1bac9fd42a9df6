//! [`Locate`] for the command line: the program's source maps (built in
//! memory with the templates), rendering deploy failures and drift as
//! diagnostics at the user's `.infra` lines.

use std::cell::RefCell;
use std::collections::BTreeMap;

use infrac::diagnostics::{render, Diagnostic};
use infrac::source::SourceMap;
use infrac::sourcemap::{self, StackSourceMap};
use infrac_lifecycle::locate::Locate;

pub struct Places {
    sources: RefCell<SourceMap>,
    maps: BTreeMap<String, StackSourceMap>,
    colour: bool,
}

impl Places {
    pub fn new(sources: SourceMap, maps: BTreeMap<String, StackSourceMap>, colour: bool) -> Places {
        Places { sources: RefCell::new(sources), maps, colour }
    }

    fn rendered(&self, diagnostic: Diagnostic) -> Option<String> {
        let mut text = Vec::new();
        render::human(&mut text, &self.sources.borrow(), &diagnostic, self.colour).ok()?;
        String::from_utf8(text).ok()
    }
}

fn read(path: &str) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| e.to_string())
}

impl Locate for Places {
    fn place(&self, stack: &str, logical_id: &str) -> Option<String> {
        let at = &self.maps.get(stack)?.resource(logical_id)?.at;
        Some(format!("{}:{}", at.file, at.line))
    }

    fn failure(&self, stack: &str, logical_id: &str, status: &str, reason: &str) -> Option<String> {
        let map = self.maps.get(stack)?;
        let diagnostic =
            sourcemap::deploy_failure(map, &mut self.sources.borrow_mut(), &mut read, logical_id, status, reason)?;
        self.rendered(diagnostic)
    }

    fn drift(
        &self,
        stack: &str,
        logical_id: &str,
        property: Option<&str>,
        expected: Option<&str>,
        actual: Option<&str>,
    ) -> Option<String> {
        let map = self.maps.get(stack)?;
        let diagnostic =
            sourcemap::drift(map, &mut self.sources.borrow_mut(), &mut read, logical_id, property, expected, actual)?;
        self.rendered(diagnostic)
    }
}
