//! Documentation and contracts that must agree with the code.

use std::collections::{BTreeMap, BTreeSet};

use keyport_core::ErrorCode;
use keyport_tidy::{read, root};

/// The `## Heading` section of a Markdown file, up to the next `## `.
fn section<'a>(markdown: &'a str, heading: &str) -> &'a str {
    let start = markdown.find(&format!("\n## {heading}\n")).unwrap_or_else(|| panic!("no section ## {heading}"));
    let rest = &markdown[start + 4..];
    &rest[..rest.find("\n## ").unwrap_or(rest.len())]
}

/// Every `backticked` token of `text`.
fn backticked(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

#[test]
fn every_error_code_is_documented_and_every_documented_code_exists() {
    let readme = read("README.md");
    let documented: BTreeSet<&str> = section(&readme, "Error codes")
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .map(|rest| &rest[..rest.find('`').unwrap_or(0)])
        .collect();
    let defined: BTreeSet<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    let undocumented: Vec<_> = defined.difference(&documented).collect();
    let unknown: Vec<_> = documented.difference(&defined).collect();
    assert!(undocumented.is_empty(), "add these codes to README.md's Error codes table: {undocumented:?}");
    assert!(unknown.is_empty(), "README.md documents codes ErrorCode does not have: {unknown:?}");
}

#[test]
fn every_code_the_readme_mentions_anywhere_exists() {
    // Refusal lists elsewhere in the README name codes too; none may be stale.
    let readme = read("README.md");
    let defined: BTreeSet<&str> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
    for token in backticked(&readme) {
        let looks_like_code = token.contains('_')
            && token.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            && ["_not_found", "_taken", "_malformed", "_missing", "jwt_", "private_key_", "api_key_"]
                .iter()
                .any(|part| token.contains(part));
        if looks_like_code && !token.ends_with("_key") {
            assert!(defined.contains(token), "README.md mentions `{token}`, which is no error code");
        }
    }
}

/// Paths named in ARCHITECTURE.md: under a `## \`dir\`` heading, a path is
/// relative to the repository or to that folder, and a bare file name must
/// name exactly one file of that folder outside its test folders.
#[test]
fn every_path_the_code_map_names_exists() {
    let text = read("ARCHITECTURE.md");
    let mut missing = Vec::new();
    let mut checked = 0;
    for section in text.split("\n## ") {
        let heading = section.lines().next().unwrap_or("");
        let folder = backticked(heading).first().map(|p| p.trim_end_matches('/').to_string()).unwrap_or_default();
        // Code spans may wrap across lines: read the section as one text.
        let body = section.lines().skip(1).collect::<Vec<_>>().join(" ");
        for token in backticked(&body) {
            // Folders the build and the tests create are not in a clean clone.
            let generated = ["test-output", "target", "ui/dist", "node_modules"].iter().any(|g| token.starts_with(g));
            let is_path = !generated
                && !token.contains(' ')
                && !token.contains(':')
                && !token.starts_with(['~', '$', '/', '.'])
                && (token.contains('/') || has_source_extension(token));
            if !is_path {
                continue;
            }
            checked += 1;
            let path = token.trim_end_matches('/');
            let in_folder = !folder.is_empty()
                && (root().join(&folder).join(path).exists()
                    || (!path.contains('/') && find(&root().join(&folder), path) == 1));
            if !root().join(path).exists() && !in_folder {
                missing.push(token.to_string());
            }
        }
    }
    assert!(checked > 60, "the code map names only {checked} paths: is the parser still reading it?");
    assert!(missing.is_empty(), "ARCHITECTURE.md names paths that do not exist (or are ambiguous): {missing:?}");
}

fn has_source_extension(token: &str) -> bool {
    [".rs", ".ts", ".tsx", ".mjs", ".sh", ".sql", ".css", ".toml", ".json", ".md"].iter().any(|e| token.ends_with(e))
}

/// How many files named `name` the folder holds, outside test and
/// generated folders.
fn find(dir: &std::path::Path, name: &str) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
    entries
        .flatten()
        .map(|e| {
            let path = e.path();
            let file_name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if ["node_modules", "target", "dist", "tests", "benches", "specs"].contains(&file_name) {
                0
            } else if path.is_dir() {
                find(&path, name)
            } else {
                usize::from(file_name == name)
            }
        })
        .sum()
}

/// snake_case → camelCase, as Tauri renames command arguments.
fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The commands `generate_handler!` registers.
fn registered_commands() -> BTreeSet<String> {
    let main = read("src-tauri/src/main.rs");
    let start = main.find("generate_handler![").expect("generate_handler! in main.rs") + "generate_handler![".len();
    let list = &main[start..start + main[start..].find(']').expect("end of generate_handler!")];
    list.split(',')
        .map(|item| item.trim().trim_start_matches("commands::").to_string())
        .filter(|item| !item.is_empty())
        .collect()
}

/// Each `#[tauri::command]` function with the argument names the UI sends
/// (camelCase; the shell's own State/Window parameters left out).
fn declared_commands() -> BTreeMap<String, BTreeSet<String>> {
    let source = read("src-tauri/src/commands.rs");
    let mut commands = BTreeMap::new();
    for chunk in source.split("#[tauri::command]").skip(1) {
        let signature = &chunk[chunk.find("fn ").expect("fn after #[tauri::command]") + 3..];
        let name = signature[..signature.find('(').expect("(")].trim().to_string();
        let params = &signature[signature.find('(').expect("(") + 1..signature.find(')').expect(")")];
        let args = params
            .split(',')
            .filter_map(|p| p.split_once(':'))
            .filter(|(_, ty)| !ty.contains("State<") && !ty.contains("Window") && !ty.contains("AppHandle"))
            .map(|(name, _)| camel(name.trim().trim_start_matches("mut ")))
            .collect();
        commands.insert(name, args);
    }
    commands
}

/// Each `call<…>("command", { args })` in the UI's api module.
fn wrapped_commands() -> Vec<(String, BTreeSet<String>)> {
    let api = read("ui/src/lib/api.ts");
    let mut wrappers = Vec::new();
    for chunk in api.split("call<").skip(1) {
        let Some(open) = chunk.find("(\"") else { continue };
        let rest = &chunk[open + 2..];
        let name = rest[..rest.find('"').expect("closing quote")].to_string();
        let after = &rest[name.len() + 1..];
        let args = if after.trim_start().starts_with(", {") {
            let body = &after[after.find('{').expect("{") + 1..after.find('}').expect("}")];
            body.split(',')
                .map(|a| a.split(':').next().unwrap_or("").trim().to_string())
                .filter(|a| !a.is_empty())
                .collect()
        } else {
            BTreeSet::new()
        };
        wrappers.push((name, args));
    }
    wrappers
}

#[test]
fn every_registered_command_has_exactly_one_typed_wrapper_with_its_arguments() {
    let registered = registered_commands();
    let declared = declared_commands();
    let wrappers = wrapped_commands();
    assert!(registered.len() > 10, "parsed too few commands: {registered:?}");

    let declared_names: BTreeSet<String> = declared.keys().cloned().collect();
    assert_eq!(registered, declared_names, "generate_handler! and commands.rs disagree");

    for name in &registered {
        let uses: Vec<_> = wrappers.iter().filter(|(n, _)| n == name).collect();
        assert_eq!(uses.len(), 1, "command {name} needs exactly one wrapper in ui/src/lib/api.ts, has {}", uses.len());
        assert_eq!(uses[0].1, declared[name], "the wrapper of {name} sends other arguments than the command takes");
    }
    for (name, _) in &wrappers {
        assert!(registered.contains(name), "ui/src/lib/api.ts calls {name}, which is no registered command");
    }
}

/// `ui/src/lib/api.ts` is the only module that talks to the Rust side.
#[test]
fn only_the_api_module_invokes_commands() {
    fn walk(dir: &std::path::Path, found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, found);
            } else if path.extension().is_some_and(|e| e == "ts" || e == "tsx")
                && !path.ends_with("lib/api.ts")
                && !path.to_string_lossy().ends_with(".test.ts")
                && !path.to_string_lossy().ends_with(".test.tsx")
                && std::fs::read_to_string(&path).unwrap_or_default().contains("@tauri-apps/api/core")
            {
                found.push(path.display().to_string());
            }
        }
    }
    let mut found = Vec::new();
    walk(&root().join("ui/src"), &mut found);
    assert!(found.is_empty(), "only ui/src/lib/api.ts may import @tauri-apps/api/core: {found:?}");
}

/// Least privilege for the window: the app manifest (`src-tauri/build.rs`)
/// declares exactly the registered commands, and the only capability grants
/// exactly their `allow-` permissions to the main window, nothing of
/// `core:*` (window, menu, tray, devtools…) and no remote origin. Granting
/// anything more has to change this test.
#[test]
fn the_window_is_granted_exactly_the_apps_commands() {
    let registered = registered_commands();
    let build = read("src-tauri/build.rs");
    let start = build.find("const COMMANDS: &[&str] = &[").expect("COMMANDS in build.rs");
    let list = &build[start..start + build[start..].find("];").expect("end of COMMANDS")];
    let manifest: BTreeSet<String> = list.split('"').skip(1).step_by(2).map(str::to_string).collect();
    assert_eq!(manifest, registered, "src-tauri/build.rs and generate_handler! disagree");

    let capabilities: Vec<_> = std::fs::read_dir(root().join("src-tauri/capabilities"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(capabilities, ["default.json"], "one capability file only");
    let capability: serde_json::Value = serde_json::from_str(&read("src-tauri/capabilities/default.json")).unwrap();
    let keys: BTreeSet<&str> = capability.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, BTreeSet::from(["$schema", "identifier", "description", "windows", "permissions"]));
    assert_eq!(capability["windows"], serde_json::json!(["main"]));
    let granted: BTreeSet<String> =
        capability["permissions"].as_array().unwrap().iter().map(|p| p.as_str().unwrap().to_string()).collect();
    let expected: BTreeSet<String> = registered.iter().map(|c| format!("allow-{}", c.replace('_', "-"))).collect();
    assert_eq!(granted, expected, "the capability grants more or less than the app's commands");
}

/// The page may load only its own code and may not be framed, submit forms
/// elsewhere or change its base URL.
#[test]
fn the_content_security_policy_is_strict() {
    let config: serde_json::Value = serde_json::from_str(&read("src-tauri/tauri.conf.json")).unwrap();
    let csp = config["app"]["security"]["csp"].as_str().expect("a CSP string");
    let directives: BTreeMap<&str, &str> = csp.split(';').filter_map(|d| d.trim().split_once(' ')).collect();
    for (name, value) in
        [("object-src", "'none'"), ("base-uri", "'none'"), ("form-action", "'none'"), ("frame-ancestors", "'none'")]
    {
        assert_eq!(directives.get(name), Some(&value), "{name} in {csp}");
    }
    assert!(!directives["default-src"].contains('*') && !directives["default-src"].contains("unsafe"), "{csp}");
    assert!(!directives.contains_key("script-src"), "scripts follow default-src 'self': {csp}");
    assert!(config["app"]["security"].get("dangerousDisableAssetCspModification").is_none());
}
