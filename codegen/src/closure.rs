//! The shapes a set of operations needs: the operations themselves, everything their
//! input, output and errors reach (members, list members, map keys and values, mixins),
//! and the service-wide errors, which every operation can return.
//!
//! Used by `import` (to cut a model down to some operations) and by anything else that
//! compares models operation by operation.

use std::collections::BTreeSet;

use crate::ast::{Model, Service, Shape};

/// Shapes in this namespace are built into Smithy and never appear in a model file.
const PRELUDE: &str = "smithy.api#";

/// Why the closure of some operations cannot be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClosureError {
    #[error("the model has no service shape, so it binds no operations")]
    NoService,
    #[error("the model has {} service shapes ({}); pick a model with exactly one", .0.len(), .0.join(", "))]
    ManyServices(Vec<String>),
    #[error("the service `{0}` binds operations through resources; only operations listed directly on the service are supported")]
    Resources(String),
    #[error("`{name}` is not an operation of the service (its operations: {known})")]
    UnknownOperation { name: String, known: String },
    #[error("`{id}` is listed as an operation of the service but is a {kind}")]
    NotAnOperation { id: String, kind: &'static str },
    #[error("`{id}` (referenced from `{from}`) is not defined in the model")]
    Undefined { id: String, from: String },
}

/// The closure of some operations of the model's only service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closure {
    /// The service shape's id.
    pub service: String,
    /// The chosen operations' ids, in the order the service lists them.
    pub operations: Vec<String>,
    /// Every non-prelude shape the chosen operations reach, the operations included and
    /// the service shape excluded.
    pub shapes: BTreeSet<String>,
}

/// The model's only service shape, with its id.
pub fn service(model: &Model) -> Result<(&str, &Service), ClosureError> {
    let services: Vec<(&str, &Service)> = model
        .shapes
        .iter()
        .filter_map(|(id, shape)| match shape {
            Shape::Service(service) => Some((id.as_str(), service)),
            _ => None,
        })
        .collect();
    match services.as_slice() {
        [] => Err(ClosureError::NoService),
        [one] => Ok(*one),
        many => Err(ClosureError::ManyServices(
            many.iter().map(|(id, _)| id.to_string()).collect(),
        )),
    }
}

/// The closure of `operations` (shape names such as `CreateMeeting`, or absolute ids;
/// empty: every operation of the service). The result does not depend on the order of
/// `operations`, and naming an operation twice is the same as naming it once.
pub fn operation_closure(model: &Model, operations: &[String]) -> Result<Closure, ClosureError> {
    let (service_id, service) = service(model)?;
    if !service.resources.is_empty() {
        return Err(ClosureError::Resources(service_id.to_owned()));
    }
    let bound: Vec<&str> = service
        .operations
        .iter()
        .map(|o| o.target.as_str())
        .collect();
    for name in operations {
        if !bound.iter().any(|id| names_operation(name, id)) {
            let known: Vec<&str> = bound.iter().map(|id| shape_name(id)).collect();
            return Err(ClosureError::UnknownOperation {
                name: name.clone(),
                known: known.join(", "),
            });
        }
    }
    let chosen: Vec<String> = bound
        .iter()
        .filter(|id| operations.is_empty() || operations.iter().any(|n| names_operation(n, id)))
        .map(|id| id.to_string())
        .collect();

    let mut pending: Vec<(String, String)> = chosen
        .iter()
        .map(|id| (id.clone(), format!("{service_id}/operations")))
        .collect();
    pending.extend(
        service
            .errors
            .iter()
            .map(|e| (e.target.clone(), format!("{service_id}/errors"))),
    );
    let mut shapes = BTreeSet::new();
    while let Some((id, from)) = pending.pop() {
        if id.starts_with(PRELUDE) || shapes.contains(&id) {
            continue;
        }
        let shape = model
            .shapes
            .get(&id)
            .ok_or_else(|| ClosureError::Undefined {
                id: id.clone(),
                from: from.clone(),
            })?;
        if chosen.contains(&id) && !matches!(shape, Shape::Operation(_)) {
            return Err(ClosureError::NotAnOperation {
                id,
                kind: shape.type_name(),
            });
        }
        pending.extend(
            references(shape)
                .into_iter()
                .map(|(location, target)| (target.to_owned(), format!("{id}{location}"))),
        );
        shapes.insert(id);
    }
    Ok(Closure {
        service: service_id.to_owned(),
        operations: chosen,
        shapes,
    })
}

/// The part of a shape id after `#`.
pub fn shape_name(id: &str) -> &str {
    id.rsplit_once('#').map_or(id, |(_, name)| name)
}

fn names_operation(name: &str, id: &str) -> bool {
    name == id || name == shape_name(id)
}

/// The shapes `shape` refers to, each with where (`$Member`, `/input`, ..) it does so.
fn references(shape: &Shape) -> Vec<(String, &str)> {
    let mut refs = Vec::new();
    match shape {
        Shape::Structure(s) | Shape::Union(s) | Shape::Enum(s) | Shape::IntEnum(s) => {
            for (name, member) in &s.members {
                refs.push((format!("${name}"), member.target.as_str()));
            }
            for mixin in &s.mixins {
                refs.push(("/mixins".to_owned(), mixin.target.as_str()));
            }
        }
        Shape::List(c) | Shape::Set(c) => refs.push(("$member".to_owned(), &c.member.target)),
        Shape::Map(m) => {
            refs.push(("$key".to_owned(), &m.key.target));
            refs.push(("$value".to_owned(), &m.value.target));
        }
        Shape::Operation(op) => {
            for (location, target) in [("/input", &op.input), ("/output", &op.output)] {
                if let Some(target) = target {
                    refs.push((location.to_owned(), &target.target));
                }
            }
            for error in &op.errors {
                refs.push(("/errors".to_owned(), &error.target));
            }
        }
        _ => {}
    }
    refs
}

#[cfg(test)]
mod tests {
    use super::*;

    const MODEL: &str = r#"{"smithy":"2.0","shapes":{
      "a#Svc":{"type":"service","version":"1","operations":[{"target":"a#Get"},{"target":"a#Put"}],
               "errors":[{"target":"a#Oops"}]},
      "a#Get":{"type":"operation","input":{"target":"a#GetIn"},"output":{"target":"smithy.api#Unit"}},
      "a#GetIn":{"type":"structure","members":{"Ids":{"target":"a#Ids"}}},
      "a#Ids":{"type":"list","member":{"target":"a#Id"}},
      "a#Id":{"type":"string"},
      "a#Put":{"type":"operation","input":{"target":"a#PutIn"},"errors":[{"target":"a#Full"}]},
      "a#PutIn":{"type":"structure","members":{"Tags":{"target":"a#Tags"}}},
      "a#Tags":{"type":"map","key":{"target":"a#Id"},"value":{"target":"a#Kind"}},
      "a#Kind":{"type":"enum","members":{"X":{"target":"smithy.api#Unit"}}},
      "a#Full":{"type":"structure","members":{},"traits":{"smithy.api#error":"client"}},
      "a#Oops":{"type":"structure","members":{},"traits":{"smithy.api#error":"server"}},
      "a#Unused":{"type":"string"}
    }}"#;

    fn closure_of(text: &str, ops: &[&str]) -> Result<Closure, ClosureError> {
        let model = Model::from_json(text).unwrap();
        let ops: Vec<String> = ops.iter().map(|s| s.to_string()).collect();
        operation_closure(&model, &ops)
    }

    fn ids(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|n| format!("a#{n}")).collect()
    }

    #[test]
    fn one_operation_reaches_members_lists_and_service_errors() {
        let closure = closure_of(MODEL, &["Get"]).unwrap();
        assert_eq!(closure.service, "a#Svc");
        assert_eq!(closure.operations, ["a#Get"]);
        assert_eq!(closure.shapes, ids(&["Get", "GetIn", "Ids", "Id", "Oops"]));
    }

    #[test]
    fn no_operation_named_means_all_in_service_order_whatever_the_request_order() {
        let all = closure_of(MODEL, &[]).unwrap();
        assert_eq!(all.operations, ["a#Get", "a#Put"]);
        assert!(all.shapes.contains("a#Kind") && all.shapes.contains("a#Full"));
        assert!(!all.shapes.contains("a#Unused"));
        assert_eq!(closure_of(MODEL, &["Put", "a#Get", "Put"]).unwrap(), all);
    }

    #[test]
    fn unknown_operations_and_undefined_targets_are_errors() {
        let err = closure_of(MODEL, &["Delete"]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`Delete` is not an operation of the service (its operations: Get, Put)"
        );
        let broken = MODEL.replace(r#""a#Id":{"type":"string"},"#, "");
        let err = closure_of(&broken, &["Get"]).unwrap_err();
        assert_eq!(
            err,
            ClosureError::Undefined {
                id: "a#Id".into(),
                from: "a#Ids$member".into()
            }
        );
        let not_op = MODEL.replace(r#"{"target":"a#Put"}]"#, r#"{"target":"a#Id"}]"#);
        assert!(matches!(
            closure_of(&not_op, &[]).unwrap_err(),
            ClosureError::NotAnOperation { kind: "string", .. }
        ));
    }

    #[test]
    fn models_without_exactly_one_plain_service_are_refused() {
        let none = r#"{"smithy":"2.0","shapes":{"a#Id":{"type":"string"}}}"#;
        assert_eq!(closure_of(none, &[]).unwrap_err(), ClosureError::NoService);
        let two = MODEL.replace(
            r#""a#Unused":{"type":"string"}"#,
            r#""a#Svc2":{"type":"service"}"#,
        );
        assert!(
            matches!(closure_of(&two, &[]).unwrap_err(), ClosureError::ManyServices(ids) if ids.len() == 2)
        );
        let with_resources = MODEL.replace(
            r#""errors":[{"target":"a#Oops"}]"#,
            r#""resources":[{"target":"a#R"}]"#,
        );
        assert!(matches!(
            closure_of(&with_resources, &[]).unwrap_err(),
            ClosureError::Resources(_)
        ));
    }
}
