"""The channels against real local servers: an HTTP SMS gateway, a Telegram-style bot
API and an SMTP relay, all on 127.0.0.1; and how each failure is classified."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from inson_runtime.testing import free_port
from notification.adapters.channels.http import SmsGateway, TelegramBot
from notification.adapters.channels.smtp import SmtpEmail
from notification.domain.outgoing import DeliveryError, OutgoingMessage

from .conftest import FakeHttp, Mailbox

TEXT = "Инсон: мурожаат AB12CD34. Ижтимоий ходим 12 март, 2026 куни соат 14:00да келади."


def message(address: str) -> OutgoingMessage:
    return OutgoingMessage("n-1", address, TEXT, "Инсон: хабарнома")


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5) as http:
        yield http


async def test_sms_goes_as_json_with_the_bearer_token(
    client: httpx.AsyncClient, sms_gateway: FakeHttp
) -> None:
    sms = SmsGateway(client, f"{sms_gateway.url}/v1/sms", "gw-token")
    assert await sms.send(message("+998901234567")) == "gw-1"
    (request,) = sms_gateway.requests
    assert request.path == "/v1/sms"
    assert request.headers["authorization"] == "Bearer gw-token"
    assert request.headers["idempotency-key"] == "n-1"
    assert request.json() == {"to": "+998901234567", "text": TEXT}


@pytest.mark.parametrize(("status", "retryable"), [(503, True), (429, True), (400, False)])
async def test_sms_failures_are_classified_by_status(
    client: httpx.AsyncClient, sms_gateway: FakeHttp, status: int, retryable: bool
) -> None:
    sms_gateway.fail_first, sms_gateway.fail_status = 1, status
    sms = SmsGateway(client, sms_gateway.url, "t")
    with pytest.raises(DeliveryError) as failure:
        await sms.send(message("+998901234567"))
    assert failure.value.retryable is retryable
    assert failure.value.reason == f"provider answered HTTP {status}"


async def test_an_unreachable_gateway_is_retryable_and_the_reason_names_no_url(
    client: httpx.AsyncClient,
) -> None:
    bot = TelegramBot(client, f"http://127.0.0.1:{free_port()}", "123:SECRET")
    with pytest.raises(DeliveryError) as failure:
        await bot.send(message("1761212669"))
    assert failure.value.retryable
    assert "SECRET" not in failure.value.reason and "127.0.0.1" not in failure.value.reason


async def test_telegram_posts_send_message_to_the_bot_path(
    client: httpx.AsyncClient, telegram_api: FakeHttp
) -> None:
    bot = TelegramBot(client, telegram_api.url + "/", "123:ABC")
    assert await bot.send(message("1761212669")) == "42"
    (request,) = telegram_api.requests
    assert request.path == "/bot123:ABC/sendMessage"
    assert request.json() == {"chat_id": "1761212669", "text": TEXT}


async def test_telegram_ok_false_is_a_permanent_failure(
    client: httpx.AsyncClient, telegram_api: FakeHttp
) -> None:
    telegram_api.reply = {"ok": False, "description": "chat not found"}
    with pytest.raises(DeliveryError) as failure:
        await TelegramBot(client, telegram_api.url, "1:A").send(message("1"))
    assert not failure.value.retryable


async def test_email_goes_through_smtp_in_utf8(smtp_server: tuple[Mailbox, int]) -> None:
    mailbox, port = smtp_server
    email = SmtpEmail("127.0.0.1", port, "Inson <noreply@inson.example>")
    provider_id = await email.send(message("darcha1@staff.inson.example"))
    assert provider_id == "<n-1@notification.inson>"
    (mail,) = mailbox.messages
    assert mailbox.envelopes == [("noreply@inson.example", ["darcha1@staff.inson.example"])]
    assert mail["Subject"] == "Инсон: хабарнома"
    assert mail["Message-ID"] == provider_id
    assert mail.get_content().strip() == TEXT


async def test_an_unreachable_mail_server_is_retryable() -> None:
    email = SmtpEmail("127.0.0.1", free_port(), "noreply@inson.example", timeout_s=2)
    with pytest.raises(DeliveryError) as failure:
        await email.send(message("a@staff.inson.example"))
    assert failure.value.retryable
