"""The run's summary on the terminal (flows/cli._print_run_summary)."""

from __future__ import annotations

from pathlib import Path

import pytest


def test_the_summary_lists_every_partial_and_quarantined_file_as_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from flows import cli
    from flows.summary import RunSummary

    quarantined = [(f"[b]{n}.pdf", f"timeout: [raise --timeout] {n}") for n in range(300)]
    summary = RunSummary(out=tmp_path, documents_ok=1, documents_quarantined=300, line_items=0, findings=0,
                         quarantined=quarantined, documents_partial=1, partial=[("[i]p.pdf", "3/4 amounts read")])
    cli._print_run_summary(summary, tmp_path)
    lines = capsys.readouterr().out.splitlines()
    assert [line for line in lines if line.startswith("quarantined ")] == [
        f"quarantined {name}: {reason}" for name, reason in quarantined]
    assert "partial [i]p.pdf: 3/4 amounts read" in lines
