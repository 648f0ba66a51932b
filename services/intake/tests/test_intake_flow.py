"""Intake end to end on the real Kafka and FerretDB: POST -> event on Kafka with
the contract's headers -> projection; one person, one case; retries; a publish
that never happened is made good by the outbox sweep; a plan that ends (assessment's
event on its topic) closes the case."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from inson_contracts.codes.mahallas import mahallas_of
from inson_contracts.envelope import Envelope
from inson_contracts.events import (
    REGISTRY,
    ApplicationSubmitted,
    CaseClosed,
    CaseOpened,
    PlanCompleted,
)
from inson_contracts.ids import new_event_id
from inson_contracts.topics import ASSESSMENT_PLANS, INTAKE_CASES
from inson_runtime.auth import AuthSettings, mint_dev_token
from inson_runtime.kafka import EventPublisher, make_broker
from inson_runtime.mongo import connect
from inson_runtime.testing import end_offsets, read_envelopes, start_groups_at_end, wait_for
from intake.main import compose
from intake.settings import Settings

pytestmark = pytest.mark.integration

DISTRICT = "1735207"
MAHALLA = mahallas_of(DISTRICT)[0].code


def person(pinfl: str | None, last: str, first: str, born: date) -> dict[str, Any]:
    applicant: dict[str, Any] = {
        "name": {"last_name": last, "first_name": first},
        "birth_date": born.isoformat(),
        "sex": "female",
        "language": "uz-Cyrl",
    }
    if pinfl:
        applicant["pinfl"] = pinfl
    return {
        "channel": "mahalla_tablet",
        "applicant": applicant,
        "address": {"region": "1735", "district": DISTRICT, "mahalla": MAHALLA},
        "circumstances": ["lonely_elderly"],
        "consent": {"given": True, "text_version": "2026-01"},
    }


def fresh_pinfl(born: date) -> str:
    serial = uuid.uuid4().int % 10**7
    return f"4{born:%d%m%y}{serial:07d}"


@pytest.fixture
async def service(
    kafka_bootstrap: str, mongodb_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[Any, httpx.AsyncClient, AuthSettings]]:
    auth = AuthSettings(dev_key_path=tmp_path / "key.pem")
    monkeypatch.setenv("INSON_AUTH_DEV_KEY_PATH", str(auth.dev_key_path))
    settings = Settings(
        service_name=f"intake-test-{uuid.uuid4().hex[:8]}",
        kafka_bootstrap_servers=kafka_bootstrap,
        mongodb_url=mongodb_url,
        outbox_sweep_interval_s=0.5,
        outbox_grace_s=0.2,
    )
    runtime, app = compose(settings)
    # Only this test's events: not the history earlier runs left on the topic.
    await start_groups_at_end(kafka_bootstrap, runtime.consumers)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://intake") as http:
            yield runtime, http, auth
    cleanup = connect(mongodb_url)
    await cleanup.drop_database(settings.database_name)
    await cleanup.close()


def headers(auth: AuthSettings, key: str | None = None) -> dict[str, str]:
    jwt = mint_dev_token(
        sub="worker-1", role="social_worker", mahallas=[MAHALLA], district=DISTRICT, settings=auth
    )
    out = {"Authorization": f"Bearer {jwt}"}
    if key:
        out["Idempotency-Key"] = key
    return out


async def test_an_application_becomes_a_case_on_kafka_and_in_the_projection(
    service, kafka_bootstrap
) -> None:
    _, http, auth = service
    born = date(1950, 4, 12)
    start = await end_offsets(kafka_bootstrap, INTAKE_CASES.name)

    response = await http.post(
        "/v1/applications",
        json=person(fresh_pinfl(born), "Qodirova", "Zulfiya", born),
        headers=headers(auth),
    )

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["outcome"] == "case_opened"
    stream = f"case-{body['case_id']}"
    records = await read_envelopes(
        kafka_bootstrap, INTAKE_CASES.name, since=start, match=lambda e: e.subject == stream
    )
    assert [e.type for e, _ in records] == [ApplicationSubmitted.TYPE, CaseOpened.TYPE]
    envelope, record = records[1]
    header_names = {name for name, _ in record.headers}
    assert {
        "ce_id",
        "ce_type",
        "ce_source",
        "ce_specversion",
        "ce_subject",
        "ce_time",
        "ce_streamversion",
    } <= header_names
    assert record.key == stream.encode()
    assert envelope.source == "inson/intake" and envelope.district == DISTRICT
    opened = REGISTRY.parse(envelope.type, envelope.data)
    assert isinstance(opened, CaseOpened) and opened.mahalla == MAHALLA

    async def visible() -> bool:
        got = await http.get(f"/v1/applications/{body['application_id']}", headers=headers(auth))
        return got.status_code == 200 and got.json()["status"] == "opened_case"

    # The author reads the application and its case at once (from the
    # stream if need be); the caseload list is the projection alone, which
    # follows the topic a moment later.
    assert await visible()

    async def listed() -> bool:
        got = await http.get("/v1/cases", params={"mahalla": MAHALLA}, headers=headers(auth))
        return body["case_id"] in [c["id"] for c in got.json()["items"]]

    await wait_for(listed, what="the case in the caseload list")
    case = (await http.get(f"/v1/cases/{body['case_id']}", headers=headers(auth))).json()
    assert case["status"] == "open" and case["applications"] == 1
    assert case["applicant"]["last_name"] == "Qodirova"


async def test_the_201_carries_the_application_and_its_author_reads_it_at_once(
    service,
) -> None:
    runtime, http, auth = service
    born = date(1952, 2, 29)

    created = await http.post(
        "/v1/applications",
        json=person(fresh_pinfl(born), "Usmonova", "Gulnora", born),
        headers=headers(auth),
    )

    assert created.status_code == 201, created.text
    body = created.json()
    assert created.headers["location"] == f"/v1/applications/{body['application_id']}"
    assert body["id"] == body["application_id"] and body["status"] == "opened_case"
    assert body["applicant"]["last_name"] == "Usmonova"
    # Right away, whether or not the read models have caught up.
    at_once = await http.get(created.headers["location"], headers=headers(auth))
    case = await http.get(f"/v1/cases/{body['case_id']}", headers=headers(auth))
    assert at_once.status_code == case.status_code == 200, (at_once.text, case.text)
    assert case.json()["opening_application_id"] == body["application_id"]
    record = {k: v for k, v in body.items() if k not in ("application_id", "outcome")}
    assert at_once.json() == record

    async def projected() -> bool:
        doc = await runtime.db["applications"].find_one({"_id": body["application_id"]})
        return doc is not None and doc.get("status") == "opened_case"

    # The read model, once it has the application, answers it the same.
    await wait_for(projected, what="the application in its read model")
    later = await http.get(created.headers["location"], headers=headers(auth))
    assert later.json() == record


async def test_two_applications_for_one_person_make_one_case(service) -> None:
    _, http, auth = service
    born = date(1949, 7, 1)
    pinfl = fresh_pinfl(born)

    first = await http.post(
        "/v1/applications", json=person(pinfl, "Rahimov", "Bahodir", born), headers=headers(auth)
    )
    again = person(pinfl, "Рахимов", "Баходир", born)
    again["circumstances"] = ["needs_care_by_others"]
    second = await http.post("/v1/applications", json=again, headers=headers(auth))

    assert first.status_code == second.status_code == 201
    assert second.json()["case_id"] == first.json()["case_id"]
    assert second.json()["outcome"] == "linked"
    assert second.json()["application_id"] != first.json()["application_id"]


async def test_without_pinfl_a_similar_name_is_linked_for_a_worker_to_confirm(service) -> None:
    runtime, http, auth = service
    born = date(1931, 1, 1) + timedelta(days=uuid.uuid4().int % 20000)
    first = await http.post(
        "/v1/applications", json=person(None, "Gʻulomov", "Ismoil", born), headers=headers(auth)
    )
    exact = await http.post(
        "/v1/applications", json=person(None, "Ғуломов", "Исмоил", born), headers=headers(auth)
    )
    assert exact.json()["case_id"] == first.json()["case_id"]
    assert exact.json()["outcome"] == "linked"

    async def people_indexed() -> bool:
        return await runtime.db["people"].count_documents({"birth_date": born.isoformat()}) >= 1

    await wait_for(people_indexed, what="the people projection")
    likely = await http.post(
        "/v1/applications", json=person(None, "Gulomov", "Ismail", born), headers=headers(auth)
    )
    assert likely.json()["case_id"] == first.json()["case_id"]
    assert likely.json()["outcome"] == "linked_pending_confirmation"

    refused = await http.post(
        f"/v1/cases/{first.json()['case_id']}/applications/{likely.json()['application_id']}/refuse-link",
        headers=headers(auth),
    )
    assert refused.status_code == 200, refused.text
    assert refused.json()["new_case_id"] != first.json()["case_id"]


async def test_a_retry_with_the_same_key_returns_the_first_answer_and_creates_nothing(
    service,
) -> None:
    runtime, http, auth = service
    born = date(1960, 2, 2)
    body = person(fresh_pinfl(born), "Tursunova", "Gulnora", born)
    key = f"tablet-7-{uuid.uuid4().hex}"

    first = await http.post("/v1/applications", json=body, headers=headers(auth, key))
    retry = await http.post("/v1/applications", json=body, headers=headers(auth, key))

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert len(await runtime.store.load(f"case-{first.json()['case_id']}")) == 2
    other = {**body, "circumstances": ["homeless"]}
    reused = await http.post("/v1/applications", json=other, headers=headers(auth, key))
    assert reused.status_code == 409


async def test_a_publish_that_never_happened_arrives_once_through_the_sweep(
    service, kafka_bootstrap, monkeypatch
) -> None:
    runtime, http, auth = service
    start = await end_offsets(kafka_bootstrap, INTAKE_CASES.name)

    async def crashed(stream_id: str) -> int:
        raise ConnectionError("process died before publishing")

    monkeypatch.setattr(runtime.relay, "publish_stream", crashed)
    born = date(1955, 5, 5)
    response = await http.post(
        "/v1/applications",
        json=person(fresh_pinfl(born), "Aliyeva", "Nodira", born),
        headers=headers(auth),
    )
    assert response.status_code == 201
    stream = f"case-{response.json()['case_id']}"

    async def on_kafka() -> bool:
        found = await read_envelopes(
            kafka_bootstrap, INTAKE_CASES.name, since=start, match=lambda e: e.subject == stream
        )
        return len(found) >= 2

    await wait_for(on_kafka, timeout_s=30, what="the sweep to publish")
    await wait_for(lambda: _nothing_pending(runtime), what="the commit marked published")
    found = await read_envelopes(
        kafka_bootstrap, INTAKE_CASES.name, since=start, match=lambda e: e.subject == stream
    )
    assert [e.type for e, _ in found] == [ApplicationSubmitted.TYPE, CaseOpened.TYPE]


async def _nothing_pending(runtime: Any) -> bool:
    return await runtime.store.count_unpublished() == 0


async def test_each_caller_sees_only_their_own_area(service) -> None:
    _, http, auth = service
    born = date(1944, 9, 9)
    made = await http.post(
        "/v1/applications",
        json=person(fresh_pinfl(born), "Usmonova", "Karomat", born),
        headers=headers(auth),
    )
    case_id = made.json()["case_id"]

    def as_(role: str, **scope: Any) -> dict[str, str]:
        jwt = mint_dev_token(sub=f"{role}-x", role=role, settings=auth, **scope)
        return {"Authorization": f"Bearer {jwt}"}

    async def shown(who: dict[str, str]) -> int:
        return (await http.get(f"/v1/cases/{case_id}", headers=who)).status_code

    await wait_for(lambda: _is(shown(headers(auth)), 200), what="the case in the projection")
    assert await shown(as_("supervisor", district=DISTRICT)) == 200
    assert await shown(as_("admin")) == 200
    assert await shown(as_("social_worker", mahallas=["1735207002"], district=DISTRICT)) == 404
    assert await shown(as_("supervisor", district="1703236")) == 404
    assert await shown(as_("partner_admin")) == 403
    other = await http.get(
        "/v1/cases", headers=as_("supervisor", district="1703236"), params={"page_size": 100}
    )
    assert case_id not in [c["id"] for c in other.json()["items"]]


async def _is(status: Any, wanted: int) -> bool:
    return bool(await status == wanted)


@pytest.fixture
async def assessment(kafka_bootstrap: str) -> AsyncIterator[EventPublisher]:
    """Publishes on assessment's topic, as the assessment service does."""
    broker = make_broker(kafka_bootstrap, client_id=f"test-assessment-{uuid.uuid4().hex[:6]}")
    await broker.connect()
    try:
        yield EventPublisher(broker, service="assessment")
    finally:
        await broker.stop()


def completed_plan(case_id: str, at: datetime) -> Envelope:
    event = PlanCompleted(
        case_id=case_id,
        plan_id=str(uuid.uuid4()),
        plan_version=1,
        completed_by="sw-1",
        completed_at=at,
    )
    return Envelope(
        id=new_event_id(),
        source="inson/assessment",
        type=PlanCompleted.TYPE,
        time=at,
        subject=f"assessment-{case_id}",
        dataschema=PlanCompleted.dataschema(),
        streamversion=12,
        region="1735",
        district=DISTRICT,
        data=event.model_dump(mode="json"),
    )


async def test_a_completed_plan_closes_the_case_in_the_projection(
    service, assessment, kafka_bootstrap
) -> None:
    _, http, auth = service
    born = date(1947, 6, 6)
    made = await http.post(
        "/v1/applications",
        json=person(fresh_pinfl(born), "Ergasheva", "Dilbar", born),
        headers=headers(auth),
    )
    case_id = made.json()["case_id"]
    start = await end_offsets(kafka_bootstrap, INTAKE_CASES.name)
    ended = datetime.now(UTC).replace(microsecond=0)
    plan = completed_plan(case_id, ended)

    await assessment.publish(ASSESSMENT_PLANS.name, [plan])
    await assessment.publish(ASSESSMENT_PLANS.name, [plan])  # a producer retry

    async def closed() -> bool:
        got = await http.get(f"/v1/cases/{case_id}", headers=headers(auth))
        return got.status_code == 200 and got.json().get("status") == "closed"

    async def listed_closed() -> bool:
        got = await http.get(
            "/v1/cases", params={"mahalla": MAHALLA, "status": "closed"}, headers=headers(auth)
        )
        return case_id in [c["id"] for c in got.json()["items"]]

    await wait_for(closed, timeout_s=30, what="the case closed in the projection")
    await wait_for(listed_closed, timeout_s=30, what="the case among the closed ones")
    case = (await http.get(f"/v1/cases/{case_id}", headers=headers(auth))).json()
    assert case["closure_reason"] == "plan_completed"
    assert datetime.fromisoformat(case["closed_at"]).replace(tzinfo=UTC) == ended
    still_open = await http.get(
        "/v1/cases", params={"mahalla": MAHALLA, "status": "open"}, headers=headers(auth)
    )
    assert case_id not in [c["id"] for c in still_open.json()["items"]]

    stream = f"case-{case_id}"
    found = await read_envelopes(
        kafka_bootstrap, INTAKE_CASES.name, since=start, match=lambda e: e.subject == stream
    )
    (envelope,) = [e for e, _ in found]  # once, though the plan event came twice
    assert envelope.type == CaseClosed.TYPE and envelope.causationid == plan.id
    assert envelope.district == DISTRICT and envelope.streamversion == 3
    event = REGISTRY.parse(envelope.type, envelope.data)
    assert isinstance(event, CaseClosed) and event.plan_id == plan.data["plan_id"]
