"""A provider operator's day on the real Kafka and FerretDB: intake's application
(sealed, as intake publishes it) and assessment's plan arrive on their topics ->
the health facility's operator finds the referrals in their queue, by code too,
reads the person (audited; kept sealed at rest: no clear name in any read model)
-> accept, start, complete; a colleague's second accept is refused naming who
acted -> the person is erased and the read answers with nothing known."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from inson_contracts.codes.mahallas import mahallas_of
from inson_contracts.envelope import Envelope
from inson_contracts.events import REGISTRY, Event, PersonalDataRead, PlanApproved
from inson_contracts.events.values import Actor, PlanItem
from inson_contracts.ids import new_event_id
from inson_contracts.topics import ASSESSMENT_PLANS, INTAKE_CASES
from inson_runtime.auth import AuthSettings, mint_dev_token
from inson_runtime.kafka import EventPublisher, make_broker
from inson_runtime.mongo import connect
from inson_runtime.service import Runtime
from inson_runtime.testing import wait_for
from referral.adapters.applicants import APPLICANTS, PEOPLE
from referral.domain.codes import referral_code
from referral.domain.routing import referral_id
from referral.main import compose
from referral.projections.views import REFERRALS
from referral.settings import Settings

pytestmark = pytest.mark.integration

DISTRICT = "1735207"
MAHALLA = mahallas_of(DISTRICT)[4].code
HOSPITAL = f"health-{DISTRICT}"


@pytest.fixture
async def service(
    kafka_bootstrap: str, mongodb_url: str, auth: AuthSettings, skip_history: Any
) -> AsyncIterator[tuple[Runtime, httpx.AsyncClient]]:
    settings = Settings(
        service_name=f"referral-provider-{uuid.uuid4().hex[:8]}",
        kafka_bootstrap_servers=kafka_bootstrap,
        mongodb_url=mongodb_url,
        outbox_sweep_interval_s=0.5,
        outbox_grace_s=0.2,
    )
    runtime, app = compose(settings)
    await skip_history(runtime)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://referral") as http:
            yield runtime, http
    cleanup = connect(mongodb_url)
    await cleanup.drop_database(settings.database_name)
    await cleanup.close()


async def publish(bootstrap: str, topic: str, envelopes: list[Envelope]) -> None:
    """Play the other services: their events, on their topics, as their relays send them."""
    broker = make_broker(bootstrap, client_id="test-provider-flow")
    await broker.connect()
    try:
        await EventPublisher(broker, service="test").publish(topic, envelopes)
    finally:
        await broker.stop()


async def sealed(runtime: Runtime, person: Any, event: Event, version: int) -> Envelope:
    """Intake's event in its wire form: the personal fields sealed under the case's key."""
    subject = f"case-{person.case_id}"
    data = await runtime.sealer.seal(event.TYPE, event.model_dump(mode="json"), subject)
    return person.envelope(event, version, data)


def home_care_plan(case_id: str) -> PlanApproved:
    run = uuid.uuid4().hex[:10]
    return PlanApproved(
        case_id=case_id,
        plan_id=f"plan-{run}",
        plan_version=1,
        region=DISTRICT[:4],
        district=DISTRICT,
        mahalla=MAHALLA,
        social_worker_id=f"sw-{DISTRICT}-02",
        items=[
            PlanItem(item_id="nursing", service_code="HOME-02", provider_type="health_facility"),
            PlanItem(item_id="medicines", service_code="HLTH-02", provider_type="health_facility"),
            PlanItem(item_id="meals", service_code="HOME-07", provider_type="mahalla"),
        ],
        approved_by=Actor(id=f"sup-{DISTRICT}", role="supervisor"),
        approved_at=datetime.now(UTC),
    )


def plan_envelope(plan: PlanApproved) -> Envelope:
    return Envelope(
        id=new_event_id(),
        source="inson/assessment",
        type=plan.TYPE,
        time=datetime.now(UTC),
        subject=f"assessment-{plan.case_id}",
        streamversion=4,
        region=plan.region,
        district=plan.district,
        data=plan.model_dump(mode="json"),
    )


def bearer(auth: AuthSettings, role: str, sub: str, **scope: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_dev_token(sub=sub, role=role, settings=auth, **scope)}"}


async def audit_records(runtime: Runtime, case_id: str) -> list[PersonalDataRead]:
    found = []
    async for doc in runtime.store.commits.find({"stream_id": {"$regex": "^audit-"}}):
        for raw in doc["events"]:
            record = REGISTRY.parse(raw["type"], raw["data"])
            if isinstance(record, PersonalDataRead) and case_id in record.case_ids:
                found.append(record)
    return found


async def test_a_health_facility_serves_a_home_care_referral_and_sees_whom_for(
    service, kafka_bootstrap, auth, applications
) -> None:
    runtime, http = service
    person = applications(f"case-{uuid.uuid4().hex[:12]}", mahalla=MAHALLA)
    nurse = bearer(auth, "provider_operator", "po-health-1", providers=[HOSPITAL])
    colleague = bearer(auth, "provider_operator", "po-health-2", providers=[HOSPITAL])
    mahalla_staff = bearer(
        auth, "provider_operator", "po-mahalla", providers=[f"mahalla-{MAHALLA}"]
    )
    window = bearer(auth, "window_operator", "op-1", service_center=f"psc-{DISTRICT}")
    plan = home_care_plan(person.case_id)
    nursing, medicines, meals = (referral_id(plan.plan_id, i.item_id) for i in plan.items)

    submitted, opened = person.submitted(), person.opened()
    await publish(
        kafka_bootstrap,
        INTAKE_CASES.name,
        [await sealed(runtime, person, submitted, 1), await sealed(runtime, person, opened, 2)],
    )
    await publish(kafka_bootstrap, ASSESSMENT_PLANS.name, [plan_envelope(plan)])

    async def queue(headers: dict[str, str], **params: str) -> dict[str, Any]:
        got = await http.get("/v1/queue", headers=headers, params={"page_size": 100, **params})
        assert got.status_code == 200, got.text
        return got.json()

    async def both_queued() -> bool:
        ids = [i["id"] for i in (await queue(nurse))["items"]]
        return nursing in ids and medicines in ids

    await wait_for(both_queued, timeout_s=60, what="the hospital's referrals in its queue")

    # The meals are issued by a commit of their own, after the hospital's two:
    # the queue (the projection alone) may show them a moment later.
    async def meals_queued() -> bool:
        return meals in [i["id"] for i in (await queue(mahalla_staff))["items"]]

    await wait_for(meals_queued, timeout_s=60, what="the mahalla's referral in its queue")
    mine = (await queue(nurse, provider=HOSPITAL))["items"]
    assert {i["id"] for i in mine} == {nursing, medicines}  # not the mahalla's meals
    codes = {i["id"]: i["referral_code"] for i in mine}
    assert codes[nursing] == referral_code(nursing) != codes[medicines]
    assert [i["provider"] for i in mine] == [HOSPITAL, HOSPITAL]
    found = (await queue(nurse, code=codes[nursing].lower()))["items"]
    assert [i["id"] for i in found] == [nursing]
    assert (await queue(mahalla_staff, code=codes[nursing]))["total"] == 0  # not theirs
    assert [i["id"] for i in (await queue(mahalla_staff))["items"]] == [meals]
    assert (
        await http.get("/v1/queue", headers=window, params={"provider": HOSPITAL})
    ).status_code == 403
    assert (await http.get(f"/v1/referrals/{nursing}", headers=window)).status_code == 404

    detail = (await http.get(f"/v1/referrals/{nursing}", headers=nurse)).json()
    assert detail["referral_code"] == codes[nursing] and detail["provider"] == HOSPITAL
    assert detail["provider_name"]["uz_latn"].endswith("(vaqtincha nom)")

    async def person_known() -> bool:
        got = await http.get(f"/v1/referrals/{nursing}/person", headers=nurse)
        return got.status_code == 200 and "name" in got.json()

    await wait_for(person_known, timeout_s=30, what="the person read from intake's topic")
    home = (await http.get(f"/v1/referrals/{nursing}/person", headers=nurse)).json()
    assert home["name"] == {
        "last_name": "Qodirova",
        "first_name": "Malika",
        "patronymic": "Rustamovna",
    }
    assert home["birth_date"] == "1948-05-17" and home["at_home"] is True
    address = home["address"]
    assert (address["street"], address["house"], address["apartment"]) == (person.STREET, "12", "3")
    assert address["mahalla"] == MAHALLA and address["mahalla_name"]["uz_latn"]
    clinic = (await http.get(f"/v1/referrals/{medicines}/person", headers=nurse)).json()
    assert clinic["at_home"] is False and "address" not in clinic and clinic["name"]
    assert (
        await http.get(f"/v1/referrals/{nursing}/person", headers=mahalla_staff)
    ).status_code == 404

    # Audited, with the fields returned; kept sealed at rest: nothing in clear.
    records = await audit_records(runtime, person.case_id)
    reads = [r for r in records if r.operation.endswith("/person")]
    assert {r.operation for r in reads} == {"GET /v1/referrals/{referral_id}/person"}
    # Each read names the fields it returned (a poll before intake's events came: none).
    returned = {tuple(r.fields) for r in reads}
    assert {("address", "birth_date", "name"), ("birth_date", "name")} <= returned
    assert returned <= {("address", "birth_date", "name"), ("birth_date", "name"), ("(none)",)}
    assert {r.actor.id for r in reads} == {"po-health-1"}
    assert all(r.scope_providers == [HOSPITAL] for r in reads)
    for collection in (APPLICANTS, PEOPLE, REFERRALS):
        async for doc in runtime.db[collection].find({}):
            text = json.dumps(doc, default=str, ensure_ascii=False)
            for clear in ("Qodirova", "Malika", "1948-05-17", person.STREET, "+998901234567"):
                assert clear not in text, (collection, clear)
    kept = await runtime.db[APPLICANTS].find_one({"_id": person.application_id})
    assert kept is not None and kept["sealed"]["kid"] == person.case_id and kept["sealed"]["ct"]

    # The lifecycle, as windows have it; a colleague's second accept names who acted.
    note = {"note": "ertaga uyga boramiz"}
    accepted = await http.post(f"/v1/referrals/{nursing}/accept", headers=nurse, json=note)
    assert accepted.status_code == 200, accepted.text
    again = await http.post(f"/v1/referrals/{nursing}/accept", headers=nurse, json=note)
    assert again.status_code == 200 and again.json()["status"] == "accepted"
    second = await http.post(f"/v1/referrals/{nursing}/accept", headers=colleague, json=note)
    assert second.status_code == 409
    assert second.json()["state"] == "accepted"
    assert second.json()["acted_by"] == {"id": "po-health-1", "role": "provider_operator"}
    assert second.json()["code"] == "referral.already_done"
    assert "ertaga" not in second.text  # the note is personal: never in an error body
    for step in ("start", "complete"):
        done = await http.post(f"/v1/referrals/{nursing}/{step}", headers=nurse)
        assert done.status_code == 200, done.text
    assert done.json()["status"] == "completed"
    refused = await http.post(f"/v1/referrals/{meals}/accept", headers=nurse)
    assert refused.status_code == 404  # the mahalla's, not the hospital's

    async def board_counts() -> bool:
        got = await http.get(f"/v1/providers/{HOSPITAL}/board", headers=nurse)
        return got.status_code == 200 and got.json()["accepted"] >= 1

    await wait_for(board_counts, what="the hospital's board")
    board = (await http.get(f"/v1/providers/{HOSPITAL}/board", headers=nurse)).json()
    assert board["provider_type"] == "health_facility" and board["district"] == DISTRICT
    assert board["awaiting_acceptance"] >= 1  # the medicines
    outside = await http.get(f"/v1/providers/inson-{DISTRICT}/board", headers=nurse)
    assert outside.status_code == 403
    unknown = await http.get("/v1/providers/health-0000000/board", headers=nurse)
    assert unknown.status_code == 404

    # The board waited for the acceptance only; the completion is a later
    # commit, which the queue (the projection) shows a moment after.
    async def completed_in_queue() -> bool:
        found = (await queue(nurse, code=codes[nursing]))["items"]
        return [i["status"] for i in found] == ["completed"]

    await wait_for(completed_in_queue, what="the completed referral found by its code")
    done_found = (await queue(nurse, code=codes[nursing]))["items"]
    assert [(i["id"], i["status"]) for i in done_found] == [(nursing, "completed")]

    # Erased: the key goes first (intake's handler), then the event; answered, not 500.
    await runtime.sealer.keys.erase(person.case_id, reason="subject_request", erased_by="admin-1")
    erased = person.erased()
    await publish(kafka_bootstrap, INTAKE_CASES.name, [person.envelope(erased, 3)])

    async def blanked() -> bool:
        doc = await runtime.db[APPLICANTS].find_one({"_id": person.application_id})
        return doc is not None and doc.get("sealed") is None

    await wait_for(blanked, timeout_s=30, what="the sealed applicant blanked by the erasure")
    after = await http.get(f"/v1/referrals/{nursing}/person", headers=nurse)
    assert after.status_code == 200, after.text
    assert after.json() == {
        "referral_id": nursing,
        "case_id": person.case_id,
        "service_code": "HOME-02",
        "at_home": True,
    }
