//! Collects this thread's `tracing` output from the validation (`#[tokio::test]` runs
//! on a current-thread runtime, so the calls' events land here).

use std::io::Write;
use std::sync::{Arc, Mutex};

/// The captured output; capturing stops when it is dropped.
pub struct Logs {
    buffer: Arc<Mutex<Vec<u8>>>,
    _guard: tracing::subscriber::DefaultGuard,
}

impl Logs {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.buffer.lock().unwrap()).into_owned()
    }
}

#[derive(Clone)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Captures the events of `chime_caps::validation` at `INFO` and above.
pub fn capture() -> Logs {
    capture_filtered(&format!("{}=info", chime_caps::validation::TRACING_TARGET))
}

/// Captures the spans and events that `filter` (an `EnvFilter` directive) enables.
pub fn capture_filtered(filter: &str) -> Logs {
    let buffer = Arc::new(Mutex::new(Vec::new()));
    let writer = Buffer(buffer.clone());
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    // `tracing` caches per callsite whether any subscriber wants it. A callsite that
    // another test's thread registered while no subscriber was interested can stay
    // cached as unwanted, and this thread would then see no events (it happened in CI):
    // recompute the cache now that this subscriber is registered.
    tracing::callsite::rebuild_interest_cache();
    Logs {
        buffer,
        _guard: guard,
    }
}
