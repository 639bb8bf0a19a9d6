"""Packaged report templates (shipped inside the wheel)."""
