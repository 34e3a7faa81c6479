//! The chain workload at scale (written by `bench/gen_chain.py`; do not edit): 1000 experiments
//! `c0` -> ... -> `c999`, each reading the previous one's JSON artifact (`c0` reads 16 random
//! numbers), scaling it by `factor`, writing its own artifact and recording `mean`; baseline plus
//! treatment `double`, 10 replicates, versioned. `run cK` runs the chain of K + 1.

use crystallize::IntoExperiment;
use crystallize::prelude::*;

#[source]
fn numbers(ctx: &Ctx) -> Vec<f64> {
    let mut rng = ctx.rng();
    (0..16).map(|_| rng.random()).collect()
}

/// Scales by `factor`, writes the result as the artifact named by `out`, records its mean.
#[step]
fn link(data: Vec<f64>, factor: f64, out: String, ctx: &mut Ctx) -> Result<Vec<f64>, StepError> {
    let scaled: Vec<f64> = data.into_iter().map(|x| x * factor).collect();
    ctx.write_json(&out, &scaled)?;
    ctx.record("mean", scaled.iter().sum::<f64>() / scaled.len() as f64);
    Ok(scaled)
}

fn chain_link(source: impl crystallize::Source<Output = Vec<f64>>, out: &str) -> Experiment {
    Experiment::from(source)
        .param("factor", 1.0)
        .param("out", out)
        .step(link)
        .treatment("double", params! { "factor": 2.0 })
        .output(out)
        .into_experiment()
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c0() -> Experiment {
    chain_link(numbers, "a0.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c1() -> Experiment {
    chain_link(c0.artifact::<Vec<f64>>("a0.json"), "a1.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c2() -> Experiment {
    chain_link(c1.artifact::<Vec<f64>>("a1.json"), "a2.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c3() -> Experiment {
    chain_link(c2.artifact::<Vec<f64>>("a2.json"), "a3.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c4() -> Experiment {
    chain_link(c3.artifact::<Vec<f64>>("a3.json"), "a4.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c5() -> Experiment {
    chain_link(c4.artifact::<Vec<f64>>("a4.json"), "a5.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c6() -> Experiment {
    chain_link(c5.artifact::<Vec<f64>>("a5.json"), "a6.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c7() -> Experiment {
    chain_link(c6.artifact::<Vec<f64>>("a6.json"), "a7.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c8() -> Experiment {
    chain_link(c7.artifact::<Vec<f64>>("a7.json"), "a8.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c9() -> Experiment {
    chain_link(c8.artifact::<Vec<f64>>("a8.json"), "a9.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c10() -> Experiment {
    chain_link(c9.artifact::<Vec<f64>>("a9.json"), "a10.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c11() -> Experiment {
    chain_link(c10.artifact::<Vec<f64>>("a10.json"), "a11.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c12() -> Experiment {
    chain_link(c11.artifact::<Vec<f64>>("a11.json"), "a12.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c13() -> Experiment {
    chain_link(c12.artifact::<Vec<f64>>("a12.json"), "a13.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c14() -> Experiment {
    chain_link(c13.artifact::<Vec<f64>>("a13.json"), "a14.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c15() -> Experiment {
    chain_link(c14.artifact::<Vec<f64>>("a14.json"), "a15.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c16() -> Experiment {
    chain_link(c15.artifact::<Vec<f64>>("a15.json"), "a16.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c17() -> Experiment {
    chain_link(c16.artifact::<Vec<f64>>("a16.json"), "a17.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c18() -> Experiment {
    chain_link(c17.artifact::<Vec<f64>>("a17.json"), "a18.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c19() -> Experiment {
    chain_link(c18.artifact::<Vec<f64>>("a18.json"), "a19.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c20() -> Experiment {
    chain_link(c19.artifact::<Vec<f64>>("a19.json"), "a20.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c21() -> Experiment {
    chain_link(c20.artifact::<Vec<f64>>("a20.json"), "a21.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c22() -> Experiment {
    chain_link(c21.artifact::<Vec<f64>>("a21.json"), "a22.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c23() -> Experiment {
    chain_link(c22.artifact::<Vec<f64>>("a22.json"), "a23.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c24() -> Experiment {
    chain_link(c23.artifact::<Vec<f64>>("a23.json"), "a24.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c25() -> Experiment {
    chain_link(c24.artifact::<Vec<f64>>("a24.json"), "a25.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c26() -> Experiment {
    chain_link(c25.artifact::<Vec<f64>>("a25.json"), "a26.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c27() -> Experiment {
    chain_link(c26.artifact::<Vec<f64>>("a26.json"), "a27.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c28() -> Experiment {
    chain_link(c27.artifact::<Vec<f64>>("a27.json"), "a28.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c29() -> Experiment {
    chain_link(c28.artifact::<Vec<f64>>("a28.json"), "a29.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c30() -> Experiment {
    chain_link(c29.artifact::<Vec<f64>>("a29.json"), "a30.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c31() -> Experiment {
    chain_link(c30.artifact::<Vec<f64>>("a30.json"), "a31.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c32() -> Experiment {
    chain_link(c31.artifact::<Vec<f64>>("a31.json"), "a32.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c33() -> Experiment {
    chain_link(c32.artifact::<Vec<f64>>("a32.json"), "a33.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c34() -> Experiment {
    chain_link(c33.artifact::<Vec<f64>>("a33.json"), "a34.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c35() -> Experiment {
    chain_link(c34.artifact::<Vec<f64>>("a34.json"), "a35.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c36() -> Experiment {
    chain_link(c35.artifact::<Vec<f64>>("a35.json"), "a36.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c37() -> Experiment {
    chain_link(c36.artifact::<Vec<f64>>("a36.json"), "a37.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c38() -> Experiment {
    chain_link(c37.artifact::<Vec<f64>>("a37.json"), "a38.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c39() -> Experiment {
    chain_link(c38.artifact::<Vec<f64>>("a38.json"), "a39.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c40() -> Experiment {
    chain_link(c39.artifact::<Vec<f64>>("a39.json"), "a40.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c41() -> Experiment {
    chain_link(c40.artifact::<Vec<f64>>("a40.json"), "a41.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c42() -> Experiment {
    chain_link(c41.artifact::<Vec<f64>>("a41.json"), "a42.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c43() -> Experiment {
    chain_link(c42.artifact::<Vec<f64>>("a42.json"), "a43.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c44() -> Experiment {
    chain_link(c43.artifact::<Vec<f64>>("a43.json"), "a44.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c45() -> Experiment {
    chain_link(c44.artifact::<Vec<f64>>("a44.json"), "a45.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c46() -> Experiment {
    chain_link(c45.artifact::<Vec<f64>>("a45.json"), "a46.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c47() -> Experiment {
    chain_link(c46.artifact::<Vec<f64>>("a46.json"), "a47.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c48() -> Experiment {
    chain_link(c47.artifact::<Vec<f64>>("a47.json"), "a48.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c49() -> Experiment {
    chain_link(c48.artifact::<Vec<f64>>("a48.json"), "a49.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c50() -> Experiment {
    chain_link(c49.artifact::<Vec<f64>>("a49.json"), "a50.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c51() -> Experiment {
    chain_link(c50.artifact::<Vec<f64>>("a50.json"), "a51.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c52() -> Experiment {
    chain_link(c51.artifact::<Vec<f64>>("a51.json"), "a52.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c53() -> Experiment {
    chain_link(c52.artifact::<Vec<f64>>("a52.json"), "a53.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c54() -> Experiment {
    chain_link(c53.artifact::<Vec<f64>>("a53.json"), "a54.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c55() -> Experiment {
    chain_link(c54.artifact::<Vec<f64>>("a54.json"), "a55.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c56() -> Experiment {
    chain_link(c55.artifact::<Vec<f64>>("a55.json"), "a56.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c57() -> Experiment {
    chain_link(c56.artifact::<Vec<f64>>("a56.json"), "a57.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c58() -> Experiment {
    chain_link(c57.artifact::<Vec<f64>>("a57.json"), "a58.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c59() -> Experiment {
    chain_link(c58.artifact::<Vec<f64>>("a58.json"), "a59.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c60() -> Experiment {
    chain_link(c59.artifact::<Vec<f64>>("a59.json"), "a60.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c61() -> Experiment {
    chain_link(c60.artifact::<Vec<f64>>("a60.json"), "a61.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c62() -> Experiment {
    chain_link(c61.artifact::<Vec<f64>>("a61.json"), "a62.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c63() -> Experiment {
    chain_link(c62.artifact::<Vec<f64>>("a62.json"), "a63.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c64() -> Experiment {
    chain_link(c63.artifact::<Vec<f64>>("a63.json"), "a64.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c65() -> Experiment {
    chain_link(c64.artifact::<Vec<f64>>("a64.json"), "a65.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c66() -> Experiment {
    chain_link(c65.artifact::<Vec<f64>>("a65.json"), "a66.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c67() -> Experiment {
    chain_link(c66.artifact::<Vec<f64>>("a66.json"), "a67.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c68() -> Experiment {
    chain_link(c67.artifact::<Vec<f64>>("a67.json"), "a68.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c69() -> Experiment {
    chain_link(c68.artifact::<Vec<f64>>("a68.json"), "a69.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c70() -> Experiment {
    chain_link(c69.artifact::<Vec<f64>>("a69.json"), "a70.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c71() -> Experiment {
    chain_link(c70.artifact::<Vec<f64>>("a70.json"), "a71.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c72() -> Experiment {
    chain_link(c71.artifact::<Vec<f64>>("a71.json"), "a72.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c73() -> Experiment {
    chain_link(c72.artifact::<Vec<f64>>("a72.json"), "a73.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c74() -> Experiment {
    chain_link(c73.artifact::<Vec<f64>>("a73.json"), "a74.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c75() -> Experiment {
    chain_link(c74.artifact::<Vec<f64>>("a74.json"), "a75.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c76() -> Experiment {
    chain_link(c75.artifact::<Vec<f64>>("a75.json"), "a76.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c77() -> Experiment {
    chain_link(c76.artifact::<Vec<f64>>("a76.json"), "a77.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c78() -> Experiment {
    chain_link(c77.artifact::<Vec<f64>>("a77.json"), "a78.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c79() -> Experiment {
    chain_link(c78.artifact::<Vec<f64>>("a78.json"), "a79.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c80() -> Experiment {
    chain_link(c79.artifact::<Vec<f64>>("a79.json"), "a80.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c81() -> Experiment {
    chain_link(c80.artifact::<Vec<f64>>("a80.json"), "a81.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c82() -> Experiment {
    chain_link(c81.artifact::<Vec<f64>>("a81.json"), "a82.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c83() -> Experiment {
    chain_link(c82.artifact::<Vec<f64>>("a82.json"), "a83.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c84() -> Experiment {
    chain_link(c83.artifact::<Vec<f64>>("a83.json"), "a84.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c85() -> Experiment {
    chain_link(c84.artifact::<Vec<f64>>("a84.json"), "a85.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c86() -> Experiment {
    chain_link(c85.artifact::<Vec<f64>>("a85.json"), "a86.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c87() -> Experiment {
    chain_link(c86.artifact::<Vec<f64>>("a86.json"), "a87.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c88() -> Experiment {
    chain_link(c87.artifact::<Vec<f64>>("a87.json"), "a88.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c89() -> Experiment {
    chain_link(c88.artifact::<Vec<f64>>("a88.json"), "a89.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c90() -> Experiment {
    chain_link(c89.artifact::<Vec<f64>>("a89.json"), "a90.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c91() -> Experiment {
    chain_link(c90.artifact::<Vec<f64>>("a90.json"), "a91.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c92() -> Experiment {
    chain_link(c91.artifact::<Vec<f64>>("a91.json"), "a92.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c93() -> Experiment {
    chain_link(c92.artifact::<Vec<f64>>("a92.json"), "a93.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c94() -> Experiment {
    chain_link(c93.artifact::<Vec<f64>>("a93.json"), "a94.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c95() -> Experiment {
    chain_link(c94.artifact::<Vec<f64>>("a94.json"), "a95.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c96() -> Experiment {
    chain_link(c95.artifact::<Vec<f64>>("a95.json"), "a96.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c97() -> Experiment {
    chain_link(c96.artifact::<Vec<f64>>("a96.json"), "a97.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c98() -> Experiment {
    chain_link(c97.artifact::<Vec<f64>>("a97.json"), "a98.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c99() -> Experiment {
    chain_link(c98.artifact::<Vec<f64>>("a98.json"), "a99.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c100() -> Experiment {
    chain_link(c99.artifact::<Vec<f64>>("a99.json"), "a100.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c101() -> Experiment {
    chain_link(c100.artifact::<Vec<f64>>("a100.json"), "a101.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c102() -> Experiment {
    chain_link(c101.artifact::<Vec<f64>>("a101.json"), "a102.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c103() -> Experiment {
    chain_link(c102.artifact::<Vec<f64>>("a102.json"), "a103.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c104() -> Experiment {
    chain_link(c103.artifact::<Vec<f64>>("a103.json"), "a104.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c105() -> Experiment {
    chain_link(c104.artifact::<Vec<f64>>("a104.json"), "a105.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c106() -> Experiment {
    chain_link(c105.artifact::<Vec<f64>>("a105.json"), "a106.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c107() -> Experiment {
    chain_link(c106.artifact::<Vec<f64>>("a106.json"), "a107.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c108() -> Experiment {
    chain_link(c107.artifact::<Vec<f64>>("a107.json"), "a108.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c109() -> Experiment {
    chain_link(c108.artifact::<Vec<f64>>("a108.json"), "a109.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c110() -> Experiment {
    chain_link(c109.artifact::<Vec<f64>>("a109.json"), "a110.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c111() -> Experiment {
    chain_link(c110.artifact::<Vec<f64>>("a110.json"), "a111.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c112() -> Experiment {
    chain_link(c111.artifact::<Vec<f64>>("a111.json"), "a112.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c113() -> Experiment {
    chain_link(c112.artifact::<Vec<f64>>("a112.json"), "a113.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c114() -> Experiment {
    chain_link(c113.artifact::<Vec<f64>>("a113.json"), "a114.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c115() -> Experiment {
    chain_link(c114.artifact::<Vec<f64>>("a114.json"), "a115.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c116() -> Experiment {
    chain_link(c115.artifact::<Vec<f64>>("a115.json"), "a116.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c117() -> Experiment {
    chain_link(c116.artifact::<Vec<f64>>("a116.json"), "a117.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c118() -> Experiment {
    chain_link(c117.artifact::<Vec<f64>>("a117.json"), "a118.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c119() -> Experiment {
    chain_link(c118.artifact::<Vec<f64>>("a118.json"), "a119.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c120() -> Experiment {
    chain_link(c119.artifact::<Vec<f64>>("a119.json"), "a120.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c121() -> Experiment {
    chain_link(c120.artifact::<Vec<f64>>("a120.json"), "a121.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c122() -> Experiment {
    chain_link(c121.artifact::<Vec<f64>>("a121.json"), "a122.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c123() -> Experiment {
    chain_link(c122.artifact::<Vec<f64>>("a122.json"), "a123.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c124() -> Experiment {
    chain_link(c123.artifact::<Vec<f64>>("a123.json"), "a124.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c125() -> Experiment {
    chain_link(c124.artifact::<Vec<f64>>("a124.json"), "a125.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c126() -> Experiment {
    chain_link(c125.artifact::<Vec<f64>>("a125.json"), "a126.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c127() -> Experiment {
    chain_link(c126.artifact::<Vec<f64>>("a126.json"), "a127.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c128() -> Experiment {
    chain_link(c127.artifact::<Vec<f64>>("a127.json"), "a128.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c129() -> Experiment {
    chain_link(c128.artifact::<Vec<f64>>("a128.json"), "a129.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c130() -> Experiment {
    chain_link(c129.artifact::<Vec<f64>>("a129.json"), "a130.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c131() -> Experiment {
    chain_link(c130.artifact::<Vec<f64>>("a130.json"), "a131.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c132() -> Experiment {
    chain_link(c131.artifact::<Vec<f64>>("a131.json"), "a132.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c133() -> Experiment {
    chain_link(c132.artifact::<Vec<f64>>("a132.json"), "a133.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c134() -> Experiment {
    chain_link(c133.artifact::<Vec<f64>>("a133.json"), "a134.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c135() -> Experiment {
    chain_link(c134.artifact::<Vec<f64>>("a134.json"), "a135.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c136() -> Experiment {
    chain_link(c135.artifact::<Vec<f64>>("a135.json"), "a136.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c137() -> Experiment {
    chain_link(c136.artifact::<Vec<f64>>("a136.json"), "a137.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c138() -> Experiment {
    chain_link(c137.artifact::<Vec<f64>>("a137.json"), "a138.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c139() -> Experiment {
    chain_link(c138.artifact::<Vec<f64>>("a138.json"), "a139.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c140() -> Experiment {
    chain_link(c139.artifact::<Vec<f64>>("a139.json"), "a140.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c141() -> Experiment {
    chain_link(c140.artifact::<Vec<f64>>("a140.json"), "a141.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c142() -> Experiment {
    chain_link(c141.artifact::<Vec<f64>>("a141.json"), "a142.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c143() -> Experiment {
    chain_link(c142.artifact::<Vec<f64>>("a142.json"), "a143.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c144() -> Experiment {
    chain_link(c143.artifact::<Vec<f64>>("a143.json"), "a144.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c145() -> Experiment {
    chain_link(c144.artifact::<Vec<f64>>("a144.json"), "a145.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c146() -> Experiment {
    chain_link(c145.artifact::<Vec<f64>>("a145.json"), "a146.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c147() -> Experiment {
    chain_link(c146.artifact::<Vec<f64>>("a146.json"), "a147.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c148() -> Experiment {
    chain_link(c147.artifact::<Vec<f64>>("a147.json"), "a148.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c149() -> Experiment {
    chain_link(c148.artifact::<Vec<f64>>("a148.json"), "a149.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c150() -> Experiment {
    chain_link(c149.artifact::<Vec<f64>>("a149.json"), "a150.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c151() -> Experiment {
    chain_link(c150.artifact::<Vec<f64>>("a150.json"), "a151.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c152() -> Experiment {
    chain_link(c151.artifact::<Vec<f64>>("a151.json"), "a152.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c153() -> Experiment {
    chain_link(c152.artifact::<Vec<f64>>("a152.json"), "a153.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c154() -> Experiment {
    chain_link(c153.artifact::<Vec<f64>>("a153.json"), "a154.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c155() -> Experiment {
    chain_link(c154.artifact::<Vec<f64>>("a154.json"), "a155.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c156() -> Experiment {
    chain_link(c155.artifact::<Vec<f64>>("a155.json"), "a156.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c157() -> Experiment {
    chain_link(c156.artifact::<Vec<f64>>("a156.json"), "a157.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c158() -> Experiment {
    chain_link(c157.artifact::<Vec<f64>>("a157.json"), "a158.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c159() -> Experiment {
    chain_link(c158.artifact::<Vec<f64>>("a158.json"), "a159.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c160() -> Experiment {
    chain_link(c159.artifact::<Vec<f64>>("a159.json"), "a160.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c161() -> Experiment {
    chain_link(c160.artifact::<Vec<f64>>("a160.json"), "a161.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c162() -> Experiment {
    chain_link(c161.artifact::<Vec<f64>>("a161.json"), "a162.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c163() -> Experiment {
    chain_link(c162.artifact::<Vec<f64>>("a162.json"), "a163.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c164() -> Experiment {
    chain_link(c163.artifact::<Vec<f64>>("a163.json"), "a164.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c165() -> Experiment {
    chain_link(c164.artifact::<Vec<f64>>("a164.json"), "a165.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c166() -> Experiment {
    chain_link(c165.artifact::<Vec<f64>>("a165.json"), "a166.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c167() -> Experiment {
    chain_link(c166.artifact::<Vec<f64>>("a166.json"), "a167.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c168() -> Experiment {
    chain_link(c167.artifact::<Vec<f64>>("a167.json"), "a168.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c169() -> Experiment {
    chain_link(c168.artifact::<Vec<f64>>("a168.json"), "a169.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c170() -> Experiment {
    chain_link(c169.artifact::<Vec<f64>>("a169.json"), "a170.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c171() -> Experiment {
    chain_link(c170.artifact::<Vec<f64>>("a170.json"), "a171.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c172() -> Experiment {
    chain_link(c171.artifact::<Vec<f64>>("a171.json"), "a172.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c173() -> Experiment {
    chain_link(c172.artifact::<Vec<f64>>("a172.json"), "a173.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c174() -> Experiment {
    chain_link(c173.artifact::<Vec<f64>>("a173.json"), "a174.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c175() -> Experiment {
    chain_link(c174.artifact::<Vec<f64>>("a174.json"), "a175.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c176() -> Experiment {
    chain_link(c175.artifact::<Vec<f64>>("a175.json"), "a176.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c177() -> Experiment {
    chain_link(c176.artifact::<Vec<f64>>("a176.json"), "a177.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c178() -> Experiment {
    chain_link(c177.artifact::<Vec<f64>>("a177.json"), "a178.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c179() -> Experiment {
    chain_link(c178.artifact::<Vec<f64>>("a178.json"), "a179.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c180() -> Experiment {
    chain_link(c179.artifact::<Vec<f64>>("a179.json"), "a180.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c181() -> Experiment {
    chain_link(c180.artifact::<Vec<f64>>("a180.json"), "a181.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c182() -> Experiment {
    chain_link(c181.artifact::<Vec<f64>>("a181.json"), "a182.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c183() -> Experiment {
    chain_link(c182.artifact::<Vec<f64>>("a182.json"), "a183.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c184() -> Experiment {
    chain_link(c183.artifact::<Vec<f64>>("a183.json"), "a184.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c185() -> Experiment {
    chain_link(c184.artifact::<Vec<f64>>("a184.json"), "a185.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c186() -> Experiment {
    chain_link(c185.artifact::<Vec<f64>>("a185.json"), "a186.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c187() -> Experiment {
    chain_link(c186.artifact::<Vec<f64>>("a186.json"), "a187.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c188() -> Experiment {
    chain_link(c187.artifact::<Vec<f64>>("a187.json"), "a188.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c189() -> Experiment {
    chain_link(c188.artifact::<Vec<f64>>("a188.json"), "a189.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c190() -> Experiment {
    chain_link(c189.artifact::<Vec<f64>>("a189.json"), "a190.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c191() -> Experiment {
    chain_link(c190.artifact::<Vec<f64>>("a190.json"), "a191.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c192() -> Experiment {
    chain_link(c191.artifact::<Vec<f64>>("a191.json"), "a192.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c193() -> Experiment {
    chain_link(c192.artifact::<Vec<f64>>("a192.json"), "a193.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c194() -> Experiment {
    chain_link(c193.artifact::<Vec<f64>>("a193.json"), "a194.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c195() -> Experiment {
    chain_link(c194.artifact::<Vec<f64>>("a194.json"), "a195.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c196() -> Experiment {
    chain_link(c195.artifact::<Vec<f64>>("a195.json"), "a196.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c197() -> Experiment {
    chain_link(c196.artifact::<Vec<f64>>("a196.json"), "a197.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c198() -> Experiment {
    chain_link(c197.artifact::<Vec<f64>>("a197.json"), "a198.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c199() -> Experiment {
    chain_link(c198.artifact::<Vec<f64>>("a198.json"), "a199.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c200() -> Experiment {
    chain_link(c199.artifact::<Vec<f64>>("a199.json"), "a200.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c201() -> Experiment {
    chain_link(c200.artifact::<Vec<f64>>("a200.json"), "a201.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c202() -> Experiment {
    chain_link(c201.artifact::<Vec<f64>>("a201.json"), "a202.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c203() -> Experiment {
    chain_link(c202.artifact::<Vec<f64>>("a202.json"), "a203.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c204() -> Experiment {
    chain_link(c203.artifact::<Vec<f64>>("a203.json"), "a204.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c205() -> Experiment {
    chain_link(c204.artifact::<Vec<f64>>("a204.json"), "a205.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c206() -> Experiment {
    chain_link(c205.artifact::<Vec<f64>>("a205.json"), "a206.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c207() -> Experiment {
    chain_link(c206.artifact::<Vec<f64>>("a206.json"), "a207.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c208() -> Experiment {
    chain_link(c207.artifact::<Vec<f64>>("a207.json"), "a208.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c209() -> Experiment {
    chain_link(c208.artifact::<Vec<f64>>("a208.json"), "a209.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c210() -> Experiment {
    chain_link(c209.artifact::<Vec<f64>>("a209.json"), "a210.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c211() -> Experiment {
    chain_link(c210.artifact::<Vec<f64>>("a210.json"), "a211.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c212() -> Experiment {
    chain_link(c211.artifact::<Vec<f64>>("a211.json"), "a212.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c213() -> Experiment {
    chain_link(c212.artifact::<Vec<f64>>("a212.json"), "a213.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c214() -> Experiment {
    chain_link(c213.artifact::<Vec<f64>>("a213.json"), "a214.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c215() -> Experiment {
    chain_link(c214.artifact::<Vec<f64>>("a214.json"), "a215.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c216() -> Experiment {
    chain_link(c215.artifact::<Vec<f64>>("a215.json"), "a216.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c217() -> Experiment {
    chain_link(c216.artifact::<Vec<f64>>("a216.json"), "a217.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c218() -> Experiment {
    chain_link(c217.artifact::<Vec<f64>>("a217.json"), "a218.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c219() -> Experiment {
    chain_link(c218.artifact::<Vec<f64>>("a218.json"), "a219.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c220() -> Experiment {
    chain_link(c219.artifact::<Vec<f64>>("a219.json"), "a220.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c221() -> Experiment {
    chain_link(c220.artifact::<Vec<f64>>("a220.json"), "a221.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c222() -> Experiment {
    chain_link(c221.artifact::<Vec<f64>>("a221.json"), "a222.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c223() -> Experiment {
    chain_link(c222.artifact::<Vec<f64>>("a222.json"), "a223.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c224() -> Experiment {
    chain_link(c223.artifact::<Vec<f64>>("a223.json"), "a224.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c225() -> Experiment {
    chain_link(c224.artifact::<Vec<f64>>("a224.json"), "a225.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c226() -> Experiment {
    chain_link(c225.artifact::<Vec<f64>>("a225.json"), "a226.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c227() -> Experiment {
    chain_link(c226.artifact::<Vec<f64>>("a226.json"), "a227.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c228() -> Experiment {
    chain_link(c227.artifact::<Vec<f64>>("a227.json"), "a228.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c229() -> Experiment {
    chain_link(c228.artifact::<Vec<f64>>("a228.json"), "a229.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c230() -> Experiment {
    chain_link(c229.artifact::<Vec<f64>>("a229.json"), "a230.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c231() -> Experiment {
    chain_link(c230.artifact::<Vec<f64>>("a230.json"), "a231.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c232() -> Experiment {
    chain_link(c231.artifact::<Vec<f64>>("a231.json"), "a232.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c233() -> Experiment {
    chain_link(c232.artifact::<Vec<f64>>("a232.json"), "a233.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c234() -> Experiment {
    chain_link(c233.artifact::<Vec<f64>>("a233.json"), "a234.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c235() -> Experiment {
    chain_link(c234.artifact::<Vec<f64>>("a234.json"), "a235.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c236() -> Experiment {
    chain_link(c235.artifact::<Vec<f64>>("a235.json"), "a236.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c237() -> Experiment {
    chain_link(c236.artifact::<Vec<f64>>("a236.json"), "a237.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c238() -> Experiment {
    chain_link(c237.artifact::<Vec<f64>>("a237.json"), "a238.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c239() -> Experiment {
    chain_link(c238.artifact::<Vec<f64>>("a238.json"), "a239.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c240() -> Experiment {
    chain_link(c239.artifact::<Vec<f64>>("a239.json"), "a240.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c241() -> Experiment {
    chain_link(c240.artifact::<Vec<f64>>("a240.json"), "a241.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c242() -> Experiment {
    chain_link(c241.artifact::<Vec<f64>>("a241.json"), "a242.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c243() -> Experiment {
    chain_link(c242.artifact::<Vec<f64>>("a242.json"), "a243.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c244() -> Experiment {
    chain_link(c243.artifact::<Vec<f64>>("a243.json"), "a244.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c245() -> Experiment {
    chain_link(c244.artifact::<Vec<f64>>("a244.json"), "a245.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c246() -> Experiment {
    chain_link(c245.artifact::<Vec<f64>>("a245.json"), "a246.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c247() -> Experiment {
    chain_link(c246.artifact::<Vec<f64>>("a246.json"), "a247.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c248() -> Experiment {
    chain_link(c247.artifact::<Vec<f64>>("a247.json"), "a248.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c249() -> Experiment {
    chain_link(c248.artifact::<Vec<f64>>("a248.json"), "a249.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c250() -> Experiment {
    chain_link(c249.artifact::<Vec<f64>>("a249.json"), "a250.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c251() -> Experiment {
    chain_link(c250.artifact::<Vec<f64>>("a250.json"), "a251.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c252() -> Experiment {
    chain_link(c251.artifact::<Vec<f64>>("a251.json"), "a252.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c253() -> Experiment {
    chain_link(c252.artifact::<Vec<f64>>("a252.json"), "a253.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c254() -> Experiment {
    chain_link(c253.artifact::<Vec<f64>>("a253.json"), "a254.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c255() -> Experiment {
    chain_link(c254.artifact::<Vec<f64>>("a254.json"), "a255.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c256() -> Experiment {
    chain_link(c255.artifact::<Vec<f64>>("a255.json"), "a256.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c257() -> Experiment {
    chain_link(c256.artifact::<Vec<f64>>("a256.json"), "a257.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c258() -> Experiment {
    chain_link(c257.artifact::<Vec<f64>>("a257.json"), "a258.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c259() -> Experiment {
    chain_link(c258.artifact::<Vec<f64>>("a258.json"), "a259.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c260() -> Experiment {
    chain_link(c259.artifact::<Vec<f64>>("a259.json"), "a260.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c261() -> Experiment {
    chain_link(c260.artifact::<Vec<f64>>("a260.json"), "a261.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c262() -> Experiment {
    chain_link(c261.artifact::<Vec<f64>>("a261.json"), "a262.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c263() -> Experiment {
    chain_link(c262.artifact::<Vec<f64>>("a262.json"), "a263.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c264() -> Experiment {
    chain_link(c263.artifact::<Vec<f64>>("a263.json"), "a264.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c265() -> Experiment {
    chain_link(c264.artifact::<Vec<f64>>("a264.json"), "a265.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c266() -> Experiment {
    chain_link(c265.artifact::<Vec<f64>>("a265.json"), "a266.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c267() -> Experiment {
    chain_link(c266.artifact::<Vec<f64>>("a266.json"), "a267.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c268() -> Experiment {
    chain_link(c267.artifact::<Vec<f64>>("a267.json"), "a268.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c269() -> Experiment {
    chain_link(c268.artifact::<Vec<f64>>("a268.json"), "a269.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c270() -> Experiment {
    chain_link(c269.artifact::<Vec<f64>>("a269.json"), "a270.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c271() -> Experiment {
    chain_link(c270.artifact::<Vec<f64>>("a270.json"), "a271.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c272() -> Experiment {
    chain_link(c271.artifact::<Vec<f64>>("a271.json"), "a272.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c273() -> Experiment {
    chain_link(c272.artifact::<Vec<f64>>("a272.json"), "a273.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c274() -> Experiment {
    chain_link(c273.artifact::<Vec<f64>>("a273.json"), "a274.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c275() -> Experiment {
    chain_link(c274.artifact::<Vec<f64>>("a274.json"), "a275.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c276() -> Experiment {
    chain_link(c275.artifact::<Vec<f64>>("a275.json"), "a276.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c277() -> Experiment {
    chain_link(c276.artifact::<Vec<f64>>("a276.json"), "a277.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c278() -> Experiment {
    chain_link(c277.artifact::<Vec<f64>>("a277.json"), "a278.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c279() -> Experiment {
    chain_link(c278.artifact::<Vec<f64>>("a278.json"), "a279.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c280() -> Experiment {
    chain_link(c279.artifact::<Vec<f64>>("a279.json"), "a280.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c281() -> Experiment {
    chain_link(c280.artifact::<Vec<f64>>("a280.json"), "a281.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c282() -> Experiment {
    chain_link(c281.artifact::<Vec<f64>>("a281.json"), "a282.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c283() -> Experiment {
    chain_link(c282.artifact::<Vec<f64>>("a282.json"), "a283.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c284() -> Experiment {
    chain_link(c283.artifact::<Vec<f64>>("a283.json"), "a284.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c285() -> Experiment {
    chain_link(c284.artifact::<Vec<f64>>("a284.json"), "a285.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c286() -> Experiment {
    chain_link(c285.artifact::<Vec<f64>>("a285.json"), "a286.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c287() -> Experiment {
    chain_link(c286.artifact::<Vec<f64>>("a286.json"), "a287.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c288() -> Experiment {
    chain_link(c287.artifact::<Vec<f64>>("a287.json"), "a288.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c289() -> Experiment {
    chain_link(c288.artifact::<Vec<f64>>("a288.json"), "a289.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c290() -> Experiment {
    chain_link(c289.artifact::<Vec<f64>>("a289.json"), "a290.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c291() -> Experiment {
    chain_link(c290.artifact::<Vec<f64>>("a290.json"), "a291.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c292() -> Experiment {
    chain_link(c291.artifact::<Vec<f64>>("a291.json"), "a292.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c293() -> Experiment {
    chain_link(c292.artifact::<Vec<f64>>("a292.json"), "a293.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c294() -> Experiment {
    chain_link(c293.artifact::<Vec<f64>>("a293.json"), "a294.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c295() -> Experiment {
    chain_link(c294.artifact::<Vec<f64>>("a294.json"), "a295.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c296() -> Experiment {
    chain_link(c295.artifact::<Vec<f64>>("a295.json"), "a296.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c297() -> Experiment {
    chain_link(c296.artifact::<Vec<f64>>("a296.json"), "a297.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c298() -> Experiment {
    chain_link(c297.artifact::<Vec<f64>>("a297.json"), "a298.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c299() -> Experiment {
    chain_link(c298.artifact::<Vec<f64>>("a298.json"), "a299.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c300() -> Experiment {
    chain_link(c299.artifact::<Vec<f64>>("a299.json"), "a300.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c301() -> Experiment {
    chain_link(c300.artifact::<Vec<f64>>("a300.json"), "a301.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c302() -> Experiment {
    chain_link(c301.artifact::<Vec<f64>>("a301.json"), "a302.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c303() -> Experiment {
    chain_link(c302.artifact::<Vec<f64>>("a302.json"), "a303.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c304() -> Experiment {
    chain_link(c303.artifact::<Vec<f64>>("a303.json"), "a304.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c305() -> Experiment {
    chain_link(c304.artifact::<Vec<f64>>("a304.json"), "a305.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c306() -> Experiment {
    chain_link(c305.artifact::<Vec<f64>>("a305.json"), "a306.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c307() -> Experiment {
    chain_link(c306.artifact::<Vec<f64>>("a306.json"), "a307.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c308() -> Experiment {
    chain_link(c307.artifact::<Vec<f64>>("a307.json"), "a308.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c309() -> Experiment {
    chain_link(c308.artifact::<Vec<f64>>("a308.json"), "a309.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c310() -> Experiment {
    chain_link(c309.artifact::<Vec<f64>>("a309.json"), "a310.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c311() -> Experiment {
    chain_link(c310.artifact::<Vec<f64>>("a310.json"), "a311.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c312() -> Experiment {
    chain_link(c311.artifact::<Vec<f64>>("a311.json"), "a312.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c313() -> Experiment {
    chain_link(c312.artifact::<Vec<f64>>("a312.json"), "a313.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c314() -> Experiment {
    chain_link(c313.artifact::<Vec<f64>>("a313.json"), "a314.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c315() -> Experiment {
    chain_link(c314.artifact::<Vec<f64>>("a314.json"), "a315.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c316() -> Experiment {
    chain_link(c315.artifact::<Vec<f64>>("a315.json"), "a316.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c317() -> Experiment {
    chain_link(c316.artifact::<Vec<f64>>("a316.json"), "a317.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c318() -> Experiment {
    chain_link(c317.artifact::<Vec<f64>>("a317.json"), "a318.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c319() -> Experiment {
    chain_link(c318.artifact::<Vec<f64>>("a318.json"), "a319.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c320() -> Experiment {
    chain_link(c319.artifact::<Vec<f64>>("a319.json"), "a320.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c321() -> Experiment {
    chain_link(c320.artifact::<Vec<f64>>("a320.json"), "a321.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c322() -> Experiment {
    chain_link(c321.artifact::<Vec<f64>>("a321.json"), "a322.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c323() -> Experiment {
    chain_link(c322.artifact::<Vec<f64>>("a322.json"), "a323.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c324() -> Experiment {
    chain_link(c323.artifact::<Vec<f64>>("a323.json"), "a324.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c325() -> Experiment {
    chain_link(c324.artifact::<Vec<f64>>("a324.json"), "a325.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c326() -> Experiment {
    chain_link(c325.artifact::<Vec<f64>>("a325.json"), "a326.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c327() -> Experiment {
    chain_link(c326.artifact::<Vec<f64>>("a326.json"), "a327.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c328() -> Experiment {
    chain_link(c327.artifact::<Vec<f64>>("a327.json"), "a328.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c329() -> Experiment {
    chain_link(c328.artifact::<Vec<f64>>("a328.json"), "a329.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c330() -> Experiment {
    chain_link(c329.artifact::<Vec<f64>>("a329.json"), "a330.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c331() -> Experiment {
    chain_link(c330.artifact::<Vec<f64>>("a330.json"), "a331.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c332() -> Experiment {
    chain_link(c331.artifact::<Vec<f64>>("a331.json"), "a332.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c333() -> Experiment {
    chain_link(c332.artifact::<Vec<f64>>("a332.json"), "a333.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c334() -> Experiment {
    chain_link(c333.artifact::<Vec<f64>>("a333.json"), "a334.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c335() -> Experiment {
    chain_link(c334.artifact::<Vec<f64>>("a334.json"), "a335.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c336() -> Experiment {
    chain_link(c335.artifact::<Vec<f64>>("a335.json"), "a336.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c337() -> Experiment {
    chain_link(c336.artifact::<Vec<f64>>("a336.json"), "a337.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c338() -> Experiment {
    chain_link(c337.artifact::<Vec<f64>>("a337.json"), "a338.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c339() -> Experiment {
    chain_link(c338.artifact::<Vec<f64>>("a338.json"), "a339.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c340() -> Experiment {
    chain_link(c339.artifact::<Vec<f64>>("a339.json"), "a340.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c341() -> Experiment {
    chain_link(c340.artifact::<Vec<f64>>("a340.json"), "a341.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c342() -> Experiment {
    chain_link(c341.artifact::<Vec<f64>>("a341.json"), "a342.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c343() -> Experiment {
    chain_link(c342.artifact::<Vec<f64>>("a342.json"), "a343.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c344() -> Experiment {
    chain_link(c343.artifact::<Vec<f64>>("a343.json"), "a344.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c345() -> Experiment {
    chain_link(c344.artifact::<Vec<f64>>("a344.json"), "a345.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c346() -> Experiment {
    chain_link(c345.artifact::<Vec<f64>>("a345.json"), "a346.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c347() -> Experiment {
    chain_link(c346.artifact::<Vec<f64>>("a346.json"), "a347.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c348() -> Experiment {
    chain_link(c347.artifact::<Vec<f64>>("a347.json"), "a348.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c349() -> Experiment {
    chain_link(c348.artifact::<Vec<f64>>("a348.json"), "a349.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c350() -> Experiment {
    chain_link(c349.artifact::<Vec<f64>>("a349.json"), "a350.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c351() -> Experiment {
    chain_link(c350.artifact::<Vec<f64>>("a350.json"), "a351.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c352() -> Experiment {
    chain_link(c351.artifact::<Vec<f64>>("a351.json"), "a352.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c353() -> Experiment {
    chain_link(c352.artifact::<Vec<f64>>("a352.json"), "a353.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c354() -> Experiment {
    chain_link(c353.artifact::<Vec<f64>>("a353.json"), "a354.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c355() -> Experiment {
    chain_link(c354.artifact::<Vec<f64>>("a354.json"), "a355.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c356() -> Experiment {
    chain_link(c355.artifact::<Vec<f64>>("a355.json"), "a356.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c357() -> Experiment {
    chain_link(c356.artifact::<Vec<f64>>("a356.json"), "a357.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c358() -> Experiment {
    chain_link(c357.artifact::<Vec<f64>>("a357.json"), "a358.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c359() -> Experiment {
    chain_link(c358.artifact::<Vec<f64>>("a358.json"), "a359.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c360() -> Experiment {
    chain_link(c359.artifact::<Vec<f64>>("a359.json"), "a360.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c361() -> Experiment {
    chain_link(c360.artifact::<Vec<f64>>("a360.json"), "a361.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c362() -> Experiment {
    chain_link(c361.artifact::<Vec<f64>>("a361.json"), "a362.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c363() -> Experiment {
    chain_link(c362.artifact::<Vec<f64>>("a362.json"), "a363.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c364() -> Experiment {
    chain_link(c363.artifact::<Vec<f64>>("a363.json"), "a364.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c365() -> Experiment {
    chain_link(c364.artifact::<Vec<f64>>("a364.json"), "a365.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c366() -> Experiment {
    chain_link(c365.artifact::<Vec<f64>>("a365.json"), "a366.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c367() -> Experiment {
    chain_link(c366.artifact::<Vec<f64>>("a366.json"), "a367.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c368() -> Experiment {
    chain_link(c367.artifact::<Vec<f64>>("a367.json"), "a368.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c369() -> Experiment {
    chain_link(c368.artifact::<Vec<f64>>("a368.json"), "a369.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c370() -> Experiment {
    chain_link(c369.artifact::<Vec<f64>>("a369.json"), "a370.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c371() -> Experiment {
    chain_link(c370.artifact::<Vec<f64>>("a370.json"), "a371.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c372() -> Experiment {
    chain_link(c371.artifact::<Vec<f64>>("a371.json"), "a372.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c373() -> Experiment {
    chain_link(c372.artifact::<Vec<f64>>("a372.json"), "a373.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c374() -> Experiment {
    chain_link(c373.artifact::<Vec<f64>>("a373.json"), "a374.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c375() -> Experiment {
    chain_link(c374.artifact::<Vec<f64>>("a374.json"), "a375.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c376() -> Experiment {
    chain_link(c375.artifact::<Vec<f64>>("a375.json"), "a376.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c377() -> Experiment {
    chain_link(c376.artifact::<Vec<f64>>("a376.json"), "a377.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c378() -> Experiment {
    chain_link(c377.artifact::<Vec<f64>>("a377.json"), "a378.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c379() -> Experiment {
    chain_link(c378.artifact::<Vec<f64>>("a378.json"), "a379.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c380() -> Experiment {
    chain_link(c379.artifact::<Vec<f64>>("a379.json"), "a380.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c381() -> Experiment {
    chain_link(c380.artifact::<Vec<f64>>("a380.json"), "a381.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c382() -> Experiment {
    chain_link(c381.artifact::<Vec<f64>>("a381.json"), "a382.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c383() -> Experiment {
    chain_link(c382.artifact::<Vec<f64>>("a382.json"), "a383.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c384() -> Experiment {
    chain_link(c383.artifact::<Vec<f64>>("a383.json"), "a384.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c385() -> Experiment {
    chain_link(c384.artifact::<Vec<f64>>("a384.json"), "a385.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c386() -> Experiment {
    chain_link(c385.artifact::<Vec<f64>>("a385.json"), "a386.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c387() -> Experiment {
    chain_link(c386.artifact::<Vec<f64>>("a386.json"), "a387.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c388() -> Experiment {
    chain_link(c387.artifact::<Vec<f64>>("a387.json"), "a388.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c389() -> Experiment {
    chain_link(c388.artifact::<Vec<f64>>("a388.json"), "a389.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c390() -> Experiment {
    chain_link(c389.artifact::<Vec<f64>>("a389.json"), "a390.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c391() -> Experiment {
    chain_link(c390.artifact::<Vec<f64>>("a390.json"), "a391.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c392() -> Experiment {
    chain_link(c391.artifact::<Vec<f64>>("a391.json"), "a392.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c393() -> Experiment {
    chain_link(c392.artifact::<Vec<f64>>("a392.json"), "a393.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c394() -> Experiment {
    chain_link(c393.artifact::<Vec<f64>>("a393.json"), "a394.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c395() -> Experiment {
    chain_link(c394.artifact::<Vec<f64>>("a394.json"), "a395.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c396() -> Experiment {
    chain_link(c395.artifact::<Vec<f64>>("a395.json"), "a396.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c397() -> Experiment {
    chain_link(c396.artifact::<Vec<f64>>("a396.json"), "a397.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c398() -> Experiment {
    chain_link(c397.artifact::<Vec<f64>>("a397.json"), "a398.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c399() -> Experiment {
    chain_link(c398.artifact::<Vec<f64>>("a398.json"), "a399.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c400() -> Experiment {
    chain_link(c399.artifact::<Vec<f64>>("a399.json"), "a400.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c401() -> Experiment {
    chain_link(c400.artifact::<Vec<f64>>("a400.json"), "a401.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c402() -> Experiment {
    chain_link(c401.artifact::<Vec<f64>>("a401.json"), "a402.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c403() -> Experiment {
    chain_link(c402.artifact::<Vec<f64>>("a402.json"), "a403.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c404() -> Experiment {
    chain_link(c403.artifact::<Vec<f64>>("a403.json"), "a404.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c405() -> Experiment {
    chain_link(c404.artifact::<Vec<f64>>("a404.json"), "a405.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c406() -> Experiment {
    chain_link(c405.artifact::<Vec<f64>>("a405.json"), "a406.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c407() -> Experiment {
    chain_link(c406.artifact::<Vec<f64>>("a406.json"), "a407.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c408() -> Experiment {
    chain_link(c407.artifact::<Vec<f64>>("a407.json"), "a408.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c409() -> Experiment {
    chain_link(c408.artifact::<Vec<f64>>("a408.json"), "a409.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c410() -> Experiment {
    chain_link(c409.artifact::<Vec<f64>>("a409.json"), "a410.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c411() -> Experiment {
    chain_link(c410.artifact::<Vec<f64>>("a410.json"), "a411.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c412() -> Experiment {
    chain_link(c411.artifact::<Vec<f64>>("a411.json"), "a412.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c413() -> Experiment {
    chain_link(c412.artifact::<Vec<f64>>("a412.json"), "a413.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c414() -> Experiment {
    chain_link(c413.artifact::<Vec<f64>>("a413.json"), "a414.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c415() -> Experiment {
    chain_link(c414.artifact::<Vec<f64>>("a414.json"), "a415.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c416() -> Experiment {
    chain_link(c415.artifact::<Vec<f64>>("a415.json"), "a416.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c417() -> Experiment {
    chain_link(c416.artifact::<Vec<f64>>("a416.json"), "a417.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c418() -> Experiment {
    chain_link(c417.artifact::<Vec<f64>>("a417.json"), "a418.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c419() -> Experiment {
    chain_link(c418.artifact::<Vec<f64>>("a418.json"), "a419.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c420() -> Experiment {
    chain_link(c419.artifact::<Vec<f64>>("a419.json"), "a420.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c421() -> Experiment {
    chain_link(c420.artifact::<Vec<f64>>("a420.json"), "a421.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c422() -> Experiment {
    chain_link(c421.artifact::<Vec<f64>>("a421.json"), "a422.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c423() -> Experiment {
    chain_link(c422.artifact::<Vec<f64>>("a422.json"), "a423.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c424() -> Experiment {
    chain_link(c423.artifact::<Vec<f64>>("a423.json"), "a424.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c425() -> Experiment {
    chain_link(c424.artifact::<Vec<f64>>("a424.json"), "a425.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c426() -> Experiment {
    chain_link(c425.artifact::<Vec<f64>>("a425.json"), "a426.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c427() -> Experiment {
    chain_link(c426.artifact::<Vec<f64>>("a426.json"), "a427.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c428() -> Experiment {
    chain_link(c427.artifact::<Vec<f64>>("a427.json"), "a428.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c429() -> Experiment {
    chain_link(c428.artifact::<Vec<f64>>("a428.json"), "a429.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c430() -> Experiment {
    chain_link(c429.artifact::<Vec<f64>>("a429.json"), "a430.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c431() -> Experiment {
    chain_link(c430.artifact::<Vec<f64>>("a430.json"), "a431.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c432() -> Experiment {
    chain_link(c431.artifact::<Vec<f64>>("a431.json"), "a432.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c433() -> Experiment {
    chain_link(c432.artifact::<Vec<f64>>("a432.json"), "a433.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c434() -> Experiment {
    chain_link(c433.artifact::<Vec<f64>>("a433.json"), "a434.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c435() -> Experiment {
    chain_link(c434.artifact::<Vec<f64>>("a434.json"), "a435.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c436() -> Experiment {
    chain_link(c435.artifact::<Vec<f64>>("a435.json"), "a436.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c437() -> Experiment {
    chain_link(c436.artifact::<Vec<f64>>("a436.json"), "a437.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c438() -> Experiment {
    chain_link(c437.artifact::<Vec<f64>>("a437.json"), "a438.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c439() -> Experiment {
    chain_link(c438.artifact::<Vec<f64>>("a438.json"), "a439.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c440() -> Experiment {
    chain_link(c439.artifact::<Vec<f64>>("a439.json"), "a440.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c441() -> Experiment {
    chain_link(c440.artifact::<Vec<f64>>("a440.json"), "a441.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c442() -> Experiment {
    chain_link(c441.artifact::<Vec<f64>>("a441.json"), "a442.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c443() -> Experiment {
    chain_link(c442.artifact::<Vec<f64>>("a442.json"), "a443.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c444() -> Experiment {
    chain_link(c443.artifact::<Vec<f64>>("a443.json"), "a444.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c445() -> Experiment {
    chain_link(c444.artifact::<Vec<f64>>("a444.json"), "a445.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c446() -> Experiment {
    chain_link(c445.artifact::<Vec<f64>>("a445.json"), "a446.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c447() -> Experiment {
    chain_link(c446.artifact::<Vec<f64>>("a446.json"), "a447.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c448() -> Experiment {
    chain_link(c447.artifact::<Vec<f64>>("a447.json"), "a448.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c449() -> Experiment {
    chain_link(c448.artifact::<Vec<f64>>("a448.json"), "a449.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c450() -> Experiment {
    chain_link(c449.artifact::<Vec<f64>>("a449.json"), "a450.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c451() -> Experiment {
    chain_link(c450.artifact::<Vec<f64>>("a450.json"), "a451.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c452() -> Experiment {
    chain_link(c451.artifact::<Vec<f64>>("a451.json"), "a452.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c453() -> Experiment {
    chain_link(c452.artifact::<Vec<f64>>("a452.json"), "a453.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c454() -> Experiment {
    chain_link(c453.artifact::<Vec<f64>>("a453.json"), "a454.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c455() -> Experiment {
    chain_link(c454.artifact::<Vec<f64>>("a454.json"), "a455.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c456() -> Experiment {
    chain_link(c455.artifact::<Vec<f64>>("a455.json"), "a456.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c457() -> Experiment {
    chain_link(c456.artifact::<Vec<f64>>("a456.json"), "a457.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c458() -> Experiment {
    chain_link(c457.artifact::<Vec<f64>>("a457.json"), "a458.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c459() -> Experiment {
    chain_link(c458.artifact::<Vec<f64>>("a458.json"), "a459.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c460() -> Experiment {
    chain_link(c459.artifact::<Vec<f64>>("a459.json"), "a460.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c461() -> Experiment {
    chain_link(c460.artifact::<Vec<f64>>("a460.json"), "a461.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c462() -> Experiment {
    chain_link(c461.artifact::<Vec<f64>>("a461.json"), "a462.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c463() -> Experiment {
    chain_link(c462.artifact::<Vec<f64>>("a462.json"), "a463.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c464() -> Experiment {
    chain_link(c463.artifact::<Vec<f64>>("a463.json"), "a464.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c465() -> Experiment {
    chain_link(c464.artifact::<Vec<f64>>("a464.json"), "a465.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c466() -> Experiment {
    chain_link(c465.artifact::<Vec<f64>>("a465.json"), "a466.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c467() -> Experiment {
    chain_link(c466.artifact::<Vec<f64>>("a466.json"), "a467.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c468() -> Experiment {
    chain_link(c467.artifact::<Vec<f64>>("a467.json"), "a468.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c469() -> Experiment {
    chain_link(c468.artifact::<Vec<f64>>("a468.json"), "a469.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c470() -> Experiment {
    chain_link(c469.artifact::<Vec<f64>>("a469.json"), "a470.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c471() -> Experiment {
    chain_link(c470.artifact::<Vec<f64>>("a470.json"), "a471.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c472() -> Experiment {
    chain_link(c471.artifact::<Vec<f64>>("a471.json"), "a472.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c473() -> Experiment {
    chain_link(c472.artifact::<Vec<f64>>("a472.json"), "a473.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c474() -> Experiment {
    chain_link(c473.artifact::<Vec<f64>>("a473.json"), "a474.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c475() -> Experiment {
    chain_link(c474.artifact::<Vec<f64>>("a474.json"), "a475.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c476() -> Experiment {
    chain_link(c475.artifact::<Vec<f64>>("a475.json"), "a476.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c477() -> Experiment {
    chain_link(c476.artifact::<Vec<f64>>("a476.json"), "a477.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c478() -> Experiment {
    chain_link(c477.artifact::<Vec<f64>>("a477.json"), "a478.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c479() -> Experiment {
    chain_link(c478.artifact::<Vec<f64>>("a478.json"), "a479.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c480() -> Experiment {
    chain_link(c479.artifact::<Vec<f64>>("a479.json"), "a480.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c481() -> Experiment {
    chain_link(c480.artifact::<Vec<f64>>("a480.json"), "a481.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c482() -> Experiment {
    chain_link(c481.artifact::<Vec<f64>>("a481.json"), "a482.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c483() -> Experiment {
    chain_link(c482.artifact::<Vec<f64>>("a482.json"), "a483.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c484() -> Experiment {
    chain_link(c483.artifact::<Vec<f64>>("a483.json"), "a484.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c485() -> Experiment {
    chain_link(c484.artifact::<Vec<f64>>("a484.json"), "a485.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c486() -> Experiment {
    chain_link(c485.artifact::<Vec<f64>>("a485.json"), "a486.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c487() -> Experiment {
    chain_link(c486.artifact::<Vec<f64>>("a486.json"), "a487.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c488() -> Experiment {
    chain_link(c487.artifact::<Vec<f64>>("a487.json"), "a488.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c489() -> Experiment {
    chain_link(c488.artifact::<Vec<f64>>("a488.json"), "a489.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c490() -> Experiment {
    chain_link(c489.artifact::<Vec<f64>>("a489.json"), "a490.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c491() -> Experiment {
    chain_link(c490.artifact::<Vec<f64>>("a490.json"), "a491.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c492() -> Experiment {
    chain_link(c491.artifact::<Vec<f64>>("a491.json"), "a492.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c493() -> Experiment {
    chain_link(c492.artifact::<Vec<f64>>("a492.json"), "a493.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c494() -> Experiment {
    chain_link(c493.artifact::<Vec<f64>>("a493.json"), "a494.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c495() -> Experiment {
    chain_link(c494.artifact::<Vec<f64>>("a494.json"), "a495.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c496() -> Experiment {
    chain_link(c495.artifact::<Vec<f64>>("a495.json"), "a496.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c497() -> Experiment {
    chain_link(c496.artifact::<Vec<f64>>("a496.json"), "a497.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c498() -> Experiment {
    chain_link(c497.artifact::<Vec<f64>>("a497.json"), "a498.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c499() -> Experiment {
    chain_link(c498.artifact::<Vec<f64>>("a498.json"), "a499.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c500() -> Experiment {
    chain_link(c499.artifact::<Vec<f64>>("a499.json"), "a500.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c501() -> Experiment {
    chain_link(c500.artifact::<Vec<f64>>("a500.json"), "a501.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c502() -> Experiment {
    chain_link(c501.artifact::<Vec<f64>>("a501.json"), "a502.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c503() -> Experiment {
    chain_link(c502.artifact::<Vec<f64>>("a502.json"), "a503.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c504() -> Experiment {
    chain_link(c503.artifact::<Vec<f64>>("a503.json"), "a504.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c505() -> Experiment {
    chain_link(c504.artifact::<Vec<f64>>("a504.json"), "a505.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c506() -> Experiment {
    chain_link(c505.artifact::<Vec<f64>>("a505.json"), "a506.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c507() -> Experiment {
    chain_link(c506.artifact::<Vec<f64>>("a506.json"), "a507.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c508() -> Experiment {
    chain_link(c507.artifact::<Vec<f64>>("a507.json"), "a508.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c509() -> Experiment {
    chain_link(c508.artifact::<Vec<f64>>("a508.json"), "a509.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c510() -> Experiment {
    chain_link(c509.artifact::<Vec<f64>>("a509.json"), "a510.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c511() -> Experiment {
    chain_link(c510.artifact::<Vec<f64>>("a510.json"), "a511.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c512() -> Experiment {
    chain_link(c511.artifact::<Vec<f64>>("a511.json"), "a512.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c513() -> Experiment {
    chain_link(c512.artifact::<Vec<f64>>("a512.json"), "a513.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c514() -> Experiment {
    chain_link(c513.artifact::<Vec<f64>>("a513.json"), "a514.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c515() -> Experiment {
    chain_link(c514.artifact::<Vec<f64>>("a514.json"), "a515.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c516() -> Experiment {
    chain_link(c515.artifact::<Vec<f64>>("a515.json"), "a516.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c517() -> Experiment {
    chain_link(c516.artifact::<Vec<f64>>("a516.json"), "a517.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c518() -> Experiment {
    chain_link(c517.artifact::<Vec<f64>>("a517.json"), "a518.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c519() -> Experiment {
    chain_link(c518.artifact::<Vec<f64>>("a518.json"), "a519.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c520() -> Experiment {
    chain_link(c519.artifact::<Vec<f64>>("a519.json"), "a520.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c521() -> Experiment {
    chain_link(c520.artifact::<Vec<f64>>("a520.json"), "a521.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c522() -> Experiment {
    chain_link(c521.artifact::<Vec<f64>>("a521.json"), "a522.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c523() -> Experiment {
    chain_link(c522.artifact::<Vec<f64>>("a522.json"), "a523.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c524() -> Experiment {
    chain_link(c523.artifact::<Vec<f64>>("a523.json"), "a524.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c525() -> Experiment {
    chain_link(c524.artifact::<Vec<f64>>("a524.json"), "a525.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c526() -> Experiment {
    chain_link(c525.artifact::<Vec<f64>>("a525.json"), "a526.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c527() -> Experiment {
    chain_link(c526.artifact::<Vec<f64>>("a526.json"), "a527.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c528() -> Experiment {
    chain_link(c527.artifact::<Vec<f64>>("a527.json"), "a528.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c529() -> Experiment {
    chain_link(c528.artifact::<Vec<f64>>("a528.json"), "a529.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c530() -> Experiment {
    chain_link(c529.artifact::<Vec<f64>>("a529.json"), "a530.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c531() -> Experiment {
    chain_link(c530.artifact::<Vec<f64>>("a530.json"), "a531.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c532() -> Experiment {
    chain_link(c531.artifact::<Vec<f64>>("a531.json"), "a532.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c533() -> Experiment {
    chain_link(c532.artifact::<Vec<f64>>("a532.json"), "a533.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c534() -> Experiment {
    chain_link(c533.artifact::<Vec<f64>>("a533.json"), "a534.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c535() -> Experiment {
    chain_link(c534.artifact::<Vec<f64>>("a534.json"), "a535.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c536() -> Experiment {
    chain_link(c535.artifact::<Vec<f64>>("a535.json"), "a536.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c537() -> Experiment {
    chain_link(c536.artifact::<Vec<f64>>("a536.json"), "a537.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c538() -> Experiment {
    chain_link(c537.artifact::<Vec<f64>>("a537.json"), "a538.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c539() -> Experiment {
    chain_link(c538.artifact::<Vec<f64>>("a538.json"), "a539.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c540() -> Experiment {
    chain_link(c539.artifact::<Vec<f64>>("a539.json"), "a540.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c541() -> Experiment {
    chain_link(c540.artifact::<Vec<f64>>("a540.json"), "a541.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c542() -> Experiment {
    chain_link(c541.artifact::<Vec<f64>>("a541.json"), "a542.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c543() -> Experiment {
    chain_link(c542.artifact::<Vec<f64>>("a542.json"), "a543.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c544() -> Experiment {
    chain_link(c543.artifact::<Vec<f64>>("a543.json"), "a544.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c545() -> Experiment {
    chain_link(c544.artifact::<Vec<f64>>("a544.json"), "a545.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c546() -> Experiment {
    chain_link(c545.artifact::<Vec<f64>>("a545.json"), "a546.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c547() -> Experiment {
    chain_link(c546.artifact::<Vec<f64>>("a546.json"), "a547.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c548() -> Experiment {
    chain_link(c547.artifact::<Vec<f64>>("a547.json"), "a548.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c549() -> Experiment {
    chain_link(c548.artifact::<Vec<f64>>("a548.json"), "a549.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c550() -> Experiment {
    chain_link(c549.artifact::<Vec<f64>>("a549.json"), "a550.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c551() -> Experiment {
    chain_link(c550.artifact::<Vec<f64>>("a550.json"), "a551.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c552() -> Experiment {
    chain_link(c551.artifact::<Vec<f64>>("a551.json"), "a552.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c553() -> Experiment {
    chain_link(c552.artifact::<Vec<f64>>("a552.json"), "a553.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c554() -> Experiment {
    chain_link(c553.artifact::<Vec<f64>>("a553.json"), "a554.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c555() -> Experiment {
    chain_link(c554.artifact::<Vec<f64>>("a554.json"), "a555.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c556() -> Experiment {
    chain_link(c555.artifact::<Vec<f64>>("a555.json"), "a556.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c557() -> Experiment {
    chain_link(c556.artifact::<Vec<f64>>("a556.json"), "a557.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c558() -> Experiment {
    chain_link(c557.artifact::<Vec<f64>>("a557.json"), "a558.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c559() -> Experiment {
    chain_link(c558.artifact::<Vec<f64>>("a558.json"), "a559.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c560() -> Experiment {
    chain_link(c559.artifact::<Vec<f64>>("a559.json"), "a560.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c561() -> Experiment {
    chain_link(c560.artifact::<Vec<f64>>("a560.json"), "a561.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c562() -> Experiment {
    chain_link(c561.artifact::<Vec<f64>>("a561.json"), "a562.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c563() -> Experiment {
    chain_link(c562.artifact::<Vec<f64>>("a562.json"), "a563.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c564() -> Experiment {
    chain_link(c563.artifact::<Vec<f64>>("a563.json"), "a564.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c565() -> Experiment {
    chain_link(c564.artifact::<Vec<f64>>("a564.json"), "a565.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c566() -> Experiment {
    chain_link(c565.artifact::<Vec<f64>>("a565.json"), "a566.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c567() -> Experiment {
    chain_link(c566.artifact::<Vec<f64>>("a566.json"), "a567.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c568() -> Experiment {
    chain_link(c567.artifact::<Vec<f64>>("a567.json"), "a568.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c569() -> Experiment {
    chain_link(c568.artifact::<Vec<f64>>("a568.json"), "a569.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c570() -> Experiment {
    chain_link(c569.artifact::<Vec<f64>>("a569.json"), "a570.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c571() -> Experiment {
    chain_link(c570.artifact::<Vec<f64>>("a570.json"), "a571.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c572() -> Experiment {
    chain_link(c571.artifact::<Vec<f64>>("a571.json"), "a572.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c573() -> Experiment {
    chain_link(c572.artifact::<Vec<f64>>("a572.json"), "a573.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c574() -> Experiment {
    chain_link(c573.artifact::<Vec<f64>>("a573.json"), "a574.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c575() -> Experiment {
    chain_link(c574.artifact::<Vec<f64>>("a574.json"), "a575.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c576() -> Experiment {
    chain_link(c575.artifact::<Vec<f64>>("a575.json"), "a576.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c577() -> Experiment {
    chain_link(c576.artifact::<Vec<f64>>("a576.json"), "a577.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c578() -> Experiment {
    chain_link(c577.artifact::<Vec<f64>>("a577.json"), "a578.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c579() -> Experiment {
    chain_link(c578.artifact::<Vec<f64>>("a578.json"), "a579.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c580() -> Experiment {
    chain_link(c579.artifact::<Vec<f64>>("a579.json"), "a580.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c581() -> Experiment {
    chain_link(c580.artifact::<Vec<f64>>("a580.json"), "a581.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c582() -> Experiment {
    chain_link(c581.artifact::<Vec<f64>>("a581.json"), "a582.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c583() -> Experiment {
    chain_link(c582.artifact::<Vec<f64>>("a582.json"), "a583.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c584() -> Experiment {
    chain_link(c583.artifact::<Vec<f64>>("a583.json"), "a584.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c585() -> Experiment {
    chain_link(c584.artifact::<Vec<f64>>("a584.json"), "a585.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c586() -> Experiment {
    chain_link(c585.artifact::<Vec<f64>>("a585.json"), "a586.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c587() -> Experiment {
    chain_link(c586.artifact::<Vec<f64>>("a586.json"), "a587.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c588() -> Experiment {
    chain_link(c587.artifact::<Vec<f64>>("a587.json"), "a588.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c589() -> Experiment {
    chain_link(c588.artifact::<Vec<f64>>("a588.json"), "a589.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c590() -> Experiment {
    chain_link(c589.artifact::<Vec<f64>>("a589.json"), "a590.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c591() -> Experiment {
    chain_link(c590.artifact::<Vec<f64>>("a590.json"), "a591.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c592() -> Experiment {
    chain_link(c591.artifact::<Vec<f64>>("a591.json"), "a592.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c593() -> Experiment {
    chain_link(c592.artifact::<Vec<f64>>("a592.json"), "a593.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c594() -> Experiment {
    chain_link(c593.artifact::<Vec<f64>>("a593.json"), "a594.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c595() -> Experiment {
    chain_link(c594.artifact::<Vec<f64>>("a594.json"), "a595.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c596() -> Experiment {
    chain_link(c595.artifact::<Vec<f64>>("a595.json"), "a596.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c597() -> Experiment {
    chain_link(c596.artifact::<Vec<f64>>("a596.json"), "a597.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c598() -> Experiment {
    chain_link(c597.artifact::<Vec<f64>>("a597.json"), "a598.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c599() -> Experiment {
    chain_link(c598.artifact::<Vec<f64>>("a598.json"), "a599.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c600() -> Experiment {
    chain_link(c599.artifact::<Vec<f64>>("a599.json"), "a600.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c601() -> Experiment {
    chain_link(c600.artifact::<Vec<f64>>("a600.json"), "a601.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c602() -> Experiment {
    chain_link(c601.artifact::<Vec<f64>>("a601.json"), "a602.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c603() -> Experiment {
    chain_link(c602.artifact::<Vec<f64>>("a602.json"), "a603.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c604() -> Experiment {
    chain_link(c603.artifact::<Vec<f64>>("a603.json"), "a604.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c605() -> Experiment {
    chain_link(c604.artifact::<Vec<f64>>("a604.json"), "a605.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c606() -> Experiment {
    chain_link(c605.artifact::<Vec<f64>>("a605.json"), "a606.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c607() -> Experiment {
    chain_link(c606.artifact::<Vec<f64>>("a606.json"), "a607.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c608() -> Experiment {
    chain_link(c607.artifact::<Vec<f64>>("a607.json"), "a608.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c609() -> Experiment {
    chain_link(c608.artifact::<Vec<f64>>("a608.json"), "a609.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c610() -> Experiment {
    chain_link(c609.artifact::<Vec<f64>>("a609.json"), "a610.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c611() -> Experiment {
    chain_link(c610.artifact::<Vec<f64>>("a610.json"), "a611.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c612() -> Experiment {
    chain_link(c611.artifact::<Vec<f64>>("a611.json"), "a612.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c613() -> Experiment {
    chain_link(c612.artifact::<Vec<f64>>("a612.json"), "a613.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c614() -> Experiment {
    chain_link(c613.artifact::<Vec<f64>>("a613.json"), "a614.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c615() -> Experiment {
    chain_link(c614.artifact::<Vec<f64>>("a614.json"), "a615.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c616() -> Experiment {
    chain_link(c615.artifact::<Vec<f64>>("a615.json"), "a616.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c617() -> Experiment {
    chain_link(c616.artifact::<Vec<f64>>("a616.json"), "a617.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c618() -> Experiment {
    chain_link(c617.artifact::<Vec<f64>>("a617.json"), "a618.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c619() -> Experiment {
    chain_link(c618.artifact::<Vec<f64>>("a618.json"), "a619.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c620() -> Experiment {
    chain_link(c619.artifact::<Vec<f64>>("a619.json"), "a620.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c621() -> Experiment {
    chain_link(c620.artifact::<Vec<f64>>("a620.json"), "a621.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c622() -> Experiment {
    chain_link(c621.artifact::<Vec<f64>>("a621.json"), "a622.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c623() -> Experiment {
    chain_link(c622.artifact::<Vec<f64>>("a622.json"), "a623.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c624() -> Experiment {
    chain_link(c623.artifact::<Vec<f64>>("a623.json"), "a624.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c625() -> Experiment {
    chain_link(c624.artifact::<Vec<f64>>("a624.json"), "a625.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c626() -> Experiment {
    chain_link(c625.artifact::<Vec<f64>>("a625.json"), "a626.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c627() -> Experiment {
    chain_link(c626.artifact::<Vec<f64>>("a626.json"), "a627.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c628() -> Experiment {
    chain_link(c627.artifact::<Vec<f64>>("a627.json"), "a628.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c629() -> Experiment {
    chain_link(c628.artifact::<Vec<f64>>("a628.json"), "a629.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c630() -> Experiment {
    chain_link(c629.artifact::<Vec<f64>>("a629.json"), "a630.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c631() -> Experiment {
    chain_link(c630.artifact::<Vec<f64>>("a630.json"), "a631.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c632() -> Experiment {
    chain_link(c631.artifact::<Vec<f64>>("a631.json"), "a632.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c633() -> Experiment {
    chain_link(c632.artifact::<Vec<f64>>("a632.json"), "a633.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c634() -> Experiment {
    chain_link(c633.artifact::<Vec<f64>>("a633.json"), "a634.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c635() -> Experiment {
    chain_link(c634.artifact::<Vec<f64>>("a634.json"), "a635.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c636() -> Experiment {
    chain_link(c635.artifact::<Vec<f64>>("a635.json"), "a636.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c637() -> Experiment {
    chain_link(c636.artifact::<Vec<f64>>("a636.json"), "a637.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c638() -> Experiment {
    chain_link(c637.artifact::<Vec<f64>>("a637.json"), "a638.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c639() -> Experiment {
    chain_link(c638.artifact::<Vec<f64>>("a638.json"), "a639.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c640() -> Experiment {
    chain_link(c639.artifact::<Vec<f64>>("a639.json"), "a640.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c641() -> Experiment {
    chain_link(c640.artifact::<Vec<f64>>("a640.json"), "a641.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c642() -> Experiment {
    chain_link(c641.artifact::<Vec<f64>>("a641.json"), "a642.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c643() -> Experiment {
    chain_link(c642.artifact::<Vec<f64>>("a642.json"), "a643.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c644() -> Experiment {
    chain_link(c643.artifact::<Vec<f64>>("a643.json"), "a644.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c645() -> Experiment {
    chain_link(c644.artifact::<Vec<f64>>("a644.json"), "a645.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c646() -> Experiment {
    chain_link(c645.artifact::<Vec<f64>>("a645.json"), "a646.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c647() -> Experiment {
    chain_link(c646.artifact::<Vec<f64>>("a646.json"), "a647.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c648() -> Experiment {
    chain_link(c647.artifact::<Vec<f64>>("a647.json"), "a648.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c649() -> Experiment {
    chain_link(c648.artifact::<Vec<f64>>("a648.json"), "a649.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c650() -> Experiment {
    chain_link(c649.artifact::<Vec<f64>>("a649.json"), "a650.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c651() -> Experiment {
    chain_link(c650.artifact::<Vec<f64>>("a650.json"), "a651.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c652() -> Experiment {
    chain_link(c651.artifact::<Vec<f64>>("a651.json"), "a652.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c653() -> Experiment {
    chain_link(c652.artifact::<Vec<f64>>("a652.json"), "a653.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c654() -> Experiment {
    chain_link(c653.artifact::<Vec<f64>>("a653.json"), "a654.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c655() -> Experiment {
    chain_link(c654.artifact::<Vec<f64>>("a654.json"), "a655.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c656() -> Experiment {
    chain_link(c655.artifact::<Vec<f64>>("a655.json"), "a656.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c657() -> Experiment {
    chain_link(c656.artifact::<Vec<f64>>("a656.json"), "a657.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c658() -> Experiment {
    chain_link(c657.artifact::<Vec<f64>>("a657.json"), "a658.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c659() -> Experiment {
    chain_link(c658.artifact::<Vec<f64>>("a658.json"), "a659.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c660() -> Experiment {
    chain_link(c659.artifact::<Vec<f64>>("a659.json"), "a660.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c661() -> Experiment {
    chain_link(c660.artifact::<Vec<f64>>("a660.json"), "a661.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c662() -> Experiment {
    chain_link(c661.artifact::<Vec<f64>>("a661.json"), "a662.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c663() -> Experiment {
    chain_link(c662.artifact::<Vec<f64>>("a662.json"), "a663.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c664() -> Experiment {
    chain_link(c663.artifact::<Vec<f64>>("a663.json"), "a664.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c665() -> Experiment {
    chain_link(c664.artifact::<Vec<f64>>("a664.json"), "a665.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c666() -> Experiment {
    chain_link(c665.artifact::<Vec<f64>>("a665.json"), "a666.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c667() -> Experiment {
    chain_link(c666.artifact::<Vec<f64>>("a666.json"), "a667.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c668() -> Experiment {
    chain_link(c667.artifact::<Vec<f64>>("a667.json"), "a668.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c669() -> Experiment {
    chain_link(c668.artifact::<Vec<f64>>("a668.json"), "a669.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c670() -> Experiment {
    chain_link(c669.artifact::<Vec<f64>>("a669.json"), "a670.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c671() -> Experiment {
    chain_link(c670.artifact::<Vec<f64>>("a670.json"), "a671.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c672() -> Experiment {
    chain_link(c671.artifact::<Vec<f64>>("a671.json"), "a672.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c673() -> Experiment {
    chain_link(c672.artifact::<Vec<f64>>("a672.json"), "a673.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c674() -> Experiment {
    chain_link(c673.artifact::<Vec<f64>>("a673.json"), "a674.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c675() -> Experiment {
    chain_link(c674.artifact::<Vec<f64>>("a674.json"), "a675.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c676() -> Experiment {
    chain_link(c675.artifact::<Vec<f64>>("a675.json"), "a676.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c677() -> Experiment {
    chain_link(c676.artifact::<Vec<f64>>("a676.json"), "a677.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c678() -> Experiment {
    chain_link(c677.artifact::<Vec<f64>>("a677.json"), "a678.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c679() -> Experiment {
    chain_link(c678.artifact::<Vec<f64>>("a678.json"), "a679.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c680() -> Experiment {
    chain_link(c679.artifact::<Vec<f64>>("a679.json"), "a680.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c681() -> Experiment {
    chain_link(c680.artifact::<Vec<f64>>("a680.json"), "a681.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c682() -> Experiment {
    chain_link(c681.artifact::<Vec<f64>>("a681.json"), "a682.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c683() -> Experiment {
    chain_link(c682.artifact::<Vec<f64>>("a682.json"), "a683.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c684() -> Experiment {
    chain_link(c683.artifact::<Vec<f64>>("a683.json"), "a684.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c685() -> Experiment {
    chain_link(c684.artifact::<Vec<f64>>("a684.json"), "a685.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c686() -> Experiment {
    chain_link(c685.artifact::<Vec<f64>>("a685.json"), "a686.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c687() -> Experiment {
    chain_link(c686.artifact::<Vec<f64>>("a686.json"), "a687.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c688() -> Experiment {
    chain_link(c687.artifact::<Vec<f64>>("a687.json"), "a688.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c689() -> Experiment {
    chain_link(c688.artifact::<Vec<f64>>("a688.json"), "a689.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c690() -> Experiment {
    chain_link(c689.artifact::<Vec<f64>>("a689.json"), "a690.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c691() -> Experiment {
    chain_link(c690.artifact::<Vec<f64>>("a690.json"), "a691.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c692() -> Experiment {
    chain_link(c691.artifact::<Vec<f64>>("a691.json"), "a692.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c693() -> Experiment {
    chain_link(c692.artifact::<Vec<f64>>("a692.json"), "a693.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c694() -> Experiment {
    chain_link(c693.artifact::<Vec<f64>>("a693.json"), "a694.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c695() -> Experiment {
    chain_link(c694.artifact::<Vec<f64>>("a694.json"), "a695.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c696() -> Experiment {
    chain_link(c695.artifact::<Vec<f64>>("a695.json"), "a696.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c697() -> Experiment {
    chain_link(c696.artifact::<Vec<f64>>("a696.json"), "a697.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c698() -> Experiment {
    chain_link(c697.artifact::<Vec<f64>>("a697.json"), "a698.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c699() -> Experiment {
    chain_link(c698.artifact::<Vec<f64>>("a698.json"), "a699.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c700() -> Experiment {
    chain_link(c699.artifact::<Vec<f64>>("a699.json"), "a700.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c701() -> Experiment {
    chain_link(c700.artifact::<Vec<f64>>("a700.json"), "a701.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c702() -> Experiment {
    chain_link(c701.artifact::<Vec<f64>>("a701.json"), "a702.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c703() -> Experiment {
    chain_link(c702.artifact::<Vec<f64>>("a702.json"), "a703.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c704() -> Experiment {
    chain_link(c703.artifact::<Vec<f64>>("a703.json"), "a704.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c705() -> Experiment {
    chain_link(c704.artifact::<Vec<f64>>("a704.json"), "a705.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c706() -> Experiment {
    chain_link(c705.artifact::<Vec<f64>>("a705.json"), "a706.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c707() -> Experiment {
    chain_link(c706.artifact::<Vec<f64>>("a706.json"), "a707.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c708() -> Experiment {
    chain_link(c707.artifact::<Vec<f64>>("a707.json"), "a708.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c709() -> Experiment {
    chain_link(c708.artifact::<Vec<f64>>("a708.json"), "a709.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c710() -> Experiment {
    chain_link(c709.artifact::<Vec<f64>>("a709.json"), "a710.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c711() -> Experiment {
    chain_link(c710.artifact::<Vec<f64>>("a710.json"), "a711.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c712() -> Experiment {
    chain_link(c711.artifact::<Vec<f64>>("a711.json"), "a712.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c713() -> Experiment {
    chain_link(c712.artifact::<Vec<f64>>("a712.json"), "a713.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c714() -> Experiment {
    chain_link(c713.artifact::<Vec<f64>>("a713.json"), "a714.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c715() -> Experiment {
    chain_link(c714.artifact::<Vec<f64>>("a714.json"), "a715.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c716() -> Experiment {
    chain_link(c715.artifact::<Vec<f64>>("a715.json"), "a716.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c717() -> Experiment {
    chain_link(c716.artifact::<Vec<f64>>("a716.json"), "a717.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c718() -> Experiment {
    chain_link(c717.artifact::<Vec<f64>>("a717.json"), "a718.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c719() -> Experiment {
    chain_link(c718.artifact::<Vec<f64>>("a718.json"), "a719.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c720() -> Experiment {
    chain_link(c719.artifact::<Vec<f64>>("a719.json"), "a720.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c721() -> Experiment {
    chain_link(c720.artifact::<Vec<f64>>("a720.json"), "a721.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c722() -> Experiment {
    chain_link(c721.artifact::<Vec<f64>>("a721.json"), "a722.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c723() -> Experiment {
    chain_link(c722.artifact::<Vec<f64>>("a722.json"), "a723.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c724() -> Experiment {
    chain_link(c723.artifact::<Vec<f64>>("a723.json"), "a724.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c725() -> Experiment {
    chain_link(c724.artifact::<Vec<f64>>("a724.json"), "a725.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c726() -> Experiment {
    chain_link(c725.artifact::<Vec<f64>>("a725.json"), "a726.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c727() -> Experiment {
    chain_link(c726.artifact::<Vec<f64>>("a726.json"), "a727.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c728() -> Experiment {
    chain_link(c727.artifact::<Vec<f64>>("a727.json"), "a728.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c729() -> Experiment {
    chain_link(c728.artifact::<Vec<f64>>("a728.json"), "a729.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c730() -> Experiment {
    chain_link(c729.artifact::<Vec<f64>>("a729.json"), "a730.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c731() -> Experiment {
    chain_link(c730.artifact::<Vec<f64>>("a730.json"), "a731.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c732() -> Experiment {
    chain_link(c731.artifact::<Vec<f64>>("a731.json"), "a732.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c733() -> Experiment {
    chain_link(c732.artifact::<Vec<f64>>("a732.json"), "a733.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c734() -> Experiment {
    chain_link(c733.artifact::<Vec<f64>>("a733.json"), "a734.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c735() -> Experiment {
    chain_link(c734.artifact::<Vec<f64>>("a734.json"), "a735.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c736() -> Experiment {
    chain_link(c735.artifact::<Vec<f64>>("a735.json"), "a736.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c737() -> Experiment {
    chain_link(c736.artifact::<Vec<f64>>("a736.json"), "a737.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c738() -> Experiment {
    chain_link(c737.artifact::<Vec<f64>>("a737.json"), "a738.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c739() -> Experiment {
    chain_link(c738.artifact::<Vec<f64>>("a738.json"), "a739.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c740() -> Experiment {
    chain_link(c739.artifact::<Vec<f64>>("a739.json"), "a740.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c741() -> Experiment {
    chain_link(c740.artifact::<Vec<f64>>("a740.json"), "a741.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c742() -> Experiment {
    chain_link(c741.artifact::<Vec<f64>>("a741.json"), "a742.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c743() -> Experiment {
    chain_link(c742.artifact::<Vec<f64>>("a742.json"), "a743.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c744() -> Experiment {
    chain_link(c743.artifact::<Vec<f64>>("a743.json"), "a744.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c745() -> Experiment {
    chain_link(c744.artifact::<Vec<f64>>("a744.json"), "a745.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c746() -> Experiment {
    chain_link(c745.artifact::<Vec<f64>>("a745.json"), "a746.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c747() -> Experiment {
    chain_link(c746.artifact::<Vec<f64>>("a746.json"), "a747.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c748() -> Experiment {
    chain_link(c747.artifact::<Vec<f64>>("a747.json"), "a748.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c749() -> Experiment {
    chain_link(c748.artifact::<Vec<f64>>("a748.json"), "a749.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c750() -> Experiment {
    chain_link(c749.artifact::<Vec<f64>>("a749.json"), "a750.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c751() -> Experiment {
    chain_link(c750.artifact::<Vec<f64>>("a750.json"), "a751.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c752() -> Experiment {
    chain_link(c751.artifact::<Vec<f64>>("a751.json"), "a752.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c753() -> Experiment {
    chain_link(c752.artifact::<Vec<f64>>("a752.json"), "a753.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c754() -> Experiment {
    chain_link(c753.artifact::<Vec<f64>>("a753.json"), "a754.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c755() -> Experiment {
    chain_link(c754.artifact::<Vec<f64>>("a754.json"), "a755.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c756() -> Experiment {
    chain_link(c755.artifact::<Vec<f64>>("a755.json"), "a756.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c757() -> Experiment {
    chain_link(c756.artifact::<Vec<f64>>("a756.json"), "a757.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c758() -> Experiment {
    chain_link(c757.artifact::<Vec<f64>>("a757.json"), "a758.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c759() -> Experiment {
    chain_link(c758.artifact::<Vec<f64>>("a758.json"), "a759.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c760() -> Experiment {
    chain_link(c759.artifact::<Vec<f64>>("a759.json"), "a760.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c761() -> Experiment {
    chain_link(c760.artifact::<Vec<f64>>("a760.json"), "a761.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c762() -> Experiment {
    chain_link(c761.artifact::<Vec<f64>>("a761.json"), "a762.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c763() -> Experiment {
    chain_link(c762.artifact::<Vec<f64>>("a762.json"), "a763.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c764() -> Experiment {
    chain_link(c763.artifact::<Vec<f64>>("a763.json"), "a764.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c765() -> Experiment {
    chain_link(c764.artifact::<Vec<f64>>("a764.json"), "a765.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c766() -> Experiment {
    chain_link(c765.artifact::<Vec<f64>>("a765.json"), "a766.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c767() -> Experiment {
    chain_link(c766.artifact::<Vec<f64>>("a766.json"), "a767.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c768() -> Experiment {
    chain_link(c767.artifact::<Vec<f64>>("a767.json"), "a768.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c769() -> Experiment {
    chain_link(c768.artifact::<Vec<f64>>("a768.json"), "a769.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c770() -> Experiment {
    chain_link(c769.artifact::<Vec<f64>>("a769.json"), "a770.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c771() -> Experiment {
    chain_link(c770.artifact::<Vec<f64>>("a770.json"), "a771.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c772() -> Experiment {
    chain_link(c771.artifact::<Vec<f64>>("a771.json"), "a772.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c773() -> Experiment {
    chain_link(c772.artifact::<Vec<f64>>("a772.json"), "a773.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c774() -> Experiment {
    chain_link(c773.artifact::<Vec<f64>>("a773.json"), "a774.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c775() -> Experiment {
    chain_link(c774.artifact::<Vec<f64>>("a774.json"), "a775.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c776() -> Experiment {
    chain_link(c775.artifact::<Vec<f64>>("a775.json"), "a776.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c777() -> Experiment {
    chain_link(c776.artifact::<Vec<f64>>("a776.json"), "a777.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c778() -> Experiment {
    chain_link(c777.artifact::<Vec<f64>>("a777.json"), "a778.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c779() -> Experiment {
    chain_link(c778.artifact::<Vec<f64>>("a778.json"), "a779.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c780() -> Experiment {
    chain_link(c779.artifact::<Vec<f64>>("a779.json"), "a780.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c781() -> Experiment {
    chain_link(c780.artifact::<Vec<f64>>("a780.json"), "a781.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c782() -> Experiment {
    chain_link(c781.artifact::<Vec<f64>>("a781.json"), "a782.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c783() -> Experiment {
    chain_link(c782.artifact::<Vec<f64>>("a782.json"), "a783.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c784() -> Experiment {
    chain_link(c783.artifact::<Vec<f64>>("a783.json"), "a784.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c785() -> Experiment {
    chain_link(c784.artifact::<Vec<f64>>("a784.json"), "a785.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c786() -> Experiment {
    chain_link(c785.artifact::<Vec<f64>>("a785.json"), "a786.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c787() -> Experiment {
    chain_link(c786.artifact::<Vec<f64>>("a786.json"), "a787.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c788() -> Experiment {
    chain_link(c787.artifact::<Vec<f64>>("a787.json"), "a788.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c789() -> Experiment {
    chain_link(c788.artifact::<Vec<f64>>("a788.json"), "a789.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c790() -> Experiment {
    chain_link(c789.artifact::<Vec<f64>>("a789.json"), "a790.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c791() -> Experiment {
    chain_link(c790.artifact::<Vec<f64>>("a790.json"), "a791.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c792() -> Experiment {
    chain_link(c791.artifact::<Vec<f64>>("a791.json"), "a792.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c793() -> Experiment {
    chain_link(c792.artifact::<Vec<f64>>("a792.json"), "a793.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c794() -> Experiment {
    chain_link(c793.artifact::<Vec<f64>>("a793.json"), "a794.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c795() -> Experiment {
    chain_link(c794.artifact::<Vec<f64>>("a794.json"), "a795.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c796() -> Experiment {
    chain_link(c795.artifact::<Vec<f64>>("a795.json"), "a796.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c797() -> Experiment {
    chain_link(c796.artifact::<Vec<f64>>("a796.json"), "a797.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c798() -> Experiment {
    chain_link(c797.artifact::<Vec<f64>>("a797.json"), "a798.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c799() -> Experiment {
    chain_link(c798.artifact::<Vec<f64>>("a798.json"), "a799.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c800() -> Experiment {
    chain_link(c799.artifact::<Vec<f64>>("a799.json"), "a800.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c801() -> Experiment {
    chain_link(c800.artifact::<Vec<f64>>("a800.json"), "a801.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c802() -> Experiment {
    chain_link(c801.artifact::<Vec<f64>>("a801.json"), "a802.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c803() -> Experiment {
    chain_link(c802.artifact::<Vec<f64>>("a802.json"), "a803.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c804() -> Experiment {
    chain_link(c803.artifact::<Vec<f64>>("a803.json"), "a804.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c805() -> Experiment {
    chain_link(c804.artifact::<Vec<f64>>("a804.json"), "a805.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c806() -> Experiment {
    chain_link(c805.artifact::<Vec<f64>>("a805.json"), "a806.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c807() -> Experiment {
    chain_link(c806.artifact::<Vec<f64>>("a806.json"), "a807.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c808() -> Experiment {
    chain_link(c807.artifact::<Vec<f64>>("a807.json"), "a808.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c809() -> Experiment {
    chain_link(c808.artifact::<Vec<f64>>("a808.json"), "a809.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c810() -> Experiment {
    chain_link(c809.artifact::<Vec<f64>>("a809.json"), "a810.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c811() -> Experiment {
    chain_link(c810.artifact::<Vec<f64>>("a810.json"), "a811.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c812() -> Experiment {
    chain_link(c811.artifact::<Vec<f64>>("a811.json"), "a812.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c813() -> Experiment {
    chain_link(c812.artifact::<Vec<f64>>("a812.json"), "a813.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c814() -> Experiment {
    chain_link(c813.artifact::<Vec<f64>>("a813.json"), "a814.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c815() -> Experiment {
    chain_link(c814.artifact::<Vec<f64>>("a814.json"), "a815.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c816() -> Experiment {
    chain_link(c815.artifact::<Vec<f64>>("a815.json"), "a816.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c817() -> Experiment {
    chain_link(c816.artifact::<Vec<f64>>("a816.json"), "a817.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c818() -> Experiment {
    chain_link(c817.artifact::<Vec<f64>>("a817.json"), "a818.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c819() -> Experiment {
    chain_link(c818.artifact::<Vec<f64>>("a818.json"), "a819.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c820() -> Experiment {
    chain_link(c819.artifact::<Vec<f64>>("a819.json"), "a820.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c821() -> Experiment {
    chain_link(c820.artifact::<Vec<f64>>("a820.json"), "a821.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c822() -> Experiment {
    chain_link(c821.artifact::<Vec<f64>>("a821.json"), "a822.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c823() -> Experiment {
    chain_link(c822.artifact::<Vec<f64>>("a822.json"), "a823.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c824() -> Experiment {
    chain_link(c823.artifact::<Vec<f64>>("a823.json"), "a824.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c825() -> Experiment {
    chain_link(c824.artifact::<Vec<f64>>("a824.json"), "a825.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c826() -> Experiment {
    chain_link(c825.artifact::<Vec<f64>>("a825.json"), "a826.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c827() -> Experiment {
    chain_link(c826.artifact::<Vec<f64>>("a826.json"), "a827.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c828() -> Experiment {
    chain_link(c827.artifact::<Vec<f64>>("a827.json"), "a828.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c829() -> Experiment {
    chain_link(c828.artifact::<Vec<f64>>("a828.json"), "a829.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c830() -> Experiment {
    chain_link(c829.artifact::<Vec<f64>>("a829.json"), "a830.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c831() -> Experiment {
    chain_link(c830.artifact::<Vec<f64>>("a830.json"), "a831.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c832() -> Experiment {
    chain_link(c831.artifact::<Vec<f64>>("a831.json"), "a832.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c833() -> Experiment {
    chain_link(c832.artifact::<Vec<f64>>("a832.json"), "a833.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c834() -> Experiment {
    chain_link(c833.artifact::<Vec<f64>>("a833.json"), "a834.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c835() -> Experiment {
    chain_link(c834.artifact::<Vec<f64>>("a834.json"), "a835.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c836() -> Experiment {
    chain_link(c835.artifact::<Vec<f64>>("a835.json"), "a836.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c837() -> Experiment {
    chain_link(c836.artifact::<Vec<f64>>("a836.json"), "a837.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c838() -> Experiment {
    chain_link(c837.artifact::<Vec<f64>>("a837.json"), "a838.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c839() -> Experiment {
    chain_link(c838.artifact::<Vec<f64>>("a838.json"), "a839.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c840() -> Experiment {
    chain_link(c839.artifact::<Vec<f64>>("a839.json"), "a840.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c841() -> Experiment {
    chain_link(c840.artifact::<Vec<f64>>("a840.json"), "a841.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c842() -> Experiment {
    chain_link(c841.artifact::<Vec<f64>>("a841.json"), "a842.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c843() -> Experiment {
    chain_link(c842.artifact::<Vec<f64>>("a842.json"), "a843.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c844() -> Experiment {
    chain_link(c843.artifact::<Vec<f64>>("a843.json"), "a844.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c845() -> Experiment {
    chain_link(c844.artifact::<Vec<f64>>("a844.json"), "a845.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c846() -> Experiment {
    chain_link(c845.artifact::<Vec<f64>>("a845.json"), "a846.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c847() -> Experiment {
    chain_link(c846.artifact::<Vec<f64>>("a846.json"), "a847.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c848() -> Experiment {
    chain_link(c847.artifact::<Vec<f64>>("a847.json"), "a848.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c849() -> Experiment {
    chain_link(c848.artifact::<Vec<f64>>("a848.json"), "a849.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c850() -> Experiment {
    chain_link(c849.artifact::<Vec<f64>>("a849.json"), "a850.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c851() -> Experiment {
    chain_link(c850.artifact::<Vec<f64>>("a850.json"), "a851.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c852() -> Experiment {
    chain_link(c851.artifact::<Vec<f64>>("a851.json"), "a852.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c853() -> Experiment {
    chain_link(c852.artifact::<Vec<f64>>("a852.json"), "a853.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c854() -> Experiment {
    chain_link(c853.artifact::<Vec<f64>>("a853.json"), "a854.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c855() -> Experiment {
    chain_link(c854.artifact::<Vec<f64>>("a854.json"), "a855.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c856() -> Experiment {
    chain_link(c855.artifact::<Vec<f64>>("a855.json"), "a856.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c857() -> Experiment {
    chain_link(c856.artifact::<Vec<f64>>("a856.json"), "a857.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c858() -> Experiment {
    chain_link(c857.artifact::<Vec<f64>>("a857.json"), "a858.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c859() -> Experiment {
    chain_link(c858.artifact::<Vec<f64>>("a858.json"), "a859.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c860() -> Experiment {
    chain_link(c859.artifact::<Vec<f64>>("a859.json"), "a860.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c861() -> Experiment {
    chain_link(c860.artifact::<Vec<f64>>("a860.json"), "a861.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c862() -> Experiment {
    chain_link(c861.artifact::<Vec<f64>>("a861.json"), "a862.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c863() -> Experiment {
    chain_link(c862.artifact::<Vec<f64>>("a862.json"), "a863.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c864() -> Experiment {
    chain_link(c863.artifact::<Vec<f64>>("a863.json"), "a864.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c865() -> Experiment {
    chain_link(c864.artifact::<Vec<f64>>("a864.json"), "a865.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c866() -> Experiment {
    chain_link(c865.artifact::<Vec<f64>>("a865.json"), "a866.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c867() -> Experiment {
    chain_link(c866.artifact::<Vec<f64>>("a866.json"), "a867.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c868() -> Experiment {
    chain_link(c867.artifact::<Vec<f64>>("a867.json"), "a868.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c869() -> Experiment {
    chain_link(c868.artifact::<Vec<f64>>("a868.json"), "a869.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c870() -> Experiment {
    chain_link(c869.artifact::<Vec<f64>>("a869.json"), "a870.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c871() -> Experiment {
    chain_link(c870.artifact::<Vec<f64>>("a870.json"), "a871.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c872() -> Experiment {
    chain_link(c871.artifact::<Vec<f64>>("a871.json"), "a872.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c873() -> Experiment {
    chain_link(c872.artifact::<Vec<f64>>("a872.json"), "a873.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c874() -> Experiment {
    chain_link(c873.artifact::<Vec<f64>>("a873.json"), "a874.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c875() -> Experiment {
    chain_link(c874.artifact::<Vec<f64>>("a874.json"), "a875.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c876() -> Experiment {
    chain_link(c875.artifact::<Vec<f64>>("a875.json"), "a876.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c877() -> Experiment {
    chain_link(c876.artifact::<Vec<f64>>("a876.json"), "a877.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c878() -> Experiment {
    chain_link(c877.artifact::<Vec<f64>>("a877.json"), "a878.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c879() -> Experiment {
    chain_link(c878.artifact::<Vec<f64>>("a878.json"), "a879.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c880() -> Experiment {
    chain_link(c879.artifact::<Vec<f64>>("a879.json"), "a880.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c881() -> Experiment {
    chain_link(c880.artifact::<Vec<f64>>("a880.json"), "a881.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c882() -> Experiment {
    chain_link(c881.artifact::<Vec<f64>>("a881.json"), "a882.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c883() -> Experiment {
    chain_link(c882.artifact::<Vec<f64>>("a882.json"), "a883.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c884() -> Experiment {
    chain_link(c883.artifact::<Vec<f64>>("a883.json"), "a884.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c885() -> Experiment {
    chain_link(c884.artifact::<Vec<f64>>("a884.json"), "a885.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c886() -> Experiment {
    chain_link(c885.artifact::<Vec<f64>>("a885.json"), "a886.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c887() -> Experiment {
    chain_link(c886.artifact::<Vec<f64>>("a886.json"), "a887.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c888() -> Experiment {
    chain_link(c887.artifact::<Vec<f64>>("a887.json"), "a888.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c889() -> Experiment {
    chain_link(c888.artifact::<Vec<f64>>("a888.json"), "a889.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c890() -> Experiment {
    chain_link(c889.artifact::<Vec<f64>>("a889.json"), "a890.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c891() -> Experiment {
    chain_link(c890.artifact::<Vec<f64>>("a890.json"), "a891.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c892() -> Experiment {
    chain_link(c891.artifact::<Vec<f64>>("a891.json"), "a892.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c893() -> Experiment {
    chain_link(c892.artifact::<Vec<f64>>("a892.json"), "a893.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c894() -> Experiment {
    chain_link(c893.artifact::<Vec<f64>>("a893.json"), "a894.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c895() -> Experiment {
    chain_link(c894.artifact::<Vec<f64>>("a894.json"), "a895.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c896() -> Experiment {
    chain_link(c895.artifact::<Vec<f64>>("a895.json"), "a896.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c897() -> Experiment {
    chain_link(c896.artifact::<Vec<f64>>("a896.json"), "a897.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c898() -> Experiment {
    chain_link(c897.artifact::<Vec<f64>>("a897.json"), "a898.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c899() -> Experiment {
    chain_link(c898.artifact::<Vec<f64>>("a898.json"), "a899.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c900() -> Experiment {
    chain_link(c899.artifact::<Vec<f64>>("a899.json"), "a900.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c901() -> Experiment {
    chain_link(c900.artifact::<Vec<f64>>("a900.json"), "a901.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c902() -> Experiment {
    chain_link(c901.artifact::<Vec<f64>>("a901.json"), "a902.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c903() -> Experiment {
    chain_link(c902.artifact::<Vec<f64>>("a902.json"), "a903.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c904() -> Experiment {
    chain_link(c903.artifact::<Vec<f64>>("a903.json"), "a904.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c905() -> Experiment {
    chain_link(c904.artifact::<Vec<f64>>("a904.json"), "a905.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c906() -> Experiment {
    chain_link(c905.artifact::<Vec<f64>>("a905.json"), "a906.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c907() -> Experiment {
    chain_link(c906.artifact::<Vec<f64>>("a906.json"), "a907.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c908() -> Experiment {
    chain_link(c907.artifact::<Vec<f64>>("a907.json"), "a908.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c909() -> Experiment {
    chain_link(c908.artifact::<Vec<f64>>("a908.json"), "a909.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c910() -> Experiment {
    chain_link(c909.artifact::<Vec<f64>>("a909.json"), "a910.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c911() -> Experiment {
    chain_link(c910.artifact::<Vec<f64>>("a910.json"), "a911.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c912() -> Experiment {
    chain_link(c911.artifact::<Vec<f64>>("a911.json"), "a912.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c913() -> Experiment {
    chain_link(c912.artifact::<Vec<f64>>("a912.json"), "a913.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c914() -> Experiment {
    chain_link(c913.artifact::<Vec<f64>>("a913.json"), "a914.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c915() -> Experiment {
    chain_link(c914.artifact::<Vec<f64>>("a914.json"), "a915.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c916() -> Experiment {
    chain_link(c915.artifact::<Vec<f64>>("a915.json"), "a916.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c917() -> Experiment {
    chain_link(c916.artifact::<Vec<f64>>("a916.json"), "a917.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c918() -> Experiment {
    chain_link(c917.artifact::<Vec<f64>>("a917.json"), "a918.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c919() -> Experiment {
    chain_link(c918.artifact::<Vec<f64>>("a918.json"), "a919.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c920() -> Experiment {
    chain_link(c919.artifact::<Vec<f64>>("a919.json"), "a920.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c921() -> Experiment {
    chain_link(c920.artifact::<Vec<f64>>("a920.json"), "a921.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c922() -> Experiment {
    chain_link(c921.artifact::<Vec<f64>>("a921.json"), "a922.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c923() -> Experiment {
    chain_link(c922.artifact::<Vec<f64>>("a922.json"), "a923.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c924() -> Experiment {
    chain_link(c923.artifact::<Vec<f64>>("a923.json"), "a924.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c925() -> Experiment {
    chain_link(c924.artifact::<Vec<f64>>("a924.json"), "a925.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c926() -> Experiment {
    chain_link(c925.artifact::<Vec<f64>>("a925.json"), "a926.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c927() -> Experiment {
    chain_link(c926.artifact::<Vec<f64>>("a926.json"), "a927.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c928() -> Experiment {
    chain_link(c927.artifact::<Vec<f64>>("a927.json"), "a928.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c929() -> Experiment {
    chain_link(c928.artifact::<Vec<f64>>("a928.json"), "a929.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c930() -> Experiment {
    chain_link(c929.artifact::<Vec<f64>>("a929.json"), "a930.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c931() -> Experiment {
    chain_link(c930.artifact::<Vec<f64>>("a930.json"), "a931.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c932() -> Experiment {
    chain_link(c931.artifact::<Vec<f64>>("a931.json"), "a932.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c933() -> Experiment {
    chain_link(c932.artifact::<Vec<f64>>("a932.json"), "a933.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c934() -> Experiment {
    chain_link(c933.artifact::<Vec<f64>>("a933.json"), "a934.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c935() -> Experiment {
    chain_link(c934.artifact::<Vec<f64>>("a934.json"), "a935.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c936() -> Experiment {
    chain_link(c935.artifact::<Vec<f64>>("a935.json"), "a936.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c937() -> Experiment {
    chain_link(c936.artifact::<Vec<f64>>("a936.json"), "a937.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c938() -> Experiment {
    chain_link(c937.artifact::<Vec<f64>>("a937.json"), "a938.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c939() -> Experiment {
    chain_link(c938.artifact::<Vec<f64>>("a938.json"), "a939.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c940() -> Experiment {
    chain_link(c939.artifact::<Vec<f64>>("a939.json"), "a940.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c941() -> Experiment {
    chain_link(c940.artifact::<Vec<f64>>("a940.json"), "a941.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c942() -> Experiment {
    chain_link(c941.artifact::<Vec<f64>>("a941.json"), "a942.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c943() -> Experiment {
    chain_link(c942.artifact::<Vec<f64>>("a942.json"), "a943.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c944() -> Experiment {
    chain_link(c943.artifact::<Vec<f64>>("a943.json"), "a944.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c945() -> Experiment {
    chain_link(c944.artifact::<Vec<f64>>("a944.json"), "a945.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c946() -> Experiment {
    chain_link(c945.artifact::<Vec<f64>>("a945.json"), "a946.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c947() -> Experiment {
    chain_link(c946.artifact::<Vec<f64>>("a946.json"), "a947.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c948() -> Experiment {
    chain_link(c947.artifact::<Vec<f64>>("a947.json"), "a948.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c949() -> Experiment {
    chain_link(c948.artifact::<Vec<f64>>("a948.json"), "a949.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c950() -> Experiment {
    chain_link(c949.artifact::<Vec<f64>>("a949.json"), "a950.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c951() -> Experiment {
    chain_link(c950.artifact::<Vec<f64>>("a950.json"), "a951.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c952() -> Experiment {
    chain_link(c951.artifact::<Vec<f64>>("a951.json"), "a952.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c953() -> Experiment {
    chain_link(c952.artifact::<Vec<f64>>("a952.json"), "a953.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c954() -> Experiment {
    chain_link(c953.artifact::<Vec<f64>>("a953.json"), "a954.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c955() -> Experiment {
    chain_link(c954.artifact::<Vec<f64>>("a954.json"), "a955.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c956() -> Experiment {
    chain_link(c955.artifact::<Vec<f64>>("a955.json"), "a956.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c957() -> Experiment {
    chain_link(c956.artifact::<Vec<f64>>("a956.json"), "a957.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c958() -> Experiment {
    chain_link(c957.artifact::<Vec<f64>>("a957.json"), "a958.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c959() -> Experiment {
    chain_link(c958.artifact::<Vec<f64>>("a958.json"), "a959.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c960() -> Experiment {
    chain_link(c959.artifact::<Vec<f64>>("a959.json"), "a960.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c961() -> Experiment {
    chain_link(c960.artifact::<Vec<f64>>("a960.json"), "a961.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c962() -> Experiment {
    chain_link(c961.artifact::<Vec<f64>>("a961.json"), "a962.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c963() -> Experiment {
    chain_link(c962.artifact::<Vec<f64>>("a962.json"), "a963.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c964() -> Experiment {
    chain_link(c963.artifact::<Vec<f64>>("a963.json"), "a964.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c965() -> Experiment {
    chain_link(c964.artifact::<Vec<f64>>("a964.json"), "a965.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c966() -> Experiment {
    chain_link(c965.artifact::<Vec<f64>>("a965.json"), "a966.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c967() -> Experiment {
    chain_link(c966.artifact::<Vec<f64>>("a966.json"), "a967.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c968() -> Experiment {
    chain_link(c967.artifact::<Vec<f64>>("a967.json"), "a968.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c969() -> Experiment {
    chain_link(c968.artifact::<Vec<f64>>("a968.json"), "a969.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c970() -> Experiment {
    chain_link(c969.artifact::<Vec<f64>>("a969.json"), "a970.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c971() -> Experiment {
    chain_link(c970.artifact::<Vec<f64>>("a970.json"), "a971.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c972() -> Experiment {
    chain_link(c971.artifact::<Vec<f64>>("a971.json"), "a972.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c973() -> Experiment {
    chain_link(c972.artifact::<Vec<f64>>("a972.json"), "a973.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c974() -> Experiment {
    chain_link(c973.artifact::<Vec<f64>>("a973.json"), "a974.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c975() -> Experiment {
    chain_link(c974.artifact::<Vec<f64>>("a974.json"), "a975.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c976() -> Experiment {
    chain_link(c975.artifact::<Vec<f64>>("a975.json"), "a976.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c977() -> Experiment {
    chain_link(c976.artifact::<Vec<f64>>("a976.json"), "a977.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c978() -> Experiment {
    chain_link(c977.artifact::<Vec<f64>>("a977.json"), "a978.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c979() -> Experiment {
    chain_link(c978.artifact::<Vec<f64>>("a978.json"), "a979.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c980() -> Experiment {
    chain_link(c979.artifact::<Vec<f64>>("a979.json"), "a980.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c981() -> Experiment {
    chain_link(c980.artifact::<Vec<f64>>("a980.json"), "a981.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c982() -> Experiment {
    chain_link(c981.artifact::<Vec<f64>>("a981.json"), "a982.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c983() -> Experiment {
    chain_link(c982.artifact::<Vec<f64>>("a982.json"), "a983.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c984() -> Experiment {
    chain_link(c983.artifact::<Vec<f64>>("a983.json"), "a984.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c985() -> Experiment {
    chain_link(c984.artifact::<Vec<f64>>("a984.json"), "a985.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c986() -> Experiment {
    chain_link(c985.artifact::<Vec<f64>>("a985.json"), "a986.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c987() -> Experiment {
    chain_link(c986.artifact::<Vec<f64>>("a986.json"), "a987.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c988() -> Experiment {
    chain_link(c987.artifact::<Vec<f64>>("a987.json"), "a988.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c989() -> Experiment {
    chain_link(c988.artifact::<Vec<f64>>("a988.json"), "a989.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c990() -> Experiment {
    chain_link(c989.artifact::<Vec<f64>>("a989.json"), "a990.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c991() -> Experiment {
    chain_link(c990.artifact::<Vec<f64>>("a990.json"), "a991.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c992() -> Experiment {
    chain_link(c991.artifact::<Vec<f64>>("a991.json"), "a992.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c993() -> Experiment {
    chain_link(c992.artifact::<Vec<f64>>("a992.json"), "a993.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c994() -> Experiment {
    chain_link(c993.artifact::<Vec<f64>>("a993.json"), "a994.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c995() -> Experiment {
    chain_link(c994.artifact::<Vec<f64>>("a994.json"), "a995.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c996() -> Experiment {
    chain_link(c995.artifact::<Vec<f64>>("a995.json"), "a996.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c997() -> Experiment {
    chain_link(c996.artifact::<Vec<f64>>("a996.json"), "a997.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c998() -> Experiment {
    chain_link(c997.artifact::<Vec<f64>>("a997.json"), "a998.json")
}

#[experiment(replicates = 10, versioned, seed = 7)]
fn c999() -> Experiment {
    chain_link(c998.artifact::<Vec<f64>>("a998.json"), "a999.json")
}

fn main() {
    crystallize::main()
}
