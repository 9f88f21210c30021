//! The harnesses behind the fuzz targets in `fuzz_targets/`, one module per target. Each
//! `run` takes one raw input, must never panic or hang whatever the bytes, and says how far
//! the input got so that tests can tell a seed that exercises the code from one rejected
//! at the door.
//!
//! The stable test suites replay the committed corpora through these same functions
//! (`codegen/tests/fuzz_corpus.rs`, `codegen/runtime/tests/fuzz_corpus.rs` include the
//! modules by path), so a crash the fuzzer found stays found without nightly.

pub mod corpus;
pub mod message;
pub mod model;
pub mod operations;
pub mod responses;
pub mod server;
