//! `chime-caps emulator`: the emulator as a process, until Ctrl-C (or SIGTERM).

use std::io::Write;
use std::time::Duration;

use chime_caps::emulator::{Emulator, FaultRates, ServerOptions, DEFAULT_REGION};

use super::args::{EmulatorArgs, GlobalArgs};
use super::CliError;

/// Starts the emulator, prints how to reach it, and serves until a signal.
pub async fn serve(global: &GlobalArgs, args: &EmulatorArgs) -> Result<(), CliError> {
    let region = global.region.as_deref().unwrap_or(DEFAULT_REGION);
    let read_timeout = Duration::from_secs(args.read_timeout);
    let options = ServerOptions {
        max_connections: args.max_connections,
        header_read_timeout: read_timeout,
        body_read_timeout: read_timeout,
        idle_timeout: Duration::from_secs(args.idle_timeout),
        // Ctrl-C should not wait long for a stuck client.
        shutdown_timeout: Duration::from_secs(2),
        ..ServerOptions::default()
    };
    let fault_rates = FaultRates {
        drop_connection: args.fault_drop_connection,
        drop_reply: args.fault_drop_reply,
        service_unavailable: args.fault_service_unavailable,
        delay: args.fault_delay,
        max_delay: Duration::from_millis(args.fault_max_delay_ms),
        seed: args.fault_seed,
    };
    let mut builder = Emulator::builder()
        .port(args.port)
        .region(region)
        .server_options(options);
    if let (Some(key), Some(secret)) = (&args.access_key_id, &args.secret_access_key) {
        builder = builder.credentials(key, secret);
    }
    let emulator = builder.start().await.map_err(|e| {
        CliError::Other(format!("could not listen on 127.0.0.1:{}: {e}", args.port))
    })?;
    // Rates that add up to more than 1 stop the emulator before it prints anything.
    emulator
        .faults()
        .set_rates(fault_rates)
        .map_err(|e| CliError::Usage(format!("--fault-* options: {e}")))?;
    let url = emulator.endpoint_url();
    let creds = emulator.credentials();
    let (key, secret) = (creds.access_key_id(), creds.secret_access_key());
    let banner = format!(
        "Chime SDK Meetings emulator listening on {url}\n\
         region:            {region}\n\
         access key id:     {key}\n\
         secret access key: {secret}\n\
         \n\
         Point a client at it:\n  \
           export AWS_ACCESS_KEY_ID={key} AWS_SECRET_ACCESS_KEY={secret} AWS_REGION={region}\n  \
           aws chime-sdk-meetings create-meeting --endpoint-url {url} \\\n      \
             --client-request-token demo-1 --media-region {region} --external-meeting-id demo\n  \
           chime-caps update-attendee-capabilities --endpoint-url {url} \\\n      \
             --meeting-id MEETING --attendee-id ATTENDEE --capabilities Audio=Receive,Video=None,Content=None\n\
         \n\
         {faults}\
         Press Ctrl-C to stop.",
        faults = describe_faults(&fault_rates),
    );
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{banner}")
        .and_then(|()| stdout.flush())
        .map_err(|e| CliError::Other(format!("could not write to stdout: {e}")))?;
    drop(stdout);

    shutdown_signal().await;
    let served = emulator.requests_served();
    let held = emulator.state_summary();
    let injected = emulator.faults().injected();
    emulator.shutdown().await;
    println!(
        "Emulator stopped after {served} request(s).\n\
         Held at the end: {} meeting(s), {} attendee(s), {} client request token(s).\n\
         Faults injected: {injected}.",
        held.meetings, held.attendees, held.client_request_tokens
    );
    Ok(())
}

/// The banner's line about injected faults (empty when there are none).
fn describe_faults(rates: &FaultRates) -> String {
    if *rates == FaultRates::default() {
        return String::new();
    }
    let percent = |rate: f64| rate * 100.0;
    format!(
        "Injecting faults (seed {}): {} % dropped connections, {} % dropped responses, \
         {} % 503 answers, {} % delays of up to {} ms.\n\n",
        rates.seed,
        percent(rates.drop_connection),
        percent(rates.drop_reply),
        percent(rates.service_unavailable),
        percent(rates.delay),
        rates.max_delay.as_millis()
    )
}

/// Ctrl-C, or SIGTERM on Unix.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
