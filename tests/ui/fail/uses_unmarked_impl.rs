use crystallize::prelude::*;

#[crystallize::code]
pub struct Model {
    pub slope: f64,
}

impl Model {
    pub fn predict(&self, x: f64) -> f64 {
        self.slope * x
    }
}

#[step(uses(impl Model))]
fn predict(data: Vec<f64>) -> Vec<f64> {
    let model = Model { slope: 2.0 };
    data.into_iter().map(|x| model.predict(x)).collect()
}

fn main() {}
