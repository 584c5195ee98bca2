"""Errors a user can act on. Anything else that escapes is a bug."""

from __future__ import annotations


class DrillplannerError(Exception):
    """Base of every error whose message is meant for the user."""


class ValidationError(DrillplannerError):
    """A value a user entered breaks a rule; ``field`` names the field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class NotFoundError(DrillplannerError):
    """A record named by the user does not exist (any more)."""


class ConflictError(DrillplannerError):
    """The change would break uniqueness or a reference (e.g. a duplicate name)."""


class StaleEditError(ConflictError):
    """Someone else changed the record after this edit started from it; nothing was
    written. ``current`` is the record as it is now (theirs), to show beside the edit."""

    def __init__(self, message: str, current: object) -> None:
        super().__init__(message)
        self.current = current
