//! End to end over loopback: every operation through a client against the emulator,
//! the service's error shape, the capability rules and model constraints enforced
//! server-side, signature refusals, fault injection and concurrency.
#![cfg(feature = "emulator")]

#[path = "support/common.rs"]
mod common;
#[path = "support/wire.rs"]
mod wire;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use aws_smithy_types::retry::RetryConfig;
use aws_types::request_id::RequestId;

use chime_caps::emulator::{Emulator, Fault, UnknownExcludedIds};
use chime_caps_generated::types::{
    AttendeeFeatures, ContentResolution, MediaCapabilities as M, MeetingFeaturesConfiguration,
    VideoResolution,
};
use common::{caps, emulator, features, item, unique_token};
use wire::{
    all_attendees, assert_error, attendee, client_with, new_meeting, one_shot, wire_error, Client,
    Rewrite,
};

#[tokio::test]
async fn every_operation_round_trips() {
    let emu = emulator().await;
    let c = one_shot(&emu);

    let created = c
        .create_meeting()
        .client_request_token("idempotent-token-1")
        .media_region("eu-west-1")
        .external_meeting_id("standup")
        .meeting_host_id("host-1")
        .tenant_ids("tenant-a")
        .meeting_features(features(
            Some(VideoResolution::Hd),
            Some(ContentResolution::Fhd),
        ))
        .send()
        .await
        .unwrap();
    assert!(created.request_id().is_some());
    let m = created.meeting.clone().unwrap();
    let id = m.meeting_id.clone().unwrap();
    assert_eq!(id.len(), 36);
    assert_eq!(id, id.to_lowercase());
    assert_eq!(m.media_region.as_deref(), Some("eu-west-1"));
    assert_eq!(m.external_meeting_id.as_deref(), Some("standup"));
    assert_eq!(m.meeting_host_id.as_deref(), Some("host-1"));
    assert_eq!(m.tenant_ids(), ["tenant-a"]);
    assert_eq!(
        m.meeting_arn.as_deref(),
        Some(format!("arn:aws:chime:us-east-1:123456789012:meeting/{id}").as_str())
    );
    let placement = m.media_placement.clone().unwrap();
    assert!(placement.signaling_url.unwrap().contains(&id));
    assert!(placement.turn_control_url.unwrap().contains("eu-west-1"));

    // Same ClientRequestToken: the same meeting.
    let again = c
        .create_meeting()
        .client_request_token("idempotent-token-1")
        .media_region("eu-west-1")
        .external_meeting_id("standup")
        .send()
        .await
        .unwrap();
    assert_eq!(again.meeting, Some(m.clone()));

    let got = c.get_meeting().meeting_id(&id).send().await.unwrap();
    assert_eq!(got.meeting, Some(m));

    // Attendees get every capability by default, and ExternalUserId is idempotent.
    let mut ids = Vec::new();
    for n in 0..5 {
        let a = attendee(&c, &id, &format!("user-{n}")).await;
        assert_eq!(
            a.capabilities,
            Some(caps(M::SendReceive, M::SendReceive, M::SendReceive))
        );
        assert_eq!(a.external_user_id, Some(format!("user-{n}")));
        assert!(a.join_token.as_ref().is_some_and(|t| t.len() >= 2));
        ids.push(a.attendee_id.unwrap());
    }
    let repeat = attendee(&c, &id, "user-0").await;
    assert_eq!(repeat.attendee_id.as_ref(), Some(&ids[0]));

    let one = c
        .get_attendee()
        .meeting_id(&id)
        .attendee_id(&ids[1])
        .send()
        .await
        .unwrap();
    assert_eq!(
        one.attendee.unwrap().external_user_id.as_deref(),
        Some("user-1")
    );

    // Pages of 2 list everyone once, in creation order.
    let listed: Vec<String> = all_attendees(&c, &id, 2)
        .await
        .into_iter()
        .map(|a| a.attendee_id.unwrap())
        .collect();
    assert_eq!(listed, ids);
    let full = c.list_attendees().meeting_id(&id).send().await.unwrap();
    assert_eq!(full.attendees().len(), 5);
    assert_eq!(full.next_token, None);

    let presenter_caps = caps(M::SendReceive, M::SendReceive, M::SendReceive);
    let muted = caps(M::Receive, M::Receive, M::Receive);
    let updated = c
        .update_attendee_capabilities()
        .meeting_id(&id)
        .attendee_id(&ids[1])
        .capabilities(muted.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(updated.attendee.unwrap().capabilities, Some(muted.clone()));

    c.batch_update_attendee_capabilities_except()
        .meeting_id(&id)
        .excluded_attendee_ids(item(&ids[0]))
        .capabilities(muted.clone())
        .send()
        .await
        .unwrap();
    for a in all_attendees(&c, &id, 100).await {
        let expected = if a.attendee_id.as_ref() == Some(&ids[0]) {
            &presenter_caps
        } else {
            &muted
        };
        assert_eq!(a.capabilities.as_ref(), Some(expected), "{a:?}");
    }

    c.delete_attendee()
        .meeting_id(&id)
        .attendee_id(&ids[4])
        .send()
        .await
        .unwrap();
    let err = c
        .get_attendee()
        .meeting_id(&id)
        .attendee_id(&ids[4])
        .send()
        .await
        .unwrap_err();
    let msg = assert_error(err, 404, "NotFoundException", "NotFound");
    assert!(msg.contains(&ids[4]), "{msg}");
    assert_eq!(all_attendees(&c, &id, 3).await.len(), 4);
    let held = emu.state_summary();
    assert_eq!(
        (held.meetings, held.attendees, held.client_request_tokens),
        (1, 4, 1)
    );

    c.delete_meeting().meeting_id(&id).send().await.unwrap();
    let err = c.get_meeting().meeting_id(&id).send().await.unwrap_err();
    let msg = assert_error(err, 404, "NotFoundException", "NotFound");
    assert!(msg.contains(&id), "{msg}");
    let err = c.list_attendees().meeting_id(&id).send().await.unwrap_err();
    assert_error(err, 404, "NotFoundException", "NotFound");
    // Nothing of the meeting is left, its token included: the token makes a new one.
    assert_eq!(emu.state_summary(), Default::default());
    let recreated = c
        .create_meeting()
        .client_request_token("idempotent-token-1")
        .media_region("eu-west-1")
        .external_meeting_id("standup")
        .send()
        .await
        .unwrap();
    assert_ne!(recreated.meeting.and_then(|m| m.meeting_id), Some(id));
    emu.shutdown().await;
}

#[tokio::test]
async fn the_official_sdk_works_against_the_emulator() {
    use aws_sdk_chimesdkmeetings as official;
    let emu = emulator().await;
    let c = official::Client::new(&emu.client_config());
    let m = c
        .create_meeting()
        .client_request_token("official-sdk")
        .media_region("us-west-2")
        .external_meeting_id("official")
        .send()
        .await
        .unwrap()
        .meeting
        .unwrap();
    let id = m.meeting_id.unwrap();
    let a = c
        .create_attendee()
        .meeting_id(&id)
        .external_user_id("official-user")
        .send()
        .await
        .unwrap()
        .attendee
        .unwrap();
    let aid = a.attendee_id.unwrap();
    let receive_only = official::types::AttendeeCapabilities::builder()
        .audio(official::types::MediaCapabilities::Receive)
        .video(official::types::MediaCapabilities::Receive)
        .content(official::types::MediaCapabilities::None)
        .build()
        .unwrap();
    let other = c
        .create_attendee()
        .meeting_id(&id)
        .external_user_id("official-other")
        .send()
        .await
        .unwrap()
        .attendee
        .unwrap()
        .attendee_id
        .unwrap();
    // An empty 200 (the operation has no output) is read as success.
    c.batch_update_attendee_capabilities_except()
        .meeting_id(&id)
        .excluded_attendee_ids(
            official::types::AttendeeIdItem::builder()
                .attendee_id(&aid)
                .build()
                .unwrap(),
        )
        .capabilities(receive_only.clone())
        .send()
        .await
        .unwrap();
    let got = c
        .get_attendee()
        .meeting_id(&id)
        .attendee_id(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(got.attendee.unwrap().capabilities, Some(receive_only));
    c.batch_update_attendee_capabilities_except()
        .meeting_id(&id)
        .excluded_attendee_ids(
            official::types::AttendeeIdItem::builder()
                .attendee_id("00000000-0000-4000-8000-000000000000")
                .build()
                .unwrap(),
        )
        .capabilities(
            official::types::AttendeeCapabilities::builder()
                .audio(official::types::MediaCapabilities::Receive)
                .video(official::types::MediaCapabilities::None)
                .content(official::types::MediaCapabilities::None)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .expect_err("an excluded id that is not an attendee is refused");
    let got = c
        .get_attendee()
        .meeting_id(&id)
        .attendee_id(&aid)
        .send()
        .await
        .unwrap();
    assert_eq!(
        got.attendee.unwrap().capabilities.unwrap().audio,
        official::types::MediaCapabilities::SendReceive
    );
    c.delete_meeting().meeting_id(&id).send().await.unwrap();
    emu.shutdown().await;
}

#[tokio::test]
async fn capability_rules_are_enforced_by_the_server() {
    let emu = emulator().await;
    let c = one_shot(&emu);
    let no_video = new_meeting(
        &c,
        Some(features(
            Some(VideoResolution::None),
            Some(ContentResolution::Fhd),
        )),
    )
    .await;
    let no_content = new_meeting(
        &c,
        Some(features(
            Some(VideoResolution::Hd),
            Some(ContentResolution::None),
        )),
    )
    .await;
    let open = new_meeting(&c, None).await;

    // Attendees created without capabilities get the documented defaults.
    let defaults = |mid: &str| {
        let c = c.clone();
        let mid = mid.to_string();
        async move {
            attendee(&c, &mid, "default-user")
                .await
                .capabilities
                .unwrap()
        }
    };
    // The documented default for a meeting without video but with content.
    assert_eq!(
        defaults(&no_video).await,
        caps(M::SendReceive, M::Receive, M::SendReceive)
    );
    assert_eq!(
        defaults(&no_content).await,
        caps(M::SendReceive, M::SendReceive, M::None)
    );
    assert_eq!(
        defaults(&open).await,
        caps(M::SendReceive, M::SendReceive, M::SendReceive)
    );

    let cases = [
        (
            &no_video,
            caps(M::SendReceive, M::Receive, M::None),
            "VideoDisabled",
        ),
        (
            &no_content,
            caps(M::SendReceive, M::SendReceive, M::Send),
            "ContentDisabled",
        ),
        (
            &open,
            caps(M::SendReceive, M::None, M::Receive),
            "ContentNeedsVideo",
        ),
    ];
    for (mid, requested, rule) in cases {
        let aid = attendee(&c, mid, "default-user").await.attendee_id.unwrap();
        let err = c
            .update_attendee_capabilities()
            .meeting_id(mid)
            .attendee_id(&aid)
            .capabilities(requested.clone())
            .send()
            .await
            .unwrap_err();
        let msg = assert_error(err, 400, "BadRequestException", "BadRequest");
        assert!(msg.contains(rule), "{rule}: {msg}");

        let err = c
            .batch_update_attendee_capabilities_except()
            .meeting_id(mid)
            .excluded_attendee_ids(item(&aid))
            .capabilities(requested.clone())
            .send()
            .await
            .unwrap_err();
        assert!(assert_error(err, 400, "BadRequestException", "BadRequest").contains(rule));

        let err = c
            .create_attendee()
            .meeting_id(mid)
            .external_user_id("explicit-user")
            .capabilities(requested)
            .send()
            .await
            .unwrap_err();
        assert!(assert_error(err, 400, "BadRequestException", "BadRequest").contains(rule));
    }
    emu.shutdown().await;
}

#[tokio::test]
async fn refused_batch_changes_nothing() {
    let emu = emulator().await;
    let c = one_shot(&emu);
    let id = new_meeting(&c, None).await;
    let a = attendee(&c, &id, "user-a").await.attendee_id.unwrap();
    attendee(&c, &id, "user-b").await;
    let before = all_attendees(&c, &id, 100).await;
    let err = c
        .batch_update_attendee_capabilities_except()
        .meeting_id(&id)
        .excluded_attendee_ids(item(&a))
        .excluded_attendee_ids(item("11111111-2222-4333-8444-555555555555"))
        .capabilities(caps(M::None, M::None, M::None))
        .send()
        .await
        .unwrap_err();
    let msg = assert_error(err, 404, "NotFoundException", "NotFound");
    assert!(
        msg.contains("11111111-2222-4333-8444-555555555555"),
        "{msg}"
    );
    assert_eq!(all_attendees(&c, &id, 100).await, before);

    // Attendee ids are matched in any case.
    c.batch_update_attendee_capabilities_except()
        .meeting_id(id.to_uppercase())
        .excluded_attendee_ids(item(&a.to_uppercase()))
        .capabilities(caps(M::None, M::None, M::None))
        .send()
        .await
        .unwrap();
    let after = all_attendees(&c, &id, 100).await;
    assert_eq!(after[0], before[0]);
    assert_eq!(after[1].capabilities, Some(caps(M::None, M::None, M::None)));
    emu.shutdown().await;
}

#[tokio::test]
async fn unknown_excluded_ids_can_be_ignored_instead() {
    let emu = Emulator::builder()
        .unknown_excluded_ids(UnknownExcludedIds::Ignore)
        .start()
        .await
        .unwrap();
    let c = one_shot(&emu);
    let id = new_meeting(&c, None).await;
    let a = attendee(&c, &id, "user-a").await.attendee_id.unwrap();
    attendee(&c, &id, "user-b").await;
    let before = all_attendees(&c, &id, 100).await;
    c.batch_update_attendee_capabilities_except()
        .meeting_id(&id)
        .excluded_attendee_ids(item(&a))
        .excluded_attendee_ids(item("11111111-2222-4333-8444-555555555555"))
        .capabilities(caps(M::None, M::None, M::None))
        .send()
        .await
        .expect("the unknown id is ignored");
    let after = all_attendees(&c, &id, 100).await;
    assert_eq!(after[0], before[0], "the excluded attendee is unchanged");
    assert_eq!(after[1].capabilities, Some(caps(M::None, M::None, M::None)));
    // The capability rules still apply.
    let err = c
        .batch_update_attendee_capabilities_except()
        .meeting_id(&id)
        .excluded_attendee_ids(item("11111111-2222-4333-8444-555555555555"))
        .capabilities(caps(M::None, M::None, M::Receive))
        .send()
        .await
        .unwrap_err();
    assert_error(err, 400, "BadRequestException", "BadRequest");
    emu.shutdown().await;
}

#[tokio::test]
async fn model_constraints_and_unknown_resources_are_refused() {
    let emu = emulator().await;
    let c = one_shot(&emu);
    let id = new_meeting(&c, None).await;

    let err = c
        .get_meeting()
        .meeting_id("not-a-guid")
        .send()
        .await
        .unwrap_err();
    let msg = assert_error(err, 400, "BadRequestException", "BadRequest");
    assert!(
        msg.contains("MeetingId") && msg.contains("pattern"),
        "{msg}"
    );

    for bad in [0, 101] {
        let err = c
            .list_attendees()
            .meeting_id(&id)
            .max_results(bad)
            .send()
            .await
            .unwrap_err();
        let msg = assert_error(err, 400, "BadRequestException", "BadRequest");
        assert!(msg.contains("MaxResults"), "{msg}");
    }
    let err = c
        .list_attendees()
        .meeting_id(&id)
        .next_token("forged")
        .send()
        .await
        .unwrap_err();
    assert!(assert_error(err, 400, "BadRequestException", "BadRequest").contains("next-token"));

    let err = c
        .create_attendee()
        .meeting_id(&id)
        .external_user_id("x")
        .send()
        .await
        .unwrap_err();
    assert!(assert_error(err, 400, "BadRequestException", "BadRequest").contains("ExternalUserId"));

    let err = c
        .create_meeting()
        .client_request_token(unique_token())
        .media_region("mars-north-1")
        .external_meeting_id("mars")
        .send()
        .await
        .unwrap_err();
    assert!(assert_error(err, 400, "BadRequestException", "BadRequest").contains("mars-north-1"));

    let err = c
        .update_attendee_capabilities()
        .meeting_id(&id)
        .attendee_id("00000000-0000-4000-8000-000000000000")
        .capabilities(caps(M::None, M::None, M::None))
        .send()
        .await
        .unwrap_err();
    assert_error(err, 404, "NotFoundException", "NotFound");

    let err = c
        .delete_meeting()
        .meeting_id("00000000-0000-4000-8000-000000000000")
        .send()
        .await
        .unwrap_err();
    assert_error(err, 404, "NotFoundException", "NotFound");

    // The attendee cap.
    let small = c
        .create_meeting()
        .client_request_token(unique_token())
        .media_region("us-east-1")
        .external_meeting_id("small")
        .meeting_features(
            MeetingFeaturesConfiguration::builder()
                .attendee(AttendeeFeatures::builder().max_count(1).build())
                .build(),
        )
        .send()
        .await
        .unwrap()
        .meeting
        .unwrap()
        .meeting_id
        .unwrap();
    attendee(&c, &small, "first").await;
    let err = c
        .create_attendee()
        .meeting_id(&small)
        .external_user_id("second")
        .send()
        .await
        .unwrap_err();
    assert_error(err, 400, "LimitExceededException", "ResourceLimitExceeded");
    emu.shutdown().await;
}

#[tokio::test]
async fn malformed_bodies_get_a_clear_400() {
    let emu = emulator().await;
    let id = new_meeting(&one_shot(&emu), None).await;
    for (body, expect) in [
        ("{\"ExternalUserId\": ", "not valid JSON"),
        ("[1, 2]", "not valid JSON"),
        ("{\"ExternalUserId\": 7}", "not valid JSON"),
        ("{\"ExternalUserId\": \"user\", \"Capabilities\": {\"Audio\": \"Loud\", \"Video\": \"None\", \"Content\": \"None\"}}", "Loud"),
        ("{\"ExternalUserId\": \"user\", \"Capabilities\": {\"Audio\": \"None\"}}", "Capabilities.Video` is required"),
    ] {
        let c = client_with(&emu, |b| {
            b.retry_config(RetryConfig::disabled()).interceptor(Rewrite::Body(body))
        });
        let err = c.create_attendee().meeting_id(&id).external_user_id("user").send().await.unwrap_err();
        let msg = assert_error(err, 400, "BadRequestException", "BadRequest");
        assert!(msg.contains(expect), "{body}: {msg}");
    }
    emu.shutdown().await;
}

/// Targets are read by the generated bindings: percent-encoded labels are decoded,
/// and a target no operation binds is an unknown operation even when it is signed
/// correctly and its path belongs to another method.
#[tokio::test]
async fn targets_are_read_by_the_bindings() {
    let emu = emulator().await;
    let c = one_shot(&emu);
    let id = new_meeting(&c, None).await;
    let aid = attendee(&c, &id, "someone").await.attendee_id.unwrap();
    let rewritten = |method: &'static str, target: String| {
        client_with(&emu, |b| {
            b.retry_config(RetryConfig::disabled())
                .interceptor(Rewrite::Target(method, target))
        })
    };

    // Every character of the label percent-encoded.
    let encoded: String = id.bytes().map(|b| format!("%{b:02X}")).collect();
    let got = rewritten("GET", format!("/meetings/{encoded}"))
        .get_meeting()
        .meeting_id(&id)
        .send()
        .await
        .unwrap();
    assert_eq!(got.meeting.unwrap().meeting_id, Some(id.clone()));

    for (method, target, hint) in [
        (
            "GET",
            format!("/meetings/{id}/attendees/{aid}/capabilities"),
            "PUT",
        ),
        (
            "POST",
            format!("/meetings/{id}/transcription?operation=pause"),
            "",
        ),
        ("DELETE", "/tags".to_string(), "GET"),
    ] {
        let err = rewritten(method, target.clone())
            .get_meeting()
            .meeting_id(&id)
            .send()
            .await
            .unwrap_err();
        let msg = assert_error(err, 404, "UnknownOperationException", "UnknownOperation");
        assert!(msg.contains(&target) && msg.contains(hint), "{msg}");
    }

    let err = rewritten("GET", "/meetings/%FF".to_string())
        .get_meeting()
        .meeting_id(&id)
        .send()
        .await
        .unwrap_err();
    let msg = assert_error(err, 400, "BadRequestException", "BadRequest");
    assert!(msg.contains("%FF"), "{msg}");
    emu.shutdown().await;
}

#[tokio::test]
async fn bad_signatures_are_refused_with_the_service_errors() {
    let emu = emulator().await;
    let id = new_meeting(&one_shot(&emu), None).await;
    let get = |c: Client| {
        let id = id.clone();
        async move { c.get_meeting().meeting_id(id).send().await.unwrap_err() }
    };
    let no_retry =
        |b: chime_caps_generated::config::Builder| b.retry_config(RetryConfig::disabled());

    let c = client_with(&emu, |b| {
        no_retry(b).interceptor(Rewrite::DropAuthorization)
    });
    let msg = assert_error(get(c).await, 401, "UnauthorizedException", "Unauthorized");
    assert!(msg.contains("Authorization"), "{msg}");

    let creds = |k: &str, s: &str| aws_credential_types::Credentials::new(k, s, None, None, "test");
    let c = client_with(&emu, |b| {
        no_retry(b).credentials_provider(creds("AKIDCHIMECAPSEMULATOR", "wrong"))
    });
    let msg = assert_error(get(c).await, 403, "ForbiddenException", "Forbidden");
    assert!(msg.contains("signature"), "{msg}");

    let c = client_with(&emu, |b| {
        no_retry(b).credentials_provider(creds("AKIDSOMEONEELSE", "x"))
    });
    let msg = assert_error(get(c).await, 401, "UnauthorizedException", "Unauthorized");
    assert!(msg.contains("AKIDSOMEONEELSE"), "{msg}");

    let c = client_with(&emu, |b| no_retry(b).interceptor(Rewrite::Service("s3")));
    let msg = assert_error(get(c).await, 403, "ForbiddenException", "Forbidden");
    assert!(msg.contains("'s3'") && msg.contains("'chime'"), "{msg}");

    for skew in [-360i64, 360] {
        let at = if skew < 0 {
            SystemTime::now() - Duration::from_secs(skew.unsigned_abs())
        } else {
            SystemTime::now() + Duration::from_secs(skew as u64)
        };
        let c = client_with(&emu, |b| {
            no_retry(b).time_source(aws_smithy_async::time::StaticTimeSource::new(at))
        });
        let msg = assert_error(get(c).await, 403, "ForbiddenException", "Forbidden");
        assert!(msg.contains("300 seconds"), "{msg}");
    }
    // A credential scope for another region than the emulator's (AWS answers 403 too).
    let c = client_with(&emu, |b| {
        no_retry(b).region(aws_types::region::Region::new("eu-west-1"))
    });
    let msg = assert_error(get(c).await, 403, "ForbiddenException", "Forbidden");
    assert!(
        msg.contains("'eu-west-1'") && msg.contains("'us-east-1'"),
        "{msg}"
    );

    // A signed session token, although the emulator's credentials have none.
    let c = client_with(&emu, |b| {
        no_retry(b).credentials_provider(aws_credential_types::Credentials::new(
            "AKIDCHIMECAPSEMULATOR",
            "chime-caps-emulator-secret",
            Some("a-token-nobody-issued".into()),
            None,
            "test",
        ))
    });
    let msg = assert_error(get(c).await, 401, "UnauthorizedException", "Unauthorized");
    assert!(msg.contains("x-amz-security-token"), "{msg}");

    // A skew under five minutes is fine.
    let at = SystemTime::now() - Duration::from_secs(200);
    let c = client_with(&emu, |b| {
        no_retry(b).time_source(aws_smithy_async::time::StaticTimeSource::new(at))
    });
    c.get_meeting().meeting_id(&id).send().await.unwrap();
    emu.shutdown().await;
}

#[tokio::test]
async fn faults_are_injected_on_demand() {
    let emu = emulator().await;
    let retrying = client_with(&emu, |b| b);
    let c = one_shot(&emu);
    let id = new_meeting(&c, None).await;

    // Throttling twice, then success: the SDK's retries absorb it.
    let before = emu.requests_served();
    emu.faults().fail_next(2, Fault::throttling());
    retrying.get_meeting().meeting_id(&id).send().await.unwrap();
    assert_eq!(emu.requests_served() - before, 3);

    for (fault, status, error_type) in [
        (Fault::throttling(), 429, "ThrottlingException"),
        (Fault::service_failure(), 500, "ServiceFailureException"),
        (
            Fault::service_unavailable(Some(Duration::from_secs(3))),
            503,
            "ServiceUnavailableException",
        ),
    ] {
        emu.faults().fail_next(1, fault);
        let err = c.get_meeting().meeting_id(&id).send().await.unwrap_err();
        let (got, ty, _) = wire_error(&err);
        assert_eq!((got, ty.as_str()), (status, error_type));
        if status == 503 {
            assert_eq!(
                err.raw_response().unwrap().headers().get("retry-after"),
                Some("3")
            );
        }
    }
    c.get_meeting().meeting_id(&id).send().await.unwrap();

    emu.faults()
        .fail_next(1, Fault::Delay(Duration::from_millis(300)));
    let start = Instant::now();
    c.get_meeting().meeting_id(&id).send().await.unwrap();
    assert!(start.elapsed() >= Duration::from_millis(300));

    emu.faults().fail_next(1, Fault::DropConnection);
    let err = c.get_meeting().meeting_id(&id).send().await.unwrap_err();
    assert!(err.raw_response().is_none(), "{err:?}");
    emu.faults().fail_next(1, Fault::DropConnection);
    retrying.get_meeting().meeting_id(&id).send().await.unwrap();
    assert_eq!(emu.faults().pending(), 0);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_lose_no_updates() {
    let emu = emulator().await;
    let c = one_shot(&emu);
    let id = new_meeting(&c, None).await;

    let creates = (0..40).map(|n| {
        let (c, id) = (c.clone(), id.clone());
        tokio::spawn(async move {
            attendee(&c, &id, &format!("user-{n}"))
                .await
                .attendee_id
                .unwrap()
        })
    });
    let mut ids = Vec::new();
    for task in creates {
        ids.push(task.await.unwrap());
    }
    let listed: HashSet<String> = all_attendees(&c, &id, 7)
        .await
        .into_iter()
        .map(|a| a.attendee_id.unwrap())
        .collect();
    assert_eq!(listed, ids.iter().cloned().collect::<HashSet<_>>());

    // Batches with different capabilities race with each other and with single
    // updates of the excluded attendee; every batch applies to all others at once.
    let excluded = Arc::new(ids[0].clone());
    let variants = [
        caps(M::Receive, M::None, M::None),
        caps(M::None, M::Receive, M::None),
    ];
    let mut tasks = Vec::new();
    for n in 0..20 {
        let (c, id, excluded, v) = (
            c.clone(),
            id.clone(),
            excluded.clone(),
            variants[n % 2].clone(),
        );
        tasks.push(tokio::spawn(async move {
            if n % 5 == 0 {
                c.update_attendee_capabilities()
                    .meeting_id(&id)
                    .attendee_id(excluded.as_str())
                    .capabilities(caps(M::Send, M::None, M::None))
                    .send()
                    .await
                    .map(|_| ())
                    .unwrap();
            } else {
                c.batch_update_attendee_capabilities_except()
                    .meeting_id(&id)
                    .excluded_attendee_ids(item(excluded.as_str()))
                    .capabilities(v)
                    .send()
                    .await
                    .map(|_| ())
                    .unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let (presenter, others): (Vec<_>, Vec<_>) = all_attendees(&c, &id, 100)
        .await
        .into_iter()
        .partition(|a| a.attendee_id.as_deref() == Some(excluded.as_str()));
    let first = others[0].capabilities.clone().unwrap();
    assert!(
        others
            .iter()
            .all(|a| a.capabilities.as_ref() == Some(&first)),
        "a batch was applied partially: {others:?}"
    );
    assert!(variants.contains(&first));
    assert_eq!(
        presenter[0].capabilities,
        Some(caps(M::Send, M::None, M::None))
    );
    emu.shutdown().await;
}
