"""Attempt outcomes in the delivery log become NotificationSent / NotificationFailed events.

Each outcome is recorded on the message's stream (``domain/outcomes.py``)
under a commit id derived from it, so recording it twice (inline after the
attempt, then by the sweep after a crash) appends once. The envelopes carry
the correlation id of the event that called for the message.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import structlog
from inson_runtime.eventstore import ConcurrencyConflict
from inson_runtime.observability.logging import log_context
from inson_runtime.repository import Repository

from notification.domain.deliveries import LoggedDelivery
from notification.domain.outcomes import MessageRecord, commit_id_of, event_of
from notification.handlers.ports import DeliveryLog

log = structlog.get_logger(__name__)

# An outcome younger than this is being recorded by the attempt that made it.
_GRACE = timedelta(seconds=5)


class OutcomeRecorder:
    def __init__(self, messages: Repository[MessageRecord], deliveries: DeliveryLog) -> None:
        self.messages = messages
        self.deliveries = deliveries

    async def record(self, delivery_id: str) -> None:
        logged = await self.deliveries.get(delivery_id)
        if logged is not None:
            await self._record(logged)

    async def sweep(self, now: datetime) -> None:
        for logged in await self.deliveries.unrecorded(now - _GRACE):
            try:
                await self._record(logged)
            except ConcurrencyConflict:
                continue  # recorded by the attempt itself meanwhile; seen next time
            except Exception as exc:
                # One entry that cannot be recorded must not hold up the rest.
                log.warning(
                    "recording an outcome failed; retried next time",
                    notification_id=logged.delivery.id,
                    error=type(exc).__name__,
                )

    async def _record(self, logged: LoggedDelivery) -> None:
        delivery = logged.delivery
        with log_context(correlation_id=delivery.correlation_id):
            for outcome in logged.unrecorded:
                commit_id = commit_id_of(delivery, outcome)
                # Whether it exists is all that is asked: nothing to open.
                if await self.messages.recorded(commit_id, opened=False) is not None:
                    continue
                await self.messages.record(
                    delivery.id,
                    await self.messages.version(delivery.id),
                    [event_of(delivery, outcome)],
                    commit_id=commit_id,
                    cause=delivery.cause_event_id,
                    region=delivery.region,
                    district=delivery.district,
                )
        await self.deliveries.mark_recorded(delivery.id, len(logged.outcomes))
