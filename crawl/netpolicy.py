"""Which URLs the crawler may request at all: scheme, allowed hosts, and no private addresses.

Why a separate check before every request (including each redirect hop): a listing page
or a redirect is untrusted input; without this a portal could point the crawler at an
intranet service or a cloud metadata address (SSRF). Tests run on loopback, so a source
can opt in with `allow_private = true`.

Limitation: the name is resolved here and again by httpx when it connects, so a hostile
DNS server could answer differently the second time (DNS rebinding); allowed_hosts
limits that to hosts the registry already trusts.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from crawl.errors import RefusedError
from crawl.registry import Source


def host_allowed(host: str, allowed: tuple[str, ...]) -> bool:
    """Exact host or a subdomain of an allowed host (`www.example.cn` for `example.cn`)."""
    host = host.lower().rstrip(".")
    return any(host == a.lower() or host.endswith("." + a.lower()) for a in allowed)


def _addresses(host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise RefusedError("dns_failed", f"cannot resolve {host!r}: {exc}; check the URL or your network") from exc
    return [ipaddress.ip_address(info[4][0]) for info in infos]


def _is_private(addr: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return (
        addr.is_private
        or addr.is_loopback
        or addr.is_link_local
        or addr.is_reserved
        or addr.is_multicast
        or addr.is_unspecified
    )


def check_url(url: str, source: Source, *, hop: str = "request") -> None:
    """Raise RefusedError (with a stable code) when `url` must not be requested for `source`."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise RefusedError("bad_scheme", f"{hop} to {url!r} refused: only http and https are fetched")
    host = parts.hostname or ""
    if not host_allowed(host, source.allowed_hosts):
        code = "redirect_off_list" if hop == "redirect" else "host_not_allowed"
        raise RefusedError(
            code,
            f"{hop} to {url!r} refused: host {host!r} is not in allowed_hosts of source {source.name!r} "
            f"({', '.join(source.allowed_hosts)}); add it to the registry if it is a genuine mirror",
        )
    if source.allow_private:
        return
    private = [str(a) for a in _addresses(host) if _is_private(a)]
    if private:
        raise RefusedError(
            "private_address",
            f"{hop} to {url!r} refused: {host!r} resolves to a private/loopback/link-local address "
            f"({', '.join(private)}); set allow_private = true for source {source.name!r} only if intended",
        )
