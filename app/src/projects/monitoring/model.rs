//! Types and pure rules of this part.
