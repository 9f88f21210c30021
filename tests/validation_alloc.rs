//! What the validation costs in heap allocations, measured with a counting global
//! allocator on whole calls: an accepted call of `chime_caps::Client` against the same
//! call of the generated client without validation, and a local rejection.

mod support;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::future::Future;

use aws_smithy_http_client::test_util::infallible_client_fn;
use aws_smithy_types::body::SdkBody;
use chime_caps::config::{BehaviorVersion, Credentials, Region};
use chime_caps::types::{AttendeeCapabilities, MediaCapabilities as M};
use chime_caps::validation::{
    ValidationClientExt, ValidationConfigExt, ValidationMode, ValidationSettings,
};
use support::{caps, video_off};

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

struct Counting;

// SAFETY: forwards to the system allocator; only counts calls.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        System.alloc(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const MEETING: &str = "6bd0ae5c-0f9c-4b8b-a7a5-5bf5a0f0e2f1";
const ATTENDEE: &str = "f0a8fa58-7cfe-4bc4-a5c8-2bd6b7d16a50";
const CALLS: usize = 50;

/// The allocations of `CALLS` runs of `call` on this thread, after a warm-up.
fn allocations_per_call<F: Future>(runtime: &tokio::runtime::Runtime, call: impl Fn() -> F) -> f64 {
    for _ in 0..10 {
        runtime.block_on(call());
    }
    let before = ALLOCATIONS.with(Cell::get);
    for _ in 0..CALLS {
        runtime.block_on(call());
    }
    (ALLOCATIONS.with(Cell::get) - before) as f64 / CALLS as f64
}

fn config() -> chime_caps::config::Builder {
    let http = infallible_client_fn(|_| {
        http::Response::builder()
            .status(200)
            .body(SdkBody::from(format!(
                r#"{{"Attendee":{{"AttendeeId":"{ATTENDEE}","Capabilities":{{"Audio":"SendReceive","Video":"None","Content":"None"}}}}}}"#
            )))
            .unwrap()
    });
    chime_caps::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new("AKIDTEST", "secret", None, None, "test"))
        .endpoint_url("http://127.0.0.1:1")
        .http_client(http)
}

fn requested(video: M) -> AttendeeCapabilities {
    caps(M::SendReceive, video, M::None)
}

fn update(
    client: &chime_caps::Client,
    video: M,
) -> chime_caps::operation::update_attendee_capabilities::builders::UpdateAttendeeCapabilitiesFluentBuilder{
    client
        .update_attendee_capabilities()
        .meeting_id(MEETING)
        .attendee_id(ATTENDEE)
        .capabilities(requested(video))
}

#[test]
fn the_check_allocates_nothing_and_learning_three_allocations() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let plain = chime_caps_generated::Client::from_conf(config().build());
    let enforce = chime_caps::Client::from_conf(config().build());
    let off = chime_caps::Client::from_conf(
        config()
            .validation(ValidationSettings::new().mode(ValidationMode::Off))
            .build(),
    );
    // Every rule is checked (the meeting is known) and the attendee is known, so the
    // notices are computed too (there are none: nothing starts sending).
    for client in [&enforce, &off] {
        client.validation().register_meeting(MEETING, video_off());
        client
            .validation()
            .register_attendee(MEETING, ATTENDEE, requested(M::None));
    }

    let without = allocations_per_call(&runtime, || {
        plain
            .update_attendee_capabilities()
            .meeting_id(MEETING)
            .attendee_id(ATTENDEE)
            .capabilities(requested(M::None))
            .send()
    });
    let checked = allocations_per_call(&runtime, || async {
        update(&enforce, M::None).send().await.expect("accepted")
    });
    let unchecked = allocations_per_call(&runtime, || async {
        update(&off, M::None).send().await.expect("accepted")
    });
    println!(
        "allocations per accepted call: {without} without validation, {checked} enforced, {unchecked} with validation off"
    );
    assert_eq!(checked, unchecked, "the check itself allocates nothing");
    // What learning needs after the response is kept in the call's config bag:
    // storing it boxes it (a `Box` and an `Arc` in `TypeErasedBox`) and may grow the
    // layer's map.
    assert!(
        (0.0..=3.0).contains(&(checked - without)),
        "{without} without validation, {checked} with"
    );

    // An operation that teaches the client nothing costs nothing.
    let tags_plain = allocations_per_call(&runtime, || {
        plain
            .list_tags_for_resource()
            .resource_arn("arn:aws:chime::1:meeting/x")
            .send()
    });
    let tags_validated = allocations_per_call(&runtime, || {
        enforce
            .list_tags_for_resource()
            .resource_arn("arn:aws:chime::1:meeting/x")
            .send()
    });
    assert_eq!(tags_plain, tags_validated);

    let rejected = allocations_per_call(&runtime, || async {
        update(&enforce, M::Receive)
            .send()
            .await
            .expect_err("rejected")
    });
    println!("allocations per local rejection: {rejected}");
    assert!(
        rejected < without / 2.0,
        "{rejected} to reject, {without} to send"
    );
}
