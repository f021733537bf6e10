//! The pipeline dashboard for executives: funnel, won vs. target, win rate and
//! cycle time, slipping deals, review turnaround, ageing. Filters: period,
//! department, owner. Every chart has its numbers as a table beside it.
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod scale;
#[cfg(feature = "ssr")]
pub mod store;
