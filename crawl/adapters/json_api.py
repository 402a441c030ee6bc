"""JSON/form API listings, Jiangsu 预决算公开 platform style: departments → files (paged) → download by id.

The field names and URL templates are registry data (`[source.api]`), because every
platform names them differently; this module only walks the three steps.
"""

from __future__ import annotations

import json
from typing import Any

from crawl.adapters.base import Candidate, Discovery, ListingProblem, describe
from crawl.errors import CrawlError
from crawl.fetcher import Fetcher
from crawl.registry import JsonApi, Source


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
    except json.JSONDecodeError as exc:
        found.problems.append(ListingProblem(url, "bad_json", f"{url}: answer is not JSON ({exc}); check [api] URLs"))
    return None


def discover_json(source: Source, fetcher: Fetcher) -> Discovery:
    assert source.api is not None
    api = source.api
    found = Discovery()
    for year in api.years or (None,):
        departments = dig(_get(fetcher, api, api.departments_url.format(year=year or ""), None, found),
                          api.departments_path)
        for dept in departments if isinstance(departments, list) else []:
            dept_id, dept_name = str(dept.get(api.department_id_field, "")), str(dept.get(api.department_name_field, ""))
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
        for item in items:
            file_id = str(item.get(api.file_id_field, ""))
            title = str(item.get(api.file_title_field, ""))
            doc_url = api.download_url.format(file_id=file_id, **keys)
            _, title_year = describe(source, title, doc_url)
            raw_year = str(item.get(api.file_year_field) or "")
            found.add(Candidate(doc_url, title, dept, int(raw_year) if raw_year.isdigit() else title_year or year))
        if len(found.candidates) == before:
            return
