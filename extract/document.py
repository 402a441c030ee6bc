"""Open a PDF, decide whether it can be read, and read its identity and tables.

Triage turns every way a file can be unusable into a `QuarantineReason` with a stable
code, so the run goes on and the file is recorded, never dropped:

    not_a_pdf, corrupt_pdf, encrypted_pdf, no_text_layer (scanned), no_unicode_map
    ((cid:N) text), not_a_disclosure (wrong document kind), template_placeholder,
    unsupported_kind, no_table_data
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

from core.records import DocKind, PerformanceIndicator, QuarantineReason, RawTable
from extract.grid import page_grids
from extract.pdfium_geometry import PdfiumGeometry, geometry_source
from extract.pdfium_pages import PdfiumPages
from extract.performance import PerformancePass
from extract.tables import TableFinder
from extract.text import squash
from schemas.table_specs import SPEC_SET_BY_KIND, load_specs

#: Errors that mean "this file is broken"; anything else is a bug of ours and propagates.
_PDF_ERRORS: tuple[type[BaseException], ...] = (
    PdfminerException,
    MalformedPDFException,  # pdfplumber: a /MediaBox or /CropBox that is not four numbers
    PDFSyntaxError,
    PSException,
    pdfium.PdfiumError,
    ValueError,
    KeyError,
    TypeError,
    AssertionError,
    EOFError,
    OSError,
)
_DEPT_FIELD = re.compile(r"(?:预算主管部门|编制部门|编制单位|部门名称|单位名称|部门)[:：](.+?)(?=\d{4}年|金额单位|单位[:：]|$)")
_DEPT_OVERVIEW = re.compile(r"^第一部分(.+?)(?:部门)?概况$")
_YEAR_KIND = re.compile(r"(20\d{2})年度?(?:部门|单位)?(决算|预算)")
_YEAR = re.compile(r"(20\d{2})年?")
_PLACEHOLDER = re.compile(r"X{2,}|×{2,}")
_CID = re.compile(r"\(cid:\d+\)")
_HAN_TEXT = re.compile(r"[\u4e00-\u9fff]")
_MAPPED_HAN = 20  # Han characters on a page that say its fonts map to Unicode


@dataclass
class DocumentIdentity:
    department: str = ""
    fiscal_year: int | None = None
    doc_kind: str = DocKind.UNKNOWN.value
    scope: str = "department"  # department (部门) or unit (单位预算/单位决算)
    producer: str = ""
    pages: int = 0


@dataclass
class ExtractedDocument:
    """Everything read from one file; `reason` set when it must be quarantined."""

    path: Path
    sha256: str
    identity: DocumentIdentity
    tables: list[RawTable] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    spec_set: str = ""  # which schemas/data/<spec_set>.toml the tables were read with
    reason: QuarantineReason | None = None
    events: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # non-fatal: published in documents.notes
    page_texts: list[str] = field(default_factory=list)  # pdfium text of every page (narrative, 绩效)
    listed: list[str] = field(default_factory=list)  # table codes its 目录 lists
    #: (title, page, amounts) of tables under titles no spec knows, and of ruled tables under no title
    other_tables: list[tuple[str, int, int]] = field(default_factory=list)
    #: rows of its 绩效自评表, read in the same page pass as the tables (doc_id set by normalize)
    performance: list[PerformanceIndicator] = field(default_factory=list)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def extract_document(path: Path, pages: PdfiumPages | None = None) -> ExtractedDocument:
    """Read one PDF. Never raises for bad input: the reason is recorded instead.

    `pages`: the file already open in pdfium, with the pages an earlier pass loaded (the
    limits' object count); without it the file is opened here."""
    doc = ExtractedDocument(path=path, sha256=sha256_of(path), identity=DocumentIdentity())
    with path.open("rb") as fh:
        magic = fh.read(1024)
    if b"%PDF-" not in magic:
        doc.reason = QuarantineReason(
            "not_a_pdf", "the file does not start like a PDF (no %PDF- header); check the download"
        )
        return doc
    try:
        with pdfplumber.open(path) as pdf:
            _read(pdf, doc, pages)
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        doc.reason = _encrypted(exc)
    except RecursionError:  # objects nested thousands deep (arrays, dicts, a page tree): hostile or broken
        doc.reason = QuarantineReason(
            "corrupt_pdf",
            "the PDF's objects are nested too deeply to be read (RecursionError); repair it (e.g. qpdf) and run again",
        )
    except _PDF_ERRORS as exc:
        if not _raised_by_pdf_library(exc):
            raise  # a bug of ours: process_document_safely records it as extractor_error
        cause = exc.__cause__ or exc.__context__ or exc
        if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in str(exc).lower():
            doc.reason = _encrypted(exc)
        else:
            doc.reason = QuarantineReason(
                "corrupt_pdf",
                f"the PDF cannot be parsed ({type(exc).__name__}: {str(exc)[:160]}); "
                "re-download it or repair it (e.g. qpdf) and run again",
            )
    return doc


def _meta_text(metadata: dict | None, key: str) -> str:
    """A text entry of the document information; anything else (a hostile array nested 100,000
    deep, whose str() overflows the stack) is no text."""
    value = (metadata or {}).get(key)
    return value if isinstance(value, str) else ""


def _raised_by_pdf_library(exc: BaseException) -> bool:
    """pdfminer raises ValueError/KeyError/… on broken files; the same types from our code are bugs."""
    if isinstance(exc, (PdfminerException, MalformedPDFException, PDFSyntaxError, PSException,
                        pdfium.PdfiumError)):
        return True
    tb = exc.__traceback__
    last = None
    while tb is not None:
        last = tb.tb_frame.f_code.co_filename
        tb = tb.tb_next
    return bool(last) and any(lib in str(last) for lib in ("pdfminer", "pdfplumber", "pypdfium2"))


def _encrypted(exc: BaseException) -> QuarantineReason:
    return QuarantineReason(
        "encrypted_pdf",
        "the PDF is encrypted with a password; ask the publisher for an open copy or decrypt it first",
    )


def _page_texts(pages: PdfiumPages) -> tuple[list[str], list[int]]:
    """Text and character count of every page, by pdfium: ~100× faster than pdfplumber.

    Triage and identity need only plain text; pdfplumber's geometry is spent only on
    the documents and pages that hold tables. The pages stay loaded for the geometry.
    """
    texts: list[str] = []
    counts: list[int] = []
    for index in range(len(pages)):
        textpage = pages.textpage(index)
        counts.append(textpage.count_chars())
        texts.append(textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n"))
        pages.release(index)
    return texts, counts


def _read(pdf: Any, doc: ExtractedDocument, pages: PdfiumPages | None) -> None:
    own = pages is None
    pages = PdfiumPages(doc.path) if pages is None else pages
    try:
        _read_pages(pdf, doc, pages)
    finally:
        if own:
            pages.close()


def _read_pages(pdf: Any, doc: ExtractedDocument, pages: PdfiumPages) -> None:
    identity = doc.identity
    identity.pages = len(pdf.pages)
    identity.producer = _meta_text(pdf.metadata, "Producer") or _meta_text(pdf.metadata, "Creator")
    texts, counts = _page_texts(pages)
    doc.page_texts = texts
    char_pages = sum(1 for n in counts if n > 0)
    if identity.pages == 0 or not texts:
        doc.reason = QuarantineReason(
            "corrupt_pdf",
            f"the PDF has no readable page (its page tree lists {identity.pages}, pdfium read {len(texts)}); "
            "re-download it or repair it (e.g. qpdf) and run again",
        )
        return
    if len(texts) != identity.pages:
        doc.notes.append(f"pdfium read {len(texts)} pages, pdfminer {identity.pages}: the file may be damaged")
    if char_pages == 0 or char_pages < len(texts) * 0.2:
        doc.reason = QuarantineReason(
            "no_text_layer",
            f"only {char_pages} of {len(texts)} pages have a text layer (a scan?); "
            "OCR it (e.g. ocrmypdf) and run again",
        )
        return
    _identify(identity, texts, pdf.metadata or {}, doc.path)
    if identity.doc_kind == DocKind.UNKNOWN.value and _cid_text(pdf, texts):
        doc.reason = QuarantineReason(
            "no_unicode_map",
            "the text layer is (cid:N) glyph ids: the PDF's fonts have no Unicode map, so it cannot be read as text",
        )
        return
    if identity.doc_kind == DocKind.UNKNOWN.value:
        doc.reason = QuarantineReason(
            "not_a_disclosure",
            "neither 部门决算 nor 部门预算 tables were recognized; this does not look like a budget disclosure",
        )
        return
    spec_set = SPEC_SET_BY_KIND.get(identity.doc_kind)
    if spec_set is None:
        doc.reason = QuarantineReason(
            "unsupported_kind",
            f"{identity.doc_kind} documents are recorded but their table set is not read yet "
            "(only 部门决算 tables have specs in schemas/data)",
        )
        return
    specs = load_specs(spec_set)
    doc.spec_set = spec_set
    finder = TableFinder(specs)
    performance = PerformancePass("", texts)
    skipped = 0
    geometry = PdfiumGeometry(doc.path, pages) if geometry_source() == "pdfium" else None
    try:
        for number, page in enumerate(pdf.pages, start=1):
            table_page = not finder.may_skip(texts[number - 1] if number <= len(texts) else "", number)
            performance_page = performance.wants(number)
            if not table_page and not performance_page:
                skipped += 1  # prose only: pdfplumber never parses it (the costliest step)
                pages.done(number - 1)
                continue
            if geometry is not None:
                geometry.attach(page, number - 1)  # pdfminer parses only the pages pdfium cannot give
            grids = page_grids(page, number)  # parsed once, read by the table finder and the 绩效 reader
            if performance_page:
                performance.feed_page(number, grids)
            if table_page:
                finder.feed_page(page, number, ruled=grids)
            page.close()  # frees the page's parsed objects: memory stays flat on long booklets
    finally:
        if geometry is not None:
            geometry.close()
    doc.performance = performance.indicators()
    finder.events.append(f"{skipped} of {len(pdf.pages)} pages skipped: no table title and no table rows in their text")
    if geometry is not None:
        finder.events.append(geometry.summary())
    doc.tables = finder.finish()
    doc.events = finder.events
    doc.notes += finder.notes
    found = {t.table_code for t in doc.tables}
    doc.absent = [s.code for s in specs if s.code not in found]
    if not any(t.cells for t in doc.tables) and _cid_text(pdf, texts):
        doc.reason = QuarantineReason(
            "no_unicode_map",
            "the text layer is (cid:N) glyph ids: the PDF's fonts have no Unicode map, so its tables cannot be "
            "read as text; ask the publisher for a PDF with embedded Unicode fonts, or OCR it",
        )
        return
    doc.listed = sorted(finder.listed)
    doc.other_tables = [(o.title, o.page, len(o.printed)) for o in finder.others if o.printed and o.assigned is None]
    doc.other_tables += [("", page, n) for page, n in finder.unattributed]
    if _PLACEHOLDER.search(identity.department) or (
        not any(t.cells for t in doc.tables) and _PLACEHOLDER.search("".join(texts[:3]))
    ):
        doc.reason = QuarantineReason(
            "template_placeholder",
            "this is a blank template (placeholder 'XX' in place of the department, no figures); nothing to publish",
        )


def _cid_text(pdf: Any, texts: list[str]) -> bool:
    """pdfminer prints glyphs it cannot map as `(cid:N)`: check a few pages.

    When pdfium's text of most of those pages already reads as Chinese, pdfminer is asked for
    one of them only (a narrative-only booklet has no table cells and would otherwise be parsed
    five times for nothing): pdfium reads the codes of a font without a Unicode map as Unicode,
    pdfminer (whose characters the tables are read from) does not.
    """
    head = texts[: min(5, len(texts))]
    chinese = [i for i, t in enumerate(head) if len(_HAN_TEXT.findall(t)) >= _MAPPED_HAN]
    if head and len(chinese) > len(head) / 2:
        return _cid_page(pdf.pages[chinese[0]])
    pages = pdf.pages[: min(5, len(pdf.pages))]
    return sum(_cid_page(page) for page in pages) > len(pages) / 2


def _cid_page(page: Any) -> bool:
    return len(_CID.findall(page.extract_text() or "")) > 20


def _identify(identity: DocumentIdentity, texts: list[str], metadata: dict, path: Path) -> None:
    head = [squash(t) for t in texts[:4]]
    lines = [squash(line) for t in texts[:4] for line in t.splitlines()]
    table_lines = [squash(line) for t in texts for line in t.splitlines() if "部门" in line or "单位" in line]
    identity.department = _department(lines, table_lines, texts)
    identity.fiscal_year = _year(head, metadata, path)
    identity.doc_kind = _kind(head, [squash(t) for t in texts]).value
    identity.scope = _scope(head)


_GENERIC = {"", "部门", "本部门", "单位", "本单位", "部门单位"}


_YEAR_IN_NAME = re.compile(r"(20\d{2}|19\d{2})年度?")
_KIND_TAIL = re.compile(r"(部门|单位)?(决算|预算).*$|部门$")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _clean_name(text: str) -> str:
    """A department candidate without the year and the document kind around it.

    `2017年度江苏省高级人民法院部门预算公开` → `江苏省高级人民法院`; a page number
    (`- 1 -`) or a line without two Han characters is no name.
    """
    name = _KIND_TAIL.sub("", _YEAR_IN_NAME.sub("", text)).strip("：:，,。 ")
    return name if len(_HAN.findall(name)) >= 2 and not re.search(r"\d", name) else ""


def _department(lines: list[str], table_lines: list[str], texts: list[str]) -> str:
    """Department name: the `部门：` field of the tables, else `第一部分 X概况`, else the cover.

    The cover may print the name over two lines (`江苏省政协办公厅 2018 年度` / `部门预算公开`)
    under a page number: the first line with a name wins, cleaned of year and kind.
    """
    fields = Counter(
        m.group(1).strip("：:")
        for m in map(_DEPT_FIELD.search, table_lines)
        if m and not m.group(1).startswith(("…", "（", "("))
    )
    # the name printed on most tables wins over one wrapped short on a single page
    candidates = [name for name, _ in sorted(fields.items(), key=lambda kv: (-kv[1], -len(kv[0])))]
    candidates += [m.group(1) for m in map(_DEPT_OVERVIEW.match, lines) if m]
    cover = [squash(line) for line in texts[0].splitlines()] if texts else []
    for line in cover:
        if line and not re.fullmatch(r"[\d年度部门决预算公开表格文件]+", line) and len(line) <= 40 and _clean_name(line):
            candidates.append(line)
            break
    cleaned = (_clean_name(c) for c in candidates if c not in _GENERIC)
    return next((c for c in cleaned if c and c not in _GENERIC), "")


def _year(head: list[str], metadata: dict, path: Path) -> int | None:
    for text in head:
        m = _YEAR_KIND.search(text)
        if m:
            return int(m.group(1))
    candidates = [head[0] if head else "", _meta_text(metadata, "Title"), path.name]
    for text in candidates:
        m = _YEAR.search(text)
        if m:
            return int(m.group(1))
    return None


def _scope(head: list[str]) -> str:
    """unit for a 单位预算/单位决算 (one budget unit), department for a 部门 booklet (all its units).

    A department publishes both for the same year, with different figures: they are two
    disclosures, not one published twice.
    """
    joined = "".join(head)
    unit = joined.count("单位预算") + joined.count("单位决算") + joined.count("预算单位财务收支")
    department = joined.count("部门预算") + joined.count("部门决算")
    return "unit" if unit > department else "department"


def _kind(head: list[str], all_text: list[str]) -> DocKind:
    joined = "".join(head)
    final = joined.count("部门决算") + joined.count("决算表")
    budget = joined.count("部门预算") + joined.count("预算表")
    if final == budget == 0:
        whole = "".join(all_text)
        final, budget = whole.count("决算"), whole.count("预算表") + whole.count("部门预算")
    if final == budget == 0:
        return DocKind.UNKNOWN
    return DocKind.FINAL_ACCOUNT if final >= budget else DocKind.BUDGET
