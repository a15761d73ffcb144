//! The secrets this emulator holds or hands out, for a test that scans what clients printed
//! (`make test-secrets`, tests/secrets/scan.py). With `HCP_EMULATOR_SECRETS` naming a file, each
//! is appended to it, one a line: at start the partner's secret key and password and the seeded
//! customers' passwords; then the password of each customer created, each IAM token, each
//! temporary secret key and security token. Off (nothing written) without the variable.

use std::io::Write;
use std::sync::{Mutex, OnceLock};

fn file() -> Option<&'static Mutex<std::fs::File>> {
    static FILE: OnceLock<Option<Mutex<std::fs::File>>> = OnceLock::new();
    FILE.get_or_init(|| {
        let path = std::env::var_os("HCP_EMULATOR_SECRETS")?;
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(|e| tracing::warn!(path = ?path, error = %e, "cannot record issued secrets"))
            .ok()?;
        Some(Mutex::new(file))
    })
    .as_ref()
}

/// Appends `secret` to the record (one write, so lines of several processes do not mix).
pub(crate) fn record(secret: &str) {
    if let Some(f) = file() {
        let mut f = f.lock().unwrap_or_else(|p| p.into_inner());
        let _ = f.write_all(format!("{secret}\n").as_bytes());
    }
}

/// The secrets an emulator starts with.
pub(crate) fn record_configured(creds: &crate::Credentials) {
    if file().is_some() {
        for s in [
            creds.sk.as_str(),
            creds.password.as_str(),
            crate::state::seed::SEED_RESALE_PASSWORD,
            crate::state::seed::SEED_CONSULTING_PASSWORD,
        ] {
            record(s);
        }
    }
}
