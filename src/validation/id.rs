//! [`Id`]: a meeting or attendee id as the cache keys it.

use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasher, Hasher};

/// A meeting or attendee id, held as the 128-bit number its text spells.
///
/// The service's ids are GUIDs (`GuidString`: 8-4-4-4-12 hex digits, either case),
/// so two spellings that differ only in case are the same id. Keeping the number
/// makes every comparison case-insensitive by construction, and an id costs no
/// allocation to copy into a cache key or into a call's captured state.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Id(u128);

/// Each byte's hex digit value, `BAD` for a byte that is no hex digit. A lookup per
/// digit keeps parsing to a few instructions a digit: it runs on every call.
const DIGITS: [u8; 256] = {
    let mut table = [BAD; 256];
    let mut i = 0;
    while i < 10 {
        table[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        table[b'a' as usize + i] = 10 + i as u8;
        table[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    table
};
const BAD: u8 = 0xff;

impl Id {
    /// The id `text` spells, or `None` when it is not a GUID (no meeting or attendee
    /// of the service has such an id).
    pub(crate) fn parse(text: &str) -> Option<Id> {
        let b: &[u8; 36] = text.as_bytes().try_into().ok()?;
        // 8-4-4-4-12 digits; each half of the number is 16 of them.
        if b[8] != b'-' || b[13] != b'-' || b[18] != b'-' || b[23] != b'-' {
            return None;
        }
        let mut seen = 0u8;
        let mut half = |groups: [&[u8]; 3]| {
            let mut value = 0u64;
            for group in groups {
                for &byte in group {
                    let digit = DIGITS[usize::from(byte)];
                    seen |= digit;
                    value = (value << 4) | u64::from(digit & 0xf);
                }
            }
            value
        };
        let high = half([&b[0..8], &b[9..13], &b[14..18]]);
        let low = half([&b[19..23], &b[24..36], &[]]);
        // A `BAD` byte sets the high bits of `seen`.
        (seen < 16).then_some(Id((u128::from(high) << 64) | u128::from(low)))
    }
}

/// A map keyed by [`Id`], hashed with [`IdHashing`].
pub(crate) type IdMap<V> = HashMap<Id, V, IdHashing>;

/// How the cache hashes ids: one folded multiply of the id with a key drawn per
/// cache, instead of SipHash over 16 bytes (the cache hashes several times per
/// call). The key keeps the buckets of crafted ids unpredictable.
#[derive(Debug, Clone)]
pub(crate) struct IdHashing {
    key: [u64; 2],
}

impl IdHashing {
    pub(crate) fn new() -> Self {
        let random = RandomState::new();
        IdHashing {
            key: [random.hash_one(0u8), random.hash_one(1u8)],
        }
    }
}

impl BuildHasher for IdHashing {
    type Hasher = IdHasher;

    fn build_hasher(&self) -> IdHasher {
        IdHasher {
            key: self.key,
            hash: 0,
        }
    }
}

/// The [`Hasher`] of [`IdHashing`].
pub(crate) struct IdHasher {
    key: [u64; 2],
    hash: u64,
}

/// The high and low halves of the 128-bit product, xored: every input bit reaches
/// the high bits (hash tables' tags) and the low bits (their bucket index).
fn folded_multiply(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    (product as u64) ^ ((product >> 64) as u64)
}

impl Hasher for IdHasher {
    fn write_u128(&mut self, value: u128) {
        let (low, high) = (value as u64, (value >> 64) as u64);
        self.hash = folded_multiply(low ^ self.key[0] ^ self.hash, high ^ self.key[1]);
    }

    /// Only [`Id`]s are hashed with it (as one `u128`); other input is folded in
    /// eight bytes at a time.
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u128(u128::from(u64::from_le_bytes(word)));
        }
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

/// The lower-case spelling (as the service returns ids).
impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.0;
        write!(
            f,
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            v >> 96,
            (v >> 80) & 0xffff,
            (v >> 64) & 0xffff,
            (v >> 48) & 0xffff,
            v & 0xffff_ffff_ffff
        )
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOWER: &str = "6bd0ae5c-0f9c-4b8b-a7a5-5bf5a0f0e2f1";

    #[test]
    fn case_does_not_matter_and_display_is_lower_case() {
        let lower = Id::parse(LOWER).unwrap();
        let upper = Id::parse(&LOWER.to_ascii_uppercase()).unwrap();
        assert_eq!(lower, upper);
        assert_eq!(upper.to_string(), LOWER);
        assert_ne!(
            lower,
            Id::parse("6bd0ae5c-0f9c-4b8b-a7a5-5bf5a0f0e2f2").unwrap()
        );
    }

    #[test]
    fn ids_hash_by_value_and_spread_over_buckets() {
        let hashing = IdHashing::new();
        let lower = Id::parse(LOWER).unwrap();
        let upper = Id::parse(&LOWER.to_ascii_uppercase()).unwrap();
        assert_eq!(hashing.hash_one(lower), hashing.hash_one(upper));
        // Ids that differ in one digit anywhere land in different buckets of a
        // 16-bucket table, and carry different tags (the top 7 bits).
        let hashes: Vec<u64> = (0..32)
            .map(|digit| Id(lower.0 ^ (1u128 << (4 * digit))))
            .map(|id| hashing.hash_one(id))
            .collect();
        let buckets: std::collections::HashSet<u64> = hashes.iter().map(|h| h & 15).collect();
        let tags: std::collections::HashSet<u64> = hashes.iter().map(|h| h >> 57).collect();
        assert!(buckets.len() >= 8, "{buckets:?}");
        assert!(tags.len() >= 16, "{tags:?}");

        // The cache picks a shard from bits 32..36; the meetings of one shard still
        // spread over the buckets (low bits) of that shard's map.
        let one_shard: std::collections::HashSet<u64> = (0..4000u128)
            .map(|i| hashing.hash_one(Id(lower.0 + i)))
            .filter(|h| (h >> 32) & 15 == 0)
            .map(|h| h & 15)
            .collect();
        assert!(one_shard.len() >= 12, "{one_shard:?}");
    }

    #[test]
    fn parsing_reads_back_what_display_writes() {
        for value in [0, 1, u128::MAX, 0x0123_4567_89ab_cdef_fedc_ba98_7654_3210] {
            let id = Id(value);
            assert_eq!(Id::parse(&id.to_string()), Some(id));
            assert_eq!(Id::parse(&id.to_string().to_ascii_uppercase()), Some(id));
        }
    }

    #[test]
    fn only_guids_parse() {
        for bad in [
            "",
            "not-a-guid",
            "6bd0ae5c0f9c-4b8b-a7a5-5bf5a0f0e2f1a",
            "6bd0ae5c-0f9c-4b8b-a7a5-5bf5a0f0e2fg",
            "6bd0ae5c-0f9c-4b8b-a7a5_5bf5a0f0e2f1",
            "6bd0ae5c-0f9c-4b8b-a7a5-5bf5a0f0e2f",
            "+bd0ae5c-0f9c-4b8b-a7a5-5bf5a0f0e2f1",
        ] {
            assert_eq!(Id::parse(bad), None, "{bad:?}");
        }
    }
}
