//! The demo runs offline, exits 0, and shows every rule caught locally and by the
//! emulator, the notices and the summary.
#![cfg(feature = "emulator")]

use assert_cmd::Command;

#[tokio::test]
async fn the_demo_shows_every_corner_case() {
    let mut out = Vec::new();
    chime_caps::demo::run(&mut out)
        .await
        .expect("the demo succeeds");
    let text = String::from_utf8(out).unwrap();
    for expected in [
        "Emulator running in-process at http://127.0.0.1:",
        "-> Mute everyone except the presenter: BatchUpdateAttendeeCapabilitiesExcept",
        "-> Promote a viewer to presenter",
        "notices (3):",
        "(AudioMayFlow)",
        "(NeedsRenegotiation)",
        "caught locally, nothing sent (ContentNeedsVideo):",
        "caught locally, nothing sent (ContentDisabled):",
        "caught locally, nothing sent (VideoDisabled):",
        "same request with validation off -> emulator: 400 BadRequestException:",
        "== Summary",
        "| 7 | Turn a camera on",
        "| 8 | Mute, keeping the default video",
        "9 calls: 5 accepted, 4 caught locally",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    // The attendee tables show the batch applied to everyone but the presenter.
    assert!(
        text.contains("| presenter | SendReceive | SendReceive | SendReceive |"),
        "{text}"
    );
    assert!(
        text.contains("| bob       | Receive     | Receive     | Receive     |"),
        "{text}"
    );
    assert_eq!(text.matches("rejected: ").count(), 4, "{text}");
}

#[test]
fn the_demo_binary_exits_zero_without_network_or_credentials() {
    let output = Command::cargo_bin("chime-caps")
        .unwrap()
        .arg("demo")
        // No account, no region, no profile: the demo needs none of them.
        .env_clear()
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{output:?}");
    assert!(stdout.contains("== Summary"), "{stdout}");
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
