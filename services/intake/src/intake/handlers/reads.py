"""Reads of one application or case that see what the caller has just written.

The read models follow the event store moments behind. A record the read
model does not have yet (or has only half: an application whose decision is
not applied) is read from the store instead (``recorded.py``), so the author
of an application reads it right after the 201, and a case just opened in
the caller's area is never answered "not in your area". The scope is the
same either way: the caller's area, and for an application also its author.
"""

from __future__ import annotations

from inson_contracts.events.values import Actor
from inson_runtime.repository import Repository

from intake.domain.area import Area, OutsideArea
from intake.domain.case import Case
from intake.handlers.recorded import application_record, case_record
from intake.projections.queries import IntakeQueries, NotInArea
from intake.projections.records import ApplicationRecord, CaseRecord

# What an application's read model says between its submission and the
# decision recorded with it (both in one commit, applied one after the other).
UNDECIDED = "submitted"


class Reads:
    def __init__(self, queries: IntakeQueries, cases: Repository[Case]) -> None:
        self.queries = queries
        self.cases = cases

    async def application(self, application_id: str, actor: Actor, area: Area) -> ApplicationRecord:
        """The application, if it lies in the caller's area or the caller submitted it."""
        try:
            found = await self.queries.application(application_id, area, author=actor.id)
        except NotInArea:
            found = None
        if found is not None and found.status != UNDECIDED:
            return found
        recorded = await self._recorded_application(application_id)
        if recorded is not None and (
            recorded.submitted_by == actor.id or _within(area, recorded.district, recorded.mahalla)
        ):
            return recorded
        if found is not None:
            return found
        raise NotInArea(f"no application {application_id} in your area")

    async def case(self, case_id: str, area: Area) -> CaseRecord:
        """The case, if it lies in the caller's area."""
        try:
            return await self.queries.case(case_id, area)
        except NotInArea:
            pass
        case = await self.cases.load(case_id)
        if case.opened and _within(area, case.district, case.mahalla):
            return case_record(case)
        raise NotInArea(f"no case {case_id} in your area")

    async def _recorded_application(self, application_id: str) -> ApplicationRecord | None:
        # Every application is recorded by the commit of its submission.
        commit = await self.cases.recorded(f"submit:{application_id}", opened=False)
        if commit is None:
            return None
        case = await self.cases.load(self.cases.aggregate_id(commit.stream_id))
        if application_id not in case.applications:
            return None
        return application_record(case, application_id)


def _within(area: Area, district: str | None, mahalla: str | None) -> bool:
    try:
        area.check(district=district or "", mahalla=mahalla or "")
    except OutsideArea:
        return False
    return True
