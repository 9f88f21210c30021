//! The library API of `chime-caps-codegen` (`Generator`): its crate output is what is
//! checked in at `generated/`, and its module output — one file to `include!` — builds
//! in another crate, from that crate's build script too.

use crate::support;

use std::path::{Path, PathBuf};

use chime_caps_codegen::module::DEPENDENCIES_HEADER;
use chime_caps_codegen::{workspace_root, write, CodegenError, Generator, Settings};
use support::proof;

/// The two capability operations, the subset a build script generates.
const CAPABILITY_OPERATIONS: [&str; 2] = [
    "UpdateAttendeeCapabilities",
    "BatchUpdateAttendeeCapabilitiesExcept",
];

fn committed() -> Settings {
    Settings::load(workspace_root()).expect("model/codegen.toml loads")
}

#[test]
fn generated_is_what_generate_crate_emits() {
    let settings = committed();
    let files = Generator::new(&settings.model)
        .crate_name(&settings.crate_name)
        .operations(&settings.operations)
        .generate_crate(&settings.out)
        .expect("the committed model generates");
    let drift = write::check(&settings.out, &files).expect("generated/ is readable");
    assert!(
        drift.is_empty(),
        "generated/ differs from Generator::generate_crate's output: {drift:?}\n\
         regenerate it with: cargo run -p chime-caps-codegen -- generate"
    );
    assert!(files.len() > 100, "only {} files", files.len());
}

/// Generates a module into a fresh directory and returns its text.
fn module_text(generator: Generator) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = generator
        .out_dir(dir.path())
        .generate_module("m.rs")
        .expect("the module generates");
    assert_eq!(path, dir.path().join("m.rs"));
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn the_module_depends_on_the_operation_set_not_its_order() {
    let model = committed().model;
    let subset = |operations: [&str; 2]| {
        module_text(
            Generator::new(&model)
                .crate_name("subset")
                .operations(operations)
                .module_path("crate::chime"),
        )
    };
    let [a, b] = CAPABILITY_OPERATIONS;
    let forward = subset([a, b]);
    assert_eq!(forward, subset([b, a]));
    assert!(forward.contains("pub mod update_attendee_capabilities {"));
    assert!(forward.contains("pub mod batch_update_attendee_capabilities_except {"));
    assert!(
        !forward.contains("pub mod create_meeting {"),
        "an operation outside the subset is generated"
    );
}

#[test]
fn mistakes_are_reported_with_what_to_do() {
    let model = committed().model;
    let dir = tempfile::tempdir().unwrap();
    let generator = || Generator::new(&model).crate_name("m").out_dir(dir.path());
    let message = |result: Result<PathBuf, CodegenError>| result.unwrap_err().to_string();

    let err = message(generator().generate_module("sub/m.rs"));
    assert!(err.contains("`sub/m.rs` is not a plain file name"), "{err}");
    let err = message(generator().module_path("chime").generate_module("m.rs"));
    assert!(
        err.contains("give the path at which the file is included"),
        "{err}"
    );
    let err = message(generator().features(["sever"]).generate_module("m.rs"));
    assert!(
        err.contains("no feature `sever`; its features are:"),
        "{err}"
    );
    assert!(err.contains("server"), "{err}");
    let err = message(
        generator()
            .operations(["NoSuchOperation"])
            .generate_module("m.rs"),
    );
    assert!(err.contains("NoSuchOperation"), "{err}");
    let absent = Generator::new(dir.path().join("absent.json")).out_dir(dir.path());
    let err = message(absent.generate_module("m.rs"));
    assert!(err.contains("cannot read the model"), "{err}");
    // Cargo sets OUT_DIR for build scripts only (and this package has none).
    let err = message(Generator::new(&model).generate_module("m.rs"));
    assert!(err.contains("call Generator::out_dir"), "{err}");
    let err = Generator::new(&model)
        .generate_crate("out")
        .unwrap_err()
        .to_string();
    assert!(err.contains("Generator::crate_name"), "{err}");
    assert!(
        std::fs::read_dir(dir.path()).unwrap().next().is_none(),
        "a failed generation wrote a file"
    );
}

/// The `name = value` dependency lines of a module's header.
fn header_dependencies(module: &str) -> Vec<&str> {
    module
        .lines()
        .take_while(|l| l.starts_with("//"))
        .skip_while(|l| *l != DEPENDENCIES_HEADER)
        .skip(1)
        .map(|l| l.trim_start_matches("// "))
        .collect()
}

/// A binary crate including two modules at nested paths: the whole committed model with
/// every feature of the generated crate (`src/full.rs`, written here), and the capability
/// subset with the default ones, which its build script generates.
fn write_scratch_crate(dir: &Path, model: &Path) {
    let src = dir.join("proof/src");
    std::fs::create_dir_all(&src).unwrap();
    let full = Generator::new(model)
        .crate_name("module-proof")
        .module_path("crate::all::operations")
        .features(["server", "test-util", "behavior-version-latest"])
        .out_dir(&src)
        .generate_module("full.rs")
        .expect("the committed model generates as a module");
    let full = std::fs::read_to_string(full).unwrap();
    // Every feature on: its dependency list covers the subset's too.
    let dependencies = header_dependencies(&full);
    assert!(
        dependencies
            .iter()
            .any(|d| d.starts_with("chime-caps-runtime = ")),
        "{dependencies:?}"
    );

    // The HTTPS-client features are left out, as in the compile proof that shares the
    // directory, which would otherwise build the TLS stack for this crate alone.
    let dependencies: Vec<String> = dependencies
        .iter()
        .map(|d| {
            if !d.starts_with("chime-caps-runtime = ") {
                return (*d).to_owned();
            }
            proof::HTTPS_CLIENT_FEATURES
                .iter()
                .fold((*d).to_owned(), |line, feature| {
                    let listed = format!("\"{feature}\", ");
                    assert!(
                        line.contains(&listed),
                        "the header's runtime line lists {feature}: {d}"
                    );
                    line.replace(&listed, "")
                })
        })
        .collect();

    let codegen = Path::new(env!("CARGO_MANIFEST_DIR"));
    proof::write_workspace(dir, &["proof".to_owned()]);
    std::fs::write(
        dir.join("proof/Cargo.toml"),
        format!(
            "[package]\nname = \"module-proof\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\
             publish = false\n\n[dependencies]\n{}\n\n[build-dependencies]\n\
             chime-caps-codegen = {{ path = {:?} }}\n",
            dependencies.join("\n"),
            codegen.display().to_string()
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("proof/build.rs"),
        format!(
            "fn main() -> Result<(), Box<dyn std::error::Error>> {{\n\
             \x20   chime_caps_codegen::Generator::new({model:?})\n\
             \x20       .operations({CAPABILITY_OPERATIONS:?})\n\
             \x20       .module_path(\"crate::a::b\")\n\
             \x20       .generate_module(\"subset.rs\")?;\n\
             \x20   Ok(())\n\
             }}\n",
            model = model.display().to_string()
        ),
    )
    .unwrap();
    std::fs::write(
        src.join("main.rs"),
        r#"mod a {
    pub mod b {
        include!(concat!(env!("OUT_DIR"), "/subset.rs"));
    }
}

mod all {
    pub mod operations {
        include!("full.rs");
    }
}

fn main() {
    let subset = a::b::Client::from_conf(
        a::b::Config::builder()
            .behavior_version_latest()
            .region(a::b::config::Region::new("us-east-1"))
            .build(),
    );
    let _ = subset.update_attendee_capabilities();
    // behavior-version-latest is compiled in: no behavior version needed.
    let full = all::operations::Client::from_conf(all::operations::Config::builder().build());
    let _ = full.create_meeting();
    let _ = all::operations::config::Builder::default().with_test_defaults();
    assert_eq!(all::operations::operation::ROUTES.len(), 16);
}
"#,
    )
    .unwrap();
}

/// The newest build-script output of the scratch crate.
fn build_script_output(target: &Path) -> String {
    let build = target.join("debug/build");
    let newest = std::fs::read_dir(&build)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with("module-proof-"))
        .map(|e| e.path().join("output"))
        .filter(|p| p.is_file())
        .max_by_key(|p| p.metadata().and_then(|m| m.modified()).ok())
        .unwrap_or_else(|| panic!("no module-proof build script output in {}", build.display()));
    std::fs::read_to_string(newest).unwrap()
}

#[test]
fn modules_build_in_another_crate_and_its_build_script() {
    let model = committed().model;
    let target = proof::target_dir();
    // A fixed directory: the scratch crate's build is incremental between runs.
    let dir = target.join("build-time-scratch");
    write_scratch_crate(&dir, &model);

    let run = proof::cargo(
        &dir,
        &[
            "check",
            "--workspace",
            "--quiet",
            "--message-format",
            "short",
        ],
    );
    eprintln!("{} of the module crate took {:.1?}", run.command, run.took);
    assert!(
        run.clean(),
        "the included modules do not build cleanly:\n{}",
        run.report()
    );
    let script_output = build_script_output(&target);
    assert!(
        script_output
            .lines()
            .any(|l| l == format!("cargo:rerun-if-changed={}", model.display())),
        "the build script did not ask to rerun when the model changes:\n{script_output}"
    );
}

/// The README's "Build-time use" section as it stands.
fn readme_section() -> String {
    let readme = std::fs::read_to_string(workspace_root().join("README.md")).unwrap();
    let (_, section) = readme
        .split_once("\n## Build-time use\n")
        .expect("the README has a section \"Build-time use\"");
    section
        .split("\n## ")
        .next()
        .expect("split yields one part")
        .to_owned()
}

#[test]
fn the_readme_shows_the_example_build_script_include_and_dependencies() {
    let section = readme_section();
    let example = workspace_root().join("examples/build-time");

    // The build script, without its module documentation.
    let build_rs = std::fs::read_to_string(example.join("build.rs")).unwrap();
    let script: Vec<&str> = build_rs
        .lines()
        .skip_while(|l| l.starts_with("//!") || l.is_empty())
        .collect();
    let block = format!("```rust,no_run\n{}\n```", script.join("\n"));
    assert!(
        section.contains(&block),
        "the README's build.rs is not examples/build-time/build.rs; copy it again:\n{block}"
    );

    // The include, as the example's main.rs writes it.
    let main_rs = std::fs::read_to_string(example.join("src/main.rs")).unwrap();
    let include: Vec<&str> = main_rs
        .lines()
        .skip_while(|l| *l != "mod chime {")
        .take_while(|l| *l != "}")
        .chain(["}"])
        .collect();
    assert!(include.len() > 2, "no `mod chime {{ .. }}` in {main_rs}");
    assert!(
        section.contains(&include.join("\n")),
        "the README does not include the module as the example does:\n{}",
        include.join("\n")
    );

    // The dependency header of the example's module (the runtime's path is this
    // checkout's, shortened in the README).
    let module = module_text(
        Generator::new(committed().model)
            .crate_name("build-time-example")
            .operations(CAPABILITY_OPERATIONS)
            .module_path("crate::chime")
            .features(["server"]),
    );
    let header: Vec<&str> = module
        .lines()
        .take_while(|l| l.starts_with("//"))
        .skip_while(|l| !l.starts_with("// Features of the generated crate"))
        .collect();
    assert!(
        header.contains(&DEPENDENCIES_HEADER),
        "no dependency list in the module's header:
{}",
        header.join(
            "
"
        )
    );
    for line in header {
        let shown = match line.split_once("path = \"") {
            Some((before, rest)) => {
                let (_, after) = rest.split_once('"').expect("a quoted path");
                format!("{before}path = \"…/codegen/runtime\"{after}")
            }
            None => line.to_owned(),
        };
        assert!(
            section.contains(&format!("\n{shown}\n")),
            "the README's module header lacks:\n{shown}"
        );
    }
}
