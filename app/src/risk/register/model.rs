//! register: model.
