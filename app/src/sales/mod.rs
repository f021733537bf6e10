//! Sales (regulation 2.2): customers and visits (2.2.1), opportunities,
//! catalogue and quotations (2.2.2), contracts with review, signing and
//! distribution (2.2.3), orders and exceptions (2.2.4), receivables, and the
//! pipeline dashboard. Each part has the module shape: model, store, api, pages.
pub mod customers;
pub mod pipeline;
pub mod contracts;
pub mod orders;
pub mod dashboard;
