//! Response (5.2-a/b/d/e): strategy, executive approval of accepted risks above low, measures with owners and due dates, effectiveness reviews that re-score the residual risk.
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod rules;
#[cfg(feature = "ssr")]
pub mod seed;
#[cfg(feature = "ssr")]
pub mod store;
