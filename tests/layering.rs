//! The console's layers depend downwards only: app → views → components → routing → services →
//! session → api. A module that reaches up (a widget importing a page, the API layer importing
//! the session) fails here, naming the line.

use std::fs;
use std::path::{Path, PathBuf};

/// Each layer, and the layers above it that it must never name.
const LAYERS: [(&str, &[&str]); 6] = [
    (
        "src/api",
        &[
            "session",
            "services",
            "routing",
            "components",
            "views",
            "app",
        ],
    ),
    (
        "src/session.rs",
        &["services", "routing", "components", "views", "app"],
    ),
    ("src/services", &["routing", "components", "views", "app"]),
    ("src/routing", &["components", "views", "app"]),
    ("src/components", &["views", "app"]),
    ("src/views", &["app"]),
];

fn rust_files(path: &Path) -> Vec<PathBuf> {
    if path.is_file() {
        return vec![path.to_path_buf()];
    }
    let mut files = Vec::new();
    for entry in fs::read_dir(path).expect("layer folder").flatten() {
        files.extend(
            rust_files(&entry.path())
                .into_iter()
                .filter(|f| f.extension().is_some_and(|e| e == "rs")),
        );
    }
    files
}

/// The top-level modules a line of code names through `crate::` (comments left out).
fn crate_modules(line: &str) -> Vec<String> {
    let code = line.split("//").next().unwrap_or_default();
    let mut named = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        let group = rest
            .strip_prefix('{')
            .map(|g| g.split('}').next().unwrap_or_default());
        let parts: Vec<&str> = match group {
            Some(group) => group.split(',').collect(),
            None => vec![rest],
        };
        for part in parts {
            let name: String = part
                .trim()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            named.push(name);
        }
    }
    named
}

#[test]
fn every_layer_names_only_the_layers_below_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut upward = Vec::new();
    for (layer, above) in LAYERS {
        for file in rust_files(&root.join(layer)) {
            let text = fs::read_to_string(&file).expect("source file");
            for (number, line) in text.lines().enumerate() {
                for module in crate_modules(line) {
                    if above.contains(&module.as_str()) {
                        let file = file.strip_prefix(root).unwrap_or(&file).display();
                        upward.push(format!("{file}:{}: names {module}", number + 1));
                    }
                }
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports that point up:\n{}",
        upward.join("\n")
    );
}

#[test]
fn the_scan_sees_plain_and_grouped_imports_but_not_comments() {
    assert_eq!(crate_modules("use crate::views::lazy::X;"), ["views"]);
    assert_eq!(
        crate_modules("use crate::{app, views::Family};"),
        ["app", "views"]
    );
    assert_eq!(crate_modules("// see crate::views"), Vec::<String>::new());
}
