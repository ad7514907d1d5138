//! Why the spec could not be turned into Rust source: the one error of generation, which every
//! step of it returns.

use std::fmt;

/// Why the spec could not be turned into Rust source.
#[derive(Debug)]
pub enum CodegenError {
    /// The spec is not valid YAML, or not an OpenAPI 3.0 document.
    Spec(serde_yaml_ng::Error),
    /// progenitor could not generate a client from the spec.
    Generate(progenitor::Error),
    /// progenitor produced tokens that are not a valid Rust file.
    Syntax(syn::Error),
    /// The spec lacks something the client surface is built from, such as an example, or uses
    /// a shape generation does not handle, or progenitor's output no longer has the shape a
    /// pass expects.
    Surface(String),
}

impl fmt::Display for CodegenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Spec(e) => write!(f, "the OpenAPI spec could not be read: {e}"),
            Self::Generate(e) => write!(f, "progenitor could not generate the client: {e}"),
            Self::Syntax(e) => write!(f, "the generated code is not valid Rust: {e}"),
            Self::Surface(e) => write!(f, "the client surface cannot be built: {e}"),
        }
    }
}

impl std::error::Error for CodegenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Spec(e) => Some(e),
            Self::Generate(e) => Some(e),
            Self::Syntax(e) => Some(e),
            Self::Surface(_) => None,
        }
    }
}

/// A [`CodegenError::Surface`] saying `message`.
pub(crate) fn problem(message: impl Into<String>) -> CodegenError {
    CodegenError::Surface(message.into())
}
