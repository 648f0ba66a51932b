"""Observability: masking of personal data, structured logs, metrics and probe endpoints."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import logging
import re
import sys
import time
from collections.abc import Iterator, MutableMapping
from typing import Any

import httpx
import pytest
import structlog
from fastapi import FastAPI
from inson_runtime.observability import (
    ServiceMetrics,
    bind_log_ids,
    configure_logging,
    current_correlation_id,
    get_logger,
    get_or_create,
    install_observability,
    log_context,
    mask_personal_data,
    mask_text,
    register_personal_keys,
    route_stdlib_loggers,
    unbind_log_ids,
)
from inson_runtime.observability import metrics as metrics_module
from inson_runtime.observability.masking import set_fingerprints
from prometheus_client import REGISTRY, Counter, Histogram

PINFL = "31502904560027"
OTHER_PINFL = "41203785410019"
PHONE = "+998 90 123 45 67"
EMAIL = "dilnoza.karimova@mail.uz"
MARKER = re.compile(r"\*\*\*(#[0-9a-f]{8})?")


def _mask(event: MutableMapping[str, Any]) -> dict[str, Any]:
    return dict(mask_personal_data(None, "info", event))


def _json_lines(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.fixture
def logging_state() -> Iterator[None]:
    """configure_logging changes process-wide state; give it back to the other tests."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    structlog_config = structlog.get_config()
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    structlog.reset_defaults()
    structlog.configure(**structlog_config)
    structlog.contextvars.clear_contextvars()
    set_fingerprints(True)


# --- masking processor -------------------------------------------------------------------


def test_masks_personal_keys_at_any_depth_and_case() -> None:
    event = {
        "event": "application_received",
        "event_id": "0b7c3f6e9a2d4c1e8f5a6b7c8d9e0f1a",
        "topic": "inson.intake.applications.v1",
        "attempt": 3,
        "applicant": {
            "PINFL": PINFL,
            "firstName": "Dilnoza",
            "last_name": "Karimova",
            "birth_date": "1987-04-12",
            "address": {"region": "Samarqand", "street": "Registon ko'chasi", "house": "14"},
            "disability_group": 2,
            "household": [{"name": "Aziz", "income": 1_200_000}],
        },
        "guardian_phone_number": "901234567",
        "topic_name": "intake",
    }

    masked = _mask(event)

    applicant = masked["applicant"]
    for key in ("PINFL", "firstName", "last_name", "birth_date", "disability_group"):
        assert MARKER.fullmatch(applicant[key]), key
    assert applicant["address"] == "***"
    assert applicant["household"] == [{"name": "***", "income": "***"}]
    assert MARKER.fullmatch(masked["guardian_phone_number"])
    rendered = json.dumps(masked)
    for secret in (
        PINFL,
        "Dilnoza",
        "Karimova",
        "1987",
        "Registon",
        "Aziz",
        "1200000",
        "901234567",
    ):
        assert secret not in rendered
    # Non-personal fields stay as they were, including look-alike key names.
    for key in ("event", "event_id", "topic", "attempt", "topic_name"):
        assert masked[key] == event[key]


def test_masks_patterns_inside_free_strings() -> None:
    masked = _mask(
        {
            "event": f"citizen {PINFL} called from {PHONE}, wrote from {EMAIL}",
            "detail": "numbers 998901234567 and 90-123-45-67, passport AB 1234567",
            "url": f"/api/citizens/{PINFL}?name=Dilnoza&page=2",
            "tags": ["ok", f"pinfl:{OTHER_PINFL}"],
            "count": 31502904560027,
        }
    )

    rendered = json.dumps(masked)
    for secret in (PINFL, OTHER_PINFL, "123 45 67", "998901234567", "123-45-67", EMAIL, "1234567"):
        assert secret not in rendered
    assert "Dilnoza" not in rendered
    assert masked["url"].startswith("/api/citizens/***#")
    assert masked["url"].endswith("&page=2")
    assert masked["event"].startswith("citizen ***#")
    assert MARKER.fullmatch(masked["count"])


def test_leaves_ids_timestamps_and_durations_alone() -> None:
    event = {
        "event": "handled in 0.123456789 s at offset 1712345678123",
        "timestamp": "2025-03-14T09:26:53.589793Z",
        "correlation_id": "9f86d081884c7d659a2feaa0c55ad015",
        "causation_id": "550e8400-e29b-41d4-a716-446655440000",
        "broker": "10.20.30.40:9092",
        "elapsed": 0.25,
    }
    assert _mask(event) == event


def test_fingerprint_correlates_identifiers_without_revealing_them() -> None:
    first = mask_text(f"pinfl {PINFL}")
    again = mask_text(f"pinfl={PINFL}")
    other = mask_text(f"pinfl {OTHER_PINFL}")

    assert first.split()[-1] == again.split("=")[-1]
    assert first != other
    assert PINFL not in first
    # The same phone written differently gets the same fingerprint.
    assert mask_text("+998 90 123 45 67") == mask_text("901234567")
    # Low-entropy values get no fingerprint, which would reveal them by comparison.
    assert _mask({"disability": True, "first_name": "Aziz"}) == {
        "disability": "***",
        "first_name": "***",
    }


def test_fingerprints_can_be_switched_off(logging_state: None) -> None:
    set_fingerprints(False)
    assert mask_text(f"citizen {PINFL}") == "citizen ***"


def test_masks_exception_text_after_format_exc_info() -> None:
    try:
        raise ValueError(f"duplicate citizen {PINFL}, phone {PHONE}, mail {EMAIL}")
    except ValueError as exc:
        event = structlog.processors.format_exc_info(None, "error", {"event": "x", "exc_info": exc})

    assert PINFL in event["exception"]  # the raw traceback text does carry it
    masked = _mask(event)
    assert "ValueError: duplicate citizen ***#" in masked["exception"]
    for secret in (PINFL, "123 45 67", EMAIL):
        assert secret not in masked["exception"]


def test_registered_keys_are_masked() -> None:
    assert _mask({"mahalla_committee_member": "Olim"})["mahalla_committee_member"] == "Olim"
    register_personal_keys("mahallaCommitteeMember")
    assert _mask({"mahalla_committee_member": "Olim"})["mahalla_committee_member"] == "***"
    assert mask_text("mahalla_committee_member='Olim'") == "mahalla_committee_member='***'"


# --- configured logging ------------------------------------------------------------------


def test_stdlib_logger_lines_are_json_and_masked(
    logging_state: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("intake", level="INFO")  # not a TTY under capsys: JSON
    library = logging.getLogger("aiokafka.consumer")

    with log_context(correlation_id="corr-1", event_type="ApplicationSubmitted"):
        library.info("fetched record for %s, phone %s", PINFL, PHONE, extra={"first_name": "Aziz"})
        try:
            raise RuntimeError(f"cannot notify {EMAIL}")
        except RuntimeError:
            library.exception("delivery failed")
    library.debug("below the level: %s", PINFL)
    library.warning("after the block")

    out = capsys.readouterr().out
    for secret in (PINFL, "123 45 67", "Aziz", EMAIL):
        assert secret not in out
    first, second, third = _json_lines(out)
    assert first["event"].startswith("fetched record for ***#")
    assert first["first_name"] == "***"
    assert first["level"] == "info"
    assert first["logger"] == "aiokafka.consumer"
    assert first["service"] == "intake"
    assert first["correlation_id"] == "corr-1"
    assert first["event_type"] == "ApplicationSubmitted"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z", first["timestamp"])
    assert second["level"] == "error"
    assert "RuntimeError: cannot notify ***#" in second["exception"]
    assert "correlation_id" not in third


def test_structlog_lines_are_masked_and_carry_ids(
    logging_state: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("referral", level="DEBUG", json=True)
    log = get_logger("inson.referral")

    bind_log_ids(correlation_id="c-1", causation_id="e-0", event_id="e-1")
    log.info("referral_created", citizen={"pinfl": PINFL, "diagnosis": "F20"}, district="Chilonzor")
    try:
        empty: dict[str, str] = {}
        empty["missing"]
    except KeyError:
        log.exception("lookup failed for %s", PINFL)
    unbind_log_ids()
    log.info("after")

    lines = _json_lines(capsys.readouterr().out)
    assert PINFL not in json.dumps(lines)
    assert lines[0]["citizen"] == {"pinfl": lines[0]["citizen"]["pinfl"], "diagnosis": "***"}
    assert lines[0]["citizen"]["pinfl"].startswith("***#")
    assert lines[0]["district"] == "Chilonzor"
    assert (lines[0]["correlation_id"], lines[0]["causation_id"]) == ("c-1", "e-0")
    assert lines[1]["event"].startswith("lookup failed for ***#")
    assert "KeyError: 'missing'" in lines[1]["exception"]
    assert "correlation_id" not in lines[2]
    assert lines[2]["service"] == "referral"


def test_console_renderer_is_masked_too(
    logging_state: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("notification", json=False)
    logging.getLogger("pymongo.topology").warning("server for %s at %s", PINFL, EMAIL)

    out = capsys.readouterr().out
    assert "server for ***#" in out
    assert PINFL not in out
    assert EMAIL not in out
    assert not out.lstrip().startswith("{")


def test_library_logger_with_own_handler_is_routed(
    logging_state: None, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("intake", json=True)
    broker_logger = logging.getLogger("faststream.access.kafka.test")
    broker_logger.addHandler(logging.StreamHandler())
    broker_logger.propagate = False
    route_stdlib_loggers("faststream.access.kafka.test")

    broker_logger.info("received message for %s", PINFL)

    (line,) = _json_lines(capsys.readouterr().out)
    assert line["event"].startswith("received message for ***#")
    assert broker_logger.handlers == []


def test_log_context_nests_and_restores() -> None:
    assert current_correlation_id() is None
    with log_context(correlation_id="outer", event_id="e-1"):
        with log_context(correlation_id="inner", causation_id=None):
            assert current_correlation_id() == "inner"
            assert structlog.contextvars.get_contextvars()["event_id"] == "e-1"
        assert current_correlation_id() == "outer"
    assert structlog.contextvars.get_contextvars() == {}


def test_configure_logging_rejects_unknown_level(logging_state: None) -> None:
    with pytest.raises(ValueError, match="unknown log level"):
        configure_logging("intake", level="LOUD")


# --- metrics ----------------------------------------------------------------------------


def test_metrics_module_can_be_imported_twice() -> None:
    spec = importlib.util.spec_from_file_location("inson_metrics_copy", metrics_module.__file__)
    assert spec is not None
    assert spec.loader is not None
    copy = importlib.util.module_from_spec(spec)
    # A second import under another name, as pytest's importlib mode or `python -m` cause.
    sys.modules[spec.name] = copy
    try:
        spec.loader.exec_module(copy)
    finally:
        del sys.modules[spec.name]

    assert copy.EVENTS_CONSUMED is metrics_module.EVENTS_CONSUMED
    assert copy.HANDLER_SECONDS is metrics_module.HANDLER_SECONDS
    with pytest.raises(TypeError):
        get_or_create(Histogram, "inson_events_consumed_total", "x", ("service",))
    assert (
        get_or_create(Counter, "inson_dead_letters_total", "x", ()) is metrics_module.DEAD_LETTERS
    )


def test_service_metrics_record_with_service_label() -> None:
    metrics = ServiceMetrics("assessment")
    labels = {"service": "assessment", "topic": "t.v1", "event_type": "Assessed"}

    def sample(name: str, **extra: str) -> float:
        return REGISTRY.get_sample_value(name, {**labels, **extra}) or 0.0

    before = sample("inson_events_consumed_total", outcome="duplicate")
    metrics.consumed("t.v1", "Assessed", "duplicate")
    with metrics.handler_timer("t.v1", "Assessed"):
        time.sleep(0.002)
    metrics.consumer_lag("assessment-g", "t.v1", 0, 7)
    metrics.outbox_pending(3)

    assert sample("inson_events_consumed_total", outcome="duplicate") == before + 1
    assert sample("inson_handler_seconds_count") >= 1
    assert sample("inson_handler_seconds_bucket", le="0.001") < sample(
        "inson_handler_seconds_bucket", le="10.0"
    )
    lag_labels = {"service": "assessment", "group": "assessment-g", "topic": "t.v1"}
    assert REGISTRY.get_sample_value("inson_consumer_lag", {**lag_labels, "partition": "0"}) == 7
    assert REGISTRY.get_sample_value("inson_outbox_pending", {"service": "assessment"}) == 3
    with pytest.raises(ValueError, match="outcome"):
        metrics.consumed("t.v1", "Assessed", "exploded")  # type: ignore[arg-type]


# --- HTTP -------------------------------------------------------------------------------


def _app(checks: dict[str, Any] | None = None, timeout: float = 2.0) -> FastAPI:
    app = FastAPI()

    @app.get("/citizens/{pinfl}")
    async def citizen(pinfl: str) -> dict[str, str | None]:
        return {"correlation_id": current_correlation_id()}

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("boom")

    install_observability(app, "intake", checks, readiness_timeout=timeout)
    return app


def _client(app: FastAPI) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    return httpx.AsyncClient(transport=transport, base_url="http://intake")


async def _ok() -> bool:
    return True


async def _down() -> bool:
    return False


async def _hangs() -> bool:
    await asyncio.sleep(30)
    return True


async def _raises() -> bool:
    raise ConnectionError(f"mongo down while reading {PINFL}")


async def test_metrics_endpoint_exposes_all_metric_names() -> None:
    async with _client(_app()) as client:
        response = await client.get("/metrics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    for name, kind in (
        ("inson_events_consumed_total", "counter"),
        ("inson_events_published_total", "counter"),
        ("inson_handler_seconds", "histogram"),
        ("inson_consumer_lag", "gauge"),
        ("inson_dead_letters_total", "counter"),
        ("inson_outbox_pending", "gauge"),
        ("inson_http_requests_total", "counter"),
        ("inson_http_request_seconds", "histogram"),
    ):
        assert f"# TYPE {name} {kind}" in response.text


async def test_request_metrics_use_route_template_not_raw_path() -> None:
    labels = {"service": "intake", "method": "GET", "route": "/citizens/{pinfl}", "status": "200"}
    before = REGISTRY.get_sample_value("inson_http_requests_total", labels) or 0.0

    async with _client(_app()) as client:
        await client.get(f"/citizens/{PINFL}")
        await client.get(f"/citizens/{OTHER_PINFL}")
        await client.get(f"/nothing/here/{PINFL}")
        assert (await client.get("/boom")).status_code == 500
        exposition = (await client.get("/metrics")).text

    assert REGISTRY.get_sample_value("inson_http_requests_total", labels) == before + 2
    unmatched = {**labels, "route": "<unmatched>", "status": "404"}
    assert (REGISTRY.get_sample_value("inson_http_requests_total", unmatched) or 0) >= 1
    failed = {**labels, "route": "/boom", "status": "500"}
    assert (REGISTRY.get_sample_value("inson_http_requests_total", failed) or 0) >= 1
    assert PINFL not in exposition
    assert 'route="/citizens/{pinfl}"' in exposition


async def test_healthz_is_always_ok() -> None:
    async with _client(_app({"mongo": _down})) as client:
        response = await client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "service": "intake"}


async def test_readyz_200_when_all_checks_pass() -> None:
    async with _client(_app({"mongo": _ok, "kafka": _ok})) as client:
        response = await client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "service": "intake",
        "checks": {"mongo": "ok", "kafka": "ok"},
    }


async def test_readyz_503_names_failing_raising_and_timed_out_checks() -> None:
    checks = {"mongo": _ok, "kafka": _down, "outbox": _hangs, "jwks": _raises}
    started = time.perf_counter()
    async with _client(_app(checks, timeout=0.2)) as client:
        response = await client.get("/readyz")
    elapsed = time.perf_counter() - started

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not_ready"
    assert sorted(body["failing"]) == ["jwks", "kafka", "outbox"]
    assert body["checks"] == {
        "mongo": "ok",
        "kafka": "failing",
        "outbox": "timeout",
        "jwks": "error",
    }
    assert elapsed < 2  # checks run concurrently and the hanging one is cut off


async def test_readyz_sees_checks_registered_later() -> None:
    checks: dict[str, Any] = {}
    app = _app(checks)
    async with _client(app) as client:
        assert (await client.get("/readyz")).status_code == 200
        checks["mongo"] = _down
        response = await client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["mongo"]


async def test_correlation_id_is_echoed_bound_and_generated() -> None:
    async with _client(_app()) as client:
        given = await client.get(f"/citizens/{PINFL}", headers={"X-Correlation-ID": "req-42"})
        fresh = await client.get(f"/citizens/{PINFL}")
        hostile = await client.get(
            f"/citizens/{PINFL}", headers={"X-Correlation-ID": 'x" injected\\n' + "y" * 300}
        )

    assert given.headers["x-correlation-id"] == "req-42"
    assert given.json() == {"correlation_id": "req-42"}
    generated = fresh.headers["x-correlation-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", generated)
    assert fresh.json() == {"correlation_id": generated}
    assert re.fullmatch(r"[0-9a-f]{32}", hostile.headers["x-correlation-id"])
    assert current_correlation_id() is None  # nothing leaks out of the request


async def test_an_overrunning_check_is_answered_as_timeout_but_not_cancelled() -> None:
    # A driver call cancelled mid-checkout may leave its pool stuck for good;
    # the probe answers without waiting and lets the call end by itself.
    finished = asyncio.Event()

    async def slow() -> bool:
        await asyncio.sleep(0.3)
        finished.set()
        return True

    async with _client(_app({"mongo": slow}, timeout=0.05)) as client:
        response = await client.get("/readyz")
    assert response.json()["checks"] == {"mongo": "timeout"}
    await asyncio.wait_for(finished.wait(), 2)


async def test_the_request_ledger_counts_answers_and_requests_cut_off_before_their_answer() -> None:
    # Read at shutdown as the record that a SIGTERM left nothing unanswered.
    app = _app()
    started = asyncio.Event()

    @app.get("/slow")
    async def slow() -> None:
        started.set()
        await asyncio.sleep(30)

    ledger = app.state.http_requests
    async with _client(app) as client:
        assert (await client.get(f"/citizens/{PINFL}")).status_code == 200
        assert (await client.get("/boom")).status_code == 500
        waiting = asyncio.create_task(client.get("/slow"))
        await asyncio.wait_for(started.wait(), 2)
        assert (ledger.in_flight, ledger.unanswered) == (1, 1)
        waiting.cancel()  # what uvicorn does when its graceful timeout ends
        with pytest.raises(asyncio.CancelledError):
            await waiting

    assert ledger.in_flight == 0
    assert ledger.cut_off == 1
    assert ledger.unanswered == 1
    # The 500 is sent by Starlette outside the middleware, so only the 200 counts.
    assert ledger.answered == 1
