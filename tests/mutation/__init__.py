"""Tests written to kill the mutants that mutation testing left alive."""
