#!/usr/bin/env python3
"""Writes bench/src/bin/chain.rs: the chain workload at scale, experiments c0 -> c1 -> ... -> c999
(the same links as the `chain` workload of examples/src/bin/bench.rs, which has 20). `run c199`
runs a chain of 200 (its ancestors first), `run c999` one of 1000.

    python3 bench/gen_chain.py [N]     # N = 1000 by default
"""
import sys
from pathlib import Path

N = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
out = Path(__file__).resolve().parent / "src" / "bin" / "chain.rs"
parts = [f'''//! The chain workload at scale (written by `bench/gen_chain.py`; do not edit): {N} experiments
//! `c0` -> ... -> `c{N - 1}`, each reading the previous one's JSON artifact (`c0` reads 16 random
//! numbers), scaling it by `factor`, writing its own artifact and recording `mean`; baseline plus
//! treatment `double`, 10 replicates, versioned. `run cK` runs the chain of K + 1.

use crystallize::IntoExperiment;
use crystallize::prelude::*;

#[source]
fn numbers(ctx: &Ctx) -> Vec<f64> {{
    let mut rng = ctx.rng();
    (0..16).map(|_| rng.random()).collect()
}}

/// Scales by `factor`, writes the result as the artifact named by `out`, records its mean.
#[step]
fn link(data: Vec<f64>, factor: f64, out: String, ctx: &mut Ctx) -> Result<Vec<f64>, StepError> {{
    let scaled: Vec<f64> = data.into_iter().map(|x| x * factor).collect();
    ctx.write_json(&out, &scaled)?;
    ctx.record("mean", scaled.iter().sum::<f64>() / scaled.len() as f64);
    Ok(scaled)
}}

fn chain_link(source: impl crystallize::Source<Output = Vec<f64>>, out: &str) -> Experiment {{
    Experiment::from(source)
        .param("factor", 1.0)
        .param("out", out)
        .step(link)
        .treatment("double", params! {{ "factor": 2.0 }})
        .output(out)
        .into_experiment()
}}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c0() -> Experiment {{
    chain_link(numbers, "a0.json")
}}
''']
for i in range(1, N):
    parts.append(f'''
#[experiment(replicates = 10, versioned, seed = 7)]
fn c{i}() -> Experiment {{
    chain_link(c{i - 1}.artifact::<Vec<f64>>("a{i - 1}.json"), "a{i}.json")
}}
''')
parts.append('''
fn main() {
    crystallize::main()
}
''')
out.write_text("".join(parts))
print(f"wrote {out} ({N} experiments)")
