//! Stage 1: the Smithy JSON AST (IDL 1.0 or 2.0), deserialized as it is written (no
//! interpretation).
//!
//! Member order matters (it is the JSON body order), so every member map is an
//! [`IndexMap`]. Traits stay raw JSON here; [`crate::upgrade`] brings a model to Smithy 2.0
//! semantics and [`crate::ir`] gives the traits meaning. The derived `PartialEq` compares
//! maps as sets of entries (`IndexMap` equality ignores order).

use indexmap::IndexMap;
use serde::Deserialize;
use serde_json::Value;

/// Trait id → trait value, as written in the model.
pub type Traits = IndexMap<String, Value>;

/// A whole model file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Model {
    /// The Smithy IDL version: `"1.0"` or `"2.0"` as written, `"2.0"` after
    /// [`crate::upgrade::upgrade`].
    pub smithy: String,
    #[serde(default)]
    pub metadata: IndexMap<String, Value>,
    pub shapes: IndexMap<String, Shape>,
}

impl Model {
    /// Parses a JSON AST document.
    pub fn from_json(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }
}

/// A reference to another shape: `{"target": "ns#Name"}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ShapeRef {
    pub target: String,
}

/// A member of an aggregate shape.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Member {
    pub target: String,
    #[serde(default)]
    pub traits: Traits,
}

/// Every shape type of Smithy 2.0 plus 1.0's `set`, tagged by its `type` field.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum Shape {
    Structure(Aggregate),
    Union(Aggregate),
    Enum(Aggregate),
    IntEnum(Aggregate),
    List(Collection),
    Set(Collection),
    Map(MapShape),
    String(Simple),
    Boolean(Simple),
    Byte(Simple),
    Short(Simple),
    Integer(Simple),
    Long(Simple),
    Float(Simple),
    Double(Simple),
    BigInteger(Simple),
    BigDecimal(Simple),
    Blob(Simple),
    Timestamp(Simple),
    Document(Simple),
    Operation(Operation),
    Service(Service),
    Resource(Resource),
}

/// Evaluates `$body` with `$s` bound to the shape's body, whichever its type.
macro_rules! with_every_shape {
    ($shape:expr, $s:ident => $body:expr) => {
        match $shape {
            Shape::Structure($s) | Shape::Union($s) | Shape::Enum($s) | Shape::IntEnum($s) => $body,
            Shape::List($s) | Shape::Set($s) => $body,
            Shape::Map($s) => $body,
            Shape::String($s)
            | Shape::Boolean($s)
            | Shape::Byte($s)
            | Shape::Short($s)
            | Shape::Integer($s)
            | Shape::Long($s)
            | Shape::Float($s)
            | Shape::Double($s)
            | Shape::BigInteger($s)
            | Shape::BigDecimal($s)
            | Shape::Blob($s)
            | Shape::Timestamp($s)
            | Shape::Document($s) => $body,
            Shape::Operation($s) => $body,
            Shape::Service($s) => $body,
            Shape::Resource($s) => $body,
        }
    };
}

impl Shape {
    /// The shape's own traits.
    pub fn traits(&self) -> &Traits {
        with_every_shape!(self, s => &s.traits)
    }

    /// The shape's own traits, to change them.
    pub fn traits_mut(&mut self) -> &mut Traits {
        with_every_shape!(self, s => &mut s.traits)
    }

    /// The Smithy type name, for error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Shape::Structure(_) => "structure",
            Shape::Union(_) => "union",
            Shape::Enum(_) => "enum",
            Shape::IntEnum(_) => "intEnum",
            Shape::List(_) => "list",
            Shape::Set(_) => "set",
            Shape::Map(_) => "map",
            Shape::String(_) => "string",
            Shape::Boolean(_) => "boolean",
            Shape::Byte(_) => "byte",
            Shape::Short(_) => "short",
            Shape::Integer(_) => "integer",
            Shape::Long(_) => "long",
            Shape::Float(_) => "float",
            Shape::Double(_) => "double",
            Shape::BigInteger(_) => "bigInteger",
            Shape::BigDecimal(_) => "bigDecimal",
            Shape::Blob(_) => "blob",
            Shape::Timestamp(_) => "timestamp",
            Shape::Document(_) => "document",
            Shape::Operation(_) => "operation",
            Shape::Service(_) => "service",
            Shape::Resource(_) => "resource",
        }
    }
}

/// structure, union, enum and intEnum: named members.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Aggregate {
    #[serde(default)]
    pub members: IndexMap<String, Member>,
    #[serde(default)]
    pub mixins: Vec<ShapeRef>,
    #[serde(default)]
    pub traits: Traits,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Collection {
    pub member: Member,
    #[serde(default)]
    pub traits: Traits,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct MapShape {
    pub key: Member,
    pub value: Member,
    #[serde(default)]
    pub traits: Traits,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Simple {
    #[serde(default)]
    pub traits: Traits,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Operation {
    pub input: Option<ShapeRef>,
    pub output: Option<ShapeRef>,
    #[serde(default)]
    pub errors: Vec<ShapeRef>,
    #[serde(default)]
    pub traits: Traits,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Service {
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub operations: Vec<ShapeRef>,
    #[serde(default)]
    pub resources: Vec<ShapeRef>,
    #[serde(default)]
    pub errors: Vec<ShapeRef>,
    #[serde(default)]
    pub traits: Traits,
}

/// A resource binds operations through its lifecycle members and lists.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Resource {
    pub create: Option<ShapeRef>,
    pub put: Option<ShapeRef>,
    pub read: Option<ShapeRef>,
    pub update: Option<ShapeRef>,
    pub delete: Option<ShapeRef>,
    pub list: Option<ShapeRef>,
    #[serde(default)]
    pub operations: Vec<ShapeRef>,
    #[serde(default)]
    pub collection_operations: Vec<ShapeRef>,
    #[serde(default)]
    pub resources: Vec<ShapeRef>,
    #[serde(default)]
    pub traits: Traits,
}

impl Resource {
    /// Every operation bound directly to this resource, lifecycle first.
    pub fn bound_operations(&self) -> impl Iterator<Item = &ShapeRef> {
        [
            &self.create,
            &self.put,
            &self.read,
            &self.update,
            &self.delete,
            &self.list,
        ]
        .into_iter()
        .flatten()
        .chain(&self.operations)
        .chain(&self.collection_operations)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_shape_kind_and_keeps_member_order() {
        let model = Model::from_json(
            r#"{"smithy":"2.0","shapes":{
              "a#S":{"type":"structure","members":{"Z":{"target":"smithy.api#String"},"A":{"target":"a#L"}}},
              "a#L":{"type":"list","member":{"target":"smithy.api#Integer"}},
              "a#M":{"type":"map","key":{"target":"smithy.api#String"},"value":{"target":"a#S"}},
              "a#E":{"type":"enum","members":{"X":{"target":"smithy.api#Unit","traits":{"smithy.api#enumValue":"x"}}}},
              "a#T":{"type":"timestamp","traits":{"smithy.api#timestampFormat":"date-time"}},
              "a#O":{"type":"operation","input":{"target":"a#S"}},
              "a#R":{"type":"resource","read":{"target":"a#O"}},
              "a#Svc":{"type":"service","version":"1","resources":[{"target":"a#R"}]}
            }}"#,
        )
        .unwrap();
        let Shape::Structure(s) = &model.shapes["a#S"] else {
            panic!("not a structure")
        };
        assert_eq!(s.members.keys().collect::<Vec<_>>(), ["Z", "A"]);
        assert_eq!(model.shapes["a#T"].type_name(), "timestamp");
        let Shape::Resource(r) = &model.shapes["a#R"] else {
            panic!("not a resource")
        };
        assert_eq!(
            r.bound_operations()
                .map(|o| o.target.as_str())
                .collect::<Vec<_>>(),
            ["a#O"]
        );
    }

    #[test]
    fn an_unknown_shape_type_is_an_error() {
        let err =
            Model::from_json(r#"{"smithy":"2.0","shapes":{"a#X":{"type":"banana"}}}"#).unwrap_err();
        assert!(err.to_string().contains("banana"), "{err}");
    }
}
