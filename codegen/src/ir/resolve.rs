//! AST → IR: finds the service and the closure of the chosen operations, and
//! interprets every trait the generated API depends on.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToShoutySnakeCase;
use serde_json::Value;

use super::*;
use crate::ast::{self, Model, Shape, Traits};
use crate::docs;
use crate::endpoint::ParamKind;
use crate::naming::{bare, pascal, shape_name, snake, variant};

const PRELUDE: &str = "smithy.api#";
const UNIT: &str = "smithy.api#Unit";
const SIGV4: &str = "aws.auth#sigv4";
const ENDPOINT: &str = "smithy.api#endpoint";
const STREAMING: &str = "smithy.api#streaming";
const CHECKSUM_REQUIRED: &str = "smithy.api#httpChecksumRequired";
const FLEXIBLE_CHECKSUMS: &str = "aws.protocols#httpChecksum";
const DISCOVERED_ENDPOINT: &str = "aws.api#clientDiscoveredEndpoint";

fn shape_err(shape: &str, problem: impl Into<String>) -> IrError {
    IrError::Shape {
        shape: shape.to_owned(),
        problem: problem.into(),
    }
}

/// The `min` and `max` of a `@length` or `@range` trait (`None` without the trait),
/// refused on a type the trait cannot apply to.
fn bounds<T>(
    at: &str,
    trait_id: &str,
    value: Option<&Value>,
    applies: bool,
    read: fn(&Value) -> Option<T>,
) -> Result<Option<Bounds<T>>, IrError> {
    let Some(value) = value else {
        return Ok(None);
    };
    if !applies {
        return Err(trait_err(at, trait_id, "cannot apply to this type"));
    }
    Ok(Some(Bounds {
        min: value.get("min").and_then(read),
        max: value.get("max").and_then(read),
    }))
}

fn trait_err(shape: &str, trait_id: &str, problem: impl Into<String>) -> IrError {
    IrError::Trait {
        shape: shape.to_owned(),
        trait_id: trait_id.to_owned(),
        problem: problem.into(),
    }
}

/// Resolves `model` into the IR of one crate. The result depends on the set of chosen
/// operations, never on the order they were given in.
pub fn resolve(model: &Model, options: &Options) -> Result<Crate, IrError> {
    Resolver::new(model)?.resolve(options)
}

/// Questions about a model answered with the generator's own rules, for tools that compare
/// models (`diff`) and need facts a [`Crate`] does not keep.
pub struct Lookup<'m>(Resolver<'m>);

impl<'m> Lookup<'m> {
    /// Fails like [`resolve`] on a model without exactly one service in a protocol the
    /// generator writes.
    pub fn new(model: &'m Model) -> Result<Self, IrError> {
        Resolver::new(model).map(Lookup)
    }

    /// The service shape, with its id.
    pub fn service(&self) -> (&str, &'m ast::Service) {
        (&self.0.service_id, self.0.service)
    }

    /// The ids of the operations the service binds, directly or through resources.
    pub fn operations(&self) -> Result<BTreeSet<String>, IrError> {
        self.0.service_operations()
    }

    /// The type of a value of shape `target`, as a member or collection member with
    /// `member_traits` refers to it.
    pub fn type_of(&self, target: &str, member_traits: &Traits) -> Result<Type, IrError> {
        self.0.type_of(target, member_traits)
    }

    /// The `@default` the model gives member `member_id` (its own, else its target's) as
    /// the generator reads it: none when `null` or outside the value's `@range`/`@length`.
    /// Whether the generated field uses it depends on the field's nullability (see
    /// [`Member::default`]).
    pub fn default_of(
        &self,
        member_id: &str,
        member: &ast::Member,
    ) -> Result<Option<DefaultValue>, IrError> {
        let ty = self.0.type_of(&member.target, &member.traits)?;
        self.0
            .default_of(member_id, &member.target, &member.traits, &ty)
    }
}

/// Methods generated structures, builders and fluent builders define themselves; a
/// member with one of these names gets a `_value` suffix, as in the official SDK.
const RESERVED_MEMBER_NAMES: &[&str] = &[
    "builder",
    "build",
    "meta",
    "send",
    "send_with",
    "as_input",
    "into_paginator",
    "customize",
    "config_override",
    "set_config_override",
];

/// The Rust field of a member.
fn member_field(name: &str) -> String {
    match snake(name) {
        field if RESERVED_MEMBER_NAMES.contains(&field.as_str()) => format!("{field}_value"),
        field => field,
    }
}

struct Resolver<'m> {
    model: &'m Model,
    service_id: String,
    service: &'m ast::Service,
    protocol: Protocol,
    /// `@awsQueryCompatible`: errors are known by their `@awsQueryError` codes.
    query_compatible: bool,
    unchecked: BTreeMap<String, UncheckedPattern>,
    /// The ids (`Shape$member`) of the members whose values are boxed.
    boxed: BTreeSet<String>,
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
        for (id, shape) in &model.shapes {
            check_shape_id(id)?;
            if let Shape::Structure(s) | Shape::Union(s) | Shape::Enum(s) | Shape::IntEnum(s) =
                shape
            {
                if let Some(member) = s.members.keys().find(|m| !is_identifier(m)) {
                    return Err(shape_err(
                        id,
                        format!(
                            "member name {member:?} is not a Smithy identifier (a letter or `_`, \
                             then letters, digits and `_`); rename the member"
                        ),
                    ));
                }
            }
        }
        // Every other pass recurses through list and map members: refuse a collection that
        // holds itself before any of them runs (it would never end).
        if let Some(cycle) = find_cycle(model, model.shapes.keys(), |_, shape| {
            collection_targets(shape)
        }) {
            return Err(shape_err(
                &cycle[0],
                format!(
                    "holds itself through lists and maps only ({}); Smithy allows recursion \
                     only through a structure or union member, so put one in the cycle",
                    cycle.join(" -> ")
                ),
            ));
        }
        let protocol = protocol_of(service_id, service)?;
        let query_compatible = query_compatible_of(service_id, service, protocol)?;
        Ok(Self {
            model,
            service_id: service_id.clone(),
            service,
            protocol,
            query_compatible,
            unchecked: BTreeMap::new(),
            boxed: BTreeSet::new(),
        })
    }

    fn shape(&self, id: &str) -> Result<&'m Shape, IrError> {
        self.model
            .shapes
            .get(id)
            .ok_or_else(|| shape_err(id, "is referenced but not defined in the model"))
    }

    /// Every operation bound to the service, directly or through resources.
    fn service_operations(&self) -> Result<BTreeSet<String>, IrError> {
        let mut found: BTreeSet<String> = self
            .service
            .operations
            .iter()
            .map(|o| o.target.clone())
            .collect();
        let mut resources: Vec<String> = self
            .service
            .resources
            .iter()
            .map(|r| r.target.clone())
            .collect();
        let mut seen = BTreeSet::new();
        while let Some(id) = resources.pop() {
            if !seen.insert(id.clone()) {
                continue;
            }
            let Shape::Resource(resource) = self.shape(&id)? else {
                return Err(shape_err(&id, "is listed as a resource but is not one"));
            };
            found.extend(resource.bound_operations().map(|o| o.target.clone()));
            resources.extend(resource.resources.iter().map(|r| r.target.clone()));
        }
        Ok(found)
    }

    fn resolve(mut self, options: &Options) -> Result<Crate, IrError> {
        let all_ops = self.service_operations()?;
        let chosen: BTreeSet<&String> = if options.operations.is_empty() {
            all_ops.iter().collect()
        } else {
            options
                .operations
                .iter()
                .map(|name| {
                    all_ops
                        .iter()
                        .find(|id| shape_name(id) == name)
                        .ok_or_else(|| {
                            let known: Vec<&str> =
                                all_ops.iter().map(|id| shape_name(id)).collect();
                            IrError::UnknownOperation(name.clone(), known.join(", "))
                        })
                })
                .collect::<Result<_, _>>()?
        };

        let uses: Vec<UnsupportedUse> = chosen
            .iter()
            .map(|op_id| self.unsupported_use(op_id))
            .filter_map(Result::transpose)
            .collect::<Result<_, _>>()?;
        if !uses.is_empty() {
            // An operation whose closure cannot even be walked is not offered either.
            let supported = all_ops
                .iter()
                .filter(|op_id| matches!(self.unsupported_use(op_id), Ok(None)))
                .map(|op_id| shape_name(op_id).to_owned())
                .collect();
            return Err(IrError::UnsupportedOperations { uses, supported });
        }

        // The closure of shapes the chosen operations reach.
        let mut reachable = BTreeSet::new();
        let mut chosen_ops = Vec::new();
        for op_id in chosen {
            let Shape::Operation(op) = self.shape(op_id)? else {
                return Err(shape_err(op_id, "is bound as an operation but is not one"));
            };
            for r in op.input.iter().chain(&op.output) {
                self.collect_members(&r.target, &mut reachable)?;
            }
            for e in op.errors.iter().chain(&self.service.errors) {
                self.collect(&e.target, &mut reachable)?;
            }
            chosen_ops.push((op_id, op));
        }
        self.boxed = boxed_members(self.model, &reachable);
        let mut operations = Vec::new();
        for (op_id, op) in chosen_ops {
            operations.push(self.operation(op_id, op)?);
        }
        operations.sort_by(|a, b| a.name.cmp(&b.name));

        let mut structures = Vec::new();
        let mut errors = Vec::new();
        let mut enums = Vec::new();
        let mut int_enums = Vec::new();
        let mut unions = Vec::new();
        for id in &reachable {
            match self.shape(id)? {
                Shape::Structure(s) if s.traits.contains_key("smithy.api#error") => {
                    errors.push(self.structure(id, s, Role::Error, pascal(shape_name(id)))?)
                }
                Shape::Structure(s) => {
                    structures.push(self.structure(id, s, Role::Plain, pascal(shape_name(id)))?)
                }
                Shape::Enum(s) => enums.push(self.enumeration(id, s)?),
                Shape::IntEnum(s) => int_enums.push(self.int_enum(id, s)?),
                Shape::String(s) if s.traits.contains_key("smithy.api#enum") => {
                    return Err(trait_err(
                        id,
                        "smithy.api#enum",
                        "an `@enum` string must be upgraded to an enum shape first (see `upgrade`)",
                    ));
                }
                Shape::Union(s) => unions.push(self.union(id, s)?),
                _ => {}
            }
        }
        structures.sort_by(|a, b| a.name.cmp(&b.name));
        errors.sort_by(|a, b| a.name.cmp(&b.name));
        enums.sort_by(|a, b| a.name.cmp(&b.name));
        int_enums.sort_by(|a, b| a.name.cmp(&b.name));
        unions.sort_by(|a, b| a.name.cmp(&b.name));
        check_type_names(&structures, &errors, &enums, &int_enums, &unions)?;

        let mut all_errors: Vec<ErrorRef> = Vec::new();
        for e in operations.iter().flat_map(|o| &o.errors) {
            if !all_errors.iter().any(|x| x.name == e.name) {
                all_errors.push(e.clone());
            }
        }
        all_errors.sort_by(|a, b| a.name.cmp(&b.name));

        let endpoint = crate::endpoint::endpoint_module(&json_map(&self.service.traits))?
            .ok_or_else(|| {
                trait_err(
                    &self.service_id,
                    "smithy.rules#endpointRuleSet",
                    "missing: the generated client resolves endpoints from the rule set",
                )
            })?;
        let service = self.service_info()?;
        Ok(Crate {
            lib_name: options.crate_name.replace('-', "_"),
            crate_name: options.crate_name.clone(),
            service,
            has_paginators: operations.iter().any(|o| o.paginated.is_some()),
            uses_idempotency_tokens: operations.iter().any(|o| o.idempotency_token.is_some()),
            uses_byte_streams: operations
                .iter()
                .any(|o| o.input.holds_stream || o.output.holds_stream),
            operations,
            structures,
            errors,
            all_errors,
            enums,
            int_enums,
            unions,
            unchecked_patterns: self.unchecked.into_values().collect(),
            endpoint,
            shapes: reachable,
        })
    }

    fn service_info(&self) -> Result<Service, IrError> {
        let traits = &self.service.traits;
        let sdk_id = traits
            .get("aws.api#service")
            .and_then(|v| v["sdkId"].as_str())
            .map(|sdk_id| wire_text(&self.service_id, "the sdkId of `aws.api#service`", sdk_id))
            .transpose()?
            .unwrap_or_else(|| shape_name(&self.service_id).to_owned());
        let signing_name = traits
            .get("aws.auth#sigv4")
            .and_then(|v| v["name"].as_str())
            .ok_or_else(|| {
                trait_err(
                    &self.service_id,
                    "aws.auth#sigv4",
                    "missing: the generated client signs with SigV4 and needs the signing name",
                )
            })
            .and_then(|name| wire_text(&self.service_id, "the SigV4 signing name", name))?;
        Ok(Service {
            shape_id: self.service_id.clone(),
            name: shape_name(&self.service_id).to_owned(),
            sdk_id_compact: sdk_id.to_lowercase().replace(' ', ""),
            sdk_id,
            signing_name,
            version: wire_text(
                &self.service_id,
                "the service version",
                &self.service.version,
            )?,
            docs: docs::of(traits),
            protocol: self.protocol,
            query_compatible: self.query_compatible,
        })
    }

    /// The first construct operation `op_id` reaches that the generator does not write:
    /// an auth scheme other than SigV4, a request or response checksum, a required
    /// endpoint discovery, an endpoint parameter taken from a path into the input or an
    /// event stream. Checked before anything is resolved, so the error can name
    /// every such operation and the ones left.
    fn unsupported_use(&self, op_id: &str) -> Result<Option<UnsupportedUse>, IrError> {
        let Shape::Operation(op) = self.shape(op_id)? else {
            return Ok(None);
        };
        let found = |shape: &str, trait_id: &str, what| {
            Ok(Some(UnsupportedUse {
                operation: shape_name(op_id).to_owned(),
                shape: shape.to_owned(),
                trait_id: trait_id.to_owned(),
                what,
            }))
        };
        let (at, schemes) = self.auth_schemes(op_id, &op.traits)?;
        if schemes.iter().any(|s| *s != SIGV4) {
            return found(at, "smithy.api#auth", "an auth scheme other than SigV4");
        }
        // Checksums the official SDKs compute or request on the wire (a `Content-MD5` or
        // `x-amz-checksum-*` header, `x-amz-checksum-mode`): a client without them would
        // send other bytes than the official one, or be refused by the service.
        for (trait_id, what) in [
            (CHECKSUM_REQUIRED, "a request checksum the service requires"),
            (FLEXIBLE_CHECKSUMS, "request or response checksums"),
        ] {
            if op.traits.contains_key(trait_id) {
                return found(op_id, trait_id, what);
            }
        }
        // The service answers such an operation only at an endpoint the client first asks
        // it for (Timestream); the official crates have a customization for that.
        if op
            .traits
            .get(DISCOVERED_ENDPOINT)
            .and_then(|t| t["required"].as_bool())
            == Some(true)
        {
            return found(
                op_id,
                DISCOVERED_ENDPOINT,
                "an endpoint the client must discover first",
            );
        }
        // An endpoint parameter read from a path into the input (`A.B`, `A[*]`,
        // `keys(A)`): only a top-level member is written.
        const OPERATION_CONTEXT: &str = "smithy.rules#operationContextParams";
        if let Some(Value::Object(params)) = op.traits.get(OPERATION_CONTEXT) {
            let deep = params
                .values()
                .any(|p| !p["path"].as_str().is_some_and(is_identifier));
            if deep {
                return found(
                    op_id,
                    OPERATION_CONTEXT,
                    "an endpoint parameter taken from a path into the input",
                );
            }
        }
        let mut reached = BTreeSet::new();
        for r in op.input.iter().chain(&op.output) {
            self.collect_members(&r.target, &mut reached)?;
        }
        for e in &op.errors {
            self.collect(&e.target, &mut reached)?;
        }
        for id in &reached {
            if let Shape::Union(s) = self.shape(id)? {
                if s.traits.contains_key(STREAMING) {
                    return found(id, STREAMING, "an event stream");
                }
            }
        }
        Ok(None)
    }

    /// Adds the shapes the members of structure `id` reach (not `id` itself: operation
    /// inputs and outputs are generated with their operation).
    fn collect_members(&self, id: &str, out: &mut BTreeSet<String>) -> Result<(), IrError> {
        if id == UNIT {
            return Ok(());
        }
        let Shape::Structure(s) = self.shape(id)? else {
            return Err(shape_err(
                id,
                "an operation's input and output must be structures",
            ));
        };
        self.no_mixins(id, s)?;
        for m in s.members.values() {
            self.collect(&m.target, out)?;
        }
        Ok(())
    }

    fn no_mixins(&self, id: &str, s: &ast::Aggregate) -> Result<(), IrError> {
        if s.mixins.is_empty() {
            Ok(())
        } else {
            Err(shape_err(id, "uses mixins; flatten them into the shape (the JSON AST from `smithy build` already does)"))
        }
    }

    /// Adds `id` and everything it references to `out`.
    fn collect(&self, id: &str, out: &mut BTreeSet<String>) -> Result<(), IrError> {
        if id.starts_with(PRELUDE) || !out.insert(id.to_owned()) {
            return Ok(());
        }
        match self.shape(id)? {
            Shape::Structure(s) | Shape::Union(s) => {
                self.no_mixins(id, s)?;
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

    /// The traits of a member's target shape (none for prelude shapes).
    fn target_traits(&self, target: &str) -> Result<Option<&'m Traits>, IrError> {
        if target.starts_with(PRELUDE) {
            Ok(None)
        } else {
            Ok(Some(self.shape(target)?.traits()))
        }
    }

    /// The type of shape `id`; `member_traits` are those of the member or collection
    /// member referring to it (a `@timestampFormat` there wins).
    fn type_of(&self, id: &str, member_traits: &Traits) -> Result<Type, IrError> {
        if let Some(name) = id.strip_prefix(PRELUDE) {
            return Ok(match name {
                "String" => Type::String,
                "Boolean" | "PrimitiveBoolean" => Type::Bool,
                "Byte" | "PrimitiveByte" => Type::Byte,
                "Short" | "PrimitiveShort" => Type::Short,
                "Integer" | "PrimitiveInteger" => Type::Integer,
                "Long" | "PrimitiveLong" => Type::Long,
                "Float" | "PrimitiveFloat" => Type::Float,
                "Double" | "PrimitiveDouble" => Type::Double,
                "BigInteger" => Type::BigInteger,
                "BigDecimal" => Type::BigDecimal,
                "Blob" => Type::Blob,
                "Timestamp" => Type::Timestamp(timestamp_format(id, member_traits, None)?),
                "Document" => Type::Document,
                _ => return Err(shape_err(id, "is not a prelude shape this generator knows")),
            });
        }
        let name = pascal(shape_name(id));
        let shape = self.shape(id)?;
        Ok(match shape {
            Shape::String(_) => Type::String,
            Shape::Enum(_) => Type::Enum(name),
            Shape::IntEnum(_) => Type::IntEnum(name),
            Shape::Boolean(_) => Type::Bool,
            Shape::Byte(_) => Type::Byte,
            Shape::Short(_) => Type::Short,
            Shape::Integer(_) => Type::Integer,
            Shape::Long(_) => Type::Long,
            Shape::Float(_) => Type::Float,
            Shape::Double(_) => Type::Double,
            Shape::BigInteger(_) => Type::BigInteger,
            Shape::BigDecimal(_) => Type::BigDecimal,
            Shape::Blob(s) if s.traits.contains_key(STREAMING) => Type::ByteStream,
            Shape::Blob(_) => Type::Blob,
            Shape::Timestamp(s) => {
                Type::Timestamp(timestamp_format(id, member_traits, Some(&s.traits))?)
            }
            Shape::Document(_) => Type::Document,
            Shape::List(c) | Shape::Set(c) => {
                let item = Box::new(self.type_of(&c.member.target, &c.member.traits)?);
                not_a_stream(id, &item)?;
                if c.traits.contains_key("smithy.api#sparse") {
                    Type::SparseList(item)
                } else {
                    Type::List(item)
                }
            }
            Shape::Map(m) => {
                let key = self.type_of(&m.key.target, &m.key.traits)?;
                if !matches!(key, Type::String | Type::Enum(_)) {
                    return Err(shape_err(id, "map keys must be strings or string enums"));
                }
                let value = Box::new(self.type_of(&m.value.target, &m.value.traits)?);
                not_a_stream(id, &value)?;
                if m.traits.contains_key("smithy.api#sparse") {
                    Type::SparseMap(Box::new(key), value)
                } else {
                    Type::Map(Box::new(key), value)
                }
            }
            Shape::Structure(s) => Type::Structure {
                name,
                error: s.traits.contains_key("smithy.api#error"),
            },
            Shape::Union(s) => {
                if s.traits.contains_key(STREAMING) {
                    return Err(trait_err(
                        id,
                        STREAMING,
                        "event streams are not supported by this generator",
                    ));
                }
                Type::Union(name)
            }
            other => {
                return Err(shape_err(
                    id,
                    format!("a {} cannot be a member target", other.type_name()),
                ))
            }
        })
    }

    fn is_sensitive(&self, target: &str, member_traits: &Traits) -> Result<bool, IrError> {
        Ok(member_traits.contains_key("smithy.api#sensitive")
            || self
                .target_traits(target)?
                .is_some_and(|t| t.contains_key("smithy.api#sensitive")))
    }

    /// Whether a value of shape `id` holds `@sensitive` data anywhere inside.
    fn holds_sensitive(&self, id: &str, seen: &mut BTreeSet<String>) -> Result<bool, IrError> {
        if id.starts_with(PRELUDE) || !seen.insert(id.to_owned()) {
            return Ok(false);
        }
        let shape = self.shape(id)?;
        if shape.traits().contains_key("smithy.api#sensitive") {
            return Ok(true);
        }
        let targets: Vec<(&String, &Traits)> = match shape {
            Shape::Structure(s) | Shape::Union(s) => {
                s.members.values().map(|m| (&m.target, &m.traits)).collect()
            }
            Shape::List(c) | Shape::Set(c) => vec![(&c.member.target, &c.member.traits)],
            Shape::Map(m) => vec![(&m.value.target, &m.value.traits)],
            _ => Vec::new(),
        };
        for (target, traits) in targets {
            if traits.contains_key("smithy.api#sensitive") || self.holds_sensitive(target, seen)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn operation(&mut self, id: &str, op: &ast::Operation) -> Result<Operation, IrError> {
        let name = shape_name(id).to_owned();
        let input = match io(&op.input) {
            Some(target) => {
                let Shape::Structure(s) = self.shape(target)? else {
                    return Err(shape_err(target, "operation input must be a structure"));
                };
                self.structure(target, s, Role::Input, format!("{name}Input"))?
            }
            None => empty_structure(format!("{name}Input"), Role::Input),
        };
        let output = match io(&op.output) {
            Some(target) => {
                let Shape::Structure(s) = self.shape(target)? else {
                    return Err(shape_err(target, "operation output must be a structure"));
                };
                self.structure(target, s, Role::Output, format!("{name}Output"))?
            }
            None => empty_structure(format!("{name}Output"), Role::Output),
        };
        let route = if self.protocol.uses_http_bindings() {
            http_route(id, op, &input)?
        } else {
            self.rpc_route(&name)?
        };

        let mut errors: Vec<ErrorRef> = Vec::new();
        for e in op.errors.iter().chain(&self.service.errors) {
            let Shape::Structure(s) = self.shape(&e.target)? else {
                return Err(shape_err(
                    &e.target,
                    "listed as an error but is not a structure",
                ));
            };
            let ename = pascal(shape_name(&e.target));
            if errors.iter().any(|x| x.name == ename) {
                continue;
            }
            errors.push(ErrorRef {
                is_fn: format!("is_{}", bare(&snake(&ename))),
                code: self.error_code(&e.target, &s.traits)?,
                docs: docs::of(&s.traits),
                retryable: retryable(&s.traits),
                name: ename,
            });
        }
        errors.sort_by(|a, b| a.name.cmp(&b.name));
        if errors.iter().any(|e| e.name == "Unhandled") {
            return Err(shape_err(
                id,
                "an error shape named `Unhandled` would clash with the generated catch-all variant",
            ));
        }

        let idempotency_token = match io(&op.input) {
            Some(target) => {
                let Shape::Structure(s) = self.shape(target)? else {
                    unreachable!("checked above")
                };
                s.members
                    .iter()
                    .find(|(_, m)| m.traits.contains_key("smithy.api#idempotencyToken"))
                    .map(|(n, _)| member_field(n))
            }
            None => None,
        };
        let telemetry_members = input
            .members
            .iter()
            .filter(|m| m.ty == Type::String && !m.sensitive)
            .map(|m| TelemetryMember {
                name: m.name.clone(),
                field: m.field.clone(),
            })
            .collect();
        let sensitive_output = match io(&op.output) {
            Some(target) => self.holds_sensitive(target, &mut BTreeSet::new())?,
            None => false,
        };
        let paginated = self.paginated(id, op, &input)?;
        let endpoint_context = self.endpoint_context(id, op, &input)?;
        let host_prefix = match op.traits.get(ENDPOINT) {
            Some(endpoint) => self.host_prefix(id, endpoint, io(&op.input), &input)?,
            None => Vec::new(),
        };
        Ok(Operation {
            snake: snake(&name),
            docs: docs::of(&op.traits),
            deprecated: deprecated(&op.traits),
            // awsJson sends the input as a JSON object even when it has no members.
            request_body: if self.protocol.uses_http_bindings() {
                self.body_of(id, &input)?
            } else {
                Body::Members
            },
            response_body: self.body_of(id, &output)?,
            name,
            method: route.method,
            code: route.code,
            path: route.path,
            uri: route.uri,
            query_literals: route.query_literals,
            target: route.target,
            input,
            output,
            errors,
            idempotency_token,
            sensitive_output,
            paginated,
            telemetry_members,
            auth: self.auth(id, &op.traits)?,
            host_prefix,
            unsigned_payload: op.traits.contains_key("aws.auth#unsignedPayload"),
            endpoint_context,
        })
    }

    /// The rule-set parameters operation `id` sets from its call, checked against the
    /// service's rule set (the parameter exists and takes the value's kind).
    fn endpoint_context(
        &self,
        id: &str,
        op: &ast::Operation,
        input: &Structure,
    ) -> Result<Vec<ContextParam>, IrError> {
        const CONTEXT_PARAM: &str = "smithy.rules#contextParam";
        const STATIC: &str = "smithy.rules#staticContextParams";
        const OPERATION_CONTEXT: &str = "smithy.rules#operationContextParams";
        let mut bound: Vec<(String, &str, &str, ContextValue)> = Vec::new();
        if let Some(Shape::Structure(s)) = io(&op.input).map(|t| self.shape(t)).transpose()? {
            for (name, m) in &s.members {
                if let Some(param) = m.traits.get(CONTEXT_PARAM) {
                    let at = format!("{}${name}", io(&op.input).unwrap_or_default());
                    let param = param["name"]
                        .as_str()
                        .ok_or_else(|| trait_err(&at, CONTEXT_PARAM, "has no parameter `name`"))?;
                    let value = member_value(input, name);
                    bound.push((
                        at.clone(),
                        CONTEXT_PARAM,
                        param,
                        value.ok_or_else(|| {
                            trait_err(&at, CONTEXT_PARAM, "the member is not in the input")
                        })?,
                    ));
                }
            }
        }
        if let Some(Value::Object(params)) = op.traits.get(OPERATION_CONTEXT) {
            for (param, spec) in params {
                let path = spec["path"].as_str().unwrap_or_default();
                let value = member_value(input, path).ok_or_else(|| {
                    trait_err(
                        id,
                        OPERATION_CONTEXT,
                        format!("`{path}` is not an input member"),
                    )
                })?;
                bound.push((id.to_owned(), OPERATION_CONTEXT, param, value));
            }
        }
        if let Some(Value::Object(params)) = op.traits.get(STATIC) {
            for (param, spec) in params {
                let value = match &spec["value"] {
                    Value::Bool(b) => ContextValue::Bool(*b),
                    Value::String(text) => ContextValue::String(text.clone()),
                    Value::Array(items) => ContextValue::StringList(
                        items
                            .iter()
                            .map(|i| i.as_str().map(str::to_owned))
                            .collect::<Option<_>>()
                            .ok_or_else(|| {
                                trait_err(id, STATIC, format!("`{param}`: a list of strings only"))
                            })?,
                    ),
                    other => {
                        return Err(trait_err(
                            id,
                            STATIC,
                            format!(
                                "`{param}`: {other} is not a boolean, string or list of strings"
                            ),
                        ))
                    }
                };
                bound.push((id.to_owned(), STATIC, param, value));
            }
        }
        if bound.is_empty() {
            return Ok(Vec::new());
        }
        let fields = crate::endpoint::param_fields(&json_map(&self.service.traits))?;
        bound
            .into_iter()
            .map(|(at, trait_id, param, value)| {
                let field = fields.get(param).ok_or_else(|| {
                    trait_err(
                        &at,
                        trait_id,
                        format!("the endpoint rule set has no parameter `{param}`"),
                    )
                })?;
                let fits = match (&value, field.kind) {
                    (ContextValue::Member { ty, .. }, ParamKind::String) => *ty == Type::String,
                    (ContextValue::Member { ty, .. }, ParamKind::Boolean) => *ty == Type::Bool,
                    (ContextValue::Member { ty, .. }, ParamKind::StringArray) => {
                        *ty == Type::List(Box::new(Type::String))
                    }
                    (ContextValue::String(_), ParamKind::String)
                    | (ContextValue::Bool(_), ParamKind::Boolean)
                    | (ContextValue::StringList(_), ParamKind::StringArray) => true,
                    _ => false,
                };
                if !fits {
                    return Err(trait_err(
                        &at,
                        trait_id,
                        format!(
                            "the value does not fit the {:?} parameter `{param}`",
                            field.kind
                        ),
                    ));
                }
                Ok(ContextParam {
                    field: field.rust_name.clone(),
                    always_set: field.always_set,
                    value,
                })
            })
            .collect()
    }

    /// The route of operation `name` under awsJson: `POST /`, named by `x-amz-target`
    /// (the service shape's name, a dot and the operation's name).
    fn rpc_route(&self, name: &str) -> Result<Route, IrError> {
        let target = format!("{}.{name}", shape_name(&self.service_id));
        Ok(Route {
            method: "POST".to_owned(),
            uri: "/".to_owned(),
            code: 200,
            path: vec![PathSegment::Literal("/".to_owned())],
            query_literals: Vec::new(),
            target: Some(wire_text(&self.service_id, "the x-amz-target", &target)?),
        })
    }

    /// The segments of operation `id`'s `@endpoint` trait: its `hostPrefix`, whose
    /// `{Name}` labels must name `@hostLabel` string members of the input.
    fn host_prefix(
        &self,
        id: &str,
        endpoint: &Value,
        input: Option<&str>,
        resolved_input: &Structure,
    ) -> Result<Vec<HostSegment>, IrError> {
        let pattern = endpoint["hostPrefix"]
            .as_str()
            .filter(|p| !p.is_empty())
            .ok_or_else(|| trait_err(id, ENDPOINT, "has no `hostPrefix` text"))?;
        let labels: Vec<(&String, &ast::Member)> = match input {
            Some(target) => match self.shape(target)? {
                Shape::Structure(s) => s
                    .members
                    .iter()
                    .filter(|(_, m)| m.traits.contains_key("smithy.api#hostLabel"))
                    .collect(),
                _ => Vec::new(),
            },
            None => Vec::new(),
        };
        let mut segments = Vec::new();
        let mut rest = pattern;
        while !rest.is_empty() {
            let Some(after_brace) = rest.strip_prefix('{') else {
                let end = rest.find('{').unwrap_or(rest.len());
                let text = &rest[..end];
                if !text
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
                {
                    return Err(trait_err(
                        id,
                        ENDPOINT,
                        format!(
                            "the host prefix `{pattern}` has `{text}`, which is not host name \
                             text (letters, digits, `-`, `.`)"
                        ),
                    ));
                }
                segments.push(HostSegment::Literal(text.to_owned()));
                rest = &rest[end..];
                continue;
            };
            let (name, after) = after_brace
                .split_once('}')
                .ok_or_else(|| trait_err(id, ENDPOINT, format!("unclosed label in `{pattern}`")))?;
            let labelled = labels.iter().any(|(n, _)| *n == name);
            let member = resolved_input
                .members
                .iter()
                .find(|m| labelled && m.name == name)
                .ok_or_else(|| {
                    trait_err(
                        id,
                        ENDPOINT,
                        format!(
                            "the host prefix label `{{{name}}}` has no input member marked \
                         @hostLabel"
                        ),
                    )
                })?;
            if member.ty != Type::String {
                return Err(trait_err(
                    id,
                    ENDPOINT,
                    format!("the host prefix label `{{{name}}}` must target a string"),
                ));
            }
            segments.push(HostSegment::Label(member.field.clone()));
            rest = after;
        }
        Ok(segments)
    }

    /// The auth scheme ids operation `id` lists (its `@auth`, else the service's, else
    /// the service's only scheme, SigV4), and the shape the list comes from.
    fn auth_schemes<'t>(
        &'t self,
        id: &'t str,
        traits: &'t Traits,
    ) -> Result<(&'t str, Vec<&'t str>), IrError> {
        const TRAIT: &str = "smithy.api#auth";
        let (at, listed) = match traits.get(TRAIT) {
            Some(listed) => (id, listed),
            None => match self.service.traits.get(TRAIT) {
                Some(listed) => (self.service_id.as_str(), listed),
                None => return Ok((id, vec![SIGV4])),
            },
        };
        let schemes = listed
            .as_array()
            .and_then(|list| list.iter().map(Value::as_str).collect::<Option<Vec<_>>>())
            .ok_or_else(|| trait_err(at, TRAIT, "must be a list of auth scheme shape ids"))?;
        Ok((at, schemes))
    }

    /// What `@auth` and `@optionalAuth` let operation `id` use.
    fn auth(&self, id: &str, traits: &Traits) -> Result<Auth, IrError> {
        let (at, schemes) = self.auth_schemes(id, traits)?;
        if let Some(other) = schemes.iter().find(|s| **s != SIGV4) {
            return Err(trait_err(
                at,
                "smithy.api#auth",
                format!("lists `{other}`; the generated client signs with SigV4 or sends unsigned"),
            ));
        }
        Ok(if schemes.is_empty() {
            Auth::None
        } else if traits.contains_key("smithy.api#optionalAuth") {
            Auth::SigV4OrNone
        } else {
            Auth::SigV4
        })
    }

    /// `@paginated`: the operation's trait over the service's defaults.
    fn paginated(
        &mut self,
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
        if token.ty != Type::String {
            return Err(err(format!(
                "the input token `{input_token}` must be a string"
            )));
        }
        let page_size = get("pageSize")
            .map(|name| {
                let m = input_member(name)?;
                if !matches!(m.ty, Type::Integer | Type::Long | Type::Short | Type::Byte) {
                    return Err(err(format!("the page size `{name}` must be an integer")));
                }
                Ok((m.field.clone(), m.ty.clone()))
            })
            .transpose()?;
        let output = op
            .output
            .as_ref()
            .map(|r| r.target.clone())
            .filter(|t| t != UNIT);
        let (output_path, token_ty) = self.output_path(id, output.as_deref(), output_token)?;
        if token_ty != Type::String {
            return Err(err(format!(
                "the output token `{output_token}` must be a string"
            )));
        }
        let items = get("items")
            .map(|path| {
                let (steps, ty) = self.output_path(id, output.as_deref(), path)?;
                if !matches!(ty, Type::List(_) | Type::Map(..)) {
                    return Err(err(format!("the items `{path}` must be a list or a map")));
                }
                Ok(PageItems { path: steps, ty })
            })
            .transpose()?;
        Ok(Some(Paginated {
            input_token: token.field.clone(),
            output_token: output_path,
            page_size,
            items,
        }))
    }

    /// The fields along member path `path` (`A.B.C`) of the output shape `output`,
    /// and the type at its end.
    fn output_path(
        &mut self,
        op: &str,
        output: Option<&str>,
        path: &str,
    ) -> Result<(Vec<PathStep>, Type), IrError> {
        let err = |problem: String| trait_err(op, "smithy.api#paginated", problem);
        let mut shape_id = output
            .ok_or_else(|| err("a paginated operation needs an output".into()))?
            .to_owned();
        let mut role = Role::Output;
        let mut steps = Vec::new();
        let mut last = None;
        for segment in path.split('.') {
            let Shape::Structure(s) = self.shape(&shape_id)? else {
                return Err(err(format!("`{path}`: `{shape_id}` is not a structure")));
            };
            let m = s
                .members
                .get(segment)
                .ok_or_else(|| err(format!("`{path}`: `{shape_id}` has no member `{segment}`")))?;
            let member = self.member(&shape_id, segment, m, role)?;
            steps.push(PathStep {
                field: member.field,
                optional: member.optional,
            });
            last = Some(member.ty);
            shape_id = m.target.clone();
            role = Role::Plain;
        }
        Ok((
            steps,
            last.ok_or_else(|| err("an empty member path".into()))?,
        ))
    }

    fn structure(
        &mut self,
        id: &str,
        s: &ast::Aggregate,
        role: Role,
        name: String,
    ) -> Result<Structure, IrError> {
        let sensitive = s.traits.contains_key("smithy.api#sensitive");
        let mut members: Vec<Member> = Vec::new();
        for (mname, m) in &s.members {
            let mut member = self.member(id, mname, m, role)?;
            member.sensitive |= sensitive;
            if let Some(other) = members
                .iter()
                .find(|o| bare(&o.field) == bare(&member.field))
            {
                return Err(shape_err(
                    &format!("{id}${mname}"),
                    format!(
                        "its Rust field `{}` clashes with the one of member `{}`",
                        member.field, other.name
                    ),
                ));
            }
            members.push(member);
        }
        let query_code = self.query_code(id, &s.traits)?;
        let error = s.traits.get("smithy.api#error").map(|fault| ErrorTrait {
            server_fault: fault.as_str() == Some("server"),
            query_code,
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
        if let Some(field) = error.as_ref().and_then(|e| e.message_field.as_ref()) {
            let m = members
                .iter()
                .find(|m| &m.field == field)
                .expect("found above");
            if m.ty != Type::String {
                return Err(shape_err(
                    id,
                    "an error's `message` member must be a string",
                ));
            }
        }
        let mut body_order: Vec<usize> = (0..members.len())
            .filter(|&i| members[i].binding == Binding::Body)
            .collect();
        if role == Role::Input && self.protocol.uses_http_bindings() {
            // The official SDKs write a restJson1 input's body members sorted by name
            // (nested structures, and awsJson inputs, keep model order), so bodies are
            // byte-identical to theirs.
            body_order.sort_by(|&a, &b| members[a].name.cmp(&members[b].name));
        }
        Ok(Structure {
            shape_id: id.to_owned(),
            name,
            role,
            docs: docs::of(&s.traits),
            deprecated: deprecated(&s.traits),
            fallible_build: role == Role::Input
                || members.iter().any(|m| !m.optional && m.default.is_none()),
            sensitive,
            holds_stream: members.iter().any(|m| m.ty == Type::ByteStream),
            members,
            body_order,
            error,
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
        let traits = &m.traits;
        let ty = self.type_of(&m.target, traits)?;
        // awsJson ignores the HTTP binding traits: every member is in the body.
        let binding = if self.protocol.uses_http_bindings() {
            binding_of(&at, traits, role)?
        } else {
            Binding::Body
        };
        if ty == Type::ByteStream {
            return self.stream_member(&at, name, m, role, binding);
        }
        let required = traits.contains_key("smithy.api#required");
        let default = self.default_of(&at, &m.target, traits, &ty)?;
        let optional = match role {
            // Every member of an operation input is optional, as in the official SDK.
            Role::Input => true,
            // CLIENT_CAREFUL nullability: structures and unions, `@clientOptional`
            // members and members without a default or `@required` are optional.
            _ => {
                matches!(ty, Type::Structure { .. } | Type::Union(_))
                    || traits.contains_key("smithy.api#clientOptional")
                    || (default.is_none() && !required)
            }
        };
        if binding == Binding::Label && !required {
            return Err(trait_err(
                &at,
                "smithy.api#httpLabel",
                "a label member must also be @required",
            ));
        }
        check_binding_type(&at, &binding, &ty)?;
        let media_type = self.media_type(&at, &m.target, traits)?.is_some();
        Ok(Member {
            boxed: self.boxed.contains(&at),
            name: name.to_owned(),
            json_name: self.json_name(&at, name, traits)?,
            field: member_field(name),
            docs: docs::of(traits),
            deprecated: deprecated(traits),
            sensitive: self.is_sensitive(&m.target, traits)?,
            checks: self.checks(&at, &m.target, traits)?,
            default: if optional { None } else { default },
            required: required && !optional,
            optional,
            binding,
            media_type,
            ty,
        })
    }

    /// The code error shape `id` is known by on the wire: its shape name, or its
    /// [`query_code`](Self::query_code) where it has one, as the official SDKs match it.
    fn error_code(&self, id: &str, traits: &Traits) -> Result<String, IrError> {
        Ok(self
            .query_code(id, traits)?
            .unwrap_or_else(|| shape_name(id).to_owned()))
    }

    /// Under `@awsQueryCompatible`, the `@awsQueryError` code of error shape `id`: the
    /// code the `x-amzn-query-error` header carries.
    fn query_code(&self, id: &str, traits: &Traits) -> Result<Option<String>, IrError> {
        let Some(query_error) = traits.get(QUERY_ERROR).filter(|_| self.query_compatible) else {
            return Ok(None);
        };
        let code = query_error
            .get("code")
            .and_then(Value::as_str)
            .ok_or_else(|| {
                trait_err(
                    id,
                    QUERY_ERROR,
                    "needs a string `code`; add the error's code",
                )
            })?;
        wire_text(id, "the awsQueryError code", code).map(Some)
    }

    /// The JSON key of member `name` (at `at`): its `@jsonName` where the protocol
    /// honours it (restJson1), else its name.
    fn json_name(&self, at: &str, name: &str, traits: &Traits) -> Result<String, IrError> {
        let json_name = traits
            .get("smithy.api#jsonName")
            .and_then(Value::as_str)
            .filter(|_| self.protocol.uses_http_bindings())
            .unwrap_or(name);
        wire_text(at, "the JSON name", json_name)
    }

    /// A member targeting a `@streaming` blob. Smithy allows one only as the `@httpPayload`
    /// of an operation's input or output; the official SDKs make it a `ByteStream` field
    /// that is never an `Option` (unset, it is an empty stream), whatever its `@required`
    /// or `@default` say. No constraint is checked: the stream is not read before sending.
    fn stream_member(
        &self,
        at: &str,
        name: &str,
        m: &ast::Member,
        role: Role,
        binding: Binding,
    ) -> Result<Member, IrError> {
        if !matches!(role, Role::Input | Role::Output) || binding != Binding::Payload {
            return Err(trait_err(
                at,
                STREAMING,
                "a streaming blob can only be the `@httpPayload` member of an operation's \
                 input or output; bind the member with `@httpPayload` there, or remove \
                 `@streaming` from its target",
            ));
        }
        let traits = &m.traits;
        Ok(Member {
            name: name.to_owned(),
            // A payload is never a JSON member.
            json_name: name.to_owned(),
            field: member_field(name),
            docs: docs::of(traits),
            deprecated: deprecated(traits),
            ty: Type::ByteStream,
            optional: false,
            required: false,
            default: Some(DefaultValue::EmptyStream),
            sensitive: self.is_sensitive(&m.target, traits)?,
            binding,
            media_type: self.media_type(at, &m.target, traits)?.is_some(),
            checks: Checks::default(),
            boxed: false,
        })
    }

    /// The `@mediaType` of a member with `traits` targeting `target` (its own, else the
    /// target's).
    fn media_type(
        &self,
        at: &str,
        target: &str,
        traits: &Traits,
    ) -> Result<Option<String>, IrError> {
        const TRAIT: &str = "smithy.api#mediaType";
        let target_traits = self.target_traits(target)?;
        traits
            .get(TRAIT)
            .or_else(|| target_traits.and_then(|t| t.get(TRAIT)))
            .map(|value| {
                value
                    .as_str()
                    .ok_or_else(|| trait_err(at, TRAIT, "must be a string"))
                    .and_then(|media_type| wire_text(at, TRAIT, media_type))
            })
            .transpose()
    }

    /// What a message of structure `s` carries in its body (in operation `op`).
    fn body_of(&self, op: &str, s: &Structure) -> Result<Body, IrError> {
        let Some(p) = s.members.iter().find(|m| m.binding == Binding::Payload) else {
            return Ok(if s.body_order.is_empty() {
                Body::Empty
            } else {
                Body::Members
            });
        };
        let at = format!("{}${}", s.shape_id, p.name);
        let (kind, default_type) = match &p.ty {
            Type::Structure { .. } | Type::Union(_) | Type::Document => {
                (PayloadKind::Json, "application/json")
            }
            Type::Blob => (PayloadKind::Blob, "application/octet-stream"),
            Type::ByteStream => (PayloadKind::ByteStream, "application/octet-stream"),
            Type::String | Type::Enum(_) => (PayloadKind::Text, "text/plain"),
            other => {
                return Err(trait_err(
                    &at,
                    "smithy.api#httpPayload",
                    format!("a {other:?} payload is not supported (in operation `{op}`)"),
                ))
            }
        };
        if !s.body_order.is_empty() {
            return Err(trait_err(
                &at,
                "smithy.api#httpPayload",
                format!("a payload member excludes other body members (in operation `{op}`)"),
            ));
        }
        // Smithy's content type of a payload (the official SDKs send it): a blob's or
        // string's `@mediaType`, else the kind's own.
        let media_type = match (kind, self.shape(&s.shape_id)?) {
            (PayloadKind::Json, _) => None,
            (_, Shape::Structure(shape)) => match shape.members.get(&p.name) {
                Some(m) => self.media_type(&at, &m.target, &m.traits)?,
                None => None,
            },
            _ => None,
        };
        Ok(Body::Payload(Payload {
            field: p.field.clone(),
            kind,
            optional: p.optional,
            content_type: media_type.unwrap_or_else(|| default_type.to_owned()),
        }))
    }

    /// The member's `@default` (or its target's), unless it is `null`, or it breaks the
    /// value's own `@range`/`@length` (the official SDK drops such defaults: a client
    /// cannot send a value the service refuses).
    fn default_of(
        &self,
        at: &str,
        target: &str,
        traits: &Traits,
        ty: &Type,
    ) -> Result<Option<DefaultValue>, IrError> {
        let target_traits = self.target_traits(target)?;
        let declared = traits
            .get("smithy.api#default")
            .or_else(|| target_traits.and_then(|t| t.get("smithy.api#default")));
        let raw = match declared {
            Some(v) => v.clone(),
            None => match prelude_default(target) {
                Some(v) => v,
                None => return Ok(None),
            },
        };
        if raw.is_null() {
            return Ok(None);
        }
        let get = |id: &str| {
            traits
                .get(id)
                .or_else(|| target_traits.and_then(|t| t.get(id)))
        };
        let number = raw.as_f64();
        if let (Some(range), Some(n)) = (get("smithy.api#range"), number) {
            let below = range
                .get("min")
                .and_then(Value::as_f64)
                .is_some_and(|min| n < min);
            let above = range
                .get("max")
                .and_then(Value::as_f64)
                .is_some_and(|max| n > max);
            if below || above {
                return Ok(None);
            }
        }
        if let Some(length) = get("smithy.api#length") {
            let len = match &raw {
                Value::String(s) => Some(s.chars().count() as u64),
                Value::Array(a) => Some(a.len() as u64),
                Value::Object(o) => Some(o.len() as u64),
                _ => None,
            };
            if let Some(len) = len {
                let below = length
                    .get("min")
                    .and_then(Value::as_u64)
                    .is_some_and(|min| len < min);
                let above = length
                    .get("max")
                    .and_then(Value::as_u64)
                    .is_some_and(|max| len > max);
                if below || above {
                    return Ok(None);
                }
            }
        }
        default_value(at, ty, &raw, self.enum_values(target)).map(Some)
    }

    /// The wire values of an enum shape.
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
            _ => Vec::new(),
        }
    }

    /// The constraints on a value of shape `target` referred to with `traits`.
    fn checks(&mut self, at: &str, target: &str, traits: &Traits) -> Result<Checks, IrError> {
        let target_traits = self.target_traits(target)?;
        let get = |id: &str| {
            traits
                .get(id)
                .or_else(|| target_traits.and_then(|t| t.get(id)))
        };
        let ty = self.type_of(target, traits)?;
        let mut checks = Checks {
            length: bounds(
                at,
                "smithy.api#length",
                get("smithy.api#length"),
                // Smithy 2.0 enums are strings: `@length` counts their value's characters.
                matches!(
                    ty,
                    Type::String
                        | Type::Enum(_)
                        | Type::Blob
                        | Type::List(_)
                        | Type::SparseList(_)
                        | Type::Map(..)
                        | Type::SparseMap(..)
                ),
                Value::as_u64,
            )?,
            range: bounds(
                at,
                "smithy.api#range",
                get("smithy.api#range"),
                ty.is_primitive_number(),
                Value::as_f64,
            )?,
            ..Checks::default()
        };
        if let Some(pattern) = get("smithy.api#pattern") {
            let regex = pattern
                .as_str()
                .ok_or_else(|| trait_err(at, "smithy.api#pattern", "must be a string"))?;
            if ty != Type::String {
                return Err(trait_err(
                    at,
                    "smithy.api#pattern",
                    "only strings can have a pattern",
                ));
            }
            match regex_lite::Regex::new(regex) {
                Ok(_) => checks.pattern = Some(regex.to_owned()),
                Err(e) => {
                    let reason = e
                        .to_string()
                        .lines()
                        .last()
                        .unwrap_or("unsupported syntax")
                        .trim()
                        .to_owned();
                    self.unchecked.insert(
                        regex.to_owned(),
                        UncheckedPattern {
                            // Listed in a `//!` comment: control characters escaped, so
                            // a line break in the pattern cannot end the comment.
                            pattern: regex
                                .chars()
                                .map(|c| {
                                    if c.is_control() {
                                        c.escape_debug().to_string()
                                    } else {
                                        c.to_string()
                                    }
                                })
                                .collect(),
                            reason,
                        },
                    );
                }
            }
        }
        match self.model.shapes.get(target) {
            Some(Shape::Structure(_) | Shape::Union(_)) => checks.nested = true,
            Some(Shape::List(c) | Shape::Set(c)) => {
                let item = self.checks(at, &c.member.target, &c.member.traits)?;
                if !item.is_empty() {
                    checks.items = Some(Box::new(item));
                }
            }
            Some(Shape::Map(m)) => {
                let item = self.checks(at, &m.value.target, &m.value.traits)?;
                if !item.is_empty() {
                    checks.items = Some(Box::new(item));
                }
            }
            _ => {}
        }
        Ok(checks)
    }

    fn enumeration(&self, id: &str, s: &ast::Aggregate) -> Result<Enum, IrError> {
        let mut variants: Vec<EnumVariant> = Vec::new();
        for (mname, m) in &s.members {
            let value = match m.traits.get("smithy.api#enumValue") {
                Some(Value::String(v)) => wire_text(&format!("{id}${mname}"), "the enum value", v)?,
                None => mname.clone(),
                Some(_) => {
                    return Err(trait_err(
                        &format!("{id}${mname}"),
                        "smithy.api#enumValue",
                        "must be a string",
                    ))
                }
            };
            let name = variant(mname);
            if variants.iter().any(|v| v.name == name) {
                return Err(shape_err(
                    id,
                    format!("two members map to the Rust variant `{name}`"),
                ));
            }
            variants.push(EnumVariant {
                member: mname.clone(),
                name,
                value,
                docs: docs::of(&m.traits),
                deprecated: deprecated(&m.traits),
            });
        }
        // smithy-rs declares enum variants (and lists `values()`) sorted by wire value,
        // whatever the model's order; the derived `Ord` follows the declaration order,
        // so keeping the official order keeps comparisons and sorting the same too.
        variants.sort_by(|a, b| a.value.cmp(&b.value));
        Ok(Enum {
            shape_id: id.to_owned(),
            name: pascal(shape_name(id)),
            docs: docs::of(&s.traits),
            deprecated: deprecated(&s.traits),
            sensitive: s.traits.contains_key("smithy.api#sensitive"),
            variants,
        })
    }

    fn int_enum(&self, id: &str, s: &ast::Aggregate) -> Result<IntEnum, IrError> {
        let mut values = Vec::new();
        for (mname, m) in &s.members {
            let value = m
                .traits
                .get("smithy.api#enumValue")
                .and_then(Value::as_i64)
                .ok_or_else(|| {
                    trait_err(
                        &format!("{id}${mname}"),
                        "smithy.api#enumValue",
                        "intEnum members need an integer value",
                    )
                })?;
            values.push(IntEnumValue {
                name: mname.to_shouty_snake_case(),
                value,
                docs: docs::of(&m.traits),
            });
        }
        Ok(IntEnum {
            shape_id: id.to_owned(),
            name: pascal(shape_name(id)),
            docs: docs::of(&s.traits),
            values,
        })
    }

    fn union(&mut self, id: &str, s: &ast::Aggregate) -> Result<Union, IrError> {
        let mut variants: Vec<UnionVariant> = Vec::new();
        for (mname, m) in &s.members {
            let at = format!("{id}${mname}");
            let variant_name = variant(mname);
            if variants.iter().any(|v| v.variant == variant_name) {
                return Err(shape_err(
                    id,
                    format!("two members map to the Rust variant `{variant_name}`"),
                ));
            }
            let ty = if m.target == UNIT {
                None
            } else {
                let ty = self.type_of(&m.target, &m.traits)?;
                not_a_stream(&at, &ty)?;
                Some(ty)
            };
            variants.push(UnionVariant {
                boxed: self.boxed.contains(&at),
                name: mname.clone(),
                json_name: self.json_name(&at, mname, &m.traits)?,
                variant: variant_name,
                snake: bare(&snake(mname)).to_owned(),
                docs: docs::of(&m.traits),
                deprecated: deprecated(&m.traits),
                sensitive: self.is_sensitive(&m.target, &m.traits)?,
                checks: if m.target == UNIT {
                    Checks::default()
                } else {
                    self.checks(&at, &m.target, &m.traits)?
                },
                ty,
            });
        }
        Ok(Union {
            shape_id: id.to_owned(),
            name: pascal(shape_name(id)),
            docs: docs::of(&s.traits),
            deprecated: deprecated(&s.traits),
            sensitive: s.traits.contains_key("smithy.api#sensitive"),
            variants,
        })
    }
}

/// The protocol the client of `service` speaks: the first of [`Protocol::ALL`] the service
/// lists.
fn protocol_of(service_id: &str, service: &ast::Service) -> Result<Protocol, IrError> {
    Protocol::ALL
        .into_iter()
        .find(|p| service.traits.contains_key(p.trait_id()))
        .ok_or_else(|| IrError::UnsupportedProtocol {
            service: service_id.to_owned(),
            // Protocol traits live in the `aws.protocols` and `smithy.protocols` namespaces.
            found: service
                .traits
                .keys()
                .filter(|t| t.contains(".protocols#"))
                .cloned()
                .collect(),
        })
}

const QUERY_COMPATIBLE: &str = "aws.protocols#awsQueryCompatible";
const QUERY_ERROR: &str = "aws.protocols#awsQueryError";

/// Whether `service` carries `@awsQueryCompatible` (a service moved from awsQuery, such as
/// SQS, that keeps its awsQuery error codes). The official SDKs honour it under the awsJson
/// protocols only, so it is refused beside restJson1 rather than guessed at.
fn query_compatible_of(
    service_id: &str,
    service: &ast::Service,
    protocol: Protocol,
) -> Result<bool, IrError> {
    let compatible = service.traits.contains_key(QUERY_COMPATIBLE);
    if compatible && protocol.uses_http_bindings() {
        return Err(trait_err(
            service_id,
            QUERY_COMPATIBLE,
            format!(
                "not supported with {}: the official SDKs apply it to the awsJson protocols \
                 only; remove the trait or use the official SDK crate for this service",
                protocol.trait_id()
            ),
        ));
    }
    Ok(compatible)
}

/// Smithy's identifier: a letter or `_`, then ASCII letters, digits and `_`. Shape and
/// member names become Rust names and string literals, so this is also what keeps them
/// from being anything else.
fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A shape id is `namespace#Name`, the namespace identifiers joined by dots.
fn check_shape_id(id: &str) -> Result<(), IrError> {
    let well_formed = id.split_once('#').is_some_and(|(namespace, name)| {
        is_identifier(name) && namespace.split('.').all(is_identifier)
    });
    if well_formed {
        Ok(())
    } else {
        Err(shape_err(
            id,
            "is not a Smithy shape id (`namespace#Name`, each part letters, digits and `_`, \
             not starting with a digit); rename the shape",
        ))
    }
}

/// A model string the generated code spells inside a Rust string literal or a `format!`
/// string (a wire name, an enum value, the signing name): refused when it holds a
/// character such a literal would read as syntax, so that model text never becomes code.
fn wire_text(at: &str, what: &str, value: &str) -> Result<String, IrError> {
    literal_text(at, what, value, &['"', '\\', '{', '}'])
}

/// The `@http` URI: its braces are labels (parsed by `path_segments`), the rest is spelled
/// in a plain string literal.
fn uri_text(at: &str, uri: &str) -> Result<String, IrError> {
    literal_text(at, "the HTTP URI", uri, &['"', '\\'])
}

fn literal_text(at: &str, what: &str, value: &str, syntax: &[char]) -> Result<String, IrError> {
    match value.chars().find(|c| syntax.contains(c) || c.is_control()) {
        None => Ok(value.to_owned()),
        Some(c) => Err(shape_err(
            at,
            format!(
                "{what} {value:?} holds {c:?}; names and values that go on the wire may not \
                 hold control characters or any of {syntax:?}"
            ),
        )),
    }
}

/// The shapes a list, set or map holds directly (none for other shapes).
fn collection_targets(shape: &Shape) -> Vec<&str> {
    match shape {
        Shape::List(c) | Shape::Set(c) => vec![c.member.target.as_str()],
        Shape::Map(m) => vec![m.key.target.as_str(), m.value.target.as_str()],
        _ => Vec::new(),
    }
}

/// The members (`Shape$member`) to box so that no structure or union holds itself
/// directly, chosen as the official SDKs choose them: while a cycle through structure
/// and union members (no list or map in it, no boxed member) remains, the member of the
/// cycle with the smallest id is boxed.
/// The context value of input member `name`, if the input has it.
fn member_value(input: &Structure, name: &str) -> Option<ContextValue> {
    input
        .members
        .iter()
        .find(|m| m.name == name)
        .map(|m| ContextValue::Member {
            field: m.field.clone(),
            ty: m.ty.clone(),
        })
}

fn boxed_members(model: &Model, reachable: &BTreeSet<String>) -> BTreeSet<String> {
    let mut boxed = BTreeSet::new();
    loop {
        let cycle = find_cycle(model, reachable, |id, shape| {
            unboxed_members(id, shape, &boxed)
                .into_iter()
                .map(|(_, target)| target)
                .collect()
        });
        let Some(cycle) = cycle else {
            return boxed;
        };
        let smallest = cycle
            .windows(2)
            .flat_map(|step| {
                unboxed_members(&step[0], &model.shapes[&step[0]], &boxed)
                    .into_iter()
                    .filter(|(_, target)| *target == step[1])
                    .map(|(member, _)| member)
            })
            .min()
            .expect("each step of a cycle is a member");
        boxed.insert(smallest);
    }
}

/// The members (`Shape$member`, target) through which structure or union `id` holds
/// a value directly, the boxed ones left out.
fn unboxed_members<'m>(
    id: &str,
    shape: &'m Shape,
    boxed: &BTreeSet<String>,
) -> Vec<(String, &'m str)> {
    match shape {
        Shape::Structure(s) | Shape::Union(s) => s
            .members
            .iter()
            .map(|(name, m)| (format!("{id}${name}"), m.target.as_str()))
            .filter(|(member, _)| !boxed.contains(member))
            .collect(),
        _ => Vec::new(),
    }
}

/// A cycle (shape ids, first one repeated at the end) among the shapes reachable from
/// `starts` along `targets`, if there is one. Depth-first with an explicit stack: a
/// model may chain thousands of shapes.
fn find_cycle<'m, S: AsRef<str> + 'm>(
    model: &'m Model,
    starts: impl IntoIterator<Item = &'m S>,
    targets: impl Fn(&'m str, &'m Shape) -> Vec<&'m str>,
) -> Option<Vec<String>> {
    #[derive(PartialEq)]
    enum Visit {
        OnPath,
        Done,
    }
    let targets_of = |id: &'m str| -> std::vec::IntoIter<&'m str> {
        model
            .shapes
            .get(id)
            .map(|shape| targets(id, shape))
            .unwrap_or_default()
            .into_iter()
    };
    let mut visits: BTreeMap<&'m str, Visit> = BTreeMap::new();
    for start in starts {
        let start = start.as_ref();
        if visits.contains_key(start) {
            continue;
        }
        visits.insert(start, Visit::OnPath);
        let mut path = vec![(start, targets_of(start))];
        while let Some((_, next)) = path.last_mut() {
            let Some(target) = next.next() else {
                if let Some((done, _)) = path.pop() {
                    visits.insert(done, Visit::Done);
                }
                continue;
            };
            match visits.get(target) {
                Some(Visit::Done) => {}
                Some(Visit::OnPath) => {
                    let from = path.iter().position(|(id, _)| *id == target)?;
                    let mut cycle: Vec<String> = path[from..]
                        .iter()
                        .map(|(id, _)| (*id).to_owned())
                        .collect();
                    cycle.push(target.to_owned());
                    return Some(cycle);
                }
                None => {
                    visits.insert(target, Visit::OnPath);
                    path.push((target, targets_of(target)));
                }
            }
        }
    }
    None
}

fn io(r: &Option<ast::ShapeRef>) -> Option<&str> {
    r.as_ref().map(|r| r.target.as_str()).filter(|t| *t != UNIT)
}

fn empty_structure(name: String, role: Role) -> Structure {
    Structure {
        shape_id: String::new(),
        name,
        role,
        docs: Vec::new(),
        deprecated: None,
        members: Vec::new(),
        body_order: Vec::new(),
        sensitive: false,
        fallible_build: role == Role::Input,
        error: None,
        holds_stream: false,
    }
}

/// The prelude's primitive shapes default to zero/false.
fn prelude_default(target: &str) -> Option<Value> {
    match target.strip_prefix(PRELUDE)? {
        "PrimitiveBoolean" => Some(Value::Bool(false)),
        "PrimitiveByte" | "PrimitiveShort" | "PrimitiveInteger" | "PrimitiveLong"
        | "PrimitiveFloat" | "PrimitiveDouble" => Some(Value::from(0)),
        _ => None,
    }
}

fn timestamp_format(
    at: &str,
    member_traits: &Traits,
    shape_traits: Option<&Traits>,
) -> Result<Option<TimestampFormat>, IrError> {
    let raw = member_traits
        .get("smithy.api#timestampFormat")
        .or_else(|| shape_traits.and_then(|t| t.get("smithy.api#timestampFormat")));
    Ok(match raw.map(|v| v.as_str()) {
        None => None,
        Some(Some("date-time")) => Some(TimestampFormat::DateTime),
        Some(Some("http-date")) => Some(TimestampFormat::HttpDate),
        Some(Some("epoch-seconds")) => Some(TimestampFormat::EpochSeconds),
        Some(other) => {
            return Err(trait_err(
                at,
                "smithy.api#timestampFormat",
                format!("unknown format {other:?}"),
            ))
        }
    })
}

fn deprecated(traits: &Traits) -> Option<Deprecated> {
    let d = traits.get("smithy.api#deprecated")?;
    let message = d.get("message").and_then(Value::as_str);
    let since = d.get("since").and_then(Value::as_str);
    let note = match (message, since) {
        (Some(m), Some(s)) => format!("{m} (deprecated since {s})"),
        (Some(m), None) => m.to_owned(),
        (None, Some(s)) => format!("deprecated since {s}"),
        (None, None) => String::new(),
    };
    Some(Deprecated { note })
}

/// The retry kind of an error structure with `traits`.
fn retryable(traits: &Traits) -> Option<Retryable> {
    traits.get("smithy.api#retryable").map(|r| {
        if r.get("throttling").and_then(Value::as_bool) == Some(true) {
            Retryable::ThrottlingError
        } else if traits.get("smithy.api#error").and_then(Value::as_str) == Some("server") {
            Retryable::ServerError
        } else {
            Retryable::ClientError
        }
    })
}

fn json_map(traits: &Traits) -> serde_json::Map<String, Value> {
    traits.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// Where a member travels in the HTTP message (bindings only apply to operation
/// inputs, outputs and errors; elsewhere everything is body).
fn binding_of(at: &str, traits: &Traits, role: Role) -> Result<Binding, IrError> {
    let text = |id: &str| -> Result<String, IrError> {
        traits[id]
            .as_str()
            .ok_or_else(|| trait_err(at, id, "must be a string"))
            .and_then(|name| wire_text(at, id, name))
    };
    let binding = if traits.contains_key("smithy.api#httpLabel") {
        Binding::Label
    } else if traits.contains_key("smithy.api#httpQuery") {
        Binding::Query(text("smithy.api#httpQuery")?)
    } else if traits.contains_key("smithy.api#httpQueryParams") {
        Binding::QueryParams
    } else if traits.contains_key("smithy.api#httpHeader") {
        Binding::Header(text("smithy.api#httpHeader")?)
    } else if traits.contains_key("smithy.api#httpPrefixHeaders") {
        Binding::PrefixHeaders(text("smithy.api#httpPrefixHeaders")?.to_ascii_lowercase())
    } else if traits.contains_key("smithy.api#httpPayload") {
        Binding::Payload
    } else if traits.contains_key("smithy.api#httpResponseCode") {
        Binding::ResponseCode
    } else {
        Binding::Body
    };
    let allowed = match &binding {
        Binding::Label | Binding::Query(_) | Binding::QueryParams => role == Role::Input,
        Binding::ResponseCode => role == Role::Output,
        Binding::Header(_) | Binding::PrefixHeaders(_) | Binding::Payload => role != Role::Plain,
        Binding::Body => true,
    };
    if !allowed {
        return Ok(Binding::Body);
    }
    if role == Role::Error && matches!(binding, Binding::Payload | Binding::PrefixHeaders(_)) {
        return Err(trait_err(
            at,
            if binding == Binding::Payload {
                "smithy.api#httpPayload"
            } else {
                "smithy.api#httpPrefixHeaders"
            },
            "error structures can bind members to the body and to single headers only",
        ));
    }
    Ok(binding)
}

/// Refuses member types a binding cannot carry.
fn check_binding_type(at: &str, binding: &Binding, ty: &Type) -> Result<(), IrError> {
    let scalar = |t: &Type| {
        matches!(
            t,
            Type::String
                | Type::Bool
                | Type::Byte
                | Type::Short
                | Type::Integer
                | Type::Long
                | Type::Float
                | Type::Double
                | Type::BigInteger
                | Type::BigDecimal
                | Type::Timestamp(_)
                | Type::Enum(_)
                | Type::IntEnum(_)
        )
    };
    let (ok, trait_id) = match binding {
        Binding::Label => (scalar(ty), "smithy.api#httpLabel"),
        Binding::Query(_) => (
            scalar(ty) || matches!(ty, Type::List(i) if scalar(i)),
            "smithy.api#httpQuery",
        ),
        Binding::Header(_) => (
            scalar(ty) || matches!(ty, Type::Blob) || matches!(ty, Type::List(i) if scalar(i)),
            "smithy.api#httpHeader",
        ),
        Binding::QueryParams => (
            matches!(ty, Type::Map(_, v) if matches!(**v, Type::String | Type::Enum(_)) || matches!(&**v, Type::List(i) if **i == Type::String)),
            "smithy.api#httpQueryParams",
        ),
        Binding::PrefixHeaders(_) => (
            matches!(ty, Type::Map(_, v) if **v == Type::String),
            "smithy.api#httpPrefixHeaders",
        ),
        Binding::ResponseCode => (matches!(ty, Type::Integer), "smithy.api#httpResponseCode"),
        Binding::Payload | Binding::Body => (true, ""),
    };
    if ok {
        Ok(())
    } else {
        Err(trait_err(
            at,
            trait_id,
            format!("cannot bind a member of type {ty:?}"),
        ))
    }
}

/// Where an operation's requests go and which status answers them.
struct Route {
    method: String,
    uri: String,
    code: u16,
    path: Vec<PathSegment>,
    query_literals: Vec<String>,
    /// The `x-amz-target` header (awsJson).
    target: Option<String>,
}

/// The route restJson1 operation `id` takes from its `@http` trait.
fn http_route(id: &str, op: &ast::Operation, input: &Structure) -> Result<Route, IrError> {
    let http = op.traits.get("smithy.api#http").ok_or_else(|| {
        trait_err(
            id,
            "smithy.api#http",
            "missing: restJson1 operations need an HTTP binding",
        )
    })?;
    let method = http["method"]
        .as_str()
        .ok_or_else(|| trait_err(id, "smithy.api#http", "no method"))
        .and_then(|method| wire_text(id, "the HTTP method", method))?;
    let uri = http["uri"]
        .as_str()
        .ok_or_else(|| trait_err(id, "smithy.api#http", "no uri"))
        .and_then(|uri| uri_text(id, uri))?;
    let code = http.get("code").and_then(Value::as_u64).unwrap_or(200) as u16;
    let (path_text, query_text) = uri
        .split_once('?')
        .map_or((uri.as_str(), None), |(p, q)| (p, Some(q)));
    let path = path_segments(id, path_text, input)?;
    let query_literals = query_text
        .map(|q| {
            q.split('&')
                .filter(|kv| !kv.is_empty())
                .map(|kv| match kv.split_once('=') {
                    Some(_) => kv.to_owned(),
                    None => format!("{kv}="),
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(Route {
        method,
        uri,
        code,
        path,
        query_literals,
        target: None,
    })
}

fn path_segments(op: &str, path: &str, input: &Structure) -> Result<Vec<PathSegment>, IrError> {
    let mut parts = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let end = rest[start..].find('}').map(|e| start + e).ok_or_else(|| {
            trait_err(op, "smithy.api#http", format!("unclosed label in `{path}`"))
        })?;
        if start > 0 {
            parts.push(PathSegment::Literal(rest[..start].to_owned()));
        }
        let raw = &rest[start + 1..end];
        let (label_name, greedy) = raw.strip_suffix('+').map_or((raw, false), |n| (n, true));
        let member = input
            .members
            .iter()
            .find(|m| m.binding == Binding::Label && m.name == label_name)
            .ok_or_else(|| {
                trait_err(
                    op,
                    "smithy.api#httpLabel",
                    format!("the URI label `{{{raw}}}` has no input member bound with @httpLabel"),
                )
            })?;
        parts.push(PathSegment::Label(Label {
            field: member.field.clone(),
            ty: member.ty.clone(),
            greedy,
        }));
        rest = &rest[end + 1..];
    }
    if !rest.is_empty() {
        parts.push(PathSegment::Literal(rest.to_owned()));
    }
    for m in input.members.iter().filter(|m| m.binding == Binding::Label) {
        let used = parts
            .iter()
            .any(|p| matches!(p, PathSegment::Label(l) if l.field == m.field));
        if !used {
            return Err(trait_err(
                &format!("{}${}", input.shape_id, m.name),
                "smithy.api#httpLabel",
                format!(
                    "the member is bound with @httpLabel but the URI `{path}` of operation `{op}` has no `{{{}}}` placeholder",
                    m.name
                ),
            ));
        }
    }
    Ok(parts)
}

/// Refuses a stream held by `at` (a collection or a union member): Smithy allows one only
/// as an operation's payload member.
fn not_a_stream(at: &str, ty: &Type) -> Result<(), IrError> {
    if *ty == Type::ByteStream {
        return Err(trait_err(
            at,
            STREAMING,
            "a streaming blob can only be the `@httpPayload` member of an operation's input \
             or output, not held by a list, map or union; remove `@streaming` from its target",
        ));
    }
    Ok(())
}

/// The typed value of a `@default`.
fn default_value(
    at: &str,
    ty: &Type,
    value: &Value,
    enum_values: Vec<String>,
) -> Result<DefaultValue, IrError> {
    let bad = || {
        trait_err(
            at,
            "smithy.api#default",
            format!("value {value} does not fit a {ty:?}"),
        )
    };
    Ok(match (ty, value) {
        (Type::Bool, Value::Bool(b)) => DefaultValue::Bool(*b),
        (
            Type::Byte | Type::Short | Type::Integer | Type::Long | Type::IntEnum(_),
            Value::Number(n),
        ) => DefaultValue::Integer(n.as_i64().ok_or_else(bad)?),
        (Type::Float | Type::Double, Value::Number(n)) => {
            DefaultValue::Float(n.as_f64().ok_or_else(bad)?)
        }
        (Type::BigInteger | Type::BigDecimal, Value::Number(n)) => {
            DefaultValue::BigNumber(n.to_string())
        }
        (Type::String, Value::String(s)) => DefaultValue::String(s.clone()),
        (Type::Enum(_), Value::String(s)) => {
            if !enum_values.contains(s) {
                return Err(trait_err(
                    at,
                    "smithy.api#default",
                    format!(
                        "`{s}` is not a value of the enum (its values: {})",
                        enum_values.join(", ")
                    ),
                ));
            }
            DefaultValue::EnumValue(s.clone())
        }
        (Type::List(_) | Type::SparseList(_), Value::Array(a)) if a.is_empty() => {
            DefaultValue::EmptyList
        }
        (Type::Map(..) | Type::SparseMap(..), Value::Object(o)) if o.is_empty() => {
            DefaultValue::EmptyMap
        }
        (Type::Blob, Value::String(s)) if s.is_empty() => DefaultValue::EmptyBlob,
        (Type::ByteStream, Value::String(s)) if s.is_empty() => DefaultValue::EmptyStream,
        (Type::Timestamp(_), Value::Number(n)) => {
            DefaultValue::EpochSeconds(n.as_f64().ok_or_else(bad)?)
        }
        (Type::Document, value) => DefaultValue::Document(value.to_string()),
        _ => return Err(bad()),
    })
}

fn check_type_names(
    structures: &[Structure],
    errors: &[Structure],
    enums: &[Enum],
    int_enums: &[IntEnum],
    unions: &[Union],
) -> Result<(), IrError> {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    let named = structures
        .iter()
        .chain(errors)
        .map(|s| (s.name.as_str(), s.shape_id.as_str()))
        .chain(enums.iter().map(|e| (e.name.as_str(), e.shape_id.as_str())))
        .chain(
            int_enums
                .iter()
                .map(|e| (e.name.as_str(), e.shape_id.as_str())),
        )
        .chain(
            unions
                .iter()
                .map(|u| (u.name.as_str(), u.shape_id.as_str())),
        );
    for (name, id) in named {
        if name == "Unknown" {
            return Err(shape_err(
                id,
                "a shape named `Unknown` would clash with generated enum variants",
            ));
        }
        if let Some(other) = seen.insert(name, id) {
            return Err(shape_err(
                id,
                format!("its Rust type name `{name}` clashes with the one of `{other}`"),
            ));
        }
    }
    Ok(())
}
