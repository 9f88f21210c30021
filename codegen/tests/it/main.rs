//! The generator's integration tests in one binary, linked once.

mod support;

mod build_time;
mod compiles;
mod determinism;
mod diff;
mod endpoint_rules;
mod future_model;
mod fuzz_corpus;
mod fuzz_regressions;
mod generated_is_fresh;
mod import;
mod ir;
mod model_versions;
mod services;
mod snapshot;
