use crystallize::Plugin;

struct Rows;

impl Plugin for Rows {}

#[crystallize::plugin]
fn rows(path: &str) -> Rows {
    let _ = path;
    Rows
}

fn main() {}
