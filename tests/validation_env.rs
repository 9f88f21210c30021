//! `CHIME_CAPS_VALIDATION` overrides the configured, per-call and per-override modes.
//! Alone in its own test binary because it changes the process environment.

mod support;

use chime_caps::config::Config;
use chime_caps::types::{MediaCapabilities as M, VideoResolution};
use chime_caps::validation::{
    CapabilityErrorExt, SendWithReport, ValidationClientExt, ValidationConfigExt, ValidationMode,
    ValidationSettings, ENV_VAR,
};
use support::service::FakeService;
use support::{caps, create_attendee, create_meeting, features, video_off};

#[tokio::test]
async fn the_environment_overrides_every_mode_and_is_read_once_per_client() {
    let service = FakeService::new();
    let creator = service.client_in(ValidationMode::Off);
    let meeting = create_meeting(&creator, Some(features(Some(VideoResolution::None), None))).await;
    let attendee = create_attendee(&creator, &meeting, None).await;
    let video = caps(M::None, M::Receive, M::None);

    std::env::set_var(ENV_VAR, "OFF");
    let bypassed = service.client_in(ValidationMode::Enforce);
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
    let before = service.requests_served();
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
    assert_eq!(service.requests_served() - before, 1);
    // ... and despite a per-call override.
    let err = bypassed
        .update_attendee_capabilities()
        .meeting_id(&meeting)
        .attendee_id(&attendee)
        .capabilities(video.clone())
        .customize()
        .config_override(
            Config::builder().validation(ValidationSettings::new().mode(ValidationMode::Enforce)),
        )
        .send()
        .await
        .unwrap_err();
    assert!(err.as_service_error().is_some(), "{err:?}");
    assert_eq!(service.requests_served() - before, 2);

    std::env::set_var(ENV_VAR, "warn");
    assert_eq!(
        service
            .client_in(ValidationMode::Enforce)
            .validation()
            .mode(),
        ValidationMode::Warn
    );

    // A value that is not a mode is ignored (with a warning), never fatal.
    std::env::set_var(ENV_VAR, "of");
    let typo = service.client_in(ValidationMode::Enforce);
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
