//! Replays the committed corpus of the `model` fuzz target (`fuzz/corpus/model/`) through
//! the target's own harness, on stable, so that every input the fuzzer once kept (and
//! every crash it found, `fuzz/findings/model/`) is checked by `cargo test`.

#[path = "../../../fuzz/src/corpus.rs"]
mod corpus;
#[path = "../../../fuzz/src/model.rs"]
mod model;

use chime_caps_codegen::workspace_root;
use model::Reached;

#[test]
fn the_model_corpus_runs_through_the_generator_without_panicking() {
    let Some(entries) = corpus::read(&workspace_root().join("fuzz/corpus/model")) else {
        return;
    };
    assert!(!entries.is_empty(), "the model corpus is empty");
    for entry in &entries {
        eprintln!("replaying {}", entry.name);
        let reached = model::run(&entry.data);
        // The seeds are the real models and the generator's fixtures: each must get
        // through the whole generator, or the fuzzer starts from inputs that stop early.
        if entry.is_seed() {
            assert_eq!(reached, Reached::Rendered, "seed {}", entry.name);
        }
    }
}

/// The crashes the `model` target saved (`fuzz/findings/model/`, minimized) are models the
/// generator must refuse when it resolves them, without crashing.
#[test]
fn the_model_findings_are_refused_at_resolution() {
    let Some(entries) = corpus::read(&workspace_root().join("fuzz/findings/model")) else {
        return;
    };
    assert!(!entries.is_empty(), "no model findings");
    for entry in &entries {
        eprintln!("replaying {}", entry.name);
        assert_eq!(model::run(&entry.data), Reached::Resolve, "{}", entry.name);
    }
}
