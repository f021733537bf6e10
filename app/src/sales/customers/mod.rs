//! Customers, contacts and visits (2.2.1).
#[cfg(feature = "ssr")]
pub mod rules;
