"""On the real Kafka and FerretDB: a provider's rejection reaches the worker's attention
list within seconds with its reason (sealed in the store, opened at an audited read), a
referral issued again takes it off; invalid revisions are 422 with nothing recorded and
nothing on the topic; a revision adding a service waits for the supervisor."""

from __future__ import annotations

import contextlib
import json
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from assessment.main import compose
from assessment.settings import Settings
from fastapi import FastAPI
from inson_contracts.codes.mahallas import mahallas_of
from inson_contracts.envelope import Envelope
from inson_contracts.events import (
    REGISTRY,
    CaseOpened,
    PersonalDataRead,
    ReferralIssued,
    ReferralRejected,
)
from inson_contracts.events.referral import ReferralEvent
from inson_contracts.events.values import Actor
from inson_contracts.ids import new_event_id
from inson_contracts.topics import ASSESSMENT_PLANS, REFERRALS
from inson_runtime.auth import AuthSettings, mint_dev_token
from inson_runtime.mongo import connect
from inson_runtime.service import Runtime
from inson_runtime.testing import end_offsets, read_envelopes, start_groups_at_end, wait_for

pytestmark = pytest.mark.integration

DISTRICT = "1735207"
MAHALLA = mahallas_of(DISTRICT)[3].code
ELDER: dict[str, Any] = {
    "members": [
        {
            "member_ref": "m1",
            "age": 78,
            "sex": "female",
            "employment": "pensioner",
            "needs_help_with_daily_living": True,
            "chronic_illness": True,
        }
    ],
    "income_sources": [{"kind": "pension", "monthly_amount_uzs": 900000}],
    "housing": "adequate",
}
REASON = "Nogironlik guvohnomasi nusxasi yo'q"


@dataclass
class Service:
    runtime: Runtime
    app: FastAPI
    http: httpx.AsyncClient
    auth: AuthSettings

    def bearer(self, role: str, sub: str, **scope: Any) -> dict[str, str]:
        token = mint_dev_token(sub=sub, role=role, settings=self.auth, **scope)
        return {"Authorization": f"Bearer {token}"}


@contextlib.asynccontextmanager
async def assessment(kafka: str, mongodb_url: str, auth: AuthSettings) -> AsyncIterator[Service]:
    settings = Settings(
        service_name=f"assessment-{uuid.uuid4().hex[:8]}",
        kafka_bootstrap_servers=kafka,
        mongodb_url=mongodb_url,
        outbox_sweep_interval_s=0.5,
        outbox_grace_s=0.2,
    )
    runtime, app = compose(settings)
    await start_groups_at_end(kafka, runtime.consumers)
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://svc") as http:
                yield Service(runtime, app, http, auth)
    finally:
        cleanup = connect(mongodb_url)
        await cleanup.drop_database(settings.database_name)
        await cleanup.close()


async def plan_in_force(svc: Service) -> tuple[str, str, list[dict[str, Any]]]:
    """A case opened, assessed and its plan approved; the case, its worker, the items."""
    case_id = f"case-{uuid.uuid4().hex[:12]}"
    opened = CaseOpened(
        case_id=case_id,
        application_id=f"app-{case_id}",
        region=DISTRICT[:4],
        district=DISTRICT,
        mahalla=MAHALLA,
        circumstances=["lonely_elderly", "needs_care_by_others"],
        household_size=1,
        language="uz-Latn",
        opened_at=datetime.now(UTC),
    )
    await svc.app.state.policies.assign(opened, envelope_of(opened, case_id))
    file = await svc.app.state.assessments.files.load(case_id)
    worker = svc.bearer("social_worker", file.worker_id, district=DISTRICT, mahallas=[MAHALLA])
    done = await svc.http.post(
        f"/v1/cases/{case_id}/assessment/complete", json={"situation": ELDER}, headers=worker
    )
    assert done.status_code == 200, done.text
    answer = done.json()
    assert answer["plan_items"] and all(i["needs"] for i in answer["plan_items"])
    assert "HOME-03" in answer["offered_services"]
    supervisor = svc.bearer("supervisor", f"sup-{DISTRICT}", district=DISTRICT)
    approved = await svc.http.post(f"/v1/cases/{case_id}/plan/approve", headers=supervisor)
    assert approved.status_code == 204, approved.text
    return case_id, file.worker_id, answer["plan_items"]


def envelope_of(event: Any, case_id: str) -> Envelope:
    return Envelope(
        id=new_event_id(),
        source="inson/intake",
        type=event.TYPE,
        time=datetime.now(UTC),
        subject=f"case-{case_id}",
        streamversion=1,
        data=event.model_dump(mode="json"),
    )


async def publish_as_referral(svc: Service, *steps: tuple[ReferralEvent, int]) -> None:
    """Referral's events on its topic, as its store writes them: personal fields sealed."""
    envelopes = []
    for event, version in steps:
        subject = f"referral-{event.referral_id}"
        data = await svc.runtime.sealer.seal(event.TYPE, event.model_dump(mode="json"), subject)
        envelopes.append(
            Envelope(
                id=new_event_id(),
                source="inson/referral",
                type=event.TYPE,
                time=datetime.now(UTC),
                subject=subject,
                streamversion=version,
                data=data,
            )
        )
    await svc.runtime.publisher.publish(REFERRALS.name, envelopes)


def issue(case_id: str, item: dict[str, Any], referral_id: str, **more: Any) -> ReferralIssued:
    now = datetime.now(UTC)
    return ReferralIssued(
        referral_id=referral_id,
        case_id=case_id,
        plan_id="p",
        plan_version=1,
        item_id=item["item_id"],
        service_code=item["service_code"],
        priority=item["priority"],
        destination={"provider_type": item["provider_type"], "district": DISTRICT},
        accept_by=now + timedelta(days=3),
        issued_at=now,
        **more,
    )


async def audit_of(svc: Service, case_id: str, route: str) -> list[PersonalDataRead]:
    found = []
    async for doc in svc.runtime.store.commits.find({"stream_id": {"$regex": "^audit-"}}):
        for envelope in doc["events"]:
            record = REGISTRY.parse(envelope["type"], envelope["data"])
            wanted = isinstance(record, PersonalDataRead) and case_id in record.case_ids
            if wanted and record.operation == f"GET {route}":
                found.append(record)
    return found


async def test_a_rejection_reaches_the_attention_list_with_its_reason_audited(
    kafka_bootstrap: str, mongodb_url: str, tmp_path: Path
) -> None:
    auth = AuthSettings(dev_key_path=tmp_path / "key.pem")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("INSON_AUTH_DEV_KEY_PATH", str(auth.dev_key_path))
        async with assessment(kafka_bootstrap, mongodb_url, auth) as svc:
            case_id, worker_id, items = await plan_in_force(svc)
            worker = svc.bearer("social_worker", worker_id, district=DISTRICT, mahallas=[MAHALLA])
            supervisor = svc.bearer("supervisor", f"sup-{DISTRICT}", district=DISTRICT)
            admin = svc.bearer("admin", "admin-1")
            item = items[0]
            first = f"ref-{uuid.uuid4().hex[:10]}"
            await publish_as_referral(svc, (issue(case_id, item, first), 1))

            rejected = ReferralRejected(
                referral_id=first,
                case_id=case_id,
                code="documents_missing",
                reason=REASON,
                rejected_by=Actor(id="op-1", role="provider_operator"),
                rejected_at=datetime.now(UTC),
            )
            started = time.monotonic()
            await publish_as_referral(svc, (rejected, 2))

            async def listed() -> list[dict[str, Any]]:
                got = await svc.http.get("/v1/attention", headers=worker)
                assert got.status_code == 200, got.text
                return [i for i in got.json()["items"] if i["case_id"] == case_id]

            async def shown() -> bool:
                return bool(await listed())

            await wait_for(shown, timeout_s=10, what="the rejection in the attention list")
            assert time.monotonic() - started < 10
            (row,) = await listed()
            assert row["attention"] == "refused" and row["item_id"] == item["item_id"]
            assert row["reason"] == REASON and row["needs"] == item["needs"]
            assert row["referral"]["rejection_code"] == "documents_missing"
            assert row["referral"]["status"] == "rejected"

            sup = (await svc.http.get("/v1/attention", headers=supervisor)).json()
            assert [r["reason"] for r in sup["items"] if r["case_id"] == case_id] == [REASON]
            other = (await svc.http.get("/v1/attention", headers=admin)).json()
            assert [r.get("reason") for r in other["items"] if r["case_id"] == case_id] == [None]

            # Each read recorded; the reason named only where it was read.
            records = await audit_of(svc, case_id, "/v1/attention")
            assert {(r.actor.role, "reason" in r.fields) for r in records} == {
                ("social_worker", True),
                ("supervisor", True),
                ("admin", False),
            }
            # Stored sealed, never in clear.
            doc = await svc.runtime.db["referral_items"].find_one({"_id": first})
            assert doc is not None and doc["rejection_reason"]["sealed"]["ct"]
            assert REASON not in json.dumps(doc, default=str)

            # The case file shows the item's referral status, without the text.
            file = (await svc.http.get(f"/v1/case-files/{case_id}", headers=worker)).json()
            shown_item = next(i for i in file["items"] if i["item_id"] == item["item_id"])
            assert shown_item["referral"]["status"] == "rejected"
            assert shown_item["referral"]["attention"] == "refused"
            assert REASON not in json.dumps(file)
            history = await svc.http.get(f"/v1/case-files/{case_id}/referrals", headers=worker)
            assert [r["reason"] for r in history.json()] == [REASON]
            assert await audit_of(svc, case_id, "/v1/case-files/{case_id}/referrals")

            # Once the person is erased, the sealed reason no longer opens: never shown.
            await svc.runtime.sealer.keys.erase(case_id, reason="test", erased_by="test")
            (erased,) = await listed()
            assert "reason" not in erased and erased["attention"] == "refused"

            # The item planned again, referral issues it again: off the list.
            again = issue(case_id, item, f"ref-{uuid.uuid4().hex[:10]}", replaces=first)
            await publish_as_referral(svc, (again, 1))

            async def cleared() -> bool:
                return not await listed()

            await wait_for(cleared, timeout_s=10, what="the item off the attention list")


async def test_invalid_revisions_are_422_and_a_new_service_waits_for_the_supervisor(
    kafka_bootstrap: str, mongodb_url: str, tmp_path: Path
) -> None:
    auth = AuthSettings(dev_key_path=tmp_path / "key.pem")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("INSON_AUTH_DEV_KEY_PATH", str(auth.dev_key_path))
        async with assessment(kafka_bootstrap, mongodb_url, auth) as svc:
            case_id, worker_id, items = await plan_in_force(svc)
            worker = svc.bearer("social_worker", worker_id, district=DISTRICT, mahallas=[MAHALLA])
            supervisor = svc.bearer("supervisor", f"sup-{DISTRICT}", district=DISTRICT)
            url = f"/v1/cases/{case_id}/plan"
            files = svc.app.state.assessments.files
            version = (await files.load(case_id)).version
            plans_start = await end_offsets(kafka_bootstrap, ASSESSMENT_PLANS.name)
            first = items[0]
            bad = {
                ("service_code", "service_unknown"): [{**first, "service_code": "ZZZ-99"}],
                ("provider_type", "provider_type_mismatch"): [
                    {**first, "provider_type": "employment_center"}
                ],
                ("provider", "provider_not_serving"): [{**first, "provider": "inson-1703401"}],
            }
            for (field, code), revised in bad.items():
                answer = await svc.http.post(
                    f"{url}/revise", json={"items": revised, "reason": "x"}, headers=worker
                )
                assert answer.status_code == 422, answer.text
                found = [(e["pointer"], e["code"]) for e in answer.json()["errors"]]
                assert (f"/body/items/0/{field}", code) in found, found
            empty = await svc.http.post(
                f"{url}/revise", json={"items": [], "reason": "done"}, headers=supervisor
            )
            assert empty.status_code == 422
            assert [(e["pointer"], e["code"]) for e in empty.json()["errors"]] == [
                ("/body/items", "items_required")
            ]
            assert (await files.load(case_id)).version == version

            # A new service: proposed (202), the plan in force unchanged until approved.
            taxi = {"item_id": "taxi", "service_code": "DIS-05", "provider_type": "ngo_partner"}
            proposed = await svc.http.post(
                f"{url}/revise",
                json={"items": [*items, taxi], "reason": "the clinic is far"},
                headers=worker,
            )
            assert proposed.status_code == 202, proposed.text
            assert proposed.json()["added_services"] == ["DIS-05"]
            assert int(proposed.headers["X-Inson-Version"]) == version + 1

            async def case_file() -> dict[str, Any]:
                got = await svc.http.get(f"/v1/case-files/{case_id}", headers=supervisor)
                return dict(got.json())

            async def pending() -> bool:
                return "pending_revision" in await case_file()

            await wait_for(pending, what="the proposal in the case file")
            assert (await case_file())["plan_version"] == 1
            approved = await svc.http.post(f"{url}/approve", headers=supervisor)
            assert approved.status_code == 204, approved.text

            async def revised() -> bool:
                file = await case_file()
                return file.get("plan_version") == 2 and "pending_revision" not in file

            await wait_for(revised, what="the approved revision in force")
            found = await read_envelopes(
                kafka_bootstrap,
                ASSESSMENT_PLANS.name,
                since=plans_start,
                match=lambda e: e.subject == f"assessment-{case_id}",
            )
            # Nothing of the refused revisions reached the topic.
            types = [e.type for e, _ in {e.id: (e, r) for e, r in found}.values()]
            assert types == [
                "uz.inson.assessment.plan.revision_proposed.v1",
                "uz.inson.assessment.plan.revised.v1",
            ]
