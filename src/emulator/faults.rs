//! Fault injection for the emulator's server: faults queued for the next requests
//! ([`FaultControl::fail_next`]), faults drawn at random for every request
//! ([`FaultControl::set_rates`]), and counts of what was injected
//! ([`FaultControl::injected`]).

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// A fault to inject instead of (or before) normal handling.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// Answer with [`error_reply`](super::server::error_reply)`(status, error_type, ..)`
    /// without calling the handler; `retry_after` adds a `Retry-After` header (whole
    /// seconds, rounded up).
    Status {
        status: u16,
        error_type: String,
        retry_after: Option<Duration>,
    },
    /// Wait this long (without blocking other requests), then handle normally.
    Delay(Duration),
    /// Close the TCP connection without handling the request or writing any response:
    /// nothing changed, and the client cannot tell.
    DropConnection,
    /// Handle the request, then close the TCP connection without writing the
    /// response: the change is made, and the client cannot tell, so its retry
    /// repeats a request that already succeeded (the case idempotency tokens exist
    /// for).
    DropReply,
}

impl Fault {
    /// `429 ThrottlingException`.
    pub fn throttling() -> Self {
        Fault::Status {
            status: 429,
            error_type: "ThrottlingException".into(),
            retry_after: None,
        }
    }

    /// `500 ServiceFailureException`.
    pub fn service_failure() -> Self {
        Fault::Status {
            status: 500,
            error_type: "ServiceFailureException".into(),
            retry_after: None,
        }
    }

    /// `503 ServiceUnavailableException`, with `Retry-After` when given.
    pub fn service_unavailable(retry_after: Option<Duration>) -> Self {
        Fault::Status {
            status: 503,
            error_type: "ServiceUnavailableException".into(),
            retry_after,
        }
    }
}

/// Faults drawn at random, independently for every request that no queued fault
/// covers: each rate is the share of requests (0 to 1) that get that fault, and the
/// rates add up to at most 1. The draws come from a generator seeded with `seed`, so
/// the same seed and the same order of requests inject the same faults.
/// `FaultRates::default()` injects nothing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FaultRates {
    /// Share of requests whose connection is closed before they are handled
    /// ([`Fault::DropConnection`]).
    pub drop_connection: f64,
    /// Share of requests handled whose response is then not sent ([`Fault::DropReply`]).
    pub drop_reply: f64,
    /// Share of requests answered `503 ServiceUnavailableException`, without
    /// `Retry-After`, and not handled.
    pub service_unavailable: f64,
    /// Share of requests delayed before they are handled ([`Fault::Delay`]), each by a
    /// duration drawn uniformly between zero and `max_delay`.
    pub delay: f64,
    /// The longest delay.
    pub max_delay: Duration,
    /// Seed of the generator that draws the faults and the delays.
    pub seed: u64,
}

impl Default for FaultRates {
    fn default() -> Self {
        FaultRates {
            drop_connection: 0.0,
            drop_reply: 0.0,
            service_unavailable: 0.0,
            delay: 0.0,
            max_delay: Duration::from_millis(50),
            seed: 0,
        }
    }
}

/// Why [`FaultRates`] were refused.
#[derive(Debug, Clone, PartialEq)]
pub struct InvalidFaultRates {
    message: String,
}

impl fmt::Display for InvalidFaultRates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for InvalidFaultRates {}

impl FaultRates {
    fn rates(&self) -> [(&'static str, f64); 4] {
        [
            ("drop_connection", self.drop_connection),
            ("drop_reply", self.drop_reply),
            ("service_unavailable", self.service_unavailable),
            ("delay", self.delay),
        ]
    }

    /// Each rate is between 0 and 1 and they add up to at most 1.
    pub fn validate(&self) -> Result<(), InvalidFaultRates> {
        if let Some((name, rate)) = self
            .rates()
            .into_iter()
            .find(|(_, rate)| !(0.0..=1.0).contains(rate))
        {
            return Err(InvalidFaultRates {
                message: format!(
                    "the fault rate {name} is {rate}; a rate is a share of requests, \
                     between 0 and 1 (0.02 injects the fault into 2 % of them)"
                ),
            });
        }
        let total: f64 = self.rates().iter().map(|(_, rate)| rate).sum();
        if total > 1.0 {
            return Err(InvalidFaultRates {
                message: format!(
                    "the fault rates add up to {total}; a request gets at most one fault, \
                     so they must add up to at most 1"
                ),
            });
        }
        Ok(())
    }

    fn injects_anything(&self) -> bool {
        self.rates().iter().any(|(_, rate)| *rate > 0.0)
    }
}

/// How many faults of each kind were injected so far, queued and drawn alike.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct InjectedFaults {
    /// Connections closed before the request was handled.
    pub dropped_connections: u64,
    /// Requests handled whose response was not sent.
    pub dropped_replies: u64,
    /// Requests answered with an injected error status (`429`, `500`, `503`, ...).
    pub error_statuses: u64,
    /// Requests delayed, then handled normally.
    pub delays: u64,
}

impl InjectedFaults {
    /// Requests the client saw fail: every fault but delays.
    pub fn failed_requests(&self) -> u64 {
        self.dropped_connections + self.dropped_replies + self.error_statuses
    }

    fn count(&mut self, fault: &Fault) {
        let counter = match fault {
            Fault::Status { .. } => &mut self.error_statuses,
            Fault::Delay(_) => &mut self.delays,
            Fault::DropConnection => &mut self.dropped_connections,
            Fault::DropReply => &mut self.dropped_replies,
        };
        *counter += 1;
    }
}

impl fmt::Display for InjectedFaults {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} dropped connection(s), {} dropped response(s), {} error status(es), {} delay(s)",
            self.dropped_connections, self.dropped_replies, self.error_statuses, self.delays
        )
    }
}

/// The generator of random faults (xorshift64*, seeded through splitmix64 so that
/// any seed, 0 included, gives a good sequence).
#[derive(Debug)]
struct Draws {
    rates: FaultRates,
    state: u64,
}

impl Draws {
    fn new(rates: FaultRates) -> Self {
        let mut z = rates.seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Draws {
            rates,
            state: (z ^ (z >> 31)) | 1,
        }
    }

    /// A number in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        let x = self.state.wrapping_mul(0x2545_F491_4F6C_DD1D);
        (x >> 11) as f64 / (1u64 << 53) as f64
    }

    fn next(&mut self) -> Option<Fault> {
        let r = self.rates;
        let mut u = self.unit();
        for (rate, fault) in [
            (r.drop_connection, Fault::DropConnection),
            (r.drop_reply, Fault::DropReply),
            (r.service_unavailable, Fault::service_unavailable(None)),
        ] {
            if u < rate {
                return Some(fault);
            }
            u -= rate;
        }
        (u < r.delay).then(|| Fault::Delay(r.max_delay.mul_f64(self.unit())))
    }
}

#[derive(Debug, Default)]
struct State {
    queue: VecDeque<Fault>,
    draws: Option<Draws>,
    injected: InjectedFaults,
}

/// Fault injection for one server: a queue of faults for the next requests, in
/// arrival order, then faults drawn at random ([`FaultRates`]) for the others. Cheap
/// to clone (all clones share the state); each request takes at most one fault
/// atomically, so `fail_next(n, ..)` affects exactly `n` requests however many run
/// concurrently.
#[derive(Debug, Clone, Default)]
pub struct FaultControl {
    state: Arc<Mutex<State>>,
}

impl FaultControl {
    /// The next `n` requests (after those already queued) get `fault`.
    pub fn fail_next(&self, n: usize, fault: Fault) {
        let mut state = self.lock();
        state.queue.extend(std::iter::repeat_n(fault, n));
    }

    /// Removes every queued fault (the random ones go on).
    pub fn clear(&self) {
        self.lock().queue.clear();
    }

    /// Number of faults still queued.
    pub fn pending(&self) -> usize {
        self.lock().queue.len()
    }

    /// From now on, every request that no queued fault covers gets a fault drawn
    /// with `rates` (replacing earlier rates and restarting the draws from
    /// `rates.seed`); `FaultRates::default()` stops the random faults.
    pub fn set_rates(&self, rates: FaultRates) -> Result<(), InvalidFaultRates> {
        rates.validate()?;
        self.lock().draws = rates.injects_anything().then(|| Draws::new(rates));
        Ok(())
    }

    /// The rates random faults are drawn with (`FaultRates::default()` when none are).
    pub fn rates(&self) -> FaultRates {
        self.lock()
            .draws
            .as_ref()
            .map_or_else(FaultRates::default, |d| d.rates)
    }

    /// The faults injected so far.
    pub fn injected(&self) -> InjectedFaults {
        self.lock().injected
    }

    /// The fault of the request that just arrived, if any.
    pub(crate) fn take(&self) -> Option<Fault> {
        let mut state = self.lock();
        let state = &mut *state;
        let fault = match state.queue.pop_front() {
            Some(fault) => Some(fault),
            None => state.draws.as_mut().and_then(Draws::next),
        }?;
        state.injected.count(&fault);
        Some(fault)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding this lock cannot leave the state inconsistent.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_queue_is_fifo_and_clearable() {
        let f = FaultControl::default();
        let clone = f.clone();
        f.fail_next(2, Fault::throttling());
        clone.fail_next(1, Fault::DropConnection);
        assert_eq!(f.pending(), 3);
        assert_eq!(f.take(), Some(Fault::throttling()));
        assert_eq!(clone.take(), Some(Fault::throttling()));
        assert_eq!(f.take(), Some(Fault::DropConnection));
        assert_eq!(f.take(), None);
        f.fail_next(5, Fault::Delay(Duration::from_millis(1)));
        f.clear();
        assert_eq!(clone.pending(), 0);
        assert_eq!(
            f.injected(),
            InjectedFaults {
                dropped_connections: 1,
                error_statuses: 2,
                ..InjectedFaults::default()
            }
        );
    }

    #[test]
    fn random_faults_follow_their_rates_and_the_seed() {
        let rates = FaultRates {
            drop_connection: 0.01,
            drop_reply: 0.02,
            service_unavailable: 0.03,
            delay: 0.04,
            max_delay: Duration::from_millis(10),
            seed: 7,
        };
        let f = FaultControl::default();
        f.set_rates(rates).unwrap();
        assert_eq!(f.rates(), rates);
        let n = 100_000;
        let mut longest = Duration::ZERO;
        let drawn: Vec<Option<Fault>> = (0..n).map(|_| f.take()).collect();
        for fault in drawn.iter().flatten() {
            if let Fault::Delay(d) = fault {
                longest = longest.max(*d);
            }
        }
        let counts = f.injected();
        // Each count within 10 % of its expectation (several standard deviations).
        for (got, rate) in [
            (counts.dropped_connections, rates.drop_connection),
            (counts.dropped_replies, rates.drop_reply),
            (counts.error_statuses, rates.service_unavailable),
            (counts.delays, rates.delay),
        ] {
            let expected = rate * n as f64;
            assert!((got as f64 - expected).abs() < expected * 0.1, "{counts:?}");
        }
        assert!(longest <= rates.max_delay && longest > rates.max_delay / 2);

        // The same seed draws the same faults; queued faults come first.
        let again = FaultControl::default();
        again.set_rates(rates).unwrap();
        again.fail_next(1, Fault::DropReply);
        assert_eq!(again.take(), Some(Fault::DropReply));
        let replayed: Vec<Option<Fault>> = (0..n).map(|_| again.take()).collect();
        assert_eq!(replayed, drawn);

        again.set_rates(FaultRates::default()).unwrap();
        assert!((0..1000).all(|_| again.take().is_none()));
    }

    #[test]
    fn invalid_rates_are_refused_with_the_reason() {
        let f = FaultControl::default();
        let err = f
            .set_rates(FaultRates {
                delay: 1.5,
                ..FaultRates::default()
            })
            .unwrap_err();
        assert!(err.to_string().contains("delay is 1.5"), "{err}");
        let err = f
            .set_rates(FaultRates {
                drop_reply: 0.6,
                service_unavailable: 0.6,
                ..FaultRates::default()
            })
            .unwrap_err();
        assert!(err.to_string().contains("add up to 1.2"), "{err}");
        let err = f
            .set_rates(FaultRates {
                drop_connection: f64::NAN,
                ..FaultRates::default()
            })
            .unwrap_err();
        assert!(err.to_string().contains("drop_connection"), "{err}");
        assert_eq!(f.rates(), FaultRates::default());
    }
}
