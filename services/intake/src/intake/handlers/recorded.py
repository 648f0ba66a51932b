"""An application and a case as the event store holds them, in their read models' shape.

The read models (``projections/views.py``) follow the store through Kafka,
moments behind. What a caller has just written is read back from here while
they catch up, so the 201 of a submission carries the application and its
author's first ``GET`` never misses it. Each record has the fields the
projection would have set by now, and no others (absent fields stay out of
the answer, as they do for a read model document).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from inson_contracts.events import ApplicationSubmitted

from intake.domain.case import Application, ApplicationStatus, Case
from intake.projections.records import ApplicationRecord, CaseRecord, PersonRecord


def application_record(case: Case, application_id: str) -> ApplicationRecord:
    """``application_id`` as the ``applications`` read model will show it."""
    app = case.application(application_id)
    fields: dict[str, Any] = {"id": application_id, "case_id": case.case_id}
    if app.submitted is not None:
        fields |= _submitted(case, app.submitted)
    fields["status"] = _status(app)
    if app.match is not None:
        fields["match"] = app.match
    if app.moved_to is not None:
        fields |= {"case_id": app.moved_to, "moved_from": case.case_id}
    if app.rejection is not None:
        fields["rejection_reason"] = app.rejection
    return ApplicationRecord.model_validate(fields | _erasure(case))


def case_record(case: Case) -> CaseRecord:
    """An opened case as the ``cases`` read model will show it."""
    opening = case.opening
    if opening is None:
        raise ValueError(f"case {case.case_id} was never opened")
    first = case.applications.get(opening.application_id)
    held = [
        a for a in case.applications.values() if a.status is not ApplicationStatus.MOVED_TO_OWN_CASE
    ]
    fields: dict[str, Any] = {
        "id": case.case_id,
        "status": "closed" if case.closure else "open",
        "region": case.region,
        "district": case.district,
        "mahalla": case.mahalla,
        "circumstances": list(case.circumstances),
        "household_size": opening.household_size,
        "language": opening.language,
        "opened_at": _stored(opening.opened_at),
        "opening_application_id": opening.application_id,
        "pending_confirmations": sum(
            a.status is ApplicationStatus.PENDING_CONFIRMATION for a in held
        ),
        "applications": len(held),
    }
    if first is not None and first.submitted is not None and not case.erased:
        fields["applicant"] = _applicant(first.submitted)
    if case.closure is not None:
        closed_at = _stored(case.closure.closed_at)
        fields |= {"closed_at": closed_at, "closure_reason": case.closure.reason}
    return CaseRecord.model_validate(fields | _erasure(case))


def _status(app: Application) -> str:
    if app.status is ApplicationStatus.MOVED_TO_OWN_CASE:
        return ApplicationStatus.OPENED_CASE.value  # it opened a case of its own
    return app.status.value


def _submitted(case: Case, submitted: ApplicationSubmitted) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "channel": submitted.channel,
        "district": submitted.address.district,
        "mahalla": submitted.address.mahalla,
        "submitted_at": _stored(submitted.submitted_at),
        "submitted_by": submitted.submitted_by.id,
        "circumstances": list(submitted.circumstances),
        "household_size": 1 + len(submitted.household),
    }
    if not case.erased:
        fields["applicant"] = _applicant(submitted)
    return fields


def _applicant(submitted: ApplicationSubmitted) -> PersonRecord:
    name = submitted.applicant.name
    return PersonRecord(
        last_name=name.last_name,
        first_name=name.first_name,
        patronymic=name.patronymic,
        birth_date=submitted.applicant.birth_date,
    )


def _erasure(case: Case) -> dict[str, Any]:
    if case.erasure is None:
        return {}
    return {"applicant": None, "erased": True, "erased_at": _stored(case.erasure.erased_at)}


def _stored(at: datetime) -> datetime:
    """``at`` as a read model stores it: to the millisecond (BSON dates)."""
    return at.replace(microsecond=at.microsecond // 1000 * 1000)
