"""A partner through the demo receiver (``make partner-demo``), once per data-sharing level,
on the real Kafka and FerretDB: the notification service composed in process, the demo's
receiver serving on the loopback and verifying every signature, subscribed and given its
level through the API as the demo does it. The application is published sealed, as intake
writes it; after its person is erased, a replay carries the erasure's mark only."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from inson_contracts.envelope import Envelope
from inson_contracts.events import ApplicationSubmitted
from inson_contracts.personal import SEALED
from inson_contracts.topics import INTAKE_CASES
from inson_runtime.auth import AuthSettings
from inson_runtime.kafka import EventPublisher, make_broker
from inson_runtime.service import Runtime
from inson_runtime.testing import free_port, running_service, wait_for
from notification.main import compose
from notification.partner_demo.__main__ import listening
from notification.partner_demo.demo import PARTNER, Demo, Filters, Sharing
from notification.partner_demo.receiver import Arrival, Receiver, describe
from notification.settings import Profile, Settings

from .conftest import APPLICANT_NAME, PINFL, Samples, fresh_phone

pytestmark = pytest.mark.integration


@dataclass
class Platform:
    runtime: Runtime
    demo: Demo
    publisher: EventPublisher


@pytest.fixture(scope="module")
async def platform(
    kafka_bootstrap: str, mongodb_url: str, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Platform]:
    auth = AuthSettings(dev_key_path=Path(tmp_path_factory.mktemp("auth")) / "key.pem")
    settings = Settings(
        service_name=f"notification-demo-{uuid.uuid4().hex[:8]}",
        kafka_bootstrap_servers=kafka_bootstrap,
        mongodb_url=mongodb_url,
        webhook_interval_s=0.2,
        profile=Profile.DEVELOPMENT,
    )
    broker = make_broker(kafka_bootstrap, client_id="test-partner-demo")
    await broker.connect()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("INSON_AUTH_DEV_KEY_PATH", str(auth.dev_key_path))
        async with running_service(compose, settings) as (runtime, http):
            yield Platform(runtime, Demo(http, auth), EventPublisher(broker, service="intake"))
    await broker.stop()


async def application(platform: Platform) -> tuple[Envelope, str]:
    """An application as intake records it: personal fields sealed with the person's key."""
    samples = Samples()
    samples.now = datetime.now(UTC)
    phone = fresh_phone()
    stream = f"case-{samples.case_id}"
    recorded = samples.envelope(samples.submitted(phone), stream)
    sealed = await platform.runtime.sealer.seal(recorded.type, recorded.data, stream)
    return recorded.model_copy(update={"data": sealed}), phone


async def delivered(receiver: Receiver, subject: str, count: int = 1) -> list[Arrival]:
    def mine() -> list[Arrival]:
        return [a for a in receiver.arrivals if a.body.get("subject") == subject]

    async def arrived() -> bool:
        return len(mine()) >= count

    await wait_for(arrived, timeout_s=30, what=f"{count} deliveries of {subject}")
    return mine()


@pytest.mark.parametrize(
    ("shared", "personal"),
    [
        ((), set()),
        (
            ("applicant.name", "applicant.phone"),
            {
                "applicant.name.last_name",
                "applicant.name.first_name",
                "applicant.name.patronymic",
                "applicant.phone",
            },
        ),
    ],
    ids=["none", "named_fields"],
)
async def test_a_partner_receives_what_its_level_allows_signature_checked(
    platform: Platform, shared: tuple[str, ...], personal: set[str]
) -> None:
    receiver = Receiver(out=lambda line: None)
    async with listening(receiver, free_port()) as url:
        created = await platform.demo.subscribe(
            url, Filters(event_types=[ApplicationSubmitted.TYPE], regions=["1735"])
        )
        receiver.secret = created["secret"]
        assert created["data_sharing"]["level"] == "none"  # until an administrator says so
        changed = await platform.demo.share(created["id"], Sharing(shared, "DSA-2026/014"))
        assert changed["data_sharing"]["personal_fields"] == sorted(shared)
        envelope, phone = await application(platform)

        await platform.publisher.publish(INTAKE_CASES.name, [envelope])
        [arrival] = await delivered(receiver, envelope.subject)

        assert arrival.signature_ok
        assert describe(arrival)[0].startswith("<- signature ok  " + ApplicationSubmitted.TYPE)
        text = str(arrival.body)
        assert PINFL not in text and "1950-04-12" not in text  # never named, never sent
        assert {p for p in arrival.personal() if arrival.personal()[p] is not None} == personal
        assert (phone in text) == ("applicant.phone" in shared)
        assert (APPLICANT_NAME.last_name in text) == ("applicant.name" in shared)
        assert "ct" not in arrival.data[SEALED] and arrival.data[SEALED]["erased"] is False
        assert "applicant.pinfl" in arrival.withheld()
        assert arrival.data["circumstances"] == ["lonely_elderly"]
        await platform.demo.unsubscribe(created["id"])


async def test_after_an_erasure_a_replay_carries_the_mark_and_no_personal_field(
    platform: Platform,
) -> None:
    receiver = Receiver(out=lambda line: None)
    async with listening(receiver, free_port()) as url:
        created = await platform.demo.subscribe(url, Filters([ApplicationSubmitted.TYPE]))
        receiver.secret = created["secret"]
        await platform.demo.share(created["id"], Sharing(["applicant"], "DSA-2026/014"))
        envelope, phone = await application(platform)
        await platform.publisher.publish(INTAKE_CASES.name, [envelope])
        [before] = await delivered(receiver, envelope.subject)
        assert before.data["applicant"]["phone"] == phone
        assert not [p for p in before.withheld() if p.startswith("applicant")]

        case_id = envelope.subject.removeprefix("case-")
        await platform.runtime.sealer.keys.erase(case_id, reason="test", erased_by="admin-1")
        replay = await platform.demo.notification.post(
            f"/v1/subscriptions/{created['id']}/replay",
            params={"since": (envelope.time - timedelta(seconds=1)).isoformat()},
            headers=platform.demo._bearer("partner_admin", PARTNER),
        )
        assert replay.status_code == 202, replay.text
        _, after = await delivered(receiver, envelope.subject, count=2)

        assert after.signature_ok and phone not in str(after.body)
        assert after.data[SEALED]["erased"] is True and "ct" not in after.data[SEALED]
        assert any("(erased)" in line for line in describe(after))
        await platform.demo.unsubscribe(created["id"])


async def test_a_receiver_refuses_a_delivery_signed_with_another_secret() -> None:
    receiver = Receiver(out=lambda line: None, secret="whsec_" + "A" * 44)
    async with listening(receiver, free_port()) as url, httpx.AsyncClient() as http:
        forged = await http.post(
            url,
            content=b"{}",
            headers={
                "webhook-id": "e-1",
                "webhook-timestamp": str(int(datetime.now(UTC).timestamp())),
                "webhook-signature": "v1,AAAA",
            },
        )
    assert forged.status_code == 401
    assert [a.signature_ok for a in receiver.arrivals] == [False]
    assert "SIGNATURE INVALID" in describe(receiver.arrivals[0])[0]
