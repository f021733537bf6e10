//! credit: model.
