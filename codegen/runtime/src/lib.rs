//! Runtime support for the clients `chime-caps-codegen` writes.
//!
//! Generated crates hold what is specific to a service: its types, their JSON and
//! HTTP bindings, one [`Operation`](operation::Operation) implementation per
//! operation, and the public API with the official SDK's names. Everything that is
//! the same for every service lives here, written and tested once: the restJson1 and
//! awsJson protocols ([`protocol`], [`json`]), the orchestration glue ([`operation`],
//! [`client`]), configuration ([`config`], [`auth`], [`idempotency`]), the model's
//! constraints ([`constraints`]), the members of structures by model name
//! ([`members`]) and error plumbing ([`error`]).
//!
//! This is to generated code what `prost` is to `prost-build` output: a crate that
//! builds with `build.rs`-generated clients depends on it.

// `SdkError` is large by design in the smithy runtime; results carrying it are the norm.
#![allow(clippy::result_large_err)]

mod assembly;
pub mod auth;
pub mod client;
pub mod config;
pub mod constraints;
pub mod endpoint_lib;
pub mod error;
mod features;
pub mod idempotency;
pub mod json;
pub mod members;
pub mod operation;
pub mod protocol;
#[cfg(feature = "server")]
pub mod server;

/// The crates generated code and this crate's macros refer to.
#[doc(hidden)]
pub mod deps {
    pub use aws_credential_types;
    pub use aws_runtime;
    pub use aws_smithy_async;
    pub use aws_smithy_runtime;
    pub use aws_smithy_runtime_api;
    pub use aws_smithy_types;
    pub use aws_types;
}

/// The value of an enum variant this version of a generated crate does not know
/// (the payload of every generated enum's `Unknown` variant).
#[non_exhaustive]
#[derive(Clone, Eq, Ord, PartialEq, PartialOrd, Debug, Hash)]
pub struct UnknownVariantValue(String);

impl UnknownVariantValue {
    /// Wraps an unknown value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value as sent on the wire.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for UnknownVariantValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
