//! [`Id`]: a meeting or attendee id as the cache keys it.

use std::fmt;

/// A meeting or attendee id, held as the 128-bit number its text spells.
///
/// The service's ids are GUIDs (`GuidString`: 8-4-4-4-12 hex digits, either case),
/// so two spellings that differ only in case are the same id. Keeping the number
/// makes every comparison case-insensitive by construction, and an id costs no
/// allocation to copy into a cache key or into a call's captured state.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Id(u128);

/// Where the dashes of a GUID sit.
const DASHES: [usize; 4] = [8, 13, 18, 23];

impl Id {
    /// The id `text` spells, or `None` when it is not a GUID (no meeting or attendee
    /// of the service has such an id).
    pub(crate) fn parse(text: &str) -> Option<Id> {
        let bytes = text.as_bytes();
        if bytes.len() != 36 {
            return None;
        }
        let mut value: u128 = 0;
        for (i, &b) in bytes.iter().enumerate() {
            if DASHES.contains(&i) {
                if b != b'-' {
                    return None;
                }
                continue;
            }
            let digit = (b as char).to_digit(16)?;
            value = (value << 4) | u128::from(digit);
        }
        Some(Id(value))
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
