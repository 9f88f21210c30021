//! The local check allocates nothing when it accepts a call, and exactly one error
//! value's worth when it rejects one (measured with a counting global allocator).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use chime_caps::operation::update_attendee_capabilities::UpdateAttendeeCapabilitiesInput;
use chime_caps::rules::MeetingFeatures;
use chime_caps::types::{AttendeeCapabilities, MediaCapabilities as M, VideoResolution};
use chime_caps::Client;

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
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations_of(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

fn input(video: M) -> UpdateAttendeeCapabilitiesInput {
    let capabilities = AttendeeCapabilities::builder()
        .audio(M::SendReceive)
        .video(video)
        .content(M::None)
        .build()
        .unwrap();
    UpdateAttendeeCapabilitiesInput::builder()
        .meeting_id("6bd0ae5c-0f9c-4b8b-a7a5-5bf5a0f0e2f1")
        .attendee_id("f0a8fa58-7cfe-4bc4-a5c8-2bd6b7d16a50")
        .capabilities(capabilities)
        .build()
        .unwrap()
}

#[test]
fn the_accept_path_does_not_allocate() {
    let client = Client::from_conf(chime_caps::Config::builder().build());
    client.validation().register_meeting(
        "6bd0ae5c-0f9c-4b8b-a7a5-5bf5a0f0e2f1",
        MeetingFeatures {
            video_max_resolution: Some(VideoResolution::None),
            content_max_resolution: None,
        },
    );
    let inspector = client
        .config()
        .input_inspector()
        .expect("validation is installed");
    let (accepted, rejected) = (input(M::None), input(M::Receive));
    // Warm up (the pattern matcher sets up its per-thread cache on first use).
    inspector
        .inspect("UpdateAttendeeCapabilities", &accepted)
        .unwrap();

    assert_eq!(
        allocations_of(|| inspector
            .inspect("UpdateAttendeeCapabilities", &accepted)
            .unwrap()),
        0
    );
    let n = allocations_of(|| {
        drop(
            inspector
                .inspect("UpdateAttendeeCapabilities", &rejected)
                .unwrap_err(),
        )
    });
    assert_eq!(n, 1, "a rejection boxes one error");
}
