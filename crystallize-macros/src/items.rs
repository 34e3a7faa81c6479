//! One table of what the macros read from an item of any kind: where errors about it point, its
//! name, visibility and attributes, and how the reachability analysis indexes it. Every macro
//! looks items up here instead of matching on their kinds itself.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::ext::IdentExt;
use syn::{Attribute, Ident, Item, Visibility};

use crate::reach::index::Kind;

/// What the macros need to know about one item.
pub(crate) struct ItemInfo<'a> {
    /// The leading tokens (keyword and name, `struct Model`, `impl Display for Model`), so that
    /// an error about the item does not underline its whole body.
    pub head: TokenStream,
    /// What `#[crystallize::code]` needs to mark it; `None` for an item it cannot mark (a `use`,
    /// a macro invocation, an `extern` block, an impl of an unnamed type, ...).
    pub marked: Option<Marked<'a>>,
}

/// The facts `#[crystallize::code]` reads from an item it can mark.
pub(crate) struct Marked<'a> {
    /// Its name without `r#`; an impl block is `impl_Model` or `impl_Display_for_Model`.
    pub name: String,
    /// The span of its name (of its self type, for an impl block).
    pub span: Span,
    /// Its visibility (an impl block has none).
    pub vis: Option<&'a Visibility>,
    /// Its attributes.
    pub attrs: &'a [Attribute],
    /// How the reachability analysis indexes it.
    pub kind: Kind,
    /// For an impl block: the last segment of its self type (`Self` in its body).
    pub self_type: Option<String>,
    /// Whether it is a module declared without its body (`mod name;`).
    pub outlined_mod: bool,
}

/// A named item: `keyword ident`.
fn named<'a>(
    keyword: &dyn ToTokens,
    ident: &Ident,
    vis: &'a Visibility,
    attrs: &'a [Attribute],
    kind: Kind,
) -> ItemInfo<'a> {
    ItemInfo {
        head: quote!(#keyword #ident),
        marked: Some(Marked {
            name: ident.unraw().to_string(),
            span: ident.span(),
            vis: Some(vis),
            attrs,
            kind,
            self_type: None,
            outlined_mod: false,
        }),
    }
}

/// The last segment of a type that is a path (`Model` in `crate::Model<T>`).
fn last_segment(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path
            .path
            .segments
            .last()
            .map(|segment| segment.ident.unraw().to_string()),
        _ => None,
    }
}

/// Looks `item` up in the table.
pub(crate) fn describe(item: &Item) -> ItemInfo<'_> {
    match item {
        Item::Fn(f) => named(&f.sig.fn_token, &f.sig.ident, &f.vis, &f.attrs, Kind::Fn),
        Item::Struct(s) => named(&s.struct_token, &s.ident, &s.vis, &s.attrs, Kind::Type),
        Item::Enum(e) => named(&e.enum_token, &e.ident, &e.vis, &e.attrs, Kind::Type),
        Item::Union(u) => named(&u.union_token, &u.ident, &u.vis, &u.attrs, Kind::Type),
        Item::Trait(t) => named(&t.trait_token, &t.ident, &t.vis, &t.attrs, Kind::Trait),
        Item::Type(t) => named(&t.type_token, &t.ident, &t.vis, &t.attrs, Kind::Alias),
        Item::Const(c) => named(&c.const_token, &c.ident, &c.vis, &c.attrs, Kind::Value),
        Item::Static(s) => named(&s.static_token, &s.ident, &s.vis, &s.attrs, Kind::Value),
        // The analysis indexes what an inline module holds, not the module: its marker is
        // found like that of a macro invocation that may define items of any name.
        Item::Mod(m) => {
            let mut info = named(&m.mod_token, &m.ident, &m.vis, &m.attrs, Kind::ItemMacro);
            if let Some(marked) = &mut info.marked {
                marked.outlined_mod = m.content.is_none();
            }
            info
        }
        Item::Impl(i) => {
            let (impl_token, self_ty) = (&i.impl_token, &i.self_ty);
            let head = match &i.trait_ {
                Some((trait_path, for_token)) => {
                    quote!(#impl_token #trait_path #for_token #self_ty)
                }
                None => quote!(#impl_token #self_ty),
            };
            let marked = last_segment(self_ty).map(|self_name| {
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
                Marked {
                    name,
                    span: syn::spanned::Spanned::span(self_ty),
                    vis: None,
                    attrs: &i.attrs,
                    kind: Kind::Impl,
                    self_type: Some(self_name),
                    outlined_mod: false,
                }
            });
            ItemInfo { head, marked }
        }
        other => ItemInfo {
            head: other.to_token_stream(),
            marked: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(item: Item) -> (String, Kind, Option<String>, bool, String) {
        let info = describe(&item);
        let head = info.head.to_string();
        let marked = info.marked.expect("markable");
        (
            marked.name,
            marked.kind,
            marked.self_type,
            marked.vis.is_some(),
            head,
        )
    }

    #[test]
    fn every_markable_kind_has_its_name_kind_and_head() {
        let cases: Vec<(Item, &str, Kind, &str)> = vec![
            (
                syn::parse_quote!(
                    pub fn r#mean() {}
                ),
                "mean",
                Kind::Fn,
                "fn r#mean",
            ),
            (
                syn::parse_quote!(
                    struct Model {
                        a: u8,
                    }
                ),
                "Model",
                Kind::Type,
                "struct Model",
            ),
            (
                syn::parse_quote!(
                    enum E {
                        A,
                    }
                ),
                "E",
                Kind::Type,
                "enum E",
            ),
            (
                syn::parse_quote!(union U { a: u8 }),
                "U",
                Kind::Type,
                "union U",
            ),
            (
                syn::parse_quote!(
                    trait T {}
                ),
                "T",
                Kind::Trait,
                "trait T",
            ),
            (
                syn::parse_quote!(
                    type A = u8;
                ),
                "A",
                Kind::Alias,
                "type A",
            ),
            (
                syn::parse_quote!(
                    const C: u8 = 1;
                ),
                "C",
                Kind::Value,
                "const C",
            ),
            (
                syn::parse_quote!(
                    static S: u8 = 1;
                ),
                "S",
                Kind::Value,
                "static S",
            ),
            (
                syn::parse_quote!(
                    mod m {}
                ),
                "m",
                Kind::ItemMacro,
                "mod m",
            ),
        ];
        for (item, name, kind, head) in cases {
            let found = marked(item);
            assert_eq!(
                (found.0.as_str(), found.1, found.3, found.4.as_str()),
                (name, kind, true, head)
            );
        }
    }

    #[test]
    fn impl_blocks_are_named_by_trait_and_self_type() {
        let (name, kind, self_type, has_vis, head) =
            marked(syn::parse_quote!(impl std::fmt::Display for crate::Model<u8> {}));
        assert_eq!(name, "impl_Display_for_Model");
        assert_eq!(kind, Kind::Impl);
        assert_eq!(self_type.as_deref(), Some("Model"));
        assert!(!has_vis);
        assert_eq!(head, "impl std :: fmt :: Display for crate :: Model < u8 >");
        let (name, ..) = marked(syn::parse_quote!(impl Model {}));
        assert_eq!(name, "impl_Model");
    }

    #[test]
    fn unmarkable_items_have_no_facts() {
        let items: Vec<Item> = vec![
            syn::parse_quote!(impl Describe for (f64, f64) {}),
            syn::parse_quote!(
                use std::fmt;
            ),
            syn::parse_quote!(
                extern crate alloc;
            ),
            syn::parse_quote!(m! {}),
        ];
        for item in items {
            assert!(describe(&item).marked.is_none());
        }
    }

    #[test]
    fn a_module_without_body_is_flagged() {
        let item: Item = syn::parse_quote!(
            mod elsewhere;
        );
        assert!(describe(&item).marked.expect("markable").outlined_mod);
    }
}
