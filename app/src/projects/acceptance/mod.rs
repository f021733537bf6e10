//! Acceptance (2.4.4): the application with attachments, the review checklist, the acceptance report and the retrospective.
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod rules;
#[cfg(feature = "ssr")]
pub mod seed;
#[cfg(feature = "ssr")]
pub mod store;
