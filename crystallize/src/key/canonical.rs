//! Canonical JSON, written straight from any `Serialize` value: the object keys (and struct
//! fields) of every level sorted, no whitespace, strings and numbers in `serde_json`'s forms.
//! Keys hash it, so it is the same text `serde_json::to_value` then sorting would give, without
//! building the value tree: a record's key streams into its hasher.
//!
//! ```text
//! {"b": 1, "a": {"y": [1.5, {"q": 1, "p": 2}], "x": null}}
//!   -> {"a":{"x":null,"y":[1.5,{"p":2,"q":1}]},"b":1}
//! ```

use std::borrow::Cow;
use std::io::Write;
use std::ops::Range;

use serde::ser::{self, Impossible, Serialize};

/// Writes `value` as canonical JSON to `out`.
pub(crate) fn write<W: Write + ?Sized, T: Serialize + ?Sized>(
    value: &T,
    out: &mut W,
) -> Result<(), serde_json::Error> {
    value.serialize(Canonical { out })
}

/// `value` as canonical JSON text.
pub(crate) fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    let mut bytes = Vec::new();
    write(value, &mut bytes)?;
    // Only JSON text, which is UTF-8, is ever written.
    String::from_utf8(bytes).map_err(ser::Error::custom)
}

/// A JSON scalar in `serde_json`'s own form.
fn scalar<W: Write + ?Sized, T: Serialize + ?Sized>(
    out: &mut W,
    value: &T,
) -> Result<(), serde_json::Error> {
    serde_json::to_writer(out, value)
}

struct Canonical<'w, W: Write + ?Sized> {
    out: &'w mut W,
}

/// An object being written: its entries, each key with where its value's text is in `text`,
/// sorted at the end.
struct Object<'w, W: Write + ?Sized> {
    out: &'w mut W,
    entries: Entries,
    text: Vec<u8>,
    key: Option<String>,
    /// The variant of a struct variant (`{"Variant":{...}}`).
    variant: Option<&'static str>,
}

/// An object's entries: each key with where its value's text is.
type Entries = Vec<(Cow<'static, str>, Range<usize>)>;

/// The most finished objects' buffers kept for the next objects.
const SPARE_BUFFERS: usize = 16;

thread_local! {
    /// Buffers of finished objects, reused by the next ones: a key's record is many small
    /// objects (each stage, each upstream read, the params), written anew for every key.
    static SPARE: std::cell::RefCell<Vec<(Vec<u8>, Entries)>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// An empty text buffer and entry list, reused when a finished object left some.
fn buffers() -> (Vec<u8>, Entries) {
    SPARE
        .with(|spare| spare.borrow_mut().pop())
        .unwrap_or_default()
}

/// Keeps an object's buffers for the next object.
fn recycle(mut text: Vec<u8>, mut entries: Entries) {
    text.clear();
    entries.clear();
    SPARE.with(|spare| {
        let mut spare = spare.borrow_mut();
        if spare.len() < SPARE_BUFFERS {
            spare.push((text, entries));
        }
    });
}

/// An array being written.
struct Array<'w, W: Write + ?Sized> {
    out: &'w mut W,
    first: bool,
    /// The variant of a tuple variant (`{"Variant":[...]}`).
    variant: Option<&'static str>,
}

impl<W: Write + ?Sized> Object<'_, W> {
    fn finish(mut self) -> Result<(), serde_json::Error> {
        self.entries.sort_by(|a, b| a.0.cmp(&b.0));
        // Of equal keys (only a map could repeat one), the last wins, as in a JSON object.
        self.entries.reverse();
        self.entries.dedup_by(|later, earlier| later.0 == earlier.0);
        self.entries.reverse();
        let io = serde_json::Error::io;
        if let Some(variant) = self.variant {
            self.out.write_all(b"{").map_err(io)?;
            scalar(self.out, variant)?;
            self.out.write_all(b":").map_err(io)?;
        }
        self.out.write_all(b"{").map_err(io)?;
        for (index, (key, value)) in self.entries.iter().enumerate() {
            if index > 0 {
                self.out.write_all(b",").map_err(io)?;
            }
            scalar(self.out, key.as_ref())?;
            self.out.write_all(b":").map_err(io)?;
            self.out.write_all(&self.text[value.clone()]).map_err(io)?;
        }
        self.out.write_all(b"}").map_err(io)?;
        if self.variant.is_some() {
            self.out.write_all(b"}").map_err(io)?;
        }
        recycle(
            std::mem::take(&mut self.text),
            std::mem::take(&mut self.entries),
        );
        Ok(())
    }

    fn entry<T: Serialize + ?Sized>(
        &mut self,
        key: Cow<'static, str>,
        value: &T,
    ) -> Result<(), serde_json::Error> {
        let start = self.text.len();
        write(value, &mut self.text)?;
        self.entries.push((key, start..self.text.len()));
        Ok(())
    }
}

impl<W: Write + ?Sized> Array<'_, W> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), serde_json::Error> {
        if !self.first {
            self.out.write_all(b",").map_err(serde_json::Error::io)?;
        }
        self.first = false;
        write(value, self.out)
    }

    fn finish(self) -> Result<(), serde_json::Error> {
        let close: &[u8] = if self.variant.is_some() { b"]}" } else { b"]" };
        self.out.write_all(close).map_err(serde_json::Error::io)
    }
}

impl<'w, W: Write + ?Sized> Canonical<'w, W> {
    fn object(self, variant: Option<&'static str>, len: Option<usize>) -> Object<'w, W> {
        let (text, mut entries) = buffers();
        entries.reserve(len.unwrap_or(0));
        Object {
            out: self.out,
            entries,
            text,
            key: None,
            variant,
        }
    }

    fn array(self, variant: Option<&'static str>) -> Result<Array<'w, W>, serde_json::Error> {
        let io = serde_json::Error::io;
        if let Some(variant) = variant {
            self.out.write_all(b"{").map_err(io)?;
            scalar(self.out, variant)?;
            self.out.write_all(b":").map_err(io)?;
        }
        self.out.write_all(b"[").map_err(io)?;
        Ok(Array {
            out: self.out,
            first: true,
            variant,
        })
    }
}

macro_rules! scalars {
    ($($method:ident($type:ty)),* $(,)?) => {$(
        fn $method(self, value: $type) -> Result<(), serde_json::Error> {
            scalar(self.out, &value)
        }
    )*};
}

impl<'w, W: Write + ?Sized> ser::Serializer for Canonical<'w, W> {
    type Ok = ();
    type Error = serde_json::Error;
    type SerializeSeq = Array<'w, W>;
    type SerializeTuple = Array<'w, W>;
    type SerializeTupleStruct = Array<'w, W>;
    type SerializeTupleVariant = Array<'w, W>;
    type SerializeMap = Object<'w, W>;
    type SerializeStruct = Object<'w, W>;
    type SerializeStructVariant = Object<'w, W>;

    scalars!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_i128(i128),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_u128(u128),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
    );

    fn serialize_bytes(self, value: &[u8]) -> Result<(), serde_json::Error> {
        scalar(self.out, value)
    }

    fn serialize_none(self) -> Result<(), serde_json::Error> {
        self.serialize_unit()
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), serde_json::Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), serde_json::Error> {
        self.out.write_all(b"null").map_err(serde_json::Error::io)
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<(), serde_json::Error> {
        self.serialize_unit()
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), serde_json::Error> {
        scalar(self.out, variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), serde_json::Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), serde_json::Error> {
        let mut object = self.object(None, Some(1));
        object.entry(Cow::Borrowed(variant), value)?;
        object.finish()
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Array<'w, W>, serde_json::Error> {
        self.array(None)
    }

    fn serialize_tuple(self, _: usize) -> Result<Array<'w, W>, serde_json::Error> {
        self.array(None)
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Array<'w, W>, serde_json::Error> {
        self.array(None)
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Array<'w, W>, serde_json::Error> {
        self.array(Some(variant))
    }

    fn serialize_map(self, len: Option<usize>) -> Result<Object<'w, W>, serde_json::Error> {
        Ok(self.object(None, len))
    }

    fn serialize_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<Object<'w, W>, serde_json::Error> {
        Ok(self.object(None, Some(len)))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Object<'w, W>, serde_json::Error> {
        Ok(self.object(Some(variant), Some(len)))
    }
}

/// The array serializers: each element in turn.
macro_rules! array_impls {
    ($($trait:ident :: $method:ident),* $(,)?) => {$(
        impl<W: Write + ?Sized> ser::$trait for Array<'_, W> {
            type Ok = ();
            type Error = serde_json::Error;

            fn $method<T: Serialize + ?Sized>(
                &mut self,
                value: &T,
            ) -> Result<(), serde_json::Error> {
                self.element(value)
            }

            fn end(self) -> Result<(), serde_json::Error> {
                self.finish()
            }
        }
    )*};
}

array_impls!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field,
);

impl<W: Write + ?Sized> ser::SerializeMap for Object<'_, W> {
    type Ok = ();
    type Error = serde_json::Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), serde_json::Error> {
        self.key = Some(key.serialize(KeyText)?);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(
        &mut self,
        value: &T,
    ) -> Result<(), serde_json::Error> {
        let key = self
            .key
            .take()
            .ok_or_else(|| ser::Error::custom("a map value without its key"))?;
        self.entry(Cow::Owned(key), value)
    }

    fn end(self) -> Result<(), serde_json::Error> {
        self.finish()
    }
}

/// The struct serializers: each field an entry named by it.
macro_rules! struct_impls {
    ($($trait:ident),* $(,)?) => {$(
        impl<W: Write + ?Sized> ser::$trait for Object<'_, W> {
            type Ok = ();
            type Error = serde_json::Error;

            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), serde_json::Error> {
                self.entry(Cow::Borrowed(key), value)
            }

            fn end(self) -> Result<(), serde_json::Error> {
                self.finish()
            }
        }
    )*};
}

struct_impls!(SerializeStruct, SerializeStructVariant);

/// A map key as JSON names it: a string as it is, a number or a bool in its text (as
/// `serde_json` writes such keys); anything else is not a key.
struct KeyText;

macro_rules! key_texts {
    ($($method:ident($type:ty)),* $(,)?) => {$(
        fn $method(self, value: $type) -> Result<String, serde_json::Error> {
            Ok(value.to_string())
        }
    )*};
}

impl ser::Serializer for KeyText {
    type Ok = String;
    type Error = serde_json::Error;
    type SerializeSeq = Impossible<String, serde_json::Error>;
    type SerializeTuple = Impossible<String, serde_json::Error>;
    type SerializeTupleStruct = Impossible<String, serde_json::Error>;
    type SerializeTupleVariant = Impossible<String, serde_json::Error>;
    type SerializeMap = Impossible<String, serde_json::Error>;
    type SerializeStruct = Impossible<String, serde_json::Error>;
    type SerializeStructVariant = Impossible<String, serde_json::Error>;

    key_texts!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_i128(i128),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_u128(u128),
        serialize_char(char),
        serialize_str(&str),
    );

    fn serialize_f32(self, _: f32) -> Result<String, serde_json::Error> {
        Err(not_a_key())
    }

    fn serialize_f64(self, _: f64) -> Result<String, serde_json::Error> {
        Err(not_a_key())
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<String, serde_json::Error> {
        Err(not_a_key())
    }

    fn serialize_none(self) -> Result<String, serde_json::Error> {
        Err(not_a_key())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<String, serde_json::Error> {
        Err(not_a_key())
    }

    fn serialize_unit(self) -> Result<String, serde_json::Error> {
        Err(not_a_key())
    }

    fn serialize_unit_struct(self, _: &'static str) -> Result<String, serde_json::Error> {
        Err(not_a_key())
    }

    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<String, serde_json::Error> {
        Ok(variant.to_string())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<String, serde_json::Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<String, serde_json::Error> {
        Err(not_a_key())
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, serde_json::Error> {
        Err(not_a_key())
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, serde_json::Error> {
        Err(not_a_key())
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, serde_json::Error> {
        Err(not_a_key())
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, serde_json::Error> {
        Err(not_a_key())
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, serde_json::Error> {
        Err(not_a_key())
    }

    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, serde_json::Error> {
        Err(not_a_key())
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, serde_json::Error> {
        Err(not_a_key())
    }
}

fn not_a_key() -> serde_json::Error {
    ser::Error::custom("a JSON object key must be a string, a number or a bool")
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;
    use serde_json::{Value, json};

    use super::to_string;
    use crate::key::signature::canonicalize;

    /// What the text must equal: the value's tree, with keys sorted at every level.
    fn through_tree(value: &Value) -> String {
        serde_json::to_string(&canonicalize(value)).unwrap()
    }

    #[test]
    fn keys_are_sorted_at_every_level() {
        let value = json!({"b": 1, "a": {"y": [1.5, {"q": 1, "p": 2}], "x": null}});
        assert_eq!(
            to_string(&value).unwrap(),
            r#"{"a":{"x":null,"y":[1.5,{"p":2,"q":1}]},"b":1}"#
        );
    }

    #[test]
    fn typed_values_write_what_their_tree_would() {
        #[derive(Serialize)]
        enum Shape {
            Unit,
            New(u8),
            Pair(i32, f64),
            Named { z: bool, a: Option<String> },
        }
        #[derive(Serialize)]
        struct Record {
            zeta: Vec<Shape>,
            alpha: BTreeMap<u32, &'static str>,
            text: &'static str,
            floats: [f64; 5],
            nothing: Option<u8>,
            unit: (),
            big: u64,
            negative: i64,
        }
        let record = Record {
            zeta: vec![
                Shape::Unit,
                Shape::New(7),
                Shape::Pair(-1, 0.1),
                Shape::Named { z: true, a: None },
            ],
            alpha: BTreeMap::from([(10, "ten"), (2, "two")]),
            text: "t\u{e9}xt \"q\" \\ \n\t\u{1}",
            floats: [1e300, -2.5e-8, 0.0, f64::NAN, f64::INFINITY],
            nothing: None,
            unit: (),
            big: u64::MAX,
            negative: i64::MIN,
        };
        let tree = serde_json::to_value(&record).unwrap();
        assert_eq!(to_string(&record).unwrap(), through_tree(&tree));
        assert_eq!(to_string(&tree).unwrap(), through_tree(&tree));
    }

    #[test]
    fn a_key_that_is_not_text_is_an_error() {
        let map = BTreeMap::from([(vec![1], 1)]);
        assert!(to_string(&map).is_err());
    }
}
