//! dashboard: model.
