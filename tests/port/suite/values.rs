//! What values print and compare as: builder errors for missing required members,
//! enums (order, unknown values, parse errors), outputs' `Debug`, the crate version.

use aws_sdk_chimesdkmeetings::error::ProvideErrorMetadata;
use aws_sdk_chimesdkmeetings::operation::update_attendee_capabilities::UpdateAttendeeCapabilitiesOutput;
use aws_sdk_chimesdkmeetings::types::{
    AttendeeCapabilities, AttendeeIdItem, ContentResolution, CreateAttendeeRequestItem,
    MediaCapabilities, Tag, VideoResolution,
};

/// `build()` of a type with required members fails on the first one missing (in model
/// order), with a message naming it and the type.
#[test]
fn builder_errors_name_the_missing_member() {
    let cases = [
        (
            AttendeeIdItem::builder().build().unwrap_err(),
            "attendee_id was missing: attendee_id was not specified but it is required when building AttendeeIdItem",
        ),
        (
            AttendeeCapabilities::builder()
                .audio(MediaCapabilities::Send)
                .build()
                .unwrap_err(),
            "video was missing: video was not specified but it is required when building AttendeeCapabilities",
        ),
        (
            Tag::builder().key("k").build().unwrap_err(),
            "value was missing: value was not specified but it is required when building Tag",
        ),
        (
            CreateAttendeeRequestItem::builder().build().unwrap_err(),
            "external_user_id was missing: external_user_id was not specified but it is required when building CreateAttendeeRequestItem",
        ),
    ];
    for (err, shown) in cases {
        assert_eq!(err.to_string(), shown);
    }
    let err = AttendeeIdItem::builder().build().unwrap_err();
    assert_eq!(
        format!("{err:?}"),
        r#"BuildError { kind: MissingField { field: "attendee_id", details: "attendee_id was not specified but it is required when building AttendeeIdItem" } }"#
    );
    let crate_error: aws_sdk_chimesdkmeetings::Error = err.into();
    assert_eq!(crate_error.to_string(), "unhandled error");
    assert_eq!(crate_error.code(), None);
}

/// Enum variants are ordered by their wire value (the derived `Ord` follows), and an
/// unknown value sorts after every known one.
#[test]
fn enums_order_by_wire_value() {
    assert_eq!(VideoResolution::values(), ["FHD", "HD", "None"]);
    assert_eq!(ContentResolution::values(), ["FHD", "None", "UHD"]);
    let mut values = [
        MediaCapabilities::from("Whisper"),
        MediaCapabilities::SendReceive,
        MediaCapabilities::None,
        MediaCapabilities::Send,
        MediaCapabilities::Receive,
    ];
    values.sort();
    let sorted: Vec<&str> = values.iter().map(MediaCapabilities::as_str).collect();
    assert_eq!(
        sorted,
        ["None", "Receive", "Send", "SendReceive", "Whisper"]
    );
}

/// An unknown value keeps its text; `try_parse` refuses it with a message naming it.
#[test]
fn unknown_enum_values() {
    let unknown = MediaCapabilities::from("Whisper");
    assert_eq!(unknown.to_string(), "Whisper");
    assert_eq!(
        format!("{unknown:?}"),
        r#"Unknown(UnknownVariantValue("Whisper"))"#
    );
    let err = MediaCapabilities::try_parse("Whisper").unwrap_err();
    assert_eq!(err.to_string(), "unknown enum variant: 'Whisper'");
    assert_eq!(
        format!("{err:?}"),
        r#"UnknownVariantError { value: "Whisper" }"#
    );
    assert_eq!(
        MediaCapabilities::try_parse("Receive").unwrap(),
        MediaCapabilities::Receive
    );
    assert_eq!(
        format!("{:?}", MediaCapabilities::SendReceive),
        "SendReceive"
    );
}

/// An output's `Debug` shows its members and the request id it was given.
#[test]
fn output_debug_shows_the_request_id() {
    let output = UpdateAttendeeCapabilitiesOutput::builder().build();
    assert_eq!(
        format!("{output:?}"),
        "UpdateAttendeeCapabilitiesOutput { attendee: None, _request_id: None }"
    );
}

/// The crate version is a `major.minor.patch` version (each crate its own).
#[test]
fn crate_version() {
    let parts: Vec<&str> = aws_sdk_chimesdkmeetings::meta::PKG_VERSION
        .split('.')
        .collect();
    assert_eq!(parts.len(), 3, "{parts:?}");
    assert!(parts.iter().all(|p| p.parse::<u32>().is_ok()), "{parts:?}");
}
