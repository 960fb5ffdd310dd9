"""Where a webhook may go: only to public addresses. A company's endpoint is a URL that Agora's
own servers post to, so a name that leads to a private network, this machine, a link-local
address (the cloud's metadata service, 169.254.169.254), a multicast or reserved range would
let whoever registers it reach what only Agora can reach. The rule (`allowed`) is on plain
addresses; names are resolved through a port (`NameResolver`, the adapter in
bots.webhook_poster), every address a name resolves to is checked, and the delivery connects
to the address checked (`reachable` returns it), so a name's DNS changing between the check
and the connection cannot lead elsewhere."""

from __future__ import annotations

import ipaddress
from typing import Protocol
from urllib.parse import urlsplit

from core.errors import DomainError
from core.i18n import _

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
# IPv6 prefixes that carry an IPv4 address in their last 32 bits (NAT64, RFC 6052 and 8215):
# the IPv4 address inside is what would be reached.
_NAT64 = (ipaddress.IPv6Network("64:ff9b::/96"), ipaddress.IPv6Network("64:ff9b:1::/48"))
# Special-purpose ranges (IANA's registries) this Python's `is_global` does not know yet.
_SPECIAL = tuple(ipaddress.ip_network(n) for n in (
    "192.0.0.0/24", "192.88.99.0/24", "3fff::/20", "5f00::/16"))


class Refused(DomainError):
    """An endpoint's address is not a public one (or its name cannot be found)."""


class NameResolver(Protocol):
    """What finds a name's addresses (the system's resolver at the edge; a table in tests)."""

    async def resolve(self, host: str, port: int) -> list[str]:
        """Every address `host` resolves to; OSError when it resolves to none."""
        ...


def _inner(ip: Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for (IPv4-mapped, 6to4, NAT64), if any."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if any(ip in net for net in _NAT64):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _public(ip: Address) -> bool:
    # `is_global` alone lets multicast (224.0.0.0/4, ff00::/8) and IPv6 site-local through.
    site_local = isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local
    return ip.is_global and not (
        ip.is_multicast or ip.is_reserved or ip.is_loopback or ip.is_link_local
        or ip.is_unspecified or ip.is_private or site_local
        or any(ip.version == n.version and ip in n for n in _SPECIAL))


def allowed(address: str, *, loopback: bool = False) -> bool:
    """Whether a webhook may be posted to `address`: a public one; with `loopback` (development
    and test, where local HTTP is allowed), this machine's too. An IPv6 address carrying an
    IPv4 one (::ffff:10.0.0.1, 2002:0a00:0001::, 64:ff9b::a00:1) is judged by that too."""
    if "%" in address:  # an IPv6 zone names a link of this machine's
        return False
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    inner = _inner(ip)
    if loopback and (ip.is_loopback or (inner is not None and inner.is_loopback)):
        return True
    if inner is not None and not _public(inner):
        return False
    mapped = isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None
    return _public(ip) or mapped  # ::ffff:a.b.c.d is a.b.c.d, found public above


def host_and_port(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)


async def _addresses(resolver: NameResolver | None, host: str, port: int) -> list[str]:
    """The host's addresses: itself when it is one; none for a name where no resolver is wired
    (a process that checks no name posts to none) or that resolves to nothing."""
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    if resolver is None:
        return []
    try:
        return list(dict.fromkeys(await resolver.resolve(host, port)))
    except OSError:
        return []


async def reachable(resolver: NameResolver | None, url: str, *, loopback: bool) -> str:
    """The address to connect to for `url`: every address its host resolves to must be allowed
    (one private among public ones refuses it all: which one a connection takes is not ours to
    choose); the first. Refused when one is not, or when the name resolves to nothing."""
    found = await _addresses(resolver, *host_and_port(url))
    if not found:
        raise Refused(_("That address's name cannot be found; check it and try again."))
    refused = [a for a in found if not allowed(a, loopback=loopback)]
    if refused:
        raise Refused(_("That address leads to a private or internal network ({address}); a "
                        "webhook goes to a public address.", address=refused[0]))
    return found[0]
