//! The Smithy rules-engine standard library, for endpoint resolvers compiled by
//! chime-caps-codegen.
//!
//! The generator turns a service's `smithy.rules#endpointRuleSet` into plain Rust (nested
//! `if`s in the generated crate's `config::endpoint` module); the library functions the rules
//! call are here, written and tested once:
//!
//! | rule set function                | here                                |
//! |----------------------------------|-------------------------------------|
//! | `aws.partition`                  | [`partition`] over a [`PartitionTable`] |
//! | `isValidHostLabel`               | [`is_valid_host_label`]             |
//! | `parseURL`                       | [`parse_url`] → [`Url`]             |
//! | `substring`                      | [`substring`]                       |
//! | `uriEncode`                      | [`uri_encode`]                      |
//! | `aws.parseArn`                   | [`parse_arn`] → [`Arn`]             |
//! | `aws.isVirtualHostableS3Bucket`  | [`is_virtual_hostable_s3_bucket`]   |
//!
//! It also holds the glue between a compiled resolver and the orchestrator:
//! [`service_params`] finds a service's parameters in the runtime's
//! [`EndpointResolverParams`], and [`EndpointCache`] remembers the last endpoint resolved.

use std::any::type_name;
use std::fmt;
use std::sync::{PoisonError, RwLock};

use aws_smithy_runtime_api::client::endpoint::error::ResolveEndpointError;
use aws_smithy_runtime_api::client::endpoint::EndpointResolverParams;
use aws_smithy_types::endpoint::Endpoint;

// -------------------------------------------------------------------------------------------
// aws.partition
// -------------------------------------------------------------------------------------------

/// What `aws.partition` tells about a region: the attributes of its partition.
///
/// Fields are public so that generated crates can write their partition data as `static`s.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    /// The partition's name, e.g. `aws` or `aws-cn`.
    pub name: &'static str,
    /// The DNS suffix of its endpoints, e.g. `amazonaws.com`.
    pub dns_suffix: &'static str,
    /// The DNS suffix of its dual-stack (IPv6) endpoints, e.g. `api.aws`.
    pub dual_stack_dns_suffix: &'static str,
    /// The partition has FIPS endpoints.
    pub supports_fips: bool,
    /// The partition has dual-stack endpoints.
    pub supports_dual_stack: bool,
    /// The region global services of the partition are signed for, e.g. `us-east-1`.
    pub implicit_global_region: &'static str,
}

/// The partitions `aws.partition` looks regions up in; generated crates hold theirs as a
/// `static`, written by the generator from its partition data.
#[derive(Debug)]
pub struct PartitionTable {
    /// The partitions, in lookup order.
    pub partitions: &'static [PartitionEntry],
    /// The partition of a region no entry claims (for AWS data, the `aws` partition).
    pub fallback: &'static Partition,
}

/// One partition of a [`PartitionTable`].
#[derive(Debug)]
pub struct PartitionEntry {
    /// Regions the partition lists by name, each with its attributes (a region may differ
    /// from its partition's defaults).
    pub regions: &'static [(&'static str, &'static Partition)],
    /// The names of the partition's other regions, including ones announced after the
    /// table was generated.
    pub region_pattern: RegionPattern,
    /// The attributes of the regions that match `region_pattern`.
    pub outputs: &'static Partition,
}

/// `aws.partition`: the partition of `region`. A partition listing the region by name wins,
/// then the first whose [`RegionPattern`] matches it; any other region belongs to the table's
/// fallback partition.
pub fn partition(region: &str, table: &PartitionTable) -> &'static Partition {
    let listed = table.partitions.iter().find_map(|entry| {
        entry
            .regions
            .iter()
            .find(|(name, _)| *name == region)
            .map(|(_, outputs)| *outputs)
    });
    listed
        .or_else(|| {
            table
                .partitions
                .iter()
                .find(|entry| entry.region_pattern.matches(region))
                .map(|entry| entry.outputs)
        })
        .unwrap_or(table.fallback)
}

/// A partition's `regionRegex`, as data: the generator parses the regex (with a real regex
/// parser, refusing anything this form cannot express) and writes the tree below as `static`
/// data. Neither the generated crate nor this one then needs a regex engine, and a pattern
/// that does not compile fails at generation time rather than on first use.
///
/// A pattern matches a whole string (the partition regexes are anchored), byte by byte.
/// Matching backtracks; repetitions of a single byte class (the usual `\w+`, `\d+`) are
/// matched without recursion, so the stack does not grow with the input.
#[derive(Debug)]
pub enum RegionPattern {
    /// Exactly this text.
    Literal(&'static str),
    /// One byte in one of these inclusive ranges.
    Class(&'static [(u8, u8)]),
    /// Each pattern in turn.
    Sequence(&'static [RegionPattern]),
    /// Any one of the patterns.
    Alternation(&'static [RegionPattern]),
    /// `item` between `min` and `max` (unbounded when `None`) times, as many as possible.
    Repeat {
        /// The repeated pattern.
        item: &'static RegionPattern,
        /// The fewest repetitions.
        min: u32,
        /// The most repetitions.
        max: Option<u32>,
    },
}

/// What to match after a pattern, given where the pattern ended.
type Continuation<'c> = &'c mut dyn FnMut(usize) -> bool;

impl RegionPattern {
    /// The pattern matches all of `region`.
    pub fn matches(&self, region: &str) -> bool {
        let input = region.as_bytes();
        self.match_at(input, 0, &mut |end| end == input.len())
    }

    /// Matches at `at`, offering each possible end to `then` until it accepts one.
    fn match_at(&self, input: &[u8], at: usize, then: Continuation<'_>) -> bool {
        match self {
            Self::Literal(text) => {
                input
                    .get(at..)
                    .is_some_and(|rest| rest.starts_with(text.as_bytes()))
                    && then(at + text.len())
            }
            Self::Class(ranges) => {
                input.get(at).is_some_and(|&b| class_contains(ranges, b)) && then(at + 1)
            }
            Self::Sequence(items) => match_sequence(items, input, at, then),
            Self::Alternation(alternatives) => alternatives
                .iter()
                .any(|alternative| alternative.match_at(input, at, &mut *then)),
            Self::Repeat {
                item: Self::Class(ranges),
                min,
                max,
            } => {
                // Take the longest run, then give bytes back one at a time.
                let available = input.len().saturating_sub(at);
                let limit = max.map_or(available, |max| available.min(to_usize(max)));
                let run = input
                    .get(at..at + limit)
                    .unwrap_or_default()
                    .iter()
                    .take_while(|&&b| class_contains(ranges, b))
                    .count();
                (to_usize(*min)..=run).rev().any(|count| then(at + count))
            }
            Self::Repeat { item, min, max } => match_repeat(item, *min, *max, 0, input, at, then),
        }
    }
}

fn class_contains(ranges: &[(u8, u8)], byte: u8) -> bool {
    ranges
        .iter()
        .any(|&(low, high)| (low..=high).contains(&byte))
}

fn to_usize(count: u32) -> usize {
    usize::try_from(count).unwrap_or(usize::MAX)
}

fn match_sequence(
    items: &[RegionPattern],
    input: &[u8],
    at: usize,
    then: Continuation<'_>,
) -> bool {
    match items.split_first() {
        None => then(at),
        Some((first, rest)) => first.match_at(input, at, &mut |end| {
            match_sequence(rest, input, end, &mut *then)
        }),
    }
}

fn match_repeat(
    item: &RegionPattern,
    min: u32,
    max: Option<u32>,
    done: u32,
    input: &[u8],
    at: usize,
    then: Continuation<'_>,
) -> bool {
    // One more, else stop here. An item that matched nothing can match nothing again as
    // often as `min` still asks for, so the repetition may end there (and cannot loop).
    let more = max.is_none_or(|max| done < max)
        && item.match_at(input, at, &mut |end| {
            if end == at {
                then(at)
            } else {
                match_repeat(item, min, max, done + 1, input, end, &mut *then)
            }
        });
    more || (done >= min && then(at))
}

// -------------------------------------------------------------------------------------------
// Host labels, URLs, strings
// -------------------------------------------------------------------------------------------

/// `isValidHostLabel`: 1 to 63 ASCII letters, digits and hyphens, not starting with a hyphen.
/// With `allow_subdomains`, every dot-separated part must be one (so no empty parts).
pub fn is_valid_host_label(label: &str, allow_subdomains: bool) -> bool {
    fn one_label(label: &str) -> bool {
        (1..=63).contains(&label.len())
            && !label.starts_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
    }
    if allow_subdomains {
        label.split('.').all(one_label)
    } else {
        one_label(label)
    }
}

/// Four dot-separated groups of ASCII digits, each at most `max` (`192.168.0.1`).
fn is_dotted_quad(text: &str, max: u32) -> bool {
    let mut groups = 0;
    text.split('.').all(|group| {
        groups += 1;
        !group.is_empty()
            && group.bytes().all(|b| b.is_ascii_digit())
            && group.parse::<u32>().is_ok_and(|n| n <= max)
    }) && groups == 4
}

/// A URL as `parseURL` describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url<'a> {
    scheme: &'a str,
    authority: &'a str,
    path: &'a str,
    normalized_path: String,
    is_ip: bool,
}

impl<'a> Url<'a> {
    /// `http` or `https`.
    pub fn scheme(&self) -> &'a str {
        self.scheme
    }

    /// The host, with its port if the URL has one (user information removed).
    pub fn authority(&self) -> &'a str {
        self.authority
    }

    /// The path as written (empty when the URL has none).
    pub fn path(&self) -> &'a str {
        self.path
    }

    /// The path with a leading and a trailing `/`.
    pub fn normalized_path(&self) -> &str {
        &self.normalized_path
    }

    /// The host is an IP address (IPv4 dotted quad, or IPv6 in brackets).
    pub fn is_ip(&self) -> bool {
        self.is_ip
    }
}

/// `parseURL`: an absolute `http://` or `https://` URL. Refused (`None`): other schemes, a
/// query or fragment, no host, a port that is not a number, whitespace or control characters.
pub fn parse_url(url: &str) -> Option<Url<'_>> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    if rest.contains(['?', '#']) || rest.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let authority = authority
        .rsplit_once('@')
        .map_or(authority, |(_user, host)| host);
    let (host, port) = if authority.starts_with('[') {
        let (host, after) = authority.split_at(authority.find(']')? + 1);
        if !after.is_empty() && !after.starts_with(':') {
            return None;
        }
        (host, after.strip_prefix(':'))
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let port_ok = port.is_none_or(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if host.is_empty() || !port_ok {
        return None;
    }
    let is_ip = host.starts_with('[') || is_dotted_quad(host, 255);
    let mut normalized_path = String::with_capacity(path.len() + 2);
    if !path.starts_with('/') {
        normalized_path.push('/');
    }
    normalized_path.push_str(path);
    if !normalized_path.ends_with('/') {
        normalized_path.push('/');
    }
    Some(Url {
        scheme,
        authority,
        path,
        normalized_path,
        is_ip,
    })
}

/// `substring`: bytes `start..stop` of an ASCII string, counted from its end when `reverse`.
/// `None` for non-ASCII input or when the range does not fit.
pub fn substring(input: &str, start: usize, stop: usize, reverse: bool) -> Option<&str> {
    if start >= stop || stop > input.len() || !input.is_ascii() {
        return None;
    }
    let (from, to) = if reverse {
        (input.len() - stop, input.len() - start)
    } else {
        (start, stop)
    };
    input.get(from..to)
}

/// `getAttr` with an index, e.g. `resourceId[1]`: the item at `index`, if there is one.
pub fn array_item<S: AsRef<str>>(items: &[S], index: usize) -> Option<&str> {
    items.get(index).map(AsRef::as_ref)
}

/// `uriEncode`: percent-encodes every byte but the unreserved characters of RFC 3986
/// (letters, digits, `-`, `_`, `.`, `~`), with upper-case hex digits.
pub fn uri_encode(input: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut encoded = String::with_capacity(input.len());
    for b in input.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            encoded.push(char::from(b));
        } else {
            encoded.push('%');
            encoded.push(char::from(HEX[usize::from(b >> 4)]));
            encoded.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
    encoded
}

// -------------------------------------------------------------------------------------------
// AWS functions
// -------------------------------------------------------------------------------------------

/// An ARN as `aws.parseArn` describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arn<'a> {
    partition: &'a str,
    service: &'a str,
    region: &'a str,
    account_id: &'a str,
    resource_id: Vec<&'a str>,
}

impl<'a> Arn<'a> {
    /// The partition, e.g. `aws`.
    pub fn partition(&self) -> &'a str {
        self.partition
    }

    /// The service namespace, e.g. `s3`.
    pub fn service(&self) -> &'a str {
        self.service
    }

    /// The region (may be empty).
    pub fn region(&self) -> &'a str {
        self.region
    }

    /// The account id (may be empty).
    pub fn account_id(&self) -> &'a str {
        self.account_id
    }

    /// The resource, split on `:` and `/`.
    pub fn resource_id(&self) -> &[&'a str] {
        &self.resource_id
    }
}

/// `aws.parseArn`: `arn:partition:service:region:account:resource`. `None` unless it starts
/// with `arn:` and has a partition, a service and a resource.
pub fn parse_arn(input: &str) -> Option<Arn<'_>> {
    let mut parts = input.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let (partition, service, region, account_id, resource) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    Some(Arn {
        partition,
        service,
        region,
        account_id,
        resource_id: resource.split([':', '/']).collect(),
    })
}

/// `aws.isVirtualHostableS3Bucket`: the bucket name can be a host label of a virtual-hosted
/// S3 endpoint: 3 to 63 lower-case letters, digits and hyphens, starting and ending with a
/// letter or digit, not shaped like an IPv4 address. With `allow_subdomains`, dots may
/// separate such labels (but not next to another dot or a hyphen).
pub fn is_virtual_hostable_s3_bucket(bucket: &str, allow_subdomains: bool) -> bool {
    let bytes = bucket.as_bytes();
    let letter_or_digit = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let ends_ok = matches!((bytes.first(), bytes.last()),
        (Some(&first), Some(&last)) if letter_or_digit(first) && letter_or_digit(last));
    if !(3..=63).contains(&bytes.len()) || !ends_ok {
        return false;
    }
    if !allow_subdomains {
        return bytes.iter().all(|&b| letter_or_digit(b) || b == b'-');
    }
    let well_formed = bytes
        .iter()
        .all(|&b| letter_or_digit(b) || b == b'-' || b == b'.')
        && !bucket.contains("..")
        && !bucket.contains(".-")
        && !bucket.contains("-.");
    well_formed && !is_dotted_quad(bucket, u32::MAX)
}

// -------------------------------------------------------------------------------------------
// Resolver glue
// -------------------------------------------------------------------------------------------

/// The service's endpoint parameters `P` in the runtime's `params`; fails when `params` hold
/// another type (a resolver of another service was configured).
pub fn service_params<P>(params: &EndpointResolverParams) -> Result<&P, ResolveEndpointError>
where
    P: fmt::Debug + Send + Sync + 'static,
{
    params.get::<P>().ok_or_else(|| {
        ResolveEndpointError::message(format!(
            "the endpoint resolver expects parameters of type `{}`; was a resolver of \
             another service configured?",
            type_name::<P>()
        ))
    })
}

/// Remembers the last endpoint resolved and the parameters it was resolved for. A client's
/// endpoint parameters come from its configuration and rarely change, so resolving them
/// again on every call would be wasted work.
pub struct EndpointCache<P> {
    last: RwLock<Option<(P, Endpoint)>>,
}

impl<P> EndpointCache<P> {
    /// An empty cache.
    pub const fn new() -> Self {
        Self {
            last: RwLock::new(None),
        }
    }
}

impl<P> Default for EndpointCache<P> {
    fn default() -> Self {
        Self::new()
    }
}

impl<P> fmt::Debug for EndpointCache<P> {
    // The cached endpoint says nothing about the resolver's behavior: keep it out of logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EndpointCache").finish_non_exhaustive()
    }
}

impl<P: Clone + PartialEq> EndpointCache<P> {
    /// The endpoint last resolved for parameters equal to `params`, else `resolve(params)`
    /// (remembered when it succeeds; errors are not cached).
    pub fn get_or_resolve<E>(
        &self,
        params: &P,
        resolve: impl FnOnce(&P) -> Result<Endpoint, E>,
    ) -> Result<Endpoint, E> {
        // The lock only guards a plain assignment, so a poisoned one still holds a
        // consistent value.
        let last = self.last.read().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, endpoint)) = last.as_ref().filter(|(cached, _)| cached == params) {
            return Ok(endpoint.clone());
        }
        drop(last);
        let endpoint = resolve(params)?;
        *self.last.write().unwrap_or_else(PoisonError::into_inner) =
            Some((params.clone(), endpoint.clone()));
        Ok(endpoint)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    const AWS: Partition = Partition {
        name: "aws",
        dns_suffix: "amazonaws.com",
        dual_stack_dns_suffix: "api.aws",
        supports_fips: true,
        supports_dual_stack: true,
        implicit_global_region: "us-east-1",
    };
    static AWS_PARTITION: Partition = AWS;
    static WEST_OVERRIDE: Partition = Partition {
        supports_fips: false,
        ..AWS
    };
    static CN: Partition = Partition {
        name: "aws-cn",
        dns_suffix: "amazonaws.com.cn",
        implicit_global_region: "cn-northwest-1",
        ..AWS
    };

    const WORD: RegionPattern =
        RegionPattern::Class(&[(b'0', b'9'), (b'A', b'Z'), (b'_', b'_'), (b'a', b'z')]);
    const DIGIT: RegionPattern = RegionPattern::Class(&[(b'0', b'9')]);

    /// `^cn\-\w+\-\d+$`
    const CN_PATTERN: RegionPattern = RegionPattern::Sequence(&[
        RegionPattern::Literal("cn-"),
        RegionPattern::Repeat {
            item: &WORD,
            min: 1,
            max: None,
        },
        RegionPattern::Literal("-"),
        RegionPattern::Repeat {
            item: &DIGIT,
            min: 1,
            max: None,
        },
    ]);

    static TABLE: PartitionTable = PartitionTable {
        partitions: &[
            PartitionEntry {
                regions: &[("us-east-1", &AWS_PARTITION), ("us-west-9", &WEST_OVERRIDE)],
                region_pattern: RegionPattern::Sequence(&[
                    RegionPattern::Alternation(&[
                        RegionPattern::Literal("us"),
                        RegionPattern::Literal("eu"),
                    ]),
                    RegionPattern::Literal("-"),
                    RegionPattern::Repeat {
                        item: &WORD,
                        min: 1,
                        max: None,
                    },
                    RegionPattern::Literal("-"),
                    RegionPattern::Repeat {
                        item: &DIGIT,
                        min: 1,
                        max: None,
                    },
                ]),
                outputs: &AWS_PARTITION,
            },
            PartitionEntry {
                regions: &[("cn-north-1", &CN)],
                region_pattern: CN_PATTERN,
                outputs: &CN,
            },
        ],
        fallback: &AWS_PARTITION,
    };

    #[test]
    fn partitions_prefer_listed_regions_then_patterns_then_the_fallback() {
        assert_eq!(partition("us-west-9", &TABLE), &WEST_OVERRIDE);
        assert!(!partition("us-west-9", &TABLE).supports_fips);
        assert_eq!(partition("us-east-1", &TABLE), &AWS);
        assert_eq!(partition("cn-north-1", &TABLE).name, "aws-cn");
        assert_eq!(partition("cn-southwest-12", &TABLE).name, "aws-cn");
        assert_eq!(partition("eu-central-3", &TABLE).name, "aws");
        // Unknown shapes fall back, as the rules engine specifies.
        assert_eq!(partition("mars-west-1", &TABLE).name, "aws");
        assert_eq!(partition("", &TABLE).name, "aws");
    }

    #[test]
    fn region_patterns_match_whole_strings() {
        assert!(CN_PATTERN.matches("cn-north-1"));
        assert!(CN_PATTERN.matches("cn-a_b-42"));
        for no in [
            "cn-north-",
            "cn--1",
            "xcn-north-1",
            "cn-north-1x",
            "cn-north-1-",
            "cn-nörth-1",
        ] {
            assert!(!CN_PATTERN.matches(no), "{no}");
        }
    }

    #[test]
    fn region_patterns_backtrack_and_respect_bounds() {
        const LETTERS: RegionPattern = RegionPattern::Class(&[(b'a', b'z')]);
        // `[a-z]+z`: the greedy run must give the final `z` back.
        let greedy = RegionPattern::Sequence(&[
            RegionPattern::Repeat {
                item: &LETTERS,
                min: 1,
                max: None,
            },
            RegionPattern::Literal("z"),
        ]);
        assert!(greedy.matches("abcz"));
        assert!(!greedy.matches("z"));

        let two_or_three = RegionPattern::Repeat {
            item: &LETTERS,
            min: 2,
            max: Some(3),
        };
        assert!(!two_or_three.matches("a"));
        assert!(two_or_three.matches("ab"));
        assert!(two_or_three.matches("abc"));
        assert!(!two_or_three.matches("abcd"));

        // A repeated group goes through the general, recursive path: `(ab|a)*b`.
        const GROUP: RegionPattern = RegionPattern::Alternation(&[
            RegionPattern::Literal("ab"),
            RegionPattern::Literal("a"),
        ]);
        let group = RegionPattern::Sequence(&[
            RegionPattern::Repeat {
                item: &GROUP,
                min: 0,
                max: None,
            },
            RegionPattern::Literal("b"),
        ]);
        for yes in ["b", "ab", "abab", "aab", "abb"] {
            assert!(group.matches(yes), "{yes}");
        }
        for no in ["", "a", "ba", "abc"] {
            assert!(!group.matches(no), "{no}");
        }
        const EMPTY: RegionPattern = RegionPattern::Sequence(&[]);
        let empty_loop = RegionPattern::Repeat {
            item: &EMPTY,
            min: 1,
            max: None,
        };
        assert!(
            empty_loop.matches(""),
            "an empty item must not loop forever"
        );
        assert!(!empty_loop.matches("a"));
    }

    #[test]
    fn long_regions_do_not_exhaust_the_stack() {
        let long = format!("cn-{}-1", "a".repeat(1_000_000));
        assert!(CN_PATTERN.matches(&long));
        assert_eq!(partition(&long, &TABLE).name, "aws-cn");
    }

    #[test]
    fn host_labels() {
        for yes in ["a", "us-east-1", "0abc", "a-", &"x".repeat(63)] {
            assert!(is_valid_host_label(yes, false), "{yes}");
        }
        for no in ["", "-a", "a.b", "a_b", "ü", &"x".repeat(64)] {
            assert!(!is_valid_host_label(no, false), "{no:?}");
        }
        assert!(is_valid_host_label("a.b-c.d", true));
        for no in ["a..b", ".a", "a.", "a.-b", "a/b"] {
            assert!(!is_valid_host_label(no, true), "{no}");
        }
    }

    #[test]
    fn urls() {
        let url = parse_url("https://user@example.com:8443/a/b").expect("valid");
        assert_eq!(url.scheme(), "https");
        assert_eq!(url.authority(), "example.com:8443");
        assert_eq!(url.path(), "/a/b");
        assert_eq!(url.normalized_path(), "/a/b/");
        assert!(!url.is_ip());

        let bare = parse_url("http://example.com").expect("valid");
        assert_eq!((bare.path(), bare.normalized_path()), ("", "/"));

        assert!(parse_url("http://10.0.0.255/").unwrap().is_ip());
        assert!(!parse_url("http://10.0.0.256/").unwrap().is_ip());
        let v6 = parse_url("https://[fd00::1]:443").unwrap();
        assert!(v6.is_ip());
        assert_eq!(v6.authority(), "[fd00::1]:443");

        for no in [
            "ftp://example.com",
            "example.com",
            "https://example.com?x=1",
            "https://example.com/#top",
            "https://",
            "https://:80/",
            "https://example.com:/",
            "https://example.com:http/",
            "https://exa mple.com/",
            "https://[fd00::1/",
            "https://[fd00::1]x/",
        ] {
            assert_eq!(parse_url(no), None, "{no}");
        }
    }

    #[test]
    fn substrings() {
        assert_eq!(substring("abcdef", 0, 3, false), Some("abc"));
        assert_eq!(substring("abcdef", 0, 2, true), Some("ef"));
        assert_eq!(substring("abcdef", 1, 6, true), Some("abcde"));
        assert_eq!(substring("abc", 0, 4, false), None);
        assert_eq!(substring("abc", 2, 2, false), None);
        assert_eq!(substring("h\u{e9}llo", 0, 1, false), None);
    }

    #[test]
    fn array_items() {
        let owned = vec!["a".to_owned(), "b".to_owned()];
        assert_eq!(array_item(&owned, 1), Some("b"));
        assert_eq!(array_item(&owned, 2), None);
        assert_eq!(array_item::<&str>(&[], 0), None);
    }

    #[test]
    fn uri_encoding() {
        assert_eq!(uri_encode("a-Z_0.~"), "a-Z_0.~");
        assert_eq!(uri_encode("a b/c?d"), "a%20b%2Fc%3Fd");
        assert_eq!(uri_encode("\u{e9}"), "%C3%A9");
    }

    #[test]
    fn arns() {
        let arn = parse_arn("arn:aws:s3:us-west-2:123456789012:accesspoint/my:ap").unwrap();
        assert_eq!(
            (
                arn.partition(),
                arn.service(),
                arn.region(),
                arn.account_id()
            ),
            ("aws", "s3", "us-west-2", "123456789012")
        );
        assert_eq!(arn.resource_id(), ["accesspoint", "my", "ap"]);
        let global = parse_arn("arn:aws:iam:::role/x").unwrap();
        assert_eq!((global.region(), global.account_id()), ("", ""));
        for no in [
            "arn:aws:s3:us-west-2:1",
            "arn::s3:r:a:x",
            "arn:aws::r:a:x",
            "arn:aws:s3:r:a:",
            "urn:aws:s3:r:a:x",
        ] {
            assert_eq!(parse_arn(no), None, "{no}");
        }
    }

    #[test]
    fn virtual_hostable_buckets() {
        for yes in ["abc", "my-bucket", "a1b", &"b".repeat(63)] {
            assert!(is_virtual_hostable_s3_bucket(yes, false), "{yes}");
        }
        for no in [
            "ab",
            "My-bucket",
            "-ab",
            "ab-",
            "a.b.c",
            "a_b",
            &"b".repeat(64),
        ] {
            assert!(!is_virtual_hostable_s3_bucket(no, false), "{no}");
        }
        assert!(is_virtual_hostable_s3_bucket("a.b.c", true));
        for no in ["a..b", "a.-b", "a-.b", "192.168.1.1", "1.2.3.4444"] {
            assert!(!is_virtual_hostable_s3_bucket(no, true), "{no}");
        }
        // Numbers that are not an address are fine.
        assert!(is_virtual_hostable_s3_bucket("1.2.3", true));
    }

    #[derive(Debug, Clone, PartialEq)]
    struct Params(&'static str);

    #[test]
    fn service_params_name_the_expected_type() {
        let params = EndpointResolverParams::new(Params("us-east-1"));
        assert_eq!(
            service_params::<Params>(&params).unwrap(),
            &Params("us-east-1")
        );

        let other = EndpointResolverParams::new(42_u8);
        let message = service_params::<Params>(&other).unwrap_err().to_string();
        assert!(message.contains("endpoint_lib::tests::Params"), "{message}");
    }

    #[test]
    fn the_cache_answers_equal_params_without_resolving() {
        let cache = EndpointCache::new();
        let calls = Cell::new(0);
        let resolve = |p: &Params| -> Result<Endpoint, String> {
            calls.set(calls.get() + 1);
            match p.0 {
                "bad" => Err("no endpoint".to_owned()),
                host => Ok(Endpoint::builder().url(format!("https://{host}")).build()),
            }
        };
        let a = Params("a.example.com");
        assert_eq!(
            cache.get_or_resolve(&a, resolve).unwrap().url(),
            "https://a.example.com"
        );
        assert_eq!(
            cache.get_or_resolve(&a, resolve).unwrap().url(),
            "https://a.example.com"
        );
        assert_eq!(calls.get(), 1);

        let b = Params("b.example.com");
        assert_eq!(
            cache.get_or_resolve(&b, resolve).unwrap().url(),
            "https://b.example.com"
        );
        assert_eq!(calls.get(), 2);
        // Errors are not remembered, and do not evict the last good answer.
        assert!(cache.get_or_resolve(&Params("bad"), resolve).is_err());
        assert!(cache.get_or_resolve(&Params("bad"), resolve).is_err());
        assert_eq!(calls.get(), 4);
        assert!(cache.get_or_resolve(&b, resolve).is_ok());
        assert_eq!(calls.get(), 4);
        assert_eq!(format!("{cache:?}"), "EndpointCache { .. }");
    }
}
