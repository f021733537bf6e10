//! monitoring: model.
