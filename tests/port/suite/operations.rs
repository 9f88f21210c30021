//! All sixteen operations: the request the fluent builder puts on the wire (method,
//! path, query, JSON body) and the output parsed from a canned response.

use aws_sdk_chimesdkmeetings::types::{
    Attendee, AttendeeCapabilities, AttendeeFeatures, AttendeeIdItem, AudioFeatures,
    ContentFeatures, ContentResolution, CreateAttendeeError, CreateAttendeeRequestItem,
    EngineTranscribeMedicalSettings, EngineTranscribeSettings, MediaCapabilities, MediaPlacement,
    Meeting, MeetingFeatureStatus, MeetingFeaturesConfiguration, NotificationsConfiguration, Tag,
    TranscribeLanguageCode, TranscribeMedicalLanguageCode, TranscribeMedicalSpecialty,
    TranscribeMedicalType, TranscribeRegion, TranscriptionConfiguration, VideoFeatures,
    VideoResolution,
};
use serde_json::{json, Value};

use crate::support::{
    client_with, Canned, Recorder, Sent, ATTENDEE_ID, MEETING_ID, OTHER_ATTENDEE_ID,
};

const RESOURCE_ARN: &str =
    "arn:aws:chime:us-east-1:123456789012:meeting/6bd0ae5c-0f9c-4b8b-a7a5-5bf5a0f0e2f1";

/// Asserts what was sent: method, path, query parameters (in any order) and body.
pub fn assert_request(sent: &Sent, method: &str, path: &str, query: &[(&str, &str)], body: Value) {
    assert_eq!(sent.method, method, "method of {sent:#?}");
    let (sent_path, sent_query) = sent.target().split_once('?').unwrap_or((sent.target(), ""));
    assert_eq!(sent_path, path, "path of {sent:#?}");
    let mut sent_pairs: Vec<(&str, &str)> = sent_query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
        .collect();
    let mut expected_pairs = query.to_vec();
    sent_pairs.sort_unstable();
    expected_pairs.sort_unstable();
    assert_eq!(sent_pairs, expected_pairs, "query of {sent:#?}");
    assert_eq!(sent.json(), body, "body of {sent:#?}");
    if body.is_object() {
        assert_eq!(sent.header("content-type"), Some("application/json"));
    }
}

pub fn capabilities(
    audio: MediaCapabilities,
    video: MediaCapabilities,
    content: MediaCapabilities,
) -> AttendeeCapabilities {
    AttendeeCapabilities::builder()
        .audio(audio)
        .video(video)
        .content(content)
        .build()
        .expect("all three capabilities are set")
}

fn presenter() -> AttendeeCapabilities {
    capabilities(
        MediaCapabilities::SendReceive,
        MediaCapabilities::SendReceive,
        MediaCapabilities::SendReceive,
    )
}

fn presenter_json() -> Value {
    json!({"Audio": "SendReceive", "Video": "SendReceive", "Content": "SendReceive"})
}

/// An attendee as the service returns it, and the same attendee as the crate's type.
pub fn attendee_json(external_user_id: &str, attendee_id: &str) -> Value {
    json!({
        "ExternalUserId": external_user_id,
        "AttendeeId": attendee_id,
        "JoinToken": format!("join-token-of-{attendee_id}"),
        "Capabilities": {"Audio": "SendReceive", "Video": "Receive", "Content": "None"}
    })
}

pub fn attendee(external_user_id: &str, attendee_id: &str) -> Attendee {
    Attendee::builder()
        .external_user_id(external_user_id)
        .attendee_id(attendee_id)
        .join_token(format!("join-token-of-{attendee_id}"))
        .capabilities(capabilities(
            MediaCapabilities::SendReceive,
            MediaCapabilities::Receive,
            MediaCapabilities::None,
        ))
        .build()
}

pub fn meeting_json() -> Value {
    json!({
        "MeetingId": MEETING_ID,
        "MeetingHostId": "host-1",
        "ExternalMeetingId": "standup-42",
        "MediaRegion": "us-east-1",
        "MediaPlacement": {
            "AudioHostUrl": "audio.example:3478",
            "AudioFallbackUrl": "wss://fallback.example/audio",
            "SignalingUrl": "wss://signal.example/control",
            "TurnControlUrl": "https://turn.example/control",
            "ScreenDataUrl": "wss://screen.example/data",
            "ScreenViewingUrl": "wss://screen.example/view",
            "ScreenSharingUrl": "wss://screen.example/share",
            "EventIngestionUrl": "https://events.example/ingest"
        },
        "MeetingFeatures": {
            "Audio": {"EchoReduction": "AVAILABLE"},
            "Video": {"MaxResolution": "FHD"},
            "Content": {"MaxResolution": "UHD"},
            "Attendee": {"MaxCount": 250}
        },
        "PrimaryMeetingId": "b1f8a7c2-3d4e-4f5a-8b9c-0d1e2f3a4b5c",
        "TenantIds": ["tenant-a", "tenant-b"],
        "MeetingArn": RESOURCE_ARN
    })
}

pub fn meeting() -> Meeting {
    Meeting::builder()
        .meeting_id(MEETING_ID)
        .meeting_host_id("host-1")
        .external_meeting_id("standup-42")
        .media_region("us-east-1")
        .media_placement(
            MediaPlacement::builder()
                .audio_host_url("audio.example:3478")
                .audio_fallback_url("wss://fallback.example/audio")
                .signaling_url("wss://signal.example/control")
                .turn_control_url("https://turn.example/control")
                .screen_data_url("wss://screen.example/data")
                .screen_viewing_url("wss://screen.example/view")
                .screen_sharing_url("wss://screen.example/share")
                .event_ingestion_url("https://events.example/ingest")
                .build(),
        )
        .meeting_features(
            MeetingFeaturesConfiguration::builder()
                .audio(
                    AudioFeatures::builder()
                        .echo_reduction(MeetingFeatureStatus::Available)
                        .build(),
                )
                .video(
                    VideoFeatures::builder()
                        .max_resolution(VideoResolution::Fhd)
                        .build(),
                )
                .content(
                    ContentFeatures::builder()
                        .max_resolution(ContentResolution::Uhd)
                        .build(),
                )
                .attendee(AttendeeFeatures::builder().max_count(250).build())
                .build(),
        )
        .primary_meeting_id("b1f8a7c2-3d4e-4f5a-8b9c-0d1e2f3a4b5c")
        .tenant_ids("tenant-a")
        .tenant_ids("tenant-b")
        .meeting_arn(RESOURCE_ARN)
        .build()
}

fn tag(key: &str, value: &str) -> Tag {
    Tag::builder()
        .key(key)
        .value(value)
        .build()
        .expect("key and value are set")
}

fn request_item(
    external_user_id: &str,
    caps: Option<AttendeeCapabilities>,
) -> CreateAttendeeRequestItem {
    CreateAttendeeRequestItem::builder()
        .external_user_id(external_user_id)
        .set_capabilities(caps)
        .build()
        .expect("external user id is set")
}

fn batch_error_json() -> Value {
    json!({"ExternalUserId": "user-dup", "ErrorCode": "Conflict", "ErrorMessage": "already joined"})
}

fn batch_error() -> CreateAttendeeError {
    CreateAttendeeError::builder()
        .external_user_id("user-dup")
        .error_code("Conflict")
        .error_message("already joined")
        .build()
}

#[tokio::test]
async fn batch_create_attendee() {
    let http = Recorder::answering([Canned::json(
        200,
        json!({"Attendees": [attendee_json("user-1", ATTENDEE_ID)], "Errors": [batch_error_json()]}),
    )]);
    let output = client_with(&http)
        .batch_create_attendee()
        .meeting_id(MEETING_ID)
        .attendees(request_item("user-1", Some(presenter())))
        .attendees(request_item("user-dup", None))
        .send()
        .await
        .expect("canned 200 parses");
    assert_request(
        &http.only(),
        "POST",
        &format!("/meetings/{MEETING_ID}/attendees"),
        &[("operation", "batch-create")],
        json!({"Attendees": [
            {"ExternalUserId": "user-1", "Capabilities": presenter_json()},
            {"ExternalUserId": "user-dup"}
        ]}),
    );
    assert_eq!(output.attendees(), &[attendee("user-1", ATTENDEE_ID)]);
    assert_eq!(output.errors(), &[batch_error()]);
}

#[tokio::test]
async fn batch_update_attendee_capabilities_except() {
    let http = Recorder::answering([Canned::raw(200, "")]);
    client_with(&http)
        .batch_update_attendee_capabilities_except()
        .meeting_id(MEETING_ID)
        .excluded_attendee_ids(
            AttendeeIdItem::builder()
                .attendee_id(ATTENDEE_ID)
                .build()
                .unwrap(),
        )
        .excluded_attendee_ids(
            AttendeeIdItem::builder()
                .attendee_id(OTHER_ATTENDEE_ID)
                .build()
                .unwrap(),
        )
        .capabilities(capabilities(
            MediaCapabilities::Receive,
            MediaCapabilities::Receive,
            MediaCapabilities::Receive,
        ))
        .send()
        .await
        .expect("canned 200 parses");
    assert_request(
        &http.only(),
        "PUT",
        &format!("/meetings/{MEETING_ID}/attendees/capabilities"),
        &[("operation", "batch-update-except")],
        json!({
            "ExcludedAttendeeIds": [{"AttendeeId": ATTENDEE_ID}, {"AttendeeId": OTHER_ATTENDEE_ID}],
            "Capabilities": {"Audio": "Receive", "Video": "Receive", "Content": "Receive"}
        }),
    );
}

#[tokio::test]
async fn create_attendee() {
    let http = Recorder::answering([Canned::json(
        200,
        json!({"Attendee": attendee_json("user-1", ATTENDEE_ID)}),
    )]);
    let output = client_with(&http)
        .create_attendee()
        .meeting_id(MEETING_ID)
        .external_user_id("user-1")
        .capabilities(presenter())
        .send()
        .await
        .expect("canned 200 parses");
    assert_request(
        &http.only(),
        "POST",
        &format!("/meetings/{MEETING_ID}/attendees"),
        &[],
        json!({"ExternalUserId": "user-1", "Capabilities": presenter_json()}),
    );
    assert_eq!(output.attendee(), Some(&attendee("user-1", ATTENDEE_ID)));
}

#[tokio::test]
async fn create_meeting() {
    let http = Recorder::answering([Canned::json(200, json!({"Meeting": meeting_json()}))]);
    let output = client_with(&http)
        .create_meeting()
        .client_request_token("token-0001")
        .media_region("us-east-1")
        .meeting_host_id("host-1")
        .external_meeting_id("standup-42")
        .notifications_configuration(
            NotificationsConfiguration::builder()
                .sns_topic_arn("arn:aws:sns:us-east-1:123456789012:meetings")
                .sqs_queue_arn("arn:aws:sqs:us-east-1:123456789012:meetings")
                .lambda_function_arn("arn:aws:lambda:us-east-1:123456789012:function:meetings")
                .build(),
        )
        .meeting_features(
            MeetingFeaturesConfiguration::builder()
                .audio(
                    AudioFeatures::builder()
                        .echo_reduction(MeetingFeatureStatus::Available)
                        .build(),
                )
                .video(
                    VideoFeatures::builder()
                        .max_resolution(VideoResolution::Hd)
                        .build(),
                )
                .content(
                    ContentFeatures::builder()
                        .max_resolution(ContentResolution::Fhd)
                        .build(),
                )
                .attendee(AttendeeFeatures::builder().max_count(10).build())
                .build(),
        )
        .primary_meeting_id("b1f8a7c2-3d4e-4f5a-8b9c-0d1e2f3a4b5c")
        .tenant_ids("tenant-a")
        .tags(tag("team", "media"))
        .send()
        .await
        .expect("canned 200 parses");
    assert_request(
        &http.only(),
        "POST",
        "/meetings",
        &[],
        json!({
            "ClientRequestToken": "token-0001",
            "MediaRegion": "us-east-1",
            "MeetingHostId": "host-1",
            "ExternalMeetingId": "standup-42",
            "NotificationsConfiguration": {
                "SnsTopicArn": "arn:aws:sns:us-east-1:123456789012:meetings",
                "SqsQueueArn": "arn:aws:sqs:us-east-1:123456789012:meetings",
                "LambdaFunctionArn": "arn:aws:lambda:us-east-1:123456789012:function:meetings"
            },
            "MeetingFeatures": {
                "Audio": {"EchoReduction": "AVAILABLE"},
                "Video": {"MaxResolution": "HD"},
                "Content": {"MaxResolution": "FHD"},
                "Attendee": {"MaxCount": 10}
            },
            "PrimaryMeetingId": "b1f8a7c2-3d4e-4f5a-8b9c-0d1e2f3a4b5c",
            "TenantIds": ["tenant-a"],
            "Tags": [{"Key": "team", "Value": "media"}]
        }),
    );
    assert_eq!(output.meeting(), Some(&meeting()));
}

/// `MediaPlacementNetworkType` was added to the service after the newest model this
/// project generates from (`../shared/models`), so only the official crate has it.
#[cfg(feature = "official")]
#[tokio::test]
async fn create_meeting_sends_the_media_placement_network_type() {
    use aws_sdk_chimesdkmeetings::types::MediaPlacementNetworkType;
    let http = Recorder::answering([Canned::json(200, json!({"Meeting": meeting_json()}))]);
    client_with(&http)
        .create_meeting()
        .client_request_token("token-0001")
        .media_region("us-east-1")
        .media_placement_network_type(MediaPlacementNetworkType::DualStack)
        .send()
        .await
        .expect("canned 200 parses");
    assert_eq!(
        http.only().json()["MediaPlacementNetworkType"],
        json!("DualStack")
    );
}

/// The idempotency token the model marks is filled in when the caller leaves it out:
/// a fresh UUID v4 per call.
#[tokio::test]
async fn create_meeting_fills_in_a_fresh_client_request_token() {
    let http = Recorder::answering([Canned::json(200, json!({"Meeting": meeting_json()}))]);
    let client = client_with(&http);
    for _ in 0..2 {
        client
            .create_meeting()
            .media_region("us-east-1")
            .external_meeting_id("standup-42")
            .send()
            .await
            .expect("canned 200 parses");
    }
    let tokens: Vec<String> = http
        .sent()
        .iter()
        .map(|sent| {
            sent.json()["ClientRequestToken"]
                .as_str()
                .expect("a token is sent")
                .to_string()
        })
        .collect();
    for token in &tokens {
        let groups: Vec<usize> = token.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12], "not a UUID: {token}");
        assert_eq!(&token[14..15], "4", "not a version-4 UUID: {token}");
    }
    assert_ne!(tokens[0], tokens[1], "each call gets its own token");
}

#[tokio::test]
async fn create_meeting_with_attendees() {
    let http = Recorder::answering([Canned::json(
        200,
        json!({
            "Meeting": meeting_json(),
            "Attendees": [attendee_json("user-1", ATTENDEE_ID), attendee_json("user-2", OTHER_ATTENDEE_ID)],
            "Errors": [batch_error_json()]
        }),
    )]);
    let output = client_with(&http)
        .create_meeting_with_attendees()
        .client_request_token("token-0002")
        .media_region("eu-west-1")
        .external_meeting_id("standup-43")
        .attendees(request_item("user-1", Some(presenter())))
        .attendees(request_item("user-2", None))
        .tags(tag("team", "media"))
        .send()
        .await
        .expect("canned 200 parses");
    assert_request(
        &http.only(),
        "POST",
        "/meetings",
        &[("operation", "create-attendees")],
        json!({
            "ClientRequestToken": "token-0002",
            "MediaRegion": "eu-west-1",
            "ExternalMeetingId": "standup-43",
            "Attendees": [
                {"ExternalUserId": "user-1", "Capabilities": presenter_json()},
                {"ExternalUserId": "user-2"}
            ],
            "Tags": [{"Key": "team", "Value": "media"}]
        }),
    );
    assert_eq!(output.meeting(), Some(&meeting()));
    assert_eq!(
        output.attendees(),
        &[
            attendee("user-1", ATTENDEE_ID),
            attendee("user-2", OTHER_ATTENDEE_ID)
        ]
    );
    assert_eq!(output.errors(), &[batch_error()]);
}

#[tokio::test]
async fn delete_attendee() {
    let http = Recorder::answering([Canned::raw(204, "")]);
    client_with(&http)
        .delete_attendee()
        .meeting_id(MEETING_ID)
        .attendee_id(ATTENDEE_ID)
        .send()
        .await
        .expect("canned 204 parses");
    assert_request(
        &http.only(),
        "DELETE",
        &format!("/meetings/{MEETING_ID}/attendees/{ATTENDEE_ID}"),
        &[],
        Value::Null,
    );
}

#[tokio::test]
async fn delete_meeting() {
    let http = Recorder::answering([Canned::raw(204, "")]);
    client_with(&http)
        .delete_meeting()
        .meeting_id(MEETING_ID)
        .send()
        .await
        .expect("canned 204 parses");
    assert_request(
        &http.only(),
        "DELETE",
        &format!("/meetings/{MEETING_ID}"),
        &[],
        Value::Null,
    );
}

#[tokio::test]
async fn get_attendee() {
    let http = Recorder::answering([Canned::json(
        200,
        json!({"Attendee": attendee_json("user-1", ATTENDEE_ID)}),
    )]);
    let output = client_with(&http)
        .get_attendee()
        .meeting_id(MEETING_ID)
        .attendee_id(ATTENDEE_ID)
        .send()
        .await
        .expect("canned 200 parses");
    assert_request(
        &http.only(),
        "GET",
        &format!("/meetings/{MEETING_ID}/attendees/{ATTENDEE_ID}"),
        &[],
        Value::Null,
    );
    assert_eq!(output.attendee(), Some(&attendee("user-1", ATTENDEE_ID)));
}

#[tokio::test]
async fn get_meeting() {
    let http = Recorder::answering([Canned::json(200, json!({"Meeting": meeting_json()}))]);
    let output = client_with(&http)
        .get_meeting()
        .meeting_id(MEETING_ID)
        .send()
        .await
        .expect("canned 200 parses");
    assert_request(
        &http.only(),
        "GET",
        &format!("/meetings/{MEETING_ID}"),
        &[],
        Value::Null,
    );
    assert_eq!(output.meeting(), Some(&meeting()));
}

#[tokio::test]
async fn list_attendees() {
    let http = Recorder::answering([Canned::json(
        200,
        json!({"Attendees": [attendee_json("user-1", ATTENDEE_ID)], "NextToken": "page-2"}),
    )]);
    let output = client_with(&http)
        .list_attendees()
        .meeting_id(MEETING_ID)
        .next_token("page-1")
        .max_results(5)
        .send()
        .await
        .expect("canned 200 parses");
    assert_request(
        &http.only(),
        "GET",
        &format!("/meetings/{MEETING_ID}/attendees"),
        &[("next-token", "page-1"), ("max-results", "5")],
        Value::Null,
    );
    assert_eq!(output.attendees(), &[attendee("user-1", ATTENDEE_ID)]);
    assert_eq!(output.next_token(), Some("page-2"));
}

#[tokio::test]
async fn list_tags_for_resource() {
    let http = Recorder::answering([Canned::json(
        200,
        json!({"Tags": [{"Key": "team", "Value": "media"}, {"Key": "cost", "Value": "42"}]}),
    )]);
    let output = client_with(&http)
        .list_tags_for_resource()
        .resource_arn(RESOURCE_ARN)
        .send()
        .await
        .expect("canned 200 parses");
    assert_request(
        &http.only(),
        "GET",
        "/tags",
        &[("arn", "arn%3Aaws%3Achime%3Aus-east-1%3A123456789012%3Ameeting%2F6bd0ae5c-0f9c-4b8b-a7a5-5bf5a0f0e2f1")],
        Value::Null,
    );
    assert_eq!(output.tags(), &[tag("team", "media"), tag("cost", "42")]);
}

#[tokio::test]
async fn start_meeting_transcription() {
    let http = Recorder::answering([Canned::raw(200, "")]);
    client_with(&http)
        .start_meeting_transcription()
        .meeting_id(MEETING_ID)
        .transcription_configuration(
            TranscriptionConfiguration::builder()
                .engine_transcribe_settings(
                    EngineTranscribeSettings::builder()
                        .language_code(TranscribeLanguageCode::EnUs)
                        .region(TranscribeRegion::UsEast1)
                        .vocabulary_name("product-names")
                        .enable_partial_results_stabilization(true)
                        .build(),
                )
                .engine_transcribe_medical_settings(
                    EngineTranscribeMedicalSettings::builder()
                        .language_code(TranscribeMedicalLanguageCode::EnUs)
                        .specialty(TranscribeMedicalSpecialty::Cardiology)
                        .r#type(TranscribeMedicalType::Conversation)
                        .build()
                        .expect("required members are set"),
                )
                .build(),
        )
        .send()
        .await
        .expect("canned 200 parses");
    assert_request(
        &http.only(),
        "POST",
        &format!("/meetings/{MEETING_ID}/transcription"),
        &[("operation", "start")],
        json!({"TranscriptionConfiguration": {
            "EngineTranscribeSettings": {
                "LanguageCode": "en-US",
                "Region": "us-east-1",
                "VocabularyName": "product-names",
                "EnablePartialResultsStabilization": true
            },
            "EngineTranscribeMedicalSettings": {
                "LanguageCode": "en-US",
                "Specialty": "CARDIOLOGY",
                "Type": "CONVERSATION"
            }
        }}),
    );
}

#[tokio::test]
async fn stop_meeting_transcription() {
    let http = Recorder::answering([Canned::raw(200, "")]);
    client_with(&http)
        .stop_meeting_transcription()
        .meeting_id(MEETING_ID)
        .send()
        .await
        .expect("canned 200 parses");
    assert_request(
        &http.only(),
        "POST",
        &format!("/meetings/{MEETING_ID}/transcription"),
        &[("operation", "stop")],
        Value::Null,
    );
}

#[tokio::test]
async fn tag_resource() {
    let http = Recorder::answering([Canned::raw(204, "")]);
    client_with(&http)
        .tag_resource()
        .resource_arn(RESOURCE_ARN)
        .tags(tag("team", "media"))
        .tags(tag("cost", "42"))
        .send()
        .await
        .expect("canned 204 parses");
    assert_request(
        &http.only(),
        "POST",
        "/tags",
        &[("operation", "tag-resource")],
        json!({"ResourceARN": RESOURCE_ARN, "Tags": [
            {"Key": "team", "Value": "media"}, {"Key": "cost", "Value": "42"}
        ]}),
    );
}

#[tokio::test]
async fn untag_resource() {
    let http = Recorder::answering([Canned::raw(204, "")]);
    client_with(&http)
        .untag_resource()
        .resource_arn(RESOURCE_ARN)
        .tag_keys("team")
        .tag_keys("cost")
        .send()
        .await
        .expect("canned 204 parses");
    assert_request(
        &http.only(),
        "POST",
        "/tags",
        &[("operation", "untag-resource")],
        json!({"ResourceARN": RESOURCE_ARN, "TagKeys": ["team", "cost"]}),
    );
}

#[tokio::test]
async fn update_attendee_capabilities() {
    let http = Recorder::answering([Canned::json(
        200,
        json!({"Attendee": attendee_json("user-1", ATTENDEE_ID)}),
    )]);
    let output = client_with(&http)
        .update_attendee_capabilities()
        .meeting_id(MEETING_ID)
        .attendee_id(ATTENDEE_ID)
        .capabilities(presenter())
        .send()
        .await
        .expect("canned 200 parses");
    assert_request(
        &http.only(),
        "PUT",
        &format!("/meetings/{MEETING_ID}/attendees/{ATTENDEE_ID}/capabilities"),
        &[],
        json!({"Capabilities": presenter_json()}),
    );
    assert_eq!(output.attendee(), Some(&attendee("user-1", ATTENDEE_ID)));
}

/// The input getters of a fluent builder see what was set (`as_input` is what
/// `aws-smithy-mocks` builds on), and `send_with` on an input builder sends the same.
#[tokio::test]
async fn input_builders_expose_and_send_what_was_set() {
    let http = Recorder::answering([Canned::json(
        200,
        json!({"Attendee": attendee_json("user-1", ATTENDEE_ID)}),
    )]);
    let client = client_with(&http);
    let fluent = client
        .update_attendee_capabilities()
        .meeting_id(MEETING_ID)
        .attendee_id(ATTENDEE_ID)
        .capabilities(presenter());
    assert_eq!(fluent.get_meeting_id().as_deref(), Some(MEETING_ID));
    assert_eq!(fluent.get_capabilities().as_ref(), Some(&presenter()));
    let input_builder = fluent.as_input().clone();
    let input = input_builder.clone().build().expect("all members set");
    assert_eq!(input.attendee_id(), Some(ATTENDEE_ID));
    let output = input_builder
        .send_with(&client)
        .await
        .expect("canned 200 parses");
    assert_eq!(output.attendee(), Some(&attendee("user-1", ATTENDEE_ID)));
    assert_eq!(
        http.only().json(),
        json!({"Capabilities": presenter_json()})
    );
}

/// Secrets stay out of `Debug`: the join token and the external user id are
/// sensitive in the model.
#[test]
fn debug_output_redacts_sensitive_members() {
    let shown = format!("{:?}", attendee("secret-user", ATTENDEE_ID));
    assert!(!shown.contains("secret-user"), "{shown}");
    assert!(!shown.contains("join-token-of"), "{shown}");
    assert!(shown.contains(ATTENDEE_ID), "{shown}");
}

/// A required member left out fails before anything is sent, as a construction
/// failure naming the member.
#[tokio::test]
async fn missing_required_member_fails_before_sending() {
    let http = Recorder::answering([Canned::json(200, json!({}))]);
    let err = client_with(&http)
        .get_meeting()
        .send()
        .await
        .expect_err("meeting_id is required");
    assert!(
        matches!(
            err,
            aws_sdk_chimesdkmeetings::error::SdkError::ConstructionFailure(_)
        ),
        "{err:?}"
    );
    let shown = format!(
        "{}",
        aws_sdk_chimesdkmeetings::error::DisplayErrorContext(&err)
    );
    assert!(shown.contains("meeting_id"), "{shown}");
    assert!(
        http.sent().is_empty(),
        "nothing may be sent: {:#?}",
        http.sent()
    );
}
