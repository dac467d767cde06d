//! The architecture's invariants that the compiler does not check: no cycles among the top-level
//! modules of a crate, and dependencies between the crates pointing one way.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
    found
}

/// The names that follow `crate::` in `text`, including each name of a `crate::{a, b::c}` group.
fn crate_paths(text: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let ident = |s: &str| s.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect::<String>();
    for (at, _) in text.match_indices("crate::") {
        // `$crate::` in macros names the crate from outside; it is no module's dependency.
        if text[..at].ends_with('$') {
            continue;
        }
        let rest = &text[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let mut start = 0;
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 1 => {
                        names.insert(ident(group[start..i].trim()));
                        start = i + 1;
                    }
                    _ => {}
                }
                if depth == 0 {
                    names.insert(ident(group[start..i].trim()));
                    break;
                }
            }
        } else {
            names.insert(ident(rest));
        }
    }
    names.retain(|n| !n.is_empty());
    names
}

/// Top-level module → the top-level modules it uses, for the crate whose `src` is `src`.
fn module_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut modules: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for file in sources(src) {
        let relative = file.strip_prefix(src).unwrap();
        let top = relative.components().next().unwrap().as_os_str().to_string_lossy().trim_end_matches(".rs").to_owned();
        if top != "lib" && top != "main" {
            modules.entry(top).or_default().push(file);
        }
    }
    let names: BTreeSet<String> = modules.keys().cloned().collect();
    modules
        .iter()
        .map(|(module, files)| {
            let used = files
                .iter()
                .flat_map(|f| crate_paths(&std::fs::read_to_string(f).unwrap()))
                .filter(|name| names.contains(name) && name != module)
                .collect();
            (module.clone(), used)
        })
        .collect()
}

/// A cycle of the graph, if it has one.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut cycle = path[start..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn no_crate_has_a_cycle_among_its_top_level_modules() {
    let crates = std::fs::read_dir(workspace().join("crates")).unwrap().flatten().map(|e| e.path().join("src"));
    let mut checked = 0;
    for src in crates.chain([workspace().join("migrations/src")]) {
        let graph = module_graph(&src);
        checked += graph.len();
        if let Some(cycle) = find_cycle(&graph) {
            panic!("{} has a module cycle: {}", src.display(), cycle.join(" → "));
        }
    }
    assert!(checked > 50, "only {checked} modules were found: is the layout the one this test expects?");
}

#[test]
fn the_cycle_finder_finds_cycles() {
    let graph = |edges: &[(&str, &str)]| {
        let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (from, to) in edges {
            graph.entry(from.to_string()).or_default().insert(to.to_string());
            graph.entry(to.to_string()).or_default();
        }
        graph
    };
    assert_eq!(find_cycle(&graph(&[("a", "b"), ("b", "c"), ("c", "a")])), Some(vec!["a".into(), "b".into(), "c".into(), "a".into()]));
    assert_eq!(find_cycle(&graph(&[("a", "b"), ("b", "c"), ("a", "c")])), None);
    let used = crate_paths("use crate::{deals::{self, X}, rows};\nuse crate::error::E; $crate::vocabulary::x");
    assert_eq!(used.into_iter().collect::<Vec<_>>(), ["deals", "error", "rows"]);
}

/// Dependencies point one way: domain ← contract ← persistence ← webhooks, mail ← api ← kariz;
/// documents (the PDF typesetter) knows the domain alone.
#[test]
fn crates_depend_on_each_other_one_way() {
    let allowed: [(&str, &[&str]); 8] = [
        ("domain", &[]),
        ("documents", &["kariz-domain"]),
        ("contract", &["kariz-domain"]),
        ("persistence", &["kariz-domain", "kariz-contract", "kariz-migrations"]),
        ("webhooks", &["kariz-domain", "kariz-persistence"]),
        ("mail", &["kariz-domain", "kariz-persistence"]),
        ("api", &["kariz-domain", "kariz-contract", "kariz-persistence", "kariz-webhooks", "kariz-documents"]),
        ("kariz", &["kariz-domain", "kariz-persistence", "kariz-webhooks", "kariz-mail", "kariz-api"]),
    ];
    for (krate, may_use) in allowed {
        let manifest = std::fs::read_to_string(workspace().join("crates").join(krate).join("Cargo.toml")).unwrap();
        let dependencies = manifest.split("[dependencies]").nth(1).unwrap_or("").split("\n[").next().unwrap_or("");
        for line in dependencies.lines() {
            let name = line.split(['.', '=', ' ']).next().unwrap_or("").trim();
            if name.starts_with("kariz-") {
                assert!(may_use.contains(&name), "crates/{krate} depends on {name}, against the direction of the layers");
            }
        }
    }
}
