//! Malformed and incomplete configurations: every call returns an error (of the
//! variant the official crate returns) without sending anything, and none panics.

use std::panic::AssertUnwindSafe;
use std::time::Duration;

use aws_sdk_chimesdkmeetings::config::retry::RetryConfig;
use aws_sdk_chimesdkmeetings::config::timeout::TimeoutConfig;
use aws_sdk_chimesdkmeetings::config::{Builder, Region};
use aws_sdk_chimesdkmeetings::error::{DisplayErrorContext, SdkError};
use aws_sdk_chimesdkmeetings::operation::update_attendee_capabilities::{
    UpdateAttendeeCapabilitiesError, UpdateAttendeeCapabilitiesOutput,
};
use aws_sdk_chimesdkmeetings::types::MediaCapabilities;
use aws_sdk_chimesdkmeetings::{Client, Config};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use serde_json::json;

use crate::operations::{attendee_json, capabilities};
use crate::support::{
    bare_builder, credentials, without_panic, Canned, Recorder, Sent, ATTENDEE_ID, ENDPOINT,
    MEETING_ID, REGION,
};

type Outcome = Result<
    UpdateAttendeeCapabilitiesOutput,
    SdkError<UpdateAttendeeCapabilitiesError, HttpResponse>,
>;

/// Builds a client from `builder` (with a recording HTTP client) and sends one
/// `UpdateAttendeeCapabilities`; fails the test if either step panics.
async fn update_capabilities_with(builder: Builder) -> (Outcome, Vec<Sent>) {
    let http = Recorder::answering([Canned::json(
        200,
        json!({"Attendee": attendee_json("user-1", ATTENDEE_ID)}),
    )]);
    let builder = builder.http_client(http.clone());
    let client = std::panic::catch_unwind(AssertUnwindSafe(|| Client::from_conf(builder.build())))
        .unwrap_or_else(|_| panic!("building the client panicked"));
    let outcome = without_panic(async move {
        client
            .update_attendee_capabilities()
            .meeting_id(MEETING_ID)
            .attendee_id(ATTENDEE_ID)
            .capabilities(capabilities(
                MediaCapabilities::Receive,
                MediaCapabilities::Receive,
                MediaCapabilities::None,
            ))
            .send()
            .await
    })
    .await;
    (outcome, http.sent())
}

fn without_endpoint_url(mut builder: Builder) -> Builder {
    builder.set_endpoint_url(None);
    builder
}

/// A region that is not a valid host label fails while the request is built,
/// with or without an endpoint URL, and nothing is sent.
#[tokio::test]
async fn malformed_regions_fail_before_sending() {
    for region in ["us_east_1", "a/b", "", "bad region!"] {
        for builder in [bare_builder(), without_endpoint_url(bare_builder())] {
            let (outcome, sent) =
                update_capabilities_with(builder.region(Region::new(region))).await;
            let err = outcome.expect_err("a malformed region is an error");
            assert!(
                matches!(err, SdkError::ConstructionFailure(_)),
                "region {region:?}: {err:?}"
            );
            let shown = DisplayErrorContext(&err).to_string();
            assert!(shown.contains("region"), "region {region:?}: {shown}");
            assert!(sent.is_empty(), "region {region:?}: nothing may be sent");
        }
    }
}

/// The region check is about the shape of the name, not a list of known regions.
#[tokio::test]
async fn unknown_but_well_formed_regions_are_sent() {
    for region in ["US-EAST-1", "xx-nowhere-9", "us-east-1.example.com"] {
        let (outcome, sent) =
            update_capabilities_with(bare_builder().region(Region::new(region))).await;
        outcome.unwrap_or_else(|err| panic!("region {region:?}: {err:?}"));
        assert_eq!(sent.len(), 1);
    }
}

/// An endpoint URL that is not a URI fails when it is applied to the request: a
/// dispatch failure, and nothing is sent.
#[tokio::test]
async fn malformed_endpoint_urls_fail_before_sending() {
    for url in [
        "not a url",
        "http://",
        "https://",
        "://",
        " ",
        "x",
        "/relative",
        "http:///path",
        "http://exa mple.com",
        "http://host\n",
        "http://h/\u{0}",
        "http://\u{e9}.com",
        "http://[::1",
        "127.0.0.1:9",
    ] {
        let (outcome, sent) = update_capabilities_with(bare_builder().endpoint_url(url)).await;
        let err = outcome.expect_err("a malformed endpoint URL is an error");
        let SdkError::DispatchFailure(failure) = &err else {
            panic!("endpoint {url:?}: expected a dispatch failure, got {err:?}");
        };
        assert!(failure.is_other(), "endpoint {url:?}: {err:?}");
        assert!(sent.is_empty(), "endpoint {url:?}: nothing may be sent");
    }
}

/// Endpoint URLs that are odd but parse are used as they are (the endpoint rules do not
/// check the URL): the scheme is lower-cased, a query or fragment dropped.
#[tokio::test]
async fn odd_but_parseable_endpoint_urls_are_used_as_they_are() {
    for (url, sent_to) in [
        ("ftp://x", "ftp://x/meetings/"),
        ("HTTP://HOST", "http://HOST/meetings/"),
        ("http://a:99999", "http://a:99999/meetings/"),
        ("http://host:0", "http://host:0/meetings/"),
        ("http://user@host", "http://user@host/meetings/"),
        ("http://-bad-.com", "http://-bad-.com/meetings/"),
        ("http://host/path?q=1", "http://host/path/meetings/"),
        ("https://host#frag", "https://host/meetings/"),
    ] {
        let (outcome, sent) = update_capabilities_with(bare_builder().endpoint_url(url)).await;
        outcome.unwrap_or_else(|err| panic!("endpoint {url:?}: {err:?}"));
        assert_eq!(sent.len(), 1, "endpoint {url:?}");
        assert!(
            sent[0].uri.starts_with(sent_to),
            "endpoint {url:?}: sent to {}",
            sent[0].uri
        );
    }
}

/// No credentials: no identity to sign with, a dispatch failure; nothing is sent.
#[tokio::test]
async fn missing_credentials() {
    let builder = Config::builder()
        .behavior_version_latest()
        .region(Region::new(REGION))
        .endpoint_url(ENDPOINT);
    let (outcome, sent) = update_capabilities_with(builder).await;
    let err = outcome.expect_err("nothing to sign with");
    assert!(matches!(err, SdkError::DispatchFailure(_)), "{err:?}");
    assert!(sent.is_empty());
}

/// No region: with an endpoint URL there is no signing region, without one no
/// endpoint; both are dispatch failures and nothing is sent.
#[tokio::test]
async fn missing_region() {
    let with_url = Config::builder()
        .behavior_version_latest()
        .credentials_provider(credentials())
        .endpoint_url(ENDPOINT);
    for builder in [with_url.clone(), without_endpoint_url(with_url)] {
        let (outcome, sent) = update_capabilities_with(builder).await;
        let err = outcome.expect_err("no region");
        assert!(matches!(err, SdkError::DispatchFailure(_)), "{err:?}");
        assert!(sent.is_empty());
    }
}

/// Nothing configured at all, through the builder or an empty `SdkConfig`.
#[tokio::test]
async fn empty_configuration() {
    let (outcome, sent) = update_capabilities_with(Config::builder()).await;
    assert!(
        matches!(outcome, Err(SdkError::DispatchFailure(_))),
        "{outcome:?}"
    );
    assert!(sent.is_empty());

    let sdk_config = aws_types::SdkConfig::builder().build();
    let (outcome, sent) = update_capabilities_with(Builder::from(&sdk_config)).await;
    assert!(
        matches!(outcome, Err(SdkError::DispatchFailure(_))),
        "{outcome:?}"
    );
    assert!(sent.is_empty());

    let client = std::panic::catch_unwind(AssertUnwindSafe(|| Client::new(&sdk_config)))
        .unwrap_or_else(|_| panic!("Client::new on an empty SdkConfig panicked"));
    let outcome =
        without_panic(async move { client.get_meeting().meeting_id(MEETING_ID).send().await })
            .await;
    assert!(outcome.is_err(), "{outcome:?}");
}

/// FIPS with a custom endpoint URL is refused by the endpoint rules.
#[tokio::test]
async fn fips_with_a_custom_endpoint() {
    let (outcome, sent) = update_capabilities_with(bare_builder().use_fips(true)).await;
    assert!(
        matches!(outcome, Err(SdkError::DispatchFailure(_))),
        "{outcome:?}"
    );
    assert!(sent.is_empty());
}

/// With the `behavior-version-latest` feature (which this suite enables) a builder
/// without a behaviour version means the latest one: the client builds and sends.
/// (Without the feature the official crate panics in `Client::from_conf`.)
#[tokio::test]
async fn missing_behavior_version_means_latest_with_the_feature() {
    let builder = Config::builder()
        .region(Region::new(REGION))
        .credentials_provider(credentials())
        .endpoint_url(ENDPOINT);
    let (outcome, sent) = update_capabilities_with(builder).await;
    outcome.expect("the latest behaviour version applies");
    assert_eq!(sent.len(), 1);
}

/// Odd but well-typed retry and timeout values never panic: zero attempts still
/// sends once, zero timeouts either succeed against an instant answer or time out.
#[tokio::test]
async fn degenerate_retry_and_timeout_values() {
    let (outcome, sent) = update_capabilities_with(
        bare_builder().retry_config(RetryConfig::standard().with_max_attempts(0)),
    )
    .await;
    outcome.expect("one attempt is made");
    assert_eq!(sent.len(), 1);

    let zero = TimeoutConfig::builder()
        .connect_timeout(Duration::ZERO)
        .read_timeout(Duration::ZERO)
        .operation_timeout(Duration::ZERO)
        .operation_attempt_timeout(Duration::ZERO)
        .build();
    let (outcome, _) = update_capabilities_with(bare_builder().timeout_config(zero)).await;
    if let Err(err) = outcome {
        assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
    }
}

/// The official crate panics inside `send()` on an empty endpoint URL (an assertion
/// in `aws-smithy-types`); chime-caps must return an error instead, so each crate
/// has its own test.
#[cfg(feature = "official")]
#[tokio::test]
async fn empty_endpoint_url_panics_in_the_official_crate() {
    let http = Recorder::answering([Canned::json(200, json!({}))]);
    let client = Client::from_conf(bare_builder().endpoint_url("").http_client(http).build());
    let joined =
        tokio::spawn(async move { client.get_meeting().meeting_id(MEETING_ID).send().await }).await;
    let join_error = joined.expect_err("the official crate panics");
    assert!(join_error.is_panic());
}

/// chime-caps: the dispatch failure the official crate gives every other malformed
/// endpoint URL, saying what is wrong; nothing is sent.
#[cfg(not(feature = "official"))]
#[tokio::test]
async fn empty_endpoint_url_is_an_error() {
    let (outcome, sent) = update_capabilities_with(bare_builder().endpoint_url("")).await;
    let err = outcome.expect_err("an empty endpoint URL is an error");
    let SdkError::DispatchFailure(failure) = &err else {
        panic!("expected a dispatch failure, got {err:?}");
    };
    assert!(failure.is_other(), "{err:?}");
    let shown = DisplayErrorContext(&err).to_string();
    assert!(shown.contains("endpoint URL is empty"), "{shown}");
    assert!(sent.is_empty());

    let sdk_config = aws_types::SdkConfig::builder().endpoint_url("").build();
    let (outcome, sent) = update_capabilities_with(
        Builder::from(&sdk_config)
            .behavior_version(aws_sdk_chimesdkmeetings::config::BehaviorVersion::latest())
            .region(Region::new(REGION))
            .credentials_provider(credentials()),
    )
    .await;
    assert!(
        matches!(outcome, Err(SdkError::DispatchFailure(_))),
        "{outcome:?}"
    );
    assert!(sent.is_empty());
}
