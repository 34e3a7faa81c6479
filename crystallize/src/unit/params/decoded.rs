//! Params already deserialised, kept with the condition's params so that the units of a condition
//! deserialise a list or a struct param once, not once per unit: each unit gets a clone.

use std::any::{Any, TypeId};
use std::sync::{Arc, RwLock};

/// Deserialised values by param name and type (a condition has a handful of params: a list
/// scanned in order is faster than a map).
#[derive(Default)]
pub(crate) struct Decoded {
    values: RwLock<Vec<Entry>>,
}

/// One deserialised param.
struct Entry {
    name: String,
    type_id: TypeId,
    value: Arc<dyn Any + Send + Sync>,
}

impl Decoded {
    /// A clone of `name` deserialised as `T`, when a unit did it before.
    pub(crate) fn get<T: Clone + Send + Sync + 'static>(&self, name: &str) -> Option<T> {
        let values = self.values.read().unwrap_or_else(|e| e.into_inner());
        values
            .iter()
            .find(|entry| entry.type_id == TypeId::of::<T>() && entry.name == name)
            .and_then(|entry| entry.value.downcast_ref::<T>())
            .cloned()
    }

    /// Keeps `value`, `name` deserialised as `T` (the first one kept wins: every unit of the
    /// condition deserialises the same JSON to the same value).
    pub(crate) fn keep<T: Send + Sync + 'static>(&self, name: &str, value: T) {
        let mut values = self.values.write().unwrap_or_else(|e| e.into_inner());
        if values
            .iter()
            .any(|entry| entry.type_id == TypeId::of::<T>() && entry.name == name)
        {
            return;
        }
        values.push(Entry {
            name: name.to_string(),
            type_id: TypeId::of::<T>(),
            value: Arc::new(value),
        });
    }

    /// Forgets what was deserialised from `name` (its value changed).
    pub(crate) fn forget(&mut self, name: &str) {
        self.values
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|entry| entry.name != name);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_value_is_found_by_name_and_type_only() {
        let mut decoded = Decoded::default();
        decoded.keep("layers", vec![64u32, 32]);
        assert_eq!(decoded.get::<Vec<u32>>("layers"), Some(vec![64, 32]));
        assert_eq!(decoded.get::<Vec<u64>>("layers"), None);
        assert_eq!(decoded.get::<Vec<u32>>("widths"), None);
        decoded.keep("layers", vec![1u32]);
        assert_eq!(decoded.get::<Vec<u32>>("layers"), Some(vec![64, 32]));
        decoded.forget("layers");
        assert_eq!(decoded.get::<Vec<u32>>("layers"), None);
    }
}
