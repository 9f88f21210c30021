//! Overhead of the capability validation (run with `cargo bench --bench validation`).
//!
//! Prints nanoseconds per operation for:
//! - a local rejection, through the inspector alone and through a whole `send()`;
//! - the accept-path inspection;
//! - an accepted `UpdateAttendeeCapabilities` over loopback to the emulator, with
//!   validation `Off` and `Enforce`, and the difference in percent.
//!
//! Targets (issue 3): a local rejection under 2 µs; under 2 % added to an accepted
//! call. Measured, not asserted: timings depend on the machine.

use std::hint::black_box;
use std::time::{Duration, Instant};

use chime_caps::emulator::Emulator;
use chime_caps::operation::update_attendee_capabilities::UpdateAttendeeCapabilitiesInput;
use chime_caps::rules::MeetingFeatures;
use chime_caps::types::{AttendeeCapabilities, MediaCapabilities as M, VideoResolution};
use chime_caps::validation::{ValidationConfigExt, ValidationMode, ValidationSettings};
use chime_caps::Client;

const OPERATION: &str = "UpdateAttendeeCapabilities";
const MEETING: &str = "6bd0ae5c-0f9c-4b8b-a7a5-5bf5a0f0e2f1";
const ATTENDEE: &str = "f0a8fa58-7cfe-4bc4-a5c8-2bd6b7d16a50";

fn capabilities(video: M) -> AttendeeCapabilities {
    AttendeeCapabilities::builder()
        .audio(M::SendReceive)
        .video(video)
        .content(M::None)
        .build()
        .expect("all members set")
}

fn input(video: M) -> UpdateAttendeeCapabilitiesInput {
    UpdateAttendeeCapabilitiesInput::builder()
        .meeting_id(MEETING)
        .attendee_id(ATTENDEE)
        .capabilities(capabilities(video))
        .build()
        .expect("input builds")
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
    println!("{name:<58} {:>10.0} ns/op", d.as_nanos() as f64);
}

fn client_of(emulator: &Emulator, mode: ValidationMode) -> Client {
    let config = chime_caps::config::Builder::from(&emulator.client_config())
        .validation(ValidationSettings::new().mode(mode))
        .build();
    Client::from_conf(config)
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");

    // Local work only: a client of a meeting known to have video disabled.
    let offline = Client::from_conf(chime_caps::Config::builder().build());
    offline.validation().register_meeting(
        MEETING,
        MeetingFeatures {
            video_max_resolution: Some(VideoResolution::None),
            content_max_resolution: None,
        },
    );
    let inspector = offline
        .config()
        .input_inspector()
        .expect("validation is installed")
        .clone();
    let (accepted, rejected) = (input(M::None), input(M::Receive));
    let iterations = 200_000;
    per_op(iterations / 10, || {
        drop(black_box(
            inspector.inspect(OPERATION, black_box(&accepted)),
        ))
    });
    report(
        "inspect, accepted",
        per_op(iterations, || {
            drop(black_box(
                inspector.inspect(OPERATION, black_box(&accepted)),
            ))
        }),
    );
    report(
        "inspect, rejected (VideoDisabled)",
        per_op(iterations, || {
            drop(black_box(
                inspector.inspect(OPERATION, black_box(&rejected)),
            ))
        }),
    );
    let rejection = per_op(iterations / 4, || {
        let call = offline
            .update_attendee_capabilities()
            .meeting_id(MEETING)
            .attendee_id(ATTENDEE)
            .capabilities(capabilities(M::Receive))
            .send();
        drop(black_box(runtime.block_on(call)));
    });
    report(
        "send(), rejected locally (builder + inspect + error)",
        rejection,
    );

    // Accepted calls over loopback, Off vs Enforce, interleaved to share the noise.
    runtime.block_on(async {
        let emulator = Emulator::builder().start().await.expect("emulator starts");
        let off = client_of(&emulator, ValidationMode::Off);
        let enforce = client_of(&emulator, ValidationMode::Enforce);
        let meeting = off
            .create_meeting()
            .client_request_token("bench-token")
            .media_region("us-east-1")
            .external_meeting_id("bench")
            .send()
            .await
            .expect("CreateMeeting")
            .meeting
            .and_then(|m| m.meeting_id)
            .expect("meeting id");
        enforce
            .get_meeting()
            .meeting_id(&meeting)
            .send()
            .await
            .expect("GetMeeting");
        let attendee = off
            .create_attendee()
            .meeting_id(&meeting)
            .external_user_id("bench-user")
            .send()
            .await
            .expect("CreateAttendee")
            .attendee
            .and_then(|a| a.attendee_id)
            .expect("attendee id");
        let call = |client: &Client| {
            client
                .update_attendee_capabilities()
                .meeting_id(&meeting)
                .attendee_id(&attendee)
                .capabilities(capabilities(M::SendReceive))
                .send()
        };
        let (rounds, batch) = (20, 100);
        let (mut total_off, mut total_enforce) = (Duration::ZERO, Duration::ZERO);
        for round in 0..=rounds {
            for (client, total) in [(&off, &mut total_off), (&enforce, &mut total_enforce)] {
                let start = Instant::now();
                for _ in 0..batch {
                    black_box(call(client).await.expect("accepted"));
                }
                if round > 0 {
                    *total += start.elapsed(); // round 0 warms up connections
                }
            }
        }
        let calls = rounds * batch;
        let (off_op, enforce_op) = (total_off / calls, total_enforce / calls);
        report("accepted call over loopback, validation Off", off_op);
        report(
            "accepted call over loopback, validation Enforce",
            enforce_op,
        );
        let overhead = (enforce_op.as_nanos() as f64 - off_op.as_nanos() as f64)
            / off_op.as_nanos() as f64
            * 100.0;
        println!(
            "{:<58} {overhead:>+10.2} %",
            "validation overhead on an accepted call"
        );
        emulator.shutdown().await;
    });
}
