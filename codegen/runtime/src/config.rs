//! Client configuration as the official SDKs store it: a config layer and runtime
//! components holding only what the user set, so the runtime's defaults for the
//! behavior version (retries, timeouts, stalled-stream protection, identity cache)
//! apply to everything else.
//!
//! A generated crate's `config::Builder` and `Config` wrap [`ConfigBuilder`] and
//! [`ServiceConfig`] with the official method names and describe their service with
//! one [`ServiceInfo`].

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use aws_smithy_runtime::client::defaults::{default_plugins, DefaultPluginParams};
use aws_smithy_runtime::client::retries::RetryPartition;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::behavior_version::BehaviorVersion;
use aws_smithy_runtime_api::client::endpoint::{EndpointResolverParams, SharedEndpointResolver};
use aws_smithy_runtime_api::client::interceptors::SharedInterceptor;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponentsBuilder;
use aws_smithy_runtime_api::client::runtime_plugin::{
    Order, RuntimePlugin, RuntimePlugins, SharedRuntimePlugin, StaticRuntimePlugin,
};
use aws_smithy_runtime_api::shared::IntoShared;
use aws_smithy_types::config_bag::{
    CloneableLayer, ConfigBag, FrozenLayer, Layer, Storable, StoreReplace,
};
use aws_smithy_types::retry::RetryConfig;
use aws_smithy_types::timeout::TimeoutConfig;
use aws_types::endpoint_config::{EndpointUrl, UseDualStack, UseFips};
use aws_types::region::{Region, SigningRegion};
use aws_types::sdk_config::SdkConfig;

use crate::assembly::PluginAssembly;
use crate::auth::ResolveAuthScheme as _;
use crate::idempotency::IdempotencyTokenProvider;

/// What the runtime needs to know about one service: names and its endpoint rules.
#[derive(Debug)]
pub struct ServiceInfo {
    /// The `aws.api#service` sdkId, e.g. `Chime SDK Meetings`.
    pub service_id: &'static str,
    /// The service shape's name, for plugin names.
    pub shape_name: &'static str,
    /// The SigV4 signing name.
    pub signing_name: &'static str,
    /// The default retry partition (the sdkId, lower case, without spaces).
    pub retry_partition: &'static str,
    /// The user agent's `api/<name>#<version>` pair.
    pub api_metadata: aws_runtime::user_agent::ApiMetadata,
    /// The metrics scope: the generated crate's package name.
    pub metrics_scope: &'static str,
    /// Names the config layer, e.g. `my_crate::config::Config`.
    pub config_name: &'static str,
    /// The endpoint parameters of a configuration (they depend on nothing else).
    pub endpoint_params: fn(&EndpointBuiltIns) -> Result<EndpointParams, BoxError>,
    /// The service's default endpoint resolver (its compiled rule set).
    pub default_endpoint_resolver: fn() -> SharedEndpointResolver,
    /// The service has operations with idempotency tokens.
    pub uses_idempotency_tokens: bool,
}

/// The configuration values endpoint rule sets read through their `builtIn`s.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct EndpointBuiltIns {
    /// `AWS::Region`.
    pub region: Option<String>,
    /// `AWS::UseFIPS`.
    pub use_fips: Option<bool>,
    /// `AWS::UseDualStack`.
    pub use_dual_stack: Option<bool>,
    /// `SDK::Endpoint`.
    pub endpoint: Option<String>,
}

impl EndpointBuiltIns {
    fn from_bag(bag: &ConfigBag) -> Self {
        Self {
            region: bag.load::<Region>().map(|r| r.as_ref().to_owned()),
            use_fips: bag.load::<UseFips>().map(|v| v.0),
            use_dual_stack: bag.load::<UseDualStack>().map(|v| v.0),
            endpoint: bag.load::<EndpointUrl>().map(|v| v.0.clone()),
        }
    }
}

/// The endpoint parameters of a configuration: built once per client (or per call with
/// an override) and handed to each call, which needs its own mutable copy. Parameters
/// that could not be built fail each call before anything is sent, with the reason.
#[derive(Debug, Clone)]
pub struct EndpointParams(Result<Arc<dyn ParamsSource>, Arc<str>>);

trait ParamsSource: fmt::Debug + Send + Sync {
    fn resolver_params(&self) -> EndpointResolverParams;
}

impl<T: Clone + fmt::Debug + Send + Sync + 'static> ParamsSource for T {
    fn resolver_params(&self) -> EndpointResolverParams {
        EndpointResolverParams::new(self.clone())
    }
}

impl EndpointParams {
    /// The service's typed parameters.
    pub fn new<T: Clone + fmt::Debug + Send + Sync + 'static>(params: T) -> Self {
        Self(Ok(Arc::new(params)))
    }

    /// Parameters that could not be built, and why.
    fn invalid(reason: impl fmt::Display) -> Self {
        Self(Err(Arc::from(format!(
            "the client configuration gives no valid endpoint parameters: {reason}"
        ))))
    }

    /// A fresh copy for one call, or why there is none.
    pub fn resolver_params(&self) -> Result<EndpointResolverParams, BoxError> {
        match &self.0 {
            // Through the trait object: `Arc<dyn ParamsSource>` is itself a `ParamsSource`.
            Ok(source) => Ok((**source).resolver_params()),
            Err(reason) => Err(reason.to_string().into()),
        }
    }
}

impl Storable for EndpointParams {
    type Storer = StoreReplace<Self>;
}

/// The state behind a generated `config::Builder`.
#[derive(Clone, Debug)]
pub struct ConfigBuilder {
    /// What the orchestrator reads from the config bag.
    pub layer: CloneableLayer,
    /// HTTP client, sleep, time source, identity resolvers, interceptors, ...
    pub components: RuntimeComponentsBuilder,
    /// Extra runtime plugins of every client (or call) built from this config.
    pub plugins: Vec<SharedRuntimePlugin>,
    /// The behavior version, if set.
    pub behavior_version: Option<BehaviorVersion>,
}

impl Default for ConfigBuilder {
    fn default() -> Self {
        Self {
            layer: CloneableLayer::default(),
            components: RuntimeComponentsBuilder::new("service config"),
            plugins: Vec::new(),
            behavior_version: None,
        }
    }
}

/// Stores `value`, or records that the setting was explicitly cleared.
macro_rules! store_or_unset {
    ($($name:ident: $ty:ty),* $(,)?) => {$(
        #[doc = concat!("Sets or clears `", stringify!($ty), "`.")]
        pub fn $name(&mut self, value: Option<$ty>) -> &mut Self {
            self.layer.store_or_unset(value);
            self
        }
    )*};
}

impl ConfigBuilder {
    store_or_unset!(
        set_stalled_stream_protection: aws_smithy_runtime_api::client::stalled_stream_protection::StalledStreamProtectionConfig,
        set_idempotency_token_provider: IdempotencyTokenProvider,
        set_auth_scheme_preference: aws_smithy_runtime_api::client::auth::AuthSchemePreference,
        set_app_name: aws_types::app_name::AppName,
        set_invocation_id_generator: aws_runtime::invocation_id::SharedInvocationIdGenerator,
        set_region: Region,
    );

    /// Adds members whose values are captured (and, when `emit`, emitted) as metric
    /// attributes.
    pub fn request_input_attributes(
        &mut self,
        names: impl IntoIterator<Item = String>,
        emit: bool,
    ) -> &mut Self {
        let mut requested = self
            .layer
            .load::<aws_smithy_types::telemetry::RequestedTelemetryAttributes>()
            .cloned()
            .unwrap_or_default();
        if emit {
            requested.emit(names);
        } else {
            requested.capture_only(names);
        }
        self.layer.store_put(requested);
        self
    }

    /// Sets the retry configuration (`None` leaves it as it was).
    pub fn set_retry_config(&mut self, retry_config: Option<RetryConfig>) -> &mut Self {
        if let Some(retry_config) = retry_config {
            self.layer.store_put(retry_config);
        }
        self
    }

    /// Sets the timeout configuration, keeping earlier values for what it leaves unset
    /// (`None` leaves it as it was).
    pub fn set_timeout_config(&mut self, timeout_config: Option<TimeoutConfig>) -> &mut Self {
        let Some(mut timeout_config) = timeout_config else {
            return self;
        };
        if let Some(base) = self.layer.load::<TimeoutConfig>() {
            timeout_config.take_defaults_from(base);
        }
        self.layer.store_put(timeout_config);
        self
    }

    /// Sets the retry partition (`None` leaves it as it was).
    pub fn set_retry_partition(&mut self, partition: Option<RetryPartition>) -> &mut Self {
        if let Some(partition) = partition {
            self.layer.store_put(partition);
        }
        self
    }

    /// Adds framework metadata to the user agent.
    pub fn push_framework_metadata(
        &mut self,
        metadata: aws_types::sdk_ua_metadata::FrameworkMetadata,
    ) -> &mut Self {
        self.layer.store_append(metadata);
        self
    }

    /// Turns clock-skew correction off (`Some(true)`), on, or back to the default.
    pub fn set_disable_clock_skew_correction(&mut self, disable: Option<bool>) -> &mut Self {
        self.layer
            .store_or_unset::<aws_runtime::service_clock_skew::DisableClockSkewCorrection>(
                disable.map(Into::into),
            );
        self
    }

    /// Sets or clears the endpoint URL override.
    pub fn set_endpoint_url(&mut self, url: Option<String>) -> &mut Self {
        self.layer.store_or_unset(url.map(EndpointUrl));
        self
    }

    /// Sets or clears dual-stack endpoints.
    pub fn set_use_dual_stack(&mut self, value: Option<bool>) -> &mut Self {
        self.layer.store_or_unset(value.map(UseDualStack));
        self
    }

    /// Sets or clears FIPS endpoints.
    pub fn set_use_fips(&mut self, value: Option<bool>) -> &mut Self {
        self.layer.store_or_unset(value.map(UseFips));
        self
    }

    /// Sets the credentials provider (`None` leaves it as it was).
    pub fn set_credentials_provider(
        &mut self,
        provider: Option<aws_credential_types::provider::SharedCredentialsProvider>,
    ) -> &mut Self {
        if let Some(provider) = provider {
            self.components
                .set_identity_resolver(aws_runtime::auth::sigv4::SCHEME_ID, provider);
        }
        self
    }

    /// Lets operations run without credentials when no auth scheme applies.
    pub fn allow_no_auth(&mut self) -> &mut Self {
        self.plugins.push(
            aws_smithy_runtime::client::auth::no_auth::NoAuthRuntimePluginV2::new().into_shared(),
        );
        self
    }

    /// The official SDK's test defaults: a fixed idempotency token, time and user agent,
    /// test credentials, the latest behavior version, and (`v2`) region `us-east-1`.
    #[cfg(feature = "test-util")]
    pub fn apply_test_defaults(&mut self, v2: bool) -> &mut Self {
        self.set_idempotency_token_provider(Some("00000000-0000-4000-8000-000000000000".into()));
        self.components
            .set_time_source(Some(aws_smithy_async::time::SharedTimeSource::new(
                aws_smithy_async::time::StaticTimeSource::new(
                    std::time::UNIX_EPOCH + std::time::Duration::from_secs(1234567890),
                ),
            )));
        self.layer
            .store_put(aws_runtime::user_agent::AwsUserAgent::for_tests());
        self.set_credentials_provider(Some(
            aws_credential_types::provider::SharedCredentialsProvider::new(
                aws_credential_types::Credentials::for_tests(),
            ),
        ));
        self.behavior_version = Some(BehaviorVersion::latest());
        if v2 && self.layer.load::<Region>().is_none() {
            self.set_region(Some(Region::new("us-east-1")));
        }
        self
    }

    /// The settings of a shared [`SdkConfig`], as the official SDKs read them.
    pub fn from_sdk_config(input: &SdkConfig, service: &ServiceInfo) -> Self {
        let mut builder = Self::default();
        builder.set_credentials_provider(input.credentials_provider());
        builder.set_region(input.region().cloned());
        builder.set_use_fips(input.use_fips());
        builder.set_use_dual_stack(input.use_dual_stack());
        let endpoint_url = if input.get_origin("endpoint_url").is_client_config() {
            input.endpoint_url().map(str::to_owned)
        } else {
            // A service-specific endpoint (AWS_ENDPOINT_URL_<SERVICE>, the profile's
            // `services` section) wins over the global one.
            input
                .service_config()
                .and_then(|conf| {
                    let key = aws_types::service_config::ServiceConfigKey::builder()
                        .service_id(service.service_id)
                        .env("AWS_ENDPOINT_URL")
                        .profile("endpoint_url")
                        .build()
                        .ok()?;
                    conf.load_config(key)
                })
                .or_else(|| input.endpoint_url().map(str::to_owned))
        };
        builder.set_endpoint_url(endpoint_url);
        builder.set_retry_config(input.retry_config().cloned());
        builder.set_timeout_config(input.timeout_config().cloned());
        builder.components.set_sleep_impl(input.sleep_impl());
        builder.components.set_http_client(input.http_client());
        builder.components.set_time_source(input.time_source());
        builder.behavior_version = input.behavior_version();
        builder.set_auth_scheme_preference(input.auth_scheme_preference().cloned());
        // Setting `None` would remove the default.
        if let Some(config) = input.stalled_stream_protection() {
            builder.set_stalled_stream_protection(Some(config));
        }
        if let Some(cache) = input.identity_cache() {
            builder.components.set_identity_cache(Some(cache));
        }
        builder.set_disable_clock_skew_correction(input.disable_clock_skew_correction());
        builder.set_app_name(input.app_name().cloned());
        for metadata in input.framework_metadata() {
            builder.push_framework_metadata(metadata.clone());
        }
        builder
    }

    /// The finished configuration.
    pub fn build(mut self, service: &ServiceInfo) -> ServiceConfig {
        if self.components.time_source().is_none() {
            self.components.set_time_source(Some(Default::default()));
        }
        let mut layer = self.layer;
        layer.store_put(service.api_metadata.clone());
        layer.store_put(aws_types::SigningName::from_static(service.signing_name));
        if let Some(region) = layer.load::<Region>().cloned() {
            layer.store_put(SigningRegion::from(region));
        }
        ServiceConfig {
            frozen: Layer::from(layer.clone())
                .with_name(service.config_name)
                .freeze(),
            cloneable: layer,
            components: self.components,
            plugins: self.plugins,
            behavior_version: self.behavior_version,
        }
    }
}

/// The state behind a generated `Config`.
#[derive(Clone, Debug)]
pub struct ServiceConfig {
    frozen: FrozenLayer,
    cloneable: CloneableLayer,
    components: RuntimeComponentsBuilder,
    plugins: Vec<SharedRuntimePlugin>,
    behavior_version: Option<BehaviorVersion>,
}

impl ServiceConfig {
    /// A builder holding this configuration.
    pub fn to_builder(&self) -> ConfigBuilder {
        ConfigBuilder {
            layer: self.cloneable.clone(),
            components: self.components.clone(),
            plugins: self.plugins.clone(),
            behavior_version: self.behavior_version,
        }
    }

    /// The config layer.
    pub fn layer(&self) -> &FrozenLayer {
        &self.frozen
    }

    /// The runtime components set by the user.
    pub fn components(&self) -> &RuntimeComponentsBuilder {
        &self.components
    }

    /// The behavior version, if set.
    pub fn behavior_version(&self) -> Option<BehaviorVersion> {
        self.behavior_version
    }

    /// The runtime plugins of every call of a client with this configuration: the
    /// runtime's defaults for the behavior version, the user's settings, the service's
    /// own components, then the configuration's extra plugins. Built once per client,
    /// with what every call would ask of the built-in plugins asked now
    /// ([`PluginAssembly`]).
    ///
    /// Fails (instead of panicking, as the official SDK does) when the configuration
    /// cannot work, e.g. without a behavior version; the client then returns this error
    /// from every call.
    pub fn client_plugins(
        &self,
        service: &'static ServiceInfo,
        behavior_version_latest: bool,
    ) -> Result<RuntimePlugins, BoxError> {
        let behavior_version = match (self.behavior_version, behavior_version_latest) {
            (Some(version), _) => version,
            (None, true) => BehaviorVersion::latest(),
            (None, false) => {
                return Err(
                    "A behavior major version must be set when sending a request or \
                     constructing a client. Set it with \
                     `behavior_version` on the config builder or enable the \
                     `behavior-version-latest` cargo feature."
                        .into(),
                )
            }
        };
        let partition = match self.frozen.load::<Region>() {
            Some(region) => Cow::Owned(format!("{}-{region}", service.retry_partition)),
            None => Cow::Borrowed(service.retry_partition),
        };
        // The configuration's layer with its endpoint parameters and the service's own
        // settings: fewer layers for every call to look through than each in a layer
        // of its own.
        let mut client_layer = Layer::from(self.cloneable.clone()).with_name(service.config_name);
        client_layer.store_put(
            (service.endpoint_params)(&builtins_of(&self.frozen))
                .unwrap_or_else(EndpointParams::invalid),
        );
        let client_layer = ServicePlugin::settings_under(client_layer, service);
        let mut assembly = PluginAssembly::default();
        for plugin in default_plugins(
            DefaultPluginParams::new()
                .with_retry_partition_name(partition)
                .with_behavior_version(behavior_version)
                .with_is_aws_sdk(true),
        ) {
            assembly.fixed(plugin);
        }
        assembly
            .fixed(
                StaticRuntimePlugin::new()
                    .with_config(client_layer.freeze())
                    .with_runtime_components(self.components.clone()),
            )
            .fixed(ServicePlugin::new(service))
            .fixed(
                #[allow(deprecated)]
                aws_smithy_runtime::client::auth::no_auth::NoAuthRuntimePlugin::new(),
            )
            .metrics(
                aws_smithy_runtime::client::metrics::MetricsRuntimePlugin::builder()
                    .with_scope(service.metrics_scope)
                    .with_time_source(self.components.time_source().unwrap_or_default())
                    .build()?,
            );
        for plugin in &self.plugins {
            assembly.per_call(plugin.clone());
        }
        let plugins = assembly.into_runtime_plugins();
        let mut cfg = ConfigBag::base();
        plugins
            .apply_client_configuration(&mut cfg)?
            .validate_base_client_config(&cfg)?;
        Ok(plugins)
    }

    /// The plugins of one call made with a configuration override: `base` (the
    /// client's plugins for the operation) plus the override's plugins and its settings,
    /// which win over the client's for this call only.
    pub fn override_plugins(
        &self,
        base: &RuntimePlugins,
        config_override: ConfigBuilder,
        service: &'static ServiceInfo,
    ) -> RuntimePlugins {
        let mut plugins = base.clone();
        for plugin in &config_override.plugins {
            plugins = plugins.with_operation_plugin(plugin.clone());
        }
        plugins.with_operation_plugin(OverridePlugin::new(self, config_override, service))
    }
}

fn builtins_of(layer: &FrozenLayer) -> EndpointBuiltIns {
    EndpointBuiltIns {
        region: layer.load::<Region>().map(|r| r.as_ref().to_owned()),
        use_fips: layer.load::<UseFips>().map(|v| v.0),
        use_dual_stack: layer.load::<UseDualStack>().map(|v| v.0),
        endpoint: layer.load::<EndpointUrl>().map(|v| v.0.clone()),
    }
}

/// What every operation of a service shares: SigV4, the endpoint resolver, the AWS
/// interceptors and retry classification. Its settings go into the configuration's
/// layer ([`ServicePlugin::settings_under`]).
#[derive(Debug)]
struct ServicePlugin {
    components: RuntimeComponentsBuilder,
}

impl ServicePlugin {
    /// `config` (the configuration's layer) with the service's settings for what it
    /// neither sets nor explicitly unsets: one layer that every look-up sees as the
    /// service's layer right under the configuration's (where the plugin order puts
    /// it: the service's plugin comes first, and no layer comes between them).
    fn settings_under(config: Layer, service: &ServiceInfo) -> Layer {
        let mut settings = Layer::new(service.shape_name);
        if service.uses_idempotency_tokens {
            settings.store_put(IdempotencyTokenProvider::random());
        }
        settings.store_put(
            aws_smithy_runtime::client::orchestrator::AuthSchemeAndEndpointOrchestrationV2,
        );
        // `get_mut` copies an item of a lower layer into the top one, unless the top
        // one has the item or has it explicitly unset; a layer's items cannot be
        // listed, so each of the service's is named.
        let mut bag = ConfigBag::of_layers([settings]);
        *bag.interceptor_state() = config;
        bag.get_mut::<IdempotencyTokenProvider>();
        bag.get_mut::<aws_smithy_runtime::client::orchestrator::AuthSchemeAndEndpointOrchestrationV2>();
        std::mem::take(bag.interceptor_state())
    }

    fn new(service: &ServiceInfo) -> Self {
        let mut components = RuntimeComponentsBuilder::new("ServiceRuntimePlugin");
        components.set_auth_scheme_option_resolver(Some(
            crate::auth::DefaultAuthSchemeResolver::default().into_shared_resolver(),
        ));
        components.set_endpoint_resolver(Some((service.default_endpoint_resolver)()));
        components.push_interceptor(SharedInterceptor::permanent(
            aws_smithy_runtime::client::http::connection_poisoning::ConnectionPoisoningInterceptor::new(),
        ));
        components.push_retry_classifier(
            aws_smithy_runtime::client::retries::classifiers::HttpStatusCodeClassifier::default(),
        );
        components
            .push_interceptor(aws_runtime::service_clock_skew::ServiceClockSkewInterceptor::new());
        components.push_interceptor(aws_runtime::request_info::RequestInfoInterceptor::new());
        components.push_interceptor(aws_runtime::user_agent::UserAgentInterceptor::new());
        components.push_interceptor(aws_runtime::invocation_id::InvocationIdInterceptor::new());
        components.push_interceptor(SharedInterceptor::permanent(
            aws_runtime::recursion_detection::RecursionDetectionInterceptor::new(),
        ));
        components.push_auth_scheme(aws_smithy_runtime_api::client::auth::SharedAuthScheme::new(
            aws_runtime::auth::sigv4::SigV4AuthScheme::new(),
        ));
        components.push_interceptor(SharedInterceptor::permanent(
            crate::features::FeatureTracker,
        ));
        Self { components }
    }
}

impl RuntimePlugin for ServicePlugin {
    fn order(&self) -> Order {
        Order::Defaults
    }

    fn runtime_components(
        &self,
        _: &RuntimeComponentsBuilder,
    ) -> Cow<'_, RuntimeComponentsBuilder> {
        Cow::Borrowed(&self.components)
    }
}

/// The settings of a per-call configuration override, with the endpoint parameters
/// and signing region recomputed for the merged configuration.
#[derive(Debug)]
struct OverridePlugin {
    layer: FrozenLayer,
    components: RuntimeComponentsBuilder,
}

impl OverridePlugin {
    fn new(client: &ServiceConfig, config_override: ConfigBuilder, service: &ServiceInfo) -> Self {
        let mut layer = config_override.layer;
        let mut components = config_override.components;
        let mut resolver = aws_smithy_runtime::client::config_override::Resolver::overrid(
            client.frozen.clone(),
            &client.components,
            &mut layer,
            &mut components,
        );
        if let Some(region) = resolver.config_mut().load::<Region>().cloned() {
            resolver.config_mut().store_put(SigningRegion::from(region));
        }
        // The endpoint parameters come from the override where it sets them, else from
        // the client (the later layer wins).
        let bag = ConfigBag::of_layers([
            Layer::from(client.cloneable.clone()),
            Layer::from(layer.clone()),
        ]);
        let params = (service.endpoint_params)(&EndpointBuiltIns::from_bag(&bag))
            .unwrap_or_else(EndpointParams::invalid);
        // An override with its own identity resolvers gets its own short-lived cache so
        // that the client's shared cache does not grow a partition per call.
        if components.has_identity_resolvers() && components.identity_cache().is_none() {
            components.set_identity_cache(Some(
                aws_smithy_runtime::client::identity::IdentityCache::lazy()
                    .max_partitions(1)
                    .build(),
            ));
        }
        let mut layer = Layer::from(layer).with_name("config override");
        layer.store_put(params);
        Self {
            layer: layer.freeze(),
            components,
        }
    }
}

impl RuntimePlugin for OverridePlugin {
    fn config(&self) -> Option<FrozenLayer> {
        Some(self.layer.clone())
    }

    fn runtime_components(
        &self,
        _: &RuntimeComponentsBuilder,
    ) -> Cow<'_, RuntimeComponentsBuilder> {
        Cow::Borrowed(&self.components)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use aws_smithy_runtime::client::orchestrator::endpoints::StaticUriEndpointResolver;
    use aws_smithy_runtime_api::client::endpoint::SharedEndpointResolver;
    use aws_smithy_types::config_bag::Layer;

    use super::{ServiceInfo, ServicePlugin};
    use crate::idempotency::IdempotencyTokenProvider;

    /// A service for unit tests, whose endpoint functions the tests never reach.
    pub(crate) const fn test_service(uses_idempotency_tokens: bool) -> ServiceInfo {
        ServiceInfo {
            service_id: "Test",
            shape_name: "Test",
            signing_name: "test",
            retry_partition: "test",
            api_metadata: aws_runtime::user_agent::ApiMetadata::new("test", "0.0.0"),
            metrics_scope: "test",
            config_name: "test::Config",
            endpoint_params: |_| Err("not reached".into()),
            default_endpoint_resolver: || {
                SharedEndpointResolver::new(StaticUriEndpointResolver::http_localhost(0))
            },
            uses_idempotency_tokens,
        }
    }

    static SERVICE: ServiceInfo = test_service(true);

    /// The configuration's layer with the service's settings under it reads as the
    /// service's layer followed by the configuration's: the configuration's value wins,
    /// its explicit unset hides the service's, and the service's (random tokens) fills
    /// in what the configuration does not mention.
    #[test]
    fn service_settings_go_under_the_configuration() {
        type Configure = fn(&mut Layer);
        let cases: [(Configure, Option<&str>); 3] = [
            (
                |layer| {
                    layer.store_put(IdempotencyTokenProvider::fixed("configured"));
                },
                Some("configured"),
            ),
            (
                |layer| {
                    layer.unset::<IdempotencyTokenProvider>();
                },
                None,
            ),
            (|_| {}, Some("random")),
        ];
        for (configure, expected) in cases {
            let mut config = Layer::new("config");
            configure(&mut config);
            let layer = ServicePlugin::settings_under(config, &SERVICE);
            let token = layer
                .load::<IdempotencyTokenProvider>()
                .map(IdempotencyTokenProvider::make_idempotency_token);
            let token = match token.as_deref() {
                // A random token is a UUID.
                Some(t) if t.len() == 36 && t != "configured" => Some("random"),
                other => other,
            };
            assert_eq!(token, expected);
            assert!(layer
                .load::<aws_smithy_runtime::client::orchestrator::AuthSchemeAndEndpointOrchestrationV2>()
                .is_some());
        }
    }
}
