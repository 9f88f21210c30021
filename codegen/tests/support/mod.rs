//! What more than one integration test needs: running `cargo check` on a scratch
//! workspace, in the shared proof target directory.

use std::path::{Path, PathBuf};
use std::process::Command;

use chime_caps_codegen::workspace_root;

/// The target directory of scratch builds: one of its own, so a scratch build never
/// waits for the lock of the build running the tests, kept between runs so that only
/// the first one compiles the dependencies.
pub fn proof_target() -> PathBuf {
    workspace_root().join("target/codegen-proof")
}

/// Copies the workspace's lock file into `dir`, pinning the versions the registry cache
/// already holds.
pub fn pin_versions(dir: &Path) {
    let lock = workspace_root().join("Cargo.lock");
    if lock.is_file() {
        std::fs::copy(&lock, dir.join("Cargo.lock")).expect("the lock file copies");
    }
}

/// `cargo check --workspace` in `dir` with `target`: whether it passed, and its output.
/// Offline first; online only when the registry cache lacks a dependency. The caller's
/// flags and wrappers are removed so the scratch build reuses earlier ones.
pub fn cargo_check(dir: &Path, target: &Path) -> (bool, String) {
    let run = |offline: bool| {
        let mut command = Command::new(env!("CARGO"));
        command
            .current_dir(dir)
            .args([
                "check",
                "--workspace",
                "--quiet",
                "--message-format",
                "short",
            ])
            .env("CARGO_TARGET_DIR", target);
        for variable in [
            "RUSTFLAGS",
            "CARGO_ENCODED_RUSTFLAGS",
            "RUSTC_WRAPPER",
            "RUSTC_WORKSPACE_WRAPPER",
        ] {
            command.env_remove(variable);
        }
        if offline {
            command.arg("--offline");
        }
        let output = command.output().expect("cargo runs");
        let text = String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr);
        (output.status.success(), text)
    };
    let (passed, text) = run(true);
    let cache_lacks_a_crate =
        text.contains("--offline") || text.contains("failed to select a version");
    if passed || !cache_lacks_a_crate {
        return (passed, text);
    }
    eprintln!("offline resolution failed; retrying online:\n{text}");
    run(false)
}

/// The warnings in cargo's short-format output (registry crates' lints are capped by
/// cargo, so these are the checked code's own).
pub fn warnings(output: &str) -> Vec<&str> {
    output.lines().filter(|l| l.contains("warning")).collect()
}
