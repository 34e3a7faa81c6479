//! The canonical text: a canonical token tree ([`crate::canonical`]) laid out for people, as shown
//! in `plan --diff`.
//!
//! Tokens are separated by a single space, except that there is no space after an opening and
//! before a closing `(`/`[` delimiter, before `,` and `;`, around a field or method `.`, between a
//! path and `::`, before `?`, between a function name and its `(`, after a prefix `&`, `*`, `-` or
//! `!`, inside `#[`, inside closure bars (`|x|`), around generic `<..>` after a type-like name, and
//! between the chars of an operator (`&&`, `->`, `::`) or a lifetime (`'a`). A newline and
//! indentation (4 spaces per brace level) follow `{`, `;` and the `,` of a braced list (match arms,
//! fields, use groups), surround `}`, and follow an attribute in a block. A literal is written
//! exactly as its token text (which may span lines). No line has trailing whitespace (except inside
//! a multi-line literal) and the text has no final newline.
//!
//! The layout is a function of the tokens, so it carries no information of its own; and it is an
//! unambiguous encoding: two puncts are adjacent only when they are joined or cannot form an
//! operator, tokens that could fuse (identifiers, literals, lifetimes) are always separated, and
//! literal texts are self-delimiting. Lexing the text back gives the same canonical tree.

use crate::canonical::{self, Delim, Node};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Context {
    Top,
    Paren,
    Bracket,
    Brace,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Open(Delim),
    Close(Delim),
    Ident,
    Literal,
    Lifetime,
    Op,
}

/// A token as laid out: a group delimiter, an identifier, a literal, a lifetime or an operator (a
/// run of joined puncts).
#[derive(Debug)]
struct Atom {
    kind: Kind,
    text: String,
    /// Brace depth of the line this atom starts, if it starts one.
    indent: usize,
    /// The group the atom stands in.
    context: Context,
    /// An operator in operand position (prefix `&`, `*`, `-`, `!`).
    prefix: bool,
    /// The opening or closing bar of closure parameters.
    closure_open: bool,
    closure_close: bool,
    /// A `,` that ends a line (braced lists).
    line_comma: bool,
    /// The `]` of an attribute.
    attribute_close: bool,
    /// A `<` or `>` run of a generic list after a type-like name.
    generic: bool,
    /// The `!` after a macro name.
    macro_bang: bool,
}

impl Atom {
    fn new(kind: Kind, text: String, indent: usize, context: Context) -> Self {
        Atom {
            kind,
            text,
            indent,
            context,
            prefix: false,
            closure_open: false,
            closure_close: false,
            line_comma: false,
            attribute_close: false,
            generic: false,
            macro_bang: false,
        }
    }

    fn is_op(&self, text: &str) -> bool {
        self.kind == Kind::Op && self.text == text
    }

    fn is_ident(&self) -> bool {
        self.kind == Kind::Ident
    }

    fn is_call_name(&self) -> bool {
        self.is_ident()
            && (!canonical::is_keyword(&self.text)
                || ["fn", "pub", "Self", "self", "super", "crate"].contains(&self.text.as_str()))
    }

    fn is_close_paren_or_bracket(&self) -> bool {
        matches!(self.kind, Kind::Close(Delim::Paren | Delim::Bracket))
    }

    fn in_block(&self) -> bool {
        matches!(self.context, Context::Top | Context::Brace)
    }
}

/// Renders canonical nodes as the canonical text.
pub(crate) fn render(nodes: &[Node]) -> String {
    let mut atoms = Vec::new();
    flatten(nodes, Context::Top, 0, &mut atoms);
    let mut out = String::new();
    let mut previous: Option<&Atom> = None;
    for atom in &atoms {
        if let Some(previous) = previous {
            match separator(previous, atom) {
                Separator::None => {}
                Separator::Space => out.push(' '),
                Separator::Newline => {
                    out.push('\n');
                    for _ in 0..atom.indent {
                        out.push_str("    ");
                    }
                }
            }
        }
        out.push_str(&atom.text);
        previous = Some(atom);
    }
    out
}

fn delimiters(delim: Delim) -> (&'static str, &'static str, Context) {
    match delim {
        Delim::Paren => ("(", ")", Context::Paren),
        Delim::Bracket => ("[", "]", Context::Bracket),
        Delim::Brace => ("{", "}", Context::Brace),
    }
}

fn flatten(nodes: &[Node], context: Context, indent: usize, atoms: &mut Vec<Atom>) {
    let closures = canonical::closure_spans(nodes);
    let line_commas = if context == Context::Brace {
        canonical::list_commas(nodes)
    } else {
        Vec::new()
    };
    // Open generic lists: whether each `<` was laid out as generic.
    let mut angles: Vec<bool> = Vec::new();
    let mut index = 0;
    while index < nodes.len() {
        match &nodes[index] {
            Node::Group(delim, inner) => {
                let (open, close, inner_context) = delimiters(*delim);
                atoms.push(Atom::new(
                    Kind::Open(*delim),
                    open.to_string(),
                    indent,
                    context,
                ));
                let inner_indent = indent + usize::from(*delim == Delim::Brace);
                flatten(inner, inner_context, inner_indent, atoms);
                let mut atom = Atom::new(Kind::Close(*delim), close.to_string(), indent, context);
                atom.attribute_close = *delim == Delim::Bracket && is_attribute(nodes, index);
                atoms.push(atom);
                index += 1;
            }
            Node::Ident(text) => {
                atoms.push(Atom::new(Kind::Ident, text.clone(), indent, context));
                index += 1;
            }
            Node::Literal(text) => {
                atoms.push(Atom::new(Kind::Literal, text.clone(), indent, context));
                index += 1;
            }
            Node::Punct('\'', true) if matches!(nodes.get(index + 1), Some(Node::Ident(_))) => {
                let name = match nodes.get(index + 1) {
                    Some(Node::Ident(name)) => name.as_str(),
                    _ => "",
                };
                atoms.push(Atom::new(
                    Kind::Lifetime,
                    format!("'{name}"),
                    indent,
                    context,
                ));
                index += 2;
            }
            Node::Punct(..) => {
                let start = index;
                let mut text = String::new();
                while let Some(Node::Punct(ch, joined)) = nodes.get(index) {
                    text.push(*ch);
                    index += 1;
                    if !joined || !matches!(nodes.get(index), Some(Node::Punct(..))) {
                        break;
                    }
                }
                let mut atom = Atom::new(Kind::Op, text, indent, context);
                atom.prefix = canonical::prefix_position(nodes, start);
                atom.closure_open = atom.text == "|" && closures.iter().any(|&(o, _)| o == start);
                atom.closure_close = atom.text == "|" && closures.iter().any(|&(_, c)| c == start);
                atom.line_comma = atom.text == "," && line_commas.contains(&start);
                atom.generic = generic_angle(&atom.text, atom.prefix, atoms, &mut angles);
                atom.macro_bang = atom.text == "!"
                    && atoms
                        .last()
                        .is_some_and(|last| last.is_ident() && !canonical::is_keyword(&last.text));
                atoms.push(atom);
            }
        }
    }
}

/// Whether the bracket group at `index` is an attribute (`#[..]` or `#![..]`).
fn is_attribute(nodes: &[Node], index: usize) -> bool {
    match index.checked_sub(1).and_then(|before| nodes.get(before)) {
        Some(Node::Punct('#', _)) => true,
        Some(Node::Punct('!', _)) => {
            index >= 2 && matches!(nodes.get(index - 2), Some(Node::Punct('#', _)))
        }
        _ => false,
    }
}

/// Tracks generic `<..>` lists for layout: a `<` right after a type-like name (capitalised, or
/// after `::`, `impl`, `for`, or a name being declared) or in operand position (a qualified path
/// `<T as Trait>::f`) opens one; a run of `>` closes as many.
fn generic_angle(text: &str, prefix: bool, atoms: &[Atom], angles: &mut Vec<bool>) -> bool {
    if text == "<" || text == "<<" {
        let mut before = atoms.iter().rev();
        let previous = before.next();
        let declaring = before.next().is_some_and(|keyword| {
            keyword.is_ident()
                && ["fn", "struct", "enum", "trait", "type", "union"]
                    .contains(&keyword.text.as_str())
        });
        let generic = prefix
            || previous.is_some_and(|previous| {
                previous.is_op("::")
                    || (previous.is_ident()
                        && (declaring
                            || previous
                                .text
                                .trim_start_matches("r#")
                                .starts_with(char::is_uppercase)
                            || ["impl", "for"].contains(&previous.text.as_str())))
            });
        for _ in 0..text.len() {
            angles.push(generic);
        }
        return generic;
    }
    if !text.is_empty() && text.chars().all(|ch| ch == '>') {
        let mut generic = !angles.is_empty();
        for _ in 0..text.len() {
            generic &= angles.pop().unwrap_or(false);
        }
        return generic;
    }
    false
}

enum Separator {
    None,
    Space,
    Newline,
}

fn separator(a: &Atom, b: &Atom) -> Separator {
    use Separator::{Newline, Space};
    if a.kind == Kind::Open(Delim::Brace) {
        return if b.kind == Kind::Close(Delim::Brace) {
            Separator::None
        } else {
            Newline
        };
    }
    if b.kind == Kind::Close(Delim::Brace) {
        return Newline;
    }
    if matches!(a.kind, Kind::Open(_)) || matches!(b.kind, Kind::Close(_)) {
        return Separator::None;
    }
    if b.is_op(",") || b.is_op(";") {
        return Separator::None;
    }
    if a.is_op(";") {
        return if a.in_block() { Newline } else { Space };
    }
    if a.is_op(",") {
        return if a.line_comma { Newline } else { Space };
    }
    if a.attribute_close && a.in_block() {
        return Newline;
    }
    if a.kind == Kind::Close(Delim::Brace) {
        if b.is_op(".") || b.is_op("?") {
            return Separator::None;
        }
        if b.is_ident() && b.text == "else" {
            return Space;
        }
        let starts_line = matches!(
            b.kind,
            Kind::Ident | Kind::Literal | Kind::Lifetime | Kind::Open(_)
        ) || b.is_op("#");
        return if starts_line && a.in_block() {
            Newline
        } else {
            Space
        };
    }
    if glued(a, b) && !forms_operator(a, b) {
        Separator::None
    } else {
        Space
    }
}

/// Whether `a` and `b` are written without a space (see the module documentation).
fn glued(a: &Atom, b: &Atom) -> bool {
    let a_generic_close = a.kind == Kind::Op && a.generic && a.text.starts_with('>');
    let a_operand_end =
        a.is_ident() || a.is_close_paren_or_bracket() || a.is_op("?") || a_generic_close;
    // Field and method access, `?`.
    if b.is_op(".") {
        let string_like = a.kind == Kind::Literal && a.text.ends_with(['"', '\'', '#']);
        return a_operand_end || string_like;
    }
    if a.is_op(".") {
        return matches!(b.kind, Kind::Ident | Kind::Literal);
    }
    if b.is_op("?") {
        return a_operand_end;
    }
    // Paths.
    if b.is_op("::") {
        return a.is_ident() || a_generic_close;
    }
    if a.is_op("::") {
        return b.is_ident()
            || b.kind == Kind::Open(Delim::Brace)
            || b.is_op("*")
            || (b.kind == Kind::Op && b.generic);
    }
    // Generic lists after a type-like name.
    if a.kind == Kind::Op && a.generic && a.text.starts_with('<') {
        return true;
    }
    if b.kind == Kind::Op && b.generic && b.text.starts_with('<') {
        return a.is_ident();
    }
    if b.kind == Kind::Op && b.generic && b.text.starts_with('>') {
        return true;
    }
    if a_generic_close && matches!(b.kind, Kind::Open(Delim::Paren)) {
        return true;
    }
    // Calls, indexing, macros, attributes.
    if matches!(b.kind, Kind::Open(Delim::Paren | Delim::Bracket)) {
        if a.is_call_name() || a.is_close_paren_or_bracket() {
            return true;
        }
        if a.is_op("!") || a.is_op("#") || a.is_op("$") {
            return true;
        }
    }
    if b.is_op("!") && a.is_ident() && !canonical::is_keyword(&a.text) {
        return true;
    }
    if a.is_op("#") && b.is_op("!") {
        return true;
    }
    if a.is_op("$") && b.is_ident() {
        return true;
    }
    // Type and label colons.
    if b.is_op(":") && matches!(a.kind, Kind::Ident | Kind::Lifetime) {
        return true;
    }
    // Closure bars.
    if a.closure_open && !b.closure_close {
        return true;
    }
    if b.closure_close && !a.closure_open {
        return true;
    }
    // Prefix operators.
    let operand = matches!(
        b.kind,
        Kind::Ident | Kind::Literal | Kind::Lifetime | Kind::Open(Delim::Paren | Delim::Bracket)
    );
    if a.is_op("!") {
        // The `!` of a macro call (`vec!`) is followed by its delimiter, or a name in
        // `macro_rules! name`.
        return operand && !(a.macro_bang && b.kind == Kind::Ident);
    }
    a.prefix && ["&", "&&", "*", "-"].contains(&a.text.as_str()) && operand
}

/// Whether writing `a` and `b` together would make them lex as a different (joined) operator, or
/// start a comment.
fn forms_operator(a: &Atom, b: &Atom) -> bool {
    if a.kind != Kind::Op || b.kind != Kind::Op {
        return false;
    }
    let (Some(last), Some(first)) = (a.text.chars().last(), b.text.chars().next()) else {
        return false;
    };
    let pair: String = [last, first].iter().collect();
    [
        "==", "!=", "<=", ">=", "&&", "||", "+=", "-=", "*=", "/=", "%=", "^=", "&=", "|=", "<<",
        ">>", "->", "=>", "::", "..", "<-", "//", "/*", "*/", ".=",
    ]
    .contains(&pair.as_str())
}

#[cfg(test)]
mod tests {
    use crate::canonical::canonicalize;
    use proc_macro2::TokenStream;
    use std::str::FromStr;

    fn text(source: &str) -> String {
        render(&canonicalize(
            TokenStream::from_str(source).expect("test input must tokenize"),
        ))
    }

    use super::render;

    #[test]
    fn renders_a_function_like_rustfmt_one_statement_per_line() {
        let source = "fn scale(data: Vec<f64>, factor: f64) -> Vec<f64> {
            let doubled = data.into_iter().map(|x| x * factor);
            doubled.collect()
        }";
        assert_eq!(
            text(source),
            "fn scale(data: Vec<f64>, factor: f64) -> Vec<f64> {
    let doubled = data.into_iter().map(|x| x * factor);
    doubled.collect()
}"
        );
    }

    #[test]
    fn renders_items_blocks_arms_and_lists() {
        let source = "#[derive(Debug)] pub struct Run<'a, T: Clone> where T: Default {
            #[serde(default)] name: &'a str, values: Vec<HashMap<u8, (u8, u16)>>, }
        impl<T> Run<'_, T> { pub fn summary(&self, limit: usize) -> Result<String, Error> {
            use std::fmt::{Write, Debug};
            let mut out = String::new();
            for (i, v) in self.values.iter().enumerate() {
                if i >= limit { break }
                match v.get(&0) {
                    Some(x) if *x > 1 => { writeln!(out, \"{i}: {x}\")?; }
                    Some(_) | None => continue,
                }
            }
            let total: u64 = self.values.iter().map(|m| m.len() as u64).sum::<u64>();
            Ok(format!(\"{out}{total}\")) } }";
        assert_eq!(
            text(source),
            "#[derive(Debug)]
pub struct Run<'a, T: Clone> where T: Default {
    #[serde(default)]
    name: &'a str,
    values: Vec<HashMap<u8, (u8, u16)>>
}
impl<T> Run<'_, T> {
    pub fn summary(&self, limit: usize) -> Result<String, Error> {
        use std::fmt::Debug;
        use std::fmt::Write;
        let mut out = String::new();
        for (i, v) in self.values.iter().enumerate() {
            if i >= limit {
                break;
            }
            match v.get(&0) {
                Some(x) if *x > 1 => {
                    writeln!(out, \"{i}: {x}\")?;
                }
                Some(_) | None => continue
            }
        }
        let total: u64 = self.values.iter().map(|m| m.len() as u64).sum::<u64>();
        Ok(format!(\"{out}{total}\"))
    }
}"
        );
    }

    #[test]
    fn renders_operators_prefixes_and_paths_without_fusing_tokens() {
        let source = "let a = x.0.1; let b = -1; let c = !done && a & &b;
            let d = |x: &mut [u8; 4]| -> usize { x.len() }; let e = a / *b;
            let f: ::std::string::String = <T as Default>::default();
            let g = Vec::<Vec<u8>>::new(); let h = r#\"raw \"text\"\"#;
            let i = 0..=n; let j = 'a'; let k: &'static str = m!{ x };";
        assert_eq!(
            text(source),
            "let a = x.0 .1;
let b = -1;
let c = !done && a & &b;
let d = |x: &mut [u8; 4]| -> usize {
    x.len()
};
let e = a / *b;
let f: ::std::string::String = <T as Default>::default();
let g = Vec::<Vec<u8>>::new();
let h = r#\"raw \"text\"\"#;
let i = 0 ..= n;
let j = 'a';
let k: &'static str = m! {
    x
};"
        );
    }

    #[test]
    fn no_line_ends_in_whitespace_and_the_text_ends_without_a_newline() {
        let text = text(
            "mod m { #[cfg(x)] fn f() {} fn g(a: u8,) -> u8 { match a { 0 => {} _ => { a } } } }",
        );
        assert!(!text.ends_with('\n'));
        for line in text.lines() {
            assert_eq!(line, line.trim_end(), "trailing whitespace in {line:?}");
        }
    }
}
