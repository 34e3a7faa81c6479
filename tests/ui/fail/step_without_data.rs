use crystallize::prelude::*;

#[step]
fn answer() -> u32 {
    42
}

fn main() {}
