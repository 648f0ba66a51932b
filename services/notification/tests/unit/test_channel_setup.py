"""Which channels the settings give the notifier, and the erasure guard each one sits
behind: no I/O, the guard asked of a fake key store."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from inson_contracts.events.notification import MessageChannel
from notification.adapters.channels.guard import ErasureGuard
from notification.adapters.channels.http import SmsGateway
from notification.adapters.channels.setup import channels
from notification.domain.outgoing import OutgoingMessage, Withheld
from notification.settings import Settings

from .fakes import FakeChannel, FakeErasures


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient() as http:
        yield http


async def test_only_configured_channels_are_given_so_the_others_hold(
    client: httpx.AsyncClient,
) -> None:
    assert channels(Settings(), client, FakeErasures()) == {}
    settings = Settings(sms_gateway_url="http://127.0.0.1:9/sms", smtp_host="127.0.0.1")
    assert set(channels(settings, client, FakeErasures())) == {
        MessageChannel.SMS,
        MessageChannel.EMAIL,
    }


async def test_the_guard_stops_a_message_to_an_erased_person_and_passes_the_rest() -> None:
    inner = FakeChannel(MessageChannel.SMS)
    erasures = FakeErasures({"case-erased"})
    guard = ErasureGuard(inner, erasures)

    with pytest.raises(Withheld) as stopped:
        await guard.send(OutgoingMessage("n-1", "+998901234567", "Инсон", "s", "case-erased"))
    assert not stopped.value.retryable
    assert await guard.send(OutgoingMessage("n-2", "+998901234568", "Инсон", "s", "case-kept"))
    assert await guard.send(OutgoingMessage("n-3", "5550001", "Inson", "s"))  # staff: not asked
    assert [m.notification_id for m in inner.sent] == ["n-2", "n-3"]
    assert erasures.asked == 2 and guard.kind is MessageChannel.SMS


async def test_an_sms_gateway_without_a_token_gets_no_authorization_header() -> None:
    seen: list[httpx.Request] = []

    def gateway(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"id": "gw-7"})

    async with httpx.AsyncClient(transport=httpx.MockTransport(gateway)) as http:
        sms = SmsGateway(http, "http://gateway.example/sms", "")
        assert await sms.send(OutgoingMessage("n-1", "+998901234567", "Инсон", "s")) == "gw-7"

    (request,) = seen
    # "Bearer " alone is an illegal header value: every SMS failed as unreachable.
    assert "authorization" not in request.headers
    assert request.headers["idempotency-key"] == "n-1"
