//! The test HTTP clients users of the official crate write tests with
//! (`aws-smithy-http-client`'s `StaticReplayClient`, `capture_request`,
//! `infallible_client_fn`) plug into the crate's configuration and see its requests.

use aws_sdk_chimesdkmeetings::types::MediaCapabilities;
use aws_sdk_chimesdkmeetings::{Client, Config};
use aws_smithy_http_client::test_util::{
    capture_request, infallible_client_fn, ReplayEvent, StaticReplayClient,
};
use aws_smithy_types::body::SdkBody;
use serde_json::json;

use crate::operations::{attendee, attendee_json, capabilities, meeting, meeting_json};
use crate::support::{bare_builder, ATTENDEE_ID, ENDPOINT, MEETING_ID};

fn ok_json(body: serde_json::Value) -> http::Response<SdkBody> {
    http::Response::builder()
        .status(200)
        .header("content-type", "application/json")
        .body(SdkBody::from(body.to_string()))
        .expect("valid response")
}

fn client_on(http: impl aws_sdk_chimesdkmeetings::config::HttpClient + 'static) -> Client {
    Client::from_conf(bare_builder().http_client(http).build())
}

/// Recorded request/response pairs, checked the way the smithy tests check them:
/// URI, the listed headers and the JSON body.
#[tokio::test]
async fn static_replay_client() {
    let expected_update = http::Request::builder()
        .method("PUT")
        .uri(format!(
            "{ENDPOINT}/meetings/{MEETING_ID}/attendees/{ATTENDEE_ID}/capabilities"
        ))
        .header("content-type", "application/json")
        .body(SdkBody::from(
            json!({"Capabilities": {"Audio": "SendReceive", "Video": "None", "Content": "None"}})
                .to_string(),
        ))
        .unwrap();
    let expected_get = http::Request::builder()
        .method("GET")
        .uri(format!("{ENDPOINT}/meetings/{MEETING_ID}"))
        .body(SdkBody::empty())
        .unwrap();
    let replay = StaticReplayClient::new(vec![
        ReplayEvent::new(
            expected_update,
            ok_json(json!({"Attendee": attendee_json("user-1", ATTENDEE_ID)})),
        ),
        ReplayEvent::new(expected_get, ok_json(json!({"Meeting": meeting_json()}))),
    ]);
    let client = client_on(replay.clone());
    let updated = client
        .update_attendee_capabilities()
        .meeting_id(MEETING_ID)
        .attendee_id(ATTENDEE_ID)
        .capabilities(capabilities(
            MediaCapabilities::SendReceive,
            MediaCapabilities::None,
            MediaCapabilities::None,
        ))
        .send()
        .await
        .expect("replayed 200");
    assert_eq!(updated.attendee(), Some(&attendee("user-1", ATTENDEE_ID)));
    let fetched = client
        .get_meeting()
        .meeting_id(MEETING_ID)
        .send()
        .await
        .expect("replayed 200");
    assert_eq!(fetched.meeting(), Some(&meeting()));
    replay.assert_requests_match(&[]);
    assert_eq!(replay.actual_requests().count(), 2);
}

#[tokio::test]
async fn capture_request_sees_the_request() {
    let (http, captured) = capture_request(Some(ok_json(
        json!({"Attendee": attendee_json("user-9", ATTENDEE_ID)}),
    )));
    let output = client_on(http)
        .create_attendee()
        .meeting_id(MEETING_ID)
        .external_user_id("user-9")
        .send()
        .await
        .expect("captured 200");
    assert_eq!(output.attendee(), Some(&attendee("user-9", ATTENDEE_ID)));
    let request = captured.expect_request();
    assert_eq!(request.method(), "POST");
    assert_eq!(
        request.uri(),
        format!("{ENDPOINT}/meetings/{MEETING_ID}/attendees")
    );
    let body: serde_json::Value =
        serde_json::from_slice(request.body().bytes().expect("in-memory body")).unwrap();
    assert_eq!(body, json!({"ExternalUserId": "user-9"}));
}

/// A function as the HTTP client, answering by path; here through a configuration
/// built on the test defaults.
#[tokio::test]
async fn infallible_client_fn_answers_by_path() {
    let http = infallible_client_fn(|request| {
        if request.uri().path().contains("/attendees/") {
            ok_json(json!({"Attendee": attendee_json("user-1", ATTENDEE_ID)}))
        } else {
            ok_json(json!({"Meeting": meeting_json()}))
        }
    });
    let client = Client::from_conf(
        Config::builder()
            .with_test_defaults_v2()
            .endpoint_url(ENDPOINT)
            .http_client(http)
            .build(),
    );
    let got = client
        .get_attendee()
        .meeting_id(MEETING_ID)
        .attendee_id(ATTENDEE_ID)
        .send()
        .await
        .expect("200");
    assert_eq!(got.attendee(), Some(&attendee("user-1", ATTENDEE_ID)));
    let got = client
        .get_meeting()
        .meeting_id(MEETING_ID)
        .send()
        .await
        .expect("200");
    assert_eq!(got.meeting(), Some(&meeting()));
}
