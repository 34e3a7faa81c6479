use crystallize::prelude::*;

#[step]
fn first<T: Clone>(data: Vec<T>) -> T {
    data[0].clone()
}

fn main() {}
