"""Attempt outcomes in the delivery log become NotificationSent / NotificationFailed events.

Stream ``notification-<notification_id>``: one NotificationFailed per failed
attempt (``final`` on the last), then NotificationSent if it got through.
Commit ids are derived from (notification id, attempt), so recording the
same outcome twice (inline, then by the sweep after a crash) appends once.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import structlog
from inson_contracts.events import Event, NotificationFailed, NotificationSent
from inson_runtime.eventstore import Causation, ConcurrencyConflict
from inson_runtime.mongo import Document
from inson_runtime.service import Runtime

from notification.delivery.log import Delivery, DeliveryLog, Outcome

log = structlog.get_logger(__name__)

SOURCE = "inson/notification"
# An outcome younger than this is being recorded by the attempt that made it.
_GRACE = timedelta(seconds=5)


def notification_stream(notification_id: str) -> str:
    return f"notification-{notification_id}"


class OutcomeRecorder:
    def __init__(self, runtime: Runtime, deliveries: DeliveryLog) -> None:
        self.runtime = runtime
        self.deliveries = deliveries

    async def record(self, delivery_id: str) -> None:
        doc = await self.deliveries.get(delivery_id)
        if doc is not None:
            await self._record(doc)

    async def sweep(self, now: datetime) -> None:
        for doc in await self.deliveries.unrecorded(now - _GRACE):
            try:
                await self._record(doc)
            except ConcurrencyConflict:
                continue  # recorded by the attempt itself meanwhile; seen next time
            except Exception as exc:
                # One entry that cannot be recorded must not hold up the rest.
                log.warning(
                    "recording an outcome failed; retried next time",
                    notification_id=doc["_id"],
                    error=type(exc).__name__,
                )

    async def _record(self, doc: Document) -> None:
        delivery = Delivery.from_document(doc)
        outcomes = [Outcome.from_document(o) for o in doc.get("outcomes", [])]
        stream = notification_stream(delivery.id)
        causation = Causation(
            source=SOURCE,
            correlation_id=delivery.correlation_id,
            causation_id=delivery.cause_event_id,
            region=delivery.region,
            district=delivery.district,
        )
        for outcome in outcomes[int(doc.get("recorded", 0)) :]:
            commit_id = f"{delivery.id}:{outcome.attempt}:{'sent' if outcome.sent else 'failed'}"
            if await self.runtime.store.commit(commit_id) is not None:
                continue
            version = await self.runtime.store.version(stream)
            await self.runtime.record(
                stream, version, [_event(delivery, outcome)], causation, commit_id=commit_id
            )
        await self.deliveries.mark_recorded(delivery.id, len(outcomes))


def _event(delivery: Delivery, outcome: Outcome) -> Event:
    common = {
        "notification_id": delivery.id,
        "case_id": delivery.case_id,
        "cause_event_id": delivery.cause_event_id,
        "recipient_kind": delivery.kind,
        "recipient": delivery.address,
        "channel": delivery.channel,
        "template": delivery.template.value,
        "language": delivery.language,
        "attempts": outcome.attempt,
    }
    if outcome.sent:
        return NotificationSent(
            **common,
            provider_message_id=(outcome.provider_message_id or None),
            sent_at=outcome.at,
        )
    return NotificationFailed(
        **common,
        reason=(outcome.reason or "unknown")[:300],
        final=outcome.final,
        failed_at=outcome.at,
    )
