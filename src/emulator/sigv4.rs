//! Server-side verification of AWS Signature Version 4 (`AWS4-HMAC-SHA256`,
//! `Authorization`-header form), by re-signing with `aws-sigv4`.
//!
//! The emulator does not canonicalize requests itself: it parses the `Authorization`
//! header, checks the credential scope, the date and the session token, then hands
//! the received method, target, the headers named in `SignedHeaders` and the body to
//! `aws_sigv4::http_request::sign` — the signer the AWS SDK for Rust uses — with the
//! configured secret, and compares the two signatures in constant time. The AWS
//! signing test-suite vectors in `tests/sigv4_verify.rs` check the result
//! independently of the crate.
//!
//! Not part of the crate's API: it is public (and hidden from the documentation) only
//! so that the crate's tests can drive it directly.
//!
//! # Status codes
//!
//! [`AuthFailure::status`] maps failures onto the two authentication errors of the
//! Chime SDK Meetings model:
//!
//! * **401 `UnauthorizedException`**: the caller could not be identified (no
//!   `Authorization` header, an access key id the service does not know, or a session
//!   token that does not belong to the credentials).
//! * **403 `ForbiddenException`**: the caller named known credentials but the request
//!   is not acceptable as signed (malformed header, unsupported algorithm, another
//!   region or service in the credential scope, missing/malformed/skewed date,
//!   required headers left unsigned, signed headers missing, or a signature that does
//!   not recompute).

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4::SigningParams;
use aws_smithy_runtime_api::client::identity::Identity;
use aws_smithy_types::date_time::{DateTime, Format};
use http::{HeaderMap, Method, Uri};

/// The only algorithm accepted in the `Authorization` header.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// Default tolerated difference between `x-amz-date` and the server clock (AWS uses 5 minutes).
pub const DEFAULT_MAX_SKEW: Duration = Duration::from_secs(5 * 60);
/// Header carrying the request timestamp.
pub const X_AMZ_DATE: &str = "x-amz-date";
/// Header carrying the session token of temporary credentials.
pub const X_AMZ_SECURITY_TOKEN: &str = "x-amz-security-token";

#[derive(Clone)]
struct Secret {
    secret_access_key: String,
    /// `Some` for temporary credentials: the request must carry exactly this token.
    /// `None`: the request must carry no token at all.
    session_token: Option<String>,
}

type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync + 'static>;

/// Verifies SigV4-signed requests for one region and service against a set of known
/// credentials.
#[derive(Clone)]
pub struct SigV4Verifier {
    credentials: HashMap<String, Secret>,
    region: String,
    signing_name: String,
    max_skew: Duration,
    clock: Clock,
}

impl fmt::Debug for SigV4Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut keys: Vec<&String> = self.credentials.keys().collect();
        keys.sort();
        f.debug_struct("SigV4Verifier")
            .field("region", &self.region)
            .field("signing_name", &self.signing_name)
            .field("access_key_ids", &keys)
            .field("max_skew", &self.max_skew)
            .finish_non_exhaustive()
    }
}

/// What a successfully verified request was signed with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedRequest {
    pub access_key_id: String,
    /// Region of the credential scope (always the verifier's).
    pub region: String,
    /// Service of the credential scope (always the verifier's signing name).
    pub service: String,
    /// `SignedHeaders`, in the order the client listed them.
    pub signed_headers: Vec<String>,
    /// `x-amz-date` of the request.
    pub timestamp: SystemTime,
    /// `x-amz-security-token`, when the request carried one.
    pub session_token: Option<String>,
}

/// Why a request failed authentication. See the module docs for the status mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthFailure {
    /// No `Authorization` header.
    MissingAuthorization,
    /// The `Authorization` header (or its credential scope) cannot be parsed; the
    /// string says which part.
    MalformedAuthorization(String),
    /// The header names an algorithm other than `AWS4-HMAC-SHA256`.
    UnsupportedAlgorithm(String),
    /// The access key id is not registered with the verifier.
    UnknownAccessKey(String),
    /// The request's `x-amz-security-token` is missing, different from the one issued
    /// with the credentials, or present although the credentials have none.
    InvalidSecurityToken { access_key_id: String },
    /// The credential scope names another service than the expected signing name.
    WrongService { expected: String, found: String },
    /// The credential scope names another region than the one this service runs in.
    WrongRegion { expected: String, found: String },
    /// No `x-amz-date` header.
    MissingDate,
    /// `x-amz-date` is not `YYYYMMDD'T'HHMMSS'Z'`.
    MalformedDate(String),
    /// The date in the credential scope is not the date of `x-amz-date`.
    ScopeDateMismatch {
        scope_date: String,
        request_date: String,
    },
    /// `x-amz-date` is further from the server clock than the allowed skew.
    ClockSkew {
        /// `x-amz-date` as sent.
        request_time: String,
        /// Server clock, in the same format.
        server_time: String,
        max_skew: Duration,
    },
    /// A header that must be covered by the signature (`host`, `x-amz-date`, or a
    /// present `x-amz-security-token`) is not in `SignedHeaders`.
    UnsignedRequiredHeader(String),
    /// `SignedHeaders` lists a header the request does not carry.
    SignedHeaderMissing(String),
    /// The signed parts of the request cannot be signed again (e.g. a header value
    /// that is not text); the string says why.
    Unsignable(String),
    /// The signature does not recompute.
    SignatureMismatch,
}

impl AuthFailure {
    /// HTTP status: 401 when the caller cannot be identified (missing `Authorization`,
    /// unknown access key, wrong session token), 403 for every other failure.
    pub fn status(&self) -> u16 {
        match self {
            AuthFailure::MissingAuthorization
            | AuthFailure::UnknownAccessKey(_)
            | AuthFailure::InvalidSecurityToken { .. } => 401,
            _ => 403,
        }
    }

    /// Modelled error type matching [`AuthFailure::status`]:
    /// `"UnauthorizedException"` for 401, `"ForbiddenException"` for 403.
    pub fn error_type(&self) -> &'static str {
        if self.status() == 401 {
            "UnauthorizedException"
        } else {
            "ForbiddenException"
        }
    }
}

impl fmt::Display for AuthFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AuthFailure::MissingAuthorization => write!(
                f,
                "The request carries no Authorization header; sign it with AWS Signature Version 4 \
                 (AWS4-HMAC-SHA256) using your access key."
            ),
            AuthFailure::MalformedAuthorization(detail) => write!(
                f,
                "The Authorization header is malformed ({detail}); it must read \
                 'AWS4-HMAC-SHA256 Credential=<access key>/<YYYYMMDD>/<region>/<service>/aws4_request, \
                 SignedHeaders=<h1;h2;...>, Signature=<64 hex digits>'."
            ),
            AuthFailure::UnsupportedAlgorithm(alg) => write!(
                f,
                "The signing algorithm '{alg}' is not supported; sign the request with \
                 AWS4-HMAC-SHA256 (SigV4)."
            ),
            AuthFailure::UnknownAccessKey(akid) => write!(
                f,
                "The access key id '{akid}' is not known to this service; use credentials that \
                 the service was configured with."
            ),
            AuthFailure::InvalidSecurityToken { access_key_id } => write!(
                f,
                "The x-amz-security-token does not belong to the credentials '{access_key_id}' \
                 (it is missing, different, or those credentials have none); send exactly the \
                 session token issued with that access key, or none for long-term credentials."
            ),
            AuthFailure::WrongService { expected, found } => write!(
                f,
                "The credential scope names service '{found}' but this service signs as \
                 '{expected}'; set the client's signing name to '{expected}'."
            ),
            AuthFailure::WrongRegion { expected, found } => write!(
                f,
                "The credential scope names region '{found}' but this service runs in \
                 '{expected}'; sign the request for '{expected}' (set the client's region)."
            ),
            AuthFailure::MissingDate => write!(
                f,
                "The request carries no x-amz-date header; SigV4 requests must send the signing \
                 time as x-amz-date in the form YYYYMMDD'T'HHMMSS'Z'."
            ),
            AuthFailure::MalformedDate(value) => write!(
                f,
                "The x-amz-date header '{value}' is not a valid timestamp; send it in the form \
                 YYYYMMDD'T'HHMMSS'Z' (for example 20261122T002400Z)."
            ),
            AuthFailure::ScopeDateMismatch {
                scope_date,
                request_date,
            } => write!(
                f,
                "The credential scope date {scope_date} differs from the x-amz-date day \
                 {request_date}; derive the scope from the same timestamp you send."
            ),
            AuthFailure::ClockSkew {
                request_time,
                server_time,
                max_skew,
            } => write!(
                f,
                "The request time {request_time} is more than {} seconds away from the server \
                 time {server_time}; correct the client clock and sign the request again.",
                max_skew.as_secs()
            ),
            AuthFailure::UnsignedRequiredHeader(name) => write!(
                f,
                "The header '{name}' must be covered by the signature; add it to SignedHeaders \
                 and sign the request again."
            ),
            AuthFailure::SignedHeaderMissing(name) => write!(
                f,
                "SignedHeaders lists '{name}' but the request does not carry that header; send \
                 every header that you sign."
            ),
            AuthFailure::Unsignable(why) => write!(
                f,
                "The signed parts of the request cannot be verified ({why}); sign only headers \
                 whose values are text."
            ),
            AuthFailure::SignatureMismatch => write!(
                f,
                "The signature we computed from the request does not match the one provided; \
                 check the secret access key and that the canonical request is built from the \
                 bytes actually sent."
            ),
        }
    }
}

impl std::error::Error for AuthFailure {}

/// Parsed `Authorization` header.
struct AuthorizationHeader<'a> {
    access_key_id: &'a str,
    scope_date: &'a str,
    region: &'a str,
    service: &'a str,
    signed_headers: Vec<&'a str>,
    signature: &'a str,
}

impl SigV4Verifier {
    /// A verifier for requests signed for `region` and `signing_name` (the SigV4
    /// service name, `"chime"` for Chime SDK Meetings), with no credentials, a 5
    /// minute skew allowance and the system clock.
    pub fn new(region: impl Into<String>, signing_name: impl Into<String>) -> Self {
        SigV4Verifier {
            credentials: HashMap::new(),
            region: region.into(),
            signing_name: signing_name.into(),
            max_skew: DEFAULT_MAX_SKEW,
            clock: Arc::new(SystemTime::now),
        }
    }

    /// Accepts long-term credentials: requests signed with this access key must carry
    /// no session token. A later call for the same access key id replaces the earlier
    /// one.
    pub fn with_credentials(
        self,
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
    ) -> Self {
        self.with_secret(access_key_id.into(), secret_access_key.into(), None)
    }

    /// Accepts temporary credentials: requests signed with this access key must carry
    /// `session_token` in a signed `x-amz-security-token` header.
    pub fn with_session_credentials(
        self,
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: impl Into<String>,
    ) -> Self {
        self.with_secret(
            access_key_id.into(),
            secret_access_key.into(),
            Some(session_token.into()),
        )
    }

    fn with_secret(
        mut self,
        access_key_id: String,
        secret_access_key: String,
        session_token: Option<String>,
    ) -> Self {
        self.credentials.insert(
            access_key_id,
            Secret {
                secret_access_key,
                session_token,
            },
        );
        self
    }

    /// Largest accepted distance, in either direction, between `x-amz-date` and the clock.
    pub fn with_max_skew(mut self, d: Duration) -> Self {
        self.max_skew = d;
        self
    }

    /// Replaces the clock used for the skew check (tests use a fixed time).
    pub fn with_clock(mut self, now: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.clock = Arc::new(now);
        self
    }

    /// Verifies one request, given exactly what arrived on the wire.
    ///
    /// `uri` is the request target (origin form `/path?query`, or absolute form);
    /// when `host` is signed but absent from `headers`, the URI authority is used.
    pub fn verify(
        &self,
        method: &Method,
        uri: &Uri,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<VerifiedRequest, AuthFailure> {
        let mut auth_values = headers.get_all(http::header::AUTHORIZATION).iter();
        let auth_value = auth_values
            .next()
            .ok_or(AuthFailure::MissingAuthorization)?;
        if auth_values.next().is_some() {
            return Err(AuthFailure::MalformedAuthorization(
                "more than one Authorization header".into(),
            ));
        }
        let auth_str = auth_value.to_str().map_err(|_| {
            AuthFailure::MalformedAuthorization("header is not visible ASCII".into())
        })?;
        let auth = parse_authorization(auth_str)?;

        let secret = self
            .credentials
            .get(auth.access_key_id)
            .ok_or_else(|| AuthFailure::UnknownAccessKey(auth.access_key_id.to_string()))?;
        if auth.service != self.signing_name {
            return Err(AuthFailure::WrongService {
                expected: self.signing_name.clone(),
                found: auth.service.to_string(),
            });
        }
        if auth.region != self.region {
            return Err(AuthFailure::WrongRegion {
                expected: self.region.clone(),
                found: auth.region.to_string(),
            });
        }
        for required in ["host", X_AMZ_DATE] {
            if !auth.signed_headers.contains(&required) {
                return Err(AuthFailure::UnsignedRequiredHeader(required.to_string()));
            }
        }
        let session_token = check_session_token(headers, &auth, secret)?;
        let timestamp = self.check_date(headers, &auth)?;

        let signed_values = signed_header_values(uri, headers, &auth.signed_headers)?;
        let expected =
            self.signature(method, uri, &signed_values, body, secret, &auth, timestamp)?;
        if !constant_time_eq_ignore_ascii_case(expected.as_bytes(), auth.signature.as_bytes()) {
            return Err(AuthFailure::SignatureMismatch);
        }
        Ok(VerifiedRequest {
            access_key_id: auth.access_key_id.to_string(),
            region: auth.region.to_string(),
            service: auth.service.to_string(),
            signed_headers: auth.signed_headers.iter().map(|s| s.to_string()).collect(),
            timestamp,
            session_token,
        })
    }

    /// `x-amz-date`: present, well formed, the scope's day, within the allowed skew.
    fn check_date(
        &self,
        headers: &HeaderMap,
        auth: &AuthorizationHeader<'_>,
    ) -> Result<SystemTime, AuthFailure> {
        let amz_date = headers
            .get(X_AMZ_DATE)
            .ok_or(AuthFailure::MissingDate)?
            .to_str()
            .map_err(|_| AuthFailure::MalformedDate("<non-ASCII value>".into()))?
            .trim();
        let timestamp = parse_amz_date(amz_date)
            .ok_or_else(|| AuthFailure::MalformedDate(amz_date.to_string()))?;
        if auth.scope_date != &amz_date[..8] {
            return Err(AuthFailure::ScopeDateMismatch {
                scope_date: auth.scope_date.to_string(),
                request_date: amz_date[..8].to_string(),
            });
        }
        let now = (self.clock)();
        let skew = match timestamp.duration_since(now) {
            Ok(ahead) => ahead,
            Err(behind) => behind.duration(),
        };
        if skew > self.max_skew {
            return Err(AuthFailure::ClockSkew {
                request_time: amz_date.to_string(),
                server_time: format_amz_date(now),
                max_skew: self.max_skew,
            });
        }
        Ok(timestamp)
    }

    /// The hex signature `aws-sigv4` computes for the signed parts of the request with
    /// the configured secret (and session token).
    #[allow(clippy::too_many_arguments)]
    fn signature(
        &self,
        method: &Method,
        uri: &Uri,
        signed_values: &[(&str, String)],
        body: &[u8],
        secret: &Secret,
        auth: &AuthorizationHeader<'_>,
        timestamp: SystemTime,
    ) -> Result<String, AuthFailure> {
        let unsignable = |e: &dyn fmt::Display| AuthFailure::Unsignable(e.to_string());
        let identity: Identity = Credentials::new(
            auth.access_key_id,
            &secret.secret_access_key,
            secret.session_token.clone(),
            None,
            "chime-caps-emulator",
        )
        .into();
        // Sign exactly the client's SignedHeaders: nothing excluded, nothing added
        // beyond what the signer always covers (host, x-amz-date and the token, which
        // were checked to be among them).
        let mut settings = SigningSettings::default();
        settings.excluded_headers = None;
        let params = SigningParams::builder()
            .identity(&identity)
            .region(auth.region)
            .name(auth.service)
            .time(timestamp)
            .settings(settings)
            .build()
            .map_err(|e| unsignable(&e))?
            .into();
        let target = uri.path_and_query().map_or("/", |p| p.as_str());
        let request = SignableRequest::new(
            method.as_str(),
            target,
            signed_values.iter().map(|(n, v)| (*n, v.as_str())),
            SignableBody::Bytes(body),
        )
        .map_err(|e| unsignable(&e))?;
        let output = sign(request, &params).map_err(|e| unsignable(&e))?;
        Ok(output.signature().to_string())
    }
}

/// The session token of the request, if it is the one the credentials were issued with.
fn check_session_token(
    headers: &HeaderMap,
    auth: &AuthorizationHeader<'_>,
    secret: &Secret,
) -> Result<Option<String>, AuthFailure> {
    let token = joined_header(headers, X_AMZ_SECURITY_TOKEN);
    if token.is_some() && !auth.signed_headers.contains(&X_AMZ_SECURITY_TOKEN) {
        return Err(AuthFailure::UnsignedRequiredHeader(
            X_AMZ_SECURITY_TOKEN.to_string(),
        ));
    }
    let matches = match (&token, &secret.session_token) {
        (None, None) => true,
        (Some(sent), Some(issued)) => constant_time_eq(sent.as_bytes(), issued.as_bytes()),
        _ => false,
    };
    if matches {
        Ok(token)
    } else {
        Err(AuthFailure::InvalidSecurityToken {
            access_key_id: auth.access_key_id.to_string(),
        })
    }
}

/// Every value of `name` joined with `,` (as in a canonical request), or `None`.
fn joined_header(headers: &HeaderMap, name: &str) -> Option<String> {
    let values: Vec<String> = headers
        .get_all(name)
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect();
    (!values.is_empty()).then(|| values.join(","))
}

/// `(name, value)` of every signed header, repeated names once per value, in the
/// order received; a signed `host` missing from the headers comes from the URI.
fn signed_header_values<'a>(
    uri: &Uri,
    headers: &HeaderMap,
    signed_headers: &[&'a str],
) -> Result<Vec<(&'a str, String)>, AuthFailure> {
    let mut values = Vec::with_capacity(signed_headers.len());
    for &name in signed_headers {
        let before = values.len();
        for value in headers.get_all(name) {
            let text = std::str::from_utf8(value.as_bytes()).map_err(|_| {
                AuthFailure::Unsignable(format!("the value of '{name}' is not UTF-8"))
            })?;
            values.push((name, text.to_string()));
        }
        if values.len() == before {
            match uri.authority().filter(|_| name == "host") {
                Some(authority) => values.push((name, authority.as_str().to_string())),
                None => return Err(AuthFailure::SignedHeaderMissing(name.to_string())),
            }
        }
    }
    Ok(values)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// [`constant_time_eq`] for hex digests, whose case does not matter.
fn constant_time_eq_ignore_ascii_case(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len()
        && a.iter().zip(b).fold(0u8, |acc, (x, y)| {
            acc | (x.to_ascii_lowercase() ^ y.to_ascii_lowercase())
        }) == 0
}

fn parse_authorization(value: &str) -> Result<AuthorizationHeader<'_>, AuthFailure> {
    let malformed = |s: &str| AuthFailure::MalformedAuthorization(s.to_string());
    let value = value.trim();
    let (algorithm, rest) = match value.find([' ', '\t']) {
        Some(i) => (&value[..i], value[i..].trim()),
        None => (value, ""),
    };
    if algorithm != ALGORITHM {
        return Err(AuthFailure::UnsupportedAlgorithm(algorithm.to_string()));
    }

    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for part in rest.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (key, val) = part
            .split_once('=')
            .ok_or_else(|| malformed(&format!("component '{part}' is not key=value")))?;
        let slot = match key.trim() {
            "Credential" => &mut credential,
            "SignedHeaders" => &mut signed_headers,
            "Signature" => &mut signature,
            other => return Err(malformed(&format!("unexpected component '{other}'"))),
        };
        if slot.replace(val.trim()).is_some() {
            return Err(malformed(&format!(
                "component '{}' appears twice",
                key.trim()
            )));
        }
    }
    let credential = credential.ok_or_else(|| malformed("Credential is missing"))?;
    let signed_headers = signed_headers.ok_or_else(|| malformed("SignedHeaders is missing"))?;
    let signature = signature.ok_or_else(|| malformed("Signature is missing"))?;

    let parts: Vec<&str> = credential.split('/').collect();
    let [access_key_id, scope_date, region, service, terminator] = parts[..] else {
        return Err(malformed(
            "Credential must have five '/'-separated parts: access key, date, region, service, aws4_request",
        ));
    };
    if access_key_id.is_empty() {
        return Err(malformed("Credential has an empty access key id"));
    }
    if scope_date.len() != 8 || !scope_date.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed(&format!(
            "Credential date '{scope_date}' is not YYYYMMDD"
        )));
    }
    if region.is_empty() || service.is_empty() {
        return Err(malformed("Credential has an empty region or service"));
    }
    if terminator != "aws4_request" {
        return Err(malformed(&format!(
            "Credential scope must end with 'aws4_request', not '{terminator}'"
        )));
    }

    let signed: Vec<&str> = signed_headers.split(';').collect();
    for (i, name) in signed.iter().enumerate() {
        let valid = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_graphic() && !b.is_ascii_uppercase());
        if !valid {
            return Err(malformed(&format!(
                "SignedHeaders entry '{name}' is not a lowercase header name"
            )));
        }
        if signed[..i].contains(name) {
            return Err(malformed(&format!("SignedHeaders lists '{name}' twice")));
        }
    }
    if signature.len() != 64 || !signature.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(malformed("Signature must be 64 hexadecimal digits"));
    }

    Ok(AuthorizationHeader {
        access_key_id,
        scope_date,
        region,
        service,
        signed_headers: signed,
        signature,
    })
}

/// Formats a time as `YYYYMMDD'T'HHMMSS'Z'` (UTC).
pub fn format_amz_date(t: SystemTime) -> String {
    let rfc3339 = DateTime::from(t).fmt(Format::DateTime).unwrap_or_default();
    // `2026-11-22T00:24:00[.fraction]Z` → `20261122T002400Z`
    let whole_seconds = rfc3339.get(..19).unwrap_or_default();
    let mut out: String = whole_seconds
        .chars()
        .filter(|c| *c != '-' && *c != ':')
        .collect();
    out.push('Z');
    out
}

/// Parses `YYYYMMDD'T'HHMMSS'Z'` (UTC). Returns `None` for anything else, including
/// impossible dates such as February 30th.
pub fn parse_amz_date(s: &str) -> Option<SystemTime> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' || !digits(0..8) || !digits(9..15) {
        return None;
    }
    let rfc3339 = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &s[0..4],
        &s[4..6],
        &s[6..8],
        &s[9..11],
        &s[11..13],
        &s[13..15]
    );
    let parsed = DateTime::from_str(&rfc3339, Format::DateTime).ok()?;
    SystemTime::try_from(parsed).ok()
}

/// Formats a time as an HTTP `Date` (IMF-fixdate, e.g. `Sun, 22 Nov 2026 00:24:00 GMT`).
/// AWS SDKs correct their signing clock from the `Date` of replies, so a server whose
/// verifier uses a fake clock should report that clock in `Date`.
pub fn format_http_date(t: SystemTime) -> String {
    DateTime::from(t).fmt(Format::HttpDate).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    #[test]
    fn amz_dates_round_trip_and_garbage_is_refused() {
        let t = parse_amz_date("20261122T002400Z").unwrap();
        assert_eq!(t, UNIX_EPOCH + Duration::from_secs(1_795_307_040));
        assert_eq!(format_amz_date(t), "20261122T002400Z");
        assert_eq!(
            format_amz_date(t + Duration::from_millis(999)),
            "20261122T002400Z"
        );
        assert_eq!(format_amz_date(UNIX_EPOCH), "19700101T000000Z");
        assert_eq!(format_http_date(t), "Sun, 22 Nov 2026 00:24:00 GMT");
        let leap = parse_amz_date("20240229T235959Z").unwrap();
        assert_eq!(
            format_amz_date(leap + Duration::from_secs(1)),
            "20240301T000000Z"
        );
        for bad in [
            "",
            "20261122T002400",
            "20261122 002400Z",
            "2026-11-22T00:24:00Z",
            "20261322T002400Z",
            "20230229T000000Z",
            "20261122T246000Z",
            "2026112aT002400Z",
            "+2026112T002400Z",
        ] {
            assert_eq!(parse_amz_date(bad), None, "{bad:?} must not parse");
        }
    }

    fn parse_err(value: &str) -> AuthFailure {
        match parse_authorization(value) {
            Ok(_) => panic!("{value:?} parsed"),
            Err(e) => e,
        }
    }

    const SIG: &str = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31";

    #[test]
    fn authorization_header_parsing() {
        let ok = format!(
            "AWS4-HMAC-SHA256 Credential=AKID/20261122/us-east-1/chime/aws4_request, SignedHeaders=host;x-amz-date, Signature={SIG}"
        );
        let parsed = parse_authorization(&ok).unwrap();
        assert_eq!(parsed.access_key_id, "AKID");
        assert_eq!(parsed.scope_date, "20261122");
        assert_eq!(parsed.region, "us-east-1");
        assert_eq!(parsed.service, "chime");
        assert_eq!(parsed.signed_headers, ["host", "x-amz-date"]);
        assert_eq!(parsed.signature, SIG);
        // No spaces after commas is accepted too.
        assert!(parse_authorization(&ok.replace(", ", ",")).is_ok());

        assert_eq!(
            parse_err(&ok.replace("AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256")),
            AuthFailure::UnsupportedAlgorithm("AWS4-ECDSA-P256-SHA256".into())
        );
        assert_eq!(
            parse_err("AWS AKID:c2lnbmF0dXJl"),
            AuthFailure::UnsupportedAlgorithm("AWS".into())
        );
        for broken in [
            "AWS4-HMAC-SHA256".to_string(),
            ok.replace("Credential=", "Credentials="),
            ok.replace("/aws4_request", "/aws5_request"),
            ok.replace("/chime/", "/"),
            ok.replace("AKID/", "/"),
            ok.replace("20261122", "2026-11-22"),
            ok.replace("host;x-amz-date", "Host;X-Amz-Date"),
            ok.replace("host;x-amz-date", "host;;x-amz-date"),
            ok.replace("host;x-amz-date", "host;host;x-amz-date"),
            ok.replace(SIG, &SIG[..63]),
            ok.replace(SIG, &SIG.replace('5', "g")),
            format!("{ok}, Signature={SIG}"),
            ok.replace(", SignedHeaders=host;x-amz-date", ""),
            ok.replace(&format!(", Signature={SIG}"), ""),
        ] {
            assert!(
                matches!(parse_err(&broken), AuthFailure::MalformedAuthorization(_)),
                "{broken:?} must be malformed"
            );
        }
    }

    #[test]
    fn status_and_error_type_mapping() {
        let unauthorized = [
            AuthFailure::MissingAuthorization,
            AuthFailure::UnknownAccessKey("AKID".into()),
            AuthFailure::InvalidSecurityToken {
                access_key_id: "AKID".into(),
            },
        ];
        for f in &unauthorized {
            assert_eq!(f.status(), 401, "{f:?}");
            assert_eq!(f.error_type(), "UnauthorizedException");
        }
        let forbidden = [
            AuthFailure::MalformedAuthorization("x".into()),
            AuthFailure::UnsupportedAlgorithm("x".into()),
            AuthFailure::WrongService {
                expected: "chime".into(),
                found: "meetings-chime".into(),
            },
            AuthFailure::WrongRegion {
                expected: "us-east-1".into(),
                found: "eu-west-1".into(),
            },
            AuthFailure::MissingDate,
            AuthFailure::MalformedDate("x".into()),
            AuthFailure::ScopeDateMismatch {
                scope_date: "20261121".into(),
                request_date: "20261122".into(),
            },
            AuthFailure::ClockSkew {
                request_time: "20261122T003000Z".into(),
                server_time: "20261122T002400Z".into(),
                max_skew: DEFAULT_MAX_SKEW,
            },
            AuthFailure::UnsignedRequiredHeader("host".into()),
            AuthFailure::SignedHeaderMissing("content-type".into()),
            AuthFailure::Unsignable("x".into()),
            AuthFailure::SignatureMismatch,
        ];
        for f in &forbidden {
            assert_eq!(f.status(), 403, "{f:?}");
            assert_eq!(f.error_type(), "ForbiddenException");
        }
        // Every message is a single line that ends a sentence, and they are all distinct.
        let messages: Vec<String> = unauthorized
            .iter()
            .chain(&forbidden)
            .map(|f| f.to_string())
            .collect();
        for m in &messages {
            assert!(!m.contains('\n') && m.ends_with('.'), "{m}");
        }
        let mut unique = messages.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), messages.len());
        assert!(forbidden[2].to_string().contains("meetings-chime"));
        assert!(forbidden[3].to_string().contains("eu-west-1"));
    }

    #[test]
    fn debug_output_does_not_leak_secrets() {
        let v = SigV4Verifier::new("us-east-1", "chime")
            .with_credentials("AKIDEXAMPLE", "super-secret-key")
            .with_session_credentials("ASIAEXAMPLE", "temp-secret", "the-token");
        let dbg = format!("{v:?}");
        assert!(
            dbg.contains("AKIDEXAMPLE") && dbg.contains("ASIAEXAMPLE"),
            "{dbg}"
        );
        for secret in ["super-secret-key", "temp-secret", "the-token"] {
            assert!(!dbg.contains(secret), "{dbg}");
        }
    }
}
