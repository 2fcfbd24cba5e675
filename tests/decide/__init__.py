"""Tests of the decide layer."""
