"""From "case opened" to "plan approved", and from a referral completed to the
plan item completed, on the real Kafka and FerretDB with intake and
assessment running side by side."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from assessment.main import compose as compose_assessment
from assessment.settings import Settings as AssessmentSettings
from inson_contracts.codes.mahallas import mahallas_of
from inson_contracts.envelope import Envelope
from inson_contracts.events import PlanApproved, ReferralCompleted, ReferralIssued
from inson_contracts.events.values import Actor
from inson_contracts.ids import new_event_id
from inson_contracts.topics import ASSESSMENT_PLANS, REFERRALS
from inson_runtime.auth import AuthSettings, mint_dev_token
from inson_runtime.kafka import EventPublisher, make_broker
from inson_runtime.testing import (
    end_offsets,
    read_envelopes,
    running_service,
    wait_for,
)
from intake.main import compose as compose_intake
from intake.settings import Settings as IntakeSettings

pytestmark = pytest.mark.integration

DISTRICT = "1735207"
MAHALLA = mahallas_of(DISTRICT)[1].code
SITUATION = {
    "members": [
        {
            "member_ref": "m1",
            "age": 74,
            "sex": "female",
            "disability_group": "group_2",
            "needs_help_with_daily_living": True,
            "chronic_illness": True,
            "employment": "pensioner",
        },
    ],
    "income_sources": [{"kind": "pension", "monthly_amount_uzs": 900000}],
    "housing": "needs_repair",
    "resources": {"relatives_support": False},
}


def bearer(auth: AuthSettings, role: str, sub: str, **scope: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_dev_token(sub=sub, role=role, settings=auth, **scope)}"}


async def test_a_case_goes_from_opened_to_an_approved_plan_and_its_items_complete(
    kafka_bootstrap: str, mongodb_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth = AuthSettings(dev_key_path=tmp_path / "key.pem")
    monkeypatch.setenv("INSON_AUTH_DEV_KEY_PATH", str(auth.dev_key_path))
    run = uuid.uuid4().hex[:8]
    common = {
        "kafka_bootstrap_servers": kafka_bootstrap,
        "mongodb_url": mongodb_url,
        "outbox_sweep_interval_s": 0.5,
        "outbox_grace_s": 0.2,
    }
    supervisor = bearer(auth, "supervisor", f"sup-{DISTRICT}", district=DISTRICT)
    plans_start = await end_offsets(kafka_bootstrap, ASSESSMENT_PLANS.name)

    async with (
        running_service(compose_intake, IntakeSettings(service_name=f"intake-{run}", **common)) as (
            _,
            intake,
        ),
        running_service(
            compose_assessment, AssessmentSettings(service_name=f"assessment-{run}", **common)
        ) as (
            assessment_rt,
            assessment,
        ),
    ):
        born = date(1952, 3, 3)
        submitted = await intake.post(
            "/v1/applications",
            headers=bearer(
                auth, "social_worker", "w-intake", mahallas=[MAHALLA], district=DISTRICT
            ),
            json={
                "channel": "mahalla_tablet",
                "applicant": {
                    "name": {
                        "last_name": "Ergasheva",
                        "first_name": "Oydin"
                        + run[:3].translate(str.maketrans("0123456789", "abcdefghij")),
                    },
                    "birth_date": born.isoformat(),
                    "sex": "female",
                    "language": "uz-Latn",
                },
                "address": {"region": "1735", "district": DISTRICT, "mahalla": MAHALLA},
                "circumstances": ["lonely_elderly", "needs_care_by_others", "disability"],
                "consent": {"given": True, "text_version": "2026-01"},
            },
        )
        assert submitted.status_code == 201, submitted.text
        case_id = submitted.json()["case_id"]

        async def case_file() -> dict[str, Any] | None:
            got = await assessment.get(f"/v1/case-files/{case_id}", headers=supervisor)
            return got.json() if got.status_code == 200 else None

        async def assigned() -> bool:
            return (await case_file() or {}).get("visit_at") is not None

        await wait_for(assigned, timeout_s=60, what="the worker assignment and the visit")
        file = await case_file()
        assert file is not None and file["worker_id"].startswith("sw-1735207")
        worker = bearer(
            auth, "social_worker", file["worker_id"], mahallas=[MAHALLA], district=DISTRICT
        )

        async def facts_known() -> bool:
            return await assessment_rt.db["case_facts"].find_one({"_id": case_id}) is not None

        await wait_for(facts_known, what="intake's facts about the case")

        # A half-finished visit is saved and resumed, then completed from the draft.
        half = {"members": SITUATION["members"]}
        assert (
            await assessment.put(f"/v1/cases/{case_id}/assessment/draft", json=half, headers=worker)
        ).status_code == 204
        incomplete = await assessment.post(
            f"/v1/cases/{case_id}/assessment/complete", json={}, headers=worker
        )
        assert incomplete.status_code == 422
        assert incomplete.json()["code"] == "draft.invalid"
        assert any(e["pointer"] == "/draft/housing" for e in incomplete.json()["errors"])
        assert (
            await assessment.get(f"/v1/cases/{case_id}/assessment/draft", headers=worker)
        ).json()["draft"] == half
        assert (
            await assessment.put(
                f"/v1/cases/{case_id}/assessment/draft", json=SITUATION, headers=worker
            )
        ).status_code == 204
        completed = await assessment.post(
            f"/v1/cases/{case_id}/assessment/complete", json={}, headers=worker
        )
        assert completed.status_code == 200, completed.text
        result = completed.json()
        assert result["need_level"] in {"moderate", "high", "critical"}
        assert result["contributions"] and result["plan_items"]
        assert (
            await assessment.post(f"/v1/cases/{case_id}/plan/approve", headers=worker)
        ).status_code == 403

        approved = await assessment.post(f"/v1/cases/{case_id}/plan/approve", headers=supervisor)
        assert approved.status_code == 204, approved.text
        found = await read_envelopes(
            kafka_bootstrap,
            ASSESSMENT_PLANS.name,
            since=plans_start,
            match=lambda e: e.subject == f"assessment-{case_id}",
        )
        # At-least-once: a commit may reach the topic twice (a publish cut off
        # by its timeout, then the sweep); readers dedupe by event id.
        unique = list({e.id: e for e, _ in found}.values())
        types = [e.type.split(".")[3:5] for e in unique]
        assert [e.streamversion for e in unique] == list(range(1, len(unique) + 1))
        assert types == [
            ["worker", "assigned"],
            ["visit", "scheduled"],
            ["assessment", "recorded"],
            ["assessment", "completed"],
            ["plan", "drafted"],
            ["plan", "approved"],
        ]
        plan = PlanApproved.model_validate(unique[-1].data)

        # The referral service's part, played here: each item referred and completed.
        broker = make_broker(kafka_bootstrap, client_id="test-referral")
        await broker.connect()
        try:
            publisher = EventPublisher(broker, service="test")
            for n, item in enumerate(plan.items):
                referral = f"ref-{run}-{n}"
                now = datetime.now(UTC)
                issued = ReferralIssued(
                    referral_id=referral,
                    case_id=case_id,
                    plan_id=plan.plan_id,
                    plan_version=1,
                    item_id=item.item_id,
                    service_code=item.service_code,
                    priority=item.priority,
                    destination={"provider_type": item.provider_type, "district": DISTRICT},
                    accept_by=now + timedelta(days=3),
                    issued_at=now,
                )
                done = ReferralCompleted(
                    referral_id=referral,
                    case_id=case_id,
                    completed_by=Actor(id="op-1", role="window_operator"),
                    completed_at=now,
                )
                await publisher.publish(
                    REFERRALS.name,
                    [
                        _envelope(f"referral-{referral}", 1, issued),
                        _envelope(f"referral-{referral}", 2, done),
                    ],
                )
        finally:
            await broker.stop()

        async def plan_completed() -> bool:
            return (await case_file() or {}).get("plan_status") == "completed"

        await wait_for(plan_completed, timeout_s=60, what="the plan completed by its referrals")
        final = await case_file()
        assert final is not None and sorted(final["completed_items"]) == sorted(
            i.item_id for i in plan.items
        )


def _envelope(stream: str, version: int, event: Any) -> Envelope:
    return Envelope(
        id=new_event_id(),
        source="inson/referral",
        type=event.TYPE,
        time=datetime.now(UTC),
        subject=stream,
        streamversion=version,
        data=event.model_dump(mode="json"),
    )
