//! The core's events (`tracing`, seen as `log` records) for the JS `logger` option. Nothing is
//! forwarded until a logger is set: the level stays off, so an event costs one comparison. The
//! core never puts a secret in an event; this only moves the text.

use std::sync::RwLock;

use napi::bindgen_prelude::{FnArgs, Function};
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi::Status;
use napi_derive::napi;

type Event = (u32, String, String);
// FnArgs: the tuple arrives as separate arguments, not as one array.
type Tsfn = ThreadsafeFunction<Event, (), FnArgs<Event>, Status, false, true>;

static SINK: RwLock<Option<Tsfn>> = RwLock::new(None);

struct Forward;

impl log::Log for Forward {
    fn enabled(&self, meta: &log::Metadata<'_>) -> bool {
        meta.target().starts_with("hcpartner")
    }

    fn log(&self, record: &log::Record<'_>) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let sink = SINK.read().unwrap_or_else(|p| p.into_inner());
        if let Some(tsfn) = sink.as_ref() {
            let event = (
                record.level() as u32,
                record.target().to_owned(),
                record.args().to_string(),
            );
            let _ = tsfn.call(event, ThreadsafeFunctionCallMode::NonBlocking);
        }
    }

    fn flush(&self) {}
}

/// Sends the core's events at `level` and above (1 error … 4 debug, 0 none) to
/// `on_event(level, target, message)`, which the JS layer hands to the loggers.
#[napi]
pub fn set_log_sink(on_event: Function<FnArgs<Event>, ()>, level: u32) -> napi::Result<()> {
    let tsfn = on_event
        .build_threadsafe_function::<Event>()
        .callee_handled::<false>()
        .weak::<true>()
        .build_callback(|ctx| Ok(FnArgs::from(ctx.value)))?;
    *SINK.write().unwrap_or_else(|p| p.into_inner()) = Some(tsfn);
    // Fails when a logger is already installed (ours, from an earlier call): keep it.
    let _ = log::set_boxed_logger(Box::new(Forward));
    log::set_max_level(match level {
        0 => log::LevelFilter::Off,
        1 => log::LevelFilter::Error,
        2 => log::LevelFilter::Warn,
        3 => log::LevelFilter::Info,
        _ => log::LevelFilter::Debug,
    });
    Ok(())
}
