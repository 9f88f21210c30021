//! Client for calling Chime SDK Meetings, with capability validation installed.
//!
//! [`Client`] is the generated client customized by
//! [`CapabilityValidation`](crate::validation::CapabilityValidation): every operation
//! method, `config()` and `customize()` are the generated client's, and building it
//! adds the validation's interceptor to its config. Cloning is cheap; clones share
//! everything, including what the client learned about meetings.

pub use chime_caps_generated::client::{customize, Customization, CustomizedClient};

/// A Chime SDK Meetings client whose capability calls are validated locally (see
/// [`validation`](crate::validation)).
///
/// `UpdateAttendeeCapabilities`, `BatchUpdateAttendeeCapabilitiesExcept`,
/// `CreateAttendee`, `BatchCreateAttendee` and `CreateMeetingWithAttendees` are
/// checked before they are sent, and every response teaches the client about the
/// meetings it touches. Test HTTP clients and `aws-smithy-mocks` work on it as on
/// the official client, with the validation still active.
///
/// ```no_run
/// # async fn demo() {
/// use chime_caps::validation::{
///     ValidationClientExt, ValidationConfigExt, ValidationMode, ValidationSettings,
/// };
///
/// let sdk_config = aws_config::load_from_env().await;
/// let config = chime_caps::config::Builder::from(&sdk_config)
///     .validation(ValidationSettings::new().mode(ValidationMode::Warn).lookup_on_miss(true))
///     .build();
/// let client = chime_caps::Client::from_conf(config);
/// assert_eq!(client.validation().settings().get_mode(), ValidationMode::Warn);
/// # }
/// ```
pub type Client = CustomizedClient<crate::validation::CapabilityValidation>;
