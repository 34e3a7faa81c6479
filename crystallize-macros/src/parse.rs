//! Parsing of the macros' own arguments: `#[step(cache, uses(..), name = "..")]` and friends.
//!
//! Every option is parsed into a typed struct here; unknown and repeated options are errors that
//! point at the option and list what is accepted.

use proc_macro2::{Span, TokenStream};
use syn::meta::ParseNestedMeta;
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{Ident, LitInt, LitStr, Path, Token};

/// A helper named in `uses(..)`: a path to a marked item, or an `impl` block of a marked type.
pub enum UsePath {
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

/// Options of `#[step(..)]`.
#[derive(Default)]
pub struct StepOptions {
    pub cache: bool,
    pub uses: Vec<UsePath>,
    pub ignore: Vec<Path>,
    pub name: Option<LitStr>,
}

/// Options of `#[source(..)]`.
#[derive(Default)]
pub struct SourceOptions {
    pub uses: Vec<UsePath>,
    pub ignore: Vec<Path>,
    pub name: Option<LitStr>,
}

/// Options of `#[crystallize::code(..)]`.
#[derive(Default)]
pub struct CodeOptions {
    pub uses: Vec<UsePath>,
    pub ignore: Vec<Path>,
}

/// Options of `#[experiment(..)]`.
#[derive(Default)]
pub struct ExperimentOptions {
    pub replicates: Option<u32>,
    pub strategy: Option<LitStr>,
    pub seed: Option<u64>,
    pub versioned: bool,
    pub strict_env: bool,
    pub retention: Option<u32>,
    pub description: Option<LitStr>,
}

/// Runs `handle` for every option in `args`, rejecting repeats and names outside `allowed`.
fn parse_options(
    args: TokenStream,
    macro_name: &str,
    allowed: &[&str],
    mut handle: impl FnMut(&str, &ParseNestedMeta) -> syn::Result<()>,
) -> syn::Result<()> {
    let mut seen: Vec<String> = Vec::new();
    let expected = allowed
        .iter()
        .map(|option| format!("`{option}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let parser = syn::meta::parser(|meta| {
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
    });
    parser.parse2(args)
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

pub fn step_options(args: TokenStream) -> syn::Result<StepOptions> {
    let mut options = StepOptions::default();
    parse_options(
        args,
        "step",
        &["cache", "uses(..)", "ignore(..)", "name = \"..\""],
        |name, meta| {
            match name {
                "cache" => options.cache = flag(meta, name)?,
                "uses" => options.uses = uses_list(meta)?,
                "ignore" => options.ignore = ignore_list(meta)?,
                _ => options.name = Some(stage_name(meta)?),
            }
            Ok(())
        },
    )?;
    Ok(options)
}

pub fn source_options(args: TokenStream) -> syn::Result<SourceOptions> {
    let mut options = SourceOptions::default();
    parse_options(
        args,
        "source",
        &["uses(..)", "ignore(..)", "name = \"..\""],
        |name, meta| {
            match name {
                "uses" => options.uses = uses_list(meta)?,
                "ignore" => options.ignore = ignore_list(meta)?,
                _ => options.name = Some(stage_name(meta)?),
            }
            Ok(())
        },
    )?;
    Ok(options)
}

pub fn code_options(args: TokenStream) -> syn::Result<CodeOptions> {
    let mut options = CodeOptions::default();
    parse_options(
        args,
        "crystallize::code",
        &["uses(..)", "ignore(..)"],
        |name, meta| {
            match name {
                "uses" => options.uses = uses_list(meta)?,
                _ => options.ignore = ignore_list(meta)?,
            }
            Ok(())
        },
    )?;
    Ok(options)
}

pub fn experiment_options(args: TokenStream) -> syn::Result<ExperimentOptions> {
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
        ],
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
                    retention_span = Some(meta.path.get_ident().map(Ident::span));
                    options.retention = Some(positive_int(meta, name)?);
                }
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
    )?;
    if let (Some(Some(span)), false) = (retention_span, options.versioned) {
        return Err(syn::Error::new(
            span,
            "`retention` keeps the newest versions of a versioned experiment: add `versioned`",
        ));
    }
    Ok(options)
}
