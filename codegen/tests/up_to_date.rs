//! `core/src/generated` must be exactly what the generator writes from `core/api` today.

#[test]
fn generated_code_matches_a_fresh_run() {
    let root = codegen::workspace_root();
    let outputs = codegen::generate(&root).unwrap_or_else(|e| panic!("the generator failed:\n{e}"));
    let diff = codegen::differences(&root, &outputs);
    let list: Vec<String> = diff.iter().map(|p| format!("  {}", p.display())).collect();
    assert!(
        diff.is_empty(),
        "core/src/generated differs from a fresh generator run; run `cargo run -p codegen` and commit the result.\n\
         Differing, missing or stale files:\n{}",
        list.join("\n")
    );
}

#[test]
fn generated_files_are_marked_and_small() {
    let outputs = codegen::generate(&codegen::workspace_root()).unwrap();
    assert!(outputs.len() > 10);
    for o in &outputs {
        assert!(
            o.text.starts_with(codegen::rust::HEADER),
            "{} lacks the DO-NOT-EDIT line",
            o.path.display()
        );
        let lines = o.text.lines().count();
        assert!(
            lines <= 1000,
            "{} has {lines} lines; lower codegen::rust::MAX_LINES",
            o.path.display()
        );
    }
}
