//! Timeouts against a real socket: a server on 127.0.0.1 that accepts connections
//! and never answers, reached through the crate's default HTTP client.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use aws_sdk_chimesdkmeetings::config::retry::RetryConfig;
use aws_sdk_chimesdkmeetings::config::timeout::TimeoutConfig;
use aws_sdk_chimesdkmeetings::error::SdkError;
use aws_sdk_chimesdkmeetings::operation::get_meeting::GetMeetingError;
use aws_sdk_chimesdkmeetings::Client;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;

use crate::support::{bare_builder, MEETING_ID, PATIENCE};

/// A loopback server that reads requests and never writes a byte back.
struct SilentServer {
    endpoint: String,
    connections: Arc<AtomicUsize>,
}

impl SilentServer {
    async fn start() -> SilentServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let connections = Arc::new(AtomicUsize::new(0));
        let counter = connections.clone();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                counter.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(async move {
                    let mut sink = [0u8; 4096];
                    while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
                });
            }
        });
        SilentServer {
            endpoint,
            connections,
        }
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }
}

async fn get_meeting(
    client: &Client,
) -> (
    Result<(), SdkError<GetMeetingError, HttpResponse>>,
    Duration,
) {
    let started = Instant::now();
    let result = tokio::time::timeout(PATIENCE, client.get_meeting().meeting_id(MEETING_ID).send())
        .await
        .expect("the configured timeout fires well before the test's patience runs out");
    (result.map(|_| ()), started.elapsed())
}

#[tokio::test]
async fn operation_timeout_ends_a_call_to_a_silent_server() {
    let server = SilentServer::start().await;
    let client = Client::from_conf(
        bare_builder()
            .endpoint_url(&server.endpoint)
            .timeout_config(
                TimeoutConfig::builder()
                    .operation_timeout(Duration::from_millis(300))
                    .build(),
            )
            .build(),
    );
    let (result, elapsed) = get_meeting(&client).await;
    let err = result.expect_err("the server never answers");
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
    assert!(
        elapsed >= Duration::from_millis(300) && elapsed < Duration::from_secs(2),
        "{elapsed:?}"
    );
    assert_eq!(server.connections(), 1);
}

/// Each attempt gets its own timeout, and a timed-out attempt is retried.
#[tokio::test]
async fn attempt_timeout_is_retried() {
    let server = SilentServer::start().await;
    let client = Client::from_conf(
        bare_builder()
            .endpoint_url(&server.endpoint)
            .timeout_config(
                TimeoutConfig::builder()
                    .operation_attempt_timeout(Duration::from_millis(150))
                    .build(),
            )
            .retry_config(
                RetryConfig::standard()
                    .with_max_attempts(2)
                    .with_initial_backoff(Duration::from_millis(10)),
            )
            .build(),
    );
    let (result, elapsed) = get_meeting(&client).await;
    let err = result.expect_err("the server never answers");
    assert!(matches!(err, SdkError::TimeoutError(_)), "{err:?}");
    assert!(
        elapsed >= Duration::from_millis(300) && elapsed < Duration::from_secs(2),
        "{elapsed:?}"
    );
    assert_eq!(server.connections(), 2, "one connection per attempt");
}

/// A read timeout is a dispatch failure of kind timeout.
#[tokio::test]
async fn read_timeout_is_a_dispatch_timeout() {
    let server = SilentServer::start().await;
    let client = Client::from_conf(
        bare_builder()
            .endpoint_url(&server.endpoint)
            .timeout_config(
                TimeoutConfig::builder()
                    .read_timeout(Duration::from_millis(200))
                    .build(),
            )
            .retry_config(RetryConfig::disabled())
            .build(),
    );
    let (result, elapsed) = get_meeting(&client).await;
    let err = result.expect_err("the server never answers");
    let SdkError::DispatchFailure(failure) = &err else {
        panic!("expected a dispatch failure: {err:?}");
    };
    assert!(failure.is_timeout(), "{err:?}");
    assert!(
        elapsed >= Duration::from_millis(200) && elapsed < Duration::from_secs(2),
        "{elapsed:?}"
    );
}

/// Nothing listening: the connection is refused, an I/O dispatch failure.
#[tokio::test]
async fn refused_connection_is_an_io_dispatch_failure() {
    let closed_port = {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = Client::from_conf(
        bare_builder()
            .endpoint_url(format!("http://127.0.0.1:{closed_port}"))
            .retry_config(RetryConfig::disabled())
            .build(),
    );
    let (result, _) = get_meeting(&client).await;
    let err = result.expect_err("nothing listens");
    let SdkError::DispatchFailure(failure) = &err else {
        panic!("expected a dispatch failure: {err:?}");
    };
    assert!(failure.is_io(), "{err:?}");
}
