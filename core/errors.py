"""The one error tree of briefgraph. Every failure the service reports is one of these; the API maps them to
HTTP in one place (services/errors.py) and the CLI prints their message.

BriefgraphError
├── InvalidInputError        bad input from a user: malformed query, unknown event type, bad date range (400/422)
│   └── UnreadableBriefError a source that cannot be read as a brief: empty, binary, wrong encoding, too big
├── NotFoundError            an id that is not stored (404)
├── ConfigurationError       settings that cannot work, found at start (exit / 500 at start)
├── AccessDeniedError        missing or wrong API key (401 / 403)
└── StoreError               a backing store failed
    ├── StoreUnavailableError    cannot reach it, auth failed, locked by another process (503)
    └── StoreTimeoutError        a query ran past its limit (504)
"""

from __future__ import annotations


class BriefgraphError(Exception):
    """Base of every error briefgraph raises on purpose."""


class InvalidInputError(BriefgraphError):
    """The caller sent something we cannot accept; the message says what and why."""


class UnreadableBriefError(InvalidInputError):
    """A source could not be turned into a brief (empty, binary, undecodable, too large, malformed)."""


class NotFoundError(BriefgraphError):
    """The requested brief or actor is not stored."""


class ConfigurationError(BriefgraphError):
    """Settings that cannot work; raised at start, before anything is written."""


class AccessDeniedError(BriefgraphError):
    """A write (or protected read) came without a valid API key."""

    def __init__(self, message: str, *, missing: bool) -> None:
        super().__init__(message)
        self.missing = missing


class StoreError(BriefgraphError):
    """A backing store (graph or vectors) failed."""


class StoreUnavailableError(StoreError):
    """The store cannot be reached, refused our credentials, or is locked by another process."""


class StoreTimeoutError(StoreError):
    """A store query ran past its time limit."""
