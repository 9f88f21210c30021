//! Replays the committed corpus of the `sigv4` fuzz target (`fuzz/corpus/sigv4/`) through
//! the target's own harness, on stable: every input the fuzzer kept, and every crash it
//! found, is checked by `cargo test` (the verifier must not panic, and must accept what the
//! SDK's signer signs).

#[path = "../../fuzz/src/message.rs"]
mod message;
#[path = "../../fuzz/src/sigv4.rs"]
mod sigv4;

use crate::fuzz_corpus as corpus;
use std::path::Path;

#[test]
fn the_sigv4_corpus_is_verified_without_panicking() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/sigv4");
    let Some(entries) = corpus::read(&dir) else {
        return;
    };
    let mut accepted = 0;
    for entry in &entries {
        eprintln!("replaying {}", entry.name);
        let reached = sigv4::run(&entry.data);
        // The seeds say in their name what the verifier must answer, so that they keep
        // reaching the signature comparison (accepted) and each early refusal.
        if entry.name.starts_with("seed-accepted-") {
            assert_eq!(reached, sigv4::Reached::Accepted, "seed {}", entry.name);
            accepted += 1;
        } else if entry.name.starts_with("seed-refused-") {
            assert_eq!(reached, sigv4::Reached::Refused, "seed {}", entry.name);
        } else {
            assert!(
                !entry.is_seed(),
                "name seed {} seed-accepted-* or seed-refused-*",
                entry.name
            );
        }
    }
    assert!(accepted >= 3, "the sigv4 corpus lost its accepted seeds");
}
