//! Rust names for Smithy names: heck's case conversions plus keyword escaping.
//!
//! The rules follow the official AWS Rust SDK so that code written against it ports
//! by changing the crate name: `UpdateAttendeeCapabilities` → `update_attendee_capabilities`,
//! a member `Type` → `r#type`, an enum member `SEND_RECEIVE` → `SendReceive`.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Every Rust keyword (strict, reserved and 2018+ edition keywords).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "gen", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers (`r#self` is not allowed).
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate"];

fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// Escapes a keyword: `type` → `r#type`, `self` → `self_`.
fn escape(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if is_keyword(&name) {
        format!("r#{name}")
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{name}")
    } else {
        name
    }
}

/// A field, method or module name: `ExcludedAttendeeIds` → `excluded_attendee_ids`.
pub fn snake(name: &str) -> String {
    escape(name.to_snake_case())
}

/// A type name: `ListAttendeesRequest` stays, `meeting` → `Meeting`, `Self` → `SelfValue`.
pub fn pascal(name: &str) -> String {
    let converted = name.to_upper_camel_case();
    match converted.as_str() {
        "Self" => "SelfValue".to_owned(),
        _ if converted.starts_with(|c: char| c.is_ascii_digit()) => format!("_{converted}"),
        _ => converted,
    }
}

/// An enum variant for an enum member name or value: `SEND_RECEIVE` → `SendReceive`.
/// `Unknown` is reserved for values the model does not list, so a member called
/// `Unknown` becomes `UnknownValue`.
pub fn variant(name: &str) -> String {
    match pascal(name).as_str() {
        "Unknown" => "UnknownValue".to_owned(),
        other => other.to_owned(),
    }
}

/// The name without a raw-identifier prefix, for string literals and derived names
/// (`r#type` → `type`, so a setter `set_type` is not `set_r#type`).
pub fn bare(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// The shape name of a shape id: `com.amazonaws.x#Meeting` → `Meeting`.
pub fn shape_name(shape_id: &str) -> &str {
    let name = shape_id.rsplit_once('#').map_or(shape_id, |(_, name)| name);
    name.split_once('$').map_or(name, |(shape, _)| shape)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_case_matches_the_official_sdk() {
        assert_eq!(
            snake("UpdateAttendeeCapabilities"),
            "update_attendee_capabilities"
        );
        assert_eq!(
            snake("BatchUpdateAttendeeCapabilitiesExcept"),
            "batch_update_attendee_capabilities_except"
        );
        assert_eq!(snake("ResourceARN"), "resource_arn");
        assert_eq!(snake("ExternalUserId"), "external_user_id");
    }

    #[test]
    fn keywords_are_escaped() {
        assert_eq!(snake("Type"), "r#type");
        assert_eq!(snake("Match"), "r#match");
        assert_eq!(snake("Self"), "self_");
        assert_eq!(snake("Crate"), "crate_");
        assert_eq!(snake("2ndValue"), "_2nd_value");
        assert_eq!(pascal("self"), "SelfValue");
        assert_eq!(bare("r#type"), "type");
        assert_eq!(bare("meeting_id"), "meeting_id");
    }

    #[test]
    fn enum_variants_are_pascal_and_never_unknown() {
        assert_eq!(variant("SEND_RECEIVE"), "SendReceive");
        assert_eq!(variant("NONE"), "None");
        assert_eq!(variant("FHD"), "Fhd");
        assert_eq!(variant("us-east-1"), "UsEast1");
        assert_eq!(variant("UNKNOWN"), "UnknownValue");
        assert_eq!(variant("1080p"), "_1080p");
    }

    #[test]
    fn shape_names_drop_namespace_and_member() {
        assert_eq!(
            shape_name("com.amazonaws.chimesdkmeetings#GuidString"),
            "GuidString"
        );
        assert_eq!(shape_name("a#S$member"), "S");
        assert_eq!(shape_name("Plain"), "Plain");
    }
}
