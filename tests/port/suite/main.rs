//! The port suite: tests written only against the public API of the official
//! `aws-sdk-chimesdkmeetings` crate. `tests/port/official` builds it against the
//! official crate, `tests/port/chime-caps` against ours under the same name; both
//! must pass. See `tests/port/README.md`.

mod capabilities;
mod config_builder;
mod customize;
mod defaults;
mod errors;
mod malformed;
mod mocks;
mod operations;
mod paginators;
mod support;
mod test_clients;
mod timeouts;
mod values;
