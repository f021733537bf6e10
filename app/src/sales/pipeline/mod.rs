//! Product catalogue, pipeline stages, opportunities with objections, quotations with discount approval, the pipeline board (2.2.2).
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod rules;
#[cfg(feature = "ssr")]
pub mod seed;
#[cfg(feature = "ssr")]
pub mod store;

/// Creates the default stages when there are none (called from `app::seed::ensure_baseline`).
#[cfg(feature = "ssr")]
pub use store::ensure_baseline;
