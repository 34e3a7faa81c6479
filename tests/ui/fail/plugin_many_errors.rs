use crystallize::Plugin;

struct Rows;

impl Plugin for Rows {}

#[crystallize::plugin]
async unsafe fn rows<T>(value: T) -> Rows {
    let _ = value;
    Rows
}

fn main() {}
