//! The `chime-caps` binary: the two capability operations with the AWS CLI's option
//! names, shorthand and exit codes, plus `demo` and `emulator`. Everything here is
//! private to the binary; the library is the `chime-caps` crate.
//!
//! | Exit code | Meaning |
//! |---|---|
//! | 0 | success (for `--dry-run`: every check passed) |
//! | [`exit::INCOMPLETE`] (250) | `--dry-run` only: the checks that could be made passed, but some could not be made |
//! | [`exit::REJECTED`] (251) | rejected locally by a capability rule; nothing was sent |
//! | [`exit::USAGE`] (252) | bad arguments, or a value that breaks the model's constraints |
//! | [`exit::CONFIG`] (253) | no region or no credentials |
//! | [`exit::SERVICE`] (254) | the service answered with an error |
//! | [`exit::OTHER`] (255) | anything else (endpoint unreachable, timeout, I/O) |

mod args;
mod call;
mod config;
mod demo;
mod error;
mod output;
mod params;
mod response_bound;
mod shorthand;
mod standalone;

use std::fmt;
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::Parser;

use args::{Cli, Command};
use error::{exit, one_line, CliError};

/// Runs a parsed command line.
async fn run(cli: Cli) -> Result<(), CliError> {
    let global = &cli.global;
    match &cli.command {
        Command::Demo => demo::run(&mut std::io::stdout().lock())
            .await
            .map_err(|e| CliError::Other(format!("the demo failed: {e}"))),
        Command::Emulator(args) => standalone::serve(global, args).await,
        Command::UpdateAttendeeCapabilities(args) => call::update(global, args).await,
        Command::BatchUpdateAttendeeCapabilitiesExcept(args) => call::batch(global, args).await,
    }
}

/// One line from clap's multi-line error: the error, its tips, and where to look.
fn usage_line(err: &clap::Error) -> String {
    let text = err.render().to_string();
    let parts: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("Usage:") && !l.starts_with("For more"))
        .collect();
    format!("chime-caps: {}; see 'chime-caps --help'", parts.join("; "))
}

/// `--debug` (or `RUST_LOG`) logs everything asked for; otherwise only the
/// validation's warnings are printed, as `warning: ...` lines.
fn init_logging(debug: bool) {
    use tracing_subscriber::EnvFilter;
    let builder = tracing_subscriber::fmt().with_writer(std::io::stderr);
    if debug {
        builder.with_env_filter(EnvFilter::new("debug")).init();
    } else if std::env::var_os("RUST_LOG").is_some() {
        builder
            .with_env_filter(EnvFilter::from_default_env())
            .init();
    } else {
        let filter = EnvFilter::new(format!("{}=warn", chime_caps::validation::TRACING_TARGET));
        builder
            .with_env_filter(filter)
            .event_format(WarningLine)
            .init();
    }
}

/// Formats an event as `warning: <message>` (its other fields are left out).
struct WarningLine;

impl<S, N> tracing_subscriber::fmt::FormatEvent<S, N> for WarningLine
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
    N: for<'a> tracing_subscriber::fmt::FormatFields<'a> + 'static,
{
    fn format_event(
        &self,
        _ctx: &tracing_subscriber::fmt::FmtContext<'_, S, N>,
        mut writer: tracing_subscriber::fmt::format::Writer<'_>,
        event: &tracing::Event<'_>,
    ) -> fmt::Result {
        struct Message(String);
        impl tracing::field::Visit for Message {
            fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn fmt::Debug) {
                if field.name() == "message" {
                    self.0 = format!("{value:?}");
                }
            }
        }
        let mut message = Message(String::new());
        event.record(&mut message);
        writeln!(writer, "warning: {}", one_line(&message.0))
    }
}

/// Parses `std::env::args`, runs the command on a tokio runtime, prints errors on
/// stderr and returns the exit code.
fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err)
            if matches!(
                err.kind(),
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
            ) =>
        {
            let _ = err.print();
            return ExitCode::SUCCESS;
        }
        Err(err) if err.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = err.print();
            return ExitCode::from(exit::USAGE);
        }
        Err(err) => {
            eprintln!("{}", usage_line(&err));
            return ExitCode::from(exit::USAGE);
        }
    };
    init_logging(cli.global.debug);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("chime-caps: error: could not start the async runtime: {e}");
            return ExitCode::from(exit::OTHER);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("{err}");
            ExitCode::from(err.exit_code())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clap_errors_become_one_line() {
        let err = Cli::try_parse_from([
            "chime-caps",
            "update-attendee-capabilities",
            "--meetingid",
            "m",
        ])
        .unwrap_err();
        let line = usage_line(&err);
        assert!(!line.contains('\n'), "{line}");
        assert!(line.contains("unexpected argument '--meetingid'"), "{line}");
        assert!(line.contains("--meeting-id"), "{line}");
    }

    #[test]
    fn every_error_has_its_code() {
        for (e, code) in [
            (CliError::Incomplete(String::new()), 250),
            (CliError::Rejected(String::new()), 251),
            (CliError::Usage(String::new()), 252),
            (CliError::Config(String::new()), 253),
            (CliError::Service(String::new()), 254),
            (CliError::Other(String::new()), 255),
        ] {
            assert_eq!(e.exit_code(), code);
        }
    }
}
