//! The five operations that carry attendee capabilities, with every combination the
//! service accepts, on the wire; and capabilities parsed from responses.
//!
//! The shared tests use only combinations the service accepts (content `None`, or
//! video `Receive`/`SendReceive`), so both crates send them unchanged. What the
//! official crate sends although the service refuses it (and chime-caps rejects
//! before sending) is in the feature-gated modules at the end.

use aws_sdk_chimesdkmeetings::types::{
    AttendeeCapabilities, AttendeeIdItem, CreateAttendeeRequestItem, MediaCapabilities,
};
use serde_json::{json, Value};

use crate::operations::{attendee_json, capabilities, meeting_json};
use crate::support::{client_with, Canned, Recorder, ATTENDEE_ID, MEETING_ID, OTHER_ATTENDEE_ID};

fn all_values() -> Vec<MediaCapabilities> {
    MediaCapabilities::values()
        .iter()
        .map(|value| MediaCapabilities::from(*value))
        .collect()
}

/// Every (audio, video, content) the service accepts.
fn accepted_combinations() -> Vec<AttendeeCapabilities> {
    let receives_video = |video: &MediaCapabilities| {
        matches!(
            video,
            MediaCapabilities::Receive | MediaCapabilities::SendReceive
        )
    };
    let mut accepted = Vec::new();
    for audio in all_values() {
        for video in all_values() {
            for content in all_values() {
                if content == MediaCapabilities::None || receives_video(&video) {
                    accepted.push(capabilities(audio.clone(), video.clone(), content));
                }
            }
        }
    }
    accepted
}

fn wire(caps: &AttendeeCapabilities) -> Value {
    json!({"Audio": caps.audio().as_str(), "Video": caps.video().as_str(), "Content": caps.content().as_str()})
}

fn request_item(external_user_id: &str, caps: &AttendeeCapabilities) -> CreateAttendeeRequestItem {
    CreateAttendeeRequestItem::builder()
        .external_user_id(external_user_id)
        .capabilities(caps.clone())
        .build()
        .expect("external user id is set")
}

#[test]
fn the_known_values_and_the_accepted_set() {
    assert_eq!(
        MediaCapabilities::values(),
        ["None", "Receive", "Send", "SendReceive"]
    );
    assert_eq!(accepted_combinations().len(), 40);
}

#[tokio::test]
async fn update_attendee_capabilities_sends_each_accepted_combination() {
    let http = Recorder::answering([Canned::json(
        200,
        json!({"Attendee": attendee_json("user-1", ATTENDEE_ID)}),
    )]);
    let client = client_with(&http);
    let combinations = accepted_combinations();
    for caps in &combinations {
        client
            .update_attendee_capabilities()
            .meeting_id(MEETING_ID)
            .attendee_id(ATTENDEE_ID)
            .capabilities(caps.clone())
            .send()
            .await
            .unwrap_or_else(|err| panic!("{caps:?}: {err:?}"));
    }
    let bodies: Vec<Value> = http.sent().iter().map(|sent| sent.json()).collect();
    let expected: Vec<Value> = combinations
        .iter()
        .map(|caps| json!({"Capabilities": wire(caps)}))
        .collect();
    assert_eq!(bodies, expected);
}

#[tokio::test]
async fn batch_update_except_sends_each_accepted_combination() {
    let http = Recorder::answering([Canned::raw(200, "")]);
    let client = client_with(&http);
    let combinations = accepted_combinations();
    for caps in &combinations {
        client
            .batch_update_attendee_capabilities_except()
            .meeting_id(MEETING_ID)
            .excluded_attendee_ids(
                AttendeeIdItem::builder()
                    .attendee_id(ATTENDEE_ID)
                    .build()
                    .unwrap(),
            )
            .capabilities(caps.clone())
            .send()
            .await
            .unwrap_or_else(|err| panic!("{caps:?}: {err:?}"));
    }
    let bodies: Vec<Value> = http.sent().iter().map(|sent| sent.json()).collect();
    let expected: Vec<Value> = combinations
        .iter()
        .map(|caps| json!({"ExcludedAttendeeIds": [{"AttendeeId": ATTENDEE_ID}], "Capabilities": wire(caps)}))
        .collect();
    assert_eq!(bodies, expected);
}

#[tokio::test]
async fn create_attendee_sends_each_accepted_combination() {
    let http = Recorder::answering([Canned::json(
        200,
        json!({"Attendee": attendee_json("user-1", ATTENDEE_ID)}),
    )]);
    let client = client_with(&http);
    let combinations = accepted_combinations();
    for caps in &combinations {
        client
            .create_attendee()
            .meeting_id(MEETING_ID)
            .external_user_id("user-1")
            .capabilities(caps.clone())
            .send()
            .await
            .unwrap_or_else(|err| panic!("{caps:?}: {err:?}"));
    }
    let bodies: Vec<Value> = http.sent().iter().map(|sent| sent.json()).collect();
    let expected: Vec<Value> = combinations
        .iter()
        .map(|caps| json!({"ExternalUserId": "user-1", "Capabilities": wire(caps)}))
        .collect();
    assert_eq!(bodies, expected);
}

/// One batch holding every accepted combination, one attendee each.
#[tokio::test]
async fn batch_create_attendee_sends_every_accepted_combination_in_one_batch() {
    let http = Recorder::answering([Canned::json(200, json!({"Attendees": [], "Errors": []}))]);
    let combinations = accepted_combinations();
    let items: Vec<CreateAttendeeRequestItem> = combinations
        .iter()
        .enumerate()
        .map(|(n, caps)| request_item(&format!("user-{n}"), caps))
        .collect();
    client_with(&http)
        .batch_create_attendee()
        .meeting_id(MEETING_ID)
        .set_attendees(Some(items))
        .send()
        .await
        .expect("canned 200");
    let expected: Vec<Value> = combinations
        .iter()
        .enumerate()
        .map(|(n, caps)| json!({"ExternalUserId": format!("user-{n}"), "Capabilities": wire(caps)}))
        .collect();
    assert_eq!(http.only().json(), json!({"Attendees": expected}));
}

/// A meeting without `MeetingFeatures`, with every accepted combination among its
/// first attendees.
#[tokio::test]
async fn create_meeting_with_attendees_sends_every_accepted_combination() {
    let http = Recorder::answering([Canned::json(
        200,
        json!({"Meeting": meeting_json(), "Attendees": [], "Errors": []}),
    )]);
    let combinations = accepted_combinations();
    let mut call = client_with(&http)
        .create_meeting_with_attendees()
        .client_request_token("token-caps")
        .media_region("us-east-1")
        .external_meeting_id("caps-sweep");
    for (n, caps) in combinations.iter().enumerate() {
        call = call.attendees(request_item(&format!("user-{n}"), caps));
    }
    call.send().await.expect("canned 200");
    let expected: Vec<Value> = combinations
        .iter()
        .enumerate()
        .map(|(n, caps)| json!({"ExternalUserId": format!("user-{n}"), "Capabilities": wire(caps)}))
        .collect();
    assert_eq!(
        http.only().json(),
        json!({
            "ClientRequestToken": "token-caps",
            "MediaRegion": "us-east-1",
            "ExternalMeetingId": "caps-sweep",
            "Attendees": expected
        })
    );
}

/// Every combination, accepted or not, and values the crate does not know, parse
/// from responses: reading is never refused.
#[tokio::test]
async fn capabilities_in_responses_parse_whatever_they_are() {
    let mut returned: Vec<AttendeeCapabilities> = Vec::new();
    for audio in all_values() {
        for video in all_values() {
            for content in all_values() {
                returned.push(capabilities(audio.clone(), video.clone(), content));
            }
        }
    }
    returned.push(capabilities(
        MediaCapabilities::from("Whisper"),
        MediaCapabilities::None,
        MediaCapabilities::SendReceive,
    ));
    let attendees: Vec<Value> = returned
        .iter()
        .enumerate()
        .map(|(n, caps)| {
            let mut attendee = attendee_json("user", &format!("id-{n}"));
            attendee["Capabilities"] = wire(caps);
            attendee
        })
        .collect();
    let http = Recorder::answering([Canned::json(200, json!({"Attendees": attendees}))]);
    let output = client_with(&http)
        .list_attendees()
        .meeting_id(MEETING_ID)
        .send()
        .await
        .expect("canned 200");
    let parsed: Vec<AttendeeCapabilities> = output
        .attendees()
        .iter()
        .map(|a| a.capabilities().cloned().expect("capabilities parsed"))
        .collect();
    assert_eq!(parsed, returned);
    let unknown = parsed.last().unwrap().audio();
    assert_eq!(unknown.as_str(), "Whisper");
    assert!(!MediaCapabilities::values().contains(&unknown.as_str()));
}

/// `OTHER_ATTENDEE_ID` can be excluded alongside another; order is kept.
#[tokio::test]
async fn batch_update_except_keeps_the_exclusion_order() {
    let http = Recorder::answering([Canned::raw(200, "")]);
    client_with(&http)
        .batch_update_attendee_capabilities_except()
        .meeting_id(MEETING_ID)
        .set_excluded_attendee_ids(Some(vec![
            AttendeeIdItem::builder()
                .attendee_id(OTHER_ATTENDEE_ID)
                .build()
                .unwrap(),
            AttendeeIdItem::builder()
                .attendee_id(ATTENDEE_ID)
                .build()
                .unwrap(),
        ]))
        .capabilities(capabilities(
            MediaCapabilities::None,
            MediaCapabilities::None,
            MediaCapabilities::None,
        ))
        .send()
        .await
        .expect("canned 200");
    assert_eq!(
        http.only().json()["ExcludedAttendeeIds"],
        json!([{"AttendeeId": OTHER_ATTENDEE_ID}, {"AttendeeId": ATTENDEE_ID}])
    );
}

/// Combinations the service refuses with `400`: content received without video
/// received.
fn refused_combinations() -> Vec<AttendeeCapabilities> {
    vec![
        capabilities(
            MediaCapabilities::SendReceive,
            MediaCapabilities::None,
            MediaCapabilities::SendReceive,
        ),
        capabilities(
            MediaCapabilities::SendReceive,
            MediaCapabilities::Send,
            MediaCapabilities::Receive,
        ),
    ]
}

/// A value the model does not list (one the service may add later).
fn unknown_value_capabilities() -> AttendeeCapabilities {
    capabilities(
        MediaCapabilities::from("Whisper"),
        MediaCapabilities::Receive,
        MediaCapabilities::None,
    )
}

async fn update_with(http: &Recorder, caps: &AttendeeCapabilities) -> Result<(), String> {
    client_with(http)
        .update_attendee_capabilities()
        .meeting_id(MEETING_ID)
        .attendee_id(ATTENDEE_ID)
        .capabilities(caps.clone())
        .send()
        .await
        .map(|_| ())
        .map_err(|err| format!("{err:?}"))
}

/// Both crates send a value they do not know as it is and leave the verdict to the
/// service (chime-caps with a `NotChecked` notice: see `chime_caps_only`).
#[tokio::test]
async fn unknown_values_are_sent_as_they_are() {
    let caps = unknown_value_capabilities();
    let http = Recorder::answering([Canned::error(400, "BadRequestException", "refused")]);
    let err = update_with(&http, &caps)
        .await
        .expect_err("the service answers 400");
    assert!(err.starts_with("ServiceError"), "{err}");
    assert!(err.contains("BadRequestException"), "{err}");
    assert_eq!(http.only().json(), json!({"Capabilities": wire(&caps)}));
}

/// The official crate sends whatever it is given and leaves the verdict to the
/// service.
#[cfg(feature = "official")]
mod official_only {
    use super::*;

    #[tokio::test]
    async fn refused_combinations_are_sent_as_they_are() {
        for caps in refused_combinations() {
            let http = Recorder::answering([Canned::error(400, "BadRequestException", "refused")]);
            let err = update_with(&http, &caps)
                .await
                .expect_err("the service answers 400");
            assert!(err.contains("BadRequestException"), "{err}");
            assert_eq!(http.only().json(), json!({"Capabilities": wire(&caps)}));
        }
    }
}

/// chime-caps refuses them before sending, as a construction failure; a value it
/// does not know is sent unchecked, with a `NotChecked` notice.
#[cfg(not(feature = "official"))]
mod chime_caps_only {
    use super::*;
    use aws_sdk_chimesdkmeetings::rules::NoticeKind;
    use aws_sdk_chimesdkmeetings::validation::{SendWithReport, ValidationClientExt};

    #[tokio::test]
    async fn refused_combinations_fail_before_sending() {
        for caps in refused_combinations() {
            let http = Recorder::answering([Canned::error(400, "BadRequestException", "refused")]);
            let err = update_with(&http, &caps)
                .await
                .expect_err("rejected locally");
            assert!(err.starts_with("ConstructionFailure"), "{caps:?}: {err}");
            assert!(http.sent().is_empty(), "{caps:?}: nothing may be sent");
        }
    }

    #[tokio::test]
    async fn unknown_values_are_sent_with_a_not_checked_notice() {
        let caps = unknown_value_capabilities();
        let http = Recorder::answering([Canned::json(
            200,
            json!({"Attendee": attendee_json("user-1", ATTENDEE_ID)}),
        )]);
        let client = client_with(&http);
        let (_, report) = client
            .update_attendee_capabilities()
            .meeting_id(MEETING_ID)
            .attendee_id(ATTENDEE_ID)
            .capabilities(caps.clone())
            .send_with_report(&client.validation())
            .await
            .expect("sent, and the service accepted it");
        assert_eq!(http.only().json(), json!({"Capabilities": wire(&caps)}));
        let not_checked: Vec<&str> = report
            .notices
            .iter()
            .filter(|n| n.notice.kind == NoticeKind::NotChecked)
            .map(|n| n.notice.field)
            .collect();
        assert_eq!(not_checked, ["Capabilities.Audio"], "{report:?}");
    }
}
