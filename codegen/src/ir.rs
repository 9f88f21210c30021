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
    #[error("the model has {0} service shapes; this generator writes one crate per service")]
    ManyServices(usize),
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

#[derive(Debug, Clone, Serialize)]
pub struct Paginated {
    pub input_token: Option<String>,
    pub output_token: Option<String>,
    pub page_size: Option<String>,
    pub items: Option<String>,
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
    pub name: String,
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
    pub variants: Vec<Member>,
    pub sensitive: bool,
    pub checks: Vec<UnionCheck>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnionCheck {
    pub variant: String,
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
            many => return Err(IrError::ManyServices(many.len())),
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
                self.collect(&r.target, &mut reachable)?;
            }
            for e in op.errors.iter().chain(&self.service.errors) {
                self.collect(&e.target, &mut reachable)?;
            }
            operations.push(self.operation(op_id, op)?);
        }

        let mut structures = Vec::new();
        let mut errors = Vec::new();
        let mut enums = Vec::new();
        let mut unions = Vec::new();
        for id in &reachable {
            let shape = self.shape(id)?;
            match shape {
                Shape::Structure(s) if s.traits.contains_key("smithy.api#error") => {
                    errors.push(self.structure(id, s, Role::Error)?)
                }
                Shape::Structure(s) if !io_shapes.contains(id) => {
                    structures.push(self.structure(id, s, Role::Plain)?)
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
                for m in s.members.values() {
                    self.collect(&m.target, out)?;
                }
            }
            Shape::List(c) | Shape::Set(c) => self.collect(&c.member.target, out)?,
            Shape::Map(m) => {
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
            return Ok(RustType { path, kind });
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
                let item = self.rust_type(&c.member.target)?;
                (
                    format!("::std::vec::Vec<{}>", item.path),
                    Kind::List(Box::new(item)),
                )
            }
            Shape::Map(m) => {
                let key = self.rust_type(&m.key.target)?;
                if key.kind != Kind::String && key.kind != Kind::Enum {
                    return Err(shape_err(id, "map keys must be strings"));
                }
                let value = self.rust_type(&m.value.target)?;
                (
                    format!("::std::collections::HashMap<{}, {}>", key.path, value.path),
                    Kind::Map(Box::new(value)),
                )
            }
            Shape::Structure(s) if s.traits.contains_key("smithy.api#error") => {
                (format!("crate::types::error::{name}"), Kind::Structure)
            }
            Shape::Structure(_) => (format!("crate::types::{name}"), Kind::Structure),
            Shape::Union(_) => (format!("crate::types::{name}"), Kind::Union),
            other => {
                return Err(shape_err(
                    id,
                    format!("a {} cannot be a member target", other.type_name()),
                ))
            }
        };
        Ok(RustType { path, kind })
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

        let input = match &op.input {
            Some(r) if r.target != UNIT => {
                let Shape::Structure(s) = self.shape(&r.target)? else {
                    return Err(shape_err(&r.target, "operation input must be a structure"));
                };
                let mut st = self.structure(&r.target, s, Role::Input)?;
                st.name = format!("{name}Input");
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
                let mut st = self.structure(&r.target, s, Role::Output)?;
                st.name = format!("{name}Output");
                st
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

        let paginated = op.traits.get("smithy.api#paginated").map(|p| {
            let s = |k: &str| p.get(k).and_then(Value::as_str).map(snake);
            Paginated {
                input_token: s("inputToken"),
                output_token: s("outputToken"),
                page_size: s("pageSize"),
                items: s("items"),
            }
        });

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
            input,
            output,
            errors,
            has_retryable_errors,
            idempotency_tokens,
            paginated,
            uri_capacity: uri.len() + 64,
        })
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
        let bound = input
            .members
            .iter()
            .filter(|m| m.binding == "label")
            .count();
        let used = parts.iter().filter(|p| p.label.is_some()).count();
        if bound != used {
            return Err(trait_err(
                op,
                "smithy.api#httpLabel",
                "an input member is bound with @httpLabel but its label is not in the URI",
            ));
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
    ) -> Result<Structure, IrError> {
        let mut members = Vec::new();
        let mut checks = Vec::new();
        for (mname, m) in &s.members {
            let member = self.member(id, mname, m, role)?;
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
            name: pascal(shape_name(id)),
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
        name: &str,
        m: &ast::Member,
        role: Role,
    ) -> Result<Member, IrError> {
        let at = format!("{owner}${name}");
        let rt = self.rust_type(&m.target)?;
        let field = snake(name);
        let bare_name = bare(&field).to_owned();
        let traits = &m.traits;
        let required = traits.contains_key("smithy.api#required");
        let default = traits.get("smithy.api#default").or_else(|| {
            // A target's default applies only to members that do not say otherwise.
            self.model
                .shapes
                .get(&m.target)
                .and_then(|s| s.traits().get("smithy.api#default"))
        });
        let has_default = default.is_some_and(|d| !d.is_null())
            && traits
                .get("smithy.api#default")
                .is_none_or(|d| !d.is_null());
        let client_optional = traits.contains_key("smithy.api#clientOptional");
        // Nullability as the official SDK decides it: inputs and errors are all optional;
        // elsewhere a required or defaulted member is a plain value.
        let optional = match role {
            Role::Input | Role::Error => true,
            Role::Output | Role::Plain => client_optional || !(required || has_default),
        };
        let default_expr = if optional {
            None
        } else if has_default {
            Some(default_value(&at, &rt, default.expect("has_default"))?)
        } else {
            None
        };
        let build_required = !optional && default_expr.is_none() && needs_explicit_value(&rt.kind);

        let (binding, location) = binding_of(&at, traits, role)?;
        if binding == "label" && !required {
            return Err(trait_err(
                &at,
                "smithy.api#httpLabel",
                "a label member must also be @required",
            ));
        }
        let sensitive = self.is_sensitive(&m.target, traits);
        let ty = if optional {
            format!("::std::option::Option<{}>", rt.path)
        } else {
            rt.path.clone()
        };

        let (setter, setter_arg, setter_conv, item_ty, key_ty) = match &rt.kind {
            Kind::List(item) => (
                "list",
                into_arg(&item.path, &item.kind),
                into_conv(&item.kind),
                Some(item.path.clone()),
                None,
            ),
            Kind::Map(value) => (
                "map",
                into_arg(&value.path, &value.kind),
                into_conv(&value.kind),
                Some(value.path.clone()),
                Some(map_key_ty(&rt.path)),
            ),
            kind => (
                "value",
                into_arg(&rt.path, kind),
                into_conv(kind),
                None,
                None,
            ),
        };
        let (accessor_ty, accessor_expr) = accessor(&field, &rt, optional);

        let timestamp_format = self.timestamp_format(&m.target, traits);
        let serde = serde_attrs(
            name,
            traits,
            &rt,
            optional,
            &binding,
            timestamp_format.as_deref(),
            default_expr.is_some(),
            role,
        );
        let to_str = match binding.as_str() {
            "label" | "query" | "header" => {
                Some(text_of(&at, &rt, timestamp_format.as_deref(), &binding)?)
            }
            _ => None,
        };
        let from_str = match binding.as_str() {
            "header" | "response_code" => Some(parse_of(&at, &rt, timestamp_format.as_deref())?),
            _ => None,
        };
        Ok(Member {
            name: name.to_owned(),
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
        })
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
            out.push(format!(
                "crate::constraints::check_range(*{value} as f64, {}, {}, &{path_var})?;",
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
        let mut variants = Vec::new();
        let mut checks = Vec::new();
        for (mname, m) in &s.members {
            if m.target == UNIT {
                return Err(shape_err(
                    &format!("{id}${mname}"),
                    "unit union members are not supported by this generator",
                ));
            }
            let mut member = self.member(id, mname, m, Role::Input)?;
            member.field = variant(mname);
            let lines = self.value_checks(
                &format!("{id}${mname}"),
                &m.target,
                &m.traits,
                "value",
                "p",
                0,
            )?;
            if !lines.is_empty() {
                checks.push(UnionCheck {
                    variant: member.field.clone(),
                    lines,
                });
            }
            variants.push(member);
        }
        Ok(Union {
            shape_id: id.to_owned(),
            name: pascal(shape_name(id)),
            docs: docs::of(&s.traits),
            sensitive: s.traits.contains_key("smithy.api#sensitive"),
            variants,
            checks,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Input,
    Output,
    Error,
    Plain,
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
    if let Some(p) = s.members.iter().find(|m| m.binding == "payload") {
        let kind = match p.kind.as_str() {
            "structure" | "union" | "document" => "payload_json",
            "blob" => "payload_blob",
            "string" | "enum" => "payload_string",
            other => {
                return Err(trait_err(
                    op,
                    "smithy.api#httpPayload",
                    format!("a {other} payload is not supported"),
                ))
            }
        };
        if !s.body_members.is_empty() {
            return Err(trait_err(
                op,
                "smithy.api#httpPayload",
                "a payload member excludes other body members",
            ));
        }
        return Ok(Body {
            kind: kind.into(),
            member: Some(p.field.clone()),
        });
    }
    let kind = if s.body_members.is_empty() {
        "none"
    } else {
        "json"
    };
    Ok(Body {
        kind: kind.into(),
        member: None,
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
            format!("{}_f64 as {}", n.as_f64().ok_or_else(bad)?, rt.path)
        }
        (Kind::String, Value::String(s)) => format!("{s:?}.to_owned()"),
        (Kind::Enum, Value::String(s)) => format!("{}::from({s:?})", rt.path),
        (Kind::List(_), Value::Array(a)) if a.is_empty() => "::std::vec::Vec::new()".into(),
        (Kind::Map(_), Value::Object(o)) if o.is_empty() => {
            "::std::collections::HashMap::new()".into()
        }
        (Kind::Blob, Value::String(s)) if s.is_empty() => {
            "::aws_smithy_types::Blob::new(::std::vec::Vec::new())".into()
        }
        (Kind::Timestamp, Value::Number(n)) => format!(
            "::aws_smithy_types::DateTime::from_secs({})",
            n.as_i64().ok_or_else(bad)?
        ),
        (Kind::Document, Value::Null) => "::aws_smithy_types::Document::Null".into(),
        _ => return Err(bad()),
    })
}

/// The `#[serde(...)]` attributes of a member.
#[allow(clippy::too_many_arguments)]
fn serde_attrs(
    name: &str,
    traits: &Traits,
    rt: &RustType,
    optional: bool,
    binding: &str,
    timestamp_format: Option<&str>,
    has_default: bool,
    role: Role,
) -> String {
    if binding != "body" && binding != "payload" {
        return "skip".into();
    }
    let wire = traits
        .get("smithy.api#jsonName")
        .and_then(Value::as_str)
        .unwrap_or(name);
    let mut attrs = vec![format!("rename = {wire:?}")];
    if role == Role::Error && wire.eq_ignore_ascii_case("message") {
        // Services spell it `message`, `Message` or `errorMessage`.
        for alias in ["message", "Message", "errorMessage"] {
            if alias != wire {
                attrs.push(format!("alias = {alias:?}"));
            }
        }
    }
    if optional {
        attrs.push("skip_serializing_if = \"::std::option::Option::is_none\"".into());
        attrs.push("default".into());
    } else if has_default {
        attrs.push("default".into());
    } else {
        // Required but absent in a response: correct to an empty value, as the official SDK does.
        attrs.push("default = \"crate::protocol::corrected\"".into());
    }
    if let Some(adapter) = wire_adapter(rt, timestamp_format) {
        attrs.push(format!(
            "serialize_with = \"crate::protocol::wire::serialize::<_, {adapter}>\", deserialize_with = \"crate::protocol::wire::deserialize::<_, {adapter}>\""
        ));
    }
    attrs.join(", ")
}

/// The wire adapter for values serde cannot (de)serialize on their own.
fn wire_adapter(rt: &RustType, timestamp_format: Option<&str>) -> Option<String> {
    match &rt.kind {
        Kind::Blob => Some("crate::protocol::wire::Base64".into()),
        Kind::Timestamp => Some(match timestamp_format {
            Some("date-time") => "crate::protocol::wire::DateTimeFormat".into(),
            Some("http-date") => "crate::protocol::wire::HttpDate".into(),
            _ => "crate::protocol::wire::EpochSeconds".into(),
        }),
        Kind::Document => Some("crate::protocol::wire::Doc".into()),
        Kind::BigNumber => Some("crate::protocol::wire::Big".into()),
        Kind::List(item) | Kind::Map(item) => wire_adapter(item, timestamp_format),
        _ => None,
    }
}

/// Expression turning `value` (a reference) into text for a label, query or header.
fn text_of(
    at: &str,
    rt: &RustType,
    timestamp_format: Option<&str>,
    binding: &str,
) -> Result<String, IrError> {
    let ts_default = if binding == "header" {
        "HttpDate"
    } else {
        "DateTime"
    };
    Ok(match &rt.kind {
        Kind::String => "::std::borrow::Cow::Borrowed(value.as_str())".into(),
        Kind::Enum => "::std::borrow::Cow::Borrowed(value.as_str())".into(),
        Kind::Bool | Kind::Int | Kind::IntEnum | Kind::Float => {
            "::std::borrow::Cow::Owned(value.to_string())".into()
        }
        Kind::BigNumber => "::std::borrow::Cow::Borrowed(value.as_ref())".into(),
        Kind::Timestamp => {
            let fmt = match timestamp_format {
                Some("date-time") => "DateTime",
                Some("http-date") => "HttpDate",
                Some("epoch-seconds") => "EpochSeconds",
                _ => ts_default,
            };
            format!("::std::borrow::Cow::Owned(value.fmt(::aws_smithy_types::date_time::Format::{fmt})?)")
        }
        Kind::Blob if binding == "header" => {
            "::std::borrow::Cow::Owned(::aws_smithy_types::base64::encode(value))".into()
        }
        Kind::List(item) if binding != "label" => {
            let inner = text_of(at, item, timestamp_format, binding)?;
            format!("crate::protocol::join_list(value, |value| Ok({inner}))?")
        }
        other => {
            return Err(trait_err(
                at,
                if binding == "label" {
                    "smithy.api#httpLabel"
                } else {
                    "smithy.api#httpQuery"
                },
                format!("a {} cannot be bound to the {binding}", other.name()),
            ))
        }
    })
}

/// Expression parsing `text` (`&str`) into the member's value type (for response headers).
fn parse_of(at: &str, rt: &RustType, timestamp_format: Option<&str>) -> Result<String, IrError> {
    Ok(match &rt.kind {
        Kind::String => "text.to_owned()".into(),
        Kind::Enum => format!("{}::from(text)", rt.path),
        Kind::Bool | Kind::Int | Kind::IntEnum | Kind::Float => {
            format!(
                "text.trim().parse::<{}>().map_err(|e| crate::protocol::header_error(text, e))?",
                rt.path
            )
        }
        Kind::Timestamp => {
            let fmt = match timestamp_format {
                Some("date-time") => "DateTime",
                Some("epoch-seconds") => "EpochSeconds",
                _ => "HttpDate",
            };
            format!(
                "::aws_smithy_types::DateTime::from_str(text.trim(), ::aws_smithy_types::date_time::Format::{fmt}).map_err(|e| crate::protocol::header_error(text, e))?"
            )
        }
        Kind::List(item) if matches!(item.kind, Kind::String | Kind::Enum) => {
            let conv = if item.kind == Kind::Enum {
                format!("{}::from(s)", item.path)
            } else {
                "s.to_owned()".into()
            };
            format!("crate::protocol::split_header(text).map(|s| {conv}).collect()")
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
