"""What the tests may never change: the Kafka and MongoDB that `make run` uses.

`make test` runs on a broker and store of its own (.local/instances/test). This
script is its proof: before the tests it records the run stack's topics,
consumer groups and databases (when the run stack is up); afterwards it checks
that no name was added. Events that people add through `make run` meanwhile
change offsets, never these names; a test that wrote to the run stack would
leave a topic, a group or a database behind.

    python scripts/run_stack.py record FILE
    python scripts/run_stack.py check FILE
"""

from __future__ import annotations

import asyncio
import json
import socket
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from aiokafka.admin import AIOKafkaAdminClient
from inson_runtime.settings import ServiceSettings
from pymongo import AsyncMongoClient

# The run stack is wherever the services go when nothing is configured.
KAFKA = ServiceSettings.model_fields["kafka_bootstrap_servers"].default
MONGODB_URL = ServiceSettings.model_fields["mongodb_url"].default

Fingerprint = dict[str, list[str]]


def _reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def up(kafka: str, mongodb_url: str) -> bool:
    kafka_host, _, kafka_port = kafka.rpartition(":")
    store = urlparse(mongodb_url)
    return _reachable(kafka_host, int(kafka_port)) and _reachable(
        store.hostname or "127.0.0.1", store.port or 27017
    )


async def fingerprint(kafka: str, mongodb_url: str) -> Fingerprint:
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka, request_timeout_ms=10_000)
    await admin.start()
    try:
        topics = sorted(t for t in await admin.list_topics() if not t.startswith("__"))
        groups = sorted(g[0] for g in await admin.list_consumer_groups())
    finally:
        await admin.close()
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        mongodb_url, serverSelectionTimeoutMS=10_000
    )
    try:
        databases = sorted(await client.list_database_names())
    finally:
        await client.close()
    return {"topics": topics, "consumer_groups": groups, "databases": databases}


def added(before: Fingerprint, after: Fingerprint) -> dict[str, list[str]]:
    """Names in `after` that `before` lacks. Removing is something a person does."""
    return {
        kind: sorted(set(after[kind]) - set(before[kind]))
        for kind in after
        if set(after[kind]) - set(before[kind])
    }


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] not in ("record", "check"):
        print(__doc__, file=sys.stderr)
        return 2
    path = Path(argv[2])
    where = f"{KAFKA}, {MONGODB_URL}"
    if argv[1] == "record":
        running = up(KAFKA, MONGODB_URL)
        path.write_text(
            json.dumps(asyncio.run(fingerprint(KAFKA, MONGODB_URL)) if running else None)
        )
        return 0
    before = json.loads(path.read_text())
    if before is None:
        print(f"[test] the run stack ({where}) was not running: nothing to compare")
        return 0
    if not up(KAFKA, MONGODB_URL):
        print(f"[test] the run stack ({where}) stopped during the tests: nothing to compare")
        return 0
    after = asyncio.run(fingerprint(KAFKA, MONGODB_URL))
    if extra := added(before, after):
        print(f"[test] the tests wrote to the run stack ({where}): added {extra}")
        return 1
    print(
        f"[test] the run stack ({where}) is as before the tests: {len(after['topics'])} topics, "
        f"{len(after['consumer_groups'])} consumer groups, {len(after['databases'])} databases"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
