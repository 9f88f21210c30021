//! Timeouts for production use.
//!
//! A client built from `aws_config` with the latest behavior version has only a
//! 3.1 s connect timeout: a request to an endpoint that accepts the connection and
//! then never answers waits forever. [`recommended`] bounds every part of a call:
//!
//! | Timeout | Value | What it bounds |
//! |---|---|---|
//! | connect | [`CONNECT`] (3.1 s) | opening the TCP (and TLS) connection |
//! | read | [`READ`] (5 s) | waiting for the response to start |
//! | operation attempt | [`OPERATION_ATTEMPT`] (10 s) | one attempt: signing, sending, reading the whole response |
//! | operation | [`OPERATION`] (35 s) | the whole call, retries and their backoff included |
//!
//! The service answers these operations in well under a second; the values leave room
//! for a slow network while making sure a call fails (with `SdkError::TimeoutError`
//! or a dispatch failure) instead of hanging. Three attempts of [`OPERATION_ATTEMPT`]
//! with the standard retry backoff fit in [`OPERATION`].
//!
//! ```no_run
//! # async fn example() {
//! use aws_config::BehaviorVersion;
//!
//! // For every client made from this configuration...
//! let sdk_config = aws_config::defaults(BehaviorVersion::latest())
//!     .timeout_config(chime_caps::timeouts::recommended())
//!     .load()
//!     .await;
//! let client = chime_caps::Client::new(&sdk_config);
//!
//! // ...or for one client, with a longer bound on the whole call.
//! let timeouts = chime_caps::timeouts::recommended()
//!     .to_builder()
//!     .operation_timeout(std::time::Duration::from_secs(60))
//!     .build();
//! let config = chime_caps::config::Builder::from(&sdk_config)
//!     .timeout_config(timeouts)
//!     .build();
//! let patient = chime_caps::Client::from_conf(config);
//! # let _ = (client, patient);
//! # }
//! ```

use std::time::Duration;

use aws_smithy_types::timeout::TimeoutConfig;

/// Opening a connection (the SDK's own default).
pub const CONNECT: Duration = Duration::from_millis(3100);
/// Waiting for the first byte of the response.
pub const READ: Duration = Duration::from_secs(5);
/// One attempt, from signing to the end of the response.
pub const OPERATION_ATTEMPT: Duration = Duration::from_secs(10);
/// The whole call, retries included.
pub const OPERATION: Duration = Duration::from_secs(35);

/// The timeouts recommended for production: see the [module documentation](self).
pub fn recommended() -> TimeoutConfig {
    TimeoutConfig::builder()
        .connect_timeout(CONNECT)
        .read_timeout(READ)
        .operation_attempt_timeout(OPERATION_ATTEMPT)
        .operation_timeout(OPERATION)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_part_of_a_call_is_bounded_and_the_bounds_nest() {
        let t = recommended();
        let (connect, read, attempt, operation) = (
            t.connect_timeout().unwrap(),
            t.read_timeout().unwrap(),
            t.operation_attempt_timeout().unwrap(),
            t.operation_timeout().unwrap(),
        );
        // One attempt can connect and wait for the answer.
        assert!(connect + read <= attempt);
        // Three attempts (the standard retry mode) and the two backoffs between them
        // (at most 1 s, then 2 s: the standard mode's 1 s base, doubled) fit in the
        // whole call.
        assert!(attempt * 3 + Duration::from_secs(1 + 2) <= operation);
    }
}
