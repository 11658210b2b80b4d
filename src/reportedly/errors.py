"""Errors a user can act on. The CLI prints them as one line naming the input, and exits 2."""
from __future__ import annotations


class InputError(Exception):
    """This input can't be read as an article: the message says why, in a few words."""

    def __init__(self, reason: str, source: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.source = source

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}" if self.source else self.reason
