"""The access audit across services, on the real Kafka and FerretDB: reads of a
person's data in intake and assessment become audit events, durable before the
answer; a supervisor lists who looked at the case (intake's projection of the
platform audit topic); that listing is itself audited; no API edits the audit."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from assessment.main import compose as compose_assessment
from assessment.settings import Settings as AssessmentSettings
from inson_contracts.codes.mahallas import mahallas_of
from inson_contracts.events import REGISTRY, PersonalDataRead
from inson_contracts.topics import AUDIT
from inson_runtime.auth import AuthSettings, mint_dev_token
from inson_runtime.testing import running_service, wait_for
from intake.main import compose as compose_intake
from intake.settings import Settings as IntakeSettings
from referral.main import compose as compose_referral
from referral.settings import Settings as ReferralSettings

pytestmark = pytest.mark.integration

DISTRICT = "1735207"
MAHALLA = mahallas_of(DISTRICT)[3].code


def bearer(auth: AuthSettings, role: str, sub: str, **scope: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {mint_dev_token(sub=sub, role=role, settings=auth, **scope)}"}


async def audit_records(runtime: Any, case_id: str) -> list[PersonalDataRead]:
    """The access records in a service's own event store (no Kafka involved)."""
    found = []
    async for doc in runtime.store.commits.find({"stream_id": {"$regex": "^audit-"}}):
        for envelope in doc["events"]:
            record = REGISTRY.parse(envelope["type"], envelope["data"])
            assert isinstance(record, PersonalDataRead)
            if case_id in record.case_ids:
                found.append(record)
    return found


async def test_reads_are_audited_listed_for_the_supervisor_and_not_editable(
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
    worker = bearer(auth, "social_worker", "sw-audit", mahallas=[MAHALLA], district=DISTRICT)
    supervisor = bearer(auth, "supervisor", f"sup-{DISTRICT}", district=DISTRICT)
    elsewhere = bearer(auth, "supervisor", "sup-1703202", district="1703202")

    async with (
        running_service(compose_intake, IntakeSettings(service_name=f"intake-{run}", **common)) as (
            intake_rt,
            intake,
        ),
        running_service(
            compose_assessment, AssessmentSettings(service_name=f"assessment-{run}", **common)
        ) as (assessment_rt, assessment),
    ):
        submitted = await intake.post(
            "/v1/applications",
            headers=worker,
            json={
                "channel": "mahalla_tablet",
                "applicant": {
                    "name": {
                        "last_name": "Qodirova",
                        "first_name": "Audit"
                        + run[:4].translate(str.maketrans("0123456789", "abcdefghij")),
                    },
                    "birth_date": date(1961, 5, 4).isoformat(),
                    "sex": "female",
                    "language": "uz-Latn",
                },
                "address": {"region": DISTRICT[:4], "district": DISTRICT, "mahalla": MAHALLA},
                "circumstances": ["lonely_elderly"],
                "consent": {"given": True, "text_version": "2026-01"},
            },
        )
        assert submitted.status_code == 201, submitted.text
        case_id = submitted.json()["case_id"]

        async def case_visible() -> bool:
            got = await intake.get(f"/v1/cases/{case_id}", headers=worker)
            return got.status_code == 200

        await wait_for(case_visible, what="the case in intake's read model")
        # A read with a stated purpose is recorded before its answer is sent.
        read = await intake.get(
            f"/v1/cases/{case_id}", headers={**worker, "X-Purpose": "home_visit_prep"}
        )
        assert read.status_code == 200
        mine = [
            r for r in await audit_records(intake_rt, case_id) if r.purpose == "home_visit_prep"
        ]
        assert len(mine) == 1
        record = mine[0]
        assert record.actor.id == "sw-audit" and record.actor.role == "social_worker"
        assert record.scope_mahallas == [MAHALLA] and record.scope_district == DISTRICT
        assert record.operation == "GET /v1/cases/{case_id}"
        assert "applicant" in record.fields and set(record.fields) <= {*read.json(), "id"}

        free_text = await intake.get(
            f"/v1/cases/{case_id}", headers={**worker, "X-Purpose": "Looking at Oydin's file"}
        )
        assert free_text.status_code == 422 and "X-Purpose" in free_text.text

        async def case_file() -> bool:
            got = await assessment.get(f"/v1/case-files/{case_id}", headers=supervisor)
            return got.status_code == 200

        await wait_for(case_file, timeout_s=60, what="the case file in assessment")
        assert (await audit_records(assessment_rt, case_id))[0].purpose == "case_work"

        # The supervisor asks intake who looked at the case (via the audit topic).
        log_url = f"/v1/cases/{case_id}/access-log"

        async def log_shows(*wanted: tuple[str, str, str]) -> list[dict[str, Any]] | None:
            got = await intake.get(log_url, headers=supervisor)
            assert got.status_code == 200, got.text
            items = got.json()["items"]
            seen = {(i["service"], i["actor"], i["purpose"]) for i in items}
            return items if set(wanted) <= seen else None

        async def listed() -> bool:
            return bool(
                await log_shows(
                    (f"intake-{run}", "sw-audit", "home_visit_prep"),
                    (f"assessment-{run}", f"sup-{DISTRICT}", "case_work"),
                )
            )

        await wait_for(listed, timeout_s=60, what="both reads in the case's access log")
        items = await log_shows((f"intake-{run}", "sw-audit", "home_visit_prep"))
        assert items is not None
        entry = next(i for i in items if i["purpose"] == "home_visit_prep")
        assert entry["role"] == "social_worker" and entry["operation"] == "GET /v1/cases/{case_id}"
        assert entry["scope"]["mahallas"] == [MAHALLA] and "applicant" in entry["fields"]
        assert entry["read_at"] and "case_ids" not in entry

        # Reading the audit is audited too.
        async def review_listed() -> bool:
            return bool(await log_shows((f"intake-{run}", f"sup-{DISTRICT}", "audit_review")))

        await wait_for(review_listed, timeout_s=60, what="the audit review in the access log")
        review = next(i for i in (await log_shows()) or [] if i["purpose"] == "audit_review")
        assert review["operation"] == "GET /v1/cases/{case_id}/access-log"
        assert review["fields"] == ["access_log"]

        # Nobody else reads it, and nothing changes it through the API.
        assert (await intake.get(log_url, headers=worker)).status_code == 403
        assert (await intake.get(log_url, headers=elsewhere)).status_code == 403
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            answer = await intake.request(method, log_url, headers=supervisor, json={})
            assert answer.status_code == 405, (method, answer.status_code)
            entry_url = f"{log_url}/{entry['id']}"
            assert (await intake.request(method, entry_url, headers=supervisor)).status_code in {
                404,
                405,
            }


def test_no_service_offers_a_route_that_writes_the_audit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every route about the audit or the access log only reads."""
    # Keeps the authenticator from creating a dev key file; no token is checked here.
    monkeypatch.setenv("INSON_AUTH_JWKS_URL", "https://jwks.invalid/keys")
    for compose, settings in (
        (compose_intake, IntakeSettings()),
        (compose_assessment, AssessmentSettings()),
        (compose_referral, ReferralSettings()),
    ):
        _, app = compose(settings)
        for route in app.routes:
            path = getattr(route, "path", "")
            if "audit" in path or "access-log" in path:
                assert getattr(route, "methods", set()) <= {"GET", "HEAD"}, path
    assert AUDIT.owner == "platform"
