//! asyncio awaitables for Rust futures, without taking the GIL on runtime threads.
//!
//! A future runs on the core's (fork-aware) runtime. When it finishes, its result goes into the
//! event loop's completion queue and one byte into a socket the loop watches (`add_reader`); the
//! loop thread then drains the queue, builds the Python objects and resolves the futures, many per
//! wake-up (measured: about twice the calls/s of a GIL acquisition plus `call_soon_threadsafe`
//! per call). The queue's descriptors are released when the loop closes.

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

/// Resolves one asyncio future from any thread.
pub struct Sender {
    queue: Arc<Queue>,
    target: Py<PyAny>,
}

impl Sender {
    pub fn send(self, finish: Finish) {
        self.queue.push(self.target, finish);
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

fn resolve(py: Python<'_>, fut: &Bound<'_, PyAny>, finish: Finish) -> PyResult<()> {
    if fut.call_method0("done")?.is_truthy()? {
        return Ok(()); // cancelled meanwhile
    }
    match finish(py) {
        Ok(v) => fut.call_method1("set_result", (v,))?,
        Err(e) => fut.call_method1("set_exception", (e.into_value(py),))?,
    };
    Ok(())
}

#[pymethods]
impl Drain {
    fn __call__(&self, py: Python<'_>) {
        let mut buf = [0u8; 256];
        while matches!((&self.reader).read(&mut buf), Ok(n) if n > 0) {}
        self.queue.armed.store(false, Ordering::SeqCst);
        let items =
            std::mem::take(&mut *self.queue.items.lock().unwrap_or_else(|p| p.into_inner()));
        // One failing item must not strand the rest of the batch.
        for (fut, finish) in items {
            let fut = fut.bind(py);
            if let Err(e) = resolve(py, fut, finish) {
                e.write_unraisable(py, Some(fut));
            }
        }
    }
}

/// Replaces the loop's `close` (on the instance) to release the queue's descriptors first.
#[pyclass(module = "hcpartner._native")]
struct Release {
    event_loop: Py<PyAny>, // a weakref
    fd: i32,
}

impl std::fmt::Debug for Release {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Release")
    }
}

#[pymethods]
impl Release {
    fn __call__(&self, py: Python<'_>) -> PyResult<()> {
        let event_loop = self.event_loop.bind(py).call0()?;
        if event_loop.is_none() {
            return Ok(());
        }
        if !event_loop.call_method0("is_closed")?.is_truthy()? {
            let _ = event_loop.call_method1("remove_reader", (self.fd,));
        }
        let _ = queues(py)?.del_item(&event_loop); // drops the Drain: both sockets close
        let _ = event_loop.delattr("close");
        event_loop
            .get_type()
            .getattr("close")?
            .call1((event_loop,))?;
        Ok(())
    }
}

/// Aborts a Rust task when its Python future is cancelled (reads: nothing to lose).
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

fn queues(py: Python<'_>) -> PyResult<&Bound<'_, PyAny>> {
    static QUEUES: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    QUEUES
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(
                py.import("weakref")?
                    .getattr("WeakKeyDictionary")?
                    .call0()?
                    .unbind(),
            )
        })
        .map(|q| q.bind(py))
}

/// The running loop's queue, created and registered with the loop on first use.
fn queue_for(py: Python<'_>, event_loop: &Bound<'_, PyAny>) -> PyResult<Arc<Queue>> {
    let queues = queues(py)?;
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
    let weak = py.import("weakref")?.getattr("ref")?.call1((event_loop,))?;
    let release = Release {
        event_loop: weak.unbind(),
        fd,
    };
    // Loops without an instance dict (uvloop) keep the queue until they are collected.
    let _ = event_loop.setattr("close", Bound::new(py, release)?);
    Ok(queue)
}

fn running_loop(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    static GET_RUNNING_LOOP: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    GET_RUNNING_LOOP
        .import(py, "asyncio", "get_running_loop")?
        .call0()
}

/// A new asyncio future of the running loop and the means to resolve it from any thread.
pub fn pending(py: Python<'_>) -> PyResult<(Bound<'_, PyAny>, Sender)> {
    let event_loop = running_loop(py)?;
    let queue = queue_for(py, &event_loop)?;
    let py_fut = event_loop.call_method0("create_future")?;
    let target = py_fut.clone().unbind();
    Ok((py_fut, Sender { queue, target }))
}

/// An asyncio future resolved with what `fut` yields; cancelling it aborts `fut`.
pub fn awaitable<'py, F>(py: Python<'py>, fut: F) -> PyResult<Bound<'py, PyAny>>
where
    F: Future<Output = Finish> + Send + 'static,
{
    let (py_fut, sender) = pending(py)?;
    let handle = hcpartner::runtime::try_handle().map_err(crate::errors::raise)?;
    let task = handle.spawn(async move {
        // A panic must still resolve the future (else the awaiting coroutine waits for ever).
        let finish =
            hcpartner::facade::guard(hcpartner::Dispatch::NotSent, async { Ok(fut.await) })
                .await
                .unwrap_or_else(|e| {
                    Box::new(move |py: Python<'_>| Err(crate::errors::to_pyerr(py, &e)))
                });
        sender.send(finish)
    });
    py_fut.call_method1(
        "add_done_callback",
        PyTuple::new(py, [Bound::new(py, AbortOnCancel(task.abort_handle()))?])?,
    )?;
    Ok(py_fut)
}
