//! `customize().config_override(..)` and `customize().runtime_plugin(..)`: one call
//! with its own configuration (endpoint, credentials, region, interceptors, and the
//! validation mode) while the client's stays as it was.

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use aws_smithy_http_client::test_util::infallible_client_fn;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::client::runtime_plugin::RuntimePlugin;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::{ConfigBag, FrozenLayer, Layer};

use chime_caps::config::{Config, Credentials, Region};
use chime_caps::rules::{NoticeKind, Rule};
use chime_caps::types::MediaCapabilities as M;
use chime_caps::validation::{
    CapabilityErrorExt, SendWithReport, ValidationClientExt, ValidationConfigExt, ValidationMode,
    ValidationSettings,
};
use chime_caps::Client;
use support::service::FakeService;
use support::{caps, create_attendee, create_meeting, features, video_off};

/// What one request looked like on the wire.
#[derive(Debug, Clone)]
struct Seen {
    uri: String,
    authorization: String,
}

/// An HTTP client that records each request and answers `CreateMeeting`.
fn recording() -> (chime_caps::config::SharedHttpClient, Arc<Mutex<Vec<Seen>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let http = infallible_client_fn(move |request: http::Request<SdkBody>| {
        let authorization = request
            .headers()
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        log.lock().unwrap().push(Seen {
            uri: request.uri().to_string(),
            authorization: authorization.to_owned(),
        });
        http::Response::builder()
            .status(200)
            .body(SdkBody::from(
                r#"{"Meeting":{"MeetingId":"6bd0ae5c-0f9c-4b8b-a7a5-5bf5a0f0e2f1"}}"#,
            ))
            .unwrap()
    });
    (http, seen)
}

fn client(
    http: chime_caps::config::SharedHttpClient,
    f: impl FnOnce(chime_caps::config::Builder) -> chime_caps::config::Builder,
) -> Client {
    let builder = FakeService::new().config().http_client(http);
    Client::from_conf(f(builder).build())
}

fn create(
    client: &Client,
) -> chime_caps::operation::create_meeting::builders::CreateMeetingFluentBuilder {
    client
        .create_meeting()
        .client_request_token(support::unique_token())
        .media_region("us-east-1")
        .external_meeting_id("config-override")
}

#[tokio::test]
async fn endpoint_url_override_applies_to_one_call_only() {
    let (http, seen) = recording();
    let client = client(http, |b| b.endpoint_url("http://127.0.0.1:1"));
    create(&client)
        .customize()
        .config_override(Config::builder().endpoint_url("http://127.0.0.1:2"))
        .send()
        .await
        .expect("overridden call");
    create(&client).send().await.expect("plain call");
    let uris: Vec<String> = seen.lock().unwrap().iter().map(|s| s.uri.clone()).collect();
    assert_eq!(
        uris,
        ["http://127.0.0.1:2/meetings", "http://127.0.0.1:1/meetings"]
    );
}

#[tokio::test]
async fn credentials_and_region_overrides_sign_one_call_differently() {
    let (http, seen) = recording();
    let client = client(http, |b| b.region(Region::new("us-east-1")));
    create(&client)
        .customize()
        .config_override(
            Config::builder()
                .credentials_provider(Credentials::new("AKIDOTHER", "other", None, None, "t"))
                .region(Region::new("eu-central-1")),
        )
        .send()
        .await
        .expect("overridden call");
    create(&client).send().await.expect("plain call");
    let auth: Vec<String> = seen
        .lock()
        .unwrap()
        .iter()
        .map(|s| s.authorization.clone())
        .collect();
    assert!(auth[0].contains("Credential=AKIDOTHER/"), "{}", auth[0]);
    assert!(auth[0].contains("/eu-central-1/chime/"), "{}", auth[0]);
    assert!(auth[1].contains("Credential=AKIDFAKE/"), "{}", auth[1]);
    assert!(auth[1].contains("/us-east-1/chime/"), "{}", auth[1]);
}

/// Counts the calls it sees.
#[derive(Debug, Clone, Default)]
struct Counting(Arc<AtomicUsize>);

impl Intercept for Counting {
    fn name(&self) -> &'static str {
        "Counting"
    }

    fn read_before_transmit(
        &self,
        _: &BeforeTransmitInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

#[tokio::test]
async fn interceptor_override_runs_for_that_call_only() {
    let (http, _) = recording();
    let own = Counting::default();
    let client = client(http, |b| b.interceptor(own.clone()));
    let extra = Counting::default();
    create(&client)
        .customize()
        .config_override(Config::builder().interceptor(extra.clone()))
        .send()
        .await
        .expect("call with an extra interceptor");
    create(&client).send().await.expect("plain call");
    assert_eq!(extra.0.load(Ordering::SeqCst), 1);
    assert_eq!(own.0.load(Ordering::SeqCst), 2);
}

/// A fake service's meeting with video disabled, an attendee, and an Enforce client
/// that knows them.
async fn video_off_meeting(service: &FakeService) -> (Client, String, String) {
    let client = service.client_in(ValidationMode::Enforce);
    let meeting = create_meeting(
        &client,
        Some(features(
            Some(chime_caps::types::VideoResolution::None),
            None,
        )),
    )
    .await;
    let attendee = create_attendee(&client, &meeting, None).await;
    (client, meeting, attendee)
}

#[tokio::test]
async fn a_validation_override_changes_the_mode_of_one_call() {
    let service = FakeService::new();
    let (client, meeting, attendee) = video_off_meeting(&service).await;
    let video = || {
        client
            .update_attendee_capabilities()
            .meeting_id(&meeting)
            .attendee_id(&attendee)
            .capabilities(caps(M::None, M::Receive, M::None))
    };

    let before = service.requests_served();
    let err = video()
        .customize()
        .config_override(
            Config::builder().validation(ValidationSettings::new().mode(ValidationMode::Off)),
        )
        .send()
        .await
        .expect_err("the service refuses it");
    assert!(err.as_validation_error().is_none(), "{err:?}");
    assert_eq!(
        err.as_service_error().map(|e| e.is_bad_request_exception()),
        Some(true),
        "{err:?}"
    );
    assert_eq!(service.requests_served() - before, 1, "sent");

    // The client itself still enforces.
    let before = service.requests_served();
    let err = video().send().await.expect_err("rejected locally");
    assert_eq!(
        err.as_capability_violation().map(|v| v.rule),
        Some(Rule::VideoDisabled)
    );
    assert_eq!(service.requests_served(), before);
    assert_eq!(client.validation().mode(), ValidationMode::Enforce);

    // An override that sets other things but no validation keeps the client's mode.
    let err = video()
        .customize()
        .config_override(Config::builder().region(Region::new("eu-west-1")))
        .send()
        .await
        .expect_err("rejected locally");
    assert!(err.as_capability_violation().is_some(), "{err:?}");
    assert_eq!(service.requests_served(), before);
}

/// Puts `ValidationSettings` in a layer of the call's config bag.
#[derive(Debug)]
struct SettingsPlugin(FrozenLayer);

impl SettingsPlugin {
    fn new(settings: ValidationSettings) -> Self {
        let mut layer = Layer::new("validation settings for one call");
        layer.store_put(settings);
        SettingsPlugin(layer.freeze())
    }
}

impl RuntimePlugin for SettingsPlugin {
    fn config(&self) -> Option<FrozenLayer> {
        Some(self.0.clone())
    }
}

#[tokio::test]
async fn settings_in_a_runtime_plugin_layer_change_the_mode_of_one_call() {
    let service = FakeService::new();
    let (client, meeting, attendee) = video_off_meeting(&service).await;
    let logs = support::logs::capture();
    let before = service.requests_served();
    let err = client
        .update_attendee_capabilities()
        .meeting_id(&meeting)
        .attendee_id(&attendee)
        .capabilities(caps(M::None, M::Receive, M::None))
        .customize()
        .runtime_plugin(SettingsPlugin::new(
            ValidationSettings::new().mode(ValidationMode::Warn),
        ))
        .send()
        .await
        .expect_err("warned, sent, and refused by the service");
    assert!(err.as_service_error().is_some(), "{err:?}");
    assert_eq!(service.requests_served() - before, 1);
    assert!(
        logs.text().contains("sending the request anyway"),
        "{}",
        logs.text()
    );
}

/// A config taken from a validated client keeps its validation: clients built from
/// it share the knowledge (one interceptor, not two), and an override built from it
/// (which repeats the client's interceptors in the call) checks and learns once.
#[tokio::test]
async fn configs_taken_from_a_client_keep_one_validation() {
    let service = FakeService::new();
    let client = service.client_in(ValidationMode::Enforce);
    let meeting = create_meeting(&client, None).await;
    let attendee =
        create_attendee(&client, &meeting, Some(caps(M::Receive, M::None, M::None))).await;

    let warn = Client::from_conf(
        client
            .config()
            .to_builder()
            .validation(ValidationSettings::new().mode(ValidationMode::Warn))
            .build(),
    );
    assert_eq!(
        warn.config().interceptors().count(),
        client.config().interceptors().count()
    );
    assert_eq!(warn.validation().mode(), ValidationMode::Warn);
    assert_eq!(client.validation().mode(), ValidationMode::Enforce);
    warn.validation().register_meeting(&meeting, video_off());
    assert_eq!(
        client.validation().known_features(&meeting),
        Some(video_off())
    );

    let (_, report) = client
        .update_attendee_capabilities()
        .meeting_id(&meeting)
        .attendee_id(&attendee)
        .capabilities(caps(M::Send, M::None, M::None))
        .send_with_report(&client.validation())
        .await
        .unwrap_or_else(|err| panic!("{err:?}"));
    assert_eq!(report.notices.len(), 1, "{:?}", report.notices);

    let (_, report) = client
        .update_attendee_capabilities()
        .meeting_id(&meeting)
        .attendee_id(&attendee)
        .capabilities(caps(M::Receive, M::None, M::None))
        .send_with_report(&client.validation())
        .await
        .unwrap();
    assert!(report.notices.is_empty());
    // Through an override made of the client's own config, the call sees the
    // validation interceptor twice; the notice still comes once.
    let customized = client
        .update_attendee_capabilities()
        .meeting_id(&meeting)
        .attendee_id(&attendee)
        .capabilities(caps(M::Send, M::None, M::None))
        .customize()
        .config_override(client.config().to_builder());
    let logs = support::logs::capture();
    customized.send().await.expect("accepted");
    let events = logs
        .text()
        .lines()
        .filter(|line| line.contains(NoticeKind::AudioMayFlow.as_str()))
        .count();
    assert_eq!(events, 1, "{}", logs.text());
}
