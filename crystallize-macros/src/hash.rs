//! Code signatures: the canonical text of an item, hashed with blake3.
//!
//! [`canonical_text`] is what the compiler sees, canonicalised ([`crate::canonical`]) and laid out
//! ([`crate::layout`]): whitespace and comments never count, `#[doc]` attributes (doc comments) are
//! dropped, punctuation is joined only where it forms an operator (`x=-1` and `x = -1` alike,
//! `a && b` and `a & &b` not), and nothing rustfmt may change counts (trailing commas, optional
//! match-arm commas and blocks, `use` order and granularity, ...). Any other token edit changes the
//! text. The text is also what `plan --diff` shows, so it reads roughly like rustfmt output, one
//! statement per line:
//!
//! ```text
//! fn scale(data: Vec<f64>, factor: f64) -> Vec<f64> {
//!     let doubled = data.into_iter().map(|x| x * factor);
//!     doubled.collect()
//! }
//! ```
//!
//! [`code_hash`] is blake3 over the length-prefixed [`SCHEME`] and then the text.
//! `TokenStream::to_string()` is never hashed: its spacing changes between compiler versions.

use proc_macro2::TokenStream;

/// Version tag mixed into every code hash. Bump it when the canonical text changes, so hashes of
/// different schemes never compare equal.
pub(crate) const SCHEME: &str = "crystallize-code/2";

/// The canonical text of `tokens`: an unambiguous, human-readable encoding of their canonical form.
pub(crate) fn canonical_text(tokens: TokenStream) -> String {
    crate::layout::render(&crate::canonical::canonicalize(tokens))
}

/// blake3 over the length-prefixed [`SCHEME`] and the [`canonical_text`] of `tokens`.
pub(crate) fn code_hash(tokens: TokenStream) -> [u8; 32] {
    let text = canonical_text(tokens);
    let mut hasher = blake3::Hasher::new();
    hasher.update(&(SCHEME.len() as u64).to_le_bytes());
    hasher.update(SCHEME.as_bytes());
    hasher.update(text.as_bytes());
    *hasher.finalize().as_bytes()
}

/// Lower-case hex of a hash, for messages and records.
#[cfg(test)]
pub(crate) fn hex(hash: &[u8; 32]) -> String {
    hash.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proc_macro2::{Delimiter, Group, TokenTree};
    use std::str::FromStr;

    fn tokens(source: &str) -> TokenStream {
        TokenStream::from_str(source).expect("test input must tokenize")
    }

    fn hash_of(source: &str) -> [u8; 32] {
        code_hash(tokens(source))
    }

    const BASE: &str = "fn scale(data: Vec<f64>, factor: f64) -> Vec<f64> {
        let doubled = data.into_iter().map(|x| x * factor);
        doubled.collect()
    }";

    #[test]
    fn pinned_hash_of_a_fixed_input() {
        // If this changes, every stored signature changes: bump SCHEME on purpose instead.
        assert_eq!(
            hex(&hash_of(BASE)),
            "b46f2e212ace6806d86a317ef0f714dcd38fdd0c03d23cbfddc2365bf0f50735"
        );
    }

    #[test]
    fn pinned_text_of_a_fixed_input() {
        assert_eq!(
            canonical_text(tokens(BASE)),
            "fn scale(data: Vec<f64>, factor: f64) -> Vec<f64> {\n    \
             let doubled = data.into_iter().map(|x| x * factor);\n    \
             doubled.collect()\n}"
        );
    }

    #[test]
    fn hashes_of_the_old_scheme_never_compare_equal() {
        assert_eq!(SCHEME, "crystallize-code/2");
        // The pinned hash of `BASE` under `crystallize-code/1` (the token walk).
        let old = "0bd39d5d0c3ff12d99eea71b8bf14e1dbc4c3db67a8fef13c9a86fdf6acd763a";
        assert_ne!(hex(&hash_of(BASE)), old);
        // The hash is blake3 over the length-prefixed scheme, then the text.
        let mut hasher = blake3::Hasher::new();
        hasher.update(&(SCHEME.len() as u64).to_le_bytes());
        hasher.update(SCHEME.as_bytes());
        hasher.update(canonical_text(tokens(BASE)).as_bytes());
        assert_eq!(*hasher.finalize().as_bytes(), hash_of(BASE));
    }

    #[test]
    fn reformatting_keeps_the_hash() {
        let reformatted = "fn scale(
            data: Vec<f64>,
            factor: f64,
        ) -> Vec<f64>
        {
            let doubled=data.into_iter().map(|x|x*factor);
            doubled.collect()
        }";
        assert_eq!(hash_of(reformatted), hash_of(BASE));
        assert_eq!(hash_of("fn f() { x=-1; }"), hash_of("fn f() { x = - 1; }"));
    }

    #[test]
    fn comments_and_doc_comments_keep_the_hash() {
        let commented = "/// Scales the data.
        /// Second doc line.
        #[doc = \"more docs\"]
        fn scale(data: Vec<f64>, factor: f64) -> Vec<f64> {
            //! inner doc
            // a line comment
            let doubled = data.into_iter().map(|x| x * factor); /* block comment */
            /// doc on a statement
            doubled.collect()
        }";
        assert_eq!(hash_of(commented), hash_of(BASE));
    }

    #[test]
    fn token_edits_change_the_hash() {
        let base = hash_of(BASE);
        let renamed = BASE.replace("doubled", "scaled");
        let literal = "fn f() -> f64 { 1.0 }";
        let operator = BASE.replace("x * factor", "x + factor");
        assert_ne!(hash_of(&renamed), base, "renaming a variable");
        assert_ne!(
            hash_of(literal),
            hash_of("fn f() -> f64 { 2.0 }"),
            "changing a literal"
        );
        assert_ne!(hash_of(&operator), base, "changing an operator");
        assert_ne!(
            hash_of("fn f() { a && b }"),
            hash_of("fn f() { a & &b }"),
            "joined operators"
        );
        assert_ne!(
            hash_of("fn f() { (a) }"),
            hash_of("fn f() { [a] }"),
            "delimiters"
        );
        assert_ne!(
            hash_of("fn f() { \"ab\" }"),
            hash_of("fn f() { \"a\" \"b\" }"),
            "literal bounds"
        );
        assert_ne!(
            hash_of("fn f() { g(a, b) }"),
            hash_of("fn f() { g(b, a) }"),
            "swapped arguments"
        );
        assert_ne!(
            hash_of("fn f() { (x,) }"),
            hash_of("fn f() { (x) }"),
            "a 1-tuple"
        );
    }

    #[test]
    fn lifetimes_count_and_differ_from_char_literals() {
        assert_ne!(
            hash_of("fn f<'a>(x: &'a str) {}"),
            hash_of("fn f<'b>(x: &'b str) {}")
        );
        assert_ne!(hash_of("fn f() { g('a') }"), hash_of("fn f() { g('a) }"));
        assert_eq!(
            canonical_text(tokens("fn f<'a>(x: &'a str) -> &'a str { x }")),
            "fn f<'a>(x: &'a str) -> &'a str {\n    x\n}"
        );
    }

    #[test]
    fn invisible_groups_are_transparent() {
        // `macro_rules!` passes `$e:expr` fragments as invisible (`Delimiter::None`) groups.
        let body = Group::new(Delimiter::None, tokens("1 + 2"));
        let block = Group::new(
            Delimiter::Brace,
            TokenStream::from_iter([TokenTree::Group(body)]),
        );
        let wrapped: TokenStream = tokens("fn f() -> u8")
            .into_iter()
            .chain([TokenTree::Group(block)])
            .collect();
        assert_eq!(code_hash(wrapped), hash_of("fn f() -> u8 { 1 + 2 }"));
    }

    #[test]
    fn literals_are_written_exactly_and_unambiguously() {
        let source =
            "fn f() { g(\"a b\", 'q', r#\"x \"y\" z\"#, \"line\nbreak\", 1.5e3f64, b'\\n') }";
        let text = canonical_text(tokens(source));
        for literal in [
            "\"a b\"",
            "'q'",
            "r#\"x \"y\" z\"#",
            "\"line\nbreak\"",
            "1.5e3f64",
            "b'\\n'",
        ] {
            assert!(text.contains(literal), "{literal} in\n{text}");
        }
        assert_ne!(
            hash_of("fn f() { \"a b\" }"),
            hash_of("fn f() { \"a  b\" }")
        );
        assert_ne!(
            hash_of("fn f() { \"a\\nb\" }"),
            hash_of("fn f() { \"a\nb\" }")
        );
        assert_ne!(hash_of("fn f() { \"a\" }"), hash_of("fn f() { r\"a\" }"));
        assert_ne!(hash_of("fn f() { 1u8 }"), hash_of("fn f() { 1 u8 }"));
    }

    #[test]
    fn non_doc_attributes_count() {
        assert_ne!(hash_of("#[inline] fn f() {}"), hash_of("fn f() {}"));
        assert_eq!(hash_of("#[doc(hidden)] fn f() {}"), hash_of("fn f() {}"));
    }
}
