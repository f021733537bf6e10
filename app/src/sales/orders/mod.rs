//! Orders with delivery schedule, customer updates and exceptions (2.2.4); receivables, payments and ageing.
#[cfg(feature = "ssr")]
pub mod rules;
