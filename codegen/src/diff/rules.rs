//! The comparison itself: services, operations, then every data shape in either closure.
//!
//! One principle keeps reports free of duplicates: a member reports what it refers to
//! (its target's constraints, default, format) only when the reference changed or the
//! member overrides it; otherwise the target shape reports its own change, once. The
//! exception is nullability, which is the member's own Rust type and always judged there.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use serde_json::{Map, Value};

use super::traits::{classify, constraint_movement, describe, judge, Movement};
use super::view::{
    api_kind, enum_entries, unique_items, BoundOperation, EnumEntry, Role, RustItem, View,
    CLIENT_OPTIONAL, DEFAULT, REQUIRED, UNIQUE_ITEMS, UNIT,
};
use super::{Change, ChangeKind, Impact};
use crate::ast::{Member, Shape, ShapeRef, Traits};
use crate::naming::{pascal, shape_name, snake};

const HTTP: &str = "smithy.api#http";
const PAGINATED: &str = "smithy.api#paginated";
const IDEMPOTENCY_TOKEN: &str = "smithy.api#idempotencyToken";
const LENGTH: &str = "smithy.api#length";
const RANGE: &str = "smithy.api#range";
const PATTERN: &str = "smithy.api#pattern";
const ENUM: &str = "smithy.api#enum";
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
const SHAPE_RULES: [&str; 6] = [ENUM, LENGTH, RANGE, PATTERN, UNIQUE_ITEMS, DEFAULT];
const PAGINATION_FIELDS: [&str; 4] = ["inputToken", "outputToken", "items", "pageSize"];

type Members = IndexMap<String, Member>;

pub(super) struct Differ<'a, 'm> {
    old: &'a View<'m>,
    new: &'a View<'m>,
    changes: Vec<Change>,
}

/// A member as one model has it.
#[derive(Clone, Copy)]
struct Side<'a, 'm> {
    view: &'a View<'m>,
    member: &'m Member,
    role: Role,
}

impl Side<'_, '_> {
    fn optional(&self) -> bool {
        self.view.is_optional(self.member, self.role)
    }

    fn has(&self, trait_id: &str) -> bool {
        self.member.traits.contains_key(trait_id)
    }

    fn own(&self, trait_id: &str) -> Option<&Value> {
        self.member.traits.get(trait_id)
    }
}

impl<'a, 'm> Differ<'a, 'm> {
    pub(super) fn new(old: &'a View<'m>, new: &'a View<'m>) -> Self {
        Differ {
            old,
            new,
            changes: Vec::new(),
        }
    }

    /// Every change, unsorted.
    pub(super) fn run(mut self) -> Vec<Change> {
        self.services();
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
    // Services and operations

    fn services(&mut self) {
        let (old, new) = (self.old, self.new);
        // One service on each side is the same service even if its shape was renamed.
        let pairs: Vec<(&str, &str)> = match (old.services.len(), new.services.len()) {
            (1, 1) => old
                .services
                .keys()
                .copied()
                .zip(new.services.keys().copied())
                .collect(),
            _ => old
                .services
                .keys()
                .filter(|id| new.services.contains_key(*id))
                .map(|id| (*id, *id))
                .collect(),
        };
        for (old_id, new_id) in pairs {
            let (o, n) = (old.services[old_id], new.services[new_id]);
            if old_id != new_id {
                self.push(
                    Impact::None,
                    ChangeKind::RepresentationChanged,
                    new_id,
                    None,
                    format!("the service shape was `{old_id}`; the generated client is named after its crate"),
                );
            }
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
    }

    fn operations(&mut self) {
        let (old, new) = (self.old, self.new);
        let ids: BTreeSet<&str> = old
            .operations
            .keys()
            .chain(new.operations.keys())
            .copied()
            .collect();
        for id in ids {
            let method = format!("`{}()`", snake(shape_name(id)));
            match (old.operations.get(id), new.operations.get(id)) {
                (Some(_), None) => self.push(
                    Impact::Breaking,
                    ChangeKind::OperationRemoved,
                    id,
                    None,
                    format!(
                        "the client method {method} and its input, output and error types are gone"
                    ),
                ),
                (None, Some(_)) => self.push(
                    Impact::Additive,
                    ChangeKind::OperationAdded,
                    id,
                    None,
                    format!("new client method {method}"),
                ),
                (Some(o), Some(n)) => self.operation(id, o, n),
                (None, None) => {}
            }
        }
    }

    fn operation(&mut self, id: &str, o: &BoundOperation<'m>, n: &BoundOperation<'m>) {
        let (old_op, new_op) = (o.operation, n.operation);
        self.http(id, old_op.traits.get(HTTP), new_op.traits.get(HTTP));
        self.paginator(id, paginated(o), paginated(n));
        self.operation_io(id, Role::Input, &old_op.input, &new_op.input);
        self.operation_io(id, Role::Output, &old_op.output, &new_op.output);

        let error_enum = format!("`{}Error`", pascal(shape_name(id)));
        let old_errors: BTreeSet<&str> = o.errors().map(|e| e.target.as_str()).collect();
        let new_errors: BTreeSet<&str> = n.errors().map(|e| e.target.as_str()).collect();
        for e in new_errors.difference(&old_errors) {
            self.push(
                Impact::Additive,
                ChangeKind::ErrorAdded,
                id,
                None,
                format!("{error_enum} gains the variant `{}`", pascal(shape_name(e))),
            );
        }
        for e in old_errors.difference(&new_errors) {
            self.push(
                Impact::Breaking,
                ChangeKind::ErrorRemoved,
                id,
                None,
                format!("{error_enum} loses the variant `{}`", pascal(shape_name(e))),
            );
        }
        self.traits(
            id,
            None,
            &old_op.traits,
            &new_op.traits,
            &[HTTP, PAGINATED],
            false,
        );
    }

    /// `@http`: method, URI and success code each change the request on the wire.
    fn http(&mut self, id: &str, old: Option<&Value>, new: Option<&Value>) {
        if old == new {
            return;
        }
        let field = |http: Option<&Value>, key: &str| -> Value {
            match (http.and_then(|h| h.get(key)), key) {
                (None, "code") => Value::from(200),
                (value, _) => value.cloned().unwrap_or(Value::Null),
            }
        };
        for key in ["method", "uri", "code"] {
            let (a, b) = (field(old, key), field(new, key));
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
        old: Option<Map<String, Value>>,
        new: Option<Map<String, Value>>,
    ) {
        let method = format!("`{}().into_paginator()`", snake(shape_name(id)));
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
                for key in PAGINATION_FIELDS {
                    let (a, b) = (o.get(key), n.get(key));
                    let (impact, verb) = match (a, b) {
                        (None, Some(_)) => (Impact::Additive, "added"),
                        (Some(_), None) => (Impact::Breaking, "removed"),
                        (Some(a), Some(b)) if a != b => (Impact::Breaking, "changed"),
                        _ => continue,
                    };
                    let show = |v: Option<&Value>| v.map_or("none".to_owned(), Value::to_string);
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
        role: Role,
        old: &'m Option<ShapeRef>,
        new: &'m Option<ShapeRef>,
    ) {
        let (o, n) = (io_structure(self.old, old), io_structure(self.new, new));
        let rust = format!(
            "`{}{}`",
            pascal(shape_name(op)),
            if role == Role::Input {
                "Input"
            } else {
                "Output"
            }
        );
        if let (Some((old_id, ..)), Some((new_id, ..))) = (o, n) {
            if old_id != new_id {
                self.push(
                    Impact::None,
                    ChangeKind::RepresentationChanged,
                    op,
                    None,
                    format!(
                        "its structure `{old_id}` is now `{new_id}`; the Rust type stays {rust}"
                    ),
                );
            }
        }
        let at = n.or(o).map_or(op, |(id, ..)| id);
        self.members(at, o.map(|(.., m)| m), role, n.map(|(.., m)| m), role);
        if let (Some((_, old_shape, _)), Some((_, new_shape, _))) = (o, n) {
            self.shape_traits(at, old_shape, new_shape);
        }
    }

    // -----------------------------------------------------------------------------------
    // Data shapes

    fn data_shapes(&mut self) {
        let (old, new) = (self.old, self.new);
        let ids: BTreeSet<&str> = old.shapes.iter().chain(&new.shapes).copied().collect();
        for id in ids {
            let reached =
                |view: &View<'m>| view.shapes.contains(id).then(|| view.shape(id)).flatten();
            match (reached(old), reached(new)) {
                (Some(_), None) => self.shape_presence(id, old.rust_item(id), false),
                (None, Some(_)) => self.shape_presence(id, new.rust_item(id), true),
                (Some(o), Some(n)) => self.shape(id, o, n),
                (None, None) => {}
            }
        }
    }

    /// A shape that one closure reaches and the other does not.
    fn shape_presence(&mut self, id: &str, item: RustItem, added: bool) {
        let (impact, kind, detail) = match (item, added) {
            // Reported with its operation.
            (RustItem::OperationIo, _) => return,
            (RustItem::Named(path), true) => (
                Impact::Additive,
                ChangeKind::ShapeAdded,
                format!("new type `{path}`"),
            ),
            (RustItem::Named(path), false) => (
                Impact::Breaking,
                ChangeKind::ShapeRemoved,
                format!("the type `{path}` is gone"),
            ),
            (RustItem::Inline, true) => (
                Impact::None,
                ChangeKind::ShapeAdded,
                "now used; it has no Rust type of its own".to_owned(),
            ),
            (RustItem::Inline, false) => (
                Impact::None,
                ChangeKind::ShapeRemoved,
                "no longer used; it had no Rust type of its own".to_owned(),
            ),
        };
        self.push(impact, kind, id, None, detail);
    }

    fn shape(&mut self, id: &str, o: &'m Shape, n: &'m Shape) {
        let (old, new) = (self.old, self.new);
        match (old.rust_item(id), new.rust_item(id)) {
            // Compared with the operation(s) using it.
            (RustItem::OperationIo, RustItem::OperationIo) => return,
            (RustItem::OperationIo, item @ RustItem::Named(_)) => {
                return self.shape_presence(id, item, true)
            }
            (item @ RustItem::Named(_), RustItem::OperationIo) => {
                return self.shape_presence(id, item, false)
            }
            _ => {}
        }
        let (old_kind, new_kind) = (api_kind(o), api_kind(n));
        if old_kind != new_kind {
            return self.push(
                Impact::Breaking,
                ChangeKind::ShapeTypeChanged,
                id,
                None,
                format!(
                    "{old_kind} `{}` → {new_kind} `{}`",
                    old.rust_type(id),
                    new.rust_type(id)
                ),
            );
        }
        if o.type_name() != n.type_name() {
            self.push(
                Impact::None,
                ChangeKind::RepresentationChanged,
                id,
                None,
                format!(
                    "Smithy type `{}` → `{}`, the same Rust API",
                    o.type_name(),
                    n.type_name()
                ),
            );
        }
        match (o, n) {
            (Shape::Structure(a), Shape::Structure(b)) => self.members(
                id,
                Some(&a.members),
                old.role(id),
                Some(&b.members),
                new.role(id),
            ),
            (Shape::Union(a), Shape::Union(b)) => self.members(
                id,
                Some(&a.members),
                Role::Element,
                Some(&b.members),
                Role::Element,
            ),
            (Shape::List(a) | Shape::Set(a), Shape::List(b) | Shape::Set(b)) => {
                self.element(id, "member", &a.member, &b.member)
            }
            (Shape::Map(a), Shape::Map(b)) => {
                self.element(id, "key", &a.key, &b.key);
                self.element(id, "value", &a.value, &b.value);
            }
            _ => {}
        }
        if let (Some(a), Some(b)) = (enum_entries(o), enum_entries(n)) {
            self.enum_values(id, &a, &b);
        }
        self.shape_traits(id, o, n);
    }

    /// A list member or map key/value.
    fn element(&mut self, id: &str, name: &str, o: &'m Member, n: &'m Member) {
        let (old, new) = (self.old, self.new);
        self.member(
            id,
            name,
            Side {
                view: old,
                member: o,
                role: Role::Element,
            },
            Side {
                view: new,
                member: n,
                role: Role::Element,
            },
        );
    }

    /// A shape's own traits: constraints, default, and the rest by class.
    fn shape_traits(&mut self, id: &str, o: &Shape, n: &Shape) {
        let (ot, nt) = (o.traits(), n.traits());
        for c in [LENGTH, RANGE, PATTERN] {
            self.constraint(id, None, c, ot.get(c), nt.get(c));
        }
        self.constraint(
            id,
            None,
            UNIQUE_ITEMS,
            unique_items(o).as_ref(),
            unique_items(n).as_ref(),
        );
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
                        Some(&n.member),
                        format!(
                            "value `{}`: Rust variant `{}` → `{}`",
                            n.value, o.variant, n.variant
                        ),
                    );
                }
                self.traits(id, Some(&n.member), &o.traits, &n.traits, &[], false);
            } else if let Some(i) = new_unmatched.iter().position(|n| n.variant == o.variant) {
                let n = new_unmatched.remove(i);
                self.push(
                    Impact::Breaking,
                    ChangeKind::EnumValueChanged,
                    id,
                    Some(&n.member),
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
                    Some(&o.member),
                    format!("value `{}` (`{}`) removed", o.value, o.variant),
                );
            }
        }
        for n in new_unmatched {
            self.push(
                Impact::Additive,
                ChangeKind::EnumValueAdded,
                id,
                Some(&n.member),
                format!("value `{}` (`{}`) added", n.value, n.variant),
            );
        }
    }

    // -----------------------------------------------------------------------------------
    // Members

    /// The members of a structure (or union, with `Role::Element`); `None` is `Unit`.
    fn members(
        &mut self,
        at: &str,
        old: Option<&'m Members>,
        old_role: Role,
        new: Option<&'m Members>,
        new_role: Role,
    ) {
        let (old_view, new_view) = (self.old, self.new);
        let names: BTreeSet<&str> = old
            .iter()
            .chain(&new)
            .flat_map(|m| m.keys())
            .map(String::as_str)
            .collect();
        for name in names {
            match (old.and_then(|m| m.get(name)), new.and_then(|m| m.get(name))) {
                (Some(_), None) => self.push(
                    Impact::Breaking,
                    ChangeKind::MemberRemoved,
                    at,
                    Some(name),
                    if old_role == Role::Element {
                        "variant removed"
                    } else {
                        "the field and its setter are gone"
                    },
                ),
                (None, Some(m)) => self.member_added(at, name, m, new_role),
                (Some(o), Some(n)) => self.member(
                    at,
                    name,
                    Side {
                        view: old_view,
                        member: o,
                        role: old_role,
                    },
                    Side {
                        view: new_view,
                        member: n,
                        role: new_role,
                    },
                ),
                (None, None) => {}
            }
        }
        if new_role == Role::Element {
            return;
        }
        let fallible = |view: &View<'m>, members: Option<&'m Members>, role| {
            view.builder_is_fallible(members.into_iter().flat_map(|m| m.values()), role)
        };
        let (was, is) = (
            fallible(old_view, old, old_role),
            fallible(new_view, new, new_role),
        );
        if was != is {
            self.push(
                Impact::Breaking,
                ChangeKind::BuilderFallibilityChanged,
                at,
                None,
                if is {
                    "the builder's `build()` now returns a `Result`: a field without a default became required"
                } else {
                    "the builder's `build()` no longer returns a `Result`"
                },
            );
        }
    }

    fn member_added(&mut self, at: &str, name: &str, m: &Member, role: Role) {
        let ty = self.new.rust_type(&m.target);
        let required = m.traits.contains_key(REQUIRED);
        let (impact, what) = match role {
            Role::Element => (Impact::Additive, "variant added"),
            Role::Input | Role::Plain if required && self.new.default_of(m).is_none() => (
                Impact::Breaking,
                "required member added: callers must now set it",
            ),
            _ if required => (Impact::Additive, "required member added"),
            _ if self.new.default_of(m).is_some() => {
                (Impact::Additive, "member added with a default")
            }
            _ => (Impact::Additive, "optional member added"),
        };
        self.push(
            impact,
            ChangeKind::MemberAdded,
            at,
            Some(name),
            format!("{what} (`{ty}`)"),
        );
    }

    fn member(&mut self, at: &str, name: &str, o: Side<'_, 'm>, n: Side<'_, 'm>) {
        let target_changed = o.member.target != n.member.target;
        if target_changed {
            let (old_type, new_type) = (
                o.view.rust_type(&o.member.target),
                n.view.rust_type(&n.member.target),
            );
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

        let (was_optional, is_optional) = (o.optional(), n.optional());
        if was_optional != is_optional {
            let ty = n.view.rust_type(&n.member.target);
            let (from, to) = if is_optional {
                (ty.clone(), format!("Option<{ty}>"))
            } else {
                (format!("Option<{ty}>"), ty)
            };
            let causes: Vec<String> = [REQUIRED, DEFAULT, CLIENT_OPTIONAL]
                .into_iter()
                .filter(|t| o.own(t) != n.own(t))
                .map(|t| describe(t, o.own(t), n.own(t)))
                .collect();
            let cause = if causes.is_empty() {
                "the target's `@default` changed".to_owned()
            } else {
                causes.join(", ")
            };
            self.push(
                Impact::Breaking,
                ChangeKind::NullabilityChanged,
                at,
                Some(name),
                format!("the field changes from `{from}` to `{to}` ({cause})"),
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
            let (impact, kind, detail) = match (n.has(REQUIRED), n.role) {
                (true, Role::Input | Role::Plain) => (
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

        if inherits_change(DEFAULT) {
            let (a, b) = (o.view.default_of(o.member), n.view.default_of(n.member));
            let kind = match (&a, &b) {
                (Some(x), Some(y)) if x != y => Some(ChangeKind::DefaultChanged),
                // A nullability change above already says it.
                (None, Some(_)) if was_optional == is_optional => Some(ChangeKind::DefaultAdded),
                (Some(_), None) if was_optional == is_optional => Some(ChangeKind::DefaultRemoved),
                _ => None,
            };
            if let Some(kind) = kind {
                self.push(
                    Impact::Behavior,
                    kind,
                    at,
                    Some(name),
                    describe(DEFAULT, a.as_ref(), b.as_ref()),
                );
            }
        }

        for c in [LENGTH, RANGE, PATTERN, UNIQUE_ITEMS] {
            // `@uniqueItems` never sits on a member: only a new target can change it.
            if target_changed || (c != UNIQUE_ITEMS && inherits_change(c)) {
                let (a, b) = (
                    o.view.effective_constraint(o.member, c),
                    n.view.effective_constraint(n.member, c),
                );
                self.constraint(at, Some(name), c, a.as_ref(), b.as_ref());
            }
        }
        let binds_http = o.role.binds_http() || n.role.binds_http();
        for t in INHERITED {
            if inherits_change(t) {
                let (a, b) = (o.view.effective(o.member, t), n.view.effective(n.member, t));
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
fn io_structure<'m>(
    view: &View<'m>,
    r: &'m Option<ShapeRef>,
) -> Option<(&'m str, &'m Shape, &'m Members)> {
    let id = r
        .as_ref()
        .map(|r| r.target.as_str())
        .filter(|t| *t != UNIT)?;
    match view.shape(id)? {
        shape @ Shape::Structure(s) => Some((id, shape, &s.members)),
        _ => None,
    }
}

/// A shape's own non-null `@default`.
fn own_default(traits: &Traits) -> Option<&Value> {
    traits.get(DEFAULT).filter(|v| !v.is_null())
}

/// An operation's `@paginated`, completed with its service's defaults.
fn paginated(bound: &BoundOperation<'_>) -> Option<Map<String, Value>> {
    let own = bound.operation.traits.get(PAGINATED)?;
    let mut merged = bound
        .service
        .and_then(|s| s.traits.get(PAGINATED))
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if let Some(fields) = own.as_object() {
        merged.extend(fields.iter().map(|(k, v)| (k.clone(), v.clone())));
    }
    Some(merged)
}
