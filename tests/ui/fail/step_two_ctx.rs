use crystallize::prelude::*;

#[step]
fn summarize(data: Vec<f64>, ctx: &Ctx, log: &mut Ctx) -> f64 {
    log.record("n", data.len() as f64);
    data.iter().sum::<f64>() / ctx.replicate() as f64
}

fn main() {}
