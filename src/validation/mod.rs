//! Local validation of attendee-capability calls: the middleware of
//! [`Client`](crate::Client).
//!
//! `UpdateAttendeeCapabilities` and `BatchUpdateAttendeeCapabilitiesExcept` are
//! checked before anything is sent, against the model's constraints (the generated
//! [`Validate`]) and the capability [`rules`](crate::rules). A call the service would
//! answer with `400` fails in microseconds with an `SdkError::ConstructionFailure`
//! carrying a [`ValidationError`], and no request is sent. Match it with
//! [`CapabilityErrorExt`]:
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
//! **This is stricter than the official AWS SDKs**, which send every call and let the
//! service answer. To turn it off: `.validation(ValidationSettings::new().mode(ValidationMode::Off))`
//! on the config, [`Validation::with_mode`] for one call, or, without a rebuild,
//! `CHIME_CAPS_VALIDATION=off` ([`ENV_VAR`]; also `warn` or `enforce`) in the
//! environment of the process, which wins over both.
//!
//! # What the client knows
//!
//! The feature rules (`VideoDisabled`, `ContentDisabled`) need the meeting's
//! `MeetingFeatures`; notices need the attendee's current capabilities. The client
//! learns both from the responses passing through it (`CreateMeeting`, `GetMeeting`,
//! `CreateAttendee`, `GetAttendee`, `ListAttendees` and the two capability
//! operations), forgets on `DeleteMeeting`, `DeleteAttendee` and `404 NotFound`, and
//! accepts [`Validation::register_meeting`] for meetings created elsewhere. For a
//! meeting it does not know, only `ContentNeedsVideo` is checked and the service
//! judges the rest; [`SendWithReport::send_with_report`] can look the meeting up
//! first (one `GetMeeting`, cached) when [`ValidationSettings::lookup_on_miss`] is
//! set. Plain `send()` never makes an extra request: the input inspector it runs is
//! synchronous.
//!
//! # Defaults and why
//!
//! - `Enforce`: the point is to fail fast on calls that cannot succeed.
//! - No lookup: an extra request and the `chime:GetMeeting` permission are the
//!   caller's choice; clients that create their meetings learn them anyway.
//! - 1 000 meetings × 250 attendees (the most a meeting can have): about 45 MB in
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
//! emitted as `tracing` events at `INFO` on [`TRACING_TARGET`], and returned in the
//! [`CapabilityReport`] of [`SendWithReport::send_with_report`]. `Warn`-mode
//! violations and refused lookups are `WARN` events on the same target.

mod ext;
mod handle;
mod inspector;
mod interceptor;
mod knowledge;
mod mode;
mod report;
mod settings;

use std::any::Any;
use std::fmt;

use chime_caps_generated::constraints::{ConstraintViolation, Validate};
use chime_caps_generated::operation::batch_update_attendee_capabilities_except::BatchUpdateAttendeeCapabilitiesExceptInput;
use chime_caps_generated::operation::update_attendee_capabilities::UpdateAttendeeCapabilitiesInput;
use chime_caps_generated::types::AttendeeCapabilities;

pub use ext::{CapabilityErrorExt, SendWithReport, ValidationConfigExt};
pub use handle::Validation;
pub use knowledge::FeatureKnowledge;
pub use mode::{InvalidMode, ValidationMode, ENV_VAR};
pub use report::{AttendeeNotice, CapabilityReport};
pub use settings::ValidationSettings;

use crate::rules::{CapabilityViolation, Rule};
use knowledge::Knowledge;

/// The `tracing` target of every event the middleware emits.
pub const TRACING_TARGET: &str = "chime_caps::validation";

const UPDATE: &str = "UpdateAttendeeCapabilities";
const BATCH: &str = "BatchUpdateAttendeeCapabilitiesExcept";

/// Why a call was rejected locally (or, in [`ValidationMode::Warn`], warned about).
///
/// Carried by `SdkError::ConstructionFailure`; reach it with
/// [`CapabilityErrorExt::as_validation_error`]. `Display` is the violation's one
/// sentence.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ValidationError {
    /// The input breaks a constraint of the model (a required member, the
    /// `GuidString` pattern, the length of `ExcludedAttendeeIds`, an unknown enum value).
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

/// The outcome of checking one input.
#[derive(Debug)]
struct Verdict {
    features: FeatureKnowledge,
    result: Result<(), ValidationError>,
}

/// State shared by the inspector, the interceptor and the [`Validation`] handle of
/// every client built from one config.
#[derive(Debug)]
struct Validator {
    settings: ValidationSettings,
    knowledge: Knowledge,
}

impl Validator {
    fn new(settings: ValidationSettings) -> Self {
        Validator {
            knowledge: Knowledge::new(&settings),
            settings,
        }
    }

    /// Checks the input of a capability operation; `None` for other operations.
    /// Allocation-free when the input is accepted.
    fn verdict(&self, operation: &str, input: &(dyn Any + Send + Sync)) -> Option<Verdict> {
        let (validated, meeting_id, capabilities) = match operation {
            UPDATE => {
                let input = input.downcast_ref::<UpdateAttendeeCapabilitiesInput>()?;
                (
                    input.validate(),
                    input.meeting_id.as_deref(),
                    input.capabilities.as_ref(),
                )
            }
            BATCH => {
                let input = input.downcast_ref::<BatchUpdateAttendeeCapabilitiesExceptInput>()?;
                (
                    input.validate(),
                    input.meeting_id.as_deref(),
                    input.capabilities.as_ref(),
                )
            }
            _ => return None,
        };
        Some(self.check(validated, meeting_id, capabilities))
    }

    fn check(
        &self,
        validated: Result<(), ConstraintViolation>,
        meeting_id: Option<&str>,
        capabilities: Option<&AttendeeCapabilities>,
    ) -> Verdict {
        let unchecked = |result| Verdict {
            features: FeatureKnowledge::Unknown,
            result,
        };
        if let Err(violation) = validated {
            return unchecked(Err(ValidationError::Constraint(violation)));
        }
        // `validate` passed, so both are set; the fallback only keeps this panic-free.
        let (Some(meeting_id), Some(capabilities)) = (meeting_id, capabilities) else {
            return unchecked(Ok(()));
        };
        let (features, result) = self.knowledge.check(meeting_id, capabilities);
        Verdict {
            features,
            result: result.map_err(ValidationError::Capability),
        }
    }
}
