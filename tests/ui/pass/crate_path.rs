//! `crate = path` on every attribute: crystallize reached through a re-export. `::crystallize`
//! names this crate here (`extern crate self as crystallize`), so an expansion that ignored the
//! option would not compile.

extern crate self as crystallize;

mod reexport {
    pub extern crate crystallize;
}

use reexport::crystallize::prelude::*;

#[reexport::crystallize::code(crate = reexport::crystallize)]
fn offset() -> f64 {
    0.5
}

#[source(crate = reexport::crystallize, uses(offset))]
fn numbers(ctx: &Ctx) -> Vec<f64> {
    vec![ctx.replicate() as f64 + offset()]
}

#[step(crate = crate::reexport::crystallize, cache, name = "scaled")]
fn scale(data: Vec<f64>, factor: f64) -> Vec<f64> {
    data.into_iter().map(|x| x * factor).collect()
}

// The string form serde uses is accepted too.
#[step(crate = "reexport::crystallize")]
fn total(data: Vec<f64>, ctx: &mut Ctx) -> f64 {
    let total = data.iter().sum();
    ctx.record("total", total);
    total
}

#[experiment(crate = reexport::crystallize, replicates = 2)]
fn reexported() -> Experiment {
    Experiment::from(numbers)
        .param("factor", 2.0)
        .step(scale)
        .step(total)
}

fn main() {
    assert_eq!(scale(vec![1.0], 3.0), vec![3.0]);
    assert_eq!(numbers(&Ctx::standalone()), vec![0.5]);
    let stages: Vec<_> = reexported()
        .stages()
        .iter()
        .map(|stage| stage.name.to_string())
        .collect();
    assert_eq!(stages, ["numbers", "scaled", "total"]);
    let registered = reexport::crystallize::__private::collect().expect("a valid definition");
    assert_eq!(registered.len(), 1);
    assert_eq!(registered[0].registration.options.replicates, 2);
}
