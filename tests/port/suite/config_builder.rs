//! Every public function of `config::Builder` and `Config`: signatures pinned with
//! function-pointer types, values read back through the getters, and the effect on
//! the wire where one is visible.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use aws_credential_types::provider::ProvideCredentials;
use aws_credential_types::Credentials;
use aws_runtime::invocation_id::{
    InvocationId, InvocationIdGenerator, SharedInvocationIdGenerator,
};
use aws_sdk_chimesdkmeetings::config::endpoint::{
    Endpoint, EndpointFuture, Params, ResolveEndpoint, SharedEndpointResolver,
};
use aws_sdk_chimesdkmeetings::config::interceptors::InterceptorContext;
use aws_sdk_chimesdkmeetings::config::retry::{
    ClassifyRetry, RetryAction, RetryConfig, RetryPartition,
};
use aws_sdk_chimesdkmeetings::config::timeout::TimeoutConfig;
use aws_sdk_chimesdkmeetings::config::{
    AppName, AsyncSleep, BehaviorVersion, Builder, FrameworkMetadata, IdentityCache, Intercept,
    Region, SharedAsyncSleep, SharedCredentialsProvider, SharedHttpClient, SharedInterceptor,
    Sleep, StalledStreamProtectionConfig,
};
use aws_sdk_chimesdkmeetings::{Client, Config};
use aws_smithy_async::time::{SharedTimeSource, StaticTimeSource};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::auth::{AuthSchemeId, AuthSchemePreference};
use aws_smithy_runtime_api::client::retries::classifiers::SharedRetryClassifier;
use serde_json::json;

use crate::operations::{attendee_json, meeting_json};
use crate::support::{
    bare_builder, client_with, credentials, Canned, InstantSleep, Recorder, Sent, ATTENDEE_ID,
    ENDPOINT, MEETING_ID, REGION,
};

// ---------------------------------------------------------------------------------
// Signatures
// ---------------------------------------------------------------------------------

/// Each function's exact parameter and return types, as the official crate has
/// them; `impl Trait` parameters are pinned with one concrete type they accept.
#[test]
fn builder_and_config_signatures() {
    let _: fn() -> Builder = Builder::new;
    let _: fn() -> Builder = Config::builder;
    let _: fn(Builder) -> Config = Builder::build;
    let _: fn(&Config) -> Builder = Config::to_builder;
    let _: fn(&aws_types::SdkConfig) -> Config = Config::new;
    let _: fn(&Config) -> &'static str = Config::signing_name;

    let _: fn(Builder, Region) -> Builder = Builder::region;
    let _: fn(Builder, Option<Region>) -> Builder = Builder::region;
    let _: fn(&mut Builder, Option<Region>) -> &mut Builder = Builder::set_region;
    let _: fn(&Config) -> Option<&Region> = Config::region;

    let _: fn(Builder, &'static str) -> Builder = Builder::endpoint_url;
    let _: fn(Builder, String) -> Builder = Builder::endpoint_url;
    let _: fn(&mut Builder, Option<String>) -> &mut Builder = Builder::set_endpoint_url;
    let _: fn(Builder, bool) -> Builder = Builder::use_fips;
    let _: fn(&mut Builder, Option<bool>) -> &mut Builder = Builder::set_use_fips;
    let _: fn(Builder, bool) -> Builder = Builder::use_dual_stack;
    let _: fn(&mut Builder, Option<bool>) -> &mut Builder = Builder::set_use_dual_stack;
    let _: fn(Builder, FixedEndpoint) -> Builder = Builder::endpoint_resolver;
    let _: fn(&mut Builder, Option<SharedEndpointResolver>) -> &mut Builder =
        Builder::set_endpoint_resolver;
    let _: fn(&Config) -> SharedEndpointResolver = Config::endpoint_resolver;

    let _: fn(Builder, Credentials) -> Builder = Builder::credentials_provider;
    let _: fn(&mut Builder, Option<SharedCredentialsProvider>) -> &mut Builder =
        Builder::set_credentials_provider;
    let _: fn(Builder, BehaviorVersion) -> Builder = Builder::behavior_version;
    let _: fn(&mut Builder, Option<BehaviorVersion>) -> &mut Builder =
        Builder::set_behavior_version;
    let _: fn(Builder) -> Builder = Builder::behavior_version_latest;

    let _: fn(Builder, RetryConfig) -> Builder = Builder::retry_config;
    let _: fn(&mut Builder, Option<RetryConfig>) -> &mut Builder = Builder::set_retry_config;
    let _: fn(&Config) -> Option<&RetryConfig> = Config::retry_config;
    let _: fn(Builder, RetryPartition) -> Builder = Builder::retry_partition;
    let _: fn(&mut Builder, Option<RetryPartition>) -> &mut Builder = Builder::set_retry_partition;
    let _: fn(&Config) -> Option<&RetryPartition> = Config::retry_partition;
    let _: fn(Builder, RetryAlways) -> Builder = Builder::retry_classifier;
    let _: fn(&mut Builder, SharedRetryClassifier) -> &mut Builder = Builder::push_retry_classifier;
    let _: fn(&mut Builder, Vec<SharedRetryClassifier>) -> &mut Builder =
        Builder::set_retry_classifiers;

    let _: fn(Builder, TimeoutConfig) -> Builder = Builder::timeout_config;
    let _: fn(&mut Builder, Option<TimeoutConfig>) -> &mut Builder = Builder::set_timeout_config;
    let _: fn(&Config) -> Option<&TimeoutConfig> = Config::timeout_config;
    let _: fn(Builder, StalledStreamProtectionConfig) -> Builder =
        Builder::stalled_stream_protection;
    let _: fn(&mut Builder, Option<StalledStreamProtectionConfig>) -> &mut Builder =
        Builder::set_stalled_stream_protection;
    let _: fn(&Config) -> Option<&StalledStreamProtectionConfig> =
        Config::stalled_stream_protection;
    let _: fn(Builder, NeverSleep) -> Builder = Builder::sleep_impl;
    let _: fn(&mut Builder, Option<SharedAsyncSleep>) -> &mut Builder = Builder::set_sleep_impl;
    let _: fn(&Config) -> Option<SharedAsyncSleep> = Config::sleep_impl;
    let _: fn(Builder, StaticTimeSource) -> Builder = Builder::time_source;
    let _: fn(&mut Builder, Option<SharedTimeSource>) -> &mut Builder = Builder::set_time_source;
    let _: fn(&Config) -> Option<SharedTimeSource> = Config::time_source;

    let _: fn(Builder, Recorder) -> Builder = Builder::http_client;
    let _: fn(&mut Builder, Option<SharedHttpClient>) -> &mut Builder = Builder::set_http_client;
    let _: fn(&Config) -> Option<SharedHttpClient> = Config::http_client;
    let _: fn(Builder, CountingInterceptor) -> Builder = Builder::interceptor;
    let _: fn(&mut Builder, SharedInterceptor) -> &mut Builder = Builder::push_interceptor;
    let _: fn(&mut Builder, Vec<SharedInterceptor>) -> &mut Builder = Builder::set_interceptors;
    let _: fn(Builder, aws_sdk_chimesdkmeetings::config::SharedIdentityCache) -> Builder =
        Builder::identity_cache;
    let _: fn(&Config) -> Option<aws_sdk_chimesdkmeetings::config::SharedIdentityCache> =
        Config::identity_cache;

    let _: fn(Builder, AppName) -> Builder = Builder::app_name;
    let _: fn(&mut Builder, Option<AppName>) -> &mut Builder = Builder::set_app_name;
    let _: fn(&Config) -> Option<&AppName> = Config::app_name;
    let _: fn(Builder, FrameworkMetadata) -> Builder = Builder::framework_metadata;
    let _: fn(&mut Builder, FrameworkMetadata) -> &mut Builder = Builder::push_framework_metadata;
    let _: fn(&Config) -> Vec<&FrameworkMetadata> = Config::framework_metadata;
    let _: fn(Builder, bool) -> Builder = Builder::disable_clock_skew_correction;
    let _: fn(Builder, Option<bool>) -> Builder = Builder::disable_clock_skew_correction;
    let _: fn(&mut Builder, Option<bool>) -> &mut Builder =
        Builder::set_disable_clock_skew_correction;
    let _: fn(&Config) -> Option<bool> = Config::disable_clock_skew_correction;
    let _: fn(Builder, FixedInvocationId) -> Builder = Builder::invocation_id_generator;
    let _: fn(&mut Builder, Option<SharedInvocationIdGenerator>) -> &mut Builder =
        Builder::set_invocation_id_generator;
    let _: fn(&Config) -> Option<SharedInvocationIdGenerator> = Config::invocation_id_generator;
    let _: fn(Builder, &'static str) -> Builder = Builder::idempotency_token_provider;

    let _: fn(Builder, AuthSchemePreference) -> Builder = Builder::auth_scheme_preference;
    let _: fn(Builder, Vec<AuthSchemeId>) -> Builder = Builder::auth_scheme_preference;
    let _: fn(&mut Builder, Option<AuthSchemePreference>) -> &mut Builder =
        Builder::set_auth_scheme_preference;
    let _: fn(&Config) -> Option<&AuthSchemePreference> = Config::auth_scheme_preference;
    let _: fn(Builder) -> Builder = Builder::allow_no_auth;
    let _: fn(&mut Builder) -> &mut Builder = Builder::set_allow_no_auth;
    let _: fn(Builder, Vec<&'static str>) -> Builder = Builder::emit_input_attributes;
    let _: fn(Builder, Vec<&'static str>) -> Builder = Builder::capture_input_attributes;

    let _: fn(Builder) -> Builder = Builder::with_test_defaults;
    let _: fn(Builder) -> Builder = Builder::with_test_defaults_v2;
    let _: fn(&mut Builder) -> &mut Builder = Builder::apply_test_defaults;
    let _: fn(&mut Builder) -> &mut Builder = Builder::apply_test_defaults_v2;

    let _: fn(&'static aws_types::SdkConfig) -> Builder =
        <Builder as From<&aws_types::SdkConfig>>::from;
    let _: fn(&'static aws_types::SdkConfig) -> Config =
        <Config as From<&aws_types::SdkConfig>>::from;
    let _: fn(Config) -> Client = Client::from_conf;
    let _: fn(&aws_types::SdkConfig) -> Client = Client::new;
    let _: fn(&Client) -> &Config = Client::config;
}

// ---------------------------------------------------------------------------------
// Helpers: small implementations of the traits the builder accepts
// ---------------------------------------------------------------------------------

/// An endpoint resolver that sends everything to one URL.
#[derive(Debug, Clone)]
struct FixedEndpoint(&'static str);

impl ResolveEndpoint for FixedEndpoint {
    fn resolve_endpoint<'a>(&'a self, _params: &'a Params) -> EndpointFuture<'a> {
        EndpointFuture::ready(Ok(Endpoint::builder().url(self.0).build()))
    }
}

/// Classifies every response as retryable.
#[derive(Debug, Clone)]
struct RetryAlways;

impl ClassifyRetry for RetryAlways {
    fn classify_retry(&self, _ctx: &InterceptorContext) -> RetryAction {
        RetryAction::server_error()
    }

    fn name(&self) -> &'static str {
        "RetryAlways"
    }
}

/// A sleep that never ends (only its presence matters where it is used).
#[derive(Debug, Clone)]
struct NeverSleep;

impl AsyncSleep for NeverSleep {
    fn sleep(&self, _duration: Duration) -> Sleep {
        Sleep::new(std::future::pending())
    }
}

#[derive(Debug, Clone, Default)]
struct CountingInterceptor(Arc<AtomicUsize>);

impl Intercept for CountingInterceptor {
    fn name(&self) -> &'static str {
        "CountingInterceptor"
    }

    fn read_before_execution(
        &self,
        _context: &aws_sdk_chimesdkmeetings::config::interceptors::BeforeSerializationInterceptorContextRef<'_>,
        _cfg: &mut aws_sdk_chimesdkmeetings::config::ConfigBag,
    ) -> Result<(), BoxError> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

#[derive(Debug, Clone)]
struct FixedInvocationId(&'static str);

impl InvocationIdGenerator for FixedInvocationId {
    fn generate(&self) -> Result<Option<InvocationId>, BoxError> {
        Ok(Some(InvocationId::new(self.0.to_string())))
    }
}

fn get_meeting_answer() -> Canned {
    Canned::json(200, json!({"Meeting": meeting_json()}))
}

async fn send_get_meeting(config: Config) {
    Client::from_conf(config)
        .get_meeting()
        .meeting_id(MEETING_ID)
        .send()
        .await
        .expect("canned 200");
}

fn access_key_of(sent: &Sent) -> String {
    let authorization = sent.header("authorization").expect("signed");
    let credential = authorization
        .split("Credential=")
        .nth(1)
        .expect("a credential");
    credential.split('/').next().unwrap().to_string()
}

// ---------------------------------------------------------------------------------
// Values read back and effects on the wire
// ---------------------------------------------------------------------------------

#[test]
fn region_endpoint_and_stack_settings_read_back() {
    let config = bare_builder().use_fips(false).use_dual_stack(false).build();
    assert_eq!(config.region(), Some(&Region::new(REGION)));
    assert_eq!(config.signing_name(), "chime");

    let mut builder = Config::builder();
    builder.set_region(Some(Region::new("eu-west-2")));
    assert_eq!(
        builder.clone().build().region(),
        Some(&Region::new("eu-west-2"))
    );
    builder.set_region(None);
    assert_eq!(builder.build().region(), None);
    assert_eq!(Config::builder().region(None).build().region(), None);
}

/// Without an endpoint URL the endpoint rules pick the host from region, FIPS and
/// dual-stack settings.
#[tokio::test]
async fn endpoint_rules_follow_fips_and_dual_stack() {
    let cases = [
        (false, false, "meetings-chime.us-east-1.amazonaws.com"),
        (true, false, "meetings-chime-fips.us-east-1.amazonaws.com"),
        (false, true, "meetings-chime.us-east-1.api.aws"),
        (true, true, "meetings-chime-fips.us-east-1.api.aws"),
    ];
    for (fips, dual_stack, host) in cases {
        let http = Recorder::answering([get_meeting_answer()]);
        let mut builder = bare_builder().http_client(http.clone());
        builder
            .set_endpoint_url(None)
            .set_use_fips(Some(fips))
            .set_use_dual_stack(Some(dual_stack));
        send_get_meeting(builder.build()).await;
        let sent = http.only();
        assert_eq!(sent.host(), host, "fips {fips}, dual stack {dual_stack}");
        assert!(sent.uri.starts_with("https://"), "{}", sent.uri);
    }
}

#[tokio::test]
async fn endpoint_url_and_resolver() {
    let http = Recorder::answering([get_meeting_answer()]);
    let mut builder = bare_builder().http_client(http.clone());
    builder.set_endpoint_url(Some("http://127.0.0.1:7001".to_string()));
    send_get_meeting(builder.build()).await;
    assert_eq!(http.only().host(), "127.0.0.1:7001");

    let http = Recorder::answering([get_meeting_answer()]);
    let mut builder = Config::builder()
        .behavior_version_latest()
        .region(Region::new(REGION))
        .credentials_provider(credentials())
        .http_client(http.clone())
        .endpoint_resolver(FixedEndpoint("http://127.0.0.1:7002"));
    let config = builder.clone().build();
    use aws_smithy_runtime_api::client::endpoint::ResolveEndpoint as _;
    let resolved = config
        .endpoint_resolver()
        .resolve_endpoint(
            &aws_smithy_runtime_api::client::endpoint::EndpointResolverParams::new(
                Params::builder().region("us-east-1").build().unwrap(),
            ),
        )
        .await
        .expect("resolves");
    assert_eq!(resolved.url(), "http://127.0.0.1:7002");
    send_get_meeting(config).await;
    assert_eq!(http.only().host(), "127.0.0.1:7002");

    builder.set_endpoint_resolver(Some(
        FixedEndpoint("http://127.0.0.1:7003").into_shared_resolver(),
    ));
    let http = Recorder::answering([get_meeting_answer()]);
    send_get_meeting(builder.http_client(http.clone()).build()).await;
    assert_eq!(http.only().host(), "127.0.0.1:7003");
}

/// The default endpoint resolver applies the endpoint rules to its parameters.
#[tokio::test]
async fn default_endpoint_resolver_and_params() {
    use aws_sdk_chimesdkmeetings::config::endpoint::DefaultResolver;
    let params = Params::builder()
        .region("eu-central-1")
        .use_fips(false)
        .use_dual_stack(true)
        .build()
        .expect("valid params");
    assert_eq!(params.region(), Some("eu-central-1"));
    assert_eq!(params.use_dual_stack(), Some(true));
    assert_eq!(params.endpoint(), None);
    let endpoint = DefaultResolver::new()
        .resolve_endpoint(&params)
        .await
        .expect("resolves");
    assert_eq!(
        endpoint.url(),
        "https://meetings-chime.eu-central-1.api.aws"
    );
    let unresolvable = Params::builder()
        .region("us-east-1")
        .use_fips(true)
        .endpoint("http://127.0.0.1:1")
        .build()
        .unwrap();
    assert!(DefaultResolver::new()
        .resolve_endpoint(&unresolvable)
        .await
        .is_err());
}

#[tokio::test]
async fn credentials_provider_signs_requests() {
    let http = Recorder::answering([get_meeting_answer()]);
    let mut builder = bare_builder().http_client(http.clone());
    builder.set_credentials_provider(Some(SharedCredentialsProvider::new(Credentials::new(
        "AKIDSETTER",
        "secret",
        None,
        None,
        "test",
    ))));
    // `None` leaves the provider that was set.
    builder.set_credentials_provider(None);
    send_get_meeting(builder.build()).await;
    assert_eq!(access_key_of(&http.only()), "AKIDSETTER");
    #[allow(deprecated)]
    let always_none = bare_builder().build().credentials_provider();
    assert!(always_none.is_none());
    let provided = credentials()
        .provide_credentials()
        .await
        .expect("static credentials");
    assert_eq!(provided.access_key_id(), "AKIDPORTSUITE");
}

#[tokio::test]
async fn behavior_version_setters_all_build_working_clients() {
    let mut explicit = bare_builder();
    explicit.set_behavior_version(Some(BehaviorVersion::latest()));
    let candidates = [
        explicit,
        bare_builder().behavior_version_latest(),
        bare_builder().behavior_version(BehaviorVersion::v2026_01_12()),
    ];
    for builder in candidates {
        let http = Recorder::answering([get_meeting_answer()]);
        send_get_meeting(builder.http_client(http.clone()).build()).await;
        assert_eq!(http.sent().len(), 1);
    }
}

#[test]
fn retry_settings_read_back() {
    let config = bare_builder()
        .retry_config(RetryConfig::standard().with_max_attempts(4))
        .retry_partition(RetryPartition::new("port-suite"))
        .build();
    assert_eq!(
        config.retry_config().map(RetryConfig::max_attempts),
        Some(4)
    );
    assert_eq!(
        config.retry_partition(),
        Some(&RetryPartition::new("port-suite"))
    );

    // `None` keeps what was set before.
    let mut builder = bare_builder().retry_config(RetryConfig::disabled());
    builder.set_retry_config(None).set_retry_partition(None);
    let config = builder.build();
    assert_eq!(
        config.retry_config().map(RetryConfig::max_attempts),
        Some(1)
    );
    assert_eq!(config.retry_partition(), None);
}

/// A custom retry classifier makes a 400 retryable; `set_retry_classifiers`
/// replaces the list and `retry_classifiers()` lists them.
#[tokio::test]
async fn retry_classifiers() {
    let http = Recorder::answering([Canned::error(400, "BadRequestException", "no")]);
    let config = bare_builder()
        .http_client(http.clone())
        .sleep_impl(InstantSleep)
        .retry_classifier(RetryAlways)
        .build();
    assert_eq!(config.retry_classifiers().count(), 1);
    Client::from_conf(config)
        .get_meeting()
        .meeting_id(MEETING_ID)
        .send()
        .await
        .expect_err("every answer is 400");
    assert_eq!(http.sent().len(), 3);

    let mut builder = bare_builder();
    builder.push_retry_classifier(SharedRetryClassifier::new(RetryAlways));
    builder.push_retry_classifier(SharedRetryClassifier::new(RetryAlways));
    assert_eq!(builder.clone().build().retry_classifiers().count(), 2);
    builder.set_retry_classifiers(vec![SharedRetryClassifier::new(RetryAlways)]);
    assert_eq!(builder.build().retry_classifiers().count(), 1);
}

/// Timeout configurations set one after the other are merged: later values win,
/// earlier ones fill the gaps; `None` changes nothing.
#[test]
fn timeout_settings_merge() {
    let mut builder = bare_builder().timeout_config(
        TimeoutConfig::builder()
            .connect_timeout(Duration::from_secs(1))
            .operation_timeout(Duration::from_secs(9))
            .build(),
    );
    builder.set_timeout_config(Some(
        TimeoutConfig::builder()
            .read_timeout(Duration::from_secs(2))
            .operation_timeout(Duration::from_secs(8))
            .build(),
    ));
    builder.set_timeout_config(None);
    let timeouts = builder.build().timeout_config().cloned().expect("set");
    assert_eq!(timeouts.connect_timeout(), Some(Duration::from_secs(1)));
    assert_eq!(timeouts.read_timeout(), Some(Duration::from_secs(2)));
    assert_eq!(timeouts.operation_timeout(), Some(Duration::from_secs(8)));
    assert_eq!(timeouts.operation_attempt_timeout(), None);
}

#[test]
fn stalled_stream_sleep_and_time_settings_read_back() {
    let config = bare_builder()
        .stalled_stream_protection(StalledStreamProtectionConfig::disabled())
        .sleep_impl(NeverSleep)
        .time_source(StaticTimeSource::new(
            UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        ))
        .build();
    assert_eq!(
        config.stalled_stream_protection().map(|s| s.is_enabled()),
        Some(false)
    );
    assert!(config.sleep_impl().is_some());
    let now = config.time_source().expect("set").now();
    assert_eq!(now, UNIX_EPOCH + Duration::from_secs(1_700_000_000));

    let mut builder =
        bare_builder().stalled_stream_protection(StalledStreamProtectionConfig::disabled());
    builder
        .set_stalled_stream_protection(None)
        .set_sleep_impl(None)
        .set_time_source(None);
    let config = builder.build();
    assert!(config.stalled_stream_protection().is_none());
    assert!(config.sleep_impl().is_none());
    // A time source is always filled in at build time.
    assert!(config.time_source().is_some());
}

/// The configured clock signs the request.
#[tokio::test]
async fn time_source_dates_the_signature() {
    let http = Recorder::answering([get_meeting_answer()]);
    let mut builder = bare_builder().http_client(http.clone());
    builder.set_time_source(Some(SharedTimeSource::new(StaticTimeSource::new(
        UNIX_EPOCH + Duration::from_secs(1_700_000_000),
    ))));
    send_get_meeting(builder.build()).await;
    assert_eq!(http.only().header("x-amz-date"), Some("20231114T221320Z"));
}

#[tokio::test]
async fn http_client_setters() {
    let first = Recorder::answering([get_meeting_answer()]);
    let second = Recorder::answering([get_meeting_answer()]);
    let mut builder = bare_builder().http_client(first.clone());
    assert!(builder.clone().build().http_client().is_some());
    builder.set_http_client(Some(SharedHttpClient::new(second.clone())));
    send_get_meeting(builder.clone().build()).await;
    assert_eq!((first.sent().len(), second.sent().len()), (0, 1));
    builder.set_http_client(None);
    assert!(builder.build().http_client().is_none());
}

#[tokio::test]
async fn interceptor_setters() {
    let counter = CountingInterceptor::default();
    let http = Recorder::answering([get_meeting_answer()]);
    let mut builder = bare_builder()
        .http_client(http)
        .interceptor(counter.clone());
    builder.push_interceptor(SharedInterceptor::new(counter.clone()));
    let config = builder.clone().build();
    assert_eq!(config.interceptors().count(), 2);
    send_get_meeting(config).await;
    assert_eq!(counter.0.load(Ordering::SeqCst), 2);

    builder.set_interceptors(vec![SharedInterceptor::new(counter.clone())]);
    let config = builder.build();
    assert_eq!(config.interceptors().count(), 1);
    send_get_meeting(config).await;
    assert_eq!(counter.0.load(Ordering::SeqCst), 3);
}

#[test]
fn identity_cache_reads_back() {
    assert!(bare_builder().build().identity_cache().is_none());
    let mut builder = bare_builder().identity_cache(IdentityCache::no_cache());
    assert!(builder.clone().build().identity_cache().is_some());
    builder.set_identity_cache(IdentityCache::lazy().build());
    assert!(builder.build().identity_cache().is_some());
}

/// The app name and framework metadata are in the user agent, and read back (the
/// framework entries in the order they were added).
#[tokio::test]
async fn app_name_and_framework_metadata() {
    let http = Recorder::answering([get_meeting_answer()]);
    let mut builder = bare_builder()
        .http_client(http.clone())
        .app_name(AppName::new("port-suite-app").unwrap())
        .framework_metadata(FrameworkMetadata::new("portfw", Some("1.2")).unwrap());
    builder.push_framework_metadata(FrameworkMetadata::new("otherfw", None::<&str>).unwrap());
    let config = builder.clone().build();
    assert_eq!(
        config.app_name(),
        Some(&AppName::new("port-suite-app").unwrap())
    );
    let names: Vec<&str> = config
        .framework_metadata()
        .iter()
        .map(|m| m.name())
        .collect();
    assert_eq!(names, ["portfw", "otherfw"]);
    send_get_meeting(config).await;
    let agent = http
        .only()
        .header("x-amz-user-agent")
        .expect("an SDK user agent")
        .to_string();
    assert!(agent.contains("app/port-suite-app"), "{agent}");
    assert!(agent.contains("lib/portfw/1.2"), "{agent}");

    builder.set_app_name(None);
    assert_eq!(builder.build().app_name(), None);
}

/// Framework metadata keeps the order it was added in, through `to_builder`, from an
/// `SdkConfig`, and in the user agent (a per-call override's entries come last).
#[tokio::test]
async fn framework_metadata_order_is_kept_everywhere() {
    let framework = |name: &str| FrameworkMetadata::new(name.to_owned(), None::<&str>).unwrap();
    let names = |config: &Config| -> Vec<String> {
        config
            .framework_metadata()
            .iter()
            .map(|m| m.name().to_owned())
            .collect()
    };
    let config = bare_builder()
        .framework_metadata(framework("a"))
        .framework_metadata(framework("b"))
        .build();
    let config = config
        .to_builder()
        .framework_metadata(framework("c"))
        .build();
    assert_eq!(names(&config), ["a", "b", "c"]);

    let sdk_config = aws_types::SdkConfig::builder()
        .framework_metadata(framework("x"))
        .framework_metadata(framework("y"))
        .build();
    assert_eq!(names(Client::new(&sdk_config).config()), ["x", "y"]);
    let from_sdk = Builder::from(&sdk_config)
        .framework_metadata(framework("z"))
        .build();
    assert_eq!(names(&from_sdk), ["x", "y", "z"]);

    let http = Recorder::answering([Canned::json(200, json!({}))]);
    Client::from_conf(config.to_builder().http_client(http.clone()).build())
        .delete_meeting()
        .meeting_id(MEETING_ID)
        .customize()
        .config_override(Config::builder().framework_metadata(framework("o")))
        .send()
        .await
        .expect("canned 200");
    let agent = http.only().header("x-amz-user-agent").unwrap().to_owned();
    assert!(agent.ends_with(" lib/a lib/b lib/c lib/o"), "{agent}");
}

#[test]
fn clock_skew_setting_reads_back() {
    assert_eq!(bare_builder().build().disable_clock_skew_correction(), None);
    assert_eq!(
        bare_builder()
            .disable_clock_skew_correction(true)
            .build()
            .disable_clock_skew_correction(),
        Some(true)
    );
    let mut builder = bare_builder().disable_clock_skew_correction(Some(false));
    assert_eq!(
        builder.clone().build().disable_clock_skew_correction(),
        Some(false)
    );
    builder.set_disable_clock_skew_correction(None);
    assert_eq!(builder.build().disable_clock_skew_correction(), None);
}

#[tokio::test]
async fn invocation_id_generator_names_each_call() {
    let http = Recorder::answering([get_meeting_answer()]);
    let config = bare_builder()
        .http_client(http.clone())
        .invocation_id_generator(FixedInvocationId("11111111-2222-4333-8444-555555555555"))
        .build();
    assert!(config.invocation_id_generator().is_some());
    send_get_meeting(config).await;
    assert_eq!(
        http.only().header("amz-sdk-invocation-id"),
        Some("11111111-2222-4333-8444-555555555555")
    );

    let mut builder = bare_builder();
    builder.set_invocation_id_generator(Some(SharedInvocationIdGenerator::new(FixedInvocationId(
        "x",
    ))));
    assert!(builder.clone().build().invocation_id_generator().is_some());
    builder.set_invocation_id_generator(None);
    assert!(builder.build().invocation_id_generator().is_none());
}

#[tokio::test]
async fn idempotency_token_provider_fills_client_request_tokens() {
    let http = Recorder::answering([Canned::json(200, json!({"Meeting": meeting_json()}))]);
    let client = Client::from_conf(
        bare_builder()
            .http_client(http.clone())
            .idempotency_token_provider("fixed-token")
            .build(),
    );
    client
        .create_meeting()
        .media_region("us-east-1")
        .external_meeting_id("m")
        .send()
        .await
        .expect("canned 200");
    let mut builder = bare_builder().http_client(http.clone());
    builder.set_idempotency_token_provider(Some("other-token".into()));
    Client::from_conf(builder.build())
        .create_meeting_with_attendees()
        .media_region("us-east-1")
        .external_meeting_id("m")
        .send()
        .await
        .expect("canned 200");
    let tokens: Vec<String> = http
        .sent()
        .iter()
        .map(|s| {
            s.json()["ClientRequestToken"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(tokens, ["fixed-token", "other-token"]);
}

#[tokio::test]
async fn auth_settings() {
    let preference = AuthSchemePreference::from([AuthSchemeId::new("sigv4")]);
    let mut builder = bare_builder().auth_scheme_preference(preference.clone());
    assert_eq!(
        builder.clone().build().auth_scheme_preference(),
        Some(&preference)
    );
    builder.set_auth_scheme_preference(None);
    assert_eq!(builder.clone().build().auth_scheme_preference(), None);
    assert_eq!(bare_builder().build().auth_schemes().count(), 0);
    assert!(bare_builder().build().auth_scheme_resolver().is_none());
    let with_scheme = bare_builder()
        .push_auth_scheme(aws_runtime::auth::sigv4::SigV4AuthScheme::new())
        .auth_scheme_resolver(
            aws_sdk_chimesdkmeetings::config::auth::DefaultAuthSchemeResolver::default(),
        )
        .build();
    assert_eq!(with_scheme.auth_schemes().count(), 1);
    assert!(with_scheme.auth_scheme_resolver().is_some());
    builder.set_auth_scheme_resolver(
        aws_sdk_chimesdkmeetings::config::auth::DefaultAuthSchemeResolver::default(),
    );
    assert!(builder.build().auth_scheme_resolver().is_some());
}

/// With `allow_no_auth` and no credentials the request goes out unsigned instead of
/// failing.
#[tokio::test]
async fn allow_no_auth_sends_unsigned_without_credentials() {
    for allow in [
        Builder::allow_no_auth as fn(Builder) -> Builder,
        |mut b: Builder| {
            b.set_allow_no_auth();
            b
        },
    ] {
        let http = Recorder::answering([get_meeting_answer()]);
        let builder = Config::builder()
            .behavior_version_latest()
            .region(Region::new(REGION))
            .endpoint_url(ENDPOINT)
            .http_client(http.clone());
        send_get_meeting(allow(builder).build()).await;
        assert_eq!(http.only().header("authorization"), None);
    }
}

#[tokio::test]
async fn telemetry_attribute_settings_build() {
    let http = Recorder::answering([get_meeting_answer()]);
    let config = bare_builder()
        .http_client(http.clone())
        .emit_input_attributes(vec!["MeetingId"])
        .capture_input_attributes(["AttendeeId".to_string()])
        .build();
    send_get_meeting(config).await;
    assert_eq!(http.sent().len(), 1);
}

/// The test defaults: fixed clock (1234567890), test credentials, fixed idempotency
/// token; `_v2` also a region.
#[tokio::test]
async fn test_defaults() {
    assert_eq!(
        Config::builder().with_test_defaults().build().region(),
        None
    );
    assert_eq!(
        Config::builder().with_test_defaults_v2().build().region(),
        Some(&Region::new("us-east-1"))
    );
    let kept = Config::builder()
        .region(Region::new("eu-west-1"))
        .with_test_defaults_v2()
        .build();
    assert_eq!(kept.region(), Some(&Region::new("eu-west-1")));
    let mut applied = Config::builder();
    applied.apply_test_defaults();
    assert_eq!(applied.build().region(), None);

    let http = Recorder::answering([Canned::json(200, json!({"Meeting": meeting_json()}))]);
    let mut builder = Config::builder()
        .endpoint_url(ENDPOINT)
        .http_client(http.clone());
    builder.apply_test_defaults_v2();
    Client::from_conf(builder.build())
        .create_meeting()
        .media_region("us-east-1")
        .external_meeting_id("m")
        .send()
        .await
        .expect("canned 200");
    let sent = http.only();
    assert_eq!(sent.header("x-amz-date"), Some("20090213T233130Z"));
    assert_eq!(access_key_of(&sent), "ANOTREAL");
    assert_eq!(
        sent.json()["ClientRequestToken"],
        "00000000-0000-4000-8000-000000000000"
    );
}

/// `to_builder` gives back every setting; a built config is unaffected by later
/// changes to the builder it came from.
#[tokio::test]
async fn to_builder_round_trip() {
    let original = bare_builder()
        .retry_config(RetryConfig::standard().with_max_attempts(5))
        .timeout_config(
            TimeoutConfig::builder()
                .read_timeout(Duration::from_secs(3))
                .build(),
        )
        .app_name(AppName::new("roundtrip").unwrap())
        .build();
    let copy = original
        .to_builder()
        .region(Region::new("ap-south-1"))
        .build();
    assert_eq!(original.region(), Some(&Region::new(REGION)));
    assert_eq!(copy.region(), Some(&Region::new("ap-south-1")));
    assert_eq!(copy.retry_config(), original.retry_config());
    assert_eq!(copy.timeout_config(), original.timeout_config());
    assert_eq!(copy.app_name(), original.app_name());
    let shown = format!("{original:?} {:?}", original.to_builder());
    assert!(
        shown.contains("Config") && shown.contains("Builder"),
        "{shown}"
    );

    let http = Recorder::answering([Canned::json(
        200,
        json!({"Attendee": attendee_json("u", ATTENDEE_ID)}),
    )]);
    let client = client_with(&http);
    let rebuilt = Client::from_conf(client.config().to_builder().build());
    rebuilt
        .get_attendee()
        .meeting_id(MEETING_ID)
        .attendee_id(ATTENDEE_ID)
        .send()
        .await
        .expect("the copy keeps the HTTP client");
    assert_eq!(http.sent().len(), 1);
}

/// Everything an `SdkConfig` carries reaches the service config, through `From`,
/// `Config::new` and `Client::new`.
#[tokio::test]
async fn from_sdk_config() {
    let http = Recorder::answering([get_meeting_answer()]);
    let sdk_config = aws_types::SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("ca-central-1"))
        .credentials_provider(SharedCredentialsProvider::new(credentials()))
        .endpoint_url("http://127.0.0.1:7004")
        .retry_config(RetryConfig::standard().with_max_attempts(2))
        .timeout_config(
            TimeoutConfig::builder()
                .read_timeout(Duration::from_secs(4))
                .build(),
        )
        .app_name(AppName::new("sdk-config-app").unwrap())
        .http_client(http.clone())
        .sleep_impl(SharedAsyncSleep::new(NeverSleep))
        .time_source(SharedTimeSource::new(StaticTimeSource::new(
            UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        )))
        .stalled_stream_protection(StalledStreamProtectionConfig::disabled())
        .build();
    for config in [
        Config::from(&sdk_config),
        Config::new(&sdk_config),
        Builder::from(&sdk_config).build(),
    ] {
        assert_eq!(config.region(), Some(&Region::new("ca-central-1")));
        assert_eq!(
            config.retry_config().map(RetryConfig::max_attempts),
            Some(2)
        );
        assert_eq!(
            config
                .timeout_config()
                .and_then(TimeoutConfig::read_timeout),
            Some(Duration::from_secs(4))
        );
        assert_eq!(
            config.app_name(),
            Some(&AppName::new("sdk-config-app").unwrap())
        );
        assert!(config.http_client().is_some() && config.sleep_impl().is_some());
        assert_eq!(
            config.stalled_stream_protection().map(|s| s.is_enabled()),
            Some(false)
        );
    }
    Client::new(&sdk_config)
        .get_meeting()
        .meeting_id(MEETING_ID)
        .send()
        .await
        .expect("canned 200");
    let sent = http.only();
    assert_eq!(sent.host(), "127.0.0.1:7004");
    assert_eq!(access_key_of(&sent), "AKIDPORTSUITE");
    assert_eq!(sent.header("x-amz-date"), Some("20231114T221320Z"));
}

#[test]
fn client_and_config_are_shareable() {
    fn shareable<T: Send + Sync + Clone + std::fmt::Debug + 'static>() {}
    shareable::<Client>();
    shareable::<Config>();
    shareable::<Builder>();
}
