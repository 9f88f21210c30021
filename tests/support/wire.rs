//! The emulator seen through the plain generated client (no local validation, so every
//! check is the emulator's): clients, meetings and attendees, the service's error shape
//! on the wire, and an interceptor that rewrites a request the client built.
#![allow(dead_code)] // each test binary uses a different subset

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeTransmitInterceptorContextMut;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::ConfigBag;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_smithy_types::retry::RetryConfig;

use chime_caps::emulator::Emulator;
use chime_caps_generated::config::Builder;
use chime_caps_generated::types::{Attendee, MeetingFeaturesConfiguration};
pub use chime_caps_generated::Client;

use crate::common::unique_token;

/// The generated client with the emulator's settings, altered by `f`.
pub fn client_with(emu: &Emulator, f: impl FnOnce(Builder) -> Builder) -> Client {
    let builder = Builder::from(&emu.client_config());
    Client::from_conf(f(builder).build())
}

/// A client that never retries: each call is exactly one request.
pub fn one_shot(emu: &Emulator) -> Client {
    client_with(emu, |b| b.retry_config(RetryConfig::disabled()))
}

/// Creates a meeting and returns its id.
pub async fn new_meeting(
    client: &Client,
    features: Option<MeetingFeaturesConfiguration>,
) -> String {
    client
        .create_meeting()
        .client_request_token(unique_token())
        .media_region("us-east-1")
        .external_meeting_id("test-meeting")
        .set_meeting_features(features)
        .send()
        .await
        .expect("CreateMeeting")
        .meeting
        .and_then(|m| m.meeting_id)
        .expect("meeting id")
}

/// Creates (or, by `ExternalUserId`, finds) an attendee with default capabilities.
pub async fn attendee(client: &Client, meeting_id: &str, user: &str) -> Attendee {
    client
        .create_attendee()
        .meeting_id(meeting_id)
        .external_user_id(user)
        .send()
        .await
        .expect("CreateAttendee")
        .attendee
        .expect("attendee")
}

/// Every attendee of a meeting, `page` at a time.
pub async fn all_attendees(client: &Client, meeting_id: &str, page: i32) -> Vec<Attendee> {
    let mut out = Vec::new();
    let mut token = None;
    loop {
        let resp = client
            .list_attendees()
            .meeting_id(meeting_id)
            .max_results(page)
            .set_next_token(token)
            .send()
            .await
            .expect("ListAttendees");
        let items = resp.attendees.unwrap_or_default();
        assert!(items.len() <= page as usize);
        out.extend(items);
        token = resp.next_token;
        if token.is_none() {
            return out;
        }
    }
}

/// Status, `x-amzn-ErrorType`, and the JSON body of a service error.
pub fn wire_error<E>(err: &SdkError<E, HttpResponse>) -> (u16, String, serde_json::Value) {
    let raw = err.raw_response().expect("a response was received");
    let error_type = raw
        .headers()
        .get("x-amzn-ErrorType")
        .expect("x-amzn-ErrorType header")
        .to_string();
    assert!(
        raw.headers().get("x-amzn-RequestId").is_some(),
        "request id header"
    );
    let body: serde_json::Value =
        serde_json::from_slice(raw.body().bytes().expect("buffered body")).expect("JSON body");
    (raw.status().as_u16(), error_type, body)
}

/// Asserts the complete error shape and returns the message.
pub fn assert_error<E: ProvideErrorMetadata>(
    err: SdkError<E, HttpResponse>,
    status: u16,
    error_type: &str,
    code: &str,
) -> String {
    let (got_status, got_type, body) = wire_error(&err);
    assert_eq!(
        (got_status, got_type.as_str()),
        (status, error_type),
        "{body}"
    );
    assert_eq!(body["Code"], code, "{body}");
    let request_id = err
        .raw_response()
        .unwrap()
        .headers()
        .get("x-amzn-RequestId")
        .unwrap();
    assert_eq!(body["RequestId"], request_id, "{body}");
    let message = body["Message"].as_str().expect("Message").to_string();
    let service = err.as_service_error().expect("a modelled service error");
    assert_eq!(service.code(), Some(error_type));
    assert_eq!(service.message(), Some(message.as_str()));
    message
}

/// Rewrites the request after the client built it.
#[derive(Debug)]
pub enum Rewrite {
    /// Replaces the body before signing (the signature stays valid).
    Body(&'static str),
    /// Replaces the method and the path and query before signing.
    Target(&'static str, String),
    /// Removes the Authorization header after signing.
    DropAuthorization,
    /// Scopes the credential to another service after signing.
    Service(&'static str),
}

impl Intercept for Rewrite {
    fn name(&self) -> &'static str {
        "Rewrite"
    }

    fn modify_before_signing(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _rc: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let req = context.request_mut();
        match self {
            Rewrite::Body(body) => {
                req.headers_mut()
                    .insert("content-length", body.len().to_string());
                *req.body_mut() = SdkBody::from(*body);
            }
            Rewrite::Target(method, path_and_query) => {
                // Keep `http://host:port`, the part before the third '/'.
                let uri = req.uri().to_owned();
                let origin_end = uri.match_indices('/').nth(2).map_or(uri.len(), |(i, _)| i);
                req.set_uri(format!("{}{path_and_query}", &uri[..origin_end]))?;
                req.set_method(method)?;
            }
            _ => {}
        }
        Ok(())
    }

    fn modify_before_transmit(
        &self,
        context: &mut BeforeTransmitInterceptorContextMut<'_>,
        _rc: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let headers = context.request_mut().headers_mut();
        match self {
            Rewrite::DropAuthorization => {
                headers.remove("authorization");
            }
            Rewrite::Service(service) => {
                let auth = headers.get("authorization").unwrap().to_string();
                headers.insert(
                    "authorization",
                    auth.replace("/chime/", &format!("/{service}/")),
                );
            }
            _ => {}
        }
        Ok(())
    }
}
