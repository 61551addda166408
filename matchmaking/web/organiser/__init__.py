"""The organiser console: one blueprint, one gate (see blueprint.py)."""
from .blueprint import bp, home

__all__ = ["bp", "home"]
