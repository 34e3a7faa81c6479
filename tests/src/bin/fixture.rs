//! The fixture binary: the examples and the fixture experiments behind the crystallize CLI.

use crystallize_examples as _;
use crystallize_tests as _;

fn main() {
    crystallize::main()
}
