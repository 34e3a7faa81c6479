use crystallize::prelude::*;

#[step]
unsafe fn first(data: Vec<f64>) -> f64 {
    unsafe { *data.get_unchecked(0) }
}

fn main() {}
