//! One version everywhere: Cargo.toml's `[workspace.package] version` is every crate's, the
//! wheel's (pyproject takes it from Cargo), the npm package's (package.json and its lockfile), the
//! C header's version macros, and CHANGELOG.md has a section for it. At run time
//! `hcpartner.__version__`, the Node `version` export and `hcp_version()` are the crates' version
//! (tests/python, tests/node, tests/c, and tests/dist for what dist/ ships).

use std::path::{Path, PathBuf};

use serde_json::Value;

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn json(path: &str) -> Value {
    serde_json::from_str(&read(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_workspace_version_is_cargo_toml_s() {
    let manifest = read("Cargo.toml");
    let declared = manifest
        .lines()
        .find_map(|l| l.strip_prefix("version = \""))
        .and_then(|v| v.strip_suffix('"'));
    assert_eq!(declared, Some(VERSION));
}

#[test]
fn every_crate_takes_the_workspace_version() {
    let manifest = read("Cargo.toml");
    let members = manifest
        .lines()
        .find_map(|l| l.strip_prefix("members = ["))
        .expect("members in Cargo.toml");
    for member in members.trim_end_matches(']').split(',') {
        let member = member.trim().trim_matches('"');
        let toml = read(&format!("{member}/Cargo.toml"));
        assert!(
            toml.lines().any(|l| l.trim() == "version.workspace = true"),
            "{member}/Cargo.toml must say version.workspace = true"
        );
    }
}

#[test]
fn the_wheel_takes_its_version_from_cargo() {
    let pyproject = read("bindings-python/pyproject.toml");
    assert!(pyproject.contains("dynamic = [\"version\"]"));
    assert!(
        !pyproject.lines().any(|l| l.starts_with("version")),
        "no version of its own in pyproject.toml"
    );
}

#[test]
fn the_npm_package_and_its_lockfile_have_it() {
    let package = json("bindings-node/package.json");
    assert_eq!(package["version"], VERSION, "bindings-node/package.json");
    let lock = json("bindings-node/package-lock.json");
    assert_eq!(lock["version"], VERSION, "bindings-node/package-lock.json");
    assert_eq!(
        lock["packages"][""]["version"], VERSION,
        "bindings-node/package-lock.json packages[\"\"]"
    );
}

#[test]
fn the_c_header_macros_have_it() {
    let header = read("include/hcpartner.h");
    let macro_value = |name: &str| {
        header.lines().find_map(|l| {
            let rest = l.strip_prefix("#define ")?.strip_prefix(name)?;
            rest.starts_with(' ').then(|| rest.trim().to_owned())
        })
    };
    let parts: Vec<String> = ["MAJOR", "MINOR", "PATCH"]
        .iter()
        .map(|p| macro_value(&format!("HCP_VERSION_{p}")).expect(p))
        .collect();
    assert_eq!(parts.join("."), VERSION);
}

#[test]
fn the_changelog_has_a_section_for_it() {
    let changelog = read("CHANGELOG.md");
    assert!(changelog.contains("Keep a Changelog"));
    let heading = format!("## [{VERSION}]");
    assert!(
        changelog.lines().any(|l| l.starts_with(&heading)),
        "CHANGELOG.md has no `{heading} - DATE` section"
    );
    assert!(
        changelog.contains(&format!("[{VERSION}]: ")),
        "CHANGELOG.md has no link for [{VERSION}]"
    );
}
