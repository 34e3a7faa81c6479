use crystallize::prelude::*;

#[step]
fn summarize(ctx: &mut Ctx, data: Vec<f64>) -> f64 {
    let m = data.iter().sum::<f64>() / data.len() as f64;
    ctx.record("mean", m);
    m
}

fn main() {}
