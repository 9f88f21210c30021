//! The validation middleware's knowledge of meetings: learning from every response
//! kind, forgetting on delete and 404, registration, the GetMeeting lookup, bounds
//! (entries and age), ids in any case, and concurrent use; plus modes, reports,
//! notices and error matching. The service is [`FakeService`] (in-process).

mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use aws_smithy_async::time::TimeSource;
use chime_caps::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use chime_caps::rules::{field, MeetingFeatures, NoticeKind, Rule};
use chime_caps::types::{ContentResolution, MediaCapabilities as M, VideoResolution};
use chime_caps::validation::{
    CapabilityErrorExt, FeatureKnowledge, NoticeSubject, SendWithReport, ValidationClientExt,
    ValidationError, ValidationMode, ValidationSettings, ViolationKind,
};
use chime_caps::Client;
use support::logs::{capture as capture_logs, Logs};
use support::service::FakeService;
use support::{caps, create_attendee, create_meeting, features, item, new_attendee, video_off};

const MEETING: &str = "6bd0ae5c-0f9c-4b8b-a7a5-5bf5a0f0e2f1";
const ATTENDEE: &str = "f0a8fa58-7cfe-4bc4-a5c8-2bd6b7d16a50";

/// Asserts that `err` is the service's `NotFoundException` (a macro: every operation
/// has its own error type).
macro_rules! assert_not_found {
    ($err:expr) => {{
        let err = &$err;
        assert!(
            err.as_service_error()
                .is_some_and(|e| e.is_not_found_exception()),
            "{err:?}"
        );
    }};
}

/// A clock the test moves by hand.
#[derive(Debug, Clone)]
struct ManualClock(Arc<Mutex<SystemTime>>);

impl ManualClock {
    fn new() -> Self {
        ManualClock(Arc::new(Mutex::new(
            SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        )))
    }

    fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }
}

impl TimeSource for ManualClock {
    fn now(&self) -> SystemTime {
        *self.0.lock().unwrap()
    }
}

/// A client of a service that holds none of the meetings these tests register.
fn stranger(settings: ValidationSettings) -> Client {
    FakeService::new().client(settings)
}

fn ids(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("00000000-0000-4000-8000-{i:012x}"))
        .collect()
}

#[tokio::test]
async fn learns_meeting_features_from_create_and_get_meeting() {
    let service = FakeService::new();
    let creator = service.client_in(ValidationMode::Enforce);
    let meeting = create_meeting(&creator, Some(features(Some(VideoResolution::None), None))).await;
    assert_eq!(
        creator.validation().feature_knowledge(&meeting),
        FeatureKnowledge::Known
    );
    assert_eq!(
        creator
            .validation()
            .known_features(&meeting)
            .unwrap()
            .video_max_resolution,
        Some(VideoResolution::None)
    );

    let other = service.client_in(ValidationMode::Enforce);
    assert_eq!(
        other.validation().feature_knowledge(&meeting),
        FeatureKnowledge::Unknown
    );
    other
        .get_meeting()
        .meeting_id(&meeting)
        .send()
        .await
        .unwrap();
    assert_eq!(
        other.validation().feature_knowledge(&meeting),
        FeatureKnowledge::Known
    );

    let before = service.requests_served();
    let err = other
        .update_attendee_capabilities()
        .meeting_id(&meeting)
        .attendee_id(ATTENDEE)
        .capabilities(caps(M::None, M::Receive, M::None))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.as_capability_violation().map(|v| v.rule),
        Some(Rule::VideoDisabled)
    );
    assert_eq!(service.requests_served(), before);
}

#[tokio::test]
async fn learns_capabilities_from_every_attendee_response() {
    let service = FakeService::new();
    let a = service.client_in(ValidationMode::Enforce);
    let meeting = create_meeting(&a, None).await;
    let receive_only = caps(M::Receive, M::Receive, M::Receive);
    let first = create_attendee(&a, &meeting, Some(receive_only.clone())).await;
    let second = create_attendee(&a, &meeting, None).await;
    // CreateAttendee: requested, and defaulted, capabilities.
    assert_eq!(
        a.validation().known_capabilities(&meeting, &first),
        Some(receive_only.clone())
    );
    let all = caps(M::SendReceive, M::SendReceive, M::SendReceive);
    assert_eq!(
        a.validation().known_capabilities(&meeting, &second),
        Some(all.clone())
    );

    // GetAttendee and ListAttendees, on clients that knew nothing.
    let b = service.client_in(ValidationMode::Enforce);
    b.get_attendee()
        .meeting_id(&meeting)
        .attendee_id(&first)
        .send()
        .await
        .unwrap();
    assert_eq!(
        b.validation().known_capabilities(&meeting, &first),
        Some(receive_only.clone())
    );
    assert_eq!(b.validation().known_capabilities(&meeting, &second), None);
    let c = service.client_in(ValidationMode::Enforce);
    c.list_attendees()
        .meeting_id(&meeting)
        .send()
        .await
        .unwrap();
    assert_eq!(
        c.validation().known_capabilities(&meeting, &first),
        Some(receive_only.clone())
    );
    assert_eq!(
        c.validation().known_capabilities(&meeting, &second),
        Some(all.clone())
    );

    // UpdateAttendeeCapabilities.
    let audio_only = caps(M::SendReceive, M::None, M::None);
    a.update_attendee_capabilities()
        .meeting_id(&meeting)
        .attendee_id(&first)
        .capabilities(audio_only.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(
        a.validation().known_capabilities(&meeting, &first),
        Some(audio_only.clone())
    );

    // BatchUpdateAttendeeCapabilitiesExcept: every known attendee but the excluded.
    let muted = caps(M::Receive, M::Receive, M::None);
    c.batch_update_attendee_capabilities_except()
        .meeting_id(&meeting)
        .excluded_attendee_ids(item(&first))
        .capabilities(muted.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(
        c.validation().known_capabilities(&meeting, &first),
        Some(receive_only)
    );
    assert_eq!(
        c.validation().known_capabilities(&meeting, &second),
        Some(muted)
    );
}

#[tokio::test]
async fn learns_from_batch_create_and_create_meeting_with_attendees() {
    let service = FakeService::new();
    let client = service.client_in(ValidationMode::Enforce);
    let listener = caps(M::Receive, M::Receive, M::None);

    let created = client
        .create_meeting_with_attendees()
        .client_request_token(support::unique_token())
        .media_region("us-east-1")
        .external_meeting_id("with-attendees")
        .meeting_features(features(Some(VideoResolution::None), None))
        .attendees(new_attendee(
            "user-1",
            Some(caps(M::Send, M::None, M::Send)),
        ))
        .attendees(new_attendee("user-2", None))
        .send()
        .await
        .unwrap();
    let meeting = created.meeting.and_then(|m| m.meeting_id).unwrap();
    assert_eq!(
        client.validation().known_features(&meeting),
        Some(video_off())
    );
    let ids: Vec<String> = created
        .attendees
        .unwrap_or_default()
        .into_iter()
        .filter_map(|a| a.attendee_id)
        .collect();
    assert_eq!(ids.len(), 2);
    assert_eq!(
        client.validation().known_capabilities(&meeting, &ids[0]),
        Some(caps(M::Send, M::None, M::Send))
    );
    // The second got the service's defaults for a meeting without video.
    assert_eq!(
        client.validation().known_capabilities(&meeting, &ids[1]),
        Some(caps(M::SendReceive, M::Receive, M::SendReceive))
    );

    let batch = client
        .batch_create_attendee()
        .meeting_id(&meeting)
        .attendees(new_attendee("user-3", Some(listener.clone())))
        .send()
        .await
        .unwrap_err();
    // A listener that receives video is refused in this meeting, locally.
    assert_eq!(
        batch.as_capability_violation().map(|v| (v.rule, v.item)),
        Some((Rule::VideoDisabled, Some(0)))
    );
    let audio_only = caps(M::Receive, M::None, M::None);
    let batch = client
        .batch_create_attendee()
        .meeting_id(&meeting)
        .attendees(new_attendee("user-3", Some(audio_only.clone())))
        .send()
        .await
        .unwrap();
    let third = batch.attendees()[0].attendee_id.clone().unwrap();
    assert_eq!(
        client.validation().known_capabilities(&meeting, &third),
        Some(audio_only)
    );
}

/// The id pattern admits upper case and the service does not mind it: every id the
/// client compares (cache keys, excluded attendees) matches whatever its case.
#[tokio::test]
async fn ids_match_whatever_their_case() {
    let service = FakeService::new();
    let client = service.client_in(ValidationMode::Enforce);
    let meeting = create_meeting(&client, Some(features(Some(VideoResolution::None), None))).await;
    let receive = caps(M::Receive, M::None, M::None);
    let excluded = create_attendee(&client, &meeting, Some(receive.clone())).await;
    let other = create_attendee(&client, &meeting, Some(receive.clone())).await;
    let (upper_meeting, upper_excluded) =
        (meeting.to_ascii_uppercase(), excluded.to_ascii_uppercase());
    assert_ne!(
        upper_meeting, meeting,
        "the fake service's ids have letters"
    );

    // The meeting learned in lower case is known in upper case.
    assert_eq!(
        client.validation().feature_knowledge(&upper_meeting),
        FeatureKnowledge::Known
    );
    let before = service.requests_served();
    let err = client
        .update_attendee_capabilities()
        .meeting_id(&upper_meeting)
        .attendee_id(&upper_excluded)
        .capabilities(caps(M::None, M::Receive, M::None))
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.as_capability_violation().map(|v| v.rule),
        Some(Rule::VideoDisabled)
    );
    assert_eq!(service.requests_served(), before);

    // An attendee excluded in upper case gets neither the batch's notices nor its
    // capabilities in the cache.
    let send = caps(M::Send, M::None, M::None);
    let (_, report) = client
        .batch_update_attendee_capabilities_except()
        .meeting_id(&upper_meeting)
        .excluded_attendee_ids(item(&upper_excluded))
        .capabilities(send.clone())
        .send_with_report(&client.validation())
        .await
        .unwrap();
    let noticed: Vec<_> = report.notices.iter().map(|n| n.subject.clone()).collect();
    assert_eq!(noticed, [NoticeSubject::Attendee(other.clone())]);
    assert_eq!(
        client
            .validation()
            .known_capabilities(&meeting, &upper_excluded),
        Some(receive)
    );
    assert_eq!(
        client
            .validation()
            .known_capabilities(&upper_meeting, &other),
        Some(send)
    );
    assert_eq!(client.validation().cached_meetings(), 1);

    // Registration and forgetting too.
    client.validation().forget_meeting(&upper_meeting);
    assert_eq!(
        client.validation().feature_knowledge(&meeting),
        FeatureKnowledge::Unknown
    );
    client
        .validation()
        .register_meeting(&upper_meeting, video_off());
    assert_eq!(
        client.validation().known_features(&meeting),
        Some(video_off())
    );
}

#[tokio::test]
async fn forgets_on_delete_and_not_found() {
    let service = FakeService::new();
    let a = service.client_in(ValidationMode::Enforce);
    let meeting = create_meeting(&a, Some(features(Some(VideoResolution::None), None))).await;
    let first = create_attendee(&a, &meeting, None).await;
    let second = create_attendee(&a, &meeting, None).await;
    let b = service.client_in(ValidationMode::Enforce);
    b.get_meeting().meeting_id(&meeting).send().await.unwrap();
    b.list_attendees()
        .meeting_id(&meeting)
        .send()
        .await
        .unwrap();

    // DeleteAttendee forgets the attendee only.
    a.delete_attendee()
        .meeting_id(&meeting)
        .attendee_id(&first)
        .send()
        .await
        .unwrap();
    assert_eq!(a.validation().known_capabilities(&meeting, &first), None);
    assert_eq!(
        a.validation().feature_knowledge(&meeting),
        FeatureKnowledge::Known
    );

    // A 404 on an attendee operation forgets the attendee, not the meeting.
    assert!(b
        .validation()
        .known_capabilities(&meeting, &first)
        .is_some());
    let err = b
        .get_attendee()
        .meeting_id(&meeting)
        .attendee_id(&first)
        .send()
        .await
        .unwrap_err();
    assert_not_found!(err);
    assert_eq!(b.validation().known_capabilities(&meeting, &first), None);
    assert_eq!(
        b.validation().feature_knowledge(&meeting),
        FeatureKnowledge::Known
    );

    // A 404 on the batch (an excluded attendee that is gone) keeps the meeting.
    let err = b
        .batch_update_attendee_capabilities_except()
        .meeting_id(&meeting)
        .excluded_attendee_ids(item(&first))
        .capabilities(caps(M::Receive, M::None, M::None))
        .send()
        .await
        .unwrap_err();
    assert_not_found!(err);
    assert_eq!(
        b.validation().feature_knowledge(&meeting),
        FeatureKnowledge::Known
    );
    assert!(b
        .validation()
        .known_capabilities(&meeting, &second)
        .is_some());

    // DeleteMeeting forgets the meeting; a 404 on a meeting operation too.
    a.delete_meeting()
        .meeting_id(&meeting)
        .send()
        .await
        .unwrap();
    assert_eq!(
        a.validation().feature_knowledge(&meeting),
        FeatureKnowledge::Unknown
    );
    assert_eq!(a.validation().known_capabilities(&meeting, &second), None);
    let err = b
        .get_meeting()
        .meeting_id(&meeting)
        .send()
        .await
        .unwrap_err();
    assert_not_found!(err);
    assert_eq!(
        b.validation().feature_knowledge(&meeting),
        FeatureKnowledge::Unknown
    );
    assert_eq!(b.validation().known_capabilities(&meeting, &second), None);
}

#[tokio::test]
async fn registration_enables_the_feature_rules_for_meetings_created_elsewhere() {
    let client = stranger(ValidationSettings::new());
    let request = caps(M::None, M::None, M::Send);
    client.validation().register_meeting(
        MEETING,
        MeetingFeatures {
            video_max_resolution: None,
            content_max_resolution: Some(ContentResolution::None),
        },
    );
    let err = client
        .update_attendee_capabilities()
        .meeting_id(MEETING)
        .attendee_id(ATTENDEE)
        .capabilities(request)
        .send()
        .await
        .unwrap_err();
    let v = err.as_capability_violation().expect("local rejection");
    assert_eq!(
        (v.rule, v.field, &v.requested),
        (Rule::ContentDisabled, field::CONTENT, &M::Send)
    );
    assert_eq!(
        v.forbidden_by,
        "MeetingFeatures.Content.MaxResolution = None"
    );
}

#[test]
fn eviction_drops_the_least_recently_learned() {
    let clock = ManualClock::new();
    let client = stranger(
        ValidationSettings::new()
            .max_meetings(3)
            .max_attendees_per_meeting(2)
            .time_source(clock.clone()),
    );
    let v = client.validation();
    let meetings = ids(6);
    for id in &meetings[..5] {
        v.register_meeting(id, video_off());
        clock.advance(Duration::from_secs(1));
    }
    assert_eq!(v.cached_meetings(), 3);
    let known: Vec<bool> = meetings[..5]
        .iter()
        .map(|id| v.known_features(id).is_some())
        .collect();
    assert_eq!(known, [false, false, true, true, true]);

    // Learning about a meeting again makes it recent.
    v.register_attendee(&meetings[2], ATTENDEE, caps(M::None, M::None, M::None));
    clock.advance(Duration::from_secs(1));
    v.register_meeting(&meetings[5], video_off());
    let known: Vec<bool> = meetings[2..]
        .iter()
        .map(|id| v.known_features(id).is_some())
        .collect();
    assert_eq!(known, [true, false, true, true]);

    // Attendees per meeting are bounded the same way.
    let attendees = ids(3);
    for id in &attendees {
        clock.advance(Duration::from_secs(1));
        v.register_attendee(&meetings[5], id, caps(M::Receive, M::None, M::None));
    }
    let known: Vec<bool> = attendees
        .iter()
        .map(|id| v.known_capabilities(&meetings[5], id).is_some())
        .collect();
    assert_eq!(known, [false, true, true]);
}

#[tokio::test]
async fn entries_expire() {
    let clock = ManualClock::new();
    let settings = ValidationSettings::new()
        .meeting_ttl(Duration::from_secs(3600))
        .attendee_ttl(Duration::from_secs(60))
        .time_source(clock.clone());
    let client = stranger(settings);
    let v = client.validation();
    v.register_meeting(MEETING, video_off());
    v.register_attendee(MEETING, ATTENDEE, caps(M::None, M::None, M::None));
    clock.advance(Duration::from_secs(59));
    assert!(v.known_capabilities(MEETING, ATTENDEE).is_some());
    clock.advance(Duration::from_secs(1));
    assert_eq!(v.known_capabilities(MEETING, ATTENDEE), None);
    assert_eq!(v.feature_knowledge(MEETING), FeatureKnowledge::Known);
    clock.advance(Duration::from_secs(3600));
    assert_eq!(v.feature_knowledge(MEETING), FeatureKnowledge::Unknown);
    // An expired meeting no longer forbids video locally: the call goes out (and the
    // service, which never saw the meeting, answers 404).
    let err = client
        .update_attendee_capabilities()
        .meeting_id(MEETING)
        .attendee_id(ATTENDEE)
        .capabilities(caps(M::None, M::Receive, M::None))
        .send()
        .await
        .unwrap_err();
    assert!(err.as_validation_error().is_none(), "{err:?}");
}

#[test]
fn concurrent_learning_and_checking_stay_bounded_and_consistent() {
    let client = stranger(
        ValidationSettings::new()
            .max_meetings(64)
            .max_attendees_per_meeting(8),
    );
    let meetings = Arc::new(ids(200));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    std::thread::scope(|scope| {
        for t in 0..4 {
            let (client, meetings) = (client.clone(), meetings.clone());
            scope.spawn(move || {
                let v = client.validation();
                for i in 0..2_000 {
                    let id = &meetings[(i * 7 + t * 13) % meetings.len()];
                    match i % 4 {
                        0 => v.register_meeting(id, video_off()),
                        1 => v.register_attendee(
                            id,
                            &meetings[i % 9],
                            caps(M::Receive, M::None, M::None),
                        ),
                        2 => assert!(v.known_features(id).is_none_or(|f| f == video_off())),
                        _ => v.forget_meeting(id),
                    }
                }
            });
        }
        // Meanwhile, local rejections keep working (ContentNeedsVideo needs no cache).
        scope.spawn(|| {
            runtime.block_on(async {
                for _ in 0..200 {
                    let err = client
                        .update_attendee_capabilities()
                        .meeting_id(&meetings[0])
                        .attendee_id(ATTENDEE)
                        .capabilities(caps(M::None, M::None, M::Receive))
                        .send()
                        .await
                        .unwrap_err();
                    assert_eq!(
                        err.as_capability_violation().map(|v| v.rule),
                        Some(Rule::ContentNeedsVideo)
                    );
                }
            })
        });
    });
    assert!(
        client.validation().cached_meetings() <= 64,
        "{}",
        client.validation().cached_meetings()
    );
    client
        .validation()
        .register_meeting(&meetings[1], video_off());
    assert_eq!(
        client.validation().known_features(&meetings[1]),
        Some(video_off())
    );
}

#[tokio::test]
async fn lookup_on_miss_fetches_the_meeting_once() {
    let service = FakeService::new();
    let creator = service.client_in(ValidationMode::Enforce);
    let meeting = create_meeting(&creator, Some(features(Some(VideoResolution::None), None))).await;
    let attendee = create_attendee(&creator, &meeting, None).await;
    let lookup = service.client(ValidationSettings::new().lookup_on_miss(true));
    let video = caps(M::None, M::Receive, M::None);

    // Plain send() never looks up: the service answers.
    let before = service.requests_served();
    let err = lookup
        .update_attendee_capabilities()
        .meeting_id(&meeting)
        .attendee_id(&attendee)
        .capabilities(video.clone())
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.as_service_error().and_then(|e| e.code()),
        Some("BadRequestException")
    );
    assert_eq!(service.requests_served() - before, 1);

    // send_with_report looks up once (one GetMeeting), then rejects locally.
    let before = service.requests_served();
    for _ in 0..3 {
        let err = lookup
            .update_attendee_capabilities()
            .meeting_id(&meeting)
            .attendee_id(&attendee)
            .capabilities(video.clone())
            .send_with_report(&lookup.validation())
            .await
            .unwrap_err();
        assert_eq!(
            err.as_capability_violation().map(|v| v.rule),
            Some(Rule::VideoDisabled)
        );
    }
    assert_eq!(service.requests_served() - before, 1);

    // A request the features cannot affect needs no lookup.
    let fresh = create_meeting(&creator, None).await;
    let before = service.requests_served();
    let err = lookup
        .batch_update_attendee_capabilities_except()
        .meeting_id(&fresh)
        .excluded_attendee_ids(item(ATTENDEE))
        .capabilities(caps(M::SendReceive, M::None, M::None))
        .send_with_report(&lookup.validation())
        .await
        .unwrap_err();
    assert_not_found!(err);
    assert_eq!(
        service.requests_served() - before,
        1,
        "only the call itself"
    );
    assert_eq!(
        lookup.validation().feature_knowledge(&fresh),
        FeatureKnowledge::Unknown
    );
}

#[tokio::test]
async fn a_refused_lookup_falls_back_to_the_rules_without_features() {
    let service = FakeService::new();
    let creator = service.client_in(ValidationMode::Enforce);
    let meeting = create_meeting(&creator, Some(features(Some(VideoResolution::None), None))).await;
    let attendee = create_attendee(&creator, &meeting, None).await;
    let lookup = service.client(ValidationSettings::new().lookup_on_miss(true));
    let logs = capture_logs();

    service.fail_next(1, 403, "ForbiddenException");
    let before = service.requests_served();
    let err = lookup
        .update_attendee_capabilities()
        .meeting_id(&meeting)
        .attendee_id(&attendee)
        .capabilities(caps(M::None, M::Receive, M::None))
        .send_with_report(&lookup.validation())
        .await
        .unwrap_err();
    // The lookup was refused, so the call went out and the service rejected it.
    assert_eq!(
        err.as_service_error().and_then(|e| e.code()),
        Some("BadRequestException")
    );
    assert_eq!(service.requests_served() - before, 2);
    assert_eq!(
        lookup.validation().feature_knowledge(&meeting),
        FeatureKnowledge::Unavailable
    );
    assert!(
        logs.text().contains("GetMeeting was refused (403)"),
        "{}",
        logs.text()
    );

    // The refusal is remembered: no second lookup, and the report says so.
    let before = service.requests_served();
    let (_, report) = lookup
        .update_attendee_capabilities()
        .meeting_id(&meeting)
        .attendee_id(&attendee)
        .capabilities(caps(M::SendReceive, M::None, M::None))
        .send_with_report(&lookup.validation())
        .await
        .unwrap();
    assert_eq!(service.requests_served() - before, 1);
    assert_eq!(report.features, FeatureKnowledge::Unavailable);
}

#[tokio::test]
async fn modes_decide_what_happens_to_a_violation() {
    let service = FakeService::new();
    let warn = service.client_in(ValidationMode::Warn);
    let meeting = create_meeting(&warn, None).await;
    let attendee = create_attendee(&warn, &meeting, None).await;
    // The client is told the meeting has no video, but the service allows it: the
    // service accepts what Warn lets through, so the report can be read.
    warn.validation().register_meeting(&meeting, video_off());
    let logs = capture_logs();
    let video = caps(M::SendReceive, M::Receive, M::None);
    let (_, report) = warn
        .update_attendee_capabilities()
        .meeting_id(&meeting)
        .attendee_id(&attendee)
        .capabilities(video.clone())
        .send_with_report(&warn.validation())
        .await
        .unwrap();
    assert_eq!(report.mode, ValidationMode::Warn);
    assert_eq!(report.features, FeatureKnowledge::Known);
    assert_eq!(
        report.warning.as_ref().and_then(ValidationError::rule),
        Some(Rule::VideoDisabled)
    );
    assert!(
        logs.text().contains("sending the request anyway"),
        "{}",
        logs.text()
    );

    // The per-call mode overrides the client's: Enforce rejects, Off checks nothing.
    let err = warn
        .update_attendee_capabilities()
        .meeting_id(&meeting)
        .attendee_id(&attendee)
        .capabilities(video.clone())
        .send_with_report(&warn.validation().with_mode(ValidationMode::Enforce))
        .await
        .unwrap_err();
    assert!(err.as_capability_violation().is_some());
    let (_, report) = warn
        .update_attendee_capabilities()
        .meeting_id(&meeting)
        .attendee_id(&attendee)
        .capabilities(video)
        .send_with_report(&warn.validation().with_mode(ValidationMode::Off))
        .await
        .unwrap();
    assert_eq!((report.mode, report.warning), (ValidationMode::Off, None));
}

#[tokio::test]
async fn accepted_changes_report_and_trace_their_notices() {
    let service = FakeService::new();
    let client = service.client_in(ValidationMode::Enforce);
    let meeting = create_meeting(&client, None).await;
    let receive = caps(M::Receive, M::Receive, M::Receive);
    let first = create_attendee(&client, &meeting, Some(receive.clone())).await;
    let second = create_attendee(&client, &meeting, Some(caps(M::None, M::None, M::None))).await;
    let excluded = create_attendee(&client, &meeting, Some(receive.clone())).await;
    let logs = capture_logs();

    let all = caps(M::SendReceive, M::SendReceive, M::SendReceive);
    let (_, report) = client
        .update_attendee_capabilities()
        .meeting_id(&meeting)
        .attendee_id(&first)
        .capabilities(all.clone())
        .send_with_report(&client.validation())
        .await
        .unwrap();
    let got: Vec<_> = report
        .notices
        .iter()
        .map(|n| (n.attendee_id().unwrap(), n.notice.kind, n.notice.field))
        .collect();
    assert_eq!(
        got,
        [
            (first.as_str(), NoticeKind::AudioMayFlow, field::AUDIO),
            (first.as_str(), NoticeKind::NeedsRenegotiation, field::VIDEO),
            (
                first.as_str(),
                NoticeKind::NeedsRenegotiation,
                field::CONTENT
            ),
        ]
    );
    assert!(logs.text().contains("AudioMayFlow"), "{}", logs.text());

    // The batch reports every known attendee that is not excluded (and is changed).
    let send_audio = caps(M::Send, M::None, M::None);
    let (_, report) = client
        .batch_update_attendee_capabilities_except()
        .meeting_id(&meeting)
        .excluded_attendee_ids(item(&excluded))
        .capabilities(send_audio)
        .send_with_report(&client.validation())
        .await
        .unwrap();
    let got: Vec<_> = report
        .notices
        .iter()
        .map(|n| (n.attendee_id().unwrap(), n.notice.kind))
        .collect();
    assert_eq!(got, [(second.as_str(), NoticeKind::AudioMayFlow)]);
    assert!(logs.text().contains(&second), "{}", logs.text());

    // Plain send() reports nothing to the caller but still traces.
    let events = |logs: &Logs| {
        logs.text()
            .lines()
            .filter(|line| line.contains("NeedsRenegotiation"))
            .count()
    };
    let before = events(&logs);
    client
        .update_attendee_capabilities()
        .meeting_id(&meeting)
        .attendee_id(&second)
        .capabilities(all)
        .send()
        .await
        .unwrap();
    assert_eq!(events(&logs), before + 2);
}

#[tokio::test]
async fn rejections_are_typed_and_explain_the_fix() {
    let service = FakeService::new();
    let client = service.client(ValidationSettings::new().model_constraints(true));
    client.validation().register_meeting(MEETING, video_off());
    let err = client
        .update_attendee_capabilities()
        .meeting_id(MEETING)
        .attendee_id(ATTENDEE)
        .capabilities(caps(M::None, M::SendReceive, M::None))
        .send()
        .await
        .unwrap_err();
    let v = err
        .as_capability_violation()
        .expect("a capability violation");
    assert_eq!(v.rule, Rule::VideoDisabled);
    assert_eq!(v.field, "Capabilities.Video");
    assert_eq!(v.requested, M::SendReceive);
    assert_eq!(v.forbidden_by, "MeetingFeatures.Video.MaxResolution = None");
    assert!(
        v.hint.starts_with("set Capabilities.Video to None"),
        "{}",
        v.hint
    );
    let chain = DisplayErrorContext(&err).to_string();
    assert_eq!(
        chain.matches(&v.to_string()).count(),
        1,
        "the error chain shows the sentence once: {chain}"
    );

    let constraint = |err: &dyn CapabilityErrorExt| {
        err.as_constraint_violation()
            .map(|c| (c.path.clone(), c.kind.clone()))
    };
    let err = client
        .update_attendee_capabilities()
        .meeting_id("not-a-guid")
        .attendee_id(ATTENDEE)
        .capabilities(caps(M::None, M::None, M::None))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(constraint(&err), Some((path, ViolationKind::Pattern { .. })) if path == "MeetingId"),
        "{err:?}"
    );
    let err = client
        .batch_update_attendee_capabilities_except()
        .meeting_id(MEETING)
        .set_excluded_attendee_ids(Some(Vec::new()))
        .capabilities(caps(M::None, M::None, M::None))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(constraint(&err), Some((path, ViolationKind::Length { actual: 0, .. })) if path == "ExcludedAttendeeIds")
    );
    let err = client
        .batch_update_attendee_capabilities_except()
        .meeting_id(MEETING)
        .set_excluded_attendee_ids(Some(ids(251).iter().map(|id| item(id)).collect()))
        .capabilities(caps(M::None, M::None, M::None))
        .send()
        .await
        .unwrap_err();
    assert!(matches!(
        constraint(&err),
        Some((_, ViolationKind::Length { actual: 251, .. }))
    ));
    assert_eq!(
        service.requests_served(),
        0,
        "no rejected call reached the server"
    );
}

/// By default the model's constraints are the service's to check, as with the official
/// SDK: a made-up id is sent (and refused by the service, not by the client).
#[tokio::test]
async fn model_constraints_are_checked_only_when_asked() {
    let service = FakeService::new();
    let update = |client: Client| async move {
        client
            .update_attendee_capabilities()
            .meeting_id("not-a-guid")
            .attendee_id(ATTENDEE)
            .capabilities(caps(M::None, M::None, M::None))
            .send()
            .await
            .unwrap_err()
    };
    let err = update(service.client_in(ValidationMode::Enforce)).await;
    assert!(err.as_constraint_violation().is_none(), "{err:?}");
    assert!(matches!(err, SdkError::ServiceError(_)), "sent: {err:?}");

    let err = update(service.client(ValidationSettings::new().model_constraints(true))).await;
    assert!(err.as_constraint_violation().is_some(), "{err:?}");
}
