"""Listing fields are untrusted input: the one place that turns them into ids, years and URLs.

Why one place: a portal's JSON or HTML decides what we request and what the manifest keeps.
A year `"²"` (`str.isdigit()` is true, `int()` fails), a 20-digit year (SQLite INTEGER
overflows), an entry that is a list, a file id `../../x` or `1?x=2` — each crashed the crawl
or stored a URL whose text later became a path. Here each is a `ListingFieldError` with a
stable code, recorded as a listing event; the entry (or just the field) is dropped and the
crawl goes on.

URLs kept in the manifest never contain a dot segment (`.`/`..`, also percent-encoded) in the
path or the query, a backslash, or control characters: URL text is data, but some consumers
still build names from it, so the store only ever holds URLs that are safe for them.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote, urlsplit

from crawl.errors import ListingFieldError

MIN_YEAR, MAX_YEAR = 1949, 2100
MAX_ID_LENGTH = 200
MAX_URL_LENGTH = 2000
#: Letters, digits and `-_.~` (RFC 3986 unreserved), plus a few characters ids use in practice.
_ID = re.compile(r"[A-Za-z0-9_.~\-:+=,@]+")
_DOT_SEGMENT = re.compile(r"(^|[/\\?&=;])\.{1,2}($|[/\\?&#;])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def parse_year(value: Any, where: str) -> int | None:
    """A fiscal year from a listing field: an int or four ASCII digits in [1949, 2100]; None when absent."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ListingFieldError("bad_year", f"{where}: year {value!r} is not a number")
    text = str(value).strip()
    if not re.fullmatch(r"[0-9]{1,4}", text):
        raise ListingFieldError("bad_year", f"{where}: year {text[:40]!r} is not four ASCII digits")
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ListingFieldError("bad_year", f"{where}: year {year} is outside {MIN_YEAR}–{MAX_YEAR}")
    return year


def parse_id(value: Any, what: str, where: str) -> str:
    """A department or file id: a non-empty string (or int) of safe characters, never `.` or `..`."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ListingFieldError(f"bad_{what}_id", f"{where}: {what} id {value!r} is missing or not a string")
    text = str(value)
    if not text or len(text) > MAX_ID_LENGTH or not _ID.fullmatch(text) or text in (".", ".."):
        raise ListingFieldError(
            f"bad_{what}_id",
            f"{where}: {what} id {text[:60]!r} is empty, too long or has characters outside "
            "letters, digits and -_.~:+=,@ (a path, a query string?); entry skipped",
        )
    return text


def parse_text(value: Any, what: str, where: str) -> str:
    """A title or name: a string (numbers accepted), anything else is refused."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ListingFieldError(f"bad_{what}", f"{where}: {what} {str(value)[:60]!r} is not text")
    return str(value)


def require_object(value: Any, what: str, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ListingFieldError("bad_entry", f"{where}: a {what} entry is {type(value).__name__}, not an object")
    return value


def url_problem(url: str) -> str | None:
    """Why `url` must not be stored as a document URL, or None when it is fine."""
    if len(url) > MAX_URL_LENGTH:
        return f"longer than {MAX_URL_LENGTH} characters"
    if _CONTROL.search(url) or "\\" in url:
        return "contains control characters or a backslash"
    parts = urlsplit(url)
    for name, text in (("path", parts.path), ("query", parts.query)):
        for candidate in {text, unquote(text)}:
            if _DOT_SEGMENT.search(candidate) or "\\" in candidate:
                return f"its {name} has a '.' or '..' segment ({text[:80]!r})"
    return None


def check_document_url(url: str, where: str) -> str:
    problem = url_problem(url)
    if problem:
        raise ListingFieldError("unsafe_url", f"{where}: document URL {url[:120]!r} refused: {problem}")
    return url
