//! register: api.
