//! chime-caps-codegen: turns an AWS Smithy JSON AST model (restJson1, awsJson1_0 or
//! awsJson1_1) into a Rust client crate.
//!
//! The data flows one way, one module per stage:
//! [`ast`] (the JSON AST as written) → [`upgrade`] (Smithy 1.0 or 2.0 in 2.0 semantics; a
//! service without a rule set gets the standard AWS one) → [`ir`] (resolved operations,
//! shapes, Rust names; [`endpoint`] compiles the endpoint rule set) → [`render`] (handlebars
//! templates, formatted Rust) → [`write`](mod@write) (files on disk, or a staleness check).
//!
//! Around it: [`import`] maintains the project model itself (the [`closure`] of some
//! operations of the official model, documented with the project's own text), and
//! [`diff`] classifies what a model update changes for the generated client.
//!
//! [`Generator`] is the entry point of both outputs: the crate the command line writes
//! (`generate_crate`), and for build scripts one module file to `include!`
//! (`generate_module`, assembled from the crate by [`module`]).

pub mod ast;
pub mod closure;
pub mod diff;
pub mod docs;
pub mod endpoint;
mod generator;
pub mod import;
pub mod ir;
pub mod module;
pub mod naming;
pub mod render;
pub mod settings;
pub mod upgrade;
pub mod write;

use std::path::Path;

pub use generator::Generator;
pub use render::File;
pub use settings::Settings;

/// Anything that stops a generation.
#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    #[error("cannot read the model {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("the model {path} is not a Smithy JSON AST: {source}")]
    Parse {
        path: String,
        source: serde_json::Error,
    },
    #[error("the model {path}: {source}")]
    Upgrade {
        path: String,
        source: upgrade::UpgradeError,
    },
    #[error(transparent)]
    Ir(#[from] ir::IrError),
    #[error(transparent)]
    Render(#[from] render::RenderError),
    #[error(transparent)]
    Module(#[from] module::ModuleError),
    #[error(
        "no output directory: OUT_DIR is set only for build scripts; elsewhere call \
         Generator::out_dir(..)"
    )]
    NoOutDir,
    #[error(
        "no crate name: call Generator::crate_name(..) (in a build script it defaults to \
         the package's name)"
    )]
    NoCrateName,
    #[error(
        "the module file name `{0}` is not a plain file name: give one like `chime.rs`, \
         and the directory with Generator::out_dir(..)"
    )]
    ModuleFileName(String),
    #[error("cannot write {path}: {source}")]
    Write {
        path: String,
        source: std::io::Error,
    },
}

/// Reads a Smithy JSON AST model (1.0 or 2.0) in 2.0 semantics.
pub fn load_model(path: &Path) -> Result<ast::Model, CodegenError> {
    let origin = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|source| CodegenError::Read {
        path: origin.clone(),
        source,
    })?;
    parse_model(&text, &origin)
}

/// Parses model text (`origin` names it in errors) in 2.0 semantics.
pub fn parse_model(text: &str, origin: &str) -> Result<ast::Model, CodegenError> {
    let model = ast::Model::from_json(text).map_err(|source| CodegenError::Parse {
        path: origin.to_owned(),
        source,
    })?;
    upgrade::upgrade(model).map_err(|source| CodegenError::Upgrade {
        path: origin.to_owned(),
        source,
    })
}

/// Generates the crate described by `settings`, in memory (what
/// [`Generator::generate_crate`] returns for them).
pub fn generate(settings: &Settings) -> Result<Vec<File>, CodegenError> {
    Generator::from(settings).generate_crate(&settings.out)
}

/// Generates a crate from model text (`origin` names it in errors).
pub fn generate_from_str(
    text: &str,
    origin: &str,
    settings: &Settings,
) -> Result<Vec<File>, CodegenError> {
    render_crate(
        || parse_model(text, origin),
        &settings.crate_name,
        &settings.operations,
        &runtime_path(&settings.out),
    )
}

/// The one path from a model to the crate's files, whatever the output. The templates
/// do not depend on the model, so they are compiled while the model is read and resolved.
fn render_crate(
    read_model: impl FnOnce() -> Result<ast::Model, CodegenError>,
    crate_name: &str,
    operations: &[String],
    runtime_path: &str,
) -> Result<Vec<File>, CodegenError> {
    let options = ir::Options {
        crate_name: crate_name.to_owned(),
        operations: operations.to_vec(),
    };
    std::thread::scope(|scope| {
        let registry = scope.spawn(render::registry);
        let krate = read_model().and_then(|model| Ok(ir::resolve(&model, &options)?));
        let registry = registry
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        // A model error is the user's to fix; a template error is the generator's.
        let krate = krate?;
        Ok(render::render(&registry?, &krate, runtime_path)?)
    })
}

/// The runtime crate's directory as the generated crate at `out` refers to it: relative
/// when both are in one tree, absolute otherwise.
pub fn runtime_path(out: &Path) -> String {
    let runtime = runtime_dir();
    let absolute = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (from, to) = (absolute(out), absolute(&runtime));
    let common = from
        .components()
        .zip(to.components())
        .take_while(|(a, b)| a == b)
        .count();
    if common <= 1 {
        return to.display().to_string().replace('\\', "/");
    }
    let ups = from.components().count() - common;
    let mut path: Vec<String> = std::iter::repeat_n("..".to_owned(), ups).collect();
    path.extend(
        to.components()
            .skip(common)
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    path.join("/")
}

/// The runtime crate's directory (beside this crate's manifest).
fn runtime_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("runtime")
}

/// The workspace root, found from this crate's manifest directory.
pub fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen/ lives in the workspace root")
}
