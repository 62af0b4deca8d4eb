"""Who is calling: the client's address and scheme, through proxies only when they are trusted.

`X-Forwarded-For` and `X-Forwarded-Proto` are anyone's to send, so they count only when the
immediate peer is in HINDSIGHT_TRUSTED_PROXIES; the client is then the right-most address of
the chain that is not itself a trusted proxy (the left part is whatever the client claimed).
"""

from functools import lru_cache
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network

from fastapi import Request

Network = IPv4Network | IPv6Network
UNKNOWN = "unknown"
# IPv6 clients are keyed by their /64: one host is usually handed a whole /64 to pick from.
IPV6_PREFIX = 64
IPV6_HOST_BITS = 128 - IPV6_PREFIX
MAX_CACHED_ADDRESS = 64


@lru_cache(maxsize=8)
def trusted_networks(setting: str) -> tuple[Network, ...]:
    """HINDSIGHT_TRUSTED_PROXIES parsed: comma-separated addresses or CIDRs; ValueError if bad."""
    entries = [entry.strip() for entry in setting.split(",") if entry.strip()]
    try:
        return tuple(ip_network(entry, strict=False) for entry in entries)
    except ValueError as exc:
        raise ValueError(
            f"HINDSIGHT_TRUSTED_PROXIES: {exc}; give comma-separated IPs or CIDRs"
        ) from None


def parsed_address(host: str) -> IPv4Address | IPv6Address | None:
    """`host` as an address, None if it is not one. Cached when short (anyone can send a
    long forwarded value): each request parses its client twice (is it a proxy? its key),
    and the proxy's own address on every request."""
    return _parsed(host) if len(host) <= MAX_CACHED_ADDRESS else _parse(host)


def _parse(host: str) -> IPv4Address | IPv6Address | None:
    try:
        return ip_address(host)
    except ValueError:
        return None


_parsed = lru_cache(maxsize=4096)(_parse)


def is_trusted(host: str, networks: tuple[Network, ...]) -> bool:
    """Whether `host` is an address inside one of the trusted networks."""
    address = parsed_address(host)
    if address is None:
        return False
    return any(address in network for network in networks)


def _networks(request: Request) -> tuple[Network, ...]:
    return trusted_networks(request.app.state.settings.trusted_proxies)


def _peer(request: Request) -> str:
    return request.client.host if request.client else UNKNOWN


def _from_trusted_proxy(request: Request) -> bool:
    return is_trusted(_peer(request), _networks(request))


def client_address(request: Request) -> str:
    """The client's address: the peer's, or the forwarded one behind a trusted proxy."""
    if not _from_trusted_proxy(request):
        return _peer(request)
    networks = _networks(request)
    hops = [hop.strip() for hop in ",".join(request.headers.getlist("x-forwarded-for")).split(",")]
    for hop in reversed([hop for hop in hops if hop]):
        if not is_trusted(hop, networks):
            return hop
    return _peer(request)


def client_key(request: Request) -> str:
    """The client address as a limiter key: IPv6 by its /64, anything else as it is."""
    address = client_address(request)
    parsed = parsed_address(address)
    if parsed is None:
        return address[:64]
    if parsed.version == 6:
        # The /64's network address, as str(ip_network(...)) gives it, at a third of the cost.
        return f"{IPv6Address(int(parsed) >> IPV6_HOST_BITS << IPV6_HOST_BITS)}/{IPV6_PREFIX}"
    return str(parsed)


def is_https(request: Request) -> bool:
    """Whether the client reached us over https (the proxy's word only if it is trusted)."""
    if _from_trusted_proxy(request):
        forwarded = request.headers.get("x-forwarded-proto", "")
        if forwarded:
            return forwarded.split(",")[0].strip().lower() == "https"
    return request.url.scheme == "https"
