//! Compliance rules of this part.
use crate::compliance::rules::Rule;

pub const RULES: &[Rule] = &[];
