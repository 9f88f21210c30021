//! The comparison itself: the service, the operations, then every data shape either
//! model's operations reach. Facts about the Rust API come from the generator's IR (see
//! `view.rs`); the model's traits are compared for what the IR does not carry.
//!
//! One principle keeps reports free of duplicates: a member reports what it refers to
//! (its target's constraints, default, format) only when the reference changed or the
//! member overrides it; otherwise the target shape reports its own change, once. The
//! exception is nullability, which is the member's own Rust type and always judged there.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::traits::{classify, constraint_movement, describe, judge, Movement};
use super::view::{
    field_type, readable, EnumEntry, Item, OperationView, View, CLIENT_OPTIONAL, DEFAULT,
    ENUM_VALUE, REQUIRED, UNIQUE_ITEMS, UNIT,
};
use super::{Change, ChangeKind, Impact};
use crate::ast::{self, Shape, Traits};
use crate::ir::{self, DefaultValue, Paginated, Role, Type};

const HTTP: &str = "smithy.api#http";
const PAGINATED: &str = "smithy.api#paginated";
const IDEMPOTENCY_TOKEN: &str = "smithy.api#idempotencyToken";
const LENGTH: &str = "smithy.api#length";
const RANGE: &str = "smithy.api#range";
const PATTERN: &str = "smithy.api#pattern";
/// Traits a member can inherit from its target, compared as the member sees them.
const INHERITED: [&str; 3] = [
    "smithy.api#sensitive",
    "smithy.api#timestampFormat",
    "smithy.api#mediaType",
];
/// Member traits with a rule of their own (everything else goes by [`classify`]).
const MEMBER_RULES: [&str; 10] = [
    REQUIRED,
    DEFAULT,
    CLIENT_OPTIONAL,
    IDEMPOTENCY_TOKEN,
    LENGTH,
    RANGE,
    PATTERN,
    INHERITED[0],
    INHERITED[1],
    INHERITED[2],
];
/// Shape traits with a rule of their own.
const SHAPE_RULES: [&str; 5] = [LENGTH, RANGE, PATTERN, UNIQUE_ITEMS, DEFAULT];
const CONSTRAINTS: [&str; 4] = [LENGTH, RANGE, PATTERN, UNIQUE_ITEMS];

type Members = indexmap::IndexMap<String, ast::Member>;

pub(super) struct Differ<'a> {
    old: &'a View<'a>,
    new: &'a View<'a>,
    changes: Vec<Change>,
}

/// What a member is in the generated code.
#[derive(Clone, Copy)]
enum Slot<'a> {
    /// A structure member (a struct field and a builder setter) of structure `owner`.
    Field {
        ir: &'a ir::Member,
        role: Role,
        owner: &'a str,
    },
    /// A union variant (`None`: a unit variant).
    Variant(Option<&'a Type>),
    /// A list member, or a map key or value.
    Element(&'a Type),
}

/// A member as one model has it and the generator resolves it.
#[derive(Clone, Copy)]
struct Side<'a> {
    view: &'a View<'a>,
    member: &'a ast::Member,
    slot: Slot<'a>,
}

impl<'a> Side<'a> {
    /// The value's Rust type, without the field's `Option`.
    fn rust_type(&self) -> String {
        match self.slot {
            Slot::Field { ir, .. } => readable(&ir.ty),
            Slot::Variant(Some(ty)) | Slot::Element(ty) => readable(ty),
            Slot::Variant(None) => "()".to_owned(),
        }
    }

    /// Whether the generated field is an `Option` (variants and elements never are).
    fn optional(&self) -> bool {
        matches!(self.slot, Slot::Field { ir, .. } if ir.optional)
    }

    fn role(&self) -> Option<Role> {
        match self.slot {
            Slot::Field { role, .. } => Some(role),
            _ => None,
        }
    }

    /// Whether HTTP binding traits mean anything here (the generator ignores them on
    /// nested structures, unions and collections).
    fn binds_http(&self) -> bool {
        matches!(self.role(), Some(Role::Input | Role::Output | Role::Error))
    }

    /// The default the model gives a structure member, as the generator reads it.
    fn model_default(&self) -> Option<&'a DefaultValue> {
        match self.slot {
            Slot::Field { ir, owner, .. } => self.view.model_default(owner, &ir.name),
            _ => None,
        }
    }

    fn has(&self, trait_id: &str) -> bool {
        self.member.traits.contains_key(trait_id)
    }

    fn own(&self, trait_id: &str) -> Option<&'a Value> {
        self.member.traits.get(trait_id)
    }

    /// A trait of the member, or else of its target (member traits override).
    fn effective(&self, trait_id: &str) -> Option<&'a Value> {
        self.own(trait_id)
            .or_else(|| self.view.shape(&self.member.target)?.traits().get(trait_id))
    }
}

/// The members of a structure as one model has them, by name. `None` for `Unit`.
fn fields<'a>(
    view: &'a View<'a>,
    members: Option<&'a Members>,
    structure: &'a ir::Structure,
) -> BTreeMap<&'a str, Side<'a>> {
    structure
        .members
        .iter()
        .filter_map(|ir| {
            let member = members?.get(&ir.name)?;
            let slot = Slot::Field {
                ir,
                role: structure.role,
                owner: &structure.shape_id,
            };
            Some((ir.name.as_str(), Side { view, member, slot }))
        })
        .collect()
}

/// The variants of a union as one model has them, by name.
fn variants<'a>(
    view: &'a View<'a>,
    members: &'a Members,
    union: &'a ir::Union,
) -> BTreeMap<&'a str, Side<'a>> {
    union
        .variants
        .iter()
        .filter_map(|v| {
            let member = members.get(&v.name)?;
            let slot = Slot::Variant(v.ty.as_ref());
            Some((v.name.as_str(), Side { view, member, slot }))
        })
        .collect()
}

/// The member of a list, or the key and value of a map, by name.
fn elements<'a>(view: &'a View<'a>, id: &str, shape: &'a Shape) -> BTreeMap<&'a str, Side<'a>> {
    let side = |member, ty| Side {
        view,
        member,
        slot: Slot::Element(ty),
    };
    match (shape, view.type_of(id)) {
        (Shape::List(c), Some(Type::List(item) | Type::SparseList(item))) => {
            BTreeMap::from([("member", side(&c.member, &**item))])
        }
        (Shape::Map(m), Some(Type::Map(key, value) | Type::SparseMap(key, value))) => {
            BTreeMap::from([
                ("key", side(&m.key, &**key)),
                ("value", side(&m.value, &**value)),
            ])
        }
        _ => BTreeMap::new(),
    }
}

impl<'a> Differ<'a> {
    pub(super) fn new(old: &'a View<'a>, new: &'a View<'a>) -> Self {
        Differ {
            old,
            new,
            changes: Vec::new(),
        }
    }

    /// Every change, unsorted.
    pub(super) fn run(mut self) -> Vec<Change> {
        self.service();
        self.operations();
        self.data_shapes();
        self.changes
    }

    fn push(
        &mut self,
        impact: Impact,
        kind: ChangeKind,
        shape: &str,
        member: Option<&str>,
        detail: impl Into<String>,
    ) {
        self.changes.push(Change {
            impact,
            kind,
            shape: shape.to_owned(),
            member: member.map(str::to_owned),
            detail: detail.into(),
        });
    }

    // -----------------------------------------------------------------------------------
    // The service and its operations

    /// Each model has one service (the generator refuses others): the same service even
    /// if its shape was renamed.
    fn service(&mut self) {
        let (old, new) = (self.old, self.new);
        let (old_id, new_id) = (old.service_id.as_str(), new.service_id.as_str());
        if old_id != new_id {
            self.push(
                Impact::None,
                ChangeKind::RepresentationChanged,
                new_id,
                None,
                format!(
                    "the service shape was `{old_id}`; the generated client is named after its crate"
                ),
            );
        }
        let (o, n) = (old.service, new.service);
        if o.version != n.version {
            self.push(
                Impact::Documentation,
                ChangeKind::DocumentationChanged,
                new_id,
                None,
                format!("API version `{}` → `{}`", o.version, n.version),
            );
        }
        // Service-level `@paginated` defaults are judged in each paginated operation.
        self.traits(new_id, None, &o.traits, &n.traits, &[PAGINATED], false);
    }

    fn operations(&mut self) {
        let (old, new) = (self.old, self.new);
        let ids: BTreeSet<&str> = old.operation_ids().chain(new.operation_ids()).collect();
        for id in ids {
            match (old.operation(id), new.operation(id)) {
                (Some(o), None) => self.push(
                    Impact::Breaking,
                    ChangeKind::OperationRemoved,
                    id,
                    None,
                    format!(
                        "the client method `{}()` and its input, output and error types are gone",
                        o.ir.snake
                    ),
                ),
                (None, Some(n)) => self.push(
                    Impact::Additive,
                    ChangeKind::OperationAdded,
                    id,
                    None,
                    format!("new client method `{}()`", n.ir.snake),
                ),
                (Some(o), Some(n)) => self.operation(id, o, n),
                (None, None) => {}
            }
        }
    }

    fn operation(&mut self, id: &str, o: OperationView<'a>, n: OperationView<'a>) {
        self.http(id, o.ir, n.ir);
        self.paginator(
            id,
            &n.ir.snake,
            o.ir.paginated.as_ref(),
            n.ir.paginated.as_ref(),
        );
        self.operation_io(id, (&o.ast.input, &o.ir.input), (&n.ast.input, &n.ir.input));
        self.operation_io(
            id,
            (&o.ast.output, &o.ir.output),
            (&n.ast.output, &n.ir.output),
        );

        let error_enum = format!("`{}Error`", n.ir.name);
        let (old_errors, new_errors) = (error_variants(o.ir), error_variants(n.ir));
        for e in new_errors.difference(&old_errors) {
            self.push(
                Impact::Additive,
                ChangeKind::ErrorAdded,
                id,
                None,
                format!("{error_enum} gains the variant `{e}`"),
            );
        }
        for e in old_errors.difference(&new_errors) {
            self.push(
                Impact::Breaking,
                ChangeKind::ErrorRemoved,
                id,
                None,
                format!("{error_enum} loses the variant `{e}`"),
            );
        }
        self.traits(
            id,
            None,
            &o.ast.traits,
            &n.ast.traits,
            &[HTTP, PAGINATED],
            false,
        );
    }

    /// `@http`: method, URI and success code each change the request on the wire.
    fn http(&mut self, id: &str, o: &ir::Operation, n: &ir::Operation) {
        for (key, a, b) in [
            (
                "method",
                format!("{:?}", o.method),
                format!("{:?}", n.method),
            ),
            ("uri", format!("{:?}", o.uri), format!("{:?}", n.uri)),
            ("code", o.code.to_string(), n.code.to_string()),
        ] {
            if a != b {
                self.push(
                    Impact::Breaking,
                    ChangeKind::HttpBindingChanged,
                    id,
                    None,
                    format!("HTTP {key} {a} → {b}"),
                );
            }
        }
    }

    fn paginator(
        &mut self,
        id: &str,
        snake: &str,
        old: Option<&Paginated>,
        new: Option<&Paginated>,
    ) {
        let method = format!("`{snake}().into_paginator()`");
        match (old, new) {
            (None, Some(_)) => self.push(
                Impact::Additive,
                ChangeKind::PaginatorAdded,
                id,
                None,
                format!("new paginator {method}"),
            ),
            (Some(_), None) => self.push(
                Impact::Breaking,
                ChangeKind::PaginatorRemoved,
                id,
                None,
                format!("the paginator {method} is gone"),
            ),
            (Some(o), Some(n)) => {
                for ((key, a), (_, b)) in pagination_fields(o).into_iter().zip(pagination_fields(n))
                {
                    let (impact, verb) = match (&a, &b) {
                        (None, Some(_)) => (Impact::Additive, "added"),
                        (Some(_), None) => (Impact::Breaking, "removed"),
                        (Some(a), Some(b)) if a != b => (Impact::Breaking, "changed"),
                        _ => continue,
                    };
                    let show = |v: Option<String>| v.unwrap_or_else(|| "none".to_owned());
                    self.push(
                        impact,
                        ChangeKind::PaginatorChanged,
                        id,
                        None,
                        format!("`{key}` {verb}: {} → {}", show(a), show(b)),
                    );
                }
            }
            (None, None) => {}
        }
    }

    /// An operation's input or output, compared as the `<Op>Input`/`<Op>Output` type it
    /// becomes, whatever its shape is called (`Unit` is an empty structure).
    fn operation_io(
        &mut self,
        op: &str,
        (old_ref, old): (&'a Option<ast::ShapeRef>, &'a ir::Structure),
        (new_ref, new): (&'a Option<ast::ShapeRef>, &'a ir::Structure),
    ) {
        let (o, n) = (
            io_structure(self.old, old_ref),
            io_structure(self.new, new_ref),
        );
        if let (Some((old_id, ..)), Some((new_id, ..))) = (o, n) {
            if old_id != new_id {
                self.push(
                    Impact::None,
                    ChangeKind::RepresentationChanged,
                    op,
                    None,
                    format!(
                        "its structure `{old_id}` is now `{new_id}`; the Rust type stays `{}`",
                        new.name
                    ),
                );
            }
        }
        let at = n.or(o).map_or(op, |(id, ..)| id);
        self.structure(
            at,
            fields(self.old, o.map(|(.., m)| m), old),
            old.fallible_build,
            fields(self.new, n.map(|(.., m)| m), new),
            new.fallible_build,
        );
        if let (Some((_, old_shape, _)), Some((_, new_shape, _))) = (o, n) {
            self.shape_traits(at, old_shape, new_shape);
        }
    }

    // -----------------------------------------------------------------------------------
    // Data shapes

    fn data_shapes(&mut self) {
        let (old, new) = (self.old, self.new);
        let ids: BTreeSet<&str> = old.shape_ids().chain(new.shape_ids()).collect();
        for id in ids {
            match (old.reaches(id), new.reaches(id)) {
                (true, false) => self.shape_presence(id, old.item_path(id), false),
                (false, true) => self.shape_presence(id, new.item_path(id), true),
                (true, true) => self.shape(id),
                (false, false) => {}
            }
        }
    }

    /// A shape that one model's operations reach and the other's do not; `path` is its
    /// Rust type's, if it has one of its own.
    fn shape_presence(&mut self, id: &str, path: Option<String>, added: bool) {
        let (impact, kind, detail) = match (path, added) {
            (Some(path), true) => (
                Impact::Additive,
                ChangeKind::ShapeAdded,
                format!("new type `{path}`"),
            ),
            (Some(path), false) => (
                Impact::Breaking,
                ChangeKind::ShapeRemoved,
                format!("the type `{path}` is gone"),
            ),
            (None, true) => (
                Impact::None,
                ChangeKind::ShapeAdded,
                "now used; it has no Rust type of its own".to_owned(),
            ),
            (None, false) => (
                Impact::None,
                ChangeKind::ShapeRemoved,
                "no longer used; it had no Rust type of its own".to_owned(),
            ),
        };
        self.push(impact, kind, id, None, detail);
    }

    fn shape(&mut self, id: &str) {
        let (old, new) = (self.old, self.new);
        let (Some(o), Some(n), Some(old_kind), Some(new_kind)) =
            (old.shape(id), new.shape(id), old.kind(id), new.kind(id))
        else {
            return;
        };
        if old_kind.0 != new_kind.0 {
            let spell = |(kind, rust): (String, String)| {
                if kind == rust {
                    format!("`{rust}`")
                } else {
                    format!("{kind} `{rust}`")
                }
            };
            return self.push(
                Impact::Breaking,
                ChangeKind::ShapeTypeChanged,
                id,
                None,
                format!("{} → {}", spell(old_kind), spell(new_kind)),
            );
        }
        match (old.item(id), new.item(id), o, n) {
            (
                Some(Item::Structure(a) | Item::Error(a)),
                Some(Item::Structure(b) | Item::Error(b)),
                Shape::Structure(x),
                Shape::Structure(y),
            ) => self.structure(
                id,
                fields(old, Some(&x.members), a),
                a.fallible_build,
                fields(new, Some(&y.members), b),
                b.fallible_build,
            ),
            (Some(Item::Union(a)), Some(Item::Union(b)), Shape::Union(x), Shape::Union(y)) => self
                .members(
                    id,
                    variants(old, &x.members, a),
                    variants(new, &y.members, b),
                ),
            (Some(Item::Enum(_) | Item::IntEnum(_)), ..) => {
                if let (Some(a), Some(b)) = (old.enum_entries(id), new.enum_entries(id)) {
                    self.enum_values(id, &a, &b);
                }
            }
            (None, None, ..) => self.members(id, elements(old, id, o), elements(new, id, n)),
            _ => {}
        }
        self.shape_traits(id, o, n);
    }

    /// A shape's own traits: constraints, default, and the rest by class.
    fn shape_traits(&mut self, id: &str, o: &Shape, n: &Shape) {
        let (ot, nt) = (o.traits(), n.traits());
        for c in CONSTRAINTS {
            self.constraint(id, None, c, ot.get(c), nt.get(c));
        }
        let (a, b) = (own_default(ot), own_default(nt));
        if a != b {
            let kind = match (a, b) {
                (None, _) => ChangeKind::DefaultAdded,
                (_, None) => ChangeKind::DefaultRemoved,
                _ => ChangeKind::DefaultChanged,
            };
            self.push(Impact::Behavior, kind, id, None, describe(DEFAULT, a, b));
        }
        self.traits(id, None, ot, nt, &SHAPE_RULES, false);
    }

    fn enum_values(&mut self, id: &str, old: &[EnumEntry], new: &[EnumEntry]) {
        let mut new_unmatched: Vec<&EnumEntry> = new
            .iter()
            .filter(|n| !old.iter().any(|o| o.value == n.value))
            .collect();
        for o in old {
            if let Some(n) = new.iter().find(|n| n.value == o.value) {
                if o.variant != n.variant {
                    self.push(
                        Impact::Breaking,
                        ChangeKind::EnumVariantRenamed,
                        id,
                        Some(n.member),
                        format!(
                            "value `{}`: Rust variant `{}` → `{}`",
                            n.value, o.variant, n.variant
                        ),
                    );
                }
                self.traits(id, Some(n.member), o.traits, n.traits, &[ENUM_VALUE], false);
            } else if let Some(i) = new_unmatched.iter().position(|n| n.variant == o.variant) {
                let n = new_unmatched.remove(i);
                self.push(
                    Impact::Breaking,
                    ChangeKind::EnumValueChanged,
                    id,
                    Some(n.member),
                    format!(
                        "`{}` is sent as `{}`, was `{}`",
                        n.variant, n.value, o.value
                    ),
                );
            } else {
                self.push(
                    Impact::Breaking,
                    ChangeKind::EnumValueRemoved,
                    id,
                    Some(o.member),
                    format!("value `{}` (`{}`) removed", o.value, o.variant),
                );
            }
        }
        for n in new_unmatched {
            self.push(
                Impact::Additive,
                ChangeKind::EnumValueAdded,
                id,
                Some(n.member),
                format!("value `{}` (`{}`) added", n.value, n.variant),
            );
        }
    }

    // -----------------------------------------------------------------------------------
    // Members

    /// The fields of a structure, then whether its builder's `build()` returns a `Result`.
    fn structure(
        &mut self,
        at: &str,
        old: BTreeMap<&'a str, Side<'a>>,
        old_fallible: bool,
        new: BTreeMap<&'a str, Side<'a>>,
        new_fallible: bool,
    ) {
        self.members(at, old, new);
        if old_fallible != new_fallible {
            self.push(
                Impact::Breaking,
                ChangeKind::BuilderFallibilityChanged,
                at,
                None,
                if new_fallible {
                    "the builder's `build()` now returns a `Result`: a field without a default became required"
                } else {
                    "the builder's `build()` no longer returns a `Result`"
                },
            );
        }
    }

    /// The members of a structure, union, list or map, matched by name.
    fn members(
        &mut self,
        at: &str,
        old: BTreeMap<&'a str, Side<'a>>,
        new: BTreeMap<&'a str, Side<'a>>,
    ) {
        let names: BTreeSet<&str> = old.keys().chain(new.keys()).copied().collect();
        for name in names {
            match (old.get(name), new.get(name)) {
                (Some(o), None) => self.push(
                    Impact::Breaking,
                    ChangeKind::MemberRemoved,
                    at,
                    Some(name),
                    match o.slot {
                        Slot::Field { .. } => "the field and its setter are gone",
                        _ => "variant removed",
                    },
                ),
                (None, Some(n)) => self.member_added(at, name, n),
                (Some(o), Some(n)) => self.member(at, name, *o, *n),
                (None, None) => {}
            }
        }
    }

    fn member_added(&mut self, at: &str, name: &str, n: &Side<'a>) {
        let required = n.has(REQUIRED);
        let defaulted = n.model_default().is_some();
        let (impact, what) = match n.role() {
            None => (Impact::Additive, "variant added"),
            Some(Role::Input | Role::Plain) if required && !defaulted => (
                Impact::Breaking,
                "required member added: callers must now set it",
            ),
            _ if required => (Impact::Additive, "required member added"),
            _ if defaulted => (Impact::Additive, "member added with a default"),
            _ => (Impact::Additive, "optional member added"),
        };
        self.push(
            impact,
            ChangeKind::MemberAdded,
            at,
            Some(name),
            format!("{what} (`{}`)", n.rust_type()),
        );
    }

    fn member(&mut self, at: &str, name: &str, o: Side<'a>, n: Side<'a>) {
        let target_changed = o.member.target != n.member.target;
        if target_changed {
            let (old_type, new_type) = (o.rust_type(), n.rust_type());
            let (a, b) = (&o.member.target, &n.member.target);
            if old_type != new_type {
                return self.push(
                    Impact::Breaking,
                    ChangeKind::MemberTargetChanged,
                    at,
                    Some(name),
                    format!("target `{a}` (`{old_type}`) → `{b}` (`{new_type}`)"),
                );
            }
            self.push(
                Impact::None,
                ChangeKind::RepresentationChanged,
                at,
                Some(name),
                format!("target `{a}` → `{b}`, both `{old_type}` in Rust"),
            );
        }
        // What the member says itself, or what it refers to when the reference changed.
        let inherits_change = |trait_id: &str| target_changed || o.own(trait_id) != n.own(trait_id);

        if o.role().is_some() && n.role().is_some() {
            self.field(at, name, o, n, inherits_change(DEFAULT), target_changed);
        }
        for c in CONSTRAINTS {
            if inherits_change(c) {
                self.constraint(at, Some(name), c, o.effective(c), n.effective(c));
            }
        }
        let binds_http = o.binds_http() || n.binds_http();
        for t in INHERITED {
            if inherits_change(t) {
                let (a, b) = (o.effective(t), n.effective(t));
                if a != b {
                    self.trait_change(at, Some(name), t, a, b, binds_http);
                }
            }
        }
        match (o.has(IDEMPOTENCY_TOKEN), n.has(IDEMPOTENCY_TOKEN)) {
            (false, true) => self.push(
                Impact::Behavior,
                ChangeKind::IdempotencyTokenAdded,
                at,
                Some(name),
                "now filled with a fresh token when left unset",
            ),
            (true, false) => self.push(
                Impact::Breaking,
                ChangeKind::IdempotencyTokenRemoved,
                at,
                Some(name),
                "no longer filled in automatically: callers relying on it send none",
            ),
            _ => {}
        }
        self.traits(
            at,
            Some(name),
            &o.member.traits,
            &n.member.traits,
            &MEMBER_RULES,
            binds_http,
        );
    }

    /// What only structure members have: nullability, `@required` and defaults.
    fn field(
        &mut self,
        at: &str,
        name: &str,
        o: Side<'a>,
        n: Side<'a>,
        default_reference_changed: bool,
        target_changed: bool,
    ) {
        let (was_optional, is_optional) = (o.optional(), n.optional());
        if was_optional != is_optional {
            let ty = n.rust_type();
            let causes: Vec<String> = [REQUIRED, DEFAULT, CLIENT_OPTIONAL, RANGE, LENGTH]
                .into_iter()
                .filter(|t| o.own(t) != n.own(t))
                .map(|t| describe(t, o.own(t), n.own(t)))
                .collect();
            let cause = match (causes.is_empty(), target_changed) {
                (false, _) => causes.join(", "),
                (true, true) => "its target changed".to_owned(),
                (true, false) => "its target's `@default` or constraints changed".to_owned(),
            };
            self.push(
                Impact::Breaking,
                ChangeKind::NullabilityChanged,
                at,
                Some(name),
                format!(
                    "the field changes from `{}` to `{}` ({cause})",
                    field_type(&ty, was_optional),
                    field_type(&ty, is_optional)
                ),
            );
        } else if o.own(CLIENT_OPTIONAL) != n.own(CLIENT_OPTIONAL) {
            self.push(
                Impact::None,
                ChangeKind::RepresentationChanged,
                at,
                Some(name),
                format!(
                    "{} without changing the field's type",
                    describe(
                        CLIENT_OPTIONAL,
                        o.own(CLIENT_OPTIONAL),
                        n.own(CLIENT_OPTIONAL)
                    )
                ),
            );
        }

        if o.has(REQUIRED) != n.has(REQUIRED) && was_optional == is_optional {
            let (impact, kind, detail) = match (n.has(REQUIRED), n.role()) {
                (true, Some(Role::Input | Role::Plain)) => (
                    Impact::Breaking,
                    ChangeKind::MemberNowRequired,
                    "callers must now set it",
                ),
                (true, _) => (
                    Impact::Behavior,
                    ChangeKind::MemberNowRequired,
                    "the service now always sends it; the field's type is unchanged",
                ),
                (false, _) => (
                    Impact::Behavior,
                    ChangeKind::MemberNoLongerRequired,
                    "it may now be left out; the field's type is unchanged",
                ),
            };
            self.push(impact, kind, at, Some(name), detail);
        }

        if default_reference_changed {
            let (a, b) = (o.model_default(), n.model_default());
            let kind = match (a, b) {
                (Some(x), Some(y)) if x != y => Some(ChangeKind::DefaultChanged),
                // A nullability change above already says it.
                (None, Some(_)) if was_optional == is_optional => Some(ChangeKind::DefaultAdded),
                (Some(_), None) if was_optional == is_optional => Some(ChangeKind::DefaultRemoved),
                _ => None,
            };
            if let Some(kind) = kind {
                let (a, b) = (a.map(default_json), b.map(default_json));
                self.push(
                    Impact::Behavior,
                    kind,
                    at,
                    Some(name),
                    describe(DEFAULT, a.as_ref(), b.as_ref()),
                );
            }
        }
    }

    // -----------------------------------------------------------------------------------
    // Traits

    fn constraint(
        &mut self,
        at: &str,
        member: Option<&str>,
        trait_id: &str,
        old: Option<&Value>,
        new: Option<&Value>,
    ) {
        let (impact, kind) = match constraint_movement(trait_id, old, new) {
            Some(Movement::Narrowed) => (Impact::Breaking, ChangeKind::ConstraintNarrowed),
            Some(Movement::Widened) => (Impact::Behavior, ChangeKind::ConstraintWidened),
            None => return,
        };
        self.push(impact, kind, at, member, describe(trait_id, old, new));
    }

    /// Every trait in `old` or `new` except `skip`, judged by its class.
    fn traits(
        &mut self,
        at: &str,
        member: Option<&str>,
        old: &Traits,
        new: &Traits,
        skip: &[&str],
        binds_http: bool,
    ) {
        let ids: BTreeSet<&str> = old
            .keys()
            .chain(new.keys())
            .map(String::as_str)
            .filter(|id| !skip.contains(id))
            .collect();
        for id in ids {
            let (a, b) = (old.get(id), new.get(id));
            if a != b {
                self.trait_change(at, member, id, a, b, binds_http);
            }
        }
    }

    fn trait_change(
        &mut self,
        at: &str,
        member: Option<&str>,
        trait_id: &str,
        old: Option<&Value>,
        new: Option<&Value>,
        binds_http: bool,
    ) {
        let class = classify(trait_id);
        let (impact, kind) = judge(class, binds_http);
        let mut detail = describe(trait_id, old, new);
        if kind == ChangeKind::HttpBindingChanged && impact == Impact::None {
            detail.push_str(" (the generator ignores HTTP bindings on nested structures)");
        }
        self.push(impact, kind, at, member, detail);
    }
}

/// The structure an operation input or output names, unless `Unit` (or not a structure).
fn io_structure<'a>(
    view: &View<'a>,
    r: &'a Option<ast::ShapeRef>,
) -> Option<(&'a str, &'a Shape, &'a Members)> {
    let id = r
        .as_ref()
        .map(|r| r.target.as_str())
        .filter(|t| *t != UNIT)?;
    match view.shape(id)? {
        shape @ Shape::Structure(s) => Some((id, shape, &s.members)),
        _ => None,
    }
}

/// The variants of an operation's error enum.
fn error_variants(op: &ir::Operation) -> BTreeSet<&str> {
    op.errors.iter().map(|e| e.name.as_str()).collect()
}

/// A shape's own non-null `@default`.
fn own_default(traits: &Traits) -> Option<&Value> {
    traits.get(DEFAULT).filter(|v| !v.is_null())
}

/// A default as the model spells it, for [`describe`].
fn default_json(value: &DefaultValue) -> Value {
    let number = |n: f64| serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number);
    match value {
        DefaultValue::Bool(b) => Value::Bool(*b),
        DefaultValue::Integer(i) => Value::from(*i),
        DefaultValue::Float(f) | DefaultValue::EpochSeconds(f) => number(*f),
        DefaultValue::String(s) | DefaultValue::EnumValue(s) => Value::String(s.clone()),
        DefaultValue::BigNumber(text) | DefaultValue::Document(text) => {
            serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.clone()))
        }
        DefaultValue::EmptyList => Value::Array(Vec::new()),
        DefaultValue::EmptyMap => Value::Object(serde_json::Map::new()),
        DefaultValue::EmptyBlob | DefaultValue::EmptyStream => Value::String(String::new()),
    }
}

/// A paginator's parts as the generated paginator uses them, with the `@paginated` field
/// each comes from: fields of the input and paths of fields of the output.
fn pagination_fields(p: &Paginated) -> [(&'static str, Option<String>); 4] {
    let path = |steps: &[ir::PathStep]| {
        let fields: Vec<&str> = steps.iter().map(|s| s.field.as_str()).collect();
        fields.join(".")
    };
    [
        ("inputToken", Some(format!("`{}`", p.input_token))),
        ("outputToken", Some(format!("`{}`", path(&p.output_token)))),
        (
            "items",
            p.items
                .as_ref()
                .map(|i| format!("`{}` (`{}`)", path(&i.path), readable(&i.ty))),
        ),
        (
            "pageSize",
            p.page_size
                .as_ref()
                .map(|(field, ty)| format!("`{field}` (`{}`)", readable(ty))),
        ),
    ]
}
