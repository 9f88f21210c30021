//! Helpers shared by the test binaries that talk to the emulator through the
//! validating `chime_caps::Client`: clients with given validation settings, meetings,
//! attendees, and the rules' oracle; the rest is in `common.rs`.
#![allow(dead_code)] // each test binary uses a different subset

mod common;
pub use common::*;

use chime_caps::emulator::Emulator;
use chime_caps::rules::{MeetingFeatures, Rule};
use chime_caps::types::{AttendeeCapabilities, MeetingFeaturesConfiguration, VideoResolution};
use chime_caps::validation::{ValidationConfigExt, ValidationMode, ValidationSettings};
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

/// A client of `emulator` with `settings`.
pub fn client(emulator: &Emulator, settings: ValidationSettings) -> Client {
    let config = chime_caps::config::Builder::from(&emulator.client_config())
        .validation(settings)
        .build();
    Client::from_conf(config)
}

/// A client of `emulator` in `mode` with otherwise default settings.
pub fn client_in(emulator: &Emulator, mode: ValidationMode) -> Client {
    client(emulator, ValidationSettings::new().mode(mode))
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
