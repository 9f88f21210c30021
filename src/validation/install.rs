//! How validation gets into a client: [`CapabilityValidation`], the customization
//! of [`Client`](crate::Client), and [`ValidationClientExt`], which finds it again.

use std::sync::Arc;

use aws_smithy_types::config_bag::{Storable, StoreReplace};
use chime_caps_generated::client::Customization;
use chime_caps_generated::config::SharedInterceptor;
use chime_caps_generated::Config;

use super::interceptor::ValidationInterceptor;
use super::{Validation, ValidationMode, ValidationSettings, Validator, ENV_VAR, TRACING_TARGET};
use crate::Client;

/// The validation's shared state, stored in the config layer of every config it was
/// installed in: clients built from such a config (e.g. from
/// `client.config().to_builder()`) share it instead of installing a second one.
#[derive(Debug, Clone)]
pub(super) struct Installed(pub(super) Arc<Validator>);

impl Storable for Installed {
    type Storer = StoreReplace<Self>;
}

/// The [`Customization`] that makes [`Client`](crate::Client) validate: building a
/// client adds one interceptor to its config, with the [`ValidationSettings`] found in
/// the config (the defaults otherwise) and [`ENV_VAR`] read now, unless the config
/// already has one (it came from a validated client, whose knowledge it then shares).
#[derive(Debug, Clone, Copy, Default)]
#[non_exhaustive]
pub struct CapabilityValidation;

impl Customization for CapabilityValidation {
    fn customize(config: Config) -> Config {
        if config.config_layer().load::<Installed>().is_some() {
            return config;
        }
        let settings = config
            .config_layer()
            .load::<ValidationSettings>()
            .cloned()
            .unwrap_or_default();
        let env_mode = ValidationMode::from_env();
        if let Some(mode) = env_mode {
            tracing::info!(target: TRACING_TARGET, "{ENV_VAR}={mode} overrides the configured validation mode");
        }
        let validator = Validator::new(settings, env_mode);
        let mut builder = config.to_builder();
        builder.push_interceptor(SharedInterceptor::permanent(ValidationInterceptor::new(
            validator.clone(),
        )));
        builder.config_layer_mut().store_put(Installed(validator));
        builder.build()
    }
}

/// `client.validation()`: the [`Validation`] of a [`Client`](crate::Client).
pub trait ValidationClientExt: sealed::Sealed {
    /// The client's validation: mode, registration of meetings created elsewhere,
    /// what the client knows. Cheap (two reference counts); every handle of a client
    /// shares the same knowledge.
    fn validation(&self) -> Validation;
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for crate::Client {}
}

impl ValidationClientExt for Client {
    fn validation(&self) -> Validation {
        let installed = self
            .config()
            .config_layer()
            .load::<Installed>()
            // `CapabilityValidation::customize` runs in every `Client` constructor.
            .expect("every chime_caps::Client is built with its validation installed");
        Validation::new(self.clone(), installed.0.clone())
    }
}
