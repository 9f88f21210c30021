//! Property test: for random meetings, attendees and capability updates, the
//! client's local verdict equals the service's (an in-process stand-in that applies
//! the seed table), and the notices of accepted changes follow an independent model
//! of the attendees' capabilities. Ids are sent in random case.

mod support;

use std::collections::HashMap;

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use chime_caps::error::ProvideErrorMetadata;
use chime_caps::rules::{NoticeKind, Rule};
use chime_caps::types::{AttendeeCapabilities, ContentResolution, VideoResolution};
use chime_caps::validation::{
    CapabilityErrorExt, CapabilityReport, SendWithReport, ValidationClientExt, ValidationMode,
    ValidationSettings,
};
use chime_caps::Client;
use proptest::prelude::*;
use support::service::FakeService;
use support::{caps, create_meeting, expected_rule, features, item, MEDIA};

/// Capabilities as indexes into [`MEDIA`] (0 None, 1 Receive, 2 Send, 3 SendReceive):
/// audio, video, content.
type Caps = [usize; 3];

#[derive(Debug, Clone)]
enum Step {
    Update {
        attendee: usize,
        caps: Caps,
    },
    /// Excludes the attendees whose bit is set (none at all is a constraint breach).
    Batch {
        excluded: u8,
        caps: Caps,
    },
}

#[derive(Debug, Clone)]
struct Case {
    video: Option<VideoResolution>,
    content: Option<ContentResolution>,
    /// Whether the checking client saw the meeting created (else it knows nothing).
    known: bool,
    attendees: Vec<Option<Caps>>,
    steps: Vec<Step>,
    /// Which letters of the ids the calls spell in upper case.
    spelling: u64,
}

fn caps_strategy() -> impl Strategy<Value = Caps> {
    [0..4usize, 0..4usize, 0..4usize]
}

fn case_strategy() -> impl Strategy<Value = Case> {
    let video = prop_oneof![
        Just(None),
        Just(Some(VideoResolution::None)),
        Just(Some(VideoResolution::Hd)),
        Just(Some(VideoResolution::Fhd))
    ];
    let content = prop_oneof![
        Just(None),
        Just(Some(ContentResolution::None)),
        Just(Some(ContentResolution::Fhd)),
        Just(Some(ContentResolution::Uhd))
    ];
    let step = prop_oneof![
        (0..3usize, caps_strategy()).prop_map(|(attendee, caps)| Step::Update { attendee, caps }),
        (0..8u8, caps_strategy()).prop_map(|(excluded, caps)| Step::Batch { excluded, caps }),
    ];
    (
        video,
        content,
        any::<bool>(),
        prop::collection::vec(prop::option::of(caps_strategy()), 1..4),
        prop::collection::vec(step, 1..6),
        any::<u64>(),
    )
        .prop_map(|(video, content, known, attendees, steps, spelling)| Case {
            video,
            content,
            known,
            attendees,
            steps,
            spelling,
        })
}

/// The notices of going from `from` to `to`: (capability index, kind).
fn expected_notices(from: Caps, to: Caps) -> Vec<(usize, NoticeKind)> {
    let sends = |i: usize| i >= 2;
    (0..3)
        .filter(|&m| !sends(from[m]) && sends(to[m]))
        .map(|m| {
            (
                m,
                if m == 0 {
                    NoticeKind::AudioMayFlow
                } else {
                    NoticeKind::NeedsRenegotiation
                },
            )
        })
        .collect()
}

fn to_caps(c: Caps) -> AttendeeCapabilities {
    caps(
        MEDIA[c[0]].clone(),
        MEDIA[c[1]].clone(),
        MEDIA[c[2]].clone(),
    )
}

fn from_caps(c: &AttendeeCapabilities) -> Caps {
    [&c.audio, &c.video, &c.content]
        .map(|m| MEDIA.iter().position(|x| x == m).expect("a model value"))
}

/// What one side said about a call.
#[derive(Debug, PartialEq)]
enum Verdict {
    Accepted,
    Rule(Rule),
    Constraint,
}

fn server_verdict<E: ProvideErrorMetadata + std::error::Error + 'static, O>(
    result: &Result<O, chime_caps::error::SdkError<E, HttpResponse>>,
) -> Verdict {
    match result {
        Ok(_) => Verdict::Accepted,
        Err(err) => {
            let service = err
                .as_service_error()
                .unwrap_or_else(|| panic!("a service answer, got {err:?}"));
            assert_eq!(service.code(), Some("BadRequestException"), "{err:?}");
            let message = service.message().unwrap_or_default();
            Rule::ALL
                .into_iter()
                .find(|r| message.contains(r.as_str()))
                .map_or(Verdict::Constraint, Verdict::Rule)
        }
    }
}

fn local_verdict<E: std::error::Error + 'static, O>(
    result: &Result<(O, CapabilityReport), chime_caps::error::SdkError<E, HttpResponse>>,
) -> Option<Verdict> {
    let err = result.as_ref().err()?;
    let local = err.as_validation_error()?;
    Some(local.rule().map_or(Verdict::Constraint, Verdict::Rule))
}

/// `id` with the letters the bits of `mask` pick in upper case.
fn spelled(id: &str, mask: u64) -> String {
    id.chars()
        .enumerate()
        .map(|(i, c)| {
            if mask & (1 << (i % 64)) != 0 {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect()
}

async fn run(case: Case) -> Result<(), TestCaseError> {
    let service = FakeService::new();
    // The service checks the model's constraints too, so the client must.
    let client = service.client(ValidationSettings::new().model_constraints(true));
    let off = service.client_in(ValidationMode::Off);
    let creator = if case.known { &client } else { &off };
    let meeting = create_meeting(
        creator,
        Some(features(case.video.clone(), case.content.clone())),
    )
    .await;
    let video_enabled = case.video != Some(VideoResolution::None);
    let content_enabled = case.content != Some(ContentResolution::None);

    // The attendees, with what the service holds and whether the client knows it.
    let mut ids = Vec::new();
    let mut model: HashMap<String, (Caps, bool)> = HashMap::new();
    for requested in &case.attendees {
        let created = creator
            .create_attendee()
            .meeting_id(&meeting)
            .external_user_id(format!("user-{}", ids.len()))
            .set_capabilities(requested.map(to_caps))
            .send()
            .await;
        let Ok(created) = created else { continue }; // capabilities this meeting refuses
        let attendee = created.attendee.expect("attendee");
        let id = attendee.attendee_id.expect("id");
        model.insert(
            id.clone(),
            (
                from_caps(&attendee.capabilities.expect("capabilities")),
                case.known,
            ),
        );
        ids.push(id);
    }
    prop_assume!(!ids.is_empty());
    let meeting = spelled(&meeting, case.spelling);

    for step in &case.steps {
        let (requested, targets, local, server) = match step {
            Step::Update { attendee, caps } => {
                let id = &ids[attendee % ids.len()];
                let send = |c: &Client| {
                    c.update_attendee_capabilities()
                        .meeting_id(&meeting)
                        .attendee_id(spelled(id, !case.spelling))
                        .capabilities(to_caps(*caps))
                };
                let result = send(&client).send_with_report(&client.validation()).await;
                let local = local_verdict(&result);
                let server = match &local {
                    Some(_) => server_verdict(&send(&off).send().await),
                    None => server_verdict(&result),
                };
                (
                    *caps,
                    vec![id.clone()],
                    (local, result.ok().map(|(_, r)| r)),
                    server,
                )
            }
            Step::Batch { excluded, caps } => {
                let excluded: Vec<&String> = ids
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| excluded & (1 << i) != 0)
                    .map(|(_, id)| id)
                    .collect();
                let send = |c: &Client| {
                    c.batch_update_attendee_capabilities_except()
                        .meeting_id(&meeting)
                        .set_excluded_attendee_ids(Some(
                            excluded
                                .iter()
                                .map(|id| item(&spelled(id, case.spelling.rotate_left(7))))
                                .collect(),
                        ))
                        .capabilities(to_caps(*caps))
                };
                let result = send(&client).send_with_report(&client.validation()).await;
                let local = local_verdict(&result);
                let server = match &local {
                    Some(_) => server_verdict(&send(&off).send().await),
                    None => server_verdict(&result),
                };
                let targets = ids
                    .iter()
                    .filter(|id| !excluded.contains(id))
                    .cloned()
                    .collect();
                (*caps, targets, (local, result.ok().map(|(_, r)| r)), server)
            }
        };
        let (local, report) = local;
        let want = expected_rule(video_enabled, content_enabled, requested[1], requested[2]);
        match local {
            // Rejected locally: the service rejects it too, for the same reason (a
            // client that does not know the meeting can only name ContentNeedsVideo,
            // where the service may name a feature rule it checks first).
            Some(Verdict::Rule(Rule::ContentNeedsVideo)) if !case.known => {
                prop_assert!(
                    matches!(server, Verdict::Rule(_)),
                    "{:?}: the service answered {:?}",
                    step,
                    server
                )
            }
            Some(verdict) => prop_assert_eq!(&verdict, &server, "{:?}", step),
            // Sent: only a client that does not know the meeting may miss a feature rule.
            None => match &server {
                Verdict::Accepted => {}
                Verdict::Rule(rule) if !case.known && *rule != Rule::ContentNeedsVideo => {}
                other => prop_assert!(
                    false,
                    "sent, but the service answered {other:?} to {step:?}"
                ),
            },
        }
        if let Verdict::Rule(rule) = &server {
            prop_assert_eq!(Some(*rule), want, "the service agrees with the seed table");
        }
        if server != Verdict::Accepted {
            continue;
        }
        // Accepted: the notices are those of the attendees the client knew.
        let report = report.expect("accepted calls come with a report");
        let mut want_notices: Vec<(String, usize, NoticeKind)> = Vec::new();
        for id in &targets {
            let (current, known) = model[id];
            if known {
                want_notices.extend(
                    expected_notices(current, requested)
                        .into_iter()
                        .map(|(m, k)| (id.clone(), m, k)),
                );
            }
        }
        let field_index = |f: &str| {
            [
                "Capabilities.Audio",
                "Capabilities.Video",
                "Capabilities.Content",
            ]
            .iter()
            .position(|x| *x == f)
            .unwrap()
        };
        let mut got: Vec<_> = report
            .notices
            .iter()
            .map(|n| {
                (
                    n.attendee_id().expect("an existing attendee").to_owned(),
                    field_index(n.notice.field),
                    n.notice.kind,
                )
            })
            .collect();
        got.sort();
        want_notices.sort();
        prop_assert_eq!(got, want_notices, "{:?}", step);
        // Update both models: the client learns an updated attendee; a batch only
        // updates attendees it already knew.
        let single = matches!(step, Step::Update { .. });
        for id in &targets {
            let entry = model.get_mut(id).unwrap();
            *entry = (requested, entry.1 || single);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn client_verdicts_and_notices_match_the_service(case in case_strategy()) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(run(case))?;
    }
}
