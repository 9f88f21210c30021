//! Helpers that need nothing but the emulator and the generated types: capability
//! values, meeting features, unique tokens. Shared by every test binary that talks to
//! the emulator (through `support/mod.rs`, or `#[path]` where the validating client is
//! not wanted).
#![allow(dead_code)] // each test binary uses a different subset

use std::sync::atomic::{AtomicU64, Ordering};

use chime_caps::emulator::Emulator;
use chime_caps::types::{
    AttendeeCapabilities, AttendeeIdItem, ContentFeatures, ContentResolution, MediaCapabilities,
    MeetingFeaturesConfiguration, VideoFeatures, VideoResolution,
};

/// Every capability value, in the order of the rules' tables.
pub const MEDIA: [MediaCapabilities; 4] = [
    MediaCapabilities::None,
    MediaCapabilities::Receive,
    MediaCapabilities::Send,
    MediaCapabilities::SendReceive,
];

pub async fn emulator() -> Emulator {
    Emulator::builder().start().await.expect("emulator starts")
}

pub fn caps(
    audio: MediaCapabilities,
    video: MediaCapabilities,
    content: MediaCapabilities,
) -> AttendeeCapabilities {
    AttendeeCapabilities::builder()
        .audio(audio)
        .video(video)
        .content(content)
        .build()
        .expect("all members set")
}

pub fn features(
    video: Option<VideoResolution>,
    content: Option<ContentResolution>,
) -> MeetingFeaturesConfiguration {
    MeetingFeaturesConfiguration::builder()
        .video(VideoFeatures::builder().set_max_resolution(video).build())
        .content(
            ContentFeatures::builder()
                .set_max_resolution(content)
                .build(),
        )
        .build()
}

/// A token no other call of this process uses (for `ClientRequestToken` and
/// `ExternalUserId`).
pub fn unique_token() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(
        "test-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

pub fn item(attendee_id: &str) -> AttendeeIdItem {
    AttendeeIdItem::builder()
        .attendee_id(attendee_id)
        .build()
        .expect("attendee id set")
}
