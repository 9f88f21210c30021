//! The drop-in benchmark client: written against the official `aws-sdk-chimesdkmeetings`
//! API only, and built against the official crate and against chime-caps (through a
//! package alias) from this one file. `cargo bench --bench compare` in the root crate
//! runs both against the same emulator process and compares what they print.
//!
//! One run: create a meeting (and its attendees) on the endpoint, warm up, then make
//! `--calls` calls of `--op` from `--concurrency` tasks on a tokio multi-thread runtime,
//! and print one line:
//!
//! ```text
//! calls=8000 wall_ns=... cpu_user_us=... cpu_sys_us=...
//! ```
//!
//! The CPU time is this process's own (`getrusage(RUSAGE_SELF)`, every thread), over
//! the measured calls only: the server is another process.
//!
//! Operations: `update` (`UpdateAttendeeCapabilities`, alternating between two
//! capability sets), `batch` (`BatchUpdateAttendeeCapabilitiesExcept`, everyone but the
//! first attendee), `reject` (`UpdateAttendeeCapabilities` granting video in a meeting
//! created with video off: the service refuses it, every call must fail).

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_sdk_chimesdkmeetings::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_chimesdkmeetings::error::DisplayErrorContext;
use aws_sdk_chimesdkmeetings::types::{
    AttendeeCapabilities, AttendeeIdItem, MediaCapabilities, MeetingFeaturesConfiguration,
    VideoFeatures, VideoResolution,
};
use aws_sdk_chimesdkmeetings::Client;

#[derive(Clone, Copy, PartialEq)]
enum Op {
    Update,
    Batch,
    Reject,
}

struct Args {
    endpoint: String,
    region: String,
    access_key_id: String,
    secret_access_key: String,
    op: Op,
    concurrency: usize,
    calls: usize,
    warmup: usize,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        endpoint: String::new(),
        region: "us-east-1".to_owned(),
        access_key_id: String::new(),
        secret_access_key: String::new(),
        op: Op::Update,
        concurrency: 1,
        calls: 2_000,
        warmup: 200,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        let number = || {
            value
                .parse::<usize>()
                .map_err(|e| format!("{flag} {value}: {e}"))
        };
        match flag.as_str() {
            "--endpoint" => args.endpoint = value.clone(),
            "--region" => args.region = value.clone(),
            "--access-key-id" => args.access_key_id = value.clone(),
            "--secret-access-key" => args.secret_access_key = value.clone(),
            "--concurrency" => args.concurrency = number()?.max(1),
            "--calls" => args.calls = number()?,
            "--warmup" => args.warmup = number()?,
            "--op" => {
                args.op = match value.as_str() {
                    "update" => Op::Update,
                    "batch" => Op::Batch,
                    "reject" => Op::Reject,
                    other => return Err(format!("--op {other}: use update, batch or reject")),
                }
            }
            other => return Err(format!("unknown flag {other}")),
        }
    }
    if args.endpoint.is_empty() || args.access_key_id.is_empty() {
        return Err("--endpoint, --access-key-id and --secret-access-key are required".into());
    }
    Ok(args)
}

fn capabilities(media: MediaCapabilities) -> AttendeeCapabilities {
    AttendeeCapabilities::builder()
        .audio(media.clone())
        .video(media.clone())
        .content(media)
        .build()
        .expect("every member is set")
}

/// What each task calls with.
struct Target {
    meeting_id: String,
    attendee_ids: Vec<String>,
}

async fn set_up(client: &Client, args: &Args) -> Result<Target, String> {
    let mut meeting = client
        .create_meeting()
        .media_region(&args.region)
        .external_meeting_id(format!("drop-in-{}", std::process::id()));
    if args.op == Op::Reject {
        meeting = meeting.meeting_features(
            MeetingFeaturesConfiguration::builder()
                .video(
                    VideoFeatures::builder()
                        .max_resolution(VideoResolution::None)
                        .build(),
                )
                .build(),
        );
    }
    let meeting_id = meeting
        .send()
        .await
        .map_err(|e| format!("CreateMeeting: {}", DisplayErrorContext(&e)))?
        .meeting
        .and_then(|m| m.meeting_id)
        .ok_or("CreateMeeting returned no meeting id")?;
    // One attendee per task, and for `batch` the excluded one.
    let mut attendee_ids = Vec::new();
    for i in 0..=args.concurrency {
        let attendee = client
            .create_attendee()
            .meeting_id(&meeting_id)
            .external_user_id(format!("drop-in-attendee-{i}"))
            .send()
            .await
            .map_err(|e| format!("CreateAttendee: {}", DisplayErrorContext(&e)))?;
        attendee_ids.push(
            attendee
                .attendee
                .and_then(|a| a.attendee_id)
                .ok_or("CreateAttendee returned no attendee id")?,
        );
    }
    Ok(Target {
        meeting_id,
        attendee_ids,
    })
}

/// Makes `calls` calls as task `task`; the `n`th call of `update` alternates between
/// two capability sets so that every call changes something.
async fn run_task(
    client: Client,
    target: Arc<Target>,
    op: Op,
    task: usize,
    calls: usize,
) -> Result<(), String> {
    let attendee_id = &target.attendee_ids[task + 1];
    for n in 0..calls {
        let media = if n % 2 == 0 {
            MediaCapabilities::SendReceive
        } else {
            MediaCapabilities::Receive
        };
        match op {
            Op::Update | Op::Reject => expected(
                op,
                client
                    .update_attendee_capabilities()
                    .meeting_id(&target.meeting_id)
                    .attendee_id(attendee_id)
                    .capabilities(capabilities(media))
                    .send()
                    .await,
            )?,
            Op::Batch => expected(
                op,
                client
                    .batch_update_attendee_capabilities_except()
                    .meeting_id(&target.meeting_id)
                    .excluded_attendee_ids(
                        AttendeeIdItem::builder()
                            .attendee_id(&target.attendee_ids[0])
                            .build()
                            .expect("the attendee id is set"),
                    )
                    .capabilities(capabilities(media))
                    .send()
                    .await,
            )?,
        }
    }
    Ok(())
}

/// Whether a call's result is what `op` expects: `reject` expects every call to be
/// refused, the others to succeed. An expected refusal is not formatted: the figure
/// is the time until the caller has the error.
fn expected<T, E: std::error::Error + 'static>(op: Op, result: Result<T, E>) -> Result<(), String> {
    match (op, result) {
        (Op::Reject, Ok(_)) => {
            Err("a call granting video in a meeting without video succeeded".into())
        }
        (Op::Reject, Err(_)) | (_, Ok(_)) => Ok(()),
        (_, Err(e)) => Err(DisplayErrorContext(e).to_string()),
    }
}

/// `calls` calls spread over `concurrency` tasks; returns the wall time.
async fn run(
    client: &Client,
    target: &Arc<Target>,
    args: &Args,
    calls: usize,
) -> Result<Duration, String> {
    let start = Instant::now();
    let tasks: Vec<_> = (0..args.concurrency)
        .map(|task| {
            let share = calls / args.concurrency + usize::from(task < calls % args.concurrency);
            tokio::spawn(run_task(
                client.clone(),
                Arc::clone(target),
                args.op,
                task,
                share,
            ))
        })
        .collect();
    for task in tasks {
        task.await.map_err(|e| format!("a task panicked: {e}"))??;
    }
    Ok(start.elapsed())
}

/// This process's user and system CPU time so far, in microseconds.
fn cpu_time_us() -> (u64, u64) {
    // SAFETY: `getrusage` only writes the struct it is given.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let us = |t: libc::timeval| t.tv_sec as u64 * 1_000_000 + t.tv_usec as u64;
    (us(usage.ru_utime), us(usage.ru_stime))
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("drop-in: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let result = runtime.block_on(async {
        let config = aws_sdk_chimesdkmeetings::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(args.region.clone()))
            .credentials_provider(Credentials::new(
                &args.access_key_id,
                &args.secret_access_key,
                None,
                None,
                "drop-in-bench",
            ))
            .endpoint_url(&args.endpoint)
            .build();
        let client = Client::from_conf(config);
        let target = Arc::new(set_up(&client, &args).await?);
        run(&client, &target, &args, args.warmup.max(args.concurrency)).await?;
        let (user_before, sys_before) = cpu_time_us();
        let wall = run(&client, &target, &args, args.calls).await?;
        let (user_after, sys_after) = cpu_time_us();
        Ok::<_, String>((wall, user_after - user_before, sys_after - sys_before))
    });
    match result {
        Ok((wall, user, sys)) => {
            println!(
                "calls={} wall_ns={} cpu_user_us={user} cpu_sys_us={sys}",
                args.calls,
                wall.as_nanos()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("drop-in: {e}");
            ExitCode::FAILURE
        }
    }
}
