"""Tests of the inventory layer."""
