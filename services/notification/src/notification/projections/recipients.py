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
from inson_runtime.projections import Projection
from inson_runtime.viewbatch import ViewBatch

RECIPIENTS = "recipients"
APPLICATION_CONTACTS = "application_contacts"


recipients_view = Projection(
    name="recipients",
    version=1,
    topics=(INTAKE_CASES.name, ASSESSMENT_PLANS.name),
    collections=(RECIPIENTS, APPLICATION_CONTACTS),
)


def _apply(batch: ViewBatch, case_id: str, envelope: Envelope, update: dict[str, Any]) -> None:
    field = f"_versions.{envelope.subject}"
    batch.at_version(RECIPIENTS, case_id, envelope, update, version_field=field)


@recipients_view.on(ApplicationSubmitted)
async def submitted(event: ApplicationSubmitted, envelope: Envelope, batch: ViewBatch) -> None:
    applicant = event.applicant
    case_id = envelope.subject.removeprefix("case-")
    contact: dict[str, Any] = {"language": applicant.language.value}
    if applicant.phone:
        contact["phone"] = applicant.phone
    batch.upsert(
        APPLICATION_CONTACTS,
        event.application_id,
        # The case is kept so an erasure finds the contact.
        {"$set": contact, "$setOnInsert": {"case_id": case_id}},
    )
    # The latest application of a case brings the latest phone; one
    # without a phone leaves the one known before.
    _apply(batch, case_id, envelope, {"$set": contact})
    if applicant.phone:
        # A case opened from this application in another stream may have
        # been projected first (its partition ran ahead).
        batch.update_many(
            RECIPIENTS,
            {"opening_application_id": event.application_id, "phone": {"$exists": False}},
            {"$set": {"phone": applicant.phone}},
        )


@recipients_view.on(CaseOpened)
async def opened(event: CaseOpened, envelope: Envelope, batch: ViewBatch) -> None:
    _apply(
        batch,
        event.case_id,
        envelope,
        {
            "$set": {
                "language": event.language.value,
                "opening_application_id": event.application_id,
            }
        },
    )
    known = await batch.find_one(APPLICATION_CONTACTS, event.application_id, ["phone"])
    if known and known.get("phone"):
        batch.update_if(
            RECIPIENTS,
            event.case_id,
            {"phone": {"$exists": False}},
            {"$set": {"phone": known["phone"]}},
        )


@recipients_view.on(SocialWorkerAssigned)
async def assigned(event: SocialWorkerAssigned, envelope: Envelope, batch: ViewBatch) -> None:
    _apply(batch, event.case_id, envelope, {"$set": {"worker_id": event.social_worker_id}})


@recipients_view.on(SocialWorkerReassigned)
async def reassigned(event: SocialWorkerReassigned, envelope: Envelope, batch: ViewBatch) -> None:
    _apply(batch, event.case_id, envelope, {"$set": {"worker_id": event.to_social_worker_id}})


@recipients_view.on(PersonErased)
async def erased(event: PersonErased, envelope: Envelope, batch: ViewBatch) -> None:
    # The worker and language stay (a worker's caseload still counts the
    # case); the citizen's contact points go.
    _apply(
        batch,
        event.case_id,
        envelope,
        {"$unset": {"phone": "", "email": ""}, "$set": {"erased": True}},
    )
    batch.delete_many(APPLICATION_CONTACTS, {"case_id": event.case_id})
    opening = await batch.find_one(RECIPIENTS, event.case_id, ["opening_application_id"])
    if opening and opening.get("opening_application_id"):
        batch.delete_many(APPLICATION_CONTACTS, {"_id": opening["opening_application_id"]})
