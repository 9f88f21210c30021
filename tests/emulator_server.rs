//! The emulator's HTTP plumbing, exercised with raw HTTP/1.1 over TCP on loopback.
#![cfg(feature = "emulator")]

use std::collections::HashSet;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chime_caps::emulator::server::{
    error_reply, serve, serve_with, Fault, IncomingRequest, Reply, ServerHandle, ServerOptions,
};
use http::{HeaderName, HeaderValue};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::time::timeout;

const LIMIT: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------------------------
// A tiny HTTP/1.1 client.
// ---------------------------------------------------------------------------------

#[derive(Debug)]
struct RawResponse {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl RawResponse {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn request_id(&self) -> String {
        self.header("x-amzn-RequestId")
            .expect("every reply carries x-amzn-RequestId")
            .to_string()
    }

    fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("JSON body")
    }

    /// Asserts the service's error shape: `status`, `x-amzn-ErrorType: error_type`,
    /// and a JSON body whose `RequestId` is the reply's `x-amzn-RequestId`. Returns
    /// the `Message`.
    fn assert_error(&self, status: u16, error_type: &str) -> String {
        assert_eq!(self.status, status, "{self:?}");
        assert_eq!(
            self.header("x-amzn-ErrorType"),
            Some(error_type),
            "{self:?}"
        );
        assert_eq!(self.header("content-type"), Some("application/json"));
        let json = self.json();
        assert_eq!(json["RequestId"], self.request_id().as_str(), "{json}");
        json["Message"].as_str().expect("a Message").to_string()
    }
}

struct Conn {
    stream: BufReader<TcpStream>,
}

impl Conn {
    async fn open(addr: SocketAddr) -> Conn {
        let stream = TcpStream::connect(addr).await.expect("connect");
        Conn {
            stream: BufReader::new(stream),
        }
    }

    async fn send_raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stream.get_mut().write_all(bytes).await
    }

    async fn send(&mut self, method: &str, path: &str, extra: &[(&str, &str)], body: &[u8]) {
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: {}\r\n",
            body.len()
        );
        for (k, v) in extra {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(body);
        self.send_raw(&bytes).await.expect("write request");
    }

    /// Reads one response; `Ok(None)` when the server closed the connection first.
    async fn read_response(&mut self) -> io::Result<Option<RawResponse>> {
        let mut line = String::new();
        if self.stream.read_line(&mut line).await? == 0 {
            return Ok(None);
        }
        let mut parts = line.trim_end().splitn(3, ' ');
        assert_eq!(parts.next(), Some("HTTP/1.1"), "status line {line:?}");
        let status: u16 = parts.next().unwrap().parse().unwrap();
        let mut headers = Vec::new();
        loop {
            let mut h = String::new();
            if self.stream.read_line(&mut h).await? == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            let h = h.trim_end();
            if h.is_empty() {
                break;
            }
            let (k, v) = h.split_once(':').expect("header line");
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
        let len: usize = headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
            .map(|(_, v)| v.parse().unwrap())
            .unwrap_or(0);
        let mut body = vec![0; len];
        self.stream.read_exact(&mut body).await?;
        Ok(Some(RawResponse {
            status,
            headers,
            body,
        }))
    }

    async fn expect_response(&mut self) -> RawResponse {
        timeout(LIMIT, self.read_response())
            .await
            .expect("response in time")
            .expect("readable response")
            .expect("a response, not a closed connection")
    }

    async fn request(&mut self, method: &str, path: &str, body: &[u8]) -> RawResponse {
        self.send(method, path, &[], body).await;
        self.expect_response().await
    }

    /// True when the server closed the connection (EOF or reset) without sending
    /// a single byte.
    async fn closed_without_response(&mut self) -> bool {
        let mut buf = [0u8; 64];
        match timeout(LIMIT, self.stream.read(&mut buf)).await {
            Ok(Ok(0)) => true,
            Ok(Ok(_)) => false,
            Ok(Err(e)) => matches!(
                e.kind(),
                io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionAborted
            ),
            Err(_) => panic!("connection neither answered nor closed"),
        }
    }
}

async fn one_request(addr: SocketAddr, method: &str, path: &str, body: &[u8]) -> RawResponse {
    Conn::open(addr).await.request(method, path, body).await
}

/// Waits until the server has seen `n` requests (bounded, so a broken counter fails
/// instead of hanging).
async fn wait_for_requests(server: &ServerHandle, n: u64) {
    let deadline = Instant::now() + LIMIT;
    while server.requests_served() < n {
        assert!(
            Instant::now() < deadline,
            "server saw {} of {n} requests",
            server.requests_served()
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

// ---------------------------------------------------------------------------------
// Handlers.
// ---------------------------------------------------------------------------------

/// Echoes the request as JSON and counts its calls.
#[derive(Default)]
struct Echo {
    calls: AtomicUsize,
}

impl chime_caps::emulator::server::Handler for Echo {
    fn handle(&self, req: IncomingRequest) -> Reply {
        self.calls.fetch_add(1, Ordering::SeqCst);
        if req.uri.path() == "/panic" {
            panic!("handler bug");
        }
        if req.uri.path() == "/missing" {
            return error_reply(
                404,
                "NotFoundException",
                "The meeting does not exist.",
                &req.request_id,
            );
        }
        let headers: serde_json::Map<String, serde_json::Value> = req
            .headers
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("?").into()))
            .collect();
        let body = serde_json::json!({
            "method": req.method.as_str(),
            "path": req.uri.path(),
            "query": req.uri.query(),
            "headers": headers,
            "bodyLen": req.body.len(),
            "body": String::from_utf8_lossy(&req.body),
            "requestId": req.request_id,
            "peerIsLoopback": req.remote_addr.ip().is_loopback(),
        });
        Reply::json(200, body.to_string()).with_header(
            HeaderName::from_static("x-echo"),
            HeaderValue::from_static("yes"),
        )
    }
}

async fn echo_server() -> (ServerHandle, Arc<Echo>) {
    echo_server_with(ServerOptions::default()).await
}

async fn echo_server_with(options: ServerOptions) -> (ServerHandle, Arc<Echo>) {
    let echo = Arc::new(Echo::default());
    let server = serve_with("127.0.0.1:0".parse().unwrap(), echo.clone(), options)
        .await
        .expect("bind loopback");
    (server, echo)
}

// ---------------------------------------------------------------------------------
// Tests.
// ---------------------------------------------------------------------------------

#[tokio::test]
async fn binds_an_ephemeral_loopback_port() {
    let (server, _) = echo_server().await;
    let addr = server.local_addr();
    assert!(addr.ip().is_loopback());
    assert_ne!(addr.port(), 0);
    assert_eq!(
        server.endpoint_url(),
        format!("http://127.0.0.1:{}", addr.port())
    );
    assert_eq!(server.requests_served(), 0, "nothing sent yet");
    server.shutdown().await;
}

#[tokio::test]
async fn echo_over_keep_alive_with_unique_request_ids() {
    let (server, echo) = echo_server().await;
    let mut conn = Conn::open(server.local_addr()).await;
    let mut ids = HashSet::new();
    for i in 0..5 {
        let body = format!("{{\"n\":{i}}}");
        conn.send(
            "PUT",
            &format!("/meetings/m%2F1/attendees?max-results={i}"),
            &[
                ("content-type", "application/json"),
                ("x-amz-date", "20261122T002400Z"),
            ],
            body.as_bytes(),
        )
        .await;
        // Same TCP connection every time: HTTP/1.1 keep-alive.
        let resp = conn.expect_response().await;
        assert_eq!(resp.status, 200);
        assert_eq!(resp.header("x-echo"), Some("yes"));
        assert_eq!(resp.header("content-type"), Some("application/json"));
        let echoed = resp.json();
        assert_eq!(echoed["method"], "PUT");
        assert_eq!(echoed["path"], "/meetings/m%2F1/attendees");
        assert_eq!(echoed["query"], format!("max-results={i}"));
        assert_eq!(echoed["body"], body);
        assert_eq!(echoed["bodyLen"], body.len());
        assert_eq!(echoed["headers"]["x-amz-date"], "20261122T002400Z");
        assert_eq!(echoed["peerIsLoopback"], true);
        // The handler saw the id the reply carries.
        let id = resp.request_id();
        assert_eq!(echoed["requestId"], id.as_str());
        assert_eq!(id.len(), 36);
        assert!(ids.insert(id), "request ids must be unique");
    }
    // Ids are unique across connections too.
    for _ in 0..5 {
        let resp = one_request(server.local_addr(), "GET", "/", b"").await;
        assert!(ids.insert(resp.request_id()));
    }
    assert_eq!(echo.calls.load(Ordering::SeqCst), 10);
    assert_eq!(server.requests_served(), 10);
    server.shutdown().await;
}

#[tokio::test]
async fn handler_error_replies_have_the_service_shape() {
    let (server, _) = echo_server().await;
    let resp = one_request(server.local_addr(), "GET", "/missing", b"").await;
    assert_eq!(resp.status, 404);
    assert_eq!(resp.header("x-amzn-ErrorType"), Some("NotFoundException"));
    assert_eq!(resp.header("content-type"), Some("application/json"));
    let id = resp.request_id();
    assert_eq!(
        resp.json(),
        serde_json::json!({"Code": "NotFound", "Message": "The meeting does not exist.", "RequestId": id})
    );
    server.shutdown().await;
}

#[tokio::test]
async fn faults_apply_in_queue_order() {
    let (server, echo) = echo_server().await;
    server.faults().fail_next(1, Fault::throttling());
    server.faults().fail_next(
        1,
        Fault::service_unavailable(Some(Duration::from_millis(2500))),
    );
    server.faults().fail_next(
        1,
        Fault::Status {
            status: 500,
            error_type: "ServiceFailureException".into(),
            retry_after: None,
        },
    );
    assert_eq!(server.faults().pending(), 3);
    let mut conn = Conn::open(server.local_addr()).await;

    let r1 = conn.request("GET", "/meetings/m-1", b"").await;
    assert_eq!(r1.status, 429);
    assert_eq!(r1.header("x-amzn-ErrorType"), Some("ThrottlingException"));
    assert_eq!(r1.header("retry-after"), None);
    assert_eq!(r1.json()["Code"], "Throttled");
    assert_eq!(r1.json()["RequestId"], r1.request_id().as_str());

    let r2 = conn.request("GET", "/meetings/m-1", b"").await;
    assert_eq!(r2.status, 503);
    assert_eq!(
        r2.header("x-amzn-ErrorType"),
        Some("ServiceUnavailableException")
    );
    assert_eq!(
        r2.header("Retry-After"),
        Some("3"),
        "rounded up to whole seconds"
    );
    assert_eq!(r2.json()["Code"], "ServiceUnavailable");

    let r3 = conn.request("PUT", "/meetings/m-1", b"{}").await;
    assert_eq!(r3.status, 500);
    assert_eq!(r3.json()["Code"], "ServiceFailure");

    let r4 = conn.request("GET", "/meetings/m-1", b"").await;
    assert_eq!(r4.status, 200, "queue drained: normal handling");

    // Faulted requests never reached the handler but were served.
    assert_eq!(echo.calls.load(Ordering::SeqCst), 1);
    assert_eq!(server.requests_served(), 4);
    let ids: HashSet<String> = [&r1, &r2, &r3, &r4]
        .iter()
        .map(|r| r.request_id())
        .collect();
    assert_eq!(ids.len(), 4);

    // clear() empties the queue.
    server.faults().fail_next(10, Fault::throttling());
    server.faults().clear();
    assert_eq!(conn.request("GET", "/", b"").await.status, 200);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_requests_take_exactly_n_faults() {
    let (server, echo) = echo_server().await;
    let addr = server.local_addr();
    server.faults().fail_next(7, Fault::service_failure());
    let tasks: Vec<_> = (0..40)
        .map(|_| tokio::spawn(async move { one_request(addr, "GET", "/", b"").await.status }))
        .collect();
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap());
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 500).count(),
        7,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 200).count(),
        33,
        "{statuses:?}"
    );
    assert_eq!(server.faults().pending(), 0);
    assert_eq!(echo.calls.load(Ordering::SeqCst), 33);
    assert_eq!(server.requests_served(), 40);
    server.shutdown().await;
}

// Single-threaded on purpose: a delay that blocked the thread would stall every
// other request, which this test would see.
#[tokio::test]
async fn delay_does_not_block_other_requests() {
    let (server, echo) = echo_server().await;
    let addr = server.local_addr();
    let delay = Duration::from_millis(800);
    server.faults().fail_next(1, Fault::Delay(delay));

    // Five concurrent requests; whichever arrives first is delayed.
    let start = Instant::now();
    let tasks: Vec<_> = (0..5)
        .map(|i| {
            tokio::spawn(async move {
                let r = one_request(addr, "GET", &format!("/r{i}"), b"").await;
                (r, start.elapsed())
            })
        })
        .collect();
    let mut slow = Vec::new();
    let mut fast = Vec::new();
    for t in tasks {
        let (resp, elapsed) = t.await.unwrap();
        assert_eq!(
            resp.status, 200,
            "delayed requests are then handled normally"
        );
        if elapsed >= delay {
            slow.push(elapsed);
        } else {
            assert!(elapsed < delay / 2, "a request took {elapsed:?}");
            fast.push(elapsed);
        }
    }
    assert_eq!(slow.len(), 1, "slow {slow:?}, fast {fast:?}");
    assert_eq!(fast.len(), 4, "slow {slow:?}, fast {fast:?}");
    assert_eq!(echo.calls.load(Ordering::SeqCst), 5);
    server.shutdown().await;
}

#[tokio::test]
async fn drop_connection_closes_without_a_response() {
    let (server, echo) = echo_server().await;
    server.faults().fail_next(1, Fault::DropConnection);
    let mut conn = Conn::open(server.local_addr()).await;
    conn.send("PUT", "/meetings/m-1", &[], b"{\"a\":1}").await;
    assert!(conn.closed_without_response().await);
    assert_eq!(echo.calls.load(Ordering::SeqCst), 0);
    assert_eq!(
        server.requests_served(),
        1,
        "the dropped request reached the server"
    );

    // Other connections are unaffected, and the fault was used up.
    let ok = one_request(server.local_addr(), "GET", "/", b"").await;
    assert_eq!(ok.status, 200);
    assert_eq!(server.requests_served(), 2);

    // A drop in the middle of a keep-alive connection.
    let mut conn = Conn::open(server.local_addr()).await;
    assert_eq!(conn.request("GET", "/first", b"").await.status, 200);
    server.faults().fail_next(1, Fault::DropConnection);
    conn.send("GET", "/second", &[], b"").await;
    assert!(conn.closed_without_response().await);
    assert_eq!(server.requests_served(), 4);
    server.shutdown().await;
}

/// The request is handled (the change is made), then the connection is closed
/// without the response: what a client's retry must survive.
#[tokio::test]
async fn drop_reply_handles_the_request_then_closes() {
    let (server, echo) = echo_server().await;
    let mut conn = Conn::open(server.local_addr()).await;
    assert_eq!(conn.request("GET", "/first", b"").await.status, 200);
    server.faults().fail_next(1, Fault::DropReply);
    conn.send("PUT", "/meetings/m-1", &[], b"{\"a\":1}").await;
    assert!(conn.closed_without_response().await);
    assert_eq!(
        echo.calls.load(Ordering::SeqCst),
        2,
        "the request was handled"
    );
    assert_eq!(server.requests_served(), 2);
    let injected = server.faults().injected();
    assert_eq!(
        (injected.dropped_replies, injected.failed_requests()),
        (1, 1)
    );

    let ok = one_request(server.local_addr(), "GET", "/", b"").await;
    assert_eq!(ok.status, 200);
    server.shutdown().await;
}

#[tokio::test]
async fn oversized_bodies_are_rejected_with_413() {
    let (server, echo) = echo_server().await;
    let addr = server.local_addr();

    // Exactly at the default 1 MiB limit: accepted.
    let at_limit = vec![b'x'; 1 << 20];
    let ok = one_request(addr, "PUT", "/big", &at_limit).await;
    assert_eq!(ok.status, 200);
    assert_eq!(ok.json()["bodyLen"], 1 << 20);

    // Declared larger than the limit: rejected before reading the body.
    let mut conn = Conn::open(addr).await;
    conn.send_raw(b"PUT /big HTTP/1.1\r\nhost: x\r\ncontent-length: 1048577\r\n\r\n")
        .await
        .unwrap();
    let resp = conn.expect_response().await;
    assert_eq!(resp.status, 413);
    assert_eq!(resp.header("x-amzn-ErrorType"), Some("BadRequestException"));
    assert_eq!(resp.json()["Code"], "BadRequest");
    assert_eq!(resp.json()["RequestId"], resp.request_id().as_str());

    // One byte over, actually sent.
    let over = vec![b'x'; (1 << 20) + 1];
    let resp = one_request(addr, "PUT", "/big", &over).await;
    assert_eq!(resp.status, 413);

    // Chunked, with no length announced.
    let mut conn = Conn::open(addr).await;
    conn.send_raw(b"POST /chunked HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n")
        .await
        .unwrap();
    let chunk = vec![b'y'; 64 * 1024];
    let mut resp = None;
    for _ in 0..20 {
        let mut piece = format!("{:x}\r\n", chunk.len()).into_bytes();
        piece.extend_from_slice(&chunk);
        piece.extend_from_slice(b"\r\n");
        if conn.send_raw(&piece).await.is_err() {
            break;
        }
    }
    let _ = conn.send_raw(b"0\r\n\r\n").await;
    if let Ok(Ok(Some(r))) = timeout(LIMIT, conn.read_response()).await {
        resp = Some(r);
    }
    assert_eq!(resp.expect("a 413 reply").status, 413);

    assert_eq!(
        echo.calls.load(Ordering::SeqCst),
        1,
        "only the accepted body reached the handler"
    );
    // The server is still fine.
    assert_eq!(one_request(addr, "GET", "/", b"").await.status, 200);
    server.shutdown().await;
}

#[tokio::test]
async fn body_limit_is_configurable() {
    let options = ServerOptions {
        max_body_bytes: 16,
        ..ServerOptions::default()
    };
    let (server, _) = echo_server_with(options).await;
    let addr = server.local_addr();
    assert_eq!(one_request(addr, "PUT", "/", &[b'a'; 16]).await.status, 200);
    assert_eq!(one_request(addr, "PUT", "/", &[b'a'; 17]).await.status, 413);
    server.shutdown().await;
}

#[tokio::test]
async fn malformed_requests_and_handler_panics_do_not_stop_the_server() {
    let (server, _) = echo_server().await;
    let addr = server.local_addr();

    for garbage in [
        &b"this is not http\r\n\r\n"[..],
        b"GET / HTTP/1.1\r\nbad header line without colon\r\n\r\n",
        b"GET / HTTP/1.1\r\nhost: x\r\ncontent-length: nope\r\n\r\n",
        b"GET / HTTP/1.1\r\nhost: x\r\ncontent-length: 5\r\ncontent-length: 6\r\n\r\nhello",
        b"POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: gzip\r\n\r\n",
        b"\x00\x01\x02\xff\xfe\r\n\r\n",
        b"GET /\xff\xfe HTTP/1.1\r\nhost: x\r\n\r\n",
    ] {
        // Even a request the HTTP layer cannot read gets the service's error shape.
        let mut conn = Conn::open(addr).await;
        let _ = conn.send_raw(garbage).await;
        let reply = conn.expect_response().await;
        let message = reply.assert_error(400, "BadRequestException");
        assert!(message.contains("not valid HTTP/1.1"), "{message}");
        assert!(conn.closed_without_response().await, "{garbage:?}");
    }
    assert_eq!(
        server.requests_served(),
        0,
        "unreadable requests are not counted"
    );

    // A client that disappears halfway through a body.
    let mut conn = Conn::open(addr).await;
    conn.send_raw(b"PUT / HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\nonly-part")
        .await
        .unwrap();
    drop(conn);

    // A panicking handler becomes a 500 ServiceFailureException.
    let resp = one_request(addr, "GET", "/panic", b"").await;
    assert_eq!(resp.status, 500);
    assert_eq!(
        resp.header("x-amzn-ErrorType"),
        Some("ServiceFailureException")
    );
    assert_eq!(resp.json()["RequestId"], resp.request_id().as_str());

    let resp = one_request(addr, "GET", "/still-alive", b"").await;
    assert_eq!(resp.status, 200);
    server.shutdown().await;
}

#[tokio::test]
async fn invalid_handler_status_becomes_500() {
    let handler = |req: IncomingRequest| -> Reply {
        if req.uri.path() == "/bad" {
            Reply::new(42)
        } else {
            Reply::new(204)
        }
    };
    let server = serve("127.0.0.1:0".parse().unwrap(), Arc::new(handler))
        .await
        .unwrap();
    let mut conn = Conn::open(server.local_addr()).await;
    let resp = conn.request("GET", "/bad", b"").await;
    assert_eq!(resp.status, 500);
    assert_eq!(
        resp.header("x-amzn-ErrorType"),
        Some("ServiceFailureException")
    );
    let resp = conn.request("GET", "/ok", b"").await;
    assert_eq!(resp.status, 204);
    assert!(resp.header("x-amzn-RequestId").is_some());
    server.shutdown().await;
}

#[tokio::test]
async fn date_header_follows_the_configured_clock() {
    let at = std::time::UNIX_EPOCH + Duration::from_secs(1_795_307_040);
    let (server, _) = echo_server_with(ServerOptions::default().with_clock(move || at)).await;
    let resp = one_request(server.local_addr(), "GET", "/", b"").await;
    assert_eq!(resp.header("date"), Some("Sun, 22 Nov 2026 00:24:00 GMT"));
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graceful_shutdown_finishes_in_flight_requests() {
    let (server, echo) = echo_server().await;
    let addr = server.local_addr();

    // An idle keep-alive connection...
    let mut idle = Conn::open(addr).await;
    assert_eq!(idle.request("GET", "/warm", b"").await.status, 200);

    // ...and a request in flight (held by a delay fault) when shutdown starts.
    server
        .faults()
        .fail_next(1, Fault::Delay(Duration::from_millis(600)));
    let mut busy = Conn::open(addr).await;
    busy.send("PUT", "/in-flight", &[], b"{\"x\":1}").await;
    wait_for_requests(&server, 2).await;

    let started = Instant::now();
    let shutdown = tokio::spawn(server.shutdown());

    // The in-flight request completes normally...
    let resp = busy.expect_response().await;
    assert_eq!(resp.status, 200);
    assert_eq!(resp.json()["path"], "/in-flight");
    // ...then its connection is closed instead of kept alive.
    assert!(busy.closed_without_response().await);
    // The idle connection is closed too.
    assert!(idle.closed_without_response().await);

    timeout(LIMIT, shutdown)
        .await
        .expect("shutdown finishes")
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(500),
        "shutdown waited for the request"
    );
    assert_eq!(echo.calls.load(Ordering::SeqCst), 2);

    // No longer accepting.
    assert!(
        TcpStream::connect(addr).await.is_err(),
        "listener must be closed"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_gives_up_on_stuck_connections_after_the_timeout() {
    let options = ServerOptions {
        shutdown_timeout: Duration::from_millis(200),
        ..ServerOptions::default()
    };
    let (server, _) = echo_server_with(options).await;
    server
        .faults()
        .fail_next(1, Fault::Delay(Duration::from_secs(30)));
    let mut stuck = Conn::open(server.local_addr()).await;
    stuck.send("GET", "/stuck", &[], b"").await;
    wait_for_requests(&server, 1).await;
    let started = Instant::now();
    timeout(LIMIT, server.shutdown())
        .await
        .expect("bounded shutdown");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(stuck.closed_without_response().await);
}

#[tokio::test]
async fn dropping_the_handle_stops_the_server() {
    let (server, _) = echo_server().await;
    let addr = server.local_addr();
    assert_eq!(one_request(addr, "GET", "/", b"").await.status, 200);
    drop(server);
    let mut refused = false;
    for _ in 0..200 {
        if TcpStream::connect(addr).await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(refused, "listener still open after the handle was dropped");
}

// ---------------------------------------------------------------------------------
// Slow, stalled, oversized and too many clients (issue 8).
// ---------------------------------------------------------------------------------

/// Options with short read timeouts, so that the tests do not wait long.
fn quick(header: u64, body: u64, idle: u64) -> ServerOptions {
    ServerOptions {
        header_read_timeout: Duration::from_millis(header),
        body_read_timeout: Duration::from_millis(body),
        idle_timeout: Duration::from_millis(idle),
        ..ServerOptions::default()
    }
}

/// Waits (bounded) until the server has no open connection.
async fn wait_until_no_connections(server: &ServerHandle) {
    let deadline = Instant::now() + LIMIT;
    while server.open_connections() > 0 {
        assert!(
            Instant::now() < deadline,
            "{} connections still open",
            server.open_connections()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

#[tokio::test]
async fn a_body_that_stalls_after_the_head_gets_408_and_the_connection_closes() {
    let (server, echo) = echo_server_with(quick(10_000, 300, 10_000)).await;
    let mut conn = Conn::open(server.local_addr()).await;
    let started = Instant::now();
    conn.send_raw(b"PUT /m HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{\"only\":")
        .await
        .unwrap();
    let reply = conn.expect_response().await;
    let waited = started.elapsed();
    let message = reply.assert_error(408, "BadRequestException");
    assert!(
        message.contains("request body") && message.contains("300 ms"),
        "{message}"
    );
    assert!(
        waited >= Duration::from_millis(300) && waited < Duration::from_secs(3),
        "{waited:?}"
    );
    assert_eq!(reply.header("connection"), Some("close"));
    assert!(conn.closed_without_response().await);
    assert_eq!(echo.calls.load(Ordering::SeqCst), 0, "never handled");
    wait_until_no_connections(&server).await;
    server.shutdown().await;
}

#[tokio::test]
async fn a_head_that_stalls_gets_408_and_a_silent_connection_is_closed() {
    let (server, _) = echo_server_with(quick(300, 10_000, 10_000)).await;
    let mut partial = Conn::open(server.local_addr()).await;
    partial
        .send_raw(b"GET /m HTTP/1.1\r\nhost: x\r\n")
        .await
        .unwrap();
    let message = partial
        .expect_response()
        .await
        .assert_error(408, "BadRequestException");
    assert!(message.contains("request head"), "{message}");

    // A connection that never sends a byte is closed after the same time, unanswered.
    let started = Instant::now();
    let mut silent = Conn::open(server.local_addr()).await;
    assert!(silent.closed_without_response().await);
    assert!(started.elapsed() >= Duration::from_millis(300));
    wait_until_no_connections(&server).await;
    server.shutdown().await;
}

#[tokio::test]
async fn idle_keep_alive_connections_are_closed() {
    let (server, _) = echo_server_with(quick(10_000, 10_000, 300)).await;
    let mut conn = Conn::open(server.local_addr()).await;
    assert_eq!(conn.request("GET", "/", b"").await.status, 200);
    assert_eq!(server.open_connections(), 1);
    let started = Instant::now();
    assert!(conn.closed_without_response().await);
    let idle = started.elapsed();
    assert!(
        idle >= Duration::from_millis(250) && idle < Duration::from_secs(3),
        "{idle:?}"
    );
    wait_until_no_connections(&server).await;
    server.shutdown().await;
}

#[tokio::test]
async fn a_huge_head_gets_431_with_the_error_shape() {
    let options = ServerOptions {
        max_header_bytes: 4096,
        ..ServerOptions::default()
    };
    let (server, echo) = echo_server_with(options).await;
    let mut conn = Conn::open(server.local_addr()).await;
    let huge = format!(
        "GET / HTTP/1.1\r\nhost: x\r\nx-big: {}\r\n\r\n",
        "a".repeat(8192)
    );
    let _ = conn.send_raw(huge.as_bytes()).await;
    let message = conn
        .expect_response()
        .await
        .assert_error(431, "BadRequestException");
    assert!(message.contains("4096 bytes"), "{message}");
    // Too many header lines, each short.
    let mut conn = Conn::open(server.local_addr()).await;
    let many: String = (0..150).map(|i| format!("x-h{i}: v\r\n")).collect();
    let _ = conn
        .send_raw(format!("GET / HTTP/1.1\r\n{many}\r\n").as_bytes())
        .await;
    conn.expect_response()
        .await
        .assert_error(431, "BadRequestException");
    // Just under the limit is fine.
    let mut conn = Conn::open(server.local_addr()).await;
    conn.send("GET", "/", &[("x-big", &"a".repeat(3500))], b"")
        .await;
    assert_eq!(conn.expect_response().await.status, 200);
    assert_eq!(echo.calls.load(Ordering::SeqCst), 1);
    server.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_of_stalled_connections_is_refused_beyond_the_limit_and_then_cleared() {
    const MAX: usize = 20;
    const FLOOD: usize = 300;
    let options = ServerOptions {
        max_connections: MAX,
        ..quick(10_000, 1_000, 10_000)
    };
    let (server, echo) = echo_server_with(options).await;
    let addr = server.local_addr();

    // Every flood connection sends a head and part of its body, then stalls.
    let started = Instant::now();
    let mut flood = Vec::new();
    for _ in 0..FLOOD {
        let mut conn = Conn::open(addr).await;
        conn.send_raw(b"PUT /f HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\npartial")
            .await
            .unwrap();
        flood.push(conn);
    }
    // While the flood holds every slot, a new client is refused at once instead of
    // waiting: 503 with the service's shape and Retry-After.
    let refused_at = Instant::now();
    let mut late = Conn::open(addr).await;
    late.send("GET", "/late", &[], b"").await;
    let reply = late.expect_response().await;
    let message = reply.assert_error(503, "ServiceUnavailableException");
    assert!(
        message.contains(&format!("maximum of {MAX} connections")),
        "{message}"
    );
    assert_eq!(reply.header("retry-after"), Some("1"));
    assert!(refused_at.elapsed() < Duration::from_millis(500));
    assert_eq!(server.open_connections(), MAX);

    // The flood itself: MAX connections held until their body times out (408), the
    // rest refused at once (503).
    let mut statuses = Vec::new();
    for conn in &mut flood {
        let reply = conn.expect_response().await;
        statuses.push((reply.status, started.elapsed()));
    }
    let timed_out = statuses.iter().filter(|(s, _)| *s == 408).count();
    let refused = statuses.iter().filter(|(s, _)| *s == 503).count();
    assert_eq!((timed_out, refused), (MAX, FLOOD - MAX), "{statuses:?}");
    assert!(server.connections_refused() >= (FLOOD - MAX) as u64);

    // Everything is given back: no connection left, and the server serves again.
    drop(flood);
    wait_until_no_connections(&server).await;
    assert_eq!(one_request(addr, "GET", "/after", b"").await.status, 200);
    assert_eq!(
        echo.calls.load(Ordering::SeqCst),
        1,
        "only /after was handled"
    );
    wait_until_no_connections(&server).await;
    server.shutdown().await;
}
