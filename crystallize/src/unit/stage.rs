//! The stages of a pipeline: one [`Source`] then [`Step`]s. The macros implement these traits; users
//! rarely name them.

use std::marker::PhantomData;
use std::ops::Deref;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::key::signature::{CodeHash, TrackedCode};
use crate::unit::ctx::Ctx;
use crate::unit::error::StepError;

/// Whether a stage is a source, an upstream artifact input or a step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StageKind {
    /// Produces the input of a unit.
    Source,
    /// Reads an artifact another experiment published.
    Input,
    /// Transforms the previous stage's output.
    Step,
}

impl StageKind {
    /// `source`, `input` or `step`.
    pub fn as_str(self) -> &'static str {
        match self {
            StageKind::Source => "source",
            StageKind::Input => "input",
            StageKind::Step => "step",
        }
    }
}

/// An artifact of another experiment that a source reads: the edge producer → consumer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputRef {
    /// Name of the input in this experiment (default `<producer>.<file>`).
    pub name: String,
    /// The producing experiment.
    pub producer: &'static str,
    /// The artifact file it publishes (`.output(..)`).
    pub file: String,
    /// How it is handed over: `json`, `bytes` or `path`.
    pub format: &'static str,
}

/// One part of a source, for the signature and the graph.
#[derive(Clone, Debug)]
pub enum SourcePart {
    /// A function marked `#[source]` (or a `#[step]` used as an input's loader).
    Code(StageInfo),
    /// An upstream artifact.
    Input(InputRef),
}

/// What the macros know about a stage at compile time.
#[derive(Clone, Copy, Debug)]
pub struct StageInfo {
    /// Stage name (the function name unless `name = ".."`).
    pub name: &'static str,
    /// Source or step.
    pub kind: StageKind,
    /// Hash of the function's signature and body.
    pub code: CodeHash,
    /// Tracked helpers named in `uses(..)`.
    pub uses: &'static [TrackedCode],
    /// Names of the params the function takes, in argument order.
    pub params: &'static [&'static str],
    /// Whether `#[step(cache)]` was given.
    pub cache: bool,
    /// `module_path!()` of the function.
    pub module: &'static str,
    /// The code it reaches (helpers, types, path dependencies, registry crates).
    pub reach: crate::key::signature::Reach,
    /// For each param of `params` (same order): whether a condition may leave it out, i.e.
    /// whether its type deserialises from `null` as a missing param does (`Option<T>`).
    pub optional: &'static [fn() -> bool],
    /// Params the body reads through its context by a literal name
    /// (`ctx.param::<T>("name")`), besides the ones it takes as arguments.
    pub reads: &'static [&'static str],
    /// Whether the body may read params whose names the macro cannot see: it calls
    /// `ctx.params()`, calls `ctx.param(..)` with a name that is not a string literal, calls a
    /// method of the context that the macro does not know, or uses its context other than as
    /// the receiver of a method call (passes it to a function, rebinds it, ...).
    pub reads_unknown: bool,
    /// Metrics the body records through its context by a literal name
    /// (`ctx.record("name", value)`).
    pub records: &'static [&'static str],
    /// Whether the body may record metrics whose names the macro cannot see: it calls
    /// `ctx.record(..)` with a name that is not a string literal, calls a method of the context
    /// that the macro does not know, or uses its context other than as the receiver of a method
    /// call.
    pub records_unknown: bool,
    /// `file!()` of the function (the run screen's `e` opens it).
    pub file: &'static str,
    /// The line of the function's name in `file`.
    pub line: u32,
}

impl StageInfo {
    /// The params the stage takes as arguments, with whether each may be left out.
    pub fn param_args(&self) -> impl Iterator<Item = (&'static str, bool)> + '_ {
        self.params.iter().enumerate().map(|(index, name)| {
            let optional = self.optional.get(index).is_some_and(|accepts| accepts());
            (*name, optional)
        })
    }

    /// A probe of param type `T`: `__probe::<T>().accepts_missing()` says whether `T`
    /// accepts a missing param (deserialises from `null`). The macros fill
    /// [`StageInfo::optional`] with it. For a `T` that is not deserialisable it answers `false`
    /// instead of failing to compile, so that such a param is reported once, where it is
    /// injected.
    #[doc(hidden)]
    pub fn __probe<T>() -> MissingProbe<T> {
        MissingProbe(PhantomData)
    }
}

/// See [`StageInfo::__probe`].
#[doc(hidden)]
pub struct MissingProbe<T>(PhantomData<fn() -> T>);

impl<T: DeserializeOwned> MissingProbe<T> {
    /// Whether `T` deserialises from `null`, as a missing param does.
    pub fn accepts_missing(&self) -> bool {
        T::deserialize(&serde_json::Value::Null).is_ok()
    }
}

/// What a [`MissingProbe`] of a type that is not deserialisable falls back to.
#[doc(hidden)]
pub struct NotDeserializable;

impl NotDeserializable {
    /// `false`: the type cannot be injected at all (a compile error elsewhere).
    pub fn accepts_missing(&self) -> bool {
        false
    }
}

impl<T> Deref for MissingProbe<T> {
    type Target = NotDeserializable;

    fn deref(&self) -> &NotDeserializable {
        &NotDeserializable
    }
}

/// The first stage of a pipeline: a function marked `#[source]`, an upstream artifact
/// (`producer.artifact::<T>("file")`), or a tuple of those (its output is the tuple of theirs).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a source",
    label = "`Experiment::from(..)` takes a function marked #[source], an artifact of another experiment, or a tuple of those",
    note = "mark the function producing the pipeline's input with #[source]; steps go in `.step(..)`"
)]
pub trait Source: Send + Sync + 'static {
    /// The data the source produces.
    type Output: 'static;
    /// What the source is made of, in fetch order.
    fn parts(&self) -> Vec<SourcePart>;
    /// Produces the input of one unit.
    fn fetch(&self, ctx: &mut Ctx) -> Result<Self::Output, StepError>;
}

/// A pipeline step taking `In`, implemented by `#[step]` for the type of its data argument.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot take `{In}` as its data",
    label = "the previous stage outputs `{In}`",
    note = "`.step(..)` takes a function marked #[step] whose first argument receives the previous stage's output: mark it #[step], change its data argument to `{In}`, or add a step that converts `{In}` first"
)]
pub trait Step<In>: Send + Sync + 'static {
    /// The data the step passes on.
    type Output: 'static;
    /// Compile-time facts about the step.
    const INFO: StageInfo;
    /// Runs the step on one unit's data.
    fn run(&self, input: In, ctx: &mut Ctx) -> Result<Self::Output, StepError>;
    /// For `#[step(cache)]`: how to hash the input and store the output.
    fn cache_codec(&self) -> Option<CacheCodec<In, Self::Output>> {
        None
    }
}

/// How the step cache hashes a step's input and stores its output (JSON via serde).
pub struct CacheCodec<In, Out> {
    /// Feeds a canonical encoding of the input to a hasher.
    pub(crate) hash_input: fn(&In, &mut blake3::Hasher) -> Result<(), String>,
    /// Encodes an output for storage.
    pub(crate) encode: fn(&Out) -> Result<Vec<u8>, String>,
    /// Decodes a stored output.
    pub(crate) decode: fn(&[u8]) -> Result<Out, String>,
    /// The input's JSON text when it is short (at most [`SHORT_INPUT_BYTES`]): where it names
    /// an artifact's path, the cache keys on that artifact's content, not on its path.
    pub(crate) short_text: fn(&In) -> Option<String>,
}

/// The longest input text the step cache searches for artifact paths.
pub(crate) const SHORT_INPUT_BYTES: usize = 64 * 1024;

/// Collects written bytes up to [`SHORT_INPUT_BYTES`], then refuses more (ending serialisation
/// of a long input early).
struct ShortText(Vec<u8>);

impl std::io::Write for ShortText {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.0.len() + bytes.len() > SHORT_INPUT_BYTES {
            return Err(std::io::Error::other("input too long to search"));
        }
        self.0.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<In: Serialize, Out: Serialize + DeserializeOwned> CacheCodec<In, Out> {
    /// The serde/JSON codec (what `#[step(cache)]` uses). Requires the input to be `Serialize`
    /// and the output `Serialize + Deserialize`.
    pub fn serde() -> Self {
        CacheCodec {
            hash_input: |input, hasher| {
                serde_json::to_writer(hasher, input).map_err(|error| error.to_string())
            },
            encode: |output| serde_json::to_vec(output).map_err(|error| error.to_string()),
            decode: |bytes| serde_json::from_slice(bytes).map_err(|error| error.to_string()),
            short_text: |input| {
                let mut text = ShortText(Vec::new());
                serde_json::to_writer(&mut text, input).ok()?;
                String::from_utf8(text.0).ok()
            },
        }
    }
}
