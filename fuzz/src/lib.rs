//! The harnesses behind the fuzz targets in `fuzz_targets/`: one module per target
//! (`model`, `responses`, `server`, `sigv4`, `http1`, `cli_params`), the input format of the HTTP ones (`message`), the
//! operation list (`operations`), the model target's structural mutator
//! (`json_mutation`), the stack-overflow reporting every target installs
//! (`stack_overflow`) and the corpus reader of the replay tests (`corpus`). Each target's
//! `run` takes one raw input, must never panic or hang whatever the bytes, and says how far
//! the input got so that tests can tell a seed that exercises the code from one rejected
//! at the door.
//!
//! The stable test suites replay the committed corpora through these same functions
//! (`codegen/tests/it/fuzz_corpus.rs`, `codegen/runtime/tests/fuzz_corpus.rs` include the
//! modules by path), so a crash the fuzzer found stays found without nightly.

pub mod cli_params;
pub mod corpus;
pub mod http1;
pub mod json_mutation;
pub mod message;
pub mod model;
pub mod operations;
pub mod responses;
pub mod server;
pub mod sigv4;
pub mod stack_overflow;
