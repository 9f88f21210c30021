//! Auth scheme resolution (`config::auth` of a generated crate): which schemes an
//! operation may use, SigV4 unless its model says otherwise.

use std::borrow::Cow;
use std::collections::HashMap;

use aws_smithy_runtime::client::auth::no_auth::NO_AUTH_SCHEME_ID;
use aws_smithy_runtime_api::client::auth::{
    AuthSchemeOption, AuthSchemeOptionResolverParams, AuthSchemeOptionsFuture,
    ResolveAuthSchemeOptions, SharedAuthSchemeOptionResolver,
};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::{ConfigBag, Storable, StoreReplace};

/// Resolves the auth schemes an operation may use, in order of preference.
pub trait ResolveAuthScheme: Send + Sync + std::fmt::Debug {
    /// The schemes for `params`.
    fn resolve_auth_scheme<'a>(
        &'a self,
        params: &'a Params,
        cfg: &'a ConfigBag,
        runtime_components: &'a RuntimeComponents,
    ) -> AuthSchemeOptionsFuture<'a>;

    /// This resolver as the orchestrator's shared resolver.
    fn into_shared_resolver(self) -> SharedAuthSchemeOptionResolver
    where
        Self: Sized + 'static,
    {
        SharedAuthSchemeOptionResolver::new(DowncastParams(self))
    }
}

#[derive(Debug)]
struct DowncastParams<T>(T);

impl<T: ResolveAuthScheme> ResolveAuthSchemeOptions for DowncastParams<T> {
    fn resolve_auth_scheme_options_v2<'a>(
        &'a self,
        params: &'a AuthSchemeOptionResolverParams,
        cfg: &'a ConfigBag,
        runtime_components: &'a RuntimeComponents,
    ) -> AuthSchemeOptionsFuture<'a> {
        match params.get::<Params>() {
            Some(params) => self.0.resolve_auth_scheme(params, cfg, runtime_components),
            None => AuthSchemeOptionsFuture::ready(Err(
                "auth scheme parameters of an unexpected type".into(),
            )),
        }
    }
}

/// The auth schemes an operation may use, from its model's `@auth` and `@optionalAuth`:
/// what the default resolver offers for it, in order of preference.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperationAuth {
    /// SigV4 only (the default).
    SigV4,
    /// SigV4, or unsigned when no credentials are configured (`@optionalAuth`).
    SigV4OrNone,
    /// Unsigned (`@auth([])`).
    None,
}

impl Storable for OperationAuth {
    type Storer = StoreReplace<Self>;
}

/// The default resolver: SigV4 unless the operation's plugin says otherwise
/// ([`OperationAuth`]).
#[derive(Debug)]
pub struct DefaultAuthSchemeResolver {
    service_defaults: Vec<AuthSchemeOption>,
    operation_overrides: HashMap<&'static str, Vec<AuthSchemeOption>>,
}

impl Default for DefaultAuthSchemeResolver {
    fn default() -> Self {
        Self {
            service_defaults: vec![AuthSchemeOption::from(aws_runtime::auth::sigv4::SCHEME_ID)],
            operation_overrides: HashMap::new(),
        }
    }
}

impl ResolveAuthScheme for DefaultAuthSchemeResolver {
    fn resolve_auth_scheme<'a>(
        &'a self,
        params: &'a Params,
        cfg: &'a ConfigBag,
        _: &'a RuntimeComponents,
    ) -> AuthSchemeOptionsFuture<'a> {
        if let Some(options) = self.operation_overrides.get(params.operation_name()) {
            return AuthSchemeOptionsFuture::ready(Ok(options.clone()));
        }
        let no_auth = || AuthSchemeOption::from(NO_AUTH_SCHEME_ID);
        let options = match cfg.load::<OperationAuth>() {
            None | Some(OperationAuth::SigV4) => self.service_defaults.clone(),
            Some(OperationAuth::SigV4OrNone) => {
                let mut options = self.service_defaults.clone();
                options.push(no_auth());
                options
            }
            Some(OperationAuth::None) => vec![no_auth()],
        };
        AuthSchemeOptionsFuture::ready(Ok(options))
    }
}

/// What auth scheme resolution knows about a call.
#[derive(Clone, Debug, PartialEq)]
pub struct Params {
    operation_name: Cow<'static, str>,
}

impl Params {
    /// A builder.
    pub fn builder() -> ParamsBuilder {
        ParamsBuilder::default()
    }

    /// The operation's name.
    pub fn operation_name(&self) -> &str {
        &self.operation_name
    }
}

/// Builds [`Params`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ParamsBuilder {
    operation_name: Option<Cow<'static, str>>,
}

impl ParamsBuilder {
    /// Sets the operation name (required).
    pub fn operation_name(self, operation_name: impl Into<Cow<'static, str>>) -> Self {
        self.set_operation_name(Some(operation_name.into()))
    }

    /// Sets or clears the operation name.
    pub fn set_operation_name(mut self, operation_name: Option<Cow<'static, str>>) -> Self {
        self.operation_name = operation_name;
        self
    }

    /// The parameters; fails when the operation name is unset.
    pub fn build(self) -> Result<Params, BuildError> {
        Ok(Params {
            operation_name: self.operation_name.ok_or(BuildError {
                field: "operation_name",
            })?,
        })
    }
}

/// A required parameter was not set.
#[derive(Debug)]
pub struct BuildError {
    field: &'static str,
}

impl std::fmt::Display for BuildError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "auth scheme parameter `{}` is required but was not set",
            self.field
        )
    }
}

impl std::error::Error for BuildError {}
