//! `customize()` with each of its methods: `interceptor`, `mutate_request`,
//! `map_request` (both outcomes) and `config_override` (region, endpoint, HTTP
//! client per call), and the client being unchanged afterwards.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use aws_sdk_chimesdkmeetings::config::http::HttpRequest;
use aws_sdk_chimesdkmeetings::config::interceptors::BeforeTransmitInterceptorContextMut;
use aws_sdk_chimesdkmeetings::config::{ConfigBag, Intercept, Region, RuntimeComponents};
use aws_sdk_chimesdkmeetings::error::{DisplayErrorContext, SdkError};
use aws_sdk_chimesdkmeetings::operation::get_meeting::builders::GetMeetingFluentBuilder;
use aws_sdk_chimesdkmeetings::Config;
use aws_smithy_runtime_api::box_error::BoxError;
use serde_json::json;

use crate::operations::{meeting, meeting_json};
use crate::support::{client_with, Canned, Recorder, Sent, MEETING_ID, REGION};

fn meeting_answer() -> Canned {
    Canned::json(200, json!({"Meeting": meeting_json()}))
}

/// The credential scope's region in the `Authorization` header.
fn signing_region(sent: &Sent) -> String {
    let authorization = sent.header("authorization").expect("requests are signed");
    let scope = authorization
        .split("Credential=")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .expect("a credential scope");
    scope
        .split('/')
        .nth(2)
        .expect("region in the scope")
        .to_string()
}

fn signed_headers(sent: &Sent) -> Vec<String> {
    let authorization = sent.header("authorization").expect("requests are signed");
    authorization
        .split("SignedHeaders=")
        .nth(1)
        .and_then(|rest| rest.split(',').next())
        .expect("a SignedHeaders list")
        .split(';')
        .map(str::to_string)
        .collect()
}

/// Counts the attempts it sees and stamps a header on each.
#[derive(Debug, Default, Clone)]
struct Stamp {
    calls: Arc<AtomicUsize>,
}

impl Intercept for Stamp {
    fn name(&self) -> &'static str {
        "Stamp"
    }

    fn modify_before_transmit(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let count = self.calls.fetch_add(1, Ordering::SeqCst) + 1;
        context
            .request_mut()
            .headers_mut()
            .insert("x-stamp", count.to_string());
        Ok(())
    }
}

fn get_meeting(client: &aws_sdk_chimesdkmeetings::Client) -> GetMeetingFluentBuilder {
    client.get_meeting().meeting_id(MEETING_ID)
}

#[tokio::test]
async fn interceptor_runs_for_that_call_only() {
    let http = Recorder::answering([meeting_answer()]);
    let client = client_with(&http);
    let stamp = Stamp::default();
    let output = get_meeting(&client)
        .customize()
        .interceptor(stamp.clone())
        .send()
        .await
        .expect("canned 200");
    assert_eq!(output.meeting(), Some(&meeting()));
    get_meeting(&client).send().await.expect("canned 200");
    assert_eq!(stamp.calls.load(Ordering::SeqCst), 1);
    let sent = http.sent();
    assert_eq!(sent[0].header("x-stamp"), Some("1"));
    assert_eq!(sent[1].header("x-stamp"), None);
}

/// `mutate_request` changes the request before it is signed: the added header is
/// on the wire and among the signed headers.
#[tokio::test]
async fn mutate_request_adds_a_signed_header() {
    let http = Recorder::answering([meeting_answer()]);
    get_meeting(&client_with(&http))
        .customize()
        .mutate_request(|request: &mut HttpRequest| {
            request.headers_mut().insert("x-port-suite", "mutated");
        })
        .send()
        .await
        .expect("canned 200");
    let sent = http.only();
    assert_eq!(sent.header("x-port-suite"), Some("mutated"));
    assert!(
        signed_headers(&sent).contains(&"x-port-suite".to_string()),
        "{sent:#?}"
    );
}

#[tokio::test]
async fn map_request_replaces_the_request() {
    let http = Recorder::answering([meeting_answer()]);
    get_meeting(&client_with(&http))
        .customize()
        .map_request(|mut request: HttpRequest| {
            request.headers_mut().insert("x-mapped", "yes");
            Ok::<_, std::convert::Infallible>(request)
        })
        .send()
        .await
        .expect("canned 200");
    assert_eq!(http.only().header("x-mapped"), Some("yes"));
}

#[derive(Debug)]
struct Refused;

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("refused by map_request")
    }
}

impl std::error::Error for Refused {}

/// An error from `map_request` ends the call before anything is sent, and is in the
/// error's chain.
#[tokio::test]
async fn map_request_error_stops_the_call() {
    let http = Recorder::answering([meeting_answer()]);
    let err = get_meeting(&client_with(&http))
        .customize()
        .map_request(|_request: HttpRequest| Err::<HttpRequest, _>(Refused))
        .send()
        .await
        .expect_err("map_request refused");
    assert!(matches!(err, SdkError::DispatchFailure(_)), "{err:?}");
    assert!(DisplayErrorContext(&err)
        .to_string()
        .contains("refused by map_request"));
    assert!(http.sent().is_empty());
}

/// A per-call region and endpoint apply to that call; the client keeps its own.
#[tokio::test]
async fn config_override_region_and_endpoint_for_one_call() {
    let http = Recorder::answering([meeting_answer()]);
    let client = client_with(&http);
    get_meeting(&client)
        .customize()
        .config_override(
            Config::builder()
                .region(Region::new("eu-west-1"))
                .endpoint_url("http://127.0.0.1:4567"),
        )
        .send()
        .await
        .expect("canned 200");
    get_meeting(&client).send().await.expect("canned 200");
    let sent = http.sent();
    assert_eq!(signing_region(&sent[0]), "eu-west-1");
    assert_eq!(sent[0].host(), "127.0.0.1:4567");
    assert_eq!(signing_region(&sent[1]), REGION);
    assert_eq!(sent[1].host(), "127.0.0.1:1");
    assert_eq!(client.config().region(), Some(&Region::new(REGION)));
}

/// A per-call HTTP client carries that call; the next call uses the client's own.
#[tokio::test]
async fn config_override_http_client_for_one_call() {
    let usual = Recorder::answering([meeting_answer()]);
    let special = Recorder::answering([meeting_answer()]);
    let client = client_with(&usual);
    get_meeting(&client)
        .customize()
        .config_override(Config::builder().http_client(special.clone()))
        .send()
        .await
        .expect("canned 200");
    get_meeting(&client).send().await.expect("canned 200");
    assert_eq!(special.sent().len(), 1);
    assert_eq!(usual.sent().len(), 1);
}

/// `config_override` takes anything convertible into a config builder, e.g. a
/// `Config` turned back into one.
#[tokio::test]
async fn config_override_from_an_existing_config() {
    let http = Recorder::answering([meeting_answer()]);
    let client = client_with(&http);
    let other = Config::builder()
        .region(Region::new("ap-southeast-2"))
        .build();
    get_meeting(&client)
        .customize()
        .config_override(other.to_builder())
        .send()
        .await
        .expect("canned 200");
    assert_eq!(signing_region(&http.only()), "ap-southeast-2");
}
