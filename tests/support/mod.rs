//! Helpers shared by the test binaries: the rules' oracle, capabilities, meetings and
//! attendees, a fake service for the validation tests ([`service`]) and the emulator.
#![allow(dead_code)] // each test binary uses a different subset

pub mod logs;
pub mod service;

use std::sync::atomic::{AtomicU64, Ordering};

use chime_caps::rules::{MeetingFeatures, Rule};
use chime_caps::types::{
    AttendeeCapabilities, AttendeeIdItem, ContentFeatures, ContentResolution,
    CreateAttendeeRequestItem, MediaCapabilities, MeetingFeaturesConfiguration, VideoFeatures,
    VideoResolution,
};
use chime_caps::Client;

/// Every capability value, in the order of the rules' tables.
pub const MEDIA: [MediaCapabilities; 4] = [
    MediaCapabilities::None,
    MediaCapabilities::Receive,
    MediaCapabilities::Send,
    MediaCapabilities::SendReceive,
];

/// The rule a request breaks, written from the seed documents independently of
/// `chime_caps::rules`. `video` and `content` index [`MEDIA`]: 0 None, 1 Receive,
/// 2 Send, 3 SendReceive.
pub fn expected_rule(
    video_enabled: bool,
    content_enabled: bool,
    video: usize,
    content: usize,
) -> Option<Rule> {
    let receives = |i: usize| i == 1 || i == 3;
    if !video_enabled && video != 0 {
        Some(Rule::VideoDisabled)
    } else if !content_enabled && content != 0 {
        Some(Rule::ContentDisabled)
    } else if receives(content) && !receives(video) {
        Some(Rule::ContentNeedsVideo)
    } else {
        None
    }
}

#[cfg(feature = "emulator")]
pub async fn emulator() -> chime_caps::emulator::Emulator {
    chime_caps::emulator::Emulator::builder()
        .start()
        .await
        .expect("emulator starts")
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

/// What the rules know of a meeting created with video disabled.
pub fn video_off() -> MeetingFeatures {
    MeetingFeatures {
        video_max_resolution: Some(VideoResolution::None),
        content_max_resolution: None,
    }
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

/// Creates a meeting through `client` and returns its id.
pub async fn create_meeting(
    client: &Client,
    features: Option<MeetingFeaturesConfiguration>,
) -> String {
    client
        .create_meeting()
        .client_request_token(unique_token())
        .media_region("us-east-1")
        .external_meeting_id("test-meeting")
        .set_meeting_features(features)
        .send()
        .await
        .expect("CreateMeeting")
        .meeting
        .and_then(|m| m.meeting_id)
        .expect("meeting id")
}

/// Creates an attendee through `client` and returns its id.
pub async fn create_attendee(
    client: &Client,
    meeting_id: &str,
    capabilities: Option<AttendeeCapabilities>,
) -> String {
    client
        .create_attendee()
        .meeting_id(meeting_id)
        .external_user_id(unique_token())
        .set_capabilities(capabilities)
        .send()
        .await
        .expect("CreateAttendee")
        .attendee
        .and_then(|a| a.attendee_id)
        .expect("attendee id")
}

pub fn item(attendee_id: &str) -> AttendeeIdItem {
    AttendeeIdItem::builder()
        .attendee_id(attendee_id)
        .build()
        .expect("attendee id set")
}

/// An item of `Attendees` (`BatchCreateAttendee`, `CreateMeetingWithAttendees`).
pub fn new_attendee(
    external_user_id: &str,
    capabilities: Option<AttendeeCapabilities>,
) -> CreateAttendeeRequestItem {
    CreateAttendeeRequestItem::builder()
        .external_user_id(external_user_id)
        .set_capabilities(capabilities)
        .build()
        .expect("external user id set")
}
