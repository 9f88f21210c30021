//! Issue 7, item 5: an additive model update never breaks the hand-written code.
//!
//! A synthetic later model is derived from the official one ([`later_model`]: a new
//! `MediaCapabilities` value, a fourth capability on `AttendeeCapabilities`, a new
//! optional request member and a new error on both capability operations). The update
//! workflow the README documents then runs on a copy of the project, with the
//! `chime-caps-codegen` binary: `import` into the copy's `model/`, `diff` from the
//! committed model (additive, each change with its kind), `check` of the committed
//! `generated/` (stale, with the regenerate command), `generate` into the copy's
//! `generated/`, `check` again (up to date). Finally the copy's `chime-caps` crate,
//! whose `src/` is the project's, is built against the regenerated crate and runs its
//! library tests, three of its integration tests, and `additive_update.rs`
//! (`fixtures/future_model/`), which uses the additions and checks that the validation
//! passes them with a `NotChecked` notice.
//!
//! The copy lives in `target/future-model/project`, kept between runs (files are
//! rewritten only when they change, so a warm run recompiles only what changed), and
//! builds into the outer build's target directory, where most of its dependencies are
//! already compiled (a cold run took 201 s with a directory of its own, 114 s sharing). Its manifest is the project's
//! with a workspace of its own and without the dev-dependencies that only the tests not
//! run here need (the official SDK above all), which keeps a cold run affordable.
//!
//! Skipped, with a message, when the official model (`../shared/models`) is absent.

use crate::support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chime_caps_codegen::{runtime_path, workspace_root};
use serde_json::{json, Value};
use support::{official_model, proof, read_tree, sync_tree};

const NAMESPACE: &str = "com.amazonaws.chimesdkmeetings";
const DOC: &str = "smithy.api#documentation";

/// The project's integration tests run against the regenerated crate: the capability
/// rules through the client and the emulator, the validation of the five capability
/// operations, and what the validation learns from responses. (The tests that compare
/// with the official SDK need the dependencies the copy leaves out.)
const PROJECT_TESTS: [&str; 3] = [
    "capability_rules",
    "validation_operations",
    "validation_cache",
];

/// The test that uses the additions, run in the copy under this name.
const ADDITIVE_TEST: &str = "additive_update";

/// Dev-dependencies only the tests not run here use; the copy's manifest drops them so
/// that a cold run does not compile them (the official SDK alone takes minutes).
const UNUSED_DEV_DEPENDENCIES: [&str; 5] = [
    "aws-sdk-chimesdkmeetings",
    "aws-config",
    "aws-smithy-mocks",
    "chime-caps-codegen",
    "proptest",
];

fn id(name: &str) -> String {
    format!("{NAMESPACE}#{name}")
}

/// The official model with four additive changes, documented in our own words (which
/// `import` replaces with `model/docs.toml`'s, and lists as missing there).
fn later_model(official: &str) -> String {
    let mut model: Value = serde_json::from_str(official).expect("the official model is JSON");
    let shapes = model["shapes"]
        .as_object_mut()
        .expect("the official model has shapes");
    let mut add_member = |shape: &str, member: &str, definition: Value| {
        let members = shapes[&id(shape)]["members"]
            .as_object_mut()
            .unwrap_or_else(|| panic!("{shape} has members"));
        assert!(
            members.insert(member.to_owned(), definition).is_none(),
            "{shape}${member} is already in the official model: pick another name"
        );
    };
    add_member(
        "MediaCapabilities",
        "SEND_ON_DEMAND",
        json!({"target": "smithy.api#Unit", "traits": {
            "smithy.api#enumValue": "SendOnDemand",
            DOC: "Synthetic test value: sends only when asked to."}}),
    );
    add_member(
        "AttendeeCapabilities",
        "Captions",
        json!({"target": id("MediaCapabilities"), "traits": {
            DOC: "Synthetic test capability: live captions."}}),
    );
    add_member(
        "UpdateAttendeeCapabilitiesRequest",
        "Reason",
        json!({"target": id("String"), "traits": {
            DOC: "Synthetic test member: why the capabilities change."}}),
    );
    let error = id("CapabilityNotSupportedException");
    let string = json!({"target": id("String")});
    let previous = shapes.insert(
        error.clone(),
        json!({"type": "structure",
               "members": {"Code": string, "Message": string, "RequestId": string},
               "traits": {"smithy.api#error": "client", "smithy.api#httpError": 422,
                          DOC: "Synthetic test error: the meeting cannot grant this capability."}}),
    );
    assert!(
        previous.is_none(),
        "{error} is already in the official model"
    );
    for operation in [
        "UpdateAttendeeCapabilities",
        "BatchUpdateAttendeeCapabilitiesExcept",
    ] {
        shapes[&id(operation)]["errors"]
            .as_array_mut()
            .unwrap_or_else(|| panic!("{operation} lists errors"))
            .push(json!({"target": error}));
    }
    serde_json::to_string_pretty(&model).expect("a JSON value serializes")
}

/// What the update must be classified as: (kind, shape, member), all additive.
const EXPECTED_CHANGES: [(&str, &str, Option<&str>); 6] = [
    ("member-added", "AttendeeCapabilities", Some("Captions")),
    ("error-added", "BatchUpdateAttendeeCapabilitiesExcept", None),
    ("shape-added", "CapabilityNotSupportedException", None),
    (
        "enum-value-added",
        "MediaCapabilities",
        Some("SEND_ON_DEMAND"),
    ),
    ("error-added", "UpdateAttendeeCapabilities", None),
    (
        "member-added",
        "UpdateAttendeeCapabilitiesRequest",
        Some("Reason"),
    ),
];

fn work_dir() -> PathBuf {
    workspace_root().join("target/future-model")
}

/// The project manifest for the copy at `copy`: a workspace of its own (the root package
/// and the generated crate), no benches, without [`UNUSED_DEV_DEPENDENCIES`], and with
/// the project's runtime crate, which is where the generator points the regenerated
/// crate too (one package may not come from two directories).
fn copy_manifest(project: &str, copy: &Path) -> String {
    let mut manifest: toml::Table = project.parse().expect("the project manifest is TOML");
    let runtime = manifest
        .get_mut("dependencies")
        .and_then(|d| d.get_mut("chime-caps-runtime"))
        .and_then(toml::Value::as_table_mut)
        .expect("the project depends on chime-caps-runtime");
    runtime.insert("path".into(), runtime_path(copy).into());
    let workspace = manifest
        .get_mut("workspace")
        .and_then(toml::Value::as_table_mut)
        .expect("the project manifest has a [workspace]");
    workspace.insert(
        "members".into(),
        toml::Value::Array(vec!["generated".into()]),
    );
    workspace.remove("exclude");
    workspace.remove("default-members");
    manifest.remove("bench");
    let dev = manifest
        .get_mut("dev-dependencies")
        .and_then(toml::Value::as_table_mut)
        .expect("the project manifest has [dev-dependencies]");
    for name in UNUSED_DEV_DEPENDENCIES {
        assert!(
            dev.remove(name).is_some(),
            "{name} is no dev-dependency any more: update UNUSED_DEV_DEPENDENCIES"
        );
    }
    toml::to_string(&manifest).expect("a TOML table serializes")
}

/// Makes `copy` the project's sources with the tests run here. `generated/` is left to
/// `generate`, which rewrites only the files that change.
fn sync_copy(copy: &Path) {
    let root = workspace_root();
    for dir in ["src", "model"] {
        sync_tree(&copy.join(dir), &read_tree(&root.join(dir)));
    }
    // The copy's `tests/it/` binary holds only the tests run here, in its own `main.rs`.
    let mut tests: BTreeMap<String, String> = read_tree(&root.join("tests/it/support"))
        .into_iter()
        .map(|(path, text)| (format!("it/support/{path}"), text))
        .collect();
    for name in PROJECT_TESTS {
        let path = root.join(format!("tests/it/{name}.rs"));
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        tests.insert(format!("it/{name}.rs"), text);
    }
    let additive = support::codegen_dir().join("tests/fixtures/future_model/additive_update.rs");
    tests.insert(
        format!("it/{ADDITIVE_TEST}.rs"),
        std::fs::read_to_string(&additive).expect("the additive test fixture"),
    );
    let modules: String = PROJECT_TESTS
        .iter()
        .chain([&ADDITIVE_TEST])
        .map(|name| format!("mod {name};\n"))
        .collect();
    tests.insert("it/main.rs".to_owned(), format!("mod support;\n{modules}"));
    sync_tree(&copy.join("tests"), &tests);

    let manifest = copy_manifest(
        &std::fs::read_to_string(root.join("Cargo.toml")).unwrap(),
        copy,
    );
    let top = BTreeMap::from([
        ("Cargo.toml".to_owned(), manifest),
        (
            "Cargo.lock".to_owned(),
            std::fs::read_to_string(root.join("Cargo.lock")).expect("the project's Cargo.lock"),
        ),
    ]);
    for (name, text) in top {
        let path = copy.join(name);
        if std::fs::read_to_string(&path).ok() != Some(text.clone()) {
            std::fs::write(&path, text).unwrap();
        }
    }
}

/// Runs `chime-caps-codegen ARGS` in `cwd`.
fn codegen(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_chime-caps-codegen"))
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("the codegen binary runs")
}

/// stdout and stderr of a run, for messages.
fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("UTF-8 paths")
}

#[test]
fn an_additive_update_keeps_the_library_compiling_and_its_tests_passing() {
    let Some(official) = official_model("the additive model update") else {
        return;
    };
    let work = work_dir();
    let copy = work.join("project");
    std::fs::create_dir_all(&work).unwrap();
    let later = work.join("chime-sdk-meetings-later.json");
    std::fs::write(
        &later,
        later_model(&std::fs::read_to_string(&official).unwrap()),
    )
    .unwrap();
    sync_copy(&copy);

    // import: the copy's model becomes the later one, documented from model/docs.toml.
    let out = codegen(&copy, &["import", "--official", path_str(&later)]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "import failed:\n{stdout}{stderr}");
    assert!(stdout.starts_with("wrote "), "{stdout}");
    for location in [
        "\"MediaCapabilities$SEND_ON_DEMAND\" = \"..\"",
        "\"AttendeeCapabilities$Captions\" = \"..\"",
        "\"UpdateAttendeeCapabilitiesRequest$Reason\" = \"..\"",
        "\"CapabilityNotSupportedException\" = \"..\"",
    ] {
        assert!(
            stdout.contains(location),
            "import does not list {location} as undocumented:\n{stdout}"
        );
    }
    let imported = std::fs::read_to_string(copy.join("model/chime-sdk-meetings.json")).unwrap();
    assert!(
        !imported.contains("Synthetic test"),
        "import kept the later model's own documentation"
    );

    // diff: additive, each change with its kind.
    let committed = workspace_root().join("model/chime-sdk-meetings.json");
    let new_model = copy.join("model/chime-sdk-meetings.json");
    let diff_args = |format: &'static str| {
        [
            "diff",
            "--old",
            path_str(&committed),
            "--new",
            path_str(&new_model),
            "--format",
            format,
            "--fail-on",
            "breaking",
        ]
    };
    let out = codegen(&copy, &diff_args("json"));
    let (stdout, stderr) = text(&out);
    assert!(
        out.status.success(),
        "diff reached --fail-on breaking:\n{stdout}{stderr}"
    );
    let report: Value = serde_json::from_str(&stdout).expect("diff --format json prints JSON");
    assert_eq!(report["impact"], "additive", "{stdout}");
    let changes: Vec<(String, String, Option<String>, String)> = report["changes"]
        .as_array()
        .expect("a list of changes")
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap().to_owned(),
                c["shape"].as_str().unwrap().to_owned(),
                c["member"].as_str().map(str::to_owned),
                c["impact"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected: Vec<(String, String, Option<String>, String)> = EXPECTED_CHANGES
        .iter()
        .map(|(kind, shape, member)| {
            (
                (*kind).to_owned(),
                id(shape),
                member.map(str::to_owned),
                "additive".to_owned(),
            )
        })
        .collect();
    assert_eq!(changes, expected, "{stdout}");
    let out = codegen(&copy, &diff_args("text"));
    let (stdout, _) = text(&out);
    assert!(
        stdout.starts_with("Impact: additive\n\nAdditions (6):\n"),
        "{stdout}"
    );

    // check: the committed generated/ is stale for the later model, and the command it
    // prints rewrites it.
    let committed_out = workspace_root().join("generated");
    let out = codegen(
        &copy,
        &[
            "check",
            "--model",
            path_str(&new_model),
            "--out",
            path_str(&committed_out),
            "--crate-name",
            "chime-caps-generated",
        ],
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stderr.contains("changed: src/types/_attendee_capabilities.rs")
            && stderr.contains("missing: src/types/error/_capability_not_supported_exception.rs")
            && stderr.contains("regenerate it with: cargo run -p chime-caps-codegen -- generate"),
        "{stderr}"
    );

    // generate (the copy's defaults: its model/, its generated/), then check.
    let out = codegen(&copy, &["generate"]);
    let (stdout, stderr) = text(&out);
    assert!(out.status.success(), "generate failed:\n{stdout}{stderr}");
    let out = codegen(&copy, &["check"]);
    let (stdout, stderr) = text(&out);
    assert!(
        out.status.success() && stdout.ends_with("is up to date\n"),
        "{stdout}{stderr}"
    );
    let capabilities =
        std::fs::read_to_string(copy.join("generated/src/types/_attendee_capabilities.rs"))
            .unwrap();
    assert!(
        capabilities
            .contains("pub captions: ::std::option::Option<crate::types::MediaCapabilities>"),
        "the regenerated AttendeeCapabilities has no optional captions field"
    );

    // The library, unchanged, against the regenerated crate.
    let args = ["test", "-p", "chime-caps", "--lib", "--test", "it"];
    let run = proof::cargo_in(&proof::outer_target_dir(), &copy, &args);
    eprintln!(
        "{} in {} took {:.1?}",
        run.command,
        copy.display(),
        run.took
    );
    assert!(
        run.ok,
        "the library does not pass its tests against the later model:\n{}",
        run.report()
    );
    let warnings = run.warnings();
    assert!(
        warnings.is_empty(),
        "the build against the later model warns:\n{}",
        run.report()
    );
    for binary in PROJECT_TESTS.iter().chain([&ADDITIVE_TEST]) {
        assert!(
            run.output.contains(&format!("test {binary}::")),
            "{binary} did not run:\n{}",
            run.report()
        );
    }
    assert!(run.passed_tests() > 0, "{}", run.report());
}
