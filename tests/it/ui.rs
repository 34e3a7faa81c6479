//! Compile-time behaviour of the macros: misuse fails with a message pointing at the user's
//! offending code (`ui/fail`, with the expected diagnostics in `.stderr` files), and correct use
//! compiles and runs (`ui/pass`).
//!
//! After an intended change of a message, regenerate the `.stderr` files with
//! `TRYBUILD=overwrite cargo test -p crystallize-tests --test it ui::` and review the diff.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/fail/*.rs");
    t.pass("ui/pass/*.rs");
}
