//! One error type for every failure, with the facts a caller needs to decide what to do next:
//! what kind of failure, whether the request was sent, the service's code and request id.

use std::fmt;
use std::time::Duration;

use crate::catalog;

/// What went wrong, coarsely. Faces map each kind to their own exception or error code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Bad input or configuration; nothing was sent. [`Error::field`] names the culprit.
    InvalidArgument,
    /// Credentials were refused or could not be obtained (bad signature, expired token, no permission).
    Auth,
    /// The service answered with an error.
    Api,
    /// The service (or the client-side limiter) asked us to slow down.
    Throttled,
    /// No answer in time.
    Timeout,
    /// The connection could not be made.
    Connect,
    /// A call that moves money, coupons, orders or resources failed after it may have reached the
    /// server: it may or may not have been applied. Reconcile before trying again.
    OutcomeUnknown,
    /// A response arrived but could not be read. With a 2xx status the server did what was
    /// asked: a state change was applied and must not be sent again.
    Decode,
    /// A bug in hcpartner (a caught panic). Nothing about the call is known beyond `dispatch`.
    Internal,
}

impl ErrorKind {
    /// Every kind, in code order.
    pub const ALL: [ErrorKind; 9] = [
        ErrorKind::InvalidArgument,
        ErrorKind::Auth,
        ErrorKind::Api,
        ErrorKind::Throttled,
        ErrorKind::Decode,
        ErrorKind::Timeout,
        ErrorKind::Connect,
        ErrorKind::OutcomeUnknown,
        ErrorKind::Internal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidArgument => "InvalidArgument",
            ErrorKind::Auth => "Auth",
            ErrorKind::Api => "Api",
            ErrorKind::Throttled => "Throttled",
            ErrorKind::Timeout => "Timeout",
            ErrorKind::Connect => "Connect",
            ErrorKind::OutcomeUnknown => "OutcomeUnknown",
            ErrorKind::Decode => "Decode",
            ErrorKind::Internal => "Internal",
        }
    }

    /// The stable number of this kind, the same in every face (Python `code`, Node `err.code`,
    /// C `hcp_result`). Grouped by hundreds: 1xx input, 2xx credentials, 3xx service answers,
    /// 4xx transport, 5xx money outcome, 9xx hcpartner itself. A number is never reused;
    /// `0` is success in C and never an error.
    pub const fn code(self) -> u32 {
        match self {
            ErrorKind::InvalidArgument => 100,
            ErrorKind::Auth => 200,
            ErrorKind::Api => 300,
            ErrorKind::Throttled => 301,
            ErrorKind::Decode => 302,
            ErrorKind::Timeout => 400,
            ErrorKind::Connect => 401,
            ErrorKind::OutcomeUnknown => 500,
            ErrorKind::Internal => 900,
        }
    }

    /// The kind with this stable number.
    pub fn from_code(code: u32) -> Option<ErrorKind> {
        ErrorKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// How far the request got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dispatch {
    /// Provably never reached the server (validation, connect failure, DNS).
    NotSent,
    /// May have reached the server; no response was read.
    MaybeSent,
    /// The server answered.
    Responded,
}

impl Dispatch {
    pub fn as_str(self) -> &'static str {
        match self {
            Dispatch::NotSent => "not_sent",
            Dispatch::MaybeSent => "maybe_sent",
            Dispatch::Responded => "responded",
        }
    }
}

/// Longest body excerpt kept on a decode or gateway error.
pub(crate) const BODY_EXCERPT_MAX: usize = 512;
/// Longest message kept from a server or quoted from an input (a 10 MB value echoed back by the
/// service must not flood logs): characters.
pub(crate) const MESSAGE_MAX: usize = 1024;
/// Longest input value quoted in a validation message: characters.
pub(crate) const QUOTE_MAX: usize = 64;

/// The error of every hcpartner call.
///
/// Never holds a secret: messages are built from codes, field names and server text only.
pub struct Error {
    inner: Box<Inner>,
}

#[derive(Debug)]
struct Inner {
    kind: ErrorKind,
    dispatch: Dispatch,
    message: String,
    code: Option<String>,
    status: Option<u16>,
    request_id: Option<String>,
    retryable: bool,
    field: Option<String>,
    operation: Option<&'static str>,
    hint: Option<String>,
    body_excerpt: Option<String>,
    retry_after: Option<Duration>,
    attempts: u32,
    /// What an unknown outcome was, for `facade::reconcile`.
    ticket: Option<Box<crate::facade::reconcile::Ticket>>,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl Error {
    pub(crate) fn new(kind: ErrorKind, dispatch: Dispatch, message: impl Into<String>) -> Error {
        Error {
            inner: Box::new(Inner {
                kind,
                dispatch,
                message: bounded(message.into(), MESSAGE_MAX),
                code: None,
                status: None,
                request_id: None,
                retryable: false,
                field: None,
                operation: None,
                hint: None,
                body_excerpt: None,
                retry_after: None,
                attempts: 1,
                ticket: None,
                source: None,
            }),
        }
    }

    /// Bad input: names the field (a dotted path such as `body.customer_infos[0].amount`); nothing sent.
    pub fn invalid_argument(field: impl Into<String>, message: impl Into<String>) -> Error {
        let mut e = Error::new(ErrorKind::InvalidArgument, Dispatch::NotSent, message);
        e.inner.field = Some(field.into());
        e
    }

    /// Bad configuration; `source` says where the value came from (argument, env var, profile file).
    pub fn config(field: impl Into<String>, message: impl Into<String>) -> Error {
        Error::invalid_argument(field, message)
    }

    /// A bug in hcpartner caught at a boundary (a panic): never a hang, never an abort.
    pub fn internal(message: impl Into<String>, dispatch: Dispatch) -> Error {
        let mut e = Error::new(ErrorKind::Internal, dispatch, message);
        e.inner.hint = Some(
            "this is a bug in hcpartner; please report it with the message and the hcpartner version"
                .to_owned(),
        );
        if dispatch != Dispatch::NotSent {
            e.inner.hint = Some(format!(
                "{}; the request may have been sent: check its effect before trying again",
                e.inner.hint.take().unwrap_or_default()
            ));
        }
        e
    }

    /// An error response from the service, classified through the code catalog.
    pub(crate) fn from_response(
        status: u16,
        code: Option<String>,
        message: String,
        request_id: Option<String>,
        body_excerpt: Option<String>,
    ) -> Error {
        let class = catalog::classify(status, code.as_deref());
        let mut e = Error::new(class.kind, Dispatch::Responded, message);
        e.inner.status = Some(status);
        e.inner.code = code;
        e.inner.request_id = request_id;
        e.inner.retryable = class.retryable;
        e.inner.hint = class.hint.map(str::to_owned);
        e.inner.body_excerpt = body_excerpt;
        e
    }

    pub(crate) fn with_source(
        mut self,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Error {
        self.inner.source = Some(Box::new(source));
        self
    }
    #[cfg(test)]
    pub(crate) fn with_retryable(mut self, retryable: bool) -> Error {
        self.inner.retryable = retryable;
        self
    }
    pub(crate) fn with_operation(mut self, op: &'static str) -> Error {
        self.inner.operation = Some(op);
        self
    }
    pub(crate) fn with_request_id(mut self, id: Option<String>) -> Error {
        if id.is_some() {
            self.inner.request_id = id;
        }
        self
    }
    pub(crate) fn with_ticket(mut self, t: Option<crate::facade::reconcile::Ticket>) -> Error {
        self.inner.ticket = t.map(Box::new);
        self
    }

    /// For an `OutcomeUnknown` of a funding, reclaim or coupon call: what it was and when, for
    /// [`facade::reconcile`](crate::facade::reconcile::reconcile).
    pub fn ticket(&self) -> Option<&crate::facade::reconcile::Ticket> {
        self.inner.ticket.as_deref()
    }

    pub(crate) fn with_status(mut self, status: u16) -> Error {
        self.inner.status = Some(status);
        self
    }
    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Error {
        self.inner.hint = Some(hint.into());
        self
    }
    pub(crate) fn with_body_excerpt(mut self, body: &[u8]) -> Error {
        self.inner.body_excerpt = Some(excerpt(body));
        self
    }
    pub(crate) fn with_retry_after(mut self, after: Option<Duration>) -> Error {
        self.inner.retry_after = after;
        self
    }
    pub(crate) fn with_attempts(mut self, attempts: u32) -> Error {
        self.inner.attempts = attempts;
        self
    }

    /// A failure of a step before this call's own request was sent (credentials): the request
    /// was not sent, whatever the step's own request went through.
    pub(crate) fn before_send(mut self, what: &str) -> Error {
        if self.inner.dispatch != Dispatch::NotSent {
            self.inner.dispatch = Dispatch::NotSent;
            self.inner.message = format!("while {what}: {}", self.inner.message);
        }
        self
    }

    /// Reports an error answer met while obtaining credentials as `Auth`, keeping its code,
    /// status and request id and saying what was being done.
    pub(crate) fn into_auth(mut self, what: &str) -> Error {
        self.inner.kind = ErrorKind::Auth;
        self.inner.message = format!("{what} failed: {}", self.inner.message);
        self
    }

    /// Turns a failure of a state change that may have reached the server into `OutcomeUnknown`,
    /// keeping status, code and request id so the caller can reconcile (`how`: where to look).
    pub(crate) fn into_outcome_unknown(mut self, how: &str) -> Error {
        let was = match (self.inner.kind, self.inner.dispatch) {
            (ErrorKind::Timeout, _) => "no answer came in time",
            (_, Dispatch::MaybeSent) => "the connection broke after the request was sent",
            (_, _) => "the service answered with an error that does not rule it out",
        };
        self.inner.kind = ErrorKind::OutcomeUnknown;
        self.inner.retryable = false;
        self.inner.hint = Some(format!(
            "the request may have been applied ({was}); check with {how} before trying again"
        ));
        self
    }

    /// The same failure after the caller stopped waiting (cancel, timeout, Ctrl-C) while a state
    /// change may have been on the wire; it runs to its end in the background.
    pub fn abandoned(op: &'static str, category: &str, what: &str) -> Error {
        let mut e = Error::new(
            ErrorKind::OutcomeUnknown,
            Dispatch::MaybeSent,
            format!("{what} while {op} may have been on the wire; it runs to its end in the background and its outcome is logged (WARN, target hcpartner)"),
        )
        .with_operation(op);
        e.inner.hint = Some(format!(
            "the request may have been applied; check with {} before trying again",
            crate::retry::reconcile_with(category)
        ));
        e
    }

    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }
    pub fn dispatch(&self) -> Dispatch {
        self.inner.dispatch
    }
    pub(crate) fn set_dispatch(&mut self, d: Dispatch) {
        self.inner.dispatch = d;
    }
    /// The service's error code (`CBC.0100`, `APIGW.0308`), or a client code for local failures.
    pub fn code(&self) -> Option<&str> {
        self.inner.code.as_deref()
    }
    /// The service's message, or ours for local failures.
    pub fn message(&self) -> &str {
        &self.inner.message
    }
    /// The `X-Request-Id` of the response, when there was one. Quote it to Huawei support.
    pub fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }
    pub fn status(&self) -> Option<u16> {
        self.inner.status
    }
    /// Whether trying the same call again later may succeed (throttling, transient server errors).
    pub fn retryable(&self) -> bool {
        self.inner.retryable
    }
    /// The offending field for `InvalidArgument`.
    pub fn field(&self) -> Option<&str> {
        self.inner.field.as_deref()
    }
    pub fn operation(&self) -> Option<&str> {
        self.inner.operation
    }
    /// A short English hint on what to do, from the code catalog.
    pub fn hint(&self) -> Option<&str> {
        self.inner.hint.as_deref()
    }
    /// The start of a body that could not be decoded (gateway HTML, truncated JSON).
    pub fn body_excerpt(&self) -> Option<&str> {
        self.inner.body_excerpt.as_deref()
    }
    /// How long the server asked us to wait (`Retry-After`).
    pub fn retry_after(&self) -> Option<Duration> {
        self.inner.retry_after
    }
    /// How many attempts were made before giving up.
    pub fn attempts(&self) -> u32 {
        self.inner.attempts
    }
}

/// `text` cut to `max` characters, marked with `…` when cut.
pub(crate) fn bounded(text: String, max: usize) -> String {
    if text.len() <= max {
        return text;
    }
    match text.char_indices().nth(max) {
        Some((cut, _)) => {
            let mut out = text[..cut].to_owned();
            out.push('…');
            out
        }
        None => text,
    }
}

/// A short quote of an input value for a message: at most [`QUOTE_MAX`] characters.
pub(crate) fn quote(text: &str) -> String {
    bounded(text.to_owned(), QUOTE_MAX)
}

/// A bounded, lossy UTF-8 excerpt of a body, cut on a character boundary.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(BODY_EXCERPT_MAX * 4)]);
    let mut out: String = text.chars().take(BODY_EXCERPT_MAX).collect();
    if text.chars().count() > BODY_EXCERPT_MAX {
        out.push('…');
    }
    out
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        if let Some(op) = i.operation {
            write!(f, "{op}: ")?;
        }
        match (&i.code, i.status) {
            (Some(code), Some(status)) => write!(f, "{code} (HTTP {status}): ")?,
            (Some(code), None) => write!(f, "{code}: ")?,
            (None, Some(status)) => write!(f, "HTTP {status}: ")?,
            (None, None) if i.field.is_none() => write!(f, "{}: ", i.kind.as_str())?,
            (None, None) => {}
        }
        if let Some(field) = &i.field {
            write!(f, "`{field}`: ")?;
        }
        f.write_str(&i.message)?;
        if let Some(hint) = &i.hint {
            write!(f, " — {hint}")?;
        }
        if let Some(id) = &i.request_id {
            write!(f, " [request id {id}]")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        let mut d = f.debug_struct("Error");
        d.field("kind", &i.kind)
            .field("dispatch", &i.dispatch)
            .field("message", &i.message);
        if let Some(v) = &i.code {
            d.field("code", v);
        }
        if let Some(v) = &i.status {
            d.field("status", v);
        }
        if let Some(v) = &i.request_id {
            d.field("request_id", v);
        }
        if let Some(v) = &i.field {
            d.field("field", v);
        }
        if let Some(v) = &i.operation {
            d.field("operation", v);
        }
        d.field("retryable", &i.retryable)
            .field("attempts", &i.attempts);
        if let Some(v) = &i.source {
            d.field("source", v);
        }
        d.finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner
            .source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
