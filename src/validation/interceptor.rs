//! The learning interceptor: keeps [`Knowledge`](super::knowledge::Knowledge) up to
//! date from the responses that pass through the client, and reports the notices of
//! accepted capability changes.
//!
//! The orchestrator takes the input away when it serializes the request, so
//! `read_before_execution` records what learning needs (ids, requested
//! capabilities, and the notices computed against the state before the change) in
//! the call's config bag; `read_after_execution` learns from the output, or forgets
//! on `404 NotFound`.

use std::collections::HashSet;
use std::sync::Arc;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeSerializationInterceptorContextRef, FinalizerInterceptorContextRef, Input, Output,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};
use chime_caps_generated::operation::{
    batch_update_attendee_capabilities_except as batch, create_attendee, create_meeting,
    delete_attendee, delete_meeting, get_attendee, get_meeting, list_attendees,
    update_attendee_capabilities as update,
};
use chime_caps_generated::types::{Attendee, AttendeeCapabilities, Meeting};

use super::{report, AttendeeNotice, Validator, TRACING_TARGET};
use crate::rules;

/// Learns from every operation's responses.
#[derive(Debug)]
pub(crate) struct LearningInterceptor {
    validator: Arc<Validator>,
}

impl LearningInterceptor {
    pub(super) fn new(validator: Arc<Validator>) -> Self {
        LearningInterceptor { validator }
    }
}

/// What a call needs remembered between its start and its end.
#[derive(Debug)]
enum Call {
    CreateMeeting,
    GetMeeting {
        meeting_id: String,
    },
    DeleteMeeting {
        meeting_id: String,
    },
    CreateAttendee {
        meeting_id: String,
        requested: Option<AttendeeCapabilities>,
    },
    GetAttendee {
        meeting_id: String,
        attendee_id: String,
    },
    ListAttendees {
        meeting_id: String,
    },
    DeleteAttendee {
        meeting_id: String,
        attendee_id: String,
    },
    Update {
        meeting_id: String,
        attendee_id: String,
        requested: AttendeeCapabilities,
        notices: Vec<AttendeeNotice>,
    },
    Batch {
        meeting_id: String,
        excluded: Vec<String>,
        requested: AttendeeCapabilities,
        notices: Vec<AttendeeNotice>,
    },
}

impl Storable for Call {
    type Storer = StoreReplace<Self>;
}

fn owned(id: Option<&str>) -> Option<String> {
    id.map(str::to_owned)
}

fn excluded_set(excluded: &[String]) -> HashSet<&str> {
    excluded.iter().map(String::as_str).collect()
}

fn with_ids<'a>(
    notices: impl Iterator<Item = rules::Notice> + 'a,
    attendee_id: &'a str,
) -> impl Iterator<Item = AttendeeNotice> + 'a {
    notices.map(move |notice| AttendeeNotice {
        attendee_id: attendee_id.to_owned(),
        notice,
    })
}

impl LearningInterceptor {
    /// Records what the call needs; `None` when the input lacks the ids (the request
    /// then fails to serialize, and there is nothing to learn).
    fn capture(&self, input: &Input) -> Option<Call> {
        let knowledge = &self.validator.knowledge;
        if input
            .downcast_ref::<create_meeting::CreateMeetingInput>()
            .is_some()
        {
            return Some(Call::CreateMeeting);
        }
        if let Some(i) = input.downcast_ref::<get_meeting::GetMeetingInput>() {
            return Some(Call::GetMeeting {
                meeting_id: owned(i.meeting_id())?,
            });
        }
        if let Some(i) = input.downcast_ref::<delete_meeting::DeleteMeetingInput>() {
            return Some(Call::DeleteMeeting {
                meeting_id: owned(i.meeting_id())?,
            });
        }
        if let Some(i) = input.downcast_ref::<create_attendee::CreateAttendeeInput>() {
            return Some(Call::CreateAttendee {
                meeting_id: owned(i.meeting_id())?,
                requested: i.capabilities.clone(),
            });
        }
        if let Some(i) = input.downcast_ref::<get_attendee::GetAttendeeInput>() {
            return Some(Call::GetAttendee {
                meeting_id: owned(i.meeting_id())?,
                attendee_id: owned(i.attendee_id())?,
            });
        }
        if let Some(i) = input.downcast_ref::<list_attendees::ListAttendeesInput>() {
            return Some(Call::ListAttendees {
                meeting_id: owned(i.meeting_id())?,
            });
        }
        if let Some(i) = input.downcast_ref::<delete_attendee::DeleteAttendeeInput>() {
            return Some(Call::DeleteAttendee {
                meeting_id: owned(i.meeting_id())?,
                attendee_id: owned(i.attendee_id())?,
            });
        }
        if let Some(i) = input.downcast_ref::<update::UpdateAttendeeCapabilitiesInput>() {
            let (meeting_id, attendee_id) = (owned(i.meeting_id())?, owned(i.attendee_id())?);
            let requested = i.capabilities.clone()?;
            let notices = match knowledge.capabilities(&meeting_id, &attendee_id) {
                Some(current) => {
                    with_ids(rules::notices(&current, &requested), &attendee_id).collect()
                }
                None => Vec::new(),
            };
            return Some(Call::Update {
                meeting_id,
                attendee_id,
                requested,
                notices,
            });
        }
        if let Some(i) = input.downcast_ref::<batch::BatchUpdateAttendeeCapabilitiesExceptInput>() {
            let meeting_id = owned(i.meeting_id())?;
            let requested = i.capabilities.clone()?;
            let excluded: Vec<String> = i
                .excluded_attendee_ids()
                .iter()
                .map(|item| item.attendee_id.clone())
                .collect();
            let mut notices = Vec::new();
            knowledge.for_each_attendee(&meeting_id, &excluded_set(&excluded), |id, current| {
                notices.extend(with_ids(rules::notices(current, &requested), id));
            });
            return Some(Call::Batch {
                meeting_id,
                excluded,
                requested,
                notices,
            });
        }
        None
    }

    fn learn_attendee(
        &self,
        meeting_id: &str,
        attendee: Option<&Attendee>,
        fallback: Option<&AttendeeCapabilities>,
    ) {
        let Some(attendee) = attendee else { return };
        let Some(attendee_id) = attendee.attendee_id.as_deref() else {
            return;
        };
        let capabilities = attendee
            .capabilities
            .clone()
            .or_else(|| fallback.cloned())
            .or_else(|| self.validator.knowledge.default_capabilities(meeting_id));
        if let Some(capabilities) = capabilities {
            self.validator
                .knowledge
                .learn_attendees(meeting_id, [(attendee_id, capabilities)]);
        }
    }

    fn learn_meeting(&self, meeting: Option<&Meeting>) {
        if let Some(meeting) = meeting {
            self.validator.knowledge.learn_meeting_from(meeting);
        }
    }

    /// Learns from a successful call.
    fn learn(&self, call: &Call, output: &Output) {
        let knowledge = &self.validator.knowledge;
        match call {
            Call::CreateMeeting => self.learn_meeting(
                output
                    .downcast_ref::<create_meeting::CreateMeetingOutput>()
                    .and_then(|o| o.meeting.as_ref()),
            ),
            Call::GetMeeting { .. } => self.learn_meeting(
                output
                    .downcast_ref::<get_meeting::GetMeetingOutput>()
                    .and_then(|o| o.meeting.as_ref()),
            ),
            Call::DeleteMeeting { meeting_id } => knowledge.forget_meeting(meeting_id),
            Call::CreateAttendee {
                meeting_id,
                requested,
            } => {
                let output = output.downcast_ref::<create_attendee::CreateAttendeeOutput>();
                self.learn_attendee(
                    meeting_id,
                    output.and_then(|o| o.attendee.as_ref()),
                    requested.as_ref(),
                );
            }
            Call::GetAttendee { meeting_id, .. } => {
                let output = output.downcast_ref::<get_attendee::GetAttendeeOutput>();
                self.learn_attendee(meeting_id, output.and_then(|o| o.attendee.as_ref()), None);
            }
            Call::ListAttendees { meeting_id } => {
                let attendees = output
                    .downcast_ref::<list_attendees::ListAttendeesOutput>()
                    .and_then(|o| o.attendees.as_deref());
                let known = attendees
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|a| Some((a.attendee_id.as_deref()?, a.capabilities.clone()?)));
                knowledge.learn_attendees(meeting_id, known);
            }
            Call::DeleteAttendee {
                meeting_id,
                attendee_id,
            } => knowledge.forget_attendee(meeting_id, attendee_id),
            Call::Update {
                meeting_id,
                attendee_id,
                requested,
                notices,
            } => {
                let output = output.downcast_ref::<update::UpdateAttendeeCapabilitiesOutput>();
                let learned = output
                    .and_then(|o| o.attendee.as_ref())
                    .and_then(|a| a.capabilities.clone());
                knowledge.learn_attendees(
                    meeting_id,
                    [(
                        attendee_id.as_str(),
                        learned.unwrap_or_else(|| requested.clone()),
                    )],
                );
                emit(meeting_id, notices);
            }
            Call::Batch {
                meeting_id,
                excluded,
                requested,
                notices,
            } => {
                knowledge.learn_all_except(meeting_id, &excluded_set(excluded), requested);
                emit(meeting_id, notices);
            }
        }
    }

    /// Forgets what a `404 NotFound` says may no longer exist. When the answer is
    /// ambiguous (an attendee operation: the attendee or its meeting; the batch: the
    /// meeting or an excluded attendee) only the attendees are forgotten: keeping a
    /// deleted meeting's features is harmless (its calls get 404 anyway), while
    /// forgetting a live meeting's would weaken the checks.
    fn forget(&self, call: &Call) {
        let knowledge = &self.validator.knowledge;
        match call {
            Call::CreateMeeting => {}
            Call::GetAttendee {
                meeting_id,
                attendee_id,
            }
            | Call::DeleteAttendee {
                meeting_id,
                attendee_id,
            }
            | Call::Update {
                meeting_id,
                attendee_id,
                ..
            } => knowledge.forget_attendee(meeting_id, attendee_id),
            Call::Batch {
                meeting_id,
                excluded,
                ..
            } => excluded
                .iter()
                .for_each(|attendee_id| knowledge.forget_attendee(meeting_id, attendee_id)),
            Call::GetMeeting { meeting_id }
            | Call::DeleteMeeting { meeting_id }
            | Call::CreateAttendee { meeting_id, .. }
            | Call::ListAttendees { meeting_id } => knowledge.forget_meeting(meeting_id),
        }
    }
}

/// Emits the notices of an accepted change and hands them to the call's report.
fn emit(meeting_id: &str, notices: &[AttendeeNotice]) {
    for n in notices {
        tracing::info!(
            target: TRACING_TARGET,
            meeting_id,
            attendee_id = n.attendee_id.as_str(),
            notice = n.notice.kind.as_str(),
            field = n.notice.field,
            "{n}"
        );
    }
    if !notices.is_empty() {
        report::record(|r| r.notices = notices.to_vec());
    }
}

impl Intercept for LearningInterceptor {
    fn name(&self) -> &'static str {
        "chime_caps::validation::LearningInterceptor"
    }

    fn read_before_execution(
        &self,
        context: &BeforeSerializationInterceptorContextRef<'_>,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if let Some(call) = self.capture(context.input()) {
            cfg.interceptor_state().store_put(call);
        }
        Ok(())
    }

    fn read_after_execution(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some(call) = cfg.load::<Call>() else {
            return Ok(());
        };
        match context.output_or_error() {
            Some(Ok(output)) => self.learn(call, output),
            Some(Err(_))
                if context
                    .response()
                    .is_some_and(|r| r.status().as_u16() == 404) =>
            {
                self.forget(call)
            }
            _ => {}
        }
        Ok(())
    }
}
