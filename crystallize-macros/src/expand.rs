//! Code generation. Each annotated function `f` becomes:
//!
//! - the user's function, renamed `__crystallize_f` and hidden, body untouched;
//! - a zero-sized type `f` (type namespace) and a constant `f` of that type (value namespace),
//!   carrying the user's doc comments. The constant dereferences to a function pointer to the user's
//!   function, so `f(..)` still calls it directly (unit tests keep working), while `.step(f)`
//!   passes the constant and the pipeline sees its trait impls;
//! - trait impls (`Source`, `Step<Input>`, `ExperimentRef`) with the name, the code hash, the
//!   params and the glue that injects params by name before the body runs;
//! - for experiments, an `inventory` registration.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::{Ident, Item, Path};

use crate::hash::code_hash;
use crate::model::{ArgRole, ExperimentFn, StageFn, StageKind};
use crate::parse::{ExperimentOptions, UsePath};
use crate::reach::{self, Analysis, Subject};

/// The path every expansion uses to reach the runtime.
fn runtime() -> TokenStream {
    quote!(::crystallize::__private)
}

fn hash_tokens(hash: [u8; 32]) -> TokenStream {
    let rt = runtime();
    quote!(#rt::CodeHash([#(#hash),*]))
}

/// The hidden constant `#[crystallize::code]` emits next to a helper named `name`. Its name reads
/// as the fix when a step names a helper that is not marked.
pub fn marker_ident(name: &str, span: Span) -> Ident {
    format_ident!("__mark_{}_with_crystallize_code", name, span = span)
}

/// The `Reach` constant of an analysis of an item whose canonical text is `text`.
fn reach_tokens(analysis: &Analysis, text: &str) -> TokenStream {
    let rt = runtime();
    let items = analysis.items.iter().map(|item| {
        let path = &item.path;
        let code = hash_tokens(item.code);
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

/// Expands `#[source]` and `#[step]`.
pub fn stage(
    stage: StageFn,
    kind: StageKind,
    name: Option<String>,
    uses: &[UsePath],
    ignore: &[Path],
    cache: bool,
) -> syn::Result<TokenStream> {
    let rt = runtime();
    let ident = stage.ident().clone();
    let analysis = reach::analyze(
        Subject {
            name: &ident.unraw().to_string(),
            kind: reach::index::Kind::Fn,
            tokens: stage.hashed_tokens(),
            span: ident.span(),
            self_type: None,
        },
        ignore,
    )?;
    let reach = reach_tokens(&analysis, &reach::canonical_text(stage.hashed_tokens()));
    let tracked = tracked_files(&analysis);
    let inner = format_ident!("__crystallize_{}", ident.unraw());
    let name = name.unwrap_or_else(|| ident.unraw().to_string());
    let code = hash_tokens(code_hash(stage.hashed_tokens()));
    let uses = uses_exprs(uses);
    let vis = &stage.vis;
    let cfg = &stage.attrs.cfg;
    let doc = &stage.attrs.doc;
    let other = &stage.attrs.other;

    let mut inner_sig = stage.sig.clone();
    inner_sig.ident = inner.clone();
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
    let read_names = &stage.ctx_reads.names;
    let reads_unknown = stage.ctx_reads.unknown;
    let ctx_var = quote!(__crystallize_ctx);
    let input_var = quote!(__crystallize_input);
    let mut injections = Vec::new();
    let mut call_args = Vec::new();
    for (index, arg) in stage.args.iter().enumerate() {
        match &arg.role {
            ArgRole::Data => call_args.push(input_var.clone()),
            ArgRole::Ctx { mutable: true } => call_args.push(quote!(#ctx_var)),
            ArgRole::Ctx { mutable: false } => call_args.push(quote!(&*#ctx_var)),
            ArgRole::Param(param) => {
                let var = format_ident!("__crystallize_param_{}", index);
                let ty = &arg.ty;
                injections.push(quote! {
                    let #var: #ty = #ctx_var.__inject::<#ty>(#param)?;
                });
                call_args.push(quote!(#var));
            }
        }
    }
    let out_ty = &stage.output.ty;
    let finish = if stage.output.fallible {
        quote!(::core::result::Result::map_err(__crystallize_output, #rt::StepError::from_display))
    } else {
        quote!(::core::result::Result::Ok(__crystallize_output))
    };
    let stage_kind = match kind {
        StageKind::Source => quote!(#rt::StageKind::Source),
        StageKind::Step => quote!(#rt::StageKind::Step),
    };
    let info = quote! {
        #rt::StageInfo {
            name: #name,
            kind: #stage_kind,
            code: #code,
            uses: &[#(#uses),*],
            params: &[#(#param_names),*],
            cache: #cache,
            module: ::core::module_path!(),
            reach: #reach,
            optional: &[#(#param_optional),*],
            reads: &[#(#read_names),*],
            reads_unknown: #reads_unknown,
        }
    };
    let body = quote! {
        #(#injections)*
        let __crystallize_output = #inner(#(#call_args),*);
        #finish
    };
    let trait_impl = match kind {
        StageKind::Source => quote! {
            impl #ident {
                #[doc(hidden)]
                pub const INFO: #rt::StageInfo = #info;
            }
            impl #rt::Source for #ident {
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
            let codec = if cache {
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
                impl #rt::Step<#data_ty> for #ident {
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

    Ok(quote! {
        #(#cfg)*
        #(#other)*
        #[doc(hidden)]
        #[allow(non_snake_case, clippy::too_many_arguments)]
        #vis #inner_sig #block

        #(#cfg)*
        #[doc(hidden)]
        #[allow(non_camel_case_types)]
        #vis struct #ident {}

        #(#cfg)*
        #(#doc)*
        #[allow(non_upper_case_globals)]
        #vis const #ident: #ident = #ident {};

        #(#cfg)*
        const _: () = {
            impl ::core::ops::Deref for #ident {
                type Target = fn(#(#arg_types),*) #ret;
                fn deref(&self) -> &Self::Target {
                    const POINTER: fn(#(#arg_types),*) #ret = #inner;
                    &POINTER
                }
            }
            #trait_impl
            #tracked
        };
    })
}

/// Expands `#[experiment]`.
pub fn experiment(experiment: ExperimentFn, options: ExperimentOptions) -> TokenStream {
    let rt = runtime();
    let ident = experiment.sig.ident.clone();
    let inner = format_ident!("__crystallize_{}", ident.unraw());
    let name = ident.unraw().to_string();
    let mut hashed = experiment.sig.to_token_stream();
    experiment.block.to_tokens(&mut hashed);
    let code = hash_tokens(code_hash(hashed));
    let vis = &experiment.vis;
    let cfg = &experiment.attrs.cfg;
    let doc = &experiment.attrs.doc;
    let other = &experiment.attrs.other;
    let block = &experiment.block;

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
    let line = quote_spanned!(ident.span()=> ::core::line!());
    // Spanned at the body, so "not an experiment" errors point at what the body returns.
    let define_ret =
        quote_spanned!(syn::spanned::Spanned::span(&*experiment.block)=> impl #rt::IntoExperiment);

    quote! {
        #(#cfg)*
        #(#other)*
        #[doc(hidden)]
        #[allow(non_snake_case)]
        #vis fn #inner() -> #rt::Experiment {
            fn __crystallize_define() -> #define_ret #block
            #rt::IntoExperiment::into_experiment(__crystallize_define())
        }

        #(#cfg)*
        #[doc(hidden)]
        #[allow(non_camel_case_types)]
        #vis struct #ident {}

        #(#cfg)*
        #(#doc)*
        #[allow(non_upper_case_globals)]
        #vis const #ident: #ident = #ident {};

        #(#cfg)*
        const _: () = {
            impl ::core::ops::Deref for #ident {
                type Target = fn() -> #rt::Experiment;
                fn deref(&self) -> &Self::Target {
                    const POINTER: fn() -> #rt::Experiment = #inner;
                    &POINTER
                }
            }
            impl #rt::ExperimentRef for #ident {
                const NAME: &'static str = #name;
            }
            #rt::inventory::submit! {
                #rt::Registration {
                    name: #name,
                    build: #inner,
                    options: #rt::ExperimentOptions {
                        replicates: #replicates,
                        strategy: #strategy,
                        seed: #seed,
                        versioned: #versioned,
                        strict_env: #strict_env,
                        retention: #retention,
                        description: #description,
                    },
                    code: #code,
                    file: ::core::file!(),
                    line: #line,
                    module: ::core::module_path!(),
                }
            }
        };
    }
}

/// Expands `#[crystallize::code]`: the item unchanged, plus its `TrackedCode` marker constant.
pub fn code(item: Item, uses: &[UsePath], ignore: &[Path]) -> syn::Result<TokenStream> {
    let rt = runtime();
    let (name, span, vis, attrs) = match &item {
        Item::Fn(f) => (
            f.sig.ident.unraw().to_string(),
            f.sig.ident.span(),
            Some(&f.vis),
            &f.attrs,
        ),
        Item::Struct(s) => (
            s.ident.unraw().to_string(),
            s.ident.span(),
            Some(&s.vis),
            &s.attrs,
        ),
        Item::Enum(e) => (
            e.ident.unraw().to_string(),
            e.ident.span(),
            Some(&e.vis),
            &e.attrs,
        ),
        Item::Union(u) => (
            u.ident.unraw().to_string(),
            u.ident.span(),
            Some(&u.vis),
            &u.attrs,
        ),
        Item::Trait(t) => (
            t.ident.unraw().to_string(),
            t.ident.span(),
            Some(&t.vis),
            &t.attrs,
        ),
        Item::Type(t) => (
            t.ident.unraw().to_string(),
            t.ident.span(),
            Some(&t.vis),
            &t.attrs,
        ),
        Item::Const(c) => (
            c.ident.unraw().to_string(),
            c.ident.span(),
            Some(&c.vis),
            &c.attrs,
        ),
        Item::Static(s) => (
            s.ident.unraw().to_string(),
            s.ident.span(),
            Some(&s.vis),
            &s.attrs,
        ),
        Item::Mod(m) => {
            if m.content.is_none() {
                return Err(syn::Error::new(
                    m.ident.span(),
                    "#[crystallize::code] needs the module's body inline (`mod name { .. }`); for a module in its own file, mark the items inside it",
                ));
            }
            (
                m.ident.unraw().to_string(),
                m.ident.span(),
                Some(&m.vis),
                &m.attrs,
            )
        }
        Item::Impl(i) => {
            let type_name = |ty: &syn::Type| match ty {
                syn::Type::Path(path) => path
                    .path
                    .segments
                    .last()
                    .map(|segment| segment.ident.unraw().to_string()),
                _ => None,
            };
            let Some(self_name) = type_name(&i.self_ty) else {
                return Err(syn::Error::new_spanned(
                    &i.self_ty,
                    "#[crystallize::code] on an impl needs a named self type (`impl Name` or `impl Trait for Name`)",
                ));
            };
            let name = match &i.trait_ {
                Some((trait_path, _)) => {
                    let trait_name = trait_path
                        .segments
                        .last()
                        .map(|segment| segment.ident.unraw().to_string())
                        .unwrap_or_default();
                    format!("impl_{trait_name}_for_{self_name}")
                }
                None => format!("impl_{self_name}"),
            };
            (name, Span::call_site(), None, &i.attrs)
        }
        Item::Use(item) => {
            return Err(syn::Error::new_spanned(
                item,
                "#[crystallize::code] cannot mark a `use` item: put it on the helper's definition",
            ));
        }
        other => {
            return Err(syn::Error::new_spanned(
                other,
                "#[crystallize::code] marks a helper whose code results depend on: a fn, struct, enum, union, trait, type alias, const, static, inline mod or impl block",
            ));
        }
    };
    let cfg: Vec<_> = attrs
        .iter()
        .filter(|attr| attr.path().is_ident("cfg") || attr.path().is_ident("cfg_attr"))
        .collect();
    let marker = marker_ident(&name, span);
    let vis = match vis {
        Some(vis) => vis.to_token_stream(),
        None => quote!(pub),
    };
    let hash = hash_tokens(code_hash(item.to_token_stream()));
    let (kind, self_type) = match &item {
        Item::Fn(_) => (reach::index::Kind::Fn, None),
        Item::Struct(_) | Item::Enum(_) | Item::Union(_) => (reach::index::Kind::Type, None),
        Item::Trait(_) => (reach::index::Kind::Trait, None),
        Item::Type(_) => (reach::index::Kind::Alias, None),
        Item::Const(_) | Item::Static(_) => (reach::index::Kind::Value, None),
        Item::Impl(i) => (
            reach::index::Kind::Impl,
            match &*i.self_ty {
                syn::Type::Path(path) => path
                    .path
                    .segments
                    .last()
                    .map(|segment| segment.ident.unraw().to_string()),
                _ => None,
            },
        ),
        _ => (reach::index::Kind::ItemMacro, None),
    };
    let reach_span = match &item {
        Item::Impl(i) => syn::spanned::Spanned::span(&i.self_ty),
        _ => span,
    };
    let analysis = reach::analyze(
        Subject {
            name: &name,
            kind,
            tokens: item.to_token_stream(),
            span: reach_span,
            self_type,
        },
        ignore,
    )?;
    let reach = reach_tokens(&analysis, &reach::canonical_text(item.to_token_stream()));
    let tracked = tracked_files(&analysis);
    let uses = uses_exprs(uses);
    let display = name
        .replacen("impl_", "impl ", 1)
        .replacen("_for_", " for ", 1);
    let display = if name.starts_with("impl_") {
        display
    } else {
        name.clone()
    };
    Ok(quote! {
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
    })
}
