#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

mod action;
mod attempts;
mod call;
mod client_builder;
mod collection;
mod email;
mod error;
mod expiry;
mod hooks;
mod losant_id;
mod member_added;
mod prepared;
#[cfg(test)]
mod regressions;
mod response_limit;
mod retry;
mod roles;
mod runtime;
mod settings;
mod timestamp;
mod tls;

/// The code progenitor generates from the spec at build time; its reviewed copy is the
/// snapshot under `tests/snapshots/` in the workspace. Its `prelude` goes unused: the crate
/// exports `Client` itself.
#[allow(missing_docs, unused_imports)]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/codegen.rs"));
}

pub use client_builder::{
    BuildError, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_REQUEST_TIMEOUT, default_accept_version,
    default_user_agent,
};
pub use error::{Error, ErrorKind, internals as __internals};
#[doc(hidden)]
pub use generated::__component_schemas;
pub(crate) use generated::ClientInfo;
pub use generated::{Client, ResponseValue, builder, types};
pub use losant_id::{InvalidLosantId, LosantId};
pub use member_added::MemberAdded;
pub use prepared::PreparedRequest;
pub use retry::RetryPolicy;
pub use roles::NewerRole;
pub use timestamp::Timestamp;
pub use tls::{http_client_builder, install_default_crypto_provider};
