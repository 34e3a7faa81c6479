use crystallize::prelude::*;

#[experiment]
struct Quickstart;

fn main() {}
