//! Block-level rules of the canonical form ([`crate::canonical`]): the arms of a `match`, the
//! bodies of arms and closures, the statements of a block, and `use`/`mod`/`extern crate`
//! declarations.

use crate::canonical::{
    Delim, Node, closure_spans, is_arrow_tail, is_group_at, is_ident_at, is_keyword, is_punct_at,
    is_scrutinee_block, list_commas, normalize_joints, op_is, remove_marked,
};

/// If an expression starting at `from` is block-like (`{..}`, `unsafe {..}`, `if`, `match`,
/// `loop`, `while`, `for`, `async {..}`, `const {..}`, labelled), the index of its last brace.
fn block_like_end(nodes: &[Node], from: usize) -> Option<usize> {
    match nodes.get(from)? {
        Node::Group(Delim::Brace, _) => Some(from),
        Node::Punct('\'', _) => {
            if matches!(nodes.get(from + 1), Some(Node::Ident(_))) && op_is(nodes, from + 2, ":") {
                block_like_end(nodes, from + 3)
            } else {
                None
            }
        }
        Node::Ident(keyword) => match keyword.as_str() {
            "unsafe" | "loop" | "const" => {
                is_group_at(nodes, from + 1, Delim::Brace).then_some(from + 1)
            }
            "async" => {
                let at = if is_ident_at(nodes, from + 1, "move") {
                    from + 2
                } else {
                    from + 1
                };
                is_group_at(nodes, at, Delim::Brace).then_some(at)
            }
            "while" | "for" | "match" => body_brace(nodes, from + 1),
            "if" => {
                let body = body_brace(nodes, from + 1)?;
                if !is_ident_at(nodes, body + 1, "else") {
                    return Some(body);
                }
                if is_group_at(nodes, body + 2, Delim::Brace) {
                    Some(body + 2)
                } else if is_ident_at(nodes, body + 2, "if") {
                    block_like_end(nodes, body + 2)
                } else {
                    None
                }
            }
            _ => None,
        },
        _ => None,
    }
}

/// The body brace of a condition or scrutinee starting at `from`: the first brace group that is
/// not a struct pattern (`if let S { a } = x {`, `for S { a } in xs {`).
fn body_brace(nodes: &[Node], from: usize) -> Option<usize> {
    for at in from..nodes.len() {
        match &nodes[at] {
            Node::Punct(';', _) => return None,
            Node::Group(Delim::Brace, _) => {
                let pattern = op_is(nodes, at + 1, "=")
                    || op_is(nodes, at + 1, "|")
                    || is_ident_at(nodes, at + 1, "in");
                if !pattern && !is_scrutinee_block(nodes, at) {
                    return Some(at);
                }
            }
            _ => {}
        }
    }
    None
}

/// `.` or `?` after a block-like expression continue it (`match x { .. }.len()`).
fn continues_expression(nodes: &[Node], index: usize) -> bool {
    op_is(nodes, index, ".") || op_is(nodes, index, "?")
}

/// Whether `nodes` is exactly one block-like expression.
fn is_block_like(nodes: &[Node]) -> bool {
    !nodes.is_empty() && block_like_end(nodes, 0) == Some(nodes.len() - 1)
}

/// Statement keywords: a block starting with one of them is not a single expression.
const STATEMENT_KEYWORDS: &[&str] = &[
    "let",
    "fn",
    "struct",
    "enum",
    "union",
    "impl",
    "trait",
    "mod",
    "use",
    "static",
    "type",
    "extern",
    "pub",
    "macro_rules",
];

/// `return ..;`, `break ..;` or `continue;` as the only statement of a block: the jump itself.
fn jump_statement(content: &[Node]) -> Option<&[Node]> {
    let (last, jump) = content.split_last()?;
    let starts = ["return", "break", "continue"]
        .iter()
        .any(|word| is_ident_at(jump, 0, word));
    (starts && last.is_punct(';') && is_single_expression(jump)).then_some(jump)
}

/// Whether the contents of a block are a single expression, so the block can be dropped.
fn is_single_expression(content: &[Node]) -> bool {
    let Some(first) = content.first() else {
        return false;
    };
    if content.iter().any(|node| node.is_punct(';')) || first.is_punct('#') {
        return false;
    }
    if let Node::Ident(keyword) = first {
        if STATEMENT_KEYWORDS.contains(&keyword.as_str()) {
            return false;
        }
        let block_follows = is_group_at(content, 1, Delim::Brace);
        if (keyword == "const" || keyword == "unsafe") && !block_follows {
            return false;
        }
        if keyword == "async" && is_ident_at(content, 1, "fn") {
            return false;
        }
    }
    if let Some(end) = block_like_end(content, 0) {
        return end + 1 == content.len() || continues_expression(content, end + 1);
    }
    // A macro invocation with braces followed by more is a statement macro and a statement.
    !content.iter().enumerate().any(|(at, node)| {
        node.is_punct('!') && is_group_at(content, at + 1, Delim::Brace) && at + 2 < content.len()
    })
}

/// The expression a block body stands for: its contents if they are a single expression or a
/// single jump statement (`{ return x; }` is `return x`).
fn block_expression(content: &[Node]) -> Option<&[Node]> {
    if is_single_expression(content) {
        Some(content)
    } else {
        jump_statement(content)
    }
}

/// Replaces a single-expression block body by its expression, repeatedly.
fn unwrap_block(mut body: Vec<Node>) -> Vec<Node> {
    loop {
        match body.as_slice() {
            [Node::Group(Delim::Brace, content)] => match block_expression(content) {
                Some(expression) => body = expression.to_vec(),
                None => return body,
            },
            _ => return body,
        }
    }
}

/// `|x| { x + 1 }` is `|x| x + 1` when the block ends the closure.
pub(crate) fn unwrap_closure_bodies(nodes: &mut Vec<Node>) {
    loop {
        let mut changed = false;
        for (_, close) in closure_spans(nodes).into_iter().rev() {
            let body = close + 1;
            let ends = body + 1 == nodes.len()
                || is_punct_at(nodes, body + 1, ',')
                || is_punct_at(nodes, body + 1, ';');
            if !ends {
                continue;
            }
            if let Some(Node::Group(Delim::Brace, content)) = nodes.get(body)
                && let Some(expression) = block_expression(content)
            {
                let expression = expression.to_vec();
                nodes.splice(body..body + 1, expression);
                changed = true;
                break;
            }
        }
        if !changed {
            return;
        }
    }
}

/// The arms of a match body, rebuilt: no leading `|`, single-expression block bodies unwrapped,
/// a comma after each arm but the last whose body is not block-like. `None` if the arms cannot be
/// told apart (the body is then left to the general rules).
pub(crate) fn rebuild_arms(nodes: &[Node]) -> Option<Vec<Node>> {
    let arrows: Vec<usize> = (0..nodes.len())
        .filter(|&at| op_is(nodes, at, "=>"))
        .collect();
    if arrows.is_empty() {
        return None;
    }
    let mut arms = Vec::new();
    let mut start = 0;
    for (number, &arrow) in arrows.iter().enumerate() {
        let body_start = arrow + 2;
        let (body_end, next_start) = match arrows.get(number + 1) {
            None => {
                let mut end = nodes.len();
                if end > body_start && nodes[end - 1].is_punct(',') {
                    end -= 1;
                }
                (end, nodes.len())
            }
            Some(&next_arrow) => arm_boundary(nodes, body_start, next_arrow)?,
        };
        if body_end < body_start || start > arrow {
            return None;
        }
        arms.push((start, arrow, body_start, body_end));
        start = next_start;
    }
    let mut out = Vec::with_capacity(nodes.len());
    for (number, &(start, arrow, body_start, body_end)) in arms.iter().enumerate() {
        let pattern = &nodes[start..arrow];
        let mut first = 0;
        while is_inner_attribute(pattern, first) {
            first += 3;
        }
        let first = skip_attributes(pattern, first);
        out.extend_from_slice(&pattern[..first]);
        let rest = &pattern[first..];
        if rest.first().is_some_and(|node| node.is_punct('|')) && !op_is(rest, 0, "||") {
            out.extend_from_slice(&rest[1..]);
        } else {
            out.extend_from_slice(rest);
        }
        out.extend_from_slice(&nodes[arrow..body_start]);
        let body = unwrap_block(nodes[body_start..body_end].to_vec());
        let comma = number + 1 < arms.len() && !is_block_like(&body);
        out.extend(body);
        if comma {
            out.push(Node::Punct(',', false));
        }
    }
    Some(out)
}

/// Where the body of an arm starting at `from` ends, and where the next arm starts, given the
/// next arm's `=>` at `next_arrow`.
fn arm_boundary(nodes: &[Node], from: usize, next_arrow: usize) -> Option<(usize, usize)> {
    if let Some(end) = block_like_end(nodes, from)
        && end < next_arrow
    {
        if is_punct_at(nodes, end + 1, ',') {
            return Some((end + 1, end + 2));
        }
        if !continues_expression(nodes, end + 1) {
            return Some((end + 1, end + 1));
        }
    }
    let comma = (from..next_arrow)
        .rev()
        .find(|&at| nodes[at].is_punct(','))?;
    Some((comma, comma + 1))
}

/// The index after the outer attributes (`#[..]`) starting at `from`.
fn skip_attributes(nodes: &[Node], from: usize) -> usize {
    let mut at = from;
    while is_punct_at(nodes, at, '#') && is_group_at(nodes, at + 1, Delim::Bracket) {
        at += 2;
    }
    at
}

/// Whether an inner attribute (`#![..]`) starts at `at`.
fn is_inner_attribute(nodes: &[Node], at: usize) -> bool {
    is_punct_at(nodes, at, '#')
        && is_punct_at(nodes, at + 1, '!')
        && is_group_at(nodes, at + 2, Delim::Bracket)
}

/// A statement (or item) of a block: `start..end`, then its `;` if any.
#[derive(Clone, Copy, Debug)]
struct Statement {
    start: usize,
    end: usize,
    semicolon: Option<usize>,
}

impl Statement {
    /// One past its last node, `;` included.
    fn full_end(self) -> usize {
        self.semicolon.map_or(self.end, |at| at + 1)
    }
}

fn split_statements(nodes: &[Node]) -> Vec<Statement> {
    let mut statements = Vec::new();
    let mut index = 0;
    while index < nodes.len() {
        if nodes[index].is_punct(';') {
            statements.push(Statement {
                start: index,
                end: index,
                semicolon: Some(index),
            });
            index += 1;
            continue;
        }
        if is_inner_attribute(nodes, index) {
            statements.push(Statement {
                start: index,
                end: index + 3,
                semicolon: None,
            });
            index += 3;
            continue;
        }
        let body = skip_attributes(nodes, index);
        let end = statement_end(nodes, body).max(index + 1);
        let semicolon = is_punct_at(nodes, end, ';').then_some(end);
        statements.push(Statement {
            start: index,
            end,
            semicolon,
        });
        index = semicolon.map_or(end, |at| at + 1);
    }
    statements
}

/// One past the last node of the statement starting at `from` (its `;` excluded).
fn statement_end(nodes: &[Node], from: usize) -> usize {
    if let Some(end) = block_like_end(nodes, from) {
        if !continues_expression(nodes, end + 1) {
            return end + 1;
        }
    } else if let Some(end) = item_body(nodes, from) {
        return end + 1;
    }
    (from..nodes.len())
        .find(|&at| nodes[at].is_punct(';'))
        .unwrap_or(nodes.len())
}

/// The index after a visibility (`pub`, `pub(..)`) at `from`.
fn skip_visibility(nodes: &[Node], from: usize) -> usize {
    if !is_ident_at(nodes, from, "pub") {
        return from;
    }
    if is_group_at(nodes, from + 1, Delim::Paren) {
        from + 2
    } else {
        from + 1
    }
}

/// If an item with a braced body (fn, impl, trait, mod, struct, enum, union, extern block, or a
/// macro invocation with braces) starts at `from`, the index of that body.
fn item_body(nodes: &[Node], from: usize) -> Option<usize> {
    let mut at = skip_visibility(nodes, from);
    let mut external = false;
    loop {
        match nodes.get(at)? {
            Node::Ident(word)
                if ["unsafe", "async", "const", "default", "safe"].contains(&word.as_str()) =>
            {
                at += 1;
            }
            Node::Ident(word) if word == "extern" => {
                external = true;
                at += 1;
                if matches!(nodes.get(at), Some(Node::Literal(_))) {
                    at += 1;
                }
            }
            _ => break,
        }
    }
    match nodes.get(at)? {
        Node::Group(Delim::Brace, _) if external => Some(at),
        Node::Ident(word)
            if ["fn", "impl", "trait", "mod", "struct", "enum", "union"]
                .contains(&word.as_str()) =>
        {
            item_brace(nodes, at + 1)
        }
        Node::Ident(_) => {
            // A macro invocation: path `!` [name] `{ .. }`.
            let mut at = at + 1;
            while op_is(nodes, at, "::") && matches!(nodes.get(at + 2), Some(Node::Ident(_))) {
                at += 3;
            }
            if !op_is(nodes, at, "!") {
                return None;
            }
            at += 1;
            if matches!(nodes.get(at), Some(Node::Ident(_))) {
                at += 1;
            }
            is_group_at(nodes, at, Delim::Brace).then_some(at)
        }
        _ => None,
    }
}

/// The first brace group at generic depth 0 from `from`, unless a `;` comes first.
fn item_brace(nodes: &[Node], from: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (at, node) in nodes.iter().enumerate().skip(from) {
        match node {
            Node::Punct(';', _) if depth == 0 => return None,
            Node::Group(Delim::Brace, _) if depth == 0 => return Some(at),
            Node::Punct('<', _) => depth += 1,
            Node::Punct('>', _) if !is_arrow_tail(nodes, at) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Empty statements, `;` after loops, a `;` after a final `return`/`break`/`continue` (blocks
/// only), then sorted runs of `use`, `mod name;` and `extern crate` declarations.
pub(crate) fn statement_rules(nodes: &mut Vec<Node>, block: bool) {
    let mut marks = vec![false; nodes.len()];
    for statement in split_statements(nodes) {
        let Some(semicolon) = statement.semicolon else {
            continue;
        };
        if statement.start == statement.end || is_loop_statement(nodes, statement) {
            marks[semicolon] = true;
        }
    }
    remove_marked(nodes, &marks);
    if block
        && let Some(last) = split_statements(nodes).last()
        && last.semicolon.is_none()
    {
        let first = skip_attributes(nodes, last.start);
        if ["return", "break", "continue"]
            .iter()
            .any(|word| is_ident_at(nodes, first, word))
        {
            nodes.push(Node::Punct(';', false));
        }
    }
    sort_declaration_runs(nodes);
}

fn is_loop_statement(nodes: &[Node], statement: Statement) -> bool {
    let mut at = skip_attributes(nodes, statement.start);
    if is_punct_at(nodes, at, '\'') {
        at += 3;
    }
    ["loop", "while", "for"]
        .iter()
        .any(|word| is_ident_at(nodes, at, word))
        && block_like_end(nodes, at).is_some_and(|end| end + 1 == statement.end)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Declaration {
    Use,
    Mod,
    ExternCrate,
    Other,
}

fn classify(nodes: &[Node], statement: Statement) -> Declaration {
    if statement.semicolon.is_none() {
        return Declaration::Other;
    }
    let attributes_end = skip_attributes(nodes, statement.start);
    let at = skip_visibility(nodes, attributes_end);
    if is_ident_at(nodes, at, "use") {
        return Declaration::Use;
    }
    if is_ident_at(nodes, at, "extern") && is_ident_at(nodes, at + 1, "crate") {
        return Declaration::ExternCrate;
    }
    let macro_use = nodes[statement.start..attributes_end].iter().any(|node| {
        matches!(node, Node::Group(Delim::Bracket, inner)
            if inner.first().is_some_and(|first| first.is_ident("macro_use")))
    });
    if is_ident_at(nodes, at, "mod")
        && matches!(nodes.get(at + 1), Some(Node::Ident(_)))
        && at + 2 == statement.end
        && !macro_use
    {
        return Declaration::Mod;
    }
    Declaration::Other
}

fn sort_declaration_runs(nodes: &mut Vec<Node>) {
    let statements = split_statements(nodes);
    let classes: Vec<Declaration> = statements
        .iter()
        .map(|&statement| classify(nodes, statement))
        .collect();
    if !classes.iter().any(|class| *class != Declaration::Other) {
        return;
    }
    let mut out = Vec::with_capacity(nodes.len());
    let mut index = 0;
    while index < statements.len() {
        let class = classes[index];
        let run_end = if class == Declaration::Other {
            index + 1
        } else {
            (index..statements.len())
                .find(|&at| classes[at] != class)
                .unwrap_or(statements.len())
        };
        let run = &statements[index..run_end];
        if class == Declaration::Other {
            for statement in run {
                out.extend_from_slice(&nodes[statement.start..statement.full_end()]);
            }
        } else {
            let mut declarations: Vec<Vec<Node>> = Vec::new();
            for statement in run {
                let tokens = &nodes[statement.start..statement.full_end()];
                match flatten_use(tokens).filter(|_| class == Declaration::Use) {
                    Some(flat) => declarations.extend(flat),
                    None => declarations.push(tokens.to_vec()),
                }
            }
            let mut keyed: Vec<(String, Vec<Node>)> = declarations
                .into_iter()
                .map(|declaration| (sort_key(&declaration), declaration))
                .collect();
            keyed.sort_by(|a, b| a.0.cmp(&b.0));
            for (_, declaration) in keyed {
                out.extend(declaration);
            }
        }
        index = run_end;
    }
    *nodes = out;
}

/// The canonical text of `nodes`, as a sort key.
fn sort_key(nodes: &[Node]) -> String {
    let mut nodes = nodes.to_vec();
    normalize_joints(&mut nodes);
    crate::layout::render(&nodes)
}

/// `[attrs] [vis] use tree;` as one declaration per imported name; `None` if the tree does not
/// parse.
fn flatten_use(declaration: &[Node]) -> Option<Vec<Vec<Node>>> {
    let at = skip_visibility(declaration, skip_attributes(declaration, 0));
    if !is_ident_at(declaration, at, "use") || !declaration.last()?.is_punct(';') {
        return None;
    }
    let head = &declaration[..=at];
    let tree = &declaration[at + 1..declaration.len() - 1];
    let mut leaves = Vec::new();
    use_leaves(tree, &[], &mut leaves)?;
    Some(
        leaves
            .into_iter()
            .map(|leaf| {
                let mut out = head.to_vec();
                out.extend(leaf);
                out.push(Node::Punct(';', false));
                out
            })
            .collect(),
    )
}

/// The leaves of a use tree, each with `prefix` before it.
fn use_leaves(tree: &[Node], prefix: &[Node], leaves: &mut Vec<Vec<Node>>) -> Option<()> {
    let mut path = prefix.to_vec();
    let mut at = 0;
    if op_is(tree, 0, "::") {
        path.extend_from_slice(&tree[..2]);
        at = 2;
    }
    loop {
        match tree.get(at)? {
            Node::Ident(_) => {
                path.push(tree[at].clone());
                at += 1;
                if at == tree.len() {
                    leaves.push(path);
                    return Some(());
                }
                if tree[at].is_ident("as") && at + 2 == tree.len() {
                    if !matches!(tree[at + 1], Node::Ident(_)) {
                        return None;
                    }
                    path.extend_from_slice(&tree[at..]);
                    leaves.push(path);
                    return Some(());
                }
                if !op_is(tree, at, "::") {
                    return None;
                }
                path.extend_from_slice(&tree[at..at + 2]);
                at += 2;
            }
            Node::Punct('*', _) if at + 1 == tree.len() => {
                path.push(tree[at].clone());
                leaves.push(path);
                return Some(());
            }
            Node::Group(Delim::Brace, items) if at + 1 == tree.len() => {
                for item in split_list(items) {
                    let is_self = item.first().is_some_and(|first| first.is_ident("self"))
                        && (item.len() == 1
                            || (item.len() == 3
                                && item[1].is_ident("as")
                                && matches!(item[2], Node::Ident(_))));
                    if is_self && path.len() >= 3 {
                        // `a::{self}` is `a` (rustfmt's import merging treats them alike).
                        let mut leaf = path[..path.len() - 2].to_vec();
                        leaf.extend_from_slice(&item[1..]);
                        leaves.push(leaf);
                    } else if is_self {
                        let mut leaf = path.clone();
                        leaf.push(Node::Group(Delim::Brace, item.to_vec()));
                        leaves.push(leaf);
                    } else if !item.is_empty() {
                        use_leaves(item, &path, leaves)?;
                    }
                }
                return Some(());
            }
            _ => return None,
        }
    }
}

/// The comma-separated items of a list (trailing empty item dropped).
fn split_list(nodes: &[Node]) -> Vec<&[Node]> {
    let mut items: Vec<&[Node]> = nodes.split(|node| node.is_punct(',')).collect();
    if items.last().is_some_and(|last| last.is_empty()) {
        items.pop();
    }
    items
}

/// A use group whose declaration did not flatten: its items sorted.
pub(crate) fn sort_list(nodes: &mut Vec<Node>) {
    let mut items: Vec<(String, Vec<Node>)> = split_list(nodes)
        .into_iter()
        .map(|item| (sort_key(item), item.to_vec()))
        .collect();
    items.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = Vec::with_capacity(nodes.len());
    for (number, (_, item)) in items.into_iter().enumerate() {
        if number > 0 {
            out.push(Node::Punct(',', false));
        }
        out.extend(item);
    }
    *nodes = out;
}

/// `S { a: a }` is `S { a }`.
pub(crate) fn field_init_shorthand(nodes: &mut Vec<Node>) {
    let mut marks = vec![false; nodes.len()];
    let mut start = 0;
    let mut bounds = list_commas(nodes);
    bounds.push(nodes.len());
    for end in bounds {
        if end == start + 3
            && let (Node::Ident(field), Node::Ident(value)) = (&nodes[start], &nodes[start + 2])
            && field == value
            && !is_keyword(field)
            && op_is(nodes, start + 1, ":")
        {
            marks[start + 1] = true;
            marks[start + 2] = true;
        }
        start = end + 1;
    }
    remove_marked(nodes, &marks);
}
