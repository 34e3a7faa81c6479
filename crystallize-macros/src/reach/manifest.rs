//! What the analysis needs from Cargo's files, read with a small line-based reader of the TOML
//! subset Cargo writes and people write in manifests: the crate's targets, its dependencies
//! (path or registry, renamed or not) and, from `Cargo.lock`, each package's locked version and
//! checksum.
//!
//! Anything the reader does not understand is skipped; the callers then fall back to the
//! conservative choice (a whole-crate hash, or a dependency recorded by name only).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One `key = value` of a section, with the value as written (strings unquoted).
#[derive(Clone, Debug, Default)]
struct Section {
    /// `[name]`, or `[[name]]` for array tables.
    name: String,
    entries: Vec<(String, String)>,
}

/// Splits a TOML document into sections of `key = value` lines. Inline tables stay as their text.
fn sections(text: &str) -> Vec<Section> {
    let mut sections = vec![Section::default()];
    let mut pending: Option<(String, String)> = None;
    for raw in text.lines() {
        let line = strip_comment(raw).trim();
        if let Some((key, value)) = pending.as_mut() {
            // A multi-line array: keep reading until its closing bracket.
            value.push(' ');
            value.push_str(line);
            if balanced(value) {
                let entry = (key.clone(), value.clone());
                if let Some(section) = sections.last_mut() {
                    section.entries.push(entry);
                }
                pending = None;
            }
            continue;
        }
        if line.is_empty() {
            continue;
        }
        if line.starts_with('[') {
            let name = line
                .trim_matches(|c| c == '[' || c == ']')
                .trim()
                .to_string();
            sections.push(Section {
                name,
                entries: Vec::new(),
            });
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        let key = unquote(key.trim()).to_string();
        let value = value.trim().to_string();
        if balanced(&value) {
            if let Some(section) = sections.last_mut() {
                section.entries.push((key, value));
            }
        } else {
            pending = Some((key, value));
        }
    }
    sections
}

fn strip_comment(line: &str) -> &str {
    let mut in_string = false;
    for (index, ch) in line.char_indices() {
        match ch {
            '"' => in_string = !in_string,
            '#' if !in_string => return &line[..index],
            _ => {}
        }
    }
    line
}

fn balanced(value: &str) -> bool {
    let opens = value.matches(['[', '{']).count();
    let closes = value.matches([']', '}']).count();
    opens <= closes
}

fn unquote(text: &str) -> &str {
    text.trim().trim_matches('"').trim_matches('\'')
}

/// `{ a = "x", b = true }` → its keys and unquoted values.
fn inline_table(text: &str) -> BTreeMap<String, String> {
    let inner = text.trim().trim_start_matches('{').trim_end_matches('}');
    inner
        .split(',')
        .filter_map(|pair| pair.split_once('='))
        .map(|(key, value)| (unquote(key).to_string(), unquote(value).to_string()))
        .collect()
}

/// A dependency as a manifest declares it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Dependency {
    /// The name code uses (`rand_distr`), hyphens made underscores.
    pub import: String,
    /// The package name (`rand_distr`, or what `package = ".."` renames).
    pub package: String,
    /// Directory of a path dependency (absolute).
    pub path: Option<PathBuf>,
    /// Declared as `name.workspace = true`: its table is the workspace root's.
    pub from_workspace: bool,
}

/// What a crate's `Cargo.toml` says that the analysis uses.
#[derive(Clone, Debug, Default)]
pub(crate) struct Manifest {
    /// `[package] name`.
    pub name: Option<String>,
    /// `[lib] path`.
    pub lib_path: Option<PathBuf>,
    /// `[[bin]]` name → path.
    pub bins: BTreeMap<String, PathBuf>,
    /// Dependencies of every kind, by import name.
    pub dependencies: BTreeMap<String, Dependency>,
    /// `[workspace.dependencies]` (for `x.workspace = true` in members).
    pub workspace_dependencies: BTreeMap<String, Dependency>,
    /// Whether it is (also) a workspace root.
    pub is_workspace: bool,
}

/// Reads the manifest at `dir/Cargo.toml` (an empty manifest if it cannot be read).
pub(crate) fn read_manifest(dir: &Path) -> Manifest {
    let Ok(text) = std::fs::read_to_string(dir.join("Cargo.toml")) else {
        return Manifest::default();
    };
    parse_manifest(dir, &text)
}

fn parse_manifest(dir: &Path, text: &str) -> Manifest {
    let mut manifest = Manifest::default();
    for section in sections(text) {
        let name = section.name.as_str();
        let get = |key: &str| {
            section
                .entries
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| unquote(v).to_string())
        };
        match name {
            "package" => manifest.name = get("name"),
            "lib" => manifest.lib_path = get("path").map(|path| dir.join(path)),
            "bin" => {
                if let (Some(bin), Some(path)) = (get("name"), get("path")) {
                    manifest.bins.insert(bin, dir.join(path));
                }
            }
            "workspace" => manifest.is_workspace = true,
            _ => {}
        }
        let is_dependencies = name == "dependencies"
            || name == "dev-dependencies"
            || name == "build-dependencies"
            || (name.starts_with("target.") && name.ends_with("dependencies"));
        let into = if name == "workspace.dependencies" {
            manifest.is_workspace = true;
            &mut manifest.workspace_dependencies
        } else if is_dependencies {
            &mut manifest.dependencies
        } else if let Some(dependency) = name
            .strip_prefix("dependencies.")
            .or_else(|| name.strip_prefix("dev-dependencies."))
        {
            // `[dependencies.foo]` with its keys below.
            let table: BTreeMap<String, String> = section
                .entries
                .iter()
                .map(|(key, value)| (key.clone(), unquote(value).to_string()))
                .collect();
            let dependency = dependency_of(dir, dependency, &table);
            manifest
                .dependencies
                .insert(dependency.import.clone(), dependency);
            continue;
        } else {
            continue;
        };
        for (key, value) in &section.entries {
            // `foo.workspace = true`, `foo.path = ".."` (dotted keys) or `foo = ...`.
            let (dependency, table) = match key.split_once('.') {
                Some((dependency, field)) => (
                    dependency.to_string(),
                    BTreeMap::from([(field.to_string(), unquote(value).to_string())]),
                ),
                None if value.trim_start().starts_with('{') => (key.clone(), inline_table(value)),
                None => (key.clone(), BTreeMap::new()),
            };
            let parsed = dependency_of(dir, &dependency, &table);
            let entry = into
                .entry(parsed.import.clone())
                .or_insert_with(|| parsed.clone());
            if entry.path.is_none() {
                entry.path = parsed.path;
            }
            entry.from_workspace |= parsed.from_workspace;
        }
    }
    manifest
}

fn dependency_of(dir: &Path, key: &str, table: &BTreeMap<String, String>) -> Dependency {
    let package = table
        .get("package")
        .cloned()
        .unwrap_or_else(|| key.to_string());
    Dependency {
        import: key.replace('-', "_"),
        package,
        path: table.get("path").map(|path| dir.join(path)),
        from_workspace: table.get("workspace").is_some_and(|value| value == "true"),
    }
}

/// A package of `Cargo.lock`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LockedPackage {
    /// Package name.
    pub name: String,
    /// Version.
    pub version: String,
    /// Registry checksum (absent for path and git packages).
    pub checksum: Option<String>,
    /// Whether it comes from a registry or git (not a path in this workspace).
    pub external: bool,
    /// Its dependencies as the lock file lists them (`name` or `name version`).
    pub dependencies: Vec<String>,
}

/// Reads the packages of a `Cargo.lock`.
pub(crate) fn parse_lock(text: &str) -> Vec<LockedPackage> {
    sections(text)
        .into_iter()
        .filter(|section| section.name == "package")
        .filter_map(|section| {
            let get = |key: &str| {
                section
                    .entries
                    .iter()
                    .find(|(k, _)| k == key)
                    .map(|(_, v)| v.clone())
            };
            let dependencies = get("dependencies")
                .map(|list| {
                    list.trim()
                        .trim_start_matches('[')
                        .trim_end_matches(']')
                        .split(',')
                        .map(|item| unquote(item.trim()).to_string())
                        .filter(|item| !item.is_empty())
                        .collect()
                })
                .unwrap_or_default();
            Some(LockedPackage {
                name: unquote(&get("name")?).to_string(),
                version: unquote(&get("version")?).to_string(),
                checksum: get("checksum").map(|sum| unquote(&sum).to_string()),
                external: get("source").is_some(),
                dependencies,
            })
        })
        .collect()
}

/// The locked package `package` that `from` (a package name, possibly with its version) depends
/// on: the version `from` lists when several are locked, else the only one.
pub(crate) fn locked<'a>(
    packages: &'a [LockedPackage],
    from: &str,
    package: &str,
) -> Option<&'a LockedPackage> {
    let candidates: Vec<&LockedPackage> = packages
        .iter()
        .filter(|locked| locked.name == package)
        .collect();
    if candidates.len() <= 1 {
        return candidates.first().copied();
    }
    let requested = packages
        .iter()
        .filter(|locked| locked.name == from)
        .flat_map(|locked| &locked.dependencies)
        .find_map(|dependency| {
            let mut parts = dependency.split_whitespace();
            (parts.next() == Some(package)).then(|| parts.next().map(str::to_string))
        })
        .flatten()?;
    candidates
        .into_iter()
        .find(|locked| locked.version == requested)
}

/// The nearest directory at or above `start` holding a `Cargo.lock`.
pub(crate) fn find_lock(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join("Cargo.lock"))
        .find(|path| path.is_file())
}

/// The workspace root manifest's directory for a member at `dir` (the nearest ancestor, the member
/// included, whose manifest has `[workspace]`).
pub(crate) fn workspace_root(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .find(|candidate| read_manifest(candidate).is_workspace)
        .map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_dependencies_of_every_form() {
        let text = r#"
[package]
name = "exp" # the experiments
[lib]
path = "src/my_lib.rs"
[[bin]]
name = "runner"
path = "src/run.rs"
[dependencies]
model = { path = "../model" }
rand_distr = "0.5"
stats = { package = "statrs", version = "0.18" }
crystallize.workspace = true
[dependencies.plot-helpers]
path = "../plot"
[dev-dependencies]
tempfile = "3"
"#;
        let manifest = parse_manifest(Path::new("/w/exp"), text);
        assert_eq!(manifest.name.as_deref(), Some("exp"));
        assert_eq!(
            manifest.lib_path,
            Some(PathBuf::from("/w/exp/src/my_lib.rs"))
        );
        assert_eq!(manifest.bins["runner"], PathBuf::from("/w/exp/src/run.rs"));
        let deps = &manifest.dependencies;
        assert_eq!(deps["model"].path, Some(PathBuf::from("/w/exp/../model")));
        assert_eq!(deps["rand_distr"].package, "rand_distr");
        assert_eq!(deps["stats"].package, "statrs");
        assert!(deps["crystallize"].from_workspace);
        assert_eq!(
            deps["plot_helpers"].path,
            Some(PathBuf::from("/w/exp/../plot"))
        );
        assert!(deps.contains_key("tempfile"));
    }

    #[test]
    fn reads_locked_versions_and_picks_the_requested_one() {
        let text = r#"
version = 4

[[package]]
name = "exp"
version = "0.1.0"
dependencies = [
 "rand 0.9.0",
 "serde",
]

[[package]]
name = "rand"
version = "0.8.5"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "aaaa"

[[package]]
name = "rand"
version = "0.9.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "bbbb"

[[package]]
name = "serde"
version = "1.0.1"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "cccc"
"#;
        let packages = parse_lock(text);
        assert_eq!(packages.len(), 4);
        assert!(!packages[0].external);
        assert_eq!(packages[0].dependencies, vec!["rand 0.9.0", "serde"]);
        let rand = locked(&packages, "exp", "rand").unwrap();
        assert_eq!(
            (rand.version.as_str(), rand.checksum.as_deref()),
            ("0.9.0", Some("bbbb"))
        );
        assert_eq!(locked(&packages, "exp", "serde").unwrap().version, "1.0.1");
        assert!(locked(&packages, "exp", "missing").is_none());
    }
}
