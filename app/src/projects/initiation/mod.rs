//! Initiation (2.4.1-a, -b, -d): the project list, the project form, the overview (objectives, scope, team, kickoff) and the plan editor (schedule, resources, quality criteria, risks).
pub mod api;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod seed;
#[cfg(feature = "ssr")]
pub mod store;
