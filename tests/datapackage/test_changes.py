"""What changed between packages: the CHANGELOG entry, `opendisclosure diff` and the package README."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from core.records import DocumentRecord, LineItem
from datapackage.changelog import CHANGELOG_TITLE, changelog_text, render_changes
from datapackage.changes import compare_packages, package_changes
from datapackage.package_readme import package_readme
from datapackage.publish import PackageContent, publish_package


def _doc(doc: Callable[..., DocumentRecord], sha: str, **kw: object) -> DocumentRecord:
    return doc(doc_id=f"doc-{sha[:16]}", sha256=sha, **kw)


@pytest.fixture
def packages(
    doc: Callable[..., DocumentRecord], item: Callable[..., LineItem]
) -> tuple[PackageContent, PackageContent]:
    """Old: A, B, C. New: A (one figure changed, one added), B revised (same file name), C gone, D new."""
    a = _doc(doc, "a" * 64, source_file="a.pdf", source_url="")
    b_old = _doc(doc, "b" * 64, source_file="b.pdf", source_url="", department="乙局")
    b_new = _doc(doc, "e" * 64, source_file="b.pdf", source_url="", department="乙局")
    c = _doc(doc, "c" * 64, source_file="c.pdf", source_url="", department="丙局")
    d = _doc(doc, "d" * 64, source_file="d.pdf", source_url="", department="丁局", doc_kind="budget")

    def items(of: DocumentRecord, amount: str = "1234500.00", rows: int = 1) -> list[LineItem]:
        return [
            item(doc_id=of.doc_id, department=of.department, row_index=i, amount_yuan=Decimal(amount),
                 value_original=Decimal(amount) / 10000)
            for i in range(rows)
        ]

    run = {"run_id": "r", "source": "samples"}
    old = PackageContent([a, b_old, c], items(a) + items(b_old) + items(c), [], {**run, "code_version": "old1"})
    new_a = items(a, "1234600.00") + [
        item(doc_id=a.doc_id, row_index=1, subject_code="2012902", amount_yuan=Decimal("5.00"),
             value_original=Decimal("0.0005"))
    ]
    new = PackageContent([a, b_new, d], new_a + items(b_new) + items(d), [], {**run, "code_version": "new2"})
    return old, new


def test_first_package_has_nothing_to_compare(packages: tuple[PackageContent, PackageContent], tmp_path: Path) -> None:
    changes = package_changes(tmp_path / "absent", packages[0], created="2024-01-01T00:00:00Z")
    assert changes.previous is None
    assert "First package" in render_changes(changes)


def test_changes_since_the_package_in_out(packages: tuple[PackageContent, PackageContent], tmp_path: Path) -> None:
    old, new = packages
    publish_package(old, tmp_path / "out")
    changes = package_changes(tmp_path / "out", new, created="2024-02-01T00:00:00Z")
    assert [d.source_file for d in changes.added] == ["d.pdf"]
    assert [d.source_file for d in changes.removed] == ["c.pdf"]
    assert [(o.sha256[0], n.sha256[0]) for o, n in changes.revised] == [("b", "e")]
    assert [(c.key[:6], c.old, c.new, c.difference) for c in changes.figures_changed] == [
        (("上海市某局", 2023, "final_account", "03", "2012901", "total_expenditure"),
         Decimal("1234500.00"), Decimal("1234600.00"), Decimal("100.00")),
    ]
    # A's new row and D's row are added; C's row is gone; B's figure is the same in its revision
    assert (changes.figures_added, changes.figures_removed) == (2, 1)
    assert changes.previous is not None and changes.previous["code_version"] == "old1"
    text = render_changes(changes)
    assert "1 added, 1 removed, 1 revised" in text and "| 1234500.00 | 1234600.00 | 100.00 |" in text


def test_changelog_keeps_older_entries_newest_first(packages: tuple[PackageContent, PackageContent],
                                                    tmp_path: Path) -> None:
    old, new = packages
    first = changelog_text(package_changes(tmp_path / "none", old, created="2024-01-01T00:00:00Z"))
    publish_package(replace(old, attachments={"CHANGELOG.md": first}), tmp_path / "out")
    second = changelog_text(package_changes(tmp_path / "out", new, created="2024-02-01T00:00:00Z"), first)
    assert second.startswith(CHANGELOG_TITLE)
    assert second.index("## 2024-02-01T00:00:00Z") < second.index("## 2024-01-01T00:00:00Z")
    assert second.count("\n## ") == 2


def test_cli_diff_prints_the_same_summary(packages: tuple[PackageContent, PackageContent], tmp_path: Path) -> None:
    from flows.cli import app

    old, new = packages
    publish_package(old, tmp_path / "old")
    publish_package(new, tmp_path / "new")
    result = CliRunner().invoke(app, ["diff", str(tmp_path / "old"), str(tmp_path / "new")])
    assert result.exit_code == 0, result.output
    expected = render_changes(compare_packages(tmp_path / "old", tmp_path / "new"))
    assert result.output.strip() == expected.strip()
    assert "Documents revised" in result.output and "b.pdf" in result.output
    missing = CliRunner().invoke(app, ["diff", str(tmp_path / "nothing"), str(tmp_path / "new")])
    assert missing.exit_code == 2 and "no opendisclosure package" in missing.output


def test_with_changelog_adds_the_file(packages: tuple[PackageContent, PackageContent], tmp_path: Path) -> None:
    from flows.content import with_changelog

    old, new = packages
    publish_package(old, tmp_path / "out")
    published = publish_package(with_changelog(new, tmp_path / "out"), tmp_path / "out")
    text = (published.out_dir / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "Documents added" in text and "d.pdf" in text


def test_package_readme_states_contents_coverage_citation_and_licences(
    packages: tuple[PackageContent, PackageContent],
) -> None:
    _, new = packages
    text = package_readme(new, created="2024-02-01T00:00:00Z", url="https://example.org/pkg")
    assert "| `line_items` | Line items 表格数据 | 4 |" in text
    assert "3 input files: 3 ok, 0 partial" in text and ", 0 quarantined" in text
    assert "3 departments × 1 fiscal years × 2 kinds" in text and "| 丁局 | 预算 |" in text
    assert "Version 2024-02-01T00:00:00Z, code new2. https://example.org/pkg" in text
    assert "ODC-PDDL-1.0" in text and "public disclosures" in text


def test_a_department_printed_under_another_name_keeps_its_figures(
    doc: Callable[..., DocumentRecord], item: Callable[..., LineItem], tmp_path: Path
) -> None:
    """A revision printing 中共江苏省委办公厅 where the old file printed 江苏省委办公厅 (one department_id):
    its figures are compared, changed, not counted as all removed and all added."""
    old_doc = _doc(doc, "f" * 64, source_file="old.pdf", source_url="", department="江苏省委办公厅",
                   department_id="dept-same")
    new_doc = _doc(doc, "0" * 64, source_file="new.pdf", source_url="", department="中共江苏省委办公厅",
                   department_id="dept-same")

    def figure(of: DocumentRecord, amount: str) -> LineItem:
        return item(doc_id=of.doc_id, department=of.department, department_id="dept-same",
                    amount_yuan=Decimal(amount), value_original=Decimal(amount) / 10000)

    run = {"run_id": "r", "source": "s"}
    publish_package(PackageContent([old_doc], [figure(old_doc, "100.00")], [], run), tmp_path / "out")
    changes = package_changes(tmp_path / "out", PackageContent([new_doc], [figure(new_doc, "200.00")], [], run))
    assert [(o.source_file, n.source_file) for o, n in changes.revised] == [("old.pdf", "new.pdf")]
    assert [(c.department, c.old, c.new) for c in changes.figures_changed] == [
        ("中共江苏省委办公厅", Decimal("100.00"), Decimal("200.00"))
    ]
    assert (changes.figures_added, changes.figures_removed) == (0, 0)
    assert "| 中共江苏省委办公厅 |" in render_changes(changes)


def test_figures_are_compared_one_department_at_a_time_from_many_row_groups(
    doc: Callable[..., DocumentRecord], item: Callable[..., LineItem], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Twelve departments of 30 rows each, written 50 rows to a row group: the previous package is
    streamed and the new one read by row group, one department's figures at a time, and the
    changelog of the content and of the published package agree with what was changed."""
    import datapackage.changes as changes_module
    import datapackage.resource_files as resource_files

    monkeypatch.setattr(resource_files, "BATCH_ROWS", 50)  # rows of one department span row groups
    monkeypatch.setattr(changes_module, "BATCH_ROWS", 7)
    olds = [_doc(doc, f"{n:02d}" * 32, source_file=f"{n}.pdf", source_url="", department=f"第{n}局",
                 department_id=f"dept-{n}") for n in range(12)]
    news = [replace(d, doc_id=f"doc-new{n:012d}", sha256=f"{n:02d}" * 31 + "ff") for n, d in enumerate(olds)]

    def rows(of: DocumentRecord, changed: bool) -> list[LineItem]:
        return [item(doc_id=of.doc_id, department=of.department, department_id=of.department_id, row_index=i,
                     subject_code=f"20129{i:02d}", amount_yuan=Decimal(i + (7 if changed and i == 3 else 0)),
                     value_original=Decimal(i + (7 if changed and i == 3 else 0)) / 10000) for i in range(30)]

    run = {"run_id": "r", "source": "s"}
    old = PackageContent(olds, [i for d in olds for i in rows(d, False)], [], run)
    # departments 4 and 9 change one figure; department 11 is gone and 第12局 new
    new_docs = [*news[:11], _doc(doc, "ab" * 32, source_file="12.pdf", source_url="", department="第12局",
                                 department_id="dept-12")]
    new = PackageContent(new_docs, [i for n, d in enumerate(new_docs) for i in rows(d, n in (4, 9))], [], run)
    publish_package(old, tmp_path / "old")
    publish_package(new, tmp_path / "new")
    assert pq.ParquetFile(tmp_path / "old" / "data" / "line_items.parquet").num_row_groups == 8

    held: list[int] = []
    real = changes_module._figures
    monkeypatch.setattr(changes_module, "_figures", lambda docs, items: held.append(len(f := real(docs, items))) or f)
    for changes in (package_changes(tmp_path / "old", new), compare_packages(tmp_path / "old", tmp_path / "new")):
        assert sorted((c.department, c.old, c.new) for c in changes.figures_changed) == [
            ("第4局", Decimal(3), Decimal(10)), ("第9局", Decimal(3), Decimal(10))]
        assert (changes.figures_added, changes.figures_removed) == (30, 30)
        assert [d.department for d in changes.removed] == ["第11局"]
    assert max(held) == 30  # never more than one department's figures at a time
