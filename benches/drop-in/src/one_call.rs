//! The smallest useful program on the official `aws-sdk-chimesdkmeetings` API: one
//! `UpdateAttendeeCapabilities` call. `cargo bench --bench compare` builds it against
//! each crate and compares the stripped sizes; it also runs it once against the
//! emulator (a 404 for the made-up ids is the expected answer: the call was made).
//!
//! Usage: `one-call ENDPOINT_URL ACCESS_KEY_ID SECRET_ACCESS_KEY`

use aws_sdk_chimesdkmeetings::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_chimesdkmeetings::error::DisplayErrorContext;
use aws_sdk_chimesdkmeetings::types::{AttendeeCapabilities, MediaCapabilities};

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [endpoint, key, secret] = args.as_slice() else {
        eprintln!("usage: one-call ENDPOINT_URL ACCESS_KEY_ID SECRET_ACCESS_KEY");
        return std::process::ExitCode::from(2);
    };
    let config = aws_sdk_chimesdkmeetings::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("us-east-1"))
        .credentials_provider(Credentials::new(key, secret, None, None, "one-call"))
        .endpoint_url(endpoint)
        .build();
    let client = aws_sdk_chimesdkmeetings::Client::from_conf(config);
    let capabilities = AttendeeCapabilities::builder()
        .audio(MediaCapabilities::SendReceive)
        .video(MediaCapabilities::Receive)
        .content(MediaCapabilities::Receive)
        .build()
        .expect("every member is set");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let result = runtime.block_on(
        client
            .update_attendee_capabilities()
            .meeting_id("00000000-0000-4000-8000-000000000001")
            .attendee_id("00000000-0000-4000-8000-000000000002")
            .capabilities(capabilities)
            .send(),
    );
    match result {
        Ok(output) => println!("{output:?}"),
        Err(e) => println!("{}", DisplayErrorContext(&e)),
    }
    std::process::ExitCode::SUCCESS
}
