"""What adapters hand the crawler: document candidates and listing problems."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from crawl.errors import ListingFieldError
from crawl.registry import Source
from crawl.untrusted import parse_year


@dataclass(frozen=True)
class Candidate:
    """A document URL found on a listing, with what the listing says about it."""

    url: str
    title: str = ""
    department: str = ""
    year: int | None = None


@dataclass(frozen=True)
class ListingProblem:
    url: str
    code: str
    reason: str


@dataclass
class Discovery:
    candidates: list[Candidate] = field(default_factory=list)
    problems: list[ListingProblem] = field(default_factory=list)
    pages: int = 0

    def add(self, candidate: Candidate) -> None:
        if all(c.url != candidate.url for c in self.candidates):
            self.candidates.append(candidate)


def describe(source: Source, title: str, url: str) -> tuple[str, int | None]:
    """Department and year from the link text (or, failing that, the file name) by the source's patterns."""
    texts = [title, unquote(urlsplit(url).path.rsplit("/", 1)[-1])]
    department, year = "", None
    for text in texts:
        if not department and (m := re.search(source.department_pattern, text)) and m.groupdict().get("department"):
            department = m.group("department").strip()
        if year is None and (m := re.search(source.year_pattern, text)):
            try:
                year = parse_year(m.groupdict().get("year") or m.group(1), url)
            except ListingFieldError:
                continue  # `\d` also matches non-ASCII digits; a year we cannot read is no year
    return department, year
