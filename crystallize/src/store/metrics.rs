//! The metrics of one unit as its record holds them: a short list sorted by name, the names
//! interned (every unit of an experiment records the same few names, so each is allocated once
//! per process, not once per unit). Serialised as the JSON object `{"<metric>": value}`, as the
//! journal has always stored them.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

use serde::de::{MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A metric name shared by every record that holds it.
pub(crate) type MetricName = Arc<str>;

/// The one copy of `name` in this process.
pub(crate) fn intern(name: &str) -> MetricName {
    static NAMES: OnceLock<Mutex<HashSet<MetricName>>> = OnceLock::new();
    let names = NAMES.get_or_init(Default::default);
    let mut names = names
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some(known) = names.get(name) {
        return known.clone();
    }
    let interned: MetricName = Arc::from(name);
    names.insert(interned.clone());
    interned
}

/// A unit's metrics: name → value (`None` for a non-finite value), sorted by name, each name
/// at most once.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Metrics(Vec<(MetricName, Option<f64>)>);

impl Metrics {
    /// The value recorded under `name`, if one was (`Some(None)` for a non-finite one).
    pub(crate) fn get(&self, name: &str) -> Option<&Option<f64>> {
        self.0
            .binary_search_by(|(known, _)| (**known).cmp(name))
            .ok()
            .map(|index| &self.0[index].1)
    }

    /// The names, sorted.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &MetricName> {
        self.0.iter().map(|(name, _)| name)
    }

    /// Names with their values, sorted by name.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&MetricName, &Option<f64>)> {
        self.0.iter().map(|(name, value)| (name, value))
    }

    /// As a map with owned names (what events carry).
    pub(crate) fn to_map(&self) -> BTreeMap<String, Option<f64>> {
        self.0
            .iter()
            .map(|(name, value)| (name.to_string(), *value))
            .collect()
    }

    /// Builds from interned names with their values, in any order.
    pub(crate) fn from_interned(pairs: Vec<(MetricName, Option<f64>)>) -> Metrics {
        Metrics::from_pairs(pairs)
    }

    /// Builds from pairs in any order; a name given twice keeps its last value.
    fn from_pairs(mut pairs: Vec<(MetricName, Option<f64>)>) -> Metrics {
        // A stable sort keeps the order of equal names, so the last of each comes last.
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        let mut out: Vec<(MetricName, Option<f64>)> = Vec::with_capacity(pairs.len());
        for (name, value) in pairs {
            match out.last_mut() {
                Some(last) if last.0 == name => last.1 = value,
                _ => out.push((name, value)),
            }
        }
        out.shrink_to_fit();
        Metrics(out)
    }
}

impl<S: AsRef<str>> FromIterator<(S, Option<f64>)> for Metrics {
    fn from_iter<I: IntoIterator<Item = (S, Option<f64>)>>(iter: I) -> Metrics {
        Metrics::from_pairs(
            iter.into_iter()
                .map(|(name, value)| (intern(name.as_ref()), value))
                .collect(),
        )
    }
}

impl From<BTreeMap<String, Option<f64>>> for Metrics {
    fn from(map: BTreeMap<String, Option<f64>>) -> Metrics {
        map.into_iter().collect()
    }
}

impl Serialize for Metrics {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            map.serialize_entry(&**name, value)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Metrics {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Metrics, D::Error> {
        struct MetricsVisitor;
        impl<'de> Visitor<'de> for MetricsVisitor {
            type Value = Metrics;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("an object of metric values")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Metrics, A::Error> {
                let mut pairs = Vec::with_capacity(access.size_hint().unwrap_or(1).min(64));
                while let Some(name) = access.next_key::<std::borrow::Cow<'de, str>>()? {
                    let value: Option<f64> = access.next_value()?;
                    pairs.push((intern(&name), value));
                }
                Ok(Metrics::from_pairs(pairs))
            }
        }
        deserializer.deserialize_map(MetricsVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serialises_as_an_object_sorted_by_name_and_reads_back() {
        let metrics: Metrics = [("b", Some(1.0)), ("a", None), ("b", Some(2.0))]
            .into_iter()
            .collect();
        assert_eq!(metrics.keys().count(), 2);
        assert_eq!(metrics.get("b"), Some(&Some(2.0)));
        assert_eq!(metrics.get("a"), Some(&None));
        assert_eq!(metrics.get("c"), None);
        let json = serde_json::to_string(&metrics).unwrap();
        assert_eq!(json, r#"{"a":null,"b":2.0}"#);
        let back: Metrics = serde_json::from_str(&json).unwrap();
        assert_eq!(back, metrics);
        assert!(serde_json::from_str::<Metrics>("[1]").is_err());
    }

    #[test]
    fn names_are_shared_between_records() {
        let one: Metrics = [("mean", Some(1.0))].into_iter().collect();
        let two: Metrics = serde_json::from_str(r#"{"mean":2.0}"#).unwrap();
        let (a, b) = (one.keys().next().unwrap(), two.keys().next().unwrap());
        assert!(Arc::ptr_eq(a, b));
    }
}
