//! `seed --scale`: generated risks with history (for benchmarks).
