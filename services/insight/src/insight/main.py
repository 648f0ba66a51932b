"""Composition root of the insight service: the only place that picks adapters.

KPIs for districts, regions and the ministry, folded from the facts its
projection keeps of every topic; a page and Prometheus gauges show them.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from fastapi import FastAPI
from inson_runtime.cli import service_cli
from inson_runtime.problems import install_refusals
from inson_runtime.service import Runtime, build_app, create_runtime

from insight.adapters.gauges import PrometheusGauges
from insight.api import coverage, indicators
from insight.api.errors import REFUSALS
from insight.api.problems import CATALOGUE
from insight.console import install as install_page
from insight.handlers.policies import GaugeRefresh
from insight.handlers.ports import Clock, utc_now
from insight.handlers.reports import Reports
from insight.projections.facts import ensure_indexes, insight_facts
from insight.projections.queries import InsightQueries
from insight.reference import load_reference
from insight.settings import Settings

DESCRIPTION = (
    "Figures of the reform per mahalla, district, region and week or month: applications, "
    "cases, the time from application to home visit, plan and completion, referrals and "
    "refusals, registers, messages and coverage, folded from every topic (and rebuilt from "
    "their start by replay). No personal data; small counts hidden outside the reader's "
    "own district."
)


def compose(settings: Settings, *, clock: Clock = utc_now) -> tuple[Runtime, FastAPI]:
    runtime = create_runtime(settings)
    runtime.add_projection(insight_facts)
    runtime.on_start.append(lambda: ensure_indexes(runtime.db))
    queries = InsightQueries(runtime.db)
    reference = load_reference()
    gauges = GaugeRefresh(queries, reference, PrometheusGauges(), clock=clock)
    runtime.every("gauges", settings.gauge_interval_s, gauges.refresh)

    app = build_app(
        runtime,
        title="Inson insight",
        description=DESCRIPTION,
        routers=[indicators.router, coverage.router],
    )
    install_refusals(app, CATALOGUE, REFUSALS)
    install_page(app)
    app.state.reports = Reports(queries, reference, clock=clock)
    return runtime, app


def create_app() -> FastAPI:
    """ASGI factory, for `uvicorn --factory insight.main:create_app`."""
    return compose(Settings())[1]


def cli(argv: Sequence[str] | None = None) -> int:
    return service_cli("inson-insight", Settings(), compose, argv)


if __name__ == "__main__":
    sys.exit(cli())
