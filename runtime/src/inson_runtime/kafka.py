"""Kafka plumbing: the FastStream broker, topic creation, and event publishing."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, ConsumerRecord, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.errors import (
    KafkaConnectionError,
    KafkaError,
    KafkaTimeoutError,
    NodeNotReadyError,
    OutOfOrderSequenceNumber,
    ProducerFenced,
    TopicAlreadyExistsError,
    UnknownProducerId,
)
from faststream.kafka import KafkaBroker
from faststream.kafka.publisher.producer import AioKafkaFastProducerImpl
from faststream.security import BaseSecurity, SASLPlaintext, SASLScram256, SASLScram512
from inson_contracts.envelope import Envelope, to_kafka
from inson_contracts.topics import CATALOGUE, Topic

from inson_runtime.backoff import Backoff
from inson_runtime.observability.metrics import CONSUMER_LAG, EVENTS_PUBLISHED

log = structlog.get_logger(__name__)

# Errors after which Kafka may accept the same request later.
TRANSIENT_KAFKA_ERRORS: tuple[type[Exception], ...] = (KafkaError, KafkaConnectionError, OSError)

# Errors that leave an idempotent producer unable to send again: its sender
# task has died and every later send fails the same way (after a broker
# restart, for one: aio-libs/aiokafka#1017). Only a new producer, with a new
# producer id, sends again.
FATAL_PRODUCER_ERRORS: tuple[type[Exception], ...] = (
    OutOfOrderSequenceNumber,
    ProducerFenced,
    UnknownProducerId,
)


@dataclass(frozen=True)
class KafkaSecurity:
    """How to reach a secured cluster (Strimzi in production: SASL_SSL, SCRAM-SHA-512)."""

    protocol: str = "PLAINTEXT"  # PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL
    sasl_mechanism: str | None = None  # SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN
    username: str | None = None
    password: str | None = None
    ssl_cafile: str | None = None

    def ssl_context(self) -> ssl.SSLContext | None:
        if self.protocol not in ("SSL", "SASL_SSL"):
            return None
        return ssl.create_default_context(cafile=self.ssl_cafile)

    def for_faststream(self) -> BaseSecurity | None:
        context = self.ssl_context()
        if not self.protocol.startswith("SASL"):
            return BaseSecurity(ssl_context=context, use_ssl=True) if context else None
        if not (self.username and self.password):
            raise ValueError("SASL needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD")
        kinds: dict[str | None, type[SASLPlaintext | SASLScram256 | SASLScram512]] = {
            "PLAIN": SASLPlaintext,
            "SCRAM-SHA-256": SASLScram256,
            "SCRAM-SHA-512": SASLScram512,
        }
        if self.sasl_mechanism not in kinds:
            raise ValueError(f"unsupported KAFKA_SASL_MECHANISM {self.sasl_mechanism!r}")
        return kinds[self.sasl_mechanism](
            self.username, self.password, ssl_context=context, use_ssl=context is not None
        )

    def for_aiokafka(self) -> dict[str, Any]:
        """Keyword arguments for aiokafka's consumers and admin client."""
        if self.protocol == "PLAINTEXT":
            return {}
        options: dict[str, Any] = {"security_protocol": self.protocol}
        if self.ssl_context() is not None:
            options["ssl_context"] = self.ssl_context()
        if self.protocol.startswith("SASL"):
            options |= {
                "sasl_mechanism": self.sasl_mechanism,
                "sasl_plain_username": self.username,
                "sasl_plain_password": self.password,
            }
        return options


PLAINTEXT = KafkaSecurity()


def make_broker(
    bootstrap_servers: str, *, client_id: str, security: KafkaSecurity = PLAINTEXT
) -> KafkaBroker:
    """A broker whose writes are durable and not duplicated by producer retries."""
    return KafkaBroker(
        bootstrap_servers,
        client_id=client_id,
        security=security.for_faststream(),
        acks="all",
        enable_idempotence=True,
        linger_ms=2,
        graceful_timeout=20.0,
        # FastStream's per-message access lines at DEBUG; through a plain stdlib
        # logger so they pass the structlog formatter and its masking.
        logger=logging.getLogger("faststream.kafka"),
        log_level=logging.DEBUG,
    )


class EventPublisher:
    """Puts envelopes on Kafka in binary CloudEvents mode, keyed by stream id."""

    def __init__(self, broker: KafkaBroker, *, service: str) -> None:
        self.broker = broker
        self.service = service
        self._renewing = asyncio.Lock()

    async def publish(self, topic: str, envelopes: Sequence[Envelope]) -> None:
        """Send all, then wait for every acknowledgement (acks=all)."""
        await self.publish_all([(topic, envelopes)])

    async def publish_all(self, batches: Sequence[tuple[str, Sequence[Envelope]]]) -> None:
        """Send every batch's envelopes in order, then wait for all acknowledgements.

        One wait for several commits: the outbox relay hands a stream's
        pending commits over together. The idempotent producer keeps records
        of one partition in send order, so a stream's events land in version
        order. A producer that can never send again is replaced before the
        error goes up; the caller's retry (the outbox keeps the commit
        pending, a consumer redelivers) then goes through the new one.
        """
        producer = _aiokafka_producer(self.broker)
        try:
            await self._send([(topic, e) for topic, envelopes in batches for e in envelopes])
        except FATAL_PRODUCER_ERRORS as exc:
            await self.renew_producer(producer, reason=type(exc).__name__)
            raise

    async def renew_producer(self, failed: object | None = None, *, reason: str = "") -> None:
        """Replace the broker's producer by a new one (a new producer id).

        ``failed`` is the producer the caller saw fail: when another task has
        replaced it meanwhile, nothing more is done.
        """
        async with self._renewing:
            fast = self.broker.config.broker_config.producer
            if not isinstance(fast, AioKafkaFastProducerImpl):
                return  # a test broker: nothing to renew
            if failed is not None and _aiokafka_producer(self.broker) is not failed:
                return
            log.warning("kafka producer cannot send again; replacing it", error=reason)
            # Its pending sends fail; the callers retry them through the new one.
            with contextlib.suppress(Exception):
                await asyncio.wait_for(fast.disconnect(), 10.0)
            # FastStream 0.7 keeps the producer's settings on the broker and
            # offers no call to reconnect only the producer.
            fresh = AIOKafkaProducer(**self.broker._connection_kwargs)
            await fast.connect(fresh, serializer=fast.serializer, codec=fast.codec)

    async def _send(self, records: Sequence[tuple[str, Envelope]]) -> None:
        pending = []
        for topic, envelope in records:
            key, headers, value = to_kafka(envelope)
            pending.append(
                await self.broker.publish(
                    value,
                    topic,
                    key=key,
                    headers=headers,
                    correlation_id=envelope.correlationid or envelope.id,
                    no_confirm=True,
                )
            )
        await asyncio.gather(*pending)
        for topic, envelope in records:
            EVENTS_PUBLISHED.labels(self.service, topic, envelope.type).inc()


def _aiokafka_producer(broker: KafkaBroker) -> object | None:
    """The aiokafka producer the broker sends with now (None before it starts)."""
    fast = broker.config.broker_config.producer
    if not isinstance(fast, AioKafkaFastProducerImpl):
        return None
    return getattr(fast._producer, "producer", None)


async def ensure_topics(
    bootstrap_servers: str,
    topics: Iterable[Topic] = CATALOGUE,
    *,
    replication_factor: int = 1,
    timeout_s: float = 60.0,
    security: KafkaSecurity = PLAINTEXT,
) -> list[str]:
    """Create missing topics with their catalogue settings; return the created names.

    Retries while the broker is still starting, so it can run right after
    ``infra-up``.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    backoff = Backoff(first_s=0.5, max_s=5.0)
    attempt = 0
    while True:
        admin = AIOKafkaAdminClient(
            bootstrap_servers=bootstrap_servers, client_id="inson-topics", **security.for_aiokafka()
        )
        try:
            await admin.start()
            existing = set(await admin.list_topics())
            wanted = [t for t in topics if t.name not in existing]
            if wanted:
                # Another process may create them at the same moment.
                with contextlib.suppress(TopicAlreadyExistsError):
                    await admin.create_topics(
                        [
                            NewTopic(
                                name=t.name,
                                num_partitions=t.partitions,
                                replication_factor=replication_factor,
                                topic_configs=t.config(),
                            )
                            for t in wanted
                        ]
                    )
            return [t.name for t in wanted]
        except (KafkaConnectionError, KafkaTimeoutError, NodeNotReadyError, OSError) as exc:
            if loop.time() > deadline:
                raise
            attempt += 1
            log.info("kafka not ready yet", error=str(exc))
            await asyncio.sleep(backoff.delay(attempt))
        finally:
            await admin.close()


async def stop_reader(reader: AIOKafkaConsumer) -> None:
    """Stop a group-less reader.

    aiokafka's NoGroupCoordinator leaks the CancelledError of its own internal
    task when a reader is stopped soon after it started; that one is not ours
    to propagate. A cancellation of *this* task still propagates.
    """
    try:
        await reader.stop()
    except asyncio.CancelledError:
        task = asyncio.current_task()
        if task is not None and task.cancelling():
            raise


async def partitions_of(reader: AIOKafkaConsumer, topic: str) -> list[TopicPartition]:
    """The topic's partitions, asked of the broker.

    A group-less reader has no metadata for topics it was not given, and
    ``AIOKafkaConsumer.topics()`` does not keep what it fetched, so this asks
    the client for a fresh cluster view (aiokafka has no public call for it).
    """
    cluster = await reader._client.fetch_all_metadata()
    return [TopicPartition(topic, p) for p in sorted(cluster.partitions_for_topic(topic) or ())]


def record_lag(message: Any, record: ConsumerRecord[Any, Any], service: str, group: str) -> None:
    """Set the consumer-lag gauge from the batch's last record of a partition."""
    consumer = getattr(message, "consumer", None)
    highwater = getattr(consumer, "highwater", None)
    if highwater is None:
        return
    end = highwater(TopicPartition(record.topic, record.partition))
    if end is not None:
        CONSUMER_LAG.labels(service, group, record.topic, str(record.partition)).set(
            max(0, end - record.offset - 1)
        )
