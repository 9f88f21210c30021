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

/// Found reading `ir::resolve` while writing the `model` target, then by the target
/// itself (`fuzz/findings/model/list-member-targets-the-list.json`): a list whose member
/// targets the list itself made `ir::resolve` recurse on the member's type without end;
/// the stack overflowed and the process aborted. Smithy only allows recursion through a
/// structure or union, so the model must be refused, naming the shape.
#[test]
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
fn a_map_that_contains_itself_is_refused() {
    let text = model_with_output_member(
        "a.b#R",
        r#""a.b#R":{"type":"map","key":{"target":"smithy.api#String"},"value":{"target":"a.b#R"}}"#,
    );
    let error = resolve_error(&text).expect("the model is refused");
    assert!(error.contains("a.b#R"), "{error}");
}

/// The members of `krate`'s structures and unions that are boxed, as `Type$member`.
fn boxed(krate: &ir::Crate) -> Vec<String> {
    let members = krate.structures.iter().flat_map(|s| {
        s.members
            .iter()
            .filter(|m| m.boxed)
            .map(move |m| format!("{}${}", s.name, m.name))
    });
    let variants = krate.unions.iter().flat_map(|u| {
        u.variants
            .iter()
            .filter(|v| v.boxed)
            .map(move |v| format!("{}${}", u.name, v.name))
    });
    members.chain(variants).collect()
}

/// Found while probing the generator with hand-made `model` inputs: a structure with a
/// member targeting the structure itself was accepted and rendered as `Option<R>` inside
/// `R`, a type of infinite size, so the generated crate did not compile. Such a member is
/// boxed now (`Option<Box<R>>`), as in the official SDKs.
#[test]
fn a_structure_that_contains_itself_is_boxed() {
    let text = model_with_output_member(
        "a.b#R",
        r#""a.b#R":{"type":"structure","members":{"Me":{"target":"a.b#R"},"Name":{"target":"smithy.api#String"}}}"#,
    );
    assert_eq!(boxed(&resolve(&text).unwrap()), ["R$Me"]);
}

/// The same through a union and a second structure: one member of the cycle is boxed,
/// the one with the smallest shape id (`a.b#R$U` before `a.b#U$Back`), as the official
/// SDKs choose; with two ways back, each cycle loses one member.
#[test]
fn a_cycle_through_a_union_and_a_structure_boxes_its_smallest_member() {
    let text = model_with_output_member(
        "a.b#R",
        r#""a.b#R":{"type":"structure","members":{"U":{"target":"a.b#U"}}},
"a.b#U":{"type":"union","members":{"Back":{"target":"a.b#R"},"S":{"target":"smithy.api#String"}}}"#,
    );
    assert_eq!(boxed(&resolve(&text).unwrap()), ["R$U"]);
    let two_ways_back = model_with_output_member(
        "a.b#U",
        r#""a.b#U":{"type":"union","members":{"Pair":{"target":"a.b#P"},"S":{"target":"smithy.api#String"}}},
"a.b#P":{"type":"structure","members":{"Left":{"target":"a.b#U"},"Right":{"target":"a.b#U"}}}"#,
    );
    assert_eq!(
        boxed(&resolve(&two_ways_back).unwrap()),
        ["P$Left", "P$Right"]
    );
}

/// Recursion through a list is finite (the list holds its items on the heap) and stays
/// accepted.
#[test]
fn a_structure_that_holds_a_list_of_itself_resolves() {
    let text = model_with_output_member(
        "a.b#R",
        r#""a.b#R":{"type":"structure","members":{"Children":{"target":"a.b#Rs"}}},
"a.b#Rs":{"type":"list","member":{"target":"a.b#R"}}"#,
    );
    assert_eq!(resolve_error(&text), None);
}

/// The minimal model with `@deprecated(message: ...)` on its operation.
fn model_with_deprecated_operation(message: &str) -> String {
    let message = serde_json::to_string(message).expect("a string serializes");
    model_with_output_member("smithy.api#String", r#""a.b#Unused":{"type":"string"}"#).replacen(
        r#""traits":{"smithy.api#http""#,
        &format!(r#""traits":{{"smithy.api#deprecated":{{"message":{message}}},"smithy.api#http""#),
        1,
    )
}

/// The files of the crate `text` generates.
fn render(text: &str) -> Vec<chime_caps_codegen::File> {
    let krate = resolve(text).expect("the model resolves");
    let templates = chime_caps_codegen::render::registry().expect("the templates compile");
    chime_caps_codegen::render::render(&templates, &krate, "../runtime").expect("the crate renders")
}

/// Found while probing the generator with hand-made `model` inputs: model strings are
/// written into Rust string literals as they are (the templates do no escaping), so a
/// deprecation message with a quote ends the literal early: `#[deprecated(note = "Use
/// "Other" instead")]` still parses as tokens, but the generated crate does not compile.
#[test]
fn a_deprecation_message_with_quotes_is_one_string_literal() {
    let files = render(&model_with_deprecated_operation(r#"Use "Other" instead"#));
    let client = files
        .iter()
        .find(|f| f.path == "src/client.rs")
        .expect("a client file");
    assert!(
        client.contents.contains(r#"Use \"Other\" instead"#),
        "{}",
        client.contents
    );
}

/// The same with a crafted message: it closes the literal and the attribute, and the
/// generated client gains a function the model wrote. Model text must stay text.
#[test]
fn model_text_cannot_inject_code() {
    let files = render(&model_with_deprecated_operation(
        r#"x")] fn injected_by_the_model() {} #[deprecated(note = "y"#,
    ));
    for file in files.iter().filter(|f| f.path.ends_with(".rs")) {
        let tokens: proc_macro2::TokenStream = file.contents.parse().expect("rendered Rust lexes");
        assert!(
            !has_ident(tokens, "injected_by_the_model"),
            "{} holds code from the model:\n{}",
            file.path,
            file.contents
        );
    }
}

/// Whether `tokens` hold identifier `name` (text in literals and comments does not count).
fn has_ident(tokens: proc_macro2::TokenStream, name: &str) -> bool {
    tokens.into_iter().any(|token| match token {
        proc_macro2::TokenTree::Ident(ident) => ident == name,
        proc_macro2::TokenTree::Group(group) => has_ident(group.stream(), name),
        _ => false,
    })
}

/// The other model strings that are spelled in string literals (wire names, enum
/// values) cannot be escaped without changing what goes on the wire: a model that puts
/// literal syntax in one is refused, naming the member.
#[test]
fn an_enum_value_with_literal_syntax_is_refused() {
    let text = model_with_output_member(
        "a.b#E",
        r#""a.b#E":{"type":"enum","members":{"A":{"target":"smithy.api#Unit","traits":{"smithy.api#enumValue":"a\" => E::A, _ => {} } fn f() { \""}}}}"#,
    );
    let error = resolve_error(&text).expect("the model is refused");
    assert!(error.contains("a.b#E$A"), "{error}");
}

/// Member and shape names become Rust names and literals: they must be Smithy
/// identifiers.
#[test]
fn a_member_name_that_is_not_an_identifier_is_refused() {
    let text = model_with_output_member(
        "a.b#R",
        r#""a.b#R":{"type":"structure","members":{"x\"y":{"target":"smithy.api#String"}}}"#,
    );
    let error = resolve_error(&text).expect("the model is refused");
    assert!(
        error.contains("a.b#R") && error.contains("x\\\"y"),
        "{error}"
    );
}

/// Free text in a `//!` comment of the generated `lib.rs`: the service version. A line
/// break in it would end the comment and make the rest code.
#[test]
fn a_service_version_with_a_line_break_is_refused() {
    let text = model_with_output_member("smithy.api#String", r#""a.b#Unused":{"type":"string"}"#)
        .replacen(r#""version":"1""#, r#""version":"1\nfn injected() {}""#, 1);
    let error = resolve_error(&text).expect("the model is refused");
    assert!(error.contains("the service version"), "{error}");
}
