//! Generates the Chime SDK Meetings client for the two capability operations into
//! `$OUT_DIR/chime.rs`, which `src/main.rs` includes as `crate::chime`.

use chime_caps_codegen::Generator;

/// The operations the client offers; `src/main.rs` checks the generated module against
/// this list, passed on in `CHIME_OPERATIONS`.
const OPERATIONS: &[&str] = &[
    "UpdateAttendeeCapabilities",
    "BatchUpdateAttendeeCapabilitiesExcept",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    Generator::new("../../model/chime-sdk-meetings.json")
        .operations(OPERATIONS.iter().copied())
        .module_path("crate::chime")
        // The server bindings bring the generated route table, one entry per operation.
        .features(["server"])
        .generate_module("chime.rs")?;
    println!("cargo:rustc-env=CHIME_OPERATIONS={}", OPERATIONS.join(","));
    Ok(())
}
