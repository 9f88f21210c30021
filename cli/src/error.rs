//! How a command fails: the exit codes and [`CliError`]. A module of its own so that the
//! fuzz harness of the parameter parsing (`fuzz/src/cli_params.rs`) can include it.

use std::fmt;

/// The exit codes (those of the AWS CLI, plus [`exit::REJECTED`]).
pub mod exit {
    /// A dry run passed the checks it could make, but could not make them all (the
    /// meeting's features are unknown).
    pub const INCOMPLETE: u8 = 250;
    /// A capability rule rejected the call locally (the service would answer 400);
    /// nothing was sent.
    pub const REJECTED: u8 = 251;
    /// The command line could not be parsed, or a value breaks the model's constraints.
    pub const USAGE: u8 = 252;
    /// No region, or no credentials, could be found.
    pub const CONFIG: u8 = 253;
    /// The service answered with an error.
    pub const SERVICE: u8 = 254;
    /// Any other failure.
    pub const OTHER: u8 = 255;
}

/// Why a command failed; [`CliError::exit_code`] maps it to an [`exit`] code and
/// `Display` is the one line printed on stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CliError {
    /// A dry run's verdict is incomplete; the string says what was not checked.
    Incomplete(String),
    /// A capability rule rejected the call locally.
    Rejected(String),
    /// Bad arguments.
    Usage(String),
    /// No region or credentials.
    Config(String),
    /// The service's error, formatted as the AWS CLI formats it.
    Service(String),
    /// Anything else.
    Other(String),
}

impl CliError {
    /// A value the model refuses, worded as the AWS CLI words it.
    pub fn invalid_parameter(e: impl fmt::Display) -> CliError {
        CliError::Usage(format!("Parameter validation failed: {e}"))
    }

    /// The process exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Incomplete(_) => exit::INCOMPLETE,
            CliError::Rejected(_) => exit::REJECTED,
            CliError::Usage(_) => exit::USAGE,
            CliError::Config(_) => exit::CONFIG,
            CliError::Service(_) => exit::SERVICE,
            CliError::Other(_) => exit::OTHER,
        }
    }
}

/// One line: every run of whitespace (newlines included) becomes one space.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Rejected(m) => {
                write!(
                    f,
                    "chime-caps: rejected locally, nothing was sent: {}",
                    one_line(m)
                )
            }
            CliError::Incomplete(m) => {
                write!(f, "chime-caps: incomplete verdict: {}", one_line(m))
            }
            CliError::Usage(m) | CliError::Config(m) | CliError::Other(m) => {
                write!(f, "chime-caps: error: {}", one_line(m))
            }
            CliError::Service(m) => f.write_str(&one_line(m)),
        }
    }
}

impl std::error::Error for CliError {}
