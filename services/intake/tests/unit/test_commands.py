"""Intake's commands on a case, on the in-memory journal: settle a likely match,
reject an application, erase the person; each refused outside the caller's area."""

from __future__ import annotations

from datetime import date

import pytest
from inson_contracts.events import (
    ApplicationLinkConfirmed,
    ApplicationLinkRefused,
    ApplicationRejected,
    CaseOpened,
    PersonErased,
)
from inson_contracts.events.intake import ErasureBasis, RejectionReason
from inson_contracts.events.values import Actor, PersonName
from intake.domain.area import EVERYWHERE, NOWHERE, Area, NoArea, OutsideArea
from intake.domain.case import ApplicationStatus, IntakeRuleViolation
from intake.handlers.commands import UnknownCase, derived_id

MAHALLA = "1735207001"
WORKER = Actor(id="sw-1", role="social_worker")
WORKER_AREA = Area(mahallas=(MAHALLA,))
ELSEWHERE = Area(mahallas=("1735207002",))
ADMIN = Actor(id="admin-1", role="admin")
BORN = date(1948, 3, 8)


@pytest.fixture
async def pending(intake, people, application):
    """A case, the application that opened it, and a further one linked by a likely match."""
    first = await intake.submit(application(), WORKER, WORKER_AREA)
    people.knows(PersonName(last_name="Yoʻldosheva", first_name="Malika"), BORN, first.case_id)
    likely = await intake.submit(application("Yuldosheva", "Malika"), WORKER, WORKER_AREA)
    return first.case_id, first.application_id, likely.application_id


async def test_a_case_is_found_only_inside_the_callers_area(intake, application):
    opened = await intake.submit(application(), WORKER, WORKER_AREA)

    case = await intake.case_in_area(opened.case_id, Area(district="1735207"))

    assert case.opened and case.mahalla == MAHALLA
    with pytest.raises(OutsideArea, match="mahalla 1735207001"):
        await intake.case_in_area(opened.case_id, ELSEWHERE)
    with pytest.raises(OutsideArea, match="district 1735207"):
        await intake.case_in_area(opened.case_id, Area(district="1703236"))
    with pytest.raises(NoArea):
        await intake.case_in_area(opened.case_id, NOWHERE)
    with pytest.raises(UnknownCase, match="no case nope"):
        await intake.case_in_area("nope", EVERYWHERE)


async def test_a_worker_confirms_a_likely_match_once(intake, journal, clock, pending):
    case_id, _, application_id = pending

    await intake.confirm_link(case_id, application_id, WORKER, WORKER_AREA)
    await intake.confirm_link(case_id, application_id, WORKER, WORKER_AREA)

    [confirmed] = journal.outbox.events_of_type(ApplicationLinkConfirmed)
    assert (confirmed.case_id, confirmed.application_id) == (case_id, application_id)
    assert (confirmed.confirmed_by, confirmed.confirmed_at) == (WORKER, clock())
    case = await intake.cases.load(case_id)
    assert case.applications[application_id].status is ApplicationStatus.LINKED


async def test_only_a_pending_link_is_confirmed_and_only_in_the_area(intake, journal, pending):
    case_id, opening, application_id = pending
    recorded = len(journal.outbox.published)

    with pytest.raises(IntakeRuleViolation, match="not awaiting confirmation"):
        await intake.confirm_link(case_id, opening, WORKER, WORKER_AREA)
    with pytest.raises(IntakeRuleViolation, match="is not in case"):
        await intake.confirm_link(case_id, "nope", WORKER, WORKER_AREA)
    with pytest.raises(OutsideArea):
        await intake.confirm_link(case_id, application_id, WORKER, ELSEWHERE)
    with pytest.raises(UnknownCase):
        await intake.confirm_link("nope", application_id, WORKER, WORKER_AREA)
    assert len(journal.outbox.published) == recorded


async def test_a_refused_link_opens_the_applications_own_case(intake, journal, pending):
    case_id, _, application_id = pending

    new_case_id = await intake.refuse_link(case_id, application_id, WORKER, WORKER_AREA)

    assert new_case_id == derived_id("moved", application_id) != case_id
    [refused] = journal.outbox.events_of_type(ApplicationLinkRefused)
    assert (refused.case_id, refused.new_case_id, refused.refused_by) == (
        case_id,
        new_case_id,
        WORKER,
    )
    opened = journal.outbox.published[-1]
    assert opened.stream_id == f"case-{new_case_id}"
    [event] = journal.outbox.events_of_type(CaseOpened)[-1:]
    assert (event.case_id, event.application_id) == (new_case_id, application_id)
    moved = await intake.cases.load(new_case_id)
    assert moved.opened and moved.mahalla == MAHALLA


async def test_refusing_again_answers_the_same_case_and_records_nothing(intake, journal, pending):
    case_id, _, application_id = pending
    first = await intake.refuse_link(case_id, application_id, WORKER, WORKER_AREA)
    recorded = len(journal.outbox.published)

    again = await intake.refuse_link(case_id, application_id, WORKER, WORKER_AREA)

    assert again == first and len(journal.outbox.published) == recorded


async def test_a_link_already_confirmed_is_not_refused(intake, journal, pending):
    case_id, _, application_id = pending
    await intake.confirm_link(case_id, application_id, WORKER, WORKER_AREA)

    with pytest.raises(IntakeRuleViolation, match="not awaiting confirmation"):
        await intake.refuse_link(case_id, application_id, WORKER, WORKER_AREA)
    assert journal.outbox.events_of_type(ApplicationLinkRefused) == []


async def test_a_further_application_is_rejected_once(intake, journal, clock, pending):
    case_id, _, application_id = pending
    reason = RejectionReason.DUPLICATE_SUBMISSION

    await intake.reject(case_id, application_id, reason, "sent twice", WORKER, WORKER_AREA)
    await intake.reject(case_id, application_id, reason, "sent twice", WORKER, WORKER_AREA)

    [rejected] = journal.outbox.events_of_type(ApplicationRejected)
    assert (rejected.application_id, rejected.reason, rejected.explanation) == (
        application_id,
        reason,
        "sent twice",
    )
    assert (rejected.rejected_by, rejected.rejected_at) == (WORKER, clock())


async def test_the_application_that_opened_the_case_is_not_rejected(intake, journal, pending):
    case_id, opening, application_id = pending
    reason = RejectionReason.DUPLICATE_SUBMISSION

    with pytest.raises(IntakeRuleViolation, match="cannot be rejected"):
        await intake.reject(case_id, opening, reason, None, WORKER, WORKER_AREA)
    with pytest.raises(OutsideArea):
        await intake.reject(case_id, application_id, reason, None, WORKER, ELSEWHERE)
    assert journal.outbox.events_of_type(ApplicationRejected) == []


async def test_erasure_shreds_the_key_forgets_the_person_and_says_so_once(
    intake, journal, people, keys, clock, application
):
    erased = await intake.submit(application(pinfl="40803480000017"), WORKER, WORKER_AREA)
    kept = await intake.submit(application("Karimova", "Dilnoza"), WORKER, WORKER_AREA)
    basis = ErasureBasis.SUBJECT_REQUEST

    first = await intake.erase(erased.case_id, basis, "Ariza 2026/1187", ADMIN)
    again = await intake.erase(erased.case_id, basis, "Ariza 2026/1187", ADMIN)

    assert (first, again) == (True, False)
    assert keys.erased == {erased.case_id: ("subject_request: Ariza 2026/1187", ADMIN.id)}
    assert keys.calls == 1
    assert set(people.current.values()) == {kept.case_id}
    [event] = journal.outbox.events_of_type(PersonErased)
    assert (event.case_id, event.basis, event.reference) == (
        erased.case_id,
        basis,
        "Ariza 2026/1187",
    )
    assert (event.erased_by, event.erased_at) == (ADMIN, clock())
    commit = journal.outbox.published[-1]
    assert commit.commit_id == f"erase:{erased.case_id}"
    assert commit.events[0].district == "1735207"


async def test_erasing_an_unknown_case_shreds_nothing(intake, journal, keys):
    with pytest.raises(UnknownCase):
        await intake.erase("nope", ErasureBasis.COURT_ORDER, "Order 12/2026", ADMIN)
    assert keys.calls == 0 and journal.outbox.published == []
