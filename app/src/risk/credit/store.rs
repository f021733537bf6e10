//! credit: store.
