"""Composition root of the intake service: the only place that picks adapters.

Applications from tablets, windows, the portal and proactive identification become cases.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from inson_contracts.events import PlanClosed, PlanCompleted
from inson_contracts.topics import ASSESSMENT_PLANS
from inson_runtime.cli import service_cli
from inson_runtime.service import Runtime, build_app, create_runtime

from intake.adapters.people import MongoPersonIndex
from intake.api import install_errors, routers
from intake.handlers.commands import Intake, case_repository
from intake.handlers.policies import Policies
from intake.handlers.reads import Reads
from intake.projections.access_log import access_log_view, ensure_access_log_indexes
from intake.projections.queries import IntakeQueries
from intake.projections.views import ensure_view_indexes, intake_views
from intake.settings import Settings

DESCRIPTION = (
    "Applications from tablets, windows, the portal and proactive identification become "
    "cases: validated, deduplicated per person, event-sourced and published."
)


def compose(settings: Settings) -> tuple[Runtime, FastAPI]:
    runtime = create_runtime(settings)
    cases = case_repository(runtime.journal)
    runtime.add_projection(intake_views)
    runtime.on_start.append(lambda: ensure_view_indexes(runtime.db))
    # Who looked at which case: the platform audit topic, read for supervisors.
    runtime.add_projection(access_log_view)
    runtime.on_start.append(lambda: ensure_access_log_indexes(runtime.db))
    # A case closes when its plan ends. Sealed: closing needs ids and times,
    # not the outcome or note the plan events carry.
    policies = Policies(cases)
    plans = runtime.consumer("policy.plans", ASSESSMENT_PLANS.name, open_personal=False)
    plans.on(PlanCompleted)(policies.plan_completed)
    plans.on(PlanClosed)(policies.plan_closed)
    app = build_app(runtime, title="Inson intake", description=DESCRIPTION, routers=routers)
    install_errors(app)
    if settings.cors_origin_list:
        # Outermost, so a preflight is answered before auth. Only the configured
        # origins (the tablet app's), and no cookies: the app sends a bearer token.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origin_list,
            allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "Content-Type", "Idempotency-Key", "Accept-Language"],
            expose_headers=["Location", "Content-Language", "Idempotent-Replayed"],
            max_age=600,
        )
    app.state.intake = Intake(cases, MongoPersonIndex(runtime.db), runtime.sealer.keys)
    app.state.queries = IntakeQueries(runtime.db)
    app.state.reads = Reads(app.state.queries, cases)
    return runtime, app


def create_app() -> FastAPI:
    """ASGI factory, for `uvicorn --factory intake.main:create_app`."""
    return compose(Settings())[1]


def cli(argv: Sequence[str] | None = None) -> int:
    return service_cli("inson-intake", Settings(), compose, argv)


if __name__ == "__main__":
    sys.exit(cli())
