//! The attendee-capability rules of Amazon Chime SDK meetings, as pure functions.
//!
//! This module is the single implementation of the rules: the client middleware
//! ([`crate::validation`]) calls it to reject a call locally, and the emulator calls
//! it to answer `400` the way the service does. Nothing here allocates unless a rule
//! is broken (then [`check`] builds one [`CapabilityViolation`]).
//!
//! | Rule | Broken when |
//! |---|---|
//! | [`Rule::VideoDisabled`] | the meeting has `MeetingFeatures.Video.MaxResolution = None` and `Capabilities.Video` is not `None` |
//! | [`Rule::ContentDisabled`] | the meeting has `MeetingFeatures.Content.MaxResolution = None` and `Capabilities.Content` is not `None` |
//! | [`Rule::ContentNeedsVideo`] | `Capabilities.Content` is `Receive`/`SendReceive` and `Capabilities.Video` is neither `Receive` nor `SendReceive` |
//!
//! Notices ([`NoticeKind`]) describe what an accepted change does; they never reject.
//!
//! What this crate does not know is never refused here: no rule can say what it means,
//! so [`check`] passes it (and any rule that depends on it), and [`unchecked`] names it
//! with a [`NoticeKind::NotChecked`] notice; the service judges it. That covers a
//! capability value other than the four this module was written for (one AWS adds
//! later: `MediaCapabilities::Unknown` in this crate, or a new variant once the
//! generated crate is regenerated from a newer model) and a capability member of
//! `AttendeeCapabilities` other than `Audio`, `Video` and `Content` (found through the
//! generated [`Members`] implementation). A resolution this crate does not know
//! (`VideoResolution::Unknown`, `ContentResolution::Unknown`) counts as enabled, since
//! only `None` disables a feature.

use std::fmt;
use std::sync::LazyLock;

use chime_caps_generated::types::{
    AttendeeCapabilities, ContentResolution, MediaCapabilities, Meeting,
    MeetingFeaturesConfiguration, VideoResolution,
};
use chime_caps_runtime::members::Members;

/// A capability rule whose breach the service answers with `400 BadRequest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    /// The meeting was created with video disabled: `Capabilities.Video` must be `None`.
    VideoDisabled,
    /// The meeting was created with content sharing disabled: `Capabilities.Content`
    /// must be `None`.
    ContentDisabled,
    /// Receiving content (`Receive`, `SendReceive`) needs the video capability to
    /// receive too (`Receive`, `SendReceive`).
    ContentNeedsVideo,
}

impl Rule {
    /// Every rule, in the order [`check`] applies them.
    pub const ALL: [Rule; 3] = [
        Rule::VideoDisabled,
        Rule::ContentDisabled,
        Rule::ContentNeedsVideo,
    ];

    /// The rule's name, e.g. `"VideoDisabled"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Rule::VideoDisabled => "VideoDisabled",
            Rule::ContentDisabled => "ContentDisabled",
            Rule::ContentNeedsVideo => "ContentNeedsVideo",
        }
    }

    /// Why the rule exists, in a few words (used in [`CapabilityViolation`]'s message).
    const fn reason(self) -> &'static str {
        match self {
            Rule::VideoDisabled => "a meeting created without video only accepts a video capability of None",
            Rule::ContentDisabled => {
                "a meeting created without content sharing only accepts a content capability of None"
            }
            Rule::ContentNeedsVideo => {
                "an attendee can receive content only if its video capability is Receive or SendReceive"
            }
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something an accepted capability change does that the caller should know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NoticeKind {
    /// Audio goes from `None`/`Receive` to `Send`/`SendReceive`: the attendee's audio
    /// reaches the other attendees as soon as its microphone is unmuted.
    AudioMayFlow,
    /// Video or content goes from `None`/`Receive` to `Send`/`SendReceive`: the other
    /// attendees get the stream only after the attendee's client renegotiates media.
    NeedsRenegotiation,
    /// The requested value, or the capability it is set for, is not one this crate
    /// knows (added to the service later): it was sent without being checked, and the
    /// service decides.
    NotChecked,
}

impl NoticeKind {
    /// The notice's name, e.g. `"AudioMayFlow"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            NoticeKind::AudioMayFlow => "AudioMayFlow",
            NoticeKind::NeedsRenegotiation => "NeedsRenegotiation",
            NoticeKind::NotChecked => "NotChecked",
        }
    }

    const fn meaning(self) -> &'static str {
        match self {
            NoticeKind::AudioMayFlow => {
                "the attendee's audio reaches the other attendees whenever its microphone is unmuted"
            }
            NoticeKind::NeedsRenegotiation => {
                "the other attendees receive the stream only after the attendee's client renegotiates media"
            }
            NoticeKind::NotChecked => {
                "this client does not know the value or the capability, so no rule was checked against it and the service decides whether it is allowed"
            }
        }
    }
}

impl fmt::Display for NoticeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One notice about one capability of an accepted request.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Notice {
    /// What the request does.
    pub kind: NoticeKind,
    /// The capability concerned: `"Capabilities.Audio"`, `".Video"` or `".Content"` (or,
    /// for a [`NoticeKind::NotChecked`] notice, a capability added to the model later).
    pub field: &'static str,
    /// The attendee's capability before the change: always set for a change
    /// ([`NoticeKind::AudioMayFlow`], [`NoticeKind::NeedsRenegotiation`]); `None` for a
    /// [`NoticeKind::NotChecked`] value, which is about the request alone.
    pub from: Option<MediaCapabilities>,
    /// The requested capability.
    pub to: MediaCapabilities,
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.from {
            Some(from) => write!(f, "{} goes from {from} to {}", self.field, self.to)?,
            None => write!(f, "{} = {} was not checked", self.field, self.to)?,
        }
        write!(f, " ({}): {}", self.kind, self.kind.meaning())
    }
}

/// The meeting features the rules depend on, taken from `Meeting.MeetingFeatures`.
///
/// `None` in a field means the meeting was created without that setting, so the
/// service default applies (video `HD`, content `FHD`): the feature is enabled. Only
/// `Some(VideoResolution::None)` / `Some(ContentResolution::None)` disable it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct MeetingFeatures {
    /// `MeetingFeatures.Video.MaxResolution`.
    pub video_max_resolution: Option<VideoResolution>,
    /// `MeetingFeatures.Content.MaxResolution`.
    pub content_max_resolution: Option<ContentResolution>,
}

impl MeetingFeatures {
    /// The features of a meeting as the service returned it.
    pub fn of_meeting(meeting: &Meeting) -> Self {
        meeting
            .meeting_features
            .as_ref()
            .map(Self::from)
            .unwrap_or_default()
    }

    /// Whether attendees may have a video capability other than `None`.
    pub fn video_enabled(&self) -> bool {
        !matches!(self.video_max_resolution, Some(VideoResolution::None))
    }

    /// Whether attendees may have a content capability other than `None`.
    pub fn content_enabled(&self) -> bool {
        !matches!(self.content_max_resolution, Some(ContentResolution::None))
    }
}

impl From<&MeetingFeaturesConfiguration> for MeetingFeatures {
    fn from(config: &MeetingFeaturesConfiguration) -> Self {
        MeetingFeatures {
            video_max_resolution: config.video.as_ref().and_then(|v| v.max_resolution.clone()),
            content_max_resolution: config
                .content
                .as_ref()
                .and_then(|c| c.max_resolution.clone()),
        }
    }
}

/// A requested capability that breaks a [`Rule`]; the service would answer `400`.
///
/// Match on [`rule`](Self::rule); the other fields say which value was wrong, what
/// forbids it and how to fix it. `Display` is one sentence with all of it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CapabilityViolation {
    /// The rule that was broken.
    pub rule: Rule,
    /// For a request that lists attendees (`BatchCreateAttendee`,
    /// `CreateMeetingWithAttendees`), the index in `Attendees` of the one whose
    /// capabilities break the rule; `None` for a request with one set of capabilities.
    pub item: Option<usize>,
    /// The member holding the rejected value, e.g. `"Capabilities.Video"`.
    pub field: &'static str,
    /// The rejected value.
    pub requested: MediaCapabilities,
    /// What forbids the value: the meeting feature (`"MeetingFeatures.Video.MaxResolution = None"`)
    /// for [`Rule::VideoDisabled`]/[`Rule::ContentDisabled`], the requested video
    /// capability (`"Capabilities.Video = None"`) for [`Rule::ContentNeedsVideo`].
    pub forbidden_by: &'static str,
    /// How to fix the request.
    pub hint: &'static str,
}

impl CapabilityViolation {
    /// This violation, found in item `index` of a request's `Attendees`.
    pub fn in_item(self, index: usize) -> Self {
        CapabilityViolation {
            item: Some(index),
            ..self
        }
    }
}

impl fmt::Display for CapabilityViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(index) = self.item {
            write!(f, "Attendees[{index}].")?;
        }
        write!(
            f,
            "{} = {} breaks rule {} (forbidden by {}): {}; to fix it, {}",
            self.field,
            self.requested,
            self.rule,
            self.forbidden_by,
            self.rule.reason(),
            self.hint
        )
    }
}

impl std::error::Error for CapabilityViolation {}

/// The member names of the three capabilities.
pub mod field {
    /// `Capabilities.Audio`.
    pub const AUDIO: &str = "Capabilities.Audio";
    /// `Capabilities.Video`.
    pub const VIDEO: &str = "Capabilities.Video";
    /// `Capabilities.Content`.
    pub const CONTENT: &str = "Capabilities.Content";
}

/// The members of `AttendeeCapabilities` the rules are written for.
const KNOWN_CAPABILITIES: [&str; 3] = ["Audio", "Video", "Content"];

/// `Capabilities.<member>` for every member of `AttendeeCapabilities`, so that a notice
/// can name a member added to the model after this module was written.
static CAPABILITY_FIELDS: LazyLock<Vec<(&'static str, String)>> = LazyLock::new(|| {
    AttendeeCapabilities::NAMES
        .iter()
        .map(|name| (*name, format!("Capabilities.{name}")))
        .collect()
});

/// The notice field of member `name` of `AttendeeCapabilities`.
fn capability_field(name: &str) -> &'static str {
    CAPABILITY_FIELDS
        .iter()
        .find(|(member, _)| *member == name)
        .map_or("Capabilities", |(_, field)| field.as_str())
}

/// `None`, `Receive`, `Send` or `SendReceive` (not a value outside the model).
fn is_known(c: &MediaCapabilities) -> bool {
    matches!(
        c,
        MediaCapabilities::None
            | MediaCapabilities::Receive
            | MediaCapabilities::Send
            | MediaCapabilities::SendReceive
    )
}

fn receives(c: &MediaCapabilities) -> bool {
    matches!(
        c,
        MediaCapabilities::Receive | MediaCapabilities::SendReceive
    )
}

fn sends(c: &MediaCapabilities) -> bool {
    matches!(c, MediaCapabilities::Send | MediaCapabilities::SendReceive)
}

/// A known value other than `None`.
fn is_active(c: &MediaCapabilities) -> bool {
    is_known(c) && *c != MediaCapabilities::None
}

/// Checks `requested` against the rules, in the order of [`Rule::ALL`], and returns
/// the first breach.
///
/// `features` is `None` when the meeting is unknown: then only
/// [`Rule::ContentNeedsVideo`] (which needs no meeting) is checked.
pub fn check(
    features: Option<&MeetingFeatures>,
    requested: &AttendeeCapabilities,
) -> Result<(), CapabilityViolation> {
    let video_disabled = features.is_some_and(|f| !f.video_enabled());
    let content_disabled = features.is_some_and(|f| !f.content_enabled());
    if video_disabled && is_active(&requested.video) {
        return Err(CapabilityViolation {
            rule: Rule::VideoDisabled,
            item: None,
            field: field::VIDEO,
            requested: requested.video.clone(),
            forbidden_by: "MeetingFeatures.Video.MaxResolution = None",
            hint: "set Capabilities.Video to None (a meeting's features cannot change; \
                   use a meeting created with video if the attendee needs it)",
        });
    }
    if content_disabled && is_active(&requested.content) {
        return Err(CapabilityViolation {
            rule: Rule::ContentDisabled,
            item: None,
            field: field::CONTENT,
            requested: requested.content.clone(),
            forbidden_by: "MeetingFeatures.Content.MaxResolution = None",
            hint: "set Capabilities.Content to None (a meeting's features cannot change; \
                   use a meeting created with content sharing if the attendee needs it)",
        });
    }
    if receives(&requested.content) && is_known(&requested.video) && !receives(&requested.video) {
        return Err(CapabilityViolation {
            rule: Rule::ContentNeedsVideo,
            item: None,
            field: field::CONTENT,
            requested: requested.content.clone(),
            forbidden_by: if requested.video == MediaCapabilities::Send {
                "Capabilities.Video = Send"
            } else {
                "Capabilities.Video = None"
            },
            hint: if video_disabled {
                "set Capabilities.Content to Send or None, since video is disabled in this meeting"
            } else {
                "set Capabilities.Video to Receive or SendReceive, or set Capabilities.Content to Send or None"
            },
        });
    }
    Ok(())
}

/// The notices of changing an attendee's capabilities from `current` to `requested`,
/// in the order audio, video, content (at most one per capability).
pub fn notices<'a>(
    current: &'a AttendeeCapabilities,
    requested: &'a AttendeeCapabilities,
) -> impl Iterator<Item = Notice> + 'a {
    let starts_sending = |from: &MediaCapabilities, to: &MediaCapabilities| {
        is_known(from) && !sends(from) && sends(to)
    };
    [
        (
            NoticeKind::AudioMayFlow,
            field::AUDIO,
            &current.audio,
            &requested.audio,
        ),
        (
            NoticeKind::NeedsRenegotiation,
            field::VIDEO,
            &current.video,
            &requested.video,
        ),
        (
            NoticeKind::NeedsRenegotiation,
            field::CONTENT,
            &current.content,
            &requested.content,
        ),
    ]
    .into_iter()
    .filter(move |(_, _, from, to)| starts_sending(from, to))
    .map(|(kind, field, from, to)| Notice {
        kind,
        field,
        from: Some(from.clone()),
        to: to.clone(),
    })
}

/// A [`NoticeKind::NotChecked`] notice for each requested value this crate does not
/// know, in the order audio, video, content, then one for each capability this crate
/// does not know that the request sets, in model order. Allocation-free when every
/// value and capability is known.
///
/// A member of `AttendeeCapabilities` added to the model later is a capability when it
/// holds a `MediaCapabilities`; a member of another type is not about media and is
/// sent without a notice, like any other member the rules do not concern.
pub fn unchecked(requested: &AttendeeCapabilities) -> impl Iterator<Item = Notice> + '_ {
    [
        (field::AUDIO, &requested.audio),
        (field::VIDEO, &requested.video),
        (field::CONTENT, &requested.content),
    ]
    .into_iter()
    .filter(|(_, value)| !is_known(value))
    .map(|(field, value)| not_checked(field, value))
    .chain(unknown_capabilities(
        requested,
        &KNOWN_CAPABILITIES,
        capability_field,
    ))
}

fn not_checked(field: &'static str, value: &MediaCapabilities) -> Notice {
    Notice {
        kind: NoticeKind::NotChecked,
        field,
        from: None,
        to: value.clone(),
    }
}

/// The notices of the capabilities (members holding a `MediaCapabilities`) that
/// `value` sets and `known` does not list; `field` names a member in a notice.
fn unknown_capabilities<T: Members>(
    value: &T,
    known: &[&str],
    field: impl Fn(&'static str) -> &'static str,
) -> Vec<Notice> {
    let mut notices = Vec::new();
    // The model of this build has no member beyond `known` (the usual case): nothing
    // to visit.
    if T::NAMES.iter().all(|name| known.contains(name)) {
        return notices;
    }
    value.visit_members(&mut |name, member| {
        if let Some(capability) = member.downcast_ref::<MediaCapabilities>() {
            if !known.contains(&name) {
                notices.push(not_checked(field(name), capability));
            }
        }
    });
    notices
}

/// The capabilities `CreateAttendee` gives an attendee when the request sets none,
/// as the service documents them.
///
/// | Video feature | Content feature | Audio | Video | Content |
/// |---|---|---|---|---|
/// | enabled | enabled | SendReceive | SendReceive | SendReceive |
/// | enabled | `None` | SendReceive | SendReceive | None |
/// | `None` | enabled | SendReceive | **Receive** | SendReceive |
/// | `None` | `None` | SendReceive | None | None |
///
/// The third row is the service's documented default: content `SendReceive` needs
/// video at least `Receive`, so the service gives video `Receive` even though the
/// meeting has no video. It is a default, not a request: [`check`] still refuses a
/// request that asks for video `Receive` in that meeting ([`Rule::VideoDisabled`]), so
/// an update of such an attendee must set video `None` (and content `Send` or `None`).
pub fn default_capabilities(features: &MeetingFeatures) -> AttendeeCapabilities {
    let (video, content) = match (features.video_enabled(), features.content_enabled()) {
        (true, true) => (
            MediaCapabilities::SendReceive,
            MediaCapabilities::SendReceive,
        ),
        (true, false) => (MediaCapabilities::SendReceive, MediaCapabilities::None),
        (false, true) => (MediaCapabilities::Receive, MediaCapabilities::SendReceive),
        (false, false) => (MediaCapabilities::None, MediaCapabilities::None),
    };
    capabilities(MediaCapabilities::SendReceive, video, content)
}

/// Capabilities with all three members set: the builder's `build()` without its
/// `Result`, which only fails on a missing member.
pub fn capabilities(
    audio: MediaCapabilities,
    video: MediaCapabilities,
    content: MediaCapabilities,
) -> AttendeeCapabilities {
    AttendeeCapabilities::builder()
        .audio(audio)
        .video(video)
        .content(content)
        .build()
        .expect("all three required members are set")
}

#[cfg(test)]
mod tests {
    use super::{capabilities as caps, *};
    use MediaCapabilities as M;

    const CAPS: [M; 4] = [M::None, M::Receive, M::Send, M::SendReceive];

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum E {
        Ok,
        Vd,
        Cd,
        Cnv,
    }
    use E::{Cd, Cnv, Ok as Y, Vd};

    // Hand-written expectations, independent of `check`: rows are the requested
    // video (None, Receive, Send, SendReceive), columns the requested content (same
    // order). Audio never matters.
    const VIDEO_ON_CONTENT_ON: [[E; 4]; 4] = [
        [Y, Cnv, Y, Cnv],
        [Y, Y, Y, Y],
        [Y, Cnv, Y, Cnv],
        [Y, Y, Y, Y],
    ];
    const VIDEO_OFF_CONTENT_ON: [[E; 4]; 4] = [
        [Y, Cnv, Y, Cnv],
        [Vd, Vd, Vd, Vd],
        [Vd, Vd, Vd, Vd],
        [Vd, Vd, Vd, Vd],
    ];
    const VIDEO_ON_CONTENT_OFF: [[E; 4]; 4] = [
        [Y, Cd, Cd, Cd],
        [Y, Cd, Cd, Cd],
        [Y, Cd, Cd, Cd],
        [Y, Cd, Cd, Cd],
    ];
    const VIDEO_OFF_CONTENT_OFF: [[E; 4]; 4] = [
        [Y, Cd, Cd, Cd],
        [Vd, Vd, Vd, Vd],
        [Vd, Vd, Vd, Vd],
        [Vd, Vd, Vd, Vd],
    ];

    fn features(video: VideoResolution, content: ContentResolution) -> MeetingFeatures {
        MeetingFeatures {
            video_max_resolution: Some(video),
            content_max_resolution: Some(content),
        }
    }

    fn verdict(features: Option<&MeetingFeatures>, c: &AttendeeCapabilities) -> E {
        match check(features, c) {
            Ok(()) => Y,
            Err(v) => match v.rule {
                Rule::VideoDisabled => Vd,
                Rule::ContentDisabled => Cd,
                Rule::ContentNeedsVideo => Cnv,
            },
        }
    }

    #[test]
    fn every_combination_matches_the_table() {
        let video_values = [
            (VideoResolution::None, false),
            (VideoResolution::Hd, true),
            (VideoResolution::Fhd, true),
            (VideoResolution::from("UHD8K"), true),
        ];
        let content_values = [
            (ContentResolution::None, false),
            (ContentResolution::Fhd, true),
            (ContentResolution::Uhd, true),
            (ContentResolution::from("Future"), true),
        ];
        for (vres, von) in &video_values {
            for (cres, con) in &content_values {
                let table = match (von, con) {
                    (true, true) => &VIDEO_ON_CONTENT_ON,
                    (false, true) => &VIDEO_OFF_CONTENT_ON,
                    (true, false) => &VIDEO_ON_CONTENT_OFF,
                    (false, false) => &VIDEO_OFF_CONTENT_OFF,
                };
                let f = features(vres.clone(), cres.clone());
                for (vi, video) in CAPS.iter().enumerate() {
                    for (ci, content) in CAPS.iter().enumerate() {
                        for audio in &CAPS {
                            let c = caps(audio.clone(), video.clone(), content.clone());
                            assert_eq!(verdict(Some(&f), &c), table[vi][ci], "{vres} {cres} {c:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn unknown_or_unset_features_only_check_content_needs_video() {
        for f in [None, Some(&MeetingFeatures::default())] {
            for (vi, video) in CAPS.iter().enumerate() {
                for (ci, content) in CAPS.iter().enumerate() {
                    let c = caps(M::SendReceive, video.clone(), content.clone());
                    assert_eq!(verdict(f, &c), VIDEO_ON_CONTENT_ON[vi][ci]);
                }
            }
        }
    }

    #[test]
    fn unknown_capability_values_pass_with_a_not_checked_notice() {
        let off = features(VideoResolution::None, ContentResolution::None);
        let odd = M::from("Sometimes");
        assert_eq!(verdict(Some(&off), &caps(M::None, odd.clone(), M::None)), Y);
        assert_eq!(verdict(Some(&off), &caps(M::None, M::None, odd.clone())), Y);
        assert_eq!(verdict(None, &caps(M::None, odd.clone(), M::Receive)), Y);

        let requested = caps(odd.clone(), M::Receive, odd.clone());
        let got: Vec<_> = unchecked(&requested)
            .map(|n| (n.kind, n.field, n.from, n.to))
            .collect();
        assert_eq!(
            got,
            [
                (NoticeKind::NotChecked, field::AUDIO, None, odd.clone()),
                (NoticeKind::NotChecked, field::CONTENT, None, odd.clone()),
            ]
        );
        let text = unchecked(&requested).next().unwrap().to_string();
        assert!(
            text.starts_with("Capabilities.Audio = Sometimes was not checked (NotChecked): "),
            "{text}"
        );
        assert_eq!(
            unchecked(&caps(M::None, M::Send, M::SendReceive)).count(),
            0
        );
    }

    /// `AttendeeCapabilities` as a later model might define it: a fourth capability and
    /// a member of another type.
    struct LaterCapabilities {
        audio: M,
        captions: Option<M>,
        note: Option<String>,
    }

    impl Members for LaterCapabilities {
        const NAMES: &'static [&'static str] = &["Audio", "Captions", "Note"];

        fn visit_members(&self, visit: &mut dyn FnMut(&'static str, &dyn std::any::Any)) {
            visit("Audio", &self.audio);
            if let Some(value) = &self.captions {
                visit("Captions", value);
            }
            if let Some(value) = &self.note {
                visit("Note", value);
            }
        }
    }

    #[test]
    fn capabilities_added_later_get_a_not_checked_notice() {
        let field = |name: &'static str| match name {
            "Captions" => "Capabilities.Captions",
            other => other,
        };
        let later = LaterCapabilities {
            audio: M::Send,
            captions: Some(M::Receive),
            note: Some("not a capability".into()),
        };
        let got: Vec<_> = unknown_capabilities(&later, &["Audio"], field)
            .into_iter()
            .map(|n| (n.kind, n.field, n.from, n.to))
            .collect();
        assert_eq!(
            got,
            [(
                NoticeKind::NotChecked,
                "Capabilities.Captions",
                None,
                M::Receive
            )]
        );
        let unset = LaterCapabilities {
            captions: None,
            ..later
        };
        assert!(unknown_capabilities(&unset, &["Audio"], field).is_empty());

        // The generated type: the capabilities the rules know are among its members
        // (spelled as in the model), and a notice names them as the rules do.
        for known in KNOWN_CAPABILITIES {
            assert!(AttendeeCapabilities::NAMES.contains(&known), "{known}");
        }
        assert_eq!(capability_field("Video"), field::VIDEO);
        let requested = caps(M::Send, M::from("Sometimes"), M::None);
        let fields: Vec<_> = unchecked(&requested).map(|n| n.field).collect();
        assert_eq!(fields, [field::VIDEO]);
    }

    #[test]
    fn violation_fields_and_message() {
        let f = features(VideoResolution::None, ContentResolution::Fhd);
        let v = check(Some(&f), &caps(M::None, M::Receive, M::None)).unwrap_err();
        assert_eq!(
            (v.rule, v.field, &v.requested),
            (Rule::VideoDisabled, field::VIDEO, &M::Receive)
        );
        let text = v.to_string();
        assert!(
            text.starts_with("Capabilities.Video = Receive breaks rule VideoDisabled"),
            "{text}"
        );
        assert!(
            text.contains("MeetingFeatures.Video.MaxResolution = None"),
            "{text}"
        );
        assert!(text.contains("set Capabilities.Video to None"), "{text}");
        assert!(
            !text.contains('\n') && text.matches(". ").count() == 0,
            "one sentence: {text}"
        );

        let v = check(Some(&f), &caps(M::None, M::None, M::SendReceive)).unwrap_err();
        assert_eq!(v.rule, Rule::ContentNeedsVideo);
        assert_eq!(v.item, None);
        let in_batch = v.clone().in_item(3);
        assert_eq!(in_batch.item, Some(3));
        assert!(
            in_batch.to_string().starts_with(
                "Attendees[3].Capabilities.Content = SendReceive breaks rule ContentNeedsVideo"
            ),
            "{in_batch}"
        );
        assert!(v.hint.contains("video is disabled"), "{}", v.hint);
        let v = check(None, &caps(M::None, M::Send, M::Receive)).unwrap_err();
        assert_eq!(v.forbidden_by, "Capabilities.Video = Send");
        assert!(
            v.hint.starts_with("set Capabilities.Video to Receive"),
            "{}",
            v.hint
        );
    }

    #[test]
    fn notices_follow_the_table() {
        // Hand-written: a notice fires exactly when the value goes from a
        // non-sending value to a sending one.
        let starts = |from: usize, to: usize| from < 2 && to >= 2;
        for (fi, from) in CAPS.iter().enumerate() {
            for (ti, to) in CAPS.iter().enumerate() {
                let current = caps(from.clone(), from.clone(), from.clone());
                let requested = caps(to.clone(), to.clone(), to.clone());
                let got: Vec<_> = notices(&current, &requested)
                    .map(|n| (n.kind, n.field))
                    .collect();
                let want = if starts(fi, ti) {
                    vec![
                        (NoticeKind::AudioMayFlow, field::AUDIO),
                        (NoticeKind::NeedsRenegotiation, field::VIDEO),
                        (NoticeKind::NeedsRenegotiation, field::CONTENT),
                    ]
                } else {
                    vec![]
                };
                assert_eq!(got, want, "{from} -> {to}");
            }
        }
        let n = notices(
            &caps(M::Receive, M::None, M::None),
            &caps(M::Send, M::None, M::None),
        )
        .next()
        .unwrap();
        assert_eq!(
            n.to_string().split(':').next().unwrap(),
            "Capabilities.Audio goes from Receive to Send (AudioMayFlow)"
        );
        assert_eq!(
            notices(
                &caps(M::from("x"), M::None, M::None),
                &caps(M::Send, M::None, M::None)
            )
            .count(),
            0
        );
    }

    #[test]
    fn defaults_are_the_documented_ones() {
        let expected = [
            (
                VideoResolution::Hd,
                ContentResolution::Fhd,
                [M::SendReceive, M::SendReceive, M::SendReceive],
            ),
            (
                VideoResolution::Fhd,
                ContentResolution::None,
                [M::SendReceive, M::SendReceive, M::None],
            ),
            (
                VideoResolution::None,
                ContentResolution::Uhd,
                [M::SendReceive, M::Receive, M::SendReceive],
            ),
            (
                VideoResolution::None,
                ContentResolution::None,
                [M::SendReceive, M::None, M::None],
            ),
        ];
        for (v, c, [audio, video, content]) in expected {
            // The documented video-off default is refused if requested explicitly.
            let refused = video == M::Receive && v == VideoResolution::None;
            let f = features(v, c);
            let d = default_capabilities(&f);
            assert_eq!(d, caps(audio, video, content));
            let expected_check = if refused {
                Err(Rule::VideoDisabled)
            } else {
                Ok(())
            };
            assert_eq!(check(Some(&f), &d).map_err(|e| e.rule), expected_check);
        }
        assert_eq!(
            default_capabilities(&MeetingFeatures::default()),
            caps(M::SendReceive, M::SendReceive, M::SendReceive)
        );
    }
}
