//! The local check, plugged into the generated client as its input inspector.

use std::any::Any;
use std::sync::Arc;

use chime_caps_generated::config::{InspectInput, SharedInputInspector};
use chime_caps_generated::error::BoxError;

use super::{
    report, ValidationError, ValidationMode, ValidationSettings, Validator, TRACING_TARGET,
};

/// The config's input inspector: checks capability calls in the client's mode, then
/// runs the inspector the config had before (if any).
#[derive(Debug, Clone)]
pub(crate) struct ValidationInspector {
    pub(super) validator: Arc<Validator>,
    /// [`ENV_VAR`](super::ENV_VAR) as read when the client was built.
    pub(super) env_mode: Option<ValidationMode>,
    /// Whether the config already carries the learning interceptor of `validator`.
    pub(super) learning_installed: bool,
    /// A foreign inspector found in the config, run after this one.
    pub(super) next: Option<SharedInputInspector>,
}

impl ValidationInspector {
    pub(super) fn new(settings: ValidationSettings, next: Option<SharedInputInspector>) -> Self {
        ValidationInspector {
            validator: Arc::new(Validator::new(settings)),
            env_mode: None,
            learning_installed: false,
            next,
        }
    }

    /// The mode of a call: the environment, else the call's own, else the config's.
    pub(super) fn mode(&self, call: Option<ValidationMode>) -> ValidationMode {
        self.env_mode
            .or(call)
            .unwrap_or(self.validator.settings.mode)
    }

    fn inspect_in(
        &self,
        mode: ValidationMode,
        operation: &'static str,
        input: &(dyn Any + Send + Sync),
    ) -> Result<(), BoxError> {
        if mode != ValidationMode::Off {
            if let Some(verdict) = self.validator.verdict(operation, input) {
                report::record(|r| r.features = verdict.features);
                if let Err(error) = verdict.result {
                    if mode == ValidationMode::Enforce {
                        return Err(Box::new(error));
                    }
                    warn(operation, &error);
                    report::record(|r| r.warning = Some(error));
                }
            }
        }
        match &self.next {
            Some(next) => next.inspect(operation, input),
            None => Ok(()),
        }
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

impl InspectInput for ValidationInspector {
    fn inspect(
        &self,
        operation: &'static str,
        input: &(dyn Any + Send + Sync),
    ) -> Result<(), BoxError> {
        self.inspect_in(self.mode(None), operation, input)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

/// The inspector of one call with its own mode.
#[derive(Debug)]
pub(crate) struct CallInspector {
    pub(super) inspector: ValidationInspector,
    pub(super) mode: ValidationMode,
}

impl InspectInput for CallInspector {
    fn inspect(
        &self,
        operation: &'static str,
        input: &(dyn Any + Send + Sync),
    ) -> Result<(), BoxError> {
        self.inspector.inspect_in(self.mode, operation, input)
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
