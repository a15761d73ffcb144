//! The hcpartner code generator: reads the API description in `core/api/` and writes
//! `core/src/generated/` and the generated half of the Python package
//! (`bindings-python/python/hcpartner/`: `_operations.py`, `_operations.pyi`, `types.py`, and from
//! `faces.json` `errors.py`, `credentials.py`, `_client_base.py`), and the generated half of the
//! Node package (`bindings-node/`: `lib/operations.js`, `lib/errors.js`, `lib/credentials.js`,
//! `index.d.ts`, `types/*.d.ts`).
//!
//! `cargo run -p codegen` writes the files; `cargo run -p codegen -- --check` lists the files that
//! differ from a fresh run and exits 1. Rust output is passed through `rustfmt` (the toolchain's,
//! or `$RUSTFMT`) with the workspace's configuration, so `cargo fmt --check` agrees with it.

pub mod docs;
pub mod faces;
pub mod model;
pub mod names;
mod parse;
pub mod python;
mod python_docs;
pub mod python_faces;
pub mod rust;
pub mod typescript;
pub mod typescript_faces;

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The workspace root (the directory holding `core/` and `codegen/`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Where the Rust output goes, relative to the workspace root.
pub const RUST_OUT: &str = "core/src/generated";

/// One output file: its path relative to the workspace root, and its final content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    pub path: PathBuf,
    pub text: String,
}

/// Runs every generator in memory and returns the formatted files.
pub fn generate(root: &Path) -> Result<Vec<Output>, String> {
    let api = model::Api::load(&root.join("core/api"))?;
    let files = rust::generate(&api)?;
    let mut out = Vec::new();
    for (rel, text) in files {
        let text = rustfmt(&text, root).map_err(|e| format!("{RUST_OUT}/{rel}: {e}"))?;
        out.push(Output {
            path: Path::new(RUST_OUT).join(rel),
            text,
        });
    }
    let faces = faces::Faces::load(&root.join("core/api"))?;
    let face_files = [
        ("errors.py", python_faces::errors_py(&faces)),
        ("credentials.py", python_faces::credentials_py(&faces)),
        ("_client_base.py", python_faces::client_base_py(&faces)),
    ];
    let face_files = face_files.into_iter().map(|(n, t)| (n.to_owned(), t));
    for (rel, text) in python::generate(&api)?.into_iter().chain(face_files) {
        out.push(Output {
            path: Path::new(python::OUT).join(rel),
            text,
        });
    }
    for (rel, text) in typescript::generate(&api, &faces)? {
        out.push(Output {
            path: Path::new(typescript::OUT).join(rel),
            text,
        });
    }
    Ok(out)
}

/// Files under the output directories that differ from `outputs`, are missing, or are stale
/// (present but no longer generated). Paths relative to `root`.
pub fn differences(root: &Path, outputs: &[Output]) -> Vec<PathBuf> {
    let mut diff = Vec::new();
    for o in outputs {
        match std::fs::read_to_string(root.join(&o.path)) {
            Ok(text) if text == o.text => {}
            _ => diff.push(o.path.clone()),
        }
    }
    let generated_dirs = [RUST_OUT, typescript::TYPES_OUT];
    for existing in generated_dirs
        .iter()
        .flat_map(|d| list_files(&root.join(d)))
    {
        let rel = existing
            .strip_prefix(root)
            .map(Path::to_path_buf)
            .unwrap_or(existing);
        if !outputs.iter().any(|o| o.path == rel) {
            diff.push(rel);
        }
    }
    diff.sort();
    diff
}

/// Writes `outputs` under `root` and deletes stale generated files. Returns the paths changed.
pub fn write(root: &Path, outputs: &[Output]) -> Result<Vec<PathBuf>, String> {
    let changed = differences(root, outputs);
    for path in &changed {
        let full = root.join(path);
        match outputs.iter().find(|o| &o.path == path) {
            Some(o) => {
                if let Some(dir) = full.parent() {
                    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                }
                std::fs::write(&full, &o.text).map_err(|e| format!("{}: {e}", full.display()))?;
            }
            None => std::fs::remove_file(&full).map_err(|e| format!("{}: {e}", full.display()))?,
        }
    }
    Ok(changed)
}

fn list_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(list_files(&p));
            } else {
                out.push(p);
            }
        }
    }
    out
}

/// Formats Rust source with rustfmt, using the configuration found from `root`.
fn rustfmt(src: &str, root: &Path) -> Result<String, String> {
    let program = std::env::var_os("RUSTFMT").unwrap_or_else(|| "rustfmt".into());
    let mut child = Command::new(&program)
        .args(["--edition", "2021", "--emit", "stdout", "--quiet"])
        .current_dir(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            format!("cannot run rustfmt ({e}); install it with `rustup component add rustfmt`")
        })?;
    let mut stdin = child.stdin.take().ok_or("rustfmt: no stdin")?;
    let input = src.to_owned();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child
        .wait_with_output()
        .map_err(|e| format!("rustfmt: {e}"))?;
    writer
        .join()
        .map_err(|_| "rustfmt: writer panicked".to_owned())?
        .map_err(|e| format!("rustfmt: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "rustfmt failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    String::from_utf8(out.stdout).map_err(|e| format!("rustfmt: {e}"))
}
