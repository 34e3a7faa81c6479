//! The canonical form of a token stream: what a code signature hashes, and what `plan --diff`
//! shows as text (see [`crate::layout`]).
//!
//! [`canonicalize`] lowers a token stream into a tree of [`Node`]s and rewrites it so that nothing
//! rustfmt may change in token terms counts, while every other token edit does.
//!
//! # Lowering
//! - `#[doc ..]` / `#![doc ..]` attributes (doc comments) are dropped; comments and whitespace are
//!   not tokens.
//! - Invisible (`Delimiter::None`) groups from `macro_rules!` fragments are transparent.
//! - A negative literal token (`-1i32`, only ever made by code, never by the lexer) is `-` then `1i32`.
//! - Line ends inside a literal are LF, as the compiler reads them. In a string literal, the
//!   indentation after a `\` line continuation is insignificant (the escape skips it) and rustfmt
//!   re-indents it: it is dropped.
//! - A float literal right after a field `.` (`x.0.1` lexes as `x . 0.1`) is the two tuple indexes
//!   it means (`x . 0 . 1`, as `x.0 .1` lexes).
//!
//! # Joined punctuation
//! A punctuation character is recorded as joined to the next one only where the two form a Rust
//! operator (`&&`, `->`, `::`, `..=`, ...), so `x=-1` and `x = -1` are alike while `a && b` and
//! `a & &b` differ; a quote joined to an identifier is a lifetime. Where a lexer split cannot change
//! the meaning, the spacing is ignored: `> >` closing two generic lists is `>>`, and `& &x` / `| |`
//! in operand position (prefix references, a closure without parameters) are `&&x` / `||`. The
//! closing `|` of closure parameters is never joined to what follows.
//!
//! # What rustfmt may change, normalised
//! - **Trailing commas** before `)`, `]`, `}` and a closing `>` are dropped, in every group except a
//!   parenthesized tuple (expression, type or pattern) with a single comma: `(x,)` stays a 1-tuple,
//!   distinct from `(x)`. A parenthesized group right after a non-keyword identifier, `fn`, `Self`,
//!   a macro `!`, a closing generic `>` or another `)`/`]` is an argument list (call, tuple struct,
//!   `Fn(..)` sugar, attribute or macro arguments), where `f(x,)` is `f(x)`. Also dropped: the comma
//!   that ends a `where` clause (before its `{`, `;` or `=`) and the one ending closure parameters
//!   (`|a, b,|`). Tuples are counted conservatively: commas inside `<..>` or closure parameters do
//!   not count, so `(f::<A, B>(),)` stays a 1-tuple.
//! - **Match arms**: a leading `|` of an arm pattern is dropped; an arm body that is a block holding
//!   a single expression (no statement, no attribute, not a macro with braces) is that expression,
//!   recursively (`=> { v }` is `=> v`, rustfmt removes and adds such blocks by width); an arm is
//!   followed by a comma exactly when it is not the last one and its body is not block-like
//!   (`{..}`, `unsafe {..}`, `if`, `match`, `loop`, `while`, `for`, `async {..}`, `const {..}`).
//! - **Closure bodies**: `|x| { x + 1 }` is `|x| x + 1` when the block holds a single expression,
//!   the closure has no return type, and the block ends the closure (followed by `,`, `;` or the end
//!   of the group), so precedence cannot change.
//! - **Nested parentheses** `((x))` are `(x)` (not for argument lists: `f((x))` keeps both, and not
//!   after `$`).
//! - **Statements**: empty statements (`;;`) are dropped, and so is the `;` after a `loop`, `while`
//!   or `for` statement; a block whose last statement is `return ..`, `break ..` or `continue`
//!   without a `;` gets one (rustfmt adds it or not depending on the layout).
//! - **Imports**: every `use` declaration is flattened into one declaration per imported name
//!   (`use a::{b, c::{d}};` is `use a::b; use a::c::d;`, attributes and visibility repeated, an
//!   empty `use a::{};` gone, and `a::{self}` is `a`, as rustfmt's import merging treats them),
//!   and each run of consecutive `use` declarations is sorted, so use-list order,
//!   `imports_granularity` (Crate, Module, Item, One), `group_imports` and `reorder_imports` all
//!   agree. Runs of `mod name;` (without `macro_use`) and of `extern crate` are sorted too
//!   (`reorder_modules`). A `use` tree this cannot parse (e.g. with `$crate`) keeps its tokens and
//!   its group items are sorted.
//! - **Attributes**: adjacent `#[derive(..)]` attributes are one (`merge_derives`).
//! - **Small syntax**: `extern fn`/`extern {}` is `extern "C"` (`force_explicit_abi`); empty generics
//!   `<>` and `::<>` are dropped; a turbofish `::<` in a type (after a `:` or `->`) is `<`, and
//!   `Vec<u8>=` (lexed `>=`) is `Vec<u8> =`; `< <` opening a qualified path is `<<`;
//!   `S { a: a }` is `S { a }` (`use_field_init_shorthand`).
//! - **`macro_rules!`**: rustfmt formats transcribers as code, so they are canonicalised like a
//!   block, in `{ .. }` (their delimiter is not part of the expansion), each arm ended by `;`, the
//!   definition's own delimiter a brace. Matchers and `$( .. )` repetitions are token patterns
//!   where none of the above is sound: they are kept verbatim (lowering and joined punctuation
//!   only).
//!
//! # Not normalised
//! - rustfmt options that rewrite literals (`format_strings`, `hex_literal_case`,
//!   `float_literal_trailing_zero`), `condense_wildcard_suffixes`, `reorder_impl_items` and
//!   `use_try_shorthand`: all off by default.
//! - Spacing of `&`/`|` pairs right after a comparison `>` (`a > & &b`), which rustfmt joins.
//! - Use declarations separated by other items are not merged or reordered across them (rustfmt
//!   does not do that either).
//!
//! Everything here conflates only what rustfmt itself rewrites into each other, programs that mean
//! the same, or a valid program with an invalid one (e.g. a dropped comma that the compiler would
//! have required): a semantic edit always changes the text.

use crate::statements::{
    field_init_shorthand, rebuild_arms, sort_list, statement_rules, unwrap_closure_bodies,
};
use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

/// Delimiter of a visible group.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Delim {
    /// `( .. )`
    Paren,
    /// `[ .. ]`
    Bracket,
    /// `{ .. }`
    Brace,
}

/// One token tree of the canonical form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Node {
    /// A delimited group and its contents.
    Group(Delim, Vec<Node>),
    /// An identifier or keyword, as written (`r#type` included).
    Ident(String),
    /// A punctuation character and whether it is joined to the next one. While rewriting this is
    /// the lexer's spacing; after [`canonicalize`] it is the canonical joinedness described in the
    /// module documentation.
    Punct(char, bool),
    /// A literal, exactly as its token text.
    Literal(String),
}

impl Node {
    /// Whether this is the punct `ch`.
    pub(crate) fn is_punct(&self, ch: char) -> bool {
        matches!(self, Node::Punct(c, _) if *c == ch)
    }

    /// Whether this is the identifier `text`.
    pub(crate) fn is_ident(&self, text: &str) -> bool {
        matches!(self, Node::Ident(s) if s == text)
    }

    /// Whether this is a group delimited by `delim`.
    pub(crate) fn is_group(&self, delim: Delim) -> bool {
        matches!(self, Node::Group(d, _) if *d == delim)
    }
}

/// Whether `nodes[index]` is the punct `ch`.
pub(crate) fn is_punct_at(nodes: &[Node], index: usize, ch: char) -> bool {
    nodes.get(index).is_some_and(|node| node.is_punct(ch))
}

/// Whether `nodes[index]` is the identifier `text`.
pub(crate) fn is_ident_at(nodes: &[Node], index: usize, text: &str) -> bool {
    nodes.get(index).is_some_and(|node| node.is_ident(text))
}

/// Whether `nodes[index]` is a group delimited by `delim`.
pub(crate) fn is_group_at(nodes: &[Node], index: usize, delim: Delim) -> bool {
    nodes.get(index).is_some_and(|node| node.is_group(delim))
}

/// Keywords (strict and reserved, edition 2024).
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for",
    "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return",
    "self", "Self", "static", "struct", "super", "trait", "true", "type", "unsafe", "use", "where",
    "while", "async", "await", "dyn", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Whether `text` is a keyword (a raw identifier such as `r#match` is not).
pub(crate) fn is_keyword(text: &str) -> bool {
    KEYWORDS.contains(&text)
}

/// Keywords after which an operand starts (so `&`, `|` there are prefix, not binary).
const OPERAND_KEYWORDS: &[&str] = &[
    "return", "break", "in", "if", "match", "while", "let", "for", "mut", "move", "yield", "box",
    "async", "static",
];

/// Two-character operators; a joint punctuation char counts as joined only when it starts one of
/// them together with the following char.
const JOINED_PAIRS: &[&str] = &[
    "==", "!=", "<=", ">=", "&&", "||", "+=", "-=", "*=", "/=", "%=", "^=", "&=", "|=", "<<", ">>",
    "->", "=>", "::", "..", "<-",
];

/// Three-character operators whose last two chars are not themselves an operator pair.
const JOINED_TRIPLES: &[&str] = &["..=", "...", "<<=", ">>="];

/// Lowers `tokens` and rewrites them into the canonical form.
pub(crate) fn canonicalize(tokens: TokenStream) -> Vec<Node> {
    let mut nodes = Vec::new();
    lower(tokens, &mut nodes);
    let mut nodes = canon_seq(nodes, Kind::Top);
    normalize_joints(&mut nodes);
    nodes
}

// ---------------------------------------------------------------------------------------------
// Lowering

fn lower(tokens: TokenStream, out: &mut Vec<Node>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut index = 0;
    while index < trees.len() {
        if let Some(skip) = doc_attribute_len(&trees[index..]) {
            index += skip;
            continue;
        }
        match &trees[index] {
            TokenTree::Group(group) => {
                let delim = match group.delimiter() {
                    Delimiter::Parenthesis => Delim::Paren,
                    Delimiter::Bracket => Delim::Bracket,
                    Delimiter::Brace => Delim::Brace,
                    Delimiter::None => {
                        lower(group.stream(), out);
                        index += 1;
                        continue;
                    }
                };
                let mut inner = Vec::new();
                lower(group.stream(), &mut inner);
                out.push(Node::Group(delim, inner));
            }
            TokenTree::Ident(ident) => out.push(Node::Ident(ident.to_string())),
            TokenTree::Punct(punct) => out.push(Node::Punct(
                punct.as_char(),
                punct.spacing() == Spacing::Joint,
            )),
            TokenTree::Literal(literal) => push_literal(literal.to_string(), out),
        }
        index += 1;
    }
}

fn push_literal(text: String, out: &mut Vec<Node>) {
    if let Some(rest) = text.strip_prefix('-') {
        out.push(Node::Punct('-', false));
        out.push(Node::Literal(rest.to_string()));
        return;
    }
    let after_field_dot = out.last().is_some_and(|last| last.is_punct('.'))
        && !(out.len() >= 2 && matches!(out[out.len() - 2], Node::Punct('.', true)));
    if after_field_dot
        && let Some((whole, fraction)) = text.split_once('.')
        && is_digits(whole)
        && is_digits(fraction)
    {
        out.push(Node::Literal(whole.to_string()));
        out.push(Node::Punct('.', false));
        out.push(Node::Literal(fraction.to_string()));
        return;
    }
    out.push(Node::Literal(string_continuations(text)));
}

/// Line ends in a literal are `\n` (the compiler reads a CRLF source as LF). In a (non-raw) string
/// literal, `\` + newline skips the newline and the whitespace after it, so rustfmt re-indents
/// such continuation lines: the whitespace after the newline is dropped.
fn string_continuations(text: String) -> String {
    let text = if text.contains("\r\n") {
        text.replace("\r\n", "\n")
    } else {
        text
    };
    let quoted = text.starts_with('"') || text.starts_with("b\"") || text.starts_with("c\"");
    if !quoted || !text.contains('\\') {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        out.push(ch);
        if ch != '\\' {
            continue;
        }
        let Some(escaped) = chars.next() else {
            break;
        };
        out.push(escaped);
        if escaped == '\n' {
            while chars
                .next_if(|next| [' ', '\t', '\n', '\r'].contains(next))
                .is_some()
            {}
        }
    }
    out
}

fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit())
}

/// If `trees` starts with `#[doc ...]` or `#![doc ...]`, the number of trees it spans.
fn doc_attribute_len(trees: &[TokenTree]) -> Option<usize> {
    let TokenTree::Punct(pound) = trees.first()? else {
        return None;
    };
    if pound.as_char() != '#' {
        return None;
    }
    let group_at = match trees.get(1)? {
        TokenTree::Punct(bang) if bang.as_char() == '!' => 2,
        _ => 1,
    };
    let TokenTree::Group(group) = trees.get(group_at)? else {
        return None;
    };
    if group.delimiter() != Delimiter::Bracket {
        return None;
    }
    match group.stream().into_iter().next() {
        Some(TokenTree::Ident(ident)) if ident == "doc" => Some(group_at + 1),
        _ => None,
    }
}

// ---------------------------------------------------------------------------------------------
// Operators

/// Whether the punct at `index` is joined to the next one by the lexer's spacing and forms an
/// operator with it.
fn joined_raw(nodes: &[Node], index: usize) -> bool {
    let (Some(Node::Punct(first, true)), Some(Node::Punct(second, _))) =
        (nodes.get(index), nodes.get(index + 1))
    else {
        return false;
    };
    let pair: String = [*first, *second].iter().collect();
    if JOINED_PAIRS.contains(&pair.as_str()) {
        return true;
    }
    match index.checked_sub(1).and_then(|before| nodes.get(before)) {
        Some(Node::Punct(zeroth, _)) if joined_raw(nodes, index - 1) => {
            let triple: String = [*zeroth, *first, *second].iter().collect();
            JOINED_TRIPLES.contains(&triple.as_str())
        }
        _ => false,
    }
}

/// The operator starting at `index` (a run of joined puncts), if a punct starts one there.
fn op_at(nodes: &[Node], index: usize) -> Option<String> {
    if !matches!(nodes.get(index), Some(Node::Punct(..)))
        || (index > 0 && joined_raw(nodes, index - 1))
    {
        return None;
    }
    let mut text = String::new();
    let mut at = index;
    while let Some(Node::Punct(ch, _)) = nodes.get(at) {
        text.push(*ch);
        if !joined_raw(nodes, at) {
            break;
        }
        at += 1;
    }
    Some(text)
}

/// Whether the operator `op` (e.g. `::`, `=>`, or a lone `,`) starts at `index`.
pub(crate) fn op_is(nodes: &[Node], index: usize, op: &str) -> bool {
    op_at(nodes, index).is_some_and(|text| text == op)
}

/// Whether the token at `index` is where an operand starts (after an operator, an opening
/// delimiter or a keyword such as `return`), so `&`, `*`, `-`, `|` there are prefix.
pub(crate) fn prefix_position(nodes: &[Node], index: usize) -> bool {
    let Some(previous) = index.checked_sub(1).and_then(|before| nodes.get(before)) else {
        return true;
    };
    match previous {
        Node::Punct('?', _) => false,
        // `->` and `=>` end with `>`; a lone `>` closes generics (or compares): not prefix.
        Node::Punct('>', _) => {
            index >= 2 && matches!(nodes.get(index - 2), Some(Node::Punct('-' | '=', true)))
        }
        Node::Punct(..) => true,
        Node::Ident(text) => OPERAND_KEYWORDS.contains(&text.as_str()),
        Node::Group(..) | Node::Literal(_) => false,
    }
}

/// Closure parameter lists: `(opening |, closing |)` index pairs; for `||` the two halves.
pub(crate) fn closure_spans(nodes: &[Node]) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let mut index = 0;
    while index < nodes.len() {
        if nodes[index].is_punct('|')
            && !(index > 0 && joined_raw(nodes, index - 1))
            && prefix_position(nodes, index)
        {
            let close = (index + 1..nodes.len()).find(|&at| nodes[at].is_punct('|'));
            if let Some(close) = close {
                spans.push((index, close));
                index = close + 1;
                continue;
            }
        }
        index += 1;
    }
    spans
}

/// Indexes of the commas that separate list elements at this level: commas inside closure
/// parameters or inside a `<..>` pair do not count (a `<` never closed by a `>` was a comparison or
/// a shift). This errs towards hiding commas: `(a < b, c > d)` looks like generics.
pub(crate) fn list_commas(nodes: &[Node]) -> Vec<usize> {
    let closures = closure_spans(nodes);
    let mut visible = Vec::new();
    let mut open: Vec<Vec<usize>> = Vec::new();
    for (index, node) in nodes.iter().enumerate() {
        if closures
            .iter()
            .any(|&(start, end)| start < index && index < end)
        {
            continue;
        }
        match node {
            Node::Punct('<', _) => open.push(Vec::new()),
            Node::Punct('>', _) if !is_arrow_tail(nodes, index) => {
                open.pop();
            }
            Node::Punct(',', _) => match open.last_mut() {
                Some(level) => level.push(index),
                None => visible.push(index),
            },
            _ => {}
        }
    }
    visible.extend(open.into_iter().flatten());
    visible.sort_unstable();
    visible
}

/// Whether the `>` at `index` is the tail of `->` or `=>`.
pub(crate) fn is_arrow_tail(nodes: &[Node], index: usize) -> bool {
    index > 0 && matches!(nodes.get(index - 1), Some(Node::Punct('-' | '=', true)))
}

// ---------------------------------------------------------------------------------------------
// Rewriting

/// What a sequence of nodes is, from where its group stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// The hashed item itself.
    Top,
    /// A parenthesized argument or parameter list.
    Args,
    /// Any other parenthesized group (tuple, parenthesized expression/type/pattern).
    Tuple,
    /// `[ .. ]`
    Bracket,
    /// A braced block, item body, struct literal or definition.
    Block,
    /// The arms of a `match`.
    Match,
    /// A braced `use` group.
    UseGroup,
    /// The braced body of a macro invocation.
    MacroBrace,
    /// The arms of a `macro_rules!` definition.
    MacroRules,
    /// A `macro_rules!` matcher or a `$( .. )` repetition: kept verbatim.
    Raw,
}

/// Canonicalises the contents of a group of `kind` (children first, then this level's rules).
fn canon_seq(mut nodes: Vec<Node>, kind: Kind) -> Vec<Node> {
    match kind {
        Kind::Raw => return nodes,
        Kind::MacroRules => return macro_rules_arms(nodes),
        _ => {}
    }
    if kind == Kind::Match
        && let Some(rebuilt) = rebuild_arms(&nodes)
    {
        nodes = rebuilt;
    }
    unwrap_closure_bodies(&mut nodes);
    drop_empty_generics(&mut nodes);
    normalize_types(&mut nodes);
    explicit_abi(&mut nodes);
    merge_derives(&mut nodes);
    macro_rules_bodies(&mut nodes);
    drop_commas_before_closers(&mut nodes);
    let mut nodes = canon_children(nodes);
    drop_trailing_comma(&mut nodes, kind);
    match kind {
        Kind::Block => {
            statement_rules(&mut nodes, true);
            field_init_shorthand(&mut nodes);
        }
        Kind::Top => statement_rules(&mut nodes, false),
        Kind::UseGroup => sort_list(&mut nodes),
        _ => {}
    }
    nodes
}

fn canon_children(nodes: Vec<Node>) -> Vec<Node> {
    let kinds: Vec<Option<(Kind, bool)>> = (0..nodes.len())
        .map(|index| child_kind(&nodes, index))
        .collect();
    nodes
        .into_iter()
        .zip(kinds)
        .map(|(node, kind)| match (node, kind) {
            (Node::Group(delim, inner), Some((kind, hoist))) => {
                let mut inner = canon_seq(inner, kind);
                while hoist && inner.len() == 1 && inner[0].is_group(Delim::Paren) {
                    if let Some(Node::Group(_, nested)) = inner.pop() {
                        inner = nested;
                    }
                }
                Node::Group(delim, inner)
            }
            (node, _) => node,
        })
        .collect()
}

/// The kind of the group at `index` and whether a single nested paren group in it is hoisted.
fn child_kind(nodes: &[Node], index: usize) -> Option<(Kind, bool)> {
    let Node::Group(delim, _) = nodes.get(index)? else {
        return None;
    };
    let previous = index.checked_sub(1).and_then(|before| nodes.get(before));
    if is_macro_rules_body(nodes, index) {
        return Some((Kind::MacroRules, false));
    }
    if previous.is_some_and(|node| node.is_punct('$')) {
        return Some((Kind::Raw, false));
    }
    let kind = match delim {
        Delim::Paren if call_like(nodes, index) => Kind::Args,
        Delim::Paren => return Some((Kind::Tuple, true)),
        Delim::Bracket => Kind::Bracket,
        Delim::Brace => {
            if previous.is_some_and(|node| node.is_ident("use"))
                || (index >= 2 && op_is(nodes, index - 2, "::"))
            {
                Kind::UseGroup
            } else if previous.is_some_and(|node| node.is_punct('!')) {
                Kind::MacroBrace
            } else if is_match_body(nodes, index) {
                Kind::Match
            } else {
                Kind::Block
            }
        }
    };
    Some((kind, false))
}

/// Whether the group at `index` is the body of `macro_rules! name`.
fn is_macro_rules_body(nodes: &[Node], index: usize) -> bool {
    index >= 3
        && nodes[index - 3].is_ident("macro_rules")
        && nodes[index - 2].is_punct('!')
        && matches!(nodes[index - 1], Node::Ident(_))
        && matches!(nodes[index], Node::Group(..))
}

/// `macro_rules! m ( .. );` and `macro_rules! m [ .. ];` are `macro_rules! m { .. }`.
fn macro_rules_bodies(nodes: &mut Vec<Node>) {
    let mut index = 0;
    while index < nodes.len() {
        if is_macro_rules_body(nodes, index)
            && let Node::Group(delim, _) = &mut nodes[index]
            && *delim != Delim::Brace
        {
            *delim = Delim::Brace;
            if is_punct_at(nodes, index + 1, ';') {
                nodes.remove(index + 1);
            }
        }
        index += 1;
    }
}

/// The arms of a `macro_rules!` body: matchers verbatim in `( .. )`, transcribers (whose delimiter
/// is not part of the expansion) canonicalised as blocks in `{ .. }`, each arm ended by `;`.
fn macro_rules_arms(nodes: Vec<Node>) -> Vec<Node> {
    let arrows: Vec<usize> = (0..nodes.len())
        .filter(|&at| op_is(&nodes, at, "=>"))
        .collect();
    let well_formed = arrows.iter().enumerate().all(|(number, &arrow)| {
        let matcher_at = if number == 0 {
            0
        } else {
            arrows[number - 1] + 4
        };
        arrow == matcher_at + 1
            && matches!(nodes.get(matcher_at), Some(Node::Group(..)))
            && matches!(nodes.get(arrow + 2), Some(Node::Group(..)))
            && (arrow + 3 == nodes.len() || is_punct_at(&nodes, arrow + 3, ';'))
    }) && arrows.last().is_some_and(|&last| {
        last + 3 == nodes.len() || (last + 4 == nodes.len() && is_punct_at(&nodes, last + 3, ';'))
    });
    if !well_formed {
        return nodes;
    }
    let mut out = Vec::with_capacity(nodes.len() + 1);
    for &arrow in &arrows {
        if let (Some(Node::Group(_, matcher)), Some(Node::Group(_, transcriber))) =
            (nodes.get(arrow - 1), nodes.get(arrow + 2))
        {
            out.push(Node::Group(Delim::Paren, matcher.clone()));
            out.extend_from_slice(&nodes[arrow..arrow + 2]);
            out.push(Node::Group(
                Delim::Brace,
                canon_seq(transcriber.clone(), Kind::Block),
            ));
            out.push(Node::Punct(';', false));
        }
    }
    out
}

/// Whether the paren group at `index` is an argument list rather than a tuple.
fn call_like(nodes: &[Node], index: usize) -> bool {
    let Some(previous) = index.checked_sub(1).and_then(|before| nodes.get(before)) else {
        return false;
    };
    match previous {
        Node::Ident(text) => !is_keyword(text) || ["fn", "self", "Self"].contains(&text.as_str()),
        Node::Punct('!', _) => true,
        Node::Punct('>', _) => {
            // Only a run of `>` (closing generics), not `->`, `=>` or `>=`.
            let mut at = index - 1;
            while at > 0 && joined_raw(nodes, at - 1) {
                if !nodes[at - 1].is_punct('>') {
                    return false;
                }
                at -= 1;
            }
            true
        }
        Node::Group(Delim::Paren | Delim::Bracket, _) => true,
        _ => false,
    }
}

/// Whether the brace group at `at` is a block expression inside a condition or scrutinee
/// (`match unsafe { f() } {`), not a body.
pub(crate) fn is_scrutinee_block(nodes: &[Node], at: usize) -> bool {
    at > 0
        && ["unsafe", "async", "move", "const", "loop", "match"]
            .iter()
            .any(|word| nodes[at - 1].is_ident(word))
}

fn is_match_body(nodes: &[Node], index: usize) -> bool {
    // Generic depth, counted backwards: commas inside `<..>` do not end the scrutinee.
    let mut depth = 0usize;
    for at in (0..index).rev() {
        match &nodes[at] {
            Node::Ident(text) if text == "match" => return true,
            Node::Group(Delim::Brace, _) if is_scrutinee_block(nodes, at) => {}
            Node::Punct('>', _) if !is_arrow_tail(nodes, at) => depth += 1,
            Node::Punct('<', _) if depth > 0 => depth -= 1,
            Node::Punct(',', _) if depth > 0 => {}
            Node::Group(Delim::Brace, _) | Node::Punct(';' | ',', _) => return false,
            Node::Punct('=', _) if op_is(nodes, at, "=") => return false,
            Node::Punct('>', _) if is_arrow_tail(nodes, at) => return false,
            _ => {}
        }
    }
    false
}

/// Removes the nodes whose mark is set.
pub(crate) fn remove_marked(nodes: &mut Vec<Node>, marks: &[bool]) {
    let mut index = 0;
    nodes.retain(|_| {
        let keep = !marks.get(index).copied().unwrap_or(false);
        index += 1;
        keep
    });
}

/// `<>` and `::<>` after a path segment carry nothing.
fn drop_empty_generics(nodes: &mut Vec<Node>) {
    let mut marks = vec![false; nodes.len()];
    for index in 0..nodes.len().saturating_sub(1) {
        if !(nodes[index].is_punct('<') && nodes[index + 1].is_punct('>')) {
            continue;
        }
        let path_separator = index >= 2 && op_is(nodes, index - 2, "::");
        let after_ident = index >= 1 && matches!(nodes[index - 1], Node::Ident(_));
        if path_separator || after_ident {
            marks[index] = true;
            marks[index + 1] = true;
            if path_separator {
                marks[index - 2] = true;
                marks[index - 1] = true;
            }
        }
    }
    remove_marked(nodes, &marks);
}

/// In a type (after `:` or `->`), `Vec::<u8>` is `Vec<u8>`, and `Vec<u8>=` (lexed `>=`) is
/// `Vec<u8> =`.
fn normalize_types(nodes: &mut Vec<Node>) {
    let mut marks = vec![false; nodes.len()];
    let mut index = 0;
    while index < nodes.len() {
        let start = if op_is(nodes, index, ":") {
            index + 1
        } else if op_is(nodes, index, "->") {
            index + 2
        } else {
            index += 1;
            continue;
        };
        let mut depth = 0usize;
        let mut at = start;
        while at < nodes.len() {
            if depth == 0
                && (nodes[at].is_group(Delim::Brace)
                    || nodes[at].is_ident("where")
                    || [":", "=", ",", ";", "=>", "|"]
                        .iter()
                        .any(|op| op_is(nodes, at, op)))
            {
                break;
            }
            if op_is(nodes, at, "::") && is_punct_at(nodes, at + 2, '<') {
                marks[at] = true;
                marks[at + 1] = true;
            }
            match nodes[at] {
                Node::Punct('<', _) => depth += 1,
                Node::Punct('>', joint) if depth > 0 && !is_arrow_tail(nodes, at) => {
                    depth -= 1;
                    if joint && depth == 0 && is_punct_at(nodes, at + 1, '=') {
                        nodes[at] = Node::Punct('>', false);
                    }
                }
                _ => {}
            }
            at += 1;
        }
        index = start;
    }
    remove_marked(nodes, &marks);
}

/// `extern fn` and `extern {}` mean `extern "C"`.
fn explicit_abi(nodes: &mut Vec<Node>) {
    let mut index = 0;
    while index < nodes.len() {
        if nodes[index].is_ident("extern")
            && (is_ident_at(nodes, index + 1, "fn") || is_group_at(nodes, index + 1, Delim::Brace))
        {
            nodes.insert(index + 1, Node::Literal("\"C\"".to_string()));
        }
        index += 1;
    }
}

/// The arguments of `#[derive(..)]` at `index`.
fn derive_arguments(nodes: &[Node], index: usize) -> Option<&[Node]> {
    if !nodes.get(index)?.is_punct('#') {
        return None;
    }
    let Node::Group(Delim::Bracket, inner) = nodes.get(index + 1)? else {
        return None;
    };
    match inner.as_slice() {
        [Node::Ident(name), Node::Group(Delim::Paren, arguments)] if name == "derive" => {
            Some(arguments)
        }
        _ => None,
    }
}

/// Adjacent `#[derive(A)] #[derive(B)]` are `#[derive(A, B)]`.
fn merge_derives(nodes: &mut Vec<Node>) {
    let mut index = 0;
    while index < nodes.len() {
        let mut merged: Vec<Node> = Vec::new();
        let mut count = 0;
        while let Some(arguments) = derive_arguments(nodes, index + 2 * count) {
            let mut arguments = arguments.to_vec();
            if arguments.last().is_some_and(|last| last.is_punct(',')) {
                arguments.pop();
            }
            if count > 0 {
                merged.push(Node::Punct(',', false));
            }
            merged.extend(arguments);
            count += 1;
        }
        if count > 1 {
            let attribute = Node::Group(
                Delim::Bracket,
                vec![
                    Node::Ident("derive".to_string()),
                    Node::Group(Delim::Paren, merged),
                ],
            );
            nodes.splice(index + 1..index + 2 * count, [attribute]);
        }
        index += 1;
    }
}

/// Commas before a closing `>`, at the end of a `where` clause and of closure parameters.
fn drop_commas_before_closers(nodes: &mut Vec<Node>) {
    let mut marks = vec![false; nodes.len()];
    for index in 0..nodes.len() {
        if nodes[index].is_punct(',') && is_punct_at(nodes, index + 1, '>') {
            marks[index] = true;
        }
        if nodes[index].is_ident("where") {
            let end = where_clause_end(nodes, index + 1);
            if end > index + 1 && nodes[end - 1].is_punct(',') {
                marks[end - 1] = true;
            }
        }
    }
    for (open, close) in closure_spans(nodes) {
        if close > open + 1 && nodes[close - 1].is_punct(',') {
            marks[close - 1] = true;
        }
    }
    remove_marked(nodes, &marks);
}

/// Where a `where` clause starting at `from` ends: the body `{`, a `;` or a `=` at generic depth 0.
fn where_clause_end(nodes: &[Node], from: usize) -> usize {
    let mut depth = 0usize;
    for (at, node) in nodes.iter().enumerate().skip(from) {
        match node {
            Node::Group(Delim::Brace, _) if depth == 0 => return at,
            Node::Punct(';', _) if depth == 0 => return at,
            Node::Punct('=', _) if depth == 0 && op_is(nodes, at, "=") => return at,
            Node::Punct('<', _) => depth += 1,
            Node::Punct('>', _) if !is_arrow_tail(nodes, at) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    nodes.len()
}

fn drop_trailing_comma(nodes: &mut Vec<Node>, kind: Kind) {
    if !nodes.last().is_some_and(|last| last.is_punct(',')) {
        return;
    }
    let drop = match kind {
        Kind::Args
        | Kind::Bracket
        | Kind::Block
        | Kind::Match
        | Kind::UseGroup
        | Kind::MacroBrace => true,
        Kind::Tuple => list_commas(nodes).len() >= 2,
        Kind::Top | Kind::MacroRules | Kind::Raw => false,
    };
    if drop {
        nodes.pop();
    }
}

// ---------------------------------------------------------------------------------------------
// Joined punctuation

/// Replaces every punct's lexer spacing by its canonical joinedness, recursively.
pub(crate) fn normalize_joints(nodes: &mut [Node]) {
    let closers: Vec<usize> = closure_spans(nodes)
        .into_iter()
        .map(|(_, close)| close)
        .collect();
    let joined: Vec<Option<bool>> = (0..nodes.len())
        .map(|index| canonical_joint(nodes, index, &closers))
        .collect();
    for (node, joined) in nodes.iter_mut().zip(joined) {
        match node {
            Node::Punct(_, joint) => *joint = joined.unwrap_or(false),
            Node::Group(_, inner) => normalize_joints(inner),
            Node::Ident(_) | Node::Literal(_) => {}
        }
    }
}

fn canonical_joint(nodes: &[Node], index: usize, closers: &[usize]) -> Option<bool> {
    let Node::Punct(ch, raw) = nodes.get(index)? else {
        return None;
    };
    let joined = match nodes.get(index + 1) {
        Some(Node::Ident(_)) => *ch == '\'' && *raw,
        Some(Node::Punct(next, _)) => {
            if *ch == '\'' || closers.contains(&index) {
                false
            } else if (*ch == '>' && *next == '>')
                || (*ch == '<' && *next == '<' && opens_qualified_path(nodes, index + 1))
            {
                true
            } else if (*ch == '&' || *ch == '|') && next == ch {
                same_char_joint(nodes, index, *ch)
            } else {
                joined_raw(nodes, index)
            }
        }
        _ => false,
    };
    Some(joined)
}

/// Whether the `<` at `index` opens a qualified path (`<T as Trait>::X`, `<T>::X`): rustfmt writes
/// `Vec<<T as Trait>::X>` or `Vec< <T as Trait>::X>` depending on the layout.
fn opens_qualified_path(nodes: &[Node], index: usize) -> bool {
    let mut depth = 0usize;
    for (at, node) in nodes.iter().enumerate().skip(index) {
        match node {
            Node::Punct('<', _) => depth += 1,
            Node::Punct('>', _) if !is_arrow_tail(nodes, at) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return op_is(nodes, at + 1, "::");
                }
            }
            Node::Punct(';', _) | Node::Group(Delim::Brace, _) => return false,
            _ => {}
        }
    }
    false
}

/// In a run of `&` (or `|`) chars: in operand position all are prefix and joined; after an
/// operand the first one or two (as lexed) are the binary operator, the rest prefix and joined.
fn same_char_joint(nodes: &[Node], index: usize, ch: char) -> bool {
    let mut start = index;
    while start > 0 && nodes[start - 1].is_punct(ch) {
        start -= 1;
    }
    if prefix_position(nodes, start) {
        return true;
    }
    if index == start {
        return joined_raw(nodes, index);
    }
    !(index == start + 1 && joined_raw(nodes, start))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn tree(source: &str) -> Vec<Node> {
        canonicalize(TokenStream::from_str(source).expect("test input must tokenize"))
    }

    fn text(source: &str) -> String {
        let nodes = tree(source);
        let text = crate::layout::render(&nodes);
        // The text reads back to the same canonical tree: it is unambiguous.
        assert_eq!(tree(&text), nodes, "round trip of\n{text}");
        text
    }

    #[track_caller]
    fn same(a: &str, b: &str) {
        assert_eq!(text(a), text(b), "`{a}` and `{b}` must be alike");
    }

    #[track_caller]
    fn differ(a: &str, b: &str) {
        assert_ne!(text(a), text(b), "`{a}` and `{b}` must differ");
    }

    #[test]
    fn trailing_commas_before_closers_do_not_count() {
        same("f(a, b,);", "f(a, b);");
        same("f(a,);", "f(a);");
        same("fn f(a: u8,) {}", "fn f(a: u8) {}");
        same("S(a,);", "S(a);");
        same("m!(a, b,);", "m!(a, b);");
        same(
            "#[cfg(any(a, b,))] fn f() {}",
            "#[cfg(any(a, b))] fn f() {}",
        );
        same("let v = [1, 2,];", "let v = [1, 2];");
        same("struct S { a: u8, }", "struct S { a: u8 }");
        same("enum E { A, B, }", "enum E { A, B }");
        same("fn f<T: A, U,>() {}", "fn f<T: A, U>() {}");
        same("type A = Vec<Vec<u8,>>;", "type A = Vec<Vec<u8>>;");
        same(
            "fn f() -> impl Fn(u8,) -> u8 {}",
            "fn f() -> impl Fn(u8) -> u8 {}",
        );
        same("f::<A, B>(x,);", "f::<A, B>(x);");
        same("g()(x,);", "g()(x);");
        same("let t = (a, b,);", "let t = (a, b);");
        same("let t = (1 << 2, x,);", "let t = (1 << 2, x);");
        same("fn f() where T: A, U: B, {}", "fn f() where T: A, U: B {}");
        same("fn f() where T: A,;", "fn f() where T: A;");
        same("let c = |a, b,| a;", "let c = |a, b| a;");
    }

    #[test]
    fn one_tuples_stay_distinct_from_parentheses() {
        differ("let t = (x,);", "let t = (x);");
        differ("fn f() -> (u8,) {}", "fn f() -> (u8) {}");
        differ("let (a,) = t;", "let (a) = t;");
        differ("g((a,));", "g((a));");
        differ("let t = (f::<A, B>(),);", "let t = (f::<A, B>());");
        differ("let t = (x as Foo<A, B>,);", "let t = (x as Foo<A, B>);");
        differ("let t = (|a, b| a,);", "let t = (|a, b| a);");
        differ(
            "let t = (Vec<<T as Tr>::X, U>,);",
            "let t = (Vec<<T as Tr>::X, U>);",
        );
        differ("return (x,);", "return (x);");
        differ("g((a, b));", "g(a, b);");
    }

    #[test]
    fn match_arm_commas_blocks_and_pipes_do_not_count() {
        same(
            "match x { A => { a() }, B => b(), | C => { { c } } D => { return d; } }",
            "match x { A => a(), B => b(), C => c, D => return d, }",
        );
        same(
            "match x { A => { if a { 1 } else { 2 } }, B => { g(); 3 }, }",
            "match x { A => if a { 1 } else { 2 } B => { g(); 3 } }",
        );
        same(
            "match x { A => unsafe { f() }, B => loop {} C => m!{ x }, }",
            "match x { A => unsafe { f() } B => loop {}, C => { m!{ x } } }",
        );
        same(
            "let n = match unsafe { f() } { 0 => { None } _ => Some(1), };",
            "let n = match unsafe { f() } { 0 => None, _ => Some(1) };",
        );
        // Blocks that are not a single expression stay blocks.
        differ("match x { _ => { g(); } }", "match x { _ => g() }");
        differ("match x { _ => { let a = 1; a } }", "match x { _ => a }");
        differ("match x { _ => { #[allow(x)] a } }", "match x { _ => a }");
        differ("match x { _ => { m!{} a } }", "match x { _ => a }");
        differ("match x { _ => { a }.len() }", "match x { _ => a.len() }");
    }

    #[test]
    fn closure_blocks_do_not_count_when_they_are_the_whole_body() {
        same("let f = |x| { x + 1 };", "let f = |x| x + 1;");
        same("g(|x| { x }, move || { y });", "g(|x| x, move || y);");
        same("let f = || { return };", "let f = || return;");
        same("let f = | | 1;", "let f = || 1;");
        differ("let f = |x| { a || b } && c;", "let f = |x| a || b && c;");
        differ("let f = |x| -> u8 { x };", "let f = |x| -> u8 x;");
        differ("let f = |x| { let y = x; y };", "let f = |x| y;");
    }

    #[test]
    fn nested_parentheses_do_not_count() {
        same("let a = ((b));", "let a = (b);");
        same("let a = (((b, c)));", "let a = (b, c);");
        same("f(((a)));", "f((a));");
        differ("f((a));", "f(a);");
    }

    #[test]
    fn statement_semicolons_that_rustfmt_removes_or_adds_do_not_count() {
        same("fn f() { a();; b(); ; }", "fn f() { a(); b(); }");
        same(
            "fn f() { loop { x() }; while a { b() }; 'l: for x in y { z() }; }",
            "fn f() { loop { x() } while a { b() } 'l: for x in y { z() } }",
        );
        same(
            "fn f() { if a { return 1 } 2 }",
            "fn f() { if a { return 1; } 2 }",
        );
        same("fn f() { loop { break } }", "fn f() { loop { break; } }");
        same(
            "fn f() { for x in y { continue } }",
            "fn f() { for x in y { continue; } }",
        );
        // `;` after other block-like statements is kept, as rustfmt keeps it.
        differ("fn f() { if a { b() }; }", "fn f() { if a { b() } }");
        differ("fn f() -> u8 { return 1 }", "fn f() -> u8 { 1 }");
    }

    #[test]
    fn use_order_and_granularity_do_not_count() {
        same("use a::{c, b};", "use a::{b, c};");
        same("use a::{b, c};", "use a::b; use a::c;");
        same("use a::c; use a::b;", "use a::b; use a::c;");
        same(
            "use std::{io::{Write, Read}, fmt, collections::HashMap};",
            "use std::collections::HashMap; use std::fmt; use std::io::{Read, Write};",
        );
        same("use {a::b, c::d};", "use c::d; use a::b;");
        same("use a::{b::{c}};", "use a::b::c;");
        same("use a::{self, b};", "use a; use a::b;");
        same("use a::{self as x, b as y};", "use a as x; use a::b as y;");
        same("use a::{}; use b::c;", "use b::c;");
        same(
            "pub(crate) use a::{b, c};",
            "pub(crate) use a::c; pub(crate) use a::b;",
        );
        same(
            "#[cfg(x)] use a::{b, c};",
            "#[cfg(x)] use a::c; #[cfg(x)] use a::b;",
        );
        same(
            "fn f() { use a::{c, b}; g(); }",
            "fn f() { use a::b; use a::c; g(); }",
        );
        same(
            "mod m { use b::x; use a::y; }",
            "mod m { use a::y; use b::x; }",
        );
        same("use ::a::{b, c};", "use ::a::c; use ::a::b;");
        differ("use a::{b, c};", "use a::{b, d};");
        differ("use a::b;", "pub use a::b;");
        // Use declarations separated by another item are not merged or reordered.
        differ(
            "use b::x; fn f() {} use a::y;",
            "use a::y; fn f() {} use b::x;",
        );
    }

    #[test]
    fn module_and_extern_crate_order_does_not_count() {
        same("mod b; mod a;", "mod a; mod b;");
        same(
            "extern crate b; extern crate a;",
            "extern crate a; extern crate b;",
        );
        // `#[macro_use]` makes module order matter.
        differ("#[macro_use] mod b; mod a;", "mod a; #[macro_use] mod b;");
        differ("mod b { } mod a { }", "mod a { } mod b { }");
    }

    #[test]
    fn small_rewrites_of_rustfmt_do_not_count() {
        same(
            "#[derive(Debug)] #[derive(Clone, Copy,)] struct S;",
            "#[derive(Debug, Clone, Copy)] struct S;",
        );
        differ("#[derive(A, B)] struct S;", "#[derive(B, A)] struct S;");
        same("extern fn f() {}", "extern \"C\" fn f() {}");
        same("extern { fn f(); }", "extern \"C\" { fn f(); }");
        differ("extern \"system\" fn f() {}", "extern \"C\" fn f() {}");
        same("fn f<>() { Vec::<>::new() }", "fn f() { Vec::new() }");
        same("struct S<>(u8);", "struct S(u8);");
        same("let v: Vec::<u8> = w;", "let v: Vec<u8> = w;");
        same("fn f() -> Option::<u8> {}", "fn f() -> Option<u8> {}");
        same("let v: Vec<u8>= w;", "let v: Vec<u8> = w;");
        same("let v: Vec<Vec<u8>>= w;", "let v: Vec<Vec<u8>> = w;");
        differ("let v = Vec::<u8>::new();", "let v = Vec::new();");
        differ("let b = x >= y;", "let b = x > y;");
        same("S { a: a, b: c };", "S { a, b: c };");
        same("let S { a: a, .. } = s;", "let S { a, .. } = s;");
    }

    #[test]
    fn punctuation_joins_only_where_it_forms_an_operator() {
        same("x=-1;", "x = - 1;");
        same("a&&b;", "a && b;");
        differ("a && b;", "a & &b;");
        same("let r = & &x;", "let r = &&x;");
        same("fn f(x: & &u8) {}", "fn f(x: &&u8) {}");
        same("a &&&b;", "a && &b;");
        differ("a && &b;", "a & &&b;");
        same("type A = Vec<Vec<u8> >;", "type A = Vec<Vec<u8>>;");
        differ("a >> b;", "a > b;");
        same("let f = a || |x| x;", "let f = a || |x|x;");
        differ("a || b;", "a | |b| c;");
        same("for x in 0..=n {}", "for x in 0 ..= n {}");
        differ("for x in 0..=n {}", "for x in 0..n {}");
        same("let f = || |x| x;", "let f = | | |x| x;");
    }

    #[test]
    fn lexer_details_that_mean_the_same_do_not_count() {
        let negative: TokenStream = [
            proc_macro2::TokenTree::Ident(proc_macro2::Ident::new(
                "f",
                proc_macro2::Span::call_site(),
            )),
            proc_macro2::TokenTree::Literal(proc_macro2::Literal::i32_suffixed(-1)),
        ]
        .into_iter()
        .collect();
        assert_eq!(canonicalize(negative), tree("f -1i32"));
        same("x.0.1;", "x.0 .1;");
        differ("x.0.1;", "x.0;");
        differ("let a = 0..1.5;", "let a = 0..1 .5;");
    }

    #[test]
    fn string_continuation_indentation_does_not_count() {
        same("f(\"a \\\n    b\", 1);", "f(\"a \\\n\tb\", 1);");
        same("f(\"a \\\r\n  b\");", "f(\"a \\\nb\");");
        differ("f(\"a \\\n b\");", "f(\"a \\\nc\");");
        // An escaped backslash before a newline is not a continuation.
        differ("f(\"a \\\\\n b\");", "f(\"a \\\\\nb\");");
        // Raw strings have no escapes.
        differ("f(r\"a \\\n b\");", "f(r\"a \\\nb\");");
        same("f(\"a\r\nb\");", "f(\"a\nb\");");
    }

    #[test]
    fn macro_rules_transcribers_are_code_and_matchers_are_kept() {
        same(
            "macro_rules! m { ($a:expr) => ( f($a,) ) }",
            "macro_rules! m { ($a:expr) => { f($a) }; }",
        );
        same(
            "macro_rules! m { [$a:expr] => { match $a { | A => { 1 } B => 2, } } }",
            "macro_rules! m { ($a:expr) => { match $a { A => 1, B => 2 } }; }",
        );
        same(
            "macro_rules! m ( () => {} );",
            "macro_rules! m { () => {}; }",
        );
        differ(
            "macro_rules! m { ((x)) => {}; }",
            "macro_rules! m { (x) => {}; }",
        );
        differ(
            "macro_rules! m { ($a:expr, $b:expr,) => {}; }",
            "macro_rules! m { ($a:expr, $b:expr) => {}; }",
        );
        differ(
            "macro_rules! m { ($($a:expr),*) => { f($($a, 1,)*) }; }",
            "macro_rules! m { ($($a:expr),*) => { f($($a, 1)*) }; }",
        );
        differ(
            "macro_rules! m { ($($a:expr),*) => { $(((a)))* }; }",
            "macro_rules! m { ($($a:expr),*) => { $((a))* }; }",
        );
    }

    #[test]
    fn unparsable_use_trees_keep_their_tokens_with_sorted_groups() {
        same("use $crate::{b, a};", "use $crate::{a, b};");
        differ("use $crate::{a, b};", "use $crate::{a, c};");
    }
}
