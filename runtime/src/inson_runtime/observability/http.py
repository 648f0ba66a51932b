"""HTTP side of observability: /metrics, /healthz, /readyz and a request middleware."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Final

from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from inson_runtime.observability.logging import get_logger, log_context, new_correlation_id
from inson_runtime.observability.metrics import HTTP_REQUEST_SECONDS, HTTP_REQUESTS

__all__ = [
    "CORRELATION_HEADER",
    "CORRELATION_SCOPE_KEY",
    "ObservabilityMiddleware",
    "ReadinessCheck",
    "RequestLedger",
    "install_observability",
    "observability_router",
]

ReadinessCheck = Callable[[], Awaitable[bool]]

CORRELATION_HEADER: Final = "X-Correlation-ID"
_CORRELATION_HEADER_RAW: Final = CORRELATION_HEADER.lower().encode("latin-1")
# Where the request's correlation id is kept for those outside its log context:
# the answer to an unexpected error is made by Starlette's outermost middleware.
CORRELATION_SCOPE_KEY: Final = "inson.correlation_id"
# The header is client input that ends up in every log line and in events: accept only
# id-like values, anything else gets a fresh id.
_VALID_CORRELATION_ID: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:\-]{0,127}")
_METHODS: Final = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
# Raw paths of unmatched requests (scanners, typos) would make label values unbounded.
_UNMATCHED_ROUTE: Final = "<unmatched>"

_log = get_logger(__name__)


def _correlation_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == _CORRELATION_HEADER_RAW:
            candidate: str = value.decode("latin-1").strip()
            if _VALID_CORRELATION_ID.fullmatch(candidate):
                return candidate
            break
    return new_correlation_id()


def _route_template(scope: Scope) -> str:
    # The router stores the matched route in the (shared, mutated) scope.
    route = scope.get("route")
    template = getattr(route, "path_format", None) or getattr(route, "path", None)
    if not isinstance(template, str):
        return _UNMATCHED_ROUTE
    return f"{scope.get('root_path', '')}{template}"


@dataclass
class RequestLedger:
    """Requests this process has read, by how they ended.

    Read at shutdown: uvicorn stops listening, closes idle keep-alive
    connections and waits for the requests it has read, cancelling those still
    running when its graceful timeout ends. ``in_flight + cut_off`` at that
    point is what a SIGTERM left unanswered. A client may also see an idle
    connection close just as it sends on it; that request was never read, is
    not counted here, and is safe to send again (see ARCHITECTURE.md).
    """

    in_flight: int = 0
    answered: int = 0
    cut_off: int = 0  # cancelled before the last byte of the answer was sent

    @property
    def unanswered(self) -> int:
        return self.in_flight + self.cut_off


class ObservabilityMiddleware:
    """Pure ASGI: binds the correlation id for the request, records request metrics and
    keeps the ledger of requests read and answered."""

    def __init__(self, app: ASGIApp, service: str, ledger: RequestLedger | None = None) -> None:
        self.app = app
        self.service = service
        self.ledger = ledger or RequestLedger()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        correlation_id = _correlation_id(scope)
        scope[CORRELATION_SCOPE_KEY] = correlation_id
        method = scope["method"] if scope["method"] in _METHODS else "OTHER"
        # An exception escaping the app becomes a 500 in Starlette's outermost middleware.
        status = 500
        answered = False

        async def send_with_header(message: Message) -> None:
            nonlocal status, answered
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message).append(CORRELATION_HEADER, correlation_id)
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                answered = True

        started = time.perf_counter()
        ledger = self.ledger
        ledger.in_flight += 1
        try:
            with log_context(correlation_id=correlation_id):
                await self.app(scope, receive, send_with_header)
        except asyncio.CancelledError:
            if not answered:
                ledger.cut_off += 1
            raise
        finally:
            ledger.in_flight -= 1
            if answered:
                ledger.answered += 1
            elapsed = time.perf_counter() - started
            route = _route_template(scope)
            HTTP_REQUESTS.labels(self.service, method, route, str(status)).inc()
            HTTP_REQUEST_SECONDS.labels(self.service, method, route).observe(elapsed)


async def _run_check(check: ReadinessCheck, seconds: float) -> str:
    # Shielded: a check that overruns is left to end by its own driver
    # timeout rather than cancelled inside the driver, whose connection pool
    # may not survive a cancellation mid-checkout.
    running = asyncio.ensure_future(check())
    running.add_done_callback(_consume_outcome)
    try:
        passed = await asyncio.wait_for(asyncio.shield(running), seconds)
    except TimeoutError:
        return "timeout"
    except Exception as exc:  # a broken check means "not ready", not a 500
        _log.warning("readiness_check_error", error=type(exc).__name__, exc_info=exc)
        return "error"
    return "ok" if passed is True else "failing"


def _consume_outcome(task: asyncio.Future[bool]) -> None:
    # An overrun check's late result or error is not wanted; reading it keeps
    # asyncio from reporting it as never retrieved.
    if not task.cancelled():
        task.exception()


def observability_router(
    service: str,
    readiness_checks: Mapping[str, ReadinessCheck] | None = None,
    *,
    readiness_timeout: float = 2.0,
) -> APIRouter:
    """Routes for Prometheus and the orchestrator's probes.

    `readiness_checks` is read on every probe, so checks added to the mapping later (e.g.
    in a lifespan, once the Mongo client exists) take part.
    """
    checks: Mapping[str, ReadinessCheck] = {} if readiness_checks is None else readiness_checks
    router = APIRouter(include_in_schema=False)

    @router.get("/metrics")
    def metrics() -> Response:
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        # Answering at all proves the event loop runs; dependencies belong to /readyz, or a
        # Mongo outage would make the orchestrator restart every replica at once.
        return {"status": "ok", "service": service}

    @router.get("/readyz")
    async def readyz() -> JSONResponse:
        names = list(checks)
        results = await asyncio.gather(*(_run_check(checks[n], readiness_timeout) for n in names))
        outcome = dict(zip(names, results, strict=True))
        failing = [name for name, result in outcome.items() if result != "ok"]
        if failing:
            _log.warning("not_ready", failing=failing, checks=outcome)
            body = {"status": "not_ready", "service": service, "checks": outcome}
            return JSONResponse({**body, "failing": failing}, status_code=503)
        return JSONResponse({"status": "ready", "service": service, "checks": outcome})

    return router


def install_observability(
    app: FastAPI,
    service: str,
    readiness_checks: Mapping[str, ReadinessCheck] | None = None,
    *,
    readiness_timeout: float = 2.0,
) -> RequestLedger:
    """Add the probe and metrics routes and the request middleware; call before startup.

    The middleware's ledger is returned and kept as ``app.state.http_requests``."""
    app.include_router(
        observability_router(service, readiness_checks, readiness_timeout=readiness_timeout)
    )
    ledger = RequestLedger()
    app.state.http_requests = ledger
    app.add_middleware(ObservabilityMiddleware, service=service, ledger=ledger)
    return ledger
