//! `aws-smithy-mocks` against the crate: `mock!` rules answering with outputs,
//! modelled errors and raw HTTP responses, `mock_client!`, both rule modes, and
//! response sequences driving retries.

use std::time::Duration;

use aws_sdk_chimesdkmeetings::config::http::HttpResponse;
use aws_sdk_chimesdkmeetings::config::retry::RetryConfig;
use aws_sdk_chimesdkmeetings::config::Region;
use aws_sdk_chimesdkmeetings::error::ProvideErrorMetadata;
use aws_sdk_chimesdkmeetings::operation::get_meeting::GetMeetingOutput;
use aws_sdk_chimesdkmeetings::operation::update_attendee_capabilities::{
    UpdateAttendeeCapabilitiesError, UpdateAttendeeCapabilitiesOutput,
};
use aws_sdk_chimesdkmeetings::types::error::ConflictException;
use aws_sdk_chimesdkmeetings::types::{AttendeeCapabilities, MediaCapabilities};
use aws_sdk_chimesdkmeetings::{Client, Config};
use aws_smithy_mocks::{
    create_mock_http_client, mock, mock_client, MockResponseInterceptor, RuleMode,
};
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;

use crate::operations::{attendee, capabilities, meeting};
use crate::support::{ATTENDEE_ID, MEETING_ID, OTHER_ATTENDEE_ID};

fn listener() -> AttendeeCapabilities {
    capabilities(
        MediaCapabilities::Receive,
        MediaCapabilities::Receive,
        MediaCapabilities::None,
    )
}

async fn update(
    client: &Client,
    attendee_id: &str,
) -> Result<UpdateAttendeeCapabilitiesOutput, UpdateAttendeeCapabilitiesError> {
    client
        .update_attendee_capabilities()
        .meeting_id(MEETING_ID)
        .attendee_id(attendee_id)
        .capabilities(listener())
        .send()
        .await
        .map_err(|err| err.into_service_error())
}

fn updated(attendee_id: &str) -> UpdateAttendeeCapabilitiesOutput {
    UpdateAttendeeCapabilitiesOutput::builder()
        .attendee(attendee("user-1", attendee_id))
        .build()
}

/// Retries of mocked failures should not wait a second each.
fn quick_retries(
    builder: aws_sdk_chimesdkmeetings::config::Builder,
) -> aws_sdk_chimesdkmeetings::config::Builder {
    builder.retry_config(RetryConfig::standard().with_initial_backoff(Duration::from_millis(1)))
}

#[tokio::test]
async fn then_output_answers_matching_requests() {
    let rule = mock!(Client::update_attendee_capabilities)
        .match_requests(|input| {
            input.meeting_id() == Some(MEETING_ID)
                && input.attendee_id() == Some(ATTENDEE_ID)
                && input.capabilities() == Some(&listener())
        })
        .then_output(|| updated(ATTENDEE_ID));
    let client = mock_client!(aws_sdk_chimesdkmeetings, [&rule]);
    let output = update(&client, ATTENDEE_ID).await.expect("mocked output");
    assert_eq!(output, updated(ATTENDEE_ID));
    assert_eq!(rule.num_calls(), 1);
}

#[tokio::test]
async fn then_error_answers_with_a_modelled_error() {
    let rule = mock!(Client::update_attendee_capabilities).then_error(|| {
        UpdateAttendeeCapabilitiesError::ConflictException(
            ConflictException::builder()
                .message("attendee is busy")
                .build(),
        )
    });
    let client = mock_client!(aws_sdk_chimesdkmeetings, [&rule]);
    let err = update(&client, ATTENDEE_ID)
        .await
        .expect_err("mocked error");
    let UpdateAttendeeCapabilitiesError::ConflictException(conflict) = &err else {
        panic!("expected ConflictException, got {err:?}");
    };
    assert_eq!(conflict.message(), Some("attendee is busy"));
    // A built error carries no response metadata: the metadata accessors are empty.
    assert_eq!(ProvideErrorMetadata::message(&err), None);
    assert_eq!(ProvideErrorMetadata::code(&err), None);
}

/// A raw HTTP response goes through the crate's deserializers like a real one.
#[tokio::test]
async fn then_http_response_is_deserialized() {
    let not_found = mock!(Client::update_attendee_capabilities)
        .match_requests(|input| input.attendee_id() == Some(OTHER_ATTENDEE_ID))
        .then_http_response(|| {
            let mut response = HttpResponse::new(
                StatusCode::try_from(404).unwrap(),
                SdkBody::from(r#"{"Message":"no such attendee"}"#),
            );
            response
                .headers_mut()
                .insert("x-amzn-errortype", "NotFoundException");
            response
        });
    let meeting_json =
        serde_json::json!({"Meeting": crate::operations::meeting_json()}).to_string();
    let found = mock!(Client::get_meeting).then_http_response(move || {
        HttpResponse::new(
            StatusCode::try_from(200).unwrap(),
            SdkBody::from(meeting_json.clone()),
        )
    });
    let client = mock_client!(
        aws_sdk_chimesdkmeetings,
        RuleMode::MatchAny,
        [&not_found, &found]
    );
    let err = update(&client, OTHER_ATTENDEE_ID)
        .await
        .expect_err("mocked 404");
    assert!(err.is_not_found_exception(), "{err:?}");
    let output: GetMeetingOutput = client
        .get_meeting()
        .meeting_id(MEETING_ID)
        .send()
        .await
        .expect("mocked 200");
    assert_eq!(output.meeting(), Some(&meeting()));
}

/// Sequential: rules answer in the order given, each once.
#[tokio::test]
async fn sequential_rules_answer_in_order() {
    let first = mock!(Client::update_attendee_capabilities).then_output(|| updated(ATTENDEE_ID));
    let second =
        mock!(Client::update_attendee_capabilities).then_output(|| updated(OTHER_ATTENDEE_ID));
    let client = mock_client!(
        aws_sdk_chimesdkmeetings,
        RuleMode::Sequential,
        [&first, &second]
    );
    assert_eq!(update(&client, "any").await.unwrap(), updated(ATTENDEE_ID));
    assert_eq!(
        update(&client, "any").await.unwrap(),
        updated(OTHER_ATTENDEE_ID)
    );
    assert_eq!((first.num_calls(), second.num_calls()), (1, 1));
}

/// MatchAny: the first rule whose matcher accepts the input answers, every time.
#[tokio::test]
async fn match_any_rules_answer_by_input() {
    let for_attendee = mock!(Client::update_attendee_capabilities)
        .match_requests(|input| input.attendee_id() == Some(ATTENDEE_ID))
        .then_output(|| updated(ATTENDEE_ID));
    let for_other = mock!(Client::update_attendee_capabilities)
        .match_requests(|input| input.attendee_id() == Some(OTHER_ATTENDEE_ID))
        .then_output(|| updated(OTHER_ATTENDEE_ID));
    let client = mock_client!(
        aws_sdk_chimesdkmeetings,
        RuleMode::MatchAny,
        [&for_attendee, &for_other]
    );
    for id in [OTHER_ATTENDEE_ID, ATTENDEE_ID, OTHER_ATTENDEE_ID] {
        assert_eq!(update(&client, id).await.unwrap(), updated(id));
    }
    assert_eq!((for_attendee.num_calls(), for_other.num_calls()), (1, 2));
}

/// A sequence of two 503s and then an output: the client's retries consume it.
#[tokio::test]
async fn sequence_is_consumed_by_retries() {
    let rule = mock!(Client::update_attendee_capabilities)
        .sequence()
        .http_status(503, None)
        .times(2)
        .output(|| updated(ATTENDEE_ID))
        .build();
    let client = mock_client!(
        aws_sdk_chimesdkmeetings,
        RuleMode::Sequential,
        [&rule],
        quick_retries
    );
    assert_eq!(
        update(&client, ATTENDEE_ID).await.unwrap(),
        updated(ATTENDEE_ID)
    );
    assert_eq!(rule.num_calls(), 3);
    assert!(rule.is_exhausted());
}

/// More failures than attempts: the call fails after the default three.
#[tokio::test]
async fn sequence_longer_than_the_attempts_fails() {
    let rule = mock!(Client::update_attendee_capabilities)
        .sequence()
        .http_status(503, None)
        .times(4)
        .output(|| updated(ATTENDEE_ID))
        .build();
    let client = mock_client!(
        aws_sdk_chimesdkmeetings,
        RuleMode::Sequential,
        [&rule],
        quick_retries
    );
    let err = update(&client, ATTENDEE_ID)
        .await
        .expect_err("three 503s exhaust the attempts");
    assert_eq!(ProvideErrorMetadata::code(&err), None, "{err:?}");
    assert_eq!(rule.num_calls(), 3);
}

/// Outputs computed from the input.
#[tokio::test]
async fn then_compute_output_sees_the_input() {
    let rule = mock!(Client::update_attendee_capabilities)
        .then_compute_output(|input| updated(input.attendee_id().unwrap_or_default()));
    let client = mock_client!(aws_sdk_chimesdkmeetings, RuleMode::MatchAny, [&rule]);
    assert_eq!(
        update(&client, OTHER_ATTENDEE_ID).await.unwrap(),
        updated(OTHER_ATTENDEE_ID)
    );
}

/// `mock_client!`'s last argument adjusts the configuration; the test defaults
/// (`with_test_defaults_v2`) supply the rest, region included.
#[tokio::test]
async fn mock_client_configuration_hook() {
    let rule = mock!(Client::update_attendee_capabilities).then_output(|| updated(ATTENDEE_ID));
    let default_region = mock_client!(aws_sdk_chimesdkmeetings, [&rule]);
    assert_eq!(
        default_region.config().region(),
        Some(&Region::new("us-east-1"))
    );
    let adjusted = mock_client!(
        aws_sdk_chimesdkmeetings,
        RuleMode::Sequential,
        [&rule],
        |builder| builder.region(Region::new("eu-central-1"))
    );
    assert_eq!(
        adjusted.config().region(),
        Some(&Region::new("eu-central-1"))
    );
}

/// The interceptor and mock HTTP client also work on a hand-built configuration.
#[tokio::test]
async fn mock_interceptor_on_a_hand_built_config() {
    let rule = mock!(Client::update_attendee_capabilities).then_output(|| updated(ATTENDEE_ID));
    let config = Config::builder()
        .with_test_defaults()
        .region(Region::new("us-west-2"))
        .http_client(create_mock_http_client())
        .interceptor(
            MockResponseInterceptor::new()
                .rule_mode(RuleMode::MatchAny)
                .with_rule(&rule),
        )
        .build();
    let client = Client::from_conf(config);
    assert_eq!(
        update(&client, ATTENDEE_ID).await.unwrap(),
        updated(ATTENDEE_ID)
    );
}
