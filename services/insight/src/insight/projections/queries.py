"""The read side: the facts of one district (a supervisor's) or of all, as domain facts.

Each collection is read in one query with only the fields the figures use;
the district filter is built here, so no caller can forget it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from inson_runtime.projections import Database

from insight.domain.facts import (
    ApplicationFact,
    Area,
    CaseFact,
    CaseWorkFact,
    Facts,
    MessageFact,
    MessageOutcome,
    ReferralFact,
    RegisterFact,
    RegisterKind,
)
from insight.projections.facts import (
    APPLICATIONS,
    CASE_WORK,
    CASES,
    MESSAGES,
    REFERRAL_FACTS,
    REGISTERS,
)

Doc = dict[str, Any]


def _utc(value: datetime | None) -> datetime | None:
    # The driver hands naive UTC datetimes back.
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def _at(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _first(doc: Doc, field: str) -> datetime | None:
    """The earliest of the times kept per stream version (a milestone reached again)."""
    times = (doc.get(field) or {}).values()
    return _utc(min(times)) if times else None


def _newest(doc: Doc, field: str) -> Any:
    """What the newest event of the stream said (kept per stream version)."""
    said: dict[str, Any] = doc.get(field) or {}
    return said[max(said, key=int)] if said else None


def _area(doc: Doc) -> Area:
    return Area(doc["region"], doc["district"], doc.get("mahalla"))


def application(doc: Doc) -> ApplicationFact:
    return ApplicationFact(doc["_id"], _area(doc), doc["channel"], _at(doc["submitted_at"]))


def case(doc: Doc, submitted: dict[str, datetime]) -> CaseFact:
    """A case; its durations start at the submission of the application that opened
    it (``submitted``: application id -> time), wherever that application lives now."""
    return CaseFact(
        case_id=doc["_id"],
        area=_area(doc),
        opened_at=_at(doc["opened_at"]),
        applied_at=_utc(submitted.get(doc.get("application_id", ""))),
        closed_at=_utc(doc.get("closed_at")),
    )


def case_work(doc: Doc) -> CaseWorkFact:
    return CaseWorkFact(
        case_id=doc["_id"],
        district=doc.get("district"),
        social_worker_id=_newest(doc, "workers"),
        visited_at=_first(doc, "visited"),
        assessed_at=_first(doc, "assessed"),
        plan_approved_at=_first(doc, "plan_approved"),
        plan_completed_at=_first(doc, "plan_completed"),
        plan_closed_at=_first(doc, "plan_closed"),
    )


def referral(doc: Doc) -> ReferralFact:
    return ReferralFact(
        referral_id=doc["_id"],
        case_id=doc["case_id"],
        district=doc["district"],
        provider_type=doc["provider_type"],
        status=_newest(doc, "steps"),
        issued_at=_at(doc["issued_at"]),
        accept_by=_at(doc["accept_by"]),
        accepted_at=_utc(doc.get("accepted_at")),
        rejected_at=_utc(doc.get("rejected_at")),
        rejection_code=doc.get("rejection_code"),
        expired_at=_utc(doc.get("expired_at")),
        escalated=bool(doc.get("escalated")),
    )


def register(doc: Doc) -> RegisterFact:
    return RegisterFact(
        RegisterKind(doc["kind"]),
        doc["_id"],
        doc["case_id"],
        doc.get("district"),
        _at(doc["decided_at"]),
    )


def message(doc: Doc) -> MessageFact:
    outcome = _newest(doc, "outcomes")
    return MessageFact(
        doc["_id"],
        doc.get("case_id"),
        doc.get("district"),
        doc["channel"],
        MessageOutcome(outcome["outcome"]),
        _at(outcome["at"]),
    )


class InsightQueries:
    """Facts read from the projection's collections, kept for ``fresh_for_s``.

    KPIs are not a queue: figures a few seconds old serve a page, its report
    and the gauges alike, and the whole country's facts take seconds to read
    from the store (FerretDB decodes every document).
    """

    def __init__(
        self,
        db: Database,
        *,
        fresh_for_s: float = 10.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.db, self.fresh_for_s, self.clock = db, fresh_for_s, clock
        self._kept: dict[str | None, tuple[float, Facts]] = {}

    async def _docs(self, name: str, district: str | None, required: str) -> list[Doc]:
        # A document written by a later event of its stream and not yet by the
        # one that gives its facts (a referral's acceptance before its issue,
        # during a rebuild) is left out until complete.
        query: Doc = {required: {"$exists": True}}
        if district is not None:
            query["district"] = district
        return [doc async for doc in self.db[name].find(query)]

    async def facts(self, district: str | None = None) -> Facts:
        """Everything of ``district``, or of every district (None)."""
        kept = self._kept.get(district)
        if kept is not None and self.clock() - kept[0] < self.fresh_for_s:
            return kept[1]
        read_at = self.clock()
        facts = await self._read(district)
        self._kept[district] = (read_at, facts)
        return facts

    async def _read(self, district: str | None) -> Facts:
        applications, cases, work, referrals, registers, messages = await asyncio.gather(
            self._docs(APPLICATIONS, district, "channel"),
            self._docs(CASES, district, "opened_at"),
            self._docs(CASE_WORK, district, "district"),
            self._docs(REFERRAL_FACTS, district, "issued_at"),
            self._docs(REGISTERS, district, "kind"),
            self._docs(MESSAGES, district, "channel"),
        )
        submitted = {d["_id"]: d["submitted_at"] for d in applications}
        return Facts(
            applications=[application(d) for d in applications],
            cases=[case(d, submitted) for d in cases],
            work=[case_work(d) for d in work],
            referrals=[referral(d) for d in referrals],
            registers=[register(d) for d in registers],
            messages=[message(d) for d in messages],
        )
