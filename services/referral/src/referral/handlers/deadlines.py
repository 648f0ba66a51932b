"""The deadline job: escalate referrals not accepted in time, expire those never taken up.

It runs as a periodic job of the runtime (``Runtime.every``), every
``deadline_interval_s`` seconds while the service runs.

Due times are read from the ``deadlines`` read model, never kept in memory,
so a restart loses nothing; the decision itself is made on the referral's
stream, and each escalation level has one commit id, so two instances or a
restarted one never escalate the same level twice. A read model that lags
only costs a reload that decides nothing.
"""

from __future__ import annotations

import structlog
from inson_runtime.mongo import Document
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

    async def sweep(self) -> None:
        """One run of the periodic job (``Runtime.every``), which logs and retries failures."""
        appended = await self.sweep_once()
        if appended:
            log.info("deadlines enforced", events=appended)
