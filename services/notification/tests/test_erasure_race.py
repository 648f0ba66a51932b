"""Erasure wins every race, on the real Kafka and FerretDB with the dev stand-ins as
providers: 20 times, a person applies (sealed, as intake's relay publishes it), their
worker is assigned and a home visit scheduled, and then, from 0 to 300 ms later, they
are erased as intake erases (the key destroyed first, then the erasure event). However
the two cross, afterwards no collection of notification holds their phone or name in
clear, and no SMS of theirs was let through to the gateway once the erasure was done:
the SMS channel's erasure guard (its key-store answers recorded here) cleared nothing
after it, and the stand-in's record holds nothing after it but what was cleared before
(in flight: one HTTP call, which no one can call back)."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from inson_contracts.events import Event, PersonErased
from inson_contracts.events.intake import ErasureBasis
from inson_contracts.events.notification import MessageChannel
from inson_contracts.events.values import Actor, PersonName
from inson_contracts.topics import ASSESSMENT_PLANS, INTAKE_CASES
from inson_runtime.kafka import EventPublisher, make_broker
from inson_runtime.mongo import connect
from inson_runtime.privacy import KeyStore, LocalKek, Sealer
from inson_runtime.service import Runtime
from inson_runtime.testing import start_groups_at_end, wait_for
from notification.adapters.channels.guard import ErasureGuard
from notification.adapters.channels.ratelimit import RateLimited
from notification.adapters.deliveries import ADDRESSES, DELIVERIES
from notification.domain.deliveries import Status
from notification.domain.outgoing import WITHHELD, Erasures
from notification.handlers.policies import Policies
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
class Clearances:
    """The SMS channel's last question before the gateway, and when it was answered "no"."""

    keys: Erasures
    passed: dict[str, list[datetime]] = field(default_factory=dict)

    async def erased(self, kid: str, /) -> bool:
        erased = await self.keys.erased(kid)
        if not erased:
            self.passed.setdefault(kid, []).append(datetime.now(UTC))
        return erased


@dataclass
class Platform:
    runtime: Runtime
    sinks: DevSinks
    clearances: Clearances
    intake_keys: KeyStore
    intake: Sealer
    publisher: EventPublisher

    async def publish(self, topic: str, event: Event, stream: str, version: int) -> None:
        """As intake's (or assessment's) relay sends it: the personal fields sealed."""
        envelope = Samples().envelope(event, stream, version)
        data = await self.intake.seal(envelope.type, envelope.data, stream)
        await self.publisher.publish(topic, [envelope.model_copy(update={"data": data})])


def _listen_to_the_guard(app: FastAPI) -> Clearances:
    """The SMS channel's erasure guard, its answers recorded (the channel is as composed)."""
    policies: Policies = app.state.policies
    sms = policies.notifier.channels[MessageChannel.SMS]
    assert isinstance(sms, RateLimited) and isinstance(sms.channel, ErasureGuard)
    clearances = Clearances(sms.channel.erasures)
    sms.channel.erasures = clearances
    return clearances


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
            runtime, app = compose(settings)
            clearances = _listen_to_the_guard(app)
            await start_groups_at_end(kafka_bootstrap, runtime.consumers)
            async with app.router.lifespan_context(app):
                yield Platform(
                    runtime,
                    sinks,
                    clearances,
                    intake_keys,
                    Sealer(intake_keys),
                    EventPublisher(broker, service="intake"),
                )
    finally:
        await broker.stop()
        await keys_client.drop_database(settings.database_name)
        await keys_client.close()


def _letters(n: int) -> str:
    return "".join(chr(ord("a") + int(d)) for d in f"{n:08d}")


@dataclass
class Race:
    samples: Samples
    phone: str
    last_name: str
    erased_at: datetime
    delay_ms: int

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
    return Race(samples, phone, last_name, datetime.now(UTC), delay_ms)


async def _stored_text(platform: Platform) -> str:
    """Every document of every collection of notification's database, as text."""
    db = platform.runtime.db
    parts = []
    for name in await db.list_collection_names():
        async for doc in db[name].find({}):
            parts.append(json.dumps(doc, default=str, ensure_ascii=False))
    return "\n".join(parts)


async def _settled(platform: Platform, race: Race) -> bool:
    """The erasure is through: the read model knows it, the citizen's addresses are gone
    (the erasure policy reads its own consumer group: a moment later) and none waits."""
    db = platform.runtime.db
    case_id = race.samples.case_id
    recipient = await db[RECIPIENTS].find_one({"_id": case_id})
    if not recipient or not recipient.get("erased"):
        return False
    citizen = {"case_id": case_id, "kind": "citizen"}
    if await db[ADDRESSES].count_documents(citizen):
        return False
    waiting = {"status": {"$in": list(WAITING)}}
    return await db[DELIVERIES].count_documents(citizen | waiting) == 0


async def _where(platform: Platform, race: Race) -> dict[str, object]:
    """What holds the erasure up: the read model's flag and the citizen's entries."""
    db = platform.runtime.db
    case_id = race.samples.case_id
    recipient = await db[RECIPIENTS].find_one({"_id": case_id}) or {}
    entries = db[DELIVERIES].find({"case_id": case_id, "kind": "citizen"})
    return {
        "delay_ms": race.delay_ms,
        "recipient_erased": recipient.get("erased"),
        "entries": [
            (e["template"], e["status"], await db[ADDRESSES].count_documents({"_id": e["_id"]}))
            async for e in entries
        ],
    }


async def test_an_erasure_wins_every_race_with_a_message(platform: Platform) -> None:
    races = []
    for delay_ms in DELAYS_MS[:RACES]:
        race = await _race(platform, delay_ms)
        races.append(race)
        try:
            await wait_for(lambda r=race: _settled(platform, r), timeout_s=30, what="erasure")
        except AssertionError as timeout:
            raise AssertionError(f"{timeout}: {await _where(platform, race)}") from None

    # Past a few retry-job rounds: nothing comes back later (a retry, a parked event).
    await asyncio.sleep(2)
    text = await _stored_text(platform)
    db = platform.runtime.db
    sent_before, withheld, untold, in_flight = 0, 0, 0, 0
    for race in races:
        for secret in race.secrets:
            assert secret not in text, f"{secret} stayed in notification's collections"
        # No message was let through once the erasure was done ...
        cleared = platform.clearances.passed.get(race.samples.case_id, [])
        assert all(at < race.erased_at for at in cleared), "cleared after the erasure"
        # ... and what reached the gateway after it had been cleared before it, in
        # flight at the erasure (one HTTP call; it cannot be called back).
        received = await platform.sinks.messages(to=race.phone)
        late = [m for m in received if datetime.fromisoformat(m["received_at"]) > race.erased_at]
        assert len(late) <= len(cleared), f"an SMS past the guard after the erasure: {late}"
        in_flight += len(late)
        citizen = {"case_id": race.samples.case_id, "kind": "citizen"}
        assert await db[ADDRESSES].count_documents(citizen) == 0
        async for entry in db[DELIVERIES].find(citizen):
            assert entry["status"] in (Status.SENT.value, Status.FAILED.value)
            reasons = [o.get("reason") for o in entry["outcomes"]]
            withheld += WITHHELD in reasons
        sent_before += bool(received)
        untold += not received
    print(f"\n{RACES} races: an SMS before the erasure {sent_before}, none {untold}")
    print(f"messages withheld for an erased person: {withheld}, in flight at it: {in_flight}")
    # How they crossed depends on the machine's speed (on a quiet one: about
    # half the SMS went out first, and ten messages were stopped in flight);
    # what the test holds is that every crossing ended the same.
