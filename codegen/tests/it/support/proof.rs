//! Cargo runs in scratch workspaces of generated crates.
//!
//! Every proof builds in one target directory, `target/codegen-proof` under the workspace:
//! a directory of its own (it never waits on the main build's lock) that is reused between
//! runs and between proofs, so the dependencies are compiled once. A build of the
//! project's own library against other generated code (the copy of the project in
//! `future_model.rs`) uses [`cargo_in`] with the outer build's directory
//! ([`outer_target_dir`]), where most of its dependencies are already compiled with the
//! same features.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chime_caps_codegen::workspace_root;

/// The features of a generated crate that only switch on the runtime's HTTPS client. No
/// generated code depends on them, so the proofs leave them out: with them the proof
/// directory would build the TLS stack.
pub const HTTPS_CLIENT_FEATURES: [&str; 2] = ["default-https-client", "rustls"];

/// The target directory every proof shares.
pub fn target_dir() -> PathBuf {
    workspace_root().join("target/codegen-proof")
}

/// Writes the scratch workspace's manifest listing `members`, with the project's lock
/// file, which pins the dependency versions already in the registry cache. The manifest
/// is only rewritten when it changes: its modification time is part of every member's
/// fingerprint.
pub fn write_workspace(dir: &Path, members: &[String]) {
    let list: Vec<String> = members.iter().map(|m| format!("{m:?}")).collect();
    let manifest = format!(
        "[workspace]\nmembers = [{}]\nresolver = \"2\"\n",
        list.join(", ")
    );
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join("Cargo.toml");
    if std::fs::read_to_string(&path).ok() != Some(manifest.clone()) {
        std::fs::write(&path, manifest).unwrap();
    }
    let lock = workspace_root().join("Cargo.lock");
    if lock.is_file() {
        std::fs::copy(&lock, dir.join("Cargo.lock")).unwrap();
    }
}

/// What one cargo command did.
pub struct Run {
    pub command: String,
    pub ok: bool,
    /// stdout and stderr.
    pub output: String,
    pub took: Duration,
}

impl Run {
    /// Lines reporting a warning: the generated crates must have none, and a path
    /// dependency's warnings (the runtime's) are not turned into errors by `-D warnings`.
    pub fn warnings(&self) -> Vec<&str> {
        self.output
            .lines()
            .filter(|l| l.contains("warning"))
            .collect()
    }

    /// Whether the command succeeded without a warning.
    pub fn clean(&self) -> bool {
        self.ok && self.warnings().is_empty()
    }

    /// The number of passing tests reported by `cargo test`.
    pub fn passed_tests(&self) -> usize {
        self.output
            .lines()
            .filter_map(|l| l.strip_prefix("test result: ok. "))
            .filter_map(|l| l.split(' ').next()?.parse::<usize>().ok())
            .sum()
    }

    /// The command and its output, for a failure message.
    pub fn report(&self) -> String {
        format!("$ {}\n{}", self.command, self.output)
    }
}

/// Whether environment variable `name` comes from the build running the tests, not from
/// the user: cargo sets `CARGO_MANIFEST_DIR`, `CARGO_PKG_*`, .. for a test binary, and
/// build scripts that watch one of them (`ring`'s does) would rerun whenever the proof is
/// started differently. Flags and wrappers are dropped too. Cargo's own settings
/// (`CARGO_HOME`, registry, network and HTTP options) are kept.
fn inherited_by_the_outer_build(name: &str) -> bool {
    const KEPT: &[&str] = &[
        "CARGO_HOME",
        "CARGO_NET_",
        "CARGO_HTTP_",
        "CARGO_REGISTRIES_",
        "CARGO_REGISTRY_",
    ];
    let cargo_var = name.starts_with("CARGO_") && !KEPT.iter().any(|k| name.starts_with(k));
    cargo_var
        || matches!(
            name,
            "OUT_DIR" | "RUSTFLAGS" | "RUSTDOCFLAGS" | "RUSTC_WRAPPER" | "RUSTC_WORKSPACE_WRAPPER"
        )
}

/// Runs `cargo ARGS` in `dir` with the shared target directory: offline first (the registry
/// cache holds every dependency once the workspace has built), online if a dependency is
/// missing from the cache. What the outer build sets is not passed on, so the proof's
/// artifacts do not depend on how the tests were started.
pub fn cargo(dir: &Path, args: &[&str]) -> Run {
    cargo_in(&target_dir(), dir, args)
}

/// The target directory of the build that runs these tests. Cargo does not hold its
/// lock while test binaries run, so a nested build may use it (and waits only while
/// another cargo command builds there); a crate whose features differ from the outer
/// build's gets artifacts of its own beside the outer ones.
pub fn outer_target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("CARGO_TARGET_TMPDIR is `<target>/tmp`")
        .to_owned()
}

/// [`cargo`] building into `target` instead.
pub fn cargo_in(target: &Path, dir: &Path, args: &[&str]) -> Run {
    let run = |offline: bool| {
        let mut cmd = Command::new(env!("CARGO"));
        cmd.current_dir(dir).args(args);
        for (name, _) in std::env::vars_os() {
            if inherited_by_the_outer_build(&name.to_string_lossy()) {
                cmd.env_remove(name);
            }
        }
        cmd.env("CARGO_TARGET_DIR", target);
        if offline {
            // An environment variable, not `--offline`: that flag must precede a `--`.
            cmd.env("CARGO_NET_OFFLINE", "true");
        }
        let started = Instant::now();
        let out = cmd.output().expect("cargo runs");
        Run {
            command: format!("cargo {}", args.join(" ")),
            ok: out.status.success(),
            output: format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
            took: started.elapsed(),
        }
    };
    let offline = run(true);
    let missing_offline =
        offline.output.contains("offline") || offline.output.contains("failed to select a version");
    if offline.ok || !missing_offline {
        return offline;
    }
    eprintln!(
        "offline resolution failed; retrying online:\n{}",
        offline.output
    );
    run(false)
}
