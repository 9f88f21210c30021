//! Server-side verification of AWS Signature Version 4 (`AWS4-HMAC-SHA256`,
//! `Authorization`-header form).
//!
//! The emulator authenticates every request with a [`SigV4Verifier`], and the
//! wire-fidelity tests use it to prove that a client's signature recomputes from
//! exactly the bytes that went over the wire.
//!
//! The canonical request is rebuilt the way AWS (and the `aws-sigv4` crate used by
//! the AWS SDKs) builds it for every service except S3:
//!
//! * **URI**: the path as received (already percent-encoded by the client) is
//!   normalized (RFC 3986 dot-segment removal, empty segments dropped, `/` when
//!   empty) and then percent-encoded *again*, keeping only RFC 3986 unreserved
//!   characters and `/` — so a `%2F` sent on the wire appears as `%252F`.
//! * **Query**: each `key=value` pair is decoded (form-urlencoded rules, like
//!   `aws-sigv4`), re-encoded with the RFC 3986 unreserved set, and the pairs are
//!   sorted by encoded key, then encoded value.
//! * **Headers**: the names listed in `SignedHeaders` (lowercase), each followed by
//!   its values trimmed, runs of spaces collapsed to one, and repeated headers joined
//!   with `,`.
//! * **Payload**: hex SHA-256 of the received body. If the client sent
//!   `x-amz-content-sha256`, that value is used in the canonical request, and it must
//!   equal the hash of the received body (this service has no unsigned-payload mode).
//!
//! # Status codes
//!
//! [`AuthFailure::status`] maps failures onto the two authentication errors of the
//! Chime SDK Meetings model:
//!
//! * **401 `UnauthorizedException`** — the caller could not be identified: no
//!   `Authorization` header, an access key id the service does not know, or a
//!   session token that does not belong to the temporary credentials.
//! * **403 `ForbiddenException`** — the caller named known credentials, but the
//!   request is not acceptable as signed: malformed header, unsupported algorithm,
//!   wrong service in the credential scope, missing/malformed/skewed date, required
//!   headers left unsigned, signed headers missing, body hash mismatch, or a signature
//!   that does not recompute.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use http::{HeaderMap, Method, Uri};
use percent_encoding::{percent_decode, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// The only algorithm accepted in the `Authorization` header.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// Default tolerated difference between `x-amz-date` and the server clock (AWS uses 5 minutes).
pub const DEFAULT_MAX_SKEW: Duration = Duration::from_secs(5 * 60);
/// Header carrying the request timestamp.
pub const X_AMZ_DATE: &str = "x-amz-date";
/// Header carrying the session token of temporary credentials.
pub const X_AMZ_SECURITY_TOKEN: &str = "x-amz-security-token";
/// Optional header carrying the client's hex SHA-256 of the payload.
pub const X_AMZ_CONTENT_SHA256: &str = "x-amz-content-sha256";

/// Everything except RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`).
const UNRESERVED_COMPLEMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');
/// Same as [`UNRESERVED_COMPLEMENT`] but keeps the path separator.
const PATH_SET: &AsciiSet = &UNRESERVED_COMPLEMENT.remove(b'/');

#[derive(Clone)]
struct Secret {
    secret_access_key: String,
    /// `Some` for temporary credentials: the request must carry exactly this token.
    session_token: Option<String>,
}

type Clock = Arc<dyn Fn() -> SystemTime + Send + Sync + 'static>;

/// Verifies SigV4-signed requests against a set of known credentials.
///
/// ```
/// use chime_caps::sigv4::SigV4Verifier;
/// let verifier = SigV4Verifier::new("chime")
///     .with_credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
/// # let _ = verifier;
/// ```
#[derive(Clone)]
pub struct SigV4Verifier {
    credentials: HashMap<String, Secret>,
    signing_name: String,
    max_skew: Duration,
    clock: Clock,
}

impl fmt::Debug for SigV4Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut keys: Vec<&String> = self.credentials.keys().collect();
        keys.sort();
        f.debug_struct("SigV4Verifier")
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
    /// Region from the credential scope (not checked against anything).
    pub region: String,
    /// Service from the credential scope (always equal to the verifier's signing name).
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
    /// The credentials are temporary but the request's `x-amz-security-token` is
    /// missing or different from the one issued with them.
    InvalidSecurityToken { access_key_id: String },
    /// The credential scope names another service than the expected signing name.
    WrongService { expected: String, found: String },
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
    /// `x-amz-content-sha256` does not match the hash of the received body.
    PayloadHashMismatch { declared: String, computed: String },
    /// The signature does not recompute. Carries what the server computed, as AWS
    /// does in its error message, to diff against the client's own.
    SignatureMismatch {
        canonical_request: String,
        string_to_sign: String,
    },
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
                "The x-amz-security-token is missing or does not belong to the temporary \
                 credentials '{access_key_id}'; send the session token issued with that access key."
            ),
            AuthFailure::WrongService { expected, found } => write!(
                f,
                "The credential scope names service '{found}' but this service signs as \
                 '{expected}'; set the client's signing name to '{expected}'."
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
            AuthFailure::PayloadHashMismatch { declared, computed } => write!(
                f,
                "The x-amz-content-sha256 value {declared} does not match the SHA-256 of the \
                 received body ({computed}); hash exactly the bytes you send."
            ),
            AuthFailure::SignatureMismatch { .. } => write!(
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
    signed_headers_raw: &'a str,
    signature: [u8; 32],
}

impl SigV4Verifier {
    /// A verifier for requests signed for `signing_name` (the SigV4 service name,
    /// `"chime"` for Chime SDK Meetings), with no credentials, a 5 minute skew
    /// allowance and the system clock.
    pub fn new(signing_name: impl Into<String>) -> Self {
        SigV4Verifier {
            credentials: HashMap::new(),
            signing_name: signing_name.into(),
            max_skew: DEFAULT_MAX_SKEW,
            clock: Arc::new(SystemTime::now),
        }
    }

    /// Accepts long-term credentials. May be called several times; a later call for
    /// the same access key id replaces the earlier one. Requests may still carry an
    /// `x-amz-security-token`: it is then just another signed header.
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

    /// The signing name requests must be scoped to.
    pub fn signing_name(&self) -> &str {
        &self.signing_name
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

        for required in ["host", X_AMZ_DATE] {
            if !auth.signed_headers.contains(&required) {
                return Err(AuthFailure::UnsignedRequiredHeader(required.to_string()));
            }
        }

        // Session token: when present it must be signed; temporary credentials require it.
        let token = single_header_str(headers, X_AMZ_SECURITY_TOKEN);
        if token.is_some() && !auth.signed_headers.contains(&X_AMZ_SECURITY_TOKEN) {
            return Err(AuthFailure::UnsignedRequiredHeader(
                X_AMZ_SECURITY_TOKEN.to_string(),
            ));
        }
        if let Some(expected) = &secret.session_token {
            let ok = token
                .as_deref()
                .is_some_and(|t| constant_time_eq(t.as_bytes(), expected.as_bytes()));
            if !ok {
                return Err(AuthFailure::InvalidSecurityToken {
                    access_key_id: auth.access_key_id.to_string(),
                });
            }
        }

        // Date: present, well formed, same day as the scope, within the skew.
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

        // A declared payload hash must be the body's: this service has no unsigned payloads.
        let computed = hex::encode(Sha256::digest(body));
        let payload_hash = match single_header_str(headers, X_AMZ_CONTENT_SHA256) {
            Some(declared) => {
                let declared = declared.trim().to_string();
                if !declared.eq_ignore_ascii_case(&computed) {
                    return Err(AuthFailure::PayloadHashMismatch { declared, computed });
                }
                declared
            }
            None => computed,
        };

        let canonical_request = canonical_request(
            method,
            uri,
            headers,
            &auth.signed_headers,
            auth.signed_headers_raw,
            &payload_hash,
        )?;
        let scope = format!(
            "{}/{}/{}/aws4_request",
            auth.scope_date, auth.region, auth.service
        );
        let string_to_sign = format!(
            "{ALGORITHM}\n{amz_date}\n{scope}\n{}",
            hex::encode(Sha256::digest(canonical_request.as_bytes()))
        );
        let key = signing_key(
            &secret.secret_access_key,
            auth.scope_date,
            auth.region,
            auth.service,
        );
        // `verify_slice` compares in constant time.
        if hmac_sha256(&key, &string_to_sign)
            .verify_slice(&auth.signature)
            .is_err()
        {
            return Err(AuthFailure::SignatureMismatch {
                canonical_request,
                string_to_sign,
            });
        }

        Ok(VerifiedRequest {
            access_key_id: auth.access_key_id.to_string(),
            region: auth.region.to_string(),
            service: auth.service.to_string(),
            signed_headers: auth.signed_headers.iter().map(|s| s.to_string()).collect(),
            timestamp,
            session_token: token,
        })
    }
}

/// The single value of `name` as a string, or `None` when absent. Several values are
/// joined with `,` (they would be in the canonical request too).
fn single_header_str(headers: &HeaderMap, name: &str) -> Option<String> {
    let values: Vec<String> = headers
        .get_all(name)
        .iter()
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .collect();
    if values.is_empty() {
        None
    } else {
        Some(values.join(","))
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
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
    let signed_headers_raw = signed_headers.ok_or_else(|| malformed("SignedHeaders is missing"))?;
    let signature_hex = signature.ok_or_else(|| malformed("Signature is missing"))?;

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

    let signed: Vec<&str> = signed_headers_raw.split(';').collect();
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

    let mut signature = [0u8; 32];
    if signature_hex.len() != 64 || hex::decode_to_slice(signature_hex, &mut signature).is_err() {
        return Err(malformed("Signature must be 64 hexadecimal digits"));
    }

    Ok(AuthorizationHeader {
        access_key_id,
        scope_date,
        region,
        service,
        signed_headers: signed,
        signed_headers_raw,
        signature,
    })
}

/// Builds the canonical request for `signed_headers` (names lowercase, in the
/// client's order; `signed_headers_raw` is the `SignedHeaders` value as sent).
fn canonical_request(
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    signed_headers: &[&str],
    signed_headers_raw: &str,
    payload_hash: &str,
) -> Result<String, AuthFailure> {
    let mut out = String::with_capacity(512);
    out.push_str(method.as_str());
    out.push('\n');
    out.push_str(&canonical_uri(uri.path()));
    out.push('\n');
    out.push_str(&canonical_query(uri.query().unwrap_or("")));
    out.push('\n');
    for name in signed_headers {
        out.push_str(name);
        out.push(':');
        out.push_str(&canonical_header_value(uri, headers, name)?);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(signed_headers_raw);
    out.push('\n');
    out.push_str(payload_hash);
    Ok(out)
}

fn canonical_header_value(
    uri: &Uri,
    headers: &HeaderMap,
    name: &str,
) -> Result<String, AuthFailure> {
    let values: Vec<String> = headers
        .get_all(name)
        .iter()
        .map(|v| trim_all(&String::from_utf8_lossy(v.as_bytes())))
        .collect();
    if !values.is_empty() {
        return Ok(values.join(","));
    }
    if name == "host" {
        if let Some(authority) = uri.authority() {
            return Ok(authority.as_str().to_string());
        }
    }
    Err(AuthFailure::SignedHeaderMissing(name.to_string()))
}

/// Trims spaces (only spaces, as AWS does) at both ends and collapses runs of spaces.
fn trim_all(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut pending_space = false;
    for c in value.trim_matches(' ').chars() {
        if c == ' ' {
            pending_space = true;
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

/// Normalizes the received (already encoded) path and encodes it a second time.
pub fn canonical_uri(path: &str) -> String {
    let normalized = normalize_path(path);
    utf8_percent_encode(&normalized, PATH_SET).to_string()
}

/// RFC 3986 §5.2.4 dot-segment removal with empty segments dropped, as `aws-sigv4` does.
fn normalize_path(path: &str) -> String {
    if path.is_empty() {
        return "/".to_string();
    }
    let absolute = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    };
    if !absolute.contains('.') && !absolute.contains("//") {
        return absolute;
    }
    let mut segments: Vec<&str> = Vec::new();
    for segment in absolute.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let mut out = String::with_capacity(absolute.len());
    for s in &segments {
        out.push('/');
        out.push_str(s);
    }
    let trailing = ["/", "/.", "/./", "/..", "/../"]
        .iter()
        .any(|s| absolute.ends_with(s));
    if out.is_empty() || (trailing && !out.ends_with('/')) {
        out.push('/');
    }
    out
}

/// Decodes each pair (form-urlencoded: `+` is a space), re-encodes with the RFC 3986
/// unreserved set, sorts by key then value, and joins as `k=v&k=v`.
pub fn canonical_query(query: &str) -> String {
    let decode = |s: &str| -> String {
        let bytes: Vec<u8> = s
            .bytes()
            .map(|b| if b == b'+' { b' ' } else { b })
            .collect();
        percent_decode(&bytes).decode_utf8_lossy().into_owned()
    };
    let encode = |s: &str| utf8_percent_encode(s, UNRESERVED_COMPLEMENT).to_string();
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (encode(&decode(k)), encode(&decode(v)))
        })
        .collect();
    pairs.sort();
    let mut out = String::with_capacity(query.len() + 8);
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    out
}

/// `kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`.
pub fn signing_key(secret_access_key: &str, date: &str, region: &str, service: &str) -> [u8; 32] {
    let hmac = |key: &[u8], data: &str| -> [u8; 32] {
        hmac_sha256(key, data).finalize().into_bytes().into()
    };
    let k_date = hmac(format!("AWS4{secret_access_key}").as_bytes(), date);
    let k_region = hmac(&k_date, region);
    let k_service = hmac(&k_region, service);
    hmac(&k_service, "aws4_request")
}

/// HMAC-SHA256 of `data` under `key`, ready to finalize or verify.
fn hmac_sha256(key: &[u8], data: &str) -> HmacSha256 {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC accepts any key length");
    mac.update(data.as_bytes());
    mac
}

/// A UTC time broken down for formatting; times before 1970 count as the epoch.
struct UtcTime {
    /// Days since 1970-01-01.
    days: i64,
    year: i64,
    month: i64,
    day: i64,
    hour: u64,
    minute: u64,
    second: u64,
}

impl UtcTime {
    fn of(t: SystemTime) -> Self {
        let secs = t
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0);
        let days = (secs / 86_400) as i64;
        let rem = secs % 86_400;
        let (year, month, day) = civil_from_days(days);
        UtcTime {
            days,
            year,
            month,
            day,
            hour: rem / 3600,
            minute: (rem / 60) % 60,
            second: rem % 60,
        }
    }
}

/// Formats a time as `YYYYMMDD'T'HHMMSS'Z'` (UTC). Times before 1970 format as the epoch.
pub fn format_amz_date(t: SystemTime) -> String {
    let UtcTime {
        year,
        month,
        day,
        hour,
        minute,
        second,
        ..
    } = UtcTime::of(t);
    format!("{year:04}{month:02}{day:02}T{hour:02}{minute:02}{second:02}Z")
}

/// Formats a time as an HTTP `Date` (IMF-fixdate, e.g. `Sun, 22 Nov 2026 00:24:00 GMT`).
/// AWS SDKs correct their signing clock from the `Date` of replies, so a server whose
/// verifier uses a fake clock should report that clock in `Date`.
pub fn format_http_date(t: SystemTime) -> String {
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let UtcTime {
        days,
        year,
        month,
        day,
        hour,
        minute,
        second,
    } = UtcTime::of(t);
    format!(
        "{}, {day:02} {} {year:04} {hour:02}:{minute:02}:{second:02} GMT",
        WEEKDAYS[(days % 7) as usize],
        MONTHS[(month - 1) as usize],
    )
}

/// Parses `YYYYMMDD'T'HHMMSS'Z'` (UTC). Returns `None` for anything else, including
/// impossible dates such as February 30th.
pub fn parse_amz_date(s: &str) -> Option<SystemTime> {
    let b = s.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let num = |range: std::ops::Range<usize>| -> Option<u64> {
        let part = &b[range];
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        Some(
            part.iter()
                .fold(0u64, |acc, d| acc * 10 + u64::from(d - b'0')),
        )
    };
    let (y, mo, d) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let (h, mi, sec) = (num(9..11)?, num(11..13)?, num(13..15)?);
    if y < 1970 || !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) {
        return None;
    }
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let days = days_from_civil(y as i64, mo as i64, d as i64);
    let secs = days as u64 * 86_400 + h * 3600 + mi * 60 + sec;
    Some(UNIX_EPOCH + Duration::from_secs(secs))
}

fn days_in_month(y: u64, m: u64) -> u64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amz_date_round_trips_and_rejects_garbage() {
        let t = parse_amz_date("20261122T002400Z").unwrap();
        assert_eq!(t, UNIX_EPOCH + Duration::from_secs(1_795_307_040));
        assert_eq!(format_amz_date(t), "20261122T002400Z");
        assert_eq!(format_amz_date(UNIX_EPOCH), "19700101T000000Z");
        assert_eq!(format_http_date(t), "Sun, 22 Nov 2026 00:24:00 GMT");
        assert_eq!(
            format_http_date(UNIX_EPOCH),
            "Thu, 01 Jan 1970 00:00:00 GMT"
        );
        assert_eq!(
            format_http_date(UNIX_EPOCH + Duration::from_secs(1_440_938_160)),
            "Sun, 30 Aug 2015 12:36:00 GMT"
        );
        let leap = parse_amz_date("20240229T235959Z").unwrap();
        assert_eq!(format_amz_date(leap), "20240229T235959Z");
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
            "19691231T235959Z",
        ] {
            assert_eq!(parse_amz_date(bad), None, "{bad:?} must not parse");
        }
    }

    #[test]
    fn path_normalization_matches_rfc3986_and_aws() {
        for (input, expected) in [
            ("", "/"),
            ("/", "/"),
            ("/a/b", "/a/b"),
            ("a/b", "/a/b"),
            ("//example//", "/example/"),
            ("/./", "/"),
            ("/a/./b/../c", "/a/c"),
            ("/example1/example2/../..", "/"),
            ("/../..", "/"),
            ("/a/b/.", "/a/b/"),
            ("/a/b/..", "/a/"),
            ("/a.b/c", "/a.b/c"),
        ] {
            assert_eq!(normalize_path(input), expected, "normalize {input:?}");
        }
    }

    #[test]
    fn canonical_uri_double_encodes() {
        assert_eq!(canonical_uri("/meetings/m-1"), "/meetings/m-1");
        assert_eq!(
            canonical_uri("/meetings/a%2Fb%20c%25d"),
            "/meetings/a%252Fb%2520c%2525d"
        );
        assert_eq!(
            canonical_uri("/test/@connections/JBDvjfGEIAMCERw%3D"),
            "/test/%40connections/JBDvjfGEIAMCERw%253D"
        );
        assert_eq!(canonical_uri("/-._~"), "/-._~");
    }

    #[test]
    fn canonical_query_sorts_and_reencodes() {
        assert_eq!(canonical_query(""), "");
        assert_eq!(
            canonical_query("z=1&a=2&a=1&empty=&flag"),
            "a=1&a=2&empty=&flag=&z=1"
        );
        assert_eq!(canonical_query("k=a+b&s=x%20y"), "k=a%20b&s=x%20y");
        assert_eq!(canonical_query("t=a%2Bb%3D%3D"), "t=a%2Bb%3D%3D");
        assert_eq!(canonical_query("u=~-._&v=%7E"), "u=~-._&v=~");
        assert_eq!(canonical_query("%E1%88%B4=1&P=2"), "%E1%88%B4=1&P=2");
        assert_eq!(canonical_query("a=1&&b=2"), "a=1&b=2");
    }

    #[test]
    fn header_values_are_trimmed_and_collapsed() {
        assert_eq!(trim_all("  lots   of    spaces  "), "lots of spaces");
        assert_eq!(trim_all("plain"), "plain");
        assert_eq!(trim_all("\"a   b   c\""), "\"a b c\"");
        assert_eq!(trim_all("tab\tkept"), "tab\tkept");
        assert_eq!(trim_all("   "), "");
    }

    #[test]
    fn signing_key_matches_aws_documentation_example() {
        // From the AWS SigV4 documentation ("Examples of how to derive a signing key").
        let key = signing_key(
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "20120215",
            "us-east-1",
            "iam",
        );
        assert_eq!(
            hex::encode(key),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"
        );
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
        // No spaces after commas is accepted too.
        let compact = ok.replace(", ", ",");
        assert!(parse_authorization(&compact).is_ok());

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
            AuthFailure::PayloadHashMismatch {
                declared: "a".into(),
                computed: "b".into(),
            },
            AuthFailure::SignatureMismatch {
                canonical_request: String::new(),
                string_to_sign: String::new(),
            },
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
    }

    #[test]
    fn debug_output_does_not_leak_secrets() {
        let v = SigV4Verifier::new("chime").with_credentials("AKIDEXAMPLE", "super-secret-key");
        let dbg = format!("{v:?}");
        assert!(dbg.contains("AKIDEXAMPLE") && !dbg.contains("super-secret-key"));
    }
}
