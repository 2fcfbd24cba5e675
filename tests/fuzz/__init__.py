"""Fuzzing: nothing but InventoryError escapes the readers."""
