use crystallize::prelude::*;

#[step]
const fn double(data: u32) -> u32 {
    data * 2
}

fn main() {}
