"""The one family of errors a user may see.

Every error meant for a person derives from :class:`RekindleError`. The CLI and the web
catch it at one boundary and print ``message`` (and ``hint`` when there is one) without a
traceback; ``--debug`` shows the traceback.
"""

from __future__ import annotations


class RekindleError(Exception):
    """Base of every error Rekindle reports to a user."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class UserError(RekindleError):
    """The user asked for something that cannot be done as asked."""


class ImportFileError(UserError):
    """A whole file cannot be imported (missing, unreadable, not a contact format)."""


class NotFoundError(UserError):
    """A person, record or other object named by the user does not exist."""


class AmbiguousError(UserError):
    """A name matched several people; ``candidates`` lists them."""

    def __init__(self, message: str, candidates: list[tuple[int, str]], hint: str | None = None):
        super().__init__(message, hint)
        self.candidates = candidates


class StrictImportError(UserError):
    """``--strict`` was given and a record was malformed."""
