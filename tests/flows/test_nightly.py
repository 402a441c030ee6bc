"""The nightly flow end to end against fake portals on loopback: incremental, versioned, atomic."""

from __future__ import annotations

import csv
import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakeportal import FakePortal, build_portal, start_server
from typer.testing import CliRunner

from crawl.store import Store

pytestmark = pytest.mark.prefect


@pytest.fixture
def portal() -> Iterator[FakePortal]:
    server = start_server()
    try:
        yield build_portal(server, salt=uuid.uuid4().hex)
    finally:
        server.clear()
        server.stop()


def _documents(out: Path) -> dict[str, dict[str, str]]:
    with next(out.rglob("documents.csv")).open(encoding="utf-8-sig") as fh:
        return {row["source_url"]: row for row in csv.DictReader(fh)}


def _run_info(out: Path) -> dict[str, str]:
    info: dict[str, str] = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))["opendisclosure:run"]
    return info


def test_nightly_is_incremental_versioned_and_atomic(
    prefect_harness: None, portal: FakePortal, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datapackage.publish as publish
    import flows.run
    from flows.nightly import nightly

    registry = tmp_path / "sources.toml"
    registry.write_text(portal.registry_toml(), encoding="utf-8")
    store, out = tmp_path / "store", tmp_path / "out"
    extracted: list[str] = []
    real = flows.run.process_isolated

    def counting(path: Path, source_file: str, source_url: str, limits: object) -> object:
        extracted.append(source_url)
        return real(path, source_file, source_url, limits)  # type: ignore[arg-type]

    monkeypatch.setattr(flows.run, "process_isolated", counting)

    t0 = time.perf_counter()
    first = nightly(registry=registry, store=store, out=out)
    first_seconds = time.perf_counter() - t0
    after_first = portal.pdf_responses()
    assert len(extracted) == 4 and after_first["body"] == 4
    assert first.run is not None and first.run.documents_ok == 4
    docs = _documents(out)
    assert set(docs) == {f"{portal.base}{p}" for p in
                         ("/html/files/jiangxi.pdf", "/html/files/water.pdf", "/api/download/f1", "/api/download/f2")}
    info = _run_info(out)
    assert info["crawl_id"] == first.crawl_id and info["crawl_downloaded"] == "4"

    # an unchanged portal: nothing downloaded (all 304), nothing extracted (cache hits)
    t0 = time.perf_counter()
    second = nightly(registry=registry, store=store, out=out)
    second_seconds = time.perf_counter() - t0
    after_second = portal.pdf_responses()
    print(f"\nnightly wall time: first run {first_seconds:.1f} s, second (unchanged) run {second_seconds:.1f} s")
    assert after_second["body"] == after_first["body"]
    assert after_second["not_modified"] - after_first["not_modified"] == 4
    assert len(extracted) == 4
    assert _run_info(out)["crawl_id"] == second.crawl_id != first.crawl_id
    assert _run_info(out)["crawl_not_modified"] == "4" and _run_info(out)["crawl_downloaded"] == "0"
    assert second.run is not None and second.run.documents_ok == 4

    # a changed file: one download, one extraction, a new document; the old version stays in the store
    portal.change_file()
    changed_url = f"{portal.base}/api/download/f1"
    old_sha = docs[changed_url]["sha256"]
    third = nightly(registry=registry, store=store, out=out)
    assert extracted[4:] == [changed_url]
    new_docs = _documents(out)
    assert new_docs[changed_url]["sha256"] != old_sha
    assert new_docs[changed_url]["doc_id"] != docs[changed_url]["doc_id"]
    assert _run_info(out)["crawl_changed"] == "1"
    with Store(store) as st:
        versions = st.versions(changed_url)
        assert [v.sha256 for v in versions] == [old_sha, new_docs[changed_url]["sha256"]]
        assert st.blob_path(old_sha).exists()
        reasons = {e["url"].removeprefix(portal.base): e["reason_code"] for e in st.events(third.crawl_id)}
    assert reasons["/html/files/moved.pdf"] == "redirect_off_list"
    assert reasons["/html/files/error.pdf"] == "not_a_pdf"

    # a run that fails publishes nothing: the previous package stays byte for byte
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    monkeypatch.setattr(publish, "package_problems", lambda *a, **k: ["injected: validation failed"])
    with pytest.raises(Exception, match="injected"):
        nightly(registry=registry, store=store, out=out)
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_cli_serve_checks_the_cron_and_passes_the_schedule(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from flows.cli import app

    help_text = CliRunner().invoke(app, ["serve", "--help"]).output
    assert "--cron" in help_text and "prefect server start" in help_text
    bad = CliRunner().invoke(app, ["serve", "--cron", "every night"])
    assert bad.exit_code == 2 and "cron" in bad.output

    import flows.nightly

    calls: list[dict[str, object]] = []
    monkeypatch.setattr(flows.nightly.nightly, "serve", lambda **kw: calls.append(kw))
    ok = CliRunner().invoke(app, ["serve", "--cron", "0 2 * * *", "--store", str(tmp_path / "s")])
    assert ok.exit_code == 0, ok.output
    assert calls[0]["cron"] == "0 2 * * *" and calls[0]["name"] == "nightly"
    assert calls[0]["parameters"]["store"] == str(tmp_path / "s")  # type: ignore[index]


def test_cli_crawl_and_nightly_help() -> None:
    from flows.cli import app

    for command in ("crawl", "nightly"):
        result = CliRunner().invoke(app, [command, "--help"])
        assert result.exit_code == 0 and "--registry" in result.output and "--store" in result.output
