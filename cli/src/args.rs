//! The command line, as clap parses it.

use clap::{Args, Parser, Subcommand, ValueEnum};

use chime_caps::emulator::server::{
    DEFAULT_BODY_READ_TIMEOUT, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS,
};
use chime_caps::validation::ValidationMode;

const EXAMPLES: &str = "\
Examples:
  # See every capability rule at work against the embedded emulator (no AWS account):
  chime-caps demo

  # Run the emulator for the AWS CLI, boto3 or an SDK (prints the endpoint and credentials):
  chime-caps emulator --port 8000

  # The same, failing 2 % of the requests with 503 and losing 1 % of the responses:
  chime-caps emulator --port 8000 --fault-service-unavailable 0.02 --fault-drop-reply 0.01

  # Mute an attendee's audio and video, keep content receive-only:
  chime-caps update-attendee-capabilities --meeting-id M --attendee-id A \\
      --capabilities Audio=Receive,Video=Receive,Content=Receive

  # Mute everyone except the presenter:
  chime-caps batch-update-attendee-capabilities-except --meeting-id M \\
      --excluded-attendee-ids AttendeeId=P --capabilities Audio=Receive,Video=Receive,Content=Receive

Exit codes: 0 success, 250 --dry-run could not check every rule (the meeting's
features are unknown), 251 rejected locally by a capability rule (nothing sent),
252 bad arguments or an input over 4 MiB, 253 missing region or credentials, 254 the
service answered with an error, 255 any other failure (the endpoint could not be
reached or timed out, a response over 1 MiB, an unknown --profile).

Every request is bounded by --cli-connect-timeout and --cli-read-timeout (60 s each
by default, 0 for none), and the whole call, retries included, by attempts x
(connect + read).";

const UPDATE_EXAMPLES: &str = "\
Examples:
  chime-caps update-attendee-capabilities --meeting-id M --attendee-id A \\
      --capabilities Audio=SendReceive,Video=Receive,Content=None
  chime-caps update-attendee-capabilities --meeting-id M --attendee-id A \\
      --capabilities '{\"Audio\":\"Receive\",\"Video\":\"None\",\"Content\":\"None\"}' --dry-run
  chime-caps update-attendee-capabilities --cli-input-json file://update.json \\
      --endpoint-url http://127.0.0.1:8000 --output table";

const BATCH_EXAMPLES: &str = "\
Examples:
  chime-caps batch-update-attendee-capabilities-except --meeting-id M \\
      --excluded-attendee-ids AttendeeId=X AttendeeId=Y \\
      --capabilities Audio=Receive,Video=Receive,Content=Receive
  chime-caps batch-update-attendee-capabilities-except --meeting-id M \\
      --excluded-attendee-ids '[{\"AttendeeId\":\"X\"}]' --capabilities file://caps.json";

/// `chime-caps`: Amazon Chime SDK Meetings attendee capabilities, validated locally.
#[derive(Debug, Parser)]
#[command(
    name = "chime-caps",
    version,
    about = "Change Amazon Chime SDK attendee capabilities with local validation, \
             and run an emulator of the service",
    after_help = EXAMPLES,
    arg_required_else_help = true
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command accepts, anywhere on the line (as the AWS CLI's).
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Send requests to this URL instead of the service's regional endpoint.
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// The region (default: from the environment or profile; us-east-1 for `emulator`).
    #[arg(long, global = true, value_name = "REGION")]
    pub region: Option<String>,
    /// The named profile of the shared config and credentials files.
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// How to print the response.
    #[arg(long, global = true, value_enum, default_value_t = OutputFormat::Json)]
    pub output: OutputFormat,
    /// What to do with a capability change the service would refuse:
    /// reject it locally, warn and send it, or check nothing.
    #[arg(long, global = true, value_name = "MODE", default_value = "enforce",
          value_parser = parse_mode)]
    pub validation: ValidationMode,
    /// Log the SDK's and the emulator's debug output to stderr.
    #[arg(long, global = true)]
    pub debug: bool,
    /// Seconds to wait for a connection to open (0: no limit), for every request.
    #[arg(long, global = true, value_name = "SECONDS",
          default_value_t = crate::config::DEFAULT_TIMEOUT_SECS)]
    pub cli_connect_timeout: u64,
    /// Seconds to wait for data (the response, and each piece of its body) before
    /// giving up (0: no limit), for every request.
    #[arg(long, global = true, value_name = "SECONDS",
          default_value_t = crate::config::DEFAULT_TIMEOUT_SECS)]
    pub cli_read_timeout: u64,
}

fn parse_mode(s: &str) -> Result<ValidationMode, String> {
    s.parse()
        .map_err(|e: chime_caps::validation::InvalidMode| e.to_string())
}

/// The `--output` formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// The response body as JSON, like the AWS CLI.
    Json,
    /// The response as a two-column table.
    Table,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the capability demo against an in-process emulator (no account, no network).
    Demo,
    /// Run the Chime SDK Meetings emulator on 127.0.0.1 until Ctrl-C.
    Emulator(EmulatorArgs),
    /// Set one attendee's audio, video and content capabilities.
    #[command(after_help = UPDATE_EXAMPLES)]
    UpdateAttendeeCapabilities(UpdateArgs),
    /// Set the capabilities of every attendee of a meeting except the excluded ones.
    #[command(after_help = BATCH_EXAMPLES)]
    BatchUpdateAttendeeCapabilitiesExcept(BatchArgs),
}

/// `emulator` options (the region is the global `--region`).
#[derive(Debug, Clone, Args)]
pub struct EmulatorArgs {
    /// The port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// The access key id clients must sign with (default: AKIDCHIMECAPSEMULATOR).
    #[arg(long, requires = "secret_access_key", value_name = "KEY")]
    pub access_key_id: Option<String>,
    /// The secret access key clients must sign with (default: chime-caps-emulator-secret).
    #[arg(long, requires = "access_key_id", value_name = "SECRET")]
    pub secret_access_key: Option<String>,
    /// Most connections served at once; more are answered 503 and closed at once.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_CONNECTIONS,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    pub max_connections: usize,
    /// Seconds a client may take to send a request head, and again its body.
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_BODY_READ_TIMEOUT.as_secs(),
          value_parser = clap::value_parser!(u64).range(1..))]
    pub read_timeout: u64,
    /// Seconds a keep-alive connection may stay idle between requests.
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_IDLE_TIMEOUT.as_secs(),
          value_parser = clap::value_parser!(u64).range(1..))]
    pub idle_timeout: u64,
    /// Fault injection: share of requests (0 to 1) whose connection is closed before
    /// they are handled.
    #[arg(long, value_name = "RATE", default_value_t = 0.0, value_parser = fault_rate)]
    pub fault_drop_connection: f64,
    /// Fault injection: share of requests that are handled but whose response is not
    /// sent (the connection is closed), so that the client retries a change already made.
    #[arg(long, value_name = "RATE", default_value_t = 0.0, value_parser = fault_rate)]
    pub fault_drop_reply: f64,
    /// Fault injection: share of requests answered 503 ServiceUnavailableException
    /// without being handled.
    #[arg(long, value_name = "RATE", default_value_t = 0.0, value_parser = fault_rate)]
    pub fault_service_unavailable: f64,
    /// Fault injection: share of requests delayed (by up to --fault-max-delay-ms)
    /// before they are handled.
    #[arg(long, value_name = "RATE", default_value_t = 0.0, value_parser = fault_rate)]
    pub fault_delay: f64,
    /// The longest injected delay, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 50)]
    pub fault_max_delay_ms: u64,
    /// Seed of the injected faults: the same seed and the same order of requests
    /// inject the same faults.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub fault_seed: u64,
}

/// A `--fault-*` rate: a share of requests, from 0 to 1.
fn fault_rate(value: &str) -> Result<f64, String> {
    let rate: f64 = value
        .parse()
        .map_err(|_| format!("{value:?} is not a number; give a share of requests such as 0.02"))?;
    if (0.0..=1.0).contains(&rate) {
        Ok(rate)
    } else {
        Err(format!(
            "{value} is not between 0 and 1; 0.02 injects the fault into 2 % of the requests"
        ))
    }
}

/// Options of both capability operations.
#[derive(Debug, Clone, Args)]
pub struct CallArgs {
    /// Capabilities as shorthand (Audio=SendReceive,Video=Receive,Content=None), JSON,
    /// or file://PATH.
    #[arg(long, value_name = "CAPABILITIES")]
    pub capabilities: Option<String>,
    /// The whole input as JSON (or file://PATH); options given on the line win.
    #[arg(long, value_name = "JSON")]
    pub cli_input_json: Option<String>,
    /// Validate locally and print the verdict; send nothing that changes anything.
    #[arg(long)]
    pub dry_run: bool,
    /// Do not call GetMeeting/GetAttendee/ListAttendees first: the meeting's
    /// features stay unknown (VideoDisabled and ContentDisabled are not checked) and
    /// no notices are shown.
    #[arg(long)]
    pub no_lookup: bool,
}

/// `update-attendee-capabilities` options.
#[derive(Debug, Clone, Args)]
pub struct UpdateArgs {
    /// The meeting's id.
    #[arg(long, value_name = "ID")]
    pub meeting_id: Option<String>,
    /// The attendee's id.
    #[arg(long, value_name = "ID")]
    pub attendee_id: Option<String>,
    #[command(flatten)]
    pub call: CallArgs,
}

/// `batch-update-attendee-capabilities-except` options.
#[derive(Debug, Clone, Args)]
pub struct BatchArgs {
    /// The meeting's id.
    #[arg(long, value_name = "ID")]
    pub meeting_id: Option<String>,
    /// Attendees to leave unchanged: AttendeeId=ID ..., or a JSON list
    /// ([{"AttendeeId":"ID"}]), or file://PATH.
    #[arg(long, num_args = 1.., value_name = "AttendeeId=ID")]
    pub excluded_attendee_ids: Vec<String>,
    #[command(flatten)]
    pub call: CallArgs,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn global_options_go_anywhere() {
        let cli = Cli::try_parse_from([
            "chime-caps",
            "--region",
            "eu-west-1",
            "batch-update-attendee-capabilities-except",
            "--excluded-attendee-ids",
            "AttendeeId=a",
            "AttendeeId=b",
            "--meeting-id",
            "m",
            "--validation",
            "WARN",
            "--output",
            "table",
        ])
        .unwrap();
        assert_eq!(cli.global.region.as_deref(), Some("eu-west-1"));
        assert_eq!(cli.global.validation, ValidationMode::Warn);
        assert_eq!(cli.global.output, OutputFormat::Table);
        let Command::BatchUpdateAttendeeCapabilitiesExcept(args) = cli.command else {
            panic!("wrong command");
        };
        assert_eq!(args.excluded_attendee_ids, ["AttendeeId=a", "AttendeeId=b"]);
        let err =
            Cli::try_parse_from(["chime-caps", "--validation", "strict", "demo"]).unwrap_err();
        assert!(err.to_string().contains("enforce, warn or off"), "{err}");
    }
}
