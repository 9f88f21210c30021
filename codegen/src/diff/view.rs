//! One model as the generator resolves it: the IR of the chosen operations, which answers
//! every question about the Rust API (field types, nullability, builders, defaults,
//! paginators, errors, enum and union variants), next to the model's own shapes for what
//! the IR does not keep (documentation, traits, constraints as written).

use std::collections::{BTreeMap, BTreeSet};

use crate::ast::{self, Model, Shape};
use crate::ir::{self, Crate, DefaultValue, Lookup, Type};
use crate::naming::shape_name;
use crate::render::view::rust_type;

pub(super) const UNIT: &str = "smithy.api#Unit";
pub(super) const REQUIRED: &str = "smithy.api#required";
pub(super) const DEFAULT: &str = "smithy.api#default";
pub(super) const CLIENT_OPTIONAL: &str = "smithy.api#clientOptional";
pub(super) const UNIQUE_ITEMS: &str = "smithy.api#uniqueItems";
pub(super) const ENUM_VALUE: &str = "smithy.api#enumValue";

pub(super) struct View<'m> {
    pub(super) model: &'m Model,
    pub(super) service_id: String,
    pub(super) service: &'m ast::Service,
    /// `None` when none of the chosen operations is in this model.
    krate: Option<Crate>,
    /// The chosen operations this model binds: id → index in `krate.operations`.
    operations: BTreeMap<String, usize>,
    /// Every data shape the operations reach → the type a member targeting it has.
    types: BTreeMap<String, Type>,
    /// `(structure id, member name)` → the default the model gives the member, for every
    /// member of a generated structure (operation inputs and outputs included).
    defaults: BTreeMap<(String, String), DefaultValue>,
}

/// An operation as the model declares it and as the generator resolves it.
#[derive(Clone, Copy)]
pub(super) struct OperationView<'a> {
    pub(super) ast: &'a ast::Operation,
    pub(super) ir: &'a ir::Operation,
}

/// A shape with a Rust type of its own in `types`.
#[derive(Clone, Copy)]
pub(super) enum Item<'a> {
    Structure(&'a ir::Structure),
    Error(&'a ir::Structure),
    Union(&'a ir::Union),
    Enum(&'a ir::Enum),
    IntEnum(&'a ir::IntEnum),
}

impl<'a> Item<'a> {
    fn shape_id(self) -> &'a str {
        match self {
            Item::Structure(s) | Item::Error(s) => &s.shape_id,
            Item::Union(u) => &u.shape_id,
            Item::Enum(e) => &e.shape_id,
            Item::IntEnum(e) => &e.shape_id,
        }
    }

    /// What the item is for callers.
    fn kind(self) -> &'static str {
        match self {
            Item::Structure(_) => "structure",
            Item::Error(_) => "error structure",
            Item::Union(_) => "union",
            Item::Enum(_) => "enum",
            Item::IntEnum(_) => "intEnum",
        }
    }

    /// The item's Rust path, as callers write it (`types::Meeting`).
    fn path(self) -> String {
        let ty = match self {
            Item::Structure(s) => Type::Structure {
                name: s.name.clone(),
                error: false,
            },
            Item::Error(s) => Type::Structure {
                name: s.name.clone(),
                error: true,
            },
            Item::Union(u) => Type::Union(u.name.clone()),
            // An intEnum's values are `i32`s; its named constants live in a type placed
            // where an enum's would be.
            Item::Enum(e) => Type::Enum(e.name.clone()),
            Item::IntEnum(e) => Type::Enum(e.name.clone()),
        };
        readable(&ty)
    }
}

/// One value of an `enum` or `intEnum` shape.
pub(super) struct EnumEntry<'a> {
    /// The Smithy member name.
    pub(super) member: &'a str,
    /// The wire value (an integer's decimal text for `intEnum`).
    pub(super) value: String,
    /// The Rust variant or constant name.
    pub(super) variant: &'a str,
    pub(super) traits: &'a ast::Traits,
}

impl<'m> View<'m> {
    /// The view of `model` (in Smithy 2.0 semantics) restricted to the operations
    /// `selected` (absolute ids), or covering every operation of its service when `None`.
    pub(super) fn new(
        model: &'m Model,
        selected: Option<&BTreeSet<String>>,
    ) -> Result<Self, ir::IrError> {
        let lookup = Lookup::new(model)?;
        let (service_id, service) = lookup.service();
        let service_id = service_id.to_owned();
        let chosen: Vec<String> = lookup
            .operations()?
            .into_iter()
            .filter(|id| selected.is_none_or(|s| s.contains(id)))
            .collect();
        let krate = match (selected, chosen.is_empty()) {
            // `ir::Options` reads no operations as all of them.
            (Some(_), true) => None,
            (None, _) => Some(resolve(model, Vec::new())?),
            (Some(_), false) => Some(resolve(
                model,
                chosen.iter().map(|id| shape_name(id).to_owned()).collect(),
            )?),
        };
        let mut view = View {
            model,
            service_id,
            service,
            krate,
            operations: BTreeMap::new(),
            types: BTreeMap::new(),
            defaults: BTreeMap::new(),
        };
        let Some(krate) = &view.krate else {
            return Ok(view);
        };
        for id in chosen {
            if let Some(i) = krate
                .operations
                .iter()
                .position(|o| o.name == shape_name(&id))
            {
                view.operations.insert(id, i);
            }
        }
        for id in &krate.shapes {
            let ty = lookup.type_of(id, &ast::Traits::new())?;
            view.types.insert(id.clone(), ty);
        }
        let structures = krate
            .operations
            .iter()
            .flat_map(|o| [&o.input, &o.output])
            .chain(&krate.structures)
            .chain(&krate.errors);
        for s in structures {
            let Some(Shape::Structure(shape)) = model.shapes.get(&s.shape_id) else {
                // `Unit`: no members.
                continue;
            };
            for (name, member) in &shape.members {
                let member_id = format!("{}${name}", s.shape_id);
                if let Some(default) = lookup.default_of(&member_id, member)? {
                    view.defaults
                        .insert((s.shape_id.clone(), name.clone()), default);
                }
            }
        }
        Ok(view)
    }

    pub(super) fn shape(&self, id: &str) -> Option<&'m Shape> {
        self.model.shapes.get(id)
    }

    /// The ids of the chosen operations this model binds.
    pub(super) fn operation_ids(&self) -> impl Iterator<Item = &str> {
        self.operations.keys().map(String::as_str)
    }

    pub(super) fn operation(&self, id: &str) -> Option<OperationView<'_>> {
        let ir = &self.krate.as_ref()?.operations[*self.operations.get(id)?];
        match self.shape(id)? {
            Shape::Operation(ast) => Some(OperationView { ast, ir }),
            _ => None,
        }
    }

    /// Every data shape the operations reach (operation inputs and outputs only when also
    /// a member target).
    pub(super) fn shape_ids(&self) -> impl Iterator<Item = &str> {
        self.types.keys().map(String::as_str)
    }

    pub(super) fn reaches(&self, id: &str) -> bool {
        self.types.contains_key(id)
    }

    /// The Rust type of its own a reached shape has in `types`, if any.
    pub(super) fn item(&self, id: &str) -> Option<Item<'_>> {
        let krate = self.krate.as_ref()?;
        let structures = krate.structures.iter().map(Item::Structure);
        let errors = krate.errors.iter().map(Item::Error);
        let unions = krate.unions.iter().map(Item::Union);
        let enums = krate.enums.iter().map(Item::Enum);
        let int_enums = krate.int_enums.iter().map(Item::IntEnum);
        structures
            .chain(errors)
            .chain(unions)
            .chain(enums)
            .chain(int_enums)
            .find(|item| item.shape_id() == id)
    }

    /// The Rust path of a reached shape's own type (`types::Meeting`), or `None` for
    /// scalars, lists and maps, which are spelled with std types.
    pub(super) fn item_path(&self, id: &str) -> Option<String> {
        self.item(id).map(Item::path)
    }

    /// What a reached shape is for callers, and its Rust type: `("structure",
    /// "types::Meeting")`, `("list", "Vec<String>")`, `("i64", "i64")` (a scalar is its
    /// Rust type). A change of kind breaks callers; a list or map with other elements is
    /// judged at the elements.
    pub(super) fn kind(&self, id: &str) -> Option<(String, String)> {
        if let Some(item) = self.item(id) {
            return Some((item.kind().to_owned(), item.path()));
        }
        let ty = self.types.get(id)?;
        let rust = readable(ty);
        let kind = match ty {
            Type::List(_) | Type::SparseList(_) => "list".to_owned(),
            Type::Map(..) | Type::SparseMap(..) => "map".to_owned(),
            _ => rust.clone(),
        };
        Some((kind, rust))
    }

    /// The type of a reached shape.
    pub(super) fn type_of(&self, id: &str) -> Option<&Type> {
        self.types.get(id)
    }

    /// The default the model gives member `name` of structure `owner`, as the generator
    /// reads it (whether the field uses it depends on its nullability).
    pub(super) fn model_default(&self, owner: &str, name: &str) -> Option<&DefaultValue> {
        self.defaults.get(&(owner.to_owned(), name.to_owned()))
    }

    /// The values of a reached `enum` or `intEnum`, with their Smithy member names.
    pub(super) fn enum_entries(&self, id: &str) -> Option<Vec<EnumEntry<'_>>> {
        let members = match self.shape(id)? {
            Shape::Enum(s) | Shape::IntEnum(s) => &s.members,
            _ => return None,
        };
        let entries = match self.item(id)? {
            // The IR sorts string enum values (as the official SDK does): join on the
            // member name, in model order.
            Item::Enum(e) => members
                .iter()
                .filter_map(|(member, m)| {
                    let v = e.variants.iter().find(|v| &v.member == member)?;
                    Some(EnumEntry {
                        member,
                        value: v.value.clone(),
                        variant: &v.name,
                        traits: &m.traits,
                    })
                })
                .collect(),
            // The IR lists int enum values in model order, one per member.
            Item::IntEnum(e) => members
                .iter()
                .zip(&e.values)
                .map(|((member, m), v)| EnumEntry {
                    member,
                    value: v.value.to_string(),
                    variant: &v.name,
                    traits: &m.traits,
                })
                .collect(),
            _ => return None,
        };
        Some(entries)
    }
}

fn resolve(model: &Model, operations: Vec<String>) -> Result<Crate, ir::IrError> {
    let options = ir::Options {
        // Names nothing the diff compares.
        crate_name: "diff".to_owned(),
        operations,
    };
    ir::resolve(model, &options)
}

/// The generator's Rust type for `ty`, without the paths a reader does not need:
/// `Vec<types::Thing>`, `Option<String>` (see [`readable_path`]).
pub(super) fn readable(ty: &Type) -> String {
    readable_path(&rust_type(ty))
}

/// A Rust type written with absolute paths, shortened for reading: `crate::` goes,
/// std and runtime paths keep their last segment.
pub(super) fn readable_path(rust: &str) -> String {
    let mut out = String::with_capacity(rust.len());
    let mut path = String::new();
    let flush = |path: &mut String, out: &mut String| {
        let short = match path.strip_prefix("crate::") {
            Some(rest) => rest,
            None if path.starts_with("::") => path.rsplit("::").next().unwrap_or_default(),
            None => path.as_str(),
        };
        out.push_str(short);
        path.clear();
    };
    for c in rust.chars() {
        if c.is_alphanumeric() || c == '_' || c == ':' {
            path.push(c);
        } else {
            flush(&mut path, &mut out);
            out.push(c);
        }
    }
    flush(&mut path, &mut out);
    out
}

/// A field's type: `Option<T>` when it is optional.
pub(super) fn field_type(value_type: &str, optional: bool) -> String {
    if optional {
        format!("Option<{value_type}>")
    } else {
        value_type.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_types_read_without_their_paths() {
        let map = Type::Map(
            Box::new(Type::String),
            Box::new(Type::SparseList(Box::new(Type::Structure {
                name: "Thing".into(),
                error: false,
            }))),
        );
        assert_eq!(readable(&map), "HashMap<String, Vec<Option<types::Thing>>>");
        assert_eq!(readable(&Type::Timestamp(None)), "DateTime");
        assert_eq!(
            readable(&Type::Structure {
                name: "Oops".into(),
                error: true
            }),
            "types::error::Oops"
        );
        assert_eq!(field_type("i32", true), "Option<i32>");
        assert_eq!(field_type("i32", false), "i32");
    }
}
