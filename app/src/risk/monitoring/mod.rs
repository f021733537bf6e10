//! Monitoring (5.3): key risk indicators on live data with thresholds, escalation records, department risk reports (5.3-b) and the company risk warning report (5.3-c).
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod seed;
#[cfg(feature = "ssr")]
pub mod store;
