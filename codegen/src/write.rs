//! Stage 4: the rendered files on disk — writing a crate, or checking that a
//! checked-in crate is exactly what the generator writes.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::render::File;

/// How a checked-in crate differs from what the generator writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift {
    Missing(String),
    Changed(String),
    /// A Rust file the generator does not write (left over from an older model).
    Extra(String),
}

impl std::fmt::Display for Drift {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Drift::Missing(p) => write!(f, "missing: {p}"),
            Drift::Changed(p) => write!(f, "changed: {p}"),
            Drift::Extra(p) => write!(f, "not generated: {p}"),
        }
    }
}

/// Writes `files` under `out`, and removes `.rs` files under `out/src` it did not write,
/// so a crate regenerated from a smaller model holds nothing stale.
pub fn write(out: &Path, files: &[File]) -> std::io::Result<()> {
    for file in files {
        let path = out.join(&file.path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        if std::fs::read_to_string(&path).ok().as_deref() != Some(file.contents.as_str()) {
            std::fs::write(&path, &file.contents)?;
        }
    }
    for extra in extra_files(out, files)? {
        std::fs::remove_file(out.join(extra))?;
    }
    Ok(())
}

/// Every difference between `out` and `files`; empty when `out` is up to date.
pub fn check(out: &Path, files: &[File]) -> std::io::Result<Vec<Drift>> {
    let mut drift = Vec::new();
    for file in files {
        match std::fs::read_to_string(out.join(&file.path)) {
            Ok(text) if text == file.contents => {}
            Ok(_) => drift.push(Drift::Changed(file.path.clone())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                drift.push(Drift::Missing(file.path.clone()))
            }
            Err(e) => return Err(e),
        }
    }
    drift.extend(extra_files(out, files)?.into_iter().map(Drift::Extra));
    Ok(drift)
}

fn extra_files(out: &Path, files: &[File]) -> std::io::Result<Vec<String>> {
    let known: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut found = Vec::new();
    let src = out.join("src");
    if src.is_dir() {
        rust_files(&src, &mut found)?;
    }
    let mut extra = Vec::new();
    for path in found {
        let relative = path
            .strip_prefix(out)
            .expect("found under out")
            .to_string_lossy()
            .replace('\\', "/");
        if !known.contains(relative.as_str()) {
            extra.push(relative);
        }
    }
    extra.sort();
    Ok(extra)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            rust_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: &str) -> File {
        File {
            path: path.into(),
            contents: contents.into(),
        }
    }

    #[test]
    fn write_then_check_is_clean_and_edits_are_drift() {
        let dir = tempfile::tempdir().unwrap();
        let files = vec![
            file("Cargo.toml", "[package]\n"),
            file("src/lib.rs", "pub mod a;\n"),
            file("src/a.rs", ""),
        ];
        write(dir.path(), &files).unwrap();
        assert!(check(dir.path(), &files).unwrap().is_empty());

        std::fs::write(dir.path().join("src/a.rs"), "// edited by hand\n").unwrap();
        std::fs::write(dir.path().join("src/old.rs"), "").unwrap();
        std::fs::remove_file(dir.path().join("Cargo.toml")).unwrap();
        let drift = check(dir.path(), &files).unwrap();
        assert_eq!(
            drift,
            [
                Drift::Missing("Cargo.toml".into()),
                Drift::Changed("src/a.rs".into()),
                Drift::Extra("src/old.rs".into())
            ]
        );

        write(dir.path(), &files).unwrap();
        assert!(
            check(dir.path(), &files).unwrap().is_empty(),
            "write removes stale files and restores edits"
        );
    }
}
