//! HTTP/1.1 plumbing of the emulator: a loopback server that reads each request
//! fully (within size limits and deadlines), hands it to a synchronous [`Handler`],
//! and writes the [`Reply`] back, plus fault injection ([`FaultControl`]), a
//! connection limit, a request counter and a per-request `x-amzn-RequestId`.
//!
//! Every reply the server writes carries a fresh `x-amzn-RequestId` and, when it is
//! an error, the service's JSON error body: handler replies, injected faults,
//! handler panics, and the answers of the HTTP layer itself (`400` malformed
//! request, `408` head or body too slow, `413` body too large, `431` head too large,
//! `503` too many connections). The handler gets the id in
//! [`IncomingRequest::request_id`] so that its error bodies can repeat it.
//!
//! Defaults (see [`ServerOptions`]): 16 KiB heads, 1 MiB bodies, 10 s to send a
//! head, 10 s to send a body, 30 s idle keep-alive, 10 s to write a reply, 256
//! connections at once.

use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::io;
use std::net::SocketAddr;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;

use super::http1::{self, Connection, Limits, ReadError};
use super::sigv4::format_http_date;

pub use super::faults::{Fault, FaultControl, FaultRates, InjectedFaults, InvalidFaultRates};

/// `x-amzn-RequestId`, on every reply (sent lowercase on the wire, as HTTP/1.1
/// header names are case-insensitive).
pub const REQUEST_ID_HEADER: HeaderName = HeaderName::from_static("x-amzn-requestid");
/// `x-amzn-ErrorType`, the modelled error type on error replies (sent lowercase).
pub const ERROR_TYPE_HEADER: HeaderName = HeaderName::from_static("x-amzn-errortype");
/// Default largest accepted request body (1 MiB; the largest valid request of the
/// model is about 25 KiB).
pub const DEFAULT_MAX_BODY_BYTES: usize = 1 << 20;
/// Default largest accepted request head (16 KiB; SDK requests send about 2 KiB).
pub const DEFAULT_MAX_HEADER_BYTES: usize = 16 * 1024;
/// Default time a client has to send a request head.
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time a client has to send a request body.
pub const DEFAULT_BODY_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Default time a keep-alive connection may stay idle between requests.
pub const DEFAULT_IDLE_TIMEOUT: Duration = Duration::from_secs(30);
/// Default time writing one reply may take.
pub const DEFAULT_WRITE_TIMEOUT: Duration = Duration::from_secs(10);
/// Default most connections open at once (well under the usual limit of 1024 open
/// files per process).
pub const DEFAULT_MAX_CONNECTIONS: usize = 256;
/// Default time [`ServerHandle::shutdown`] waits for in-flight requests.
pub const DEFAULT_SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(10);

/// A request after the body was read fully.
#[derive(Debug, Clone)]
pub struct IncomingRequest {
    pub method: Method,
    pub uri: Uri,
    pub headers: HeaderMap,
    pub body: Bytes,
    /// The id the server puts in `x-amzn-RequestId` of the reply; handlers put it in
    /// error bodies (`RequestId`).
    pub request_id: String,
    /// The client's address.
    pub remote_addr: SocketAddr,
}

/// What a [`Handler`] answers. The server adds `x-amzn-RequestId` (replacing any
/// value the handler set) and `content-length`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(HeaderName, HeaderValue)>,
    pub body: Bytes,
}

impl Reply {
    /// A reply with no headers and an empty body.
    pub fn new(status: u16) -> Self {
        Reply {
            status,
            headers: Vec::new(),
            body: Bytes::new(),
        }
    }

    /// A reply with `content-type: application/json` and the given body.
    pub fn json(status: u16, body: impl Into<Bytes>) -> Self {
        Reply::new(status)
            .with_header(
                http::header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )
            .with_body(body)
    }

    /// Adds a header (repeated names are sent as repeated header lines).
    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.push((name, value));
        self
    }

    /// Replaces the body.
    pub fn with_body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self
    }

    /// Sets `Retry-After` to `d` in whole seconds, rounded up.
    pub fn with_retry_after(mut self, d: Duration) -> Self {
        let secs = d.as_secs() + u64::from(d.subsec_nanos() > 0);
        self.headers
            .retain(|(name, _)| name != http::header::RETRY_AFTER);
        self.headers
            .push((http::header::RETRY_AFTER, HeaderValue::from(secs)));
        self
    }

    /// The first value of header `name`, if any.
    pub fn header(&self, name: &str) -> Option<&HeaderValue> {
        self.headers
            .iter()
            .find(|(n, _)| n.as_str().eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }
}

/// Answers requests. Synchronous on purpose: the emulator's state is in memory, and
/// the server calls it from its async tasks, so a handler must not block for long.
/// A panicking handler is answered with `500 ServiceFailureException`.
pub trait Handler: Send + Sync + 'static {
    fn handle(&self, req: IncomingRequest) -> Reply;
}

impl<F> Handler for F
where
    F: Fn(IncomingRequest) -> Reply + Send + Sync + 'static,
{
    fn handle(&self, req: IncomingRequest) -> Reply {
        self(req)
    }
}

/// The modelled `Code` value for a modelled error type, as the `Code` member of the
/// Chime SDK Meetings error structures carries it (the values of the Chime
/// `ErrorCode` enum). Unknown types fall back to the type without `Exception`.
pub fn error_code(error_type: &str) -> String {
    let code = match error_type {
        "BadRequestException" => "BadRequest",
        "ConflictException" => "Conflict",
        "ForbiddenException" => "Forbidden",
        "LimitExceededException" => "ResourceLimitExceeded",
        "NotFoundException" | "ResourceNotFoundException" => "NotFound",
        "ServiceFailureException" => "ServiceFailure",
        "ServiceUnavailableException" => "ServiceUnavailable",
        "ThrottlingException" => "Throttled",
        "TooManyTagsException" => "ResourceLimitExceeded",
        "UnauthorizedException" => "Unauthorized",
        "UnprocessableEntityException" => "Unprocessable",
        other => return other.strip_suffix("Exception").unwrap_or(other).to_string(),
    };
    code.to_string()
}

/// The service's error shape: status `status`, headers `x-amzn-ErrorType`,
/// `x-amzn-RequestId` and `content-type: application/json`, and body
/// `{"Code":"<code>","Message":"<message>","RequestId":"<request_id>"}` where
/// `<code>` is [`error_code`]`(error_type)`. Add `Retry-After` with
/// [`Reply::with_retry_after`].
pub fn error_reply(status: u16, error_type: &str, message: &str, request_id: &str) -> Reply {
    let body = serde_json::json!({
        "Code": error_code(error_type),
        "Message": message,
        "RequestId": request_id,
    });
    let mut reply = Reply::json(status, body.to_string());
    if let Ok(v) = HeaderValue::from_str(error_type) {
        reply.headers.push((ERROR_TYPE_HEADER, v));
    }
    if let Ok(v) = HeaderValue::from_str(request_id) {
        reply.headers.push((REQUEST_ID_HEADER, v));
    }
    reply
}

/// A fresh request id formatted like a random (version 4) UUID. Ids are unique
/// within the process (a counter is mixed through a bijection) and differ between
/// processes (a random per-process seed).
pub fn new_request_id() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    static SEED: OnceLock<(u64, u64)> = OnceLock::new();
    const MASK62: u64 = (1 << 62) - 1;

    let (seed_hi, seed_lo) = *SEED.get_or_init(|| {
        let mut h = RandomState::new().build_hasher();
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        h.write_u128(nanos);
        h.write_u32(std::process::id());
        let a = h.finish();
        h.write_u64(a);
        (a, h.finish())
    });
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);

    // Bijection on 62-bit values: xor with a constant, odd multiplications and
    // xor-shifts are all invertible modulo 2^62.
    let mut x = (n ^ seed_lo) & MASK62;
    x = x.wrapping_mul(0x9E37_79B9_7F4A_7C15) & MASK62;
    x ^= x >> 29;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9) & MASK62;
    x ^= x >> 32;
    let lo = (1u64 << 63) | x; // RFC 4122 variant bits "10"

    let mut y = seed_hi.wrapping_add(n.wrapping_mul(0x94D0_49BB_1331_11EB));
    y = (y ^ (y >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    y ^= y >> 31;
    let hi = (y & !0xF000) | 0x4000; // version 4

    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xFFFF,
        hi & 0xFFFF,
        lo >> 48,
        lo & 0xFFFF_FFFF_FFFF
    )
}

/// Server settings for [`serve_with`]. Every wait on a client has a deadline and
/// every buffer a bound, so that slow, stalled or oversized clients cost a bounded
/// amount of time and memory.
#[derive(Clone)]
pub struct ServerOptions {
    /// Largest accepted request body; larger ones get `413`.
    pub max_body_bytes: usize,
    /// Largest accepted request head (request line and headers, at most 100 lines);
    /// larger ones get `431`.
    pub max_header_bytes: usize,
    /// How long a client may take to send a request head, from its first byte (and,
    /// on a new connection, from the connection); a head still incomplete then gets
    /// `408`, a new connection that sent nothing is closed.
    pub header_read_timeout: Duration,
    /// How long a client may take to send a request body, from the end of its head;
    /// a body still incomplete then gets `408`.
    pub body_read_timeout: Duration,
    /// How long a keep-alive connection may stay silent between requests before it
    /// is closed.
    pub idle_timeout: Duration,
    /// How long writing a reply may take (a client that does not read is dropped).
    pub write_timeout: Duration,
    /// Most connections served at once; beyond it a new connection is answered
    /// `503 ServiceUnavailableException` (with `Retry-After: 1`) and closed at once.
    pub max_connections: usize,
    /// How long [`ServerHandle::shutdown`] waits for in-flight requests before
    /// closing their connections anyway.
    pub shutdown_timeout: Duration,
    /// Clock reported in the `Date` header of replies (unless the handler set one);
    /// `None` reports the system clock. AWS SDKs correct their signing clock from
    /// `Date`, so a server whose verifier uses a fake clock should report the same
    /// clock here.
    pub clock: Option<Arc<dyn Fn() -> SystemTime + Send + Sync + 'static>>,
}

impl ServerOptions {
    /// Sets [`ServerOptions::clock`].
    pub fn with_clock(mut self, now: impl Fn() -> SystemTime + Send + Sync + 'static) -> Self {
        self.clock = Some(Arc::new(now));
        self
    }

    fn limits(&self) -> Limits {
        Limits {
            max_header_bytes: self.max_header_bytes,
            max_body_bytes: self.max_body_bytes,
            header_read_timeout: self.header_read_timeout,
            body_read_timeout: self.body_read_timeout,
            idle_timeout: self.idle_timeout,
            write_timeout: self.write_timeout,
        }
    }

    fn now(&self) -> SystemTime {
        self.clock
            .as_ref()
            .map_or_else(SystemTime::now, |clock| clock())
    }
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions {
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            max_header_bytes: DEFAULT_MAX_HEADER_BYTES,
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
            body_read_timeout: DEFAULT_BODY_READ_TIMEOUT,
            idle_timeout: DEFAULT_IDLE_TIMEOUT,
            write_timeout: DEFAULT_WRITE_TIMEOUT,
            max_connections: DEFAULT_MAX_CONNECTIONS,
            shutdown_timeout: DEFAULT_SHUTDOWN_TIMEOUT,
            clock: None,
        }
    }
}

impl fmt::Debug for ServerOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerOptions")
            .field("max_body_bytes", &self.max_body_bytes)
            .field("max_header_bytes", &self.max_header_bytes)
            .field("header_read_timeout", &self.header_read_timeout)
            .field("body_read_timeout", &self.body_read_timeout)
            .field("idle_timeout", &self.idle_timeout)
            .field("write_timeout", &self.write_timeout)
            .field("max_connections", &self.max_connections)
            .field("shutdown_timeout", &self.shutdown_timeout)
            .field("clock", &self.clock.as_ref().map(|_| "custom"))
            .finish()
    }
}

struct Shared {
    handler: Arc<dyn Handler>,
    faults: FaultControl,
    served: AtomicU64,
    refused: AtomicU64,
    /// One permit per open connection.
    connection_slots: Arc<Semaphore>,
    options: ServerOptions,
}

/// A running server. Dropping the handle without calling [`ServerHandle::shutdown`]
/// also stops the server (in the background).
pub struct ServerHandle {
    local_addr: SocketAddr,
    shared: Arc<Shared>,
    shutdown_tx: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl fmt::Debug for ServerHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerHandle")
            .field("local_addr", &self.local_addr)
            .field("requests_served", &self.requests_served())
            .field("open_connections", &self.open_connections())
            .finish_non_exhaustive()
    }
}

impl ServerHandle {
    /// The bound address (with the real port when bound to port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// `http://IP:PORT` of the server.
    pub fn endpoint_url(&self) -> String {
        format!("http://{}", self.local_addr)
    }

    /// Fault injection for this server.
    pub fn faults(&self) -> &FaultControl {
        &self.shared.faults
    }

    /// Requests that reached the server so far, faulted ones included (requests
    /// whose head could not be read are not counted).
    pub fn requests_served(&self) -> u64 {
        self.shared.served.load(Ordering::SeqCst)
    }

    /// Connections open now (at most [`ServerOptions::max_connections`]).
    pub fn open_connections(&self) -> usize {
        self.shared.options.max_connections - self.shared.connection_slots.available_permits()
    }

    /// Connections refused so far because [`ServerOptions::max_connections`] were open.
    pub fn connections_refused(&self) -> u64 {
        self.shared.refused.load(Ordering::SeqCst)
    }

    /// Stops accepting connections, lets in-flight requests finish (closing idle
    /// keep-alive connections), and returns when every connection is closed or the
    /// shutdown timeout passed.
    pub async fn shutdown(self) {
        let _ = self.shutdown_tx.send(true);
        let _ = self.task.await;
    }
}

/// Binds `addr` (use port 0 for an ephemeral port) and serves `handler` on the
/// current tokio runtime with [`ServerOptions::default`].
pub async fn serve(addr: SocketAddr, handler: Arc<dyn Handler>) -> io::Result<ServerHandle> {
    serve_with(addr, handler, ServerOptions::default()).await
}

/// [`serve`] with explicit options.
pub async fn serve_with(
    addr: SocketAddr,
    handler: Arc<dyn Handler>,
    options: ServerOptions,
) -> io::Result<ServerHandle> {
    if options.max_connections == 0 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "max_connections must be at least 1",
        ));
    }
    let listener = TcpListener::bind(addr).await?;
    let local_addr = listener.local_addr()?;
    let shared = Arc::new(Shared {
        handler,
        faults: FaultControl::default(),
        served: AtomicU64::new(0),
        refused: AtomicU64::new(0),
        connection_slots: Arc::new(Semaphore::new(options.max_connections)),
        options,
    });
    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    let task = tokio::spawn(accept_loop(listener, shared.clone(), shutdown_rx));
    tracing::debug!(%local_addr, "emulator server listening");
    Ok(ServerHandle {
        local_addr,
        shared,
        shutdown_tx,
        task,
    })
}

async fn accept_loop(
    listener: TcpListener,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            // Fires on `send(true)` and when the handle is dropped.
            _ = shutdown.changed() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => match shared.connection_slots.clone().try_acquire_owned() {
                    Ok(slot) => {
                        connections.spawn(serve_connection(stream, peer, shared.clone(), shutdown.clone(), slot));
                    }
                    Err(_) => refuse(stream, &shared),
                },
                Err(e) => {
                    // E.g. out of file descriptors: back off instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let drain = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout(shared.options.shutdown_timeout, drain)
        .await
        .is_err()
    {
        tracing::warn!(
            "in-flight requests outlived the shutdown timeout; closing their connections"
        );
        connections.shutdown().await;
    }
    tracing::debug!("emulator server stopped");
}

/// Answers a connection over the limit with `503` and closes it, without waiting
/// for anything: a flood of connections costs the server no task and no buffer.
fn refuse(stream: TcpStream, shared: &Shared) {
    shared.refused.fetch_add(1, Ordering::SeqCst);
    let request_id = new_request_id();
    let max = shared.options.max_connections;
    tracing::debug!(%request_id, max, "connection refused: too many open connections");
    let reply = finish(
        error_reply(
            503,
            "ServiceUnavailableException",
            &format!(
                "The server already serves its maximum of {max} connections; retry in a moment."
            ),
            &request_id,
        )
        .with_retry_after(Duration::from_secs(1)),
        &request_id,
    );
    let date = format_http_date(shared.options.now());
    // A fresh socket's send buffer takes the whole reply without blocking.
    let _ = stream.try_write(&http1::encode_final(&reply, &date));
    // Whatever the client already sent is read off, so that closing sends a FIN
    // (after the reply) rather than a reset.
    let mut sink = [0u8; 4096];
    for _ in 0..16 {
        match stream.try_read(&mut sink) {
            Ok(n) if n > 0 => {}
            _ => break,
        }
    }
}

/// Serves the requests of one connection in turn until the client closes it, asks to
/// close it, stays idle too long, breaks the protocol, or the server shuts down.
/// `_slot` is the connection's place among [`ServerOptions::max_connections`],
/// given back when the connection ends.
async fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    shared: Arc<Shared>,
    mut shutdown: watch::Receiver<bool>,
    _slot: OwnedSemaphorePermit,
) {
    let _ = stream.set_nodelay(true);
    let mut conn = Connection::new(stream, shared.options.limits());
    loop {
        let head = match conn.read_head(&mut shutdown).await {
            Ok(head) => head,
            Err(e) => return fail(conn, &e, &new_request_id(), &shared).await,
        };
        shared.served.fetch_add(1, Ordering::SeqCst);
        let request_id = new_request_id();
        let fault = shared.faults.take();
        tracing::trace!(method = %head.method, uri = %head.uri, %request_id, ?fault, %peer, "request");
        match &fault {
            Some(Fault::DropConnection) => return,
            Some(Fault::Delay(d)) => tokio::time::sleep(*d).await,
            _ => {}
        }
        let body = match conn.read_body(&head).await {
            Ok(body) => body,
            Err(e) => return fail(conn, &e, &request_id, &shared).await,
        };
        let drop_reply = fault == Some(Fault::DropReply);
        let head_only = head.method == Method::HEAD;
        let close = head.wants_close() || *shutdown.borrow();
        let reply = match fault {
            Some(Fault::Status {
                status,
                error_type,
                retry_after,
            }) => {
                let reply = error_reply(
                    status,
                    &error_type,
                    &format!("Injected fault: {error_type}."),
                    &request_id,
                );
                match retry_after {
                    Some(d) => reply.with_retry_after(d),
                    None => reply,
                }
            }
            _ => handle(
                &shared,
                IncomingRequest {
                    method: head.method,
                    uri: head.uri,
                    headers: head.headers,
                    body,
                    request_id: request_id.clone(),
                    remote_addr: peer,
                },
            ),
        };
        if drop_reply {
            // Closed with the request fully read, so the client gets a clean end of
            // stream instead of its response.
            return;
        }
        let reply = finish(reply, &request_id);
        let date = format_http_date(shared.options.now());
        if conn
            .write_reply(&reply, &date, head_only, close)
            .await
            .is_err()
        {
            return;
        }
        if close {
            return conn.close().await;
        }
    }
}

/// Calls the handler; a panic becomes `500 ServiceFailureException`.
fn handle(shared: &Shared, request: IncomingRequest) -> Reply {
    let request_id = request.request_id.clone();
    let handler = &shared.handler;
    catch_unwind(AssertUnwindSafe(|| handler.handle(request))).unwrap_or_else(|_| {
        tracing::error!(%request_id, "handler panicked");
        error_reply(
            500,
            "ServiceFailureException",
            "The service failed internally while handling the request.",
            &request_id,
        )
    })
}

/// Answers a request that could not be read (if there is anyone to answer) and
/// closes the connection.
async fn fail(mut conn: Connection, error: &ReadError, request_id: &str, shared: &Shared) {
    let Some(reply) = error.reply(request_id) else {
        return;
    };
    tracing::debug!(%request_id, status = reply.status, "request could not be read");
    let reply = finish(reply, request_id);
    let date = format_http_date(shared.options.now());
    if conn.write_reply(&reply, &date, false, true).await.is_ok() {
        conn.close_lingering().await;
    }
}

/// The reply as sent: a valid status (`500 ServiceFailureException` instead of an
/// invalid one) and exactly one `x-amzn-RequestId`, this request's.
fn finish(reply: Reply, request_id: &str) -> Reply {
    let mut reply = if StatusCode::from_u16(reply.status).is_ok() {
        reply
    } else {
        tracing::error!(
            status = reply.status,
            "handler returned an invalid status code"
        );
        error_reply(
            500,
            "ServiceFailureException",
            "The service produced an invalid response.",
            request_id,
        )
    };
    reply.headers.retain(|(name, _)| name != REQUEST_ID_HEADER);
    if let Ok(v) = HeaderValue::from_str(request_id) {
        reply.headers.push((REQUEST_ID_HEADER, v));
    }
    reply
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_ids_are_unique_uuid_shaped() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..10_000 {
            let id = new_request_id();
            let b = id.as_bytes();
            assert_eq!(id.len(), 36, "{id}");
            for (i, c) in b.iter().enumerate() {
                if [8, 13, 18, 23].contains(&i) {
                    assert_eq!(*c, b'-', "{id}");
                } else {
                    assert!(c.is_ascii_hexdigit() && !c.is_ascii_uppercase(), "{id}");
                }
            }
            assert_eq!(b[14], b'4', "version nibble in {id}");
            assert!(
                matches!(b[19], b'8' | b'9' | b'a' | b'b'),
                "variant in {id}"
            );
            assert!(seen.insert(id));
        }
    }

    #[test]
    fn error_reply_has_the_service_shape() {
        let r = error_reply(404, "NotFoundException", "No meeting \"m-1\".", "rid-1");
        assert_eq!(r.status, 404);
        assert_eq!(r.header("x-amzn-ErrorType").unwrap(), "NotFoundException");
        assert_eq!(r.header("x-amzn-RequestId").unwrap(), "rid-1");
        assert_eq!(r.header("content-type").unwrap(), "application/json");
        let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"Code": "NotFound", "Message": "No meeting \"m-1\".", "RequestId": "rid-1"})
        );
        let r = error_reply(503, "ServiceUnavailableException", "busy", "rid-2")
            .with_retry_after(Duration::from_millis(1500));
        assert_eq!(r.header("retry-after").unwrap(), "2");
        let r = r.with_retry_after(Duration::from_secs(7));
        assert_eq!(
            r.headers.iter().filter(|(n, _)| n == "retry-after").count(),
            1
        );
        assert_eq!(r.header("Retry-After").unwrap(), "7");
    }

    #[test]
    fn error_codes_follow_the_chime_error_code_enum() {
        for (ty, code) in [
            ("BadRequestException", "BadRequest"),
            ("ForbiddenException", "Forbidden"),
            ("NotFoundException", "NotFound"),
            ("ThrottlingException", "Throttled"),
            ("ServiceFailureException", "ServiceFailure"),
            ("ServiceUnavailableException", "ServiceUnavailable"),
            ("UnauthorizedException", "Unauthorized"),
            ("ConflictException", "Conflict"),
            ("LimitExceededException", "ResourceLimitExceeded"),
            ("UnprocessableEntityException", "Unprocessable"),
            ("SomethingNewException", "SomethingNew"),
            ("Odd", "Odd"),
        ] {
            assert_eq!(error_code(ty), code);
        }
    }

    #[test]
    fn invalid_status_becomes_service_failure() {
        let reply = finish(Reply::new(1000), "rid");
        assert_eq!(reply.status, 500);
        assert_eq!(
            reply.header("x-amzn-errortype").unwrap(),
            "ServiceFailureException"
        );
        assert_eq!(reply.header("x-amzn-requestid").unwrap(), "rid");
        let reply = finish(
            Reply::new(200).with_header(REQUEST_ID_HEADER, HeaderValue::from_static("handler-set")),
            "server-set",
        );
        let ids: Vec<_> = reply
            .headers
            .iter()
            .filter(|(name, _)| name == REQUEST_ID_HEADER)
            .collect();
        assert_eq!(ids.len(), 1);
        assert_eq!(ids[0].1, "server-set");
    }
}
