//! The examples binary: every experiment of the `crystallize_examples` library, behind the
//! crystallize command line, plus the example plugin [`CsvRows`] behind `--units-csv FILE`.
//!
//! ```text
//! cargo run -p crystallize-examples                     # run every example
//! cargo run -p crystallize-examples -- list             # what is registered
//! cargo run -p crystallize-examples -- run quickstart --seed 7 --json
//! cargo run -p crystallize-examples -- run --units-csv units.csv
//! ```

use std::path::PathBuf;

// The derive names `clap::..`: crystallize's re-export, so no version of clap needs to match.
use crystallize::clap;

// Experiments register through `inventory`, which only sees crates the binary links: naming the
// library crate is what keeps its experiments in.
use crystallize_examples::csv_rows::CsvRows;

/// The examples binary's own arguments, next to crystallize's.
#[derive(clap::Args, Clone, Debug)]
struct ExampleArgs {
    /// Append one CSV row per finished unit (experiment, condition, replicate, outcome,
    /// duration) to FILE
    #[arg(long, value_name = "FILE")]
    units_csv: Option<PathBuf>,
}

/// The CSV plugin, when `--units-csv` is given: registered plugins are created once the command
/// line is parsed, so they can read it.
#[crystallize::plugin]
fn units_csv() -> Option<CsvRows> {
    crystallize::user_args::<ExampleArgs>()?
        .units_csv
        .map(CsvRows::new)
}

fn main() {
    crystallize::main_with(|app| app.args::<ExampleArgs>())
}
