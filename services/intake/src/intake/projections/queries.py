"""The read side of intake's API: the caseload and the access log, as typed records.

Every read of the caseload is limited to the caller's area (``visible``): a
filter built here from validated plain strings in equality matches, so
nothing a caller sends can become a query operator.
"""

from __future__ import annotations

from typing import Any, TypeVar

from inson_contracts.codes.channels import Channel
from inson_runtime.apikit import Page, skip_of
from inson_runtime.mongo import Document
from inson_runtime.projections import Database
from pymongo.asynchronous.collection import AsyncCollection

from intake.domain.area import Area, NoArea
from intake.projections.access_log import ACCESS_LOG
from intake.projections.records import AccessRecord, ApplicationRecord, CaseRecord, Record
from intake.projections.views import APPLICATIONS, CASES

R = TypeVar("R", bound=Record)


class NotInArea(LookupError):
    """Nothing by that id in the caller's area (HTTP 404; whether it is elsewhere is not said)."""


def visible(area: Area) -> dict[str, Any]:
    """The caller's part of the caseload, as a filter; a token with no area is refused."""
    if area.missing:
        raise NoArea()
    scope: dict[str, Any] = {}
    if area.mahallas is not None:
        scope["mahalla"] = {"$in": list(area.mahallas)}
    if area.district is not None:
        scope["district"] = area.district
    return scope


class IntakeQueries:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def applications(
        self,
        area: Area,
        *,
        district: str | None,
        mahalla: str | None,
        status: str | None,
        channel: Channel | None,
        page: int,
        page_size: int,
    ) -> Page[ApplicationRecord]:
        """Applications in the area, newest first."""
        query = _filters(area, district=district, mahalla=mahalla, status=status)
        if channel:
            query["channel"] = channel.value
        return await _page(
            self.db[APPLICATIONS], ApplicationRecord, query, "submitted_at", page, page_size
        )

    async def application(
        self, application_id: str, area: Area, *, author: str | None = None
    ) -> ApplicationRecord:
        """The application if it lies in the area, or (given ``author``) that user submitted it."""
        scope = visible(area)
        if author is not None and scope:  # (an empty scope is everywhere)
            scope = {"$or": [scope, {"submitted_by": author}]}
        found = await _one(self.db[APPLICATIONS], ApplicationRecord, application_id, scope)
        if found is None:
            raise NotInArea(f"no application {application_id} in your area")
        return found

    async def cases(
        self,
        area: Area,
        *,
        district: str | None,
        mahalla: str | None,
        status: str | None,
        page: int,
        page_size: int,
    ) -> Page[CaseRecord]:
        """Cases in the area, newest first."""
        query = _filters(area, district=district, mahalla=mahalla, status=status)
        return await _page(self.db[CASES], CaseRecord, query, "opened_at", page, page_size)

    async def case(self, case_id: str, area: Area) -> CaseRecord:
        found = await _one(self.db[CASES], CaseRecord, case_id, visible(area))
        if found is None:
            raise NotInArea(f"no case {case_id} in your area")
        return found

    async def access_log(self, case_id: str, *, page: int, page_size: int) -> Page[AccessRecord]:
        """Who read the case's personal data, newest first.

        The caller's right to the case is checked against the case itself
        (``Intake.case_in_area``) before this is asked.
        """
        log = self.db[ACCESS_LOG]
        query = {"case_ids": case_id}
        total = await log.count_documents(query)
        cursor = log.find(
            query,
            # Other cases a listing read alongside are not this supervisor's business.
            projection={"case_ids": False},
            sort=[("read_at", -1), ("_id", 1)],
            skip=skip_of(page, page_size),
            limit=page_size,
        )
        items = [AccessRecord.model_validate(_public(doc)) async for doc in cursor]
        return Page(items=items, page=page, page_size=page_size, total=total)


def _filters(area: Area, **wanted: str | None) -> dict[str, Any]:
    conditions = [visible(area)]
    conditions += [{name: value} for name, value in wanted.items() if value is not None]
    return {"$and": conditions}


async def _page(
    collection: AsyncCollection[Document],
    record: type[R],
    query: dict[str, Any],
    newest: str,
    page: int,
    size: int,
) -> Page[R]:
    total = await collection.count_documents(query)
    cursor = collection.find(
        query, sort=[(newest, -1), ("_id", 1)], skip=skip_of(page, size), limit=size
    )
    items = [record.model_validate(_public(doc)) async for doc in cursor]
    return Page(items=items, page=page, page_size=size, total=total)


async def _one(
    collection: AsyncCollection[Document], record: type[R], doc_id: str, scope: dict[str, Any]
) -> R | None:
    doc = await collection.find_one({"$and": [{"_id": doc_id}, scope]})
    return record.model_validate(_public(doc)) if doc is not None else None


def _public(doc: Document) -> dict[str, Any]:
    # Fields starting with "_" are the projection's bookkeeping (versions).
    out = {k: v for k, v in doc.items() if not k.startswith("_")}
    out["id"] = doc["_id"]
    return out
