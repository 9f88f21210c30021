//! Stage 2: the resolved IR — operations, shapes and Rust names, with every trait
//! interpreted into typed values. Templates only lay this out; every decision about
//! the API (nullability, bindings, builders, errors) is made in [`resolve`].
//!
//! A construct the generator cannot render faithfully is an [`IrError`] naming the
//! shape and the trait, never silently wrong code.

mod resolve;

use std::collections::BTreeSet;

use serde::Serialize;

pub use resolve::{resolve, Lookup};

/// What went wrong while resolving the model.
#[derive(Debug, thiserror::Error)]
pub enum IrError {
    #[error("shape `{shape}`: {problem}")]
    Shape { shape: String, problem: String },
    #[error("shape `{shape}`, trait `{trait_id}`: {problem}")]
    Trait {
        shape: String,
        trait_id: String,
        problem: String,
    },
    #[error("the model has no service shape; add one that lists the operations to generate")]
    NoService,
    #[error("the model has {} service shapes ({}); this generator writes one crate per service", .0.len(), .0.join(", "))]
    ManyServices(Vec<String>),
    /// The service speaks no protocol the generator writes (`found` lists the protocol
    /// traits it has).
    #[error("{}", unsupported_protocol_message(.service, .found))]
    UnsupportedProtocol { service: String, found: Vec<String> },
    #[error("operation `{0}` is not bound to the service (known operations: {1})")]
    UnknownOperation(String, String),
    /// Chosen operations use constructs the generator does not write; the others can
    /// still be generated on their own.
    #[error("{}", unsupported_message(.uses, .supported))]
    UnsupportedOperations {
        uses: Vec<UnsupportedUse>,
        /// The service's operations that use none of them, sorted.
        supported: Vec<String>,
    },
    #[error(transparent)]
    Endpoint(#[from] crate::endpoint::EndpointError),
}

/// One construct an operation reaches that the generator does not write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnsupportedUse {
    /// The operation's shape name.
    pub operation: String,
    /// The shape carrying the trait (the operation itself for an operation trait).
    pub shape: String,
    pub trait_id: String,
    /// What the construct is, e.g. "an event stream".
    pub what: &'static str,
}

fn unsupported_protocol_message(service: &str, found: &[String]) -> String {
    let has = if found.is_empty() {
        "no protocol trait".to_owned()
    } else {
        format!("the protocol `{}`", found.join("`, `"))
    };
    let writes: Vec<&str> = Protocol::ALL.iter().map(|p| p.trait_id()).collect();
    format!(
        "service `{service}` has {has}; this generator writes `{}` only (protocols differ in \
         wire format, errors and bindings)",
        writes.join("`, `")
    )
}

fn unsupported_message(uses: &[UnsupportedUse], supported: &[String]) -> String {
    let mut parts: Vec<String> = uses
        .iter()
        .map(|u| {
            format!(
                "operation `{}` uses {} (shape `{}`, trait `{}`), which this generator does not write",
                u.operation, u.what, u.shape, u.trait_id
            )
        })
        .collect();
    parts.push(if supported.is_empty() {
        "no operation of the service can be generated".to_owned()
    } else {
        format!(
            "leave {} out by generating the others only: `--operations {}` \
             (`Generator::operations(..)` in a build script)",
            if uses.len() == 1 { "it" } else { "them" },
            supported.join(",")
        )
    });
    parts.join("; ")
}

/// Options that shape the generated crate.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Cargo package name of the generated crate.
    pub crate_name: String,
    /// Operation shape names to generate (empty: every operation of the service). The
    /// order does not matter.
    pub operations: Vec<String>,
}

/// The whole generated crate.
#[derive(Debug, Clone, Serialize)]
pub struct Crate {
    pub crate_name: String,
    /// The library name (`crate_name` with `_`).
    pub lib_name: String,
    pub service: Service,
    /// Sorted by name.
    pub operations: Vec<Operation>,
    /// Structures of `types`, sorted by name.
    pub structures: Vec<Structure>,
    /// Error structures of `types::error`, sorted by name.
    pub errors: Vec<Structure>,
    /// The errors of every operation, for the crate-level `Error` (sorted by name).
    pub all_errors: Vec<ErrorRef>,
    pub enums: Vec<Enum>,
    pub int_enums: Vec<IntEnum>,
    pub unions: Vec<Union>,
    /// Patterns the runtime cannot compile; reported in the crate docs.
    pub unchecked_patterns: Vec<UncheckedPattern>,
    pub endpoint: crate::endpoint::EndpointModule,
    /// Some operation has a paginator.
    pub has_paginators: bool,
    /// Some operation has an idempotency token.
    pub uses_idempotency_tokens: bool,
    /// Some operation's input or output has a `@streaming` blob payload
    /// ([`Type::ByteStream`]): the crate re-exports the stream types, as the official
    /// SDKs do for such services only.
    pub uses_byte_streams: bool,
    /// The ids of every data shape the operations' members and errors reach: scalars,
    /// lists and maps included, an operation input or output only when a member targets it
    /// too. Templates do not use it; tools that compare models (`diff`) do.
    #[serde(skip)]
    pub shapes: BTreeSet<String>,
}

/// The service shape.
#[derive(Debug, Clone, Serialize)]
pub struct Service {
    pub shape_id: String,
    /// The shape's name, e.g. `ChimeMeetingsSDKService`.
    pub name: String,
    /// `aws.api#service` sdkId, e.g. `Chime SDK Meetings`.
    pub sdk_id: String,
    /// The sdkId lower case without spaces: the retry partition and user-agent name.
    pub sdk_id_compact: String,
    pub signing_name: String,
    pub version: String,
    pub docs: Vec<String>,
    /// The wire protocol the client speaks.
    pub protocol: Protocol,
    /// `@awsQueryCompatible` (awsJson only): every request says `x-amzn-query-mode: true`,
    /// and an error's code is the one the `x-amzn-query-error` header names when present
    /// (its fault becomes the metadata's `type` entry); errors' [`ErrorRef::code`]s are
    /// their `@awsQueryError` codes.
    pub query_compatible: bool,
}

/// The wire protocol of a service, from its protocol trait. restJson1 binds members to
/// the URI, headers and body with the HTTP binding traits; awsJson1_0 and awsJson1_1 send
/// every call as `POST /` with the whole input as the JSON body, the operation named in
/// `x-amz-target`, and ignore the HTTP binding traits and `@jsonName`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Protocol {
    RestJson1,
    AwsJson1_0,
    AwsJson1_1,
}

impl Protocol {
    /// Every protocol the generator writes, in the order it picks one when a service
    /// lists several.
    pub const ALL: [Protocol; 3] = [
        Protocol::RestJson1,
        Protocol::AwsJson1_0,
        Protocol::AwsJson1_1,
    ];

    /// The protocol trait's shape id.
    pub fn trait_id(self) -> &'static str {
        match self {
            Protocol::RestJson1 => "aws.protocols#restJson1",
            Protocol::AwsJson1_0 => "aws.protocols#awsJson1_0",
            Protocol::AwsJson1_1 => "aws.protocols#awsJson1_1",
        }
    }

    /// The content type of a request whose body is the operation's JSON members.
    pub fn json_content_type(self) -> &'static str {
        match self {
            Protocol::RestJson1 => "application/json",
            Protocol::AwsJson1_0 => "application/x-amz-json-1.0",
            Protocol::AwsJson1_1 => "application/x-amz-json-1.1",
        }
    }

    /// Whether members travel where the HTTP binding traits (`@http`, `@httpLabel`,
    /// `@httpHeader`, ..) and `@jsonName` say; otherwise everything is JSON body under the
    /// member's own name.
    pub fn uses_http_bindings(self) -> bool {
        self == Protocol::RestJson1
    }
}

/// One operation.
#[derive(Debug, Clone, Serialize)]
pub struct Operation {
    /// The shape name, e.g. `UpdateAttendeeCapabilities`.
    pub name: String,
    /// Module and client method name, e.g. `update_attendee_capabilities`.
    pub snake: String,
    pub docs: Vec<String>,
    pub deprecated: Option<Deprecated>,
    /// The HTTP method of `@http` (`POST` under awsJson).
    pub method: String,
    /// The URI pattern of `@http` (`/` under awsJson).
    pub uri: String,
    /// The success status code from `@http` (200 under awsJson).
    pub code: u16,
    /// The `x-amz-target` header naming the operation (`Service.Operation`), for the
    /// awsJson protocols; they send it with their content type before the body.
    pub target: Option<String>,
    /// The URI path, split into literal text and labels.
    pub path: Vec<PathSegment>,
    /// `key=value` pairs written literally in the URI pattern's query part.
    pub query_literals: Vec<String>,
    pub input: Structure,
    pub output: Structure,
    /// Sorted by name, service-wide errors included.
    pub errors: Vec<ErrorRef>,
    pub request_body: Body,
    pub response_body: Body,
    /// The input member filled with a fresh token when unset.
    pub idempotency_token: Option<String>,
    /// The output holds `@sensitive` data somewhere.
    pub sensitive_output: bool,
    pub paginated: Option<Paginated>,
    /// The input's string members that may be captured as telemetry attributes.
    pub telemetry_members: Vec<TelemetryMember>,
    /// The auth schemes it may use.
    pub auth: Auth,
    /// `aws.auth#unsignedPayload`: SigV4 signs the request with `UNSIGNED-PAYLOAD` as the
    /// payload hash and sends it in `x-amz-content-sha256`.
    pub unsigned_payload: bool,
    /// `@endpoint(hostPrefix)`: put in front of the endpoint's host on every call;
    /// empty when the operation has none.
    pub host_prefix: Vec<HostSegment>,
    /// Endpoint rule-set parameters each call sets: `@contextParam` members,
    /// `@staticContextParams`, `@operationContextParams` naming an input member.
    pub endpoint_context: Vec<ContextParam>,
}

/// A rule-set parameter an operation sets from its call.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ContextParam {
    /// The field of the generated endpoint `Params`.
    pub field: String,
    /// The field is not an `Option` (the parameter is required or has a default).
    pub always_set: bool,
    pub value: ContextValue,
}

/// Where a context parameter's value comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ContextValue {
    /// The input member with this field (an `Option`) and type.
    Member {
        field: String,
        ty: Type,
    },
    Bool(bool),
    String(String),
    StringList(Vec<String>),
}

/// A piece of an `@endpoint` host prefix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HostSegment {
    /// Literal text (letters, digits, `-` and `.`).
    Literal(String),
    /// `{Name}`: the value of the `@hostLabel` input member with this field name.
    Label(String),
}

/// The auth schemes an operation may use, from `@auth` (the operation's, else the
/// service's) and `@optionalAuth`, named as the runtime's `OperationAuth`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Auth {
    /// SigV4 only.
    SigV4,
    /// SigV4, or unsigned without credentials (`@optionalAuth`).
    SigV4OrNone,
    /// Unsigned (`@auth([])`).
    None,
}

/// A member whose value may be recorded as a telemetry attribute.
#[derive(Debug, Clone, Serialize)]
pub struct TelemetryMember {
    pub name: String,
    pub field: String,
}

/// `@deprecated`.
#[derive(Debug, Clone, Serialize)]
pub struct Deprecated {
    pub note: String,
}

/// A piece of the URI path.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PathSegment {
    /// Literal text, already valid in a URI.
    Literal(String),
    /// A label bound to an input member.
    Label(Label),
}

/// A `{Label}` or `{Label+}` in the URI.
#[derive(Debug, Clone, Serialize)]
pub struct Label {
    /// The input field.
    pub field: String,
    /// The member's type (strings, numbers, booleans, timestamps, enums).
    pub ty: Type,
    /// `{Key+}`: slashes are kept.
    pub greedy: bool,
}

/// What a message body is made of.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Body {
    /// No body.
    Empty,
    /// A JSON object of the structure's body members.
    Members,
    /// One `@httpPayload` member is the whole body.
    Payload(Payload),
}

/// An `@httpPayload` member.
#[derive(Debug, Clone, Serialize)]
pub struct Payload {
    pub field: String,
    pub kind: PayloadKind,
    /// The field is an `Option`.
    pub optional: bool,
    /// The content type to send unless a member sets the header.
    pub content_type: String,
}

/// How a payload travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PayloadKind {
    /// A structure, union or document, as JSON.
    Json,
    /// Raw bytes.
    Blob,
    /// Text.
    Text,
    /// A `@streaming` blob ([`Type::ByteStream`]): the request body is the stream itself,
    /// and a successful response's body is handed to the output unread.
    ByteStream,
}

/// An error an operation can return.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ErrorRef {
    /// The variant (the error structure's Rust name).
    pub name: String,
    /// `is_bad_request_exception`.
    pub is_fn: String,
    /// The error code on the wire: the shape name, or the `@awsQueryError` code when the
    /// service is [`Service::query_compatible`] and the error has one.
    pub code: String,
    pub docs: Vec<String>,
    pub retryable: Option<Retryable>,
}

/// `@retryable`, as the retry kind (`aws_smithy_types::retry::ErrorKind`) the official
/// SDKs give it: throttling, else by the error's fault.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Retryable {
    ThrottlingError,
    ClientError,
    ServerError,
}

/// A structure: an operation input or output, an error, or a plain structure.
#[derive(Debug, Clone, Serialize)]
pub struct Structure {
    pub shape_id: String,
    /// The Rust type name.
    pub name: String,
    pub role: Role,
    pub docs: Vec<String>,
    pub deprecated: Option<Deprecated>,
    /// In model order.
    pub members: Vec<Member>,
    /// Indices into `members` of the JSON body members, in the order they are written
    /// (an input's sorted by name under restJson1 and in model order under awsJson, as
    /// the official SDKs write them).
    pub body_order: Vec<usize>,
    /// The whole structure is `@sensitive`.
    pub sensitive: bool,
    /// The builder's `build()` returns a `Result`.
    pub fallible_build: bool,
    /// For errors: the `@error` fault, status and retryability.
    pub error: Option<ErrorTrait>,
    /// A member is a [`Type::ByteStream`]: a stream can be neither cloned nor compared,
    /// so neither can the structure or its builder.
    pub holds_stream: bool,
}

/// Where a structure is used, which decides nullability and bindings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Input,
    Output,
    Error,
    Plain,
}

/// `@error` and friends.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorTrait {
    pub server_fault: bool,
    /// The `@awsQueryError` code of an error of a [`Service::query_compatible`] service:
    /// a server names it, with the fault, in `x-amzn-query-error`.
    pub query_code: Option<String>,
    pub status: Option<u16>,
    pub retryable: Option<Retryable>,
    /// The field holding the message (an optional string), if any.
    pub message_field: Option<String>,
}

/// A member of a structure or union.
#[derive(Debug, Clone, Serialize)]
pub struct Member {
    /// The member name in the model.
    pub name: String,
    /// The JSON key (`@jsonName` under restJson1, else the member name).
    pub json_name: String,
    /// The Rust field (snake case, keyword-escaped, clash-free).
    pub field: String,
    pub docs: Vec<String>,
    pub deprecated: Option<Deprecated>,
    pub ty: Type,
    /// The field is an `Option`.
    pub optional: bool,
    /// `@required` (and no default).
    pub required: bool,
    /// The `@default`, when the field is not an `Option`.
    pub default: Option<DefaultValue>,
    pub sensitive: bool,
    pub binding: Binding,
    /// The member's `@mediaType` (strings base64-encode it in headers).
    pub media_type: bool,
    /// The model's constraints on the value.
    pub checks: Checks,
    /// The value is boxed (`Box<T>`): the member closes a cycle of structures and unions
    /// that would otherwise have no finite size.
    pub boxed: bool,
}

/// Where a member travels in an HTTP message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Binding {
    Body,
    Label,
    Query(String),
    QueryParams,
    Header(String),
    /// The lower-case prefix.
    PrefixHeaders(String),
    Payload,
    ResponseCode,
}

/// A Rust-level type of a member.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Type {
    String,
    Bool,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
    Blob,
    /// A `@streaming` blob: only ever an operation input's or output's `@httpPayload`
    /// member, never an `Option` (an unset one is an empty stream).
    ByteStream,
    /// With the format a timestamp shape or collection member sets.
    Timestamp(Option<TimestampFormat>),
    Document,
    /// A string enum, by Rust type name.
    Enum(String),
    /// An `intEnum` (an `i32`), by Rust name of its constants.
    IntEnum(String),
    List(Box<Type>),
    /// `@sparse` list: items are `Option`s.
    SparseList(Box<Type>),
    /// String (or enum) keys.
    Map(Box<Type>, Box<Type>),
    SparseMap(Box<Type>, Box<Type>),
    /// A structure, by Rust name (`error` for structures in `types::error`).
    Structure {
        name: String,
        error: bool,
    },
    Union(String),
}

impl Type {
    /// A number held in a Rust primitive (`@range` applies; `intEnum`s are `i32`s).
    pub fn is_primitive_number(&self) -> bool {
        matches!(
            self,
            Type::Byte
                | Type::Short
                | Type::Integer
                | Type::Long
                | Type::Float
                | Type::Double
                | Type::IntEnum(_)
        )
    }
}

/// `@timestampFormat`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TimestampFormat {
    DateTime,
    HttpDate,
    EpochSeconds,
}

/// A `@default` value, typed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DefaultValue {
    Bool(bool),
    Integer(i64),
    Float(f64),
    /// A big number's text.
    BigNumber(String),
    String(String),
    EnumValue(String),
    EmptyList,
    EmptyMap,
    EmptyBlob,
    /// A stream member is always set: an empty stream unless given one.
    EmptyStream,
    EpochSeconds(f64),
    /// A document's JSON text.
    Document(String),
}

/// The model's constraints on a value (and, for collections, on their items).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Checks {
    /// `@length`: characters, items or bytes.
    pub length: Option<Bounds<u64>>,
    /// `@range`.
    pub range: Option<Bounds<f64>>,
    /// `@pattern`, when the runtime can compile it.
    pub pattern: Option<String>,
    /// The value is a structure or union with checks of its own.
    pub nested: bool,
    /// Checks on each list item or map value.
    pub items: Option<Box<Checks>>,
}

impl Checks {
    /// Whether there is anything to check.
    pub fn is_empty(&self) -> bool {
        self.length.is_none()
            && self.range.is_none()
            && self.pattern.is_none()
            && !self.nested
            && self.items.is_none()
    }
}

/// Inclusive bounds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bounds<T> {
    pub min: Option<T>,
    pub max: Option<T>,
}

/// A string enum.
#[derive(Debug, Clone, Serialize)]
pub struct Enum {
    pub shape_id: String,
    pub name: String,
    pub docs: Vec<String>,
    pub deprecated: Option<Deprecated>,
    /// `@sensitive`: `Debug` prints the redaction text whatever the value.
    pub sensitive: bool,
    /// Sorted by wire value (the official SDK's declaration order), not in model order.
    pub variants: Vec<EnumVariant>,
}

/// A value of a string enum.
#[derive(Debug, Clone, Serialize)]
pub struct EnumVariant {
    /// The Smithy member name (`SEND_RECEIVE`).
    pub member: String,
    pub name: String,
    pub value: String,
    pub docs: Vec<String>,
    pub deprecated: Option<Deprecated>,
}

/// An `intEnum`: values travel as `i32`; the generated type holds the named constants.
#[derive(Debug, Clone, Serialize)]
pub struct IntEnum {
    pub shape_id: String,
    pub name: String,
    pub docs: Vec<String>,
    pub values: Vec<IntEnumValue>,
}

/// A named value of an `intEnum`.
#[derive(Debug, Clone, Serialize)]
pub struct IntEnumValue {
    pub name: String,
    pub value: i64,
    pub docs: Vec<String>,
}

/// A union.
#[derive(Debug, Clone, Serialize)]
pub struct Union {
    pub shape_id: String,
    pub name: String,
    pub docs: Vec<String>,
    pub deprecated: Option<Deprecated>,
    pub sensitive: bool,
    pub variants: Vec<UnionVariant>,
}

/// A member of a union.
#[derive(Debug, Clone, Serialize)]
pub struct UnionVariant {
    /// The member name in the model (and its JSON key, unless `@jsonName`).
    pub name: String,
    pub json_name: String,
    /// The Rust variant, e.g. `Circle`.
    pub variant: String,
    /// Snake case without `r#`, for `as_..`/`is_..` methods.
    pub snake: String,
    pub docs: Vec<String>,
    pub deprecated: Option<Deprecated>,
    /// `None` for a unit member.
    pub ty: Option<Type>,
    pub sensitive: bool,
    pub checks: Checks,
    /// The value is boxed (see [`Member::boxed`]).
    pub boxed: bool,
}

/// `@paginated`, resolved against the input and output.
#[derive(Debug, Clone, Serialize)]
pub struct Paginated {
    /// The input's token field.
    pub input_token: String,
    /// The output's token, a path of fields from the output.
    pub output_token: Vec<PathStep>,
    /// The input's page-size field and its type.
    pub page_size: Option<(String, Type)>,
    /// The items: a path from the output to a list or map.
    pub items: Option<PageItems>,
}

/// One field access on the way to a paginated output member.
#[derive(Debug, Clone, Serialize)]
pub struct PathStep {
    pub field: String,
    pub optional: bool,
}

/// The items a paginator flattens.
#[derive(Debug, Clone, Serialize)]
pub struct PageItems {
    pub path: Vec<PathStep>,
    /// The list or map type.
    pub ty: Type,
}

/// A `@pattern` the runtime's regex engine cannot compile (it is not checked).
#[derive(Debug, Clone, Serialize)]
pub struct UncheckedPattern {
    pub pattern: String,
    pub reason: String,
}
