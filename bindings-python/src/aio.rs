//! asyncio awaitables for Rust futures, without taking the GIL on runtime threads.
//!
//! A future runs on the core's (fork-aware) runtime. When it finishes, its result goes into the
//! event loop's completion queue and one byte into a socket the loop watches (`add_reader`); the
//! loop thread then drains the queue, builds the Python objects and resolves the futures, many per
//! wake-up. Measured against pyo3-async-runtimes' `future_into_py` (a GIL acquisition and a
//! `call_soon_threadsafe` per call from a worker thread), this roughly doubles calls/s with 64 in
//! flight. Cancelling the Python future aborts the Rust task.

use std::future::Future;
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyTuple;

/// Builds the Python result on the loop thread.
pub type Finish = Box<dyn FnOnce(Python<'_>) -> PyResult<Py<PyAny>> + Send>;

struct Queue {
    items: Mutex<Vec<(Py<PyAny>, Finish)>>,
    wake: UnixStream,
    /// A wake-up byte is in flight: later completions ride on it.
    armed: AtomicBool,
}

impl Queue {
    fn push(&self, fut: Py<PyAny>, finish: Finish) {
        self.items
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push((fut, finish));
        if !self.armed.swap(true, Ordering::SeqCst) {
            // A full socket buffer means a wake-up is pending anyway.
            let _ = (&self.wake).write(&[1]);
        }
    }
}

/// The per-loop reader callback that resolves finished futures.
#[pyclass(module = "hcpartner._native")]
struct Drain {
    queue: Arc<Queue>,
    reader: UnixStream,
}

impl std::fmt::Debug for Drain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Drain")
    }
}

#[pymethods]
impl Drain {
    fn __call__(&self, py: Python<'_>) -> PyResult<()> {
        let mut buf = [0u8; 256];
        while matches!((&self.reader).read(&mut buf), Ok(n) if n > 0) {}
        self.queue.armed.store(false, Ordering::SeqCst);
        let items =
            std::mem::take(&mut *self.queue.items.lock().unwrap_or_else(|p| p.into_inner()));
        for (fut, finish) in items {
            let fut = fut.bind(py);
            if fut.call_method0("done")?.is_truthy()? {
                continue; // cancelled meanwhile
            }
            match finish(py) {
                Ok(v) => fut.call_method1("set_result", (v,))?,
                Err(e) => fut.call_method1("set_exception", (e.into_value(py),))?,
            };
        }
        Ok(())
    }
}

/// Aborts the Rust task when its Python future is cancelled.
#[pyclass(module = "hcpartner._native")]
struct AbortOnCancel(tokio::task::AbortHandle);

impl std::fmt::Debug for AbortOnCancel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AbortOnCancel")
    }
}

#[pymethods]
impl AbortOnCancel {
    fn __call__(&self, fut: &Bound<'_, PyAny>) -> PyResult<()> {
        if fut.call_method0("cancelled")?.is_truthy()? {
            self.0.abort();
        }
        Ok(())
    }
}

/// The running loop's queue, created and registered with the loop on first use.
fn queue_for(py: Python<'_>, event_loop: &Bound<'_, PyAny>) -> PyResult<Arc<Queue>> {
    static QUEUES: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let queues = QUEUES.get_or_try_init(py, || {
        Ok::<_, PyErr>(
            py.import("weakref")?
                .getattr("WeakKeyDictionary")?
                .call0()?
                .unbind(),
        )
    })?;
    let queues = queues.bind(py);
    if let Ok(drain) = queues.get_item(event_loop) {
        return Ok(drain.cast::<Drain>()?.borrow().queue.clone());
    }
    let (reader, wake) = UnixStream::pair()?;
    reader.set_nonblocking(true)?;
    wake.set_nonblocking(true)?;
    let fd = reader.as_raw_fd();
    let queue = Arc::new(Queue {
        items: Mutex::new(Vec::new()),
        wake,
        armed: AtomicBool::new(false),
    });
    let drain = Bound::new(
        py,
        Drain {
            queue: queue.clone(),
            reader,
        },
    )?;
    event_loop.call_method1("add_reader", (fd, &drain))?;
    queues.set_item(event_loop, drain)?;
    Ok(queue)
}

fn running_loop(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    static GET_RUNNING_LOOP: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    GET_RUNNING_LOOP
        .import(py, "asyncio", "get_running_loop")?
        .call0()
}

/// An asyncio future resolved with what `fut` yields, built on the loop thread by its `Finish`.
pub fn awaitable<'py, F>(py: Python<'py>, fut: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = Finish> + Send + 'static,
{
    let event_loop = running_loop(py)?;
    let queue = queue_for(py, &event_loop)?;
    let py_fut = event_loop.call_method0("create_future")?;
    let target = py_fut.clone().unbind();
    let task = hcpartner::runtime::spawn(async move {
        let finish = fut.await;
        queue.push(target, finish);
    });
    py_fut.call_method1(
        "add_done_callback",
        PyTuple::new(py, [Bound::new(py, AbortOnCancel(task.abort_handle()))?])?,
    )?;
    Ok(py_fut)
}
