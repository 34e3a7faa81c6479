//! Proves with the real rustfmt that formatting never changes a code hash: a corpus of badly
//! formatted items is hashed, formatted by `rustfmt --edition 2024` with the default and many
//! non-default configurations, and hashed again. Semantic edits must still change the hash.
//!
//! The hash is computed as the proc macros compute it: the canonical-text modules of the
//! (proc-macro) crate are compiled into this test directly, and each file is hashed both as its raw
//! token stream and, like `#[step]`/`#[crystallize::code]`, as the tokens `syn` prints for its items.
//!
//! Without rustfmt the test prints `SKIPPED <test>: needs rustfmt (rustup component add rustfmt)`
//! and passes, unless `CRYSTALLIZE_REQUIRE_ALL_TESTS=1`, which makes it fail.

#[allow(dead_code)]
#[path = "../src/canonical.rs"]
mod canonical;
#[allow(dead_code)]
#[path = "../src/hash.rs"]
mod hash;
#[allow(dead_code)]
#[path = "../src/layout.rs"]
mod layout;
#[allow(dead_code)]
#[path = "../src/statements.rs"]
mod statements;

use proc_macro2::TokenStream;
use quote::ToTokens;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;

/// Badly formatted fixtures: each is a file of one or more items.
const FIXTURES: &[(&str, &str)] = &[
    (
        "one_line_match",
        r#"fn classify(x: Option<i32>) -> &'static str { match x { Some(v) if v < 0 => { "negative" }, Some(0) => "zero", Some(_) => { "positive" } None => { "none" }, } }"#,
    ),
    (
        "long_parameter_list",
        r#"pub fn train_model(learning_rate: f64, batch_size: usize, epochs: usize, momentum: f64, weight_decay: f64) -> Result<Vec<f64>, String> { Ok(vec![learning_rate, batch_size as f64, epochs as f64, momentum, weight_decay,]) }
fn single(a_rather_long_parameter_name: std::collections::HashMap<String, Vec<u8>>,) -> usize { a_rather_long_parameter_name.len() }"#,
    ),
    (
        "tuples",
        r#"fn tuples(a: (u8,), b: (u8, u16,)) -> ((u8,), (u8, u16)) { let single = (a.0,); let pair = (b.0, b.1,); let nested = ((single.0,),); let (first,) = nested.0; let ((x, y,)) = (pair.0, pair.1); ((first,), (x, y)) }"#,
    ),
    (
        "use_groups",
        r#"use std::{io::{Write, Read,}, collections::{HashMap, BTreeMap,}, fmt};
use std::sync::{Arc};
use std::rc::{Rc, Weak as W};
use std::cell::{self, RefCell};
use crate::zeta::{Zeta, alpha};
use serde::{Serialize, Deserialize};
use crate::beta;
use core::mem;
fn uses() -> usize { use std::fmt::{Write as _, Debug}; use std::collections::{VecDeque, BTreeSet,}; let m: HashMap<u8, u8> = HashMap::new(); m.len() }"#,
    ),
    (
        "closures",
        r#"fn closures(v: &[i32]) -> Vec<i32> { let add = |a: i32, b: i32,| { a + b }; let f = move |x| { x * 2 }; let g = | | { 7 }; let h = |x: i32| -> i32 { x - 1 }; v.iter().map(|x| { add(*x, 1) }).filter(|x| { *x > 2 }).map(| x | f(h(x) + g())).collect() }"#,
    ),
    (
        "struct_literals",
        r#"#[derive(Clone, Debug,)] struct Point { x: f64, y: f64, }
fn make(x: f64, y: f64) -> Point { let p = Point { x: x, y: y, }; let Point { x: px, .. } = p.clone(); Point { x: px + 1.0, ..p } }"#,
    ),
    (
        "generics_and_where",
        r#"fn pick<T: Clone, U,>(items: Vec<T,>, other: U) -> Option<(T, U,)> where U: Clone, T: std::fmt::Debug, { items.first().cloned().map(|t| (t, other.clone())) }
struct Wrapper<T> { inner: T }
trait Summary { fn summarize(&self) -> String; }
impl<T> Summary for Wrapper<T> where T: Clone + std::fmt::Debug + Send + Sync + 'static, { fn summarize(&self) -> String { format!("{:?}", self.inner) } }"#,
    ),
    (
        "method_chain",
        r#"fn chain(data: &[f64]) -> f64 { data.iter().copied().filter(|x| x.is_finite()).map(|x| x * 2.0).fold(0.0, |acc, x| acc + x) / data.len() as f64 }"#,
    ),
    (
        "macro_invocations",
        r#"fn macros(x: i32) -> String { let v = vec![1, 2, 3,]; assert_eq!(v.len(), 3, "length of {:?}", v,); println!("{} {}", x, v.len(),); format!("{x}-{}", v.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(","),) }"#,
    ),
    (
        "enum_and_derives",
        r#"#[derive(Debug)]
#[derive(Clone, PartialEq,)]
enum Shape { Circle { r: f64, }, Rect(f64, f64,), Empty, }
impl Shape { fn area(&self) -> f64 { match self { Shape::Circle { r } => std::f64::consts::PI * r * r, Shape::Rect(w, h,) => { w * h } | Shape::Empty => 0.0, } } }"#,
    ),
    (
        "control_flow",
        r#"fn control(n: u32) -> u32 { let mut total = 0; for i in 0..n { if i % 2 == 0 { continue } total += i; }; while total > 100 { total -= 100 }; loop { break }; ; if total == 0 { return 1 } total }"#,
    ),
    (
        "parens_and_references",
        r#"fn refs(a: &&u8, b: & &u8) -> u8 { let x = ((**a)); let y = (((**b))); let z: Vec::<u8> = Vec::<u8>::new(); let w: Vec<Vec<u8> >= vec![]; x + y + z.len() as u8 + w.len() as u8 }"#,
    ),
    (
        "extern_and_unsafe",
        r#"unsafe extern { fn abs(x: i32) -> i32; }
extern fn callback(x: i32) -> i32 { unsafe { abs(x) } }"#,
    ),
    (
        "arm_bodies",
        r#"fn arms(x: u8) -> u8 { match x { 0 => { let y = 1; y }, 1 | 2 => { if x == 1 { 10 } else { 20 } }, 3 => match x { _ => 3 }, 4 => { { 4 } } 5 => unsafe { 5 }, 6 => loop { break 6 }, _ => { x.saturating_add(some_function_with_a_long_name(x, x, x)) } } }"#,
    ),
    (
        "long_call_with_closure",
        r#"fn long_call() { let result = some_function_with_a_long_name(first_argument_value, |element| { element * 2 }, another_argument,); drop(result) }"#,
    ),
    (
        "trait_definition",
        r#"trait Store<K, V,> where K: Eq, { fn get(&self, key: &K,) -> Option<&V>; fn put(&mut self, key: K, value: V,); fn size(&self) -> usize where Self: Sized, { 0 } }"#,
    ),
    (
        "impl_with_returns",
        r#"struct Counter { n: u32 }
impl Counter { const START: u32 = 0; pub fn next(&mut self) -> Option<u32> { if self.n > 10 { return None } self.n += 1; Some(self.n) } pub fn reset(&mut self) { self.n = Self::START; return } }"#,
    ),
    (
        "statics_and_patterns",
        r#"static TABLE: [(u8, &str); 3] = [(1, "one"), (2, "two"), (3, "three"),];
fn lookup(k: u8) -> Option<&'static str> { TABLE.iter().find(|(key, _)| *key == k).map(|(_, v,)| *v) }
fn destructure(p: (u8, (u8, u8))) -> u8 { let (a, (b, c,),) = p; if let (1, (2, _)) = p { return a } a + b + c }"#,
    ),
    (
        "comments_everywhere",
        r#"/// Doc comment.
fn commented(
    // the input
    x: u32, /* block */
) -> u32 {
    // a line comment
    let y = x /* inline */ + 1; // trailing
    y
}"#,
    ),
    (
        "closure_factories_and_labels",
        r#"fn make() -> impl Fn() -> Box<dyn Fn(u8) -> u8> { | | Box::new(|x| { x + 1 }) }
async fn fetch(urls: Vec<String>) -> usize { let mut n = 0; 'outer: for u in urls { loop { if u.is_empty() { break 'outer } n += 1; break } }; n }"#,
    ),
    (
        "long_arguments_everywhere",
        r#"fn everywhere(first_value: u64, second_value: u64) -> u64 { let total = compute_the_total(first_value, second_value, first_value * second_value); let table = [first_value, second_value, first_value + second_value, first_value - second_value]; helper_function(total, table.len() as u64) + other::module::function(first_value,) }"#,
    ),
    (
        "macro_rules_definitions",
        r#"macro_rules! pairs { ($($a:expr, $b:expr);* $(;)?) => ( vec![$(($a, $b,)),*] ) }
macro_rules! pick { [$x:expr] => { match $x { | 0 => { "zero" } 1 | 2 => "small", _ => { "large" }, } } }
fn use_them() -> usize { pairs!(1, 2; 3, 4).len() + pick!(3).len() }"#,
    ),
    (
        "inner_attributes_and_scrutinee_blocks",
        r#"mod inner { #![allow(dead_code)] use std::fmt::{Display, Debug}; use std::io; pub fn f(p: *const u8) -> Option<u8> { match unsafe { *p } { 0 => { None } v => Some(v), } } }"#,
    ),
    (
        "qualified_paths_and_self_calls",
        r#"trait Stream { type Slice; }
fn slice<I: Stream, E>(input: &mut I) -> Result<<I as Stream>::Slice, E> where I: Clone, E: Default, { todo!() }
struct F<T>(T);
impl<T: Fn(u8,) -> u8> F<T> { fn call(&self, x: u8) -> u8 { (self.0)(x,) } }"#,
    ),
    (
        "string_continuations",
        r#"fn message(n: usize) -> String { if n > 0 { format!("there are {} items                  waiting in the queue                  to be processed", n) } else { String::from("none    left") } }"#,
    ),
];

/// rustfmt configurations (`--config` values); the empty one is the default.
const CONFIGS: &[&str] = &[
    "",
    "trailing_comma=Vertical",
    "trailing_comma=Always",
    "trailing_comma=Never",
    "match_block_trailing_comma=true",
    "max_width=40",
    "fn_params_layout=Vertical",
    "fn_params_layout=Compressed",
    "max_width=40,trailing_comma=Always",
    "max_width=40,trailing_comma=Never,match_block_trailing_comma=true",
    "max_width=40,fn_params_layout=Vertical,trailing_comma=Vertical",
    "imports_granularity=Crate",
    "imports_granularity=Module",
    "imports_granularity=Item",
    "imports_granularity=One",
    "group_imports=StdExternalCrate",
    "reorder_imports=false",
    "use_field_init_shorthand=true",
    "match_arm_leading_pipes=Always",
    "match_arm_blocks=false",
    "max_width=40,match_arm_blocks=false",
    "force_multiline_blocks=true",
    "trailing_semicolon=false",
    "use_small_heuristics=Max",
    "use_small_heuristics=Off",
    "brace_style=AlwaysNextLine",
    "fn_single_line=true",
    "where_single_line=true",
    "remove_nested_parens=false",
    "merge_derives=false",
    "force_explicit_abi=false",
    "combine_control_expr=false",
    "overflow_delimited_expr=true",
    "struct_lit_single_line=false",
    "hard_tabs=true",
    "indent_style=Visual",
    "brace_style=AlwaysNextLine,control_brace_style=AlwaysNextLine",
    "chain_width=20,fn_call_width=20,struct_lit_width=0,single_line_if_else_max_width=0",
    "format_macro_matchers=true",
    "spaces_around_ranges=true,type_punctuation_density=Compressed",
];

/// Configurations whose output must differ in tokens from the default configuration's (from the
/// source, for the default itself) for at least one fixture, so the proof is not vacuous; options
/// a rustfmt refuses (unstable on its channel) are reported and not required.
const MUST_CHANGE_TOKENS: &[&str] = &[
    "",
    "trailing_comma=Always",
    "trailing_comma=Never",
    "match_block_trailing_comma=true",
    "max_width=40",
    "fn_params_layout=Vertical",
    "imports_granularity=Crate",
    "imports_granularity=Module",
    "imports_granularity=Item",
    "imports_granularity=One",
    "group_imports=StdExternalCrate",
    "reorder_imports=false",
    "use_field_init_shorthand=true",
    "match_arm_leading_pipes=Always",
    "max_width=40,match_arm_blocks=false",
    "force_multiline_blocks=true",
    "trailing_semicolon=false",
    "remove_nested_parens=false",
    "merge_derives=false",
    "force_explicit_abi=false",
];

/// Pairs that differ in meaning: their hashes must differ, before and after rustfmt.
const SEMANTIC_EDITS: &[(&str, &str, &str)] = &[
    (
        "a changed literal",
        "fn f() -> f64 { 1.0 }",
        "fn f() -> f64 { 2.0 }",
    ),
    (
        "swapped arguments",
        "fn f() -> u8 { g(a, b) }",
        "fn f() -> u8 { g(b, a) }",
    ),
    (
        "a 1-tuple and a parenthesized expression",
        "fn f() -> (u8,) { (x,) }",
        "fn f() -> (u8,) { (x) }",
    ),
    (
        "a 1-tuple type and a parenthesized type",
        "fn f(t: (u8,)) {}",
        "fn f(t: (u8)) {}",
    ),
    (
        "a 1-tuple pattern",
        "fn f() { let (a,) = t; }",
        "fn f() { let (a) = t; }",
    ),
    (
        "a 1-tuple argument",
        "fn f() { g((a,)) }",
        "fn f() { g(a) }",
    ),
    (
        "a tuple argument and two arguments",
        "fn f() { g((a, b)) }",
        "fn f() { g(a, b) }",
    ),
    (
        "logical and and a reference",
        "fn f() -> bool { a && b }",
        "fn f() -> bool { a & &b }",
    ),
    (
        "a block in a closure body that is not the whole body",
        "fn f() { let g = |x| { a || b } && c; }",
        "fn f() { let g = |x| a || b && c; }",
    ),
    (
        "an arm body with a statement",
        "fn f() { match x { _ => { g(); } } }",
        "fn f() { match x { _ => g() } }",
    ),
    (
        "a 1-tuple whose element has a turbofish",
        "fn f() { let t = (g::<A, B>(),); }",
        "fn f() { let t = (g::<A, B>()); }",
    ),
    (
        "an import and a renamed import",
        "use a::{b};",
        "use a::{b as c};",
    ),
    (
        "a string with and without a line continuation",
        "fn f() -> &'static str { \"a \\\n b\" }",
        "fn f() -> &'static str { \"a \n b\" }",
    ),
    ("a different import", "use a::{b, c};", "use a::{b, d};"),
    (
        "derive order",
        "#[derive(A, B)] struct S;",
        "#[derive(B, A)] struct S;",
    ),
    (
        "an early return and a value",
        "fn f() -> u8 { return 1 }",
        "fn f() -> u8 { 1 }",
    ),
    (
        "nested parentheses in a macro_rules matcher",
        "macro_rules! m { ((x)) => {}; }",
        "macro_rules! m { (x) => {}; }",
    ),
    (
        "a shift and two generic closers",
        "fn f() { a >> b; }",
        "fn f() { a > b; }",
    ),
];

fn rustfmt_available() -> bool {
    Command::new("rustfmt")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success())
}

/// Whether the test may run: prints the skip notice, or panics when every test is required.
fn require_rustfmt() -> bool {
    if rustfmt_available() {
        return true;
    }
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("rustfmt_hashes");
    let message = format!("SKIPPED {test}: needs rustfmt (rustup component add rustfmt)");
    if std::env::var("CRYSTALLIZE_REQUIRE_ALL_TESTS").is_ok_and(|value| value == "1") {
        panic!("{message}, and CRYSTALLIZE_REQUIRE_ALL_TESTS=1 makes every test required");
    }
    eprintln!("{message}");
    false
}

/// A scratch directory with an empty `rustfmt.toml`, so no outer configuration applies.
fn scratch_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("rustfmt-hashes-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("create a scratch directory");
    std::fs::write(dir.join("rustfmt.toml"), "").expect("write rustfmt.toml");
    dir
}

/// The output of `rustfmt --edition 2024 [--config config]` on `source`, and whether rustfmt
/// warned (e.g. that an option is unstable on its channel and ignored).
fn rustfmt(dir: &Path, source: &str, config: &str) -> (String, bool) {
    let file = dir.join("fixture.rs");
    std::fs::write(&file, source).expect("write the fixture");
    let mut command = Command::new("rustfmt");
    command.args(["--edition", "2024"]);
    if !config.is_empty() {
        command.args(["--config", config]);
    }
    let output = command.arg(&file).output().expect("run rustfmt");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "rustfmt --config '{config}' failed on\n{source}\n{stderr}"
    );
    let formatted = std::fs::read_to_string(&file).expect("read the formatted fixture");
    (formatted, !stderr.trim().is_empty())
}

fn tokens(source: &str) -> TokenStream {
    TokenStream::from_str(source).unwrap_or_else(|error| panic!("{error}:\n{source}"))
}

/// What the proc macros hash for this file: all items together (as in an inline `mod`), then each
/// function's signature and body (as `#[step]` does), and the raw token stream.
fn hashes(source: &str) -> Vec<(String, [u8; 32])> {
    let file = syn::parse_file(source).unwrap_or_else(|error| panic!("{error}:\n{source}"));
    let mut all = TokenStream::new();
    let mut out = Vec::new();
    for item in &file.items {
        item.to_tokens(&mut all);
        if let syn::Item::Fn(function) = item {
            let mut step = function.sig.to_token_stream();
            function.block.to_tokens(&mut step);
            out.push((format!("fn {}", function.sig.ident), hash::code_hash(step)));
        }
    }
    out.push(("all items".to_string(), hash::code_hash(all)));
    out.push(("raw tokens".to_string(), hash::code_hash(tokens(source))));
    out
}

/// Token texts without spacing, to tell whether rustfmt changed any token.
fn plain_tokens(stream: TokenStream, out: &mut Vec<String>) {
    for tree in stream {
        match tree {
            proc_macro2::TokenTree::Group(group) => {
                out.push(format!("{:?}", group.delimiter()));
                plain_tokens(group.stream(), out);
                out.push("end".to_string());
            }
            other => out.push(other.to_string()),
        }
    }
}

fn plain(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    plain_tokens(tokens(source), &mut out);
    out
}

/// The canonical text read back gives the same canonical tree (the text is unambiguous).
fn assert_text_round_trips(source: &str) {
    let tree = canonical::canonicalize(tokens(source));
    let text = hash::canonical_text(tokens(source));
    let again = canonical::canonicalize(tokens(&text));
    assert!(
        again == tree,
        "the canonical text does not read back to the same tokens:\n{text}\n--- from ---\n{source}"
    );
    assert_eq!(hash::canonical_text(tokens(&text)), text);
}

#[test]
fn rustfmt_never_changes_a_code_hash() {
    if !require_rustfmt() {
        return;
    }
    let dir = scratch_dir("corpus");
    let mut changed_tokens = vec![0usize; CONFIGS.len()];
    let mut warned = vec![false; CONFIGS.len()];
    let mut failures = Vec::new();
    for (name, source) in FIXTURES {
        let expected = hashes(source);
        assert_text_round_trips(source);
        let canonical = hash::canonical_text(tokens(source));
        let (default_formatted, _) = rustfmt(&dir, source, "");
        for (number, config) in CONFIGS.iter().enumerate() {
            let (formatted, warning) = rustfmt(&dir, source, config);
            warned[number] |= warning;
            let baseline = if config.is_empty() {
                *source
            } else {
                default_formatted.as_str()
            };
            if plain(&formatted) != plain(baseline) {
                changed_tokens[number] += 1;
            }
            assert_text_round_trips(&formatted);
            if hashes(&formatted) != expected {
                let text = hash::canonical_text(tokens(&formatted));
                failures.push(format!(
                    "{name} with --config '{config}':\n{formatted}\n--- canonical text ---\n{text}\n--- expected ---\n{canonical}\n"
                ));
            }
        }
    }
    std::fs::remove_dir_all(&dir).ok();
    assert!(
        failures.is_empty(),
        "rustfmt changed {} hash(es):\n{}",
        failures.len(),
        failures.join("\n")
    );
    let mut vacuous = Vec::new();
    for (number, config) in CONFIGS.iter().enumerate() {
        eprintln!(
            "--config '{config}': tokens differ from {} in {} of {} fixtures, hashes unchanged{}",
            if config.is_empty() {
                "the source"
            } else {
                "the default's"
            },
            changed_tokens[number],
            FIXTURES.len(),
            if warned[number] {
                " (rustfmt warned: option ignored?)"
            } else {
                ""
            }
        );
        if MUST_CHANGE_TOKENS.contains(config) && !warned[number] && changed_tokens[number] == 0 {
            vacuous.push(*config);
        }
    }
    assert!(
        vacuous.is_empty(),
        "the corpus does not exercise --config {vacuous:?} (no token differs)"
    );
}

#[test]
fn semantic_edits_change_the_hash_before_and_after_rustfmt() {
    for (what, before, after) in SEMANTIC_EDITS {
        assert_ne!(
            hash::code_hash(tokens(before)),
            hash::code_hash(tokens(after)),
            "{what}: `{before}` and `{after}` must hash differently"
        );
        assert_text_round_trips(before);
        assert_text_round_trips(after);
    }
    if !require_rustfmt() {
        return;
    }
    let dir = scratch_dir("edits");
    for (what, before, after) in SEMANTIC_EDITS {
        for config in ["", "max_width=40,trailing_comma=Always"] {
            let (before_formatted, _) = rustfmt(&dir, before, config);
            let (after_formatted, _) = rustfmt(&dir, after, config);
            assert_eq!(
                hash::code_hash(tokens(&before_formatted)),
                hash::code_hash(tokens(before)),
                "{what}: rustfmt --config '{config}' changed the hash of `{before}`"
            );
            assert_ne!(
                hash::code_hash(tokens(&before_formatted)),
                hash::code_hash(tokens(&after_formatted)),
                "{what}: after rustfmt --config '{config}'"
            );
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}
