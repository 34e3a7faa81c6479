//! The validated model of an annotated item: what each argument is for, what the function
//! returns, which attributes go where. Every misuse is rejected here with a spanned message.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::{
    Attribute, Block, FnArg, GenericArgument, Ident, ItemFn, Pat, PathArguments, ReturnType,
    Signature, Type, Visibility,
};

/// The attributes of the user's function, split by where they must go after expansion.
pub struct Attrs {
    /// `#[cfg(..)]` and `#[cfg_attr(..)]`: repeated on every generated item.
    pub cfg: Vec<Attribute>,
    /// `#[doc = ..]`: moved to the value the user refers to.
    pub doc: Vec<Attribute>,
    /// Everything else (`#[allow]`, `#[inline]`, ...): kept on the user's function.
    pub other: Vec<Attribute>,
}

impl Attrs {
    fn split(attrs: Vec<Attribute>) -> Attrs {
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
pub enum ArgRole {
    /// The previous stage's output (the first argument of a step).
    Data,
    /// A param looked up by name in the condition's params.
    Param(String),
    /// `&Ctx` (`mutable == false`) or `&mut Ctx`.
    Ctx { mutable: bool },
}

pub struct Arg {
    pub role: ArgRole,
    pub ty: Type,
}

/// What a stage function returns.
pub struct Output {
    /// The data passed to the next stage.
    pub ty: Type,
    /// The function returns `Result<ty, E>`; an `Err` fails the unit.
    pub fallible: bool,
}

/// Whether a stage function is a source (no data argument) or a step.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum StageKind {
    Source,
    Step,
}

impl StageKind {
    pub fn attribute(self) -> &'static str {
        match self {
            StageKind::Source => "#[source]",
            StageKind::Step => "#[step]",
        }
    }
}

/// A validated `#[source]` or `#[step]` function.
pub struct StageFn {
    pub attrs: Attrs,
    pub vis: Visibility,
    pub sig: Signature,
    pub block: Box<Block>,
    pub args: Vec<Arg>,
    pub output: Output,
}

impl StageFn {
    pub fn ident(&self) -> &Ident {
        &self.sig.ident
    }

    /// The tokens the code hash covers: signature and body (not visibility, not attributes).
    pub fn hashed_tokens(&self) -> TokenStream {
        let mut tokens = self.sig.to_token_stream();
        self.block.to_tokens(&mut tokens);
        tokens
    }

    /// The type of the data argument (steps only).
    pub fn data_type(&self) -> Option<&Type> {
        self.args
            .iter()
            .find(|arg| matches!(arg.role, ArgRole::Data))
            .map(|arg| &arg.ty)
    }
}

/// A validated `#[experiment]` function.
pub struct ExperimentFn {
    pub attrs: Attrs,
    pub vis: Visibility,
    pub sig: Signature,
    pub block: Box<Block>,
}

fn reject_unsupported_signature(sig: &Signature, attribute: &str) -> syn::Result<()> {
    if let Some(asyncness) = &sig.asyncness {
        return Err(syn::Error::new_spanned(
            asyncness,
            format!(
                "{attribute} functions cannot be `async`; run async work inside a synchronous function (e.g. with your runtime's `block_on`)"
            ),
        ));
    }
    if let Some(constness) = &sig.constness {
        return Err(syn::Error::new_spanned(
            constness,
            format!("{attribute} functions cannot be `const`"),
        ));
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        return Err(syn::Error::new_spanned(
            &sig.generics,
            format!(
                "{attribute} functions cannot be generic: the pipeline needs concrete input and output types"
            ),
        ));
    }
    if let Some(variadic) = &sig.variadic {
        return Err(syn::Error::new_spanned(
            variadic,
            format!("{attribute} functions cannot be variadic"),
        ));
    }
    if let Some(abi) = &sig.abi {
        return Err(syn::Error::new_spanned(
            abi,
            format!("{attribute} functions cannot declare an ABI"),
        ));
    }
    Ok(())
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

fn output_of(ret: &ReturnType) -> Output {
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

pub fn stage_fn(item: ItemFn, kind: StageKind) -> syn::Result<StageFn> {
    let attribute = kind.attribute();
    reject_unsupported_signature(&item.sig, attribute)?;
    let mut args = Vec::new();
    let mut first_ctx: Option<String> = None;
    for (position, input) in item.sig.inputs.iter().enumerate() {
        let typed = match input {
            FnArg::Receiver(receiver) => {
                return Err(syn::Error::new_spanned(
                    receiver,
                    format!("{attribute} must be a free function, not a method: remove `self`"),
                ));
            }
            FnArg::Typed(typed) => typed,
        };
        let ty = typed.ty.as_ref().clone();
        if let Some(mutable) = ctx_reference(&ty) {
            if let Some(first) = &first_ctx {
                return Err(syn::Error::new_spanned(
                    typed,
                    format!(
                        "{attribute} takes at most one context argument, and `{first}` is already one: remove this one"
                    ),
                ));
            }
            if kind == StageKind::Step && position == 0 {
                let hint = if item.sig.inputs.len() == 1 {
                    "; if this function produces the pipeline's input, mark it #[source] instead"
                } else {
                    ""
                };
                return Err(syn::Error::new_spanned(
                    typed,
                    format!(
                        "the first argument of a #[step] is its input data (the previous stage's output): put the data argument first, e.g. `fn name(data: Vec<f64>, ctx: &Ctx)`{hint}"
                    ),
                ));
            }
            first_ctx = Some(typed.pat.to_token_stream().to_string());
            args.push(Arg {
                role: ArgRole::Ctx { mutable },
                ty,
            });
            continue;
        }
        if is_ctx_path(&ty) {
            return Err(syn::Error::new_spanned(
                &typed.ty,
                "take the context by reference: `ctx: &Ctx` or `ctx: &mut Ctx`",
            ));
        }
        if kind == StageKind::Step && position == 0 {
            args.push(Arg {
                role: ArgRole::Data,
                ty,
            });
            continue;
        }
        let Pat::Ident(pat) = typed.pat.as_ref() else {
            return Err(syn::Error::new_spanned(
                &typed.pat,
                "a param argument must be a plain name: it is looked up by that name in the condition's params",
            ));
        };
        if pat.by_ref.is_some() || pat.subpat.is_some() {
            return Err(syn::Error::new_spanned(
                &typed.pat,
                "a param argument must be a plain name: it is looked up by that name in the condition's params",
            ));
        }
        if let Type::Reference(reference) = &ty {
            return Err(syn::Error::new_spanned(
                reference,
                "a param argument must be an owned type (it is deserialised from the condition's params); use e.g. `String` instead of `&str`",
            ));
        }
        args.push(Arg {
            role: ArgRole::Param(pat.ident.unraw().to_string()),
            ty,
        });
    }
    if kind == StageKind::Step && !args.iter().any(|arg| matches!(arg.role, ArgRole::Data)) {
        return Err(syn::Error::new(
            item.sig.paren_token.span.join(),
            "a #[step] needs a data argument: its first argument receives the previous stage's output, e.g. `fn name(data: Vec<f64>)`; if this function produces the pipeline's input, mark it #[source] instead",
        ));
    }
    let output = output_of(&item.sig.output);
    Ok(StageFn {
        attrs: Attrs::split(item.attrs),
        vis: item.vis,
        sig: item.sig,
        block: item.block,
        args,
        output,
    })
}

pub fn experiment_fn(item: ItemFn) -> syn::Result<ExperimentFn> {
    reject_unsupported_signature(&item.sig, "#[experiment]")?;
    if !item.sig.inputs.is_empty() {
        return Err(syn::Error::new_spanned(
            &item.sig.inputs,
            "an #[experiment] function takes no arguments: params belong in `.param(..)`, inputs in `Experiment::from(..)`",
        ));
    }
    let returns_experiment = match &item.sig.output {
        ReturnType::Type(_, ty) => match ty.as_ref() {
            Type::Path(path) => {
                path.qself.is_none()
                    && path.path.segments.last().is_some_and(|segment| {
                        segment.ident == "Experiment" && segment.arguments.is_none()
                    })
            }
            _ => false,
        },
        ReturnType::Default => false,
    };
    if !returns_experiment {
        let message = "an #[experiment] function must return `Experiment`: write `fn name() -> Experiment { Experiment::from(source).step(..) }`";
        return Err(match &item.sig.output {
            ReturnType::Type(_, ty) => syn::Error::new_spanned(ty, message),
            ReturnType::Default => syn::Error::new(item.sig.paren_token.span.close(), message),
        });
    }
    Ok(ExperimentFn {
        attrs: Attrs::split(item.attrs),
        vis: item.vis,
        sig: item.sig,
        block: item.block,
    })
}
