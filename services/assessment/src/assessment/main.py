"""Composition root of the assessment service: the only place that picks adapters.

Worker assignment, home-visit assessment, eligibility and the individual social services plan.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from fastapi import FastAPI
from inson_contracts.envelope import Envelope
from inson_contracts.events import CaseOpened, Event, ReferralCompleted, ReferralIssued
from inson_contracts.topics import INTAKE_CASES, REFERRALS
from inson_runtime.cli import service_cli
from inson_runtime.service import Runtime, build_app, create_runtime
from inson_runtime.settings import ServiceSettings

from assessment.adapters.caseload import Caseloads
from assessment.api.routes import install_conflict_answer, router
from assessment.domain.case_file import decide_item_completed
from assessment.handlers.commands import Assessments
from assessment.projections.views import (
    REFERRAL_ITEMS,
    case_facts_view,
    case_files_view,
    ensure_view_indexes,
    remember_referral,
)
from assessment.settings import Settings

DESCRIPTION = (
    "Worker assignment, the home-visit assessment with a transparent need score, "
    "eligibility over the service catalogue, and the individual social services plan."
)


def compose(settings: ServiceSettings) -> tuple[Runtime, FastAPI]:
    runtime = create_runtime(settings)
    assessments = Assessments(runtime, Caseloads(runtime.db))
    runtime.add_projection(case_files_view)
    runtime.add_projection(case_facts_view)
    runtime.on_start.append(lambda: ensure_view_indexes(runtime.db))

    cases = runtime.consumer("policy.cases", INTAKE_CASES.name)

    @cases.on(CaseOpened)
    async def assign(event: Event, envelope: Envelope) -> None:
        assert isinstance(event, CaseOpened)
        await assessments.on_case_opened(event, envelope.id)

    referrals = runtime.consumer("policy.referrals", REFERRALS.name)

    @referrals.on(ReferralIssued)
    async def issued(event: Event, envelope: Envelope) -> None:
        assert isinstance(event, ReferralIssued)
        await remember_referral(runtime.db, event)

    @referrals.on(ReferralCompleted)
    async def completed(event: Event, envelope: Envelope) -> None:
        # Issued and completed share the referral's stream and partition, so
        # the item is known by now.
        assert isinstance(event, ReferralCompleted)
        link = await runtime.db[REFERRAL_ITEMS].find_one({"_id": event.referral_id})
        if link is None:
            return
        file = await assessments.load(event.case_id)
        done = decide_item_completed(file, link["item_id"], event.referral_id, event.completed_at)
        await assessments.record(
            file, done, commit_id=f"item-done:{envelope.id}", cause=envelope.id
        )

    async def expire_housing() -> None:
        await assessments.expire_housing()

    interval = getattr(settings, "housing_expiry_interval_s", 60.0)
    runtime.every("housing-expiry", interval, expire_housing)

    app = build_app(runtime, title="Inson assessment", description=DESCRIPTION, routers=[router])
    app.state.assessments = assessments
    install_conflict_answer(app)
    return runtime, app


def create_app() -> FastAPI:
    """ASGI factory, for `uvicorn --factory assessment.main:create_app`."""
    return compose(Settings())[1]


def cli(argv: Sequence[str] | None = None) -> int:
    return service_cli("inson-assessment", Settings(), compose, argv)


if __name__ == "__main__":
    sys.exit(cli())
