//! Code generation. Each annotated function `f` becomes:
//!
//! - a constant `f` (value namespace) carrying the user's doc comments, of a zero-sized type
//!   declared in a hidden module, `__crystallize_<kind>_f::f`. The constant dereferences to a
//!   function pointer to the user's function, so `f(..)` still calls it directly (unit tests keep
//!   working), while `.step(f)` passes the constant and the pipeline sees its trait impls;
//! - inside an anonymous `const _: () = { .. };` block: the user's function under its own name
//!   (it shadows the constant there, so the glue calls the function), body untouched; trait impls
//!   (`Source`, `Step<Input>`, `ExperimentRef`) with the name, the code hash, the params and the
//!   glue that injects params by name before the body runs; for experiments, an `inventory`
//!   registration.
//!
//! # Hygiene
//!
//! The only names an expansion adds to the user's module are the constant, which the user chose,
//! and the hidden module `__crystallize_<kind>_<name>` (type namespace, so it can only collide
//! with a type or module the user gives that reserved name). The type lives in that module, so a
//! step named `f64` or a source named `String` shadows no type of the user's module, while
//! diagnostics print the type as `f` (rustc shortens a path to the name when the name is
//! unique). Everything else is out of the user's reach:
//!
//! - the user's function and every impl are inside the anonymous block, whose items only the
//!   block sees; the block declares no item but the user's function (the function pointer and the
//!   experiment's builder are associated constants of the hidden type, reached as `Self::..`);
//! - the glue's local variables (`__crystallize_ctx`, `__crystallize_input`,
//!   `__crystallize_param_N`, `__crystallize_output`) have `Span::mixed_site()` hygiene: user
//!   code cannot name them, and the user's code is never inside the glue anyway (the glue calls
//!   the user's function, whose own arguments keep the user's names);
//! - the marker constants of `#[crystallize::code]`, `__mark_<name>_with_crystallize_code`, are
//!   named so that `uses(<name>)` finds them: a user's item could only collide with one by
//!   spelling that reserved pattern. Two markers of one module can collide with each other, as
//!   the paths `uses(..)` takes cannot tell them apart: a marked fn and a marked struct of one
//!   name, or two marked impl blocks of one type (and trait) in one module; rustc then reports
//!   the marker as defined twice.
//!
//! # Errors
//!
//! Errors never replace the user's code: see [`stage`] and [`experiment`] for what is generated
//! next to them.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::{FnArg, Ident, Item, ItemFn, Path, ReturnType};

use crate::errors::Errors;
use crate::hash::code_hash;
use crate::items;
use crate::model::{self, ArgRole, ExperimentFn, StageFn, StageKind};
use crate::parse::{
    CodeOptions, CratePath, ExperimentOptions, PluginOptions, StageOptions, UsePath,
};
use crate::reach::{self, Analysis, Subject};

/// What `#[source]` or `#[step]` was asked for: which kind of stage, and its options.
pub(crate) struct StageSpec<'a> {
    /// Source or step.
    pub kind: StageKind,
    /// The stage name (`name = ".."`); the function name when `None`.
    pub name: Option<String>,
    /// Tracked helpers (`uses(..)`).
    pub uses: &'a [UsePath],
    /// Items left out of the key (`ignore(..)`).
    pub ignore: &'a [Path],
    /// `#[step(cache)]`.
    pub cache: bool,
    /// Where the runtime is (`crate = ..`).
    pub krate: &'a CratePath,
}

impl<'a> StageSpec<'a> {
    /// The spec of a stage of `kind` with `options`.
    pub(crate) fn new(kind: StageKind, options: &'a StageOptions) -> StageSpec<'a> {
        StageSpec {
            kind,
            name: options.name.as_ref().map(syn::LitStr::value),
            uses: &options.uses,
            ignore: &options.ignore,
            cache: options.cache,
            krate: &options.krate,
        }
    }
}

fn hash_tokens(rt: &TokenStream, hash: [u8; 32]) -> TokenStream {
    quote!(#rt::CodeHash([#(#hash),*]))
}

/// The hidden module holding the type of the constant an annotated function `ident` becomes,
/// and the path of that type: `__crystallize_step_scale` and `__crystallize_step_scale::scale`.
fn hidden_type(kind: &str, ident: &Ident) -> (Ident, TokenStream) {
    let module = format_ident!("__crystallize_{}_{}", kind, ident.unraw());
    let path = quote!(#module::#ident);
    (module, path)
}

/// The hidden module with the type, and the constant of that type named like the function.
fn type_and_constant(
    module: &Ident,
    ident: &Ident,
    vis: &syn::Visibility,
    cfg: &[syn::Attribute],
    doc: &[syn::Attribute],
) -> TokenStream {
    quote! {
        #(#cfg)*
        #[doc(hidden)]
        #[allow(non_snake_case)]
        mod #module {
            // `pub` so that a constant of any visibility may have it as its type.
            #[doc(hidden)]
            #[allow(non_camel_case_types, unreachable_pub)]
            pub struct #ident {}
        }

        #(#cfg)*
        #(#doc)*
        #[allow(non_upper_case_globals)]
        #vis const #ident: #module::#ident = #module::#ident {};
    }
}

/// A local variable of the glue, invisible to the user's code.
fn local(name: &str) -> Ident {
    Ident::new(name, Span::mixed_site())
}

/// The hidden constant `#[crystallize::code]` emits next to a helper named `name`. Its name reads
/// as the fix when a step names a helper that is not marked.
pub(crate) fn marker_ident(name: &str, span: Span) -> Ident {
    format_ident!("__mark_{}_with_crystallize_code", name, span = span)
}

/// The `Reach` constant of an analysis of an item whose canonical text is `text`.
fn reach_tokens(rt: &TokenStream, analysis: &Analysis, text: &str) -> TokenStream {
    let items = analysis.items.iter().map(|item| {
        let path = &item.path;
        let code = hash_tokens(rt, item.code);
        let via = item.via.as_deref().unwrap_or("");
        let text = &item.text;
        quote!(#rt::ReachedCode { path: #path, code: #code, via: #via, text: #text })
    });
    let dependencies = analysis.dependencies.iter().map(|dependency| {
        let (name, version, checksum) =
            (&dependency.name, &dependency.version, &dependency.checksum);
        quote!(#rt::DependencyInfo { name: #name, version: #version, checksum: #checksum })
    });
    let untracked = &analysis.untracked;
    let ignored = &analysis.ignored;
    quote! {
        #rt::Reach {
            items: &[#(#items),*],
            dependencies: &[#(#dependencies),*],
            untracked: &[#(#untracked),*],
            ignored: &[#(#ignored),*],
            text: #text,
        }
    }
}

/// Constants that make the build read the files the analysis read outside the module tree
/// (`Cargo.lock`, included files), so editing them rebuilds and re-analyses.
fn tracked_files(analysis: &Analysis) -> TokenStream {
    let files = analysis
        .tracked_files
        .iter()
        .filter_map(|file| file.to_str().map(str::to_string));
    quote!(#(const _: &[u8] = ::core::include_bytes!(#files);)*)
}

/// The expressions for `uses(..)`: one `TrackedCode` constant per helper.
fn uses_exprs(uses: &[UsePath]) -> Vec<TokenStream> {
    uses.iter()
        .map(|use_path| match use_path {
            UsePath::Item(path) => {
                let mut marker: Path = path.clone();
                if let Some(last) = marker.segments.last_mut() {
                    let name = last.ident.unraw().to_string();
                    last.ident = marker_ident(&name, last.ident.span());
                    last.arguments = syn::PathArguments::None;
                }
                // The `use` makes a path that names nothing fail as such, apart from the
                // "not marked" error of the marker lookup.
                let span = syn::spanned::Spanned::span(path);
                quote_spanned!(span=> {
                    #[allow(unused_imports)]
                    use #path as _;
                    #marker
                })
            }
            UsePath::Impl {
                trait_path,
                self_path,
                span,
            } => {
                let mut path = self_path.clone();
                let self_name = path
                    .segments
                    .last()
                    .map(|segment| segment.ident.unraw().to_string())
                    .unwrap_or_default();
                let name = match trait_path.as_ref().and_then(|t| t.segments.last()) {
                    Some(trait_segment) => {
                        format!("impl_{}_for_{}", trait_segment.ident.unraw(), self_name)
                    }
                    None => format!("impl_{self_name}"),
                };
                let checked = self_path.clone();
                if let Some(last) = path.segments.last_mut() {
                    last.ident = marker_ident(&name, *span);
                    last.arguments = syn::PathArguments::None;
                }
                let checked_span = syn::spanned::Spanned::span(&checked);
                quote_spanned!(checked_span=> {
                    #[allow(unused_imports)]
                    use #checked as _;
                    #path
                })
            }
        })
        .collect()
}

/// Whether `sig` takes `self`: the function is in an impl block or a trait, where no module,
/// constant or block may be declared next to it.
fn has_receiver(sig: &syn::Signature) -> bool {
    sig.inputs
        .iter()
        .any(|input| matches!(input, FnArg::Receiver(_)))
}

/// Whether `tokens` contain `impl` (an `impl Trait` type, which no constant's type may name).
fn mentions_impl(tokens: TokenStream) -> bool {
    tokens.into_iter().any(|token| match token {
        proc_macro2::TokenTree::Ident(ident) => ident == "impl",
        proc_macro2::TokenTree::Group(group) => mentions_impl(group.stream()),
        _ => false,
    })
}

/// Whether the types of `sig` can be named outside it: no generics, no `impl Trait`.
fn types_are_nameable(sig: &syn::Signature) -> bool {
    sig.generics.params.is_empty()
        && sig.generics.where_clause.is_none()
        && !mentions_impl(sig.inputs.to_token_stream())
        && !mentions_impl(sig.output.to_token_stream())
}

/// The parts of a `StageInfo` constant.
struct InfoParts<'a> {
    name: &'a str,
    kind: StageKind,
    code: TokenStream,
    uses: &'a [TokenStream],
    params: &'a [&'a str],
    cache: bool,
    reach: TokenStream,
    optional: &'a [TokenStream],
    reads: &'a [String],
    reads_unknown: bool,
    records: &'a [String],
    records_unknown: bool,
    /// The function's name, whose line the constant records.
    span: proc_macro2::Span,
}

/// The `StageInfo` constant made of `parts`.
fn stage_info(rt: &TokenStream, parts: &InfoParts) -> TokenStream {
    let InfoParts {
        name,
        kind,
        code,
        uses,
        params,
        cache,
        reach,
        optional,
        reads,
        reads_unknown,
        records,
        records_unknown,
        span,
    } = parts;
    let line = quote_spanned!(*span=> ::core::line!());
    let kind = match kind {
        StageKind::Source => quote!(#rt::StageKind::Source),
        StageKind::Step => quote!(#rt::StageKind::Step),
    };
    quote! {
        #rt::StageInfo {
            name: #name,
            kind: #kind,
            code: #code,
            uses: &[#(#uses),*],
            params: &[#(#params),*],
            cache: #cache,
            module: ::core::module_path!(),
            reach: #reach,
            optional: &[#(#optional),*],
            reads: &[#(#reads),*],
            reads_unknown: #reads_unknown,
            records: &[#(#records),*],
            records_unknown: #records_unknown,
            file: ::core::file!(),
            line: #line,
        }
    }
}

/// Expands `#[source]` or `#[step]` on `function`, recording every problem in `errors`.
///
/// What is generated next to the errors, so that the only errors a user sees are the ones
/// reported here (no "cannot find value `scale`" elsewhere) and rust-analyzer keeps seeing the
/// function:
///
/// - the function is valid and only options were wrong (or an `ignore(..)` path names nothing):
///   the full expansion, as if the wrong options were absent, so later compile errors of the
///   glue (a param type that is not deserialisable, ...) show in the same compile;
/// - the function itself is wrong (`async`, two contexts, no data argument, ...): a stand-in
///   with the interface the user meant: the constant, which dereferences to a `fn` pointer of
///   the declared signature (so `scale(..)` type-checks) and implements `Step<In>` for every
///   `In` (or `Source`) with the declared output (so `.step(scale)` and the stages after it
///   type-check). The user's function is kept as written, so its body is still checked. The
///   stand-in never runs: the errors stop the build. A generic function (or one with
///   `impl Trait` in its signature) has types no constant can name: it gets no interface, and
///   its uses elsewhere fail too;
/// - the function takes `self` (it is in an impl block, where nothing can be declared next to
///   it), or `crate = ..` could not be read (nothing can name the runtime): the function as
///   written. Uses of it elsewhere may then fail too; the error says why.
pub(crate) fn stage(function: ItemFn, spec: &StageSpec, errors: &mut Errors) -> TokenStream {
    let stage = model::stage_fn(function.clone(), spec.kind, errors);
    if has_receiver(&function.sig) || !spec.krate.is_known() {
        return function.into_token_stream();
    }
    match stage {
        Some(stage) => stage_expansion(stage, spec, errors),
        None => stage_stand_in(&function, spec),
    }
}

/// The full expansion of a valid `#[source]` or `#[step]` function.
fn stage_expansion(stage: StageFn, spec: &StageSpec, errors: &mut Errors) -> TokenStream {
    let rt = spec.krate.private();
    let kind = spec.kind;
    let ident = stage.ident().clone();
    let analysis = errors
        .check(reach::analyze(
            Subject {
                name: &ident.unraw().to_string(),
                kind: reach::index::Kind::Fn,
                tokens: stage.hashed_tokens(),
                span: ident.span(),
                self_type: None,
            },
            spec.ignore,
        ))
        .unwrap_or_default();
    let reach = reach_tokens(
        &rt,
        &analysis,
        &reach::canonical_text(stage.hashed_tokens()),
    );
    let tracked = tracked_files(&analysis);
    let (module, ty) = hidden_type(kind_name(kind), &ident);
    let name = spec
        .name
        .clone()
        .unwrap_or_else(|| ident.unraw().to_string());
    let code = hash_tokens(&rt, code_hash(stage.hashed_tokens()));
    let uses = uses_exprs(spec.uses);
    let cfg = &stage.attrs.cfg;
    let other = &stage.attrs.other;
    let constant = type_and_constant(&module, &ident, &stage.vis, cfg, &stage.attrs.doc);

    let sig = &stage.sig;
    let block = &stage.block;
    let arg_types: Vec<_> = stage.args.iter().map(|arg| &arg.ty).collect();
    let ret = &stage.sig.output;

    let param_names: Vec<&str> = stage
        .args
        .iter()
        .filter_map(|arg| match &arg.role {
            ArgRole::Param(name) => Some(name.as_str()),
            _ => None,
        })
        .collect();
    // Whether each param may be left out: its type deserialises from `null` (`Option<T>`), which
    // is what injection does with a missing param.
    let param_optional: Vec<TokenStream> = stage
        .args
        .iter()
        .filter(|arg| matches!(arg.role, ArgRole::Param(_)))
        .map(|arg| {
            let ty = &arg.ty;
            quote_spanned!(syn::spanned::Spanned::span(ty)=> || #rt::StageInfo::__probe::<#ty>().accepts_missing())
        })
        .collect();
    let ctx_var = local("__crystallize_ctx");
    let input_var = local("__crystallize_input");
    let output_var = local("__crystallize_output");
    let mut injections = Vec::new();
    let mut call_args = Vec::new();
    for (index, arg) in stage.args.iter().enumerate() {
        match &arg.role {
            ArgRole::Data => call_args.push(quote!(#input_var)),
            ArgRole::Ctx { mutable: true } => call_args.push(quote!(#ctx_var)),
            ArgRole::Ctx { mutable: false } => call_args.push(quote!(&*#ctx_var)),
            ArgRole::Param(param) => {
                let var = local(&format!("__crystallize_param_{index}"));
                let ty = &arg.ty;
                // A `Clone` param is deserialised once per condition, any other once per unit
                // (chosen by method resolution: see the runtime's `unit::inject`).
                // The call has the param type's span: a type that cannot be a param is an error
                // there.
                let call = quote_spanned! {syn::spanned::Spanned::span(ty)=>
                    (&#rt::ParamSlot::<#ty>::new()).inject(&*#ctx_var, #param)
                };
                injections.push(quote! {
                    let #var: #ty = {
                        #[allow(unused_imports)]
                        use #rt::InjectShared as _;
                        #[allow(unused_imports)]
                        use #rt::InjectEach as _;
                        #call?
                    };
                });
                call_args.push(quote!(#var));
            }
        }
    }
    let out_ty = &stage.output.ty;
    let finish = if stage.output.fallible {
        quote!(::core::result::Result::map_err(#output_var, #rt::StepError::from_display))
    } else {
        quote!(::core::result::Result::Ok(#output_var))
    };
    let info = stage_info(
        &rt,
        &InfoParts {
            name: &name,
            kind,
            code,
            uses: &uses,
            params: &param_names,
            cache: spec.cache,
            reach,
            optional: &param_optional,
            reads: &stage.ctx_reads.names,
            reads_unknown: stage.ctx_reads.unknown,
            records: &stage.ctx_reads.records,
            records_unknown: stage.ctx_reads.records_unknown,
            span: ident.span(),
        },
    );
    // `#ident` here is the user's function, declared in the same block.
    let body = quote! {
        #(#injections)*
        let #output_var = #ident(#(#call_args),*);
        #finish
    };
    let trait_impl = match kind {
        StageKind::Source => quote! {
            impl #ty {
                #[doc(hidden)]
                pub const INFO: #rt::StageInfo = #info;
            }
            impl #rt::Source for #ty {
                type Output = #out_ty;
                fn parts(&self) -> ::std::vec::Vec<#rt::SourcePart> {
                    ::std::vec![#rt::SourcePart::Code(Self::INFO)]
                }
                fn fetch(&self, #ctx_var: &mut #rt::Ctx)
                    -> ::core::result::Result<#out_ty, #rt::StepError>
                {
                    #ctx_var.__enter_source(#name);
                    #body
                }
            }
        },
        StageKind::Step => {
            let data_ty = stage.data_type();
            let codec = if spec.cache {
                // Spanned at the output type: a type the cache cannot store is reported there.
                let serde_codec = quote_spanned!(syn::spanned::Spanned::span(out_ty)=>
                    #rt::CacheCodec::<#data_ty, #out_ty>::serde()
                );
                quote! {
                    fn cache_codec(&self) -> ::core::option::Option<#rt::CacheCodec<#data_ty, #out_ty>> {
                        ::core::option::Option::Some(#serde_codec)
                    }
                }
            } else {
                TokenStream::new()
            };
            quote! {
                impl #rt::Step<#data_ty> for #ty {
                    type Output = #out_ty;
                    const INFO: #rt::StageInfo = #info;
                    fn run(&self, #input_var: #data_ty, #ctx_var: &mut #rt::Ctx)
                        -> ::core::result::Result<#out_ty, #rt::StepError>
                    {
                        #body
                    }
                    #codec
                }
            }
        }
    };

    quote! {
        #constant

        #(#cfg)*
        const _: () = {
            #(#other)*
            #[allow(non_snake_case, clippy::too_many_arguments)]
            #sig #block

            impl #ty {
                const POINTER: fn(#(#arg_types),*) #ret = #ident;
            }
            impl ::core::ops::Deref for #ty {
                type Target = fn(#(#arg_types),*) #ret;
                fn deref(&self) -> &Self::Target {
                    &Self::POINTER
                }
            }
            #trait_impl
            #tracked
        };
    }
}

/// `step` or `source`: the middle of the hidden module's name (`experiment` for experiments).
fn kind_name(kind: StageKind) -> &'static str {
    match kind {
        StageKind::Source => "source",
        StageKind::Step => "step",
    }
}

/// What stands in for a `#[source]` or `#[step]` function that has errors (see [`stage`]).
fn stage_stand_in(function: &ItemFn, spec: &StageSpec) -> TokenStream {
    let rt = spec.krate.private();
    let sig = &function.sig;
    let ident = &sig.ident;
    let (module, ty) = hidden_type(kind_name(spec.kind), ident);
    let split = model::Attrs::split(function.attrs.clone());
    let constant = type_and_constant(&module, ident, &function.vis, &split.cfg, &split.doc);
    let cfg = &split.cfg;
    let other = &split.other;
    let block = &function.block;
    let unreachable = quote!(::core::unreachable!(
        "a stage with compile errors never runs"
    ));
    let mut impls = TokenStream::new();
    if types_are_nameable(sig) {
        let arg_types: Vec<_> = sig
            .inputs
            .iter()
            .filter_map(|input| match input {
                FnArg::Typed(typed) => Some(&typed.ty),
                FnArg::Receiver(_) => None,
            })
            .collect();
        let ret = &sig.output;
        // Only a safe Rust function coerces to a `fn` pointer; the others stand in as a closure
        // that never runs.
        let callable = sig.asyncness.is_none()
            && matches!(sig.safety, syn::Safety::Default)
            && sig.abi.is_none()
            && sig.variadic.is_none();
        let pointer = if callable {
            quote!(#ident)
        } else {
            let ignored = arg_types.iter().map(|_| quote!(_));
            quote!(|#(#ignored),*| #unreachable)
        };
        let out_ty = model::output_of(ret).ty;
        let trait_impl = match spec.kind {
            StageKind::Source => quote! {
                impl #rt::Source for #ty {
                    type Output = #out_ty;
                    fn parts(&self) -> ::std::vec::Vec<#rt::SourcePart> {
                        #unreachable
                    }
                    fn fetch(&self, _: &mut #rt::Ctx)
                        -> ::core::result::Result<#out_ty, #rt::StepError>
                    {
                        #unreachable
                    }
                }
            },
            // Any input: the stages after it are checked against the declared output, without
            // a second error about this step's input.
            StageKind::Step => {
                let info = stage_info(
                    &rt,
                    &InfoParts {
                        name: &ident.unraw().to_string(),
                        kind: spec.kind,
                        code: hash_tokens(&rt, [0; 32]),
                        uses: &[],
                        params: &[],
                        cache: false,
                        reach: reach_tokens(&rt, &Analysis::default(), ""),
                        optional: &[],
                        reads: &[],
                        reads_unknown: false,
                        records: &[],
                        records_unknown: true,
                        span: ident.span(),
                    },
                );
                quote! {
                    impl<__CrystallizeIn> #rt::Step<__CrystallizeIn> for #ty {
                        type Output = #out_ty;
                        const INFO: #rt::StageInfo = #info;
                        fn run(&self, _: __CrystallizeIn, _: &mut #rt::Ctx)
                            -> ::core::result::Result<#out_ty, #rt::StepError>
                        {
                            #unreachable
                        }
                    }
                }
            }
        };
        impls = quote! {
            impl #ty {
                const POINTER: fn(#(#arg_types),*) #ret = #pointer;
            }
            impl ::core::ops::Deref for #ty {
                type Target = fn(#(#arg_types),*) #ret;
                fn deref(&self) -> &Self::Target {
                    &Self::POINTER
                }
            }
            #trait_impl
        };
    }
    quote! {
        #constant

        #(#cfg)*
        const _: () = {
            #(#other)*
            #[allow(dead_code, non_snake_case, clippy::too_many_arguments)]
            #sig #block

            #impls
        };
    }
}

/// Expands `#[experiment]` on `function`, recording every problem in `errors`.
///
/// Next to errors, as for [`stage`]: the full expansion when only options were wrong (they keep
/// their defaults); when the function itself is wrong, a stand-in with the interface the user
/// meant: the constant dereferences to a `fn() -> Experiment` (so `quickstart()` in a test
/// type-checks) and names the experiment (so `quickstart.artifact::<T>(..)` in another
/// experiment type-checks), and the function is kept (its body is still checked: returning a
/// builder where `-> Experiment` is written is accepted, as in the full expansion). Nothing is
/// registered.
pub(crate) fn experiment(
    function: ItemFn,
    options: &ExperimentOptions,
    errors: &mut Errors,
) -> TokenStream {
    let experiment = model::experiment_fn(function.clone(), errors);
    if has_receiver(&function.sig) || !options.krate.is_known() {
        return function.into_token_stream();
    }
    match experiment {
        Some(experiment) => experiment_expansion(experiment, options),
        None => experiment_stand_in(function, options),
    }
}

/// The user's experiment function, returning `impl IntoExperiment` where it says `Experiment`
/// (spanned at the body, so "not an experiment" errors point at what the body returns).
fn experiment_definition(
    rt: &TokenStream,
    mut sig: syn::Signature,
    block: &syn::Block,
) -> TokenStream {
    if let ReturnType::Type(arrow, ty) = &sig.output
        && model::is_experiment_type(ty)
    {
        let span = syn::spanned::Spanned::span(block);
        let define_ret = quote_spanned!(span=> impl #rt::IntoExperiment);
        sig.output = ReturnType::Type(*arrow, Box::new(syn::Type::Verbatim(define_ret)));
    }
    quote! {
        #[allow(non_snake_case)]
        #sig #block
    }
}

/// The constant's dereference to `fn() -> Experiment`, `Self::BUILD`, and `ExperimentRef`.
fn experiment_interface(
    rt: &TokenStream,
    ty: &TokenStream,
    name: &str,
    build: TokenStream,
) -> TokenStream {
    quote! {
        impl #ty {
            const BUILD: fn() -> #rt::Experiment = #build;
        }
        impl ::core::ops::Deref for #ty {
            type Target = fn() -> #rt::Experiment;
            fn deref(&self) -> &Self::Target {
                &Self::BUILD
            }
        }
        impl #rt::ExperimentRef for #ty {
            const NAME: &'static str = #name;
        }
    }
}

/// The full expansion of a valid `#[experiment]` function.
fn experiment_expansion(experiment: ExperimentFn, options: &ExperimentOptions) -> TokenStream {
    let rt = options.krate.private();
    let ident = experiment.sig.ident.clone();
    let (module, ty) = hidden_type("experiment", &ident);
    let name = ident.unraw().to_string();
    let mut hashed = experiment.sig.to_token_stream();
    experiment.block.to_tokens(&mut hashed);
    let code = hash_tokens(&rt, code_hash(hashed));
    let cfg = &experiment.attrs.cfg;
    let other = &experiment.attrs.other;
    let constant = type_and_constant(&module, &ident, &experiment.vis, cfg, &experiment.attrs.doc);
    let definition = experiment_definition(&rt, experiment.sig.clone(), &experiment.block);
    // `#ident` in the closure is the user's function, declared in the same block.
    let interface = experiment_interface(
        &rt,
        &ty,
        &name,
        quote!(|| #rt::IntoExperiment::into_experiment(#ident())),
    );

    let replicates = options.replicates.unwrap_or(1);
    let strategy = match options.strategy.as_ref().map(|s| s.value()) {
        Some(s) if s == "resume" => quote!(#rt::Strategy::Resume),
        _ => quote!(#rt::Strategy::Rerun),
    };
    let seed = match options.seed {
        Some(seed) => quote!(::core::option::Option::Some(#seed)),
        None => quote!(::core::option::Option::None),
    };
    let versioned = options.versioned;
    let strict_env = options.strict_env;
    let retention = match options.retention {
        Some(retention) => quote!(::core::option::Option::Some(#retention)),
        None => quote!(::core::option::Option::None),
    };
    let description = match &options.description {
        Some(text) => quote!(::core::option::Option::Some(#text)),
        None => quote!(::core::option::Option::None),
    };
    let (executor, resources) =
        crate::resources::expand(&rt, options.executor.as_ref(), &options.resources);
    let line = quote_spanned!(ident.span()=> ::core::line!());
    let package = package(&rt);

    quote! {
        #constant

        #(#cfg)*
        const _: () = {
            #(#other)*
            #definition
            #interface
            #rt::inventory::submit! {
                #rt::Registration {
                    name: #name,
                    build: <#ty>::BUILD,
                    options: #rt::ExperimentOptions {
                        replicates: #replicates,
                        strategy: #strategy,
                        seed: #seed,
                        versioned: #versioned,
                        strict_env: #strict_env,
                        retention: #retention,
                        description: #description,
                        executor: #executor,
                        resources: #resources,
                    },
                    code: #code,
                    file: ::core::file!(),
                    line: #line,
                    module: ::core::module_path!(),
                }
            }
            #package
        };
    }
}

/// The registration of the package an item is compiled in (for `--version`).
fn package(rt: &TokenStream) -> TokenStream {
    quote! {
        #rt::inventory::submit! {
            #rt::Package {
                name: ::core::option_env!("CARGO_PKG_NAME"),
                version: ::core::option_env!("CARGO_PKG_VERSION"),
            }
        }
    }
}

/// Expands `#[crystallize::plugin]` on `function`: the function unchanged, plus its
/// registration, which calls it once per run and boxes what it returns (a type that is not a
/// `Plugin` is an error at the return type). A function with errors is emitted unchanged.
pub(crate) fn plugin(
    function: ItemFn,
    options: &PluginOptions,
    errors: &mut Errors,
) -> TokenStream {
    if !model::plugin_fn(&function, errors) || !options.krate.is_known() {
        return function.into_token_stream();
    }
    let rt = options.krate.private();
    let ident = &function.sig.ident;
    let name = ident.unraw().to_string();
    let output_span = match &function.sig.output {
        ReturnType::Type(_, ty) => syn::spanned::Spanned::span(ty),
        ReturnType::Default => ident.span(),
    };
    let boxed = quote_spanned!(output_span=> #rt::boxed_plugin(#ident()));
    let cfg: Vec<&syn::Attribute> = function
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("cfg"))
        .collect();
    let line = quote_spanned!(ident.span()=> ::core::line!());
    let package = package(&rt);
    quote! {
        #function

        #(#cfg)*
        const _: () = {
            fn make() -> ::std::boxed::Box<dyn #rt::Plugin> {
                #boxed
            }
            #rt::inventory::submit! {
                #rt::PluginRegistration {
                    name: #name,
                    make,
                    file: ::core::file!(),
                    line: #line,
                }
            }
            #package
        };
    }
}

/// Expands `#[verifier]` on `function`: the constant named like it (dereferencing to the
/// function, so it stays callable) whose type implements `Verifier` with the function's name,
/// code hash and reach. A function with errors is emitted as written.
pub(crate) fn verifier(
    function: ItemFn,
    options: &PluginOptions,
    errors: &mut Errors,
) -> TokenStream {
    if !model::verifier_fn(&function, errors) || !options.krate.is_known() {
        return function.into_token_stream();
    }
    let rt = options.krate.private();
    let ident = function.sig.ident.clone();
    let name = ident.unraw().to_string();
    let mut hashed = function.sig.to_token_stream();
    function.block.to_tokens(&mut hashed);
    let analysis = errors
        .check(reach::analyze(
            Subject {
                name: &name,
                kind: reach::index::Kind::Fn,
                tokens: hashed.clone(),
                span: ident.span(),
                self_type: None,
            },
            &[],
        ))
        .unwrap_or_default();
    let reach = reach_tokens(&rt, &analysis, &reach::canonical_text(hashed.clone()));
    let tracked = tracked_files(&analysis);
    let code = hash_tokens(&rt, code_hash(hashed));
    let (module, ty) = hidden_type("verifier", &ident);
    let split = model::Attrs::split(function.attrs);
    let constant = type_and_constant(&module, &ident, &function.vis, &split.cfg, &split.doc);
    let cfg = &split.cfg;
    let other = &split.other;
    let sig = &function.sig;
    let block = &function.block;
    let ret = &sig.output;
    let out_ty = match ret {
        ReturnType::Type(_, ty) => ty.to_token_stream(),
        ReturnType::Default => quote!(()),
    };
    // Spanned at the return type: a function returning something else is reported there.
    let outcome = quote_spanned!(syn::spanned::Spanned::span(&out_ty)=>
        #rt::__verifier_outcome::<#out_ty>
    );
    let baseline = local("__crystallize_baseline");
    let treatment = local("__crystallize_treatment");
    quote! {
        #constant

        #(#cfg)*
        const _: () = {
            #(#other)*
            #sig #block

            impl #ty {
                const POINTER: fn(&[f64], &[f64]) #ret = #ident;
            }
            impl ::core::ops::Deref for #ty {
                type Target = fn(&[f64], &[f64]) #ret;
                fn deref(&self) -> &Self::Target {
                    &Self::POINTER
                }
            }
            impl #rt::Verifier for #ty {
                const INFO: #rt::VerifierInfo = #rt::VerifierInfo {
                    name: #name,
                    code: #code,
                    reach: #reach,
                };
                fn verify(#baseline: &[f64], #treatment: &[f64]) -> #rt::VerifierOutcome {
                    #outcome(#ident(#baseline, #treatment))
                }
            }
            #tracked
        };
    }
}

/// What stands in for an `#[experiment]` function that has errors (see [`experiment`]).
fn experiment_stand_in(function: ItemFn, options: &ExperimentOptions) -> TokenStream {
    let rt = options.krate.private();
    let ident = function.sig.ident.clone();
    let (module, ty) = hidden_type("experiment", &ident);
    let split = model::Attrs::split(function.attrs);
    let constant = type_and_constant(&module, &ident, &function.vis, &split.cfg, &split.doc);
    let cfg = &split.cfg;
    let other = &split.other;
    let definition = experiment_definition(&rt, function.sig, &function.block);
    let interface = experiment_interface(
        &rt,
        &ty,
        &ident.unraw().to_string(),
        quote!(|| ::core::unreachable!("an experiment with compile errors never runs")),
    );
    quote! {
        #constant

        #(#cfg)*
        const _: () = {
            #(#other)*
            #[allow(dead_code)]
            #definition
            #interface
        };
    }
}

/// Expands `#[crystallize::code]` on `item`: the item unchanged, plus its `TrackedCode` marker
/// constant. Problems go to `errors`; an item that cannot be marked is emitted unchanged, and
/// the marker of one whose analysis failed covers its own code only.
pub(crate) fn code(item: Item, options: &CodeOptions, errors: &mut Errors) -> TokenStream {
    let info = items::describe(&item);
    let Some(marked) = info.marked else {
        errors.push(match &item {
            Item::Use(item) => syn::Error::new_spanned(
                item,
                "#[crystallize::code] cannot mark a `use` item: put it on the helper's definition",
            ),
            Item::Impl(item) => syn::Error::new_spanned(
                &item.self_ty,
                "#[crystallize::code] on an impl needs a named self type (`impl Name` or `impl Trait for Name`)",
            ),
            other => syn::Error::new_spanned(
                other,
                "#[crystallize::code] marks a helper whose code results depend on: a fn, struct, enum, union, trait, type alias, const, static, inline mod or impl block",
            ),
        });
        return item.into_token_stream();
    };
    if marked.outlined_mod {
        errors.push(syn::Error::new(
            marked.span,
            "#[crystallize::code] needs the module's body inline (`mod name { .. }`); for a module in its own file, mark the items inside it",
        ));
        return item.into_token_stream();
    }
    if !options.krate.is_known() {
        return item.into_token_stream();
    }
    let rt = options.krate.private();
    let name = &marked.name;
    let cfg: Vec<_> = marked
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("cfg") || attr.path().is_ident("cfg_attr"))
        .collect();
    // An impl block has no name of its own to point at.
    let marker_span = match marked.kind {
        reach::index::Kind::Impl => Span::call_site(),
        _ => marked.span,
    };
    let marker = marker_ident(name, marker_span);
    let vis = match marked.vis {
        Some(vis) => vis.to_token_stream(),
        None => quote!(pub),
    };
    let hash = hash_tokens(&rt, code_hash(item.to_token_stream()));
    let analysis = errors
        .check(reach::analyze(
            Subject {
                name,
                kind: marked.kind,
                tokens: item.to_token_stream(),
                span: marked.span,
                self_type: marked.self_type.clone(),
            },
            &options.ignore,
        ))
        .unwrap_or_default();
    let reach = reach_tokens(
        &rt,
        &analysis,
        &reach::canonical_text(item.to_token_stream()),
    );
    let tracked = tracked_files(&analysis);
    let uses = uses_exprs(&options.uses);
    let display = if name.starts_with("impl_") {
        name.replacen("impl_", "impl ", 1)
            .replacen("_for_", " for ", 1)
    } else {
        name.clone()
    };
    quote! {
        #item

        #(#cfg)*
        #[doc(hidden)]
        #[allow(non_upper_case_globals)]
        #vis const #marker: #rt::TrackedCode = #rt::TrackedCode {
            name: #display,
            module: ::core::module_path!(),
            code: #hash,
            uses: &[#(#uses),*],
            reach: #reach,
        };

        #(#cfg)*
        const _: () = { #tracked };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    fn step_with(args: TokenStream, function: ItemFn) -> (TokenStream, Vec<String>) {
        let mut errors = Errors::new();
        let options = parse::stage_options(StageKind::Step, args, &mut errors);
        let tokens = stage(
            function,
            &StageSpec::new(StageKind::Step, &options),
            &mut errors,
        );
        (tokens, errors.messages())
    }

    /// The names the expansion declares in the user's module, and those its anonymous block
    /// declares (impls and anonymous constants name nothing).
    fn declared_names(tokens: TokenStream) -> (Vec<String>, Vec<String>) {
        let file: syn::File = syn::parse2(tokens).expect("an expansion parses as items");
        let mut module = Vec::new();
        let mut block = Vec::new();
        for item in &file.items {
            match item {
                Item::Mod(m) => module.push(format!("mod {}", m.ident)),
                Item::Const(c) if c.ident == "_" => {
                    let syn::Expr::Block(expr) = c.expr.as_ref() else {
                        panic!("an anonymous block");
                    };
                    for statement in &expr.block.stmts {
                        match statement {
                            syn::Stmt::Item(Item::Fn(f)) => {
                                block.push(format!("fn {}", f.sig.ident))
                            }
                            // `inventory::submit!` declares its items in a block of its own.
                            syn::Stmt::Item(Item::Impl(_) | Item::Macro(_))
                            | syn::Stmt::Macro(_) => {}
                            syn::Stmt::Item(Item::Const(c)) if c.ident == "_" => {}
                            other => block.push(other.to_token_stream().to_string()),
                        }
                    }
                }
                Item::Const(c) => module.push(format!("const {}", c.ident)),
                other => module.push(other.to_token_stream().to_string()),
            }
        }
        (module, block)
    }

    #[test]
    fn a_stage_declares_its_constant_and_a_hidden_module_only() {
        let (tokens, errors) = step_with(
            TokenStream::new(),
            syn::parse_quote! {
                /// Doubles.
                pub fn f64(data: Vec<f64>, factor: f64, ctx: &Ctx) -> Vec<f64> { data }
            },
        );
        assert!(errors.is_empty(), "{errors:?}");
        let (module, block) = declared_names(tokens);
        assert_eq!(module, ["mod __crystallize_step_f64", "const f64"]);
        assert_eq!(block, ["fn f64"]);
    }

    #[test]
    fn an_experiment_declares_its_constant_and_a_hidden_module_only() {
        let mut errors = Errors::new();
        let options = parse::experiment_options(quote!(replicates = 2), &mut errors);
        let tokens = experiment(
            syn::parse_quote! {
                fn u32() -> Experiment { Experiment::from(numbers) }
            },
            &options,
            &mut errors,
        );
        assert!(errors.is_empty());
        let (module, block) = declared_names(tokens);
        assert_eq!(module, ["mod __crystallize_experiment_u32", "const u32"]);
        assert_eq!(block, ["fn u32"]);
    }

    #[test]
    fn the_glue_variables_are_hygienic() {
        let (tokens, _) = step_with(
            TokenStream::new(),
            syn::parse_quote! {
                fn s(data: u32, __crystallize_ctx: u32, ctx: &mut Ctx) -> u32 { data }
            },
        );
        // The user's names stay the user's, in the user's function only; the glue's are
        // distinct identifiers however they are spelled (mixed-site hygiene), which a unit test
        // cannot observe outside a compiler: it checks they are spelled apart from the params.
        let text = tokens.to_string();
        assert!(
            text.contains("ParamSlot :: < u32 > :: new ()) . inject (& * __crystallize_ctx , \"__crystallize_ctx\")"),
            "{text}"
        );
        assert!(text.contains("let __crystallize_param_1 : u32"), "{text}");
    }

    #[test]
    fn crate_path_is_the_only_way_to_the_runtime() {
        let (tokens, errors) = step_with(
            quote!(crate = my::crystallize, cache),
            syn::parse_quote! {
                fn s(data: u32, factor: u32) -> Result<u32, StepError> { Ok(data * factor) }
            },
        );
        assert!(errors.is_empty());
        let text = tokens.to_string();
        assert!(
            text.contains("my :: crystallize :: __private :: Step"),
            "{text}"
        );
        assert!(
            !text
                .replace("my :: crystallize :: __private", "")
                .contains("__private"),
            "{text}"
        );
        let mut errors = Errors::new();
        let options = parse::code_options(quote!(crate = my::crystallize), &mut errors);
        let text = code(
            syn::parse_quote!(
                fn helper() {}
            ),
            &options,
            &mut errors,
        )
        .to_string();
        assert!(
            text.contains("my :: crystallize :: __private :: TrackedCode"),
            "{text}"
        );
        assert!(
            !text
                .replace("my :: crystallize :: __private", "")
                .contains("__private")
        );
    }

    #[test]
    fn a_wrong_function_stands_in_with_its_declared_interface() {
        let (tokens, errors) = step_with(
            TokenStream::new(),
            syn::parse_quote! {
                async fn s(ctx: &Ctx, data: Vec<f64>) -> Result<f64, String> { Ok(1.0) }
            },
        );
        assert_eq!(errors.len(), 2, "{errors:?}");
        let text = tokens.to_string();
        assert!(
            text.contains("async fn s (ctx : & Ctx , data : Vec < f64 >)"),
            "{text}"
        );
        assert!(
            text.contains("type Target = fn (& Ctx , Vec < f64 >) -> Result < f64 , String >"),
            "{text}"
        );
        assert!(
            text.contains(
                "impl < __CrystallizeIn > :: crystallize :: __private :: Step < __CrystallizeIn >"
            ),
            "{text}"
        );
        assert!(text.contains("type Output = f64"), "{text}");
        let (module, block) = declared_names(tokens);
        assert_eq!(module, ["mod __crystallize_step_s", "const s"]);
        assert_eq!(block, ["fn s"]);
    }

    #[test]
    fn a_generic_function_stands_in_without_an_interface() {
        let (tokens, errors) = step_with(
            TokenStream::new(),
            syn::parse_quote! {
                fn first<T: Clone>(data: Vec<T>) -> T { data[0].clone() }
            },
        );
        assert_eq!(errors.len(), 1);
        let text = tokens.to_string();
        assert!(!text.contains("Deref"), "{text}");
        assert!(!text.contains("Step"), "{text}");
        assert!(text.contains("fn first < T : Clone >"), "{text}");
    }

    #[test]
    fn a_method_or_an_unknown_runtime_leaves_the_function_as_written() {
        let method: ItemFn = syn::parse_quote! {
            fn scale(&self, data: Vec<f64>) -> Vec<f64> { data }
        };
        let (tokens, errors) = step_with(TokenStream::new(), method.clone());
        assert_eq!(errors.len(), 1);
        assert_eq!(tokens.to_string(), method.to_token_stream().to_string());
        let function: ItemFn = syn::parse_quote! {
            fn scale(data: Vec<f64>) -> Vec<f64> { data }
        };
        let (tokens, errors) = step_with(quote!(crate = 1), function.clone());
        assert_eq!(errors.len(), 1);
        assert_eq!(tokens.to_string(), function.to_token_stream().to_string());
    }

    #[test]
    fn wrong_options_still_give_the_full_expansion() {
        let (tokens, errors) = step_with(
            quote!(cahce, name = "a/b"),
            syn::parse_quote! {
                fn scale(data: Vec<f64>, factor: f64) -> Vec<f64> { data }
            },
        );
        assert_eq!(errors.len(), 2);
        let text = tokens.to_string();
        assert!(text.contains(". inject ("), "{text}");
        assert!(text.contains("name : \"scale\""), "{text}");
    }
}
