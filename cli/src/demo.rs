//! `chime-caps demo`: the capability operations as an application uses them, against
//! the embedded emulator — no AWS account, no network, no setup.
//!
//! It creates meetings with different `MeetingFeatures`, mutes everyone except the
//! presenter, promotes a viewer, runs a webinar without content sharing and an
//! audio-only call, and shows every capability rule twice: rejected locally by
//! [`Client`], then the same request with validation off refused by the emulator with
//! `400`. It ends with a summary table, and fails if anything behaves otherwise than
//! described.

use std::fmt;
use std::io::{self, Write};

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use crate::output::grid;
use chime_caps::emulator::Emulator;
use chime_caps::error::SdkError;
use chime_caps::rules::capabilities as caps;
use chime_caps::rules::Rule;
use chime_caps::types::{
    Attendee, AttendeeCapabilities, AttendeeIdItem, ContentFeatures, ContentResolution,
    MediaCapabilities as M, MeetingFeaturesConfiguration, VideoFeatures, VideoResolution,
};
use chime_caps::validation::{
    CapabilityErrorExt, CapabilityReport, SendWithReport, Validation, ValidationClientExt,
    ValidationMode,
};
use chime_caps::Client;

/// Width the explanations are wrapped to.
const WIDTH: usize = 92;

/// Why the demo stopped.
#[derive(Debug)]
pub enum DemoError {
    /// Starting the emulator or writing the output failed.
    Io(io::Error),
    /// A call failed in a way the demo does not expect (e.g. a connection error).
    Call(String),
    /// The client or the emulator behaved otherwise than the demo shows.
    Unexpected(String),
}

impl fmt::Display for DemoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DemoError::Io(e) => write!(f, "I/O error: {e}"),
            DemoError::Call(m) => write!(f, "a call failed: {m}"),
            DemoError::Unexpected(m) => write!(f, "unexpected behaviour: {m}"),
        }
    }
}

impl std::error::Error for DemoError {}

impl From<io::Error> for DemoError {
    fn from(e: io::Error) -> Self {
        DemoError::Io(e)
    }
}

fn call_error<E: std::error::Error + 'static>(
    what: &str,
    e: SdkError<E, HttpResponse>,
) -> DemoError {
    DemoError::Call(format!("{what}: {}", DisplayErrorContext(&e)))
}

fn short(c: &AttendeeCapabilities) -> String {
    format!(
        "Audio={}, Video={}, Content={}",
        c.audio, c.video, c.content
    )
}

fn features(video: VideoResolution, content: ContentResolution) -> MeetingFeaturesConfiguration {
    MeetingFeaturesConfiguration::builder()
        .video(VideoFeatures::builder().max_resolution(video).build())
        .content(ContentFeatures::builder().max_resolution(content).build())
        .build()
}

/// What happened to one capability call.
enum Outcome {
    /// Passed local validation (or was not checked) and the emulator answered 200.
    Accepted(CapabilityReport),
    /// The client rejected it; nothing was sent.
    RejectedLocally { rule: Rule, message: String },
    /// The emulator refused it.
    Refused {
        status: u16,
        code: String,
        message: String,
    },
}

impl Outcome {
    fn from_result<T, E>(
        result: Result<(T, CapabilityReport), SdkError<E, HttpResponse>>,
    ) -> Result<Self, DemoError>
    where
        E: ProvideErrorMetadata + std::error::Error + 'static,
    {
        let err = match result {
            Ok((_, report)) => return Ok(Outcome::Accepted(report)),
            Err(err) => err,
        };
        if let Some(v) = err.as_capability_violation() {
            return Ok(Outcome::RejectedLocally {
                rule: v.rule,
                message: v.to_string(),
            });
        }
        match &err {
            SdkError::ServiceError(e) => Ok(Outcome::Refused {
                status: e.raw().status().as_u16(),
                code: e.err().code().unwrap_or("Unknown").to_string(),
                message: e.err().message().unwrap_or_default().to_string(),
            }),
            _ => Err(call_error("capability call", err)),
        }
    }
}

/// One line of the summary.
struct Row {
    scenario: String,
    call: String,
    local: String,
    emulator: String,
}

struct Demo<'w, W: Write> {
    out: &'w mut W,
    client: Client,
    rows: Vec<Row>,
}

/// Runs the demo, writing it to `out`.
pub async fn run<W: Write>(out: &mut W) -> Result<(), DemoError> {
    let emulator = Emulator::builder().start().await?;
    let client = Client::new(&emulator.client_config());
    writeln!(
        out,
        "chime-caps demo: attendee capabilities, checked locally and by the service"
    )?;
    writeln!(
        out,
        "Emulator running in-process at {} (region {}); no AWS account or network is used.",
        emulator.endpoint_url(),
        emulator.region()
    )?;
    let mut demo = Demo {
        out,
        client,
        rows: Vec::new(),
    };
    let result = demo.scenes().await;
    emulator.shutdown().await;
    result?;
    demo.summary()
}

impl<W: Write> Demo<'_, W> {
    async fn scenes(&mut self) -> Result<(), DemoError> {
        self.all_hands().await?;
        self.webinar().await?;
        self.audio_only().await
    }

    fn heading(&mut self, title: &str) -> io::Result<()> {
        writeln!(self.out)?;
        writeln!(
            self.out,
            "== {title} {}",
            "=".repeat(WIDTH.saturating_sub(title.len() + 4))
        )
    }

    fn step(&mut self, text: &str) -> io::Result<()> {
        writeln!(self.out)?;
        self.para("-> ", "   ", text)
    }

    /// Writes `text` wrapped to [`WIDTH`]: the first line starts with `first`, the
    /// others with `rest` (both the same width).
    fn para(&mut self, first: &str, rest: &str, text: &str) -> io::Result<()> {
        for (i, line) in wrap(text, WIDTH - first.len()).iter().enumerate() {
            let indent = if i == 0 { first } else { rest };
            writeln!(self.out, "{indent}{line}")?;
        }
        Ok(())
    }

    async fn meeting(
        &mut self,
        name: &str,
        features: MeetingFeaturesConfiguration,
    ) -> Result<String, DemoError> {
        let out = self
            .client
            .create_meeting()
            .client_request_token(format!("demo-{name}"))
            .media_region("us-east-1")
            .external_meeting_id(name)
            .meeting_features(features)
            .send()
            .await
            .map_err(|e| call_error("CreateMeeting", e))?;
        out.meeting
            .and_then(|m| m.meeting_id)
            .ok_or_else(|| DemoError::Unexpected("CreateMeeting returned no meeting id".into()))
    }

    async fn attendees(
        &mut self,
        meeting_id: &str,
        names: &[&str],
    ) -> Result<Vec<String>, DemoError> {
        let mut ids = Vec::new();
        for name in names {
            let out = self
                .client
                .create_attendee()
                .meeting_id(meeting_id)
                .external_user_id(*name)
                .send()
                .await
                .map_err(|e| call_error("CreateAttendee", e))?;
            let id = out.attendee.and_then(|a| a.attendee_id);
            ids.push(
                id.ok_or_else(|| DemoError::Unexpected("CreateAttendee returned no id".into()))?,
            );
        }
        Ok(ids)
    }

    /// Lists the meeting's attendees (which also teaches the client their
    /// capabilities, for the notices) and prints them as a table.
    async fn show_attendees(&mut self, meeting_id: &str) -> Result<Vec<Attendee>, DemoError> {
        let out = self
            .client
            .list_attendees()
            .meeting_id(meeting_id)
            .send()
            .await
            .map_err(|e| call_error("ListAttendees", e))?;
        let attendees = out.attendees.unwrap_or_default();
        let rows: Vec<Vec<String>> = attendees
            .iter()
            .map(|a| {
                let c = a.capabilities.as_ref();
                let v = |f: fn(&AttendeeCapabilities) -> &M| {
                    c.map(|c| f(c).to_string()).unwrap_or_default()
                };
                vec![
                    a.external_user_id.clone().unwrap_or_default(),
                    v(|c| &c.audio),
                    v(|c| &c.video),
                    v(|c| &c.content),
                ]
            })
            .collect();
        let table = grid(None, &["attendee", "audio", "video", "content"], &rows);
        for line in table.lines() {
            writeln!(self.out, "   {line}")?;
        }
        Ok(attendees)
    }

    async fn update(
        &mut self,
        validation: &Validation,
        meeting_id: &str,
        attendee_id: &str,
        requested: &AttendeeCapabilities,
    ) -> Result<Outcome, DemoError> {
        let result = self
            .client
            .update_attendee_capabilities()
            .meeting_id(meeting_id)
            .attendee_id(attendee_id)
            .capabilities(requested.clone())
            .send_with_report(validation)
            .await;
        Outcome::from_result(result)
    }

    /// Reports a call that must succeed; returns how many notices it had.
    fn accepted(&mut self, outcome: Outcome, what: &str) -> Result<usize, DemoError> {
        let report = match outcome {
            Outcome::Accepted(report) => report,
            Outcome::RejectedLocally { message, .. } => {
                return Err(DemoError::Unexpected(format!(
                    "{what} was rejected locally: {message}"
                )))
            }
            Outcome::Refused { code, message, .. } => {
                return Err(DemoError::Unexpected(format!(
                    "{what} was refused: {code}: {message}"
                )))
            }
        };
        writeln!(self.out, "   local validation: passed    emulator: 200 OK")?;
        if report.notices.is_empty() {
            writeln!(self.out, "   notices: none (no capability starts sending)")?;
        } else {
            writeln!(self.out, "   notices ({}):", report.notices.len())?;
            for notice in &report.notices {
                self.para("     * ", "       ", &notice.notice.to_string())?;
            }
        }
        Ok(report.notices.len())
    }

    /// Sends a request that breaks `rule`: first with validation on (caught
    /// locally), then with validation off (refused by the emulator).
    async fn corner_case(
        &mut self,
        scenario: &str,
        rule: Rule,
        meeting_id: &str,
        attendee: (&str, &str),
        requested: AttendeeCapabilities,
    ) -> Result<(), DemoError> {
        let (attendee_id, name) = attendee;
        self.step(&format!(
            "{scenario}: UpdateAttendeeCapabilities {name} -> {}",
            short(&requested)
        ))?;
        let enforce = self.client.validation().clone();
        let local = match self
            .update(&enforce, meeting_id, attendee_id, &requested)
            .await?
        {
            Outcome::RejectedLocally { rule: got, message } if got == rule => message,
            _ => {
                return Err(DemoError::Unexpected(format!(
                    "{scenario}: {rule} was not caught locally"
                )))
            }
        };
        writeln!(self.out, "   caught locally, nothing sent ({rule}):")?;
        self.para("     ", "     ", &local)?;

        let off = self.client.validation().with_mode(ValidationMode::Off);
        let (status, code, message) = match self
            .update(&off, meeting_id, attendee_id, &requested)
            .await?
        {
            Outcome::Refused {
                status,
                code,
                message,
            } => (status, code, message),
            _ => {
                return Err(DemoError::Unexpected(format!(
                    "{scenario}: the emulator accepted a request that breaks {rule}"
                )))
            }
        };
        if status != 400 || !message.contains(rule.as_str()) {
            return Err(DemoError::Unexpected(format!(
                "{scenario}: expected a 400 naming {rule}, got {status} {message}"
            )));
        }
        // The emulator words it with the same rules, so its headline is enough.
        let headline = message
            .split_once("): ")
            .map_or(message.as_str(), |(head, _)| head);
        writeln!(
            self.out,
            "   same request with validation off -> emulator: {status} {code}:"
        )?;
        self.para("     ", "     ", &format!("{headline})"))?;
        self.rows.push(Row {
            scenario: scenario.to_string(),
            call: format!("update {name}"),
            local: format!("rejected: {rule}"),
            emulator: format!("{status} (sent with validation off)"),
        });
        Ok(())
    }

    fn passed(&mut self, scenario: &str, call: String, notices: usize) {
        let local = match notices {
            0 => "passed".to_string(),
            1 => "passed, 1 notice".to_string(),
            n => format!("passed, {n} notices"),
        };
        self.rows.push(Row {
            scenario: scenario.into(),
            call,
            local,
            emulator: "200 OK".into(),
        });
    }

    /// Creates a meeting and its attendees (with the default capabilities), then
    /// prints `intro` and the attendees' table.
    async fn open_meeting(
        &mut self,
        name: &str,
        features: MeetingFeaturesConfiguration,
        attendees: &[&str],
        intro: &str,
    ) -> Result<(String, Vec<String>), DemoError> {
        let meeting = self.meeting(name, features).await?;
        let ids = self.attendees(&meeting, attendees).await?;
        writeln!(self.out, "Meeting {meeting}: {intro}")?;
        self.show_attendees(&meeting).await?;
        Ok((meeting, ids))
    }

    /// An update that must be accepted, with its summary row; returns how many
    /// notices it had.
    async fn accepted_update(
        &mut self,
        scenario: &str,
        meeting_id: &str,
        attendee: (&str, &str),
        requested: &AttendeeCapabilities,
    ) -> Result<usize, DemoError> {
        let (attendee_id, name) = attendee;
        self.step(&format!(
            "{scenario}: UpdateAttendeeCapabilities {name} -> {}",
            short(requested)
        ))?;
        let validation = self.client.validation().clone();
        let outcome = self
            .update(&validation, meeting_id, attendee_id, requested)
            .await?;
        let notices = self.accepted(outcome, scenario)?;
        self.passed(scenario, format!("update {name}"), notices);
        Ok(notices)
    }

    /// A batch-except call that must be accepted, then the attendees' table and the
    /// summary row.
    async fn accepted_batch(
        &mut self,
        scenario: &str,
        meeting_id: &str,
        excluded: (&str, &str),
        requested: &AttendeeCapabilities,
    ) -> Result<(), DemoError> {
        let (excluded_id, name) = excluded;
        self.step(&format!(
            "{scenario}: BatchUpdateAttendeeCapabilitiesExcept {}, excluding {name}",
            short(requested)
        ))?;
        let excluded_item = AttendeeIdItem::builder()
            .attendee_id(excluded_id)
            .build()
            .map_err(|e| DemoError::Unexpected(e.to_string()))?;
        let validation = self.client.validation().clone();
        let result = self
            .client
            .batch_update_attendee_capabilities_except()
            .meeting_id(meeting_id)
            .excluded_attendee_ids(excluded_item)
            .capabilities(requested.clone())
            .send_with_report(&validation)
            .await;
        let outcome = Outcome::from_result(result)?;
        let notices = self.accepted(outcome, scenario)?;
        self.show_attendees(meeting_id).await?;
        self.passed(scenario, "batch-except".into(), notices);
        Ok(())
    }

    async fn all_hands(&mut self) -> Result<(), DemoError> {
        self.heading("1. All-hands meeting: video HD, content sharing FHD")?;
        let (meeting, ids) = self
            .open_meeting(
                "all-hands",
                features(VideoResolution::Hd, ContentResolution::Fhd),
                &["presenter", "alice", "bob", "carol"],
                "4 attendees joined with the default capabilities.",
            )
            .await?;
        self.accepted_batch(
            "Mute everyone except the presenter",
            &meeting,
            (&ids[0], "presenter"),
            &caps(M::Receive, M::Receive, M::Receive),
        )
        .await?;
        let notices = self
            .accepted_update(
                "Promote a viewer to presenter",
                &meeting,
                (&ids[1], "alice"),
                &caps(M::SendReceive, M::SendReceive, M::SendReceive),
            )
            .await?;
        if notices == 0 {
            return Err(DemoError::Unexpected(
                "promoting alice gave no notices".into(),
            ));
        }
        self.corner_case(
            "Content without video",
            Rule::ContentNeedsVideo,
            &meeting,
            (&ids[3], "carol"),
            caps(M::Receive, M::None, M::Receive),
        )
        .await?;
        self.accepted_update(
            "The fix: video Receive as well",
            &meeting,
            (&ids[3], "carol"),
            &caps(M::Receive, M::Receive, M::Receive),
        )
        .await?;
        self.show_attendees(&meeting).await?;
        Ok(())
    }

    async fn webinar(&mut self) -> Result<(), DemoError> {
        self.heading("2. Webinar: content sharing disabled (Content MaxResolution None)")?;
        let (meeting, ids) = self
            .open_meeting(
                "webinar",
                features(VideoResolution::Hd, ContentResolution::None),
                &["host", "viewer-1", "viewer-2"],
                "the default capabilities leave content off.",
            )
            .await?;
        self.accepted_batch(
            "Webinar viewers watch only",
            &meeting,
            (&ids[0], "host"),
            &caps(M::Receive, M::Receive, M::None),
        )
        .await?;
        self.corner_case(
            "A viewer shares a screen",
            Rule::ContentDisabled,
            &meeting,
            (&ids[1], "viewer-1"),
            caps(M::Receive, M::Receive, M::Send),
        )
        .await
    }

    async fn audio_only(&mut self) -> Result<(), DemoError> {
        self.heading("3. Audio-only call: video disabled (Video MaxResolution None)")?;
        let (meeting, ids) = self
            .open_meeting(
                "audio-only",
                features(VideoResolution::None, ContentResolution::Fhd),
                &["dial-in", "agent"],
                "the documented defaults give video Receive\n\
                 (content SendReceive needs it) even though the meeting has no video.",
            )
            .await?;
        self.corner_case(
            "Turn a camera on",
            Rule::VideoDisabled,
            &meeting,
            (&ids[1], "agent"),
            caps(M::SendReceive, M::SendReceive, M::None),
        )
        .await?;
        self.corner_case(
            "Mute, keeping the default video",
            Rule::VideoDisabled,
            &meeting,
            (&ids[0], "dial-in"),
            caps(M::Receive, M::Receive, M::SendReceive),
        )
        .await?;
        self.accepted_update(
            "The fix: video None, content Send",
            &meeting,
            (&ids[0], "dial-in"),
            &caps(M::Receive, M::None, M::Send),
        )
        .await?;
        self.show_attendees(&meeting).await?;
        Ok(())
    }

    fn summary(&mut self) -> Result<(), DemoError> {
        self.heading("Summary")?;
        let rows: Vec<Vec<String>> = self
            .rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                vec![
                    (i + 1).to_string(),
                    r.scenario.clone(),
                    r.call.clone(),
                    r.local.clone(),
                    r.emulator.clone(),
                ]
            })
            .collect();
        let table = grid(
            None,
            &["#", "scenario", "call", "local validation", "emulator"],
            &rows,
        );
        write!(self.out, "{table}")?;
        let caught = self
            .rows
            .iter()
            .filter(|r| r.local.starts_with("rejected"))
            .count();
        let total = self.rows.len();
        self.para(
            "",
            "",
            &format!(
                "{total} calls: {} accepted, {caught} caught locally before any request was sent (each \
                 confirmed by the emulator's 400 when sent with validation off).",
                total - caught
            ),
        )?;
        Ok(())
    }
}

/// Splits `text` into lines of at most `width` characters, at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::{run, wrap};

    #[tokio::test]
    async fn the_demo_shows_every_corner_case() {
        let mut out = Vec::new();
        run(&mut out).await.expect("the demo succeeds");
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
    fn wrap_breaks_at_spaces() {
        assert_eq!(wrap("aa bb cc", 5), ["aa bb", "cc"]);
        assert_eq!(
            wrap("averyveryverylongword x", 5),
            ["averyveryverylongword", "x"]
        );
        assert!(wrap("   ", 5).is_empty());
    }
}
