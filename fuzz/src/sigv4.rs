//! Target `sigv4`: the emulator's SigV4 verifier (`Authorization` parsing, credential
//! scope, date and session-token checks, then the re-signing comparison) on one HTTP
//! request. Refusals are expected; a panic or a hang is a finding.
//!
//! Two properties besides "no panic":
//! - a request the verifier accepts names known credentials, the emulator's region and
//!   service, and every header its `SignedHeaders` lists;
//! - the same request, stripped of its signature and signed the way the AWS SDK signs
//!   (`aws-sigv4`, default settings, the verifier's clock), is accepted: whatever
//!   method, target, headers and body the fuzzer wrote, the verifier and the client's
//!   signer agree on the canonical request.
//!
//! Input: a [`Message`] whose start line is `<method> <target>`.

use std::hint::black_box;
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4::SigningParams;
use aws_smithy_runtime_api::client::identity::Identity;
use chime_caps::emulator::sigv4::SigV4Verifier;
use http::{HeaderMap, HeaderName, HeaderValue, Method, Uri};

use super::message::Message;

/// The emulator's region and signing name.
pub const REGION: &str = "us-east-1";
pub const SERVICE: &str = "chime";
/// Long-term credentials the verifier knows.
pub const ACCESS_KEY_ID: &str = "AKIDFUZZEXAMPLE";
pub const SECRET: &str = "fuzz/secret/access/key/EXAMPLE";
/// Temporary credentials the verifier knows, with their session token.
pub const SESSION_ACCESS_KEY_ID: &str = "ASIAFUZZEXAMPLE";
pub const SESSION_SECRET: &str = "fuzz/session/secret/EXAMPLE";
pub const SESSION_TOKEN: &str = "fuzz-session-token";
/// The verifier's clock, 2026-11-22T00:24:00Z: the seeds' `x-amz-date`.
pub const NOW_UNIX_SECONDS: u64 = 1_795_307_040;

/// How far one input got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reached {
    /// The start line or a header is not something an HTTP server would hand on.
    NotARequest,
    /// The verifier refused the request as sent.
    Refused,
    /// The verifier accepted the request as sent.
    Accepted,
}

/// Verifies one input as sent, then signed by the client's signer.
pub fn run(data: &[u8]) -> Reached {
    let message = Message::parse(data);
    let Some(request) = Request::from_message(&message) else {
        return Reached::NotARequest;
    };
    let verifier = verifier();
    let reached = match verifier.verify(
        &request.method,
        &request.uri,
        &request.headers,
        request.body,
    ) {
        Ok(verified) => {
            assert!(
                [ACCESS_KEY_ID, SESSION_ACCESS_KEY_ID].contains(&verified.access_key_id.as_str()),
                "accepted unknown credentials {verified:?}"
            );
            assert_eq!(
                (verified.region.as_str(), verified.service.as_str()),
                (REGION, SERVICE)
            );
            for name in &verified.signed_headers {
                assert!(
                    request.headers.contains_key(name.as_str()) || name == "host",
                    "accepted a signature over the absent header {name}"
                );
            }
            Reached::Accepted
        }
        Err(refusal) => {
            black_box((refusal.status(), refusal.error_type(), refusal.to_string()));
            Reached::Refused
        }
    };
    if let Some(signed) = request.signed_by_the_client() {
        if let Err(refusal) =
            verifier.verify(&signed.method, &signed.uri, &signed.headers, signed.body)
        {
            panic!(
                "the verifier refuses a request the SDK's signer signed: {refusal}\n{} {}\n{:?}",
                signed.method, signed.uri, signed.headers
            );
        }
    }
    reached
}

fn now() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(NOW_UNIX_SECONDS)
}

/// The verifier as the emulator configures it, with a fixed clock.
pub fn verifier() -> SigV4Verifier {
    SigV4Verifier::new(REGION, SERVICE)
        .with_credentials(ACCESS_KEY_ID, SECRET)
        .with_session_credentials(SESSION_ACCESS_KEY_ID, SESSION_SECRET, SESSION_TOKEN)
        .with_clock(now)
}

/// What the emulator's HTTP layer hands the verifier.
struct Request<'a> {
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: &'a [u8],
}

impl<'a> Request<'a> {
    fn from_message(message: &Message<'a>) -> Option<Self> {
        let mut words = message.start_line.split_whitespace();
        let method = Method::from_bytes(words.next()?.as_bytes()).ok()?;
        let uri: Uri = words.next()?.parse().ok()?;
        let mut headers = HeaderMap::new();
        for (name, value) in message.headers.iter() {
            headers.append(
                HeaderName::from_bytes(name.as_bytes()).ok()?,
                HeaderValue::from_str(value).ok()?,
            );
        }
        Some(Request {
            method,
            uri,
            headers,
            body: message.body,
        })
    }

    /// The request without its signature headers, signed by `aws-sigv4` as the SDK signs
    /// it (with the session credentials when it carried a token), or `None` when the
    /// signer refuses it.
    fn signed_by_the_client(&self) -> Option<Request<'a>> {
        let mut headers = self.headers.clone();
        for name in [
            "authorization",
            "x-amz-date",
            "x-amz-security-token",
            "x-amz-content-sha256",
        ] {
            headers.remove(name);
        }
        if !headers.contains_key("host") {
            headers.insert(
                "host",
                HeaderValue::from_static("meetings-chime.us-east-1.amazonaws.com"),
            );
        }
        let session = self.headers.contains_key("x-amz-security-token");
        let identity: Identity = if session {
            Credentials::new(
                SESSION_ACCESS_KEY_ID,
                SESSION_SECRET,
                Some(SESSION_TOKEN.into()),
                None,
                "fuzz",
            )
        } else {
            Credentials::new(ACCESS_KEY_ID, SECRET, None, None, "fuzz")
        }
        .into();
        let params = SigningParams::builder()
            .identity(&identity)
            .region(REGION)
            .name(SERVICE)
            .time(now())
            .settings(SigningSettings::default())
            .build()
            .ok()?
            .into();
        let target = self.uri.path_and_query().map_or("/", |p| p.as_str());
        let header_texts: Vec<(&str, &str)> = headers
            .iter()
            .map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)))
            .collect::<Option<_>>()?;
        let signable = SignableRequest::new(
            self.method.as_str(),
            target,
            header_texts.into_iter(),
            SignableBody::Bytes(self.body),
        )
        .ok()?;
        let (instructions, _signature) = sign(signable, &params).ok()?.into_parts();
        for (name, value) in instructions.headers() {
            headers.append(
                HeaderName::from_bytes(name.as_bytes()).ok()?,
                HeaderValue::from_str(value).ok()?,
            );
        }
        Some(Request {
            method: self.method.clone(),
            uri: self.uri.clone(),
            headers,
            body: self.body,
        })
    }
}
