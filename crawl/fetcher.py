"""Polite, checked HTTP for one source: robots.txt, rate limit, retries, conditional downloads.

Why each piece:
- every request and every redirect hop passes `netpolicy.check_url` (allowed hosts, no private
  addresses), so redirects are followed by hand, never by httpx;
- retries (tenacity, exponential backoff) only for what can heal by itself: connect/read errors,
  timeouts, 429 and 5xx; a 4xx is an answer and is returned at once;
- every request has a total `deadline_seconds` (crawl/deadline.py) on top of httpx's per-operation
  timeouts, so a trickling server cannot hold the crawl; robots.txt is read up to a cap (crawl/robots.py);
- a download sends the manifest's ETag / Last-Modified, so an unchanged file costs one 304;
- a download is streamed to a temporary file while hashed, capped at `max_bytes`, and accepted
  only with a PDF-ish content type *and* the `%PDF-` magic bytes (portals serve HTML error pages
  as application/pdf); its `.part` file is removed on every way out but success.
"""

from __future__ import annotations

import hashlib
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpx
from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from crawl.deadline import Deadline
from crawl.errors import CrawlError, RefusedError
from crawl.netpolicy import check_url
from crawl.registry import Source
from crawl.robots import empty_robots, parse_robots, read_capped

PDF_CONTENT_TYPES = frozenset(
    {
        "",
        "application/pdf",
        "application/x-pdf",
        "application/octet-stream",
        "binary/octet-stream",
        "application/force-download",
        "application/download",
    }
)
MAX_REDIRECTS = 5
MAX_LISTING_BYTES = 10 * 1024 * 1024
MAGIC = b"%PDF-"
Outcome = Literal["downloaded", "not_modified", "rejected", "failed", "refused"]


class TransientHTTPError(Exception):
    """A 429/5xx answer: worth another try after a pause."""

    def __init__(self, status: int, url: str) -> None:
        super().__init__(f"HTTP {status} from {url}")
        self.status = status


@dataclass(frozen=True)
class HttpMeta:
    status: int
    final_url: str
    etag: str = ""
    last_modified: str = ""
    content_type: str = ""


@dataclass(frozen=True)
class Validators:
    """What the manifest remembers from the last good download, for a conditional request."""

    etag: str = ""
    last_modified: str = ""


@dataclass(frozen=True)
class Download:
    url: str
    outcome: Outcome
    meta: HttpMeta | None = None
    sha256: str = ""
    size: int = 0
    temp_path: Path | None = None
    reason_code: str = ""
    reason: str = ""


class HostGate:
    """Per-host concurrency and minimum delay between requests (shared by threads)."""

    def __init__(self, delay: float, concurrency: int) -> None:
        self._delay = delay
        self._concurrency = concurrency
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}
        self._slots: dict[str, threading.Semaphore] = {}

    @contextmanager
    def slot(self, netloc: str) -> Iterator[None]:
        with self._lock:
            sem = self._slots.setdefault(netloc, threading.Semaphore(self._concurrency))
        with sem:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next.get(netloc, now))
                self._next[netloc] = start + self._delay
            time.sleep(max(0.0, start - now))
            yield


def _meta(response: httpx.Response, url: str) -> HttpMeta:
    return HttpMeta(
        status=response.status_code,
        final_url=url,
        etag=response.headers.get("etag", ""),
        last_modified=response.headers.get("last-modified", ""),
        content_type=response.headers.get("content-type", "").split(";")[0].strip().lower(),
    )


class Fetcher:
    """One source's HTTP client. Use as a context manager; not shared between sources."""

    def __init__(self, source: Source, tmp_dir: Path, client: httpx.Client | None = None) -> None:
        self.source = source
        self.tmp_dir = tmp_dir
        self._client = client or httpx.Client(
            timeout=source.timeout_seconds, headers={"User-Agent": source.user_agent}, follow_redirects=False
        )
        self._gate = HostGate(source.delay_seconds, source.concurrency)
        self._robots: dict[str, RobotFileParser | None] = {}
        self._robots_lock = threading.Lock()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self._client.close()

    # -- requests ---------------------------------------------------------------------------
    def _retrying(self) -> Retrying:
        return Retrying(
            retry=retry_if_exception_type((httpx.TimeoutException, httpx.NetworkError, TransientHTTPError)),
            stop=stop_after_attempt(self.source.retries + 1),
            wait=wait_exponential(multiplier=self.source.backoff_seconds, max=60),
            reraise=True,
        )

    @contextmanager
    def _open(
        self, url: str, *, method: str = "GET", headers: dict[str, str] | None = None, data: Any = None,
        robots: bool = True,
    ) -> Iterator[tuple[httpx.Response, str, Deadline]]:
        """Send one request, following allowed redirects by hand, under one `Deadline`.

        Yields (streaming response, final URL, deadline); the caller reads the body and calls
        `deadline.check()` after it. A transport error once the budget is spent (the watchdog cut
        the socket, or the last read timed out) becomes `DeadlineExceededError`, which is not retried.
        """
        deadline = Deadline(self.source.deadline_seconds, self.source.timeout_seconds, url)
        current = url
        hop = "request"
        try:
            with deadline:
                for _ in range(MAX_REDIRECTS + 1):
                    check_url(current, self.source, hop=hop)
                    if robots:
                        self._check_robots(current)
                    request = self._client.build_request(
                        method, current, headers=headers, data=data, timeout=deadline.timeout(),
                        extensions={"trace": deadline.trace},
                    )
                    with self._gate.slot(urlsplit(current).netloc):
                        deadline.check()
                        response = self._client.send(request, stream=True)
                    deadline.watch_response(response)
                    if response.is_redirect and "location" in response.headers:
                        deadline.release()
                        response.close()
                        current = urljoin(current, response.headers["location"])
                        hop, method, data = "redirect", "GET", None
                        continue
                    try:
                        if response.status_code == 429 or response.status_code >= 500:
                            raise TransientHTTPError(response.status_code, current)
                        yield response, current, deadline
                    finally:
                        deadline.disarm()  # before the connection can go back to the pool
                        response.close()
                    return
        except httpx.TransportError as exc:
            if deadline.expired():
                raise deadline.error() from exc
            raise
        raise CrawlError("too_many_redirects", f"{url}: more than {MAX_REDIRECTS} redirects; the portal loops")

    def fetch_text(self, url: str, *, method: str = "GET", data: Any = None) -> tuple[str, str]:
        """A listing page or API answer as text; returns (text, final URL). CrawlError when unreadable."""
        try:
            for attempt in self._retrying():
                with attempt, self._open(url, method=method, data=data) as (response, final, deadline):
                    if response.status_code != 200:
                        raise CrawlError(f"http_{response.status_code}", f"{url}: HTTP {response.status_code}")
                    body = bytearray()
                    for chunk in response.iter_bytes():
                        body += chunk
                        if len(body) > MAX_LISTING_BYTES:
                            raise CrawlError("too_large", f"{url}: listing larger than {MAX_LISTING_BYTES} bytes")
                    deadline.check()
                    return body.decode(response.encoding or "utf-8", errors="replace"), final
        except (httpx.HTTPError, TransientHTTPError) as exc:
            raise CrawlError("unreachable", f"{url}: {exc} (after {self.source.retries} retries)") from exc
        raise AssertionError("unreachable")  # pragma: no cover

    # -- robots.txt -------------------------------------------------------------------------
    def _check_robots(self, url: str) -> None:
        if not self.source.respect_robots:
            return
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        with self._robots_lock:
            if key not in self._robots:
                self._robots[key] = self._load_robots(key)
            parser = self._robots[key]
        if parser is None:
            raise RefusedError("robots_unreachable", f"{url}: {key}/robots.txt answers 5xx; retry later")
        if not parser.can_fetch(self.source.user_agent, url):
            raise RefusedError("robots_disallowed", f"{url}: disallowed by {key}/robots.txt")

    def _load_robots(self, base: str) -> RobotFileParser | None:
        """RFC 9309: 4xx means no rules; 5xx, no answer or no answer in time means disallow all (None).

        At most `ROBOTS_MAX_BYTES` are read (crawl/robots.py): rules beyond the cap are ignored.
        """
        url = base + "/robots.txt"
        try:
            for attempt in self._retrying():
                with attempt, self._open(url, robots=False) as (response, _, deadline):
                    if 400 <= response.status_code < 500:
                        return empty_robots(url)
                    body, _truncated = read_capped(response.iter_bytes(1 << 16))
                    deadline.check()
                    return parse_robots(url, body)
        except (httpx.HTTPError, TransientHTTPError, CrawlError):
            return None
        return None  # pragma: no cover

    # -- downloads --------------------------------------------------------------------------
    def download(self, url: str, prior: Validators | None = None) -> Download:
        """Fetch one document. Never raises for a bad file or a refused URL: the outcome says why."""
        headers: dict[str, str] = {}
        if prior and prior.etag:
            headers["If-None-Match"] = prior.etag
        if prior and prior.last_modified:
            headers["If-Modified-Since"] = prior.last_modified
        try:
            for attempt in self._retrying():
                with attempt, self._open(url, headers=headers) as (response, final, deadline):
                    return self._receive(url, response, final, deadline)
        except RefusedError as exc:
            return Download(url, "refused", reason_code=exc.code, reason=str(exc))
        except CrawlError as exc:
            return Download(url, "failed", reason_code=exc.code, reason=str(exc))
        except TransientHTTPError as exc:
            return Download(url, "failed", reason_code=f"http_{exc.status}", reason=f"{exc}, after retries")
        except httpx.HTTPError as exc:
            return Download(url, "failed", reason_code="network", reason=f"{url}: {type(exc).__name__}: {exc}")
        raise AssertionError("unreachable")  # pragma: no cover

    def _receive(self, url: str, response: httpx.Response, final: str, deadline: Deadline) -> Download:
        meta = _meta(response, final)
        if response.status_code == 304:
            return Download(url, "not_modified", meta)
        if response.status_code != 200:
            return Download(url, "failed", meta, reason_code=f"http_{response.status_code}",
                            reason=f"{url}: HTTP {response.status_code}")
        if meta.content_type not in PDF_CONTENT_TYPES:
            return Download(url, "rejected", meta, reason_code="content_type",
                            reason=f"{url}: content type {meta.content_type!r} is not a PDF")
        declared = int(response.headers.get("content-length") or 0)
        if declared > self.source.max_bytes:
            return Download(url, "rejected", meta, reason_code="too_large",
                            reason=f"{url}: {declared} bytes > max_bytes {self.source.max_bytes}")
        return self._stream_to_temp(url, response, meta, deadline)

    def _stream_to_temp(self, url: str, response: httpx.Response, meta: HttpMeta, deadline: Deadline) -> Download:
        """Stream into `<tmp>/*.part` while hashing; the part is removed on *every* way out but success
        (over size, not a PDF, deadline, network error, Ctrl-C), so `tmp/` never fills with leftovers."""
        self.tmp_dir.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        head = b""
        temp: Path | None = None
        kept = False
        try:
            with tempfile.NamedTemporaryFile(dir=self.tmp_dir, suffix=".part", delete=False) as handle:
                temp = Path(handle.name)
                for chunk in response.iter_bytes(1 << 16):
                    size += len(chunk)
                    if size > self.source.max_bytes:
                        return Download(url, "rejected", meta, reason_code="too_large",
                                        reason=f"{url}: more than max_bytes {self.source.max_bytes} bytes; "
                                        "raise max_bytes")
                    if len(head) < 1024:
                        head += chunk[: 1024 - len(head)]
                    digest.update(chunk)
                    handle.write(chunk)
            deadline.check()
            if MAGIC not in head:
                return Download(url, "rejected", meta, reason_code="not_a_pdf",
                                reason=f"{url}: served as {meta.content_type or 'no type'} but is not a PDF "
                                f"(starts with {head[:40]!r}); probably an error page")
            kept = True
            return Download(url, "downloaded", meta, digest.hexdigest(), size, temp)
        finally:
            if temp is not None and not kept:
                temp.unlink(missing_ok=True)
