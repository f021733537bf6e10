//! Execution (2.4.2): task progress, progress meetings and action items, the issue log, delays, quality checks, costs and people allocation.
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod rules;
#[cfg(feature = "ssr")]
pub mod seed;
#[cfg(feature = "ssr")]
pub mod store;
