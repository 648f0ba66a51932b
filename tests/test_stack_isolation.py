"""`make test` keeps off the stack `make run` uses.

Topics keep every event forever and a service reads its topics from the start
the first time its group runs: one test event on the run stack is a case, a
referral or a message that a newcomer would meet on `make run`. So the tests
have a Kafka and a FerretDB of their own, and `make test` checks with
`scripts/run_stack.py` that it added no topic, consumer group or database to
the run stack. These tests hold both halves of that to account.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import uuid
from pathlib import Path
from types import ModuleType

import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from inson_runtime.settings import ServiceSettings

ROOT = Path(__file__).resolve().parents[1]
RUN_KAFKA = ServiceSettings.model_fields["kafka_bootstrap_servers"].default
RUN_MONGODB = ServiceSettings.model_fields["mongodb_url"].default


def _port(address: str) -> int:
    return int(address.rstrip("/").rpartition(":")[2])


def test_the_tests_servers_are_not_the_run_stacks() -> None:
    # conftest.py exports the tests' servers to every test and process (no
    # server needed to check the addresses: this runs in `make test-unit` too);
    # the services go to RUN_* when nothing is configured, as under `make run`.
    kafka, mongodb = os.environ["KAFKA_BOOTSTRAP_SERVERS"], os.environ["MONGODB_URL"]
    assert _port(kafka) != _port(RUN_KAFKA), kafka
    assert _port(mongodb) != _port(RUN_MONGODB), mongodb


def _load_run_stack() -> ModuleType:
    spec = importlib.util.spec_from_file_location("run_stack", ROOT / "scripts" / "run_stack.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.integration
async def test_the_check_sees_a_topic_and_a_database_the_tests_added(
    kafka_bootstrap, mongodb_url, mongo_client
) -> None:
    # Pointed at the tests' own servers, which this test may change.
    run_stack = _load_run_stack()
    before = await run_stack.fingerprint(kafka_bootstrap, mongodb_url)
    assert run_stack.added(before, await run_stack.fingerprint(kafka_bootstrap, mongodb_url)) == {}

    topic = f"test.isolation.{uuid.uuid4().hex[:8]}"
    database = f"test_isolation_{uuid.uuid4().hex[:8]}"
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    await admin.start()
    try:
        await admin.create_topics([NewTopic(topic, num_partitions=1, replication_factor=1)])
        await mongo_client[database]["probe"].insert_one({"_id": "p"})
        after = await run_stack.fingerprint(kafka_bootstrap, mongodb_url)
    finally:
        await admin.delete_topics([topic])
        await admin.close()
        await mongo_client.drop_database(database)

    extra = run_stack.added(before, after)
    assert extra["topics"] == [topic] and extra["databases"] == [database], extra


def test_make_test_runs_on_its_own_servers_and_checks_the_run_stack() -> None:
    # What `make test` will do, without doing it.
    plan = subprocess.run(
        ["make", "-n", "--no-print-directory", "test"],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if not k.startswith(("MAKE", "MFLAGS"))},
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    pytest_line = next(line for line in plan.splitlines() if " pytest" in line)
    assert "KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:19092" in pytest_line
    assert "MONGODB_URL=mongodb://127.0.0.1:37017" in pytest_line
    assert "run_stack.py record" in plan and "run_stack.py check" in plan
    assert "services.sh stop" not in plan  # the run stack's services may keep running
