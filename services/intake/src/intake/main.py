"""Composition root of the intake service: the only place that picks adapters.

Applications from tablets, windows, the portal and proactive identification become cases.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from fastapi import FastAPI
from inson_runtime.cli import service_cli
from inson_runtime.service import Runtime, build_app, create_runtime
from inson_runtime.settings import ServiceSettings

from intake.settings import Settings

DESCRIPTION = (
    "Applications from tablets, windows, the portal and proactive identification become cases."
)


def compose(settings: ServiceSettings) -> tuple[Runtime, FastAPI]:
    runtime = create_runtime(settings)
    app = build_app(
        runtime,
        title="Inson intake",
        description=DESCRIPTION,
    )
    return runtime, app


def create_app() -> FastAPI:
    """ASGI factory, for `uvicorn --factory intake.main:create_app`."""
    return compose(Settings())[1]


def cli(argv: Sequence[str] | None = None) -> int:
    return service_cli("inson-intake", Settings(), compose, argv)


if __name__ == "__main__":
    sys.exit(cli())
