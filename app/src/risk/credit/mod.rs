//! Credit risk (5.2-c): customer credit evaluation (scored from the data and rated factors, reviewed and approved, setting the customer's rating and limit) and receivables ageing with the bad-debt provision.
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod seed;
#[cfg(feature = "ssr")]
pub mod store;
