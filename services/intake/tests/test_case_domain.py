"""The case's pure decisions: open, link, confirm, refuse, reject, close."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from inson_contracts.events import (
    ApplicationLinkConfirmed,
    ApplicationLinkedToCase,
    ApplicationLinkRefused,
    ApplicationRejected,
    ApplicationSubmitted,
    CaseClosed,
    CaseOpened,
)
from inson_contracts.events.intake import (
    Applicant,
    CaseClosureReason,
    CaseMatch,
    Consent,
    RejectionReason,
)
from inson_contracts.events.values import Actor, Address, PersonName
from intake.domain.case import (
    ApplicationStatus,
    Case,
    IntakeRuleViolation,
    Match,
    decide_closure,
    decide_confirm_link,
    decide_open_moved,
    decide_refuse_link,
    decide_rejection,
    decide_submission,
    replay,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
WORKER = Actor(id="worker-1", role="social_worker")


def application(app_id: str, circumstances: list[str] | None = None) -> ApplicationSubmitted:
    return ApplicationSubmitted(
        application_id=app_id,
        channel="mahalla_tablet",
        submitted_by=WORKER,
        submitted_at=NOW,
        applicant=Applicant(
            name=PersonName(last_name="Yoʻldosheva", first_name="Malika"),
            birth_date=date(1948, 3, 8),
            sex="female",
            language="uz-Cyrl",
        ),
        address=Address(region="1735", district="1735207", mahalla="1735207001"),
        circumstances=circumstances or ["lonely_elderly"],
        consent=Consent(given=True, given_at=NOW, text_version="v1"),
    )


def open_case(case_id: str = "c1", app_id: str = "a1") -> Case:
    return replay(case_id, decide_submission(Case(case_id), application(app_id), None))


def test_a_first_application_opens_the_case() -> None:
    events = decide_submission(
        Case("c1"), application("a1", ["lonely_elderly", "low_income"]), None
    )

    assert [type(e) for e in events] == [ApplicationSubmitted, CaseOpened]
    opened = events[1]
    assert isinstance(opened, CaseOpened)
    assert (opened.case_id, opened.application_id, opened.mahalla) == ("c1", "a1", "1735207001")
    assert opened.household_size == 1 and opened.language.value == "uz-Cyrl"
    case = replay("c1", events)
    assert case.opened and case.version == 2 and case.district == "1735207"
    assert case.applications["a1"].status is ApplicationStatus.OPENED_CASE


def test_a_further_application_joins_and_brings_only_new_circumstances() -> None:
    case = open_case()
    events = decide_submission(
        case,
        application("a2", ["lonely_elderly", "needs_care_by_others"]),
        Match("c1", CaseMatch.SAME_PINFL),
    )

    linked = events[1]
    assert isinstance(linked, ApplicationLinkedToCase)
    assert not linked.needs_confirmation
    assert [c.value for c in linked.new_circumstances] == ["needs_care_by_others"]
    after = replay("c1", [*_events_of(case), *events])
    assert after.applications["a2"].status is ApplicationStatus.LINKED
    assert "needs_care_by_others" in after.circumstances


def _events_of(case: Case) -> list[object]:
    return decide_submission(Case(case.case_id), application("a1"), None)


def test_a_likely_match_waits_for_a_worker_who_confirms_it() -> None:
    base = _events_of(open_case())
    linked = decide_submission(
        open_case(), application("a2"), Match("c1", CaseMatch.LIKELY_SAME_PERSON)
    )
    case = replay("c1", [*base, *linked])
    assert case.applications["a2"].status is ApplicationStatus.PENDING_CONFIRMATION

    confirmed = decide_confirm_link(case, "a2", WORKER, NOW)

    assert [type(e) for e in confirmed] == [ApplicationLinkConfirmed]
    after = replay("c1", [*base, *linked, *confirmed])
    assert after.applications["a2"].status is ApplicationStatus.LINKED
    assert decide_confirm_link(after, "a2", WORKER, NOW) == []  # twice changes nothing


def test_a_refused_match_moves_the_application_to_a_case_of_its_own() -> None:
    base = _events_of(open_case())
    linked = decide_submission(
        open_case(), application("a2"), Match("c1", CaseMatch.LIKELY_SAME_PERSON)
    )
    case = replay("c1", [*base, *linked])

    refused = decide_refuse_link(case, "a2", "c2", WORKER, NOW)
    assert isinstance(refused[0], ApplicationLinkRefused) and refused[0].new_case_id == "c2"
    opened = decide_open_moved(Case("c2"), application("a2"))
    assert [type(e) for e in opened] == [CaseOpened]
    new_case = replay("c2", opened)
    assert new_case.applications["a2"].status is ApplicationStatus.OPENED_CASE
    assert decide_open_moved(new_case, application("a2")) == []
    after = replay("c1", [*base, *linked, *refused])
    assert decide_refuse_link(after, "a2", "c2", WORKER, NOW) == []


def test_only_a_pending_link_can_be_confirmed_or_refused() -> None:
    case = open_case()
    with pytest.raises(IntakeRuleViolation, match="not awaiting confirmation"):
        decide_confirm_link(case, "a1", WORKER, NOW)
    with pytest.raises(IntakeRuleViolation, match="not awaiting confirmation"):
        decide_refuse_link(case, "a1", "c9", WORKER, NOW)
    with pytest.raises(IntakeRuleViolation, match="is not in case"):
        decide_confirm_link(case, "nope", WORKER, NOW)


def test_a_further_application_can_be_rejected_but_not_the_one_that_opened_the_case() -> None:
    base = _events_of(open_case())
    linked = decide_submission(open_case(), application("a2"), Match("c1", CaseMatch.SAME_PINFL))
    case = replay("c1", [*base, *linked])

    rejected = decide_rejection(
        case, "a2", RejectionReason.WITHDRAWN_BY_APPLICANT, None, WORKER, NOW
    )
    assert isinstance(rejected[0], ApplicationRejected) and rejected[0].case_id == "c1"
    with pytest.raises(IntakeRuleViolation, match="cannot be rejected"):
        decide_rejection(case, "a1", RejectionReason.DUPLICATE_SUBMISSION, None, WORKER, NOW)


def test_deciding_again_for_a_recorded_application_adds_nothing() -> None:
    case = open_case()
    assert decide_submission(case, application("a1"), Match("c1", CaseMatch.SAME_PINFL)) == []


def test_an_open_case_is_joined_only_through_a_match() -> None:
    with pytest.raises(IntakeRuleViolation, match="only by a match"):
        decide_submission(open_case(), application("a2"), None)


def test_a_case_closes_once_when_its_plan_ends() -> None:
    case = open_case()

    closed = decide_closure(case, "plan-1", CaseClosureReason.PLAN_COMPLETED, NOW)

    assert [type(e) for e in closed] == [CaseClosed]
    event = closed[0]
    assert isinstance(event, CaseClosed)
    assert (event.case_id, event.plan_id, event.district) == ("c1", "plan-1", "1735207")
    assert (event.reason, event.closed_at) == (CaseClosureReason.PLAN_COMPLETED, NOW)
    after = replay("c1", [*_events_of(case), *closed])
    assert after.closed and after.closure == event
    # The same plan event again, or the plan closed after it completed: nothing new.
    assert decide_closure(after, "plan-1", CaseClosureReason.PLAN_COMPLETED, NOW) == []
    assert decide_closure(after, "plan-1", CaseClosureReason.PLAN_CLOSED, NOW) == []


def test_a_case_never_opened_is_not_closed() -> None:
    with pytest.raises(IntakeRuleViolation, match="never opened"):
        decide_closure(Case("c9"), "plan-1", CaseClosureReason.PLAN_CLOSED, NOW)


def test_a_later_application_joins_a_closed_case_which_stays_closed() -> None:
    case = open_case()
    closed = decide_closure(case, "plan-1", CaseClosureReason.PLAN_CLOSED, NOW)
    before = replay("c1", [*_events_of(case), *closed])

    joined = decide_submission(before, application("a2"), Match("c1", CaseMatch.SAME_PINFL))

    assert [type(e) for e in joined] == [ApplicationSubmitted, ApplicationLinkedToCase]
    after = replay("c1", [*_events_of(case), *closed, *joined])
    assert after.applications["a2"].status is ApplicationStatus.LINKED
    assert after.closed and after.closure == closed[0]
