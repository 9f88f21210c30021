//! The committed defaults of the generator (`model/codegen.toml`) and the
//! command-line flags that override them.

use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Where the committed defaults live, relative to the workspace root.
pub const DEFAULTS_FILE: &str = "model/codegen.toml";

/// One generator run: which model, which operations, which crate, where.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub model: PathBuf,
    pub out: PathBuf,
    pub crate_name: String,
    #[serde(default)]
    pub operations: Vec<String>,
}

impl Settings {
    /// Reads the defaults file; relative paths in it are taken from `root`.
    pub fn load(root: &Path) -> Result<Self, String> {
        let path = root.join(DEFAULTS_FILE);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let mut settings: Settings =
            toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        settings.model = root.join(&settings.model);
        settings.out = root.join(&settings.out);
        Ok(settings)
    }

    /// The workspace root: the nearest ancestor of `start` holding the defaults file.
    pub fn find_root(start: &Path) -> Option<PathBuf> {
        start
            .ancestors()
            .find(|dir| dir.join(DEFAULTS_FILE).is_file())
            .map(Path::to_path_buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committed_defaults_load() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let s = Settings::load(root).unwrap();
        assert_eq!(s.crate_name, "chime-caps-generated");
        assert!(s.model.ends_with("model/chime-sdk-meetings.json"));
        assert!(
            s.operations.is_empty(),
            "the project generates every operation: {:?}",
            s.operations
        );
        assert_eq!(
            Settings::find_root(&root.join("codegen/src")).as_deref(),
            Some(root)
        );
    }

    #[test]
    fn unknown_keys_are_refused() {
        let err = toml::from_str::<Settings>("model='m'\nout='o'\ncrate_name='c'\nmodle='x'")
            .unwrap_err();
        assert!(err.to_string().contains("modle"), "{err}");
    }
}
