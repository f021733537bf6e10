//! Projects (regulation 2.4): initiation with team, kickoff and the four-part
//! plan (2.4.1), plan review and approval with versioned baselines and change
//! requests (2.4.1-c, 2.4.3-c), execution (2.4.2), PMO monitoring with early
//! warning and the project status dashboard (2.4.3), acceptance with report and
//! retrospective (2.4.4). Shared here: the project's status, priority and
//! health, who may do what on a project, its header and tab frame.
pub mod acceptance;
pub mod api;
pub mod approval;
#[cfg(feature = "ssr")]
pub mod demo;
pub mod execution;
pub mod initiation;
pub mod model;
pub mod monitoring;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod store;
