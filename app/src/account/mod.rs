//! Signing in and out, the user's own account (password, language, time zone).
pub mod api;
pub mod pages;
