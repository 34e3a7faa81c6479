//! The example experiments of crystallize, all registered in this one binary:
//!
//! ```text
//! cargo run -p crystallize-examples                     # run every example
//! cargo run -p crystallize-examples -- list             # what is registered
//! cargo run -p crystallize-examples -- run quickstart --seed 7 --json
//! ```

mod quickstart;
mod stats;

fn main() {
    crystallize::main()
}
