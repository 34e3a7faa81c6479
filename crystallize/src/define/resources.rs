//! What an experiment declares about where its units run: the executor it prefers
//! (`#[experiment(executor = "..")]`) and the resources a cluster task needs
//! (`#[experiment(resources(cpus = 4, mem = "8G", time = "01:00:00", gpus = 1))]`), with the
//! checks of a memory size and a time limit shared by the macros' rules and `crystallize.toml`.
//!
//! None of this is part of any key: it changes where and how a unit runs, not what it computes.

use serde::Serialize;

/// Where an experiment's units run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ExecutorKind {
    /// Threads of the running process (the built-in default).
    #[default]
    Threads,
    /// A child process of the same binary per unit.
    Process,
    /// Tasks of Slurm job arrays.
    Slurm,
}

impl ExecutorKind {
    /// Every kind, in the order messages list them.
    pub const ALL: [ExecutorKind; 3] = [
        ExecutorKind::Threads,
        ExecutorKind::Process,
        ExecutorKind::Slurm,
    ];

    /// `threads`, `process` or `slurm`.
    pub fn as_str(self) -> &'static str {
        match self {
            ExecutorKind::Threads => "threads",
            ExecutorKind::Process => "process",
            ExecutorKind::Slurm => "slurm",
        }
    }

    /// The kind named `name`.
    pub fn parse(name: &str) -> Option<ExecutorKind> {
        ExecutorKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == name)
    }
}

/// The resources one task of the experiment needs on a cluster; `None` leaves the choice to
/// a lower-precedence setting (see `crystallize.toml`) or to the scheduler.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Resources {
    /// CPUs per task (`sbatch --cpus-per-task`).
    pub cpus: Option<u32>,
    /// Memory per task, a positive integer with a unit `K`, `M`, `G` or `T` (`sbatch --mem`).
    pub mem: Option<&'static str>,
    /// Time limit, as Slurm writes it (`sbatch --time`).
    pub time: Option<&'static str>,
    /// GPUs per task (`sbatch --gpus-per-task`).
    pub gpus: Option<u32>,
}

impl Resources {
    /// Whether nothing is set.
    pub fn is_empty(&self) -> bool {
        *self == Resources::default()
    }
}

/// What a memory size looks like, for messages.
pub(crate) const MEM_FORMAT: &str =
    "a positive integer with a unit K, M, G or T, e.g. \"512M\", \"8G\" or \"1T\"";

/// What a time limit looks like, for messages.
pub(crate) const TIME_FORMAT: &str = "a Slurm time limit: \"MM\", \"MM:SS\", \"HH:MM:SS\", \
     \"D-HH\", \"D-HH:MM\" or \"D-HH:MM:SS\", e.g. \"01:00:00\" or \"2-00:00:00\"";

/// Checks a memory size: a positive integer followed by one of `K`, `M`, `G`, `T`.
pub(crate) fn check_mem(text: &str) -> Result<(), String> {
    let bad = || format!("`{text}` is not a memory size: use {MEM_FORMAT}");
    let Some(number) = text.strip_suffix(['K', 'M', 'G', 'T']) else {
        return Err(bad());
    };
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    match number.parse::<u64>() {
        Ok(0) => Err(format!("`{text}` asks for no memory: use {MEM_FORMAT}")),
        Ok(_) => Ok(()),
        Err(_) => Err(format!("`{text}` is too large a memory size")),
    }
}

/// Checks a time limit in one of the forms `sbatch --time` accepts: `MM`, `MM:SS`,
/// `HH:MM:SS`, `D-HH`, `D-HH:MM`, `D-HH:MM:SS`. Fields after the first are at most 59 (hours
/// after days at most 23); the limit is longer than zero.
pub(crate) fn check_time(text: &str) -> Result<(), String> {
    let bad = |why: &str| format!("`{text}` is not a time limit{why}: use {TIME_FORMAT}");
    let number = |field: &str| -> Option<u64> {
        (!field.is_empty() && field.len() <= 9 && field.bytes().all(|b| b.is_ascii_digit()))
            .then(|| field.parse().ok())
            .flatten()
    };
    let (days, clock) = match text.split_once('-') {
        Some((days, clock)) => (Some(days), clock),
        None => (None, text),
    };
    let fields: Vec<&str> = clock.split(':').collect();
    let values: Vec<u64> = fields
        .iter()
        .map(|field| number(field))
        .collect::<Option<_>>()
        .ok_or_else(|| bad(""))?;
    let days = match days {
        Some(days) => Some(number(days).ok_or_else(|| bad(""))?),
        None => None,
    };
    // The largest each field may be: the first is unbounded without days.
    let limits: &[u64] = match (days.is_some(), values.len()) {
        (false, 1) => &[u64::MAX],
        (false, 2) => &[u64::MAX, 59],
        (false, 3) => &[u64::MAX, 59, 59],
        (true, 1) => &[23],
        (true, 2) => &[23, 59],
        (true, 3) => &[23, 59, 59],
        _ => return Err(bad("")),
    };
    if let Some(field) = values.iter().zip(limits).position(|(v, most)| v > most) {
        let unit = match (days.is_some(), values.len(), field) {
            (true, _, 0) => "hours",
            (_, 2, 1) | (_, 3, 2) => "seconds",
            _ => "minutes",
        };
        return Err(bad(&format!(" ({} {unit} is out of range)", values[field])));
    }
    if days.unwrap_or(0) == 0 && values.iter().all(|&v| v == 0) {
        return Err(bad(" (it is zero)"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_sizes_need_a_positive_number_and_a_unit() {
        for good in ["512M", "8G", "1T", "100K", "4096M"] {
            assert_eq!(check_mem(good), Ok(()), "{good}");
        }
        for bad in ["", "8", "G", "8GB", "8g", "-1G", "0G", "1.5G", " 8G", "8 G"] {
            assert!(check_mem(bad).is_err(), "{bad:?}");
        }
        assert!(check_mem("0M").unwrap_err().contains("no memory"));
        assert!(
            check_mem("99999999999999999999G")
                .unwrap_err()
                .contains("too large")
        );
    }

    #[test]
    fn time_limits_take_the_forms_slurm_accepts() {
        for good in [
            "30",
            "90",
            "30:00",
            "01:00:00",
            "100:00:00",
            "2-12",
            "1-00:30",
            "2-00:00:00",
            "0-00:00:01",
        ] {
            assert_eq!(check_time(good), Ok(()), "{good}");
        }
        for bad in [
            "", "1h", "1:2:3:4", "-1", "1-", "-01:00", "1-2-3", "a:00", "01::00", " 30", "1.5",
        ] {
            assert!(check_time(bad).is_err(), "{bad:?}");
        }
        assert!(check_time("10:60").unwrap_err().contains("60 seconds"));
        assert!(check_time("1:60:00").unwrap_err().contains("60 minutes"));
        assert!(check_time("1-24").unwrap_err().contains("24 hours"));
        assert!(check_time("0").unwrap_err().contains("zero"));
        assert!(check_time("0-00:00").unwrap_err().contains("zero"));
    }

    #[test]
    fn executor_kinds_round_trip_through_their_names() {
        for kind in ExecutorKind::ALL {
            assert_eq!(ExecutorKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(ExecutorKind::parse("thread"), None);
    }
}
