//! Replays the committed corpora of the `responses` and `server` fuzz targets
//! (`fuzz/corpus/`) through the targets' own harnesses, on stable, so that every input
//! the fuzzer once kept (and every crash it found) is checked by `cargo test`. The code
//! under test is this crate's JSON reader, error-metadata parsing and router, driven
//! through the generated Chime SDK Meetings client.

#[path = "../../../fuzz/src/corpus.rs"]
mod corpus;
#[path = "../../../fuzz/src/message.rs"]
mod message;
#[path = "../../../fuzz/src/operations.rs"]
mod operations;
#[path = "../../../fuzz/src/responses.rs"]
mod responses;
#[path = "../../../fuzz/src/server.rs"]
mod server;

use std::path::{Path, PathBuf};

use chime_caps_generated::operation::ROUTES;
use operations::{FuzzedOperation, Visit};

fn corpus_dir(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fuzz/corpus")
        .join(target)
}

#[test]
fn the_operation_list_of_the_harnesses_is_the_route_table() {
    struct Names(Vec<&'static str>);
    impl Visit for Names {
        fn visit<O: FuzzedOperation>(&mut self) {
            self.0.push(O::NAME);
        }
    }
    let mut listed = Names(Vec::new());
    operations::each(&mut listed);
    let routed: Vec<&str> = ROUTES.iter().map(|r| r.operation).collect();
    assert_eq!(listed.0, routed, "update fuzz/src/operations.rs");
}

#[test]
fn the_responses_corpus_reads_without_panicking() {
    let Some(entries) = corpus::read(&corpus_dir("responses")) else {
        return;
    };
    assert!(!entries.is_empty(), "the responses corpus is empty");
    for entry in &entries {
        eprintln!("replaying {}", entry.name);
        let outcome = responses::run(&entry.data);
        // Each seed is a well-formed success or error: some operation must read it.
        if entry.is_seed() {
            assert!(
                outcome.outputs + outcome.coded_errors > 0,
                "seed {}: {outcome:?}",
                entry.name
            );
        }
    }
}

#[test]
fn the_server_corpus_is_served_without_panicking() {
    let Some(entries) = corpus::read(&corpus_dir("server")) else {
        return;
    };
    assert!(!entries.is_empty(), "the server corpus is empty");
    let mut parsed = Vec::new();
    for entry in &entries {
        eprintln!("replaying {}", entry.name);
        let reached = server::run(&entry.data);
        if entry.is_seed() {
            match reached {
                server::Reached::Parsed(operation) => parsed.push(operation),
                other => panic!("seed {} is not served: {other:?}", entry.name),
            }
        }
    }
    // One seed per operation, so the fuzzer starts inside each of them.
    parsed.sort_unstable();
    parsed.dedup();
    assert_eq!(
        parsed.len(),
        ROUTES.len(),
        "operations with a seed: {parsed:?}"
    );
}
