"""The GovBudgetChecker mapping (schemas/data/peer_rules.csv) names only our registered rules, and docs/peer_rules.md is its rendering."""

from __future__ import annotations

from pathlib import Path

from schemas.peer_rules import COVERAGES, DOC_KINDS, load_peer_rules, render_markdown
from schemas.rules import load_rules

DOCS_TABLE = Path(__file__).resolve().parents[2] / "docs" / "peer_rules.md"


def test_every_mapped_rule_id_is_in_our_registry() -> None:
    ours = set(load_rules())
    missing = sorted({r for peer in load_peer_rules() for r in peer.our_rule_ids} - ours)
    assert not missing, f"not in schemas/data/rules.csv: {missing}"


def test_peer_ids_are_unique() -> None:
    ids = [peer.peer_rule_id for peer in load_peer_rules()]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_coverage_and_doc_kind_are_valid() -> None:
    for peer in load_peer_rules():
        assert peer.coverage in COVERAGES, peer.peer_rule_id
        assert peer.doc_kind in DOC_KINDS, peer.peer_rule_id
        assert peer.peer_description, peer.peer_rule_id


def test_partial_and_none_rows_say_why() -> None:
    for peer in load_peer_rules():
        if peer.coverage != "full":
            assert peer.reason, f"{peer.peer_rule_id}: {peer.coverage} without a reason"


def test_coverage_agrees_with_the_mapped_ids() -> None:
    for peer in load_peer_rules():
        if peer.coverage == "none":
            assert not peer.our_rule_ids, f"{peer.peer_rule_id}: none but maps to {peer.our_rule_ids}"
        else:
            assert peer.our_rule_ids, f"{peer.peer_rule_id}: {peer.coverage} without any rule of ours"


def test_mapped_rules_run_on_the_peer_rules_documents() -> None:
    """A mapped rule runs on the peer rule's kind of document; a full row's rules run on all of them."""
    kinds = {"final_account": {"final_account"}, "budget": {"budget"}, "both": {"final_account", "budget"}}
    ours = load_rules()
    for peer in load_peer_rules():
        known = [ours[r] for r in peer.our_rule_ids if r in ours]  # unknown ids: the registry test
        if not known:
            continue
        covered = {kind for rule in known for kind in rule.doc_kinds}
        if peer.coverage == "full":
            assert kinds[peer.doc_kind] <= covered, (
                f"{peer.peer_rule_id}: full, but ours run on {sorted(covered)}"
            )
        for rule in known:
            assert kinds[peer.doc_kind] & set(rule.doc_kinds), (
                f"{peer.peer_rule_id}: {rule.rule_id} never runs on {peer.doc_kind} documents"
            )


def test_docs_table_is_the_rendered_csv() -> None:
    assert DOCS_TABLE.read_text(encoding="utf-8") == render_markdown(), (
        "docs/peer_rules.md is stale: python -m schemas.peer_rules > docs/peer_rules.md"
    )


def test_readme_embeds_the_rendered_csv() -> None:
    from schemas.peer_rules import README, embedded

    assert embedded(README.read_text(encoding="utf-8")) == render_markdown(), (
        "README.md's GovBudgetChecker table is stale: python -m schemas.peer_rules --readme"
    )
