"""Tests of the readers layer."""
