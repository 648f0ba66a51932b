"""Composition root of the intake service: the only place that picks adapters.

Applications from tablets, windows, the portal and proactive identification become cases.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from fastapi import FastAPI
from inson_runtime.cli import service_cli
from inson_runtime.service import Runtime, build_app, create_runtime

from intake.adapters.people import MongoPersonIndex
from intake.api import install_errors, routers
from intake.handlers.commands import Intake, case_repository
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
    runtime.add_projection(intake_views)
    runtime.on_start.append(lambda: ensure_view_indexes(runtime.db))
    # Who looked at which case: the platform audit topic, read for supervisors.
    runtime.add_projection(access_log_view)
    runtime.on_start.append(lambda: ensure_access_log_indexes(runtime.db))
    # No policies: intake reacts to no other service's event (handlers/policies.py).
    app = build_app(runtime, title="Inson intake", description=DESCRIPTION, routers=routers)
    install_errors(app)
    app.state.intake = Intake(
        case_repository(runtime.journal), MongoPersonIndex(runtime.db), runtime.sealer.keys
    )
    app.state.queries = IntakeQueries(runtime.db)
    return runtime, app


def create_app() -> FastAPI:
    """ASGI factory, for `uvicorn --factory intake.main:create_app`."""
    return compose(Settings())[1]


def cli(argv: Sequence[str] | None = None) -> int:
    return service_cli("inson-intake", Settings(), compose, argv)


if __name__ == "__main__":
    sys.exit(cli())
