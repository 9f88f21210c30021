//! The typed IR (`chime_caps_codegen::ir`): what the resolver decides about the API, as
//! typed values, and every construct it refuses, with the shape and trait named.
//!
//! The kitchen sink shows each decision on a realistic model; a minimal model edited one
//! way at a time shows each refusal and each nullability rule. How the IR reads as Rust
//! is the snapshot's job (`snapshot.rs`); that it builds is `compiles.rs`'.

use crate::support;
use crate::support::lookup::{member, op, structure};

use chime_caps_codegen::ir::{
    self, Auth, Binding, Body, Bounds, Crate, DefaultValue, IrError, Member, PageItems,
    PathSegment, PayloadKind, Retryable, Role, Structure, TimestampFormat, Type,
};
use chime_caps_codegen::{generate_from_str, parse_model, render, CodegenError, Settings};
use serde_json::{json, Value};

// ---------------------------------------------------------------------------------------
// Helpers

fn resolve_text(text: &str, operations: &[&str]) -> Result<Crate, IrError> {
    let model = parse_model(text, "test model").expect("the model parses and upgrades");
    let options = ir::Options {
        crate_name: "test-crate".into(),
        operations: operations.iter().map(|s| s.to_string()).collect(),
    };
    ir::resolve(&model, &options)
}

fn kitchen_sink_text() -> String {
    std::fs::read_to_string(support::kitchen_sink_model()).expect("the kitchen sink is readable")
}

fn kitchen() -> Crate {
    resolve_text(&kitchen_sink_text(), &[]).expect("the kitchen sink resolves")
}

fn structure_type(name: &str) -> Type {
    Type::Structure {
        name: name.into(),
        error: false,
    }
}

/// A small valid model: one `GET /things/{Id}` operation whose output has one blob.
fn minimal() -> Value {
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
                    "aws.api#service": {"sdkId": "T", "endpointPrefix": "t"}
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
            "t#GetOutput": {"type": "structure", "members": {"Data": {"target": "t#Data"}}},
            "t#Data": {"type": "blob"}
        }
    })
}

/// The minimal model after `edit`.
fn edited(edit: impl FnOnce(&mut Value)) -> Value {
    let mut model = minimal();
    edit(&mut model);
    model
}

fn resolve(model: &Value) -> Result<Crate, IrError> {
    resolve_text(&model.to_string(), &[])
}

fn refusal(model: &Value) -> IrError {
    match resolve(model) {
        Ok(_) => panic!("the model should be refused"),
        Err(e) => e,
    }
}

/// The model is refused for `trait_id` on `shape`, and the message names both.
fn assert_trait_refused(model: &Value, shape: &str, trait_id: &str) {
    let err = refusal(model);
    let message = err.to_string();
    match &err {
        IrError::Trait {
            shape: s,
            trait_id: t,
            ..
        } if s == shape && t == trait_id => {}
        other => panic!("expected a refusal of `{trait_id}` on `{shape}`, got {other:?}"),
    }
    assert!(
        message.contains(shape) && message.contains(trait_id),
        "{message}"
    );
}

/// The model is refused because operation `operation` reaches `trait_id` on `shape`; the
/// message names all three and offers `--operations` with `supported` (or says nothing
/// can be generated).
fn assert_operation_refused(
    model: &Value,
    operation: &str,
    shape: &str,
    trait_id: &str,
    supported: &[&str],
) {
    let err = refusal(model);
    let message = err.to_string();
    let IrError::UnsupportedOperations {
        uses,
        supported: offered,
    } = &err
    else {
        panic!("expected `{operation}` to be refused for `{trait_id}`, got {err:?}");
    };
    assert!(
        uses.iter()
            .any(|u| u.operation == operation && u.shape == shape && u.trait_id == trait_id),
        "{uses:?}"
    );
    assert_eq!(offered, supported, "{message}");
    for part in [operation, shape, trait_id] {
        assert!(message.contains(part), "{part} is not named: {message}");
    }
    if supported.is_empty() {
        assert!(message.contains("no operation"), "{message}");
    } else {
        assert!(
            message.contains(&format!("--operations {}", supported.join(","))),
            "{message}"
        );
    }
}

/// The minimal model after `edit`, with a second operation `Ping` that reaches no blob.
fn edited_with_ping(edit: impl FnOnce(&mut Value)) -> Value {
    edited(|m| {
        m["shapes"]["t#Svc"]["operations"] = json!([{"target": "t#Get"}, {"target": "t#Ping"}]);
        m["shapes"]["t#Ping"] = json!({"type": "operation",
            "traits": {"smithy.api#http": {"method": "POST", "uri": "/ping", "code": 200}}});
        edit(m);
    })
}

/// The model is refused for `shape` (no single trait at fault); the message names it.
fn assert_shape_refused(model: &Value, shape: &str) -> String {
    let err = refusal(model);
    match &err {
        IrError::Shape { shape: s, .. } if s == shape => err.to_string(),
        other => panic!("expected a refusal of `{shape}`, got {other:?}"),
    }
}

/// The output member `Data` of the minimal model after `edit`.
fn output_data(edit: impl FnOnce(&mut Value)) -> Member {
    let krate = resolve(&edited(edit)).expect("the edited model resolves");
    member(&krate.operations[0].output, "Data").clone()
}

// ---------------------------------------------------------------------------------------
// The kitchen sink

#[test]
fn kitchen_sink_streams_a_video_each_way() {
    let k = kitchen();
    let upload = op(&k, "UploadVideo");
    assert!(upload.unsigned_payload && upload.input.holds_stream);
    assert!(
        matches!(&upload.request_body, Body::Payload(p)
            if p.kind == PayloadKind::ByteStream && p.field == "video" && p.content_type == "video/mp4"),
        "{:?}",
        upload.request_body
    );
    let download = op(&k, "DownloadVideo");
    assert!(!download.unsigned_payload && download.output.holds_stream);
    assert!(!download.input.holds_stream && !upload.output.holds_stream);
    assert!(
        matches!(&download.response_body, Body::Payload(p) if p.kind == PayloadKind::ByteStream),
        "{:?}",
        download.response_body
    );
}

#[test]
fn service_operations_and_crate_flags() {
    let k = kitchen();
    assert_eq!(
        (k.crate_name.as_str(), k.lib_name.as_str()),
        ("test-crate", "test_crate")
    );
    assert_eq!(k.service.sdk_id, "Kitchen Sink");
    assert_eq!(k.service.sdk_id_compact, "kitchensink");
    assert_eq!(k.service.signing_name, "kitchensink");
    let names: Vec<(&str, &str)> = k
        .operations
        .iter()
        .map(|o| (o.name.as_str(), o.snake.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("CreateThing", "create_thing"),
            ("DownloadVideo", "download_video"),
            ("EchoText", "echo_text"),
            ("GetBlob", "get_blob"),
            ("GetStatus", "get_status"),
            ("ListThings", "list_things"),
            ("Ping", "ping"),
            ("PutDocument", "put_document"),
            ("PutObject", "put_object"),
            ("UpdateSettings", "update_settings"),
            ("UploadVideo", "upload_video"),
        ],
        "sorted by name, whatever the service's order"
    );
    assert!(k.has_paginators && k.uses_idempotency_tokens && k.uses_byte_streams);
    assert_eq!(
        op(&k, "CreateThing").idempotency_token.as_deref(),
        Some("client_token")
    );
}

#[test]
fn http_bindings_path_and_query() {
    let k = kitchen();
    let put = op(&k, "PutObject");
    assert_eq!((put.method.as_str(), put.code), ("PUT", 200));
    let path: Vec<String> = put
        .path
        .iter()
        .map(|p| match p {
            PathSegment::Literal(text) => text.clone(),
            PathSegment::Label(l) => format!("{{{}{}}}", l.field, if l.greedy { "+" } else { "" }),
        })
        .collect();
    assert_eq!(path, ["/buckets/", "{bucket}", "/objects/", "{key+}"]);
    assert_eq!(put.query_literals, ["x-id=PutObject"]);

    let binding = |s: &Structure, name: &str| member(s, name).binding.clone();
    for (name, expected) in [
        ("Bucket", Binding::Label),
        ("Tags", Binding::Query("tag".into())),
        ("Since", Binding::Query("since".into())),
        ("Moments", Binding::Query("moment".into())),
        ("Level", Binding::Query("level".into())),
        ("Extra", Binding::QueryParams),
        ("Languages", Binding::Header("x-languages".into())),
        ("Expires", Binding::Header("Expires".into())),
        ("Metadata", Binding::PrefixHeaders("x-meta-".into())),
        ("Body", Binding::Payload),
    ] {
        assert_eq!(binding(&put.input, name), expected, "{name}");
    }
    assert_eq!(binding(&put.output, "Status"), Binding::ResponseCode);
    assert_eq!(
        binding(&put.output, "Checksum"),
        Binding::Header("x-checksum".into())
    );
    assert_eq!(
        binding(structure(&k, "Throttled"), "RetryAfterSeconds"),
        Binding::Header("Retry-After".into())
    );
    // A header timestamp keeps its own format; a string with @mediaType is marked.
    assert_eq!(
        member(&put.input, "ModifiedAt").ty,
        Type::Timestamp(Some(TimestampFormat::DateTime))
    );
    assert!(member(&put.input, "Policy").media_type);
    assert!(!member(&put.input, "ContentType").media_type);
}

#[test]
fn bodies_and_payloads() {
    let k = kitchen();
    let payload = |kind, field: &str, optional, content_type: &str| {
        (kind, field.to_owned(), optional, content_type.to_owned())
    };
    let of = |body: &Body| match body {
        Body::Payload(p) => Some((p.kind, p.field.clone(), p.optional, p.content_type.clone())),
        _ => None,
    };
    let put = op(&k, "PutObject");
    assert_eq!(
        of(&put.request_body),
        Some(payload(
            PayloadKind::Blob,
            "body",
            true,
            "application/octet-stream"
        ))
    );
    assert!(matches!(put.response_body, Body::Empty));
    let create = op(&k, "CreateThing");
    assert!(
        matches!(create.request_body, Body::Members)
            && matches!(create.response_body, Body::Members)
    );
    assert_eq!(create.code, 201);
    let ping = op(&k, "Ping");
    assert!(matches!(ping.request_body, Body::Empty) && matches!(ping.response_body, Body::Empty));
    assert!(ping.input.members.is_empty() && ping.input.fallible_build);
    assert_eq!(
        of(&op(&k, "UpdateSettings").response_body),
        Some(payload(
            PayloadKind::Json,
            "settings",
            true,
            "application/json"
        ))
    );
    assert_eq!(
        of(&op(&k, "EchoText").request_body),
        Some(payload(PayloadKind::Text, "text", true, "text/plain"))
    );
    assert_eq!(
        of(&op(&k, "PutDocument").request_body),
        Some(payload(
            PayloadKind::Json,
            "document",
            true,
            "application/json"
        ))
    );
}

#[test]
fn input_body_members_are_written_sorted_by_name_others_in_model_order() {
    let k = kitchen();
    let order = |s: &Structure| -> Vec<String> {
        s.body_order
            .iter()
            .map(|&i| s.members[i].name.clone())
            .collect()
    };
    let create = op(&k, "CreateThing");
    let model_order: Vec<&str> = create
        .input
        .members
        .iter()
        .map(|m| m.name.as_str())
        .collect();
    assert_eq!(
        model_order,
        [
            "ClientToken",
            "Name",
            "Thing",
            "Tenant",
            "Secret",
            "Password"
        ]
    );
    assert_eq!(
        order(&create.input),
        [
            "ClientToken",
            "Name",
            "Password",
            "Secret",
            "Tenant",
            "Thing"
        ]
    );
    assert_eq!(
        order(&create.output),
        ["Thing", "Created", "Count", "Id", "Secret"]
    );
    let thing = structure(&k, "Thing");
    assert_eq!(order(thing)[..3], ["Name", "type", "self"]);
    // Members bound elsewhere are not in the body.
    assert!(op(&k, "PutObject").input.body_order.is_empty());
}

#[test]
fn member_types_names_and_typed_defaults() {
    let k = kitchen();
    let thing = structure(&k, "Thing");
    let ty = |name: &str| member(thing, name).ty.clone();
    assert_eq!(ty("Tiny"), Type::Byte);
    assert_eq!(ty("Small"), Type::Short);
    assert_eq!(ty("Big"), Type::Long);
    assert_eq!(ty("Ratio"), Type::Float);
    assert_eq!(ty("Weight"), Type::Double);
    assert_eq!(ty("Huge"), Type::BigInteger);
    assert_eq!(ty("Precise"), Type::BigDecimal);
    assert_eq!(ty("Attributes"), Type::Document);
    assert_eq!(ty("CreatedAt"), Type::Timestamp(None));
    assert_eq!(
        ty("UpdatedAt"),
        Type::Timestamp(Some(TimestampFormat::DateTime))
    );
    assert_eq!(
        ty("ExpiresAt"),
        Type::Timestamp(Some(TimestampFormat::HttpDate))
    );
    assert_eq!(
        ty("Moments"),
        Type::List(Box::new(Type::Timestamp(Some(TimestampFormat::DateTime))))
    );
    assert_eq!(ty("Color"), Type::Enum("Color".into()));
    assert_eq!(ty("Priority"), Type::IntEnum("Priority".into()));
    assert_eq!(
        ty("Size"),
        Type::Enum("Size".into()),
        "@enum strings are enums"
    );
    assert_eq!(ty("Shape"), Type::Union("Shape".into()));
    assert_eq!(
        ty("Groups"),
        Type::Map(
            Box::new(Type::String),
            Box::new(Type::List(Box::new(Type::String)))
        )
    );
    assert_eq!(
        ty("Children"),
        Type::List(Box::new(structure_type("ThingSummary")))
    );

    // Keywords are escaped; @jsonName renames the JSON key only.
    let names = |name: &str| {
        let m = member(thing, name);
        (m.field.as_str(), m.json_name.as_str())
    };
    assert_eq!(names("type"), ("r#type", "type"));
    assert_eq!(names("self"), ("self_", "self"));
    assert_eq!(names("Display"), ("display", "displayName"));

    let defaults: Vec<(&str, &DefaultValue)> = thing
        .members
        .iter()
        .filter_map(|m| Some((m.name.as_str(), m.default.as_ref()?)))
        .collect();
    assert_eq!(
        defaults,
        [
            ("Note", &DefaultValue::String("none".into())),
            ("Retries", &DefaultValue::Integer(3)),
            ("Enabled", &DefaultValue::Bool(true)),
            ("Scale", &DefaultValue::Float(1.5)),
            ("Mode", &DefaultValue::EnumValue("green".into())),
            ("Level", &DefaultValue::Integer(1)),
            ("Items", &DefaultValue::EmptyList),
            ("Extras", &DefaultValue::EmptyMap),
            ("Epoch", &DefaultValue::EpochSeconds(0.0)),
            ("Empty", &DefaultValue::EmptyBlob),
            ("Kept", &DefaultValue::Integer(0)),
        ]
    );
    assert!(
        member(thing, "Unset").optional,
        "@default(null) removes the target's default"
    );
    assert!(thing.fallible_build, "Name is required without a default");
    assert!(!structure(&k, "Circle").members[0].optional);
}

#[test]
fn defaults_of_big_numbers_documents_and_timestamps_and_a_dropped_one() {
    let k = kitchen();
    let settings = structure(&k, "Settings");
    let default = |name: &str| member(settings, name).default.clone();
    assert_eq!(default("Fraction"), Some(DefaultValue::Float(0.25)));
    assert_eq!(
        default("Population"),
        Some(DefaultValue::BigNumber("10".into()))
    );
    assert_eq!(
        default("Precision"),
        Some(DefaultValue::BigNumber("1.5".into()))
    );
    assert_eq!(
        default("Defaults"),
        Some(DefaultValue::Document("{}".into()))
    );
    assert_eq!(default("Since"), Some(DefaultValue::EpochSeconds(1.5)));
    let cap = member(settings, "Cap");
    assert!(
        cap.optional && cap.default.is_none(),
        "0 is below PageSize's minimum"
    );
    let codes = member(settings, "Codes");
    assert!(!codes.optional && codes.required && settings.fallible_build);
    assert_eq!(member(settings, "Builder").field, "builder_value");
    assert_eq!(
        member(settings, "Sparse").ty,
        Type::SparseList(Box::new(Type::String))
    );
}

#[test]
fn checks_and_unchecked_patterns() {
    let k = kitchen();
    let thing = structure(&k, "Thing");
    let name = &member(thing, "Name").checks;
    assert_eq!(
        name.length,
        Some(Bounds {
            min: Some(1),
            max: Some(64)
        })
    );
    assert_eq!(name.pattern.as_deref(), Some("^[A-Za-z][A-Za-z0-9_-]*$"));
    assert_eq!(
        member(thing, "Count").checks.range,
        Some(Bounds {
            min: Some(0.0),
            max: Some(100.0)
        })
    );
    assert!(member(thing, "Shape").checks.nested);
    let children = &member(thing, "Children").checks;
    assert_eq!(
        children.length,
        Some(Bounds {
            min: None,
            max: Some(100)
        })
    );
    assert!(children.items.as_ref().is_some_and(|i| i.nested));
    assert!(member(thing, "Note").checks.is_empty());

    // A pattern the regex engine cannot compile is reported, not checked; the member
    // keeps its other checks.
    assert_eq!(k.unchecked_patterns.len(), 1, "{:?}", k.unchecked_patterns);
    let unchecked = &k.unchecked_patterns[0];
    assert!(unchecked.pattern.contains("(?!"), "{}", unchecked.pattern);
    assert!(!unchecked.reason.is_empty());
    let tenant = &member(&op(&k, "CreateThing").input, "Tenant").checks;
    assert_eq!(tenant.pattern, None);
    assert_eq!(
        tenant.length,
        Some(Bounds {
            min: Some(2),
            max: Some(256)
        })
    );
}

#[test]
fn sensitivity() {
    let k = kitchen();
    let secret = structure(&k, "Secret");
    assert!(secret.sensitive && secret.members.iter().all(|m| m.sensitive));
    let create = op(&k, "CreateThing");
    assert!(member(&create.input, "Password").sensitive);
    assert!(!member(&create.input, "Name").sensitive);
    assert!(
        create.sensitive_output,
        "the output holds a @sensitive structure"
    );
    assert!(!op(&k, "ListThings").sensitive_output);
    let telemetry: Vec<&str> = create
        .telemetry_members
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(
        telemetry,
        ["ClientToken", "Name", "Tenant"],
        "string members, but not the sensitive Password"
    );
}

#[test]
fn errors_of_operations_and_the_crate() {
    let k = kitchen();
    let errors: Vec<(&str, Option<Retryable>)> = op(&k, "PutObject")
        .errors
        .iter()
        .map(|e| (e.name.as_str(), e.retryable))
        .collect();
    assert_eq!(
        errors,
        [
            ("AccessDenied", None),
            ("InternalFailure", Some(Retryable::ServerError)),
            ("NotFound", None),
            ("Throttled", Some(Retryable::ThrottlingError)),
        ],
        "the operation's errors and the service's, sorted"
    );
    let not_found = &op(&k, "PutObject").errors[2];
    assert_eq!(
        (not_found.is_fn.as_str(), not_found.code.as_str()),
        ("is_not_found", "NotFound")
    );
    let crate_errors: Vec<&str> = k.all_errors.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        crate_errors,
        ["AccessDenied", "InternalFailure", "NotFound", "Throttled"]
    );
    assert_eq!(
        op(&k, "Ping").errors.len(),
        1,
        "service errors apply to every operation"
    );

    let throttled = structure(&k, "Throttled");
    assert_eq!(throttled.role, Role::Error);
    let info = throttled.error.as_ref().expect("an error trait");
    assert_eq!(
        (
            info.server_fault,
            info.status,
            info.retryable,
            info.message_field.as_deref()
        ),
        (
            false,
            Some(429),
            Some(Retryable::ThrottlingError),
            Some("message")
        )
    );
    assert!(
        structure(&k, "InternalFailure")
            .error
            .as_ref()
            .unwrap()
            .server_fault
    );
    assert!(member(throttled, "RetryAfterSeconds").optional);
}

#[test]
fn enums_int_enums_and_unions() {
    let k = kitchen();
    let variants = |name: &str| -> Vec<(String, String)> {
        let e = k.enums.iter().find(|e| e.name == name).expect("an enum");
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
            ("Green", "green"),
            ("Red", "red"),
            ("UnknownValue", "unknown")
        ]),
        "sorted by wire value like the official SDK (the model lists red first); \
         `Unknown` is kept for values the model does not list"
    );
    assert_eq!(
        variants("Size"),
        pairs(&[("Small", "small"), ("XLarge", "x-large")])
    );
    let sensitive = |name: &str| k.enums.iter().find(|e| e.name == name).unwrap().sensitive;
    assert!(
        sensitive("Size") && !sensitive("Color"),
        "`@sensitive` on an enum (its Debug is redacted)"
    );
    let priority = &k.int_enums[0];
    let values: Vec<(&str, i64)> = priority
        .values
        .iter()
        .map(|v| (v.name.as_str(), v.value))
        .collect();
    assert_eq!(
        (priority.name.as_str(), values),
        ("Priority", vec![("LOW", 1), ("HIGH", 2)])
    );

    let shape = k
        .unions
        .iter()
        .find(|u| u.name == "Shape")
        .expect("the union");
    let variant = |name: &str| shape.variants.iter().find(|v| v.name == name).unwrap();
    assert_eq!(variant("Circle").ty, Some(structure_type("Circle")));
    assert_eq!(variant("Nothing").ty, None, "a unit member");
    let kind = variant("type");
    assert_eq!(
        (
            kind.variant.as_str(),
            kind.snake.as_str(),
            kind.json_name.as_str()
        ),
        ("Type", "type", "kind")
    );
    assert_eq!(
        variant("When").ty,
        Some(Type::Timestamp(Some(TimestampFormat::DateTime)))
    );
    assert!(variant("Secret").sensitive && !shape.sensitive);
    assert_eq!(
        variant("Sides").checks.range,
        Some(Bounds {
            min: Some(3.0),
            max: None
        })
    );
}

#[test]
fn paginators_merge_the_service_defaults() {
    let k = kitchen();
    let p = op(&k, "ListThings")
        .paginated
        .as_ref()
        .expect("ListThings is paginated");
    assert_eq!(p.input_token, "next_token");
    let steps = |path: &[ir::PathStep]| -> Vec<(String, bool)> {
        path.iter().map(|s| (s.field.clone(), s.optional)).collect()
    };
    assert_eq!(steps(&p.output_token), [("next_token".to_owned(), true)]);
    assert_eq!(p.page_size, Some(("max_results".to_owned(), Type::Integer)));
    let PageItems { path, ty } = p.items.as_ref().expect("items");
    assert_eq!(steps(path), [("things".to_owned(), true)]);
    assert_eq!(ty, &Type::List(Box::new(structure_type("ThingSummary"))));
    assert!(op(&k, "CreateThing").paginated.is_none());
}

#[test]
fn a_subset_keeps_what_its_operations_reach_in_any_order() {
    let all = kitchen();
    let text = kitchen_sink_text();
    let subset = resolve_text(&text, &["ListThings"]).unwrap();
    let names = |k: &Crate| -> Vec<String> {
        k.structures
            .iter()
            .chain(&k.errors)
            .map(|s| s.name.clone())
            .collect()
    };
    assert_eq!(names(&subset), ["ThingSummary", "AccessDenied"]);
    assert_eq!(
        subset
            .enums
            .iter()
            .map(|e| e.name.as_str())
            .collect::<Vec<_>>(),
        ["Color"]
    );
    assert!(subset.unions.is_empty() && subset.int_enums.is_empty());
    assert!(!subset.uses_idempotency_tokens);
    let reordered =
        resolve_text(&text, &["UpdateSettings", "CreateThing", "UpdateSettings"]).unwrap();
    let forward = resolve_text(&text, &["CreateThing", "UpdateSettings"]).unwrap();
    assert_eq!(
        serde_json::to_value(&reordered).unwrap(),
        serde_json::to_value(&forward).unwrap(),
        "the operations' order and repetitions do not matter"
    );
    assert!(names(&forward).len() < names(&all).len());
}

// ---------------------------------------------------------------------------------------
// Nullability, as the official SDK decides it (CLIENT_CAREFUL)

#[test]
fn every_input_member_is_optional() {
    let k = resolve(&edited(|m| {
        m["shapes"]["t#GetInput"]["members"]["Count"] =
            json!({"target": "smithy.api#Integer", "traits": {"smithy.api#required": {}, "smithy.api#default": 1}});
    }))
    .unwrap();
    let input = &k.operations[0].input;
    assert!(input
        .members
        .iter()
        .all(|m| m.optional && m.default.is_none() && !m.required));
    assert!(input.fallible_build);
}

#[test]
fn required_or_defaulted_output_members_are_plain_values() {
    let required = output_data(|m| {
        m["shapes"]["t#GetOutput"]["members"]["Data"]["traits"] =
            json!({"smithy.api#required": {}});
    });
    assert!(!required.optional && required.required && required.default.is_none());

    let defaulted = output_data(|m| {
        m["shapes"]["t#GetOutput"]["members"]["Data"] =
            json!({"target": "smithy.api#Integer", "traits": {"smithy.api#default": 7}});
    });
    assert!(!defaulted.optional && !defaulted.required);
    assert_eq!(defaulted.default, Some(DefaultValue::Integer(7)));

    let plain = output_data(|_| {});
    assert!(plain.optional && plain.default.is_none());
}

#[test]
fn structures_unions_client_optional_and_null_defaults_stay_optional() {
    let structure_target = output_data(|m| {
        m["shapes"]["t#Data"] = json!({"type": "structure", "members": {}});
        m["shapes"]["t#GetOutput"]["members"]["Data"]["traits"] =
            json!({"smithy.api#required": {}});
    });
    assert!(structure_target.optional && !structure_target.required);

    let union_target = output_data(|m| {
        m["shapes"]["t#Data"] =
            json!({"type": "union", "members": {"A": {"target": "smithy.api#String"}}});
        m["shapes"]["t#GetOutput"]["members"]["Data"]["traits"] =
            json!({"smithy.api#required": {}});
    });
    assert!(union_target.optional);

    let client_optional = output_data(|m| {
        m["shapes"]["t#GetOutput"]["members"]["Data"]["traits"] =
            json!({"smithy.api#required": {}, "smithy.api#clientOptional": {}});
    });
    assert!(client_optional.optional && !client_optional.required);

    let null_default = output_data(|m| {
        m["shapes"]["t#Data"] = json!({"type": "integer", "traits": {"smithy.api#default": 0}});
        m["shapes"]["t#GetOutput"]["members"]["Data"]["traits"] =
            json!({"smithy.api#default": null});
    });
    assert!(null_default.optional && null_default.default.is_none());

    let target_default = output_data(|m| {
        m["shapes"]["t#Data"] = json!({"type": "integer", "traits": {"smithy.api#default": 0}});
    });
    assert_eq!(
        (target_default.optional, target_default.default),
        (false, Some(DefaultValue::Integer(0)))
    );
}

#[test]
fn a_default_outside_its_range_or_length_is_dropped() {
    let with = |target: Value, default: Value| {
        output_data(|m| {
            m["shapes"]["t#Data"] = target;
            m["shapes"]["t#GetOutput"]["members"]["Data"]["traits"] =
                json!({"smithy.api#default": default});
        })
    };
    let below_range = with(
        json!({"type": "integer", "traits": {"smithy.api#range": {"min": 1, "max": 50}}}),
        json!(0),
    );
    assert!(below_range.optional && below_range.default.is_none());
    let in_range = with(
        json!({"type": "integer", "traits": {"smithy.api#range": {"min": 1, "max": 50}}}),
        json!(10),
    );
    assert_eq!(
        (in_range.optional, in_range.default),
        (false, Some(DefaultValue::Integer(10)))
    );
    let too_short = with(
        json!({"type": "string", "traits": {"smithy.api#length": {"min": 2}}}),
        json!(""),
    );
    assert!(too_short.optional && too_short.default.is_none());
    let too_long = with(
        json!({"type": "list", "member": {"target": "smithy.api#String"}, "traits": {"smithy.api#length": {"max": 0}}}),
        json!([]),
    );
    assert!(!too_long.optional, "an empty list fits max 0");
}

#[test]
fn members_named_like_generated_methods_get_a_value_suffix() {
    let k = resolve(&edited(|m| {
        m["shapes"]["t#GetInput"]["members"]["Send"] =
            json!({"target": "smithy.api#String", "traits": {"smithy.api#httpQuery": "send"}});
        for name in ["Builder", "Meta", "Customize", "AsInput"] {
            m["shapes"]["t#GetOutput"]["members"][name] = json!({"target": "smithy.api#String"});
        }
    }))
    .unwrap();
    let get = &k.operations[0];
    assert_eq!(member(&get.input, "Send").field, "send_value");
    let fields: Vec<&str> = get
        .output
        .members
        .iter()
        .map(|m| m.field.as_str())
        .collect();
    assert_eq!(
        fields,
        [
            "data",
            "builder_value",
            "meta_value",
            "customize_value",
            "as_input_value"
        ]
    );
}

#[test]
fn sparse_collections_have_optional_items() {
    let data = output_data(|m| {
        m["shapes"]["t#Data"] = json!({"type": "list", "member": {"target": "smithy.api#String"}, "traits": {"smithy.api#sparse": {}}});
    });
    assert_eq!(data.ty, Type::SparseList(Box::new(Type::String)));
    let data = output_data(|m| {
        m["shapes"]["t#Data"] = json!({"type": "map", "key": {"target": "smithy.api#String"}, "value": {"target": "smithy.api#Integer"}, "traits": {"smithy.api#sparse": {}}});
    });
    assert_eq!(
        data.ty,
        Type::SparseMap(Box::new(Type::String), Box::new(Type::Integer))
    );
}

#[test]
fn a_structure_used_as_input_and_as_member_is_a_type_without_bindings() {
    let k = resolve(&edited(|m| {
        m["shapes"]["t#GetOutput"]["members"]["Echo"] = json!({"target": "t#GetInput"});
    }))
    .unwrap();
    assert_eq!(k.operations[0].input.name, "GetInput");
    let nested = structure(&k, "GetInput");
    assert_eq!(nested.role, Role::Plain);
    let id = member(nested, "Id");
    assert_eq!(
        id.binding,
        Binding::Body,
        "HTTP bindings mean nothing nested"
    );
    assert!(!id.optional && id.required);
}

// ---------------------------------------------------------------------------------------
// What the generator refuses

#[test]
fn a_label_without_a_uri_placeholder_is_refused() {
    let no_placeholder = edited(|m| {
        m["shapes"]["t#Get"]["traits"]["smithy.api#http"]["uri"] = json!("/things");
    });
    assert_trait_refused(&no_placeholder, "t#GetInput$Id", "smithy.api#httpLabel");
    // And the other way round: a placeholder without a label member.
    let no_member = edited(|m| {
        m["shapes"]["t#Get"]["traits"]["smithy.api#http"]["uri"] = json!("/things/{Id}/{Other}");
    });
    assert_trait_refused(&no_member, "t#Get", "smithy.api#httpLabel");
    let unclosed = edited(|m| {
        m["shapes"]["t#Get"]["traits"]["smithy.api#http"]["uri"] = json!("/things/{Id");
    });
    assert_trait_refused(&unclosed, "t#Get", "smithy.api#http");
}

#[test]
fn a_label_must_be_required() {
    let model = edited(|m| {
        m["shapes"]["t#GetInput"]["members"]["Id"]["traits"]
            .as_object_mut()
            .unwrap()
            .remove("smithy.api#required");
    });
    assert_trait_refused(&model, "t#GetInput$Id", "smithy.api#httpLabel");
}

/// `t#Data` made an event stream (a `@streaming` union).
fn event_stream(m: &mut Value) {
    m["shapes"]["t#Data"] = json!({"type": "union", "members": {"A": {"target": "smithy.api#String"}}, "traits": {"smithy.api#streaming": {}}});
}

#[test]
fn event_streams_are_refused_naming_the_operations_left() {
    assert_operation_refused(
        &edited(event_stream),
        "Get",
        "t#Data",
        "smithy.api#streaming",
        &[],
    );
    let with_ping = edited_with_ping(event_stream);
    assert_operation_refused(
        &with_ping,
        "Get",
        "t#Data",
        "smithy.api#streaming",
        &["Ping"],
    );
    let message = refusal(&with_ping).to_string();
    assert!(message.contains("an event stream"), "{message}");
    let ping_only = resolve_text(&with_ping.to_string(), &["Ping"]).expect("Ping alone resolves");
    assert_eq!(ping_only.operations.len(), 1);
}

#[test]
fn operations_with_checksums_or_required_endpoint_discovery_are_refused() {
    for (trait_id, value, what) in [
        (
            "smithy.api#httpChecksumRequired",
            json!({}),
            "a request checksum the service requires",
        ),
        (
            "aws.protocols#httpChecksum",
            json!({"requestValidationModeMember": "Mode", "responseAlgorithms": ["CRC32"]}),
            "request or response checksums",
        ),
        (
            "aws.api#clientDiscoveredEndpoint",
            json!({"required": true}),
            "an endpoint the client must discover first",
        ),
    ] {
        let add_trait = |m: &mut Value| {
            m["shapes"]["t#Get"]["traits"][trait_id] = value.clone();
        };
        assert_operation_refused(&edited(add_trait), "Get", "t#Get", trait_id, &[]);
        let with_ping = edited_with_ping(add_trait);
        assert_operation_refused(&with_ping, "Get", "t#Get", trait_id, &["Ping"]);
        let message = refusal(&with_ping).to_string();
        assert!(message.contains(what), "{message}");
        assert!(message.contains("--operations Ping"), "{message}");
    }
    // Endpoint discovery that the service does not require is left out, as by the
    // official crates unless it is turned on.
    let optional = edited(|m| {
        m["shapes"]["t#Get"]["traits"]["aws.api#clientDiscoveredEndpoint"] =
            json!({"required": false});
    });
    resolve(&optional).expect("optional endpoint discovery is not refused");
}

#[test]
fn a_streaming_blob_is_a_byte_stream_payload_and_nothing_else() {
    let streaming =
        |m: &mut Value| m["shapes"]["t#Data"]["traits"] = json!({"smithy.api#streaming": {}});
    // A body member: Smithy allows a stream only as a payload.
    assert_trait_refused(
        &edited(streaming),
        "t#GetOutput$Data",
        "smithy.api#streaming",
    );
    let listed = edited(|m| {
        streaming(m);
        m["shapes"]["t#GetOutput"]["members"]["Data"]["target"] = json!("t#DataList");
        m["shapes"]["t#DataList"] = json!({"type": "list", "member": {"target": "t#Data"}});
    });
    assert_trait_refused(&listed, "t#DataList", "smithy.api#streaming");
    let payload = edited(|m| {
        streaming(m);
        m["shapes"]["t#GetOutput"]["members"]["Data"]["traits"] =
            json!({"smithy.api#httpPayload": {}});
        m["shapes"]["t#Data"]["traits"]["smithy.api#mediaType"] = json!("video/mp4");
    });
    let krate = resolve(&payload).expect("a streaming payload resolves");
    let get = op(&krate, "Get");
    let data = member(&get.output, "Data");
    assert_eq!(
        (&data.ty, data.optional, &data.default),
        (&Type::ByteStream, false, &Some(DefaultValue::EmptyStream))
    );
    assert!(get.output.holds_stream && krate.uses_byte_streams);
    assert!(
        matches!(&get.response_body, Body::Payload(p)
            if p.kind == PayloadKind::ByteStream && p.content_type == "video/mp4"),
        "{:?}",
        get.response_body
    );
    assert!(!get.unsigned_payload);
    let unsigned = edited(|m| {
        m["shapes"]["t#Get"]["traits"]["aws.auth#unsignedPayload"] = json!({});
    });
    assert!(op(&resolve(&unsigned).unwrap(), "Get").unsigned_payload);
}

#[test]
fn auth_follows_the_operations_auth_traits_over_the_services() {
    let auth_of = |model: &Value| op(&resolve(model).unwrap(), "Get").auth;
    assert_eq!(auth_of(&minimal()), Auth::SigV4);
    let optional =
        edited(|m| m["shapes"]["t#Get"]["traits"]["smithy.api#optionalAuth"] = json!({}));
    assert_eq!(auth_of(&optional), Auth::SigV4OrNone);
    let unsigned = edited(|m| m["shapes"]["t#Get"]["traits"]["smithy.api#auth"] = json!([]));
    assert_eq!(auth_of(&unsigned), Auth::None);
    let both = edited(|m| {
        m["shapes"]["t#Get"]["traits"]["smithy.api#auth"] = json!([]);
        m["shapes"]["t#Get"]["traits"]["smithy.api#optionalAuth"] = json!({});
    });
    assert_eq!(auth_of(&both), Auth::None, "SSO's operations: unsigned");
    let service_unsigned =
        edited(|m| m["shapes"]["t#Svc"]["traits"]["smithy.api#auth"] = json!([]));
    assert_eq!(auth_of(&service_unsigned), Auth::None);
    let operation_wins = edited(|m| {
        m["shapes"]["t#Svc"]["traits"]["smithy.api#auth"] = json!([]);
        m["shapes"]["t#Get"]["traits"]["smithy.api#auth"] = json!(["aws.auth#sigv4"]);
    });
    assert_eq!(auth_of(&operation_wins), Auth::SigV4);
}

#[test]
fn auth_schemes_other_than_sigv4_are_refused_per_operation() {
    let bearer = edited_with_ping(|m| {
        m["shapes"]["t#Get"]["traits"]["smithy.api#auth"] = json!(["smithy.api#httpBearerAuth"]);
    });
    assert_operation_refused(&bearer, "Get", "t#Get", "smithy.api#auth", &["Ping"]);
    let service_wide = edited_with_ping(|m| {
        m["shapes"]["t#Svc"]["traits"]["smithy.api#auth"] = json!(["aws.auth#sigv4a"]);
    });
    assert_operation_refused(&service_wide, "Ping", "t#Svc", "smithy.api#auth", &[]);
    let not_a_list = edited(|m| m["shapes"]["t#Get"]["traits"]["smithy.api#auth"] = json!("sigv4"));
    assert_trait_refused(&not_a_list, "t#Get", "smithy.api#auth");
}

/// Endpoint parameters set by the call: the kitchen sink's `CreateThing` binds its `Name`
/// (`@contextParam`), `GetStatus` sets fixed values (`@staticContextParams`) and binds a
/// member by path (`@operationContextParams`). A parameter the rule set lacks, a value of
/// the wrong kind and a path deeper than a top-level member are refused.
#[test]
fn endpoint_parameters_bound_to_the_call() {
    use chime_caps_codegen::ir::{ContextParam, ContextValue};
    let kitchen = kitchen();
    assert_eq!(
        op(&kitchen, "CreateThing").endpoint_context,
        [ContextParam {
            field: "thing_name".into(),
            always_set: false,
            value: ContextValue::Member {
                field: "name".into(),
                ty: Type::String
            },
        }]
    );
    let status = &op(&kitchen, "GetStatus").endpoint_context;
    assert!(status.contains(&ContextParam {
        field: "preview".into(),
        always_set: true,
        value: ContextValue::Bool(true),
    }));
    assert!(status.contains(&ContextParam {
        field: "zones".into(),
        always_set: false,
        value: ContextValue::StringList(vec!["zone-a".into(), "zone-b".into()]),
    }));
    assert!(status.iter().any(|c| c.field == "thing_name"));
    assert!(op(&kitchen, "Ping").endpoint_context.is_empty());

    // The minimal model has the standard rule set: Region, UseDualStack, UseFIPS, Endpoint.
    let unknown = edited(|m| {
        m["shapes"]["t#GetInput"]["members"]["Id"]["traits"]["smithy.rules#contextParam"] =
            json!({"name": "ResourceId"});
    });
    assert_trait_refused(&unknown, "t#GetInput$Id", "smithy.rules#contextParam");
    assert!(refusal(&unknown)
        .to_string()
        .contains("no parameter `ResourceId`"));
    let wrong_kind = edited(|m| {
        m["shapes"]["t#Get"]["traits"]["smithy.rules#staticContextParams"] =
            json!({"UseFIPS": {"value": "yes"}});
    });
    assert_trait_refused(&wrong_kind, "t#Get", "smithy.rules#staticContextParams");
    let deep = edited_with_ping(|m| {
        m["shapes"]["t#Get"]["traits"]["smithy.rules#operationContextParams"] =
            json!({"Region": {"path": "Filter.Region"}});
    });
    assert_operation_refused(
        &deep,
        "Get",
        "t#Get",
        "smithy.rules#operationContextParams",
        &["Ping"],
    );
}

#[test]
fn mixins_are_refused() {
    let on_member_target = edited(|m| {
        m["shapes"]["t#Data"] =
            json!({"type": "structure", "members": {}, "mixins": [{"target": "t#Base"}]});
        m["shapes"]["t#Base"] =
            json!({"type": "structure", "members": {}, "traits": {"smithy.api#mixin": {}}});
    });
    let message = assert_shape_refused(&on_member_target, "t#Data");
    assert!(message.contains("mixins"), "{message}");
    let on_input = edited(|m| {
        m["shapes"]["t#GetInput"]["mixins"] = json!([{"target": "t#Base"}]);
        m["shapes"]["t#Base"] =
            json!({"type": "structure", "members": {}, "traits": {"smithy.api#mixin": {}}});
    });
    assert_shape_refused(&on_input, "t#GetInput");
}

#[test]
fn exactly_one_service_in_a_protocol_the_generator_writes() {
    let two = edited(|m| m["shapes"]["t#Other"] = m["shapes"]["t#Svc"].clone());
    match refusal(&two) {
        IrError::ManyServices(ids) => assert_eq!(ids, ["t#Svc", "t#Other"]),
        other => panic!("{other:?}"),
    }
    let none = edited(|m| {
        m["shapes"].as_object_mut().unwrap().remove("t#Svc");
    });
    assert!(matches!(refusal(&none), IrError::NoService));
    let rest_xml = with_protocol("aws.protocols#restXml");
    let message = refusal(&rest_xml).to_string();
    match refusal(&rest_xml) {
        IrError::UnsupportedProtocol { service, found } => {
            assert_eq!(
                (service.as_str(), found.as_slice()),
                ("t#Svc", &["aws.protocols#restXml".to_owned()][..])
            );
        }
        other => panic!("{other:?}"),
    }
    for named in ["t#Svc", "aws.protocols#restXml", "aws.protocols#awsJson1_0"] {
        assert!(message.contains(named), "`{named}` is not in: {message}");
    }
    // The official SDKs honour `@awsQueryCompatible` under awsJson only.
    let query_compatible = edited(|m| {
        m["shapes"]["t#Svc"]["traits"]["aws.protocols#awsQueryCompatible"] = json!({});
    });
    assert_trait_refused(
        &query_compatible,
        "t#Svc",
        "aws.protocols#awsQueryCompatible",
    );
    let unsigned = edited(|m| {
        m["shapes"]["t#Svc"]["traits"]
            .as_object_mut()
            .unwrap()
            .remove("aws.auth#sigv4");
    });
    assert_trait_refused(&unsigned, "t#Svc", "aws.auth#sigv4");
}

/// The minimal model with `protocol` as its only protocol trait.
fn with_protocol(protocol: &str) -> Value {
    edited(|m| {
        let traits = m["shapes"]["t#Svc"]["traits"].as_object_mut().unwrap();
        traits.remove("aws.protocols#restJson1");
        traits.insert(protocol.into(), json!({}));
    })
}

#[test]
fn aws_json_operations_post_their_whole_input_to_the_root() {
    use chime_caps_codegen::ir::Protocol;

    for (trait_id, protocol) in [
        ("aws.protocols#awsJson1_0", Protocol::AwsJson1_0),
        ("aws.protocols#awsJson1_1", Protocol::AwsJson1_1),
    ] {
        let mut model = with_protocol(trait_id);
        let shapes = &mut model["shapes"];
        // HTTP binding traits and `@jsonName` mean nothing to awsJson.
        shapes["t#GetInput"]["members"]["Id"]["traits"]["smithy.api#jsonName"] = json!("id");
        shapes["t#GetOutput"]["members"]["Tag"] = json!({
            "target": "smithy.api#String",
            "traits": {"smithy.api#httpHeader": "x-tag"}
        });
        shapes["t#GetOutput"]["members"]["When"] = json!({"target": "smithy.api#Timestamp"});
        let krate = resolve(&model).unwrap();
        assert_eq!(krate.service.protocol, protocol);
        let get = op(&krate, "Get");
        assert_eq!(
            (get.method.as_str(), get.uri.as_str(), get.code),
            ("POST", "/", 200)
        );
        assert!(matches!(&get.path[..], [PathSegment::Literal(root)] if root == "/"));
        assert!(get.query_literals.is_empty());
        assert_eq!(get.target.as_deref(), Some("Svc.Get"));
        let id = member(&get.input, "Id");
        assert_eq!((&id.binding, id.json_name.as_str()), (&Binding::Body, "Id"));
        assert_eq!(member(&get.output, "Tag").binding, Binding::Body);
        assert_eq!(member(&get.output, "When").ty, Type::Timestamp(None));
        assert!(matches!(get.request_body, Body::Members));
        assert!(matches!(get.response_body, Body::Members));
    }

    // An input without members is still sent, as `{}`.
    let mut empty = with_protocol("aws.protocols#awsJson1_0");
    empty["shapes"]["t#Get"]["input"] = json!({"target": "smithy.api#Unit"});
    let krate = resolve(&empty).unwrap();
    assert!(matches!(op(&krate, "Get").request_body, Body::Members));

    // restJson1 wins over awsJson when a service lists both (no `x-amz-target`).
    let both = edited(|m| {
        m["shapes"]["t#Svc"]["traits"]["aws.protocols#awsJson1_1"] = json!({});
    });
    let krate = resolve(&both).unwrap();
    assert_eq!(krate.service.protocol, Protocol::RestJson1);
    assert_eq!(op(&krate, "Get").target, None);
}

/// The awsJson1_0 model of an `@awsQueryCompatible` service whose `Get` may fail with
/// `Gone` (with an `@awsQueryError` code) and `Busy` (without).
fn query_compatible() -> Value {
    let mut model = with_protocol("aws.protocols#awsJson1_0");
    let shapes = &mut model["shapes"];
    shapes["t#Svc"]["traits"]["aws.protocols#awsQueryCompatible"] = json!({});
    shapes["t#Get"]["errors"] = json!([{"target": "t#Gone"}, {"target": "t#Busy"}]);
    shapes["t#Gone"] = json!({
        "type": "structure",
        "members": {"message": {"target": "smithy.api#String"}},
        "traits": {
            "smithy.api#error": "client",
            "aws.protocols#awsQueryError": {"code": "AWS.T.NonExistentThing", "httpResponseCode": 400}
        }
    });
    shapes["t#Busy"] = json!({
        "type": "structure",
        "members": {},
        "traits": {"smithy.api#error": "server"}
    });
    model
}

#[test]
fn query_compatible_errors_are_known_by_their_query_codes() {
    let krate = resolve(&query_compatible()).unwrap();
    assert!(krate.service.query_compatible);
    let codes: Vec<(&str, &str)> = op(&krate, "Get")
        .errors
        .iter()
        .map(|e| (e.name.as_str(), e.code.as_str()))
        .collect();
    assert_eq!(
        codes,
        [("Busy", "Busy"), ("Gone", "AWS.T.NonExistentThing")],
        "the `@awsQueryError` code where there is one, else the shape name"
    );
    let crate_codes: Vec<&str> = krate.all_errors.iter().map(|e| e.code.as_str()).collect();
    assert_eq!(crate_codes, ["Busy", "AWS.T.NonExistentThing"]);
    // A server names the query code in `x-amzn-query-error`.
    let query_code = |name: &str| {
        structure(&krate, name)
            .error
            .as_ref()
            .unwrap()
            .query_code
            .clone()
    };
    assert_eq!(
        query_code("Gone").as_deref(),
        Some("AWS.T.NonExistentThing")
    );
    assert_eq!(query_code("Busy"), None);

    // Without the service trait, `@awsQueryError` means nothing.
    let mut plain = query_compatible();
    plain["shapes"]["t#Svc"]["traits"]
        .as_object_mut()
        .unwrap()
        .remove("aws.protocols#awsQueryCompatible");
    let krate = resolve(&plain).unwrap();
    assert!(!krate.service.query_compatible);
    assert!(op(&krate, "Get").errors.iter().all(|e| e.code == e.name));
    assert_eq!(
        structure(&krate, "Gone").error.as_ref().unwrap().query_code,
        None
    );
}

#[test]
fn query_error_codes_must_be_strings_that_fit_a_literal() {
    let mut no_code = query_compatible();
    no_code["shapes"]["t#Gone"]["traits"]["aws.protocols#awsQueryError"] =
        json!({"httpResponseCode": 400});
    assert_trait_refused(&no_code, "t#Gone", "aws.protocols#awsQueryError");
    let mut quoted = query_compatible();
    quoted["shapes"]["t#Gone"]["traits"]["aws.protocols#awsQueryError"]["code"] =
        json!("Bad\"Code");
    let message = refusal(&quoted).to_string();
    assert!(message.contains("t#Gone"), "{message}");
}

#[test]
fn aws_json_inputs_keep_model_order() {
    let mut model = with_protocol("aws.protocols#awsJson1_1");
    model["shapes"]["t#GetInput"]["members"] = json!({
        "Zeta": {"target": "smithy.api#String"},
        "Alpha": {"target": "smithy.api#String"}
    });
    let krate = resolve(&model).unwrap();
    let input = &op(&krate, "Get").input;
    let order: Vec<&str> = input
        .body_order
        .iter()
        .map(|&i| input.members[i].name.as_str())
        .collect();
    assert_eq!(order, ["Zeta", "Alpha"]);
}

#[test]
fn unknown_operations_are_named_with_the_known_ones() {
    let err = resolve_text(&minimal().to_string(), &["Get", "Gte"]).unwrap_err();
    match &err {
        IrError::UnknownOperation(name, known) => {
            assert_eq!((name.as_str(), known.as_str()), ("Gte", "Get"))
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("known operations: Get"), "{err}");
}

#[test]
fn unknown_targets_and_non_data_targets_are_named() {
    let missing =
        edited(|m| m["shapes"]["t#GetOutput"]["members"]["Data"]["target"] = json!("t#Missing"));
    let message = assert_shape_refused(&missing, "t#Missing");
    assert!(message.contains("not defined"), "{message}");
    let operation =
        edited(|m| m["shapes"]["t#GetOutput"]["members"]["Data"]["target"] = json!("t#Get"));
    assert_shape_refused(&operation, "t#Get");
}

#[test]
fn bindings_that_cannot_carry_their_member_are_refused() {
    let document_header = edited(|m| {
        m["shapes"]["t#GetOutput"]["members"]["Data"]["traits"] =
            json!({"smithy.api#httpHeader": "x-data"});
        m["shapes"]["t#Data"] = json!({"type": "document"});
    });
    assert_trait_refused(
        &document_header,
        "t#GetOutput$Data",
        "smithy.api#httpHeader",
    );
    let structure_label = edited(|m| {
        m["shapes"]["t#GetInput"]["members"]["Id"]["target"] = json!("t#Data");
        m["shapes"]["t#Data"] = json!({"type": "structure", "members": {}});
    });
    assert_trait_refused(&structure_label, "t#GetInput$Id", "smithy.api#httpLabel");
    let payload_beside_body = edited(|m| {
        m["shapes"]["t#GetOutput"]["members"]["Data"]["traits"] =
            json!({"smithy.api#httpPayload": {}});
        m["shapes"]["t#GetOutput"]["members"]["More"] = json!({"target": "smithy.api#String"});
    });
    assert_trait_refused(
        &payload_beside_body,
        "t#GetOutput$Data",
        "smithy.api#httpPayload",
    );
    let number_payload = edited(|m| {
        m["shapes"]["t#GetOutput"]["members"]["Data"]["traits"] =
            json!({"smithy.api#httpPayload": {}});
        m["shapes"]["t#Data"] = json!({"type": "integer"});
    });
    assert_trait_refused(
        &number_payload,
        "t#GetOutput$Data",
        "smithy.api#httpPayload",
    );
    let error_payload = edited(|m| {
        m["shapes"]["t#Get"]["errors"] = json!([{"target": "t#Oops"}]);
        m["shapes"]["t#Oops"] = json!({"type": "structure", "traits": {"smithy.api#error": "client"},
            "members": {"Body": {"target": "t#Data", "traits": {"smithy.api#httpPayload": {}}}}});
    });
    assert_trait_refused(&error_payload, "t#Oops$Body", "smithy.api#httpPayload");
    let no_http = edited(|m| {
        m["shapes"]["t#Get"]["traits"]
            .as_object_mut()
            .unwrap()
            .remove("smithy.api#http");
    });
    assert_trait_refused(&no_http, "t#Get", "smithy.api#http");
}

/// Members closing a cycle of structures and unions are boxed, the member with the
/// smallest id in each cycle (the kitchen sink's `Thing` holds a parent `Thing`; its
/// union `Shape` and structure `ShapeGroup` hold each other twice, and
/// `Shape$Group` sorts before `ShapeGroup$First` and `ShapeGroup$Second`), the others
/// not.
#[test]
fn members_closing_a_cycle_are_boxed() {
    let kitchen = kitchen();
    let parent = member(structure(&kitchen, "Thing"), "Parent");
    assert!(parent.boxed && parent.optional);
    let group = structure(&kitchen, "ShapeGroup");
    assert!(group.members.iter().all(|m| !m.boxed));
    let shape = kitchen.unions.iter().find(|u| u.name == "Shape").unwrap();
    let boxed: Vec<&str> = shape
        .variants
        .iter()
        .filter(|v| v.boxed)
        .map(|v| v.name.as_str())
        .collect();
    assert_eq!(boxed, ["Group"]);
    assert!(!member(structure(&kitchen, "Thing"), "Shape").boxed);
}

/// `@endpoint` host prefixes: literal text and `{Label}`s of `@hostLabel` string members;
/// anything else is refused, naming the operation and the trait.
#[test]
fn host_prefixes_and_their_labels() {
    use chime_caps_codegen::ir::HostSegment::{Label, Literal};
    let kitchen = kitchen();
    assert_eq!(op(&kitchen, "Ping").host_prefix, [Literal("ping.".into())]);
    assert_eq!(
        op(&kitchen, "GetStatus").host_prefix,
        [Label("account_id".into()), Literal(".status-".into())]
    );
    assert!(op(&kitchen, "EchoText").host_prefix.is_empty());

    let with_prefix = |prefix: &str, host_label: bool| {
        let prefix = prefix.to_owned();
        edited(move |m| {
            m["shapes"]["t#Get"]["traits"]["smithy.api#endpoint"] = json!({"hostPrefix": prefix});
            m["shapes"]["t#GetInput"]["members"]["Region"] = json!({"target": "smithy.api#String",
                "traits": if host_label { json!({"smithy.api#hostLabel": {}, "smithy.api#required": {}}) } else { json!({}) }});
        })
    };
    let krate = resolve(&with_prefix("{Region}.data.", true)).expect("resolves");
    assert_eq!(
        krate.operations[0].host_prefix,
        [Label("region".into()), Literal(".data.".into())]
    );
    for (prefix, host_label, problem) in [
        ("{Region}.data.", false, "no input member marked @hostLabel"),
        ("{Nope}.", true, "no input member marked @hostLabel"),
        ("{Region.", true, "unclosed label"),
        ("data_/", true, "not host name text"),
        ("", true, "no `hostPrefix` text"),
    ] {
        let model = with_prefix(prefix, host_label);
        assert_trait_refused(&model, "t#Get", "smithy.api#endpoint");
        let message = refusal(&model).to_string();
        assert!(message.contains(problem), "{prefix}: {message}");
    }
    let number_label = edited(|m| {
        m["shapes"]["t#Get"]["traits"]["smithy.api#endpoint"] = json!({"hostPrefix": "{Shard}."});
        m["shapes"]["t#GetInput"]["members"]["Shard"] = json!({"target": "smithy.api#Integer",
            "traits": {"smithy.api#hostLabel": {}, "smithy.api#required": {}}});
    });
    assert!(refusal(&number_label)
        .to_string()
        .contains("must target a string"));
}

#[test]
fn defaults_and_constraints_that_do_not_fit_are_refused() {
    let enum_default = edited(|m| {
        m["shapes"]["t#Data"] = json!({"type": "enum", "members": {"A": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "a"}}}});
        m["shapes"]["t#GetOutput"]["members"]["Data"]["traits"] =
            json!({"smithy.api#default": "A"});
    });
    assert_trait_refused(&enum_default, "t#GetOutput$Data", "smithy.api#default");
    let text_for_number = edited(|m| {
        m["shapes"]["t#GetOutput"]["members"]["Data"] =
            json!({"target": "smithy.api#Integer", "traits": {"smithy.api#default": "three"}});
    });
    assert_trait_refused(&text_for_number, "t#GetOutput$Data", "smithy.api#default");
    for (target, trait_id, value) in [
        ("smithy.api#Integer", "smithy.api#pattern", json!("^1$")),
        ("smithy.api#Integer", "smithy.api#length", json!({"max": 1})),
        ("smithy.api#String", "smithy.api#range", json!({"max": 1})),
    ] {
        let model = edited(|m| {
            m["shapes"]["t#GetOutput"]["members"]["N"] =
                json!({"target": target, "traits": {trait_id: value}});
        });
        assert_trait_refused(&model, "t#GetOutput$N", trait_id);
    }
    let timestamp_format = edited(|m| {
        m["shapes"]["t#GetOutput"]["members"]["Data"] = json!({"target": "smithy.api#Timestamp",
            "traits": {"smithy.api#timestampFormat": "unix"}});
    });
    let err = refusal(&timestamp_format);
    assert!(
        matches!(&err, IrError::Trait { trait_id, .. } if trait_id == "smithy.api#timestampFormat"),
        "{err:?}"
    );
}

#[test]
fn name_clashes_are_refused() {
    let fields = edited(|m| {
        m["shapes"]["t#GetOutput"]["members"]["data"] = json!({"target": "smithy.api#String"});
    });
    let message = assert_shape_refused(&fields, "t#GetOutput$data");
    assert!(
        message.contains("`Data`") || message.contains("`data`"),
        "{message}"
    );
    let types = edited(|m| {
        m["shapes"]["t#Data"] =
            json!({"type": "structure", "members": {"Inner": {"target": "u#Data"}}});
        m["shapes"]["u#Data"] = json!({"type": "structure", "members": {}});
    });
    let message = assert_shape_refused(&types, "u#Data");
    assert!(message.contains("t#Data"), "{message}");
    let unknown = edited(|m| {
        m["shapes"]["t#Data"] = json!({"type": "structure", "members": {}});
        m["shapes"]["t#GetOutput"]["members"]["Data"]["target"] = json!("t#Unknown");
        m["shapes"]["t#Unknown"] = m["shapes"]["t#Data"].clone();
    });
    assert_shape_refused(&unknown, "t#Unknown");
    let unhandled = edited(|m| {
        m["shapes"]["t#Get"]["errors"] = json!([{"target": "t#Unhandled"}]);
        m["shapes"]["t#Unhandled"] =
            json!({"type": "structure", "members": {}, "traits": {"smithy.api#error": "server"}});
    });
    assert_shape_refused(&unhandled, "t#Get");
    let enum_variants = edited(|m| {
        m["shapes"]["t#Data"] = json!({"type": "enum", "members": {
            "FooBar": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "1"}},
            "FOO_BAR": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "2"}}}});
    });
    assert_shape_refused(&enum_variants, "t#Data");
}

#[test]
fn malformed_errors_maps_and_paginators_are_refused() {
    let message_not_string = edited(|m| {
        m["shapes"]["t#Get"]["errors"] = json!([{"target": "t#Oops"}]);
        m["shapes"]["t#Oops"] = json!({"type": "structure", "traits": {"smithy.api#error": "client"},
            "members": {"Message": {"target": "smithy.api#Integer"}}});
    });
    assert_shape_refused(&message_not_string, "t#Oops");
    let integer_keys = edited(|m| {
        m["shapes"]["t#Data"] = json!({"type": "map", "key": {"target": "smithy.api#Integer"}, "value": {"target": "smithy.api#String"}});
    });
    assert_shape_refused(&integer_keys, "t#Data");
    for paginated in [
        json!({"inputToken": "Token", "outputToken": "Token"}),
        json!({"inputToken": "Id"}),
        json!({"inputToken": "Id", "outputToken": "Data"}),
    ] {
        let model = edited(|m| m["shapes"]["t#Get"]["traits"]["smithy.api#paginated"] = paginated);
        assert_trait_refused(&model, "t#Get", "smithy.api#paginated");
    }
}

/// An error structure displays as the official SDKs print it: its Rust name, with the
/// shape name in brackets when the two differ, and a `@sensitive` message redacted; a
/// `@retryable` one tells its retry kind.
#[test]
fn error_structures_display_and_retry_kind() {
    let mut model: Value = serde_json::from_str(&kitchen_sink_text().replace(
        "example.kitchensink#AccessDenied",
        "example.kitchensink#ACLDenied",
    ))
    .unwrap();
    model["shapes"]["example.kitchensink#ACLDenied"]["members"]["Message"]["traits"] =
        json!({"smithy.api#sensitive": {}});
    let settings = Settings {
        model: "unused.json".into(),
        out: "unused".into(),
        crate_name: "x".into(),
        operations: vec![],
    };
    let files = generate_from_str(&model.to_string(), "m.json", &settings).unwrap();
    // Without whitespace, which the formatting of the generated code decides.
    let squeezed = |text: &str| text.split_whitespace().collect::<String>();
    let file = |path: &str| {
        squeezed(
            &files
                .iter()
                .find(|f| f.path == path)
                .unwrap_or_else(|| panic!("no {path}"))
                .contents,
        )
    };
    let renamed = file("src/types/error/_acl_denied.rs");
    assert!(
        renamed.contains(&squeezed(
            r#"impl_error_structure!(AclDenied, "AclDenied [ACLDenied]", message redacted);"#
        )),
        "{renamed}"
    );
    let not_found = file("src/types/error/_not_found.rs");
    assert!(
        not_found.contains(&squeezed(
            r#"impl_error_structure!(NotFound, "NotFound", message);"#
        )),
        "{not_found}"
    );
    for (path, kind) in [
        ("src/types/error/_throttled.rs", "ThrottlingError"),
        ("src/types/error/_internal_failure.rs", "ServerError"),
    ] {
        assert!(
            file(path).contains(&format!("::aws_smithy_types::retry::ErrorKind::{kind}}}")),
            "{path}"
        );
    }
    assert!(!not_found.contains("retryable_error_kind"));
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
    assert!(matches!(err, CodegenError::Parse { .. }) && err.to_string().contains("broken.json"));
    let no_rules = edited(|m| {
        m["shapes"]["t#Svc"]["traits"]["aws.api#service"] = json!({"sdkId": "T"});
    });
    let err = generate_from_str(&no_rules.to_string(), "m.json", &settings).unwrap_err();
    assert!(matches!(err, CodegenError::Upgrade { .. }), "{err:?}");
    let err =
        generate_from_str(&edited(event_stream).to_string(), "m.json", &settings).unwrap_err();
    assert!(
        matches!(err, CodegenError::Ir(IrError::UnsupportedOperations { .. })),
        "{err:?}"
    );
}

// ---------------------------------------------------------------------------------------
// The template registry and the official model

#[test]
fn the_registry_is_strict_and_does_not_escape() {
    let mut hb = render::registry().unwrap();
    hb.register_template_string("tiny", "const X: {{ty}} = {{value}};")
        .unwrap();
    let err = hb.render("tiny", &json!({"ty": "u8"})).unwrap_err();
    assert!(err.to_string().contains("value"), "{err}");
    assert_eq!(
        hb.render("tiny", &json!({"ty": "Vec<&'a str>", "value": "\"<&>\""}))
            .unwrap(),
        "const X: Vec<&'a str> = \"<&>\";"
    );
}

#[test]
fn the_official_model_resolves_completely() {
    let Some(path) = support::official_model("the official model's IR") else {
        return;
    };
    let k = resolve_text(&std::fs::read_to_string(path).unwrap(), &[]).unwrap();
    assert_eq!(k.operations.len(), 16);
    assert_eq!(
        (k.service.sdk_id.as_str(), k.service.signing_name.as_str()),
        ("Chime SDK Meetings", "chime")
    );
    let update = op(&k, "UpdateAttendeeCapabilities");
    let labels: Vec<&str> = update
        .path
        .iter()
        .filter_map(|p| match p {
            PathSegment::Label(l) => Some(l.field.as_str()),
            PathSegment::Literal(_) => None,
        })
        .collect();
    assert_eq!(
        (update.method.as_str(), labels),
        ("PUT", vec!["meeting_id", "attendee_id"])
    );
    assert!(matches!(update.request_body, Body::Members));
    assert_eq!(
        op(&k, "BatchUpdateAttendeeCapabilitiesExcept").query_literals,
        ["operation=batch-update-except"]
    );
    assert_eq!(
        op(&k, "CreateMeeting").idempotency_token.as_deref(),
        Some("client_request_token")
    );
    let list = op(&k, "ListAttendees")
        .paginated
        .as_ref()
        .expect("paginated");
    assert_eq!(list.input_token, "next_token");
    assert!(list.items.is_none());
    assert!(
        !k.unchecked_patterns.is_empty(),
        "TenantId's look-ahead is reported"
    );
}
