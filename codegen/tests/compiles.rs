//! The generator's output builds, lints clean and passes its own tests.
//!
//! One scratch workspace holds: the committed kitchen-sink snapshot
//! (`tests/snapshots/kitchen-sink`, every shape type and HTTP binding the generator
//! supports) as it is checked in, plus a fresh generation of it when that differs; a crate
//! generated from the complete official Chime SDK Meetings model (all 16 operations); and
//! one from each earlier published version of the model (`../shared/models/history`,
//! Smithy 1.0 and 2.0). In it:
//!
//! 1. `cargo clippy --workspace --all-targets --all-features -- -D warnings` (the
//!    `server` and `test-util` features included);
//! 2. the same with `--no-default-features` for the kitchen sink and the official model;
//! 3. `cargo test --no-default-features` for those crates: the official model's endpoint
//!    test cases (`config/endpoint.rs`) run. No default features, so the dependencies are
//!    built once for this and for `endpoint_rules.rs`' proof.
//!
//! Any warning fails the test, including the runtime crate's, which `-D warnings` does not
//! reach (it is a path dependency, not a member).
//!
//! The scratch workspace lives in `target/codegen-proof/workspace` (or `CODEGEN_PROOF_DIR`)
//! and builds into `target/codegen-proof`, both reused between runs: files are rewritten
//! only when the generator's output changes, so a warm run recompiles nothing it need not.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chime_caps_codegen::{generate, ir, load_model, runtime_path, Settings};
use support::proof::{self, Run};
use support::{
    as_tree, history_models, kitchen_sink_model, kitchen_sink_snapshot_files, official_model,
    read_tree, snapshot_dir, sync_tree, KITCHEN_SINK_CRATE,
};

/// A crate of the scratch workspace.
struct Member {
    /// Its directory in the workspace.
    dir: String,
    /// Its package name.
    package: String,
    files: BTreeMap<String, String>,
    /// The endpoint test cases its unit tests run, when they are run.
    endpoint_tests: Option<usize>,
}

fn scratch_dir() -> PathBuf {
    std::env::var_os("CODEGEN_PROOF_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| proof::target_dir().join("workspace"))
}

/// The crate generated from `model` into `workspace/dir`.
fn generated(workspace: &Path, dir: &str, model: &Path, package: &str) -> Member {
    let settings = Settings {
        model: model.to_path_buf(),
        out: workspace.join(dir),
        crate_name: package.to_owned(),
        operations: Vec::new(),
    };
    let files = generate(&settings)
        .unwrap_or_else(|e| panic!("{} does not generate: {e}", model.display()));
    Member {
        dir: dir.to_owned(),
        package: package.to_owned(),
        files: as_tree(&files),
        endpoint_tests: None,
    }
}

/// The endpoint test cases the crate generated from `model` carries.
fn endpoint_test_cases(model: &Path) -> usize {
    let options = ir::Options {
        crate_name: "count".into(),
        operations: Vec::new(),
    };
    let krate = ir::resolve(&load_model(model).unwrap(), &options).unwrap();
    krate.endpoint.tests.len()
}

/// The committed snapshot, its `Cargo.toml` pointing at the runtime from `workspace/dir`.
fn committed_snapshot(workspace: &Path, dir: &str) -> Member {
    let mut files = read_tree(&snapshot_dir());
    let manifest = files
        .get_mut("Cargo.toml")
        .expect("the snapshot has a Cargo.toml (run the snapshot test to write it)");
    let committed = format!("path = \"{}\"", runtime_path(&snapshot_dir()));
    let here = format!("path = \"{}\"", runtime_path(&workspace.join(dir)));
    assert_eq!(
        manifest.matches(&committed).count(),
        1,
        "the snapshot's Cargo.toml names the runtime once as `{committed}`:\n{manifest}"
    );
    *manifest = manifest.replace(&committed, &here);
    Member {
        dir: dir.to_owned(),
        package: KITCHEN_SINK_CRATE.to_owned(),
        files,
        endpoint_tests: Some(endpoint_test_cases(&kitchen_sink_model())),
    }
}

fn members(workspace: &Path) -> Vec<Member> {
    let mut members = vec![committed_snapshot(workspace, "kitchen-sink-snapshot")];
    if as_tree(&kitchen_sink_snapshot_files()) != read_tree(&snapshot_dir()) {
        eprintln!("the kitchen sink differs from its snapshot (see snapshot.rs); building both");
        let mut fresh = generated(
            workspace,
            "kitchen-sink-fresh",
            &kitchen_sink_model(),
            "codegen-proof-kitchen",
        );
        fresh.endpoint_tests = members[0].endpoint_tests;
        members.push(fresh);
    }
    if let Some(official) = official_model("the official model's crate") {
        let mut member = generated(workspace, "official", &official, "codegen-proof-official");
        let cases = endpoint_test_cases(&official);
        assert!(cases > 0, "the official model has endpoint test cases");
        member.endpoint_tests = Some(cases);
        members.push(member);
    }
    for model in history_models() {
        let stem = model.file_stem().unwrap().to_string_lossy();
        let version = stem.trim_start_matches("chime-sdk-meetings-");
        let dir = format!("history-{version}");
        let package = format!("codegen-proof-{dir}");
        members.push(generated(workspace, &dir, &model, &package));
    }
    members
}

/// Writes the members and the workspace manifest, and removes what earlier runs left.
fn write_workspace(workspace: &Path, members: &[Member]) {
    std::fs::create_dir_all(workspace).unwrap();
    for entry in std::fs::read_dir(workspace).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.is_dir() && !members.iter().any(|m| m.dir == name) {
            std::fs::remove_dir_all(&path).unwrap();
        }
    }
    for member in members {
        sync_tree(&workspace.join(&member.dir), &member.files);
    }
    let dirs: Vec<String> = members.iter().map(|m| m.dir.clone()).collect();
    proof::write_workspace(workspace, &dirs);
}

#[test]
fn generated_crates_pass_clippy_and_their_tests() {
    let workspace = scratch_dir();
    let members = members(&workspace);
    write_workspace(&workspace, &members);

    // The crates linted without default features too, and whose tests run.
    let tested: Vec<&Member> = members
        .iter()
        .filter(|m| m.endpoint_tests.is_some())
        .collect();
    let mut packages = Vec::new();
    for m in &tested {
        packages.extend(["-p", m.package.as_str()]);
    }
    const LINT: [&str; 7] = [
        "--all-targets",
        "--quiet",
        "--message-format",
        "short",
        "--",
        "-D",
        "warnings",
    ];
    let clippy_all = [&["clippy", "--workspace", "--all-features"][..], &LINT].concat();
    let clippy_none = [&["clippy", "--no-default-features"][..], &packages, &LINT].concat();
    let test = [&["test", "--no-default-features", "--quiet"][..], &packages].concat();

    let mut failures = Vec::new();
    let mut runs = Vec::new();
    for args in [clippy_all, clippy_none, test] {
        let run = proof::cargo(&workspace, &args);
        eprintln!("{} took {:.1?}", run.command, run.took);
        if !run.clean() {
            failures.push(run.report());
        }
        runs.push(run);
    }
    assert!(
        failures.is_empty(),
        "the generated crates ({} in {}) do not build cleanly:\n{}",
        members.len(),
        workspace.display(),
        failures.join("\n")
    );
    let test_run: &Run = runs.last().expect("the tests ran");
    let expected: usize = tested.iter().filter_map(|m| m.endpoint_tests).sum();
    assert_eq!(
        test_run.passed_tests(),
        expected,
        "one passing test per endpoint test case:\n{}",
        test_run.report()
    );
}
