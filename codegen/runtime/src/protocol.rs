//! The HTTP bindings every operation shares: building a request from labels, query
//! parameters, headers and a body; reading headers and error responses (restJson1 and
//! awsJson read error codes alike).

use std::borrow::Cow;

use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::endpoint::error::InvalidEndpointError;
use aws_smithy_runtime_api::client::endpoint::EndpointPrefix;
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::http::Headers;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::date_time::Format;
use aws_smithy_types::error::metadata::{Builder as ErrorMetadataBuilder, ErrorMetadata};
use aws_smithy_types::error::operation::BuildError;
use aws_smithy_types::DateTime;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC};

use crate::json::JsonError;

/// RFC 3986 unreserved characters stay; everything else is percent-encoded.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');
/// A greedy label keeps its slashes.
const UNRESERVED_AND_SLASH: &AsciiSet = &UNRESERVED.remove(b'/');

/// Builds an operation's `@endpoint` host prefix from its literal text and its
/// `@hostLabel` members, with the official SDKs' error for a missing label.
#[derive(Debug, Default)]
pub struct HostPrefixBuilder(String);

impl HostPrefixBuilder {
    /// Appends literal text of the prefix.
    pub fn literal(&mut self, text: &str) {
        self.0.push_str(text);
    }

    /// Appends the value of the `@hostLabel` member `field`, which must be set and not
    /// empty.
    pub fn label(&mut self, field: &str, value: Option<&str>) -> Result<(), InvalidEndpointError> {
        match value {
            Some(value) if !value.is_empty() => {
                self.0.push_str(value);
                Ok(())
            }
            _ => Err(InvalidEndpointError::failed_to_construct_uri(format!(
                "{field} was unset or empty but must be set as part of the endpoint prefix"
            ))),
        }
    }

    /// The prefix; an error when it is not valid in a host name.
    pub fn build(self) -> Result<EndpointPrefix, InvalidEndpointError> {
        EndpointPrefix::new(self.0)
    }
}

/// An HTTP request under construction: the path with its labels, the query string,
/// headers and body.
#[derive(Debug)]
pub struct RequestBuilder {
    inner: http::request::Builder,
    uri: String,
    has_query: bool,
    body: Option<SdkBody>,
}

impl RequestBuilder {
    /// A request with `method`; `capacity` is a first guess at the URI's length.
    pub fn new(method: &'static str, capacity: usize) -> Self {
        Self {
            inner: http::Request::builder().method(method),
            uri: String::with_capacity(capacity),
            has_query: false,
            body: None,
        }
    }

    /// Appends literal path text (already valid in a URI).
    pub fn path(&mut self, literal: &str) {
        self.uri.push_str(literal);
    }

    /// Appends a label value, percent-encoded so that no value can change the path:
    /// `/` is encoded (except in a greedy label) and so is a dot segment (`.`, `..`),
    /// which path normalization would otherwise remove. Anything else is encoded as the
    /// official SDKs encode it (`...` is not a dot segment and is sent as it is).
    pub fn label(
        &mut self,
        field: &'static str,
        value: Option<&str>,
        greedy: bool,
    ) -> Result<(), BuildError> {
        let value = value
            .filter(|v| !v.is_empty())
            .ok_or_else(|| BuildError::missing_field(field, "cannot be empty or unset"))?;
        let segments: &mut dyn Iterator<Item = &str> = if greedy {
            &mut value.split('/')
        } else {
            &mut std::iter::once(value)
        };
        for (i, segment) in segments.enumerate() {
            if i > 0 {
                self.uri.push('/');
            }
            if segment == "." || segment == ".." {
                for _ in 0..segment.len() {
                    self.uri.push_str("%2E");
                }
            } else {
                let set = if greedy {
                    UNRESERVED_AND_SLASH
                } else {
                    UNRESERVED
                };
                self.uri
                    .extend(percent_encoding::utf8_percent_encode(segment, set));
            }
        }
        Ok(())
    }

    /// Appends `key=value` to the query string.
    pub fn query(&mut self, key: &str, value: &str) {
        self.uri.push(if self.has_query { '&' } else { '?' });
        self.has_query = true;
        self.uri
            .extend(percent_encoding::utf8_percent_encode(key, UNRESERVED));
        self.uri.push('=');
        self.uri
            .extend(percent_encoding::utf8_percent_encode(value, UNRESERVED));
    }

    /// Appends a literal `key=value` of the URI pattern (already encoded).
    pub fn query_literal(&mut self, pair: &str) {
        self.uri.push(if self.has_query { '&' } else { '?' });
        self.has_query = true;
        self.uri.push_str(pair);
    }

    /// Sets a header.
    pub fn header(&mut self, name: impl AsRef<str>, value: &str) -> Result<(), BuildError> {
        let name = name.as_ref();
        let value = http::HeaderValue::from_str(value).map_err(|e| {
            BuildError::other(format!("header `{name}`: not a valid header value: {e}"))
        })?;
        let header = http::HeaderName::from_bytes(name.as_bytes()).map_err(|e| {
            BuildError::other(format!("header `{name}`: not a valid header name: {e}"))
        })?;
        self.inner = std::mem::take(&mut self.inner).header(header, value);
        Ok(())
    }

    /// Sets the body, its `content-length` and, unless a member already set it,
    /// its `content-type`.
    pub fn body(&mut self, body: impl Into<SdkBody>, content_type: Option<&'static str>) {
        let body = body.into();
        let has_type = self
            .inner
            .headers_ref()
            .is_some_and(|h| h.contains_key(http::header::CONTENT_TYPE));
        let mut inner = std::mem::take(&mut self.inner);
        if let (Some(content_type), false) = (content_type, has_type) {
            inner = inner.header(http::header::CONTENT_TYPE, content_type);
        }
        if let Some(length) = body.content_length() {
            inner = inner.header(http::header::CONTENT_LENGTH, length);
        }
        self.inner = inner;
        self.body = Some(body);
    }

    /// The finished request.
    pub fn build(self) -> Result<HttpRequest, BoxError> {
        let request = self
            .inner
            .uri(self.uri)
            .body(self.body.unwrap_or_else(SdkBody::empty))?;
        Ok(HttpRequest::try_from(request)?)
    }
}

/// The body of a response as a stream, left unread; `body` is marked taken.
pub fn take_body(body: &mut SdkBody) -> aws_smithy_types::byte_stream::ByteStream {
    aws_smithy_types::byte_stream::ByteStream::new(std::mem::replace(body, SdkBody::taken()))
}

/// Text of a value bound to a label, query parameter or header.
pub trait HttpText {
    /// The value as text; timestamps in `format`.
    fn http_text(&self, format: Format) -> Result<Cow<'_, str>, BuildError>;
}

impl HttpText for String {
    fn http_text(&self, _: Format) -> Result<Cow<'_, str>, BuildError> {
        Ok(Cow::Borrowed(self))
    }
}

impl HttpText for bool {
    fn http_text(&self, _: Format) -> Result<Cow<'_, str>, BuildError> {
        Ok(Cow::Borrowed(if *self { "true" } else { "false" }))
    }
}

macro_rules! integer_text {
    ($($t:ty),*) => {$(
        impl HttpText for $t {
            fn http_text(&self, _: Format) -> Result<Cow<'_, str>, BuildError> {
                Ok(Cow::Owned(self.to_string()))
            }
        }
    )*};
}
integer_text!(i8, i16, i32, i64);

macro_rules! float_text {
    ($($t:ty),*) => {$(
        impl HttpText for $t {
            fn http_text(&self, _: Format) -> Result<Cow<'_, str>, BuildError> {
                Ok(Cow::Owned(if self.is_nan() {
                    "NaN".to_owned()
                } else if self.is_infinite() {
                    if *self > 0.0 { "Infinity" } else { "-Infinity" }.to_owned()
                } else {
                    self.to_string()
                }))
            }
        }
    )*};
}
float_text!(f32, f64);

impl HttpText for DateTime {
    fn http_text(&self, format: Format) -> Result<Cow<'_, str>, BuildError> {
        self.fmt(format)
            .map(Cow::Owned)
            .map_err(|e| BuildError::other(format!("timestamp {self:?}: {e}")))
    }
}

impl HttpText for aws_smithy_types::Blob {
    fn http_text(&self, _: Format) -> Result<Cow<'_, str>, BuildError> {
        Ok(Cow::Owned(aws_smithy_types::base64::encode(self)))
    }
}

impl HttpText for aws_smithy_types::BigInteger {
    fn http_text(&self, _: Format) -> Result<Cow<'_, str>, BuildError> {
        Ok(Cow::Borrowed(self.as_ref()))
    }
}

impl HttpText for aws_smithy_types::BigDecimal {
    fn http_text(&self, _: Format) -> Result<Cow<'_, str>, BuildError> {
        Ok(Cow::Borrowed(self.as_ref()))
    }
}

/// A string with `@mediaType` travels base64-encoded in a header.
pub fn media_type_text(value: &str) -> Cow<'_, str> {
    Cow::Owned(aws_smithy_types::base64::encode(value))
}

/// The items of a header list, joined with `, `; items holding a comma or a quote
/// are quoted.
pub fn header_list<T: HttpText>(items: &[T], format: Format) -> Result<String, BuildError> {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let text = item.http_text(format)?;
        if text.contains([',', '"']) {
            out.push('"');
            out.push_str(&text.replace('\\', "\\\\").replace('"', "\\\""));
            out.push('"');
        } else {
            out.push_str(&text);
        }
    }
    Ok(out)
}

/// A value read from a response header.
pub trait FromHeader: Sized {
    /// Parses `text`, timestamps in `format`.
    fn from_header(text: &str, format: Format) -> Result<Self, BoxError>;
}

impl FromHeader for String {
    fn from_header(text: &str, _: Format) -> Result<Self, BoxError> {
        Ok(text.to_owned())
    }
}

macro_rules! parsed_header {
    ($($t:ty),*) => {$(
        impl FromHeader for $t {
            fn from_header(text: &str, _: Format) -> Result<Self, BoxError> {
                text.trim().parse::<$t>().map_err(|e| header_error(text, e))
            }
        }
    )*};
}
parsed_header!(
    bool,
    i8,
    i16,
    i32,
    i64,
    f32,
    f64,
    aws_smithy_types::BigInteger,
    aws_smithy_types::BigDecimal
);

impl FromHeader for DateTime {
    fn from_header(text: &str, format: Format) -> Result<Self, BoxError> {
        DateTime::from_str(text.trim(), format).map_err(|e| header_error(text, e))
    }
}

impl FromHeader for aws_smithy_types::Blob {
    fn from_header(text: &str, _: Format) -> Result<Self, BoxError> {
        aws_smithy_types::base64::decode(text.trim())
            .map(aws_smithy_types::Blob::new)
            .map_err(|e| header_error(text, e))
    }
}

/// A list from a comma-separated header (quoted items may hold commas).
impl<T: FromHeader> FromHeader for Vec<T> {
    fn from_header(text: &str, format: Format) -> Result<Self, BoxError> {
        split_header(text)
            .map(|item| T::from_header(&item, format))
            .collect()
    }
}

/// A string with `@mediaType` read from a base64 header.
pub fn media_type_from_header(text: &str) -> Result<String, BoxError> {
    let bytes = aws_smithy_types::base64::decode(text.trim()).map_err(|e| header_error(text, e))?;
    String::from_utf8(bytes).map_err(|e| header_error(text, e))
}

fn split_header(text: &str) -> impl Iterator<Item = Cow<'_, str>> {
    let mut items = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        if let Some(quoted) = rest.strip_prefix('"') {
            let mut item = String::new();
            let mut chars = quoted.char_indices();
            let mut end = quoted.len();
            while let Some((i, c)) = chars.next() {
                match c {
                    '\\' => {
                        if let Some((_, escaped)) = chars.next() {
                            item.push(escaped);
                        }
                    }
                    '"' => {
                        end = i + 1;
                        break;
                    }
                    c => item.push(c),
                }
            }
            items.push(Cow::Owned(item));
            rest = quoted[end..].trim_start();
            rest = rest.strip_prefix(',').unwrap_or(rest).trim_start();
        } else {
            let (item, after) = rest.split_once(',').unwrap_or((rest, ""));
            let item = item.trim();
            if !item.is_empty() {
                items.push(Cow::Borrowed(item));
            }
            rest = after.trim_start();
        }
    }
    items.into_iter()
}

/// Reads header `name` of a response into `T`; `None` when absent.
pub fn read_header<T: FromHeader>(
    headers: &Headers,
    name: &str,
    format: Format,
) -> Result<Option<T>, BoxError> {
    headers
        .get(name)
        .map(|text| T::from_header(text, format))
        .transpose()
}

/// The headers whose name starts with `prefix` (lower case), keyed by the rest of the name.
pub fn prefix_headers(
    headers: &Headers,
    prefix: &str,
) -> Option<std::collections::HashMap<String, String>> {
    let entries: std::collections::HashMap<String, String> = headers
        .iter()
        .filter_map(|(name, value)| {
            let rest = name.get(prefix.len()..)?;
            name[..prefix.len()]
                .eq_ignore_ascii_case(prefix)
                .then(|| (rest.to_owned(), value.to_owned()))
        })
        .collect();
    (!entries.is_empty()).then_some(entries)
}

fn header_error(text: &str, err: impl std::fmt::Display) -> BoxError {
    format!("response header value `{text}` is invalid: {err}").into()
}

/// The error metadata of an error response: the code from `x-amzn-ErrorType` or the
/// body's `code` (else `__type`), namespace and `:`-suffix removed, the message and the
/// request id. Errors are told apart by code, never by status alone.
///
/// The body is read the way the official SDKs read it: only string values count (the
/// last of `message`/`Message`/`errorMessage` wins), a body that is not a JSON object
/// has no fields, and a body that is not JSON at all — or an object followed by
/// anything — is an error (the caller makes the response an unhandled error).
pub fn error_metadata(headers: &Headers, body: &[u8]) -> Result<ErrorMetadataBuilder, JsonError> {
    let (body_code, message) = error_fields(body)?;
    let code = headers
        .get("x-amzn-errortype")
        .or(body_code.as_deref())
        .map(sanitize_error_code);
    let mut builder = ErrorMetadata::builder();
    if let Some(code) = code {
        builder = builder.code(code);
    }
    if let Some(message) = message {
        builder = builder.message(message);
    }
    Ok(aws_types::request_id::apply_request_id(builder, headers))
}

/// [`error_metadata`] for an `@awsQueryCompatible` service: when the response names its
/// awsQuery error in `x-amzn-query-error` (`Code;Fault`, e.g.
/// `AWS.SimpleQueueService.NonExistentQueue;Sender`), that code replaces the JSON one and
/// the fault is kept as the metadata's `type` entry, as the official SDKs do.
pub fn query_compatible_error_metadata(
    headers: &Headers,
    body: &[u8],
) -> Result<ErrorMetadataBuilder, JsonError> {
    let builder = error_metadata(headers, body)?;
    Ok(match query_error(headers) {
        Some((code, fault)) => builder.code(code).custom("type", fault),
        None => builder,
    })
}

/// The code and fault of `x-amzn-query-error`, split at its first `;`; none when the
/// header is missing or has no `;` (the official SDKs then keep the JSON code).
fn query_error(headers: &Headers) -> Option<(&str, &str)> {
    headers.get("x-amzn-query-error")?.split_once(';')
}

/// `code` (else `__type`) and `message` of a JSON error body.
fn error_fields(body: &[u8]) -> Result<(Option<String>, Option<String>), JsonError> {
    use aws_smithy_json::deserialize::Token;

    let mut tokens = aws_smithy_json::deserialize::json_token_iter(body).peekable();
    let (mut code, mut type_name, mut message) = (None, None, None);
    if !matches!(tokens.next().transpose()?, Some(Token::StartObject { .. })) {
        return Ok((None, None));
    }
    loop {
        match tokens.next().transpose()? {
            Some(Token::EndObject { .. }) => break,
            Some(Token::ObjectKey { key, .. }) => {
                if let Some(Ok(Token::ValueString { value, .. })) = tokens.peek() {
                    let slot = match key.as_escaped_str() {
                        "code" => Some(&mut code),
                        "__type" => Some(&mut type_name),
                        "message" | "Message" | "errorMessage" => Some(&mut message),
                        _ => None,
                    };
                    if let Some(slot) = slot {
                        *slot = Some(value.to_unescaped()?.into_owned());
                    }
                }
                aws_smithy_json::deserialize::token::skip_value(&mut tokens)?;
            }
            _ => {
                return Err(JsonError::custom(
                    "expected an object key or the end of the object",
                ))
            }
        }
    }
    if tokens.next().is_some() {
        return Err(JsonError::custom("more JSON after the error object"));
    }
    Ok((code.or(type_name), message))
}

/// `aws.protocoltests#FooError:http://...` → `FooError`: everything from the first `:`
/// and up to the first `#` goes.
fn sanitize_error_code(raw: &str) -> &str {
    let no_suffix = raw.split_once(':').map_or(raw, |(code, _)| code);
    no_suffix
        .split_once('#')
        .map_or(no_suffix, |(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Labels fill in; a missing or empty label and text that cannot be in a host name
    /// are errors, with the official SDKs' message for the label.
    #[test]
    fn host_prefixes_take_their_labels_and_must_be_host_text() {
        let prefix = |account: Option<&str>| {
            let mut b = HostPrefixBuilder::default();
            b.label("account_id", account)?;
            b.literal(".data-");
            b.build()
        };
        assert_eq!(
            prefix(Some("123456789012")).unwrap().as_str(),
            "123456789012.data-"
        );
        for missing in [None, Some("")] {
            let err = prefix(missing).unwrap_err();
            assert_eq!(err.to_string(), "failed to construct URI");
            assert_eq!(
                std::error::Error::source(&err).unwrap().to_string(),
                "account_id was unset or empty but must be set as part of the endpoint prefix"
            );
        }
        let invalid = prefix(Some("a/b")).unwrap_err().to_string();
        assert!(invalid.contains("a/b.data-"), "{invalid}");
    }

    fn uri(build: impl FnOnce(&mut RequestBuilder)) -> String {
        let mut b = RequestBuilder::new("GET", 16);
        b.path("/x/");
        build(&mut b);
        b.build().unwrap().uri().to_owned()
    }

    #[test]
    fn labels_cannot_change_the_path() {
        assert_eq!(
            uri(|b| b.label("f", Some("a/b c"), false).unwrap()),
            "/x/a%2Fb%20c"
        );
        assert_eq!(
            uri(|b| b.label("f", Some(".."), false).unwrap()),
            "/x/%2E%2E"
        );
        assert_eq!(uri(|b| b.label("f", Some("..."), false).unwrap()), "/x/...");
        assert_eq!(
            uri(|b| b.label("f", Some("é"), false).unwrap()),
            "/x/%C3%A9"
        );
        assert_eq!(
            uri(|b| b.label("f", Some("a/../b"), true).unwrap()),
            "/x/a/%2E%2E/b"
        );
        let mut b = RequestBuilder::new("GET", 0);
        assert!(b.label("f", Some(""), false).is_err());
        assert!(b.label("f", None, false).is_err());
    }

    #[test]
    fn queries_are_encoded_and_joined() {
        assert_eq!(
            uri(|b| {
                b.query_literal("operation=x");
                b.query("next-token", "a b&c");
            }),
            "/x/?operation=x&next-token=a%20b%26c"
        );
    }

    #[test]
    fn header_lists_round_trip() {
        let items = vec!["a".to_owned(), "b,c".to_owned(), "d\"e".to_owned()];
        let text = header_list(&items, Format::HttpDate).unwrap();
        assert_eq!(text, r#"a, "b,c", "d\"e""#);
        assert_eq!(
            Vec::<String>::from_header(&text, Format::HttpDate).unwrap(),
            items
        );
        assert_eq!(
            Vec::<i32>::from_header("1, 2,3", Format::HttpDate).unwrap(),
            [1, 2, 3]
        );
        assert!(i32::from_header("x", Format::HttpDate).is_err());
    }

    #[test]
    fn error_codes_come_from_the_header_or_the_body() {
        let mut headers = Headers::new();
        let meta = error_metadata(
            &headers,
            br#"{"__type":"com.amazonaws#NotFoundException:http://x","Message":"gone"}"#,
        )
        .unwrap()
        .build();
        assert_eq!(meta.code(), Some("NotFoundException"));
        assert_eq!(meta.message(), Some("gone"));
        headers.insert("x-amzn-errortype", "ThrottlingException");
        headers.insert("x-amzn-requestid", "req-1");
        let meta = error_metadata(&headers, b"").unwrap().build();
        assert_eq!(meta.code(), Some("ThrottlingException"));
        assert_eq!(meta.message(), None);
        assert_eq!(
            aws_types::request_id::RequestId::request_id(&meta),
            Some("req-1")
        );
    }

    #[test]
    fn a_query_error_header_names_the_code_and_keeps_the_fault() {
        let body = br#"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"gone"}"#;
        let mut headers = Headers::new();
        headers.insert(
            "x-amzn-query-error",
            "AWS.SimpleQueueService.NonExistentQueue;Sender",
        );
        headers.insert("x-amzn-requestid", "req-1");
        let meta = query_compatible_error_metadata(&headers, body)
            .unwrap()
            .build();
        assert_eq!(meta.code(), Some("AWS.SimpleQueueService.NonExistentQueue"));
        assert_eq!(meta.extra("type"), Some("Sender"));
        assert_eq!(meta.message(), Some("gone"));
        assert_eq!(
            aws_types::request_id::RequestId::request_id(&meta),
            Some("req-1")
        );
    }

    #[test]
    fn a_query_error_header_without_a_fault_or_none_at_all_keeps_the_json_code() {
        let body = br#"{"__type":"com.amazonaws.sqs#QueueDoesNotExist"}"#;
        let mut headers = Headers::new();
        let meta = query_compatible_error_metadata(&headers, body)
            .unwrap()
            .build();
        assert_eq!(meta.code(), Some("QueueDoesNotExist"));
        assert_eq!(meta.extra("type"), None);
        headers.insert(
            "x-amzn-query-error",
            "AWS.SimpleQueueService.NonExistentQueue",
        );
        let meta = query_compatible_error_metadata(&headers, body)
            .unwrap()
            .build();
        assert_eq!(meta.code(), Some("QueueDoesNotExist"));
        assert_eq!(meta.extra("type"), None);
    }

    #[test]
    fn a_query_error_header_splits_at_its_first_semicolon_and_needs_a_readable_body() {
        let mut headers = Headers::new();
        headers.insert("x-amzn-query-error", "Code;Fault;More");
        let meta = query_compatible_error_metadata(&headers, b"{}")
            .unwrap()
            .build();
        assert_eq!(meta.code(), Some("Code"));
        assert_eq!(meta.extra("type"), Some("Fault;More"));
        assert!(query_compatible_error_metadata(&headers, b"not json").is_err());
    }

    /// The official SDKs' reading of error bodies, case by case.
    #[test]
    fn error_bodies_are_read_like_the_official_sdks() {
        let read = |body: &str| {
            error_metadata(&Headers::new(), body.as_bytes())
                .map(|b| b.build())
                .map(|m| (m.code().map(str::to_owned), m.message().map(str::to_owned)))
        };
        let fields = |code: Option<&str>, message: Option<&str>| {
            (code.map(str::to_owned), message.map(str::to_owned))
        };
        assert_eq!(
            read(r#"{"__type":"A","code":"B"}"#).unwrap(),
            fields(Some("B"), None),
            "`code` wins over `__type` wherever it is"
        );
        assert_eq!(
            read(r#"{"message":"first","Message":"last"}"#).unwrap(),
            fields(None, Some("last"))
        );
        assert_eq!(
            read(r#"{"code":5,"Message":{"x":1},"__type":"T"}"#).unwrap(),
            fields(Some("T"), None),
            "values that are not strings are skipped"
        );
        for not_an_object in ["", "  ", "null", "[1]", r#""text""#] {
            assert_eq!(read(not_an_object).unwrap(), fields(None, None));
        }
        for broken in [
            "<html>",
            r#"{"code":"A"} trailing"#,
            r#"{"code":"A""#,
            "{1:2}",
        ] {
            assert!(read(broken).is_err(), "{broken:?}");
        }
        assert_eq!(
            read(r#"{"code":"ns#Name#x:http://y"}"#).unwrap(),
            fields(Some("Name#x"), None)
        );
    }

    #[test]
    fn a_taken_body_streams_and_leaves_the_response_without_one() {
        let mut body = SdkBody::from("streamed");
        let stream = take_body(&mut body);
        assert_eq!(stream.bytes(), Some(&b"streamed"[..]));
        assert_eq!(body.bytes(), None, "the response's body is marked taken");
    }

    #[test]
    fn bodies_set_their_headers() {
        let mut b = RequestBuilder::new("PUT", 0);
        b.path("/p");
        b.body("{}".to_owned(), Some("application/json"));
        let request = b.build().unwrap();
        assert_eq!(
            request.headers().get("content-type"),
            Some("application/json")
        );
        assert_eq!(request.headers().get("content-length"), Some("2"));
    }
}
