"""Helpers for tests and benchmarks: real services started on 127.0.0.1 (never a mock)."""
