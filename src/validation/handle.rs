//! [`Validation`]: a client's handle on its validation (mode, knowledge, lookups).

use std::sync::Arc;

use chime_caps_generated::error::DisplayErrorContext;
use chime_caps_generated::types::{
    AttendeeCapabilities, ContentResolution, Meeting, VideoResolution,
};

use super::id::Id;
use super::knowledge::Knowledge;
use super::request::{CapabilityRequest, FeatureSource};
use super::{FeatureKnowledge, ValidationMode, ValidationSettings, Validator, TRACING_TARGET};
use crate::rules::{self, MeetingFeatures};
use crate::Client;

/// A client's validation: its mode, what it knows about meetings, and the per-call
/// mode of [`send_with_report`](super::SendWithReport::send_with_report). Get it with
/// [`ValidationClientExt::validation`](super::ValidationClientExt::validation);
/// cloning is cheap, and every clone shares the same knowledge.
///
/// Ids are GUIDs and match whatever their case. A method given an id that is not a
/// GUID (no meeting or attendee has one) finds nothing, and registers nothing (with a
/// `tracing` warning saying so).
#[derive(Debug, Clone)]
pub struct Validation {
    client: Client,
    validator: Arc<Validator>,
    call_mode: Option<ValidationMode>,
}

/// Parses an id a caller gave, warning when it cannot be one.
fn id_or_warn(what: &str, text: &str) -> Option<Id> {
    let id = Id::parse(text);
    if id.is_none() {
        tracing::warn!(
            target: TRACING_TARGET,
            "`{text}` is not a {what} id (ids are GUIDs such as 6bd0ae5c-0f9c-4b8b-a7a5-5bf5a0f0e2f1); ignoring it"
        );
    }
    id
}

impl Validation {
    pub(super) fn new(client: Client, validator: Arc<Validator>) -> Self {
        Validation {
            client,
            validator,
            call_mode: None,
        }
    }

    fn knowledge(&self) -> &Knowledge {
        &self.validator.knowledge
    }

    /// The mode calls made through this handle are checked in: [`ENV_VAR`](super::ENV_VAR)
    /// if set, else the mode given to [`with_mode`](Self::with_mode), else the config's.
    pub fn mode(&self) -> ValidationMode {
        self.validator
            .env_mode
            .or(self.call_mode)
            .unwrap_or(self.settings().mode)
    }

    /// The mode [`ENV_VAR`](super::ENV_VAR) forced when the client was built, if any.
    pub fn env_override(&self) -> Option<ValidationMode> {
        self.validator.env_mode
    }

    /// The settings the client's config holds (the defaults if it holds none).
    pub fn settings(&self) -> &ValidationSettings {
        self.client
            .config()
            .config_layer()
            .load::<ValidationSettings>()
            .unwrap_or(&self.validator.settings)
    }

    /// This handle with a per-call mode, for
    /// [`send_with_report`](super::SendWithReport::send_with_report). [`ENV_VAR`](super::ENV_VAR)
    /// still wins, so operators keep their bypass.
    pub fn with_mode(&self, mode: ValidationMode) -> Validation {
        Validation {
            call_mode: Some(mode),
            ..self.clone()
        }
    }

    /// The mode given to [`with_mode`](Self::with_mode), if any.
    pub(super) fn call_mode(&self) -> Option<ValidationMode> {
        self.call_mode
    }

    /// Registers a meeting this client did not see created (e.g. created by another
    /// process), so that `VideoDisabled` and `ContentDisabled` are checked for it.
    pub fn register_meeting(&self, meeting_id: &str, features: MeetingFeatures) {
        if let Some(id) = id_or_warn("meeting", meeting_id) {
            self.knowledge().learn_meeting(id, features);
        }
    }

    /// [`register_meeting`](Self::register_meeting) from a `Meeting` returned by the
    /// service to another client; a meeting without an id is ignored.
    pub fn register_meeting_from(&self, meeting: &Meeting) {
        self.knowledge().learn_meeting_from(meeting);
    }

    /// Registers an attendee's current capabilities, so that notices can be computed
    /// for changes to them.
    pub fn register_attendee(
        &self,
        meeting_id: &str,
        attendee_id: &str,
        capabilities: AttendeeCapabilities,
    ) {
        let meeting = id_or_warn("meeting", meeting_id);
        let attendee = id_or_warn("attendee", attendee_id);
        if let (Some(meeting), Some(attendee)) = (meeting, attendee) {
            self.knowledge()
                .learn_attendees(meeting, [(attendee, capabilities)]);
        }
    }

    /// Forgets a meeting and its attendees.
    pub fn forget_meeting(&self, meeting_id: &str) {
        if let Some(id) = Id::parse(meeting_id) {
            self.knowledge().forget_meeting(id);
        }
    }

    /// The meeting's features, if known (and not expired).
    pub fn known_features(&self, meeting_id: &str) -> Option<MeetingFeatures> {
        self.knowledge().features(Id::parse(meeting_id)?)
    }

    /// What the client knows about the meeting's features.
    pub fn feature_knowledge(&self, meeting_id: &str) -> FeatureKnowledge {
        Id::parse(meeting_id).map_or(FeatureKnowledge::Unknown, |id| {
            self.knowledge().feature_knowledge(id)
        })
    }

    /// The attendee's capabilities, if known (and not expired).
    pub fn known_capabilities(
        &self,
        meeting_id: &str,
        attendee_id: &str,
    ) -> Option<AttendeeCapabilities> {
        self.knowledge()
            .capabilities(Id::parse(meeting_id)?, Id::parse(attendee_id)?)
    }

    /// How many meetings the cache holds.
    pub fn cached_meetings(&self) -> usize {
        self.knowledge().len()
    }

    /// Looks the request's meeting up (one `GetMeeting`) if the settings ask for it,
    /// the call will be checked, the features are unknown, and they could change the
    /// verdict.
    pub(super) async fn look_up_if_useful(&self, request: &CapabilityRequest<'_>) {
        if self.mode() == ValidationMode::Off || !self.settings().lookup_on_miss {
            return;
        }
        let FeatureSource::Meeting(Some(meeting_id)) = request.features else {
            return;
        };
        // A malformed id would only earn a 400 from the lookup; the check reports it.
        let Some(id) = Id::parse(meeting_id) else {
            return;
        };
        // Requests that pass even with every feature disabled cannot depend on them.
        let all_disabled = MeetingFeatures {
            video_max_resolution: Some(VideoResolution::None),
            content_max_resolution: Some(ContentResolution::None),
        };
        let could_fail = request
            .capabilities()
            .any(|(_, _, requested)| rules::check(Some(&all_disabled), requested).is_err());
        if could_fail && self.knowledge().feature_knowledge(id) == FeatureKnowledge::Unknown {
            self.look_up(id, meeting_id).await;
        }
    }

    /// One `GetMeeting`; on success the interceptor learns the features from the
    /// response.
    async fn look_up(&self, id: Id, meeting_id: &str) {
        let Err(err) = self
            .client
            .get_meeting()
            .meeting_id(meeting_id)
            .send()
            .await
        else {
            return;
        };
        match err.as_service_error() {
            Some(e) if e.is_forbidden_exception() => {
                self.knowledge().learn_unavailable(id);
                tracing::warn!(
                    target: TRACING_TARGET,
                    meeting_id,
                    "GetMeeting was refused (403), so VideoDisabled and ContentDisabled are not checked for this meeting; \
                     grant chime:GetMeeting or register the meeting with Validation::register_meeting"
                );
            }
            // The call itself will get the same 404; nothing to warn about.
            Some(e) if e.is_not_found_exception() => {}
            _ => tracing::warn!(
                target: TRACING_TARGET,
                meeting_id,
                "looking the meeting up failed ({}), so VideoDisabled and ContentDisabled are not checked for this call",
                DisplayErrorContext(&err)
            ),
        }
    }
}
