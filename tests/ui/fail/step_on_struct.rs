use crystallize::prelude::*;

#[step]
struct Scale {
    factor: f64,
}

fn main() {}
