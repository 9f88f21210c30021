//! Each stage of the generator on its own: the JSON AST (`ast`), the resolved IR (`ir`)
//! on the kitchen-sink fixture and on the official Chime SDK Meetings model, the errors
//! for what the generator cannot render, and the rendering (`render`). `write`/`check`
//! have unit tests in `src/write.rs`; `generated_is_fresh.rs` and `compiles.rs` prove the
//! whole pipeline end to end.

use std::path::PathBuf;

use chime_caps_codegen::ir::{self, Crate, IrError, Member, Operation, Structure};
use chime_caps_codegen::{ast, generate_from_str, render, workspace_root, CodegenError, Settings};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------
// Inputs

fn kitchen_sink_text() -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kitchen_sink.json");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The official model beside the checkout (`../shared`), if this checkout has one.
fn official_text() -> Option<String> {
    let path = workspace_root().join("../shared/models/chime-sdk-meetings.json");
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(e) => {
            eprintln!(
                "skipping the official-model checks: {} is not readable ({e})",
                path.display()
            );
            None
        }
    }
}

fn options(crate_name: &str, operations: &[&str]) -> ir::Options {
    ir::Options {
        crate_name: crate_name.into(),
        operations: operations.iter().map(|s| s.to_string()).collect(),
    }
}

fn resolve_text(text: &str, operations: &[&str]) -> Result<Crate, IrError> {
    let model = ast::Model::from_json(text).expect("a JSON AST");
    ir::resolve(&model, &options("test-crate", operations))
}

fn kitchen() -> Crate {
    resolve_text(&kitchen_sink_text(), &[]).expect("the kitchen sink resolves")
}

fn op<'a>(krate: &'a Crate, name: &str) -> &'a Operation {
    krate
        .operations
        .iter()
        .find(|o| o.name == name)
        .unwrap_or_else(|| panic!("no operation {name}"))
}

fn member<'a>(s: &'a Structure, name: &str) -> &'a Member {
    s.members
        .iter()
        .find(|m| m.name == name)
        .unwrap_or_else(|| panic!("{} has no member {name}", s.name))
}

fn structure<'a>(krate: &'a Crate, name: &str) -> &'a Structure {
    krate
        .structures
        .iter()
        .chain(&krate.errors)
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no structure {name}"))
}

// ---------------------------------------------------------------------------------------
// Stage 1: the AST

#[test]
fn ast_reads_both_models_without_interpreting_them() {
    let model = ast::Model::from_json(&kitchen_sink_text()).unwrap();
    let kinds: std::collections::BTreeSet<&str> =
        model.shapes.values().map(ast::Shape::type_name).collect();
    for kind in [
        "service",
        "operation",
        "structure",
        "union",
        "enum",
        "intEnum",
        "list",
        "map",
        "string",
        "boolean",
        "byte",
        "short",
        "integer",
        "long",
        "float",
        "double",
        "bigInteger",
        "bigDecimal",
        "blob",
        "timestamp",
        "document",
    ] {
        assert!(kinds.contains(kind), "the kitchen sink has no {kind} shape");
    }
    // Member order is the model's.
    let ast::Shape::Structure(thing) = &model.shapes["example.kitchensink#Thing"] else {
        panic!("Thing is a structure")
    };
    assert_eq!(
        thing.members.keys().take(3).collect::<Vec<_>>(),
        ["Name", "type", "self"]
    );

    if let Some(text) = official_text() {
        let model = ast::Model::from_json(&text).unwrap();
        assert_eq!(model.smithy, "2.0");
        let operations = model
            .shapes
            .values()
            .filter(|s| s.type_name() == "operation")
            .count();
        assert_eq!(operations, 16);
    }
}

// ---------------------------------------------------------------------------------------
// Stage 2: the IR of the kitchen sink

#[test]
fn kitchen_sink_service_and_operations() {
    let k = kitchen();
    assert_eq!(k.crate_name, "test-crate");
    assert_eq!(k.lib_name, "test_crate");
    assert_eq!(k.service.sdk_id, "Kitchen Sink");
    assert_eq!(k.service.signing_name, "kitchensink");
    assert_eq!(k.service.endpoint_prefix, "kitchen-sink");
    assert_eq!(k.service.retry_partition, "kitchensink");
    let names: Vec<(&str, &str)> = k
        .operations
        .iter()
        .map(|o| (o.name.as_str(), o.snake.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("PutObject", "put_object"),
            ("CreateThing", "create_thing"),
            ("ListThings", "list_things"),
            ("Ping", "ping"),
            ("UpdateSettings", "update_settings"),
            ("GetBlob", "get_blob"),
            ("EchoText", "echo_text"),
            ("PutDocument", "put_document"),
        ]
    );
    let setters: Vec<&str> = k
        .endpoint_builtins
        .iter()
        .map(|b| b.setter.as_str())
        .collect();
    for setter in [
        "set_region",
        "set_use_fips",
        "set_use_dual_stack",
        "set_endpoint",
    ] {
        assert!(setters.contains(&setter), "{setters:?}");
    }
}

#[test]
fn kitchen_sink_http_bindings() {
    let k = kitchen();
    let put = op(&k, "PutObject");
    assert_eq!((put.method.as_str(), put.code), ("PUT", 200));
    // Path: literal, label, literal, greedy label.
    let parts: Vec<String> = put
        .path
        .iter()
        .map(|p| match (&p.literal, &p.label) {
            (Some(l), _) => l.clone(),
            (_, Some(l)) => format!("{{{}{}}}", l.field, if l.greedy { "+" } else { "" }),
            _ => unreachable!(),
        })
        .collect();
    assert_eq!(parts, ["/buckets/", "{bucket}", "/objects/", "{key+}"]);
    assert_eq!(put.query_literals.len(), 1);
    assert_eq!(
        (
            put.query_literals[0].key.as_str(),
            put.query_literals[0].value.as_str()
        ),
        ("x-id", "PutObject")
    );

    let input = &put.input;
    assert_eq!(input.name, "PutObjectInput");
    assert_eq!(input.module, "crate::operation::put_object");
    assert!(input.fallible_build);
    let binding = |name: &str| {
        let m = member(input, name);
        (m.binding.as_str(), m.location.as_str())
    };
    assert_eq!(binding("Bucket"), ("label", "Bucket"));
    assert_eq!(binding("Tags"), ("query", "tag"));
    assert_eq!(binding("Since"), ("query", "since"));
    assert_eq!(binding("Extra"), ("query_params", ""));
    assert_eq!(binding("Languages"), ("header", "x-languages"));
    assert_eq!(binding("Expires"), ("header", "Expires"));
    assert_eq!(binding("Metadata"), ("prefix_headers", "x-meta-"));
    assert_eq!(binding("Body"), ("payload", ""));
    // Every input member is optional, required or not.
    assert!(input.members.iter().all(|m| m.optional));
    // A query list sends one pair per item: `to_str` reads an item.
    let tags = member(input, "Tags");
    assert_eq!(tags.kind, "list");
    assert!(!tags.to_str.as_ref().unwrap().contains("join_list"));
    // A header list is one comma-joined header.
    assert!(member(input, "Languages")
        .to_str
        .as_ref()
        .unwrap()
        .contains("join_list"));
    // Timestamps: date-time in the query, http-date in headers unless the member says.
    assert!(member(input, "Since")
        .to_str
        .as_ref()
        .unwrap()
        .contains("Format::DateTime"));
    assert!(member(input, "Expires")
        .to_str
        .as_ref()
        .unwrap()
        .contains("Format::HttpDate"));
    assert!(member(input, "ModifiedAt")
        .to_str
        .as_ref()
        .unwrap()
        .contains("Format::DateTime"));
    // A string with @mediaType travels base64-encoded in a header.
    assert!(member(input, "Policy")
        .to_str
        .as_ref()
        .unwrap()
        .contains("base64::encode"));
    assert_eq!(member(input, "Extra").item_kind.as_deref(), Some("list"));
    assert_eq!(
        put.query_keys,
        ["tag", "version", "dry-run", "since", "color", "size", "ratio"]
    );

    // Blob payload; the member bound to Content-Type replaces the default content type.
    assert_eq!(put.request_body.kind, "payload_blob");
    assert_eq!(put.request_body.member.as_deref(), Some("body"));
    assert_eq!(put.request_body.content_type, None);
    assert_eq!(put.response_body.kind, "none");

    let output = &put.output;
    assert!(output.is_output);
    assert_eq!(member(output, "Status").binding, "response_code");
    assert!(member(output, "Status").from_str.is_some());
    // Required output members are plain values.
    let requested = member(output, "RequestedAt");
    assert!(!requested.optional);
    assert_eq!(requested.ty, "::aws_smithy_types::DateTime");
    assert_eq!(
        requested.serde,
        "skip, default = \"crate::protocol::corrected\""
    );
    assert!(member(output, "Policy")
        .from_str
        .as_ref()
        .unwrap()
        .contains("base64::decode"));

    // Errors: the operation's, then the service's; retryability from @retryable.
    let errors: Vec<(&str, Option<&str>)> = put
        .errors
        .iter()
        .map(|e| (e.variant.as_str(), e.retryable.as_deref()))
        .collect();
    assert_eq!(
        errors,
        [
            ("NotFound", None),
            ("Throttled", Some("throttling")),
            ("InternalFailure", Some("transient")),
            ("AccessDenied", None)
        ]
    );
    assert!(put.has_retryable_errors);
    assert_eq!(put.errors[0].is_fn, "is_not_found");
}

#[test]
fn kitchen_sink_bodies() {
    let k = kitchen();
    let create = op(&k, "CreateThing");
    assert_eq!(create.code, 201);
    assert_eq!(create.request_body.kind, "json");
    assert_eq!(
        create.request_body.content_type.as_deref(),
        Some("application/json")
    );
    assert_eq!(create.response_body.kind, "json");
    assert_eq!(create.idempotency_tokens, ["client_token"]);
    assert!(
        create.sensitive_output,
        "the output holds a @sensitive structure"
    );

    let ping = op(&k, "Ping");
    assert!(ping.input.members.is_empty() && ping.output.members.is_empty());
    assert_eq!(ping.request_body.kind, "none");
    assert_eq!(ping.response_body.kind, "none");
    assert_eq!(ping.code, 204);

    let settings = op(&k, "UpdateSettings");
    assert_eq!(settings.request_body.kind, "payload_json");
    assert_eq!(settings.response_body.kind, "payload_json");
    assert!(settings.response_body.optional);
    assert_eq!(settings.request_body.adapter, None);

    let blob = op(&k, "GetBlob");
    assert_eq!(blob.response_body.kind, "payload_blob");
    let echo = op(&k, "EchoText");
    assert_eq!(echo.request_body.kind, "payload_string");
    assert_eq!(
        echo.request_body.content_type.as_deref(),
        Some("text/plain")
    );
    let document = op(&k, "PutDocument");
    assert_eq!(document.request_body.kind, "payload_json");
    assert_eq!(
        document.request_body.adapter.as_deref(),
        Some("crate::protocol::wire::Doc")
    );
}

#[test]
fn kitchen_sink_members_types_and_optionality() {
    let k = kitchen();
    let thing = structure(&k, "Thing");
    assert_eq!(thing.module, "crate::types");
    assert!(thing.fallible_build, "Name is required without a default");
    let kinds: std::collections::BTreeSet<&str> =
        thing.members.iter().map(|m| m.kind.as_str()).collect();
    for kind in [
        "string",
        "bool",
        "int",
        "float",
        "big_number",
        "blob",
        "timestamp",
        "document",
        "enum",
        "int_enum",
        "union",
        "list",
        "map",
    ] {
        assert!(
            kinds.contains(kind),
            "Thing has no {kind} member: {kinds:?}"
        );
    }

    // Keywords.
    let ty = member(thing, "type");
    assert_eq!((ty.field.as_str(), ty.bare.as_str()), ("r#type", "type"));
    let this = member(thing, "self");
    assert_eq!(
        (this.field.as_str(), this.bare.as_str()),
        ("self_", "self_")
    );
    assert!(this.serde.starts_with("rename = \"self\""));

    // @jsonName renames the JSON key only.
    let display = member(thing, "Display");
    assert_eq!(
        (display.field.as_str(), display.wire_name.as_str()),
        ("display", "displayName")
    );
    assert!(display.serde.starts_with("rename = \"displayName\""));

    // Optionality outside inputs: required or defaulted members are plain values.
    let name = member(thing, "Name");
    assert!(!name.optional && name.build_required);
    assert!(member(thing, "Flag").optional);
    let defaults: Vec<(&str, &str)> = thing
        .members
        .iter()
        .filter_map(|m| Some((m.name.as_str(), m.default_expr.as_deref()?)))
        .collect();
    assert_eq!(
        defaults,
        [
            ("Note", "\"none\".to_owned()"),
            ("Retries", "3"),
            ("Enabled", "true"),
            ("Scale", "1.5_f64"),
            ("Mode", "crate::types::Color::from(\"green\")"),
            ("Level", "1"),
            ("Items", "::std::vec::Vec::new()"),
            ("Extras", "::std::collections::HashMap::new()"),
            ("Epoch", "::aws_smithy_types::DateTime::from_secs(0)"),
            (
                "Empty",
                "::aws_smithy_types::Blob::new(::std::vec::Vec::new())"
            ),
            ("Kept", "0"),
        ]
    );
    let note = member(thing, "Note");
    assert!(!note.optional);
    assert_eq!(note.default_fn.as_deref(), Some("__default_note"));
    assert!(
        note.serde.contains("default = \"Thing::__default_note\""),
        "{}",
        note.serde
    );
    // @default(null) removes the target's default; the target's default applies otherwise.
    assert!(member(thing, "Unset").optional);
    assert!(!member(thing, "Kept").optional);

    // Wire formats.
    let serde = |name: &str| member(thing, name).serde.clone();
    assert!(serde("CreatedAt").contains("wire::EpochSeconds"));
    assert!(serde("UpdatedAt").contains("wire::DateTimeFormat"));
    assert!(serde("ExpiresAt").contains("wire::HttpDate"));
    assert!(
        serde("Moments").contains("wire::DateTimeFormat"),
        "list items keep their format"
    );
    assert!(serde("Data").contains("wire::Base64"));
    assert!(serde("Attributes").contains("wire::Doc"));
    assert!(serde("Huge").contains("wire::Big"));
    assert!(serde("Weight").contains("wire::Float"));
    assert_eq!(member(thing, "Priority").ty, "::std::option::Option<i32>");

    // Output: required → plain, @clientOptional → optional, @default(null) → optional.
    let out = &op(&k, "CreateThing").output;
    assert!(!member(out, "Thing").optional);
    assert!(!member(out, "Created").optional);
    assert!(member(out, "Id").optional, "@clientOptional");
    assert!(member(out, "Count").optional, "@default(null)");
    assert!(member(out, "Secret").sensitive);

    // A @sensitive structure redacts every member.
    let secret = structure(&k, "Secret");
    assert!(secret.sensitive && secret.has_sensitive);
    assert!(secret.members.iter().all(|m| m.sensitive));
    // A @sensitive member redacts itself.
    assert!(member(&op(&k, "CreateThing").input, "Password").sensitive);
}

#[test]
fn kitchen_sink_enums_unions_errors_and_pagination() {
    let k = kitchen();
    let variants = |name: &str| -> Vec<(String, String)> {
        let e = k.enums.iter().find(|e| e.name == name).unwrap();
        e.variants
            .iter()
            .map(|v| (v.name.clone(), v.value.clone()))
            .collect()
    };
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    };
    assert_eq!(
        variants("Color"),
        pairs(&[
            ("Red", "red"),
            ("Green", "green"),
            ("UnknownValue", "unknown")
        ])
    );
    assert_eq!(variants("Priority"), pairs(&[("LOW", "1"), ("HIGH", "2")]));
    assert!(
        k.enums
            .iter()
            .find(|e| e.name == "Priority")
            .unwrap()
            .int_enum
    );
    // The legacy @enum trait: named by `name`, else by the value.
    assert_eq!(
        variants("Size"),
        pairs(&[("Small", "small"), ("XLarge", "x-large")])
    );

    let shape = k.unions.iter().find(|u| u.name == "Shape").unwrap();
    let v: Vec<(&str, &str, &str)> = shape
        .variants
        .iter()
        .map(|v| {
            (
                v.variant.as_str(),
                v.field.as_str(),
                v.variant_serde.as_str(),
            )
        })
        .collect();
    assert_eq!(v[0], ("Circle", "circle", "rename = \"Circle\""));
    assert!(
        v.contains(&("Type", "r#type", "rename = \"kind\"")),
        "{v:?}"
    );
    assert!(v.iter().any(|(n, _, s)| *n == "When"
        && s.contains("serialize::<_, crate::protocol::wire::DateTimeFormat, _>")));
    assert!(shape.has_sensitive && !shape.sensitive);
    assert!(shape.checks.iter().any(|c| c.variant == "Sides"));

    let throttled = structure(&k, "Throttled");
    assert_eq!(throttled.module, "crate::types::error");
    let info = throttled.error.as_ref().unwrap();
    assert_eq!(
        (
            info.fault.as_str(),
            info.status,
            info.retryable.as_deref(),
            info.message_field.as_deref()
        ),
        ("client", Some(429), Some("throttling"), Some("message"))
    );
    assert_eq!(member(throttled, "RetryAfterSeconds").binding, "header");
    assert!(
        member(throttled, "RetryAfterSeconds").optional,
        "error members are optional"
    );
    assert_eq!(
        structure(&k, "InternalFailure")
            .error
            .as_ref()
            .unwrap()
            .fault,
        "server"
    );

    // @paginated merges the service's defaults with the operation's `items`.
    let p = op(&k, "ListThings").paginated.as_ref().unwrap();
    assert_eq!(p.input_token, "next_token");
    assert_eq!(p.output_token, "page.next_token.as_ref()");
    let size = p.page_size.as_ref().unwrap();
    assert_eq!(
        (size.field.as_str(), size.ty.as_str()),
        ("max_results", "i32")
    );
    let items = p.items.as_ref().unwrap();
    assert_eq!(items.expr, "page.things.unwrap_or_default()");
    assert_eq!(items.ty, "crate::types::ThingSummary");
    assert!(op(&k, "CreateThing").paginated.is_none());
}

#[test]
fn kitchen_sink_patterns() {
    let k = kitchen();
    let checked: Vec<&str> = k.patterns.iter().map(|p| p.regex.as_str()).collect();
    assert!(checked.contains(&"^[A-Za-z][A-Za-z0-9_-]*$"), "{checked:?}");
    assert!(checked.contains(&"^[a-z0-9][a-z0-9.-]*$"), "{checked:?}");
    assert!(k
        .patterns
        .iter()
        .all(|p| p.ident.starts_with("PATTERN_") && p.reason.is_none()));
    assert_eq!(k.unchecked_patterns.len(), 1);
    let tenant = &k.unchecked_patterns[0];
    assert!(tenant.regex.contains("(?!"));
    assert!(tenant.reason.as_deref().is_some_and(|r| !r.is_empty()));
    // The unchecked pattern's member keeps its length check and skips the pattern.
    let create = op(&k, "CreateThing");
    let checks = create.input.checks.join("\n");
    let tenant = &checks[checks.find("\"Tenant\"").unwrap()..];
    let tenant = &tenant[..tenant.find("match").unwrap_or(tenant.len())];
    assert!(tenant.contains("check_length"), "{tenant}");
    assert!(!tenant.contains("check_pattern"), "{tenant}");
    assert!(
        checks.contains("check_pattern"),
        "Name's pattern is checked: {checks}"
    );
}

// ---------------------------------------------------------------------------------------
// Stage 2: the IR of the official model

#[test]
fn official_model_resolves_completely() {
    let Some(text) = official_text() else { return };
    let k = resolve_text(&text, &[]).expect("the complete official model resolves");
    assert_eq!(k.operations.len(), 16);
    assert_eq!(k.service.signing_name, "chime");
    assert_eq!(k.service.endpoint_prefix, "meetings-chime");
    assert_eq!(k.service.sdk_id, "Chime SDK Meetings");

    let update = op(&k, "UpdateAttendeeCapabilities");
    assert_eq!(update.snake, "update_attendee_capabilities");
    assert_eq!(update.method, "PUT");
    let labels: Vec<&str> = update
        .path
        .iter()
        .filter_map(|p| p.label.as_ref().map(|l| l.field.as_str()))
        .collect();
    assert_eq!(labels, ["meeting_id", "attendee_id"]);
    assert_eq!(update.request_body.kind, "json");
    assert!(update
        .errors
        .iter()
        .any(|e| e.variant == "BadRequestException"));
    let unavailable = update
        .errors
        .iter()
        .find(|e| e.variant == "ServiceUnavailableException")
        .unwrap();
    assert_eq!(unavailable.code, "ServiceUnavailableException");

    let batch = op(&k, "BatchUpdateAttendeeCapabilitiesExcept");
    assert_eq!(batch.query_literals[0].key, "operation");

    let create = op(&k, "CreateMeeting");
    assert_eq!(create.idempotency_tokens, ["client_request_token"]);
    let list = op(&k, "ListAttendees");
    let p = list.paginated.as_ref().expect("ListAttendees is paginated");
    assert_eq!(p.input_token, "next_token");
    assert!(p.items.is_none());
    assert_eq!(
        member(&list.input, "MaxResults").binding,
        "query",
        "page size in the query"
    );

    let unavailable = structure(&k, "ServiceUnavailableException");
    let retry_after = member(unavailable, "RetryAfterSeconds");
    assert_eq!(
        (retry_after.binding.as_str(), retry_after.location.as_str()),
        ("header", "Retry-After")
    );
    assert_eq!(unavailable.error.as_ref().unwrap().status, Some(503));

    // TenantId uses look-ahead and a back-reference: reported, not compiled.
    assert!(
        k.unchecked_patterns.iter().any(|p| p.regex.contains("(?!")),
        "TenantId is unchecked"
    );
    assert!(k.patterns.iter().all(|p| !p.regex.contains("(?!")));
    assert!(!k.patterns.is_empty());

    let setters: Vec<&str> = k
        .endpoint_builtins
        .iter()
        .map(|b| b.setter.as_str())
        .collect();
    assert_eq!(setters.len(), 4, "{setters:?}");

    // A subset keeps only what those operations reach.
    let subset = resolve_text(&text, &["GetAttendee"]).unwrap();
    assert_eq!(subset.operations.len(), 1);
    assert!(subset.structures.len() < k.structures.len());
}

// ---------------------------------------------------------------------------------------
// Stage 2: what the generator refuses, with the shape and the trait named

/// A small valid model: one GET operation with a label, a blob output member.
fn minimal() -> Value {
    let sink: Value = serde_json::from_str(&kitchen_sink_text()).unwrap();
    let rules = sink["shapes"]["example.kitchensink#KitchenSink"]["traits"]
        ["smithy.rules#endpointRuleSet"]
        .clone();
    json!({
        "smithy": "2.0",
        "shapes": {
            "t#Svc": {
                "type": "service",
                "version": "1",
                "operations": [{"target": "t#Get"}],
                "traits": {
                    "aws.protocols#restJson1": {},
                    "aws.auth#sigv4": {"name": "t"},
                    "aws.api#service": {"sdkId": "T"},
                    "smithy.rules#endpointRuleSet": rules
                }
            },
            "t#Get": {
                "type": "operation",
                "input": {"target": "t#GetInput"},
                "output": {"target": "t#GetOutput"},
                "traits": {"smithy.api#http": {"method": "GET", "uri": "/things/{Id}", "code": 200}}
            },
            "t#GetInput": {
                "type": "structure",
                "members": {
                    "Id": {"target": "smithy.api#String", "traits": {"smithy.api#httpLabel": {}, "smithy.api#required": {}}}
                }
            },
            "t#GetOutput": {
                "type": "structure",
                "members": {"Data": {"target": "t#Data"}}
            },
            "t#Data": {"type": "blob"}
        }
    })
}

fn resolve_value(model: &Value, operations: &[&str]) -> Result<Crate, IrError> {
    resolve_text(&model.to_string(), operations)
}

fn error_of(model: &Value) -> String {
    match resolve_value(model, &[]) {
        Ok(_) => panic!("the model should be refused"),
        Err(e) => e.to_string(),
    }
}

fn assert_names(message: &str, shape: &str, trait_id: Option<&str>) {
    assert!(
        message.contains(shape),
        "`{message}` does not name `{shape}`"
    );
    if let Some(t) = trait_id {
        assert!(message.contains(t), "`{message}` does not name `{t}`");
    }
}

#[test]
fn the_minimal_model_resolves() {
    let k = resolve_value(&minimal(), &[]).unwrap();
    assert_eq!(k.operations.len(), 1);
    assert_eq!(k.operations[0].output.members[0].kind, "blob");
}

#[test]
fn members_named_like_generated_methods_get_a_suffix() {
    let mut m = minimal();
    m["shapes"]["t#GetInput"]["members"]["Send"] =
        json!({"target": "smithy.api#String", "traits": {"smithy.api#httpQuery": "send"}});
    m["shapes"]["t#GetOutput"]["members"]["Builder"] = json!({"target": "smithy.api#String"});
    let k = resolve_value(&m, &[]).unwrap();
    let get = &k.operations[0];
    assert_eq!(member(&get.input, "Send").field, "send_value");
    assert_eq!(member(&get.output, "Builder").field, "builder_value");
    assert_eq!(member(&get.output, "Data").field, "data");
}

#[test]
fn an_unknown_member_target_names_the_member() {
    let mut m = minimal();
    m["shapes"]["t#GetOutput"]["members"]["Data"]["target"] = json!("t#Missing");
    let e = error_of(&m);
    assert_names(&e, "t#GetOutput$Data", None);
    assert_names(&e, "t#Missing", None);
}

#[test]
fn a_label_without_a_uri_placeholder_is_refused() {
    let mut m = minimal();
    m["shapes"]["t#Get"]["traits"]["smithy.api#http"]["uri"] = json!("/things");
    assert_names(&error_of(&m), "t#GetInput$Id", Some("smithy.api#httpLabel"));

    // And the other way round: a placeholder without a label member.
    let mut m = minimal();
    m["shapes"]["t#Get"]["traits"]["smithy.api#http"]["uri"] = json!("/things/{Id}/{Other}");
    assert_names(&error_of(&m), "t#Get", Some("smithy.api#httpLabel"));
}

#[test]
fn a_label_must_be_required() {
    let mut m = minimal();
    m["shapes"]["t#GetInput"]["members"]["Id"]["traits"]
        .as_object_mut()
        .unwrap()
        .remove("smithy.api#required");
    assert_names(&error_of(&m), "t#GetInput$Id", Some("smithy.api#httpLabel"));
}

#[test]
fn a_streaming_blob_is_refused() {
    let mut m = minimal();
    m["shapes"]["t#Data"]["traits"] = json!({"smithy.api#streaming": {}});
    assert_names(&error_of(&m), "t#Data", Some("smithy.api#streaming"));
}

#[test]
fn other_unrenderable_constructs_are_refused() {
    // A header that cannot hold its value.
    let mut m = minimal();
    m["shapes"]["t#GetOutput"]["members"]["Data"]["traits"] =
        json!({"smithy.api#httpHeader": "x-data"});
    m["shapes"]["t#Data"] = json!({"type": "document"});
    assert_names(
        &error_of(&m),
        "t#GetOutput$Data",
        Some("smithy.api#httpHeader"),
    );

    // A sparse list.
    let mut m = minimal();
    m["shapes"]["t#Data"] = json!({"type": "list", "member": {"target": "smithy.api#String"}, "traits": {"smithy.api#sparse": {}}});
    assert_names(&error_of(&m), "t#Data", Some("smithy.api#sparse"));

    // A host prefix.
    let mut m = minimal();
    m["shapes"]["t#Get"]["traits"]["smithy.api#endpoint"] = json!({"hostPrefix": "data."});
    assert_names(&error_of(&m), "t#Get", Some("smithy.api#endpoint"));

    // An enum default that is not one of its values.
    let mut m = minimal();
    m["shapes"]["t#Data"] = json!({"type": "enum", "members": {"A": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "a"}}}});
    m["shapes"]["t#GetOutput"]["members"]["Data"]["traits"] = json!({"smithy.api#default": "A"});
    assert_names(
        &error_of(&m),
        "t#GetOutput$Data",
        Some("smithy.api#default"),
    );

    // A default that does not fit the type.
    let mut m = minimal();
    m["shapes"]["t#GetOutput"]["members"]["Data"] =
        json!({"target": "smithy.api#Integer", "traits": {"smithy.api#default": "three"}});
    assert_names(
        &error_of(&m),
        "t#GetOutput$Data",
        Some("smithy.api#default"),
    );

    // A payload beside body members.
    let mut m = minimal();
    m["shapes"]["t#GetOutput"]["members"]["Data"]["traits"] = json!({"smithy.api#httpPayload": {}});
    m["shapes"]["t#GetOutput"]["members"]["More"] = json!({"target": "smithy.api#String"});
    assert_names(
        &error_of(&m),
        "t#GetOutput$Data",
        Some("smithy.api#httpPayload"),
    );

    // A pattern on a number.
    let mut m = minimal();
    m["shapes"]["t#GetInput"]["members"]["N"] =
        json!({"target": "smithy.api#Integer", "traits": {"smithy.api#pattern": "^1$"}});
    assert_names(&error_of(&m), "t#GetInput$N", Some("smithy.api#pattern"));

    // Two members with one Rust field.
    let mut m = minimal();
    m["shapes"]["t#GetOutput"]["members"]["data"] = json!({"target": "smithy.api#String"});
    assert_names(&error_of(&m), "t#GetOutput$data", None);

    // Two shapes with one Rust type name.
    let mut m = minimal();
    m["shapes"]["t#Data"] =
        json!({"type": "structure", "members": {"Inner": {"target": "u#Data"}}});
    m["shapes"]["u#Data"] = json!({"type": "structure", "members": {}});
    let e = error_of(&m);
    assert_names(&e, "t#Data", None);
    assert_names(&e, "u#Data", None);

    // Pagination tokens that do not exist.
    let mut m = minimal();
    m["shapes"]["t#Get"]["traits"]["smithy.api#paginated"] =
        json!({"inputToken": "Token", "outputToken": "Token"});
    assert_names(&error_of(&m), "t#Get", Some("smithy.api#paginated"));
}

#[test]
fn an_input_structure_used_as_a_member_is_a_type_too() {
    // Without the @input trait a structure can be an input and a member target.
    let mut m = minimal();
    m["shapes"]["t#GetOutput"]["members"]["Echo"] = json!({"target": "t#GetInput"});
    let k = resolve_value(&m, &[]).unwrap();
    assert_eq!(k.operations[0].input.name, "GetInput");
    let nested = structure(&k, "GetInput");
    assert_eq!(nested.module, "crate::types");
    assert_eq!(
        member(nested, "Id").binding,
        "body",
        "HTTP bindings mean nothing nested"
    );
    assert!(!member(nested, "Id").optional);
}

#[test]
fn only_restjson1_services_are_generated() {
    let mut m = minimal();
    let traits = m["shapes"]["t#Svc"]["traits"].as_object_mut().unwrap();
    traits.remove("aws.protocols#restJson1");
    traits.insert("aws.protocols#awsJson1_1".into(), json!({}));
    assert_names(&error_of(&m), "t#Svc", Some("aws.protocols#restJson1"));
}

#[test]
fn one_service_per_model() {
    let mut m = minimal();
    let svc = m["shapes"]["t#Svc"].clone();
    m["shapes"]["t#Other"] = svc;
    let e = error_of(&m);
    assert!(matches!(
        resolve_value(&m, &[]),
        Err(IrError::ManyServices(_))
    ));
    assert_names(&e, "t#Svc", None);
    assert_names(&e, "t#Other", None);

    let mut m = minimal();
    m["shapes"].as_object_mut().unwrap().remove("t#Svc");
    assert!(matches!(resolve_value(&m, &[]), Err(IrError::NoService)));
}

#[test]
fn unknown_operations_in_the_options_are_named() {
    let e = resolve_value(&minimal(), &["Get", "Gte"]).unwrap_err();
    let text = e.to_string();
    assert!(matches!(e, IrError::UnknownOperation(..)));
    assert!(
        text.contains("Gte") && text.contains("known operations: Get"),
        "{text}"
    );
}

#[test]
fn model_errors_surface_through_generate() {
    let settings = Settings {
        model: "unused.json".into(),
        out: "unused".into(),
        crate_name: "x".into(),
        operations: vec![],
    };
    let err = generate_from_str("{", "broken.json", &settings).unwrap_err();
    assert!(matches!(err, CodegenError::Parse { .. }));
    assert!(err.to_string().contains("broken.json"));
    let mut m = minimal();
    m["shapes"]["t#Data"]["traits"] = json!({"smithy.api#streaming": {}});
    let err = generate_from_str(&m.to_string(), "m.json", &settings).unwrap_err();
    assert!(matches!(err, CodegenError::Ir(_)));
}

// ---------------------------------------------------------------------------------------
// Stage 3: rendering

#[test]
fn strict_mode_catches_a_missing_field() {
    let mut hb = render::registry().unwrap();
    hb.register_template_string("tiny", "pub struct {{name}};\nconst X: u8 = {{missing}};")
        .unwrap();
    assert_eq!(
        hb.render("tiny", &json!({"name": "A", "missing": 1}))
            .unwrap(),
        "pub struct A;\nconst X: u8 = 1;"
    );
    let err = hb.render("tiny", &json!({"name": "A"})).unwrap_err();
    assert!(err.to_string().contains("missing"), "{err}");
    // No HTML escaping: Rust is full of `<`, `>` and `&`.
    assert_eq!(
        hb.render("tiny", &json!({"name": "A", "missing": "<&'\">"}))
            .unwrap(),
        "pub struct A;\nconst X: u8 = <&'\">;"
    );
}

fn settings(crate_name: &str) -> Settings {
    Settings {
        model: "in-memory".into(),
        out: "unused".into(),
        crate_name: crate_name.into(),
        operations: vec![],
    }
}

fn assert_rendered(files: &[chime_caps_codegen::File], what: &str) {
    assert!(files.iter().any(|f| f.path == "Cargo.toml"));
    assert!(files.iter().any(|f| f.path == "src/lib.rs"));
    for f in files {
        if f.path.ends_with(".rs") {
            assert!(
                f.contents.starts_with(render::NOTICE),
                "{what}: {} does not start with the notice",
                f.path
            );
            syn::parse_file(&f.contents)
                .unwrap_or_else(|e| panic!("{what}: {} is not valid Rust: {e}", f.path));
        } else {
            assert!(
                f.contents.starts_with("# @generated"),
                "{what}: {} does not start with a @generated notice",
                f.path
            );
        }
        assert!(f.contents.contains("@generated"));
    }
}

#[test]
fn every_file_is_notice_first_and_valid_rust() {
    let text = kitchen_sink_text();
    let files = generate_from_str(&text, "kitchen_sink.json", &settings("kitchen-sink")).unwrap();
    assert_rendered(&files, "kitchen sink");
    // One module per operation, a paginator for the paginated one, the crate-level error.
    let file = |p: &str| &files.iter().find(|f| f.path == p).unwrap().contents;
    assert!(file("src/operation/list_things.rs").contains("pub fn into_paginator("));
    assert!(file("src/operation/list_things.rs").contains("pub struct ListThingsPaginatorItems"));
    assert!(!file("src/operation/get_blob.rs").contains("into_paginator"));
    assert!(file("src/error.rs").contains("pub enum Error {"));
    assert!(file("src/lib.rs").contains("pub use error::Error;"));
    assert!(file("Cargo.toml").contains("name = \"kitchen-sink\""));
    assert!(
        file("src/lib.rs").contains("(?!"),
        "unchecked patterns are listed in the docs"
    );
    // Generation is deterministic.
    assert_eq!(
        files,
        generate_from_str(&text, "kitchen_sink.json", &settings("kitchen-sink")).unwrap()
    );

    if let Some(text) = official_text() {
        let files = generate_from_str(&text, "official", &settings("official")).unwrap();
        assert_rendered(&files, "official model");
        assert_eq!(
            files
                .iter()
                .filter(|f| f.path.starts_with("src/operation/"))
                .count(),
            16
        );
    }
}

#[test]
fn committed_settings_generate_in_memory() {
    let settings = Settings::load(workspace_root()).unwrap();
    let files = chime_caps_codegen::generate(&settings).unwrap();
    assert_rendered(&files, "generated/");
}
