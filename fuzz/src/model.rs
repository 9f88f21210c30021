//! Target `model`: model text through the whole generator, as `generate` runs it. The
//! JSON AST is read and upgraded to Smithy 2.0 semantics (`parse_model`), every operation
//! of the service is resolved into the IR, and the crate is rendered (templates, then
//! every Rust file parsed and formatted). Errors are expected at every stage; a panic or a
//! hang is a finding, and so is a model that resolves but renders a file that is not Rust.

use chime_caps_codegen::{ir, parse_model, render};

/// How far one input got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reached {
    /// The bytes are not UTF-8 (a model file must be).
    NotText,
    /// Refused as JSON AST or by the 1.0 → 2.0 upgrade.
    Parse,
    /// Refused by IR resolution.
    Resolve,
    /// Refused by rendering.
    Render,
    /// A whole crate was rendered.
    Rendered,
}

/// Runs one input through the generator.
pub fn run(data: &[u8]) -> Reached {
    let Ok(text) = std::str::from_utf8(data) else {
        return Reached::NotText;
    };
    let model = match parse_model(text, "fuzz-input") {
        Ok(model) => model,
        Err(e) => return refused(Reached::Parse, e),
    };
    let options = ir::Options {
        crate_name: "fuzzed-client".to_owned(),
        operations: Vec::new(),
    };
    let krate = match ir::resolve(&model, &options) {
        Ok(krate) => krate,
        Err(e) => return refused(Reached::Resolve, e),
    };
    // Compiled once: the templates do not depend on the input.
    static TEMPLATES: std::sync::OnceLock<render::Templates> = std::sync::OnceLock::new();
    let templates = TEMPLATES.get_or_init(|| render::registry().expect("the templates compile"));
    match render::render(templates, &krate, "../runtime") {
        Ok(_) => Reached::Rendered,
        // The model was accepted, so its text must not make the generated Rust invalid:
        // every model string is escaped or refused before rendering.
        Err(e @ render::RenderError::Syntax { .. }) => {
            panic!("an accepted model renders invalid Rust: {e}")
        }
        Err(e) => refused(Reached::Render, e),
    }
}

/// Formats the error (its `Display` runs on user input too) and reports the stage.
fn refused(stage: Reached, error: impl std::fmt::Display) -> Reached {
    std::hint::black_box(error.to_string());
    stage
}
