//! Where a resource was declared: the bridge from a logical ID in
//! CloudFormation's answers back to the user's `.infra` code.
//!
//! The command line implements [`Locate`] with the source map `infrac build`
//! writes next to the templates, rendering a message at the declaration
//! with the same snippet-and-label form as a compile error.

pub trait Locate {
    /// A short place, `app.infra:12`, for one-line output.
    fn place(&self, stack: &str, logical_id: &str) -> Option<String>;

    /// `message` rendered at the declaration of `logical_id` (and at the
    /// property `property`, a JSON pointer like `/VersioningConfiguration/Status`,
    /// when the source map knows it), with `label` under the code.
    fn render(
        &self,
        stack: &str,
        logical_id: &str,
        property: Option<&str>,
        message: &str,
        label: &str,
    ) -> Option<String>;
}

/// No source map: messages are shown without code.
pub struct NoPlaces;

impl Locate for NoPlaces {
    fn place(&self, _: &str, _: &str) -> Option<String> {
        None
    }

    fn render(&self, _: &str, _: &str, _: Option<&str>, _: &str, _: &str) -> Option<String> {
        None
    }
}
