//! Finding non-finite numbers (NaN, ±infinity) in a value before it becomes JSON.
//!
//! JSON has no NaN or infinity: `serde_json` turns them into `null`, after which NaN, `inf` and
//! `-inf` are indistinguishable from each other and from a missing value. So params are checked
//! while they are still Rust values: [`find_non_finite`] walks a value through its `Serialize`
//! implementation (a serializer that produces nothing) and reports the first non-finite `f32` or
//! `f64` with its path inside the value.

use std::fmt;

use serde::Serialize;
use serde::ser;

/// A non-finite number found inside a value.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct NonFinite {
    /// Where it is, relative to the value: empty for the value itself, else e.g. `.rates[2]`,
    /// `["key"]` or `.0`.
    pub path: String,
    /// `NaN`, `inf` or `-inf`.
    pub value: String,
}

/// The first NaN or infinite `f32`/`f64` inside `value` (fields, elements, map keys and values,
/// options, variants), or `None` when every number is finite. A value whose `Serialize`
/// implementation fails is not judged here (serialising it to JSON reports that failure).
pub(crate) fn find_non_finite<T: Serialize + ?Sized>(value: &T) -> Option<NonFinite> {
    let mut walker = Walker { path: Vec::new() };
    match value.serialize(&mut walker) {
        Err(Stop::Found(found)) => Some(found),
        Ok(()) | Err(Stop::Custom(_)) => None,
    }
}

/// Why the walk stopped early.
#[derive(Debug)]
enum Stop {
    Found(NonFinite),
    /// The value's own `Serialize` implementation failed.
    Custom(String),
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stop::Found(found) => write!(f, "{} at `{}`", found.value, found.path),
            Stop::Custom(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Stop {}

impl ser::Error for Stop {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Stop::Custom(message.to_string())
    }
}

struct Walker {
    path: Vec<String>,
}

impl Walker {
    fn number(&self, value: f64) -> Result<(), Stop> {
        if value.is_finite() {
            return Ok(());
        }
        Err(Stop::Found(NonFinite {
            path: self.path.concat(),
            value: value.to_string(),
        }))
    }

    /// Walks `value` with `segment` appended to the path.
    fn at<T: Serialize + ?Sized>(&mut self, segment: String, value: &T) -> Result<(), Stop> {
        self.path.push(segment);
        let walked = value.serialize(&mut *self);
        self.path.pop();
        walked
    }
}

/// The path segment of a map key: `["text"]` for strings, `[key]` for other keys.
fn key_segment<K: Serialize + ?Sized>(key: &K) -> String {
    match serde_json::to_value(key) {
        Ok(serde_json::Value::String(text)) => format!("[{text:?}]"),
        Ok(other) => format!("[{other}]"),
        Err(_) => "[key]".to_string(),
    }
}

/// Sequences, tuples and maps: counts elements to name them.
struct Compound<'a> {
    walker: &'a mut Walker,
    index: usize,
    /// `[i]` for sequences, `.i` for tuples.
    tuple: bool,
    /// The segment of the map key whose value comes next.
    key: String,
    /// Whether it pushed an enum variant's segment, popped at the end.
    variant: bool,
}

impl Compound<'_> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        let segment = if self.tuple {
            format!(".{}", self.index)
        } else {
            format!("[{}]", self.index)
        };
        self.index += 1;
        self.walker.at(segment, value)
    }

    fn finish(self) -> Result<(), Stop> {
        if self.variant {
            self.walker.path.pop();
        }
        Ok(())
    }
}

macro_rules! elements {
    ($($trait:ident :: $method:ident),*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Stop;

            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
                self.element(value)
            }

            fn end(self) -> Result<(), Stop> {
                self.finish()
            }
        }
    )*};
}

elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Stop;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Stop> {
        self.key = key_segment(key);
        self.walker.at(format!("{} (a key)", self.key), key)
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        let segment = std::mem::take(&mut self.key);
        self.walker.at(segment, value)
    }

    fn end(self) -> Result<(), Stop> {
        self.finish()
    }
}

macro_rules! fields {
    ($($trait:ident),*) => {$(
        impl ser::$trait for Compound<'_> {
            type Ok = ();
            type Error = Stop;

            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                name: &'static str,
                value: &T,
            ) -> Result<(), Stop> {
                self.walker.at(format!(".{name}"), value)
            }

            fn end(self) -> Result<(), Stop> {
                self.finish()
            }
        }
    )*};
}

fields!(SerializeStruct, SerializeStructVariant);

macro_rules! finite_by_type {
    ($($method:ident: $type:ty),*) => {$(
        fn $method(self, _: $type) -> Result<(), Stop> {
            Ok(())
        }
    )*};
}

impl<'a> ser::Serializer for &'a mut Walker {
    type Ok = ();
    type Error = Stop;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    finite_by_type!(
        serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_i128: i128, serialize_u8: u8, serialize_u16: u16,
        serialize_u32: u32, serialize_u64: u64, serialize_u128: u128, serialize_char: char,
        serialize_str: &str, serialize_bytes: &[u8], serialize_unit_struct: &'static str
    );

    fn serialize_f32(self, value: f32) -> Result<(), Stop> {
        self.number(f64::from(value))
    }

    fn serialize_f64(self, value: f64) -> Result<(), Stop> {
        self.number(value)
    }

    fn serialize_none(self) -> Result<(), Stop> {
        Ok(())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Stop> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Stop> {
        Ok(())
    }

    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Stop> {
        Ok(())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Stop> {
        self.at(format!(".{variant}"), value)
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>, Stop> {
        Ok(self.compound(false, None))
    }

    fn serialize_tuple(self, _: usize) -> Result<Compound<'a>, Stop> {
        Ok(self.compound(true, None))
    }

    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, Stop> {
        Ok(self.compound(true, None))
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Stop> {
        Ok(self.compound(true, Some(variant)))
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>, Stop> {
        Ok(self.compound(false, None))
    }

    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, Stop> {
        Ok(self.compound(false, None))
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Stop> {
        Ok(self.compound(false, Some(variant)))
    }
}

impl Walker {
    /// A compound value; an enum variant's contents sit under `.Variant` (as in its JSON form,
    /// `{"Variant": ..}`).
    fn compound(&mut self, tuple: bool, variant: Option<&str>) -> Compound<'_> {
        if let Some(variant) = variant {
            self.path.push(format!(".{variant}"));
        }
        Compound {
            walker: self,
            index: 0,
            tuple,
            key: String::new(),
            variant: variant.is_some(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[derive(Serialize)]
    struct Layer {
        width: u32,
        rates: Vec<f64>,
    }

    #[derive(Serialize)]
    struct Model {
        name: &'static str,
        layers: Vec<Layer>,
        bias: Option<f32>,
    }

    #[derive(Serialize)]
    enum Schedule {
        Constant(f64),
        Step { at: u32, to: f64 },
        Pair(f64, f64),
    }

    fn found(path: &str, value: &str) -> Option<NonFinite> {
        Some(NonFinite {
            path: path.to_string(),
            value: value.to_string(),
        })
    }

    #[test]
    fn finite_values_pass() {
        assert_eq!(find_non_finite(&1.5), None);
        assert_eq!(find_non_finite(&f64::MAX), None);
        assert_eq!(find_non_finite(&vec![0.0, -1.0e300]), None);
        assert_eq!(find_non_finite(&Some("text")), None);
        assert_eq!(find_non_finite(&(1u8, 2.0f32, None::<f64>)), None);
    }

    #[test]
    fn top_level_nan_and_infinities_are_named_apart() {
        assert_eq!(find_non_finite(&f64::NAN), found("", "NaN"));
        assert_eq!(find_non_finite(&f64::INFINITY), found("", "inf"));
        assert_eq!(find_non_finite(&f64::NEG_INFINITY), found("", "-inf"));
        assert_eq!(find_non_finite(&f32::NAN), found("", "NaN"));
        assert_eq!(find_non_finite(&Some(f64::NAN)), found("", "NaN"));
    }

    #[test]
    fn nested_values_report_their_path() {
        let model = Model {
            name: "m",
            layers: vec![
                Layer {
                    width: 4,
                    rates: vec![0.1],
                },
                Layer {
                    width: 8,
                    rates: vec![0.1, 0.2, f64::INFINITY],
                },
            ],
            bias: None,
        };
        assert_eq!(find_non_finite(&model), found(".layers[1].rates[2]", "inf"));
        let biased = Model {
            name: "m",
            layers: Vec::new(),
            bias: Some(f32::NEG_INFINITY),
        };
        assert_eq!(find_non_finite(&biased), found(".bias", "-inf"));
        assert_eq!(
            find_non_finite(&(1.0, (2.0, f64::NAN))),
            found(".1.1", "NaN")
        );
    }

    #[test]
    fn maps_and_variants_report_their_path() {
        let map = BTreeMap::from([("a", vec![1.0]), ("b", vec![2.0, f64::NAN])]);
        assert_eq!(find_non_finite(&map), found("[\"b\"][1]", "NaN"));
        let by_number = BTreeMap::from([(3u32, f64::INFINITY)]);
        assert_eq!(find_non_finite(&by_number), found("[3]", "inf"));
        assert_eq!(
            find_non_finite(&Schedule::Constant(f64::NAN)),
            found(".Constant", "NaN")
        );
        assert_eq!(
            find_non_finite(&Schedule::Step {
                at: 3,
                to: f64::INFINITY
            }),
            found(".Step.to", "inf")
        );
        assert_eq!(
            find_non_finite(&Schedule::Pair(1.0, f64::NAN)),
            found(".Pair.1", "NaN")
        );
        // A variant's segment ends with the variant.
        let schedules = vec![Schedule::Pair(1.0, 2.0), Schedule::Constant(f64::NAN)];
        assert_eq!(find_non_finite(&schedules), found("[1].Constant", "NaN"));
    }

    #[test]
    fn json_values_are_walked_too() {
        let value = serde_json::json!({"a": [1.0, {"b": 2.0}]});
        assert_eq!(find_non_finite(&value), None);
    }
}
