//! `generated/` is exactly what `chime-caps-codegen generate` writes with the committed
//! settings (`model/codegen.toml`): a hand edit, or a generator/model change without a
//! regeneration, fails here. And `chime-caps-codegen check` says so with a non-zero exit
//! and the command that regenerates the crate.

use std::path::Path;
use std::process::Command;

use chime_caps_codegen::{generate, workspace_root, write, Settings};

const REGENERATE: &str = "cargo run -p chime-caps-codegen -- generate";

#[test]
fn generated_matches_what_generate_writes() {
    let settings = Settings::load(workspace_root()).expect("model/codegen.toml loads");
    let files = generate(&settings).expect("the committed model generates");
    let drift = write::check(&settings.out, &files).expect("generated/ is readable");
    if !drift.is_empty() {
        let list: Vec<String> = drift.iter().map(|d| format!("  {d}")).collect();
        panic!(
            "{} is stale: it differs from what the generator writes:\n{}\nregenerate it with: {REGENERATE}",
            settings.out.display(),
            list.join("\n")
        );
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn check_fails_on_a_stale_crate_and_prints_the_regenerate_command() {
    let root = workspace_root();
    let settings = Settings::load(root).unwrap();
    let files = generate(&settings).unwrap();
    let temp = tempfile::tempdir().unwrap();
    let out = temp.path().join("generated");
    // The copy starts as exactly what `generate` writes, whatever the state of generated/.
    copy_dir(&settings.out, &out);
    write::write(&out, &files).unwrap();

    let check = |out: &Path| {
        Command::new(env!("CARGO_BIN_EXE_chime-caps-codegen"))
            .current_dir(root)
            .args(["check", "--out"])
            .arg(out)
            .output()
            .expect("the binary runs")
    };
    let fresh = check(&out);
    assert!(
        fresh.status.success(),
        "check fails on a fresh crate: {}",
        String::from_utf8_lossy(&fresh.stderr)
    );

    let edited = out.join("src/types.rs");
    let mut text = std::fs::read_to_string(&edited).unwrap();
    text.push_str("\n// edited by hand\n");
    std::fs::write(&edited, text).unwrap();
    let stale = check(&out);
    let stderr = String::from_utf8_lossy(&stale.stderr);
    assert!(!stale.status.success(), "check passes on an edited crate");
    assert!(stderr.contains("changed: src/types.rs"), "{stderr}");
    assert!(stderr.contains(REGENERATE), "{stderr}");
}
