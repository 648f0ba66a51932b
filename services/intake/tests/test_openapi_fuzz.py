"""schemathesis against intake's published OpenAPI, on a real running service
(its own process, the real Kafka and FerretDB): no 5xx, and no response that
contradicts the schema it publishes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from inson_runtime.auth import AuthSettings, mint_dev_token
from inson_runtime.testing import free_port
from schemathesis import GenerationMode, checks
from schemathesis.generation.meta import TestPhase

pytestmark = pytest.mark.integration

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]
RAN: list[str] = []


@pytest.fixture(scope="module")
def running_intake(
    kafka_bootstrap: str, mongodb_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, AuthSettings]]:
    port = free_port()
    auth = AuthSettings(dev_key_path=Path(tmp_path_factory.mktemp("auth")) / "key.pem")
    env = {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "MONGODB_URL": mongodb_url,
        "INSON_SERVICE_NAME": f"intake-fuzz-{uuid.uuid4().hex[:6]}",
        "INSON_AUTH_DEV_KEY_PATH": str(auth.dev_key_path),
        "INSON_LOG_LEVEL": "WARNING",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "intake.main", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail(
            f"intake did not start: {process.stderr.read().decode() if process.stderr else ''}"
        )
    yield base, auth
    process.terminate()
    process.wait(timeout=30)
    _drop(mongodb_url, f"inson_{env['INSON_SERVICE_NAME']}")
    print(f"\nschemathesis: {len(RAN)} cases ran against intake's OpenAPI:")
    for outcome, count in sorted(Counter(RAN).items()):
        print(f"  {count:4d}  {outcome}")


PLAN = [
    (GenerationMode.POSITIVE, TestPhase.EXAMPLES),
    (GenerationMode.POSITIVE, TestPhase.FUZZING),
    (GenerationMode.NEGATIVE, TestPhase.FUZZING),
]


def _exercise(strategy: Any, label: str, mode: str, headers: dict[str, str]) -> None:
    @given(case=strategy)
    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def exercise(case: Any) -> None:
        response = case.call(headers=headers)
        RAN.append(f"{label} ({mode}) -> {response.status_code}")
        case.validate_response(response, checks=CHECKS)

    exercise()


# Every operation is fuzzed in three phases; with the access log the API has
# one more, and on a shared two-core machine the whole run passed 120 s.
@pytest.mark.timeout(300)
def test_intake_api_has_no_5xx_and_keeps_to_its_schema(
    running_intake: tuple[str, AuthSettings],
) -> None:
    base, auth = running_intake
    schema = schemathesis.openapi.from_url(f"{base}/openapi.json")
    # A supervisor of Beruniy district: allowed on every route, so requests
    # get past authorization and exercise validation and the handlers.
    token = mint_dev_token(
        sub="fuzz-supervisor", role="supervisor", district="1735207", settings=auth
    )
    headers = {"Authorization": f"Bearer {token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8

    for operation in operations:
        for mode, phase in PLAN:
            strategy = operation.as_strategy(generation_mode=mode, phase=phase)
            _exercise(strategy, operation.label, mode.value, headers)
    assert len(RAN) >= 100


def _drop(url: str, database: str) -> None:
    from pymongo import MongoClient

    with MongoClient(url) as client:
        client.drop_database(database)
