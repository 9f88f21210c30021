//! The inputs of the two operations, merged from the options (parsed by [`shorthand`])
//! and `--cli-input-json`.
//!
//! [`shorthand`]: super::shorthand

use serde_json::{Map, Value};

use chime_caps::types::{AttendeeCapabilities, AttendeeIdItem};

use super::args::{BatchArgs, UpdateArgs};
use super::shorthand::{
    attendee_ids_from_json, capabilities_from_json, parse_attendee_ids, parse_capabilities,
    parse_json, resolve,
};
use super::CliError;

/// The input of `update-attendee-capabilities`, merged from the options and
/// `--cli-input-json`.
#[derive(Debug, Clone, PartialEq)]
pub struct UpdateRequest {
    pub meeting_id: String,
    pub attendee_id: String,
    pub capabilities: AttendeeCapabilities,
}

/// The input of `batch-update-attendee-capabilities-except`.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchRequest {
    pub meeting_id: String,
    pub excluded_attendee_ids: Vec<AttendeeIdItem>,
    pub capabilities: AttendeeCapabilities,
}

impl UpdateRequest {
    /// Merges the options over `--cli-input-json`.
    pub fn from_args(args: &UpdateArgs) -> Result<Self, CliError> {
        let mut input = cli_input(
            args.call.cli_input_json.as_deref(),
            &["MeetingId", "AttendeeId", "Capabilities"],
        )?;
        Ok(UpdateRequest {
            meeting_id: string_param(args.meeting_id.as_deref(), &mut input, "MeetingId")?,
            attendee_id: string_param(args.attendee_id.as_deref(), &mut input, "AttendeeId")?,
            capabilities: capabilities_param(args.call.capabilities.as_deref(), &mut input)?,
        })
    }
}

impl BatchRequest {
    /// Merges the options over `--cli-input-json`.
    pub fn from_args(args: &BatchArgs) -> Result<Self, CliError> {
        let mut input = cli_input(
            args.call.cli_input_json.as_deref(),
            &["MeetingId", "ExcludedAttendeeIds", "Capabilities"],
        )?;
        let excluded_attendee_ids = if args.excluded_attendee_ids.is_empty() {
            match input.remove("ExcludedAttendeeIds") {
                Some(value) => attendee_ids_from_json(&value)?,
                None => return Err(missing("--excluded-attendee-ids")),
            }
        } else {
            parse_attendee_ids(&args.excluded_attendee_ids)?
        };
        Ok(BatchRequest {
            meeting_id: string_param(args.meeting_id.as_deref(), &mut input, "MeetingId")?,
            excluded_attendee_ids,
            capabilities: capabilities_param(args.call.capabilities.as_deref(), &mut input)?,
        })
    }
}

fn missing(option: &str) -> CliError {
    CliError::Usage(format!("the following arguments are required: {option}"))
}

/// `--meeting-id`-style option name of a member.
fn option_name(member: &str) -> String {
    let mut out = String::from("--");
    for (i, c) in member.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// `--cli-input-json` as a map of the members `allowed`.
fn cli_input(value: Option<&str>, allowed: &[&str]) -> Result<Map<String, Value>, CliError> {
    let Some(value) = value else {
        return Ok(Map::new());
    };
    let Value::Object(map) = parse_json(&resolve(value, "--cli-input-json")?, "--cli-input-json")?
    else {
        return Err(CliError::Usage(
            "Error parsing parameter '--cli-input-json': expected a JSON object".into(),
        ));
    };
    if let Some(unknown) = map.keys().find(|k| !allowed.contains(&k.as_str())) {
        return Err(CliError::Usage(format!(
            "Parameter validation failed: unknown parameter in input: \"{unknown}\", must be one of: {}",
            allowed.join(", ")
        )));
    }
    Ok(map)
}

fn string_param(
    option: Option<&str>,
    input: &mut Map<String, Value>,
    member: &str,
) -> Result<String, CliError> {
    if let Some(value) = option {
        return Ok(value.to_string());
    }
    match input.remove(member) {
        Some(Value::String(s)) => Ok(s),
        Some(other) => Err(CliError::Usage(format!(
            "Parameter validation failed: invalid type for parameter {member}, value: {other}, \
             valid types: string"
        ))),
        None => Err(missing(&option_name(member))),
    }
}

fn capabilities_param(
    option: Option<&str>,
    input: &mut Map<String, Value>,
) -> Result<AttendeeCapabilities, CliError> {
    match (option, input.remove("Capabilities")) {
        (Some(text), _) => parse_capabilities(text),
        (None, Some(value)) => capabilities_from_json(&value, "Capabilities"),
        (None, None) => Err(missing("--capabilities")),
    }
}

#[cfg(test)]
mod tests {
    use super::super::shorthand::MAX_INPUT_BYTES;
    use super::*;
    use chime_caps::rules::capabilities as caps;
    use chime_caps::types::MediaCapabilities;
    use MediaCapabilities as M;

    fn usage(r: Result<impl std::fmt::Debug, CliError>) -> String {
        match r {
            Err(CliError::Usage(m)) => m,
            other => panic!("expected a usage error, got {other:?}"),
        }
    }

    #[test]
    fn capabilities_parse_from_shorthand_json_and_files() {
        let want = caps(M::SendReceive, M::Receive, M::None);
        assert_eq!(
            parse_capabilities("Audio=SendReceive,Video=Receive,Content=None").unwrap(),
            want
        );
        assert_eq!(
            parse_capabilities(" Content=None , Video=Receive,Audio=SendReceive ").unwrap(),
            want
        );
        let json = r#"{"Audio":"SendReceive","Video":"Receive","Content":"None"}"#;
        assert_eq!(parse_capabilities(json).unwrap(), want);
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), json).unwrap();
        assert_eq!(
            parse_capabilities(&format!("file://{}", file.path().display())).unwrap(),
            want
        );
        // Unknown values are left to validation, as the AWS CLI leaves them to the service.
        assert_eq!(
            parse_capabilities("Audio=Loud,Video=None,Content=None")
                .unwrap()
                .audio
                .as_str(),
            "Loud"
        );
    }

    #[test]
    fn bad_capabilities_say_what_is_wrong() {
        assert!(usage(parse_capabilities("Audio=None,Video=None"))
            .contains("missing required key(s) Content"));
        assert!(usage(parse_capabilities(
            "Audio=None,Video=None,Content=None,Screen=None"
        ))
        .contains("'Screen'"));
        assert!(usage(parse_capabilities("SendReceive")).contains("expected KEY=VALUE"));
        assert!(usage(parse_capabilities("{\"Audio\":1}")).contains("must be a string"));
        assert!(usage(parse_capabilities("{\"Audio\":")).contains("invalid JSON"));
        assert!(usage(parse_capabilities("file:///does/not/exist")).contains("unable to read"));
    }

    #[test]
    fn repeated_keys_and_empty_elements_are_refused() {
        for (value, needle) in [
            (
                "Audio=Send,Audio=None,Video=None,Content=None",
                "'Audio' is given more than once",
            ),
            (
                "Audio=None,Video=None,Content=None,Video=Receive",
                "'Video' is given more than once",
            ),
            ("Audio=None,,Video=None,Content=None", "is empty"),
            ("Audio=None,Video=None,Content=None,", "is empty"),
            (",Audio=None,Video=None,Content=None", "is empty"),
        ] {
            let message = usage(parse_capabilities(value));
            assert!(message.contains(needle), "{value}: {message}");
        }
    }

    #[test]
    fn parameter_values_are_bounded() {
        // A file that never ends is refused after the limit, not read into memory.
        let message = usage(parse_capabilities("file:///dev/zero"));
        assert!(
            message.contains("file:///dev/zero is larger than the limit of 4 MiB (4194304 bytes)"),
            "{message}"
        );
        let message = usage(resolve("fileb:///dev/zero", "--cli-input-json"));
        assert!(message.contains("'--cli-input-json'"), "{message}");
        // Exactly at the limit is read.
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), vec![b' '; MAX_INPUT_BYTES]).unwrap();
        let at_limit = resolve(&format!("fileb://{}", file.path().display()), "x").unwrap();
        assert_eq!(at_limit.len(), MAX_INPUT_BYTES);
        let inline = "x".repeat(MAX_INPUT_BYTES + 1);
        assert!(usage(resolve(&inline, "--cli-input-json")).contains("the value is larger"));
    }

    #[test]
    fn attendee_ids_parse_from_shorthand_and_json() {
        let ids = |v: Vec<AttendeeIdItem>| v.into_iter().map(|i| i.attendee_id).collect::<Vec<_>>();
        let args = ["AttendeeId=x".to_string(), "AttendeeId=y".to_string()];
        assert_eq!(ids(parse_attendee_ids(&args).unwrap()), ["x", "y"]);
        let json = [r#"[{"AttendeeId":"x"},{"AttendeeId":"y"}]"#.to_string()];
        assert_eq!(ids(parse_attendee_ids(&json).unwrap()), ["x", "y"]);
        assert!(usage(parse_attendee_ids(&["x".to_string()])).contains("expected AttendeeId=ID"));
        assert!(
            usage(parse_attendee_ids(&[r#"[{"Id":"x"}]"#.to_string()])).contains("expected a list")
        );
    }

    #[test]
    fn cli_input_json_fills_what_the_options_do_not() {
        let args = UpdateArgs {
            meeting_id: Some("from-option".into()),
            attendee_id: None,
            call: super::super::args::CallArgs {
                capabilities: None,
                cli_input_json: Some(
                    r#"{"MeetingId":"from-json","AttendeeId":"a","Capabilities":{"Audio":"None","Video":"None","Content":"None"}}"#.into(),
                ),
                dry_run: false,
                no_lookup: false,
            },
        };
        let req = UpdateRequest::from_args(&args).unwrap();
        assert_eq!(req.meeting_id, "from-option");
        assert_eq!(req.attendee_id, "a");
        assert_eq!(req.capabilities, caps(M::None, M::None, M::None));

        let mut bad = args.clone();
        bad.call.cli_input_json = Some(r#"{"MeetingID":"x"}"#.into());
        assert!(usage(UpdateRequest::from_args(&bad)).contains("\"MeetingID\""));
        let mut none = args;
        none.call.cli_input_json = None;
        assert!(usage(UpdateRequest::from_args(&none)).contains("--attendee-id"));
    }
}
