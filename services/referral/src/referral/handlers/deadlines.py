"""The deadline task: escalate referrals not accepted in time, expire those never taken up.

Due times are read from the ``deadlines`` read model, never kept in memory,
so a restart loses nothing; the decision itself is made on the referral's
stream, and each escalation level has one commit id, so two instances or a
restarted one never escalate the same level twice. A read model that lags
only costs a reload that decides nothing.
"""

from __future__ import annotations

import asyncio

import structlog
from inson_runtime.mongo import TRANSIENT_MONGO_ERRORS, Document
from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase

from referral.handlers.commands import Referrals
from referral.projections.views import DEADLINES

log = structlog.get_logger(__name__)


class DeadlineWatch:
    def __init__(
        self, db: AsyncDatabase[Document], referrals: Referrals, *, batch: int = 200
    ) -> None:
        self.deadlines = db[DEADLINES]
        self.referrals = referrals
        self.batch = batch

    async def due(self) -> list[str]:
        """Referrals awaiting acceptance whose next escalation or expiry has come."""
        now = self.referrals.clock()
        issued_before = now - self.referrals.expire_after
        cursor = self.deadlines.find(
            {
                "open": True,
                "$or": [
                    {"next_escalation_at": {"$lte": now}},
                    {"issued_at": {"$lte": issued_before}},
                ],
            },
            {"_id": 1},
            sort=[("next_escalation_at", ASCENDING), ("_id", ASCENDING)],
            limit=self.batch,
        )
        return [doc["_id"] async for doc in cursor]

    async def sweep_once(self) -> int:
        """Enforce every due deadline once; the number of events appended."""
        appended = 0
        for rid in await self.due():
            appended += len(await self.referrals.enforce_deadline(rid))
        return appended

    async def run(self, interval_s: float) -> None:
        """Sweep every ``interval_s`` seconds until cancelled."""
        while True:
            try:
                appended = await self.sweep_once()
                if appended:
                    log.info("deadlines enforced", events=appended)
            except TRANSIENT_MONGO_ERRORS as exc:
                log.warning("store unavailable; deadlines wait for the next sweep", error=str(exc))
            except Exception:
                # One bad referral must not end the task that watches them all.
                log.exception("deadline sweep failed; trying again at the next sweep")
            await asyncio.sleep(interval_s)
