"""What the stand-ins received, in order, joined with notification's delivery log.

A :class:`Receipt` is one message as it arrived (refused ones too: a retry
shows as a second receipt of the same notification id). :class:`FailPlan`
makes a channel refuse its next messages, to try retries by hand or in tests.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from pymongo import AsyncMongoClient
from pymongo.errors import PyMongoError

log = logging.getLogger("devsinks")

CHANNELS = ("sms", "telegram", "email")
# Only what the inbox shows: never the address or parameters again.
_JOINED = {"kind": 1, "language": 1, "template": 1, "cause_type": 1, "case_id": 1}


@dataclass(frozen=True)
class Receipt:
    seq: int
    received_at: datetime
    channel: str
    to: str
    text: str
    subject: str | None
    notification_id: str | None
    answered: int  # the HTTP status or SMTP code the stand-in gave
    # From notification's delivery log, by notification id; None when not found.
    kind: str | None = None
    language: str | None = None
    template: str | None = None
    cause_type: str | None = None
    case_id: str | None = None
    # seq of an earlier receipt of the same notification id (a retry or a resend).
    copy_of: int | None = None

    @property
    def accepted(self) -> bool:
        return self.answered < 400

    def as_json(self) -> dict[str, Any]:
        found = asdict(self)
        found["received_at"] = self.received_at.isoformat()
        found["accepted"] = self.accepted
        return found


@dataclass
class FailPlan:
    """The next ``times`` messages of a channel are refused with ``status``."""

    status: int
    times: int
    ok_false: bool = False  # the bot API's refusal: HTTP 200 with {"ok": false}


class DeliveryLog:
    """notification's ``deliveries`` collection, read by notification id (read-only)."""

    def __init__(self, mongodb_url: str | None, database: str) -> None:
        self.client: AsyncMongoClient[dict[str, Any]] | None = None
        if mongodb_url:
            self.client = AsyncMongoClient(
                mongodb_url, tz_aware=True, serverSelectionTimeoutMS=2000, appname="devsinks"
            )
        self.database = database

    async def lookup(self, notification_id: str | None) -> dict[str, Any]:
        if self.client is None or not notification_id:
            return {}
        try:
            doc = await self.client[self.database]["deliveries"].find_one(
                {"_id": notification_id}, _JOINED
            )
        except PyMongoError as exc:
            log.warning("the delivery log did not answer: %s", type(exc).__name__)
            return {}
        return {key: doc.get(key) for key in _JOINED} if doc else {}

    async def close(self) -> None:
        if self.client is not None:
            await self.client.close()


@dataclass
class Inbox:
    deliveries: DeliveryLog
    receipts: list[Receipt] = field(default_factory=list)
    plans: dict[str, FailPlan] = field(default_factory=dict)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def answer(self, channel: str) -> FailPlan | None:
        """The refusal planned for the channel's next message, if any (used up here)."""
        plan = self.plans.get(channel)
        if plan is None or plan.times <= 0:
            return None
        plan.times -= 1
        return plan

    async def receive(
        self,
        channel: str,
        to: str,
        text: str,
        *,
        notification_id: str | None,
        answered: int,
        subject: str | None = None,
    ) -> Receipt:
        received_at = datetime.now(UTC)  # before the lookup, which takes its time
        joined = await self.deliveries.lookup(notification_id)
        async with self._lock:
            first = next(
                (
                    r.seq
                    for r in self.receipts
                    if notification_id and r.notification_id == notification_id
                ),
                None,
            )
            receipt = Receipt(
                seq=len(self.receipts) + 1,
                received_at=received_at,
                channel=channel,
                to=to,
                text=text,
                subject=subject,
                notification_id=notification_id,
                answered=answered,
                copy_of=first,
                **joined,
            )
            self.receipts.append(receipt)
        log.info("%s #%d received (%s, %s)", channel, receipt.seq, receipt.kind or "?", answered)
        return receipt
