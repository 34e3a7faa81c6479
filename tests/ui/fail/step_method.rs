use crystallize::prelude::*;

struct Scaler;

impl Scaler {
    #[step]
    fn scale(&self, data: Vec<f64>) -> Vec<f64> {
        data
    }
}

fn main() {}
