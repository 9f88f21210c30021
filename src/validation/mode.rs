//! [`ValidationMode`] and its environment override.

use std::fmt;
use std::str::FromStr;

/// The environment variable operators set to change the validation mode of every
/// client the process builds, without a rebuild: `enforce`, `warn` or `off`
/// (case-insensitive). It wins over the config and over per-call modes.
pub const ENV_VAR: &str = "CHIME_CAPS_VALIDATION";

/// What the client does with a call that breaks a capability rule or a model
/// constraint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ValidationMode {
    /// Reject the call locally: `send()` returns `SdkError::ConstructionFailure`
    /// carrying a [`ValidationError`](super::ValidationError) and sends no request.
    #[default]
    Enforce,
    /// Emit a `tracing` warning and send the call anyway.
    Warn,
    /// Check nothing (the client still learns meetings and reports notices).
    Off,
}

impl ValidationMode {
    /// The mode's name as [`ENV_VAR`] spells it: `enforce`, `warn` or `off`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ValidationMode::Enforce => "enforce",
            ValidationMode::Warn => "warn",
            ValidationMode::Off => "off",
        }
    }

    /// The mode [`ENV_VAR`] sets, read now. Unset or empty is `None`; a value that is
    /// not a mode is ignored with a `tracing` warning (so a typo never breaks a
    /// deployment, and the warning says what was wrong).
    pub(crate) fn from_env() -> Option<ValidationMode> {
        let value = std::env::var_os(ENV_VAR)?;
        let text = value.to_string_lossy();
        if text.trim().is_empty() {
            return None;
        }
        match text.parse() {
            Ok(mode) => Some(mode),
            Err(err) => {
                tracing::warn!(target: super::TRACING_TARGET, "{err}; ignoring it");
                None
            }
        }
    }
}

impl fmt::Display for ValidationMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A string that is not `enforce`, `warn` or `off`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidMode(String);

impl fmt::Display for InvalidMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "`{}` is not a validation mode; use enforce, warn or off (as in {ENV_VAR}=off)",
            self.0
        )
    }
}

impl std::error::Error for InvalidMode {}

impl FromStr for ValidationMode {
    type Err = InvalidMode;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        [
            ValidationMode::Enforce,
            ValidationMode::Warn,
            ValidationMode::Off,
        ]
        .into_iter()
        .find(|mode| mode.as_str().eq_ignore_ascii_case(s))
        .ok_or_else(|| InvalidMode(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_case_insensitively_and_explains_bad_values() {
        assert_eq!(" Enforce ".parse(), Ok(ValidationMode::Enforce));
        assert_eq!("WARN".parse(), Ok(ValidationMode::Warn));
        assert_eq!("off".parse(), Ok(ValidationMode::Off));
        let err = "of".parse::<ValidationMode>().unwrap_err();
        assert_eq!(err.to_string(), "`of` is not a validation mode; use enforce, warn or off (as in CHIME_CAPS_VALIDATION=off)");
    }
}
