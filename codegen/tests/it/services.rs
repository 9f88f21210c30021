//! Other AWS services' real models (`tests/fixtures/services/`, taken from the official
//! SDK's model set with their documentation stripped): the generator writes each restJson1,
//! awsJson1_0 and awsJson1_1 one (the crates are built by `compiles.rs`) with the API the official SDK crate has for
//! it, and refuses what it does not write, saying what to do instead.
//!
//! The facts asserted here are the official crates' (`aws-sdk-sso`, which is in the
//! registry cache as a dependency of `aws-config`, `aws-sdk-mediastoredata`, which the port
//! test of `compiles.rs` fetches, and the published docs of the others):
//! which accessors are `Option`s, where members travel on the wire, the error variants.

use crate::support::lookup::{member, op, structure};
use crate::support::{self, service_model, ServiceModel, SERVICE_MODELS};

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chime_caps_codegen::ir::{
    self, Auth, Binding, Body, Crate, DefaultValue, IrError, Operation, PayloadKind, Protocol,
    Role, TimestampFormat, Type,
};
use chime_caps_codegen::{
    generate_from_str, parse_model, workspace_root, CodegenError, File, Settings,
};
use quote::ToTokens;
use serde_json::Value;
use syn::punctuated::Punctuated;
use syn::visit_mut::{self, VisitMut};

fn text(file: &str) -> String {
    let path = service_model(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn resolve(file: &str, operations: &[&str]) -> Result<Crate, IrError> {
    let model = parse_model(&text(file), file).expect("the model parses and upgrades");
    let options = ir::Options {
        crate_name: "service".into(),
        operations: operations.iter().map(|o| o.to_string()).collect(),
    };
    ir::resolve(&model, &options)
}

/// The crate the proof builds for `model`.
fn generated(model: &ServiceModel) -> Vec<File> {
    let settings = Settings {
        model: service_model(model.file),
        out: "unused".into(),
        crate_name: model.crate_name.into(),
        operations: model.operations.iter().map(|o| o.to_string()).collect(),
    };
    generate_from_str(&text(model.file), model.file, &settings)
        .unwrap_or_else(|e| panic!("{} does not generate: {e}", model.file))
}

fn listed(file: &str) -> &'static ServiceModel {
    SERVICE_MODELS
        .iter()
        .find(|m| m.file == file)
        .unwrap_or_else(|| panic!("{file} is not in SERVICE_MODELS"))
}

fn file_text<'a>(files: &'a [File], path: &str) -> &'a str {
    &files
        .iter()
        .find(|f| f.path == path)
        .unwrap_or_else(|| panic!("no generated file {path}"))
        .contents
}

fn error_names(operation: &Operation) -> Vec<&str> {
    operation.errors.iter().map(|e| e.name.as_str()).collect()
}

/// The operation names the model's service binds, directly or through its resources,
/// sorted.
fn model_operations(file: &str) -> Vec<String> {
    let model: Value = serde_json::from_str(&text(file)).expect("the fixture is JSON");
    let shapes = model["shapes"].as_object().expect("shapes");
    let (_, service) = shapes
        .iter()
        .find(|(_, s)| s["type"] == "service")
        .expect("a service shape");
    let targets = |refs: &Value| -> Vec<String> {
        let refs = refs.as_array().map(Vec::as_slice).unwrap_or_default();
        refs.iter()
            .map(|r| r["target"].as_str().expect("a target").to_owned())
            .collect()
    };
    let mut operations = targets(&service["operations"]);
    let mut resources = targets(&service["resources"]);
    while let Some(id) = resources.pop() {
        let resource = &shapes[&id];
        for lifecycle in ["create", "put", "read", "update", "delete", "list"] {
            if let Some(target) = resource[lifecycle]["target"].as_str() {
                operations.push(target.to_owned());
            }
        }
        operations.extend(targets(&resource["operations"]));
        operations.extend(targets(&resource["collectionOperations"]));
        resources.extend(targets(&resource["resources"]));
    }
    let mut names: Vec<String> = operations
        .iter()
        .map(|id| id.rsplit('#').next().unwrap().to_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn the_fixtures_carry_no_aws_prose() {
    let dir = support::codegen_dir().join("tests/fixtures/services");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("the services fixture directory") {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|x| x == "json") {
            let text = std::fs::read_to_string(&path).unwrap();
            for stripped in ["smithy.api#documentation", "smithy.api#examples"] {
                assert!(
                    !text.contains(stripped),
                    "{} keeps `{stripped}` traits: strip them (see the README there)",
                    path.display()
                );
            }
            seen += 1;
        }
    }
    assert_eq!(
        seen,
        SERVICE_MODELS.len(),
        "every model is in SERVICE_MODELS"
    );
}

#[test]
fn each_model_generates_every_operation_it_does_not_leave_out() {
    for model in &SERVICE_MODELS {
        let files = generated(model);
        let expected: Vec<String> = model_operations(model.file)
            .into_iter()
            .filter(|o| model.operations.is_empty() || model.operations.contains(&o.as_str()))
            .collect();
        let written: Vec<String> = files
            .iter()
            .filter_map(|f| f.path.strip_prefix("src/operation/")?.strip_suffix(".rs"))
            .filter(|p| !p.contains('/'))
            .map(str::to_owned)
            .collect();
        let krate = resolve(model.file, model.operations).unwrap();
        let names: Vec<&str> = krate.operations.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names, expected, "{}", model.file);
        let snakes: Vec<&str> = krate.operations.iter().map(|o| o.snake.as_str()).collect();
        assert_eq!(written, snakes, "{}: one module per operation", model.file);
    }
}

#[test]
fn sso_has_the_official_crates_nullability_bindings_and_errors() {
    let krate = resolve("sso.json", &[]).unwrap();
    // `expiration` is a long with `@default(0)`: a plain `i64`, like `aws-sdk-sso`'s.
    let expiration = member(structure(&krate, "RoleCredentials"), "expiration");
    assert_eq!(expiration.ty, Type::Long);
    assert!(!expiration.optional);
    assert_eq!(expiration.default, Some(DefaultValue::Integer(0)));
    // Without a default, the other members of that output structure stay optional.
    assert!(member(structure(&krate, "RoleCredentials"), "accessKeyId").optional);

    let get = op(&krate, "GetRoleCredentials");
    let token = member(&get.input, "accessToken");
    assert_eq!(
        token.binding,
        Binding::Header("x-amz-sso_bearer_token".into())
    );
    assert!(token.sensitive, "the token is redacted from Debug");
    assert_eq!(
        member(&get.input, "roleName").binding,
        Binding::Query("role_name".into())
    );
    assert!(
        matches!(get.request_body, Body::Empty),
        "a GET without a body"
    );
    assert_eq!(
        error_names(get),
        [
            "InvalidRequestException",
            "ResourceNotFoundException",
            "TooManyRequestsException",
            "UnauthorizedException"
        ]
    );
    assert_eq!(
        error_names(op(&krate, "Logout")),
        [
            "InvalidRequestException",
            "TooManyRequestsException",
            "UnauthorizedException"
        ]
    );
    assert!(op(&krate, "Logout").output.members.is_empty());
    // `@auth([])` with `@optionalAuth`: sent unsigned, like the official crate does (the
    // SSO port in `compiles.rs` checks the request has no `authorization` header).
    assert!(krate.operations.iter().all(|o| o.auth == Auth::None));
    let paginated = op(&krate, "ListAccounts").paginated.as_ref();
    assert!(paginated.is_some(), "ListAccounts has a paginator");

    let files = generated(listed("sso.json"));
    let credentials = file_text(&files, "src/types/_role_credentials.rs");
    assert!(credentials.contains("pub fn expiration(&self) -> i64 {"));
    assert!(credentials.contains("pub fn access_key_id(&self) -> ::std::option::Option<&str> {"));
    let operation = file_text(&files, "src/operation/get_role_credentials.rs");
    assert!(operation.contains("UnauthorizedException(crate::types::error::UnauthorizedException)"));
    // Like `aws-sdk-sso`, a crate without enums has no enum-parsing error type (and no
    // unused code that would fail `-D warnings`).
    assert!(!file_text(&files, "src/error.rs").contains("UnknownVariantError"));
    assert!(!file_text(&files, "src/primitives.rs").contains("sealed_enum_unknown"));
}

#[test]
fn sagemaker_a2i_runtime_a_smithy_1_model_has_the_official_nullability() {
    let krate = resolve("sagemaker-a2i-runtime.json", &[]).unwrap();
    assert!(krate.operations.iter().all(|o| o.auth == Auth::SigV4));
    let list = op(&krate, "ListHumanLoops");
    // A boxed (Smithy 1.0) integer stays an `Option<i32>` in the input.
    let max_results = member(&list.input, "MaxResults");
    assert_eq!(max_results.ty, Type::Integer);
    assert!(max_results.optional);
    let after = member(&list.input, "CreationTimeAfter");
    assert_eq!(after.binding, Binding::Query("CreationTimeAfter".into()));
    assert!(matches!(after.ty, Type::Timestamp(_)));
    assert!(member(&list.input, "SortOrder").ty == Type::Enum("SortOrder".into()));
    assert!(list.paginated.is_some());
    // `@required` output members are not `Option`s; the others are.
    let describe = op(&krate, "DescribeHumanLoop");
    assert_eq!(describe.output.role, Role::Output);
    assert!(!member(&describe.output, "CreationTime").optional);
    assert!(!member(&describe.output, "HumanLoopStatus").optional);
    assert!(member(&describe.output, "FailureReason").optional);
    assert!(member(structure(&krate, "HumanLoopSummary"), "CreationTime").optional);
    assert_eq!(
        error_names(op(&krate, "StartHumanLoop")),
        [
            "ConflictException",
            "InternalServerException",
            "ServiceQuotaExceededException",
            "ThrottlingException",
            "ValidationException"
        ]
    );
    // Without a rule set in the model, the standard AWS one for its endpoint prefix, and
    // its test cases (which `compiles.rs` runs), are generated.
    assert!(krate.endpoint.partitions.is_some());
    let urls: Vec<&str> = krate
        .endpoint
        .tests
        .iter()
        .filter_map(|t| t.expect_endpoint.as_deref())
        .collect();
    assert!(
        urls.iter()
            .any(|u| u.contains("https://a2i-runtime.sagemaker.us-east-1.amazonaws.com")),
        "{urls:?}"
    );

    let files = generated(listed("sagemaker-a2i-runtime.json"));
    let output = file_text(
        &files,
        "src/operation/describe_human_loop/_describe_human_loop_output.rs",
    );
    assert!(output.contains("pub fn creation_time(&self) -> &::aws_smithy_types::DateTime {"));
    assert!(output.contains("pub fn failure_reason(&self) -> ::std::option::Option<&str> {"));
    let input = file_text(
        &files,
        "src/operation/list_human_loops/_list_human_loops_input.rs",
    );
    assert!(input.contains("pub fn max_results(&self) -> ::std::option::Option<i32> {"));
    assert!(file_text(&files, "src/error.rs").contains("pub struct UnknownVariantError"));
}

#[test]
fn api_gateway_management_sends_a_blob_payload_and_reads_its_errors() {
    let krate = resolve("apigatewaymanagementapi.json", &[]).unwrap();
    let post = op(&krate, "PostToConnection");
    let Body::Payload(payload) = &post.request_body else {
        panic!(
            "PostToConnection sends its payload member: {:?}",
            post.request_body
        );
    };
    assert_eq!(
        (payload.field.as_str(), payload.kind),
        ("data", PayloadKind::Blob)
    );
    assert_eq!(member(&post.input, "ConnectionId").binding, Binding::Label);
    assert_eq!(op(&krate, "DeleteConnection").code, 204);
    let connected_at = member(&op(&krate, "GetConnection").output, "ConnectedAt");
    assert_eq!(connected_at.json_name, "connectedAt");
    assert_eq!(
        connected_at.ty,
        Type::Timestamp(Some(TimestampFormat::DateTime))
    );
    let identity = structure(&krate, "Identity");
    assert!(
        !member(identity, "SourceIp").optional,
        "required outside inputs"
    );
    let gone = structure(&krate, "GoneException");
    assert_eq!(gone.error.as_ref().and_then(|e| e.status), Some(410));
    assert_eq!(
        error_names(post),
        [
            "ForbiddenException",
            "GoneException",
            "LimitExceededException",
            "PayloadTooLargeException"
        ]
    );
    assert!(
        !krate.endpoint.tests.is_empty(),
        "the model's endpoint tests"
    );
}

#[test]
fn marketplace_deployment_a_current_model_has_the_official_api() {
    // Today's models carry a BDD-compiled rule set (`smithy.rules#endpointBdd`) beside the
    // rule tree, with lower-case parameter types; the tree and its test cases are used.
    let krate = resolve("marketplace-deployment.json", &[]).unwrap();
    assert_eq!(krate.endpoint.tests.len(), 21);
    // Bound through the `DeploymentParameter` resource's `create`.
    let put = op(&krate, "PutDeploymentParameter");
    assert_eq!(put.idempotency_token.as_deref(), Some("client_token"));
    assert!(
        member(
            structure(&krate, "DeploymentParameterInput"),
            "secretString"
        )
        .sensitive
    );
    assert!(member(&put.output, "tags").optional);
    assert!(!member(&put.output, "resourceArn").optional);
    let tag_keys = member(&op(&krate, "UntagResource").input, "tagKeys");
    assert_eq!(tag_keys.binding, Binding::Query("tagKeys".into()));
    assert_eq!(tag_keys.ty, Type::List(Box::new(Type::String)));
    assert_eq!(op(&krate, "TagResource").code, 204);
    // A `@required` error message is a `String`, as in the official crate.
    let conflict = structure(&krate, "ConflictException");
    assert!(!member(conflict, "message").optional);
    assert!(!member(conflict, "resourceId").optional);

    let files = generated(listed("marketplace-deployment.json"));
    let error = file_text(&files, "src/types/error/_conflict_exception.rs");
    assert!(error.contains("pub fn message(&self) -> &str {"), "{error}");
    assert!(error.contains("pub message: ::std::string::String,"));
    let input = file_text(
        &files,
        "src/operation/untag_resource/_untag_resource_input.rs",
    );
    assert!(input.contains("pub fn tag_keys(&self) -> &[::std::string::String] {"));
}

#[test]
fn mediastore_data_streams_its_payloads_like_the_official_crate() {
    let krate = resolve("mediastore-data.json", &[]).expect("every operation resolves");
    assert!(krate.uses_byte_streams);
    // `PutObject` sends a `@required` stream; `aws-sdk-mediastoredata` makes it a plain
    // `ByteStream` (an empty one when unset), the body itself, `@unsignedPayload`.
    let put = op(&krate, "PutObject");
    let body = member(&put.input, "Body");
    assert_eq!(
        (&body.ty, body.optional, &body.binding, &body.default),
        (
            &Type::ByteStream,
            false,
            &Binding::Payload,
            &Some(DefaultValue::EmptyStream)
        )
    );
    assert!(
        matches!(&put.request_body, Body::Payload(p)
            if p.kind == PayloadKind::ByteStream && p.content_type == "application/octet-stream"),
        "{:?}",
        put.request_body
    );
    assert!(put.unsigned_payload);
    assert!(put.input.holds_stream && !put.output.holds_stream);
    // `GetObject` reads a stream with `@default("")`: the same plain `ByteStream`.
    let get = op(&krate, "GetObject");
    let body = member(&get.output, "Body");
    assert_eq!((&body.ty, body.optional), (&Type::ByteStream, false));
    assert!(
        matches!(&get.response_body, Body::Payload(p) if p.kind == PayloadKind::ByteStream),
        "{:?}",
        get.response_body
    );
    assert!(!get.unsigned_payload && get.output.holds_stream);

    let describe = op(&krate, "DescribeObject");
    assert_eq!(describe.method, "HEAD");
    let last_modified = member(&describe.output, "LastModified");
    assert_eq!(
        last_modified.binding,
        Binding::Header("Last-Modified".into())
    );
    assert!(last_modified.optional);
    let length = member(&describe.output, "ContentLength");
    assert_eq!((length.ty.clone(), length.optional), (Type::Long, true));
    assert_eq!(
        member(&op(&krate, "DeleteObject").input, "Path").binding,
        Binding::Label
    );

    let files = generated(listed("mediastore-data.json"));
    let output = file_text(
        &files,
        "src/operation/describe_object/_describe_object_output.rs",
    );
    assert!(output.contains("pub fn content_length(&self) -> ::std::option::Option<i64> {"));
    // A structure holding a stream can be neither cloned nor compared, nor can its
    // builders, as in the official crate.
    let output = file_text(&files, "src/operation/get_object/_get_object_output.rs");
    assert!(output.contains(
        "#[derive(::std::fmt::Debug)]\npub struct GetObjectOutput {\n    pub body: ::aws_smithy_types::byte_stream::ByteStream,"
    ), "{output}");
    assert!(output.contains("pub fn body(&self) -> &::aws_smithy_types::byte_stream::ByteStream {"));
    assert!(output.contains(
        "#[derive(::std::default::Default, ::std::fmt::Debug)]\npub struct GetObjectOutputBuilder {"
    ), "{output}");
    let builders = file_text(&files, "src/operation/put_object/builders.rs");
    assert!(builders.contains(
        "pub fn body(mut self, input: ::aws_smithy_types::byte_stream::ByteStream) -> Self {"
    ));
    assert!(builders.contains("#[derive(::std::fmt::Debug)]\npub struct PutObjectFluentBuilder {"));
    let primitives = file_text(&files, "src/primitives.rs");
    assert!(
        primitives.contains("{AggregatedBytes, ByteStream}"),
        "{primitives}"
    );
    // Only a service with streams re-exports the stream types, as the official crates do.
    let sso = generated(listed("sso.json"));
    assert!(!file_text(&sso, "src/primitives.rs").contains("ByteStream"));
}

/// The MediaStore Data model with `edit` applied to its shapes.
fn edited_mediastore(
    edit: impl FnOnce(&mut serde_json::Map<String, Value>),
) -> Result<Crate, IrError> {
    let mut model: Value = serde_json::from_str(&text("mediastore-data.json")).unwrap();
    edit(model["shapes"].as_object_mut().expect("shapes"));
    let model = parse_model(&model.to_string(), "edited").expect("the model parses");
    let options = ir::Options {
        crate_name: "service".into(),
        operations: Vec::new(),
    };
    ir::resolve(&model, &options)
}

#[test]
fn an_event_stream_is_refused_and_the_other_operations_are_offered() {
    let err = edited_mediastore(|shapes| {
        shapes.insert(
            "com.amazonaws.mediastoredata#Events".into(),
            serde_json::json!({
                "type": "union",
                "members": {"Chunk": {"target": "com.amazonaws.mediastoredata#Item"}},
                "traits": {"smithy.api#streaming": {}}
            }),
        );
        shapes["com.amazonaws.mediastoredata#GetObjectResponse"]["members"]["Body"]["target"] =
            "com.amazonaws.mediastoredata#Events".into();
    })
    .unwrap_err();
    let message = err.to_string();
    let IrError::UnsupportedOperations { uses, supported } = &err else {
        panic!("expected the event stream to be refused, got {err:?}");
    };
    assert_eq!(uses.len(), 1, "{uses:?}");
    assert_eq!(
        (
            uses[0].operation.as_str(),
            uses[0].shape.as_str(),
            uses[0].what
        ),
        (
            "GetObject",
            "com.amazonaws.mediastoredata#Events",
            "an event stream"
        )
    );
    assert_eq!(
        supported,
        &["DeleteObject", "DescribeObject", "ListItems", "PutObject"]
    );
    assert!(
        message.contains("--operations DeleteObject,DescribeObject,ListItems,PutObject"),
        "{message}"
    );
}

#[test]
fn a_streaming_blob_that_is_not_a_payload_is_refused() {
    let err = edited_mediastore(|shapes| {
        let body = &mut shapes["com.amazonaws.mediastoredata#PutObjectRequest"]["members"]["Body"];
        body["traits"]
            .as_object_mut()
            .unwrap()
            .remove("smithy.api#httpPayload");
    })
    .unwrap_err();
    let message = err.to_string();
    assert!(
        matches!(&err, IrError::Trait { shape, trait_id, .. }
            if shape == "com.amazonaws.mediastoredata#PutObjectRequest$Body"
                && trait_id == "smithy.api#streaming"),
        "{err:?}"
    );
    assert!(message.contains("`@httpPayload`"), "{message}");
}

#[test]
fn marketplace_entitlement_speaks_aws_json_1_1_like_the_official_crate() {
    let krate = resolve("marketplace-entitlement-service.json", &[]).unwrap();
    assert_eq!(krate.service.protocol, Protocol::AwsJson1_1);
    let get = op(&krate, "GetEntitlements");
    // `POST /` named by the service shape's name (not the sdkId), as `aws-sdk-
    // marketplaceentitlement` 1.104 (the last awsJson1_1 one) sends it; the port test in
    // `compiles.rs` checks the wire.
    assert_eq!((get.method.as_str(), get.uri.as_str()), ("POST", "/"));
    assert_eq!(
        get.target.as_deref(),
        Some("AWSMPEntitlementService.GetEntitlements")
    );
    assert!(get.input.members.iter().all(|m| m.binding == Binding::Body));
    // The official crate writes the input in model order, not sorted by name.
    let order: Vec<&str> = get
        .input
        .body_order
        .iter()
        .map(|&i| get.input.members[i].name.as_str())
        .collect();
    assert_eq!(order, ["ProductCode", "Filter", "NextToken", "MaxResults"]);
    // Timestamps default to epoch seconds, as in every JSON body.
    assert_eq!(
        member(structure(&krate, "Entitlement"), "ExpirationDate").ty,
        Type::Timestamp(None)
    );
    assert_eq!(
        member(&get.input, "Filter").ty,
        Type::Map(
            Box::new(Type::Enum("GetEntitlementFilterName".into())),
            Box::new(Type::List(Box::new(Type::String)))
        )
    );
    assert_eq!(
        error_names(get),
        [
            "InternalServiceErrorException",
            "InvalidParameterException",
            "ThrottlingException"
        ]
    );
    assert!(get.paginated.is_some());

    let files = generated(listed("marketplace-entitlement-service.json"));
    let operation = file_text(&files, "src/operation/get_entitlements.rs");
    for sent in [
        r#"b.header("content-type", "application/x-amz-json-1.1")?;"#,
        r#"b.header("x-amz-target", "AWSMPEntitlementService.GetEntitlements")?;"#,
        // The server side routes by it.
        "const TARGET: ::std::option::Option<&'static str> = ::std::option::Option::Some(",
    ] {
        assert!(operation.contains(sent), "`{sent}` is not in:\n{operation}");
    }
}

#[test]
fn route53_recovery_cluster_speaks_aws_json_1_0_and_ignores_http_bindings() {
    let krate = resolve("route53-recovery-cluster.json", &[]).unwrap();
    assert_eq!(krate.service.protocol, Protocol::AwsJson1_0);
    let names: Vec<&str> = krate.operations.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "GetRoutingControlState",
            "ListRoutingControls",
            "UpdateRoutingControlState",
            "UpdateRoutingControlStates"
        ]
    );
    for operation in &krate.operations {
        assert_eq!(
            operation.target,
            Some(format!("ToggleCustomerAPI.{}", operation.name))
        );
        assert_eq!((operation.method.as_str(), operation.code), ("POST", 200));
        // Every request has a body, even of an input whose members are all unset.
        assert!(matches!(operation.request_body, Body::Members));
    }
    // An empty output has no body to read.
    assert!(matches!(
        op(&krate, "UpdateRoutingControlState").response_body,
        Body::Empty
    ));
    // `@httpHeader("Retry-After")` on an error member means nothing to awsJson (the
    // official crate reads `retryAfterSeconds` from the body too): a body member, a plain
    // `i32` with its `@default(0)`.
    let throttling = krate
        .errors
        .iter()
        .find(|e| e.name == "ThrottlingException")
        .expect("ThrottlingException");
    let retry_after = member(throttling, "retryAfterSeconds");
    assert_eq!(retry_after.binding, Binding::Body);
    assert_eq!(
        (
            retry_after.ty.clone(),
            retry_after.optional,
            retry_after.default.clone()
        ),
        (Type::Integer, false, Some(DefaultValue::Integer(0)))
    );
    assert!(
        !member(throttling, "message").optional,
        "a required message"
    );
    // `@default(null)` on `MaxResults` keeps the input member an `Option`.
    assert!(member(&op(&krate, "ListRoutingControls").input, "MaxResults").optional);
    let enum_values: Vec<&str> = krate
        .enums
        .iter()
        .find(|e| e.name == "ValidationExceptionReason")
        .expect("ValidationExceptionReason")
        .variants
        .iter()
        .map(|v| v.value.as_str())
        .collect();
    assert_eq!(
        enum_values,
        [
            "cannotParse",
            "fieldValidationFailed",
            "other",
            "unknownOperation"
        ]
    );

    let files = generated(listed("route53-recovery-cluster.json"));
    let operation = file_text(&files, "src/operation/update_routing_control_state.rs");
    assert!(operation.contains(r#"b.header("content-type", "application/x-amz-json-1.0")?;"#));
    assert!(operation
        .contains(r#"b.header("x-amz-target", "ToggleCustomerAPI.UpdateRoutingControlState")?;"#));
}

/// SQS speaks awsJson1_0 with `@awsQueryCompatible`: `aws-sdk-sqs` matches its errors by
/// their awsQuery codes (`QueueDoesNotExist` is `AWS.SimpleQueueService.NonExistentQueue`,
/// an error without `@awsQueryError` keeps its shape name) and says
/// `x-amzn-query-mode: true` after `x-amz-target`.
#[test]
fn sqs_is_query_compatible_aws_json_1_0() {
    let krate = resolve("sqs.json", &[]).unwrap();
    assert_eq!(krate.service.protocol, Protocol::AwsJson1_0);
    assert!(krate.service.query_compatible);
    let get = op(&krate, "GetQueueUrl");
    assert_eq!(get.target.as_deref(), Some("AmazonSQS.GetQueueUrl"));
    let codes: Vec<(&str, &str)> = get
        .errors
        .iter()
        .map(|e| (e.name.as_str(), e.code.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            ("InvalidAddress", "InvalidAddress"),
            ("InvalidSecurity", "InvalidSecurity"),
            (
                "QueueDoesNotExist",
                "AWS.SimpleQueueService.NonExistentQueue"
            ),
            ("RequestThrottled", "RequestThrottled"),
            (
                "UnsupportedOperation",
                "AWS.SimpleQueueService.UnsupportedOperation"
            ),
        ]
    );
    let create = op(&krate, "CreateQueue");
    let code_of = |name: &str| {
        create
            .errors
            .iter()
            .find(|e| e.name == name)
            .map(|e| e.code.as_str())
    };
    assert_eq!(code_of("QueueNameExists"), Some("QueueAlreadyExists"));
    assert_eq!(
        code_of("InvalidAttributeName"),
        Some("InvalidAttributeName")
    );

    let files = generated(listed("sqs.json"));
    let operation = file_text(&files, "src/operation/get_queue_url.rs");
    let sent = [
        r#"b.header("content-type", "application/x-amz-json-1.0")?;"#,
        r#"b.header("x-amz-target", "AmazonSQS.GetQueueUrl")?;"#,
        r#"b.header("x-amzn-query-mode", "true")?;"#,
    ];
    let at: Vec<usize> = sent
        .iter()
        .map(|s| {
            operation
                .find(s)
                .unwrap_or_else(|| panic!("`{s}` is not in:\n{operation}"))
        })
        .collect();
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "in this order: {sent:?}"
    );
    assert!(operation.contains("::chime_caps_runtime::protocol::query_compatible_error_metadata("));
    // The server side names the query code and fault as SQS does.
    let error = file_text(&files, "src/types/error/_queue_does_not_exist.rs");
    assert!(
        error.contains(
            r#"r.header("x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender");"#
        ),
        "{error}"
    );
    // Other services read their error metadata as before.
    let entitlement = generated(listed("marketplace-entitlement-service.json"));
    let operation = file_text(&entitlement, "src/operation/get_entitlements.rs");
    assert!(!operation.contains("x-amzn-query-mode"));
    assert!(operation.contains("::chime_caps_runtime::protocol::error_metadata("));
}

#[test]
fn a_model_in_another_protocol_is_refused_naming_its_protocol() {
    let file = "marketplace-entitlement-service.json";
    let rest_xml = text(file).replace("aws.protocols#awsJson1_1", "aws.protocols#restXml");
    let settings = Settings {
        model: file.into(),
        out: "unused".into(),
        crate_name: "entitlement".into(),
        operations: Vec::new(),
    };
    let err = generate_from_str(&rest_xml, file, &settings).unwrap_err();
    let message = err.to_string();
    assert!(
        matches!(&err, CodegenError::Ir(IrError::UnsupportedProtocol { .. })),
        "{err:?}"
    );
    for named in [
        "com.amazonaws.marketplaceentitlementservice#AWSMPEntitlementService",
        "aws.protocols#restXml",
        "aws.protocols#restJson1",
        "aws.protocols#awsJson1_0",
        "aws.protocols#awsJson1_1",
    ] {
        assert!(message.contains(named), "`{named}` is not in: {message}");
    }
}

// ---------------------------------------------------------------------------------------
// The generated crates against the official ones

/// The source of official crate `package` in the registry cache: the version the workspace
/// locks (`aws-sdk-sso` is a dependency of `aws-config`), else the newest one cached (the
/// port tests of `compiles.rs` fetch `aws-sdk-mediastoredata`); `None`, with a message,
/// when it is not there.
fn official_source(package: &str) -> Option<PathBuf> {
    let lock = std::fs::read_to_string(workspace_root().join("Cargo.lock")).unwrap_or_default();
    let locked = lock.split("[[package]]").find_map(|entry| {
        let rest = entry
            .trim()
            .strip_prefix(&format!("name = \"{package}\"\nversion = \""))?;
        rest.split('"').next().map(str::to_owned)
    });
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    let mut cached: Vec<(Vec<u64>, PathBuf)> = Vec::new();
    let registries = home.and_then(|home| std::fs::read_dir(home.join("registry/src")).ok());
    for registry in registries.into_iter().flatten().flatten() {
        for dir in std::fs::read_dir(registry.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let name = dir.file_name().to_string_lossy().into_owned();
            let Some(version) = name.strip_prefix(&format!("{package}-")) else {
                continue;
            };
            let wanted = locked.as_deref().is_none_or(|locked| locked == version);
            let numbers: Option<Vec<u64>> = version.split('.').map(|n| n.parse().ok()).collect();
            if let (true, Some(numbers)) = (wanted, numbers) {
                if dir.path().join("src/lib.rs").is_file() {
                    cached.push((numbers, dir.path()));
                }
            }
        }
    }
    let found = cached.into_iter().max().map(|(_, dir)| dir);
    if found.is_none() {
        eprintln!(
            "skipping the comparison with {package}: its source is not in the registry cache"
        );
    }
    found
}

/// Spells paths and lists one way: no leading `::` (`::std::option::Option` and
/// `std::option::Option` name the same type) and no trailing commas.
struct Normalize;

impl VisitMut for Normalize {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        path.leading_colon = None;
        visit_mut::visit_path_mut(self, path);
    }

    fn visit_signature_mut(&mut self, sig: &mut syn::Signature) {
        sig.inputs = std::mem::take(&mut sig.inputs).into_iter().collect();
        if let Some(clause) = &mut sig.generics.where_clause {
            clause.predicates = std::mem::take(&mut clause.predicates).into_iter().collect();
        }
        visit_mut::visit_signature_mut(self, sig);
    }

    fn visit_angle_bracketed_generic_arguments_mut(
        &mut self,
        args: &mut syn::AngleBracketedGenericArguments,
    ) {
        args.args = std::mem::take(&mut args.args).into_iter().collect();
        visit_mut::visit_angle_bracketed_generic_arguments_mut(self, args);
    }

    fn visit_parenthesized_generic_arguments_mut(
        &mut self,
        args: &mut syn::ParenthesizedGenericArguments,
    ) {
        args.inputs = std::mem::take(&mut args.inputs)
            .into_iter()
            .collect::<Punctuated<_, _>>();
        visit_mut::visit_parenthesized_generic_arguments_mut(self, args);
    }
}

/// The last segment of a type path, e.g. `Client` of `crate::Client`.
fn type_name(ty: &syn::Type) -> Option<String> {
    let syn::Type::Path(ty) = ty else {
        return None;
    };
    Some(ty.path.segments.last()?.ident.to_string())
}

/// `Type::method(signature)` of every public inherent method a user of the crate at
/// `root` calls: on the client, the operations' inputs, outputs, errors and builders, and
/// the data types. A type alias has the methods of the type it names.
fn public_methods(root: &Path) -> BTreeSet<String> {
    fn methods_in(
        items: &[syn::Item],
        out: &mut BTreeSet<String>,
        aliases: &mut Vec<(String, String)>,
    ) {
        for item in items {
            match item {
                syn::Item::Type(alias) if matches!(alias.vis, syn::Visibility::Public(_)) => {
                    if let Some(target) = type_name(&alias.ty) {
                        aliases.push((alias.ident.to_string(), target));
                    }
                }
                syn::Item::Impl(block) if block.trait_.is_none() => {
                    let Some(owner) = type_name(&block.self_ty) else {
                        continue;
                    };
                    for member in &block.items {
                        if let syn::ImplItem::Fn(f) = member {
                            if matches!(f.vis, syn::Visibility::Public(_)) {
                                let mut sig = f.sig.clone();
                                Normalize.visit_signature_mut(&mut sig);
                                out.insert(format!("{owner}::{}", sig.to_token_stream()));
                            }
                        }
                    }
                }
                syn::Item::Mod(module) => {
                    if let Some((_, inner)) = &module.content {
                        methods_in(inner, out, aliases);
                    }
                }
                _ => {}
            }
        }
    }
    fn walk(path: &Path, out: &mut BTreeSet<String>, aliases: &mut Vec<(String, String)>) {
        if path.is_dir() {
            for entry in std::fs::read_dir(path).unwrap() {
                walk(&entry.unwrap().path(), out, aliases);
            }
        } else if path.extension().is_some_and(|x| x == "rs") {
            let text = std::fs::read_to_string(path).unwrap();
            let file = syn::parse_file(&text)
                .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
            methods_in(&file.items, out, aliases);
        }
    }
    let mut out = BTreeSet::new();
    let mut aliases = Vec::new();
    for part in ["client.rs", "client", "operation", "types"] {
        walk(&root.join("src").join(part), &mut out, &mut aliases);
    }
    for (alias, target) in aliases {
        let prefix = format!("{target}::");
        let named: Vec<String> = out
            .iter()
            .filter_map(|m| Some(format!("{alias}::{}", m.strip_prefix(&prefix)?)))
            .collect();
        out.extend(named);
    }
    out
}

#[test]
fn code_written_against_the_official_crates_finds_every_method_in_the_generated_ones() {
    for (package, file) in [
        ("aws-sdk-sso", "sso.json"),
        ("aws-sdk-mediastoredata", "mediastore-data.json"),
    ] {
        let Some(official) = official_source(package) else {
            continue;
        };
        let dir = tempfile::tempdir().unwrap();
        for file in generated(listed(file)) {
            let path = dir.path().join(&file.path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, file.contents).unwrap();
        }
        let theirs = public_methods(&official);
        let ours = public_methods(dir.path());
        assert!(
            theirs.len() > 100,
            "{} methods read from {}",
            theirs.len(),
            official.display()
        );
        // `send_with` takes any customized client here; the official call,
        // `send_with(&client)` with a `Client`, compiles the same (and the meetings port
        // suite runs it).
        let missing: Vec<&String> = theirs
            .iter()
            .filter(|m| !ours.contains(*m) && !m.contains("::async fn send_with"))
            .collect();
        assert!(
            missing.is_empty(),
            "methods of {} the generated crate lacks or spells differently:\n{}",
            official.display(),
            missing
                .iter()
                .map(|m| format!("  {m}"))
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}
