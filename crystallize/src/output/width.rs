//! Fitting tables to the terminal: on a terminal, or with `COLUMNS` set, long cells wrap so that
//! a table fits the width; piped without `COLUMNS`, tables keep their full width (one line per
//! row, for scripts that read them).

use std::io::IsTerminal;
use std::sync::OnceLock;

use comfy_table::{ContentArrangement, Table};

/// The narrowest width honoured: below it, tables keep their full width.
const MIN_WIDTH: u16 = 20;

/// The width to fit tables to when `COLUMNS` says it (a whole number of at least 20).
fn columns() -> Option<u16> {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|text| text.trim().parse::<u16>().ok())
        .filter(|&width| width >= MIN_WIDTH)
}

/// Whether stdout is a terminal, asked once per process (each table would ask again).
fn stdout_is_terminal() -> bool {
    static TERMINAL: OnceLock<bool> = OnceLock::new();
    *TERMINAL.get_or_init(|| std::io::stdout().is_terminal())
}

/// Makes `table` wrap its cells to fit the terminal (or `COLUMNS`), or keep its full width when
/// printed to something else.
pub(crate) fn fit(table: &mut Table) {
    let terminal = stdout_is_terminal();
    if !terminal {
        // What comfy-table would find itself (it asks once per table).
        table.force_no_tty();
    }
    if let Some(width) = columns() {
        table
            .set_width(width)
            .set_content_arrangement(ContentArrangement::Dynamic);
    } else if terminal {
        // comfy-table reads the terminal's width itself.
        table.set_content_arrangement(ContentArrangement::Dynamic);
    } else {
        table.set_content_arrangement(ContentArrangement::Disabled);
    }
}
