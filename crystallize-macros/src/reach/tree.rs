//! A crate's module tree as written on disk: from its root file, every `mod` declared (inline or
//! in its own file, `#[path]` honoured), parsed with syn. Declarations whose file cannot be found
//! (usually a `#[cfg]`-ed out module) are listed, never fatal.

use std::path::{Path, PathBuf};

/// One module: its path, the file its items come from, and its items.
pub(crate) struct Module {
    /// Path segments from the crate root (`[]` for the root).
    pub path: Vec<String>,
    /// Index of the parent module (`None` for the root).
    pub parent: Option<usize>,
    /// Items written directly in the module.
    pub items: Vec<syn::Item>,
    /// The file holding the items.
    pub file: PathBuf,
}

/// The modules of one crate, root first.
pub(crate) struct Tree {
    /// Every module.
    pub modules: Vec<Module>,
    /// `mod` declarations without a file, as `path (file candidates)`.
    pub missing: Vec<String>,
    /// Files that could not be parsed, with the error.
    pub unparsable: Vec<String>,
}

/// Reads the tree rooted at `root_file`; `None` if the root cannot be read or parsed.
pub(crate) fn load(root_file: &Path) -> Option<Tree> {
    let text = std::fs::read_to_string(root_file).ok()?;
    let file = syn::parse_file(&text).ok()?;
    let mut tree = Tree {
        modules: Vec::new(),
        missing: Vec::new(),
        unparsable: Vec::new(),
    };
    let children_dir = root_file
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    add_module(
        &mut tree,
        Vec::new(),
        None,
        file.items,
        root_file.to_path_buf(),
        children_dir,
        0,
    );
    Some(tree)
}

/// Deep enough for any real crate; stops a `#[path]` cycle.
const MAX_DEPTH: usize = 64;

fn add_module(
    tree: &mut Tree,
    path: Vec<String>,
    parent: Option<usize>,
    items: Vec<syn::Item>,
    file: PathBuf,
    children_dir: PathBuf,
    depth: usize,
) {
    let index = tree.modules.len();
    let mut own = Vec::with_capacity(items.len());
    let mut children = Vec::new();
    for item in items {
        if let syn::Item::Mod(module) = &item {
            children.push(module.clone());
        }
        own.push(item);
    }
    tree.modules.push(Module {
        path: path.clone(),
        parent,
        items: own,
        file: file.clone(),
    });
    if depth >= MAX_DEPTH {
        return;
    }
    for module in children {
        let name = syn::ext::IdentExt::unraw(&module.ident).to_string();
        let mut child_path = path.clone();
        child_path.push(name.clone());
        let path_attr = module.attrs.iter().find_map(|attr| {
            if !attr.path().is_ident("path") {
                return None;
            }
            match &attr.meta {
                syn::Meta::NameValue(value) => match &value.value {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(text),
                        ..
                    }) => Some(text.value()),
                    _ => None,
                },
                _ => None,
            }
        });
        match module.content {
            Some((_, items)) => {
                let dir = match &path_attr {
                    Some(custom) => children_dir.join(custom),
                    None => children_dir.join(&name),
                };
                add_module(
                    tree,
                    child_path,
                    Some(index),
                    items,
                    file.clone(),
                    dir,
                    depth + 1,
                );
            }
            None => {
                let candidates = match &path_attr {
                    Some(custom) => {
                        let base = file.parent().map(Path::to_path_buf).unwrap_or_default();
                        vec![base.join(custom)]
                    }
                    None => vec![
                        children_dir.join(format!("{name}.rs")),
                        children_dir.join(&name).join("mod.rs"),
                    ],
                };
                let Some(found) = candidates.iter().find(|candidate| candidate.is_file()) else {
                    tree.missing.push(format!(
                        "{} ({})",
                        child_path.join("::"),
                        candidates
                            .iter()
                            .map(|candidate| candidate.display().to_string())
                            .collect::<Vec<_>>()
                            .join(" or ")
                    ));
                    continue;
                };
                let parsed = std::fs::read_to_string(found)
                    .map_err(|error| error.to_string())
                    .and_then(|text| syn::parse_file(&text).map_err(|error| error.to_string()));
                match parsed {
                    Ok(parsed) => {
                        let owns_dir = found
                            .file_name()
                            .is_some_and(|file_name| file_name == "mod.rs");
                        // A `mod.rs` owns its directory; `a.rs` keeps its children in `a/`.
                        let dir = if owns_dir {
                            found.parent().map(Path::to_path_buf).unwrap_or_default()
                        } else {
                            found.with_extension("")
                        };
                        add_module(
                            tree,
                            child_path,
                            Some(index),
                            parsed.items,
                            found.clone(),
                            dir,
                            depth + 1,
                        );
                    }
                    Err(error) => tree
                        .unparsable
                        .push(format!("{}: {error}", found.display())),
                }
            }
        }
    }
}

/// The root file of the crate being compiled, from Cargo's environment: the binary named by
/// `CARGO_BIN_NAME`, else the library, else an example, test or bench named `crate_name`.
pub(crate) fn crate_root(
    manifest_dir: &Path,
    crate_name: &str,
    bin: Option<&str>,
) -> Option<PathBuf> {
    let manifest = super::manifest::read_manifest(manifest_dir);
    let src = manifest_dir.join("src");
    let mut candidates = Vec::new();
    if let Some(bin) = bin {
        if let Some(path) = manifest.bins.get(bin) {
            candidates.push(path.clone());
        }
        candidates.push(src.join("bin").join(format!("{bin}.rs")));
        candidates.push(src.join("bin").join(bin).join("main.rs"));
        candidates.push(src.join("main.rs"));
    } else {
        if let Some(path) = &manifest.lib_path {
            candidates.push(path.clone());
        }
        candidates.push(src.join("lib.rs"));
        for dir in ["examples", "tests", "benches"] {
            candidates.push(manifest_dir.join(dir).join(format!("{crate_name}.rs")));
            candidates.push(manifest_dir.join(dir).join(crate_name).join("main.rs"));
        }
        candidates.push(src.join("main.rs"));
    }
    candidates.into_iter().find(|candidate| candidate.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_mod_declarations_inline_nested_and_with_path() {
        let dir = tempfile_dir();
        let src = dir.join("src");
        std::fs::create_dir_all(src.join("a/deep")).unwrap();
        std::fs::create_dir_all(src.join("other")).unwrap();
        std::fs::write(
            src.join("lib.rs"),
            "mod a; mod inline { mod nested; pub fn f() {} } #[path = \"other/x.rs\"] mod custom; #[cfg(any())] mod gone;",
        )
        .unwrap();
        std::fs::write(src.join("a.rs"), "mod deep; pub fn in_a() {}").unwrap();
        std::fs::write(src.join("a/deep/mod.rs"), "pub fn in_deep() {}").unwrap();
        std::fs::create_dir_all(src.join("inline")).unwrap();
        std::fs::write(src.join("inline/nested.rs"), "pub fn n() {}").unwrap();
        std::fs::write(src.join("other/x.rs"), "pub fn x() {}").unwrap();
        let tree = load(&src.join("lib.rs")).unwrap();
        let paths: Vec<String> = tree
            .modules
            .iter()
            .map(|module| module.path.join("::"))
            .collect();
        assert_eq!(
            paths,
            vec!["", "a", "a::deep", "inline", "inline::nested", "custom"]
        );
        assert_eq!(tree.missing.len(), 1, "{:?}", tree.missing);
        assert!(tree.missing[0].starts_with("gone"));
        let _ = std::fs::remove_dir_all(dir);
    }

    fn tempfile_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "crystallize-macros-tree-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
