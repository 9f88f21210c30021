//! Helpers shared by the validation tests: an emulator, clients with given
//! validation settings, meetings and attendees.
#![allow(dead_code)] // each test binary uses a different subset

use std::sync::atomic::{AtomicU64, Ordering};

use chime_caps::emulator::Emulator;
use chime_caps::types::{
    AttendeeCapabilities, AttendeeIdItem, ContentFeatures, ContentResolution, MediaCapabilities,
    MeetingFeaturesConfiguration, VideoFeatures, VideoResolution,
};
use chime_caps::validation::{ValidationConfigExt, ValidationMode, ValidationSettings};
use chime_caps::Client;

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

pub fn caps(
    audio: &MediaCapabilities,
    video: &MediaCapabilities,
    content: &MediaCapabilities,
) -> AttendeeCapabilities {
    AttendeeCapabilities::builder()
        .audio(audio.clone())
        .video(video.clone())
        .content(content.clone())
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

fn unique_token() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!(
        "validation-test-{}-{}",
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
        .external_meeting_id("validation-test")
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
