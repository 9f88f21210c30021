//! [`ValidationSettings`]: mode, cache bounds and the meeting lookup.

use std::time::Duration;

use aws_smithy_async::time::{SharedTimeSource, SystemTimeSource, TimeSource};
use aws_smithy_types::config_bag::{Storable, StoreReplace};

use super::ValidationMode;

/// How a [`Client`](crate::Client) validates capability calls. Set it with
/// [`ValidationConfigExt::validation`](super::ValidationConfigExt::validation); the
/// defaults (see each method, and the README for the reasons) suit most callers.
///
/// The settings live in the config bag, so they can also be given for one call (a
/// `customize().config_override(..)` or a runtime plugin's layer): there, the mode
/// is what takes effect. The cache bounds, ages and clock are fixed when the first
/// client is built from a config.
///
/// ```
/// use std::time::Duration;
/// use chime_caps::validation::{ValidationMode, ValidationSettings};
///
/// let settings = ValidationSettings::new()
///     .mode(ValidationMode::Warn)
///     .lookup_on_miss(true)
///     .max_meetings(5_000)
///     .meeting_ttl(Duration::from_secs(3600));
/// assert_eq!(settings.get_mode(), ValidationMode::Warn);
/// ```
#[derive(Debug, Clone)]
pub struct ValidationSettings {
    pub(crate) mode: ValidationMode,
    pub(crate) model_constraints: bool,
    pub(crate) lookup_on_miss: bool,
    pub(crate) max_meetings: usize,
    pub(crate) max_attendees_per_meeting: usize,
    pub(crate) meeting_ttl: Duration,
    pub(crate) attendee_ttl: Duration,
    pub(crate) time_source: SharedTimeSource,
}

/// The latest layer of the config bag that holds settings decides a call's mode.
impl Storable for ValidationSettings {
    type Storer = StoreReplace<Self>;
}

impl Default for ValidationSettings {
    fn default() -> Self {
        ValidationSettings {
            mode: ValidationMode::Enforce,
            model_constraints: false,
            lookup_on_miss: false,
            max_meetings: 1_000,
            max_attendees_per_meeting: 250,
            meeting_ttl: Duration::from_secs(24 * 60 * 60),
            attendee_ttl: Duration::from_secs(5 * 60),
            time_source: SharedTimeSource::new(SystemTimeSource::new()),
        }
    }
}

impl ValidationSettings {
    /// The defaults: `Enforce`, capability rules only (no model constraints), no lookup, 1 000 meetings of up to 250 attendees,
    /// meeting features kept 24 h, attendee capabilities kept 5 min.
    pub fn new() -> Self {
        Self::default()
    }

    /// The mode (default [`ValidationMode::Enforce`]). [`ENV_VAR`](super::ENV_VAR)
    /// overrides it.
    pub fn mode(mut self, mode: ValidationMode) -> Self {
        self.mode = mode;
        self
    }

    /// Whether capability calls are also checked against the model's constraints (id
    /// patterns, lengths, list sizes: the generated `validate()`), reporting a
    /// [`ConstraintViolation`](super::ConstraintViolation). Default `false`: like the
    /// official SDK, such requests are sent and the service answers (and mocked or
    /// emulated services with made-up ids keep working); the capability rules are
    /// checked either way. Takes effect per call, like the mode.
    pub fn model_constraints(mut self, check: bool) -> Self {
        self.model_constraints = check;
        self
    }

    /// Whether [`send_with_report`](super::SendWithReport::send_with_report) may make
    /// one `GetMeeting` call for a meeting the client does not know (default `false`:
    /// no request, and no `chime:GetMeeting` permission, the caller did not ask for).
    /// The answer is cached; a `403` is cached too, and the feature rules are then
    /// skipped for that meeting with a warning. Plain `send()` never looks up.
    pub fn lookup_on_miss(mut self, lookup: bool) -> Self {
        self.lookup_on_miss = lookup;
        self
    }

    /// The most meetings the cache holds (default 1 000, at least 1); the least
    /// recently learned one is evicted first. A full meeting entry (250 attendees)
    /// takes about 58 kB (a 512-slot table of 112-byte entries), so the default bounds
    /// the cache near 60 MB.
    pub fn max_meetings(mut self, max: usize) -> Self {
        self.max_meetings = max.max(1);
        self
    }

    /// The most attendees the cache holds per meeting (default 250, the most a
    /// meeting can have, and the most `ExcludedAttendeeIds` can name; at least 1);
    /// the least recently learned one is evicted first.
    pub fn max_attendees_per_meeting(mut self, max: usize) -> Self {
        self.max_attendees_per_meeting = max.max(1);
        self
    }

    /// How long a meeting's features are trusted after they were learned (default
    /// 24 h). Features never change after `CreateMeeting`, so this only bounds how
    /// long a finished meeting occupies the cache.
    pub fn meeting_ttl(mut self, ttl: Duration) -> Self {
        self.meeting_ttl = ttl;
        self
    }

    /// How long an attendee's capabilities, and a failed (`403`) lookup, are trusted
    /// (default 5 min). Another process may change capabilities at any time; stale
    /// values only make notices wrong, never verdicts.
    pub fn attendee_ttl(mut self, ttl: Duration) -> Self {
        self.attendee_ttl = ttl;
        self
    }

    /// The clock the cache ages entries by (default: the system clock).
    pub fn time_source(mut self, time_source: impl TimeSource + 'static) -> Self {
        self.time_source = SharedTimeSource::new(time_source);
        self
    }

    /// The configured mode (before [`ENV_VAR`](super::ENV_VAR) is applied).
    pub fn get_mode(&self) -> ValidationMode {
        self.mode
    }

    /// Whether lookups on a miss are enabled.
    pub fn get_lookup_on_miss(&self) -> bool {
        self.lookup_on_miss
    }
}
