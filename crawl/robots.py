"""robots.txt parsed from at most `ROBOTS_MAX_BYTES`, whatever the server sends.

Why a cap: the file was read whole, so a 256 MiB robots.txt took 1.27 GB of memory.
RFC 9309 §2.5: crawlers MUST parse at least the first 500 KiB and MAY ignore the rest.
We follow Google: read the first 512 KiB, drop the line the cut falls in (a half rule could
mean anything), and parse the rest — rules after the cap are *ignored* (neither allow nor
deny). The body is read in chunks and the connection dropped at the cap, so memory stays
bounded by the cap plus one chunk.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.robotparser import RobotFileParser

ROBOTS_MAX_BYTES = 512 * 1024


def read_capped(chunks: Iterable[bytes], cap: int = ROBOTS_MAX_BYTES) -> tuple[bytes, bool]:
    """The first `cap` bytes, cut back to the last complete line when truncated; (body, truncated)."""
    body = bytearray()
    for chunk in chunks:
        body += chunk[: cap + 1 - len(body)]
        if len(body) > cap:
            cut = body.rfind(b"\n", 0, cap)
            return bytes(body[: cut + 1 if cut >= 0 else 0]), True
    return bytes(body), False


def parse_robots(url: str, body: bytes) -> RobotFileParser:
    parser = RobotFileParser(url)
    parser.parse(body.decode("utf-8", errors="replace").splitlines())
    return parser


def empty_robots(url: str) -> RobotFileParser:
    """RFC 9309 §2.3.1.3: an unavailable (4xx) robots.txt means no rules."""
    parser = RobotFileParser(url)
    parser.parse([])
    return parser
