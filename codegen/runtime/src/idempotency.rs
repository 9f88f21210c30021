//! Idempotency tokens: a fresh version-4 UUID for each call whose input leaves its
//! `@idempotencyToken` member unset, or a fixed token for tests.

use std::sync::Mutex;

use aws_smithy_types::config_bag::{Storable, StoreReplace};

/// Makes idempotency tokens (set with `config::Builder::idempotency_token_provider`).
#[derive(Debug)]
pub struct IdempotencyTokenProvider {
    source: Source,
}

#[derive(Debug)]
enum Source {
    Fixed(&'static str),
    Random(Mutex<fastrand::Rng>),
}

impl IdempotencyTokenProvider {
    /// Random tokens (the default).
    pub fn random() -> Self {
        Self {
            source: Source::Random(Mutex::new(fastrand::Rng::new())),
        }
    }

    /// The same token every time (for tests).
    pub fn fixed(token: &'static str) -> Self {
        Self {
            source: Source::Fixed(token),
        }
    }

    /// A token.
    pub fn make_idempotency_token(&self) -> String {
        match &self.source {
            Source::Fixed(token) => (*token).to_owned(),
            Source::Random(rng) => {
                let bits = match rng.lock() {
                    Ok(mut rng) => rng.u128(..),
                    // A panic elsewhere poisoned the lock; a fresh generator is as good.
                    Err(_) => fastrand::u128(..),
                };
                uuid_v4(bits)
            }
        }
    }
}

impl Clone for IdempotencyTokenProvider {
    fn clone(&self) -> Self {
        match &self.source {
            Source::Fixed(token) => Self::fixed(token),
            Source::Random(_) => Self::random(),
        }
    }
}

impl From<&'static str> for IdempotencyTokenProvider {
    fn from(token: &'static str) -> Self {
        Self::fixed(token)
    }
}

impl Storable for IdempotencyTokenProvider {
    type Storer = StoreReplace<Self>;
}

/// A version-4 UUID, lower case, from 128 random bits.
fn uuid_v4(bits: u128) -> String {
    let mut bytes = bits.to_le_bytes();
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_version_4_uuids_and_fixed_ones_repeat() {
        let provider = IdempotencyTokenProvider::random();
        let (a, b) = (
            provider.make_idempotency_token(),
            provider.make_idempotency_token(),
        );
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(a.as_bytes()[14], b'4');
        assert!(matches!(a.as_bytes()[19], b'8' | b'9' | b'a' | b'b'), "{a}");
        let fixed = IdempotencyTokenProvider::from("t");
        assert_eq!(fixed.make_idempotency_token(), "t");
        assert_eq!(fixed.clone().make_idempotency_token(), "t");
    }
}
