//! Benchmarks only: see `benches/`, run by `cargo xtask bench`.
