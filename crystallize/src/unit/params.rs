//! Params: named values (any `serde` type, stored as JSON) that steps receive by name.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

mod decoded;
mod finite;

use decoded::Decoded;
use finite::{NonFinite, find_non_finite};

/// A set of named params, e.g. the baseline params of an experiment or a treatment's payload.
///
/// Build one with [`params!`](crate::params!) or [`Params::with`]:
///
/// ```
/// use crystallize::prelude::*;
///
/// let payload = params! { "factor": 2.0, "label": "double" };
/// assert_eq!(payload.get("factor"), Some(&serde_json::json!(2.0)));
/// let same = Params::new().with("factor", 2.0).with("label", "double");
/// assert_eq!(payload, same);
/// ```
#[derive(Default)]
pub struct Params {
    values: BTreeMap<String, Value>,
    /// Values that could not be represented as JSON; reported when the experiment is validated.
    problems: Vec<String>,
    /// Params the units of a condition deserialised, kept for the next unit.
    decoded: Decoded,
}

impl Clone for Params {
    /// The values and problems (what was deserialised is not carried over).
    fn clone(&self) -> Params {
        Params {
            values: self.values.clone(),
            problems: self.problems.clone(),
            decoded: Decoded::default(),
        }
    }
}

impl PartialEq for Params {
    fn eq(&self, other: &Params) -> bool {
        self.values == other.values && self.problems == other.problems
    }
}

impl std::fmt::Debug for Params {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Params")
            .field("values", &self.values)
            .field("problems", &self.problems)
            .finish()
    }
}

impl Params {
    /// An empty set.
    pub fn new() -> Params {
        Params::default()
    }

    /// Sets `name` to `value` (serialised to JSON now). A value that cannot be serialised, or
    /// that is or holds a NaN or infinite number (JSON has none: it would be stored as `null`,
    /// and NaN, `inf` and `-inf` would share one signature), is not set: it is reported when the
    /// experiment is validated, before anything runs.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Serialize) {
        let converted = match find_non_finite(&value) {
            Some(found) => Err(found),
            None => Ok(serde_json::to_value(value)),
        };
        self.insert_converted(name.into(), converted);
    }

    /// [`Params::insert`] of a value already walked for non-finite numbers and converted to JSON
    /// (compiled once, not per type of value).
    fn insert_converted(
        &mut self,
        name: String,
        converted: Result<serde_json::Result<Value>, NonFinite>,
    ) {
        self.decoded.forget(&name);
        match converted {
            Err(found) => {
                let at = if found.path.is_empty() {
                    format!("is {}", found.value)
                } else {
                    format!("holds {} at `{name}{}`", found.value, found.path)
                };
                self.problems.push(format!(
                    "param `{name}` {at}: params must be finite numbers (JSON has no NaN or \
                     infinity; it would be stored as null); use a finite value, or leave an \
                     `Option` param out"
                ));
            }
            Ok(Ok(value)) => {
                self.values.insert(name, value);
            }
            Ok(Err(error)) => self.problems.push(format!(
                "param `{name}` cannot be represented as JSON: {error}"
            )),
        }
    }

    /// Builder form of [`Params::insert`].
    pub fn with(mut self, name: impl Into<String>, value: impl Serialize) -> Params {
        self.insert(name, value);
        self
    }

    /// The JSON value of `name`.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.values.get(name)
    }

    /// Names and values, sorted by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.values
            .iter()
            .map(|(name, value)| (name.as_str(), value))
    }

    /// Number of params.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether there are no params.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// `self` overlaid with `other` (other's values win).
    pub fn overlay(&self, other: &Params) -> Params {
        let mut merged = self.clone();
        for (name, value) in &other.values {
            merged.values.insert(name.clone(), value.clone());
        }
        merged.problems.extend(other.problems.iter().cloned());
        merged
    }

    /// The params as one JSON object (keys sorted).
    pub fn to_value(&self) -> Value {
        Value::Object(
            self.values
                .iter()
                .map(|(name, value)| (name.clone(), crate::key::signature::canonicalize(value)))
                .collect(),
        )
    }

    /// What the units of this condition deserialised (see [`Ctx::__inject_shared`]).
    ///
    /// [`Ctx::__inject_shared`]: crate::Ctx::__inject_shared
    pub(crate) fn decoded(&self) -> &Decoded {
        &self.decoded
    }

    pub(crate) fn problems(&self) -> &[String] {
        &self.problems
    }
}

/// Builds [`Params`] from `"name": value` pairs; values are any `serde::Serialize` type.
///
/// ```
/// use crystallize::prelude::*;
///
/// let p = params! { "factor": 2.0, "layers": vec![64, 64] };
/// assert_eq!(p.len(), 2);
/// ```
#[macro_export]
macro_rules! params {
    () => { $crate::Params::new() };
    ($($name:literal : $value:expr),+ $(,)?) => {{
        let mut params = $crate::Params::new();
        $( params.insert($name, $value); )+
        params
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_finite_values_are_problems_naming_the_param() {
        let params = Params::new()
            .with("factor", f64::NAN)
            .with("rates", vec![1.0, f64::INFINITY])
            .with("fine", 1.0);
        assert_eq!(params.get("factor"), None);
        assert_eq!(params.get("rates"), None);
        assert_eq!(params.get("fine"), Some(&serde_json::json!(1.0)));
        let problems = params.problems();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(
            problems[0].starts_with("param `factor` is NaN: params must be finite"),
            "{problems:?}"
        );
        assert!(
            problems[1].starts_with("param `rates` holds inf at `rates[1]`"),
            "{problems:?}"
        );
    }

    #[test]
    fn the_macro_and_overlays_keep_the_problems() {
        let treatment = crate::params! { "low": f64::NEG_INFINITY };
        assert!(treatment.problems()[0].contains("param `low` is -inf"));
        let merged = Params::new().with("low", 0.0).overlay(&treatment);
        assert_eq!(merged.problems(), treatment.problems());
    }
}
