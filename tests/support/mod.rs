//! Helpers shared by the validation test binaries: the rules' oracle, meetings and
//! attendees through the validating `chime_caps::Client`, a fake in-process service
//! ([`service`]) and captured logs ([`logs`]); the helpers that need only the
//! generated types are in `common.rs`.
#![allow(dead_code)] // each test binary uses a different subset

mod common;
pub mod logs;
pub mod service;

pub use common::*;

use chime_caps::rules::{MeetingFeatures, Rule};
use chime_caps::types::{
    AttendeeCapabilities, CreateAttendeeRequestItem, MeetingFeaturesConfiguration, VideoResolution,
};
use chime_caps::Client;

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

/// What the rules know of a meeting created with video disabled.
pub fn video_off() -> MeetingFeatures {
    MeetingFeatures {
        video_max_resolution: Some(VideoResolution::None),
        content_max_resolution: None,
    }
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
