//! Tests of the endpoint rule-set compiler (`chime_caps_codegen::endpoint`) on its own:
//! the official Chime SDK Meetings rule set renders, bad input is rejected with errors naming the
//! construct, and the generated code compiles cleanly against the runtime crate (rustc + clippy,
//! `-D warnings`) and passes its generated endpoint tests — for the Chime rule set, for a
//! synthetic rule set that exercises every supported function, and for the standard AWS rule
//! set synthesized for models without one (with its own tests, with the official Chime tests,
//! and over a partition table lacking FIPS / dual-stack in places) — and plugs into the
//! runtime's configuration (`ServiceInfo`), with the public API of the official SDK's
//! `config::endpoint`.

use chime_caps_codegen::endpoint::{self, EndpointError, EndpointModule};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod support;
use support::proof;

fn workspace_root() -> PathBuf {
    match std::env::var_os("CHIME_CAPS_WORKSPACE") {
        Some(root) => PathBuf::from(root),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join(".."),
    }
}

/// The Chime SDK Meetings model: the project's copy if it carries the rule set, else the
/// official one beside the checkout.
fn chime_traits() -> Map<String, Value> {
    let root = workspace_root();
    let candidates = [
        root.join("model/chime-sdk-meetings.json"),
        root.join("../shared/models/chime-sdk-meetings.json"),
    ];
    for path in &candidates {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let model: Value = serde_json::from_str(&text).expect("model JSON");
        let traits = model["shapes"]
            .as_object()
            .expect("shapes")
            .values()
            .find(|shape| shape["type"] == "service")
            .and_then(|service| service["traits"].as_object())
            .cloned()
            .expect("a service shape with traits");
        if traits.contains_key("smithy.rules#endpointRuleSet") {
            return traits;
        }
    }
    panic!("no Chime model with an endpoint rule set among {candidates:?}");
}

fn traits_of(rule_set: Value, tests: Option<Value>) -> Map<String, Value> {
    let mut traits = Map::new();
    traits.insert("smithy.rules#endpointRuleSet".into(), rule_set);
    if let Some(tests) = tests {
        traits.insert("smithy.rules#endpointTests".into(), tests);
    }
    traits
}

fn compile(traits: &Map<String, Value>) -> Result<EndpointModule, EndpointError> {
    endpoint::endpoint_module(traits).map(|m| m.expect("a rule set is present"))
}

// -------------------------------------------------------------------------------------------
// (a) the official rule set renders
// -------------------------------------------------------------------------------------------

#[test]
fn chime_rule_set_renders() {
    let traits = chime_traits();
    let module = compile(&traits).expect("chime rule set compiles");
    let names: Vec<_> = module.params.iter().map(|p| p.rust_name.as_str()).collect();
    assert_eq!(names, ["region", "use_dual_stack", "use_fips", "endpoint"]);
    let builtins: Vec<_> = module
        .params
        .iter()
        .map(|p| p.builtin.as_deref().unwrap())
        .collect();
    assert_eq!(
        builtins,
        [
            "AWS::Region",
            "AWS::UseDualStack",
            "AWS::UseFIPS",
            "SDK::Endpoint"
        ]
    );
    let cases = traits["smithy.rules#endpointTests"]["testCases"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(module.tests.len(), cases);

    let code = endpoint::render(&module).expect("endpoint.rs renders");
    for needle in [
        "pub struct Params",
        "pub(crate) region: ",
        "pub struct ParamsBuilder",
        "pub trait ResolveEndpoint",
        "pub struct DefaultResolver",
        "pub fn region(&self) -> ::std::option::Option<&str>",
        "pub fn use_fips(&self) -> ::std::option::Option<bool>",
        "pub fn set_region(",
        "::chime_caps_runtime::endpoint_lib::partition(",
        "&PARTITIONS,",
        "::chime_caps_runtime::endpoint_lib::is_valid_host_label(value, true)",
        "\"https://meetings-chime-fips.{region}.{}\"",
        "static PARTITIONS: PartitionTable",
        "name: \"aws-iso-f\"",
        "pub(crate) fn default_resolver() -> SharedEndpointResolver",
        "pub(crate) fn params_from_builtins(",
        ".set_region(builtins.region.clone())",
        ".set_use_fips(builtins.use_fips)",
        ".set_use_dual_stack(builtins.use_dual_stack)",
        ".set_endpoint(builtins.endpoint.clone())",
        "fn case_0()",
    ] {
        assert!(code.contains(needle), "missing `{needle}` in:\n{code}");
    }
    // No JSON is interpreted at run time, no library is pasted in, nothing is unused.
    for absent in [
        "serde_json",
        "crate::endpoint_lib",
        "dead_code",
        "fn is_valid_host_label",
        "parse_arn",
        "parse_url",
        // The rules are private: the public API is the official SDK's.
        "pub fn evaluate_rules",
        "pub use ::chime_caps_runtime::deps::aws_smithy_runtime_api::client::endpoint::error",
    ] {
        assert!(!code.contains(absent), "unexpected `{absent}` in:\n{code}");
    }
}

/// The partition table is only generated for rules that call `aws.partition`.
#[test]
fn partition_table_only_when_used() {
    let traits = traits_of(
        json!({"parameters": {"Endpoint": {"type": "String", "builtIn": "SDK::Endpoint"}},
               "rules": [{"type": "endpoint", "conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
                          "endpoint": {"url": "{Endpoint}"}},
                         {"type": "error", "conditions": [], "error": "no endpoint"}]}),
        None,
    );
    let code = endpoint::render(&compile(&traits).unwrap()).unwrap();
    assert!(!code.contains("PARTITIONS"), "{code}");
    assert!(!code.contains("endpoint_lib::{Partition"), "{code}");
    assert!(
        code.contains(".set_endpoint(builtins.endpoint.clone())"),
        "{code}"
    );

    let without_builtins = traits_of(
        json!({"parameters": {}, "rules": [{"type": "error", "conditions": [], "error": "no"}]}),
        None,
    );
    let code = endpoint::render(&compile(&without_builtins).unwrap()).unwrap();
    assert!(
        code.contains("_builtins: &::chime_caps_runtime::config::EndpointBuiltIns"),
        "{code}"
    );
}

#[test]
fn templates_are_registrable_in_a_shared_registry() {
    let mut registry = handlebars::Handlebars::new();
    registry.set_strict_mode(true);
    registry.register_escape_fn(handlebars::no_escape);
    for (name, source) in endpoint::TEMPLATES {
        registry
            .register_template_string(name, *source)
            .expect("template parses");
    }
    let module = compile(&chime_traits()).unwrap();
    let raw = registry
        .render("endpoint.rs", &module)
        .expect("renders in a shared registry");
    syn::parse_file(&raw).expect("valid Rust");
    assert!(
        endpoint::TEMPLATES
            .iter()
            .all(|(name, _)| *name != "endpoint_lib.rs"),
        "the library is the runtime's, not a template"
    );
}

#[test]
fn no_rule_set_means_no_module() {
    let mut traits = Map::new();
    traits.insert("aws.protocols#restJson1".into(), json!({}));
    assert!(endpoint::endpoint_module(&traits).unwrap().is_none());
}

// -------------------------------------------------------------------------------------------
// (b) errors name the construct
// -------------------------------------------------------------------------------------------

fn minimal_with_condition(condition: Value) -> Map<String, Value> {
    traits_of(
        json!({
            "version": "1.0",
            "parameters": {
                "Region": {"type": "String", "builtIn": "AWS::Region", "required": false, "documentation": "x"},
                "Flag": {"type": "Boolean", "required": true, "default": false, "documentation": "x"}
            },
            "rules": [
                {"type": "tree", "conditions": [], "rules": [
                    {"type": "endpoint", "conditions": [condition], "endpoint": {"url": "https://example.com"}}
                ]},
            ]
        }),
        None,
    )
}

fn error_of(traits: &Map<String, Value>) -> String {
    match endpoint::endpoint_module(traits) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn unsupported_function_is_named() {
    let message = error_of(&minimal_with_condition(
        json!({"fn": "aws.frobnicate", "argv": [{"ref": "Region"}]}),
    ));
    assert!(
        message.contains("unsupported function `aws.frobnicate`"),
        "{message}"
    );
    assert!(
        message.contains("rules[0].rules[0].conditions[0]"),
        "{message}"
    );
}

#[test]
fn type_errors_are_named() {
    let message = error_of(&minimal_with_condition(
        json!({"fn": "stringEquals", "argv": [{"ref": "Flag"}, "x"]}),
    ));
    assert!(
        message.contains("`stringEquals`") && message.contains("must be a string"),
        "{message}"
    );

    let message = error_of(&minimal_with_condition(
        json!({"fn": "getAttr", "argv": [{"fn": "aws.partition", "argv": [{"ref": "Region"}]}, "nope"]}),
    ));
    assert!(
        message.contains("`getAttr`") && message.contains("no attribute `nope`"),
        "{message}"
    );

    let message = error_of(&minimal_with_condition(
        json!({"fn": "isSet", "argv": [{"ref": "Missing"}]}),
    ));
    assert!(
        message.contains("unknown parameter or variable `Missing`"),
        "{message}"
    );

    let message = error_of(&minimal_with_condition(
        json!({"fn": "split", "argv": [{"ref": "Region"}, "-", 0]}),
    ));
    assert!(
        message.contains("unsupported function `split`"),
        "{message}"
    );

    let message = error_of(&minimal_with_condition(
        json!({"fn": "not", "argv": [true, false]}),
    ));
    assert!(message.contains("`not` takes 1 argument"), "{message}");
}

/// `params_from_builtins` fills parameters from the configuration's built-ins only: other
/// `builtIn`s, and required parameters it could not fill, are refused at generation time.
#[test]
fn parameters_the_configuration_cannot_fill_are_named() {
    let with_param = |name: &str, spec: Value| {
        traits_of(
            json!({"parameters": {name: spec},
                   "rules": [{"type": "error", "conditions": [], "error": "x"}]}),
            None,
        )
    };
    let message = error_of(&with_param(
        "Accelerate",
        json!({"type": "Boolean", "builtIn": "AWS::S3::Accelerate", "required": true, "default": false}),
    ));
    assert!(message.contains("parameters.Accelerate"), "{message}");
    assert!(message.contains("`AWS::S3::Accelerate`"), "{message}");
    assert!(message.contains("AWS::Region, AWS::UseFIPS"), "{message}");

    let message = error_of(&with_param(
        "Mode",
        json!({"type": "String", "required": true}),
    ));
    assert!(message.contains("parameters.Mode"), "{message}");
    assert!(
        message.contains("needs a `default` or a `builtIn`"),
        "{message}"
    );

    let message = error_of(&with_param(
        "Region",
        json!({"type": "Boolean", "builtIn": "AWS::Region"}),
    ));
    assert!(message.contains("parameters.Region"), "{message}");
    assert!(message.contains("`AWS::Region` is a string"), "{message}");

    // Required with a default, or bound to a built-in, is fine.
    for spec in [
        json!({"type": "String", "required": true, "default": "x"}),
        json!({"type": "String", "required": true, "builtIn": "AWS::Region"}),
    ] {
        assert!(endpoint::endpoint_module(&with_param("P", spec)).is_ok());
    }
}

#[test]
fn garbage_is_rejected() {
    let cases = [
        (json!("not an object"), "must be an object"),
        (
            json!({"parameters": {}, "rules": "nope"}),
            "`rules` must be an array",
        ),
        (json!({"parameters": {}, "rules": []}), "at least one rule"),
        (
            json!({"parameters": {"P": {"type": "Integer"}}, "rules": []}),
            "unsupported parameter type `Integer`",
        ),
        (
            json!({"parameters": {}, "rules": [{"type": "maybe", "conditions": []}]}),
            "unsupported rule type `maybe`",
        ),
        (
            json!({"parameters": {}, "rules": [{"type": "endpoint", "conditions": [],
                "endpoint": {"url": "https://{Nope}.example.com"}}]}),
            "unknown parameter or variable `Nope`",
        ),
        (
            json!({"parameters": {}, "rules": [{"type": "endpoint", "conditions": [],
                "endpoint": {"url": "https://{oops.example.com"}}]}),
            "unterminated",
        ),
        (
            json!({"parameters": {}, "rules": [{"type": "error", "conditions": [{"fn": "isSet"}], "error": "x"}]}),
            "needs an `argv` array",
        ),
        (
            json!({"parameters": {}, "rules": [{"type": "endpoint", "conditions": [],
                "endpoint": {"url": ["https://example.com"]}}]}),
            "unsupported array literal",
        ),
    ];
    for (rule_set, expected) in cases {
        let message = error_of(&traits_of(rule_set.clone(), None));
        assert!(
            message.contains(expected),
            "{rule_set}: `{message}` lacks `{expected}`"
        );
    }

    let mut bdd_only = Map::new();
    bdd_only.insert("smithy.rules#endpointBdd".into(), json!({"version": "1.1"}));
    assert!(error_of(&bdd_only).contains("endpointBdd"));

    let bad_test = traits_of(
        json!({"parameters": {}, "rules": [{"type": "endpoint", "conditions": [], "endpoint": {"url": "https://e.com"}}]}),
        Some(json!({"testCases": [{"params": {"Nope": 1}, "expect": {"error": "x"}}]})),
    );
    let message = error_of(&bad_test);
    assert!(
        message.contains("test case 0") && message.contains("unknown parameter `Nope`"),
        "{message}"
    );
}

// -------------------------------------------------------------------------------------------
// (c) the generated code compiles without warnings and its endpoint tests pass
// -------------------------------------------------------------------------------------------

/// A rule set of our own that reaches every supported function and construct, with its tests.
fn kitchen_sink() -> Map<String, Value> {
    let rule_set = json!({
        "version": "1.1",
        "parameters": {
            "Region": {"type": "String", "builtIn": "AWS::Region", "required": false, "documentation": "d"},
            "UseFIPS": {"type": "Boolean", "builtIn": "AWS::UseFIPS", "required": true, "default": false, "documentation": "d"},
            "Endpoint": {"type": "String", "builtIn": "SDK::Endpoint", "required": false, "documentation": "d"},
            "Bucket": {"type": "String", "required": false, "documentation": "d"},
            "Stage": {"type": "String", "required": true, "default": "prod", "documentation": "d"},
            "Alias": {"type": "String", "required": false, "documentation": "d"},
            "Tags": {"type": "stringArray", "required": false, "documentation": "d"},
            "Key": {"type": "String", "required": false, "documentation": "d"},
            "Mode": {"type": "String", "required": true, "default": "m", "documentation": "d"},
            "UseDualStack": {"type": "Boolean", "builtIn": "AWS::UseDualStack", "required": true, "documentation": "d"}
        },
        "rules": [
            {"type": "error", "conditions": [{"fn": "stringEquals", "argv": [{"ref": "Mode"}, "broken"]}],
             "error": "mode {Mode} is broken"},
            {"type": "error", "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseDualStack"}, true]}],
             "error": "no dual-stack endpoints"},
            {"type": "endpoint",
             "conditions": [{"fn": "stringEquals", "argv": [{"fn": "coalesce", "argv": [{"ref": "Alias"}, {"ref": "Stage"}]}, "beta"]}],
             "endpoint": {"url": "https://beta.example.com"}},
            {"type": "tree", "conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}], "rules": [
                {"type": "tree", "conditions": [{"fn": "parseURL", "argv": [{"ref": "Endpoint"}], "assign": "url"}], "rules": [
                    {"type": "endpoint",
                     "conditions": [
                        {"fn": "isSet", "argv": [{"ref": "Bucket"}]},
                        {"fn": "aws.isVirtualHostableS3Bucket", "argv": [{"ref": "Bucket"}, false]},
                        {"fn": "not", "argv": [{"fn": "getAttr", "argv": [{"ref": "url"}, "isIp"]}]}
                     ],
                     "endpoint": {"url": "{url#scheme}://{Bucket}.{url#authority}{url#path}",
                                  "headers": {"x-bucket": ["{Bucket}"]}}},
                    {"type": "endpoint", "conditions": [],
                     "endpoint": {"url": "{url#scheme}://{url#authority}{url#normalizedPath}{Stage}",
                                  "properties": {
                                      "authSchemes": [{"name": "sigv4", "signingName": "svc", "disableDoubleEncoding": true}],
                                      "count": 3
                                  }}}
                ]},
                {"type": "error", "conditions": [], "error": "invalid endpoint {Endpoint}"}
            ]},
            {"type": "tree",
             "conditions": [
                {"fn": "isSet", "argv": [{"ref": "Bucket"}]},
                {"fn": "aws.parseArn", "argv": [{"ref": "Bucket"}], "assign": "arn"}
             ],
             "rules": [
                {"type": "endpoint",
                 "conditions": [
                    {"fn": "stringEquals", "argv": [{"fn": "getAttr", "argv": [{"ref": "arn"}, "service"]}, "s3"]},
                    {"fn": "getAttr", "argv": [{"ref": "arn"}, "resourceId[1]"], "assign": "name"}
                 ],
                 "endpoint": {"url": "https://{name}-{arn#accountId}.{arn#region}.example.com",
                              "properties": {"arnPartition": "{arn#partition}", "first": "{arn#resourceId[0]}"}}},
                {"type": "error", "conditions": [], "error": "unsupported arn service {arn#service}"}
             ]},
            {"type": "tree", "conditions": [{"fn": "isSet", "argv": [{"ref": "Key"}]}], "rules": [
                {"type": "endpoint",
                 "conditions": [
                    {"fn": "uriEncode", "argv": [{"ref": "Key"}], "assign": "encoded"},
                    {"fn": "substring", "argv": [{"ref": "Key"}, 0, 3, false], "assign": "prefix"},
                    {"fn": "substring", "argv": [{"ref": "Key"}, 0, 2, true], "assign": "suffix"}
                 ],
                 "endpoint": {"url": "https://{prefix}.keys.example.com/{encoded}/{suffix}"}},
                {"type": "error", "conditions": [], "error": "key too short: {Key}"}
            ]},
            {"type": "endpoint",
             "conditions": [
                {"fn": "isSet", "argv": [{"ref": "Tags"}]},
                {"fn": "getAttr", "argv": [{"ref": "Tags"}, "[0]"], "assign": "firstTag"}
             ],
             "endpoint": {"url": "https://{firstTag}.tags.example.com"}},
            {"type": "tree",
             "conditions": [
                {"fn": "isSet", "argv": [{"ref": "Region"}]},
                {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "p"}
             ],
             "rules": [
                {"type": "error",
                 "conditions": [{"fn": "not", "argv": [{"fn": "isValidHostLabel", "argv": [{"ref": "Region"}, false]}]}],
                 "error": "bad region {Region}"},
                {"type": "error",
                 "conditions": [
                    {"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]},
                    {"fn": "booleanEquals", "argv": [{"fn": "getAttr", "argv": [{"ref": "p"}, "supportsFIPS"]}, false]}
                 ],
                 "error": "no FIPS in {p#name}"},
                {"type": "endpoint",
                 "conditions": [{"fn": "booleanEquals", "argv": [true, {"ref": "UseFIPS"}]}],
                 "endpoint": {"url": "https://svc-fips.{Region}.{p#dnsSuffix}"}},
                {"type": "endpoint",
                 "conditions": [{"fn": "stringEquals", "argv": ["aws-cn", {"fn": "getAttr", "argv": [{"ref": "p"}, "name"]}]}],
                 "endpoint": {"url": "https://svc.{Region}.{p#dnsSuffix}",
                              "headers": {"x-partition": ["cn", "{p#name}"]}}},
                {"type": "endpoint",
                 "conditions": [{"fn": "isValidHostLabel", "argv": ["{Region}-{Stage}", true], "assign": "ok"}],
                 "endpoint": {"url": "https://{Stage}.svc.{Region}.{p#dnsSuffix}",
                              "properties": {"ok": {"ref": "ok"}, "global": "{p#implicitGlobalRegion}"}}}
             ]},
            {"type": "error", "conditions": [], "error": "Invalid Configuration: Missing Region"}
        ]
    });
    let ok = |url: &str| json!({"endpoint": {"url": url}});
    let err = |message: &str| json!({"error": message});
    let cases = vec![
        (json!({"Mode": "broken"}), err("mode broken is broken")),
        (
            json!({"Mode": "m", "Alias": "beta"}),
            ok("https://beta.example.com"),
        ),
        (
            json!({"Mode": "m", "Stage": "beta"}),
            ok("https://beta.example.com"),
        ),
        (
            json!({"Mode": "m", "Endpoint": "https://example.com:8443/base", "Bucket": "my-bucket"}),
            json!({"endpoint": {"url": "https://my-bucket.example.com:8443/base", "headers": {"x-bucket": ["my-bucket"]}}}),
        ),
        (
            json!({"Mode": "m", "Endpoint": "http://127.0.0.1/a", "Bucket": "my-bucket"}),
            json!({"endpoint": {"url": "http://127.0.0.1/a/prod", "properties": {
                "authSchemes": [{"name": "sigv4", "signingName": "svc", "disableDoubleEncoding": true}],
                "count": 3
            }}}),
        ),
        (
            json!({"Mode": "m", "Endpoint": "https://example.com?x=y"}),
            err("invalid endpoint https://example.com?x=y"),
        ),
        (
            json!({"Mode": "m", "Endpoint": "ftp://example.com"}),
            err("invalid endpoint ftp://example.com"),
        ),
        (
            json!({"Mode": "m", "Endpoint": "http://example.com:http/"}),
            err("invalid endpoint http://example.com:http/"),
        ),
        (
            json!({"Mode": "m", "Endpoint": "https://[fd00::1]:8443", "Bucket": "my-bucket"}),
            json!({"endpoint": {"url": "https://[fd00::1]:8443/prod", "properties": {
                "authSchemes": [{"name": "sigv4", "signingName": "svc", "disableDoubleEncoding": true}],
                "count": 3
            }}}),
        ),
        (
            json!({"Mode": "m", "Endpoint": "https://user@example.com/", "Bucket": "a.b"}),
            json!({"endpoint": {"url": "https://example.com/prod", "properties": {
                "authSchemes": [{"name": "sigv4", "signingName": "svc", "disableDoubleEncoding": true}],
                "count": 3
            }}}),
        ),
        (
            json!({"Mode": "m", "Endpoint": "https://example.com", "Bucket": "Bad_Bucket"}),
            json!({"endpoint": {"url": "https://example.com/prod", "properties": {
                "authSchemes": [{"name": "sigv4", "signingName": "svc", "disableDoubleEncoding": true}],
                "count": 3
            }}}),
        ),
        (
            json!({"Mode": "m", "Bucket": "arn:aws:s3:us-west-2:123456789012:accesspoint/myap"}),
            json!({"endpoint": {"url": "https://myap-123456789012.us-west-2.example.com",
                                "properties": {"arnPartition": "aws", "first": "accesspoint"}}}),
        ),
        (
            json!({"Mode": "m", "Bucket": "arn:aws:sqs:us-west-2:123456789012:queue"}),
            err("unsupported arn service sqs"),
        ),
        (
            json!({"Mode": "m", "Bucket": "arn:aws:s3:us-west-2:123456789012:single"}),
            err("unsupported arn service s3"),
        ),
        (
            json!({"Mode": "m", "Bucket": "plain-bucket", "Region": "us-east-1"}),
            json!({"endpoint": {"url": "https://prod.svc.us-east-1.amazonaws.com",
                                "properties": {"ok": true, "global": "us-east-1"}}}),
        ),
        (
            json!({"Mode": "m", "Key": "hello world/x"}),
            ok("https://hel.keys.example.com/hello%20world%2Fx//x"),
        ),
        (json!({"Mode": "m", "Key": "ab"}), err("key too short: ab")),
        (
            json!({"Mode": "m", "Key": "h\u{e9}llo"}),
            err("key too short: h\u{e9}llo"),
        ),
        (
            json!({"Mode": "m", "Tags": ["alpha", "beta"]}),
            ok("https://alpha.tags.example.com"),
        ),
        (
            json!({"Mode": "m", "Tags": [], "Region": "eu-west-1"}),
            json!({"endpoint": {"url": "https://prod.svc.eu-west-1.amazonaws.com",
                                "properties": {"ok": true, "global": "us-east-1"}}}),
        ),
        (
            json!({"Mode": "m", "Region": "cn-north-1"}),
            json!({"endpoint": {"url": "https://svc.cn-north-1.amazonaws.com.cn",
                                "headers": {"x-partition": ["cn", "aws-cn"]}}}),
        ),
        (
            json!({"Mode": "m", "Region": "us-gov-west-1", "UseFIPS": true}),
            ok("https://svc-fips.us-gov-west-1.amazonaws.com"),
        ),
        (
            json!({"Mode": "m", "Region": "bad region"}),
            err("bad region bad region"),
        ),
        (
            json!({"Mode": "m", "Region": "us-isof-south-1"}),
            json!({"endpoint": {"url": "https://prod.svc.us-isof-south-1.csp.hci.ic.gov",
                                "properties": {"ok": true, "global": "us-isof-south-1"}}}),
        ),
        (
            json!({"Mode": "m", "Region": "eusc-de-east-9"}),
            json!({"endpoint": {"url": "https://prod.svc.eusc-de-east-9.amazonaws.eu",
                                "properties": {"ok": true, "global": "eusc-de-east-1"}}}),
        ),
        (
            json!({"Mode": "m", "Region": "mars-west-1"}),
            json!({"endpoint": {"url": "https://prod.svc.mars-west-1.amazonaws.com",
                                "properties": {"ok": true, "global": "us-east-1"}}}),
        ),
        (
            json!({"Mode": "m", "Region": "us-east-1", "Stage": "bad_stage"}),
            err("no endpoint rule matched the endpoint parameters (rule set exhausted)"),
        ),
        (
            json!({"Mode": "m"}),
            err("Invalid Configuration: Missing Region"),
        ),
        (json!({}), err("Invalid Configuration: Missing Region")),
        (
            json!({"UseDualStack": true}),
            err("no dual-stack endpoints"),
        ),
        // `null`: leave the required UseDualStack unset.
        (
            json!({"UseDualStack": null}),
            err("UseDualStack is required"),
        ),
    ];
    let cases: Vec<Value> = cases
        .into_iter()
        .enumerate()
        .map(|(i, (mut params, expect))| {
            let params_map = params.as_object_mut().expect("params object");
            match params_map.get("UseDualStack") {
                None => {
                    params_map.insert("UseDualStack".into(), json!(false));
                }
                Some(Value::Null) => {
                    params_map.remove("UseDualStack");
                }
                Some(_) => {}
            }
            json!({"documentation": format!("synthetic case {i}"), "params": params, "expect": expect})
        })
        .collect();
    traits_of(
        rule_set,
        Some(json!({"version": "1.0", "testCases": cases})),
    )
}

#[test]
fn kitchen_sink_compiles() {
    let module = compile(&kitchen_sink()).expect("kitchen sink compiles");
    let code = endpoint::render(&module).unwrap();
    for function in [
        "partition(",
        "parse_url(",
        "substring(",
        "is_valid_host_label(",
        "uri_encode(",
        "parse_arn(",
        "is_virtual_hostable_s3_bucket(",
        "array_item(",
    ] {
        let call = format!("::chime_caps_runtime::endpoint_lib::{function}");
        assert!(code.contains(&call), "missing `{call}` in:\n{code}");
    }
    assert!(code.contains("pub(crate) mode: ::std::string::String,"));
    assert!(code.contains(
        "pub(crate) tags: ::std::option::Option<::std::vec::Vec<::std::string::String>>,"
    ));
    assert!(code.contains("field: \"use_dual_stack\""), "{code}");
}

const PROOF_LIB_RS: &str = r#"#![deny(warnings, missing_docs, rust_2018_idioms)]
//! Endpoint code generated by chime-caps-codegen, compiled on its own.
/// Configuration.
pub mod config {
    pub mod endpoint;
}

/// The service as the runtime sees it: the generated endpoint functions plugged in where a
/// generated crate plugs them.
pub static SERVICE: ::chime_caps_runtime::config::ServiceInfo = ::chime_caps_runtime::config::ServiceInfo {
    service_id: "Proof",
    shape_name: "Proof",
    signing_name: "proof",
    retry_partition: "proof",
    api_metadata: ::chime_caps_runtime::deps::aws_runtime::user_agent::ApiMetadata::new("proof", "0.0.0"),
    metrics_scope: "endpoint-proof",
    config_name: "endpoint_proof::Config",
    endpoint_params: config::endpoint::params_from_builtins,
    default_endpoint_resolver: config::endpoint::default_resolver,
    uses_idempotency_tokens: false,
};
"#;

/// Exercises the public API of the generated module from outside the crate, with the official
/// SDK's names and signatures, and its use by the runtime's configuration.
const PROOF_API_TEST: &str = r#"
use std::future::Future;
use std::task::{Context, Poll, Waker};

use chime_caps_runtime::config::{ConfigBuilder, EndpointBuiltIns, EndpointParams};
use chime_caps_runtime::deps::aws_smithy_async::rt::sleep::{AsyncSleep, SharedAsyncSleep, Sleep};
use chime_caps_runtime::deps::aws_smithy_runtime_api::box_error::BoxError;
use chime_caps_runtime::deps::aws_smithy_runtime_api::client::behavior_version::BehaviorVersion;
use chime_caps_runtime::deps::aws_smithy_runtime_api::client::endpoint::{
    EndpointResolverParams, ResolveEndpoint as RuntimeResolveEndpoint,
};
use chime_caps_runtime::deps::aws_smithy_types::config_bag::ConfigBag;

use chime_caps_runtime::deps::aws_types::region::Region;
use PROOF_CRATE::config::endpoint::{
    DefaultResolver, Endpoint, EndpointFuture, InvalidParams, Params, ParamsBuilder,
    ResolveEndpoint, SharedEndpointResolver,
};
use PROOF_CRATE::SERVICE;

fn now<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("endpoint resolution should be ready at once"),
    }
}

/// The signatures of the official `aws_sdk_chimesdkmeetings::config::endpoint`.
#[test]
fn official_signatures() {
    let _: fn() -> ParamsBuilder = Params::builder;
    let _: fn(&Params) -> Option<&str> = Params::region;
    let _: fn(&Params) -> Option<bool> = Params::use_dual_stack;
    let _: fn(&Params) -> Option<bool> = Params::use_fips;
    let _: fn(&Params) -> Option<&str> = Params::endpoint;
    let _: fn(ParamsBuilder) -> Result<Params, InvalidParams> = ParamsBuilder::build;
    // `impl Into<..>` setters.
    let _: fn(ParamsBuilder) -> ParamsBuilder = |b| {
        b.region("a")
            .region(String::from("b"))
            .use_fips(true)
            .use_dual_stack(false)
            .endpoint("https://e")
    };
    let _: fn(ParamsBuilder, Option<String>) -> ParamsBuilder = ParamsBuilder::set_region;
    let _: fn(ParamsBuilder, Option<bool>) -> ParamsBuilder = ParamsBuilder::set_use_fips;
    let _: fn(ParamsBuilder, Option<bool>) -> ParamsBuilder = ParamsBuilder::set_use_dual_stack;
    let _: fn(ParamsBuilder, Option<String>) -> ParamsBuilder = ParamsBuilder::set_endpoint;
    let _: fn() -> DefaultResolver = DefaultResolver::new;
    let _: fn() -> DefaultResolver = <DefaultResolver as Default>::default;
    let _: for<'a> fn(&'a DefaultResolver, &'a Params) -> EndpointFuture<'a> =
        <DefaultResolver as ResolveEndpoint>::resolve_endpoint;
    let _: fn(DefaultResolver) -> SharedEndpointResolver =
        <DefaultResolver as ResolveEndpoint>::into_shared_resolver;
    fn value<T: Clone + PartialEq + std::fmt::Debug + Send + Sync>(_: &T) {}
    fn error<E: std::error::Error + Send + Sync + 'static>(_: &E) {}
    value(&ParamsBuilder::default());
    value(&Params::builder().build().expect("valid"));
    error(&Params::builder().region("a b").build().expect_err("invalid"));
}

/// A user's resolver, as the official SDK's documentation writes one.
#[derive(Debug)]
struct Fixed;

impl ResolveEndpoint for Fixed {
    fn resolve_endpoint<'a>(&'a self, params: &'a Params) -> EndpointFuture<'a> {
        let url = format!("https://{}.example.com", params.region().unwrap_or("nowhere"));
        EndpointFuture::ready(Ok(Endpoint::builder().url(url).build()))
    }
}

#[test]
fn resolvers() {
    let params = Params::builder().region("us-east-1").use_fips(true).build().expect("valid");
    assert_eq!(params.region(), Some("us-east-1"));
    assert_eq!(params.use_fips(), Some(true));
    assert_eq!(params.use_dual_stack(), Some(false));
    assert_eq!(params.endpoint(), None);
    let resolver = DefaultResolver::new();
    for _ in 0..2 {
        let endpoint = now(resolver.resolve_endpoint(&params)).expect("endpoint");
        assert_eq!(endpoint.url(), "https://meetings-chime-fips.us-east-1.amazonaws.com");
    }

    let shared = DefaultResolver::default().into_shared_resolver();
    let runtime_params = EndpointResolverParams::new(params.clone());
    let endpoint = now(shared.resolve_endpoint(&runtime_params)).expect("through the shared resolver");
    assert_eq!(endpoint.url(), "https://meetings-chime-fips.us-east-1.amazonaws.com");
    let other_type = now(shared.resolve_endpoint(&EndpointResolverParams::new(42_u8)))
        .expect_err("parameters of another type");
    assert!(other_type.to_string().contains("config::endpoint::Params"), "{other_type}");

    let user = now(Fixed.into_shared_resolver().resolve_endpoint(&runtime_params)).unwrap();
    assert_eq!(user.url(), "https://us-east-1.example.com");

    // `build` refuses a region that is not a host label; the rules are never reached.
    let err = Params::builder().region("us-east-1/evil").build().expect_err("invalid region");
    assert!(err.to_string().contains("`region`"), "{err}");

    let err = now(DefaultResolver::new().resolve_endpoint(&Params::builder().build().unwrap()))
        .expect_err("no region");
    assert_eq!(err.to_string(), "Invalid Configuration: Missing Region");
}

#[test]
fn builtins_become_params() -> Result<(), BoxError> {
    let mut builtins = EndpointBuiltIns::default();
    builtins.region = Some("us-west-2".into());
    builtins.use_fips = Some(true);
    let params = (SERVICE.endpoint_params)(&builtins)?.resolver_params()?;
    let params = params.get::<Params>().expect("the service's Params");
    assert_eq!(params, &Params::builder().region("us-west-2").use_fips(true).build()?);
    assert_eq!(params.use_dual_stack(), Some(false), "defaults apply");

    builtins.endpoint = Some("http://127.0.0.1:1234".into());
    let params = (SERVICE.endpoint_params)(&builtins)?.resolver_params()?;
    assert_eq!(params.get::<Params>().and_then(Params::endpoint), Some("http://127.0.0.1:1234"));

    builtins.region = Some("us-west-2/evil".into());
    let err = (SERVICE.endpoint_params)(&builtins).expect_err("bad region");
    assert!(err.to_string().contains("`region`"), "{err}");
    Ok(())
}

/// A sleep for the configuration's validation; nothing here waits.
#[derive(Debug)]
struct NeverWakes;

impl AsyncSleep for NeverWakes {
    fn sleep(&self, _: std::time::Duration) -> Sleep {
        Sleep::new(std::future::pending())
    }
}

/// What the runtime stores for a configuration, resolved by the default resolver it installs.
fn resolve_configured(region: &str) -> Result<Endpoint, BoxError> {
    let mut builder = ConfigBuilder::default();
    builder.set_region(Some(Region::new(region.to_owned())));
    // Without the `rt-tokio` feature there is no default sleep, which the defaults need.
    builder.components.set_sleep_impl(Some(SharedAsyncSleep::new(NeverWakes)));
    builder.behavior_version = Some(BehaviorVersion::latest());
    let plugins = builder.build(&SERVICE).client_plugins(&SERVICE, false)?;
    let mut bag = ConfigBag::base();
    let components = plugins.apply_client_configuration(&mut bag)?;
    // Each call copies the stored parameters; invalid ones fail the call with the reason.
    let params = bag.load::<EndpointParams>().expect("endpoint parameters stored");
    let params = params.resolver_params()?;
    let resolver = components.endpoint_resolver().expect("the default resolver installed");
    now(resolver.resolve_endpoint(&params))
}

#[test]
fn the_runtime_configuration_resolves_through_the_generated_functions() {
    let endpoint = resolve_configured("eu-central-1").expect("endpoint");
    assert_eq!(endpoint.url(), "https://meetings-chime.eu-central-1.amazonaws.com");
    // An invalid region makes invalid parameters: the call fails with the reason, no panic.
    let err = resolve_configured("eu central").expect_err("invalid region");
    assert!(err.to_string().contains("must be a valid host label"), "{err}");
}
"#;

/// The runtime crate the generated code depends on.
fn runtime_crate() -> PathBuf {
    workspace_root()
        .join("codegen/runtime")
        .canonicalize()
        .expect("the runtime crate beside the generator")
}

/// Writes a proof crate into `dir`; only files whose contents change are rewritten, so
/// cargo rebuilds only what changed since the last run.
fn write_proof_crate(dir: &Path, name: &str, module: &EndpointModule, api_test: bool) {
    let manifest = format!(
        r#"[package]
name = "{name}"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
chime-caps-runtime = {{ path = {runtime:?} }}
"#,
        runtime = runtime_crate().display().to_string()
    );
    let mut files = BTreeMap::from([
        ("Cargo.toml".to_owned(), manifest),
        ("src/lib.rs".to_owned(), PROOF_LIB_RS.to_owned()),
        (
            "src/config/endpoint.rs".to_owned(),
            endpoint::render(module).unwrap(),
        ),
    ]);
    if api_test {
        files.insert(
            "tests/api.rs".to_owned(),
            PROOF_API_TEST.replace("PROOF_CRATE", &name.replace('-', "_")),
        );
    }
    support::sync_tree(dir, &files);
}

/// The `#[test]`s of [`PROOF_API_TEST`].
const API_TESTS: usize = 4;

/// The embedded partition table with FIPS taken from `aws-cn` and dual-stack from
/// `aws-iso-b`, so the standard rule set's "not supported" errors are reached.
fn limited_partitions() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/partitions.json");
    let mut table: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for partition in table["partitions"].as_array_mut().unwrap() {
        match partition["id"].as_str().unwrap() {
            "aws-cn" => partition["outputs"]["supportsFIPS"] = json!(false),
            "aws-iso-b" => partition["outputs"]["supportsDualStack"] = json!(false),
            _ => {}
        }
    }
    table.to_string()
}

/// The standard rule set for `meetings-chime` (what a model without a rule set gets) is the
/// published one: it passes every test case of the official model.
fn standard_with_official_tests() -> Map<String, Value> {
    let official = chime_traits();
    traits_of(
        endpoint::standard_rule_set("meetings-chime"),
        official.get("smithy.rules#endpointTests").cloned(),
    )
}

/// The partition that lists `region` in the embedded table.
fn listing_partition(table: &Value, region: &str) -> Option<String> {
    table["partitions"]
        .as_array()?
        .iter()
        .find(|p| {
            p["regions"]
                .as_array()
                .is_some_and(|rs| rs.iter().any(|r| r == region))
        })
        .and_then(|p| p["id"].as_str())
        .map(str::to_owned)
}

#[test]
fn the_official_cases_need_no_partition_beyond_our_table_and_ours_sample_them_all() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/partitions.json");
    let table: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let partitions = |tests: &Value| -> std::collections::BTreeSet<String> {
        tests["testCases"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| c["params"]["Region"].as_str())
            .map(|r| {
                listing_partition(&table, r).unwrap_or_else(|| panic!("no partition lists {r}"))
            })
            .collect()
    };
    let official = partitions(&chime_traits()["smithy.rules#endpointTests"]);
    let sampled = partitions(&endpoint::standard_endpoint_tests("meetings-chime").unwrap());
    assert!(official.is_subset(&sampled), "{official:?} vs {sampled:?}");
    assert_eq!(sampled.len(), table["partitions"].as_array().unwrap().len());
}

#[test]
fn generated_code_compiles_cleanly_and_its_endpoint_tests_pass() {
    let chime = compile(&chime_traits()).unwrap();
    let chime_cases = chime.tests.len();
    let sink = compile(&kitchen_sink()).unwrap();
    let sink_cases = sink.tests.len();
    let standard = compile(&traits_of(
        endpoint::standard_rule_set("meetings-chime"),
        Some(endpoint::standard_endpoint_tests("meetings-chime").unwrap()),
    ))
    .unwrap();
    let standard_cases = standard.tests.len();
    let standard_official = compile(&standard_with_official_tests()).unwrap();
    let standard_official_cases = standard_official.tests.len();
    let limited_table = limited_partitions();
    let limited = endpoint::endpoint_module_with_partitions(
        &traits_of(
            endpoint::standard_rule_set("svc"),
            Some(endpoint::standard_endpoint_tests_with_partitions("svc", &limited_table).unwrap()),
        ),
        &limited_table,
    )
    .unwrap()
    .unwrap();
    let limited_cases = limited.tests.len();
    assert!(
        limited
            .tests
            .iter()
            .filter(|t| t.expect_error.is_some())
            .count()
            > 5,
        "the limited table reaches the unsupported-feature errors"
    );

    // The proof workspace is kept between runs (set ENDPOINT_PROOF_DIR to put it elsewhere).
    let dir = std::env::var_os("ENDPOINT_PROOF_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| proof::target_dir().join("endpoint-workspace"));
    let dir = dir.as_path();
    let members = [
        "chime",
        "kitchen-sink",
        "standard",
        "standard-official",
        "standard-limited",
    ]
    .map(str::to_owned);
    proof::write_workspace(dir, &members);
    write_proof_crate(&dir.join("chime"), "endpoint-proof-chime", &chime, true);
    write_proof_crate(
        &dir.join("kitchen-sink"),
        "endpoint-proof-kitchen-sink",
        &sink,
        false,
    );
    // The synthesized rule set has the same public API as the published one.
    write_proof_crate(
        &dir.join("standard"),
        "endpoint-proof-standard",
        &standard,
        true,
    );
    write_proof_crate(
        &dir.join("standard-official"),
        "endpoint-proof-standard-official",
        &standard_official,
        false,
    );
    write_proof_crate(
        &dir.join("standard-limited"),
        "endpoint-proof-standard-limited",
        &limited,
        false,
    );
    let run = proof::cargo(dir, &["test", "--workspace", "--quiet"]);
    eprintln!("{} took {:.1?}", run.command, run.took);
    assert!(run.ok, "generated endpoint tests failed:\n{}", run.report());
    // One passing test per test case of every crate, plus the API tests of the two
    // crates that carry them.
    assert_eq!(
        run.passed_tests(),
        chime_cases
            + sink_cases
            + standard_cases
            + standard_official_cases
            + limited_cases
            + 2 * API_TESTS,
        "{}",
        run.report()
    );

    let run = proof::cargo(
        dir,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ],
    );
    eprintln!("{} took {:.1?}", run.command, run.took);
    assert!(
        run.clean(),
        "clippy found problems in the generated endpoint code:\n{}",
        run.report()
    );
}
