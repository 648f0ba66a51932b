"""schemathesis, all checks, against every service's published OpenAPI: 0 server
errors and 0 answers that contradict the document.

The four services run as processes of their own on the real Kafka and
FerretDB (fresh databases; consumer groups at the topics' end, so history on
the shared broker is not replayed). Each service is then tested, the four at
once, by the schemathesis CLI with every check (``--checks all``: server errors,
status codes, content types, headers, schemas, negative data rejected,
positive data accepted, missing headers, unsupported methods and ``Allow``,
ignored auth, resources after deletion) through every phase (examples,
coverage, fuzzing, stateful), a bounded number of examples per operation and
a fixed seed. One case is opened through intake first, and operations on a
case use it, so they reach its rules rather than a 404. ``tests/schemathesis.toml``
holds the callers and the rules the schema cannot state.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from inson_runtime.auth import AuthSettings, mint_dev_token
from inson_runtime.testing import free_port, start_groups_at_end

pytestmark = pytest.mark.integration

HERE = Path(__file__).resolve().parent
CONFIG = HERE / "schemathesis.toml"
ORDER = ("assessment", "referral", "notification", "intake", "insight")
EXAMPLES = 8
SEED = 20
DISTRICT, MAHALLA = "1735207", "1735207001"  # Beruniy
APPLICATION = {
    "channel": "mahalla_tablet",
    "applicant": {
        "name": {"last_name": "Sinovova", "first_name": "Gulnora"},
        "birth_date": "1950-04-12",
        "sex": "female",
        "language": "uz-Latn",
    },
    "address": {"region": "1735", "district": DISTRICT, "mahalla": MAHALLA},
    "circumstances": ["lonely_elderly"],
    "consent": {"given": True, "text_version": "2026-01"},
}
OTHER_APPLICANT = {
    "name": {"last_name": "Tekshiruvov", "first_name": "Bahodir"},
    "birth_date": "1961-09-03",
    "sex": "male",
    "language": "ru",
}


@dataclass(frozen=True)
class Running:
    name: str
    base: str
    process: subprocess.Popen[bytes]
    database: str


@dataclass(frozen=True)
class Platform:
    services: dict[str, Running]
    auth: AuthSettings
    # Intake's run may erase or reject what it finds: it gets a case of its own.
    case_ids: dict[str, str]

    def token(self, role: str, **scope: Any) -> str:
        return mint_dev_token(sub=f"fuzz-{role}", role=role, settings=self.auth, **scope)


def _settings(service: str, name: str, env: dict[str, str]) -> object:
    module = __import__(f"{service}.settings", fromlist=["Settings"])
    return module.Settings(
        service_name=name,
        kafka_bootstrap_servers=env["KAFKA_BOOTSTRAP_SERVERS"],
        mongodb_url=env["MONGODB_URL"],
    )


def _groups_at_end(service: str, name: str, env: dict[str, str]) -> None:
    main = __import__(f"{service}.main", fromlist=["compose"])
    runtime, _ = main.compose(_settings(service, name, env))
    asyncio.run(start_groups_at_end(env["KAFKA_BOOTSTRAP_SERVERS"], runtime.consumers))


@pytest.fixture(scope="module")
def platform(
    kafka_bootstrap: str, mongodb_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Platform]:
    auth = AuthSettings(dev_key_path=tmp_path_factory.mktemp("auth") / "key.pem")
    run = uuid.uuid4().hex[:6]
    started: dict[str, Running] = {}
    base_env = {
        **os.environ,
        "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
        "MONGODB_URL": mongodb_url,
        "INSON_AUTH_DEV_KEY_PATH": str(auth.dev_key_path),
        "INSON_LOG_LEVEL": "WARNING",
    }
    try:
        for service in ORDER:
            name = f"{service}-fuzz-{run}"
            env = {**base_env, "INSON_SERVICE_NAME": name}
            _groups_at_end(service, name, env)
            port = free_port()
            process = subprocess.Popen(
                [sys.executable, "-m", f"{service}.main", "serve", "--port", str(port)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            started[service] = Running(name, f"http://127.0.0.1:{port}", process, f"inson_{name}")
        for running in started.values():
            _ready(running)
        admin = mint_dev_token(sub="fuzz-admin", role="admin", settings=auth)
        shared = _opened_case(started, admin, APPLICATION)
        own = _opened_case(started, admin, {**APPLICATION, "applicant": OTHER_APPLICANT})
        case_ids = {service: own if service == "intake" else shared for service in ORDER}
        yield Platform(started, auth, case_ids)
    finally:
        for running in started.values():
            running.process.terminate()
        for running in started.values():
            running.process.wait(timeout=30)
        _drop(mongodb_url, [r.database for r in started.values()])


def _opened_case(started: dict[str, Running], admin: str, application: dict[str, Any]) -> str:
    """A case opened through intake and assigned by assessment."""
    headers = {"Authorization": f"Bearer {admin}"}
    opened = httpx.post(
        f"{started['intake'].base}/v1/applications", json=application, headers=headers, timeout=30
    )
    assert opened.status_code == 201, opened.text
    case_id: str = opened.json()["case_id"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        url = f"{started['assessment'].base}/v1/case-files/{case_id}"
        if httpx.get(url, headers=headers, timeout=10).status_code == 200:
            return case_id
        time.sleep(0.3)
    pytest.fail(f"assessment did not assign the case {case_id}")


def _ready(running: Running) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{running.base}/readyz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if running.process.poll() is not None:
            break
        time.sleep(0.2)
    running.process.kill()
    stderr = running.process.stderr.read().decode() if running.process.stderr else ""
    pytest.fail(f"{running.name} did not start: {stderr[-2000:]}")


def _schemathesis(platform: Platform, service: str, output: Path) -> subprocess.Popen[bytes]:
    """The CLI against one service, started (its output to ``output``, the cache of
    what it found beside it, not in the checkout)."""
    env = {
        **os.environ,
        "INSON_FUZZ_CASE_ID": platform.case_ids[service],
        "INSON_FUZZ_PARTNER_TOKEN": platform.token("partner_admin"),
        "INSON_FUZZ_ADMIN_TOKEN": platform.token("admin"),
        "INSON_FUZZ_WINDOW_TOKEN": platform.token(
            "window_operator", service_center=f"psc-{DISTRICT}"
        ),
        "INSON_FUZZ_PROVIDER_TOKEN": platform.token(
            "provider_operator", providers=[f"inson-{DISTRICT}"]
        ),
    }
    command = [
        sys.executable,
        "-c",
        "from schemathesis.cli import schemathesis; schemathesis()",
        "--config-file",
        str(CONFIG),
        "run",
        f"{platform.services[service].base}/openapi.json",
        "--checks",
        "all",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--max-examples",
        str(EXAMPLES),
        "--seed",
        str(SEED),
        "--workers",
        "1",
        "--header",
        f"Authorization: Bearer {platform.token('admin')}",
        "--no-color",
        "--output-truncate",
        "true",
    ]
    with output.open("wb") as sink:
        return subprocess.Popen(
            command, env=env, stdout=sink, stderr=subprocess.STDOUT, cwd=output.parent
        )


@pytest.fixture(scope="module")
def runs(
    platform: Platform, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, tuple[subprocess.Popen[bytes], Path]]]:
    """The four runs, at once: each service is its own process, the machine's cores
    are shared, and the whole takes about as long as the longest run."""
    folder = tmp_path_factory.mktemp("schemathesis")
    started = {}
    for service in ORDER:
        output = folder / f"{service}.txt"
        started[service] = (_schemathesis(platform, service, output), output)
    yield started
    for process, _ in started.values():
        if process.poll() is None:
            process.kill()


@pytest.mark.timeout(240)
@pytest.mark.parametrize("service", ORDER)
def test_every_answer_keeps_to_the_published_document(
    runs: dict[str, tuple[subprocess.Popen[bytes], Path]], service: str
) -> None:
    process, output = runs[service]
    returncode = process.wait(timeout=220)
    report = output.read_text(encoding="utf-8", errors="replace")
    print(f"\nschemathesis against {service}:\n{_summary(report)}")
    assert returncode == 0, report[-15_000:]
    assert "API Operations:" in report and " 0 generated" not in report, report[-3_000:]


def _summary(output: str) -> str:
    lines = output.splitlines()
    start = next((n for n, line in enumerate(lines) if "SUMMARY" in line), len(lines))
    return "\n".join(lines[start:])


def _drop(url: str, databases: list[str]) -> None:
    from pymongo import MongoClient

    with MongoClient(url) as client:
        for database in databases:
            client.drop_database(database)
