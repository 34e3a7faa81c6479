use crystallize::prelude::*;

#[source]
const NUMBERS: [f64; 2] = [1.0, 2.0];

fn main() {}
