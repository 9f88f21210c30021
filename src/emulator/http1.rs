//! The HTTP/1.1 wire protocol of one emulator connection: reading request heads and
//! bodies (`Content-Length` or chunked) within size limits and deadlines, and writing
//! replies.
//!
//! Public but hidden (`#[doc(hidden)]`), generic over the stream, so that the `http1`
//! fuzz target drives this same code over an in-memory stream; it is not part of the
//! crate's API.
//!
//! The emulator owns this layer (instead of a general-purpose server library) so that
//! every answer it writes, including those to requests it cannot read (malformed,
//! oversized, too slow), carries the service's error shape and an
//! `x-amzn-RequestId`, and so that every wait has a deadline.

use std::io;
use std::time::Duration;

use bytes::Bytes;
use http::header::{CONNECTION, CONTENT_LENGTH, DATE, EXPECT, TRANSFER_ENCODING};
use http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, Uri, Version};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio::time::{timeout, timeout_at, Instant};

use super::server::{error_reply, Reply};

/// Most header lines a request head may have.
const MAX_HEADERS: usize = 100;
/// Longest chunk-size line of a chunked body (size, extensions, CRLF).
const MAX_CHUNK_LINE: usize = 1024;
/// Bytes read from the socket at a time.
const READ_SIZE: usize = 8 * 1024;
/// A buffer kept between requests is shrunk back to this capacity, so that one large
/// body does not pin memory for the rest of a keep-alive connection.
const KEPT_CAPACITY: usize = 16 * 1024;
/// How long, and how much, a connection closed after an error keeps reading (and
/// discarding) what the client still sends, so that the client reads the error reply
/// instead of a connection reset.
const LINGER: Duration = Duration::from_secs(1);
const LINGER_BYTES: usize = 1 << 20;

/// The limits one connection is read with.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_header_bytes: usize,
    pub max_body_bytes: usize,
    pub header_read_timeout: Duration,
    pub body_read_timeout: Duration,
    pub idle_timeout: Duration,
    pub write_timeout: Duration,
}

/// A parsed request head.
#[derive(Debug)]
pub struct Head {
    pub method: Method,
    pub uri: Uri,
    pub version: Version,
    pub headers: HeaderMap,
    framing: Framing,
}

impl Head {
    /// Whether the client asked to close the connection after this request (or, for
    /// HTTP/1.0, did not ask to keep it, or sent a chunked body, which HTTP/1.0 does not
    /// have: its framing is not to be trusted for a next request).
    pub fn wants_close(&self) -> bool {
        let has_token = |token: &str| {
            self.headers.get_all(CONNECTION).iter().any(|v| {
                v.to_str()
                    .is_ok_and(|v| v.split(',').any(|t| t.trim().eq_ignore_ascii_case(token)))
            })
        };
        if self.version == Version::HTTP_10 {
            self.framing == Framing::Chunked || !has_token("keep-alive")
        } else {
            has_token("close")
        }
    }

    fn expects_continue(&self) -> bool {
        self.headers
            .get(EXPECT)
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"100-continue"))
    }
}

/// How the request body is delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    Empty,
    Length(u64),
    Chunked,
}

/// Why a request could not be read. Each is answered (or not) by [`ReadError::reply`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// The client closed the connection, it failed, or it stayed silent past the
    /// idle (or first-request) timeout: nothing to answer.
    Gone,
    /// The head or the body did not arrive in time.
    Timeout { what: &'static str, limit: Duration },
    /// The head is larger than the limit (or has too many lines).
    HeadTooLarge { limit: usize },
    /// The body is (or is declared) larger than the limit.
    BodyTooLarge { limit: usize },
    /// The bytes are not an HTTP/1.1 request; the string says what is wrong.
    Malformed(String),
}

impl ReadError {
    /// The reply the client gets, with `request_id`; `None` for [`ReadError::Gone`].
    pub fn reply(&self, request_id: &str) -> Option<Reply> {
        let (status, message) = match self {
            ReadError::Gone => return None,
            ReadError::Timeout { what, limit } => (
                408,
                format!(
                    "The {what} did not arrive within {} ms; send the whole request without pausing.",
                    limit.as_millis()
                ),
            ),
            ReadError::HeadTooLarge { limit } => (
                431,
                format!(
                    "The request head exceeds the limit of {limit} bytes or {MAX_HEADERS} header \
                     lines; send fewer or shorter headers."
                ),
            ),
            ReadError::BodyTooLarge { limit } => (
                413,
                format!(
                    "The request body exceeds the limit of {limit} bytes; send a smaller request."
                ),
            ),
            ReadError::Malformed(why) => (
                400,
                format!("The request is not valid HTTP/1.1: {why}."),
            ),
        };
        Some(error_reply(
            status,
            "BadRequestException",
            &message,
            request_id,
        ))
    }
}

/// One accepted connection and the bytes received on it but not yet consumed.
pub struct Connection<S = TcpStream> {
    stream: S,
    buf: Vec<u8>,
    limits: Limits,
    /// Whether a request was read already (the wait before the next one is then the
    /// idle timeout).
    reused: bool,
}

impl<S: AsyncRead + AsyncWrite + Unpin> Connection<S> {
    pub fn new(stream: S, limits: Limits) -> Self {
        Connection {
            stream,
            buf: Vec::new(),
            limits,
            reused: false,
        }
    }

    /// How many bytes were received but not consumed by the requests read so far (the
    /// start of the next pipelined request).
    pub fn buffered_len(&self) -> usize {
        self.buf.len()
    }

    /// Reads more bytes into the buffer; `Gone` on EOF or an I/O error.
    async fn read_more(&mut self) -> Result<(), ReadError> {
        let mut chunk = [0u8; READ_SIZE];
        match self.stream.read(&mut chunk).await {
            Ok(0) | Err(_) => Err(ReadError::Gone),
            Ok(n) => {
                self.buf.extend_from_slice(&chunk[..n]);
                Ok(())
            }
        }
    }

    /// [`Connection::read_more`] before `deadline`, or `on_timeout`.
    async fn read_more_until(
        &mut self,
        deadline: Instant,
        on_timeout: impl FnOnce() -> ReadError,
    ) -> Result<(), ReadError> {
        match timeout_at(deadline, self.read_more()).await {
            Ok(result) => result,
            Err(_) => Err(on_timeout()),
        }
    }

    /// The next request head. Waits for its first byte at most the idle timeout (the
    /// header timeout on a new connection) and gives up silently when shutdown starts
    /// first; then the whole head must arrive within the header timeout.
    pub async fn read_head(
        &mut self,
        shutdown: &mut watch::Receiver<bool>,
    ) -> Result<Head, ReadError> {
        let limits = self.limits;
        if self.buf.is_empty() {
            if self.buf.capacity() > KEPT_CAPACITY {
                self.buf.shrink_to(KEPT_CAPACITY);
            }
            let wait = if self.reused {
                limits.idle_timeout
            } else {
                limits.header_read_timeout
            };
            if *shutdown.borrow_and_update() {
                return Err(ReadError::Gone);
            }
            tokio::select! {
                _ = shutdown.changed() => return Err(ReadError::Gone),
                first = timeout(wait, self.read_more()) => first.map_err(|_| ReadError::Gone)??,
            }
        }
        self.reused = true;
        let deadline = Instant::now() + limits.header_read_timeout;
        loop {
            if let Some((head, len)) = parse_head(&self.buf, limits)? {
                self.buf.drain(..len);
                return Ok(head);
            }
            if self.buf.len() > limits.max_header_bytes {
                return Err(ReadError::HeadTooLarge {
                    limit: limits.max_header_bytes,
                });
            }
            self.read_more_until(deadline, || ReadError::Timeout {
                what: "request head",
                limit: limits.header_read_timeout,
            })
            .await?;
        }
    }

    /// The body of the request `head` introduced, read within the body timeout.
    pub async fn read_body(&mut self, head: &Head) -> Result<Bytes, ReadError> {
        let limits = self.limits;
        let deadline = Instant::now() + limits.body_read_timeout;
        let too_large = ReadError::BodyTooLarge {
            limit: limits.max_body_bytes,
        };
        if head.framing == Framing::Empty {
            return Ok(Bytes::new());
        }
        if let Framing::Length(n) = head.framing {
            if n > limits.max_body_bytes as u64 {
                return Err(too_large);
            }
        }
        if head.expects_continue() && self.buf.is_empty() {
            self.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")
                .await
                .map_err(|_| ReadError::Gone)?;
        }
        match head.framing {
            Framing::Empty => Ok(Bytes::new()),
            Framing::Length(n) => {
                // `n` fits in usize: it is at most the body limit.
                let n = n as usize;
                while self.buf.len() < n {
                    self.read_more_until(deadline, || body_timeout(limits))
                        .await?;
                }
                Ok(Bytes::from(self.buf.drain(..n).collect::<Vec<u8>>()))
            }
            Framing::Chunked => self.read_chunked(deadline).await,
        }
    }

    async fn read_chunked(&mut self, deadline: Instant) -> Result<Bytes, ReadError> {
        let limits = self.limits;
        let mut body = Vec::new();
        loop {
            let (line_len, size) = loop {
                match httparse::parse_chunk_size(&self.buf) {
                    Ok(httparse::Status::Complete((len, size)))
                        if is_chunk_size_line(&self.buf[..len]) =>
                    {
                        break (len, size)
                    }
                    Ok(httparse::Status::Partial) if self.buf.len() <= MAX_CHUNK_LINE => {
                        self.read_more_until(deadline, || body_timeout(limits))
                            .await?
                    }
                    _ => {
                        return Err(ReadError::Malformed(
                            "a chunk of the chunked body does not start with a hexadecimal \
                             size (and optional extensions) on a line of its own"
                                .into(),
                        ))
                    }
                }
            };
            self.buf.drain(..line_len);
            if size == 0 {
                self.skip_trailers(deadline).await?;
                return Ok(Bytes::from(body));
            }
            // Subtracted, not added: a size of up to 16 hex digits overflows a sum.
            if size > (limits.max_body_bytes - body.len()) as u64 {
                return Err(ReadError::BodyTooLarge {
                    limit: limits.max_body_bytes,
                });
            }
            let size = size as usize;
            while self.buf.len() < size + 2 {
                self.read_more_until(deadline, || body_timeout(limits))
                    .await?;
            }
            if &self.buf[size..size + 2] != b"\r\n" {
                return Err(ReadError::Malformed(
                    "a chunk of the chunked body is longer than its size".into(),
                ));
            }
            body.extend_from_slice(&self.buf[..size]);
            self.buf.drain(..size + 2);
        }
    }

    /// Consumes the trailer lines after the last chunk, up to the empty line.
    async fn skip_trailers(&mut self, deadline: Instant) -> Result<(), ReadError> {
        let limits = self.limits;
        let mut skipped = 0;
        loop {
            match self.buf.windows(2).position(|w| w == b"\r\n") {
                Some(0) => {
                    self.buf.drain(..2);
                    return Ok(());
                }
                Some(end) if has_control(&self.buf[..end]) => {
                    return Err(ReadError::Malformed(
                        "a trailer line of the chunked body has a control character (a bare \
                         CR or LF among them); end each line with CRLF"
                            .into(),
                    ))
                }
                Some(end) => {
                    skipped += end + 2;
                    self.buf.drain(..end + 2);
                }
                None => {
                    self.read_more_until(deadline, || body_timeout(limits))
                        .await?
                }
            }
            if skipped + self.buf.len() > limits.max_header_bytes + 2 {
                return Err(ReadError::HeadTooLarge {
                    limit: limits.max_header_bytes,
                });
            }
        }
    }

    /// Writes `reply` (a complete, normalized one) within the write timeout.
    pub async fn write_reply(
        &mut self,
        reply: &Reply,
        date: &str,
        head_only: bool,
        close: bool,
    ) -> io::Result<()> {
        let bytes = encode(reply, date, head_only, close);
        self.write_all(&bytes).await
    }

    async fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        match timeout(self.limits.write_timeout, self.stream.write_all(bytes)).await {
            Ok(result) => result,
            Err(_) => Err(io::ErrorKind::TimedOut.into()),
        }
    }

    /// Closes after a reply to a request that was not read completely: stops
    /// sending, then discards what the client still sends for a moment, so that it
    /// reads the reply rather than a reset.
    pub async fn close_lingering(mut self) {
        let _ = self.stream.shutdown().await;
        let deadline = Instant::now() + LINGER;
        let mut discarded = 0;
        let mut sink = [0u8; READ_SIZE];
        while discarded < LINGER_BYTES {
            match timeout_at(deadline, self.stream.read(&mut sink)).await {
                Ok(Ok(n)) if n > 0 => discarded += n,
                _ => break,
            }
        }
    }

    /// Closes after a complete exchange.
    pub async fn close(mut self) {
        let _ = self.stream.shutdown().await;
    }
}

/// Whether `line` (with its CRLF), which httparse read as a chunk size, is one that every
/// HTTP/1.1 parser reads alike: httparse also takes a line without digits (as size 0) and
/// extensions holding a bare LF, which a lenient parser would end the line at.
fn is_chunk_size_line(line: &[u8]) -> bool {
    line.first().is_some_and(u8::is_ascii_hexdigit) && !has_control(&line[..line.len() - 2])
}

/// Whether `bytes` hold a control character other than horizontal tab.
fn has_control(bytes: &[u8]) -> bool {
    bytes.iter().any(|&b| (b < 0x20 && b != b'\t') || b == 0x7F)
}

fn body_timeout(limits: Limits) -> ReadError {
    ReadError::Timeout {
        what: "request body",
        limit: limits.body_read_timeout,
    }
}

/// The head at the start of `buf` and its length, `None` while incomplete.
fn parse_head(buf: &[u8], limits: Limits) -> Result<Option<(Head, usize)>, ReadError> {
    let mut lines = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut lines);
    let len = match request.parse(buf) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => {
            return Err(ReadError::HeadTooLarge {
                limit: limits.max_header_bytes,
            })
        }
        Err(e) => return Err(ReadError::Malformed(format!("the request head has an {e}"))),
    };
    if len > limits.max_header_bytes {
        return Err(ReadError::HeadTooLarge {
            limit: limits.max_header_bytes,
        });
    }
    // httparse also ends lines at a bare LF; refused, like the chunked body's lines,
    // so that the head ends where any other parser would end it.
    if buf[..len]
        .iter()
        .enumerate()
        .any(|(i, &b)| b == b'\n' && (i == 0 || buf[i - 1] != b'\r'))
    {
        return Err(ReadError::Malformed(
            "a line of the request head ends with a bare LF; end each line with CRLF".into(),
        ));
    }
    let malformed = |what: String| ReadError::Malformed(what);
    let method = request.method.unwrap_or_default();
    let method = Method::from_bytes(method.as_bytes())
        .map_err(|_| malformed(format!("'{method}' is not a method")))?;
    let target = request.path.unwrap_or_default();
    let uri: Uri = target
        .parse()
        .map_err(|_| malformed(format!("'{target}' is not a request target")))?;
    let version = match request.version {
        Some(0) => Version::HTTP_10,
        _ => Version::HTTP_11,
    };
    let mut headers = HeaderMap::with_capacity(request.headers.len());
    for line in request.headers.iter() {
        let name = HeaderName::from_bytes(line.name.as_bytes())
            .map_err(|_| malformed(format!("'{}' is not a header name", line.name)))?;
        let value = HeaderValue::from_bytes(line.value)
            .map_err(|_| malformed(format!("the value of '{name}' is not a header value")))?;
        headers.append(name, value);
    }
    let framing = framing(&headers)?;
    Ok(Some((
        Head {
            method,
            uri,
            version,
            headers,
            framing,
        },
        len,
    )))
}

/// How the body is delimited; ambiguous or unsupported framings are refused (a
/// request that two parsers could split differently is never guessed at).
fn framing(headers: &HeaderMap) -> Result<Framing, ReadError> {
    let malformed = |why: &str| Err(ReadError::Malformed(why.to_string()));
    let mut codings = Vec::new();
    for value in headers.get_all(TRANSFER_ENCODING) {
        let text = String::from_utf8_lossy(value.as_bytes());
        codings.extend(
            text.split(',')
                .map(|t| t.trim().to_ascii_lowercase())
                .filter(|t| !t.is_empty()),
        );
    }
    let lengths: Vec<&HeaderValue> = headers.get_all(CONTENT_LENGTH).iter().collect();
    // The header's presence, not its values, decides: an empty `Transfer-Encoding` next
    // to a `Content-Length` is as ambiguous as a full one.
    if headers.contains_key(TRANSFER_ENCODING) {
        if !lengths.is_empty() {
            return malformed("it has both Transfer-Encoding and Content-Length");
        }
        return match codings.as_slice() {
            [only] if only == "chunked" => Ok(Framing::Chunked),
            _ => malformed("the only supported Transfer-Encoding is chunked"),
        };
    }
    let mut length = None;
    for value in lengths {
        for part in String::from_utf8_lossy(value.as_bytes()).split(',') {
            let part = part.trim();
            let n: u64 = match part.parse() {
                Ok(n) if part.bytes().all(|b| b.is_ascii_digit()) => n,
                _ => return malformed("Content-Length is not a number"),
            };
            if length.is_some_and(|l| l != n) {
                return malformed("it has several different Content-Length values");
            }
            length = Some(n);
        }
    }
    Ok(match length {
        None | Some(0) => Framing::Empty,
        Some(n) => Framing::Length(n),
    })
}

/// The bytes of a reply: status line, the reply's headers (without any framing
/// headers it set), `content-length`, `date` unless set, `connection: close` when
/// closing, and the body (left out for `HEAD`).
fn encode(reply: &Reply, date: &str, head_only: bool, close: bool) -> Vec<u8> {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut out = Vec::with_capacity(256 + reply.body.len());
    out.extend_from_slice(
        format!(
            "HTTP/1.1 {} {}\r\n",
            status.as_u16(),
            status.canonical_reason().unwrap_or("Unknown")
        )
        .as_bytes(),
    );
    let mut has_date = false;
    for (name, value) in &reply.headers {
        if [CONTENT_LENGTH, TRANSFER_ENCODING, CONNECTION].contains(name) {
            continue;
        }
        has_date |= name == DATE;
        push_header(&mut out, name.as_str(), value.as_bytes());
    }
    let bodiless = status.is_informational()
        || status == StatusCode::NO_CONTENT
        || status == StatusCode::NOT_MODIFIED;
    if !bodiless {
        push_header(
            &mut out,
            CONTENT_LENGTH.as_str(),
            reply.body.len().to_string().as_bytes(),
        );
    }
    if !has_date {
        push_header(&mut out, DATE.as_str(), date.as_bytes());
    }
    if close {
        push_header(&mut out, CONNECTION.as_str(), b"close");
    }
    out.extend_from_slice(b"\r\n");
    if !head_only && !bodiless {
        out.extend_from_slice(&reply.body);
    }
    out
}

fn push_header(out: &mut Vec<u8>, name: &str, value: &[u8]) {
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b": ");
    out.extend_from_slice(value);
    out.extend_from_slice(b"\r\n");
}

/// The complete bytes of `reply` for a connection that is refused or closed at once.
pub fn encode_final(reply: &Reply, date: &str) -> Vec<u8> {
    encode(reply, date, false, true)
}

#[cfg(test)]
mod tests {
    use super::super::server::REQUEST_ID_HEADER;
    use super::*;

    const LIMITS: Limits = Limits {
        max_header_bytes: 1024,
        max_body_bytes: 64,
        header_read_timeout: Duration::from_secs(1),
        body_read_timeout: Duration::from_secs(1),
        idle_timeout: Duration::from_secs(1),
        write_timeout: Duration::from_secs(1),
    };

    fn head(text: &str) -> Result<Option<(Head, usize)>, ReadError> {
        parse_head(text.as_bytes(), LIMITS)
    }

    #[test]
    fn heads_parse_with_their_framing() {
        let (h, len) = head("PUT /a%2Fb?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello")
            .unwrap()
            .unwrap();
        assert_eq!(len, 55);
        assert_eq!(
            (&h.method, h.uri.path(), h.uri.query()),
            (&Method::PUT, "/a%2Fb", Some("x=1"))
        );
        assert_eq!(h.framing, Framing::Length(5));
        assert!(!h.wants_close());
        let (h, _) = head("POST / HTTP/1.1\r\ntransfer-encoding: Chunked\r\nconnection: keep-alive, close\r\n\r\n")
            .unwrap()
            .unwrap();
        assert_eq!(h.framing, Framing::Chunked);
        assert!(h.wants_close());
        let (h, _) = head("GET / HTTP/1.0\r\n\r\n").unwrap().unwrap();
        assert!(h.wants_close(), "HTTP/1.0 closes unless asked otherwise");
        assert!(head("GET / HTTP/1.1\r\nHost: h\r\n").unwrap().is_none());
    }

    #[test]
    fn ambiguous_or_broken_heads_are_refused() {
        for (text, needle) in [
            (
                "GET / HTTP/1.1\r\ncontent-length: 5\r\ncontent-length: 6\r\n\r\n",
                "different Content-Length",
            ),
            (
                "GET / HTTP/1.1\r\ncontent-length: +5\r\n\r\n",
                "not a number",
            ),
            (
                "GET / HTTP/1.1\r\ncontent-length: 1\r\ntransfer-encoding: chunked\r\n\r\n",
                "both",
            ),
            (
                "GET / HTTP/1.1\r\ntransfer-encoding: gzip, chunked\r\n\r\n",
                "only supported",
            ),
            (
                "POST / HTTP/1.1\r\ntransfer-encoding: \r\ncontent-length: 3\r\n\r\n",
                "both",
            ),
            ("GET / HTTP/1.1\nhost: h\n\n", "bare LF"),
            ("GET / HTTP/1.1\r\nhost: h\n\r\n", "bare LF"),
            ("this is not http\r\n\r\n", "not valid"),
        ] {
            match head(text) {
                Err(ReadError::Malformed(why)) => {
                    let message = ReadError::Malformed(why).reply("rid").unwrap();
                    let body = String::from_utf8_lossy(&message.body).into_owned();
                    assert!(
                        body.contains(needle) || text.starts_with("this"),
                        "{text:?}: {body}"
                    );
                    assert_eq!(message.status, 400);
                }
                other => panic!("{text:?}: {other:?}"),
            }
        }
        let long = format!("GET / HTTP/1.1\r\nx: {}\r\n\r\n", "a".repeat(2000));
        assert_eq!(
            head(&long).unwrap_err(),
            ReadError::HeadTooLarge { limit: 1024 }
        );
        let many: String = (0..=MAX_HEADERS).map(|i| format!("h{i}: v\r\n")).collect();
        assert_eq!(
            head(&format!("GET / HTTP/1.1\r\n{many}\r\n")).unwrap_err(),
            ReadError::HeadTooLarge { limit: 1024 }
        );
    }

    #[test]
    fn every_read_error_but_gone_has_an_error_reply() {
        assert_eq!(ReadError::Gone.reply("rid"), None);
        for (error, status) in [
            (
                ReadError::Timeout {
                    what: "request body",
                    limit: Duration::from_millis(250),
                },
                408,
            ),
            (ReadError::HeadTooLarge { limit: 1024 }, 431),
            (ReadError::BodyTooLarge { limit: 64 }, 413),
            (ReadError::Malformed("x".into()), 400),
        ] {
            let reply = error.reply("rid-1").unwrap();
            assert_eq!(reply.status, status);
            assert_eq!(reply.header("x-amzn-requestid").unwrap(), "rid-1");
            let json: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
            assert_eq!(json["RequestId"], "rid-1");
            assert_eq!(json["Code"], "BadRequest");
        }
    }

    #[test]
    fn replies_are_framed_by_the_server() {
        let reply = Reply::json(200, "{}")
            .with_header(CONTENT_LENGTH, HeaderValue::from_static("999"))
            .with_header(REQUEST_ID_HEADER, HeaderValue::from_static("rid"));
        let text = String::from_utf8(encode(&reply, "Sun, 22 Nov 2026 00:24:00 GMT", false, true))
            .unwrap();
        assert_eq!(
            text,
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-amzn-requestid: rid\r\n\
             content-length: 2\r\ndate: Sun, 22 Nov 2026 00:24:00 GMT\r\nconnection: close\r\n\r\n{}"
        );
        let no_content = String::from_utf8(encode(&Reply::new(204), "d", false, false)).unwrap();
        assert_eq!(no_content, "HTTP/1.1 204 No Content\r\ndate: d\r\n\r\n");
        let head_only = encode(&Reply::json(404, "{\"a\":1}"), "d", true, false);
        assert!(String::from_utf8(head_only)
            .unwrap()
            .ends_with("content-length: 7\r\ndate: d\r\n\r\n"));
    }
}
