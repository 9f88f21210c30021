//! The kitchen sink's generated crate, file by file, against the committed snapshot
//! `codegen/tests/snapshots/kitchen-sink/`: any change to the generated code shows up
//! here as a diff to review. `UPDATE_SNAPSHOTS=1` rewrites the snapshot instead (and
//! removes files the generator no longer writes). `compiles.rs` builds the snapshot.

mod support;

use std::collections::BTreeMap;

use support::text_diff::unified;
use support::{
    as_tree, kitchen_sink_snapshot_files, read_tree, snapshot_dir, sync_tree, ACCEPT_SNAPSHOT,
    SNAPSHOT,
};

/// Differing files shown in full detail; the others are only listed.
const SHOWN_FILES: usize = 3;
/// Diff lines shown per file.
const SHOWN_LINES: usize = 60;

/// A readable account of how `committed` differs from `generated`; empty when equal.
fn describe_drift(
    committed: &BTreeMap<String, String>,
    generated: &BTreeMap<String, String>,
) -> String {
    let paths: std::collections::BTreeSet<&String> =
        committed.keys().chain(generated.keys()).collect();
    let mut listed = Vec::new();
    let mut shown = Vec::new();
    for path in paths {
        let (old, new) = (committed.get(path), generated.get(path));
        if old == new {
            continue;
        }
        listed.push(match (old, new) {
            (None, _) => format!("  new file: {path}"),
            (_, None) => format!("  no longer generated: {path}"),
            _ => format!("  changed: {path}"),
        });
        if shown.len() < SHOWN_FILES {
            let label = |side: &str, text: Option<&String>| match text {
                Some(_) => format!("{side}/{path}"),
                None => "/dev/null".to_owned(),
            };
            shown.push(unified(
                &label("snapshot", old),
                &label("generated", new),
                old.map_or("", String::as_str),
                new.map_or("", String::as_str),
                SHOWN_LINES,
            ));
        }
    }
    if listed.is_empty() {
        return String::new();
    }
    format!(
        "{} file(s) differ:\n{}\n\n{}",
        listed.len(),
        listed.join("\n"),
        shown.join("\n")
    )
}

#[test]
fn kitchen_sink_matches_the_committed_snapshot() {
    let dir = snapshot_dir();
    let generated = as_tree(&kitchen_sink_snapshot_files());
    // The snapshot finds the runtime from its own directory, wherever the checkout is.
    assert!(
        generated["Cargo.toml"].contains("path = \"../../../runtime\""),
        "the runtime path is not relative to the snapshot:\n{}",
        generated["Cargo.toml"]
    );
    let committed = read_tree(&dir);
    let drift = describe_drift(&committed, &generated);
    if drift.is_empty() {
        return;
    }
    if std::env::var("UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1") {
        sync_tree(&dir, &generated);
        eprintln!("updated codegen/{SNAPSHOT}:\n{drift}");
        return;
    }
    panic!(
        "the generated kitchen sink differs from the snapshot codegen/{SNAPSHOT}.\n\
         {drift}\nIf the change is intended, accept it with: {ACCEPT_SNAPSHOT}"
    );
}

#[test]
fn drift_names_every_file_and_shows_a_diff() {
    let tree = |files: &[(&str, &str)]| -> BTreeMap<String, String> {
        files
            .iter()
            .map(|(p, c)| (p.to_string(), c.to_string()))
            .collect()
    };
    let committed = tree(&[("a.rs", "fn a() {}\nfn b() {}\n"), ("old.rs", "")]);
    let generated = tree(&[("a.rs", "fn a() {}\nfn c() {}\n"), ("new.rs", "")]);
    let drift = describe_drift(&committed, &generated);
    for needle in [
        "3 file(s) differ",
        "  changed: a.rs",
        "  new file: new.rs",
        "  no longer generated: old.rs",
        "--- snapshot/a.rs\n+++ generated/a.rs\n@@ -1,2 +1,2 @@\n fn a() {}\n-fn b() {}\n+fn c() {}\n",
    ] {
        assert!(drift.contains(needle), "{needle:?} not in:\n{drift}");
    }
    assert_eq!(describe_drift(&committed, &committed), "");
}

#[test]
fn the_diff_separates_distant_changes_and_is_capped() {
    let old: String = (1..=20).map(|n| format!("line {n}\n")).collect();
    let new = old
        .replace("line 2\n", "line 2\ninserted\n")
        .replace("line 19\n", "changed\n");
    let diff = unified("a", "b", &old, &new, 100);
    assert_eq!(diff.matches("\n@@ -").count(), 2, "{diff}");
    assert!(
        diff.contains("@@ -1,5 +1,6 @@\n line 1\n line 2\n+inserted\n line 3\n"),
        "{diff}"
    );
    assert!(diff.contains("-line 19\n+changed\n line 20\n"), "{diff}");
    let capped = unified("a", "b", &old, &new, 4);
    assert!(capped.ends_with("more lines of diff)\n"), "{capped}");
    assert_eq!(capped.lines().count(), 5);
    assert_eq!(unified("a", "b", &old, &old, 100), "");
}
