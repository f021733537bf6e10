//! Browsing the audit trail (admins) and each record's own history.
pub mod api;
pub mod pages;
