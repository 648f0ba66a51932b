"""Composition root of the referral service: the only place that picks adapters.

Referrals routed to Social service windows, their lifecycle and deadlines.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import timedelta

from fastapi import FastAPI
from inson_contracts.codes.staff import supervisor_of
from inson_contracts.envelope import Envelope
from inson_contracts.events import Event, PlanApproved, PlanClosed, PlanRevised
from inson_contracts.topics import ASSESSMENT_PLANS
from inson_runtime.cli import service_cli
from inson_runtime.service import Runtime, build_app, create_runtime
from inson_runtime.settings import ServiceSettings

from referral.adapters.plans import PlanItems
from referral.api import board, routes
from referral.console import install as install_console
from referral.handlers.commands import Clock, Referrals, utc_now
from referral.handlers.deadlines import DeadlineWatch
from referral.handlers.plans import PlanInForce
from referral.projections.views import ensure_view_indexes, referral_views
from referral.reference.centers import service_centers
from referral.settings import Settings

DESCRIPTION = (
    "Plan items become referrals to the Social service window of the person's Public "
    "Services Center, or to another provider; window staff accept, start and complete them; "
    "referrals not accepted in time are escalated to the district's Inson center supervisor."
)


def compose(settings: ServiceSettings, *, clock: Clock = utc_now) -> tuple[Runtime, FastAPI]:
    config = settings if isinstance(settings, Settings) else Settings(**settings.model_dump())
    runtime = create_runtime(config)
    referrals = Referrals(
        runtime,
        PlanItems(runtime.db),
        clock=clock,
        expire_after=timedelta(days=config.expire_after_days),
    )
    watch = DeadlineWatch(runtime.db, referrals, batch=config.deadline_batch)
    runtime.add_projection(referral_views)
    runtime.on_start.append(lambda: ensure_view_indexes(runtime.db))

    async def check_directory() -> None:
        # A bad replacement directory stops the start, not the first plan;
        # so does a district whose overdue referrals would reach no supervisor.
        for center in service_centers():
            supervisor_of(center.district)

    runtime.on_start.append(check_directory)
    # A periodic job of the runtime: started with it, cancelled by its stop().
    runtime.every("deadlines", config.deadline_interval_s, watch.sweep)

    plans = runtime.consumer("policy.plans", ASSESSMENT_PLANS.name)

    @plans.on(PlanApproved, PlanRevised)
    async def in_force(event: Event, envelope: Envelope) -> None:
        assert isinstance(event, PlanApproved | PlanRevised)
        await referrals.on_plan_in_force(PlanInForce.of(event), envelope)

    @plans.on(PlanClosed)
    async def closed(event: Event, envelope: Envelope) -> None:
        assert isinstance(event, PlanClosed)
        await referrals.on_plan_closed(event, envelope)

    app = build_app(
        runtime,
        title="Inson referral",
        description=DESCRIPTION,
        routers=[routes.router, board.router],
    )
    board.install_referral_errors(app)
    install_console(app)
    app.state.referrals = referrals
    app.state.deadlines = watch
    return runtime, app


def create_app() -> FastAPI:
    """ASGI factory, for `uvicorn --factory referral.main:create_app`."""
    return compose(Settings())[1]


def cli(argv: Sequence[str] | None = None) -> int:
    return service_cli("inson-referral", Settings(), compose, argv)


if __name__ == "__main__":
    sys.exit(cli())
