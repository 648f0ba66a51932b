"""Where a webhook may be sent: the rule against server-side request forgery.

A partner names a URL and the service POSTs to it from inside the platform's
network, so a URL pointing inside (the loopback, a private or link-local
network, a cloud's metadata service) would make the service a proxy into
places no partner should reach. Outside the development profile a webhook
goes over https only, to public unicast addresses only: loopback, private
(RFC 1918, IPv6 unique local), link-local, shared (carrier-grade NAT,
100.64.0.0/10), multicast, unspecified, reserved and documentation ranges
and the metadata addresses of the big clouds are refused, also when
embedded in an IPv6 address (IPv4-mapped, NAT64, 6to4) and whatever a name
resolves to. In the development profile plain http is allowed to the
loopback and only there: a partner's receiver on the developer's machine.

The rule is checked when a subscription is made (the name resolved then)
and again before every delivery (the name resolved again, and the service
connects to the address it checked: DNS may have changed in between).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address

IPAddress = IPv4Address | IPv6Address


class Kind(StrEnum):
    """Why an address is refused (named in logs and in the delivery's last error)."""

    LOOPBACK = "loopback"
    PRIVATE = "private"
    LINK_LOCAL = "link-local"
    SHARED = "shared (carrier-grade NAT)"
    MULTICAST = "multicast"
    METADATA = "cloud metadata"
    RESERVED = "reserved"


# Instance metadata and platform endpoints, some of them on public-looking addresses.
METADATA = frozenset(
    ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean, ...
        "169.254.170.2",  # AWS ECS task metadata
        "169.254.169.123",  # AWS time sync
        "100.100.100.200",  # Alibaba Cloud
        "168.63.129.16",  # Azure wire server (a public address)
        "192.0.0.192",  # Oracle Cloud
        "fd00:ec2::254",  # AWS over IPv6
        "fd00:ec2::23",
    )
)
_SHARED = IPv4Network("100.64.0.0/10")
_PRIVATE = (
    IPv4Network("10.0.0.0/8"),
    IPv4Network("172.16.0.0/12"),
    IPv4Network("192.168.0.0/16"),
    IPv6Network("fc00::/7"),  # unique local
    IPv6Network("fec0::/10"),  # site-local, deprecated but still routed by some
)
_NAT64 = IPv6Network("64:ff9b::/96")


def refusal(address: IPAddress, *, development: bool) -> Kind | None:
    """Why ``address`` may not receive webhooks; None if it may."""
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        return refusal(embedded, development=development)
    if address in METADATA:
        return Kind.METADATA
    if address.is_loopback:
        return None if development else Kind.LOOPBACK
    if address.is_link_local:
        return Kind.LINK_LOCAL
    if address in _SHARED:
        return Kind.SHARED
    if address.is_multicast:
        return Kind.MULTICAST
    if any(address in network for network in _PRIVATE):
        return Kind.PRIVATE
    # Unspecified, "this network", documentation, benchmarking, Teredo, 240/4, ...
    if not address.is_global:
        return Kind.RESERVED
    return None


def _loopback(address: IPAddress) -> bool:
    return (_embedded_ipv4(address) or address).is_loopback


def _embedded_ipv4(address: IPAddress) -> IPv4Address | None:
    if not isinstance(address, IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return IPv4Address(int(address) & 0xFFFFFFFF)
    return None


@dataclass(frozen=True)
class Refused:
    """A destination refused: ``https`` (plain http where it is not allowed), ``address``
    (with its kind) or ``unresolvable``."""

    reason: str
    kind: Kind | None = None

    def __str__(self) -> str:
        return self.reason if self.kind is None else f"{self.reason}: {self.kind.value}"


HTTPS_ONLY = Refused("https")
UNRESOLVABLE = Refused("unresolvable")  # the name has no address (now)


def scheme_refusal(scheme: str, *, development: bool) -> Refused | None:
    """The scheme alone, before any name is resolved: https, or http in development."""
    return None if scheme == "https" or (scheme == "http" and development) else HTTPS_ONLY


def check(scheme: str, addresses: list[IPAddress], *, development: bool) -> Refused | None:
    """The whole rule for a URL whose host resolved to ``addresses`` (all must pass)."""
    for address in addresses:
        kind = refusal(address, development=development)
        if kind is not None:
            return Refused("address", kind)
    if scheme == "http" and not (development and all(map(_loopback, addresses))):
        return HTTPS_ONLY
    return scheme_refusal(scheme, development=development)


def literal(host: str) -> IPAddress | None:
    """The address a URL's host names literally (``127.0.0.1``, ``[::1]``), if it does."""
    try:
        return ip_address(host.strip("[]").split("%")[0])
    except ValueError:
        return None
