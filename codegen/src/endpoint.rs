//! Compiles a Smithy endpoint rule set (`smithy.rules#endpointRuleSet`) into Rust.
//!
//! The rule set is type-checked and lowered into an IR of ready-made Rust snippets
//! ([`EndpointModule`]); the handlebars templates in [`TEMPLATES`] only lay those snippets out.
//! The generated resolver is plain nested `if` / `if let` code: nothing is interpreted at run time.
//!
//! One generated file comes out of an [`EndpointModule`]: `src/config/endpoint.rs` (template
//! `endpoint.rs`), with the public API of the official SDK's `config::endpoint` (`Params`, its
//! builder, `InvalidParams`, the `ResolveEndpoint` trait, `DefaultResolver`), the compiled rules,
//! the partition table when the rules call `aws.partition`, the two functions the runtime's
//! `ServiceInfo` points at (`params_from_builtins`, `default_resolver`) and one `#[test]` per
//! `smithy.rules#endpointTests` test case. The rules-engine library functions the rules call
//! live in the runtime crate (`chime_caps_runtime::endpoint_lib`), compiled once.
//!
//! Semantics of optional values: a condition that needs the value of an optional that has not
//! been proven set (by `isSet` or `assign`) does not match when the value is unset. The same holds
//! for values an endpoint or error body needs: the rule then does not match.
//!
//! A service that predates rule sets gets the standard AWS rule set and tests from
//! [`standard`] (added to the model by [`crate::upgrade`]).

pub mod standard;

pub use standard::{
    standard_endpoint_tests, standard_endpoint_tests_with_partitions, standard_rule_set,
};

use heck::ToSnakeCase;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

const RULE_SET_TRAIT: &str = "smithy.rules#endpointRuleSet";
const TESTS_TRAIT: &str = "smithy.rules#endpointTests";
const BDD_TRAIT: &str = "smithy.rules#endpointBdd";

/// Partition data, rendered as the generated partition table when the rules use it.
const PARTITIONS_JSON: &str = include_str!("../data/partitions.json");

/// The runtime's rules-engine library, as generated code names it.
const LIB: &str = "::chime_caps_runtime::endpoint_lib";
/// `aws_smithy_types::Document` and `Number`, through the runtime (generated crates need not
/// depend on `aws_smithy_types` themselves).
const DOC: &str = "::chime_caps_runtime::deps::aws_smithy_types::Document";
const NUMBER: &str = "::chime_caps_runtime::deps::aws_smithy_types::Number";

/// The `builtIn`s the runtime's `EndpointBuiltIns` carries: name, parameter type, and the
/// expression reading it from `builtins: &EndpointBuiltIns`.
const BUILTINS: &[(&str, Ty, &str)] = &[
    ("AWS::Region", Ty::Str, "builtins.region.clone()"),
    ("AWS::UseFIPS", Ty::Bool, "builtins.use_fips"),
    ("AWS::UseDualStack", Ty::Bool, "builtins.use_dual_stack"),
    ("SDK::Endpoint", Ty::Str, "builtins.endpoint.clone()"),
];

/// Handlebars templates of this module: (name, source). Register them all; `endpoint.rs` is the
/// entry point, `endpoint_rule` is a recursive partial.
pub const TEMPLATES: &[(&str, &str)] = &[
    ("endpoint.rs", include_str!("../templates/endpoint.rs.hbs")),
    (
        "endpoint_rule",
        include_str!("../templates/endpoint_rule.hbs"),
    ),
];

/// Why an endpoint rule set could not be compiled. Every message names where in the rule set
/// (a JSON path such as `rules[1].rules[0].conditions[0]`) and which construct failed.
#[derive(Debug, thiserror::Error)]
pub enum EndpointError {
    /// A construct this generator does not implement.
    #[error("endpoint rule set, at {at}: unsupported {what}")]
    Unsupported { at: String, what: String },
    /// The rule set is malformed or does not type-check.
    #[error("endpoint rule set, at {at}: {message}")]
    Invalid { at: String, message: String },
    /// An `endpointTests` test case cannot be turned into a test.
    #[error("endpoint tests, test case {index}: {message}")]
    TestCase { index: usize, message: String },
    /// The partition table is malformed.
    #[error("partition data: {0}")]
    Partitions(String),
}

fn invalid(at: &str, message: impl Into<String>) -> EndpointError {
    EndpointError::Invalid {
        at: at.to_string(),
        message: message.into(),
    }
}

fn unsupported(at: &str, what: impl Into<String>) -> EndpointError {
    EndpointError::Unsupported {
        at: at.to_string(),
        what: what.into(),
    }
}

// ---------------------------------------------------------------------------------------------
// IR handed to the templates
// ---------------------------------------------------------------------------------------------

/// Everything the endpoint templates need, ready to render (Serialize for handlebars).
#[derive(Debug, Clone, Serialize)]
pub struct EndpointModule {
    /// Rule-set parameters, in model order.
    pub params: Vec<ParamIr>,
    /// Validations `ParamsBuilder::build` runs before `build_without_validators`.
    pub validators: Vec<ValidatorIr>,
    /// Name of the `&Params` argument of the generated `evaluate_rules` (`_params` if unused).
    pub params_arg: String,
    /// Name of the `&EndpointBuiltIns` argument of `params_from_builtins` (`_builtins` if no
    /// parameter has a `builtIn`).
    pub builtins_arg: String,
    /// `let` statements binding the parameters the rules read.
    pub bindings: Vec<String>,
    /// Top-level rules.
    pub rules: Vec<RuleIr>,
    /// Whether the top-level rules can all fail (then a final "no rule matched" error is emitted).
    pub exhaustible: bool,
    /// One generated `#[test]` per `endpointTests` test case.
    pub tests: Vec<TestIr>,
    /// The partition table, when the rules call `aws.partition`.
    pub partitions: Option<PartitionTableIr>,
}

/// One rule-set parameter and the Rust snippets for its field, getter, setters and build step.
#[derive(Debug, Clone, Serialize)]
pub struct ParamIr {
    /// Name in the rule set, e.g. `UseFIPS`.
    pub name: String,
    /// Rust field / method name, e.g. `use_fips`.
    pub rust_name: String,
    /// `string`, `boolean` or `stringArray`.
    pub kind: String,
    /// The `builtIn` this parameter is bound to (`AWS::Region`, `SDK::Endpoint`, ...).
    pub builtin: Option<String>,
    /// The value of the `builtIn` in `params_from_builtins` (an expression over `builtins`).
    pub builtin_value: Option<String>,
    pub required: bool,
    /// Rendered default value (Rust expression), if any.
    pub default: Option<String>,
    /// Doc-comment lines.
    pub docs: Vec<String>,
    /// Type of the field in `Params`.
    pub field_type: String,
    /// Type of the field in `ParamsBuilder` (always an `Option`).
    pub builder_type: String,
    /// Argument type of the value setter (`impl Into<...>`).
    pub setter_type: String,
    /// Return type and body of the getter on `Params`.
    pub getter_type: String,
    pub getter_body: String,
    /// Expression producing the `Params` field from `self` (a `ParamsBuilder`) in `build`.
    pub build_expr: String,
}

/// A check run by `ParamsBuilder::build`.
#[derive(Debug, Clone, Serialize)]
pub struct ValidatorIr {
    pub field: String,
    /// Boolean expression over `value` (a `&str`) that holds when the value is acceptable.
    pub check: String,
    /// Rust string literal describing the requirement.
    pub message: String,
}

/// One compiled rule: the opening lines of its nested conditions, its body, and the closing braces.
#[derive(Debug, Clone, Serialize)]
pub struct RuleIr {
    /// Lines such as `if let Some(region) = region {` or `if use_fips {`.
    pub open: Vec<String>,
    /// Matching closing braces.
    pub close: String,
    /// Endpoint rules: the `Endpoint` expression to return.
    pub endpoint: Option<String>,
    /// Error rules: the message expression.
    pub error: Option<String>,
    /// Tree rules: the sub-rules.
    pub rules: Vec<RuleIr>,
    pub is_tree: bool,
    /// Tree rules: whether the sub-rules can all fail (then a rule-exhaustion error follows them).
    pub exhaustible: bool,
}

/// One generated endpoint test.
#[derive(Debug, Clone, Serialize)]
pub struct TestIr {
    pub name: String,
    /// The test case's documentation, on one line.
    pub doc: Option<String>,
    /// Builder calls, e.g. `.region("us-east-1").use_fips(false)`.
    pub builder: String,
    /// The test expects the parameters themselves to be rejected (a required parameter is missing).
    pub build_fails: bool,
    /// Expected `Endpoint` expression.
    pub expect_endpoint: Option<String>,
    /// Expected error message (Rust string literal).
    pub expect_error: Option<String>,
}

/// The partition table: `static`s of partition attributes, and the table over them.
#[derive(Debug, Clone, Serialize)]
pub struct PartitionTableIr {
    /// One `static` per distinct set of attributes.
    pub outputs: Vec<PartitionOutputsIr>,
    /// The partitions, in lookup order.
    pub entries: Vec<PartitionEntryIr>,
    /// The `static` of the partition of unknown regions (the `aws` partition's).
    pub fallback: String,
}

/// One partition of the partition table.
#[derive(Debug, Clone, Serialize)]
pub struct PartitionEntryIr {
    /// Explicitly listed regions and the `static` of their attributes.
    pub regions: Vec<PartitionRegionIr>,
    /// The partition's region regex as a `RegionPattern` expression.
    pub region_pattern: String,
    /// The `static` of the attributes of regions matching the pattern.
    pub outputs: String,
}

/// A region listed by name: Rust string literal, and the `static` of its attributes.
#[derive(Debug, Clone, Serialize)]
pub struct PartitionRegionIr {
    pub name: String,
    pub outputs: String,
}

/// A `static` of partition attributes (the base outputs of a partition, or a region override).
#[derive(Debug, Clone, Serialize)]
pub struct PartitionOutputsIr {
    pub ident: String,
    pub name: String,
    pub dns_suffix: String,
    pub dual_stack_dns_suffix: String,
    pub supports_fips: bool,
    pub supports_dual_stack: bool,
    pub implicit_global_region: String,
}

// ---------------------------------------------------------------------------------------------
// Public entry points
// ---------------------------------------------------------------------------------------------

/// Build the endpoint IR from the service shape's traits object (the JSON map under the
/// service's `"traits"`). Returns `Ok(None)` when the service has no endpoint rule set.
pub fn endpoint_module(
    service_traits: &Map<String, Value>,
) -> Result<Option<EndpointModule>, EndpointError> {
    endpoint_module_with_partitions(service_traits, PARTITIONS_JSON)
}

/// Like [`endpoint_module`], with a caller-provided partition table (same JSON layout as
/// `codegen/data/partitions.json`; the region map layout of the public `partitions.json` works
/// too).
pub fn endpoint_module_with_partitions(
    service_traits: &Map<String, Value>,
    partitions_json: &str,
) -> Result<Option<EndpointModule>, EndpointError> {
    let Some(rule_set) = service_traits.get(RULE_SET_TRAIT) else {
        if service_traits.contains_key(BDD_TRAIT) {
            return Err(unsupported(
                BDD_TRAIT,
                "endpoint rule set form: only `smithy.rules#endpointRuleSet` is implemented",
            ));
        }
        return Ok(None);
    };
    let rule_set = rule_set
        .as_object()
        .ok_or_else(|| invalid(RULE_SET_TRAIT, "the trait value must be an object"))?;

    let params = parse_params(rule_set)?;
    let mut compiler = Compiler::default();
    let mut scope = Scope::default();
    let mut param_bindings = Vec::new();
    for p in &params {
        let binding = compiler.new_binding();
        let rust = p.binding_name.clone();
        scope.names.insert(rust.clone());
        scope.vars.insert(
            p.name.clone(),
            Var {
                code: rust.clone(),
                ty: p.ty.clone(),
                opt: !p.always_set,
                binding,
                konst: None,
            },
        );
        param_bindings.push((binding, p));
    }

    let rules = rule_set
        .get("rules")
        .and_then(Value::as_array)
        .ok_or_else(|| invalid("rules", "`rules` must be an array"))?;
    if rules.is_empty() {
        return Err(invalid("rules", "a rule set needs at least one rule"));
    }
    let (rules, exhaustible) = compiler.rules(rules, &scope, "rules")?;

    let mut bindings = Vec::new();
    for (binding, p) in &param_bindings {
        if compiler.used[*binding] {
            bindings.push(format!("let {} = {};", p.binding_name, p.binding_expr));
        }
    }
    let params_arg = if bindings.is_empty() {
        "_params"
    } else {
        "params"
    }
    .to_string();

    let validators = params
        .iter()
        .filter(|p| p.ir.builtin.as_deref() == Some("AWS::Region"))
        .map(|p| ValidatorIr {
            field: p.ir.rust_name.clone(),
            check: format!("{LIB}::is_valid_host_label(value, true)"),
            message: rust_str("must be a valid host label"),
        })
        .collect();
    let builtins_arg = if params.iter().any(|p| p.ir.builtin_value.is_some()) {
        "builtins"
    } else {
        "_builtins"
    }
    .to_string();

    let tests = match service_traits.get(TESTS_TRAIT) {
        Some(tests) => build_tests(tests, &params)?,
        None => Vec::new(),
    };

    let partitions = if compiler.uses_partitions {
        Some(partition_table(partitions_json)?)
    } else {
        None
    };

    Ok(Some(EndpointModule {
        params: params.into_iter().map(|p| p.ir).collect(),
        validators,
        params_arg,
        builtins_arg,
        bindings,
        rules,
        exhaustible,
        tests,
        partitions,
    }))
}

/// The generated crate's `src/config/endpoint.rs` for `module`, formatted as the
/// generator writes it.
pub fn render(module: &EndpointModule) -> Result<String, crate::render::RenderError> {
    crate::render::render_file("src/config/endpoint.rs", "endpoint.rs", module).map(|f| f.contents)
}

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

struct Param {
    name: String,
    ty: Ty,
    /// Required or defaulted: the `Params` field is not an `Option`.
    always_set: bool,
    binding_name: String,
    binding_expr: String,
    ir: ParamIr,
}

const RUST_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "try",
    "type", "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield",
];

/// Names the generated `evaluate_rules` uses itself.
const RESERVED_NAMES: &[&str] = &["params", "_params"];

fn rust_ident(name: &str) -> String {
    let snake = name.to_snake_case();
    let snake = if snake.is_empty() || snake.starts_with(|c: char| c.is_ascii_digit()) {
        format!("v_{snake}")
    } else {
        snake
    };
    if RUST_KEYWORDS.contains(&snake.as_str()) {
        format!("{snake}_value")
    } else {
        snake
    }
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A rule-set parameter as an operation sets it from its call: the `Params` field, its
/// kind and whether the field is an `Option`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParamField {
    pub(crate) rust_name: String,
    pub(crate) kind: ParamKind,
    /// Required or defaulted: the field is not an `Option`.
    pub(crate) always_set: bool,
}

/// The kinds of values an operation can give a rule-set parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ParamKind {
    String,
    Boolean,
    StringArray,
}

/// The parameters of the service's rule set by name (none without a rule set: the
/// standard one takes no parameter from a call).
pub(crate) fn param_fields(
    service_traits: &Map<String, Value>,
) -> Result<BTreeMap<String, ParamField>, EndpointError> {
    let Some(rule_set) = service_traits
        .get(RULE_SET_TRAIT)
        .and_then(Value::as_object)
    else {
        return Ok(BTreeMap::new());
    };
    Ok(parse_params(rule_set)?
        .into_iter()
        .filter_map(|p| {
            let kind = match p.ty {
                Ty::Str => ParamKind::String,
                Ty::Bool => ParamKind::Boolean,
                Ty::StrArray => ParamKind::StringArray,
                _ => return None,
            };
            let field = ParamField {
                rust_name: p.ir.rust_name,
                kind,
                always_set: p.always_set,
            };
            Some((p.name, field))
        })
        .collect())
}

fn parse_params(rule_set: &Map<String, Value>) -> Result<Vec<Param>, EndpointError> {
    let params = match rule_set.get("parameters") {
        None => return Ok(Vec::new()),
        Some(Value::Object(params)) => params,
        Some(_) => return Err(invalid("parameters", "`parameters` must be an object")),
    };
    let mut out = Vec::new();
    let mut rust_names = HashSet::new();
    for (name, spec) in params {
        let at = format!("parameters.{name}");
        if !is_identifier(name) {
            return Err(invalid(&at, "parameter names must be identifiers"));
        }
        let spec = spec
            .as_object()
            .ok_or_else(|| invalid(&at, "must be an object"))?;
        let type_name = spec
            .get("type")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid(&at, "`type` is missing"))?;
        let ty = match type_name.to_ascii_lowercase().as_str() {
            "string" => Ty::Str,
            "boolean" => Ty::Bool,
            "stringarray" => Ty::StrArray,
            _ => return Err(unsupported(&at, format!("parameter type `{type_name}`"))),
        };
        let required = spec
            .get("required")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let builtin = spec
            .get("builtIn")
            .and_then(Value::as_str)
            .map(str::to_string);
        let default = match spec.get("default") {
            None | Some(Value::Null) => None,
            Some(v) => Some(default_expr(&ty, v).ok_or_else(|| {
                invalid(
                    &at,
                    format!("default value {v} does not match type `{type_name}`"),
                )
            })?),
        };
        let builtin_value = builtin_value(builtin.as_deref(), &ty, &at)?;
        if required && default.is_none() && builtin_value.is_none() {
            return Err(invalid(
                &at,
                "a required parameter needs a `default` or a `builtIn`: the client \
                 configuration has no other way to give it a value",
            ));
        }
        let rust_name = rust_ident(name);
        if !rust_names.insert(rust_name.clone()) {
            return Err(invalid(
                &at,
                format!("two parameters map to the Rust name `{rust_name}`"),
            ));
        }
        let binding_name = if RESERVED_NAMES.contains(&rust_name.as_str()) {
            format!("{rust_name}_param")
        } else {
            rust_name.clone()
        };

        // The model's own documentation text is deliberately not copied into generated code.
        let mut docs = vec![format!(
            "The `{name}` endpoint rule-set parameter ({type_name})."
        )];
        if let Some(builtin) = &builtin {
            docs.push(String::new());
            docs.push(format!("Bound to the `{builtin}` built-in."));
        }
        if let Some(default) = spec.get("default").filter(|d| !d.is_null()) {
            docs.push(String::new());
            docs.push(format!("Defaults to `{default}` when unset."));
        } else if required {
            docs.push(String::new());
            docs.push("Required.".to_string());
        }
        if let Some(dep) = spec.get("deprecated").and_then(Value::as_object) {
            docs.push(String::new());
            let mut line = "Deprecated".to_string();
            if let Some(since) = dep.get("since").and_then(Value::as_str) {
                let _ = write!(line, " since {since}");
            }
            docs.push(line);
        }

        let always_set = required || default.is_some();
        let (value_type, ref_type, opt_getter, set_getter, opt_binding, set_binding) = match ty {
            Ty::Str => (
                "::std::string::String",
                "&str",
                "self.{f}.as_deref()",
                "Some(self.{f}.as_str())",
                "params.{f}.as_deref()",
                "params.{f}.as_str()",
            ),
            Ty::Bool => (
                "bool",
                "bool",
                "self.{f}",
                "Some(self.{f})",
                "params.{f}",
                "params.{f}",
            ),
            _ => (
                "::std::vec::Vec<::std::string::String>",
                "&[::std::string::String]",
                "self.{f}.as_deref()",
                "Some(self.{f}.as_slice())",
                "params.{f}.as_deref()",
                "params.{f}.as_slice()",
            ),
        };
        let fill = |pattern: &str| pattern.replace("{f}", &rust_name);
        let build_expr = match (&default, required) {
            (Some(d), _) if ty == Ty::Bool => format!("self.{rust_name}.unwrap_or({d})"),
            (Some(d), _) => format!("self.{rust_name}.unwrap_or_else(|| {d})"),
            (None, true) => {
                format!(
                    "self.{rust_name}.ok_or(InvalidParams {{ field: {}, message: {} }})?",
                    rust_str(&rust_name),
                    rust_str("a value is required")
                )
            }
            (None, false) => format!("self.{rust_name}"),
        };
        let ir = ParamIr {
            name: name.clone(),
            rust_name: rust_name.clone(),
            kind: match ty {
                Ty::Str => "string",
                Ty::Bool => "boolean",
                _ => "stringArray",
            }
            .to_string(),
            builtin: builtin.clone(),
            builtin_value,
            required,
            default: default.clone(),
            docs,
            field_type: if always_set {
                value_type.to_string()
            } else {
                format!("::std::option::Option<{value_type}>")
            },
            builder_type: format!("::std::option::Option<{value_type}>"),
            setter_type: format!("impl ::std::convert::Into<{value_type}>"),
            getter_type: format!("::std::option::Option<{ref_type}>"),
            getter_body: fill(if always_set { set_getter } else { opt_getter }),
            build_expr,
        };
        out.push(Param {
            name: name.clone(),
            ty,
            always_set,
            binding_name,
            binding_expr: fill(if always_set { set_binding } else { opt_binding }),
            ir,
        });
    }
    Ok(out)
}

/// The expression `params_from_builtins` reads a `builtIn` parameter's value with; an error for
/// `builtIn`s the runtime does not carry or of another type.
fn builtin_value(
    builtin: Option<&str>,
    ty: &Ty,
    at: &str,
) -> Result<Option<String>, EndpointError> {
    let Some(builtin) = builtin else {
        return Ok(None);
    };
    let known = BUILTINS.iter().map(|(name, ..)| *name).collect::<Vec<_>>();
    let (_, builtin_ty, value) = BUILTINS
        .iter()
        .find(|(name, ..)| *name == builtin)
        .ok_or_else(|| {
            unsupported(
                at,
                format!(
                    "`builtIn` `{builtin}`: the client configuration provides only {}",
                    known.join(", ")
                ),
            )
        })?;
    if builtin_ty != ty {
        return Err(invalid(
            at,
            format!(
                "`builtIn` `{builtin}` is a {}, the parameter a {}",
                builtin_ty.describe(),
                ty.describe()
            ),
        ));
    }
    Ok(Some(value.to_string()))
}

fn default_expr(ty: &Ty, v: &Value) -> Option<String> {
    match (ty, v) {
        (Ty::Str, Value::String(s)) => Some(format!("{}.to_string()", rust_str(s))),
        (Ty::Bool, Value::Bool(b)) => Some(b.to_string()),
        (Ty::StrArray, Value::Array(items)) => {
            let items: Option<Vec<String>> = items
                .iter()
                .map(|i| i.as_str().map(|s| format!("{}.to_string()", rust_str(s))))
                .collect();
            Some(format!("vec![{}]", items?.join(", ")))
        }
        _ => None,
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A Rust string literal for `s`.
fn rust_str(s: &str) -> String {
    format!("{s:?}")
}

// ---------------------------------------------------------------------------------------------
// Types and values of the compiler
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq)]
enum Ty {
    Str,
    Bool,
    Int,
    StrArray,
    Url,
    Partition,
    Arn,
}

impl Ty {
    fn describe(&self) -> &'static str {
        match self {
            Ty::Str => "string",
            Ty::Bool => "boolean",
            Ty::Int => "integer",
            Ty::StrArray => "array of strings",
            Ty::Url => "URL",
            Ty::Partition => "Partition",
            Ty::Arn => "ARN",
        }
    }
}

/// How a compiled expression binds in Rust (to decide on parentheses).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Prec {
    /// Identifier, literal, call, method call, macro.
    Atom,
    /// `!x`
    Unary,
    /// `a == b`, `a != b`
    Compare,
}

/// A compiled expression.
#[derive(Debug, Clone)]
struct Val {
    code: String,
    ty: Ty,
    /// The Rust value is an `Option<...>`.
    opt: bool,
    /// Strings: the Rust value is an owned `String` (otherwise `&str`).
    owned: bool,
    /// Strings: a static string literal with this content.
    lit_str: Option<String>,
    /// Booleans: a known constant.
    lit_bool: Option<bool>,
    /// Integers: the literal value.
    lit_int: Option<i64>,
    /// Booleans: a nicer spelling of the negation (`a != b`, `x.is_none()`).
    neg: Option<String>,
    prec: Prec,
    /// Plain reference to this rule-set variable.
    var: Option<String>,
}

impl Val {
    fn new(code: String, ty: Ty) -> Self {
        Val {
            code,
            ty,
            opt: false,
            owned: false,
            lit_str: None,
            lit_bool: None,
            lit_int: None,
            neg: None,
            prec: Prec::Atom,
            var: None,
        }
    }
    fn opt(mut self) -> Self {
        self.opt = true;
        self
    }
    fn owned(mut self) -> Self {
        self.owned = true;
        self
    }
    fn boolean(code: String, prec: Prec, neg: Option<String>) -> Self {
        let mut v = Val::new(code, Ty::Bool);
        v.prec = prec;
        v.neg = neg;
        v
    }
    fn const_bool(b: bool) -> Self {
        let mut v = Val::new(b.to_string(), Ty::Bool);
        v.lit_bool = Some(b);
        v
    }
    fn const_str(s: &str) -> Self {
        let mut v = Val::new(rust_str(s), Ty::Str);
        v.lit_str = Some(s.to_string());
        v
    }
    /// Code usable as an operand of `==` / a method receiver.
    fn operand(&self) -> String {
        match self.prec {
            Prec::Compare => format!("({})", self.code),
            _ => self.code.clone(),
        }
    }
    /// A non-optional string as `&str`.
    fn str_ref(&self) -> String {
        if self.owned {
            format!("{}.as_str()", self.code)
        } else {
            self.code.clone()
        }
    }
    /// A non-optional string as something `Into<Cow<'static, str>>`.
    fn str_cow(&self) -> String {
        if self.owned || self.lit_str.is_some() {
            self.code.clone()
        } else {
            format!("{}.to_string()", self.code)
        }
    }
    /// A non-optional string as an owned `String`.
    fn str_owned(&self) -> String {
        if self.owned {
            self.code.clone()
        } else {
            format!("{}.to_string()", self.code)
        }
    }
}

fn negate(v: &Val) -> Val {
    if let Some(b) = v.lit_bool {
        return Val::const_bool(!b);
    }
    match &v.neg {
        Some(neg) => {
            let prec = if neg.starts_with('!') {
                Prec::Unary
            } else {
                v.prec
            };
            let prec = if neg.contains(" != ") || neg.contains(" == ") {
                Prec::Compare
            } else {
                prec
            };
            Val::boolean(neg.clone(), prec, Some(v.code.clone()))
        }
        None => {
            let code = match v.prec {
                Prec::Atom | Prec::Unary => format!("!{}", v.code),
                Prec::Compare => format!("!({})", v.code),
            };
            Val::boolean(code, Prec::Unary, Some(v.code.clone()))
        }
    }
}

#[derive(Debug, Clone)]
struct Var {
    code: String,
    ty: Ty,
    opt: bool,
    binding: usize,
    /// Booleans assigned from a matched condition are known to be `true`.
    konst: Option<bool>,
}

#[derive(Debug, Clone, Default)]
struct Scope {
    /// Rule-set name → variable.
    vars: HashMap<String, Var>,
    /// Rust names in use.
    names: HashSet<String>,
}

impl Scope {
    fn fresh(&mut self, name: &str) -> String {
        let base = rust_ident(name);
        let mut candidate = base.clone();
        let mut n = 2;
        while self.names.contains(&candidate)
            || RESERVED_NAMES.contains(&candidate.as_str())
            || candidate.starts_with("__")
        {
            candidate = format!("{}_{n}", base.trim_start_matches('_'));
            n += 1;
        }
        self.names.insert(candidate.clone());
        candidate
    }
}

/// One opening line of a rule's nested conditions.
#[derive(Debug)]
enum Opener {
    /// `if COND {`
    Cond(String),
    /// `if let Some(NAME) = EXPR {` (or `if EXPR.is_some() {` when NAME is never read).
    Some {
        name: String,
        binding: usize,
        expr: String,
    },
    /// `{ let NAME = EXPR;` for values that are always present.
    Let {
        name: String,
        binding: usize,
        expr: String,
        owned: bool,
    },
}

#[derive(Default)]
struct Compiler {
    /// Whether each binding is read by generated code.
    used: Vec<bool>,
    temps: usize,
    /// The rules call `aws.partition`: the partition table is generated.
    uses_partitions: bool,
}

fn arity(at: &str, name: &str, argv: &[Value], n: usize) -> Result<(), EndpointError> {
    if argv.len() != n {
        return Err(invalid(
            at,
            format!("`{name}` takes {n} argument(s), found {}", argv.len()),
        ));
    }
    Ok(())
}

fn expect_ty(at: &str, func: &str, index: usize, v: &Val, ty: Ty) -> Result<(), EndpointError> {
    if v.ty != ty {
        return Err(invalid(
            at,
            format!(
                "argument {index} of `{func}` must be a {}, found a {}",
                ty.describe(),
                v.ty.describe()
            ),
        ));
    }
    Ok(())
}

impl Compiler {
    fn new_binding(&mut self) -> usize {
        self.used.push(false);
        self.used.len() - 1
    }

    // -- rules ----------------------------------------------------------------------------

    /// Compile a rule list. Returns the emitted rules and whether they can all fail.
    fn rules(
        &mut self,
        rules: &[Value],
        scope: &Scope,
        at: &str,
    ) -> Result<(Vec<RuleIr>, bool), EndpointError> {
        let mut out = Vec::new();
        let mut exhaustible = true;
        for (i, rule) in rules.iter().enumerate() {
            let rule_at = format!("{at}[{i}]");
            // Rules after an unconditional one can never be selected; they are still compiled so
            // that errors in them are reported, but not emitted (that would be unreachable code).
            let compiled = self.rule(rule, scope, &rule_at)?;
            if !exhaustible {
                continue;
            }
            if let Some((ir, conditional)) = compiled {
                out.push(ir);
                if !conditional {
                    exhaustible = false;
                }
            }
        }
        Ok((out, exhaustible))
    }

    /// Compile one rule. `None` when a condition is statically false. The flag tells whether the
    /// rule can fail to match.
    fn rule(
        &mut self,
        rule: &Value,
        scope: &Scope,
        at: &str,
    ) -> Result<Option<(RuleIr, bool)>, EndpointError> {
        let obj = rule
            .as_object()
            .ok_or_else(|| invalid(at, "a rule must be an object"))?;
        let mut scope = scope.clone();
        let mut ops = Vec::new();
        let mut dead = false;
        let conditions = match obj.get("conditions") {
            None => &Vec::new(),
            Some(Value::Array(c)) => c,
            Some(_) => return Err(invalid(at, "`conditions` must be an array")),
        };
        for (i, condition) in conditions.iter().enumerate() {
            let cond_at = format!("{at}.conditions[{i}]");
            if !self.condition(condition, &mut scope, &mut ops, &cond_at)? {
                dead = true;
            }
        }
        let kind = match obj.get("type").and_then(Value::as_str) {
            Some(kind) => kind,
            None if obj.contains_key("endpoint") => "endpoint",
            None if obj.contains_key("error") => "error",
            None if obj.contains_key("rules") => "tree",
            None => return Err(invalid(at, "rule without a `type`")),
        };
        let mut ir = RuleIr {
            open: Vec::new(),
            close: String::new(),
            endpoint: None,
            error: None,
            rules: Vec::new(),
            is_tree: false,
            exhaustible: false,
        };
        match kind {
            "endpoint" => {
                let endpoint = obj
                    .get("endpoint")
                    .ok_or_else(|| invalid(at, "endpoint rule without `endpoint`"))?;
                ir.endpoint = Some(self.endpoint(
                    endpoint,
                    &mut scope,
                    &mut ops,
                    &format!("{at}.endpoint"),
                )?);
            }
            "error" => {
                let error_at = format!("{at}.error");
                let message = obj
                    .get("error")
                    .ok_or_else(|| invalid(at, "error rule without `error`"))?;
                let v = self.expr(message, &mut scope, &mut ops, &error_at)?;
                let v = self.require(v, &mut scope, &mut ops);
                if v.ty != Ty::Str {
                    return Err(invalid(
                        &error_at,
                        format!(
                            "error message must be a string, found a {}",
                            v.ty.describe()
                        ),
                    ));
                }
                ir.error = Some(v.code.clone());
            }
            "tree" => {
                let rules = obj
                    .get("rules")
                    .and_then(Value::as_array)
                    .ok_or_else(|| invalid(at, "tree rule without a `rules` array"))?;
                if rules.is_empty() {
                    return Err(invalid(at, "tree rule with no sub-rules"));
                }
                let (rules, exhaustible) = self.rules(rules, &scope, &format!("{at}.rules"))?;
                ir.rules = rules;
                ir.is_tree = true;
                ir.exhaustible = exhaustible;
            }
            other => return Err(unsupported(at, format!("rule type `{other}`"))),
        }
        if dead {
            return Ok(None);
        }
        let (open, conditional) = self.finish_openers(ops);
        ir.close = "}".repeat(open.len());
        ir.open = open;
        Ok(Some((ir, conditional)))
    }

    /// Turn openers into source lines, now that every use of the bound names is known.
    fn finish_openers(&self, ops: Vec<Opener>) -> (Vec<String>, bool) {
        let mut lines = Vec::new();
        let mut conditional = false;
        let mut pending: Vec<String> = Vec::new();
        let flush = |pending: &mut Vec<String>, lines: &mut Vec<String>| {
            if !pending.is_empty() {
                lines.push(format!("if {} {{", pending.join(" && ")));
                pending.clear();
            }
        };
        for op in ops {
            match op {
                Opener::Cond(c) => {
                    conditional = true;
                    pending.push(c);
                }
                Opener::Some {
                    name,
                    binding,
                    expr,
                } => {
                    conditional = true;
                    if self.used[binding] {
                        flush(&mut pending, &mut lines);
                        lines.push(format!("if let Some({name}) = {expr} {{"));
                    } else {
                        pending.push(format!("{expr}.is_some()"));
                    }
                }
                Opener::Let {
                    name,
                    binding,
                    expr,
                    owned,
                } => {
                    flush(&mut pending, &mut lines);
                    let name = if self.used[binding] {
                        name
                    } else {
                        format!("_{name}")
                    };
                    if owned {
                        lines.push(format!(
                            "{{ let {name} = {expr}; let {name} = {name}.as_str();"
                        ));
                    } else {
                        lines.push(format!("{{ let {name} = {expr};"));
                    }
                }
            }
        }
        flush(&mut pending, &mut lines);
        (lines, conditional)
    }

    /// Compile a condition. Returns `false` when it can never match.
    fn condition(
        &mut self,
        condition: &Value,
        scope: &mut Scope,
        ops: &mut Vec<Opener>,
        at: &str,
    ) -> Result<bool, EndpointError> {
        let obj = condition
            .as_object()
            .ok_or_else(|| invalid(at, "a condition must be an object"))?;
        let func = obj
            .get("fn")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid(at, "a condition needs a `fn`"))?;
        let argv = obj
            .get("argv")
            .and_then(Value::as_array)
            .ok_or_else(|| invalid(at, "a condition needs an `argv` array"))?;
        let assign = match obj.get("assign") {
            None => None,
            Some(Value::String(name)) if is_identifier(name) => Some(name.as_str()),
            Some(other) => {
                return Err(invalid(
                    at,
                    format!("`assign` must be an identifier, found {other}"),
                ))
            }
        };

        // `isSet(ref)` as a condition narrows the reference for the rest of the rule.
        if func == "isSet" && assign.is_none() && argv.len() == 1 {
            if let Some(name) = reference_name(&argv[0]) {
                let var = scope.vars.get(name).cloned().ok_or_else(|| {
                    invalid(
                        at,
                        format!("reference to unknown parameter or variable `{name}`"),
                    )
                })?;
                if var.opt {
                    self.narrow(name, &var, scope, ops);
                }
                return Ok(true);
            }
        }

        let v = self.call(func, argv, scope, ops, at)?;
        if let Some(name) = assign {
            if scope.vars.contains_key(name) {
                return Err(invalid(
                    at,
                    format!("`assign` target `{name}` is already a parameter or variable in scope"),
                ));
            }
            if v.opt {
                let rust = scope.fresh(name);
                let binding = self.new_binding();
                ops.push(Opener::Some {
                    name: rust.clone(),
                    binding,
                    expr: v.code.clone(),
                });
                scope.vars.insert(
                    name.to_string(),
                    Var {
                        code: rust,
                        ty: v.ty,
                        opt: false,
                        binding,
                        konst: None,
                    },
                );
                return Ok(true);
            }
            if v.ty == Ty::Bool {
                // The condition matches only when the value is `true`, so the variable is `true`.
                let binding = self.new_binding();
                let matched = self.bool_condition(&v, ops);
                scope.vars.insert(
                    name.to_string(),
                    Var {
                        code: "true".into(),
                        ty: Ty::Bool,
                        opt: false,
                        binding,
                        konst: Some(true),
                    },
                );
                return Ok(matched);
            }
            let rust = scope.fresh(name);
            let binding = self.new_binding();
            ops.push(Opener::Let {
                name: rust.clone(),
                binding,
                expr: v.code.clone(),
                owned: v.owned,
            });
            scope.vars.insert(
                name.to_string(),
                Var {
                    code: rust,
                    ty: v.ty,
                    opt: false,
                    binding,
                    konst: None,
                },
            );
            return Ok(true);
        }
        if v.opt {
            if v.ty == Ty::Bool {
                ops.push(Opener::Cond(format!("{} == Some(true)", v.code)));
            } else {
                ops.push(Opener::Cond(format!("{}.is_some()", v.code)));
            }
            return Ok(true);
        }
        if v.ty == Ty::Bool {
            return Ok(self.bool_condition(&v, ops));
        }
        // Any other present value is truthy.
        Ok(true)
    }

    fn bool_condition(&mut self, v: &Val, ops: &mut Vec<Opener>) -> bool {
        match v.lit_bool {
            Some(b) => b,
            None => {
                ops.push(Opener::Cond(v.code.clone()));
                true
            }
        }
    }

    /// Unwrap the optional variable `name` for the rest of the rule (shadowing its Rust name).
    fn narrow(&mut self, name: &str, var: &Var, scope: &mut Scope, ops: &mut Vec<Opener>) -> Var {
        self.used[var.binding] = true;
        let binding = self.new_binding();
        ops.push(Opener::Some {
            name: var.code.clone(),
            binding,
            expr: var.code.clone(),
        });
        let narrowed = Var {
            opt: false,
            binding,
            ..var.clone()
        };
        scope.vars.insert(name.to_string(), narrowed.clone());
        narrowed
    }

    fn var_val(&mut self, name: &str, var: &Var) -> Val {
        self.used[var.binding] = true;
        if let Some(b) = var.konst {
            return Val::const_bool(b);
        }
        let mut v = Val::new(var.code.clone(), var.ty.clone());
        v.opt = var.opt;
        v.var = Some(name.to_string());
        v
    }

    /// Make an optional value non-optional: the rule does not match when it is unset.
    fn require(&mut self, v: Val, scope: &mut Scope, ops: &mut Vec<Opener>) -> Val {
        if !v.opt {
            return v;
        }
        if let Some(name) = v.var.clone() {
            if let Some(var) = scope.vars.get(&name).cloned() {
                if var.opt {
                    let narrowed = self.narrow(&name, &var, scope, ops);
                    return self.var_val(&name, &narrowed);
                }
            }
        }
        let tmp = format!("__t{}", self.temps);
        self.temps += 1;
        let binding = self.new_binding();
        self.used[binding] = true;
        ops.push(Opener::Some {
            name: tmp.clone(),
            binding,
            expr: v.code.clone(),
        });
        Val {
            code: tmp,
            opt: false,
            owned: false,
            var: None,
            prec: Prec::Atom,
            ..v
        }
    }

    // -- expressions ----------------------------------------------------------------------

    fn expr(
        &mut self,
        e: &Value,
        scope: &mut Scope,
        ops: &mut Vec<Opener>,
        at: &str,
    ) -> Result<Val, EndpointError> {
        match e {
            Value::String(s) => self.template(s, scope, ops, at),
            Value::Bool(b) => Ok(Val::const_bool(*b)),
            Value::Number(n) => match n.as_i64() {
                Some(i) => {
                    let mut v = Val::new(i.to_string(), Ty::Int);
                    v.lit_int = Some(i);
                    Ok(v)
                }
                None => Err(unsupported(at, format!("non-integer number literal `{n}`"))),
            },
            Value::Object(obj) => {
                if let Some(name) = obj.get("ref") {
                    let name = name
                        .as_str()
                        .ok_or_else(|| invalid(at, "`ref` must be a string"))?;
                    let var = scope.vars.get(name).cloned().ok_or_else(|| {
                        invalid(
                            at,
                            format!("reference to unknown parameter or variable `{name}`"),
                        )
                    })?;
                    Ok(self.var_val(name, &var))
                } else if let Some(func) = obj.get("fn") {
                    let func = func
                        .as_str()
                        .ok_or_else(|| invalid(at, "`fn` must be a string"))?;
                    let argv = obj.get("argv").and_then(Value::as_array).ok_or_else(|| {
                        invalid(at, format!("call of `{func}` without an `argv` array"))
                    })?;
                    self.call(func, argv, scope, ops, at)
                } else {
                    Err(unsupported(at, "object literal used as an expression"))
                }
            }
            Value::Array(_) => Err(unsupported(at, "array literal used as an expression")),
            Value::Null => Err(unsupported(at, "null literal used as an expression")),
        }
    }

    /// Compile a required argument of the given type.
    #[allow(clippy::too_many_arguments)]
    fn arg(
        &mut self,
        func: &str,
        argv: &[Value],
        index: usize,
        ty: Ty,
        scope: &mut Scope,
        ops: &mut Vec<Opener>,
        at: &str,
    ) -> Result<Val, EndpointError> {
        let v = self.expr(&argv[index], scope, ops, &format!("{at}.argv[{index}]"))?;
        let v = self.require(v, scope, ops);
        expect_ty(at, func, index, &v, ty)?;
        Ok(v)
    }

    fn call(
        &mut self,
        func: &str,
        argv: &[Value],
        scope: &mut Scope,
        ops: &mut Vec<Opener>,
        at: &str,
    ) -> Result<Val, EndpointError> {
        let at = &format!("{at} (`{func}`)");
        match func {
            "isSet" => {
                arity(at, func, argv, 1)?;
                let v = self.expr(&argv[0], scope, ops, &format!("{at}.argv[0]"))?;
                if !v.opt {
                    return Ok(Val::const_bool(true));
                }
                let code = v.operand();
                Ok(Val::boolean(
                    format!("{code}.is_some()"),
                    Prec::Atom,
                    Some(format!("{code}.is_none()")),
                ))
            }
            "not" => {
                arity(at, func, argv, 1)?;
                let v = self.arg(func, argv, 0, Ty::Bool, scope, ops, at)?;
                Ok(negate(&v))
            }
            "booleanEquals" => {
                arity(at, func, argv, 2)?;
                let a = self.arg(func, argv, 0, Ty::Bool, scope, ops, at)?;
                let b = self.arg(func, argv, 1, Ty::Bool, scope, ops, at)?;
                Ok(match (a.lit_bool, b.lit_bool) {
                    (Some(x), Some(y)) => Val::const_bool(x == y),
                    (Some(true), None) => b,
                    (Some(false), None) => negate(&b),
                    (None, Some(true)) => a,
                    (None, Some(false)) => negate(&a),
                    (None, None) => {
                        let (x, y) = (a.operand(), b.operand());
                        Val::boolean(
                            format!("{x} == {y}"),
                            Prec::Compare,
                            Some(format!("{x} != {y}")),
                        )
                    }
                })
            }
            "stringEquals" => {
                arity(at, func, argv, 2)?;
                let a = self.arg(func, argv, 0, Ty::Str, scope, ops, at)?;
                let b = self.arg(func, argv, 1, Ty::Str, scope, ops, at)?;
                if let (Some(x), Some(y)) = (&a.lit_str, &b.lit_str) {
                    return Ok(Val::const_bool(x == y));
                }
                let (x, y) = (a.str_ref(), b.str_ref());
                Ok(Val::boolean(
                    format!("{x} == {y}"),
                    Prec::Compare,
                    Some(format!("{x} != {y}")),
                ))
            }
            "getAttr" => {
                arity(at, func, argv, 2)?;
                let target = self.expr(&argv[0], scope, ops, &format!("{at}.argv[0]"))?;
                let target = self.require(target, scope, ops);
                let path = argv[1]
                    .as_str()
                    .ok_or_else(|| invalid(at, "the path of `getAttr` must be a string literal"))?;
                self.get_attr(target, path, at)
            }
            "parseURL" => {
                arity(at, func, argv, 1)?;
                let s = self.arg(func, argv, 0, Ty::Str, scope, ops, at)?;
                Ok(Val::new(format!("{LIB}::parse_url({})", s.str_ref()), Ty::Url).opt())
            }
            "substring" => {
                arity(at, func, argv, 4)?;
                let s = self.arg(func, argv, 0, Ty::Str, scope, ops, at)?;
                let start = self.arg(func, argv, 1, Ty::Int, scope, ops, at)?;
                let stop = self.arg(func, argv, 2, Ty::Int, scope, ops, at)?;
                let reverse = self.arg(func, argv, 3, Ty::Bool, scope, ops, at)?;
                let index = |v: &Val| -> Result<usize, EndpointError> {
                    v.lit_int
                        .and_then(|i| usize::try_from(i).ok())
                        .ok_or_else(|| {
                            invalid(
                                at,
                                "`substring` indexes must be non-negative integer literals",
                            )
                        })
                };
                let (start, stop) = (index(&start)?, index(&stop)?);
                Ok(Val::new(
                    format!(
                        "{LIB}::substring({}, {start}, {stop}, {})",
                        s.str_ref(),
                        reverse.code
                    ),
                    Ty::Str,
                )
                .opt())
            }
            "isValidHostLabel" => {
                arity(at, func, argv, 2)?;
                let s = self.arg(func, argv, 0, Ty::Str, scope, ops, at)?;
                let sub = self.arg(func, argv, 1, Ty::Bool, scope, ops, at)?;
                Ok(Val::boolean(
                    format!("{LIB}::is_valid_host_label({}, {})", s.str_ref(), sub.code),
                    Prec::Atom,
                    None,
                ))
            }
            "uriEncode" => {
                arity(at, func, argv, 1)?;
                let s = self.arg(func, argv, 0, Ty::Str, scope, ops, at)?;
                Ok(Val::new(format!("{LIB}::uri_encode({})", s.str_ref()), Ty::Str).owned())
            }
            "aws.partition" => {
                arity(at, func, argv, 1)?;
                let s = self.arg(func, argv, 0, Ty::Str, scope, ops, at)?;
                self.uses_partitions = true;
                Ok(Val::new(
                    format!("{LIB}::partition({}, &PARTITIONS)", s.str_ref()),
                    Ty::Partition,
                ))
            }
            "aws.parseArn" => {
                arity(at, func, argv, 1)?;
                let s = self.arg(func, argv, 0, Ty::Str, scope, ops, at)?;
                Ok(Val::new(format!("{LIB}::parse_arn({})", s.str_ref()), Ty::Arn).opt())
            }
            "aws.isVirtualHostableS3Bucket" => {
                arity(at, func, argv, 2)?;
                let s = self.arg(func, argv, 0, Ty::Str, scope, ops, at)?;
                let sub = self.arg(func, argv, 1, Ty::Bool, scope, ops, at)?;
                Ok(Val::boolean(
                    format!(
                        "{LIB}::is_virtual_hostable_s3_bucket({}, {})",
                        s.str_ref(),
                        sub.code
                    ),
                    Prec::Atom,
                    None,
                ))
            }
            "coalesce" => self.coalesce(argv, scope, ops, at),
            other => Err(unsupported(at, format!("function `{other}`"))),
        }
    }

    /// `coalesce(a, b, ...)`: the first present value (rules engine 1.1).
    fn coalesce(
        &mut self,
        argv: &[Value],
        scope: &mut Scope,
        ops: &mut Vec<Opener>,
        at: &str,
    ) -> Result<Val, EndpointError> {
        if argv.len() < 2 {
            return Err(invalid(at, "`coalesce` takes two or more arguments"));
        }
        let mut acc: Option<Val> = None;
        for (i, arg) in argv.iter().enumerate() {
            let v = self.expr(arg, scope, ops, &format!("{at}.argv[{i}]"))?;
            if v.owned || matches!(v.ty, Ty::Int) {
                return Err(unsupported(
                    &format!("{at}.argv[{i}]"),
                    "`coalesce` argument that is a computed string or an integer",
                ));
            }
            let Some(prev) = acc else {
                acc = Some(v);
                continue;
            };
            if prev.ty != v.ty {
                return Err(invalid(
                    at,
                    "`coalesce` arguments must all have the same type",
                ));
            }
            if !prev.opt {
                // Already present: later arguments are never used.
                acc = Some(prev);
                continue;
            }
            let simple = v.prec == Prec::Atom && !v.code.contains('(');
            let code = match (v.opt, simple) {
                (true, true) => format!("{}.or({})", prev.code, v.code),
                (true, false) => format!("{}.or_else(|| {})", prev.code, v.code),
                (false, true) => format!("{}.unwrap_or({})", prev.code, v.code),
                (false, false) => format!("{}.unwrap_or_else(|| {})", prev.code, v.code),
            };
            let mut next = Val::new(code, v.ty.clone());
            next.opt = v.opt;
            acc = Some(next);
        }
        Ok(acc.expect("at least two arguments"))
    }

    fn get_attr(&mut self, target: Val, path: &str, at: &str) -> Result<Val, EndpointError> {
        let mut cur = target;
        let mut parts = Vec::new();
        for part in path.split('.') {
            match part.find('[') {
                Some(open) => {
                    if open > 0 {
                        parts.push(PathPart::Key(part[..open].to_string()));
                    }
                    let rest = &part[open..];
                    let index = rest
                        .strip_prefix('[')
                        .and_then(|r| r.strip_suffix(']'))
                        .and_then(|i| i.parse::<usize>().ok())
                        .ok_or_else(|| invalid(at, format!("bad `getAttr` path `{path}`")))?;
                    parts.push(PathPart::Index(index));
                }
                None if part.is_empty() => {
                    return Err(invalid(at, format!("bad `getAttr` path `{path}`")))
                }
                None => parts.push(PathPart::Key(part.to_string())),
            }
        }
        for part in parts {
            if cur.opt {
                return Err(unsupported(
                    at,
                    format!("`getAttr` path `{path}` continuing after an index"),
                ));
            }
            let recv = cur.operand();
            cur = match (&cur.ty, part) {
                (Ty::StrArray, PathPart::Index(index)) => {
                    let recv = if cur.owned { format!("&{recv}") } else { recv };
                    Val::new(format!("{LIB}::array_item({recv}, {index})"), Ty::Str).opt()
                }
                (ty, PathPart::Key(key)) => {
                    let (accessor, out) = attribute(ty, &key).ok_or_else(|| {
                        invalid(
                            at,
                            format!(
                                "`getAttr`: a {} has no attribute `{key}` (path `{path}`)",
                                ty.describe()
                            ),
                        )
                    })?;
                    let code = format!("{recv}.{accessor}");
                    if out == Ty::Bool {
                        Val::boolean(code, Prec::Atom, None)
                    } else {
                        Val::new(code, out)
                    }
                }
                (ty, PathPart::Index(_)) => {
                    return Err(invalid(
                        at,
                        format!(
                            "`getAttr`: cannot index a {} (path `{path}`)",
                            ty.describe()
                        ),
                    ))
                }
            };
        }
        Ok(cur)
    }

    /// Compile a string literal, which may be a template such as `https://{Region}.{P#dnsSuffix}`.
    fn template(
        &mut self,
        s: &str,
        scope: &mut Scope,
        ops: &mut Vec<Opener>,
        at: &str,
    ) -> Result<Val, EndpointError> {
        let parts = parse_template(s).map_err(|m| invalid(at, format!("template `{s}`: {m}")))?;
        let mut fmt = String::new();
        let mut args = Vec::new();
        let mut vals = Vec::new();
        let mut has_literal = false;
        for part in &parts {
            match part {
                TemplatePart::Lit(text) => {
                    has_literal = true;
                    fmt.push_str(&text.replace('{', "{{").replace('}', "}}"));
                }
                TemplatePart::Var(name, path) => {
                    let var = scope.vars.get(name).cloned().ok_or_else(|| {
                        invalid(
                            at,
                            format!(
                                "template `{s}` references unknown parameter or variable `{name}`"
                            ),
                        )
                    })?;
                    let v = self.var_val(name, &var);
                    let v = self.require(v, scope, ops);
                    let v = match path {
                        Some(path) => {
                            let v = self.get_attr(v, path, at)?;
                            self.require(v, scope, ops)
                        }
                        None => v,
                    };
                    if v.ty != Ty::Str {
                        return Err(invalid(
                            at,
                            format!(
                                "template `{s}`: placeholder `{name}` is a {}, not a string",
                                v.ty.describe()
                            ),
                        ));
                    }
                    if is_identifier(&v.code) {
                        let _ = write!(fmt, "{{{}}}", v.code);
                    } else {
                        fmt.push_str("{}");
                        args.push(v.code.clone());
                    }
                    vals.push(v);
                }
            }
        }
        if vals.is_empty() {
            let text: String = parts
                .iter()
                .map(|p| match p {
                    TemplatePart::Lit(t) => t.as_str(),
                    TemplatePart::Var(..) => "",
                })
                .collect();
            return Ok(Val::const_str(&text));
        }
        if vals.len() == 1 && !has_literal {
            return Ok(vals.pop().expect("one value"));
        }
        let mut code = format!("format!({}", rust_str(&fmt));
        for arg in args {
            let _ = write!(code, ", {arg}");
        }
        code.push(')');
        Ok(Val::new(code, Ty::Str).owned())
    }

    // -- endpoint bodies ------------------------------------------------------------------

    fn endpoint(
        &mut self,
        endpoint: &Value,
        scope: &mut Scope,
        ops: &mut Vec<Opener>,
        at: &str,
    ) -> Result<String, EndpointError> {
        let obj = endpoint
            .as_object()
            .ok_or_else(|| invalid(at, "`endpoint` must be an object"))?;
        let url_at = format!("{at}.url");
        let url = obj
            .get("url")
            .ok_or_else(|| invalid(at, "endpoint without `url`"))?;
        let url = self.expr(url, scope, ops, &url_at)?;
        let url = self.require(url, scope, ops);
        if url.ty != Ty::Str {
            return Err(invalid(
                &url_at,
                format!("the URL must be a string, found a {}", url.ty.describe()),
            ));
        }
        // A computed URL can be empty (an empty `Endpoint` parameter), which
        // `Endpoint`'s builder would assert on: the runtime helper makes it an error.
        let mut code = match &url.lit_str {
            Some(literal) if literal.is_empty() => {
                return Err(invalid(&url_at, "the URL is empty"));
            }
            Some(_) => format!("Endpoint::builder().url({})", url.code),
            None => format!(
                "::chime_caps_runtime::endpoint_lib::endpoint_with_url({})?",
                url.str_cow()
            ),
        };
        match obj.get("headers") {
            None | Some(Value::Null) => {}
            Some(Value::Object(headers)) => {
                for (name, values) in headers {
                    let header_at = format!("{at}.headers.{name}");
                    let values = values
                        .as_array()
                        .ok_or_else(|| invalid(&header_at, "header values must be an array"))?;
                    for (i, value) in values.iter().enumerate() {
                        let value_at = format!("{header_at}[{i}]");
                        let v = self.expr(value, scope, ops, &value_at)?;
                        let v = self.require(v, scope, ops);
                        if v.ty != Ty::Str {
                            return Err(invalid(&value_at, "header values must be strings"));
                        }
                        let _ = write!(code, ".header({}, {})", rust_str(name), v.str_cow());
                    }
                }
            }
            Some(_) => return Err(invalid(at, "`headers` must be an object")),
        }
        match obj.get("properties") {
            None | Some(Value::Null) => {}
            Some(Value::Object(props)) => {
                for (key, value) in props {
                    let doc =
                        self.property(value, scope, ops, &format!("{at}.properties.{key}"))?;
                    let _ = write!(code, ".property({}, {doc})", rust_str(key));
                }
            }
            Some(_) => return Err(invalid(at, "`properties` must be an object")),
        }
        code.push_str(".build()");
        Ok(code)
    }

    /// An endpoint property value as a `Document` expression.
    fn property(
        &mut self,
        value: &Value,
        scope: &mut Scope,
        ops: &mut Vec<Opener>,
        at: &str,
    ) -> Result<String, EndpointError> {
        Ok(match value {
            Value::Null => format!("{DOC}::Null"),
            Value::Bool(b) => format!("{DOC}::Bool({b})"),
            Value::Number(n) => number_document(n, at)?,
            Value::Array(items) => {
                let mut docs = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    docs.push(self.property(item, scope, ops, &format!("{at}[{i}]"))?);
                }
                format!("{DOC}::Array(vec![{}])", docs.join(", "))
            }
            Value::Object(obj) if obj.contains_key("ref") || obj.contains_key("fn") => {
                let v = self.expr(value, scope, ops, at)?;
                let v = self.require(v, scope, ops);
                match v.ty {
                    Ty::Str => format!("{DOC}::String({})", v.str_owned()),
                    Ty::Bool => format!("{DOC}::Bool({})", v.code),
                    Ty::StrArray => {
                        let recv = if v.owned {
                            format!("&{}", v.code)
                        } else {
                            v.code.clone()
                        };
                        format!(
                            "{DOC}::Array({recv}.iter().map(|s| {DOC}::String(::std::string::ToString::to_string(s))).collect())"
                        )
                    }
                    other => {
                        return Err(unsupported(
                            at,
                            format!("a {} as an endpoint property value", other.describe()),
                        ))
                    }
                }
            }
            Value::Object(obj) => {
                let mut entries = Vec::new();
                for (key, v) in obj {
                    let doc = self.property(v, scope, ops, &format!("{at}.{key}"))?;
                    entries.push(format!("({}.to_string(), {doc})", rust_str(key)));
                }
                object_document(&entries)
            }
            Value::String(s) => {
                let v = self.template(s, scope, ops, at)?;
                format!("{DOC}::String({})", v.str_owned())
            }
        })
    }
}

enum PathPart {
    Key(String),
    Index(usize),
}

/// How an attribute of a structured value of the runtime's `endpoint_lib` is read (a field of
/// the plain-data `Partition`, a getter of `Url` and `Arn`), and its type.
fn attribute(ty: &Ty, key: &str) -> Option<(&'static str, Ty)> {
    Some(match (ty, key) {
        (Ty::Partition, "name") => ("name", Ty::Str),
        (Ty::Partition, "dnsSuffix") => ("dns_suffix", Ty::Str),
        (Ty::Partition, "dualStackDnsSuffix") => ("dual_stack_dns_suffix", Ty::Str),
        (Ty::Partition, "implicitGlobalRegion") => ("implicit_global_region", Ty::Str),
        (Ty::Partition, "supportsFIPS") => ("supports_fips", Ty::Bool),
        (Ty::Partition, "supportsDualStack") => ("supports_dual_stack", Ty::Bool),
        (Ty::Url, "scheme") => ("scheme()", Ty::Str),
        (Ty::Url, "authority") => ("authority()", Ty::Str),
        (Ty::Url, "path") => ("path()", Ty::Str),
        (Ty::Url, "normalizedPath") => ("normalized_path()", Ty::Str),
        (Ty::Url, "isIp") => ("is_ip()", Ty::Bool),
        (Ty::Arn, "partition") => ("partition()", Ty::Str),
        (Ty::Arn, "service") => ("service()", Ty::Str),
        (Ty::Arn, "region") => ("region()", Ty::Str),
        (Ty::Arn, "accountId") => ("account_id()", Ty::Str),
        (Ty::Arn, "resourceId") => ("resource_id()", Ty::StrArray),
        _ => return None,
    })
}

fn reference_name(v: &Value) -> Option<&str> {
    let obj = v.as_object()?;
    if obj.len() != 1 {
        return None;
    }
    obj.get("ref")?.as_str()
}

#[derive(Debug, PartialEq)]
enum TemplatePart {
    Lit(String),
    Var(String, Option<String>),
}

/// Split a template string into literal text and `{Name}` / `{Name#path}` placeholders.
/// `{{` and `}}` stand for literal braces.
fn parse_template(s: &str) -> Result<Vec<TemplatePart>, String> {
    let mut parts = Vec::new();
    let mut lit = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                lit.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                lit.push('}');
            }
            '{' => {
                let mut inner = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => inner.push(c),
                        None => return Err("unterminated `{`".into()),
                    }
                }
                let (name, path) = match inner.split_once('#') {
                    Some((name, path)) => (name, Some(path.to_string())),
                    None => (inner.as_str(), None),
                };
                if !is_identifier(name) || path.as_deref() == Some("") {
                    return Err(format!("bad placeholder `{{{inner}}}`"));
                }
                if !lit.is_empty() {
                    parts.push(TemplatePart::Lit(std::mem::take(&mut lit)));
                }
                parts.push(TemplatePart::Var(name.to_string(), path));
            }
            '}' => return Err("unmatched `}`".into()),
            c => lit.push(c),
        }
    }
    if !lit.is_empty() {
        parts.push(TemplatePart::Lit(lit));
    }
    Ok(parts)
}

fn number_document(n: &serde_json::Number, at: &str) -> Result<String, EndpointError> {
    let inner = if let Some(u) = n.as_u64() {
        format!("{NUMBER}::PosInt({u})")
    } else if let Some(i) = n.as_i64() {
        format!("{NUMBER}::NegInt({i})")
    } else if let Some(f) = n.as_f64().filter(|f| f.is_finite()) {
        format!("{NUMBER}::Float({f:?})")
    } else {
        return Err(unsupported(at, format!("number `{n}`")));
    };
    Ok(format!("{DOC}::Number({inner})"))
}

fn object_document(entries: &[String]) -> String {
    if entries.is_empty() {
        format!("{DOC}::Object(::std::collections::HashMap::new())")
    } else {
        format!(
            "{DOC}::Object(::std::collections::HashMap::from([{}]))",
            entries.join(", ")
        )
    }
}

/// A JSON value (from a test expectation) as a literal `Document` expression.
fn literal_document(value: &Value, at: &str) -> Result<String, EndpointError> {
    Ok(match value {
        Value::Null => format!("{DOC}::Null"),
        Value::Bool(b) => format!("{DOC}::Bool({b})"),
        Value::Number(n) => number_document(n, at)?,
        Value::String(s) => format!("{DOC}::String({}.to_string())", rust_str(s)),
        Value::Array(items) => {
            let docs: Result<Vec<_>, _> = items.iter().map(|i| literal_document(i, at)).collect();
            format!("{DOC}::Array(vec![{}])", docs?.join(", "))
        }
        Value::Object(obj) => {
            let mut entries = Vec::new();
            for (k, v) in obj {
                entries.push(format!(
                    "({}.to_string(), {})",
                    rust_str(k),
                    literal_document(v, at)?
                ));
            }
            object_document(&entries)
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Test cases
// ---------------------------------------------------------------------------------------------

fn build_tests(tests: &Value, params: &[Param]) -> Result<Vec<TestIr>, EndpointError> {
    let cases = match tests.get("testCases") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(cases)) => cases,
        Some(_) => return Err(invalid(TESTS_TRAIT, "`testCases` must be an array")),
    };
    let mut out = Vec::new();
    for (index, case) in cases.iter().enumerate() {
        let fail = |message: String| EndpointError::TestCase { index, message };
        let case = case
            .as_object()
            .ok_or_else(|| fail("a test case must be an object".into()))?;
        let given = match case.get("params") {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(p)) => p.clone(),
            Some(_) => return Err(fail("`params` must be an object".into())),
        };
        let mut builder = String::new();
        for (name, value) in &given {
            let param = params
                .iter()
                .find(|p| &p.name == name)
                .ok_or_else(|| fail(format!("unknown parameter `{name}`")))?;
            let arg = match (&param.ty, value) {
                (Ty::Str, Value::String(s)) => rust_str(s),
                (Ty::Bool, Value::Bool(b)) => b.to_string(),
                (Ty::StrArray, Value::Array(items)) => {
                    let items: Option<Vec<String>> = items
                        .iter()
                        .map(|i| i.as_str().map(|s| format!("{}.to_string()", rust_str(s))))
                        .collect();
                    let items = items.ok_or_else(|| {
                        fail(format!("parameter `{name}` must be an array of strings"))
                    })?;
                    format!("vec![{}]", items.join(", "))
                }
                (Ty::Str | Ty::Bool | Ty::StrArray, Value::Null) => continue,
                _ => {
                    return Err(fail(format!(
                        "value {value} does not fit parameter `{name}`"
                    )))
                }
            };
            let _ = write!(builder, ".{}({arg})", param.ir.rust_name);
        }
        let missing_required = params
            .iter()
            .any(|p| p.ir.required && p.ir.default.is_none() && !given.contains_key(&p.name));
        let expect = case
            .get("expect")
            .and_then(Value::as_object)
            .ok_or_else(|| fail("test case without an `expect` object".into()))?;
        let (expect_endpoint, expect_error) = match (expect.get("endpoint"), expect.get("error")) {
            (Some(endpoint), None) => {
                let at = format!("{TESTS_TRAIT} testCases[{index}].expect.endpoint");
                (Some(expected_endpoint(endpoint, &at)?), None)
            }
            (None, Some(Value::String(message))) => (None, Some(rust_str(message))),
            _ => {
                return Err(fail(
                    "`expect` must hold exactly one of `endpoint` or `error` (a string)".into(),
                ))
            }
        };
        if missing_required && expect_error.is_none() {
            return Err(fail(
                "a required parameter is missing but an endpoint is expected".into(),
            ));
        }
        let doc = case
            .get("documentation")
            .and_then(Value::as_str)
            .map(one_line)
            .filter(|d| !d.is_empty());
        out.push(TestIr {
            name: format!("case_{index}"),
            doc,
            builder,
            build_fails: missing_required,
            expect_endpoint,
            expect_error,
        });
    }
    Ok(out)
}

fn expected_endpoint(endpoint: &Value, at: &str) -> Result<String, EndpointError> {
    let obj = endpoint
        .as_object()
        .ok_or_else(|| invalid(at, "must be an object"))?;
    let url = obj
        .get("url")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid(at, "expected endpoint without a `url` string"))?;
    let mut code = format!("Endpoint::builder().url({})", rust_str(url));
    if let Some(headers) = obj.get("headers").and_then(Value::as_object) {
        for (name, values) in headers {
            let values = values
                .as_array()
                .ok_or_else(|| invalid(at, "header values must be an array"))?;
            for value in values {
                let value = value
                    .as_str()
                    .ok_or_else(|| invalid(at, "header values must be strings"))?;
                let _ = write!(code, ".header({}, {})", rust_str(name), rust_str(value));
            }
        }
    }
    if let Some(props) = obj.get("properties").and_then(Value::as_object) {
        for (key, value) in props {
            let _ = write!(
                code,
                ".property({}, {})",
                rust_str(key),
                literal_document(value, at)?
            );
        }
    }
    code.push_str(".build()");
    Ok(code)
}

// ---------------------------------------------------------------------------------------------
// Partition table and region regexes
// ---------------------------------------------------------------------------------------------

fn partition_table(json: &str) -> Result<PartitionTableIr, EndpointError> {
    let bad = |m: String| EndpointError::Partitions(m);
    let root: Value = serde_json::from_str(json).map_err(|e| bad(format!("not JSON: {e}")))?;
    let partitions = root
        .get("partitions")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("missing `partitions` array".into()))?;
    let mut entries = Vec::new();
    let mut statics = Vec::new();
    let mut fallback = None;
    for p in partitions {
        let id = p
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("a partition without an `id`".into()))?;
        let regex = p
            .get("regionRegex")
            .and_then(Value::as_str)
            .ok_or_else(|| bad(format!("partition `{id}` has no `regionRegex`")))?;
        let region_pattern =
            compile_region_regex(regex).map_err(|m| bad(format!("partition `{id}`: {m}")))?;
        let outputs = p
            .get("outputs")
            .and_then(Value::as_object)
            .ok_or_else(|| bad(format!("partition `{id}` has no `outputs`")))?;
        let base_ident = id
            .to_uppercase()
            .replace(|c: char| !c.is_ascii_alphanumeric(), "_");
        let base_ident = format!("PARTITION_{base_ident}");
        if id == "aws" {
            fallback = Some(base_ident.clone());
        }
        let base = partition_outputs(&base_ident, outputs, None)
            .map_err(|m| bad(format!("partition `{id}`: {m}")))?;
        let mut regions = Vec::new();
        match p.get("regions") {
            None | Some(Value::Null) => {}
            Some(Value::Array(names)) => {
                for name in names {
                    let name = name.as_str().ok_or_else(|| {
                        bad(format!("partition `{id}`: region names must be strings"))
                    })?;
                    regions.push(PartitionRegionIr {
                        name: rust_str(name),
                        outputs: base_ident.clone(),
                    });
                }
            }
            Some(Value::Object(map)) => {
                for (name, overrides) in map {
                    let overrides = overrides.as_object();
                    let overridden = overrides.is_some_and(|o| {
                        [
                            "name",
                            "dnsSuffix",
                            "dualStackDnsSuffix",
                            "supportsFIPS",
                            "supportsDualStack",
                            "implicitGlobalRegion",
                        ]
                        .iter()
                        .any(|k| o.contains_key(*k))
                    });
                    let ident = if overridden {
                        let ident = format!("{base_ident}_{}", statics.len());
                        let merged = partition_outputs(&ident, outputs, overrides)
                            .map_err(|m| bad(format!("partition `{id}`, region `{name}`: {m}")))?;
                        statics.push(merged);
                        ident
                    } else {
                        base_ident.clone()
                    };
                    regions.push(PartitionRegionIr {
                        name: rust_str(name),
                        outputs: ident,
                    });
                }
            }
            Some(_) => {
                return Err(bad(format!(
                    "partition `{id}`: `regions` must be an array or object"
                )))
            }
        }
        statics.push(base);
        entries.push(PartitionEntryIr {
            regions,
            region_pattern,
            outputs: base_ident,
        });
    }
    let fallback = fallback.ok_or_else(|| {
        bad("no `aws` partition (the partition of regions no other partition claims)".into())
    })?;
    Ok(PartitionTableIr {
        outputs: statics,
        entries,
        fallback,
    })
}

fn partition_outputs(
    ident: &str,
    base: &Map<String, Value>,
    overrides: Option<&Map<String, Value>>,
) -> Result<PartitionOutputsIr, String> {
    let get = |key: &str| overrides.and_then(|o| o.get(key)).or_else(|| base.get(key));
    let string = |key: &str| {
        get(key)
            .and_then(Value::as_str)
            .map(rust_str)
            .ok_or_else(|| format!("`{key}` must be a string"))
    };
    let boolean = |key: &str| {
        get(key)
            .and_then(Value::as_bool)
            .ok_or_else(|| format!("`{key}` must be a boolean"))
    };
    Ok(PartitionOutputsIr {
        ident: ident.to_string(),
        name: string("name")?,
        dns_suffix: string("dnsSuffix")?,
        dual_stack_dns_suffix: string("dualStackDnsSuffix")?,
        supports_fips: boolean("supportsFIPS")?,
        supports_dual_stack: boolean("supportsDualStack")?,
        implicit_global_region: string("implicitGlobalRegion")?,
    })
}

/// Compile an anchored region regex into a `RegionPattern` expression (the data form the
/// runtime matches regions with: no regex engine at run time).
fn compile_region_regex(pattern: &str) -> Result<String, String> {
    use regex_syntax::hir::{HirKind, Look};
    let hir = regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
        .map_err(|e| format!("bad region regex `{pattern}`: {e}"))?;
    let items: Vec<&regex_syntax::hir::Hir> = match hir.kind() {
        HirKind::Concat(items) => items.iter().collect(),
        _ => vec![&hir],
    };
    let anchored_start = matches!(
        items.first().map(|h| h.kind()),
        Some(HirKind::Look(Look::Start))
    );
    let anchored_end = matches!(
        items.last().map(|h| h.kind()),
        Some(HirKind::Look(Look::End))
    );
    if !anchored_start || !anchored_end || items.len() < 2 {
        return Err(format!(
            "region regex `{pattern}` must be anchored with `^` and `$`"
        ));
    }
    let inner: Result<Vec<String>, String> = items[1..items.len() - 1]
        .iter()
        .map(|h| region_pattern(h, pattern))
        .collect();
    Ok(format!("RegionPattern::Sequence(&[{}])", inner?.join(", ")))
}

fn region_pattern(hir: &regex_syntax::hir::Hir, pattern: &str) -> Result<String, String> {
    use regex_syntax::hir::{Class, HirKind};
    let list = |items: &[regex_syntax::hir::Hir]| -> Result<String, String> {
        let items: Result<Vec<_>, _> = items.iter().map(|h| region_pattern(h, pattern)).collect();
        Ok(items?.join(", "))
    };
    Ok(match hir.kind() {
        HirKind::Empty => "RegionPattern::Sequence(&[])".to_string(),
        HirKind::Literal(lit) => {
            let text = std::str::from_utf8(&lit.0)
                .ok()
                .filter(|text| text.is_ascii())
                .ok_or_else(|| format!("non-ASCII literal in region regex `{pattern}`"))?;
            format!("RegionPattern::Literal({})", rust_str(text))
        }
        HirKind::Class(Class::Bytes(class)) => {
            let ranges: Vec<String> = class
                .ranges()
                .iter()
                .map(|r| format!("({}, {})", r.start(), r.end()))
                .collect();
            format!("RegionPattern::Class(&[{}])", ranges.join(", "))
        }
        HirKind::Class(Class::Unicode(class)) => {
            let mut ranges = Vec::new();
            for r in class.ranges() {
                let (Ok(start), Ok(end)) = (u8::try_from(r.start()), u8::try_from(r.end())) else {
                    return Err(format!("non-ASCII class in region regex `{pattern}`"));
                };
                ranges.push(format!("({start}, {end})"));
            }
            format!("RegionPattern::Class(&[{}])", ranges.join(", "))
        }
        HirKind::Repetition(rep) => {
            let max = match rep.max {
                Some(m) => format!("Some({m})"),
                None => "None".to_string(),
            };
            format!(
                "RegionPattern::Repeat {{ item: &{}, min: {}, max: {max} }}",
                region_pattern(&rep.sub, pattern)?,
                rep.min
            )
        }
        HirKind::Capture(cap) => region_pattern(&cap.sub, pattern)?,
        HirKind::Concat(items) => format!("RegionPattern::Sequence(&[{}])", list(items)?),
        HirKind::Alternation(items) => format!("RegionPattern::Alternation(&[{}])", list(items)?),
        HirKind::Look(_) => {
            return Err(format!(
                "look-around/anchor inside region regex `{pattern}`"
            ))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_split_into_parts() {
        assert_eq!(
            parse_template("https://{Region}.{P#dnsSuffix}{{x}}").unwrap(),
            vec![
                TemplatePart::Lit("https://".into()),
                TemplatePart::Var("Region".into(), None),
                TemplatePart::Lit(".".into()),
                TemplatePart::Var("P".into(), Some("dnsSuffix".into())),
                TemplatePart::Lit("{x}".into()),
            ]
        );
        assert!(parse_template("{Region").is_err());
        assert!(parse_template("a}b").is_err());
    }

    #[test]
    fn region_regex_compiles_to_tree() {
        let code = compile_region_regex(r"^us\-gov\-\w+\-\d+$").unwrap();
        assert!(code.starts_with("RegionPattern::Sequence(&["), "{code}");
        assert!(compile_region_regex(r"us\-\w+").is_err());
    }
}
