//! One model as the generated Rust API sees it: the operations in the closure, the data
//! shapes they reach, the role of every structure (which decides `Option` fields and
//! builders), and the Rust type each member target becomes.
//!
//! This mirrors the generator's own decisions (see `ir.rs`) without depending on it, so
//! the diff keeps working while the IR is rewritten.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToShoutySnakeCase;
use serde_json::{json, Value};

use crate::ast::{self, Member, Model, Shape, Traits};
use crate::naming::{pascal, shape_name, variant};

pub(super) const PRELUDE: &str = "smithy.api#";
pub(super) const UNIT: &str = "smithy.api#Unit";
pub(super) const REQUIRED: &str = "smithy.api#required";
pub(super) const DEFAULT: &str = "smithy.api#default";
pub(super) const CLIENT_OPTIONAL: &str = "smithy.api#clientOptional";
pub(super) const UNIQUE_ITEMS: &str = "smithy.api#uniqueItems";
const BOX: &str = "smithy.api#box";
const ENUM: &str = "smithy.api#enum";
const ENUM_VALUE: &str = "smithy.api#enumValue";
const ERROR: &str = "smithy.api#error";

/// How the generator uses a structure (or where a member sits), which decides whether
/// a member is an `Option` and whether a builder's `build()` returns a `Result`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// An operation input (`<Op>Input`): every field is an `Option`, `build()` is fallible.
    Input,
    /// An operation output (`<Op>Output`): required or defaulted fields are plain values.
    Output,
    /// An error structure: every field is an `Option`.
    Error,
    /// A structure in `types` (also used when an input/output is nested in another shape).
    Plain,
    /// A union variant, list member or map key/value: no nullability of its own.
    Element,
}

impl Role {
    /// Whether HTTP binding traits on members mean anything here (the generator ignores
    /// them on nested structures).
    pub(super) fn binds_http(self) -> bool {
        matches!(self, Role::Input | Role::Output | Role::Error)
    }
}

/// An operation in the closure and the service that binds it (for its errors and
/// `@paginated` defaults).
pub(super) struct BoundOperation<'m> {
    pub(super) operation: &'m ast::Operation,
    pub(super) service: Option<&'m ast::Service>,
}

/// What a shape becomes in the generated crate.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum RustItem {
    /// A named type of its own (`types::Meeting`, `types::error::NotFoundException`).
    Named(String),
    /// An operation input or output, named after the operation instead of the shape.
    OperationIo,
    /// Nothing of its own: scalars, lists and maps are spelled with std types.
    Inline,
}

/// One value of an `enum`/`intEnum` shape or of a Smithy 1.0 `@enum` string, normalized.
#[derive(Debug, Clone)]
pub(super) struct EnumEntry {
    /// The Smithy member name (or, for an `@enum` string, its `name` or value).
    pub(super) member: String,
    /// The wire value (an integer's decimal text for `intEnum`).
    pub(super) value: String,
    /// The Rust variant or constant name the generator emits.
    pub(super) variant: String,
    /// Its traits, with an `@enum` entry's `documentation`/`tags`/`deprecated` spelled as
    /// the traits of an enum member so both forms compare alike.
    pub(super) traits: Traits,
}

pub(super) struct View<'m> {
    pub(super) model: &'m Model,
    pub(super) services: BTreeMap<&'m str, &'m ast::Service>,
    pub(super) operations: BTreeMap<&'m str, BoundOperation<'m>>,
    /// Every data shape the operations reach (defined in the model, prelude excluded).
    pub(super) shapes: BTreeSet<&'m str>,
    roles: BTreeMap<&'m str, Role>,
}

impl<'m> View<'m> {
    /// The view of `model` restricted to the operations `selected` (absolute shape ids),
    /// or to every bound operation when `None`.
    pub(super) fn new(model: &'m Model, selected: Option<&BTreeSet<String>>) -> Self {
        let services: BTreeMap<&str, &ast::Service> = model
            .shapes
            .iter()
            .filter_map(|(id, shape)| match shape {
                Shape::Service(s) => Some((id.as_str(), s)),
                _ => None,
            })
            .collect();
        let mut operations = BTreeMap::new();
        for (id, service) in bound_operations(model) {
            if selected.is_some_and(|s| !s.contains(id)) {
                continue;
            }
            if let Some(Shape::Operation(operation)) = model.shapes.get(id) {
                let service = service.and_then(|s| services.get(s).copied());
                operations
                    .entry(id)
                    .or_insert(BoundOperation { operation, service });
            }
        }

        let mut io: BTreeMap<&str, Role> = BTreeMap::new();
        let mut roots = Vec::new();
        for bound in operations.values() {
            let op = bound.operation;
            for (r, role) in [(&op.input, Role::Input), (&op.output, Role::Output)] {
                if let Some(r) = r {
                    io.entry(r.target.as_str()).or_insert(role);
                    roots.push(r.target.as_str());
                }
            }
            roots.extend(bound.errors().map(|e| e.target.as_str()));
        }
        let shapes = closure(model, roots);

        // As the generator decides it: an input or output that is also a member target is
        // a `types` structure.
        let nested: BTreeSet<&str> = shapes
            .iter()
            .filter_map(|id| model.shapes.get(*id))
            .flat_map(member_targets)
            .collect();
        let roles = shapes
            .iter()
            .filter_map(|id| match model.shapes.get(*id) {
                Some(Shape::Structure(s)) => {
                    let role = if s.traits.contains_key(ERROR) {
                        Role::Error
                    } else if nested.contains(id) {
                        Role::Plain
                    } else {
                        io.get(id).copied().unwrap_or(Role::Plain)
                    };
                    Some((*id, role))
                }
                _ => None,
            })
            .collect();
        View {
            model,
            services,
            operations,
            shapes,
            roles,
        }
    }

    pub(super) fn shape(&self, id: &str) -> Option<&'m Shape> {
        self.model.shapes.get(id)
    }

    /// The role of a structure in the closure (`Plain` for anything else).
    pub(super) fn role(&self, id: &str) -> Role {
        self.roles.get(id).copied().unwrap_or(Role::Plain)
    }

    /// What the shape `id` becomes in the generated crate.
    pub(super) fn rust_item(&self, id: &str) -> RustItem {
        let name = pascal(shape_name(id));
        match self.shape(id) {
            Some(Shape::Structure(_)) => match self.role(id) {
                Role::Input | Role::Output => RustItem::OperationIo,
                Role::Error => RustItem::Named(format!("types::error::{name}")),
                Role::Plain | Role::Element => RustItem::Named(format!("types::{name}")),
            },
            Some(Shape::Union(_) | Shape::Enum(_)) => RustItem::Named(format!("types::{name}")),
            Some(Shape::String(s)) if s.traits.contains_key(ENUM) => {
                RustItem::Named(format!("types::{name}"))
            }
            _ => RustItem::Inline,
        }
    }

    /// The Rust type a member targeting `target` has (before any `Option`). Two targets
    /// with equal Rust types are interchangeable for callers.
    pub(super) fn rust_type(&self, target: &str) -> String {
        self.rust_type_at(target, 0)
    }

    fn rust_type_at(&self, target: &str, depth: usize) -> String {
        // Lists and maps cannot recurse without a named structure in between; a model
        // that does anyway gets a placeholder rather than unbounded recursion.
        if depth > 16 {
            return format!("<`{target}` nested too deeply>");
        }
        if let Some(name) = target.strip_prefix(PRELUDE) {
            return prelude_rust_type(name).map_or_else(
                || format!("<unknown prelude shape `{target}`>"),
                str::to_owned,
            );
        }
        let Some(shape) = self.shape(target) else {
            return format!("<undefined `{target}`>");
        };
        let name = pascal(shape_name(target));
        match shape {
            Shape::Structure(s) if s.traits.contains_key(ERROR) => format!("types::error::{name}"),
            Shape::Structure(_) | Shape::Union(_) | Shape::Enum(_) => format!("types::{name}"),
            Shape::String(s) if s.traits.contains_key(ENUM) => format!("types::{name}"),
            // The generator spells an intEnum as `i32`, but its name decides its values.
            Shape::IntEnum(_) => format!("i32 (intEnum `{name}`)"),
            Shape::List(c) | Shape::Set(c) => {
                format!("Vec<{}>", self.rust_type_at(&c.member.target, depth + 1))
            }
            Shape::Map(m) => format!(
                "HashMap<{}, {}>",
                self.rust_type_at(&m.key.target, depth + 1),
                self.rust_type_at(&m.value.target, depth + 1)
            ),
            other => {
                scalar_rust_type(other).map_or_else(|| other.type_name().to_owned(), str::to_owned)
            }
        }
    }

    /// A trait of the member, or else of its target (member traits override).
    pub(super) fn effective<'a>(&'a self, m: &'a Member, trait_id: &str) -> Option<&'a Value> {
        m.traits
            .get(trait_id)
            .or_else(|| self.shape(&m.target)?.traits().get(trait_id))
    }

    /// A constraint that applies to the member's values: `@uniqueItems` belongs to the
    /// target collection (a `set` implies it); the others may sit on the member too.
    pub(super) fn effective_constraint(&self, m: &Member, trait_id: &str) -> Option<Value> {
        if trait_id == UNIQUE_ITEMS {
            return self.shape(&m.target).and_then(unique_items);
        }
        self.effective(m, trait_id).cloned()
    }

    /// The member's default value, if it has a non-null one: its own `@default` (where
    /// `@default(null)`, or Smithy 1.0's `@box`, removes the target's), else its target's.
    pub(super) fn default_of(&self, m: &Member) -> Option<Value> {
        let value = match m.traits.get(DEFAULT) {
            Some(v) => Some(v.clone()),
            None if m.traits.contains_key(BOX) => None,
            None => self.target_default(&m.target),
        };
        value.filter(|v| !v.is_null())
    }

    fn target_default(&self, target: &str) -> Option<Value> {
        match target.strip_prefix(PRELUDE) {
            Some("PrimitiveBoolean") => Some(Value::Bool(false)),
            Some(
                "PrimitiveByte" | "PrimitiveShort" | "PrimitiveInteger" | "PrimitiveLong"
                | "PrimitiveFloat" | "PrimitiveDouble",
            ) => Some(json!(0)),
            Some(_) => None,
            None => self.shape(target)?.traits().get(DEFAULT).cloned(),
        }
    }

    /// Whether the generated field is an `Option`: inputs and errors always are; elsewhere
    /// a required or defaulted member is a plain value unless `@clientOptional`.
    pub(super) fn is_optional(&self, m: &Member, role: Role) -> bool {
        match role {
            Role::Input | Role::Error => true,
            Role::Element => false,
            Role::Output | Role::Plain => {
                m.traits.contains_key(CLIENT_OPTIONAL)
                    || !(m.traits.contains_key(REQUIRED) || self.default_of(m).is_some())
            }
        }
    }

    /// Whether the structure's builder `build()` returns a `Result`: always for inputs,
    /// otherwise when some plain-valued field has no default and is not a collection.
    pub(super) fn builder_is_fallible<'a>(
        &self,
        members: impl IntoIterator<Item = &'a Member>,
        role: Role,
    ) -> bool {
        role == Role::Input
            || members.into_iter().any(|m| {
                !self.is_optional(m, role)
                    && self.default_of(m).is_none()
                    && !matches!(
                        self.shape(&m.target),
                        Some(Shape::List(_) | Shape::Set(_) | Shape::Map(_))
                    )
            })
    }
}

impl<'m> BoundOperation<'m> {
    /// The errors the operation's error enum has: its own and its service's.
    pub(super) fn errors(&self) -> impl Iterator<Item = &'m ast::ShapeRef> + 'm {
        let (operation, service) = (self.operation, self.service);
        operation
            .errors
            .iter()
            .chain(service.into_iter().flat_map(|s| &s.errors))
    }
}

/// Every operation bound to a service (directly or through resources, nested resources
/// included), with the service's id; a model without services binds every operation.
pub(super) fn bound_operations(model: &Model) -> Vec<(&str, Option<&str>)> {
    let mut found = Vec::new();
    let mut any_service = false;
    for (service_id, shape) in &model.shapes {
        let Shape::Service(service) = shape else {
            continue;
        };
        any_service = true;
        let mut ops: Vec<&str> = service
            .operations
            .iter()
            .map(|r| r.target.as_str())
            .collect();
        let mut resources: Vec<&str> = service
            .resources
            .iter()
            .map(|r| r.target.as_str())
            .collect();
        let mut seen = BTreeSet::new();
        while let Some(id) = resources.pop() {
            if !seen.insert(id) {
                continue;
            }
            if let Some(Shape::Resource(r)) = model.shapes.get(id) {
                ops.extend(r.bound_operations().map(|o| o.target.as_str()));
                resources.extend(r.resources.iter().map(|r| r.target.as_str()));
            }
        }
        found.extend(ops.into_iter().map(|op| (op, Some(service_id.as_str()))));
    }
    if !any_service {
        found.extend(
            model
                .shapes
                .iter()
                .filter(|(_, s)| matches!(s, Shape::Operation(_)))
                .map(|(id, _)| (id.as_str(), None)),
        );
    }
    found
}

/// The data shapes reachable from `roots` through members, list members and map
/// keys/values (prelude shapes and undefined targets left out).
fn closure<'m>(model: &'m Model, roots: Vec<&'m str>) -> BTreeSet<&'m str> {
    let mut seen = BTreeSet::new();
    let mut stack = roots;
    while let Some(id) = stack.pop() {
        let Some((key, shape)) = model.shapes.get_key_value(id) else {
            continue;
        };
        if !matches!(
            shape,
            Shape::Operation(_) | Shape::Service(_) | Shape::Resource(_)
        ) && seen.insert(key.as_str())
        {
            stack.extend(member_targets(shape));
        }
    }
    seen
}

/// The shapes a shape's members target (enum members target `Unit`; left out).
fn member_targets(shape: &Shape) -> Vec<&str> {
    match shape {
        Shape::Structure(s) | Shape::Union(s) => {
            s.members.values().map(|m| m.target.as_str()).collect()
        }
        Shape::List(c) | Shape::Set(c) => vec![c.member.target.as_str()],
        Shape::Map(m) => vec![m.key.target.as_str(), m.value.target.as_str()],
        _ => Vec::new(),
    }
}

/// What a shape is for callers, ignoring how Smithy spells it: `set` and `list` are both
/// lists, an `@enum` string and an `enum` shape are both enums.
pub(super) fn api_kind(shape: &Shape) -> &'static str {
    match shape {
        Shape::Structure(s) if s.traits.contains_key(ERROR) => "error structure",
        Shape::Structure(_) => "structure",
        Shape::Union(_) => "union",
        Shape::Enum(_) => "enum",
        Shape::String(s) if s.traits.contains_key(ENUM) => "enum",
        Shape::IntEnum(_) => "intEnum",
        Shape::List(_) | Shape::Set(_) => "list",
        Shape::Map(_) => "map",
        other => scalar_rust_type(other).unwrap_or_else(|| other.type_name()),
    }
}

/// `@uniqueItems` of a collection, as a trait value (a `set` has it implicitly).
pub(super) fn unique_items(shape: &Shape) -> Option<Value> {
    match shape {
        Shape::Set(_) => Some(json!({})),
        other => other.traits().get(UNIQUE_ITEMS).cloned(),
    }
}

/// The values of an enum, in either spelling; `None` when the shape is not an enum.
pub(super) fn enum_entries(shape: &Shape) -> Option<Vec<EnumEntry>> {
    match shape {
        Shape::Enum(e) => Some(
            e.members
                .iter()
                .map(|(name, m)| EnumEntry {
                    member: name.clone(),
                    value: match m.traits.get(ENUM_VALUE) {
                        Some(Value::String(v)) => v.clone(),
                        _ => name.clone(),
                    },
                    variant: variant(name),
                    traits: without(&m.traits, ENUM_VALUE),
                })
                .collect(),
        ),
        Shape::IntEnum(e) => Some(
            e.members
                .iter()
                .map(|(name, m)| EnumEntry {
                    member: name.clone(),
                    value: m
                        .traits
                        .get(ENUM_VALUE)
                        .map_or_else(String::new, Value::to_string),
                    variant: name.to_shouty_snake_case(),
                    traits: without(&m.traits, ENUM_VALUE),
                })
                .collect(),
        ),
        Shape::String(s) => {
            let definitions = s.traits.get(ENUM)?.as_array()?;
            Some(definitions.iter().map(legacy_entry).collect())
        }
        _ => None,
    }
}

fn legacy_entry(definition: &Value) -> EnumEntry {
    let value = definition["value"].as_str().unwrap_or_default().to_owned();
    let name = definition["name"].as_str().unwrap_or(&value).to_owned();
    let mut traits = Traits::new();
    if let Some(doc) = definition.get("documentation") {
        traits.insert("smithy.api#documentation".into(), doc.clone());
    }
    if let Some(tags) = definition.get("tags") {
        traits.insert("smithy.api#tags".into(), tags.clone());
    }
    if definition.get("deprecated") == Some(&Value::Bool(true)) {
        traits.insert("smithy.api#deprecated".into(), json!({}));
    }
    EnumEntry {
        variant: variant(&name),
        member: name,
        value,
        traits,
    }
}

fn without(traits: &Traits, trait_id: &str) -> Traits {
    traits
        .iter()
        .filter(|(k, _)| *k != trait_id)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn prelude_rust_type(name: &str) -> Option<&'static str> {
    Some(match name {
        "String" => "String",
        "Boolean" | "PrimitiveBoolean" => "bool",
        "Byte" | "PrimitiveByte" => "i8",
        "Short" | "PrimitiveShort" => "i16",
        "Integer" | "PrimitiveInteger" => "i32",
        "Long" | "PrimitiveLong" => "i64",
        "Float" | "PrimitiveFloat" => "f32",
        "Double" | "PrimitiveDouble" => "f64",
        "BigInteger" => "BigInteger",
        "BigDecimal" => "BigDecimal",
        "Blob" => "Blob",
        "Timestamp" => "DateTime",
        "Document" => "Document",
        "Unit" => "()",
        _ => return None,
    })
}

fn scalar_rust_type(shape: &Shape) -> Option<&'static str> {
    Some(match shape {
        Shape::String(_) => "String",
        Shape::Boolean(_) => "bool",
        Shape::Byte(_) => "i8",
        Shape::Short(_) => "i16",
        Shape::Integer(_) => "i32",
        Shape::Long(_) => "i64",
        Shape::Float(_) => "f32",
        Shape::Double(_) => "f64",
        Shape::BigInteger(_) => "BigInteger",
        Shape::BigDecimal(_) => "BigDecimal",
        Shape::Blob(_) => "Blob",
        Shape::Timestamp(_) => "DateTime",
        Shape::Document(_) => "Document",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(shapes: Value) -> Model {
        serde_json::from_value(json!({"smithy": "2.0", "shapes": shapes})).unwrap()
    }

    fn sample() -> Model {
        model(json!({
            "a#Svc": {"type": "service", "version": "1",
                      "resources": [{"target": "a#Res"}], "errors": [{"target": "a#Oops"}]},
            "a#Res": {"type": "resource", "read": {"target": "a#Get"},
                      "resources": [{"target": "a#Child"}]},
            "a#Child": {"type": "resource", "operations": [{"target": "a#Put"}]},
            "a#Get": {"type": "operation", "input": {"target": "a#GetIn"},
                      "output": {"target": "a#GetOut"}},
            "a#Put": {"type": "operation", "input": {"target": "a#Thing"}},
            "a#Unbound": {"type": "operation", "input": {"target": "a#Far"}},
            "a#GetIn": {"type": "structure", "members": {"Id": {"target": "smithy.api#String"}}},
            "a#GetOut": {"type": "structure", "members": {"Things": {"target": "a#Things"}}},
            "a#Things": {"type": "list", "member": {"target": "a#Thing"}},
            "a#Thing": {"type": "structure", "members": {
                "N": {"target": "a#Count", "traits": {"smithy.api#required": {}}},
                "M": {"target": "a#Count", "traits": {"smithy.api#default": null}},
                "B": {"target": "a#Count", "traits": {"smithy.api#box": {}}},
                "O": {"target": "smithy.api#Integer", "traits": {"smithy.api#required": {},
                                                                "smithy.api#clientOptional": {}}}}},
            "a#Count": {"type": "integer", "traits": {"smithy.api#default": 0}},
            "a#Oops": {"type": "structure", "members": {}, "traits": {"smithy.api#error": "client"}},
            "a#Far": {"type": "structure", "members": {}}
        }))
    }

    #[test]
    fn the_closure_follows_resources_and_service_errors_and_skips_unbound_operations() {
        let m = sample();
        let v = View::new(&m, None);
        assert_eq!(
            v.operations.keys().copied().collect::<Vec<_>>(),
            ["a#Get", "a#Put"]
        );
        assert_eq!(
            v.shapes.iter().copied().collect::<Vec<_>>(),
            ["a#Count", "a#GetIn", "a#GetOut", "a#Oops", "a#Thing", "a#Things"]
        );
    }

    #[test]
    fn roles_follow_the_generator_nested_inputs_are_types() {
        let m = sample();
        let v = View::new(&m, None);
        assert_eq!(v.role("a#GetIn"), Role::Input);
        assert_eq!(v.role("a#GetOut"), Role::Output);
        assert_eq!(v.role("a#Oops"), Role::Error);
        // Input of Put, but also a list member: a `types` structure.
        assert_eq!(v.role("a#Thing"), Role::Plain);
        assert_eq!(
            v.rust_item("a#Thing"),
            RustItem::Named("types::Thing".into())
        );
        assert_eq!(v.rust_item("a#GetIn"), RustItem::OperationIo);
        assert_eq!(v.rust_item("a#Things"), RustItem::Inline);
    }

    #[test]
    fn a_selection_restricts_operations_and_shapes() {
        let m = sample();
        let only_get = BTreeSet::from(["a#Get".to_owned()]);
        let v = View::new(&m, Some(&only_get));
        assert_eq!(v.operations.len(), 1);
        assert!(v.shapes.contains("a#Thing") && !v.shapes.contains("a#Far"));
        // Without Put, Thing is only nested: still Plain. GetIn stays Input.
        assert_eq!(v.role("a#GetIn"), Role::Input);
    }

    #[test]
    fn a_model_without_services_binds_every_operation() {
        let m = model(json!({
            "a#Op": {"type": "operation", "input": {"target": "a#In"}},
            "a#In": {"type": "structure", "members": {}}
        }));
        let v = View::new(&m, None);
        assert_eq!(v.operations.keys().copied().collect::<Vec<_>>(), ["a#Op"]);
        assert!(v.operations["a#Op"].service.is_none());
        assert_eq!(v.role("a#In"), Role::Input);
    }

    #[test]
    fn nullability_and_builders_follow_required_default_and_client_optional() {
        let m = sample();
        let v = View::new(&m, None);
        let Some(Shape::Structure(thing)) = v.shape("a#Thing") else {
            panic!("Thing is a structure")
        };
        let [n, mm, b, o] = ["N", "M", "B", "O"].map(|k| &thing.members[k]);
        assert!(!v.is_optional(n, Role::Plain), "required: plain value");
        assert!(
            v.is_optional(mm, Role::Plain),
            "@default(null) removes the target default"
        );
        assert!(v.is_optional(b, Role::Plain), "so does a 1.0 member @box");
        assert!(
            v.is_optional(o, Role::Plain),
            "@clientOptional keeps the Option"
        );
        assert!(v.is_optional(n, Role::Input) && v.is_optional(n, Role::Error));
        assert_eq!(v.default_of(n), Some(json!(0)));
        // N is required but defaulted, so build() needs nothing.
        assert!(!v.builder_is_fallible(thing.members.values(), Role::Plain));
        assert!(v.builder_is_fallible([], Role::Input));
    }

    #[test]
    fn rust_types_name_what_callers_write() {
        let m = model(json!({
            "a#L": {"type": "set", "member": {"target": "a#E"}},
            "a#E": {"type": "string", "traits": {"smithy.api#enum": [{"value": "x"}]}},
            "a#M": {"type": "map", "key": {"target": "smithy.api#String"},
                    "value": {"target": "a#I"}},
            "a#I": {"type": "intEnum", "members": {"ONE": {"target": "smithy.api#Unit",
                    "traits": {"smithy.api#enumValue": 1}}}},
            "a#Loop": {"type": "list", "member": {"target": "a#Loop"}}
        }));
        let v = View::new(&m, None);
        assert_eq!(v.rust_type("a#L"), "Vec<types::E>");
        assert_eq!(v.rust_type("a#M"), "HashMap<String, i32 (intEnum `I`)>");
        assert_eq!(v.rust_type("smithy.api#PrimitiveLong"), "i64");
        assert!(v.rust_type("a#Loop").contains("nested too deeply"));
        assert!(v.rust_type("a#Nope").contains("undefined"));
    }

    #[test]
    fn both_enum_spellings_give_the_same_entries() {
        let m = model(json!({
            "a#Old": {"type": "string", "traits": {"smithy.api#enum": [
                {"value": "send-receive", "name": "SEND_RECEIVE", "documentation": "both"}]}},
            "a#New": {"type": "enum", "members": {"SEND_RECEIVE": {"target": "smithy.api#Unit",
                "traits": {"smithy.api#enumValue": "send-receive",
                           "smithy.api#documentation": "both"}}}}
        }));
        let [old, new] = ["a#Old", "a#New"].map(|id| enum_entries(&m.shapes[id]).unwrap());
        assert_eq!(old[0].member, new[0].member);
        assert_eq!(old[0].value, new[0].value);
        assert_eq!(old[0].variant, "SendReceive");
        assert_eq!(old[0].traits, new[0].traits);
        assert_eq!(api_kind(&m.shapes["a#Old"]), api_kind(&m.shapes["a#New"]));
    }
}
