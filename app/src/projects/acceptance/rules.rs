//! Compliance rules of this part (registered in compliance::rules).
use crate::compliance::rules::Rule;

pub const RULES: &[Rule] = &[];
