//! `#[experiment(executor = "..", resources(cpus = N, mem = "..", time = "..", gpus = N))]`:
//! where an experiment's units run and what one cluster task of it needs, checked at compile
//! time with the rules the runtime applies to `crystallize.toml` (the same formats; a
//! proc-macro crate cannot share the runtime's functions, and the ui tests pin the messages).

use proc_macro2::TokenStream;
use quote::quote;
use syn::meta::ParseNestedMeta;
use syn::{LitInt, LitStr};

/// The executors `executor = ".."` names.
const EXECUTORS: [&str; 3] = ["threads", "process", "slurm"];

/// What a memory size looks like, for messages.
const MEM_FORMAT: &str =
    "a positive integer with a unit K, M, G or T, e.g. `mem = \"512M\"`, `\"8G\"` or `\"1T\"`";

/// What a time limit looks like, for messages.
const TIME_FORMAT: &str = "a Slurm time limit: \"MM\", \"MM:SS\", \"HH:MM:SS\", \"D-HH\", \
     \"D-HH:MM\" or \"D-HH:MM:SS\", e.g. `time = \"01:00:00\"`";

/// The options `resources(..)` accepts, for messages.
const RESOURCE_OPTIONS: &str = "`cpus = N`, `mem = \"8G\"`, `time = \"01:00:00\"`, `gpus = N`";

/// `resources(..)` of `#[experiment]`.
#[derive(Default)]
pub(crate) struct Resources {
    pub cpus: Option<u32>,
    pub mem: Option<LitStr>,
    pub time: Option<LitStr>,
    pub gpus: Option<u32>,
}

/// `executor = "threads" | "process" | "slurm"`.
pub(crate) fn executor(meta: &ParseNestedMeta) -> syn::Result<LitStr> {
    let name: LitStr = literal(
        meta,
        "`executor` takes \"threads\", \"process\" or \"slurm\", e.g. `executor = \"slurm\"`",
    )?;
    if !EXECUTORS.contains(&name.value().as_str()) {
        return Err(syn::Error::new(
            name.span(),
            format!(
                "unknown executor `{}`: use \"threads\" (threads of this process), \"process\" \
                 (a child process per unit) or \"slurm\" (Slurm job arrays)",
                name.value()
            ),
        ));
    }
    Ok(name)
}

/// `resources(cpus = N, mem = "..", time = "..", gpus = N)`: every bad entry is an error at
/// its own token; the good ones are kept.
pub(crate) fn resources(meta: &ParseNestedMeta) -> syn::Result<Resources> {
    if !meta.input.peek(syn::token::Paren) {
        return Err(meta.error(format!(
            "`resources` lists what one task needs in parentheses, e.g. \
             `resources(cpus = 4, mem = \"8G\", time = \"01:00:00\", gpus = 1)`; it takes \
             {RESOURCE_OPTIONS}"
        )));
    }
    let mut resources = Resources::default();
    let mut seen: Vec<String> = Vec::new();
    let mut error: Option<syn::Error> = None;
    meta.parse_nested_meta(|entry| {
        let outcome = (|| {
            let name = entry
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            if seen.contains(&name) {
                return Err(entry.error(format!(
                    "duplicate resource `{name}`: give each resource once"
                )));
            }
            seen.push(name.clone());
            match name.as_str() {
                "cpus" | "gpus" => {
                    let count = count(&entry, &name)?;
                    if name == "cpus" {
                        resources.cpus = Some(count);
                    } else {
                        resources.gpus = Some(count);
                    }
                }
                "mem" => resources.mem = Some(text(&entry, &name, MEM_FORMAT, check_mem)?),
                "time" => resources.time = Some(text(&entry, &name, TIME_FORMAT, check_time)?),
                _ => {
                    return Err(entry.error(format!(
                        "unknown resource{}; `resources(..)` takes {RESOURCE_OPTIONS} (anything \
                         else goes to `--slurm-arg` or `sbatch_args` in crystallize.toml)",
                        if name.is_empty() {
                            String::new()
                        } else {
                            format!(" `{name}`")
                        }
                    )));
                }
            }
            Ok(())
        })();
        if let Err(problem) = outcome {
            match &mut error {
                Some(existing) => existing.combine(problem),
                None => error = Some(problem),
            }
            // Skip the rest of this entry so the next ones are still read.
            while !entry.input.is_empty() && !entry.input.peek(syn::Token![,]) {
                entry.input.parse::<proc_macro2::TokenTree>()?;
            }
        }
        Ok(())
    })?;
    match error {
        Some(error) => Err(error),
        None => Ok(resources),
    }
}

/// `= <literal>` of type `T`: an error at the option when there is no `=`, else at the value
/// when it is not a `T`, saying `explain`.
fn literal<T: syn::parse::Parse>(meta: &ParseNestedMeta, explain: &str) -> syn::Result<T> {
    let input = meta.value().map_err(|_| meta.error(explain))?;
    let value: proc_macro2::TokenTree = input.parse().map_err(|_| meta.error(explain))?;
    syn::parse2(value.clone().into()).map_err(|_| syn::Error::new(value.span(), explain))
}

/// `cpus = N` or `gpus = N`: a positive integer.
fn count(entry: &ParseNestedMeta, name: &str) -> syn::Result<u32> {
    let literal: LitInt = literal(
        entry,
        &format!("`{name}` takes a positive integer, e.g. `{name} = 4`"),
    )?;
    let value: u32 = literal.base10_parse().map_err(|_| {
        syn::Error::new(
            literal.span(),
            format!("`{name}` must be at most {}", u32::MAX),
        )
    })?;
    if value == 0 {
        return Err(syn::Error::new(
            literal.span(),
            format!("`{name}` must be at least 1 (leave it out to ask for none)"),
        ));
    }
    Ok(value)
}

/// `mem = ".."` or `time = ".."`: a string that `check` accepts.
fn text(
    entry: &ParseNestedMeta,
    name: &str,
    format: &str,
    check: fn(&str) -> Result<(), String>,
) -> syn::Result<LitStr> {
    let literal: LitStr = literal(entry, &format!("`{name}` takes a string: {format}"))?;
    check(&literal.value()).map_err(|problem| {
        syn::Error::new(literal.span(), format!("`{name}`: {problem}; use {format}"))
    })?;
    Ok(literal)
}

/// A memory size: a positive integer followed by `K`, `M`, `G` or `T`.
fn check_mem(text: &str) -> Result<(), String> {
    let number = text
        .strip_suffix(['K', 'M', 'G', 'T'])
        .filter(|number| !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit()))
        .ok_or_else(|| format!("\"{text}\" is not a memory size"))?;
    match number.parse::<u64>() {
        Ok(0) => Err(format!("\"{text}\" asks for no memory")),
        Ok(_) => Ok(()),
        Err(_) => Err(format!("\"{text}\" is too large")),
    }
}

/// A time limit as `sbatch --time` takes it; fields after the first at most 59 (hours after
/// days at most 23), longer than zero.
fn check_time(text: &str) -> Result<(), String> {
    let bad = || format!("\"{text}\" is not a time limit");
    let number = |field: &str| -> Option<u64> {
        (!field.is_empty() && field.len() <= 9 && field.bytes().all(|b| b.is_ascii_digit()))
            .then(|| field.parse().ok())
            .flatten()
    };
    let (days, clock) = match text.split_once('-') {
        Some((days, clock)) => (Some(number(days).ok_or_else(bad)?), clock),
        None => (None, text),
    };
    let values: Vec<u64> = clock
        .split(':')
        .map(number)
        .collect::<Option<_>>()
        .ok_or_else(bad)?;
    let limits: &[u64] = match (days.is_some(), values.len()) {
        (false, 1) => &[u64::MAX],
        (false, 2) => &[u64::MAX, 59],
        (false, 3) => &[u64::MAX, 59, 59],
        (true, 1) => &[23],
        (true, 2) => &[23, 59],
        (true, 3) => &[23, 59, 59],
        _ => return Err(bad()),
    };
    if values.iter().zip(limits).any(|(value, most)| value > most) {
        return Err(format!("\"{text}\" has a field out of range"));
    }
    if days.unwrap_or(0) == 0 && values.iter().all(|&value| value == 0) {
        return Err(format!("\"{text}\" is zero"));
    }
    Ok(())
}

/// The expansion of the options: `executor: Option<ExecutorKind>` and `resources: Resources`
/// field values of the runtime's `ExperimentOptions`.
pub(crate) fn expand(
    rt: &TokenStream,
    executor: Option<&LitStr>,
    resources: &Resources,
) -> (TokenStream, TokenStream) {
    let some = |value: TokenStream| quote!(::core::option::Option::Some(#value));
    let none = quote!(::core::option::Option::None);
    let executor = match executor.map(LitStr::value).as_deref() {
        Some("threads") => some(quote!(#rt::ExecutorKind::Threads)),
        Some("process") => some(quote!(#rt::ExecutorKind::Process)),
        Some("slurm") => some(quote!(#rt::ExecutorKind::Slurm)),
        _ => none.clone(),
    };
    let count = |value: Option<u32>| value.map_or(none.clone(), |value| some(quote!(#value)));
    let text = |value: &Option<LitStr>| {
        value
            .as_ref()
            .map_or(none.clone(), |value| some(quote!(#value)))
    };
    let (cpus, gpus) = (count(resources.cpus), count(resources.gpus));
    let (mem, time) = (text(&resources.mem), text(&resources.time));
    (
        executor,
        quote! {
            #rt::Resources { cpus: #cpus, mem: #mem, time: #time, gpus: #gpus }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_and_time_follow_slurm() {
        for good in ["512M", "8G", "1T", "64K"] {
            assert!(check_mem(good).is_ok(), "{good}");
        }
        for bad in ["8", "8GB", "8g", "0G", "", "G", "1.5G"] {
            assert!(check_mem(bad).is_err(), "{bad}");
        }
        for good in ["30", "30:00", "01:00:00", "2-12", "1-00:30", "2-00:00:00"] {
            assert!(check_time(good).is_ok(), "{good}");
        }
        for bad in [
            "", "1h", "10:60", "1-24", "0", "0:00:00", "1:2:3:4", "1-2-3", "a",
        ] {
            assert!(check_time(bad).is_err(), "{bad}");
        }
    }
}
