//! The risk dashboard for executives and the risk department: heat maps, risks by category and department, trend of high and critical risks, indicator gauges, receivables ageing, credit-limit breaches; monthly level statistics; the generated scale data.
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod scale;
#[cfg(feature = "ssr")]
pub mod seed;
#[cfg(feature = "ssr")]
pub mod store;
