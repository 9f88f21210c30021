//! What every test module shares: fixed identifiers, a base configuration, a
//! recording HTTP client that answers with canned responses, and small readers for
//! what was sent.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_credential_types::Credentials;
use aws_sdk_chimesdkmeetings::config::{
    AsyncSleep, BehaviorVersion, Builder, ConfigBag, Intercept, Region, RuntimeComponents, Sleep,
};
use aws_sdk_chimesdkmeetings::Client;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpConnector,
};
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextRef;
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_runtime_api::shared::IntoShared;
use aws_smithy_types::body::SdkBody;
use serde_json::Value;

pub const MEETING_ID: &str = "6bd0ae5c-0f9c-4b8b-a7a5-5bf5a0f0e2f1";
pub const ATTENDEE_ID: &str = "f0a8fa58-7cfe-4bc4-a5c8-2bd6b7d16a50";
pub const OTHER_ATTENDEE_ID: &str = "2b4c0d3e-9a1f-4e6d-8c7b-5a4f3e2d1c0b";
pub const REQUEST_ID: &str = "3b5a1f0e-7d2c-4c8a-9e6b-0f1d2c3b4a59";
pub const ENDPOINT: &str = "http://127.0.0.1:1";
pub const REGION: &str = "us-east-1";

pub fn credentials() -> Credentials {
    Credentials::new(
        "AKIDPORTSUITE",
        "port-suite-secret",
        None,
        None,
        "port-suite",
    )
}

/// What a user of the official crate writes without `aws-config`: behaviour version,
/// region, credentials and an endpoint URL; nothing about retries or timeouts.
pub fn bare_builder() -> Builder {
    aws_sdk_chimesdkmeetings::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .credentials_provider(credentials())
        .endpoint_url(ENDPOINT)
}

/// A client on [`bare_builder`] whose HTTP traffic goes to `http`.
pub fn client_with(http: &Recorder) -> Client {
    Client::from_conf(bare_builder().http_client(http.clone()).build())
}

// ---------------------------------------------------------------------------------
// Canned responses
// ---------------------------------------------------------------------------------

/// A response the [`Recorder`] gives: status, headers and body.
#[derive(Clone, Debug)]
pub struct Canned {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Canned {
    pub fn json(status: u16, body: Value) -> Canned {
        Canned::raw(status, &body.to_string()).header("content-type", "application/json")
    }

    pub fn raw(status: u16, body: &str) -> Canned {
        Canned {
            status,
            headers: vec![("x-amzn-requestid".into(), REQUEST_ID.into())],
            body: body.into(),
        }
    }

    /// An error as the service sends it: the type in `x-amzn-ErrorType`, the message
    /// (and the model's `Code`) in the body.
    pub fn error(status: u16, error_type: &str, message: &str) -> Canned {
        Canned::json(
            status,
            serde_json::json!({"Code": error_type, "Message": message}),
        )
        .header("x-amzn-errortype", error_type)
    }

    pub fn header(mut self, name: &str, value: &str) -> Canned {
        self.headers.push((name.into(), value.into()));
        self
    }

    fn to_response(&self) -> HttpResponse {
        let status = StatusCode::try_from(self.status).expect("canned statuses are valid");
        let mut response = HttpResponse::new(status, SdkBody::from(self.body.clone()));
        for (name, value) in &self.headers {
            response.headers_mut().insert(name.clone(), value.clone());
        }
        response
    }
}

// ---------------------------------------------------------------------------------
// The recording HTTP client
// ---------------------------------------------------------------------------------

/// One request as it reached the HTTP client.
#[derive(Clone, Debug)]
pub struct Sent {
    pub method: String,
    pub uri: String,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Sent {
    fn of(request: &HttpRequest) -> Sent {
        Sent {
            method: request.method().to_string(),
            uri: request.uri().to_string(),
            headers: request
                .headers()
                .iter()
                .map(|(name, value)| (name.to_ascii_lowercase(), value.to_string()))
                .collect(),
            body: request.body().bytes().unwrap_or_default().to_vec(),
        }
    }

    /// Path and query, without scheme and authority.
    pub fn target(&self) -> &str {
        let after_scheme = self
            .uri
            .split_once("://")
            .map_or(&*self.uri, |(_, rest)| rest);
        after_scheme.find('/').map_or("/", |at| &after_scheme[at..])
    }

    pub fn host(&self) -> &str {
        let after_scheme = self
            .uri
            .split_once("://")
            .map_or(&*self.uri, |(_, rest)| rest);
        after_scheme.split('/').next().unwrap_or_default()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(candidate, _)| candidate == name)
            .map(|(_, value)| value.as_str())
    }

    /// The body parsed as JSON; `Value::Null` when there is no body at all.
    pub fn json(&self) -> Value {
        if self.body.is_empty() {
            return Value::Null;
        }
        serde_json::from_slice(&self.body).unwrap_or_else(|err| {
            panic!(
                "request body is not JSON ({err}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }
}

#[derive(Debug, Default)]
struct RecorderState {
    answers: VecDeque<Canned>,
    sent: Vec<Sent>,
    connector_settings: Vec<HttpConnectorSettings>,
}

/// An HTTP client that records every request (and the connector settings the
/// orchestrator asks for) and answers from a script; the last answer repeats.
#[derive(Clone, Debug, Default)]
pub struct Recorder {
    state: Arc<Mutex<RecorderState>>,
}

impl Recorder {
    pub fn answering(answers: impl IntoIterator<Item = Canned>) -> Recorder {
        let recorder = Recorder::default();
        recorder.state.lock().unwrap().answers = answers.into_iter().collect();
        recorder
    }

    pub fn sent(&self) -> Vec<Sent> {
        self.state.lock().unwrap().sent.clone()
    }

    /// The one request sent; fails if there were none or several.
    pub fn only(&self) -> Sent {
        let sent = self.sent();
        assert_eq!(sent.len(), 1, "expected exactly one request, got {sent:#?}");
        sent.into_iter().next().unwrap()
    }

    /// The settings of the last connector the orchestrator asked for.
    pub fn last_connector_settings(&self) -> HttpConnectorSettings {
        self.state
            .lock()
            .unwrap()
            .connector_settings
            .last()
            .cloned()
            .expect("the orchestrator asked for a connector")
    }

    /// `amz-sdk-request` of every request sent, in order.
    pub fn attempt_headers(&self) -> Vec<String> {
        self.sent()
            .iter()
            .map(|sent| {
                sent.header("amz-sdk-request")
                    .unwrap_or("<none>")
                    .to_string()
            })
            .collect()
    }
}

impl HttpConnector for Recorder {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let mut state = self.state.lock().unwrap();
        state.sent.push(Sent::of(&request));
        let answer = if state.answers.len() > 1 {
            state.answers.pop_front()
        } else {
            state.answers.front().cloned()
        };
        let answer = answer.unwrap_or_else(|| Canned::json(200, serde_json::json!({})));
        HttpConnectorFuture::ready(Ok(answer.to_response()))
    }
}

impl HttpClient for Recorder {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        _components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        self.state
            .lock()
            .unwrap()
            .connector_settings
            .push(settings.clone());
        self.clone().into_shared()
    }
}

// ---------------------------------------------------------------------------------
// Reading the effective configuration
// ---------------------------------------------------------------------------------

/// An interceptor that hands the config bag of each attempt, as the orchestrator sees
/// it right before transmitting, to `probe`, and keeps what it returns.
#[derive(Debug)]
pub struct ConfigProbe<T> {
    seen: Arc<Mutex<Vec<T>>>,
    probe: fn(&ConfigBag) -> T,
}

impl<T: Clone + std::fmt::Debug + Send + 'static> ConfigProbe<T> {
    pub fn new(probe: fn(&ConfigBag) -> T) -> (ConfigProbe<T>, Arc<Mutex<Vec<T>>>) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        (
            ConfigProbe {
                seen: seen.clone(),
                probe,
            },
            seen,
        )
    }
}

impl<T: std::fmt::Debug + Send + 'static> Intercept for ConfigProbe<T> {
    fn name(&self) -> &'static str {
        "ConfigProbe"
    }

    fn read_before_transmit(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.seen.lock().unwrap().push((self.probe)(cfg));
        Ok(())
    }
}

/// Runs `future` on its own task and returns its output; a panic inside fails the
/// test with a message saying the call panicked (instead of returning an error).
pub async fn without_panic<F>(future: F) -> F::Output
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    match tokio::spawn(future).await {
        Ok(output) => output,
        Err(join_error) if join_error.is_panic() => {
            let payload = join_error.into_panic();
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            panic!("the call panicked instead of returning an error: {message}")
        }
        Err(join_error) => panic!("the task was cancelled: {join_error}"),
    }
}

/// A sleep that returns at once, so retry backoffs cost no wall-clock time. (The
/// orchestrator also sleeps for other reasons, so what it asks for is not a list of
/// backoffs and is not recorded.)
#[derive(Clone, Debug)]
pub struct InstantSleep;

impl AsyncSleep for InstantSleep {
    fn sleep(&self, _duration: Duration) -> Sleep {
        Sleep::new(std::future::ready(()))
    }
}

/// A short bound for anything that must not hang.
pub const PATIENCE: Duration = Duration::from_secs(5);
