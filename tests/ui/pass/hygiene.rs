//! The macros add no name that can collide with the user's: a source named `String`, steps named
//! `f64` and `Ctx`, an experiment named `u32`, params named like the glue's variables, items
//! named like what the glue declares (`POINTER`, `BUILD`, `INFO`, the inner function the
//! expansion used to emit), all in one module that still uses the `String`, `f64`, `u32` and
//! `Ctx` types. The pipeline runs through the command line.

#![allow(non_snake_case)]

use crystallize::prelude::*;

/// Used as an array length in a step's signature: the glue must not shadow it.
const POINTER: usize = 2;
/// Named like the associated constants of the generated types.
const BUILD: u32 = 3;
#[allow(dead_code)]
const INFO: &str = "mine";

/// Named like the hidden function an earlier expansion of `f64` declared in this module.
fn __crystallize_f64(x: f64) -> f64 {
    x + 0.5
}

/// A source named `String`: `String` the type still works below.
#[source]
fn String(count: usize) -> Vec<f64> {
    let label: String = String::from("numbers");
    assert_eq!(label.len(), 7);
    (0..count).map(|i| i as f64).collect()
}

/// A step named `f64`, whose param is an `f64`.
#[step]
fn f64(data: Vec<f64>, factor: f64) -> Vec<f64> {
    data.into_iter().map(|x| x * factor).collect()
}

/// A step named `Ctx`, taking a `&mut Ctx`.
#[step]
fn Ctx(data: Vec<f64>, ctx: &mut Ctx) -> [f64; POINTER] {
    ctx.record("first", data[0]);
    [data[0], data[1]]
}

/// Params named like the glue's variables, and the context named like its context variable.
#[step]
fn reserved(
    data: [f64; POINTER],
    __crystallize_ctx: f64,
    __crystallize_input: f64,
    __crystallize_param_1: f64,
    __crystallize_output: f64,
    __CrystallizeIn: u32,
    __crystallize_define: Ctx_ctx::Unit,
    crystallize_ctx: &mut Ctx,
) -> Result<f64, StepError> {
    let total = data[0]
        + data[1]
        + __crystallize_ctx
        + __crystallize_input
        + __crystallize_param_1
        + __crystallize_output
        + __CrystallizeIn as f64
        + BUILD as f64;
    let _ = __crystallize_define;
    crystallize_ctx.record("total", total);
    crystallize_ctx.write_json("total.json", &total)?;
    Ok(total)
}

mod Ctx_ctx {
    #[derive(Debug, serde::Deserialize)]
    pub struct Unit;
}

/// An experiment named `u32`.
#[experiment]
fn u32() -> Experiment {
    let count: u32 = 4;
    Experiment::from(String)
        .param("count", count)
        .param("factor", 2.0)
        .param("__crystallize_ctx", 1.0)
        .param("__crystallize_input", 10.0)
        .param("__crystallize_param_1", 100.0)
        .param("__crystallize_output", 1000.0)
        .param("__CrystallizeIn", 10000)
        .param("__crystallize_define", ())
        .step(f64)
        .step(Ctx)
        .step(reserved)
        .output("total.json")
}

/// Reads what `u32` publishes: `u32` is the experiment here, and `u32` the type still works.
#[experiment]
fn consumer() -> Experiment {
    Experiment::from(u32.artifact::<f64>("total.json")).step(halve)
}

#[step]
fn halve(data: f64, ctx: &mut Ctx) -> f64 {
    let half = data / 2.0;
    ctx.record("half", half);
    half
}

fn main() {
    let n: u32 = 5;
    let x: f64 = __crystallize_f64(f64::from(n));
    assert_eq!(x, 5.5);
    assert_eq!(String(3), vec![0.0, 1.0, 2.0]);
    assert_eq!(f64(vec![1.0, 2.0], 3.0), vec![3.0, 6.0]);
    let mut ctx = Ctx::standalone();
    assert_eq!(Ctx(vec![4.0, 5.0, 6.0], &mut ctx), [4.0, 5.0]);
    assert_eq!(ctx.metrics()["first"], 4.0);
    let __crystallize_ctx = 1.0;
    let mut other = Ctx::standalone();
    let total = reserved(
        [1.0, 2.0],
        __crystallize_ctx,
        0.0,
        0.0,
        0.0,
        0,
        Ctx_ctx::Unit,
        &mut other,
    );
    assert_eq!(total, Ok(1.0 + 2.0 + 1.0 + BUILD as f64));
    let stages: Vec<_> = u32()
        .stages()
        .iter()
        .map(|stage| stage.name.to_string())
        .collect();
    assert_eq!(stages, ["String", "f64", "Ctx", "reserved"]);
    assert_eq!(u32.name(), "u32");
    assert_eq!(consumer.name(), "consumer");

    let data = std::env::temp_dir().join(format!("crystallize-hygiene-{}", std::process::id()));
    std::fs::create_dir_all(&data).expect("a temporary directory");
    let code = crystallize::run_cli([
        "hygiene".as_ref(),
        "--data-dir".as_ref(),
        data.as_os_str(),
        "run".as_ref(),
    ]);
    assert_eq!(code, 0);
    // [0, 1, 2, 3] doubled is [0, 2, 4, 6]; the first two plus the params.
    let expected = 0.0 + 2.0 + 1.0 + 10.0 + 100.0 + 1000.0 + 10000.0 + 3.0;
    let results = std::fs::read_to_string(data.join("u32/v0/baseline/results.json"))
        .expect("u32 wrote its results");
    assert!(results.contains(&format!("{expected}")), "{results}");
    let results = std::fs::read_to_string(data.join("consumer/v0/baseline/results.json"))
        .expect("consumer wrote its results");
    assert!(results.contains(&format!("{}", expected / 2.0)), "{results}");
    std::fs::remove_dir_all(&data).expect("cleanup");
}
