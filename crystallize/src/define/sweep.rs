//! Sweeps and grids: treatments generated from lists of param values.
//!
//! `.sweep("lr", [0.1, 0.01])` makes one treatment per value, named `lr=0.1` and `lr=0.01`;
//! `.grid(params! { "lr": [0.1, 0.01], "depth": [2, 4] })` makes one per combination, named
//! `depth=2,lr=0.1`, `depth=2,lr=0.01`, `depth=4,lr=0.1`, `depth=4,lr=0.01` (params by name,
//! the first varying slowest; values in the order given). A value is written as JSON writes it
//! (`0.01`, `2`, `2.0`, `true`), a string as itself, so a name is stable across runs and
//! readable.

use serde_json::Value;

use crate::unit::params::Params;

/// One generated treatment: its name and the params it sets.
#[derive(Debug, PartialEq)]
pub(crate) struct Generated {
    /// The treatment name, `param=value[,param=value..]`.
    pub(crate) name: String,
    /// The params it sets.
    pub(crate) params: Params,
}

/// The treatments of a sweep of `param` over `values` (already JSON), or the problem with them.
pub(crate) fn sweep(
    param: &str,
    values: Result<Vec<Value>, String>,
) -> Result<Vec<Generated>, String> {
    let what = format!("sweep `{param}`");
    let values = values.map_err(|problem| format!("{what}: {problem}"))?;
    let axis = axis(&what, param, &values)?;
    Ok(axis
        .into_iter()
        .map(|(label, value)| Generated {
            name: label,
            params: Params::new().with(param, value),
        })
        .collect())
}

/// The treatments of a grid over `axes` (each param's value must be a JSON array), or the
/// problems with them.
pub(crate) fn grid(axes: &Params) -> Result<Vec<Generated>, Vec<String>> {
    let mut problems: Vec<String> = axes
        .problems()
        .iter()
        .map(|problem| format!("grid: {problem}"))
        .collect();
    if axes.is_empty() && problems.is_empty() {
        problems
            .push("grid: no params given; name at least one param with a list of values".into());
    }
    let mut labelled: Vec<(&str, Vec<(String, Value)>)> = Vec::new();
    for (param, values) in axes.iter() {
        let what = format!("grid param `{param}`");
        let Value::Array(values) = values else {
            problems.push(format!(
                "{what}: expected a list of values, got `{values}`; write `\"{param}\": [..]`"
            ));
            continue;
        };
        match axis(&what, param, values) {
            Ok(axis) => labelled.push((param, axis)),
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut combinations: Vec<(Vec<String>, Params)> = vec![(Vec::new(), Params::new())];
    for (param, axis) in &labelled {
        combinations = combinations
            .into_iter()
            .flat_map(|(labels, params)| {
                axis.iter().map(move |(label, value)| {
                    let mut labels = labels.clone();
                    labels.push(label.clone());
                    (labels, params.clone().with(*param, value.clone()))
                })
            })
            .collect();
    }
    Ok(combinations
        .into_iter()
        .map(|(labels, params)| Generated {
            name: labels.join(","),
            params,
        })
        .collect())
}

/// Each value of one param with its label `param=value`, or the problem with the values:
/// none, a value that is not a number, string or boolean, or one given twice.
fn axis(what: &str, param: &str, values: &[Value]) -> Result<Vec<(String, Value)>, String> {
    if values.is_empty() {
        return Err(format!("{what} has no values; give at least one"));
    }
    let mut labelled: Vec<(String, Value)> = Vec::with_capacity(values.len());
    for value in values {
        let text = match value {
            Value::Number(number) => number.to_string(),
            Value::String(text) => text.clone(),
            Value::Bool(flag) => flag.to_string(),
            other => {
                return Err(format!(
                    "{what}: value `{other}` is not a number, string or boolean; sweep over \
                     those, or declare treatments with `.treatment(..)`"
                ));
            }
        };
        if labelled.iter().any(|(_, seen)| seen == value) {
            return Err(format!(
                "{what}: value `{value}` is given twice; give each value once"
            ));
        }
        labelled.push((format!("{param}={text}"), value.clone()));
    }
    Ok(labelled)
}

/// The values of a sweep as JSON, or the problem with one: not serialisable, NaN or infinite.
pub(crate) fn to_values<V: serde::Serialize>(
    param: &str,
    values: impl IntoIterator<Item = V>,
) -> Result<Vec<Value>, String> {
    values
        .into_iter()
        .map(|value| {
            let single = Params::new().with(param, value);
            match single.problems().first() {
                Some(problem) => Err(problem.clone()),
                None => Ok(single.get(param).cloned().unwrap_or(Value::Null)),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn names(generated: &[Generated]) -> Vec<&str> {
        generated.iter().map(|g| g.name.as_str()).collect()
    }

    #[test]
    fn a_sweep_names_each_value_as_json_writes_it() {
        let generated = sweep("lr", to_values("lr", [0.1, 0.01, 0.001, 1e-7])).unwrap();
        assert_eq!(
            names(&generated),
            ["lr=0.1", "lr=0.01", "lr=0.001", "lr=1e-7"]
        );
        assert_eq!(generated[1].params, Params::new().with("lr", 0.01));
        let mixed = sweep(
            "mode",
            Ok(vec![json!("fast"), json!(true), json!(2), json!(2.0)]),
        )
        .unwrap();
        assert_eq!(
            names(&mixed),
            ["mode=fast", "mode=true", "mode=2", "mode=2.0"]
        );
    }

    #[test]
    fn a_grid_combines_params_by_name_the_first_varying_slowest() {
        let generated = grid(&crate::params! { "lr": [0.1, 0.01], "depth": [2, 4] }).unwrap();
        assert_eq!(
            names(&generated),
            [
                "depth=2,lr=0.1",
                "depth=2,lr=0.01",
                "depth=4,lr=0.1",
                "depth=4,lr=0.01"
            ]
        );
        assert_eq!(
            generated[3].params,
            Params::new().with("depth", 4).with("lr", 0.01)
        );
    }

    #[test]
    fn bad_values_are_problems_naming_them() {
        let empty: [f64; 0] = [];
        assert_eq!(
            sweep("lr", to_values("lr", empty)).unwrap_err(),
            "sweep `lr` has no values; give at least one"
        );
        let nan = sweep("lr", to_values("lr", [0.1, f64::NAN])).unwrap_err();
        assert!(nan.starts_with("sweep `lr`: param `lr` is NaN"), "{nan}");
        let twice = sweep("lr", to_values("lr", [0.1, 0.1])).unwrap_err();
        assert_eq!(
            twice,
            "sweep `lr`: value `0.1` is given twice; give each value once"
        );
        let nested = sweep("layers", to_values("layers", [vec![64]])).unwrap_err();
        assert!(
            nested.contains("value `[64]` is not a number, string or boolean"),
            "{nested}"
        );
        let problems = grid(
            &crate::params! { "lr": 0.1, "depth": [2.0, f64::INFINITY], "k": Vec::<i32>::new() },
        )
        .unwrap_err();
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(
            problems[0].starts_with("grid: param `depth` holds inf at `depth"),
            "{problems:?}"
        );
        assert_eq!(
            problems[1],
            "grid param `k` has no values; give at least one"
        );
        assert!(
            problems[2].starts_with("grid param `lr`: expected a list of values, got `0.1`"),
            "{problems:?}"
        );
        assert!(grid(&Params::new()).unwrap_err()[0].contains("no params given"));
    }
}
