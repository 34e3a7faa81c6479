use crystallize::prelude::*;

mod helpers {
    pub fn log_progress() {}
}

#[step(ignore(helpers::log_progres))]
fn scale(data: Vec<f64>) -> Vec<f64> {
    helpers::log_progress();
    data
}

fn main() {}
