"""Special-purpose addresses, allowed origins and untrusted listing fields (no network)."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawl.errors import ListingFieldError, RefusedError
from crawl.netpolicy import check_url, origin_allowed, special_purpose
from crawl.registry import Source, parse_source
from crawl.untrusted import parse_id, parse_year, url_problem

REFUSED = [
    "10.0.0.1", "172.16.0.1", "192.168.1.1", "127.0.0.1", "127.255.255.254", "0.0.0.0", "0.1.2.3",
    "169.254.169.254",  # cloud metadata
    "100.64.0.1", "100.127.255.254",  # shared address space (carrier-grade NAT), RFC 6598
    "192.0.0.1", "192.0.0.8", "192.0.0.170",  # IETF protocol assignments, 192.0.0.0/24
    "192.0.2.1", "198.51.100.1", "203.0.113.1", "198.18.0.1",  # documentation, benchmarking
    "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",
    "::", "::1", "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "ff0e::1", "2001:db8::1",
    "::ffff:10.0.0.1", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:100.64.0.1",  # IPv4-mapped
    "2002:c0a8:0101::1", "2002:7f00:0001::1", "2002:a9fe:a9fe::1", "2002:6440:0001::1",  # 6to4 of private v4
    "64:ff9b::a00:1", "64:ff9b::7f00:1",  # NAT64 of private v4
    "2001::1",  # Teredo
]
ALLOWED = ["8.8.8.8", "114.114.114.114", "202.96.128.86", "2606:4700::1111", "240e::1", "::ffff:8.8.8.8",
           "192.0.0.9"]


@pytest.mark.parametrize("text", REFUSED)
def test_special_purpose_addresses_are_refused(text: str) -> None:
    assert special_purpose(ipaddress.ip_address(text))


@pytest.mark.parametrize("text", ALLOWED)
def test_public_addresses_are_allowed(text: str) -> None:
    assert not special_purpose(ipaddress.ip_address(text))


@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_an_ipv4_address_and_its_ipv6_forms_agree(value: int) -> None:
    """Mapped and 6to4 forms embedding a special-purpose IPv4 address are refused like it."""
    v4 = ipaddress.IPv4Address(value)
    mapped = ipaddress.IPv6Address(f"::ffff:{v4}")
    sixtofour = ipaddress.IPv6Address((0x2002 << 112) | (value << 80) | 1)
    assert special_purpose(mapped) == special_purpose(v4)
    if special_purpose(v4):
        assert special_purpose(sixtofour)
    if not v4.is_global:
        assert special_purpose(v4)


@given(st.sampled_from(["10.0.0.0/8", "100.64.0.0/10", "192.0.0.0/29", "192.168.0.0/16", "169.254.0.0/16",
                        "fc00::/7", "fe80::/10"]), st.integers(min_value=0))
def test_every_address_of_a_special_network_is_refused(network: str, offset: int) -> None:
    net = ipaddress.ip_network(network)
    assert special_purpose(net[offset % net.num_addresses])


def _source(**extra: object) -> Source:
    return parse_source({"name": "x", "title": "x", "kind": "html_listing", "start_urls": ["http://127.0.0.1:8000/l"],
                         "allowed_hosts": ["127.0.0.1", "a.gov.cn"], "allow_private": True, "html": {}} | extra)


def test_redirects_go_only_to_the_exact_allowed_origin() -> None:
    source = _source()
    assert origin_allowed("http://127.0.0.1:8000/x.pdf", source)
    assert origin_allowed("https://a.gov.cn/x.pdf", source) and origin_allowed("http://a.gov.cn:80/x", source)
    for url, code in [("http://127.0.0.1:8001/x.pdf", "redirect_off_origin"),
                      ("https://127.0.0.1:8000/x.pdf", "redirect_off_origin"),  # same port, other scheme
                      ("http://a.gov.cn:6379/", "redirect_off_origin"), ("http://a.gov.cn:99999/", "redirect_off_origin")]:
        with pytest.raises(RefusedError) as refused:
            check_url(url, source, hop="redirect")
        assert refused.value.code == code
    with pytest.raises(RefusedError) as listed:
        check_url("http://a.gov.cn:8080/x.pdf", source)
    assert listed.value.code == "port_not_allowed"


@pytest.mark.parametrize("value", ["²", "２０２４", "20242024202420242024", 10**20, "2024.0", "-2024", "1800", 3000,
                                   True, [2024], {"y": 2024}, 2024.0])
def test_hostile_years_are_refused(value: object) -> None:
    with pytest.raises(ListingFieldError) as bad:
        parse_year(value, "test")
    assert bad.value.code == "bad_year"


def test_good_years_and_ids() -> None:
    assert parse_year("2024", "t") == 2024 and parse_year(2023, "t") == 2023 and parse_year("", "t") is None
    assert parse_id("f-1_a.pdf", "file", "t") == "f-1_a.pdf" and parse_id(42, "file", "t") == "42"


@pytest.mark.parametrize("value", ["../x", "..", ".", "a/b", "a?b=1", "a#b", "a b", "a\\b", "%2e%2e", "", None,
                                   True, ["a"], {"a": 1}, "x" * 201, "a\x00b"])
def test_hostile_ids_are_refused(value: object) -> None:
    with pytest.raises(ListingFieldError) as bad:
        parse_id(value, "file", "test")
    assert bad.value.code == "bad_file_id"


@pytest.mark.parametrize("url", ["http://a/x/../y.pdf", "http://a/../../etc/passwd", "http://a/%2e%2e/x.pdf",
                                 "http://a/x.pdf?file=/../../etc", "http://a/x.pdf?f=..", "http://a/.%2E/x",
                                 "http://a/x\\..\\y.pdf", "http://a/x\r\n.pdf", "http://a/" + "x" * 3000])
def test_unsafe_document_urls(url: str) -> None:
    assert url_problem(url)


@pytest.mark.parametrize("url", ["http://a/x.pdf", "http://a/x.pdf?v=1.2", "http://a/download?id=1&year=2024",
                                 "http://a/部门 决算.pdf", "http://a/a..b.pdf", "http://a/.well-known/x.pdf"])
def test_safe_document_urls(url: str) -> None:
    assert url_problem(url) is None
