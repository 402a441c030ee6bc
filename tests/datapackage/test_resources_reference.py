"""The `subjects` and `measures` resources, with foreign keys from line_items, pass frictionless validate."""

from __future__ import annotations

import csv
import dataclasses
import json
from dataclasses import replace
from pathlib import Path

import frictionless
import pytest
from support import ROOT

from core.errors import PublishError
from core.records import DocumentRecord, LineItem
from datapackage.publish import PackageContent, publish_package
from datapackage.resources_reference import (
    LINE_ITEM_REFERENCE_KEYS,
    MEASURES,
    SUBJECTS,
    reference_resources,
    subject_records,
)
from normalize.documents import process_document

JIANGXI = ROOT / "samples" / "pdfs" / "jiangxi_trade_unions_2024.pdf"


@pytest.fixture(scope="module")
def jiangxi() -> tuple[DocumentRecord, list[LineItem]]:
    result = process_document(JIANGXI, JIANGXI.name)
    return result.document, result.line_items


@pytest.mark.parametrize("rd", [SUBJECTS, MEASURES], ids=lambda rd: rd.name)
def test_every_record_field_is_published(rd) -> None:
    assert rd.field_names == [f.name for f in dataclasses.fields(rd.record_type)]


def test_unknown_printed_codes_are_added_as_unknown_subjects(jiangxi) -> None:
    _, items = jiangxi
    records = {r.code: r for r in subject_records(items)}
    unknown = records["310111"]
    assert (unknown.status, unknown.name, unknown.level, unknown.system) == ("unknown", "地上附着物和青苗补偿", "", "economic")
    assert unknown.source.startswith("document:doc-")
    assert records["201"].status == "reference" and "curated:class-lines" in records["201"].source
    assert {i.subject_code for i in items if i.subject_code} <= set(records)


def test_package_with_reference_resources_validates(jiangxi, tmp_path: Path) -> None:
    doc, items = jiangxi
    content = PackageContent(
        documents=[doc], line_items=items, findings=[], run_info={"run_id": "t"},
        extra_resources=reference_resources(items), line_item_foreign_keys=LINE_ITEM_REFERENCE_KEYS,
    )
    published = publish_package(content, tmp_path / "out")
    report = frictionless.validate(str(published.descriptor))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    descriptor = json.loads(published.descriptor.read_text(encoding="utf-8"))
    line_items = next(r for r in descriptor["resources"] if r["name"] == "line_items")
    targets = {fk["reference"]["resource"] for fk in line_items["schema"]["foreignKeys"]}
    assert targets == {"documents", "subjects", "measures"}
    assert published.rows["measures"] >= 29 and published.rows["subjects"] > 250
    with published.csv["line_items"].open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert {"subject_name_printed", "subject_level", "parent_code", "subject_flag"} <= set(rows[0])


def test_foreign_key_catches_a_code_missing_from_subjects(jiangxi, tmp_path: Path) -> None:
    doc, items = jiangxi
    reference_only = [(SUBJECTS, subject_records([])), reference_resources(items)[1]]
    content = PackageContent(
        documents=[doc], line_items=items, findings=[], run_info={"run_id": "t"},
        extra_resources=reference_only, line_item_foreign_keys=LINE_ITEM_REFERENCE_KEYS,
    )
    with pytest.raises(PublishError, match="(?i)foreign"):
        publish_package(content, tmp_path / "out")


def test_foreign_key_catches_an_unknown_measure(jiangxi, tmp_path: Path) -> None:
    doc, items = jiangxi
    bad = [replace(items[0], measure="not_a_measure"), *items[1:]]
    content = PackageContent(
        documents=[doc], line_items=bad, findings=[], run_info={"run_id": "t"},
        extra_resources=reference_resources(bad), line_item_foreign_keys=LINE_ITEM_REFERENCE_KEYS,
    )
    with pytest.raises(PublishError, match="(?i)foreign"):
        publish_package(content, tmp_path / "out")
