//! [`Generator`]: the settings of one generation, and its two outputs.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::module::{self, ModulePath};
use crate::render::File;
use crate::{load_model, render_crate, runtime_dir, runtime_path, CodegenError, Settings};

/// Generates a client from a Smithy JSON AST model: as a crate ([`generate_crate`], what
/// `chime-caps-codegen generate` writes) or, from a build script, as one module file
/// that the crate `include!`s ([`generate_module`], the way `prost-build` works).
///
/// # In a build script
///
/// `build.rs` (with `chime-caps-codegen` in `[build-dependencies]`):
///
/// ```no_run
/// fn main() -> Result<(), Box<dyn std::error::Error>> {
///     chime_caps_codegen::Generator::new("model/chime-sdk-meetings.json")
///         .operations(["UpdateAttendeeCapabilities", "BatchUpdateAttendeeCapabilitiesExcept"])
///         .module_path("crate::chime")
///         .generate_module("chime.rs")?;
///     Ok(())
/// }
/// ```
///
/// and in the crate, at the module path given above:
///
/// ```ignore
/// mod chime {
///     include!(concat!(env!("OUT_DIR"), "/chime.rs"));
/// }
///
/// let client = chime::Client::from_conf(
///     chime::Config::builder()
///         .behavior_version_latest()
///         .region(chime::config::Region::new("us-east-1"))
///         .build(),
/// );
/// ```
///
/// The crate needs the generated crate's `[dependencies]`: `chime-caps-runtime` (this
/// repository's `codegen/runtime`, with `default-features = false` and the features the
/// selected ones turn on) and the AWS smithy crates it names (`aws-credential-types`,
/// `aws-runtime`, `aws-smithy-async`, `aws-smithy-runtime`, `aws-smithy-runtime-api`,
/// `aws-smithy-types`, `aws-types`). The module file's header lists them exactly, with
/// versions and features, under `// [dependencies]`.
///
/// # Features in a module
///
/// In a crate, the generated code's `#[cfg(feature = "server")]` and
/// `cfg!(feature = "behavior-version-latest")` name that crate's features. In a module
/// they would name the includer's, so [`features`](Self::features) decides them at
/// generation time instead: the generated crate's default features plus the listed
/// ones are on, every other is off; items under a false `#[cfg]` are left out and
/// `cfg!(..)` becomes `true` or `false`. Predicates that are not about the generated
/// crate (`unix`, `target_os = ..`) stay for the includer's build; `test` is off, so the
/// generated crate's own tests are not compiled into the includer's.
///
/// [`generate_crate`]: Self::generate_crate
/// [`generate_module`]: Self::generate_module
#[derive(Debug, Clone)]
pub struct Generator {
    model: PathBuf,
    operations: Vec<String>,
    crate_name: Option<String>,
    module_path: String,
    out_dir: Option<PathBuf>,
    features: BTreeSet<String>,
}

impl Generator {
    /// A generator for the model at `model` (Smithy 1.0 or 2.0 JSON AST), with every
    /// operation of its service. A relative path is taken from the current directory,
    /// which in a build script is the package's directory.
    pub fn new(model: impl Into<PathBuf>) -> Self {
        Self {
            model: model.into(),
            operations: Vec::new(),
            crate_name: None,
            module_path: "crate".to_owned(),
            out_dir: None,
            features: BTreeSet::new(),
        }
    }

    /// The operations to generate (shape names such as `UpdateAttendeeCapabilities`), with
    /// the shapes they use; none (the default) means every operation. The order does not
    /// matter: the same set gives the same output.
    pub fn operations<I>(mut self, operations: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.operations = operations.into_iter().map(Into::into).collect();
        self
    }

    /// The Cargo package name of the crate. A crate needs one; for a module it names the
    /// client in metrics and messages and defaults to the building package's name
    /// (`CARGO_PKG_NAME`).
    pub fn crate_name(mut self, name: impl Into<String>) -> Self {
        self.crate_name = Some(name.into());
        self
    }

    /// Module only: where the crate `include!`s the module, `crate` (the default) or a
    /// path like `crate::chime` or `crate::clients::chime`. The generated code refers to
    /// itself through this path.
    pub fn module_path(mut self, path: impl Into<String>) -> Self {
        self.module_path = path.into();
        self
    }

    /// Module only: the directory the module file is written to; by default `OUT_DIR`,
    /// which Cargo sets for build scripts.
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Module only: the generated crate's features to compile in besides its default ones
    /// (`server`, `test-util`, `behavior-version-latest`); see the type's documentation.
    /// The header of the module lists the dependency features they need.
    pub fn features<I>(mut self, features: I) -> Self
    where
        I: IntoIterator,
        I::Item: Into<String>,
    {
        self.features = features.into_iter().map(Into::into).collect();
        self
    }

    /// The crate's files (`Cargo.toml`, `src/**.rs`) for a crate to be written at `out`,
    /// in memory: [`write::write`](crate::write::write) puts them on disk. `out` only
    /// decides how the crate's `Cargo.toml` finds the runtime crate.
    pub fn generate_crate(&self, out: impl AsRef<Path>) -> Result<Vec<File>, CodegenError> {
        let crate_name = self
            .crate_name
            .as_deref()
            .ok_or(CodegenError::NoCrateName)?;
        self.render(crate_name, &runtime_path(out.as_ref()))
    }

    /// Writes the client as one module file `file_name` in the output directory and
    /// returns its path. Prints `cargo:rerun-if-changed=<model>`, so that Cargo runs the
    /// build script again when the model changes. The file is only rewritten when its
    /// contents change.
    pub fn generate_module(&self, file_name: impl AsRef<Path>) -> Result<PathBuf, CodegenError> {
        println!("cargo:rerun-if-changed={}", self.model.display());
        let file_name = file_name.as_ref();
        let plain = file_name.components().count() == 1
            && file_name
                .file_name()
                .is_some_and(|n| n == file_name.as_os_str());
        if !plain {
            return Err(CodegenError::ModuleFileName(
                file_name.display().to_string(),
            ));
        }
        let module_path: ModulePath = self.module_path.parse()?;
        let out_dir = self
            .out_dir
            .clone()
            .or_else(|| std::env::var_os("OUT_DIR").map(PathBuf::from))
            .ok_or(CodegenError::NoOutDir)?;
        let crate_name = match &self.crate_name {
            Some(name) => name.clone(),
            None => std::env::var("CARGO_PKG_NAME").map_err(|_| CodegenError::NoCrateName)?,
        };
        // The manifest is not written, but its dependency list goes in the module's
        // header, where the runtime is best named by its absolute path.
        let files = self.render(&crate_name, &runtime_dir().display().to_string())?;
        let text = module::assemble(&files, &module_path, &self.features)?;
        let path = out_dir.join(file_name);
        let write_error = |source| CodegenError::Write {
            path: path.display().to_string(),
            source,
        };
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str()) {
            std::fs::create_dir_all(&out_dir).map_err(write_error)?;
            std::fs::write(&path, text).map_err(write_error)?;
        }
        Ok(path)
    }

    fn render(&self, crate_name: &str, runtime_path: &str) -> Result<Vec<File>, CodegenError> {
        render_crate(
            || load_model(&self.model),
            crate_name,
            &self.operations,
            runtime_path,
        )
    }
}

/// The generator of the command line's `generate` and `check`.
impl From<&Settings> for Generator {
    fn from(settings: &Settings) -> Self {
        Generator::new(&settings.model)
            .crate_name(&settings.crate_name)
            .operations(&settings.operations)
    }
}
