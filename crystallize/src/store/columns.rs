//! The unit records of one condition held in columns: one vector of values per metric (names
//! interned), the versions the units were computed in as runs, and the artifacts and step-cache
//! use of only the units that have any. This is how a condition loaded whole from its marker's
//! summary is held: its size does not grow with units beyond the metric values themselves, and
//! a unit's [`UnitRecord`] is made only when something asks for that unit.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::journal::UnitRecord;
use super::marker::{Summary, UnitExtras};
use super::metrics::{MetricName, Metrics, intern};
use super::records::ResultsFile;
use crate::key::signature::{CodeHash, ConditionRecord};

/// Replicates `0..count` of one condition, every one successful.
#[derive(Clone, Debug)]
pub(crate) struct ConditionRecords {
    condition: Arc<str>,
    count: u32,
    /// The record the unit keys come from (`unit_key(replicate)`), shared with the plan.
    record: Arc<ConditionRecord>,
    names: Vec<MetricName>,
    /// One per name, `count` values each.
    columns: Vec<Vec<Option<f64>>>,
    /// `[units, version]` runs in replicate order, covering at least `count` units.
    computed_in: Vec<[u32; 2]>,
    /// The units below `count` with artifacts or step-cache use, by ascending replicate (shared
    /// with the views of consumers, which read their artifacts).
    extras: Arc<Vec<UnitExtras>>,
}

impl ConditionRecords {
    /// Replicates `0..count` of `condition` from its marker's `summary` and its `results`, with
    /// the unit keys of `record`; `None` when they do not fit together.
    pub(crate) fn new(
        condition: &str,
        count: u32,
        summary: Summary,
        results: ResultsFile,
        record: &Arc<ConditionRecord>,
    ) -> Option<ConditionRecords> {
        let replicates = summary.replicates as usize;
        if count > summary.replicates
            || results
                .metrics
                .values()
                .any(|values| values.len() != replicates)
            || summary
                .computed_in
                .iter()
                .map(|[units, _]| u64::from(*units))
                .sum::<u64>()
                != u64::from(summary.replicates)
            || summary
                .units
                .windows(2)
                .any(|pair| pair[0].replicate >= pair[1].replicate)
        {
            return None;
        }
        let mut names = Vec::with_capacity(results.metrics.len());
        let mut columns = Vec::with_capacity(results.metrics.len());
        for (name, mut values) in results.metrics {
            values.truncate(count as usize);
            values.shrink_to_fit();
            names.push(intern(&name));
            columns.push(values);
        }
        let mut extras = summary.units;
        extras.retain(|extra| extra.replicate < count);
        // Held as long as consumers may read the artifacts: without the room parsing left.
        extras.shrink_to_fit();
        for extra in &mut extras {
            extra.artifacts.shrink_to_fit();
            extra.cache_hits.shrink_to_fit();
            extra.cache_entries.shrink_to_fit();
        }
        Some(ConditionRecords {
            condition: Arc::from(condition),
            count,
            record: record.clone(),
            names,
            columns,
            computed_in: summary.computed_in,
            extras: Arc::new(extras),
        })
    }

    /// How many units there are (replicates `0..len`).
    pub(crate) fn len(&self) -> u32 {
        self.count
    }

    /// The version unit `replicate` was computed in.
    pub(crate) fn computed_in(&self, replicate: u32) -> u32 {
        let mut first = 0u64;
        for [units, version] in &self.computed_in {
            first += u64::from(*units);
            if u64::from(replicate) < first {
                return *version;
            }
        }
        self.computed_in.last().map_or(0, |[_, version]| *version)
    }

    /// The version each unit was computed in, in replicate order.
    pub(crate) fn computed_in_each(&self) -> impl Iterator<Item = u32> + '_ {
        self.computed_in
            .iter()
            .flat_map(|[units, version]| std::iter::repeat_n(*version, *units as usize))
            .take(self.count as usize)
    }

    /// Unit `replicate`'s metrics, as an event carries them.
    pub(crate) fn metrics_of(&self, replicate: u32) -> BTreeMap<String, Option<f64>> {
        self.names
            .iter()
            .zip(&self.columns)
            .map(|(name, column)| {
                (
                    name.to_string(),
                    column.get(replicate as usize).copied().flatten(),
                )
            })
            .collect()
    }

    /// Metric → value per replicate, as `results.json` holds them.
    pub(crate) fn metrics(&self) -> BTreeMap<String, Vec<Option<f64>>> {
        self.names
            .iter()
            .zip(&self.columns)
            .map(|(name, column)| (name.to_string(), column.clone()))
            .collect()
    }

    /// The units with artifacts or step-cache use.
    pub(crate) fn extras(&self) -> &[UnitExtras] {
        &self.extras
    }

    /// The same, to put fresh stamps in (an artifact found unchanged by its content).
    pub(crate) fn extras_mut(&mut self) -> &mut [UnitExtras] {
        Arc::make_mut(&mut self.extras).as_mut_slice()
    }

    /// The condition and its units with extras, shared (for the views of consumers).
    pub(crate) fn shared_extras(&self) -> (&Arc<str>, &Arc<Vec<UnitExtras>>) {
        (&self.condition, &self.extras)
    }

    /// Unit `replicate`'s record (below [`ConditionRecords::len`]; beyond, a record without
    /// metrics).
    pub(crate) fn record(&self, replicate: u32) -> UnitRecord {
        let extra = self
            .extras
            .binary_search_by_key(&replicate, |extra| extra.replicate)
            .ok()
            .map(|index| &self.extras[index]);
        self.make(replicate, self.computed_in(replicate), extra)
    }

    fn make(&self, replicate: u32, computed_in: u32, extra: Option<&UnitExtras>) -> UnitRecord {
        let (artifacts, cache_hits, cache_entries) = match extra {
            Some(extra) => (
                extra.artifacts.clone(),
                extra.cache_hits.clone(),
                extra.cache_entries.clone(),
            ),
            None => Default::default(),
        };
        UnitRecord {
            condition: self.condition.to_string(),
            replicate,
            key: self.unit_key(replicate),
            metrics: Metrics::from_interned(
                self.names
                    .iter()
                    .zip(&self.columns)
                    .map(|(name, column)| {
                        (
                            name.clone(),
                            column.get(replicate as usize).copied().flatten(),
                        )
                    })
                    .collect(),
            ),
            artifacts,
            error: None,
            computed_in,
            cache_hits,
            cache_entries,
        }
    }

    /// The record the unit keys come from.
    pub(crate) fn condition_record(&self) -> &Arc<ConditionRecord> {
        &self.record
    }

    /// Unit `replicate`'s key.
    pub(crate) fn unit_key(&self, replicate: u32) -> CodeHash {
        self.record.unit_key(replicate)
    }

    /// Every unit's record in replicate order, each made as it is reached.
    pub(crate) fn records(&self) -> impl Iterator<Item = UnitRecord> + '_ {
        let mut extras = self.extras.iter().peekable();
        (0..self.count).map(move |replicate| {
            let extra = extras.next_if(|extra| extra.replicate == replicate);
            self.make(replicate, self.computed_in(replicate), extra)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::marker::SizeStamp;
    use crate::store::marker::tests::{record, results};

    fn condition_record() -> ConditionRecord {
        serde_json::from_value(serde_json::json!({
            "stages": [], "params": {}, "seed": 7, "seed_scheme": 1, "key_scheme": 2,
            "upstream": [], "key": CodeHash::of(b"condition").hex(),
        }))
        .unwrap()
    }

    #[test]
    fn the_columns_give_back_the_records_they_were_made_of() {
        let keys = Arc::new(condition_record());
        let mut records = vec![record(0, 0, true), record(1, 2, false), record(2, 2, true)];
        for unit in &mut records {
            unit.key = keys.unit_key(unit.replicate);
        }
        let results = results(&records);
        let bytes = serde_json::to_vec(&results).unwrap();
        let summary = Summary::of(
            records.iter(),
            |replicate| keys.unit_key(replicate),
            &bytes,
            1,
            &[],
            SizeStamp::default(),
        )
        .unwrap();
        let all =
            ConditionRecords::new("baseline", 3, summary.clone(), results.clone(), &keys).unwrap();
        assert_eq!(all.records().collect::<Vec<_>>(), records);
        assert_eq!(all.record(1), records[1]);
        assert_eq!(all.computed_in(0), 0);
        assert_eq!(all.computed_in(2), 2);
        assert_eq!(all.computed_in_each().collect::<Vec<_>>(), [0, 2, 2]);
        assert_eq!(all.metrics(), results.metrics);
        assert_eq!(all.metrics_of(2), records[2].metrics.to_map());
        let with_extras: Vec<u32> = all.extras().iter().map(|extra| extra.replicate).collect();
        assert_eq!(with_extras, [0, 2]);
        assert_eq!(&**all.shared_extras().0, "baseline");
        let fewer =
            ConditionRecords::new("baseline", 2, summary.clone(), results.clone(), &keys).unwrap();
        assert_eq!(fewer.records().collect::<Vec<_>>(), records[..2]);
        assert_eq!(fewer.extras().len(), 1);
        assert!(ConditionRecords::new("baseline", 4, summary.clone(), results, &keys).is_none());
        let short = ResultsFile {
            metrics: BTreeMap::from([("mean".to_string(), vec![Some(0.0)])]),
        };
        assert!(ConditionRecords::new("baseline", 1, summary, short, &keys).is_none());
    }
}
