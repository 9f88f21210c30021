//! Soak test: many concurrent workers send a mix of requests through the validating
//! `chime_caps::Client` (standard retries) to a `chime-caps emulator` process that
//! injects faults at random — dropped connections, responses lost after the request
//! was handled, `503`s and delays — and the run checks that
//!
//! * no update is lost or duplicated: every worker owns its meetings and keeps a
//!   model of them (updated only by acknowledged calls), reads them back during the
//!   run and at the end, and the emulator's final counts of meetings, attendees and
//!   idempotency tokens equal the models';
//! * the client retried exactly the requests that failed: the attempts that got no
//!   response or an error status, counted by an interceptor, equal the faults the
//!   emulator says it injected;
//! * the emulator's memory stays flat: its RSS (`/proc/<pid>/status`) is sampled
//!   before, during and after the load.
//!
//! `soak_smoke` (a few hundred requests) runs with `cargo test`; the full soak is
//! ignored (see `BENCHMARKS.md`, "Soak test"):
//!
//! ```sh
//! cargo test --release -p chime-caps-cli --test soak -- --ignored --nocapture
//! SOAK_REQUESTS=500000 cargo test --release -p chime-caps-cli --test soak -- --ignored --nocapture
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_credential_types::Credentials;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::behavior_version::BehaviorVersion;
use aws_smithy_runtime_api::client::interceptors::context::FinalizerInterceptorContextRef;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_smithy_types::retry::RetryConfig;
use aws_types::region::Region;
use chime_caps::emulator::{FaultRates, DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY};
use chime_caps::types::{
    Attendee, AttendeeCapabilities, AttendeeIdItem, CreateAttendeeRequestItem, MediaCapabilities,
};
use chime_caps::Client;

// ---------------------------------------------------------------------------------
// The plan of a run
// ---------------------------------------------------------------------------------

/// What one run does.
#[derive(Debug, Clone)]
struct Plan {
    /// Calls of the mixed workload, all workers together (the final read-back of
    /// every meeting comes on top).
    requests: u64,
    /// Workers, each with one request in flight at a time (so at most this many
    /// connections are busy at once).
    workers: u64,
    /// The emulator's random faults.
    faults: FaultRates,
    /// Attempts per call (the standard retry strategy's `max_attempts`).
    max_attempts: u32,
}

impl Plan {
    /// The run of `cargo test`: small, with faults frequent enough that every kind
    /// shows up.
    fn smoke() -> Self {
        Plan {
            requests: 400,
            workers: 8,
            faults: FaultRates {
                drop_connection: 0.03,
                drop_reply: 0.03,
                service_unavailable: 0.04,
                delay: 0.05,
                max_delay: Duration::from_millis(5),
                seed: 11,
            },
            max_attempts: 6,
        }
    }

    /// The documented soak: 50,000 requests at 64 connections (`SOAK_REQUESTS=N`
    /// makes it longer or shorter).
    fn full() -> Self {
        let requests = std::env::var("SOAK_REQUESTS").map_or(50_000, |n| {
            n.parse()
                .unwrap_or_else(|_| panic!("SOAK_REQUESTS={n:?} is not a number of requests"))
        });
        Plan {
            requests,
            workers: 64,
            faults: FaultRates {
                drop_connection: 0.01,
                drop_reply: 0.01,
                service_unavailable: 0.02,
                delay: 0.05,
                max_delay: Duration::from_millis(20),
                seed: 2026,
            },
            max_attempts: 6,
        }
    }
}

// ---------------------------------------------------------------------------------
// The emulator process and what it reports
// ---------------------------------------------------------------------------------

/// A `chime-caps emulator` process injecting `rates`; killed on drop if it is
/// still running.
struct EmulatorProcess {
    child: Child,
    stdout: BufReader<ChildStdout>,
    url: String,
}

/// What the emulator says when it stops.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct EmulatorEnd {
    meetings: u64,
    attendees: u64,
    client_request_tokens: u64,
    dropped_connections: u64,
    dropped_responses: u64,
    error_statuses: u64,
    delays: u64,
}

impl EmulatorEnd {
    fn failed_requests(&self) -> u64 {
        self.dropped_connections + self.dropped_responses + self.error_statuses
    }
}

impl EmulatorProcess {
    fn start(rates: &FaultRates) -> Self {
        let rate_args = [
            ("--fault-drop-connection", rates.drop_connection.to_string()),
            ("--fault-drop-reply", rates.drop_reply.to_string()),
            (
                "--fault-service-unavailable",
                rates.service_unavailable.to_string(),
            ),
            ("--fault-delay", rates.delay.to_string()),
            (
                "--fault-max-delay-ms",
                rates.max_delay.as_millis().to_string(),
            ),
            ("--fault-seed", rates.seed.to_string()),
        ];
        let mut child = Command::new(env!("CARGO_BIN_EXE_chime-caps"))
            .args(["emulator", "--port", "0"])
            .args(rate_args.iter().flat_map(|(flag, value)| [*flag, value]))
            .env_clear()
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn chime-caps emulator");
        let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
        let mut banner = String::new();
        while !banner.contains("Press Ctrl-C to stop.") {
            let read = stdout.read_line(&mut banner).expect("read the banner");
            assert!(read > 0, "the emulator exited early; it printed: {banner}");
        }
        assert!(
            banner.contains("Injecting faults"),
            "the banner announces the faults: {banner}"
        );
        let url = banner
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("Chime SDK Meetings emulator listening on "))
            .expect("the first line names the endpoint")
            .to_owned();
        EmulatorProcess { child, stdout, url }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Stops the emulator with SIGTERM and reads its closing summary.
    fn stop(&mut self) -> EmulatorEnd {
        let status = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -TERM failed");
        let started = Instant::now();
        let exit = loop {
            if let Some(exit) = self.child.try_wait().expect("wait for the emulator") {
                break exit;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "the emulator did not stop"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        assert!(exit.success(), "the emulator exited with {exit:?}");
        let mut rest = String::new();
        self.stdout
            .read_to_string(&mut rest)
            .expect("read the summary");
        let numbers_after = |prefix: &str| -> Vec<u64> {
            let line = rest
                .lines()
                .find_map(|l| l.strip_prefix(prefix))
                .unwrap_or_else(|| panic!("no {prefix:?} line in {rest}"));
            line.split(|c: char| !c.is_ascii_digit())
                .filter(|s| !s.is_empty())
                .map(|s| s.parse().expect("a count"))
                .collect()
        };
        let (held, faults) = (
            numbers_after("Held at the end: "),
            numbers_after("Faults injected: "),
        );
        let [meetings, attendees, tokens] = <[u64; 3]>::try_from(held).expect("three counts held");
        let [connections, responses, statuses, delays] =
            <[u64; 4]>::try_from(faults).expect("four fault counts");
        EmulatorEnd {
            meetings,
            attendees,
            client_request_tokens: tokens,
            dropped_connections: connections,
            dropped_responses: responses,
            error_statuses: statuses,
            delays,
        }
    }
}

impl Drop for EmulatorProcess {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

// ---------------------------------------------------------------------------------
// Memory of the emulator process
// ---------------------------------------------------------------------------------

/// One reading of the emulator process.
#[derive(Debug, Clone, Copy)]
struct Sample {
    /// Calls done by then.
    progress: u64,
    rss_kib: u64,
    /// Open file descriptors (its listening socket, connections, stdio).
    open_files: u64,
}

fn read_sample(pid: u32, progress: u64) -> Sample {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .expect("read /proc/<pid>/status of the emulator");
    let rss_kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("a VmRSS line");
    let open_files = std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|d| d.count() as u64)
        .unwrap_or(0);
    Sample {
        progress,
        rss_kib,
        open_files,
    }
}

/// Samples the emulator every `every` on a thread of its own until stopped.
struct Sampler {
    stop: Arc<AtomicBool>,
    thread: std::thread::JoinHandle<Vec<Sample>>,
}

impl Sampler {
    fn start(pid: u32, progress: Arc<AtomicU64>, every: Duration) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let stopped = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut samples = Vec::new();
            while !stopped.load(Ordering::SeqCst) {
                samples.push(read_sample(pid, progress.load(Ordering::SeqCst)));
                std::thread::sleep(every);
            }
            samples
        });
        Sampler { stop, thread }
    }

    fn finish(self) -> Vec<Sample> {
        self.stop.store(true, Ordering::SeqCst);
        self.thread.join().expect("the sampler ran")
    }
}

// ---------------------------------------------------------------------------------
// The client and its attempts
// ---------------------------------------------------------------------------------

/// Attempts the client made, and those that failed for want of a good answer.
#[derive(Debug, Default)]
struct Attempts {
    total: AtomicU64,
    /// No response at all (the connection was closed).
    without_response: AtomicU64,
    /// A `429` or `5xx` response.
    error_status: AtomicU64,
}

impl Attempts {
    fn failed(&self) -> u64 {
        self.without_response.load(Ordering::SeqCst) + self.error_status.load(Ordering::SeqCst)
    }
}

/// Counts every attempt of the calls it is installed on.
#[derive(Debug, Clone, Default)]
struct CountAttempts(Arc<Attempts>);

impl Intercept for CountAttempts {
    fn name(&self) -> &'static str {
        "CountAttempts"
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let attempts = &self.0;
        attempts.total.fetch_add(1, Ordering::SeqCst);
        match context.response().map(|r| r.status().as_u16()) {
            None => attempts.without_response.fetch_add(1, Ordering::SeqCst),
            Some(status) if status == 429 || status >= 500 => {
                attempts.error_status.fetch_add(1, Ordering::SeqCst)
            }
            Some(_) => 0,
        };
        Ok(())
    }
}

/// The validating client, retrying with the standard strategy and short backoffs,
/// counting its attempts. No attempt timeout: a retry never races the attempt it
/// replaces (the emulator's delays end in a normal answer).
fn client(url: &str, max_attempts: u32, attempts: &CountAttempts) -> Client {
    let config = chime_caps::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(
            DEFAULT_ACCESS_KEY_ID,
            DEFAULT_SECRET_ACCESS_KEY,
            None,
            None,
            "soak",
        ))
        .endpoint_url(url)
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(max_attempts)
                .with_initial_backoff(Duration::from_millis(2))
                .with_max_backoff(Duration::from_millis(50)),
        )
        .interceptor(attempts.clone())
        .build();
    Client::from_conf(config)
}

// ---------------------------------------------------------------------------------
// The workers
// ---------------------------------------------------------------------------------

/// Capability sets every meeting without `MeetingFeatures` accepts.
const PROFILES: [[&str; 3]; 8] = [
    ["SendReceive", "SendReceive", "SendReceive"],
    ["SendReceive", "SendReceive", "None"],
    ["SendReceive", "Receive", "SendReceive"],
    ["Receive", "Receive", "Receive"],
    ["Receive", "Receive", "None"],
    ["Send", "Send", "Send"],
    ["None", "Receive", "Receive"],
    ["None", "None", "None"],
];

/// What an attendee created without capabilities gets in such a meeting.
const DEFAULT_PROFILE: [&str; 3] = ["SendReceive", "SendReceive", "SendReceive"];

/// Distinct users a meeting's attendees are drawn from (`ExternalUserId` is the
/// idempotency key of attendee creation within a meeting).
const USERS_PER_MEETING: u64 = 12;

fn capabilities([audio, video, content]: [&str; 3]) -> AttendeeCapabilities {
    AttendeeCapabilities::builder()
        .audio(MediaCapabilities::from(audio))
        .video(MediaCapabilities::from(video))
        .content(MediaCapabilities::from(content))
        .build()
        .expect("all three set")
}

/// The generator of a worker's choices (splitmix64: deterministic per worker).
struct Choices(u64);

impl Choices {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        (z ^ (z >> 31)) % n
    }

    fn profile(&mut self) -> AttendeeCapabilities {
        capabilities(PROFILES[self.below(PROFILES.len() as u64) as usize])
    }
}

/// A worker's knowledge of its current meeting: what the emulator acknowledged.
#[derive(Debug, Default)]
struct MeetingModel {
    id: String,
    /// `ExternalUserId` → (attendee id, capabilities).
    attendees: BTreeMap<String, (String, AttendeeCapabilities)>,
}

/// What went wrong, by kind.
#[derive(Debug, Default)]
struct Findings {
    /// An acknowledged change the emulator no longer shows (or an attendee gone).
    lost: Vec<String>,
    /// A resource the emulator holds twice, or one the worker never created.
    duplicated: Vec<String>,
    /// Any other failure: a call that failed after its retries, a wrong answer.
    unexpected: Vec<String>,
}

impl Findings {
    fn extend(&mut self, other: Findings) {
        self.lost.extend(other.lost);
        self.duplicated.extend(other.duplicated);
        self.unexpected.extend(other.unexpected);
    }
}

/// The kinds of call of the mix, with their weights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Call {
    UpdateAttendeeCapabilities,
    BatchUpdateAttendeeCapabilitiesExcept,
    CreateAttendee,
    BatchCreateAttendee,
    DeleteAttendee,
    GetAttendee,
    ListAttendees,
    GetMeeting,
    DeleteMeeting,
    CreateMeeting,
    CreateMeetingWithAttendees,
}

/// The mix; `DeleteMeeting` is followed by one of the two creations of a meeting
/// (which take no weight of their own).
const MIX: [(Call, u64); 8] = [
    (Call::UpdateAttendeeCapabilities, 40),
    (Call::BatchUpdateAttendeeCapabilitiesExcept, 8),
    (Call::CreateAttendee, 10),
    (Call::BatchCreateAttendee, 5),
    (Call::DeleteAttendee, 8),
    (Call::GetAttendee, 17),
    (Call::ListAttendees, 8),
    (Call::GetMeeting, 2),
];
/// Weight of replacing the meeting (`DeleteMeeting`, then a creation).
const MEETING_TURNOVER: u64 = 2;

struct Worker {
    index: u64,
    client: Client,
    choices: Choices,
    meeting: MeetingModel,
    /// Meetings this worker created so far (names its `ClientRequestToken`s).
    generation: u64,
    calls: BTreeMap<Call, u64>,
    done: u64,
    /// Calls done by every worker, for the memory samples.
    progress: Arc<AtomicU64>,
    /// `DeleteAttendee`/`DeleteMeeting` that answered `404` because an earlier attempt
    /// of the same call had deleted it (its response was lost).
    deletes_repeated: u64,
    findings: Findings,
}

/// What a worker hands back.
struct WorkerEnd {
    calls: BTreeMap<Call, u64>,
    deletes_repeated: u64,
    findings: Findings,
    attendees: u64,
}

fn not_found<E: ProvideErrorMetadata>(err: &SdkError<E, HttpResponse>) -> bool {
    err.as_service_error()
        .is_some_and(|e| e.code() == Some("NotFoundException"))
}

impl Worker {
    fn new(index: u64, client: Client, progress: Arc<AtomicU64>) -> Self {
        Worker {
            index,
            client,
            choices: Choices(index.wrapping_mul(0x2545_F491_4F6C_DD1D) ^ 0x5EED),
            meeting: MeetingModel::default(),
            generation: 0,
            calls: BTreeMap::new(),
            done: 0,
            progress,
            deletes_repeated: 0,
            findings: Findings::default(),
        }
    }

    fn count(&mut self, call: Call) {
        *self.calls.entry(call).or_default() += 1;
        self.done += 1;
        self.progress.fetch_add(1, Ordering::SeqCst);
    }

    fn unexpected(&mut self, call: Call, what: impl fmt::Display) {
        let at = format!("worker {} meeting {}", self.index, self.meeting.id);
        self.findings
            .unexpected
            .push(format!("{call:?} in {at}: {what}"));
    }

    fn user(&self, n: u64) -> String {
        format!("w{}-u{n}", self.index)
    }

    /// Runs `quota` calls of the mix, then reads its meeting back.
    async fn run(mut self, quota: u64) -> WorkerEnd {
        self.replace_meeting().await;
        while self.done < quota {
            self.step().await;
        }
        self.read_back(Call::ListAttendees).await;
        WorkerEnd {
            attendees: self.meeting.attendees.len() as u64,
            calls: self.calls,
            deletes_repeated: self.deletes_repeated,
            findings: self.findings,
        }
    }

    async fn step(&mut self) {
        let total: u64 = MIX.iter().map(|(_, w)| w).sum::<u64>() + MEETING_TURNOVER;
        let mut pick = self.choices.below(total);
        let call = MIX.iter().find_map(|&(call, weight)| {
            if pick < weight {
                return Some(call);
            }
            pick -= weight;
            None
        });
        let live = self.meeting.attendees.len();
        match call {
            None => {
                self.delete_meeting().await;
                self.replace_meeting().await;
            }
            // Changes and deletions need attendees; the batch update one to exclude
            // and one to change.
            Some(_) if live < 2 => self.create_attendee().await,
            Some(Call::UpdateAttendeeCapabilities) => self.update().await,
            Some(Call::BatchUpdateAttendeeCapabilitiesExcept) => self.batch_update().await,
            Some(Call::CreateAttendee) => self.create_attendee().await,
            Some(Call::BatchCreateAttendee) => self.batch_create().await,
            Some(Call::DeleteAttendee) => self.delete_attendee().await,
            Some(Call::GetAttendee) => self.get_attendee().await,
            Some(Call::ListAttendees) => self.read_back(Call::ListAttendees).await,
            Some(_) => self.get_meeting().await,
        }
    }

    /// A random attendee the worker created: (external user id, attendee id).
    fn some_attendee(&mut self) -> (String, String) {
        let n = self.choices.below(self.meeting.attendees.len() as u64) as usize;
        let (user, (id, _)) = self.meeting.attendees.iter().nth(n).expect("an attendee");
        (user.clone(), id.clone())
    }

    async fn update(&mut self) {
        let call = Call::UpdateAttendeeCapabilities;
        let (user, id) = self.some_attendee();
        let caps = self.choices.profile();
        let result = self
            .client
            .update_attendee_capabilities()
            .meeting_id(&self.meeting.id)
            .attendee_id(&id)
            .capabilities(caps.clone())
            .send()
            .await;
        self.count(call);
        match result {
            Ok(out)
                if out.attendee.as_ref().and_then(|a| a.capabilities.as_ref()) == Some(&caps) =>
            {
                self.meeting.attendees.insert(user, (id, caps));
            }
            Ok(out) => self.unexpected(call, format!("answered {:?}", out.attendee)),
            Err(e) => self.unexpected(call, DisplayErrorContext(e)),
        }
    }

    async fn batch_update(&mut self) {
        let call = Call::BatchUpdateAttendeeCapabilitiesExcept;
        let live = self.meeting.attendees.len() as u64;
        // Exclude between 1 and live - 1 attendees, chosen by bits.
        let mask = 1 + self.choices.below((1 << live.min(16)) - 2);
        let excluded: Vec<String> = self
            .meeting
            .attendees
            .values()
            .enumerate()
            .filter(|(i, _)| *i < 16 && mask & (1 << i) != 0)
            .map(|(_, (id, _))| id.clone())
            .collect();
        let caps = self.choices.profile();
        let items = excluded.iter().map(|id| {
            AttendeeIdItem::builder()
                .attendee_id(id)
                .build()
                .expect("id set")
        });
        let result = self
            .client
            .batch_update_attendee_capabilities_except()
            .meeting_id(&self.meeting.id)
            .set_excluded_attendee_ids(Some(items.collect()))
            .capabilities(caps.clone())
            .send()
            .await;
        self.count(call);
        match result {
            Ok(_) => {
                for (id, held) in self.meeting.attendees.values_mut() {
                    if !excluded.contains(id) {
                        *held = caps.clone();
                    }
                }
            }
            Err(e) => self.unexpected(call, DisplayErrorContext(e)),
        }
    }

    /// Checks the answer to the creation of `user` (with `requested`, or the
    /// defaults) and records it.
    fn created(
        &mut self,
        call: Call,
        user: String,
        requested: Option<AttendeeCapabilities>,
        got: &Attendee,
    ) {
        let got_id = got.attendee_id.clone().unwrap_or_default();
        let got_caps = got.capabilities.clone();
        match self.meeting.attendees.get(&user) {
            // A repeat: the same attendee, unchanged.
            Some((id, caps)) => {
                if *id != got_id {
                    self.findings.duplicated.push(format!(
                        "{call:?}: user {user} of meeting {} answered as {got_id}, created as {id}",
                        self.meeting.id
                    ));
                } else if got_caps.as_ref() != Some(caps) {
                    self.findings.lost.push(format!(
                        "{call:?}: user {user} of meeting {} has {got_caps:?}, acknowledged {caps:?}",
                        self.meeting.id
                    ));
                }
            }
            None => {
                let expected = requested.unwrap_or_else(|| capabilities(DEFAULT_PROFILE));
                if got_caps.as_ref() != Some(&expected) {
                    self.unexpected(
                        call,
                        format!("created {user} with {got_caps:?}, asked for {expected:?}"),
                    );
                }
                self.meeting.attendees.insert(user, (got_id, expected));
            }
        }
    }

    async fn create_attendee(&mut self) {
        let call = Call::CreateAttendee;
        let n = self.choices.below(USERS_PER_MEETING);
        let user = self.user(n);
        let requested = (self.choices.below(3) > 0).then(|| self.choices.profile());
        let result = self
            .client
            .create_attendee()
            .meeting_id(&self.meeting.id)
            .external_user_id(&user)
            .set_capabilities(requested.clone())
            .send()
            .await;
        self.count(call);
        match result.map(|out| out.attendee) {
            Ok(Some(attendee)) => self.created(call, user, requested, &attendee),
            Ok(None) => self.unexpected(call, "no attendee in the answer"),
            Err(e) => self.unexpected(call, DisplayErrorContext(e)),
        }
    }

    /// New attendee items for up to `n` distinct users.
    fn new_items(&mut self, n: u64) -> Vec<(String, Option<AttendeeCapabilities>)> {
        let mut users: Vec<u64> = (0..n)
            .map(|_| self.choices.below(USERS_PER_MEETING))
            .collect();
        users.sort_unstable();
        users.dedup();
        users
            .into_iter()
            .map(|u| {
                let requested = (self.choices.below(3) > 0).then(|| self.choices.profile());
                (self.user(u), requested)
            })
            .collect()
    }

    fn request_items(
        items: &[(String, Option<AttendeeCapabilities>)],
    ) -> Vec<CreateAttendeeRequestItem> {
        items
            .iter()
            .map(|(user, caps)| {
                CreateAttendeeRequestItem::builder()
                    .external_user_id(user)
                    .set_capabilities(caps.clone())
                    .build()
                    .expect("external user id set")
            })
            .collect()
    }

    /// Records the answer of a batch creation of `items`.
    fn batch_created(
        &mut self,
        call: Call,
        items: Vec<(String, Option<AttendeeCapabilities>)>,
        attendees: &[Attendee],
        errors: usize,
    ) {
        if errors > 0 || attendees.len() != items.len() {
            let what = format!(
                "{} attendees and {errors} errors for {} items",
                attendees.len(),
                items.len()
            );
            return self.unexpected(call, what);
        }
        for ((user, requested), got) in items.into_iter().zip(attendees) {
            self.created(call, user, requested, got);
        }
    }

    async fn batch_create(&mut self) {
        let call = Call::BatchCreateAttendee;
        let n = 1 + self.choices.below(3);
        let items = self.new_items(n);
        let result = self
            .client
            .batch_create_attendee()
            .meeting_id(&self.meeting.id)
            .set_attendees(Some(Self::request_items(&items)))
            .send()
            .await;
        self.count(call);
        match result {
            Ok(out) => self.batch_created(call, items, out.attendees(), out.errors().len()),
            Err(e) => self.unexpected(call, DisplayErrorContext(e)),
        }
    }

    async fn delete_attendee(&mut self) {
        let call = Call::DeleteAttendee;
        let (user, id) = self.some_attendee();
        let attempts = CountAttempts::default();
        let result = self
            .client
            .delete_attendee()
            .meeting_id(&self.meeting.id)
            .attendee_id(&id)
            .customize()
            .interceptor(attempts.clone())
            .send()
            .await;
        self.count(call);
        match result {
            Ok(_) => {}
            // An earlier attempt deleted it and its response was lost.
            Err(e) if not_found(&e) && attempts.0.total.load(Ordering::SeqCst) > 1 => {
                self.deletes_repeated += 1;
            }
            Err(e) if not_found(&e) => {
                self.findings.lost.push(format!(
                    "DeleteAttendee: attendee {id} of meeting {} was gone at the first attempt",
                    self.meeting.id
                ));
            }
            Err(e) => return self.unexpected(call, DisplayErrorContext(e)),
        }
        self.meeting.attendees.remove(&user);
    }

    async fn get_attendee(&mut self) {
        let call = Call::GetAttendee;
        let (user, id) = self.some_attendee();
        let result = self
            .client
            .get_attendee()
            .meeting_id(&self.meeting.id)
            .attendee_id(&id)
            .send()
            .await;
        self.count(call);
        let acknowledged = self.meeting.attendees[&user].1.clone();
        match result {
            Ok(out) => {
                let held = out.attendee.and_then(|a| a.capabilities);
                if held.as_ref() != Some(&acknowledged) {
                    self.findings.lost.push(format!(
                        "GetAttendee: {id} of meeting {} has {held:?}, acknowledged {acknowledged:?}",
                        self.meeting.id
                    ));
                }
            }
            Err(e) if not_found(&e) => self.findings.lost.push(format!(
                "GetAttendee: {id} of meeting {} is gone",
                self.meeting.id
            )),
            Err(e) => self.unexpected(call, DisplayErrorContext(e)),
        }
    }

    async fn get_meeting(&mut self) {
        let call = Call::GetMeeting;
        let result = self
            .client
            .get_meeting()
            .meeting_id(&self.meeting.id)
            .send()
            .await;
        self.count(call);
        match result.map(|out| out.meeting.and_then(|m| m.meeting_id)) {
            Ok(Some(id)) if id == self.meeting.id => {}
            Ok(other) => self.unexpected(call, format!("answered meeting {other:?}")),
            Err(e) => self.unexpected(call, DisplayErrorContext(e)),
        }
    }

    /// Lists every attendee of the meeting (5 per page) and compares them with the
    /// model, counting each page as a call of `call`.
    async fn read_back(&mut self, call: Call) {
        let mut listed: Vec<Attendee> = Vec::new();
        let mut token = None;
        loop {
            let result = self
                .client
                .list_attendees()
                .meeting_id(&self.meeting.id)
                .max_results(5)
                .set_next_token(token)
                .send()
                .await;
            self.count(call);
            match result {
                Ok(out) => {
                    listed.extend(out.attendees.unwrap_or_default());
                    token = out.next_token;
                    if token.is_none() {
                        break;
                    }
                }
                Err(e) => return self.unexpected(call, DisplayErrorContext(e)),
            }
        }
        let mut seen = BTreeMap::new();
        for attendee in &listed {
            let user = attendee.external_user_id.clone().unwrap_or_default();
            if seen.insert(user.clone(), attendee).is_some() {
                self.findings.duplicated.push(format!(
                    "ListAttendees: user {user} twice in meeting {}",
                    self.meeting.id
                ));
            }
        }
        for (user, attendee) in &seen {
            match self.meeting.attendees.get(user) {
                None => self.findings.duplicated.push(format!(
                    "ListAttendees: meeting {} holds {user}, which was never acknowledged or was deleted",
                    self.meeting.id
                )),
                Some((id, caps)) => {
                    if attendee.attendee_id.as_ref() != Some(id) || attendee.capabilities.as_ref() != Some(caps) {
                        self.findings.lost.push(format!(
                            "ListAttendees: meeting {} holds {attendee:?} for {user}, acknowledged {id} with {caps:?}",
                            self.meeting.id
                        ));
                    }
                }
            }
        }
        for user in self.meeting.attendees.keys() {
            if !seen.contains_key(user) {
                self.findings.lost.push(format!(
                    "ListAttendees: meeting {} lost {user}",
                    self.meeting.id
                ));
            }
        }
    }

    async fn delete_meeting(&mut self) {
        let call = Call::DeleteMeeting;
        // What it held is checked before it goes.
        self.read_back(Call::ListAttendees).await;
        let attempts = CountAttempts::default();
        let result = self
            .client
            .delete_meeting()
            .meeting_id(&self.meeting.id)
            .customize()
            .interceptor(attempts.clone())
            .send()
            .await;
        self.count(call);
        match result {
            Ok(_) => {}
            Err(e) if not_found(&e) && attempts.0.total.load(Ordering::SeqCst) > 1 => {
                self.deletes_repeated += 1;
            }
            Err(e) => self.unexpected(call, DisplayErrorContext(e)),
        }
    }

    /// A new meeting (with a new `ClientRequestToken`, the same on every attempt),
    /// half of the time with two attendees.
    async fn replace_meeting(&mut self) {
        self.generation += 1;
        let token = format!("soak-w{}-g{}", self.index, self.generation);
        self.meeting = MeetingModel::default();
        if self.choices.below(2) == 0 {
            let call = Call::CreateMeeting;
            let result = self
                .client
                .create_meeting()
                .client_request_token(&token)
                .media_region("us-east-1")
                .external_meeting_id(&token)
                .send()
                .await;
            self.count(call);
            match result.map(|out| out.meeting.and_then(|m| m.meeting_id)) {
                Ok(Some(id)) => self.meeting.id = id,
                Ok(None) => self.unexpected(call, "no meeting id"),
                Err(e) => self.unexpected(call, DisplayErrorContext(e)),
            }
        } else {
            let call = Call::CreateMeetingWithAttendees;
            let items = self.new_items(2);
            let result = self
                .client
                .create_meeting_with_attendees()
                .client_request_token(&token)
                .media_region("us-east-1")
                .external_meeting_id(&token)
                .set_attendees(Some(Self::request_items(&items)))
                .send()
                .await;
            self.count(call);
            match result {
                Ok(out) => {
                    self.meeting.id = out
                        .meeting
                        .as_ref()
                        .and_then(|m| m.meeting_id.clone())
                        .unwrap_or_default();
                    self.batch_created(call, items, out.attendees(), out.errors().len());
                }
                Err(e) => self.unexpected(call, DisplayErrorContext(e)),
            }
        }
    }
}

// ---------------------------------------------------------------------------------
// A run
// ---------------------------------------------------------------------------------

/// Everything a run measured.
#[derive(Debug)]
struct Report {
    plan: Plan,
    /// Calls made by the workers, the final read-back included.
    calls: BTreeMap<Call, u64>,
    attempts: u64,
    failed_attempts: u64,
    emulator: EmulatorEnd,
    deletes_repeated: u64,
    findings: Findings,
    /// Attendees the workers' models hold at the end.
    attendees_expected: u64,
    samples: Vec<Sample>,
    /// The emulator when it had started, before any request.
    idle: Sample,
    /// RSS after the load, once the connections were idle for half a second.
    rss_after_kib: u64,
    wall: Duration,
}

impl Report {
    fn total_calls(&self) -> u64 {
        self.calls.values().sum()
    }

    fn retries(&self) -> u64 {
        // Every call makes at least one attempt (none is refused locally).
        self.attempts.saturating_sub(self.total_calls())
    }

    fn peak_rss_kib(&self) -> u64 {
        self.samples.iter().map(|s| s.rss_kib).max().unwrap_or(0)
    }

    /// RSS at the first sample after `share` of the requests were done.
    fn rss_at(&self, share: f64) -> u64 {
        let threshold = (self.plan.requests as f64 * share) as u64;
        self.samples
            .iter()
            .find(|s| s.progress >= threshold)
            .or(self.samples.last())
            .map_or(0, |s| s.rss_kib)
    }

    /// Open files over those of the idle emulator: its connections.
    fn peak_connections(&self) -> u64 {
        let peak = self.samples.iter().map(|s| s.open_files).max().unwrap_or(0);
        peak.saturating_sub(self.idle.open_files)
    }

    /// Asserts that nothing was lost or duplicated and that the retries match the
    /// faults.
    fn assert_sound(&self) {
        let f = &self.findings;
        assert!(
            f.lost.is_empty() && f.duplicated.is_empty() && f.unexpected.is_empty(),
            "lost: {:#?}\nduplicated: {:#?}\nunexpected: {:#?}",
            f.lost.iter().take(10).collect::<Vec<_>>(),
            f.duplicated.iter().take(10).collect::<Vec<_>>(),
            f.unexpected.iter().take(10).collect::<Vec<_>>()
        );
        let done = self.total_calls();
        assert!(done >= self.plan.requests, "{done} calls");
        // One meeting per worker is left, with one token each, and exactly the
        // attendees the workers acknowledged.
        let e = &self.emulator;
        assert_eq!(
            (e.meetings, e.client_request_tokens, e.attendees),
            (
                self.plan.workers,
                self.plan.workers,
                self.attendees_expected
            ),
            "what the emulator holds at the end"
        );
        // Every kind of fault was injected, and each failed attempt was retried.
        assert!(
            e.dropped_connections > 0
                && e.dropped_responses > 0
                && e.error_statuses > 0
                && e.delays > 0,
            "{e:?}"
        );
        assert_eq!(
            self.failed_attempts,
            e.failed_requests(),
            "attempts without a good answer, seen by the client vs injected"
        );
        assert_eq!(
            self.retries(),
            self.failed_attempts,
            "each failed attempt was retried once"
        );
        assert!(self.deletes_repeated <= e.dropped_responses);
        // The workers had a connection each open at once (one file per connection
        // on top of those the idle emulator holds).
        assert!(
            self.peak_connections() >= self.plan.workers,
            "peak connections {}",
            self.peak_connections()
        );
    }

    fn print(&self) {
        let e = &self.emulator;
        let mib = |kib: u64| kib as f64 / 1024.0;
        println!(
            "soak: {} calls ({:?}) by {} workers in {:.1} s",
            self.total_calls(),
            self.calls,
            self.plan.workers,
            self.wall.as_secs_f64()
        );
        println!(
            "soak: {} attempts, {} retries; injected {} dropped connections, {} dropped responses, {} 503s, {} delays; {} deletes answered 404 after their lost response",
            self.attempts, self.retries(), e.dropped_connections, e.dropped_responses, e.error_statuses, e.delays, self.deletes_repeated
        );
        println!(
            "soak: lost {}, duplicated {}, unexpected {}; held at the end: {} meetings, {} attendees, {} tokens",
            self.findings.lost.len(), self.findings.duplicated.len(), self.findings.unexpected.len(), e.meetings, e.attendees, e.client_request_tokens
        );
        println!(
            "soak: emulator RSS idle {:.1} MiB, at 10/25/50/75/100 % {:.1}/{:.1}/{:.1}/{:.1}/{:.1} MiB, peak {:.1} MiB, after {:.1} MiB; peak connections {} ({} samples)",
            mib(self.idle.rss_kib),
            mib(self.rss_at(0.10)), mib(self.rss_at(0.25)), mib(self.rss_at(0.50)), mib(self.rss_at(0.75)), mib(self.rss_at(1.0)),
            mib(self.peak_rss_kib()), mib(self.rss_after_kib), self.peak_connections(), self.samples.len()
        );
    }
}

/// Runs `plan` against a fresh emulator process.
async fn soak(plan: Plan) -> Report {
    let mut emulator = EmulatorProcess::start(&plan.faults);
    let pid = emulator.pid();
    let idle = read_sample(pid, 0);
    let attempts = CountAttempts::default();
    let client = client(&emulator.url, plan.max_attempts, &attempts);
    let progress = Arc::new(AtomicU64::new(0));
    let sampler = Sampler::start(pid, progress.clone(), Duration::from_millis(50));

    let started = Instant::now();
    let quota = plan.requests.div_ceil(plan.workers);
    let workers: Vec<_> = (0..plan.workers)
        .map(|i| tokio::spawn(Worker::new(i, client.clone(), progress.clone()).run(quota)))
        .collect();
    let mut calls = BTreeMap::new();
    let mut findings = Findings::default();
    let (mut deletes_repeated, mut attendees_expected) = (0, 0);
    for worker in workers {
        let end = worker.await.expect("a worker ran to the end");
        for (call, n) in end.calls {
            *calls.entry(call).or_default() += n;
        }
        findings.extend(end.findings);
        deletes_repeated += end.deletes_repeated;
        attendees_expected += end.attendees;
    }
    let wall = started.elapsed();
    let samples = sampler.finish();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_after_kib = read_sample(pid, 0).rss_kib;
    let emulator_end = emulator.stop();
    Report {
        plan,
        calls,
        attempts: attempts.0.total.load(Ordering::SeqCst),
        failed_attempts: attempts.0.failed(),
        emulator: emulator_end,
        deletes_repeated,
        findings,
        attendees_expected,
        samples,
        idle,
        rss_after_kib,
        wall,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn soak_smoke() {
    let report = soak(Plan::smoke()).await;
    report.print();
    report.assert_sound();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "50,000 requests, run in release: cargo test --release -p chime-caps-cli --test soak -- --ignored --nocapture"]
async fn soak_50k_requests_64_connections() {
    let report = soak(Plan::full()).await;
    report.print();
    report.assert_sound();
    // Flat: from a quarter of the load to its end, the emulator's RSS grows by less
    // than 10 % (its state is bounded: meetings are replaced, not added).
    let (quarter, end) = (report.rss_at(0.25), report.rss_at(1.0));
    assert!(
        end <= quarter + quarter / 10,
        "RSS grew from {quarter} KiB at 25 % to {end} KiB at 100 %"
    );
}
