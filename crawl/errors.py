"""Crawl errors. Bad *files* are recorded as events in the manifest; these are for a broken *crawl*.

    OpenDisclosureError (core.errors)
    └── ConfigurationError
        └── RegistryError          sources.toml cannot be used as written
    └── CrawlError                 a listing could not be read (after retries); the source is skipped
        ├── RefusedError           a request was refused by our own policy (host, port, address, robots)
        ├── DeadlineExceededError  a request did not complete within `deadline_seconds` (never retried)
        └── ListingFieldError      a listing field (id, year, URL, entry) is unusable; that entry is skipped

Every CrawlError carries a stable `code` (the manifest's `events.reason_code`).
"""

from __future__ import annotations

from core.errors import ConfigurationError, OpenDisclosureError


class RegistryError(ConfigurationError):
    pass


class CrawlError(OpenDisclosureError):
    """`code` is a stable, machine-readable reason kept in the manifest."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class RefusedError(CrawlError):
    pass


class DeadlineExceededError(CrawlError):
    """A slow or trickling server: waiting again would not help, so it is not retried."""


class ListingFieldError(CrawlError):
    """Hostile or broken listing data: recorded as a listing event; the crawl goes on."""
