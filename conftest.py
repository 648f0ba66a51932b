"""Fixtures shared by every test folder: the real local Kafka and FerretDB, and
a dev signing key of the test's own.

Integration tests never skip: `make test` starts both servers first, and a
missing server is a failure to be seen, not a silent pass. They are the
tests' own servers (.local/instances/test, ports 19092 and 37017), never the
ones `make run` uses (9092 and 27017): topics keep events forever, and the
services would read the tests' events as their own.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from inson_runtime.auth import AuthSettings
from pymongo import AsyncMongoClient

KAFKA = os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092")
MONGODB_URL = os.environ.get("MONGODB_URL", "mongodb://127.0.0.1:37017")
# Settings built in a test, and processes a test starts, find the tests'
# servers too: left unset they would go to the run stack's defaults.
os.environ["KAFKA_BOOTSTRAP_SERVERS"] = KAFKA
os.environ["MONGODB_URL"] = MONGODB_URL


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def kafka_bootstrap() -> str:
    host, _, port = KAFKA.split(",")[0].rpartition(":")
    if not _reachable(host, int(port)):
        pytest.fail(f"Kafka is not reachable at {KAFKA}: run `make test-infra-up` (make test does)")
    return KAFKA


@pytest.fixture(scope="session")
def mongodb_url() -> str:
    parsed = urlparse(MONGODB_URL)
    if not _reachable(parsed.hostname or "127.0.0.1", parsed.port or 27017):
        pytest.fail(
            f"MongoDB is not reachable at {MONGODB_URL}: run `make test-infra-up` (make test does)"
        )
    return MONGODB_URL


@pytest.fixture
async def mongo_client(mongodb_url: str) -> AsyncIterator[AsyncMongoClient[dict[str, object]]]:
    from inson_runtime.mongo import connect

    client = connect(mongodb_url)
    yield client
    await client.close()


@pytest.fixture
async def scratch_db(mongo_client: AsyncMongoClient[dict[str, object]]) -> AsyncIterator[str]:
    """A database of its own for one test, dropped afterwards."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    yield name
    await mongo_client.drop_database(name)


@pytest.fixture
def auth(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AuthSettings:
    """A dev signing key of the test's own, set before the app is composed."""
    settings = AuthSettings(dev_key_path=tmp_path / "key.pem")
    monkeypatch.setenv("INSON_AUTH_DEV_KEY_PATH", str(settings.dev_key_path))
    return settings
