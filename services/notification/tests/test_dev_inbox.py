"""The dev inbox as a newcomer meets it on `make run`: notification on the real Kafka
and FerretDB sends through the dev stand-ins (``python -m devsinks``, a real process),
and the inbox lists each message as delivered. Three families of Qarshi apply (one reads
Cyrillic Uzbek, one Latin, one Russian), their worker is assigned and a referral goes to
the district's window; the inbox shows who each message was for (from notification's
delivery log, by the notification id on the wire), its channel, script and text. Then
Debian's Chromium (Playwright, ``make browser-tools``) opens the page: the texts as sent,
nothing fetched from anywhere else, the filters work; a screenshot goes to
.local/screenshots/dev-inbox.png."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from inson_contracts.codes.mahallas import mahallas_of
from inson_contracts.codes.service_model import ProviderType
from inson_contracts.envelope import Envelope
from inson_contracts.events.referral import Destination
from inson_contracts.events.values import Address
from inson_contracts.topics import ASSESSMENT_PLANS, INTAKE_CASES, REFERRALS
from inson_runtime.kafka import EventPublisher, make_broker
from inson_runtime.testing import running_service, wait_for
from inson_runtime.testing.browser import chromium, shoot
from notification.domain.rules import short_ref
from notification.main import compose
from notification.reference.contacts import CONTACTS_FILE_ENV, reload_directory
from notification.settings import Settings
from playwright.async_api import Request, expect
from pydantic import SecretStr

from .conftest import Samples, fresh_phone
from .sinks import DevSinks, running_devsinks

pytestmark = pytest.mark.integration

QARSHI, REGION = "1710224", "1710"
MAHALLA = mahallas_of(QARSHI)[3].code
WORKER, WINDOW = f"sw-{QARSHI}-01", f"psc-{QARSHI}-w1"
WORKER_CHAT, WINDOW_MAIL = "7100001", f"darcha-{uuid.uuid4().hex[:6]}@staff.inson.example"


@dataclass
class Family:
    samples: Samples
    phone: str
    language: str


@dataclass
class Stack:
    sinks: DevSinks
    publisher: EventPublisher
    families: list[Family]


async def _publish(publisher: EventPublisher, topic: str, envelope: Envelope) -> None:
    """As the other services' relays send it, addressed to Qarshi."""
    qarshi = envelope.model_copy(update={"region": REGION, "district": QARSHI})
    await publisher.publish(topic, [qarshi])


@pytest.fixture(scope="module")
async def stack(
    kafka_bootstrap: str, mongodb_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Stack]:
    folder = tmp_path_factory.mktemp("dev-inbox")
    contacts = folder / "contacts.json"
    contacts.write_text(
        json.dumps(
            {
                "placeholder": True,
                "social_worker": {WORKER: {"chat_id": WORKER_CHAT}},
                "window": {WINDOW: {"email": WINDOW_MAIL}},
            }
        )
    )
    settings = Settings(
        service_name=f"notification-inbox-{uuid.uuid4().hex[:8]}",
        kafka_bootstrap_servers=kafka_bootstrap,
        mongodb_url=mongodb_url,
        outbox_sweep_interval_s=0.5,
        outbox_grace_s=0.2,
        message_retry_interval_s=0.5,
        recipient_recheck_s=0.5,
    )
    broker = make_broker(kafka_bootstrap, client_id="test-dev-inbox")
    await broker.connect()
    with pytest.MonkeyPatch.context() as env:
        env.setenv(CONTACTS_FILE_ENV, str(contacts))
        reload_directory()
        try:
            async with running_devsinks(
                mongodb_url, settings.database_name, sms_token="dev-sms", bot_token="1:dev"
            ) as sinks:
                settings.sms_gateway_url = sinks.sms_url
                settings.sms_gateway_token = SecretStr("dev-sms")
                settings.telegram_api_base = sinks.url
                settings.telegram_bot_token = SecretStr("1:dev")
                settings.smtp_host, settings.smtp_port = "127.0.0.1", sinks.smtp_port
                async with running_service(compose, settings):
                    publisher = EventPublisher(broker, service="test")
                    yield Stack(sinks, publisher, await _families_apply(publisher))
        finally:
            reload_directory()
            await broker.stop()


async def _families_apply(publisher: EventPublisher) -> list[Family]:
    families = []
    for language in ("uz-Cyrl", "uz-Latn", "ru"):
        family = Family(Samples(), fresh_phone(), language)
        samples, case = family.samples, f"case-{family.samples.case_id}"
        submitted = samples.submitted(family.phone, language)
        address = Address(region=REGION, district=QARSHI, mahalla=MAHALLA, street="Mustaqillik 12")
        submitted = submitted.model_copy(update={"address": address})
        opened = samples.opened(submitted.application_id, language).model_copy(
            update={"region": REGION, "district": QARSHI, "mahalla": MAHALLA}
        )
        await _publish(publisher, INTAKE_CASES.name, samples.envelope(submitted, case, 1))
        await _publish(publisher, INTAKE_CASES.name, samples.envelope(opened, case, 2))
        families.append(family)
    # The Cyrillic family's worker, and a referral of theirs to the district's window.
    samples = families[0].samples
    assigned = samples.assigned(WORKER).model_copy(update={"mahalla": MAHALLA, "district": QARSHI})
    await _publish(
        publisher,
        ASSESSMENT_PLANS.name,
        samples.envelope(assigned, f"assessment-{samples.case_id}"),
    )
    issued = samples.issued(ProviderType.SOCIAL_SERVICE_WINDOW, WINDOW, code="7K3M9Q2P")
    destination = Destination(
        provider_type=ProviderType.SOCIAL_SERVICE_WINDOW,
        district=QARSHI,
        service_center=f"psc-{QARSHI}",
        window=WINDOW,
    )
    issued = issued.model_copy(update={"destination": destination})
    await _publish(
        publisher, REFERRALS.name, samples.envelope(issued, f"referral-{samples.referral_id}")
    )
    return families


async def _all_told(stack: Stack) -> list[dict[str, Any]]:
    """The receipts of this module's messages, once all six arrived."""
    ours = {f.phone for f in stack.families} | {WORKER_CHAT, WINDOW_MAIL}
    found = [m for m in await stack.sinks.messages() if m["to"] in ours]
    return found if len(found) >= 6 else []


async def test_the_inbox_shows_who_each_message_was_for_its_channel_script_and_text(
    stack: Stack,
) -> None:
    await wait_for(lambda: _all_told(stack), timeout_s=60, what="six messages in the inbox")
    received = await _all_told(stack)
    cyrillic, latin, russian = stack.families
    ref = short_ref(cyrillic.samples.case_id)

    def one(to: str, template: str) -> dict[str, Any]:
        (found,) = [m for m in received if m["to"] == to and m["template"] == template]
        return found

    qarshi = one(cyrillic.phone, "citizen.application_received")
    assert (qarshi["kind"], qarshi["channel"], qarshi["language"]) == ("citizen", "sms", "uz-Cyrl")
    assert qarshi["text"] == (
        f"Инсон: аризангиз қабул қилинди. Мурожаат рақами: {ref}. "
        "Ижтимоий ходим сиз билан боғланади."
    )
    latin_sms = one(latin.phone, "citizen.application_received")
    assert latin_sms["language"] == "uz-Latn" and "bogʻlanadi" in latin_sms["text"]
    assert one(russian.phone, "citizen.application_received")["text"].startswith(
        "Инсон: ваше заявление принято"
    )
    code_sms = one(cyrillic.phone, "citizen.referral_issued")
    assert "7K3M9Q2P" in code_sms["text"] and code_sms["language"] == "uz-Cyrl"
    worker = one(WORKER_CHAT, "worker.case_assigned")
    assert (worker["kind"], worker["channel"]) == ("social_worker", "telegram")
    assert worker["text"] == f"Inson: sizga yangi murojaat biriktirildi: {ref}."
    window = one(WINDOW_MAIL, "window.referral_received")
    assert (window["kind"], window["channel"], window["subject"]) == (
        "window",
        "email",
        "Inson: xabarnoma",
    )
    assert all(m["accepted"] and m["notification_id"] for m in received)


async def test_the_inbox_page_in_chromium(stack: Stack) -> None:
    await wait_for(lambda: _all_told(stack), timeout_s=60, what="six messages in the inbox")
    cyrillic = stack.families[0]
    requested: list[str] = []
    async with chromium() as browser:
        page = await browser.new_page(viewport={"width": 1280, "height": 900})

        def seen(request: Request) -> None:
            requested.append(request.url)

        page.on("request", seen)
        await page.goto(stack.sinks.url + "/")
        await expect(page).to_have_title("Inson dev inbox")
        qarshi = page.locator(
            'tr[data-kind="citizen"][data-channel="sms"][data-script="uz-Cyrl"]',
            has_text=cyrillic.phone,
        ).filter(has_text="аризангиз")
        await expect(qarshi).to_contain_text("Инсон: аризангиз қабул қилинди")
        await expect(qarshi).to_contain_text("uz-Cyrl · Cyrillic")
        await expect(qarshi.locator("td.text")).to_have_attribute("lang", "uz-Cyrl")
        worker = page.locator('tr[data-kind="social_worker"]', has_text=WORKER_CHAT).first
        await expect(worker).to_contain_text("worker")
        await expect(worker).to_contain_text("Telegram")
        window = page.locator('tr[data-kind="window"]', has_text=WINDOW_MAIL).first
        await expect(window).to_contain_text("e-mail")
        latin = page.locator('tr[data-script="uz-Latn"]', has_text="bogʻlanadi").first
        await expect(latin).to_be_visible()
        await shoot(page, "dev-inbox.png")

        await page.get_by_role("link", name="citizen", exact=True).click()
        await expect(page).to_have_url(stack.sinks.url + "/?kind=citizen")
        kinds = await page.locator("tbody tr").evaluate_all("rows => rows.map(r => r.dataset.kind)")
        assert kinds and set(kinds) == {"citizen"}
    # Self-contained: the page and its filter, nothing from a CDN or elsewhere.
    assert requested and all(url.startswith(stack.sinks.url) for url in requested)
