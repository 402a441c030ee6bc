"""Static HTML listings: pages of links, some straight to PDFs, some to `viewer.html?file=…`.

A link is a document when its URL matches `document_patterns` and its text (or file name)
contains a keyword; a keyword link matching `detail_patterns` is an article page that is read
once for its PDF links (which inherit the article's title). Pagination follows a link whose
text is in `next_page_text`, or `page_url_template`, up to `max_pages` listing pages.
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

from crawl.adapters.base import Candidate, Discovery, ListingProblem, describe
from crawl.errors import CrawlError
from crawl.fetcher import Fetcher
from crawl.registry import HtmlListing, Source
from crawl.untrusted import url_problem


class _Links(HTMLParser):
    """Collects (href, text) of every <a>; text is whitespace-collapsed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._href = dict(attrs).get("href") or ""
            self._text = []

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
            self._href = None


def links(html: str, base: str) -> list[tuple[str, str]]:
    parser = _Links()
    parser.feed(html)
    return [(urljoin(base, href), text) for href, text in parser.links if href and not href.startswith(("#", "javascript:"))]


def unwrap_viewer(url: str) -> str:
    """`…/viewer.html?file=/upload/a.pdf` → the PDF's own absolute URL (pdf.js viewers wrap files so)."""
    parts = urlsplit(url)
    if parts.path.endswith("viewer.html"):
        files = parse_qs(parts.query).get("file")
        if files:
            return urljoin(url, unquote(files[0]))
    return url


def _matches(patterns: tuple[str, ...], url: str) -> bool:
    return any(re.search(p, url, re.IGNORECASE) for p in patterns)


def _has_keyword(cfg: HtmlListing, *texts: str) -> bool:
    return not cfg.keywords or any(k in t for k in cfg.keywords for t in texts)


def discover_html(source: Source, fetcher: Fetcher) -> Discovery:
    assert source.html is not None
    cfg = source.html
    found = Discovery()
    queue: deque[tuple[str, str, bool]] = deque((u, "", False) for u in source.start_urls)  # url, title, is_detail
    seen: set[str] = set()
    listing_pages = 0
    while queue:
        url, inherited, is_detail = queue.popleft()
        if url in seen or (not is_detail and listing_pages >= cfg.max_pages * len(source.start_urls)):
            continue
        seen.add(url)
        try:
            html, final = fetcher.fetch_text(url)
        except CrawlError as exc:
            found.problems.append(ListingProblem(url, exc.code, str(exc)))
            continue
        found.pages += 1
        listing_pages += not is_detail
        for href, text in links(html, final):
            title = text or inherited
            if _matches(cfg.document_patterns, href) and (is_detail or _has_keyword(cfg, text, unquote(href))):
                doc_url = unwrap_viewer(href)
                if problem := url_problem(doc_url):
                    found.problems.append(ListingProblem(doc_url, "unsafe_url", f"{doc_url}: refused: {problem}"))
                    continue
                department, year = describe(source, title if _has_keyword(cfg, title) else inherited or title, doc_url)
                found.add(Candidate(doc_url, title, department, year))
            elif not is_detail and cfg.detail_patterns and _matches(cfg.detail_patterns, href) and _has_keyword(cfg, text):
                queue.append((href, text, True))
            elif not is_detail and text in cfg.next_page_text:
                queue.append((href, "", False))
    if cfg.page_url_template:
        _template_pages(source, fetcher, found, seen)
    return found


def _template_pages(source: Source, fetcher: Fetcher, found: Discovery, seen: set[str]) -> None:
    """`index_{page}.html`-style pagination: read pages 1, 2, … until one fails or adds nothing."""
    assert source.html is not None
    cfg = source.html
    for start in source.start_urls:
        for page in range(1, cfg.max_pages):
            url = urljoin(start, cfg.page_url_template.format(page=page))
            if url in seen:
                continue
            seen.add(url)
            try:
                html, final = fetcher.fetch_text(url)
            except CrawlError:
                break  # the page after the last one: expected, not a problem
            found.pages += 1
            before = len(found.candidates)
            for href, text in links(html, final):
                if _matches(cfg.document_patterns, href) and _has_keyword(cfg, text, unquote(href)):
                    if problem := url_problem(unwrap_viewer(href)):
                        found.problems.append(ListingProblem(href, "unsafe_url", f"{href}: refused: {problem}"))
                        continue
                    department, year = describe(source, text, unwrap_viewer(href))
                    found.add(Candidate(unwrap_viewer(href), text, department, year))
            if len(found.candidates) == before:
                break
