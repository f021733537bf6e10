//! register: store.
