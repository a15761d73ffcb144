//! Every page of a list operation as a lazy stream: offset/limit (or marker/limit) set by us,
//! items taken from the field the API description names, stopping at the total, an empty page or
//! the end marker — and never looping on a server that repeats a page.

use futures::stream::{self, BoxStream, StreamExt};
use serde_json::{Map, Value};

use crate::client::{operation_named, Client};
use crate::error::{Dispatch, Error, ErrorKind, Result};
use crate::operation::{Operation, Pagination};
use crate::per_call::PerCall;
use crate::response::Want;

/// Page size used when the caller gives none: the documented maximum, at most 100.
const DEFAULT_PAGE: u64 = 100;

struct State {
    client: Client,
    op: &'static Operation,
    pg: Pagination,
    params: Map<String, Value>,
    /// Offset of the next page (offset paging).
    offset: u64,
    /// Marker of the next page (marker paging); `None` before the first page.
    marker: Option<String>,
    limit: u64,
    per: PerCall,
    /// Fingerprint of the previous page, to refuse a server that repeats itself.
    previous: Option<(usize, String, String)>,
    done: bool,
}

/// A page's identity without serializing it whole: its length and first and last items.
fn fingerprint(items: &[Value]) -> (usize, String, String) {
    let text = |v: Option<&Value>| v.map(Value::to_string).unwrap_or_default();
    (items.len(), text(items.first()), text(items.last()))
}

fn lookup<'v>(v: &'v Value, dotted: &str) -> Option<&'v Value> {
    dotted.split('.').try_fold(v, |v, k| v.get(k))
}

impl State {
    async fn next_page(mut self) -> Option<(Result<Value>, State)> {
        if self.done {
            return None;
        }
        let mut params = self.params.clone();
        params.insert(self.pg.limit_param.to_owned(), Value::from(self.limit));
        match (&self.pg.next_marker_field, &self.marker) {
            (Some(_), Some(m)) => {
                params.insert(self.pg.offset_param.to_owned(), Value::from(m.clone()));
            }
            (Some(_), None) => {}
            (None, _) => {
                params.insert(self.pg.offset_param.to_owned(), Value::from(self.offset));
            }
        }
        let page = self
            .client
            .run(self.op, Value::Object(params), None, Want::Value, &self.per)
            .await
            .and_then(|reply| reply.into_value());
        let page = match page {
            Ok(p) => p,
            Err(e) => {
                self.done = true;
                return Some((Err(e), self));
            }
        };
        let items = page
            .get(self.pg.items_field)
            .and_then(Value::as_array)
            .map_or(0, Vec::len) as u64;
        let fingerprint = page
            .get(self.pg.items_field)
            .and_then(Value::as_array)
            .map(|a| fingerprint(a));
        if items > 0 && fingerprint == self.previous {
            self.done = true;
            let e = Error::new(
                ErrorKind::Decode,
                Dispatch::Responded,
                format!("the service returned the same page twice (offset {}); stopping instead of looping", self.offset),
            )
            .with_operation(self.op.name);
            return Some((Err(e), self));
        }
        self.previous = fingerprint;
        self.offset += items;
        let total = self
            .pg
            .total_field
            .and_then(|f| page.get(f))
            .and_then(Value::as_u64);
        self.done = items == 0 || total.is_some_and(|t| self.offset >= t);
        if let Some(field) = self.pg.next_marker_field {
            match lookup(&page, field)
                .and_then(Value::as_str)
                .filter(|m| !m.is_empty())
            {
                Some(m) if Some(m) != self.marker.as_deref() => self.marker = Some(m.to_owned()),
                _ => self.done = true,
            }
        }
        Some((Ok(page), self))
    }
}

impl Client {
    /// Every page of a paginated operation, fetched lazily. `params` are the call's flat params;
    /// `limit` in them sets the page size (default: the documented maximum, at most 100) and
    /// `offset` the starting point.
    pub fn paginate_pages(
        &self,
        operation: &str,
        params: Value,
    ) -> Result<BoxStream<'static, Result<Value>>> {
        self.paginate_pages_with(operation, params, PerCall::default())
    }

    /// [`Client::paginate_pages`] with each page's call under `per` (its own deadline, retries,
    /// headers).
    pub fn paginate_pages_with(
        &self,
        operation: &str,
        params: Value,
        per: PerCall,
    ) -> Result<BoxStream<'static, Result<Value>>> {
        let op = operation_named(operation)?;
        let pg = op.pagination.ok_or_else(|| {
            Error::invalid_argument(
                "operation",
                format!("{} does not paginate; use call()", op.name),
            )
        })?;
        let mut params = match params {
            Value::Object(m) => m,
            Value::Null => Map::new(),
            _ => {
                return Err(Error::invalid_argument(
                    "params",
                    "must be an object of named parameters",
                ))
            }
        };
        let default = u64::from(pg.max_limit.unwrap_or(100)).min(DEFAULT_PAGE);
        let limit = match params.remove(pg.limit_param) {
            None | Some(Value::Null) => default,
            Some(v) => v.as_u64().filter(|l| *l > 0).ok_or_else(|| {
                Error::invalid_argument(pg.limit_param, "the page size must be a positive integer")
                    .with_operation(op.name)
            })?,
        };
        // The caller's start: an offset, or a marker for marker paging. A wrong type is left in
        // the probe below so validation names it.
        let start = params.remove(pg.offset_param).filter(|v| !v.is_null());
        let (offset, marker) = match (&start, pg.next_marker_field) {
            (None, _) => (0, None),
            (Some(Value::String(m)), Some(_)) => (0, Some(m.clone())),
            (Some(v), None) => (v.as_u64().unwrap_or(0), None),
            (Some(_), Some(_)) => (0, None),
        };
        // Validate once, with the paging fields as they will be sent.
        let mut probe = params.clone();
        probe.insert(pg.limit_param.to_owned(), Value::from(limit));
        if let Some(v) = start {
            probe.insert(pg.offset_param.to_owned(), v);
        }
        self.check(op, &Value::Object(probe))?;
        per.check(op).map_err(|e| e.with_operation(op.name))?;
        let state = State {
            client: self.clone(),
            op,
            pg,
            params,
            offset,
            marker,
            limit,
            per,
            previous: None,
            done: false,
        };
        Ok(stream::unfold(state, State::next_page).boxed())
    }

    /// Every item of a paginated operation across pages, fetched lazily
    /// (`client.paginate("list_sub_customers", json!({"limit": 100}))`).
    pub fn paginate(
        &self,
        operation: &str,
        params: Value,
    ) -> Result<BoxStream<'static, Result<Value>>> {
        let op = operation_named(operation)?;
        let items_field = op.pagination.map(|p| p.items_field).unwrap_or_default();
        let pages = self.paginate_pages(operation, params)?;
        Ok(pages
            .flat_map(move |page| {
                let items: Vec<Result<Value>> = match page {
                    Ok(mut p) => match p.get_mut(items_field).map(Value::take) {
                        Some(Value::Array(items)) => items.into_iter().map(Ok).collect(),
                        _ => Vec::new(),
                    },
                    Err(e) => vec![Err(e)],
                };
                stream::iter(items)
            })
            .boxed())
    }
}
