//! Replays the committed corpus of the `cli_params` fuzz target
//! (`fuzz/corpus/cli_params/`) through the target's own harness, on stable: every input
//! the fuzzer kept, and every crash it found, is checked by `cargo test`.

#[path = "../../fuzz/src/cli_params.rs"]
mod cli_params;
#[path = "../../fuzz/src/corpus.rs"]
mod corpus;

use std::path::Path;

#[test]
fn the_cli_params_corpus_parses_without_panicking() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/cli_params");
    let Some(entries) = corpus::read(&dir) else {
        return;
    };
    let mut parsed = 0;
    for entry in &entries {
        eprintln!("replaying {}", entry.name);
        let reached = cli_params::run(&entry.data);
        // The seeds say in their name what the parser must answer.
        if entry.name.starts_with("seed-parsed-") {
            assert_eq!(reached, cli_params::Reached::Parsed, "seed {}", entry.name);
            parsed += 1;
        } else if entry.name.starts_with("seed-refused-") {
            assert_eq!(reached, cli_params::Reached::Refused, "seed {}", entry.name);
        } else {
            assert!(
                !entry.is_seed(),
                "name seed {} seed-parsed-* or seed-refused-*",
                entry.name
            );
        }
    }
    assert!(parsed >= 4, "the cli_params corpus lost its parsed seeds");
}
