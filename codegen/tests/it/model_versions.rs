//! Every published version of the model generates, and equivalent Smithy 1.0 and 2.0 models
//! come out of [`upgrade`] identical (so they generate identical crates).

use std::path::{Path, PathBuf};

use chime_caps_codegen::ast::{Member, Model, Shape};
use chime_caps_codegen::upgrade::upgrade;
use chime_caps_codegen::{generate_from_str, workspace_root, Settings};

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn settings(crate_name: &str) -> Settings {
    Settings {
        model: "in-memory".into(),
        out: "unused".into(),
        crate_name: crate_name.into(),
        operations: Vec::new(),
    }
}

/// The official model and its earlier versions beside the checkout, if present.
fn real_models() -> Vec<PathBuf> {
    let models = workspace_root().join("../shared/models");
    let history = models.join("history");
    let Ok(entries) = std::fs::read_dir(&history) else {
        eprintln!("skipping the real models: {} is absent", history.display());
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    paths.push(models.join("chime-sdk-meetings.json"));
    paths
}

#[test]
fn every_real_model_version_generates() {
    for path in real_models() {
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let files = generate_from_str(&text, &path.display().to_string(), &settings("history"))
            .unwrap_or_else(|e| panic!("{} does not generate: {e}", path.display()));
        assert!(files.iter().any(|f| f.path == "src/config/endpoint.rs"));
    }
}

fn upgraded(text: &str) -> Model {
    upgrade(Model::from_json(text).expect("a JSON AST")).expect("the model upgrades")
}

/// Shape ids and member names in order: `Model`'s `PartialEq` compares maps as sets.
fn layout(model: &Model) -> Vec<(String, Vec<String>)> {
    model
        .shapes
        .iter()
        .map(|(id, shape)| {
            let members = match shape {
                Shape::Structure(s) | Shape::Union(s) | Shape::Enum(s) | Shape::IntEnum(s) => {
                    s.members.keys().cloned().collect()
                }
                _ => Vec::new(),
            };
            (id.clone(), members)
        })
        .collect()
}

#[test]
fn equivalent_smithy_1_and_2_models_upgrade_to_the_same_model_and_crate() {
    let v1 = upgraded(&fixture("upgrade_v1.json"));
    let v2 = upgraded(&fixture("upgrade_v2.json"));
    assert_eq!(v1, v2);
    assert_eq!(layout(&v1), layout(&v2));
    assert_eq!(v1.smithy, "2.0");

    let generate = |name: &str| {
        generate_from_str(&fixture(name), name, &settings("widgets"))
            .unwrap_or_else(|e| panic!("{name} does not generate: {e}"))
    };
    assert_eq!(generate("upgrade_v1.json"), generate("upgrade_v2.json"));
}

#[test]
fn upgrading_is_idempotent_and_leaves_a_complete_2_0_model_alone() {
    let once = upgraded(&fixture("upgrade_v1.json"));
    let twice = upgrade(once.clone()).unwrap();
    assert_eq!(once, twice);
    assert_eq!(layout(&once), layout(&twice));

    let official = workspace_root().join("../shared/models/chime-sdk-meetings.json");
    if let Ok(text) = std::fs::read_to_string(&official) {
        let model = Model::from_json(&text).unwrap();
        let upgraded = upgrade(model.clone()).unwrap();
        assert_eq!(upgraded, model, "the official 2.0 model needs no change");
        assert_eq!(layout(&upgraded), layout(&model));
    }
}

/// What exists only in Smithy 1.0 (or is deprecated in 2.0 and has a 2.0 form).
fn legacy_constructs(model: &Model) -> Vec<String> {
    let mut found = Vec::new();
    for (id, shape) in &model.shapes {
        if matches!(shape, Shape::Set(_)) {
            found.push(format!("{id}: set"));
        }
        for key in ["smithy.api#box", "smithy.api#enum"] {
            if shape.traits().contains_key(key) {
                found.push(format!("{id}: {key}"));
            }
        }
        let members: Vec<(&str, &Member)> = match shape {
            Shape::Structure(s) | Shape::Union(s) | Shape::Enum(s) | Shape::IntEnum(s) => {
                s.members.iter().map(|(n, m)| (n.as_str(), m)).collect()
            }
            Shape::List(c) | Shape::Set(c) => vec![("member", &c.member)],
            Shape::Map(m) => vec![("key", &m.key), ("value", &m.value)],
            _ => Vec::new(),
        };
        for (name, member) in members {
            if member.target.starts_with("smithy.api#Primitive") {
                found.push(format!("{id}${name}: {}", member.target));
            }
            if member.traits.contains_key("smithy.api#box") {
                found.push(format!("{id}${name}: smithy.api#box"));
            }
        }
    }
    found
}

#[test]
fn no_smithy_1_construct_survives_the_upgrade() {
    let v1 = Model::from_json(&fixture("upgrade_v1.json")).unwrap();
    assert!(
        legacy_constructs(&v1).len() >= 6,
        "the fixture has 1.0 constructs to remove: {:?}",
        legacy_constructs(&v1)
    );
    assert_eq!(
        legacy_constructs(&upgraded(&fixture("upgrade_v1.json"))),
        Vec::<String>::new()
    );
    for path in real_models() {
        let model = upgraded(&std::fs::read_to_string(&path).unwrap());
        assert_eq!(
            legacy_constructs(&model),
            Vec::<String>::new(),
            "{}",
            path.display()
        );
        let service = model
            .shapes
            .values()
            .find(|s| matches!(s, Shape::Service(_)))
            .expect("a service");
        for key in ["smithy.rules#endpointRuleSet", "smithy.rules#endpointTests"] {
            assert!(
                service.traits().contains_key(key),
                "{}: no {key}",
                path.display()
            );
        }
    }
}

/// A shape or member with its documentation (reworded between releases) left out.
fn without_docs(traits: &chime_caps_codegen::ast::Traits) -> Vec<(&String, &serde_json::Value)> {
    let mut kept: Vec<_> = traits
        .iter()
        .filter(|(id, _)| *id != "smithy.api#documentation")
        .collect();
    kept.sort_by_key(|(id, _)| *id);
    kept
}

#[test]
fn the_last_1_0_release_upgrades_to_what_the_first_2_0_release_says() {
    // AWS converted the model to Smithy 2.0 between two releases of `history/`: whatever the
    // two have in common must come out of the upgrade the way AWS wrote it in 2.0.
    let releases: Vec<(String, Model)> = real_models()
        .iter()
        .filter(|p| p.parent().is_some_and(|d| d.ends_with("history")))
        .map(|p| {
            let model = Model::from_json(&std::fs::read_to_string(p).unwrap()).unwrap();
            (p.display().to_string(), model)
        })
        .collect();
    let last_1_0 = releases.iter().rev().find(|(_, m)| m.smithy == "1.0");
    let first_2_0 = releases.iter().find(|(_, m)| m.smithy == "2.0");
    let (Some((old_path, old)), Some((new_path, new))) = (last_1_0, first_2_0) else {
        eprintln!("skipping: the history has no 1.0 and 2.0 release pair");
        return;
    };
    let upgraded = upgrade(old.clone()).unwrap();
    let mut compared = 0;
    for (id, shape) in &upgraded.shapes {
        let Some(published) = new.shapes.get(id) else {
            continue;
        };
        // The service (rule set) and operations/IO shapes (@input/@output) legitimately differ.
        if matches!(shape, Shape::Service(_) | Shape::Operation(_)) {
            continue;
        }
        assert_eq!(shape.type_name(), published.type_name(), "{id}");
        if !matches!(shape, Shape::Structure(_)) {
            assert_eq!(
                without_docs(shape.traits()),
                without_docs(published.traits()),
                "{id}"
            );
        }
        if let (Shape::Structure(a) | Shape::Enum(a), Shape::Structure(b) | Shape::Enum(b)) =
            (shape, published)
        {
            for (name, member) in &a.members {
                let Some(other) = b.members.get(name) else {
                    continue;
                };
                assert_eq!(member.target, other.target, "{id}${name}");
                assert_eq!(
                    without_docs(&member.traits),
                    without_docs(&other.traits),
                    "{id}${name}"
                );
                compared += 1;
            }
        }
    }
    assert!(
        compared > 100,
        "{old_path} and {new_path} share {compared} members"
    );
}
