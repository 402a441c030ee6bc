"""JSON/form API listings, Jiangsu 预决算公开 platform style: departments → files (paged) → download by id.

The field names and URL templates are registry data (`[source.api]`), because every
platform names them differently; this module only walks the three steps. Every field of
the answer passes `crawl.untrusted` first: an entry that is not an object, an id that is not
a plain token, or a year that is not a year becomes a listing problem, never a crash.
"""

from __future__ import annotations

import json
from typing import Any

from crawl.adapters.base import Candidate, Discovery, ListingProblem, describe
from crawl.errors import CrawlError, ListingFieldError
from crawl.fetcher import Fetcher
from crawl.registry import JsonApi, Source
from crawl.untrusted import check_document_url, parse_id, parse_text, parse_year, require_object


def dig(data: Any, path: str) -> Any:
    """`data.list` → data["data"]["list"]; an empty path is the answer itself."""
    for key in filter(None, path.split(".")):
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _get(fetcher: Fetcher, api: JsonApi, url: str, form: dict[str, str] | None, found: Discovery) -> Any:
    try:
        text, _ = fetcher.fetch_text(url, method=api.method, data=form if api.method == "POST" else None)
        found.pages += 1
        return json.loads(text)
    except CrawlError as exc:
        found.problems.append(ListingProblem(url, exc.code, str(exc)))
    except (json.JSONDecodeError, RecursionError) as exc:
        found.problems.append(ListingProblem(url, "bad_json", f"{url}: answer is not JSON ({exc}); check [api] URLs"))
    return None


def discover_json(source: Source, fetcher: Fetcher) -> Discovery:
    assert source.api is not None
    api = source.api
    found = Discovery()
    for year in api.years or (None,):
        url = api.departments_url.format(year=year or "")
        departments = dig(_get(fetcher, api, url, None, found), api.departments_path)
        for index, raw in enumerate(departments if isinstance(departments, list) else []):
            where = f"{url} department #{index}"
            try:
                dept = require_object(raw, "department", where)
                dept_id = parse_id(dept.get(api.department_id_field), "department", where)
                dept_name = parse_text(dept.get(api.department_name_field), "department_name", where)
            except ListingFieldError as exc:
                found.problems.append(ListingProblem(url, exc.code, str(exc)))
                continue
            _files(source, fetcher, found, year, dept_id, dept_name)
    return found


def _files(source: Source, fetcher: Fetcher, found: Discovery, year: int | None, dept_id: str, dept: str) -> None:
    api = source.api
    assert api is not None
    keys = {"year": year or "", "dept_id": dept_id}
    for page in range(1, api.max_pages + 1):
        url = api.files_url.format(page=page, **keys)
        form = {k: v.format(page=page, **keys) for k, v in api.files_form.items()}
        items = dig(_get(fetcher, api, url, form, found), api.files_path)
        if not isinstance(items, list) or not items:
            return
        before = len(found.candidates)
        for index, item in enumerate(items):
            candidate = _candidate(source, api, keys, item, (url, f"{url} file #{index}"), year, dept, found)
            if candidate is not None:
                found.add(candidate)
        if len(found.candidates) == before:
            return


def _candidate(
    source: Source, api: JsonApi, keys: dict[str, Any], item: Any, at: tuple[str, str], year: int | None, dept: str,
    found: Discovery,
) -> Candidate | None:
    """One file entry → a Candidate; a bad entry or id drops the entry, a bad year only the year."""
    listing_url, where = at
    try:
        entry = require_object(item, "file", where)
        file_id = parse_id(entry.get(api.file_id_field), "file", where)
        title = parse_text(entry.get(api.file_title_field), "title", where)
        doc_url = check_document_url(api.download_url.format(file_id=file_id, **keys), where)
    except ListingFieldError as exc:
        found.problems.append(ListingProblem(listing_url, exc.code, str(exc)))
        return None
    _, title_year = describe(source, title, doc_url)
    try:
        listed_year = parse_year(entry.get(api.file_year_field), where)
    except ListingFieldError as exc:
        found.problems.append(ListingProblem(doc_url, exc.code, f"{exc}; the year from the title is used"))
        listed_year = None
    return Candidate(doc_url, title, dept, listed_year or title_year or year)
