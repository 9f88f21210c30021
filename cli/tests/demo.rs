//! The demo binary runs offline and exits 0 (what it prints is checked by the unit
//! tests of `src/demo.rs`).

use assert_cmd::Command;

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
