"""Fake disclosure portals on a real loopback HTTP server (pytest-httpserver on 127.0.0.1).

One server holds both adapter kinds:

  HTML portal (`/html/…`): two listing pages joined by 下一页; a direct PDF link, a
  `viewer.html?file=` link whose PDF answers 500 once then recovers, a link without a keyword
  (ignored), a robots.txt-disallowed PDF, a 404, a redirect to 127.0.0.2 (off the allowed list),
  and an HTML error page served as application/pdf.

  JSON API (`/api/…`, Jiangsu style): departments → files (paged) → download by id. File `f1`
  changes when `portal.change_file()` is called.

Documents answer conditional requests (ETag for the HTML portal, Last-Modified for the API).
Every request is in `server.log`, so tests count 200-with-body against 304.

`build_hostile_portal` is the crawler-hardening counterpart: a trickling PDF, a multi-MB
robots.txt, a redirect to another port, cut and oversized downloads, and JSON/HTML listings
whose fields are hostile (see `HostilePortal`).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from flows.settings import SAMPLES_DIR

JIANGXI = SAMPLES_DIR / "jiangxi_trade_unions_2024.pdf"
WATER = SAMPLES_DIR / "synthetic_water_bureau_2024.pdf"
#: The API serves two other booklets: the same text under two URLs would be one document
#: published twice (`duplicate_text`), which is not what these tests are about.
CULTURE = SAMPLES_DIR / "synthetic_culture_bureau_2023.pdf"
WATER_CALC = SAMPLES_DIR.parent / "producers" / "pdfs" / "calc_water_kangxi.pdf"
ERROR_PAGE = b"<html><head><title>404</title></head><body>\xe6\x96\x87\xe4\xbb\xb6\xe4\xb8\x8d\xe5\xad\x98\xe5\x9c\xa8</body></html>"


def variant(path: Path, tag: str) -> bytes:
    """The same PDF with a trailing comment: valid, same figures, different sha256."""
    return path.read_bytes() + f"\n% {tag}\n".encode()


@dataclass
class FakePortal:
    server: HTTPServer
    files: dict[str, bytes] = field(default_factory=dict)
    modified: dict[str, str] = field(default_factory=dict)
    failures_left: dict[str, int] = field(default_factory=dict)
    salt: str = ""

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"

    def change_file(self) -> None:
        self.files["/api/download/f1"] = variant(CULTURE, f"api v2 {self.salt}")
        self.modified["/api/download/f1"] = "Wed, 02 Jul 2025 10:00:00 GMT"

    def pdf_responses(self) -> dict[str, int]:
        """Counts of document answers: 'body' = 200 with a real PDF body, 'not_modified' = 304."""
        counts = {"body": 0, "not_modified": 0}
        for request, response in self.server.log:
            if request.path.startswith(("/html/files/", "/api/download/")):
                if response.status_code == 200 and response.get_data().startswith(b"%PDF-"):
                    counts["body"] += 1
                elif response.status_code == 304:
                    counts["not_modified"] += 1
        return counts

    def requested(self, path: str) -> int:
        return sum(1 for request, _ in self.server.log if request.path == path)

    def registry_toml(self, *, allow_private: bool = True) -> str:
        return f"""
[[source]]
name = "fake-html"
title = "假的 预决算公开 listing"
kind = "html_listing"
start_urls = ["{self.base}/html/list/index.html"]
allowed_hosts = ["127.0.0.1"]
allow_private = {str(allow_private).lower()}
delay_seconds = 0.0
concurrency = 2
retries = 2
backoff_seconds = 0.01
tested = true
[source.html]
keywords = ["部门决算", "部门预算"]

[[source]]
name = "fake-api"
title = "假的 江苏式 预决算公开 API"
kind = "json_api"
start_urls = []
allowed_hosts = ["127.0.0.1"]
allow_private = {str(allow_private).lower()}
delay_seconds = 0.0
backoff_seconds = 0.01
tested = true
[source.api]
years = [2024]
departments_url = "{self.base}/api/departments?year={{year}}"
files_url = "{self.base}/api/files?deptId={{dept_id}}&page={{page}}"
download_url = "{self.base}/api/download/{{file_id}}"
departments_path = "data"
department_id_field = "deptId"
department_name_field = "deptName"
files_path = "data.list"
file_id_field = "fileId"
file_title_field = "fileName"
file_year_field = "year"
"""

    # -- handlers ---------------------------------------------------------------------------
    def _document(self, request: Request) -> Response:
        path = request.path
        if self.failures_left.get(path, 0) > 0:
            self.failures_left[path] -= 1
            return Response("busy", status=500)
        body = self.files[path]
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if path.startswith("/api/"):
            modified = self.modified[path]
            if request.headers.get("If-Modified-Since") == modified:
                return Response(status=304)
            return Response(body, content_type="application/pdf", headers={"Last-Modified": modified})
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        return Response(body, content_type="application/pdf", headers={"ETag": etag})


def _page(links: list[tuple[str, str]]) -> str:
    items = "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in links)
    return f"<html><head><meta charset='utf-8'></head><body><ul>{items}</ul></body></html>"


def build_portal(server: HTTPServer, salt: str = "") -> FakePortal:
    """`salt` makes every served file's bytes unique, so no extraction cache of an earlier test session applies."""
    portal = FakePortal(server, salt=salt)
    portal.files.update(
        {
            "/html/files/jiangxi.pdf": variant(JIANGXI, f"html {salt}") if salt else JIANGXI.read_bytes(),
            "/html/files/water.pdf": variant(WATER, f"html {salt}") if salt else WATER.read_bytes(),
            "/html/secret/hidden.pdf": WATER.read_bytes(),
            "/api/download/f1": variant(CULTURE, f"api v1 {salt}"),
            "/api/download/f2": variant(WATER_CALC, f"api v1 {salt}"),
        }
    )
    portal.modified.update({"/api/download/f1": "Tue, 01 Jul 2025 10:00:00 GMT",
                            "/api/download/f2": "Tue, 01 Jul 2025 10:00:00 GMT"})
    portal.failures_left["/html/files/water.pdf"] = 1
    html = "text/html; charset=utf-8"
    server.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /html/secret/\n")
    server.expect_request("/html/list/index.html").respond_with_data(
        _page(
            [
                ("../files/jiangxi.pdf", "江西省总工会2024年度部门决算"),
                ("/html/viewer.html?file=%2Fhtml%2Ffiles%2Fwater.pdf", "某某水务局2024年部门决算"),
                ("../files/notice.pdf", "关于召开会议的通知"),
                ("/html/secret/hidden.pdf", "某某秘密局2024年部门决算"),
                ("index_1.html", "下一页"),
            ]
        ),
        content_type=html,
    )
    server.expect_request("/html/list/index_1.html").respond_with_data(
        _page(
            [
                ("/html/files/missing.pdf", "某某失踪局2024年部门决算"),
                ("/html/files/moved.pdf", "某某搬家局2024年部门决算"),
                ("/html/files/error.pdf", "某某错误局2024年部门预算"),
            ]
        ),
        content_type=html,
    )
    server.expect_request("/html/files/missing.pdf").respond_with_data("not found", status=404)
    server.expect_request("/html/files/moved.pdf").respond_with_data(
        "", status=302, headers={"Location": f"http://127.0.0.2:{server.port}/elsewhere.pdf"}
    )
    server.expect_request("/html/files/error.pdf").respond_with_data(ERROR_PAGE, content_type="application/pdf")
    for path in portal.files:
        server.expect_request(path).respond_with_handler(portal._document)
    server.expect_request("/api/departments").respond_with_json(
        {"code": 0, "data": [{"deptId": "101", "deptName": "江西省总工会"}, {"deptId": "102", "deptName": "某某空局"}]}
    )
    server.expect_request("/api/files").respond_with_handler(_api_files)
    return portal


def _api_files(request: Request) -> Response:
    dept, page = request.args.get("deptId"), request.args.get("page")
    listing = {
        ("101", "1"): [{"fileId": "f1", "fileName": "江西省总工会2024年度部门决算", "year": "2024"}],
        ("101", "2"): [{"fileId": "f2", "fileName": "2024年部门决算（附件）", "year": "2024"}],
    }
    body = {"code": 0, "data": {"list": listing.get((dept or "", page or ""), []), "totalPage": 2}}
    return Response(json.dumps(body, ensure_ascii=False), content_type="application/json")


def start_server() -> HTTPServer:
    """A threaded server on 127.0.0.1 only (never `localhost`, which may resolve to ::1)."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    return server


# -- a hostile portal (crawler hardening, issue 12) ---------------------------------------------
#: robots.txt of the hostile portal: one rule before the 512 KiB cap, filler, one rule after it.
HOSTILE_ROBOTS_BYTES = 8 * 1024 * 1024
TRICKLE_INTERVAL_S = 5.0


def _robots_stream(total: int) -> Iterator[bytes]:
    """`total` bytes of robots.txt in 64 KiB chunks (the same bytes object: the server holds ~nothing)."""
    yield b"User-agent: *\nDisallow: /h/secret/\n"
    filler = b"# filler filler filler filler filler filler filler filler filler filler filler fill\n" * 780
    sent = 0
    while sent < total:
        yield filler
        sent += len(filler)
    yield b"Disallow: /h/files/after-cap.pdf\n"


def _trickle(request: Request) -> Response:
    """A PDF that arrives one byte every TRICKLE_INTERVAL_S (headers at once, as slow servers do)."""

    def body() -> Iterator[bytes]:
        yield b"%PDF-"
        for _ in range(60):
            time.sleep(TRICKLE_INTERVAL_S)
            yield b"1"

    return Response(body(), content_type="application/pdf", headers={"Content-Length": "1000"})


def _aborted(request: Request) -> Response:
    """Promises 1 MB, sends 100 kB, then the connection ends: a download cut half-way."""

    def body() -> Iterator[bytes]:
        yield b"%PDF-" + b"0" * 100_000
        raise ConnectionAbortedError("portal dropped the connection")

    return Response(body(), content_type="application/pdf", headers={"Content-Length": "1000000"})


def _oversize(request: Request) -> Response:
    def body() -> Iterator[bytes]:
        yield b"%PDF-1.4\n"
        for _ in range(48):
            yield b"0" * 65536  # 3 MiB, no Content-Length: only the streamed count can stop it

    return Response(body(), content_type="application/pdf")


@dataclass
class HostilePortal:
    """HTML + JSON listings full of what issue 12 found, on `server`; `internal` is another port of
    the same host (an "internal service") that only a redirect points at."""

    server: HTTPServer
    internal: HTTPServer

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"

    def registry_toml(self, deadline_seconds: float = 2.0) -> str:
        common = f"""allowed_hosts = ["127.0.0.1"]
allow_private = true
delay_seconds = 0.0
concurrency = 3
retries = 1
backoff_seconds = 0.01
timeout_seconds = 10
deadline_seconds = {deadline_seconds}
max_bytes = 2097152
tested = true"""
        return f"""
[[source]]
name = "hostile-html"
title = "hostile 部门决算 listing"
kind = "html_listing"
start_urls = ["{self.base}/h/list.html"]
{common}
[source.html]
keywords = ["部门决算"]

[[source]]
name = "hostile-api"
title = "hostile 部门决算 API"
kind = "json_api"
start_urls = []
{common}
[source.api]
years = [2024]
departments_url = "{self.base}/j/departments?year={{year}}"
files_url = "{self.base}/j/files?deptId={{dept_id}}&page={{page}}"
download_url = "{self.base}/j/download/{{file_id}}"
departments_path = "data"
department_id_field = "deptId"
department_name_field = "deptName"
files_path = "data"
file_id_field = "fileId"
file_title_field = "fileName"
file_year_field = "year"
max_pages = 1
"""

    def requested(self, path: str) -> int:
        return sum(1 for request, _ in self.server.log if request.path == path)


def build_hostile_portal(server: HTTPServer, internal: HTTPServer, salt: str = "") -> HostilePortal:
    portal = HostilePortal(server, internal)
    pdf = "application/pdf"
    internal.expect_request("/internal.pdf").respond_with_data(variant(WATER_CALC, f"internal {salt}"), content_type=pdf)
    server.expect_request("/robots.txt").respond_with_handler(
        lambda request: Response(_robots_stream(HOSTILE_ROBOTS_BYTES), content_type="text/plain")
    )
    links = [
        ("/h/files/good.pdf", "好局2024年部门决算"),
        ("/h/files/trickle.pdf", "慢局2024年部门决算"),
        ("/h/files/port.pdf", "内网局2024年部门决算"),
        ("/h/files/oversize.pdf", "大局2024年部门决算"),
        ("/h/files/aborted.pdf", "断线局2024年部门决算"),
        ("/h/secret/x.pdf", "秘密局2024年部门决算"),
        ("/h/files/after-cap.pdf", "截断局2024年部门决算"),
        ("/h/files/q.pdf?file=/../../../../../../../../etc/passwd", "查询局2024年部门决算"),
        ("/h/files/%2e%2e/%2e%2e/enc.pdf", "编码局2024年部门决算"),
    ]
    server.expect_request("/h/list.html").respond_with_data(_page(links), content_type="text/html; charset=utf-8")
    server.expect_request("/h/files/good.pdf").respond_with_data(variant(JIANGXI, f"hostile {salt}"), content_type=pdf)
    server.expect_request("/h/files/trickle.pdf").respond_with_handler(_trickle)
    server.expect_request("/h/files/port.pdf").respond_with_data(
        "", status=302, headers={"Location": f"http://127.0.0.1:{internal.port}/internal.pdf"}
    )
    server.expect_request("/h/files/oversize.pdf").respond_with_handler(_oversize)
    server.expect_request("/h/files/aborted.pdf").respond_with_handler(_aborted)
    server.expect_request("/h/files/after-cap.pdf").respond_with_data("gone", status=404)
    server.expect_request("/j/departments").respond_with_json(
        {"data": ["not an object", {"deptId": ["a", "list"], "deptName": "x"}, {"deptName": "无编号"},
                  {"deptId": "../../d", "deptName": "路径局"}, {"deptId": "d1", "deptName": "某某局"}]}
    )
    files = [
        1, "a string", None, ["a", "list"],
        {"fileName": "无编号2024年部门决算"},
        {"fileId": {"nested": 1}, "fileName": "对象编号"},
        {"fileId": "../../../../../../../../tmp/evil", "fileName": "路径2024年部门决算"},
        {"fileId": "g1?x=1", "fileName": "查询2024年部门决算"},
        {"fileId": "g1", "fileName": "某某局2024年部门决算", "year": "²"},
        {"fileId": "g2", "fileName": "某某局部门决算", "year": "20242024202420242024"},
    ]
    server.expect_request("/j/files").respond_with_json({"data": files})
    server.expect_request("/j/download/g1").respond_with_data(variant(CULTURE, f"hostile g1 {salt}"), content_type=pdf)
    server.expect_request("/j/download/g2").respond_with_data(variant(WATER, f"hostile g2 {salt}"), content_type=pdf)
    return portal
