//! response: model.
