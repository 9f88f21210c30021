//! What an accepted call does: [`CapabilityReport`] and [`AttendeeNotice`].
//!
//! The report of one call is filled by the validation interceptor while the call runs
//! (inside the call's future), through a task-local slot that only
//! [`SendWithReport::send_with_report`](super::SendWithReport::send_with_report)
//! opens; plain `send()` opens none, and then the notices only go to `tracing`.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex};

use super::{FeatureKnowledge, ValidationError, ValidationMode};
use crate::rules::Notice;

/// Whom a notice is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum NoticeSubject {
    /// An existing attendee, by its id (lower case, however the request spelled it).
    Attendee(String),
    /// An attendee the request creates, by its `ExternalUserId`.
    NewAttendee(String),
    /// Every attendee a `BatchUpdateAttendeeCapabilitiesExcept` changes.
    BatchedAttendees,
}

impl fmt::Display for NoticeSubject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NoticeSubject::Attendee(id) => write!(f, "attendee {id}"),
            NoticeSubject::NewAttendee(external) => write!(f, "new attendee {external}"),
            NoticeSubject::BatchedAttendees => f.write_str("every attendee the batch changes"),
        }
    }
}

/// A [`Notice`] about one attendee (or the attendees of a batch).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AttendeeNotice {
    /// Whom the notice is about.
    pub subject: NoticeSubject,
    /// What the request does.
    pub notice: Notice,
}

impl AttendeeNotice {
    /// The id of the existing attendee the notice is about, if it is about one.
    pub fn attendee_id(&self) -> Option<&str> {
        match &self.subject {
            NoticeSubject::Attendee(id) => Some(id),
            _ => None,
        }
    }
}

impl fmt::Display for AttendeeNotice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.subject, self.notice)
    }
}

/// How an accepted call of one of the five operations that carry
/// `AttendeeCapabilities` was checked, and what it does.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct CapabilityReport {
    /// The mode the call was checked in.
    pub mode: ValidationMode,
    /// What the check knew about the meeting's features: with anything but
    /// [`FeatureKnowledge::Known`], `VideoDisabled` and `ContentDisabled` were not
    /// checked (also `Unknown` when nothing was checked at all).
    pub features: FeatureKnowledge,
    /// The violation [`ValidationMode::Warn`] let through, if any.
    pub warning: Option<ValidationError>,
    /// The notices of the request: values that were not checked
    /// ([`NoticeKind::NotChecked`](crate::rules::NoticeKind::NotChecked)), then the
    /// changes of every attendee whose current capabilities the client knew (for the
    /// batch update: every known attendee not excluded).
    pub notices: Vec<AttendeeNotice>,
}

impl CapabilityReport {
    fn new(mode: ValidationMode) -> Self {
        CapabilityReport {
            mode,
            features: FeatureKnowledge::Unknown,
            warning: None,
            notices: Vec::new(),
        }
    }
}

tokio::task_local! {
    static REPORT: Arc<Mutex<CapabilityReport>>;
}

/// Updates the report of the running call, if it collects one.
pub(crate) fn record(f: impl FnOnce(&mut CapabilityReport)) {
    // Without a slot (plain `send()`) there is nothing to record.
    let _ = REPORT.try_with(|slot| f(&mut slot.lock().unwrap_or_else(|e| e.into_inner())));
}

/// Runs `call` with a report slot open and returns its result with the report.
pub(crate) async fn collect<T>(
    mode: ValidationMode,
    call: impl Future<Output = T>,
) -> (T, CapabilityReport) {
    let slot = Arc::new(Mutex::new(CapabilityReport::new(mode)));
    let result = REPORT.scope(slot.clone(), call).await;
    let report = std::mem::replace(
        &mut *slot.lock().unwrap_or_else(|e| e.into_inner()),
        CapabilityReport::new(mode),
    );
    (result, report)
}
