//! dashboard: api.
