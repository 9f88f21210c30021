//! [`ValidationInterceptor`]: the one interceptor of the validation. It checks the
//! five operations that carry `AttendeeCapabilities` before they are serialized,
//! and keeps the [`Knowledge`] up to date from the responses of every operation.
//!
//! `modify_before_serialization` runs when every layer of the call's config bag is in
//! place (a per-call override or runtime plugin included), the input is still there,
//! and before any interceptor's `read_before_serialization` (where `aws-smithy-mocks`
//! picks its answer, so a rejected call consumes no mock rule). It only reads the
//! input: it decides the mode, checks, and records in the call's interceptor state
//! what learning will need (ids, requested capabilities, and the notices computed
//! against the state before the change). `read_after_execution` learns from the
//! output, or forgets on `404 NotFound`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeSerializationInterceptorContextMut, FinalizerInterceptorContextRef, Input, Output,
};
use aws_smithy_runtime_api::client::interceptors::{dyn_dispatch_hint, Intercept};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};
use chime_caps_generated::operation::{
    batch_create_attendee, batch_update_attendee_capabilities_except as batch, create_attendee,
    create_meeting, create_meeting_with_attendees, delete_attendee, delete_meeting, get_attendee,
    get_meeting, list_attendees, update_attendee_capabilities as update,
};
use chime_caps_generated::types::{Attendee, AttendeeCapabilities};

use super::id::Id;
use super::knowledge::Knowledge;
use super::request::{CapabilityRequest, FeatureSource};
use super::{
    report, AttendeeNotice, NoticeSubject, ValidationError, ValidationMode, ValidationSettings,
    Validator, TRACING_TARGET,
};
use crate::rules;

/// Checks capability calls and learns from every response.
#[derive(Debug)]
pub(crate) struct ValidationInterceptor {
    validator: Arc<Validator>,
}

impl ValidationInterceptor {
    pub(super) fn new(validator: Arc<Validator>) -> Self {
        ValidationInterceptor { validator }
    }

    fn knowledge(&self) -> &Knowledge {
        &self.validator.knowledge
    }

    /// Checks one capability request in `mode` (not `Off`), and the model's constraints
    /// when `constraints`: `Err` rejects the call.
    fn check(
        &self,
        request: &CapabilityRequest<'_>,
        mode: ValidationMode,
        constraints: bool,
    ) -> Result<(), BoxError> {
        let Some(verdict) = self.validator.check(request, constraints) else {
            return Ok(());
        };
        report::record(|r| r.features = verdict.features);
        if let Err(error) = verdict.result {
            if mode == ValidationMode::Enforce {
                return Err(Box::new(error));
            }
            warn(request.operation, &error);
            report::record(|r| r.warning = Some(error));
        }
        let unchecked: Vec<AttendeeNotice> = request
            .capabilities()
            .flat_map(|(_, subject, requested)| {
                rules::unchecked(requested).map(move |notice| AttendeeNotice {
                    subject: subject.to_owned(),
                    notice,
                })
            })
            .collect();
        if !unchecked.is_empty() {
            let meeting = match request.features {
                FeatureSource::Meeting(id) => id.and_then(Id::parse),
                FeatureSource::Created(_) => None,
            };
            emit(request.operation, meeting, &unchecked);
        }
        Ok(())
    }
}

fn warn(operation: &'static str, error: &ValidationError) {
    tracing::warn!(
        target: TRACING_TARGET,
        operation,
        rule = error.rule().map(|r| r.as_str()),
        "{error}; sending the request anyway because the validation mode is warn"
    );
}

/// Emits notices as `tracing` events and hands them to the call's report.
fn emit(operation: &'static str, meeting: Option<Id>, notices: &[AttendeeNotice]) {
    if notices.is_empty() {
        return;
    }
    for n in notices {
        tracing::info!(
            target: TRACING_TARGET,
            operation,
            meeting_id = meeting.map(tracing::field::display),
            notice = n.notice.kind.as_str(),
            field = n.notice.field,
            "{n}"
        );
    }
    report::record(|r| r.notices.extend_from_slice(notices));
}

/// What a call needs remembered between its check and its end.
#[derive(Debug)]
enum Call {
    CreateMeeting,
    CreateMeetingWithAttendees,
    GetMeeting {
        meeting: Id,
    },
    DeleteMeeting {
        meeting: Id,
    },
    CreateAttendee {
        meeting: Id,
        requested: Option<AttendeeCapabilities>,
    },
    BatchCreateAttendee {
        meeting: Id,
    },
    GetAttendee {
        meeting: Id,
        attendee: Id,
    },
    ListAttendees {
        meeting: Id,
    },
    DeleteAttendee {
        meeting: Id,
        attendee: Id,
    },
    Update {
        meeting: Id,
        attendee: Id,
        requested: AttendeeCapabilities,
        notices: Vec<AttendeeNotice>,
    },
    Batch {
        meeting: Id,
        /// Sorted, without duplicates.
        excluded: Vec<Id>,
        requested: AttendeeCapabilities,
        notices: Vec<AttendeeNotice>,
    },
}

/// A [`Call`] in the call's interceptor state.
#[derive(Debug)]
struct Captured {
    call: Call,
    /// Set by the first interceptor that handles the end of the call: a config whose
    /// override repeats the client's interceptors (`config_override` with the
    /// client's own `to_builder()`) must not learn or notify twice.
    ended: AtomicBool,
}

impl Storable for Captured {
    type Storer = StoreReplace<Self>;
}

fn id(text: Option<&str>) -> Option<Id> {
    Id::parse(text?)
}

impl Call {
    /// What the call needs remembered; `None` for operations that teach nothing, and
    /// for inputs whose ids are unset or malformed (the service refuses them).
    fn capture(knowledge: &Knowledge, input: &Input) -> Option<Call> {
        if input
            .downcast_ref::<create_meeting::CreateMeetingInput>()
            .is_some()
        {
            return Some(Call::CreateMeeting);
        }
        if input
            .downcast_ref::<create_meeting_with_attendees::CreateMeetingWithAttendeesInput>()
            .is_some()
        {
            return Some(Call::CreateMeetingWithAttendees);
        }
        if let Some(i) = input.downcast_ref::<get_meeting::GetMeetingInput>() {
            return Some(Call::GetMeeting {
                meeting: id(i.meeting_id())?,
            });
        }
        if let Some(i) = input.downcast_ref::<delete_meeting::DeleteMeetingInput>() {
            return Some(Call::DeleteMeeting {
                meeting: id(i.meeting_id())?,
            });
        }
        if let Some(i) = input.downcast_ref::<create_attendee::CreateAttendeeInput>() {
            return Some(Call::CreateAttendee {
                meeting: id(i.meeting_id())?,
                requested: i.capabilities.clone(),
            });
        }
        if let Some(i) = input.downcast_ref::<batch_create_attendee::BatchCreateAttendeeInput>() {
            return Some(Call::BatchCreateAttendee {
                meeting: id(i.meeting_id())?,
            });
        }
        if let Some(i) = input.downcast_ref::<get_attendee::GetAttendeeInput>() {
            return Some(Call::GetAttendee {
                meeting: id(i.meeting_id())?,
                attendee: id(i.attendee_id())?,
            });
        }
        if let Some(i) = input.downcast_ref::<list_attendees::ListAttendeesInput>() {
            return Some(Call::ListAttendees {
                meeting: id(i.meeting_id())?,
            });
        }
        if let Some(i) = input.downcast_ref::<delete_attendee::DeleteAttendeeInput>() {
            return Some(Call::DeleteAttendee {
                meeting: id(i.meeting_id())?,
                attendee: id(i.attendee_id())?,
            });
        }
        if let Some(i) = input.downcast_ref::<update::UpdateAttendeeCapabilitiesInput>() {
            let (meeting, attendee) = (id(i.meeting_id())?, id(i.attendee_id())?);
            let requested = i.capabilities.clone()?;
            let notices = match knowledge.capabilities(meeting, attendee) {
                Some(current) => rules::notices(&current, &requested)
                    .map(|notice| AttendeeNotice {
                        subject: NoticeSubject::Attendee(attendee.to_string()),
                        notice,
                    })
                    .collect(),
                None => Vec::new(),
            };
            return Some(Call::Update {
                meeting,
                attendee,
                requested,
                notices,
            });
        }
        if let Some(i) = input.downcast_ref::<batch::BatchUpdateAttendeeCapabilitiesExceptInput>() {
            let meeting = id(i.meeting_id())?;
            let requested = i.capabilities.clone()?;
            let mut excluded: Vec<Id> = i
                .excluded_attendee_ids()
                .iter()
                .filter_map(|item| Id::parse(&item.attendee_id))
                .collect();
            excluded.sort_unstable();
            excluded.dedup();
            let mut notices = Vec::new();
            knowledge.for_each_attendee(meeting, &excluded, |attendee, current| {
                notices.extend(
                    rules::notices(current, &requested).map(|notice| AttendeeNotice {
                        subject: NoticeSubject::Attendee(attendee.to_string()),
                        notice,
                    }),
                );
            });
            return Some(Call::Batch {
                meeting,
                excluded,
                requested,
                notices,
            });
        }
        None
    }

    /// Learns from the call's successful output.
    fn learn(&self, knowledge: &Knowledge, output: &Output) {
        match self {
            Call::CreateMeeting => {
                let output = output.downcast_ref::<create_meeting::CreateMeetingOutput>();
                if let Some(meeting) = output.and_then(|o| o.meeting.as_ref()) {
                    knowledge.learn_meeting_from(meeting);
                }
            }
            Call::CreateMeetingWithAttendees => {
                let Some(output) = output
                    .downcast_ref::<create_meeting_with_attendees::CreateMeetingWithAttendeesOutput>()
                else {
                    return;
                };
                let meeting = output
                    .meeting
                    .as_ref()
                    .and_then(|m| knowledge.learn_meeting_from(m));
                if let Some(meeting) = meeting {
                    learn_attendees(knowledge, meeting, output.attendees(), None);
                }
            }
            Call::GetMeeting { .. } => {
                let output = output.downcast_ref::<get_meeting::GetMeetingOutput>();
                if let Some(meeting) = output.and_then(|o| o.meeting.as_ref()) {
                    knowledge.learn_meeting_from(meeting);
                }
            }
            Call::DeleteMeeting { meeting } => knowledge.forget_meeting(*meeting),
            Call::CreateAttendee { meeting, requested } => {
                let output = output.downcast_ref::<create_attendee::CreateAttendeeOutput>();
                let attendee = output.and_then(|o| o.attendee.as_ref());
                let attendees = attendee.map(std::slice::from_ref).unwrap_or_default();
                learn_attendees(knowledge, *meeting, attendees, requested.as_ref());
            }
            Call::BatchCreateAttendee { meeting } => {
                let output =
                    output.downcast_ref::<batch_create_attendee::BatchCreateAttendeeOutput>();
                let attendees = output.map(|o| o.attendees()).unwrap_or_default();
                learn_attendees(knowledge, *meeting, attendees, None);
            }
            Call::GetAttendee { meeting, .. } => {
                let output = output.downcast_ref::<get_attendee::GetAttendeeOutput>();
                let attendee = output.and_then(|o| o.attendee.as_ref());
                let attendees = attendee.map(std::slice::from_ref).unwrap_or_default();
                learn_attendees(knowledge, *meeting, attendees, None);
            }
            Call::ListAttendees { meeting } => {
                let output = output.downcast_ref::<list_attendees::ListAttendeesOutput>();
                let listed = output
                    .map(|o| o.attendees())
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|a| Some((id(a.attendee_id.as_deref())?, a.capabilities.clone()?)));
                knowledge.learn_attendees(*meeting, listed);
            }
            Call::DeleteAttendee { meeting, attendee } => {
                knowledge.forget_attendee(*meeting, *attendee)
            }
            Call::Update {
                meeting,
                attendee,
                requested,
                notices,
            } => {
                let output = output.downcast_ref::<update::UpdateAttendeeCapabilitiesOutput>();
                let returned = output
                    .and_then(|o| o.attendee.as_ref())
                    .and_then(|a| a.capabilities.clone());
                let capabilities = returned.unwrap_or_else(|| requested.clone());
                knowledge.learn_attendees(*meeting, [(*attendee, capabilities)]);
                emit("UpdateAttendeeCapabilities", Some(*meeting), notices);
            }
            Call::Batch {
                meeting,
                excluded,
                requested,
                notices,
            } => {
                knowledge.learn_all_except(*meeting, excluded, requested);
                emit(
                    "BatchUpdateAttendeeCapabilitiesExcept",
                    Some(*meeting),
                    notices,
                );
            }
        }
    }

    /// Forgets what a `404 NotFound` says may no longer exist. When the answer is
    /// ambiguous (an attendee operation: the attendee or its meeting; the batch
    /// update: the meeting or an excluded attendee) only the attendees are forgotten:
    /// keeping a deleted meeting's features is harmless (its calls get 404 anyway),
    /// while forgetting a live meeting's would weaken the checks.
    fn forget(&self, knowledge: &Knowledge) {
        match self {
            Call::CreateMeeting | Call::CreateMeetingWithAttendees => {}
            Call::GetAttendee { meeting, attendee }
            | Call::DeleteAttendee { meeting, attendee }
            | Call::Update {
                meeting, attendee, ..
            } => knowledge.forget_attendee(*meeting, *attendee),
            Call::Batch {
                meeting, excluded, ..
            } => excluded
                .iter()
                .for_each(|attendee| knowledge.forget_attendee(*meeting, *attendee)),
            Call::GetMeeting { meeting }
            | Call::DeleteMeeting { meeting }
            | Call::CreateAttendee { meeting, .. }
            | Call::BatchCreateAttendee { meeting }
            | Call::ListAttendees { meeting } => knowledge.forget_meeting(*meeting),
        }
    }
}

/// Learns the capabilities of attendees the service returned: as returned, else
/// `fallback` (what the request asked for), else the meeting's defaults.
fn learn_attendees(
    knowledge: &Knowledge,
    meeting: Id,
    attendees: &[Attendee],
    fallback: Option<&AttendeeCapabilities>,
) {
    if attendees.is_empty() {
        return;
    }
    // Read before learning: learning holds the cache's write lock.
    let needs_default = fallback.is_none() && attendees.iter().any(|a| a.capabilities.is_none());
    let fallback = fallback.cloned().or_else(|| {
        needs_default
            .then(|| knowledge.default_capabilities(meeting))
            .flatten()
    });
    let learned = attendees.iter().filter_map(|attendee| {
        let capabilities = attendee.capabilities.as_ref().or(fallback.as_ref())?;
        Some((id(attendee.attendee_id.as_deref())?, capabilities.clone()))
    });
    knowledge.learn_attendees(meeting, learned);
}

#[dyn_dispatch_hint]
impl Intercept for ValidationInterceptor {
    fn name(&self) -> &'static str {
        "chime_caps::validation::ValidationInterceptor"
    }

    fn modify_before_serialization(
        &self,
        context: &mut BeforeSerializationInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        // Captured state lives in the call's own layer: looking there alone is cheap
        // (a miss in `cfg.load` would walk every layer of the bag).
        if cfg.interceptor_state().load::<Captured>().is_some() {
            return Ok(()); // another copy of this interceptor handled the call
        }
        let input = context.input();
        if let Some(request) = CapabilityRequest::of(input) {
            let settings = cfg.load::<ValidationSettings>();
            let mode = self.validator.mode(settings);
            report::record(|r| r.mode = mode);
            if mode != ValidationMode::Off {
                self.check(&request, mode, self.validator.constraints(settings))?;
            }
        }
        if let Some(call) = Call::capture(self.knowledge(), input) {
            cfg.interceptor_state().store_put(Captured {
                call,
                ended: AtomicBool::new(false),
            });
        }
        Ok(())
    }

    fn read_after_execution(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some(captured) = cfg.interceptor_state().load::<Captured>() else {
            return Ok(());
        };
        if captured.ended.swap(true, Ordering::Relaxed) {
            return Ok(());
        }
        match context.output_or_error() {
            Some(Ok(output)) => captured.call.learn(self.knowledge(), output),
            Some(Err(_))
                if context
                    .response()
                    .is_some_and(|r| r.status().as_u16() == 404) =>
            {
                captured.call.forget(self.knowledge())
            }
            _ => {}
        }
        Ok(())
    }
}
