//! The root crate's integration tests in one binary, so `cargo test` links the whole
//! stack once instead of once per file. `validation_env` (changes the process
//! environment) and `validation_alloc` (its own global allocator) stay separate.

mod support;

/// The fuzz corpora's reader, shared by the corpus replays (`fuzz_*_corpus`).
#[path = "../../fuzz/src/corpus.rs"]
mod fuzz_corpus;

mod call_span;
mod capability_oracle;
mod capability_proptest;
mod capability_rules;
mod config_override;
mod emulator_e2e;
mod emulator_operations;
mod emulator_server;
mod fuzz_http1_corpus;
mod fuzz_sigv4_corpus;
mod model_matches_official;
mod response_fidelity;
mod sigv4_verify;
mod validation_cache;
mod validation_mocks;
mod validation_operations;
mod wire_fidelity;
