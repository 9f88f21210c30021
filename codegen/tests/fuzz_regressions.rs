//! What fuzzing the generator found wrong, each replayed on the code path that was wrong
//! (`parse_model` → `ir::resolve`) with the smallest model that shows it.

use chime_caps_codegen::{ir, parse_model};

/// A service with one operation whose output has a member `M` targeting `target`, plus
/// `shapes` (JSON AST shape entries, comma-separated).
fn model_with_output_member(target: &str, shapes: &str) -> String {
    format!(
        r#"{{"smithy":"2.0","shapes":{{
"a.b#S":{{"type":"service","version":"1","operations":[{{"target":"a.b#Op"}}],
  "traits":{{"aws.api#service":{{"sdkId":"S","endpointPrefix":"s"}},"aws.auth#sigv4":{{"name":"s"}},"aws.protocols#restJson1":{{}}}}}},
"a.b#Op":{{"type":"operation","input":{{"target":"smithy.api#Unit"}},"output":{{"target":"a.b#Out"}},
  "traits":{{"smithy.api#http":{{"method":"GET","uri":"/","code":200}}}}}},
"a.b#Out":{{"type":"structure","members":{{"M":{{"target":"{target}"}}}}}},
{shapes}}}}}"#
    )
}

/// Resolves `text` with every operation, as `generate` does.
fn resolve(text: &str) -> Result<ir::Crate, String> {
    let model = parse_model(text, "regression").expect("the model parses");
    let options = ir::Options {
        crate_name: "regression".to_owned(),
        operations: Vec::new(),
    };
    ir::resolve(&model, &options).map_err(|e| e.to_string())
}

/// The error's message when `text` is refused.
fn resolve_error(text: &str) -> Option<String> {
    resolve(text).err()
}

#[test]
fn the_regression_model_itself_resolves() {
    // Guards the helper: with a plain list, the same model is accepted.
    let text = model_with_output_member(
        "a.b#L",
        r#""a.b#L":{"type":"list","member":{"target":"smithy.api#String"}}"#,
    );
    assert_eq!(resolve_error(&text), None);
}

/// Found by the `model` target: a list whose member targets the list itself made
/// `ir::resolve` recurse on the member's type without end; the stack overflowed and the
/// process aborted. Smithy only allows recursion through a structure or union, so the
/// model must be refused, naming the shape.
#[test]
#[ignore = "fuzz finding: ir::resolve overflows the stack on a list whose member targets itself"]
fn a_list_that_contains_itself_is_refused() {
    let text = model_with_output_member(
        "a.b#R",
        r#""a.b#R":{"type":"list","member":{"target":"a.b#R"}}"#,
    );
    let error = resolve_error(&text).expect("the model is refused");
    assert!(error.contains("a.b#R"), "{error}");
}

/// The same through a map's value.
#[test]
#[ignore = "fuzz finding: ir::resolve overflows the stack on a map whose value targets itself"]
fn a_map_that_contains_itself_is_refused() {
    let text = model_with_output_member(
        "a.b#R",
        r#""a.b#R":{"type":"map","key":{"target":"smithy.api#String"},"value":{"target":"a.b#R"}}"#,
    );
    let error = resolve_error(&text).expect("the model is refused");
    assert!(error.contains("a.b#R"), "{error}");
}

/// Found while probing the `model` target: a structure with a member targeting the
/// structure itself is accepted and rendered as `Option<R>` inside `R`, a type of
/// infinite size, so the generated crate does not compile. It must either be refused or
/// rendered with a box, as smithy-rs does (`Option<Box<R>>`).
#[test]
#[ignore = "fuzz finding: a self-recursive structure renders a field of infinite size"]
fn a_structure_that_contains_itself_is_boxed_or_refused() {
    let text = model_with_output_member(
        "a.b#R",
        r#""a.b#R":{"type":"structure","members":{"Me":{"target":"a.b#R"}}}"#,
    );
    let Ok(krate) = resolve(&text) else {
        return;
    };
    let files = chime_caps_codegen::render::render(&krate, "../runtime").expect("it renders");
    let structure = files
        .iter()
        .find(|f| f.path.ends_with("types/_r.rs"))
        .expect("a file for the structure");
    assert!(
        structure.contents.contains("Box<crate::types::R>"),
        "{}",
        structure.contents
    );
}
