//! `CHIME_CAPS_VALIDATION` overrides the configured and per-call modes. Alone in its
//! own test binary because it changes the process environment.
#![cfg(feature = "emulator")]

mod support;

use chime_caps::types::{MediaCapabilities as M, VideoResolution};
use chime_caps::validation::{CapabilityErrorExt, SendWithReport, ValidationMode, ENV_VAR};
use support::{caps, client_in, create_attendee, create_meeting, emulator, features, video_off};

#[tokio::test]
async fn the_environment_overrides_every_mode_and_is_read_once_per_client() {
    let emulator = emulator().await;
    let creator = client_in(&emulator, ValidationMode::Off);
    let meeting = create_meeting(&creator, Some(features(Some(VideoResolution::None), None))).await;
    let attendee = create_attendee(&creator, &meeting, None).await;
    let video = caps(M::None, M::Receive, M::None);

    std::env::set_var(ENV_VAR, "OFF");
    let bypassed = client_in(&emulator, ValidationMode::Enforce);
    std::env::remove_var(ENV_VAR);
    bypassed
        .validation()
        .register_meeting(&meeting, video_off());
    assert_eq!(
        bypassed.validation().env_override(),
        Some(ValidationMode::Off)
    );
    assert_eq!(
        bypassed
            .validation()
            .with_mode(ValidationMode::Enforce)
            .mode(),
        ValidationMode::Off
    );
    // Sent despite the config and the per-call mode: the service answers 400.
    let before = emulator.requests_served();
    let err = bypassed
        .update_attendee_capabilities()
        .meeting_id(&meeting)
        .attendee_id(&attendee)
        .capabilities(video.clone())
        .send_with_report(&bypassed.validation().with_mode(ValidationMode::Enforce))
        .await
        .unwrap_err();
    assert!(
        err.as_validation_error().is_none() && err.as_service_error().is_some(),
        "{err:?}"
    );
    assert_eq!(emulator.requests_served() - before, 1);

    std::env::set_var(ENV_VAR, "warn");
    assert_eq!(
        client_in(&emulator, ValidationMode::Enforce)
            .validation()
            .mode(),
        ValidationMode::Warn
    );

    // A value that is not a mode is ignored (with a warning), never fatal.
    std::env::set_var(ENV_VAR, "of");
    let typo = client_in(&emulator, ValidationMode::Enforce);
    std::env::remove_var(ENV_VAR);
    assert_eq!(
        (typo.validation().env_override(), typo.validation().mode()),
        (None, ValidationMode::Enforce)
    );
    typo.validation().register_meeting(&meeting, video_off());
    let err = typo
        .update_attendee_capabilities()
        .meeting_id(&meeting)
        .attendee_id(&attendee)
        .capabilities(video)
        .send()
        .await
        .unwrap_err();
    assert!(err.as_capability_violation().is_some());

    // Read once: the first client keeps its override after the variable is gone.
    assert_eq!(bypassed.validation().mode(), ValidationMode::Off);
}
