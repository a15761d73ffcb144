//! One value (a token, a key pair, a domain id) fetched once for any number of waiters and
//! fetched again when it goes stale — safe across `fork()`.
//!
//! A refresh holds an async mutex across a network call. A child forked while a parent's
//! thread held it would inherit it locked, with no thread left to unlock it, and wait for ever.
//! So the state is stamped with the pid that made it: a child starts a fresh state, keeping the
//! value the parent had cached if it could read it without waiting.

use std::future::Future;
use std::sync::{Arc, Mutex, RwLock};

use crate::error::Result;

struct State<T> {
    pid: u32,
    current: RwLock<Option<Arc<T>>>,
    refresh: tokio::sync::Mutex<()>,
}

impl<T> State<T> {
    fn new(pid: u32, current: Option<Arc<T>>) -> State<T> {
        State {
            pid,
            current: RwLock::new(current),
            refresh: tokio::sync::Mutex::new(()),
        }
    }
}

/// A single-flight, fork-aware cache of one `T`.
pub(crate) struct Refreshing<T> {
    state: Mutex<Arc<State<T>>>,
}

impl<T> Default for Refreshing<T> {
    fn default() -> Self {
        Refreshing {
            state: Mutex::new(Arc::new(State::new(crate::runtime::pid(), None))),
        }
    }
}

impl<T> std::fmt::Debug for Refreshing<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Refreshing")
    }
}

impl<T> Refreshing<T> {
    fn state(&self) -> Arc<State<T>> {
        let pid = crate::runtime::pid();
        let mut slot = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if slot.pid != pid {
            // Forked: the inherited refresh lock may be held by a thread that does not exist here.
            let kept = slot.current.try_read().ok().and_then(|c| c.clone());
            *slot = Arc::new(State::new(pid, kept));
        }
        slot.clone()
    }

    fn current(state: &State<T>, fresh: &impl Fn(&T) -> bool) -> Option<Arc<T>> {
        state
            .current
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            .filter(|t| fresh(t))
            .cloned()
    }

    /// The cached value if `fresh` says it still is, else one fetched by `fetch` (by one caller;
    /// the others wait for it).
    pub async fn get<F, Fut>(&self, fresh: impl Fn(&T) -> bool, fetch: F) -> Result<Arc<T>>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let state = self.state();
        if let Some(t) = Self::current(&state, &fresh) {
            return Ok(t);
        }
        let _guard = state.refresh.lock().await;
        // Someone else may have refreshed while we waited.
        if let Some(t) = Self::current(&state, &fresh) {
            return Ok(t);
        }
        let value = Arc::new(fetch().await?);
        *state.current.write().unwrap_or_else(|p| p.into_inner()) = Some(value.clone());
        Ok(value)
    }

    /// Forgets the cached value if `is_it` says it is the rejected one (a newer one stays).
    pub fn invalidate(&self, is_it: impl Fn(&T) -> bool) {
        let state = self.state();
        let mut cur = state.current.write().unwrap_or_else(|p| p.into_inner());
        if cur.as_deref().is_some_and(is_it) {
            *cur = None;
        }
    }
}
