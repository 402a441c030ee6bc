"""The benchmark corpus: every real and (committed) sample PDF, replicated with distinct bytes to N documents.

Copy k of a base PDF is its bytes followed by one PDF comment and a second end-of-file marker

    %opendisclosure-bench copy 00042
    %%EOF

after the original `%%EOF`. Readers find the cross-reference table from the file's end
(`startxref` is still the last one), so each copy opens and reads exactly as its base, yet has its
own sha256: a separate document to the pipeline (its own cache key, its own extraction). The text
is the same, so the pipeline publishes each booklet once and records the other copies as
`duplicate_text` — after extracting every one of them.

Layout under the corpus folder (reused when its manifest matches, rebuilt otherwise):

    manifest.json             bases (name, sha256, pages) and files (path, base, sha256, pages)
    n0300/r000/<base name>    copies 0 … 38, one of each base, then r001/ …
    n0075/, n0150/            the first ¼ and ½ of the copies (hard links), for the growth runs

Checks made when building: every copy opens in pypdfium2 with its base's page count; the first
copy of each base has pypdfium2 text identical to its base's on every page and the same page
count in pdfplumber (pdfminer). bench/truth.py checks the rest from the published package.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def base_dirs(code: Path = ROOT) -> tuple[Path, ...]:
    """Where the base PDFs are: ../shared/realdocs and the samples of the code tree `code`."""
    return (ROOT.parent / "shared" / "realdocs", code / "samples" / "pdfs", code / "samples" / "producers" / "pdfs")


FORMAT = 1  # bump when the layout or the marker changes: old corpora are rebuilt


@dataclass(frozen=True)
class CorpusFile:
    path: Path  # absolute
    rel: str  # relative to its set folder (what the package calls source_file)
    base: str  # the base PDF's file name
    sha256: str
    pages: int


@dataclass(frozen=True)
class Corpus:
    root: Path
    bases: dict[str, dict[str, object]]  # base name → {"sha256", "pages", "bytes", "source"}
    files: list[CorpusFile]

    def set_dir(self, n: int) -> Path:
        return self.root / f"n{n:04d}"

    @property
    def pages(self) -> int:
        return sum(f.pages for f in self.files)

    def subset(self, n: int) -> list[CorpusFile]:
        """The first n copies (every prefix has the bases in the same proportions, round robin)."""
        return self.files[:n]


def base_pdfs(dirs: tuple[Path, ...]) -> list[Path]:
    found = sorted(p for d in dirs if d.is_dir() for p in d.iterdir() if p.suffix.lower() == ".pdf" and p.is_file())
    names = [p.name for p in found]
    if len(set(names)) != len(names):
        raise SystemExit("two base PDFs share a file name; the corpus layout needs distinct names")
    if not found:
        raise SystemExit(f"no base PDF found in {', '.join(map(str, dirs))}")
    return found


def marked(data: bytes, k: int) -> bytes:
    """Copy k's bytes: the base's, then a comment and a second %%EOF (see the module docstring)."""
    tail = b"" if data.endswith((b"\n", b"\r")) else b"\n"
    return data + tail + f"%opendisclosure-bench copy {k:05d}\n%%EOF\n".encode()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _pdfium_pages_and_text(path: Path) -> tuple[int, list[str]]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        texts = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return len(texts), texts
    finally:
        pdf.close()


def _pdfplumber_pages(path: Path) -> int:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def _pdfium_pages(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def growth_sizes(n: int) -> list[int]:
    return sorted({max(1, n // 4), max(1, n // 2), n})


def _load(root: Path, n: int, bases: list[Path]) -> Corpus | None:
    manifest = root / "manifest.json"
    if not manifest.is_file():
        return None
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except ValueError:
        return None
    if data.get("format") != FORMAT or data.get("documents") != n:
        return None
    for base in bases:
        known = data["bases"].get(base.name)
        if not known or known["bytes"] != base.stat().st_size or known["sha256"] != _sha256(base.read_bytes()):
            return None
    if set(data["bases"]) != {b.name for b in bases}:
        return None
    files = [CorpusFile(root / f"n{n:04d}" / f["rel"], f["rel"], f["base"], f["sha256"], f["pages"]) for f in data["files"]]
    for size in growth_sizes(n):
        for f in files[:size]:
            if not (root / f"n{size:04d}" / f.rel).is_file():
                return None
    if any(not f.path.is_file() or f.path.stat().st_size != data["sizes"][f.rel] for f in files):
        return None
    return Corpus(root, data["bases"], files)


def build_corpus(root: Path, n: int, dirs: tuple[Path, ...], say: Callable[[str], None] = print) -> Corpus:
    """The corpus of n documents under root from the PDFs in dirs: reused if its manifest matches, else built."""
    bases = base_pdfs(dirs)
    if (found := _load(root, n, bases)) is not None:
        say(f"corpus: reusing {root} ({n} documents, {found.pages} pages)")
        return found
    say(f"corpus: building {n} documents from {len(bases)} base PDFs under {root}")
    if root.exists():
        for child in root.glob("n[0-9][0-9][0-9][0-9]"):
            shutil.rmtree(child)
        (root / "manifest.json").unlink(missing_ok=True)
    root.mkdir(parents=True, exist_ok=True)
    info: dict[str, dict[str, object]] = {}
    base_text: dict[str, list[str]] = {}
    for base in bases:
        data = base.read_bytes()
        pages, texts = _pdfium_pages_and_text(base)
        base_text[base.name] = texts
        info[base.name] = {"sha256": _sha256(data), "pages": pages, "bytes": len(data), "source": str(base)}
    full = root / f"n{n:04d}"
    files: list[CorpusFile] = []
    sizes: dict[str, int] = {}
    for k in range(n):
        base = bases[k % len(bases)]
        rel = f"r{k // len(bases):03d}/{base.name}"
        data = marked(base.read_bytes(), k)
        path = full / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        pages = int(str(info[base.name]["pages"]))
        if k < len(bases):  # the first copy of each base: same text on every page, same pages in pdfminer
            copy_pages, texts = _pdfium_pages_and_text(path)
            if copy_pages != pages or texts != base_text[base.name]:
                raise SystemExit(f"corpus: {rel} does not read like {base} in pypdfium2")
            if _pdfplumber_pages(path) != _pdfplumber_pages(base):
                raise SystemExit(f"corpus: {rel} has another page count than {base} in pdfplumber")
        elif _pdfium_pages(path) != pages:
            raise SystemExit(f"corpus: {rel} does not open like {base} in pypdfium2")
        files.append(CorpusFile(path, rel, base.name, _sha256(data), pages))
        sizes[rel] = len(data)
    if len({f.sha256 for f in files} | {str(i["sha256"]) for i in info.values()}) != n + len(bases):
        raise SystemExit("corpus: two copies (or a copy and a base) have the same sha256")
    for size in growth_sizes(n):
        if size == n:
            continue
        for f in files[:size]:
            link = root / f"n{size:04d}" / f.rel
            link.parent.mkdir(parents=True, exist_ok=True)
            os.link(f.path, link)
    manifest = {"format": FORMAT, "documents": n, "bases": info, "sizes": sizes,
                "files": [{"rel": f.rel, "base": f.base, "sha256": f.sha256, "pages": f.pages} for f in files]}
    (root / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    corpus = Corpus(root, info, files)
    say(f"corpus: {n} documents, {corpus.pages} pages, all sha256 distinct; first copies read identically")
    return corpus
