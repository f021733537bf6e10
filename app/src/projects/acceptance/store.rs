//! The SQL of this part.
