//! The units' records of each planned condition as a run holds them: for a condition loaded
//! whole from its marker's summary, its records in columns; otherwise one slot per replicate,
//! filled when the unit loads or finishes. A unit that succeeded with the unit key of its
//! condition's record, with no artifact and no step-cache use, is held in columns too (its
//! metrics, and the version it was computed in); only the others keep their whole record. A
//! unit's record is made again when something asks for it.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::decide::resume::{UnitView, Units, WholeLoad};
use crate::key::signature::ConditionRecord;
use crate::store::journal::{ArtifactEntry, UnitErrorReport, UnitRecord};
use crate::store::metrics::{MetricName, Metrics};
use crate::unit::upstream::ViewUnit;

/// One condition's records.
#[derive(Debug)]
pub(super) enum ConditionSlots {
    /// One slot per replicate.
    Units(Box<UnitSlots>),
    /// Every unit loaded whole.
    Whole(Arc<WholeLoad>),
}

/// A metric of a unit held in columns: not recorded, or recorded (`None` when not finite).
type Cell = Option<Option<f64>>;

/// One slot per replicate of a condition, held in columns where a unit allows it.
#[derive(Debug)]
pub(super) struct UnitSlots {
    condition: String,
    /// The record the unit keys come from, shared with the plan.
    record: Arc<ConditionRecord>,
    /// Whether each replicate's slot is filled.
    present: Vec<bool>,
    /// The version each unit in columns was computed in.
    computed_in: Vec<u32>,
    names: Vec<MetricName>,
    /// One per name, a cell per replicate.
    columns: Vec<Vec<Cell>>,
    /// The units that keep their whole record.
    kept: BTreeMap<u32, Arc<UnitRecord>>,
}

impl UnitSlots {
    fn new(condition: &str, record: &Arc<ConditionRecord>, count: usize) -> UnitSlots {
        UnitSlots {
            condition: condition.to_string(),
            record: record.clone(),
            present: vec![false; count],
            computed_in: vec![0; count],
            names: Vec::new(),
            columns: Vec::new(),
            kept: BTreeMap::new(),
        }
    }

    fn set(&mut self, replicate: usize, record: Arc<UnitRecord>) {
        if self.present.len() <= replicate {
            let count = replicate + 1;
            self.present.resize(count, false);
            self.computed_in.resize(count, 0);
            for column in &mut self.columns {
                column.resize(count, None);
            }
        }
        self.present[replicate] = true;
        for column in &mut self.columns {
            column[replicate] = None;
        }
        let plain = record.error.is_none()
            && record.artifacts.is_empty()
            && record.cache_hits.is_empty()
            && record.cache_entries.is_empty()
            && record.replicate as usize == replicate
            && record.condition == self.condition
            && record.key == self.record.unit_key(record.replicate);
        if !plain {
            self.kept.insert(replicate as u32, record);
            return;
        }
        self.kept.remove(&(replicate as u32));
        self.computed_in[replicate] = record.computed_in;
        for (name, value) in record.metrics.iter() {
            let column = match self.names.iter().position(|known| known == name) {
                Some(column) => column,
                None => {
                    self.names.push(name.clone());
                    self.columns.push(vec![None; self.present.len()]);
                    self.columns.len() - 1
                }
            };
            self.columns[column][replicate] = Some(*value);
        }
    }

    fn record(&self, replicate: usize) -> Option<Arc<UnitRecord>> {
        if !*self.present.get(replicate)? {
            return None;
        }
        if let Some(kept) = self.kept.get(&(replicate as u32)) {
            return Some(kept.clone());
        }
        let metrics: Vec<(MetricName, Option<f64>)> = self
            .names
            .iter()
            .zip(&self.columns)
            .filter_map(|(name, column)| column[replicate].map(|value| (name.clone(), value)))
            .collect();
        Some(Arc::new(UnitRecord {
            condition: self.condition.clone(),
            replicate: replicate as u32,
            key: self.record.unit_key(replicate as u32),
            metrics: Metrics::from_interned(metrics),
            artifacts: Vec::new(),
            error: None,
            computed_in: self.computed_in[replicate],
            cache_hits: Vec::new(),
            cache_entries: Vec::new(),
        }))
    }

    fn metrics(&self) -> BTreeMap<String, Vec<Option<f64>>> {
        let mut names: Vec<&str> = self.names.iter().map(|name| &**name).collect();
        for record in self.kept.values() {
            names.extend(record.metrics.keys().map(|name| &**name));
        }
        names.sort_unstable();
        names.dedup();
        names
            .into_iter()
            .map(|name| {
                let column = self.names.iter().position(|known| &**known == name);
                let values = (0..self.present.len())
                    .map(|replicate| match self.kept.get(&(replicate as u32)) {
                        Some(record) if record.error.is_none() => {
                            record.metrics.get(name).copied().flatten()
                        }
                        Some(_) => None,
                        None => column
                            .and_then(|column| self.columns[column][replicate])
                            .flatten(),
                    })
                    .collect();
                (name.to_string(), values)
            })
            .collect()
    }
}

impl ConditionSlots {
    /// The slots of condition `name` (of record `record`) decided `units`: loaded units filled,
    /// units to run empty.
    pub(super) fn of(units: &Units, name: &str, record: &Arc<ConditionRecord>) -> ConditionSlots {
        if let Units::Whole(whole) = units {
            return ConditionSlots::Whole(whole.clone());
        }
        let mut slots = Box::new(UnitSlots::new(name, record, units.len()));
        if let Units::Each(_) = units {
            for (replicate, unit) in units.iter().enumerate() {
                if let UnitView::Load(loaded) = unit {
                    slots.set(replicate, loaded.record());
                }
            }
        }
        ConditionSlots::Units(slots)
    }

    /// Puts a finished unit's record in its slot.
    pub(super) fn set(&mut self, replicate: usize, record: Arc<UnitRecord>) {
        if let ConditionSlots::Whole(whole) = self {
            // No unit of a condition loaded whole runs; should one, its slots become separate.
            let mut slots = Box::new(UnitSlots::new(
                &record.condition,
                whole.records.condition_record(),
                whole.records.len() as usize,
            ));
            for unit in whole.records.records() {
                let at = unit.replicate as usize;
                slots.set(at, Arc::new(unit));
            }
            *self = ConditionSlots::Units(slots);
        }
        if let ConditionSlots::Units(slots) = self {
            slots.set(replicate, record);
        }
    }

    /// Whether every unit has a record and none failed.
    pub(super) fn all_ok(&self) -> bool {
        match self {
            ConditionSlots::Whole(_) => true,
            ConditionSlots::Units(slots) => {
                slots.present.iter().all(|present| *present)
                    && slots.kept.values().all(|record| record.error.is_none())
            }
        }
    }

    /// Metric → value per replicate (`None` where the unit is missing, failed or has no value).
    pub(super) fn metrics(&self) -> BTreeMap<String, Vec<Option<f64>>> {
        match self {
            ConditionSlots::Whole(whole) => whole.records.metrics(),
            ConditionSlots::Units(slots) => slots.metrics(),
        }
    }

    /// Why units failed.
    pub(super) fn errors(&self) -> Vec<UnitErrorReport> {
        match self {
            ConditionSlots::Whole(_) => Vec::new(),
            ConditionSlots::Units(slots) => slots
                .kept
                .values()
                .filter_map(|record| record.error.clone())
                .collect(),
        }
    }

    /// Stages served from the step cache, over every unit.
    pub(super) fn cache_hits(&self) -> u32 {
        match self {
            ConditionSlots::Whole(whole) => whole
                .records
                .extras()
                .iter()
                .map(|extra| extra.cache_hits.len() as u32)
                .sum(),
            ConditionSlots::Units(slots) => slots
                .kept
                .values()
                .map(|record| record.cache_hits.len() as u32)
                .sum(),
        }
    }

    /// The units a consumer reads (successful, with artifacts), shared with these slots for
    /// its producer's view.
    pub(super) fn view_units(&self) -> Box<dyn Iterator<Item = ViewUnit> + '_> {
        match self {
            ConditionSlots::Whole(whole) => {
                let (condition, extras) = whole.records.shared_extras();
                Box::new((0..extras.len()).map(|index| ViewUnit::Whole {
                    condition: Arc::clone(condition),
                    extras: Arc::clone(extras),
                    index,
                }))
            }
            ConditionSlots::Units(slots) => Box::new(
                slots
                    .kept
                    .values()
                    .filter(|record| record.error.is_none() && !record.artifacts.is_empty())
                    .map(|record| ViewUnit::Record(Arc::clone(record))),
            ),
        }
    }

    /// The artifacts of the successful units with artifacts, by replicate, in replicate order
    /// (what [`ConditionSlots::view_units`] shares).
    pub(super) fn artifact_lists(&self) -> Box<dyn Iterator<Item = (u32, &[ArtifactEntry])> + '_> {
        match self {
            ConditionSlots::Whole(whole) => Box::new(
                whole
                    .records
                    .extras()
                    .iter()
                    .filter(|extra| !extra.artifacts.is_empty())
                    .map(|extra| (extra.replicate, &extra.artifacts[..])),
            ),
            ConditionSlots::Units(slots) => Box::new(
                slots
                    .kept
                    .values()
                    .filter(|record| record.error.is_none() && !record.artifacts.is_empty())
                    .map(|record| (record.replicate, &record.artifacts[..])),
            ),
        }
    }

    /// The artifacts of every record, failed units' too (what the manifest lists).
    pub(super) fn artifacts(&self) -> Box<dyn Iterator<Item = &ArtifactEntry> + '_> {
        match self {
            ConditionSlots::Whole(whole) => Box::new(
                whole
                    .records
                    .extras()
                    .iter()
                    .flat_map(|extra| &extra.artifacts),
            ),
            ConditionSlots::Units(slots) => {
                Box::new(slots.kept.values().flat_map(|record| &record.artifacts))
            }
        }
    }

    /// Every unit's record in replicate order, each made as it is reached, when every unit
    /// has one.
    pub(super) fn complete(&self) -> Option<Box<dyn Iterator<Item = Arc<UnitRecord>> + '_>> {
        match self {
            ConditionSlots::Whole(whole) => Some(Box::new(whole.records.records().map(Arc::new))),
            ConditionSlots::Units(slots) => {
                if !slots.present.iter().all(|present| *present) {
                    return None;
                }
                Some(Box::new(
                    (0..slots.present.len()).filter_map(|replicate| slots.record(replicate)),
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::key::signature::CodeHash;
    use crate::store::records::ResultsFile;

    fn condition_record() -> ConditionRecord {
        serde_json::from_value(serde_json::json!({
            "stages": [], "params": {}, "seed": 7, "seed_scheme": 1, "key_scheme": 2,
            "key": CodeHash::of(b"condition").hex(),
        }))
        .unwrap()
    }

    fn unit(keys: &ConditionRecord, replicate: u32, metrics: &[(&str, Option<f64>)]) -> UnitRecord {
        UnitRecord {
            condition: "baseline".into(),
            replicate,
            key: keys.unit_key(replicate),
            metrics: metrics
                .iter()
                .map(|(name, value)| (*name, *value))
                .collect(),
            artifacts: vec![],
            error: None,
            computed_in: 3,
            cache_hits: vec![],
            cache_entries: vec![],
        }
    }

    #[test]
    fn columns_give_back_every_record_and_the_results_of_the_records() {
        let keys = Arc::new(condition_record());
        let mut failed = unit(&keys, 2, &[("late", Some(9.0))]);
        failed.error = Some(UnitErrorReport {
            replicate: 2,
            stage: "s".into(),
            message: "boom".into(),
            panicked: false,
        });
        let mut foreign = unit(&keys, 4, &[("mean", Some(4.0))]);
        foreign.key = CodeHash::of(b"another");
        let records = vec![
            unit(&keys, 0, &[("mean", Some(0.5)), ("nan", None)]),
            unit(&keys, 1, &[("mean", Some(1.5))]),
            failed,
            unit(&keys, 3, &[]),
            foreign,
        ];
        let mut slots = ConditionSlots::Units(Box::new(UnitSlots::new("baseline", &keys, 6)));
        for record in &records {
            slots.set(record.replicate as usize, Arc::new(record.clone()));
        }
        assert!(slots.complete().is_none(), "replicate 5 has not finished");
        assert!(!slots.all_ok());
        let mut expected: Vec<Option<&UnitRecord>> = records.iter().map(Some).collect();
        expected.push(None);
        assert_eq!(
            slots.metrics(),
            ResultsFile::from_records(expected.iter().copied()).metrics
        );
        assert_eq!(slots.errors().len(), 1);
        slots.set(5, Arc::new(unit(&keys, 5, &[("mean", Some(5.5))])));
        let made: Vec<UnitRecord> = slots
            .complete()
            .unwrap()
            .map(|record| (*record).clone())
            .collect();
        assert_eq!(made[..5], records[..]);
        assert_eq!(made[5], unit(&keys, 5, &[("mean", Some(5.5))]));
        let ConditionSlots::Units(units) = &slots else {
            panic!("slots");
        };
        assert_eq!(
            units.kept.len(),
            2,
            "the failed and the foreign unit keep their record"
        );
    }
}
