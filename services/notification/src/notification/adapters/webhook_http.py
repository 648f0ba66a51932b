"""Partner webhook endpoints over HTTP, behind the destination rule (``domain/destinations.py``).

Every attempt resolves the URL's host again, checks every address it
resolves to, and connects to the address it checked: the request goes to
that IP, with the name in the ``Host`` header and, over TLS, as the server
name the certificate is verified against. A name whose answer changed to an
inside address since the subscription (DNS rebinding) is refused then.
Redirects are not followed (a 3xx is a failed attempt) and no proxy from the
environment is used: either would connect somewhere unchecked.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Mapping
from typing import Protocol

import httpx

from notification.domain.destinations import (
    UNRESOLVABLE,
    IPAddress,
    Refused,
    check,
    literal,
    scheme_refusal,
)


class Resolver(Protocol):
    async def resolve(self, host: str, port: int) -> list[IPAddress]:
        """Every address ``host`` resolves to; empty when it resolves to none."""
        ...


class SystemResolver:
    """The operating system's resolver (``getaddrinfo``), bounded in time."""

    def __init__(self, *, timeout_s: float) -> None:
        self.timeout_s = timeout_s

    async def resolve(self, host: str, port: int) -> list[IPAddress]:
        loop = asyncio.get_running_loop()
        try:
            found = await asyncio.wait_for(
                loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), self.timeout_s
            )
        except (OSError, TimeoutError, UnicodeError):
            return []
        addresses = (literal(str(info[4][0])) for info in found)
        return list(dict.fromkeys(a for a in addresses if a is not None))


class WebhookDestinations:
    """Where a webhook may go, resolved now; ``development`` allows http to the loopback."""

    def __init__(self, resolver: Resolver, *, development: bool) -> None:
        self.resolver = resolver
        self.development = development

    async def refusal(self, url: str) -> Refused | None:
        refused, _ = await self.resolve(httpx.URL(url))
        return refused

    async def resolve(self, url: httpx.URL) -> tuple[Refused | None, IPAddress | None]:
        """(why not, None) or (None, the checked address to connect to)."""
        refused = scheme_refusal(url.scheme, development=self.development)
        if refused is not None:
            return refused, None
        named = literal(url.host)
        if named is not None:
            addresses = [named]
        else:
            host = url.raw_host.decode("ascii")  # IDNA-encoded, as DNS knows it
            addresses = await self.resolver.resolve(host, url.port or _PORTS[url.scheme])
        if not addresses:
            return UNRESOLVABLE, None
        refused = check(url.scheme, addresses, development=self.development)
        return (refused, None) if refused is not None else (None, addresses[0])


_PORTS = {"http": 80, "https": 443}


def webhook_client() -> httpx.AsyncClient:
    """The client deliveries use: no proxies from the environment, no redirects, and no
    connection kept open: connections are pooled by address, so a kept one, verified for
    one partner's name, could carry the next delivery for another name at that address."""
    return httpx.AsyncClient(
        trust_env=False,
        follow_redirects=False,
        limits=httpx.Limits(max_keepalive_connections=0),
    )


class HttpWebhooks:
    def __init__(
        self, client: httpx.AsyncClient, destinations: WebhookDestinations, *, timeout_s: float
    ) -> None:
        self.client = client
        self.destinations = destinations
        self.timeout_s = timeout_s

    async def post(self, url: str, body: bytes, headers: Mapping[str, str]) -> str | None:
        """None when the partner took it, else what went wrong (never the URL: it may
        carry the partner's credentials)."""
        target = httpx.URL(url)
        refused, address = await self.destinations.resolve(target)
        if refused is not None or address is None:
            return f"destination refused: {refused or UNRESOLVABLE}"
        sent = {**headers, "host": target.netloc.decode("ascii")}
        host = target.raw_host.decode("ascii")
        extensions = {"sni_hostname": host} if target.scheme == "https" else {}
        pinned = target.copy_with(host=str(address))
        try:
            response = await self.client.post(
                pinned,
                content=body,
                headers=sent,
                timeout=self.timeout_s,
                extensions=extensions,
                follow_redirects=False,
            )
        except httpx.TimeoutException:
            return "timed out"
        except httpx.HTTPError as exc:
            return f"unreachable: {type(exc).__name__}"
        if response.is_success:
            return None
        return f"HTTP {response.status_code}"
