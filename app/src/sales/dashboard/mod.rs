//! The pipeline dashboard for executives: funnel, won vs. target, win rate and cycle time, slipping deals, review turnaround, ageing.
#[cfg(feature = "ssr")]
pub mod rules;
