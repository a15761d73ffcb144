//! The core's `tracing` events (seen as `log` records) into Python's `logging`, under the logger
//! `hcpartner`, without importing `logging` for programs that never use it.
//!
//! pyo3-log carries the records, but its logger imports `logging` (1.35 MiB of RSS, more than
//! `import hcpartner`). So the logger installed here holds pyo3-log's lazily and connects it:
//! - when `logging` is already imported, at client creation and at the start of every call from
//!   Python (`connect_if_imported`), so logging set up before a call sees all of its events;
//! - on a WARN or ERROR record, importing `logging` then, so that warnings still reach
//!   `logging.lastResort` (stderr) in a program that never set logging up.
//!
//! Before that, DEBUG and INFO records are dropped: with `logging` not imported, no handler or
//! level can have been configured for them.

use std::sync::{Once, OnceLock};

use log::{Level, LevelFilter, Log, Metadata, Record};
use pyo3::prelude::*;

/// pyo3-log's logger, once `logging` is imported. It caches each Python logger's level; each new
/// client drops that cache, so logging configured after the first call (a notebook's
/// `basicConfig`) is seen by later clients.
static PYTHON: OnceLock<pyo3_log::Logger> = OnceLock::new();

#[derive(Debug)]
struct Lazy;

static LAZY: Lazy = Lazy;

impl Log for Lazy {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        match PYTHON.get() {
            Some(l) => l.enabled(metadata),
            None => metadata.level() <= Level::Warn,
        }
    }

    fn log(&self, record: &Record<'_>) {
        let logger = match PYTHON.get() {
            Some(l) => l,
            None if record.level() <= Level::Warn => {
                // Not attached during shutdown (a runtime thread's late warning): dropped.
                match Python::try_attach(connect).flatten() {
                    Some(l) => l,
                    None => return,
                }
            }
            None => return,
        };
        logger.log(record);
    }

    fn flush(&self) {}
}

/// Installs the lazy logger (once; it imports nothing), before a client is built so that the
/// warnings of its construction (`verify_tls=False`) are carried too.
fn install() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        if log::set_logger(&LAZY).is_ok() {
            // What pyo3-log's own install sets: its default filter.
            log::set_max_level(LevelFilter::Debug);
        }
    });
}

/// Creates pyo3-log's logger (importing `logging`) unless it exists.
fn connect(py: Python<'_>) -> Option<&'static pyo3_log::Logger> {
    if let Some(l) = PYTHON.get() {
        return Some(l);
    }
    // Built outside the OnceLock: the import can release the GIL, and a thread waiting in
    // `get_or_init` while holding it would deadlock with this one. A loser drops its copy.
    // An exception already raised (a record logged on the way out of a failing call) is kept.
    let pending = PyErr::take(py);
    if let Ok(l) = pyo3_log::Logger::new(py, pyo3_log::Caching::LoggersAndLevels) {
        let _ = PYTHON.set(l);
    }
    if let Some(e) = pending {
        e.restore(py);
    }
    PYTHON.get()
}

/// Connects pyo3-log when the program has imported `logging`: called at client creation and at
/// the start of every call from Python. Once connected, an atomic load.
pub fn connect_if_imported(py: Python<'_>) {
    if PYTHON.get().is_none() && crate::imported(py, pyo3::intern!(py, "logging")) {
        connect(py);
    }
}

/// With each new client (and `hcpartner.refresh_logging()`): the lazy logger installed, pyo3-log
/// connected if `logging` is imported, and its level cache dropped.
pub fn refresh_logging(py: Python<'_>) {
    install();
    connect_if_imported(py);
    if let Some(l) = PYTHON.get() {
        l.reset_handle().reset();
    }
}
