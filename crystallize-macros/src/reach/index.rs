//! The items of a crate's module tree, as plain data (so one parse serves every macro invocation
//! of a compilation), indexed for resolution: by module and name, impl blocks by
//! the name of their self type, impls and traits by the names of their associated items, and
//! `macro_rules!` macros by name. Items declared inside function bodies count as items of the
//! enclosing module (conservative).

use std::collections::{BTreeMap, BTreeSet};

use quote::ToTokens;
use syn::ext::IdentExt;

use super::scan::{Reference, references};
use super::tree::Tree;

/// What kind of item an entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A function.
    Fn,
    /// A struct, enum or union.
    Type,
    /// A type alias.
    Alias,
    /// A trait.
    Trait,
    /// An impl block.
    Impl,
    /// A const or static.
    Value,
    /// A `macro_rules!` definition.
    MacroRules,
    /// A macro invoked where items go (it may define items of any name).
    ItemMacro,
}

/// One indexed item.
pub(crate) struct Entry {
    /// Its module.
    pub module: usize,
    /// Its name (impl blocks have none).
    pub name: Option<String>,
    /// Its kind.
    pub kind: Kind,
    /// Code hash of its tokens (the canonical walk).
    pub code: [u8; 32],
    /// Its canonical text (what a diff shows).
    pub text: String,
    /// What its tokens refer to.
    pub refs: BTreeSet<Reference>,
    /// How explanations name it: `helpers::mean`, `model::impl Display for Model`.
    pub display: String,
    /// For impl blocks: the last segment of the self type.
    pub self_type: Option<String>,
    /// Names of associated items (impl blocks and traits).
    pub associated: BTreeSet<String>,
}

/// A name a `use` brings into a module.
#[derive(Clone, Debug)]
pub(crate) struct Binding {
    /// The name in scope.
    pub name: String,
    /// The path it names, as written.
    pub path: Vec<String>,
}

/// Per-module scope facts.
#[derive(Default)]
pub(crate) struct Scope {
    /// Items by name.
    pub items: BTreeMap<String, Vec<usize>>,
    /// Child modules by name.
    pub children: BTreeMap<String, usize>,
    /// `use` bindings.
    pub uses: Vec<Binding>,
    /// `use path::*` globs.
    pub globs: Vec<Vec<String>>,
    /// Item-position macro invocations (they may define anything).
    pub item_macros: Vec<usize>,
}

/// The index of one crate.
pub(crate) struct Index {
    /// Every entry.
    pub entries: Vec<Entry>,
    /// Scope per module (same order as the tree's modules).
    pub scopes: Vec<Scope>,
    /// Module parents.
    pub parents: Vec<Option<usize>>,
    /// The file of each module.
    pub module_files: Vec<std::path::PathBuf>,
    /// Impl blocks by self type name.
    pub impls_of: BTreeMap<String, Vec<usize>>,
    /// Impl blocks and traits by associated item name.
    pub with_associated: BTreeMap<String, Vec<usize>>,
    /// `macro_rules!` definitions by name.
    pub macros: BTreeMap<String, Vec<usize>>,
}

fn last_segment(ty: &syn::Type) -> Option<String> {
    match ty {
        syn::Type::Path(path) => path
            .path
            .segments
            .last()
            .map(|segment| segment.ident.unraw().to_string()),
        syn::Type::Reference(reference) => last_segment(&reference.elem),
        syn::Type::Group(group) => last_segment(&group.elem),
        syn::Type::Paren(paren) => last_segment(&paren.elem),
        _ => None,
    }
}

fn path_text(path: &syn::Path) -> String {
    path.segments
        .iter()
        .map(|segment| segment.ident.unraw().to_string())
        .collect::<Vec<_>>()
        .join("::")
}

fn flatten_use(tree: &syn::UseTree, prefix: &mut Vec<String>, scope: &mut Scope) {
    match tree {
        syn::UseTree::Path(path) => {
            prefix.push(path.ident.unraw().to_string());
            flatten_use(&path.tree, prefix, scope);
            prefix.pop();
        }
        syn::UseTree::Name(name) => {
            let ident = name.ident.unraw().to_string();
            if ident == "self" {
                if let Some(last) = prefix.last() {
                    scope.uses.push(Binding {
                        name: last.clone(),
                        path: prefix.clone(),
                    });
                }
            } else {
                let mut path = prefix.clone();
                path.push(ident.clone());
                scope.uses.push(Binding { name: ident, path });
            }
        }
        syn::UseTree::Rename(rename) => {
            let mut path = prefix.clone();
            let ident = rename.ident.unraw().to_string();
            if ident != "self" {
                path.push(ident);
            }
            scope.uses.push(Binding {
                name: rename.rename.unraw().to_string(),
                path,
            });
        }
        syn::UseTree::Glob(_) => scope.globs.push(prefix.clone()),
        syn::UseTree::Group(group) => {
            for item in &group.items {
                flatten_use(item, prefix, scope);
            }
        }
    }
}

impl Index {
    /// Indexes every item of `tree`.
    pub(crate) fn build(tree: &Tree) -> Index {
        let mut index = Index {
            entries: Vec::new(),
            scopes: tree.modules.iter().map(|_| Scope::default()).collect(),
            parents: tree.modules.iter().map(|m| m.parent).collect(),
            module_files: tree.modules.iter().map(|m| m.file.clone()).collect(),
            impls_of: BTreeMap::new(),
            with_associated: BTreeMap::new(),
            macros: BTreeMap::new(),
        };
        for (module_index, module) in tree.modules.iter().enumerate() {
            if let Some(parent) = module.parent
                && let Some(name) = module.path.last()
            {
                index.scopes[parent]
                    .children
                    .insert(name.clone(), module_index);
            }
        }
        for (module_index, module) in tree.modules.iter().enumerate() {
            let prefix = module.path.join("::");
            for item in &module.items {
                index.add(module_index, &prefix, item);
            }
        }
        index
    }

    fn add(&mut self, module: usize, prefix: &str, item: &syn::Item) {
        let qualified = |name: &str| {
            if prefix.is_empty() {
                name.to_string()
            } else {
                format!("{prefix}::{name}")
            }
        };
        let mut associated = BTreeSet::new();
        let (name, kind, display, self_type) = match item {
            syn::Item::Fn(function) => {
                for statement in &function.block.stmts {
                    if let syn::Stmt::Item(nested) = statement {
                        self.add(module, prefix, nested);
                    }
                }
                let name = function.sig.ident.unraw().to_string();
                (Some(name.clone()), Kind::Fn, qualified(&name), None)
            }
            syn::Item::Struct(item) => {
                let name = item.ident.unraw().to_string();
                (Some(name.clone()), Kind::Type, qualified(&name), None)
            }
            syn::Item::Enum(item) => {
                let name = item.ident.unraw().to_string();
                (Some(name.clone()), Kind::Type, qualified(&name), None)
            }
            syn::Item::Union(item) => {
                let name = item.ident.unraw().to_string();
                (Some(name.clone()), Kind::Type, qualified(&name), None)
            }
            syn::Item::Type(item) => {
                let name = item.ident.unraw().to_string();
                (Some(name.clone()), Kind::Alias, qualified(&name), None)
            }
            syn::Item::Const(item) => {
                let name = item.ident.unraw().to_string();
                (Some(name.clone()), Kind::Value, qualified(&name), None)
            }
            syn::Item::Static(item) => {
                let name = item.ident.unraw().to_string();
                (Some(name.clone()), Kind::Value, qualified(&name), None)
            }
            syn::Item::Trait(item) => {
                for member in &item.items {
                    let name = match member {
                        syn::TraitItem::Fn(f) => Some(&f.sig.ident),
                        syn::TraitItem::Const(c) => Some(&c.ident),
                        syn::TraitItem::Type(t) => Some(&t.ident),
                        _ => None,
                    };
                    associated.extend(name.map(|ident| ident.unraw().to_string()));
                }
                let name = item.ident.unraw().to_string();
                (Some(name.clone()), Kind::Trait, qualified(&name), None)
            }
            syn::Item::Impl(item) => {
                for member in &item.items {
                    let name = match member {
                        syn::ImplItem::Fn(f) => Some(&f.sig.ident),
                        syn::ImplItem::Const(c) => Some(&c.ident),
                        syn::ImplItem::Type(t) => Some(&t.ident),
                        _ => None,
                    };
                    associated.extend(name.map(|ident| ident.unraw().to_string()));
                }
                let self_type = last_segment(&item.self_ty);
                let shown = match &item.trait_ {
                    Some((path, _)) => format!(
                        "impl {} for {}",
                        path_text(path),
                        self_type.as_deref().unwrap_or("_")
                    ),
                    None => format!("impl {}", self_type.as_deref().unwrap_or("_")),
                };
                (None, Kind::Impl, qualified(&shown), self_type)
            }
            syn::Item::Macro(item) => match &item.ident {
                Some(ident) if item.mac.path.is_ident("macro_rules") => {
                    let name = ident.unraw().to_string();
                    (
                        Some(name.clone()),
                        Kind::MacroRules,
                        qualified(&format!("{name}!")),
                        None,
                    )
                }
                _ => {
                    let shown = format!("{}!(..)", path_text(&item.mac.path));
                    (None, Kind::ItemMacro, qualified(&shown), None)
                }
            },
            syn::Item::Use(item) => {
                let mut prefix_segments = Vec::new();
                if item.leading_colon.is_some() {
                    prefix_segments.push(String::new());
                }
                flatten_use(&item.tree, &mut prefix_segments, &mut self.scopes[module]);
                return;
            }
            syn::Item::ExternCrate(item) => {
                let name = item.ident.unraw().to_string();
                let local = item
                    .rename
                    .as_ref()
                    .map_or(name.clone(), |(_, rename)| rename.unraw().to_string());
                self.scopes[module].uses.push(Binding {
                    name: local,
                    path: vec![name],
                });
                return;
            }
            _ => return,
        };
        let id = self.entries.len();
        let mut display = display;
        if self.entries.iter().any(|entry| entry.display == display) {
            display = format!("{display} (#{})", id);
        }
        let tokens = item.to_token_stream();
        self.entries.push(Entry {
            module,
            name: name.clone(),
            kind,
            code: crate::hash::code_hash(tokens.clone()),
            text: super::canonical_text(tokens.clone()),
            refs: references(tokens),
            display,
            self_type: self_type.clone(),
            associated: associated.clone(),
        });
        if let Some(name) = &name {
            if kind == Kind::MacroRules {
                self.macros.entry(name.clone()).or_default().push(id);
            } else {
                self.scopes[module]
                    .items
                    .entry(name.clone())
                    .or_default()
                    .push(id);
            }
        }
        if kind == Kind::ItemMacro {
            self.scopes[module].item_macros.push(id);
        }
        if let Some(self_type) = self_type {
            self.impls_of.entry(self_type).or_default().push(id);
        }
        for name in associated {
            self.with_associated.entry(name).or_default().push(id);
        }
    }

    /// Modules whose file is `file`.
    pub(crate) fn modules_in(&self, file: &std::path::Path) -> Vec<usize> {
        let canonical = |path: &std::path::Path| {
            std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
        };
        let wanted = canonical(file);
        self.module_files
            .iter()
            .enumerate()
            .filter(|(_, module_file)| canonical(module_file) == wanted)
            .map(|(index, _)| index)
            .collect()
    }
}
