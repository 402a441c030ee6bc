"""Which URLs the crawler may request at all: scheme, allowed origins, and no special-purpose addresses.

Why a separate check before every request (including each redirect hop): a listing page
or a redirect is untrusted input; without this a portal could point the crawler at an
intranet service or a cloud metadata address (SSRF). Tests run on loopback, so a source
can opt in with `allow_private = true`.

Origins: the host must be in `allowed_hosts` (or a subdomain of one) *and* the port must be
the scheme's default (80/443) or exactly the scheme + host + port of a URL the registry itself
names (start_urls, [api] URLs). So a redirect to `allowed-host:8080` — an internal service on
an allowed machine — is refused (`redirect_off_origin`), while `http://` → `https://` on the
same host is followed.

Addresses: `special_purpose(addr)` asks the standard library (`ipaddress`: not `is_global`,
private, loopback, link-local, multicast, reserved, unspecified) rather than a hand list, and
looks inside the IPv6 forms that embed an IPv4 address (IPv4-mapped `::ffff:a.b.c.d`, 6to4
`2002::/16`, NAT64 `64:ff9b::/96`). `STDLIB_GAPS` adds what Python 3.11 before 3.11.10
classifies as global although IANA does not (192.0.0.0/24; gh-113171).

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

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
DEFAULT_PORTS = {"http": 80, "https": 443}
#: Not globally reachable per the IANA special-purpose registries, but `is_global` on some
#: supported Python versions says otherwise. 192.0.0.9 and .10 are global anycast (RFC 7723, 8155).
STDLIB_GAPS = (ipaddress.ip_network("192.0.0.0/24"),)
STDLIB_GAP_EXCEPTIONS = (ipaddress.ip_address("192.0.0.9"), ipaddress.ip_address("192.0.0.10"))
NAT64 = ipaddress.ip_network("64:ff9b::/96")


def host_allowed(host: str, allowed: tuple[str, ...]) -> bool:
    """Exact host or a subdomain of an allowed host (`www.example.cn` for `example.cn`)."""
    host = host.lower().rstrip(".")
    return any(host == a.lower() or host.endswith("." + a.lower()) for a in allowed)


def origin(url: str) -> tuple[str, str, int | None]:
    """(scheme, host, port) with the scheme's default port filled in; port None when it is unparsable."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        return parts.scheme, (parts.hostname or ""), None
    return parts.scheme, (parts.hostname or "").rstrip("."), port or DEFAULT_PORTS.get(parts.scheme)


def named_origins(source: Source) -> frozenset[tuple[str, str, int | None]]:
    """The origins the registry itself writes down for this source."""
    urls = list(source.start_urls)
    if source.api is not None:
        urls += [source.api.departments_url, source.api.files_url, source.api.download_url]
    return frozenset(origin(u) for u in urls)


def origin_allowed(url: str, source: Source) -> bool:
    scheme, host, port = origin(url)
    if port is None:
        return False
    return port == DEFAULT_PORTS.get(scheme) or (scheme, host, port) in named_origins(source)


def embedded_ipv4(addr: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, NAT64), if any."""
    if not isinstance(addr, ipaddress.IPv6Address):
        return None
    if addr.ipv4_mapped is not None:
        return addr.ipv4_mapped
    if addr.sixtofour is not None:
        return addr.sixtofour
    if addr in NAT64:
        return ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)
    return None


def special_purpose(addr: IPAddress) -> bool:
    """True for every address the crawler must not connect to (see the module docstring)."""
    inner = embedded_ipv4(addr)
    if inner is not None and special_purpose(inner):
        return True
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return False  # ::/8 is "reserved" as a whole; a mapped address is as good as its IPv4 address
    if any(addr in net for net in STDLIB_GAPS if net.version == addr.version) and addr not in STDLIB_GAP_EXCEPTIONS:
        return True
    return (
        not addr.is_global
        or addr.is_private
        or addr.is_loopback
        or addr.is_link_local
        or addr.is_multicast
        or addr.is_reserved
        or addr.is_unspecified
    )


def _addresses(host: str) -> list[IPAddress]:
    try:
        return [ipaddress.ip_address(host)]
    except ValueError:
        pass
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except socket.gaierror as exc:
        raise RefusedError("dns_failed", f"cannot resolve {host!r}: {exc}; check the URL or your network") from exc
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


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
    if not origin_allowed(url, source):
        code = "redirect_off_origin" if hop == "redirect" else "port_not_allowed"
        scheme, _, port = origin(url)
        raise RefusedError(
            code,
            f"{hop} to {url!r} refused: port {port} is neither {scheme}'s default nor the port of a URL "
            f"the registry names for source {source.name!r}; another port on an allowed host may be an "
            "internal service",
        )
    if source.allow_private:
        return
    special = [str(a) for a in _addresses(host) if special_purpose(a)]
    if special:
        raise RefusedError(
            "private_address",
            f"{hop} to {url!r} refused: {host!r} resolves to a private, loopback, link-local or other "
            f"special-purpose address ({', '.join(special)}); set allow_private = true for source "
            f"{source.name!r} only if intended",
        )
