//! What an annotated item's code reaches, so that its key covers all the code its results depend
//! on: every item of the user's crate its body can reach, transitively, the reachable items of
//! path dependencies (a workspace library with the model code), and the locked version of every
//! registry crate that reachable code names.
//!
//! At compile time the macro finds the file of the annotated item (`Span::local_file`), the crate
//! root from Cargo's environment, parses the module tree once per compilation (cached as plain
//! data for every later invocation), and resolves the names in the item conservatively
//! ([`resolve`]). Where that is impossible (no Cargo environment, a file outside the module tree)
//! it falls back to hashing every source file of the crate, which over-invalidates but never
//! misses a change, and says why.
//!
//! - [`manifest`]: `Cargo.toml` and `Cargo.lock`;
//! - [`tree`]: the module tree on disk;
//! - [`index`]: items as plain data, with their code hashes and references;
//! - [`scan`]: references read from tokens;
//! - [`resolve`]: name resolution and the transitive closure.

pub(crate) mod index;
pub(crate) mod manifest;
pub(crate) mod resolve;
pub(crate) mod scan;
pub(crate) mod tree;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use proc_macro2::{Span, TokenStream};

use index::{Index, Kind};
use manifest::{LockedPackage, Manifest};

/// The canonical text of an item, as diffs show it (what its code hash covers).
pub(crate) fn canonical_text(tokens: TokenStream) -> String {
    crate::hash::canonical_text(tokens)
}

/// One crate loaded for analysis.
pub(crate) struct LoadedCrate {
    /// How its items are named in explanations: `crate` for the crate being compiled, the import
    /// name for a path dependency.
    pub prefix: String,
    /// Its package name (for `Cargo.lock`).
    pub package: String,
    /// Its manifest.
    pub manifest: Manifest,
    /// Its items.
    pub index: Index,
    /// Loaded path dependencies by import name.
    pub path_dependencies: BTreeMap<String, usize>,
    /// Files of its tree that could not be parsed.
    pub unparsable: Vec<String>,
}

/// The crate being compiled and its path dependencies.
pub(crate) struct Workspace {
    /// Loaded crates; the first is the one being compiled.
    pub crates: Vec<LoadedCrate>,
    /// `Cargo.lock`'s packages.
    pub lock: Vec<LockedPackage>,
    /// Where `Cargo.lock` is.
    pub lock_path: Option<PathBuf>,
}

/// Packages whose code is the framework itself, never part of a key.
const FRAMEWORK: &[&str] = &["crystallize", "crystallize-macros"];

/// How many path dependencies are followed at most (a workspace is rarely larger).
const MAX_CRATES: usize = 64;

impl Workspace {
    /// Loads the crate rooted at `root_file` (manifest in `manifest_dir`) and, transitively, its
    /// path dependencies.
    fn load(manifest_dir: &Path, root_file: &Path, package: &str) -> Option<Workspace> {
        let tree = tree::load(root_file)?;
        let mut workspace = Workspace {
            crates: Vec::new(),
            lock: Vec::new(),
            lock_path: manifest::find_lock(manifest_dir),
        };
        if let Some(lock) = &workspace.lock_path
            && let Ok(text) = std::fs::read_to_string(lock)
        {
            workspace.lock = manifest::parse_lock(&text);
        }
        let mut dirs: Vec<PathBuf> = vec![canonical(manifest_dir)];
        workspace.crates.push(LoadedCrate {
            prefix: "crate".to_string(),
            package: package.to_string(),
            manifest: manifest::read_manifest(manifest_dir),
            index: Index::build(&tree),
            path_dependencies: BTreeMap::new(),
            unparsable: tree.unparsable,
        });
        let mut next = 0;
        while next < workspace.crates.len() && workspace.crates.len() < MAX_CRATES {
            let dependencies: Vec<(String, PathBuf, String)> =
                path_dependencies_of(&workspace.crates[next].manifest, &dirs[next]);
            for (import, dir, package) in dependencies {
                let dir = canonical(&dir);
                let loaded = match dirs.iter().position(|known| *known == dir) {
                    Some(existing) => Some(existing),
                    None => tree::crate_root(&dir, &import, None)
                        .and_then(|root| tree::load(&root))
                        .map(|tree| {
                            workspace.crates.push(LoadedCrate {
                                prefix: import.clone(),
                                package: package.clone(),
                                manifest: manifest::read_manifest(&dir),
                                index: Index::build(&tree),
                                path_dependencies: BTreeMap::new(),
                                unparsable: tree.unparsable,
                            });
                            dirs.push(dir.clone());
                            workspace.crates.len() - 1
                        }),
                };
                if let Some(loaded) = loaded {
                    workspace.crates[next]
                        .path_dependencies
                        .insert(import, loaded);
                }
            }
            next += 1;
        }
        Some(workspace)
    }
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// `(import name, directory, package)` of each path dependency of a crate (workspace-inherited
/// ones through the workspace root), the framework's own crates left out.
fn path_dependencies_of(manifest: &Manifest, dir: &Path) -> Vec<(String, PathBuf, String)> {
    let mut found = Vec::new();
    let root = manifest::workspace_root(dir).map(|root| manifest::read_manifest(&root));
    for dependency in manifest.dependencies.values() {
        if FRAMEWORK.contains(&dependency.package.as_str()) {
            continue;
        }
        let path = match (&dependency.path, dependency.from_workspace, &root) {
            (Some(path), _, _) => Some(path.clone()),
            (None, true, Some(root)) => root
                .workspace_dependencies
                .get(&dependency.import)
                .and_then(|inherited| {
                    if FRAMEWORK.contains(&inherited.package.as_str()) {
                        None
                    } else {
                        inherited.path.clone()
                    }
                }),
            _ => None,
        };
        if let Some(path) = path {
            found.push((dependency.import.clone(), path, dependency.package.clone()));
        }
    }
    found
}

/// Loaded workspaces by root file: one parse per compilation, shared by every invocation.
static CACHE: Mutex<BTreeMap<PathBuf, Arc<Workspace>>> = Mutex::new(BTreeMap::new());

fn workspace(manifest_dir: &Path, root_file: &Path, package: &str) -> Option<Arc<Workspace>> {
    let mut cache = CACHE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(found) = cache.get(root_file) {
        return Some(found.clone());
    }
    let loaded = Arc::new(Workspace::load(manifest_dir, root_file, package)?);
    cache.insert(root_file.to_path_buf(), loaded.clone());
    Some(loaded)
}

/// An item the annotated one reaches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Reached {
    /// `crate::helpers::mean`, `model::fit`, `include!(data/table.csv)`.
    pub path: String,
    /// Its code hash (content hash for included files).
    pub code: [u8; 32],
    /// The item it was first reached from, when not directly.
    pub via: Option<String>,
    /// Its canonical text.
    pub text: String,
}

/// A registry dependency reachable code names.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct DependencyUse {
    /// Package name.
    pub name: String,
    /// Locked version.
    pub version: String,
    /// Locked checksum (empty where none is locked).
    pub checksum: String,
}

/// What an annotated item's key covers beyond its own tokens.
#[derive(Clone, Debug, Default)]
pub(crate) struct Analysis {
    /// Reached items, sorted by path.
    pub items: Vec<Reached>,
    /// Registry dependencies named by reached code, sorted.
    pub dependencies: Vec<DependencyUse>,
    /// What could not be tracked, and why.
    pub untracked: Vec<String>,
    /// Items excluded by `ignore(..)`, by path.
    pub ignored: Vec<String>,
    /// Files outside the module tree the analysis read: the build must rerun when they change.
    pub tracked_files: Vec<PathBuf>,
}

/// The annotated item: its name, kind, tokens and the span that locates its file.
pub(crate) struct Subject<'a> {
    /// Its name.
    pub name: &'a str,
    /// Its kind, to find it in the index.
    pub kind: Kind,
    /// Its tokens (whose references start the closure).
    pub tokens: TokenStream,
    /// A span inside it (its name).
    pub span: Span,
    /// `Self` in its body (impl blocks).
    pub self_type: Option<String>,
}

/// Analyses what `subject` reaches; `ignore` paths are resolved in its module (an unknown one is
/// an error at its span).
pub(crate) fn analyze(subject: Subject<'_>, ignore: &[syn::Path]) -> syn::Result<Analysis> {
    let refs = scan::references(subject.tokens.clone());
    let file = proc_macro::is_available()
        .then(|| subject.span.unwrap().local_file())
        .flatten();
    let env = |name: &str| std::env::var(name).ok();
    let (Some(file), Some(manifest_dir)) = (file, env("CARGO_MANIFEST_DIR")) else {
        if !ignore.is_empty() {
            return Ok(Analysis {
                ignored: ignore.iter().map(path_text).collect(),
                ..Analysis::default()
            });
        }
        return Ok(Analysis::default());
    };
    // A relative path is relative to the compiler's working directory; everything below
    // (generated `include_bytes!` included) needs it absolute.
    let file = std::fs::canonicalize(&file).unwrap_or(file);
    let manifest_dir = canonical(&PathBuf::from(manifest_dir));
    let crate_name = env("CARGO_CRATE_NAME").unwrap_or_default();
    let package = env("CARGO_PKG_NAME").unwrap_or_default();
    let bin = env("CARGO_BIN_NAME");
    let root = tree::crate_root(&manifest_dir, &crate_name, bin.as_deref());
    let loaded = root
        .as_ref()
        .and_then(|root| workspace(&manifest_dir, root, &package));
    let Some(workspace) = loaded else {
        return Ok(fallback(
            &manifest_dir,
            format!(
                "the crate root of `{crate_name}` was not found under {}",
                manifest_dir.display()
            ),
        ));
    };
    let current = &workspace.crates[0];
    let modules = current.index.modules_in(&file);
    let Some(&module) = modules.first() else {
        return Ok(fallback(
            &manifest_dir,
            format!(
                "{} is not in the module tree of {}",
                file.display(),
                root.map(|root| root.display().to_string())
                    .unwrap_or_default()
            ),
        ));
    };
    // The item itself is the start, not something it reaches.
    let mut skip: BTreeSet<resolve::Node> = current
        .index
        .entries
        .iter()
        .enumerate()
        .filter(|(_, entry)| {
            modules.contains(&entry.module)
                && entry.kind == subject.kind
                && entry.name.as_deref() == Some(subject.name)
        })
        .map(|(index, _)| (0, index))
        .collect();
    let mut ignored = Vec::new();
    for path in ignore {
        let segments: Vec<String> = path
            .segments
            .iter()
            .map(|segment| syn::ext::IdentExt::unraw(&segment.ident).to_string())
            .collect();
        let nodes: Vec<resolve::Node> = workspace
            .resolve(0, module, &segments, 0)
            .into_iter()
            .filter_map(|target| match target {
                resolve::Target::Entry(node) => Some(node),
                _ => None,
            })
            .collect();
        if nodes.is_empty() {
            let suggestion = suggest(&workspace, module, &segments)
                .map(|name| format!("; did you mean `{name}`?"))
                .unwrap_or_default();
            return Err(syn::Error::new_spanned(
                path,
                format!(
                    "`ignore({})`: no item of this crate is named so here{suggestion} (ignore takes a fn, type, const, static or macro of this crate, named as in this module)",
                    path_text(path)
                ),
            ));
        }
        for node in nodes {
            ignored.push(display(&workspace, node));
            skip.insert(node);
        }
    }
    let closure = resolve::closure(
        &workspace,
        (0, module, subject.self_type.clone()),
        &refs,
        &skip,
        &file,
    );
    let mut analysis = Analysis {
        ignored,
        ..Analysis::default()
    };
    for (&node, from) in &closure.reached {
        let (crate_index, entry_index) = node;
        let entry = &workspace.crates[crate_index].index.entries[entry_index];
        analysis.items.push(Reached {
            path: display(&workspace, node),
            code: entry.code,
            via: from.map(|from| display(&workspace, from)),
            text: entry.text.clone(),
        });
    }
    for (included, from) in &closure.includes {
        let shown = included
            .strip_prefix(&manifest_dir)
            .unwrap_or(included)
            .display()
            .to_string();
        match std::fs::read(included) {
            Ok(bytes) => {
                analysis.items.push(Reached {
                    path: format!("include!({shown})"),
                    code: *blake3::hash(&bytes).as_bytes(),
                    via: from.map(|from| display(&workspace, from)),
                    text: String::from_utf8(bytes)
                        .unwrap_or_else(|_| "(binary content)".to_string()),
                });
                analysis.tracked_files.push(included.clone());
            }
            Err(error) => analysis
                .untracked
                .push(format!("included file {shown} cannot be read: {error}")),
        }
    }
    analysis.items.sort_by(|a, b| a.path.cmp(&b.path));
    analysis.items.dedup_by(|a, b| a.path == b.path);
    let mut dependencies = BTreeSet::new();
    for (crate_index, import) in &closure.externals {
        let loaded = &workspace.crates[*crate_index];
        let Some(dependency) = loaded.manifest.dependencies.get(import) else {
            continue;
        };
        if FRAMEWORK.contains(&dependency.package.as_str()) {
            continue;
        }
        let locked = manifest::locked(&workspace.lock, &loaded.package, &dependency.package);
        dependencies.insert(DependencyUse {
            name: dependency.package.clone(),
            version: locked.map_or_else(|| "unlocked".to_string(), |l| l.version.clone()),
            checksum: locked.and_then(|l| l.checksum.clone()).unwrap_or_default(),
        });
    }
    analysis.dependencies = dependencies.into_iter().collect();
    analysis.untracked.extend(closure.untracked);
    for loaded in &workspace.crates {
        for problem in &loaded.unparsable {
            analysis.untracked.push(format!(
                "{problem}: this file could not be read for tracking"
            ));
        }
    }
    if let Some(lock) = &workspace.lock_path {
        analysis.tracked_files.push(lock.clone());
    }
    Ok(analysis)
}

/// A path close to `segments` (its last segment within two edits of an item of the module the
/// rest of the path names), for "did you mean".
fn suggest(workspace: &Workspace, module: usize, segments: &[String]) -> Option<String> {
    let (last, parent) = segments.split_last()?;
    let modules: Vec<(usize, usize)> = if parent.is_empty() {
        vec![(0, module)]
    } else {
        workspace
            .resolve(0, module, parent, 0)
            .into_iter()
            .filter_map(|target| match target {
                resolve::Target::Module(krate, module) => Some((krate, module)),
                _ => None,
            })
            .collect()
    };
    let mut best: Option<(usize, String)> = None;
    for (krate, module) in modules {
        for name in workspace.crates[krate].index.scopes[module].items.keys() {
            let distance = edit_distance(last, name);
            if distance <= 2 && best.as_ref().is_none_or(|(known, _)| distance < *known) {
                best = Some((distance, name.clone()));
            }
        }
    }
    best.map(|(_, name)| {
        let mut path: Vec<String> = parent.to_vec();
        path.push(name);
        path.join("::")
    })
}

/// Levenshtein distance.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
}

fn path_text(path: &syn::Path) -> String {
    path.segments
        .iter()
        .map(|segment| segment.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}

/// `crate::helpers::mean`, `model::fit`.
fn display(workspace: &Workspace, (crate_index, entry): resolve::Node) -> String {
    let loaded = &workspace.crates[crate_index];
    format!("{}::{}", loaded.prefix, loaded.index.entries[entry].display)
}

/// Every `.rs` file below `manifest_dir/src`, hashed token by token, as one item: where the
/// analysis cannot resolve names, the key still covers all the crate's code.
fn fallback(manifest_dir: &Path, why: String) -> Analysis {
    fn collect(dir: &Path, into: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                collect(&path, into);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                into.push(path);
            }
        }
    }
    let mut files = Vec::new();
    collect(&manifest_dir.join("src"), &mut files);
    files.sort();
    let mut hasher = blake3::Hasher::new();
    let mut listing = String::new();
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let code = match text.parse::<TokenStream>() {
            Ok(tokens) => crate::hash::code_hash(tokens),
            Err(_) => *blake3::hash(text.as_bytes()).as_bytes(),
        };
        let shown = file.strip_prefix(manifest_dir).unwrap_or(file).display();
        hasher.update(shown.to_string().as_bytes());
        hasher.update(&code);
        listing.push_str(&format!("{shown}\n"));
    }
    Analysis {
        items: vec![Reached {
            path: "crate (all source files)".to_string(),
            code: *hasher.finalize().as_bytes(),
            via: None,
            text: listing,
        }],
        untracked: vec![format!(
            "names could not be resolved ({why}): every source file of the crate counts instead"
        )],
        tracked_files: files,
        ..Analysis::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("crystallize-reach-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("src")).unwrap();
        dir
    }

    /// The reachability set of `start` in a small crate, as display paths.
    fn reached(workspace: &Workspace, start: &str) -> Vec<String> {
        let current = &workspace.crates[0];
        let (index, entry) = current
            .index
            .entries
            .iter()
            .enumerate()
            .find(|(_, entry)| entry.name.as_deref() == Some(start) && entry.kind == Kind::Fn)
            .expect("start item");
        let skip = BTreeSet::from([(0, index)]);
        let closure = resolve::closure(
            workspace,
            (0, entry.module, None),
            &entry.refs,
            &skip,
            Path::new("src/lib.rs"),
        );
        let mut paths: Vec<String> = closure
            .reached
            .keys()
            .map(|&node| display(workspace, node))
            .collect();
        paths.sort();
        paths
    }

    #[test]
    fn golden_reachability_of_a_small_crate() {
        let dir = temp_dir("golden");
        std::fs::write(
            dir.join("Cargo.toml"),
            "[package]\nname = \"golden\"\n[dependencies]\nrand_distr = \"0.5\"\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("src/lib.rs"),
            r#"
mod model;
mod util;
use util::*;
use model::{Model as M, Fit};

pub const LIMIT: usize = 3;
pub static UNUSED: usize = 0;
macro_rules! square { ($x:expr) => { $x * $x }; }
type Values = Vec<f64>;

pub fn step(data: Values) -> f64 {
    let m = M::new(LIMIT);
    let total: f64 = data.iter().map(|x| clamp(*x)).sum();
    println!("{} {OFFSET_NAME}", m.fit(total));
    square!(total) + rand_distr::Normal::default_mean()
}

pub fn unrelated() -> f64 { helper_of_unrelated() }
fn helper_of_unrelated() -> f64 { 1.0 }
pub const OFFSET_NAME: &str = "offset";
"#,
        )
        .unwrap();
        std::fs::write(
            dir.join("src/model.rs"),
            r#"
pub struct Model { size: usize }
impl Model {
    pub fn new(size: usize) -> Self { Self { size } }
    fn weight(&self) -> f64 { crate::util::clamp(self.size as f64) }
}
pub trait Fit { fn fit(&self, x: f64) -> f64; }
impl Fit for Model { fn fit(&self, x: f64) -> f64 { x * self.weight() } }
pub struct Other;
impl Other { pub fn unused(&self) {} }
"#,
        )
        .unwrap();
        std::fs::write(
            dir.join("src/util.rs"),
            "pub fn clamp(x: f64) -> f64 { x.min(super::LIMIT as f64) }\npub fn never() {}\n",
        )
        .unwrap();
        let workspace = Workspace::load(&dir, &dir.join("src/lib.rs"), "golden").unwrap();
        assert_eq!(
            reached(&workspace, "step"),
            vec![
                "crate::LIMIT",
                "crate::OFFSET_NAME",
                "crate::Values",
                "crate::model::Fit",
                "crate::model::Model",
                "crate::model::impl Fit for Model",
                "crate::model::impl Model",
                "crate::square!",
                "crate::util::clamp",
            ]
        );
        assert_eq!(
            reached(&workspace, "unrelated"),
            vec!["crate::helper_of_unrelated"]
        );
        let _ = std::fs::remove_dir_all(dir);
    }
}
