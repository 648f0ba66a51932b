"""Each of the four services starts as its own process against the real Kafka and
FerretDB, answers its probes, guards its API with a token, and stops on SIGTERM."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from pathlib import Path

import httpx
import pytest
from inson_runtime.auth import AuthSettings, mint_dev_token
from inson_runtime.testing import free_port

pytestmark = pytest.mark.integration

SERVICES = ["intake", "assessment", "referral", "notification", "insight"]


@pytest.mark.parametrize("service", SERVICES)
async def test_service_serves_probes_and_guards_its_api(
    service: str, kafka_bootstrap: str, mongodb_url: str, tmp_path: Path
) -> None:
    port = free_port()
    database = f"test_start_{service}_{port}"
    key_path = tmp_path / "dev-key.pem"
    env = {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "MONGODB_URL": mongodb_url,
        "INSON_MONGODB_DATABASE": database,
        "INSON_AUTH_DEV_KEY_PATH": str(key_path),
        "INSON_LOG_JSON": "true",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        f"{service}.main",
        "serve",
        "--port",
        str(port),
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base, timeout=5) as http:
            for _ in range(200):
                try:
                    if (await http.get("/readyz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
            ready = await http.get("/readyz")
            assert ready.status_code == 200, ready.text
            assert ready.json()["checks"] == {"mongodb": "ok", "kafka": "ok"}
            assert (await http.get("/healthz")).status_code == 200
            assert "inson_http_requests_total" in (await http.get("/metrics")).text
            assert (await http.get("/openapi.json")).json()["info"]["title"] == f"Inson {service}"

            anonymous = await http.get("/v1/me")
            assert anonymous.status_code == 401
            assert anonymous.headers["www-authenticate"].startswith("Bearer")

            token = mint_dev_token(
                sub="worker-17",
                role="social_worker",
                mahallas=["m-1"],
                settings=AuthSettings(dev_key_path=key_path),
            )
            me = await http.get("/v1/me", headers={"Authorization": f"Bearer {token}"})
            assert me.status_code == 200, me.text
            assert me.json()["sub"] == "worker-17"
            assert me.json()["role"] == "social_worker"
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = await asyncio.wait_for(process.communicate(), timeout=30)
    # uvicorn re-raises SIGTERM after a complete graceful shutdown, so the
    # process ends "killed by SIGTERM" only once its lifespan has finished.
    assert process.returncode in (0, -signal.SIGTERM), output.decode()[-2000:]
    stopping = [
        line
        for line in (json.loads(raw) for raw in output.splitlines() if raw.startswith(b"{"))
        if line["event"] == "service stopping"
    ]
    # The shutdown record: every request it read was answered.
    assert len(stopping) == 1, output.decode()[-2000:]
    assert stopping[0]["http_requests_answered"] >= 7
    assert stopping[0]["http_requests_unanswered"] == 0
    assert b'"service stopped"' in output
    assert b"Application shutdown complete." in output
    from pymongo import MongoClient

    with MongoClient(mongodb_url) as client:
        client.drop_database(database)
