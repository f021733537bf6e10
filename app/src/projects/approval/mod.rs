//! Plan review and approval (2.4.1-c), versioned baselines and change requests (2.4.3-c).
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod rules;
#[cfg(feature = "ssr")]
pub mod seed;
#[cfg(feature = "ssr")]
pub mod store;
