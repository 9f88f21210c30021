//! Where the CLI's region, credentials and timeouts come from, as the AWS CLI takes
//! them: `--profile NAME` selects that profile's credentials and region even when
//! `AWS_*` variables are set (and a profile that does not exist is an error), and
//! `--cli-connect-timeout` / `--cli-read-timeout` bound every request.

use std::time::Duration;

use aws_config::meta::region::RegionProviderChain;
use aws_config::profile::{ProfileFileCredentialsProvider, ProfileFileRegionProvider};
use aws_runtime::env_config::file::EnvConfigFiles;
use aws_smithy_runtime_api::client::behavior_version::BehaviorVersion;
use aws_smithy_types::timeout::TimeoutConfig;
use aws_types::os_shim_internal::{Env, Fs};
use aws_types::region::Region;
use aws_types::SdkConfig;

use crate::args::GlobalArgs;
use crate::response_bound::{BoundResponses, MAX_RESPONSE_BYTES};
use crate::CliError;

/// The AWS CLI's default for `--cli-connect-timeout` and `--cli-read-timeout`.
pub const DEFAULT_TIMEOUT_SECS: u64 = 60;
/// The longest the lookups before a call may take, all together.
pub const LOOKUP_TIMEOUT: Duration = Duration::from_secs(3);

/// The timeouts of every request the CLI sends; `None` is no limit (`0` on the
/// command line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Opening a connection.
    pub connect: Option<Duration>,
    /// Each wait for data: the response head, and every piece of the body.
    pub read: Option<Duration>,
}

impl Timeouts {
    pub fn from_args(global: &GlobalArgs) -> Self {
        let seconds = |s: u64| (s > 0).then(|| Duration::from_secs(s));
        Timeouts {
            connect: seconds(global.cli_connect_timeout),
            read: seconds(global.cli_read_timeout),
        }
    }

    /// The whole operation, retries included: every attempt may use both timeouts
    /// once, so `attempts × (connect + read)`; no limit when either is off.
    pub fn operation(&self, attempts: u32) -> Option<Duration> {
        Some((self.connect? + self.read?) * attempts.max(1))
    }

    /// The timeout configuration of a call made with `attempts` attempts at most.
    pub fn for_call(&self, attempts: u32) -> TimeoutConfig {
        self.config(self.operation(attempts))
    }

    /// The timeout configuration of the lookups, bounded by [`LOOKUP_TIMEOUT`].
    pub fn for_lookup(&self) -> TimeoutConfig {
        self.config(Some(LOOKUP_TIMEOUT))
    }

    fn config(&self, operation: Option<Duration>) -> TimeoutConfig {
        let builder = TimeoutConfig::builder();
        let builder = match self.connect {
            Some(d) => builder.connect_timeout(d),
            None => builder.disable_connect_timeout(),
        };
        let builder = match self.read {
            Some(d) => builder.read_timeout(d),
            None => builder.disable_read_timeout(),
        };
        let builder = match operation {
            Some(d) => builder.operation_timeout(d),
            None => builder.disable_operation_timeout(),
        };
        builder.build()
    }

    /// A service config from `sdk` with these timeouts (`timeouts`) and bounded
    /// response bodies.
    pub fn client_config(
        &self,
        sdk: &SdkConfig,
        timeouts: TimeoutConfig,
    ) -> chime_caps::config::Builder {
        chime_caps::config::Builder::from(sdk)
            .timeout_config(timeouts)
            .interceptor(BoundResponses::new(MAX_RESPONSE_BYTES, self.read))
    }
}

/// The shared configuration: the default chain, with `--region`, `--endpoint-url`
/// and `--profile` applied as the AWS CLI applies them.
pub async fn load(global: &GlobalArgs) -> Result<SdkConfig, CliError> {
    let mut loader = aws_config::defaults(BehaviorVersion::latest());
    if let Some(profile) = &global.profile {
        ensure_profile_exists(profile).await?;
        // The named profile's credentials, not the environment's (the default chain
        // would look at AWS_ACCESS_KEY_ID first).
        loader = loader.profile_name(profile).credentials_provider(
            ProfileFileCredentialsProvider::builder()
                .profile_name(profile)
                .build(),
        );
        if global.region.is_none() {
            loader = loader.region(
                RegionProviderChain::first_try(
                    ProfileFileRegionProvider::builder()
                        .profile_name(profile)
                        .build(),
                )
                .or_default_provider(),
            );
        }
    }
    if let Some(region) = &global.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(url) = &global.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    Ok(loader.load().await)
}

/// An error naming `profile` unless the shared config or credentials file defines it.
async fn ensure_profile_exists(profile: &str) -> Result<(), CliError> {
    let profiles =
        aws_config::profile::load(&Fs::real(), &Env::real(), &EnvConfigFiles::default(), None)
            .await
            .map_err(|e| CliError::Other(format!("The AWS config files could not be read: {e}")))?;
    if profiles.get_profile(profile).is_none() {
        return Err(CliError::Other(format!(
            "The config profile ({profile}) could not be found; define it in the shared config \
             or credentials file, or leave out --profile"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::args::Cli;
    use clap::Parser;

    fn timeouts(args: &[&str]) -> Timeouts {
        let mut line = vec!["chime-caps"];
        line.extend(args);
        line.push("demo");
        Timeouts::from_args(&Cli::try_parse_from(line).unwrap().global)
    }

    #[test]
    fn every_operation_is_bounded_by_default() {
        let defaults = timeouts(&[]);
        assert_eq!(defaults.connect, Some(Duration::from_secs(60)));
        assert_eq!(defaults.read, Some(Duration::from_secs(60)));
        // Three attempts (the standard retry mode), each connect + read.
        let config = defaults.for_call(3);
        assert_eq!(config.connect_timeout(), Some(Duration::from_secs(60)));
        assert_eq!(config.read_timeout(), Some(Duration::from_secs(60)));
        assert_eq!(config.operation_timeout(), Some(Duration::from_secs(360)));
        assert_eq!(
            defaults.for_lookup().operation_timeout(),
            Some(LOOKUP_TIMEOUT)
        );
    }

    #[test]
    fn zero_turns_a_timeout_off() {
        let t = timeouts(&["--cli-read-timeout", "0", "--cli-connect-timeout", "5"]);
        assert_eq!(t.read, None);
        assert_eq!(t.connect, Some(Duration::from_secs(5)));
        let config = t.for_call(3);
        assert_eq!(config.read_timeout(), None);
        assert!(config.has_timeouts(), "the connect timeout stays");
        assert_eq!(config.operation_timeout(), None);
        assert_eq!(
            timeouts(&["--cli-read-timeout", "2"]).operation(1),
            Some(Duration::from_secs(62))
        );
    }
}
