//! Printing responses: JSON as the AWS CLI prints it, or a two-column table.

use chime_caps_runtime::json::WriteJson;
use chime_caps_runtime::server::ServerOperation;
use serde::Serialize;
use serde_json::Value;

use super::args::OutputFormat;

/// The text to print for `value` (a response in its wire form), or `None` when the
/// response is empty (the AWS CLI prints nothing then).
pub fn render(format: OutputFormat, title: &str, value: &Value) -> Option<String> {
    if is_empty(value) {
        return None;
    }
    Some(match format {
        OutputFormat::Json => json(value),
        OutputFormat::Table => table(title, value),
    })
}

/// `Op`'s `output` as the body the service sends for it (`Null` when it sends none).
pub fn response_value<Op: ServerOperation>(output: &Op::Output) -> Value {
    Op::write_output(output)
        .ok()
        .and_then(|response| serde_json::from_slice(&response.body).ok())
        .unwrap_or(Value::Null)
}

/// `value` as the service's wire JSON: the generated serializer, so the names and
/// formats are exactly those on the wire.
pub fn wire_value<T: WriteJson + ?Sized>(value: &T) -> Value {
    chime_caps_runtime::json::to_string(value)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or(Value::Null)
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Object(map) => map.is_empty(),
        _ => false,
    }
}

/// Pretty JSON with four-space indentation, like the AWS CLI.
pub fn json(value: &Value) -> String {
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut out, formatter);
    match value.serialize(&mut ser) {
        Ok(()) => String::from_utf8(out).unwrap_or_default(),
        Err(_) => value.to_string(),
    }
}

/// `title` over one row per leaf of `value` (`Attendee.Capabilities.Audio | Receive`).
pub fn table(title: &str, value: &Value) -> String {
    let mut rows = Vec::new();
    flatten("", value, &mut rows);
    let rows: Vec<Vec<String>> = rows.into_iter().map(|(k, v)| vec![k, v]).collect();
    grid(Some(title), &[], &rows)
}

/// A bordered table: an optional centred title, an optional header row, and the
/// rows (each as long as the widest row; short rows are padded).
pub fn grid(title: Option<&str>, headers: &[&str], rows: &[Vec<String>]) -> String {
    let columns = rows
        .iter()
        .map(Vec::len)
        .chain([headers.len()])
        .max()
        .unwrap_or(0)
        .max(1);
    let cell = |row: &[String], i: usize| row.get(i).map(String::as_str).unwrap_or("").to_string();
    let header_row: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
    let mut widths = vec![0usize; columns];
    for row in rows.iter().chain(std::iter::once(&header_row)) {
        for (i, width) in widths.iter_mut().enumerate() {
            *width = (*width).max(cell(row, i).chars().count());
        }
    }
    // Each column is drawn as "| cell " and the line closes with "|".
    let inner = |widths: &[usize]| widths.iter().map(|w| w + 3).sum::<usize>() - 1;
    if let Some(title) = title {
        let missing = (title.chars().count() + 4).saturating_sub(inner(&widths));
        if let Some(last) = widths.last_mut() {
            *last += missing;
        }
    }
    let rule = || {
        let parts: Vec<String> = widths.iter().map(|w| "-".repeat(w + 2)).collect();
        format!("+{}+\n", parts.join("+"))
    };
    let line = |row: &[String]| {
        let cells: Vec<String> = widths
            .iter()
            .enumerate()
            .map(|(i, w)| {
                let text = cell(row, i);
                let pad = w - text.chars().count();
                format!(" {text}{} ", " ".repeat(pad))
            })
            .collect();
        format!("|{}|\n", cells.join("|"))
    };
    let mut out = String::new();
    if let Some(title) = title {
        let width = inner(&widths);
        let pad = width - title.chars().count();
        out.push_str(&format!("+{}+\n", "-".repeat(width)));
        out.push_str(&format!(
            "|{}{title}{}|\n",
            " ".repeat(pad / 2),
            " ".repeat(pad - pad / 2)
        ));
    }
    out.push_str(&rule());
    if !headers.is_empty() {
        out.push_str(&line(&header_row));
        out.push_str(&rule());
    }
    for row in rows {
        out.push_str(&line(row));
    }
    out.push_str(&rule());
    out
}

fn flatten(prefix: &str, value: &Value, rows: &mut Vec<(String, String)>) {
    let join = |key: &str| {
        if prefix.is_empty() {
            key.to_string()
        } else {
            format!("{prefix}.{key}")
        }
    };
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                flatten(&join(key), value, rows);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                flatten(&format!("{prefix}[{i}]"), item, rows);
            }
        }
        Value::String(s) => rows.push((prefix.to_string(), s.clone())),
        Value::Null => {}
        other => rows.push((prefix.to_string(), other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_indented_like_the_aws_cli() {
        let v = serde_json::json!({"Attendee": {"AttendeeId": "a"}});
        assert_eq!(
            json(&v),
            "{\n    \"Attendee\": {\n        \"AttendeeId\": \"a\"\n    }\n}"
        );
        assert_eq!(
            render(OutputFormat::Json, "T", &serde_json::json!({})),
            None
        );
    }

    #[test]
    fn tables_flatten_nested_values() {
        let v = serde_json::json!({"Attendee": {"AttendeeId": "a-1", "Capabilities": {"Audio": "Receive"}}, "List": [1, 2]});
        let t = table("UpdateAttendeeCapabilities", &v);
        let lines: Vec<&str> = t.lines().collect();
        assert!(lines[1].contains("UpdateAttendeeCapabilities"));
        assert!(t.contains("| Attendee.AttendeeId         | a-1"), "{t}");
        assert!(t.contains("| Attendee.Capabilities.Audio | Receive"), "{t}");
        assert!(t.contains("| List[1]                     | 2"), "{t}");
        let width = lines[0].len();
        assert!(lines.iter().all(|l| l.len() == width), "{t}");
    }

    #[test]
    fn grids_have_headers_and_aligned_columns() {
        let rows = vec![
            vec!["1".to_string(), "long value".to_string()],
            vec!["22".to_string()],
        ];
        let g = grid(None, &["#", "What"], &rows);
        assert_eq!(
            g,
            "+----+------------+\n\
             | #  | What       |\n\
             +----+------------+\n\
             | 1  | long value |\n\
             | 22 |            |\n\
             +----+------------+\n"
        );
        let titled = grid(
            Some("A much longer title"),
            &[],
            &[vec!["k".into(), "v".into()]],
        );
        let widths: Vec<usize> = titled.lines().map(|l| l.chars().count()).collect();
        assert!(widths.iter().all(|w| *w == widths[0]), "{titled}");
    }
}
