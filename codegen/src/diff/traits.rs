//! What a trait change means for the generated client, for the traits that need no
//! context (the rest are handled by the rules in `rules.rs`), and how a constraint moved.

use serde_json::Value;

use super::{ChangeKind, Impact};

/// The class of a trait whose change is judged by its id alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TraitClass {
    /// Words for readers: rustdoc, release notes.
    Documentation,
    /// Spelling only: the generated API and its behaviour are the same.
    Representation,
    /// Where a member travels in the HTTP message (ignored outside inputs, outputs and errors).
    HttpBinding,
    /// How values are written on the wire: old clients and the service disagree after it.
    Wire,
    /// Anything else: runtime behaviour without an API change (auth, endpoints, retries,
    /// protocols, redaction, and traits this generator does not know).
    Behavior,
}

pub(super) fn classify(trait_id: &str) -> TraitClass {
    if trait_id.starts_with("aws.iam#") {
        return TraitClass::Documentation;
    }
    match trait_id.strip_prefix("smithy.api#") {
        Some(
            "documentation"
            | "externalDocumentation"
            | "examples"
            | "tags"
            | "since"
            | "title"
            | "deprecated"
            | "unstable"
            | "recommended"
            | "internal",
        ) => TraitClass::Documentation,
        Some(
            "input" | "output" | "addedDefault" | "clientOptional" | "suppress" | "private"
            | "references" | "resourceIdentifier" | "property" | "notProperty" | "nestedProperties",
        ) => TraitClass::Representation,
        Some(
            "httpLabel" | "httpQuery" | "httpQueryParams" | "httpHeader" | "httpPrefixHeaders"
            | "httpPayload" | "httpResponseCode",
        ) => TraitClass::HttpBinding,
        Some(
            "jsonName"
            | "timestampFormat"
            | "mediaType"
            | "sparse"
            | "streaming"
            | "requiresLength"
            | "endpoint"
            | "hostLabel"
            | "eventHeader"
            | "eventPayload"
            | "xmlName"
            | "xmlAttribute"
            | "xmlFlattened"
            | "xmlNamespace"
            | "httpChecksumRequired",
        ) => TraitClass::Wire,
        _ => match trait_id {
            // Checksum headers the service then expects (the generator refuses such
            // operations, so the update also stops them from being generated).
            "aws.protocols#httpChecksum" => TraitClass::Wire,
            "aws.api#controlPlane" | "aws.api#dataPlane" | "aws.api#arn" => {
                TraitClass::Documentation
            }
            _ => TraitClass::Behavior,
        },
    }
}

/// The impact and kind of adding, removing or changing a trait of `class`.
/// `binds_http` says whether HTTP binding traits mean anything where this one sits.
pub(super) fn judge(class: TraitClass, binds_http: bool) -> (Impact, ChangeKind) {
    match class {
        TraitClass::Documentation => (Impact::Documentation, ChangeKind::DocumentationChanged),
        TraitClass::Representation => (Impact::None, ChangeKind::RepresentationChanged),
        TraitClass::HttpBinding if binds_http => (Impact::Breaking, ChangeKind::HttpBindingChanged),
        TraitClass::HttpBinding => (Impact::None, ChangeKind::HttpBindingChanged),
        TraitClass::Wire => (Impact::Breaking, ChangeKind::WireFormatChanged),
        TraitClass::Behavior => (Impact::Behavior, ChangeKind::TraitChanged),
    }
}

/// How a constraint moved between two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Movement {
    /// Some value accepted before is refused now (or we cannot tell: a changed pattern).
    Narrowed,
    /// Everything accepted before still is, and more.
    Widened,
}

/// How `@length`, `@range`, `@pattern` or `@uniqueItems` moved from `old` to `new`
/// (`None` when it did not, or when `trait_id` is not a constraint).
pub(super) fn constraint_movement(
    trait_id: &str,
    old: Option<&Value>,
    new: Option<&Value>,
) -> Option<Movement> {
    if old == new {
        return None;
    }
    match trait_id {
        "smithy.api#length" | "smithy.api#range" => {
            let (old_min, old_max) = bounds(old);
            let (new_min, new_max) = bounds(new);
            let narrowed = new_min > old_min || new_max < old_max;
            let widened = new_min < old_min || new_max > old_max;
            match (narrowed, widened) {
                (true, _) => Some(Movement::Narrowed),
                (false, true) => Some(Movement::Widened),
                // Same bounds spelled differently (`1` vs `1.0`).
                (false, false) => None,
            }
        }
        // A new or different pattern may refuse values the old one accepted.
        "smithy.api#pattern" | "smithy.api#uniqueItems" => Some(match new {
            Some(_) => Movement::Narrowed,
            None => Movement::Widened,
        }),
        _ => None,
    }
}

/// `(min, max)` of a `@length`/`@range` value; an absent bound is unbounded. (A length's
/// implicit minimum is 0, which is also below every length, so -∞ serves both.)
fn bounds(value: Option<&Value>) -> (f64, f64) {
    let bound = |key: &str, unbounded: f64| {
        value
            .and_then(|v| v.get(key))
            .and_then(Value::as_f64)
            .unwrap_or(unbounded)
    };
    (bound("min", f64::NEG_INFINITY), bound("max", f64::INFINITY))
}

/// A detail line for a trait going from `old` to `new`: "`@length({"max":3})` added",
/// "`@pattern("^a$")` → `@pattern("^b$")`", or "`@documentation` changed" for long values
/// and documentation (the model's prose is its authors', and noise in a change list).
pub(super) fn describe(trait_id: &str, old: Option<&Value>, new: Option<&Value>) -> String {
    let name = trait_id.strip_prefix("smithy.api#").unwrap_or(trait_id);
    let prose = classify(trait_id) == TraitClass::Documentation;
    let spelled = |value: &Value| match value {
        Value::Object(o) if o.is_empty() => Some(format!("`@{name}`")),
        _ if prose => None,
        // Endpoint rule sets run to kilobytes: name them, do not print them.
        v => {
            let text = v.to_string();
            (text.len() <= 80).then(|| format!("`@{name}({text})`"))
        }
    };
    let either = |value: &Value| spelled(value).unwrap_or_else(|| format!("`@{name}`"));
    match (old, new) {
        (None, Some(v)) => format!("{} added", either(v)),
        (Some(v), None) => format!("{} removed", either(v)),
        (Some(a), Some(b)) => match (spelled(a), spelled(b)) {
            (Some(a), Some(b)) => format!("{a} → {b}"),
            _ => format!("`@{name}` changed"),
        },
        (None, None) => format!("`@{name}` unchanged"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn moved(id: &str, old: Value, new: Value) -> Option<Movement> {
        let some = |v: Value| (!v.is_null()).then_some(v);
        constraint_movement(id, some(old).as_ref(), some(new).as_ref())
    }

    #[test]
    fn length_and_range_narrow_widen_or_stay() {
        let l = "smithy.api#length";
        assert_eq!(
            moved(
                l,
                json!({"min": 1, "max": 10}),
                json!({"min": 2, "max": 10})
            ),
            Some(Movement::Narrowed)
        );
        assert_eq!(
            moved(l, json!({"min": 1, "max": 10}), json!({"min": 1, "max": 9})),
            Some(Movement::Narrowed)
        );
        assert_eq!(
            moved(
                l,
                json!({"min": 1, "max": 10}),
                json!({"min": 0, "max": 20})
            ),
            Some(Movement::Widened)
        );
        assert_eq!(
            moved(l, json!({"min": 1, "max": 10}), json!({"min": 0, "max": 5})),
            Some(Movement::Narrowed),
            "shifted both ways"
        );
        assert_eq!(
            moved(l, Value::Null, json!({"max": 10})),
            Some(Movement::Narrowed)
        );
        assert_eq!(
            moved(l, json!({"max": 10}), Value::Null),
            Some(Movement::Widened)
        );
        let r = "smithy.api#range";
        assert_eq!(moved(r, json!({"min": 1}), json!({"min": 1.0})), None);
        assert_eq!(
            moved(
                r,
                json!({"min": -5, "max": 5}),
                json!({"min": -5.5, "max": 5})
            ),
            Some(Movement::Widened)
        );
    }

    #[test]
    fn patterns_and_unique_items_are_judged_conservatively() {
        let p = "smithy.api#pattern";
        assert_eq!(
            moved(p, json!("^a$"), json!("^[ab]$")),
            Some(Movement::Narrowed)
        );
        assert_eq!(
            moved(p, Value::Null, json!("^a$")),
            Some(Movement::Narrowed)
        );
        assert_eq!(moved(p, json!("^a$"), Value::Null), Some(Movement::Widened));
        let u = "smithy.api#uniqueItems";
        assert_eq!(moved(u, Value::Null, json!({})), Some(Movement::Narrowed));
        assert_eq!(moved(u, json!({}), Value::Null), Some(Movement::Widened));
        assert_eq!(moved("smithy.api#sensitive", Value::Null, json!({})), None);
    }

    #[test]
    fn classes_decide_impacts() {
        assert_eq!(
            judge(classify("smithy.api#documentation"), true).0,
            Impact::Documentation
        );
        assert_eq!(
            judge(classify("aws.iam#requiredActions"), true).0,
            Impact::Documentation
        );
        assert_eq!(judge(classify("smithy.api#input"), true).0, Impact::None);
        assert_eq!(
            judge(classify("smithy.api#httpHeader"), true).0,
            Impact::Breaking
        );
        assert_eq!(
            judge(classify("smithy.api#httpHeader"), false).0,
            Impact::None
        );
        assert_eq!(
            judge(classify("smithy.api#jsonName"), false).0,
            Impact::Breaking
        );
        for checksum in [
            "smithy.api#httpChecksumRequired",
            "aws.protocols#httpChecksum",
        ] {
            assert_eq!(judge(classify(checksum), false).0, Impact::Breaking);
        }
        assert_eq!(
            judge(classify("smithy.rules#endpointRuleSet"), true).0,
            Impact::Behavior
        );
        assert_eq!(
            judge(classify("example.custom#unknown"), true).0,
            Impact::Behavior
        );
    }

    #[test]
    fn details_spell_short_values_and_name_long_ones() {
        let (a, b) = (json!({"max": 3}), json!({"max": 4}));
        assert_eq!(
            describe("smithy.api#sensitive", None, Some(&json!({}))),
            "`@sensitive` added"
        );
        assert_eq!(
            describe("smithy.api#length", Some(&a), Some(&b)),
            "`@length({\"max\":3})` → `@length({\"max\":4})`"
        );
        let long = json!("x".repeat(200));
        assert_eq!(
            describe("smithy.rules#endpointRuleSet", Some(&a), Some(&long)),
            "`@smithy.rules#endpointRuleSet` changed"
        );
        assert_eq!(
            describe("smithy.api#documentation", Some(&long), None),
            "`@documentation` removed"
        );
        let short = json!("Short text.");
        assert_eq!(
            describe("smithy.api#documentation", Some(&short), Some(&a)),
            "`@documentation` changed"
        );
    }
}
