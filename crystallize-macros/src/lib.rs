//! Procedural macros of [crystallize](https://docs.rs/crystallize). Use them through the
//! `crystallize` crate, which re-exports them: `#[step]`, `#[source]`, `#[experiment]` and
//! `#[crystallize::code]`.
//!
//! Each macro runs four phases, one module each: [`parse`] (the macro's options),
//! [`model`] (validate the item and classify its arguments), [`hash`] (the code signature,
//! computed here at compile time) and [`expand`] (generate the glue).

use proc_macro::TokenStream;

mod canonical;
mod expand;
mod hash;
mod layout;
mod model;
mod parse;
mod reach;
mod statements;

use model::StageKind;

fn expand_or_error(result: syn::Result<proc_macro2::TokenStream>) -> TokenStream {
    result.unwrap_or_else(syn::Error::into_compile_error).into()
}

fn parse_fn(item: TokenStream, attribute: &str) -> syn::Result<syn::ItemFn> {
    let item: syn::Item = syn::parse(item)?;
    match item {
        syn::Item::Fn(function) => Ok(function),
        other => Err(syn::Error::new_spanned(
            item_head(&other),
            format!("{attribute} can only be applied to a function"),
        )),
    }
}

/// The leading tokens of an item (keyword and name), so errors do not underline a whole body.
fn item_head(item: &syn::Item) -> proc_macro2::TokenStream {
    use quote::quote;
    match item {
        syn::Item::Struct(s) => {
            let (token, ident) = (&s.struct_token, &s.ident);
            quote!(#token #ident)
        }
        syn::Item::Enum(e) => {
            let (token, ident) = (&e.enum_token, &e.ident);
            quote!(#token #ident)
        }
        syn::Item::Mod(m) => {
            let (token, ident) = (&m.mod_token, &m.ident);
            quote!(#token #ident)
        }
        syn::Item::Const(c) => {
            let (token, ident) = (&c.const_token, &c.ident);
            quote!(#token #ident)
        }
        syn::Item::Static(s) => {
            let (token, ident) = (&s.static_token, &s.ident);
            quote!(#token #ident)
        }
        syn::Item::Trait(t) => {
            let (token, ident) = (&t.trait_token, &t.ident);
            quote!(#token #ident)
        }
        syn::Item::Impl(i) => {
            let (token, ty) = (&i.impl_token, &i.self_ty);
            quote!(#token #ty)
        }
        other => quote::ToTokens::to_token_stream(other),
    }
}

/// Marks a function as the source of an experiment: it produces the input of one
/// (condition, replicate) unit.
///
/// Arguments other than an optional `ctx: &Ctx` / `&mut Ctx` are params, injected by name from the
/// condition's params. Return the data, or `Result<data, E>` with `E: Display` to fail the unit.
///
/// Options: `name = ".."` (the stage name; defaults to the function name) and `uses(helper, ..)`
/// (helpers marked `#[crystallize::code]` whose code the result depends on).
///
/// The function stays callable as written, e.g. `numbers(&Ctx::standalone())` in a unit test.
#[proc_macro_attribute]
pub fn source(args: TokenStream, item: TokenStream) -> TokenStream {
    expand_or_error((|| {
        let options = parse::source_options(args.into())?;
        let function = parse_fn(item, "#[source]")?;
        let stage = model::stage_fn(function, StageKind::Source)?;
        expand::stage(
            stage,
            StageKind::Source,
            options.name.map(|name| name.value()),
            &options.uses,
            &options.ignore,
            false,
        )
    })())
}

/// Marks a function as a pipeline step.
///
/// The first argument receives the previous stage's output; an optional `ctx: &Ctx` / `&mut Ctx`
/// gives the unit's context; every other argument is a param injected by name from the
/// condition's params (missing or ill-typed params fail the unit before the body runs).
///
/// Options: `cache` (keep outputs, metrics and artifacts keyed by code, params read and input),
/// `uses(helper, ..)` (fold the code of helpers marked `#[crystallize::code]` into this step's
/// signature) and `name = ".."`.
///
/// The function stays callable as written: `scale(vec![1.0], 2.0)`.
#[proc_macro_attribute]
pub fn step(args: TokenStream, item: TokenStream) -> TokenStream {
    expand_or_error((|| {
        let options = parse::step_options(args.into())?;
        let function = parse_fn(item, "#[step]")?;
        let stage = model::stage_fn(function, StageKind::Step)?;
        expand::stage(
            stage,
            StageKind::Step,
            options.name.map(|name| name.value()),
            &options.uses,
            &options.ignore,
            options.cache,
        )
    })())
}

/// Registers an experiment: a function with no arguments returning `Experiment`.
///
/// Options: `replicates = N` (default 1), `strategy = "rerun" | "resume"` (default `"rerun"`),
/// `seed = N` (master seed, default 0), `versioned` (a new `vN` directory per run),
/// `retention = N` (with `versioned`: keep the newest N versions whole) and
/// `description = ".."`.
#[proc_macro_attribute]
pub fn experiment(args: TokenStream, item: TokenStream) -> TokenStream {
    expand_or_error((|| {
        let options = parse::experiment_options(args.into())?;
        let function = parse_fn(item, "#[experiment]")?;
        let experiment = model::experiment_fn(function)?;
        Ok(expand::experiment(experiment, options))
    })())
}

/// Marks a helper (fn, struct, enum, trait, impl block, inline mod, ...) whose code results depend
/// on. A step or source that names it in `uses(..)` re-runs when the helper's code changes.
/// Naming an unmarked helper in `uses(..)` fails to compile.
#[proc_macro_attribute]
pub fn code(args: TokenStream, item: TokenStream) -> TokenStream {
    expand_or_error((|| {
        let options = parse::code_options(args.into())?;
        let item: syn::Item = syn::parse(item)?;
        expand::code(item, &options.uses, &options.ignore)
    })())
}
