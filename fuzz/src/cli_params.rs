//! Target `cli_params`: the CLI's parameter parsing (`cli/src/shorthand.rs`, included by
//! path: the CLI is a binary), `--capabilities` and `--excluded-attendee-ids` in
//! shorthand and JSON. Refusals are expected; a panic or a hang is a finding.
//!
//! Besides "no panic": what is accepted reads back equal when written again in the
//! other syntax (capabilities as shorthand and as JSON, attendee ids as a JSON list), so
//! the parser does not keep something it half understood.
//!
//! Input: the first line names the option (`capabilities` or `excluded-attendee-ids`),
//! every following line is one argument value. `file://` values are left out: reading
//! files the input names is not the parser's job and would make runs depend on the
//! machine.

#[allow(dead_code)] // the exit codes and the rest of the binary's error API
#[path = "../../cli/src/error.rs"]
mod error;
#[path = "../../cli/src/shorthand.rs"]
mod shorthand;

use std::hint::black_box;

use chime_caps::types::{AttendeeCapabilities, AttendeeIdItem};
use error::CliError;

/// How far one input got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reached {
    /// No option named, or a value the harness leaves out.
    Skipped,
    /// The parser refused the value with a message.
    Refused,
    /// The parser accepted the value.
    Parsed,
}

/// Parses one input.
pub fn run(data: &[u8]) -> Reached {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.split('\n');
    let option = lines.next().unwrap_or_default().trim();
    let values: Vec<String> = lines.map(str::to_owned).collect();
    if values.is_empty() || values.iter().any(|v| v.trim_start().starts_with("file")) {
        return Reached::Skipped;
    }
    match option {
        "capabilities" => match shorthand::parse_capabilities(&values.join("\n")) {
            Ok(capabilities) => {
                capabilities_read_back(&capabilities);
                Reached::Parsed
            }
            Err(e) => refused(e),
        },
        "excluded-attendee-ids" => match shorthand::parse_attendee_ids(&values) {
            Ok(ids) => {
                attendee_ids_read_back(&ids);
                Reached::Parsed
            }
            Err(e) => refused(e),
        },
        _ => Reached::Skipped,
    }
}

fn refused(e: CliError) -> Reached {
    assert_eq!(e.exit_code(), error::exit::USAGE, "{e}");
    black_box(e.to_string());
    Reached::Refused
}

fn capabilities_read_back(capabilities: &AttendeeCapabilities) {
    let values = [
        ("Audio", capabilities.audio.as_str()),
        ("Video", capabilities.video.as_str()),
        ("Content", capabilities.content.as_str()),
    ];
    let json = serde_json::Value::Object(
        values
            .iter()
            .map(|(key, value)| ((*key).to_owned(), (*value).into()))
            .collect(),
    );
    let again = shorthand::parse_capabilities(&json.to_string())
        .unwrap_or_else(|e| panic!("{capabilities:?} written as {json} is refused: {e}"));
    assert_eq!(&again, capabilities, "read back from {json}");
    // Shorthand can only spell values without its separators and outer spaces.
    let spellable = values
        .iter()
        .all(|(_, v)| !v.contains([',', '=']) && v.trim() == *v && !v.is_empty());
    if spellable {
        let shorthand = values
            .iter()
            .map(|(key, value)| format!("{key}={value}"))
            .collect::<Vec<_>>()
            .join(",");
        let again = shorthand::parse_capabilities(&shorthand)
            .unwrap_or_else(|e| panic!("{capabilities:?} written as {shorthand} is refused: {e}"));
        assert_eq!(&again, capabilities, "read back from {shorthand}");
    }
}

fn attendee_ids_read_back(ids: &[AttendeeIdItem]) {
    let json = serde_json::Value::Array(
        ids.iter()
            .map(|item| serde_json::json!({ "AttendeeId": item.attendee_id }))
            .collect(),
    );
    let again = shorthand::parse_attendee_ids(&[json.to_string()])
        .unwrap_or_else(|e| panic!("{ids:?} written as {json} is refused: {e}"));
    assert_eq!(again, ids, "read back from {json}");
}
