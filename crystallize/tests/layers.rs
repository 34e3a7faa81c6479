//! The runtime's layers import in one direction only, and no two of its modules import each
//! other. Read from the sources: every `crate::<layer>::..` path in a file names the layer (and
//! the module) it uses.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first (see the crate's `lib.rs`).
const LAYERS: &[&str] = &[
    "stats", "key", "store", "unit", "define", "decide", "output", "exec", "run", "tui", "cli",
];

fn sources(dir: &Path, into: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable source dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            sources(&path, into);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            into.push(path);
        }
    }
}

/// The module a file is: `store/journal.rs` → `store::journal`, `store/mod.rs` → `store`.
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file
        .strip_prefix(src)
        .expect("below src")
        .with_extension("");
    let mut parts: Vec<String> = relative
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|last| last == "mod") {
        parts.pop();
    }
    parts.join("::")
}

/// The module a `crate::a::b::c` path lands in: the longest prefix that is a module file.
fn target_module(src: &Path, segments: &[&str]) -> String {
    let mut found = Vec::new();
    let mut dir = src.to_path_buf();
    for segment in segments {
        let file = dir.join(format!("{segment}.rs"));
        let nested = dir.join(segment).join("mod.rs");
        if file.is_file() || nested.is_file() {
            found.push(segment.to_string());
            dir = dir.join(segment);
        } else {
            break;
        }
    }
    found.join("::")
}

/// Every `crate::` path in `text`, as its segments.
fn crate_paths(text: &str) -> Vec<Vec<&str>> {
    let mut found = Vec::new();
    for (index, _) in text.match_indices("crate::") {
        if text[..index].ends_with(|ch: char| ch.is_alphanumeric() || matches!(ch, '_' | '$' | ':'))
        {
            continue;
        }
        // Comments (doc comments included) mention paths without importing them.
        let line_start = text[..index].rfind('\n').map_or(0, |at| at + 1);
        if text[line_start..index].trim_start().starts_with("//") {
            continue;
        }
        let mut rest = &text[index + "crate::".len()..];
        let mut segments = Vec::new();
        loop {
            let end = rest
                .find(|ch: char| !(ch.is_alphanumeric() || ch == '_'))
                .unwrap_or(rest.len());
            if end == 0 {
                break;
            }
            segments.push(&rest[..end]);
            rest = &rest[end..];
            match rest.strip_prefix("::") {
                Some(next) => rest = next,
                None => break,
            }
        }
        found.push(segments);
    }
    found
}

#[test]
fn lower_layers_never_import_higher_ones_and_no_modules_import_each_other() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let rank = |module: &str| {
        let layer = module.split("::").next().unwrap_or_default();
        LAYERS.iter().position(|known| *known == layer)
    };
    let mut problems = Vec::new();
    let mut imports: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let module = module_of(&src, file);
        if module == "lib" {
            continue;
        }
        let Some(own) = rank(&module) else {
            problems.push(format!("{module}: not in any layer ({LAYERS:?})"));
            continue;
        };
        let text = std::fs::read_to_string(file).expect("readable source");
        for segments in crate_paths(&text) {
            let Some(first) = segments.first() else {
                continue;
            };
            // Items the crate root re-exports (`crate::Ctx`, `crate::params!`) count as the
            // layer that defines them.
            let layer = match *first {
                "Ctx" | "StepError" | "Params" | "params" => "unit",
                "Experiment" => "define",
                "run_cli" => "cli",
                "main" => "cli",
                other => other,
            };
            let Some(used) = LAYERS.iter().position(|known| *known == layer) else {
                problems.push(format!(
                    "{module}: `crate::{}` names no layer",
                    segments.join("::")
                ));
                continue;
            };
            if used > own {
                problems.push(format!(
                    "{module} (layer `{}`) imports `crate::{}` of the higher layer `{}`",
                    LAYERS[own],
                    segments.join("::"),
                    LAYERS[used]
                ));
            }
            let target = target_module(&src, &segments);
            if !target.is_empty() && target != module && !module.starts_with(&format!("{target}::"))
            {
                imports.entry(module.clone()).or_default().insert(target);
            }
        }
    }
    for (module, targets) in &imports {
        for target in targets {
            if module < target
                && imports
                    .get(target)
                    .is_some_and(|back| back.contains(module))
            {
                problems.push(format!("{module} and {target} import each other"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_scan_reads_paths_as_the_compiler_would() {
    assert_eq!(
        crate_paths("use crate::store::journal::{A, B}; x::crate::no; $crate::Params"),
        vec![vec!["store", "journal"]]
    );
}
