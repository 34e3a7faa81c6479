//! The validated model of an annotated item: what each argument is for, what the function
//! returns, which attributes go where. Every misuse is rejected here with a spanned message.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::{
    Attribute, Block, FnArg, GenericArgument, Ident, ItemFn, Pat, PathArguments, ReturnType,
    Signature, Type, Visibility,
};

use crate::errors::Errors;

/// The attributes of the user's function, split by where they must go after expansion.
pub(crate) struct Attrs {
    /// `#[cfg(..)]` and `#[cfg_attr(..)]`: repeated on every generated item.
    pub cfg: Vec<Attribute>,
    /// `#[doc = ..]`: moved to the value the user refers to.
    pub doc: Vec<Attribute>,
    /// Everything else (`#[allow]`, `#[inline]`, ...): kept on the user's function.
    pub other: Vec<Attribute>,
}

impl Attrs {
    /// Splits `attrs` by where each must go.
    pub(crate) fn split(attrs: Vec<Attribute>) -> Attrs {
        let mut split = Attrs {
            cfg: Vec::new(),
            doc: Vec::new(),
            other: Vec::new(),
        };
        for attr in attrs {
            if attr.path().is_ident("doc") {
                split.doc.push(attr);
            } else if attr.path().is_ident("cfg") || attr.path().is_ident("cfg_attr") {
                split.cfg.push(attr);
            } else {
                split.other.push(attr);
            }
        }
        split
    }
}

/// What an argument of a stage function receives.
pub(crate) enum ArgRole {
    /// The previous stage's output (the first argument of a step).
    Data,
    /// A param looked up by name in the condition's params.
    Param(String),
    /// `&Ctx` (`mutable == false`) or `&mut Ctx`.
    Ctx { mutable: bool },
}

pub(crate) struct Arg {
    pub role: ArgRole,
    pub ty: Type,
}

/// What a stage function returns.
pub(crate) struct Output {
    /// The data passed to the next stage.
    pub ty: Type,
    /// The function returns `Result<ty, E>`; an `Err` fails the unit.
    pub fallible: bool,
}

/// Whether a stage function is a source (no data argument) or a step.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum StageKind {
    Source,
    Step,
}

impl StageKind {
    pub(crate) fn attribute(self) -> &'static str {
        match self {
            StageKind::Source => "#[source]",
            StageKind::Step => "#[step]",
        }
    }
}

/// A validated `#[source]` or `#[step]` function.
pub(crate) struct StageFn {
    pub attrs: Attrs,
    pub vis: Visibility,
    pub sig: Signature,
    pub block: Box<Block>,
    pub args: Vec<Arg>,
    pub output: Output,
    /// What the body reads from its context by name.
    pub ctx_reads: CtxReads,
}

/// The params a stage body reads through its context (`ctx.param::<T>("name")`), beyond the
/// params it takes as arguments: what the definition check of the runtime may count as taken.
#[derive(Default)]
pub(crate) struct CtxReads {
    /// Names read with a string literal, in order of appearance, without repeats.
    pub names: Vec<String>,
    /// The body may read params whose names the macro cannot see: it calls `ctx.params()`,
    /// calls `ctx.param(..)` with a name that is not a string literal, calls a method the
    /// macro does not know, or uses the context other than as a method receiver (passes it to
    /// a function, rebinds it, ...).
    pub unknown: bool,
    /// Metrics recorded with a string literal (`ctx.record("name", ..)`), in order of
    /// appearance, without repeats.
    pub records: Vec<String>,
    /// The body may record metrics whose names the macro cannot see: it calls `ctx.record(..)`
    /// with a name that is not a string literal, calls a method the macro does not know, or
    /// uses the context other than as a method receiver.
    pub records_unknown: bool,
}

/// Methods of `Ctx` that read no param (every public method but `param` and `params`). A method
/// not listed here counts as one that may read any param, so a method added to `Ctx` later is
/// safe until it is listed.
const CTX_METHODS_WITHOUT_PARAMS: &[&str] = &[
    "experiment",
    "condition",
    "replicate",
    "stage",
    "seed",
    "rng",
    "record",
    "metrics",
    "write_bytes",
    "write_json",
    "artifact",
    "artifacts",
];

impl CtxReads {
    /// Scans `body` for uses of the context argument, whose pattern is `ctx` (`None`: the
    /// function takes no context).
    pub(crate) fn scan(ctx: Option<&Pat>, body: TokenStream) -> CtxReads {
        let mut reads = CtxReads::default();
        match ctx {
            None | Some(Pat::Wild(_)) => {}
            Some(Pat::Ident(pat)) if pat.subpat.is_none() => {
                reads.scan_stream(&pat.ident.unraw().to_string(), body);
            }
            Some(_) => {
                reads.unknown = true;
                reads.records_unknown = true;
            }
        }
        reads
    }

    fn scan_stream(&mut self, ctx: &str, stream: TokenStream) {
        let tokens: Vec<TokenTree> = stream.into_iter().collect();
        for (index, token) in tokens.iter().enumerate() {
            match token {
                TokenTree::Group(group) => self.scan_stream(ctx, group.stream()),
                TokenTree::Ident(ident) if ident.unraw() == ctx => {
                    // `x.ctx` and `path::ctx` name something else.
                    let other = index > 0
                        && matches!(&tokens[index - 1], TokenTree::Punct(p) if matches!(p.as_char(), '.' | ':'));
                    if !other {
                        self.use_of_ctx(&tokens[index + 1..]);
                    }
                }
                _ => {}
            }
        }
    }

    /// Classifies one use of the context, given the tokens after it.
    fn use_of_ctx(&mut self, rest: &[TokenTree]) {
        let method = match rest {
            [TokenTree::Punct(dot), TokenTree::Ident(method), ..]
                if dot.as_char() == '.' && dot.spacing() == proc_macro2::Spacing::Alone =>
            {
                method.unraw().to_string()
            }
            _ => {
                self.unknown = true;
                self.records_unknown = true;
                return;
            }
        };
        if method == "record" {
            match literal_first_argument(&rest[2..]) {
                Some(name) => {
                    if !self.records.contains(&name) {
                        self.records.push(name);
                    }
                }
                None => self.records_unknown = true,
            }
            return;
        }
        if CTX_METHODS_WITHOUT_PARAMS.contains(&method.as_str()) {
            return;
        }
        if method != "param" {
            self.unknown = true;
            self.records_unknown = true;
            return;
        }
        match literal_param_name(&rest[2..]) {
            Some(name) => {
                if !self.names.contains(&name) {
                    self.names.push(name);
                }
            }
            None => self.unknown = true,
        }
    }
}

/// The metric name in `("name", value)`, the tokens after `ctx.record`: a string literal
/// followed by a comma.
fn literal_first_argument(rest: &[TokenTree]) -> Option<String> {
    let TokenTree::Group(arguments) = rest.first()? else {
        return None;
    };
    if arguments.delimiter() != Delimiter::Parenthesis {
        return None;
    }
    let mut inner = arguments.stream().into_iter();
    let (Some(TokenTree::Literal(literal)), Some(TokenTree::Punct(comma))) =
        (inner.next(), inner.next())
    else {
        return None;
    };
    if comma.as_char() != ',' {
        return None;
    }
    match syn::Lit::new(literal) {
        syn::Lit::Str(text) => Some(text.value()),
        _ => None,
    }
}

/// The name in `::<T>("name")` or `("name")`, the tokens after `ctx.param`.
fn literal_param_name(rest: &[TokenTree]) -> Option<String> {
    let mut rest = rest;
    if let [
        TokenTree::Punct(first),
        TokenTree::Punct(second),
        TokenTree::Punct(open),
        after @ ..,
    ] = rest
        && first.as_char() == ':'
        && second.as_char() == ':'
        && open.as_char() == '<'
    {
        let mut depth = 1usize;
        let mut previous_arrow = false;
        let mut position = 0;
        while depth > 0 {
            let TokenTree::Punct(punct) = after.get(position)? else {
                previous_arrow = false;
                position += 1;
                continue;
            };
            match punct.as_char() {
                '<' => depth += 1,
                // The `>` of `->` closes nothing.
                '>' if !previous_arrow => depth -= 1,
                _ => {}
            }
            previous_arrow =
                punct.as_char() == '-' && punct.spacing() == proc_macro2::Spacing::Joint;
            position += 1;
        }
        rest = &after[position..];
    }
    let TokenTree::Group(arguments) = rest.first()? else {
        return None;
    };
    if arguments.delimiter() != Delimiter::Parenthesis {
        return None;
    }
    let mut inner = arguments.stream().into_iter();
    let (Some(TokenTree::Literal(literal)), None) = (inner.next(), inner.next()) else {
        return None;
    };
    match syn::Lit::new(literal) {
        syn::Lit::Str(text) => Some(text.value()),
        _ => None,
    }
}

impl StageFn {
    pub(crate) fn ident(&self) -> &Ident {
        &self.sig.ident
    }

    /// The tokens the code hash covers: signature and body (not visibility, not attributes).
    pub(crate) fn hashed_tokens(&self) -> TokenStream {
        let mut tokens = self.sig.to_token_stream();
        self.block.to_tokens(&mut tokens);
        tokens
    }

    /// The type of the data argument (steps only).
    pub(crate) fn data_type(&self) -> Option<&Type> {
        self.args
            .iter()
            .find(|arg| matches!(arg.role, ArgRole::Data))
            .map(|arg| &arg.ty)
    }
}

/// A validated `#[experiment]` function.
pub(crate) struct ExperimentFn {
    pub attrs: Attrs,
    pub vis: Visibility,
    pub sig: Signature,
    pub block: Box<Block>,
}

/// Records an error for each part of `sig` no annotated function may have, in source order.
fn reject_unsupported_signature(sig: &Signature, attribute: &str, errors: &mut Errors) {
    if let Some(constness) = &sig.constness {
        errors.push(syn::Error::new_spanned(
            constness,
            format!("{attribute} functions cannot be `const`"),
        ));
    }
    if let Some(asyncness) = &sig.asyncness {
        errors.push(syn::Error::new_spanned(
            asyncness,
            format!(
                "{attribute} functions cannot be `async`; run async work inside a synchronous function (e.g. with your runtime's `block_on`)"
            ),
        ));
    }
    if let syn::Safety::Unsafe(unsafety) = &sig.safety {
        errors.push(syn::Error::new_spanned(
            unsafety,
            format!(
                "{attribute} functions cannot be `unsafe`: the pipeline calls them as safe functions; put the unsafe code in an `unsafe` block inside"
            ),
        ));
    }
    if let Some(abi) = &sig.abi {
        errors.push(syn::Error::new_spanned(
            abi,
            format!("{attribute} functions cannot declare an ABI"),
        ));
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        let message = format!(
            "{attribute} functions cannot be generic: the pipeline needs concrete input and output types"
        );
        // `Generics` prints its parameters only: a lone `where` clause is pointed at itself.
        errors.push(if sig.generics.params.is_empty() {
            syn::Error::new_spanned(&sig.generics.where_clause, message)
        } else {
            syn::Error::new_spanned(&sig.generics, message)
        });
    }
    if let Some(variadic) = &sig.variadic {
        errors.push(syn::Error::new_spanned(
            variadic,
            format!("{attribute} functions cannot be variadic"),
        ));
    }
}

/// `&Ctx` / `&mut Ctx` (any path ending in `Ctx`), or `None` for other types.
fn ctx_reference(ty: &Type) -> Option<bool> {
    let Type::Reference(reference) = ty else {
        return None;
    };
    is_ctx_path(&reference.elem).then_some(reference.mutability.is_some())
}

fn is_ctx_path(ty: &Type) -> bool {
    match ty {
        Type::Path(path) if path.qself.is_none() => path
            .path
            .segments
            .last()
            .is_some_and(|segment| segment.ident == "Ctx" && segment.arguments.is_none()),
        Type::Paren(inner) => is_ctx_path(&inner.elem),
        _ => false,
    }
}

/// What a stage function returning `ret` passes on: the `T` of `Result<T, E>`, else the type.
pub(crate) fn output_of(ret: &ReturnType) -> Output {
    let ty = match ret {
        ReturnType::Default => {
            return Output {
                ty: syn::parse_quote!(()),
                fallible: false,
            };
        }
        ReturnType::Type(_, ty) => ty.as_ref().clone(),
    };
    if let Type::Path(path) = &ty
        && let Some(last) = path.path.segments.last()
        && last.ident == "Result"
        && let PathArguments::AngleBracketed(arguments) = &last.arguments
        && let Some(GenericArgument::Type(ok)) = arguments.args.first()
    {
        return Output {
            ty: ok.clone(),
            fallible: true,
        };
    }
    Output {
        ty,
        fallible: false,
    }
}

/// Validates a `#[source]` or `#[step]` function and classifies its arguments. Every problem is
/// recorded in `errors` (all of them, not only the first); `None` when there was one.
pub(crate) fn stage_fn(item: ItemFn, kind: StageKind, errors: &mut Errors) -> Option<StageFn> {
    let attribute = kind.attribute();
    let mut found = Errors::new();
    reject_unsupported_signature(&item.sig, attribute, &mut found);
    let mut args = Vec::new();
    let mut first_ctx: Option<String> = None;
    let mut ctx_pat: Option<Pat> = None;
    // Whether the first argument was already reported as misplaced (then "needs a data
    // argument" would say the same again).
    let mut first_reported = false;
    for (position, input) in item.sig.inputs.iter().enumerate() {
        let typed = match input {
            FnArg::Receiver(receiver) => {
                found.push(syn::Error::new_spanned(
                    receiver,
                    format!("{attribute} must be a free function, not a method: remove `self`"),
                ));
                first_reported |= position == 0;
                continue;
            }
            FnArg::Typed(typed) => typed,
        };
        let ty = typed.ty.as_ref().clone();
        if let Some(mutable) = ctx_reference(&ty) {
            if let Some(first) = &first_ctx {
                found.push(syn::Error::new_spanned(
                    typed,
                    format!(
                        "{attribute} takes at most one context argument, and `{first}` is already one: remove this one"
                    ),
                ));
                continue;
            }
            if kind == StageKind::Step && position == 0 {
                let hint = if item.sig.inputs.len() == 1 {
                    "; if this function produces the pipeline's input, mark it #[source] instead"
                } else {
                    ""
                };
                found.push(syn::Error::new_spanned(
                    typed,
                    format!(
                        "the first argument of a #[step] is its input data (the previous stage's output): put the data argument first, e.g. `fn name(data: Vec<f64>, ctx: &Ctx)`{hint}"
                    ),
                ));
                first_reported = true;
            }
            first_ctx = Some(typed.pat.to_token_stream().to_string());
            ctx_pat = Some(typed.pat.as_ref().clone());
            args.push(Arg {
                role: ArgRole::Ctx { mutable },
                ty,
            });
            continue;
        }
        if is_ctx_path(&ty) {
            found.push(syn::Error::new_spanned(
                &typed.ty,
                "take the context by reference: `ctx: &Ctx` or `ctx: &mut Ctx`",
            ));
            continue;
        }
        if kind == StageKind::Step && position == 0 {
            args.push(Arg {
                role: ArgRole::Data,
                ty,
            });
            continue;
        }
        let plain = match typed.pat.as_ref() {
            Pat::Ident(pat) if pat.by_ref.is_none() && pat.subpat.is_none() => Some(pat),
            _ => None,
        };
        let Some(pat) = plain else {
            found.push(syn::Error::new_spanned(
                &typed.pat,
                "a param argument must be a plain name: it is looked up by that name in the condition's params",
            ));
            continue;
        };
        if let Type::Reference(reference) = &ty {
            found.push(syn::Error::new_spanned(
                reference,
                "a param argument must be an owned type (it is deserialised from the condition's params); use e.g. `String` instead of `&str`",
            ));
            continue;
        }
        args.push(Arg {
            role: ArgRole::Param(pat.ident.unraw().to_string()),
            ty,
        });
    }
    if kind == StageKind::Step
        && !first_reported
        && !args.iter().any(|arg| matches!(arg.role, ArgRole::Data))
    {
        found.push(syn::Error::new(
            item.sig.paren_token.span.join(),
            "a #[step] needs a data argument: its first argument receives the previous stage's output, e.g. `fn name(data: Vec<f64>)`; if this function produces the pipeline's input, mark it #[source] instead",
        ));
    }
    if !found.is_empty() {
        errors.push_all(found);
        return None;
    }
    let output = output_of(&item.sig.output);
    let ctx_reads = CtxReads::scan(ctx_pat.as_ref(), item.block.to_token_stream());
    Some(StageFn {
        attrs: Attrs::split(item.attrs),
        vis: item.vis,
        sig: item.sig,
        block: item.block,
        args,
        output,
        ctx_reads,
    })
}

/// Whether `ty` names `Experiment` (any path ending in it, without arguments).
pub(crate) fn is_experiment_type(ty: &Type) -> bool {
    match ty {
        Type::Path(path) => {
            path.qself.is_none()
                && path.path.segments.last().is_some_and(|segment| {
                    segment.ident == "Experiment" && segment.arguments.is_none()
                })
        }
        _ => false,
    }
}

/// Validates an `#[experiment]` function. Every problem is recorded in `errors`; `None` when
/// there was one.
pub(crate) fn experiment_fn(item: ItemFn, errors: &mut Errors) -> Option<ExperimentFn> {
    let mut found = Errors::new();
    reject_unsupported_signature(&item.sig, "#[experiment]", &mut found);
    if !item.sig.inputs.is_empty() {
        found.push(syn::Error::new_spanned(
            &item.sig.inputs,
            "an #[experiment] function takes no arguments: params belong in `.param(..)`, inputs in `Experiment::from(..)`",
        ));
    }
    let returns_experiment = match &item.sig.output {
        ReturnType::Type(_, ty) => is_experiment_type(ty),
        ReturnType::Default => false,
    };
    if !returns_experiment {
        let message = "an #[experiment] function must return `Experiment`: write `fn name() -> Experiment { Experiment::from(source).step(..) }`";
        found.push(match &item.sig.output {
            ReturnType::Type(_, ty) => syn::Error::new_spanned(ty, message),
            ReturnType::Default => syn::Error::new(item.sig.paren_token.span.close(), message),
        });
    }
    if !found.is_empty() {
        errors.push_all(found);
        return None;
    }
    Some(ExperimentFn {
        attrs: Attrs::split(item.attrs),
        vis: item.vis,
        sig: item.sig,
        block: item.block,
    })
}

/// Whether `ty` is `&[f64]`.
fn is_f64_slice(ty: &Type) -> bool {
    let Type::Reference(reference) = ty else {
        return false;
    };
    if reference.mutability.is_some() {
        return false;
    }
    let Type::Slice(slice) = &*reference.elem else {
        return false;
    };
    matches!(&*slice.elem, Type::Path(path) if path.qself.is_none() && path.path.is_ident("f64"))
}

/// Checks a `#[verifier]` function: a plain signature
/// `fn name(baseline: &[f64], treatment: &[f64]) -> VerifierOutcome` (the return type is checked
/// by the compiler, at the return type). Returns whether it can be expanded; problems go to
/// `errors`.
pub(crate) fn verifier_fn(item: &ItemFn, errors: &mut Errors) -> bool {
    const ATTRIBUTE: &str = "#[verifier]";
    let mut found = Errors::new();
    reject_unsupported_signature(&item.sig, ATTRIBUTE, &mut found);
    let shape = "a #[verifier] function takes the baseline's and the treatment's values: write `fn name(baseline: &[f64], treatment: &[f64]) -> VerifierOutcome`";
    let mut typed = Vec::new();
    for input in &item.sig.inputs {
        match input {
            FnArg::Receiver(receiver) => found.push(syn::Error::new_spanned(
                receiver,
                "a #[verifier] function cannot take `self`: write a free function",
            )),
            FnArg::Typed(arg) => typed.push(arg),
        }
    }
    if typed.len() != 2 {
        found.push(syn::Error::new(item.sig.paren_token.span.join(), shape));
    } else {
        for arg in typed {
            if !is_f64_slice(&arg.ty) {
                found.push(syn::Error::new_spanned(&arg.ty, shape));
            }
        }
    }
    if let ReturnType::Default = item.sig.output {
        found.push(syn::Error::new(
            item.sig.paren_token.span.close(),
            "a #[verifier] function returns its outcome: write `-> VerifierOutcome`, e.g. `VerifierOutcome::new(p_value).effect(effect)`",
        ));
    }
    let ok = found.is_empty();
    errors.push_all(found);
    ok
}

/// Checks a `#[crystallize::plugin]` function: no arguments, a return type (the plugin), and a
/// plain signature. Returns whether it can be registered; problems go to `errors`.
pub(crate) fn plugin_fn(item: &ItemFn, errors: &mut Errors) -> bool {
    const ATTRIBUTE: &str = "#[crystallize::plugin]";
    let mut found = Errors::new();
    let sig = &item.sig;
    if let Some(asyncness) = &sig.asyncness {
        found.push(syn::Error::new_spanned(
            asyncness,
            format!("{ATTRIBUTE} functions cannot be `async`: each run calls the function to create its plugin"),
        ));
    }
    if let syn::Safety::Unsafe(unsafety) = &sig.safety {
        found.push(syn::Error::new_spanned(
            unsafety,
            format!("{ATTRIBUTE} functions cannot be `unsafe`: each run calls the function as a safe one; put the unsafe code in an `unsafe` block inside"),
        ));
    }
    if let Some(abi) = &sig.abi {
        found.push(syn::Error::new_spanned(
            abi,
            format!("{ATTRIBUTE} functions cannot declare an ABI"),
        ));
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        let message = format!(
            "{ATTRIBUTE} functions cannot be generic: return one concrete plugin (or `impl Plugin`)"
        );
        found.push(if sig.generics.params.is_empty() {
            syn::Error::new_spanned(&sig.generics.where_clause, message)
        } else {
            syn::Error::new_spanned(&sig.generics, message)
        });
    }
    if !sig.inputs.is_empty() || sig.variadic.is_some() {
        found.push(syn::Error::new_spanned(
            &sig.inputs,
            format!("a {ATTRIBUTE} function takes no arguments: it creates the plugin, e.g. `fn csv_rows() -> CsvRows {{ CsvRows::new(\"rows.csv\") }}`"),
        ));
    }
    if let ReturnType::Default = sig.output {
        found.push(syn::Error::new(
            sig.paren_token.span.close(),
            format!("a {ATTRIBUTE} function returns the plugin: write `fn name() -> MyPlugin` or `fn name() -> impl Plugin`"),
        ));
    }
    let ok = found.is_empty();
    errors.push_all(found);
    ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads(item: ItemFn, kind: StageKind) -> (Vec<String>, bool) {
        let mut errors = Errors::new();
        let stage = stage_fn(item, kind, &mut errors);
        let stage = stage.unwrap_or_else(|| panic!("{}", errors.into_compile_errors()));
        (stage.ctx_reads.names, stage.ctx_reads.unknown)
    }

    fn step_reads(item: ItemFn) -> (Vec<String>, bool) {
        reads(item, StageKind::Step)
    }

    #[test]
    fn literal_param_reads_are_named() {
        let found = step_reads(syn::parse_quote! {
            fn s(data: u32, ctx: &mut Ctx) -> Result<u32, StepError> {
                let a: f64 = ctx.param("alpha")?;
                let b = ctx.param::<Option<Vec<f64>>>("beta")?;
                let c = ctx.param::<Box<dyn Fn() -> u32>>(r"gamma")?;
                let again: f64 = ctx.param("alpha")?;
                ctx.record("x", a);
                let _ = (ctx.seed(), ctx.rng(), ctx.replicate(), ctx.condition());
                Ok(data)
            }
        });
        assert_eq!(
            found,
            (vec!["alpha".into(), "beta".into(), "gamma".into()], false)
        );
    }

    fn records(item: ItemFn) -> (Vec<String>, bool) {
        let mut errors = Errors::new();
        let stage = stage_fn(item, StageKind::Step, &mut errors);
        let stage = stage.unwrap_or_else(|| panic!("{}", errors.into_compile_errors()));
        (stage.ctx_reads.records, stage.ctx_reads.records_unknown)
    }

    #[test]
    fn literal_metric_names_are_recorded() {
        let found = records(syn::parse_quote! {
            fn s(data: u32, ctx: &mut Ctx) -> u32 {
                ctx.record("mean", 1.0);
                ctx.record(r"sd", 2.0);
                ctx.record("mean", 3.0);
                let _ = ctx.param::<f64>("alpha");
                data
            }
        });
        assert_eq!(found, (vec!["mean".into(), "sd".into()], false));
        let found = records(syn::parse_quote! {
            fn s(data: u32, ctx: &mut Ctx) -> u32 {
                let name = "mean";
                ctx.record(name, 1.0);
                data
            }
        });
        assert_eq!(found, (vec![], true));
        let found = records(syn::parse_quote! {
            fn s(data: u32, ctx: &mut Ctx) -> u32 {
                ctx.record("kept", 1.0);
                helper(ctx);
                data
            }
        });
        assert_eq!(found, (vec!["kept".into()], true));
        let found = records(syn::parse_quote! {
            fn s(data: u32) -> u32 {
                data
            }
        });
        assert_eq!(found, (vec![], false));
    }

    #[test]
    fn reads_the_macro_cannot_name_are_unknown() {
        let bodies: Vec<ItemFn> = vec![
            syn::parse_quote!(
                fn s(data: u32, ctx: &Ctx) -> u32 {
                    ctx.params().len() as u32
                }
            ),
            syn::parse_quote!(
                fn s(data: u32, ctx: &Ctx) -> u32 {
                    let n = "a";
                    ctx.param::<u32>(n).unwrap()
                }
            ),
            syn::parse_quote!(
                fn s(data: u32, ctx: &Ctx) -> u32 {
                    helper(ctx)
                }
            ),
            syn::parse_quote!(
                fn s(data: u32, ctx: &Ctx) -> u32 {
                    let other = ctx;
                    data
                }
            ),
            syn::parse_quote!(
                fn s(data: u32, ctx: &Ctx) -> u32 {
                    (*ctx).seed() as u32
                }
            ),
            syn::parse_quote!(
                fn s(data: u32, ctx: &Ctx) -> u32 {
                    ctx.custom_extension()
                }
            ),
            syn::parse_quote!(
                fn s(data: u32, ctx: &Ctx) -> u32 {
                    ctx.param::<u32>(concat!("a", "b")).unwrap()
                }
            ),
            syn::parse_quote!(
                fn s(data: u32, (ctx): &Ctx) -> u32 {
                    data
                }
            ),
        ];
        for body in bodies {
            let shown = body.to_token_stream().to_string();
            assert!(step_reads(body).1, "{shown}");
        }
    }

    #[test]
    fn other_things_named_like_the_context_and_unused_contexts_read_nothing() {
        let found = step_reads(syn::parse_quote! {
            fn s(data: Wrapper, c: &mut Ctx) -> u32 {
                let _ = data.ctx.params();
                let _ = module::ctx();
                c.record("x", 1.0);
                "ctx.params()".len() as u32
            }
        });
        assert_eq!(found, (Vec::<String>::new(), false));
        assert_eq!(
            reads(
                syn::parse_quote!(
                    fn s(_: &Ctx) -> u32 {
                        1
                    }
                ),
                StageKind::Source
            ),
            (Vec::new(), false)
        );
        assert_eq!(
            reads(
                syn::parse_quote!(
                    fn s(n: u32) -> u32 {
                        n
                    }
                ),
                StageKind::Source
            ),
            (Vec::new(), false)
        );
    }

    fn stage_messages(item: ItemFn, kind: StageKind) -> Vec<String> {
        let mut errors = Errors::new();
        let stage = stage_fn(item, kind, &mut errors);
        assert_eq!(stage.is_none(), !errors.is_empty());
        errors.messages()
    }

    #[test]
    fn every_problem_of_a_stage_function_is_reported() {
        let messages = stage_messages(
            syn::parse_quote! {
                const async unsafe fn s<T>(
                    ctx: &Ctx,
                    (a, b): (T, T),
                    label: &str,
                    owned: Ctx,
                    other: &mut Ctx,
                ) -> T {
                    a
                }
            },
            StageKind::Step,
        );
        let starts = [
            "#[step] functions cannot be `const`",
            "#[step] functions cannot be `async`",
            "#[step] functions cannot be `unsafe`",
            "#[step] functions cannot be generic",
            "the first argument of a #[step] is its input data",
            "a param argument must be a plain name",
            "a param argument must be an owned type",
            "take the context by reference",
            "#[step] takes at most one context argument, and `ctx` is already one",
        ];
        assert_eq!(messages.len(), starts.len(), "{messages:#?}");
        for (message, start) in messages.iter().zip(starts) {
            assert!(message.starts_with(start), "{message}");
        }
    }

    #[test]
    fn a_misplaced_first_argument_is_not_also_a_missing_data_argument() {
        let messages = stage_messages(
            syn::parse_quote!(
                fn s(ctx: &Ctx) -> u32 {
                    1
                }
            ),
            StageKind::Step,
        );
        assert_eq!(messages.len(), 1, "{messages:#?}");
        let messages = stage_messages(
            syn::parse_quote!(
                fn s() -> u32 {
                    1
                }
            ),
            StageKind::Step,
        );
        assert_eq!(messages.len(), 1, "{messages:#?}");
        assert!(messages[0].starts_with("a #[step] needs a data argument"));
        assert!(
            stage_messages(
                syn::parse_quote!(
                    fn s() -> u32 {
                        1
                    }
                ),
                StageKind::Source
            )
            .is_empty()
        );
    }

    #[test]
    fn every_problem_of_an_experiment_function_is_reported() {
        let mut errors = Errors::new();
        let item: ItemFn = syn::parse_quote! {
            async fn e<T>(factor: f64) -> u32 where T: Clone { 1 }
        };
        assert!(experiment_fn(item, &mut errors).is_none());
        let messages = errors.messages();
        assert_eq!(messages.len(), 4, "{messages:#?}");
        assert!(messages[3].starts_with("an #[experiment] function must return `Experiment`"));
        let mut errors = Errors::new();
        let item: ItemFn = syn::parse_quote! {
            fn e() -> crystallize::Experiment { todo!() }
        };
        assert!(experiment_fn(item, &mut errors).is_some());
        assert!(errors.is_empty());
    }
}
