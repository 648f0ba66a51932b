"""Composition root of the assessment service: the only place that picks adapters.

Worker assignment, home-visit assessment, eligibility and the individual social services plan.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from fastapi import FastAPI
from inson_runtime.cli import service_cli
from inson_runtime.service import Runtime, build_app, create_runtime
from inson_runtime.settings import ServiceSettings

from assessment.settings import Settings

DESCRIPTION = (
    "Worker assignment, home-visit assessment, eligibility and the individual social services plan."
)


def compose(settings: ServiceSettings) -> tuple[Runtime, FastAPI]:
    runtime = create_runtime(settings)
    app = build_app(
        runtime,
        title="Inson assessment",
        description=DESCRIPTION,
    )
    return runtime, app


def create_app() -> FastAPI:
    """ASGI factory, for `uvicorn --factory assessment.main:create_app`."""
    return compose(Settings())[1]


def cli(argv: Sequence[str] | None = None) -> int:
    return service_cli("inson-assessment", Settings(), compose, argv)


if __name__ == "__main__":
    sys.exit(cli())
