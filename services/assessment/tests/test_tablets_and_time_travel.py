"""On the real FerretDB and Kafka: two tablets editing one assessment offline
(each stale command is merged or recorded as a conflict, never a silent
overwrite), and the case file as it was known at a past moment."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from assessment.handlers.case_files import CaseFiles
from assessment.handlers.policies import Policies
from assessment.main import compose
from assessment.settings import Settings
from inson_contracts.codes.mahallas import mahallas_of
from inson_contracts.envelope import Envelope
from inson_contracts.events import (
    AssessmentRecorded,
    CaseOpened,
    EditConflicted,
    EditConflictResolved,
    PlanDrafted,
)
from inson_contracts.topics import ASSESSMENT_PLANS
from inson_runtime.auth import AuthSettings, mint_dev_token
from inson_runtime.mongo import connect
from inson_runtime.testing import end_offsets, read_envelopes, start_groups_at_end, wait_for

pytestmark = pytest.mark.integration

DISTRICT = "1735207"
MAHALLA = mahallas_of(DISTRICT)[2].code
SITUATION: dict[str, Any] = {
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
    "resources": {"relatives_support": False, "livestock": False},
}


@contextlib.asynccontextmanager
async def assessment_service(
    kafka: str, mongodb_url: str
) -> AsyncIterator[tuple[CaseFiles, Policies, httpx.AsyncClient]]:
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
                yield app.state.assessments.files, app.state.policies, http
    finally:
        cleanup = connect(mongodb_url)
        await cleanup.drop_database(settings.database_name)
        await cleanup.close()


async def open_case(policies: Policies) -> str:
    """The assignment policy, run as intake's "case opened" would run it."""
    case_id = f"case-{uuid.uuid4().hex[:12]}"
    opened = CaseOpened(
        case_id=case_id,
        application_id=f"app-{case_id}",
        region=DISTRICT[:4],
        district=DISTRICT,
        mahalla=MAHALLA,
        circumstances=["lonely_elderly", "disability"],
        household_size=1,
        language="uz-Latn",
        opened_at=datetime.now(UTC),
    )
    delivered = Envelope(
        id=f"evt-{case_id}",
        source="inson/intake",
        type=opened.TYPE,
        time=opened.opened_at,
        subject=f"case-{case_id}",
        streamversion=1,
        data=opened.model_dump(mode="json"),
    )
    await policies.assign(opened, delivered)
    return case_id


def bearer(auth: AuthSettings, role: str, sub: str) -> dict[str, str]:
    token = mint_dev_token(sub=sub, role=role, settings=auth, district=DISTRICT, mahallas=[MAHALLA])
    return {"Authorization": f"Bearer {token}"}


def changed(**answers: Any) -> dict[str, Any]:
    situation = {**SITUATION, "resources": dict(SITUATION["resources"])}
    for key, value in answers.items():
        if key.startswith("resources_"):
            situation["resources"][key.removeprefix("resources_")] = value
        else:
            situation[key] = value
    return situation


async def test_two_tablets_merge_or_conflict_never_overwrite(
    kafka_bootstrap: str, mongodb_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth = AuthSettings(dev_key_path=tmp_path / "key.pem")
    monkeypatch.setenv("INSON_AUTH_DEV_KEY_PATH", str(auth.dev_key_path))
    plans_start = await end_offsets(kafka_bootstrap, ASSESSMENT_PLANS.name)
    async with assessment_service(kafka_bootstrap, mongodb_url) as (files, policies, http):
        case_id = await open_case(policies)
        file = await files.load(case_id)
        worker = bearer(auth, "social_worker", file.worker_id or "")
        supervisor = bearer(auth, "supervisor", "sup-1")
        url = f"/v1/cases/{case_id}"

        # Questionnaire drafts (scratch, outside the store): a stale save is refused.
        draft_url = f"{url}/assessment/draft"
        half_a = {"members": SITUATION["members"], "housing": "unsafe"}
        half_b = {"members": SITUATION["members"], "housing": "adequate"}
        saved_a = await http.put(
            draft_url, params={"base_revision": 0}, json=half_a, headers=worker
        )
        assert saved_a.status_code == 204 and saved_a.headers["X-Inson-Draft-Revision"] == "1"
        stale = await http.put(draft_url, params={"base_revision": 0}, json=half_b, headers=worker)
        assert stale.status_code == 409, stale.text
        clash = stale.json()
        assert clash["code"] == "draft.stale" and isinstance(clash["detail"], str)
        assert clash["current"]["draft"] == half_a and clash["submitted"] == half_b
        got = (await http.get(draft_url, headers=worker)).json()
        assert got["draft"] == half_a and got["revision"] == 1
        saved_b = await http.put(
            draft_url, params={"base_revision": 1}, json=half_b, headers=worker
        )
        assert saved_b.status_code == 204 and saved_b.headers["X-Inson-Draft-Revision"] == "2"
        late = await http.put(draft_url, params={"base_revision": 1}, json=half_a, headers=worker)
        assert late.status_code == 409
        assert (await http.get(draft_url, headers=worker)).json()["draft"] == half_b

        first = await http.post(
            f"{url}/assessment/complete",
            json={"situation": SITUATION, "base_version": file.version},
            headers=worker,
        )
        assert first.status_code == 200, first.text
        base = int(first.headers["X-Inson-Version"])

        # Both tablets go offline at `base`. Tablet A syncs first: housing worsened.
        a = await http.post(
            f"{url}/assessment/complete",
            json={"situation": changed(housing="unsafe"), "base_version": base},
            headers=worker,
        )
        assert a.status_code == 200, a.text
        assert "X-Inson-Merged-From" not in a.headers
        # Tablet B, same base, another answer: merged, A's answer kept.
        b = await http.post(
            f"{url}/assessment/complete",
            json={"situation": changed(resources_livestock=True), "base_version": base},
            headers=supervisor,
        )
        assert b.status_code == 200, b.text
        assert b.headers["X-Inson-Merged-From"] == str(base)
        now = await files.load(case_id)
        assert now.situation is not None
        assert now.situation.housing.value == "unsafe"
        assert now.situation.resources.livestock is True
        merged_version = now.version

        # Tablet B again from the old base, on the answer A changed: a conflict.
        c = await http.post(
            f"{url}/assessment/complete",
            json={"situation": changed(housing="overcrowded"), "base_version": base},
            headers=supervisor,
        )
        assert c.status_code == 409, c.text
        answer = c.json()
        assert answer["base_version"] == base and answer["current_version"] == merged_version
        assert answer["fields"] == [
            {
                "path": "housing",
                "base": "needs_repair",
                "current": "unsafe",
                "submitted": "overcrowded",
            }
        ]
        conflict_id = answer["conflict_id"]
        # Nothing was applied over A's answer.
        after = await files.load(case_id)
        assert after.situation is not None and after.situation.housing.value == "unsafe"
        assert list(after.conflicts) == [conflict_id]
        # The tablet's retry is the same conflict, not a second one.
        again = await http.post(
            f"{url}/assessment/complete",
            json={"situation": changed(housing="overcrowded"), "base_version": base},
            headers=supervisor,
        )
        assert again.status_code == 409 and again.json()["conflict_id"] == conflict_id
        assert list((await files.load(case_id)).conflicts) == [conflict_id]

        listed = await http.get(f"{url}/conflicts", headers=worker)
        assert listed.status_code == 200
        assert [c["conflict_id"] for c in listed.json()] == [conflict_id]
        assert listed.json()[0]["proposed_situation"]["housing"] == "overcrowded"
        assert listed.json()[0]["proposed_situation"]["resources"]["livestock"] is True

        # The supervisor finds the case among the area's case files with open conflicts.
        async def flagged(wanted: bool) -> dict[str, Any] | None:
            got = await http.get(
                "/v1/case-files",
                params={"has_conflicts": str(wanted).lower(), "page_size": 100},
                headers=supervisor,
            )
            assert got.status_code == 200, got.text
            return next((f for f in got.json()["items"] if f["case_id"] == case_id), None)

        async def is_flagged() -> bool:
            return await flagged(True) is not None

        await wait_for(is_flagged, timeout_s=30, what="the case file flagged with a conflict")
        flagged_file = await flagged(True)
        assert flagged_file is not None and flagged_file["open_conflicts"] == [conflict_id]

        # The supervisor takes the tablet's version: applied with the resolution, atomically.
        resolved = await http.post(
            f"{url}/conflicts/{conflict_id}/resolve",
            json={"resolution": "take_submitted"},
            headers=supervisor,
        )
        assert resolved.status_code == 204, resolved.text
        final = await files.load(case_id)
        assert final.conflicts == {}
        assert final.situation is not None and final.situation.housing.value == "overcrowded"
        twice = await http.post(
            f"{url}/conflicts/{conflict_id}/resolve",
            json={"resolution": "keep_current"},
            headers=supervisor,
        )
        assert twice.status_code == 404

        # Plan items: tablets changing different items merge; the same item conflicts.
        drafted = final.plan
        assert drafted is not None and len(drafted.items) >= 2
        items = [i.model_dump(mode="json") for i in drafted.items]
        plan_base = final.version
        first_item, second_item = items[0]["item_id"], items[1]["item_id"]
        edit_a = [{**items[0], "priority": "emergency"}, *items[1:]]
        edit_b = [items[0], {**items[1], "goal": "repair the roof"}, *items[2:]]
        ra = await http.put(
            f"{url}/plan/draft", json={"items": edit_a, "base_version": plan_base}, headers=worker
        )
        assert ra.status_code == 204, ra.text
        rb = await http.put(
            f"{url}/plan/draft", json={"items": edit_b, "base_version": plan_base}, headers=worker
        )
        assert rb.status_code == 204, rb.text
        plan = (await files.load(case_id)).plan
        assert plan is not None
        by_id = {i.item_id: i for i in plan.items}
        assert by_id[first_item].priority.value == "emergency"
        assert by_id[second_item].goal == "repair the roof"
        # Another field of the item A changed: items are compared whole.
        clash = [{**items[0], "goal": "first things first"}, *items[1:]]
        rc = await http.put(
            f"{url}/plan/draft", json={"items": clash, "base_version": plan_base}, headers=worker
        )
        assert rc.status_code == 409, rc.text
        assert [f["path"] for f in rc.json()["fields"]] == [f"items/{first_item}"]
        plan_after = (await files.load(case_id)).plan
        assert plan_after is not None and plan_after.items == plan.items
        kept = await http.post(
            f"{url}/conflicts/{rc.json()['conflict_id']}/resolve",
            json={"resolution": "keep_current"},
            headers=worker,
        )
        assert kept.status_code == 204, kept.text

        async def cleared() -> bool:
            return await flagged(False) is not None and await flagged(True) is None

        await wait_for(cleared, timeout_s=30, what="the case file without open conflicts")
        ahead = await http.put(
            f"{url}/plan/draft", json={"items": items, "base_version": 10_000}, headers=worker
        )
        assert ahead.status_code == 422 and "base_version" in ahead.text
        assert ahead.json()["code"] == "case_file.version_ahead"
        # An unknown case has no version to be ahead of: 404 before the version check.
        for command, body in (
            ("plan/draft", {"items": items, "base_version": 3}),
            ("assessment/complete", {"situation": SITUATION, "base_version": 3}),
        ):
            method = http.put if command == "plan/draft" else http.post
            unknown = await method(f"/v1/cases/no-such-case/{command}", json=body, headers=worker)
            assert unknown.status_code == 404, unknown.text
            assert unknown.json()["code"] == "case_file.not_found"

        # A merge may leave nothing: one tablet keeps only item A, the other
        # drops A from the same base. Each removal alone would merge, but a
        # plan needs an item: a conflict over the whole list, nothing applied
        # (and never the second tablet's list, reviving what the first removed).
        current = await files.load(case_id)
        assert current.plan is not None
        now_items = [i.model_dump(mode="json") for i in current.plan.items]
        only_a, without_a = now_items[:1], now_items[1:]
        kept_only_a = await http.put(
            f"{url}/plan/draft",
            json={"items": only_a, "base_version": current.version},
            headers=worker,
        )
        assert kept_only_a.status_code == 204, kept_only_a.text
        emptying = await http.put(
            f"{url}/plan/draft",
            json={"items": without_a, "base_version": current.version},
            headers=worker,
        )
        assert emptying.status_code == 409, emptying.text
        assert [f["path"] for f in emptying.json()["fields"]] == ["items"]
        left = (await files.load(case_id)).plan
        assert left is not None and [i.item_id for i in left.items] == [only_a[0]["item_id"]]

        # The conflicts and their resolutions are published like every decision.
        subject = f"assessment-{case_id}"

        async def on_kafka() -> dict[str, Any]:
            found = await read_envelopes(
                kafka_bootstrap,
                ASSESSMENT_PLANS.name,
                since=plans_start,
                match=lambda e: e.subject == subject,
            )
            # At-least-once: a commit may be sent twice (inline and by the sweep).
            return {e.id: e for e, _ in found}

        async def published() -> bool:
            return len(await on_kafka()) == (await files.load(case_id)).version

        await wait_for(published, timeout_s=30, what="the case's events on Kafka")
        found = [(e, None) for e in (await on_kafka()).values()]
        # By type: the personal fields travel sealed (crypto-shredding).
        kinds = [e.type for e, _ in found]
        # Two resolved above, and the emptying edit's, still open.
        assert kinds.count(EditConflicted.TYPE) == 3
        assert kinds.count(EditConflictResolved.TYPE) == 2
        assert kinds.count(AssessmentRecorded.TYPE) == 4 and PlanDrafted.TYPE in kinds


async def test_as_of_a_past_moment_gives_the_plan_and_score_of_that_moment(
    kafka_bootstrap: str, mongodb_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth = AuthSettings(dev_key_path=tmp_path / "key.pem")
    monkeypatch.setenv("INSON_AUTH_DEV_KEY_PATH", str(auth.dev_key_path))
    async with assessment_service(kafka_bootstrap, mongodb_url) as (files, policies, http):
        case_id = await open_case(policies)
        file = await files.load(case_id)
        worker = bearer(auth, "social_worker", file.worker_id or "")
        supervisor = bearer(auth, "supervisor", "sup-1")
        url = f"/v1/cases/{case_id}"

        async def as_of(at: datetime) -> httpx.Response:
            return await http.get(f"{url}/as-of", params={"at": at.isoformat()}, headers=supervisor)

        await asyncio.sleep(0.01)
        before_visit = datetime.now(UTC)
        completed = await http.post(
            f"{url}/assessment/complete", json={"situation": SITUATION}, headers=worker
        )
        assert completed.status_code == 200, completed.text
        scored = completed.json()
        approved = await http.post(f"{url}/plan/approve", headers=supervisor)
        assert approved.status_code == 204, approved.text
        await asyncio.sleep(0.01)
        decided = datetime.now(UTC)
        await asyncio.sleep(0.01)
        first_items = scored["plan_items"]
        assert len(first_items) >= 2
        revised = await http.post(
            f"{url}/plan/revise",
            json={"items": first_items[1:], "reason": "the family moved in with relatives"},
            headers=worker,
        )
        assert revised.status_code == 204, revised.text

        then = await as_of(decided)
        assert then.status_code == 200, then.text
        past = then.json()
        assert past["plan"]["version"] == 1 and past["plan"]["status"] == "approved"
        assert [i["item_id"] for i in past["plan"]["items"]] == [i["item_id"] for i in first_items]
        assert past["assessment"]["need_score"] == scored["need_score"]
        assert past["assessment"]["contributions"] == scored["contributions"]
        assert past["assessment"]["situation"]["housing"] == SITUATION["housing"]
        assert datetime.fromisoformat(past["last_event_at"]) <= decided

        today = (await as_of(datetime.now(UTC))).json()
        assert today["plan"]["version"] == 2
        assert [i["item_id"] for i in today["plan"]["items"]] == [
            i["item_id"] for i in first_items[1:]
        ]
        assert today["version"] == past["version"] + 1

        early = (await as_of(before_visit)).json()
        assert early["assessment"] is None and early["plan"] is None
        assert early["worker_id"] == file.worker_id

        assert (await as_of(datetime(2020, 1, 1, tzinfo=UTC))).status_code == 404
        naive = await http.get(
            f"{url}/as-of", params={"at": "2026-01-01T10:00:00"}, headers=supervisor
        )
        assert naive.status_code == 422
        elsewhere = mint_dev_token(
            sub="sup-2", role="supervisor", settings=auth, district="1703202"
        )
        outside = await http.get(
            f"{url}/as-of",
            params={"at": decided.isoformat()},
            headers={"Authorization": f"Bearer {elsewhere}"},
        )
        assert outside.status_code == 403
