//! Parsing of the macros' own arguments: `#[step(cache, uses(..), name = "..")]` and friends.
//!
//! Every option is parsed into a typed struct here; unknown and repeated options are errors that
//! point at the option and list what is accepted. A bad option does not stop the parse: its error
//! is recorded in [`Errors`], the option keeps its default, and the options after it are still
//! read, so one compile reports every mistake of an attribute.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::quote;
use syn::meta::ParseNestedMeta;
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Ident, LitInt, LitStr, Path, Token};

use crate::errors::Errors;
use crate::model::StageKind;

/// A helper named in `uses(..)`: a path to a marked item, or an `impl` block of a marked type.
pub(crate) enum UsePath {
    /// `stats::mean`, `Model`, `helpers` (a fn, a type or an inline module).
    Item(Path),
    /// `impl Model` or `impl Display for Model`.
    Impl {
        trait_path: Option<Path>,
        self_path: Path,
        span: Span,
    },
}

impl UsePath {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.peek(Token![impl]) {
            let impl_token: Token![impl] = input.parse()?;
            let first: Path = input.parse()?;
            if input.peek(Token![for]) {
                input.parse::<Token![for]>()?;
                let self_path: Path = input.parse()?;
                return Ok(UsePath::Impl {
                    trait_path: Some(first),
                    self_path,
                    span: impl_token.span,
                });
            }
            return Ok(UsePath::Impl {
                trait_path: None,
                self_path: first,
                span: impl_token.span,
            });
        }
        Ok(UsePath::Item(input.parse()?))
    }
}

/// Where the expansion reaches the runtime crate: `::crystallize` unless the attribute says
/// `crate = path` (for a crate that depends on crystallize under another name or re-exports it).
#[derive(Clone, Default)]
pub(crate) struct CratePath {
    path: Option<Path>,
    /// `crate = ..` was given but could not be read: no path to the runtime is known.
    invalid: bool,
}

impl CratePath {
    /// The path of the runtime's hidden module the expansions use, `<crate>::__private`.
    pub(crate) fn private(&self) -> TokenStream {
        match &self.path {
            Some(path) => quote!(#path::__private),
            None => quote!(::crystallize::__private),
        }
    }

    /// Whether the runtime can be named: false when `crate = ..` was given but was not a path,
    /// so that nothing naming the runtime is generated (each use would be one more error).
    pub(crate) fn is_known(&self) -> bool {
        !self.invalid
    }
}

/// Options of `#[step(..)]` and `#[source(..)]` (a source has no `cache`).
#[derive(Default)]
pub(crate) struct StageOptions {
    pub cache: bool,
    pub uses: Vec<UsePath>,
    pub ignore: Vec<Path>,
    pub name: Option<LitStr>,
    pub krate: CratePath,
}

/// Options of `#[crystallize::code(..)]`.
#[derive(Default)]
pub(crate) struct CodeOptions {
    pub uses: Vec<UsePath>,
    pub ignore: Vec<Path>,
    pub krate: CratePath,
}

/// Options of `#[experiment(..)]`.
#[derive(Default)]
pub(crate) struct ExperimentOptions {
    pub replicates: Option<u32>,
    pub strategy: Option<LitStr>,
    pub seed: Option<u64>,
    pub versioned: bool,
    pub strict_env: bool,
    pub retention: Option<u32>,
    pub description: Option<LitStr>,
    pub executor: Option<LitStr>,
    pub resources: crate::resources::Resources,
    pub krate: CratePath,
}

/// Options of `#[crystallize::plugin(..)]`.
#[derive(Default)]
pub(crate) struct PluginOptions {
    pub krate: CratePath,
}

/// How `crate = ..` is listed among the accepted options.
const CRATE_OPTION: &str = "crate = path";

/// Runs `handle` for every option in `args`, rejecting repeats and names outside `allowed`.
///
/// Every error (an unknown or repeated option, or one `handle` returns) is recorded in `errors`
/// and the rest of that option is skipped, so the options after it are still read. Only a
/// malformed list (`#[step(= 1)]`) stops the parse, also with its error recorded.
fn parse_options(
    args: TokenStream,
    macro_name: &str,
    allowed: &[&str],
    errors: &mut Errors,
    mut handle: impl FnMut(&str, &ParseNestedMeta) -> syn::Result<()>,
) {
    let mut seen: Vec<String> = Vec::new();
    let expected = allowed
        .iter()
        .map(|option| format!("`{option}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let parser = syn::meta::parser(|meta| {
        let outcome = (|| {
            let Some(ident) = meta.path.get_ident() else {
                return Err(meta.error(format!(
                    "unknown option for #[{macro_name}]; expected one of: {expected}"
                )));
            };
            let name = ident.to_string();
            let known = allowed
                .iter()
                .any(|option| option.split(['(', ' ']).next() == Some(name.as_str()));
            if !known {
                return Err(meta.error(format!(
                    "unknown option `{name}` for #[{macro_name}]; expected one of: {expected}"
                )));
            }
            if seen.contains(&name) {
                return Err(meta.error(format!(
                    "duplicate option `{name}`: give each option of #[{macro_name}] once"
                )));
            }
            seen.push(name.clone());
            handle(&name, &meta)
        })();
        if let Err(error) = outcome {
            errors.push(error);
            skip_option_rest(meta.input)?;
        }
        Ok(())
    });
    if let Err(error) = parser.parse2(args) {
        errors.push(error);
    }
}

/// Skips what is left of one option: every token tree up to the next top-level `,`.
fn skip_option_rest(input: ParseStream) -> syn::Result<()> {
    while !input.is_empty() && !input.peek(Token![,]) {
        input.parse::<TokenTree>()?;
    }
    Ok(())
}

fn flag(meta: &ParseNestedMeta, name: &str) -> syn::Result<bool> {
    if meta.input.is_empty() || meta.input.peek(Token![,]) {
        Ok(true)
    } else {
        Err(meta.error(format!(
            "`{name}` is a flag and takes no value: write just `{name}`"
        )))
    }
}

fn uses_list(meta: &ParseNestedMeta) -> syn::Result<Vec<UsePath>> {
    if !meta.input.peek(syn::token::Paren) {
        return Err(meta.error(
            "`uses` lists tracked helpers in parentheses, e.g. `uses(stats::mean, impl Model)`",
        ));
    }
    let content;
    syn::parenthesized!(content in meta.input);
    let list = Punctuated::<UsePath, Token![,]>::parse_terminated_with(&content, UsePath::parse)?;
    Ok(list.into_iter().collect())
}

fn ignore_list(meta: &ParseNestedMeta) -> syn::Result<Vec<Path>> {
    if !meta.input.peek(syn::token::Paren) {
        return Err(meta.error(
            "`ignore` lists items of this crate whose code does not affect results, e.g. `ignore(log_progress)`",
        ));
    }
    let content;
    syn::parenthesized!(content in meta.input);
    let list = Punctuated::<Path, Token![,]>::parse_terminated(&content)?;
    Ok(list.into_iter().collect())
}

/// Parses `= <literal>` of type `T`, or explains what the option takes.
fn value_of<T: syn::parse::Parse>(
    meta: &ParseNestedMeta,
    name: &str,
    example: &str,
) -> syn::Result<T> {
    let explain = || meta.error(format!("`{name}` takes {example}"));
    let input = meta.value().map_err(|_| explain())?;
    input.parse().map_err(|_| explain())
}

/// `crate = path` (or `crate = "path"`, as serde spells it): where crystallize is reached.
fn crate_path(meta: &ParseNestedMeta) -> syn::Result<Path> {
    let explain = || {
        meta.error(
            "`crate` takes the path under which crystallize is reached, e.g. `crate = my_reexport::crystallize`",
        )
    };
    let input = meta.value().map_err(|_| explain())?;
    if input.peek(LitStr) {
        let text: LitStr = input.parse()?;
        return text.parse_with(Path::parse_mod_style).map_err(|_| {
            syn::Error::new(
                text.span(),
                "`crate` takes a path, e.g. `crate = my_reexport::crystallize`",
            )
        });
    }
    let path = input.call(Path::parse_mod_style).map_err(|_| explain())?;
    if !input.is_empty() && !input.peek(Token![,]) {
        return Err(explain());
    }
    Ok(path)
}

/// Records `crate = ..` in `krate`: the path, or that it could not be read.
fn set_crate(meta: &ParseNestedMeta, krate: &mut CratePath) -> syn::Result<()> {
    match crate_path(meta) {
        Ok(path) => {
            krate.path = Some(path);
            Ok(())
        }
        Err(error) => {
            krate.invalid = true;
            Err(error)
        }
    }
}

fn stage_name(meta: &ParseNestedMeta) -> syn::Result<LitStr> {
    let name: LitStr = value_of(meta, "name", "a string, e.g. `name = \"summarize\"`")?;
    let text = name.value();
    let valid = !text.is_empty()
        && !text.starts_with('.')
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    if !valid {
        return Err(syn::Error::new(
            name.span(),
            "a stage name becomes a directory name: use letters, digits, `_`, `-` or `.` (not first)",
        ));
    }
    Ok(name)
}

fn positive_int<T: std::str::FromStr + PartialEq + From<u8>>(
    meta: &ParseNestedMeta,
    what: &str,
) -> syn::Result<T>
where
    T::Err: std::fmt::Display,
{
    let literal: LitInt = value_of(
        meta,
        what,
        &format!("a positive integer, e.g. `{what} = 10`"),
    )?;
    let value: T = literal.base10_parse()?;
    if value == T::from(0u8) {
        return Err(syn::Error::new(
            literal.span(),
            format!("`{what}` must be at least 1"),
        ));
    }
    Ok(value)
}

/// The most replicates per condition; the same as `crystallize::registry::MAX_REPLICATES`
/// (a proc-macro crate cannot share the constant; the ui tests pin both sides of the limit).
const MAX_REPLICATES: u32 = 1_000_000;

/// `replicates = N`: 1 to [`MAX_REPLICATES`].
fn replicates(meta: &ParseNestedMeta) -> syn::Result<u32> {
    let literal: LitInt = value_of(
        meta,
        "replicates",
        "a positive integer, e.g. `replicates = 10`",
    )?;
    let too_many = || {
        syn::Error::new(
            literal.span(),
            format!(
                "`replicates` must be at most {MAX_REPLICATES} (crystallize's limit per condition)"
            ),
        )
    };
    let value: u64 = literal.base10_parse().map_err(|_| too_many())?;
    if value == 0 {
        return Err(syn::Error::new(
            literal.span(),
            "`replicates` must be at least 1",
        ));
    }
    u32::try_from(value)
        .ok()
        .filter(|&count| count <= MAX_REPLICATES)
        .ok_or_else(too_many)
}

/// The options of `#[step(..)]` or `#[source(..)]`; errors go to `errors`, the options they
/// concern keep their defaults.
pub(crate) fn stage_options(
    kind: StageKind,
    args: TokenStream,
    errors: &mut Errors,
) -> StageOptions {
    let mut options = StageOptions::default();
    let (macro_name, allowed): (&str, &[&str]) = match kind {
        StageKind::Step => (
            "step",
            &[
                "cache",
                "uses(..)",
                "ignore(..)",
                "name = \"..\"",
                CRATE_OPTION,
            ],
        ),
        StageKind::Source => (
            "source",
            &["uses(..)", "ignore(..)", "name = \"..\"", CRATE_OPTION],
        ),
    };
    parse_options(args, macro_name, allowed, errors, |name, meta| {
        match name {
            "cache" => options.cache = flag(meta, name)?,
            "uses" => options.uses = uses_list(meta)?,
            "ignore" => options.ignore = ignore_list(meta)?,
            "crate" => set_crate(meta, &mut options.krate)?,
            _ => options.name = Some(stage_name(meta)?),
        }
        Ok(())
    });
    options
}

/// The options of `#[crystallize::code(..)]`; errors go to `errors`.
pub(crate) fn code_options(args: TokenStream, errors: &mut Errors) -> CodeOptions {
    let mut options = CodeOptions::default();
    parse_options(
        args,
        "crystallize::code",
        &["uses(..)", "ignore(..)", CRATE_OPTION],
        errors,
        |name, meta| {
            match name {
                "uses" => options.uses = uses_list(meta)?,
                "crate" => set_crate(meta, &mut options.krate)?,
                _ => options.ignore = ignore_list(meta)?,
            }
            Ok(())
        },
    );
    options
}

/// The options of `#[crystallize::plugin(..)]`; errors go to `errors`.
pub(crate) fn plugin_options(args: TokenStream, errors: &mut Errors) -> PluginOptions {
    let mut options = PluginOptions::default();
    parse_options(
        args,
        "crystallize::plugin",
        &[CRATE_OPTION],
        errors,
        |_, meta| set_crate(meta, &mut options.krate),
    );
    options
}

/// The options of `#[verifier(..)]` (only `crate = path`); errors go to `errors`.
pub(crate) fn verifier_options(args: TokenStream, errors: &mut Errors) -> PluginOptions {
    let mut options = PluginOptions::default();
    parse_options(args, "verifier", &[CRATE_OPTION], errors, |_, meta| {
        set_crate(meta, &mut options.krate)
    });
    options
}

/// The options of `#[experiment(..)]`; errors go to `errors`, the options they concern keep
/// their defaults.
pub(crate) fn experiment_options(args: TokenStream, errors: &mut Errors) -> ExperimentOptions {
    let mut options = ExperimentOptions::default();
    let mut retention_span = None;
    parse_options(
        args,
        "experiment",
        &[
            "replicates = N",
            "strategy = \"rerun\" | \"resume\"",
            "seed = N",
            "versioned",
            "retention = N",
            "strict_env",
            "description = \"..\"",
            "executor = \"threads\" | \"process\" | \"slurm\"",
            "resources(..)",
            CRATE_OPTION,
        ],
        errors,
        |name, meta| {
            match name {
                "replicates" => options.replicates = Some(replicates(meta)?),
                "strategy" => {
                    let strategy: LitStr = value_of(
                        meta,
                        name,
                        "\"rerun\" or \"resume\", e.g. `strategy = \"resume\"`",
                    )?;
                    if !matches!(strategy.value().as_str(), "rerun" | "resume") {
                        return Err(syn::Error::new(
                            strategy.span(),
                            "unknown strategy: use \"rerun\" (always execute) or \"resume\" (load what did not change)",
                        ));
                    }
                    options.strategy = Some(strategy);
                }
                "seed" => {
                    let literal: LitInt = value_of(meta, name, "an integer, e.g. `seed = 42`")?;
                    options.seed = Some(literal.base10_parse()?);
                }
                "versioned" => options.versioned = flag(meta, name)?,
                "strict_env" => options.strict_env = flag(meta, name)?,
                "retention" => {
                    retention_span = meta.path.get_ident().map(Ident::span);
                    options.retention = Some(positive_int(meta, name)?);
                }
                "crate" => set_crate(meta, &mut options.krate)?,
                "executor" => options.executor = Some(crate::resources::executor(meta)?),
                "resources" => options.resources = crate::resources::resources(meta)?,
                _ => {
                    options.description = Some(value_of(
                        meta,
                        name,
                        "a string, e.g. `description = \"what it measures\"`",
                    )?)
                }
            }
            Ok(())
        },
    );
    if let (Some(span), false) = (retention_span, options.versioned) {
        errors.push(syn::Error::new(
            span,
            "`retention` keeps the newest versions of a versioned experiment: add `versioned`",
        ));
    }
    options
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bad_option_is_reported_and_the_good_ones_are_kept() {
        let mut errors = Errors::new();
        let options = stage_options(
            StageKind::Step,
            quote!(
                cahce,
                name = 3,
                cache,
                uses = mean,
                a::b,
                cache,
                ignore(helper)
            ),
            &mut errors,
        );
        let messages = errors.messages();
        assert_eq!(messages.len(), 5, "{messages:#?}");
        assert!(messages[0].starts_with("unknown option `cahce`"));
        assert!(messages[1].starts_with("`name` takes a string"));
        assert!(messages[2].starts_with("`uses` lists tracked helpers"));
        assert!(messages[3].starts_with("unknown option for #[step]"));
        assert!(messages[4].starts_with("duplicate option `cache`"));
        assert!(options.cache);
        assert!(options.name.is_none());
        assert_eq!(options.ignore.len(), 1);
        assert!(options.krate.is_known());
    }

    #[test]
    fn a_malformed_list_is_one_error() {
        let mut errors = Errors::new();
        let options = experiment_options(quote!(versioned, = 3), &mut errors);
        assert_eq!(errors.messages().len(), 1);
        assert!(options.versioned);
    }

    #[test]
    fn retention_without_versioned_is_reported_with_the_other_errors() {
        let mut errors = Errors::new();
        let options = experiment_options(
            quote!(replicates = 0, retention = 2, seed = "x"),
            &mut errors,
        );
        let messages = errors.messages();
        assert_eq!(messages.len(), 3, "{messages:#?}");
        assert!(messages[2].starts_with("`retention` keeps the newest versions"));
        assert_eq!(options.replicates, None);
        assert_eq!(options.retention, Some(2));
    }

    #[test]
    fn crate_takes_a_path_or_a_string_of_one() {
        for args in [
            quote!(crate = my_reexport::crystallize),
            quote!(crate = "my_reexport::crystallize"),
        ] {
            let mut errors = Errors::new();
            let options = code_options(args, &mut errors);
            assert!(errors.is_empty(), "{:?}", errors.messages());
            assert_eq!(
                options.krate.private().to_string(),
                "my_reexport :: crystallize :: __private"
            );
        }
        let mut errors = Errors::new();
        let options = stage_options(
            StageKind::Source,
            quote!(crate = crate::vendored::crystallize, name = "n"),
            &mut errors,
        );
        assert!(errors.is_empty());
        assert_eq!(
            options.krate.private().to_string(),
            "crate :: vendored :: crystallize :: __private"
        );
        assert_eq!(
            CratePath::default().private().to_string(),
            ":: crystallize :: __private"
        );
    }

    #[test]
    fn a_crate_that_is_not_a_path_leaves_the_runtime_unknown() {
        for args in [
            quote!(crate = 1),
            quote!(crate = "not a path"),
            quote!(crate),
            quote!(crate = a::b<T>),
        ] {
            let mut errors = Errors::new();
            let options = stage_options(StageKind::Step, args.clone(), &mut errors);
            assert_eq!(errors.messages().len(), 1, "{args}");
            assert!(!options.krate.is_known(), "{args}");
        }
    }
}
