"""Composition root of the referral service: the only place that picks adapters.

Referrals routed to Social service windows and the other providers, their
lifecycle and deadlines, and the person each is for (kept sealed).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import timedelta

from fastapi import FastAPI
from inson_contracts.events import (
    ApplicationSubmitted,
    CaseOpened,
    PersonErased,
    PlanApproved,
    PlanClosed,
    PlanRevised,
)
from inson_contracts.topics import ASSESSMENT_PLANS, INTAKE_CASES
from inson_runtime.cli import service_cli
from inson_runtime.repository import Repository
from inson_runtime.service import Runtime, build_app, create_runtime

from referral.adapters.applicants import Applicants
from referral.adapters.plans import PlanItems
from referral.api import as_of, board, person, queue, referrals
from referral.api.deps import install_referral_errors
from referral.console import install as install_console
from referral.domain.referral import replay
from referral.handlers.commands import Referrals
from referral.handlers.people import PersonPolicies
from referral.handlers.policies import ReferralPolicies
from referral.handlers.ports import Clock, utc_now
from referral.projections.queries import ReferralQueries
from referral.projections.views import backfill_codes, ensure_view_indexes, referral_views
from referral.settings import Settings

DESCRIPTION = (
    "Plan items become referrals to the Social service window of the person's Public "
    "Services Center, or to another provider of the directory (an Inson center, a health "
    "facility, a mahalla, ...); window and provider staff accept, start and complete them, "
    "and see whom each is for; referrals not accepted in time are escalated to the "
    "district's Inson center supervisor."
)


def compose(settings: Settings, *, clock: Clock = utc_now) -> tuple[Runtime, FastAPI]:
    runtime = create_runtime(settings)
    repository = Repository(
        runtime.journal, source="inson/referral", stream_prefix="referral", replay=replay
    )
    plans = PlanItems(runtime.db)
    applicants = Applicants(runtime.db)
    queries = ReferralQueries(runtime.db, clock=clock)
    policies = ReferralPolicies(
        repository,
        plans,
        windows=queries,
        deadlines=queries,
        clock=clock,
        expire_after=timedelta(days=settings.expire_after_days),
        batch=settings.deadline_batch,
        window_counts_max_age=timedelta(seconds=settings.window_counts_max_age_s),
    )
    runtime.add_projection(referral_views)
    runtime.on_start.append(lambda: ensure_view_indexes(runtime.db))
    runtime.on_start.append(lambda: backfill_codes(runtime.db))
    runtime.on_start.append(plans.ensure_indexes)
    runtime.on_start.append(applicants.ensure_indexes)
    runtime.on_start.append(policies.check_directory)

    plan_events = runtime.consumer("policy.plans", ASSESSMENT_PLANS.name)
    plan_events.on(PlanApproved, PlanRevised)(policies.on_plan_in_force)
    plan_events.on(PlanClosed)(policies.on_plan_closed)
    # Kept sealed: opened only when a provider reads the person, audited.
    people = PersonPolicies(applicants)
    intake_events = runtime.consumer("policy.people", INTAKE_CASES.name, open_personal=False)
    intake_events.on(ApplicationSubmitted)(people.on_application_submitted)
    intake_events.on(CaseOpened)(people.on_case_opened)
    intake_events.on(PersonErased)(people.on_person_erased)
    # A periodic job of the runtime: started with it, cancelled by its stop().
    runtime.every("deadlines", settings.deadline_interval_s, policies.sweep_deadlines)

    app = build_app(
        runtime,
        title="Inson referral",
        description=DESCRIPTION,
        routers=[queue.router, referrals.router, person.router, as_of.router, board.router],
    )
    install_referral_errors(app)
    install_console(app)
    app.state.referrals = Referrals(
        repository, plans, applicants=applicants, personal=runtime.sealer, clock=clock
    )
    app.state.queries = queries
    app.state.policies = policies
    return runtime, app


def create_app() -> FastAPI:
    """ASGI factory, for `uvicorn --factory referral.main:create_app`."""
    return compose(Settings())[1]


def cli(argv: Sequence[str] | None = None) -> int:
    return service_cli("inson-referral", Settings(), compose, argv)


if __name__ == "__main__":
    sys.exit(cli())
