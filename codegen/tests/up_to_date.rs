//! The generated files (`core/src/generated`, and the generated halves of the Python and Node
//! packages) must be exactly what the generator writes from `core/api` today.

use std::path::Path;

#[test]
fn generated_code_matches_a_fresh_run() {
    let root = codegen::workspace_root();
    let outputs = codegen::generate(&root).unwrap_or_else(|e| panic!("the generator failed:\n{e}"));
    let diff = codegen::differences(&root, &outputs);
    let list: Vec<String> = diff.iter().map(|p| format!("  {}", p.display())).collect();
    assert!(
        diff.is_empty(),
        "generated files differ from a fresh generator run; run `cargo run -p codegen` and commit the result.\n\
         Differing, missing or stale files:\n{}",
        list.join("\n")
    );
}

#[test]
fn generated_files_are_marked_and_small() {
    let outputs = codegen::generate(&codegen::workspace_root()).unwrap();
    assert!(outputs.len() > 10);
    for o in &outputs {
        let (header, max) = if o.path.starts_with(codegen::python::OUT) {
            (codegen::python::HEADER, codegen::python::MAX_LINES)
        } else if o.path.starts_with(codegen::typescript::OUT) {
            (
                codegen::typescript_faces::HEADER,
                codegen::typescript::MAX_LINES,
            )
        } else {
            assert!(o.path.starts_with(Path::new(codegen::RUST_OUT)));
            (codegen::rust::HEADER, 1000)
        };
        assert!(
            o.text.starts_with(header),
            "{} lacks the DO-NOT-EDIT line",
            o.path.display()
        );
        let lines = o.text.lines().count();
        assert!(
            lines <= max,
            "{} has {lines} lines (at most {max}); split it",
            o.path.display()
        );
    }
}
