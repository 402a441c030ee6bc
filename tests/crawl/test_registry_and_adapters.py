"""Registry loading and the adapters' pure parts (no network)."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from crawl.adapters.base import describe
from crawl.adapters.html_listing import links, unwrap_viewer
from crawl.adapters.json_api import dig
from crawl.errors import RefusedError, RegistryError
from crawl.netpolicy import check_url, host_allowed
from crawl.registry import DEFAULT_REGISTRY, HtmlListing, JsonApi, Source, load_registry, parse_source


def _html_source(**extra: object) -> dict[str, object]:
    return {"name": "x", "title": "x", "kind": "html_listing", "start_urls": ["https://a.gov.cn/"],
            "allowed_hosts": ["a.gov.cn"], "html": {}} | extra


def test_shipped_registry_loads_and_every_entry_is_marked_untested() -> None:
    names = {s.name for s in load_registry(DEFAULT_REGISTRY)}
    assert {"shanghai-putuo", "jiangxi-czt"} <= names
    jiangsu = load_registry(DEFAULT_REGISTRY, only="jiangsu-yjsgk")[0]  # disabled, but selectable by name
    assert jiangsu.kind == "json_api" and not jiangsu.enabled
    text = DEFAULT_REGISTRY.read_text(encoding="utf-8")
    for source in load_registry(DEFAULT_REGISTRY) + [jiangsu]:
        assert source.tested is False and "Untested against the live site" in source.notes
    header = "\n".join(line for line in text.splitlines() if line.startswith("#"))
    keys = [f.name for cls in (Source, HtmlListing, JsonApi) for f in fields(cls) if f.name not in ("html", "api")]
    assert [k for k in keys if k not in header] == []  # every key is documented in the header


def test_registry_errors_say_what_to_fix(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="unknown key"):
        parse_source(_html_source(dealy_seconds=1))
    with pytest.raises(RegistryError, match=r"\[source.api\]"):
        parse_source(_html_source(kind="json_api"))
    with pytest.raises(RegistryError, match="does not exist"):
        load_registry(tmp_path / "nope.toml")
    with pytest.raises(RegistryError, match="no source named"):
        load_registry(DEFAULT_REGISTRY, only="atlantis")


def test_viewer_wrapper_is_unwrapped() -> None:
    base = "https://a.gov.cn/col/art/1.html"
    assert unwrap_viewer("https://a.gov.cn/pdfjs/web/viewer.html?file=%2Fupload%2Fa.pdf") == "https://a.gov.cn/upload/a.pdf"
    assert unwrap_viewer("https://a.gov.cn/v/viewer.html?file=../f/b.pdf") == "https://a.gov.cn/f/b.pdf"
    assert links('<a href="x.pdf">江西省总工会 2024年 部门决算</a><a href="#top">top</a>', base) == [
        ("https://a.gov.cn/col/art/x.pdf", "江西省总工会 2024年 部门决算")
    ]


def test_department_and_year_from_link_text_or_file_name() -> None:
    source = parse_source(_html_source())
    assert describe(source, "上海市普陀区财政局2024年度部门决算", "https://a.gov.cn/1.pdf") == ("上海市普陀区财政局", 2024)
    assert describe(source, "点击下载", "https://a.gov.cn/%E6%9F%90%E5%B1%802023%E5%B9%B4.pdf") == ("某局", 2023)
    assert dig({"data": {"list": [1]}}, "data.list") == [1] and dig({"data": 1}, "x.y") is None


def test_net_policy_refuses_off_list_hosts_and_private_addresses() -> None:
    source = parse_source(_html_source(allowed_hosts=["a.gov.cn", "127.0.0.1"]))
    assert host_allowed("www.a.gov.cn", ("a.gov.cn",)) and not host_allowed("a.gov.cn.evil.com", ("a.gov.cn",))
    with pytest.raises(RefusedError) as off_list:
        check_url("http://127.0.0.2/x.pdf", source, hop="redirect")
    assert off_list.value.code == "redirect_off_list"
    with pytest.raises(RefusedError) as private:
        check_url("http://127.0.0.1/x.pdf", source)
    assert private.value.code == "private_address"
    with pytest.raises(RefusedError) as scheme:
        check_url("file:///etc/passwd", source)
    assert scheme.value.code == "bad_scheme"
