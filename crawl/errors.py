"""Crawl errors. Bad *files* are recorded as events in the manifest; these are for a broken *crawl*.

    OpenDisclosureError (core.errors)
    └── ConfigurationError
        └── RegistryError       sources.toml cannot be used as written
    └── CrawlError              a listing could not be read (after retries); the source is skipped
        └── RefusedError        a request was refused by our own policy (host, address, robots)
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
