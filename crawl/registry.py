"""Portals as data: `sources.toml` → frozen `Source` records that check themselves.

Why data: a new portal, a new listing layout or a politer delay is an edit to the
registry, not new code. Every key is documented at the top of `crawl/sources.toml`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from crawl.errors import RegistryError

DEFAULT_REGISTRY = Path(__file__).with_name("sources.toml")
AdapterKind = Literal["html_listing", "json_api"]
DEFAULT_KEYWORDS = ("部门决算", "部门预算", "预决算公开")
DEFAULT_DOCUMENT_PATTERNS = (r"\.pdf(\?|$)", r"viewer\.html\?(.*&)?file=")
DEFAULT_DEPARTMENT_PATTERN = r"^\s*(?P<department>[^\s0-9（(]+?)\s*(20\d{2})\s*年"
DEFAULT_YEAR_PATTERN = r"(?P<year>20\d{2})\s*年"


@dataclass(frozen=True)
class HtmlListing:
    """How to find documents on static HTML listing pages."""

    keywords: tuple[str, ...] = DEFAULT_KEYWORDS
    document_patterns: tuple[str, ...] = DEFAULT_DOCUMENT_PATTERNS
    detail_patterns: tuple[str, ...] = ()
    next_page_text: tuple[str, ...] = ("下一页", "下页")
    page_url_template: str = ""
    max_pages: int = 20


@dataclass(frozen=True)
class JsonApi:
    """A JSON/form API in the Jiangsu 预决算公开 platform style: departments → files → download by id.

    URL and form templates are `str.format` strings with `{year}`, `{dept_id}`, `{page}`, `{file_id}`.
    Paths (`departments_path`, `files_path`) are dotted keys into the JSON answer.
    """

    departments_url: str
    files_url: str
    download_url: str
    years: tuple[int, ...] = ()
    method: Literal["GET", "POST"] = "GET"
    files_form: dict[str, str] = field(default_factory=dict)
    departments_path: str = "data"
    department_id_field: str = "id"
    department_name_field: str = "name"
    files_path: str = "data"
    file_id_field: str = "id"
    file_title_field: str = "title"
    file_year_field: str = "year"
    max_pages: int = 20


@dataclass(frozen=True)
class Source:
    """One portal. Politeness and safety are per source, so a fragile portal can be slowed down alone."""

    name: str
    title: str
    kind: AdapterKind
    start_urls: tuple[str, ...]
    allowed_hosts: tuple[str, ...]
    region: str = ""
    level: str = ""
    enabled: bool = True
    tested: bool = False
    notes: str = ""
    delay_seconds: float = 1.0
    concurrency: int = 1
    retries: int = 3
    backoff_seconds: float = 2.0
    timeout_seconds: float = 30.0
    deadline_seconds: float = 120.0
    max_bytes: int = 100 * 1024 * 1024
    allow_private: bool = False
    respect_robots: bool = True
    user_agent: str = "opendisclosure-crawler/0.1 (+https://github.com/opendisclosure)"
    department_pattern: str = DEFAULT_DEPARTMENT_PATTERN
    year_pattern: str = DEFAULT_YEAR_PATTERN
    html: HtmlListing | None = None
    api: JsonApi | None = None

    def __post_init__(self) -> None:
        where = f"source {self.name!r}"
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", self.name):
            raise RegistryError(f"{where}: name must be lowercase letters, digits, '-' or '_'")
        if self.kind == "html_listing" and self.html is None:
            raise RegistryError(f"{where}: kind = 'html_listing' needs a [source.html] table")
        if self.kind == "json_api" and self.api is None:
            raise RegistryError(f"{where}: kind = 'json_api' needs a [source.api] table")
        if self.kind == "html_listing" and not self.start_urls:
            raise RegistryError(f"{where}: give at least one start_urls entry")
        if not self.allowed_hosts:
            raise RegistryError(f"{where}: allowed_hosts is empty; list the hosts the crawler may request")
        if self.delay_seconds < 0 or self.concurrency < 1 or self.retries < 0:
            raise RegistryError(f"{where}: delay_seconds >= 0, concurrency >= 1 and retries >= 0 are required")
        if not (self.timeout_seconds > 0 and self.deadline_seconds > 0 and self.max_bytes > 0):
            raise RegistryError(f"{where}: timeout_seconds, deadline_seconds and max_bytes must be positive")
        for url in self.start_urls:
            if urlsplit(url).scheme not in ("http", "https"):
                raise RegistryError(f"{where}: start URL {url!r} is not http(s)")
        for pattern in (self.department_pattern, self.year_pattern, *(self.html.document_patterns if self.html else ())):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise RegistryError(f"{where}: bad regular expression {pattern!r}: {exc}") from exc


def _build(cls: type, raw: dict[str, Any], where: str) -> Any:
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise RegistryError(f"{where}: unknown key(s) {unknown}; see the key list at the top of sources.toml")
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in raw.items()}
    try:
        return cls(**values)
    except TypeError as exc:
        raise RegistryError(f"{where}: {exc}") from exc


def parse_source(raw: dict[str, Any]) -> Source:
    raw = dict(raw)
    where = f"source {raw.get('name', '?')!r}"
    html = raw.pop("html", None)
    api = raw.pop("api", None)
    if html is not None:
        raw["html"] = _build(HtmlListing, html, f"{where} [html]")
    if api is not None:
        raw["api"] = _build(JsonApi, api, f"{where} [api]")
    built: Source = _build(Source, raw, where)
    return built


def load_registry(path: Path = DEFAULT_REGISTRY, only: str | None = None) -> list[Source]:
    """Every enabled `[[source]]` of the file; `only` picks one by name, enabled or not (unknown = error)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise RegistryError(f"registry {path} does not exist; pass --registry FILE") from exc
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"registry {path} is not valid TOML: {exc}") from exc
    sources = [parse_source(entry) for entry in data.get("source", [])]
    names = [s.name for s in sources]
    if len(set(names)) != len(names):
        raise RegistryError(f"registry {path}: source names must be unique ({names})")
    if only is not None:
        sources = [s for s in sources if s.name == only]
        if not sources:
            raise RegistryError(f"no source named {only!r} in {path}; known: {', '.join(names)}")
        return sources
    return [s for s in sources if s.enabled]
