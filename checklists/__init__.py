"""Packaged requirement checklists (YAML data, shipped inside the wheel)."""
