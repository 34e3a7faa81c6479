//! Fitting tables to the terminal: on a terminal, or with `COLUMNS` set, long cells wrap so that
//! a table fits the width; piped without `COLUMNS`, tables keep their full width (one line per
//! row, for scripts that read them).

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

/// Makes `table` wrap its cells to fit the terminal (or `COLUMNS`), or keep its full width when
/// printed to something else.
pub(crate) fn fit(table: &mut Table) {
    if let Some(width) = columns() {
        table
            .set_width(width)
            .set_content_arrangement(ContentArrangement::Dynamic);
    } else if table.is_tty() {
        // comfy-table reads the terminal's width itself.
        table.set_content_arrangement(ContentArrangement::Dynamic);
    } else {
        table.set_content_arrangement(ContentArrangement::Disabled);
    }
}
