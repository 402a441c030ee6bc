"""`nightly` against the hostile portal, with a store that already holds a URL containing `/../`.

Stands for every store written before the crawler refused unsafe URLs: such a row once made every
later nightly fail (its URL text became a cache path). It is now left out of the package and the
run publishes the good documents.
"""

from __future__ import annotations

import csv
import hashlib
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakeportal import CULTURE, HostilePortal, build_hostile_portal, start_server, variant

from crawl.fetcher import Download, HttpMeta
from crawl.store import Store

pytestmark = pytest.mark.prefect


@pytest.fixture
def hostile() -> Iterator[HostilePortal]:
    server, internal = start_server(), start_server()
    try:
        yield build_hostile_portal(server, internal, salt=uuid.uuid4().hex)
    finally:
        for s in (server, internal):
            s.clear()
            s.stop()


def _seed_unsafe_url(store_dir: Path, url: str) -> str:
    body = variant(CULTURE, f"stored long ago {uuid.uuid4().hex}")
    sha = hashlib.sha256(body).hexdigest()
    (store_dir / "tmp").mkdir(parents=True, exist_ok=True)
    temp = store_dir / "tmp" / "seed.part"
    temp.write_bytes(body)
    with Store(store_dir) as store:
        download = Download(url, "downloaded", HttpMeta(200, url, content_type="application/pdf"), sha, len(body), temp)
        store.record("old-crawl", "hostile-api", download, "某某局", 2024, "路径")
        store.add_blob(temp, sha)
    return sha


def test_nightly_on_a_hostile_portal_with_a_stored_dot_dot_url(
    prefect_harness: None, hostile: HostilePortal, tmp_path: Path
) -> None:
    from flows.nightly import nightly

    registry = tmp_path / "sources.toml"
    registry.write_text(hostile.registry_toml(), encoding="utf-8")
    store, out = tmp_path / "store", tmp_path / "out"
    unsafe = f"{hostile.base}/j/download/../../../../../../../../../../../../tmp/evil?f=/../../.."
    _seed_unsafe_url(store, unsafe)

    summary = nightly(registry=registry, store=store, out=out)

    assert summary.run is not None and summary.run.documents_ok == 3
    with next(out.rglob("documents.csv")).open(encoding="utf-8-sig") as fh:
        urls = {row["source_url"].removeprefix(hostile.base) for row in csv.DictReader(fh)}
    assert urls == {"/h/files/good.pdf", "/j/download/g1", "/j/download/g2"}
    codes = {code for _, _, code, _ in summary.problems}
    assert {"deadline_exceeded", "redirect_off_origin", "too_large", "unsafe_url", "bad_year", "bad_file_id"} <= codes
    with Store(store) as st:
        assert [d.url for d, _ in st.unsafe_documents()] == [unsafe]  # kept in the manifest, listed, not published
    assert not list((store / "tmp").glob("*.part"))
