"""Person matching on the in-memory journal: across districts, keys the store lost,
a request that died holding a key, and the keys a worker's decision moves."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from inson_contracts.events import ApplicationLinkedToCase, CaseOpened
from inson_contracts.events.intake import CaseMatch, ErasureBasis
from inson_contracts.events.values import Actor, PersonName
from intake.domain.area import EVERYWHERE, Area, OutsideArea
from intake.domain.case import ApplicationStatus
from intake.domain.identity import LEASE, name_birth_key, pinfl_key
from intake.handlers.commands import Intake, case_repository
from intake.handlers.matching import WAITS, PersonBeingRecorded
from intake.handlers.submissions import Outcome
from structlog.testing import capture_logs

from .fakes import RecordingShredder, new_application

BORN = date(1985, 4, 12)
PINFL = "31204850000018"
URGANCH = {"region": "1733", "district": "1733217", "mahalla": "1733217001"}
CHUST = {"region": "1714", "district": "1714237", "mahalla": "1714237001"}
URGANCH_WORKER = Actor(id="sw-urganch", role="social_worker")
URGANCH_AREA = Area(mahallas=("1733217001",))
CHUST_WORKER = Actor(id="sw-chust", role="social_worker")
CHUST_AREA = Area(mahallas=("1714237001",))
NAME = PersonName(last_name="Aliyev", first_name="Jasur")
ADMIN = Actor(id="admin-1", role="admin")


def aliyev(last: str = "Aliyev", first: str = "Jasur", *, place=URGANCH, pinfl=None):
    return new_application(last, first, born=BORN, pinfl=pinfl, **place)


async def test_a_name_match_across_districts_waits_for_a_worker_of_the_cases_area(
    intake, journal, clock
):
    opened = await intake.submit(aliyev("Алиев", "Жасур"), URGANCH_WORKER, URGANCH_AREA)

    chust = await intake.submit(aliyev(place=CHUST), CHUST_WORKER, CHUST_AREA)

    assert (chust.case_id, chust.outcome) == (opened.case_id, Outcome.LINKED_PENDING_CONFIRMATION)
    [linked] = journal.outbox.events_of_type(ApplicationLinkedToCase)
    assert linked.match is CaseMatch.SAME_NAME_AND_BIRTH_DATE and linked.needs_confirmation
    # What the Chust worker is answered: their application, waiting.
    record = chust.application
    assert (record.id, record.case_id, record.status) == (
        chust.application_id,
        opened.case_id,
        "pending_confirmation",
    )
    assert (record.district, record.submitted_by) == ("1714237", CHUST_WORKER.id)
    # Only a worker of the case's area settles it.
    with pytest.raises(OutsideArea):
        await intake.confirm_link(opened.case_id, chust.application_id, CHUST_WORKER, CHUST_AREA)
    await intake.confirm_link(opened.case_id, chust.application_id, URGANCH_WORKER, URGANCH_AREA)
    case = await intake.cases.load(opened.case_id)
    assert case.applications[chust.application_id].status is ApplicationStatus.LINKED


async def test_a_worker_of_the_cases_area_may_refuse_a_match_across_districts(intake, journal):
    opened = await intake.submit(aliyev(), URGANCH_WORKER, URGANCH_AREA)
    chust = await intake.submit(aliyev("Алиев", "Жасур", place=CHUST), CHUST_WORKER, CHUST_AREA)

    own = await intake.refuse_link(
        opened.case_id, chust.application_id, URGANCH_WORKER, URGANCH_AREA
    )

    moved = journal.outbox.events_of_type(CaseOpened)[-1]
    assert (moved.case_id, moved.district) == (own, "1714237")


async def test_the_same_pinfl_across_districts_joins_without_confirmation(intake, journal):
    opened = await intake.submit(aliyev(pinfl=PINFL), URGANCH_WORKER, URGANCH_AREA)

    chust = await intake.submit(aliyev(place=CHUST, pinfl=PINFL), CHUST_WORKER, CHUST_AREA)

    assert (chust.case_id, chust.outcome) == (opened.case_id, Outcome.LINKED)
    [linked] = journal.outbox.events_of_type(ApplicationLinkedToCase)
    assert linked.match is CaseMatch.SAME_PINFL and not linked.needs_confirmation


async def test_a_likely_match_across_districts_waits_too(intake, people):
    opened = await intake.submit(aliyev(), URGANCH_WORKER, URGANCH_AREA)
    people.knows(NAME, BORN, opened.case_id)

    chust = await intake.submit(aliyev("Aliev", "Jasur", place=CHUST), CHUST_WORKER, CHUST_AREA)

    assert chust.outcome is Outcome.LINKED_PENDING_CONFIRMATION


async def test_a_key_naming_a_case_the_store_lost_is_no_match_and_is_logged(
    intake, journal, people
):
    # Settled: its case was written once; the store no longer has it.
    people.holds(name_birth_key(NAME, BORN), "ghost", settled=True)

    with capture_logs() as logs:
        answer = await intake.submit(aliyev(), URGANCH_WORKER, URGANCH_AREA)

    assert answer.outcome is Outcome.CASE_OPENED and answer.case_id != "ghost"
    assert [e.case_id for e in journal.outbox.events_of_type(CaseOpened)] == [answer.case_id]
    assert await journal.load("case-ghost") == []
    # The key now leads to the new case (its next generation).
    assert people.current[name_birth_key(NAME, BORN)] == answer.case_id
    [log] = logs
    assert log["case_id"] == "ghost" and log["application_id"] == answer.application_id
    assert log["key"] == "name" and log["written_before"] is True
    # Ids only: neither the name nor the birth date.
    assert "liyev" not in repr(log).lower() and "1985" not in repr(log)


async def test_a_likely_match_to_a_case_the_store_lost_is_no_match_and_is_logged(intake, people):
    people.knows(NAME, BORN, "ghost")

    with capture_logs() as logs:
        answer = await intake.submit(aliyev("Aliev", "Jasur"), URGANCH_WORKER, URGANCH_AREA)

    assert answer.outcome is Outcome.CASE_OPENED and answer.case_id != "ghost"
    assert [log["case_id"] for log in logs] == ["ghost"]


async def test_a_likely_match_to_an_erased_case_is_no_match(intake, people):
    """Just after an erasure the people read model may still list the person: a new
    application then opens a case of its own, never the erased one."""
    opened = await intake.submit(aliyev(), URGANCH_WORKER, URGANCH_AREA)
    await intake.erase(opened.case_id, ErasureBasis.SUBJECT_REQUEST, "Ariza 2026/77", ADMIN)
    people.knows(NAME, BORN, opened.case_id)  # the read model, behind the erasure

    with capture_logs() as logs:
        answer = await intake.submit(aliyev("Aliev", "Jasur"), URGANCH_WORKER, URGANCH_AREA)

    assert answer.outcome is Outcome.CASE_OPENED and answer.case_id != opened.case_id
    assert [log["case_id"] for log in logs] == [opened.case_id]


async def test_a_key_held_by_a_request_that_died_is_taken_over_after_the_lease(
    journal, people, clock
):
    waits: list[int] = []

    async def wait(attempt: int) -> None:
        waits.append(attempt)
        clock.advance(timedelta(seconds=5))

    intake = Intake(case_repository(journal), people, RecordingShredder(), clock, pause=wait)
    # Reserved just now by a request that then died before writing its case.
    people.holds(name_birth_key(NAME, BORN), "dead", reserved_at=clock(), settled=False)

    answer = await intake.submit(aliyev(), URGANCH_WORKER, URGANCH_AREA)

    assert len(waits) == LEASE // timedelta(seconds=5)  # waited out the lease, no longer
    assert answer.outcome is Outcome.CASE_OPENED and answer.case_id != "dead"
    assert await journal.load("case-dead") == []


async def test_a_person_being_recorded_too_long_is_answered_retry_later(journal, people, clock):
    async def wait(attempt: int) -> None:
        return None  # the clock stands still: the other request stays in flight

    intake = Intake(case_repository(journal), people, RecordingShredder(), clock, pause=wait)
    people.holds(name_birth_key(NAME, BORN), "busy", reserved_at=clock(), settled=False)

    with pytest.raises(PersonBeingRecorded):
        await intake.submit(aliyev(), URGANCH_WORKER, URGANCH_AREA)
    assert journal.outbox.published == []
    assert LEASE.total_seconds() < WAITS * 0.5  # in production it would have waited it out


async def test_a_submission_too_slow_to_write_reserves_again_first(
    intake, journal, people, clock, monkeypatch
):
    place = intake.matcher.place
    slow: list[str] = []

    async def slowly(submitted, own_case_id):
        placement = await place(submitted, own_case_id)
        if not slow:
            slow.append(own_case_id)
            clock.advance(LEASE / 2)  # its reservations are too old to write by now
        return placement

    monkeypatch.setattr(intake.matcher, "place", slowly)
    answer = await intake.submit(aliyev(pinfl=PINFL), URGANCH_WORKER, URGANCH_AREA)

    assert answer.outcome is Outcome.CASE_OPENED
    held = {key: r for (key, _), r in people.generations.items() if r.generation == 1}
    assert set(held) == {name_birth_key(NAME, BORN), pinfl_key(PINFL)}
    assert all(r.case_id == answer.case_id and r.settled for r in held.values())


async def test_a_new_case_settles_its_keys(intake, people):
    answer = await intake.submit(aliyev(pinfl=PINFL), URGANCH_WORKER, URGANCH_AREA)

    assert [(r.case_id, r.settled) for r in people.generations.values()] == [
        (answer.case_id, True),
        (answer.case_id, True),
    ]


async def test_a_confirmed_match_gives_the_case_the_applications_pinfl(intake, journal):
    opened = await intake.submit(aliyev(), URGANCH_WORKER, URGANCH_AREA)
    pending = await intake.submit(aliyev(pinfl=PINFL), URGANCH_WORKER, URGANCH_AREA)
    assert pending.outcome is Outcome.LINKED_PENDING_CONFIRMATION

    await intake.confirm_link(opened.case_id, pending.application_id, URGANCH_WORKER, URGANCH_AREA)
    again = await intake.submit(aliyev("Алиев", "Жасур", pinfl=PINFL), URGANCH_WORKER, URGANCH_AREA)

    assert (again.case_id, again.outcome) == (opened.case_id, Outcome.LINKED)
    assert journal.outbox.events_of_type(ApplicationLinkedToCase)[-1].match is CaseMatch.SAME_PINFL


async def test_a_refused_match_gives_the_new_case_the_applications_pinfl(intake):
    opened = await intake.submit(aliyev(), URGANCH_WORKER, URGANCH_AREA)
    pending = await intake.submit(aliyev(pinfl=PINFL), URGANCH_WORKER, URGANCH_AREA)

    own = await intake.refuse_link(
        opened.case_id, pending.application_id, URGANCH_WORKER, URGANCH_AREA
    )
    again = await intake.submit(aliyev(pinfl=PINFL), URGANCH_WORKER, URGANCH_AREA)

    assert (again.case_id, again.outcome) == (own, Outcome.LINKED)


async def test_a_household_members_lost_key_is_taken_over(intake, people, member):
    people.holds(pinfl_key("50105150000001"), "ghost", settled=True)

    family = new_application(household=(member("50105150000001"),))

    answer = await intake.submit(family, URGANCH_WORKER, EVERYWHERE)

    assert people.current[pinfl_key("50105150000001")] == answer.case_id
