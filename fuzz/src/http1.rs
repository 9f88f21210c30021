//! Target `http1`: the emulator's own HTTP/1.1 framing (`src/emulator/http1.rs`): request
//! heads, `Content-Length` and chunked bodies, limits, keep-alive and pipelining, read
//! by the same [`Connection`] the server reads sockets with, here over an in-memory
//! stream on a current-thread runtime. Refusals are expected; a panic or a hang is a
//! finding.
//!
//! Input: the bytes a client sends on one connection. Each `0xFF` byte ends one read
//! (and is not sent), so the fuzzer chooses where reads split a head, a chunk-size line
//! or a body; the framer also reads at most 8 KiB at a time.
//!
//! Properties besides "no panic, no hang":
//! - every request read spans exactly the bytes its framing says: its head (after any
//!   empty lines before it) ends at the first empty line (CRLF CRLF) with no bare LF and no folded line in it, and the
//!   bytes between that and the next request decode, by this module's own strict
//!   decoder, to the body the framer returned (`Content-Length` bytes, or the chunks'
//!   data concatenated, ending with the last chunk and trailers);
//! - no request read has ambiguous framing: never both `Transfer-Encoding` and
//!   `Content-Length`, a transfer coding only `chunked`, `Content-Length` values all
//!   equal;
//! - a head and a body stay within the limits;
//! - a refused input gets an error reply with a 4xx or 5xx status; the only silent
//!   end is the client's (every byte was delivered).

use std::cell::Cell;
use std::io;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;

use chime_caps::emulator::http1::{Connection, Limits, ReadError};
use http::header::{CONTENT_LENGTH, TRANSFER_ENCODING};
use http::HeaderMap;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::watch;

/// The byte that ends one read in an input.
pub const READ_BOUNDARY: u8 = 0xFF;

/// Smaller than the server's defaults so that inputs of a few KiB reach them.
pub const LIMITS: Limits = Limits {
    max_header_bytes: 1024,
    max_body_bytes: 4096,
    header_read_timeout: Duration::from_secs(10),
    body_read_timeout: Duration::from_secs(10),
    idle_timeout: Duration::from_secs(10),
    write_timeout: Duration::from_secs(10),
};

/// How far one input got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reached {
    /// Requests read completely (head and body).
    pub requests: usize,
    /// The status of the error reply that ended the connection, if one did.
    pub refusal: Option<u16>,
}

/// Reads every request of one connection's bytes, as the server does, and checks each.
pub fn run(data: &[u8]) -> Reached {
    let reads: Vec<&[u8]> = data.split(|&b| b == READ_BOUNDARY).collect();
    let sent: Vec<u8> = reads.concat();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a current-thread runtime");
    runtime.block_on(read_connection(&reads, &sent))
}

async fn read_connection(reads: &[&[u8]], sent: &[u8]) -> Reached {
    let stream = ScriptedStream::new(reads);
    let delivered = stream.delivered.clone();
    let mut conn = Connection::new(stream, LIMITS);
    // The sender stays alive: the server is not shutting down.
    let (_shutdown_tx, mut shutdown) = watch::channel(false);
    let consumed = |conn: &Connection<ScriptedStream>| delivered.get() - conn.buffered_len();
    let mut reached = Reached {
        requests: 0,
        refusal: None,
    };
    loop {
        let start = consumed(&conn);
        let head = match conn.read_head(&mut shutdown).await {
            Ok(head) => head,
            Err(error) => return refused(reached, &error, delivered.get() == sent.len()),
        };
        let head_end = consumed(&conn);
        let body = match conn.read_body(&head).await {
            Ok(body) => body,
            Err(error) => return refused(reached, &error, delivered.get() == sent.len()),
        };
        let end = consumed(&conn);
        check_head(&sent[start..head_end], &head.headers);
        let expected = reframe(&head.headers, &sent[head_end..end]);
        assert_eq!(
            expected.as_deref(),
            Some(&body[..]),
            "the framer returned a body its framing does not give: {:?}",
            String::from_utf8_lossy(&sent[start..end])
        );
        assert!(body.len() <= LIMITS.max_body_bytes, "a body over the limit");
        reached.requests += 1;
        if head.wants_close() {
            return reached;
        }
    }
}

/// The end of a connection on `error`: an error reply, unless the client is gone.
fn refused(mut reached: Reached, error: &ReadError, all_delivered: bool) -> Reached {
    match error.reply("fuzz-request-id") {
        Some(reply) => {
            assert!(
                (400..600).contains(&reply.status),
                "{error:?} is answered with status {}",
                reply.status
            );
            reached.refusal = Some(reply.status);
        }
        None => assert!(
            all_delivered,
            "the connection was dropped without a reply before the client finished: {error:?}"
        ),
    }
    reached
}

/// The raw head of a request that was read: one empty line, at its end, CRLF line
/// endings, no folded lines, within the limit, and unambiguous framing headers.
fn check_head(raw: &[u8], headers: &HeaderMap) {
    assert!(
        raw.len() <= LIMITS.max_header_bytes,
        "a head over the limit"
    );
    // Empty lines before the request line are skipped (RFC 9112, section 2.2).
    let mut raw = raw;
    while let Some(rest) = raw.strip_prefix(b"\r\n") {
        raw = rest;
    }
    let text = String::from_utf8_lossy(raw);
    assert_eq!(
        find(raw, b"\r\n\r\n"),
        Some(raw.len() - 4),
        "the head does not end at its first empty line: {text:?}"
    );
    for (i, &b) in raw.iter().enumerate() {
        if b == b'\n' {
            assert!(i > 0 && raw[i - 1] == b'\r', "a bare LF in {text:?}");
        }
    }
    assert!(
        find(raw, b"\r\n ").is_none() && find(raw, b"\r\n\t").is_none(),
        "a folded header line in {text:?}"
    );
    let has_coding = headers.contains_key(TRANSFER_ENCODING);
    assert!(
        !(has_coding && headers.contains_key(CONTENT_LENGTH)),
        "both Transfer-Encoding and Content-Length in {text:?}"
    );
    if has_coding {
        // A list header: empty elements (an empty line among several) do not count.
        let codings: Vec<&[u8]> = headers
            .get_all(TRANSFER_ENCODING)
            .iter()
            .flat_map(|v| v.as_bytes().split(|&b| b == b','))
            .map(<[u8]>::trim_ascii)
            .filter(|coding| !coding.is_empty())
            .collect();
        assert!(
            codings.len() == 1 && codings[0].eq_ignore_ascii_case(b"chunked"),
            "a transfer coding other than chunked in {text:?}"
        );
    }
}

/// The body that `raw` (everything the framer consumed after the head) holds according
/// to `headers`, decoded independently of the framer; `None` if `raw` is not exactly
/// one body so framed.
fn reframe(headers: &HeaderMap, raw: &[u8]) -> Option<Vec<u8>> {
    if headers.contains_key(TRANSFER_ENCODING) {
        return decode_chunked(raw);
    }
    let mut lengths = headers
        .get_all(CONTENT_LENGTH)
        .iter()
        .flat_map(|v| v.as_bytes().split(|&b| b == b','))
        .map(|part| {
            let digits = part.trim_ascii();
            assert!(
                !digits.is_empty() && digits.iter().all(u8::is_ascii_digit),
                "a Content-Length that is not a number was accepted"
            );
            std::str::from_utf8(digits).ok()?.parse::<u64>().ok()
        });
    let length = lengths.next().map_or(Some(0), |first| first)?;
    assert!(
        lengths.all(|other| other == Some(length)),
        "differing Content-Length values were accepted"
    );
    (raw.len() as u64 == length).then(|| raw.to_vec())
}

/// Strict chunked decoding: every line ends with CRLF, a size line is 1 to 16 hex
/// digits then optional whitespace and `;` extensions without control characters, each
/// chunk's data is followed by CRLF, and trailers are lines without control characters up
/// to an empty line that ends `raw`.
fn decode_chunked(raw: &[u8]) -> Option<Vec<u8>> {
    let mut rest = raw;
    let mut body = Vec::new();
    loop {
        let (line, after) = split_line(rest)?;
        let digits = line.iter().take_while(|b| b.is_ascii_hexdigit()).count();
        let extension = line[digits..].trim_ascii_start();
        if digits == 0 || digits > 16 || !(extension.is_empty() || extension[0] == b';') {
            return None;
        }
        if has_control(line) {
            return None;
        }
        let size = u64::from_str_radix(std::str::from_utf8(&line[..digits]).ok()?, 16).ok()?;
        rest = after;
        if size == 0 {
            break;
        }
        let size = usize::try_from(size).ok()?;
        if rest.len() < size || !rest[size..].starts_with(b"\r\n") {
            return None;
        }
        body.extend_from_slice(&rest[..size]);
        rest = &rest[size + 2..];
    }
    loop {
        let (line, after) = split_line(rest)?;
        rest = after;
        if line.is_empty() {
            return rest.is_empty().then_some(body);
        }
        if has_control(line) {
            return None;
        }
    }
}

/// The line at the start of `bytes` (without its CRLF) and what follows it.
fn split_line(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let end = find(bytes, b"\r\n")?;
    Some((&bytes[..end], &bytes[end + 2..]))
}

/// Whether `line` has a control character other than horizontal tab (CR and LF among
/// them).
fn has_control(line: &[u8]) -> bool {
    line.iter().any(|&b| (b < 0x20 && b != b'\t') || b == 0x7F)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A client that sends the input's reads one by one, then closes; what the server
/// writes back is discarded.
struct ScriptedStream {
    reads: Vec<Vec<u8>>,
    next: usize,
    /// Offset in the current read.
    offset: usize,
    /// Bytes handed to the server so far.
    delivered: Rc<Cell<usize>>,
}

impl ScriptedStream {
    fn new(reads: &[&[u8]]) -> Self {
        ScriptedStream {
            reads: reads.iter().map(|r| r.to_vec()).collect(),
            next: 0,
            offset: 0,
            delivered: Rc::new(Cell::new(0)),
        }
    }
}

impl AsyncRead for ScriptedStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = &mut *self;
        // Empty reads (two boundaries in a row) are skipped: a read of 0 bytes is the end.
        while this.next < this.reads.len() && this.offset == this.reads[this.next].len() {
            this.next += 1;
            this.offset = 0;
        }
        if let Some(read) = this.reads.get(this.next) {
            let n = buf.remaining().min(read.len() - this.offset);
            buf.put_slice(&read[this.offset..this.offset + n]);
            this.offset += n;
            this.delivered.set(this.delivered.get() + n);
        }
        Poll::Ready(Ok(()))
    }
}

impl AsyncWrite for ScriptedStream {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}
