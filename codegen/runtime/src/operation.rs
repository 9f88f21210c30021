//! The orchestration every operation shares, written once: its runtime plugin
//! (serializer, deserializer, signing, retry classification) and [`invoke`]. The
//! entry points are generic over [`Operation`], but only to convert between the
//! operation's types and the orchestrator's erased ones; the rest is compiled once in
//! this crate, not once per operation in every generated crate.

use std::borrow::Cow;
use std::fmt;
use std::future::Future;
use std::pin::Pin;

use aws_smithy_runtime::client::retries::classifiers::{
    ModeledAsRetryableClassifier, TransientErrorClassifier,
};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::auth::AuthSchemeOptionResolverParams;
use aws_smithy_runtime_api::client::endpoint::error::InvalidEndpointError;
use aws_smithy_runtime_api::client::endpoint::{EndpointPrefix, EndpointResolverParams};
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeSerializationInterceptorContextMut, BeforeSerializationInterceptorContextRef, Error,
    Input, Output, OutputOrError,
};
use aws_smithy_runtime_api::client::interceptors::error::ContextAttachedError;
use aws_smithy_runtime_api::client::interceptors::{
    dyn_dispatch_hint, Intercept, SharedInterceptor,
};
use aws_smithy_runtime_api::client::orchestrator::{
    HttpRequest, HttpResponse, Metadata, OrchestratorError, SensitiveOutput,
};
use aws_smithy_runtime_api::client::result::{CreateUnhandledError, SdkError};
use aws_smithy_runtime_api::client::retries::classifiers::SharedRetryClassifier;
use aws_smithy_runtime_api::client::runtime_components::{
    RuntimeComponents, RuntimeComponentsBuilder,
};
use aws_smithy_runtime_api::client::runtime_plugin::{RuntimePlugin, RuntimePlugins};
use aws_smithy_runtime_api::client::ser_de::{
    DeserializeResponse, SerializeRequest, SharedRequestSerializer, SharedResponseDeserializer,
};
use aws_smithy_runtime_api::http::Headers;
use aws_smithy_types::config_bag::{ConfigBag, FrozenLayer, Layer};
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use aws_smithy_types::error::ErrorMetadata;
use aws_smithy_types::retry::ProvideErrorKind;
use aws_smithy_types::telemetry::{CapturedTelemetryAttributes, RequestedTelemetryAttributes};
use tracing::Instrument;

use crate::idempotency::IdempotencyTokenProvider;

/// One operation of a service, as generated code describes it.
pub trait Operation: Send + Sync + 'static {
    /// The input structure.
    type Input: fmt::Debug + Send + Sync + 'static;
    /// The output structure.
    type Output: fmt::Debug + Send + Sync + 'static;
    /// The operation's error enum.
    type Error: std::error::Error
        + ProvideErrorMetadata
        + ProvideErrorKind
        + CreateUnhandledError
        + Send
        + Sync
        + 'static;

    /// The operation's shape name.
    const NAME: &'static str;
    /// The service's SDK id.
    const SERVICE: &'static str;
    /// The output holds `@sensitive` data: keep it out of debug logs.
    const SENSITIVE_OUTPUT: bool = false;
    /// The input has an `@idempotencyToken` member.
    const IDEMPOTENCY_TOKEN: bool = false;
    /// The auth schemes the operation may use.
    const AUTH: crate::auth::OperationAuth = crate::auth::OperationAuth::SigV4;
    /// The operation has an `@endpoint` host prefix ([`Operation::endpoint_prefix`]).
    const HOST_PREFIX: bool = false;
    /// `aws.auth#unsignedPayload`: SigV4 signs `UNSIGNED-PAYLOAD` instead of the body's
    /// hash and sends it in `x-amz-content-sha256`.
    const UNSIGNED_PAYLOAD: bool = false;
    /// The operation sets endpoint parameters from its call
    /// ([`Operation::endpoint_context`]).
    const ENDPOINT_CONTEXT: bool = false;

    /// Fills the input's idempotency token when it is unset.
    fn fill_idempotency_token(_input: &mut Self::Input, _provider: &IdempotencyTokenProvider) {}

    /// Passes each string member that may be captured as a telemetry attribute.
    fn telemetry_attributes(_input: &Self::Input, _attribute: &mut dyn FnMut(&'static str, &str)) {}

    /// The host prefix of a call with `input`, when [`Operation::HOST_PREFIX`] is set.
    fn endpoint_prefix(_input: &Self::Input) -> Result<EndpointPrefix, InvalidEndpointError> {
        Err(InvalidEndpointError::failed_to_construct_uri(
            "the operation has no host prefix",
        ))
    }

    /// Sets the endpoint parameters a call with `input` gives (`@contextParam`,
    /// `@staticContextParams`, `@operationContextParams`), when
    /// [`Operation::ENDPOINT_CONTEXT`] is set.
    fn endpoint_context(_input: &Self::Input, _params: &mut EndpointResolverParams) {}

    /// The HTTP request of `input`.
    fn serialize(input: Self::Input) -> Result<HttpRequest, BoxError>;

    /// Whether a response with `status` is a success (any 2xx, or the modeled code).
    fn is_success(status: u16) -> bool;

    /// The output of a successful response.
    fn deserialize_output(
        status: u16,
        headers: &Headers,
        body: &[u8],
    ) -> Result<Self::Output, BoxError>;

    /// For an output whose payload is a stream: the output of a successful `response`,
    /// taking its body unread. `None` (any other operation) has the body read first and
    /// passed to [`deserialize_output`](Self::deserialize_output).
    fn deserialize_streaming_output(
        _response: &mut HttpResponse,
    ) -> Option<Result<Self::Output, BoxError>> {
        None
    }

    /// The error of an error response.
    fn deserialize_error(status: u16, headers: &Headers, body: &[u8]) -> Self::Error;
}

/// The runtime plugin of one operation: built once per client by
/// [`OperationPlugin::new`].
#[derive(Debug, Clone)]
pub struct OperationPlugin {
    layer: FrozenLayer,
    components: RuntimeComponentsBuilder,
}

impl OperationPlugin {
    /// The plugin of operation `O`.
    ///
    /// Only the conversions between `O`'s types and the orchestrator's erased ones are
    /// generic (a few small functions per operation); the plugin is assembled by
    /// [`OperationPlugin::assemble`], compiled once in this crate.
    pub fn new<O: Operation>() -> Self {
        Self::assemble(
            ErasedOperation::of::<O>(),
            // These classifiers read the operation's own error type, so they are
            // made per operation.
            [
                SharedRetryClassifier::new(ModeledAsRetryableClassifier::<O::Error>::new()),
                SharedRetryClassifier::new(
                    aws_runtime::retries::classifiers::AwsErrorCodeClassifier::<O::Error>::new(),
                ),
                SharedRetryClassifier::new(
                    aws_runtime::service_clock_skew::ServiceClockSkewClassifier::<O::Error>::new(),
                ),
            ],
        )
    }

    fn assemble(operation: ErasedOperation, error_classifiers: [SharedRetryClassifier; 3]) -> Self {
        let name = operation.name;
        let mut layer = Layer::new(name);
        layer.store_put(SharedRequestSerializer::new(Serializer(operation)));
        layer.store_put(SharedResponseDeserializer::new(Deserializer(operation)));
        layer.store_put(AuthSchemeOptionResolverParams::new(
            crate::auth::Params::builder()
                .operation_name(name)
                .build()
                .expect("the operation name is set"),
        ));
        if operation.sensitive_output {
            layer.store_put(SensitiveOutput);
        }
        // Read by the default auth scheme resolver, which knows operations only by name.
        layer.store_put(operation.auth);
        layer.store_put(Metadata::new(name, operation.service));
        let mut signing_options = aws_runtime::auth::SigningOptions::default();
        signing_options.double_uri_encode = true;
        signing_options.content_sha256_header = operation.unsigned_payload;
        signing_options.normalize_uri_path = true;
        signing_options.payload_override = operation
            .unsigned_payload
            .then_some(aws_sigv4::http_request::SignableBody::UnsignedPayload);
        layer.store_put(aws_runtime::auth::SigV4OperationSigningConfig {
            signing_options,
            ..Default::default()
        });
        let mut components = RuntimeComponentsBuilder::new(name)
            .with_interceptor(SharedInterceptor::permanent(TelemetryCapture(operation)))
            .with_interceptor(SharedInterceptor::permanent(
                aws_smithy_runtime::client::stalled_stream_protection::StalledStreamProtectionInterceptor::default(),
            ))
            .with_interceptor(SharedInterceptor::permanent(EndpointParamsInterceptor(operation)))
            // This one never looks at the error's type: one instance type for every
            // operation.
            .with_retry_classifier(TransientErrorClassifier::<ErrorMetadata>::new());
        for classifier in error_classifiers {
            components.push_retry_classifier(classifier);
        }
        if operation.has_idempotency_token {
            components.push_interceptor(SharedInterceptor::permanent(IdempotencyToken(operation)));
        }
        if operation.has_host_prefix {
            components.push_interceptor(SharedInterceptor::permanent(HostPrefix(operation)));
        }
        Self {
            layer: layer.freeze(),
            components,
        }
    }
}

impl OperationPlugin {
    /// The config layer (for operation types' own `RuntimePlugin` implementation).
    pub fn layer(&self) -> Option<FrozenLayer> {
        Some(self.layer.clone())
    }

    /// The runtime components (for operation types' own `RuntimePlugin` implementation).
    pub fn into_components(self) -> RuntimeComponentsBuilder {
        self.components
    }
}

impl RuntimePlugin for OperationPlugin {
    fn config(&self) -> Option<FrozenLayer> {
        self.layer()
    }

    fn runtime_components(
        &self,
        _: &RuntimeComponentsBuilder,
    ) -> Cow<'_, RuntimeComponentsBuilder> {
        Cow::Borrowed(&self.components)
    }
}

/// Implements `RuntimePlugin` for the operation type `$operation` (an [`Operation`]), as
/// the official SDKs' operation types implement it: the config layer and components a
/// call of the operation adds ([`OperationPlugin`]).
#[macro_export]
macro_rules! impl_operation_runtime_plugin {
    ($operation:ident) => {
        impl $crate::deps::aws_smithy_runtime_api::client::runtime_plugin::RuntimePlugin
            for $operation
        {
            fn config(
                &self,
            ) -> ::std::option::Option<$crate::deps::aws_smithy_types::config_bag::FrozenLayer>
            {
                $crate::operation::OperationPlugin::new::<Self>().layer()
            }

            fn runtime_components(
                &self,
                _: &$crate::deps::aws_smithy_runtime_api::client::runtime_components::RuntimeComponentsBuilder,
            ) -> ::std::borrow::Cow<
                '_,
                $crate::deps::aws_smithy_runtime_api::client::runtime_components::RuntimeComponentsBuilder,
            > {
                ::std::borrow::Cow::Owned(
                    $crate::operation::OperationPlugin::new::<Self>().into_components(),
                )
            }
        }
    };
}

/// Runs operation `O` through the orchestrator with `plugins`.
pub async fn invoke<O: Operation>(
    plugins: &RuntimePlugins,
    input: O::Input,
) -> Result<O::Output, SdkError<O::Error, HttpResponse>> {
    typed::<O>(invoke_erased(O::SERVICE, O::NAME, plugins, Input::erase(input)).await)
}

/// The typed result of an erased call of `O`.
pub(crate) fn typed<O: Operation>(
    result: ErasedResult,
) -> Result<O::Output, SdkError<O::Error, HttpResponse>> {
    let output = result.map_err(|err| err.map_service_error(typed_error::<O>))?;
    output.downcast::<O::Output>().map_err(|other| {
        SdkError::construction_failure(output_of_another_operation(O::NAME, other))
    })
}

fn typed_error<O: Operation>(error: Error) -> O::Error {
    error.downcast::<O::Error>().unwrap_or_else(|other| {
        O::Error::create_unhandled_error(error_of_another_type(other), None)
    })
}

/// An interceptor replaced the error with one of another type.
fn error_of_another_type(other: Error) -> BoxError {
    format!("unexpected error type: {other:?}").into()
}

/// An interceptor replaced the output with one of another operation.
fn output_of_another_operation(operation: &str, other: Output) -> String {
    format!("{operation}: an interceptor set an output of another operation: {other:?}")
}

pub(crate) type ErasedResult = Result<Output, SdkError<Error, HttpResponse>>;

/// The orchestration itself, with erased types and behind a box: its state machine is
/// compiled once, in this crate, rather than once per operation in every generated crate.
/// It runs in its tracing span, made here: when the generated `async fn send` is first
/// polled, under the span current there.
///
/// The orchestrator's future is large (room for every state of the call), so it is made
/// in a box allocated beforehand, and the span wraps the box: made first and then moved
/// into a box, or into `tracing::Instrumented`, it would be copied whole each time.
pub(crate) fn invoke_erased<'a>(
    service: &'static str,
    operation: &'static str,
    plugins: &'a RuntimePlugins,
    input: Input,
) -> Pin<Box<dyn Future<Output = ErasedResult> + Send + 'a>> {
    let call = Box::write(
        Box::new_uninit(),
        aws_smithy_runtime::client::orchestrator::invoke(service, operation, input, plugins),
    );
    let call = Box::into_pin(call);
    Box::pin(call.instrument(tracing::debug_span!(
        "invoke",
        "rpc.service" = service,
        "rpc.method" = operation,
        "sdk_invocation_id" = fastrand::u32(1_000_000..10_000_000),
        "rpc.system" = "aws-api",
    )))
}

/// Passes the input's telemetry attributes to the sink; `false` when the input is not
/// the operation's.
type CaptureTelemetry = fn(&Input, &mut dyn FnMut(&'static str, &str)) -> bool;

/// What the runtime needs of one operation, its types erased: conversions between the
/// operation's input, output and error and the orchestrator's `Input`, `Output` and
/// `Error`. Each function is a small instance per operation; everything around them
/// (the serializer, deserializer and interceptors below) is compiled once.
#[derive(Clone, Copy)]
struct ErasedOperation {
    name: &'static str,
    service: &'static str,
    sensitive_output: bool,
    has_idempotency_token: bool,
    has_host_prefix: bool,
    has_endpoint_context: bool,
    auth: crate::auth::OperationAuth,
    unsigned_payload: bool,
    serialize: fn(Input) -> Result<HttpRequest, BoxError>,
    deserialize: fn(u16, &Headers, &[u8]) -> Result<Output, Error>,
    deserialize_streaming: fn(&mut HttpResponse) -> Option<Result<Output, Error>>,
    telemetry_attributes: CaptureTelemetry,
    fill_idempotency_token: fn(&mut Input, &IdempotencyTokenProvider),
    endpoint_prefix: fn(&Input) -> Result<EndpointPrefix, BoxError>,
    endpoint_context: fn(&Input, &mut EndpointResolverParams),
}

impl ErasedOperation {
    fn of<O: Operation>() -> Self {
        Self {
            name: O::NAME,
            service: O::SERVICE,
            sensitive_output: O::SENSITIVE_OUTPUT,
            has_idempotency_token: O::IDEMPOTENCY_TOKEN,
            has_host_prefix: O::HOST_PREFIX,
            has_endpoint_context: O::ENDPOINT_CONTEXT,
            auth: O::AUTH,
            unsigned_payload: O::UNSIGNED_PAYLOAD,
            serialize: serialize::<O>,
            deserialize: deserialize::<O>,
            deserialize_streaming: deserialize_streaming::<O>,
            telemetry_attributes: telemetry_attributes::<O>,
            fill_idempotency_token: fill_idempotency_token::<O>,
            endpoint_prefix: endpoint_prefix::<O>,
            endpoint_context: endpoint_context::<O>,
        }
    }
}

fn serialize<O: Operation>(input: Input) -> Result<HttpRequest, BoxError> {
    match input.downcast::<O::Input>() {
        Ok(input) => O::serialize(input),
        Err(other) => Err(input_of_another_operation(O::NAME, &other)),
    }
}

fn input_of_another_operation(operation: &str, other: &Input) -> BoxError {
    format!("{operation}: input of another operation: {other:?}").into()
}

fn deserialize<O: Operation>(status: u16, headers: &Headers, body: &[u8]) -> Result<Output, Error> {
    if O::is_success(status) {
        erase_output::<O>(O::deserialize_output(status, headers, body))
    } else {
        Err(Error::erase(O::deserialize_error(status, headers, body)))
    }
}

/// A successful response of an operation whose output streams its payload, read without
/// its body; `None` for an error response or another operation (the body is read first).
fn deserialize_streaming<O: Operation>(
    response: &mut HttpResponse,
) -> Option<Result<Output, Error>> {
    if !O::is_success(response.status().as_u16()) {
        return None;
    }
    O::deserialize_streaming_output(response).map(erase_output::<O>)
}

/// A success response whose headers or body cannot be read is the operation's unhandled
/// error (a service error, as in the official SDKs), without metadata.
fn erase_output<O: Operation>(output: Result<O::Output, BoxError>) -> Result<Output, Error> {
    match output {
        Ok(output) => Ok(Output::erase(output)),
        Err(unreadable) => Err(Error::erase(O::Error::create_unhandled_error(
            unreadable, None,
        ))),
    }
}

fn telemetry_attributes<O: Operation>(
    input: &Input,
    attribute: &mut dyn FnMut(&'static str, &str),
) -> bool {
    match input.downcast_ref::<O::Input>() {
        Some(input) => {
            O::telemetry_attributes(input, attribute);
            true
        }
        None => false,
    }
}

fn fill_idempotency_token<O: Operation>(input: &mut Input, provider: &IdempotencyTokenProvider) {
    if let Some(input) = input.downcast_mut::<O::Input>() {
        O::fill_idempotency_token(input, provider);
    }
}

fn endpoint_prefix<O: Operation>(input: &Input) -> Result<EndpointPrefix, BoxError> {
    match input.downcast_ref::<O::Input>() {
        Some(input) => Ok(O::endpoint_prefix(input)?),
        None => Err(input_of_another_operation(O::NAME, input)),
    }
}

fn endpoint_context<O: Operation>(input: &Input, params: &mut EndpointResolverParams) {
    if let Some(input) = input.downcast_ref::<O::Input>() {
        O::endpoint_context(input, params);
    }
}

struct Serializer(ErasedOperation);

impl fmt::Debug for Serializer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Serializer")
    }
}

impl SerializeRequest for Serializer {
    fn serialize_input(&self, input: Input, _: &mut ConfigBag) -> Result<HttpRequest, BoxError> {
        (self.0.serialize)(input)
    }
}

struct Deserializer(ErasedOperation);

impl fmt::Debug for Deserializer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Deserializer")
    }
}

impl DeserializeResponse for Deserializer {
    fn deserialize_streaming(&self, response: &mut HttpResponse) -> Option<OutputOrError> {
        let output = (self.0.deserialize_streaming)(response)?;
        tracing::debug!(request_id = ?aws_types::request_id::RequestId::request_id(&*response));
        Some(output.map_err(OrchestratorError::operation))
    }

    fn deserialize_nonstreaming(&self, response: &HttpResponse) -> OutputOrError {
        let Some(body) = response.body().bytes() else {
            return Err(OrchestratorError::other(
                "the response body was not loaded before deserialization",
            ));
        };
        tracing::debug!(request_id = ?aws_types::request_id::RequestId::request_id(response));
        (self.0.deserialize)(response.status().as_u16(), response.headers(), body)
            .map_err(OrchestratorError::operation)
    }
}

/// Fills an unset idempotency token before serialization, so every retry of one call
/// sends the same token.
struct IdempotencyToken(ErasedOperation);

impl fmt::Debug for IdempotencyToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("IdempotencyTokenInterceptor")
    }
}

#[dyn_dispatch_hint]
impl Intercept for IdempotencyToken {
    fn name(&self) -> &'static str {
        "IdempotencyTokenInterceptor"
    }

    fn modify_before_serialization(
        &self,
        context: &mut BeforeSerializationInterceptorContextMut<'_>,
        _: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let provider = cfg
            .load::<IdempotencyTokenProvider>()
            .ok_or("no idempotency token provider is configured")?;
        (self.0.fill_idempotency_token)(context.input_mut(), provider);
        Ok(())
    }
}

/// Stores the call's `@endpoint` host prefix, made from its input, where the
/// orchestrator puts it in front of the resolved endpoint's host (as the official
/// SDKs do, in the same hook and with the same error).
struct HostPrefix(ErasedOperation);

impl fmt::Debug for HostPrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("HostPrefixInterceptor")
    }
}

#[dyn_dispatch_hint]
impl Intercept for HostPrefix {
    fn name(&self) -> &'static str {
        "HostPrefixInterceptor"
    }

    fn read_before_execution(
        &self,
        context: &BeforeSerializationInterceptorContextRef<'_>,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let prefix = (self.0.endpoint_prefix)(context.input())
            .map_err(|err| ContextAttachedError::new("endpoint prefix could not be built", err))?;
        cfg.interceptor_state().store_put(prefix);
        Ok(())
    }
}

/// Hands each call its copy of the endpoint parameters the configuration built, with
/// those the operation takes from the call (the orchestrator resolves the endpoint from
/// the interceptor state). It runs with the operation's interceptors, after a per-call
/// override's settings apply.
struct EndpointParamsInterceptor(ErasedOperation);

impl fmt::Debug for EndpointParamsInterceptor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EndpointParamsInterceptor")
    }
}

#[dyn_dispatch_hint]
impl Intercept for EndpointParamsInterceptor {
    fn name(&self) -> &'static str {
        "EndpointParamsInterceptor"
    }

    fn read_before_execution(
        &self,
        context: &BeforeSerializationInterceptorContextRef<'_>,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let mut params = cfg
            .load::<crate::config::EndpointParams>()
            .ok_or("the configuration has no endpoint parameters")?
            .resolver_params()?;
        if self.0.has_endpoint_context {
            (self.0.endpoint_context)(context.input(), &mut params);
        }
        cfg.interceptor_state().store_put(params);
        Ok(())
    }
}

/// Records the input members the configuration asked for as telemetry attributes.
struct TelemetryCapture(ErasedOperation);

impl fmt::Debug for TelemetryCapture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TelemetryInputCaptureInterceptor")
    }
}

#[dyn_dispatch_hint]
impl Intercept for TelemetryCapture {
    fn name(&self) -> &'static str {
        "TelemetryInputCaptureInterceptor"
    }

    fn read_before_execution(
        &self,
        context: &BeforeSerializationInterceptorContextRef<'_>,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let Some(requested) = cfg
            .load::<RequestedTelemetryAttributes>()
            .filter(|r| !r.is_empty())
        else {
            return Ok(());
        };
        let mut captured = CapturedTelemetryAttributes::default();
        let is_this_operations_input =
            (self.0.telemetry_attributes)(context.input(), &mut |name, value| {
                if requested.should_capture(name) {
                    captured.insert(name, value);
                }
            });
        if is_this_operations_input {
            cfg.interceptor_state().store_put(captured);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_smithy_runtime_api::client::interceptors::context::InterceptorContext;
    use chime_caps_generated::operation::get_meeting::GetMeetingError;

    #[derive(Debug)]
    struct Lookup {
        account_id: Option<String>,
    }

    /// The endpoint parameters of the test operation's service.
    #[derive(Debug, Clone)]
    struct LookupParams {
        account: Option<String>,
    }

    /// An operation with a host prefix `{AccountId}.data-` and the endpoint parameter
    /// `Account` bound to its call when `PREFIXED`; only its plugin, prefix and endpoint
    /// parameters are used.
    struct LookupOperation<const PREFIXED: bool>;

    impl<const PREFIXED: bool> Operation for LookupOperation<PREFIXED> {
        type Input = Lookup;
        type Output = ();
        // Any operation error type does.
        type Error = GetMeetingError;
        const NAME: &'static str = "Lookup";
        const SERVICE: &'static str = "Test";
        const HOST_PREFIX: bool = PREFIXED;
        const ENDPOINT_CONTEXT: bool = PREFIXED;

        fn endpoint_context(input: &Lookup, params: &mut EndpointResolverParams) {
            if let Some(p) = params.get_mut::<LookupParams>() {
                p.account = input.account_id.clone();
            }
        }

        fn endpoint_prefix(input: &Lookup) -> Result<EndpointPrefix, InvalidEndpointError> {
            let mut prefix = crate::protocol::HostPrefixBuilder::default();
            prefix.label("account_id", input.account_id.as_deref())?;
            prefix.literal(".data-");
            prefix.build()
        }

        fn serialize(_: Lookup) -> Result<HttpRequest, BoxError> {
            unreachable!("not sent")
        }

        fn is_success(_: u16) -> bool {
            unreachable!("not sent")
        }

        fn deserialize_output(_: u16, _: &Headers, _: &[u8]) -> Result<(), BoxError> {
            unreachable!("not sent")
        }

        fn deserialize_error(_: u16, _: &Headers, _: &[u8]) -> Self::Error {
            unreachable!("not sent")
        }
    }

    fn interceptor_names<O: Operation>() -> Vec<&'static str> {
        OperationPlugin::new::<O>()
            .components
            .interceptors()
            .map(|i| i.name())
            .collect()
    }

    /// Only an operation with a host prefix has the interceptor that makes it.
    #[test]
    fn only_operations_with_a_host_prefix_make_one() {
        assert!(interceptor_names::<LookupOperation<true>>().contains(&"HostPrefixInterceptor"));
        assert!(!interceptor_names::<LookupOperation<false>>().contains(&"HostPrefixInterceptor"));
    }

    /// The interceptor stores the call's prefix for the orchestrator (which puts it in
    /// front of the endpoint's host), or fails the call as the official SDKs do.
    #[test]
    fn the_host_prefix_is_made_from_the_calls_input() {
        let run = |account_id: Option<&str>| {
            let context = InterceptorContext::new(Input::erase(Lookup {
                account_id: account_id.map(str::to_owned),
            }));
            let mut cfg = ConfigBag::base();
            HostPrefix(ErasedOperation::of::<LookupOperation<true>>())
                .read_before_execution(&(&context).into(), &mut cfg)
                .map(|()| cfg.load::<EndpointPrefix>().unwrap().as_str().to_owned())
        };
        assert_eq!(run(Some("123456789012")).unwrap(), "123456789012.data-");
        let err = run(None).unwrap_err();
        assert_eq!(err.to_string(), "endpoint prefix could not be built");
        let cause = err.source().and_then(|uri| uri.source()).unwrap();
        assert_eq!(
            cause.to_string(),
            "account_id was unset or empty but must be set as part of the endpoint prefix"
        );
    }

    /// The call's endpoint parameters are the configuration's, with those the operation
    /// binds to its input set; an operation without such bindings leaves them as they are.
    #[test]
    fn endpoint_parameters_take_what_the_call_binds() {
        fn account<O: Operation<Input = Lookup>>() -> Option<String> {
            let context = InterceptorContext::new(Input::erase(Lookup {
                account_id: Some("123456789012".to_owned()),
            }));
            let mut cfg = ConfigBag::base();
            cfg.interceptor_state()
                .store_put(crate::config::EndpointParams::new(LookupParams {
                    account: None,
                }));
            EndpointParamsInterceptor(ErasedOperation::of::<O>())
                .read_before_execution(&(&context).into(), &mut cfg)
                .unwrap();
            let params = cfg.load::<EndpointResolverParams>().unwrap();
            params.get::<LookupParams>().unwrap().account.clone()
        }
        assert_eq!(
            account::<LookupOperation<true>>().as_deref(),
            Some("123456789012")
        );
        assert_eq!(account::<LookupOperation<false>>(), None);
    }
}
