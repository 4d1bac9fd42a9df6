//! What the lifecycle needs from a container tool (`docker` or `podman`):
//! build an image, log in to a registry, ask a registry for a tag, push.
//! The command line runs the tool; the tests script it
//! (`crate::testing::Scripted`). Publishing calls it from several threads
//! at once, one image per thread.

use infrac::assets::images::BuildOptions;

/// An image to build from a context folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildRequest {
    /// The build context, as the program resolved it (relative to the
    /// working folder).
    pub context: String,
    /// The full reference to tag it with: `registry/repository:tag`.
    pub image: String,
    pub options: BuildOptions,
}

/// A Docker-compatible container tool.
pub trait Containers: Sync {
    /// Builds the image, passing each line the tool prints to `output` as
    /// it comes; the error says how the tool ended.
    fn build(&self, request: &BuildRequest, output: &mut dyn FnMut(&str)) -> Result<(), String>;
    /// Logs in to `registry` (a host, with its port if any).
    fn login(&self, registry: &str, username: &str, password: &str) -> Result<(), String>;
    /// Whether the registry holds `image` (a full reference), asked of the
    /// registry itself; an error when it cannot tell.
    fn exists(&self, image: &str) -> Result<bool, String>;
    /// Pushes a built image by its full reference.
    fn push(&self, image: &str) -> Result<(), String>;
}

/// For sessions that publish no image: every call is refused.
pub struct NoContainers;

const NONE: &str = "no container tool in this session";

impl Containers for NoContainers {
    fn build(&self, _: &BuildRequest, _: &mut dyn FnMut(&str)) -> Result<(), String> {
        Err(NONE.to_string())
    }

    fn login(&self, _: &str, _: &str, _: &str) -> Result<(), String> {
        Err(NONE.to_string())
    }

    fn exists(&self, _: &str) -> Result<bool, String> {
        Err(NONE.to_string())
    }

    fn push(&self, _: &str) -> Result<(), String> {
        Err(NONE.to_string())
    }
}
