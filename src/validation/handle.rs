//! [`Validation`]: a client's handle on its validation (mode, knowledge, lookups).

use chime_caps_generated::config::{SharedInputInspector, SharedInterceptor};
use chime_caps_generated::constraints::Validate;
use chime_caps_generated::error::DisplayErrorContext;
use chime_caps_generated::operation::get_meeting::GetMeetingInput;
use chime_caps_generated::types::{
    AttendeeCapabilities, ContentResolution, Meeting, VideoResolution,
};
use chime_caps_generated::Config;

use super::inspector::{CallInspector, ValidationInspector};
use super::interceptor::LearningInterceptor;
use super::knowledge::Knowledge;
use super::{FeatureKnowledge, ValidationMode, ValidationSettings, ENV_VAR, TRACING_TARGET};
use crate::rules::{self, MeetingFeatures};

/// A client's validation: its mode, what it knows about meetings, and the per-call
/// mode override. Get it with [`Client::validation`](crate::Client::validation);
/// cloning is cheap, and every clone shares the same knowledge.
#[derive(Debug, Clone)]
pub struct Validation {
    client: chime_caps_generated::Client,
    inspector: ValidationInspector,
    call_mode: Option<ValidationMode>,
}

impl Validation {
    /// Builds the generated client of `conf` with validation installed: the config's
    /// validation (or the default one, with a foreign inspector chained after it),
    /// [`ENV_VAR`] read now, and the learning interceptor added once.
    pub(crate) fn install(conf: Config) -> Self {
        let ours = conf
            .input_inspector()
            .and_then(|i| i.as_any().downcast_ref::<ValidationInspector>())
            .cloned();
        let inspector = ours.unwrap_or_else(|| {
            ValidationInspector::new(
                ValidationSettings::default(),
                conf.input_inspector().cloned(),
            )
        });
        let env_mode = ValidationMode::from_env();
        if let Some(mode) = env_mode {
            tracing::info!(target: TRACING_TARGET, "{ENV_VAR}={mode} overrides the configured validation mode");
        }
        let mut builder = conf.to_builder();
        if !inspector.learning_installed {
            builder.push_interceptor(SharedInterceptor::new(LearningInterceptor::new(
                inspector.validator.clone(),
            )));
        }
        let inspector = ValidationInspector {
            env_mode,
            learning_installed: true,
            ..inspector
        };
        builder.set_input_inspector(Some(SharedInputInspector::new(inspector.clone())));
        Validation {
            client: chime_caps_generated::Client::from_conf(builder.build()),
            inspector,
            call_mode: None,
        }
    }

    fn knowledge(&self) -> &Knowledge {
        &self.inspector.validator.knowledge
    }

    /// The generated client this validation belongs to.
    pub(crate) fn client(&self) -> &chime_caps_generated::Client {
        &self.client
    }

    /// The mode calls made through this handle are checked in: [`ENV_VAR`] if set,
    /// else the mode given to [`with_mode`](Self::with_mode), else the config's.
    pub fn mode(&self) -> ValidationMode {
        self.inspector.mode(self.call_mode)
    }

    /// The mode [`ENV_VAR`] forced when the client was built, if any.
    pub fn env_override(&self) -> Option<ValidationMode> {
        self.inspector.env_mode
    }

    /// The settings the client was configured with.
    pub fn settings(&self) -> &ValidationSettings {
        &self.inspector.validator.settings
    }

    /// This handle with a per-call mode, for
    /// [`send_with_report`](super::SendWithReport::send_with_report). [`ENV_VAR`]
    /// still wins, so operators keep their bypass.
    pub fn with_mode(&self, mode: ValidationMode) -> Validation {
        Validation {
            call_mode: Some(mode),
            ..self.clone()
        }
    }

    /// Registers a meeting this client did not see created (e.g. created by another
    /// process), so that `VideoDisabled` and `ContentDisabled` are checked for it.
    pub fn register_meeting(&self, meeting_id: &str, features: MeetingFeatures) {
        self.knowledge().learn_meeting(meeting_id, features);
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
        self.knowledge()
            .learn_attendees(meeting_id, [(attendee_id, capabilities)]);
    }

    /// Forgets a meeting and its attendees.
    pub fn forget_meeting(&self, meeting_id: &str) {
        self.knowledge().forget_meeting(meeting_id);
    }

    /// The meeting's features, if known (and not expired).
    pub fn known_features(&self, meeting_id: &str) -> Option<MeetingFeatures> {
        self.knowledge().features(meeting_id)
    }

    /// What the client knows about the meeting's features.
    pub fn feature_knowledge(&self, meeting_id: &str) -> FeatureKnowledge {
        self.knowledge().feature_knowledge(meeting_id)
    }

    /// The attendee's capabilities, if known (and not expired).
    pub fn known_capabilities(
        &self,
        meeting_id: &str,
        attendee_id: &str,
    ) -> Option<AttendeeCapabilities> {
        self.knowledge().capabilities(meeting_id, attendee_id)
    }

    /// How many meetings the cache holds.
    pub fn cached_meetings(&self) -> usize {
        self.knowledge().len()
    }

    /// The inspector of one call, after looking the meeting up if the settings ask
    /// for it and the features could change the verdict.
    pub(crate) async fn prepare(
        &self,
        meeting_id: Option<&str>,
        requested: Option<&AttendeeCapabilities>,
    ) -> CallInspector {
        let mode = self.mode();
        if mode != ValidationMode::Off && self.settings().lookup_on_miss {
            if let (Some(meeting_id), Some(requested)) = (meeting_id, requested) {
                if self.needs_lookup(meeting_id, requested) {
                    self.look_up(meeting_id).await;
                }
            }
        }
        CallInspector {
            inspector: self.inspector.clone(),
            mode,
        }
    }

    fn needs_lookup(&self, meeting_id: &str, requested: &AttendeeCapabilities) -> bool {
        // Requests that pass even with every feature disabled cannot depend on them.
        let all_disabled = MeetingFeatures {
            video_max_resolution: Some(VideoResolution::None),
            content_max_resolution: Some(ContentResolution::None),
        };
        rules::check(Some(&all_disabled), requested).is_err()
            && self.feature_knowledge(meeting_id) == FeatureKnowledge::Unknown
            // A malformed id would only earn a 400 from the lookup; the check reports it.
            && GetMeetingInput::builder().meeting_id(meeting_id).build().is_ok_and(|i| i.validate().is_ok())
    }

    /// One `GetMeeting`, sent unchecked; on success the learning interceptor learns
    /// the features from the response.
    async fn look_up(&self, meeting_id: &str) {
        let Err(err) = self
            .client
            .get_meeting()
            .meeting_id(meeting_id)
            .send_with_inspector(None)
            .await
        else {
            return;
        };
        match err.as_service_error() {
            Some(e) if e.is_forbidden_exception() => {
                self.knowledge().learn_unavailable(meeting_id);
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
