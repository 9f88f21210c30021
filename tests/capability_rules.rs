//! Every capability combination (4 × 4 × 4) against every kind of meeting (video
//! None/HD/FHD/unknown × content None/FHD/UHD/unknown), for both capability
//! operations, through a real HTTP round trip to the emulator: the local verdict and
//! rule, zero requests on rejection (counted at the server), and the server's own
//! verdict on the rejected calls (sent again with validation off).
#![cfg(feature = "emulator")]

mod support;

use std::error::Error;

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use chime_caps::emulator::Emulator;
use chime_caps::error::{ProvideErrorMetadata, SdkError};
use chime_caps::rules::{MeetingFeatures, Rule};
use chime_caps::types::{AttendeeCapabilities, ContentResolution, VideoResolution};
use chime_caps::validation::{CapabilityErrorExt, ValidationMode};
use chime_caps::Client;
use support::{
    caps, client_in, create_attendee, create_meeting, emulator, expected_rule, features, item,
    MEDIA,
};

/// Asserts the outcome of one call made with validation enforced.
fn assert_outcome<E: Error + 'static>(
    result: Result<(), SdkError<E, HttpResponse>>,
    sent: u64,
    want: Option<Rule>,
    label: &str,
) {
    match (want, result) {
        (None, Ok(())) => assert_eq!(sent, 1, "{label}: an accepted call sends one request"),
        (Some(rule), Err(err)) => {
            let violation = err.as_capability_violation().unwrap_or_else(|| {
                panic!("{label}: expected a local {rule} rejection, got {err:?}")
            });
            assert_eq!(violation.rule, rule, "{label}");
            assert!(
                violation.to_string().contains(rule.as_str()),
                "{label}: {violation}"
            );
            assert_eq!(sent, 0, "{label}: a rejected call sends nothing");
        }
        (want, result) => panic!("{label}: expected {want:?}, got {result:?}"),
    }
}

/// Asserts the server rejects what the client rejected, for the same rule.
fn assert_server_rejects<E: Error + ProvideErrorMetadata + 'static>(
    result: Result<(), SdkError<E, HttpResponse>>,
    rule: Rule,
    label: &str,
) {
    let err = result.expect_err(label);
    let service = err
        .as_service_error()
        .unwrap_or_else(|| panic!("{label}: expected a 400, got {err:?}"));
    assert_eq!(service.code(), Some("BadRequestException"), "{label}");
    assert!(
        service
            .message()
            .unwrap_or_default()
            .contains(rule.as_str()),
        "{label}: {:?}",
        service.message()
    );
}

struct Meeting {
    id: String,
    attendee: String,
    excluded: String,
}

/// Creates the meeting on the emulator and tells `client` its features. The emulator
/// only accepts the model's values, so a meeting with a resolution the crate does
/// not know is created with the service default (enabled) and registered locally
/// with the unknown value, which must also count as enabled.
async fn meeting(client: &Client, video: &VideoResolution, content: &ContentResolution) -> Meeting {
    let known_video = VideoResolution::values()
        .contains(&video.as_str())
        .then(|| video.clone());
    let known_content = ContentResolution::values()
        .contains(&content.as_str())
        .then(|| content.clone());
    let id = create_meeting(client, Some(features(known_video, known_content))).await;
    client.validation().register_meeting(
        &id,
        MeetingFeatures {
            video_max_resolution: Some(video.clone()),
            content_max_resolution: Some(content.clone()),
        },
    );
    let attendee = create_attendee(client, &id, None).await;
    let excluded = create_attendee(client, &id, None).await;
    Meeting {
        id,
        attendee,
        excluded,
    }
}

/// Runs `call` and returns its result with the number of requests the server got.
async fn counted<T>(emulator: &Emulator, call: impl std::future::Future<Output = T>) -> (T, u64) {
    let before = emulator.requests_served();
    let result = call.await;
    (result, emulator.requests_served() - before)
}

#[tokio::test]
async fn all_64_combinations_against_16_kinds_of_meeting() {
    let emulator = emulator().await;
    let enforce = client_in(&emulator, ValidationMode::Enforce);
    let off = client_in(&emulator, ValidationMode::Off);
    let videos = [
        VideoResolution::None,
        VideoResolution::Hd,
        VideoResolution::Fhd,
        VideoResolution::from("UHD8K"),
    ];
    let contents = [
        ContentResolution::None,
        ContentResolution::Fhd,
        ContentResolution::Uhd,
        ContentResolution::from("8K"),
    ];
    let mut rejected = [0usize; 3];
    for video in &videos {
        for content in &contents {
            let m = meeting(&enforce, video, content).await;
            let (video_enabled, content_enabled) = (
                *video != VideoResolution::None,
                *content != ContentResolution::None,
            );
            for (a, audio) in MEDIA.iter().enumerate() {
                for (v, video_cap) in MEDIA.iter().enumerate() {
                    for (c, content_cap) in MEDIA.iter().enumerate() {
                        let requested = caps(audio.clone(), video_cap.clone(), content_cap.clone());
                        let want = expected_rule(video_enabled, content_enabled, v, c);
                        let label = format!("meeting video {video} content {content}, request {a}/{v}/{c} {requested:?}");

                        let (result, sent) =
                            counted(&emulator, update_call(&enforce, &m, &requested)).await;
                        assert_outcome(
                            result,
                            sent,
                            want,
                            &format!("UpdateAttendeeCapabilities {label}"),
                        );
                        let (result, sent) =
                            counted(&emulator, batch_call(&enforce, &m, &requested)).await;
                        assert_outcome(
                            result,
                            sent,
                            want,
                            &format!("BatchUpdateAttendeeCapabilitiesExcept {label}"),
                        );

                        if let Some(rule) = want {
                            rejected[Rule::ALL.iter().position(|r| *r == rule).unwrap()] += 1;
                            // Audio never matters (the rules' unit tests cover every
                            // audio value), so one audio value keeps this pass short.
                            if a == 0 {
                                assert_server_rejects(
                                    update_call(&off, &m, &requested).await,
                                    rule,
                                    &label,
                                );
                                assert_server_rejects(
                                    batch_call(&off, &m, &requested).await,
                                    rule,
                                    &label,
                                );
                            }
                        }
                    }
                }
            }
        }
    }
    // Counted by hand from the seed rules over the 16 meetings (× 4 audio values):
    // VideoDisabled 4 × 48, ContentDisabled 3 × 48 + 12, ContentNeedsVideo 9 × 16 + 3 × 8.
    assert_eq!(
        rejected,
        [192, 156, 168],
        "rejections per rule (VideoDisabled, ContentDisabled, ContentNeedsVideo)"
    );
}

type UpdateError =
    chime_caps::operation::update_attendee_capabilities::UpdateAttendeeCapabilitiesError;
type BatchError =
    chime_caps::operation::batch_update_attendee_capabilities_except::BatchUpdateAttendeeCapabilitiesExceptError;

async fn update_call(
    client: &Client,
    m: &Meeting,
    requested: &AttendeeCapabilities,
) -> Result<(), SdkError<UpdateError, HttpResponse>> {
    client
        .update_attendee_capabilities()
        .meeting_id(&m.id)
        .attendee_id(&m.attendee)
        .capabilities(requested.clone())
        .send()
        .await
        .map(drop)
}

async fn batch_call(
    client: &Client,
    m: &Meeting,
    requested: &AttendeeCapabilities,
) -> Result<(), SdkError<BatchError, HttpResponse>> {
    client
        .batch_update_attendee_capabilities_except()
        .meeting_id(&m.id)
        .excluded_attendee_ids(item(&m.excluded))
        .capabilities(requested.clone())
        .send()
        .await
        .map(drop)
}

/// A client that never saw the meeting knows no features: it checks only
/// ContentNeedsVideo and leaves the feature rules to the service.
#[tokio::test]
async fn unknown_meetings_get_only_content_needs_video() {
    let emulator = emulator().await;
    let creator = client_in(&emulator, ValidationMode::Enforce);
    let stranger = client_in(&emulator, ValidationMode::Enforce);
    let m = meeting(&creator, &VideoResolution::None, &ContentResolution::None).await;
    for (v, video_cap) in MEDIA.iter().enumerate() {
        for (c, content_cap) in MEDIA.iter().enumerate() {
            let requested = caps(MEDIA[3].clone(), video_cap.clone(), content_cap.clone());
            let label = format!("unknown meeting, request {requested:?}");
            let local = expected_rule(true, true, v, c);
            let (result, sent) = counted(&emulator, update_call(&stranger, &m, &requested)).await;
            match (local, expected_rule(false, false, v, c)) {
                (Some(rule), _) => assert_outcome(result, sent, Some(rule), &label),
                (None, None) => assert_outcome(result, sent, None, &label),
                (None, Some(rule)) => {
                    assert_eq!(sent, 1, "{label}: sent to the service");
                    assert_server_rejects(result, rule, &label);
                }
            }
        }
    }
}
