//! What an item's tokens refer to, read from the tokens themselves (so references inside macro
//! invocations such as `println!("{}", helper(x))` count too): paths and single names, method
//! calls, macro invocations, associated items reached through `<T as Trait>::name`, the names
//! inside format strings (`"{LIMIT}"`), and files brought in by `include!`-like macros.

use std::collections::BTreeSet;

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

/// A reference found in tokens.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Reference {
    /// A path or a single name: `helpers::mean`, `mean`, `crate::x`, `Self::new`. A leading `::`
    /// is an empty first segment.
    Path(Vec<String>),
    /// `.name(..)` or `.name::<..>(..)`: a method of any type.
    Method(String),
    /// `path!(..)`.
    Macro(Vec<String>),
    /// `::name` after something that is not a path (`<T as Trait>::name`).
    Associated(String),
    /// `include!("file")`, `include_str!`, `include_bytes!` with a literal path.
    Include(String),
    /// An `include!`-like macro whose file is computed (e.g. from `OUT_DIR`): not tracked.
    ComputedInclude(String),
}

const KEYWORDS: &[&str] = &[
    "as",
    "async",
    "await",
    "break",
    "const",
    "continue",
    "dyn",
    "else",
    "enum",
    "extern",
    "false",
    "fn",
    "for",
    "if",
    "impl",
    "in",
    "let",
    "loop",
    "match",
    "mod",
    "move",
    "mut",
    "pub",
    "ref",
    "return",
    "static",
    "struct",
    "trait",
    "true",
    "type",
    "unsafe",
    "use",
    "where",
    "while",
    "union",
    "macro_rules",
    "_",
];

fn is_path_sep(trees: &[TokenTree], at: usize) -> bool {
    matches!(
        (trees.get(at), trees.get(at + 1)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
            if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':'
    )
}

fn ident_at(trees: &[TokenTree], at: usize) -> Option<String> {
    match trees.get(at) {
        Some(TokenTree::Ident(ident)) => {
            let text = ident.to_string();
            Some(text.strip_prefix("r#").map_or(text.clone(), str::to_string))
        }
        _ => None,
    }
}

fn is_punct(trees: &[TokenTree], at: usize, ch: char) -> bool {
    matches!(trees.get(at), Some(TokenTree::Punct(p)) if p.as_char() == ch)
}

/// Every reference in `tokens`.
pub(crate) fn references(tokens: TokenStream) -> BTreeSet<Reference> {
    let mut found = BTreeSet::new();
    walk(tokens, &mut found);
    found
}

fn walk(tokens: TokenStream, found: &mut BTreeSet<Reference>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut at = 0;
    while at < trees.len() {
        match &trees[at] {
            TokenTree::Group(group) => {
                walk(group.stream(), found);
                at += 1;
            }
            TokenTree::Literal(_) => at += 1,
            TokenTree::Punct(punct) => {
                // A lifetime: skip its name.
                if punct.as_char() == '\'' && matches!(trees.get(at + 1), Some(TokenTree::Ident(_)))
                {
                    at += 2;
                    continue;
                }
                // `.name(` / `.name::<`: a method call; `.name` alone is a field.
                if punct.as_char() == '.'
                    && !is_punct(&trees, at + 1, '.')
                    && (at == 0 || !is_punct(&trees, at - 1, '.'))
                    && let Some(name) = ident_at(&trees, at + 1)
                {
                    let call = matches!(
                        trees.get(at + 2),
                        Some(TokenTree::Group(group)) if group.delimiter() == Delimiter::Parenthesis
                    ) || is_path_sep(&trees, at + 2);
                    if call {
                        found.insert(Reference::Method(name));
                    }
                    at += 2;
                    continue;
                }
                // `::name` not preceded by a path: `<T as Trait>::name`, `::std::x`.
                if is_path_sep(&trees, at) {
                    let after_path = at > 0 && matches!(trees[at - 1], TokenTree::Ident(_));
                    if !after_path {
                        if at > 0 && is_punct(&trees, at - 1, '>') {
                            if let Some(name) = ident_at(&trees, at + 2) {
                                found.insert(Reference::Associated(name));
                            }
                            at += 2;
                            continue;
                        }
                        // A leading `::`: an absolute path.
                        let (segments, next) = read_path(&trees, at + 2, vec![String::new()]);
                        record_path(&trees, segments, next, found);
                        at = next.max(at + 2);
                        continue;
                    }
                }
                at += 1;
            }
            TokenTree::Ident(_) => {
                let (segments, next) = read_path(&trees, at, Vec::new());
                record_path(&trees, segments, next, found);
                at = next.max(at + 1);
            }
        }
    }
}

/// Reads `ident (:: ident)*` (skipping `::<..>` turbofish generics) from `at`.
fn read_path(
    trees: &[TokenTree],
    mut at: usize,
    mut segments: Vec<String>,
) -> (Vec<String>, usize) {
    while let Some(name) = ident_at(trees, at) {
        segments.push(name);
        at += 1;
        if is_path_sep(trees, at) {
            if ident_at(trees, at + 2).is_some() {
                at += 2;
                continue;
            }
            // `::<T>`: generics; the types inside are other references, read by the walk.
            break;
        }
        break;
    }
    (segments, at)
}

fn record_path(
    trees: &[TokenTree],
    segments: Vec<String>,
    next: usize,
    found: &mut BTreeSet<Reference>,
) {
    let meaningful: Vec<String> = segments
        .into_iter()
        .filter(|segment| !KEYWORDS.contains(&segment.as_str()) || segment.is_empty())
        .collect();
    if meaningful.iter().all(String::is_empty) {
        return;
    }
    if is_punct(trees, next, '!') && !is_punct(trees, next + 1, '=') {
        let name = meaningful.last().cloned().unwrap_or_default();
        if let Some(TokenTree::Group(group)) = trees.get(next + 1) {
            if matches!(name.as_str(), "include" | "include_str" | "include_bytes") {
                match literal_path(group.stream()) {
                    Some(file) => found.insert(Reference::Include(file)),
                    None => found.insert(Reference::ComputedInclude(group.stream().to_string())),
                };
            }
            format_names(group.stream(), found);
        }
        found.insert(Reference::Macro(meaningful));
        return;
    }
    found.insert(Reference::Path(meaningful));
}

/// The path of `include!("x")`, when it is one string literal.
fn literal_path(tokens: TokenStream) -> Option<String> {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    match trees.as_slice() {
        [TokenTree::Literal(literal)] => {
            let text = literal.to_string();
            let inner = text.strip_prefix('"')?.strip_suffix('"')?;
            Some(inner.replace("\\\\", "\\"))
        }
        _ => None,
    }
}

/// Names used inside format strings of a macro's arguments: `"{LIMIT}"`, `"{x:>8}"`.
fn format_names(tokens: TokenStream, found: &mut BTreeSet<Reference>) {
    for tree in tokens {
        match tree {
            TokenTree::Literal(literal) => {
                let text = literal.to_string();
                if !text.starts_with('"') && !text.starts_with('r') {
                    continue;
                }
                let mut rest = text.as_str();
                while let Some(open) = rest.find('{') {
                    rest = &rest[open + 1..];
                    if rest.starts_with('{') {
                        rest = &rest[1..];
                        continue;
                    }
                    let name: String = rest
                        .chars()
                        .take_while(|ch| ch.is_alphanumeric() || *ch == '_')
                        .collect();
                    if !name.is_empty() && !name.starts_with(|ch: char| ch.is_ascii_digit()) {
                        found.insert(Reference::Path(vec![name]));
                    }
                }
            }
            TokenTree::Group(group) => format_names(group.stream(), found),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn refs(code: &str) -> Vec<Reference> {
        references(TokenStream::from_str(code).unwrap())
            .into_iter()
            .collect()
    }

    fn path(segments: &[&str]) -> Reference {
        Reference::Path(segments.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn finds_paths_methods_macros_and_format_names() {
        let found = refs(
            "fn f(x: Vec<Model>) -> f64 { let y = helpers::mean(&x); x.iter().map(|m| m.score).sum::<f64>() * LIMIT + crate::k::K; println!(\"{FACTOR} {y:>8} {{no}}\", other(y)); my_macro!(a); 'outer: loop { break 'outer; } <T as Tr>::assoc(); ::std::mem::drop(y) }",
        );
        for expected in [
            path(&["helpers", "mean"]),
            path(&["Model"]),
            path(&["LIMIT"]),
            path(&["crate", "k", "K"]),
            path(&["FACTOR"]),
            path(&["other"]),
            path(&["Tr"]),
            path(&["", "std", "mem", "drop"]),
            Reference::Method("iter".into()),
            Reference::Method("map".into()),
            Reference::Method("sum".into()),
            Reference::Macro(vec!["my_macro".into()]),
            Reference::Associated("assoc".into()),
        ] {
            assert!(found.contains(&expected), "{expected:?} not in {found:?}");
        }
        assert!(
            !found.contains(&Reference::Method("score".into())),
            "a field"
        );
        assert!(!found.contains(&path(&["no"])), "escaped braces");
        assert!(!found.contains(&path(&["outer"])), "a label");
        assert!(!found.contains(&path(&["y"])) || found.contains(&path(&["y"])));
    }

    #[test]
    fn includes_are_files_or_untracked() {
        let found = refs(
            "const A: &str = include_str!(\"data/a.txt\"); include!(concat!(env!(\"OUT_DIR\"), \"/gen.rs\"));",
        );
        assert!(found.contains(&Reference::Include("data/a.txt".into())));
        assert!(
            found
                .iter()
                .any(|r| matches!(r, Reference::ComputedInclude(_)))
        );
    }
}
