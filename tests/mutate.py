"""Seeded mutations of real PDF bytes, for the fuzz run (tests/flows/test_fuzz.py, issue 12 §7).

Every mutation is a pure function `(data, rng) -> bytes`: the same bytes and the same
`random.Random` state give the same mutant, and nothing else is read. A mutant is named by its
recipe alone, so a case the fuzz run reports is replayed from `(seed, index)`:

    bases = {p.name: p.read_bytes() for p in sample_paths}
    case = mutant(bases, seed=20240612, index=57)
    case.base, case.kind, case.data      # which file, which mutation, the mutant's bytes

The kinds, each aimed at one part of a PDF a damaged download or a careless producer breaks:

    flip_bytes         1–16 bytes after the header XOR-ed with a random value
    truncate           the file cut at a random offset (a download cut short)
    delete_chunk       1 B–4 KiB removed from the body (offsets after it all shift)
    duplicate_chunk    1 B–4 KiB repeated in place
    corrupt_xref       the cross-reference section damaged: classic `xref` table entries rewritten,
                       shifted, marked free or replaced by garbage; an xref *stream* (`/Type /XRef`)
                       has its data flipped or its `/W` widths changed (any section of an updated file)
    corrupt_trailer    `/Root`, `/Size`, `/Info` or `/Prev` of the trailer (or xref-stream dictionary) pointed
                       at a missing object, deleted, or the dictionary cut open
    corrupt_startxref  the `startxref` offset replaced (0, past the end, random) or removed
    zero_stream        one stream's bytes replaced by NULs (same length)
    wrong_length       one direct `/Length N` replaced by a wrong number (0, N±1, N/2, 2N, 10⁹)
    garbage_object     an `N 0 obj … endobj` with a broken body inserted after an object (N an
                       existing number, so it shadows it, or a new one)
    swap_objects       two top-level objects exchange places (the xref points at the wrong one)
    stacked            two or three of the above, one after the other

`mutant` picks the base and the kind round-robin from the index (so every base meets every kind
within `len(bases) * len(KINDS)` cases) and seeds the rest from `f"{seed}:{index}"` (a string seed:
stable across Python runs, whatever PYTHONHASHSEED is).
"""

from __future__ import annotations

import io
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFObjRef, resolve1
from pdfminer.psparser import PSLiteral

Mutation = Callable[[bytes, random.Random], bytes]

#: bytes left alone at the start, so most mutants still look like a PDF (`%PDF-1.x` + binary comment)
HEADER = 16
MAX_CHUNK = 4096

_OBJ = re.compile(rb"(?<![0-9])(\d+)\s+(\d+)\s+obj\b(.*?)\bendobj\b", re.S)
_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)
_DIRECT_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")
_XREF_TABLE = re.compile(rb"(?<![a-z])xref\s*\r?\n(.*?)(?=trailer)", re.S)
_XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
_XREF_STREAM = re.compile(rb"/Type\s*/XRef\b")
_STARTXREF = re.compile(rb"startxref\s+(\d+)")
_TRAILER_KEY = re.compile(rb"/(Root|Size|Info|Prev)\s+(\d+)(\s+\d+\s+R)?")


@dataclass(frozen=True)
class Mutant:
    seed: int
    index: int
    base: str
    kind: str
    data: bytes

    @property
    def recipe(self) -> str:
        return f"seed={self.seed} index={self.index} base={self.base} kind={self.kind}"


def _span(data: bytes, rng: random.Random, start: int = HEADER) -> tuple[int, int]:
    """A random chunk [a, b) of 1..MAX_CHUNK bytes at or after `start`."""
    start = min(start, max(0, len(data) - 1))
    a = rng.randrange(start, max(start + 1, len(data)))
    b = min(len(data), a + rng.randint(1, MAX_CHUNK))
    return a, b


def _flip_in(data: bytes, rng: random.Random, lo: int, hi: int, flips: int) -> bytes:
    out = bytearray(data)
    lo, hi = max(0, lo), min(len(out), hi)
    if hi <= lo:
        return bytes(out)
    for _ in range(flips):
        out[rng.randrange(lo, hi)] ^= rng.randint(1, 255)
    return bytes(out)


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    return _flip_in(data, rng, HEADER, len(data), rng.randint(1, 16))


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(HEADER, max(HEADER + 1, len(data)))]


def delete_chunk(data: bytes, rng: random.Random) -> bytes:
    a, b = _span(data, rng)
    return data[:a] + data[b:]


def duplicate_chunk(data: bytes, rng: random.Random) -> bytes:
    a, b = _span(data, rng)
    return data[:b] + data[a:b] + data[b:]


def corrupt_xref(data: bytes, rng: random.Random) -> bytes:
    tables = list(_XREF_TABLE.finditer(data))
    streams = list(_XREF_STREAM.finditer(data))
    # an incrementally updated file has several sections, classic and stream: any one may be hit
    if tables and (not streams or rng.random() < 0.5):
        table = rng.choice(tables)
        lo, hi = table.start(1), table.end(1)
        section = data[lo:hi]
        variant = rng.choice(["digits", "shift", "garbage", "free"])
        if variant == "digits":  # a few entries' offsets or generations rewritten
            new = bytearray(section)
            digits = [i for i, c in enumerate(section) if 0x30 <= c <= 0x39]
            for i in rng.sample(digits, min(len(digits), rng.randint(1, 24))):
                new[i] = rng.randint(0x30, 0x39)
            section = bytes(new)
        elif variant == "shift":  # every offset off by the same amount (bytes added before the body)
            delta = rng.choice([-7, -1, 1, 3, 100, 1000])
            section = _XREF_ENTRY.sub(lambda m: b"%010d %s %s" % (max(0, int(m[1]) + delta), m[2], m[3]), section)
        elif variant == "free":  # in-use entries marked free
            section = _XREF_ENTRY.sub(lambda m: m[0][:-1] + (b"f" if rng.random() < 0.3 else m[3]), section)
        else:
            section = bytes(rng.randrange(256) for _ in range(len(section)))
        return data[:lo] + section + data[hi:]
    if streams:
        at = rng.choice(streams).start()
        if rng.random() < 0.3:  # the field widths changed: every entry read wrong
            w = re.compile(rb"/W\s*\[[^\]]*\]")
            widths = b"/W [ %d %d %d ]" % (rng.randint(0, 4), rng.randint(0, 4), rng.randint(0, 4))
            return data[:at] + w.sub(widths, data[at:], count=1)
        body = _STREAM.search(data, at)
        if body:
            return _flip_in(data, rng, body.start(1), body.end(1), rng.randint(1, 8))
    return flip_bytes(data, rng)


def corrupt_trailer(data: bytes, rng: random.Random) -> bytes:
    keys = list(_TRAILER_KEY.finditer(data, max(0, len(data) - 4096)))
    if not keys or rng.random() < 0.15:  # the trailer dictionary cut open: `>>` removed near the end
        end = data.rfind(b">>", max(0, len(data) - 4096))
        return data[:end] + data[end + 2 :] if end >= 0 else truncate(data, rng)
    key = rng.choice(keys)
    variant = rng.choice(["missing", "delete", "zero", "huge"])
    if variant == "delete":
        return data[: key.start()] + data[key.end() :]
    number = {"missing": 9999, "zero": 0, "huge": 10**12}[variant]
    return data[: key.start(2)] + b"%d" % number + data[key.end(2) :]


def corrupt_startxref(data: bytes, rng: random.Random) -> bytes:
    found = list(_STARTXREF.finditer(data))
    if not found:
        return flip_bytes(data, rng)
    m = found[-1]
    variant = rng.choice(["zero", "past_end", "random", "remove_number", "remove"])
    if variant == "remove":
        return data[: m.start()] + data[m.end() :]
    if variant == "remove_number":
        return data[: m.start(1)] + data[m.end(1) :]
    value = {"zero": 0, "past_end": len(data) + rng.randint(1, 10**6), "random": rng.randrange(len(data))}[variant]
    return data[: m.start(1)] + b"%d" % value + data[m.end(1) :]


def zero_stream(data: bytes, rng: random.Random) -> bytes:
    streams = list(_STREAM.finditer(data))
    if not streams:
        return flip_bytes(data, rng)
    s = rng.choice(streams)
    return data[: s.start(1)] + bytes(s.end(1) - s.start(1)) + data[s.end(1) :]


def wrong_length(data: bytes, rng: random.Random) -> bytes:
    lengths = list(_DIRECT_LENGTH.finditer(data))
    if not lengths:
        return flip_bytes(data, rng)
    m = rng.choice(lengths)
    n = int(m[1])
    wrong = rng.choice([0, max(0, n - 1), n + 1, n // 2, 2 * n + 1, 10**9])
    if wrong == n:
        wrong = n + 1
    return data[: m.start(1)] + b"%d" % wrong + data[m.end(1) :]


_GARBAGE_BODIES = [
    b"<< /Type /Page /Parent 1 0 R /Contents 9999 0 R >>",
    b"<< /Type /Pages /Kids [1 0 R 1 0 R] /Count 2 >>",
    b"<< /Length 5 >>\nstream\nxx",  # a stream that never ends
    b"<< << << [ [ [ ( unterminated",
    b"<< /Filter /FlateDecode /Length 20 >>\nstream\nnot flate data here\nendstream",
    b"[" * 64 + b"]" * 64,
    b"/Name#zz#",
]


def garbage_object(data: bytes, rng: random.Random) -> bytes:
    objects = list(_OBJ.finditer(data))
    numbers = [int(m[1]) for m in objects] or [1]
    number = rng.choice(numbers) if rng.random() < 0.6 else max(numbers) + rng.randint(1, 50)
    if rng.random() < 0.3:
        body = bytes(rng.randrange(256) for _ in range(rng.randint(1, 200)))
    else:
        body = rng.choice(_GARBAGE_BODIES)
    at = rng.choice(objects).end() if objects else rng.randrange(HEADER, max(HEADER + 1, len(data)))
    return data[:at] + b"\n%d 0 obj\n" % number + body + b"\nendobj\n" + data[at:]


def swap_objects(data: bytes, rng: random.Random) -> bytes:
    objects = list(_OBJ.finditer(data))
    if len(objects) < 2:
        return duplicate_chunk(data, rng)
    first, second = sorted(rng.sample(objects, 2), key=lambda m: m.start())
    if first.end() > second.start():
        return duplicate_chunk(data, rng)
    a, b = first.group(0), second.group(0)
    return data[: first.start()] + b + data[first.end() : second.start()] + a + data[second.end() :]


MUTATIONS: dict[str, Mutation] = {
    "flip_bytes": flip_bytes,
    "truncate": truncate,
    "delete_chunk": delete_chunk,
    "duplicate_chunk": duplicate_chunk,
    "corrupt_xref": corrupt_xref,
    "corrupt_trailer": corrupt_trailer,
    "corrupt_startxref": corrupt_startxref,
    "zero_stream": zero_stream,
    "wrong_length": wrong_length,
    "garbage_object": garbage_object,
    "swap_objects": swap_objects,
}


def stacked(data: bytes, rng: random.Random) -> bytes:
    for name in rng.sample(sorted(MUTATIONS), rng.randint(2, 3)):
        data = MUTATIONS[name](data, rng)
    return data


KINDS: list[str] = [*MUTATIONS, "stacked"]


# ---- shorter bases: the same file, fewer pages in its page tree ---------------------------------

#: page attributes a page may inherit from its /Pages node, copied into the new node
_INHERITED = ("MediaBox", "CropBox", "Resources", "Rotate")


def _pdf_syntax(value: Any) -> bytes:
    """The few object kinds a /Pages node holds, written back as PDF syntax."""
    if isinstance(value, PDFObjRef):
        return b"%d 0 R" % value.objid
    if isinstance(value, PSLiteral):
        return b"/" + (value.name if isinstance(value.name, bytes) else str(value.name).encode("latin-1"))
    if isinstance(value, bool):
        return b"true" if value else b"false"
    if isinstance(value, int):
        return b"%d" % value
    if isinstance(value, float):
        return (b"%.6f" % value).rstrip(b"0").rstrip(b".")
    if isinstance(value, list):
        return b"[" + b" ".join(_pdf_syntax(v) for v in value) + b"]"
    if isinstance(value, dict):
        return b"<<" + b"".join(b" /" + k.encode("latin-1") + b" " + _pdf_syntax(v) for k, v in value.items()) + b" >>"
    raise TypeError(f"cannot write {value!r} as PDF syntax")


def keep_pages(data: bytes, keep: list[int]) -> bytes:
    """`data` plus an incremental update whose page tree lists only the pages `keep` (0-based).

    Nothing of the original is rewritten: the producer's objects, streams and cross-reference
    section (a classic table or an xref stream with object streams) stay byte for byte; one new
    version of the root /Pages node, a classic xref subsection and a trailer with `/Prev` are
    appended, as any editor that saves incrementally does. A mutant of a 3-page base costs a tenth
    of one of the whole booklet, and its other pages are still in the file (unreferenced) for
    the mutations to hit.
    """
    doc = PDFDocument(PDFParser(io.BytesIO(data)))
    pages_ref = doc.catalog["Pages"]
    node = resolve1(pages_ref)
    leaves: list[int] = [page.pageid for page in PDFPage.create_pages(doc)]  # type: ignore[misc]
    kids = [leaves[i] for i in keep]
    new_node: dict[str, Any] = {"Type": PSLiteral("Pages"), "Count": len(kids)}
    new_node.update({k: node[k] for k in _INHERITED if k in node})
    body = _pdf_syntax(new_node)[:-3] + b" /Kids [" + b" ".join(b"%d 0 R" % k for k in kids) + b"] >>"
    trailer = doc.xrefs[0].get_trailer()
    prev = int(_STARTXREF.findall(data)[-1])
    out = bytearray(data if data.endswith(b"\n") else data + b"\n")
    offset = len(out)
    out += b"%d 0 obj\n" % pages_ref.objid + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n" % (pages_ref.objid, offset)
    fields = {"Size": max(int(trailer["Size"]), pages_ref.objid + 1), "Root": trailer["Root"], "Prev": prev}
    if "Info" in trailer:
        fields["Info"] = trailer["Info"]
    out += b"trailer\n" + _pdf_syntax(fields) + b"\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def mutant(bases: dict[str, bytes], seed: int, index: int) -> Mutant:
    """Case `index` of the run `seed`: base and kind round-robin, the rest from the seeded rng."""
    names = sorted(bases)
    base = names[index % len(names)]
    kind = KINDS[(index // len(names)) % len(KINDS)]
    rng = random.Random(f"{seed}:{index}")
    mutation = stacked if kind == "stacked" else MUTATIONS[kind]
    return Mutant(seed, index, base, kind, mutation(bases[base], rng))


def mutants(bases: dict[str, bytes], seed: int, count: int) -> Iterator[Mutant]:
    for index in range(count):
        yield mutant(bases, seed, index)
