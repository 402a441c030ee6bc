"""How to find documents on a portal. Each adapter turns a `Source` into `Candidate`s.

Adapters only read listings (through the fetcher, so robots/rate limits/host checks apply);
they never download documents. A listing that cannot be read becomes a `ListingProblem`
and the rest of the source is still crawled.
"""

from __future__ import annotations

from collections.abc import Callable

from crawl.adapters.base import Candidate, Discovery, ListingProblem
from crawl.adapters.html_listing import discover_html
from crawl.adapters.json_api import discover_json
from crawl.fetcher import Fetcher
from crawl.registry import Source

ADAPTERS: dict[str, Callable[[Source, Fetcher], Discovery]] = {
    "html_listing": discover_html,
    "json_api": discover_json,
}

__all__ = ["ADAPTERS", "Candidate", "Discovery", "ListingProblem"]
