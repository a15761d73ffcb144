//! A paginated call as a handle every face can hold: Send + Sync, cheap to clone, with an async
//! `next` (Python's `async for`, Node's `for await`) and a blocking one (Python `for`, C
//! `hcp_pager_next`). Its operation and params are checked when it is made, not on first use.

use std::sync::Arc;

use futures::stream::BoxStream;
use futures::StreamExt;
use serde_json::Value;

use super::call::guard;
use super::numbers::Schema;
use crate::client::{operation_named, Client};
use crate::error::{Dispatch, Result};
use crate::operation::Operation;

type Stream = BoxStream<'static, Result<Value>>;

/// Items (or whole pages) of a paginated operation, fetched as they are asked for.
#[derive(Clone)]
pub struct Pager {
    stream: Arc<tokio::sync::Mutex<Option<Stream>>>,
    op: &'static Operation,
    pages: bool,
}

impl std::fmt::Debug for Pager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pager")
            .field("operation", &self.op.name)
            .field("pages", &self.pages)
            .finish()
    }
}

impl Pager {
    /// Every item (`pages = false`) or every page of `operation`. Fails now, naming the field,
    /// for an unknown or non-paginated operation and bad params.
    pub fn new(client: &Client, operation: &str, params: Value, pages: bool) -> Result<Pager> {
        let op = operation_named(operation)?;
        let stream = if pages {
            client.paginate_pages(op.name, params)?
        } else {
            client.paginate(op.name, params)?
        };
        Ok(Pager {
            stream: Arc::new(tokio::sync::Mutex::new(Some(stream))),
            op,
            pages,
        })
    }

    pub fn operation(&self) -> &'static Operation {
        self.op
    }

    /// What each value it yields is, for shaping numbers.
    pub fn schema(&self) -> Schema {
        if self.pages {
            Schema::response(self.op)
        } else {
            Schema::item(self.op)
        }
    }

    /// The next item or page; `None` at the end (and after an error).
    pub async fn next(&self) -> Option<Result<Value>> {
        let stream = self.stream.clone();
        let next = guard(Dispatch::NotSent, async move {
            let mut slot = stream.lock().await;
            let item = match slot.as_mut() {
                Some(s) => s.next().await,
                None => None,
            };
            if item.is_none() {
                *slot = None;
            }
            Ok(item)
        })
        .await;
        match next {
            Ok(item) => item,
            Err(e) => {
                // A panic inside: the stream's state is unknown, so it ends here.
                if let Ok(mut slot) = self.stream.try_lock() {
                    *slot = None;
                }
                Some(Err(e))
            }
        }
    }

    /// [`Pager::next`] from a thread that is not a runtime's, blocking it.
    pub fn next_blocking(&self) -> Option<Result<Value>> {
        match super::call::block(async { Ok(self.next().await) }) {
            Ok(item) => item,
            Err(e) => Some(Err(e)),
        }
    }

    /// Stops early: later `next` calls yield `None`.
    pub fn close(&self) {
        if let Ok(mut slot) = self.stream.try_lock() {
            *slot = None;
        }
    }
}
