//! Stage 1½: brings a Smithy IDL 1.0 or 2.0 JSON AST to one form, Smithy 2.0 semantics, so
//! [`crate::ir`] reads a single dialect and equivalent models give the same API.
//!
//! The rules are those of the Smithy 1.0 → 2.0 upgrade (the Smithy loader's model upgrader
//! and the IDL migration guide):
//!
//! * `"smithy"` becomes `"2.0"` (`"1"`, `"1.0"`, `"2"` and `"2.0"` are read).
//! * A `set` becomes a `list` with `@uniqueItems`.
//! * Nullability. A member targeting a prelude primitive (`smithy.api#PrimitiveInteger`, ...)
//!   targets its boxed counterpart (`smithy.api#Integer`) instead, and a structure member
//!   gets the `@default` zero value (`0` / `false`). In a 1.0 model a boolean, byte, short,
//!   integer, long, float or double shape without `@box` had a zero value: the shape gets
//!   `@default(0)` (`false`), and so does every structure member targeting it, unless the
//!   member is `@box`ed, in which case the member gets `@default(null)` (it stays nullable).
//!   A 1.0 structure member targeting a `@streaming` blob that is not `@required` gets
//!   `@default("")`. `@box` itself does not exist in 2.0 and is removed from every shape and
//!   member; a member's own `@default` and `@required` are kept. A 2.0 model already spells
//!   out its defaults (`@default`, `@clientOptional`, `@addedDefault` pass through).
//! * A string with the `@enum` trait (1.0, and still accepted in 2.0) becomes an `enum` shape:
//!   one member per entry, in order, targeting `smithy.api#Unit`, with `@enumValue` (the
//!   value), `@documentation`, `@tags` and `@deprecated` from the entry. An entry without a
//!   `name` is named after its value the way Smithy synthesizes enum names: every run of
//!   characters other than ASCII letters, digits and `_` becomes `_` (`t2.micro` →
//!   `t2_micro`); a name that would start with a digit gets a leading `_` (`1080p` →
//!   `_1080p`). The string's other traits stay on the enum shape.
//! * Endpoints. A service without `smithy.rules#endpointRuleSet` (and without
//!   `smithy.rules#endpointBdd`) whose `aws.api#service` trait names an `endpointPrefix` gets
//!   the standard AWS rule set for that prefix and its test cases
//!   ([`crate::endpoint::standard`]) as `smithy.rules#endpointRuleSet` and
//!   `smithy.rules#endpointTests`, so the rest of the generator treats it like a service that
//!   publishes its rule set. A service with neither is an error.
//!
//! Shape order, member order and all other traits are preserved.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;
use serde_json::{json, Value};

use crate::ast::{Aggregate, Member, Model, Shape, Simple, Traits};
use crate::endpoint::{self, EndpointError};

const BOX: &str = "smithy.api#box";
const DEFAULT: &str = "smithy.api#default";
const REQUIRED: &str = "smithy.api#required";
const STREAMING: &str = "smithy.api#streaming";
const UNIQUE_ITEMS: &str = "smithy.api#uniqueItems";
const ENUM: &str = "smithy.api#enum";
const ENUM_VALUE: &str = "smithy.api#enumValue";
const DOCUMENTATION: &str = "smithy.api#documentation";
const TAGS: &str = "smithy.api#tags";
const DEPRECATED: &str = "smithy.api#deprecated";
const UNIT: &str = "smithy.api#Unit";
const AWS_SERVICE: &str = "aws.api#service";
const RULE_SET: &str = "smithy.rules#endpointRuleSet";
const RULE_TESTS: &str = "smithy.rules#endpointTests";
const RULE_BDD: &str = "smithy.rules#endpointBdd";

/// Why a model cannot be brought to Smithy 2.0 semantics.
#[derive(Debug, thiserror::Error)]
pub enum UpgradeError {
    #[error(
        "the model declares Smithy IDL version `{0}`; this generator reads version 1.0 and 2.0 \
         JSON ASTs (`\"smithy\": \"1.0\"` or `\"smithy\": \"2.0\"`)"
    )]
    UnsupportedVersion(String),
    #[error("shape `{shape}`, trait `smithy.api#enum`: {problem}")]
    Enum { shape: String, problem: String },
    #[error(
        "service `{service}` has neither a `smithy.rules#endpointRuleSet` trait nor an \
         `aws.api#service` trait with an `endpointPrefix`: add one of them so the client \
         can resolve endpoints"
    )]
    NoEndpointRules { service: String },
    #[error(
        "service `{service}`, trait `aws.api#service`: `endpointPrefix` {value} is not a host \
         name prefix (dot-separated labels of letters, digits and `-`)"
    )]
    EndpointPrefix { service: String, value: String },
    #[error("service `{service}`: the standard endpoint tests cannot be written: {source}")]
    EndpointTests {
        service: String,
        source: EndpointError,
    },
}

/// The model in Smithy 2.0 semantics (see the module documentation for the rules).
pub fn upgrade(mut model: Model) -> Result<Model, UpgradeError> {
    let idl = Idl::of(&model.smithy)?;
    let targets = Targets::of(&model.shapes, idl);
    let shapes = std::mem::take(&mut model.shapes);
    model.shapes = shapes
        .into_iter()
        .map(|(id, shape)| {
            let shape = upgrade_shape(&id, shape, idl, &targets)?;
            Ok((id, shape))
        })
        .collect::<Result<_, UpgradeError>>()?;
    model.smithy = "2.0".to_owned();
    Ok(model)
}

/// The IDL version a model is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Idl {
    V1,
    V2,
}

impl Idl {
    fn of(version: &str) -> Result<Self, UpgradeError> {
        match version {
            "1" | "1.0" => Ok(Idl::V1),
            "2" | "2.0" => Ok(Idl::V2),
            other => Err(UpgradeError::UnsupportedVersion(other.to_owned())),
        }
    }
}

/// What structure members need to know about their targets, read before any shape changes.
struct Targets {
    /// 1.0 shapes with a zero value (not `@box`ed) → that value.
    zero_values: HashMap<String, Value>,
    /// 1.0 `@streaming` blob shapes.
    streaming_blobs: HashSet<String>,
}

impl Targets {
    fn of(shapes: &IndexMap<String, Shape>, idl: Idl) -> Self {
        let zero_values = shapes
            .iter()
            .filter_map(|(id, shape)| Some((id.clone(), implicit_zero_value(shape, idl)?)))
            .collect();
        let streaming_blobs = shapes
            .iter()
            .filter(|(_, shape)| {
                idl == Idl::V1
                    && matches!(shape, Shape::Blob(s) if s.traits.contains_key(STREAMING))
            })
            .map(|(id, _)| id.clone())
            .collect();
        Targets {
            zero_values,
            streaming_blobs,
        }
    }
}

/// The zero value a shape had implicitly: only in 1.0, only for the number and boolean types,
/// only without `@box`.
fn implicit_zero_value(shape: &Shape, idl: Idl) -> Option<Value> {
    if idl != Idl::V1 || shape.traits().contains_key(BOX) {
        return None;
    }
    match shape {
        Shape::Boolean(_) => Some(Value::Bool(false)),
        Shape::Byte(_)
        | Shape::Short(_)
        | Shape::Integer(_)
        | Shape::Long(_)
        | Shape::Float(_)
        | Shape::Double(_) => Some(Value::from(0)),
        _ => None,
    }
}

/// A prelude primitive shape: its boxed counterpart and its zero value.
fn prelude_primitive(target: &str) -> Option<(&'static str, Value)> {
    let zero = Value::from(0);
    Some(match target {
        "smithy.api#PrimitiveBoolean" => ("smithy.api#Boolean", Value::Bool(false)),
        "smithy.api#PrimitiveByte" => ("smithy.api#Byte", zero),
        "smithy.api#PrimitiveShort" => ("smithy.api#Short", zero),
        "smithy.api#PrimitiveInteger" => ("smithy.api#Integer", zero),
        "smithy.api#PrimitiveLong" => ("smithy.api#Long", zero),
        "smithy.api#PrimitiveFloat" => ("smithy.api#Float", zero),
        "smithy.api#PrimitiveDouble" => ("smithy.api#Double", zero),
        _ => return None,
    })
}

fn upgrade_shape(
    id: &str,
    mut shape: Shape,
    idl: Idl,
    targets: &Targets,
) -> Result<Shape, UpgradeError> {
    if let Some(zero) = implicit_zero_value(&shape, idl) {
        shape.traits_mut().entry(DEFAULT.to_owned()).or_insert(zero);
    }
    shape.traits_mut().shift_remove(BOX);
    Ok(match shape {
        Shape::Structure(mut s) => {
            for member in s.members.values_mut() {
                upgrade_member(member, Some(targets));
            }
            Shape::Structure(s)
        }
        Shape::Union(mut s) => {
            for member in s.members.values_mut() {
                upgrade_member(member, None);
            }
            Shape::Union(s)
        }
        Shape::List(mut c) => {
            upgrade_member(&mut c.member, None);
            Shape::List(c)
        }
        Shape::Set(mut c) => {
            upgrade_member(&mut c.member, None);
            c.traits
                .entry(UNIQUE_ITEMS.to_owned())
                .or_insert_with(|| json!({}));
            Shape::List(c)
        }
        Shape::Map(mut m) => {
            upgrade_member(&mut m.key, None);
            upgrade_member(&mut m.value, None);
            Shape::Map(m)
        }
        Shape::String(s) if s.traits.contains_key(ENUM) => Shape::Enum(enum_shape(id, s)?),
        Shape::Service(mut s) => {
            add_standard_endpoint_rules(id, &mut s.traits)?;
            Shape::Service(s)
        }
        other => other,
    })
}

/// Retargets prelude primitives and drops `@box`. A structure member (given with the facts
/// about the targets) also gets the `@default` its 1.0 meaning implies.
fn upgrade_member(member: &mut Member, structure_targets: Option<&Targets>) {
    let boxed = member.traits.shift_remove(BOX).is_some();
    let primitive_zero = prelude_primitive(&member.target).map(|(boxed_target, zero)| {
        member.target = boxed_target.to_owned();
        zero
    });
    let Some(targets) = structure_targets else {
        return;
    };
    if member.traits.contains_key(DEFAULT) {
        return;
    }
    let default = if let Some(zero) = primitive_zero {
        // The boxed counterpart has no default: a boxed member needs nothing.
        (!boxed).then_some(zero)
    } else if let Some(zero) = targets.zero_values.get(&member.target) {
        // The target keeps its zero value as `@default`; a boxed member opts out of it.
        Some(if boxed { Value::Null } else { zero.clone() })
    } else if targets.streaming_blobs.contains(&member.target)
        && !member.traits.contains_key(REQUIRED)
    {
        Some(Value::from(""))
    } else {
        None
    };
    if let Some(default) = default {
        member.traits.insert(DEFAULT.to_owned(), default);
    }
}

/// The `enum` shape equivalent to a string with the `@enum` trait.
fn enum_shape(id: &str, mut string: Simple) -> Result<Aggregate, UpgradeError> {
    let fail = |problem: String| UpgradeError::Enum {
        shape: id.to_owned(),
        problem,
    };
    let entries = match string.traits.shift_remove(ENUM) {
        Some(Value::Array(entries)) if !entries.is_empty() => entries,
        Some(Value::Array(_)) => {
            return Err(fail("lists no values; an enum needs at least one".into()))
        }
        _ => return Err(fail("must be a list of enum definitions".into())),
    };
    let mut members: IndexMap<String, Member> = IndexMap::new();
    for (index, entry) in entries.iter().enumerate() {
        let entry = entry
            .as_object()
            .ok_or_else(|| fail(format!("entry {index} is not an object")))?;
        let value = entry
            .get("value")
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| fail(format!("entry {index} has no non-empty string `value`")))?;
        let field = |key: &str| entry.get(key).filter(|v| !v.is_null());
        let name = match field("name") {
            None => member_name_from_value(value).ok_or_else(|| {
                fail(format!(
                    "no member name can be derived from the value `{value}`; give the entry a `name`"
                ))
            })?,
            Some(Value::String(name)) if is_member_name(name) => name.clone(),
            Some(other) => {
                return Err(fail(format!(
                    "entry `{value}`: the name {other} is not a member name (letters, digits \
                     and `_`, starting with a letter or `_`)"
                )))
            }
        };
        let mut traits = Traits::new();
        traits.insert(ENUM_VALUE.to_owned(), Value::from(value));
        for (key, trait_id) in [
            ("documentation", DOCUMENTATION),
            ("tags", TAGS),
            ("deprecated", DEPRECATED),
        ] {
            let Some(given) = field(key) else { continue };
            let member_trait = entry_trait(key, given)
                .map_err(|expected| fail(format!("entry `{value}`: `{key}` must be {expected}")))?;
            if let Some(member_trait) = member_trait {
                traits.insert(trait_id.to_owned(), member_trait);
            }
        }
        if let Some(twin) = members.values().find_map(|m| {
            let twin = m.traits[ENUM_VALUE].as_str()?;
            (twin == value).then_some(twin)
        }) {
            return Err(fail(format!("the value `{twin}` is listed twice")));
        }
        let member = Member {
            target: UNIT.to_owned(),
            traits,
        };
        if let Some(previous) = members.insert(name.clone(), member) {
            return Err(fail(format!(
                "the values `{}` and `{value}` both give the member name `{name}`; name the \
                 entries apart",
                previous.traits[ENUM_VALUE].as_str().unwrap_or_default()
            )));
        }
    }
    Ok(Aggregate {
        members,
        mixins: Vec::new(),
        traits: string.traits,
    })
}

/// The member trait value an `@enum` entry field gives (`None` when it says nothing, like
/// `"deprecated": false`), or what the field should have been.
fn entry_trait(key: &str, given: &Value) -> Result<Option<Value>, &'static str> {
    match (key, given) {
        ("documentation", Value::String(_)) => Ok(Some(given.clone())),
        ("documentation", _) => Err("a string"),
        ("tags", Value::Array(tags)) if tags.iter().all(Value::is_string) => {
            Ok((!tags.is_empty()).then(|| given.clone()))
        }
        ("tags", _) => Err("a list of strings"),
        ("deprecated", Value::Bool(deprecated)) => Ok(deprecated.then(|| json!({}))),
        ("deprecated", _) => Err("a boolean"),
        _ => Ok(None),
    }
}

/// Smithy's enum member name for a value without a name; `None` when the value has no
/// letter or digit to name it by.
fn member_name_from_value(value: &str) -> Option<String> {
    let mut name = String::with_capacity(value.len());
    let mut in_separator = false;
    for c in value.chars() {
        let kept = c.is_ascii_alphanumeric() || c == '_';
        if kept {
            name.push(c);
        } else if !in_separator {
            name.push('_');
        }
        in_separator = !kept;
    }
    if !name.chars().any(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    Some(name)
}

/// A Smithy 2.0 identifier: a letter, or `_`s then a letter or digit; then letters, digits, `_`.
fn is_member_name(name: &str) -> bool {
    let rest = name.trim_start_matches('_');
    let underscored = rest.len() != name.len();
    match rest.chars().next() {
        Some(c) if c.is_ascii_alphabetic() || (underscored && c.is_ascii_digit()) => {
            rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        }
        _ => false,
    }
}

/// Adds the standard AWS rule set and its tests to a service that has no rule set.
fn add_standard_endpoint_rules(service: &str, traits: &mut Traits) -> Result<(), UpgradeError> {
    if traits.contains_key(RULE_SET) || traits.contains_key(RULE_BDD) {
        return Ok(());
    }
    let prefix = match traits
        .get(AWS_SERVICE)
        .and_then(|s| s.get("endpointPrefix"))
    {
        None => {
            return Err(UpgradeError::NoEndpointRules {
                service: service.to_owned(),
            })
        }
        Some(Value::String(prefix)) if is_host_prefix(prefix) => prefix.clone(),
        Some(other) => {
            return Err(UpgradeError::EndpointPrefix {
                service: service.to_owned(),
                value: other.to_string(),
            })
        }
    };
    let tests = endpoint::standard_endpoint_tests(&prefix).map_err(|source| {
        UpgradeError::EndpointTests {
            service: service.to_owned(),
            source,
        }
    })?;
    traits.insert(RULE_SET.to_owned(), endpoint::standard_rule_set(&prefix));
    traits.insert(RULE_TESTS.to_owned(), tests);
    Ok(())
}

/// Dot-separated labels of ASCII letters, digits and `-` (e.g. `meetings-chime`, `api.ecr`).
fn is_host_prefix(prefix: &str) -> bool {
    prefix.split('.').all(|label| {
        !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ast::Collection;

    /// A model of `version` with `shapes` (a JSON object of shapes) and no service.
    fn model(version: &str, shapes: Value) -> Model {
        Model::from_json(&json!({"smithy": version, "shapes": shapes}).to_string())
            .expect("a JSON AST")
    }

    fn upgraded(version: &str, shapes: Value) -> Model {
        upgrade(model(version, shapes)).expect("the model upgrades")
    }

    fn structure<'m>(model: &'m Model, id: &str) -> &'m Aggregate {
        match &model.shapes[id] {
            Shape::Structure(s) => s,
            other => panic!("{id} is a {}", other.type_name()),
        }
    }

    fn enumeration<'m>(model: &'m Model, id: &str) -> &'m Aggregate {
        match &model.shapes[id] {
            Shape::Enum(s) => s,
            other => panic!("{id} is a {}", other.type_name()),
        }
    }

    fn default_of(member: &Member) -> Option<&Value> {
        member.traits.get(DEFAULT)
    }

    fn enum_error(shapes: Value) -> String {
        match upgrade(model("1.0", shapes)) {
            Err(e @ UpgradeError::Enum { .. }) => e.to_string(),
            other => panic!("expected an enum error, got {other:?}"),
        }
    }

    #[test]
    fn versions_1_and_2_are_read_and_written_as_2_0() {
        for version in ["1", "1.0", "2", "2.0"] {
            assert_eq!(upgraded(version, json!({})).smithy, "2.0");
        }
        let err = upgrade(model("3.0", json!({}))).unwrap_err();
        assert!(matches!(&err, UpgradeError::UnsupportedVersion(v) if v == "3.0"));
        assert!(err.to_string().contains("`3.0`"), "{err}");
    }

    #[test]
    fn a_set_becomes_a_list_with_unique_items() {
        let m = upgraded(
            "1.0",
            json!({"a#Tags": {"type": "set", "member": {"target": "smithy.api#PrimitiveInteger"},
                              "traits": {"smithy.api#length": {"max": 3}}}}),
        );
        let Shape::List(Collection { member, traits }) = &m.shapes["a#Tags"] else {
            panic!("not a list: {:?}", m.shapes["a#Tags"])
        };
        assert_eq!(
            traits.keys().collect::<Vec<_>>(),
            ["smithy.api#length", UNIQUE_ITEMS]
        );
        // A list member is retargeted but gets no default (only structure members have one).
        assert_eq!(member.target, "smithy.api#Integer");
        assert_eq!(default_of(member), None);
    }

    #[test]
    fn prelude_primitives_become_boxed_shapes_with_a_zero_default() {
        let m = upgraded(
            "1.0",
            json!({"a#S": {"type": "structure", "members": {
                "Flag": {"target": "smithy.api#PrimitiveBoolean"},
                "Count": {"target": "smithy.api#PrimitiveInteger", "traits": {"smithy.api#required": {}}},
                "Ratio": {"target": "smithy.api#PrimitiveDouble", "traits": {"smithy.api#box": {}}},
                "Plain": {"target": "smithy.api#Integer"}
            }}}),
        );
        let s = structure(&m, "a#S");
        let flag = &s.members["Flag"];
        assert_eq!(flag.target, "smithy.api#Boolean");
        assert_eq!(default_of(flag), Some(&json!(false)));
        let count = &s.members["Count"];
        assert_eq!(count.target, "smithy.api#Integer");
        assert_eq!(default_of(count), Some(&json!(0)));
        assert!(count.traits.contains_key(REQUIRED));
        // Boxed: the boxed counterpart alone, nullable.
        let ratio = &s.members["Ratio"];
        assert_eq!(ratio.target, "smithy.api#Double");
        assert!(ratio.traits.is_empty(), "{:?}", ratio.traits);
        // The 1.0 prelude's Integer was already boxed.
        assert!(s.members["Plain"].traits.is_empty());
        assert_eq!(
            s.members.keys().collect::<Vec<_>>(),
            ["Flag", "Count", "Ratio", "Plain"]
        );
    }

    #[test]
    fn unboxed_1_0_number_shapes_get_a_zero_default_and_so_do_their_members() {
        let m = upgraded(
            "1.0",
            json!({
                "a#Count": {"type": "long", "traits": {"smithy.api#range": {"min": 0}}},
                "a#Boxed": {"type": "integer", "traits": {"smithy.api#box": {}}},
                "a#Flag": {"type": "boolean"},
                "a#S": {"type": "structure", "members": {
                    "Count": {"target": "a#Count"},
                    "Optional": {"target": "a#Count", "traits": {"smithy.api#box": {}}},
                    "Boxed": {"target": "a#Boxed"},
                    "Flag": {"target": "a#Flag", "traits": {"smithy.api#required": {}}}
                }},
                "a#U": {"type": "union", "members": {"Count": {"target": "a#Count"}}}
            }),
        );
        assert_eq!(m.shapes["a#Count"].traits()[DEFAULT], json!(0));
        assert_eq!(m.shapes["a#Flag"].traits()[DEFAULT], json!(false));
        assert!(m.shapes["a#Boxed"].traits().get(DEFAULT).is_none());
        assert!(!m.shapes["a#Boxed"].traits().contains_key(BOX));
        let s = structure(&m, "a#S");
        assert_eq!(default_of(&s.members["Count"]), Some(&json!(0)));
        assert_eq!(default_of(&s.members["Optional"]), Some(&Value::Null));
        assert!(!s.members["Optional"].traits.contains_key(BOX));
        assert_eq!(default_of(&s.members["Boxed"]), None);
        assert_eq!(default_of(&s.members["Flag"]), Some(&json!(false)));
        // Union members cannot have defaults.
        let Shape::Union(u) = &m.shapes["a#U"] else {
            panic!("not a union")
        };
        assert_eq!(default_of(&u.members["Count"]), None);
    }

    #[test]
    fn a_2_0_model_keeps_its_own_defaults() {
        let shapes = json!({
            "a#Count": {"type": "long"},
            "a#S": {"type": "structure", "members": {
                "Count": {"target": "a#Count"},
                "Added": {"target": "smithy.api#Integer",
                          "traits": {"smithy.api#default": 5, "smithy.api#addedDefault": {}}},
                "Optional": {"target": "smithy.api#Boolean",
                             "traits": {"smithy.api#default": false, "smithy.api#clientOptional": {}}},
                "Zero": {"target": "smithy.api#PrimitiveInteger", "traits": {"smithy.api#default": 0}}
            }}
        });
        let m = upgraded("2.0", shapes.clone());
        assert!(
            m.shapes["a#Count"].traits().is_empty(),
            "2.0 numbers are nullable"
        );
        let s = structure(&m, "a#S");
        assert!(s.members["Count"].traits.is_empty());
        let original = model("2.0", shapes);
        let before = structure(&original, "a#S");
        assert_eq!(s.members["Added"], before.members["Added"]);
        assert_eq!(s.members["Optional"], before.members["Optional"]);
        assert_eq!(s.members["Zero"].target, "smithy.api#Integer");
        assert_eq!(default_of(&s.members["Zero"]), Some(&json!(0)));
    }

    #[test]
    fn a_1_0_streaming_blob_member_defaults_to_empty_unless_required() {
        let m = upgraded(
            "1.0",
            json!({
                "a#Body": {"type": "blob", "traits": {"smithy.api#streaming": {}}},
                "a#S": {"type": "structure", "members": {
                    "Body": {"target": "a#Body", "traits": {"smithy.api#httpPayload": {}}},
                    "Required": {"target": "a#Body", "traits": {"smithy.api#required": {}}}
                }}
            }),
        );
        let s = structure(&m, "a#S");
        assert_eq!(default_of(&s.members["Body"]), Some(&json!("")));
        assert_eq!(default_of(&s.members["Required"]), None);
    }

    #[test]
    fn a_named_enum_string_becomes_an_enum_shape() {
        let m = upgraded(
            "1.0",
            json!({"a#Size": {"type": "string", "traits": {
                "smithy.api#documentation": "Sizes.",
                "smithy.api#enum": [
                    {"value": "s", "name": "SMALL", "documentation": "Small."},
                    {"value": "xl", "name": "EXTRA_LARGE", "tags": ["internal"], "deprecated": true}
                ]
            }}}),
        );
        let e = enumeration(&m, "a#Size");
        assert_eq!(
            e.members.keys().collect::<Vec<_>>(),
            ["SMALL", "EXTRA_LARGE"]
        );
        let small = &e.members["SMALL"];
        assert_eq!(small.target, UNIT);
        assert_eq!(small.traits[ENUM_VALUE], "s");
        assert_eq!(small.traits[DOCUMENTATION], "Small.");
        let large = &e.members["EXTRA_LARGE"];
        assert_eq!(large.traits[ENUM_VALUE], "xl");
        assert_eq!(large.traits[TAGS], json!(["internal"]));
        assert_eq!(large.traits[DEPRECATED], json!({}));
        assert_eq!(e.traits.keys().collect::<Vec<_>>(), [DOCUMENTATION]);
    }

    #[test]
    fn unnamed_enum_entries_are_named_after_their_values() {
        let values = [
            ("t2.micro", "t2_micro"),
            ("us-east-1", "us_east_1"),
            ("foo:bar/baz qux", "foo_bar_baz_qux"),
            ("a_-b", "a__b"),
            ("-lead", "_lead"),
            ("1080p", "_1080p"),
            ("Mixed Case", "Mixed_Case"),
        ];
        let entries: Vec<Value> = values.iter().map(|(v, _)| json!({"value": v})).collect();
        // A 2.0 model may still carry `@enum` strings: they upgrade the same way.
        for version in ["1.0", "2.0"] {
            let m = upgraded(
                version,
                json!({"a#E": {"type": "string", "traits": {"smithy.api#enum": entries}}}),
            );
            let e = enumeration(&m, "a#E");
            let names: Vec<(&str, &str)> = e
                .members
                .iter()
                .map(|(name, m)| (m.traits[ENUM_VALUE].as_str().unwrap(), name.as_str()))
                .collect();
            assert_eq!(names, values);
        }
    }

    #[test]
    fn bad_enum_traits_are_named() {
        let one = |entries: Value| json!({"a#E": {"type": "string", "traits": {"smithy.api#enum": entries}}});
        for (entries, expected) in [
            (json!("x"), "must be a list of enum definitions"),
            (json!([]), "lists no values"),
            (json!([1]), "entry 0 is not an object"),
            (
                json!([{"name": "A"}]),
                "entry 0 has no non-empty string `value`",
            ),
            (
                json!([{"value": "a-b"}, {"value": "a.b"}]),
                "`a-b` and `a.b` both give the member name `a_b`",
            ),
            (
                json!([{"value": "x", "name": "X"}, {"value": "x", "name": "Y"}]),
                "the value `x` is listed twice",
            ),
            (
                json!([{"value": "***"}]),
                "no member name can be derived from the value `***`",
            ),
            (
                json!([{"value": "a", "name": "1st"}]),
                "the name \"1st\" is not a member name",
            ),
            (
                json!([{"value": "a", "documentation": 3}]),
                "`documentation` must be a string",
            ),
            (
                json!([{"value": "a", "tags": "t"}]),
                "`tags` must be a list of strings",
            ),
            (
                json!([{"value": "a", "deprecated": "yes"}]),
                "`deprecated` must be a boolean",
            ),
        ] {
            let message = enum_error(one(entries.clone()));
            assert!(message.contains("shape `a#E`"), "{message}");
            assert!(
                message.contains(expected),
                "{entries}: `{message}` lacks `{expected}`"
            );
        }
    }

    fn service(traits: Value) -> Value {
        json!({"a#Svc": {"type": "service", "version": "1", "traits": traits}})
    }

    #[test]
    fn a_service_without_a_rule_set_gets_the_standard_one_for_its_prefix() {
        let m = upgraded(
            "1.0",
            service(json!({"aws.api#service": {"endpointPrefix": "api.widgets"}})),
        );
        let traits = m.shapes["a#Svc"].traits();
        assert_eq!(traits[RULE_SET], endpoint::standard_rule_set("api.widgets"));
        assert_eq!(
            traits[RULE_TESTS],
            endpoint::standard_endpoint_tests("api.widgets").unwrap()
        );

        // A published rule set (or BDD) is left as it is.
        let own = json!({"version": "1.0", "parameters": {}, "rules": []});
        for key in [RULE_SET, RULE_BDD] {
            let m = upgraded(
                "2.0",
                service(json!({"aws.api#service": {"endpointPrefix": "w"}, key: own.clone()})),
            );
            let traits = m.shapes["a#Svc"].traits();
            assert_eq!(traits[key], own);
            assert_eq!(traits.len(), 2, "nothing added next to {key}");
        }
    }

    #[test]
    fn a_service_without_rule_set_or_prefix_is_an_error_naming_both_traits() {
        for traits in [json!({}), json!({"aws.api#service": {"sdkId": "W"}})] {
            let err = upgrade(model("1.0", service(traits))).unwrap_err();
            assert!(
                matches!(&err, UpgradeError::NoEndpointRules { service } if service == "a#Svc")
            );
            let message = err.to_string();
            for needle in ["a#Svc", RULE_SET, AWS_SERVICE, "endpointPrefix"] {
                assert!(message.contains(needle), "{message} lacks {needle}");
            }
        }
        for prefix in [json!("a/b"), json!(""), json!("a..b"), json!(7)] {
            let err = upgrade(model(
                "1.0",
                service(json!({"aws.api#service": {"endpointPrefix": prefix}})),
            ))
            .unwrap_err();
            assert!(
                matches!(&err, UpgradeError::EndpointPrefix { service, value } if service == "a#Svc" && value.as_str() == prefix.to_string().as_str()),
                "{err:?}"
            );
        }
    }

    #[test]
    fn shape_order_and_other_traits_are_kept() {
        let m = upgraded(
            "1.0",
            json!({
                "a#Z": {"type": "string", "traits": {"smithy.api#pattern": "^z$"}},
                "a#E": {"type": "string", "traits": {"smithy.api#enum": [{"value": "v"}], "smithy.api#sensitive": {}}},
                "a#A": {"type": "set", "member": {"target": "a#Z", "traits": {"smithy.api#documentation": "d"}}}
            }),
        );
        assert_eq!(m.shapes.keys().collect::<Vec<_>>(), ["a#Z", "a#E", "a#A"]);
        assert_eq!(m.shapes["a#Z"].traits()["smithy.api#pattern"], "^z$");
        assert!(enumeration(&m, "a#E")
            .traits
            .contains_key("smithy.api#sensitive"));
        let Shape::List(list) = &m.shapes["a#A"] else {
            panic!("not a list")
        };
        assert_eq!(list.member.traits[DOCUMENTATION], "d");
    }
}
