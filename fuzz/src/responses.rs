//! Target `responses`: one HTTP response given to every operation of the generated
//! client, both as a success (`deserialize_output`) and as an error
//! (`deserialize_error`), whatever its status, as a hostile or broken service could send
//! it. Errors are expected; a panic or a hang is a finding.
//!
//! What the client reads must also survive the emulator's side of the same bindings:
//! an output read is written back (`write_output`) and must read back equal, and an
//! error's code must survive `write_error` and a second read.
//!
//! Input: a [`Message`] whose start line holds the status (`200`, or `HTTP/1.1 200 OK`).

use std::hint::black_box;

use aws_smithy_runtime_api::http::Headers;
use chime_caps_generated::error::ProvideErrorMetadata;

use super::message::Message;
use super::operations::{self, FuzzedOperation, Visit};

/// How many operations read the input as what.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// Operations that read the response as their output.
    pub outputs: usize,
    /// Operations that read it as an error with a code.
    pub coded_errors: usize,
}

/// Reads one input with every operation.
pub fn run(data: &[u8]) -> Outcome {
    let message = Message::parse(data);
    let mut read = Read {
        status: status_of(&message.start_line),
        headers: &message.headers,
        body: message.body,
        outcome: Outcome::default(),
    };
    operations::each(&mut read);
    read.outcome
}

/// The first word of the start line that is a number; 0 (no operation's success) when
/// none is.
fn status_of(start_line: &str) -> u16 {
    start_line
        .split_whitespace()
        .find_map(|word| word.parse().ok())
        .unwrap_or(0)
}

struct Read<'a> {
    status: u16,
    headers: &'a Headers,
    body: &'a [u8],
    outcome: Outcome,
}

impl Visit for Read<'_> {
    fn visit<O: FuzzedOperation>(&mut self) {
        black_box(O::is_success(self.status));
        match O::deserialize_output(self.status, self.headers, self.body) {
            Ok(output) => {
                self.outcome.outputs += 1;
                output_round_trip::<O>(&output, self.headers);
            }
            Err(e) => {
                black_box(e.to_string());
            }
        }
        let error = O::deserialize_error(self.status, self.headers, self.body);
        black_box(error.to_string());
        if let Some(code) = error.code() {
            self.outcome.coded_errors += 1;
            error_round_trip::<O>(code, &error);
        }
    }
}

/// The headers of a server response, as a client receives them; `None` when one of them
/// is not a valid header (an HTTP stack would refuse to send it).
fn received_headers(written: &[(String, String)], mut into: Headers) -> Option<Headers> {
    for (name, value) in written {
        into.try_append(name.clone(), value.clone()).ok()?;
    }
    Some(into)
}

/// `output` written by the server side reads back equal (the request id travels in a
/// header the server does not write, so it is carried over).
fn output_round_trip<O: FuzzedOperation>(output: &O::Output, original: &Headers) {
    let written = O::write_output(output).unwrap_or_else(|e| {
        panic!(
            "{}: an output the client read cannot be written: {e}\n{output:?}",
            O::NAME
        )
    });
    let mut carried = Headers::new();
    for name in ["x-amzn-requestid", "x-amz-request-id"] {
        if let Some(value) = original.get(name) {
            carried.insert(name, value.to_owned());
        }
    }
    let headers = received_headers(&written.headers, carried).unwrap_or_else(|| {
        panic!(
            "{}: the server wrote an invalid header: {:?}",
            O::NAME,
            written.headers
        )
    });
    let again =
        O::deserialize_output(written.status, &headers, &written.body).unwrap_or_else(|e| {
            panic!(
                "{}: the client cannot read what the server wrote: {e}\nbody: {}",
                O::NAME,
                String::from_utf8_lossy(&written.body)
            )
        });
    assert_eq!(
        &again,
        output,
        "{}: the output changed on a round trip",
        O::NAME
    );
}

/// An error's code survives the server writing it and the client reading it again.
fn error_round_trip<O: FuzzedOperation>(code: &str, error: &O::Error) {
    let written = O::write_error(error);
    // A code from a hostile body may hold what no header can carry; the emulator only
    // writes its own codes.
    let Some(headers) = received_headers(&written.headers, Headers::new()) else {
        return;
    };
    let again = O::deserialize_error(written.status, &headers, &written.body);
    assert_eq!(
        again.code(),
        Some(code),
        "{}: the error code changed on a round trip: {error:?} became {again:?}",
        O::NAME
    );
}
