use crystallize::Plugin;

struct Rows;

impl Plugin for Rows {}

#[crystallize::plugin(order = 1)]
fn rows() -> Rows {
    Rows
}

fn main() {}
