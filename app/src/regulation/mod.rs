//! The regulation catalogue, browsable at /regulation.
pub mod model;
pub mod pages;
