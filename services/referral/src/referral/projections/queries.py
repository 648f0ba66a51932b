"""The read side of the referral service: its projections, queried.

The window's or provider's queue (searchable by referral code), one
referral, a center's or provider's board, for the API; open referrals per
window and the deadlines that have come, for the plan policy and the
deadline job. Every query a caller reaches is narrowed to the
caller's :class:`~referral.domain.area.Area` here, so no route can forget it.
Filters are built from typed, validated values in equality matches only:
nothing a caller sends can become an operator.
"""

from __future__ import annotations

import contextlib
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from inson_contracts.codes.errors import UnknownCode
from inson_contracts.codes.providers import Provider, provider
from inson_contracts.codes.services import SERVICES_BY_CODE
from inson_contracts.events.values import Priority
from inson_runtime.projections import Database
from pymongo import ASCENDING, DESCENDING

from referral.domain.area import Area
from referral.domain.codes import referral_code
from referral.domain.referral import AWAITING_ACCEPTANCE, Status
from referral.projections.results import (
    CenterBoard,
    ProviderBoard,
    QueueItem,
    ReferralDetail,
    WindowBoard,
)
from referral.projections.views import DEADLINES, OPEN_STATUSES, REFERRALS
from referral.reference.centers import ServiceCenter, service_center

Filter = dict[str, Any]
AWAITING = sorted(s.value for s in AWAITING_ACCEPTANCE)
# The median is over the most recent acceptances: recent enough to say how
# the center works now, and one bounded read however old the center is.
MEDIAN_SAMPLE = 1000


@dataclass(frozen=True)
class QueueFilter:
    """What a queue is narrowed to besides the caller's area; None: any."""

    center: str | None = None
    window: str | None = None
    provider: str | None = None
    # A referral code, canonical: whatever its status, unless one is asked for.
    code: str | None = None
    status: Status | None = None  # None: every open referral
    priority: Priority | None = None


def _area_filter(area: Area) -> Filter:
    if area.service_center is not None:
        return {"service_center": area.service_center}
    if area.providers is not None:
        return {"provider": {"$in": sorted(area.providers)}}
    if area.district is not None:
        return {"district": area.district}
    return {}


class ReferralQueries:
    def __init__(self, db: Database, *, clock: Callable[[], datetime]) -> None:
        self.referrals = db[REFERRALS]
        self.deadlines = db[DEADLINES]
        # Whether a referral is overdue is a question about now.
        self.clock = clock

    async def queue(
        self, area: Area, only: QueueFilter, *, skip: int, limit: int
    ) -> tuple[list[QueueItem], int]:
        """A page of the area's referrals, the nearest deadline first, and how many in all."""
        query: list[Filter] = [_area_filter(area)]
        if only.center is not None:
            query.append({"service_center": only.center})
        if only.window is not None:
            query.append({"window": only.window})
        if only.provider is not None:
            query.append({"provider": only.provider})
        if only.code is not None:
            query.append({"referral_code": only.code})
        if only.status is not None:
            query.append({"status": only.status.value})
        elif only.code is None:
            # A code is looked up whatever became of its referral.
            query.append({"status": {"$in": OPEN_STATUSES}})
        if only.priority is not None:
            query.append({"priority": only.priority.value})
        total = await self.referrals.count_documents({"$and": query})
        cursor = self.referrals.find(
            {"$and": query},
            sort=[("accept_by", ASCENDING), ("_id", ASCENDING)],
            skip=skip,
            limit=limit,
        )
        now = self.clock()
        items = [QueueItem.model_validate(_public(doc, now)) async for doc in cursor]
        return items, total

    async def referral(self, referral_id: str, area: Area) -> ReferralDetail | None:
        """One referral of the area, with its center's and window's names; None if none."""
        doc = await self.referrals.find_one({"$and": [{"_id": referral_id}, _area_filter(area)]})
        if doc is None:
            return None
        detail = _public(doc, self.clock())
        if doc.get("service_center"):
            try:
                center = service_center(doc["service_center"])
            except UnknownCode:
                pass  # a center since removed from the directory: codes still say where
            else:
                detail["center_name"] = center.name
                names = {w.code: w.name for w in center.windows}
                detail["window_name"] = names.get(doc.get("window") or "")
        if doc.get("provider"):
            # A provider since removed from the directory: its code still says where.
            with contextlib.suppress(UnknownCode):
                detail["provider_name"] = provider(doc["provider"]).name
        return ReferralDetail.model_validate(detail)

    async def board(self, center: ServiceCenter) -> CenterBoard:
        """Open, awaiting and overdue referrals per window; the median minutes to accept."""
        now = self.clock()
        windows: list[WindowBoard] = []
        for window in center.window_codes:
            here: Filter = {"service_center": center.code, "window": window}
            awaiting = {**here, "status": {"$in": AWAITING}}
            opened = {**here, "status": {"$in": OPEN_STATUSES}}
            windows.append(
                WindowBoard(
                    window=window,
                    open=await self.referrals.count_documents(opened),
                    awaiting_acceptance=await self.referrals.count_documents(awaiting),
                    overdue=await self.referrals.count_documents(
                        {**awaiting, "accept_by": {"$lt": now}}
                    ),
                )
            )
        minutes = await self._minutes_to_accept({"service_center": center.code})
        return CenterBoard(
            center=center.code,
            district=center.district,
            name=center.name,
            as_of=now,
            open=sum(w.open for w in windows),
            awaiting_acceptance=sum(w.awaiting_acceptance for w in windows),
            overdue=sum(w.overdue for w in windows),
            accepted=len(minutes),
            median_minutes_to_accept=float(statistics.median(minutes)) if minutes else None,
            windows=windows,
        )

    async def provider_board(self, known: Provider) -> ProviderBoard:
        """Open, awaiting and overdue referrals of a provider; the median minutes to accept."""
        now = self.clock()
        here: Filter = {"provider": known.code}
        awaiting = {**here, "status": {"$in": AWAITING}}
        minutes = await self._minutes_to_accept(here)
        return ProviderBoard(
            provider=known.code,
            provider_type=known.provider_type,
            district=known.district,
            name=known.name,
            as_of=now,
            open=await self.referrals.count_documents({**here, "status": {"$in": OPEN_STATUSES}}),
            awaiting_acceptance=await self.referrals.count_documents(awaiting),
            overdue=await self.referrals.count_documents({**awaiting, "accept_by": {"$lt": now}}),
            accepted=len(minutes),
            median_minutes_to_accept=float(statistics.median(minutes)) if minutes else None,
        )

    async def _minutes_to_accept(self, where: Filter) -> list[int]:
        """Minutes to accept of the most recent acceptances there."""
        cursor = self.referrals.find(
            {**where, "minutes_to_accept": {"$exists": True}},
            {"minutes_to_accept": 1},
            sort=[("accepted_at", DESCENDING)],
            limit=MEDIAN_SAMPLE,
        )
        return [int(doc["minutes_to_accept"]) async for doc in cursor]

    async def open_by_window(self, windows: Sequence[str]) -> dict[str, int]:
        """Open referrals per window, for balancing a center's windows."""
        return {
            window: await self.referrals.count_documents(
                {"window": window, "status": {"$in": OPEN_STATUSES}}
            )
            for window in windows
        }

    async def due_deadlines(self, now: datetime, issued_before: datetime, limit: int) -> list[str]:
        """Referrals awaiting acceptance whose next escalation or expiry has come."""
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
            limit=limit,
        )
        return [doc["_id"] async for doc in cursor]


def _public(doc: dict[str, Any], now: datetime) -> dict[str, Any]:
    out = {k: v for k, v in doc.items() if not k.startswith("_")}
    out["id"] = doc["_id"]
    out["referral_code"] = doc.get("referral_code") or referral_code(doc["_id"])
    known = SERVICES_BY_CODE.get(doc.get("service_code", ""))
    out["service_name"] = known.name if known else None
    awaiting = doc.get("status") in AWAITING
    out["overdue"] = bool(awaiting and doc.get("accept_by") and doc["accept_by"] < now)
    return out
