//! The operations beyond meetings and capabilities — BatchCreateAttendee,
//! CreateMeetingWithAttendees, transcription and tags — and the routing of every
//! operation from the request the generated client sends, over loopback.
#![cfg(feature = "emulator")]

#[path = "support/common.rs"]
mod common;
#[path = "support/wire.rs"]
mod wire;

use std::collections::BTreeSet;

use chime_caps::emulator::{Emulator, RepeatedTranscriptionCalls, MAX_TAGS};
use chime_caps_generated::operation::tag_resource::TagResourceError;
use chime_caps_generated::types::{
    AttendeeFeatures, ContentResolution, CreateAttendeeRequestItem,
    EngineTranscribeMedicalSettings, EngineTranscribeSettings, MediaCapabilities as M,
    MeetingFeaturesConfiguration, Tag, TranscribeLanguageCode, TranscribeMedicalLanguageCode,
    TranscribeMedicalSpecialty, TranscribeMedicalType, TranscriptionConfiguration, VideoResolution,
};
use common::{caps, emulator, features, item, unique_token};
use wire::{all_attendees, assert_error, attendee, new_meeting, one_shot, Client};

fn request_item(
    user: &str,
    capabilities: Option<chime_caps_generated::types::AttendeeCapabilities>,
) -> CreateAttendeeRequestItem {
    CreateAttendeeRequestItem::builder()
        .external_user_id(user)
        .set_capabilities(capabilities)
        .build()
        .expect("ExternalUserId set")
}

fn tag(key: &str, value: &str) -> Tag {
    Tag::builder()
        .key(key)
        .value(value)
        .build()
        .expect("key and value set")
}

fn transcribe(language: TranscribeLanguageCode) -> TranscriptionConfiguration {
    TranscriptionConfiguration::builder()
        .engine_transcribe_settings(
            EngineTranscribeSettings::builder()
                .language_code(language)
                .build(),
        )
        .build()
}

fn transcribe_medical() -> TranscriptionConfiguration {
    TranscriptionConfiguration::builder()
        .engine_transcribe_medical_settings(
            EngineTranscribeMedicalSettings::builder()
                .language_code(TranscribeMedicalLanguageCode::EnUs)
                .specialty(TranscribeMedicalSpecialty::Primarycare)
                .r#type(TranscribeMedicalType::Conversation)
                .build()
                .expect("required members set"),
        )
        .build()
}

async fn meeting_arn(client: &Client, meeting_id: &str) -> String {
    client
        .get_meeting()
        .meeting_id(meeting_id)
        .send()
        .await
        .expect("GetMeeting")
        .meeting
        .and_then(|m| m.meeting_arn)
        .expect("meeting ARN")
}

async fn tags_of(client: &Client, arn: &str) -> Vec<(String, String)> {
    client
        .list_tags_for_resource()
        .resource_arn(arn)
        .send()
        .await
        .expect("ListTagsForResource")
        .tags
        .expect("Tags")
        .into_iter()
        .map(|t| (t.key, t.value))
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Each operation called once through the generated client; each answer shows that
/// the emulator ran that operation (an attendee list where CreateMeeting would have
/// none, a state change only that operation makes), and every route is covered.
#[tokio::test]
async fn every_operation_is_routed_from_what_the_generated_client_sends() {
    let emu = emulator().await;
    let c = one_shot(&emu);
    let mut called = BTreeSet::new();

    let id = new_meeting(&c, None).await;
    called.insert("CreateMeeting");

    let with = c
        .create_meeting_with_attendees()
        .client_request_token(unique_token())
        .media_region("us-east-1")
        .external_meeting_id("with-attendees")
        .attendees(request_item("first", None))
        .attendees(request_item("second", None))
        .send()
        .await
        .unwrap();
    assert_eq!(with.attendees().len(), 2, "{with:?}");
    assert_ne!(
        with.meeting.unwrap().meeting_id.as_deref(),
        Some(id.as_str())
    );
    called.insert("CreateMeetingWithAttendees");

    let got = c.get_meeting().meeting_id(&id).send().await.unwrap();
    assert_eq!(
        got.meeting.unwrap().meeting_id.as_deref(),
        Some(id.as_str())
    );
    called.insert("GetMeeting");

    let presenter = attendee(&c, &id, "presenter").await.attendee_id.unwrap();
    called.insert("CreateAttendee");

    let batch = c
        .batch_create_attendee()
        .meeting_id(&id)
        .attendees(request_item("viewer-1", None))
        .attendees(request_item("viewer-2", None))
        .send()
        .await
        .unwrap();
    assert_eq!((batch.attendees().len(), batch.errors().len()), (2, 0));
    called.insert("BatchCreateAttendee");

    let listed = c.list_attendees().meeting_id(&id).send().await.unwrap();
    assert_eq!(listed.attendees().len(), 3);
    called.insert("ListAttendees");

    let one = c
        .get_attendee()
        .meeting_id(&id)
        .attendee_id(&presenter)
        .send()
        .await
        .unwrap();
    assert_eq!(
        one.attendee.unwrap().external_user_id.as_deref(),
        Some("presenter")
    );
    called.insert("GetAttendee");

    let listener = caps(M::Receive, M::Receive, M::None);
    let updated = c
        .update_attendee_capabilities()
        .meeting_id(&id)
        .attendee_id(&presenter)
        .capabilities(listener.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(
        updated.attendee.unwrap().capabilities,
        Some(listener.clone())
    );
    called.insert("UpdateAttendeeCapabilities");

    c.batch_update_attendee_capabilities_except()
        .meeting_id(&id)
        .excluded_attendee_ids(item(&presenter))
        .capabilities(caps(M::Receive, M::None, M::None))
        .send()
        .await
        .unwrap();
    let others: Vec<_> = all_attendees(&c, &id, 100)
        .await
        .into_iter()
        .filter(|a| a.attendee_id.as_deref() != Some(presenter.as_str()))
        .collect();
    assert!(others
        .iter()
        .all(|a| a.capabilities == Some(caps(M::Receive, M::None, M::None))));
    called.insert("BatchUpdateAttendeeCapabilitiesExcept");

    c.start_meeting_transcription()
        .meeting_id(&id)
        .transcription_configuration(transcribe(TranscribeLanguageCode::EnUs))
        .send()
        .await
        .unwrap();
    assert!(emu.transcription(&id).is_some());
    called.insert("StartMeetingTranscription");

    c.stop_meeting_transcription()
        .meeting_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(emu.transcription(&id), None);
    called.insert("StopMeetingTranscription");

    let arn = meeting_arn(&c, &id).await;
    c.tag_resource()
        .resource_arn(&arn)
        .tags(tag("team", "blue"))
        .tags(tag("cost-center", "42"))
        .send()
        .await
        .unwrap();
    called.insert("TagResource");

    assert_eq!(
        tags_of(&c, &arn).await,
        pairs(&[("cost-center", "42"), ("team", "blue")])
    );
    called.insert("ListTagsForResource");

    c.untag_resource()
        .resource_arn(&arn)
        .tag_keys("team")
        .send()
        .await
        .unwrap();
    assert_eq!(tags_of(&c, &arn).await, pairs(&[("cost-center", "42")]));
    called.insert("UntagResource");

    c.delete_attendee()
        .meeting_id(&id)
        .attendee_id(&presenter)
        .send()
        .await
        .unwrap();
    let err = c
        .get_attendee()
        .meeting_id(&id)
        .attendee_id(&presenter)
        .send()
        .await
        .unwrap_err();
    assert_error(err, 404, "NotFoundException", "NotFound");
    called.insert("DeleteAttendee");

    c.delete_meeting().meeting_id(&id).send().await.unwrap();
    let err = c.get_meeting().meeting_id(&id).send().await.unwrap_err();
    assert_error(err, 404, "NotFoundException", "NotFound");
    called.insert("DeleteMeeting");

    let routed: BTreeSet<&str> = chime_caps_generated::operation::ROUTES
        .iter()
        .map(|r| r.operation)
        .collect();
    assert_eq!(called, routed, "every generated route is exercised");
    emu.shutdown().await;
}

#[tokio::test]
async fn batch_create_attendee_creates_what_it_can_and_lists_the_rest() {
    let emu = emulator().await;
    let c = one_shot(&emu);
    // No video, content on: the documented default video capability is Receive.
    let id = new_meeting(
        &c,
        Some(features(
            Some(VideoResolution::None),
            Some(ContentResolution::Fhd),
        )),
    )
    .await;
    let known = attendee(&c, &id, "known").await;

    let send = || {
        c.batch_create_attendee()
            .meeting_id(&id)
            .attendees(request_item("new-1", None))
            .attendees(request_item(
                "bad",
                Some(caps(M::SendReceive, M::Receive, M::None)),
            ))
            .attendees(request_item("known", Some(caps(M::None, M::None, M::None))))
            .attendees(request_item("new-1", Some(caps(M::None, M::None, M::None))))
            .attendees(request_item(
                "new-2",
                Some(caps(M::Receive, M::None, M::Send)),
            ))
            .send()
    };
    let out = send().await.unwrap();
    let created: Vec<_> = out
        .attendees()
        .iter()
        .map(|a| {
            (
                a.external_user_id.clone().unwrap(),
                a.capabilities.clone().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        created,
        [
            (
                "new-1".to_string(),
                caps(M::SendReceive, M::Receive, M::SendReceive)
            ),
            // An existing ExternalUserId returns that attendee unchanged.
            ("known".to_string(), known.capabilities.clone().unwrap()),
            ("new-2".to_string(), caps(M::Receive, M::None, M::Send)),
        ]
    );
    assert_eq!(out.attendees()[1].attendee_id, known.attendee_id);
    let errors: Vec<_> = out
        .errors()
        .iter()
        .map(|e| {
            (
                e.external_user_id.clone().unwrap(),
                e.error_code.clone().unwrap(),
                e.error_message.clone().unwrap(),
            )
        })
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(
        (errors[0].0.as_str(), errors[0].1.as_str()),
        ("bad", "BadRequest")
    );
    assert!(errors[0].2.contains("VideoDisabled"), "{}", errors[0].2);
    assert_eq!(
        (errors[1].0.as_str(), errors[1].1.as_str()),
        ("new-1", "BadRequest")
    );
    assert!(errors[1].2.contains("more than once"), "{}", errors[1].2);
    let ids = |attendees: &[chime_caps_generated::types::Attendee]| {
        attendees
            .iter()
            .map(|a| a.attendee_id.clone().unwrap())
            .collect::<BTreeSet<_>>()
    };
    let listed = ids(&all_attendees(&c, &id, 100).await);
    assert_eq!(listed, ids(out.attendees()));

    // A retry creates nothing new and answers the same attendees.
    let again = send().await.unwrap();
    assert_eq!(ids(again.attendees()), ids(out.attendees()));
    assert_eq!(all_attendees(&c, &id, 100).await.len(), 3);

    // Whole-call refusals.
    let err = c
        .batch_create_attendee()
        .meeting_id("00000000-0000-4000-8000-000000000000")
        .attendees(request_item("someone", None))
        .send()
        .await
        .unwrap_err();
    assert_error(err, 404, "NotFoundException", "NotFound");
    let err = c
        .batch_create_attendee()
        .meeting_id(&id)
        .set_attendees(Some(Vec::new()))
        .send()
        .await
        .unwrap_err();
    let msg = assert_error(err, 400, "BadRequestException", "BadRequest");
    assert!(msg.contains("Attendees"), "{msg}");
    let too_many: Vec<_> = (0..101)
        .map(|n| request_item(&format!("user-{n}"), None))
        .collect();
    let err = c
        .batch_create_attendee()
        .meeting_id(&id)
        .set_attendees(Some(too_many))
        .send()
        .await
        .unwrap_err();
    assert_error(err, 400, "BadRequestException", "BadRequest");
    emu.shutdown().await;
}

#[tokio::test]
async fn a_batch_that_does_not_fit_adds_nobody() {
    let emu = emulator().await;
    let c = one_shot(&emu);
    let capped = |n| {
        MeetingFeaturesConfiguration::builder()
            .attendee(AttendeeFeatures::builder().max_count(n).build())
            .build()
    };
    let id = new_meeting(&c, Some(capped(2))).await;
    attendee(&c, &id, "first").await;
    let err = c
        .batch_create_attendee()
        .meeting_id(&id)
        .attendees(request_item("second", None))
        .attendees(request_item("third", None))
        .send()
        .await
        .unwrap_err();
    assert_error(err, 400, "LimitExceededException", "ResourceLimitExceeded");
    assert_eq!(all_attendees(&c, &id, 100).await.len(), 1);
    // An existing attendee takes no room: one new one fits.
    let out = c
        .batch_create_attendee()
        .meeting_id(&id)
        .attendees(request_item("first", None))
        .attendees(request_item("second", None))
        .send()
        .await
        .unwrap();
    assert_eq!(out.attendees().len(), 2);
    assert_eq!(all_attendees(&c, &id, 100).await.len(), 2);

    // CreateMeetingWithAttendees: too many attendees for the meeting's own limit
    // refuses the call, and no meeting is kept for its token.
    let token = unique_token();
    let create = |max_count: i32| {
        c.create_meeting_with_attendees()
            .client_request_token(&token)
            .media_region("us-east-1")
            .external_meeting_id("capped")
            .meeting_features(capped(max_count))
            .attendees(request_item("user-a", None))
            .attendees(request_item("user-b", None))
            .send()
    };
    let err = create(1).await.unwrap_err();
    assert_error(err, 400, "LimitExceededException", "ResourceLimitExceeded");
    let out = create(2).await.unwrap();
    let meeting = out.meeting.clone().unwrap();
    assert_eq!(
        meeting
            .meeting_features
            .and_then(|f| f.attendee)
            .and_then(|a| a.max_count),
        Some(2),
        "the refused call left no meeting behind for the token"
    );
    assert_eq!(out.attendees().len(), 2);
    emu.shutdown().await;
}

#[tokio::test]
async fn create_meeting_with_attendees_checks_them_against_its_own_features() {
    let emu = emulator().await;
    let c = one_shot(&emu);
    let token = unique_token();
    let send = || {
        c.create_meeting_with_attendees()
            .client_request_token(&token)
            .media_region("eu-central-1")
            .external_meeting_id("webinar")
            .meeting_features(features(
                Some(VideoResolution::None),
                Some(ContentResolution::Fhd),
            ))
            .tags(tag("purpose", "webinar"))
            .attendees(request_item("host", None))
            .attendees(request_item(
                "camera",
                Some(caps(M::SendReceive, M::Send, M::None)),
            ))
            .attendees(request_item(
                "listener",
                Some(caps(M::Receive, M::None, M::None)),
            ))
            .send()
    };
    let out = send().await.unwrap();
    let meeting = out.meeting.clone().unwrap();
    let id = meeting.meeting_id.clone().unwrap();
    let created: Vec<_> = out
        .attendees()
        .iter()
        .map(|a| {
            (
                a.external_user_id.clone().unwrap(),
                a.capabilities.clone().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        created,
        [
            (
                "host".to_string(),
                caps(M::SendReceive, M::Receive, M::SendReceive)
            ),
            ("listener".to_string(), caps(M::Receive, M::None, M::None)),
        ]
    );
    assert_eq!(out.errors().len(), 1);
    let error = &out.errors()[0];
    assert_eq!(error.external_user_id.as_deref(), Some("camera"));
    assert_eq!(error.error_code.as_deref(), Some("BadRequest"));
    assert!(error
        .error_message
        .as_deref()
        .unwrap()
        .contains("VideoDisabled"));

    // The meeting is an ordinary meeting, with its attendees and tags.
    let got = c.get_meeting().meeting_id(&id).send().await.unwrap();
    assert_eq!(got.meeting, Some(meeting.clone()));
    assert_eq!(
        all_attendees(&c, &id, 100).await.as_slice(),
        out.attendees()
    );
    let arn = meeting.meeting_arn.clone().unwrap();
    assert_eq!(tags_of(&c, &arn).await, pairs(&[("purpose", "webinar")]));

    // A retry with the same token answers the same meeting and attendees.
    let again = send().await.unwrap();
    assert_eq!(again.meeting, Some(meeting));
    assert_eq!(again.attendees(), out.attendees());
    assert_eq!(again.errors().len(), 1);
    assert_eq!(all_attendees(&c, &id, 100).await.len(), 2);
    emu.shutdown().await;
}

#[tokio::test]
async fn transcription_is_state_of_the_meeting() {
    let emu = emulator().await;
    let c = one_shot(&emu);
    let id = new_meeting(&c, None).await;
    let start = |configuration: TranscriptionConfiguration| {
        c.start_meeting_transcription()
            .meeting_id(&id)
            .transcription_configuration(configuration)
            .send()
    };
    let stop = || c.stop_meeting_transcription().meeting_id(&id).send();

    assert_eq!(emu.transcription(&id), None);
    start(transcribe(TranscribeLanguageCode::EnUs))
        .await
        .unwrap();
    assert_eq!(
        emu.transcription(&id),
        Some(transcribe(TranscribeLanguageCode::EnUs))
    );
    // By default a second start replaces the configuration ...
    start(transcribe_medical()).await.unwrap();
    assert_eq!(emu.transcription(&id), Some(transcribe_medical()));
    stop().await.unwrap();
    assert_eq!(emu.transcription(&id), None);
    // ... and a second stop changes nothing.
    stop().await.unwrap();
    assert_eq!(emu.transcription(&id), None);

    // Configurations the emulator refuses; nothing starts.
    let both = TranscriptionConfiguration::builder()
        .engine_transcribe_settings(
            EngineTranscribeSettings::builder()
                .language_code(TranscribeLanguageCode::EnUs)
                .build(),
        )
        .engine_transcribe_medical_settings(
            transcribe_medical()
                .engine_transcribe_medical_settings
                .unwrap(),
        )
        .build();
    let neither = TranscriptionConfiguration::builder().build();
    let ambiguous_language = TranscriptionConfiguration::builder()
        .engine_transcribe_settings(
            EngineTranscribeSettings::builder()
                .language_code(TranscribeLanguageCode::EnUs)
                .identify_language(true)
                .language_options("en-US,de-DE")
                .build(),
        )
        .build();
    for (configuration, expected) in [
        (both, "exactly one of EngineTranscribeSettings"),
        (neither, "exactly one of EngineTranscribeSettings"),
        (ambiguous_language, "exactly one of LanguageCode"),
        (transcribe(TranscribeLanguageCode::from("xx-XX")), "xx-XX"),
    ] {
        let err = start(configuration).await.unwrap_err();
        let msg = assert_error(err, 400, "BadRequestException", "BadRequest");
        assert!(msg.contains(expected), "{expected}: {msg}");
        assert_eq!(emu.transcription(&id), None);
    }

    let unknown = "00000000-0000-4000-8000-000000000000";
    let err = c
        .start_meeting_transcription()
        .meeting_id(unknown)
        .transcription_configuration(transcribe(TranscribeLanguageCode::EnUs))
        .send()
        .await
        .unwrap_err();
    assert_error(err, 404, "NotFoundException", "NotFound");
    let err = c
        .stop_meeting_transcription()
        .meeting_id(unknown)
        .send()
        .await
        .unwrap_err();
    assert_error(err, 404, "NotFoundException", "NotFound");

    // A deleted meeting takes its transcription with it.
    start(transcribe(TranscribeLanguageCode::EnUs))
        .await
        .unwrap();
    c.delete_meeting().meeting_id(&id).send().await.unwrap();
    assert_eq!(emu.transcription(&id), None);
    emu.shutdown().await;
}

#[tokio::test]
async fn repeated_transcription_calls_can_be_refused_instead() {
    let emu = Emulator::builder()
        .repeated_transcription_calls(RepeatedTranscriptionCalls::Reject)
        .start()
        .await
        .unwrap();
    let c = one_shot(&emu);
    let id = new_meeting(&c, None).await;
    let start = |configuration: TranscriptionConfiguration| {
        c.start_meeting_transcription()
            .meeting_id(&id)
            .transcription_configuration(configuration)
            .send()
    };
    let stop = || c.stop_meeting_transcription().meeting_id(&id).send();

    let msg = assert_error(
        stop().await.unwrap_err(),
        422,
        "UnprocessableEntityException",
        "Unprocessable",
    );
    assert!(msg.contains("not being transcribed"), "{msg}");
    start(transcribe(TranscribeLanguageCode::EnUs))
        .await
        .unwrap();
    let msg = assert_error(
        start(transcribe_medical()).await.unwrap_err(),
        422,
        "UnprocessableEntityException",
        "Unprocessable",
    );
    assert!(msg.contains("already being transcribed"), "{msg}");
    assert_eq!(
        emu.transcription(&id),
        Some(transcribe(TranscribeLanguageCode::EnUs))
    );
    stop().await.unwrap();
    assert_eq!(emu.transcription(&id), None);
    start(transcribe_medical()).await.unwrap();
    assert_eq!(emu.transcription(&id), Some(transcribe_medical()));
    emu.shutdown().await;
}

#[tokio::test]
async fn tags_live_on_meeting_arns() {
    let emu = emulator().await;
    let c = one_shot(&emu);
    let id = c
        .create_meeting()
        .client_request_token(unique_token())
        .media_region("us-east-1")
        .external_meeting_id("tagged")
        .tags(tag("b", "2"))
        .tags(tag("a", "1"))
        .send()
        .await
        .unwrap()
        .meeting
        .unwrap()
        .meeting_id
        .unwrap();
    let arn = meeting_arn(&c, &id).await;
    // Listed in key order.
    assert_eq!(tags_of(&c, &arn).await, pairs(&[("a", "1"), ("b", "2")]));

    // A key the meeting has gets the new value.
    c.tag_resource()
        .resource_arn(&arn)
        .tags(tag("a", "10"))
        .tags(tag("c", "3"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        tags_of(&c, &arn).await,
        pairs(&[("a", "10"), ("b", "2"), ("c", "3")])
    );
    // Keys the meeting does not have are ignored.
    c.untag_resource()
        .resource_arn(&arn)
        .tag_keys("b")
        .tag_keys("never-set")
        .send()
        .await
        .unwrap();
    assert_eq!(tags_of(&c, &arn).await, pairs(&[("a", "10"), ("c", "3")]));

    // Up to MAX_TAGS; one more is refused and changes nothing.
    let fill: Vec<Tag> = (0..MAX_TAGS - 2)
        .map(|n| tag(&format!("k{n:02}"), "v"))
        .collect();
    c.tag_resource()
        .resource_arn(&arn)
        .set_tags(Some(fill))
        .send()
        .await
        .unwrap();
    let full = tags_of(&c, &arn).await;
    assert_eq!(full.len(), MAX_TAGS);
    let err = c
        .tag_resource()
        .resource_arn(&arn)
        .tags(tag("one-more", "x"))
        .tags(tag("a", "11"))
        .send()
        .await
        .unwrap_err();
    match err.as_service_error() {
        Some(TagResourceError::TooManyTagsException(e)) => {
            assert_eq!(e.resource_name.as_deref(), Some(arn.as_str()))
        }
        other => panic!("expected TooManyTagsException, got {other:?}"),
    }
    assert_error(err, 400, "TooManyTagsException", "ResourceLimitExceeded");
    assert_eq!(tags_of(&c, &arn).await, full);
    // Overwriting keeps the count, so it is allowed at the limit.
    c.tag_resource()
        .resource_arn(&arn)
        .tags(tag("a", "11"))
        .send()
        .await
        .unwrap();

    // Keys given twice, and the reserved namespace.
    for tags in [
        vec![tag("x", "1"), tag("x", "2")],
        vec![tag("AWS:owner", "me")],
    ] {
        let err = c
            .tag_resource()
            .resource_arn(&arn)
            .set_tags(Some(tags))
            .send()
            .await
            .unwrap_err();
        assert_error(err, 400, "BadRequestException", "BadRequest");
    }

    // ARNs that name no meeting of this emulator.
    let other_account = arn.replace(":123456789012:", ":210987654321:");
    let unknown_meeting = arn.replace(&id, "00000000-0000-4000-8000-000000000000");
    for missing in [
        other_account,
        unknown_meeting,
        "arn:aws:s3:::bucket".to_string(),
    ] {
        let err = c
            .list_tags_for_resource()
            .resource_arn(&missing)
            .send()
            .await
            .unwrap_err();
        let msg = assert_error(err, 404, "ResourceNotFoundException", "NotFound");
        assert!(msg.contains(&missing), "{msg}");
        let err = c
            .tag_resource()
            .resource_arn(&missing)
            .tags(tag("a", "1"))
            .send()
            .await
            .unwrap_err();
        match err.as_service_error() {
            Some(TagResourceError::ResourceNotFoundException(e)) => {
                assert_eq!(e.resource_name.as_deref(), Some(missing.as_str()))
            }
            other => panic!("expected ResourceNotFoundException, got {other:?}"),
        }
        let err = c
            .untag_resource()
            .resource_arn(&missing)
            .tag_keys("a")
            .send()
            .await
            .unwrap_err();
        assert_error(err, 404, "ResourceNotFoundException", "NotFound");
    }

    // The tags go with the meeting.
    c.delete_meeting().meeting_id(&id).send().await.unwrap();
    let err = c
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .unwrap_err();
    assert_error(err, 404, "ResourceNotFoundException", "NotFound");
    emu.shutdown().await;
}

/// The official SDK reads what the emulator writes for the new operations: the
/// partial-failure lists, the tag list, and the empty answers.
#[tokio::test]
async fn the_official_sdk_reads_the_new_operations() {
    use aws_sdk_chimesdkmeetings as official;
    use official::types as t;
    let emu = emulator().await;
    let c = official::Client::new(&emu.client_config());
    let item = |user: &str, video: t::MediaCapabilities| {
        t::CreateAttendeeRequestItem::builder()
            .external_user_id(user)
            .capabilities(
                t::AttendeeCapabilities::builder()
                    .audio(t::MediaCapabilities::SendReceive)
                    .video(video)
                    .content(t::MediaCapabilities::None)
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap()
    };
    let out = c
        .create_meeting_with_attendees()
        .client_request_token(unique_token())
        .media_region("us-west-2")
        .external_meeting_id("official")
        .meeting_features(
            t::MeetingFeaturesConfiguration::builder()
                .video(
                    t::VideoFeatures::builder()
                        .max_resolution(t::VideoResolution::None)
                        .build(),
                )
                .build(),
        )
        .attendees(item("ok", t::MediaCapabilities::None))
        .attendees(item("refused", t::MediaCapabilities::Receive))
        .tags(t::Tag::builder().key("k").value("v").build().unwrap())
        .send()
        .await
        .unwrap();
    let meeting = out.meeting.unwrap();
    let id = meeting.meeting_id.unwrap();
    let arn = meeting.meeting_arn.unwrap();
    assert_eq!(out.attendees.unwrap().len(), 1);
    let errors = out.errors.unwrap();
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].external_user_id.as_deref(), Some("refused"));
    assert_eq!(errors[0].error_code.as_deref(), Some("BadRequest"));

    let batch = c
        .batch_create_attendee()
        .meeting_id(&id)
        .attendees(item("ok", t::MediaCapabilities::None))
        .attendees(item("another", t::MediaCapabilities::None))
        .send()
        .await
        .unwrap();
    assert_eq!(batch.attendees.unwrap().len(), 2);
    assert_eq!(batch.errors.unwrap().len(), 0);

    c.start_meeting_transcription()
        .meeting_id(&id)
        .transcription_configuration(
            t::TranscriptionConfiguration::builder()
                .engine_transcribe_settings(
                    t::EngineTranscribeSettings::builder()
                        .language_code(t::TranscribeLanguageCode::EnUs)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert!(emu.transcription(&id).is_some());
    c.stop_meeting_transcription()
        .meeting_id(&id)
        .send()
        .await
        .unwrap();
    assert!(emu.transcription(&id).is_none());

    c.tag_resource()
        .resource_arn(&arn)
        .tags(t::Tag::builder().key("k2").value("v2").build().unwrap())
        .send()
        .await
        .unwrap();
    c.untag_resource()
        .resource_arn(&arn)
        .tag_keys("k")
        .send()
        .await
        .unwrap();
    let tags = c
        .list_tags_for_resource()
        .resource_arn(&arn)
        .send()
        .await
        .unwrap()
        .tags
        .unwrap();
    assert_eq!(
        tags,
        [t::Tag::builder().key("k2").value("v2").build().unwrap()]
    );
    let err = c
        .list_tags_for_resource()
        .resource_arn(arn.replace(&id, "00000000-0000-4000-8000-000000000000"))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err.as_service_error(),
            Some(official::operation::list_tags_for_resource::ListTagsForResourceError::ResourceNotFoundException(_))
        ),
        "{err:?}"
    );
    emu.shutdown().await;
}

/// Batches racing for the last places of a meeting: each is created whole or not at
/// all, and the meeting never holds more than its limit.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn racing_batches_never_overfill_a_meeting() {
    let emu = emulator().await;
    let c = one_shot(&emu);
    let limit = 10;
    let id = new_meeting(
        &c,
        Some(
            MeetingFeaturesConfiguration::builder()
                .attendee(AttendeeFeatures::builder().max_count(limit).build())
                .build(),
        ),
    )
    .await;
    let tasks: Vec<_> = (0..8)
        .map(|batch| {
            let (c, id) = (c.clone(), id.clone());
            tokio::spawn(async move {
                let mut request = c.batch_create_attendee().meeting_id(&id);
                for n in 0..3 {
                    request = request.attendees(request_item(&format!("b{batch}-u{n}"), None));
                }
                request.send().await
            })
        })
        .collect();
    let mut created = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(out) => {
                assert_eq!((out.attendees().len(), out.errors().len()), (3, 0));
                created += 3;
            }
            Err(err) => {
                assert_error(err, 400, "LimitExceededException", "ResourceLimitExceeded");
            }
        }
    }
    assert_eq!(created, 9, "three whole batches fit in {limit}");
    assert_eq!(all_attendees(&c, &id, 100).await.len(), created);
    emu.shutdown().await;
}
