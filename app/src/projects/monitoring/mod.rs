//! Monitoring and early warning (2.4.3): the computed figures (PV, EV, AC, SPI, CPI), health and warnings, PMO evaluations, the project status dashboard and the Gantt view.
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod scale;
#[cfg(feature = "ssr")]
pub mod seed;
#[cfg(feature = "ssr")]
pub mod store;
