//! The five operations that carry `AttendeeCapabilities` are each checked before
//! anything is sent: a forbidden combination fails with a typed `ConstructionFailure`
//! and no request, an allowed one is sent once. The HTTP clients are
//! `aws-smithy-http-client`'s test clients, used on `chime_caps::Client` as on the
//! official client. Also: values this crate does not know pass with a notice.

mod support;

use aws_smithy_http_client::test_util::{capture_request, ReplayEvent, StaticReplayClient};
use aws_smithy_types::body::SdkBody;
use chime_caps::config::{BehaviorVersion, Builder, Credentials, Region};
use chime_caps::error::SdkError;
use chime_caps::rules::{field, NoticeKind, Rule};
use chime_caps::types::{ContentResolution, MediaCapabilities as M, VideoResolution};
use chime_caps::validation::{
    CapabilityErrorExt, FeatureKnowledge, NoticeSubject, SendWithReport, ValidationClientExt,
};
use chime_caps::Client;
use support::{caps, features, item, new_attendee, video_off};

const MEETING: &str = "6bd0ae5c-0f9c-4b8b-a7a5-5bf5a0f0e2f1";
const ATTENDEE: &str = "f0a8fa58-7cfe-4bc4-a5c8-2bd6b7d16a50";

/// The body of a `Meeting` whose id is [`MEETING`].
const MEETING_JSON: &str =
    r#"{"MeetingId":"6bd0ae5c-0f9c-4b8b-a7a5-5bf5a0f0e2f1","MediaRegion":"us-east-1"}"#;

fn config() -> Builder {
    chime_caps::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .endpoint_url("http://127.0.0.1:1")
}

/// A client answering every request with `200` and `body`, and the client to count
/// the requests with. Its meeting [`MEETING`] is known to have video disabled.
fn replaying(body: &str) -> (Client, StaticReplayClient) {
    let events = (0..4)
        .map(|_| {
            ReplayEvent::new(
                http::Request::new(SdkBody::empty()),
                http::Response::builder()
                    .status(200)
                    .body(SdkBody::from(body.to_owned()))
                    .unwrap(),
            )
        })
        .collect();
    let http = StaticReplayClient::new(events);
    let client = Client::from_conf(config().http_client(http.clone()).build());
    client.validation().register_meeting(MEETING, video_off());
    (client, http)
}

/// Asserts a local rejection for `rule` that sent nothing.
fn assert_rejected<E: std::error::Error + 'static, O: std::fmt::Debug>(
    result: Result<O, SdkError<E, chime_caps::config::http::HttpResponse>>,
    http: &StaticReplayClient,
    rule: Rule,
) -> chime_caps::rules::CapabilityViolation {
    let err = result.expect_err("rejected locally");
    assert!(matches!(err, SdkError::ConstructionFailure(_)), "{err:?}");
    let violation = err
        .as_capability_violation()
        .unwrap_or_else(|| panic!("a capability violation: {err:?}"));
    assert_eq!(violation.rule, rule, "{violation}");
    assert_eq!(http.actual_requests().count(), 0, "nothing may be sent");
    violation.clone()
}

#[tokio::test]
async fn update_attendee_capabilities() {
    let (client, http) = replaying(r#"{"Attendee":{}}"#);
    let call = |video| {
        client
            .update_attendee_capabilities()
            .meeting_id(MEETING)
            .attendee_id(ATTENDEE)
            .capabilities(caps(M::SendReceive, video, M::None))
            .send()
    };
    assert_rejected(call(M::Receive).await, &http, Rule::VideoDisabled);
    call(M::None).await.expect("allowed");
    assert_eq!(http.actual_requests().count(), 1);
}

#[tokio::test]
async fn batch_update_attendee_capabilities_except() {
    let (client, http) = replaying("");
    let call = |content| {
        client
            .batch_update_attendee_capabilities_except()
            .meeting_id(MEETING)
            .excluded_attendee_ids(item(ATTENDEE))
            .capabilities(caps(M::SendReceive, M::None, content))
            .send()
    };
    assert_rejected(call(M::Receive).await, &http, Rule::ContentNeedsVideo);
    call(M::Send).await.expect("allowed");
    assert_eq!(http.actual_requests().count(), 1);
}

#[tokio::test]
async fn create_attendee_is_checked_when_it_sets_capabilities() {
    let (client, http) = replaying(r#"{"Attendee":{}}"#);
    let call = |capabilities| {
        client
            .create_attendee()
            .meeting_id(MEETING)
            .external_user_id("user-1")
            .set_capabilities(capabilities)
            .send()
    };
    assert_rejected(
        call(Some(caps(M::SendReceive, M::Send, M::None))).await,
        &http,
        Rule::VideoDisabled,
    );
    call(Some(caps(M::SendReceive, M::None, M::Send)))
        .await
        .expect("allowed");
    // Without capabilities the service picks the defaults: nothing to check.
    call(None).await.expect("no capabilities");
    assert_eq!(http.actual_requests().count(), 2);
}

#[tokio::test]
async fn batch_create_attendee_names_the_refused_item() {
    let (client, http) = replaying(r#"{"Attendees":[],"Errors":[]}"#);
    let call = |second| {
        client
            .batch_create_attendee()
            .meeting_id(MEETING)
            .attendees(new_attendee(
                "user-1",
                Some(caps(M::Send, M::None, M::None)),
            ))
            .attendees(new_attendee("user-2", None))
            .attendees(new_attendee("user-3", Some(second)))
            .send()
    };
    let violation = assert_rejected(
        call(caps(M::Send, M::None, M::SendReceive)).await,
        &http,
        Rule::ContentNeedsVideo,
    );
    assert_eq!(violation.item, Some(2));
    assert!(
        violation
            .to_string()
            .starts_with("Attendees[2].Capabilities.Content"),
        "{violation}"
    );
    call(caps(M::Send, M::None, M::Send))
        .await
        .expect("allowed");
    assert_eq!(http.actual_requests().count(), 1);
}

/// The meeting does not exist yet: its attendees are checked against the features
/// the same request gives it.
#[tokio::test]
async fn create_meeting_with_attendees_uses_its_own_features() {
    let body = format!(r#"{{"Meeting":{MEETING_JSON},"Attendees":[],"Errors":[]}}"#);
    let (client, http) = replaying(&body);
    let call = |content_resolution, content| {
        client
            .create_meeting_with_attendees()
            .client_request_token("token-0001")
            .media_region("us-east-1")
            .external_meeting_id("with-attendees")
            .meeting_features(features(Some(VideoResolution::Hd), content_resolution))
            .attendees(new_attendee(
                "user-1",
                Some(caps(M::Send, M::Send, content)),
            ))
            .send()
    };
    let violation = assert_rejected(
        call(Some(ContentResolution::None), M::Send).await,
        &http,
        Rule::ContentDisabled,
    );
    assert_eq!(violation.item, Some(0));
    call(Some(ContentResolution::Fhd), M::Send)
        .await
        .expect("allowed: this meeting shares content");
    assert_eq!(http.actual_requests().count(), 1);
    // The client learned the meeting from the response.
    assert_eq!(
        client.validation().feature_knowledge(MEETING),
        FeatureKnowledge::Known
    );
}

/// `capture_request` sees the one request an accepted call makes, unchanged.
#[tokio::test]
async fn capture_request_sees_an_accepted_call() {
    let (http, request) = capture_request(None);
    let client = Client::from_conf(config().http_client(http).build());
    client
        .batch_update_attendee_capabilities_except()
        .meeting_id(MEETING)
        .excluded_attendee_ids(item(ATTENDEE))
        .capabilities(caps(M::Receive, M::Receive, M::Receive))
        .send()
        .await
        .expect("allowed");
    let request = request.expect_request();
    assert_eq!(
        request.uri(),
        format!("http://127.0.0.1:1/meetings/{MEETING}/attendees/capabilities?operation=batch-update-except")
    );
    let body: serde_json::Value =
        serde_json::from_slice(request.body().bytes().expect("a body")).unwrap();
    assert_eq!(
        body["Capabilities"],
        serde_json::json!({"Audio": "Receive", "Video": "Receive", "Content": "Receive"})
    );

    let (http, request) = capture_request(None);
    let client = Client::from_conf(config().http_client(http).build());
    let err = client
        .batch_update_attendee_capabilities_except()
        .meeting_id(MEETING)
        .excluded_attendee_ids(item(ATTENDEE))
        .capabilities(caps(M::Receive, M::None, M::Receive))
        .send()
        .await
        .unwrap_err();
    assert!(err.as_capability_violation().is_some(), "{err:?}");
    request.expect_no_request();
}

/// A value AWS may add later is not refused: it is sent, with a notice saying it
/// was not checked, and the rules still judge the values they know.
#[tokio::test]
async fn unknown_capability_values_pass_with_a_notice() {
    let (client, http) = replaying(r#"{"Attendee":{}}"#);
    let later = M::from("SendReceiveSpatial");
    let (_, report) = client
        .update_attendee_capabilities()
        .meeting_id(MEETING)
        .attendee_id(ATTENDEE.to_ascii_uppercase())
        .capabilities(caps(later.clone(), M::None, M::None))
        .send_with_report(&client.validation())
        .await
        .expect("sent");
    assert_eq!(http.actual_requests().count(), 1);
    let got: Vec<_> = report
        .notices
        .iter()
        .map(|n| {
            (
                n.subject.clone(),
                n.notice.kind,
                n.notice.field,
                n.notice.to.clone(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [(
            NoticeSubject::Attendee(ATTENDEE.to_owned()),
            NoticeKind::NotChecked,
            field::AUDIO,
            later.clone()
        )]
    );
    assert!(
        report.notices[0].to_string().contains("was not checked"),
        "{}",
        report.notices[0]
    );

    // The known value next to it is still judged: video is disabled here.
    let err = client
        .update_attendee_capabilities()
        .meeting_id(MEETING)
        .attendee_id(ATTENDEE)
        .capabilities(caps(later.clone(), M::Receive, M::None))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.as_capability_violation().map(|v| v.rule),
        Some(Rule::VideoDisabled)
    );

    // New attendees are named by their external user id.
    let (client, _http) = replaying(r#"{"Attendees":[],"Errors":[]}"#);
    let (_, report) = client
        .batch_create_attendee()
        .meeting_id(MEETING)
        .attendees(new_attendee(
            "user-1",
            Some(caps(M::Send, M::None, later.clone())),
        ))
        .send_with_report(&client.validation())
        .await
        .expect("sent");
    assert_eq!(
        report
            .notices
            .iter()
            .map(|n| (&n.subject, n.notice.field))
            .collect::<Vec<_>>(),
        [(&NoticeSubject::NewAttendee("user-1".into()), field::CONTENT)]
    );
}
