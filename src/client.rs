//! [`Client`]: the generated client with capability validation installed.

use std::ops::Deref;

use crate::validation::Validation;

/// A Chime SDK Meetings client whose capability calls are validated locally (see
/// [`validation`](crate::validation)).
///
/// It derefs to the generated client, so every operation method and `config()` work
/// unchanged; `UpdateAttendeeCapabilities` and `BatchUpdateAttendeeCapabilitiesExcept`
/// are checked before they are sent, and every response teaches the client about the
/// meetings it touches. Cloning is cheap and clones share what the client learned.
///
/// ```no_run
/// # async fn demo() {
/// use chime_caps::validation::{ValidationConfigExt, ValidationMode, ValidationSettings};
///
/// let sdk_config = aws_config::load_from_env().await;
/// let config = chime_caps::config::Builder::from(&sdk_config)
///     .validation(ValidationSettings::new().mode(ValidationMode::Warn).lookup_on_miss(true))
///     .build();
/// let client = chime_caps::Client::from_conf(config);
/// assert_eq!(client.validation().settings().get_mode(), ValidationMode::Warn);
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct Client {
    validation: Validation,
}

impl Client {
    /// A client from a shared [`SdkConfig`](aws_types::SdkConfig), with the default
    /// [`ValidationSettings`](crate::validation::ValidationSettings).
    pub fn new(sdk_config: &aws_types::SdkConfig) -> Self {
        Self::from_conf(chime_caps_generated::Config::new(sdk_config))
    }

    /// A client from a service config; validation is configured on it with
    /// [`ValidationConfigExt`](crate::validation::ValidationConfigExt) (default
    /// settings otherwise). Reads [`ENV_VAR`](crate::validation::ENV_VAR) once, now.
    pub fn from_conf(conf: chime_caps_generated::Config) -> Self {
        Client {
            validation: Validation::install(conf),
        }
    }

    /// The client's validation: mode, registration of meetings created elsewhere,
    /// what the client knows.
    pub fn validation(&self) -> &Validation {
        &self.validation
    }
}

impl Deref for Client {
    type Target = chime_caps_generated::Client;

    fn deref(&self) -> &Self::Target {
        self.validation.client()
    }
}
