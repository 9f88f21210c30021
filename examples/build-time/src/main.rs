//! A client generated at build time: `build.rs` writes it to `$OUT_DIR/chime.rs` with
//! `chime_caps_codegen::Generator`, and it is included here as the module `chime`.
//! The program builds the client (without calling the service) and prints the
//! operations it offers, read from the generated route table.

use std::process::ExitCode;

mod chime {
    include!(concat!(env!("OUT_DIR"), "/chime.rs"));
}

fn main() -> ExitCode {
    let client = chime::Client::from_conf(
        chime::Config::builder()
            .behavior_version_latest()
            .region(chime::config::Region::new("us-east-1"))
            .build(),
    );
    // The fluent builders of both operations exist (building one sends nothing).
    let _ = client.update_attendee_capabilities();
    let _ = client.batch_update_attendee_capabilities_except();

    println!("operations offered by the generated client:");
    for route in chime::operation::ROUTES {
        println!("  {} ({} {})", route.operation, route.method, route.uri);
    }

    let sorted = |mut names: Vec<&'static str>| {
        names.sort_unstable();
        names
    };
    let offered = sorted(
        chime::operation::ROUTES
            .iter()
            .map(|r| r.operation)
            .collect(),
    );
    let requested = sorted(env!("CHIME_OPERATIONS").split(',').collect());
    if offered != requested {
        eprintln!("the generated client offers {offered:?}, but build.rs asked for {requested:?}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
