"""Crypto-shredding end to end on the real Kafka and FerretDB, four services side by side.

Two people apply. One of them goes through an assessment and a plan with
referrals; a partner subscribed to webhooks receives their events. Then an
admin erases that person. Before and after, the test reads every place their
data lives: each service's API, the topics with a raw Kafka consumer, every
collection of every service's database, and the partner's received webhooks.
After the erasure nothing of theirs is readable anywhere, while the case
statistics stay whole and the second person's data still reads.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from aiokafka import AIOKafkaConsumer
from assessment.main import compose as compose_assessment
from assessment.settings import Settings as AssessmentSettings
from inson_contracts.codes.mahallas import mahallas_of
from inson_contracts.envelope import Envelope, from_kafka
from inson_contracts.events import REGISTRY, ApplicationSubmitted, PersonErased
from inson_contracts.topics import ASSESSMENT_PLANS, INTAKE_CASES, NOTIFICATIONS, REFERRALS
from inson_runtime.auth import AuthSettings, mint_dev_token
from inson_runtime.kafka import partitions_of, stop_reader
from inson_runtime.mongo import connect
from inson_runtime.privacy import KeyStore, LocalKek, Sealer
from inson_runtime.testing import end_offsets, running_service, wait_for
from intake.main import compose as compose_intake
from intake.settings import Settings as IntakeSettings
from notification.main import compose as compose_notification
from notification.reference.contacts import CONTACTS_FILE_ENV, reload_directory
from notification.settings import Settings as NotificationSettings
from referral.domain.routing import referral_id
from referral.main import compose as compose_referral
from referral.settings import Settings as ReferralSettings

pytestmark = pytest.mark.integration

DISTRICT = "1735207"
MAHALLA = mahallas_of(DISTRICT)[7].code
TOPICS = (INTAKE_CASES.name, ASSESSMENT_PLANS.name, REFERRALS.name, NOTIFICATIONS.name)


def person(last_name: str, phone: str, pinfl: str) -> dict[str, Any]:
    return {
        "channel": "mahalla_tablet",
        "applicant": {
            "pinfl": pinfl,
            "name": {"last_name": last_name, "first_name": "Gulnora"},
            "birth_date": "1951-04-17",
            "sex": "female",
            "phone": phone,
            "language": "uz-Latn",
        },
        "address": {
            "region": "1735",
            "district": DISTRICT,
            "mahalla": MAHALLA,
            "street": f"Navoiy {phone[-5:]}",
            "house": "17",
        },
        "household": [
            {
                "relation": "grandchild",
                "name": {"last_name": f"{last_name}a", "first_name": "Malika"},
                "birth_date": "2014-09-01",
            }
        ],
        "circumstances": ["lonely_elderly", "disability"],
        "consent": {"given": True, "text_version": "2026-01"},
    }


@dataclass
class Received:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """A partner's webhook endpoint (or an SMS gateway): records and accepts every request."""

    url: str = ""
    requests: list[Received] = field(default_factory=list)

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        self.requests.append(Received(200, body))
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b'{"ok":true,"id":"gw"}'})


@contextlib.asynccontextmanager
async def serving() -> AsyncIterator[Receiver]:
    app = Receiver()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, lifespan="off", log_level="warning"))
    task = asyncio.create_task(server.serve(sockets=[sock]))
    while not server.started:  # noqa: ASYNC110 (uvicorn offers no event to wait on)
        await asyncio.sleep(0.01)
    app.url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    try:
        yield app
    finally:
        server.should_exit = True
        await task
        sock.close()


async def raw_records(bootstrap: str, since: dict[str, dict[int, int]]) -> list[tuple[str, bytes]]:
    """Every record on the domain topics since ``since``: (key, value) as Kafka holds them."""
    reader = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False)
    await reader.start()
    out: list[tuple[str, bytes]] = []
    try:
        for topic in TOPICS:
            parts = await partitions_of(reader, topic)
            reader.assign(parts)
            ends = await reader.end_offsets(parts)
            for tp in parts:
                reader.seek(tp, since[topic].get(tp.partition, 0))
            remaining = {tp for tp in parts if await reader.position(tp) < ends[tp]}
            while remaining:
                batches = await reader.getmany(*remaining, timeout_ms=1000)
                for records in batches.values():
                    out.extend(((r.key or b"").decode(), r.value or b"") for r in records)
                for tp in list(remaining):
                    if await reader.position(tp) >= ends[tp]:
                        remaining.discard(tp)
    finally:
        await stop_reader(reader)
    return out


async def stored_text(mongodb_url: str, databases: list[str]) -> str:
    """Every document of every collection of the services' databases, as one text."""
    client = connect(mongodb_url)
    chunks: list[str] = []
    try:
        for name in databases:
            db = client[name]
            for collection in await db.list_collection_names():
                async for doc in db[collection].find({}):
                    chunks.append(json.dumps(doc, default=str, ensure_ascii=False))
    finally:
        await client.close()
    return "\n".join(chunks)


async def test_an_erased_person_is_unreadable_everywhere_and_the_statistics_stay(
    kafka_bootstrap: str, mongodb_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth = AuthSettings(dev_key_path=tmp_path / "key.pem")
    monkeypatch.setenv("INSON_AUTH_DEV_KEY_PATH", str(auth.dev_key_path))
    contacts = tmp_path / "contacts.json"
    contacts.write_text(json.dumps({"placeholder": True}))
    monkeypatch.setenv(CONTACTS_FILE_ENV, str(contacts))
    reload_directory()

    def bearer(role: str, sub: str, **scope: Any) -> dict[str, str]:
        token = mint_dev_token(sub=sub, role=role, settings=auth, **scope)
        return {"Authorization": f"Bearer {token}"}

    run = uuid.uuid4().hex[:8]
    # Unique per run, so the strings found in a store are this run's.
    letters = run.translate(str.maketrans("0123456789", "ghijklmnop"))
    erased_name, kept_name = f"Ochilova{letters}", f"Rahimova{letters}"
    erased_phone, kept_phone = (
        "+99890" + run[:7].translate(str.maketrans("abcdef", "123456")),
        ("+99891" + run[:7].translate(str.maketrans("abcdef", "654321"))),
    )
    digits = str(uuid.UUID(run * 4).int)[:7]
    # A woman born 17.04.1951, as the application says.
    erased_pinfl, kept_pinfl = f"4170451{digits}", f"4170451{digits[::-1]}"
    erased_secrets = [erased_name, erased_phone, erased_pinfl, f"Navoiy {erased_phone[-5:]}"]
    common: dict[str, Any] = {
        "kafka_bootstrap_servers": kafka_bootstrap,
        "mongodb_url": mongodb_url,
        "outbox_sweep_interval_s": 0.5,
        "outbox_grace_s": 0.2,
        # An erasure reaches other processes within this.
        "key_cache_ttl_s": 1.0,
    }
    databases = [f"inson_e2x-{svc}-{run}" for svc in ("intake", "assessment", "referral", "notif")]
    since = {topic: await end_offsets(kafka_bootstrap, topic) for topic in TOPICS}
    admin = bearer("admin", "admin-dpo")
    supervisor = bearer("supervisor", f"sup-{DISTRICT}", district=DISTRICT)
    tablet = bearer("social_worker", "tablet-9", mahallas=[MAHALLA], district=DISTRICT)

    async with (
        serving() as sms,
        serving() as partner,
        running_service(
            compose_intake,
            IntakeSettings(service_name=f"e2x-intake-{run}", **common),
            drop_database=False,
        ) as (_, intake),
        running_service(
            compose_assessment,
            AssessmentSettings(service_name=f"e2x-assessment-{run}", **common),
            drop_database=False,
        ) as (_, assessment),
        running_service(
            compose_referral,
            ReferralSettings(service_name=f"e2x-referral-{run}", **common),
            drop_database=False,
        ) as (_, referral),
        running_service(
            compose_notification,
            NotificationSettings(
                service_name=f"e2x-notif-{run}",
                sms_gateway_url=f"{sms.url}/sms",
                sms_gateway_token="gw-token",
                sms_rate_per_s=1000,
                webhook_interval_s=0.2,
                webhook_require_https=False,
                **common,
            ),
            drop_database=False,
        ) as (_, notification),
    ):
        # A partner (say, a charity) subscribes to the case events of the district.
        created = await notification.post(
            "/v1/subscriptions",
            headers=bearer("partner_admin", "partner-mehr"),
            json={
                "url": f"{partner.url}/inson",
                "event_types": [ApplicationSubmitted.TYPE, PersonErased.TYPE],
                "districts": [DISTRICT],
            },
        )
        assert created.status_code == 201, created.text
        subscription_id = created.json()["id"]
        # Its agreement lets it receive the applicant's and household's
        # personal fields, which an admin records (by default it gets none).
        shared = await notification.put(
            f"/v1/subscriptions/{subscription_id}/data-sharing",
            headers=admin,
            json={
                "level": "named_fields",
                "personal_fields": ["applicant", "address", "household", "circumstances_note"],
                "agreement": "DSA-2026/014",
            },
        )
        assert shared.status_code == 200, shared.text

        ids: dict[str, str] = {}
        for who, name, phone, pinfl in (
            ("erased", erased_name, erased_phone, erased_pinfl),
            ("kept", kept_name, kept_phone, kept_pinfl),
        ):
            answer = await intake.post(
                "/v1/applications", headers=tablet, json=person(name, phone, pinfl)
            )
            assert answer.status_code == 201, answer.text
            ids[who] = answer.json()["case_id"]
        case_id, kept_case = ids["erased"], ids["kept"]

        # The erased-to-be person goes through an assessment, a plan and referrals.
        async def case_file() -> dict[str, Any]:
            got = await assessment.get(f"/v1/case-files/{case_id}", headers=supervisor)
            return dict(got.json()) if got.status_code == 200 else {}

        async def assigned() -> bool:
            return "worker_id" in await case_file()

        await wait_for(assigned, timeout_s=60, what="the worker assignment")
        worker = bearer(
            "social_worker", (await case_file())["worker_id"], mahallas=[MAHALLA], district=DISTRICT
        )
        situation = {
            "members": [
                {
                    "member_ref": "m1",
                    "age": 75,
                    "sex": "female",
                    "disability_group": "group_2",
                    "needs_help_with_daily_living": True,
                    "employment": "pensioner",
                }
            ],
            "income_sources": [{"kind": "pension", "monthly_amount_uzs": 731000}],
            "housing": "needs_repair",
        }

        async def assessed() -> bool:
            done = await assessment.post(
                f"/v1/cases/{case_id}/assessment/complete",
                json={"situation": situation},
                headers=worker,
            )
            assert done.status_code in (200, 409), done.text
            return done.status_code == 200

        await wait_for(assessed, timeout_s=60, what="the assessment completed")
        approved = await assessment.post(f"/v1/cases/{case_id}/plan/approve", headers=supervisor)
        assert approved.status_code == 204, approved.text

        async def planned() -> bool:
            return bool((await case_file()).get("items"))

        await wait_for(planned, timeout_s=60, what="the plan in the case file")
        plan = await case_file()
        referral_ids = [referral_id(plan["plan_id"], i["item_id"]) for i in plan["items"]]

        async def referred() -> bool:
            got = [await referral.get(f"/v1/referrals/{r}", headers=admin) for r in referral_ids]
            return all(r.status_code == 200 for r in got)

        await wait_for(referred, timeout_s=60, what="the referrals")

        def received(case: str) -> list[dict[str, Any]]:
            return [
                r.json()
                for r in partner.requests
                if r.status == 200 and r.json()["subject"] == f"case-{case}"
            ]

        async def both_delivered() -> bool:
            return bool(received(case_id)) and bool(received(kept_case))

        await wait_for(both_delivered, timeout_s=60, what="the partner's webhooks")

        # --- Before: readable through the APIs and the partner's webhooks ---
        before_case = (await intake.get(f"/v1/cases/{case_id}", headers=admin)).json()
        assert before_case["applicant"]["last_name"] == erased_name
        [hook] = received(case_id)
        assert hook["data"]["applicant"]["name"]["last_name"] == erased_name
        assert hook["data"]["applicant"]["phone"] == erased_phone
        assert "sealed" not in hook["data"]

        async def district_counts() -> dict[str, str]:
            # What a district report counts: this run's cases by status (other
            # tests write to the same topics, so only ours are compared).
            listed = await intake.get(
                "/v1/cases", headers=admin, params={"district": DISTRICT, "page_size": 100}
            )
            ours = {case_id, kept_case}
            return {c["id"]: c["status"] for c in listed.json()["items"] if c["id"] in ours}

        # The list is intake's projection alone; the waits above were on
        # other services' consumers, not on it.
        async def both_listed() -> bool:
            return len(await district_counts()) == 2

        await wait_for(both_listed, timeout_s=60, what="both cases in the district's list")
        stats_before = await district_counts()
        assert len(stats_before) == 2

        # On the topics it was never readable: sealed at append.
        raw = await raw_records(kafka_bootstrap, since)
        mine = [value for key, value in raw if case_id in key or case_id.encode() in value]
        assert mine, "the case's records are on the topics"
        for value in mine:
            for secret in erased_secrets:
                assert secret.encode() not in value
        assert b'"sealed"' in b"".join(mine)

        # ... and stored in the databases (the projections that need it),
        # which follow the topics, each at its own pace.
        async def stored_in_clear() -> bool:
            text = await stored_text(mongodb_url, databases)
            return erased_name in text and erased_phone in text

        await wait_for(stored_in_clear, timeout_s=60, what="the person in the projections")
        text = await stored_text(mongodb_url, databases)
        assert erased_name in text and erased_phone in text

        # --- The erasure: admin only, with a legal ground ---
        body = {"basis": "subject_request", "reference": "Ariza № 2026/1187"}
        refused = await intake.post(f"/v1/cases/{case_id}/erasure", headers=supervisor, json=body)
        assert refused.status_code == 403
        invalid = await intake.post(
            f"/v1/cases/{case_id}/erasure", headers=admin, json={"basis": "because"}
        )
        assert invalid.status_code == 422
        assert "basis" in invalid.text and "reference" in invalid.text
        leaky = await intake.post(
            f"/v1/cases/{case_id}/erasure",
            headers=admin,
            json={"basis": "court_order", "reference": f"Order {erased_pinfl}"},
        )
        assert leaky.status_code == 422 and "PINFL" in leaky.text
        erased = await intake.post(f"/v1/cases/{case_id}/erasure", headers=admin, json=body)
        assert erased.status_code == 200, erased.text
        assert erased.json() == {"case_id": case_id, "erased": True}
        again = await intake.post(f"/v1/cases/{case_id}/erasure", headers=admin, json=body)
        assert again.json()["erased"] is False

        async def blanked() -> bool:
            case = (await intake.get(f"/v1/cases/{case_id}", headers=admin)).json()
            recipients = await stored_text(mongodb_url, [databases[3]])
            return case.get("erased") is True and erased_phone not in recipients

        await wait_for(blanked, timeout_s=60, what="the projections blanked")
        # Replay the partner's subscription: old events go out again, now without the data.
        sent_before = len(partner.requests)
        replay = await notification.post(
            f"/v1/subscriptions/{subscription_id}/replay",
            headers=bearer("partner_admin", "partner-mehr"),
            params={"since": (datetime.now(UTC) - timedelta(hours=1)).isoformat()},
        )
        assert replay.status_code == 202, replay.text

        async def replayed() -> bool:
            later = [r.json() for r in partner.requests[sent_before:] if r.status == 200]
            subjects = [r["subject"] for r in later]
            return f"case-{case_id}" in subjects and f"case-{kept_case}" in subjects

        await wait_for(replayed, timeout_s=60, what="the replayed webhooks")

        # --- After: the APIs ---
        after_case = (await intake.get(f"/v1/cases/{case_id}", headers=admin)).json()
        assert after_case["applicant"] is None and after_case["erased"] is True
        for kept in ("status", "district", "mahalla", "circumstances", "household_size"):
            assert after_case[kept] == before_case[kept], kept
        assert await district_counts() == stats_before

        async def mahalla_applications() -> list[dict[str, Any]]:
            listed = await intake.get(
                "/v1/applications", headers=admin, params={"mahalla": MAHALLA}
            )
            return list(listed.json()["items"])

        # The erasure blanks intake's cases, then its applications, then its
        # match index: one batch, one collection after the other. `blanked`
        # waited for the case alone.
        async def applications_blanked() -> bool:
            found = await mahalla_applications()
            return all(a["applicant"] is None for a in found if a["case_id"] == case_id)

        await wait_for(applications_blanked, timeout_s=60, what="the applications blanked")
        applications = await mahalla_applications()
        assert all(a["applicant"] is None for a in applications if a["case_id"] == case_id)
        kept_now = (await intake.get(f"/v1/cases/{kept_case}", headers=admin)).json()
        assert kept_now["applicant"]["last_name"] == kept_name
        file_after = await case_file()
        assert file_after["plan_id"] == plan["plan_id"]  # the case's work is still counted
        for rid in referral_ids:
            got = await referral.get(f"/v1/referrals/{rid}", headers=admin)
            assert got.status_code == 200
            for secret in erased_secrets:
                assert secret not in got.text

        # --- After: every collection of every service ---
        # Each projection forgets the person as it reads the erasure: wait
        # for the slowest (the checks above saw intake's cases and
        # applications, notification's recipients).
        async def nothing_in_clear() -> bool:
            text = await stored_text(mongodb_url, databases)
            return not any(secret in text for secret in erased_secrets)

        await wait_for(nothing_in_clear, timeout_s=60, what="the person gone from every store")
        text = await stored_text(mongodb_url, databases)
        for secret in erased_secrets:
            assert secret not in text, secret
        assert kept_name in text and kept_phone in text

        # --- After: the topics, read raw, hold ciphertext no key opens ---
        raw = await raw_records(kafka_bootstrap, since)
        # A reader with the platform's key store: what a service would see.
        keys_client = connect(mongodb_url)
        sealer = Sealer(KeyStore.connect(keys_client, LocalKek.from_env(), ttl_s=0))
        opened_erased: list[ApplicationSubmitted] = []
        opened_kept: list[ApplicationSubmitted] = []
        for key, value in raw:
            if not (key.endswith(case_id) or key.endswith(kept_case)):
                continue
            for secret in erased_secrets:
                assert secret.encode() not in value
        reader = AIOKafkaConsumer(bootstrap_servers=kafka_bootstrap, enable_auto_commit=False)
        await reader.start()
        try:
            parts = await partitions_of(reader, INTAKE_CASES.name)
            reader.assign(parts)
            ends = await reader.end_offsets(parts)
            for tp in parts:
                reader.seek(tp, since[INTAKE_CASES.name].get(tp.partition, 0))
            remaining = {tp for tp in parts if await reader.position(tp) < ends[tp]}
            while remaining:
                for records in (await reader.getmany(*remaining, timeout_ms=1000)).values():
                    for record in records:
                        envelope: Envelope = from_kafka(record.headers, record.value)
                        if envelope.type != ApplicationSubmitted.TYPE:
                            continue
                        data = await sealer.open(envelope.type, envelope.data)
                        event = REGISTRY.parse(envelope.type, data)
                        assert isinstance(event, ApplicationSubmitted)
                        if envelope.subject == f"case-{case_id}":
                            opened_erased.append(event)
                        elif envelope.subject == f"case-{kept_case}":
                            opened_kept.append(event)
                for tp in list(remaining):
                    if await reader.position(tp) >= ends[tp]:
                        remaining.discard(tp)
        finally:
            await stop_reader(reader)
            await keys_client.close()
        assert [e.applicant.name.last_name for e in opened_erased] == [None]
        assert opened_erased[0].address.district == DISTRICT  # statistics still read
        assert [e.applicant.name.last_name for e in opened_kept] == [kept_name]
        erasure_events = [
            value for key, value in raw if key == f"case-{case_id}" and b"subject_request" in value
        ]
        assert len(erasure_events) == 1

        # --- After: the partner's webhooks ---
        later = [r.json() for r in partner.requests[sent_before:] if r.status == 200]
        for hook in later:
            if hook["subject"] == f"case-{case_id}" and hook["type"] == ApplicationSubmitted.TYPE:
                assert hook["data"]["sealed"]["erased"] is True
                assert "ct" not in hook["data"]["sealed"]
                # The wire form: personal properties absent, objects left empty.
                assert hook["data"]["applicant"] == {"name": {}, "language": "uz-Latn"}
            if hook["subject"] == f"case-{kept_case}":
                assert hook["data"]["applicant"]["name"]["last_name"] == kept_name
        assert any(h["type"] == PersonErased.TYPE for h in later)
        for hook in later:
            if hook["subject"] == f"case-{case_id}":
                for secret in erased_secrets:
                    assert secret not in json.dumps(hook, ensure_ascii=False)

    reload_directory()
    cleanup = connect(mongodb_url)
    for name in databases:
        await cleanup.drop_database(name)
    await cleanup.close()
