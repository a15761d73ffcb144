//! The generated Python layer: one method per operation with the official name, keyword
//! arguments that map one-to-one onto wire names, and a deterministic output. When `python3` is
//! on the PATH, the generated `_operations.py` is also imported and called for real.

use std::collections::BTreeSet;
use std::io::Write as _;
use std::process::{Command, Stdio};

use codegen::model::Api;
use codegen::python;
use serde_json::json;

fn api() -> Api {
    Api::load(&codegen::workspace_root().join("core/api")).unwrap()
}

fn file(files: &python::Files, name: &str) -> String {
    files
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, t)| t.clone())
        .unwrap_or_else(|| panic!("{name} is not generated"))
}

/// The lines of `class <name>:` up to the next top-level statement.
fn class_body(text: &str, name: &str) -> String {
    let head = format!("class {name}:");
    let mut lines = text.lines().skip_while(|l| *l != head);
    assert!(lines.next().is_some(), "no class {name}");
    let body: Vec<&str> = lines
        .take_while(|l| l.is_empty() || l.starts_with(' '))
        .collect();
    body.join("\n")
}

#[test]
fn output_is_deterministic() {
    let api = api();
    let a = python::generate(&api).unwrap();
    let b =
        python::generate(&Api::load(&codegen::workspace_root().join("core/api")).unwrap()).unwrap();
    assert_eq!(a, b);
    let names: Vec<&str> = a.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "_operations.py",
            "_operations.pyi",
            "_async_operations.py",
            "_async_operations.pyi",
            "types.py"
        ]
    );
    for (name, text) in &a {
        assert!(
            text.starts_with(python::HEADER),
            "{name} lacks the DO-NOT-EDIT line"
        );
        assert!(
            !text.contains('\t') && !text.contains(" \n"),
            "{name}: tabs or trailing spaces"
        );
    }
}

#[test]
fn every_operation_has_its_methods() {
    let api = api();
    let files = python::generate(&api).unwrap();
    let py = file(&files, "_operations.py");
    let apy = file(&files, "_async_operations.py");
    for (class, prefix, module) in [
        ("SyncOperations", "def", "_operations"),
        ("AsyncOperations", "async def", "_async_operations"),
    ] {
        for ext in ["py", "pyi"] {
            let what = format!("{module}.{ext}");
            let body = class_body(&file(&files, &what), class);
            let defined: BTreeSet<&str> = body
                .lines()
                .filter_map(|l| l.strip_prefix(&format!("    {prefix} ")))
                .filter_map(|l| l.split('(').next())
                .filter(|n| !n.starts_with('_'))
                .collect();
            let wanted: BTreeSet<&str> = api.operations.iter().map(|o| o.name.as_str()).collect();
            assert_eq!(defined, wanted, "{what}: the methods of {class}");
        }
    }
    for op in &api.operations {
        let call = format!("self._call(\"{}\", ", op.name);
        for text in [&py, &apy] {
            assert_eq!(
                text.matches(&call).count(),
                1,
                "{} must call _call by its name",
                op.name
            );
        }
        if let Some(pg) = &op.pagination {
            assert!(
                py.contains(&format!("    \"{}\": (\"{}\", ", op.name, pg.items_field)),
                "PAGINATION lacks {}",
                op.name
            );
        }
    }
}

#[test]
fn keyword_arguments_map_one_to_one_onto_wire_names() {
    let api = api();
    let py = file(&python::generate(&api).unwrap(), "_operations.py");
    for op in &api.operations {
        let kwargs = python::kwargs(&api, op).unwrap();
        let flat = api.flat_params(op);
        assert_eq!(kwargs.len(), flat.len(), "{}", op.name);
        let names: BTreeSet<&str> = kwargs.iter().map(|k| k.name.as_str()).collect();
        assert_eq!(
            names.len(),
            kwargs.len(),
            "{}: two wire names share a keyword",
            op.name
        );
        let wires: BTreeSet<&str> = kwargs.iter().map(|k| k.param.field.name.as_str()).collect();
        let want: BTreeSet<&str> = flat.iter().map(|p| p.field.name.as_str()).collect();
        assert_eq!(wires, want, "{}", op.name);
        for k in &kwargs {
            assert!(python::is_identifier(&k.name), "{}: `{}`", op.name, k.name);
            assert_ne!(k.name, "self");
            assert_eq!(k.name, python::kwarg_name(&k.param.field.name));
            let pair = format!("({:?}, {})", k.param.field.name, k.name);
            assert!(
                py.contains(&pair),
                "{}: no {pair} in _operations.py",
                op.name
            );
        }
        // Required arguments come first.
        let first_optional = kwargs.iter().position(|k| !k.param.field.required);
        if let Some(i) = first_optional {
            assert!(
                kwargs[i..].iter().all(|k| !k.param.field.required),
                "{}",
                op.name
            );
        }
    }
    assert_eq!(python::kwarg_name("X-Language"), "x_language");
    assert_eq!(python::kwarg_name("X-Subject-Token"), "x_subject_token");
    assert_eq!(python::kwarg_name("lambda"), "lambda_");
}

/// Imports the generated `_operations.py` and `_async_operations.py` with `python3` and calls
/// every method of both mixins
/// with a distinct value per argument: the dict `_call` gets must be keyed by wire name, and the
/// arguments left at `None` must be absent.
#[test]
fn generated_methods_forward_wire_names_when_run() {
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("python3 not found: skipping the runtime check of _operations.py");
        return;
    }
    let api = api();
    let files = python::generate(&api).unwrap();
    let dir = std::env::temp_dir().join(format!("hcp-codegen-py-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("hcp")).unwrap();
    std::fs::write(dir.join("hcp/__init__.py"), "").unwrap();
    for name in ["_operations.py", "_async_operations.py"] {
        std::fs::write(dir.join("hcp").join(name), file(&files, name)).unwrap();
    }
    let expected: serde_json::Map<String, serde_json::Value> = api
        .operations
        .iter()
        .map(|op| {
            let kwargs = python::kwargs(&api, op).unwrap();
            let args: Vec<_> = kwargs
                .iter()
                .map(|k| json!([k.name, k.param.field.name, k.param.field.required]))
                .collect();
            (op.name.clone(), json!(args))
        })
        .collect();
    let paginated: Vec<&str> = api
        .operations
        .iter()
        .filter(|o| o.pagination.is_some())
        .map(|o| o.name.as_str())
        .collect();
    let script = r#"
import asyncio, inspect, json, sys
sys.path.insert(0, sys.argv[1])
before = set(sys.modules)
import hcp._operations as ops
import hcp._async_operations as aops
assert set(sys.modules) - before == {"hcp", "hcp._operations", "hcp._async_operations"}, sorted(set(sys.modules) - before)
want = json.loads(sys.stdin.readline())
paginated = json.loads(sys.stdin.readline())
assert ops.OPERATIONS == frozenset(want), sorted(ops.OPERATIONS ^ frozenset(want))
assert sorted(ops.PAGINATION) == sorted(paginated)

class S(ops.SyncOperations):
    def _call(self, operation, params, options=None):
        assert options is None
        return operation, params

class A(aops.AsyncOperations):
    async def _call(self, operation, params, options=None):
        assert options is None
        return operation, params

async def run_async(method, kwargs):
    return await method(**kwargs)

checked = 0
for name, args in want.items():
    for cls in (S, A):
        method = getattr(cls(), name)
        sig = inspect.signature(method)
        got = [(p.name, p.default is inspect.Parameter.empty) for p in sig.parameters.values()]
        assert got == [(a[0], a[2]) for a in args] + [("_options", False)], (name, got)
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in sig.parameters.values()), name
        assert inspect.iscoroutinefunction(method) == (cls is A), name
        assert method.__doc__ and method.__doc__.lstrip().startswith("`"), name
        assert all(a[0] in method.__doc__ for a in args), name
        full = {a[0]: "v:" + a[1] for a in args}
        minimal = {a[0]: "v:" + a[1] for a in args if a[2]}
        for kwargs in (full, minimal):
            call = method(**kwargs)
            op, params = asyncio.run(call) if cls is A else call
            assert op == name, (op, name)
            assert params == {v[2:]: v for v in kwargs.values()}, (name, params)
        checked += 1
print(checked)
"#;
    let mut child = Command::new("python3")
        .args(["-I", "-c", script])
        .arg(&dir)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let input = format!(
        "{}\n{}\n",
        serde_json::Value::Object(expected),
        json!(paginated)
    );
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        out.status.success(),
        "python3 rejected the generated _operations.py:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let checked: usize = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap();
    assert_eq!(checked, 2 * api.operations.len());
}
