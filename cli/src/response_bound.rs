//! Bounded responses: an interceptor that refuses a response body larger than a
//! limit, or one that stops arriving for longer than the read timeout, with an error
//! that says so, so that a misbehaving endpoint costs the CLI a bounded amount of
//! memory and time. (The HTTP client's read timeout covers only the wait for the
//! response head.)

use std::error::Error;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::BeforeDeserializationInterceptorContextMut;
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::config_bag::ConfigBag;
use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use tokio::time::Sleep;

/// Largest response body the CLI reads (1 MiB; the largest valid response of the
/// operations it calls, a `ListAttendees` page of 100 attendees with 2048-character
/// join tokens, is about 230 KiB).
pub const MAX_RESPONSE_BYTES: u64 = 1 << 20;

/// Why a response was abandoned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResponseBoundError {
    /// The body is (or is declared) larger than the limit.
    TooLarge { limit: u64 },
    /// No part of the body arrived within the read timeout.
    Stalled { read_timeout: Duration },
}

impl fmt::Display for ResponseBoundError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ResponseBoundError::TooLarge { limit } => write!(
                f,
                "the response body is larger than the limit of {limit} bytes; the endpoint is \
                 not behaving like the service (check --endpoint-url)"
            ),
            ResponseBoundError::Stalled { read_timeout } => write!(
                f,
                "the response body stopped arriving for {} s (--cli-read-timeout); the endpoint \
                 is not answering",
                read_timeout.as_secs_f64()
            ),
        }
    }
}

impl Error for ResponseBoundError {}

/// Wraps every response body in a [`BoundedBody`] before it is read.
#[derive(Debug, Clone)]
pub struct BoundResponses {
    max_body_bytes: u64,
    read_timeout: Option<Duration>,
}

impl BoundResponses {
    pub fn new(max_body_bytes: u64, read_timeout: Option<Duration>) -> Self {
        BoundResponses {
            max_body_bytes,
            read_timeout,
        }
    }
}

impl Intercept for BoundResponses {
    fn name(&self) -> &'static str {
        "BoundResponses"
    }

    fn modify_before_deserialization(
        &self,
        context: &mut BeforeDeserializationInterceptorContextMut<'_>,
        _runtime_components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let limit = self.max_body_bytes;
        let response = context.response_mut();
        let declared = response
            .headers()
            .get("content-length")
            .and_then(|v| v.trim().parse::<u64>().ok());
        if declared.is_some_and(|n| n > limit) {
            return Err(ResponseBoundError::TooLarge { limit }.into());
        }
        let body = response.take_body();
        *response.body_mut() =
            SdkBody::from_body_1_x(BoundedBody::new(body, limit, self.read_timeout));
        Ok(())
    }
}

/// A body that fails once more than `remaining` bytes arrive, or when the next piece
/// takes longer than `read_timeout`.
struct BoundedBody {
    inner: SdkBody,
    limit: u64,
    remaining: u64,
    read_timeout: Option<Duration>,
    /// Started when the inner body is pending, cleared when a piece arrives.
    waiting: Option<Pin<Box<Sleep>>>,
}

impl BoundedBody {
    fn new(inner: SdkBody, limit: u64, read_timeout: Option<Duration>) -> Self {
        BoundedBody {
            inner,
            limit,
            remaining: limit,
            read_timeout,
            waiting: None,
        }
    }
}

impl Body for BoundedBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        let this = self.get_mut();
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                this.waiting = None;
                let len = frame.data_ref().map_or(0, |d| d.len() as u64);
                if len > this.remaining {
                    this.remaining = 0;
                    return Poll::Ready(Some(Err(ResponseBoundError::TooLarge {
                        limit: this.limit,
                    }
                    .into())));
                }
                this.remaining -= len;
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(e))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => {
                let Some(read_timeout) = this.read_timeout else {
                    return Poll::Pending;
                };
                let timer = this
                    .waiting
                    .get_or_insert_with(|| Box::pin(tokio::time::sleep(read_timeout)));
                match timer.as_mut().poll(cx) {
                    Poll::Ready(()) => {
                        Poll::Ready(Some(Err(
                            ResponseBoundError::Stalled { read_timeout }.into()
                        )))
                    }
                    Poll::Pending => Poll::Pending,
                }
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body_util::BodyExt;

    /// A body that yields `pieces` chunks of `size` bytes, then never ends.
    struct Endless {
        size: usize,
        pieces: usize,
    }

    impl Body for Endless {
        type Data = Bytes;
        type Error = BoxError;

        fn poll_frame(
            mut self: Pin<&mut Self>,
            _cx: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
            if self.pieces == 0 {
                return Poll::Pending;
            }
            self.pieces -= 1;
            Poll::Ready(Some(Ok(Frame::data(Bytes::from(vec![b'x'; self.size])))))
        }
    }

    fn bounded(pieces: usize, limit: u64, read_timeout: Option<Duration>) -> BoundedBody {
        let endless = SdkBody::from_body_1_x(Endless { size: 1000, pieces });
        BoundedBody::new(endless, limit, read_timeout)
    }

    #[tokio::test]
    async fn bodies_within_the_limit_pass_through() {
        let body = BoundedBody::new(SdkBody::from("{\"a\":1}"), 7, None);
        let bytes = body.collect().await.unwrap().to_bytes();
        assert_eq!(&bytes[..], b"{\"a\":1}");
    }

    #[tokio::test]
    async fn a_body_over_the_limit_fails_without_being_read_further() {
        let err = bounded(usize::MAX, 5_500, None)
            .collect()
            .await
            .unwrap_err();
        let bound = err.downcast_ref::<ResponseBoundError>().unwrap();
        assert_eq!(bound, &ResponseBoundError::TooLarge { limit: 5_500 });
        assert!(err.to_string().contains("5500 bytes"), "{err}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_body_that_stops_fails_after_the_read_timeout() {
        let timeout = Duration::from_secs(7);
        let started = tokio::time::Instant::now();
        let err = bounded(3, u64::MAX, Some(timeout))
            .collect()
            .await
            .unwrap_err();
        assert_eq!(
            err.downcast_ref::<ResponseBoundError>(),
            Some(&ResponseBoundError::Stalled {
                read_timeout: timeout
            })
        );
        assert_eq!(started.elapsed(), timeout);
    }
}
