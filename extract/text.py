"""Text normalization used before any matching of titles, headers, labels and names.

Real text layers use Kangxi-radical look-alikes (U+2F00 block: `⼀般`, `部⻔`) and
full-width forms; NFKC folds both onto the ordinary characters.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WS = re.compile(r"\s+")
#: CJK Radicals Supplement look-alikes that NFKC leaves alone (no compatibility mapping),
#: as Chromium + Noto CJK and WPS exports write them: `公务用⻋` is `公务用车`.
_RADICAL_SUPPLEMENT = str.maketrans(
    "⺠⻄⻅⻆⻉⻋⻓⻔⻘⻙⻚⻛⻜⻝⻢⻣⻤⻥⻦⻧⻨⻩⻪⻬⻮⻰",
    "民西见角贝车长门青韦页风飞食马骨鬼鱼鸟卤麦黄黾齐齿龙",
)
_QUOTES = str.maketrans("", "", "\"'“”‘’「」『』")


def nfkc(text: str | None) -> str:
    """NFKC-normalize, keeping whitespace (for layout-aware matching)."""
    return unicodedata.normalize("NFKC", (text or "").translate(_RADICAL_SUPPLEMENT))


@lru_cache(maxsize=1 << 16)
def squash(text: str | None) -> str:
    """NFKC and drop all whitespace: wrapped Chinese cell text joins without a space.

    Remembered: the same lines are squashed again by every reader of a page (titles, headers,
    rows, 绩效, narrative), and NFKC was 5% of a document's extraction."""
    return _WS.sub("", nfkc(text))


def squash_printed(text: str | None) -> str:
    """Drop whitespace but keep the printed characters (full-width brackets stay).

    `line_label` and `measure_zh` are published "as printed, whitespace removed";
    NFKC would turn `（` into `(`, which is normalization, not printing. Kangxi
    radicals are still folded because they are an artefact of the PDF's font, not
    of what a reader sees.
    """
    return _WS.sub("", _fold_radicals(text or ""))


@lru_cache(maxsize=1 << 16)
def title_key(text: str | None) -> str:
    """Key for matching a table title: no whitespace, no quotes, full-width folded."""
    return squash(text).translate(_QUOTES)


def _fold_radicals(text: str) -> str:
    return "".join(
        unicodedata.normalize("NFKC", ch) if "\u2e80" <= ch <= "\u2fdf" else ch
        for ch in text.translate(_RADICAL_SUPPLEMENT)
    )
