"""JSON Schemas of the documents this package reads and writes, shipped as package data."""
