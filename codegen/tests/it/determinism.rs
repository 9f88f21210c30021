//! The output depends on what is generated, not on how it is asked for (issue 7):
//! operations in any order, repeated or all spelled out give byte-identical files;
//! `generate` and `check` agree on the defaults, so flags that restate them show no drift;
//! and the command `check` prints for a stale crate rewrites it exactly.
//!
//! The command-line tests run the real binary in a temporary copy of the workspace's
//! generator settings (`model/codegen.toml` and the project model), whose directory name
//! has a space in it, as checkouts sometimes do.

use crate::support;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, Output};

use chime_caps_codegen::settings::DEFAULTS_FILE;
use chime_caps_codegen::{generate, ir, load_model, workspace_root, File, Settings};
use support::{kitchen_sink_model, read_tree};

/// The kitchen sink generated with `operations` (the crate name and place are fixed).
fn kitchen_sink_with(operations: &[&str]) -> Vec<File> {
    let settings = Settings {
        model: kitchen_sink_model(),
        out: PathBuf::from("out"),
        crate_name: "kitchen-sink".into(),
        operations: operations.iter().map(|s| s.to_string()).collect(),
    };
    generate(&settings).unwrap_or_else(|e| panic!("{operations:?} does not generate: {e}"))
}

/// The first file that differs between two generations, for a failure message.
fn first_difference(a: &[File], b: &[File]) -> String {
    let paths = |files: &[File]| files.iter().map(|f| f.path.clone()).collect::<Vec<_>>();
    if paths(a) != paths(b) {
        return format!("different files:\n{:?}\n{:?}", paths(a), paths(b));
    }
    a.iter()
        .zip(b)
        .find(|(x, y)| x.contents != y.contents)
        .map(|(x, y)| support::text_diff::unified(&x.path, &y.path, &x.contents, &y.contents, 40))
        .unwrap_or_default()
}

fn assert_same(a: &[File], b: &[File], what: &str) {
    assert!(a == b, "{what}: {}", first_difference(a, b));
}

#[test]
fn the_order_and_repetition_of_operations_do_not_change_a_byte() {
    let every = kitchen_sink_with(&[]);
    // Every operation, in the order the model's service lists them.
    let model: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(kitchen_sink_model()).unwrap()).unwrap();
    let names: Vec<String> = model["shapes"]["example.kitchensink#KitchenSink"]["operations"]
        .as_array()
        .expect("the service lists its operations")
        .iter()
        .map(|op| {
            op["target"]
                .as_str()
                .unwrap()
                .rsplit('#')
                .next()
                .unwrap()
                .to_owned()
        })
        .collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    assert!(names.len() > 8, "{names:?}");
    let mut reversed = names.clone();
    reversed.reverse();
    assert_same(&every, &kitchen_sink_with(&names), "every operation listed");
    assert_same(&every, &kitchen_sink_with(&reversed), "listed backwards");
    let repeated = [&names[..], &["Ping", "PutObject", "Ping"]].concat();
    assert_same(&every, &kitchen_sink_with(&repeated), "listed with repeats");

    let subset = kitchen_sink_with(&["ListThings", "GetBlob"]);
    assert_same(
        &subset,
        &kitchen_sink_with(&["GetBlob", "ListThings", "GetBlob"]),
        "a subset in another order",
    );
    assert!(subset.len() < every.len(), "the subset generates less");
    assert_same(&every, &kitchen_sink_with(&[]), "a second run");
}

// ---------------------------------------------------------------------------------------
// The binary, in a copy of the workspace's settings

/// A temporary directory holding the workspace's generator settings and model.
struct Checkout {
    _temp: tempfile::TempDir,
    root: PathBuf,
}

impl Checkout {
    fn new() -> Self {
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path().join("work tree");
        let settings = Settings::load(workspace_root()).expect("model/codegen.toml loads");
        let model = root.join(
            settings
                .model
                .strip_prefix(workspace_root())
                .expect("the project model is in the workspace"),
        );
        std::fs::create_dir_all(model.parent().unwrap()).unwrap();
        std::fs::copy(&settings.model, &model).unwrap();
        std::fs::copy(
            workspace_root().join(DEFAULTS_FILE),
            root.join(DEFAULTS_FILE),
        )
        .unwrap();
        Checkout { _temp: temp, root }
    }

    /// Runs the binary with `args` in the copy.
    fn run(&self, args: &[&str]) -> Output {
        self.run_in(".", args)
    }

    /// Runs the binary with `args` in the copy's directory `dir`.
    fn run_in(&self, dir: &str, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_chime-caps-codegen"))
            .current_dir(self.root.join(dir))
            .args(args)
            .output()
            .expect("the binary runs")
    }

    /// Runs the binary and requires success.
    fn ok(&self, args: &[&str]) -> String {
        self.ok_in(".", args)
    }

    /// Runs the binary in the copy's directory `dir` and requires success.
    fn ok_in(&self, dir: &str, args: &[&str]) -> String {
        let out = self.run_in(dir, args);
        assert!(
            out.status.success(),
            "`chime-caps-codegen {}` in {dir} failed ({}):\n{}{}",
            args.join(" "),
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn settings(&self) -> Settings {
        Settings::load(&self.root).unwrap()
    }

    fn tree(&self) -> BTreeMap<String, String> {
        read_tree(&self.settings().out)
    }
}

/// Every operation of the project model, listed backwards.
fn project_operations_reversed(copy: &Checkout) -> String {
    let settings = copy.settings();
    let options = ir::Options {
        crate_name: settings.crate_name,
        operations: Vec::new(),
    };
    let krate = ir::resolve(&load_model(&settings.model).unwrap(), &options).unwrap();
    let mut names: Vec<&str> = krate.operations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(names.len(), 16, "{names:?}");
    names.reverse();
    names.join(",")
}

#[test]
fn flags_that_restate_the_defaults_show_no_drift() {
    let copy = Checkout::new();
    copy.ok(&["generate"]);
    let written = copy.tree();
    assert!(written.contains_key("Cargo.toml") && written.contains_key("src/lib.rs"));

    let settings = copy.settings();
    let model = settings
        .model
        .strip_prefix(&copy.root)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let out = settings
        .out
        .strip_prefix(&copy.root)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let restated = [
        "--model",
        model.as_str(),
        "--out",
        out.as_str(),
        "--crate-name",
        settings.crate_name.as_str(),
    ];
    let every = project_operations_reversed(&copy);
    let with_operations = [&restated[..], &["--operations", every.as_str()]].concat();
    copy.ok(&["check"]);
    copy.ok(&[&["check"][..], &restated].concat());
    copy.ok(&[&["check"][..], &with_operations].concat());

    // Writing with the defaults restated changes nothing either.
    copy.ok(&[&["generate"][..], &with_operations].concat());
    assert!(
        copy.tree() == written,
        "generate with restated flags rewrote files"
    );
}

#[test]
fn the_project_model_named_another_way_is_still_the_project_model() {
    let copy = Checkout::new();
    copy.ok(&["generate"]);
    let model = copy.settings().model;
    let name = model.file_name().unwrap().to_str().unwrap();
    let dir = model
        .parent()
        .unwrap()
        .strip_prefix(&copy.root)
        .unwrap()
        .to_str()
        .unwrap();
    copy.ok_in(dir, &["check", "--model", name]);
    copy.ok_in(dir, &["check", "--model", &format!("../{dir}/{name}")]);
}

/// Splits a command line as a POSIX shell would for plain words and quoted ones.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word: Option<String> = None;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' => words.extend(word.take()),
            '\'' => word
                .get_or_insert_default()
                .extend(chars.by_ref().take_while(|&c| c != '\'')),
            '"' => {
                let w = word.get_or_insert_default();
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => w.extend(chars.next()),
                        other => w.push(other),
                    }
                }
            }
            '\\' => word.get_or_insert_default().extend(chars.next()),
            other => word.get_or_insert_default().push(other),
        }
    }
    words.extend(word);
    words
}

/// The arguments of the `generate` command `check` printed in `stderr`.
fn printed_regenerate_args(stderr: &str) -> Vec<String> {
    const PREFIX: &str = "regenerate it with: ";
    const RUN: [&str; 5] = ["cargo", "run", "-p", "chime-caps-codegen", "--"];
    let line = stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix(PREFIX))
        .unwrap_or_else(|| panic!("no `{PREFIX}` line in:\n{stderr}"));
    let words = shell_words(line);
    assert!(
        words.len() > RUN.len() && words[..RUN.len()] == RUN,
        "not a `cargo run` of the generator: {line}"
    );
    words[RUN.len()..].to_vec()
}

/// `check ARGS` on a stale crate exits 1 naming what drifted, and running the command it
/// prints makes the same `check` pass. Returns the printed command's arguments.
fn assert_regenerate_command_repairs(
    copy: &Checkout,
    args: &[&str],
    expected_drift: &[&str],
) -> Vec<String> {
    let check = [&["check"][..], args].concat();
    let stale = copy.run(&check);
    let stderr = String::from_utf8_lossy(&stale.stderr);
    assert_eq!(stale.status.code(), Some(1), "{stderr}");
    for drift in expected_drift {
        assert!(stderr.contains(drift), "`{drift}` not reported:\n{stderr}");
    }
    let printed = printed_regenerate_args(&stderr);
    assert_eq!(printed[0], "generate", "{printed:?}");
    let regenerate: Vec<&str> = printed.iter().map(String::as_str).collect();
    copy.ok(&regenerate);
    copy.ok(&check);
    printed
}

#[test]
fn the_printed_regenerate_command_repairs_a_stale_crate() {
    let copy = Checkout::new();
    copy.ok(&["generate"]);
    let out = copy.settings().out;
    let edited = out.join("src/types.rs");
    let text = std::fs::read_to_string(&edited).unwrap();
    std::fs::write(&edited, text + "\n// edited by hand\n").unwrap();
    std::fs::write(out.join("src/leftover.rs"), "").unwrap();
    std::fs::remove_file(out.join("src/meta.rs")).unwrap();
    assert_regenerate_command_repairs(
        &copy,
        &[],
        &[
            "changed: src/types.rs",
            "not generated: src/leftover.rs",
            "missing: src/meta.rs",
        ],
    );

    // With a subset of the operations, given in any order: the command keeps them.
    let subset = ["--operations", "GetMeeting,CreateMeeting,GetMeeting"];
    copy.ok(&[&["generate"][..], &subset].concat());
    std::fs::write(out.join("src/lib.rs"), "").unwrap();
    assert_regenerate_command_repairs(&copy, &subset, &["changed: src/lib.rs"]);
    assert!(!out.join("src/operation/list_attendees.rs").exists());
}

/// Outside the workspace every setting is given; `out_name` is the output directory's
/// name, which the printed command names relative to the current directory.
fn assert_repairs_outside_the_workspace(out_name: &str) {
    let temp = tempfile::tempdir().unwrap();
    let model = kitchen_sink_model();
    let out = temp.path().join(out_name);
    let out_arg = out.to_str().unwrap();
    let args = [
        "--model",
        model.to_str().unwrap(),
        "--out",
        out_arg,
        "--crate-name",
        "sink",
        "--operations",
        "Ping,GetBlob",
    ];
    let copy = Checkout {
        root: temp.path().to_path_buf(),
        _temp: temp,
    };
    copy.ok(&[&["generate"][..], &args].concat());
    std::fs::write(out.join("Cargo.toml"), "").unwrap();
    let printed = assert_regenerate_command_repairs(&copy, &args, &["changed: Cargo.toml"]);
    let operations = printed.iter().position(|a| a == "--operations");
    assert_eq!(
        operations.map(|i| printed[i + 1].as_str()),
        Some("GetBlob,Ping"),
        "the operations, in a stable order: {printed:?}"
    );
}

#[test]
fn the_printed_regenerate_command_repairs_a_stale_crate_outside_the_workspace() {
    assert_repairs_outside_the_workspace("sink");
}

#[test]
fn the_printed_regenerate_command_quotes_a_path_with_a_space() {
    assert_repairs_outside_the_workspace("sink out");
}

#[test]
fn shell_words_reads_quotes_like_a_shell() {
    assert_eq!(
        shell_words(r#"a  'b c' "d \"e\"" f\ g"#),
        ["a", "b c", "d \"e\"", "f g"]
    );
}
