//! Response fidelity, value by value: the official `aws-sdk-chimesdkmeetings` and our
//! crates are given the very same HTTP response bytes (a canned in-process HTTP client,
//! no network) and what each makes of them is compared as text, with nothing written
//! down by hand:
//!
//! * enums: `values()`, the order of the variants (`Ord`) with unknown values among
//!   them, `as_str`, `Debug`, `Display`, `try_parse` and its error, for every enum of
//!   the model;
//! * request ids: every spelling of the request id headers, on outputs, modelled,
//!   unmodelled and unreadable errors, through `SdkError`, the operation error, the
//!   error structure and the crate-wide `Error`;
//! * errors: the `SdkError` variant, its `Display` and `DisplayErrorContext`, the
//!   operation error's `Debug`, `Display`, `code()`, `message()`, `meta()`, and the
//!   crate-wide `Error`'s, for modelled and unmodelled errors and for success bodies
//!   that cannot be read.
//!
//! Three clients are compared: the official one, `chime_caps_generated::Client` and
//! `chime_caps::Client` (validation on; the calls are valid, so it passes them).
//! Blank success bodies and errors naming no type are compared in `wire_fidelity.rs`.

use std::error::Error as StdError;
use std::sync::{Arc, Mutex};

use aws_credential_types::Credentials;
use aws_sdk_chimesdkmeetings as official;
use aws_smithy_http_client::test_util::infallible_client_fn;
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_smithy_types::retry::RetryConfig;
use aws_types::region::Region;
use aws_types::request_id::RequestId;
use chime_caps_generated as generated;
use serde_json::Value;

// ---------------------------------------------------------------------------------
// Enums
// ---------------------------------------------------------------------------------

/// Values that no enum of the model knows, spelled to sort before, between and after
/// the known ones.
const UNKNOWN_VALUES: [&str; 5] = ["", "AAA", "Receivf", "zzz", "~"];

/// What one enum type of a crate shows: `values()`, every known and unknown value
/// sorted by the type's `Ord` (as text), and per value its `as_str`, `Debug`,
/// `Display` and `try_parse` outcome.
#[derive(Debug, PartialEq)]
struct EnumSeen {
    values: Vec<&'static str>,
    sorted: Vec<String>,
    shown: Vec<(String, String, String, String)>,
}

macro_rules! enum_seen {
    ($krate:ident :: $name:ident) => {{
        use $krate::types::$name as E;
        let values = E::values().to_vec();
        let every: Vec<&str> = values.iter().copied().chain(UNKNOWN_VALUES).collect();
        let mut sorted: Vec<E> = every.iter().rev().map(|v| E::from(*v)).collect();
        sorted.sort();
        let shown = every
            .iter()
            .map(|v| {
                let e = E::from(*v);
                let parsed = match E::try_parse(v) {
                    Ok(p) => format!("Ok({p:?})"),
                    Err(err) => format!("Err({err}; {err:?})"),
                };
                (
                    e.as_str().to_owned(),
                    format!("{e:?}"),
                    e.to_string(),
                    parsed,
                )
            })
            .collect();
        EnumSeen {
            values,
            sorted: sorted.iter().map(|e| e.as_str().to_owned()).collect(),
            shown,
        }
    }};
}

/// Compares each named enum between the two crates; returns the names compared.
macro_rules! compare_enums {
    ($($name:ident),* $(,)?) => {{
        let mut compared = Vec::new();
        $(
            assert_eq!(
                enum_seen!(generated::$name),
                enum_seen!(official::$name),
                stringify!($name)
            );
            compared.push(stringify!($name).to_owned());
        )*
        compared
    }};
}

/// The enum shapes of the model our crate is generated from.
fn model_enums() -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/model/chime-sdk-meetings.json");
    let model: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut names: Vec<String> = model["shapes"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, shape)| shape["type"] == "enum")
        .map(|(id, _)| id.rsplit_once('#').unwrap().1.to_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn every_enum_orders_prints_and_parses_like_the_official_one() {
    let mut compared = compare_enums!(
        ContentResolution,
        MediaCapabilities,
        MeetingFeatureStatus,
        TranscribeContentIdentificationType,
        TranscribeContentRedactionType,
        TranscribeLanguageCode,
        TranscribeMedicalContentIdentificationType,
        TranscribeMedicalLanguageCode,
        TranscribeMedicalRegion,
        TranscribeMedicalSpecialty,
        TranscribeMedicalType,
        TranscribePartialResultsStability,
        TranscribeRegion,
        TranscribeVocabularyFilterMethod,
        VideoResolution,
    );
    compared.sort();
    assert_eq!(
        compared,
        model_enums(),
        "every enum of the model is compared"
    );
}

// ---------------------------------------------------------------------------------
// Responses through a canned HTTP client
// ---------------------------------------------------------------------------------

/// The response every client gets next.
#[derive(Clone, Debug)]
struct Canned {
    status: u16,
    headers: Vec<(&'static str, &'static str)>,
    body: Vec<u8>,
}

impl Canned {
    fn new(status: u16, body: impl Into<Vec<u8>>) -> Canned {
        Canned {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    fn header(mut self, name: &'static str, value: &'static str) -> Canned {
        self.headers.push((name, value));
        self
    }

    fn headers(mut self, headers: &[(&'static str, &'static str)]) -> Canned {
        self.headers.extend_from_slice(headers);
        self
    }

    fn to_http(&self) -> http::Response<SdkBody> {
        let mut response = http::Response::builder().status(self.status);
        for (name, value) in &self.headers {
            response = response.header(*name, *value);
        }
        response.body(SdkBody::from(self.body.clone())).unwrap()
    }
}

/// Clients of the three kinds sharing one canned answer.
struct Clients {
    answer: Arc<Mutex<Canned>>,
    official: official::Client,
    generated: generated::Client,
    wrapper: chime_caps::Client,
}

impl Clients {
    fn new() -> Clients {
        let answer = Arc::new(Mutex::new(Canned::new(200, "{}")));
        let source = answer.clone();
        let http: SharedHttpClient =
            infallible_client_fn(move |_request| source.lock().unwrap().to_http());
        let credentials = Credentials::new("AKIDEXAMPLE", "secret", None, None, "test");
        let official = official::Client::from_conf(
            official::Config::builder()
                .behavior_version(official::config::BehaviorVersion::latest())
                .region(Region::new("us-east-1"))
                .credentials_provider(credentials.clone())
                .http_client(http.clone())
                .retry_config(RetryConfig::disabled())
                .build(),
        );
        let config = generated::Config::builder()
            .behavior_version_latest()
            .region(Region::new("us-east-1"))
            .credentials_provider(credentials)
            .http_client(http)
            .retry_config(RetryConfig::disabled())
            .build();
        Clients {
            answer,
            official,
            generated: generated::Client::from_conf(config.clone()),
            wrapper: chime_caps::Client::from_conf(config),
        }
    }

    /// What each client (official, generated, wrapper) makes of `canned` as the answer
    /// to an `UpdateAttendeeCapabilities` call.
    async fn update(&self, canned: Canned) -> [Seen; 3] {
        *self.answer.lock().unwrap() = canned;
        macro_rules! call {
            ($krate:ident, $client:expr) => {{
                use $krate::types::{AttendeeCapabilities, MediaCapabilities};
                let caps = AttendeeCapabilities::builder()
                    .audio(MediaCapabilities::SendReceive)
                    .video(MediaCapabilities::SendReceive)
                    .content(MediaCapabilities::SendReceive)
                    .build()
                    .unwrap();
                let result = $client
                    .update_attendee_capabilities()
                    .meeting_id("6bd0ae5c-0f9c-4b8b-a7a5-5bf5a0f0e2f1")
                    .attendee_id("f0a8fa58-7cfe-4bc4-a5c8-2bd6b7d16a50")
                    .capabilities(caps)
                    .send()
                    .await;
                seen(result, |service| {
                    let crate_error: $krate::Error = service.into();
                    (
                        format!("{crate_error:?}"),
                        crate_error.to_string(),
                        crate_error.request_id().map(str::to_owned),
                    )
                })
            }};
        }
        [
            call!(official, self.official),
            call!(generated, self.generated),
            call!(generated, self.wrapper),
        ]
    }

    /// Asserts that the three clients make the same of `canned`; returns what they made
    /// (with the wording of JSON parse errors masked).
    async fn same(&self, case: &str, canned: Canned) -> Seen {
        let [official, generated, wrapper] = self.update(canned).await.map(Seen::mask_parse_errors);
        assert_eq!(generated, official, "{case}: generated vs official");
        assert_eq!(wrapper, official, "{case}: wrapper vs official");
        official
    }
}

/// What a client made of a response, as text.
#[derive(Debug, PartialEq)]
enum Seen {
    /// The output's `Debug` (members and request id) and `RequestId`.
    Output {
        debug: String,
        request_id: Option<String>,
    },
    Failure {
        /// The `SdkError` variant, `Display`, `RequestId` and `DisplayErrorContext`.
        variant: String,
        display: String,
        request_id: Option<String>,
        context: String,
        /// For service errors: the operation error and the crate-wide `Error` it
        /// converts into.
        service: Option<Box<ServiceSeen>>,
    },
}

#[derive(Debug, PartialEq)]
struct ServiceSeen {
    debug: String,
    display: String,
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    meta: String,
    /// The `Display` chain of `source()`.
    sources: Vec<String>,
    /// The crate-wide `Error`: `Debug`, `Display`, `RequestId`.
    crate_error: (String, String, Option<String>),
}

impl Seen {
    /// The wording of a JSON parse error (and the offset it names) is each parser's
    /// own; its place, type and everything around it are compared.
    fn mask_parse_errors(self) -> Seen {
        let Seen::Failure {
            variant,
            display,
            request_id,
            context,
            service: Some(service),
        } = self
        else {
            return self;
        };
        if !service.debug.contains(PARSE_ERROR) {
            return Seen::Failure {
                variant,
                display,
                request_id,
                context,
                service: Some(service),
            };
        }
        // `DisplayErrorContext`: the `Display` chain, then the `Debug` in parentheses.
        let context = match context.split_once(" (") {
            Some((chain, debug)) => {
                let shown = chain
                    .split_once("unhandled error: ")
                    .map_or(chain, |(head, _)| head);
                format!(
                    "{shown}unhandled error: <parse error> ({})",
                    mask_parse_error_debug(debug)
                )
            }
            None => context,
        };
        Seen::Failure {
            variant,
            display,
            request_id,
            context,
            service: Some(Box::new(ServiceSeen {
                debug: mask_parse_error_debug(&service.debug),
                sources: vec!["<parse error>".to_owned(); service.sources.len()],
                crate_error: (
                    mask_parse_error_debug(&service.crate_error.0),
                    service.crate_error.1,
                    service.crate_error.2,
                ),
                ..*service
            })),
        }
    }
}

/// How a JSON parse error starts in `Debug`.
const PARSE_ERROR: &str = "DeserializeError {";

/// `debug` with the fields of every parse error left out: `DeserializeError { .. }`.
fn mask_parse_error_debug(debug: &str) -> String {
    let mut masked = String::new();
    let mut rest = debug;
    while let Some(start) = rest.find(PARSE_ERROR) {
        masked.push_str(&rest[..start]);
        masked.push_str("DeserializeError { .. }");
        // Skip to the brace that closes the one the error opens.
        let mut depth = 0;
        let after = &rest[start + PARSE_ERROR.len() - 1..];
        let end = after
            .char_indices()
            .find(|&(_, c)| {
                depth += match c {
                    '{' => 1,
                    '}' => -1,
                    _ => 0,
                };
                depth == 0
            })
            .map_or(after.len(), |(i, _)| i + 1);
        rest = &after[end..];
    }
    masked.push_str(rest);
    masked
}

fn seen<O, E>(
    result: Result<O, SdkError<E, HttpResponse>>,
    crate_error: impl FnOnce(E) -> (String, String, Option<String>),
) -> Seen
where
    O: std::fmt::Debug + RequestId,
    E: StdError + ProvideErrorMetadata + RequestId + 'static,
{
    let err = match result {
        Ok(output) => {
            return Seen::Output {
                debug: format!("{output:?}"),
                request_id: output.request_id().map(str::to_owned),
            }
        }
        Err(err) => err,
    };
    let variant = format!("{err:?}")
        .split('(')
        .next()
        .unwrap_or_default()
        .to_owned();
    let display = err.to_string();
    let request_id = err.request_id().map(str::to_owned);
    let context = DisplayErrorContext(&err).to_string();
    let service = match err {
        SdkError::ServiceError(context) => Some(context.into_err()),
        _ => None,
    }
    .map(|service| {
        let mut sources = Vec::new();
        let mut source = service.source();
        while let Some(s) = source {
            sources.push(s.to_string());
            source = s.source();
        }
        Box::new(ServiceSeen {
            debug: format!("{service:?}"),
            display: service.to_string(),
            code: service.code().map(str::to_owned),
            message: service.message().map(str::to_owned),
            request_id: service.request_id().map(str::to_owned),
            meta: format!("{:?}", service.meta()),
            sources,
            crate_error: crate_error(service),
        })
    });
    Seen::Failure {
        variant,
        display,
        request_id,
        context,
        service,
    }
}

const ATTENDEE: &str = r#"{"Attendee":{"ExternalUserId":"u","AttendeeId":"f0a8fa58-7cfe-4bc4-a5c8-2bd6b7d16a50","JoinToken":"secret","Capabilities":{"Audio":"SendReceive","Video":"Receive","Content":"None"}}}"#;

/// The request id headers as services spell them, alone, together and not at all.
const REQUEST_ID_HEADERS: [&[(&str, &str)]; 7] = [
    &[],
    &[("x-amzn-requestid", "amzn-id")],
    &[("x-amz-request-id", "amz-id")],
    &[
        ("x-amz-request-id", "amz-id"),
        ("x-amzn-requestid", "amzn-id"),
    ],
    &[("x-amzn-request-id", "dashed-id")],
    &[
        ("x-amzn-requestid", "first"),
        ("x-amzn-requestid", "second"),
    ],
    &[("X-AMZN-REQUESTID", "upper-id"), ("x-amz-id-2", "extended")],
];

/// The responses whose request id is compared: an output, a modelled error (with and
/// without the body's own `RequestId` member), an unmodelled one, an unreadable
/// success body and an unreadable error body.
fn request_id_cases() -> Vec<(&'static str, Canned)> {
    vec![
        ("output", Canned::new(200, ATTENDEE)),
        (
            "modelled error",
            Canned::new(404, r#"{"Code":"NotFound","Message":"gone"}"#)
                .header("x-amzn-errortype", "NotFoundException"),
        ),
        (
            "modelled error with a body RequestId",
            Canned::new(409, r#"{"Message":"busy","RequestId":"body-id"}"#)
                .header("x-amzn-errortype", "ConflictException"),
        ),
        (
            "unmodelled error",
            Canned::new(400, r#"{"message":"new"}"#)
                .header("x-amzn-errortype", "BrandNewException"),
        ),
        ("unreadable success body", Canned::new(200, "<html/>")),
        (
            "unreadable error body",
            Canned::new(400, "[]").header("x-amzn-errortype", "BadRequestException"),
        ),
    ]
}

#[tokio::test]
async fn request_ids_come_from_the_same_headers() {
    let clients = Clients::new();
    let mut with_id = 0;
    for headers in REQUEST_ID_HEADERS {
        for (case, canned) in request_id_cases() {
            let case = format!("{case}, headers {headers:?}");
            let seen = clients.same(&case, canned.headers(headers)).await;
            // The comparison must see ids: count the cases where one was found.
            let found = match &seen {
                Seen::Output { request_id, .. } => request_id.is_some(),
                Seen::Failure { request_id, .. } => request_id.is_some(),
            };
            with_id += usize::from(found);
        }
    }
    assert!(with_id >= 20, "{with_id} cases found a request id");
}

#[tokio::test]
async fn unreadable_success_bodies_fail_the_same_way() {
    let clients = Clients::new();
    let bodies: [&[u8]; 14] = [
        b"<html>not json</html>",
        b"{",
        b"null",
        b"[]",
        b"\"text\"",
        b"42",
        b"{} {}",
        br#"{"Attendee":5}"#,
        br#"{"Attendee":{"Capabilities":{"Audio":7}}}"#,
        br#"{"Attendee":{"AttendeeId":"\ud800"}}"#,
        b"{\"Attendee\":{\"AttendeeId\":\"\xff\"}}",
        br#"{"Attendee":{"AttendeeId":null,}}"#,
        br#"{"Attendee":{"JoinToken":["t"]}}"#,
        b"\xef\xbb\xbf{}",
    ];
    for body in bodies {
        let case = String::from_utf8_lossy(body).into_owned();
        let canned = Canned::new(200, body)
            .header("x-amzn-requestid", "rid")
            .header("content-type", "application/json");
        let seen = clients.same(&case, canned).await;
        assert!(
            matches!(
                &seen,
                Seen::Failure {
                    service: Some(_),
                    ..
                }
            ),
            "{case}: {seen:?}"
        );
    }
}

#[tokio::test]
async fn errors_show_and_carry_the_same_metadata() {
    let clients = Clients::new();
    let errors = [
        (400, "BadRequestException"),
        (409, "ConflictException"),
        (403, "ForbiddenException"),
        (400, "LimitExceededException"),
        (404, "NotFoundException"),
        (500, "ServiceFailureException"),
        (503, "ServiceUnavailableException"),
        (429, "ThrottlingException"),
        (401, "UnauthorizedException"),
        (422, "UnprocessableEntityException"),
        (400, "BrandNewException"),
    ];
    for (status, name) in errors {
        let bodies = [
            String::new(),
            "{}".to_owned(),
            format!(r#"{{"Code":"{name}","Message":"it failed","RequestId":"body-id"}}"#),
            r#"{"message":"lower","Extra":[1,{"a":null}]}"#.to_owned(),
        ];
        for body in bodies {
            let canned = Canned::new(status, body.clone())
                .header("x-amzn-errortype", name)
                .header("x-amzn-requestid", "rid")
                .header("retry-after", "3");
            let case = format!("{name} {status} {body}");
            let seen = clients.same(&case, canned).await;
            let Seen::Failure {
                service: Some(service),
                ..
            } = &seen
            else {
                panic!("{case}: {seen:?}")
            };
            assert_eq!(service.code.as_deref(), Some(name), "{case}");
        }
    }
}
