//! What an accepted call does: [`CapabilityReport`] and [`AttendeeNotice`].
//!
//! The report of one call is filled while the call runs (by the input inspector and
//! the learning interceptor, which run inside the call's future) through a task-local
//! slot that only [`SendWithReport::send_with_report`](super::SendWithReport::send_with_report)
//! opens; plain `send()` opens none, and then the notices only go to `tracing`.

use std::fmt;
use std::future::Future;
use std::sync::{Arc, Mutex};

use super::{FeatureKnowledge, ValidationError, ValidationMode};
use crate::rules::Notice;

/// A [`Notice`] about one attendee.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AttendeeNotice {
    /// The attendee whose capabilities change.
    pub attendee_id: String,
    /// What the change does.
    pub notice: Notice,
}

impl fmt::Display for AttendeeNotice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "attendee {}: {}", self.attendee_id, self.notice)
    }
}

/// How an accepted `UpdateAttendeeCapabilities` or
/// `BatchUpdateAttendeeCapabilitiesExcept` call was checked, and what it does.
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
    /// The notices of the change, for every attendee whose current capabilities the
    /// client knew (for the batch operation: every known attendee not excluded).
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
