"""Erasure wins every race, on the real Kafka and FerretDB with the dev stand-ins as
providers: 20 times, a person applies (sealed, as intake's relay publishes it), their
worker is assigned and a home visit scheduled, and then, from 0 to 300 ms later, they
are erased as intake erases (the key destroyed first, then the erasure event). However
the two cross, afterwards no collection of notification holds their phone or name in
clear, and the SMS gateway received nothing for them after the erasure was done."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from inson_contracts.events import Event, PersonErased
from inson_contracts.events.intake import ErasureBasis
from inson_contracts.events.values import Actor, PersonName
from inson_contracts.topics import ASSESSMENT_PLANS, INTAKE_CASES
from inson_runtime.kafka import EventPublisher, make_broker
from inson_runtime.mongo import connect
from inson_runtime.privacy import KeyStore, LocalKek, Sealer
from inson_runtime.service import Runtime
from inson_runtime.testing import running_service, wait_for
from notification.adapters.deliveries import DELIVERIES
from notification.domain.deliveries import Status
from notification.domain.outgoing import WITHHELD
from notification.main import compose
from notification.projections.recipients import RECIPIENTS
from notification.settings import Settings
from pydantic import SecretStr

from .conftest import Samples, fresh_phone
from .sinks import DevSinks, running_devsinks

pytestmark = pytest.mark.integration

RACES = 20
# From "before notification has read the application" to "after its SMS went out".
DELAYS_MS = [0, 0, 1, 2, 3, 5, 8, 10, 15, 20, 25, 30, 40, 50, 60, 80, 100, 150, 200, 300]
WAITING = (Status.SENDING.value, Status.RETRYING.value, Status.HELD.value)


@dataclass
class Platform:
    runtime: Runtime
    sinks: DevSinks
    intake_keys: KeyStore
    intake: Sealer
    publisher: EventPublisher

    async def publish(self, topic: str, event: Event, stream: str, version: int) -> None:
        """As intake's (or assessment's) relay sends it: the personal fields sealed."""
        envelope = Samples().envelope(event, stream, version)
        data = await self.intake.seal(envelope.type, envelope.data, stream)
        await self.publisher.publish(topic, [envelope.model_copy(update={"data": data})])


@pytest.fixture(scope="module")
async def platform(kafka_bootstrap: str, mongodb_url: str) -> AsyncIterator[Platform]:
    run = uuid.uuid4().hex[:8]
    settings = Settings(
        service_name=f"notification-race-{run}",
        kafka_bootstrap_servers=kafka_bootstrap,
        mongodb_url=mongodb_url,
        outbox_sweep_interval_s=0.5,
        outbox_grace_s=0.2,
        message_retry_interval_s=0.3,
        recipient_recheck_s=0.3,
        sms_rate_per_s=1000,
        telegram_rate_per_s=1000,
    )
    keys_client = connect(mongodb_url)
    # Intake's own process: its own key cache, as in production.
    intake_keys = KeyStore.connect(keys_client, LocalKek.from_env())
    broker = make_broker(kafka_bootstrap, client_id=f"test-race-{run}")
    await broker.connect()
    try:
        async with running_devsinks(mongodb_url, settings.database_name) as sinks:
            settings.sms_gateway_url = sinks.sms_url
            settings.telegram_api_base = sinks.url
            settings.telegram_bot_token = SecretStr("0000:race")
            async with running_service(compose, settings) as (runtime, _):
                yield Platform(
                    runtime,
                    sinks,
                    intake_keys,
                    Sealer(intake_keys),
                    EventPublisher(broker, service="intake"),
                )
    finally:
        await broker.stop()
        await keys_client.close()


def _letters(n: int) -> str:
    return "".join(chr(ord("a") + int(d)) for d in f"{n:08d}")


@dataclass
class Race:
    samples: Samples
    phone: str
    last_name: str
    erased_at: datetime

    @property
    def secrets(self) -> tuple[str, str]:
        return self.phone, self.last_name


async def _race(platform: Platform, delay_ms: int) -> Race:
    samples, phone = Samples(), fresh_phone()
    last_name = f"Poygachi{_letters(uuid.uuid4().int % 10**8)}"
    submitted = samples.submitted(phone, "uz-Cyrl")
    name = PersonName(last_name=last_name, first_name="Gulnora")
    submitted = submitted.model_copy(
        update={"applicant": submitted.applicant.model_copy(update={"name": name})}
    )
    case, plans = f"case-{samples.case_id}", f"assessment-{samples.case_id}"
    await platform.publish(INTAKE_CASES.name, submitted, case, 1)
    await platform.publish(INTAKE_CASES.name, samples.opened(submitted.application_id), case, 2)
    await platform.publish(ASSESSMENT_PLANS.name, samples.assigned(), plans, 1)
    visit = samples.visit(datetime.now(UTC) + timedelta(days=2))
    await platform.publish(ASSESSMENT_PLANS.name, visit, plans, 2)
    await asyncio.sleep(delay_ms / 1000)
    # Intake's erasure: the key first, then the event (intake/handlers/commands.py).
    await platform.intake_keys.erase(samples.case_id, reason="subject_request", erased_by="dpo")
    erased = PersonErased(
        case_id=samples.case_id,
        basis=ErasureBasis.SUBJECT_REQUEST,
        reference="Ariza 2026/77",
        erased_by=Actor(id="dpo", role="admin"),
        erased_at=datetime.now(UTC),
    )
    await platform.publish(INTAKE_CASES.name, erased, case, 3)
    return Race(samples, phone, last_name, datetime.now(UTC))


async def _stored_text(platform: Platform) -> str:
    """Every document of every collection of notification's database, as text."""
    db = platform.runtime.db
    parts = []
    for name in await db.list_collection_names():
        async for doc in db[name].find({}):
            parts.append(json.dumps(doc, default=str, ensure_ascii=False))
    return "\n".join(parts)


async def _settled(platform: Platform, race: Race) -> bool:
    """The erasure is through: the read model knows it and nothing of the citizen waits."""
    db = platform.runtime.db
    case_id = race.samples.case_id
    recipient = await db[RECIPIENTS].find_one({"_id": case_id})
    if not recipient or not recipient.get("erased"):
        return False
    waiting = {"case_id": case_id, "kind": "citizen", "status": {"$in": list(WAITING)}}
    return await db[DELIVERIES].count_documents(waiting) == 0


async def test_an_erasure_wins_every_race_with_a_message(platform: Platform) -> None:
    races = []
    for delay_ms in DELAYS_MS[:RACES]:
        race = await _race(platform, delay_ms)
        races.append(race)
        await wait_for(lambda r=race: _settled(platform, r), timeout_s=30, what="the erasure")

    # Past a few retry-job rounds: nothing comes back later (a retry, a parked event).
    await asyncio.sleep(2)
    text = await _stored_text(platform)
    db = platform.runtime.db
    sent_before, withheld, untold = 0, 0, 0
    for race in races:
        for secret in race.secrets:
            assert secret not in text, f"{secret} stayed in notification's collections"
        received = await platform.sinks.messages(to=race.phone)
        late = [m for m in received if datetime.fromisoformat(m["received_at"]) > race.erased_at]
        assert late == [], "an SMS was attempted after the erasure"
        citizen = {"case_id": race.samples.case_id, "kind": "citizen"}
        async for entry in db[DELIVERIES].find(citizen):
            assert entry["address"] == "" and entry["params"] == {} and entry["erased"]
            assert entry["status"] in (Status.SENT.value, Status.FAILED.value)
            reasons = [o.get("reason") for o in entry["outcomes"]]
            withheld += WITHHELD in reasons
        sent_before += bool(received)
        untold += not received
    print(f"\n{RACES} races: an SMS before the erasure {sent_before}, none {untold}")
    print(f"messages withheld for an erased person: {withheld}")
    # How they crossed depends on the machine's speed (on a quiet one: about
    # half the SMS went out first, and ten messages were stopped in flight);
    # what the test holds is that every crossing ended the same.
