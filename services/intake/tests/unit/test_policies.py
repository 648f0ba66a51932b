"""Intake's policy on the in-memory journal: a case closes when its plan ends, once,
and only a case intake holds."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import pytest
from inson_contracts.envelope import Envelope
from inson_contracts.events import CaseClosed, Event, PlanClosed, PlanCompleted
from inson_contracts.events.intake import CaseClosureReason
from inson_contracts.events.plans import ClosureReason
from inson_contracts.events.values import Actor
from inson_contracts.ids import new_event_id
from inson_runtime.eventstore import AppendResult, Causation, ConcurrencyConflict
from inson_runtime.testing import InMemoryJournal
from intake.domain.area import Area
from intake.handlers.commands import case_repository
from intake.handlers.policies import Policies
from structlog.testing import capture_logs

WORKER = Actor(id="sw-1", role="social_worker")
AREA = Area(mahallas=("1735207001",))
PINFL = "41204505012345"
ENDED = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)


def plan_completed(case_id: str, plan_id: str = "plan-1") -> PlanCompleted:
    return PlanCompleted(
        case_id=case_id,
        plan_id=plan_id,
        plan_version=2,
        completed_by="sw-1",
        completed_at=ENDED,
    )


def plan_closed(case_id: str, plan_id: str = "plan-1") -> PlanClosed:
    return PlanClosed(
        case_id=case_id,
        plan_id=plan_id,
        reason=ClosureReason.MOVED_AWAY,
        closed_by=Actor(id="sup-1", role="supervisor"),
        closed_at=ENDED + timedelta(days=1),
    )


def delivered(event: Event) -> Envelope:
    """The plan event as assessment publishes it (its own stream and version)."""
    case_id = getattr(event, "case_id", "")
    return Envelope(
        id=new_event_id(),
        source="inson/assessment",
        type=type(event).TYPE,
        time=ENDED,
        subject=f"assessment-{case_id}",
        dataschema=type(event).dataschema(),
        streamversion=9,
        region="1735",
        district="1735207",
        data=event.model_dump(mode="json"),
    )


@pytest.fixture
def policies(journal: InMemoryJournal) -> Policies:
    return Policies(case_repository(journal))


async def test_a_completed_plan_closes_the_case(intake, journal, policies, application):
    opened = await intake.submit(application(pinfl=PINFL), WORKER, AREA)
    completed = plan_completed(opened.case_id)
    cause = delivered(completed)

    await policies.plan_completed(completed, cause)

    (closed,) = journal.outbox.events_of_type(CaseClosed)
    assert (closed.case_id, closed.plan_id) == (opened.case_id, "plan-1")
    assert (closed.reason, closed.closed_at) == (CaseClosureReason.PLAN_COMPLETED, ENDED)
    assert closed.district == "1735207"
    envelope = journal.outbox.envelopes()[-1]
    assert envelope.causationid == cause.id
    assert (envelope.region, envelope.district) == ("1735", "1735207")
    assert await journal.commit(f"close:{cause.id}") is not None
    case = await intake.cases.load(opened.case_id)
    assert case.closed and case.closure == closed


async def test_a_redelivery_or_a_later_plan_event_records_nothing_new(
    intake, journal, policies, application
):
    opened = await intake.submit(application(pinfl=PINFL), WORKER, AREA)
    completed = plan_completed(opened.case_id)
    cause = delivered(completed)
    await policies.plan_completed(completed, cause)
    version = (await intake.cases.load(opened.case_id)).version

    await policies.plan_completed(completed, cause)  # the same record again
    closed_after = plan_closed(opened.case_id)  # the completed plan closed as well
    await policies.plan_closed(closed_after, delivered(closed_after))

    assert len(journal.outbox.events_of_type(CaseClosed)) == 1
    case = await intake.cases.load(opened.case_id)
    assert case.version == version
    assert case.closure is not None and case.closure.reason is CaseClosureReason.PLAN_COMPLETED


async def test_a_closed_plan_closes_the_case_with_its_own_reason(
    intake, journal, policies, application
):
    opened = await intake.submit(application(pinfl=PINFL), WORKER, AREA)
    closed_plan = plan_closed(opened.case_id)

    await policies.plan_closed(closed_plan, delivered(closed_plan))

    (closed,) = journal.outbox.events_of_type(CaseClosed)
    assert closed.reason is CaseClosureReason.PLAN_CLOSED
    assert closed.closed_at == closed_plan.closed_at


async def test_a_case_intake_does_not_hold_is_logged_and_skipped(journal, policies):
    completed = plan_completed("case-nobody-opened")

    with capture_logs() as logs:
        await policies.plan_completed(completed, delivered(completed))

    assert journal.outbox.envelopes() == []
    assert await journal.load("case-case-nobody-opened") == []
    (warning,) = [entry for entry in logs if entry["log_level"] == "warning"]
    assert warning["case_id"] == "case-nobody-opened" and warning["plan_id"] == "plan-1"


async def test_a_later_application_joins_the_closed_case_and_leaves_it_closed(
    intake, journal, policies, application
):
    first = await intake.submit(application(pinfl=PINFL), WORKER, AREA)
    completed = plan_completed(first.case_id)
    await policies.plan_completed(completed, delivered(completed))

    again = await intake.submit(application(pinfl=PINFL), WORKER, AREA)

    assert again.case_id == first.case_id and again.outcome == "linked"
    case = await intake.cases.load(first.case_id)
    assert case.closed and len(case.applications) == 2


class ConflictOnce(InMemoryJournal):
    """An application joins the case between the policy's load and its record."""

    def __init__(self) -> None:
        super().__init__()
        self.conflicts = 0

    async def record(
        self,
        stream_id: str,
        expected_version: int,
        events: Sequence[Event],
        causation: Causation,
        *,
        commit_id: str | None = None,
    ) -> AppendResult:
        if commit_id and commit_id.startswith("close:") and self.conflicts == 0:
            self.conflicts += 1
            raise ConcurrencyConflict(stream_id, expected_version)
        return await super().record(
            stream_id, expected_version, events, causation, commit_id=commit_id
        )


async def test_a_conflict_is_decided_again_on_the_newer_case(intake, application):
    journal = ConflictOnce()
    intake.cases = case_repository(journal)
    opened = await intake.submit(application(pinfl=PINFL), WORKER, AREA)
    completed = plan_completed(opened.case_id)

    await Policies(case_repository(journal)).plan_completed(completed, delivered(completed))

    assert journal.conflicts == 1
    assert len(journal.outbox.events_of_type(CaseClosed)) == 1
