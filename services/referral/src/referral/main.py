"""Composition root of the referral service: the only place that picks adapters.

Referrals routed to Social service windows, their lifecycle and deadlines.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from fastapi import FastAPI
from inson_runtime.cli import service_cli
from inson_runtime.service import Runtime, build_app, create_runtime
from inson_runtime.settings import ServiceSettings

from referral.settings import Settings

DESCRIPTION = "Referrals routed to Social service windows, their lifecycle and deadlines."


def compose(settings: ServiceSettings) -> tuple[Runtime, FastAPI]:
    runtime = create_runtime(settings)
    app = build_app(
        runtime,
        title="Inson referral",
        description=DESCRIPTION,
    )
    return runtime, app


def create_app() -> FastAPI:
    """ASGI factory, for `uvicorn --factory referral.main:create_app`."""
    return compose(Settings())[1]


def cli(argv: Sequence[str] | None = None) -> int:
    return service_cli("inson-referral", Settings(), compose, argv)


if __name__ == "__main__":
    sys.exit(cli())
