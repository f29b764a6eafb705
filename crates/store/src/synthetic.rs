//! Generated data for benchmarks.
