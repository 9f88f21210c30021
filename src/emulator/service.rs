//! The emulator's in-memory state and the logic of every operation.
//!
//! Handlers receive inputs that already passed the model's constraints and enum
//! values (see `routes`). State is one `RwLock`ed map from meeting id to a `Mutex`ed
//! meeting record holding its attendees, tags and transcription: each operation on a
//! meeting holds that meeting's lock for its whole read-check-write, so concurrent
//! requests never lose updates, and the batch operations change every attendee at once.

use std::collections::hash_map::RandomState;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasher, Hasher};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, RwLock};

use chime_caps_generated::operation::batch_create_attendee::{
    BatchCreateAttendeeInput, BatchCreateAttendeeOutput,
};
use chime_caps_generated::operation::batch_update_attendee_capabilities_except::{
    BatchUpdateAttendeeCapabilitiesExceptInput, BatchUpdateAttendeeCapabilitiesExceptOutput,
};
use chime_caps_generated::operation::create_attendee::{CreateAttendeeInput, CreateAttendeeOutput};
use chime_caps_generated::operation::create_meeting::{CreateMeetingInput, CreateMeetingOutput};
use chime_caps_generated::operation::create_meeting_with_attendees::{
    CreateMeetingWithAttendeesInput, CreateMeetingWithAttendeesOutput,
};
use chime_caps_generated::operation::delete_attendee::{DeleteAttendeeInput, DeleteAttendeeOutput};
use chime_caps_generated::operation::delete_meeting::{DeleteMeetingInput, DeleteMeetingOutput};
use chime_caps_generated::operation::get_attendee::{GetAttendeeInput, GetAttendeeOutput};
use chime_caps_generated::operation::get_meeting::{GetMeetingInput, GetMeetingOutput};
use chime_caps_generated::operation::list_attendees::{ListAttendeesInput, ListAttendeesOutput};
use chime_caps_generated::operation::list_tags_for_resource::{
    ListTagsForResourceInput, ListTagsForResourceOutput,
};
use chime_caps_generated::operation::start_meeting_transcription::{
    StartMeetingTranscriptionInput, StartMeetingTranscriptionOutput,
};
use chime_caps_generated::operation::stop_meeting_transcription::{
    StopMeetingTranscriptionInput, StopMeetingTranscriptionOutput,
};
use chime_caps_generated::operation::tag_resource::{TagResourceInput, TagResourceOutput};
use chime_caps_generated::operation::untag_resource::{UntagResourceInput, UntagResourceOutput};
use chime_caps_generated::operation::update_attendee_capabilities::{
    UpdateAttendeeCapabilitiesInput, UpdateAttendeeCapabilitiesOutput,
};
use chime_caps_generated::types::{
    Attendee, AttendeeCapabilities, ContentResolution, CreateAttendeeError,
    CreateAttendeeRequestItem, MediaPlacement, Meeting, MeetingFeaturesConfiguration, Tag,
    TranscriptionConfiguration, VideoResolution,
};

use super::server::{error_code, new_request_id};
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
/// Most tags a meeting carries; more is `TooManyTagsException`.
pub const MAX_TAGS: usize = 50;

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

/// What `StartMeetingTranscription` does on a meeting that is already being
/// transcribed, and `StopMeetingTranscription` on one that is not. The service
/// documentation does not say for the API; its meeting events describe a start on a
/// transcribed meeting as an update of the configuration, so the emulator accepts
/// both repeats by default, which also makes a retried call harmless.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RepeatedTranscriptionCalls {
    /// A start replaces the running configuration; a stop of nothing succeeds and
    /// changes nothing.
    #[default]
    Accept,
    /// Both are refused with `422 UnprocessableEntityException`; nothing changes.
    Reject,
}

/// How much an emulator holds: what its memory grows with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StateSummary {
    /// Meetings not deleted.
    pub meetings: usize,
    /// Attendees of those meetings.
    pub attendees: usize,
    /// `ClientRequestToken`s remembered for idempotent meeting creation (one per
    /// meeting: a deleted meeting's token is forgotten with it).
    pub client_request_tokens: usize,
}

/// The behaviours a user may switch where the service documentation is silent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Choices {
    pub(crate) unknown_excluded_ids: UnknownExcludedIds,
    pub(crate) repeated_transcription_calls: RepeatedTranscriptionCalls,
}

/// A modelled error answer: HTTP status, `x-amzn-ErrorType`, message, and for the
/// tagging errors the ARN (`ResourceName`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ServiceError {
    pub(crate) status: u16,
    pub(crate) error_type: &'static str,
    pub(crate) message: String,
    pub(crate) resource_name: Option<String>,
}

impl ServiceError {
    /// `status` with `x-amzn-ErrorType: error_type`.
    pub(crate) fn new(status: u16, error_type: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            error_type,
            message: message.into(),
            resource_name: None,
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

    /// `422 UnprocessableEntityException`.
    fn unprocessable(message: impl Into<String>) -> Self {
        Self::new(422, "UnprocessableEntityException", message)
    }

    /// `404 ResourceNotFoundException` naming `arn`.
    fn resource_not_found(arn: &str) -> Self {
        Self {
            resource_name: Some(arn.to_owned()),
            ..Self::new(
                404,
                "ResourceNotFoundException",
                format!("No meeting of this emulator has the ARN {arn}."),
            )
        }
    }

    /// `400 TooManyTagsException` naming `arn`.
    fn too_many_tags(arn: &str, count: usize) -> Self {
        Self {
            resource_name: Some(arn.to_owned()),
            ..Self::new(
                400,
                "TooManyTagsException",
                format!(
                    "The meeting would carry {count} tags, more than the {MAX_TAGS} allowed; \
                     no tag was changed. Remove tags with UntagResource first."
                ),
            )
        }
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
    // Every update below is checked first and then applied without a fallible step,
    // so a panic cannot leave a record half-written; keep serving after one.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

struct AttendeeRecord {
    /// Creation order; `ListAttendees` pages by it.
    seq: u64,
    attendee: Attendee,
}

/// What creating an attendee would do, decided before anything changes.
enum Admission {
    /// An attendee with this `ExternalUserId` exists: it is the answer, unchanged.
    Existing(Attendee),
    /// A new attendee with these capabilities.
    New {
        external_user_id: String,
        capabilities: AttendeeCapabilities,
    },
}

struct MeetingRecord {
    meeting: Meeting,
    /// The `ClientRequestToken` it was created with, forgotten with the meeting.
    client_request_token: String,
    attendees: Vec<AttendeeRecord>,
    next_seq: u64,
    /// What the capability rules need of `meeting.meeting_features`.
    features: rules::MeetingFeatures,
    /// Set by `DeleteMeeting`, for requests that fetched the record just before.
    deleted: bool,
    max_attendees: usize,
    /// The running transcription's configuration.
    transcription: Option<TranscriptionConfiguration>,
    /// Key → value; listed in key order.
    tags: BTreeMap<String, String>,
}

impl MeetingRecord {
    fn id(&self) -> &str {
        self.meeting.meeting_id.as_deref().unwrap_or_default()
    }

    /// Index of the attendee with this id (any case).
    fn position(&self, attendee_id: &str) -> Option<usize> {
        let wanted = normalize_id(attendee_id);
        self.attendees
            .iter()
            .position(|a| a.attendee.attendee_id.as_deref() == Some(wanted.as_str()))
    }

    /// Index of the attendee with this id, or the `404` naming it.
    fn index(&self, attendee_id: &str) -> Result<usize, ServiceError> {
        self.position(attendee_id)
            .ok_or_else(|| attendee_not_found(self.id(), attendee_id))
    }

    fn attendee_mut(&mut self, attendee_id: &str) -> Result<&mut Attendee, ServiceError> {
        let at = self.index(attendee_id)?;
        Ok(&mut self.attendees[at].attendee)
    }

    /// `CreateAttendee`'s checks: `ExternalUserId` is the idempotency key within a
    /// meeting (a repeat returns the attendee unchanged, whatever it asks for), and
    /// requested capabilities must pass the rules.
    fn admission(
        &self,
        external_user_id: String,
        requested: Option<AttendeeCapabilities>,
    ) -> Result<Admission, ServiceError> {
        if let Some(existing) = self
            .attendees
            .iter()
            .find(|a| a.attendee.external_user_id.as_deref() == Some(&external_user_id))
        {
            return Ok(Admission::Existing(existing.attendee.clone()));
        }
        let capabilities = match requested {
            Some(requested) => {
                rules::check(Some(&self.features), &requested)?;
                requested
            }
            None => rules::default_capabilities(&self.features),
        };
        Ok(Admission::New {
            external_user_id,
            capabilities,
        })
    }

    /// `LimitExceededException` unless `new` more attendees fit.
    fn ensure_room_for(&self, new: usize) -> Result<(), ServiceError> {
        if self.attendees.len() + new > self.max_attendees {
            return Err(ServiceError::limit_exceeded(format!(
                "Meeting {} holds at most {} attendees and has {}; {new} more do not fit, \
                 and none was added.",
                self.id(),
                self.max_attendees,
                self.attendees.len()
            )));
        }
        Ok(())
    }

    /// The attendee an admission stands for, created if it is new.
    fn admit(&mut self, admission: Admission) -> Attendee {
        match admission {
            Admission::Existing(attendee) => attendee,
            Admission::New {
                external_user_id,
                capabilities,
            } => {
                let attendee_id = new_request_id();
                let attendee = Attendee::builder()
                    .attendee_id(&attendee_id)
                    .external_user_id(external_user_id)
                    .join_token(join_token(&attendee_id))
                    .capabilities(capabilities)
                    .build();
                let seq = self.next_seq;
                self.next_seq += 1;
                self.attendees.push(AttendeeRecord {
                    seq,
                    attendee: attendee.clone(),
                });
                attendee
            }
        }
    }

    /// The batch rule of `BatchCreateAttendee` and `CreateMeetingWithAttendees`: each
    /// item is checked as `CreateAttendee` checks it, in request order; an item that
    /// fails a rule, or repeats an earlier item's `ExternalUserId`, goes to the
    /// errors and the others are created. When the attendees to create do not all
    /// fit in the meeting, the whole call is `LimitExceededException` and none is.
    fn add_attendees(
        &mut self,
        items: Vec<CreateAttendeeRequestItem>,
    ) -> Result<(Vec<Attendee>, Vec<CreateAttendeeError>), ServiceError> {
        let mut seen = HashSet::new();
        let mut admissions = Vec::new();
        let mut errors = Vec::new();
        for item in items {
            let user = item.external_user_id;
            if !seen.insert(user.clone()) {
                let repeat = ServiceError::bad_request(
                    "This ExternalUserId appears more than once in the request; only its first \
                     occurrence was used.",
                );
                errors.push(item_error(user, &repeat));
                continue;
            }
            match self.admission(user.clone(), item.capabilities) {
                Ok(admission) => admissions.push(admission),
                Err(e) => errors.push(item_error(user, &e)),
            }
        }
        let new = admissions
            .iter()
            .filter(|a| matches!(a, Admission::New { .. }))
            .count();
        self.ensure_room_for(new)?;
        let attendees = admissions.into_iter().map(|a| self.admit(a)).collect();
        Ok((attendees, errors))
    }
}

fn item_error(external_user_id: String, e: &ServiceError) -> CreateAttendeeError {
    CreateAttendeeError::builder()
        .external_user_id(external_user_id)
        .error_code(error_code(e.error_type))
        .error_message(e.message.clone())
        .build()
}

fn meeting_not_found(meeting_id: &str) -> ServiceError {
    ServiceError::not_found(format!("The meeting {meeting_id} does not exist."))
}

fn attendee_not_found(meeting_id: &str, attendee_id: &str) -> ServiceError {
    ServiceError::not_found(format!(
        "The attendee {attendee_id} does not exist in meeting {meeting_id}."
    ))
}

/// The members `CreateMeeting` and `CreateMeetingWithAttendees` share.
struct MeetingRequest {
    client_request_token: Option<String>,
    media_region: Option<String>,
    meeting_host_id: Option<String>,
    external_meeting_id: Option<String>,
    meeting_features: Option<MeetingFeaturesConfiguration>,
    primary_meeting_id: Option<String>,
    tenant_ids: Option<Vec<String>>,
    tags: Option<Vec<Tag>>,
}

/// Moves the shared members out of both inputs (`NotificationsConfiguration` is
/// accepted and not used: the emulator publishes no events).
macro_rules! meeting_request {
    ($input:expr) => {
        MeetingRequest {
            client_request_token: $input.client_request_token,
            media_region: $input.media_region,
            meeting_host_id: $input.meeting_host_id,
            external_meeting_id: $input.external_meeting_id,
            meeting_features: $input.meeting_features,
            primary_meeting_id: $input.primary_meeting_id,
            tenant_ids: $input.tenant_ids,
            tags: $input.tags,
        }
    };
}

/// The emulated service: every meeting and attendee, in memory.
pub(crate) struct Service {
    region: String,
    account_id: String,
    choices: Choices,
    meetings: RwLock<HashMap<String, Arc<Mutex<MeetingRecord>>>>,
    /// `ClientRequestToken` → meeting id, for idempotent meeting creation.
    meeting_tokens: Mutex<HashMap<String, String>>,
}

impl std::fmt::Debug for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Service")
            .field("region", &self.region)
            .field("account_id", &self.account_id)
            .field("choices", &self.choices)
            .finish_non_exhaustive()
    }
}

impl Service {
    /// An empty service in `region` (used in meeting ARNs) for `account_id`.
    pub(crate) fn new(
        region: impl Into<String>,
        account_id: impl Into<String>,
        choices: Choices,
    ) -> Self {
        Service {
            region: region.into(),
            account_id: account_id.into(),
            choices,
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

    /// The ARN prefix of this emulator's meetings; the meeting id follows it.
    fn meeting_arn_prefix(&self) -> String {
        format!(
            "arn:{}:chime:{}:{}:meeting/",
            partition(&self.region),
            self.region,
            self.account_id
        )
    }

    /// Runs `f` with the record of the meeting named by `arn` locked; any ARN that is
    /// not one of this emulator's live meetings is `ResourceNotFoundException`.
    fn with_meeting_arn<T>(
        &self,
        arn: &str,
        f: impl FnOnce(&mut MeetingRecord) -> Result<T, ServiceError>,
    ) -> Result<T, ServiceError> {
        let meeting_id = arn
            .strip_prefix(&self.meeting_arn_prefix())
            .ok_or_else(|| ServiceError::resource_not_found(arn))?;
        match self.with_meeting(meeting_id, f) {
            Err(e) if e.error_type == "NotFoundException" => {
                Err(ServiceError::resource_not_found(arn))
            }
            other => other,
        }
    }

    /// The configuration of the transcription running in a meeting, if any.
    pub(crate) fn transcription(&self, meeting_id: &str) -> Option<TranscriptionConfiguration> {
        self.with_meeting(meeting_id, |m| Ok(m.transcription.clone()))
            .ok()
            .flatten()
    }

    /// Finds the meeting of the request's `ClientRequestToken`, or creates it, and runs
    /// `f` on its record. A new meeting is stored only when `f` succeeds, so a
    /// refused call leaves nothing behind.
    fn create_or_find_meeting<T>(
        &self,
        request: MeetingRequest,
        f: impl FnOnce(&mut MeetingRecord) -> Result<T, ServiceError>,
    ) -> Result<T, ServiceError> {
        let token = required(request.client_request_token, "ClientRequestToken")?;
        let media_region = required(request.media_region, "MediaRegion")?;
        if !MEDIA_REGIONS.contains(&media_region.as_str()) {
            return Err(ServiceError::bad_request(format!(
                "The media region '{media_region}' is not supported; use one of {}.",
                MEDIA_REGIONS.join(", ")
            )));
        }
        let max_attendees = max_attendees(request.meeting_features.as_ref())?;
        let tags = tag_map(request.tags.unwrap_or_default())?;

        // Held until the meeting is stored, so one token never creates two meetings;
        // `DeleteMeeting` holds it too while it forgets the token with the meeting.
        let mut tokens = lock(&self.meeting_tokens);
        if let Some(existing) = tokens.get(&token) {
            let record = self.record(existing)?;
            let mut guard = lock(&record);
            return f(&mut guard);
        }
        let meeting_id = new_request_id();
        let meeting = Meeting::builder()
            .meeting_id(&meeting_id)
            .set_meeting_host_id(request.meeting_host_id)
            .set_external_meeting_id(request.external_meeting_id)
            .media_region(&media_region)
            .media_placement(media_placement(&media_region, &meeting_id))
            .set_meeting_features(request.meeting_features)
            .set_primary_meeting_id(request.primary_meeting_id)
            .set_tenant_ids(request.tenant_ids)
            .meeting_arn(format!("{}{meeting_id}", self.meeting_arn_prefix()))
            .build();
        let mut record = MeetingRecord {
            features: rules::MeetingFeatures::of_meeting(&meeting),
            meeting,
            client_request_token: token.clone(),
            attendees: Vec::new(),
            next_seq: 1,
            deleted: false,
            max_attendees,
            transcription: None,
            tags,
        };
        let answer = f(&mut record)?;
        self.meetings
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(meeting_id.clone(), Arc::new(Mutex::new(record)));
        tokens.insert(token, meeting_id);
        Ok(answer)
    }

    pub(crate) fn create_meeting(
        &self,
        input: CreateMeetingInput,
    ) -> Result<CreateMeetingOutput, ServiceError> {
        self.create_or_find_meeting(meeting_request!(input), |m| {
            Ok(CreateMeetingOutput::builder()
                .meeting(m.meeting.clone())
                .build())
        })
    }

    /// The meeting as `CreateMeeting` makes it, then its attendees by the batch rule
    /// ([`MeetingRecord::add_attendees`]), checked against the request's own
    /// `MeetingFeatures`. A repeat with the same `ClientRequestToken` returns the
    /// same meeting and, by `ExternalUserId`, the same attendees.
    pub(crate) fn create_meeting_with_attendees(
        &self,
        input: CreateMeetingWithAttendeesInput,
    ) -> Result<CreateMeetingWithAttendeesOutput, ServiceError> {
        let items = required(input.attendees, "Attendees")?;
        self.create_or_find_meeting(meeting_request!(input), |m| {
            let (attendees, errors) = m.add_attendees(items)?;
            Ok(CreateMeetingWithAttendeesOutput::builder()
                .meeting(m.meeting.clone())
                .set_attendees(Some(attendees))
                .set_errors(Some(errors))
                .build())
        })
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

    /// Removes the meeting with its attendees, tags, transcription and
    /// `ClientRequestToken` (a repeat of the token then creates a new meeting), so
    /// that a deleted meeting leaves nothing behind.
    pub(crate) fn delete_meeting(
        &self,
        input: DeleteMeetingInput,
    ) -> Result<DeleteMeetingOutput, ServiceError> {
        let meeting_id = required(input.meeting_id, "MeetingId")?;
        let mut tokens = lock(&self.meeting_tokens);
        let removed = self
            .meetings
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&normalize_id(&meeting_id))
            .ok_or_else(|| meeting_not_found(&meeting_id))?;
        let mut record = lock(&removed);
        record.deleted = true;
        tokens.remove(&record.client_request_token);
        Ok(DeleteMeetingOutput::builder().build())
    }

    /// How much the service holds now.
    pub(crate) fn state_summary(&self) -> StateSummary {
        let meetings: Vec<Arc<Mutex<MeetingRecord>>> = self
            .meetings
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .values()
            .cloned()
            .collect();
        StateSummary {
            meetings: meetings.len(),
            attendees: meetings.iter().map(|m| lock(m).attendees.len()).sum(),
            client_request_tokens: lock(&self.meeting_tokens).len(),
        }
    }

    pub(crate) fn create_attendee(
        &self,
        input: CreateAttendeeInput,
    ) -> Result<CreateAttendeeOutput, ServiceError> {
        let meeting_id = required(input.meeting_id, "MeetingId")?;
        let external_user_id = required(input.external_user_id, "ExternalUserId")?;
        self.with_meeting(&meeting_id, |m| {
            let admission = m.admission(external_user_id, input.capabilities)?;
            if matches!(admission, Admission::New { .. }) {
                m.ensure_room_for(1)?;
            }
            Ok(CreateAttendeeOutput::builder()
                .attendee(m.admit(admission))
                .build())
        })
    }

    pub(crate) fn batch_create_attendee(
        &self,
        input: BatchCreateAttendeeInput,
    ) -> Result<BatchCreateAttendeeOutput, ServiceError> {
        let meeting_id = required(input.meeting_id, "MeetingId")?;
        let items = required(input.attendees, "Attendees")?;
        self.with_meeting(&meeting_id, |m| {
            let (attendees, errors) = m.add_attendees(items)?;
            Ok(BatchCreateAttendeeOutput::builder()
                .set_attendees(Some(attendees))
                .set_errors(Some(errors))
                .build())
        })
    }

    pub(crate) fn get_attendee(
        &self,
        input: GetAttendeeInput,
    ) -> Result<GetAttendeeOutput, ServiceError> {
        let meeting_id = required(input.meeting_id, "MeetingId")?;
        let attendee_id = required(input.attendee_id, "AttendeeId")?;
        self.with_meeting(&meeting_id, |m| {
            let attendee = m.attendee_mut(&attendee_id)?;
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
            let id = m.id().to_owned();
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

    pub(crate) fn delete_attendee(
        &self,
        input: DeleteAttendeeInput,
    ) -> Result<DeleteAttendeeOutput, ServiceError> {
        let meeting_id = required(input.meeting_id, "MeetingId")?;
        let attendee_id = required(input.attendee_id, "AttendeeId")?;
        self.with_meeting(&meeting_id, |m| {
            let at = m.index(&attendee_id)?;
            m.attendees.remove(at);
            Ok(DeleteAttendeeOutput::builder().build())
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
            let attendee = m.attendee_mut(&attendee_id)?;
            attendee.capabilities = Some(capabilities);
            Ok(UpdateAttendeeCapabilitiesOutput::builder()
                .attendee(attendee.clone())
                .build())
        })
    }

    pub(crate) fn batch_update_attendee_capabilities_except(
        &self,
        input: BatchUpdateAttendeeCapabilitiesExceptInput,
    ) -> Result<BatchUpdateAttendeeCapabilitiesExceptOutput, ServiceError> {
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
            if !unknown.is_empty()
                && self.choices.unknown_excluded_ids == UnknownExcludedIds::Reject
            {
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
            Ok(BatchUpdateAttendeeCapabilitiesExceptOutput::builder().build())
        })
    }

    pub(crate) fn start_meeting_transcription(
        &self,
        input: StartMeetingTranscriptionInput,
    ) -> Result<StartMeetingTranscriptionOutput, ServiceError> {
        let meeting_id = required(input.meeting_id, "MeetingId")?;
        let configuration = required(
            input.transcription_configuration,
            "TranscriptionConfiguration",
        )?;
        check_transcription(&configuration)?;
        self.with_meeting(&meeting_id, |m| {
            if m.transcription.is_some()
                && self.choices.repeated_transcription_calls == RepeatedTranscriptionCalls::Reject
            {
                return Err(ServiceError::unprocessable(format!(
                    "Meeting {meeting_id} is already being transcribed; stop the transcription \
                     before starting another."
                )));
            }
            m.transcription = Some(configuration);
            Ok(StartMeetingTranscriptionOutput::builder().build())
        })
    }

    pub(crate) fn stop_meeting_transcription(
        &self,
        input: StopMeetingTranscriptionInput,
    ) -> Result<StopMeetingTranscriptionOutput, ServiceError> {
        let meeting_id = required(input.meeting_id, "MeetingId")?;
        self.with_meeting(&meeting_id, |m| {
            if m.transcription.is_none()
                && self.choices.repeated_transcription_calls == RepeatedTranscriptionCalls::Reject
            {
                return Err(ServiceError::unprocessable(format!(
                    "Meeting {meeting_id} is not being transcribed; there is nothing to stop."
                )));
            }
            m.transcription = None;
            Ok(StopMeetingTranscriptionOutput::builder().build())
        })
    }

    pub(crate) fn tag_resource(
        &self,
        input: TagResourceInput,
    ) -> Result<TagResourceOutput, ServiceError> {
        let arn = required(input.resource_arn, "ResourceARN")?;
        let new = tag_map(required(input.tags, "Tags")?)?;
        self.with_meeting_arn(&arn, |m| {
            let count = m.tags.len() + new.keys().filter(|k| !m.tags.contains_key(*k)).count();
            if count > MAX_TAGS {
                return Err(ServiceError::too_many_tags(&arn, count));
            }
            m.tags.extend(new);
            Ok(TagResourceOutput::builder().build())
        })
    }

    /// Keys the meeting does not carry are ignored.
    pub(crate) fn untag_resource(
        &self,
        input: UntagResourceInput,
    ) -> Result<UntagResourceOutput, ServiceError> {
        let arn = required(input.resource_arn, "ResourceARN")?;
        let keys = required(input.tag_keys, "TagKeys")?;
        self.with_meeting_arn(&arn, |m| {
            for key in &keys {
                m.tags.remove(key);
            }
            Ok(UntagResourceOutput::builder().build())
        })
    }

    pub(crate) fn list_tags_for_resource(
        &self,
        input: ListTagsForResourceInput,
    ) -> Result<ListTagsForResourceOutput, ServiceError> {
        let arn = required(input.resource_arn, "ResourceARN")?;
        self.with_meeting_arn(&arn, |m| {
            let tags = m
                .tags
                .iter()
                .map(|(key, value)| Tag::builder().key(key).value(value).build())
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| ServiceError::service_failure(format!("A tag was lost: {e}.")))?;
            Ok(ListTagsForResourceOutput::builder()
                .set_tags(Some(tags))
                .build())
        })
    }
}

/// The tags of a request as a map; a key given twice or a key in the reserved `aws:`
/// namespace is a `400`.
fn tag_map(tags: Vec<Tag>) -> Result<BTreeMap<String, String>, ServiceError> {
    let mut map = BTreeMap::new();
    for tag in tags {
        if tag
            .key
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case("aws:"))
        {
            return Err(ServiceError::bad_request(format!(
                "The tag key '{}' is in the reserved 'aws:' namespace; choose another key.",
                tag.key
            )));
        }
        if map.contains_key(&tag.key) {
            return Err(ServiceError::bad_request(format!(
                "The tag key '{}' appears more than once in the request; give each key once.",
                tag.key
            )));
        }
        map.insert(tag.key, tag.value);
    }
    Ok(map)
}

/// What `StartMeetingTranscription` checks beyond the model's constraints: exactly
/// one engine, and for Amazon Transcribe exactly one of `LanguageCode` and
/// `IdentifyLanguage`. The rest is Transcribe's to judge, later, as the service does.
fn check_transcription(configuration: &TranscriptionConfiguration) -> Result<(), ServiceError> {
    match (
        &configuration.engine_transcribe_settings,
        &configuration.engine_transcribe_medical_settings,
    ) {
        (Some(_), Some(_)) | (None, None) => Err(ServiceError::bad_request(
            "TranscriptionConfiguration must set exactly one of EngineTranscribeSettings and \
             EngineTranscribeMedicalSettings.",
        )),
        (Some(settings), None)
            if settings.language_code.is_some() == settings.identify_language =>
        {
            Err(ServiceError::bad_request(
                "EngineTranscribeSettings must set exactly one of LanguageCode and \
                 IdentifyLanguage = true.",
            ))
        }
        _ => Ok(()),
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
