"""The crawler against fake portals of both adapter kinds on a real loopback HTTP server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fakeportal import FakePortal, build_portal, start_server

from crawl.crawler import CrawlReport, crawl_source
from crawl.registry import load_registry
from crawl.store import Store


@pytest.fixture
def portal() -> Iterator[FakePortal]:
    server = start_server()
    try:
        yield build_portal(server)
    finally:
        server.clear()
        server.stop()


def _crawl(portal: FakePortal, store_dir: Path, tmp_path: Path, crawl_id: str, **kw: bool) -> dict[str, CrawlReport]:
    registry = tmp_path / "sources.toml"
    registry.write_text(portal.registry_toml(**kw), encoding="utf-8")
    with Store(store_dir) as store:
        return {s.name: crawl_source(s, store, crawl_id) for s in load_registry(registry)}


def test_first_crawl_finds_and_stores_documents(portal: FakePortal, tmp_path: Path) -> None:
    reports = _crawl(portal, tmp_path / "store", tmp_path, "c1")
    html, api = reports["fake-html"].counts, reports["fake-api"].counts
    assert html["downloaded"] == 2 and api["downloaded"] == 2
    assert html["listing_pages"] == 2  # pagination by 下一页
    with Store(tmp_path / "store") as store:
        docs = {d.url.removeprefix(portal.base): d for d in store.current_documents()}
        assert set(docs) == {"/html/files/jiangxi.pdf", "/html/files/water.pdf", "/api/download/f1", "/api/download/f2"}
        for doc in docs.values():
            assert doc.path == tmp_path / "store" / "raw" / doc.sha256[:2] / f"{doc.sha256}.pdf"
            assert doc.path.read_bytes().startswith(b"%PDF-")
        # viewer.html?file= unwrapped; department and year read from the link text / the API
        assert docs["/html/files/jiangxi.pdf"].department == "江西省总工会"
        assert docs["/html/files/water.pdf"].year == 2024
        assert docs["/api/download/f1"].department == "江西省总工会"
        events = {e["url"].removeprefix(portal.base): e for e in store.events("c1")}
    assert events["/html/files/missing.pdf"]["reason_code"] == "http_404"
    assert events["/html/files/moved.pdf"]["reason_code"] == "redirect_off_list"
    assert "127.0.0.2" in str(events["/html/files/moved.pdf"]["reason"])
    assert events["/html/files/error.pdf"]["reason_code"] == "not_a_pdf"
    assert events["/html/secret/hidden.pdf"]["reason_code"] == "robots_disallowed"
    assert portal.requested("/html/secret/hidden.pdf") == 0
    assert portal.requested("/html/files/notice.pdf") == 0  # no keyword in the link text
    assert portal.requested("/html/files/water.pdf") == 2  # a 500, then the retry that recovered
    assert portal.requested("/html/files/missing.pdf") == 1  # a 404 is never retried


def test_second_crawl_is_conditional_and_a_change_adds_a_version(portal: FakePortal, tmp_path: Path) -> None:
    store_dir = tmp_path / "store"
    _crawl(portal, store_dir, tmp_path, "c1")
    first = portal.pdf_responses()
    second_reports = _crawl(portal, store_dir, tmp_path, "c2")
    second = portal.pdf_responses()
    assert second["body"] == first["body"]  # nothing downloaded again
    assert second["not_modified"] - first["not_modified"] == 4
    assert sum(r.counts["not_modified"] for r in second_reports.values()) == 4

    portal.change_file()
    third = _crawl(portal, store_dir, tmp_path, "c3")
    assert third["fake-api"].counts["downloaded"] == 1 and third["fake-api"].counts["changed"] == 1
    with Store(store_dir) as store:
        history = store.versions(f"{portal.base}/api/download/f1")
        assert [v.crawl_id for v in history] == ["c1", "c3"]
        assert all(store.blob_path(v.sha256).exists() for v in history)  # the old bytes stay
        current = {d.url: d for d in store.current_documents()}[f"{portal.base}/api/download/f1"]
        assert current.sha256 == history[-1].sha256 != history[0].sha256


def test_private_address_refused_without_allow_private(portal: FakePortal, tmp_path: Path) -> None:
    reports = _crawl(portal, tmp_path / "store", tmp_path, "c1", allow_private=False)
    assert reports["fake-html"].counts["downloaded"] == 0
    codes = {code for r in reports.values() for _, code, _ in r.problems}
    assert codes == {"private_address"}
    assert len(portal.server.log) == 0  # refused before any request


def test_cli_crawl_lists_counts_and_reasons(portal: FakePortal, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from flows.cli import app

    registry = tmp_path / "sources.toml"
    registry.write_text(portal.registry_toml(), encoding="utf-8")
    result = CliRunner().invoke(app, ["crawl", "--registry", str(registry), "--store", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    assert "redirect_off_list" in result.output and "not_a_pdf" in result.output and "fake-api" in result.output
    bad = CliRunner().invoke(app, ["crawl", "--registry", str(registry), "--source", "nope"])
    assert bad.exit_code == 2 and "no source named" in bad.output
