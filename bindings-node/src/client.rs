//! `NativeClient`, `NativeCall` and `NativePager`: the facade's client, call control and pager
//! for the JS layer. Params arrive as JSON text; results leave as JSON text shaped by the
//! facade's number policy: by default decimals (money) and integers beyond 2^53 as strings
//! (`Numbers::Strings` by the response model); with numbers asked for, every number as JSON
//! number except integers beyond 2^53 (the same policy, by no model).

use hcpartner::facade::reconcile::{reconcile_value, Reconciliation};
use hcpartner::facade::{self, CallControl, CallOptions, ClientOptions, Numbers, Pager, Schema};
use hcpartner::{Client as CoreClient, Dispatch, Error};
use napi::{Either, Env};
use napi_derive::napi;
use serde_json::Value;

use crate::bridge::{Bridge, Sink, END, ERR, META, OK};
use crate::{guarded, parse_json, report_json};

/// Result JSON with the client's number policy.
fn render(schema: Schema, value: Value, strings: bool) -> String {
    let schema = if strings { schema } else { Schema::Any };
    let shaped = facade::shape(schema, value, Numbers::Strings);
    serde_json::to_string(&shaped).unwrap_or_else(|e| {
        report_json(&Error::internal(
            format!("cannot render a result: {e}"),
            Dispatch::Responded,
        ))
    })
}

/// A reconciliation's JSON: its records by their model with strings, by none with numbers (as
/// [`render`] does for a result).
fn reconciled(found: Reconciliation, strings: bool) -> String {
    let numbers = if strings {
        Numbers::Strings
    } else {
        Numbers::Exact
    };
    render(Schema::Any, found.into_value(numbers), strings)
}

fn outcome(r: hcpartner::Result<(Schema, Value)>, strings: bool) -> (u32, String) {
    match r {
        Ok((schema, value)) => (OK, render(schema, value, strings)),
        Err(e) => (ERR, report_json(&e)),
    }
}

#[derive(Debug)]
#[napi]
pub struct NativeClient {
    client: CoreClient,
    strings: bool,
    sink: Sink,
}

/// A client from the facade's options (JSON text); `strings`: decimals as strings.
#[napi]
pub fn new_client(bridge: &Bridge, options: String, strings: bool) -> Either<NativeClient, String> {
    guarded(|| {
        let v = parse_json(&options, "options")?;
        let config = ClientOptions::from_value(v, "Client options")?.into_config()?;
        Ok(NativeClient {
            client: CoreClient::new(config)?,
            strings,
            sink: bridge.sink(),
        })
    })
}

#[napi]
impl NativeClient {
    fn spawn(
        &self,
        env: &Env,
        id: u32,
        operation: &str,
        params: &str,
        options: &str,
    ) -> hcpartner::Result<CallControl> {
        let params = parse_json(params, "params")?;
        let per = CallOptions::from_json(options, "call options")?
            .into_per_call(&self.client.config().retry)?;
        let (sink, strings) = (self.sink.clone(), self.strings);
        // A read goes on this thread's loop when it has nothing else in flight (see `local`).
        let read = hcpartner::generated::operations::find_operation(operation)
            .is_some_and(|op| op.effect.is_idempotent());
        let local = read && crate::local::usable(env);
        let away = (!local).then(crate::local::away);
        let done = move |r: hcpartner::Result<facade::Answer>| {
            let r = r.and_then(|a| {
                let m = &a.meta;
                // An array (the JS layer names its items): no keys to read back on every call.
                let line = (
                    a.op.name,
                    &m.request_id,
                    m.status,
                    m.attempts,
                    m.elapsed.as_secs_f64(),
                );
                let mut out = serde_json::to_string(&line).map_err(|e| {
                    Error::internal(format!("cannot render metadata: {e}"), Dispatch::Responded)
                })?;
                out.push('\n');
                // The service's own text when JSON.parse reads it as the exact path would.
                if a.reads_as_doubles() {
                    return a.into_json_after(out);
                }
                let schema = a.schema();
                let v = a.into_value()?;
                out.push_str(&render(schema, v, strings));
                Ok(out)
            });
            match r {
                Ok(text) => sink.send(id, META, text, away),
                Err(e) => sink.send(id, ERR, report_json(&e), away),
            }
        };
        if !local {
            return facade::spawn_call_with(&self.client, operation, params, per, done);
        }
        let control = facade::spawn_call_local_with(&self.client, operation, params, per, done)?;
        // Sent now, from this call: the answer then wakes this thread and no other.
        crate::local::turn();
        Ok(control)
    }

    /// Starts `operation`; its outcome comes back through the bridge under `id` (kind META:
    /// the answer's metadata, then the result). Bad input or `options` (the call's own, JSON;
    /// empty for none) fail here (the report), before anything is sent. The control gives up
    /// on it.
    #[napi]
    pub fn call(
        &self,
        env: Env,
        id: u32,
        operation: String,
        params: String,
        options: String,
    ) -> Either<NativeCall, String> {
        guarded(|| {
            Ok(NativeCall {
                control: self.spawn(&env, id, &operation, &params, &options)?,
            })
        })
    }

    /// [`NativeClient::call`] for a caller that will not give up (no signal, no timeout): no
    /// control object to make and collect. `null`, or the report of bad input.
    #[napi]
    pub fn start(
        &self,
        env: Env,
        id: u32,
        operation: String,
        params: String,
        options: String,
    ) -> Option<String> {
        match guarded(|| {
            self.spawn(&env, id, &operation, &params, &options)
                .map(drop)
        }) {
            Either::A(()) => None,
            Either::B(report) => Some(report),
        }
    }

    /// Every item (or page) of a paginated operation; checked now, fetched on `next`.
    #[napi]
    pub fn pager(
        &self,
        operation: String,
        params: String,
        pages: bool,
    ) -> Either<NativePager, String> {
        guarded(|| {
            let params = parse_json(&params, "params")?;
            Ok(NativePager {
                pager: Pager::new(&self.client, &operation, params, pages)?,
                strings: self.strings,
                sink: self.sink.clone(),
            })
        })
    }

    /// A client acting for a resale customer through assume_role (shares the connection pool).
    #[napi]
    pub fn for_customer(
        &self,
        agency_name: String,
        customer_id: Option<String>,
        customer_name: Option<String>,
    ) -> Either<NativeClient, String> {
        guarded(|| {
            let customer = facade::customer_domain(customer_id, customer_name)?;
            Ok(NativeClient {
                client: self.client.for_customer(agency_name, customer),
                strings: self.strings,
                sink: self.sink.clone(),
            })
        })
    }

    /// Settles an unknown outcome from the service's records: `ticket` is the error's ticket as
    /// JSON (`null`: it had none, so it cannot be). The answer comes back under `id` (kind OK);
    /// only reads are sent. `null`, or the report of bad input.
    #[napi]
    pub fn reconcile(&self, id: u32, ticket: Option<String>) -> Option<String> {
        let (client, sink, strings) = (self.client.clone(), self.sink.clone(), self.strings);
        let started = guarded(|| {
            let ticket = ticket.map(|t| parse_json(&t, "ticket")).transpose()?;
            let handle = hcpartner::runtime::try_handle()?;
            handle.spawn(async move {
                let found = reconcile_value(&client, ticket, "ticket");
                let (kind, text) = match facade::guard(Dispatch::NotSent, found).await {
                    Ok(found) => (OK, reconciled(found, strings)),
                    Err(e) => (ERR, report_json(&e)),
                };
                sink.send(id, kind, text, None);
            });
            Ok(())
        });
        match started {
            Either::A(()) => None,
            Either::B(report) => Some(report),
        }
    }

    #[napi(getter)]
    pub fn endpoint(&self) -> String {
        self.client.config().bss_endpoint.clone()
    }

    #[napi(getter)]
    pub fn site(&self) -> String {
        self.client.config().site.as_str().to_owned()
    }

    /// What the credentials are, without a secret.
    #[napi(getter)]
    pub fn auth(&self) -> String {
        self.client.config().auth.describe()
    }

    /// Test hook: a panic in a sync export (returns its report) or inside a spawned call
    /// (its report comes back under `id`).
    #[napi]
    pub fn panic_for_test(&self, id: u32, spawned: bool) -> Option<String> {
        if !spawned {
            return match guarded(|| -> hcpartner::Result<()> { panic!("deliberate test panic") }) {
                Either::A(()) => None,
                Either::B(report) => Some(report),
            };
        }
        let sink = self.sink.clone();
        let started = guarded(|| {
            let handle = hcpartner::runtime::try_handle()?;
            handle.spawn(async move {
                let r = facade::guard(Dispatch::NotSent, async {
                    panic!("deliberate test panic");
                    #[allow(unreachable_code)]
                    Ok((Schema::Any, Value::Null))
                })
                .await;
                let (kind, text) = outcome(r, true);
                sink.send(id, kind, text, None);
            });
            Ok(())
        });
        match started {
            Either::A(()) => None,
            Either::B(report) => Some(report),
        }
    }
}

/// Gives up on a started call by the money rule.
#[derive(Debug)]
#[napi]
pub struct NativeCall {
    control: CallControl,
}

#[napi]
impl NativeCall {
    /// `null`: the call was dropped (a read, or nothing was sent; its outcome never comes).
    /// A report (`OutcomeUnknown`): a state change that may be on the wire runs to its end;
    /// its outcome still comes back (and is logged).
    #[napi]
    pub fn cancel(&self, what: String) -> Option<String> {
        self.control.cancel(&what).map(|e| report_json(&e))
    }
}

#[derive(Debug)]
#[napi]
pub struct NativePager {
    pager: Pager,
    strings: bool,
    sink: Sink,
}

#[napi]
impl NativePager {
    /// Fetches the next item or page; it comes back under `id` (kind END at the end).
    #[napi]
    pub fn next(&self, env: Env, id: u32) -> Option<String> {
        let (pager, sink, strings) = (self.pager.clone(), self.sink.clone(), self.strings);
        let started = guarded(|| {
            let next = |away| async move {
                let (kind, text) = match pager.next().await {
                    None => (END, String::new()),
                    Some(r) => outcome(r.map(|v| (pager.schema(), v)), strings),
                };
                sink.send(id, kind, text, away);
            };
            // Pages are reads; an item already fetched then comes back without a worker.
            if crate::local::usable(&env) {
                hcpartner::local::spawn(next(None)).ok_or_else(|| {
                    Error::internal("this thread's driver went away", Dispatch::NotSent)
                })?;
                crate::local::turn();
                return Ok(());
            }
            let runtime = hcpartner::runtime::try_handle()?;
            runtime.spawn(next(Some(crate::local::away())));
            Ok(())
        });
        match started {
            Either::A(()) => None,
            Either::B(report) => Some(report),
        }
    }

    /// Stops early: later `next` calls end at once.
    #[napi]
    pub fn close(&self) {
        self.pager.close();
    }

    #[napi(getter)]
    pub fn operation(&self) -> String {
        self.pager.operation().name.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use hcpartner::generated::find_operation;
    use serde_json::json;

    use super::*;

    #[test]
    fn numbers_follow_the_client_option() {
        let op = find_operation("show_customer_account_balances").unwrap();
        let schema = Schema::response(op);
        let v: Value = serde_json::from_str(
            r#"{"debt_amount": 100.50, "measure_id": 1, "big": 9007199254740993, "account_balances": [{"amount": 7}]}"#,
        )
        .unwrap();
        let strings: Value = serde_json::from_str(&render(schema, v.clone(), true)).unwrap();
        assert_eq!(
            strings,
            json!({"debt_amount": "100.50", "measure_id": 1, "big": "9007199254740993", "account_balances": [{"amount": "7"}]})
        );
        let numbers = render(schema, v, false);
        assert_eq!(
            numbers,
            r#"{"debt_amount":100.50,"measure_id":1,"big":"9007199254740993","account_balances":[{"amount":7}]}"#
        );
    }
}
