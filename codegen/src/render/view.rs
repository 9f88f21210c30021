//! IR → template contexts: how each IR value is spelled in Rust (types, accessors,
//! setters, codec and binding statements). The IR says *what*; this module says
//! *how it reads in Rust*; the templates only place the results in files.

use serde::Serialize;

use crate::ir::{
    Auth, Binding, Body, Checks, ContextParam, ContextValue, Crate, DefaultValue, Deprecated, Enum,
    ErrorRef, HostSegment, IntEnum, Member, Operation, PathSegment, PayloadKind, Role, Service,
    Structure, TimestampFormat, Type, Union,
};
use crate::naming::bare;

/// The redaction text of `@sensitive` values, as the official SDK prints it.
const REDACTED: &str = "\"*** Sensitive Data Redacted ***\"";

/// The Rust type a member's value is stored as: `Box<T>` for a boxed member.
fn value_type(ty: &Type, boxed: bool) -> String {
    let ty = rust_type(ty);
    if boxed {
        format!("::std::boxed::Box<{ty}>")
    } else {
        ty
    }
}

/// The Rust type of `ty`.
pub fn rust_type(ty: &Type) -> String {
    match ty {
        Type::String => "::std::string::String".into(),
        Type::Bool => "bool".into(),
        Type::Byte => "i8".into(),
        Type::Short => "i16".into(),
        Type::Integer | Type::IntEnum(_) => "i32".into(),
        Type::Long => "i64".into(),
        Type::Float => "f32".into(),
        Type::Double => "f64".into(),
        Type::BigInteger => "::aws_smithy_types::BigInteger".into(),
        Type::BigDecimal => "::aws_smithy_types::BigDecimal".into(),
        Type::Blob => "::aws_smithy_types::Blob".into(),
        Type::ByteStream => "::aws_smithy_types::byte_stream::ByteStream".into(),
        Type::Timestamp(_) => "::aws_smithy_types::DateTime".into(),
        Type::Document => "::aws_smithy_types::Document".into(),
        Type::Enum(name) | Type::Union(name) => format!("crate::types::{name}"),
        Type::Structure { name, error: false } => format!("crate::types::{name}"),
        Type::Structure { name, error: true } => format!("crate::types::error::{name}"),
        Type::List(item) => format!("::std::vec::Vec<{}>", rust_type(item)),
        Type::SparseList(item) => format!(
            "::std::vec::Vec<::std::option::Option<{}>>",
            rust_type(item)
        ),
        Type::Map(key, value) => format!(
            "::std::collections::HashMap<{}, {}>",
            rust_type(key),
            rust_type(value)
        ),
        Type::SparseMap(key, value) => format!(
            "::std::collections::HashMap<{}, ::std::option::Option<{}>>",
            rust_type(key),
            rust_type(value)
        ),
    }
}

/// The text of `#[deprecated(note = "...")]`, escaped: the note is the model's free text
/// and must stay inside its string literal.
fn deprecation_note(deprecated: &Option<Deprecated>) -> Option<String> {
    deprecated
        .as_ref()
        .map(|d| d.note.escape_debug().to_string())
}

/// A number or a `bool`: a Rust primitive, `Copy`.
fn is_number_or_bool(ty: &Type) -> bool {
    *ty == Type::Bool || ty.is_primitive_number()
}

/// The timestamp format a JSON member is written in, when it is not the default
/// (epoch seconds).
fn json_format(ty: &Type) -> Option<TimestampFormat> {
    match ty {
        Type::Timestamp(Some(f)) if *f != TimestampFormat::EpochSeconds => Some(*f),
        Type::List(item) | Type::SparseList(item) => json_format(item),
        Type::Map(_, value) | Type::SparseMap(_, value) => json_format(value),
        _ => None,
    }
}

fn format_path(f: TimestampFormat) -> &'static str {
    match f {
        TimestampFormat::DateTime => "::aws_smithy_types::date_time::Format::DateTime",
        TimestampFormat::HttpDate => "::aws_smithy_types::date_time::Format::HttpDate",
        TimestampFormat::EpochSeconds => "::aws_smithy_types::date_time::Format::EpochSeconds",
    }
}

/// The format of a timestamp bound to an HTTP header (`http-date` by default) or a
/// label or query string (`date-time` by default).
fn http_format(ty: &Type, header: bool) -> &'static str {
    let own = match ty {
        Type::Timestamp(f) => *f,
        Type::List(item) => match &**item {
            Type::Timestamp(f) => *f,
            _ => None,
        },
        _ => None,
    };
    format_path(own.unwrap_or(if header {
        TimestampFormat::HttpDate
    } else {
        TimestampFormat::DateTime
    }))
}

fn default_expr(value: &DefaultValue, ty: &Type) -> String {
    match value {
        DefaultValue::Bool(b) => b.to_string(),
        DefaultValue::Integer(n) => format!("{n}"),
        DefaultValue::Float(f) => format!("{f:?}_{}", rust_type(ty)),
        DefaultValue::BigNumber(text) => format!(
            "<{} as ::std::str::FromStr>::from_str({text:?}).expect(\"the model's default is a number\")",
            rust_type(ty)
        ),
        DefaultValue::String(s) => format!("::std::string::String::from({s:?})"),
        DefaultValue::EnumValue(v) => format!("{}::from({v:?})", rust_type(ty)),
        DefaultValue::EmptyList => "::std::vec::Vec::new()".into(),
        DefaultValue::EmptyStream => "::std::default::Default::default()".into(),
        DefaultValue::EmptyMap => "::std::collections::HashMap::new()".into(),
        DefaultValue::EmptyBlob => "::aws_smithy_types::Blob::new(::std::vec::Vec::new())".into(),
        DefaultValue::EpochSeconds(secs) => {
            format!("::aws_smithy_types::DateTime::from_secs_f64({secs:?})")
        }
        DefaultValue::Document(json) => format!(
            "::chime_caps_runtime::json::from_slice::<::aws_smithy_types::Document>({json:?}.as_bytes()).ok().flatten().unwrap_or(::aws_smithy_types::Document::Null)"
        ),
    }
}

/// A value the official SDK puts in a required member the service left out ("error
/// correction"): empty, zero or unknown, so a response still reads.
fn corrected_expr(ty: &Type) -> String {
    match ty {
        Type::String => "::std::string::String::new()".into(),
        Type::Bool => "false".into(),
        Type::Float | Type::Double => "0.0".into(),
        t if is_number_or_bool(t) => "0".into(),
        Type::Enum(_) => format!("{}::from(\"\")", rust_type(ty)),
        Type::Timestamp(_) => "::aws_smithy_types::DateTime::from_secs(0)".into(),
        Type::Blob => "::aws_smithy_types::Blob::new(::std::vec::Vec::new())".into(),
        Type::Document => "::aws_smithy_types::Document::Null".into(),
        _ => "::std::default::Default::default()".into(),
    }
}

/// A member as the templates lay it out.
#[derive(Debug, Clone, Serialize)]
pub struct MemberView {
    pub name: String,
    /// The field, possibly `r#type`.
    pub field: String,
    /// The field without `r#`, for `set_`/`get_` names.
    pub bare: String,
    pub docs: Vec<String>,
    pub deprecated: Option<String>,
    /// The field's type (with `Option` when optional).
    pub ty: String,
    /// The builder's field type (always an `Option`).
    pub builder_ty: String,
    /// The value type.
    pub value_ty: String,
    pub accessor_ty: String,
    pub accessor_expr: String,
    /// `Vec` accessors return an empty slice for an unset field; the docs say so.
    pub accessor_note: bool,
    /// The setter: its argument type and how `input` becomes the value.
    pub setter: Setter,
    /// `Debug` output of the field.
    pub debug: String,
    /// How `build()` turns the builder field into the struct field.
    pub build_expr: String,
    /// A correction for an absent required member when reading a response.
    pub correction: Option<String>,
}

/// How a builder sets a member.
#[derive(Debug, Clone, Serialize)]
pub struct Setter {
    /// Appends one item (lists) or inserts one entry (maps): the item argument type.
    pub item: Option<String>,
    /// For maps: the key argument type.
    pub key: Option<String>,
    /// The argument of a plain setter.
    pub arg: String,
    /// `input` converted into the stored value.
    pub conv: String,
}

fn member_view(owner: &str, m: &Member) -> MemberView {
    let value_ty = value_type(&m.ty, m.boxed);
    let field = m.field.clone();
    let ty = if m.optional {
        format!("::std::option::Option<{value_ty}>")
    } else {
        value_ty.clone()
    };
    let (accessor_ty, accessor_expr, accessor_note) = match (&m.ty, m.optional) {
        (Type::String, true) => (
            "::std::option::Option<&str>".to_owned(),
            format!("self.{field}.as_deref()"),
            false,
        ),
        (Type::String, false) => (
            "&str".into(),
            format!("use std::ops::Deref; self.{field}.deref()"),
            false,
        ),
        (Type::List(item) | Type::SparseList(item), true) => {
            let item_ty = match &m.ty {
                Type::SparseList(_) => format!("::std::option::Option<{}>", rust_type(item)),
                _ => rust_type(item),
            };
            (
                format!("&[{item_ty}]"),
                format!("self.{field}.as_deref().unwrap_or_default()"),
                true,
            )
        }
        (Type::List(item) | Type::SparseList(item), false) => {
            let item_ty = match &m.ty {
                Type::SparseList(_) => format!("::std::option::Option<{}>", rust_type(item)),
                _ => rust_type(item),
            };
            (
                format!("&[{item_ty}]"),
                format!("use std::ops::Deref; self.{field}.deref()"),
                false,
            )
        }
        (t, true) if is_number_or_bool(t) => (ty.clone(), format!("self.{field}"), false),
        (t, false) if is_number_or_bool(t) => (value_ty.clone(), format!("self.{field}"), false),
        // A boxed value reads as the value itself.
        (t, true) if m.boxed => (
            format!("::std::option::Option<&{}>", rust_type(t)),
            format!("self.{field}.as_deref()"),
            false,
        ),
        (_, true) => (
            format!("::std::option::Option<&{value_ty}>"),
            format!("self.{field}.as_ref()"),
            false,
        ),
        (_, false) => (format!("&{value_ty}"), format!("&self.{field}"), false),
    };
    let into_arg = |t: &Type| match t {
        Type::String => "impl ::std::convert::Into<::std::string::String>".to_owned(),
        other => rust_type(other),
    };
    let into_conv = |t: &Type| match t {
        Type::String => "input.into()".to_owned(),
        _ => "input".to_owned(),
    };
    let setter = match &m.ty {
        Type::List(item) => Setter {
            item: Some(into_arg(item)),
            key: None,
            arg: value_ty.clone(),
            conv: into_conv(item),
        },
        Type::SparseList(item) => Setter {
            item: Some(format!("::std::option::Option<{}>", rust_type(item))),
            key: None,
            arg: value_ty.clone(),
            conv: "input".into(),
        },
        Type::Map(key, value) => Setter {
            item: Some(into_arg(value)),
            key: Some(format!("impl ::std::convert::Into<{}>", rust_type(key))),
            arg: value_ty.clone(),
            conv: into_conv(value),
        },
        Type::SparseMap(key, value) => Setter {
            item: Some(format!("::std::option::Option<{}>", rust_type(value))),
            key: Some(format!("impl ::std::convert::Into<{}>", rust_type(key))),
            arg: value_ty.clone(),
            conv: "input".into(),
        },
        other if m.boxed => Setter {
            item: None,
            key: None,
            arg: rust_type(other),
            conv: "::std::boxed::Box::new(input)".into(),
        },
        other => Setter {
            item: None,
            key: None,
            arg: into_arg(other),
            conv: into_conv(other),
        },
    };
    let debug = if m.sensitive {
        format!("&{REDACTED}")
    } else {
        format!("&self.{field}")
    };
    let name = &m.name;
    let build_expr = match (m.optional, &m.default) {
        (true, _) => format!("self.{field}"),
        (false, Some(DefaultValue::EmptyList | DefaultValue::EmptyMap | DefaultValue::EmptyStream)) => {
            format!("self.{field}.unwrap_or_default()")
        }
        (false, Some(default @ (DefaultValue::Bool(_) | DefaultValue::Integer(_) | DefaultValue::Float(_)))) => {
            format!("self.{field}.unwrap_or({})", default_expr(default, &m.ty))
        }
        (false, Some(default)) => format!(
            "self.{field}.unwrap_or_else(|| {})",
            default_expr(default, &m.ty)
        ),
        (false, None) => format!(
            "self.{field}.ok_or_else(|| ::aws_smithy_types::error::operation::BuildError::missing_field(\"{}\", \"{} was not specified but it is required when building {owner}\"))?",
            bare(&field),
            bare(&field)
        ),
    };
    let correction = (!m.optional && m.default.is_none()).then(|| corrected_expr(&m.ty));
    let _ = name;
    MemberView {
        name: m.name.clone(),
        bare: bare(&field).to_owned(),
        field,
        docs: m.docs.clone(),
        deprecated: deprecation_note(&m.deprecated),
        builder_ty: format!("::std::option::Option<{value_ty}>"),
        ty,
        value_ty,
        accessor_ty,
        accessor_expr,
        accessor_note,
        setter,
        debug,
        build_expr,
        correction,
    }
}

/// A structure as the templates lay it out: its type, builder, codec and checks.
#[derive(Debug, Clone, Serialize)]
pub struct StructureView {
    pub name: String,
    /// The module holding it, e.g. `crate::types` or `crate::operation::get_meeting`.
    pub module: String,
    /// The module holding its builder.
    pub builders_module: String,
    pub docs: Vec<String>,
    pub deprecated: Option<String>,
    pub members: Vec<MemberView>,
    /// Some member is redacted in `Debug`.
    pub redacts: bool,
    /// The derived traits of the structure and of its builder.
    pub derives: String,
    pub builder_derives: String,
    pub fallible_build: bool,
    pub is_output: bool,
    pub is_error: bool,
    pub is_input: bool,
    /// `WriteJson` statements (body members).
    pub json_write: Vec<String>,
    /// `ReadJson` match arms (body members).
    pub json_read: Vec<String>,
    /// The structure is written to JSON (client inputs; with the server codec, outputs).
    pub writes_json: bool,
    /// The structure is read from JSON.
    pub reads_json: bool,
    /// Statements of `validate_at`.
    pub checks: Vec<String>,
    /// Statements of `visit_members` (`Members`).
    pub visits: Vec<String>,
    /// Statements of `check_known` (`KnownValues`, server side).
    pub known_checks: Vec<String>,
    /// For errors: the code, and the message field.
    pub error_code: String,
    pub message_field: Option<String>,
    /// For errors: how `Display` names the error (the Rust name, and the shape name in
    /// brackets when it differs, as the official SDKs print it).
    pub display_name: String,
    /// For errors: the message is `@sensitive` (`Display` redacts it).
    pub message_redacted: bool,
    /// For errors: the message is `@required`, a `String` rather than an `Option`
    /// (`Display` always shows it).
    pub message_required: bool,
    /// For `@retryable` errors: the retry kind (`ThrottlingError`, `ClientError`,
    /// `ServerError`).
    pub retryable: Option<String>,
    /// Members needing a correction after reading (required members).
    pub corrections: Vec<(String, String)>,
    /// Statements reading the members bound outside the body (outputs and errors).
    pub response_members: Vec<String>,
    /// Server side: statements writing the members bound to headers into response `r`
    /// (the structure is `self`).
    pub header_writes: Vec<String>,
    /// Server side: the status code of an error.
    pub error_status: u16,
}

/// Where a structure sits in the crate.
pub struct Placement {
    pub module: String,
    pub builders_module: String,
}

pub fn structure_view(s: &Structure, place: Placement) -> StructureView {
    let members: Vec<MemberView> = s.members.iter().map(|m| member_view(&s.name, m)).collect();
    let json_write = s
        .body_order
        .iter()
        .map(|&i| json_write_stmt(&s.members[i], s.role == Role::Input))
        .collect();
    let json_read = s
        .body_order
        .iter()
        .map(|&i| json_read_arm(&s.members[i]))
        .collect();
    let checks = s.members.iter().flat_map(member_checks).collect();
    let visits = s.members.iter().map(member_visit).collect();
    let known_checks = s
        .members
        .iter()
        .filter(|m| may_hold_enum(&m.ty))
        .map(|m| format!("{}?;", known_check(&format!("&self.{}", m.field), &m.name)))
        .collect();
    let corrections = s
        .members
        .iter()
        .zip(&members)
        .filter_map(|(m, v)| v.correction.clone().map(|c| (m.field.clone(), c)))
        .collect();
    let shape_name = s
        .shape_id
        .rsplit_once('#')
        .map_or(s.name.as_str(), |(_, n)| n);
    let message_field = s.error.as_ref().and_then(|e| e.message_field.as_ref());
    let redacts = s.members.iter().any(|m| m.sensitive);
    StructureView {
        name: s.name.clone(),
        module: place.module,
        builders_module: place.builders_module,
        docs: s.docs.clone(),
        deprecated: deprecation_note(&s.deprecated),
        redacts,
        derives: derives(s, redacts, &[]),
        builder_derives: derives(s, redacts, &["::std::default::Default"]),
        fallible_build: s.fallible_build,
        is_output: s.role == Role::Output,
        is_error: s.role == Role::Error,
        is_input: s.role == Role::Input,
        writes_json: s.role != Role::Output && s.role != Role::Error,
        reads_json: s.role != Role::Input,
        json_write,
        json_read,
        checks,
        visits,
        known_checks,
        error_code: shape_name.to_owned(),
        message_field: message_field.cloned(),
        display_name: if shape_name == s.name {
            s.name.clone()
        } else {
            format!("{} [{shape_name}]", s.name)
        },
        message_redacted: s
            .members
            .iter()
            .any(|m| Some(&m.field) == message_field && m.sensitive),
        message_required: s
            .members
            .iter()
            .any(|m| Some(&m.field) == message_field && !m.optional),
        retryable: s
            .error
            .as_ref()
            .and_then(|e| e.retryable)
            .map(|r| format!("{r:?}")),
        corrections,
        response_members: response_statements(s),
        header_writes: error_header_writes(s),
        error_status: s
            .error
            .as_ref()
            .map(|e| e.status.unwrap_or(if e.server_fault { 500 } else { 400 }))
            .unwrap_or(200),
        members,
    }
}

/// The `derive` list of structure `s` (or of its builder, with `extra`): `Clone` and
/// `PartialEq` unless it holds a stream, which has neither (as in the official SDKs);
/// `Debug` unless a member is redacted (`Debug` is then written by hand).
fn derives(s: &Structure, redacts: bool, extra: &[&'static str]) -> String {
    let mut traits: Vec<&str> = Vec::new();
    if !s.holds_stream {
        traits.extend(["::std::clone::Clone", "::std::cmp::PartialEq"]);
    }
    traits.extend(extra);
    if !redacts {
        traits.push("::std::fmt::Debug");
    }
    traits.join(", ")
}

fn json_write_stmt(m: &Member, input: bool) -> String {
    let key = format!("{:?}", m.json_name);
    let f = &m.field;
    let with = json_format(&m.ty).map(format_path);
    if m.optional {
        match with {
            Some(fmt) => format!("o.optional_with({key}, &self.{f}, {fmt})?;"),
            None => format!("o.optional({key}, &self.{f})?;"),
        }
    } else {
        let write = match with {
            Some(fmt) => format!("o.member_with({key}, &self.{f}, {fmt})?;"),
            None => format!("o.member({key}, &self.{f})?;"),
        };
        // Numbers and booleans at their default zero are left out unless required.
        if !input && !m.required && is_number_or_bool(&m.ty) {
            match m.ty {
                Type::Bool => format!("if self.{f} {{ {write} }}"),
                Type::Float | Type::Double => format!("if self.{f} != 0.0 {{ {write} }}"),
                _ => format!("if self.{f} != 0 {{ {write} }}"),
            }
        } else {
            write
        }
    }
}

fn json_read_arm(m: &Member) -> String {
    // An error's message under another spelling (`message`, `errorMessage`) is not read
    // here: like the official SDKs, `read_error` falls back to the error metadata's.
    let key = format!("{:?}", m.json_name);
    let read = match json_format(&m.ty) {
        Some(fmt) => format!("r.read_with({})?", format_path(fmt)),
        None => "r.read()?".into(),
    };
    format!("{key} => b.{} = {read},", m.field)
}

/// The statement of `visit_members` handing member `m` of `self` to `visit`.
fn member_visit(m: &Member) -> String {
    let (name, f) = (&m.name, &m.field);
    // A boxed value is visited as the value, not as its box.
    let value = if m.boxed { "&**value" } else { "value" };
    if m.optional {
        format!(
            "if let ::std::option::Option::Some(value) = &self.{f} {{ visit(\"{name}\", {value}); }}"
        )
    } else {
        format!("visit(\"{name}\", &self.{f});")
    }
}

/// Whether a value of type `ty` can hold a string enum: `KnownValues` checks those.
fn may_hold_enum(ty: &Type) -> bool {
    match ty {
        Type::Enum(_) | Type::Union(_) | Type::Structure { error: false, .. } => true,
        Type::List(item) | Type::SparseList(item) => may_hold_enum(item),
        Type::Map(_, value) | Type::SparseMap(_, value) => may_hold_enum(value),
        _ => false,
    }
}

/// The expression checking the enum values in `value` (a reference to member `name` of
/// the value at `path`).
fn known_check(value: &str, name: &str) -> String {
    format!(
        "::chime_caps_runtime::constraints::KnownValues::check_known({value}, \
         &::chime_caps_runtime::constraints::Path::Field(path, \"{name}\"))"
    )
}

/// Statements checking member `m` of `self` at `path`.
fn member_checks(m: &Member) -> Vec<String> {
    let name = &m.name;
    let f = &m.field;
    let inner = value_checks(&m.checks, "value", "p", 0, &m.ty);
    let required = m.required || (!m.optional && m.default.is_none());
    let path = format!("let p = ::chime_caps_runtime::constraints::Path::Field(path, \"{name}\");");
    let mut out = Vec::new();
    if !m.optional {
        if !inner.is_empty() {
            out.push(format!("{{ {path} let value = &self.{f};"));
            out.extend(inner);
            out.push("}".into());
        }
    } else if m.required || !inner.is_empty() || (m.optional && required) {
        out.push(format!("match &self.{f} {{"));
        if m.required {
            out.push(format!("::std::option::Option::None => return ::std::result::Result::Err(::chime_caps_runtime::constraints::ConstraintViolation::missing(&::chime_caps_runtime::constraints::Path::Field(path, \"{name}\"))),"));
        } else {
            out.push("::std::option::Option::None => {}".into());
        }
        out.push(format!("::std::option::Option::Some(value) => {{ {path}"));
        out.extend(inner);
        out.push("}".into());
        out.push("}".into());
    }
    out
}

/// Statements checking `value` (a reference) at path variable `p`.
fn value_checks(c: &Checks, value: &str, p: &str, depth: usize, ty: &Type) -> Vec<String> {
    let mut out = Vec::new();
    let bound_u = |b: Option<u64>| {
        b.map_or("::std::option::Option::None".to_owned(), |n| {
            format!("::std::option::Option::Some({n})")
        })
    };
    let bound_f = |b: Option<f64>| {
        b.map_or("::std::option::Option::None".to_owned(), |n| {
            format!("::std::option::Option::Some({n:?})")
        })
    };
    if let Some(len) = &c.length {
        let measured = match ty {
            Type::String => format!("{value}.chars().count()"),
            Type::Enum(_) => format!("{value}.as_str().chars().count()"),
            Type::Blob => format!("{value}.as_ref().len()"),
            _ => format!("{value}.len()"),
        };
        out.push(format!(
            "::chime_caps_runtime::constraints::check_length({measured}, {}, {}, &{p})?;",
            bound_u(len.min),
            bound_u(len.max)
        ));
    }
    if let Some(range) = &c.range {
        let actual = if *ty == Type::Double {
            format!("*{value}")
        } else {
            format!("*{value} as f64")
        };
        out.push(format!(
            "::chime_caps_runtime::constraints::check_range({actual}, {}, {}, &{p})?;",
            bound_f(range.min),
            bound_f(range.max)
        ));
    }
    if let Some(pattern) = &c.pattern {
        out.push(format!(
            "{{ static PATTERN: ::chime_caps_runtime::constraints::Pattern = ::chime_caps_runtime::constraints::Pattern::new({pattern:?}); PATTERN.check({value}, &{p})?; }}"
        ));
    }
    if c.nested {
        out.push(format!(
            "::chime_caps_runtime::constraints::Validate::validate_at({value}, &{p})?;"
        ));
    }
    if let Some(items) = &c.items {
        let item_ty = match ty {
            Type::List(i) | Type::SparseList(i) | Type::Map(_, i) | Type::SparseMap(_, i) => &**i,
            other => other,
        };
        let sparse = matches!(ty, Type::SparseList(_) | Type::SparseMap(..));
        let item = format!("item{depth}");
        let ip = format!("p{}", depth + 1);
        let inner = value_checks(items, &item, &ip, depth + 1, item_ty);
        if !inner.is_empty() {
            let head = match ty {
                Type::Map(..) | Type::SparseMap(..) => format!(
                    "for (key{depth}, {item}) in {value} {{ let {ip} = ::chime_caps_runtime::constraints::Path::Key(&{p}, key{depth}.as_ref());"
                ),
                _ => format!(
                    "for (index{depth}, {item}) in {value}.iter().enumerate() {{ let {ip} = ::chime_caps_runtime::constraints::Path::Index(&{p}, index{depth});"
                ),
            };
            out.push(head);
            if sparse {
                out.push(format!(
                    "if let ::std::option::Option::Some({item}) = {item} {{"
                ));
            }
            out.extend(inner);
            if sparse {
                out.push("}".into());
            }
            out.push("}".into());
        }
    }
    out
}

/// An enum as the templates lay it out.
#[derive(Debug, Clone, Serialize)]
pub struct EnumView<'a> {
    pub e: &'a Enum,
    pub deprecated: Option<String>,
    /// The `Debug` text of a `@sensitive` enum (a string literal).
    pub redacted: &'static str,
}

/// An int enum.
#[derive(Debug, Clone, Serialize)]
pub struct IntEnumView<'a> {
    pub e: &'a IntEnum,
}

/// A union variant as the templates lay it out.
#[derive(Debug, Clone, Serialize)]
pub struct UnionVariantView {
    pub variant: String,
    pub snake: String,
    pub name: String,
    pub docs: Vec<String>,
    pub deprecated: Option<String>,
    /// `None` for a unit variant.
    pub value_ty: Option<String>,
    pub debug: String,
    /// The pattern binding the value in `Debug` (`_` when it is redacted).
    pub debug_bind: String,
    pub json_write: String,
    pub json_read: String,
    pub checks: Vec<String>,
    /// The `check_known` expression for the value `inner`, when it can hold an enum.
    pub known_check: Option<String>,
}

/// A union as the templates lay it out.
#[derive(Debug, Clone, Serialize)]
pub struct UnionView {
    pub name: String,
    pub docs: Vec<String>,
    pub deprecated: Option<String>,
    pub variants: Vec<UnionVariantView>,
    pub redacts: bool,
    pub sensitive: bool,
    /// Some variant can hold an enum (`KnownValues` checks it).
    pub holds_enums: bool,
}

pub fn union_view(u: &Union) -> UnionView {
    let variants = u
        .variants
        .iter()
        .map(|v| {
            let key = format!("{:?}", v.json_name);
            let (json_write, json_read) = match &v.ty {
                None => (
                    format!("Self::{} => o.member({key}, &::chime_caps_runtime::json::Unit)?,", v.variant),
                    format!("{key} => {{ r.skip()?; value = ::std::option::Option::Some(Self::{}); }}", v.variant),
                ),
                Some(ty) => {
                    let (write, read) = match json_format(ty) {
                        Some(f) => (
                            format!("o.member_with({key}, inner, {})?", format_path(f)),
                            format!("r.read_with({})?", format_path(f)),
                        ),
                        None => (format!("o.member({key}, inner)?"), "r.read()?".to_owned()),
                    };
                    (
                        format!("Self::{}(inner) => {write},", v.variant),
                        format!(
                            "{key} => {{ if let ::std::option::Option::Some(inner) = {read} {{ value = ::std::option::Option::Some(Self::{}(inner)); }} }}",
                            v.variant
                        ),
                    )
                }
            };
            let checks = match &v.ty {
                Some(ty) => value_checks(&v.checks, "inner", "p", 0, ty),
                None => Vec::new(),
            };
            let known_check = v
                .ty
                .as_ref()
                .filter(|ty| may_hold_enum(ty))
                .map(|_| known_check("inner", &v.name));
            UnionVariantView {
                variant: v.variant.clone(),
                snake: v.snake.clone(),
                name: v.name.clone(),
                docs: v.docs.clone(),
                deprecated: deprecation_note(&v.deprecated),
                value_ty: v.ty.as_ref().map(|ty| value_type(ty, v.boxed)),
                debug: if v.sensitive || u.sensitive {
                    format!("&{REDACTED}")
                } else {
                    "inner".into()
                },
                debug_bind: if v.sensitive || u.sensitive {
                    "_".into()
                } else {
                    "inner".into()
                },
                json_write,
                json_read,
                checks,
                known_check,
            }
        })
        .collect::<Vec<_>>();
    UnionView {
        name: u.name.clone(),
        docs: u.docs.clone(),
        deprecated: deprecation_note(&u.deprecated),
        redacts: u.sensitive || u.variants.iter().any(|v| v.sensitive),
        sensitive: u.sensitive,
        holds_enums: variants.iter().any(|v| v.known_check.is_some()),
        variants,
    }
}

/// An operation as the templates lay it out.
#[derive(Debug, Clone, Serialize)]
pub struct OperationView {
    pub name: String,
    pub snake: String,
    pub docs: Vec<String>,
    pub deprecated: Option<String>,
    pub input: StructureView,
    pub output: StructureView,
    pub errors: Vec<ErrorRef>,
    /// The retry kind of each retryable error.
    pub retryable_errors: Vec<(String, String)>,
    /// Statements building the request in `serialize` (`input` in scope, `b` the builder).
    pub request: Vec<String>,
    /// The runtime's `protocol` function reading an error response's metadata.
    pub error_metadata: &'static str,
    /// Statements building the `@endpoint` host prefix (`input` in scope, `prefix` the
    /// builder); empty when the operation has none.
    pub host_prefix: Vec<String>,
    /// The host prefix has labels, read from `input`.
    pub host_prefix_reads_input: bool,
    /// Statements setting the endpoint parameters the call gives (`input` in scope, `p`
    /// the endpoint `Params`); empty when the operation sets none.
    pub endpoint_context: Vec<String>,
    /// Some endpoint parameter comes from an input member.
    pub endpoint_context_reads_input: bool,
    pub method: String,
    pub uri_capacity: usize,
    pub code: u16,
    /// The modeled success code when it is not a 2xx one (it also counts as success).
    pub other_success_code: Option<u16>,
    /// The output reads the status code.
    pub output_uses_status: bool,
    /// How the output body is read.
    pub response_body: String,
    pub sensitive_output: bool,
    pub idempotency_token: Option<String>,
    pub telemetry_members: Vec<(String, String)>,
    pub paginator: Option<PaginatorView>,
    /// The runtime's `OperationAuth` variant, when it is not the default (SigV4).
    pub auth: Option<String>,
    /// `aws.auth#unsignedPayload`.
    pub unsigned_payload: bool,
    /// The output field a successful response's body is streamed into, unread.
    pub streamed_output: Option<String>,
    /// The derived traits of the fluent builder (it holds the input's builder).
    pub fluent_derives: String,
    /// Server side: the `@http` URI pattern.
    pub uri: String,
    /// Server side: the `x-amz-target` naming the operation (awsJson).
    pub target: Option<String>,
    /// Server side: statements reading the input from `request` into builder `b`.
    pub server_parse: Vec<String>,
    /// Server side: statements writing `output` into response `r`.
    pub server_write: Vec<String>,
}

/// A paginator.
#[derive(Debug, Clone, Serialize)]
pub struct PaginatorView {
    pub input_token: String,
    /// Expression of type `Option<&String>` for `page` (a `&Output`).
    pub next_token: String,
    pub page_size: Option<(String, String)>,
    /// Expression turning `page` (an owned output) into an iterable of items, and the
    /// item type.
    pub items: Option<(String, String)>,
}

pub fn operation_view(op: &Operation, service: &Service) -> OperationView {
    let module = format!("crate::operation::{}", op.snake);
    let place = || Placement {
        module: module.clone(),
        builders_module: format!("{module}::builders"),
    };
    let input = structure_view(&op.input, place());
    let output = structure_view(&op.output, place());
    OperationView {
        name: op.name.clone(),
        snake: op.snake.clone(),
        docs: op.docs.clone(),
        deprecated: deprecation_note(&op.deprecated),
        retryable_errors: op
            .errors
            .iter()
            .filter_map(|e| e.retryable.map(|r| (e.name.clone(), format!("{r:?}"))))
            .collect(),
        errors: op.errors.clone(),
        request: request_statements(op, service),
        error_metadata: if service.query_compatible {
            "query_compatible_error_metadata"
        } else {
            "error_metadata"
        },
        host_prefix: op
            .host_prefix
            .iter()
            .map(|segment| match segment {
                HostSegment::Literal(text) => format!("prefix.literal({text:?});"),
                HostSegment::Label(f) => {
                    format!("prefix.label({:?}, input.{f}.as_deref())?;", bare(f))
                }
            })
            .collect(),
        endpoint_context: op.endpoint_context.iter().map(context_statement).collect(),
        endpoint_context_reads_input: op
            .endpoint_context
            .iter()
            .any(|c| matches!(c.value, ContextValue::Member { .. })),
        host_prefix_reads_input: op
            .host_prefix
            .iter()
            .any(|segment| matches!(segment, HostSegment::Label(_))),
        method: op.method.clone(),
        uri_capacity: op
            .path
            .iter()
            .map(|p| match p {
                PathSegment::Literal(l) => l.len(),
                PathSegment::Label(_) => 40,
            })
            .sum::<usize>()
            + 16,
        code: op.code,
        other_success_code: (!(200..300).contains(&op.code)).then_some(op.code),
        output_uses_status: op
            .output
            .members
            .iter()
            .any(|m| m.binding == Binding::ResponseCode),
        response_body: response_body(op),
        sensitive_output: op.sensitive_output,
        idempotency_token: op.idempotency_token.clone(),
        telemetry_members: op
            .telemetry_members
            .iter()
            .map(|t| (t.name.clone(), t.field.clone()))
            .collect(),
        paginator: op.paginated.as_ref().map(|p| PaginatorView {
            input_token: p.input_token.clone(),
            next_token: path_ref_expr(&p.output_token),
            page_size: p.page_size.as_ref().map(|(f, t)| (f.clone(), rust_type(t))),
            items: p.items.as_ref().map(|items| {
                let (expr, item_ty) = items_expr(items);
                (expr, item_ty)
            }),
        }),
        auth: match op.auth {
            Auth::SigV4 => None,
            Auth::SigV4OrNone => Some("SigV4OrNone".to_owned()),
            Auth::None => Some("None".to_owned()),
        },
        unsigned_payload: op.unsigned_payload,
        streamed_output: match &op.response_body {
            Body::Payload(p) if p.kind == PayloadKind::ByteStream => Some(p.field.clone()),
            _ => None,
        },
        fluent_derives: if op.input.holds_stream {
            "::std::fmt::Debug".to_owned()
        } else {
            "::std::clone::Clone, ::std::fmt::Debug".to_owned()
        },
        uri: op.uri.clone(),
        target: op.target.clone(),
        server_parse: server_parse_statements(op),
        server_write: server_write_statements(op),
        input,
        output,
    }
}

/// The value of `text` (a `&str`) for a member of type `ty`, as a `Result` with a
/// `RequestError`.
fn parse_text_expr(ty: &Type, text: &str, what: &str, header: bool) -> String {
    match ty {
        Type::String => format!("::std::result::Result::<_, ::chime_caps_runtime::server::RequestError>::Ok({text}.to_owned())"),
        Type::Enum(_) => format!(
            "::std::result::Result::<_, ::chime_caps_runtime::server::RequestError>::Ok({}::from({text}))",
            rust_type(ty)
        ),
        _ => format!(
            "::chime_caps_runtime::server::parse_text::<{}>({text}, {}, {what:?})",
            rust_type(ty),
            http_format(ty, header)
        ),
    }
}

fn server_parse_statements(op: &Operation) -> Vec<String> {
    let mut out = Vec::new();
    let query_keys: Vec<&str> = op
        .input
        .members
        .iter()
        .filter_map(|m| match &m.binding {
            Binding::Query(k) => Some(k.as_str()),
            _ => None,
        })
        .collect();
    let mut reads_headers = false;
    for m in &op.input.members {
        let f = &m.field;
        let name = &m.name;
        match &m.binding {
            Binding::Label => out.push(format!(
                "b.{f} = ::std::option::Option::Some({}?);",
                parse_text_expr(&m.ty, &format!("request.label({name:?})?"), name, false)
            )),
            Binding::Query(key) => match &m.ty {
                Type::List(item) => out.push(format!(
                    "{{ let values = request.query_all({key:?}).map(|text| {}).collect::<::std::result::Result<::std::vec::Vec<_>, _>>()?; if !values.is_empty() {{ b.{f} = ::std::option::Option::Some(values); }} }}",
                    parse_text_expr(item, "text", key, false)
                )),
                ty => out.push(format!(
                    "b.{f} = request.query({key:?}).map(|text| {}).transpose()?;",
                    parse_text_expr(ty, "text", key, false)
                )),
            },
            Binding::QueryParams => {
                let insert = match &m.ty {
                    Type::Map(_, v) if matches!(**v, Type::List(_)) => {
                        "map.entry(key.to_owned()).or_insert_with(::std::vec::Vec::new).push(value.to_owned());"
                    }
                    _ => "map.entry(key.to_owned()).or_insert_with(|| value.to_owned());",
                };
                out.push(format!(
                    "{{ let mut map = ::std::collections::HashMap::new(); for (key, value) in request.query_pairs() {{ if [{}].contains(&key) {{ continue; }} {insert} }} if !map.is_empty() {{ b.{f} = ::std::option::Option::Some(map); }} }}",
                    query_keys.iter().map(|k| format!("{k:?}")).collect::<Vec<_>>().join(", ")
                ));
            }
            Binding::Header(_) | Binding::PrefixHeaders(_) => reads_headers = true,
            _ => {}
        }
    }
    if reads_headers {
        out.push("let headers = request.headers;".into());
        out.extend(response_statements(&op.input));
    }
    match &op.request_body {
        Body::Empty => {}
        Body::Members => out.push("b = b.read_json_body(request.body)?;".into()),
        Body::Payload(p) => {
            let f = &p.field;
            out.push(match p.kind {
                PayloadKind::Json => format!("b.{f} = ::chime_caps_runtime::json::from_slice(request.body)?;"),
                PayloadKind::Blob => format!("if !request.body.is_empty() {{ b.{f} = ::std::option::Option::Some(::aws_smithy_types::Blob::new(request.body.to_vec())); }}"),
                PayloadKind::Text => format!("if !request.body.is_empty() {{ b.{f} = ::std::option::Option::Some(::std::string::String::from_utf8_lossy(request.body).as_ref().into()); }}"),
                PayloadKind::ByteStream => format!("b.{f} = ::std::option::Option::Some(::aws_smithy_types::byte_stream::ByteStream::from(request.body.to_vec()));"),
            });
        }
    }
    out
}

/// The headers a server writes for error structure `s`: its header-bound members, and
/// under `@awsQueryCompatible` its awsQuery code and fault (`Sender` or `Receiver`), which
/// the clients match it by.
fn error_header_writes(s: &Structure) -> Vec<String> {
    let mut out = header_write_statements(s, "self");
    if let Some(error) = &s.error {
        if let Some(code) = &error.query_code {
            let fault = if error.server_fault {
                "Receiver"
            } else {
                "Sender"
            };
            out.push(format!(
                "r.header(\"x-amzn-query-error\", \"{code};{fault}\");"
            ));
        }
    }
    out
}

/// Statements writing the header-bound members of `owner` (an expression of the
/// structure) into response `r`.
fn header_write_statements(s: &Structure, owner: &str) -> Vec<String> {
    let mut out = Vec::new();
    for m in &s.members {
        let f = &m.field;
        let value = if m.optional {
            format!("&{owner}.{f}")
        } else {
            format!("::std::option::Option::Some(&{owner}.{f})")
        };
        match &m.binding {
            Binding::Header(name) => out.push(format!(
                "if let ::std::option::Option::Some(value) = {value} {{ r.header({name:?}, {}.into_owned()); }}",
                text_expr(&m.ty, true, m.media_type)
            )),
            Binding::PrefixHeaders(prefix) => out.push(format!(
                "if let ::std::option::Option::Some(headers) = {value} {{ for (key, value) in headers {{ r.header(::std::format!(\"{prefix}{{key}}\"), value.clone()); }} }}"
            )),
            _ => {}
        }
    }
    out
}

fn server_write_statements(op: &Operation) -> Vec<String> {
    let mut out = header_write_statements(&op.output, "output");
    for m in &op.output.members {
        if m.binding == Binding::ResponseCode {
            let f = &m.field;
            out.push(if m.optional {
                format!("if let ::std::option::Option::Some(code) = output.{f} {{ r.status = code as u16; }}")
            } else {
                format!("r.status = output.{f} as u16;")
            });
        }
    }
    match &op.response_body {
        Body::Empty => {}
        Body::Members => out.push("r.json(output)?;".into()),
        Body::Payload(p) => {
            let f = &p.field;
            let value = if p.optional {
                format!("&output.{f}")
            } else {
                format!("::std::option::Option::Some(&output.{f})")
            };
            let ct = &p.content_type;
            out.push(match p.kind {
                PayloadKind::Json => format!("if let ::std::option::Option::Some(payload) = {value} {{ r.json(payload)?; }}"),
                PayloadKind::Blob => format!("if let ::std::option::Option::Some(payload) = {value} {{ r.bytes(payload.as_ref().to_vec(), {ct:?}); }}"),
                PayloadKind::Text => format!("if let ::std::option::Option::Some(payload) = {value} {{ r.bytes(::std::string::String::from(payload.as_str()), {ct:?}); }}"),
                PayloadKind::ByteStream => format!("r.stream(&output.{f}, {ct:?})?;"),
            });
        }
    }
    out
}

/// `Option<&String>` of the path's end, for `page` (a `&Output`).
fn path_ref_expr(steps: &[crate::ir::PathStep]) -> String {
    let mut expr = "page".to_owned();
    let mut in_option = false;
    for step in steps {
        let f = &step.field;
        expr = match (in_option, step.optional) {
            (false, true) => format!("{expr}.{f}.as_ref()"),
            (false, false) => format!("{expr}.{f}"),
            (true, true) => format!("{expr}.and_then(|v| v.{f}.as_ref())"),
            (true, false) => format!("{expr}.map(|v| &v.{f})"),
        };
        in_option |= step.optional;
    }
    if in_option {
        expr
    } else {
        format!("::std::option::Option::Some(&{expr})")
    }
}

/// An expression turning `page` (an owned output) into its items, and the item type.
fn items_expr(items: &crate::ir::PageItems) -> (String, String) {
    let mut expr = "page".to_owned();
    let mut in_option = false;
    for step in &items.path {
        let f = &step.field;
        expr = match (in_option, step.optional) {
            (false, _) => format!("{expr}.{f}"),
            (true, true) => format!("{expr}.and_then(|v| v.{f})"),
            (true, false) => format!("{expr}.map(|v| v.{f})"),
        };
        in_option |= step.optional;
    }
    if in_option {
        expr = format!("{expr}.unwrap_or_default()");
    }
    let item_ty = match &items.ty {
        Type::List(item) => rust_type(item),
        Type::Map(key, value) => format!("({}, {})", rust_type(key), rust_type(value)),
        other => rust_type(other),
    };
    (format!("{expr}.into_iter()"), item_ty)
}

/// Text of `value` (a reference to a member value of type `ty`) for a label, query
/// string or header, as a `Cow<str>` expression.
fn text_expr(ty: &Type, header: bool, media_type: bool) -> String {
    match ty {
        Type::String if media_type && header => {
            "::chime_caps_runtime::protocol::media_type_text(value)".into()
        }
        Type::String => "::std::borrow::Cow::Borrowed(value.as_str())".into(),
        Type::Enum(_) => "::std::borrow::Cow::Borrowed(value.as_str())".into(),
        Type::List(_) => format!(
            "::std::borrow::Cow::<str>::Owned(::chime_caps_runtime::protocol::header_list(value, {})?)",
            http_format(ty, header)
        ),
        _ => format!(
            "::chime_caps_runtime::protocol::HttpText::http_text(value, {})?",
            http_format(ty, header)
        ),
    }
}

/// The statement setting endpoint parameter `c` on `p` (the endpoint `Params`) from
/// `input`: a member sets an optional parameter as it is (unset included) and a
/// required or defaulted one only when set.
fn context_statement(c: &ContextParam) -> String {
    let f = &c.field;
    let some = |value: String| {
        if c.always_set {
            value
        } else {
            format!("::std::option::Option::Some({value})")
        }
    };
    match &c.value {
        ContextValue::Member { field, ty } => {
            let copy = if *ty == Type::Bool { "" } else { ".clone()" };
            if c.always_set {
                format!(
                    "if let ::std::option::Option::Some(value) = &input.{field} {{ p.{f} = value{copy}; }}"
                )
            } else {
                format!("p.{f} = input.{field}{copy};")
            }
        }
        ContextValue::Bool(value) => format!("p.{f} = {};", some(value.to_string())),
        ContextValue::String(text) => format!(
            "p.{f} = {};",
            some(format!("::std::borrow::ToOwned::to_owned({text:?})"))
        ),
        ContextValue::StringList(items) => {
            let items: Vec<String> = items
                .iter()
                .map(|i| format!("::std::borrow::ToOwned::to_owned({i:?})"))
                .collect();
            format!(
                "p.{f} = {};",
                some(format!("::std::vec![{}]", items.join(", ")))
            )
        }
    }
}

fn request_statements(op: &Operation, service: &Service) -> Vec<String> {
    let mut out = Vec::new();
    for part in &op.path {
        match part {
            PathSegment::Literal(text) => out.push(format!("b.path({text:?});")),
            PathSegment::Label(label) => {
                let f = &label.field;
                let text = match &label.ty {
                    Type::String => format!("input.{f}.as_deref()"),
                    Type::Enum(_) => format!("input.{f}.as_ref().map(|v| v.as_str())"),
                    ty => {
                        out.push(format!(
                            "let {f}_text = input.{f}.as_ref().map(|value| -> ::std::result::Result<::std::string::String, ::aws_smithy_types::error::operation::BuildError> {{ ::std::result::Result::Ok({}.into_owned()) }}).transpose()?;",
                            text_expr(ty, false, false)
                        ));
                        format!("{f}_text.as_deref()")
                    }
                };
                out.push(format!(
                    "b.label(\"{}\", {text}, {})?;",
                    bare(f),
                    label.greedy
                ));
            }
        }
    }
    for literal in &op.query_literals {
        out.push(format!("b.query_literal({literal:?});"));
    }
    let query_keys: Vec<&str> = op
        .input
        .members
        .iter()
        .filter_map(|m| match &m.binding {
            Binding::Query(k) => Some(k.as_str()),
            _ => None,
        })
        .collect();
    for m in &op.input.members {
        let f = &m.field;
        match &m.binding {
            Binding::Query(key) => match &m.ty {
                Type::List(item) => out.push(format!(
                    "if let ::std::option::Option::Some(values) = &input.{f} {{ for value in values {{ b.query({key:?}, &{}); }} }}",
                    text_expr(item, false, false)
                )),
                ty => out.push(format!(
                    "if let ::std::option::Option::Some(value) = &input.{f} {{ b.query({key:?}, &{}); }}",
                    text_expr(ty, false, false)
                )),
            },
            Binding::QueryParams => {
                let skip = if query_keys.is_empty() {
                    String::new()
                } else {
                    format!(
                        "if [{}].contains(&key.as_str()) {{ continue; }}",
                        query_keys
                            .iter()
                            .map(|k| format!("{k:?}"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                let each = match &m.ty {
                    Type::Map(_, v) if matches!(**v, Type::List(_)) => {
                        "for value in value { b.query(key.as_str(), value.as_str()); }"
                    }
                    _ => "b.query(key.as_str(), value.as_str());",
                };
                out.push(format!(
                    "if let ::std::option::Option::Some(params) = &input.{f} {{ for (key, value) in params {{ {skip} {each} }} }}"
                ));
            }
            Binding::Header(name) => out.push(format!(
                "if let ::std::option::Option::Some(value) = &input.{f} {{ b.header({name:?}, &{})?; }}",
                text_expr(&m.ty, true, m.media_type)
            )),
            Binding::PrefixHeaders(prefix) => out.push(format!(
                "if let ::std::option::Option::Some(headers) = &input.{f} {{ for (key, value) in headers {{ b.header(::std::format!(\"{prefix}{{key}}\"), value)?; }} }}"
            )),
            _ => {}
        }
    }
    let content_type = service.protocol.json_content_type();
    if let Some(target) = &op.target {
        // awsJson: the content type, then the operation's name, then the query mode of an
        // `@awsQueryCompatible` service, as the official SDKs send them (the body adds
        // only its length).
        out.push(format!("b.header(\"content-type\", {content_type:?})?;"));
        out.push(format!("b.header(\"x-amz-target\", {target:?})?;"));
        if service.query_compatible {
            out.push("b.header(\"x-amzn-query-mode\", \"true\")?;".to_owned());
        }
    }
    match &op.request_body {
        Body::Empty => {}
        Body::Members => out.push(format!(
            "b.body(::chime_caps_runtime::json::to_string(&input)?, {});",
            match op.target {
                Some(_) => "::std::option::Option::None".to_owned(),
                None => format!("::std::option::Option::Some({content_type:?})"),
            }
        )),
        Body::Payload(p) => {
            let f = &p.field;
            let value = if p.optional {
                format!("input.{f}")
            } else {
                format!("::std::option::Option::Some(input.{f})")
            };
            let ct = format!("::std::option::Option::Some({:?})", p.content_type);
            out.push(match p.kind {
                PayloadKind::Json => format!(
                    "if let ::std::option::Option::Some(payload) = &{value} {{ b.body(::chime_caps_runtime::json::to_string(payload)?, {ct}); }}"
                ),
                PayloadKind::Blob => format!(
                    "if let ::std::option::Option::Some(payload) = {value} {{ b.body(payload.into_inner(), {ct}); }}"
                ),
                PayloadKind::Text => format!(
                    "if let ::std::option::Option::Some(payload) = &{value} {{ b.body(::std::string::String::from(payload.as_str()), {ct}); }}"
                ),
                // Never an `Option`: an unset stream is an empty one.
                PayloadKind::ByteStream => format!("b.body(input.{f}.into_inner(), {ct});"),
            });
        }
    }
    out
}

/// Statements reading the members of `s` bound outside the body into builder `b`, with
/// `headers` and `status` in scope.
pub fn response_statements(s: &Structure) -> Vec<String> {
    let mut out = Vec::new();
    for m in &s.members {
        let f = &m.field;
        match &m.binding {
            Binding::Header(name) => {
                let read = if m.media_type && m.ty == Type::String {
                    format!("headers.get({name:?}).map(::chime_caps_runtime::protocol::media_type_from_header).transpose()?")
                } else {
                    match &m.ty {
                        Type::Enum(_) => format!("headers.get({name:?}).map(|text| {}::from(text.trim()))", rust_type(&m.ty)),
                        Type::List(item) if matches!(**item, Type::Enum(_)) => format!(
                            "::chime_caps_runtime::protocol::read_header::<::std::vec::Vec<::std::string::String>>(headers, {name:?}, {})?.map(|items| items.iter().map(|s| {}::from(s.as_str())).collect())",
                            http_format(&m.ty, true),
                            rust_type(item)
                        ),
                        ty => format!(
                            "::chime_caps_runtime::protocol::read_header::<{}>(headers, {name:?}, {})?",
                            rust_type(ty),
                            http_format(ty, true)
                        ),
                    }
                };
                out.push(format!("b.{f} = {read};"));
            }
            Binding::PrefixHeaders(prefix) => out.push(format!(
                "b.{f} = ::chime_caps_runtime::protocol::prefix_headers(headers, {prefix:?});"
            )),
            Binding::ResponseCode => out.push(format!(
                "b.{f} = ::std::option::Option::Some(status as i32);"
            )),
            _ => {}
        }
    }
    out
}

fn response_body(op: &Operation) -> String {
    match &op.response_body {
        Body::Empty => String::new(),
        Body::Members => "b = b.read_json_body(body)?;".into(),
        Body::Payload(p) => {
            let f = &p.field;
            match p.kind {
                PayloadKind::Json => format!("b.{f} = ::chime_caps_runtime::json::from_slice(body)?;"),
                PayloadKind::Blob => format!("b.{f} = ::std::option::Option::Some(::aws_smithy_types::Blob::new(body.to_vec()));"),
                PayloadKind::Text => format!("b.{f} = ::std::option::Option::Some(::std::string::String::from_utf8_lossy(body).as_ref().into());"),
                // A body read whole (a successful response's is handed over unread by
                // `deserialize_streaming_output`).
                PayloadKind::ByteStream => format!("b.{f} = ::std::option::Option::Some(::aws_smithy_types::byte_stream::ByteStream::from(body.to_vec()));"),
            }
        }
    }
}

/// The crate as the templates lay it out.
#[derive(Debug, Clone, Serialize)]
pub struct CrateView<'a> {
    pub krate: &'a Crate,
    pub operations: Vec<OperationView>,
    pub structures: Vec<StructureView>,
    pub errors: Vec<StructureView>,
    pub enums: Vec<EnumView<'a>>,
    pub int_enums: Vec<IntEnumView<'a>>,
    pub unions: Vec<UnionView>,
}

pub fn crate_view(krate: &Crate) -> CrateView<'_> {
    CrateView {
        operations: krate
            .operations
            .iter()
            .map(|op| operation_view(op, &krate.service))
            .collect(),
        structures: krate
            .structures
            .iter()
            .map(|s| {
                structure_view(
                    s,
                    Placement {
                        module: "crate::types".into(),
                        builders_module: "crate::types::builders".into(),
                    },
                )
            })
            .collect(),
        errors: krate
            .errors
            .iter()
            .map(|s| {
                structure_view(
                    s,
                    Placement {
                        module: "crate::types::error".into(),
                        builders_module: "crate::types::error::builders".into(),
                    },
                )
            })
            .collect(),
        enums: krate
            .enums
            .iter()
            .map(|e| EnumView {
                deprecated: deprecation_note(&e.deprecated),
                redacted: REDACTED,
                e,
            })
            .collect(),
        int_enums: krate.int_enums.iter().map(|e| IntEnumView { e }).collect(),
        unions: krate.unions.iter().map(union_view).collect(),
        krate,
    }
}
