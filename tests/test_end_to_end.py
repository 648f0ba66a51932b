"""The whole path on the real Kafka and FerretDB, three services side by side:
an application on a tablet -> a case -> a worker and a home visit -> an
assessment and an approved plan -> referrals in the Social service window's
queue -> accepted, started, completed -> the plan items and the plan completed
in the assessment service."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from assessment.main import compose as compose_assessment
from assessment.settings import Settings as AssessmentSettings
from inson_contracts.codes.mahallas import mahallas_of
from inson_runtime.auth import AuthSettings, mint_dev_token
from inson_runtime.testing import running_service, wait_for
from intake.main import compose as compose_intake
from intake.settings import Settings as IntakeSettings
from referral.domain.routing import referral_id
from referral.main import compose as compose_referral
from referral.settings import Settings as ReferralSettings

pytestmark = pytest.mark.integration

DISTRICT = "1735207"
MAHALLA = mahallas_of(DISTRICT)[5].code


async def test_an_application_becomes_a_completed_plan_through_the_window(
    kafka_bootstrap: str, mongodb_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth = AuthSettings(dev_key_path=tmp_path / "key.pem")
    monkeypatch.setenv("INSON_AUTH_DEV_KEY_PATH", str(auth.dev_key_path))

    def bearer(role: str, sub: str, **scope: Any) -> dict[str, str]:
        return {
            "Authorization": f"Bearer {mint_dev_token(sub=sub, role=role, settings=auth, **scope)}"
        }

    run = uuid.uuid4().hex[:8]
    common: dict[str, Any] = {
        "kafka_bootstrap_servers": kafka_bootstrap,
        "mongodb_url": mongodb_url,
        "outbox_sweep_interval_s": 0.5,
        "outbox_grace_s": 0.2,
    }
    supervisor = bearer("supervisor", f"sup-{DISTRICT}", district=DISTRICT)
    admin = bearer("admin", "admin-1")
    async with (
        running_service(
            compose_intake,
            IntakeSettings(service_name=f"e2e-intake-{run}", **common),
        ) as (_, intake),
        running_service(
            compose_assessment,
            AssessmentSettings(service_name=f"e2e-assessment-{run}", **common),
        ) as (_, assessment),
        running_service(
            compose_referral,
            ReferralSettings(service_name=f"e2e-referral-{run}", **common),
        ) as (_, referral),
    ):
        submitted = await intake.post(
            "/v1/applications",
            headers=bearer("social_worker", "tablet-1", mahallas=[MAHALLA], district=DISTRICT),
            json={
                "channel": "mahalla_tablet",
                "applicant": {
                    "name": {"last_name": "Nazarova", "first_name": "Saodat"},
                    "birth_date": "1946-10-02",
                    "sex": "female",
                    "language": "ru",
                },
                "address": {"region": "1735", "district": DISTRICT, "mahalla": MAHALLA},
                "circumstances": ["lonely_elderly", "needs_care_by_others"],
                "consent": {"given": True, "text_version": "2026-01"},
            },
        )
        assert submitted.status_code == 201, submitted.text
        case_id = submitted.json()["case_id"]

        async def case_file() -> dict[str, Any]:
            got = await assessment.get(f"/v1/case-files/{case_id}", headers=supervisor)
            return dict(got.json()) if got.status_code == 200 else {}

        async def assessed_ready() -> bool:
            return "visit_at" in await case_file()

        await wait_for(assessed_ready, timeout_s=60, what="the worker assignment")
        worker_id = (await case_file())["worker_id"]
        worker = bearer("social_worker", worker_id, mahallas=[MAHALLA], district=DISTRICT)
        situation = {
            "members": [
                {
                    "member_ref": "m1",
                    "age": 80,
                    "sex": "female",
                    "needs_help_with_daily_living": True,
                    "employment": "pensioner",
                    # Walks only with support: the disability allowance is
                    # drafted, at the Social service window.
                    "disability_group": "group_2",
                    "functional_limitations": ["walking"],
                }
            ],
            "income_sources": [{"kind": "pension", "monthly_amount_uzs": 800000}],
            "housing": "needs_repair",
        }

        async def facts_arrived() -> bool:
            done = await assessment.post(
                f"/v1/cases/{case_id}/assessment/complete",
                json={"situation": situation},
                headers=worker,
            )
            assert done.status_code in (200, 409), done.text
            return done.status_code == 200

        await wait_for(facts_arrived, what="the assessment completed")
        approved = await assessment.post(f"/v1/cases/{case_id}/plan/approve", headers=supervisor)
        assert approved.status_code == 204, approved.text

        async def plan_in_force() -> bool:
            # The case file is a projection: it shows the approval a moment later.
            return (await case_file()).get("plan_status") == "approved"

        await wait_for(plan_in_force, what="the approved plan in the case file")
        plan = await case_file()
        items = plan["items"]
        assert items

        ids = [referral_id(plan["plan_id"], item["item_id"]) for item in items]

        async def all_issued() -> bool:
            got = [await referral.get(f"/v1/referrals/{rid}", headers=admin) for rid in ids]
            return all(r.status_code == 200 for r in got)

        await wait_for(all_issued, timeout_s=60, what="a referral per plan item")
        windows = [item for item in items if item["provider_type"] == "social_service_window"]
        assert windows, items
        operator = bearer(
            "window_operator", "op-1", service_center=f"psc-{DISTRICT}", district=DISTRICT
        )
        queue = (
            await referral.get("/v1/queue", headers=operator, params={"page_size": 100})
        ).json()
        queued = {r["id"] for r in queue["items"]}
        assert {referral_id(plan["plan_id"], w["item_id"]) for w in windows} <= queued

        for rid in ids:
            for step in ("accept", "start", "complete"):
                acted = await referral.post(f"/v1/referrals/{rid}/{step}", json={}, headers=admin)
                assert acted.status_code == 200, acted.text

        async def plan_completed() -> bool:
            return (await case_file()).get("plan_status") == "completed"

        await wait_for(plan_completed, timeout_s=60, what="the plan completed by its referrals")
        final = await case_file()
        assert sorted(final["completed_items"]) == sorted(i["item_id"] for i in items)
