//! Register and assessment (5.1): risks with category, department, owner and related records; inherent and residual assessment on the 5×5 matrix with history and trend; assessment rounds per department (5.1-a); categories.
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod rules;
#[cfg(feature = "ssr")]
pub mod seed;
#[cfg(feature = "ssr")]
pub mod store;
