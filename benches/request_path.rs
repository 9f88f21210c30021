//! Our request path against the official `aws-sdk-chimesdkmeetings`, in one run:
//! `cargo bench --bench request_path` (see BENCHMARKS.md for results).
//!
//! For `UpdateAttendeeCapabilities` and `BatchUpdateAttendeeCapabilitiesExcept`, four
//! clients make the same calls one after another:
//!
//! * `generated`: `chime_caps_generated::Client`;
//! * `chime-caps enforce` / `chime-caps off`: `chime_caps::Client` with validation
//!   `Enforce` / `Off`;
//! * `official`: `aws_sdk_chimesdkmeetings::Client`.
//!
//! Two transports:
//!
//! * `emulator`: HTTP over loopback to the in-process emulator (`chime_caps::emulator`),
//!   which verifies SigV4, so this is a whole call;
//! * `stub`: an `HttpClient` that answers a canned `200` without I/O, which isolates
//!   the SDK's own work (serialize, sign, interceptors, deserialize) from HTTP.
//!
//! Each client is warmed up, then makes `N` sequential calls, `REPS` times
//! (interleaved with the other clients so they share the noise); the median rep is
//! reported as calls/s and ns/call, with the ratio to the official client (calls/s
//! ours ÷ official: above 1 is faster than official). A counting global allocator
//! reports allocations per call (heap allocations and reallocations); on the emulator
//! transport they include the server's, which runs in the same process.
//!
//! Environment: `BENCH_N` (default 2000) and `BENCH_REPS` (default 5) scale the run;
//! the stub transport makes `4 × BENCH_N` calls per rep. `BENCH_ONLY=emulator|stub`
//! and `BENCH_CLIENT=<client name>` narrow it (for profiling one client with `perf`).
//! Timings are not asserted.

use std::alloc::{GlobalAlloc, Layout, System};
use std::future::Future;
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use aws_sdk_chimesdkmeetings as official;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use aws_types::sdk_config::SdkConfig;
use chime_caps::emulator::Emulator;
use chime_caps::validation::{
    ValidationClientExt, ValidationConfigExt, ValidationMode, ValidationSettings,
};
use chime_caps_generated as generated;

// ---------------------------------------------------------------------------------
// Allocation counting
// ---------------------------------------------------------------------------------

/// The system allocator, counting allocations (and reallocations).
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> u64 {
    ALLOCATIONS.load(Ordering::Relaxed)
}

// ---------------------------------------------------------------------------------
// The stub transport
// ---------------------------------------------------------------------------------

const ATTENDEE_BODY: &str = r#"{"Attendee":{"ExternalUserId":"bench-user","AttendeeId":"f0a8fa58-7cfe-4bc4-a5c8-2bd6b7d16a50","JoinToken":"token","Capabilities":{"Audio":"SendReceive","Video":"SendReceive","Content":"SendReceive"}}}"#;

/// Answers every request with `200` and a canned body, without I/O.
#[derive(Debug, Clone)]
struct Stub;

impl HttpConnector for Stub {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        // The batch answers with no body, the single update with the attendee.
        let body = if request.uri().contains("batch-update-except") {
            ""
        } else {
            ATTENDEE_BODY
        };
        let mut response = HttpResponse::new(
            StatusCode::try_from(200u16).expect("200"),
            SdkBody::from(body),
        );
        response
            .headers_mut()
            .insert("content-type", "application/json");
        response
            .headers_mut()
            .insert("x-amzn-requestid", "c0ffee00-0000-4000-8000-000000000000");
        HttpConnectorFuture::ready(Ok(response))
    }
}

impl HttpClient for Stub {
    fn http_connector(
        &self,
        _: &HttpConnectorSettings,
        _: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

// ---------------------------------------------------------------------------------
// Clients and calls
// ---------------------------------------------------------------------------------

const MEETING: &str = "6bd0ae5c-0f9c-4b8b-a7a5-5bf5a0f0e2f1";
const ATTENDEE: &str = "f0a8fa58-7cfe-4bc4-a5c8-2bd6b7d16a50";

#[derive(Clone, Copy, PartialEq)]
enum Op {
    Update,
    Batch,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Update => "UpdateAttendeeCapabilities",
            Op::Batch => "BatchUpdateAttendeeCapabilitiesExcept",
        }
    }
}

enum Bench {
    Generated(generated::Client),
    Wrapper(chime_caps::Client),
    Official(official::Client),
}

struct Contender {
    name: &'static str,
    client: Bench,
}

fn contenders(config: &SdkConfig) -> Vec<Contender> {
    let wrapper = |mode| {
        let conf = generated::config::Builder::from(config)
            .validation(ValidationSettings::new().mode(mode))
            .build();
        chime_caps::Client::from_conf(conf)
    };
    vec![
        Contender {
            name: "generated",
            client: Bench::Generated(generated::Client::new(config)),
        },
        Contender {
            name: "chime-caps enforce",
            client: Bench::Wrapper(wrapper(ValidationMode::Enforce)),
        },
        Contender {
            name: "chime-caps off",
            client: Bench::Wrapper(wrapper(ValidationMode::Off)),
        },
        Contender {
            name: "official",
            client: Bench::Official(official::Client::new(config)),
        },
    ]
}

macro_rules! call {
    ($k:ident, $client:expr, $op:expr, $meeting:expr, $attendee:expr) => {{
        use $k::types::{AttendeeCapabilities, AttendeeIdItem, MediaCapabilities as M};
        let caps = AttendeeCapabilities::builder()
            .audio(M::SendReceive)
            .video(M::SendReceive)
            .content(M::SendReceive)
            .build()
            .expect("all set");
        match $op {
            Op::Update => {
                let out = $client
                    .update_attendee_capabilities()
                    .meeting_id($meeting)
                    .attendee_id($attendee)
                    .capabilities(caps)
                    .send()
                    .await
                    .expect("UpdateAttendeeCapabilities succeeds");
                black_box(out);
            }
            Op::Batch => {
                let out = $client
                    .batch_update_attendee_capabilities_except()
                    .meeting_id($meeting)
                    .excluded_attendee_ids(
                        AttendeeIdItem::builder()
                            .attendee_id($attendee)
                            .build()
                            .expect("id set"),
                    )
                    .capabilities(caps)
                    .send()
                    .await
                    .expect("BatchUpdateAttendeeCapabilitiesExcept succeeds");
                black_box(out);
            }
        }
    }};
}

impl Bench {
    async fn call(&self, op: Op, meeting: &str, attendee: &str) {
        match self {
            Bench::Generated(c) => call!(generated, c, op, meeting, attendee),
            Bench::Wrapper(c) => call!(generated, c, op, meeting, attendee),
            Bench::Official(c) => call!(official, c, op, meeting, attendee),
        }
    }
}

// ---------------------------------------------------------------------------------
// Measuring
// ---------------------------------------------------------------------------------

struct Sample {
    per_call: Duration,
    allocations_per_call: f64,
}

/// Times `n` sequential calls.
async fn run<F: Future<Output = ()>>(n: u32, mut call: impl FnMut() -> F) -> Sample {
    let allocs = allocations();
    let start = Instant::now();
    for _ in 0..n {
        call().await;
    }
    let elapsed = start.elapsed();
    Sample {
        per_call: elapsed / n,
        allocations_per_call: (allocations() - allocs) as f64 / f64::from(n),
    }
}

fn median<T: Copy + PartialOrd>(mut v: Vec<T>) -> T {
    v.sort_by(|a, b| a.partial_cmp(b).expect("comparable"));
    v[v.len() / 2]
}

struct Row {
    transport: &'static str,
    op: Op,
    client: &'static str,
    per_call: Duration,
    allocations: f64,
}

async fn measure(
    transport: &'static str,
    contenders: &[Contender],
    meeting: &str,
    attendee: &str,
    n: u32,
    reps: u32,
) -> Vec<Row> {
    let mut rows = Vec::new();
    for op in [Op::Update, Op::Batch] {
        for c in contenders {
            for _ in 0..(n / 10).max(50) {
                c.client.call(op, meeting, attendee).await;
            }
        }
        let mut samples: Vec<Vec<Sample>> = contenders.iter().map(|_| Vec::new()).collect();
        for _ in 0..reps {
            for (c, s) in contenders.iter().zip(&mut samples) {
                s.push(run(n, || c.client.call(op, meeting, attendee)).await);
            }
        }
        for (c, s) in contenders.iter().zip(samples) {
            rows.push(Row {
                transport,
                op,
                client: c.name,
                per_call: median(s.iter().map(|s| s.per_call).collect()),
                allocations: median(s.iter().map(|s| s.allocations_per_call).collect()),
            });
        }
    }
    rows
}

fn print_table(rows: &[Row]) {
    println!();
    println!("| transport | operation | client | calls/s | ns/call | ours/official (calls/s) | allocs/call |");
    println!("|---|---|---|---:|---:|---:|---:|");
    for row in rows {
        let official = rows
            .iter()
            .find(|r| r.transport == row.transport && r.op == row.op && r.client == "official");
        let ns = row.per_call.as_nanos() as f64;
        let ratio = official.map_or("-".to_owned(), |o| {
            format!("{:.2}", o.per_call.as_nanos() as f64 / ns)
        });
        println!(
            "| {} | {} | {} | {:.0} | {:.0} | {} | {:.1} |",
            row.transport,
            row.op.name(),
            row.client,
            1e9 / ns,
            ns,
            ratio,
            row.allocations
        );
    }
}

/// `BENCH_ONLY=emulator|stub` runs one transport (e.g. under `perf`).
fn transport_selected(transport: &str) -> bool {
    std::env::var("BENCH_ONLY").map_or(true, |only| only == transport)
}

/// `BENCH_CLIENT=<name>` keeps one client (e.g. `official`), for profiling it alone.
fn selected(contenders: Vec<Contender>) -> Vec<Contender> {
    match std::env::var("BENCH_CLIENT") {
        Ok(name) => contenders.into_iter().filter(|c| c.name == name).collect(),
        Err(_) => contenders,
    }
}

fn env_u32(name: &str, default: u32) -> u32 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` runs this too: keep that quick.
    let quick = !std::env::args().any(|a| a == "--bench");
    let n = env_u32("BENCH_N", if quick { 20 } else { 2000 });
    let reps = env_u32("BENCH_REPS", if quick { 1 } else { 5 });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let started = Instant::now();
    let rows = runtime.block_on(async {
        let emulator = Emulator::builder().start().await.expect("emulator starts");
        let config = emulator.client_config();
        let all = contenders(&config);
        // A meeting and attendee in the emulator, created through the enforcing
        // client so that its validation knows the meeting's features.
        let Bench::Wrapper(enforce) = &all[1].client else {
            unreachable!("contender order")
        };
        let meeting = enforce
            .create_meeting()
            .client_request_token("bench-request-path")
            .media_region("us-east-1")
            .external_meeting_id("bench")
            .send()
            .await
            .expect("CreateMeeting")
            .meeting
            .and_then(|m| m.meeting_id)
            .expect("meeting id");
        let attendee = enforce
            .create_attendee()
            .meeting_id(&meeting)
            .external_user_id("bench-user")
            .send()
            .await
            .expect("CreateAttendee")
            .attendee
            .and_then(|a| a.attendee_id)
            .expect("attendee id");
        let mut rows = Vec::new();
        if transport_selected("emulator") {
            rows = measure("emulator", &selected(all), &meeting, &attendee, n, reps).await;
        }
        emulator.shutdown().await;

        let stub_config = config
            .to_builder()
            .http_client(SharedHttpClient::new(Stub))
            .build();
        let stubbed = contenders(&stub_config);
        if let Bench::Wrapper(enforce) = &stubbed[1].client {
            enforce
                .validation()
                .register_meeting(MEETING, chime_caps::rules::MeetingFeatures::default());
        }
        if transport_selected("stub") {
            let stubbed = selected(stubbed);
            rows.extend(measure("stub", &stubbed, MEETING, ATTENDEE, n * 4, reps).await);
        }
        rows
    });
    println!(
        "request_path: N = {n} calls per rep on the emulator ({} on the stub), {reps} reps, median rep; {:.1} s",
        n * 4,
        started.elapsed().as_secs_f64()
    );
    print_table(&rows);
}
