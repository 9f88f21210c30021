//! The input format of the `responses` and `server` targets: an HTTP message as text, so
//! that seeds read like the traffic they stand for and byte mutations stay meaningful.
//!
//! ```text
//! <start line>
//! <name>: <value>
//! ...
//!
//! <body>
//! ```
//!
//! The head ends at the first empty line; it is read as UTF-8 (invalid sequences
//! replaced) and its lines may end in `\r\n`. The rest is the body, byte for byte. Header
//! lines that are not a valid `name: value` are dropped, as an HTTP stack refuses them
//! before any operation sees them.

use aws_smithy_runtime_api::http::Headers;

/// One decoded input.
#[derive(Debug)]
pub struct Message<'a> {
    /// The first line: `<status>` for a response, `<method> <target>` for a request.
    pub start_line: String,
    /// The valid header lines, in order (repeated names keep every value).
    pub headers: Headers,
    /// Everything after the empty line.
    pub body: &'a [u8],
}

impl<'a> Message<'a> {
    /// Decodes `data`; every byte string is some message.
    pub fn parse(data: &'a [u8]) -> Self {
        let (head, body) = split_head(data);
        let head = String::from_utf8_lossy(head);
        let mut lines = head.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
        let start_line = lines.next().unwrap_or_default().to_owned();
        let mut headers = Headers::new();
        for (name, value) in lines.filter_map(|line| line.split_once(':')) {
            // `try_append` refuses what is not a header name or value; so would a server.
            let _ = headers.try_append(name.trim().to_owned(), value.trim().to_owned());
        }
        Self {
            start_line,
            headers,
            body,
        }
    }
}

/// The head and the body of `data`, split at the first empty line.
fn split_head(data: &[u8]) -> (&[u8], &[u8]) {
    for (i, _) in data.iter().enumerate().filter(|(_, b)| **b == b'\n') {
        let rest = &data[i + 1..];
        for separator in [&b"\n"[..], b"\r\n"] {
            if let Some(body) = rest.strip_prefix(separator) {
                return (&data[..i], body);
            }
        }
    }
    (data, &[])
}
