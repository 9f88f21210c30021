//! What a generated client's fluent builders and paginators share: the runtime plugins
//! of each operation, assembled once per client, and sending through them.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use aws_smithy_async::future::pagination_stream::fn_stream::FnStream;
use aws_smithy_async::future::pagination_stream::PaginationStream;
use aws_smithy_runtime_api::client::interceptors::context::{Error, Input};
use aws_smithy_runtime_api::client::interceptors::SharedInterceptor;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponentsBuilder;
use aws_smithy_runtime_api::client::runtime_plugin::{RuntimePlugins, StaticRuntimePlugin};
use aws_smithy_types::error::operation::BuildError;

use crate::config::{ConfigBuilder, ServiceConfig, ServiceInfo};
use crate::operation::{invoke_erased, typed, ErasedResult, Operation, OperationPlugin};

/// The result of a call of operation `O`.
pub type SendResult<O> =
    Result<<O as Operation>::Output, SdkError<<O as Operation>::Error, HttpResponse>>;

/// The runtime plugins of one client, or why the configuration cannot make calls.
#[derive(Debug, Clone)]
pub struct ClientPlugins(Result<RuntimePlugins, Arc<str>>);

impl ClientPlugins {
    /// The plugins of a client with `config`.
    pub fn new(
        config: &ServiceConfig,
        service: &'static ServiceInfo,
        behavior_version_latest: bool,
    ) -> Self {
        Self(
            config
                .client_plugins(service, behavior_version_latest)
                .map_err(|e| Arc::from(format!("Invalid client configuration: {e}"))),
        )
    }

    /// The plugins of operation `O` on this client.
    pub fn operation<O: Operation>(&self) -> OperationPlugins {
        self.with_operation(OperationPlugin::new::<O>())
    }

    fn with_operation(&self, operation: OperationPlugin) -> OperationPlugins {
        OperationPlugins(
            self.0
                .as_ref()
                .map(|plugins| plugins.clone().with_operation_plugin(operation))
                .map_err(Arc::clone),
        )
    }
}

/// The runtime plugins of one operation on one client.
#[derive(Debug, Clone)]
pub struct OperationPlugins(Result<RuntimePlugins, Arc<str>>);

impl OperationPlugins {
    /// Sends `input`, with `config_override` applied to this call only when given.
    ///
    /// The preparation is synchronous and the only state kept across the await is the
    /// erased call, which is compiled once ([`OperationPlugins::send_erased`]); only the
    /// conversion of its result is per operation. The call's tracing span is made here,
    /// under the current span: the generated `send` is an `async fn`, so that happens
    /// when its future is first polled, as with the official SDK.
    pub fn send<O: Operation>(
        &self,
        input: Result<O::Input, BuildError>,
        config_override: Option<Override<'_>>,
    ) -> impl Future<Output = SendResult<O>> + Send + '_ {
        let call = self.send_erased(
            O::SERVICE,
            O::NAME,
            input.map(Input::erase),
            config_override,
        );
        async move { typed::<O>(call.await) }
    }

    fn send_erased(
        &self,
        service: &'static str,
        operation: &'static str,
        input: Result<Input, BuildError>,
        config_override: Option<Override<'_>>,
    ) -> Pin<Box<dyn Future<Output = ErasedResult> + Send + '_>> {
        match self.prepare(input, config_override) {
            Err(error) => Box::pin(std::future::ready(Err(error))),
            Ok((Cow::Borrowed(plugins), input)) => {
                invoke_erased(service, operation, plugins, input)
            }
            // The plugins made for a configuration override live in the call.
            Ok((Cow::Owned(plugins), input)) => {
                Box::pin(async move { invoke_erased(service, operation, &plugins, input).await })
            }
        }
    }

    fn prepare(
        &self,
        input: Result<Input, BuildError>,
        config_override: Option<Override<'_>>,
    ) -> Result<(Cow<'_, RuntimePlugins>, Input), SdkError<Error, HttpResponse>> {
        let input = input.map_err(SdkError::construction_failure)?;
        let plugins = self
            .0
            .as_ref()
            .map_err(|message| SdkError::construction_failure(message.to_string()))?;
        let plugins = match config_override {
            None => Cow::Borrowed(plugins),
            Some(o) => Cow::Owned(o.client.override_plugins(plugins, o.settings, o.service)),
        };
        Ok((plugins, input))
    }

    /// Pages through `O`: sends `input`, then again with each page's next token until
    /// a page has none (or, with `stop_on_duplicate_token`, repeats the last one).
    pub fn paginate<O: Operation>(
        &self,
        input: Result<O::Input, BuildError>,
        stop_on_duplicate_token: bool,
        token: PageToken<O>,
    ) -> PaginationStream<SendResult<O>>
    where
        O::Input: Clone,
    {
        let plugins = self.0.clone().map(|plugins| {
            plugins.with_operation_plugin(StaticRuntimePlugin::new().with_runtime_components(
                RuntimeComponentsBuilder::new("paginator").with_interceptor(
                    SharedInterceptor::permanent(crate::features::PaginatorFeatureTracker),
                ),
            ))
        });
        let plugins = OperationPlugins(plugins);
        PaginationStream::new(FnStream::new(move |tx| {
            Box::pin(async move {
                let mut input = match input.map_err(SdkError::construction_failure) {
                    Ok(input) => input,
                    Err(e) => {
                        let _ = tx.send(Err(e)).await;
                        return;
                    }
                };
                loop {
                    let response = plugins.send::<O>(Ok(input.clone()), None).await;
                    let done = match &response {
                        Ok(page) => {
                            let next = (token.next)(page);
                            // An absent or empty token ends the pagination.
                            let exhausted = next.is_none_or(String::is_empty);
                            if !exhausted
                                && next == (token.current)(&input)
                                && stop_on_duplicate_token
                            {
                                true
                            } else {
                                (token.set)(&mut input, next.cloned());
                                exhausted
                            }
                        }
                        Err(_) => true,
                    };
                    if tx.send(response).await.is_err() || done {
                        return;
                    }
                }
            })
        }))
    }
}

/// How a paginated operation carries its token.
pub struct PageToken<O: Operation> {
    /// The token the input sends.
    pub current: fn(&O::Input) -> Option<&String>,
    /// Sets the input's token.
    pub set: fn(&mut O::Input, Option<String>),
    /// The next token of a page.
    pub next: fn(&O::Output) -> Option<&String>,
}

/// A per-call configuration override.
#[derive(Debug)]
pub struct Override<'a> {
    /// The client's configuration.
    pub client: &'a ServiceConfig,
    /// What the call overrides.
    pub settings: ConfigBuilder,
    /// The service.
    pub service: &'static ServiceInfo,
}

#[cfg(test)]
mod tests {
    use super::ClientPlugins;
    use crate::config::tests::test_service;
    use crate::config::{ConfigBuilder, ServiceInfo};

    static SERVICE: ServiceInfo = test_service(false);

    /// Without a behavior version (and without `behavior-version-latest`) the client is
    /// built and every call fails with the reason, said once.
    #[test]
    fn a_missing_behavior_version_fails_the_calls_with_the_reason() {
        let config = ConfigBuilder::default().build(&SERVICE);
        let plugins = format!("{:?}", ClientPlugins::new(&config, &SERVICE, false).0);
        assert!(
            plugins.starts_with(
                "Err(\"Invalid client configuration: A behavior major version must be set"
            ),
            "{plugins}"
        );
        assert_eq!(plugins.matches("Invalid client configuration").count(), 1);
    }
}
