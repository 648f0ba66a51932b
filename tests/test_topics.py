"""The broker holds every catalogue topic with the catalogue's settings."""

from __future__ import annotations

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from inson_contracts.topics import CATALOGUE
from inson_runtime.kafka import ensure_topics

pytestmark = pytest.mark.integration


async def test_catalogue_topics_exist_with_their_partitions_and_keep_events_forever(
    kafka_bootstrap: str,
) -> None:
    await ensure_topics(kafka_bootstrap)  # idempotent: make infra-up ran it already
    admin = AIOKafkaAdminClient(bootstrap_servers=kafka_bootstrap)
    await admin.start()
    try:
        described = await admin.describe_topics([t.name for t in CATALOGUE])
        partitions = {d["topic"]: len(d["partitions"]) for d in described}
        configs = await admin.describe_configs(
            [ConfigResource(ConfigResourceType.TOPIC, t.name) for t in CATALOGUE]
        )
    finally:
        await admin.close()

    assert partitions == {t.name: t.partitions for t in CATALOGUE}
    retention = {}
    for response in configs:
        for resource in response.resources:
            entries = {entry[0]: entry[1] for entry in resource[4]}
            retention[resource[3]] = (entries["retention.ms"], entries["retention.bytes"])
    assert retention == {t.name: ("-1", "-1") for t in CATALOGUE}
