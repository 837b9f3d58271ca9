"""Tooling beside the app: the benchmark and the synthetic data it runs on."""
