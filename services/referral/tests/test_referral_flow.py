"""The referral service end to end on the real Kafka and FerretDB: a PlanApproved
published on the assessment topic -> the referral in the window's queue -> accept,
start, complete through the API -> ReferralCompleted on Kafka with the contract's
headers; other centers see nothing, an illegal step is answered 409 with the state."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from inson_contracts.codes.mahallas import mahallas_of
from inson_contracts.envelope import Envelope
from inson_contracts.events import REGISTRY, PlanApproved, ReferralCompleted
from inson_contracts.events.values import Actor, PlanItem
from inson_contracts.ids import new_event_id
from inson_contracts.topics import ASSESSMENT_PLANS, REFERRALS
from inson_runtime.auth import AuthSettings, mint_dev_token
from inson_runtime.kafka import EventPublisher, make_broker
from inson_runtime.mongo import connect
from inson_runtime.testing import end_offsets, read_envelopes, wait_for
from referral.domain.routing import referral_id
from referral.main import compose
from referral.settings import Settings

pytestmark = pytest.mark.integration

DISTRICT = "1735207"
CENTER = "psc-1735207"
MAHALLA = mahallas_of(DISTRICT)[5].code


@pytest.fixture
async def service(
    kafka_bootstrap: str, mongodb_url: str, auth: AuthSettings, skip_history: Any
) -> AsyncIterator[tuple[Any, httpx.AsyncClient, AuthSettings]]:
    settings = Settings(
        service_name=f"referral-test-{uuid.uuid4().hex[:8]}",
        kafka_bootstrap_servers=kafka_bootstrap,
        mongodb_url=mongodb_url,
        outbox_sweep_interval_s=0.5,
        outbox_grace_s=0.2,
        deadline_interval_s=0.2,
    )
    runtime, app = compose(settings)
    await skip_history(runtime)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://referral") as http:
            yield runtime, http, auth
    cleanup = connect(mongodb_url)
    await cleanup.drop_database(settings.database_name)
    await cleanup.close()


def bearer(auth: AuthSettings, role: str, sub: str, **scope: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_dev_token(sub=sub, role=role, settings=auth, **scope)}"}


async def publish_plan(bootstrap: str, plan: PlanApproved) -> None:
    """Play the assessment service: its event, on its topic, as its relay sends it."""
    broker = make_broker(bootstrap, client_id="test-assessment")
    await broker.connect()
    try:
        envelope = Envelope(
            id=new_event_id(),
            source="inson/assessment",
            type=plan.TYPE,
            time=datetime.now(UTC),
            subject=f"assessment-{plan.case_id}",
            streamversion=6,
            region=plan.region,
            district=plan.district,
            data=plan.model_dump(mode="json"),
        )
        await EventPublisher(broker, service="test").publish(ASSESSMENT_PLANS.name, [envelope])
    finally:
        await broker.stop()


def approved_plan() -> PlanApproved:
    run = uuid.uuid4().hex[:10]
    return PlanApproved(
        case_id=f"case-{run}",
        plan_id=f"plan-{run}",
        plan_version=1,
        region=DISTRICT[:4],
        district=DISTRICT,
        mahalla=MAHALLA,
        social_worker_id=f"sw-{DISTRICT}-03",
        items=[
            PlanItem(
                item_id="item-cash-01",
                service_code="CASH-01",
                provider_type="social_service_window",
                priority="urgent",
            ),
            PlanItem(item_id="item-home-01", service_code="HOME-01", provider_type="inson_center"),
        ],
        approved_by=Actor(id=f"sup-{DISTRICT}", role="supervisor"),
        approved_at=datetime.now(UTC),
    )


async def test_a_plan_item_reaches_the_window_and_is_served_through_the_api(
    service, kafka_bootstrap
) -> None:
    _, http, auth = service
    operator = bearer(auth, "window_operator", "op-7", service_center=CENTER, district=DISTRICT)
    stranger = bearer(auth, "window_operator", "op-9", service_center="psc-1703401")
    supervisor = bearer(auth, "supervisor", f"sup-{DISTRICT}", district=DISTRICT)
    plan = approved_plan()
    window_ref = referral_id(plan.plan_id, "item-cash-01")
    inson_ref = referral_id(plan.plan_id, "item-home-01")
    start = await end_offsets(kafka_bootstrap, REFERRALS.name)

    await publish_plan(kafka_bootstrap, plan)

    async def queued() -> dict[str, Any] | None:
        got = await http.get("/v1/queue", headers=operator, params={"page_size": 100})
        assert got.status_code == 200, got.text
        return next((i for i in got.json()["items"] if i["id"] == window_ref), None)

    # Issued and delivered are one commit but two records: the projection
    # may apply the first before the second arrives.
    async def delivered_in_queue() -> bool:
        found = await queued()
        return found is not None and found["status"] == "delivered"

    await wait_for(delivered_in_queue, timeout_s=60, what="the referral delivered in the queue")
    entry = await queued()
    assert entry is not None
    assert entry["status"] == "delivered" and entry["priority"] == "urgent"
    assert entry["service_center"] == CENTER and entry["window"].startswith(f"{CENTER}-w")
    assert entry["service_name"]["uz_latn"] and entry["service_name"]["ru"]
    assert entry["case_id"] == plan.case_id and not entry["overdue"]

    # Other centers see nothing of it; the other provider's referral is no window's.
    assert (await http.get(f"/v1/referrals/{window_ref}", headers=stranger)).status_code == 404
    refused = await http.post(f"/v1/referrals/{window_ref}/accept", headers=stranger)
    assert refused.status_code == 404
    other_window = {"window": f"{CENTER}-w1"}
    assert (await http.get("/v1/queue", headers=stranger, params=other_window)).status_code == 403
    queue = (await http.get("/v1/queue", headers=operator, params={"page_size": 100})).json()
    assert inson_ref not in [i["id"] for i in queue["items"]]

    async def supervised() -> bool:
        got = await http.get(f"/v1/referrals/{inson_ref}", headers=supervisor)
        return got.status_code == 200 and got.json()["provider"] == f"inson-{DISTRICT}"

    await wait_for(supervised, what="the inson center referral for the supervisor")

    early = await http.post(f"/v1/referrals/{window_ref}/start", headers=operator)
    assert early.status_code == 409
    assert early.json()["state"] == "delivered"
    assert early.json()["code"] == "referral.transition_not_allowed"
    not_reason = await http.post(
        f"/v1/referrals/{window_ref}/reject", headers=operator, json={"code": "other"}
    )
    assert not_reason.status_code == 422

    for step, status in (("accept", "accepted"), ("start", "started"), ("complete", "completed")):
        body = {"note": "xizmat koʻrsatildi"} if step == "complete" else None
        done = await http.post(f"/v1/referrals/{window_ref}/{step}", headers=operator, json=body)
        assert done.status_code == 200, done.text
        assert done.json() == {"referral_id": window_ref, "status": status, "escalation_level": 0}
    # The same operator sending the same step again (a retry) is answered; without
    # the note it is another step, refused with who completed it.
    note = {"note": "xizmat koʻrsatildi"}
    again = await http.post(f"/v1/referrals/{window_ref}/complete", headers=operator, json=note)
    assert again.status_code == 200 and again.json()["status"] == "completed"
    other = await http.post(f"/v1/referrals/{window_ref}/complete", headers=operator)
    assert other.status_code == 409 and other.json()["state"] == "completed"
    assert other.json()["code"] == "referral.already_done"
    assert other.json()["acted_by"] == {"id": "op-7", "role": "window_operator"}
    late = await http.post(
        f"/v1/referrals/{window_ref}/reject",
        headers=operator,
        json={"code": "not_eligible", "reason": "too late"},
    )
    assert late.status_code == 409 and late.json()["state"] == "completed"
    assert late.json()["code"] == "referral.transition_not_allowed"

    stream = f"referral-{window_ref}"

    async def completed_on_kafka() -> bool:
        found = await read_envelopes(
            kafka_bootstrap, REFERRALS.name, since=start, match=lambda e: e.subject == stream
        )
        return any(e.type == ReferralCompleted.TYPE for e, _ in found)

    await wait_for(completed_on_kafka, timeout_s=30, what="ReferralCompleted on Kafka")
    found = await read_envelopes(
        kafka_bootstrap, REFERRALS.name, since=start, match=lambda e: e.subject == stream
    )
    # At-least-once: a commit may reach Kafka twice (inline and by the sweep),
    # with the same event ids; readers deduplicate by id, and so does this test.
    records = list({e.id: (e, r) for e, r in found}.values())
    assert [e.type.split(".")[4] for e, _ in records] == [
        "issued",
        "delivered",
        "accepted",
        "started",
        "completed",
    ]
    envelope, record = records[-1]
    assert {
        "ce_id",
        "ce_type",
        "ce_source",
        "ce_specversion",
        "ce_subject",
        "ce_time",
        "ce_streamversion",
        "ce_district",
    } <= {name for name, _ in record.headers}
    assert record.key == stream.encode()
    assert envelope.source == "inson/referral" and envelope.district == DISTRICT
    assert envelope.streamversion == 5
    completed = REGISTRY.parse(envelope.type, envelope.data)
    assert isinstance(completed, ReferralCompleted)
    assert completed.completed_by == Actor(id="op-7", role="window_operator")
    assert completed.case_id == plan.case_id

    async def history_complete() -> bool:
        got = (await http.get(f"/v1/referrals/{window_ref}", headers=operator)).json()
        return len(got.get("history", [])) == 5

    await wait_for(history_complete, what="the referral's history in the read model")
    detail = (await http.get(f"/v1/referrals/{window_ref}", headers=operator)).json()
    assert [h["type"] for h in detail["history"]] == [e.type.split(".")[4] for e, _ in records]
    assert [h["by"] for h in detail["history"]][2:] == ["op-7"] * 3
    assert detail["center_name"]["uz_latn"].endswith("(vaqtincha nom)")
    assert detail["status"] == "completed" and detail["plan_id"] == plan.plan_id

    board = await http.get(f"/v1/centers/{CENTER}/board", headers=operator)
    assert board.status_code == 200, board.text
    assert board.json()["accepted"] >= 1 and board.json()["median_minutes_to_accept"] == 0
    assert [w["window"] for w in board.json()["windows"]] == [f"{CENTER}-w1", f"{CENTER}-w2"]
    assert (await http.get(f"/v1/centers/{CENTER}/board", headers=stranger)).status_code == 403
    assert (await http.get("/v1/centers/psc-0000000/board", headers=operator)).status_code == 404


async def test_a_cases_referrals_as_of_a_past_moment(service, kafka_bootstrap) -> None:
    """The referral states a decision was taken against, rebuilt from the store."""
    _, http, auth = service
    operator = bearer(auth, "window_operator", "op-7", service_center=CENTER, district=DISTRICT)
    supervisor = bearer(auth, "supervisor", f"sup-{DISTRICT}", district=DISTRICT)
    elsewhere = bearer(auth, "supervisor", "sup-1703202", district="1703202")
    plan = approved_plan()
    window_ref = referral_id(plan.plan_id, "item-cash-01")
    url = f"/v1/cases/{plan.case_id}/referrals/as-of"
    before = datetime.now(UTC)
    await publish_plan(kafka_bootstrap, plan)

    async def delivered() -> bool:
        got = await http.get(f"/v1/referrals/{window_ref}", headers=operator)
        return got.status_code == 200 and got.json()["status"] == "delivered"

    await wait_for(delivered, timeout_s=60, what="the referral delivered to the window")
    inson_ref = referral_id(plan.plan_id, "item-home-01")

    # The plan's second item is issued by a commit of its own, after the
    # window's: the moment must come after both.
    async def both_issued() -> bool:
        got = await http.get(f"/v1/referrals/{inson_ref}", headers=supervisor)
        return got.status_code == 200

    await wait_for(both_issued, what="the inson center referral issued too")
    moment = datetime.now(UTC)
    await asyncio.sleep(0.01)
    for step in ("accept", "start"):
        done = await http.post(f"/v1/referrals/{window_ref}/{step}", headers=operator)
        assert done.status_code == 200, done.text

    async def states(at: datetime, headers: dict[str, str]) -> httpx.Response:
        return await http.get(url, params={"at": at.isoformat()}, headers=headers)

    then = await states(moment, supervisor)
    assert then.status_code == 200, then.text
    by_id = {r["referral_id"]: r for r in then.json()}
    assert by_id[window_ref]["status"] == "delivered"
    assert by_id[window_ref]["item_id"] == "item-cash-01" and by_id[window_ref]["plan_version"] == 1
    assert len(by_id) == 2
    now = {r["referral_id"]: r for r in (await states(datetime.now(UTC), supervisor)).json()}
    assert now[window_ref]["status"] == "started"
    assert (await states(before, supervisor)).status_code == 404
    assert (await states(moment, elsewhere)).status_code == 404
    assert (await states(moment, operator)).status_code == 403


async def test_the_deadline_task_starts_and_stops_with_the_service(
    kafka_bootstrap: str, mongodb_url: str, auth: AuthSettings, skip_history: Any
) -> None:
    settings = Settings(
        service_name=f"referral-test-{uuid.uuid4().hex[:8]}",
        kafka_bootstrap_servers=kafka_bootstrap,
        mongodb_url=mongodb_url,
    )
    runtime, app = compose(settings)
    await skip_history(runtime)
    async with app.router.lifespan_context(app):
        task = next(t for t in runtime._tasks if t.get_name() == "deadlines")
        assert not task.done()
    assert task.cancelled()
    cleanup = connect(mongodb_url)
    await cleanup.drop_database(settings.database_name)
    await cleanup.close()
