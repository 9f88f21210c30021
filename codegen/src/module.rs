//! Stage 3b, for build scripts: the rendered crate as one module file that another crate
//! `include!`s (see [`Generator::generate_module`](crate::Generator::generate_module)).
//!
//! The crate's files become one syntax tree, which is then adapted to live inside the
//! including crate. The code is changed on the tree (`syn`), never as text; only doc
//! strings, which are text, have their path references rewritten in place:
//!
//! - `src/lib.rs` is the root; every `mod x;` becomes `mod x { .. }` holding its file,
//!   whose inner attributes become the item's outer ones.
//! - The crate root's inner lint attributes (`#![allow(..)]`, `#![forbid(..)]`) become
//!   outer attributes of every top-level item, since an included file may not have inner
//!   attributes, along with `allow(dead_code, unused_imports)`: the includer uses part of
//!   the client. The crate's own documentation (`//!`) is dropped: the includer
//!   documents its module.
//! - Paths `crate::x` become `crate::<module>::x`: in code (`use` trees and qualified
//!   paths included), in macro arguments and attributes (`$crate::x` too, which in a
//!   macro defined in the module names the includer) and in doc links.
//! - What names the generated crate's build is decided here, because in the module it
//!   would name the includer's: `feature = ".."` predicates (in `#[cfg]`, `#[cfg_attr]`,
//!   `cfg!`) are true for the selected features, `test` is false (the generated crate's
//!   own tests stay out of the includer's), items whose `#[cfg]` is false are dropped and
//!   `env!("CARGO_PKG_..")` becomes the generated manifest's value. Other predicates
//!   (`unix`, `target_os = ..`) are left to the includer's build.
//!
//! The generated `Cargo.toml` is not written; the module's header lists the dependencies
//! the including crate needs instead.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Group, Punct, Spacing, TokenStream, TokenTree};
use quote::{quote, ToTokens};
use syn::ext::IdentExt;
use syn::punctuated::Punctuated;
use syn::visit_mut::{self, VisitMut};
use syn::{Attribute, Expr, Ident, ImplItem, Item, Lit, LitStr, Meta, UseTree};

use crate::render::File;

/// Why the module could not be assembled. [`ModuleError::ModulePath`] and
/// [`ModuleError::UnknownFeature`] are the caller's to fix; the others mean the rendered
/// crate has a shape this stage does not handle (a generator bug).
#[derive(Debug, thiserror::Error)]
pub enum ModuleError {
    #[error(
        "module path `{given}` {problem}: give the path at which the file is included, \
         `crate` or `crate::name::..` (for example `crate::chime`)"
    )]
    ModulePath { given: String, problem: String },
    #[error(
        "the generated crate has no feature `{feature}`; its features are: {}",
        .known.join(", ")
    )]
    UnknownFeature { feature: String, known: Vec<String> },
    #[error("the rendered crate has no `{0}`")]
    MissingFile(String),
    #[error("the rendered crate's Cargo.toml cannot be read: {0}")]
    Manifest(String),
    #[error("rendered `{path}` does not parse: {source}")]
    Syntax { path: String, source: syn::Error },
    #[error(
        "`{file}` declares `mod {module};` but the crate has neither `{}` nor `{}`",
        .candidates[0], .candidates[1]
    )]
    MissingModule {
        file: String,
        module: String,
        candidates: [String; 2],
    },
    #[error("rendered `{0}` is not declared as a module by any file reachable from src/lib.rs")]
    Unreachable(String),
    #[error("{0} cannot be carried into an included module")]
    Unsupported(String),
}

/// Where the module is included: `crate` or `crate::a::b`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModulePath {
    /// The segments after `crate`.
    segments: Vec<Ident>,
}

impl std::str::FromStr for ModulePath {
    type Err = ModuleError;

    fn from_str(given: &str) -> Result<Self, ModuleError> {
        let problem = |problem: &str| ModuleError::ModulePath {
            given: given.to_owned(),
            problem: problem.to_owned(),
        };
        let path: syn::Path = syn::parse_str(given).map_err(|_| problem("is not a Rust path"))?;
        if path.leading_colon.is_some() || path.segments[0].ident != "crate" {
            return Err(problem("does not start with `crate`"));
        }
        let mut segments = Vec::new();
        for segment in path.segments.iter().skip(1) {
            if !segment.arguments.is_none() {
                return Err(problem("has generic arguments"));
            }
            if ["crate", "self", "super", "Self"].contains(&segment.ident.to_string().as_str()) {
                return Err(problem("names a module by a path keyword after `crate`"));
            }
            segments.push(segment.ident.clone());
        }
        Ok(Self { segments })
    }
}

impl std::fmt::Display for ModulePath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("crate")?;
        self.segments.iter().try_for_each(|s| write!(f, "::{s}"))
    }
}

/// Dependency name → the features of it that are turned on.
type DependencyFeatures = BTreeMap<String, BTreeSet<String>>;

/// The generated crate's features that are on, and what they turn on in dependencies.
struct Enabled {
    features: BTreeSet<String>,
    dependency_features: DependencyFeatures,
}

/// The rendered crate's `Cargo.toml`, as far as the module needs it.
struct Manifest {
    package: toml::Table,
    features: toml::Table,
    dependencies: toml::Table,
}

impl Manifest {
    fn of(files: &[File]) -> Result<Self, ModuleError> {
        let file = files
            .iter()
            .find(|f| f.path == "Cargo.toml")
            .ok_or_else(|| ModuleError::MissingFile("Cargo.toml".into()))?;
        let mut table: toml::Table =
            toml::from_str(&file.contents).map_err(|e| ModuleError::Manifest(e.to_string()))?;
        let mut section = |name: &str| match table.remove(name) {
            Some(toml::Value::Table(t)) => Ok(t),
            None => Ok(toml::Table::new()),
            Some(_) => Err(ModuleError::Manifest(format!("[{name}] is not a table"))),
        };
        Ok(Self {
            package: section("package")?,
            features: section("features")?,
            dependencies: section("dependencies")?,
        })
    }

    /// Every crate feature enabled by `requested` plus `default`, as Cargo enables them,
    /// and the features that turns on in the dependencies.
    fn enable(&self, requested: &BTreeSet<String>) -> Result<Enabled, ModuleError> {
        if let Some(unknown) = requested.iter().find(|f| !self.features.contains_key(*f)) {
            return Err(ModuleError::UnknownFeature {
                feature: unknown.clone(),
                known: self.features.keys().cloned().collect(),
            });
        }
        let mut enabled = BTreeSet::new();
        let mut dependency_features = DependencyFeatures::new();
        let mut pending: Vec<String> = requested.iter().cloned().collect();
        if self.features.contains_key("default") {
            pending.push("default".into());
        }
        while let Some(feature) = pending.pop() {
            if !enabled.insert(feature.clone()) {
                continue;
            }
            let entries = self.features.get(&feature).and_then(toml::Value::as_array);
            for entry in entries
                .into_iter()
                .flatten()
                .filter_map(toml::Value::as_str)
            {
                match entry.split_once('/') {
                    Some((dependency, feature)) => {
                        dependency_features
                            .entry(dependency.trim_end_matches('?').to_owned())
                            .or_default()
                            .insert(feature.to_owned());
                    }
                    None if !entry.starts_with("dep:") => pending.push(entry.to_owned()),
                    None => {}
                }
            }
        }
        Ok(Enabled {
            features: enabled,
            dependency_features,
        })
    }

    /// `name = value` lines of the `[dependencies]` an including crate needs: the
    /// generated crate's, with the features the enabled ones turn on.
    fn dependency_lines(&self, features: &DependencyFeatures) -> Vec<String> {
        self.dependencies
            .iter()
            .map(|(name, spec)| {
                let Some(extra) = features.get(name) else {
                    return format!("{name} = {spec}");
                };
                let mut spec = match spec {
                    toml::Value::Table(t) => t.clone(),
                    version => toml::Table::from_iter([("version".to_owned(), version.clone())]),
                };
                let mut all: BTreeSet<String> = spec
                    .get("features")
                    .and_then(toml::Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect();
                all.extend(extra.iter().cloned());
                let all = all.into_iter().map(toml::Value::String).collect();
                spec.insert("features".into(), toml::Value::Array(all));
                format!("{name} = {}", toml::Value::Table(spec))
            })
            .collect()
    }
}

/// The header line under which the module lists, one `// name = spec` line each, the
/// `[dependencies]` an including crate needs.
pub const DEPENDENCIES_HEADER: &str = "// [dependencies]";

/// Assembles the crate's `files` into one module included at `module_path`, with the
/// generated crate's `features` (besides its default ones) compiled in.
pub fn assemble(
    files: &[File],
    module_path: &ModulePath,
    features: &BTreeSet<String>,
) -> Result<String, ModuleError> {
    let manifest = Manifest::of(files)?;
    let Enabled {
        features: enabled,
        dependency_features,
    } = manifest.enable(features)?;
    let mut tree = inline_modules(files)?;
    lift_crate_attributes(&mut tree)?;
    let mut rewrite = Rewrite {
        module: &module_path.segments,
        enabled: &enabled,
        package: &manifest.package,
        problems: Vec::new(),
    };
    rewrite.visit_file_mut(&mut tree);
    if let Some(problem) = rewrite.problems.into_iter().next() {
        return Err(ModuleError::Unsupported(problem));
    }
    let mut header = format!(
        "// @generated by chime-caps-codegen (Generator::generate_module) from the Smithy model.\n\
         // Do not edit: the build script rewrites it. Include it as the module `{module_path}`;\n\
         // its paths name that module.\n\
         // Features of the generated crate compiled in: {}.\n\
         // The including crate needs these dependencies:\n{DEPENDENCIES_HEADER}\n",
        enabled.iter().cloned().collect::<Vec<_>>().join(", ")
    );
    for line in manifest.dependency_lines(&dependency_features) {
        header.push_str(&format!("// {line}\n"));
    }
    Ok(format!("{header}\n{}", prettyplease::unparse(&tree)))
}

/// The crate as one tree: `src/lib.rs` with every `mod x;` replaced by its file.
fn inline_modules(files: &[File]) -> Result<syn::File, ModuleError> {
    let sources: BTreeMap<&str, &str> = files
        .iter()
        .filter(|f| f.path.ends_with(".rs"))
        .map(|f| (f.path.as_str(), f.contents.as_str()))
        .collect();
    let mut used = BTreeSet::new();
    let root = parse_inlined("src/lib.rs", &sources, &mut used)?;
    if let Some(unused) = sources.keys().find(|path| !used.contains(*path)) {
        return Err(ModuleError::Unreachable((*unused).to_owned()));
    }
    Ok(root)
}

fn parse_inlined<'a>(
    path: &'a str,
    sources: &BTreeMap<&'a str, &'a str>,
    used: &mut BTreeSet<&'a str>,
) -> Result<syn::File, ModuleError> {
    let source = sources
        .get(path)
        .ok_or_else(|| ModuleError::MissingFile(path.to_owned()))?;
    used.insert(path);
    let mut file = syn::parse_file(source).map_err(|source| ModuleError::Syntax {
        path: path.to_owned(),
        source,
    })?;
    // Children of `lib.rs` and `mod.rs` sit beside them; those of `a.rs` under `a/`.
    let dir = match path.rsplit_once('/') {
        Some((dir, "lib.rs" | "mod.rs")) => dir.to_owned(),
        _ => path.trim_end_matches(".rs").to_owned(),
    };
    for item in &mut file.items {
        let Item::Mod(module) = item else { continue };
        if module.content.is_some() {
            continue;
        }
        if module.attrs.iter().any(|a| a.path().is_ident("path")) {
            return Err(ModuleError::Unsupported(format!(
                "`#[path]` on `mod {}` in `{path}`",
                module.ident
            )));
        }
        let name = module.ident.unraw().to_string();
        let candidates = [format!("{dir}/{name}.rs"), format!("{dir}/{name}/mod.rs")];
        let (child_path, _) = sources
            .get_key_value(candidates[0].as_str())
            .or_else(|| sources.get_key_value(candidates[1].as_str()))
            .ok_or_else(|| ModuleError::MissingModule {
                file: path.to_owned(),
                module: name.clone(),
                candidates: candidates.clone(),
            })?;
        let child = parse_inlined(child_path, sources, used)?;
        // The file's inner attributes (`//!`) apply to the module item: written outer, as
        // a module mixing both styles is linted (`clippy::mixed_attributes_style`).
        module.attrs.extend(child.attrs.into_iter().map(|mut attr| {
            attr.style = syn::AttrStyle::Outer;
            attr
        }));
        module.content = Some((Default::default(), child.items));
        module.semi = None;
    }
    Ok(file)
}

/// Moves the root's inner lint attributes onto every top-level item and drops its docs.
/// The items also allow `dead_code` and `unused_imports`: a crate that includes a
/// client calls part of it, and the rest is unused by design (a library crate exports
/// it instead).
fn lift_crate_attributes(tree: &mut syn::File) -> Result<(), ModuleError> {
    const LINT_LEVELS: &[&str] = &["allow", "expect", "warn", "deny", "forbid"];
    let mut lints: Vec<Attribute> = vec![syn::parse_quote!(#[allow(dead_code, unused_imports)])];
    for mut attr in std::mem::take(&mut tree.attrs) {
        if attr.path().is_ident("doc") {
            continue;
        }
        if !LINT_LEVELS.iter().any(|level| attr.path().is_ident(level)) {
            return Err(ModuleError::Unsupported(format!(
                "the crate attribute `{}`",
                attr.to_token_stream()
            )));
        }
        attr.style = syn::AttrStyle::Outer;
        lints.push(attr);
    }
    for item in &mut tree.items {
        item_attrs(item)
            .ok_or_else(|| ModuleError::Unsupported("an unparsed top-level item".into()))?
            .extend(lints.iter().cloned());
    }
    Ok(())
}

fn item_attrs(item: &mut Item) -> Option<&mut Vec<Attribute>> {
    Some(match item {
        Item::Const(i) => &mut i.attrs,
        Item::Enum(i) => &mut i.attrs,
        Item::ExternCrate(i) => &mut i.attrs,
        Item::Fn(i) => &mut i.attrs,
        Item::ForeignMod(i) => &mut i.attrs,
        Item::Impl(i) => &mut i.attrs,
        Item::Macro(i) => &mut i.attrs,
        Item::Mod(i) => &mut i.attrs,
        Item::Static(i) => &mut i.attrs,
        Item::Struct(i) => &mut i.attrs,
        Item::Trait(i) => &mut i.attrs,
        Item::TraitAlias(i) => &mut i.attrs,
        Item::Type(i) => &mut i.attrs,
        Item::Union(i) => &mut i.attrs,
        Item::Use(i) => &mut i.attrs,
        _ => return None,
    })
}

fn impl_item_attrs(item: &mut ImplItem) -> Option<&mut Vec<Attribute>> {
    Some(match item {
        ImplItem::Const(i) => &mut i.attrs,
        ImplItem::Fn(i) => &mut i.attrs,
        ImplItem::Type(i) => &mut i.attrs,
        ImplItem::Macro(i) => &mut i.attrs,
        _ => return None,
    })
}

/// The value of a cfg predicate in the module, when the generator can decide it:
/// `feature = ".."` from the enabled features, `test` false, anything else unknown.
fn evaluate(predicate: &Meta, enabled: &BTreeSet<String>) -> Option<bool> {
    match predicate {
        Meta::NameValue(nv) if nv.path.is_ident("feature") => match &nv.value {
            Expr::Lit(syn::ExprLit {
                lit: Lit::Str(s), ..
            }) => Some(enabled.contains(&s.value())),
            _ => None,
        },
        Meta::Path(p) if p.is_ident("test") => Some(false),
        Meta::List(list) => {
            let args = list
                .parse_args_with(Punctuated::<Meta, syn::Token![,]>::parse_terminated)
                .ok()?;
            let values: Vec<Option<bool>> = args.iter().map(|a| evaluate(a, enabled)).collect();
            if list.path.is_ident("all") {
                if values.contains(&Some(false)) {
                    Some(false)
                } else {
                    values.iter().all(Option::is_some).then_some(true)
                }
            } else if list.path.is_ident("any") {
                if values.contains(&Some(true)) {
                    Some(true)
                } else {
                    values.iter().all(Option::is_some).then_some(false)
                }
            } else if list.path.is_ident("not") && values.len() == 1 {
                values[0].map(|v| !v)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// `predicate` with what the generator decides replaced by `all()` (true) or `any()`
/// (false), so that what is left depends only on the includer's build.
fn substitute(predicate: &Meta, enabled: &BTreeSet<String>) -> TokenStream {
    if let Some(value) = evaluate(predicate, enabled) {
        return if value { quote!(all()) } else { quote!(any()) };
    }
    match predicate {
        Meta::List(list) => {
            match list.parse_args_with(Punctuated::<Meta, syn::Token![,]>::parse_terminated) {
                Ok(args) => {
                    let path = &list.path;
                    let args = args.iter().map(|a| substitute(a, enabled));
                    quote!(#path(#(#args),*))
                }
                Err(_) => predicate.to_token_stream(),
            }
        }
        _ => predicate.to_token_stream(),
    }
}

/// The value of `#[cfg(..)]` attributes the generator decides: drops those that are true
/// and returns false when one is false (the element goes).
fn resolve_cfg(attrs: &mut Vec<Attribute>, enabled: &BTreeSet<String>) -> bool {
    let mut keep = true;
    attrs.retain(|attr| {
        if !attr.path().is_ident("cfg") {
            return true;
        }
        match attr
            .parse_args::<Meta>()
            .ok()
            .and_then(|p| evaluate(&p, enabled))
        {
            Some(value) => {
                keep &= value;
                false
            }
            None => true,
        }
    });
    keep
}

/// The tree walk that adapts the crate's code to the module (see the module docs).
struct Rewrite<'a> {
    /// The module's segments after `crate`.
    module: &'a [Ident],
    enabled: &'a BTreeSet<String>,
    package: &'a toml::Table,
    problems: Vec<String>,
}

impl Rewrite<'_> {
    fn retain_items(&self, items: &mut Vec<Item>) {
        items.retain_mut(|item| item_attrs(item).is_none_or(|a| resolve_cfg(a, self.enabled)));
    }

    /// In `<T as crate::x::Trait>::Item` the path holds the trait's segments and then the
    /// item's; `position` counts the trait's, which the module's segments lengthen.
    fn shift_qself(&self, qself: &mut Option<syn::QSelf>, path: &syn::Path) {
        if let Some(qself) = qself {
            if qself.position > 0 && names_crate_item(path) {
                qself.position += self.module.len();
            }
        }
    }

    /// `crate::x` → `crate::<module>::x` in a token stream (`$crate` too: in a macro
    /// defined in the module it names the includer).
    fn rewrite_tokens(&self, tokens: TokenStream) -> TokenStream {
        let mut out = Vec::new();
        let mut tokens = tokens.into_iter().peekable();
        while let Some(token) = tokens.next() {
            match token {
                TokenTree::Group(group) => {
                    let mut rewritten =
                        Group::new(group.delimiter(), self.rewrite_tokens(group.stream()));
                    rewritten.set_span(group.span());
                    out.push(TokenTree::Group(rewritten));
                }
                TokenTree::Ident(ident) if ident == "crate" => {
                    let path_follows = matches!(
                        tokens.peek(),
                        Some(TokenTree::Punct(p)) if p.as_char() == ':' && p.spacing() == Spacing::Joint
                    );
                    out.push(TokenTree::Ident(ident));
                    if path_follows {
                        for segment in self.module {
                            out.push(Punct::new(':', Spacing::Joint).into());
                            out.push(Punct::new(':', Spacing::Alone).into());
                            out.push(segment.clone().into());
                        }
                    }
                }
                other => out.push(other),
            }
        }
        out.into_iter().collect()
    }

    /// `crate::x` → `crate::<module>::x` where a doc string names a path: link targets
    /// `(crate::..)`, shortcut links `[crate::..]` and code `` `crate::..` ``.
    fn rewrite_doc(&self, doc: &str) -> String {
        let module: String = self.module.iter().map(|s| format!("{s}::")).collect();
        ["(", "[", "`"].iter().fold(doc.to_owned(), |doc, opener| {
            doc.replace(
                &format!("{opener}crate::"),
                &format!("{opener}crate::{module}"),
            )
        })
    }

    /// `env!("CARGO_PKG_VERSION")` and its siblings: the generated manifest's value.
    fn package_value(&mut self, mac: &syn::Macro) -> Option<Expr> {
        let variable = mac.parse_body::<LitStr>().ok()?.value();
        let key = variable
            .strip_prefix("CARGO_PKG_")?
            .to_lowercase()
            .replace('_', "-");
        match self.package.get(&key).and_then(toml::Value::as_str) {
            Some(value) => Some(syn::parse_quote!(#value)),
            None => {
                self.problems.push(format!(
                    "`env!(\"{variable}\")` (the generated Cargo.toml has no package.{key})"
                ));
                None
            }
        }
    }
}

impl VisitMut for Rewrite<'_> {
    fn visit_file_mut(&mut self, file: &mut syn::File) {
        self.retain_items(&mut file.items);
        visit_mut::visit_file_mut(self, file);
    }

    fn visit_item_mod_mut(&mut self, module: &mut syn::ItemMod) {
        if let Some((_, items)) = &mut module.content {
            self.retain_items(items);
        }
        visit_mut::visit_item_mod_mut(self, module);
    }

    fn visit_item_impl_mut(&mut self, item: &mut syn::ItemImpl) {
        let enabled = self.enabled;
        item.items
            .retain_mut(|i| impl_item_attrs(i).is_none_or(|a| resolve_cfg(a, enabled)));
        visit_mut::visit_item_impl_mut(self, item);
    }

    fn visit_attribute_mut(&mut self, attr: &mut Attribute) {
        match &mut attr.meta {
            Meta::List(list) if list.path.is_ident("cfg") || list.path.is_ident("cfg_attr") => {
                let parsed =
                    list.parse_args_with(Punctuated::<Meta, syn::Token![,]>::parse_terminated);
                // The predicate comes first; `cfg_attr`'s attributes follow it.
                if let Some((predicate, rest)) = parsed.as_ref().ok().and_then(|a| {
                    let mut args = a.iter();
                    Some((args.next()?, args))
                }) {
                    let mut tokens = substitute(predicate, self.enabled);
                    for attr in rest {
                        tokens.extend(quote!(, #attr));
                    }
                    list.tokens = self.rewrite_tokens(tokens);
                }
            }
            Meta::List(list) => list.tokens = self.rewrite_tokens(std::mem::take(&mut list.tokens)),
            Meta::NameValue(nv) if nv.path.is_ident("doc") && !self.module.is_empty() => {
                if let Expr::Lit(syn::ExprLit {
                    lit: Lit::Str(doc), ..
                }) = &mut nv.value
                {
                    *doc = LitStr::new(&self.rewrite_doc(&doc.value()), doc.span());
                }
            }
            _ => {}
        }
    }

    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::Macro(m) = expr {
            if m.mac.path.is_ident("cfg") {
                if let Ok(predicate) = m.mac.parse_body::<Meta>() {
                    match evaluate(&predicate, self.enabled) {
                        Some(value) => *expr = syn::parse_quote!(#value),
                        None => m.mac.tokens = substitute(&predicate, self.enabled),
                    }
                }
                return;
            }
            if m.mac.path.is_ident("env") {
                if let Some(value) = self.package_value(&m.mac) {
                    *expr = value;
                }
                return;
            }
        }
        visit_mut::visit_expr_mut(self, expr);
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        mac.tokens = self.rewrite_tokens(std::mem::take(&mut mac.tokens));
        visit_mut::visit_macro_mut(self, mac);
    }

    fn visit_type_path_mut(&mut self, path: &mut syn::TypePath) {
        self.shift_qself(&mut path.qself, &path.path);
        visit_mut::visit_type_path_mut(self, path);
    }

    fn visit_expr_path_mut(&mut self, path: &mut syn::ExprPath) {
        self.shift_qself(&mut path.qself, &path.path);
        visit_mut::visit_expr_path_mut(self, path);
    }

    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if names_crate_item(path) {
            let rest: Vec<syn::PathSegment> = path.segments.iter().skip(1).cloned().collect();
            path.segments = std::iter::once(path.segments[0].clone())
                .chain(self.module.iter().cloned().map(syn::PathSegment::from))
                .chain(rest)
                .collect();
        }
        visit_mut::visit_path_mut(self, path);
    }

    fn visit_item_use_mut(&mut self, item: &mut syn::ItemUse) {
        if item.leading_colon.is_none() {
            rewrite_use_root(&mut item.tree, self.module);
        }
        visit_mut::visit_item_use_mut(self, item);
    }
}

/// Whether `path` is `crate::..` (and not the visibility `crate`).
fn names_crate_item(path: &syn::Path) -> bool {
    path.leading_colon.is_none() && path.segments.len() > 1 && path.segments[0].ident == "crate"
}

/// `use crate::x` (or `use {crate::x, ..}`) → `use crate::<module>::x`.
fn rewrite_use_root(tree: &mut UseTree, module: &[Ident]) {
    match tree {
        UseTree::Path(path) if path.ident == "crate" => {
            let placeholder = UseTree::Glob(syn::UseGlob {
                star_token: Default::default(),
            });
            let rest = std::mem::replace(&mut *path.tree, placeholder);
            *path.tree = module.iter().rev().fold(rest, |tree, segment| {
                UseTree::Path(syn::UsePath {
                    ident: segment.clone(),
                    colon2_token: Default::default(),
                    tree: Box::new(tree),
                })
            });
        }
        UseTree::Group(group) => {
            for tree in &mut group.items {
                rewrite_use_root(tree, module);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = r#"
[package]
name = "toy"
version = "1.2.3"

[features]
default = ["a"]
a = ["dep-one/x"]
b = []
c = ["b", "dep-two/y"]

[dependencies]
dep-one = "1"
dep-two = { version = "2", default-features = false }
"#;

    /// A crate of `rust` files (path, source) with the toy manifest.
    fn toy(rust: &[(&str, &str)]) -> Vec<File> {
        std::iter::once(("Cargo.toml", MANIFEST))
            .chain(rust.iter().copied())
            .map(|(path, contents)| File {
                path: path.into(),
                contents: contents.into(),
            })
            .collect()
    }

    fn assemble_toy(
        rust: &[(&str, &str)],
        module_path: &str,
        features: &[&str],
    ) -> Result<String, ModuleError> {
        let features = features.iter().map(|f| f.to_string()).collect();
        assemble(&toy(rust), &module_path.parse().unwrap(), &features)
    }

    /// The module's code without its header.
    fn body(module: &str) -> &str {
        module.split_once("\n\n").expect("a header").1
    }

    fn formatted(source: &str) -> String {
        prettyplease::unparse(&syn::parse_file(source).unwrap())
    }

    /// Every top-level item of a lib.rs without crate attributes gets these.
    const LINTS: &str = "#[allow(dead_code, unused_imports)]";

    #[test]
    fn module_paths_start_with_crate() {
        for good in ["crate", "crate::chime", "crate::a::r#type"] {
            let path: ModulePath = good.parse().unwrap();
            assert_eq!(path.to_string(), good);
        }
        for (bad, problem) in [
            ("chime", "does not start with `crate`"),
            ("::crate::chime", "does not start with `crate`"),
            ("crate::super", "path keyword"),
            ("crate::a<T>", "generic arguments"),
            ("crate::", "is not a Rust path"),
        ] {
            let err = bad.parse::<ModulePath>().unwrap_err().to_string();
            assert!(err.contains(problem), "{bad}: {err}");
            assert!(err.contains("for example `crate::chime`"), "{err}");
        }
    }

    #[test]
    fn files_become_inline_modules_under_the_crate_lints() {
        let module = assemble_toy(
            &[
                (
                    "src/lib.rs",
                    "#![allow(clippy::x)]\n#![forbid(unsafe_code)]\n//! Crate docs.\n\
                     pub mod a;\nmod c;\npub use a::A;",
                ),
                ("src/a.rs", "//! Module a.\npub mod b;\npub struct A;"),
                ("src/a/b.rs", "pub struct B;"),
                ("src/c/mod.rs", "mod d;"),
                ("src/c/d.rs", "struct D;"),
            ],
            "crate",
            &[],
        )
        .unwrap();
        let lints = format!("{LINTS} #[allow(clippy::x)] #[forbid(unsafe_code)]");
        assert_eq!(
            body(&module),
            formatted(&format!(
                "/// Module a.\n {lints} pub mod a {{ pub mod b {{ pub struct B; }} pub struct A; }}
                 {lints} mod c {{ mod d {{ struct D; }} }}
                 {lints} pub use a::A;"
            ))
        );
    }

    #[test]
    fn crate_paths_name_the_module_everywhere() {
        let lib = r#"
            use crate::x::Y;
            use {crate::x::Z, std::fmt};
            pub(crate) fn f(v: Vec<crate::x::Y>) -> <crate::x::Y as crate::x::T>::Out {
                crate::x::g!(crate::x::h(), pub(crate) v);
                crate::x::h()
            }
            pub(in crate::x) struct S;
            /// See [`Y`](crate::x::Y), [crate::x::Z] and `crate::x`; a crate::x in prose stays.
            macro_rules! m { () => { $crate::x::Y }; }
            #[derive(crate::x::D)]
            struct E;
        "#;
        let module = assemble_toy(&[("src/lib.rs", lib)], "crate::a::b", &[]).unwrap();
        let expected = r#"
            use crate::a::b::x::Y;
            use {crate::a::b::x::Z, std::fmt};
            pub(crate) fn f(v: Vec<crate::a::b::x::Y>) -> <crate::a::b::x::Y as crate::a::b::x::T>::Out {
                crate::a::b::x::g!(crate::a::b::x::h(), pub(crate) v);
                crate::a::b::x::h()
            }
            pub(in crate::a::b::x) struct S;
            /// See [`Y`](crate::a::b::x::Y), [crate::a::b::x::Z] and `crate::a::b::x`; a crate::x in prose stays.
            macro_rules! m { () => { $crate::a::b::x::Y }; }
            #[derive(crate::a::b::x::D)]
            struct E;
        "#;
        // Each of the six top-level items carries the module's lints after its own attributes.
        assert_eq!(body(&module).matches(LINTS).count(), 6, "{module}");
        let strip = |s: &str| s.replace(&format!("{LINTS}\n"), "");
        assert_eq!(strip(body(&module)), formatted(expected));

        let unchanged = assemble_toy(&[("src/lib.rs", lib)], "crate", &[]).unwrap();
        assert_eq!(strip(body(&unchanged)), formatted(lib));
    }

    #[test]
    fn features_are_decided_at_generation_time() {
        let lib = r#"
            #[cfg(feature = "a")] pub fn on() {}
            #[cfg(feature = "b")] pub fn off() {}
            #[cfg(test)] mod tests {}
            #[cfg(all(unix, feature = "b"))] fn never() {}
            #[cfg(any(unix, feature = "b"))] fn unix_or_b() {}
            #[cfg(not(feature = "b"))] fn not_b() {}
            pub struct S;
            impl S { #[cfg(feature = "a")] pub fn x() {} #[cfg(feature = "b")] pub fn y() {} }
            pub fn flags() -> (bool, bool, bool) {
                (cfg!(feature = "a"), cfg!(feature = "b"), cfg!(all(unix, feature = "a")))
            }
            #[cfg_attr(feature = "b", derive(Debug))] pub struct D;
            pub fn g() { #[cfg(feature = "b")] let x = 1; }
        "#;
        let without_b = r#"
            pub fn on() {}
            fn unix_or_b() {}
            fn not_b() {}
            pub struct S;
            impl S { pub fn x() {} }
            pub fn flags() -> (bool, bool, bool) { (true, false, cfg!(all(unix, all()))) }
            #[cfg_attr(any(), derive(Debug))] pub struct D;
            pub fn g() { #[cfg(any())] let x = 1; }
        "#;
        let with_c = r#"
            pub fn on() {}
            pub fn off() {}
            #[cfg(all(unix, all()))] fn never() {}
            fn unix_or_b() {}
            pub struct S;
            impl S { pub fn x() {} pub fn y() {} }
            pub fn flags() -> (bool, bool, bool) { (true, true, cfg!(all(unix, all()))) }
            #[cfg_attr(all(), derive(Debug))] pub struct D;
            pub fn g() { #[cfg(all())] let x = 1; }
        "#;
        // `unix_or_b` without b: only `unix` is left to decide.
        let without_b = without_b.replace("fn unix_or_b", "#[cfg(any(unix, any()))] fn unix_or_b");
        for (features, expected) in [(&[][..], without_b.as_str()), (&["c"][..], with_c)] {
            let module = assemble_toy(&[("src/lib.rs", lib)], "crate", features).unwrap();
            let code = body(&module).replace(&format!("{LINTS}\n"), "");
            assert_eq!(code, formatted(expected), "features {features:?}");
        }
    }

    #[test]
    fn the_header_lists_features_and_dependencies() {
        let lib = [("src/lib.rs", "pub struct S;")];
        let header = |features: &[&str]| {
            let module = assemble_toy(&lib, "crate::toy", features).unwrap();
            module.split_once("\n\n").unwrap().0.to_owned()
        };
        let default = header(&[]);
        assert!(default.contains("module `crate::toy`"), "{default}");
        assert!(default.contains("compiled in: a, default."), "{default}");
        let dependencies = default.split_once(DEPENDENCIES_HEADER).unwrap().1;
        assert_eq!(
            dependencies.trim(),
            "// dep-one = { features = [\"x\"], version = \"1\" }\n\
             // dep-two = { default-features = false, version = \"2\" }"
        );
        let with_c = header(&["c"]);
        assert!(
            with_c.contains("compiled in: a, b, c, default."),
            "{with_c}"
        );
        assert!(
            with_c.contains(
                "// dep-two = { default-features = false, features = [\"y\"], version = \"2\" }"
            ),
            "{with_c}"
        );

        let err = assemble_toy(&lib, "crate", &["zzz"])
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "the generated crate has no feature `zzz`; its features are: a, b, c, default"
        );
    }

    #[test]
    fn package_variables_are_the_generated_manifests() {
        let lib = r#"pub static V: &str = env!("CARGO_PKG_VERSION");
                     pub static N: &str = env!("CARGO_PKG_NAME");
                     pub static H: &str = env!("HOME");"#;
        let module = assemble_toy(&[("src/lib.rs", lib)], "crate", &[]).unwrap();
        let code = body(&module).replace(&format!("{LINTS}\n"), "");
        assert_eq!(
            code,
            formatted(
                r#"pub static V: &str = "1.2.3"; pub static N: &str = "toy";
                   pub static H: &str = env!("HOME");"#
            )
        );
        let lib = r#"pub static A: &str = env!("CARGO_PKG_AUTHORS");"#;
        let err = assemble_toy(&[("src/lib.rs", lib)], "crate", &[]).unwrap_err();
        assert!(err.to_string().contains("package.authors"), "{err}");
    }

    #[test]
    fn crates_the_stage_cannot_carry_are_refused() {
        let cases: [(&[(&str, &str)], &str); 4] = [
            (
                &[("src/lib.rs", "mod gone;")],
                "`src/lib.rs` declares `mod gone;` but the crate has neither `src/gone.rs` nor `src/gone/mod.rs`",
            ),
            (
                &[("src/lib.rs", ""), ("src/stray.rs", "")],
                "rendered `src/stray.rs` is not declared as a module",
            ),
            (
                &[("src/lib.rs", "#![no_std]")],
                "the crate attribute `# ! [no_std]` cannot be carried",
            ),
            (&[("src/a.rs", "")], "the rendered crate has no `src/lib.rs`"),
        ];
        for (files, message) in cases {
            let err = assemble_toy(files, "crate", &[]).unwrap_err().to_string();
            assert!(err.contains(message), "{err}");
        }
    }
}
