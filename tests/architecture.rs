//! The library's module dependencies point one way: read from the `crate::…` paths of every file
//! in `src/` (tests left out), the top-level modules form no circle, and nothing uses `cli`.
//! ARCHITECTURE.md states the order; this test holds it.

// tests read scratch files, and may unwrap and panic: the library may not
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::disallowed_methods,
    clippy::disallowed_macros
)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `folder`.
fn rust_files(folder: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(folder).expect("src/ is readable") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The top-level module a file of `src/` belongs to (`eval` for `src/eval/explain.rs`).
fn module_of(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).expect("under src/");
    let first = relative.components().next().expect("a component");
    Path::new(first.as_os_str())
        .file_stem()
        .expect("a name")
        .to_string_lossy()
        .into_owned()
}

/// The top-level modules a file's code (not its comments, not its tests) names as `crate::X`.
fn used_modules(text: &str) -> BTreeSet<String> {
    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
    let mut used = BTreeSet::new();
    for line in code.lines() {
        let line = line.split("//").next().unwrap_or_default();
        for (at, _) in line.match_indices("crate::") {
            let name: String = line[at + "crate::".len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                used.insert(name);
            }
        }
    }
    used
}

/// Top-level module → the top-level modules it uses.
fn dependencies() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let module = module_of(&src, &file);
        if module == "lib" || module == "main" {
            continue;
        }
        let text = std::fs::read_to_string(&file).expect("a source file");
        let entry = graph.entry(module.clone()).or_default();
        entry.extend(used_modules(&text).into_iter().filter(|m| *m != module));
    }
    graph
}

/// A circle through the graph, if there is one, as the modules in order.
fn circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        module: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|m| m == module) {
            let mut circle = path[at..].to_vec();
            circle.push(module.to_owned());
            return Some(circle);
        }
        if done.contains(module) {
            return None;
        }
        path.push(module.to_owned());
        for next in graph.get(module).into_iter().flatten() {
            if let Some(circle) = visit(next, graph, path, done) {
                return Some(circle);
            }
        }
        path.pop();
        done.insert(module.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|module| visit(module, graph, &mut Vec::new(), &mut done))
}

#[test]
fn the_modules_form_no_circle() {
    let graph = dependencies();
    assert!(graph.len() > 20, "the modules were read: {graph:?}");
    assert_eq!(circle(&graph), None);
}

#[test]
fn nothing_in_the_library_uses_the_command_line() {
    let graph = dependencies();
    let users: Vec<&String> = graph
        .iter()
        .filter(|(module, uses)| *module != "cli" && uses.contains("cli"))
        .map(|(module, _)| module)
        .collect();
    assert!(users.is_empty(), "{users:?} use `cli`");
}

#[test]
fn a_planted_circle_is_found() {
    let mut graph = dependencies();
    // the circle the policy overlay once made: ruleset → policy → eval → table → ruleset
    graph
        .entry("ruleset".to_owned())
        .or_default()
        .insert("eval".to_owned());
    let found = circle(&graph).expect("the planted circle is found");
    assert!(found.contains(&"ruleset".to_owned()), "{found:?}");
    assert_eq!(found.first(), found.last());
}
