use crystallize::prelude::*;

#[step]
fn replicate(ctx: &Ctx) -> u32 {
    ctx.replicate()
}

fn main() {}
