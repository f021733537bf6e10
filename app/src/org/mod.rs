//! Organisation and people: departments, positions, employees and their accounts.
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
