#[crystallize::plugin]
struct Rows;

fn main() {}
