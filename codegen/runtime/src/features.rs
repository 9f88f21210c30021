//! Interceptors that record SDK features for the user agent's business metrics, as the
//! official SDKs do (`m/E` standard retries, `m/F` adaptive, `m/N` endpoint override,
//! OpenTelemetry metrics, paginators).

use aws_runtime::sdk_feature::AwsSdkFeature;
use aws_smithy_runtime::client::sdk_feature::SmithySdkFeature;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeSerializationInterceptorContextMut, BeforeSerializationInterceptorContextRef,
};
use aws_smithy_runtime_api::client::interceptors::{dyn_dispatch_hint, Intercept};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use aws_smithy_types::retry::{RetryConfig, RetryMode};
use aws_types::endpoint_config::EndpointUrl;

/// Records the retry mode, an endpoint URL override, and OpenTelemetry metrics (when
/// the global telemetry provider is the OTel one). One interceptor rather than one per
/// feature: every hook of every call walks all interceptors.
#[derive(Debug)]
pub(crate) struct FeatureTracker;

#[dyn_dispatch_hint]
impl Intercept for FeatureTracker {
    fn name(&self) -> &'static str {
        "FeatureTracker"
    }

    fn read_before_execution(
        &self,
        _: &BeforeSerializationInterceptorContextRef<'_>,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        if cfg.load::<EndpointUrl>().is_some() {
            cfg.interceptor_state()
                .store_append(AwsSdkFeature::EndpointOverride);
        }
        if let Ok(provider) = aws_smithy_observability::global::get_telemetry_provider() {
            if provider.meter_provider().provider_name() == "AwsSmithyObservabilityOtelProvider" {
                cfg.interceptor_state()
                    .store_append(SmithySdkFeature::ObservabilityOtelMetrics);
            }
        }
        Ok(())
    }

    fn read_before_serialization(
        &self,
        _: &BeforeSerializationInterceptorContextRef<'_>,
        _: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let feature = cfg.load::<RetryConfig>().map(|retry| match retry.mode() {
            RetryMode::Adaptive => SmithySdkFeature::RetryModeAdaptive,
            _ => SmithySdkFeature::RetryModeStandard,
        });
        if let Some(feature) = feature {
            cfg.interceptor_state().store_append(feature);
        }
        Ok(())
    }
}

/// Records that a call was made by a paginator.
#[derive(Debug)]
pub(crate) struct PaginatorFeatureTracker;

#[dyn_dispatch_hint]
impl Intercept for PaginatorFeatureTracker {
    fn name(&self) -> &'static str {
        "PaginatorFeatureTracker"
    }

    fn modify_before_serialization(
        &self,
        _: &mut BeforeSerializationInterceptorContextMut<'_>,
        _: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        cfg.interceptor_state()
            .store_append(SmithySdkFeature::Paginator);
        Ok(())
    }
}
