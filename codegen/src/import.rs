//! `chime-caps-codegen import`: the project model as a cut of the official one.
//!
//! The project model is the [closure](crate::closure) of the chosen operations in the
//! official Smithy JSON AST, every shape kept exactly as written there (key order, member
//! order, traits, metadata) with two exceptions: the service lists only the chosen
//! operations, and every documentation text is the project's own, from one file
//! ([`DOCS_FILE`]) keyed by shape id and member. AWS's documentation is never written:
//! where the project has no text, the shape or member is written undocumented and reported;
//! a project text for a place the official model leaves undocumented is added (as the
//! last trait).
//!
//! Documentation entries for shapes the chosen operations do not reach are simply not
//! used (a slim model needs fewer); entries naming no shape or member of the official
//! model at all are reported as stale, without failing, so that a model update that
//! renames a member shows what to move.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::{Map, Value};

use crate::ast::Model;
use crate::closure::{self, ClosureError};

/// Where the project's documentation lives, relative to the workspace root.
pub const DOCS_FILE: &str = "model/docs.toml";

const DOC_TRAIT: &str = "smithy.api#documentation";
/// Smithy 1.0 enums: a trait listing definitions, each with its own `documentation`.
const LEGACY_ENUM_TRAIT: &str = "smithy.api#enum";
const LEGACY_ENUM_DOC: &str = "documentation";

/// Anything that stops an import; each names the file at fault.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is not a Smithy JSON AST model: {problem}")]
    NotAModel { path: String, problem: String },
    #[error("{path}: {source}")]
    Closure { path: String, source: ClosureError },
    #[error("{path} is not a valid documentation file: {problem}")]
    Docs { path: String, problem: String },
}

/// The project's documentation: location (`ns#Shape` or `ns#Shape$member`) → text.
///
/// The file holds one TOML table per namespace, and in it one `"Shape"` or
/// `"Shape$member"` entry per documented shape or member (list members are `$member`,
/// map keys and values `$key` and `$value`, enum members go by name, and Smithy 1.0 enum
/// definitions by name or, when unnamed, by value).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProjectDocs {
    texts: BTreeMap<String, String>,
}

impl ProjectDocs {
    /// Reads and checks the documentation file at `path`.
    pub fn load(path: &Path) -> Result<Self, ImportError> {
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ImportError::Read {
            path: origin.clone(),
            source,
        })?;
        Self::parse(&text, &origin)
    }

    /// Parses documentation text (`origin` names it in errors).
    pub fn parse(text: &str, origin: &str) -> Result<Self, ImportError> {
        let problem = |problem: String| ImportError::Docs {
            path: origin.to_owned(),
            problem,
        };
        let tables: BTreeMap<String, BTreeMap<String, String>> =
            toml::from_str(text).map_err(|e| {
                problem(format!(
                    "{e}\nexpected tables like [\"com.example\"] holding \"Shape\" = \"text\" \
                     and \"Shape$member\" = \"text\" entries"
                ))
            })?;
        let mut texts = BTreeMap::new();
        for (namespace, entries) in tables {
            if namespace.is_empty() || namespace.contains(['#', '$']) {
                return Err(problem(format!(
                    "[\"{namespace}\"] is not a namespace (write the part of a shape id before `#`)"
                )));
            }
            for (key, doc) in entries {
                let (shape, member) = match key.split_once('$') {
                    Some((shape, member)) => (shape, Some(member)),
                    None => (key.as_str(), None),
                };
                let valid_name = |name: &str| !name.is_empty() && !name.contains(['#', '$']);
                if !valid_name(shape) || !member.is_none_or(valid_name) {
                    return Err(problem(format!(
                        "[\"{namespace}\"] \"{key}\" is neither \"Shape\" nor \"Shape$member\""
                    )));
                }
                if doc.trim().is_empty() {
                    return Err(problem(format!(
                        "[\"{namespace}\"] \"{key}\" is empty: write its documentation or delete the entry"
                    )));
                }
                texts.insert(format!("{namespace}#{key}"), doc);
            }
        }
        Ok(Self { texts })
    }

    /// The project's text for a location, if any.
    pub fn get(&self, location: &str) -> Option<&str> {
        self.texts.get(location).map(String::as_str)
    }

    /// Every documented location, sorted.
    pub fn locations(&self) -> impl Iterator<Item = &str> {
        self.texts.keys().map(String::as_str)
    }
}

/// A location (`ns#Shape$member`) as the namespace table and key of [`DOCS_FILE`].
pub fn docs_key(location: &str) -> (&str, &str) {
    location.split_once('#').unwrap_or(("", location))
}

/// The outcome of an import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    /// The new project model, formatted as committed (4-space JSON, final newline).
    pub text: String,
    /// The operations kept, in the official service's order.
    pub operations: Vec<String>,
    /// How many shapes the new model holds, the service included.
    pub shape_count: usize,
    /// Locations the official model documents but the project does not, in model order:
    /// they were written without documentation.
    pub missing: Vec<String>,
    /// How many locations of the new model neither the official model nor the project
    /// documents (documenting them is optional).
    pub undocumented_in_both: usize,
    /// Project entries naming no shape or member of the official model, sorted.
    pub stale: Vec<String>,
    /// How many project entries document official shapes the chosen operations do not reach.
    pub unused_here: usize,
}

/// Imports the closure of `operations` (names or ids; empty: all) of the official model
/// `official_text` (`origin` names it in errors), documented with `docs`.
pub fn import(
    official_text: &str,
    origin: &str,
    docs: &ProjectDocs,
    operations: &[String],
) -> Result<Import, ImportError> {
    let not_a_model = |problem: String| ImportError::NotAModel {
        path: origin.to_owned(),
        problem,
    };
    // The typed AST validates the structure and gives the closure; the raw JSON (in
    // document order) is what gets written, so nothing is lost or reordered.
    let model = Model::from_json(official_text).map_err(|e| not_a_model(e.to_string()))?;
    let closure =
        closure::operation_closure(&model, operations).map_err(|source| ImportError::Closure {
            path: origin.to_owned(),
            source,
        })?;
    let mut root: Map<String, Value> =
        serde_json::from_str(official_text).map_err(|e| not_a_model(e.to_string()))?;
    let Some(Value::Object(official_shapes)) = root.get_mut("shapes") else {
        return Err(not_a_model("no \"shapes\" object".into()));
    };

    let mut visits = Vec::new();
    let mut shapes = Map::new();
    for (id, mut shape) in std::mem::take(official_shapes) {
        let kept = id == closure.service || closure.shapes.contains(&id);
        let Value::Object(fields) = &mut shape else {
            return Err(not_a_model(format!("shape {id} is not an object")));
        };
        let mut visit = |location: String, officially_documented: bool| {
            visits.push(Visit {
                project_documented: docs.get(&location).is_some(),
                location,
                officially_documented,
                kept,
            })
        };
        document_shape(&id, fields, docs, &mut visit);
        if id == closure.service {
            keep_operations(fields, &closure.operations);
        }
        if kept {
            shapes.insert(id, shape);
        }
    }
    let shape_count = shapes.len();
    *official_shapes = shapes;

    let known: BTreeSet<&str> = visits.iter().map(|v| v.location.as_str()).collect();
    let kept_visits = || visits.iter().filter(|v| v.kept && !v.project_documented);
    Ok(Import {
        text: to_committed_json(&Value::Object(root)),
        operations: closure.operations,
        shape_count,
        missing: kept_visits()
            .filter(|v| v.officially_documented)
            .map(|v| v.location.clone())
            .collect(),
        undocumented_in_both: kept_visits().filter(|v| !v.officially_documented).count(),
        stale: docs
            .locations()
            .filter(|l| !known.contains(l))
            .map(str::to_owned)
            .collect(),
        unused_here: visits
            .iter()
            .filter(|v| !v.kept && v.project_documented)
            .count(),
    })
}

/// One place of the official model that can hold documentation.
struct Visit {
    location: String,
    officially_documented: bool,
    project_documented: bool,
    /// Whether the shape is written to the new model.
    kept: bool,
}

/// Replaces the documentation of a shape, its members and its Smithy 1.0 enum
/// definitions with the project's, calling `visit(location, officially_documented)`
/// for each place.
fn document_shape(
    id: &str,
    shape: &mut Map<String, Value>,
    docs: &ProjectDocs,
    visit: &mut impl FnMut(String, bool),
) {
    visit(id.to_owned(), document_traits(shape, docs.get(id)));
    if let Some(Value::Object(members)) = shape.get_mut("members") {
        for (name, member) in members.iter_mut() {
            document_member(&format!("{id}${name}"), member, docs, visit);
        }
    }
    for name in ["member", "key", "value"] {
        if let Some(member) = shape.get_mut(name) {
            document_member(&format!("{id}${name}"), member, docs, visit);
        }
    }
    let legacy_enum = shape
        .get_mut("traits")
        .and_then(|traits| traits.get_mut(LEGACY_ENUM_TRAIT))
        .and_then(Value::as_array_mut);
    for definition in legacy_enum.into_iter().flatten() {
        let Value::Object(definition) = definition else {
            continue;
        };
        let Some(name) = ["name", "value"]
            .iter()
            .find_map(|k| definition.get(*k).and_then(Value::as_str))
        else {
            continue;
        };
        let location = format!("{id}${name}");
        let official = set_doc(definition, LEGACY_ENUM_DOC, docs.get(&location));
        visit(location, official);
    }
}

fn document_member(
    location: &str,
    member: &mut Value,
    docs: &ProjectDocs,
    visit: &mut impl FnMut(String, bool),
) {
    if let Value::Object(member) = member {
        visit(
            location.to_owned(),
            document_traits(member, docs.get(location)),
        );
    }
}

/// Sets (or, with no text, removes) the documentation trait of a shape or member, and
/// says whether it was documented before. A `traits` object emptied by the removal goes
/// too, as Smithy writes an untraited member; one created for a new text goes last.
fn document_traits(node: &mut Map<String, Value>, text: Option<&str>) -> bool {
    match text {
        Some(text) => match node
            .entry("traits")
            .or_insert_with(|| Value::Object(Map::new()))
        {
            Value::Object(traits) => set_doc(traits, DOC_TRAIT, Some(text)),
            _ => false,
        },
        None => {
            let Some(Value::Object(traits)) = node.get_mut("traits") else {
                return false;
            };
            let documented = set_doc(traits, DOC_TRAIT, None);
            if documented && traits.is_empty() {
                node.shift_remove("traits");
            }
            documented
        }
    }
}

/// Sets `key` of `object` to `text` in place (last when new), or removes it without
/// moving the other keys when there is no text; says whether `key` was there before.
fn set_doc(object: &mut Map<String, Value>, key: &str, text: Option<&str>) -> bool {
    match text {
        Some(text) => object.insert(key.into(), text.into()).is_some(),
        None => object.shift_remove(key).is_some(),
    }
}

/// Keeps only the chosen operations in the service shape's list, in its order.
fn keep_operations(service: &mut Map<String, Value>, chosen: &[String]) {
    if let Some(Value::Array(operations)) = service.get_mut("operations") {
        operations.retain(|op| {
            op.get("target")
                .and_then(Value::as_str)
                .is_some_and(|target| chosen.iter().any(|c| c == target))
        });
    }
}

/// JSON as the project commits it: 4-space indentation and a final newline.
pub fn to_committed_json(value: &Value) -> String {
    use serde::Serialize;
    let mut out = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    value
        .serialize(&mut serializer)
        .expect("a JSON value always serializes into memory");
    let mut text = String::from_utf8(out).expect("serde_json writes UTF-8");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    const OFFICIAL: &str = r#"{
      "smithy": "2.0",
      "metadata": {"suppressions": []},
      "shapes": {
        "a#Svc": {"type": "service", "version": "1",
                  "operations": [{"target": "a#Get"}, {"target": "a#Put"}],
                  "traits": {"aws.api#service": {"sdkId": "A"}, "smithy.api#documentation": "AWS service text"}},
        "a#Get": {"type": "operation", "input": {"target": "a#GetIn"},
                  "traits": {"smithy.api#documentation": "AWS get text", "smithy.api#readonly": {}}},
        "a#GetIn": {"type": "structure", "members": {
            "Id": {"target": "a#Id", "traits": {"smithy.api#documentation": "AWS id text"}},
            "Kind": {"target": "a#Kind", "traits": {"smithy.api#required": {}, "smithy.api#documentation": "AWS kind text"}},
            "Note": {"target": "a#Id"}}},
        "a#Id": {"type": "string", "traits": {}},
        "a#Kind": {"type": "string", "traits": {"smithy.api#enum": [
            {"value": "x", "name": "X", "documentation": "AWS x text"},
            {"value": "y"}]}},
        "a#Put": {"type": "operation", "input": {"target": "a#PutIn"}},
        "a#PutIn": {"type": "structure", "members": {"Id": {"target": "a#Id"}}}
      }
    }"#;

    const DOCS: &str = r#"
        ["a"]
        "Svc" = "Our service."
        "GetIn$Id" = "Our id."
        "GetIn$Note" = "Our note."
        "Kind$y" = "Our y."
        "PutIn$Id" = "Our put id."
        "Gone$Member" = "Left over."
    "#;

    fn docs() -> ProjectDocs {
        ProjectDocs::parse(DOCS, "docs.toml").unwrap()
    }

    fn get(ops: &[&str]) -> Import {
        let ops: Vec<String> = ops.iter().map(|s| s.to_string()).collect();
        import(OFFICIAL, "official.json", &docs(), &ops).unwrap()
    }

    fn json(import: &Import) -> Value {
        serde_json::from_str(&import.text).unwrap()
    }

    #[test]
    fn documentation_is_ours_or_none_and_everything_else_stays_in_place() {
        let got = get(&["Get"]);
        assert!(!got.text.contains("AWS"), "{}", got.text);
        let model = json(&got);
        let shapes = &model["shapes"];
        // Replaced in place, in the position of the official trait.
        let service = shapes["a#Svc"]["traits"].as_object().unwrap();
        assert_eq!(
            service.keys().collect::<Vec<_>>(),
            ["aws.api#service", "smithy.api#documentation"]
        );
        assert_eq!(service[DOC_TRAIT], "Our service.");
        assert_eq!(
            shapes["a#GetIn"]["members"]["Id"]["traits"][DOC_TRAIT],
            "Our id."
        );
        // Dropped without project text: the other traits stay, an emptied `traits` goes.
        assert_eq!(
            shapes["a#Get"]["traits"],
            serde_json::json!({"smithy.api#readonly": {}})
        );
        assert_eq!(
            shapes["a#GetIn"]["members"]["Kind"]["traits"],
            serde_json::json!({"smithy.api#required": {}})
        );
        // Added where the official model has none; an official empty `traits` stays.
        assert_eq!(
            shapes["a#GetIn"]["members"]["Note"],
            serde_json::json!({"target": "a#Id", "traits": {"smithy.api#documentation": "Our note."}})
        );
        assert_eq!(
            shapes["a#Id"],
            serde_json::json!({"type": "string", "traits": {}})
        );
        // Smithy 1.0 enum definitions, by name or else by value.
        assert_eq!(
            shapes["a#Kind"]["traits"]["smithy.api#enum"],
            serde_json::json!([{"value": "x", "name": "X"}, {"value": "y", "documentation": "Our y."}])
        );
        assert_eq!(model["metadata"], serde_json::json!({"suppressions": []}));
    }

    #[test]
    fn only_the_closure_is_kept_and_the_service_lists_only_the_chosen_operations() {
        let got = get(&["Get"]);
        let model = json(&got);
        let ids: Vec<&String> = model["shapes"].as_object().unwrap().keys().collect();
        assert_eq!(ids, ["a#Svc", "a#Get", "a#GetIn", "a#Id", "a#Kind"]);
        assert_eq!(
            model["shapes"]["a#Svc"]["operations"],
            serde_json::json!([{"target": "a#Get"}])
        );
        assert_eq!(got.operations, ["a#Get"]);
        assert_eq!(got.shape_count, 5);
    }

    #[test]
    fn reports_missing_stale_and_unused_documentation() {
        let got = get(&["Get"]);
        assert_eq!(got.missing, ["a#Get", "a#GetIn$Kind", "a#Kind$X"]);
        // a#GetIn, a#Id, a#Kind itself.
        assert_eq!(got.undocumented_in_both, 3);
        assert_eq!(got.stale, ["a#Gone$Member"]);
        assert_eq!(got.unused_here, 1, "PutIn$Id is outside the closure of Get");
        assert_eq!(get(&[]).unused_here, 0);
    }

    #[test]
    fn the_order_of_operations_does_not_matter_and_the_text_is_committed_json() {
        let all = get(&[]);
        assert_eq!(get(&["Put", "Get"]), all);
        assert_eq!(get(&["a#Get", "Put", "Get"]), all);
        assert!(all
            .text
            .starts_with("{\n    \"smithy\": \"2.0\",\n    \"metadata\""));
        assert!(all.text.ends_with("\n}\n"));
    }

    #[test]
    fn bad_models_name_the_file() {
        let err = import("{", "official.json", &docs(), &[]).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("official.json is not a Smithy JSON AST model: "),
            "{err}"
        );
        let err = import(OFFICIAL, "official.json", &docs(), &["Delete".into()]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "official.json: `Delete` is not an operation of the service (its operations: Get, Put)"
        );
    }

    #[test]
    fn bad_documentation_files_are_refused_with_the_reason() {
        let cases = [
            ("\"Svc\" = \"top level\"", "expected tables like"),
            ("[\"a#b\"]\n\"Svc\" = \"x\"", "[\"a#b\"] is not a namespace"),
            ("[\"a\"]\n\"Svc$\" = \"x\"", "\"Svc$\" is neither"),
            ("[\"a\"]\n\"a#Svc\" = \"x\"", "\"a#Svc\" is neither"),
            ("[\"a\"]\n\"S$m$n\" = \"x\"", "\"S$m$n\" is neither"),
            ("[\"a\"]\n\"Svc\" = \" \"", "\"Svc\" is empty"),
            ("[\"a\"]\n\"Svc\" = 3", "expected tables like"),
            ("[\"a\"]\n\"Svc\" = \"x\"\n\"Svc\" = \"y\"", "duplicate key"),
        ];
        for (text, needle) in cases {
            let err = ProjectDocs::parse(text, "model/docs.toml")
                .unwrap_err()
                .to_string();
            assert!(
                err.starts_with("model/docs.toml is not a valid documentation file: ")
                    && err.contains(needle),
                "{text:?}: {err}"
            );
        }
        assert_eq!(docs().get("a#GetIn$Id"), Some("Our id."));
        assert_eq!(docs_key("a.b#Shape$m"), ("a.b", "Shape$m"));
    }
}
