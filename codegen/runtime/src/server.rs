//! The server side of the restJson1 and awsJson bindings (feature `server`), for
//! in-process service emulators: matching a request to an operation by its `@http` trait
//! (awsJson: `POST /` and its `x-amz-target` header), reading the
//! operation's input from labels, query string, headers and body, and writing its
//! output or error back. Generated crates implement [`ServerOperation`] for each
//! operation, so an emulator's routes and parsing come from the same model as the client's.

use std::borrow::Cow;
use std::fmt;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::http::Headers;
use aws_smithy_types::date_time::Format;

use crate::json::{JsonError, WriteJson};
use crate::operation::Operation;
use crate::protocol::{FromHeader, HttpText};

/// An operation's server side.
pub trait ServerOperation: Operation {
    /// The HTTP method of its `@http` trait.
    const METHOD: &'static str;
    /// The URI pattern of its `@http` trait, e.g. `/meetings/{MeetingId}`.
    const URI: &'static str;
    /// The `x-amz-target` header naming it, for a protocol whose operations share one
    /// method and URI (awsJson: `POST /`).
    const TARGET: Option<&'static str> = None;

    /// Reads the input from a request matched to this operation.
    fn parse_request(request: &Request<'_>) -> Result<Self::Input, RequestError>;

    /// Writes a successful response.
    fn write_output(output: &Self::Output) -> Result<Response, BoxError>;

    /// Writes an error response.
    fn write_error(error: &Self::Error) -> Response;
}

/// A route: an operation's name, method and URI pattern.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Route {
    /// The operation's shape name.
    pub operation: &'static str,
    /// The HTTP method.
    pub method: &'static str,
    /// The URI pattern.
    pub uri: &'static str,
    /// The `x-amz-target` header a request must have (awsJson), if any.
    pub target: Option<&'static str>,
}

impl Route {
    /// The route of operation `O`.
    pub const fn of<O: ServerOperation>() -> Self {
        Self {
            operation: O::NAME,
            method: O::METHOD,
            uri: O::URI,
            target: O::TARGET,
        }
    }
}

/// A request being served.
#[derive(Debug)]
pub struct Request<'a> {
    labels: Vec<(String, String)>,
    query: Vec<(String, String)>,
    /// The request's headers.
    pub headers: &'a Headers,
    /// The request's body.
    pub body: &'a [u8],
}

impl<'a> Request<'a> {
    /// The value of label `name` (percent-decoded).
    pub fn label(&self, name: &str) -> Result<&str, RequestError> {
        self.labels
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
            .ok_or_else(|| RequestError::new(format!("the URI has no `{name}` label")))
    }

    /// The first value of query parameter `key`.
    pub fn query(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of query parameter `key`.
    pub fn query_all<'s>(&'s self, key: &'s str) -> impl Iterator<Item = &'s str> + 's {
        self.query
            .iter()
            .filter(move |(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Every query parameter.
    pub fn query_pairs(&self) -> impl Iterator<Item = (&str, &str)> {
        self.query.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

/// Parses label, query and header text into member values.
pub fn parse_text<T: FromHeader>(
    text: &str,
    format: Format,
    what: &str,
) -> Result<T, RequestError> {
    T::from_header(text, format).map_err(|e| RequestError::new(format!("{what}: {e}")))
}

/// A request the bindings cannot read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestError {
    message: String,
}

impl RequestError {
    /// An error with `message`.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }

    /// What was wrong.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RequestError {}

impl From<JsonError> for RequestError {
    fn from(e: JsonError) -> Self {
        Self::new(format!(
            "the body is not valid JSON for this operation: {e}"
        ))
    }
}

impl From<aws_smithy_types::error::operation::BuildError> for RequestError {
    fn from(e: aws_smithy_types::error::operation::BuildError) -> Self {
        Self::new(e.to_string())
    }
}

impl From<aws_smithy_runtime_api::box_error::BoxError> for RequestError {
    fn from(e: aws_smithy_runtime_api::box_error::BoxError) -> Self {
        Self::new(e.to_string())
    }
}

/// A response to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Headers, in order.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// An empty response with `status`.
    pub fn new(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// Adds a header.
    pub fn header(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.headers.push((name.into(), value.into()));
    }

    /// Adds a header from a member value.
    pub fn header_value<T: HttpText + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        format: Format,
    ) -> Result<(), BoxError> {
        let text = value.http_text(format)?;
        self.header(name, text.into_owned());
        Ok(())
    }

    /// Sets a JSON body.
    pub fn json<T: WriteJson + ?Sized>(&mut self, value: &T) -> Result<(), BoxError> {
        self.body = crate::json::to_string(value)?.into_bytes();
        self.header("content-type", "application/json");
        Ok(())
    }

    /// Sets a raw body.
    pub fn bytes(&mut self, body: impl Into<Vec<u8>>, content_type: &str) {
        self.body = body.into();
        self.header("content-type", content_type);
    }

    /// Sets a streamed body, which must be in memory: a server codec answers from a
    /// buffer, and reading a stream would need an async runtime.
    pub fn stream(
        &mut self,
        body: &aws_smithy_types::byte_stream::ByteStream,
        content_type: &str,
    ) -> Result<(), BoxError> {
        let bytes = body.bytes().ok_or(
            "the output's stream is not in memory; the server codec writes streams made from \
             bytes (`ByteStream::from(Vec<u8>)`) only",
        )?;
        self.bytes(bytes, content_type);
        Ok(())
    }

    /// An error response: `status`, the error type in `x-amzn-ErrorType`, and the error
    /// structure's members as the JSON body.
    pub fn error<T: WriteJson + ?Sized>(status: u16, code: &str, body: &T) -> Self {
        let mut response = Self::new(status);
        response.header("x-amzn-errortype", code);
        if response.json(body).is_err() {
            response.body = b"{}".to_vec();
        }
        response
    }
}

/// Matches requests to routes.
#[derive(Debug, Clone)]
pub struct Router {
    routes: Vec<CompiledRoute>,
}

#[derive(Debug, Clone)]
struct CompiledRoute {
    route: Route,
    segments: Vec<Segment>,
    literal_query: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Label(String),
    Greedy(String),
}

/// A request matched to a route.
#[derive(Debug)]
pub struct Matched<'a> {
    /// The route.
    pub route: Route,
    /// The request, ready for [`ServerOperation::parse_request`].
    pub request: Request<'a>,
}

/// Why no route matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoRoute {
    /// No route has this path.
    NotFound,
    /// Routes have this path, but not this method; their methods.
    MethodNotAllowed(Vec<&'static str>),
    /// The path or query is not valid percent-encoded UTF-8.
    Malformed(String),
}

impl Router {
    /// A router over `routes`.
    pub fn new(routes: &[Route]) -> Self {
        let mut routes: Vec<CompiledRoute> = routes.iter().map(compile).collect();
        // A route that also needs literal query parameters (`POST /meetings?operation=x`)
        // is more specific than one with the same path and method but none.
        routes.sort_by_key(|r| std::cmp::Reverse(r.literal_query.len()));
        Self { routes }
    }

    /// The route of `method` `target` (path and query), with its labels and query.
    pub fn route<'a>(
        &self,
        method: &str,
        target: &str,
        headers: &'a Headers,
        body: &'a [u8],
    ) -> Result<Matched<'a>, NoRoute> {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let query = parse_query(query)?;
        let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let mut allowed = Vec::new();
        for compiled in &self.routes {
            let Some(labels) = match_path(&compiled.segments, &parts)? else {
                continue;
            };
            if !compiled
                .literal_query
                .iter()
                .all(|(k, v)| query.iter().any(|(qk, qv)| qk == k && qv == v))
            {
                continue;
            }
            if compiled
                .route
                .target
                .is_some_and(|target| headers.get("x-amz-target") != Some(target))
            {
                continue;
            }
            if !compiled.route.method.eq_ignore_ascii_case(method) {
                allowed.push(compiled.route.method);
                continue;
            }
            return Ok(Matched {
                route: compiled.route,
                request: Request {
                    labels,
                    query,
                    headers,
                    body,
                },
            });
        }
        Err(if allowed.is_empty() {
            NoRoute::NotFound
        } else {
            NoRoute::MethodNotAllowed(allowed)
        })
    }
}

fn compile(route: &Route) -> CompiledRoute {
    let (path, query) = route.uri.split_once('?').unwrap_or((route.uri, ""));
    let segments = path
        .trim_start_matches('/')
        .split('/')
        .map(
            |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => match name.strip_suffix('+') {
                    Some(greedy) => Segment::Greedy(greedy.to_owned()),
                    None => Segment::Label(name.to_owned()),
                },
                None => Segment::Literal(s.to_owned()),
            },
        )
        .collect();
    let literal_query = query
        .split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (k.to_owned(), v.to_owned())
        })
        .collect();
    CompiledRoute {
        route: *route,
        segments,
        literal_query,
    }
}

fn decode(text: &str) -> Result<String, NoRoute> {
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .map(Cow::into_owned)
        .map_err(|_| NoRoute::Malformed(format!("`{text}` is not percent-encoded UTF-8")))
}

fn parse_query(query: &str) -> Result<Vec<(String, String)>, NoRoute> {
    query
        .split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            Ok((decode(&k.replace('+', " "))?, decode(&v.replace('+', " "))?))
        })
        .collect()
}

/// The labels of `parts` when they match `segments`.
fn match_path(
    segments: &[Segment],
    parts: &[&str],
) -> Result<Option<Vec<(String, String)>>, NoRoute> {
    let mut labels = Vec::new();
    let mut i = 0;
    for (index, segment) in segments.iter().enumerate() {
        match segment {
            Segment::Literal(text) => {
                if parts.get(i) != Some(&text.as_str()) {
                    return Ok(None);
                }
                i += 1;
            }
            Segment::Label(name) => {
                let Some(part) = parts.get(i).filter(|p| !p.is_empty()) else {
                    return Ok(None);
                };
                labels.push((name.clone(), decode(part)?));
                i += 1;
            }
            Segment::Greedy(name) => {
                // A greedy label takes everything up to the literal segments after it.
                let rest = segments.len() - index - 1;
                if parts.len() < i + 1 + rest {
                    return Ok(None);
                }
                let end = parts.len() - rest;
                let joined = parts[i..end].join("/");
                if joined.is_empty() {
                    return Ok(None);
                }
                labels.push((name.clone(), decode(&joined)?));
                i = end;
            }
        }
    }
    Ok((i == parts.len()).then_some(labels))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_streamed_body_is_written_from_memory_only() {
        use aws_smithy_types::byte_stream::ByteStream;
        let mut response = Response::new(200);
        response
            .stream(&ByteStream::from(b"video".to_vec()), "video/mp4")
            .unwrap();
        assert_eq!(response.body, b"video");
        assert!(response
            .headers
            .contains(&("content-type".to_owned(), "video/mp4".to_owned())));
        let unread = ByteStream::new(aws_smithy_types::body::SdkBody::taken());
        let err = Response::new(200).stream(&unread, "video/mp4").unwrap_err();
        assert!(err.to_string().contains("not in memory"), "{err}");
    }

    const ROUTES: &[Route] = &[
        Route {
            operation: "GetMeeting",
            method: "GET",
            uri: "/meetings/{MeetingId}",
            target: None,
        },
        Route {
            operation: "DeleteMeeting",
            method: "DELETE",
            uri: "/meetings/{MeetingId}",
            target: None,
        },
        Route {
            operation: "Create",
            method: "POST",
            uri: "/meetings/{MeetingId}/attendees",
            target: None,
        },
        Route {
            operation: "Batch",
            method: "POST",
            uri: "/meetings/{MeetingId}/attendees?operation=batch-create",
            target: None,
        },
        Route {
            operation: "Tags",
            method: "GET",
            uri: "/tags/{Arn+}/list",
            target: None,
        },
    ];

    #[test]
    fn routes_match_by_path_method_and_literal_query() {
        let router = Router::new(ROUTES);
        let headers = Headers::new();
        let m = router
            .route("GET", "/meetings/m%2D1", &headers, b"")
            .unwrap();
        assert_eq!(m.route.operation, "GetMeeting");
        assert_eq!(m.request.label("MeetingId").unwrap(), "m-1");
        assert_eq!(
            router
                .route("DELETE", "/meetings/x", &headers, b"")
                .unwrap()
                .route
                .operation,
            "DeleteMeeting"
        );
        assert_eq!(
            router
                .route(
                    "POST",
                    "/meetings/x/attendees?operation=batch-create&a=b",
                    &headers,
                    b""
                )
                .unwrap()
                .route
                .operation,
            "Batch"
        );
        assert_eq!(
            router
                .route("POST", "/meetings/x/attendees", &headers, b"")
                .unwrap()
                .route
                .operation,
            "Create"
        );
        assert_eq!(
            router
                .route("POST", "/meetings/x/other", &headers, b"")
                .unwrap_err(),
            NoRoute::NotFound
        );
        assert_eq!(
            router
                .route("PUT", "/meetings/x", &headers, b"")
                .unwrap_err(),
            NoRoute::MethodNotAllowed(vec!["GET", "DELETE"])
        );
        let greedy = router
            .route("GET", "/tags/a/b/c/list", &headers, b"")
            .unwrap();
        assert_eq!(greedy.request.label("Arn").unwrap(), "a/b/c");
        assert!(matches!(
            router.route("GET", "/meetings/%FF", &headers, b""),
            Err(NoRoute::Malformed(_))
        ));
    }

    #[test]
    fn routes_sharing_a_uri_match_by_target() {
        const RPC: &[Route] = &[
            Route {
                operation: "GetThing",
                method: "POST",
                uri: "/",
                target: Some("Svc.GetThing"),
            },
            Route {
                operation: "PutThing",
                method: "POST",
                uri: "/",
                target: Some("Svc.PutThing"),
            },
        ];
        let router = Router::new(RPC);
        let mut headers = Headers::new();
        assert_eq!(
            router.route("POST", "/", &headers, b"{}").unwrap_err(),
            NoRoute::NotFound
        );
        headers.insert("x-amz-target", "Svc.PutThing");
        let m = router.route("POST", "/", &headers, b"{}").unwrap();
        assert_eq!(m.route.operation, "PutThing");
        headers.insert("x-amz-target", "Svc.Other");
        assert_eq!(
            router.route("POST", "/", &headers, b"{}").unwrap_err(),
            NoRoute::NotFound
        );
    }

    #[test]
    fn query_values_are_decoded() {
        let router = Router::new(ROUTES);
        let headers = Headers::new();
        let m = router
            .route(
                "GET",
                "/meetings/x?next-token=a%20b&max=3&k=1&k=2",
                &headers,
                b"",
            )
            .unwrap();
        assert_eq!(m.request.query("next-token"), Some("a b"));
        assert_eq!(m.request.query_all("k").collect::<Vec<_>>(), ["1", "2"]);
        assert_eq!(
            parse_text::<i32>(m.request.query("max").unwrap(), Format::DateTime, "max").unwrap(),
            3
        );
    }
}
