"""The channels against the dev stand-ins as `make run` runs them (``python -m devsinks``,
a real process on 127.0.0.1): the SMS gateway's JSON API, the Telegram-style bot API
and the SMTP relay; how each failure is classified; and the dev inbox's join of what
arrived with notification's delivery log (who it was for, which script)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest
from inson_runtime.mongo import connect
from inson_runtime.testing import free_port
from notification.adapters.channels.http import SmsGateway, TelegramBot
from notification.adapters.channels.smtp import SmtpEmail
from notification.adapters.deliveries import DELIVERIES
from notification.domain.outgoing import DeliveryError, OutgoingMessage

from .sinks import DevSinks, running_devsinks

pytestmark = pytest.mark.integration

TEXT = "Инсон: мурожаат AB12CD34. Ижтимоий ходим 12 март, 2026 куни соат 14:00да келади."
SMS_TOKEN, BOT_TOKEN = "gw-token", "123:ABC"


def message(address: str, notification_id: str = "n-1") -> OutgoingMessage:
    return OutgoingMessage(notification_id, address, TEXT, "Инсон: хабарнома")


def fresh(prefix: str = "+99893") -> str:
    return f"{prefix}{uuid.uuid4().int % 10**7:07d}"


@pytest.fixture(scope="module")
def database() -> str:
    return f"inson_notification-channels-{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="module")
async def sinks(mongodb_url: str, database: str) -> AsyncIterator[DevSinks]:
    async with running_devsinks(
        mongodb_url, database, sms_token=SMS_TOKEN, bot_token=BOT_TOKEN
    ) as running:
        yield running
    cleanup = connect(mongodb_url)
    await cleanup.drop_database(database)
    await cleanup.close()


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(timeout=5) as http:
        yield http


async def test_sms_goes_as_json_with_the_token_and_the_notification_id(
    client: httpx.AsyncClient, sinks: DevSinks
) -> None:
    phone, nid = fresh(), str(uuid.uuid4())
    sms = SmsGateway(client, sinks.sms_url, SMS_TOKEN)

    provider_id = await sms.send(message(phone, nid))

    (received,) = await sinks.messages(to=phone)
    assert provider_id == f"devsms-{received['seq']}"
    assert (received["channel"], received["text"]) == ("sms", TEXT)
    assert received["notification_id"] == nid and received["accepted"]
    # Nothing in the delivery log under that id: shown as such, not guessed.
    assert received["kind"] is None and received["language"] is None


async def test_a_wrong_gateway_token_is_a_refusal_not_a_retry(
    client: httpx.AsyncClient, sinks: DevSinks
) -> None:
    phone = fresh()
    with pytest.raises(DeliveryError) as failure:
        await SmsGateway(client, sinks.sms_url, "stale-token").send(message(phone))
    assert not failure.value.retryable
    assert failure.value.reason == "provider answered HTTP 401"
    assert await sinks.messages(to=phone) == []


@pytest.mark.parametrize(("status", "retryable"), [(503, True), (429, True), (400, False)])
async def test_sms_failures_are_classified_by_status(
    client: httpx.AsyncClient, sinks: DevSinks, status: int, retryable: bool
) -> None:
    phone = fresh()
    await sinks.fail("sms", status)
    with pytest.raises(DeliveryError) as failure:
        await SmsGateway(client, sinks.sms_url, SMS_TOKEN).send(message(phone))
    assert failure.value.retryable is retryable
    assert failure.value.reason == f"provider answered HTTP {status}"
    (refused,) = await sinks.messages(to=phone)
    assert refused["answered"] == status and not refused["accepted"]


async def test_an_unreachable_gateway_is_retryable_and_the_reason_names_no_url(
    client: httpx.AsyncClient,
) -> None:
    bot = TelegramBot(client, f"http://127.0.0.1:{free_port()}", "123:SECRET")
    with pytest.raises(DeliveryError) as failure:
        await bot.send(message("1761212669"))
    assert failure.value.retryable
    assert "SECRET" not in failure.value.reason and "127.0.0.1" not in failure.value.reason


async def test_telegram_posts_send_message_to_the_bot_path(
    client: httpx.AsyncClient, sinks: DevSinks
) -> None:
    chat, nid = fresh(""), str(uuid.uuid4())
    bot = TelegramBot(client, sinks.url + "/", BOT_TOKEN)

    provider_id = await bot.send(message(chat, nid))

    (received,) = await sinks.messages(to=chat)
    assert provider_id == str(received["seq"])  # the bot API's message_id
    assert (received["channel"], received["text"], received["notification_id"]) == (
        "telegram",
        TEXT,
        nid,
    )
    with pytest.raises(DeliveryError) as failure:  # another bot's token: 401
        await TelegramBot(client, sinks.url, "999:OTHER").send(message(chat))
    assert not failure.value.retryable


async def test_telegram_ok_false_is_a_permanent_failure(
    client: httpx.AsyncClient, sinks: DevSinks
) -> None:
    await sinks.fail("telegram", 400, ok_false=True)
    with pytest.raises(DeliveryError) as failure:
        await TelegramBot(client, sinks.url, BOT_TOKEN).send(message(fresh("")))
    assert not failure.value.retryable
    assert failure.value.reason == "bot API answered ok=false"


async def test_email_goes_through_smtp_in_utf8(sinks: DevSinks) -> None:
    to, nid = f"darcha-{uuid.uuid4().hex[:6]}@staff.inson.example", str(uuid.uuid4())
    email = SmtpEmail("127.0.0.1", sinks.smtp_port, "Inson <noreply@inson.example>")

    provider_id = await email.send(message(to, nid))

    assert provider_id == f"<{nid}@notification.inson>"
    (received,) = await sinks.messages(to=to)
    assert (received["channel"], received["subject"], received["text"]) == (
        "email",
        "Инсон: хабарнома",
        TEXT,
    )
    assert received["notification_id"] == nid  # read back from the Message-ID


@pytest.mark.parametrize(("code", "retryable"), [(451, True), (550, False)])
async def test_mail_refusals_are_classified_by_reply_code(
    sinks: DevSinks, code: int, retryable: bool
) -> None:
    await sinks.fail("email", code)
    email = SmtpEmail("127.0.0.1", sinks.smtp_port, "noreply@inson.example", timeout_s=5)
    with pytest.raises(DeliveryError) as failure:
        await email.send(message(f"w-{uuid.uuid4().hex[:6]}@staff.inson.example"))
    assert failure.value.retryable is retryable


async def test_an_unreachable_mail_server_is_retryable() -> None:
    email = SmtpEmail("127.0.0.1", free_port(), "noreply@inson.example", timeout_s=2)
    with pytest.raises(DeliveryError) as failure:
        await email.send(message("a@staff.inson.example"))
    assert failure.value.retryable


async def test_the_inbox_takes_kind_and_script_from_the_delivery_log(
    client: httpx.AsyncClient, sinks: DevSinks, mongodb_url: str, database: str
) -> None:
    phone, nid = fresh(), str(uuid.uuid4())
    store = connect(mongodb_url)
    try:
        # What the notifier writes before it sends (adapters/deliveries.py).
        await store[database][DELIVERIES].insert_one(
            {
                "_id": nid,
                "kind": "citizen",
                "language": "uz-Cyrl",
                "template": "citizen.application_received",
                "cause_type": "uz.inson.intake.application.submitted.v1",
                "case_id": "c-1",
                "address": phone,
                "created_at": datetime.now(UTC),
            }
        )
    finally:
        await store.close()

    await SmsGateway(client, sinks.sms_url, SMS_TOKEN).send(message(phone, nid))
    await SmsGateway(client, sinks.sms_url, SMS_TOKEN).send(message(phone, nid))  # a resend

    first, again = await sinks.messages(to=phone)
    assert (first["kind"], first["language"], first["template"]) == (
        "citizen",
        "uz-Cyrl",
        "citizen.application_received",
    )
    assert again["copy_of"] == first["seq"] and first["copy_of"] is None
    page = (await client.get(f"{sinks.url}/", params={"kind": "citizen"})).text
    assert TEXT in page and 'lang="uz-Cyrl"' in page and "uz-Cyrl · Cyrillic" in page
