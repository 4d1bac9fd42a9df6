//! What the lifecycle needs from a container tool (`docker` or `podman`):
//! build an image, log in to a registry, push. The command line runs the
//! tool; the tests script it (`crate::testing::Scripted`).

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
pub trait Containers {
    /// Builds the image; the error is what the tool said.
    fn build(&self, request: &BuildRequest) -> Result<(), String>;
    /// Logs in to `registry` (a host, with its port if any).
    fn login(&self, registry: &str, username: &str, password: &str) -> Result<(), String>;
    /// Pushes a built image by its full reference.
    fn push(&self, image: &str) -> Result<(), String>;
}

/// For sessions that publish no image: every call is refused.
pub struct NoContainers;

impl Containers for NoContainers {
    fn build(&self, _: &BuildRequest) -> Result<(), String> {
        Err("no container tool in this session".to_string())
    }

    fn login(&self, _: &str, _: &str, _: &str) -> Result<(), String> {
        Err("no container tool in this session".to_string())
    }

    fn push(&self, _: &str) -> Result<(), String> {
        Err("no container tool in this session".to_string())
    }
}
