//! `generated/` is exactly what `chime-caps-codegen generate` writes with the committed
//! settings (`model/codegen.toml`): a hand edit, or a generator/model change without a
//! regeneration, fails here. That `chime-caps-codegen check` reports a stale crate and
//! prints a command that repairs it is `determinism.rs`' subject.

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
