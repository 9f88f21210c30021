//! `aws-smithy-mocks` on `chime_caps::Client`, as on the official client: `mock!`
//! names the operation through `chime_caps::Client`, `mock_client!` builds the client
//! from the crate's `client` and `config` modules, and the validation stays active
//! (a forbidden combination never reaches the mock) and learns from mocked outputs.

mod support;

use aws_smithy_mocks::{mock, mock_client, RuleMode};
use chime_caps::operation::get_meeting::GetMeetingOutput;
use chime_caps::operation::update_attendee_capabilities::UpdateAttendeeCapabilitiesOutput;
use chime_caps::rules::{NoticeKind, Rule};
use chime_caps::types::{Attendee, MediaCapabilities as M, Meeting, VideoResolution};
use chime_caps::validation::{CapabilityErrorExt, SendWithReport, ValidationClientExt};
use support::{caps, features};

const MEETING: &str = "6bd0ae5c-0f9c-4b8b-a7a5-5bf5a0f0e2f1";
const ATTENDEE: &str = "f0a8fa58-7cfe-4bc4-a5c8-2bd6b7d16a50";

fn attendee(capabilities: chime_caps::types::AttendeeCapabilities) -> Attendee {
    Attendee::builder()
        .attendee_id(ATTENDEE)
        .external_user_id("user-1")
        .capabilities(capabilities)
        .build()
}

#[tokio::test]
async fn mocked_calls_are_validated_and_teach_the_client() {
    let meeting = mock!(chime_caps::Client::get_meeting).then_output(|| {
        GetMeetingOutput::builder()
            .meeting(
                Meeting::builder()
                    .meeting_id(MEETING)
                    .meeting_features(features(Some(VideoResolution::None), None))
                    .build(),
            )
            .build()
    });
    let update = mock!(chime_caps::Client::update_attendee_capabilities)
        .match_requests(|input| input.attendee_id() == Some(ATTENDEE))
        .then_output(|| {
            UpdateAttendeeCapabilitiesOutput::builder()
                .attendee(attendee(caps(M::Send, M::None, M::None)))
                .build()
        });
    let client = mock_client!(chime_caps, RuleMode::MatchAny, [&meeting, &update]);

    client
        .get_meeting()
        .meeting_id(MEETING)
        .send()
        .await
        .expect("mocked meeting");
    assert_eq!(
        client.validation().known_features(MEETING),
        Some(support::video_off())
    );

    // The mocked meeting has no video: a video capability is refused before the mock.
    let err = client
        .update_attendee_capabilities()
        .meeting_id(MEETING)
        .attendee_id(ATTENDEE)
        .capabilities(caps(M::Send, M::Receive, M::None))
        .send()
        .await
        .expect_err("rejected locally");
    assert_eq!(
        err.as_capability_violation().map(|v| v.rule),
        Some(Rule::VideoDisabled)
    );
    assert_eq!(
        update.num_calls(),
        0,
        "the mock never saw the rejected call"
    );

    // An allowed call gets the mocked output; the client learns the attendee, so the
    // next change reports its notices.
    let output = client
        .update_attendee_capabilities()
        .meeting_id(MEETING)
        .attendee_id(ATTENDEE)
        .capabilities(caps(M::Send, M::None, M::None))
        .send()
        .await
        .expect("mocked output");
    assert_eq!(update.num_calls(), 1);
    assert_eq!(
        output.attendee.and_then(|a| a.capabilities),
        Some(caps(M::Send, M::None, M::None))
    );
    assert_eq!(
        client.validation().known_capabilities(MEETING, ATTENDEE),
        Some(caps(M::Send, M::None, M::None))
    );
    let (_, report) = client
        .update_attendee_capabilities()
        .meeting_id(MEETING)
        .attendee_id(ATTENDEE)
        .capabilities(caps(M::Send, M::None, M::Send))
        .send_with_report(&client.validation())
        .await
        .expect("mocked output");
    assert_eq!(
        report
            .notices
            .iter()
            .map(|n| n.notice.kind)
            .collect::<Vec<_>>(),
        [NoticeKind::NeedsRenegotiation]
    );
}

#[tokio::test]
async fn sequential_rules_still_skip_rejected_calls() {
    let rule = mock!(chime_caps::Client::update_attendee_capabilities).then_output(|| {
        UpdateAttendeeCapabilitiesOutput::builder()
            .attendee(attendee(caps(M::None, M::None, M::None)))
            .build()
    });
    let client = mock_client!(chime_caps, [&rule]);
    // ContentNeedsVideo needs no meeting knowledge.
    let err = client
        .update_attendee_capabilities()
        .meeting_id(MEETING)
        .attendee_id(ATTENDEE)
        .capabilities(caps(M::None, M::None, M::Receive))
        .send()
        .await
        .expect_err("rejected locally");
    assert!(err.as_validation_error().is_some(), "{err:?}");
    client
        .update_attendee_capabilities()
        .meeting_id(MEETING)
        .attendee_id(ATTENDEE)
        .capabilities(caps(M::None, M::None, M::None))
        .send()
        .await
        .expect("the rule answers the allowed call");
}
