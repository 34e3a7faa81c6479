use crystallize::prelude::*;

#[crystallize::code]
use std::collections::BTreeMap;

fn main() {
    let _ = Ctx::standalone();
    // The `use` is kept despite the error.
    let _ = BTreeMap::<u8, u8>::new();
}
