struct Rows;

#[crystallize::plugin]
fn rows() -> Rows {
    Rows
}

fn main() {}
