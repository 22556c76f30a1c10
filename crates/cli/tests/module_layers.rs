//! The engine crates read top to bottom: no top-level module of a crate may use, through its
//! `crate::`, `$crate::` or `super::` paths, a module that uses it back (directly or through
//! others). A circle hides which types are the shared vocabulary and which code builds on it;
//! the fix is to move the shared types into a leaf module both sides use.
//!
//! The check reads the sources, not the compiler's resolution: it lexes each file (plain
//! comments and string literals skipped; doc comments' `crate::` links count), follows `crate::a::…`, `crate::{a, b::…}` and enough `super::`
//! to reach the crate root, and maps names the root re-exports (`pub use a::Thing;`) back to
//! their module. Code under `#[cfg(test)]` counts too: a test module that needs a higher layer
//! belongs in `tests/`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The crates whose module graphs must be acyclic (the engine, below the web glue).
const ENGINE_CRATES: [&str; 7] = [
    "query", "pipeline", "tsdf", "kernel", "datagen", "cli", "export",
];

#[test]
fn engine_crates_have_no_module_cycles() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut failures = Vec::new();
    for name in ENGINE_CRATES {
        let graph = module_graph(&crates.join(name).join("src"));
        for cycle in cycles(&graph) {
            failures.push(format!("{name}: {}", describe(&cycle, &graph)));
        }
    }
    assert!(
        failures.is_empty(),
        "top-level modules that use each other in a circle:\n{}",
        failures.join("\n")
    );
}

#[test]
fn the_checker_finds_a_planted_circle() {
    let dir = std::env::temp_dir().join(format!("iotwb-layers-{}", std::process::id()));
    let src = dir.join("src");
    std::fs::create_dir_all(src.join("b")).unwrap();
    std::fs::write(
        src.join("lib.rs"),
        "mod a;\nmod b;\nmod c;\npub use c::Thing;\n",
    )
    .unwrap();
    // a → b and a → c (a grouped import), b → c (its child file's `super::super`); the path
    // in a comment and the one in a string do not count: no circle yet.
    std::fs::write(
        src.join("a.rs"),
        "use crate::{b::X, c as _};\n// crate::nothing\n",
    )
    .unwrap();
    std::fs::write(src.join("b/mod.rs"), "mod inner;\n").unwrap();
    std::fs::write(src.join("b/inner.rs"), "fn f() { super::super::c::g() }\n").unwrap();
    std::fs::write(
        src.join("c.rs"),
        "const S: &str = \"crate::a\";\npub struct Thing;\n",
    )
    .unwrap();
    let graph = module_graph(&src);
    assert!(cycles(&graph).is_empty(), "{graph:?}");
    // c → a closes a → b → c → a; a now reaches c only through the root's re-export.
    std::fs::write(src.join("c.rs"), "pub struct Thing(crate::a::X);\n").unwrap();
    std::fs::write(src.join("a.rs"), "use crate::{b::X, Thing};\n").unwrap();
    let graph = module_graph(&src);
    let found = cycles(&graph);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(
        found,
        vec![BTreeSet::from(["a".into(), "b".into(), "c".into()])]
    );
}

/// Module → the top-level modules it uses, each with one file:line that shows the use.
type Graph = BTreeMap<String, BTreeMap<String, String>>;

fn module_graph(src: &Path) -> Graph {
    let root = src.join("lib.rs");
    let root = if root.exists() {
        root
    } else {
        src.join("main.rs")
    };
    let root_tokens = lex(&std::fs::read_to_string(&root).unwrap());
    let modules = declared_modules(&root_tokens);
    let reexports = root_reexports(&root_tokens, &modules);
    let mut graph = Graph::new();
    for module in &modules {
        let mut edges = BTreeMap::new();
        for file in module_files(src, module) {
            let depth = file_depth(src, &file);
            let text = std::fs::read_to_string(&file).unwrap();
            for (target, line) in uses_of_root(&lex(&text), depth) {
                let target = match reexports.get(&target) {
                    Some(owner) => owner.clone(),
                    None => target,
                };
                if &target != module && modules.contains(&target) {
                    let rel = file
                        .strip_prefix(src)
                        .unwrap_or(&file)
                        .display()
                        .to_string();
                    edges.entry(target).or_insert(format!("{rel}:{line}"));
                }
            }
        }
        graph.insert(module.clone(), edges);
    }
    graph
}

/// `src/a.rs` and `src/a/mod.rs` are at depth 1 (one `super` reaches the root), `src/a/b.rs`
/// at depth 2, …
fn file_depth(src: &Path, file: &Path) -> usize {
    let rel = file.strip_prefix(src).unwrap();
    let parts = rel.components().count();
    if rel.file_name().is_some_and(|n| n == "mod.rs") {
        parts - 1
    } else {
        parts
    }
}

fn module_files(src: &Path, module: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let file = src.join(format!("{module}.rs"));
    if file.exists() {
        files.push(file);
    }
    collect_rs(&src.join(module), &mut files);
    files
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect_rs(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Punct(char),
    PathSep,
}

/// Identifiers, `::` and single punctuation with their line; comments, strings and character
/// literals are dropped (lifetimes keep their name as an identifier, which is harmless).
fn lex(text: &str) -> Vec<(Tok, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let (mut i, mut line) = (0, 1);
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c == '/' && next == Some('/') {
            let start = i;
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            let comment: String = chars[start..i].iter().collect();
            if comment.starts_with("///") || comment.starts_with("//!") {
                doc_links(&comment, line, &mut out);
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    line += usize::from(chars[i] == '\n');
                    i += 1;
                }
            }
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                line += usize::from(chars[i] == '\n');
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
        } else if c == 'r' && matches!(next, Some('"' | '#')) && raw_string_start(&chars, i + 1) {
            let mut hashes = 0;
            i += 1;
            while chars[i] == '#' {
                hashes += 1;
                i += 1;
            }
            i += 1;
            loop {
                if i >= chars.len() {
                    break;
                }
                if chars[i] == '"' && (1..=hashes).all(|k| chars.get(i + k) == Some(&'#')) {
                    i += 1 + hashes;
                    break;
                }
                line += usize::from(chars[i] == '\n');
                i += 1;
            }
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{1F600}') or a lifetime ('a).
            if next == Some('\\') {
                // Skip the quote, the backslash and the escaped character itself.
                i += 3;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                i += 1;
            }
        } else if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            // b"…" and b'…' are byte literals: let the next round skip the literal.
            if !(word == "b" || word == "br") || !matches!(chars.get(i), Some('"' | '\'' | '#')) {
                out.push((Tok::Ident(word), line));
            } else if word == "br" {
                // br"…": treat like r"…" by stepping back onto the `r`.
                i -= 1;
            }
        } else if c == ':' && next == Some(':') {
            out.push((Tok::PathSep, line));
            i += 2;
        } else {
            out.push((Tok::Punct(c), line));
            i += 1;
        }
    }
    out
}

/// A doc comment's `crate::a::…` links (rustdoc resolves them, and a reader must know `a`).
fn doc_links(comment: &str, line: usize, out: &mut Vec<(Tok, usize)>) {
    for (at, _) in comment.match_indices("crate::") {
        let name: String = comment[at + "crate::".len()..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            out.push((Tok::Ident("crate".into()), line));
            out.push((Tok::PathSep, line));
            out.push((Tok::Ident(name), line));
        }
    }
}

fn raw_string_start(chars: &[char], mut i: usize) -> bool {
    while chars.get(i) == Some(&'#') {
        i += 1;
    }
    chars.get(i) == Some(&'"')
}

fn ident(tok: Option<&(Tok, usize)>) -> Option<&str> {
    match tok {
        Some((Tok::Ident(s), _)) => Some(s),
        _ => None,
    }
}

/// `mod a;` / `pub mod a;` / `pub(crate) mod a;` at the root (inline `mod x { … }` are part of
/// the root, not layers of their own).
fn declared_modules(tokens: &[(Tok, usize)]) -> BTreeSet<String> {
    let mut modules = BTreeSet::new();
    for w in tokens.windows(3) {
        if let (Tok::Ident(kw), Tok::Ident(name), Tok::Punct(';')) = (&w[0].0, &w[1].0, &w[2].0)
            && kw == "mod"
        {
            modules.insert(name.clone());
        }
    }
    modules
}

/// Names the root re-exports from a module: `pub use a::Thing;`, `pub use a::{B, c::D};`.
fn root_reexports(tokens: &[(Tok, usize)], modules: &BTreeSet<String>) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    let mut i = 0;
    while i + 1 < tokens.len() {
        if ident(tokens.get(i)) == Some("use") {
            let mut j = i + 1;
            if ident(tokens.get(j)) == Some("crate")
                && tokens.get(j + 1).map(|t| &t.0) == Some(&Tok::PathSep)
            {
                j += 2;
            }
            if let Some(module) = ident(tokens.get(j)).filter(|m| modules.contains(*m)) {
                let module = module.to_string();
                let mut k = j + 1;
                while k < tokens.len() && tokens[k].0 != Tok::Punct(';') {
                    // The last identifier of each leaf (or its `as` alias) is the exported name.
                    if let Tok::Ident(name) = &tokens[k].0 {
                        let leaf = !matches!(tokens.get(k + 1).map(|t| &t.0), Some(Tok::PathSep));
                        if leaf && name != "as" && name != "self" {
                            map.insert(name.clone(), module.clone());
                        }
                    }
                    k += 1;
                }
                i = k;
            }
        }
        i += 1;
    }
    map
}

/// The first segment after the crate root of every path in a file, with its line. `depth` is
/// how many `super`s reach the root from the file's top; inline `mod x { … }` add one each.
fn uses_of_root(tokens: &[(Tok, usize)], depth: usize) -> Vec<(String, usize)> {
    let mut found = Vec::new();
    // Brace depths at which an inline module opened.
    let mut inline_mods: Vec<usize> = Vec::new();
    let mut braces = 0usize;
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i].0 {
            Tok::Punct('{') => braces += 1,
            Tok::Punct('}') => {
                braces = braces.saturating_sub(1);
                while inline_mods.last().is_some_and(|&d| d > braces) {
                    inline_mods.pop();
                }
            }
            Tok::Ident(kw) if kw == "mod" => {
                if let (Some(_), Some((Tok::Punct('{'), _))) =
                    (ident(tokens.get(i + 1)), tokens.get(i + 2))
                {
                    inline_mods.push(braces + 1);
                }
            }
            Tok::Ident(kw) if kw == "crate" => {
                let after_sep = i > 0 && tokens[i - 1].0 == Tok::PathSep;
                if !after_sep && tokens.get(i + 1).map(|t| &t.0) == Some(&Tok::PathSep) {
                    first_segments(tokens, i + 2, &mut found);
                }
            }
            Tok::Ident(kw) if kw == "super" => {
                let after_sep = i > 0 && tokens[i - 1].0 == Tok::PathSep;
                if !after_sep {
                    let mut supers = 0;
                    let mut j = i;
                    while ident(tokens.get(j)) == Some("super")
                        && tokens.get(j + 1).map(|t| &t.0) == Some(&Tok::PathSep)
                    {
                        supers += 1;
                        j += 2;
                    }
                    if supers == depth + inline_mods.len() {
                        first_segments(tokens, j, &mut found);
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// At `at` starts either a name or a `{ … }` group of subpaths.
fn first_segments(tokens: &[(Tok, usize)], at: usize, found: &mut Vec<(String, usize)>) {
    match tokens.get(at) {
        Some((Tok::Ident(name), line)) => found.push((name.clone(), *line)),
        Some((Tok::Punct('{'), _)) => {
            let mut nesting = 0;
            let mut expect_head = true;
            for (tok, line) in &tokens[at + 1..] {
                match tok {
                    Tok::Punct('{') => nesting += 1,
                    Tok::Punct('}') if nesting == 0 => break,
                    Tok::Punct('}') => nesting -= 1,
                    Tok::Punct(',') if nesting == 0 => expect_head = true,
                    Tok::Ident(name) if nesting == 0 && expect_head => {
                        found.push((name.clone(), *line));
                        expect_head = false;
                    }
                    _ => {
                        if nesting == 0 {
                            expect_head = false;
                        }
                    }
                }
            }
        }
        _ => {}
    }
}

/// The strongly connected components with more than one module (Tarjan's algorithm).
fn cycles(graph: &Graph) -> Vec<BTreeSet<String>> {
    struct State<'g> {
        graph: &'g Graph,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on_stack: BTreeSet<&'g str>,
        out: Vec<BTreeSet<String>>,
    }
    fn visit<'g>(s: &mut State<'g>, v: &'g str) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on_stack.insert(v);
        for w in s.graph[v].keys() {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v, low);
            } else if s.on_stack.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v, low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = BTreeSet::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.insert(w.to_string());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                s.out.push(component);
            }
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !state.index.contains_key(v.as_str()) {
            visit(&mut state, v);
        }
    }
    state.out
}

/// The modules of a circle and, for each, the uses that keep it closed (file:line).
fn describe(cycle: &BTreeSet<String>, graph: &Graph) -> String {
    let mut lines = vec![format!("{} modules in a circle: {:?}", cycle.len(), cycle)];
    for from in cycle {
        for (to, at) in &graph[from] {
            if cycle.contains(to) {
                lines.push(format!("    {from} → {to} ({at})"));
            }
        }
    }
    lines.join("\n")
}
