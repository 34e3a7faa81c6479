//! Procedural macros of [crystallize](https://docs.rs/crystallize). Use them through the
//! `crystallize` crate, which re-exports them: `#[step]`, `#[source]`, `#[experiment]`,
//! `#[crystallize::code]`, `#[crystallize::plugin]` and `#[verifier]`.
//!
//! Each macro runs four phases, one module each: [`parse`] (the macro's options),
//! [`model`] (validate the item and classify its arguments), [`hash`] (the code signature,
//! computed here at compile time) and [`expand`] (generate the glue). [`items`] is the one table
//! of what the macros read from an item of each kind.
//!
//! A phase that finds a problem records it in [`errors::Errors`] and carries on, so one compile
//! reports every problem of an attribute, each at its span; the expansion then still emits the
//! user's item (see [`expand::stage`] for what stands in for it), so that rust-analyzer keeps
//! working and uses of the item elsewhere do not fail as well.
//!
//! Every attribute takes `crate = path` for a crate that reaches crystallize under another name
//! or through a re-export: `#[step(crate = my_reexport::crystallize)]`.

use proc_macro::TokenStream;
use proc_macro2::TokenStream as TokenStream2;
use quote::quote;

mod canonical;
mod errors;
mod expand;
mod hash;
mod items;
mod layout;
mod model;
mod parse;
mod reach;
mod resources;
mod statements;

use errors::Errors;
use model::StageKind;

/// The errors of one attribute, then what it expands to.
fn with_errors(errors: Errors, expansion: TokenStream2) -> TokenStream {
    let errors = errors.into_compile_errors();
    quote!(#errors #expansion).into()
}

/// The function `item` is, or `None` after recording why it is not one (then the caller emits
/// `item` unchanged).
fn parse_fn(item: TokenStream2, attribute: &str, errors: &mut Errors) -> Option<syn::ItemFn> {
    match syn::parse2::<syn::Item>(item) {
        Ok(syn::Item::Fn(function)) => Some(function),
        Ok(other) => {
            errors.push(syn::Error::new_spanned(
                items::describe(&other).head,
                format!("{attribute} can only be applied to a function"),
            ));
            None
        }
        Err(error) => {
            errors.push(error);
            None
        }
    }
}

/// `#[source]` and `#[step]`.
fn stage_attribute(kind: StageKind, args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::new();
    let item = TokenStream2::from(item);
    let options = parse::stage_options(kind, args.into(), &mut errors);
    let expansion = match parse_fn(item.clone(), kind.attribute(), &mut errors) {
        Some(function) => expand::stage(
            function,
            &expand::StageSpec::new(kind, &options),
            &mut errors,
        ),
        None => item,
    };
    with_errors(errors, expansion)
}

/// Marks a function as the source of an experiment: it produces the input of one
/// (condition, replicate) unit.
///
/// Arguments other than an optional `ctx: &Ctx` / `&mut Ctx` are params, injected by name from the
/// condition's params. Return the data, or `Result<data, E>` with `E: Display` to fail the unit.
///
/// Options: `name = ".."` (the stage name; defaults to the function name), `uses(helper, ..)`
/// (helpers marked `#[crystallize::code]` whose code the result depends on), `ignore(item, ..)`
/// (items whose code does not affect results) and `crate = path` (where crystallize is reached,
/// default `::crystallize`).
///
/// The function stays callable as written, e.g. `numbers(&Ctx::standalone())` in a unit test.
#[proc_macro_attribute]
pub fn source(args: TokenStream, item: TokenStream) -> TokenStream {
    stage_attribute(StageKind::Source, args, item)
}

/// Marks a function as a pipeline step.
///
/// The first argument receives the previous stage's output; an optional `ctx: &Ctx` / `&mut Ctx`
/// gives the unit's context; every other argument is a param injected by name from the
/// condition's params (missing or ill-typed params fail the unit before the body runs).
///
/// Options: `cache` (keep outputs, metrics and artifacts keyed by code, params read and input),
/// `uses(helper, ..)` (fold the code of helpers marked `#[crystallize::code]` into this step's
/// signature), `ignore(item, ..)`, `name = ".."` and `crate = path` (where crystallize is
/// reached, default `::crystallize`).
///
/// The function stays callable as written: `scale(vec![1.0], 2.0)`.
#[proc_macro_attribute]
pub fn step(args: TokenStream, item: TokenStream) -> TokenStream {
    stage_attribute(StageKind::Step, args, item)
}

/// Registers an experiment: a function with no arguments returning `Experiment`.
///
/// Options: `replicates = N` (default 1), `strategy = "rerun" | "resume"` (default `"rerun"`),
/// `seed = N` (master seed, default 0), `versioned` (a new `vN` directory per run),
/// `retention = N` (with `versioned`: keep the newest N versions whole), `strict_env`,
/// `description = ".."`, `executor = "threads" | "process" | "slurm"` (where its units run
/// when `--executor` and `crystallize.toml` do not say), `resources(cpus = N, mem = "8G",
/// time = "01:00:00", gpus = N)` (what one cluster task needs; part of no key) and
/// `crate = path` (where crystallize is reached, default `::crystallize`).
#[proc_macro_attribute]
pub fn experiment(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::new();
    let item = TokenStream2::from(item);
    let options = parse::experiment_options(args.into(), &mut errors);
    let expansion = match parse_fn(item.clone(), "#[experiment]", &mut errors) {
        Some(function) => expand::experiment(function, &options, &mut errors),
        None => item,
    };
    with_errors(errors, expansion)
}

/// Registers a plugin: a function with no arguments returning it (`-> MyPlugin` or
/// `-> impl Plugin`), called once per run of the binary; the plugin receives every event of that
/// run.
///
/// Options: `crate = path` (where crystallize is reached, default `::crystallize`).
#[proc_macro_attribute]
pub fn plugin(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::new();
    let item = TokenStream2::from(item);
    let options = parse::plugin_options(args.into(), &mut errors);
    let expansion = match parse_fn(item.clone(), "#[crystallize::plugin]", &mut errors) {
        Some(function) => expand::plugin(function, &options, &mut errors),
        None => item,
    };
    with_errors(errors, expansion)
}

/// Marks a custom hypothesis test: `fn name(baseline: &[f64], treatment: &[f64]) ->
/// VerifierOutcome`, used as `metric("m").verifier(name)`. It receives the values of the
/// replicates where both conditions have one, in replicate order (so `baseline[i]` and
/// `treatment[i]` share a seed). Its code is hashed like a step's (with the code it reaches);
/// the hash shows in `hypotheses.json`. Editing it verifies the hypotheses again and reruns no
/// unit.
///
/// Options: `crate = path` (where crystallize is reached, default `::crystallize`).
///
/// The function stays callable as written: `median_shift(&[1.0], &[2.0])`.
#[proc_macro_attribute]
pub fn verifier(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::new();
    let item = TokenStream2::from(item);
    let options = parse::verifier_options(args.into(), &mut errors);
    let expansion = match parse_fn(item.clone(), "#[verifier]", &mut errors) {
        Some(function) => expand::verifier(function, &options, &mut errors),
        None => item,
    };
    with_errors(errors, expansion)
}

/// Marks a helper (fn, struct, enum, trait, impl block, inline mod, ...) whose code results depend
/// on. A step or source that names it in `uses(..)` re-runs when the helper's code changes.
/// Naming an unmarked helper in `uses(..)` fails to compile.
///
/// Options: `uses(helper, ..)`, `ignore(item, ..)` and `crate = path`.
#[proc_macro_attribute]
pub fn code(args: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::new();
    let item = TokenStream2::from(item);
    let options = parse::code_options(args.into(), &mut errors);
    let expansion = match syn::parse2::<syn::Item>(item.clone()) {
        Ok(parsed) => expand::code(parsed, &options, &mut errors),
        Err(error) => {
            errors.push(error);
            item
        }
    };
    with_errors(errors, expansion)
}
