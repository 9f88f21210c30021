//! Replays the `http1` fuzz target's committed corpus (`fuzz/corpus/http1/`) and its
//! findings (`fuzz/findings/http1/`) through the target's own harness, on stable: the
//! emulator's HTTP/1 framing must not panic, must frame every request it reads exactly
//! as its headers say, and must answer every refusal.
//!
//! Hand-made seeds and findings say in their name what the connection must come to:
//! `seed-<requests>-then-<end>-<what>` (findings without `seed-`), where `<requests>` is
//! how many requests are read completely and `<end>` is `eof` (the client closed, or
//! asked to close) or the status of the error reply that ended the connection.

#[path = "../../fuzz/src/http1.rs"]
mod http1;

use crate::fuzz_corpus as corpus;
use std::path::Path;

/// The outcome an input's name asks for; `None` if the name does not follow the format.
fn expected_outcome(name: &str) -> Option<http1::Reached> {
    let name = name.strip_prefix("seed-").unwrap_or(name);
    let mut words = name.splitn(4, '-');
    let requests = words.next()?.parse().ok()?;
    if words.next()? != "then" {
        return None;
    }
    let refusal = match words.next()? {
        "eof" => None,
        status => Some(status.parse().ok()?),
    };
    words.next()?;
    Some(http1::Reached { requests, refusal })
}

fn replay(dir: &str) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let Some(entries) = corpus::read(&dir) else {
        return 0;
    };
    let mut named = 0;
    for entry in &entries {
        eprintln!("replaying {}", entry.name);
        let reached = http1::run(&entry.data);
        match expected_outcome(&entry.name) {
            Some(expected) => {
                assert_eq!(reached, expected, "{}", entry.name);
                named += 1;
            }
            None => assert!(
                !entry.is_seed(),
                "name seed {} seed-<requests>-then-<eof|status>-<what>",
                entry.name
            ),
        }
    }
    named
}

#[test]
fn the_http1_corpus_is_framed_as_its_seeds_say() {
    let seeds = replay("fuzz/corpus/http1");
    assert!(
        seeds >= 12,
        "the http1 corpus lost its seeds ({seeds} left)"
    );
}

#[test]
fn the_http1_findings_keep_their_fixed_outcome() {
    replay("fuzz/findings/http1");
}
