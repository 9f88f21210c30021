//! What a bare `Config::builder()` (behaviour version, region, credentials, endpoint
//! URL; no `aws-config` loader) does about retries, timeouts and stalled streams,
//! measured on the wire and in the configuration the orchestrator runs with.

use std::time::{Duration, Instant};

use aws_sdk_chimesdkmeetings::config::retry::{RetryConfig, RetryMode};
use aws_sdk_chimesdkmeetings::config::timeout::TimeoutConfig;
use aws_sdk_chimesdkmeetings::config::{BehaviorVersion, StalledStreamProtectionConfig};
use aws_sdk_chimesdkmeetings::types::MediaCapabilities;
use aws_sdk_chimesdkmeetings::Client;
use serde_json::json;

use crate::operations::{attendee_json, capabilities};
use crate::support::{
    bare_builder, client_with, Canned, ConfigProbe, InstantSleep, Recorder, ATTENDEE_ID, MEETING_ID,
};

/// The standard retry strategy's defaults.
const DEFAULT_MAX_ATTEMPTS: u32 = 3;
const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_millis(3100);

/// A bare client whose backoffs do not wait.
fn bare_client_without_waits(http: &Recorder) -> Client {
    Client::from_conf(
        bare_builder()
            .http_client(http.clone())
            .sleep_impl(InstantSleep)
            .build(),
    )
}

async fn update_capabilities(client: &Client) -> Result<(), String> {
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
        .map(|_| ())
        .map_err(|err| {
            format!(
                "{}",
                aws_sdk_chimesdkmeetings::error::DisplayErrorContext(err)
            )
        })
}

fn attempts(max: u32, count: u32) -> Vec<String> {
    (1..=count)
        .map(|n| format!("attempt={n}; max={max}"))
        .collect()
}

fn success() -> Canned {
    Canned::json(
        200,
        json!({"Attendee": attendee_json("user-1", ATTENDEE_ID)}),
    )
}

#[tokio::test]
async fn bare_builder_retries_a_503_three_times() {
    let http = Recorder::answering([Canned::error(503, "ServiceUnavailableException", "busy")]);
    let client = bare_client_without_waits(&http);
    let err = update_capabilities(&client)
        .await
        .expect_err("every answer is 503");
    assert!(err.contains("ServiceUnavailableException"), "{err}");
    assert_eq!(
        http.attempt_headers(),
        attempts(DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_ATTEMPTS)
    );
}

#[tokio::test]
async fn bare_builder_retries_a_429_throttling_three_times() {
    let http = Recorder::answering([Canned::error(429, "ThrottlingException", "slow down")]);
    let client = bare_client_without_waits(&http);
    let err = update_capabilities(&client)
        .await
        .expect_err("every answer is 429");
    assert!(err.contains("ThrottlingException"), "{err}");
    assert_eq!(
        http.attempt_headers(),
        attempts(DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_ATTEMPTS)
    );
}

/// Statuses alone: a 502/503/504 without an error type is retried, a 429 without one
/// is not (the throttling classifier goes by the error code).
#[tokio::test]
async fn bare_builder_retries_by_status_only_for_server_errors() {
    for (status, expected_attempts) in [(502, 3), (503, 3), (504, 3), (429, 1)] {
        let http = Recorder::answering([Canned::raw(status, "")]);
        let client = bare_client_without_waits(&http);
        update_capabilities(&client)
            .await
            .expect_err("every answer is an error");
        assert_eq!(
            http.attempt_headers(),
            attempts(DEFAULT_MAX_ATTEMPTS, expected_attempts),
            "status {status}"
        );
    }
}

#[tokio::test]
async fn bare_builder_retries_a_500_and_then_succeeds() {
    let http = Recorder::answering([
        Canned::error(500, "ServiceFailureException", "oops"),
        Canned::error(503, "ServiceUnavailableException", "busy"),
        success(),
    ]);
    let client = bare_client_without_waits(&http);
    update_capabilities(&client)
        .await
        .expect("the third attempt succeeds");
    assert_eq!(http.attempt_headers(), attempts(DEFAULT_MAX_ATTEMPTS, 3));
}

#[tokio::test]
async fn bare_builder_does_not_retry_a_client_error() {
    let http = Recorder::answering([Canned::error(400, "BadRequestException", "no")]);
    let client = bare_client_without_waits(&http);
    update_capabilities(&client)
        .await
        .expect_err("400 is final");
    assert_eq!(http.attempt_headers(), attempts(DEFAULT_MAX_ATTEMPTS, 1));
}

/// Without any sleep configured the default one backs off for real (at most 1 s
/// before the second attempt).
#[tokio::test]
async fn bare_builder_backs_off_with_its_default_sleep() {
    let http = Recorder::answering([
        Canned::error(503, "ServiceUnavailableException", "busy"),
        success(),
    ]);
    let started = Instant::now();
    update_capabilities(&client_with(&http))
        .await
        .expect("the second attempt succeeds");
    assert!(
        started.elapsed() < Duration::from_millis(1900),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(http.attempt_headers(), attempts(DEFAULT_MAX_ATTEMPTS, 2));
}

#[tokio::test]
async fn configured_retry_config_sets_the_attempts() {
    let http = Recorder::answering([Canned::error(503, "ServiceUnavailableException", "busy")]);
    let client = Client::from_conf(
        bare_builder()
            .http_client(http.clone())
            .sleep_impl(InstantSleep)
            .retry_config(RetryConfig::standard().with_max_attempts(2))
            .build(),
    );
    update_capabilities(&client)
        .await
        .expect_err("every answer is 503");
    assert_eq!(http.attempt_headers(), attempts(2, 2));
}

#[tokio::test]
async fn per_call_retry_override_applies_to_that_call_only() {
    let http = Recorder::answering([Canned::error(503, "ServiceUnavailableException", "busy")]);
    let client = bare_client_without_waits(&http);
    client
        .update_attendee_capabilities()
        .meeting_id(MEETING_ID)
        .attendee_id(ATTENDEE_ID)
        .capabilities(capabilities(
            MediaCapabilities::Receive,
            MediaCapabilities::Receive,
            MediaCapabilities::None,
        ))
        .customize()
        .config_override(
            aws_sdk_chimesdkmeetings::Config::builder()
                .retry_config(RetryConfig::standard().with_max_attempts(5)),
        )
        .send()
        .await
        .expect_err("every answer is 503");
    assert_eq!(http.attempt_headers(), attempts(5, 5));

    let after = Recorder::answering([Canned::error(503, "ServiceUnavailableException", "busy")]);
    let client = Client::from_conf(
        client
            .config()
            .to_builder()
            .http_client(after.clone())
            .build(),
    );
    update_capabilities(&client)
        .await
        .expect_err("every answer is 503");
    assert_eq!(
        after.attempt_headers(),
        attempts(DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_ATTEMPTS)
    );
}

/// The effective retry strategy is the standard one with three attempts, and the
/// configuration getters report only what the user set.
#[tokio::test]
async fn bare_builder_effective_retry_config() {
    let http = Recorder::answering([success()]);
    let (probe, seen) = ConfigProbe::new(|cfg| cfg.load::<RetryConfig>().cloned());
    let client = Client::from_conf(bare_builder().http_client(http).interceptor(probe).build());
    assert_eq!(client.config().retry_config(), None);
    update_capabilities(&client).await.expect("canned 200");
    let effective = seen.lock().unwrap()[0]
        .clone()
        .expect("a retry config is in effect");
    assert_eq!(effective.mode(), RetryMode::Standard);
    assert_eq!(effective.max_attempts(), DEFAULT_MAX_ATTEMPTS);
    assert_eq!(effective.initial_backoff(), Duration::from_secs(1));
    assert_eq!(effective.max_backoff(), Duration::from_secs(20));
}

/// The connector is built with a 3.1 s connect timeout and no read timeout, and the
/// effective timeout configuration has no operation timeouts.
#[tokio::test]
async fn bare_builder_default_timeouts() {
    let http = Recorder::answering([success()]);
    let (probe, seen) = ConfigProbe::new(|cfg| cfg.load::<TimeoutConfig>().cloned());
    let client = Client::from_conf(
        bare_builder()
            .http_client(http.clone())
            .interceptor(probe)
            .build(),
    );
    assert_eq!(client.config().timeout_config(), None);
    update_capabilities(&client).await.expect("canned 200");
    let settings = http.last_connector_settings();
    assert_eq!(settings.connect_timeout(), Some(DEFAULT_CONNECT_TIMEOUT));
    assert_eq!(settings.read_timeout(), None);
    let effective = seen.lock().unwrap()[0]
        .clone()
        .expect("a timeout config is in effect");
    assert_eq!(effective.connect_timeout(), Some(DEFAULT_CONNECT_TIMEOUT));
    assert_eq!(effective.read_timeout(), None);
    assert_eq!(effective.operation_timeout(), None);
    assert_eq!(effective.operation_attempt_timeout(), None);
}

/// A timeout configuration that sets only some values keeps the default connect
/// timeout; one that sets it replaces it.
#[tokio::test]
async fn configured_timeouts_reach_the_connector() {
    let partial = Recorder::answering([success()]);
    let client = Client::from_conf(
        bare_builder()
            .http_client(partial.clone())
            .timeout_config(
                TimeoutConfig::builder()
                    .read_timeout(Duration::from_secs(7))
                    .build(),
            )
            .build(),
    );
    update_capabilities(&client).await.expect("canned 200");
    let settings = partial.last_connector_settings();
    assert_eq!(settings.read_timeout(), Some(Duration::from_secs(7)));
    assert_eq!(settings.connect_timeout(), Some(DEFAULT_CONNECT_TIMEOUT));

    let full = Recorder::answering([success()]);
    let client = Client::from_conf(
        bare_builder()
            .http_client(full.clone())
            .timeout_config(
                TimeoutConfig::builder()
                    .connect_timeout(Duration::from_millis(250))
                    .build(),
            )
            .build(),
    );
    update_capabilities(&client).await.expect("canned 200");
    assert_eq!(
        full.last_connector_settings().connect_timeout(),
        Some(Duration::from_millis(250))
    );
}

/// Stalled-stream protection is on, with a 5 s grace period (the builder of
/// `StalledStreamProtectionConfig` would default to 20 s), unless turned off.
#[tokio::test]
async fn bare_builder_has_stalled_stream_protection_on() {
    let http = Recorder::answering([success()]);
    let (probe, seen) =
        ConfigProbe::new(|cfg| cfg.load::<StalledStreamProtectionConfig>().cloned());
    let client = Client::from_conf(
        bare_builder()
            .http_client(http.clone())
            .interceptor(probe)
            .build(),
    );
    assert!(client.config().stalled_stream_protection().is_none());
    update_capabilities(&client).await.expect("canned 200");
    let effective = seen.lock().unwrap()[0]
        .clone()
        .expect("stalled-stream protection is configured");
    assert!(effective.is_enabled());
    assert!(effective.upload_enabled() && effective.download_enabled());
    assert_eq!(effective.grace_period(), Duration::from_secs(5));

    let (probe, seen) =
        ConfigProbe::new(|cfg| cfg.load::<StalledStreamProtectionConfig>().cloned());
    let client = Client::from_conf(
        bare_builder()
            .http_client(http)
            .interceptor(probe)
            .stalled_stream_protection(StalledStreamProtectionConfig::disabled())
            .build(),
    );
    update_capabilities(&client).await.expect("canned 200");
    let effective = seen.lock().unwrap()[0]
        .clone()
        .expect("stalled-stream protection is configured");
    assert!(!effective.is_enabled());
}

/// The behaviour version decides the defaults: before `v2026_01_12` a bare builder
/// neither retries nor sets a connect timeout (the same symptoms issue 10 reports
/// for chime-caps' bare builder).
#[tokio::test]
async fn older_behavior_version_has_no_retries_and_no_connect_timeout() {
    #[allow(deprecated)]
    let older = BehaviorVersion::v2025_08_07();
    let http = Recorder::answering([Canned::error(503, "ServiceUnavailableException", "busy")]);
    let client = Client::from_conf(
        bare_builder()
            .behavior_version(older)
            .http_client(http.clone())
            .sleep_impl(InstantSleep)
            .build(),
    );
    update_capabilities(&client)
        .await
        .expect_err("every answer is 503");
    assert_eq!(http.attempt_headers(), attempts(1, 1));
    assert_eq!(http.last_connector_settings().connect_timeout(), None);
}
