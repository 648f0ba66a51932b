"""The case as intake sees it: pure decisions over its events, no I/O.

``evolve`` folds a case stream's events into a :class:`Case`; each ``decide_*``
function takes the current case and a command and returns the new events, or
raises :class:`IntakeRuleViolation` when the command is not allowed now.

A case is closed once, when its plan ends (:func:`decide_closure`), and stays
closed: a later application for the person still joins it (one case per
person), but nothing reopens it. Reopening would have to restart the work
(a new assessment and plan), which no service does on any event today, so a
case that showed ``open`` again would promise work nobody is doing. The later
application stays visible as one of the case's applications.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from inson_contracts.events import (
    ApplicationLinkConfirmed,
    ApplicationLinkedToCase,
    ApplicationLinkRefused,
    ApplicationRejected,
    ApplicationSubmitted,
    CaseClosed,
    CaseOpened,
    Event,
    PersonErased,
)
from inson_contracts.events.intake import (
    CaseClosureReason,
    CaseMatch,
    ErasureBasis,
    RejectionReason,
)
from inson_contracts.events.values import Actor


class IntakeRuleViolation(Exception):
    """The command contradicts what the case already says (HTTP 409)."""


class ApplicationStatus(StrEnum):
    OPENED_CASE = "opened_case"
    LINKED = "linked"
    PENDING_CONFIRMATION = "pending_confirmation"
    MOVED_TO_OWN_CASE = "moved_to_own_case"
    REJECTED = "rejected"


@dataclass(frozen=True)
class Application:
    """What a case remembers of each application it holds."""

    application_id: str
    status: ApplicationStatus
    # None in a case opened for an application whose likely match was
    # refused: the application itself is recorded in the case it left.
    submitted: ApplicationSubmitted | None
    # How it joined the case (None: it opened it).
    match: CaseMatch | None = None
    # The case of its own it moved to when its likely match was refused.
    moved_to: str | None = None
    rejection: RejectionReason | None = None


@dataclass(frozen=True)
class Case:
    case_id: str
    version: int = 0
    opened: bool = False
    region: str | None = None
    district: str | None = None
    mahalla: str | None = None
    # In the order they were reported, as the case's read model lists them.
    circumstances: tuple[str, ...] = ()
    applications: dict[str, Application] = field(default_factory=dict)
    opening: CaseOpened | None = None
    erasure: PersonErased | None = None
    # The first closure; kept whatever comes later (see the module docstring).
    closure: CaseClosed | None = None

    @property
    def closed(self) -> bool:
        return self.closure is not None

    @property
    def erased(self) -> bool:
        return self.erasure is not None

    def with_circumstances(self, more: Iterable[str]) -> Case:
        new = tuple(c for c in more if c not in self.circumstances)
        return replace(self, circumstances=self.circumstances + new)

    def application(self, application_id: str) -> Application:
        try:
            return self.applications[application_id]
        except KeyError:
            raise IntakeRuleViolation(
                f"application {application_id} is not in case {self.case_id}"
            ) from None


def evolve(case: Case, event: Event) -> Case:
    case = replace(case, version=case.version + 1)
    match event:
        case ApplicationSubmitted():
            status = ApplicationStatus.OPENED_CASE if not case.opened else ApplicationStatus.LINKED
            apps = {
                **case.applications,
                event.application_id: Application(event.application_id, status, event),
            }
            return replace(case, applications=apps)
        case CaseOpened():
            apps = case.applications
            if event.application_id not in apps:
                opened = Application(event.application_id, ApplicationStatus.OPENED_CASE, None)
                apps = {**apps, event.application_id: opened}
            return replace(
                case,
                opened=True,
                region=event.region,
                district=event.district,
                mahalla=event.mahalla,
                circumstances=tuple(event.circumstances),
                applications=apps,
                opening=event,
            )
        case ApplicationLinkedToCase():
            status = (
                ApplicationStatus.PENDING_CONFIRMATION
                if event.needs_confirmation
                else ApplicationStatus.LINKED
            )
            joined = _with_status(case, event.application_id, status, match=event.match)
            return joined.with_circumstances(event.new_circumstances)
        case ApplicationLinkConfirmed():
            return _with_status(case, event.application_id, ApplicationStatus.LINKED)
        case ApplicationLinkRefused():
            moved = ApplicationStatus.MOVED_TO_OWN_CASE
            return _with_status(case, event.application_id, moved, moved_to=event.new_case_id)
        case ApplicationRejected():
            rejected = ApplicationStatus.REJECTED
            return _with_status(case, event.application_id, rejected, rejection=event.reason)
        case PersonErased():
            return replace(case, erasure=case.erasure or event)
        case CaseClosed():
            return replace(case, closure=case.closure or event)
    return case


def _with_status(
    case: Case, application_id: str, status: ApplicationStatus, **changes: Any
) -> Case:
    app = replace(case.application(application_id), status=status, **changes)
    return replace(case, applications={**case.applications, application_id: app})


def replay(case_id: str, events: Iterable[Event]) -> Case:
    return fold(Case(case_id), events)


def fold(case: Case, events: Iterable[Event]) -> Case:
    """``case`` after ``events``."""
    for event in events:
        case = evolve(case, event)
    return case


@dataclass(frozen=True)
class Match:
    """The existing case an application belongs to, and how sure we are."""

    case_id: str
    how: CaseMatch
    # A match by name and birth date alone to a case of another district.
    across_districts: bool = False

    @property
    def needs_confirmation(self) -> bool:
        return self.how is CaseMatch.LIKELY_SAME_PERSON or self.across_districts


def match_with(case: Case, how: CaseMatch, district: str) -> Match:
    """How an application from ``district`` matches ``case``.

    Only a PINFL says for sure that a person applying in one district is the
    one a case of another district is about: two people of one name and
    birth date are rare in a mahalla but not in a country. A match by name
    and birth date across districts therefore waits for a worker of the
    case's area to confirm it, as a likely match does, and is never joined
    silently.
    """
    elsewhere = how is not CaseMatch.SAME_PINFL and case.district != district
    return Match(case.case_id, how, across_districts=elsewhere)


def decide_submission(
    case: Case, submitted: ApplicationSubmitted, match: Match | None
) -> list[Event]:
    """Open the case, or join the existing one the application matched."""
    if submitted.application_id in case.applications:
        return []  # already recorded: a retry decided again
    if not case.opened:
        # A new case; also the repair of a case whose identity was reserved
        # by a request that crashed before it wrote the case.
        return [submitted, _case_opened(case.case_id, submitted)]
    if match is None:
        raise IntakeRuleViolation(
            f"case {case.case_id} exists; an application joins it only by a match"
        )
    new = [c for c in submitted.circumstances if c not in case.circumstances]
    linked = ApplicationLinkedToCase(
        application_id=submitted.application_id,
        case_id=case.case_id,
        match=match.how,
        needs_confirmation=match.needs_confirmation,
        new_circumstances=new,
        linked_at=submitted.submitted_at,
    )
    return [submitted, linked]


def decide_confirm_link(
    case: Case, application_id: str, actor: Actor, now: datetime
) -> list[Event]:
    app = case.application(application_id)
    if app.status is ApplicationStatus.LINKED:
        return []  # confirming twice changes nothing
    if app.status is not ApplicationStatus.PENDING_CONFIRMATION:
        raise IntakeRuleViolation(
            f"application {application_id} is {app.status}, not awaiting confirmation"
        )
    return [
        ApplicationLinkConfirmed(
            application_id=application_id,
            case_id=case.case_id,
            confirmed_by=actor,
            confirmed_at=now,
        )
    ]


def decide_refuse_link(
    case: Case, application_id: str, new_case_id: str, actor: Actor, now: datetime
) -> list[Event]:
    """The first half of a refusal; the new case opens with :func:`decide_open_moved`."""
    app = case.application(application_id)
    if app.status is ApplicationStatus.MOVED_TO_OWN_CASE:
        return []
    if app.status is not ApplicationStatus.PENDING_CONFIRMATION:
        raise IntakeRuleViolation(
            f"application {application_id} is {app.status}, not awaiting confirmation"
        )
    return [
        ApplicationLinkRefused(
            application_id=application_id,
            case_id=case.case_id,
            new_case_id=new_case_id,
            refused_by=actor,
            refused_at=now,
        )
    ]


def decide_open_moved(new_case: Case, submitted: ApplicationSubmitted) -> list[Event]:
    """Open the case of an application whose likely match was refused."""
    if new_case.opened:
        return []
    return [_case_opened(new_case.case_id, submitted)]


def decide_rejection(
    case: Case,
    application_id: str,
    reason: RejectionReason,
    explanation: str | None,
    actor: Actor,
    now: datetime,
) -> list[Event]:
    app = case.application(application_id)
    if app.status is ApplicationStatus.REJECTED:
        return []
    if app.status not in (ApplicationStatus.LINKED, ApplicationStatus.PENDING_CONFIRMATION):
        # The application that opened the case ends with the case (its plan
        # is closed), not by rejection.
        raise IntakeRuleViolation(
            f"application {application_id} is {app.status} and cannot be rejected"
        )
    return [
        ApplicationRejected(
            application_id=application_id,
            case_id=case.case_id,
            reason=reason,
            explanation=explanation,
            rejected_by=actor,
            rejected_at=now,
        )
    ]


def decide_erasure(
    case: Case, basis: ErasureBasis, reference: str, actor: Actor, now: datetime
) -> list[Event]:
    """Record that the case's person was erased; nothing new if that was done before.

    The key is destroyed by the handler before this event is written, so a
    crash in between leaves the data erased and a retry writes the event.
    """
    if not case.opened:
        raise IntakeRuleViolation(f"case {case.case_id} was never opened")
    if case.erased:
        return []
    return [
        PersonErased(
            case_id=case.case_id, basis=basis, reference=reference, erased_by=actor, erased_at=now
        )
    ]


def decide_closure(
    case: Case, plan_id: str, reason: CaseClosureReason, at: datetime
) -> list[Event]:
    """Close the case because its plan ended (completed, or closed before that).

    ``at`` is when the plan ended, so deciding again for a redelivered plan
    event writes the same event. A case already closed records nothing new,
    whichever plan event comes next (a completed plan that is then closed
    too): the first end stands.
    """
    if not case.opened or case.district is None:
        raise IntakeRuleViolation(f"case {case.case_id} was never opened")
    if case.closed:
        return []
    return [
        CaseClosed(
            case_id=case.case_id,
            plan_id=plan_id,
            reason=reason,
            district=case.district,
            closed_at=at,
        )
    ]


def _case_opened(case_id: str, submitted: ApplicationSubmitted) -> CaseOpened:
    return CaseOpened(
        case_id=case_id,
        application_id=submitted.application_id,
        region=submitted.address.region,
        district=submitted.address.district,
        mahalla=submitted.address.mahalla,
        circumstances=submitted.circumstances,
        household_size=1 + len(submitted.household),
        language=submitted.applicant.language,
        opened_at=submitted.submitted_at,
    )
