//! Inputs from other experiments: `producer.artifact::<T>("file")` is a source that reads the
//! artifact `file` the experiment `producer` publishes, and creates the edge producer → consumer
//! in the experiment graph. Tuples of sources combine several inputs (and ordinary sources).
//!
//! ```
//! use crystallize::prelude::*;
//!
//! #[source]
//! fn numbers(ctx: &Ctx) -> Vec<f64> {
//!     let mut rng = ctx.rng();
//!     (0..4).map(|_| rng.random()).collect()
//! }
//!
//! #[step]
//! fn total(data: Vec<f64>, ctx: &mut Ctx) -> Result<f64, StepError> {
//!     let sum = data.iter().sum::<f64>();
//!     ctx.write_json("total.json", &sum)?;
//!     Ok(sum)
//! }
//!
//! #[experiment(replicates = 2)]
//! fn producer() -> Experiment {
//!     Experiment::from(numbers).step(total).output("total.json")
//! }
//!
//! #[step]
//! fn compare(data: (f64, Vec<f64>), ctx: &mut Ctx) -> f64 {
//!     let (published, fresh) = data;
//!     let gap = published - fresh.iter().sum::<f64>();
//!     ctx.record("gap", gap);
//!     gap
//! }
//!
//! #[experiment(replicates = 5)]
//! fn consumer() -> Experiment {
//!     Experiment::from((producer.artifact::<f64>("total.json"), numbers)).step(compare)
//! }
//!
//! let inputs = consumer().inputs().into_iter().map(|i| i.producer).collect::<Vec<_>>();
//! assert_eq!(inputs, ["producer"]);
//! ```

use std::marker::PhantomData;
use std::path::PathBuf;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::unit::ctx::Ctx;
use crate::unit::error::StepError;
use crate::unit::stage::{InputRef, Source, SourcePart, Step};

/// An artifact of another experiment, decoded as `T` (or, for
/// [`artifact_path`](crate::ExperimentRef::artifact_path), its path).
pub struct ArtifactInput<T> {
    input: InputRef,
    read: Reader<T>,
    _output: PhantomData<fn() -> T>,
}

/// How an input hands the artifact to the consumer.
enum Reader<T> {
    /// Its bytes, read into memory and decoded.
    Bytes(fn(Vec<u8>) -> Result<T, String>),
    /// The path of the producer's file, checked but not read into memory.
    Path(fn(PathBuf) -> T),
}

impl<T> ArtifactInput<T> {
    pub(crate) fn new(
        producer: &'static str,
        file: &str,
        format: &'static str,
        decode: fn(Vec<u8>) -> Result<T, String>,
    ) -> Self {
        Self::with_reader(producer, file, format, Reader::Bytes(decode))
    }

    fn with_reader(
        producer: &'static str,
        file: &str,
        format: &'static str,
        read: Reader<T>,
    ) -> Self {
        ArtifactInput {
            input: InputRef {
                name: format!("{producer}.{file}"),
                producer,
                file: file.to_string(),
                format,
            },
            read,
            _output: PhantomData,
        }
    }

    /// Names this input (its stage name in records and `plan`); default `<producer>.<file>`.
    pub fn named(mut self, name: &str) -> Self {
        self.input.name = name.to_string();
        self
    }

    fn read(&self, ctx: &mut Ctx) -> Result<T, StepError> {
        ctx.enter_stage(Arc::from(self.input.name.as_str()), "input");
        match self.read {
            Reader::Bytes(decode) => {
                let bytes = ctx.read_upstream(self.input.producer, &self.input.file)?;
                decode(bytes).map_err(|error| {
                    StepError::new(format!(
                        "input `{}`: artifact `{}` of `{}` is not valid {}: {error}",
                        self.input.name, self.input.file, self.input.producer, self.input.format
                    ))
                })
            }
            Reader::Path(wrap) => ctx
                .upstream_path(self.input.producer, &self.input.file)
                .map(wrap),
        }
    }
}

impl ArtifactInput<PathBuf> {
    /// The input handing the consumer the path of the producer's file.
    pub(crate) fn path(producer: &'static str, file: &str) -> Self {
        Self::with_reader(producer, file, "path", Reader::Path(|path| path))
    }
}

impl<T> ArtifactInput<T> {
    /// Decodes the bytes (or opens the path) with `loader`, a `#[step]` taking `T` (`Vec<u8>`
    /// for [`artifact_bytes`](crate::ExperimentRef::artifact_bytes), `PathBuf` for
    /// [`artifact_path`](crate::ExperimentRef::artifact_path)); its code is part of the
    /// signature like any step's.
    pub fn load<S: Step<T>>(self, loader: S) -> LoadedInput<S, T> {
        LoadedInput {
            bytes: self,
            loader,
        }
    }
}

impl<T: 'static> Source for ArtifactInput<T> {
    type Output = T;

    fn parts(&self) -> Vec<SourcePart> {
        vec![SourcePart::Input(self.input.clone())]
    }

    fn fetch(&self, ctx: &mut Ctx) -> Result<T, StepError> {
        self.read(ctx)
    }
}

/// An artifact's bytes (or path) decoded by a user loader step (see [`ArtifactInput::load`]).
pub struct LoadedInput<S, T = Vec<u8>> {
    bytes: ArtifactInput<T>,
    loader: S,
}

impl<T: 'static, S: Step<T>> Source for LoadedInput<S, T> {
    type Output = S::Output;

    fn parts(&self) -> Vec<SourcePart> {
        vec![
            SourcePart::Input(self.bytes.input.clone()),
            SourcePart::Code(S::INFO),
        ]
    }

    fn fetch(&self, ctx: &mut Ctx) -> Result<S::Output, StepError> {
        let bytes = self.bytes.read(ctx)?;
        ctx.enter_stage(Arc::from(S::INFO.name), "step");
        let loaded = self.loader.run(bytes, ctx);
        ctx.settle(loaded)
    }
}

pub(crate) fn decode_json<T: DeserializeOwned>(bytes: Vec<u8>) -> Result<T, String> {
    serde_json::from_slice(&bytes).map_err(|error| error.to_string())
}

pub(crate) fn decode_bytes(bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    Ok(bytes)
}

macro_rules! tuple_sources {
    ($($name:ident),+) => {
        impl<$($name: Source),+> Source for ($($name,)+) {
            type Output = ($($name::Output,)+);

            fn parts(&self) -> Vec<SourcePart> {
                #[allow(non_snake_case)]
                let ($($name,)+) = self;
                let mut parts = Vec::new();
                $( parts.extend($name.parts()); )+
                parts
            }

            fn fetch(&self, ctx: &mut Ctx) -> Result<Self::Output, StepError> {
                #[allow(non_snake_case)]
                let ($($name,)+) = self;
                Ok(($($name.fetch(ctx)?,)+))
            }
        }
    };
}

tuple_sources!(A, B);
tuple_sources!(A, B, C);
tuple_sources!(A, B, C, D);
tuple_sources!(A, B, C, D, E);
tuple_sources!(A, B, C, D, E, F);
