//! Conduct (chapter 3). Clause 3.1-a: every active employee acknowledges the code
//! of conduct once a year, in the app.
pub mod api;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
