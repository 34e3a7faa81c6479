//! The examples binary: every experiment of the `crystallize_examples` library, behind the
//! crystallize command line.
//!
//! ```text
//! cargo run -p crystallize-examples                     # run every example
//! cargo run -p crystallize-examples -- list             # what is registered
//! cargo run -p crystallize-examples -- run quickstart --seed 7 --json
//! ```

// Experiments register through `inventory`, which only sees crates the binary links: naming the
// library crate is what keeps its experiments in.
use crystallize_examples as _;

fn main() {
    crystallize::main()
}
