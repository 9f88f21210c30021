//! Overhead of the capability validation (run with `cargo bench --bench validation`).
//!
//! Prints nanoseconds per operation for:
//! - a local rejection through a whole `send()`, next to what any call failing at that
//!   stage costs in the smithy orchestrator: the same client failing to serialize a
//!   request without a meeting id, and the generated client refused by an interceptor
//!   that refuses everything;
//! - an accepted `UpdateAttendeeCapabilities`, by the generated client without
//!   validation and by `chime_caps::Client` with validation `Off` and `Enforce`, over
//!   two transports: a stub HTTP client answering in memory (the SDK's own work only)
//!   and HTTP/1.1 over loopback to a minimal server answering a canned response; and
//!   the overhead of `Enforce` over the generated client in percent.
//!
//! Targets (issue 10): a local rejection within 2 µs; within 2 % added to an accepted
//! call. Measured, not asserted: timings depend on the machine. `BENCH_ROUNDS` and
//! `BENCH_BATCH` change how many accepted calls are timed.
//!
//! On a shared machine the timings of in-memory calls swing by more than the
//! validation costs; `BENCH_ONLY=generated|off|enforce` then makes `BENCH_CALLS`
//! accepted calls with that one client and nothing else (`reject`: calls refused
//! locally by the validation; on the stub, or over
//! loopback with `BENCH_TRANSPORT=loopback`), to be counted from outside, e.g.
//! instructions with `valgrind --tool=callgrind target/release/deps/validation-*`
//! (run it with two values of `BENCH_CALLS` per client: the difference divided by the
//! difference in calls is the cost of one call, without the process's fixed cost).

use std::hint::black_box;
use std::time::{Duration, Instant};

use aws_smithy_http_client::test_util::infallible_client_fn;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeSerializationInterceptorContextMut;
use aws_smithy_types::body::SdkBody;
use chime_caps::config::{
    BehaviorVersion, Builder, ConfigBag, Credentials, Intercept, Region, RuntimeComponents,
    SharedHttpClient,
};
use chime_caps::rules::MeetingFeatures;
use chime_caps::types::{AttendeeCapabilities, MediaCapabilities as M, VideoResolution};
use chime_caps::validation::{
    ValidationClientExt, ValidationConfigExt, ValidationMode, ValidationSettings,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const MEETING: &str = "6bd0ae5c-0f9c-4b8b-a7a5-5bf5a0f0e2f1";
const ATTENDEE: &str = "f0a8fa58-7cfe-4bc4-a5c8-2bd6b7d16a50";
const RESPONSE: &str = r#"{"Attendee":{"AttendeeId":"f0a8fa58-7cfe-4bc4-a5c8-2bd6b7d16a50","ExternalUserId":"bench","Capabilities":{"Audio":"SendReceive","Video":"None","Content":"None"}}}"#;

fn capabilities(video: M) -> AttendeeCapabilities {
    AttendeeCapabilities::builder()
        .audio(M::SendReceive)
        .video(video)
        .content(M::None)
        .build()
        .expect("all members set")
}

/// Runs `f` `iterations` times and returns the mean time per run.
fn per_op(iterations: u32, mut f: impl FnMut()) -> Duration {
    let start = Instant::now();
    for _ in 0..iterations {
        f();
    }
    start.elapsed() / iterations
}

fn report(name: &str, d: Duration) {
    println!("{name:<64} {:>10.0} ns/op", d.as_nanos() as f64);
}

fn env_or(name: &str, default: u32) -> u32 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The config of every client; without an HTTP client, the default one.
fn config() -> Builder {
    chime_caps::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKIDBENCH", "secret", None, None, "bench"))
}

fn stub() -> SharedHttpClient {
    infallible_client_fn(|_| {
        http::Response::builder()
            .status(200)
            .body(SdkBody::from(RESPONSE))
            .expect("a valid response")
    })
}

/// A loopback HTTP/1.1 server answering every request with [`RESPONSE`]; returns its
/// URL.
async fn canned_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{RESPONSE}",
        RESPONSE.len()
    );
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let response = response.clone();
            tokio::spawn(async move {
                let mut buffer = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    // One request: the head, then `content-length` bytes of body.
                    let Some(head_end) = find(&buffer, b"\r\n\r\n") else {
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                        }
                        continue;
                    };
                    let head = String::from_utf8_lossy(&buffer[..head_end]).to_ascii_lowercase();
                    let length: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse().ok())
                        .unwrap_or(0);
                    while buffer.len() < head_end + 4 + length {
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                        }
                    }
                    buffer.drain(..head_end + 4 + length);
                    if socket.write_all(response.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    url
}

/// Refuses every call where the validation refuses one: what any local refusal
/// costs in the orchestrator, without the validation's own work.
#[derive(Debug)]
struct RejectEverything;

impl Intercept for RejectEverything {
    fn name(&self) -> &'static str {
        "RejectEverything"
    }

    fn modify_before_serialization(
        &self,
        _: &mut BeforeSerializationInterceptorContextMut<'_>,
        _: &RuntimeComponents,
        _: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        Err("refused".into())
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Accepted calls by the three clients, interleaved to share the noise; prints the
/// median over the rounds of each client's mean, and the overhead of `Enforce`.
async fn accepted_calls(transport: &str, config: impl Fn() -> Builder, rounds: u32, batch: u32) {
    let generated = chime_caps_generated::Client::from_conf(config().build());
    let off = chime_caps::Client::from_conf(
        config()
            .validation(ValidationSettings::new().mode(ValidationMode::Off))
            .build(),
    );
    let enforce = chime_caps::Client::from_conf(config().build());
    // Every rule is checked: the meeting is known.
    enforce.validation().register_meeting(
        MEETING,
        MeetingFeatures {
            video_max_resolution: Some(VideoResolution::None),
            content_max_resolution: None,
        },
    );
    let mut samples: [Vec<Duration>; 3] = Default::default();
    for round in 0..=rounds {
        for (i, sample) in samples.iter_mut().enumerate() {
            let start = Instant::now();
            for _ in 0..batch {
                // The fluent builder is the same type whichever client made it.
                let builder = match i {
                    0 => generated.update_attendee_capabilities(),
                    1 => off.update_attendee_capabilities(),
                    _ => enforce.update_attendee_capabilities(),
                };
                let result = builder
                    .meeting_id(MEETING)
                    .attendee_id(ATTENDEE)
                    .capabilities(capabilities(M::None))
                    .send()
                    .await;
                black_box(result.expect("accepted"));
            }
            if round > 0 {
                sample.push(start.elapsed() / batch); // round 0 warms up
            }
        }
    }
    let [generated, off, enforce] = samples.map(|mut s| {
        s.sort();
        s[s.len() / 2]
    });
    report(
        &format!("accepted call, {transport}, generated client"),
        generated,
    );
    report(&format!("accepted call, {transport}, validation Off"), off);
    report(
        &format!("accepted call, {transport}, validation Enforce"),
        enforce,
    );
    let overhead = |base: Duration| {
        (enforce.as_nanos() as f64 - base.as_nanos() as f64) / base.as_nanos() as f64 * 100.0
    };
    println!(
        "{:<64} {:>+10.2} % (vs Off {:+.2} %)",
        format!("validation overhead, {transport}, Enforce vs generated"),
        overhead(generated),
        overhead(off)
    );
}

/// `calls` accepted calls by one client, for counting from outside.
fn only(client: &str, calls: u32, runtime: &tokio::runtime::Runtime) {
    let config = || match std::env::var("BENCH_TRANSPORT").as_deref() {
        Ok("loopback") => config().endpoint_url(runtime.block_on(canned_server())),
        _ => config().http_client(stub()),
    };
    let generated = chime_caps_generated::Client::from_conf(config().build());
    let (mode, video) = match client {
        "generated" => (None, M::None),
        "off" => (Some(ValidationMode::Off), M::None),
        "enforce" => (Some(ValidationMode::Enforce), M::None),
        // Video in a meeting without video: refused before anything is sent.
        "reject" => (Some(ValidationMode::Enforce), M::Receive),
        other => panic!("BENCH_ONLY={other}: use generated, off, enforce or reject"),
    };
    let validated = chime_caps::Client::from_conf(
        config()
            .validation(ValidationSettings::new().mode(mode.unwrap_or_default()))
            .build(),
    );
    validated.validation().register_meeting(
        MEETING,
        MeetingFeatures {
            video_max_resolution: Some(VideoResolution::None),
            content_max_resolution: None,
        },
    );
    for _ in 0..calls {
        // The fluent builder is the same type whichever client made it.
        let (builder, media) = match mode {
            None => (generated.update_attendee_capabilities(), M::None),
            Some(_) => (validated.update_attendee_capabilities(), video.clone()),
        };
        let result = runtime.block_on(
            builder
                .meeting_id(MEETING)
                .attendee_id(ATTENDEE)
                .capabilities(capabilities(media))
                .send(),
        );
        // `reject` expects every call refused, the others every call accepted.
        assert_eq!(result.is_ok(), video == M::None, "{result:?}");
        drop(black_box(result));
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    if let Ok(client) = std::env::var("BENCH_ONLY") {
        only(&client, env_or("BENCH_CALLS", 2_000), &runtime);
        return;
    }

    // Local work only: a client of a meeting known to have video disabled.
    let client = chime_caps::Client::from_conf(config().http_client(stub()).build());
    client.validation().register_meeting(
        MEETING,
        MeetingFeatures {
            video_max_resolution: Some(VideoResolution::None),
            content_max_resolution: None,
        },
    );
    let iterations = env_or("BENCH_REJECTIONS", 100_000);
    let rejected = || {
        client
            .update_attendee_capabilities()
            .meeting_id(MEETING)
            .attendee_id(ATTENDEE)
            .capabilities(capabilities(M::Receive))
            .send()
    };
    let unserializable = || {
        client
            .update_attendee_capabilities()
            .attendee_id(ATTENDEE)
            .capabilities(capabilities(M::None))
            .send()
    };
    per_op(iterations / 10, || {
        drop(black_box(runtime.block_on(rejected())))
    });
    report(
        "send(), rejected locally (VideoDisabled)",
        per_op(iterations, || drop(black_box(runtime.block_on(rejected())))),
    );
    report(
        "send(), failing to serialize (no meeting id), for comparison",
        per_op(iterations, || {
            drop(black_box(runtime.block_on(unserializable())))
        }),
    );
    let floor = chime_caps_generated::Client::from_conf(
        config()
            .http_client(stub())
            .interceptor(RejectEverything)
            .build(),
    );
    report(
        "send(), refused by a trivial interceptor (the orchestrator's cost)",
        per_op(iterations, || {
            let call = floor
                .update_attendee_capabilities()
                .meeting_id(MEETING)
                .attendee_id(ATTENDEE)
                .capabilities(capabilities(M::Receive))
                .send();
            drop(black_box(runtime.block_on(call)));
        }),
    );

    let (rounds, batch) = (env_or("BENCH_ROUNDS", 20), env_or("BENCH_BATCH", 200));
    runtime.block_on(accepted_calls(
        "stub",
        || config().http_client(stub()),
        rounds,
        batch,
    ));
    runtime.block_on(async {
        let url = canned_server().await;
        accepted_calls(
            "loopback",
            || config().endpoint_url(url.clone()),
            rounds,
            batch / 4,
        )
        .await;
    });
}
