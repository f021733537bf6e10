//! monitoring: api.
