//! Compliance rules of this part (added to the registry in compliance::rules).
use crate::compliance::rules::Rule;

pub const RULES: &[Rule] = &[];
