//! Extension traits: validation settings on the config builder, the per-call path
//! with a report on the five capability operations, and matching rejections on
//! `SdkError`.

use std::future::Future;

use aws_smithy_runtime_api::client::interceptors::context::Input;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use chime_caps_generated::config::Builder;
use chime_caps_generated::error::SdkError;
use chime_caps_generated::operation::batch_create_attendee::{
    builders::BatchCreateAttendeeFluentBuilder, BatchCreateAttendeeError, BatchCreateAttendeeOutput,
};
use chime_caps_generated::operation::batch_update_attendee_capabilities_except::{
    builders::BatchUpdateAttendeeCapabilitiesExceptFluentBuilder,
    BatchUpdateAttendeeCapabilitiesExceptError, BatchUpdateAttendeeCapabilitiesExceptOutput,
};
use chime_caps_generated::operation::create_attendee::{
    builders::CreateAttendeeFluentBuilder, CreateAttendeeError, CreateAttendeeOutput,
};
use chime_caps_generated::operation::create_meeting_with_attendees::{
    builders::CreateMeetingWithAttendeesFluentBuilder, CreateMeetingWithAttendeesError,
    CreateMeetingWithAttendeesOutput,
};
use chime_caps_generated::operation::update_attendee_capabilities::{
    builders::UpdateAttendeeCapabilitiesFluentBuilder, UpdateAttendeeCapabilitiesError,
    UpdateAttendeeCapabilitiesOutput,
};
use chime_caps_generated::Config;

use super::request::CapabilityRequest;
use super::{
    report, CapabilityReport, ConstraintViolation, Validation, ValidationError, ValidationSettings,
};
use crate::rules::CapabilityViolation;

/// Validation settings on the config builder.
pub trait ValidationConfigExt {
    /// Validates capability calls with `settings`: those of every client built from
    /// this config, or, given as a per-call override
    /// (`customize().config_override(Config::builder().validation(..))`), that call's
    /// mode. Without it, clients use [`ValidationSettings::default`].
    fn validation(self, settings: ValidationSettings) -> Self;
}

impl ValidationConfigExt for Builder {
    fn validation(mut self, settings: ValidationSettings) -> Self {
        self.config_layer_mut().store_put(settings);
        self
    }
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::UpdateAttendeeCapabilitiesFluentBuilder {}
    impl Sealed for super::BatchUpdateAttendeeCapabilitiesExceptFluentBuilder {}
    impl Sealed for super::CreateAttendeeFluentBuilder {}
    impl Sealed for super::BatchCreateAttendeeFluentBuilder {}
    impl Sealed for super::CreateMeetingWithAttendeesFluentBuilder {}
}

/// Sends a capability call and returns, with its output, a [`CapabilityReport`]
/// saying how it was checked and what it does.
///
/// ```no_run
/// # async fn demo(client: chime_caps::Client, caps: chime_caps::types::AttendeeCapabilities) -> Result<(), Box<dyn std::error::Error>> {
/// use chime_caps::validation::{SendWithReport, ValidationClientExt, ValidationMode};
///
/// let (_output, report) = client
///     .update_attendee_capabilities()
///     .meeting_id("6bd0ae5c-0f9c-4b8b-a7a5-5bf5a0f0e2f1")
///     .attendee_id("f0a8fa58-7cfe-4bc4-a5c8-2bd6b7d16a50")
///     .capabilities(caps)
///     .send_with_report(&client.validation().with_mode(ValidationMode::Warn))
///     .await?;
/// for notice in &report.notices {
///     println!("{notice}");
/// }
/// # Ok(()) }
/// ```
pub trait SendWithReport: sealed::Sealed + Sized {
    /// The operation's output.
    type Output;
    /// The operation's error.
    type Error;

    /// Sends the call in `validation`'s mode (see [`Validation::with_mode`]; the mode
    /// travels as a per-call config override). Unlike `send()`, this may first look
    /// the meeting up, when [`ValidationSettings::lookup_on_miss`] is set and the
    /// meeting's features are unknown and could change the verdict. A rejected call
    /// sends no request and returns the same error `send()` would.
    fn send_with_report(
        self,
        validation: &Validation,
    ) -> impl Future<
        Output = Result<(Self::Output, CapabilityReport), SdkError<Self::Error, HttpResponse>>,
    > + Send;
}

macro_rules! send_with_report {
    ($builder:ty, $output:ty, $error:ty) => {
        impl SendWithReport for $builder {
            type Output = $output;
            type Error = $error;

            fn send_with_report(
                self,
                validation: &Validation,
            ) -> impl Future<
                Output = Result<($output, CapabilityReport), SdkError<$error, HttpResponse>>,
            > + Send {
                let validation = validation.clone();
                async move {
                    // An input that does not build fails the same way in `send()`.
                    if let Ok(input) = self.as_input().clone().build() {
                        let input = Input::erase(input);
                        if let Some(request) = CapabilityRequest::of(&input) {
                            validation.look_up_if_useful(&request).await;
                        }
                    }
                    let call = async {
                        match validation.call_mode() {
                            Some(mode) => {
                                let settings = validation.settings().clone().mode(mode);
                                self.customize()
                                    .config_override(Config::builder().validation(settings))
                                    .send()
                                    .await
                            }
                            None => self.send().await,
                        }
                    };
                    let (result, report) = report::collect(validation.mode(), call).await;
                    result.map(|output| (output, report))
                }
            }
        }
    };
}

send_with_report!(
    UpdateAttendeeCapabilitiesFluentBuilder,
    UpdateAttendeeCapabilitiesOutput,
    UpdateAttendeeCapabilitiesError
);
send_with_report!(
    BatchUpdateAttendeeCapabilitiesExceptFluentBuilder,
    BatchUpdateAttendeeCapabilitiesExceptOutput,
    BatchUpdateAttendeeCapabilitiesExceptError
);
send_with_report!(
    CreateAttendeeFluentBuilder,
    CreateAttendeeOutput,
    CreateAttendeeError
);
send_with_report!(
    BatchCreateAttendeeFluentBuilder,
    BatchCreateAttendeeOutput,
    BatchCreateAttendeeError
);
send_with_report!(
    CreateMeetingWithAttendeesFluentBuilder,
    CreateMeetingWithAttendeesOutput,
    CreateMeetingWithAttendeesError
);

/// Tells a local rejection apart from other errors.
///
/// ```
/// use chime_caps::validation::CapabilityErrorExt;
/// # use chime_caps::operation::update_attendee_capabilities::UpdateAttendeeCapabilitiesError;
/// # fn demo<R: std::fmt::Debug>(err: chime_caps::error::SdkError<UpdateAttendeeCapabilitiesError, R>) {
/// if let Some(violation) = err.as_capability_violation() {
///     eprintln!("{} rejected by {}: {}", violation.field, violation.rule, violation.hint);
/// }
/// # }
/// ```
pub trait CapabilityErrorExt {
    /// The reason the call was rejected locally, if it was.
    fn as_validation_error(&self) -> Option<&ValidationError>;

    /// The broken capability rule, if the call was rejected locally for one.
    fn as_capability_violation(&self) -> Option<&CapabilityViolation> {
        match self.as_validation_error()? {
            ValidationError::Capability(v) => Some(v),
            ValidationError::Constraint(_) => None,
        }
    }

    /// The broken model constraint, if the call was rejected locally for one.
    fn as_constraint_violation(&self) -> Option<&ConstraintViolation> {
        match self.as_validation_error()? {
            ValidationError::Constraint(v) => Some(v),
            ValidationError::Capability(_) => None,
        }
    }
}

impl<E, R> CapabilityErrorExt for SdkError<E, R>
where
    E: std::error::Error + 'static,
    R: std::fmt::Debug,
{
    fn as_validation_error(&self) -> Option<&ValidationError> {
        if !matches!(self, SdkError::ConstructionFailure(_)) {
            return None;
        }
        // The orchestrator wraps the interceptor's error (in an `InterceptorError`).
        let mut source = std::error::Error::source(self);
        while let Some(err) = source {
            if let Some(found) = err.downcast_ref::<ValidationError>() {
                return Some(found);
            }
            source = err.source();
        }
        None
    }
}
