//! A stand-in for the Chime SDK Meetings service, for the validation tests: an
//! in-process HTTP client (no sockets) that keeps meetings and attendees, refuses
//! what the seed documents say the service refuses (through [`super::expected_rule`],
//! written independently of `chime_caps::rules`), counts the requests it gets, and can
//! fail the next requests on demand. It knows the 11 meeting and attendee operations.
//!
//! Capability values it does not know stand for values a newer service accepts: no
//! rule refuses them.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use aws_smithy_http_client::test_util::infallible_client_fn;
use aws_smithy_types::body::SdkBody;
use chime_caps::config::retry::RetryConfig;
use chime_caps::config::{BehaviorVersion, Builder, Credentials, Region};
use chime_caps::rules::Rule;
use chime_caps::validation::{ValidationConfigExt, ValidationMode, ValidationSettings};
use chime_caps::Client;
use serde_json::{json, Value};

/// The capability values the seeds name, in the order of [`super::MEDIA`].
const VALUES: [&str; 4] = ["None", "Receive", "Send", "SendReceive"];

#[derive(Debug, Default)]
struct Meeting {
    /// `MeetingFeatures` as created (echoed in every `Meeting`).
    features: Value,
    external_meeting_id: String,
    attendees: BTreeMap<String, Attendee>,
}

#[derive(Debug, Clone)]
struct Attendee {
    external_user_id: String,
    capabilities: Value,
}

#[derive(Debug, Default)]
struct State {
    meetings: HashMap<String, Meeting>,
    requests: u64,
    faults: VecDeque<(u16, &'static str)>,
}

/// The fake service; clones share it.
#[derive(Debug, Clone, Default)]
pub struct FakeService {
    state: Arc<Mutex<State>>,
}

/// A reply: status and JSON body (`None`: empty body).
type Reply = (u16, Option<Value>);

fn error(status: u16, code: &str, message: impl Into<String>) -> Reply {
    (
        status,
        Some(json!({"Code": code, "Message": message.into(), "__type": code})),
    )
}

fn not_found(what: &str) -> Reply {
    error(404, "NotFoundException", format!("{what} not found"))
}

fn bad_request(message: impl Into<String>) -> Reply {
    error(400, "BadRequestException", message)
}

impl FakeService {
    pub fn new() -> Self {
        Self::default()
    }

    /// How many requests reached the service.
    pub fn requests_served(&self) -> u64 {
        self.state.lock().unwrap().requests
    }

    /// Answers the next `count` requests with `status` and the error `code`.
    pub fn fail_next(&self, count: usize, status: u16, code: &'static str) {
        let mut state = self.state.lock().unwrap();
        state
            .faults
            .extend(std::iter::repeat_n((status, code), count));
    }

    /// A config for clients of this service (no retries: a fault answers once).
    pub fn config(&self) -> Builder {
        let service = self.clone();
        chime_caps::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .credentials_provider(Credentials::new(
                "AKIDFAKE",
                "fake-secret",
                None,
                None,
                "fake",
            ))
            .endpoint_url("http://127.0.0.1:1")
            .retry_config(RetryConfig::disabled())
            .http_client(infallible_client_fn(move |request| service.handle(request)))
    }

    /// A client of this service with `settings`.
    pub fn client(&self, settings: ValidationSettings) -> Client {
        Client::from_conf(self.config().validation(settings).build())
    }

    /// A client of this service in `mode` with otherwise default settings.
    pub fn client_in(&self, mode: ValidationMode) -> Client {
        self.client(ValidationSettings::new().mode(mode))
    }

    fn handle(&self, request: http::Request<SdkBody>) -> http::Response<SdkBody> {
        let method = request.method().as_str().to_owned();
        let path = request.uri().path().to_owned();
        let query = request.uri().query().unwrap_or_default().to_owned();
        let body: Value = request
            .body()
            .bytes()
            .filter(|b| !b.is_empty())
            .and_then(|b| serde_json::from_slice(b).ok())
            .unwrap_or(Value::Null);
        let (status, reply) = {
            let mut state = self.state.lock().unwrap();
            state.requests += 1;
            match state.faults.pop_front() {
                Some((status, code)) => error(status, code, "injected fault"),
                None => state.route(&method, &path, &query, &body),
            }
        };
        let mut response = http::Response::builder().status(status);
        if let Some(code) = reply.as_ref().and_then(|r| r.get("__type")) {
            response = response.header("x-amzn-errortype", code.as_str().unwrap_or_default());
        }
        let body = reply.map(|r| r.to_string()).unwrap_or_default();
        response
            .header("content-type", "application/json")
            .body(SdkBody::from(body))
            .expect("a valid response")
    }
}

fn video_and_content_enabled(features: &Value) -> (bool, bool) {
    let enabled = |channel: &str| features[channel]["MaxResolution"].as_str() != Some("None");
    (enabled("Video"), enabled("Content"))
}

/// The rule the service applies to `capabilities` in a meeting with `features`.
fn refusal(features: &Value, capabilities: &Value) -> Option<Rule> {
    let index = |member: &str| {
        let value = capabilities[member].as_str()?;
        VALUES.iter().position(|v| *v == value)
    };
    let (video_enabled, content_enabled) = video_and_content_enabled(features);
    // A value the seeds do not name is one a newer service knows: nothing refuses it.
    let (video, content) = (index("Video")?, index("Content")?);
    super::expected_rule(video_enabled, content_enabled, video, content)
}

/// The capabilities the seeds give an attendee created without any.
fn default_capabilities(features: &Value) -> Value {
    let (video, content) = match video_and_content_enabled(features) {
        (true, true) => ("SendReceive", "SendReceive"),
        (true, false) => ("SendReceive", "None"),
        (false, true) => ("Receive", "SendReceive"),
        (false, false) => ("None", "None"),
    };
    json!({"Audio": "SendReceive", "Video": video, "Content": content})
}

fn meeting_json(id: &str, meeting: &Meeting) -> Value {
    json!({
        "MeetingId": id,
        "ExternalMeetingId": meeting.external_meeting_id,
        "MediaRegion": "us-east-1",
        "MeetingFeatures": meeting.features,
    })
}

fn attendee_json(id: &str, attendee: &Attendee) -> Value {
    json!({
        "AttendeeId": id,
        "ExternalUserId": attendee.external_user_id,
        "JoinToken": "join-token",
        "Capabilities": attendee.capabilities,
    })
}

/// A lower-case GUID no other meeting or attendee of this process has. The fixed
/// `fa4e` group gives every id letters whatever the process id, so tests of case
/// handling always have something to change.
fn new_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("{:08x}-fa4e-4000-8000-{n:012x}", std::process::id())
}

impl State {
    fn route(&mut self, method: &str, path: &str, query: &str, body: &Value) -> Reply {
        let segments: Vec<String> = path
            .trim_matches('/')
            .split('/')
            .map(str::to_ascii_lowercase)
            .collect();
        let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
        match (method, segments.as_slice(), query) {
            ("POST", ["meetings"], "") => self.create_meeting(body, false),
            ("POST", ["meetings"], "operation=create-attendees") => self.create_meeting(body, true),
            ("GET", ["meetings", m], _) => self.with_meeting(m, |id, meeting| {
                (200, Some(json!({"Meeting": meeting_json(id, meeting)})))
            }),
            ("DELETE", ["meetings", m], _) => match self.meetings.remove(*m) {
                Some(_) => (204, None),
                None => not_found("meeting"),
            },
            ("POST", ["meetings", m, "attendees"], "") => {
                self.with_meeting(m, |_, meeting| match create_attendee(meeting, body) {
                    Ok(created) => (200, Some(json!({"Attendee": created}))),
                    Err(rule) => bad_request(format!("refused by {rule}")),
                })
            }
            ("POST", ["meetings", m, "attendees"], "operation=batch-create") => {
                self.with_meeting(m, |_, meeting| batch_create(meeting, &body["Attendees"]))
            }
            ("GET", ["meetings", m, "attendees"], _) => self.with_meeting(m, |_, meeting| {
                let attendees: Vec<Value> = meeting
                    .attendees
                    .iter()
                    .map(|(id, a)| attendee_json(id, a))
                    .collect();
                (200, Some(json!({"Attendees": attendees})))
            }),
            ("GET", ["meetings", m, "attendees", a], _) => {
                self.with_meeting(m, |_, meeting| match meeting.attendees.get(*a) {
                    Some(attendee) => (200, Some(json!({"Attendee": attendee_json(a, attendee)}))),
                    None => not_found("attendee"),
                })
            }
            ("DELETE", ["meetings", m, "attendees", a], _) => {
                self.with_meeting(m, |_, meeting| match meeting.attendees.remove(*a) {
                    Some(_) => (204, None),
                    None => not_found("attendee"),
                })
            }
            (
                "PUT",
                ["meetings", m, "attendees", "capabilities"],
                "operation=batch-update-except",
            ) => self.with_meeting(m, |_, meeting| batch_update(meeting, body)),
            ("PUT", ["meetings", m, "attendees", a, "capabilities"], _) => {
                self.with_meeting(m, |_, meeting| {
                    let capabilities = &body["Capabilities"];
                    if let Some(rule) = refusal(&meeting.features, capabilities) {
                        return bad_request(format!("refused by {rule}"));
                    }
                    match meeting.attendees.get_mut(*a) {
                        Some(attendee) => {
                            attendee.capabilities = capabilities.clone();
                            (200, Some(json!({"Attendee": attendee_json(a, attendee)})))
                        }
                        None => not_found("attendee"),
                    }
                })
            }
            _ => bad_request(format!(
                "the fake service does not know {method} {path}?{query}"
            )),
        }
    }

    fn with_meeting(&mut self, id: &str, f: impl FnOnce(&str, &mut Meeting) -> Reply) -> Reply {
        match self.meetings.get_mut(id) {
            Some(meeting) => f(id, meeting),
            None => not_found("meeting"),
        }
    }

    fn create_meeting(&mut self, body: &Value, with_attendees: bool) -> Reply {
        let id = new_id();
        let mut meeting = Meeting {
            features: body["MeetingFeatures"].clone(),
            external_meeting_id: body["ExternalMeetingId"]
                .as_str()
                .unwrap_or_default()
                .into(),
            ..Meeting::default()
        };
        if !with_attendees {
            let reply = json!({"Meeting": meeting_json(&id, &meeting)});
            self.meetings.insert(id, meeting);
            return (200, Some(reply));
        }
        let (status, mut reply) = batch_create(&mut meeting, &body["Attendees"]);
        if let Some(reply) = &mut reply {
            reply["Meeting"] = meeting_json(&id, &meeting);
        }
        self.meetings.insert(id, meeting);
        (status, reply)
    }
}

/// Creates one attendee of `item` (`ExternalUserId`, `Capabilities`): its JSON, or
/// the rule that refused it.
fn create_attendee(meeting: &mut Meeting, item: &Value) -> Result<Value, Rule> {
    // The defaults are never refused (even the video `Receive` of a meeting without
    // video, which a request could not ask for).
    let capabilities = match &item["Capabilities"] {
        Value::Null => default_capabilities(&meeting.features),
        given => match refusal(&meeting.features, given) {
            Some(rule) => return Err(rule),
            None => given.clone(),
        },
    };
    let id = new_id();
    let attendee = Attendee {
        external_user_id: item["ExternalUserId"].as_str().unwrap_or_default().into(),
        capabilities,
    };
    let created = attendee_json(&id, &attendee);
    meeting.attendees.insert(id, attendee);
    Ok(created)
}

fn batch_create(meeting: &mut Meeting, items: &Value) -> Reply {
    let (mut created, mut errors) = (Vec::new(), Vec::new());
    for item in items.as_array().map(Vec::as_slice).unwrap_or_default() {
        match create_attendee(meeting, item) {
            Ok(attendee) => created.push(attendee),
            Err(rule) => errors.push(json!({
                "ExternalUserId": item["ExternalUserId"],
                "ErrorCode": "BadRequest",
                "ErrorMessage": format!("refused by {rule}"),
            })),
        }
    }
    (200, Some(json!({"Attendees": created, "Errors": errors})))
}

fn batch_update(meeting: &mut Meeting, body: &Value) -> Reply {
    let excluded: Vec<String> = body["ExcludedAttendeeIds"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|item| Some(item["AttendeeId"].as_str()?.to_ascii_lowercase()))
        .collect();
    if !(1..=250).contains(&excluded.len()) {
        return bad_request("ExcludedAttendeeIds must list 1 to 250 attendees");
    }
    let capabilities = &body["Capabilities"];
    if let Some(rule) = refusal(&meeting.features, capabilities) {
        return bad_request(format!("refused by {rule}"));
    }
    if excluded
        .iter()
        .any(|id| !meeting.attendees.contains_key(id))
    {
        return not_found("excluded attendee");
    }
    for (id, attendee) in meeting.attendees.iter_mut() {
        if !excluded.contains(id) {
            attendee.capabilities = capabilities.clone();
        }
    }
    (200, None)
}
