"""Errors a service raises; the web layer turns them into a flash message or a 404."""
from __future__ import annotations


class ServiceError(Exception):
    """A request the service refuses, with a message fit to show the person who made it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(Exception):
    """The thing does not exist, or the acting user may not see it (the two look the same).

    Deliberately not a ServiceError: routes catch those to flash them, while this one must reach
    the 404 handler.
    """


class Conflict(ServiceError):
    """The state changed under the user (already answered, already booked, deadline passed)."""


class NothingToSchedule(ServiceError):
    """A scheduler run was asked for an event with no live meetings: not a failure, nothing to do."""
