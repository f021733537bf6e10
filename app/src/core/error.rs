//! The one application error type. It crosses the wire from server functions
//! to the browser (JSON), maps to an HTTP status and to a translated message.
use crate::core::i18n::K;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub key: K,
    /// Values for the message's `{placeholders}`.
    #[serde(default)]
    pub params: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not signed in")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// The record changed since the user opened it (optimistic locking); `current`
    /// holds the values now stored, so the user can see what changed.
    #[error("record changed by someone else")]
    Conflict { current: serde_json::Value },
    #[error("too many attempts")]
    Throttled { retry_after_secs: i64 },
    #[error("internal error")]
    Internal,
    /// Transport or decoding problems reported by the server-function machinery.
    #[error("request failed: {0}")]
    Request(String),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn field(field: &str, key: K) -> AppError {
        AppError::Validation(vec![FieldError { field: field.into(), key, params: vec![] }])
    }
    pub fn status(&self) -> u16 {
        match self {
            AppError::Unauthenticated => 401,
            AppError::Forbidden => 403,
            AppError::NotFound => 404,
            AppError::Validation(_) => 422,
            AppError::Conflict { .. } => 409,
            AppError::Throttled { .. } => 429,
            AppError::Internal => 500,
            AppError::Request(_) => 400,
        }
    }
    pub fn message_key(&self) -> K {
        match self {
            AppError::Unauthenticated => K::ErrUnauthenticated,
            AppError::Forbidden => K::ErrForbidden,
            AppError::NotFound => K::ErrNotFound,
            AppError::Validation(_) => K::ErrValidation,
            AppError::Conflict { .. } => K::ErrConflict,
            AppError::Throttled { .. } => K::ErrThrottled,
            AppError::Internal => K::ErrInternal,
            AppError::Request(_) => K::ErrRequest,
        }
    }
    /// The error for one form field, if any.
    pub fn field_error(&self, field: &str) -> Option<&FieldError> {
        match self {
            AppError::Validation(v) => v.iter().find(|e| e.field == field),
            _ => None,
        }
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;
    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        AppError::Request(value.to_string())
    }
}

/// Collects field errors during validation.
#[derive(Default, Debug)]
pub struct Checks(pub Vec<FieldError>);

impl Checks {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn add(&mut self, field: &str, key: K) {
        self.0.push(FieldError { field: field.into(), key, params: vec![] });
    }
    pub fn add_with(&mut self, field: &str, key: K, params: Vec<(String, String)>) {
        self.0.push(FieldError { field: field.into(), key, params });
    }
    pub fn require(&mut self, field: &str, value: &str) {
        if value.trim().is_empty() {
            self.add(field, K::ValRequired);
        }
    }
    pub fn max_len(&mut self, field: &str, value: &str, max: usize) {
        if value.chars().count() > max {
            self.add_with(field, K::ValTooLong, vec![("max".into(), max.to_string())]);
        }
    }
    pub fn finish(self) -> Result<(), AppError> {
        if self.0.is_empty() { Ok(()) } else { Err(AppError::Validation(self.0)) }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(e: sqlx::Error) -> Self {
        tracing::error!(error = %e, "database error");
        AppError::Internal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_field_lookup() {
        let e = AppError::field("name", K::ValRequired);
        assert_eq!(e.status(), 422);
        assert_eq!(e.field_error("name").map(|f| f.key), Some(K::ValRequired));
        assert!(e.field_error("other").is_none());
        let mut c = Checks::new();
        c.require("a", "  ");
        c.max_len("b", "abcd", 3);
        match c.finish() {
            Err(AppError::Validation(v)) => assert_eq!(v.len(), 2),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn error_survives_the_wire() {
        let e = AppError::Conflict { current: serde_json::json!({"name": "x", "version": 3}) };
        let s = serde_json::to_string(&e).expect("serialize");
        assert_eq!(serde_json::from_str::<AppError>(&s).expect("deserialize"), e);
    }
}
