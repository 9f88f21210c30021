//! Local validation of attendee-capability calls: the middleware of
//! [`Client`](crate::Client).
//!
//! Every request that carries `AttendeeCapabilities` (`UpdateAttendeeCapabilities`,
//! `BatchUpdateAttendeeCapabilitiesExcept`, `CreateAttendee`, `BatchCreateAttendee`,
//! `CreateMeetingWithAttendees`) is checked before it is serialized against the
//! [capability rules](crate::rules) and, when
//! [`ValidationSettings::model_constraints`] asks for it, the model's constraints (the
//! generated `validate()`, reporting a [`ConstraintViolation`]). A call the
//! service would answer with `400` fails in microseconds with an
//! `SdkError::ConstructionFailure` carrying a [`ValidationError`], and no request is
//! sent. Match it with [`CapabilityErrorExt`]:
//!
//! ```no_run
//! # async fn demo(client: chime_caps::Client, caps: chime_caps::types::AttendeeCapabilities) {
//! use chime_caps::rules::Rule;
//! use chime_caps::validation::CapabilityErrorExt;
//!
//! let result = client.update_attendee_capabilities()
//!     .meeting_id("6bd0ae5c-0f9c-4b8b-a7a5-5bf5a0f0e2f1")
//!     .attendee_id("f0a8fa58-7cfe-4bc4-a5c8-2bd6b7d16a50")
//!     .capabilities(caps)
//!     .send()
//!     .await;
//! if let Err(err) = result {
//!     match err.as_capability_violation() {
//!         Some(v) if v.rule == Rule::VideoDisabled => println!("no video in this meeting: {v}"),
//!         Some(v) => println!("rejected locally: {v}"),
//!         None => println!("{}", chime_caps::error::DisplayErrorContext(&err)),
//!     }
//! }
//! # }
//! ```
//!
//! `CreateAttendee` is checked only when it sets capabilities (otherwise the service
//! gives the defaults); `BatchCreateAttendee` checks each item (the violation's
//! [`item`](crate::rules::CapabilityViolation::item) says which);
//! `CreateMeetingWithAttendees` checks its attendees against the `MeetingFeatures` of
//! the same request. A capability value this crate does not know (one AWS adds later)
//! is sent unchecked, with a [`NotChecked`](crate::rules::NoticeKind::NotChecked)
//! notice.
//!
//! **This is stricter than the official AWS SDKs**, which send every call and let the
//! service answer. To turn it off: `.validation(ValidationSettings::new().mode(ValidationMode::Off))`
//! on the config ([`ValidationConfigExt`]); for one call, the same on a
//! `customize().config_override(Config::builder().validation(..))`, settings in a
//! runtime plugin's config layer (`customize().runtime_plugin(..)`), or
//! [`Validation::with_mode`] with [`SendWithReport::send_with_report`]; without a
//! rebuild, `CHIME_CAPS_VALIDATION=off` ([`ENV_VAR`]; also `warn` or `enforce`) in the
//! environment of the process, which wins over all of them.
//!
//! # How it is installed
//!
//! [`Client`](crate::Client) is the generated client customized by
//! [`CapabilityValidation`]: building it adds one interceptor to the config (unless
//! the config came from a validated client, which shares that client's validation).
//! The interceptor checks in `modify_before_serialization`, when every layer of the
//! call's config bag is in place, and before any interceptor reads the input in
//! `read_before_serialization` (as `aws-smithy-mocks` does, so a rejected call uses
//! up no mock rule). The mode of a call is the environment's, else the
//! [`ValidationSettings`] of the latest config-bag layer that holds some (a per-call
//! override or plugin before the client's config), else the default. Test HTTP clients
//! and `aws-smithy-mocks` work on the client as on the official one, with the
//! validation active. [`ValidationClientExt::validation`] gives the client's
//! [`Validation`] handle.
//!
//! # What the client knows
//!
//! The feature rules (`VideoDisabled`, `ContentDisabled`) need the meeting's
//! `MeetingFeatures`; notices need the attendee's current capabilities. The client
//! learns both from the responses passing through it (`CreateMeeting`,
//! `CreateMeetingWithAttendees`, `GetMeeting`, `CreateAttendee`,
//! `BatchCreateAttendee`, `GetAttendee`, `ListAttendees` and the two update
//! operations), forgets on `DeleteMeeting`, `DeleteAttendee` and `404 NotFound`, and
//! accepts [`Validation::register_meeting`] for meetings created elsewhere. Ids are
//! GUIDs and match whatever their case (in the cache and in `ExcludedAttendeeIds`).
//! For a meeting it does not know, only `ContentNeedsVideo` is checked and the
//! service judges the rest; [`SendWithReport::send_with_report`] can look the meeting
//! up first (one `GetMeeting`, cached) when [`ValidationSettings::lookup_on_miss`] is
//! set. Plain `send()` never makes an extra request: the check is synchronous.
//!
//! # Defaults and why
//!
//! - `Enforce`: the point is to fail fast on calls that cannot succeed.
//! - No lookup: an extra request and the `chime:GetMeeting` permission are the
//!   caller's choice; clients that create their meetings learn them anyway.
//! - 1 000 meetings × 250 attendees (the most a meeting can have): about 60 MB in
//!   the worst case, far less in practice; more concurrent meetings than that in
//!   one process is rare, and raising the bound is one setting. The least recently
//!   learned meeting is evicted first.
//! - Meeting features kept 24 h: they never change after `CreateMeeting`, so age
//!   only bounds how long a finished meeting stays.
//! - Attendee capabilities (and a refused lookup) kept 5 min: other processes can
//!   change them, and stale values only make notices wrong, never verdicts.
//!
//! # Notices
//!
//! An accepted change's notices ([`NoticeKind`](crate::rules::NoticeKind)) are
//! emitted as `tracing` events at `INFO` on [`TRACING_TARGET`] once the service
//! accepted it (`NotChecked` ones when the request is checked, before it is sent), and
//! returned in the [`CapabilityReport`] of [`SendWithReport::send_with_report`].
//! `Warn`-mode violations and refused lookups are `WARN` events on the same target.

mod ext;
mod handle;
mod id;
mod install;
mod interceptor;
mod knowledge;
mod mode;
mod report;
mod request;
mod settings;

use std::fmt;
use std::sync::Arc;

/// The model's constraints: [`Validate`] is implemented by every input and type of the
/// generated crate (`input.validate()` checks them without sending anything).
pub use chime_caps_runtime::constraints::{ConstraintViolation, Validate, ViolationKind};

pub use ext::{CapabilityErrorExt, SendWithReport, ValidationConfigExt};
pub use handle::Validation;
pub use install::{CapabilityValidation, ValidationClientExt};
pub use knowledge::FeatureKnowledge;
pub use mode::{InvalidMode, ValidationMode, ENV_VAR};
pub use report::{AttendeeNotice, CapabilityReport, NoticeSubject};
pub use settings::ValidationSettings;

use crate::rules::{self, CapabilityViolation, MeetingFeatures, Rule};
use id::Id;
use knowledge::Knowledge;
use request::{CapabilityRequest, FeatureSource};

/// The `tracing` target of every event the middleware emits.
pub const TRACING_TARGET: &str = "chime_caps::validation";

/// Why a call was rejected locally (or, in [`ValidationMode::Warn`], warned about).
///
/// Carried by `SdkError::ConstructionFailure`; reach it with
/// [`CapabilityErrorExt::as_validation_error`]. `Display` is the violation's one
/// sentence.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ValidationError {
    /// The input breaks a constraint of the model (the `GuidString` pattern of an id,
    /// the length of `ExcludedAttendeeIds` or `Attendees`, ...).
    Constraint(ConstraintViolation),
    /// The capabilities break a capability [`Rule`].
    Capability(CapabilityViolation),
}

impl ValidationError {
    /// The capability rule that was broken, if this is a [`ValidationError::Capability`].
    pub fn rule(&self) -> Option<Rule> {
        match self {
            ValidationError::Capability(v) => Some(v.rule),
            ValidationError::Constraint(_) => None,
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValidationError::Constraint(v) => fmt::Display::fmt(v, f),
            ValidationError::Capability(v) => fmt::Display::fmt(v, f),
        }
    }
}

/// Transparent: `source()` is `None`, so error chains do not repeat the message.
impl std::error::Error for ValidationError {}

/// The outcome of checking one request.
#[derive(Debug)]
struct Verdict {
    features: FeatureKnowledge,
    result: Result<(), ValidationError>,
}

/// What every client built from one config shares: the settings it was built with,
/// the environment's mode, and the knowledge of meetings. Held by the interceptor
/// and, through the config layer, by [`Validation`].
#[derive(Debug)]
struct Validator {
    settings: ValidationSettings,
    /// [`ENV_VAR`] as read when the first client was built from the config.
    env_mode: Option<ValidationMode>,
    knowledge: Knowledge,
}

impl Validator {
    fn new(settings: ValidationSettings, env_mode: Option<ValidationMode>) -> Arc<Self> {
        Arc::new(Validator {
            knowledge: Knowledge::new(&settings),
            settings,
            env_mode,
        })
    }

    /// The mode of a call: the environment, else the latest `settings` the call's
    /// config bag holds, else the client's.
    fn mode(&self, settings: Option<&ValidationSettings>) -> ValidationMode {
        self.env_mode
            .or(settings.map(ValidationSettings::get_mode))
            .unwrap_or(self.settings.mode)
    }

    /// Whether a call checks the model's constraints: the latest `settings` its config
    /// bag holds, else the client's.
    fn constraints(&self, settings: Option<&ValidationSettings>) -> bool {
        settings.map_or(self.settings.model_constraints, |s| s.model_constraints)
    }

    /// Checks a request: the model's constraints (when `constraints`), then the rules
    /// against what is known about the meeting. `None` when it carries no capabilities
    /// (nothing to check). Allocation-free when the request is accepted.
    fn check(&self, request: &CapabilityRequest<'_>, constraints: bool) -> Option<Verdict> {
        request.capabilities().next()?;
        if constraints {
            if let Err(violation) = request.validate() {
                return Some(Verdict {
                    features: FeatureKnowledge::Unknown,
                    result: Err(ValidationError::Constraint(violation)),
                });
            }
        }
        let meeting = match &request.features {
            FeatureSource::Created(features) => {
                return Some(judge(FeatureKnowledge::Known, Some(features), request))
            }
            FeatureSource::Meeting(id) => id.and_then(Id::parse),
        };
        // An id that is not a meeting id names no meeting this client knows; an unset
        // one fails to serialize. Only the rules that need no meeting apply to them.
        Some(match meeting {
            Some(id) => self.knowledge.with_features(id, |knowledge, features| {
                judge(knowledge, features, request)
            }),
            None => judge(FeatureKnowledge::Unknown, None, request),
        })
    }
}

/// The first rule any set of requested capabilities breaks, given the features.
fn judge(
    knowledge: FeatureKnowledge,
    features: Option<&MeetingFeatures>,
    request: &CapabilityRequest<'_>,
) -> Verdict {
    let result = request
        .capabilities()
        .try_for_each(|(item, _, requested)| {
            rules::check(features, requested).map_err(|v| match item {
                Some(index) => v.in_item(index),
                None => v,
            })
        })
        .map_err(ValidationError::Capability);
    Verdict {
        features: knowledge,
        result,
    }
}
