//! An oracle for the capability rules that owes nothing to `chime_caps::rules`: the
//! sentences of the seed documents (`../shared/seeds/`) spelled out here, and every
//! capability value (Audio × Video × Content, the values listed in the official model)
//! against every shape of meeting features (no `MeetingFeatures`; `Video` and
//! `Content` each absent, present without `MaxResolution`, or set to each resolution
//! the official model lists), for the five operations that carry capabilities.
//!
//! Two judges are held to it, accepts as strictly as refusals:
//!
//! * the validating `chime_caps::Client`, which learned the meeting's features by
//!   creating it: a request the oracle refuses must fail locally naming one of the
//!   broken rules and send nothing; one it accepts must be sent;
//! * the emulator alone, through the plain generated client: a refused request must be
//!   `400 BadRequestException` (or, for the two batch creations, an entry in `Errors`)
//!   naming one of the broken rules and change nothing; an accepted one must succeed and
//!   store exactly the requested capabilities.

use crate::support;

use std::collections::BTreeSet;
use std::error::Error;
use std::sync::Arc;

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_types::retry::RetryConfig;
use chime_caps::client::{Customization, CustomizedClient};
use chime_caps::emulator::Emulator;
use chime_caps::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use chime_caps::operation::batch_create_attendee::builders::BatchCreateAttendeeFluentBuilder;
use chime_caps::operation::batch_update_attendee_capabilities_except::builders::BatchUpdateAttendeeCapabilitiesExceptFluentBuilder;
use chime_caps::operation::create_attendee::builders::CreateAttendeeFluentBuilder;
use chime_caps::operation::create_meeting_with_attendees::builders::CreateMeetingWithAttendeesFluentBuilder;
use chime_caps::operation::update_attendee_capabilities::builders::UpdateAttendeeCapabilitiesFluentBuilder;
use chime_caps::rules::Rule;
use chime_caps::types::{
    Attendee, AttendeeCapabilities, ContentFeatures, ContentResolution, CreateAttendeeError,
    MediaCapabilities, MeetingFeaturesConfiguration, VideoFeatures, VideoResolution,
};
use chime_caps::validation::{CapabilityErrorExt, ValidationMode};
use serde_json::Value;
use support::service::FakeService;
use support::{item, new_attendee, unique_token};
use tokio::sync::Semaphore;
use tokio::task::JoinSet;

// ---------------------------------------------------------------------------------
// The seed sentences
// ---------------------------------------------------------------------------------

/// The corner cases both seed documents list (`000_…` for
/// `update_attendee_capabilities`, `001_…` for
/// `batch_update_attendee_capabilities_except`), in our words. Each refuses a request
/// with HTTP 400.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Sentence {
    /// First corner case: when the meeting was created with the video feature's
    /// `MaxResolution` set to `None`, any request asking for a video capability of
    /// `SendReceive`, `Send` or `Receive` is refused.
    VideoOff,
    /// Second corner case: the same for the content feature and the content capability.
    ContentOff,
    /// Third corner case: content may be `SendReceive` or `Receive` only if video is
    /// `SendReceive` or `Receive` too; video `Receive` with content that does not
    /// receive is explicitly allowed.
    ContentNeedsVideo,
}

impl Sentence {
    /// The name this crate gives the rule (the only thing taken from `rules`).
    fn rule(self) -> Rule {
        match self {
            Sentence::VideoOff => Rule::VideoDisabled,
            Sentence::ContentOff => Rule::ContentDisabled,
            Sentence::ContentNeedsVideo => Rule::ContentNeedsVideo,
        }
    }
}

/// How a meeting sets one feature's maximum resolution when it is created.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Setting {
    /// `MeetingFeatures` has no `Video` (or `Content`) member.
    MemberAbsent,
    /// The member is there, without `MaxResolution`.
    NoMaxResolution,
    /// `MaxResolution` is this value, as on the wire.
    Max(&'static str),
}

/// The meeting features a meeting is created with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Features {
    /// No `MeetingFeatures` at all.
    Absent,
    /// `MeetingFeatures` with these `Video` and `Content` members.
    Set { video: Setting, content: Setting },
}

impl Features {
    fn video(self) -> Setting {
        match self {
            Features::Absent => Setting::MemberAbsent,
            Features::Set { video, .. } => video,
        }
    }

    fn content(self) -> Setting {
        match self {
            Features::Absent => Setting::MemberAbsent,
            Features::Set { content, .. } => content,
        }
    }
}

/// Requested capabilities, as the wire spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Requested {
    audio: &'static str,
    video: &'static str,
    content: &'static str,
}

/// The sentences a request breaks (none: the request is accepted). No sentence
/// refuses anything because of audio: its two audio sentences only say what an
/// accepted change does.
fn broken_sentences(features: Features, requested: Requested) -> BTreeSet<Sentence> {
    const SEND_RECEIVE_OR_RECEIVE: [&str; 2] = ["SendReceive", "Receive"];
    const SEND_RECEIVE_SEND_OR_RECEIVE: [&str; 3] = ["SendReceive", "Send", "Receive"];
    let created_with_none = |resolution: Setting| resolution == Setting::Max("None");

    let mut broken = BTreeSet::new();
    if created_with_none(features.video())
        && SEND_RECEIVE_SEND_OR_RECEIVE.contains(&requested.video)
    {
        broken.insert(Sentence::VideoOff);
    }
    if created_with_none(features.content())
        && SEND_RECEIVE_SEND_OR_RECEIVE.contains(&requested.content)
    {
        broken.insert(Sentence::ContentOff);
    }
    if SEND_RECEIVE_OR_RECEIVE.contains(&requested.content)
        && !SEND_RECEIVE_OR_RECEIVE.contains(&requested.video)
    {
        broken.insert(Sentence::ContentNeedsVideo);
    }
    broken
}

/// The capabilities `001_…` (fourth corner case) promises an attendee created without
/// any: in a meeting whose video `MaxResolution` is `None` and whose content
/// `MaxResolution` is set to something else, video `Receive` and content
/// `SendReceive`. The seeds say nothing of the other meetings' defaults, nor of audio.
fn documented_default(features: Features) -> Option<(&'static str, &'static str)> {
    let content_set_to_other_than_none =
        matches!(features.content(), Setting::Max(value) if value != "None");
    (features.video() == Setting::Max("None") && content_set_to_other_than_none)
        .then_some(("Receive", "SendReceive"))
}

/// The oracle, read back against rows worked out by hand from the sentences, so that
/// a slip in its spelling cannot go unnoticed.
#[test]
fn the_oracle_matches_rows_read_from_the_seeds() {
    use Sentence::{ContentNeedsVideo, ContentOff, VideoOff};
    use Setting::{Max, MemberAbsent, NoMaxResolution};
    let set = |video, content| Features::Set { video, content };
    #[rustfmt::skip]
    let rows: [(Features, [&str; 3], &[Sentence], &str); 14] = [
        (set(Max("None"), Max("FHD")), ["SendReceive", "Receive", "None"], &[VideoOff], "video off: Receive is refused"),
        (set(Max("None"), Max("FHD")), ["SendReceive", "Send", "None"], &[VideoOff], "video off: Send is refused"),
        (set(Max("None"), Max("FHD")), ["SendReceive", "None", "Send"], &[], "content Send needs no video"),
        (set(Max("None"), Max("FHD")), ["None", "None", "Receive"], &[ContentNeedsVideo], "receiving content needs receiving video"),
        (set(Max("HD"), Max("None")), ["Receive", "Receive", "Receive"], &[ContentOff], "content off: Receive is refused"),
        (set(Max("HD"), Max("None")), ["Receive", "Receive", "None"], &[], "video Receive with content None is allowed"),
        (set(Max("None"), Max("None")), ["None", "Send", "Send"], &[VideoOff, ContentOff], "both off"),
        (set(Max("None"), Max("None")), ["SendReceive", "None", "None"], &[], "audio is never refused"),
        (set(Max("None"), Max("None")), ["None", "None", "SendReceive"], &[ContentOff, ContentNeedsVideo], "two sentences at once"),
        (set(MemberAbsent, MemberAbsent), ["None", "Send", "SendReceive"], &[ContentNeedsVideo], "video Send does not receive"),
        (set(NoMaxResolution, Max("UHD")), ["Send", "Receive", "SendReceive"], &[], "video Receive lets content receive"),
        (set(NoMaxResolution, NoMaxResolution), ["None", "SendReceive", "Receive"], &[], "an unset resolution disables nothing"),
        (Features::Absent, ["SendReceive", "SendReceive", "SendReceive"], &[], "no features: everything on"),
        (set(Max("FHD"), Max("FHD")), ["SendReceive", "Send", "Receive"], &[ContentNeedsVideo], "only Receive/SendReceive video counts"),
    ];
    for (features, [audio, video, content], want, why) in rows {
        let requested = Requested {
            audio,
            video,
            content,
        };
        let got: Vec<Sentence> = broken_sentences(features, requested).into_iter().collect();
        assert_eq!(got, want, "{why}: {features:?} {requested:?}");
    }
    assert_eq!(
        documented_default(set(Max("None"), Max("UHD"))),
        Some(("Receive", "SendReceive"))
    );
    assert_eq!(documented_default(set(Max("None"), Max("None"))), None);
    assert_eq!(documented_default(set(Max("None"), NoMaxResolution)), None);
    assert_eq!(documented_default(set(Max("HD"), Max("FHD"))), None);
}

// ---------------------------------------------------------------------------------
// The cross product, with value lists from the official model
// ---------------------------------------------------------------------------------

/// The `enumValue`s of the enums the oracle ranges over, read from the official model
/// (not from the generated crate), in model order.
struct OfficialValues {
    media_capabilities: Vec<String>,
    video_resolutions: Vec<String>,
    content_resolutions: Vec<String>,
}

fn official() -> &'static OfficialValues {
    static VALUES: std::sync::OnceLock<OfficialValues> = std::sync::OnceLock::new();
    VALUES.get_or_init(|| {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../shared/models/chime-sdk-meetings.json");
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read the official model {}: {e}", path.display()));
        let model: Value = serde_json::from_str(&text).expect("the official model is JSON");
        let values = |shape: &str| -> Vec<String> {
            let members = model["shapes"][format!("com.amazonaws.chimesdkmeetings#{shape}")]
                ["members"]
                .as_object()
                .unwrap_or_else(|| panic!("{shape} is not an enum of the official model"));
            members
                .values()
                .map(|m| {
                    let value = m["traits"]["smithy.api#enumValue"].as_str();
                    value.expect("an enumValue").to_owned()
                })
                .collect()
        };
        OfficialValues {
            media_capabilities: values("MediaCapabilities"),
            video_resolutions: values("VideoResolution"),
            content_resolutions: values("ContentResolution"),
        }
    })
}

fn strs(values: &'static [String]) -> impl Iterator<Item = &'static str> {
    values.iter().map(String::as_str)
}

/// Every way of setting one feature: absent, without a value, or each of `values`.
fn resolutions(values: &'static [String]) -> Vec<Setting> {
    [Setting::MemberAbsent, Setting::NoMaxResolution]
        .into_iter()
        .chain(strs(values).map(Setting::Max))
        .collect()
}

/// Every combination of requested capabilities with this video and content.
fn every_audio(video: &'static str, content: &'static str) -> Vec<Requested> {
    strs(&official().media_capabilities)
        .map(|audio| Requested {
            audio,
            video,
            content,
        })
        .collect()
}

fn meeting_features(features: Features) -> Option<MeetingFeaturesConfiguration> {
    let Features::Set { video, content } = features else {
        return None;
    };
    let video = match video {
        Setting::MemberAbsent => None,
        Setting::NoMaxResolution => Some(VideoFeatures::builder().build()),
        Setting::Max(value) => Some(
            VideoFeatures::builder()
                .max_resolution(VideoResolution::from(value))
                .build(),
        ),
    };
    let content = match content {
        Setting::MemberAbsent => None,
        Setting::NoMaxResolution => Some(ContentFeatures::builder().build()),
        Setting::Max(value) => Some(
            ContentFeatures::builder()
                .max_resolution(ContentResolution::from(value))
                .build(),
        ),
    };
    Some(
        MeetingFeaturesConfiguration::builder()
            .set_video(video)
            .set_content(content)
            .build(),
    )
}

fn capabilities(requested: Requested) -> AttendeeCapabilities {
    support::caps(
        MediaCapabilities::from(requested.audio),
        MediaCapabilities::from(requested.video),
        MediaCapabilities::from(requested.content),
    )
}

// ---------------------------------------------------------------------------------
// The five operations, built the same way for both judges
// ---------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operation {
    UpdateAttendeeCapabilities,
    BatchUpdateAttendeeCapabilitiesExcept,
    CreateAttendee,
    BatchCreateAttendee,
    CreateMeetingWithAttendees,
}

const OPERATIONS: [Operation; 5] = [
    Operation::UpdateAttendeeCapabilities,
    Operation::BatchUpdateAttendeeCapabilitiesExcept,
    Operation::CreateAttendee,
    Operation::BatchCreateAttendee,
    Operation::CreateMeetingWithAttendees,
];

impl Operation {
    /// Where a refusal names the offending attendee: the two batch creations carry
    /// the requested capabilities in their second item (the first asks for none).
    fn item(self) -> Option<usize> {
        matches!(
            self,
            Operation::BatchCreateAttendee | Operation::CreateMeetingWithAttendees
        )
        .then_some(1)
    }
}

/// A meeting on one side with the attendees the calls need.
#[derive(Debug, Clone)]
struct Meeting {
    features: Features,
    id: String,
    /// The attendee `UpdateAttendeeCapabilities` changes.
    target: Attendee,
    /// The attendee `BatchUpdateAttendeeCapabilitiesExcept` leaves alone, and the
    /// first item of `BatchCreateAttendee` (its `ExternalUserId` again).
    bystander: Attendee,
}

fn attendee_id(attendee: &Attendee) -> &str {
    attendee.attendee_id.as_deref().expect("an attendee id")
}

fn external_user_id(attendee: &Attendee) -> &str {
    attendee
        .external_user_id
        .as_deref()
        .expect("an external user id")
}

fn update<C: Customization>(
    client: &CustomizedClient<C>,
    m: &Meeting,
    caps: AttendeeCapabilities,
) -> UpdateAttendeeCapabilitiesFluentBuilder {
    client
        .update_attendee_capabilities()
        .meeting_id(&m.id)
        .attendee_id(attendee_id(&m.target))
        .capabilities(caps)
}

fn batch_update<C: Customization>(
    client: &CustomizedClient<C>,
    m: &Meeting,
    caps: AttendeeCapabilities,
) -> BatchUpdateAttendeeCapabilitiesExceptFluentBuilder {
    client
        .batch_update_attendee_capabilities_except()
        .meeting_id(&m.id)
        .excluded_attendee_ids(item(attendee_id(&m.bystander)))
        .capabilities(caps)
}

fn create<C: Customization>(
    client: &CustomizedClient<C>,
    m: &Meeting,
    caps: Option<AttendeeCapabilities>,
) -> CreateAttendeeFluentBuilder {
    client
        .create_attendee()
        .meeting_id(&m.id)
        .external_user_id(unique_token())
        .set_capabilities(caps)
}

/// The bystander again (the service answers it unchanged), then a new attendee.
fn batch_create<C: Customization>(
    client: &CustomizedClient<C>,
    m: &Meeting,
    caps: Option<AttendeeCapabilities>,
) -> BatchCreateAttendeeFluentBuilder {
    client
        .batch_create_attendee()
        .meeting_id(&m.id)
        .attendees(new_attendee(external_user_id(&m.bystander), None))
        .attendees(new_attendee(&unique_token(), caps))
}

/// A new meeting with `features`, a first attendee without capabilities and a second
/// one with `caps`.
fn create_with_attendees<C: Customization>(
    client: &CustomizedClient<C>,
    features: Features,
    caps: Option<AttendeeCapabilities>,
) -> CreateMeetingWithAttendeesFluentBuilder {
    client
        .create_meeting_with_attendees()
        .client_request_token(unique_token())
        .media_region("us-east-1")
        .external_meeting_id("oracle")
        .set_meeting_features(meeting_features(features))
        .attendees(new_attendee(&unique_token(), None))
        .attendees(new_attendee(&unique_token(), caps))
}

/// Creates a meeting with `features` and its two attendees through `client`.
async fn meeting<C: Customization>(client: &CustomizedClient<C>, features: Features) -> Meeting {
    let id = client
        .create_meeting()
        .client_request_token(unique_token())
        .media_region("us-east-1")
        .external_meeting_id("oracle")
        .set_meeting_features(meeting_features(features))
        .send()
        .await
        .unwrap_or_else(|e| panic!("CreateMeeting {features:?}: {}", DisplayErrorContext(e)))
        .meeting
        .and_then(|m| m.meeting_id)
        .expect("a meeting id");
    let mut attendees = Vec::new();
    for _ in 0..2 {
        let attendee = client
            .create_attendee()
            .meeting_id(&id)
            .external_user_id(unique_token())
            .send()
            .await
            .unwrap_or_else(|e| panic!("CreateAttendee {features:?}: {}", DisplayErrorContext(e)))
            .attendee
            .expect("an attendee");
        attendees.push(attendee);
    }
    let bystander = attendees.pop().expect("two attendees");
    let target = attendees.pop().expect("two attendees");
    Meeting {
        features,
        id,
        target,
        bystander,
    }
}

// ---------------------------------------------------------------------------------
// Verdicts
// ---------------------------------------------------------------------------------

/// What a judge said about one request.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Verdict {
    Accepted,
    /// Refused for this rule (for the client: the item the violation names).
    Refused(Rule, Option<usize>),
}

/// Whether `verdict` is the oracle's answer to `requested` in `op`.
fn agrees(
    op: Operation,
    features: Features,
    requested: Requested,
    verdict: &Verdict,
) -> Result<(), String> {
    let broken = broken_sentences(features, requested);
    let allowed: Vec<Rule> = broken.iter().map(|s| s.rule()).collect();
    match verdict {
        Verdict::Accepted if broken.is_empty() => Ok(()),
        Verdict::Refused(rule, item) if allowed.contains(rule) && *item == op.item() => Ok(()),
        _ if broken.is_empty() => Err(format!("refused what the seeds accept: {verdict:?}")),
        _ => Err(format!(
            "the seeds refuse it for {broken:?} (rule {allowed:?} at item {:?}), got {verdict:?}",
            op.item()
        )),
    }
}

/// The rule a service error names, if it is a `400 BadRequestException` naming one.
fn refusal_by_service<E: ProvideErrorMetadata + Error + 'static>(
    err: &SdkError<E, HttpResponse>,
) -> Result<Rule, String> {
    let Some(service) = err.as_service_error() else {
        return Err(format!("no service answer: {}", DisplayErrorContext(err)));
    };
    let status = err.raw_response().map(|r| r.status().as_u16());
    if service.code() != Some("BadRequestException") || status != Some(400) {
        return Err(format!(
            "expected 400 BadRequestException, got {status:?} {:?}",
            service.code()
        ));
    }
    rule_named_in(service.message().unwrap_or_default())
}

/// The one rule a refusal's message names.
fn rule_named_in(message: &str) -> Result<Rule, String> {
    let named: Vec<Rule> = Rule::ALL
        .into_iter()
        .filter(|r| message.contains(r.as_str()))
        .collect();
    match named.as_slice() {
        [rule] => Ok(*rule),
        _ => Err(format!(
            "the message names {named:?}, not one rule: {message}"
        )),
    }
}

/// The emulator's verdict on a batch creation: the second item created with exactly
/// the requested capabilities, or listed in `Errors` with a rule.
fn batch_item_verdict(
    attendees: &[Attendee],
    errors: &[CreateAttendeeError],
    expected_first: Option<&str>,
    requested: Option<&AttendeeCapabilities>,
) -> Result<(Verdict, Option<Attendee>), String> {
    if let Some(first) = expected_first {
        let answered = attendees.first().and_then(|a| a.attendee_id.as_deref());
        if answered != Some(first) {
            return Err(format!(
                "the repeated first item should answer {first}, got {answered:?}"
            ));
        }
    }
    match (attendees, errors) {
        ([_, second], []) => {
            if second.capabilities.as_ref() != requested && requested.is_some() {
                return Err(format!("accepted, but stored {:?}", second.capabilities));
            }
            Ok((Verdict::Accepted, Some(second.clone())))
        }
        ([_], [error]) => {
            if error.error_code.as_deref() != Some("BadRequest") {
                return Err(format!("item refused with {error:?}"));
            }
            let rule = rule_named_in(error.error_message.as_deref().unwrap_or_default())?;
            Ok((Verdict::Refused(rule, Some(1)), None))
        }
        _ => Err(format!(
            "expected two attendees, or one and one error; got {attendees:?} and {errors:?}"
        )),
    }
}

// ---------------------------------------------------------------------------------
// The judges
// ---------------------------------------------------------------------------------

/// What the client did with one call: refused it locally (the rule and item), or not.
type LocalRefusal = Option<(Rule, Option<usize>)>;

fn local_refusal<T, E: Error + 'static>(
    result: Result<T, SdkError<E, HttpResponse>>,
) -> LocalRefusal {
    let err = result.err()?;
    let violation = err.as_capability_violation()?;
    Some((violation.rule, violation.item))
}

/// The validating client against a stand-in service that only counts requests: its
/// verdict is whether it refused a call locally (sending nothing) or sent it (whatever
/// the stand-in then answers).
struct ClientJudge {
    service: FakeService,
    client: chime_caps::Client,
}

impl ClientJudge {
    fn new() -> Self {
        let service = FakeService::new();
        let client = service.client_in(ValidationMode::Enforce);
        ClientJudge { service, client }
    }

    async fn judge(
        &self,
        op: Operation,
        m: &Meeting,
        caps: Option<AttendeeCapabilities>,
    ) -> Result<Verdict, String> {
        let c = &self.client;
        let before = self.service.requests_served();
        let with_caps = || caps.clone().expect("capabilities for this operation");
        let refusal = match op {
            Operation::UpdateAttendeeCapabilities => {
                local_refusal(update(c, m, with_caps()).send().await)
            }
            Operation::BatchUpdateAttendeeCapabilitiesExcept => {
                local_refusal(batch_update(c, m, with_caps()).send().await)
            }
            Operation::CreateAttendee => local_refusal(create(c, m, caps.clone()).send().await),
            Operation::BatchCreateAttendee => {
                local_refusal(batch_create(c, m, caps.clone()).send().await)
            }
            Operation::CreateMeetingWithAttendees => local_refusal(
                create_with_attendees(c, m.features, caps.clone())
                    .send()
                    .await,
            ),
        };
        let sent = self.service.requests_served() - before;
        match (refusal, sent) {
            (Some((rule, item)), 0) => Ok(Verdict::Refused(rule, item)),
            (None, 1) => Ok(Verdict::Accepted),
            (refusal, sent) => Err(format!(
                "local refusal {refusal:?}, yet {sent} request(s) sent"
            )),
        }
    }
}

/// The emulator, judging alone: the plain generated client, one attempt per call.
struct EmulatorJudge {
    client: chime_caps_generated::Client,
}

impl EmulatorJudge {
    fn new(emulator: &Emulator) -> Self {
        let config = chime_caps_generated::config::Builder::from(&emulator.client_config())
            .retry_config(RetryConfig::disabled())
            .build();
        EmulatorJudge {
            client: chime_caps_generated::Client::from_conf(config),
        }
    }

    /// The emulator's verdict; an accepted call must have stored exactly `caps`
    /// (or, for a creation without capabilities, the documented default).
    async fn judge(
        &self,
        op: Operation,
        m: &Meeting,
        caps: Option<AttendeeCapabilities>,
    ) -> Result<Verdict, String> {
        let c = &self.client;
        let with_caps = || caps.clone().expect("capabilities for this operation");
        let created = match op {
            Operation::UpdateAttendeeCapabilities => {
                return match update(c, m, with_caps()).send().await {
                    Ok(out) => {
                        let stored = out.attendee.and_then(|a| a.capabilities);
                        expect_stored(stored.as_ref(), caps.as_ref())
                    }
                    Err(e) => refused(&e, None),
                };
            }
            Operation::BatchUpdateAttendeeCapabilitiesExcept => {
                return match batch_update(c, m, with_caps()).send().await {
                    Ok(_) => self.check_batch_update(m, &with_caps()).await,
                    Err(e) => refused(&e, None),
                };
            }
            Operation::CreateAttendee => match create(c, m, caps.clone()).send().await {
                Ok(out) => out.attendee.ok_or("no attendee in the answer")?,
                Err(e) => return refused(&e, None),
            },
            Operation::BatchCreateAttendee => {
                let out = batch_create(c, m, caps.clone())
                    .send()
                    .await
                    .map_err(|e| format!("the call failed: {}", DisplayErrorContext(e)))?;
                let (verdict, second) = batch_item_verdict(
                    out.attendees(),
                    out.errors(),
                    Some(attendee_id(&m.bystander)),
                    caps.as_ref(),
                )?;
                match second {
                    Some(attendee) => attendee,
                    None => return Ok(verdict),
                }
            }
            Operation::CreateMeetingWithAttendees => {
                let out = create_with_attendees(c, m.features, caps.clone())
                    .send()
                    .await
                    .map_err(|e| format!("the call failed: {}", DisplayErrorContext(e)))?;
                let echoed = out
                    .meeting
                    .as_ref()
                    .and_then(|m| m.meeting_features.clone());
                if echoed != meeting_features(m.features) {
                    return Err(format!("the meeting was created with {echoed:?}"));
                }
                let (verdict, second) =
                    batch_item_verdict(out.attendees(), out.errors(), None, caps.as_ref())?;
                match second {
                    Some(attendee) => attendee,
                    None => return Ok(verdict),
                }
            }
        };
        match &caps {
            Some(_) => expect_stored(created.capabilities.as_ref(), caps.as_ref()),
            None => expect_default(m.features, created.capabilities.as_ref()),
        }
    }

    /// After an accepted batch update: the target has the capabilities, the excluded
    /// bystander still has its own.
    async fn check_batch_update(
        &self,
        m: &Meeting,
        caps: &AttendeeCapabilities,
    ) -> Result<Verdict, String> {
        let listed = self
            .client
            .list_attendees()
            .meeting_id(&m.id)
            .send()
            .await
            .map_err(|e| format!("ListAttendees failed: {}", DisplayErrorContext(e)))?;
        let of = |who: &Attendee| {
            listed
                .attendees()
                .iter()
                .find(|a| a.attendee_id == who.attendee_id)
                .and_then(|a| a.capabilities.clone())
        };
        if of(&m.target).as_ref() != Some(caps) {
            return Err(format!("accepted, but the target has {:?}", of(&m.target)));
        }
        if of(&m.bystander) != m.bystander.capabilities {
            return Err(format!(
                "accepted, but the excluded attendee changed to {:?}",
                of(&m.bystander)
            ));
        }
        Ok(Verdict::Accepted)
    }
}

fn refused<E: ProvideErrorMetadata + Error + 'static>(
    err: &SdkError<E, HttpResponse>,
    item: Option<usize>,
) -> Result<Verdict, String> {
    refusal_by_service(err).map(|rule| Verdict::Refused(rule, item))
}

fn expect_stored(
    stored: Option<&AttendeeCapabilities>,
    requested: Option<&AttendeeCapabilities>,
) -> Result<Verdict, String> {
    if stored == requested {
        Ok(Verdict::Accepted)
    } else {
        Err(format!("accepted, but stored {stored:?}"))
    }
}

/// An attendee created without capabilities: the default the seeds document, where
/// they document one.
fn expect_default(
    features: Features,
    stored: Option<&AttendeeCapabilities>,
) -> Result<Verdict, String> {
    let Some(stored) = stored else {
        return Err("created without capabilities in the answer".into());
    };
    match documented_default(features) {
        Some((video, content))
            if stored.video.as_str() != video || stored.content.as_str() != content =>
        {
            Err(format!(
                "the seeds give video {video} and content {content} by default, got {stored:?}"
            ))
        }
        _ => Ok(Verdict::Accepted),
    }
}

// ---------------------------------------------------------------------------------
// The runs
// ---------------------------------------------------------------------------------

/// Both judges on every requested capability set with `video` and `content` (every
/// audio value), in a meeting with `features`; returns the disagreements. The client
/// judge is the group's own, so that its request count is the group's.
async fn judge_group(
    emulator_judge: Arc<EmulatorJudge>,
    features: Features,
    video: &'static str,
    content: &'static str,
) -> Vec<String> {
    let client_judge = ClientJudge::new();
    let client_meeting = meeting(&client_judge.client, features).await;
    let emulator_meeting = meeting(&emulator_judge.client, features).await;
    let mut disagreements = Vec::new();
    for requested in every_audio(video, content) {
        for op in OPERATIONS {
            let caps = Some(capabilities(requested));
            let verdicts = [
                (
                    "client",
                    client_judge.judge(op, &client_meeting, caps.clone()).await,
                ),
                (
                    "emulator",
                    emulator_judge.judge(op, &emulator_meeting, caps).await,
                ),
            ];
            for (judge, verdict) in verdicts {
                let outcome = verdict.and_then(|v| agrees(op, features, requested, &v));
                if let Err(why) = outcome {
                    disagreements.push(format!(
                        "{judge}, {op:?}, meeting {features:?}, request {requested:?}: {why}"
                    ));
                }
            }
        }
    }
    disagreements
}

/// Every requested capability set in every meeting whose video feature is one of
/// `videos` (`None`: meetings without `MeetingFeatures`), both judges, all five
/// operations; panics listing every disagreement.
async fn cross_product(videos: Option<Vec<Setting>>) {
    let emulator = support::emulator().await;
    let emulator_judge = Arc::new(EmulatorJudge::new(&emulator));
    let meetings: Vec<Features> = match videos {
        None => vec![Features::Absent],
        Some(videos) => videos
            .into_iter()
            .flat_map(|video| {
                resolutions(&official().content_resolutions)
                    .into_iter()
                    .map(move |content| Features::Set { video, content })
            })
            .collect(),
    };
    let media: Vec<&str> = strs(&official().media_capabilities).collect();
    // Groups in flight at once: each holds connections to the emulator, and all of them
    // together exceeded its limit of 256 connections (503s after the retries).
    let in_flight = Arc::new(Semaphore::new(16));
    let mut groups = JoinSet::new();
    for features in meetings {
        for &video in &media {
            for &content in &media {
                let permit = in_flight.clone();
                let emulator_judge = emulator_judge.clone();
                groups.spawn(async move {
                    let _permit = permit.acquire_owned().await.expect("never closed");
                    judge_group(emulator_judge, features, video, content).await
                });
            }
        }
    }
    let mut disagreements = Vec::new();
    let mut judged = 0;
    while let Some(group) = groups.join_next().await {
        disagreements.extend(group.expect("a group ran to the end"));
        judged += 1;
    }
    assert!(judged > 0);
    emulator.shutdown().await;
    assert!(
        disagreements.is_empty(),
        "{} disagreement(s) with the seeds, e.g.:\n{}",
        disagreements.len(),
        disagreements
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn meetings_without_meeting_features() {
    cross_product(None).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn meetings_without_a_video_resolution() {
    cross_product(Some(vec![Setting::MemberAbsent, Setting::NoMaxResolution])).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn meetings_with_video_disabled() {
    let listed = &official().video_resolutions;
    assert!(listed.iter().any(|v| v == "None"), "{listed:?}");
    cross_product(Some(vec![Setting::Max("None")])).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn meetings_with_each_other_video_resolution_of_the_model() {
    let others: Vec<Setting> = strs(&official().video_resolutions)
        .filter(|v| *v != "None")
        .map(Setting::Max)
        .collect();
    assert!(!others.is_empty());
    cross_product(Some(others)).await;
}

/// Attendees created without capabilities, in every meeting shape: always accepted,
/// with the documented default where the seeds give one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creations_without_capabilities() {
    let emulator = support::emulator().await;
    let client_judge = ClientJudge::new();
    let emulator_judge = EmulatorJudge::new(&emulator);
    let video_resolutions = resolutions(&official().video_resolutions);
    let shapes =
        std::iter::once(Features::Absent).chain(video_resolutions.iter().flat_map(|&video| {
            resolutions(&official().content_resolutions)
                .into_iter()
                .map(move |content| Features::Set { video, content })
        }));
    let mut disagreements = Vec::new();
    let mut documented = 0;
    for features in shapes {
        documented += usize::from(documented_default(features).is_some());
        let client_meeting = meeting(&client_judge.client, features).await;
        let emulator_meeting = meeting(&emulator_judge.client, features).await;
        for op in [
            Operation::CreateAttendee,
            Operation::BatchCreateAttendee,
            Operation::CreateMeetingWithAttendees,
        ] {
            let verdicts = [
                (
                    "client",
                    client_judge.judge(op, &client_meeting, None).await,
                ),
                (
                    "emulator",
                    emulator_judge.judge(op, &emulator_meeting, None).await,
                ),
            ];
            for (judge, verdict) in verdicts {
                match verdict {
                    Ok(Verdict::Accepted) => {}
                    other => {
                        disagreements.push(format!("{judge}, {op:?}, {features:?}: {other:?}"))
                    }
                }
            }
        }
    }
    emulator.shutdown().await;
    // Video None with content FHD or UHD.
    assert_eq!(documented, 2);
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}
