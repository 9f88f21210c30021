//! Every capability combination (4 × 4 × 4) against every kind of meeting (video
//! None/HD/FHD/unknown × content None/FHD/UHD/unknown), for the five operations that
//! carry capabilities, through the whole client to an in-process service: the local
//! verdict and rule (against the seed table, written independently of the rules),
//! zero requests on rejection (counted at the service), and the service's own verdict
//! on the rejected calls (sent again with validation off).

mod support;

use std::error::Error;

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use chime_caps::error::{ProvideErrorMetadata, SdkError};
use chime_caps::rules::{MeetingFeatures, Rule};
use chime_caps::types::{AttendeeCapabilities, ContentResolution, VideoResolution};
use chime_caps::validation::{CapabilityErrorExt, ValidationClientExt, ValidationMode};
use chime_caps::Client;
use support::service::FakeService;
use support::{
    caps, create_attendee, create_meeting, expected_rule, features, item, new_attendee,
    unique_token, MEDIA,
};

/// Asserts the outcome of one call made with validation enforced; `item` is where a
/// batch of attendees holds the requested capabilities.
fn assert_outcome<E: Error + 'static>(
    result: Result<(), SdkError<E, HttpResponse>>,
    sent: u64,
    want: Option<Rule>,
    item: Option<usize>,
    label: &str,
) {
    match (want, result) {
        (None, Ok(())) => assert_eq!(sent, 1, "{label}: an accepted call sends one request"),
        (Some(rule), Err(err)) => {
            let violation = err.as_capability_violation().unwrap_or_else(|| {
                panic!("{label}: expected a local {rule} rejection, got {err:?}")
            });
            assert_eq!((violation.rule, violation.item), (rule, item), "{label}");
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

/// Creates the meeting on the service and tells `client` its features. A meeting
/// with a resolution the crate does not know is created with the service default
/// (enabled) and registered locally with the unknown value, which must also count as
/// enabled.
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

/// Runs `call` and returns its result with the number of requests the service got.
async fn counted<T>(service: &FakeService, call: impl std::future::Future<Output = T>) -> (T, u64) {
    let before = service.requests_served();
    let result = call.await;
    (result, service.requests_served() - before)
}

/// Every combination against the four meetings with `video` (content None, FHD,
/// UHD, unknown); returns the rejections per rule (VideoDisabled, ContentDisabled,
/// ContentNeedsVideo) of `UpdateAttendeeCapabilities`.
async fn combinations_in_meetings_with(video: VideoResolution) -> [usize; 3] {
    let service = FakeService::new();
    let enforce = service.client_in(ValidationMode::Enforce);
    let off = service.client_in(ValidationMode::Off);
    let contents = [
        ContentResolution::None,
        ContentResolution::Fhd,
        ContentResolution::Uhd,
        ContentResolution::from("8K"),
    ];
    let mut rejected = [0usize; 3];
    for content in &contents {
        let m = meeting(&enforce, &video, content).await;
        let (video_enabled, content_enabled) = (
            video != VideoResolution::None,
            *content != ContentResolution::None,
        );
        for (a, audio) in MEDIA.iter().enumerate() {
            for (v, video_cap) in MEDIA.iter().enumerate() {
                for (c, content_cap) in MEDIA.iter().enumerate() {
                    let requested = caps(audio.clone(), video_cap.clone(), content_cap.clone());
                    let want = expected_rule(video_enabled, content_enabled, v, c);
                    let label = format!(
                        "meeting video {video} content {content}, request {a}/{v}/{c} {requested:?}"
                    );

                    let (result, sent) =
                        counted(&service, update_call(&enforce, &m, &requested)).await;
                    assert_outcome(result, sent, want, None, &format!("Update {label}"));
                    let (result, sent) =
                        counted(&service, batch_call(&enforce, &m, &requested)).await;
                    assert_outcome(result, sent, want, None, &format!("BatchUpdate {label}"));
                    if let Some(rule) = want {
                        rejected[Rule::ALL.iter().position(|r| *r == rule).unwrap()] += 1;
                    }
                    // Audio never matters (the rules' unit tests cover every audio
                    // value): the other three operations and the service's verdict
                    // take one audio value per (video, content), a different one for
                    // each, which keeps this test short.
                    if a != (v + c) % MEDIA.len() {
                        continue;
                    }
                    let (result, sent) =
                        counted(&service, create_call(&enforce, &m, &requested)).await;
                    assert_outcome(result, sent, want, None, &format!("Create {label}"));
                    let (result, sent) =
                        counted(&service, batch_create_call(&enforce, &m, &requested)).await;
                    assert_outcome(result, sent, want, Some(1), &format!("BatchCreate {label}"));
                    let call = create_with_attendees_call(&enforce, &video, content, &requested);
                    let (result, sent) = counted(&service, call).await;
                    let label = format!("CreateMeetingWithAttendees {label}");
                    assert_outcome(result, sent, want, Some(1), &label);
                    if let Some(rule) = want {
                        assert_server_rejects(
                            update_call(&off, &m, &requested).await,
                            rule,
                            &label,
                        );
                        assert_server_rejects(batch_call(&off, &m, &requested).await, rule, &label);
                    }
                }
            }
        }
    }
    rejected
}

// The expected rejections are counted by hand from the seed rules (× 4 audio values):
// without video, VideoDisabled takes the 48 requests with video in each of the 4
// meetings, ContentDisabled the 12 with content but no video in the one without
// content, ContentNeedsVideo the 8 receiving content without video in each of the 3
// with content; with video, ContentDisabled takes the 48 requests with content in the
// one meeting without content, ContentNeedsVideo the 16 receiving content without
// receiving video in each of the other 3.

#[tokio::test]
async fn all_64_combinations_in_meetings_without_video() {
    assert_eq!(
        combinations_in_meetings_with(VideoResolution::None).await,
        [192, 12, 24]
    );
}

#[tokio::test]
async fn all_64_combinations_in_meetings_with_hd_video() {
    assert_eq!(
        combinations_in_meetings_with(VideoResolution::Hd).await,
        [0, 48, 48]
    );
}

#[tokio::test]
async fn all_64_combinations_in_meetings_with_fhd_video() {
    assert_eq!(
        combinations_in_meetings_with(VideoResolution::Fhd).await,
        [0, 48, 48]
    );
}

/// A resolution this crate does not know counts as enabled.
#[tokio::test]
async fn all_64_combinations_in_meetings_with_unknown_video() {
    assert_eq!(
        combinations_in_meetings_with(VideoResolution::from("UHD8K")).await,
        [0, 48, 48]
    );
}

type UpdateError =
    chime_caps::operation::update_attendee_capabilities::UpdateAttendeeCapabilitiesError;
type BatchError =
    chime_caps::operation::batch_update_attendee_capabilities_except::BatchUpdateAttendeeCapabilitiesExceptError;
type CreateError = chime_caps::operation::create_attendee::CreateAttendeeError;
type BatchCreateError = chime_caps::operation::batch_create_attendee::BatchCreateAttendeeError;
type CreateWithAttendeesError =
    chime_caps::operation::create_meeting_with_attendees::CreateMeetingWithAttendeesError;

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

async fn create_call(
    client: &Client,
    m: &Meeting,
    requested: &AttendeeCapabilities,
) -> Result<(), SdkError<CreateError, HttpResponse>> {
    client
        .create_attendee()
        .meeting_id(&m.id)
        .external_user_id(unique_token())
        .capabilities(requested.clone())
        .send()
        .await
        .map(drop)
}

/// A batch whose second item asks for `requested` (the first asks for nothing).
async fn batch_create_call(
    client: &Client,
    m: &Meeting,
    requested: &AttendeeCapabilities,
) -> Result<(), SdkError<BatchCreateError, HttpResponse>> {
    client
        .batch_create_attendee()
        .meeting_id(&m.id)
        .attendees(new_attendee(&unique_token(), None))
        .attendees(new_attendee(&unique_token(), Some(requested.clone())))
        .send()
        .await
        .map(drop)
}

/// A new meeting with the given features whose second attendee asks for `requested`.
async fn create_with_attendees_call(
    client: &Client,
    video: &VideoResolution,
    content: &ContentResolution,
    requested: &AttendeeCapabilities,
) -> Result<(), SdkError<CreateWithAttendeesError, HttpResponse>> {
    client
        .create_meeting_with_attendees()
        .client_request_token(unique_token())
        .media_region("us-east-1")
        .external_meeting_id("rules")
        .meeting_features(features(Some(video.clone()), Some(content.clone())))
        .attendees(new_attendee(&unique_token(), None))
        .attendees(new_attendee(&unique_token(), Some(requested.clone())))
        .send()
        .await
        .map(drop)
}

/// A client that never saw the meeting knows no features: it checks only
/// ContentNeedsVideo and leaves the feature rules to the service.
#[tokio::test]
async fn unknown_meetings_get_only_content_needs_video() {
    let service = FakeService::new();
    let creator = service.client_in(ValidationMode::Enforce);
    let stranger = service.client_in(ValidationMode::Enforce);
    let m = meeting(&creator, &VideoResolution::None, &ContentResolution::None).await;
    for (v, video_cap) in MEDIA.iter().enumerate() {
        for (c, content_cap) in MEDIA.iter().enumerate() {
            let requested = caps(MEDIA[3].clone(), video_cap.clone(), content_cap.clone());
            let label = format!("unknown meeting, request {requested:?}");
            let local = expected_rule(true, true, v, c);
            let (result, sent) = counted(&service, update_call(&stranger, &m, &requested)).await;
            match (local, expected_rule(false, false, v, c)) {
                (Some(rule), _) => assert_outcome(result, sent, Some(rule), None, &label),
                (None, None) => assert_outcome(result, sent, None, None, &label),
                (None, Some(rule)) => {
                    assert_eq!(sent, 1, "{label}: sent to the service");
                    assert_server_rejects(result, rule, &label);
                }
            }
        }
    }
}
