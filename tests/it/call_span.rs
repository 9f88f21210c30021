//! The tracing span of each call.

use chime_caps::validation::ValidationMode;
use tracing::Instrument;

use crate::support;
use crate::support::service::FakeService;

/// The call's `invoke` span is made when the sent future is first polled, as with the
/// official SDK (whose `send` is an `async fn`): a span the caller wraps that future
/// in, after `send()` returned it, is its parent.
#[tokio::test]
async fn the_call_span_is_a_child_of_the_span_the_call_is_polled_in() {
    let service = FakeService::new();
    let client = service.client_in(ValidationMode::Enforce);
    let logs = support::logs::capture_filtered(
        "call_span_test=info,chime_caps_runtime=debug,aws_smithy_runtime::client::orchestrator=debug",
    );
    let call = client.get_meeting().meeting_id("no-such-meeting").send();
    let _ = call
        .instrument(tracing::info_span!(target: "call_span_test", "caller"))
        .await;
    let text = logs.text();
    assert!(
        text.contains("caller:invoke{rpc.service=") && text.contains("rpc.method=\"GetMeeting\""),
        "{text}"
    );
}
