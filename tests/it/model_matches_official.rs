//! Proves that the project's Smithy model (`model/chime-sdk-meetings.json`) is a faithful subset of
//! the official AWS model (`../shared/models/chime-sdk-meetings.json`):
//!
//! * every shape we keep is identical to the official one (type, members in the same order, traits,
//!   key order) once every `smithy.api#documentation` key has been removed — the only other
//!   exception being the service shape's `operations`, which must be an order-preserving subset of
//!   the official list;
//! * we keep exactly the shapes reachable from our operations — all sixteen of the service — (plus
//!   the service shape);
//! * our documentation is our own text: present wherever the official model documents something,
//!   never a copy of the official prose, and exactly the text of `model/docs.toml`, the file
//!   `chime-caps-codegen import` documents the model from.
//!
//! Tests that need the official model skip (with a message on stderr) when it is absent; the checks
//! that only need our model always run. The `detects_*` tests at the bottom feed deliberately broken
//! copies to the checking functions to prove that they can fail.

use chime_caps_codegen::import::{ProjectDocs, DOCS_FILE};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

const NAMESPACE: &str = "com.amazonaws.chimesdkmeetings";
const SERVICE_ID: &str = "com.amazonaws.chimesdkmeetings#ChimeMeetingsSDKService";
const DOC: &str = "smithy.api#documentation";
const PRELUDE: &str = "smithy.api#";

/// The operations this project supports (the roots of the shape closure): every operation of the
/// service, in the official order.
const OPERATIONS: [&str; 16] = [
    "BatchCreateAttendee",
    "BatchUpdateAttendeeCapabilitiesExcept",
    "CreateAttendee",
    "CreateMeeting",
    "CreateMeetingWithAttendees",
    "DeleteAttendee",
    "DeleteMeeting",
    "GetAttendee",
    "GetMeeting",
    "ListAttendees",
    "ListTagsForResource",
    "StartMeetingTranscription",
    "StopMeetingTranscription",
    "TagResource",
    "UntagResource",
    "UpdateAttendeeCapabilities",
];

/// A documentation string of ours may not share this many consecutive words with any official one.
const MAX_SHARED_WORDS: usize = 8;

// ---------------------------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------------------------

fn ours_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("model/chime-sdk-meetings.json")
}

fn official_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/models/chime-sdk-meetings.json")
}

fn parse(path: &Path, text: &str) -> Value {
    serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("{} is not valid JSON: {e}", path.display()))
}

fn ours() -> Value {
    let path = ours_path();
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read our model {}: {e}", path.display()));
    parse(&path, &text)
}

/// The official model, or `None` (after saying why on stderr) when the file does not exist.
fn official(test: &str) -> Option<Value> {
    let path = official_path();
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(parse(&path, &text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!(
                "SKIPPED {test}: the official model {} does not exist, so there is nothing to \
                 compare model/chime-sdk-meetings.json against",
                path.display()
            );
            None
        }
        Err(e) => panic!("cannot read the official model {}: {e}", path.display()),
    }
}

fn shapes(model: &Value) -> &Map<String, Value> {
    model
        .get("shapes")
        .and_then(Value::as_object)
        .expect("model has no \"shapes\" object")
}

fn shape_id(name: &str) -> String {
    format!("{NAMESPACE}#{name}")
}

fn brief(v: &Value) -> String {
    let s = serde_json::to_string(v).unwrap_or_default();
    if s.chars().count() > 160 {
        format!("{}…", s.chars().take(160).collect::<String>())
    } else {
        s
    }
}

fn fail_if_any(what: &str, problems: &[String]) {
    if problems.is_empty() {
        return;
    }
    const SHOWN: usize = 60;
    let mut msg = format!("{what}: {} problem(s)", problems.len());
    for p in problems.iter().take(SHOWN) {
        msg.push_str("\n  - ");
        msg.push_str(p);
    }
    if problems.len() > SHOWN {
        msg.push_str(&format!("\n  … and {} more", problems.len() - SHOWN));
    }
    panic!("{msg}");
}

// ---------------------------------------------------------------------------------------------
// Structural comparison
// ---------------------------------------------------------------------------------------------

/// Removes every `smithy.api#documentation` key, at any depth. A `traits` object left empty by that
/// is dropped too, so that `"traits": {}` and no `traits` at all compare equal (both mean "no
/// traits").
fn strip_docs(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                if k == DOC {
                    continue;
                }
                let s = strip_docs(v);
                if k == "traits" && s.as_object().is_some_and(Map::is_empty) {
                    continue;
                }
                out.insert(k.clone(), s);
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(strip_docs).collect()),
        other => other.clone(),
    }
}

/// Records every difference between `ours` and `official` below `path`, including key order.
fn diff(path: &str, ours: &Value, official: &Value, out: &mut Vec<String>) {
    match (ours, official) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, bv) in b {
                if !a.contains_key(k) {
                    out.push(format!(
                        "{path}/{k}: missing in ours (official: {})",
                        brief(bv)
                    ));
                }
            }
            for (k, av) in a {
                match b.get(k) {
                    None => out.push(format!(
                        "{path}/{k}: present in ours but not in the official model (ours: {})",
                        brief(av)
                    )),
                    Some(bv) => diff(&format!("{path}/{k}"), av, bv, out),
                }
            }
            let order_a: Vec<&str> = a
                .keys()
                .filter(|k| b.contains_key(*k))
                .map(String::as_str)
                .collect();
            let order_b: Vec<&str> = b
                .keys()
                .filter(|k| a.contains_key(*k))
                .map(String::as_str)
                .collect();
            if order_a != order_b {
                out.push(format!(
                    "{path}: keys in a different order: ours {order_a:?}, official {order_b:?}"
                ));
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                out.push(format!(
                    "{path}: {} element(s) in ours, {} in the official model",
                    a.len(),
                    b.len()
                ));
            }
            for (i, (av, bv)) in a.iter().zip(b).enumerate() {
                diff(&format!("{path}[{i}]"), av, bv, out);
            }
        }
        _ => {
            if ours != official {
                out.push(format!(
                    "{path}: ours {} but official {}",
                    brief(ours),
                    brief(official)
                ));
            }
        }
    }
}

/// Checks that `ours` (the service's `operations`) is a subset of `official`, in official order,
/// without duplicates.
fn operations_subset_problems(ours: Option<&Value>, official: Option<&Value>) -> Vec<String> {
    let (Some(ours), Some(official)) = (ours, official) else {
        return match (ours, official) {
            (None, None) => vec![],
            (None, Some(_)) => vec!["operations: missing in ours".into()],
            _ => vec!["operations: present in ours but not in the official model".into()],
        };
    };
    let (Some(ours), Some(official)) = (ours.as_array(), official.as_array()) else {
        return vec!["operations: not an array".into()];
    };
    let mut problems = vec![];
    let mut last: Option<usize> = None;
    for (i, op) in ours.iter().enumerate() {
        match official.iter().position(|o| o == op) {
            None => problems.push(format!(
                "operations[{i}] = {} is not an operation of the official service",
                brief(op)
            )),
            Some(j) => {
                if last.is_some_and(|l| l >= j) {
                    problems.push(format!(
                        "operations[{i}] = {} is duplicated or out of the official order \
                         (official index {j}, previous one {})",
                        brief(op),
                        last.unwrap()
                    ));
                }
                last = Some(j);
            }
        }
    }
    problems
}

/// Differences between one shape of ours and the official shape of the same id, ignoring docs
/// (and, for the service shape, checking `operations` as an ordered subset).
fn shape_problems(id: &str, ours: &Value, official: &Value) -> Vec<String> {
    let mut a = strip_docs(ours);
    let mut b = strip_docs(official);
    let mut problems = vec![];
    if id == SERVICE_ID {
        problems.extend(
            operations_subset_problems(a.get("operations"), b.get("operations"))
                .into_iter()
                .map(|p| format!("{id}/{p}")),
        );
        // Neutralise the lists (keeping the key's position) so the rest compares exactly.
        for v in [&mut a, &mut b] {
            if let Some(ops) = v.get_mut("operations") {
                *ops = Value::Null;
            }
        }
    }
    diff(id, &a, &b, &mut problems);
    problems
}

/// Every shape of ours must exist in the official model and be equal to it (see `shape_problems`);
/// our shapes must also keep the official relative order.
fn model_problems(ours: &Value, official: &Value) -> Vec<String> {
    let official_shapes = shapes(official);
    let mut problems = vec![];
    for (id, shape) in shapes(ours) {
        match official_shapes.get(id) {
            None => problems.push(format!("{id}: no shape with this id in the official model")),
            Some(off) => problems.extend(shape_problems(id, shape, off)),
        }
    }
    let ours_order = shapes(ours)
        .keys()
        .filter(|id| official_shapes.contains_key(*id));
    let official_order = official_shapes
        .keys()
        .filter(|id| shapes(ours).contains_key(*id));
    if let Some((i, (a, b))) = ours_order
        .zip(official_order)
        .enumerate()
        .find(|(_, (a, b))| a != b)
    {
        problems.push(format!(
            "shapes: not in the official relative order; shape #{i} is {a} in ours but {b} in the \
             official order"
        ));
    }
    problems
}

/// Our metadata may only hold entries the official metadata has (arrays: a subset of elements).
fn metadata_problems(ours: &Value, official: &Value) -> Vec<String> {
    let Some(ours) = ours.get("metadata") else {
        return vec![];
    };
    let Some(ours) = ours.as_object() else {
        return vec!["metadata: not an object".into()];
    };
    let official = official.get("metadata").and_then(Value::as_object);
    let mut problems = vec![];
    for (k, v) in ours {
        match (v, official.and_then(|o| o.get(k))) {
            (_, None) => problems.push(format!("metadata/{k}: not in the official metadata")),
            (Value::Array(a), Some(Value::Array(b))) => {
                for e in a {
                    if !b.contains(e) {
                        problems.push(format!(
                            "metadata/{k}: entry {} is not in the official metadata",
                            brief(e)
                        ));
                    }
                }
            }
            (v, Some(o)) if v != o => problems.push(format!(
                "metadata/{k}: ours {} but official {}",
                brief(v),
                brief(o)
            )),
            _ => {}
        }
    }
    problems
}

// ---------------------------------------------------------------------------------------------
// Closure
// ---------------------------------------------------------------------------------------------

fn target_of(v: Option<&Value>) -> Option<&str> {
    v.and_then(|v| v.get("target")).and_then(Value::as_str)
}

/// Shape ids a shape refers to: operation input/output/errors, structure/union/enum members,
/// list `member`, map `key`/`value`, service `errors`, and mixins.
fn references(shape: &Value) -> Vec<String> {
    let mut refs = vec![];
    for k in ["input", "output", "member", "key", "value"] {
        if let Some(t) = target_of(shape.get(k)) {
            refs.push(t.to_string());
        }
    }
    for k in ["errors", "mixins"] {
        for e in shape.get(k).and_then(Value::as_array).into_iter().flatten() {
            if let Some(t) = target_of(Some(e)) {
                refs.push(t.to_string());
            }
        }
    }
    for m in shape
        .get("members")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|m| m.values())
    {
        if let Some(t) = target_of(Some(m)) {
            refs.push(t.to_string());
        }
    }
    refs
}

/// Every non-prelude shape reachable from our operations and the service's own `errors`,
/// plus one message per reference that does not resolve in `model`.
fn closure(model: &Value) -> (BTreeSet<String>, Vec<String>) {
    let all = shapes(model);
    let mut stack: Vec<(String, String)> = OPERATIONS
        .iter()
        .map(|o| (shape_id(o), "the operation list".to_string()))
        .collect();
    if let Some(errors) = all
        .get(SERVICE_ID)
        .and_then(|s| s.get("errors"))
        .and_then(Value::as_array)
    {
        for e in errors {
            if let Some(t) = target_of(Some(e)) {
                stack.push((t.to_string(), format!("{SERVICE_ID}/errors")));
            }
        }
    }
    let mut seen = BTreeSet::new();
    let mut dangling = vec![];
    while let Some((id, from)) = stack.pop() {
        if id.starts_with(PRELUDE) || seen.contains(&id) {
            continue;
        }
        let Some(shape) = all.get(&id) else {
            dangling.push(format!("{id} (referenced from {from}) is not defined"));
            continue;
        };
        seen.insert(id.clone());
        for r in references(shape) {
            stack.push((r, id.clone()));
        }
    }
    (seen, dangling)
}

/// `ours` must hold every shape of the closure computed over `reference`, and nothing else except
/// the service shape.
fn closure_problems(ours: &Value, reference: &Value, reference_name: &str) -> Vec<String> {
    let (reachable, dangling) = closure(reference);
    let mut problems: Vec<String> = dangling
        .into_iter()
        .map(|d| format!("{reference_name}: {d}"))
        .collect();
    let ours_shapes = shapes(ours);
    for id in &reachable {
        if !ours_shapes.contains_key(id) {
            problems.push(format!(
                "{id}: reachable from the operations ({reference_name}) but missing from ours"
            ));
        }
    }
    for id in ours_shapes.keys() {
        if id != SERVICE_ID && !reachable.contains(id) {
            problems.push(format!(
                "{id}: in ours but not reachable from the {} operations ({reference_name})",
                OPERATIONS.len()
            ));
        }
    }
    if !ours_shapes.contains_key(SERVICE_ID) {
        problems.push(format!(
            "{SERVICE_ID}: the service shape is missing from ours"
        ));
    }
    problems
}

// ---------------------------------------------------------------------------------------------
// Documentation
// ---------------------------------------------------------------------------------------------

fn collect_docs(v: &Value, path: &str, out: &mut BTreeMap<String, String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                if k == DOC {
                    out.insert(path.to_string(), v.as_str().unwrap_or_default().to_string());
                } else {
                    collect_docs(v, &format!("{path}/{k}"), out);
                }
            }
        }
        Value::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                collect_docs(v, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// Location (e.g. `…#Attendee/members/JoinToken/traits`) → documentation text.
fn docs(model: &Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (id, shape) in shapes(model) {
        collect_docs(shape, id, &mut out);
    }
    out
}

/// Drops HTML tags, collapses whitespace, lower-cases and trims a trailing full stop.
fn normalize(doc: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in doc.chars() {
        match c {
            '<' => {
                in_tag = true;
                text.push(' ');
            }
            '>' if in_tag => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let joined = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    joined.trim_end_matches('.').trim().to_string()
}

fn words(doc: &str) -> Vec<String> {
    normalize(doc)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn missing_doc_problems(ours: &Value, official: &Value) -> Vec<String> {
    let ours_docs = docs(ours);
    let mut problems = vec![];
    for loc in docs(official).keys() {
        let (id, _) = loc.split_once('/').unwrap_or((loc, ""));
        if !shapes(ours).contains_key(id) {
            continue; // shape not kept: nothing to document
        }
        match ours_docs.get(loc) {
            None => problems.push(format!("{loc}: documented officially but not in ours")),
            Some(d) if d.trim().is_empty() => {
                problems.push(format!("{loc}: our documentation is empty"))
            }
            _ => {}
        }
    }
    problems
}

fn copied_doc_problems(ours: &Value, official: &Value) -> Vec<String> {
    let official_docs = docs(official);
    let mut problems = vec![];
    for (loc, text) in docs(ours) {
        if let Some(off) = official_docs.get(&loc) {
            if !text.trim().is_empty() && normalize(&text) == normalize(off) {
                problems.push(format!(
                    "{loc}: our documentation is the official text {:?}",
                    normalize(off)
                ));
            }
        }
    }
    problems
}

/// No doc of ours may contain a run of `n` consecutive words found in any official doc.
fn shared_passage_problems(ours: &Value, official: &Value, n: usize) -> Vec<String> {
    let mut official_ngrams: HashSet<Vec<String>> = HashSet::new();
    for text in docs(official).values() {
        for w in words(text).windows(n) {
            official_ngrams.insert(w.to_vec());
        }
    }
    let mut problems = vec![];
    for (loc, text) in docs(ours) {
        if let Some(w) = words(&text)
            .windows(n)
            .find(|w| official_ngrams.contains(*w))
        {
            problems.push(format!(
                "{loc}: shares {n} consecutive words with official documentation: \"{}\"",
                w.join(" ")
            ));
        }
    }
    problems
}

fn docs_file() -> ProjectDocs {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(DOCS_FILE);
    ProjectDocs::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

/// A documentation path of [`docs`] (`…#Shape/traits`, `…#Shape/members/M/traits`,
/// `…#List/member/traits`) as the key `model/docs.toml` uses (`…#Shape`, `…#Shape$M`, `…#List$member`).
fn docs_file_location(path: &str) -> String {
    let (id, place) = path.split_once('/').unwrap_or((path, ""));
    let place = place.trim_end_matches("traits").trim_end_matches('/');
    match place.rsplit('/').next() {
        Some(member) if !member.is_empty() => format!("{id}${member}"),
        _ => id.to_string(),
    }
}

/// Our model's documentation must be exactly the file's: `import` writes it from there, so any
/// difference is a hand edit of the model or a file changed without an import.
fn docs_file_problems(model: &Value, file: &ProjectDocs) -> Vec<String> {
    let in_model: BTreeMap<String, String> = docs(model)
        .into_iter()
        .map(|(path, text)| (docs_file_location(&path), text))
        .collect();
    let mut problems = vec![];
    for (location, text) in &in_model {
        match file.get(location) {
            None => problems.push(format!(
                "{location}: documented in the model but not in {DOCS_FILE} (write it there and run \
                 `chime-caps-codegen import`)"
            )),
            Some(ours) if ours != text => problems.push(format!(
                "{location}: the model's text differs from {DOCS_FILE}'s (run `chime-caps-codegen import`)"
            )),
            Some(_) => {}
        }
    }
    for location in file.locations() {
        if !in_model.contains_key(location) {
            problems.push(format!(
                "{location}: in {DOCS_FILE} but not documented in the model (stale entry, or run \
                 `chime-caps-codegen import`)"
            ));
        }
    }
    problems
}

// ---------------------------------------------------------------------------------------------
// Tests on our model alone
// ---------------------------------------------------------------------------------------------

#[test]
fn serde_json_keeps_key_order() {
    let v: Value = serde_json::from_str(r#"{"b": 1, "a": 2}"#).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        ["b", "a"],
        "serde_json must be built with its `preserve_order` feature (the workspace enables it via \
         chime-caps-codegen); without it every key-order check in this file would be vacuous"
    );
}

#[test]
fn ours_is_a_smithy_2_0_json_ast() {
    let model = ours();
    assert_eq!(
        model.get("smithy"),
        Some(&Value::from("2.0")),
        "model: \"smithy\" must be \"2.0\""
    );
    let top: Vec<&str> = model
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert!(
        top == ["smithy", "metadata", "shapes"] || top == ["smithy", "shapes"],
        "model: top-level keys must be smithy[, metadata], shapes in that order, got {top:?}"
    );
    const TYPES: [&str; 23] = [
        "blob",
        "boolean",
        "string",
        "timestamp",
        "byte",
        "short",
        "integer",
        "long",
        "float",
        "double",
        "bigInteger",
        "bigDecimal",
        "document",
        "enum",
        "intEnum",
        "list",
        "map",
        "structure",
        "union",
        "member",
        "service",
        "operation",
        "resource",
    ];
    let mut problems = vec![];
    for (id, shape) in shapes(&model) {
        if !id.starts_with(&format!("{NAMESPACE}#")) || id.contains('$') {
            problems.push(format!("{id}: not an absolute shape id in {NAMESPACE}"));
        }
        match shape.get("type").and_then(Value::as_str) {
            Some(t) if TYPES.contains(&t) => {}
            other => problems.push(format!("{id}: bad or missing \"type\": {other:?}")),
        }
        if let Some(t) = shape.get("traits") {
            if !t.is_object() {
                problems.push(format!("{id}/traits: not an object"));
            }
        }
        for (name, member) in shape
            .get("members")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if target_of(Some(member)).is_none() {
                problems.push(format!("{id}/members/{name}: no string \"target\""));
            }
        }
    }
    fail_if_any(
        "our model is not a well-formed Smithy 2.0 JSON AST",
        &problems,
    );
}

#[test]
fn service_lists_exactly_our_operations() {
    let model = ours();
    let service = shapes(&model)
        .get(SERVICE_ID)
        .expect("service shape missing from ours");
    let ops: Vec<&str> = service["operations"]
        .as_array()
        .expect("service has no operations array")
        .iter()
        .map(|o| target_of(Some(o)).expect("operation without target"))
        .collect();
    let got: BTreeSet<&str> = ops.iter().copied().collect();
    let want: BTreeSet<String> = OPERATIONS.iter().map(|o| shape_id(o)).collect();
    let want: BTreeSet<&str> = want.iter().map(String::as_str).collect();
    assert_eq!(
        ops.len(),
        got.len(),
        "{SERVICE_ID}/operations has duplicates: {ops:?}"
    );
    assert_eq!(
        got,
        want,
        "{SERVICE_ID}/operations must be exactly our {} operations",
        OPERATIONS.len()
    );
}

#[test]
fn ours_is_closed_and_holds_only_the_closure() {
    let model = ours();
    fail_if_any(
        "our model's shapes vs the closure computed over our model",
        &closure_problems(&model, &model, "our model"),
    );
}

#[test]
fn our_documentation_is_exactly_the_docs_file() {
    fail_if_any(
        &format!("documentation of model/chime-sdk-meetings.json vs {DOCS_FILE}"),
        &docs_file_problems(&ours(), &docs_file()),
    );
}

// ---------------------------------------------------------------------------------------------
// Tests against the official model
// ---------------------------------------------------------------------------------------------

#[test]
fn same_smithy_version_as_official() {
    let Some(official) = official("same_smithy_version_as_official") else {
        return;
    };
    assert_eq!(
        ours().get("smithy"),
        official.get("smithy"),
        "model: \"smithy\" version differs"
    );
}

#[test]
fn metadata_is_a_subset_of_official() {
    let Some(official) = official("metadata_is_a_subset_of_official") else {
        return;
    };
    fail_if_any(
        "our metadata vs the official metadata",
        &metadata_problems(&ours(), &official),
    );
}

#[test]
fn every_shape_equals_official_except_docs() {
    let Some(official) = official("every_shape_equals_official_except_docs") else {
        return;
    };
    fail_if_any(
        "shapes differing from the official model (documentation ignored)",
        &model_problems(&ours(), &official),
    );
}

#[test]
fn service_operations_are_an_ordered_subset_of_official() {
    let Some(official) = official("service_operations_are_an_ordered_subset_of_official") else {
        return;
    };
    let model = ours();
    let problems = operations_subset_problems(
        shapes(&model)
            .get(SERVICE_ID)
            .and_then(|s| s.get("operations")),
        shapes(&official)
            .get(SERVICE_ID)
            .and_then(|s| s.get("operations")),
    );
    fail_if_any(&format!("{SERVICE_ID}/operations"), &problems);
}

#[test]
fn ours_holds_exactly_the_official_closure() {
    let Some(official) = official("ours_holds_exactly_the_official_closure") else {
        return;
    };
    let (reachable, _) = closure(&official);
    eprintln!(
        "closure of the {} operations in the official model: {} shapes",
        OPERATIONS.len(),
        reachable.len()
    );
    fail_if_any(
        "our shapes vs the closure computed over the official model",
        &closure_problems(&ours(), &official, "official model"),
    );
}

#[test]
fn every_official_doc_has_one_of_ours() {
    let Some(official) = official("every_official_doc_has_one_of_ours") else {
        return;
    };
    fail_if_any(
        "documentation missing from our model",
        &missing_doc_problems(&ours(), &official),
    );
}

#[test]
fn our_docs_are_not_copies_of_official() {
    let Some(official) = official("our_docs_are_not_copies_of_official") else {
        return;
    };
    fail_if_any(
        "documentation copied from the official model",
        &copied_doc_problems(&ours(), &official),
    );
}

#[test]
fn our_docs_share_no_long_passage_with_official() {
    let Some(official) = official("our_docs_share_no_long_passage_with_official") else {
        return;
    };
    fail_if_any(
        "documentation reusing official wording",
        &shared_passage_problems(&ours(), &official, MAX_SHARED_WORDS),
    );
}

// ---------------------------------------------------------------------------------------------
// The checks can fail: broken copies of our model must be reported
// ---------------------------------------------------------------------------------------------

fn shape_mut<'a>(model: &'a mut Value, name: &str) -> &'a mut Value {
    model["shapes"]
        .get_mut(shape_id(name))
        .unwrap_or_else(|| panic!("{name} missing from ours"))
}

/// A copy of `model` whose every documentation string is replaced by a distinct placeholder, to
/// play the part of an "official" model whose prose has nothing in common with ours.
fn with_placeholder_docs(model: &Value) -> Value {
    fn walk(v: &mut Value, n: &mut usize) {
        match v {
            Value::Object(m) => {
                for (k, v) in m.iter_mut() {
                    if k == DOC {
                        *n += 1;
                        *v = format!("placeholder {n}").into();
                    } else {
                        walk(v, n);
                    }
                }
            }
            Value::Array(a) => a.iter_mut().for_each(|v| walk(v, n)),
            _ => {}
        }
    }
    let mut copy = model.clone();
    walk(&mut copy, &mut 0);
    copy
}

fn assert_reported(problems: &[String], needles: &[&str]) {
    assert!(
        problems
            .iter()
            .any(|p| needles.iter().all(|n| p.contains(n))),
        "expected a problem mentioning {needles:?}, got {problems:#?}"
    );
}

#[test]
fn detects_nothing_when_only_docs_differ() {
    let reference = ours();
    let mut copy = reference.clone();
    shape_mut(&mut copy, "AttendeeCapabilities")["traits"][DOC] = "rewritten".into();
    shape_mut(&mut copy, "Attendee")["members"]["JoinToken"]["traits"][DOC] = "other".into();
    let problems = model_problems(&copy, &reference);
    assert!(
        problems.is_empty(),
        "docs must be ignored, got {problems:#?}"
    );
}

#[test]
fn detects_changed_trait_value() {
    let reference = ours();
    let mut copy = reference.clone();
    shape_mut(&mut copy, "AttendeeIdsList")["traits"]["smithy.api#length"]["max"] = 251.into();
    assert_reported(
        &model_problems(&copy, &reference),
        &[
            "#AttendeeIdsList/traits/smithy.api#length/max",
            "251",
            "250",
        ],
    );
}

#[test]
fn detects_removed_and_added_traits() {
    let reference = ours();
    let mut copy = reference.clone();
    let req = shape_mut(&mut copy, "UpdateAttendeeCapabilitiesRequest");
    req["members"]["Capabilities"]["traits"]
        .as_object_mut()
        .unwrap()
        .remove("smithy.api#required");
    req["members"]["AttendeeId"]["traits"]["smithy.api#sensitive"] = Value::Object(Map::new());
    let problems = model_problems(&copy, &reference);
    assert_reported(
        &problems,
        &[
            "#UpdateAttendeeCapabilitiesRequest/members/Capabilities",
            "missing in ours",
        ],
    );
    assert_reported(
        &problems,
        &[
            "members/AttendeeId/traits/smithy.api#sensitive",
            "not in the official",
        ],
    );
}

#[test]
fn detects_reordered_members() {
    let reference = ours();
    let mut copy = reference.clone();
    let members = shape_mut(&mut copy, "AttendeeCapabilities")["members"]
        .as_object_mut()
        .unwrap();
    let audio = members.shift_remove("Audio").unwrap();
    members.insert("Audio".into(), audio);
    assert_reported(
        &model_problems(&copy, &reference),
        &["#AttendeeCapabilities/members: keys in a different order"],
    );
}

#[test]
fn detects_changed_enum_value_and_target() {
    let reference = ours();
    let mut copy = reference.clone();
    shape_mut(&mut copy, "MediaCapabilities")["members"]["SEND"]["traits"]
        ["smithy.api#enumValue"] = "send".into();
    shape_mut(&mut copy, "Meeting")["members"]["MeetingId"]["target"] = shape_id("String").into();
    let problems = model_problems(&copy, &reference);
    assert_reported(
        &problems,
        &["#MediaCapabilities/members/SEND/traits/smithy.api#enumValue"],
    );
    assert_reported(&problems, &["#Meeting/members/MeetingId/target"]);
}

#[test]
fn detects_unknown_shape_and_changed_service_trait() {
    let reference = ours();
    let mut copy = reference.clone();
    copy["shapes"]
        .as_object_mut()
        .unwrap()
        .insert(shape_id("Invented"), serde_json::json!({"type": "string"}));
    copy["shapes"][SERVICE_ID]["traits"]["aws.auth#sigv4"]["name"] = "meetings-chime".into();
    let problems = model_problems(&copy, &reference);
    assert_reported(
        &problems,
        &["#Invented: no shape with this id in the official model"],
    );
    assert_reported(
        &problems,
        &["ChimeMeetingsSDKService/traits/aws.auth#sigv4/name"],
    );
}

#[test]
fn detects_bad_operation_lists() {
    let reference = ours();
    let ops = shapes(&reference)[SERVICE_ID]["operations"].clone();
    let list = ops.as_array().unwrap();
    // A proper subset in order is fine.
    let subset = Value::Array(vec![list[0].clone(), list[2].clone()]);
    assert!(operations_subset_problems(Some(&subset), Some(&ops)).is_empty());
    // Swapped order.
    let swapped = Value::Array(vec![list[2].clone(), list[0].clone()]);
    assert_reported(
        &operations_subset_problems(Some(&swapped), Some(&ops)),
        &["out of the official order"],
    );
    // Duplicate.
    let dup = Value::Array(vec![list[0].clone(), list[0].clone()]);
    assert_reported(
        &operations_subset_problems(Some(&dup), Some(&ops)),
        &["duplicated"],
    );
    // Not in the official list.
    let foreign = Value::Array(vec![serde_json::json!({"target": shape_id("Invented")})]);
    assert_reported(
        &operations_subset_problems(Some(&foreign), Some(&ops)),
        &["#Invented", "not an operation of the official service"],
    );
    // The same via the whole-shape comparison: an operation missing from the official side.
    let mut official_like = reference.clone();
    official_like["shapes"][SERVICE_ID]["operations"] = Value::Array(list[1..].to_vec());
    assert_reported(
        &model_problems(&reference, &official_like),
        &[
            "ChimeMeetingsSDKService/operations[0]",
            "not an operation of the official service",
        ],
    );
}

#[test]
fn detects_missing_extra_and_dangling_shapes() {
    let reference = ours();
    let mut missing = reference.clone();
    missing["shapes"]
        .as_object_mut()
        .unwrap()
        .shift_remove(&shape_id("TenantId"));
    assert_reported(
        &closure_problems(&missing, &reference, "reference"),
        &[
            "#TenantId: reachable from the operations",
            "missing from ours",
        ],
    );
    // Within the broken model itself, TenantIdList now points at nothing.
    assert_reported(
        &closure(&missing).1,
        &["#TenantId (referenced from", "#TenantIdList"],
    );

    let mut extra = reference.clone();
    extra["shapes"]
        .as_object_mut()
        .unwrap()
        .insert(shape_id("Orphan"), serde_json::json!({"type": "string"}));
    assert_reported(
        &closure_problems(&extra, &reference, "reference"),
        &["#Orphan: in ours but not reachable"],
    );
}

#[test]
fn detects_copied_and_missing_docs() {
    let reference = ours();
    let mut official_like = with_placeholder_docs(&reference);
    // Same text with different whitespace, HTML paragraph tags and no final stop still counts as a copy.
    let joined = "  The   join token <p>used</p> by the attendee. ";
    shape_mut(&mut official_like, "Attendee")["members"]["JoinToken"]["traits"][DOC] =
        joined.into();
    let mut copy = reference.clone();
    shape_mut(&mut copy, "Attendee")["members"]["JoinToken"]["traits"][DOC] =
        "The join token used\nby the attendee".into();
    assert_reported(
        &copied_doc_problems(&copy, &official_like),
        &["#Attendee/members/JoinToken/traits", "is the official text"],
    );
    assert!(copied_doc_problems(&reference, &official_like).is_empty());

    let mut undocumented = reference.clone();
    shape_mut(&mut undocumented, "Tag")["members"]["Key"]["traits"]
        .as_object_mut()
        .unwrap()
        .remove(DOC);
    shape_mut(&mut undocumented, "Meeting")["traits"][DOC] = " ".into();
    let problems = missing_doc_problems(&undocumented, &reference);
    assert_reported(
        &problems,
        &["#Tag/members/Key/traits: documented officially but not in ours"],
    );
    assert_reported(&problems, &["#Meeting/traits: our documentation is empty"]);
}

#[test]
fn detects_shared_passages() {
    let reference = ours();
    let mut official_like = with_placeholder_docs(&reference);
    shape_mut(&mut official_like, "Tag")["traits"][DOC] =
        "<p>Something long: one two three four five six seven eight nine.</p>".into();
    let mut copy = reference.clone();
    shape_mut(&mut copy, "Meeting")["traits"][DOC] =
        "Ours, but quoting ONE two three four five six seven eight from elsewhere.".into();
    assert!(shared_passage_problems(&reference, &official_like, MAX_SHARED_WORDS).is_empty());
    assert_reported(
        &shared_passage_problems(&copy, &official_like, MAX_SHARED_WORDS),
        &[
            "#Meeting/traits: shares 8 consecutive words",
            "one two three four five six seven eight",
        ],
    );
}

#[test]
fn detects_model_documentation_differing_from_the_docs_file() {
    let reference = ours();
    let file = docs_file();
    assert!(docs_file_problems(&reference, &file).is_empty());
    let mut edited = reference.clone();
    shape_mut(&mut edited, "Attendee")["members"]["JoinToken"]["traits"][DOC] = "edited".into();
    shape_mut(&mut edited, "Meeting")["traits"]
        .as_object_mut()
        .unwrap()
        .shift_remove(DOC);
    shape_mut(&mut edited, "TenantIdList")["member"]["traits"] = serde_json::json!({DOC: "new"});
    let problems = docs_file_problems(&edited, &file);
    assert_reported(
        &problems,
        &["#Attendee$JoinToken: the model's text differs"],
    );
    assert_reported(
        &problems,
        &["#Meeting: in model/docs.toml but not documented"],
    );
    assert_reported(
        &problems,
        &["#TenantIdList$member: documented in the model but not in model/docs.toml"],
    );
}
