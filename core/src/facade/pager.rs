//! A paginated call as a handle every face can hold: Send + Sync, cheap to clone, with an async
//! `next` (Python's `async for`, Node's `for await`) and a blocking one (Python `for`, C
//! `hcp_pager_next`). Its operation and params are checked when it is made, not on first use.
//! After the first page it knows the total the service reported and the page's own fields
//! (`currency`, sums), so a face can show progress and keep them on each row.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use futures::stream::BoxStream;
use futures::StreamExt;
use serde_json::{Map, Value};

use super::call::guard;
use super::numbers::Schema;
use crate::client::{operation_named, Client};
use crate::error::{Dispatch, Result};
use crate::operation::Operation;
use crate::per_call::PerCall;

type Stream = BoxStream<'static, Result<Value>>;

/// How a [`Pager`] walks.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct PagerOptions {
    /// Whole pages instead of items.
    pub pages: bool,
    /// Stop after this many items (items mode); with no `limit` given, pages are no bigger.
    pub max_items: Option<u64>,
    /// Each page's call: its own deadline, retries and headers.
    pub per: PerCall,
}

impl PagerOptions {
    pub fn pages(pages: bool) -> PagerOptions {
        PagerOptions {
            pages,
            ..PagerOptions::default()
        }
    }

    pub fn with_max_items(mut self, max_items: Option<u64>) -> PagerOptions {
        self.max_items = max_items;
        self
    }

    pub fn with_per(mut self, per: PerCall) -> PagerOptions {
        self.per = per;
        self
    }
}

#[derive(Default)]
struct Walk {
    stream: Option<Stream>,
    /// Items of the current page not yet handed out.
    items: VecDeque<Value>,
    handed_out: u64,
}

/// What the pages said about themselves so far.
#[derive(Debug, Clone, Default)]
struct Seen {
    total: Option<u64>,
    /// The latest page without its items.
    page_fields: Option<Map<String, Value>>,
    pages: u64,
}

/// Items (or whole pages) of a paginated operation, fetched as they are asked for.
#[derive(Clone)]
pub struct Pager {
    walk: Arc<tokio::sync::Mutex<Walk>>,
    seen: Arc<Mutex<Seen>>,
    op: &'static Operation,
    pages: bool,
    max_items: Option<u64>,
}

impl std::fmt::Debug for Pager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pager")
            .field("operation", &self.op.name)
            .field("pages", &self.pages)
            .field("max_items", &self.max_items)
            .finish()
    }
}

impl Pager {
    /// Every item (`pages = false`) or every page of `operation`. Fails now, naming the field,
    /// for an unknown or non-paginated operation and bad params.
    pub fn new(client: &Client, operation: &str, params: Value, pages: bool) -> Result<Pager> {
        Pager::with(client, operation, params, PagerOptions::pages(pages))
    }

    /// [`Pager::new`] with a limit on items and per-call options for each page.
    pub fn with(
        client: &Client,
        operation: &str,
        mut params: Value,
        opts: PagerOptions,
    ) -> Result<Pager> {
        let op = operation_named(operation)?;
        if let (Some(max), Some(pg), Value::Object(m)) =
            (opts.max_items, op.pagination, &mut params)
        {
            let max_page = u64::from(pg.max_limit.unwrap_or(100)).min(100);
            if !opts.pages
                && max > 0
                && max < max_page
                && m.get(pg.limit_param).is_none_or(Value::is_null)
            {
                m.insert(pg.limit_param.to_owned(), Value::from(max));
            }
        }
        let stream = client.paginate_pages_with(op.name, params, opts.per)?;
        Ok(Pager {
            walk: Arc::new(tokio::sync::Mutex::new(Walk {
                stream: (opts.max_items != Some(0)).then_some(stream),
                ..Walk::default()
            })),
            seen: Arc::default(),
            op,
            pages: opts.pages,
            max_items: opts.max_items,
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

    /// The total the service reported (from the first page on), if it reports one.
    pub fn total(&self) -> Option<u64> {
        self.seen.lock().unwrap_or_else(|p| p.into_inner()).total
    }

    /// The fields of the latest page besides its items (`currency`, `count`, sums).
    pub fn page_fields(&self) -> Option<Map<String, Value>> {
        let seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        seen.page_fields.clone()
    }

    /// Pages fetched so far.
    pub fn pages_fetched(&self) -> u64 {
        self.seen.lock().unwrap_or_else(|p| p.into_inner()).pages
    }

    /// Records what `page` says about itself; returns its items (items mode).
    fn learn(&self, page: Value) -> (Value, Option<Vec<Value>>) {
        let pg = self.op.pagination;
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        seen.pages += 1;
        if let Some(total) = pg.and_then(|p| p.total_field).and_then(|f| page.get(f)) {
            seen.total = total.as_u64();
        }
        let items_field = pg.map(|p| p.items_field).unwrap_or_default();
        let Value::Object(mut map) = page else {
            return (page, None);
        };
        let items = if self.pages {
            None
        } else {
            Some(match map.remove(items_field) {
                Some(Value::Array(items)) => items,
                _ => Vec::new(),
            })
        };
        let mut fields = map.clone();
        fields.remove(items_field);
        seen.page_fields = Some(fields);
        (Value::Object(map), items)
    }

    async fn step(&self) -> Option<Result<Value>> {
        let mut walk = self.walk.lock().await;
        loop {
            if self.max_items.is_some_and(|m| walk.handed_out >= m) {
                walk.stream = None;
                walk.items.clear();
                return None;
            }
            if let Some(item) = walk.items.pop_front() {
                walk.handed_out += 1;
                return Some(Ok(item));
            }
            let page = match walk.stream.as_mut() {
                Some(s) => s.next().await,
                None => None,
            };
            let page = match page {
                None => {
                    walk.stream = None;
                    return None;
                }
                Some(Err(e)) => return Some(Err(e)),
                Some(Ok(page)) => page,
            };
            match self.learn(page) {
                (page, None) => return Some(Ok(page)),
                (_, Some(items)) => walk.items = items.into(),
            }
        }
    }

    /// The next item or page; `None` at the end (and after an error).
    pub async fn next(&self) -> Option<Result<Value>> {
        let me = self.clone();
        match guard(Dispatch::NotSent, async move { Ok(me.step().await) }).await {
            Ok(item) => item,
            Err(e) => {
                // A panic inside: the stream's state is unknown, so it ends here.
                self.close();
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
        if let Ok(mut walk) = self.walk.try_lock() {
            walk.stream = None;
            walk.items.clear();
        }
    }
}
