//! The units' records of each planned condition as a run holds them: one slot per replicate
//! (filled when the unit loads or finishes), or, for a condition loaded whole from its marker's
//! summary, its records in columns, a unit's record made only when something needs it.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::decide::resume::{Units, WholeLoad};
use crate::store::journal::{ArtifactEntry, UnitErrorReport, UnitRecord};
use crate::store::records::ResultsFile;

/// One condition's records.
#[derive(Debug)]
pub(super) enum ConditionSlots {
    /// One slot per replicate; empty until the unit loads or finishes.
    Each(Vec<Option<Arc<UnitRecord>>>),
    /// Every unit loaded whole.
    Whole(Arc<WholeLoad>),
}

impl ConditionSlots {
    /// The slots of a condition decided `units`: loaded units filled, units to run empty.
    pub(super) fn of(units: &Units) -> ConditionSlots {
        match units {
            Units::Whole(whole) => ConditionSlots::Whole(whole.clone()),
            Units::AllRun { count, .. } => ConditionSlots::Each(vec![None; *count as usize]),
            Units::Each(units) => ConditionSlots::Each(
                units
                    .iter()
                    .map(|unit| match unit.view() {
                        crate::decide::resume::UnitView::Load(loaded) => Some(loaded.record()),
                        crate::decide::resume::UnitView::Run(_) => None,
                    })
                    .collect(),
            ),
        }
    }

    /// Puts a finished unit's record in its slot.
    pub(super) fn set(&mut self, replicate: usize, record: Arc<UnitRecord>) {
        if let ConditionSlots::Whole(whole) = self {
            // No unit of a condition loaded whole runs; should one, its slots become separate.
            *self = ConditionSlots::Each(
                whole
                    .records
                    .records()
                    .map(|record| Some(Arc::new(record)))
                    .collect(),
            );
        }
        if let ConditionSlots::Each(slots) = self {
            if slots.len() <= replicate {
                slots.resize(replicate + 1, None);
            }
            slots[replicate] = Some(record);
        }
    }

    /// Whether every unit has a record and none failed.
    pub(super) fn all_ok(&self) -> bool {
        match self {
            ConditionSlots::Whole(_) => true,
            ConditionSlots::Each(slots) => slots
                .iter()
                .all(|slot| slot.as_ref().is_some_and(|slot| slot.error.is_none())),
        }
    }

    /// Metric → value per replicate (`None` where the unit is missing, failed or has no value).
    pub(super) fn metrics(&self) -> BTreeMap<String, Vec<Option<f64>>> {
        match self {
            ConditionSlots::Whole(whole) => whole.records.metrics(),
            ConditionSlots::Each(slots) => {
                ResultsFile::from_records(slots.iter().map(Option::as_deref)).metrics
            }
        }
    }

    /// Why units failed.
    pub(super) fn errors(&self) -> Vec<UnitErrorReport> {
        match self {
            ConditionSlots::Whole(_) => Vec::new(),
            ConditionSlots::Each(slots) => slots
                .iter()
                .flatten()
                .filter_map(|slot| slot.error.clone())
                .collect(),
        }
    }

    /// Stages served from the step cache, over every unit.
    pub(super) fn cache_hits(&self) -> u32 {
        let count = |hits: &Vec<String>| hits.len() as u32;
        match self {
            ConditionSlots::Whole(whole) => whole
                .records
                .extras()
                .iter()
                .map(|extra| count(&extra.cache_hits))
                .sum(),
            ConditionSlots::Each(slots) => slots
                .iter()
                .flatten()
                .map(|record| count(&record.cache_hits))
                .sum(),
        }
    }

    /// The records of the successful units with artifacts (what consumers read), in replicate
    /// order.
    pub(super) fn with_artifacts(&self) -> Box<dyn Iterator<Item = Arc<UnitRecord>> + '_> {
        match self {
            ConditionSlots::Whole(whole) => Box::new(
                whole
                    .records
                    .records_with_extras()
                    .filter(|record| !record.artifacts.is_empty())
                    .map(Arc::new),
            ),
            ConditionSlots::Each(slots) => Box::new(
                slots
                    .iter()
                    .flatten()
                    .filter(|record| record.error.is_none() && !record.artifacts.is_empty())
                    .cloned(),
            ),
        }
    }

    /// Every record there is, in replicate order (made from the columns for a condition loaded
    /// whole).
    pub(super) fn records(&self) -> Box<dyn Iterator<Item = Arc<UnitRecord>> + '_> {
        match self {
            ConditionSlots::Whole(whole) => Box::new(whole.records.records().map(Arc::new)),
            ConditionSlots::Each(slots) => Box::new(slots.iter().flatten().cloned()),
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
            ConditionSlots::Each(slots) => {
                Box::new(slots.iter().flatten().flat_map(|record| &record.artifacts))
            }
        }
    }

    /// Every unit's record when every unit has one, in replicate order.
    pub(super) fn complete(&self) -> Option<Vec<Arc<UnitRecord>>> {
        match self {
            ConditionSlots::Whole(_) => Some(self.records().collect()),
            ConditionSlots::Each(slots) => slots.iter().cloned().collect(),
        }
    }
}
