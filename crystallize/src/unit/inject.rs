//! How the macros inject a step's params: a param whose type is `Clone` is deserialised once per
//! condition and cloned for each unit ([`Ctx::__inject_shared`]); any other param type is
//! deserialised for each unit ([`Ctx::__inject`]). The choice is made at compile time from the
//! param's type, by method resolution: [`InjectShared`] is implemented for [`ParamSlot`] itself
//! when the type is `Clone`, and [`InjectEach`] for a reference to it, which method lookup only
//! reaches when the first does not apply.

use std::marker::PhantomData;

use serde::de::DeserializeOwned;

use super::ctx::Ctx;
use super::error::StepError;

/// The param of type `T` a step takes (the macros call `(&ParamSlot::<T>::new()).inject(..)`).
#[doc(hidden)]
pub struct ParamSlot<T>(PhantomData<fn() -> T>);

impl<T> ParamSlot<T> {
    /// The slot of a param of type `T`.
    #[doc(hidden)]
    pub const fn new() -> ParamSlot<T> {
        ParamSlot(PhantomData)
    }
}

impl<T> Default for ParamSlot<T> {
    fn default() -> ParamSlot<T> {
        ParamSlot::new()
    }
}

/// Injects a `Clone` param, deserialised once per condition.
#[doc(hidden)]
pub trait InjectShared<T> {
    /// The param `name` of `ctx`'s condition.
    fn inject(&self, ctx: &Ctx, name: &str) -> Result<T, StepError>;
}

impl<T: DeserializeOwned + Clone + Send + Sync + 'static> InjectShared<T> for ParamSlot<T> {
    fn inject(&self, ctx: &Ctx, name: &str) -> Result<T, StepError> {
        ctx.__inject_shared(name)
    }
}

/// Injects any other param, deserialised for each unit.
#[doc(hidden)]
pub trait InjectEach<T> {
    /// The param `name` of `ctx`'s condition.
    fn inject(&self, ctx: &Ctx, name: &str) -> Result<T, StepError>
    where
        T: DeserializeOwned;
}

impl<T> InjectEach<T> for &ParamSlot<T> {
    fn inject(&self, ctx: &Ctx, name: &str) -> Result<T, StepError>
    where
        T: DeserializeOwned,
    {
        ctx.__inject(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deserialises like a list of numbers, but cannot be cloned.
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Layers(Vec<u32>);

    // The borrow is the point: `(&slot).inject(..)` is what picks the implementation.
    #[allow(clippy::needless_borrow)]
    #[test]
    fn clone_params_are_shared_per_condition_and_others_deserialised_each_time() {
        let ctx = Ctx::standalone()
            .with_param("layers", vec![64u32, 32])
            .with_param("factor", 2.0);
        let first: Vec<u32> = (&ParamSlot::<Vec<u32>>::new())
            .inject(&ctx, "layers")
            .unwrap();
        assert_eq!(first, vec![64, 32]);
        assert_eq!(
            ctx.params().decoded().get::<Vec<u32>>("layers"),
            Some(vec![64, 32]),
            "kept for the next unit"
        );
        let again: Vec<u32> = (&ParamSlot::<Vec<u32>>::new())
            .inject(&ctx, "layers")
            .unwrap();
        assert_eq!(again, first);
        let each: Layers = (&ParamSlot::<Layers>::new())
            .inject(&ctx, "layers")
            .unwrap();
        assert_eq!(each, Layers(vec![64, 32]));
        let factor: f64 = (&ParamSlot::<f64>::new()).inject(&ctx, "factor").unwrap();
        assert_eq!(factor, 2.0);
        assert_eq!(
            ctx.params().decoded().get::<f64>("factor"),
            None,
            "scalars are not kept"
        );
        let wrong = (&ParamSlot::<Vec<String>>::new())
            .inject(&ctx, "layers")
            .unwrap_err()
            .to_string();
        assert!(wrong.contains("param `layers`"), "{wrong}");
    }
}
