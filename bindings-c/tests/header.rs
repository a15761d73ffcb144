//! include/hcpartner.h is what the pinned cbindgen makes of this crate (a test fails on drift),
//! its version macros are Cargo.toml's, its result codes are the facade's (core/api/faces.json),
//! and it has a getter for every field of the error report.

use std::path::{Path, PathBuf};

use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn generated() -> String {
    let dir = env!("CARGO_MANIFEST_DIR");
    let config = cbindgen::Config::from_file(Path::new(dir).join("cbindgen.toml")).unwrap();
    let mut out = Vec::new();
    cbindgen::Builder::new()
        .with_crate(dir)
        .with_config(config)
        .generate()
        .expect("cbindgen")
        .write(&mut out);
    String::from_utf8(out).unwrap()
}

fn checked_in() -> String {
    std::fs::read_to_string(root().join("include/hcpartner.h")).unwrap_or_default()
}

#[test]
fn header_is_current() {
    let fresh = generated();
    if std::env::var_os("HCP_BLESS").is_some() {
        std::fs::write(root().join("include/hcpartner.h"), &fresh).unwrap();
        return;
    }
    assert!(
        fresh == checked_in(),
        "include/hcpartner.h is stale: run `make header` and commit it"
    );
}

fn define(header: &str, name: &str) -> Option<String> {
    header.lines().find_map(|l| {
        let rest = l.strip_prefix("#define ")?.strip_prefix(name)?;
        rest.starts_with(' ').then(|| rest.trim().to_owned())
    })
}

#[test]
fn version_macros_are_cargo_toml_s() {
    let h = checked_in();
    for (name, want) in [
        ("HCP_VERSION_MAJOR", env!("CARGO_PKG_VERSION_MAJOR")),
        ("HCP_VERSION_MINOR", env!("CARGO_PKG_VERSION_MINOR")),
        ("HCP_VERSION_PATCH", env!("CARGO_PKG_VERSION_PATCH")),
    ] {
        assert_eq!(define(&h, name).as_deref(), Some(want), "{name}");
    }
}

fn faces() -> Value {
    let text = std::fs::read_to_string(root().join("core/api/faces.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// `InvalidArgument` -> `INVALID_ARGUMENT`.
fn screaming(kind: &str) -> String {
    let mut out = String::new();
    for (i, c) in kind.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_uppercase());
    }
    out
}

/// `NAME = N,` lines of the hcp_result enum.
fn result_values(h: &str) -> Vec<(String, u32)> {
    let end = h.find("} hcp_result;").expect("hcp_result in the header");
    let body = &h[h[..end].rfind("typedef enum {").unwrap()..end];
    body.lines()
        .filter_map(|l| {
            let (name, value) = l.trim().trim_end_matches(',').split_once(" = ")?;
            Some((name.to_owned(), value.parse().ok()?))
        })
        .collect()
}

#[test]
fn result_codes_are_the_facade_s() {
    let mut want = vec![("HCP_OK".to_owned(), 0)];
    for k in faces()["error_kinds"].as_array().unwrap() {
        let name = format!("HCP_{}", screaming(k["kind"].as_str().unwrap()));
        want.push((name, k["code"].as_u64().unwrap() as u32));
    }
    assert_eq!(result_values(&checked_in()), want);
}

#[test]
fn every_report_field_has_a_getter() {
    let h = checked_in();
    for f in faces()["report_fields"].as_array().unwrap() {
        let getter = format!(
            "hcp_error_{}(const hcp_error *err);",
            f["name"].as_str().unwrap()
        );
        assert!(h.contains(&getter), "no {getter} in the header");
    }
}

/// The header's function declarations (joined onto one line) with the comment before each.
fn functions(h: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = h.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        let is_decl =
            !l.starts_with([' ', '#', '/', '*', '}']) && l.contains(" hcp_") && l.contains('(');
        if !is_decl {
            i += 1;
            continue;
        }
        let mut decl = l.to_owned();
        let start = i;
        while !decl.ends_with(';') {
            i += 1;
            decl.push(' ');
            decl.push_str(lines[i].trim());
        }
        let doc: Vec<&str> = lines[..start]
            .iter()
            .rev()
            .take_while(|d| d.starts_with(" *") || d.starts_with("/**"))
            .copied()
            .collect();
        out.push((decl, doc.into_iter().rev().collect::<Vec<_>>().join(" ")));
        i += 1;
    }
    out
}

/// Each function's comment says who owns what. (A function that returns no pointer and takes
/// only `const` pointers, such as `hcp_error_status`, owns and keeps nothing.)
#[test]
fn every_function_says_who_owns_what() {
    let fns = functions(&checked_in());
    assert!(fns.len() >= 25, "found {} functions", fns.len());
    for (decl, doc) in fns {
        let (ret, params) = decl.split_once('(').unwrap();
        let owns_nothing = !ret.contains('*')
            && params
                .split(',')
                .all(|p| !p.contains('*') || p.trim().starts_with("const "));
        let said = ["Ownership", "Borrowed", "static"]
            .iter()
            .any(|w| doc.contains(w))
            || owns_nothing;
        assert!(said, "{decl} does not say who owns what: {doc}");
    }
}
