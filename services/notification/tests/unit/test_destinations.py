"""Server-side request forgery: where a webhook may go, checked when a partner subscribes
(literal addresses and names resolved then) and again before every delivery (resolved
again, the checked address connected to, redirects not followed). No network: the
resolver is the test's, the partner an ``httpx.MockTransport``; one check asks the
machine's own resolver for ``localhost``."""

from __future__ import annotations

from ipaddress import ip_address

import httpx
import pytest
from notification.adapters.webhook_http import (
    HttpWebhooks,
    SystemResolver,
    WebhookDestinations,
    webhook_client,
)
from notification.domain.destinations import Kind, refusal
from notification.handlers.commands import FieldsRefused, SubscriptionRefused

from ..conftest import Samples
from .fakes import PUBLIC, FakeResolver
from .test_commands import World

REFUSED = [
    ("127.0.0.1", Kind.LOOPBACK),
    ("127.8.8.8", Kind.LOOPBACK),
    ("::1", Kind.LOOPBACK),
    ("10.20.30.40", Kind.PRIVATE),
    ("172.16.0.1", Kind.PRIVATE),
    ("192.168.1.10", Kind.PRIVATE),
    ("fd12:3456::1", Kind.PRIVATE),
    ("169.254.10.1", Kind.LINK_LOCAL),
    ("fe80::1", Kind.LINK_LOCAL),
    ("100.64.0.1", Kind.SHARED),
    ("100.127.255.254", Kind.SHARED),
    ("224.0.0.251", Kind.MULTICAST),
    ("ff02::1", Kind.MULTICAST),
    ("169.254.169.254", Kind.METADATA),
    ("fd00:ec2::254", Kind.METADATA),
    ("100.100.100.200", Kind.METADATA),
    ("168.63.129.16", Kind.METADATA),
    ("0.0.0.0", Kind.RESERVED),  # noqa: S104 - an address refused, not bound
    ("::", Kind.RESERVED),
    ("240.0.0.1", Kind.RESERVED),
    ("192.0.2.7", Kind.RESERVED),
    # IPv4 inside IPv6: mapped, NAT64, 6to4.
    ("::ffff:10.0.0.1", Kind.PRIVATE),
    ("64:ff9b::a9fe:a9fe", Kind.METADATA),
    ("2002:7f00:1::", Kind.LOOPBACK),
]


@pytest.mark.parametrize(("address", "kind"), REFUSED)
def test_inside_addresses_are_refused_and_only_the_loopback_in_development(
    address: str, kind: Kind
) -> None:
    assert refusal(ip_address(address), development=False) is kind
    expected = None if kind is Kind.LOOPBACK else kind
    assert refusal(ip_address(address), development=True) is expected


@pytest.mark.parametrize("address", [PUBLIC, "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_unicast_addresses_may_receive_webhooks(address: str) -> None:
    assert refusal(ip_address(address), development=False) is None


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://[::1]:8443/hook",
        "https://10.0.0.8/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[fd00:ec2::254]/latest/meta-data/",
        "https://100.64.1.1/hook",
        "https://[::ffff:192.168.0.1]/hook",
    ],
)
async def test_a_subscription_to_a_literal_inside_address_is_refused(
    samples: Samples, url: str
) -> None:
    world = World(samples)

    with pytest.raises(FieldsRefused) as refused:
        await world.subscribe(url=url)

    assert refused.value.fields == (("/body/url", "address_not_public"),)
    assert world.subscriptions.kept == {}
    assert world.resolver.asked == []


@pytest.mark.parametrize(
    "resolved",
    ["127.0.0.1", "10.1.2.3", "169.254.169.254", "::1", f"{PUBLIC},10.0.0.9"],
    ids=["loopback", "private", "metadata", "ipv6-loopback", "one-of-two-inside"],
)
async def test_a_name_resolving_to_an_inside_address_is_refused(
    samples: Samples, resolved: str
) -> None:
    world = World(samples)
    world.resolver.names["hooks.partner.example"] = [ip_address(a) for a in resolved.split(",")]

    with pytest.raises(FieldsRefused) as refused:
        await world.subscribe(url="https://hooks.partner.example/inson")

    assert refused.value.fields == (("/body/url", "address_not_public"),)


async def test_a_name_resolving_to_no_address_is_refused(samples: Samples) -> None:
    world = World(samples)

    with pytest.raises(FieldsRefused) as refused:
        await world.subscribe(url="https://nowhere.partner.example/hook")

    assert refused.value.fields == (("/body/url", "host_unresolvable"),)
    assert (await world.subscribe(url="https://partner.example/hook")).url.endswith("/hook")


async def test_localhost_as_the_machine_resolves_it_is_the_loopback() -> None:
    resolver = SystemResolver(timeout_s=2)
    production = WebhookDestinations(resolver, development=False)
    development = WebhookDestinations(resolver, development=True)

    refused = await production.refusal("https://localhost:8443/hook")

    assert refused is not None and refused.kind is Kind.LOOPBACK
    assert await development.refusal("http://localhost:8210/inson") is None
    assert str(await development.refusal("http://8.8.8.8/inson")) == "https"


class Partner:
    """A partner behind ``httpx.MockTransport``: records each request, answers ``status``."""

    def __init__(self, status: int = 204, location: str | None = None) -> None:
        self.requests: list[httpx.Request] = []
        self.status, self.location = status, location

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        headers = {"location": self.location} if self.location else {}
        return httpx.Response(self.status, headers=headers)

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.MockTransport(self), follow_redirects=False)


HEADERS = {"webhook-id": "e-1", "content-type": "application/cloudevents+json"}


async def test_a_delivery_connects_to_the_address_it_checked_with_the_name_kept() -> None:
    partner = Partner()
    resolver = FakeResolver({"partner.example": PUBLIC})
    webhooks = HttpWebhooks(
        partner.client(), WebhookDestinations(resolver, development=False), timeout_s=5
    )

    error = await webhooks.post("https://partner.example:8443/hooks?x=1", b"{}", HEADERS)

    assert error is None and resolver.asked == ["partner.example"]
    [sent] = partner.requests
    assert sent.url == httpx.URL(f"https://{PUBLIC}:8443/hooks?x=1")
    assert sent.headers["host"] == "partner.example:8443"
    # TLS is verified against the name, not the address.
    assert sent.extensions["sni_hostname"] == "partner.example"
    assert sent.headers["webhook-id"] == "e-1" and sent.content == b"{}"


async def test_a_name_rebound_to_an_inside_address_after_subscribing_gets_nothing() -> None:
    partner = Partner()
    resolver = FakeResolver({"partner.example": PUBLIC})
    checked = WebhookDestinations(resolver, development=False)
    webhooks = HttpWebhooks(partner.client(), checked, timeout_s=5)
    assert await checked.refusal("https://partner.example/hook") is None

    resolver.names["partner.example"] = [ip_address("10.0.0.7")]  # DNS changed since
    error = await webhooks.post("https://partner.example/hook", b"{}", HEADERS)

    assert error == "destination refused: address: private"
    assert partner.requests == []


async def test_a_redirect_is_not_followed_and_counts_as_a_failed_attempt() -> None:
    partner = Partner(307, location="http://169.254.169.254/latest/meta-data/")
    resolver = FakeResolver({"partner.example": PUBLIC})
    webhooks = HttpWebhooks(
        partner.client(), WebhookDestinations(resolver, development=False), timeout_s=5
    )

    error = await webhooks.post("https://partner.example/hook", b"{}", HEADERS)

    assert error == "HTTP 307"
    assert [str(r.url) for r in partner.requests] == [f"https://{PUBLIC}/hook"]


async def test_the_delivery_client_uses_no_proxy_keeps_no_connection_and_no_redirect() -> None:
    client = webhook_client()
    try:
        assert client.follow_redirects is False
        assert client.trust_env is False  # HTTPS_PROXY would connect somewhere unchecked
    finally:
        await client.aclose()


async def test_plain_http_in_development_goes_to_the_loopback_only() -> None:
    partner = Partner()
    resolver = FakeResolver({"partner.example": PUBLIC, "localhost": "127.0.0.1"})
    webhooks = HttpWebhooks(
        partner.client(), WebhookDestinations(resolver, development=True), timeout_s=5
    )

    assert await webhooks.post("http://localhost:8210/inson", b"{}", HEADERS) is None
    assert await webhooks.post("http://partner.example/hook", b"{}", HEADERS) == (
        "destination refused: https"
    )
    assert [str(r.url) for r in partner.requests] == ["http://127.0.0.1:8210/inson"]


async def test_outside_development_plain_http_is_refused_before_any_lookup(
    samples: Samples,
) -> None:
    world = World(samples)

    with pytest.raises(SubscriptionRefused, match="must use https"):
        await world.subscribe(url="http://partner.example/hook")

    assert world.resolver.asked == []
