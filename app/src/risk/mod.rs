//! Risk (regulation 5.1 to 5.3 and the principle 1.3-e): the register and
//! assessment rounds on a 5×5 matrix (5.1), responses, measures, acceptance
//! approval and effectiveness reviews (5.2-a/b/d/e), customer credit
//! evaluation and receivables ageing (5.2-c), key risk indicators on live data,
//! escalation, department reports and the company risk warning report (5.3),
//! and the risk dashboard. Shared here: levels and bands, statuses, who may see
//! and change which risks, escalation, the heat map grid and the tab frame.
pub mod credit;
#[cfg(feature = "ssr")]
pub mod demo;
pub mod model;
pub mod monitoring;
pub mod pages;
pub mod register;
pub mod response;
pub mod dashboard;
#[cfg(feature = "ssr")]
pub mod store;
