//! Parameter values as the AWS CLI takes them: shorthand (`Audio=Receive,...`), JSON and
//! `file://PATH`. Depends on nothing of the binary but [`CliError`], so that the fuzz
//! harness (`fuzz/src/cli_params.rs`) can include it.

use std::io::Read;

use serde_json::Value;

use chime_caps::types::{AttendeeCapabilities, AttendeeIdItem, MediaCapabilities};

use super::CliError;

const CAPABILITY_KEYS: [&str; 3] = ["Audio", "Video", "Content"];

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
pub fn parse_json(text: &str, what: &str) -> Result<Value, CliError> {
    serde_json::from_str(text).map_err(|e| {
        CliError::Usage(format!(
            "Error parsing parameter '{what}': invalid JSON: {e}"
        ))
    })
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

pub fn capabilities_from_json(value: &Value, what: &str) -> Result<AttendeeCapabilities, CliError> {
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

pub fn attendee_ids_from_json(value: &Value) -> Result<Vec<AttendeeIdItem>, CliError> {
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
