use crystallize::prelude::*;

#[experiment]
fn quickstart() -> Experiment {
    42
}

fn main() {}
