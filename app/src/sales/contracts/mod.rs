//! Contracts: required terms, parallel review, signing authority, distribution of copies, versions (2.2.3).
#[cfg(feature = "ssr")]
pub mod rules;
