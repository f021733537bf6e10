//! response: api.
