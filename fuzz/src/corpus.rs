//! The committed corpora (`fuzz/corpus/<target>/`), for the stable tests that replay
//! them through the harnesses without nightly.

use std::path::Path;

/// One corpus file.
#[derive(Debug)]
pub struct Entry {
    /// The file name (`seed-*` for the hand-made seeds, a hash for what the fuzzer kept).
    pub name: String,
    /// The input.
    pub data: Vec<u8>,
}

impl Entry {
    /// A hand-made seed, as opposed to an input the fuzzer found.
    pub fn is_seed(&self) -> bool {
        self.name.starts_with("seed-")
    }
}

/// The files of the corpus directory `dir`, sorted by name; `None`, after saying so, when
/// the directory is absent (a checkout without `fuzz/`).
pub fn read(dir: &Path) -> Option<Vec<Entry>> {
    let listing = match std::fs::read_dir(dir) {
        Ok(listing) => listing,
        Err(e) => {
            eprintln!("skipping: no fuzz corpus at {} ({e})", dir.display());
            return None;
        }
    };
    let mut entries: Vec<Entry> = listing
        .map(|item| {
            let path = item
                .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
                .path();
            let data = std::fs::read(&path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Entry { name, data }
        })
        .collect();
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    Some(entries)
}
