use crystallize::prelude::*;

pub trait Describe {
    fn describe(&self) -> String;
}

#[crystallize::code]
impl Describe for (f64, f64) {
    fn describe(&self) -> String {
        format!("{} +- {}", self.0, self.1)
    }
}

fn main() {
    let _ = Ctx::standalone();
}
