//! An emulator of the Amazon Chime SDK Meetings API — all 16 operations of the model:
//! meetings, attendees, attendee capabilities, live transcription and tags — served
//! over HTTP on `127.0.0.1`.
//!
//! Requests are routed and read, and responses written, by the generated server-side
//! bindings (`chime_caps_generated::operation::ROUTES` and each operation's
//! `ServerOperation` impl): the same model as the client's serializers, so the two
//! cannot disagree on paths, labels, query strings or bodies. The emulator verifies
//! SigV4 on every request, enforces the model's constraints, its enum values and the
//! capability rules ([`crate::rules`]) with the service's error shape, keeps its state
//! in memory, and can inject faults. Point any AWS SDK or the AWS CLI at
//! [`Emulator::endpoint_url`] with [`Emulator::credentials`].
//!
//! Where the service's documentation is silent, the emulator behaves as follows
//! (the behaviours a user might need the other way are switchable on
//! [`EmulatorBuilder`]):
//!
//! * Requests are authenticated before they are routed. A request no operation binds
//!   is `404 UnknownOperationException`, also when only its method differs from an
//!   operation's (the message names the methods that path takes); a path or query
//!   that is not percent-encoded UTF-8 is `400 BadRequestException`. The credential
//!   scope must name the emulator's region and the service [`SIGNING_NAME`], as the
//!   real endpoint requires.
//! * A request breaking the model's constraints (required members, lengths,
//!   patterns, ranges) or carrying an enum value the model does not list is
//!   `400 BadRequestException` naming the member, before anything else is checked; a
//!   required enum member that is absent is reported as required.
//! * Ids are lowercase version-4 UUIDs, matched in any case. `CreateMeeting` and
//!   `CreateMeetingWithAttendees` are idempotent by `ClientRequestToken`, and
//!   `CreateAttendee` and the batch creations by `ExternalUserId` (within the
//!   meeting): a repeat returns the existing resource unchanged, whatever else it asks
//!   for. A meeting's token lives as long as the meeting: after `DeleteMeeting`, the
//!   same token creates a new meeting.
//! * `MediaRegion` must be one of [`MEDIA_REGIONS`]. A meeting holds
//!   `MeetingFeatures.Attendee.MaxCount` attendees, or [`HIGH_RESOLUTION_MAX_ATTENDEES`]
//!   with FHD video or UHD content, or [`DEFAULT_MAX_ATTENDEES`]; one more is
//!   `LimitExceededException`.
//! * `ListAttendees` lists in creation order, [`DEFAULT_PAGE_SIZE`] per page by
//!   default; its `NextToken` is opaque, bound to the meeting, and survives
//!   attendees joining or leaving.
//! * `BatchUpdateAttendeeCapabilitiesExcept` is refused with `NotFoundException`
//!   (and changes nothing) when an excluded id is not an attendee of the meeting;
//!   [`EmulatorBuilder::unknown_excluded_ids`] switches to ignoring such ids.
//! * `BatchCreateAttendee` and `CreateMeetingWithAttendees` check each requested
//!   attendee as `CreateAttendee` would, in request order. An attendee whose
//!   capabilities break a rule, or whose `ExternalUserId` repeats an earlier one of
//!   the same request, is left out and listed in `Errors` (`ErrorCode` is the error
//!   code `CreateAttendee` would have answered, `BadRequest`, with its message); the
//!   others are created, and an `ExternalUserId` the meeting already has answers that
//!   attendee. `Attendees` lists the answers in request order; `Errors` is an empty
//!   list when nothing failed. The whole call fails, and nothing is created, when
//!   the request breaks the model's constraints, the meeting does not exist
//!   (`BatchCreateAttendee`: `NotFoundException`), or the new attendees do not all
//!   fit in the meeting (`LimitExceededException`; the meeting of a
//!   `CreateMeetingWithAttendees` is then not created either). Attendees of
//!   `CreateMeetingWithAttendees` are checked against the request's own
//!   `MeetingFeatures`.
//! * `StartMeetingTranscription` records the configuration on the meeting
//!   ([`Emulator::transcription`] shows it) and `StopMeetingTranscription` clears it;
//!   deleting the meeting clears it too. The configuration must set exactly one
//!   engine, and Amazon Transcribe settings exactly one of `LanguageCode` and
//!   `IdentifyLanguage`; everything else is accepted, as the service leaves it to
//!   Transcribe. A start on a meeting being transcribed replaces the configuration
//!   and a stop on one that is not succeeds, so retries are harmless;
//!   [`EmulatorBuilder::repeated_transcription_calls`] refuses both with
//!   `422 UnprocessableEntityException` instead.
//! * Tags belong to meetings and are named by the meeting's ARN
//!   (`arn:<partition>:chime:<region>:<account>:meeting/<id>`); any other ARN, or the
//!   ARN of a deleted meeting, is `404 ResourceNotFoundException` with the ARN as
//!   `ResourceName`. `TagResource` overwrites the value of a key the meeting has;
//!   going over [`MAX_TAGS`] tags is `400 TooManyTagsException` (with `ResourceName`)
//!   and changes nothing. A key given twice in one request, or a key starting with
//!   `aws:` in any case, is `400 BadRequestException`. `UntagResource` ignores keys the
//!   meeting does not have. `ListTagsForResource` lists the tags by key. Tags given to
//!   `CreateMeeting` or `CreateMeetingWithAttendees` follow the same rules, and a
//!   deleted meeting's tags are gone with it.
//! * `NotificationsConfiguration` is accepted and not used: the emulator publishes no
//!   meeting events.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use std::time::Duration;
//! use chime_caps::emulator::{Emulator, Fault, FaultRates};
//!
//! let emulator = Emulator::builder().region("eu-west-1").start().await?;
//! let client = chime_caps::Client::new(&emulator.client_config());
//! // The next two requests are throttled, then one is delayed; the client retries.
//! emulator.faults().fail_next(2, Fault::throttling());
//! emulator.faults().fail_next(1, Fault::Delay(Duration::from_millis(200)));
//! // Then 1 % of the requests lose their connection, 1 % are handled but lose their
//! // response, 2 % are answered 503, and 5 % wait up to 20 ms.
//! emulator.faults().set_rates(FaultRates {
//!     drop_connection: 0.01,
//!     drop_reply: 0.01,
//!     service_unavailable: 0.02,
//!     delay: 0.05,
//!     max_delay: Duration::from_millis(20),
//!     seed: 1,
//! }).expect("valid rates");
//! # let _ = client;
//! emulator.shutdown().await;
//! # Ok(())
//! # }
//! ```

mod faults;
#[doc(hidden)]
pub mod http1;
pub mod server;
#[doc(hidden)]
pub mod sigv4;

mod routes;
mod service;

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use aws_credential_types::provider::SharedCredentialsProvider;
use aws_credential_types::Credentials;
use aws_smithy_async::rt::sleep::default_async_sleep;
use aws_smithy_runtime_api::client::behavior_version::BehaviorVersion;
use aws_smithy_types::retry::RetryConfig;
use aws_types::region::Region;
use aws_types::sdk_config::SdkConfig;
use chime_caps_generated::types::TranscriptionConfiguration;

pub use server::{
    Fault, FaultControl, FaultRates, InjectedFaults, InvalidFaultRates, ServerOptions,
};
pub use service::{
    RepeatedTranscriptionCalls, StateSummary, UnknownExcludedIds, DEFAULT_MAX_ATTENDEES,
    DEFAULT_PAGE_SIZE, HIGH_RESOLUTION_MAX_ATTENDEES, MAX_TAGS, MEDIA_REGIONS,
};

use sigv4::SigV4Verifier;

/// Region of an emulator that is not told otherwise.
pub const DEFAULT_REGION: &str = "us-east-1";
/// Access key id an emulator accepts when it is not told otherwise.
pub const DEFAULT_ACCESS_KEY_ID: &str = "AKIDCHIMECAPSEMULATOR";
/// Secret access key that goes with [`DEFAULT_ACCESS_KEY_ID`].
pub const DEFAULT_SECRET_ACCESS_KEY: &str = "chime-caps-emulator-secret";
/// Account id in the ARNs of an emulator that is not told otherwise.
pub const DEFAULT_ACCOUNT_ID: &str = "123456789012";
/// The SigV4 signing name of Chime SDK Meetings; requests scoped to any other
/// service are refused.
pub const SIGNING_NAME: &str = "chime";

/// Settings of an [`Emulator`]; start it with [`EmulatorBuilder::start`].
#[derive(Debug, Clone)]
pub struct EmulatorBuilder {
    region: String,
    access_key_id: String,
    secret_access_key: String,
    account_id: String,
    port: u16,
    choices: service::Choices,
    options: ServerOptions,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        EmulatorBuilder {
            region: DEFAULT_REGION.into(),
            access_key_id: DEFAULT_ACCESS_KEY_ID.into(),
            secret_access_key: DEFAULT_SECRET_ACCESS_KEY.into(),
            account_id: DEFAULT_ACCOUNT_ID.into(),
            port: 0,
            choices: service::Choices::default(),
            options: ServerOptions {
                // Tests and Ctrl-C should not wait long for a stuck client.
                shutdown_timeout: Duration::from_secs(2),
                ..ServerOptions::default()
            },
        }
    }
}

impl EmulatorBuilder {
    /// The region the emulator serves (used in meeting ARNs and by
    /// [`Emulator::client_config`]); default [`DEFAULT_REGION`]. Requests must be
    /// signed for this region (`403 ForbiddenException` otherwise).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = region.into();
        self
    }

    /// The only credentials the emulator accepts; default [`DEFAULT_ACCESS_KEY_ID`] /
    /// [`DEFAULT_SECRET_ACCESS_KEY`].
    pub fn credentials(
        mut self,
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
    ) -> Self {
        self.access_key_id = access_key_id.into();
        self.secret_access_key = secret_access_key.into();
        self
    }

    /// The account id in meeting ARNs; default [`DEFAULT_ACCOUNT_ID`].
    pub fn account_id(mut self, account_id: impl Into<String>) -> Self {
        self.account_id = account_id.into();
        self
    }

    /// The loopback port to listen on; `0` (the default) picks a free one.
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// What `BatchUpdateAttendeeCapabilitiesExcept` does with excluded ids that are
    /// not attendees of the meeting; default [`UnknownExcludedIds::Reject`].
    pub fn unknown_excluded_ids(mut self, behaviour: UnknownExcludedIds) -> Self {
        self.choices.unknown_excluded_ids = behaviour;
        self
    }

    /// What `StartMeetingTranscription` on a meeting already being transcribed and
    /// `StopMeetingTranscription` on one that is not do; default
    /// [`RepeatedTranscriptionCalls::Accept`].
    pub fn repeated_transcription_calls(mut self, behaviour: RepeatedTranscriptionCalls) -> Self {
        self.choices.repeated_transcription_calls = behaviour;
        self
    }

    /// The HTTP layer's limits and timeouts (request sizes, read, idle and write
    /// timeouts, most connections at once). The default is [`ServerOptions::default`]
    /// with a 2 s shutdown timeout.
    pub fn server_options(mut self, options: ServerOptions) -> Self {
        self.options = options;
        self
    }

    /// Binds `127.0.0.1:<port>` and starts serving on the current tokio runtime.
    pub async fn start(self) -> io::Result<Emulator> {
        let verifier = SigV4Verifier::new(&self.region, SIGNING_NAME)
            .with_credentials(&self.access_key_id, &self.secret_access_key);
        let service = Arc::new(service::Service::new(
            &self.region,
            &self.account_id,
            self.choices,
        ));
        let api = routes::Api::new(verifier, service.clone());
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        let server = server::serve_with(addr, Arc::new(api), self.options).await?;
        Ok(Emulator {
            server,
            service,
            region: self.region,
            credentials: Credentials::new(
                self.access_key_id,
                self.secret_access_key,
                None,
                None,
                "chime-caps-emulator",
            ),
        })
    }
}

/// A running emulator. Dropping it stops the server in the background; prefer
/// [`Emulator::shutdown`], which waits for in-flight requests.
#[derive(Debug)]
pub struct Emulator {
    server: server::ServerHandle,
    service: Arc<service::Service>,
    region: String,
    credentials: Credentials,
}

impl Emulator {
    /// Settings, starting from the documented defaults.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// `http://127.0.0.1:<port>`: the `--endpoint-url` for SDKs and the AWS CLI.
    pub fn endpoint_url(&self) -> String {
        self.server.endpoint_url()
    }

    /// The bound address.
    pub fn local_addr(&self) -> SocketAddr {
        self.server.local_addr()
    }

    /// The region the emulator serves.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// The credentials the emulator accepts.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// The configuration of the transcription running in a meeting (started with
    /// `StartMeetingTranscription` and not stopped since), or `None` when the meeting
    /// is not being transcribed or does not exist. The service has no operation that
    /// tells; tests of code that starts and stops transcriptions can ask here.
    pub fn transcription(&self, meeting_id: &str) -> Option<TranscriptionConfiguration> {
        self.service.transcription(meeting_id)
    }

    /// Fault injection: e.g. `faults().fail_next(2, Fault::throttling())` for the
    /// next two requests, or `faults().set_rates(FaultRates { .. })` for faults drawn
    /// at random; `faults().injected()` counts what was injected.
    pub fn faults(&self) -> &FaultControl {
        self.server.faults()
    }

    /// How many meetings, attendees and idempotency tokens the emulator holds now.
    pub fn state_summary(&self) -> StateSummary {
        self.service.state_summary()
    }

    /// Requests received so far, refused and faulted ones included.
    pub fn requests_served(&self) -> u64 {
        self.server.requests_served()
    }

    /// Connections open now.
    pub fn open_connections(&self) -> usize {
        self.server.open_connections()
    }

    /// Connections refused so far because the most connections at once were open.
    pub fn connections_refused(&self) -> u64 {
        self.server.connections_refused()
    }

    /// An [`SdkConfig`] pointed at this emulator with matching credentials and
    /// region, for the generated client, [`crate`]'s client or the official
    /// `aws-sdk-chimesdkmeetings`: `Client::new(&emulator.client_config())`.
    ///
    /// Retries use the standard mode (3 attempts) with short backoffs (10 ms
    /// initial, 100 ms max) suited to a loopback server.
    pub fn client_config(&self) -> SdkConfig {
        let mut builder = SdkConfig::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(self.region.clone()))
            .credentials_provider(SharedCredentialsProvider::new(self.credentials.clone()))
            .endpoint_url(self.endpoint_url())
            .retry_config(
                RetryConfig::standard()
                    .with_initial_backoff(Duration::from_millis(10))
                    .with_max_backoff(Duration::from_millis(100)),
            );
        builder.set_sleep_impl(default_async_sleep());
        builder.build()
    }

    /// Stops accepting connections and waits (at most the shutdown timeout, 2 s by
    /// default) for in-flight requests.
    pub async fn shutdown(self) {
        self.server.shutdown().await;
    }
}
