"""publish_package end to end: round trip, validity, formula guard, failures, refusal."""

from __future__ import annotations

import codecs
import csv
import io
import json
import subprocess
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import frictionless
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from core.errors import PublishError
from datapackage import validation
from datapackage.publish import PackageContent, publish_package
from datapackage.resources import RESOURCES


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    return list(csv.DictReader(io.StringIO(raw[len(codecs.BOM_UTF8) :].decode("utf-8"), newline="")))


def test_round_trip_parquet_is_exact_decimal128(content: PackageContent, tmp_path: Path) -> None:
    published = publish_package(content, tmp_path / "out")

    table = pq.read_table(published.parquet["line_items"])
    for name in ("amount_yuan", "quantity", "value_original"):
        assert pa.types.is_decimal128(table.schema.field(name).type)
    assert table.schema.field("page").type == pa.int32()
    assert table.schema.field("subject_code").type == pa.string()
    assert table.column("amount_yuan").to_pylist() == [i.amount_yuan for i in content.line_items]
    assert table.column("value_original").to_pylist() == [i.value_original for i in content.line_items]
    assert table.column("quantity").to_pylist() == [i.quantity for i in content.line_items]

    findings = pq.read_table(published.parquet["consistency"])
    for name in ("expected", "actual", "difference"):
        assert pa.types.is_decimal128(findings.schema.field(name).type)
        assert findings.column(name).to_pylist() == [getattr(f, name) for f in content.findings]
    assert pq.read_table(published.parquet["documents"]).column("fiscal_year").to_pylist() == [2023, None]
    assert published.rows == {"documents": 2, "line_items": 5, "consistency": 2}


def test_round_trip_csv_has_bom_and_exact_text(content: PackageContent, tmp_path: Path) -> None:
    published = publish_package(content, tmp_path / "out")

    rows = read_csv(published.csv["line_items"])
    assert [Decimal(r["amount_yuan"]) if r["amount_yuan"] else None for r in rows] == [
        i.amount_yuan for i in content.line_items
    ]
    assert rows[3]["amount_yuan"] == "999999999999999999.99"
    assert rows[1]["value_original"] == "-0.00015"  # no exponent, sign kept, not guarded
    assert rows[3]["table_code"] == "06" and rows[3]["subject_code"] == "30101"
    assert rows[4]["quantity"] == "3" and rows[4]["amount_yuan"] == ""
    docs = read_csv(published.csv["documents"])
    assert docs[1]["fiscal_year"] == "" and docs[1]["status"] == "quarantined"


def test_formula_is_neutralised_in_csv_only(content: PackageContent, tmp_path: Path) -> None:
    published = publish_package(content, tmp_path / "out")

    assert read_csv(published.csv["line_items"])[2]["line_label"] == "'=SUM(A1)"
    assert pq.read_table(published.parquet["line_items"]).column("line_label")[2].as_py() == "=SUM(A1)"
    assert read_csv(published.csv["consistency"])[1]["message"] == "'-同一编码名称不同"


def test_descriptor_passes_frictionless_validate(content: PackageContent, tmp_path: Path) -> None:
    published = publish_package(content, tmp_path / "out")

    report = frictionless.validate(str(published.descriptor))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])
    descriptor = json.loads(published.descriptor.read_text(encoding="utf-8"))
    assert descriptor["opendisclosure:run"] == dict(content.run_info)
    assert descriptor["licenses"] and descriptor["created"].endswith("Z")
    names = [r["name"] for r in descriptor["resources"]]
    assert names[:3] == ["documents", "line_items", "consistency"]
    for resource in descriptor["resources"]:
        assert resource["title"] and resource["description"]
        for fd in resource.get("schema", {}).get("fields", []):
            assert fd["title"] and fd["description"], fd["name"]


def test_cli_validate_passes(content: PackageContent, tmp_path: Path) -> None:
    published = publish_package(content, tmp_path / "out")
    cli = Path(sys.executable).parent / "frictionless"
    if not cli.exists():
        pytest.skip("frictionless console script not installed next to this python")
    result = subprocess.run([str(cli), "validate", str(published.descriptor)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_empty_findings_give_valid_empty_consistency(content: PackageContent, tmp_path: Path) -> None:
    published = publish_package(replace(content, findings=[]), tmp_path / "out")

    assert published.rows["consistency"] == 0
    header = published.csv["consistency"].read_bytes()
    assert header == codecs.BOM_UTF8 + (",".join(RESOURCES[2].field_names) + "\r\n").encode()
    assert pq.read_table(published.parquet["consistency"]).num_rows == 0
    assert frictionless.validate(str(published.descriptor)).valid


def test_parquet_rows_satisfy_the_twin_schema(content: PackageContent, tmp_path: Path) -> None:
    """The schema each Parquet file points to (its CSV twin's) really describes its rows."""
    published = publish_package(content, tmp_path / "out")
    package = frictionless.Package(str(published.descriptor))
    for rd in RESOURCES:
        twin = package.get_resource(f"{rd.name}_parquet")
        assert twin.custom["opendisclosure:tableSchemaFrom"] == rd.name
        schema = package.get_resource(rd.name).schema.to_descriptor()
        schema.pop("foreignKeys", None)
        table = pq.read_table(published.out_dir / twin.path)
        rows = [list(r.values()) for r in table.to_pylist()]
        resource = frictionless.Resource(
            data=[table.column_names, *rows], schema=frictionless.Schema.from_descriptor(schema)
        )
        report = resource.validate()
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


@pytest.mark.xfail(strict=True, reason="frictionless 5.21 reads Parquet via pandas: a null int becomes NaN")
def test_frictionless_reads_parquet_with_null_ints(content: PackageContent, tmp_path: Path) -> None:
    """Why the Parquet twins are file resources: if this starts passing, reconsider (descriptor.py)."""
    published = publish_package(content, tmp_path / "out")
    package = frictionless.Package(str(published.descriptor))
    schema = package.get_resource("documents").schema.to_descriptor()
    resource = frictionless.Resource(
        {"name": "t", "path": "data/documents.parquet", "format": "parquet", "schema": schema},
        basepath=str(published.out_dir),
    )
    assert resource.validate().valid


def test_failed_validation_leaves_previous_package_untouched(
    content: PackageContent, tmp_path: Path, snap, item
) -> None:
    out = tmp_path / "out"
    publish_package(content, out)
    before = snap(out)
    duplicate = [*content.line_items, item()]  # same primary key as line_items[0]

    with pytest.raises(PublishError, match="primary-key"):
        publish_package(replace(content, line_items=duplicate, run_info={"run_id": "run-2"}), out)

    assert snap(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out"]


def test_dangling_foreign_key_is_refused(content: PackageContent, tmp_path: Path, item) -> None:
    with pytest.raises(PublishError, match="foreign-key"):
        publish_package(replace(content, line_items=[item(doc_id="nowhere")]), tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_monkeypatched_validation_failure_keeps_previous(
    content: PackageContent, tmp_path: Path, snap, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    publish_package(content, out)
    before = snap(out)
    monkeypatch.setattr(validation, "frictionless_problems", lambda *_: ["documents: [boom] broken"])

    with pytest.raises(PublishError, match=r"boom"):
        publish_package(replace(content, findings=[]), out)
    assert snap(out) == before


def test_unpublishable_value_fails_before_writing(content: PackageContent, tmp_path: Path, item) -> None:
    with pytest.raises(PublishError, match="amount_yuan"):
        publish_package(replace(content, line_items=[item(amount_yuan=Decimal("1.005"))]), tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_republish_replaces_previous_package(content: PackageContent, tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish_package(content, out)
    published = publish_package(replace(content, findings=[], run_info={"run_id": "run-2"}), out)

    assert json.loads(published.descriptor.read_text(encoding="utf-8"))["opendisclosure:run"] == {
        "run_id": "run-2"
    }
    assert published.rows["consistency"] == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == [".out.lock", "out"]


def test_refuses_a_directory_that_is_not_a_package(content: PackageContent, tmp_path: Path, snap) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"precious")
    before = snap(out)

    with pytest.raises(PublishError, match="refusing"):
        publish_package(content, out)
    assert snap(out) == before


def test_refuses_someone_elses_data_package(content: PackageContent, tmp_path: Path) -> None:
    out = tmp_path / "other"
    out.mkdir()
    (out / "datapackage.json").write_text('{"name": "theirs", "resources": []}', encoding="utf-8")

    with pytest.raises(PublishError, match="refusing"):
        publish_package(content, out)


def test_publishes_into_an_existing_empty_directory(content: PackageContent, tmp_path: Path) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    assert publish_package(content, out).descriptor.exists()


def test_invalid_descriptor_is_reported(
    content: PackageContent, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datapackage import descriptor

    monkeypatch.setattr(descriptor, "PARQUET_MEDIATYPE", 42)
    with pytest.raises(PublishError, match="descriptor"):
        publish_package(content, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_run_info_must_be_strings(content: PackageContent, tmp_path: Path) -> None:
    with pytest.raises(PublishError, match="run_info"):
        publish_package(replace(content, run_info={"run_id": 7}), tmp_path / "out")  # type: ignore[dict-item]


def test_attachment_published_with_the_package(tmp_path: Path) -> None:
    from datapackage.publish import PackageContent, publish_package

    content = PackageContent(documents=[], line_items=[], findings=[], run_info={"run": "t"},
                             attachments={"report/index.html": "<html><body>报告</body></html>"})
    published = publish_package(content, tmp_path / "out")
    assert (published.out_dir / "report" / "index.html").read_text(encoding="utf-8").endswith("</html>")


def test_attachment_cannot_escape_the_package(tmp_path: Path) -> None:
    from core.errors import PublishError
    from datapackage.publish import PackageContent, publish_package

    content = PackageContent(documents=[], line_items=[], findings=[], run_info={"run": "t"},
                             attachments={"../evil.html": "x"})
    with pytest.raises(PublishError):
        publish_package(content, tmp_path / "out")


def test_resources_are_written_in_batches_one_row_group_each(
    content: PackageContent, tmp_path: Path, item, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Line items in batches of 3 rows: the same rows in the same order, each batch a row group,
    a bad value named by its row in the whole resource, a changed row group caught by the read-back."""
    from datapackage import resource_files

    monkeypatch.setattr(resource_files, "BATCH_ROWS", 3)
    items = [replace(item(), row_index=n, amount_yuan=Decimal(n) / 100) for n in range(8)]
    published = publish_package(replace(content, line_items=items), tmp_path / "out")
    file = pq.ParquetFile(published.parquet["line_items"])
    assert file.num_row_groups == 3 and [file.metadata.row_group(g).num_rows for g in range(3)] == [3, 3, 2]
    table = file.read()
    assert table.column("row_index").to_pylist() == list(range(8))
    assert table.column("amount_yuan").to_pylist() == [Decimal(n) / 100 for n in range(8)]
    assert [r["row_index"] for r in read_csv(published.csv["line_items"])] == [str(n) for n in range(8)]

    bad = [*items[:6], replace(items[6], amount_yuan=Decimal("1.005")), items[7]]
    with pytest.raises(PublishError, match=r"line_items row 6 .*amount_yuan"):
        publish_package(replace(content, line_items=bad), tmp_path / "bad")

    # the read-back compares each row group with its batch rebuilt from the records
    from datapackage.resource_files import arrow_batches
    from datapackage.resources import LINE_ITEMS
    from datapackage.validation import parquet_problems

    path = published.parquet["line_items"]
    expected = (path, LINE_ITEMS.arrow_schema(), lambda: arrow_batches(LINE_ITEMS, items))
    assert parquet_problems({"line_items": expected}) == []
    changed = [*items[:4], replace(items[4], amount_yuan=Decimal("9.99")), *items[5:]]
    moved = (path, LINE_ITEMS.arrow_schema(), lambda: arrow_batches(LINE_ITEMS, changed))
    assert parquet_problems({"line_items": moved}) == [
        "line_items: values read back differ from those written (row group 1)"
    ]
    fewer = (path, LINE_ITEMS.arrow_schema(), lambda: arrow_batches(LINE_ITEMS, items[:6]))
    assert parquet_problems({"line_items": fewer}) == ["line_items: 8 rows read back, 6 written"]
