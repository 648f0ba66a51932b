"""The ``recipients`` read model: per case, how to reach its citizen and who its worker is.

- ``recipients``: ``_id`` = case id; ``phone``, ``email`` (the contract carries
  no e-mail yet, so it stays empty until one does), ``language``,
  ``worker_id``. Fed by the case's intake stream and its assessment stream,
  each guarded by its own stream version.
- ``application_contacts``: ``_id`` = application id; the applicant's phone
  and language, for a case opened later from that application (an
  application whose likely match was refused opens a case in a new stream).

Only what a message needs is kept: no names, no PINFL, no address.
"""

from __future__ import annotations

from typing import Any

from inson_contracts.envelope import Envelope
from inson_contracts.events import (
    ApplicationSubmitted,
    CaseOpened,
    PersonErased,
    SocialWorkerAssigned,
    SocialWorkerReassigned,
)
from inson_contracts.topics import ASSESSMENT_PLANS, INTAKE_CASES
from inson_runtime.projections import Database, Projection, apply_at_version

RECIPIENTS = "recipients"
APPLICATION_CONTACTS = "application_contacts"


recipients_view = Projection(
    name="recipients",
    version=1,
    topics=(INTAKE_CASES.name, ASSESSMENT_PLANS.name),
    collections=(RECIPIENTS, APPLICATION_CONTACTS),
)


async def _apply(db: Database, case_id: str, envelope: Envelope, update: dict[str, Any]) -> None:
    field = f"_versions.{envelope.subject}"
    await apply_at_version(db[RECIPIENTS], case_id, envelope, update, version_field=field)


@recipients_view.on(ApplicationSubmitted)
async def submitted(event: ApplicationSubmitted, envelope: Envelope, db: Database) -> None:
    applicant = event.applicant
    case_id = envelope.subject.removeprefix("case-")
    contact: dict[str, Any] = {"language": applicant.language.value}
    if applicant.phone:
        contact["phone"] = applicant.phone
    await db[APPLICATION_CONTACTS].update_one(
        {"_id": event.application_id},
        # The case is kept so an erasure finds the contact.
        {"$set": contact, "$setOnInsert": {"case_id": case_id}},
        upsert=True,
    )
    # The latest application of a case brings the latest phone; one
    # without a phone leaves the one known before.
    await _apply(db, case_id, envelope, {"$set": contact})
    if applicant.phone:
        # A case opened from this application in another stream may have
        # been projected first (its partition ran ahead).
        await db[RECIPIENTS].update_many(
            {"opening_application_id": event.application_id, "phone": {"$exists": False}},
            {"$set": {"phone": applicant.phone}},
        )


@recipients_view.on(CaseOpened)
async def opened(event: CaseOpened, envelope: Envelope, db: Database) -> None:
    await _apply(
        db,
        event.case_id,
        envelope,
        {
            "$set": {
                "language": event.language.value,
                "opening_application_id": event.application_id,
            }
        },
    )
    known = await db[APPLICATION_CONTACTS].find_one({"_id": event.application_id})
    if known and known.get("phone"):
        await db[RECIPIENTS].update_one(
            {"_id": event.case_id, "phone": {"$exists": False}},
            {"$set": {"phone": known["phone"]}},
        )


@recipients_view.on(SocialWorkerAssigned)
async def assigned(event: SocialWorkerAssigned, envelope: Envelope, db: Database) -> None:
    await _apply(db, event.case_id, envelope, {"$set": {"worker_id": event.social_worker_id}})


@recipients_view.on(SocialWorkerReassigned)
async def reassigned(event: SocialWorkerReassigned, envelope: Envelope, db: Database) -> None:
    await _apply(db, event.case_id, envelope, {"$set": {"worker_id": event.to_social_worker_id}})


@recipients_view.on(PersonErased)
async def erased(event: PersonErased, envelope: Envelope, db: Database) -> None:
    # The worker and language stay (a worker's caseload still counts the
    # case); the citizen's contact points go.
    await _apply(
        db,
        event.case_id,
        envelope,
        {"$unset": {"phone": "", "email": ""}, "$set": {"erased": True}},
    )
    await db[APPLICATION_CONTACTS].delete_many({"case_id": event.case_id})
    opening = await db[RECIPIENTS].find_one({"_id": event.case_id}, {"opening_application_id": 1})
    if opening and opening.get("opening_application_id"):
        await db[APPLICATION_CONTACTS].delete_one({"_id": opening["opening_application_id"]})
