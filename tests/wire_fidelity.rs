//! Wire fidelity: our client puts the same bytes on the wire as the official
//! `aws-sdk-chimesdkmeetings`, and parses every response the official one parses the
//! same way.
//!
//! A capture server (the emulator's [`serve_with`] with a recording handler, on
//! `127.0.0.1:0`) records each request exactly as received and answers with a canned
//! reply. Every client is built with the same fixed credentials, region, clock
//! (`1_700_000_000` = `20231114T221320Z`) and retries off, and three of them are
//! compared:
//!
//! * **official**: `aws_sdk_chimesdkmeetings::Client`;
//! * **generated**: `chime_caps_generated::Client` (no validation at all);
//! * **wrapper**: `chime_caps::Client` with validation `Off` (and, for inputs the
//!   validation accepts, also `Enforce`).
//!
//! Requests: method, request target (path and query as received), body bytes, the
//! `SignedHeaders` list, the value of every signed header, the full set of header
//! names, `x-amz-date` and the credential scope must be equal, and the server's own
//! SigV4 verification ([`SigV4Verifier`]) must accept every request. Only two header
//! values may differ: `amz-sdk-invocation-id` (random per call, not signed) and the
//! crate version inside the user agents (`api/chimesdkmeetings/<version>` in
//! `user-agent` and `x-amz-user-agent`); everything else in them — SDK, OS,
//! language, business metrics (`m/...`), HTTP client — must match. `x-amz-user-agent`
//! is signed by both, so the signatures differ by that version only.
//!
//! Responses: for all nine operations, success bodies (full, empty, `{}`, `null`s,
//! unknown enum values, unknown extra fields, missing optional fields) and every
//! modelled error of every operation (read from `model/chime-sdk-meetings.json`),
//! with the error type in `x-amzn-ErrorType` (plain, with a `:http://...` suffix,
//! namespaced, with and without a body) or only in the body (`code`, `__type`), must
//! give the same outcome: same output members (compared member by member through the
//! public fields, which also shows the sensitive ones), same error variant, `code()`,
//! `message()`, `request_id()`, modelled error members (`Code`, `Message`,
//! `RequestId`, `RetryAfterSeconds` from `Retry-After`) and `Display`.
//!
//! Deliberate differences, kept out of the equality tables and asserted on their own:
//! * a path label made only of dots (`.`, `..`) is sent by us as `%2E`/`%2E%2E`, so an
//!   id can never change the path (the official SDK sends the dots as they are, and
//!   the path normalization of the server or SigV4 then removes the segment);
//! * a body of only whitespace is read by us as `{}`; the official SDK fails on it;
//! * an error response naming no error type is `Unhandled` without a code in both,
//!   but the official SDK drops its message and request id, while ours keeps them.

#![cfg(feature = "emulator")]

use std::collections::BTreeSet;
use std::error::Error as StdError;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_credential_types::Credentials;
use aws_sdk_chimesdkmeetings as official;
use aws_smithy_async::time::StaticTimeSource;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_smithy_types::retry::RetryConfig;
use aws_types::region::Region;
use aws_types::request_id::RequestId;
use chime_caps::emulator::server::{
    error_code, serve_with, IncomingRequest, Reply, ServerHandle, ServerOptions, ERROR_TYPE_HEADER,
};
use chime_caps::emulator::sigv4::SigV4Verifier;
use chime_caps::validation::{
    ValidationClientExt, ValidationConfigExt, ValidationMode, ValidationSettings,
};
use chime_caps_generated as generated;
use http::{HeaderMap, HeaderValue};
use serde_json::{json, Map, Value};

const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "secret";
const REGION: &str = "us-east-1";
/// `fixed_time()` as SigV4 writes it.
const AMZ_DATE: &str = "20231114T221320Z";
const SCOPE: &str = "AKIDEXAMPLE/20231114/us-east-1/chime/aws4_request";

const MEETING: &str = "6bd0ae5c-0f9c-4b8b-a7a5-5bf5a0f0e2f1";
const ATTENDEE: &str = "f0a8fa58-7cfe-4bc4-a5c8-2bd6b7d16a50";

/// The one header whose value differs by design: random per call (and not signed).
const INVOCATION_ID: &str = "amz-sdk-invocation-id";
/// The user-agent headers name the crate and its version, which differ by design;
/// everything else in them (SDK, OS, language, business metrics, HTTP client) must
/// match. `x-amz-user-agent` is signed, so the signatures differ by that value only.
const USER_AGENTS: [&str; 2] = ["user-agent", "x-amz-user-agent"];

fn fixed_time() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

fn credentials() -> Credentials {
    Credentials::new(AKID, SECRET, None, None, "test")
}

fn verifier() -> SigV4Verifier {
    SigV4Verifier::new(REGION, "chime")
        .with_credentials(AKID, SECRET)
        .with_clock(fixed_time)
}

// ---------------------------------------------------------------------------------
// The capture server and the clients
// ---------------------------------------------------------------------------------

/// A loopback server that records every request and answers with [`Capture::answer`]'s reply.
struct Capture {
    server: ServerHandle,
    seen: Arc<Mutex<Vec<IncomingRequest>>>,
    reply: Arc<Mutex<Reply>>,
}

impl Capture {
    async fn start() -> Capture {
        let seen: Arc<Mutex<Vec<IncomingRequest>>> = Arc::default();
        let reply = Arc::new(Mutex::new(Reply::json(200, "{}")));
        let (sink, canned) = (seen.clone(), reply.clone());
        let handler = move |req: IncomingRequest| -> Reply {
            sink.lock().unwrap().push(req);
            canned.lock().unwrap().clone()
        };
        // The SDKs correct their signing clock from the reply's `Date`: report the fixed clock.
        let options = ServerOptions::default().with_clock(fixed_time);
        let server = serve_with(
            SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
            Arc::new(handler),
            options,
        )
        .await
        .expect("capture server binds 127.0.0.1:0");
        Capture {
            server,
            seen,
            reply,
        }
    }

    fn endpoint(&self) -> String {
        self.server.endpoint_url()
    }

    fn answer(&self, reply: Reply) {
        *self.reply.lock().unwrap() = reply;
    }

    /// The one request received since the last call.
    fn take_one(&self, what: &str) -> IncomingRequest {
        let mut seen = self.seen.lock().unwrap();
        assert_eq!(
            seen.len(),
            1,
            "{what}: expected exactly one request, got {}",
            seen.len()
        );
        seen.pop().unwrap()
    }
}

struct Clients {
    official: official::Client,
    generated: generated::Client,
    wrapper_off: chime_caps::Client,
    wrapper_enforce: chime_caps::Client,
}

fn generated_config(endpoint: &str) -> generated::config::Builder {
    generated::Config::builder()
        .behavior_version_latest()
        .region(Region::new(REGION))
        .credentials_provider(credentials())
        .endpoint_url(endpoint)
        .time_source(StaticTimeSource::new(fixed_time()))
        .retry_config(RetryConfig::disabled())
}

fn wrapper(endpoint: &str, mode: ValidationMode) -> chime_caps::Client {
    let conf = generated_config(endpoint)
        .validation(ValidationSettings::new().mode(mode))
        .build();
    let client = chime_caps::Client::from_conf(conf);
    // CHIME_CAPS_VALIDATION would override the mode; these tests need the one asked for.
    assert_eq!(
        client.validation().mode(),
        mode,
        "unset {} to run these tests",
        chime_caps::validation::ENV_VAR
    );
    client
}

impl Clients {
    fn new(endpoint: &str) -> Clients {
        let official = official::Client::from_conf(
            official::Config::builder()
                .behavior_version(official::config::BehaviorVersion::latest())
                .region(Region::new(REGION))
                .credentials_provider(credentials())
                .endpoint_url(endpoint)
                .time_source(StaticTimeSource::new(fixed_time()))
                .retry_config(RetryConfig::disabled())
                .build(),
        );
        Clients {
            official,
            generated: generated::Client::from_conf(generated_config(endpoint).build()),
            wrapper_off: wrapper(endpoint, ValidationMode::Off),
            wrapper_enforce: wrapper(endpoint, ValidationMode::Enforce),
        }
    }
}

// ---------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------

const MEDIA: [&str; 4] = ["None", "Send", "Receive", "SendReceive"];

/// One call, in terms both SDKs understand.
#[derive(Clone, Debug)]
enum Call {
    Update {
        meeting: String,
        attendee: String,
        caps: [&'static str; 3],
    },
    Batch {
        meeting: String,
        excluded: Vec<String>,
        caps: [&'static str; 3],
    },
    CreateMeeting {
        external_meeting_id: String,
        full: bool,
    },
    GetMeeting {
        meeting: String,
    },
    DeleteMeeting {
        meeting: String,
    },
    CreateAttendee {
        meeting: String,
        external_user_id: String,
        caps: Option<[&'static str; 3]>,
    },
    GetAttendee {
        meeting: String,
        attendee: String,
    },
    ListAttendees {
        meeting: String,
        next_token: Option<String>,
        max_results: Option<i32>,
    },
    DeleteAttendee {
        meeting: String,
        attendee: String,
    },
}

macro_rules! caps {
    ($k:ident, $c:expr) => {{
        let c: [&str; 3] = $c;
        $k::types::AttendeeCapabilities::builder()
            .audio($k::types::MediaCapabilities::from(c[0]))
            .video($k::types::MediaCapabilities::from(c[1]))
            .content($k::types::MediaCapabilities::from(c[2]))
            .build()
            .expect("all three are set")
    }};
}

/// Sends `call` with client `$c` of crate `$k`; `Ok(())` or the error as text.
macro_rules! send_call {
    ($k:ident, $c:expr, $call:expr) => {{
        let c = &$c;
        fn text<E: StdError + 'static>(e: E) -> String {
            DisplayErrorContext(&e).to_string()
        }
        macro_rules! sent {
            ($builder:expr) => {
                $builder.send().await.map(drop).map_err(text)
            };
        }
        match $call.clone() {
            Call::Update {
                meeting,
                attendee,
                caps,
            } => sent!(c
                .update_attendee_capabilities()
                .meeting_id(meeting)
                .attendee_id(attendee)
                .capabilities(caps!($k, caps))),
            Call::Batch {
                meeting,
                excluded,
                caps,
            } => {
                let items = excluded
                    .iter()
                    .map(|id| {
                        $k::types::AttendeeIdItem::builder()
                            .attendee_id(id)
                            .build()
                            .unwrap()
                    })
                    .collect::<Vec<_>>();
                sent!(c
                    .batch_update_attendee_capabilities_except()
                    .meeting_id(meeting)
                    .set_excluded_attendee_ids(Some(items))
                    .capabilities(caps!($k, caps)))
            }
            Call::CreateMeeting {
                external_meeting_id,
                full,
            } => {
                let mut b = c
                    .create_meeting()
                    .client_request_token("11111111-2222-4333-8444-555555555555")
                    .media_region("eu-central-1")
                    .external_meeting_id(external_meeting_id);
                if full {
                    use $k::types::*;
                    b = b
                        .meeting_host_id("host é/1")
                        .notifications_configuration(
                            NotificationsConfiguration::builder()
                                .sns_topic_arn("arn:aws:sns:us-east-1:123456789012:topic")
                                .sqs_queue_arn("arn:aws:sqs:us-east-1:123456789012:queue")
                                .build(),
                        )
                        .meeting_features(
                            MeetingFeaturesConfiguration::builder()
                                .audio(
                                    AudioFeatures::builder()
                                        .echo_reduction(MeetingFeatureStatus::Available)
                                        .build(),
                                )
                                .video(
                                    VideoFeatures::builder()
                                        .max_resolution(VideoResolution::Fhd)
                                        .build(),
                                )
                                .content(
                                    ContentFeatures::builder()
                                        .max_resolution(ContentResolution::None)
                                        .build(),
                                )
                                .attendee(AttendeeFeatures::builder().max_count(25).build())
                                .build(),
                        )
                        .primary_meeting_id("7a3b1f42-0000-4000-8000-000000000001")
                        .tenant_ids("tenant-1")
                        .tenant_ids("tenant \"2\"\\")
                        .tags(Tag::builder().key("team").value("rtc ✓").build().unwrap())
                        .tags(
                            Tag::builder()
                                .key("cost\tcenter")
                                .value("42")
                                .build()
                                .unwrap(),
                        );
                }
                sent!(b)
            }
            Call::GetMeeting { meeting } => sent!(c.get_meeting().meeting_id(meeting)),
            Call::DeleteMeeting { meeting } => sent!(c.delete_meeting().meeting_id(meeting)),
            Call::CreateAttendee {
                meeting,
                external_user_id,
                caps,
            } => sent!(c
                .create_attendee()
                .meeting_id(meeting)
                .external_user_id(external_user_id)
                .set_capabilities(caps.map(|caps| caps!($k, caps)))),
            Call::GetAttendee { meeting, attendee } => {
                sent!(c.get_attendee().meeting_id(meeting).attendee_id(attendee))
            }
            Call::ListAttendees {
                meeting,
                next_token,
                max_results,
            } => sent!(c
                .list_attendees()
                .meeting_id(meeting)
                .set_next_token(next_token)
                .set_max_results(max_results)),
            Call::DeleteAttendee { meeting, attendee } => sent!(c
                .delete_attendee()
                .meeting_id(meeting)
                .attendee_id(attendee)),
        }
    }};
}

/// Ids that are not GUIDs: path and JSON special characters, percent signs, spaces,
/// controls and non-ASCII (`.` and `..` are deliberate differences, see the module docs).
const ODD_IDS: [&str; 12] = [
    "a/b c",
    "100%",
    "%2F",
    "été✓",
    "日本語",
    "emoji😀",
    "a+b=c&d?e#f",
    "~-._:@!$'()*,;",
    "[]{}|\\^`<>\"",
    "tab\there\nnl",
    "\u{1}\u{1f}\u{7f}",
    "...x",
];

fn guid(i: usize) -> String {
    format!("{i:08x}-0000-4000-8000-{i:012x}")
}

/// The table of calls: name, call, and whether the validation accepts it (then the
/// wrapper in `Enforce` must send the same bytes too).
fn request_table() -> Vec<(String, Call, bool)> {
    let mut table = Vec::new();
    let mut add = |name: String, call: Call, valid: bool| table.push((name, call, valid));
    // Every capability value in every position.
    for (i, a) in MEDIA.iter().enumerate() {
        for v in MEDIA {
            let c = MEDIA[(i + 1) % 4];
            // Content Receive/SendReceive needs video Receive/SendReceive.
            let valid =
                !matches!(c, "Receive" | "SendReceive") || matches!(v, "Receive" | "SendReceive");
            let caps = [*a, v, c];
            add(
                format!("update {a}/{v}/{c}"),
                Call::Update {
                    meeting: MEETING.into(),
                    attendee: ATTENDEE.into(),
                    caps,
                },
                valid,
            );
        }
        add(
            format!("batch all {a}"),
            Call::Batch {
                meeting: MEETING.into(),
                excluded: vec![ATTENDEE.into()],
                caps: [*a, *a, *a],
            },
            true,
        );
    }
    add(
        "batch 250 excluded".into(),
        Call::Batch {
            meeting: MEETING.into(),
            excluded: (0..250).map(guid).collect(),
            caps: ["SendReceive", "Receive", "Receive"],
        },
        true,
    );
    for id in ODD_IDS {
        add(
            format!("update odd meeting id {id:?}"),
            Call::Update {
                meeting: id.into(),
                attendee: ATTENDEE.into(),
                caps: ["Send", "None", "None"],
            },
            false,
        );
        add(
            format!("update odd attendee id {id:?}"),
            Call::Update {
                meeting: MEETING.into(),
                attendee: id.into(),
                caps: ["Receive", "Receive", "Receive"],
            },
            false,
        );
        add(
            format!("batch odd meeting id {id:?}"),
            Call::Batch {
                meeting: id.into(),
                excluded: vec![ATTENDEE.into()],
                caps: ["None", "None", "None"],
            },
            false,
        );
        add(
            format!("get attendee odd ids {id:?}"),
            Call::GetAttendee {
                meeting: id.into(),
                attendee: id.into(),
            },
            true,
        );
    }
    add(
        "batch odd excluded ids".into(),
        Call::Batch {
            meeting: MEETING.into(),
            excluded: ODD_IDS.iter().map(|s| s.to_string()).collect(),
            caps: ["Send", "Send", "None"],
        },
        false,
    );
    add(
        "create meeting minimal".into(),
        Call::CreateMeeting {
            external_meeting_id: "ext-1".into(),
            full: false,
        },
        true,
    );
    add(
        "create meeting full".into(),
        Call::CreateMeeting {
            external_meeting_id: "ext é \"quoted\" \\ /".into(),
            full: true,
        },
        true,
    );
    add(
        "get meeting".into(),
        Call::GetMeeting {
            meeting: MEETING.into(),
        },
        true,
    );
    add(
        "delete meeting".into(),
        Call::DeleteMeeting {
            meeting: "a/b c%d".into(),
        },
        true,
    );
    add(
        "create attendee without capabilities".into(),
        Call::CreateAttendee {
            meeting: MEETING.into(),
            external_user_id: "user-1".into(),
            caps: None,
        },
        true,
    );
    add(
        "create attendee with capabilities".into(),
        Call::CreateAttendee {
            meeting: "été✓".into(),
            external_user_id: "user \u{1} é".into(),
            caps: Some(["SendReceive", "None", "Send"]),
        },
        true,
    );
    add(
        "get attendee".into(),
        Call::GetAttendee {
            meeting: MEETING.into(),
            attendee: ATTENDEE.into(),
        },
        true,
    );
    add(
        "list attendees, no query".into(),
        Call::ListAttendees {
            meeting: MEETING.into(),
            next_token: None,
            max_results: None,
        },
        true,
    );
    add(
        "list attendees, odd next token".into(),
        Call::ListAttendees {
            meeting: MEETING.into(),
            next_token: Some("a+b== /é&x=y%~.".into()),
            max_results: Some(10),
        },
        true,
    );
    add(
        "list attendees, max results only".into(),
        Call::ListAttendees {
            meeting: MEETING.into(),
            next_token: None,
            max_results: Some(100),
        },
        true,
    );
    add(
        "delete attendee".into(),
        Call::DeleteAttendee {
            meeting: MEETING.into(),
            attendee: "x y".into(),
        },
        true,
    );
    table
}

/// `Authorization`'s `SignedHeaders`, in order.
fn signed_headers(headers: &HeaderMap) -> Vec<String> {
    let auth = headers
        .get("authorization")
        .expect("signed")
        .to_str()
        .unwrap();
    let list = auth
        .split("SignedHeaders=")
        .nth(1)
        .expect("SignedHeaders")
        .split(',')
        .next()
        .unwrap();
    list.split(';').map(str::to_owned).collect()
}

/// `Authorization`'s credential scope.
fn credential_scope(headers: &HeaderMap) -> String {
    let auth = headers.get("authorization").unwrap().to_str().unwrap();
    auth.split("Credential=")
        .nth(1)
        .expect("Credential")
        .split(',')
        .next()
        .unwrap()
        .to_owned()
}

fn header_names(headers: &HeaderMap) -> BTreeSet<String> {
    headers.keys().map(|k| k.as_str().to_owned()).collect()
}

/// A user agent with the version of `api/chimesdkmeetings` (the crate's) removed.
fn without_api_version(value: &[u8]) -> String {
    let text = String::from_utf8_lossy(value);
    let tokens: Vec<&str> = text
        .split(' ')
        .map(|t| match t.split_once(['/', '#']) {
            Some(("api", rest)) if rest.starts_with("chimesdkmeetings") => {
                "api/chimesdkmeetings/<version>"
            }
            _ => t,
        })
        .collect();
    tokens.join(" ")
}

fn values(headers: &HeaderMap, name: &str) -> Vec<Vec<u8>> {
    headers
        .get_all(name)
        .iter()
        .map(|v| v.as_bytes().to_vec())
        .collect()
}

/// Asserts that `ours` is on the wire what `official` is (see the module docs).
fn assert_same_wire(case: &str, who: &str, official: &IncomingRequest, ours: &IncomingRequest) {
    let ctx = format!("{case} ({who} vs official)");
    assert_eq!(ours.method, official.method, "{ctx}: method");
    let target = |r: &IncomingRequest| {
        r.uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_default()
    };
    assert_eq!(target(ours), target(official), "{ctx}: request target");
    assert_eq!(
        String::from_utf8_lossy(&ours.body),
        String::from_utf8_lossy(&official.body),
        "{ctx}: body"
    );
    assert_eq!(ours.body, official.body, "{ctx}: body bytes");
    let signed = signed_headers(&official.headers);
    assert_eq!(
        signed_headers(&ours.headers),
        signed,
        "{ctx}: SignedHeaders"
    );
    assert!(
        !signed.iter().any(|h| h == INVOCATION_ID),
        "{ctx}: the invocation id is not signed"
    );
    assert_eq!(
        header_names(&ours.headers),
        header_names(&official.headers),
        "{ctx}: header names"
    );
    for name in header_names(&official.headers) {
        let (ours_values, official_values) = (
            values(&ours.headers, &name),
            values(&official.headers, &name),
        );
        match name.as_str() {
            "authorization" | INVOCATION_ID => {}
            n if USER_AGENTS.contains(&n) => {
                let normalize =
                    |v: &[Vec<u8>]| v.iter().map(|v| without_api_version(v)).collect::<Vec<_>>();
                assert_eq!(
                    normalize(&ours_values),
                    normalize(&official_values),
                    "{ctx}: {name} apart from the crate version"
                );
            }
            _ => assert_eq!(
                ours_values, official_values,
                "{ctx}: value of header {name}"
            ),
        }
    }
    for r in [ours, official] {
        assert_eq!(
            r.headers.get("x-amz-date").unwrap(),
            AMZ_DATE,
            "{ctx}: x-amz-date"
        );
        assert_eq!(
            credential_scope(&r.headers),
            SCOPE,
            "{ctx}: credential scope"
        );
        let verified = verifier().verify(&r.method, &r.uri, &r.headers, &r.body);
        assert!(
            verified.is_ok(),
            "{ctx}: SigV4 does not verify: {}",
            verified.unwrap_err()
        );
    }
}

#[tokio::test]
async fn requests_are_byte_identical_to_the_official_sdk() {
    let capture = Capture::start().await;
    let clients = Clients::new(&capture.endpoint());
    let table = request_table();
    assert!(
        table.len() > 70,
        "the table covers every case ({})",
        table.len()
    );
    for (case, call, valid) in &table {
        send_call!(official, clients.official, call)
            .unwrap_or_else(|e| panic!("{case}: official: {e}"));
        let official_req = capture.take_one(case);
        send_call!(generated, clients.generated, call)
            .unwrap_or_else(|e| panic!("{case}: generated: {e}"));
        assert_same_wire(case, "generated", &official_req, &capture.take_one(case));
        send_call!(generated, clients.wrapper_off, call)
            .unwrap_or_else(|e| panic!("{case}: wrapper (off): {e}"));
        assert_same_wire(
            case,
            "wrapper (off)",
            &official_req,
            &capture.take_one(case),
        );
        if *valid {
            send_call!(generated, clients.wrapper_enforce, call)
                .unwrap_or_else(|e| panic!("{case}: wrapper (enforce) rejected a valid call: {e}"));
            assert_same_wire(
                case,
                "wrapper (enforce)",
                &official_req,
                &capture.take_one(case),
            );
        }
    }
    capture.server.shutdown().await;
}

/// The expected values of a few rows, spelled out: the equality above cannot tell
/// whether both clients are wrong in the same way.
#[tokio::test]
async fn requests_have_the_documented_shape() {
    let capture = Capture::start().await;
    let clients = Clients::new(&capture.endpoint());

    let call = Call::Update {
        meeting: "a/b c".into(),
        attendee: "été✓%".into(),
        caps: ["SendReceive", "None", "Receive"],
    };
    send_call!(generated, clients.generated, call).unwrap();
    let r = capture.take_one("update");
    assert_eq!(r.method, http::Method::PUT);
    assert_eq!(
        r.uri.to_string(),
        "/meetings/a%2Fb%20c/attendees/%C3%A9t%C3%A9%E2%9C%93%25/capabilities"
    );
    assert_eq!(
        &r.body[..],
        br#"{"Capabilities":{"Audio":"SendReceive","Video":"None","Content":"Receive"}}"#
    );
    assert_eq!(
        signed_headers(&r.headers),
        [
            "content-length",
            "content-type",
            "host",
            "x-amz-date",
            "x-amz-user-agent"
        ]
        .map(String::from)
        .to_vec()
    );
    let user_agent = r.headers.get("x-amz-user-agent").unwrap().to_str().unwrap();
    assert!(
        user_agent.contains(" api/chimesdkmeetings/"),
        "{user_agent}"
    );
    assert!(
        user_agent.contains(" m/E,N "),
        "retry mode standard, endpoint override: {user_agent}"
    );

    let call = Call::Batch {
        meeting: MEETING.into(),
        excluded: vec!["x\"y".into()],
        caps: ["Send", "Send", "Send"],
    };
    send_call!(generated, clients.generated, call).unwrap();
    let r = capture.take_one("batch");
    assert_eq!(
        r.uri.to_string(),
        format!("/meetings/{MEETING}/attendees/capabilities?operation=batch-update-except")
    );
    assert_eq!(
        std::str::from_utf8(&r.body).unwrap(),
        r#"{"Capabilities":{"Audio":"Send","Video":"Send","Content":"Send"},"ExcludedAttendeeIds":[{"AttendeeId":"x\"y"}]}"#
    );

    let call = Call::ListAttendees {
        meeting: MEETING.into(),
        next_token: Some("a b&c".into()),
        max_results: Some(5),
    };
    send_call!(generated, clients.generated, call).unwrap();
    let r = capture.take_one("list");
    assert_eq!(
        r.uri.to_string(),
        format!("/meetings/{MEETING}/attendees?next-token=a%20b%26c&max-results=5")
    );
    assert!(r.body.is_empty());
    capture.server.shutdown().await;
}

/// Deliberate hardening: a label of only dots is percent-encoded, so it stays one
/// path segment and the signature covers the path as sent. (The official SDK sends
/// `..` as is; the segment then disappears in path normalization, which is why this
/// case is not in the equality table.)
#[tokio::test]
async fn dot_segments_cannot_change_our_path() {
    let capture = Capture::start().await;
    let clients = Clients::new(&capture.endpoint());
    for (id, encoded) in [(".", "%2E"), ("..", "%2E%2E")] {
        let call = Call::Update {
            meeting: id.into(),
            attendee: id.into(),
            caps: ["None", "None", "None"],
        };
        for who in ["generated", "wrapper"] {
            let sent = match who {
                "generated" => send_call!(generated, clients.generated, call),
                _ => send_call!(generated, clients.wrapper_off, call),
            };
            sent.unwrap_or_else(|e| panic!("{who} {id}: {e}"));
            let r = capture.take_one(id);
            assert_eq!(
                r.uri.path(),
                format!("/meetings/{encoded}/attendees/{encoded}/capabilities"),
                "{who} {id}"
            );
            verifier()
                .verify(&r.method, &r.uri, &r.headers, &r.body)
                .expect("verifies");
        }
        let call = Call::Batch {
            meeting: id.into(),
            excluded: vec![id.into()],
            caps: ["None", "None", "None"],
        };
        send_call!(generated, clients.generated, call).unwrap();
        let r = capture.take_one(id);
        assert_eq!(
            r.uri.path(),
            format!("/meetings/{encoded}/attendees/capabilities")
        );
    }
    capture.server.shutdown().await;
}

// ---------------------------------------------------------------------------------
// Responses
// ---------------------------------------------------------------------------------

/// The nine operations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Update,
    Batch,
    CreateMeeting,
    GetMeeting,
    DeleteMeeting,
    CreateAttendee,
    GetAttendee,
    ListAttendees,
    DeleteAttendee,
}

const OPS: [Op; 9] = [
    Op::Update,
    Op::Batch,
    Op::CreateMeeting,
    Op::GetMeeting,
    Op::DeleteMeeting,
    Op::CreateAttendee,
    Op::GetAttendee,
    Op::ListAttendees,
    Op::DeleteAttendee,
];

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Update => "UpdateAttendeeCapabilities",
            Op::Batch => "BatchUpdateAttendeeCapabilitiesExcept",
            Op::CreateMeeting => "CreateMeeting",
            Op::GetMeeting => "GetMeeting",
            Op::DeleteMeeting => "DeleteMeeting",
            Op::CreateAttendee => "CreateAttendee",
            Op::GetAttendee => "GetAttendee",
            Op::ListAttendees => "ListAttendees",
            Op::DeleteAttendee => "DeleteAttendee",
        }
    }

    /// A valid call of this operation.
    fn call(self) -> Call {
        let caps = ["SendReceive", "SendReceive", "SendReceive"];
        let (meeting, attendee) = (MEETING.to_owned(), ATTENDEE.to_owned());
        match self {
            Op::Update => Call::Update {
                meeting,
                attendee,
                caps,
            },
            Op::Batch => Call::Batch {
                meeting,
                excluded: vec![attendee],
                caps,
            },
            Op::CreateMeeting => Call::CreateMeeting {
                external_meeting_id: "ext".into(),
                full: false,
            },
            Op::GetMeeting => Call::GetMeeting { meeting },
            Op::DeleteMeeting => Call::DeleteMeeting { meeting },
            Op::CreateAttendee => Call::CreateAttendee {
                meeting,
                external_user_id: "user".into(),
                caps: Some(caps),
            },
            Op::GetAttendee => Call::GetAttendee { meeting, attendee },
            Op::ListAttendees => Call::ListAttendees {
                meeting,
                next_token: None,
                max_results: None,
            },
            Op::DeleteAttendee => Call::DeleteAttendee { meeting, attendee },
        }
    }
}

/// What a client made of a response, comparable across the two crates.
#[derive(Debug, PartialEq)]
enum Outcome {
    Output {
        /// The output's members, by wire name.
        members: Value,
        request_id: Option<String>,
    },
    ServiceError {
        variant: String,
        code: Option<String>,
        message: Option<String>,
        request_id: Option<String>,
        /// The modelled error's members (`None` for an unmodelled error).
        members: Option<Value>,
        display: String,
    },
    /// Any other failure (e.g. a body that does not parse).
    Failed,
}

/// A JSON object of the members that are set.
fn obj<const N: usize>(members: [(&str, Option<Value>); N]) -> Value {
    Value::Object(
        members
            .into_iter()
            .filter_map(|(k, v)| Some((k.to_owned(), v?)))
            .collect::<Map<_, _>>(),
    )
}

fn text(v: &Option<String>) -> Option<Value> {
    v.clone().map(Value::from)
}

macro_rules! caps_json {
    ($c:expr) => {{
        let c = $c;
        json!({ "Audio": c.audio.as_str(), "Video": c.video.as_str(), "Content": c.content.as_str() })
    }};
}

macro_rules! attendee_json {
    ($a:expr) => {{
        let a = $a;
        obj([
            ("ExternalUserId", text(&a.external_user_id)),
            ("AttendeeId", text(&a.attendee_id)),
            ("JoinToken", text(&a.join_token)),
            (
                "Capabilities",
                a.capabilities.as_ref().map(|c| caps_json!(c)),
            ),
        ])
    }};
}

macro_rules! meeting_json {
    ($m:expr) => {{
        let m = $m;
        obj([
            ("MeetingId", text(&m.meeting_id)),
            ("MeetingHostId", text(&m.meeting_host_id)),
            ("ExternalMeetingId", text(&m.external_meeting_id)),
            ("MediaRegion", text(&m.media_region)),
            (
                "MediaPlacement",
                m.media_placement.as_ref().map(|p| {
                    obj([
                        ("AudioHostUrl", text(&p.audio_host_url)),
                        ("AudioFallbackUrl", text(&p.audio_fallback_url)),
                        ("SignalingUrl", text(&p.signaling_url)),
                        ("TurnControlUrl", text(&p.turn_control_url)),
                        ("ScreenDataUrl", text(&p.screen_data_url)),
                        ("ScreenViewingUrl", text(&p.screen_viewing_url)),
                        ("ScreenSharingUrl", text(&p.screen_sharing_url)),
                        ("EventIngestionUrl", text(&p.event_ingestion_url)),
                    ])
                }),
            ),
            (
                "MeetingFeatures",
                m.meeting_features.as_ref().map(|f| {
                    obj([
                        (
                            "Audio",
                            f.audio.as_ref().map(|a| {
                                obj([(
                                    "EchoReduction",
                                    a.echo_reduction.as_ref().map(|v| Value::from(v.as_str())),
                                )])
                            }),
                        ),
                        (
                            "Video",
                            f.video.as_ref().map(|v| {
                                obj([(
                                    "MaxResolution",
                                    v.max_resolution.as_ref().map(|r| Value::from(r.as_str())),
                                )])
                            }),
                        ),
                        (
                            "Content",
                            f.content.as_ref().map(|c| {
                                obj([(
                                    "MaxResolution",
                                    c.max_resolution.as_ref().map(|r| Value::from(r.as_str())),
                                )])
                            }),
                        ),
                        (
                            "Attendee",
                            f.attendee
                                .as_ref()
                                .map(|a| obj([("MaxCount", a.max_count.map(Value::from))])),
                        ),
                    ])
                }),
            ),
            ("PrimaryMeetingId", text(&m.primary_meeting_id)),
            ("TenantIds", m.tenant_ids.clone().map(Value::from)),
            ("MeetingArn", text(&m.meeting_arn)),
        ])
    }};
}

/// The members of a modelled error of crate `$k`, found through `source()`.
macro_rules! error_members {
    ($k:ident, $source:expr) => {{
        let source: Option<&(dyn StdError + 'static)> = $source;
        let mut members = None;
        macro_rules! try_type {
            ($t:ident) => {
                if let Some(e) = source.and_then(|s| s.downcast_ref::<$k::types::error::$t>()) {
                    members = Some(obj([
                        ("Code", text(&e.code)),
                        ("Message", text(&e.message)),
                        ("RequestId", text(&e.request_id)),
                    ]));
                }
            };
        }
        try_type!(BadRequestException);
        try_type!(ConflictException);
        try_type!(ForbiddenException);
        try_type!(LimitExceededException);
        try_type!(NotFoundException);
        try_type!(ServiceFailureException);
        try_type!(ThrottlingException);
        try_type!(UnauthorizedException);
        try_type!(UnprocessableEntityException);
        if let Some(e) =
            source.and_then(|s| s.downcast_ref::<$k::types::error::ServiceUnavailableException>())
        {
            members = Some(obj([
                ("Code", text(&e.code)),
                ("Message", text(&e.message)),
                ("RequestId", text(&e.request_id)),
                ("RetryAfterSeconds", text(&e.retry_after_seconds)),
            ]));
        }
        members
    }};
}

/// Summarizes a call's result: the output's `members` (checked against the output with
/// `check`), or the error's metadata and `error_members` (given its `source()`).
fn outcome<O, E>(
    result: Result<O, SdkError<E, HttpResponse>>,
    members: impl FnOnce(&O) -> Value,
    check: impl FnOnce(&O, &Value),
    error_members: impl FnOnce(Option<&(dyn StdError + 'static)>) -> Option<Value>,
) -> Outcome
where
    O: RequestId,
    E: ProvideErrorMetadata + StdError + 'static,
{
    match result {
        Ok(output) => {
            let members = members(&output);
            check(&output, &members);
            Outcome::Output {
                members,
                request_id: output.request_id().map(str::to_owned),
            }
        }
        Err(SdkError::ServiceError(context)) => {
            let err = context.err();
            let debug = format!("{err:?}");
            let variant = debug.split('(').next().unwrap_or_default().to_owned();
            let display = err.to_string();
            Outcome::ServiceError {
                variant,
                code: err.code().map(str::to_owned),
                message: err.message().map(str::to_owned),
                request_id: err.meta().request_id().map(str::to_owned),
                members: error_members(err.source()),
                display,
            }
        }
        Err(_) => Outcome::Failed,
    }
}

fn no_check<T>(_: &T, _: &Value) {}

/// Our outputs as the service writes them (the generated server bindings): their wire
/// form must be exactly the projection, so a member missing from the projection cannot
/// go unnoticed.
trait WireForm {
    fn wire_form(&self) -> Value;
}

macro_rules! wire_form {
    ($($module:ident :: $operation:ident => $output:ident),* $(,)?) => {$(
        impl WireForm for generated::operation::$module::$output {
            fn wire_form(&self) -> Value {
                use chime_caps_runtime::server::ServerOperation;
                let response = generated::operation::$module::$operation::write_output(self)
                    .expect("our output writes");
                if response.body.is_empty() {
                    return json!({});
                }
                serde_json::from_slice(&response.body).expect("our output writes JSON")
            }
        }
    )*};
}

wire_form!(
    update_attendee_capabilities::UpdateAttendeeCapabilities => UpdateAttendeeCapabilitiesOutput,
    batch_update_attendee_capabilities_except::BatchUpdateAttendeeCapabilitiesExcept
        => BatchUpdateAttendeeCapabilitiesExceptOutput,
    create_meeting::CreateMeeting => CreateMeetingOutput,
    get_meeting::GetMeeting => GetMeetingOutput,
    delete_meeting::DeleteMeeting => DeleteMeetingOutput,
    create_attendee::CreateAttendee => CreateAttendeeOutput,
    get_attendee::GetAttendee => GetAttendeeOutput,
    list_attendees::ListAttendees => ListAttendeesOutput,
    delete_attendee::DeleteAttendee => DeleteAttendeeOutput,
);

fn wire_check<T: WireForm>(value: &T, projected: &Value) {
    assert_eq!(
        &value.wire_form(),
        projected,
        "the projection covers every member of our output"
    );
}

/// Calls operation `$op` with client `$c` of crate `$k` and summarizes the outcome;
/// `$check` is [`wire_check`] for our crate, [`no_check`] for the official one.
macro_rules! call_op {
    ($k:ident, $c:expr, $op:expr, $check:ident) => {{
        let c = &$c;
        let errors = |source: Option<&(dyn StdError + 'static)>| error_members!($k, source);
        match $op.call() {
            Call::Update {
                meeting,
                attendee,
                caps,
            } => outcome(
                c.update_attendee_capabilities()
                    .meeting_id(meeting)
                    .attendee_id(attendee)
                    .capabilities(caps!($k, caps))
                    .send()
                    .await,
                |o| obj([("Attendee", o.attendee.as_ref().map(|a| attendee_json!(a)))]),
                $check,
                errors,
            ),
            Call::Batch {
                meeting,
                excluded,
                caps,
            } => outcome(
                c.batch_update_attendee_capabilities_except()
                    .meeting_id(meeting)
                    .set_excluded_attendee_ids(Some(
                        excluded
                            .iter()
                            .map(|id| {
                                $k::types::AttendeeIdItem::builder()
                                    .attendee_id(id)
                                    .build()
                                    .unwrap()
                            })
                            .collect(),
                    ))
                    .capabilities(caps!($k, caps))
                    .send()
                    .await,
                |_| obj([]),
                $check,
                errors,
            ),
            Call::CreateMeeting {
                external_meeting_id,
                ..
            } => outcome(
                c.create_meeting()
                    .client_request_token("11111111-2222-4333-8444-555555555555")
                    .media_region("us-east-1")
                    .external_meeting_id(external_meeting_id)
                    .send()
                    .await,
                |o| obj([("Meeting", o.meeting.as_ref().map(|m| meeting_json!(m)))]),
                $check,
                errors,
            ),
            Call::GetMeeting { meeting } => outcome(
                c.get_meeting().meeting_id(meeting).send().await,
                |o| obj([("Meeting", o.meeting.as_ref().map(|m| meeting_json!(m)))]),
                $check,
                errors,
            ),
            Call::DeleteMeeting { meeting } => outcome(
                c.delete_meeting().meeting_id(meeting).send().await,
                |_| obj([]),
                $check,
                errors,
            ),
            Call::CreateAttendee {
                meeting,
                external_user_id,
                caps,
            } => outcome(
                c.create_attendee()
                    .meeting_id(meeting)
                    .external_user_id(external_user_id)
                    .set_capabilities(caps.map(|caps| caps!($k, caps)))
                    .send()
                    .await,
                |o| obj([("Attendee", o.attendee.as_ref().map(|a| attendee_json!(a)))]),
                $check,
                errors,
            ),
            Call::GetAttendee { meeting, attendee } => outcome(
                c.get_attendee()
                    .meeting_id(meeting)
                    .attendee_id(attendee)
                    .send()
                    .await,
                |o| obj([("Attendee", o.attendee.as_ref().map(|a| attendee_json!(a)))]),
                $check,
                errors,
            ),
            Call::ListAttendees {
                meeting,
                next_token,
                max_results,
            } => outcome(
                c.list_attendees()
                    .meeting_id(meeting)
                    .set_next_token(next_token)
                    .set_max_results(max_results)
                    .send()
                    .await,
                |o| {
                    obj([
                        (
                            "Attendees",
                            o.attendees.as_ref().map(|list| {
                                list.iter().map(|a| attendee_json!(a)).collect::<Value>()
                            }),
                        ),
                        ("NextToken", text(&o.next_token)),
                    ])
                },
                $check,
                errors,
            ),
            Call::DeleteAttendee { meeting, attendee } => outcome(
                c.delete_attendee()
                    .meeting_id(meeting)
                    .attendee_id(attendee)
                    .send()
                    .await,
                |_| obj([]),
                $check,
                errors,
            ),
        }
    }};
}

/// Answers `op` with `reply` through the official, generated and wrapper clients (in
/// that order); each outcome with the request id the server gave that request.
async fn outcomes(
    capture: &Capture,
    clients: &Clients,
    op: Op,
    case: &str,
    reply: Reply,
) -> [(Outcome, String); 3] {
    capture.answer(reply);
    let official = call_op!(official, clients.official, op, no_check);
    let official = (official, capture.take_one(case).request_id);
    let generated = call_op!(generated, clients.generated, op, wire_check);
    let generated = (generated, capture.take_one(case).request_id);
    let wrapper = call_op!(generated, clients.wrapper_off, op, wire_check);
    let wrapper = (wrapper, capture.take_one(case).request_id);
    [official, generated, wrapper]
}

/// Answers `op` with `reply` through every client and asserts the same outcome; returns it.
async fn same_outcome(
    capture: &Capture,
    clients: &Clients,
    op: Op,
    case: &str,
    reply: Reply,
) -> Outcome {
    let [official, generated, wrapper] = outcomes(capture, clients, op, case, reply).await;
    let ctx = format!("{} / {case}", op.name());
    // The server gives each request its own id; each client must report its own.
    let normalize = |(o, rid): (Outcome, String)| match o {
        Outcome::Output {
            members,
            request_id,
        } => {
            assert_eq!(request_id, Some(rid), "{ctx}: output request id");
            Outcome::Output {
                members,
                request_id: Some("<rid>".into()),
            }
        }
        Outcome::ServiceError {
            variant,
            code,
            message,
            request_id,
            members,
            display,
        } => {
            assert_eq!(request_id, Some(rid), "{ctx}: error request id");
            Outcome::ServiceError {
                variant,
                code,
                message,
                request_id: Some("<rid>".into()),
                members,
                display,
            }
        }
        Outcome::Failed => Outcome::Failed,
    };
    let official = normalize(official);
    assert_eq!(
        normalize(generated),
        official,
        "{ctx}: generated vs official"
    );
    assert_eq!(normalize(wrapper), official, "{ctx}: wrapper vs official");
    official
}

fn json_reply(status: u16, body: &str) -> Reply {
    Reply::json(status, body.to_owned())
}

const FULL_ATTENDEE: &str = r#"{"ExternalUserId":"user é/1","AttendeeId":"f0a8fa58-7cfe-4bc4-a5c8-2bd6b7d16a50","JoinToken":"secret-token","Capabilities":{"Audio":"SendReceive","Video":"Receive","Content":"None"}}"#;

/// Success bodies of an operation returning `{"Attendee": ...}`.
fn attendee_bodies() -> Vec<(&'static str, String)> {
    vec![
        ("full", format!(r#"{{"Attendee":{FULL_ATTENDEE}}}"#)),
        ("empty body", String::new()),
        ("empty object", "{}".into()),
        ("null attendee", r#"{"Attendee":null}"#.into()),
        ("missing optional members", r#"{"Attendee":{"AttendeeId":"a-1"}}"#.into()),
        ("null members", r#"{"Attendee":{"AttendeeId":null,"JoinToken":null,"Capabilities":null}}"#.into()),
        (
            "unknown enum values",
            r#"{"Attendee":{"AttendeeId":"a-1","Capabilities":{"Audio":"Shout","Video":"sendreceive","Content":""}}}"#.into(),
        ),
        (
            "unknown extra fields",
            format!(
                r#"{{"Later":{{"a":[1,2.5,{{"b":null}}],"c":"d"}},"Attendee":{{"Extra":true,"ExternalUserId":"u","Capabilities":{{"Audio":"Send","New":[],"Video":"None","Content":"None"}}}},"Tail":[{FULL_ATTENDEE}]}}"#
            ),
        ),
        ("escapes", r#"{"Attendee":{"ExternalUserId":"q\"\\\/\u00e9\ud83d\ude00\n\t","AttendeeId":"\u0041"}}"#.into()),
    ]
}

const FULL_MEETING: &str = r#"{"MeetingId":"6bd0ae5c-0f9c-4b8b-a7a5-5bf5a0f0e2f1","MeetingHostId":"host","ExternalMeetingId":"ext é","MediaRegion":"us-east-1","MediaPlacement":{"AudioHostUrl":"a.example:3478","AudioFallbackUrl":"wss://b.example","SignalingUrl":"wss://c.example/control","TurnControlUrl":"https://d.example","ScreenDataUrl":"wss://e.example","ScreenViewingUrl":"wss://f.example","ScreenSharingUrl":"wss://g.example","EventIngestionUrl":"https://h.example/events"},"MeetingFeatures":{"Audio":{"EchoReduction":"AVAILABLE"},"Video":{"MaxResolution":"FHD"},"Content":{"MaxResolution":"UHD"},"Attendee":{"MaxCount":250}},"PrimaryMeetingId":"7a3b1f42-0000-4000-8000-000000000001","TenantIds":["t1","t2"],"MeetingArn":"arn:aws:chime:us-east-1:123456789012:meeting/6bd0ae5c-0f9c-4b8b-a7a5-5bf5a0f0e2f1"}"#;

fn meeting_bodies() -> Vec<(&'static str, String)> {
    vec![
        ("full", format!(r#"{{"Meeting":{FULL_MEETING}}}"#)),
        ("empty body", String::new()),
        ("empty object", "{}".into()),
        ("null meeting", r#"{"Meeting":null}"#.into()),
        ("missing optional members", r#"{"Meeting":{"MeetingId":"m-1","MediaPlacement":{},"MeetingFeatures":{}}}"#.into()),
        ("empty tenant list", r#"{"Meeting":{"MeetingId":"m-1","TenantIds":[]}}"#.into()),
        (
            "unknown enum values",
            r#"{"Meeting":{"MeetingFeatures":{"Audio":{"EchoReduction":"MAYBE"},"Video":{"MaxResolution":"8K"},"Content":{"MaxResolution":"none"}}}}"#.into(),
        ),
        (
            "unknown extra fields",
            format!(
                r#"{{"Meeting":{{"MediaPlacementNetworkType":"DualStack","Future":{{"x":[{{}}]}},"MeetingId":"m-2","MediaPlacement":{{"NewUrl":"wss://x","AudioHostUrl":"h"}},"MeetingFeatures":{{"Attendee":{{"MaxCount":3,"MinCount":1}},"Audio":{{}}}}}},"Other":{FULL_MEETING}}}"#
            ),
        ),
    ]
}

fn list_bodies() -> Vec<(&'static str, String)> {
    vec![
        (
            "two attendees and a token",
            format!(r#"{{"Attendees":[{FULL_ATTENDEE},{{"AttendeeId":"a-2"}}],"NextToken":"next é"}}"#),
        ),
        ("empty list", r#"{"Attendees":[]}"#.into()),
        ("empty body", String::new()),
        ("empty object", "{}".into()),
        ("null members", r#"{"Attendees":null,"NextToken":null}"#.into()),
        (
            "unknown enum values and extra fields",
            r#"{"Extra":1,"Attendees":[{"AttendeeId":"a-1","Unknown":{},"Capabilities":{"Audio":"Loud","Video":"None","Content":"None"}}],"Tail":null}"#.into(),
        ),
    ]
}

/// Success bodies of an operation with no output members.
fn empty_output_bodies() -> Vec<(&'static str, String)> {
    vec![
        ("empty body", String::new()),
        ("empty object", "{}".into()),
        (
            "unknown extra fields",
            r#"{"Attendee":{"AttendeeId":"x"},"Extra":[1,{"a":null}]}"#.into(),
        ),
    ]
}

fn success_cases(op: Op) -> Vec<(String, Reply)> {
    let (status, bodies) = match op {
        Op::Update | Op::CreateAttendee | Op::GetAttendee => (200, attendee_bodies()),
        Op::CreateMeeting | Op::GetMeeting => (200, meeting_bodies()),
        Op::ListAttendees => (200, list_bodies()),
        Op::Batch => (200, empty_output_bodies()),
        Op::DeleteMeeting | Op::DeleteAttendee => (204, empty_output_bodies()),
    };
    let mut cases: Vec<(String, Reply)> = bodies
        .into_iter()
        .map(|(name, body)| (name.to_owned(), json_reply(status, &body)))
        .collect();
    // Any 2xx is success, whatever the modelled code.
    let other = if status == 200 { 201 } else { 200 };
    cases.push((
        format!("status {other}, empty object"),
        json_reply(other, "{}"),
    ));
    cases.push(("no content-type".into(), Reply::new(status).with_body("{}")));
    cases
}

#[tokio::test]
async fn success_responses_parse_the_same() {
    let capture = Capture::start().await;
    let clients = Clients::new(&capture.endpoint());
    let mut outputs = 0;
    for op in OPS {
        for (case, reply) in success_cases(op) {
            match same_outcome(&capture, &clients, op, &case, reply).await {
                Outcome::Output { .. } => outputs += 1,
                other => panic!(
                    "{} / {case}: the official SDK did not parse it: {other:?}",
                    op.name()
                ),
            }
        }
    }
    assert!(outputs >= 50, "{outputs} success cases");
    capture.server.shutdown().await;
}

/// A few parsed values spelled out, so that the equality cannot hide a shared mistake.
#[tokio::test]
async fn success_responses_have_the_expected_members() {
    let capture = Capture::start().await;
    let clients = Clients::new(&capture.endpoint());
    // The outcome of `op`'s success case `name`, the same from every client.
    let parsed = |op: Op, name: &'static str| {
        let (_, reply) = success_cases(op)
            .into_iter()
            .find(|(n, _)| n == name)
            .unwrap();
        same_outcome(&capture, &clients, op, name, reply)
    };
    let output = |members: Value| Outcome::Output {
        members,
        request_id: Some("<rid>".into()),
    };
    let json_of = |text: String| serde_json::from_str::<Value>(&text).unwrap();

    assert_eq!(
        parsed(Op::Update, "full").await,
        output(json_of(format!(r#"{{"Attendee":{FULL_ATTENDEE}}}"#)))
    );
    assert_eq!(
        parsed(Op::GetMeeting, "full").await,
        output(json_of(format!(r#"{{"Meeting":{FULL_MEETING}}}"#)))
    );
    assert_eq!(parsed(Op::Batch, "empty body").await, output(json!({})));

    let unknown = parsed(Op::Update, "unknown enum values").await;
    let Outcome::Output { members, .. } = unknown else {
        panic!("{unknown:?}")
    };
    assert_eq!(
        members["Attendee"]["Capabilities"],
        json!({"Audio": "Shout", "Video": "sendreceive", "Content": ""})
    );
    capture.server.shutdown().await;
}

/// Deliberate difference: a whitespace-only body is `{}` to us; the official SDK fails.
#[tokio::test]
async fn whitespace_body_is_an_empty_output_for_us() {
    let capture = Capture::start().await;
    let clients = Clients::new(&capture.endpoint());
    capture.answer(json_reply(200, " \r\n"));
    let ours = call_op!(generated, clients.generated, Op::Update, wire_check);
    let _ = capture.take_one("whitespace");
    assert!(
        matches!(&ours, Outcome::Output { members, .. } if *members == json!({})),
        "{ours:?}"
    );
    capture.server.shutdown().await;
}

// ---------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------

/// Every modelled error of `op` with its status, read from our Smithy model.
fn modelled_errors(op: Op) -> Vec<(String, u16)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/model/chime-sdk-meetings.json");
    let model: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let shapes = &model["shapes"];
    let ns = "com.amazonaws.chimesdkmeetings#";
    let errors = shapes[format!("{ns}{}", op.name())]["errors"]
        .as_array()
        .expect("the operation lists its errors");
    errors
        .iter()
        .map(|e| {
            let id = e["target"].as_str().unwrap();
            let status = shapes[id]["traits"]["smithy.api#httpError"]
                .as_u64()
                .expect("httpError") as u16;
            (id.trim_start_matches(ns).to_owned(), status)
        })
        .collect()
}

/// The ways a service can name error `name`: the case name, the reply, and the code
/// (and message) both clients must report.
fn error_cases(name: &str, status: u16) -> Vec<(String, Reply, Option<String>, Option<String>)> {
    let message = format!("{name} happened: é \"quoted\"");
    let service_body =
        json!({ "Code": error_code(name), "Message": message, "RequestId": "body-request-id" })
            .to_string();
    let header = |value: &str| HeaderValue::from_str(value).unwrap();
    let with_header = |value: &str, body: &str| {
        json_reply(status, body).with_header(ERROR_TYPE_HEADER, header(value))
    };
    let (code, msg) = (Some(name.to_owned()), Some(message.clone()));
    let mut cases = vec![
        ("header, service body".to_owned(), with_header(name, &service_body), code.clone(), msg.clone()),
        (
            "header with :http suffix".to_owned(),
            with_header(&format!("{name}:http://internal.amazon.com/coral/com.amazonaws.chimesdkmeetings/"), &service_body),
            code.clone(),
            msg.clone(),
        ),
        (
            "namespaced header".to_owned(),
            with_header(&format!("com.amazonaws.chimesdkmeetings#{name}"), &service_body),
            code.clone(),
            msg.clone(),
        ),
        ("header, empty body".to_owned(), with_header(name, ""), code.clone(), None),
        ("header, empty object".to_owned(), with_header(name, "{}"), code.clone(), None),
        (
            "header, lowercase message".to_owned(),
            with_header(name, &json!({ "message": message }).to_string()),
            code.clone(),
            msg.clone(),
        ),
        (
            "header, errorMessage, extra fields".to_owned(),
            with_header(name, &json!({ "errorMessage": message, "Extra": {"a": [1]}, "Code": "X" }).to_string()),
            code.clone(),
            msg.clone(),
        ),
        (
            "body code only".to_owned(),
            json_reply(status, &json!({ "code": name, "message": message }).to_string()),
            code.clone(),
            msg.clone(),
        ),
        (
            "body __type only".to_owned(),
            json_reply(
                status,
                &json!({ "__type": format!("com.amazonaws.chimesdkmeetings#{name}"), "Message": message }).to_string(),
            ),
            code.clone(),
            msg.clone(),
        ),
        (
            "body __type with suffix, Code member".to_owned(),
            json_reply(
                status,
                &json!({ "__type": format!("{name}:http://x/"), "Message": message, "Code": error_code(name), "RequestId": "r" })
                    .to_string(),
            ),
            code.clone(),
            msg.clone(),
        ),
        (
            "header wins over body".to_owned(),
            with_header(name, &json!({ "code": "SomethingElse", "__type": "Other", "Message": message }).to_string()),
            code.clone(),
            msg.clone(),
        ),
    ];
    if name == "ServiceUnavailableException" {
        for (case, value) in [
            ("Retry-After 7", "7"),
            ("Retry-After date", "Wed, 21 Oct 2015 07:28:00 GMT"),
        ] {
            cases.push((
                case.to_owned(),
                with_header(name, &service_body)
                    .with_header(http::header::RETRY_AFTER, header(value)),
                code.clone(),
                msg.clone(),
            ));
        }
    }
    cases
}

/// The error cases checked for operations other than the two capability ones.
const SHORT_LIST: [&str; 5] = [
    "header, service body",
    "header with :http suffix",
    "header, empty body",
    "body code only",
    "body __type only",
];

#[tokio::test]
async fn every_modelled_error_parses_the_same() {
    let capture = Capture::start().await;
    let clients = Clients::new(&capture.endpoint());
    let mut checked = 0;
    for op in OPS {
        let errors = modelled_errors(op);
        assert!(errors.len() >= 7, "{}: {errors:?}", op.name());
        for (name, status) in &errors {
            // Every variant for the two capability operations; the main ones elsewhere.
            let cases = error_cases(name, *status).into_iter().filter(|(case, ..)| {
                matches!(op, Op::Update | Op::Batch) || SHORT_LIST.contains(&case.as_str())
            });
            for (case, reply, code, message) in cases {
                let case = format!("{name} ({status}): {case}");
                let outcome = same_outcome(&capture, &clients, op, &case, reply).await;
                let Outcome::ServiceError {
                    variant,
                    code: got_code,
                    message: got_message,
                    members,
                    ..
                } = &outcome
                else {
                    panic!("{} / {case}: not a service error: {outcome:?}", op.name())
                };
                assert_eq!(variant, name, "{} / {case}: variant", op.name());
                assert_eq!(got_code, &code, "{} / {case}: code()", op.name());
                assert_eq!(got_message, &message, "{} / {case}: message()", op.name());
                assert!(
                    members.is_some(),
                    "{} / {case}: modelled members",
                    op.name()
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 300, "{checked} error cases");
    capture.server.shutdown().await;
}

/// The members of a few errors spelled out: 400 is shared by two errors and must be
/// told apart by type, `Retry-After` reaches `RetryAfterSeconds`, the body's
/// `RequestId` member is kept apart from the header's request id.
#[tokio::test]
async fn error_members_are_read() {
    let capture = Capture::start().await;
    let clients = Clients::new(&capture.endpoint());
    let by_case = |name: &str, status: u16, case: &str| {
        error_cases(name, status)
            .into_iter()
            .find(|(c, ..)| c == case)
            .unwrap()
            .1
    };

    for name in ["BadRequestException", "LimitExceededException"] {
        for op in [Op::CreateMeeting, Op::CreateAttendee] {
            let outcome = same_outcome(
                &capture,
                &clients,
                op,
                name,
                by_case(name, 400, "header, service body"),
            )
            .await;
            let Outcome::ServiceError {
                variant,
                members,
                request_id,
                display,
                ..
            } = outcome
            else {
                panic!()
            };
            assert_eq!(variant, name);
            assert_eq!(request_id.as_deref(), Some("<rid>"));
            assert_eq!(
                members,
                Some(json!({
                    "Code": error_code(name),
                    "Message": format!("{name} happened: é \"quoted\""),
                    "RequestId": "body-request-id",
                }))
            );
            assert_eq!(display, format!("{name}: {name} happened: é \"quoted\""));
        }
    }

    let name = "ServiceUnavailableException";
    for op in [Op::Update, Op::Batch] {
        for (case, retry_after) in [
            ("Retry-After 7", Some(json!("7"))),
            ("header, service body", None),
        ] {
            let outcome =
                same_outcome(&capture, &clients, op, case, by_case(name, 503, case)).await;
            let Outcome::ServiceError {
                members: Some(members),
                ..
            } = outcome
            else {
                panic!("{outcome:?}")
            };
            assert_eq!(
                members.get("RetryAfterSeconds"),
                retry_after.as_ref(),
                "{} / {case}",
                op.name()
            );
        }
    }
    capture.server.shutdown().await;
}

/// Errors the model does not name: the same `Unhandled` from both.
#[tokio::test]
async fn unmodelled_errors_parse_the_same() {
    let capture = Capture::start().await;
    let clients = Clients::new(&capture.endpoint());
    let brand_new = HeaderValue::from_static("BrandNewException");
    let cases = [
        (
            "unknown type in header",
            json_reply(400, r#"{"Message":"m"}"#).with_header(ERROR_TYPE_HEADER, brand_new),
        ),
        (
            "unknown type in body",
            json_reply(418, r#"{"__type":"ns#BrandNewException","message":"m"}"#),
        ),
        (
            "modelled error of another operation",
            json_reply(422, r#"{"message":"m"}"#).with_header(
                ERROR_TYPE_HEADER,
                HeaderValue::from_static("UnprocessableEntityException"),
            ),
        ),
    ];
    for op in [Op::Update, Op::Batch, Op::GetMeeting] {
        for (case, reply) in cases.clone() {
            let outcome = same_outcome(&capture, &clients, op, case, reply).await;
            let Outcome::ServiceError {
                variant,
                code,
                message,
                members: None,
                ..
            } = &outcome
            else {
                panic!("{} / {case}: {outcome:?}", op.name())
            };
            assert_eq!(variant, "Unhandled", "{} / {case}", op.name());
            assert!(
                code.as_deref().is_some_and(|c| c.ends_with("Exception")),
                "{} / {case}: {code:?}",
                op.name()
            );
            assert_eq!(message.as_deref(), Some("m"), "{} / {case}", op.name());
        }
    }

    capture.server.shutdown().await;
}

/// Error responses that name no error type: `Unhandled` with no code from both. The
/// official SDK then drops the rest of the metadata (it builds the error with empty
/// metadata); ours keeps the message and the request id. A deliberate superset.
#[tokio::test]
async fn untyped_errors_keep_their_metadata_with_us() {
    let capture = Capture::start().await;
    let clients = Clients::new(&capture.endpoint());
    let cases = [
        ("empty body", Reply::new(500), None),
        ("empty object", json_reply(404, "{}"), None),
        (
            "message only",
            json_reply(503, r#"{"message":"m"}"#),
            Some("m"),
        ),
        (
            "Code member only",
            json_reply(400, r#"{"Code":"BadRequest","Message":"m"}"#),
            Some("m"),
        ),
    ];
    for op in [Op::Update, Op::Batch, Op::CreateAttendee] {
        for (case, reply, message) in cases.clone() {
            let [official, generated, wrapper] =
                outcomes(&capture, &clients, op, case, reply).await;
            let ctx = format!("{} / {case}", op.name());
            let unhandled =
                |message: Option<&str>, request_id: Option<String>| Outcome::ServiceError {
                    variant: "Unhandled".into(),
                    code: None,
                    message: message.map(str::to_owned),
                    request_id,
                    members: None,
                    display: "unhandled error".into(),
                };
            assert_eq!(official.0, unhandled(None, None), "{ctx}: official");
            for (who, (outcome, rid)) in [("generated", generated), ("wrapper", wrapper)] {
                assert_eq!(outcome, unhandled(message, Some(rid)), "{ctx}: {who}");
            }
        }
    }
    capture.server.shutdown().await;
}
