//! credit: api.
