use crystallize::prelude::*;

#[crystallize::code]
use std::collections::BTreeMap;

fn main() {
    let _ = Ctx::standalone();
}
