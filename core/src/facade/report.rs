//! One rendering of an error for every face: the Python exception's attributes, the Node
//! error's properties and the C `hcp_error` getters all read this.

use serde::Serialize;

use super::numbers::Numbers;
use super::reconcile::Ticket;
use crate::error::Error;

/// Everything a face shows of an [`Error`]. Never holds a secret (the error never does).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorReport {
    /// `InvalidArgument`, `Auth`, `Api`, `Throttled`, `Decode`, `Timeout`, `Connect`,
    /// `OutcomeUnknown` or `Internal`.
    pub kind: &'static str,
    /// The kind's stable number ([`crate::ErrorKind::code`]).
    pub code: u32,
    /// `not_sent`, `maybe_sent` or `responded`: how far the request got.
    pub dispatch: &'static str,
    pub status: Option<u16>,
    /// The service's code (`CBC.0100`).
    pub error_code: Option<String>,
    /// The service's message, or ours.
    pub error_msg: String,
    /// The whole one-line text (operation, code, field, message, hint, request id).
    pub display: String,
    pub request_id: Option<String>,
    pub retryable: bool,
    pub field: Option<String>,
    pub operation: Option<String>,
    pub hint: Option<String>,
    pub attempts: u32,
    pub body_excerpt: Option<String>,
    /// What an `OutcomeUnknown` of a funding, reclaim or coupon call was (customer, amounts,
    /// coupon, when): hand it to `reconcile`. Never a secret.
    pub ticket: Option<Ticket>,
}

impl From<&Error> for ErrorReport {
    fn from(e: &Error) -> ErrorReport {
        ErrorReport {
            kind: e.kind().as_str(),
            code: e.kind().code(),
            dispatch: e.dispatch().as_str(),
            status: e.status(),
            error_code: e.code().map(str::to_owned),
            error_msg: e.message().to_owned(),
            display: e.to_string(),
            request_id: e.request_id().map(str::to_owned),
            retryable: e.retryable(),
            field: e.field().map(str::to_owned),
            operation: e.operation().map(str::to_owned),
            hint: e.hint().map(str::to_owned),
            attempts: e.attempts(),
            body_excerpt: e.body_excerpt().map(str::to_owned),
            ticket: e.ticket().cloned(),
        }
    }
}

impl ErrorReport {
    /// The report with its ticket's amounts as `numbers` says (a JSON face that reads numbers
    /// as doubles keeps them exact as strings).
    pub fn with_numbers(mut self, numbers: Numbers) -> ErrorReport {
        self.ticket = self.ticket.map(|t| t.shaped(numbers));
        self
    }
}

impl Error {
    /// This error as every face renders it.
    pub fn report(&self) -> ErrorReport {
        ErrorReport::from(self)
    }
}

#[cfg(test)]
mod tests {
    use crate::error::ErrorKind;

    /// The numbers are part of every face's API (C enums, Node `err.code`): never change one.
    #[test]
    fn codes_are_pinned() {
        let pinned: Vec<(&str, u32)> = ErrorKind::ALL
            .iter()
            .map(|k| (k.as_str(), k.code()))
            .collect();
        assert_eq!(
            pinned,
            [
                ("InvalidArgument", 100),
                ("Auth", 200),
                ("Api", 300),
                ("Throttled", 301),
                ("Decode", 302),
                ("Timeout", 400),
                ("Connect", 401),
                ("OutcomeUnknown", 500),
                ("Internal", 900),
            ]
        );
        for k in ErrorKind::ALL {
            assert_eq!(ErrorKind::from_code(k.code()), Some(k));
        }
        assert_eq!(ErrorKind::from_code(0), None);
        let report = crate::Error::invalid_argument("amount", "bad").report();
        assert_eq!(
            (report.code, report.field.as_deref()),
            (100, Some("amount"))
        );
    }
}
