"""GovBudgetChecker's rules against ours (`schemas/data/peer_rules.csv`), for README's issue 9 table.

One row per rule id the peer tool (github.com/zxj6827111-blip/GovBudgetChecker) registers to run:
the 决算 set (`src/engine/rules_v33.py` ALL_RULES), the 预算 set (`budget_rules.py`
ALL_BUDGET_RULES) and the set run on both (`common_rules.py` ALL_COMMON_RULES). Columns:

- `peer_rule_id`, `peer_description` — the peer's id and what it checks, in one line;
- `doc_kind` — final_account, budget or both (the registry it is run from);
- `our_rule_ids` — `;`-separated ids of `schemas/data/rules.csv` that check the same thing;
- `coverage` — full (ours checks the same thing), partial (part of it) or none;
- `reason` — for partial/none, why: unsound in general (and for which departments it holds),
  needs an external source, a subjective wording check, covered by our extraction, or a gap.

    python -m schemas.peer_rules > docs/peer_rules.md   # the markdown table
    python -m schemas.peer_rules --readme               # rewrite README.md's embedded copy
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PEER_RULES_CSV = Path(__file__).parent / "data" / "peer_rules.csv"
COLUMNS = ("peer_rule_id", "peer_description", "doc_kind", "our_rule_ids", "coverage", "reason")
COVERAGES = ("full", "partial", "none")
DOC_KINDS = ("final_account", "budget", "both")


@dataclass(frozen=True)
class PeerRule:
    peer_rule_id: str
    peer_description: str
    doc_kind: str
    our_rule_ids: tuple[str, ...]
    coverage: str
    reason: str

    def __post_init__(self) -> None:
        if self.coverage not in COVERAGES:
            raise ValueError(f"peer rule {self.peer_rule_id}: unknown coverage {self.coverage!r}")
        if self.doc_kind not in DOC_KINDS:
            raise ValueError(f"peer rule {self.peer_rule_id}: unknown doc_kind {self.doc_kind!r}")


@cache
def load_peer_rules(path: Path = PEER_RULES_CSV) -> tuple[PeerRule, ...]:
    """The rows of peer_rules.csv in file order (the peer's registry order)."""
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise ValueError(f"{path}: columns must be {', '.join(COLUMNS)}, found {reader.fieldnames}")
        return tuple(
            PeerRule(
                peer_rule_id=row["peer_rule_id"].strip(),
                peer_description=row["peer_description"].strip(),
                doc_kind=row["doc_kind"].strip(),
                our_rule_ids=tuple(r.strip() for r in row["our_rule_ids"].split(";") if r.strip()),
                coverage=row["coverage"].strip(),
                reason=row["reason"].strip(),
            )
            for row in reader
        )


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(rules: tuple[PeerRule, ...] | None = None) -> str:
    """The mapping as a markdown section: a count line and one table row per peer rule."""
    rules = load_peer_rules() if rules is None else rules
    by_coverage = {c: sum(1 for r in rules if r.coverage == c) for c in COVERAGES}
    by_kind = {k: sum(1 for r in rules if r.doc_kind == k) for k in DOC_KINDS}
    lines = [
        f"{len(rules)} GovBudgetChecker rules ({by_kind['final_account']} 决算, {by_kind['budget']} 预算, "
        f"{by_kind['both']} on both): {by_coverage['full']} full, {by_coverage['partial']} partial, "
        f"{by_coverage['none']} none. Generated from `schemas/data/peer_rules.csv` by `python -m schemas.peer_rules`.",
        "",
        "| Peer rule | What it checks | Documents | Our rules | Coverage | Why not (fully) |",
        "|---|---|---|---|---|---|",
    ]
    for r in rules:
        ours = ", ".join(f"`{rule_id}`" for rule_id in r.our_rule_ids) or "—"
        lines.append(
            f"| `{r.peer_rule_id}` | {_cell(r.peer_description)} | {r.doc_kind} | {ours} | {r.coverage} | {_cell(r.reason)} |"
        )
    return "\n".join(lines) + "\n"


README = Path(__file__).resolve().parent.parent / "README.md"
BEGIN, END = "<!-- peer-rules:begin -->", "<!-- peer-rules:end -->"


def embedded(readme: str) -> str:
    """The table README.md carries between its peer-rules markers."""
    start, end = readme.index(BEGIN) + len(BEGIN), readme.index(END)
    return readme[start:end].strip("\n") + "\n"


def embed(readme: str, table: str | None = None) -> str:
    """README text with the rendered table between the markers."""
    start, end = readme.index(BEGIN) + len(BEGIN), readme.index(END)
    return readme[:start] + "\n" + (table or render_markdown()) + readme[end:]


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["--readme"]:
        README.write_text(embed(README.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        print(render_markdown(), end="")
