//! `--replicates N` and `--replicates EXPERIMENT=N` (repeatable): replicates per condition for
//! every experiment, or for one (which wins over a bare `N`).

use std::collections::BTreeMap;

use crate::define::registration::{MAX_REPLICATES, Registered};

/// One `--replicates` value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Replicates {
    /// `N`: every experiment.
    All(u32),
    /// `EXPERIMENT=N`: that experiment only.
    Of(String, u32),
}

/// Parses `N` or `EXPERIMENT=N`, N a whole number from 1 to [`MAX_REPLICATES`].
pub(crate) fn parse(text: &str) -> Result<Replicates, String> {
    match text.split_once('=') {
        Some((name, count)) => {
            let name = name.trim();
            if name.is_empty() {
                return Err(format!(
                    "`{text}` names no experiment; use EXPERIMENT=N, or N for every experiment"
                ));
            }
            Ok(Replicates::Of(name.to_string(), count_of(count)?))
        }
        None => Ok(Replicates::All(count_of(text)?)),
    }
}

/// A whole number of replicates from 1 to [`MAX_REPLICATES`].
fn count_of(text: &str) -> Result<u32, String> {
    let digits = text.trim();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("`{text}` is not a whole number of replicates"));
    }
    // Too many digits for any integer type is as much beyond the limit as `1000001`.
    match digits.parse::<u32>() {
        Ok(count) if (1..=MAX_REPLICATES).contains(&count) => Ok(count),
        _ => Err(format!(
            "use 1 to {MAX_REPLICATES} replicates per condition (crystallize's limit, MAX_REPLICATES)"
        )),
    }
}

/// The bare `--replicates N` (the last one given), if any.
pub(crate) fn for_all(values: &[Replicates]) -> Option<u32> {
    values.iter().rev().find_map(|value| match value {
        Replicates::All(count) => Some(*count),
        Replicates::Of(..) => None,
    })
}

/// The `--replicates EXPERIMENT=N` values, by experiment (the last one given for each).
pub(crate) fn per_experiment(values: &[Replicates]) -> BTreeMap<String, u32> {
    values
        .iter()
        .filter_map(|value| match value {
            Replicates::Of(name, count) => Some((name.clone(), *count)),
            Replicates::All(_) => None,
        })
        .collect()
}

/// Every experiment named by `--replicates EXPERIMENT=N` must be registered.
pub(crate) fn check_names(registered: &[Registered], values: &[Replicates]) -> Result<(), String> {
    for name in per_experiment(values).keys() {
        if !registered.iter().any(|r| r.name() == name) {
            let known: Vec<&str> = registered.iter().map(Registered::name).collect();
            return Err(format!(
                "--replicates {name}=..: unknown experiment `{name}`; known experiments: {}",
                known.join(", ")
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_and_per_experiment_values_parse() {
        assert_eq!(parse("20"), Ok(Replicates::All(20)));
        assert_eq!(
            parse("evaluation=8"),
            Ok(Replicates::Of("evaluation".into(), 8))
        );
        assert!(parse("=8").unwrap_err().contains("names no experiment"));
        assert!(parse("evaluation=0").unwrap_err().contains("use 1 to"));
        assert!(
            parse("evaluation=x")
                .unwrap_err()
                .contains("not a whole number")
        );
        assert!(parse("1000001").unwrap_err().contains("use 1 to"));
    }

    #[test]
    fn the_last_value_wins_and_per_experiment_values_stay_apart() {
        let values = [
            Replicates::All(3),
            Replicates::Of("a".into(), 5),
            Replicates::All(4),
            Replicates::Of("a".into(), 6),
            Replicates::Of("b".into(), 7),
        ];
        assert_eq!(for_all(&values), Some(4));
        assert_eq!(
            per_experiment(&values),
            BTreeMap::from([("a".to_string(), 6), ("b".to_string(), 7)])
        );
        assert_eq!(for_all(&values[1..2]), None);
    }
}
