"""The result spool: a run's documents on disk, read back one at a time, the package unchanged."""

from __future__ import annotations

import contextlib
import pickle
import re
from dataclasses import fields
from functools import cache

import pytest
from support import realdoc_result

import normalize.spool
from datapackage.publish import LateBytes
from flows.content import package_content
from flows.settings import SAMPLES_DIR
from normalize.documents import DocumentResult, deduplicate, process_document
from normalize.packed import PackedResult
from normalize.spool import CACHED_RESULTS, LineItemView, ResultSpool

#: a narrative file and its disclosure's table file (checked against each other), a 决算 booklet
PAIR = ("js_budget_2017_江苏省政协办公厅_部门预算文本", "js_budget_2017_江苏省政协办公厅_预算公开表")
STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


@cache
def sample_results() -> tuple[DocumentResult, ...]:
    return tuple(process_document(p, p.name) for p in sorted(SAMPLES_DIR.glob("*.pdf")))


def _plain(result: DocumentResult) -> tuple[object, ...]:
    return tuple(getattr(result, f.name) for f in fields(DocumentResult))


def _spooled(results: list[DocumentResult], spool: ResultSpool) -> list[DocumentResult]:
    for index in reversed(range(len(results))):  # results arrive in any order
        spool.put(index, results[index])
    return list(spool.results())


def test_spooled_results_read_back_as_put_in_input_order() -> None:
    results = list(sample_results())
    spool = ResultSpool()
    spooled = _spooled(results, spool)
    assert [_plain(s) for s in spooled] == [_plain(r) for r in results]
    assert [s.document for s in spooled] == [r.document for r in results]
    # pickled (Prefect's cache, a process pool), a spooled result is the plain result
    again = pickle.loads(pickle.dumps(spooled[0]))
    assert type(again) is DocumentResult and _plain(again) == _plain(results[0])
    spool.close()
    assert not spool.directory.exists()


def test_line_item_view_is_every_item_in_order_read_one_document_at_a_time() -> None:
    results = list(sample_results())
    flat = [i for r in results for i in r.line_items]
    assert len(results) >= 3 and len(flat) > 500
    spool = ResultSpool()
    view = LineItemView(_spooled(results, spool))
    loads_before = spool.loads
    assert len(view) == len(flat) and list(view) == flat
    assert spool.loads - loads_before <= len(results)  # one pass reads each document once
    cut = len(results[0].line_items) - 3  # a slice across a document boundary
    assert list(view[cut : cut + 10]) == flat[cut : cut + 10]
    assert list(view[5:][2:7]) == flat[7:12]
    assert view[-1] == flat[-1] and view[cut + 4] == flat[cut + 4]
    with pytest.raises(IndexError):
        view[len(flat)]
    doc_id = results[1].document.doc_id
    assert view.of_document(doc_id) == [i for i in flat if i.doc_id == doc_id]
    assert view.of_document("doc-unknown") == []


def test_passes_within_the_memory_cap_read_each_pickle_once() -> None:
    results = list(sample_results()) * 4  # more documents than the count always kept
    assert len(results) > CACHED_RESULTS
    spool = ResultSpool()
    view = LineItemView(_spooled(results, spool))
    for _ in range(3):
        assert sum(1 for _ in view) == sum(len(r.line_items) for r in results)
    assert spool.loads == len(results)  # the whole corpus fits under the cap: later passes read nothing
    # a result put again replaces the one kept unpickled
    spool.put(0, results[1])
    assert _plain(spool.load(0)) == _plain(results[1]) and spool.loads == len(results) + 1


def test_over_the_memory_cap_only_the_last_few_results_stay_unpickled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(normalize.spool, "CACHED_PICKLE_BYTES", 1)
    results = list(sample_results()) * 4
    spool = ResultSpool()
    view = LineItemView(_spooled(results, spool))
    for passes in (1, 2):
        assert list(view) == [i for r in results for i in r.line_items]
        assert len(spool._cache) == CACHED_RESULTS
        assert spool.loads == passes * len(results)  # each pass reads every pickle again
        assert spool._cached_bytes == sum(size for _, size in spool._cache.values())


def _comparable(content: object) -> dict[str, object]:
    from datapackage.workbook import WORKBOOK_NAME

    values = {f.name: getattr(content, f.name) for f in fields(content)}  # type: ignore[arg-type]
    values["line_items"] = list(values["line_items"])  # type: ignore[call-overload]
    attachments = dict(values.pop("attachments"))  # type: ignore[call-overload]
    workbook = attachments.pop(WORKBOOK_NAME)
    if isinstance(workbook, LateBytes):  # from the spool: made in a child meanwhile
        workbook = workbook.result()
    assert isinstance(workbook, bytes) and workbook[:2] == b"PK"
    # the package README names the moment it was written
    values["attachments"] = {k: STAMP.sub("<time>", v) if isinstance(v, str) else v for k, v in attachments.items()}
    return values


def test_package_content_from_the_spool_equals_the_one_from_memory() -> None:
    """Every finding (a narrative file against its table file too), resource and the report page."""
    results = list(sample_results())
    with contextlib.suppress(pytest.skip.Exception):  # a clone without ../shared: the bundled samples only
        results += [realdoc_result(p) for p in PAIR]
    run_info = {"code_version": "test", "source": "test"}
    in_memory = package_content(deduplicate(results), run_info)
    spool = ResultSpool()
    from_spool = package_content(deduplicate(_spooled(results, spool)), run_info)
    assert _comparable(from_spool) == _comparable(in_memory)
    assert in_memory.findings and len(in_memory.line_items) == sum(len(r.line_items) for r in results)
    assert isinstance(from_spool.line_items, LineItemView)


def test_a_packed_result_is_spooled_as_its_bytes_and_reads_back_as_the_result(monkeypatch: pytest.MonkeyPatch) -> None:
    results = list(sample_results())
    packed = [PackedResult.of(r) for r in results]
    assert all(p.item_count == len(r.line_items) and p.document == r.document for p, r in zip(packed, results, strict=True))
    assert PackedResult.of(packed[0]) is packed[0]  # packing twice pickles once
    spool = ResultSpool()
    loads: list[bytes] = []
    real_loads = pickle.loads
    monkeypatch.setattr(pickle, "loads", lambda data: loads.append(data) or real_loads(data))
    for index in reversed(range(len(packed))):
        spool.put(index, packed[index])
    spooled = spool.results()
    assert loads == []  # putting and listing never unpickle: the records travel in the open
    assert [s.document for s in spooled] == [r.document for r in results]
    assert [s.item_count for s in spooled] == [len(r.line_items) for r in results]
    assert loads == []
    assert [_plain(spool.load(i)) for i in range(len(results))] == [_plain(r) for r in results]
    assert len(loads) == len(results)
    spool.close()
