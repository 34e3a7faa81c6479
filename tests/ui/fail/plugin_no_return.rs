#[crystallize::plugin]
fn rows() {}

fn main() {}
