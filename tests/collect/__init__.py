"""Tests of the collect layer."""
