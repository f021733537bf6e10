//! Compliance rules: each names its clause, is evaluated against the database and
//! returns the records that break it, with links (clause 1.3-a: the compliance map).
pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod rules;

use crate::core::i18n::K;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Violation {
    pub label: String,
    pub link: String,
    pub detail: K,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RuleStatus {
    pub clause: String,
    pub title: K,
    /// How many records break the rule (the list below may be shortened).
    pub count: i64,
    pub violations: Vec<Violation>,
}

impl RuleStatus {
    pub fn compliant(&self) -> bool {
        self.count == 0
    }
}
