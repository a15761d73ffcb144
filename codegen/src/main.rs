//! `cargo run -p codegen` writes `core/src/generated/`; `-- --check` lists what differs and exits 1.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let check = match args.as_slice() {
        [] => false,
        [a] if a == "--check" => true,
        _ => {
            eprintln!("usage: cargo run -p codegen [-- --check]");
            return ExitCode::from(2);
        }
    };
    let root = codegen::workspace_root();
    let outputs = match codegen::generate(&root) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("codegen: {e}");
            return ExitCode::from(2);
        }
    };
    if check {
        let diff = codegen::differences(&root, &outputs);
        if diff.is_empty() {
            println!("codegen: {} files up to date", outputs.len());
            return ExitCode::SUCCESS;
        }
        eprintln!("codegen: these files differ from a fresh run (run `cargo run -p codegen`):");
        for p in diff {
            eprintln!("  {}", p.display());
        }
        return ExitCode::from(1);
    }
    match codegen::write(&root, &outputs) {
        Ok(changed) => {
            for p in &changed {
                let verb = if outputs.iter().any(|o| &o.path == p) {
                    "wrote"
                } else {
                    "removed"
                };
                println!("{verb} {}", p.display());
            }
            let lines: usize = outputs.iter().map(|o| o.text.lines().count()).sum();
            println!(
                "codegen: {} files, {lines} lines, {} changed",
                outputs.len(),
                changed.len()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("codegen: {e}");
            ExitCode::from(2)
        }
    }
}
