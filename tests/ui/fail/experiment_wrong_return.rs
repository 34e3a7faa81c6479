use crystallize::prelude::*;

#[experiment]
fn quickstart() -> u32 {
    42
}

fn main() {}
