//! The emulator's in-memory state and the logic of every operation.
//!
//! Handlers receive inputs that already passed the model's constraints (see
//! `routes`). State is one `RwLock`ed map from meeting id to a `Mutex`ed meeting
//! record: each operation on a meeting holds that meeting's lock for its whole
//! read-check-write, so concurrent requests never lose updates and
//! `BatchUpdateAttendeeCapabilitiesExcept` changes every attendee at once.

use std::collections::hash_map::RandomState;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, Hasher};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};

use chime_caps_generated::operation::batch_update_attendee_capabilities_except::BatchUpdateAttendeeCapabilitiesExceptInput;
use chime_caps_generated::operation::create_attendee::{CreateAttendeeInput, CreateAttendeeOutput};
use chime_caps_generated::operation::create_meeting::{CreateMeetingInput, CreateMeetingOutput};
use chime_caps_generated::operation::delete_attendee::DeleteAttendeeInput;
use chime_caps_generated::operation::delete_meeting::DeleteMeetingInput;
use chime_caps_generated::operation::get_attendee::{GetAttendeeInput, GetAttendeeOutput};
use chime_caps_generated::operation::get_meeting::{GetMeetingInput, GetMeetingOutput};
use chime_caps_generated::operation::list_attendees::{ListAttendeesInput, ListAttendeesOutput};
use chime_caps_generated::operation::update_attendee_capabilities::{
    UpdateAttendeeCapabilitiesInput, UpdateAttendeeCapabilitiesOutput,
};
use chime_caps_generated::types::{
    Attendee, ContentResolution, MediaPlacement, Meeting, MeetingFeaturesConfiguration,
    VideoResolution,
};

use super::server::new_request_id;
use crate::rules;

/// Media regions `CreateMeeting` accepts.
pub const MEDIA_REGIONS: &[&str] = &[
    "af-south-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ca-central-1",
    "eu-central-1",
    "eu-north-1",
    "eu-south-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-gov-east-1",
    "us-gov-west-1",
    "us-west-1",
    "us-west-2",
];

/// Attendee cap of a meeting that sets no `MeetingFeatures.Attendee.MaxCount`.
pub const DEFAULT_MAX_ATTENDEES: usize = 250;
/// Attendee cap of such a meeting when it uses FHD video or UHD content.
pub const HIGH_RESOLUTION_MAX_ATTENDEES: usize = 25;
/// `ListAttendees` page size when `max-results` is not given (the model's maximum).
pub const DEFAULT_PAGE_SIZE: usize = 100;

/// What `BatchUpdateAttendeeCapabilitiesExcept` does with an excluded id that is not
/// an attendee of the meeting. The service documentation does not say; the emulator
/// refuses by default, the stricter answer, so that a typo in an id is noticed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum UnknownExcludedIds {
    /// `404 NotFoundException` naming the unknown ids; nothing changes.
    #[default]
    Reject,
    /// The unknown ids are ignored: every attendee not excluded is changed.
    Ignore,
}

/// A modelled error answer: HTTP status, `x-amzn-ErrorType` and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ServiceError {
    pub(crate) status: u16,
    pub(crate) error_type: &'static str,
    pub(crate) message: String,
}

impl ServiceError {
    /// `status` with `x-amzn-ErrorType: error_type`.
    pub(crate) fn new(status: u16, error_type: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            error_type,
            message: message.into(),
        }
    }

    /// `400 BadRequestException`.
    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::new(400, "BadRequestException", message)
    }

    /// `404 NotFoundException`.
    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::new(404, "NotFoundException", message)
    }

    /// `400 LimitExceededException`.
    fn limit_exceeded(message: impl Into<String>) -> Self {
        Self::new(400, "LimitExceededException", message)
    }

    /// `500 ServiceFailureException`.
    pub(crate) fn service_failure(message: impl Into<String>) -> Self {
        Self::new(500, "ServiceFailureException", message)
    }
}

impl From<rules::CapabilityViolation> for ServiceError {
    fn from(violation: rules::CapabilityViolation) -> Self {
        ServiceError::bad_request(violation.to_string())
    }
}

/// The value of a member the constraints already required (a defensive 400 otherwise).
fn required<T>(value: Option<T>, member: &str) -> Result<T, ServiceError> {
    value.ok_or_else(|| ServiceError::bad_request(format!("`{member}` is required.")))
}

/// Ids are handed out in lowercase; lookups accept any case, as the GUID pattern does.
fn normalize_id(id: &str) -> String {
    id.to_ascii_lowercase()
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every update below is a single assignment or push, so a panic cannot leave a
    // record half-written; keep serving after one.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

struct AttendeeRecord {
    /// Creation order; `ListAttendees` pages by it.
    seq: u64,
    attendee: Attendee,
}

struct MeetingRecord {
    meeting: Meeting,
    attendees: Vec<AttendeeRecord>,
    next_seq: u64,
    /// What the capability rules need of `meeting.meeting_features`.
    features: rules::MeetingFeatures,
    /// Set by `DeleteMeeting`, for requests that fetched the record just before.
    deleted: bool,
    max_attendees: usize,
}

impl MeetingRecord {
    /// Index of the attendee with this id (any case).
    fn position(&self, attendee_id: &str) -> Option<usize> {
        let wanted = normalize_id(attendee_id);
        self.attendees
            .iter()
            .position(|a| a.attendee.attendee_id.as_deref() == Some(wanted.as_str()))
    }

    /// Index of the attendee with this id, or the `404` naming it.
    fn index(&self, meeting_id: &str, attendee_id: &str) -> Result<usize, ServiceError> {
        self.position(attendee_id)
            .ok_or_else(|| attendee_not_found(meeting_id, attendee_id))
    }

    fn attendee_mut(
        &mut self,
        meeting_id: &str,
        attendee_id: &str,
    ) -> Result<&mut Attendee, ServiceError> {
        let at = self.index(meeting_id, attendee_id)?;
        Ok(&mut self.attendees[at].attendee)
    }
}

fn meeting_not_found(meeting_id: &str) -> ServiceError {
    ServiceError::not_found(format!("The meeting {meeting_id} does not exist."))
}

fn attendee_not_found(meeting_id: &str, attendee_id: &str) -> ServiceError {
    ServiceError::not_found(format!(
        "The attendee {attendee_id} does not exist in meeting {meeting_id}."
    ))
}

/// The emulated service: every meeting and attendee, in memory.
pub(crate) struct Service {
    region: String,
    account_id: String,
    unknown_excluded_ids: UnknownExcludedIds,
    meetings: RwLock<HashMap<String, Arc<Mutex<MeetingRecord>>>>,
    /// `ClientRequestToken` → meeting id, for idempotent `CreateMeeting`.
    meeting_tokens: Mutex<HashMap<String, String>>,
}

impl Service {
    /// An empty service in `region` (used in meeting ARNs) for `account_id`.
    pub(crate) fn new(
        region: impl Into<String>,
        account_id: impl Into<String>,
        unknown_excluded_ids: UnknownExcludedIds,
    ) -> Self {
        Service {
            region: region.into(),
            account_id: account_id.into(),
            unknown_excluded_ids,
            meetings: RwLock::default(),
            meeting_tokens: Mutex::default(),
        }
    }

    fn record(&self, meeting_id: &str) -> Result<Arc<Mutex<MeetingRecord>>, ServiceError> {
        let meetings = self.meetings.read().unwrap_or_else(PoisonError::into_inner);
        meetings
            .get(&normalize_id(meeting_id))
            .cloned()
            .ok_or_else(|| meeting_not_found(meeting_id))
    }

    /// Runs `f` with the meeting's record locked.
    fn with_meeting<T>(
        &self,
        meeting_id: &str,
        f: impl FnOnce(&mut MeetingRecord) -> Result<T, ServiceError>,
    ) -> Result<T, ServiceError> {
        let record = self.record(meeting_id)?;
        let mut guard = lock(&record);
        if guard.deleted {
            return Err(meeting_not_found(meeting_id));
        }
        f(&mut guard)
    }

    pub(crate) fn create_meeting(
        &self,
        input: CreateMeetingInput,
    ) -> Result<CreateMeetingOutput, ServiceError> {
        let token = required(input.client_request_token, "ClientRequestToken")?;
        let media_region = required(input.media_region, "MediaRegion")?;
        if !MEDIA_REGIONS.contains(&media_region.as_str()) {
            return Err(ServiceError::bad_request(format!(
                "The media region '{media_region}' is not supported; use one of {}.",
                MEDIA_REGIONS.join(", ")
            )));
        }
        let max_attendees = max_attendees(input.meeting_features.as_ref())?;

        // Held until the meeting is stored, so one token never creates two meetings.
        let mut tokens = lock(&self.meeting_tokens);
        if let Some(existing) = tokens.get(&token) {
            if let Ok(record) = self.record(existing) {
                let meeting = lock(&record).meeting.clone();
                return Ok(CreateMeetingOutput::builder().meeting(meeting).build());
            }
        }
        let meeting_id = new_request_id();
        let meeting = Meeting::builder()
            .meeting_id(&meeting_id)
            .set_meeting_host_id(input.meeting_host_id)
            .set_external_meeting_id(input.external_meeting_id)
            .media_region(&media_region)
            .media_placement(media_placement(&media_region, &meeting_id))
            .set_meeting_features(input.meeting_features)
            .set_primary_meeting_id(input.primary_meeting_id)
            .set_tenant_ids(input.tenant_ids)
            .meeting_arn(format!(
                "arn:{}:chime:{}:{}:meeting/{meeting_id}",
                partition(&self.region),
                self.region,
                self.account_id
            ))
            .build();
        let record = MeetingRecord {
            features: rules::MeetingFeatures::of_meeting(&meeting),
            meeting: meeting.clone(),
            attendees: Vec::new(),
            next_seq: 1,
            deleted: false,
            max_attendees,
        };
        self.meetings
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(meeting_id.clone(), Arc::new(Mutex::new(record)));
        tokens.insert(token, meeting_id);
        Ok(CreateMeetingOutput::builder().meeting(meeting).build())
    }

    pub(crate) fn get_meeting(
        &self,
        input: GetMeetingInput,
    ) -> Result<GetMeetingOutput, ServiceError> {
        let meeting_id = required(input.meeting_id, "MeetingId")?;
        self.with_meeting(&meeting_id, |m| {
            Ok(GetMeetingOutput::builder()
                .meeting(m.meeting.clone())
                .build())
        })
    }

    pub(crate) fn delete_meeting(&self, input: DeleteMeetingInput) -> Result<(), ServiceError> {
        let meeting_id = required(input.meeting_id, "MeetingId")?;
        let removed = self
            .meetings
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&normalize_id(&meeting_id))
            .ok_or_else(|| meeting_not_found(&meeting_id))?;
        lock(&removed).deleted = true;
        Ok(())
    }

    pub(crate) fn create_attendee(
        &self,
        input: CreateAttendeeInput,
    ) -> Result<CreateAttendeeOutput, ServiceError> {
        let meeting_id = required(input.meeting_id, "MeetingId")?;
        let external_user_id = required(input.external_user_id, "ExternalUserId")?;
        self.with_meeting(&meeting_id, |m| {
            // ExternalUserId is the idempotency key within a meeting.
            if let Some(existing) = m
                .attendees
                .iter()
                .find(|a| a.attendee.external_user_id.as_deref() == Some(&external_user_id))
            {
                return Ok(CreateAttendeeOutput::builder()
                    .attendee(existing.attendee.clone())
                    .build());
            }
            let capabilities = match input.capabilities {
                Some(requested) => {
                    rules::check(Some(&m.features), &requested)?;
                    requested
                }
                None => rules::default_capabilities(&m.features),
            };
            if m.attendees.len() >= m.max_attendees {
                return Err(ServiceError::limit_exceeded(format!(
                    "The meeting {meeting_id} already has its maximum of {} attendees.",
                    m.max_attendees
                )));
            }
            let attendee_id = new_request_id();
            let attendee = Attendee::builder()
                .attendee_id(&attendee_id)
                .external_user_id(external_user_id)
                .join_token(join_token(&attendee_id))
                .capabilities(capabilities)
                .build();
            let seq = m.next_seq;
            m.next_seq += 1;
            m.attendees.push(AttendeeRecord {
                seq,
                attendee: attendee.clone(),
            });
            Ok(CreateAttendeeOutput::builder().attendee(attendee).build())
        })
    }

    pub(crate) fn get_attendee(
        &self,
        input: GetAttendeeInput,
    ) -> Result<GetAttendeeOutput, ServiceError> {
        let meeting_id = required(input.meeting_id, "MeetingId")?;
        let attendee_id = required(input.attendee_id, "AttendeeId")?;
        self.with_meeting(&meeting_id, |m| {
            let attendee = m.attendee_mut(&meeting_id, &attendee_id)?;
            Ok(GetAttendeeOutput::builder()
                .attendee(attendee.clone())
                .build())
        })
    }

    pub(crate) fn list_attendees(
        &self,
        input: ListAttendeesInput,
    ) -> Result<ListAttendeesOutput, ServiceError> {
        let meeting_id = required(input.meeting_id, "MeetingId")?;
        let page_size = input
            .max_results
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(DEFAULT_PAGE_SIZE);
        self.with_meeting(&meeting_id, |m| {
            let id = m.meeting.meeting_id.clone().unwrap_or_default();
            let after = match &input.next_token {
                Some(token) => decode_page_token(token, &id)?,
                None => 0,
            };
            let mut rest = m.attendees.iter().filter(|a| a.seq > after).peekable();
            let mut page = Vec::new();
            let mut last_seq = after;
            while page.len() < page_size {
                let Some(record) = rest.next() else { break };
                page.push(record.attendee.clone());
                last_seq = record.seq;
            }
            let next_token = rest
                .peek()
                .is_some()
                .then(|| encode_page_token(&id, last_seq));
            Ok(ListAttendeesOutput::builder()
                .set_attendees(Some(page))
                .set_next_token(next_token)
                .build())
        })
    }

    pub(crate) fn delete_attendee(&self, input: DeleteAttendeeInput) -> Result<(), ServiceError> {
        let meeting_id = required(input.meeting_id, "MeetingId")?;
        let attendee_id = required(input.attendee_id, "AttendeeId")?;
        self.with_meeting(&meeting_id, |m| {
            let at = m.index(&meeting_id, &attendee_id)?;
            m.attendees.remove(at);
            Ok(())
        })
    }

    pub(crate) fn update_attendee_capabilities(
        &self,
        input: UpdateAttendeeCapabilitiesInput,
    ) -> Result<UpdateAttendeeCapabilitiesOutput, ServiceError> {
        let meeting_id = required(input.meeting_id, "MeetingId")?;
        let attendee_id = required(input.attendee_id, "AttendeeId")?;
        let capabilities = required(input.capabilities, "Capabilities")?;
        self.with_meeting(&meeting_id, |m| {
            rules::check(Some(&m.features), &capabilities)?;
            let attendee = m.attendee_mut(&meeting_id, &attendee_id)?;
            attendee.capabilities = Some(capabilities);
            Ok(UpdateAttendeeCapabilitiesOutput::builder()
                .attendee(attendee.clone())
                .build())
        })
    }

    pub(crate) fn batch_update_attendee_capabilities_except(
        &self,
        input: BatchUpdateAttendeeCapabilitiesExceptInput,
    ) -> Result<(), ServiceError> {
        let meeting_id = required(input.meeting_id, "MeetingId")?;
        let excluded = required(input.excluded_attendee_ids, "ExcludedAttendeeIds")?;
        let capabilities = required(input.capabilities, "Capabilities")?;
        let excluded: HashSet<String> = excluded
            .iter()
            .map(|item| normalize_id(&item.attendee_id))
            .collect();
        self.with_meeting(&meeting_id, |m| {
            rules::check(Some(&m.features), &capabilities)?;
            let mut unknown: Vec<&str> = excluded
                .iter()
                .filter(|id| m.position(id).is_none())
                .map(String::as_str)
                .collect();
            if !unknown.is_empty() && self.unknown_excluded_ids == UnknownExcludedIds::Reject {
                unknown.sort_unstable();
                return Err(ServiceError::not_found(format!(
                    "ExcludedAttendeeIds names attendees that are not in meeting {meeting_id}: {}. \
                     No capabilities were changed.",
                    unknown.join(", ")
                )));
            }
            for record in &mut m.attendees {
                let id = record.attendee.attendee_id.as_deref().unwrap_or_default();
                if !excluded.contains(id) {
                    record.attendee.capabilities = Some(capabilities.clone());
                }
            }
            Ok(())
        })
    }
}

/// The attendee cap a meeting is created with.
fn max_attendees(features: Option<&MeetingFeaturesConfiguration>) -> Result<usize, ServiceError> {
    let explicit = features
        .and_then(|f| f.attendee.as_ref())
        .and_then(|a| a.max_count);
    if let Some(n) = explicit {
        // The model's range (1..=250) was checked already.
        return usize::try_from(n).map_err(|_| {
            ServiceError::bad_request("`MeetingFeatures.Attendee.MaxCount` must be positive.")
        });
    }
    let high_resolution = features.is_some_and(|f| {
        f.video.as_ref().and_then(|v| v.max_resolution.as_ref()) == Some(&VideoResolution::Fhd)
            || f.content.as_ref().and_then(|c| c.max_resolution.as_ref())
                == Some(&ContentResolution::Uhd)
    });
    Ok(if high_resolution {
        HIGH_RESOLUTION_MAX_ATTENDEES
    } else {
        DEFAULT_MAX_ATTENDEES
    })
}

/// The ARN partition of a region.
fn partition(region: &str) -> &'static str {
    if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("cn-") {
        "aws-cn"
    } else {
        "aws"
    }
}

/// `us-east-1` → `ue1`, `us-gov-west-1` → `ugw1`: the short region code of media hosts.
fn region_code(region: &str) -> String {
    region
        .split('-')
        .map(|part| match part.parse::<u32>() {
            Ok(_) => part,
            Err(_) => part.get(..1).unwrap_or_default(),
        })
        .collect()
}

/// Media URLs shaped like the service's; they point at nothing reachable.
fn media_placement(media_region: &str, meeting_id: &str) -> MediaPlacement {
    let code = region_code(media_region);
    let host = meeting_id.get(..8).unwrap_or(meeting_id);
    MediaPlacement::builder()
        .audio_host_url(format!("{host}.k.m1.{code}.app.chime.aws:3478"))
        .audio_fallback_url(format!(
            "wss://haxrp.m1.{code}.app.chime.aws:443/calls/{meeting_id}"
        ))
        .signaling_url(format!(
            "wss://signal.m1.{code}.app.chime.aws/control/{meeting_id}"
        ))
        .turn_control_url(format!(
            "https://2713.cell.{media_region}.meetings.chime.aws/v2/turn_sessions"
        ))
        .screen_data_url(format!(
            "wss://bitpw.m1.{code}.app.chime.aws:443/v2/screen/{meeting_id}"
        ))
        .screen_viewing_url(format!(
            "wss://bitpw.m1.{code}.app.chime.aws:443/ws/connect?passcode=null&viewer_uuid=null&X-BitHub-Call-Id={meeting_id}"
        ))
        .screen_sharing_url(format!(
            "wss://bitpw.m1.{code}.app.chime.aws:443/v2/screen/{meeting_id}"
        ))
        .event_ingestion_url(format!(
            "https://data.svc.{code}.ingest.chime.aws/v1/client-events"
        ))
        .build()
}

/// A fresh join token: 48 unpredictable bytes (from the standard library's randomly
/// keyed hasher), base64-encoded.
fn join_token(attendee_id: &str) -> String {
    let mut bytes = Vec::with_capacity(48);
    for chunk in 0u8..6 {
        let mut hasher = RandomState::new().build_hasher();
        hasher.write(attendee_id.as_bytes());
        hasher.write_u8(chunk);
        bytes.extend_from_slice(&hasher.finish().to_le_bytes());
    }
    aws_smithy_types::base64::encode(bytes)
}

/// `ListAttendees` continuation: the meeting and the last attendee returned.
fn encode_page_token(meeting_id: &str, last_seq: u64) -> String {
    aws_smithy_types::base64::encode(format!("{meeting_id}/{last_seq}"))
}

fn decode_page_token(token: &str, meeting_id: &str) -> Result<u64, ServiceError> {
    let invalid = || {
        ServiceError::bad_request(
            "The next-token is not valid for this meeting; pass the NextToken returned by the \
             previous ListAttendees call, or omit it to start from the first page.",
        )
    };
    let bytes = aws_smithy_types::base64::decode(token).map_err(|_| invalid())?;
    let text = String::from_utf8(bytes).map_err(|_| invalid())?;
    let (id, seq) = text.split_once('/').ok_or_else(invalid)?;
    if id != meeting_id {
        return Err(invalid());
    }
    seq.parse().map_err(|_| invalid())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn region_codes_abbreviate_each_word() {
        assert_eq!(region_code("us-east-1"), "ue1");
        assert_eq!(region_code("ap-northeast-2"), "an2");
        assert_eq!(region_code("us-gov-west-1"), "ugw1");
    }

    #[test]
    fn page_tokens_round_trip_and_are_bound_to_their_meeting() {
        let token = encode_page_token("m-1", 42);
        assert_eq!(decode_page_token(&token, "m-1"), Ok(42));
        assert_eq!(decode_page_token(&token, "m-2").unwrap_err().status, 400);
        for bad in ["", "???", "bm90LWEtdG9rZW4="] {
            assert_eq!(
                decode_page_token(bad, "m-1").unwrap_err().status,
                400,
                "{bad}"
            );
        }
    }

    #[test]
    fn join_tokens_differ() {
        let a = join_token("x");
        let b = join_token("x");
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
    }

    #[test]
    fn attendee_cap_follows_resolution() {
        let fhd = MeetingFeaturesConfiguration::builder()
            .video(
                chime_caps_generated::types::VideoFeatures::builder()
                    .max_resolution(VideoResolution::Fhd)
                    .build(),
            )
            .build();
        assert_eq!(max_attendees(None), Ok(DEFAULT_MAX_ATTENDEES));
        assert_eq!(max_attendees(Some(&fhd)), Ok(HIGH_RESOLUTION_MAX_ATTENDEES));
        let explicit = MeetingFeaturesConfiguration::builder()
            .attendee(
                chime_caps_generated::types::AttendeeFeatures::builder()
                    .max_count(3)
                    .build(),
            )
            .build();
        assert_eq!(max_attendees(Some(&explicit)), Ok(3));
    }
}
