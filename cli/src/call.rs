//! Running the two capability operations: configuration, the lookups that teach the
//! client what a one-shot process cannot know, the local check, and the call.

use std::fmt;
use std::time::Duration;

use aws_credential_types::provider::{ProvideCredentials, SharedCredentialsProvider};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_smithy_types::retry::RetryConfig;
use aws_types::SdkConfig;
use serde_json::{json, Value};

use chime_caps::error::SdkError;
use chime_caps::operation::batch_update_attendee_capabilities_except::{
    BatchUpdateAttendeeCapabilitiesExcept, BatchUpdateAttendeeCapabilitiesExceptInput,
};
use chime_caps::operation::update_attendee_capabilities::{
    UpdateAttendeeCapabilities, UpdateAttendeeCapabilitiesInput,
};
use chime_caps::rules::{self, MeetingFeatures, Rule};
use chime_caps::types::{Attendee, AttendeeCapabilities};
use chime_caps::validation::{
    AttendeeNotice, CapabilityErrorExt, CapabilityReport, SendWithReport, Validate,
    ValidationClientExt, ValidationConfigExt, ValidationError, ValidationMode, ValidationSettings,
};
use chime_caps::Client;

use super::args::{BatchArgs, CallArgs, GlobalArgs, OutputFormat, UpdateArgs};
use super::config::{self, Timeouts, LOOKUP_TIMEOUT};
use super::output;
use super::params::{BatchRequest, UpdateRequest};
use super::CliError;

/// The longest resolving credentials may take.
const CREDENTIALS_TIMEOUT: Duration = Duration::from_secs(10);

const UPDATE: &str = "UpdateAttendeeCapabilities";
const BATCH: &str = "BatchUpdateAttendeeCapabilitiesExcept";

/// Which attendees' current capabilities the lookup reads (for the notices).
enum Attendees<'a> {
    One(&'a str),
    AllExcept(&'a [String]),
}

/// What the lookups learned.
struct Lookup {
    /// The meeting's features, or why they are unknown.
    features: Result<MeetingFeatures, String>,
    attendees: Vec<(String, AttendeeCapabilities)>,
}

impl Lookup {
    fn without_features(why: impl Into<String>) -> Self {
        Lookup {
            features: Err(why.into()),
            attendees: Vec::new(),
        }
    }
}

/// The configured client, and why requests cannot be signed, if they cannot.
struct Session {
    sdk: SdkConfig,
    timeouts: Timeouts,
    client: Client,
    unsendable: Option<String>,
    output: OutputFormat,
}

impl Session {
    /// Loads region and credentials (see [`config::load`]); resolving credentials is
    /// skipped when `offline`.
    async fn open(global: &GlobalArgs, offline: bool) -> Result<Session, CliError> {
        let mut sdk = config::load(global).await?;
        let timeouts = Timeouts::from_args(global);
        let mut unsendable = None;
        if sdk.region().is_none() {
            unsendable = Some(
                "You must specify a region: use --region, set AWS_REGION, or set region in the \
                 profile."
                    .to_string(),
            );
        } else if !offline {
            match resolve_credentials(&sdk).await {
                Ok(provider) => {
                    sdk = sdk.to_builder().credentials_provider(provider).build();
                }
                Err(why) => unsendable = Some(why),
            }
        }
        let attempts = sdk.retry_config().map_or(3, RetryConfig::max_attempts);
        let config = timeouts
            .client_config(&sdk, timeouts.for_call(attempts))
            // A typo in an id on the command line is caught before anything is sent.
            .validation(
                ValidationSettings::new()
                    .mode(global.validation)
                    .model_constraints(true),
            )
            .build();
        Ok(Session {
            client: Client::from_conf(config),
            sdk,
            timeouts,
            unsendable,
            output: global.output,
        })
    }

    fn mode(&self) -> ValidationMode {
        self.client.validation().mode()
    }

    fn ensure_sendable(&self) -> Result<(), CliError> {
        match &self.unsendable {
            Some(why) => Err(CliError::Config(why.clone())),
            None => Ok(()),
        }
    }

    /// The session of a capability call, and what its lookups learned (nothing with
    /// `--no-lookup`).
    async fn for_call(
        global: &GlobalArgs,
        call: &CallArgs,
        meeting_id: &str,
        attendees: Attendees<'_>,
    ) -> Result<(Session, Lookup), CliError> {
        let session = Session::open(global, call.dry_run && call.no_lookup).await?;
        let lookup = if call.no_lookup {
            Lookup::without_features("--no-lookup was given")
        } else {
            session.look_up(meeting_id, attendees).await
        };
        Ok((session, lookup))
    }

    /// `GetMeeting`, then `GetAttendee` or `ListAttendees`, within
    /// [`LOOKUP_TIMEOUT`]; a failure only warns. What is learned is registered with
    /// the client's validation, so that the call is checked against it.
    async fn look_up(&self, meeting_id: &str, attendees: Attendees<'_>) -> Lookup {
        let unknown = |why: String| {
            warn_unchecked(meeting_id, &why);
            Lookup::without_features(format!("the lookup of the meeting failed: {why}"))
        };
        if let Some(why) = &self.unsendable {
            return unknown(why.clone());
        }
        let client = chime_caps_generated::Client::from_conf(
            self.timeouts
                .client_config(&self.sdk, self.timeouts.for_lookup())
                .retry_config(RetryConfig::standard().with_max_attempts(2))
                .build(),
        );
        let deadline = tokio::time::Instant::now() + LOOKUP_TIMEOUT;
        let meeting =
            tokio::time::timeout_at(deadline, client.get_meeting().meeting_id(meeting_id).send())
                .await;
        let mut lookup = match meeting {
            Ok(Ok(out)) => match out.meeting {
                Some(meeting) => {
                    self.client.validation().register_meeting_from(&meeting);
                    Lookup {
                        features: Ok(MeetingFeatures::of_meeting(&meeting)),
                        attendees: Vec::new(),
                    }
                }
                None => return unknown("GetMeeting answered without a meeting".into()),
            },
            Ok(Err(err)) => return unknown(format!("GetMeeting failed: {}", reason(&err))),
            Err(_) => {
                return unknown(format!(
                    "GetMeeting did not answer within {} s",
                    LOOKUP_TIMEOUT.as_secs()
                ))
            }
        };
        let read = async {
            match attendees {
                Attendees::One(attendee_id) => client
                    .get_attendee()
                    .meeting_id(meeting_id)
                    .attendee_id(attendee_id)
                    .send()
                    .await
                    .map(|out| out.attendee.into_iter().collect::<Vec<_>>())
                    .map_err(|e| format!("GetAttendee failed: {}", reason(&e))),
                Attendees::AllExcept(_) => {
                    let mut all = Vec::new();
                    let mut token = None;
                    loop {
                        let page = client
                            .list_attendees()
                            .meeting_id(meeting_id)
                            .set_next_token(token)
                            .send()
                            .await
                            .map_err(|e| format!("ListAttendees failed: {}", reason(&e)))?;
                        all.extend(page.attendees.unwrap_or_default());
                        token = page.next_token;
                        if token.is_none() {
                            break Ok(all);
                        }
                    }
                }
            }
        };
        let found: Vec<Attendee> = match tokio::time::timeout_at(deadline, read).await {
            Ok(Ok(found)) => found,
            Ok(Err(why)) => {
                eprintln!("warning: {why}; notices about the change are not shown.");
                return lookup;
            }
            Err(_) => {
                eprintln!("warning: reading the attendees timed out; notices about the change are not shown.");
                return lookup;
            }
        };
        let excluded = match attendees {
            Attendees::AllExcept(excluded) => excluded,
            Attendees::One(_) => &[],
        };
        for attendee in found {
            let (Some(id), Some(caps)) = (attendee.attendee_id, attendee.capabilities) else {
                continue;
            };
            if excluded.iter().any(|x| x.eq_ignore_ascii_case(&id)) {
                continue;
            }
            self.client
                .validation()
                .register_attendee(meeting_id, &id, caps.clone());
            lookup.attendees.push((id, caps));
        }
        lookup
    }

    /// Prints the verdict of a `--dry-run` on `input` (shown as `shown`) and turns a
    /// rejection into its error.
    fn dry_run(
        &self,
        operation: &str,
        input: Result<impl Validate, impl fmt::Display>,
        shown: Value,
        requested: &AttendeeCapabilities,
        lookup: &Lookup,
    ) -> Result<(), CliError> {
        let constraints = input.map_err(CliError::invalid_parameter)?.validate();
        let mode = self.mode();
        let features = lookup.features.as_ref().ok();
        let verdict = match mode {
            ValidationMode::Off => Ok(()),
            _ => constraints
                .map_err(ValidationError::Constraint)
                .and_then(|()| {
                    rules::check(features, requested).map_err(ValidationError::Capability)
                }),
        };
        let notices: Vec<String> = lookup
            .attendees
            .iter()
            .flat_map(|(id, current)| {
                rules::notices(current, requested).map(move |n| format!("attendee {id}: {n}"))
            })
            .collect();
        let (checked, not_checked) = checked_rules(mode, features.is_some());
        let incomplete = match &lookup.features {
            Err(why) if mode != ValidationMode::Off && verdict.is_ok() => Some(format!(
                "{} not checked because the meeting's features are unknown ({why}); the \
                 service may still refuse the request",
                not_checked.join(" and ")
            )),
            _ => None,
        };
        let outcome = match (&verdict, mode) {
            (_, ValidationMode::Off) => "not checked",
            (Err(_), ValidationMode::Warn) => "accepted with a warning",
            (Err(_), _) => "rejected",
            (Ok(()), _) if incomplete.is_some() => "incomplete",
            (Ok(()), _) => "accepted",
        };
        let report = json!({
            "DryRun": true,
            "Operation": operation,
            "Validation": mode.as_str(),
            "MeetingFeatures": if features.is_some() { "known" } else { "unknown" },
            "Verdict": outcome,
            "RulesChecked": checked,
            "RulesNotChecked": not_checked,
            "Violation": verdict.as_ref().err().map(ToString::to_string),
            "Notices": notices,
            "Input": shown,
        });
        if let Some(text) = output::render(self.output, operation, &report) {
            println!("{text}");
        }
        match verdict {
            Err(e) if mode == ValidationMode::Enforce => Err(rejection(operation, &e)),
            Err(e) => {
                eprintln!("warning: the service would refuse this request: {e}");
                Ok(())
            }
            Ok(()) => match incomplete {
                Some(why) => Err(CliError::Incomplete(format!("{operation}: {why}"))),
                None => Ok(()),
            },
        }
    }

    /// Prints the notices of an accepted call and its output (a violation let
    /// through by `--validation warn` was already logged as a warning).
    fn finish(&self, operation: &str, report: &CapabilityReport, response: &Value) {
        print_notices(&report.notices);
        if let Some(text) = output::render(self.output, operation, response) {
            println!("{text}");
        }
    }
}

async fn resolve_credentials(sdk: &SdkConfig) -> Result<SharedCredentialsProvider, String> {
    let hint = "configure credentials with AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, --profile, \
                or the shared credentials file";
    let Some(provider) = sdk.credentials_provider() else {
        return Err(format!("Unable to locate credentials; {hint}."));
    };
    match tokio::time::timeout(CREDENTIALS_TIMEOUT, provider.provide_credentials()).await {
        Ok(Ok(credentials)) => Ok(SharedCredentialsProvider::new(credentials)),
        Ok(Err(e)) => Err(format!("Unable to locate credentials ({e}); {hint}.")),
        Err(_) => Err(format!("Timed out locating credentials; {hint}.")),
    }
}

/// The checks a dry run made in `mode`, and those it could not make: the rules that
/// need the meeting's features when they are unknown, or everything with
/// `--validation off`.
fn checked_rules(
    mode: ValidationMode,
    features_known: bool,
) -> (Vec<&'static str>, Vec<&'static str>) {
    let all = std::iter::once(MODEL_CONSTRAINTS).chain(Rule::ALL.map(Rule::as_str));
    if mode == ValidationMode::Off {
        return (Vec::new(), all.collect());
    }
    let needs_features = |check: &&str| {
        *check == Rule::VideoDisabled.as_str() || *check == Rule::ContentDisabled.as_str()
    };
    all.partition(|check| features_known || !needs_features(check))
}

/// How the dry-run report names the checks of the generated `validate()`.
const MODEL_CONSTRAINTS: &str = "model constraints";

fn warn_unchecked(meeting_id: &str, why: &str) {
    eprintln!(
        "warning: could not look up meeting {meeting_id} ({why}); the rules VideoDisabled and \
         ContentDisabled are not checked."
    );
}

fn print_notices(notices: &[AttendeeNotice]) {
    for notice in notices {
        eprintln!("notice: {notice}");
    }
}

/// One line about a failed request.
fn reason<E: ProvideErrorMetadata + std::error::Error + 'static>(
    err: &SdkError<E, HttpResponse>,
) -> String {
    match err {
        SdkError::ServiceError(e) => {
            let (code, message) = code_and_message(e.err());
            format!("{code}: {message}")
        }
        _ => DisplayErrorContext(err).to_string(),
    }
}

/// A service error's code and message, or the AWS CLI's placeholders.
fn code_and_message(e: &impl ProvideErrorMetadata) -> (&str, &str) {
    (
        e.code().unwrap_or("UnknownError"),
        e.message().unwrap_or("no message"),
    )
}

fn rejection(operation: &str, e: &ValidationError) -> CliError {
    match e {
        ValidationError::Capability(v) => CliError::Rejected(format!("{operation}: {v}")),
        ValidationError::Constraint(v) => CliError::invalid_parameter(v),
        // A kind of local rejection added to the library later: still nothing was sent.
        other => CliError::Rejected(format!("{operation}: {other}")),
    }
}

/// The exit-code class of a failed call.
fn classify<E: ProvideErrorMetadata + std::error::Error + 'static>(
    operation: &str,
    err: SdkError<E, HttpResponse>,
) -> CliError {
    if let Some(e) = err.as_validation_error() {
        return rejection(operation, e);
    }
    match &err {
        SdkError::ServiceError(e) => {
            let (code, message) = code_and_message(e.err());
            CliError::Service(format!(
                "An error occurred ({code}) when calling the {operation} operation: {message}"
            ))
        }
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => CliError::Other(format!(
            "Could not complete the {operation} call: {}",
            DisplayErrorContext(&err)
        )),
        _ => CliError::Other(format!("{operation} failed: {}", DisplayErrorContext(&err))),
    }
}

/// `update-attendee-capabilities`.
pub async fn update(global: &GlobalArgs, args: &UpdateArgs) -> Result<(), CliError> {
    let request = UpdateRequest::from_args(args)?;
    let (session, lookup) = Session::for_call(
        global,
        &args.call,
        &request.meeting_id,
        Attendees::One(&request.attendee_id),
    )
    .await?;
    if args.call.dry_run {
        let input = UpdateAttendeeCapabilitiesInput::builder()
            .meeting_id(&request.meeting_id)
            .attendee_id(&request.attendee_id)
            .capabilities(request.capabilities.clone())
            .build();
        let shown = json!({
            "MeetingId": request.meeting_id,
            "AttendeeId": request.attendee_id,
            "Capabilities": output::wire_value(&request.capabilities),
        });
        return session.dry_run(UPDATE, input, shown, &request.capabilities, &lookup);
    }
    session.ensure_sendable()?;
    let client = &session.client;
    let (output, report) = client
        .update_attendee_capabilities()
        .meeting_id(request.meeting_id)
        .attendee_id(request.attendee_id)
        .capabilities(request.capabilities)
        .send_with_report(&client.validation())
        .await
        .map_err(|e| classify(UPDATE, e))?;
    session.finish(
        UPDATE,
        &report,
        &output::response_value::<UpdateAttendeeCapabilities>(&output),
    );
    Ok(())
}

/// `batch-update-attendee-capabilities-except`.
pub async fn batch(global: &GlobalArgs, args: &BatchArgs) -> Result<(), CliError> {
    let request = BatchRequest::from_args(args)?;
    let excluded: Vec<String> = request
        .excluded_attendee_ids
        .iter()
        .map(|item| item.attendee_id.clone())
        .collect();
    let (session, lookup) = Session::for_call(
        global,
        &args.call,
        &request.meeting_id,
        Attendees::AllExcept(&excluded),
    )
    .await?;
    if args.call.dry_run {
        let input = BatchUpdateAttendeeCapabilitiesExceptInput::builder()
            .meeting_id(&request.meeting_id)
            .set_excluded_attendee_ids(Some(request.excluded_attendee_ids.clone()))
            .capabilities(request.capabilities.clone())
            .build();
        let shown = json!({
            "MeetingId": request.meeting_id,
            "ExcludedAttendeeIds": output::wire_value(&request.excluded_attendee_ids),
            "Capabilities": output::wire_value(&request.capabilities),
        });
        return session.dry_run(BATCH, input, shown, &request.capabilities, &lookup);
    }
    session.ensure_sendable()?;
    let client = &session.client;
    let (output, report) = client
        .batch_update_attendee_capabilities_except()
        .meeting_id(request.meeting_id)
        .set_excluded_attendee_ids(Some(request.excluded_attendee_ids))
        .capabilities(request.capabilities)
        .send_with_report(&client.validation())
        .await
        .map_err(|e| classify(BATCH, e))?;
    session.finish(
        BATCH,
        &report,
        &output::response_value::<BatchUpdateAttendeeCapabilitiesExcept>(&output),
    );
    Ok(())
}
