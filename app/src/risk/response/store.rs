//! response: store.
