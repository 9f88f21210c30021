//! Stage 2: the resolved IR — operations, shapes and Rust names, with every trait
//! interpreted. Templates only lay this out; every decision is made here.
//!
//! A construct the generator cannot render faithfully is an [`IrError`] naming the
//! shape and the trait, never silently wrong code.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToShoutySnakeCase;
use indexmap::IndexMap;
use serde::Serialize;
use serde_json::Value;

use crate::ast::{self, Model, Shape, Traits};
use crate::docs;
use crate::naming::{bare, pascal, shape_name, snake, variant};

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
    #[error("operation `{0}` is not bound to the service (known operations: {1})")]
    UnknownOperation(String, String),
    #[error(transparent)]
    Endpoint(#[from] crate::endpoint::EndpointError),
}

fn shape_err(shape: &str, problem: impl Into<String>) -> IrError {
    IrError::Shape {
        shape: shape.to_owned(),
        problem: problem.into(),
    }
}

fn trait_err(shape: &str, trait_id: &str, problem: impl Into<String>) -> IrError {
    IrError::Trait {
        shape: shape.to_owned(),
        trait_id: trait_id.to_owned(),
        problem: problem.into(),
    }
}

/// Options that shape the generated crate.
#[derive(Debug, Clone)]
pub struct Options {
    /// Cargo package name of the generated crate.
    pub crate_name: String,
    /// Operation shape names to generate (empty: every operation of the service).
    pub operations: Vec<String>,
}

/// The whole generated crate.
#[derive(Debug, Clone, Serialize)]
pub struct Crate {
    pub crate_name: String,
    pub lib_name: String,
    pub service: ServiceInfo,
    pub operations: Vec<Operation>,
    /// Structures in `types` (neither operation input/output nor errors).
    pub structures: Vec<Structure>,
    /// Error structures in `types::error`.
    pub errors: Vec<Structure>,
    pub enums: Vec<Enum>,
    pub unions: Vec<Union>,
    /// Regexes for `@pattern`, compiled once in the generated crate.
    pub patterns: Vec<Pattern>,
    /// Patterns the `regex` crate cannot compile, reported in the crate docs.
    pub unchecked_patterns: Vec<Pattern>,
    pub endpoint: crate::endpoint::EndpointModule,
    /// Endpoint parameters filled from the client configuration.
    pub endpoint_builtins: Vec<EndpointBuiltin>,
}

/// A rule-set parameter bound to a configuration value (`builtIn`).
#[derive(Debug, Clone, Serialize)]
pub struct EndpointBuiltin {
    /// The parameter builder's setter, e.g. `set_region`.
    pub setter: String,
    /// Expression reading the value from the config `Settings` (`s`).
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServiceInfo {
    pub shape_id: String,
    pub name: String,
    /// `aws.api#service` sdkId, e.g. `Chime SDK Meetings`.
    pub sdk_id: String,
    pub signing_name: String,
    pub endpoint_prefix: String,
    pub version: String,
    pub docs: Vec<String>,
    /// The retry partition name, as the official SDK derives it.
    pub retry_partition: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Operation {
    pub name: String,
    /// Module and client method name.
    pub snake: String,
    pub docs: Vec<String>,
    pub method: String,
    pub uri: String,
    /// The success status from `@http`.
    pub code: u16,
    /// The path, split into literal text and labels.
    pub path: Vec<PathPart>,
    /// Literal `key=value` pairs from the URI's query part.
    pub query_literals: Vec<QueryLiteral>,
    /// The `@httpQuery` keys: an `@httpQueryParams` entry with one of them is not sent.
    pub query_keys: Vec<String>,
    pub input: Structure,
    pub output: Structure,
    pub errors: Vec<ErrorRef>,
    /// Some error is `@retryable`.
    pub has_retryable_errors: bool,
    /// The body: `none`, `json` (members), or a payload member.
    pub request_body: Body,
    pub response_body: Body,
    /// Members filled with a fresh token when unset.
    pub idempotency_tokens: Vec<String>,
    pub sensitive_output: bool,
    pub paginated: Option<Paginated>,
    /// A first guess at the request URI's length, so building it rarely reallocates.
    pub uri_capacity: usize,
}

/// `@paginated` (merged with the service's), resolved to Rust expressions.
#[derive(Debug, Clone, Serialize)]
pub struct Paginated {
    /// The input's token field, e.g. `next_token`.
    pub input_token: String,
    /// Expression of type `Option<&String>`: the next token of `page` (a `&Output`).
    pub output_token: String,
    /// The input's page-size field and its type.
    pub page_size: Option<PageSize>,
    pub items: Option<PageItems>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageSize {
    pub field: String,
    pub ty: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageItems {
    /// Expression turning `page` (an owned output) into an iterable of items.
    pub expr: String,
    /// The item type (`(K, V)` for a map).
    pub ty: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PathPart {
    /// Literal text (already valid in a URI path).
    pub literal: Option<String>,
    pub label: Option<Label>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Label {
    pub field: String,
    pub bare: String,
    /// `{Key+}`: slashes are kept.
    pub greedy: bool,
    /// Expression turning `value` (a reference to the member's value) into a `&str` or `String`.
    pub to_str: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct QueryLiteral {
    pub key: String,
    pub value: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Body {
    /// `none`, `json`, `payload_json`, `payload_blob`, `payload_string`.
    pub kind: String,
    pub member: Option<String>,
    /// The payload member's field is an `Option`.
    pub optional: bool,
    /// The `Content-Type` to send, unless a member binds that header itself.
    pub content_type: Option<String>,
    /// For `payload_json`: the wire adapter of a payload serde cannot handle on its own.
    pub adapter: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ErrorRef {
    /// Variant name (the shape's Rust name).
    pub variant: String,
    /// `is_bad_request_exception`.
    pub is_fn: String,
    /// The error code on the wire (the shape name).
    pub code: String,
    pub docs: Vec<String>,
    pub retryable: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Structure {
    pub shape_id: String,
    pub name: String,
    /// The module the type lives in, e.g. `crate::types`.
    pub module: String,
    /// An operation output: carries the request id.
    pub is_output: bool,
    pub docs: Vec<String>,
    pub members: Vec<Member>,
    /// Some member is `@sensitive` (or targets a sensitive shape): Debug redacts it.
    pub has_sensitive: bool,
    /// The builder's `build()` returns `Result` (a required member has no default).
    pub fallible_build: bool,
    /// Whole shape is `@sensitive`.
    pub sensitive: bool,
    /// Some member is bound outside the JSON body (label, query, header, status).
    pub has_http_members: bool,
    /// Serialized/deserialized members live in the JSON body.
    pub body_members: Vec<String>,
    pub error: Option<ErrorInfo>,
    /// The `validate_at` body, one statement a line.
    pub checks: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ErrorInfo {
    /// `client` or `server`.
    pub fault: String,
    pub status: Option<u16>,
    pub retryable: Option<String>,
    /// The field holding the message, if any.
    pub message_field: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Member {
    /// The member name in the model.
    pub name: String,
    /// The JSON key (`@jsonName`, else the member name).
    pub wire_name: String,
    pub field: String,
    pub bare: String,
    pub docs: Vec<String>,
    /// The field's type as declared (with `Option` when optional).
    pub ty: String,
    /// The type without `Option`.
    pub value_ty: String,
    pub optional: bool,
    /// `value`, `list` or `map`: how the builder's setter accepts it.
    pub setter: String,
    /// Argument type of the builder's main setter.
    pub setter_arg: String,
    /// Expression converting the setter's `input` into the stored value.
    pub setter_conv: String,
    /// For `list`: the item type; for `map`: the key and value types.
    pub item_ty: Option<String>,
    pub key_ty: Option<String>,
    /// For `list`: the item's kind; for `map`: the value's kind.
    pub item_kind: Option<String>,
    /// The target's `@mediaType`.
    pub media_type: Option<String>,
    pub accessor_ty: String,
    pub accessor_expr: String,
    pub sensitive: bool,
    /// Attributes inside `#[serde(...)]`.
    pub serde: String,
    /// `body`, `label`, `query`, `query_params`, `header`, `prefix_headers`, `payload`, `response_code`.
    pub binding: String,
    /// The label/query key/header name/prefix.
    pub location: String,
    /// Expression turning `value` into header/query text (for label/query/header bindings).
    pub to_str: Option<String>,
    /// Expression parsing `text` (a `&str`) into the value type, for response headers.
    pub from_str: Option<String>,
    /// The value's shape kind (`string`, `enum`, `list`, ...), for layout choices.
    pub kind: String,
    /// Required with no default, in a builder whose `build()` is fallible.
    pub build_required: bool,
    /// Default value expression for a non-optional member when the builder is unset.
    pub default_expr: Option<String>,
    /// The owner's associated function returning `default_expr` (serde's `default = ...`).
    pub default_fn: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Enum {
    pub shape_id: String,
    pub name: String,
    pub docs: Vec<String>,
    pub variants: Vec<EnumVariant>,
    /// `intEnum`: a plain integer newtype is not what users expect; these are `i32` aliases.
    pub int_enum: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct EnumVariant {
    pub name: String,
    pub value: String,
    pub docs: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Union {
    pub shape_id: String,
    pub name: String,
    pub docs: Vec<String>,
    pub variants: Vec<UnionVariant>,
    /// The whole union is `@sensitive`: Debug prints nothing of it.
    pub sensitive: bool,
    /// Some variant is sensitive: Debug redacts its value.
    pub has_sensitive: bool,
    pub checks: Vec<UnionCheck>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnionVariant {
    /// The member name in the model.
    pub name: String,
    /// The Rust variant, e.g. `Circle`.
    pub variant: String,
    /// The snake-case name (escaped) of the member in the deserializer's helper struct.
    pub field: String,
    /// The snake-case name without `r#`, for `as_..`/`is_..` methods.
    pub bare: String,
    pub docs: Vec<String>,
    pub value_ty: String,
    /// `Option<value_ty>`, as the deserializer's helper struct holds it.
    pub ty: String,
    /// `#[serde(...)]` of the helper struct's field (deserialization).
    pub serde: String,
    /// `#[serde(...)]` of the enum variant (serialization).
    pub variant_serde: String,
    pub sensitive: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnionCheck {
    pub variant: String,
    /// The member name in the model (for the violation's path).
    pub name: String,
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Pattern {
    /// Name of the generated static.
    pub ident: String,
    /// The regex as written in the model.
    pub regex: String,
    /// The regex as a Rust string literal.
    pub literal: String,
    pub reason: Option<String>,
}

/// Resolves `model` into the IR for one crate.
pub fn resolve(model: &Model, options: &Options) -> Result<Crate, IrError> {
    Resolver::new(model)?.resolve(options)
}

/// Rust type facts of a shape.
#[derive(Debug, Clone, PartialEq)]
struct RustType {
    path: String,
    kind: Kind,
    /// A timestamp's own `@timestampFormat` (of its shape, or of the list/map member
    /// holding it); a structure member's trait overrides it.
    format: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
enum Kind {
    String,
    Enum,
    IntEnum,
    Bool,
    Int,
    Float,
    BigNumber,
    Blob,
    Timestamp,
    Document,
    List(Box<RustType>),
    Map(Box<RustType>),
    Structure,
    Union,
}

impl Kind {
    fn name(&self) -> &'static str {
        match self {
            Kind::String => "string",
            Kind::Enum => "enum",
            Kind::IntEnum => "int_enum",
            Kind::Bool => "bool",
            Kind::Int => "int",
            Kind::Float => "float",
            Kind::BigNumber => "big_number",
            Kind::Blob => "blob",
            Kind::Timestamp => "timestamp",
            Kind::Document => "document",
            Kind::List(_) => "list",
            Kind::Map(_) => "map",
            Kind::Structure => "structure",
            Kind::Union => "union",
        }
    }

    fn is_copy(&self) -> bool {
        matches!(self, Kind::Bool | Kind::Int | Kind::Float | Kind::IntEnum)
    }
}

const PRELUDE: &str = "smithy.api#";
const UNIT: &str = "smithy.api#Unit";

struct Resolver<'m> {
    model: &'m Model,
    service_id: String,
    service: &'m ast::Service,
    /// Pattern regex → static name, for deduplication.
    patterns: BTreeMap<String, Pattern>,
    unchecked: BTreeMap<String, Pattern>,
}

impl<'m> Resolver<'m> {
    fn new(model: &'m Model) -> Result<Self, IrError> {
        let services: Vec<_> = model
            .shapes
            .iter()
            .filter_map(|(id, s)| match s {
                Shape::Service(svc) => Some((id, svc)),
                _ => None,
            })
            .collect();
        let (service_id, service) = match services.as_slice() {
            [] => return Err(IrError::NoService),
            [one] => *one,
            many => {
                return Err(IrError::ManyServices(
                    many.iter().map(|(id, _)| (*id).clone()).collect(),
                ))
            }
        };
        if !service.traits.contains_key("aws.protocols#restJson1") {
            return Err(trait_err(
                service_id,
                "aws.protocols#restJson1",
                "the service does not use the restJson1 protocol, the only one this generator writes",
            ));
        }
        Ok(Self {
            model,
            service_id: service_id.clone(),
            service,
            patterns: BTreeMap::new(),
            unchecked: BTreeMap::new(),
        })
    }

    fn shape(&self, id: &str) -> Result<&'m Shape, IrError> {
        self.model
            .shapes
            .get(id)
            .ok_or_else(|| shape_err(id, "is referenced but not defined in the model"))
    }

    /// Every operation bound to the service, directly or through resources, in model order.
    fn service_operations(&self) -> Result<Vec<String>, IrError> {
        let mut found = Vec::new();
        let mut seen = BTreeSet::new();
        let mut push = |id: &str, found: &mut Vec<String>| {
            if seen.insert(id.to_owned()) {
                found.push(id.to_owned());
            }
        };
        for op in &self.service.operations {
            push(&op.target, &mut found);
        }
        let mut resources: Vec<String> = self
            .service
            .resources
            .iter()
            .map(|r| r.target.clone())
            .collect();
        while let Some(id) = resources.pop() {
            let Shape::Resource(resource) = self.shape(&id)? else {
                return Err(shape_err(&id, "is listed as a resource but is not one"));
            };
            for op in resource.bound_operations() {
                push(&op.target, &mut found);
            }
            resources.extend(resource.resources.iter().map(|r| r.target.clone()));
        }
        Ok(found)
    }

    fn resolve(mut self, options: &Options) -> Result<Crate, IrError> {
        let all_ops = self.service_operations()?;
        let chosen: Vec<String> = if options.operations.is_empty() {
            all_ops.clone()
        } else {
            options
                .operations
                .iter()
                .map(|name| {
                    all_ops
                        .iter()
                        .find(|id| shape_name(id) == name)
                        .cloned()
                        .ok_or_else(|| {
                            let known: Vec<&str> =
                                all_ops.iter().map(|id| shape_name(id)).collect();
                            IrError::UnknownOperation(name.clone(), known.join(", "))
                        })
                })
                .collect::<Result<_, _>>()?
        };

        // The closure of shapes the chosen operations reach.
        let mut io_shapes = BTreeSet::new();
        let mut reachable = BTreeSet::new();
        let mut operations = Vec::new();
        for op_id in &chosen {
            let Shape::Operation(op) = self.shape(op_id)? else {
                return Err(shape_err(op_id, "is bound as an operation but is not one"));
            };
            for r in op.input.iter().chain(&op.output) {
                if r.target != UNIT {
                    io_shapes.insert(r.target.clone());
                }
                self.target_exists(op_id, &r.target)?;
                self.collect(&r.target, &mut reachable)?;
            }
            for e in op.errors.iter().chain(&self.service.errors) {
                self.target_exists(op_id, &e.target)?;
                self.collect(&e.target, &mut reachable)?;
            }
            operations.push(self.operation(op_id, op)?);
        }

        // An input or output structure that is also a member target (allowed without the
        // @input/@output traits) is a `types` structure too.
        let nested: BTreeSet<&str> = reachable
            .iter()
            .flat_map(|id| match self.model.shapes.get(id) {
                Some(Shape::Structure(s) | Shape::Union(s)) => {
                    s.members.values().map(|m| m.target.as_str()).collect()
                }
                Some(Shape::List(c) | Shape::Set(c)) => vec![c.member.target.as_str()],
                Some(Shape::Map(m)) => vec![m.value.target.as_str()],
                _ => Vec::new(),
            })
            .collect();
        let mut structures = Vec::new();
        let mut errors = Vec::new();
        let mut enums = Vec::new();
        let mut unions = Vec::new();
        for id in &reachable {
            let shape = self.shape(id)?;
            match shape {
                Shape::Structure(s) if s.traits.contains_key("smithy.api#error") => {
                    errors.push(self.structure(id, s, Role::Error, pascal(shape_name(id)))?)
                }
                Shape::Structure(s) if !io_shapes.contains(id) || nested.contains(id.as_str()) => {
                    structures.push(self.structure(id, s, Role::Plain, pascal(shape_name(id)))?)
                }
                Shape::Enum(s) => enums.push(self.enumeration(id, s, false)?),
                Shape::IntEnum(s) => enums.push(self.enumeration(id, s, true)?),
                Shape::String(s) if s.traits.contains_key("smithy.api#enum") => {
                    enums.push(self.legacy_enum(id, s)?)
                }
                Shape::Union(s) => unions.push(self.union(id, s)?),
                _ => {}
            }
        }
        if structures
            .iter()
            .chain(&errors)
            .any(|s| s.name == "Unknown")
        {
            return Err(shape_err(
                "Unknown",
                "a shape named `Unknown` would clash with generated enum variants",
            ));
        }
        // Two shapes (from different namespaces, say) with one Rust name.
        let mut seen: BTreeMap<String, &str> = BTreeMap::new();
        let named = structures
            .iter()
            .chain(&errors)
            .map(|s| (&s.name, &s.shape_id))
            .chain(enums.iter().map(|e| (&e.name, &e.shape_id)))
            .chain(unions.iter().map(|u| (&u.name, &u.shape_id)));
        for (name, id) in named {
            if let Some(other) = seen.insert(name.clone(), id) {
                return Err(shape_err(
                    id,
                    format!("its Rust type name `{name}` clashes with the one of `{other}`"),
                ));
            }
        }

        let endpoint = crate::endpoint::endpoint_module(&json_map(&self.service.traits))?
            .ok_or_else(|| {
                trait_err(
                    &self.service_id,
                    "smithy.rules#endpointRuleSet",
                    "missing: the generated client resolves endpoints from the rule set",
                )
            })?;
        let endpoint_builtins = self.endpoint_builtins();
        let service = self.service_info()?;
        Ok(Crate {
            lib_name: options.crate_name.replace('-', "_"),
            crate_name: options.crate_name.clone(),
            service,
            operations,
            structures,
            errors,
            enums,
            unions,
            patterns: self.patterns.into_values().collect(),
            unchecked_patterns: self.unchecked.into_values().collect(),
            endpoint,
            endpoint_builtins,
        })
    }

    /// The rule-set parameters the configuration fills, by their `builtIn`.
    fn endpoint_builtins(&self) -> Vec<EndpointBuiltin> {
        let params = self
            .service
            .traits
            .get("smithy.rules#endpointRuleSet")
            .and_then(|r| r.get("parameters"))
            .and_then(Value::as_object);
        let Some(params) = params else {
            return Vec::new();
        };
        params
            .iter()
            .filter_map(|(name, p)| {
                let source = match p.get("builtIn")?.as_str()? {
                    "AWS::Region" => "s.region.as_ref().map(|r| r.as_ref().to_owned())",
                    "AWS::UseFIPS" => "s.use_fips",
                    "AWS::UseDualStack" => "s.use_dual_stack",
                    "SDK::Endpoint" => "s.endpoint_url.clone()",
                    _ => return None,
                };
                Some(EndpointBuiltin {
                    setter: format!("set_{}", bare(&snake(name))),
                    source: source.to_owned(),
                })
            })
            .collect()
    }

    fn service_info(&self) -> Result<ServiceInfo, IrError> {
        let traits = &self.service.traits;
        let aws = traits.get("aws.api#service");
        let sdk_id = aws
            .and_then(|v| v["sdkId"].as_str())
            .map(str::to_owned)
            .unwrap_or_else(|| shape_name(&self.service_id).to_owned());
        let endpoint_prefix = aws
            .and_then(|v| v["endpointPrefix"].as_str())
            .map(str::to_owned)
            .unwrap_or_else(|| sdk_id.to_lowercase().replace(' ', ""));
        let signing_name = traits
            .get("aws.auth#sigv4")
            .and_then(|v| v["name"].as_str())
            .ok_or_else(|| {
                trait_err(
                    &self.service_id,
                    "aws.auth#sigv4",
                    "missing: the generated client signs with SigV4 and needs the signing name",
                )
            })?
            .to_owned();
        Ok(ServiceInfo {
            shape_id: self.service_id.clone(),
            name: shape_name(&self.service_id).to_owned(),
            retry_partition: sdk_id.to_lowercase().replace(' ', ""),
            sdk_id,
            signing_name,
            endpoint_prefix,
            version: self.service.version.clone(),
            docs: docs::of(traits),
        })
    }

    /// An error naming the member `at` when its target is not in the model.
    fn target_exists(&self, at: &str, target: &str) -> Result<(), IrError> {
        if target.starts_with(PRELUDE) || self.model.shapes.contains_key(target) {
            return Ok(());
        }
        Err(shape_err(
            at,
            format!("targets `{target}`, which is not defined in the model"),
        ))
    }

    /// Adds `id` and everything it references to `out`.
    fn collect(&self, id: &str, out: &mut BTreeSet<String>) -> Result<(), IrError> {
        if id.starts_with(PRELUDE) || !out.insert(id.to_owned()) {
            return Ok(());
        }
        match self.shape(id)? {
            Shape::Structure(s) | Shape::Union(s) => {
                if !s.mixins.is_empty() {
                    return Err(shape_err(id, "uses mixins; flatten them into the shape (the JSON AST from `smithy build` already does)"));
                }
                for (name, m) in &s.members {
                    self.target_exists(&format!("{id}${name}"), &m.target)?;
                    self.collect(&m.target, out)?;
                }
            }
            Shape::List(c) | Shape::Set(c) => {
                self.target_exists(&format!("{id}$member"), &c.member.target)?;
                self.collect(&c.member.target, out)?
            }
            Shape::Map(m) => {
                self.target_exists(&format!("{id}$key"), &m.key.target)?;
                self.target_exists(&format!("{id}$value"), &m.value.target)?;
                self.collect(&m.key.target, out)?;
                self.collect(&m.value.target, out)?;
            }
            Shape::Operation(_) | Shape::Service(_) | Shape::Resource(_) => {
                return Err(shape_err(
                    id,
                    "is referenced as a member target but is not a data shape",
                ))
            }
            _ => {}
        }
        Ok(())
    }

    /// The Rust type of the shape `id`.
    fn rust_type(&self, id: &str) -> Result<RustType, IrError> {
        let prelude_kind = |name: &str| -> Option<(String, Kind)> {
            Some(match name {
                "String" => ("::std::string::String".into(), Kind::String),
                "Boolean" | "PrimitiveBoolean" => ("bool".into(), Kind::Bool),
                "Byte" | "PrimitiveByte" => ("i8".into(), Kind::Int),
                "Short" | "PrimitiveShort" => ("i16".into(), Kind::Int),
                "Integer" | "PrimitiveInteger" => ("i32".into(), Kind::Int),
                "Long" | "PrimitiveLong" => ("i64".into(), Kind::Int),
                "Float" | "PrimitiveFloat" => ("f32".into(), Kind::Float),
                "Double" | "PrimitiveDouble" => ("f64".into(), Kind::Float),
                "BigInteger" => ("::aws_smithy_types::BigInteger".into(), Kind::BigNumber),
                "BigDecimal" => ("::aws_smithy_types::BigDecimal".into(), Kind::BigNumber),
                "Blob" => ("::aws_smithy_types::Blob".into(), Kind::Blob),
                "Timestamp" => ("::aws_smithy_types::DateTime".into(), Kind::Timestamp),
                "Document" => ("::aws_smithy_types::Document".into(), Kind::Document),
                _ => return None,
            })
        };
        if let Some(name) = id.strip_prefix(PRELUDE) {
            let (path, kind) = prelude_kind(name)
                .ok_or_else(|| shape_err(id, "is not a prelude shape this generator knows"))?;
            return Ok(RustType {
                path,
                kind,
                format: None,
            });
        }
        let name = pascal(shape_name(id));
        let (path, kind) = match self.shape(id)? {
            Shape::String(s) if s.traits.contains_key("smithy.api#enum") => {
                (format!("crate::types::{name}"), Kind::Enum)
            }
            Shape::String(_) => ("::std::string::String".into(), Kind::String),
            Shape::Enum(_) => (format!("crate::types::{name}"), Kind::Enum),
            Shape::IntEnum(_) => ("i32".into(), Kind::IntEnum),
            Shape::Boolean(_) => ("bool".into(), Kind::Bool),
            Shape::Byte(_) => ("i8".into(), Kind::Int),
            Shape::Short(_) => ("i16".into(), Kind::Int),
            Shape::Integer(_) => ("i32".into(), Kind::Int),
            Shape::Long(_) => ("i64".into(), Kind::Int),
            Shape::Float(_) => ("f32".into(), Kind::Float),
            Shape::Double(_) => ("f64".into(), Kind::Float),
            Shape::BigInteger(_) => ("::aws_smithy_types::BigInteger".into(), Kind::BigNumber),
            Shape::BigDecimal(_) => ("::aws_smithy_types::BigDecimal".into(), Kind::BigNumber),
            Shape::Blob(s) => {
                if s.traits.contains_key("smithy.api#streaming") {
                    return Err(trait_err(
                        id,
                        "smithy.api#streaming",
                        "streaming blobs are not supported by this generator",
                    ));
                }
                ("::aws_smithy_types::Blob".into(), Kind::Blob)
            }
            Shape::Timestamp(_) => ("::aws_smithy_types::DateTime".into(), Kind::Timestamp),
            Shape::Document(_) => ("::aws_smithy_types::Document".into(), Kind::Document),
            Shape::List(c) | Shape::Set(c) => {
                sparse_unsupported(id, &c.traits)?;
                let item = self.member_type(&c.member)?;
                (
                    format!("::std::vec::Vec<{}>", item.path),
                    Kind::List(Box::new(item)),
                )
            }
            Shape::Map(m) => {
                sparse_unsupported(id, &m.traits)?;
                let key = self.rust_type(&m.key.target)?;
                if key.kind != Kind::String && key.kind != Kind::Enum {
                    return Err(shape_err(id, "map keys must be strings"));
                }
                let value = self.member_type(&m.value)?;
                (
                    format!("::std::collections::HashMap<{}, {}>", key.path, value.path),
                    Kind::Map(Box::new(value)),
                )
            }
            Shape::Structure(s) if s.traits.contains_key("smithy.api#error") => {
                (format!("crate::types::error::{name}"), Kind::Structure)
            }
            Shape::Structure(_) => (format!("crate::types::{name}"), Kind::Structure),
            Shape::Union(s) => {
                if s.traits.contains_key("smithy.api#streaming") {
                    return Err(trait_err(
                        id,
                        "smithy.api#streaming",
                        "event streams are not supported by this generator",
                    ));
                }
                (format!("crate::types::{name}"), Kind::Union)
            }
            other => {
                return Err(shape_err(
                    id,
                    format!("a {} cannot be a member target", other.type_name()),
                ))
            }
        };
        Ok(RustType {
            path,
            kind,
            format: self.timestamp_format(id, &Traits::default()),
        })
    }

    /// The Rust type of a list or map member's target, with the member's
    /// `@timestampFormat`.
    fn member_type(&self, m: &ast::Member) -> Result<RustType, IrError> {
        let mut rt = self.rust_type(&m.target)?;
        if let Some(f) = m
            .traits
            .get("smithy.api#timestampFormat")
            .and_then(Value::as_str)
        {
            rt.format = Some(f.to_owned());
        }
        Ok(rt)
    }

    fn is_sensitive(&self, target: &str, member_traits: &Traits) -> bool {
        member_traits.contains_key("smithy.api#sensitive")
            || self
                .model
                .shapes
                .get(target)
                .is_some_and(|s| s.traits().contains_key("smithy.api#sensitive"))
    }

    fn operation(&mut self, id: &str, op: &ast::Operation) -> Result<Operation, IrError> {
        let name = shape_name(id).to_owned();
        let http = op.traits.get("smithy.api#http").ok_or_else(|| {
            trait_err(
                id,
                "smithy.api#http",
                "missing: restJson1 operations need an HTTP binding",
            )
        })?;
        let method = http["method"]
            .as_str()
            .ok_or_else(|| trait_err(id, "smithy.api#http", "no method"))?
            .to_owned();
        let uri = http["uri"]
            .as_str()
            .ok_or_else(|| trait_err(id, "smithy.api#http", "no uri"))?
            .to_owned();
        let code = http.get("code").and_then(Value::as_u64).unwrap_or(200) as u16;
        if op.traits.contains_key("smithy.api#endpoint") {
            return Err(trait_err(
                id,
                "smithy.api#endpoint",
                "host prefixes are not supported by this generator",
            ));
        }

        let input = match &op.input {
            Some(r) if r.target != UNIT => {
                let Shape::Structure(s) = self.shape(&r.target)? else {
                    return Err(shape_err(&r.target, "operation input must be a structure"));
                };
                let mut st = self.structure(&r.target, s, Role::Input, format!("{name}Input"))?;
                sort_body_members(&mut st.members);
                st
            }
            _ => {
                let mut st = self.empty_structure(&format!("{name}Input"));
                st.fallible_build = true;
                st
            }
        };
        let output = match &op.output {
            Some(r) if r.target != UNIT => {
                let Shape::Structure(s) = self.shape(&r.target)? else {
                    return Err(shape_err(&r.target, "operation output must be a structure"));
                };
                self.structure(&r.target, s, Role::Output, format!("{name}Output"))?
            }
            _ => {
                let mut st = self.empty_structure(&format!("{name}Output"));
                st.is_output = true;
                st
            }
        };
        let module = format!("crate::operation::{}", bare(&snake(&name)));
        let (mut input, mut output) = (input, output);
        input.module = module.clone();
        output.module = module;

        let (path_text, query_text) = uri
            .split_once('?')
            .map_or((uri.as_str(), None), |(p, q)| (p, Some(q)));
        let path = self.path_parts(id, path_text, &input)?;
        let query_literals = query_text
            .map(|q| {
                q.split('&')
                    .filter(|kv| !kv.is_empty())
                    .map(|kv| {
                        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                        QueryLiteral {
                            key: k.to_owned(),
                            value: v.to_owned(),
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();

        let mut errors = Vec::new();
        for e in op.errors.iter().chain(&self.service.errors) {
            let Shape::Structure(s) = self.shape(&e.target)? else {
                return Err(shape_err(
                    &e.target,
                    "listed as an error but is not a structure",
                ));
            };
            let ename = pascal(shape_name(&e.target));
            if errors.iter().any(|x: &ErrorRef| x.variant == ename) {
                continue;
            }
            errors.push(ErrorRef {
                is_fn: format!("is_{}", bare(&snake(&ename))),
                code: shape_name(&e.target).to_owned(),
                docs: docs::of(&s.traits),
                retryable: retryable(&s.traits),
                variant: ename,
            });
        }
        if errors.iter().any(|e| e.variant == "Unhandled") {
            return Err(shape_err(
                id,
                "an error shape named `Unhandled` would clash with the generated catch-all variant",
            ));
        }

        let idempotency_tokens = input
            .members
            .iter()
            .filter(|m| {
                m.kind == "string"
                    && self.member_has_trait(&op.input, &m.name, "smithy.api#idempotencyToken")
            })
            .map(|m| m.field.clone())
            .collect();

        let paginated = self.paginated(id, op, &input)?;

        let has_retryable_errors = errors.iter().any(|e| e.retryable.is_some());
        Ok(Operation {
            snake: snake(&name),
            docs: docs::of(&op.traits),
            request_body: body_of(id, &input)?,
            response_body: body_of(id, &output)?,
            sensitive_output: output.has_sensitive,
            name,
            method,
            uri: uri.clone(),
            code,
            path,
            query_literals,
            query_keys: input
                .members
                .iter()
                .filter(|m| m.binding == "query")
                .map(|m| m.location.clone())
                .collect(),
            input,
            output,
            errors,
            has_retryable_errors,
            idempotency_tokens,
            paginated,
            uri_capacity: uri.len() + 64,
        })
    }

    /// `@paginated`: the operation's trait over the service's defaults.
    fn paginated(
        &self,
        id: &str,
        op: &ast::Operation,
        input: &Structure,
    ) -> Result<Option<Paginated>, IrError> {
        const TRAIT: &str = "smithy.api#paginated";
        let Some(own) = op.traits.get(TRAIT) else {
            return Ok(None);
        };
        let service = self.service.traits.get(TRAIT);
        let get = |k: &str| -> Option<&str> {
            own.get(k)
                .or_else(|| service.and_then(|s| s.get(k)))
                .and_then(Value::as_str)
        };
        let err = |problem: String| trait_err(id, TRAIT, problem);
        let (Some(input_token), Some(output_token)) = (get("inputToken"), get("outputToken"))
        else {
            return Err(err(
                "needs `inputToken` and `outputToken` (on the operation or the service)".into(),
            ));
        };
        let input_member = |name: &str| {
            input
                .members
                .iter()
                .find(|m| m.name == name)
                .ok_or_else(|| err(format!("the input has no member `{name}`")))
        };
        let token = input_member(input_token)?;
        if token.kind != "string" {
            return Err(err(format!(
                "the input token `{input_token}` must be a string"
            )));
        }
        let page_size = get("pageSize")
            .map(|name| {
                let m = input_member(name)?;
                if m.kind != "int" {
                    return Err(err(format!("the page size `{name}` must be an integer")));
                }
                Ok(PageSize {
                    field: m.field.clone(),
                    ty: m.value_ty.clone(),
                })
            })
            .transpose()?;
        let output_id = match &op.output {
            Some(r) if r.target != UNIT => r.target.clone(),
            _ => return Err(err("a paginated operation needs an output".into())),
        };
        let (token_path, token_rt) = self.output_path(&output_id, output_token, true)?;
        if token_rt.kind != Kind::String {
            return Err(err(format!(
                "the output token `{output_token}` must be a string"
            )));
        }
        let items = get("items")
            .map(|path| {
                let (expr, rt) = self.output_path(&output_id, path, false)?;
                let ty = match &rt.kind {
                    Kind::List(item) => item.path.clone(),
                    Kind::Map(value) => format!("({}, {})", map_key_ty(&rt.path), value.path),
                    _ => return Err(err(format!("the items `{path}` must be a list or a map"))),
                };
                Ok(PageItems { expr, ty })
            })
            .transpose()?;
        Ok(Some(Paginated {
            input_token: token.field.clone(),
            output_token: token_path,
            page_size,
            items,
        }))
    }

    /// An expression reading the member path `path` (`A.B.C`) of `page`, an output of shape
    /// `output`: by reference as an `Option<&T>`, or by value as a `T` (defaulted when
    /// unset).
    fn output_path(
        &self,
        output: &str,
        path: &str,
        by_ref: bool,
    ) -> Result<(String, RustType), IrError> {
        let err = |problem: String| trait_err(output, "smithy.api#paginated", problem);
        let mut shape_id = output.to_owned();
        let mut expr = "page".to_owned();
        let mut in_option = false;
        let mut role = Role::Output;
        let mut last = None;
        for segment in path.split('.') {
            let Shape::Structure(s) = self.shape(&shape_id)? else {
                return Err(err(format!("`{path}`: `{shape_id}` is not a structure")));
            };
            let m = s
                .members
                .get(segment)
                .ok_or_else(|| err(format!("`{path}`: `{shape_id}` has no member `{segment}`")))?;
            let field = snake(segment);
            let optional = self.is_optional(m, role);
            // Until the first optional member, `expr` is a place (`page.a.b`); after it, an
            // `Option` (of references when `by_ref`).
            expr = match (by_ref, in_option, optional) {
                (true, false, true) => format!("{expr}.{field}.as_ref()"),
                (_, false, _) => format!("{expr}.{field}"),
                (true, true, true) => format!("{expr}.and_then(|v| v.{field}.as_ref())"),
                (true, true, false) => format!("{expr}.map(|v| &v.{field})"),
                (false, true, true) => format!("{expr}.and_then(|v| v.{field})"),
                (false, true, false) => format!("{expr}.map(|v| v.{field})"),
            };
            in_option |= optional;
            role = Role::Plain;
            last = Some(self.rust_type(&m.target)?);
            shape_id = m.target.clone();
        }
        let rt = last.ok_or_else(|| err("an empty member path".into()))?;
        let expr = match (by_ref, in_option) {
            (true, false) => format!("::std::option::Option::Some(&{expr})"),
            (false, true) => format!("{expr}.unwrap_or_default()"),
            _ => expr,
        };
        Ok((expr, rt))
    }

    /// Whether a member is an `Option` in a structure of `role`: as the official SDK
    /// decides it, inputs and errors are all optional; elsewhere a required or defaulted
    /// member is a plain value, unless `@clientOptional`.
    fn is_optional(&self, m: &ast::Member, role: Role) -> bool {
        let required = m.traits.contains_key("smithy.api#required");
        let has_default = m
            .traits
            .get("smithy.api#default")
            .cloned()
            .or_else(|| self.target_default(&m.target))
            .is_some_and(|d| !d.is_null());
        match role {
            Role::Input | Role::Error => true,
            Role::Output | Role::Plain => {
                m.traits.contains_key("smithy.api#clientOptional") || !(required || has_default)
            }
        }
    }

    fn member_has_trait(
        &self,
        structure: &Option<ast::ShapeRef>,
        member: &str,
        trait_id: &str,
    ) -> bool {
        let Some(r) = structure else { return false };
        match self.model.shapes.get(&r.target) {
            Some(Shape::Structure(s)) => s
                .members
                .get(member)
                .is_some_and(|m| m.traits.contains_key(trait_id)),
            _ => false,
        }
    }

    fn path_parts(
        &self,
        op: &str,
        path: &str,
        input: &Structure,
    ) -> Result<Vec<PathPart>, IrError> {
        let mut parts = Vec::new();
        let mut rest = path;
        while let Some(start) = rest.find('{') {
            let end = rest[start..].find('}').map(|e| start + e).ok_or_else(|| {
                trait_err(op, "smithy.api#http", format!("unclosed label in `{path}`"))
            })?;
            if start > 0 {
                parts.push(PathPart {
                    literal: Some(rest[..start].to_owned()),
                    label: None,
                });
            }
            let raw = &rest[start + 1..end];
            let (label_name, greedy) = raw.strip_suffix('+').map_or((raw, false), |n| (n, true));
            let member = input
                .members
                .iter()
                .find(|m| m.binding == "label" && m.location == label_name)
                .ok_or_else(|| {
                    trait_err(
                        op,
                        "smithy.api#httpLabel",
                        format!(
                            "the URI label `{{{raw}}}` has no input member bound with @httpLabel"
                        ),
                    )
                })?;
            parts.push(PathPart {
                literal: None,
                label: Some(Label {
                    field: member.field.clone(),
                    bare: member.bare.clone(),
                    greedy,
                    to_str: member.to_str.clone().unwrap_or_else(|| "value".into()),
                }),
            });
            rest = &rest[end + 1..];
        }
        if !rest.is_empty() {
            parts.push(PathPart {
                literal: Some(rest.to_owned()),
                label: None,
            });
        }
        for m in input.members.iter().filter(|m| m.binding == "label") {
            let used = parts
                .iter()
                .filter_map(|p| p.label.as_ref())
                .any(|l| l.field == m.field);
            if !used {
                return Err(trait_err(
                    &format!("{}${}", input.shape_id, m.name),
                    "smithy.api#httpLabel",
                    format!(
                        "the member is bound with @httpLabel but the URI `{path}` of operation `{op}` has no `{{{}}}` placeholder",
                        m.location
                    ),
                ));
            }
        }
        Ok(parts)
    }

    fn empty_structure(&self, name: &str) -> Structure {
        Structure {
            shape_id: String::new(),
            name: name.to_owned(),
            module: String::new(),
            is_output: false,
            docs: Vec::new(),
            members: Vec::new(),
            has_sensitive: false,
            fallible_build: false,
            sensitive: false,
            has_http_members: false,
            body_members: Vec::new(),
            error: None,
            checks: Vec::new(),
        }
    }

    fn structure(
        &mut self,
        id: &str,
        s: &ast::Aggregate,
        role: Role,
        name: String,
    ) -> Result<Structure, IrError> {
        let mut members: Vec<Member> = Vec::new();
        let mut checks = Vec::new();
        for (mname, m) in &s.members {
            let member = self.member(id, &name, mname, m, role)?;
            if let Some(other) = members.iter().find(|o| o.bare == member.bare) {
                return Err(shape_err(
                    &format!("{id}${mname}"),
                    format!(
                        "its Rust field `{}` clashes with the one of member `{}`",
                        member.field, other.name
                    ),
                ));
            }
            checks.extend(self.member_checks(id, mname, m, &member)?);
            members.push(member);
        }
        let error = s.traits.get("smithy.api#error").map(|fault| ErrorInfo {
            fault: fault.as_str().unwrap_or("client").to_owned(),
            status: s
                .traits
                .get("smithy.api#httpError")
                .and_then(Value::as_u64)
                .map(|c| c as u16),
            retryable: retryable(&s.traits),
            message_field: members
                .iter()
                .find(|m| m.name.eq_ignore_ascii_case("message"))
                .map(|m| m.field.clone()),
        });
        if let Some(e) = &error {
            if let Some(field) = &e.message_field {
                let m = members
                    .iter()
                    .find(|m| &m.field == field)
                    .expect("found above");
                if m.ty != "::std::option::Option<::std::string::String>" {
                    return Err(shape_err(
                        id,
                        "an error's `message` member must be an optional string",
                    ));
                }
            }
        }
        let module = match role {
            Role::Error => "crate::types::error".to_owned(),
            _ => "crate::types".to_owned(),
        };
        if s.traits.contains_key("smithy.api#sensitive") {
            for m in &mut members {
                m.sensitive = true;
            }
        }
        Ok(Structure {
            shape_id: id.to_owned(),
            name,
            module,
            is_output: role == Role::Output,
            docs: docs::of(&s.traits),
            has_sensitive: members.iter().any(|m| m.sensitive),
            fallible_build: role == Role::Input || members.iter().any(|m| m.build_required),
            sensitive: s.traits.contains_key("smithy.api#sensitive"),
            has_http_members: members.iter().any(|m| m.binding != "body"),
            body_members: members
                .iter()
                .filter(|m| m.binding == "body")
                .map(|m| m.field.clone())
                .collect(),
            members,
            error,
            checks,
        })
    }

    fn member(
        &mut self,
        owner: &str,
        owner_name: &str,
        name: &str,
        m: &ast::Member,
        role: Role,
    ) -> Result<Member, IrError> {
        let at = format!("{owner}${name}");
        let rt = self.rust_type(&m.target)?;
        let field = member_field(name);
        let bare_name = bare(&field).to_owned();
        let traits = &m.traits;
        let required = traits.contains_key("smithy.api#required");
        let default = traits
            .get("smithy.api#default")
            .cloned()
            .or_else(|| self.target_default(&m.target));
        // `@default(null)` on the member removes the target's default.
        let has_default = default.as_ref().is_some_and(|d| !d.is_null());
        let optional = self.is_optional(m, role);
        if let (Some(Value::String(value)), Kind::Enum) = (&default, &rt.kind) {
            let known = self.enum_values(&m.target);
            if !known.contains(value) {
                return Err(trait_err(
                    &at,
                    "smithy.api#default",
                    format!(
                        "`{value}` is not a value of the enum (its values: {})",
                        known.join(", ")
                    ),
                ));
            }
        }
        let default_expr = if optional || !has_default {
            None
        } else {
            Some(default_value(
                &at,
                &rt,
                default.as_ref().expect("has_default"),
            )?)
        };
        let default_fn = default_expr
            .as_ref()
            .map(|_| format!("__default_{bare_name}"));
        let build_required = !optional && default_expr.is_none() && needs_explicit_value(&rt.kind);

        let (binding, location) = binding_of(&at, traits, role)?;
        if binding == "label" && !required {
            return Err(trait_err(
                &at,
                "smithy.api#httpLabel",
                "a label member must also be @required",
            ));
        }
        if role == Role::Error && matches!(binding.as_str(), "payload" | "prefix_headers") {
            return Err(trait_err(
                &at,
                if binding == "payload" {
                    "smithy.api#httpPayload"
                } else {
                    "smithy.api#httpPrefixHeaders"
                },
                "error structures can bind members to the body and to single headers only",
            ));
        }
        let sensitive = self.is_sensitive(&m.target, traits);
        let ty = if optional {
            format!("::std::option::Option<{}>", rt.path)
        } else {
            rt.path.clone()
        };

        let (setter, setter_arg, setter_conv, item_ty, key_ty, item_kind) = match &rt.kind {
            Kind::List(item) => (
                "list",
                into_arg(&item.path, &item.kind),
                into_conv(&item.kind),
                Some(item.path.clone()),
                None,
                Some(item.kind.name().to_owned()),
            ),
            Kind::Map(value) => (
                "map",
                into_arg(&value.path, &value.kind),
                into_conv(&value.kind),
                Some(value.path.clone()),
                Some(map_key_ty(&rt.path)),
                Some(value.kind.name().to_owned()),
            ),
            kind => (
                "value",
                into_arg(&rt.path, kind),
                into_conv(kind),
                None,
                None,
                None,
            ),
        };
        let (accessor_ty, accessor_expr) = accessor(&field, &rt, optional);

        let timestamp_format = self.timestamp_format(&m.target, traits);
        let media_type = self.media_type(&m.target);
        let wire_name = traits
            .get("smithy.api#jsonName")
            .and_then(Value::as_str)
            .unwrap_or(name)
            .to_owned();
        // Serde's `default = "..."` for a member absent from the JSON.
        let absent = if optional {
            None
        } else {
            Some(match &default_fn {
                Some(f) => format!("{owner_name}::{f}"),
                // Required but absent in a response: correct to an empty value, as the
                // official SDK does.
                None => "crate::protocol::corrected".to_owned(),
            })
        };
        let serde = serde_attrs(
            &wire_name,
            &rt,
            &binding,
            timestamp_format.as_deref(),
            absent.as_deref(),
            role,
        );
        let to_str = match (binding.as_str(), &rt.kind) {
            // Each item of a query list is its own `key=value` pair.
            ("query", Kind::List(item)) => Some(text_of(
                &at,
                item,
                timestamp_format.as_deref(),
                media_type.is_some(),
                "query",
            )?),
            ("label" | "query" | "header", _) => Some(text_of(
                &at,
                &rt,
                timestamp_format.as_deref(),
                media_type.is_some(),
                &binding,
            )?),
            _ => None,
        };
        let from_str = match binding.as_str() {
            "header" | "response_code" => Some(parse_of(
                &at,
                &rt,
                timestamp_format.as_deref(),
                media_type.is_some(),
            )?),
            _ => None,
        };
        match binding.as_str() {
            "query_params" if !matches!(item_kind.as_deref(), Some("string" | "enum")) => {
                let ok = matches!(&rt.kind, Kind::Map(v) if matches!(&v.kind, Kind::List(i) if i.kind == Kind::String));
                if !ok {
                    return Err(trait_err(
                        &at,
                        "smithy.api#httpQueryParams",
                        "the member must be a map of strings or of lists of strings",
                    ));
                }
            }
            "prefix_headers" if item_kind.as_deref() != Some("string") => {
                return Err(trait_err(
                    &at,
                    "smithy.api#httpPrefixHeaders",
                    "the member must be a map of strings",
                ));
            }
            "response_code" if rt.kind != Kind::Int => {
                return Err(trait_err(
                    &at,
                    "smithy.api#httpResponseCode",
                    "the member must be an integer",
                ));
            }
            _ => {}
        }
        let location = if binding == "prefix_headers" {
            // Header names arrive lowercase.
            location.to_ascii_lowercase()
        } else {
            location
        };
        Ok(Member {
            name: name.to_owned(),
            wire_name,
            field,
            bare: bare_name,
            docs: docs::of(traits),
            value_ty: rt.path.clone(),
            ty,
            optional,
            setter: setter.to_owned(),
            setter_arg,
            setter_conv,
            item_ty,
            key_ty,
            item_kind,
            media_type,
            accessor_ty,
            accessor_expr,
            sensitive,
            serde,
            binding,
            location,
            to_str,
            from_str,
            kind: rt.kind.name().to_owned(),
            build_required,
            default_expr,
            default_fn,
        })
    }

    /// The `@default` of a member's target, including the prelude's primitive shapes.
    fn target_default(&self, target: &str) -> Option<Value> {
        if let Some(name) = target.strip_prefix(PRELUDE) {
            return match name {
                "PrimitiveBoolean" => Some(Value::Bool(false)),
                "PrimitiveByte" | "PrimitiveShort" | "PrimitiveInteger" | "PrimitiveLong"
                | "PrimitiveFloat" | "PrimitiveDouble" => Some(Value::from(0)),
                _ => None,
            };
        }
        self.model
            .shapes
            .get(target)
            .and_then(|s| s.traits().get("smithy.api#default"))
            .cloned()
    }

    /// The wire values of an enum shape (`enum` or legacy `@enum` string).
    fn enum_values(&self, id: &str) -> Vec<String> {
        match self.model.shapes.get(id) {
            Some(Shape::Enum(e)) => e
                .members
                .iter()
                .map(|(name, m)| {
                    m.traits
                        .get("smithy.api#enumValue")
                        .and_then(Value::as_str)
                        .unwrap_or(name)
                        .to_owned()
                })
                .collect(),
            Some(Shape::String(s)) => s
                .traits
                .get("smithy.api#enum")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|d| d.get("value").and_then(Value::as_str).map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The `@mediaType` of a string or blob target.
    fn media_type(&self, target: &str) -> Option<String> {
        self.model
            .shapes
            .get(target)
            .and_then(|s| s.traits().get("smithy.api#mediaType"))
            .and_then(Value::as_str)
            .map(str::to_owned)
    }

    fn timestamp_format(&self, target: &str, member_traits: &Traits) -> Option<String> {
        member_traits
            .get("smithy.api#timestampFormat")
            .or_else(|| {
                self.model
                    .shapes
                    .get(target)
                    .and_then(|s| s.traits().get("smithy.api#timestampFormat"))
            })
            .and_then(Value::as_str)
            .map(str::to_owned)
    }

    /// Statements checking member `name` of a structure, with `self` in scope and `path`
    /// the structure's path.
    fn member_checks(
        &mut self,
        owner: &str,
        name: &str,
        m: &ast::Member,
        member: &Member,
    ) -> Result<Vec<String>, IrError> {
        let at = format!("{owner}${name}");
        let required =
            m.traits.contains_key("smithy.api#required") && member.default_expr.is_none();
        let inner = self.value_checks(&at, &m.target, &m.traits, "value", "p", 0)?;
        let f = &member.field;
        let mut out = Vec::new();
        if !member.optional {
            if !inner.is_empty() {
                out.push(format!("{{ let p = crate::constraints::Path::Field(path, \"{name}\"); let value = &self.{f};"));
                out.extend(inner);
                out.push("}".into());
            }
        } else if required || !inner.is_empty() {
            out.push(format!("match &self.{f} {{"));
            if required {
                out.push(format!(
                    "None => return Err(crate::constraints::ConstraintViolation::missing(&crate::constraints::Path::Field(path, \"{name}\"))),"
                ));
            } else {
                out.push("None => {}".into());
            }
            out.push(format!(
                "Some(value) => {{ let p = crate::constraints::Path::Field(path, \"{name}\");"
            ));
            out.extend(inner);
            out.push("}".into());
            out.push("}".into());
        }
        Ok(out)
    }

    /// Statements checking `value` (a reference) of shape `target` at path `path_var`.
    fn value_checks(
        &mut self,
        at: &str,
        target: &str,
        member_traits: &Traits,
        value: &str,
        path_var: &str,
        depth: usize,
    ) -> Result<Vec<String>, IrError> {
        let rt = self.rust_type(target)?;
        let shape_traits = if target.starts_with(PRELUDE) {
            None
        } else {
            Some(self.shape(target)?.traits())
        };
        let get = |id: &str| {
            member_traits
                .get(id)
                .or_else(|| shape_traits.and_then(|t| t.get(id)))
        };
        let mut out = Vec::new();
        if let Some(len) = get("smithy.api#length") {
            let bound = |k: &str| {
                len.get(k)
                    .and_then(Value::as_u64)
                    .map_or("None".to_owned(), |n| format!("Some({n})"))
            };
            let measured = match &rt.kind {
                Kind::String => format!("{value}.chars().count()"),
                Kind::List(_) | Kind::Map(_) => format!("{value}.len()"),
                Kind::Blob => format!("{value}.as_ref().len()"),
                _ => {
                    return Err(trait_err(
                        at,
                        "smithy.api#length",
                        format!("cannot apply to a {}", rt.kind.name()),
                    ))
                }
            };
            out.push(format!(
                "crate::constraints::check_length({measured}, {}, {}, &{path_var})?;",
                bound("min"),
                bound("max")
            ));
        }
        if let Some(pattern) = get("smithy.api#pattern") {
            let regex = pattern
                .as_str()
                .ok_or_else(|| trait_err(at, "smithy.api#pattern", "must be a string"))?;
            if rt.kind != Kind::String {
                return Err(trait_err(
                    at,
                    "smithy.api#pattern",
                    "only strings can have a pattern",
                ));
            }
            if let Some(ident) = self.pattern(regex) {
                out.push(format!("crate::constraints::check_pattern({value}, &crate::constraints::{ident}, &{path_var})?;"));
            }
        }
        if let Some(range) = get("smithy.api#range") {
            let bound = |k: &str| match range.get(k) {
                Some(Value::Number(n)) => format!("Some({}f64)", n.as_f64().unwrap_or_default()),
                _ => "None".into(),
            };
            if !matches!(rt.kind, Kind::Int | Kind::Float | Kind::IntEnum) {
                return Err(trait_err(
                    at,
                    "smithy.api#range",
                    format!("cannot apply to a {}", rt.kind.name()),
                ));
            }
            let actual = if rt.path == "f64" {
                format!("*{value}")
            } else {
                format!("*{value} as f64")
            };
            out.push(format!(
                "crate::constraints::check_range({actual}, {}, {}, &{path_var})?;",
                bound("min"),
                bound("max")
            ));
        }
        match &rt.kind {
            Kind::Structure | Kind::Union | Kind::Enum => {
                out.push(format!(
                    "crate::constraints::Validate::validate_at({value}, &{path_var})?;"
                ));
            }
            Kind::List(_) | Kind::Map(_) => {
                let (item_target, is_map) = match self.shape(target)? {
                    Shape::List(c) | Shape::Set(c) => (c.member.clone(), false),
                    Shape::Map(m) => (m.value.clone(), true),
                    _ => unreachable!("list/map kinds come from list/map shapes"),
                };
                let item = format!("item{depth}");
                let ipath = format!("p{}", depth + 1);
                let inner = self.value_checks(
                    at,
                    &item_target.target,
                    &item_target.traits,
                    &item,
                    &ipath,
                    depth + 1,
                )?;
                if !inner.is_empty() {
                    if is_map {
                        out.push(format!(
                            "for (key{depth}, {item}) in {value} {{ let {ipath} = crate::constraints::Path::Key(&{path_var}, key{depth}.as_ref());"
                        ));
                    } else {
                        out.push(format!(
                            "for (index{depth}, {item}) in {value}.iter().enumerate() {{ let {ipath} = crate::constraints::Path::Index(&{path_var}, index{depth});"
                        ));
                    }
                    out.extend(inner);
                    out.push("}".into());
                }
            }
            _ => {}
        }
        Ok(out)
    }

    /// Registers a pattern; `None` when the `regex` crate cannot compile it.
    fn pattern(&mut self, regex: &str) -> Option<String> {
        if let Some(p) = self.patterns.get(regex) {
            return Some(p.ident.clone());
        }
        let literal = format!("{regex:?}");
        match regex_syntax::Parser::new().parse(regex) {
            Ok(_) => {
                let ident = format!("PATTERN_{}", self.patterns.len());
                self.patterns.insert(
                    regex.to_owned(),
                    Pattern {
                        ident: ident.clone(),
                        regex: regex.to_owned(),
                        literal,
                        reason: None,
                    },
                );
                Some(ident)
            }
            Err(err) => {
                let reason = err
                    .to_string()
                    .lines()
                    .last()
                    .unwrap_or("unsupported syntax")
                    .trim()
                    .to_owned();
                self.unchecked.insert(
                    regex.to_owned(),
                    Pattern {
                        ident: String::new(),
                        regex: regex.to_owned(),
                        literal,
                        reason: Some(reason),
                    },
                );
                None
            }
        }
    }

    fn enumeration(&self, id: &str, s: &ast::Aggregate, int_enum: bool) -> Result<Enum, IrError> {
        let mut variants = Vec::new();
        for (mname, m) in &s.members {
            let value = match m.traits.get("smithy.api#enumValue") {
                Some(Value::String(v)) => v.clone(),
                Some(Value::Number(n)) => n.to_string(),
                None if !int_enum => mname.clone(),
                _ => {
                    return Err(trait_err(
                        &format!("{id}${mname}"),
                        "smithy.api#enumValue",
                        "intEnum members need an integer value",
                    ))
                }
            };
            let name = if int_enum {
                mname.to_shouty_snake_case()
            } else {
                variant(mname)
            };
            variants.push(EnumVariant {
                name,
                value,
                docs: docs::of(&m.traits),
            });
        }
        check_unique_variants(id, &variants)?;
        Ok(Enum {
            shape_id: id.to_owned(),
            name: pascal(shape_name(id)),
            docs: docs::of(&s.traits),
            variants,
            int_enum,
        })
    }

    /// A Smithy 1.0 `@enum` string: variants named by `name`, or by the value.
    fn legacy_enum(&self, id: &str, s: &ast::Simple) -> Result<Enum, IrError> {
        let defs = s.traits["smithy.api#enum"].as_array().ok_or_else(|| {
            trait_err(id, "smithy.api#enum", "must be a list of enum definitions")
        })?;
        let mut variants = Vec::new();
        for def in defs {
            let value = def["value"].as_str().ok_or_else(|| {
                trait_err(id, "smithy.api#enum", "an entry has no string `value`")
            })?;
            let name = def.get("name").and_then(Value::as_str).unwrap_or(value);
            let docs = def
                .get("documentation")
                .and_then(Value::as_str)
                .map(docs::lines)
                .unwrap_or_default();
            variants.push(EnumVariant {
                name: variant(name),
                value: value.to_owned(),
                docs,
            });
        }
        check_unique_variants(id, &variants)?;
        Ok(Enum {
            shape_id: id.to_owned(),
            name: pascal(shape_name(id)),
            docs: docs::of(&s.traits),
            variants,
            int_enum: false,
        })
    }

    fn union(&mut self, id: &str, s: &ast::Aggregate) -> Result<Union, IrError> {
        let name = pascal(shape_name(id));
        let mut variants: Vec<UnionVariant> = Vec::new();
        let mut checks = Vec::new();
        for (mname, m) in &s.members {
            let at = format!("{id}${mname}");
            if m.target == UNIT {
                return Err(shape_err(
                    &at,
                    "unit union members are not supported by this generator",
                ));
            }
            let member = self.member(id, &name, mname, m, Role::Input)?;
            let variant_name = variant(mname);
            if variants.iter().any(|v| v.variant == variant_name) {
                return Err(shape_err(
                    id,
                    format!("two members map to the Rust variant `{variant_name}`"),
                ));
            }
            let rt = self.rust_type(&m.target)?;
            let timestamp_format = self.timestamp_format(&m.target, &m.traits);
            let mut variant_serde = format!("rename = {:?}", member.wire_name);
            if let Some(adapter) = wire_adapter(&rt, timestamp_format.as_deref()) {
                variant_serde.push_str(&format!(
                    ", serialize_with = \"crate::protocol::wire::serialize::<_, {adapter}, _>\""
                ));
            }
            let lines = self.value_checks(&at, &m.target, &m.traits, "value", "p", 0)?;
            if !lines.is_empty() {
                checks.push(UnionCheck {
                    variant: variant_name.clone(),
                    name: mname.clone(),
                    lines,
                });
            }
            variants.push(UnionVariant {
                name: mname.clone(),
                variant: variant_name,
                field: member.field,
                bare: member.bare,
                docs: member.docs,
                value_ty: member.value_ty,
                ty: member.ty,
                serde: member.serde,
                variant_serde,
                sensitive: member.sensitive,
            });
        }
        Ok(Union {
            shape_id: id.to_owned(),
            name,
            docs: docs::of(&s.traits),
            sensitive: s.traits.contains_key("smithy.api#sensitive"),
            has_sensitive: variants.iter().any(|v| v.sensitive),
            variants,
            checks,
        })
    }
}

/// Sorts the body members of an operation input by member name, within the slots
/// body members occupy (label, query and header members stay put). serde writes
/// fields in declaration order, and the official SDKs write the members of an
/// input's JSON body sorted by name (nested structures keep model order), so this
/// makes request bodies byte-identical to theirs.
fn sort_body_members(members: &mut [Member]) {
    let slots: Vec<usize> = (0..members.len())
        .filter(|&i| members[i].binding == "body")
        .collect();
    let mut body: Vec<Member> = slots.iter().map(|&i| members[i].clone()).collect();
    body.sort_by(|a, b| a.name.cmp(&b.name));
    for (slot, member) in slots.into_iter().zip(body) {
        members[slot] = member;
    }
}

/// Methods the generated structures, builders and fluent builders define themselves.
const RESERVED_MEMBER_NAMES: &[&str] = &[
    "builder",
    "build",
    "meta",
    "send",
    "send_with_inspector",
    "as_input",
    "into_paginator",
    "customize",
];

/// The Rust field of a member: snake case, keyword-escaped, and suffixed with `_value`
/// where it would clash with a generated method (as the official SDK does).
fn member_field(name: &str) -> String {
    match snake(name) {
        field if RESERVED_MEMBER_NAMES.contains(&field.as_str()) => format!("{field}_value"),
        field => field,
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Input,
    Output,
    Error,
    Plain,
}

/// `@sparse` collections hold nulls, which `Vec<T>`/`HashMap<K, T>` cannot.
fn sparse_unsupported(id: &str, traits: &Traits) -> Result<(), IrError> {
    if traits.contains_key("smithy.api#sparse") {
        return Err(trait_err(
            id,
            "smithy.api#sparse",
            "sparse lists and maps are not supported by this generator",
        ));
    }
    Ok(())
}

fn json_map(traits: &Traits) -> serde_json::Map<String, Value> {
    traits.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

fn retryable(traits: &Traits) -> Option<String> {
    traits.get("smithy.api#retryable").map(|r| {
        if r.get("throttling").and_then(Value::as_bool) == Some(true) {
            "throttling"
        } else {
            "transient"
        }
        .to_owned()
    })
}

fn check_unique_variants(id: &str, variants: &[EnumVariant]) -> Result<(), IrError> {
    let mut seen = BTreeSet::new();
    for v in variants {
        if !seen.insert(&v.name) {
            return Err(shape_err(
                id,
                format!("two members map to the Rust variant `{}`", v.name),
            ));
        }
    }
    Ok(())
}

/// Where a member travels in the HTTP message.
fn binding_of(at: &str, traits: &Traits, role: Role) -> Result<(String, String), IrError> {
    let text = |id: &str| -> Result<String, IrError> {
        traits[id]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| trait_err(at, id, "must be a string"))
    };
    let (binding, location) = if traits.contains_key("smithy.api#httpLabel") {
        (
            "label",
            at.rsplit_once('$').map_or(at, |(_, m)| m).to_owned(),
        )
    } else if traits.contains_key("smithy.api#httpQuery") {
        ("query", text("smithy.api#httpQuery")?)
    } else if traits.contains_key("smithy.api#httpQueryParams") {
        ("query_params", String::new())
    } else if traits.contains_key("smithy.api#httpHeader") {
        ("header", text("smithy.api#httpHeader")?)
    } else if traits.contains_key("smithy.api#httpPrefixHeaders") {
        ("prefix_headers", text("smithy.api#httpPrefixHeaders")?)
    } else if traits.contains_key("smithy.api#httpPayload") {
        ("payload", String::new())
    } else if traits.contains_key("smithy.api#httpResponseCode") {
        ("response_code", String::new())
    } else {
        ("body", String::new())
    };
    // Bindings only mean something on operation inputs, outputs and errors.
    let allowed = match binding {
        "label" | "query" | "query_params" => matches!(role, Role::Input),
        "response_code" => matches!(role, Role::Output),
        "header" | "prefix_headers" | "payload" => !matches!(role, Role::Plain),
        _ => true,
    };
    if !allowed {
        return Ok(("body".into(), String::new()));
    }
    Ok((binding.into(), location))
}

fn body_of(op: &str, s: &Structure) -> Result<Body, IrError> {
    let explicit_content_type = s
        .members
        .iter()
        .any(|m| m.binding == "header" && m.location.eq_ignore_ascii_case("content-type"));
    let content_type = |default: &str, media_type: Option<&String>| {
        (!explicit_content_type).then(|| media_type.map_or(default, String::as_str).to_owned())
    };
    if let Some(p) = s.members.iter().find(|m| m.binding == "payload") {
        let at = format!("{}${}", s.shape_id, p.name);
        let (kind, content_type) = match p.kind.as_str() {
            "structure" | "union" | "document" => {
                ("payload_json", content_type("application/json", None))
            }
            "blob" => (
                "payload_blob",
                content_type("application/octet-stream", p.media_type.as_ref()),
            ),
            "string" | "enum" => (
                "payload_string",
                content_type("text/plain", p.media_type.as_ref()),
            ),
            other => {
                return Err(trait_err(
                    &at,
                    "smithy.api#httpPayload",
                    format!("a {other} payload is not supported (in operation `{op}`)"),
                ))
            }
        };
        if !s.body_members.is_empty() {
            return Err(trait_err(
                &at,
                "smithy.api#httpPayload",
                format!("a payload member excludes other body members (in operation `{op}`)"),
            ));
        }
        return Ok(Body {
            kind: kind.into(),
            member: Some(p.field.clone()),
            optional: p.optional,
            content_type,
            adapter: (p.kind == "document").then(|| "crate::protocol::wire::Doc".to_owned()),
        });
    }
    let (kind, content_type) = if s.body_members.is_empty() {
        ("none", None)
    } else {
        ("json", content_type("application/json", None))
    };
    Ok(Body {
        kind: kind.into(),
        member: None,
        optional: false,
        content_type,
        adapter: None,
    })
}

fn needs_explicit_value(kind: &Kind) -> bool {
    // Collections default to empty on their own; everything else must be set.
    !matches!(kind, Kind::List(_) | Kind::Map(_))
}

fn map_key_ty(map_path: &str) -> String {
    let inner = map_path.trim_start_matches("::std::collections::HashMap<");
    inner
        .split_once(", ")
        .map_or("::std::string::String", |(k, _)| k)
        .to_owned()
}

fn into_arg(path: &str, kind: &Kind) -> String {
    match kind {
        Kind::String => "impl ::std::convert::Into<::std::string::String>".into(),
        Kind::Bool | Kind::Int | Kind::Float | Kind::IntEnum => path.to_owned(),
        _ => path.to_owned(),
    }
}

fn into_conv(kind: &Kind) -> String {
    match kind {
        Kind::String => "input.into()".into(),
        _ => "input".into(),
    }
}

/// The accessor's return type and body, as the official SDK writes them.
fn accessor(field: &str, rt: &RustType, optional: bool) -> (String, String) {
    match (&rt.kind, optional) {
        (Kind::String, true) => (
            "::std::option::Option<&str>".into(),
            format!("self.{field}.as_deref()"),
        ),
        (Kind::String, false) => ("&str".into(), format!("self.{field}.as_str()")),
        (Kind::List(item), true) => (
            format!("&[{}]", item.path),
            format!("self.{field}.as_deref().unwrap_or_default()"),
        ),
        (Kind::List(item), false) => (format!("&[{}]", item.path), format!("&self.{field}")),
        (kind, true) if kind.is_copy() => (
            format!("::std::option::Option<{}>", rt.path),
            format!("self.{field}"),
        ),
        (kind, false) if kind.is_copy() => (rt.path.clone(), format!("self.{field}")),
        (_, true) => (
            format!("::std::option::Option<&{}>", rt.path),
            format!("self.{field}.as_ref()"),
        ),
        (_, false) => (format!("&{}", rt.path), format!("&self.{field}")),
    }
}

/// The Rust expression of a `@default` value.
fn default_value(at: &str, rt: &RustType, value: &Value) -> Result<String, IrError> {
    let bad = || {
        trait_err(
            at,
            "smithy.api#default",
            format!("value {value} does not fit a {}", rt.kind.name()),
        )
    };
    Ok(match (&rt.kind, value) {
        (Kind::Bool, Value::Bool(b)) => b.to_string(),
        (Kind::Int | Kind::IntEnum, Value::Number(n)) if n.is_i64() => format!("{n}"),
        (Kind::Float, Value::Number(n)) => {
            format!("{}_{}", n.as_f64().ok_or_else(bad)?, rt.path)
        }
        (Kind::BigNumber, Value::Number(n)) => format!(
            "<{} as ::std::str::FromStr>::from_str(\"{n}\").expect(\"the model's default is a number\")",
            rt.path
        ),
        (Kind::String, Value::String(s)) => format!("{s:?}.to_owned()"),
        (Kind::Enum, Value::String(s)) => format!("{}::from({s:?})", rt.path),
        (Kind::List(_), Value::Array(a)) if a.is_empty() => "::std::vec::Vec::new()".into(),
        (Kind::Map(_), Value::Object(o)) if o.is_empty() => {
            "::std::collections::HashMap::new()".into()
        }
        (Kind::Blob, Value::String(s)) if s.is_empty() => {
            "::aws_smithy_types::Blob::new(::std::vec::Vec::new())".into()
        }
        (Kind::Timestamp, Value::Number(n)) => match n.as_i64() {
            Some(secs) => format!("::aws_smithy_types::DateTime::from_secs({secs})"),
            None => format!(
                "::aws_smithy_types::DateTime::from_secs_f64({}_f64)",
                n.as_f64().ok_or_else(bad)?
            ),
        },
        (Kind::Document, value) => format!(
            "crate::protocol::wire::document_literal({:?})",
            value.to_string()
        ),
        _ => return Err(bad()),
    })
}

/// The `#[serde(...)]` attributes of a member; `absent` is the function giving the
/// value of a non-optional member missing from the JSON.
fn serde_attrs(
    wire: &str,
    rt: &RustType,
    binding: &str,
    timestamp_format: Option<&str>,
    absent: Option<&str>,
    role: Role,
) -> String {
    if binding != "body" && binding != "payload" {
        // Not in the JSON body; a non-optional value still needs a value when the
        // structure is deserialized from a body.
        return match absent {
            Some(f) => format!("skip, default = {f:?}"),
            None => "skip".into(),
        };
    }
    let mut attrs = vec![format!("rename = {wire:?}")];
    if role == Role::Error && wire.eq_ignore_ascii_case("message") {
        // Services spell it `message`, `Message` or `errorMessage`.
        for alias in ["message", "Message", "errorMessage"] {
            if alias != wire {
                attrs.push(format!("alias = {alias:?}"));
            }
        }
    }
    match absent {
        None => {
            attrs.push("skip_serializing_if = \"::std::option::Option::is_none\"".into());
            attrs.push("default".into());
        }
        Some(f) => attrs.push(format!("default = {f:?}")),
    }
    if let Some(adapter) = wire_adapter(rt, timestamp_format) {
        attrs.push(format!(
            "serialize_with = \"crate::protocol::wire::serialize::<_, {adapter}, _>\", deserialize_with = \"crate::protocol::wire::deserialize::<_, {adapter}, _>\""
        ));
    }
    attrs.join(", ")
}

/// The wire adapter for values serde cannot (de)serialize on their own.
fn wire_adapter(rt: &RustType, timestamp_format: Option<&str>) -> Option<String> {
    match &rt.kind {
        Kind::Blob => Some("crate::protocol::wire::Base64".into()),
        Kind::Timestamp => Some(match timestamp_format.or(rt.format.as_deref()) {
            Some("date-time") => "crate::protocol::wire::DateTimeFormat".into(),
            Some("http-date") => "crate::protocol::wire::HttpDate".into(),
            _ => "crate::protocol::wire::EpochSeconds".into(),
        }),
        Kind::Document => Some("crate::protocol::wire::Doc".into()),
        Kind::BigNumber => Some("crate::protocol::wire::Big".into()),
        Kind::Float => Some("crate::protocol::wire::Float".into()),
        // Items carry their own format.
        Kind::List(item) | Kind::Map(item) => wire_adapter(item, None),
        _ => None,
    }
}

/// Expression turning `value` (a reference) into text (a `Cow<str>`) for a label, query
/// or header. A string with `@mediaType` travels base64-encoded in a header.
fn text_of(
    at: &str,
    rt: &RustType,
    timestamp_format: Option<&str>,
    media_type: bool,
    binding: &str,
) -> Result<String, IrError> {
    let ts_default = if binding == "header" {
        "HttpDate"
    } else {
        "DateTime"
    };
    Ok(match &rt.kind {
        Kind::String if media_type && binding == "header" => {
            "::std::borrow::Cow::Owned(::aws_smithy_types::base64::encode(value.as_bytes()))".into()
        }
        Kind::String => "::std::borrow::Cow::Borrowed(value.as_str())".into(),
        Kind::Enum => "::std::borrow::Cow::Borrowed(value.as_str())".into(),
        Kind::Bool | Kind::Int | Kind::IntEnum => {
            "::std::borrow::Cow::Owned(value.to_string())".into()
        }
        Kind::Float => "::std::borrow::Cow::Owned(crate::protocol::float_text(*value))".into(),
        Kind::BigNumber => "::std::borrow::Cow::Borrowed(value.as_ref())".into(),
        Kind::Timestamp => {
            let fmt = match timestamp_format.or(rt.format.as_deref()) {
                Some("date-time") => "DateTime",
                Some("http-date") => "HttpDate",
                Some("epoch-seconds") => "EpochSeconds",
                _ => ts_default,
            };
            format!("::std::borrow::Cow::Owned(value.fmt(::aws_smithy_types::date_time::Format::{fmt})?)")
        }
        Kind::Blob if binding != "label" => {
            "::std::borrow::Cow::Owned(::aws_smithy_types::base64::encode(value))".into()
        }
        Kind::List(item) if binding == "header" && !matches!(item.kind, Kind::List(_)) => {
            let inner = text_of(at, item, None, media_type, binding)?;
            format!("::std::borrow::Cow::Owned(crate::protocol::join_list(value.as_slice(), |value| ::std::result::Result::Ok({inner}))?)")
        }
        other => {
            return Err(trait_err(
                at,
                match binding {
                    "label" => "smithy.api#httpLabel",
                    "header" => "smithy.api#httpHeader",
                    _ => "smithy.api#httpQuery",
                },
                format!("a {} cannot be bound to the {binding}", other.name()),
            ))
        }
    })
}

/// Expression parsing `text` (`&str`) into the member's value type (for response headers
/// and the status code).
fn parse_of(
    at: &str,
    rt: &RustType,
    timestamp_format: Option<&str>,
    media_type: bool,
) -> Result<String, IrError> {
    let header_err = "|e| crate::protocol::header_error(text, e)";
    Ok(match &rt.kind {
        Kind::String if media_type => format!(
            "::std::string::String::from_utf8(::aws_smithy_types::base64::decode(text.trim()).map_err({header_err})?).map_err({header_err})?"
        ),
        Kind::String => "text.to_owned()".into(),
        Kind::Enum => format!("{}::from(text.trim())", rt.path),
        // Rust parses `NaN`, `Infinity` and `-Infinity` as restJson1 writes them.
        Kind::Bool | Kind::Int | Kind::IntEnum | Kind::Float | Kind::BigNumber => format!(
            "text.trim().parse::<{}>().map_err({header_err})?",
            rt.path
        ),
        Kind::Blob => format!(
            "::aws_smithy_types::Blob::new(::aws_smithy_types::base64::decode(text.trim()).map_err({header_err})?)"
        ),
        Kind::Timestamp => {
            let fmt = match timestamp_format.or(rt.format.as_deref()) {
                Some("date-time") => "DateTime",
                Some("epoch-seconds") => "EpochSeconds",
                _ => "HttpDate",
            };
            format!(
                "::aws_smithy_types::DateTime::from_str(text.trim(), ::aws_smithy_types::date_time::Format::{fmt}).map_err({header_err})?"
            )
        }
        Kind::List(item) => {
            let conv = match &item.kind {
                Kind::String if !media_type => "::std::result::Result::Ok(s.to_owned())".to_owned(),
                Kind::Enum => format!("::std::result::Result::Ok({}::from(s))", item.path),
                Kind::Bool | Kind::Int | Kind::IntEnum | Kind::Float => {
                    format!("s.parse::<{}>().map_err({header_err})", item.path)
                }
                other => {
                    return Err(trait_err(
                        at,
                        "smithy.api#httpHeader",
                        format!("a list of {} cannot be read from a header", other.name()),
                    ))
                }
            };
            format!("crate::protocol::split_header(text).map(|s| {conv}).collect::<::std::result::Result<_, ::aws_smithy_runtime_api::box_error::BoxError>>()?")
        }
        other => {
            return Err(trait_err(
                at,
                "smithy.api#httpHeader",
                format!("a {} cannot be read from a header", other.name()),
            ))
        }
    })
}

/// Every structure and union that the IR names, by Rust name (for template lookups in tests).
pub fn type_names(krate: &Crate) -> IndexMap<String, &'static str> {
    let mut names = IndexMap::new();
    for s in &krate.structures {
        names.insert(s.name.clone(), "structure");
    }
    for s in &krate.errors {
        names.insert(s.name.clone(), "error");
    }
    for e in &krate.enums {
        names.insert(e.name.clone(), "enum");
    }
    for u in &krate.unions {
        names.insert(u.name.clone(), "union");
    }
    names
}
