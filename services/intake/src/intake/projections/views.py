"""Intake's read models, built from its own topic.

- ``cases``: one document per case, for the case lists of workers and supervisors
  (``status`` open, then closed when its plan ended);
- ``applications``: one per application, whichever case it ended in;
- ``people``: the applicant and household members of every application, for
  the likely-match search by birth date and name.

Each update is guarded by the stream version (``ViewBatch.at_version``), so a
redelivered or replayed event changes nothing. Handlers stage their writes on
the batch, which sends them in bulk.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from inson_contracts.envelope import Envelope
from inson_contracts.events import (
    ApplicationLinkConfirmed,
    ApplicationLinkedToCase,
    ApplicationLinkRefused,
    ApplicationRejected,
    ApplicationSubmitted,
    CaseClosed,
    CaseOpened,
    PersonErased,
)
from inson_contracts.topics import INTAKE_CASES
from inson_runtime.mongo import Document
from inson_runtime.projections import Projection
from inson_runtime.viewbatch import ViewBatch
from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

CASES = "cases"
APPLICATIONS = "applications"
PEOPLE = "people"


intake_views = Projection(
    name="intake-views",
    version=1,
    topics=(INTAKE_CASES.name,),
    collections=(CASES, APPLICATIONS, PEOPLE),
)


def _on_application(
    batch: ViewBatch, app_id: str, envelope: Envelope, update: dict[str, Any]
) -> None:
    # An application's document is fed by the stream it was submitted in
    # and, after a refused link, by the stream of its own new case.
    field = f"_versions.{envelope.subject}"
    batch.at_version(APPLICATIONS, app_id, envelope, update, version_field=field)


@intake_views.on(ApplicationSubmitted)
async def submitted(event: ApplicationSubmitted, envelope: Envelope, batch: ViewBatch) -> None:
    applicant = event.applicant
    _on_application(
        batch,
        event.application_id,
        envelope,
        {
            "$set": {
                "case_id": envelope.subject.removeprefix("case-"),
                "channel": event.channel.value,
                "district": event.address.district,
                "mahalla": event.address.mahalla,
                "submitted_at": event.submitted_at,
                "submitted_by": event.submitted_by.id,
                "circumstances": [c.value for c in event.circumstances],
                "applicant": _person(applicant.name.model_dump(), _iso(applicant.birth_date)),
                "household_size": 1 + len(event.household),
            },
            "$setOnInsert": {"status": "submitted"},
        },
    )
    members = [(applicant.name, applicant.birth_date, applicant.pinfl)] + [
        (m.name, m.birth_date, m.pinfl) for m in event.household
    ]
    if applicant.birth_date is None:
        # Read after the person's erasure (a replay): nobody to match against.
        return
    for i, (name, birth, pinfl) in enumerate(members):
        batch.upsert(
            PEOPLE,
            f"{event.application_id}:{i}",
            {
                "$set": {
                    "application_id": event.application_id,
                    "case_id": envelope.subject.removeprefix("case-"),
                    "birth_date": birth.isoformat(),
                    "last_name": name.last_name,
                    "first_name": name.first_name,
                    "patronymic": name.patronymic,
                    "has_pinfl": pinfl is not None,
                }
            },
        )


@intake_views.on(CaseOpened)
async def opened(event: CaseOpened, envelope: Envelope, batch: ViewBatch) -> None:
    # The opening application was projected before (same stream, earlier
    # version, or the stream the application left): the worker's list
    # shows whom the case is about.
    opening = await batch.find_one(APPLICATIONS, event.application_id, ["applicant"])
    batch.at_version(
        CASES,
        event.case_id,
        envelope,
        {
            "$set": {
                "status": "open",
                "region": event.region,
                "district": event.district,
                "mahalla": event.mahalla,
                "circumstances": [c.value for c in event.circumstances],
                "household_size": event.household_size,
                "language": event.language.value,
                "opened_at": event.opened_at,
                "opening_application_id": event.application_id,
                "applicant": (opening or {}).get("applicant"),
            },
            "$setOnInsert": {"pending_confirmations": 0},
            "$inc": {"applications": 1},
        },
    )
    _on_application(
        batch,
        event.application_id,
        envelope,
        {"$set": {"status": "opened_case", "case_id": event.case_id}},
    )


@intake_views.on(ApplicationLinkedToCase)
async def linked(event: ApplicationLinkedToCase, envelope: Envelope, batch: ViewBatch) -> None:
    pending = 1 if event.needs_confirmation else 0
    batch.at_version(
        CASES,
        event.case_id,
        envelope,
        {
            "$inc": {"applications": 1, "pending_confirmations": pending},
            "$addToSet": {"circumstances": {"$each": [c.value for c in event.new_circumstances]}},
        },
    )
    status = "pending_confirmation" if event.needs_confirmation else "linked"
    _on_application(
        batch,
        event.application_id,
        envelope,
        {"$set": {"status": status, "match": event.match.value}},
    )


@intake_views.on(ApplicationLinkConfirmed)
async def confirmed(event: ApplicationLinkConfirmed, envelope: Envelope, batch: ViewBatch) -> None:
    batch.at_version(CASES, event.case_id, envelope, {"$inc": {"pending_confirmations": -1}})
    _on_application(batch, event.application_id, envelope, {"$set": {"status": "linked"}})


@intake_views.on(ApplicationLinkRefused)
async def refused(event: ApplicationLinkRefused, envelope: Envelope, batch: ViewBatch) -> None:
    batch.at_version(
        CASES,
        event.case_id,
        envelope,
        {"$inc": {"pending_confirmations": -1, "applications": -1}},
    )
    # Only a note here: the new case's CaseOpened (another stream, maybe
    # already applied) sets the application's status and case.
    _on_application(batch, event.application_id, envelope, {"$set": {"moved_from": event.case_id}})
    batch.update_many(
        PEOPLE, {"application_id": event.application_id}, {"$set": {"case_id": event.new_case_id}}
    )


@intake_views.on(ApplicationRejected)
async def rejected(event: ApplicationRejected, envelope: Envelope, batch: ViewBatch) -> None:
    _on_application(
        batch,
        event.application_id,
        envelope,
        {"$set": {"status": "rejected", "rejection_reason": event.reason.value}},
    )


@intake_views.on(CaseClosed)
async def closed(event: CaseClosed, envelope: Envelope, batch: ViewBatch) -> None:
    # Nothing moves it back to open: a later application joins the case and
    # leaves the status alone (see intake.domain.case).
    batch.at_version(
        CASES,
        event.case_id,
        envelope,
        {
            "$set": {
                "status": "closed",
                "closed_at": event.closed_at,
                "closure_reason": event.reason.value,
            }
        },
    )


@intake_views.on(PersonErased)
async def erased(event: PersonErased, envelope: Envelope, batch: ViewBatch) -> None:
    # Blank the person; keep what statistics count (status, district,
    # circumstances, dates). Each write is idempotent.
    erasure = {"erased": True, "erased_at": event.erased_at}
    batch.at_version(CASES, event.case_id, envelope, {"$set": {**erasure, "applicant": None}})
    batch.update_many(
        APPLICATIONS, {"case_id": event.case_id}, {"$set": {**erasure, "applicant": None}}
    )
    batch.delete_many(PEOPLE, {"case_id": event.case_id})


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _person(name: dict[str, Any], birth_date: str | None) -> dict[str, Any]:
    return {**name, "birth_date": birth_date}


async def ensure_view_indexes(db: AsyncDatabase[Document]) -> None:
    await db[CASES].create_index([("district", ASCENDING), ("opened_at", DESCENDING)])
    await db[CASES].create_index([("mahalla", ASCENDING), ("opened_at", DESCENDING)])
    await db[APPLICATIONS].create_index([("district", ASCENDING), ("submitted_at", DESCENDING)])
    await db[APPLICATIONS].create_index([("mahalla", ASCENDING), ("submitted_at", DESCENDING)])
    await db[PEOPLE].create_index("birth_date")
