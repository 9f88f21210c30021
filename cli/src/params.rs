//! Parameter values as the AWS CLI takes them: shorthand (`Audio=Receive,...`),
//! JSON, `file://PATH`, and `--cli-input-json`.

use std::io::Read;

use serde_json::{Map, Value};

use chime_caps::types::{AttendeeCapabilities, AttendeeIdItem, MediaCapabilities};

use super::args::{BatchArgs, UpdateArgs};
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

const CAPABILITY_KEYS: [&str; 3] = ["Audio", "Video", "Content"];

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

/// Largest parameter value, given on the line or read from a file (4 MiB; the
/// largest valid input, 250 excluded ids, is about 15 KiB).
pub const MAX_INPUT_BYTES: usize = 4 << 20;

/// The text of the value of parameter `what`, reading `file://PATH` and
/// `fileb://PATH` values from the file; more than [`MAX_INPUT_BYTES`] is refused
/// (without reading further: `file:///dev/zero` costs 4 MiB, not all memory).
pub fn resolve(value: &str, what: &str) -> Result<String, CliError> {
    let too_large = |source: &str| {
        CliError::Usage(format!(
            "Error parsing parameter '{what}': {source} is larger than the limit of {} MiB \
             ({MAX_INPUT_BYTES} bytes) for a parameter value",
            MAX_INPUT_BYTES >> 20
        ))
    };
    let Some((scheme, path)) = ["file://", "fileb://"]
        .into_iter()
        .find_map(|scheme| value.strip_prefix(scheme).map(|path| (scheme, path)))
    else {
        if value.len() > MAX_INPUT_BYTES {
            return Err(too_large("the value"));
        }
        return Ok(value.to_string());
    };
    let unreadable = |e: &dyn std::fmt::Display| {
        CliError::Usage(format!(
            "Error parsing parameter '{what}': unable to read {scheme}{path}: {e}"
        ))
    };
    let file = std::fs::File::open(path).map_err(|e| unreadable(&e))?;
    let mut bytes = Vec::new();
    file.take(MAX_INPUT_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| unreadable(&e))?;
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(too_large(&format!("{scheme}{path}")));
    }
    String::from_utf8(bytes).map_err(|_| unreadable(&"the file is not UTF-8 text"))
}

/// `text` as JSON; the error names the option `what`.
fn parse_json(text: &str, what: &str) -> Result<Value, CliError> {
    serde_json::from_str(text).map_err(|e| {
        CliError::Usage(format!(
            "Error parsing parameter '{what}': invalid JSON: {e}"
        ))
    })
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

/// `--capabilities`: shorthand, JSON or `file://`.
pub fn parse_capabilities(value: &str) -> Result<AttendeeCapabilities, CliError> {
    let text = resolve(value, "--capabilities")?;
    let text = text.trim();
    if text.starts_with('{') {
        return capabilities_from_json(&parse_json(text, "--capabilities")?, "--capabilities");
    }
    let mut pairs = Vec::new();
    for item in text.split(',').map(str::trim) {
        if item.is_empty() {
            return Err(CliError::Usage(format!(
                "Error parsing parameter '--capabilities': an element of '{text}' is empty; \
                 separate KEY=VALUE pairs with single commas"
            )));
        }
        let (key, value) = item.split_once('=').ok_or_else(|| {
            CliError::Usage(format!(
                "Error parsing parameter '--capabilities': expected KEY=VALUE, got '{item}' \
                 (for example Audio=SendReceive,Video=Receive,Content=None)"
            ))
        })?;
        pairs.push((key.trim().to_string(), value.trim().to_string()));
    }
    capabilities_from_pairs(pairs, "--capabilities")
}

fn capabilities_from_json(value: &Value, what: &str) -> Result<AttendeeCapabilities, CliError> {
    let Value::Object(map) = value else {
        return Err(CliError::Usage(format!(
            "Error parsing parameter '{what}': expected an object like \
             {{\"Audio\":\"SendReceive\",\"Video\":\"Receive\",\"Content\":\"None\"}}"
        )));
    };
    let pairs = map
        .iter()
        .map(|(k, v)| match v {
            Value::String(s) => Ok((k.clone(), s.clone())),
            other => Err(CliError::Usage(format!(
                "Error parsing parameter '{what}': {k} must be a string, got {other}"
            ))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    capabilities_from_pairs(pairs, what)
}

fn capabilities_from_pairs(
    pairs: Vec<(String, String)>,
    what: &str,
) -> Result<AttendeeCapabilities, CliError> {
    let mut builder = AttendeeCapabilities::builder();
    let mut seen: Vec<String> = Vec::new();
    for (key, value) in pairs {
        if seen.contains(&key) {
            return Err(CliError::Usage(format!(
                "Error parsing parameter '{what}': the key '{key}' is given more than once; \
                 give each of {} once",
                CAPABILITY_KEYS.join(", ")
            )));
        }
        seen.push(key.clone());
        let value = MediaCapabilities::from(value.as_str());
        builder = match key.as_str() {
            "Audio" => builder.audio(value),
            "Video" => builder.video(value),
            "Content" => builder.content(value),
            other => {
                return Err(CliError::Usage(format!(
                    "Error parsing parameter '{what}': unknown key '{other}', must be one of: {}",
                    CAPABILITY_KEYS.join(", ")
                )))
            }
        };
    }
    let absent: Vec<&str> = [
        builder.get_audio().is_none(),
        builder.get_video().is_none(),
        builder.get_content().is_none(),
    ]
    .into_iter()
    .zip(CAPABILITY_KEYS)
    .filter_map(|(absent, key)| absent.then_some(key))
    .collect();
    if !absent.is_empty() {
        return Err(CliError::Usage(format!(
            "Parameter validation failed: missing required key(s) {} in '{what}'; set Audio, \
             Video and Content",
            absent.join(", ")
        )));
    }
    builder.build().map_err(CliError::invalid_parameter)
}

/// `--excluded-attendee-ids`: `AttendeeId=X AttendeeId=Y`, a JSON list, or `file://`.
pub fn parse_attendee_ids(values: &[String]) -> Result<Vec<AttendeeIdItem>, CliError> {
    if let [single] = values {
        let text = resolve(single, "--excluded-attendee-ids")?;
        if text.trim_start().starts_with('[') {
            return attendee_ids_from_json(&parse_json(&text, "--excluded-attendee-ids")?);
        }
    }
    values
        .iter()
        .map(|value| {
            let id = value
                .trim()
                .strip_prefix("AttendeeId=")
                .filter(|id| !id.is_empty() && !id.contains(','))
                .ok_or_else(|| {
                    CliError::Usage(format!(
                        "Error parsing parameter '--excluded-attendee-ids': expected \
                         AttendeeId=ID, got '{value}'"
                    ))
                })?;
            attendee_id_item(id)
        })
        .collect()
}

fn attendee_ids_from_json(value: &Value) -> Result<Vec<AttendeeIdItem>, CliError> {
    let bad = || {
        CliError::Usage(
            "Error parsing parameter 'ExcludedAttendeeIds': expected a list like \
             [{\"AttendeeId\":\"ID\"}]"
                .into(),
        )
    };
    let Value::Array(items) = value else {
        return Err(bad());
    };
    items
        .iter()
        .map(
            |item| match item.as_object().map(|o| (o.len(), o.get("AttendeeId"))) {
                Some((1, Some(Value::String(id)))) => attendee_id_item(id),
                _ => Err(bad()),
            },
        )
        .collect()
}

fn attendee_id_item(id: &str) -> Result<AttendeeIdItem, CliError> {
    AttendeeIdItem::builder()
        .attendee_id(id)
        .build()
        .map_err(CliError::invalid_parameter)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chime_caps::rules::capabilities as caps;
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
