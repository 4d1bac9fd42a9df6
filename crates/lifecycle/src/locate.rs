//! Where a resource was declared: the bridge from a logical ID in
//! CloudFormation's answers back to the user's `.infra` code.
//!
//! The command line implements [`Locate`] with the source map `infrac build`
//! writes next to the templates (`infrac::sourcemap`), rendering each
//! message at the declaration with the same snippet-and-label form as a
//! compile error. Each method answers `None` when it cannot place the
//! logical ID (no source map, a file edited since the build); the caller
//! then shows CloudFormation's words alone.

pub trait Locate {
    /// A short place, `app.infra:12`, for one-line output.
    fn place(&self, stack: &str, logical_id: &str) -> Option<String>;

    /// A resource CloudFormation failed to create, update or delete, with
    /// the event's `status` (`CREATE_FAILED`) and `reason`.
    fn failure(&self, stack: &str, logical_id: &str, status: &str, reason: &str) -> Option<String>;

    /// A resource that drifted: at `property` (a JSON pointer such as
    /// `/VersioningConfiguration/Status`) with the expected and actual
    /// values, or the whole resource (deleted) without one.
    fn drift(
        &self,
        stack: &str,
        logical_id: &str,
        property: Option<&str>,
        expected: Option<&str>,
        actual: Option<&str>,
    ) -> Option<String>;
}

/// No source map: messages are shown without code.
pub struct NoPlaces;

impl Locate for NoPlaces {
    fn place(&self, _: &str, _: &str) -> Option<String> {
        None
    }

    fn failure(&self, _: &str, _: &str, _: &str, _: &str) -> Option<String> {
        None
    }

    fn drift(&self, _: &str, _: &str, _: Option<&str>, _: Option<&str>, _: Option<&str>) -> Option<String> {
        None
    }
}
