//! The client-level runtime plugins, assembled once per client.
//!
//! The orchestrator applies every client plugin on every call: it pushes the plugin's
//! config layer and merges its runtime components into the call's builder. Most of a
//! client's plugins give the same layer and the same components on every call (the
//! runtime's defaults, the user's configuration, the service's own plugin), so
//! [`PluginAssembly`] asks them once, when the client is built, and hands the
//! orchestrator one plugin per layer, with the components of a whole run of such
//! plugins merged in advance into the run's last one. The layers stay separate and in
//! their order (a layer's items cannot be listed, so layers cannot be merged), the
//! shared state behind the components (identity cache, retry token bucket,
//! interceptors) is the same `Arc`s, and merging is associative (options: the later
//! one wins; lists: appended), so each call sees the same config bag and the same
//! runtime components as with the plugins applied one by one.
//!
//! Plugins that may answer differently per call (any plugin the user added) stay as
//! they are, at their place in the order. The metrics plugin is asked once too, but
//! its interceptors are only installed while an application collects metrics
//! ([`Telemetry`]).

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use aws_smithy_observability::global::get_telemetry_provider;
use aws_smithy_observability::{ObservabilityError, TelemetryProvider};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponentsBuilder;
use aws_smithy_runtime_api::client::runtime_plugin::{
    Order, RuntimePlugin, RuntimePlugins, SharedRuntimePlugin,
};
use aws_smithy_runtime_api::shared::IntoShared;
use aws_smithy_types::config_bag::FrozenLayer;

/// Client plugins in the orchestrator's order, to be turned into [`RuntimePlugins`].
#[derive(Debug, Default)]
pub(crate) struct PluginAssembly {
    entries: Vec<Entry>,
}

#[derive(Debug)]
struct Entry {
    order: Order,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    /// Gives the same layer and components on every call: asked once.
    Fixed(SharedRuntimePlugin),
    /// The metrics plugin (see [`Telemetry`]).
    Metrics(SharedRuntimePlugin),
    /// Asked on every call, as the orchestrator does.
    PerCall(SharedRuntimePlugin),
}

impl PluginAssembly {
    /// Adds a plugin whose layer and components are the same on every call.
    pub(crate) fn fixed(&mut self, plugin: impl RuntimePlugin + 'static) -> &mut Self {
        self.insert(Kind::Fixed(plugin.into_shared()))
    }

    /// Adds the metrics plugin (`aws_smithy_runtime::client::metrics`).
    pub(crate) fn metrics(&mut self, plugin: impl RuntimePlugin + 'static) -> &mut Self {
        self.insert(Kind::Metrics(plugin.into_shared()))
    }

    /// Adds a plugin that is asked on every call.
    pub(crate) fn per_call(&mut self, plugin: SharedRuntimePlugin) -> &mut Self {
        self.insert(Kind::PerCall(plugin))
    }

    /// Inserts as `RuntimePlugins::with_client_plugin` does: after every plugin of the
    /// same or an earlier order.
    fn insert(&mut self, kind: Kind) -> &mut Self {
        let order = match &kind {
            Kind::Fixed(p) | Kind::Metrics(p) | Kind::PerCall(p) => p.order(),
        };
        let at = self
            .entries
            .iter()
            .position(|e| e.order > order)
            .unwrap_or(self.entries.len());
        self.entries.insert(at, Entry { order, kind });
        self
    }

    /// The plugins the orchestrator applies on each call.
    pub(crate) fn into_runtime_plugins(self) -> RuntimePlugins {
        let mut plugins = RuntimePlugins::new();
        let mut run = Run::default();
        for Entry { order, kind } in self.entries {
            match kind {
                Kind::PerCall(plugin) => {
                    plugins = run.end(plugins).with_client_plugin(plugin);
                }
                Kind::Fixed(plugin) => {
                    run.merge(order, &plugin);
                    if let Some(layer) = plugin.config() {
                        run.push(order, layer);
                    }
                }
                Kind::Metrics(plugin) => {
                    plugins = run
                        .end(plugins)
                        .with_client_plugin(Telemetry::new(order, plugin));
                }
            }
        }
        run.end(plugins)
    }
}

/// A run of fixed plugins between two per-call ones: its layers in order, and its
/// components merged.
#[derive(Default)]
struct Run {
    layers: Vec<Prepared>,
    /// The merged components, and the order of the run's last plugin.
    components: Option<(Order, RuntimeComponentsBuilder)>,
}

impl Run {
    fn merge(&mut self, order: Order, plugin: &SharedRuntimePlugin) {
        let merged = match self.components.take() {
            Some((_, merged)) => merged,
            None => RuntimeComponentsBuilder::new("client plugins, merged"),
        };
        let next = plugin.runtime_components(&merged);
        self.components = Some((order, merged.merge_from(&next)));
    }

    fn push(&mut self, order: Order, layer: FrozenLayer) {
        self.layers.push(Prepared {
            order,
            layer: Some(layer),
            components: None,
        });
    }

    /// Adds the run's layers to `plugins`, the last one carrying the run's components
    /// (a plugin of its own when the run has components but no layer).
    fn end(&mut self, mut plugins: RuntimePlugins) -> RuntimePlugins {
        if let Some((order, components)) = self.components.take() {
            match self.layers.last_mut() {
                Some(last) => last.components = Some(components),
                None => self.layers.push(Prepared {
                    order,
                    layer: None,
                    components: Some(components),
                }),
            }
        }
        for prepared in self.layers.drain(..) {
            plugins = plugins.with_client_plugin(prepared);
        }
        plugins
    }
}

static NO_COMPONENTS: RuntimeComponentsBuilder = RuntimeComponentsBuilder::new("none");

/// One plugin of the assembled client: a layer, and for the last of a run the run's
/// components.
#[derive(Debug)]
struct Prepared {
    order: Order,
    layer: Option<FrozenLayer>,
    components: Option<RuntimeComponentsBuilder>,
}

impl RuntimePlugin for Prepared {
    fn order(&self) -> Order {
        self.order
    }

    fn config(&self) -> Option<FrozenLayer> {
        self.layer.clone()
    }

    fn runtime_components(
        &self,
        _: &RuntimeComponentsBuilder,
    ) -> Cow<'_, RuntimeComponentsBuilder> {
        Cow::Borrowed(self.components.as_ref().unwrap_or(&NO_COMPONENTS))
    }
}

/// The metrics plugin (`aws_smithy_runtime::client::metrics`), asked once.
///
/// Its interceptors time each call and attempt and wrap both bodies to count their
/// bytes, into instruments made from the global telemetry provider, which its layer
/// holds and only those interceptors read (the instruments' type is private to
/// `aws-smithy-runtime`). With the no-op provider (no application collects metrics)
/// they would record into nothing, so calls made then have neither the interceptors
/// nor the layer: one layer fewer for every look-up in the call's config bag.
///
/// The application may replace the provider at any time: the layer made when the
/// client was built (with a provider that collects) serves every call while that
/// provider is still the global one, and the plugin is asked per call once it is not
/// (as the orchestrator would).
struct Telemetry {
    order: Order,
    plugin: SharedRuntimePlugin,
    made_with: Option<(Arc<TelemetryProvider>, Option<FrozenLayer>)>,
    components: RuntimeComponentsBuilder,
}

/// Whether `provider` collects metrics (is not the no-op one); a provider that cannot
/// be read counts as collecting, so the plugin is then applied as it is.
fn collects(provider: &Result<Arc<TelemetryProvider>, ObservabilityError>) -> bool {
    provider.as_ref().map_or(true, |provider| {
        provider.meter_provider().provider_name() != "noop"
    })
}

impl fmt::Debug for Telemetry {
    // The provider has no `Debug`; whether a layer is kept says enough.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Telemetry")
            .field("order", &self.order)
            .field("plugin", &self.plugin)
            .field("layer_kept", &self.made_with.is_some())
            .field("components", &self.components)
            .finish()
    }
}

impl Telemetry {
    fn new(order: Order, plugin: SharedRuntimePlugin) -> Self {
        // The provider is read before the layer is made, so the layer is never older
        // than the provider it is kept for.
        let provider = get_telemetry_provider();
        let made_with = match &provider {
            Ok(kept) if collects(&provider) => Some((Arc::clone(kept), plugin.config())),
            _ => None,
        };
        let components = plugin.runtime_components(&NO_COMPONENTS).into_owned();
        Self {
            order,
            plugin,
            made_with,
            components,
        }
    }
}

impl RuntimePlugin for Telemetry {
    fn order(&self) -> Order {
        self.order
    }

    fn config(&self) -> Option<FrozenLayer> {
        let current = get_telemetry_provider();
        if !collects(&current) {
            return None;
        }
        match (&self.made_with, current) {
            (Some((provider, layer)), Ok(current)) if Arc::ptr_eq(provider, &current) => {
                layer.clone()
            }
            _ => self.plugin.config(),
        }
    }

    fn runtime_components(
        &self,
        _: &RuntimeComponentsBuilder,
    ) -> Cow<'_, RuntimeComponentsBuilder> {
        Cow::Borrowed(if collects(&get_telemetry_provider()) {
            &self.components
        } else {
            &NO_COMPONENTS
        })
    }
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use aws_smithy_runtime_api::client::interceptors::{Intercept, SharedInterceptor};
    use aws_smithy_runtime_api::client::runtime_components::RuntimeComponentsBuilder;
    use aws_smithy_runtime_api::client::runtime_plugin::{
        Order, RuntimePlugin, RuntimePlugins, SharedRuntimePlugin, StaticRuntimePlugin,
    };
    use aws_smithy_types::config_bag::{ConfigBag, FrozenLayer, Layer, Storable, StoreAppend};

    use super::{PluginAssembly, Telemetry, NO_COMPONENTS};

    /// Appended by every test plugin's layer: the bag lists them in layer order.
    #[derive(Debug, Clone, PartialEq)]
    struct Mark(&'static str);

    impl Storable for Mark {
        type Storer = StoreAppend<Self>;
    }

    #[derive(Debug)]
    struct Named(&'static str);

    impl Intercept for Named {
        fn name(&self) -> &'static str {
            self.0
        }
    }

    /// A plugin with a layer marked `name` and an interceptor of that name.
    fn fixed(name: &'static str, order: Order) -> StaticRuntimePlugin {
        let mut layer = Layer::new(name);
        layer.store_append(Mark(name));
        StaticRuntimePlugin::new()
            .with_order(order)
            .with_config(layer.freeze())
            .with_runtime_components(
                RuntimeComponentsBuilder::new(name)
                    .with_interceptor(SharedInterceptor::permanent(Named(name))),
            )
    }

    /// A plugin that reads the components merged before it, as some plugins do.
    #[derive(Debug)]
    struct CountsInterceptorsBefore;

    impl RuntimePlugin for CountsInterceptorsBefore {
        fn order(&self) -> Order {
            Order::Defaults
        }

        fn runtime_components(
            &self,
            current: &RuntimeComponentsBuilder,
        ) -> Cow<'_, RuntimeComponentsBuilder> {
            let name = match current.interceptors().count() {
                2 => "after two",
                _ => "after another number",
            };
            Cow::Owned(
                RuntimeComponentsBuilder::new("counting")
                    .with_interceptor(SharedInterceptor::permanent(Named(name))),
            )
        }
    }

    /// What a call sees: the layers' marks and the interceptors, in order.
    fn applied(plugins: &RuntimePlugins) -> (Vec<Mark>, Vec<&'static str>) {
        let mut bag = ConfigBag::base();
        let components = plugins
            .apply_client_configuration(&mut bag)
            .expect("the test plugins apply");
        let mut marks: Vec<Mark> = bag.load::<Mark>().cloned().collect();
        marks.reverse(); // `load` lists the last layer first
        let names = components.interceptors().map(|i| i.name()).collect();
        (marks, names)
    }

    /// The assembled plugins give each call what the plugins applied one by one give,
    /// with a per-call plugin of each order among fixed ones.
    #[test]
    fn assembled_plugins_apply_like_the_plugins_one_by_one() {
        let fixed_plugins = || {
            [
                ("a", Order::Defaults),
                ("b", Order::Overrides),
                ("c", Order::Defaults),
                ("d", Order::NestedComponents),
                ("e", Order::Overrides),
            ]
            .map(|(name, order)| SharedRuntimePlugin::new(fixed(name, order)))
        };
        let per_call = || {
            [
                SharedRuntimePlugin::new(CountsInterceptorsBefore),
                SharedRuntimePlugin::new(fixed("user", Order::Overrides)),
            ]
        };
        let one_by_one = RuntimePlugins::new()
            .with_client_plugins(fixed_plugins())
            .with_client_plugins(per_call());
        let mut assembly = PluginAssembly::default();
        for plugin in fixed_plugins() {
            assembly.fixed(plugin);
        }
        for plugin in per_call() {
            assembly.per_call(plugin);
        }
        let assembled = assembly.into_runtime_plugins();

        let expected = applied(&one_by_one);
        assert_eq!(
            expected,
            (
                ["a", "c", "b", "e", "user", "d"].map(Mark).to_vec(),
                vec!["a", "c", "after two", "b", "e", "user", "d"]
            )
        );
        assert_eq!(applied(&assembled), expected);
    }

    /// A meter provider that is not the no-op one (its meters are the no-op ones).
    #[derive(Debug)]
    struct Collecting;

    impl aws_smithy_observability::meter::ProvideMeter for Collecting {
        fn get_meter(
            &self,
            scope: &'static str,
            attributes: Option<&aws_smithy_observability::Attributes>,
        ) -> aws_smithy_observability::meter::Meter {
            aws_smithy_observability::TelemetryProvider::noop()
                .meter_provider()
                .get_meter(scope, attributes)
        }

        fn provider_name(&self) -> &'static str {
            "collecting"
        }
    }

    /// The metrics interceptors and layer are left out while the global provider is the
    /// no-op one and come back with another; a client built while that one is global
    /// keeps the layer made then. (The only test that sets the global provider.)
    #[test]
    fn metrics_interceptors_and_layer_apply_only_while_metrics_are_collected() {
        use aws_smithy_observability::global::set_telemetry_provider;
        use aws_smithy_observability::TelemetryProvider;

        let telemetry = || {
            let plugin = aws_smithy_runtime::client::metrics::MetricsRuntimePlugin::builder()
                .with_scope("test")
                .with_time_source(aws_smithy_async::time::SystemTimeSource::new())
                .build()
                .expect("scope and time source are set");
            Telemetry::new(Order::Overrides, SharedRuntimePlugin::new(plugin))
        };
        let interceptors = |telemetry: &Telemetry| -> Vec<&'static str> {
            let components = telemetry.runtime_components(&NO_COMPONENTS);
            components.interceptors().map(|i| i.name()).collect()
        };
        let same_layer = |a: &FrozenLayer, b: &FrozenLayer| std::ptr::eq::<Layer>(&**a, &**b);
        let built_without_metrics = telemetry();

        assert_eq!(interceptors(&built_without_metrics), Vec::<&str>::new());
        assert!(built_without_metrics.config().is_none());

        set_telemetry_provider(
            TelemetryProvider::builder()
                .meter_provider(std::sync::Arc::new(Collecting))
                .build(),
        )
        .expect("no other test holds the provider");
        let after = interceptors(&built_without_metrics);
        let layer = built_without_metrics.config();
        let built_with_metrics = telemetry();
        let kept = (built_with_metrics.config(), built_with_metrics.config());
        set_telemetry_provider(TelemetryProvider::default())
            .expect("no other test holds the provider");

        assert_eq!(after, ["MetricsInterceptor", "TelemetryBytesInterceptor"]);
        assert!(layer.is_some());
        match kept {
            (Some(first), Some(second)) => assert!(same_layer(&first, &second)),
            other => panic!("the client built with metrics kept no layer: {other:?}"),
        }
        assert!(built_with_metrics.config().is_none());
    }
}
