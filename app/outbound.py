"""The one guard for every request the server sends to an address a user gave (issue 11).

Article fetching and webhook delivery both go through it. A URL must be http or https; its
host, in any form browsers and libc accept (2130706433, 0x7f000001, 0177.0.0.1, 127.1,
[::ffff:127.0.0.1]), is resolved once and refused unless every address is public; the request
then goes to the address that was checked, with the Host header and TLS SNI (httpcore's
`sni_hostname` extension) naming the host, so a second DNS answer cannot move it (DNS
rebinding). Callers never let httpx follow a redirect: each hop is a new check, or a failure.
"""

import ipaddress
import re
import socket
from collections.abc import Callable, Mapping
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any

import httpx

Resolver = Callable[[str, int], list[str]]
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
DEFAULT_PORTS = {"http": 80, "https": 443}
_NUMERIC = re.compile(r"0[xX][0-9a-fA-F]*|[0-9]+")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class Refused(Exception):
    """A URL the guard will not send a request to; str() says why and what to do."""


class Unresolved(Refused):
    """A host name the resolver has no address for (now: a later answer may differ)."""


class NotPublic(Refused):
    """A host that is, or resolves to, an address outside the public internet."""

    def __init__(self, host: str, address: IPAddress, problem: str) -> None:
        self.host, self.address, self.problem = host, address, problem
        super().__init__(f"{_naming(host, address)} {problem}")

    def rule(self) -> str:
        """The refusal without the resolved address, which could map an internal network."""
        if _literal_address(self.host) is not None:
            return str(self)
        if self.problem.startswith("not "):
            return f"{self.host} resolves to an address that is {self.problem}"
        return f"{self.host} resolves to {self.problem}"


def default_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for host (socket.getaddrinfo)."""
    answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(answer[4][0]) for answer in answers))


def make_client(
    *, timeout: httpx.Timeout = DEFAULT_TIMEOUT, transport: httpx.BaseTransport | None = None
) -> httpx.Client:
    """A client fit for guarded requests: explicit timeouts, no redirects, proxies or cookies."""
    jar = CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))
    return httpx.Client(
        timeout=timeout, follow_redirects=False, trust_env=False, cookies=jar, transport=transport
    )


def checked_address(
    url: httpx.URL, *, resolver: Resolver = default_resolver, allow_private: bool = False
) -> IPAddress:
    """The address to connect to for url, once every address its host stands for is public.

    allow_private lets loopback and private targets through (tests, local development); the
    scheme, the host's form and its resolution are checked all the same.
    """
    if url.scheme not in DEFAULT_PORTS:
        scheme = f"{url.scheme}: URLs" if url.scheme else "relative URLs"
        raise Refused(f"refused: {scheme} cannot be reached; give an http or https address")
    host = url.raw_host.decode("ascii")
    if not host:
        raise Refused("refused: the URL names no host; give an http or https address")
    addresses = _addresses(host, url.port or DEFAULT_PORTS[url.scheme], resolver)
    for address in addresses if not allow_private else ():
        if (problem := _problem(address)) is not None:
            raise NotPublic(host, address, problem)
    return addresses[0]


def pinned_request(
    client: httpx.Client,
    method: str,
    url: httpx.URL,
    address: IPAddress,
    *,
    headers: Mapping[str, str],
    timeout: httpx.Timeout,
    content: bytes | None = None,
) -> httpx.Request:
    """A request to the checked address that still names url's host in Host and TLS SNI."""
    target = httpx.URL(scheme=url.scheme, host=str(address), port=url.port, raw_path=url.raw_path)
    host = url.raw_host.decode("ascii")
    named = _literal_address(host) is None
    merged = httpx.Headers(client.headers)
    merged.update(headers)
    merged["Host"] = (url if named else target).netloc.decode("ascii")
    # One connection per request: a pooled one keyed by address could carry another host's TLS.
    merged["Connection"] = "close"
    extensions: dict[str, Any] = {"timeout": timeout.as_dict()}
    if named and url.scheme == "https":
        extensions["sni_hostname"] = host
    return httpx.Request(method, target, headers=merged, content=content, extensions=extensions)


def _naming(host: str, address: IPAddress) -> str:
    """How a refusal names the address: '10.0.0.1 is', '127.1 means 127.0.0.1, which is'."""
    if _literal_address(host) is None:
        return f"{host} resolves to {address}, which is"
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return f"{host} means {address}, which is"
    return f"{host} is"


def _addresses(host: str, port: int, resolver: Resolver) -> list[IPAddress]:
    """The addresses host stands for: itself when numeric, else the resolver's whole answer."""
    if (literal := _literal_address(host)) is not None:
        return [literal]
    name = host.removesuffix(".")
    if name == "localhost" or name.endswith(".localhost"):  # RFC 6761: loopback, always
        return [ipaddress.IPv4Address("127.0.0.1")]
    try:
        addresses = [ipaddress.ip_address(answer) for answer in resolver(host, port)]
    except (OSError, UnicodeError, ValueError):
        addresses = []
    if not addresses:
        raise Unresolved(f"could not resolve {host}; check the address")
    return addresses


def _literal_address(host: str) -> IPAddress | None:
    """The address a numeric host means, in the forms of the WHATWG URL standard and inet_aton."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    parts = host.removesuffix(".").split(".")
    if not _NUMERIC.fullmatch(parts[-1]):
        return None
    numbers = [n for n in map(_ipv4_number, parts) if n is not None]
    *head, last = numbers or [-1]
    if len(numbers) != len(parts) or len(parts) > 4 or any(n > 255 for n in head):
        raise Refused(f"refused: {host} is not a valid IPv4 address; check the address")
    if last >= 256 ** (5 - len(parts)):
        raise Refused(f"refused: {host} is not a valid IPv4 address; check the address")
    return ipaddress.IPv4Address(sum(n << 8 * (3 - i) for i, n in enumerate(head)) + last)


def _ipv4_number(part: str) -> int | None:
    """One dot-separated part of a numeric host: 0x-hex, 0-octal or decimal; None if invalid."""
    try:
        if part[:2].lower() == "0x":
            return int(part[2:], 16) if part[2:] else 0
        if len(part) > 1 and part.startswith("0"):
            return int(part[1:], 8)
        return int(part) if part.isascii() and part.isdigit() else None
    except ValueError:
        return None


def _problem(address: IPAddress) -> str | None:
    """Why address may not be reached ('a private address'), or None when it is public."""
    for inner in _embedded_ipv4(address):
        if (problem := _problem(inner)) is not None:
            return f"{problem} ({inner} inside IPv6)"
    kinds = (
        ("a loopback", address.is_loopback),
        ("an unspecified", address.is_unspecified),
        ("a link-local", address.is_link_local),
        ("a multicast", address.is_multicast),
        ("a reserved", address.is_reserved),
        ("a private", address.is_private),
    )
    for kind, found in kinds:
        if found:
            return f"{kind} address"
    return None if address.is_global else "not a public address"


def _embedded_ipv4(address: IPAddress) -> list[ipaddress.IPv4Address]:
    """IPv4 addresses carried inside an IPv6 one: mapped, compatible, 6to4, Teredo, NAT64."""
    if not isinstance(address, ipaddress.IPv6Address):
        return []
    found = [address.ipv4_mapped, address.sixtofour, *(address.teredo or ())]
    low = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address in _NAT64 or 1 < int(address) <= 0xFFFFFFFF:  # NAT64 and ::a.b.c.d
        found.append(low)
    return [inner for inner in found if inner is not None]
