//! The `chime-caps` binary against a standalone emulator (`chime-caps emulator`):
//! outputs, notices, local rejections, dry runs, lookups, `--cli-input-json`, and
//! the exit codes of bad arguments, configuration, service and connection errors.

use std::io::{BufRead, BufReader, Read};
use std::net::TcpListener;
use std::process::{Child, ChildStdout, Command as StdCommand, Output, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::cargo_bin;
use assert_cmd::Command;
use aws_credential_types::provider::SharedCredentialsProvider;
use aws_credential_types::Credentials;
use aws_smithy_types::retry::RetryConfig;
use aws_types::region::Region;
use aws_types::SdkConfig;

use chime_caps::emulator::{DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY};
use chime_caps_generated::types::{
    AttendeeCapabilities, ContentFeatures, ContentResolution, MediaCapabilities as M,
    MeetingFeaturesConfiguration, VideoFeatures, VideoResolution,
};

fn caps(audio: M, video: M, content: M) -> AttendeeCapabilities {
    AttendeeCapabilities::builder()
        .audio(audio)
        .video(video)
        .content(content)
        .build()
        .expect("all members set")
}

fn features(video: VideoResolution, content: ContentResolution) -> MeetingFeaturesConfiguration {
    MeetingFeaturesConfiguration::builder()
        .video(VideoFeatures::builder().max_resolution(video).build())
        .content(ContentFeatures::builder().max_resolution(content).build())
        .build()
}

/// A `chime-caps emulator` process, killed on drop.
struct Standalone {
    child: Child,
    stdout: BufReader<ChildStdout>,
    url: String,
    banner: String,
}

impl Standalone {
    fn start(extra: &[&str]) -> Self {
        let mut child = StdCommand::new(cargo_bin("chime-caps"))
            .args(["emulator", "--port", "0"])
            .args(extra)
            .env_clear()
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn the emulator");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut banner = String::new();
        while !banner.contains("Press Ctrl-C to stop.") {
            let read = stdout.read_line(&mut banner).unwrap();
            assert!(read > 0, "the emulator exited early; it printed: {banner}");
        }
        let url = banner
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("Chime SDK Meetings emulator listening on "))
            .expect("the first line names the endpoint")
            .to_string();
        Standalone {
            child,
            stdout,
            url,
            banner,
        }
    }

    /// A generated client (no local validation) for setting up meetings.
    fn client(&self) -> chime_caps_generated::Client {
        let sdk = SdkConfig::builder()
            .behavior_version(
                aws_smithy_runtime_api::client::behavior_version::BehaviorVersion::latest(),
            )
            .region(Region::new("us-east-1"))
            .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
                DEFAULT_ACCESS_KEY_ID,
                DEFAULT_SECRET_ACCESS_KEY,
                None,
                None,
                "test",
            )))
            .endpoint_url(&self.url)
            .retry_config(RetryConfig::disabled())
            .build();
        chime_caps_generated::Client::new(&sdk)
    }

    /// `chime-caps ARGS --endpoint-url URL` with the emulator's credentials in the
    /// environment (and nothing else from it).
    fn cli(&self, args: &[&str]) -> Output {
        cli_env(args)
            .args(["--endpoint-url", &self.url])
            .env("AWS_ACCESS_KEY_ID", DEFAULT_ACCESS_KEY_ID)
            .env("AWS_SECRET_ACCESS_KEY", DEFAULT_SECRET_ACCESS_KEY)
            .env("AWS_REGION", "us-east-1")
            .output()
            .unwrap()
    }
}

impl Drop for Standalone {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `chime-caps ARGS` in an environment with no AWS settings and no metadata service.
fn cli_env(args: &[&str]) -> Command {
    let mut cmd = Command::cargo_bin("chime-caps").unwrap();
    cmd.args(args)
        .env_clear()
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_CONFIG_FILE", "/nonexistent/chime-caps-test-config")
        .env(
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/chime-caps-test-credentials",
        )
        .timeout(Duration::from_secs(60));
    cmd
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Asserts the exit code and returns (stdout, stderr).
fn expect(output: Output, code: i32) -> (String, String) {
    let (out, err) = (text(&output.stdout), text(&output.stderr));
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout:\n{out}\nstderr:\n{err}"
    );
    (out, err)
}

/// Asserts a failure with one line on stderr containing `needle`.
fn expect_error(output: Output, code: i32, needle: &str) -> String {
    let (out, err) = expect(output, code);
    assert!(out.is_empty(), "stdout should be empty: {out}");
    let lines: Vec<&str> = err.lines().filter(|l| !l.starts_with("warning:")).collect();
    assert_eq!(lines.len(), 1, "one error line expected: {err}");
    assert!(lines[0].contains(needle), "{needle:?} not in {err}");
    err
}

/// A meeting with `video`/`content` resolutions and attendees created with `initial`.
async fn meeting(
    client: &chime_caps_generated::Client,
    video: VideoResolution,
    content: ContentResolution,
    initial: AttendeeCapabilities,
    attendees: usize,
) -> (String, Vec<String>) {
    let meeting_id = client
        .create_meeting()
        .client_request_token(format!("cli-{}", std::process::id()))
        .media_region("us-east-1")
        .external_meeting_id("cli-test")
        .meeting_features(features(video, content))
        .send()
        .await
        .unwrap()
        .meeting
        .unwrap()
        .meeting_id
        .unwrap();
    let mut ids = Vec::new();
    for n in 0..attendees {
        let a = client
            .create_attendee()
            .meeting_id(&meeting_id)
            .external_user_id(format!("user-{n}"))
            .capabilities(initial.clone())
            .send()
            .await
            .unwrap();
        ids.push(a.attendee.unwrap().attendee_id.unwrap());
    }
    (meeting_id, ids)
}

async fn current(client: &chime_caps_generated::Client, m: &str, a: &str) -> AttendeeCapabilities {
    let out = client
        .get_attendee()
        .meeting_id(m)
        .attendee_id(a)
        .send()
        .await
        .unwrap();
    out.attendee.unwrap().capabilities.unwrap()
}

/// A loopback port nothing listens on.
fn closed_port_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}

#[test]
fn the_emulator_prints_how_to_reach_it_and_stops_on_ctrl_c() {
    let mut emu = Standalone::start(&[
        "--region",
        "eu-central-1",
        "--access-key-id",
        "AKIDTEST",
        "--secret-access-key",
        "s3cret",
    ]);
    assert!(emu.url.starts_with("http://127.0.0.1:"), "{}", emu.url);
    for expected in [
        "region:            eu-central-1",
        "AKIDTEST",
        "s3cret",
        "--endpoint-url http://127.0.0.1:",
    ] {
        assert!(
            emu.banner.contains(expected),
            "{expected:?} not in {}",
            emu.banner
        );
    }
    let status = StdCommand::new("kill")
        .args(["-INT", &emu.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let started = Instant::now();
    let exit = loop {
        if let Some(exit) = emu.child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the emulator did not stop"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(exit.success(), "{exit:?}");
    let mut rest = String::new();
    emu.stdout.read_to_string(&mut rest).unwrap();
    assert!(
        rest.contains("Emulator stopped after 0 request(s)."),
        "{rest}"
    );
}

#[tokio::test]
async fn update_prints_the_response_and_the_notices() {
    let emu = Standalone::start(&[]);
    let c = emu.client();
    let (m, ids) = meeting(
        &c,
        VideoResolution::Hd,
        ContentResolution::Fhd,
        caps(M::Receive, M::Receive, M::None),
        1,
    )
    .await;
    let (out, err) = expect(
        emu.cli(&[
            "update-attendee-capabilities",
            "--meeting-id",
            &m,
            "--attendee-id",
            &ids[0],
            "--capabilities",
            "Audio=SendReceive,Video=Receive,Content=Receive",
        ]),
        0,
    );
    let json: serde_json::Value = serde_json::from_str(&out).expect("JSON on stdout");
    assert_eq!(json["Attendee"]["AttendeeId"], ids[0].as_str());
    assert_eq!(
        json["Attendee"]["Capabilities"],
        serde_json::json!({"Audio": "SendReceive", "Video": "Receive", "Content": "Receive"})
    );
    assert!(
        out.contains("\n    \"Attendee\": {"),
        "AWS CLI indentation: {out}"
    );
    assert!(err.contains(&format!("notice: attendee {}: Capabilities.Audio goes from Receive to SendReceive (AudioMayFlow)", ids[0])), "{err}");
    assert_eq!(
        current(&c, &m, &ids[0]).await,
        caps(M::SendReceive, M::Receive, M::Receive)
    );

    // --output table, JSON capabilities.
    let (out, _) = expect(
        emu.cli(&[
            "update-attendee-capabilities",
            "--meeting-id",
            &m,
            "--attendee-id",
            &ids[0],
            "--capabilities",
            r#"{"Audio":"None","Video":"None","Content":"None"}"#,
            "--output",
            "table",
        ]),
        0,
    );
    assert!(out.contains("UpdateAttendeeCapabilities"), "{out}");
    assert!(out.contains("| Attendee.Capabilities.Audio"), "{out}");
}

#[tokio::test]
async fn rule_breaches_are_rejected_locally_or_by_the_service() {
    let emu = Standalone::start(&[]);
    let c = emu.client();
    let initial = caps(M::SendReceive, M::None, M::None);
    let (m, ids) = meeting(
        &c,
        VideoResolution::None,
        ContentResolution::Fhd,
        initial.clone(),
        1,
    )
    .await;
    let with_caps = |capabilities: &str, extra: &[&str]| {
        let mut args = vec![
            "update-attendee-capabilities",
            "--meeting-id",
            &m,
            "--attendee-id",
            &ids[0],
        ];
        args.extend(["--capabilities", capabilities]);
        args.extend(extra);
        emu.cli(&args)
    };
    let run = |extra: &[&str]| with_caps("Audio=SendReceive,Video=Receive,Content=None", extra);

    // Enforce (default): GetMeeting taught the CLI that video is off.
    let err = expect_error(run(&[]), 251, "rejected locally, nothing was sent");
    assert!(err.contains("VideoDisabled"), "{err}");
    // Off: the emulator answers 400, formatted as the AWS CLI formats service errors.
    let err = expect_error(
        run(&["--validation", "off"]),
        254,
        "An error occurred (BadRequestException) when calling the UpdateAttendeeCapabilities operation:",
    );
    assert!(err.contains("VideoDisabled"), "{err}");
    // Warn: a warning, then the same 400.
    let (_, err) = expect(run(&["--validation", "warn"]), 254);
    assert!(
        err.contains("warning:") && err.contains("VideoDisabled"),
        "{err}"
    );
    // --no-lookup: the features stay unknown, so only the service catches it.
    expect_error(run(&["--no-lookup"]), 254, "(BadRequestException)");
    // ContentNeedsVideo needs no lookup at all.
    expect_error(
        with_caps("Audio=None,Video=None,Content=Receive", &["--no-lookup"]),
        251,
        "ContentNeedsVideo",
    );
    assert_eq!(current(&c, &m, &ids[0]).await, initial, "nothing changed");
}

#[tokio::test]
async fn dry_runs_validate_and_send_nothing() {
    let emu = Standalone::start(&[]);
    let c = emu.client();
    let initial = caps(M::Receive, M::Receive, M::None);
    let (m, ids) = meeting(
        &c,
        VideoResolution::Hd,
        ContentResolution::None,
        initial.clone(),
        1,
    )
    .await;
    let base = [
        "update-attendee-capabilities",
        "--dry-run",
        "--meeting-id",
        &m,
        "--attendee-id",
        &ids[0],
    ];

    let mut ok = base.to_vec();
    ok.extend([
        "--capabilities",
        "Audio=SendReceive,Video=Receive,Content=None",
    ]);
    let (out, err) = expect(emu.cli(&ok), 0);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["DryRun"], true);
    assert_eq!(report["Verdict"], "accepted");
    assert_eq!(report["MeetingFeatures"], "known");
    assert!(
        report["Notices"][0]
            .as_str()
            .unwrap()
            .contains("AudioMayFlow"),
        "{report}"
    );
    assert!(err.is_empty(), "{err}");

    let mut bad = base.to_vec();
    bad.extend(["--capabilities", "Audio=Receive,Video=Receive,Content=Send"]);
    let (out, err) = expect(emu.cli(&bad), 251);
    assert!(out.contains("\"Verdict\": \"rejected\""), "{out}");
    assert!(err.contains("ContentDisabled"), "{err}");
    assert_eq!(
        current(&c, &m, &ids[0]).await,
        initial,
        "a dry run changes nothing"
    );

    // A lookup that cannot connect only warns, quickly; what needs no lookup is checked.
    let url = closed_port_url();
    let start = Instant::now();
    let out = cli_env(&[
        "update-attendee-capabilities",
        "--dry-run",
        "--meeting-id",
        &m,
        "--attendee-id",
        &ids[0],
    ])
    .args([
        "--capabilities",
        "Audio=None,Video=None,Content=Receive",
        "--endpoint-url",
        &url,
        "--region",
        "us-east-1",
    ])
    .env("AWS_ACCESS_KEY_ID", "a")
    .env("AWS_SECRET_ACCESS_KEY", "b")
    .output()
    .unwrap();
    // The lookups are bounded by 3 s altogether.
    assert!(start.elapsed() < Duration::from_secs(6));
    let (_, err) = expect(out, 251);
    assert!(err.contains("warning: could not look up meeting"), "{err}");
    assert!(err.contains("ContentNeedsVideo"), "{err}");

    // A dry run without lookups needs no region and no credentials.
    let out = cli_env(&[
        "update-attendee-capabilities",
        "--dry-run",
        "--no-lookup",
        "--meeting-id",
        &m,
        "--attendee-id",
        &ids[0],
    ])
    .args(["--capabilities", "Audio=None,Video=None,Content=None"])
    .output()
    .unwrap();
    // Its verdict is incomplete, and it says so: two rules could not be checked.
    let (out, err) = expect(out, 250);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["MeetingFeatures"], "unknown");
    assert_eq!(report["Verdict"], "incomplete");
    assert_eq!(
        report["RulesNotChecked"],
        serde_json::json!(["VideoDisabled", "ContentDisabled"])
    );
    assert_eq!(
        report["RulesChecked"],
        serde_json::json!(["model constraints", "ContentNeedsVideo"])
    );
    assert!(
        err.contains("incomplete verdict")
            && err.contains("VideoDisabled and ContentDisabled not checked")
            && err.contains("--no-lookup"),
        "{err}"
    );
    // With the features known, every rule is checked.
    let (out, _) = expect(emu.cli(&ok), 0);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["RulesNotChecked"], serde_json::json!([]));
    assert_eq!(report["RulesChecked"].as_array().unwrap().len(), 4);
    // Validation off checks nothing, on purpose: not an incomplete verdict.
    let mut off = ok.clone();
    off.extend(["--validation", "off"]);
    let (out, _) = expect(emu.cli(&off), 0);
    assert!(out.contains("\"Verdict\": \"not checked\""), "{out}");
}

#[tokio::test]
async fn batch_except_accepts_shorthand_json_and_cli_input_json() {
    let emu = Standalone::start(&[]);
    let c = emu.client();
    let all = caps(M::SendReceive, M::SendReceive, M::SendReceive);
    let (m, ids) = meeting(
        &c,
        VideoResolution::Hd,
        ContentResolution::Fhd,
        all.clone(),
        3,
    )
    .await;
    let muted = caps(M::Receive, M::Receive, M::Receive);

    let (out, err) = expect(
        emu.cli(&[
            "batch-update-attendee-capabilities-except",
            "--meeting-id",
            &m,
            "--excluded-attendee-ids",
            &format!("AttendeeId={}", ids[0]),
            &format!("AttendeeId={}", ids[1]),
            "--capabilities",
            "Audio=Receive,Video=Receive,Content=Receive",
        ]),
        0,
    );
    assert!(out.is_empty(), "an empty response prints nothing: {out}");
    assert!(err.is_empty(), "{err}");
    assert_eq!(current(&c, &m, &ids[0]).await, all);
    assert_eq!(current(&c, &m, &ids[2]).await, muted);

    // JSON list, and notices for every attendee that starts sending.
    let excluded = format!(r#"[{{"AttendeeId":"{}"}}]"#, ids[0]);
    let (_, err) = expect(
        emu.cli(&[
            "batch-update-attendee-capabilities-except",
            "--meeting-id",
            &m,
            "--excluded-attendee-ids",
            &excluded,
            "--capabilities",
            r#"{"Audio":"SendReceive","Video":"Receive","Content":"Receive"}"#,
        ]),
        0,
    );
    assert_eq!(
        err.matches("(AudioMayFlow)").count(),
        1,
        "only user-2 was muted: {err}"
    );

    // --cli-input-json from a file; the command line wins over it.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("input.json");
    let input = serde_json::json!({
        "MeetingId": m,
        "ExcludedAttendeeIds": [{"AttendeeId": ids[2]}],
        "Capabilities": {"Audio": "None", "Video": "None", "Content": "None"},
    });
    std::fs::write(&path, input.to_string()).unwrap();
    let file_arg = format!("file://{}", path.display());
    expect(
        emu.cli(&[
            "batch-update-attendee-capabilities-except",
            "--cli-input-json",
            &file_arg,
            "--capabilities",
            "Audio=Receive,Video=None,Content=None",
        ]),
        0,
    );
    assert_eq!(
        current(&c, &m, &ids[0]).await,
        caps(M::Receive, M::None, M::None)
    );
    assert_eq!(
        current(&c, &m, &ids[2]).await,
        caps(M::SendReceive, M::Receive, M::Receive)
    );

    // An excluded id that is not an attendee: the service's 404.
    expect_error(
        emu.cli(&[
            "batch-update-attendee-capabilities-except",
            "--meeting-id",
            &m,
            "--excluded-attendee-ids",
            "AttendeeId=00000000-0000-4000-8000-000000000000",
            "--capabilities",
            "Audio=Receive,Video=None,Content=None",
        ]),
        254,
        "(NotFoundException)",
    );
}

#[test]
fn bad_arguments_exit_252_with_one_line() {
    let id = "00000000-0000-4000-8000-000000000000";
    let caps = "Audio=None,Video=None,Content=None";
    for (args, needle) in [
        (
            vec![
                "update-attendee-capabilities",
                "--attendee-id",
                id,
                "--capabilities",
                caps,
            ],
            "--meeting-id",
        ),
        (
            vec!["update-attendee-capabilities", "--meetingid", id],
            "unexpected argument '--meetingid'",
        ),
        (
            vec![
                "update-attendee-capabilities",
                "--meeting-id",
                id,
                "--attendee-id",
                id,
                "--capabilities",
                "Audio=None",
            ],
            "Video, Content",
        ),
        (
            vec![
                "update-attendee-capabilities",
                "--meeting-id",
                id,
                "--attendee-id",
                id,
                "--capabilities",
                "Sound=None",
            ],
            "unknown key 'Sound'",
        ),
        (
            vec![
                "batch-update-attendee-capabilities-except",
                "--meeting-id",
                id,
                "--excluded-attendee-ids",
                id,
                "--capabilities",
                caps,
            ],
            "expected AttendeeId=ID",
        ),
        (
            vec![
                "update-attendee-capabilities",
                "--cli-input-json",
                "{\"Meeting\":1}",
            ],
            "unknown parameter in input: \"Meeting\"",
        ),
        (
            vec!["--validation", "strict", "update-attendee-capabilities"],
            "enforce, warn or off",
        ),
        (
            vec![
                "update-attendee-capabilities",
                "--no-lookup",
                "--dry-run",
                "--meeting-id",
                "not-a-guid",
                "--attendee-id",
                id,
                "--capabilities",
                caps,
            ],
            "MeetingId",
        ),
        (vec!["frobnicate"], "unrecognized subcommand"),
        (
            vec![
                "update-attendee-capabilities",
                "--meeting-id",
                id,
                "--attendee-id",
                id,
                "--capabilities",
                "Audio=Send,Audio=None,Video=None,Content=None",
            ],
            "the key 'Audio' is given more than once",
        ),
        (
            vec![
                "update-attendee-capabilities",
                "--meeting-id",
                id,
                "--attendee-id",
                id,
                "--capabilities",
                "Audio=None,,Video=None,Content=None",
            ],
            "is empty",
        ),
        (
            vec![
                "update-attendee-capabilities",
                "--meeting-id",
                id,
                "--attendee-id",
                id,
                "--capabilities",
                "file:///dev/zero",
            ],
            "larger than the limit of 4 MiB",
        ),
        (
            vec![
                "update-attendee-capabilities",
                "--cli-input-json",
                "fileb:///dev/zero",
            ],
            "larger than the limit of 4 MiB",
        ),
    ] {
        let out = cli_env(&args).output().unwrap();
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(252), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {needle:?} not in {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    }
    // No subcommand: the help, and 252.
    let out = cli_env(&[]).output().unwrap();
    assert_eq!(out.status.code(), Some(252));
    // --help: examples, exit 0.
    let out = cli_env(&["update-attendee-capabilities", "--help"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let help = text(&out.stdout);
    assert!(
        help.contains("Examples:") && help.contains("--cli-input-json"),
        "{help}"
    );
    let out = cli_env(&["--help"]).output().unwrap();
    assert!(
        text(&out.stdout).contains("251 rejected locally"),
        "exit codes are documented"
    );
}

#[test]
fn configuration_and_connection_errors_have_their_codes() {
    let id = "00000000-0000-4000-8000-000000000000";
    let args = [
        "update-attendee-capabilities",
        "--no-lookup",
        "--meeting-id",
        id,
        "--attendee-id",
        id,
        "--capabilities",
        "Audio=None,Video=None,Content=None",
    ];
    let url = closed_port_url();

    // No region anywhere.
    let out = cli_env(&args)
        .args(["--endpoint-url", &url])
        .env("AWS_ACCESS_KEY_ID", "a")
        .env("AWS_SECRET_ACCESS_KEY", "b")
        .output()
        .unwrap();
    expect_error(out, 253, "You must specify a region");
    // No credentials anywhere.
    let out = cli_env(&args)
        .args(["--endpoint-url", &url, "--region", "us-east-1"])
        .output()
        .unwrap();
    expect_error(out, 253, "Unable to locate credentials");
    // Nothing listens on the endpoint.
    let out = cli_env(&args)
        .args(["--endpoint-url", &url, "--region", "us-east-1"])
        .env("AWS_ACCESS_KEY_ID", "a")
        .env("AWS_SECRET_ACCESS_KEY", "b")
        .env("AWS_MAX_ATTEMPTS", "1")
        .output()
        .unwrap();
    expect_error(
        out,
        255,
        "Could not complete the UpdateAttendeeCapabilities call",
    );
}

#[test]
fn wrong_credentials_are_a_service_error() {
    let emu = Standalone::start(&[]);
    let id = "00000000-0000-4000-8000-000000000000";
    let out = cli_env(&[
        "update-attendee-capabilities",
        "--no-lookup",
        "--meeting-id",
        id,
        "--attendee-id",
        id,
    ])
    .args([
        "--capabilities",
        "Audio=None,Video=None,Content=None",
        "--endpoint-url",
        &emu.url,
        "--region",
        "us-east-1",
    ])
    .env("AWS_ACCESS_KEY_ID", DEFAULT_ACCESS_KEY_ID)
    .env("AWS_SECRET_ACCESS_KEY", "not-the-secret")
    .output()
    .unwrap();
    expect_error(out, 254, "An error occurred (ForbiddenException)");
}

// ---------------------------------------------------------------------------------
// Endpoints that misbehave, profiles, secrets (issue 8).
// ---------------------------------------------------------------------------------

/// A loopback endpoint that accepts connections and treats each with `serve` on its
/// own thread (for as long as the test process lives).
fn misbehaving_endpoint(serve: fn(std::net::TcpStream)) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || serve(stream));
        }
    });
    url
}

/// Reads the request head, then holds the connection without answering.
fn never_answer(mut stream: std::net::TcpStream) {
    let mut sink = [0u8; 4096];
    while matches!(stream.read(&mut sink), Ok(n) if n > 0) {}
}

/// Answers 200 with a chunked body that never ends (until the client leaves).
fn endless_body(mut stream: std::net::TcpStream) {
    use std::io::Write;
    let mut head = [0u8; 4096];
    let _ = stream.read(&mut head);
    let _ = stream.write_all(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
    );
    let chunk = {
        let data = vec![b' '; 64 * 1024];
        let mut chunk = format!("{:x}\r\n", data.len()).into_bytes();
        chunk.extend_from_slice(&data);
        chunk.extend_from_slice(b"\r\n");
        chunk
    };
    while stream.write_all(&chunk).is_ok() {}
}

/// `update-attendee-capabilities` against `url` with credentials in the environment.
fn update_against(url: &str, extra: &[&str]) -> Command {
    let id = "00000000-0000-4000-8000-000000000000";
    let mut cmd = cli_env(&[
        "update-attendee-capabilities",
        "--meeting-id",
        id,
        "--attendee-id",
        id,
        "--capabilities",
        "Audio=None,Video=None,Content=None",
        "--endpoint-url",
        url,
        "--region",
        "us-east-1",
    ]);
    cmd.args(extra)
        .env("AWS_ACCESS_KEY_ID", DEFAULT_ACCESS_KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", DEFAULT_SECRET_ACCESS_KEY);
    cmd
}

#[test]
fn a_server_that_never_answers_is_given_up_on_after_the_read_timeout() {
    let url = misbehaving_endpoint(never_answer);
    for lookups in [&["--no-lookup"][..], &[]] {
        let started = Instant::now();
        let mut args = vec!["--cli-read-timeout", "1"];
        args.extend(lookups);
        let out = update_against(&url, &args)
            .env("AWS_MAX_ATTEMPTS", "2")
            .output()
            .unwrap();
        let took = started.elapsed();
        let err = expect_error(
            out,
            255,
            "Could not complete the UpdateAttendeeCapabilities call",
        );
        assert!(
            err.contains("timeout") || err.contains("timed out"),
            "{err}"
        );
        // Lookups (3 s at most) and two attempts of 1 s each, with some slack.
        assert!(took < Duration::from_secs(12), "{lookups:?} took {took:?}");
    }
}

#[test]
fn an_endless_response_body_is_cut_at_the_limit() {
    let url = misbehaving_endpoint(endless_body);
    let started = Instant::now();
    let out = update_against(&url, &["--no-lookup"])
        .env("AWS_MAX_ATTEMPTS", "1")
        .output()
        .unwrap();
    let err = expect_error(out, 255, "UpdateAttendeeCapabilities");
    assert!(
        err.contains("larger than the limit of 1048576 bytes"),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(20));
}

/// Shared config and credentials files defining profile `p1` with the emulator's
/// credentials and region.
fn profile_files(dir: &tempfile::TempDir) -> (String, String) {
    let config = dir.path().join("config");
    let credentials = dir.path().join("credentials");
    std::fs::write(&config, "[profile p1]\nregion = us-east-1\n").unwrap();
    std::fs::write(
        &credentials,
        format!(
            "[p1]\naws_access_key_id = {DEFAULT_ACCESS_KEY_ID}\naws_secret_access_key = {DEFAULT_SECRET_ACCESS_KEY}\n"
        ),
    )
    .unwrap();
    (
        config.display().to_string(),
        credentials.display().to_string(),
    )
}

#[test]
fn a_named_profile_wins_over_the_environment() {
    let emu = Standalone::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let (config, credentials) = profile_files(&dir);
    let id = "00000000-0000-4000-8000-000000000000";
    let call = |profile: &str| {
        cli_env(&[
            "update-attendee-capabilities",
            "--no-lookup",
            "--meeting-id",
            id,
            "--attendee-id",
            id,
            "--capabilities",
            "Audio=None,Video=None,Content=None",
            "--endpoint-url",
            &emu.url,
            "--profile",
            profile,
        ])
        .env("AWS_CONFIG_FILE", &config)
        .env("AWS_SHARED_CREDENTIALS_FILE", &credentials)
        // Wrong credentials and region in the environment: the profile must win.
        .env("AWS_ACCESS_KEY_ID", "AKIDFROMTHEENVIRONMENT")
        .env("AWS_SECRET_ACCESS_KEY", "environment-secret")
        .env("AWS_REGION", "eu-west-1")
        .output()
        .unwrap()
    };
    // The profile's credentials and region reach the emulator, which knows neither
    // the environment's key nor its region: its answer is about the meeting.
    expect_error(call("p1"), 254, "(NotFoundException)");
    // A profile that does not exist is an error naming it, whatever the environment says.
    expect_error(
        call("nosuch"),
        255,
        "The config profile (nosuch) could not be found",
    );
    // Also with nothing in the environment (the error was about a missing region).
    let out = cli_env(&[
        "update-attendee-capabilities",
        "--profile",
        "nosuch",
        "--no-lookup",
    ])
    .args(["--meeting-id", id, "--attendee-id", id])
    .args(["--capabilities", "Audio=None,Video=None,Content=None"])
    .env("AWS_CONFIG_FILE", &config)
    .env("AWS_SHARED_CREDENTIALS_FILE", &credentials)
    .output()
    .unwrap();
    expect_error(out, 255, "The config profile (nosuch) could not be found");
}

#[test]
fn no_error_path_prints_a_secret() {
    const SECRET: &str = "Sup3rSecretValueThatMustNotLeak/42";
    const TOKEN: &str = "TokenThatMustNotLeakEither+0123456789";
    let emu = Standalone::start(&[]);
    let silent = misbehaving_endpoint(never_answer);
    let endless = misbehaving_endpoint(endless_body);
    let closed = closed_port_url();
    let id = "00000000-0000-4000-8000-000000000000";
    let base = [
        "update-attendee-capabilities",
        "--meeting-id",
        id,
        "--attendee-id",
        id,
        "--capabilities",
        "Audio=None,Video=None,Content=None",
        "--region",
        "us-east-1",
        "--cli-read-timeout",
        "1",
    ];
    let mut codes = Vec::new();
    for (url, extra) in [
        (emu.url.as_str(), &[][..]),
        (emu.url.as_str(), &["--debug"][..]),
        (emu.url.as_str(), &["--dry-run", "--no-lookup"][..]),
        (emu.url.as_str(), &["--profile", "nosuch"][..]),
        (
            emu.url.as_str(),
            &["--capabilities", "Audio=None,Audio=None"][..],
        ),
        (silent.as_str(), &["--no-lookup"][..]),
        (endless.as_str(), &["--no-lookup", "--debug"][..]),
        (closed.as_str(), &["--debug"][..]),
    ] {
        let out = cli_env(&base)
            .args(["--endpoint-url", url])
            .args(extra)
            .env("AWS_ACCESS_KEY_ID", DEFAULT_ACCESS_KEY_ID)
            .env("AWS_SECRET_ACCESS_KEY", SECRET)
            .env("AWS_SESSION_TOKEN", TOKEN)
            .env("AWS_MAX_ATTEMPTS", "1")
            .output()
            .unwrap();
        let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
        for secret in [SECRET, TOKEN] {
            assert!(!all.contains(secret), "{extra:?} printed a secret:\n{all}");
        }
        codes.push(out.status.code().unwrap_or(-1));
    }
    // Every path above is an error path, each with its code.
    assert_eq!(codes, [254, 254, 250, 255, 252, 255, 255, 255]);
}
