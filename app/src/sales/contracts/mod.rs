//! Contracts (2.2.3): drafted from a won opportunity, required terms, parallel
//! review by the configured departments, signing within a person's authority,
//! copies distributed and acknowledged, receivables from the payment schedule,
//! amendments as new revisions with the earlier ones kept readable.
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod rules;
#[cfg(feature = "ssr")]
pub mod seed;
#[cfg(feature = "ssr")]
pub mod store;
