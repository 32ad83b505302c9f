"""The deterministic sample network behind `rekindle demo` and the benchmarks."""
