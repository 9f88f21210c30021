//! The full-model proof: the generator's output builds. One test generates a crate from
//! the complete official Chime SDK Meetings model (all 16 operations), one from the
//! kitchen-sink fixture (every shape type and HTTP binding the generator supports) and one
//! from each earlier published version of the model (`../shared/models/history`, Smithy 1.0
//! and 2.0), puts them all in one temporary workspace and runs `cargo check` there, failing
//! on any warning, so the generated code must be warning-free as well as valid.
//!
//! The build shares `target/codegen-proof` under the workspace: a directory of its own (it
//! never waits on the main build's lock) that is reused between runs, so only the first
//! run compiles the dependencies. Set `CODEGEN_PROOF_DIR` to keep the generated workspace.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use chime_caps_codegen::{generate_from_str, workspace_root, write, Settings};

fn generate_into(model: &Path, crate_name: &str, out: &Path) {
    let text = std::fs::read_to_string(model)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", model.display()));
    let settings = Settings {
        model: model.to_path_buf(),
        out: out.to_path_buf(),
        crate_name: crate_name.to_owned(),
        operations: Vec::new(),
    };
    let files = generate_from_str(&text, &model.display().to_string(), &settings)
        .unwrap_or_else(|e| panic!("{} does not generate: {e}", model.display()));
    write::write(out, &files).unwrap();
}

/// Runs cargo in `dir`: offline first (the registry cache holds every dependency once the
/// workspace has built), online if a dependency is missing from the cache.
fn cargo_check(dir: &Path, target: &Path) -> (bool, String) {
    let run = |offline: bool| {
        let mut cmd = Command::new(env!("CARGO"));
        cmd.current_dir(dir)
            .args([
                "check",
                "--workspace",
                "--quiet",
                "--message-format",
                "short",
            ])
            .env("CARGO_TARGET_DIR", target)
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_ENCODED_RUSTFLAGS")
            .env_remove("RUSTC_WRAPPER")
            .env_remove("RUSTC_WORKSPACE_WRAPPER");
        if offline {
            cmd.arg("--offline");
        }
        let out = cmd.output().expect("cargo runs");
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), text)
    };
    let (ok, text) = run(true);
    let missing_offline = text.contains("--offline") || text.contains("failed to select a version");
    if ok || !missing_offline {
        return (ok, text);
    }
    eprintln!("offline resolution failed; retrying online:\n{text}");
    run(false)
}

/// The earlier published versions of the official model, oldest first (none if absent).
fn history_models(root: &Path) -> Vec<PathBuf> {
    let dir = root.join("../shared/models/history");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipping the model history: {} is absent", dir.display());
        return Vec::new();
    };
    let mut models: Vec<PathBuf> = entries
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    models.sort();
    models
}

#[test]
fn generated_crates_build_without_warnings() {
    let root = workspace_root();
    let official = root.join("../shared/models/chime-sdk-meetings.json");
    let kitchen = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kitchen_sink.json");

    let temp = tempfile::tempdir().unwrap();
    let kept = std::env::var_os("CODEGEN_PROOF_DIR").map(PathBuf::from);
    let dir = kept.as_deref().unwrap_or(temp.path());
    std::fs::create_dir_all(dir).unwrap();

    let mut members = Vec::new();
    if official.is_file() {
        generate_into(&official, "codegen-proof-official", &dir.join("official"));
        members.push("official".to_owned());
    } else {
        eprintln!(
            "skipping the official model: {} is absent; checking the kitchen sink only",
            official.display()
        );
    }
    generate_into(&kitchen, "codegen-proof-kitchen", &dir.join("kitchen"));
    members.push("kitchen".to_owned());
    for model in history_models(root) {
        let stem = model.file_stem().unwrap().to_string_lossy();
        let version = stem.trim_start_matches("chime-sdk-meetings-");
        let member = format!("history-{version}");
        generate_into(
            &model,
            &format!("codegen-proof-{member}"),
            &dir.join(&member),
        );
        members.push(member);
    }

    let list: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[workspace]\nmembers = [{}]\nresolver = \"2\"\n",
            list.join(", ")
        ),
    )
    .unwrap();
    // The workspace's lock file pins the versions already in the registry cache.
    let lock = root.join("Cargo.lock");
    if lock.is_file() {
        std::fs::copy(&lock, dir.join("Cargo.lock")).unwrap();
    }

    let target = root.join("target/codegen-proof");
    let started = Instant::now();
    let (ok, out) = cargo_check(dir, &target);
    eprintln!(
        "cargo check of {} generated crate(s) took {:.1?}",
        members.len(),
        started.elapsed()
    );
    // Warnings are read from the output rather than denied with RUSTFLAGS, which would
    // rebuild every dependency (registry crates' own lints are capped by cargo).
    let warnings: Vec<&str> = out.lines().filter(|l| l.contains("warning")).collect();
    assert!(
        ok && warnings.is_empty(),
        "the generated crates do not build cleanly:\n{out}"
    );
}
