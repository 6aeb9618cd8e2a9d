//! `cargo xtask contract`: which Social+ endpoints the client calls, and for each whether
//! the official spec declares it, the stand-in serves it and a contract test covers it.
//!
//! Sources, all read as text so the table cannot drift from the code:
//! * client — the doc line ``/// `METHOD /path`…`` that starts the doc comment of every type
//!   that implements `Endpoint` in `upstream/src/endpoints/*.rs` (a type without one fails
//!   the command);
//! * spec — `paths` of every `swagger*.yaml` under `upstream/spec/`, plus the newer admin
//!   fragments `v1-admin/<name>/index.yaml`, mounted at `/admin/v1/<name>[/<key>]`;
//! * stand-in — the `.route("/path", get(..).post(..))` calls in `standin/src/handlers/`;
//! * tested — `METHOD /path` or `("METHOD", "/path")` in the contract and client tests.
//!
//! Paths compare with their parameter names erased (`/users/{userId}` = `/users/{user_id}` =
//! `/users/:userId`, the spec's express style).
//! Exits non-zero when an endpoint the client calls has no test.

use crate::cmd;
use anyhow::{Context, bail};
use std::{
    collections::{BTreeMap, BTreeSet},
    fmt::Write as _,
    path::{Path, PathBuf},
};

const METHODS: [&str; 5] = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/// One endpoint: upper-case method and a path with its parameters erased to `{}`.
type Endpoint = (String, String);

/// A row of the coverage table.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Path as the client's doc comment writes it.
    pub display_path: String,
    /// Declared in the official spec.
    pub in_spec: bool,
    /// Served by the stand-in.
    pub in_standin: bool,
    /// Named by a test.
    pub tested: bool,
}

/// Prints the table; fails if any endpoint the client calls is untested.
pub fn run() -> anyhow::Result<()> {
    let root = cmd::root();
    let table = coverage(&root)?;
    print!("{}", render(&table));
    let untested: Vec<String> = table
        .iter()
        .filter(|(_, c)| !c.tested)
        .map(|((m, _), c)| format!("{m} {}", c.display_path))
        .collect();
    if !untested.is_empty() {
        bail!(
            "{} endpoint(s) the client calls have no contract test: {}",
            untested.len(),
            untested.join(", ")
        );
    }
    Ok(())
}

/// The coverage of every endpoint the client calls, sorted by path then method.
pub fn coverage(root: &Path) -> anyhow::Result<BTreeMap<Endpoint, Coverage>> {
    let client = client_endpoints(&root.join("upstream/src/endpoints"))?;
    let spec = spec_endpoints(&root.join("upstream/spec"))?;
    let standin = standin_endpoints(&root.join("standin/src/handlers"))?;
    let tested = tested_endpoints(&[root.join("standin/tests"), root.join("upstream/tests")])?;
    Ok(client
        .into_iter()
        .map(|(endpoint, display_path)| {
            let row = Coverage {
                display_path,
                in_spec: spec.contains(&endpoint),
                in_standin: standin.contains(&endpoint),
                tested: tested.contains(&endpoint),
            };
            (endpoint, row)
        })
        .collect())
}

/// The table as Markdown, with a totals line.
pub fn render(table: &BTreeMap<Endpoint, Coverage>) -> String {
    let mark = |yes: bool| if yes { "yes" } else { "**no**" };
    let mut out =
        String::from("| Endpoint | In spec | Stand-in | Client | Tested |\n|---|---|---|---|---|\n");
    for ((method, _), row) in table {
        let _ = writeln!(
            out,
            "| `{method} {}` | {} | {} | yes | {} |",
            row.display_path,
            mark(row.in_spec),
            mark(row.in_standin),
            mark(row.tested)
        );
    }
    let count = |f: fn(&Coverage) -> bool| table.values().filter(|c| f(c)).count();
    let _ = writeln!(
        out,
        "\n{} endpoints: {} in the spec, {} served by the stand-in, {} tested.",
        table.len(),
        count(|c| c.in_spec),
        count(|c| c.in_standin),
        count(|c| c.tested)
    );
    out
}

/// `/users/{userId}/x` (or `/users/:userId/x`) → `/users/{}/x`; a trailing `?query` or `/`
/// is dropped.
pub fn normalize(path: &str) -> String {
    let path = path.split('?').next().unwrap_or_default();
    let mut out = String::new();
    let (mut in_param, mut in_colon_param) = (false, false);
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            _ if in_param => {}
            ':' if out.ends_with('/') => {
                in_colon_param = true;
                out.push_str("{}");
            }
            '/' => {
                in_colon_param = false;
                out.push(c);
            }
            _ if in_colon_param => {}
            _ => out.push(c),
        }
    }
    if out.len() > 1 && out.ends_with('/') {
        out.pop();
    }
    out
}

/// A `METHOD /path` pair at the start of `text` (after optional quotes/commas/spaces
/// between the two), e.g. `GET /api/v3/users` or `GET", "/api/v3/users`.
fn method_and_path(text: &str) -> Option<(String, String, usize)> {
    let method = METHODS.iter().find(|m| text.starts_with(**m))?;
    let rest = &text[method.len()..];
    let gap = rest.len() - rest.trim_start_matches(['"', ',', ' ', '\'']).len();
    if gap == 0 {
        return None;
    }
    let rest = &rest[gap..];
    if !rest.starts_with('/') {
        return None;
    }
    let end =
        rest.find(|c: char| !(c.is_ascii_alphanumeric() || "/{}_-.:".contains(c))).unwrap_or(rest.len());
    // A sentence or clause may end right after the path.
    let path = rest[..end].trim_end_matches(['.', ':']);
    Some(((*method).to_owned(), path.to_owned(), method.len() + gap + end))
}

/// Every `METHOD /path` mention in `text`.
fn mentions(text: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut index = 0;
    while index < text.len() {
        if text.is_char_boundary(index)
            && let Some((method, path, len)) = method_and_path(&text[index..])
        {
            found.push((method, path));
            index += len;
        } else {
            index += 1;
        }
    }
    found
}

fn rust_files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs" || e == "yaml") {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Endpoint → path as written, from the first doc line of each type implementing `Endpoint`.
/// Fails naming every endpoint type whose doc comment does not start with `METHOD /path`.
fn client_endpoints(dir: &Path) -> anyhow::Result<BTreeMap<Endpoint, String>> {
    let mut endpoints = BTreeMap::new();
    let mut undocumented = Vec::new();
    for file in rust_files(dir)? {
        let text = std::fs::read_to_string(&file)?;
        for name in endpoint_types(&text) {
            match first_doc_line(&text, &name).and_then(method_and_path) {
                Some((method, path, _)) => {
                    let display = path.split('?').next().unwrap_or_default().to_owned();
                    endpoints.insert((method, normalize(&path)), display);
                }
                None => undocumented.push(format!("{name} ({})", file.display())),
            }
        }
    }
    if !undocumented.is_empty() {
        bail!(
            "endpoint types whose doc comment does not start with `METHOD /path`: {}",
            undocumented.join(", ")
        );
    }
    Ok(endpoints)
}

/// The names of the types with an `impl Endpoint for Name` (or `Name<'_>`) in `text`.
fn endpoint_types(text: &str) -> Vec<String> {
    text.split("impl Endpoint for ")
        .skip(1)
        .map(|rest| rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect::<String>())
        .filter(|name| !name.is_empty())
        .collect()
}

/// The first line of the doc comment on `pub struct name` / `pub enum name`, after `/// `,
/// skipping attributes between the comment and the item.
fn first_doc_line<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let lines: Vec<&str> = text.lines().collect();
    let declares = |line: &str| {
        ["pub struct ", "pub enum "].iter().any(|kind| {
            line.strip_prefix(kind)
                .and_then(|rest| rest.strip_prefix(name))
                .is_some_and(|after| after.is_empty() || after.starts_with(['<', ' ', ';', '(', '{']))
        })
    };
    let item = lines.iter().position(|line| declares(line.trim_start()))?;
    let mut first = None;
    for line in lines[..item].iter().rev().map(|l| l.trim_start()) {
        if let Some(doc) = line.strip_prefix("///") {
            first = Some(doc.trim_start());
        } else if !line.starts_with("#[") {
            break;
        }
    }
    first.and_then(|doc| doc.strip_prefix('`'))
}

fn spec_endpoints(dir: &Path) -> anyhow::Result<BTreeSet<Endpoint>> {
    let mut endpoints = BTreeSet::new();
    let mut add_operations = |path: &str, item: &serde_yaml::Value| {
        if let Some(map) = item.as_mapping() {
            for key in map.keys().filter_map(|k| k.as_str()) {
                let method = key.to_ascii_uppercase();
                if METHODS.contains(&method.as_str()) {
                    endpoints.insert((method, normalize(path)));
                }
            }
        }
    };
    for file in rust_files(dir)? {
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let is_swagger = name.starts_with("swagger") && name.ends_with(".yaml");
        let admin_fragment = name == "index.yaml"
            && file
                .parent()
                .and_then(Path::parent)
                .and_then(Path::file_name)
                .is_some_and(|n| n == "v1-admin");
        if !is_swagger && !admin_fragment {
            continue;
        }
        let text = std::fs::read_to_string(&file)?;
        let doc: serde_yaml::Value =
            serde_yaml::from_str(&text).with_context(|| format!("parsing {}", file.display()))?;
        if is_swagger {
            if let Some(paths) = doc.get("paths").and_then(|p| p.as_mapping()) {
                for (path, item) in paths {
                    if let Some(path) = path.as_str() {
                        // A `$ref`'d path item is counted from its fragment (below) when it
                        // is one of the admin fragments; otherwise its methods are inline.
                        add_operations(path, item);
                    }
                }
            }
        } else if let Some(resource) = file.parent().and_then(Path::file_name).and_then(|n| n.to_str())
            && let Some(items) = doc.as_mapping()
        {
            for (key, item) in items {
                let Some(key) = key.as_str() else { continue };
                let path = if key == "root" {
                    format!("/admin/v1/{resource}")
                } else {
                    format!("/admin/v1/{resource}/{key}")
                };
                add_operations(&path, item);
            }
        }
    }
    Ok(endpoints)
}

fn standin_endpoints(dir: &Path) -> anyhow::Result<BTreeSet<Endpoint>> {
    let mut endpoints = BTreeSet::new();
    for file in rust_files(dir)? {
        let text = std::fs::read_to_string(&file)?;
        for chunk in text.split(".route(").skip(1) {
            let Some(path) = chunk.trim_start().strip_prefix('"').and_then(|r| r.split('"').next()) else {
                continue;
            };
            let handlers = route_arguments(chunk);
            for method in METHODS {
                let lower = method.to_ascii_lowercase();
                let called = handlers.match_indices(&format!("{lower}(")).any(|(at, _)| {
                    at == 0 || !handlers[..at].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
                });
                if called {
                    endpoints.insert((method.to_owned(), normalize(path)));
                }
            }
        }
    }
    Ok(endpoints)
}

/// The text of a `.route(` call's arguments: up to its closing parenthesis.
fn route_arguments(after_open: &str) -> &str {
    let mut depth = 1;
    for (at, c) in after_open.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &after_open[..at];
                }
            }
            _ => {}
        }
    }
    after_open
}

fn tested_endpoints(dirs: &[PathBuf]) -> anyhow::Result<BTreeSet<Endpoint>> {
    let mut endpoints = BTreeSet::new();
    for dir in dirs.iter().filter(|d| d.exists()) {
        for file in rust_files(dir)? {
            let text = std::fs::read_to_string(&file)?;
            for (method, path) in mentions(&text) {
                endpoints.insert((method, normalize(&path)));
            }
        }
    }
    Ok(endpoints)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameter_names_and_queries_do_not_matter() {
        assert_eq!(normalize("/api/v3/users/{userId}"), "/api/v3/users/{}");
        assert_eq!(normalize("/api/v2/blacklist/records/:ruleId"), "/api/v2/blacklist/records/{}");
        assert_eq!(normalize("/admin/v1/a:b"), "/admin/v1/a:b");
        assert_eq!(normalize("/api/v3/users/{user_id}/flags"), "/api/v3/users/{}/flags");
        assert_eq!(normalize("/api/v3/users/list?userIds[]=…"), "/api/v3/users/list");
    }

    #[test]
    fn mentions_are_found_in_both_spellings() {
        let text = r#"spec.has_operation("GET", "/api/v3/users/{userId}"); // DELETE /admin/v1/contents."#;
        assert_eq!(
            mentions(text),
            vec![
                ("GET".to_owned(), "/api/v3/users/{userId}".to_owned()),
                ("DELETE".to_owned(), "/admin/v1/contents".to_owned())
            ]
        );
        assert!(mentions("GETTER /x and GET/x").is_empty());
    }

    #[test]
    fn endpoints_are_the_documented_types_that_implement_endpoint() {
        let text = r#"
/// `GET /api/v3/users/{userId}`: one user.
#[derive(Clone, Copy, Debug)]
pub struct GetUser<'a> {
    pub user_id: &'a str,
}
impl Endpoint for GetUser<'_> {}

/// `PUT /api/v2/blacklist/records/:ruleId` (express style).
pub struct SetRecordEnabled;
impl Endpoint for SetRecordEnabled {}

/// `GET /api/v3/roles` parameters: not an endpoint, not counted.
pub struct RoleQuery;
"#;
        let dir = tempdir_with("documented.rs", text);
        let found = client_endpoints(&dir).expect("parse");
        let keys: Vec<&Endpoint> = found.keys().collect();
        assert_eq!(
            keys,
            vec![
                &("GET".to_owned(), "/api/v3/users/{}".to_owned()),
                &("PUT".to_owned(), "/api/v2/blacklist/records/{}".to_owned())
            ]
        );
        std::fs::write(
            dir.join("documented.rs"),
            "/// Gets a user.\npub struct GetUser;\nimpl Endpoint for GetUser {}\n",
        )
        .expect("write");
        let err = client_endpoints(&dir).expect_err("an undocumented endpoint fails");
        assert!(err.to_string().contains("GetUser"), "{err}");
    }

    #[test]
    fn routes_are_read_from_their_own_call_only() {
        let text = r#"Router::new().route("/a/{id}", get(one).delete(two)).route("/b", post(three));
            fn later(row: Row) { row.get("x"); }"#;
        let dir = tempdir_with("routes.rs", text);
        let found = standin_endpoints(&dir).expect("parse");
        let expected: BTreeSet<Endpoint> = [("GET", "/a/{}"), ("DELETE", "/a/{}"), ("POST", "/b")]
            .into_iter()
            .map(|(m, p)| (m.to_owned(), p.to_owned()))
            .collect();
        assert_eq!(found, expected);
    }

    fn tempdir_with(name: &str, text: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-contract-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        std::fs::write(dir.join(name), text).expect("write");
        dir
    }

    #[test]
    fn this_repository_has_a_consistent_table() {
        let table = coverage(&cmd::root()).expect("coverage");
        let users =
            table.get(&("GET".to_owned(), "/api/v3/users/{}".to_owned())).expect("get user is listed");
        assert_eq!(
            users,
            &Coverage {
                display_path: "/api/v3/users/{userId}".into(),
                in_spec: true,
                in_standin: true,
                tested: true
            }
        );
    }
}
