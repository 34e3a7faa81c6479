//! Depends on crates with experiments but never names them: nothing is linked, so nothing is
//! registered, and the CLI prints the hint about naming library crates.

fn main() {
    crystallize::main()
}
