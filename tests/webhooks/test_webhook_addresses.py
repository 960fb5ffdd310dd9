"""Where a webhook may go, without a database or a network: public addresses only — never a
private, loopback, link-local (the cloud's metadata service), multicast, reserved or shared
range, in IPv4 or IPv6, nor an IPv6 address carrying such an IPv4 one; this machine only where
local HTTP is allowed; a name is refused when any address it resolves to is, or when it
resolves to none; and the address the delivery connects to is the one checked."""

from __future__ import annotations

import pytest

from core.webhooks import addresses

REFUSED = [
    "10.0.0.5", "172.16.0.1", "172.31.255.255", "192.168.1.1",  # private
    "127.0.0.1", "127.8.9.10", "0.0.0.0", "0.1.2.3",  # loopback, this network
    "169.254.169.254", "169.254.0.1",  # link-local: the cloud's metadata service
    "100.64.0.1", "100.127.255.254",  # shared address space (carrier NAT)
    "224.0.0.1", "239.255.255.250", "255.255.255.255",  # multicast, broadcast
    "240.0.0.1", "192.0.2.10", "198.51.100.7", "203.0.113.9", "198.18.0.1",  # reserved, tests
    "192.0.0.8",  # IETF protocol assignments
    "::1", "::", "fe80::1", "fe80::1%eth0", "fc00::1", "fd12:3456::1",  # IPv6 local ranges
    "fec0::1", "ff02::1", "ff0e::1", "2001:db8::1", "100::1",  # site-local, multicast, docs
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254",  # IPv4-mapped
    "::ffff:7f00:1", "2002:a00:1::1", "2002:7f00:1::", "64:ff9b::a9fe:a9fe",  # 6to4, NAT64
    "::127.0.0.1", "2001::1",  # IPv4-compatible, Teredo
    "not-an-address", "", "1.2.3", "example.com",
]
ALLOWED = ["93.184.215.14", "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111",
           "2a00:1450:4001:830::200e", "::ffff:93.184.215.14", "2002:5db8:d70e::1"]


@pytest.mark.parametrize("address", REFUSED)
def test_private_loopback_link_local_multicast_and_reserved_addresses_are_refused(address):
    assert not addresses.allowed(address)


@pytest.mark.parametrize("address", ALLOWED)
def test_public_addresses_in_ipv4_and_ipv6_are_allowed(address):
    assert addresses.allowed(address)


def test_this_machine_is_allowed_only_where_local_http_is_and_nothing_else_private_then():
    for here in ("127.0.0.1", "::1", "::ffff:127.0.0.1"):
        assert addresses.allowed(here, loopback=True) and not addresses.allowed(here)
    for elsewhere in ("10.0.0.5", "169.254.169.254", "192.168.1.1", "fe80::1"):
        assert not addresses.allowed(elsewhere, loopback=True)


class Table:
    def __init__(self, **names: list[str]) -> None:
        self.names, self.asked = names, []

    async def resolve(self, host: str, port: int) -> list[str]:
        self.asked.append((host, port))
        if host not in self.names:
            raise OSError("no such name")
        return self.names[host]


async def test_a_name_is_refused_when_any_of_its_addresses_is_and_the_checked_one_is_kept():
    names = Table(**{"erp.example.com": ["93.184.215.14", "2606:4700:4700::1111"],
                     "mixed.example.com": ["93.184.215.14", "10.0.0.5"],
                     "meta.example.com": ["169.254.169.254"], "empty.example.com": []})
    assert await addresses.reachable(names, "https://erp.example.com:8443/h",
                                     loopback=False) == "93.184.215.14"
    assert names.asked == [("erp.example.com", 8443)]
    for url in ("https://mixed.example.com/h", "https://meta.example.com/h",
                "https://empty.example.com/h", "https://nowhere.example.com/h",
                "https://169.254.169.254/latest/meta-data", "https://[::ffff:a00:1]/h"):
        with pytest.raises(addresses.Refused):
            await addresses.reachable(names, url, loopback=True)
    # An address written in the URL needs no lookup; a name where no resolver is wired is refused.
    assert await addresses.reachable(None, "https://93.184.215.14/h", loopback=False)
    with pytest.raises(addresses.Refused):
        await addresses.reachable(None, "https://erp.example.com/h", loopback=False)
