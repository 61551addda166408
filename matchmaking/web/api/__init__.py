"""The JSON API at /api/v1: the same services as the pages, for machines (see blueprint.py)."""
from .blueprint import register_api

__all__ = ["register_api"]
