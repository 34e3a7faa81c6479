//! The `--version` line: the binary's name and the version of the package that defines its
//! experiments, then crystallize's version (`my-experiments 0.3.1 (crystallize 0.1.0)`).
//!
//! The package is known at compile time: every `#[experiment]` and `#[crystallize::plugin]`
//! registers the name and version cargo compiled it with ([`Package`]).

use std::collections::BTreeSet;

/// The package (cargo's `CARGO_PKG_NAME` and `CARGO_PKG_VERSION`) an `#[experiment]` or
/// `#[crystallize::plugin]` was compiled in; `None` when compiled without cargo.
#[derive(Debug)]
pub struct Package {
    /// The package name.
    pub name: Option<&'static str>,
    /// The package version.
    pub version: Option<&'static str>,
}

inventory::collect!(Package);

/// The packages registered in this binary, each once, sorted.
fn packages() -> BTreeSet<(&'static str, &'static str)> {
    inventory::iter::<Package>
        .into_iter()
        .filter_map(|package| Some((package.name?, package.version?)))
        .collect()
}

/// What follows the binary's name on the `--version` line, for binary `bin`.
pub(crate) fn version_text(bin: &str) -> String {
    version_of(bin, &packages())
}

fn version_of(bin: &str, packages: &BTreeSet<(&str, &str)>) -> String {
    let crystallize = concat!("crystallize ", env!("CARGO_PKG_VERSION"));
    let mut packages = packages.iter();
    match (packages.next(), packages.next()) {
        (None, _) => format!("({crystallize})"),
        (Some((name, version)), None) if *name == bin => format!("{version} ({crystallize})"),
        (Some((name, version)), None) => format!("{version} (package {name}, {crystallize})"),
        (Some(first), Some(second)) => {
            let all: Vec<String> = [first, second]
                .into_iter()
                .chain(packages)
                .map(|(name, version)| format!("{name} {version}"))
                .collect();
            format!("({}; {crystallize})", all.join(", "))
        }
    }
}

/// The binary's name: the file name of `argv0` without extension.
pub(crate) fn bin_name(argv0: Option<&std::ffi::OsStr>) -> String {
    argv0
        .map(std::path::Path::new)
        .and_then(std::path::Path::file_stem)
        .map(|stem| stem.to_string_lossy().into_owned())
        .filter(|stem| !stem.is_empty())
        .unwrap_or_else(|| "crystallize".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_names_the_package_when_it_is_not_the_binary() {
        let crystallize = concat!("crystallize ", env!("CARGO_PKG_VERSION"));
        let one: BTreeSet<_> = [("lab", "0.3.1")].into();
        assert_eq!(version_of("lab", &one), format!("0.3.1 ({crystallize})"));
        assert_eq!(
            version_of("runner", &one),
            format!("0.3.1 (package lab, {crystallize})")
        );
        let two: BTreeSet<_> = [("lab", "0.3.1"), ("data", "1.0.0")].into();
        assert_eq!(
            version_of("lab", &two),
            format!("(data 1.0.0, lab 0.3.1; {crystallize})")
        );
        assert_eq!(
            version_of("lab", &BTreeSet::new()),
            format!("({crystallize})")
        );
        assert_eq!(bin_name(Some("/x/target/debug/lab".as_ref())), "lab");
        assert_eq!(bin_name(None), "crystallize");
    }
}
