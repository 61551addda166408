"""What participants see: the public event pages and, once registered, finding partners and meeting them."""
from .blueprint import bp, public

__all__ = ["bp", "public"]
