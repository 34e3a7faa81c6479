//! A binary whose own arguments reuse crystallize's `--seed`: every command line is refused.

use crystallize::clap;
use crystallize_tests as _;

/// Arguments that clash with crystallize's.
#[derive(clap::Args, Clone, Debug)]
struct Clashing {
    /// A seed of this binary's own
    #[arg(long)]
    seed: Option<u64>,
}

fn main() {
    crystallize::main_with(|app| app.args::<Clashing>())
}
