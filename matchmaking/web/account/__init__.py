"""One's own account: sign-up, log-in, password, settings, the calendar feed."""
from .blueprint import bp

__all__ = ["bp"]
