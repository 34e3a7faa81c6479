//! An invalid experiment graph: two producers named `graph_dup` (in modules `first` and
//! `second`), one of them read by `graph_dup_reader`. Every command must refuse to start
//! (exit 2) and name both definitions.

use crystallize::prelude::*;

mod first {
    use crystallize::prelude::*;

    #[source]
    pub fn one(_ctx: &Ctx) -> f64 {
        1.0
    }

    /// Publishes `dup.json`.
    #[step]
    pub fn publish(value: f64, ctx: &mut Ctx) -> Result<f64, StepError> {
        ctx.write_json("dup.json", &value)?;
        Ok(value)
    }

    #[experiment]
    pub fn graph_dup() -> Experiment {
        Experiment::from(one).step(publish).output("dup.json")
    }
}

mod second {
    use crystallize::prelude::*;

    #[source]
    pub fn two(_ctx: &Ctx) -> f64 {
        2.0
    }

    /// Publishes `dup.json`.
    #[step]
    pub fn publish(value: f64, ctx: &mut Ctx) -> Result<f64, StepError> {
        ctx.write_json("dup.json", &value)?;
        Ok(value)
    }

    #[experiment]
    pub fn graph_dup() -> Experiment {
        Experiment::from(two).step(publish).output("dup.json")
    }
}

/// Does nothing.
#[step]
pub fn keep(value: f64) -> f64 {
    value
}

#[experiment]
pub fn graph_dup_reader() -> Experiment {
    Experiment::from(first::graph_dup.artifact::<f64>("dup.json")).step(keep)
}

fn main() {
    crystallize::main()
}
