use crystallize::prelude::*;

// Every problem of one attribute is reported in one compile, each at its own span.
#[step(cahce, name = "by/factor", uses = mean, cache = true)]
fn summarize(ctx: &Ctx, data: Vec<f64>, (low, high): (f64, f64), label: &str, log: &mut Ctx) -> f64 {
    log.record(label, low + high);
    data.iter().sum::<f64>() / ctx.replicate() as f64
}

fn main() {}
