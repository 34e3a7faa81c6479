//! Two experiments with the same name in different modules: a startup error naming both.

mod first {
    use crystallize::prelude::*;

    #[source]
    pub fn one(_ctx: &Ctx) -> u32 {
        1
    }

    #[experiment]
    pub fn same() -> Experiment {
        Experiment::from(one)
    }
}

mod second {
    use crystallize::prelude::*;

    #[source]
    pub fn two(_ctx: &Ctx) -> u32 {
        2
    }

    #[experiment]
    pub fn same() -> Experiment {
        Experiment::from(two)
    }
}

fn main() {
    crystallize::main()
}
