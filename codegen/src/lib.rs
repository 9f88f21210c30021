//! chime-caps-codegen: turns an AWS restJson1 Smithy JSON AST model into a Rust client crate.
//!
//! The data flows one way, one module per stage:
//! [`ast`] (the JSON AST as written) → [`ir`] (resolved operations, shapes, Rust names;
//! [`endpoint`] compiles the endpoint rule set) → [`render`] (handlebars templates,
//! formatted Rust) → [`write`] (files on disk, or a staleness check). [`diff`] compares
//! two models and classifies what an update changes for the generated client.

pub mod ast;
pub mod diff;
pub mod docs;
pub mod endpoint;
pub mod ir;
pub mod naming;
pub mod render;
pub mod settings;
pub mod write;

use std::path::Path;

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
    #[error(transparent)]
    Ir(#[from] ir::IrError),
    #[error(transparent)]
    Render(#[from] render::RenderError),
}

/// Generates the crate described by `settings`, in memory.
pub fn generate(settings: &Settings) -> Result<Vec<File>, CodegenError> {
    let path = settings.model.display().to_string();
    let text = std::fs::read_to_string(&settings.model).map_err(|source| CodegenError::Read {
        path: path.clone(),
        source,
    })?;
    generate_from_str(&text, &path, settings)
}

/// Generates a crate from model text (`origin` names it in errors).
pub fn generate_from_str(
    text: &str,
    origin: &str,
    settings: &Settings,
) -> Result<Vec<File>, CodegenError> {
    let model = ast::Model::from_json(text).map_err(|source| CodegenError::Parse {
        path: origin.to_owned(),
        source,
    })?;
    let options = ir::Options {
        crate_name: settings.crate_name.clone(),
        operations: settings.operations.clone(),
    };
    let krate = ir::resolve(&model, &options)?;
    Ok(render::render(&krate)?)
}

/// The workspace root, found from this crate's manifest directory.
pub fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("codegen/ lives in the workspace root")
}
