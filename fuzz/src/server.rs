//! Target `server`: one HTTP request through the server side of the generated bindings,
//! as the emulator serves it: the route table matches it to an operation
//! (`Router::route`), and that operation reads its input from the labels, query, headers
//! and body (`ServerOperation::parse_request`). Refusals are expected; a panic or a hang
//! is a finding.
//!
//! An input the server accepted must also be one the client sends the same way: the
//! client's `serialize` of it routes to the same operation and parses back equal.
//!
//! Input: a [`Message`] whose start line is `<method> <target>` (`GET /meetings/m-1`).

use std::hint::black_box;
use std::sync::OnceLock;

use chime_caps_generated::operation::ROUTES;
use chime_caps_runtime::server::{Matched, Router};

use super::message::Message;
use super::operations::{self, FuzzedOperation, Visit};

/// How far one input got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reached {
    /// No route matched (unknown path, wrong method, malformed encoding).
    NoRoute,
    /// The named operation matched and refused the request.
    Refused(&'static str),
    /// The named operation read its input.
    Parsed(&'static str),
}

/// Serves one input.
pub fn run(data: &[u8]) -> Reached {
    let message = Message::parse(data);
    let mut words = message.start_line.split_whitespace();
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let matched = match router().route(method, target, &message.headers, message.body) {
        Ok(matched) => matched,
        Err(no_route) => {
            black_box(format!("{no_route:?}"));
            return Reached::NoRoute;
        }
    };
    let mut parse = Parse {
        matched: &matched,
        reached: None,
    };
    operations::each(&mut parse);
    parse.reached.unwrap_or_else(|| {
        panic!(
            "route {:?} names no operation of `operations::each`: add it there",
            matched.route
        )
    })
}

/// The router over the generated route table, built once.
fn router() -> &'static Router {
    static ROUTER: OnceLock<Router> = OnceLock::new();
    ROUTER.get_or_init(|| Router::new(ROUTES))
}

struct Parse<'m, 'a> {
    matched: &'m Matched<'a>,
    reached: Option<Reached>,
}

impl Visit for Parse<'_, '_> {
    fn visit<O: FuzzedOperation>(&mut self) {
        if O::NAME != self.matched.route.operation {
            return;
        }
        self.reached = Some(match O::parse_request(&self.matched.request) {
            Ok(input) => {
                client_round_trip::<O>(input);
                Reached::Parsed(O::NAME)
            }
            Err(e) => {
                black_box(e.to_string());
                Reached::Refused(O::NAME)
            }
        });
    }
}

/// The client's request for `input` is served as the same operation with the same input.
fn client_round_trip<O: FuzzedOperation>(input: O::Input) {
    let request = O::serialize(input.clone()).unwrap_or_else(|e| {
        panic!(
            "{}: the client cannot send an input the server accepted: {e}\n{input:?}",
            O::NAME
        )
    });
    let body = request
        .body()
        .bytes()
        .unwrap_or_else(|| panic!("{}: the client's request body is not in memory", O::NAME));
    let matched = router()
        .route(request.method(), request.uri(), request.headers(), body)
        .unwrap_or_else(|e| {
            panic!(
                "{}: the client's request {} {} matches no route: {e:?}",
                O::NAME,
                request.method(),
                request.uri()
            )
        });
    assert_eq!(
        matched.route.operation,
        O::NAME,
        "the client's request {} {} is routed to another operation",
        request.method(),
        request.uri()
    );
    let again = O::parse_request(&matched.request)
        .unwrap_or_else(|e| panic!("{}: the server refuses the client's request: {e}", O::NAME));
    assert_eq!(
        again,
        input,
        "{}: the input changed on a round trip",
        O::NAME
    );
}
