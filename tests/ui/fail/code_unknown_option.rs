use crystallize::prelude::*;

#[crystallize::code(cache)]
pub fn mean(values: &[f64]) -> f64 {
    values.iter().sum::<f64>() / values.len() as f64
}

fn main() {
    let _ = Ctx::standalone();
}
