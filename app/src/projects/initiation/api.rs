//! Server functions of this part.
