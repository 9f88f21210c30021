//! The model's constraints (`@required`, `@length`, `@pattern`, `@range`, known enum
//! values), checked on demand with [`Validate`]. The official SDKs leave these to the
//! service; callers that want a local answer call `validate()`.

use std::fmt;
use std::sync::OnceLock;

/// Where a value sits inside an input, built on the stack and only turned into text
/// when a check fails.
#[derive(Debug, Clone, Copy)]
pub enum Path<'a> {
    /// The value being validated.
    Root,
    /// A member of a structure or union.
    Field(&'a Path<'a>, &'static str),
    /// An item of a list.
    Index(&'a Path<'a>, usize),
    /// A value of a map.
    Key(&'a Path<'a>, &'a str),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => Ok(()),
            Path::Field(Path::Root, name) => f.write_str(name),
            Path::Field(parent, name) => write!(f, "{parent}.{name}"),
            Path::Index(parent, i) => write!(f, "{parent}[{i}]"),
            Path::Key(parent, k) => write!(f, "{parent}[{k:?}]"),
        }
    }
}

/// What a value broke.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ViolationKind {
    /// A `@required` member is unset.
    Missing,
    /// A `@length` bound: characters for strings, items for lists and maps, bytes for blobs.
    Length {
        /// The lower bound.
        min: Option<u64>,
        /// The upper bound.
        max: Option<u64>,
        /// The value's length.
        actual: u64,
    },
    /// A `@pattern` did not match.
    Pattern {
        /// The pattern.
        pattern: &'static str,
    },
    /// A `@range` bound.
    Range {
        /// The lower bound.
        min: Option<f64>,
        /// The upper bound.
        max: Option<f64>,
        /// The value.
        actual: f64,
    },
    /// An enum value the model does not list.
    UnknownVariant {
        /// The value.
        value: String,
        /// The values the model lists.
        known: &'static [&'static str],
    },
}

/// A value that breaks the model's constraints; the service would answer 400.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ConstraintViolation {
    /// The member path, e.g. `ExcludedAttendeeIds[3].AttendeeId`.
    pub path: String,
    /// What was broken.
    pub kind: ViolationKind,
}

impl ConstraintViolation {
    /// A required member is missing at `path`.
    pub fn missing(path: &Path<'_>) -> Self {
        Self {
            path: path.to_string(),
            kind: ViolationKind::Missing,
        }
    }

    /// An enum value at `path` that the model does not list.
    pub fn unknown_variant(path: &Path<'_>, value: &str, known: &'static [&'static str]) -> Self {
        Self {
            path: path.to_string(),
            kind: ViolationKind::UnknownVariant {
                value: value.to_owned(),
                known,
            },
        }
    }
}

impl fmt::Display for ConstraintViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = &self.path;
        let bounds = |min: Option<String>, max: Option<String>| match (min, max) {
            (Some(a), Some(b)) => format!("between {a} and {b}"),
            (Some(a), None) => format!("at least {a}"),
            (None, Some(b)) => format!("at most {b}"),
            (None, None) => "unbounded".to_owned(),
        };
        match &self.kind {
            ViolationKind::Missing => {
                write!(
                    f,
                    "`{path}` is required but was not set; set it before sending"
                )
            }
            ViolationKind::Length { min, max, actual } => write!(
                f,
                "`{path}` has length {actual} but must be {}",
                bounds(min.map(|v| v.to_string()), max.map(|v| v.to_string()))
            ),
            ViolationKind::Pattern { pattern } => {
                write!(f, "`{path}` does not match the pattern `{pattern}`")
            }
            ViolationKind::Range { min, max, actual } => write!(
                f,
                "`{path}` is {actual} but must be {}",
                bounds(min.map(|v| v.to_string()), max.map(|v| v.to_string()))
            ),
            ViolationKind::UnknownVariant { value, known } => write!(
                f,
                "`{path}` is `{value}`, which is not one of {}",
                known.join(", ")
            ),
        }
    }
}

impl std::error::Error for ConstraintViolation {}

/// Checks a value against the model's constraints.
pub trait Validate {
    /// The first constraint the value breaks, if any.
    fn validate(&self) -> Result<(), ConstraintViolation> {
        self.validate_at(&Path::Root)
    }

    /// [`validate`](Self::validate) for a value at `path` inside a larger input.
    fn validate_at(&self, path: &Path<'_>) -> Result<(), ConstraintViolation>;
}

impl<T: Validate> Validate for Box<T> {
    fn validate_at(&self, path: &Path<'_>) -> Result<(), ConstraintViolation> {
        (**self).validate_at(path)
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate_at(&self, path: &Path<'_>) -> Result<(), ConstraintViolation> {
        for (i, item) in self.iter().enumerate() {
            item.validate_at(&Path::Index(path, i))?;
        }
        Ok(())
    }
}

impl<K: AsRef<str>, V: Validate> Validate for std::collections::HashMap<K, V> {
    fn validate_at(&self, path: &Path<'_>) -> Result<(), ConstraintViolation> {
        for (key, value) in self {
            value.validate_at(&Path::Key(path, key.as_ref()))?;
        }
        Ok(())
    }
}

/// Checks that every enum value inside a value is one the model lists: what a server
/// refuses, and a client must not ([`Validate`] accepts enum values it does not know,
/// since the service may add values before the client is regenerated). Generated crates
/// implement it for their structures, unions and enums with their `server` feature.
///
/// A required enum member that was absent from a request reads as the empty value, so
/// it is reported as an unknown value `""`. Map keys and `intEnum` values are not checked.
pub trait KnownValues {
    /// The first enum value at or below `path` that the model does not list.
    fn check_known(&self, path: &Path<'_>) -> Result<(), ConstraintViolation>;
}

impl<T: KnownValues> KnownValues for Option<T> {
    fn check_known(&self, path: &Path<'_>) -> Result<(), ConstraintViolation> {
        self.as_ref()
            .map_or(Ok(()), |value| value.check_known(path))
    }
}

impl<T: KnownValues> KnownValues for Box<T> {
    fn check_known(&self, path: &Path<'_>) -> Result<(), ConstraintViolation> {
        (**self).check_known(path)
    }
}

impl<T: KnownValues> KnownValues for Vec<T> {
    fn check_known(&self, path: &Path<'_>) -> Result<(), ConstraintViolation> {
        self.iter()
            .enumerate()
            .try_for_each(|(i, item)| item.check_known(&Path::Index(path, i)))
    }
}

impl<K: AsRef<str>, V: KnownValues> KnownValues for std::collections::HashMap<K, V> {
    fn check_known(&self, path: &Path<'_>) -> Result<(), ConstraintViolation> {
        self.iter()
            .try_for_each(|(key, value)| value.check_known(&Path::Key(path, key.as_ref())))
    }
}

/// Checks an enum's value against the values its model lists.
pub fn check_known_value(
    value: &str,
    known: &'static [&'static str],
    path: &Path<'_>,
) -> Result<(), ConstraintViolation> {
    if known.contains(&value) {
        Ok(())
    } else {
        Err(ConstraintViolation::unknown_variant(path, value, known))
    }
}

/// Checks a `@length` bound.
pub fn check_length(
    actual: usize,
    min: Option<u64>,
    max: Option<u64>,
    path: &Path<'_>,
) -> Result<(), ConstraintViolation> {
    let actual = actual as u64;
    if min.is_some_and(|m| actual < m) || max.is_some_and(|m| actual > m) {
        return Err(ConstraintViolation {
            path: path.to_string(),
            kind: ViolationKind::Length { min, max, actual },
        });
    }
    Ok(())
}

/// Checks a `@range` bound.
pub fn check_range(
    actual: f64,
    min: Option<f64>,
    max: Option<f64>,
    path: &Path<'_>,
) -> Result<(), ConstraintViolation> {
    if min.is_some_and(|m| actual < m) || max.is_some_and(|m| actual > m) {
        return Err(ConstraintViolation {
            path: path.to_string(),
            kind: ViolationKind::Range { min, max, actual },
        });
    }
    Ok(())
}

/// A `@pattern`, compiled on first use.
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    regex: OnceLock<Option<regex_lite::Regex>>,
}

impl Pattern {
    /// The pattern `source` (the generator checked that it compiles).
    pub const fn new(source: &'static str) -> Self {
        Self {
            source,
            regex: OnceLock::new(),
        }
    }

    /// Checks `value`; a pattern that does not compile accepts everything.
    pub fn check(&self, value: &str, path: &Path<'_>) -> Result<(), ConstraintViolation> {
        let regex = self
            .regex
            .get_or_init(|| regex_lite::Regex::new(self.source).ok());
        match regex {
            Some(regex) if !regex.is_match(value) => Err(ConstraintViolation {
                path: path.to_string(),
                kind: ViolationKind::Pattern {
                    pattern: self.source,
                },
            }),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_messages_say_where_and_what() {
        let root = Path::Root;
        let list = Path::Field(&root, "Ids");
        let item = Path::Index(&list, 3);
        let field = Path::Field(&item, "AttendeeId");
        let err = check_length(0, Some(1), Some(250), &field).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`Ids[3].AttendeeId` has length 0 but must be between 1 and 250"
        );
        static GUID: Pattern = Pattern::new("^[a-f0-9]{8}$");
        assert!(GUID.check("0123abcd", &field).is_ok());
        assert!(GUID.check("xyz", &field).is_err());
        assert!(check_range(5.0, None, Some(4.0), &field).is_err());
        assert_eq!(
            ConstraintViolation::missing(&list).to_string(),
            "`Ids` is required but was not set; set it before sending"
        );
    }

    /// An enum of the model's values `A` and `B`, holding any text.
    struct Letter(&'static str);

    impl KnownValues for Letter {
        fn check_known(&self, path: &Path<'_>) -> Result<(), ConstraintViolation> {
            check_known_value(self.0, &["A", "B"], path)
        }
    }

    #[test]
    fn unknown_enum_values_are_found_inside_collections() {
        let root = Path::Root;
        let field = Path::Field(&root, "Letters");
        assert_eq!(Some(Letter("A")).check_known(&field), Ok(()));
        assert_eq!(None::<Letter>.check_known(&field), Ok(()));
        let err = vec![Letter("A"), Letter("C")]
            .check_known(&field)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            "`Letters[1]` is `C`, which is not one of A, B"
        );
        let map = std::collections::HashMap::from([("k", Letter(""))]);
        let err = map.check_known(&field).unwrap_err();
        assert_eq!(err.path, "Letters[\"k\"]");
        assert!(
            matches!(&err.kind, ViolationKind::UnknownVariant { value, known } if value.is_empty() && known.len() == 2),
            "{err:?}"
        );
    }
}
