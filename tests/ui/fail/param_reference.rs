use crystallize::prelude::*;

#[step]
fn tag(data: Vec<f64>, label: &str) -> (String, Vec<f64>) {
    (label.to_string(), data)
}

fn main() {}
