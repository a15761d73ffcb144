//! Error answers in the shapes the real service uses.

use serde_json::{json, Value};

/// Which body shape an error takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// BSS: `{"error_code", "error_msg"}`.
    Bss,
    /// API gateway: `{"error_code", "error_msg", "request_id"}`.
    Gateway,
    /// IAM (Keystone): `{"error": {"code", "message", "title"}}`.
    Keystone,
}

/// An error answer: HTTP status, service code and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub code: String,
    pub msg: String,
    pub shape: Shape,
}

impl ApiError {
    pub fn new(status: u16, code: &str, msg: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code: code.to_owned(),
            msg: msg.into(),
            shape: Shape::Bss,
        }
    }

    pub fn gateway(status: u16, code: &str, msg: impl Into<String>) -> ApiError {
        ApiError {
            shape: Shape::Gateway,
            ..ApiError::new(status, code, msg)
        }
    }

    pub fn keystone(status: u16, title: &str, msg: impl Into<String>) -> ApiError {
        ApiError {
            shape: Shape::Keystone,
            ..ApiError::new(status, title, msg)
        }
    }

    /// CBC.0100, naming the offending field.
    pub fn param(field: &str, problem: impl std::fmt::Display) -> ApiError {
        ApiError::new(
            400,
            "CBC.0100",
            format!("Parameter error: `{field}` {problem}."),
        )
    }

    /// CBC.0151: the caller's kind may not use this API.
    pub fn denied(why: impl std::fmt::Display) -> ApiError {
        ApiError::new(403, "CBC.0151", format!("Access denied. {why}"))
    }

    /// CBC.99000000: the customer is not one of this partner's.
    pub fn not_your_customer(customer_id: &str) -> ApiError {
        ApiError::new(
            400,
            "CBC.99000000",
            format!("You have no permission on customer {customer_id}: it is not your customer."),
        )
    }

    /// 401 APIGW.0301 from the gateway.
    pub fn signature(detail: impl std::fmt::Display) -> ApiError {
        ApiError::gateway(
            401,
            "APIGW.0301",
            format!("Incorrect IAM authentication information: {detail}"),
        )
    }

    /// 401 APIGW.0307: unknown or expired token.
    pub fn token_expired() -> ApiError {
        ApiError::gateway(401, "APIGW.0307", "The token must be updated.")
    }

    /// The JSON body of this error.
    pub fn body(&self, request_id: &str) -> Value {
        match self.shape {
            Shape::Bss => json!({"error_code": self.code, "error_msg": self.msg}),
            Shape::Gateway => {
                json!({"error_code": self.code, "error_msg": self.msg, "request_id": request_id})
            }
            Shape::Keystone => {
                json!({"error": {"code": self.status, "title": self.code, "message": self.msg}})
            }
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status, self.code, self.msg)
    }
}

impl std::error::Error for ApiError {}

pub type ApiResult<T> = Result<T, ApiError>;
