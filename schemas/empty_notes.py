"""The wordings of a 空表说明 (`schemas/data/empty_table_notes.toml`) as typed forms.

A 07/08/09 table printed without any value carries a note saying why it is empty
(rule EMPTY_TABLE_NOTE). Its wordings are data: a form is a named pattern with the
printed examples it must match, checked when loaded.

    from schemas.empty_notes import empty_note_form
    empty_note_form("注：本部门无相关收支项目")  # → "nothing_to_report"
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

NOTES_TOML = Path(__file__).parent / "data" / "empty_table_notes.toml"
_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class NoteForm:
    name: str
    description: str
    pattern: re.Pattern[str]
    examples: tuple[str, ...]

    def __post_init__(self) -> None:
        missed = [e for e in self.examples if not self.pattern.search(comparable(e))]
        if missed:
            raise ValueError(f"{NOTES_TOML.name}: form {self.name!r} does not match its examples {missed}")


def comparable(text: str) -> str:
    """NFKC (full-width colons and commas become ASCII) with all whitespace dropped."""
    return _WS.sub("", unicodedata.normalize("NFKC", text))


@cache
def note_forms(path: Path = NOTES_TOML) -> tuple[NoteForm, ...]:
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    forms = tuple(
        NoteForm(
            name=f["name"],
            description=f.get("description", ""),
            pattern=re.compile(f["pattern"]),
            examples=tuple(f.get("examples", ())),
        )
        for f in raw["form"]
    )
    names = [f.name for f in forms]
    if len(set(names)) != len(names):
        raise ValueError(f"{path.name}: duplicate form names {names}")
    return forms


def empty_note_form(text: str) -> str:
    """The name of the first form the text is worded in, "" when it says nothing of an empty table."""
    key = comparable(text)
    return next((f.name for f in note_forms() if f.pattern.search(key)), "")


@cache
def fund_words(path: Path = NOTES_TOML) -> dict[str, tuple[str, ...]]:
    """table_code → the words its 空表说明 names its own fund by (`[fund_words]`)."""
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    return {code: tuple(words) for code, words in raw.get("fund_words", {}).items()}


def named_funds(note: str) -> set[str]:
    """The tables whose fund words the note names: '本部门无政府性基金预算…' → {'07'}."""
    key = comparable(note)
    return {code for code, words in fund_words().items() if any(w in key for w in words)}
