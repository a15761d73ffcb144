//! `hcpartner-emulator [--port N] [--site cn|intl] [--state FILE] [--seed] [--token-ttl SECS] [--review-delay SECS]`
//! (`--version` prints `hcpartner-emulator VERSION`, the workspace's version.)
//!
//! Starts the emulator on 127.0.0.1 and prints one JSON line on stdout once it listens: the URL,
//! the demo partner's credentials and the seeded ids. Logs go to stderr (`RUST_LOG` filters them).
//! Runs until killed. With `--state FILE` the state is loaded from FILE when it exists and written
//! after every change; `--seed` starts from the seed even when FILE exists. With
//! `--exit-with-stdin` it exits when its stdin closes (so a test harness that dies takes it along).

use std::io::Write;
use std::time::Duration;

use hcpartner_emulator::{Emulator, Options};

const USAGE: &str = "usage: hcpartner-emulator [--port N] [--site cn|intl] [--state FILE] [--seed] [--token-ttl SECS] [--review-delay SECS] [--exit-with-stdin] | --version";

fn parse(args: &[String]) -> Result<(Options, bool), String> {
    let mut opts = Options::default();
    let mut exit_with_stdin = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .cloned()
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match a.as_str() {
            "--port" => {
                opts.port = value("--port")?
                    .parse()
                    .map_err(|_| "--port must be a number from 0 to 65535".to_owned())?
            }
            "--state" => opts.state_file = Some(value("--state")?.into()),
            "--site" => {
                opts.site = value("--site")?
                    .parse()
                    .map_err(|_| "--site must be cn or intl".to_owned())?
            }
            "--seed" => opts.reseed = true,
            "--exit-with-stdin" => exit_with_stdin = true,
            "--token-ttl" => {
                opts.token_ttl = Duration::from_secs(
                    value("--token-ttl")?
                        .parse()
                        .map_err(|_| "--token-ttl must be seconds".to_owned())?,
                )
            }
            "--review-delay" => {
                opts.review_delay = Duration::from_secs(
                    value("--review-delay")?
                        .parse()
                        .map_err(|_| "--review-delay must be seconds".to_owned())?,
                )
            }
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    Ok((opts, exit_with_stdin))
}

fn main() {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "hcpartner_emulator=info".into()),
        )
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--version" || a == "-V") {
        println!("hcpartner-emulator {}", env!("CARGO_PKG_VERSION"));
        return;
    }
    let (opts, exit_with_stdin) = match parse(&args) {
        Ok(o) => o,
        Err(msg) => {
            eprintln!("{msg}");
            std::process::exit(2);
        }
    };
    let emu = match Emulator::start(opts) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("hcpartner-emulator: could not start: {e}");
            std::process::exit(1);
        }
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", emu.info());
    let _ = out.flush();
    drop(out);
    if exit_with_stdin {
        // The parent holds our stdin open; when it goes away (or closes it), so do we.
        std::thread::spawn(|| {
            let _ = std::io::copy(&mut std::io::stdin(), &mut std::io::sink());
            std::process::exit(0);
        });
    }
    loop {
        std::thread::park();
    }
}
