//! JSON documents as restJson1 writes them, on top of `aws-smithy-json`'s writer and
//! tokenizer.
//!
//! Generated code implements [`WriteJson`] and [`ReadJson`] for its structures, unions
//! and enums with one statement per member; this module supplies everything else:
//! scalars, blobs (base64), timestamps (epoch seconds unless a member says otherwise),
//! documents, big numbers, lists and maps.

use std::collections::HashMap;
use std::hash::Hash;

use aws_smithy_json::deserialize::{json_token_iter, JsonTokenIterator, Token};
use aws_smithy_json::serialize::{JsonArrayWriter, JsonObjectWriter, JsonValueWriter};
use aws_smithy_types::date_time::Format;
use aws_smithy_types::error::operation::SerializationError;
use aws_smithy_types::{BigDecimal, BigInteger, Blob, DateTime, Document, Number};

pub use aws_smithy_json::deserialize::error::DeserializeError as JsonError;
pub use aws_smithy_json::serialize::JsonValueWriter as ValueWriter;

/// How deep documents may nest before reading gives up (a hostile body cannot
/// exhaust the stack).
const MAX_DEPTH: usize = 128;

/// A value written as JSON.
pub trait WriteJson {
    /// Writes `self` into `out`.
    fn write_json(&self, out: JsonValueWriter<'_>) -> Result<(), SerializationError>;
}

/// A value written as JSON in a timestamp format other than the default.
pub trait WriteJsonWith {
    /// Writes `self` into `out`, timestamps in `format`.
    fn write_json_with(
        &self,
        out: JsonValueWriter<'_>,
        format: Format,
    ) -> Result<(), SerializationError>;
}

/// A value read from JSON; `Ok(None)` for `null`.
pub trait ReadJson: Sized {
    /// Reads one value.
    fn read_json(reader: &mut Reader<'_>) -> Result<Option<Self>, JsonError>;
}

/// A value read from JSON with timestamps in a format other than the default.
pub trait ReadJsonWith: Sized {
    /// Reads one value, timestamps in `format`.
    fn read_json_with(reader: &mut Reader<'_>, format: Format) -> Result<Option<Self>, JsonError>;
}

/// Writes `value` as a whole JSON document.
pub fn to_string<T: WriteJson + ?Sized>(value: &T) -> Result<String, SerializationError> {
    let mut out = String::new();
    value.write_json(JsonValueWriter::new(&mut out))?;
    Ok(out)
}

/// Reads a whole JSON document; an empty (or all-whitespace) body reads as `null`.
pub fn from_slice<T: ReadJson>(body: &[u8]) -> Result<Option<T>, JsonError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let mut reader = Reader::new(body);
    let value = T::read_json(&mut reader)?;
    reader.expect_end()?;
    Ok(value)
}

/// The members of one JSON object being written.
pub struct ObjectWriter<'a> {
    inner: JsonObjectWriter<'a>,
}

impl<'a> ObjectWriter<'a> {
    /// Starts an object in `out`.
    pub fn new(out: JsonValueWriter<'a>) -> Self {
        Self {
            inner: out.start_object(),
        }
    }

    /// Starts an object that is the whole of `out`.
    pub fn document(out: &'a mut String) -> Self {
        Self {
            inner: JsonObjectWriter::new(out),
        }
    }

    /// Writes `key: value`.
    pub fn member<T: WriteJson + ?Sized>(
        &mut self,
        key: &str,
        value: &T,
    ) -> Result<(), SerializationError> {
        value.write_json(self.inner.key(key))
    }

    /// Writes `key: value` unless `value` is `None`.
    pub fn optional<T: WriteJson>(
        &mut self,
        key: &str,
        value: &Option<T>,
    ) -> Result<(), SerializationError> {
        match value {
            Some(value) => self.member(key, value),
            None => Ok(()),
        }
    }

    /// Writes `key: value` with timestamps in `format`.
    pub fn member_with<T: WriteJsonWith + ?Sized>(
        &mut self,
        key: &str,
        value: &T,
        format: Format,
    ) -> Result<(), SerializationError> {
        value.write_json_with(self.inner.key(key), format)
    }

    /// Writes `key: value` with timestamps in `format`, unless `value` is `None`.
    pub fn optional_with<T: WriteJsonWith>(
        &mut self,
        key: &str,
        value: &Option<T>,
        format: Format,
    ) -> Result<(), SerializationError> {
        match value {
            Some(value) => self.member_with(key, value, format),
            None => Ok(()),
        }
    }

    /// Closes the object.
    pub fn finish(self) {
        self.inner.finish()
    }
}

// -- writing ------------------------------------------------------------------------

/// The value of a union's unit member: an empty object.
#[derive(Debug, Clone, Copy)]
pub struct Unit;

impl WriteJson for Unit {
    fn write_json(&self, out: JsonValueWriter<'_>) -> Result<(), SerializationError> {
        out.start_object().finish();
        Ok(())
    }
}

impl WriteJson for str {
    fn write_json(&self, out: JsonValueWriter<'_>) -> Result<(), SerializationError> {
        out.string(self);
        Ok(())
    }
}

impl WriteJson for String {
    fn write_json(&self, out: JsonValueWriter<'_>) -> Result<(), SerializationError> {
        out.string(self);
        Ok(())
    }
}

impl WriteJson for bool {
    fn write_json(&self, out: JsonValueWriter<'_>) -> Result<(), SerializationError> {
        out.boolean(*self);
        Ok(())
    }
}

macro_rules! write_integers {
    ($($t:ty),*) => {$(
        impl WriteJson for $t {
            fn write_json(&self, out: JsonValueWriter<'_>) -> Result<(), SerializationError> {
                let value = i64::from(*self);
                out.number(if value < 0 { Number::NegInt(value) } else { Number::PosInt(value as u64) });
                Ok(())
            }
        }
    )*};
}
write_integers!(i8, i16, i32, i64);

macro_rules! write_floats {
    ($($t:ty),*) => {$(
        impl WriteJson for $t {
            fn write_json(&self, out: JsonValueWriter<'_>) -> Result<(), SerializationError> {
                // `NaN` and the infinities become the strings restJson1 uses for them.
                out.number(Number::Float(f64::from(*self)));
                Ok(())
            }
        }
    )*};
}
write_floats!(f32, f64);

impl WriteJson for Blob {
    fn write_json(&self, out: JsonValueWriter<'_>) -> Result<(), SerializationError> {
        out.string_unchecked(&aws_smithy_types::base64::encode(self));
        Ok(())
    }
}

impl WriteJson for DateTime {
    fn write_json(&self, out: JsonValueWriter<'_>) -> Result<(), SerializationError> {
        self.write_json_with(out, Format::EpochSeconds)
    }
}

impl WriteJsonWith for DateTime {
    fn write_json_with(
        &self,
        out: JsonValueWriter<'_>,
        format: Format,
    ) -> Result<(), SerializationError> {
        out.date_time(self, format)
            .map_err(SerializationError::from)
    }
}

impl WriteJson for Document {
    fn write_json(&self, out: JsonValueWriter<'_>) -> Result<(), SerializationError> {
        out.document(self);
        Ok(())
    }
}

impl WriteJson for BigInteger {
    fn write_json(&self, out: JsonValueWriter<'_>) -> Result<(), SerializationError> {
        out.write_raw_value(self.as_ref());
        Ok(())
    }
}

impl WriteJson for BigDecimal {
    fn write_json(&self, out: JsonValueWriter<'_>) -> Result<(), SerializationError> {
        out.write_raw_value(self.as_ref());
        Ok(())
    }
}

fn write_items<T>(
    items: &[T],
    out: JsonValueWriter<'_>,
    mut write: impl FnMut(&T, JsonValueWriter<'_>) -> Result<(), SerializationError>,
) -> Result<(), SerializationError> {
    let mut array: JsonArrayWriter<'_> = out.start_array();
    for item in items {
        write(item, array.value())?;
    }
    array.finish();
    Ok(())
}

fn write_entries<K: AsRef<str>, V>(
    entries: &HashMap<K, V>,
    out: JsonValueWriter<'_>,
    mut write: impl FnMut(&V, JsonValueWriter<'_>) -> Result<(), SerializationError>,
) -> Result<(), SerializationError> {
    let mut object = out.start_object();
    for (key, value) in entries {
        write(value, object.key(key.as_ref()))?;
    }
    object.finish();
    Ok(())
}

impl<T: WriteJson> WriteJson for Vec<T> {
    fn write_json(&self, out: JsonValueWriter<'_>) -> Result<(), SerializationError> {
        write_items(self, out, T::write_json)
    }
}

impl<T: WriteJsonWith> WriteJsonWith for Vec<T> {
    fn write_json_with(
        &self,
        out: JsonValueWriter<'_>,
        format: Format,
    ) -> Result<(), SerializationError> {
        write_items(self, out, |item, out| item.write_json_with(out, format))
    }
}

impl<K: AsRef<str>, V: WriteJson> WriteJson for HashMap<K, V> {
    fn write_json(&self, out: JsonValueWriter<'_>) -> Result<(), SerializationError> {
        write_entries(self, out, V::write_json)
    }
}

impl<K: AsRef<str>, V: WriteJsonWith> WriteJsonWith for HashMap<K, V> {
    fn write_json_with(
        &self,
        out: JsonValueWriter<'_>,
        format: Format,
    ) -> Result<(), SerializationError> {
        write_entries(self, out, |value, out| value.write_json_with(out, format))
    }
}

/// A boxed member (one closing a cycle of structures) is written as its value.
impl<T: WriteJson + ?Sized> WriteJson for Box<T> {
    fn write_json(&self, out: JsonValueWriter<'_>) -> Result<(), SerializationError> {
        (**self).write_json(out)
    }
}

/// `@sparse` collections hold `null`s.
impl<T: WriteJson> WriteJson for Option<T> {
    fn write_json(&self, out: JsonValueWriter<'_>) -> Result<(), SerializationError> {
        match self {
            Some(value) => value.write_json(out),
            None => {
                out.null();
                Ok(())
            }
        }
    }
}

// -- reading ------------------------------------------------------------------------

/// Reads JSON values from a body, one token at a time.
pub struct Reader<'a> {
    input: &'a [u8],
    tokens: std::iter::Peekable<JsonTokenIterator<'a>>,
    depth: usize,
}

impl<'a> Reader<'a> {
    /// A reader over `input`.
    pub fn new(input: &'a [u8]) -> Self {
        Self {
            input,
            tokens: json_token_iter(input).peekable(),
            depth: 0,
        }
    }

    fn next(&mut self) -> Result<Token<'a>, JsonError> {
        match self.tokens.next() {
            Some(token) => token,
            None => Err(JsonError::custom("unexpected end of the JSON document")),
        }
    }

    /// Fails unless the whole input has been read.
    pub fn expect_end(&mut self) -> Result<(), JsonError> {
        match self.tokens.next() {
            None => Ok(()),
            Some(Ok(token)) => Err(token.error("trailing data after the JSON document".into())),
            Some(Err(e)) => Err(e),
        }
    }

    /// Reads one value of type `T`.
    pub fn read<T: ReadJson>(&mut self) -> Result<Option<T>, JsonError> {
        T::read_json(self)
    }

    /// Reads one value of type `T`, timestamps in `format`.
    pub fn read_with<T: ReadJsonWith>(&mut self, format: Format) -> Result<Option<T>, JsonError> {
        T::read_json_with(self, format)
    }

    /// Skips one value of any type.
    pub fn skip(&mut self) -> Result<(), JsonError> {
        aws_smithy_json::deserialize::token::skip_value(&mut self.tokens)
    }

    fn enter(&mut self, offset: usize) -> Result<(), JsonError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(JsonError::custom(format!(
                "the JSON document nests deeper than {MAX_DEPTH} levels"
            ))
            .with_offset(offset));
        }
        Ok(())
    }

    /// Reads an object, calling `member` for each key with the reader positioned at its
    /// value (which `member` must consume, or [`skip`](Self::skip)). `Ok(false)` when
    /// the value is `null`.
    pub fn object(
        &mut self,
        mut member: impl FnMut(&str, &mut Reader<'a>) -> Result<(), JsonError>,
    ) -> Result<bool, JsonError> {
        // One copy of the loop for every structure: the member callback is dynamic.
        self.object_dyn(&mut member)
    }

    fn object_dyn(
        &mut self,
        member: &mut dyn FnMut(&str, &mut Reader<'a>) -> Result<(), JsonError>,
    ) -> Result<bool, JsonError> {
        match self.next()? {
            Token::ValueNull { .. } => return Ok(false),
            Token::StartObject { offset } => self.enter(offset.0)?,
            other => return Err(other.error("expected a JSON object".into())),
        }
        loop {
            match self.next()? {
                Token::EndObject { .. } => break,
                Token::ObjectKey { key, offset } => {
                    let key = key.to_unescaped().map_err(|e| {
                        JsonError::custom_source("invalid escape in an object key", e)
                            .with_offset(offset.0)
                    })?;
                    member(&key, self)?;
                }
                other => return Err(other.error("expected an object key".into())),
            }
        }
        self.depth -= 1;
        Ok(true)
    }

    /// Reads an array, calling `item` for each element. `Ok(false)` for `null`.
    pub fn array(
        &mut self,
        mut item: impl FnMut(&mut Reader<'a>) -> Result<(), JsonError>,
    ) -> Result<bool, JsonError> {
        self.array_dyn(&mut item)
    }

    fn array_dyn(
        &mut self,
        item: &mut dyn FnMut(&mut Reader<'a>) -> Result<(), JsonError>,
    ) -> Result<bool, JsonError> {
        match self.next()? {
            Token::ValueNull { .. } => return Ok(false),
            Token::StartArray { offset } => self.enter(offset.0)?,
            other => return Err(other.error("expected a JSON array".into())),
        }
        while !matches!(self.tokens.peek(), Some(Ok(Token::EndArray { .. }))) {
            item(self)?;
        }
        self.next()?;
        self.depth -= 1;
        Ok(true)
    }

    /// Reads a string (unescaped); `None` for `null`.
    pub fn string(&mut self) -> Result<Option<std::borrow::Cow<'a, str>>, JsonError> {
        match self.next()? {
            Token::ValueNull { .. } => Ok(None),
            Token::ValueString { value, offset } => value.to_unescaped().map(Some).map_err(|e| {
                JsonError::custom_source("invalid escape in a string", e).with_offset(offset.0)
            }),
            other => Err(other.error("expected a string".into())),
        }
    }

    fn number(&mut self) -> Result<Option<Number>, JsonError> {
        aws_smithy_json::deserialize::token::expect_number_or_null(self.tokens.next())
    }

    fn raw_number(&mut self) -> Result<Option<&'a str>, JsonError> {
        aws_smithy_json::deserialize::token::expect_number_as_string_or_null(
            self.tokens.next(),
            self.input,
        )
    }

    fn timestamp(&mut self, format: Format) -> Result<Option<DateTime>, JsonError> {
        aws_smithy_json::deserialize::token::expect_timestamp_or_null(self.tokens.next(), format)
    }

    /// Reads a document (any JSON value; `null` is [`Document::Null`]).
    pub fn document(&mut self) -> Result<Document, JsonError> {
        aws_smithy_json::deserialize::token::expect_document(&mut self.tokens)
    }
}

impl ReadJson for String {
    fn read_json(reader: &mut Reader<'_>) -> Result<Option<Self>, JsonError> {
        Ok(reader.string()?.map(std::borrow::Cow::into_owned))
    }
}

impl ReadJson for bool {
    fn read_json(reader: &mut Reader<'_>) -> Result<Option<Self>, JsonError> {
        match reader.next()? {
            Token::ValueNull { .. } => Ok(None),
            Token::ValueBool { value, .. } => Ok(Some(value)),
            other => Err(other.error("expected a boolean".into())),
        }
    }
}

macro_rules! read_integers {
    ($($t:ty),*) => {$(
        impl ReadJson for $t {
            fn read_json(reader: &mut Reader<'_>) -> Result<Option<Self>, JsonError> {
                match reader.number()? {
                    None => Ok(None),
                    Some(Number::PosInt(n)) => <$t>::try_from(n).map(Some).map_err(|_| {
                        JsonError::custom(format!("{n} does not fit a {}", stringify!($t)))
                    }),
                    Some(Number::NegInt(n)) => <$t>::try_from(n).map(Some).map_err(|_| {
                        JsonError::custom(format!("{n} does not fit a {}", stringify!($t)))
                    }),
                    Some(Number::Float(f)) => {
                        Err(JsonError::custom(format!("expected an integer, found {f}")))
                    }
                }
            }
        }
    )*};
}
read_integers!(i8, i16, i32, i64);

impl ReadJson for f64 {
    fn read_json(reader: &mut Reader<'_>) -> Result<Option<Self>, JsonError> {
        Ok(reader.number()?.map(Number::to_f64_lossy))
    }
}

impl ReadJson for f32 {
    fn read_json(reader: &mut Reader<'_>) -> Result<Option<Self>, JsonError> {
        Ok(reader.number()?.map(Number::to_f32_lossy))
    }
}

impl ReadJson for Blob {
    fn read_json(reader: &mut Reader<'_>) -> Result<Option<Self>, JsonError> {
        aws_smithy_json::deserialize::token::expect_blob_or_null(reader.tokens.next())
    }
}

impl ReadJson for DateTime {
    fn read_json(reader: &mut Reader<'_>) -> Result<Option<Self>, JsonError> {
        reader.timestamp(Format::EpochSeconds)
    }
}

impl ReadJsonWith for DateTime {
    fn read_json_with(reader: &mut Reader<'_>, format: Format) -> Result<Option<Self>, JsonError> {
        reader.timestamp(format)
    }
}

impl ReadJson for Document {
    fn read_json(reader: &mut Reader<'_>) -> Result<Option<Self>, JsonError> {
        Ok(Some(reader.document()?))
    }
}

impl ReadJson for BigInteger {
    fn read_json(reader: &mut Reader<'_>) -> Result<Option<Self>, JsonError> {
        reader
            .raw_number()?
            .map(|text| {
                text.parse()
                    .map_err(|e| JsonError::custom_source("not a big integer", e))
            })
            .transpose()
    }
}

impl ReadJson for BigDecimal {
    fn read_json(reader: &mut Reader<'_>) -> Result<Option<Self>, JsonError> {
        reader
            .raw_number()?
            .map(|text| {
                text.parse()
                    .map_err(|e| JsonError::custom_source("not a big decimal", e))
            })
            .transpose()
    }
}

/// Lists skip `null` items (restJson1 clients drop them from dense lists).
impl<T: ReadJson> ReadJson for Vec<T> {
    fn read_json(reader: &mut Reader<'_>) -> Result<Option<Self>, JsonError> {
        let mut items = Vec::new();
        let present = reader.array(|r| {
            items.extend(T::read_json(r)?);
            Ok(())
        })?;
        Ok(present.then_some(items))
    }
}

impl<T: ReadJsonWith> ReadJsonWith for Vec<T> {
    fn read_json_with(reader: &mut Reader<'_>, format: Format) -> Result<Option<Self>, JsonError> {
        let mut items = Vec::new();
        let present = reader.array(|r| {
            items.extend(T::read_json_with(r, format)?);
            Ok(())
        })?;
        Ok(present.then_some(items))
    }
}

/// Maps skip entries whose value is `null`.
impl<K: for<'k> From<&'k str> + Eq + Hash, V: ReadJson> ReadJson for HashMap<K, V> {
    fn read_json(reader: &mut Reader<'_>) -> Result<Option<Self>, JsonError> {
        let mut entries = HashMap::new();
        let present = reader.object(|key, r| {
            if let Some(value) = V::read_json(r)? {
                entries.insert(K::from(key), value);
            }
            Ok(())
        })?;
        Ok(present.then_some(entries))
    }
}

impl<K: for<'k> From<&'k str> + Eq + Hash, V: ReadJsonWith> ReadJsonWith for HashMap<K, V> {
    fn read_json_with(reader: &mut Reader<'_>, format: Format) -> Result<Option<Self>, JsonError> {
        let mut entries = HashMap::new();
        let present = reader.object(|key, r| {
            if let Some(value) = V::read_json_with(r, format)? {
                entries.insert(K::from(key), value);
            }
            Ok(())
        })?;
        Ok(present.then_some(entries))
    }
}

/// A boxed member is read as its value.
impl<T: ReadJson> ReadJson for Box<T> {
    fn read_json(reader: &mut Reader<'_>) -> Result<Option<Self>, JsonError> {
        Ok(T::read_json(reader)?.map(Box::new))
    }
}

/// `@sparse` collections keep their `null`s.
impl<T: ReadJson> ReadJson for Option<T> {
    fn read_json(reader: &mut Reader<'_>) -> Result<Option<Self>, JsonError> {
        Ok(Some(T::read_json(reader)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq)]
    struct Pair {
        name: Option<String>,
        when: Option<DateTime>,
        tags: Option<HashMap<String, String>>,
        sizes: Option<Vec<i32>>,
    }

    impl WriteJson for Pair {
        fn write_json(&self, out: JsonValueWriter<'_>) -> Result<(), SerializationError> {
            let mut o = ObjectWriter::new(out);
            o.optional("Name", &self.name)?;
            o.optional_with("When", &self.when, Format::DateTime)?;
            o.optional("Tags", &self.tags)?;
            o.optional("Sizes", &self.sizes)?;
            o.finish();
            Ok(())
        }
    }

    impl ReadJson for Pair {
        fn read_json(reader: &mut Reader<'_>) -> Result<Option<Self>, JsonError> {
            let mut pair = Pair::default();
            let present = reader.object(|key, r| {
                match key {
                    "Name" => pair.name = r.read()?,
                    "When" => pair.when = r.read_with(Format::DateTime)?,
                    "Tags" => pair.tags = r.read()?,
                    "Sizes" => pair.sizes = r.read()?,
                    _ => r.skip()?,
                }
                Ok(())
            })?;
            Ok(present.then_some(pair))
        }
    }

    #[test]
    fn structures_round_trip_and_unknown_keys_are_skipped() {
        let pair = Pair {
            name: Some("a \"quoted\" é".into()),
            when: Some(DateTime::from_secs(1_700_000_000)),
            tags: Some(HashMap::from([("k".to_owned(), "v".to_owned())])),
            sizes: Some(vec![1, -2, 3]),
        };
        let text = to_string(&pair).unwrap();
        assert_eq!(
            text,
            r#"{"Name":"a \"quoted\" é","When":"2023-11-14T22:13:20Z","Tags":{"k":"v"},"Sizes":[1,-2,3]}"#
        );
        assert_eq!(from_slice::<Pair>(text.as_bytes()).unwrap(), Some(pair));
        let extra = br#"{"Unknown":{"deep":[1,{"x":null}]},"Name":"n"}"#;
        assert_eq!(
            from_slice::<Pair>(extra).unwrap().unwrap().name.as_deref(),
            Some("n")
        );
    }

    #[test]
    fn nulls_empty_bodies_and_wrong_types() {
        assert_eq!(from_slice::<Pair>(b"  ").unwrap(), None);
        assert_eq!(from_slice::<Pair>(b"null").unwrap(), None);
        assert_eq!(
            from_slice::<Pair>(br#"{"Name":null}"#).unwrap(),
            Some(Pair::default())
        );
        let err = from_slice::<Pair>(br#"{"Name":5}"#).unwrap_err();
        assert!(err.to_string().contains("expected a string"), "{err}");
        assert!(from_slice::<Pair>(br#"{"Name":"a"} x"#).is_err());
        assert!(from_slice::<Pair>(br#"{"Sizes":[1.5]}"#).is_err());
        assert!(from_slice::<i8>(b"300").is_err());
    }

    #[test]
    fn scalars_blobs_floats_and_documents() {
        assert_eq!(to_string(&Blob::new(b"hi".to_vec())).unwrap(), r#""aGk=""#);
        assert_eq!(
            from_slice::<Blob>(br#""aGk=""#).unwrap(),
            Some(Blob::new(b"hi".to_vec()))
        );
        assert_eq!(to_string(&f64::NAN).unwrap(), r#""NaN""#);
        assert_eq!(to_string(&f32::NEG_INFINITY).unwrap(), r#""-Infinity""#);
        assert!(from_slice::<f64>(br#""Infinity""#)
            .unwrap()
            .unwrap()
            .is_infinite());
        assert_eq!(to_string(&DateTime::from_secs(5)).unwrap(), "5");
        assert_eq!(
            from_slice::<DateTime>(b"1.5").unwrap(),
            Some(DateTime::from_secs_f64(1.5))
        );
        let doc = from_slice::<Document>(br#"{"a":[1,true,null,"s"]}"#)
            .unwrap()
            .unwrap();
        assert_eq!(to_string(&doc).unwrap(), r#"{"a":[1,true,null,"s"]}"#);
        let big = from_slice::<BigInteger>(b"123456789012345678901234567890")
            .unwrap()
            .unwrap();
        assert_eq!(to_string(&big).unwrap(), "123456789012345678901234567890");
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(from_slice::<Vec<Vec<i32>>>(deep.as_bytes()).is_err());
        let object = format!("{}1{}", r#"{"Sizes":"#.repeat(200), "}".repeat(200));
        assert!(from_slice::<Pair>(object.as_bytes()).is_err());
    }
}
