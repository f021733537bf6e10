//! Every server test in one binary: one link of the whole app instead of one per
//! file (faster builds, a fraction of the disk). Each module is one area.
#[macro_use]
mod common;

mod api;
mod cli;
mod concurrency;
mod projects_acceptance;
mod projects_approval;
mod projects_execution;
mod projects_initiation;
mod projects_monitoring;
mod risk_register;
mod risk_dashboard;
mod sales_contracts;
mod sales_customers;
mod sales_dashboard;
mod sales_orders;
mod sales_pipeline;
mod risk_response;
mod risk_credit;
mod risk_monitoring;
