//! Product catalogue, pipeline stages, opportunities with objections, quotations with discount approval, the pipeline board (2.2.2).
#[cfg(feature = "ssr")]
pub mod rules;
