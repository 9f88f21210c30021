//! `customize().config_override(..)`: one call with its own configuration (endpoint,
//! credentials, region, interceptors) while the client's stays as it was.
#![cfg(feature = "emulator")]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use aws_smithy_types::retry::RetryConfig;

use chime_caps::config::{Config, Credentials, Region};
use chime_caps::emulator::Emulator;
use chime_caps::Client;

async fn emulator() -> Emulator {
    Emulator::builder().start().await.expect("emulator starts")
}

/// A client of `emulator` that never retries, with the config altered by `f`.
fn client(
    emulator: &Emulator,
    f: impl FnOnce(chime_caps::config::Builder) -> chime_caps::config::Builder,
) -> Client {
    let builder = chime_caps::config::Builder::from(&emulator.client_config())
        .retry_config(RetryConfig::disabled());
    Client::from_conf(f(builder).build())
}

/// `http://127.0.0.1:<port>` with nothing listening on the port.
fn closed_endpoint() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

fn create_meeting(
    client: &Client,
) -> chime_caps::operation::create_meeting::builders::CreateMeetingFluentBuilder {
    client
        .create_meeting()
        .client_request_token(format!("token-{}", std::process::id()))
        .media_region("us-east-1")
        .external_meeting_id("config-override")
}

#[tokio::test]
async fn endpoint_url_override_applies_to_one_call_only() {
    let emu = emulator().await;
    let client = client(&emu, |b| b.endpoint_url(closed_endpoint()));

    let before = create_meeting(&client).send().await;
    assert!(
        matches!(before, Err(SdkError::DispatchFailure(_))),
        "{before:?}"
    );

    let out = create_meeting(&client)
        .customize()
        .config_override(Config::builder().endpoint_url(emu.endpoint_url()))
        .send()
        .await
        .expect("the override's endpoint is the emulator");
    assert!(out.meeting.and_then(|m| m.meeting_id).is_some());
    assert_eq!(emu.requests_served(), 1);

    let after = create_meeting(&client).send().await;
    assert!(
        matches!(after, Err(SdkError::DispatchFailure(_))),
        "{after:?}"
    );
    assert_eq!(
        emu.requests_served(),
        1,
        "the plain call went to the client's endpoint"
    );
    assert_ne!(
        client.config().endpoint_url(),
        Some(emu.endpoint_url().as_str())
    );
}

#[tokio::test]
async fn credentials_override_applies_to_one_call_only() {
    let emu = emulator().await;
    let client = client(&emu, |b| b);

    let wrong = Credentials::new("AKIDWRONGWRONGWRONG", "not-the-secret", None, None, "test");
    let err = create_meeting(&client)
        .customize()
        .config_override(Config::builder().credentials_provider(wrong))
        .send()
        .await
        .expect_err("the emulator refuses unknown credentials");
    let status = err.raw_response().map(|r| r.status().as_u16());
    assert!(matches!(status, Some(401 | 403)), "{err:?}");

    create_meeting(&client)
        .send()
        .await
        .expect("the client's own credentials still work");

    // And the right credentials by override work too (the override is not just broken).
    create_meeting(&client)
        .customize()
        .config_override(Config::builder().credentials_provider(emu.credentials().clone()))
        .send()
        .await
        .expect("the emulator's credentials by override");
}

/// Counts the calls it sees and records the `Authorization` header of each.
#[derive(Debug, Default)]
struct Counter {
    calls: AtomicUsize,
    authorization: Mutex<Vec<String>>,
}

#[derive(Debug, Clone)]
struct Counting(Arc<Counter>);

impl Intercept for Counting {
    fn name(&self) -> &'static str {
        "Counting"
    }

    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.0.calls.fetch_add(1, Ordering::SeqCst);
        let auth = context
            .request()
            .headers()
            .get("authorization")
            .unwrap_or_default();
        self.0.authorization.lock().unwrap().push(auth.to_owned());
        Ok(())
    }
}

#[tokio::test]
async fn interceptor_override_runs_for_that_call_only() {
    let emu = emulator().await;
    let own = Arc::new(Counter::default());
    let client = client(&emu, |b| b.interceptor(Counting(own.clone())));
    let extra = Arc::new(Counter::default());

    create_meeting(&client)
        .customize()
        .config_override(Config::builder().interceptor(Counting(extra.clone())))
        .send()
        .await
        .expect("call with an extra interceptor");
    assert_eq!(extra.calls.load(Ordering::SeqCst), 1);
    assert_eq!(
        own.calls.load(Ordering::SeqCst),
        1,
        "the client's interceptor runs once"
    );

    create_meeting(&client).send().await.expect("plain call");
    assert_eq!(
        extra.calls.load(Ordering::SeqCst),
        1,
        "the override's interceptor stays out of later calls"
    );
    assert_eq!(own.calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn region_override_changes_the_signing_region_of_one_call() {
    let emu = emulator().await;
    let seen = Arc::new(Counter::default());
    let client = client(&emu, |b| {
        b.region(Region::new("us-east-1"))
            .interceptor(Counting(seen.clone()))
    });

    // The emulator serves us-east-1 and, like the service, refuses a request signed
    // for another region: the refusal shows the override reached the signer.
    let refused = create_meeting(&client)
        .customize()
        .config_override(Config::builder().region(Region::new("eu-central-1")))
        .send()
        .await
        .expect_err("signed for eu-central-1");
    assert_eq!(
        refused.raw_response().map(|r| r.status().as_u16()),
        Some(403)
    );
    create_meeting(&client).send().await.expect("plain call");

    let auth = seen.authorization.lock().unwrap().clone();
    assert_eq!(auth.len(), 2);
    assert!(auth[0].contains("/eu-central-1/chime/"), "{}", auth[0]);
    assert!(auth[1].contains("/us-east-1/chime/"), "{}", auth[1]);
}
