//! `chime-caps-codegen import`, run as a user runs it: importing the official model
//! reproduces the committed project model byte for byte and changes nothing; a subset of
//! operations gives exactly its closure, whatever their order; what lacks project
//! documentation is listed and written without AWS's text; the historic models (Smithy
//! 1.0 and 2.0) import too; bad input exits 2 naming the file.
//!
//! Tests that need the official models (`../shared/models`) skip with a message when
//! they are absent.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chime_caps_codegen::import::ProjectDocs;
use chime_caps_codegen::workspace_root;
use serde_json::Value;

const NAMESPACE: &str = "com.amazonaws.chimesdkmeetings";
const DOC: &str = "smithy.api#documentation";
const COMMITTED_MODEL: &str = "model/chime-sdk-meetings.json";
const DOCS: &str = "model/docs.toml";

/// A model under `../shared/models`, or `None` (after saying why) when it is absent.
fn shared(test: &str, relative: &str) -> Option<PathBuf> {
    let path = workspace_root().join("../shared/models").join(relative);
    if path.is_file() {
        return Some(path);
    }
    eprintln!(
        "SKIPPED {test}: {} does not exist, so there is no official model to import",
        path.display()
    );
    None
}

fn official(test: &str) -> Option<PathBuf> {
    shared(test, "chime-sdk-meetings.json")
}

fn run_import(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chime-caps-codegen"))
        .current_dir(cwd)
        .arg("import")
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Runs an import that must succeed; returns its stdout.
fn import_ok(cwd: &Path, args: &[&str]) -> String {
    let out = run_import(cwd, args);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "import {args:?} failed ({}):\n{stdout}{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn shapes(model: &Value) -> &serde_json::Map<String, Value> {
    model["shapes"].as_object().expect("a shapes object")
}

fn id(name: &str) -> String {
    format!("{NAMESPACE}#{name}")
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("UTF-8 paths")
}

/// Every documentation text in a model, at any depth.
fn doc_texts(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    (DOC, Value::String(text)) => out.push(text.clone()),
                    _ => doc_texts(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| doc_texts(v, out)),
        _ => {}
    }
}

/// The shape ids `shape` refers to (members, list member, map key/value, operation
/// input/output/errors), prelude shapes excluded.
fn targets(shape: &Value) -> Vec<String> {
    let target = |v: &Value| v.get("target").and_then(Value::as_str).map(str::to_owned);
    let mut out: Vec<String> = ["input", "output", "member", "key", "value"]
        .iter()
        .filter_map(|k| shape.get(*k).and_then(target))
        .collect();
    if let Some(errors) = shape.get("errors").and_then(Value::as_array) {
        out.extend(errors.iter().filter_map(target));
    }
    if let Some(members) = shape.get("members").and_then(Value::as_object) {
        out.extend(members.values().filter_map(target));
    }
    out.retain(|t| !t.starts_with("smithy.api#"));
    out
}

/// The shapes reachable in `model` from `roots` and the service's own errors.
fn reachable(model: &Value, service: &str, roots: &[String]) -> BTreeSet<String> {
    let all = shapes(model);
    let mut pending: Vec<String> = roots.to_vec();
    pending.extend(targets(&all[service]));
    let mut seen = BTreeSet::new();
    while let Some(next) = pending.pop() {
        let shape = all
            .get(&next)
            .unwrap_or_else(|| panic!("{next} is referenced but not in the model"));
        if seen.insert(next) {
            pending.extend(targets(shape));
        }
    }
    seen
}

fn copy_workspace_model(to: &Path) {
    std::fs::create_dir_all(to.join("model")).unwrap();
    for file in ["model/codegen.toml", DOCS, COMMITTED_MODEL] {
        std::fs::copy(workspace_root().join(file), to.join(file)).unwrap();
    }
}

#[test]
fn importing_the_official_model_reproduces_the_committed_model_and_changes_nothing() {
    let Some(official) = official("importing_the_official_model_reproduces_the_committed_model")
    else {
        return;
    };
    // A copy of the workspace's model/ directory: the defaults (model path, operations,
    // docs file) come from its codegen.toml, exactly as in the repository.
    let temp = tempfile::tempdir().unwrap();
    copy_workspace_model(temp.path());
    let stdout = import_ok(temp.path(), &["--official", path_str(&official)]);
    for file in ["model/codegen.toml", DOCS, COMMITTED_MODEL] {
        let after = std::fs::read(temp.path().join(file)).unwrap();
        let committed = std::fs::read(workspace_root().join(file)).unwrap();
        assert!(
            after == committed,
            "importing {} changed {file}; the committed {file} is not what import writes \
             (run `cargo run -p chime-caps-codegen -- import --official {}`)",
            official.display(),
            official.display()
        );
    }
    assert!(stdout.starts_with("unchanged "), "{stdout}");
    assert!(
        stdout.contains(
            "every shape and member the official model documents has project documentation"
        ),
        "{stdout}"
    );
    assert!(!stdout.contains("stale"), "{stdout}");

    // Written anew (no previous file), the bytes are the same.
    let fresh = temp.path().join("fresh.json");
    let stdout = import_ok(
        temp.path(),
        &[
            "--official",
            path_str(&official),
            "--model",
            path_str(&fresh),
        ],
    );
    assert!(stdout.starts_with("wrote "), "{stdout}");
    assert!(
        std::fs::read(&fresh).unwrap()
            == std::fs::read(workspace_root().join(COMMITTED_MODEL)).unwrap()
    );
}

#[test]
fn a_subset_of_operations_gives_exactly_its_closure_in_any_order() {
    let Some(official) = official("a_subset_of_operations_gives_exactly_its_closure_in_any_order")
    else {
        return;
    };
    let temp = tempfile::tempdir().unwrap();
    let chosen = ["UpdateAttendeeCapabilities", "TagResource", "GetMeeting"];
    let orders = [
        "UpdateAttendeeCapabilities,TagResource,GetMeeting".to_owned(),
        "GetMeeting, TagResource,UpdateAttendeeCapabilities,GetMeeting".to_owned(),
        format!(
            "{},TagResource,GetMeeting",
            id("UpdateAttendeeCapabilities")
        ),
    ];
    let mut written = Vec::new();
    for (i, order) in orders.iter().enumerate() {
        let out = temp.path().join(format!("subset-{i}.json"));
        let stdout = import_ok(
            workspace_root(),
            &[
                "--official",
                path_str(&official),
                "--operations",
                order,
                "--model",
                path_str(&out),
            ],
        );
        assert!(stdout.contains(": 3 operations, "), "{stdout}");
        written.push(std::fs::read(&out).unwrap());
    }
    assert!(
        written.iter().all(|w| *w == written[0]),
        "the order of --operations changed the output"
    );

    let subset = read_json(&temp.path().join("subset-0.json"));
    let full = read_json(&workspace_root().join(COMMITTED_MODEL));
    let service = id("ChimeMeetingsSDKService");
    let listed: Vec<&str> = shapes(&subset)[&service]["operations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["target"].as_str().unwrap())
        .collect();
    // The official service order, not the requested one.
    assert_eq!(
        listed,
        [
            id("GetMeeting"),
            id("TagResource"),
            id("UpdateAttendeeCapabilities")
        ]
    );

    let roots: Vec<String> = chosen.iter().map(|n| id(n)).collect();
    let mut expected = reachable(&subset, &service, &roots);
    expected.insert(service.clone());
    let kept: BTreeSet<String> = shapes(&subset).keys().cloned().collect();
    assert_eq!(
        kept, expected,
        "the subset model holds more or less than its closure"
    );
    assert!(
        kept.contains(&id("TooManyTagsException")) && !kept.contains(&id("CreateAttendeeRequest"))
    );
    // Every kept shape is the full model's (same documentation, same everything), and in
    // the same order.
    let full_order: Vec<&String> = shapes(&full).keys().filter(|k| kept.contains(*k)).collect();
    assert_eq!(shapes(&subset).keys().collect::<Vec<_>>(), full_order);
    for (shape_id, shape) in shapes(&subset) {
        if *shape_id != service {
            assert_eq!(
                shape,
                &shapes(&full)[shape_id],
                "{shape_id} differs from the full import"
            );
        }
    }
}

#[test]
fn shapes_without_project_documentation_are_listed_and_written_undocumented() {
    let Some(official) = official("shapes_without_project_documentation_are_listed") else {
        return;
    };
    let temp = tempfile::tempdir().unwrap();
    let dropped = ["\"TagResource\" = ", "\"Tag$Key\" = "];
    let docs_text = std::fs::read_to_string(workspace_root().join(DOCS)).unwrap();
    let mut trimmed: String = docs_text
        .lines()
        .filter(|line| !dropped.iter().any(|d| line.starts_with(d)))
        .map(|line| format!("{line}\n"))
        .collect();
    assert_eq!(
        trimmed.lines().count() + dropped.len(),
        docs_text.lines().count()
    );
    trimmed.push_str("\"Tag$Colour\" = \"No such member.\"\n");
    let docs = temp.path().join("docs.toml");
    std::fs::write(&docs, trimmed).unwrap();
    let out = temp.path().join("model.json");

    let stdout = import_ok(
        workspace_root(),
        &[
            "--official",
            path_str(&official),
            "--model",
            path_str(&out),
            "--docs",
            path_str(&docs),
        ],
    );
    let listing = format!(
        "2 shapes/members documented in the official model have no project documentation yet \
         and were written without any; add them to {}:\n  [\"{NAMESPACE}\"]\n  \"Tag$Key\" = \"..\"\n  \"TagResource\" = \"..\"\n",
        docs.display()
    );
    assert!(stdout.contains(&listing), "expected\n{listing}in\n{stdout}");
    assert!(
        stdout.contains(&format!("  [\"{NAMESPACE}\"] \"Tag$Colour\""))
            && stdout.contains("(stale: delete or rename them)"),
        "{stdout}"
    );
    let model = read_json(&out);
    assert!(shapes(&model)[&id("TagResource")]["traits"]
        .get(DOC)
        .is_none());
    assert!(shapes(&model)[&id("Tag")]["members"]["Key"]["traits"]
        .get(DOC)
        .is_none());
    assert!(shapes(&model)[&id("Tag")]["members"]["Value"]["traits"]
        .get(DOC)
        .is_some());
}

#[test]
fn every_history_model_imports_with_only_project_documentation() {
    let history = workspace_root().join("../shared/models/history");
    let Ok(entries) = std::fs::read_dir(&history) else {
        eprintln!(
            "SKIPPED every_history_model_imports: {} does not exist",
            history.display()
        );
        return;
    };
    let mut models: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).collect();
    models.sort();
    assert!(!models.is_empty(), "{} holds no model", history.display());
    let ours = std::fs::read_to_string(workspace_root().join(DOCS)).unwrap();
    let our_docs = ProjectDocs::parse(&ours, DOCS).unwrap();
    let our_texts: BTreeSet<&str> = our_docs
        .locations()
        .filter_map(|l| our_docs.get(l))
        .collect();
    let temp = tempfile::tempdir().unwrap();
    // Without the Attendee entries, each model's Attendee documentation must be listed.
    let no_attendee: String = ours
        .lines()
        .filter(|l| !l.starts_with("\"Attendee$"))
        .map(|l| format!("{l}\n"))
        .collect();
    let trimmed_docs = temp.path().join("docs.toml");
    std::fs::write(&trimmed_docs, no_attendee).unwrap();

    for model_path in models {
        let source = read_json(&model_path);
        let out = temp.path().join("model.json");
        let stdout = import_ok(
            workspace_root(),
            &[
                "--official",
                path_str(&model_path),
                "--model",
                path_str(&out),
            ],
        );
        let model = read_json(&out);
        assert_eq!(
            model["smithy"],
            source["smithy"],
            "{}",
            model_path.display()
        );
        // No AWS text: every documentation written is one of ours.
        let mut written = Vec::new();
        doc_texts(&model, &mut written);
        assert!(!written.is_empty());
        for text in &written {
            assert!(
                our_texts.contains(text.as_str()),
                "{}: {text:?} is not a text of {DOCS}",
                model_path.display()
            );
        }
        // Our entries for shapes this older model lacks are reported, not fatal.
        if !shapes(&source).contains_key(&id("TagResource")) {
            assert!(
                stdout.contains(&format!("[\"{NAMESPACE}\"] \"TagResource\"")),
                "{stdout}"
            );
        }

        let stdout = import_ok(
            workspace_root(),
            &[
                "--official",
                path_str(&model_path),
                "--model",
                path_str(&out),
                "--docs",
                path_str(&trimmed_docs),
            ],
        );
        let attendee = &shapes(&source)[&id("Attendee")]["members"];
        let documented: Vec<&String> = attendee
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, m)| m["traits"].get(DOC).is_some())
            .map(|(name, _)| name)
            .collect();
        assert!(!documented.is_empty());
        for name in documented {
            assert!(
                stdout.contains(&format!("  \"Attendee${name}\" = \"..\"\n")),
                "{}: Attendee${name} is not listed:\n{stdout}",
                model_path.display()
            );
        }
    }
}

#[test]
fn bad_input_exits_2_naming_the_file() {
    let temp = tempfile::tempdir().unwrap();
    let missing = temp.path().join("missing.json");
    let not_json = temp.path().join("broken.json");
    std::fs::write(&not_json, "{\"smithy\": \"2.0\", \"shapes\": ").unwrap();
    let bad_docs = temp.path().join("docs.toml");
    std::fs::write(&bad_docs, "[\"a\"]\n\"Shape$\" = \"text\"\n").unwrap();
    let model = temp.path().join("out.json");
    let committed_docs = workspace_root().join(DOCS);
    let cases = [
        (
            vec!["--official", path_str(&missing)],
            format!("error: cannot read {}", missing.display()),
        ),
        (
            vec!["--official", path_str(&not_json)],
            format!(
                "error: {} is not a Smithy JSON AST model",
                not_json.display()
            ),
        ),
        (
            vec![
                "--official",
                path_str(&not_json),
                "--docs",
                path_str(&bad_docs),
            ],
            format!(
                "error: {} is not a valid documentation file",
                bad_docs.display()
            ),
        ),
        (
            vec!["--operations", "GetMeeting"],
            "error: import needs --official FILE".to_owned(),
        ),
        (
            vec!["--official", path_str(&missing), "--bogus", "x"],
            "error: unknown flag `--bogus`".to_owned(),
        ),
    ];
    for (args, expected) in cases {
        let mut args = args;
        args.extend(["--model", path_str(&model)]);
        if !args.contains(&"--docs") {
            args.extend(["--docs", path_str(&committed_docs)]);
        }
        let out = run_import(workspace_root(), &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.starts_with(&expected),
            "{args:?}: expected {expected:?}, got:\n{stderr}"
        );
        assert!(!model.exists(), "{args:?} wrote a model");
    }
}

#[test]
fn an_unknown_operation_exits_2_listing_the_real_ones() {
    let Some(official) = official("an_unknown_operation_exits_2_listing_the_real_ones") else {
        return;
    };
    let temp = tempfile::tempdir().unwrap();
    let out = run_import(
        workspace_root(),
        &[
            "--official",
            path_str(&official),
            "--operations",
            "GetMeeting,MuteEveryone",
            "--model",
            path_str(&temp.path().join("m.json")),
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{}: `MuteEveryone` is not an operation of the service (its operations: BatchCreateAttendee,",
            official.display()
        )),
        "{stderr}"
    );
}
