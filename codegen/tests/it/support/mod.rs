//! What several test binaries share: the models, the kitchen-sink snapshot, file trees,
//! a readable text diff, and cargo runs in scratch workspaces.
//!
//! Each test binary compiles this module on its own and uses part of it.
#![allow(dead_code)]

pub mod lookup;
pub mod proof;
pub mod text_diff;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chime_caps_codegen::{generate, workspace_root, File, Settings};

/// The generator package's directory.
pub fn codegen_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The kitchen-sink fixture: every shape type and HTTP binding the generator supports.
pub fn kitchen_sink_model() -> PathBuf {
    codegen_dir().join("tests/fixtures/kitchen_sink.json")
}

/// The crate name the kitchen-sink snapshot is generated with.
pub const KITCHEN_SINK_CRATE: &str = "kitchen-sink";

/// Where the committed kitchen-sink snapshot lives, relative to the generator package.
pub const SNAPSHOT: &str = "tests/snapshots/kitchen-sink";

/// The committed kitchen-sink snapshot's directory.
pub fn snapshot_dir() -> PathBuf {
    codegen_dir().join(SNAPSHOT)
}

/// The command that rewrites the snapshot from the current generator.
pub const ACCEPT_SNAPSHOT: &str =
    "UPDATE_SNAPSHOTS=1 cargo test -p chime-caps-codegen --test it snapshot";

/// The kitchen sink as the generator writes it into the snapshot directory (the
/// runtime crate's path in its `Cargo.toml` is relative to that directory).
pub fn kitchen_sink_snapshot_files() -> Vec<File> {
    let settings = Settings {
        model: kitchen_sink_model(),
        out: snapshot_dir(),
        crate_name: KITCHEN_SINK_CRATE.to_owned(),
        operations: Vec::new(),
    };
    generate(&settings).unwrap_or_else(|e| panic!("the kitchen sink does not generate: {e}"))
}

/// A real model of another AWS service (`tests/fixtures/services/`, documentation stripped)
/// that the generator writes a crate for: restJson1, awsJson1_0 or awsJson1_1.
pub struct ServiceModel {
    /// The fixture's file name.
    pub file: &'static str,
    /// The crate name it is generated with.
    pub crate_name: &'static str,
    /// The operations generated (empty: all): the others use constructs the generator
    /// refuses (see `services.rs`).
    pub operations: &'static [&'static str],
    /// Its endpoint test cases hold with the generator's partition table, so its crate's
    /// tests run. Older models carry `aws-iso*` dual-stack cases from before those
    /// partitions had dual-stack, which today's official crates dropped too.
    pub endpoint_cases_current: bool,
}

/// The service models whose crates `compiles.rs` builds; `services.rs` checks what they
/// generate against the official SDK and what the generator refuses in them.
pub const SERVICE_MODELS: [ServiceModel; 8] = [
    ServiceModel {
        file: "apigatewaymanagementapi.json",
        crate_name: "apigatewaymanagementapi",
        operations: &[],
        endpoint_cases_current: false,
    },
    ServiceModel {
        file: "marketplace-deployment.json",
        crate_name: "marketplacedeployment",
        operations: &[],
        endpoint_cases_current: true,
    },
    ServiceModel {
        file: "marketplace-entitlement-service.json",
        crate_name: "marketplaceentitlement",
        operations: &[],
        endpoint_cases_current: false,
    },
    ServiceModel {
        file: "mediastore-data.json",
        crate_name: "mediastoredata",
        operations: &[],
        endpoint_cases_current: false,
    },
    ServiceModel {
        file: "route53-recovery-cluster.json",
        crate_name: "route53recoverycluster",
        operations: &[],
        endpoint_cases_current: false,
    },
    ServiceModel {
        file: "sagemaker-a2i-runtime.json",
        crate_name: "sagemakera2iruntime",
        // No rule set in the model: the generator adds the standard one with its cases.
        operations: &[],
        endpoint_cases_current: true,
    },
    ServiceModel {
        file: "sqs.json",
        crate_name: "sqs",
        operations: &[],
        endpoint_cases_current: true,
    },
    ServiceModel {
        file: "sso.json",
        crate_name: "sso",
        operations: &[],
        endpoint_cases_current: false,
    },
];

/// A model under `tests/fixtures/services/`.
pub fn service_model(file: &str) -> PathBuf {
    codegen_dir().join("tests/fixtures/services").join(file)
}

/// The complete official model beside the checkout (`../shared`), or `None` with a
/// message saying what is skipped.
pub fn official_model(skipped: &str) -> Option<PathBuf> {
    let path = workspace_root().join("../shared/models/chime-sdk-meetings.json");
    if path.is_file() {
        Some(path)
    } else {
        eprintln!("skipping {skipped}: {} is absent", path.display());
        None
    }
}

/// The earlier published versions of the official model, oldest first (none, with a
/// message, when `../shared` is absent).
pub fn history_models() -> Vec<PathBuf> {
    let dir = workspace_root().join("../shared/models/history");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipping the model history: {} is absent", dir.display());
        return Vec::new();
    };
    let mut models: Vec<PathBuf> = entries
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    models.sort();
    models
}

/// Every file under `dir` (relative path with `/` → contents); empty if `dir` is absent.
pub fn read_tree(dir: &Path) -> BTreeMap<String, String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        let entries =
            std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let relative = path.strip_prefix(root).expect("under the root");
                let key = relative.to_string_lossy().replace('\\', "/");
                let text = std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
                out.insert(key, text);
            }
        }
    }
    let mut tree = BTreeMap::new();
    if dir.is_dir() {
        walk(dir, dir, &mut tree);
    }
    tree
}

/// Generated files as a tree like [`read_tree`]'s.
pub fn as_tree(files: &[File]) -> BTreeMap<String, String> {
    files
        .iter()
        .map(|f| (f.path.clone(), f.contents.clone()))
        .collect()
}

/// Makes `dir` hold exactly `tree`: files are written only when their contents change
/// (so their modification times, which cargo's fingerprints read, stay otherwise), and
/// files outside `tree` are removed, with the directories they leave empty.
pub fn sync_tree(dir: &Path, tree: &BTreeMap<String, String>) {
    let present = read_tree(dir);
    for (path, contents) in tree {
        if present.get(path) != Some(contents) {
            let file = dir.join(path);
            std::fs::create_dir_all(file.parent().expect("a file has a parent")).unwrap();
            std::fs::write(&file, contents)
                .unwrap_or_else(|e| panic!("cannot write {}: {e}", file.display()));
        }
    }
    for stale in present.keys().filter(|p| !tree.contains_key(*p)) {
        let file = dir.join(stale);
        std::fs::remove_file(&file)
            .unwrap_or_else(|e| panic!("cannot remove {}: {e}", file.display()));
        let mut parent = file.parent();
        while let Some(p) = parent.filter(|p| *p != dir) {
            if std::fs::remove_dir(p).is_err() {
                break; // not empty
            }
            parent = p.parent();
        }
    }
}
