//! Name resolution over the indexed crates and the transitive closure of what an item reaches.
//!
//! Resolution is conservative: a name that could mean several items means all of them (a method
//! name reaches every impl and trait with an item of that name, a glob import is searched, a
//! type brings all its impl blocks), because a dependency included by mistake costs a rerun,
//! while one missed costs a wrong result.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::Path;

use super::index::Kind;
use super::scan::Reference;
use super::{LoadedCrate, Workspace};

/// An item of one of the loaded crates: (crate, entry).
pub(crate) type Node = (usize, usize);

/// What a path names.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Target {
    /// An indexed item.
    Entry(Node),
    /// A module of a loaded crate.
    Module(usize, usize),
    /// A crate that is not loaded (a registry dependency, or std): its import name.
    External(String),
}

/// How deep `use` chains and globs are followed (they can form cycles).
const MAX_DEPTH: usize = 12;

impl Workspace {
    fn krate(&self, index: usize) -> &LoadedCrate {
        &self.crates[index]
    }

    /// What `name` means in module `module` of crate `krate`.
    fn lookup(&self, krate: usize, module: usize, name: &str, depth: usize) -> BTreeSet<Target> {
        let mut found = BTreeSet::new();
        if depth > MAX_DEPTH {
            return found;
        }
        let index = &self.krate(krate).index;
        let scope = &index.scopes[module];
        if let Some(items) = scope.items.get(name) {
            found.extend(items.iter().map(|&entry| Target::Entry((krate, entry))));
        }
        if let Some(&child) = scope.children.get(name) {
            found.insert(Target::Module(krate, child));
        }
        for binding in scope.uses.iter().filter(|binding| binding.name == name) {
            found.extend(self.resolve(krate, module, &binding.path, depth + 1));
        }
        if found.is_empty() {
            for glob in &scope.globs {
                for target in self.resolve(krate, module, glob, depth + 1) {
                    match target {
                        Target::Module(glob_crate, glob_module) => {
                            found.extend(self.lookup(glob_crate, glob_module, name, depth + 1));
                        }
                        Target::Entry(node) => {
                            // `use Enum::*`: a variant name means the enum.
                            found.insert(Target::Entry(node));
                        }
                        Target::External(_) => {}
                    }
                }
            }
        }
        if found.is_empty()
            && module == 0
            && let Some(dependency) = self.dependency(krate, name)
        {
            found.insert(dependency);
        }
        found
    }

    /// A crate the code of `krate` can name `name`: a loaded path dependency, or an external one.
    fn dependency(&self, krate: usize, name: &str) -> Option<Target> {
        let loaded = &self.krate(krate);
        if let Some(&dependency) = loaded.path_dependencies.get(name) {
            return Some(Target::Module(dependency, 0));
        }
        if loaded.manifest.dependencies.contains_key(name)
            || matches!(name, "std" | "core" | "alloc")
        {
            return Some(Target::External(name.to_string()));
        }
        None
    }

    /// What the path `segments` means, written in module `module` of crate `krate`.
    pub(crate) fn resolve(
        &self,
        krate: usize,
        module: usize,
        segments: &[String],
        depth: usize,
    ) -> BTreeSet<Target> {
        let Some((first, rest)) = segments.split_first() else {
            return BTreeSet::new();
        };
        let index = &self.krate(krate).index;
        let current: BTreeSet<Target> = match first.as_str() {
            "" => match rest.split_first() {
                Some((name, tail)) => {
                    let start = self.dependency(krate, name).into_iter().collect();
                    return self.walk(start, tail, depth);
                }
                None => return BTreeSet::new(),
            },
            "crate" => BTreeSet::from([Target::Module(krate, 0)]),
            "self" => BTreeSet::from([Target::Module(krate, module)]),
            "super" => index.parents[module]
                .map(|parent| Target::Module(krate, parent))
                .into_iter()
                .collect(),
            name => {
                let mut found = self.lookup(krate, module, name, depth);
                if found.is_empty() {
                    // Not in scope: a crate by its name (2018 paths), in any module.
                    found.extend(self.dependency(krate, name));
                }
                found
            }
        };
        self.walk(current, rest, depth)
    }

    fn walk(&self, current: BTreeSet<Target>, rest: &[String], depth: usize) -> BTreeSet<Target> {
        let Some((segment, tail)) = rest.split_first() else {
            return current;
        };
        let mut found = BTreeSet::new();
        let mut next = BTreeSet::new();
        for target in current {
            match target {
                Target::Module(krate, module) => {
                    if segment == "super" {
                        if let Some(parent) = self.krate(krate).index.parents[module] {
                            next.insert(Target::Module(krate, parent));
                        }
                    } else {
                        next.extend(self.lookup(krate, module, segment, depth + 1));
                    }
                }
                Target::Entry((krate, entry)) => {
                    // `Type::item`: the type, with every impl of it that has `item`.
                    found.insert(Target::Entry((krate, entry)));
                    found.extend(self.impls_with(krate, entry, segment));
                }
                Target::External(name) => {
                    found.insert(Target::External(name));
                }
            }
        }
        found.extend(self.walk(next, tail, depth));
        found
    }

    /// Impl blocks (in any loaded crate) of the type named like entry `entry` of `krate` that
    /// have an associated item `associated`.
    fn impls_with(&self, krate: usize, entry: usize, associated: &str) -> BTreeSet<Target> {
        let mut found = BTreeSet::new();
        if let Some(name) = &self.krate(krate).index.entries[entry].name {
            for (crate_index, other) in self.crates.iter().enumerate() {
                for &impl_entry in other.index.impls_of.get(name).into_iter().flatten() {
                    if other.index.entries[impl_entry]
                        .associated
                        .contains(associated)
                    {
                        found.insert(Target::Entry((crate_index, impl_entry)));
                    }
                }
            }
        }
        found
    }
}

/// What the closure found.
#[derive(Default)]
pub(crate) struct Closure {
    /// Items reached, each with the item it was first reached from (`None`: the start).
    pub reached: BTreeMap<Node, Option<Node>>,
    /// External crates named by reached code, per crate that names them: (crate, import name).
    pub externals: BTreeSet<(usize, String)>,
    /// Files brought in by `include!`-like macros: (file, reached from).
    pub includes: BTreeSet<(std::path::PathBuf, Option<Node>)>,
    /// What could not be tracked.
    pub untracked: BTreeSet<String>,
}

/// Everything reachable from `refs` (the start item's references, in module `module` of crate
/// `krate`, with `self_type` as `Self`), except the nodes in `skip`.
pub(crate) fn closure(
    workspace: &Workspace,
    start: (usize, usize, Option<String>),
    refs: &BTreeSet<Reference>,
    skip: &BTreeSet<Node>,
    start_file: &Path,
) -> Closure {
    let mut closure = Closure::default();
    let mut queue: VecDeque<Node> = VecDeque::new();
    let (krate, module, self_type) = start;
    let reach =
        |node: Node, from: Option<Node>, closure: &mut Closure, queue: &mut VecDeque<Node>| {
            if skip.contains(&node) || closure.reached.contains_key(&node) {
                return;
            }
            closure.reached.insert(node, from);
            queue.push_back(node);
        };
    let visit = |krate: usize,
                 module: usize,
                 self_type: Option<&str>,
                 refs: &BTreeSet<Reference>,
                 file: &Path,
                 from: Option<Node>,
                 closure: &mut Closure,
                 queue: &mut VecDeque<Node>| {
        for reference in refs {
            match reference {
                Reference::Path(segments) => {
                    let targets = if segments.first().map(String::as_str) == Some("Self") {
                        self_targets(workspace, krate, self_type, segments.get(1))
                    } else {
                        workspace.resolve(krate, module, segments, 0)
                    };
                    if targets.is_empty() && segments.len() == 1 {
                        // Possibly defined by a macro invoked where items go.
                        for &entry in &workspace.crates[krate].index.scopes[module].item_macros {
                            reach((krate, entry), from, closure, queue);
                        }
                    }
                    for target in targets {
                        match target {
                            Target::Entry(node) => reach(node, from, closure, queue),
                            Target::External(name) => {
                                closure.externals.insert((krate, name));
                            }
                            Target::Module(..) => {}
                        }
                    }
                }
                Reference::Method(name) | Reference::Associated(name) => {
                    for (crate_index, loaded) in workspace.crates.iter().enumerate() {
                        for &entry in loaded.index.with_associated.get(name).into_iter().flatten() {
                            reach((crate_index, entry), from, closure, queue);
                        }
                    }
                }
                Reference::Macro(segments) => {
                    let name = segments.last().map(String::as_str).unwrap_or_default();
                    for (crate_index, loaded) in workspace.crates.iter().enumerate() {
                        for &entry in loaded.index.macros.get(name).into_iter().flatten() {
                            reach((crate_index, entry), from, closure, queue);
                        }
                    }
                    if segments.len() > 1 {
                        for target in workspace.resolve(krate, module, &segments[..1], 0) {
                            if let Target::External(name) = target {
                                closure.externals.insert((krate, name));
                            }
                        }
                    }
                }
                Reference::Include(relative) => {
                    let base = file.parent().unwrap_or(file);
                    closure.includes.insert((base.join(relative), from));
                }
                Reference::ComputedInclude(tokens) => {
                    closure.untracked.insert(format!(
                        "a file included from a computed path in {} (`include!({tokens})`), such as build-script output: its content is not part of the key",
                        file.display()
                    ));
                }
            }
        }
    };
    visit(
        krate,
        module,
        self_type.as_deref(),
        refs,
        start_file,
        None,
        &mut closure,
        &mut queue,
    );
    while let Some(node) = queue.pop_front() {
        let (crate_index, entry_index) = node;
        let loaded = &workspace.crates[crate_index];
        let entry = &loaded.index.entries[entry_index];
        let self_type = match entry.kind {
            Kind::Impl => entry.self_type.clone(),
            Kind::Type | Kind::Trait => entry.name.clone(),
            _ => None,
        };
        if entry.kind == Kind::Type
            && let Some(name) = &entry.name
        {
            // A type brings its impl blocks (derives are attributes of the type itself).
            for (other_index, other) in workspace.crates.iter().enumerate() {
                for &impl_entry in other.index.impls_of.get(name).into_iter().flatten() {
                    reach(
                        (other_index, impl_entry),
                        Some(node),
                        &mut closure,
                        &mut queue,
                    );
                }
            }
        }
        let file = loaded.index.module_files[entry.module].clone();
        visit(
            crate_index,
            entry.module,
            self_type.as_deref(),
            &entry.refs,
            &file,
            Some(node),
            &mut closure,
            &mut queue,
        );
    }
    closure
}

/// `Self` (or `Self::item`) inside an impl of `self_type`: the type and its impls (those with
/// `item`, when given).
fn self_targets(
    workspace: &Workspace,
    krate: usize,
    self_type: Option<&str>,
    item: Option<&String>,
) -> BTreeSet<Target> {
    let mut found = BTreeSet::new();
    let Some(name) = self_type else {
        return found;
    };
    let loaded = &workspace.crates[krate];
    for scope in &loaded.index.scopes {
        for &entry in scope.items.get(name).into_iter().flatten() {
            found.insert(Target::Entry((krate, entry)));
        }
    }
    for &entry in loaded.index.impls_of.get(name).into_iter().flatten() {
        let has = item.is_none_or(|item| loaded.index.entries[entry].associated.contains(item));
        if has {
            found.insert(Target::Entry((krate, entry)));
        }
    }
    found
}
