//! What a model update changes for users of the client this generator emits.
//!
//! [`diff`] compares two models over the closure of their operations and classifies every
//! change by its effect on the generated Rust API, the way Smithy's own diff tool judges
//! compatibility but mapped to what this generator writes.
//!
//! Every fact about that API is the generator's own: both models are brought to Smithy 2.0
//! semantics by [`crate::upgrade`] (so Smithy 1.0 spellings of an API — `set`, `@enum`
//! strings, `@box`, implicit zero defaults — are the same model as their 2.0 equivalents)
//! and resolved by [`crate::ir::resolve`] for the chosen operations, as `generate
//! --operations` would. Field types and nullability, builder fallibility, defaults,
//! paginators, operation errors, enum values and union variants are read from that IR. The
//! models' own traits are compared for what the IR does not keep: documentation, behaviour
//! traits, constraints as written, HTTP and wire bindings.
//!
//! A model the generator refuses (no service in a protocol it writes, an event stream, a
//! construct it cannot write) cannot be compared: [`diff`] fails with [`DiffError::Unresolvable`],
//! naming the model and the problem, rather than falling back to comparing the models
//! alone, which cannot tell whether a change breaks the generated API and would
//! under-report exactly what `--fail-on breaking` exists to catch.
//!
//! # Impacts
//!
//! From lowest to highest; a diff's impact is its highest change's (`none` without changes).
//!
//! - `none`: the same API and behaviour, spelled differently.
//! - `documentation`: only rustdoc and release-note text changes.
//! - `behavior`: runtime behaviour changes without an API change (endpoints, auth,
//!   retries, defaults, validation that accepts more).
//! - `additive`: new API; code written against the old version still compiles and works.
//! - `breaking`: code written against the old version may stop compiling, fail at run
//!   time, or disagree with the service on the wire.
//!
//! # Classification
//!
//! | Change | Impact | Kind |
//! |---|---|---|
//! | operation added / removed (the client method and its types) | additive / breaking | `operation-added` / `operation-removed` |
//! | error added to / removed from an operation, its own or via the service's `errors` (a variant of `<Op>Error`) | additive / breaking | `error-added` / `error-removed` |
//! | structure, union, enum or intEnum newly reached / no longer reached (a `types` item appears / goes) | additive / breaking | `shape-added` / `shape-removed` |
//! | scalar, list or map newly reached / no longer reached (no Rust item of its own) | none | `shape-added` / `shape-removed` |
//! | shape type changed: structure ↔ union, error trait added or removed, string ↔ enum, intEnum ↔ integer, integer → long, ... | breaking | `shape-type-changed` |
//! | member removed, union variant removed | breaking | `member-removed` |
//! | member added, optional or with a default; union variant added | additive | `member-added` |
//! | member added `@required` without a default to an input or a `types` structure | breaking | `member-added` |
//! | member added `@required` to an output or error | additive | `member-added` |
//! | member target changed to another Rust type (a renamed structure or enum, `String` → `i32`, ...) | breaking | `member-target-changed` |
//! | member target changed, same Rust type (`String` → a constrained string shape; an intEnum ↔ an integer shape, both `i32`) | none, plus what the new target's constraints, default and format change | `representation-changed` |
//! | field becomes `Option<T>` or stops being one (an output, error or `types` member not targeting a structure or union, which are always `Option`; input fields always are: `@required`, `@default` or `@clientOptional` added/removed, including through the target's `@default`, and a default dropped or restored because it lies outside the value's `@range`/`@length`) | breaking | `nullability-changed` |
//! | builder's `build()` starts or stops returning a `Result` (an output, error or `types` structure gains its first / loses its last plain field without a default; an input's always returns one) | breaking | `builder-fallibility-changed` |
//! | `@required` added to an input or `types` member (type unchanged: callers must set it) | breaking | `member-now-required` |
//! | `@required` added to an output or error member, or removed anywhere, with the type unchanged | behavior | `member-now-required` / `member-no-longer-required` |
//! | the member's default added, removed or changed without changing the field's type (a plain field's builder fills it in; for an `Option` field the service applies it) | behavior | `default-added` / `default-removed` / `default-changed` |
//! | enum or intEnum value added | additive | `enum-value-added` |
//! | enum or intEnum value removed | breaking | `enum-value-removed` |
//! | same variant, different wire value | breaking | `enum-value-changed` |
//! | same wire value, different Rust variant name | breaking | `enum-variant-renamed` |
//! | `@length` / `@range` narrowed (either bound), `@pattern` added or changed (judged conservatively), `@uniqueItems` added | breaking | `constraint-narrowed` |
//! | `@length` / `@range` widened, `@pattern` or `@uniqueItems` removed | behavior | `constraint-widened` |
//! | `@paginated` added (a paginator) / removed | additive / breaking | `paginator-added` / `paginator-removed` |
//! | the paginator's items or page size added / any of its fields (tokens, items, page size) removed or changed | additive / breaking | `paginator-changed` |
//! | `@http` method, URI or code; member `@httpLabel`, `@httpQuery`, `@httpQueryParams`, `@httpHeader`, `@httpPrefixHeaders`, `@httpPayload`, `@httpResponseCode` on inputs, outputs and errors | breaking (wire) | `http-binding-changed` |
//! | the same binding traits on a `types` structure (ignored by the generator) | none | `http-binding-changed` |
//! | `@jsonName`, `@timestampFormat`, `@mediaType`, `@sparse`, `@streaming`, `@endpoint` host prefix, `@hostLabel`, XML and event-stream bindings | breaking (wire) | `wire-format-changed` |
//! | `@idempotencyToken` added / removed (auto-filled token) | behavior / breaking | `idempotency-token-added` / `idempotency-token-removed` |
//! | `@sensitive` (Debug redaction), `@retryable`, `@httpError`, `@error` fault, `@idempotent`, `@readonly`, `@auth`, `@optionalAuth`; service endpoint rule set and tests, `aws.auth#sigv4`, protocols, `aws.api#service`; any trait not listed here | behavior | `trait-changed` |
//! | `@documentation`, `@externalDocumentation`, `@examples`, `@tags`, `@since`, `@title`, `@deprecated` (no `#[deprecated]` is generated), `@unstable`, `@recommended`, `@internal`, `aws.iam#*`, service version | documentation | `documentation-changed` |
//! | `@input`, `@output`, `@addedDefault` (ignored by the generator), `@clientOptional` without a type change, `@suppress`, an operation's input/output structure renamed (the Rust type is named after the operation), the service shape renamed | none | `representation-changed` |
//!
//! A Smithy rename shows as a removal plus an addition: breaking. A member reports what
//! it inherits from its target (constraints, default, `@sensitive`, `@timestampFormat`,
//! `@mediaType`) only when its target or its own trait changed; otherwise the target shape
//! reports it once. Nullability is always judged at the member. Service-level changes are
//! reported even under `--operations` (they apply to every operation). Each model has one
//! service (the generator writes one client per service); a renamed service shape is the
//! same service.

mod rules;
mod traits;
mod view;

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;
use std::str::FromStr;

use serde::Serialize;

use crate::ast::Model;
use crate::ir::{IrError, Lookup};
use crate::naming::shape_name;
use crate::upgrade::{upgrade, UpgradeError};
use crate::CodegenError;

/// How much a change matters to users of the generated client, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Impact {
    None,
    Documentation,
    Behavior,
    Additive,
    Breaking,
}

impl Impact {
    /// Every impact, lowest first.
    pub const ALL: [Impact; 5] = [
        Impact::None,
        Impact::Documentation,
        Impact::Behavior,
        Impact::Additive,
        Impact::Breaking,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Impact::None => "none",
            Impact::Documentation => "documentation",
            Impact::Behavior => "behavior",
            Impact::Additive => "additive",
            Impact::Breaking => "breaking",
        }
    }
}

impl fmt::Display for Impact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A word that names no [`Impact`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown impact level `{0}`: use one of none, documentation, behavior, additive, breaking")]
pub struct UnknownImpact(pub String);

impl FromStr for Impact {
    type Err = UnknownImpact;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Impact::ALL
            .into_iter()
            .find(|i| i.as_str() == s)
            .ok_or_else(|| UnknownImpact(s.to_owned()))
    }
}

/// What changed; the classification table in the module documentation says which
/// impact each kind has when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChangeKind {
    OperationAdded,
    OperationRemoved,
    ErrorAdded,
    ErrorRemoved,
    ShapeAdded,
    ShapeRemoved,
    ShapeTypeChanged,
    MemberAdded,
    MemberRemoved,
    MemberTargetChanged,
    MemberNowRequired,
    MemberNoLongerRequired,
    NullabilityChanged,
    BuilderFallibilityChanged,
    DefaultAdded,
    DefaultRemoved,
    DefaultChanged,
    EnumValueAdded,
    EnumValueRemoved,
    EnumValueChanged,
    EnumVariantRenamed,
    ConstraintNarrowed,
    ConstraintWidened,
    PaginatorAdded,
    PaginatorRemoved,
    PaginatorChanged,
    HttpBindingChanged,
    WireFormatChanged,
    IdempotencyTokenAdded,
    IdempotencyTokenRemoved,
    TraitChanged,
    DocumentationChanged,
    RepresentationChanged,
}

impl ChangeKind {
    /// The kebab-case name used in the JSON report.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::OperationAdded => "operation-added",
            ChangeKind::OperationRemoved => "operation-removed",
            ChangeKind::ErrorAdded => "error-added",
            ChangeKind::ErrorRemoved => "error-removed",
            ChangeKind::ShapeAdded => "shape-added",
            ChangeKind::ShapeRemoved => "shape-removed",
            ChangeKind::ShapeTypeChanged => "shape-type-changed",
            ChangeKind::MemberAdded => "member-added",
            ChangeKind::MemberRemoved => "member-removed",
            ChangeKind::MemberTargetChanged => "member-target-changed",
            ChangeKind::MemberNowRequired => "member-now-required",
            ChangeKind::MemberNoLongerRequired => "member-no-longer-required",
            ChangeKind::NullabilityChanged => "nullability-changed",
            ChangeKind::BuilderFallibilityChanged => "builder-fallibility-changed",
            ChangeKind::DefaultAdded => "default-added",
            ChangeKind::DefaultRemoved => "default-removed",
            ChangeKind::DefaultChanged => "default-changed",
            ChangeKind::EnumValueAdded => "enum-value-added",
            ChangeKind::EnumValueRemoved => "enum-value-removed",
            ChangeKind::EnumValueChanged => "enum-value-changed",
            ChangeKind::EnumVariantRenamed => "enum-variant-renamed",
            ChangeKind::ConstraintNarrowed => "constraint-narrowed",
            ChangeKind::ConstraintWidened => "constraint-widened",
            ChangeKind::PaginatorAdded => "paginator-added",
            ChangeKind::PaginatorRemoved => "paginator-removed",
            ChangeKind::PaginatorChanged => "paginator-changed",
            ChangeKind::HttpBindingChanged => "http-binding-changed",
            ChangeKind::WireFormatChanged => "wire-format-changed",
            ChangeKind::IdempotencyTokenAdded => "idempotency-token-added",
            ChangeKind::IdempotencyTokenRemoved => "idempotency-token-removed",
            ChangeKind::TraitChanged => "trait-changed",
            ChangeKind::DocumentationChanged => "documentation-changed",
            ChangeKind::RepresentationChanged => "representation-changed",
        }
    }
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One classified change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub impact: Impact,
    pub kind: ChangeKind,
    /// The absolute id of the shape (operation, service, structure, ...) it happened in.
    pub shape: String,
    /// The member it happened to, if any (an enum's member for enum values, `member`,
    /// `key` or `value` for lists and maps).
    pub member: Option<String>,
    /// What changed and why it matters, in a sentence for humans.
    pub detail: String,
}

impl Change {
    /// `Shape` or `Shape$member`, without the namespace, for text reports.
    pub fn location(&self) -> String {
        let shape = shape_name(&self.shape);
        match &self.member {
            Some(m) => format!("{shape}${m}"),
            None => shape.to_owned(),
        }
    }
}

/// Everything an update changes, sorted by shape id, member and kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diff {
    /// The highest impact of any change (`none` when nothing changed).
    pub impact: Impact,
    pub changes: Vec<Change>,
}

/// Which of the two compared models something is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WhichModel {
    Old,
    New,
}

impl fmt::Display for WhichModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            WhichModel::Old => "old",
            WhichModel::New => "new",
        })
    }
}

/// Why two models could not be compared.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    #[error(
        "no operation named {} in either model; the models bind: {}",
        .unknown.join(", "),
        .known.join(", ")
    )]
    UnknownOperations {
        unknown: Vec<String>,
        known: Vec<String>,
    },
    #[error("the {which} model cannot be read in Smithy 2.0 semantics: {source}")]
    Upgrade {
        which: WhichModel,
        source: UpgradeError,
    },
    #[error(
        "the {which} model cannot be compared because the generator refuses it: {source}. \
         The diff judges the Rust API the generator writes, so fix the model (or teach the \
         generator the construct) and compare again"
    )]
    Unresolvable { which: WhichModel, source: IrError },
}

/// Compares `old` with `new` (Smithy 1.0 or 2.0 JSON AST models, as written or as [`load`]
/// returns them) over the closure of `operations` (shape names like `CreateMeeting` or
/// absolute ids; `None` or empty: every operation of the service).
pub fn diff(old: &Model, new: &Model, operations: Option<&[String]>) -> Result<Diff, DiffError> {
    let old = in_smithy_2(WhichModel::Old, old)?;
    let new = in_smithy_2(WhichModel::New, new)?;
    let selected = match operations {
        Some(names) if !names.is_empty() => Some(select(
            &bound_operations(WhichModel::Old, &old)?,
            &bound_operations(WhichModel::New, &new)?,
            names,
        )?),
        _ => None,
    };
    let unresolvable = |which| move |source| DiffError::Unresolvable { which, source };
    let old_view =
        view::View::new(&old, selected.as_ref()).map_err(unresolvable(WhichModel::Old))?;
    let new_view =
        view::View::new(&new, selected.as_ref()).map_err(unresolvable(WhichModel::New))?;
    let mut changes = rules::Differ::new(&old_view, &new_view).run();
    changes.sort_by(|a, b| {
        (&a.shape, &a.member, a.kind.as_str(), &a.detail, a.impact).cmp(&(
            &b.shape,
            &b.member,
            b.kind.as_str(),
            &b.detail,
            b.impact,
        ))
    });
    // A structure that is both an operation input and a nested type is compared twice.
    changes.dedup();
    let impact = changes
        .iter()
        .map(|c| c.impact)
        .max()
        .unwrap_or(Impact::None);
    Ok(Diff { impact, changes })
}

/// The model in Smithy 2.0 semantics (a model [`load`] returned is already; upgrading it
/// again changes nothing).
fn in_smithy_2(which: WhichModel, model: &Model) -> Result<Model, DiffError> {
    upgrade(model.clone()).map_err(|source| DiffError::Upgrade { which, source })
}

/// The ids of the operations the model's service binds.
fn bound_operations(which: WhichModel, model: &Model) -> Result<BTreeSet<String>, DiffError> {
    Lookup::new(model)
        .and_then(|lookup| lookup.operations())
        .map_err(|source| DiffError::Unresolvable { which, source })
}

/// The absolute ids of the operations `names` designates in either model.
fn select(
    old: &BTreeSet<String>,
    new: &BTreeSet<String>,
    names: &[String],
) -> Result<BTreeSet<String>, DiffError> {
    let bound: BTreeSet<&str> = old.iter().chain(new).map(String::as_str).collect();
    let mut selected = BTreeSet::new();
    let mut unknown = Vec::new();
    for name in names {
        let before = selected.len();
        selected.extend(
            bound
                .iter()
                .filter(|id| **id == name || shape_name(id) == name)
                .map(|id| (*id).to_owned()),
        );
        if selected.len() == before {
            unknown.push(name.clone());
        }
    }
    if unknown.is_empty() {
        Ok(selected)
    } else {
        Err(DiffError::UnknownOperations {
            unknown,
            known: bound.iter().map(|id| shape_name(id).to_owned()).collect(),
        })
    }
}

/// Reads a model file for [`diff`], in Smithy 2.0 semantics.
pub fn load(path: &Path) -> Result<Model, CodegenError> {
    crate::load_model(path)
}

impl Diff {
    /// The report as one JSON object: `{"impact": .., "changes": [..]}`.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a diff is plain data")
    }

    /// A readable summary for a release note: the changes that matter, most important
    /// first; representation-only changes are counted, not listed.
    pub fn to_text(&self) -> String {
        let mut out = format!("Impact: {}\n", self.impact);
        if self.changes.is_empty() {
            out.push_str("\nNo changes.\n");
            return out;
        }
        for (impact, heading) in [
            (Impact::Breaking, "Breaking changes"),
            (Impact::Additive, "Additions"),
            (Impact::Behavior, "Behaviour changes (same API)"),
            (Impact::Documentation, "Documentation changes"),
        ] {
            let changes: Vec<&Change> =
                self.changes.iter().filter(|c| c.impact == impact).collect();
            if changes.is_empty() {
                continue;
            }
            out.push_str(&format!("\n{heading} ({}):\n", changes.len()));
            for c in changes {
                out.push_str(&format!("  - {}: {}\n", c.location(), c.detail));
            }
        }
        let unlisted = self
            .changes
            .iter()
            .filter(|c| c.impact == Impact::None)
            .count();
        if unlisted > 0 {
            out.push_str(&format!(
                "\n{unlisted} representation-only change(s) with no effect on the API (listed by --format json).\n"
            ));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(impact: Impact, shape: &str, member: Option<&str>) -> Change {
        Change {
            impact,
            kind: ChangeKind::MemberAdded,
            shape: shape.into(),
            member: member.map(Into::into),
            detail: "optional member added (`String`)".into(),
        }
    }

    #[test]
    fn impacts_are_ordered_and_named_in_lowercase() {
        assert!(Impact::ALL.windows(2).all(|w| w[0] < w[1]));
        for i in Impact::ALL {
            assert_eq!(i.as_str().parse::<Impact>(), Ok(i));
            assert_eq!(serde_json::to_value(i).unwrap(), i.as_str());
        }
        let err = "major".parse::<Impact>().unwrap_err();
        assert!(err.to_string().contains("major") && err.to_string().contains("breaking"));
    }

    #[test]
    fn change_kinds_serialize_as_their_names() {
        for kind in [
            ChangeKind::OperationAdded,
            ChangeKind::BuilderFallibilityChanged,
            ChangeKind::RepresentationChanged,
        ] {
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
    }

    #[test]
    fn json_has_the_documented_shape() {
        let d = Diff {
            impact: Impact::Additive,
            changes: vec![
                change(Impact::Additive, "a#S", Some("M")),
                change(Impact::None, "a#T", None),
            ],
        };
        let v: serde_json::Value = serde_json::from_str(&d.to_json()).unwrap();
        assert_eq!(v["impact"], "additive");
        assert_eq!(
            v["changes"][0],
            serde_json::json!({"impact": "additive", "kind": "member-added", "shape": "a#S",
                               "member": "M", "detail": "optional member added (`String`)"})
        );
        assert!(v["changes"][1]["member"].is_null());
    }

    #[test]
    fn text_lists_what_matters_and_counts_the_rest() {
        let d = Diff {
            impact: Impact::Breaking,
            changes: vec![
                change(Impact::Breaking, "a#S", Some("M")),
                change(Impact::None, "a#T", None),
                change(Impact::None, "a#U", None),
            ],
        };
        let text = d.to_text();
        assert!(text.starts_with("Impact: breaking\n"), "{text}");
        assert!(
            text.contains("Breaking changes (1):\n  - S$M: optional member added"),
            "{text}"
        );
        assert!(!text.contains("Additions"), "{text}");
        assert!(text.contains("2 representation-only change(s)"), "{text}");
        let empty = Diff {
            impact: Impact::None,
            changes: vec![],
        }
        .to_text();
        assert_eq!(empty, "Impact: none\n\nNo changes.\n");
    }
}
