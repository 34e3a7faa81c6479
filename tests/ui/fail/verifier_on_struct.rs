use crystallize::prelude::*;

#[verifier]
struct Sign;

fn main() {}
