//! `diff`: every classification rule on a small synthetic model edited one way at a time
//! (each asserting the exact list of changes), the real Chime SDK Meetings updates, and
//! the `chime-caps-codegen diff` command's output and exit codes.

use std::path::PathBuf;
use std::process::Command;

use chime_caps_codegen::ast::Model;
use chime_caps_codegen::diff::{diff, load, ChangeKind, Diff, DiffError, Impact, WhichModel};
use chime_caps_codegen::workspace_root;
use serde_json::{json, Map, Value};

use ChangeKind::*;
use Impact::{Additive, Behavior, Breaking, Documentation};

// ---------------------------------------------------------------------------------------
// The synthetic model and its edits

/// A small service: two operations bound directly (one paginated), one through a
/// resource, a service-level error, and every kind of data shape.
fn base() -> Value {
    let unit = |value: Value| json!({"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": value}});
    json!({
      "smithy": "2.0",
      "shapes": {
        "ex#Svc": {"type": "service", "version": "2024-01-01",
          "operations": [{"target": "ex#GetThing"}, {"target": "ex#ListThings"}],
          "resources": [{"target": "ex#Widget"}],
          "errors": [{"target": "ex#Throttled"}],
          "traits": {"aws.protocols#restJson1": {}, "aws.auth#sigv4": {"name": "ex"},
                     "aws.api#service": {"sdkId": "Example", "endpointPrefix": "example"},
                     "smithy.api#documentation": "Manages things."}},
        "ex#Widget": {"type": "resource", "read": {"target": "ex#GetWidget"}},
        "ex#GetWidget": {"type": "operation", "input": {"target": "ex#GetWidgetInput"},
          "output": {"target": "ex#GetWidgetOutput"},
          "traits": {"smithy.api#http": {"method": "GET", "uri": "/widgets/{Id}"}, "smithy.api#readonly": {}}},
        "ex#GetWidgetInput": {"type": "structure", "traits": {"smithy.api#input": {}}, "members": {
          "Id": {"target": "ex#Id", "traits": {"smithy.api#required": {}, "smithy.api#httpLabel": {}}}}},
        "ex#GetWidgetOutput": {"type": "structure", "traits": {"smithy.api#output": {}}, "members": {
          "Widget": {"target": "ex#WidgetData"}}},
        "ex#WidgetData": {"type": "structure", "members": {"Color": {"target": "ex#Color"}}},
        "ex#GetThing": {"type": "operation", "input": {"target": "ex#GetThingInput"},
          "output": {"target": "ex#GetThingOutput"}, "errors": [{"target": "ex#NotFound"}],
          "traits": {"smithy.api#http": {"method": "POST", "uri": "/things/{Id}", "code": 200},
                     "smithy.api#documentation": "Reads a thing."}},
        "ex#GetThingInput": {"type": "structure", "traits": {"smithy.api#input": {}}, "members": {
          "Id": {"target": "ex#Id", "traits": {"smithy.api#required": {}, "smithy.api#httpLabel": {}}},
          "Name": {"target": "ex#Name", "traits": {"smithy.api#required": {}}},
          "Token": {"target": "smithy.api#String", "traits": {"smithy.api#httpHeader": "x-token"}},
          "Filter": {"target": "ex#Filter"},
          "Tags": {"target": "ex#TagList"}}},
        "ex#GetThingOutput": {"type": "structure", "traits": {"smithy.api#output": {}}, "members": {
          "Thing": {"target": "ex#Thing", "traits": {"smithy.api#required": {}}},
          "Note": {"target": "smithy.api#String", "traits": {"smithy.api#documentation": "A remark."}}}},
        "ex#Thing": {"type": "structure", "members": {
          "Name": {"target": "ex#Name", "traits": {"smithy.api#required": {}}},
          "Size": {"target": "ex#Size", "traits": {"smithy.api#default": 1}},
          "Color": {"target": "ex#Color"},
          "Level": {"target": "ex#Level"},
          "Attributes": {"target": "ex#AttributeMap"},
          "CreatedAt": {"target": "smithy.api#Timestamp"}}},
        "ex#Filter": {"type": "union", "members": {
          "ByName": {"target": "ex#Name"}, "BySize": {"target": "ex#Size"}}},
        "ex#Id": {"type": "string", "traits": {"smithy.api#pattern": "^[a-z0-9-]+$",
                                              "smithy.api#length": {"min": 1, "max": 64}}},
        "ex#Name": {"type": "string", "traits": {"smithy.api#length": {"min": 1, "max": 100}}},
        "ex#Size": {"type": "integer", "traits": {"smithy.api#range": {"min": 1, "max": 10}}},
        "ex#Color": {"type": "enum", "members": {"RED": unit(json!("red")), "BLUE": unit(json!("blue"))}},
        "ex#Level": {"type": "intEnum", "members": {"LOW": unit(json!(1)), "HIGH": unit(json!(2))}},
        "ex#TagList": {"type": "list", "member": {"target": "ex#Name"},
                       "traits": {"smithy.api#length": {"max": 10}}},
        "ex#AttributeMap": {"type": "map", "key": {"target": "smithy.api#String"},
                            "value": {"target": "smithy.api#String"}},
        "ex#NotFound": {"type": "structure", "members": {"Message": {"target": "smithy.api#String"}},
          "traits": {"smithy.api#error": "client", "smithy.api#httpError": 404}},
        "ex#Throttled": {"type": "structure", "members": {"Message": {"target": "smithy.api#String"}},
          "traits": {"smithy.api#error": "client", "smithy.api#httpError": 429,
                     "smithy.api#retryable": {"throttling": true}}},
        "ex#ListThings": {"type": "operation", "input": {"target": "ex#ListThingsInput"},
          "output": {"target": "ex#ListThingsOutput"},
          "traits": {"smithy.api#http": {"method": "GET", "uri": "/things"}, "smithy.api#readonly": {},
                     "smithy.api#paginated": {"inputToken": "NextToken", "outputToken": "NextToken",
                                              "items": "Things", "pageSize": "MaxResults"}}},
        "ex#ListThingsInput": {"type": "structure", "members": {
          "NextToken": {"target": "smithy.api#String", "traits": {"smithy.api#httpQuery": "next"}},
          "MaxResults": {"target": "smithy.api#Integer", "traits": {"smithy.api#httpQuery": "max"}}}},
        "ex#ListThingsOutput": {"type": "structure", "members": {
          "Things": {"target": "ex#ThingList"},
          "NextToken": {"target": "smithy.api#String"}}},
        "ex#ThingList": {"type": "list", "member": {"target": "ex#Thing"}},
        "ex#Orphan": {"type": "structure", "members": {"A": {"target": "smithy.api#String"}}}
      }
    })
}

fn model(v: &Value) -> Model {
    serde_json::from_value(v.clone()).expect("a valid JSON AST")
}

fn shape<'a>(m: &'a mut Value, id: &str) -> &'a mut Value {
    let shape = &mut m["shapes"][id];
    assert!(shape.is_object(), "the base model has no shape {id}");
    shape
}

fn member<'a>(m: &'a mut Value, id: &str, name: &str) -> &'a mut Value {
    let member = &mut shape(m, id)["members"][name];
    assert!(member.is_object(), "{id} has no member {name}");
    member
}

/// The traits object of a shape or member, created when absent.
fn traits(v: &mut Value) -> &mut Map<String, Value> {
    if v.get("traits").is_none() {
        v["traits"] = json!({});
    }
    v["traits"].as_object_mut().expect("traits are an object")
}

fn members<'a>(m: &'a mut Value, id: &str) -> &'a mut Map<String, Value> {
    shape(m, id)["members"]
        .as_object_mut()
        .expect("members are an object")
}

/// Diffs the base model against an edited copy.
fn edited(edit: impl FnOnce(&mut Value)) -> Diff {
    let old = base();
    let mut new = base();
    edit(&mut new);
    diff(&model(&old), &model(&new), None).expect("comparable models")
}

/// Every change as `(impact, kind, "Shape$member")`, in report order.
fn summary(d: &Diff) -> Vec<(Impact, ChangeKind, String)> {
    d.changes
        .iter()
        .map(|c| (c.impact, c.kind, c.location()))
        .collect()
}

/// Asserts the edit produces exactly `expected` (in any order) and the highest impact.
#[track_caller]
fn check(edit: impl FnOnce(&mut Value), expected: &[(Impact, ChangeKind, &str)]) -> Diff {
    let d = edited(edit);
    let mut got = summary(&d);
    let mut want: Vec<(Impact, ChangeKind, String)> = expected
        .iter()
        .map(|(i, k, at)| (*i, *k, (*at).to_owned()))
        .collect();
    let key = |c: &(Impact, ChangeKind, String)| (c.2.clone(), c.1.as_str(), c.0);
    got.sort_by_key(key);
    want.sort_by_key(key);
    assert_eq!(got, want, "all changes: {:#?}", d.changes);
    let highest = expected.iter().map(|c| c.0).max().unwrap_or(Impact::None);
    assert_eq!(d.impact, highest);
    d
}

/// Asserts the edit changes nothing a user would notice: only `none` changes, at least one.
#[track_caller]
fn representation_only(edit: impl FnOnce(&mut Value)) {
    let d = edited(edit);
    assert_eq!(d.impact, Impact::None, "{:#?}", d.changes);
    assert!(!d.changes.is_empty(), "the edit should still be listed");
    assert!(
        d.changes.iter().all(|c| c.kind == RepresentationChanged),
        "{:#?}",
        d.changes
    );
}

// ---------------------------------------------------------------------------------------
// Nothing, or only words

#[test]
fn an_identical_model_changes_nothing() {
    let d = edited(|_| {});
    assert_eq!(d.impact, Impact::None);
    assert!(d.changes.is_empty(), "{:#?}", d.changes);
}

#[test]
fn documentation_only_updates_are_documentation() {
    check(
        |m| {
            traits(shape(m, "ex#Svc")).insert(
                "smithy.api#documentation".into(),
                json!("Manages many things."),
            );
            traits(shape(m, "ex#GetThing")).remove("smithy.api#documentation");
            traits(member(m, "ex#GetThingOutput", "Note"))
                .insert("smithy.api#documentation".into(), json!("A note."));
            traits(member(m, "ex#Color", "RED"))
                .insert("smithy.api#documentation".into(), json!("Warm."));
            traits(shape(m, "ex#ListThings"))
                .insert("smithy.api#deprecated".into(), json!({"since": "2025"}));
            traits(shape(m, "ex#Thing")).insert(
                "smithy.api#externalDocumentation".into(),
                json!({"Guide": "https://example.com"}),
            );
            shape(m, "ex#Svc")["version"] = json!("2025-01-01");
        },
        &[
            (Documentation, DocumentationChanged, "Svc"),
            (Documentation, DocumentationChanged, "Svc"),
            (Documentation, DocumentationChanged, "GetThing"),
            (Documentation, DocumentationChanged, "GetThingOutput$Note"),
            (Documentation, DocumentationChanged, "Color$RED"),
            (Documentation, DocumentationChanged, "ListThings"),
            (Documentation, DocumentationChanged, "Thing"),
        ],
    );
}

#[test]
fn shapes_outside_every_closure_are_not_compared() {
    check(
        |m| {
            members(m, "ex#Orphan").remove("A");
        },
        &[],
    );
}

// ---------------------------------------------------------------------------------------
// Operations and errors

#[test]
fn an_added_operation_is_additive() {
    check(
        |m| {
            shape(m, "ex#Svc")["operations"]
                .as_array_mut()
                .unwrap()
                .push(json!({"target": "ex#DeleteThing"}));
            m["shapes"]["ex#DeleteThing"] = json!({"type": "operation", "input": {"target": "ex#DeleteThingInput"},
                "traits": {"smithy.api#http": {"method": "DELETE", "uri": "/things/{Id}"}}});
            m["shapes"]["ex#DeleteThingInput"] = json!({"type": "structure", "members": {
                "Id": {"target": "ex#Id", "traits": {"smithy.api#required": {}, "smithy.api#httpLabel": {}}}}});
        },
        &[(Additive, OperationAdded, "DeleteThing")],
    );
}

#[test]
fn a_removed_operation_is_breaking_and_shapes_only_it_used_go_too() {
    check(
        |m| {
            shape(m, "ex#Svc")["operations"] = json!([{"target": "ex#GetThing"}]);
        },
        &[
            (Breaking, OperationRemoved, "ListThings"),
            // A list has no Rust type of its own.
            (Impact::None, ShapeRemoved, "ThingList"),
        ],
    );
}

#[test]
fn operations_bound_through_resources_are_in_the_closure() {
    check(
        |m| {
            shape(m, "ex#Svc")["resources"] = json!([]);
        },
        &[
            (Breaking, OperationRemoved, "GetWidget"),
            (Breaking, ShapeRemoved, "WidgetData"),
        ],
    );
}

#[test]
fn a_renamed_operation_is_a_removal_and_an_addition() {
    check(
        |m| {
            let op = m["shapes"]
                .as_object_mut()
                .unwrap()
                .remove("ex#ListThings")
                .unwrap();
            m["shapes"]["ex#ListAllThings"] = op;
            shape(m, "ex#Svc")["operations"][1] = json!({"target": "ex#ListAllThings"});
        },
        &[
            (Breaking, OperationRemoved, "ListThings"),
            (Additive, OperationAdded, "ListAllThings"),
        ],
    );
}

#[test]
fn errors_added_to_an_operation_are_additive_and_removed_ones_breaking() {
    check(
        |m| {
            shape(m, "ex#ListThings")["errors"] = json!([{"target": "ex#NotFound"}]);
            shape(m, "ex#GetThing")["errors"] = json!([]);
        },
        &[
            (Additive, ErrorAdded, "ListThings"),
            (Breaking, ErrorRemoved, "GetThing"),
        ],
    );
}

#[test]
fn a_new_service_error_reaches_every_operation_and_is_a_new_type() {
    let d = check(
        |m| {
            shape(m, "ex#Svc")["errors"]
                .as_array_mut()
                .unwrap()
                .push(json!({"target": "ex#Denied"}));
            m["shapes"]["ex#Denied"] = json!({"type": "structure", "members": {},
                "traits": {"smithy.api#error": "client", "smithy.api#httpError": 403}});
        },
        &[
            (Additive, ErrorAdded, "GetThing"),
            (Additive, ErrorAdded, "GetWidget"),
            (Additive, ErrorAdded, "ListThings"),
            (Additive, ShapeAdded, "Denied"),
        ],
    );
    let get_thing = d
        .changes
        .iter()
        .find(|c| c.location() == "GetThing")
        .unwrap();
    assert_eq!(
        get_thing.detail,
        "`GetThingError` gains the variant `Denied`"
    );
}

#[test]
fn moving_an_error_to_the_service_changes_only_the_operations_that_gain_it() {
    check(
        |m| {
            shape(m, "ex#GetThing")["errors"] = json!([]);
            shape(m, "ex#Svc")["errors"]
                .as_array_mut()
                .unwrap()
                .push(json!({"target": "ex#NotFound"}));
        },
        &[
            (Additive, ErrorAdded, "GetWidget"),
            (Additive, ErrorAdded, "ListThings"),
        ],
    );
}

// ---------------------------------------------------------------------------------------
// HTTP and wire

#[test]
fn http_method_uri_and_code_changes_are_breaking() {
    check(
        |m| {
            traits(shape(m, "ex#GetThing"))["smithy.api#http"] =
                json!({"method": "PUT", "uri": "/thing/{Id}", "code": 201});
        },
        &[
            (Breaking, HttpBindingChanged, "GetThing"),
            (Breaking, HttpBindingChanged, "GetThing"),
            (Breaking, HttpBindingChanged, "GetThing"),
        ],
    );
}

#[test]
fn an_explicit_default_status_code_changes_nothing() {
    check(
        |m| {
            traits(shape(m, "ex#GetThing"))["smithy.api#http"] =
                json!({"method": "POST", "uri": "/things/{Id}"});
        },
        &[],
    );
}

#[test]
fn member_location_changes_are_breaking_on_inputs() {
    check(
        |m| {
            let t = traits(member(m, "ex#GetThingInput", "Token"));
            t.remove("smithy.api#httpHeader");
            t.insert("smithy.api#httpQuery".into(), json!("token"));
            traits(member(m, "ex#ListThingsInput", "MaxResults"))["smithy.api#httpQuery"] =
                json!("limit");
        },
        &[
            (Breaking, HttpBindingChanged, "GetThingInput$Token"),
            (Breaking, HttpBindingChanged, "GetThingInput$Token"),
            (Breaking, HttpBindingChanged, "ListThingsInput$MaxResults"),
        ],
    );
}

#[test]
fn http_bindings_on_nested_structures_are_ignored_like_the_generator_does() {
    check(
        |m| {
            traits(member(m, "ex#Thing", "Name"))
                .insert("smithy.api#httpHeader".into(), json!("x-name"));
        },
        &[(Impact::None, HttpBindingChanged, "Thing$Name")],
    );
}

#[test]
fn json_names_and_timestamp_formats_change_the_wire() {
    check(
        |m| {
            traits(member(m, "ex#Thing", "Name"))
                .insert("smithy.api#jsonName".into(), json!("name"));
            traits(member(m, "ex#Thing", "CreatedAt"))
                .insert("smithy.api#timestampFormat".into(), json!("epoch-seconds"));
        },
        &[
            (Breaking, WireFormatChanged, "Thing$Name"),
            (Breaking, WireFormatChanged, "Thing$CreatedAt"),
        ],
    );
}

// ---------------------------------------------------------------------------------------
// Members

#[test]
fn an_optional_member_added_to_an_input_is_additive() {
    check(
        |m| {
            members(m, "ex#GetThingInput")
                .insert("Verbose".into(), json!({"target": "smithy.api#Boolean"}));
        },
        &[(Additive, MemberAdded, "GetThingInput$Verbose")],
    );
}

#[test]
fn a_required_member_added_to_an_input_or_a_types_structure_is_breaking() {
    check(
        |m| {
            let required =
                json!({"target": "smithy.api#String", "traits": {"smithy.api#required": {}}});
            members(m, "ex#GetThingInput").insert("Owner".into(), required.clone());
            members(m, "ex#Thing").insert("Owner".into(), required);
        },
        &[
            (Breaking, MemberAdded, "GetThingInput$Owner"),
            (Breaking, MemberAdded, "Thing$Owner"),
        ],
    );
}

#[test]
fn a_required_member_with_a_default_added_to_an_input_is_additive() {
    check(
        |m| {
            members(m, "ex#GetThingInput").insert(
                "Limit".into(),
                json!({"target": "smithy.api#Integer", "traits": {"smithy.api#required": {}, "smithy.api#default": 5}}),
            );
        },
        &[(Additive, MemberAdded, "GetThingInput$Limit")],
    );
}

#[test]
fn a_required_member_added_to_an_output_or_an_error_is_additive() {
    let required = json!({"target": "smithy.api#String", "traits": {"smithy.api#required": {}}});
    let add = |name: &str, m: &mut Value| {
        for owner in ["ex#GetThingOutput", "ex#NotFound"] {
            members(m, owner).insert(name.into(), required.clone());
        }
    };
    // The first one makes `build()` fail without it: error fields follow the output
    // rules, and GetThingOutput's only required member targets a structure (an `Option`).
    check(
        |m| add("Etag", m),
        &[
            (Additive, MemberAdded, "GetThingOutput$Etag"),
            (Breaking, BuilderFallibilityChanged, "GetThingOutput"),
            (Additive, MemberAdded, "NotFound$Etag"),
            (Breaking, BuilderFallibilityChanged, "NotFound"),
        ],
    );
    // Once `build()` can fail, another one adds a field and nothing else.
    let mut old = base();
    add("Etag", &mut old);
    let mut new = old.clone();
    add("Version", &mut new);
    let d = diff(&model(&old), &model(&new), None).unwrap();
    assert_eq!(
        summary(&d),
        [
            (Additive, MemberAdded, "GetThingOutput$Version".into()),
            (Additive, MemberAdded, "NotFound$Version".into()),
        ]
    );
}

#[test]
fn an_output_whose_builder_becomes_fallible_is_breaking() {
    check(
        |m| {
            members(m, "ex#ListThingsOutput").insert(
                "Total".into(),
                json!({"target": "smithy.api#Integer", "traits": {"smithy.api#required": {}}}),
            );
        },
        &[
            (Additive, MemberAdded, "ListThingsOutput$Total"),
            (Breaking, BuilderFallibilityChanged, "ListThingsOutput"),
        ],
    );
}

#[test]
fn a_removed_member_is_breaking() {
    check(
        |m| {
            members(m, "ex#Thing").remove("Color");
            members(m, "ex#GetThingInput").remove("Tags");
        },
        &[
            (Breaking, MemberRemoved, "Thing$Color"),
            (Breaking, MemberRemoved, "GetThingInput$Tags"),
            // Only GetThingInput used the list; its items' shape is still used elsewhere.
            (Impact::None, ShapeRemoved, "TagList"),
        ],
    );
}

#[test]
fn a_target_with_another_rust_type_is_breaking() {
    check(
        |m| {
            member(m, "ex#Thing", "Color")["target"] = json!("ex#Level");
            member(m, "ex#Thing", "Level")["target"] = json!("smithy.api#Integer");
            shape(m, "ex#AttributeMap")["value"]["target"] = json!("smithy.api#Integer");
        },
        &[
            (Breaking, MemberTargetChanged, "Thing$Color"),
            // An intEnum field is an `i32`, like an integer's (its named constants stay
            // in `types::Level`, which Thing$Color now reaches).
            (Impact::None, RepresentationChanged, "Thing$Level"),
            (Breaking, MemberTargetChanged, "AttributeMap$value"),
        ],
    );
}

#[test]
fn a_target_with_the_same_rust_type_is_judged_by_its_constraints() {
    check(
        |m| {
            // ex#Name (length 1..=100) → plain String: wider.
            member(m, "ex#Thing", "Name")["target"] = json!("smithy.api#String");
            // plain String → ex#Id (pattern and length): narrower twice.
            member(m, "ex#GetThingInput", "Token")["target"] = json!("ex#Id");
        },
        &[
            (Impact::None, RepresentationChanged, "Thing$Name"),
            (Behavior, ConstraintWidened, "Thing$Name"),
            (Impact::None, RepresentationChanged, "GetThingInput$Token"),
            (Breaking, ConstraintNarrowed, "GetThingInput$Token"),
            (Breaking, ConstraintNarrowed, "GetThingInput$Token"),
        ],
    );
}

#[test]
fn union_variants_added_are_additive_and_removed_breaking() {
    check(
        |m| {
            members(m, "ex#Filter").remove("BySize");
            members(m, "ex#Filter").insert("ByColor".into(), json!({"target": "ex#Color"}));
        },
        &[
            (Additive, MemberAdded, "Filter$ByColor"),
            (Breaking, MemberRemoved, "Filter$BySize"),
        ],
    );
}

// ---------------------------------------------------------------------------------------
// Required, defaults and nullability

#[test]
fn required_added_to_an_input_member_is_breaking_and_removed_is_behavior() {
    check(
        |m| {
            traits(member(m, "ex#GetThingInput", "Filter"))
                .insert("smithy.api#required".into(), json!({}));
            traits(member(m, "ex#GetThingInput", "Name")).remove("smithy.api#required");
        },
        &[
            (Breaking, MemberNowRequired, "GetThingInput$Filter"),
            (Behavior, MemberNoLongerRequired, "GetThingInput$Name"),
        ],
    );
}

#[test]
fn required_removed_from_a_types_member_makes_it_an_option() {
    check(
        |m| {
            traits(member(m, "ex#Thing", "Name")).remove("smithy.api#required");
        },
        &[
            (Breaking, NullabilityChanged, "Thing$Name"),
            // Its last required field is gone: build() no longer returns a Result.
            (Breaking, BuilderFallibilityChanged, "Thing"),
        ],
    );
}

#[test]
fn a_member_targeting_a_structure_is_an_option_required_or_not() {
    check(
        |m| {
            traits(member(m, "ex#GetThingOutput", "Thing")).remove("smithy.api#required");
        },
        &[(Behavior, MemberNoLongerRequired, "GetThingOutput$Thing")],
    );
}

#[test]
fn required_added_to_an_output_member_makes_it_a_plain_value() {
    let d = check(
        |m| {
            traits(member(m, "ex#GetThingOutput", "Note"))
                .insert("smithy.api#required".into(), json!({}));
        },
        &[
            (Breaking, NullabilityChanged, "GetThingOutput$Note"),
            // Its first plain field without a default.
            (Breaking, BuilderFallibilityChanged, "GetThingOutput"),
        ],
    );
    let note = d.changes.iter().find(|c| c.kind == NullabilityChanged);
    assert_eq!(
        note.map(|c| c.detail.as_str()),
        Some("the field changes from `Option<String>` to `String` (`@required` added)")
    );
}

#[test]
fn required_with_client_optional_keeps_the_option() {
    check(
        |m| {
            let t = traits(member(m, "ex#GetThingOutput", "Note"));
            t.insert("smithy.api#required".into(), json!({}));
            t.insert("smithy.api#clientOptional".into(), json!({}));
        },
        &[
            (Behavior, MemberNowRequired, "GetThingOutput$Note"),
            (Impact::None, RepresentationChanged, "GetThingOutput$Note"),
        ],
    );
}

#[test]
fn client_optional_added_to_a_required_types_member_is_breaking() {
    check(
        |m| {
            traits(member(m, "ex#Thing", "Name"))
                .insert("smithy.api#clientOptional".into(), json!({}));
        },
        &[
            (Breaking, NullabilityChanged, "Thing$Name"),
            (Breaking, BuilderFallibilityChanged, "Thing"),
        ],
    );
}

#[test]
fn defaults_on_inputs_are_behavior() {
    check(
        |m| {
            traits(member(m, "ex#ListThingsInput", "MaxResults"))
                .insert("smithy.api#default".into(), json!(50));
        },
        &[(Behavior, DefaultAdded, "ListThingsInput$MaxResults")],
    );
}

#[test]
fn a_changed_default_is_behavior() {
    check(
        |m| {
            traits(member(m, "ex#Thing", "Size"))["smithy.api#default"] = json!(2);
        },
        &[(Behavior, DefaultChanged, "Thing$Size")],
    );
}

#[test]
fn a_default_removed_from_a_types_member_makes_it_an_option() {
    check(
        |m| {
            traits(member(m, "ex#Thing", "Size")).remove("smithy.api#default");
        },
        &[(Breaking, NullabilityChanged, "Thing$Size")],
    );
}

#[test]
fn a_default_added_to_an_output_member_is_breaking_even_with_added_default() {
    // The generator ignores @addedDefault: the field becomes a plain value.
    check(
        |m| {
            let t = traits(member(m, "ex#ListThingsOutput", "NextToken"));
            t.insert("smithy.api#default".into(), json!(""));
            t.insert("smithy.api#addedDefault".into(), json!({}));
        },
        &[
            (Breaking, NullabilityChanged, "ListThingsOutput$NextToken"),
            (
                Impact::None,
                RepresentationChanged,
                "ListThingsOutput$NextToken",
            ),
        ],
    );
}

#[test]
fn a_target_default_is_reported_once_and_its_nullability_effect_at_each_member() {
    check(
        |m| {
            traits(shape(m, "ex#Size")).insert("smithy.api#default".into(), json!(1));
        },
        &[
            (Behavior, DefaultAdded, "Size"),
            // Thing$Size already had its own default; the union variant has no Option.
        ],
    );
    check(
        |m| {
            traits(shape(m, "ex#Size")).insert("smithy.api#default".into(), json!(1));
            traits(member(m, "ex#Thing", "Size")).remove("smithy.api#default");
            members(m, "ex#ListThingsOutput")
                .insert("Largest".into(), json!({"target": "ex#Size"}));
        },
        &[
            (Behavior, DefaultAdded, "Size"),
            // Same effective default (1) through the target: nothing at Thing$Size.
            (Additive, MemberAdded, "ListThingsOutput$Largest"),
        ],
    );
}

#[test]
fn a_smithy_1_boxed_member_is_a_member_with_default_null() {
    // In Smithy 1.0 an integer shape without `@box` has the zero value 0, and a `@box`
    // member opts out of it: in 2.0, `@default(0)` on the shape and `@default(null)` on
    // the member.
    let with_count = |count: Value, member_traits: Value| {
        move |m: &mut Value| {
            m["shapes"]["ex#Count"] = count;
            members(m, "ex#ListThingsOutput").insert(
                "Largest".into(),
                json!({"target": "ex#Count", "traits": member_traits}),
            );
        }
    };
    let two = {
        let mut m = base();
        with_count(
            json!({"type": "integer", "traits": {"smithy.api#default": 0}}),
            json!({"smithy.api#default": null}),
        )(&mut m);
        model(&m)
    };
    let one = |member_traits: Value| {
        let mut m = base();
        m["smithy"] = json!("1.0");
        // Nullable, like 2.0's ex#Size, which has no default.
        traits(shape(&mut m, "ex#Size")).insert("smithy.api#box".into(), json!({}));
        with_count(json!({"type": "integer"}), member_traits)(&mut m);
        model(&m)
    };
    let boxed = one(json!({"smithy.api#box": {}}));
    for (old, new) in [(&boxed, &two), (&two, &boxed)] {
        let d = diff(old, new, None).unwrap();
        assert!(d.changes.is_empty(), "{:#?}", d.changes);
    }
    // Unboxed, the 1.0 member has the zero value: a plain `i32` where 2.0 has an Option.
    let d = diff(&two, &one(json!({})), None).unwrap();
    assert_eq!(
        summary(&d),
        [(
            Breaking,
            NullabilityChanged,
            "ListThingsOutput$Largest".into()
        )]
    );
}

// ---------------------------------------------------------------------------------------
// Enums

#[test]
fn enum_values_added_are_additive_and_removed_changed_or_renamed_breaking() {
    check(
        |m| {
            let e = members(m, "ex#Color");
            e.insert(
                "GREEN".into(),
                json!({"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "green"}}),
            );
            e["RED"]["traits"]["smithy.api#enumValue"] = json!("crimson");
            let blue = e.remove("BLUE").unwrap();
            e.insert("AZURE".into(), blue);
        },
        &[
            (Additive, EnumValueAdded, "Color$GREEN"),
            (Breaking, EnumValueChanged, "Color$RED"),
            (Breaking, EnumVariantRenamed, "Color$AZURE"),
        ],
    );
    check(
        |m| {
            members(m, "ex#Color").remove("BLUE");
        },
        &[(Breaking, EnumValueRemoved, "Color$BLUE")],
    );
}

#[test]
fn int_enum_values_follow_the_same_rules() {
    check(
        |m| {
            let e = members(m, "ex#Level");
            e.remove("HIGH");
            e.insert(
                "MEDIUM".into(),
                json!({"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": 5}}),
            );
        },
        &[
            (Additive, EnumValueAdded, "Level$MEDIUM"),
            (Breaking, EnumValueRemoved, "Level$HIGH"),
        ],
    );
}

#[test]
fn an_enum_spelled_as_an_enum_string_is_the_same_enum() {
    // The upgrade to Smithy 2.0 semantics makes both spellings the same model.
    check(
        |m| {
            *shape(m, "ex#Color") = json!({"type": "string", "traits": {"smithy.api#enum": [
                {"value": "red", "name": "RED"}, {"value": "blue", "name": "BLUE"}]}});
        },
        &[],
    );
}

#[test]
fn an_enum_string_losing_a_value_is_still_judged_as_an_enum() {
    check(
        |m| {
            *shape(m, "ex#Color") = json!({"type": "string", "traits": {"smithy.api#enum": [{"value": "red", "name": "RED"}]}});
        },
        &[(Breaking, EnumValueRemoved, "Color$BLUE")],
    );
}

#[test]
fn an_enum_becoming_a_plain_string_changes_its_type() {
    check(
        |m| {
            *shape(m, "ex#Color") = json!({"type": "string"});
        },
        &[(Breaking, ShapeTypeChanged, "Color")],
    );
}

// ---------------------------------------------------------------------------------------
// Constraints

#[test]
fn a_narrowed_length_is_breaking_once_at_the_shape_and_a_widened_one_behavior() {
    // ex#Name is used by an input, a types structure, a union and a list: one change.
    check(
        |m| {
            traits(shape(m, "ex#Name"))["smithy.api#length"] = json!({"min": 1, "max": 50});
        },
        &[(Breaking, ConstraintNarrowed, "Name")],
    );
    check(
        |m| {
            traits(shape(m, "ex#Name"))["smithy.api#length"] = json!({"min": 0, "max": 200});
        },
        &[(Behavior, ConstraintWidened, "Name")],
    );
}

#[test]
fn ranges_and_patterns() {
    check(
        |m| {
            traits(shape(m, "ex#Size"))["smithy.api#range"] = json!({"min": 2, "max": 10});
            traits(shape(m, "ex#Id"))["smithy.api#pattern"] = json!("^[a-z]+$");
        },
        &[
            (Breaking, ConstraintNarrowed, "Size"),
            // Thing$Size's default 1 is now out of range: the generator drops it, and
            // the field becomes an `Option`.
            (Breaking, NullabilityChanged, "Thing$Size"),
            (Breaking, ConstraintNarrowed, "Id"),
        ],
    );
    check(
        |m| {
            traits(shape(m, "ex#Id")).remove("smithy.api#pattern");
        },
        &[(Behavior, ConstraintWidened, "Id")],
    );
}

#[test]
fn a_member_override_is_compared_with_what_the_member_had_before() {
    check(
        |m| {
            // Wider than the target's 1..=100 it replaces.
            traits(member(m, "ex#Thing", "Name"))
                .insert("smithy.api#length".into(), json!({"min": 1, "max": 200}));
            // Narrower.
            traits(member(m, "ex#GetThingInput", "Name"))
                .insert("smithy.api#length".into(), json!({"min": 3, "max": 100}));
        },
        &[
            (Behavior, ConstraintWidened, "Thing$Name"),
            (Breaking, ConstraintNarrowed, "GetThingInput$Name"),
        ],
    );
}

#[test]
fn unique_items_added_is_breaking_and_a_set_is_a_unique_list() {
    check(
        |m| {
            traits(shape(m, "ex#TagList")).insert("smithy.api#uniqueItems".into(), json!({}));
        },
        &[(Breaking, ConstraintNarrowed, "TagList")],
    );
    let unique_list = {
        let mut m = base();
        traits(shape(&mut m, "ex#TagList")).insert("smithy.api#uniqueItems".into(), json!({}));
        m
    };
    let set = {
        let mut m = base();
        shape(&mut m, "ex#TagList")["type"] = json!("set");
        m
    };
    // The upgrade to Smithy 2.0 semantics makes both spellings the same model.
    let d = diff(&model(&unique_list), &model(&set), None).unwrap();
    assert_eq!(d.impact, Impact::None, "{:#?}", d.changes);
    assert!(d.changes.is_empty(), "{:#?}", d.changes);
}

// ---------------------------------------------------------------------------------------
// Paginators

#[test]
fn paginators_added_are_additive_and_removed_breaking() {
    check(
        |m| {
            traits(shape(m, "ex#ListThings")).remove("smithy.api#paginated");
            traits(shape(m, "ex#GetThing")).insert(
                "smithy.api#paginated".into(),
                json!({"inputToken": "Token", "outputToken": "Note"}),
            );
        },
        &[
            (Breaking, PaginatorRemoved, "ListThings"),
            (Additive, PaginatorAdded, "GetThing"),
        ],
    );
}

#[test]
fn paginator_fields_removed_or_changed_are_breaking() {
    check(
        |m| {
            members(m, "ex#ListThingsOutput")
                .insert("Items".into(), json!({"target": "ex#ThingList"}));
            let p = &mut traits(shape(m, "ex#ListThings"))["smithy.api#paginated"];
            p.as_object_mut().unwrap().remove("pageSize");
            p["items"] = json!("Items");
        },
        &[
            (Additive, MemberAdded, "ListThingsOutput$Items"),
            (Breaking, PaginatorChanged, "ListThings"),
            (Breaking, PaginatorChanged, "ListThings"),
        ],
    );
}

#[test]
fn service_pagination_defaults_are_merged_into_each_operation() {
    check(
        |m| {
            traits(shape(m, "ex#Svc")).insert(
                "smithy.api#paginated".into(),
                json!({"inputToken": "NextToken", "outputToken": "NextToken"}),
            );
            traits(shape(m, "ex#ListThings"))["smithy.api#paginated"] =
                json!({"items": "Things", "pageSize": "MaxResults"});
        },
        &[],
    );
}

// ---------------------------------------------------------------------------------------
// Behaviour traits

#[test]
fn service_auth_endpoint_and_protocol_traits_are_behavior() {
    check(
        |m| {
            let t = traits(shape(m, "ex#Svc"));
            t["aws.auth#sigv4"] = json!({"name": "ex2"});
            t.insert("aws.protocols#awsJson1_1".into(), json!({}));
            // The standard endpoint rule set and its tests follow the prefix.
            t["aws.api#service"]["endpointPrefix"] = json!("example2");
        },
        &[
            (Behavior, TraitChanged, "Svc"),
            (Behavior, TraitChanged, "Svc"),
            (Behavior, TraitChanged, "Svc"),
            (Behavior, TraitChanged, "Svc"),
            (Behavior, TraitChanged, "Svc"),
        ],
    );
}

#[test]
fn retry_and_error_code_traits_are_behavior() {
    check(
        |m| {
            traits(shape(m, "ex#NotFound")).insert("smithy.api#retryable".into(), json!({}));
            traits(shape(m, "ex#Throttled"))["smithy.api#httpError"] = json!(503);
            traits(shape(m, "ex#Throttled"))["smithy.api#error"] = json!("server");
            traits(shape(m, "ex#ListThings")).remove("smithy.api#readonly");
        },
        &[
            (Behavior, TraitChanged, "NotFound"),
            (Behavior, TraitChanged, "Throttled"),
            (Behavior, TraitChanged, "Throttled"),
            (Behavior, TraitChanged, "ListThings"),
        ],
    );
}

#[test]
fn sensitive_is_behavior_where_it_is_written() {
    // On the shape: reported once, not at the four members using ex#Name.
    check(
        |m| {
            traits(shape(m, "ex#Name")).insert("smithy.api#sensitive".into(), json!({}));
        },
        &[(Behavior, TraitChanged, "Name")],
    );
    check(
        |m| {
            traits(member(m, "ex#GetThingInput", "Token"))
                .insert("smithy.api#sensitive".into(), json!({}));
        },
        &[(Behavior, TraitChanged, "GetThingInput$Token")],
    );
}

#[test]
fn an_idempotency_token_added_is_behavior_and_removed_breaking() {
    check(
        |m| {
            traits(member(m, "ex#GetThingInput", "Token"))
                .insert("smithy.api#idempotencyToken".into(), json!({}));
        },
        &[(Behavior, IdempotencyTokenAdded, "GetThingInput$Token")],
    );
    let with_token = {
        let mut m = base();
        traits(member(&mut m, "ex#GetThingInput", "Token"))
            .insert("smithy.api#idempotencyToken".into(), json!({}));
        model(&m)
    };
    let d = diff(&with_token, &model(&base()), None).unwrap();
    assert_eq!(
        summary(&d),
        [(
            Breaking,
            IdempotencyTokenRemoved,
            "GetThingInput$Token".into()
        )]
    );
}

#[test]
fn unknown_traits_are_behavior() {
    check(
        |m| {
            traits(shape(m, "ex#GetThing"))
                .insert("example.custom#cached".into(), json!({"seconds": 5}));
        },
        &[(Behavior, TraitChanged, "GetThing")],
    );
}

// ---------------------------------------------------------------------------------------
// Shapes

#[test]
fn a_new_nested_structure_is_a_new_type() {
    check(
        |m| {
            m["shapes"]["ex#Owner"] =
                json!({"type": "structure", "members": {"Email": {"target": "smithy.api#String"}}});
            members(m, "ex#Thing").insert("Owner".into(), json!({"target": "ex#Owner"}));
        },
        &[
            (Additive, MemberAdded, "Thing$Owner"),
            (Additive, ShapeAdded, "Owner"),
        ],
    );
}

#[test]
fn shape_type_changes_are_breaking() {
    check(
        |m| {
            shape(m, "ex#Size")["type"] = json!("long");
            shape(m, "ex#WidgetData")["type"] = json!("union");
            traits(shape(m, "ex#NotFound")).remove("smithy.api#error");
        },
        &[
            (Breaking, ShapeTypeChanged, "Size"),
            (Breaking, ShapeTypeChanged, "WidgetData"),
            (Breaking, ShapeTypeChanged, "NotFound"),
        ],
    );
}

#[test]
fn a_renamed_types_structure_is_breaking() {
    let d = edited(|m| {
        let thing = m["shapes"]
            .as_object_mut()
            .unwrap()
            .remove("ex#Thing")
            .unwrap();
        m["shapes"]["ex#Item"] = thing;
        member(m, "ex#GetThingOutput", "Thing")["target"] = json!("ex#Item");
        shape(m, "ex#ThingList")["member"]["target"] = json!("ex#Item");
    });
    assert_eq!(d.impact, Breaking);
    let got = summary(&d);
    for expected in [
        (Breaking, ShapeRemoved, "Thing"),
        (Additive, ShapeAdded, "Item"),
        (Breaking, MemberTargetChanged, "GetThingOutput$Thing"),
        (Breaking, MemberTargetChanged, "ThingList$member"),
    ] {
        assert!(
            got.contains(&(expected.0, expected.1, expected.2.to_owned())),
            "{expected:?} in {got:#?}"
        );
    }
}

#[test]
fn renaming_an_operation_input_keeps_the_rust_type() {
    representation_only(|m| {
        let input = m["shapes"]
            .as_object_mut()
            .unwrap()
            .remove("ex#GetThingInput")
            .unwrap();
        m["shapes"]["ex#GetThingRequest"] = input;
        shape(m, "ex#GetThing")["input"]["target"] = json!("ex#GetThingRequest");
    });
}

#[test]
fn an_operation_losing_its_output_loses_its_members() {
    check(
        |m| {
            shape(m, "ex#GetWidget")["output"] = json!({"target": "smithy.api#Unit"});
        },
        &[
            (Breaking, MemberRemoved, "GetWidgetOutput$Widget"),
            (Breaking, ShapeRemoved, "WidgetData"),
        ],
    );
}

#[test]
fn an_input_that_is_also_a_nested_type_reports_each_change_once() {
    // WidgetData becomes GetWidget's input while staying nested in its output: the
    // generator writes it twice (`GetWidgetInput` and `types::WidgetData`).
    let mut old = base();
    shape(&mut old, "ex#GetWidget")["input"] = json!({"target": "ex#WidgetData"});
    traits(shape(&mut old, "ex#GetWidget"))["smithy.api#http"]["uri"] = json!("/widgets");
    let mut new = old.clone();
    members(&mut new, "ex#WidgetData")
        .insert("Shade".into(), json!({"target": "smithy.api#String"}));
    let d = diff(&model(&old), &model(&new), None).unwrap();
    assert_eq!(
        summary(&d),
        [(Additive, MemberAdded, "WidgetData$Shade".into())]
    );
}

#[test]
fn smithy_1_spellings_of_the_same_api_are_representation_only() {
    // The upgrade to Smithy 2.0 semantics makes `set` and `@enum` the same model as their
    // 2.0 spellings; what remains are the 2.0-only `@input`/`@output` traits.
    let two = {
        let mut m = base();
        traits(shape(&mut m, "ex#TagList")).insert("smithy.api#uniqueItems".into(), json!({}));
        m
    };
    let one = {
        let mut m = two.clone();
        m["smithy"] = json!("1.0");
        // Nullable like 2.0's ex#Size, which has no default.
        traits(shape(&mut m, "ex#Size")).insert("smithy.api#box".into(), json!({}));
        shape(&mut m, "ex#TagList")["type"] = json!("set");
        traits(shape(&mut m, "ex#TagList")).remove("smithy.api#uniqueItems");
        *shape(&mut m, "ex#Color") = json!({"type": "string", "traits": {"smithy.api#enum": [
            {"value": "red", "name": "RED"}, {"value": "blue", "name": "BLUE"}]}});
        for io in [
            "ex#GetThingInput",
            "ex#GetThingOutput",
            "ex#GetWidgetInput",
            "ex#GetWidgetOutput",
        ] {
            traits(shape(&mut m, io)).remove("smithy.api#input");
            traits(shape(&mut m, io)).remove("smithy.api#output");
        }
        m
    };
    for (old, new) in [(&one, &two), (&two, &one)] {
        let d = diff(&model(old), &model(new), None).unwrap();
        assert_eq!(d.impact, Impact::None, "{:#?}", d.changes);
        assert!(
            d.changes.iter().all(|c| c.kind == RepresentationChanged),
            "{:#?}",
            d.changes
        );
        assert_eq!(d.changes.len(), 4, "{:#?}", d.changes);
    }
}

// ---------------------------------------------------------------------------------------
// --operations, ordering, errors

#[test]
fn operations_restrict_the_report_to_their_closure() {
    let mut new = base();
    members(&mut new, "ex#GetThingInput")
        .insert("Extra".into(), json!({"target": "smithy.api#String"}));
    traits(shape(&mut new, "ex#NotFound")).insert("smithy.api#retryable".into(), json!({}));
    members(&mut new, "ex#WidgetData").remove("Color");
    members(&mut new, "ex#Thing").insert("Weight".into(), json!({"target": "smithy.api#Integer"}));
    traits(shape(&mut new, "ex#Svc")).insert("smithy.api#title".into(), json!("Example"));
    let (old, new) = (model(&base()), model(&new));

    let only_list = ["ListThings".to_owned()];
    let d = diff(&old, &new, Some(&only_list)).unwrap();
    assert_eq!(
        summary(&d),
        [
            // Shared with GetThing, but ListThings reaches it too.
            (Documentation, DocumentationChanged, "Svc".into()),
            (Additive, MemberAdded, "Thing$Weight".into()),
        ]
    );
    let everything = diff(&old, &new, None).unwrap();
    assert_eq!(everything.changes.len(), 5, "{:#?}", everything.changes);
    // Absolute ids select too.
    let by_id = diff(&old, &new, Some(&["ex#ListThings".to_owned()])).unwrap();
    assert_eq!(by_id, d);
}

#[test]
fn an_operation_only_the_new_model_has_can_be_selected() {
    let mut new = base();
    shape(&mut new, "ex#Svc")["operations"]
        .as_array_mut()
        .unwrap()
        .push(json!({"target": "ex#Ping"}));
    new["shapes"]["ex#Ping"] = json!({"type": "operation",
        "traits": {"smithy.api#http": {"method": "GET", "uri": "/ping"}}});
    let d = diff(&model(&base()), &model(&new), Some(&["Ping".to_owned()])).unwrap();
    assert_eq!(
        summary(&d),
        [
            (Additive, OperationAdded, "Ping".into()),
            // The old selection reached nothing; Ping brings the service's error type.
            (Additive, ShapeAdded, "Throttled".into()),
        ]
    );
}

#[test]
fn unknown_operations_are_an_error_naming_the_known_ones() {
    let m = model(&base());
    let err = diff(&m, &m, Some(&["ListThings".to_owned(), "Nope".to_owned()])).unwrap_err();
    let DiffError::UnknownOperations { unknown, known } = &err else {
        panic!("expected unknown operations, got {err}");
    };
    assert_eq!(unknown, &["Nope"]);
    assert_eq!(known, &["GetThing", "GetWidget", "ListThings"]);
    assert!(
        err.to_string().contains("Nope") && err.to_string().contains("GetWidget"),
        "{err}"
    );
}

fn without_http_on_get_thing(m: &mut Value) {
    traits(shape(m, "ex#GetThing")).remove("smithy.api#http");
}

#[test]
fn a_model_the_generator_refuses_is_an_error_naming_it() {
    let (old, new) = (model(&base()), {
        let mut m = base();
        without_http_on_get_thing(&mut m);
        model(&m)
    });
    let err = diff(&old, &new, None).unwrap_err();
    assert!(
        matches!(
            &err,
            DiffError::Unresolvable {
                which: WhichModel::New,
                ..
            }
        ),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(
        message.starts_with("the new model cannot be compared")
            && message.contains("ex#GetThing")
            && message.contains("smithy.api#http"),
        "{message}"
    );
    // Like `generate --operations`, a selection resolves only its own operations.
    let d = diff(&old, &new, Some(&["ListThings".to_owned()])).unwrap();
    assert!(d.changes.is_empty(), "{:#?}", d.changes);
}

#[test]
fn changes_are_sorted_by_shape_member_and_kind() {
    let d = edited(|m| {
        members(m, "ex#Thing").remove("Color");
        members(m, "ex#Thing").insert("Aaa".into(), json!({"target": "smithy.api#String"}));
        traits(shape(m, "ex#Thing")).insert("smithy.api#documentation".into(), json!("A thing."));
        shape(m, "ex#GetThing")["errors"] = json!([]);
        members(m, "ex#Color").insert("GREEN".into(), json!({"target": "smithy.api#Unit"}));
    });
    let keys: Vec<(String, Option<String>, &str)> = d
        .changes
        .iter()
        .map(|c| (c.shape.clone(), c.member.clone(), c.kind.as_str()))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    assert_eq!(
        keys.iter().map(|k| k.0.as_str()).collect::<Vec<_>>(),
        [
            "ex#Color",
            "ex#GetThing",
            "ex#NotFound",
            "ex#Thing",
            "ex#Thing",
            "ex#Thing"
        ]
    );
    assert_eq!(
        keys[3].1, None,
        "a shape's own change sorts before its members'"
    );
}

#[test]
fn a_diff_is_the_same_every_time() {
    let edit = |m: &mut Value| {
        traits(shape(m, "ex#Name"))["smithy.api#length"] = json!({"max": 10});
        members(m, "ex#Color").remove("RED");
    };
    assert_eq!(edited(edit), edited(edit));
}

// ---------------------------------------------------------------------------------------
// The real Chime SDK Meetings model and its history

fn models_dir() -> Option<PathBuf> {
    let dir = workspace_root().join("../shared/models");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipping the real-model checks: {} is missing",
            dir.display()
        );
        None
    }
}

fn real(name: &str) -> Option<Model> {
    let path = models_dir()?.join(name);
    Some(load(&path).unwrap_or_else(|e| panic!("{e}")))
}

const V2022_06_02: &str = "history/chime-sdk-meetings-2022-06-02.json";
const V2022_07_14: &str = "history/chime-sdk-meetings-2022-07-14.json";
const V2023_04_06: &str = "history/chime-sdk-meetings-2023-04-06.json";
const CURRENT: &str = "chime-sdk-meetings.json";

fn real_diff(old: &str, new: &str, operations: Option<&[String]>) -> Option<Diff> {
    Some(diff(&real(old)?, &real(new)?, operations).expect("comparable models"))
}

#[track_caller]
fn assert_has(d: &Diff, impact: Impact, kind: ChangeKind, location: &str) {
    assert!(
        d.changes
            .iter()
            .any(|c| c.impact == impact && c.kind == kind && c.location() == location),
        "expected {impact} {kind} at {location} in:\n{}",
        d.to_text()
    );
}

#[test]
fn the_current_model_against_itself_changes_nothing() {
    let Some(d) = real_diff(CURRENT, CURRENT, None) else {
        return;
    };
    assert_eq!(d.impact, Impact::None);
    assert!(d.changes.is_empty());
}

#[test]
fn the_current_model_with_its_documentation_removed_is_a_documentation_change() {
    let Some(dir) = models_dir() else { return };
    let text = std::fs::read_to_string(dir.join(CURRENT)).unwrap();
    let mut stripped: Value = serde_json::from_str(&text).unwrap();
    fn strip(v: &mut Value) -> usize {
        match v {
            Value::Object(o) => {
                let own = usize::from(o.remove("smithy.api#documentation").is_some());
                own + o.values_mut().map(strip).sum::<usize>()
            }
            Value::Array(a) => a.iter_mut().map(strip).sum(),
            _ => 0,
        }
    }
    let removed = strip(&mut stripped);
    let d = diff(&Model::from_json(&text).unwrap(), &model(&stripped), None).unwrap();
    assert_eq!(d.impact, Documentation);
    assert!(d.changes.iter().all(|c| c.kind == DocumentationChanged));
    // Unreached shapes (and the endpoint rules' own documentation fields) are not counted.
    assert!(
        d.changes.len() > 100 && d.changes.len() <= removed,
        "{} of {removed}",
        d.changes.len()
    );
}

#[test]
fn update_2022_06_02_to_2022_07_14_adds_tenant_ids() {
    let Some(d) = real_diff(V2022_06_02, V2022_07_14, None) else {
        return;
    };
    assert_eq!(d.impact, Additive, "{}", d.to_text());
    assert_has(&d, Additive, MemberAdded, "CreateMeetingRequest$TenantIds");
    assert_has(
        &d,
        Additive,
        MemberAdded,
        "CreateMeetingWithAttendeesRequest$TenantIds",
    );
    assert_has(&d, Additive, MemberAdded, "Meeting$TenantIds");
    assert_has(
        &d,
        Additive,
        EnumValueAdded,
        "TranscribeRegion$US_GOV_WEST_1",
    );
    assert!(d
        .changes
        .iter()
        .all(|c| c.impact != Breaking && c.impact != Behavior));
}

/// 1.0 → 2.0: without the upgrade, 1.0's unboxed `Boolean` has no `@default(false)`,
/// so `EngineTranscribeSettings$IdentifyLanguage` looks like it turned from
/// `Option<bool>` into `bool`. Upgraded, the two versions agree on it and the update is
/// additive: three tagging operations, `Tags` on the meeting inputs, `MeetingArn`; the
/// endpoint rule set arrives (behavior); `@enum` strings, `@box` and `@input`/`@output`
/// are representation only.
#[test]
fn update_2022_07_14_to_2023_04_06_adds_tagging() {
    let Some(d) = real_diff(V2022_07_14, V2023_04_06, None) else {
        return;
    };
    assert_eq!(d.impact, Additive, "{}", d.to_text());
    for op in ["ListTagsForResource", "TagResource", "UntagResource"] {
        assert_has(&d, Additive, OperationAdded, op);
    }
    assert_has(&d, Additive, MemberAdded, "CreateMeetingRequest$Tags");
    assert_has(&d, Additive, MemberAdded, "Meeting$MeetingArn");
    assert_has(&d, Behavior, TraitChanged, "ChimeMeetingsSDKService");
    assert!(
        !d.changes.iter().any(|c| c.kind == NullabilityChanged),
        "{}",
        d.to_text()
    );
}

#[test]
fn update_2023_04_06_to_current_adds_features_and_errors() {
    let Some(d) = real_diff(V2023_04_06, CURRENT, None) else {
        return;
    };
    assert_eq!(d.impact, Additive, "{}", d.to_text());
    assert_has(&d, Additive, ErrorAdded, "CreateMeeting");
    assert_has(&d, Additive, ErrorAdded, "UpdateAttendeeCapabilities");
    assert_has(
        &d,
        Additive,
        MemberAdded,
        "MeetingFeaturesConfiguration$Video",
    );
    assert_has(&d, Additive, ShapeAdded, "VideoResolution");
    assert_has(&d, Additive, EnumValueAdded, "TranscribeLanguageCode$HI_IN");
    assert_has(&d, Behavior, TraitChanged, "ChimeMeetingsSDKService");
    assert!(d.changes.iter().all(|c| c.impact != Breaking));
}

/// Both ends at once: the history adds up to an additive update.
#[test]
fn update_2022_06_02_to_current_is_additive() {
    let Some(d) = real_diff(V2022_06_02, CURRENT, None) else {
        return;
    };
    assert_eq!(d.impact, Additive, "{}", d.to_text());
    assert_has(&d, Additive, MemberAdded, "Meeting$TenantIds");
    assert_has(
        &d,
        Additive,
        MemberAdded,
        "MeetingFeaturesConfiguration$Video",
    );
}

#[test]
fn the_attendee_capability_operations_see_only_their_closure() {
    let ops = ["UpdateAttendeeCapabilities".to_owned()];
    let Some(d) = real_diff(V2023_04_06, CURRENT, Some(&ops)) else {
        return;
    };
    assert_eq!(d.impact, Additive, "{}", d.to_text());
    assert_has(&d, Additive, ErrorAdded, "UpdateAttendeeCapabilities");
    let outside = [
        "CreateMeeting",
        "MeetingFeaturesConfiguration",
        "TranscribeLanguageCode",
        "TagResource",
    ];
    for c in &d.changes {
        assert!(
            !outside.iter().any(|o| c.location().starts_with(o)),
            "outside the closure: {c:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// The command

fn codegen(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_chime-caps-codegen"))
        .args(args)
        .output()
        .expect("the binary runs");
    (
        out.status.code().expect("an exit code"),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Writes the base model and an edited copy to a temporary directory.
fn model_files(edit: impl FnOnce(&mut Value)) -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let mut new = base();
    edit(&mut new);
    let old_path = dir.path().join("old.json");
    let new_path = dir.path().join("new.json");
    std::fs::write(&old_path, base().to_string()).unwrap();
    std::fs::write(&new_path, new.to_string()).unwrap();
    let s = |p: PathBuf| p.to_str().unwrap().to_owned();
    (dir, s(old_path), s(new_path))
}

fn add_optional_member(m: &mut Value) {
    members(m, "ex#GetThingInput")
        .insert("Verbose".into(), json!({"target": "smithy.api#Boolean"}));
}

#[test]
fn the_command_prints_json_with_the_documented_fields() {
    let (_dir, old, new) = model_files(add_optional_member);
    let (code, out, err) = codegen(&["diff", "--old", &old, "--new", &new, "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).expect("one JSON object");
    assert_eq!(
        v,
        json!({"impact": "additive", "changes": [{"impact": "additive", "kind": "member-added",
               "shape": "ex#GetThingInput", "member": "Verbose",
               "detail": "optional member added (`bool`)"}]})
    );
}

#[test]
fn the_command_prints_a_text_summary_by_default() {
    let (_dir, old, new) = model_files(add_optional_member);
    let (code, out, _) = codegen(&["diff", "--old", &old, "--new", &new]);
    assert_eq!(code, 0);
    assert_eq!(out, "Impact: additive\n\nAdditions (1):\n  - GetThingInput$Verbose: optional member added (`bool`)\n");
}

#[test]
fn fail_on_exits_1_when_the_impact_reaches_the_level() {
    let (_dir, old, new) = model_files(add_optional_member);
    let run = |level: &str| codegen(&["diff", "--old", &old, "--new", &new, "--fail-on", level]);
    let (code, _, err) = run("additive");
    assert_eq!(code, 1);
    assert!(
        err.contains("`additive` reaches --fail-on additive"),
        "{err}"
    );
    assert_eq!(run("breaking").0, 0);
    assert_eq!(run("behavior").0, 1);
    let (_dir2, same_old, same_new) = model_files(|_| {});
    assert_eq!(
        codegen(&[
            "diff",
            "--old",
            &same_old,
            "--new",
            &same_new,
            "--fail-on",
            "documentation"
        ])
        .0,
        0
    );
}

#[test]
fn fail_on_breaking_exits_1_for_a_breaking_update() {
    let (_dir, old, new) = model_files(|m| {
        members(m, "ex#Thing").remove("Color");
    });
    let (code, out, _) = codegen(&[
        "diff",
        "--old",
        &old,
        "--new",
        &new,
        "--fail-on",
        "breaking",
    ]);
    assert_eq!(code, 1);
    assert!(
        out.contains("Breaking changes (1):\n  - Thing$Color: the field and its setter are gone"),
        "{out}"
    );
}

#[test]
fn the_command_restricts_to_operations() {
    let (_dir, old, new) = model_files(add_optional_member);
    let (code, out, _) = codegen(&[
        "diff",
        "--old",
        &old,
        "--new",
        &new,
        "--operations",
        "ListThings, GetWidget",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    assert_eq!(
        serde_json::from_str::<Value>(&out).unwrap(),
        json!({"impact": "none", "changes": []})
    );
}

#[test]
fn usage_and_input_errors_exit_2_with_a_message() {
    let (dir, old, new) = model_files(|_| {});
    let missing = dir.path().join("missing.json");
    let missing = missing.to_str().unwrap();
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, "{\"smithy\": \"2.0\", \"shapes\": [").unwrap();
    let broken = broken.to_str().unwrap();
    let cases: [(&[&str], &str); 9] = [
        (&["diff", "--old", &old], "--new"),
        (&["diff", "--new", &new], "--old"),
        (&["diff", "--old", missing, "--new", &new], missing),
        (&["diff", "--old", &old, "--new", broken], broken),
        (
            &["diff", "--old", &old, "--new", &new, "--format", "xml"],
            "xml",
        ),
        (
            &["diff", "--old", &old, "--new", &new, "--fail-on", "major"],
            "major",
        ),
        (
            &["diff", "--old", &old, "--new", &new, "--operations", "Nope"],
            "Nope",
        ),
        (
            &["diff", "--old", &old, "--new", &new, "--colour"],
            "unknown flag `--colour`",
        ),
        (
            &["diff", "--old", &old, "--new", &new, "--format"],
            "--format needs a value",
        ),
    ];
    for (args, mentioned) in cases {
        let (code, out, err) = codegen(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?} printed {out}");
        assert!(err.contains(mentioned), "{args:?}: {err}");
    }
}

#[test]
fn a_model_the_generator_refuses_exits_2_naming_it() {
    let (_dir, old, new) = model_files(without_http_on_get_thing);
    let (code, out, err) = codegen(&["diff", "--old", &old, "--new", &new]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("the new model cannot be compared") && err.contains("ex#GetThing"),
        "{err}"
    );
}

#[test]
fn the_usage_text_documents_diff() {
    let (code, out, _) = codegen(&["--help"]);
    assert_eq!(code, 0);
    for flag in [
        "diff",
        "--old FILE",
        "--new FILE",
        "--format text|json",
        "--fail-on LEVEL",
        "breaking",
    ] {
        assert!(out.contains(flag), "{flag} missing from:\n{out}");
    }
}
