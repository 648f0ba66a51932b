"""Intake.submit on the in-memory journal: one person, one case, however they apply."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from inson_contracts.codes.channels import Channel
from inson_contracts.codes.circumstances import Circumstance
from inson_contracts.events import ApplicationLinkedToCase, ApplicationSubmitted, CaseOpened
from inson_contracts.events.intake import CaseMatch
from inson_contracts.events.values import Actor, PersonName
from inson_runtime.eventstore import ConcurrencyConflict
from intake.domain.area import EVERYWHERE, Area, OutsideArea
from intake.domain.identity import name_birth_key, pinfl_key
from intake.handlers.commands import IdempotencyKeyReused, WrongChannel, derived_id
from intake.handlers.submissions import Outcome

MAHALLA, OTHER_MAHALLA = "1735207001", "1735207002"
WORKER = Actor(id="sw-1", role="social_worker")
WORKER_AREA = Area(mahallas=(MAHALLA,))
WINDOW = Actor(id="wo-1", role="window_operator")
PINFL = "40803480000017"
BORN = date(1948, 3, 8)


async def test_a_first_application_opens_a_case_in_one_commit(intake, journal, application):
    answer = await intake.submit(application(pinfl=PINFL), WORKER, WORKER_AREA)

    assert answer.outcome is Outcome.CASE_OPENED and not answer.replayed
    assert answer.case_id == derived_id("case", answer.application_id)
    [commit] = journal.outbox.published
    assert commit.stream_id == f"case-{answer.case_id}"
    assert commit.commit_id == f"submit:{answer.application_id}"
    assert [e.type for e in commit.events] == [ApplicationSubmitted.TYPE, CaseOpened.TYPE]
    envelope = commit.events[0]
    assert (envelope.source, envelope.region, envelope.district) == (
        "inson/intake",
        "1735",
        "1735207",
    )
    [submitted] = journal.outbox.events_of_type(ApplicationSubmitted)
    assert submitted.submitted_by == WORKER and submitted.consent.given
    assert submitted.submitted_at == submitted.consent.given_at == intake.clock()


async def test_a_new_case_reserves_the_applicant_and_the_household(
    intake, people, application, member
):
    answer = await intake.submit(
        application(pinfl=PINFL, household=(member("50105150000001"),)), WORKER, WORKER_AREA
    )

    name = PersonName(last_name="Yoʻldosheva", first_name="Malika")
    assert people.current == {
        pinfl_key(PINFL): answer.case_id,
        name_birth_key(name, BORN): answer.case_id,
        pinfl_key("50105150000001"): answer.case_id,
    }


async def test_the_same_pinfl_joins_the_case_with_its_new_circumstances(
    intake, journal, application
):
    first = await intake.submit(application(pinfl=PINFL), WORKER, WORKER_AREA)

    again = await intake.submit(
        application("Йўлдошева", "Малика", pinfl=PINFL, circumstances=(Circumstance.HOMELESS,)),
        WORKER,
        WORKER_AREA,
    )

    assert again.case_id == first.case_id and again.application_id != first.application_id
    assert again.outcome is Outcome.LINKED
    [linked] = journal.outbox.events_of_type(ApplicationLinkedToCase)
    assert linked.match is CaseMatch.SAME_PINFL and not linked.needs_confirmation
    assert linked.new_circumstances == [Circumstance.HOMELESS]
    assert len(journal.outbox.events_of_type(CaseOpened)) == 1


async def test_the_same_name_in_another_script_and_birth_date_joins_without_pinfl(
    intake, journal, application
):
    first = await intake.submit(application(), WORKER, WORKER_AREA)

    again = await intake.submit(application("Йўлдошева", "Малика"), WORKER, WORKER_AREA)

    assert (again.case_id, again.outcome) == (first.case_id, Outcome.LINKED)
    [linked] = journal.outbox.events_of_type(ApplicationLinkedToCase)
    assert linked.match is CaseMatch.SAME_NAME_AND_BIRTH_DATE


async def test_the_same_name_with_a_pinfl_on_one_side_only_waits_for_a_worker(
    intake, journal, application
):
    first = await intake.submit(application(), WORKER, WORKER_AREA)

    again = await intake.submit(application(pinfl=PINFL), WORKER, WORKER_AREA)

    assert (again.case_id, again.outcome) == (first.case_id, Outcome.LINKED_PENDING_CONFIRMATION)
    [linked] = journal.outbox.events_of_type(ApplicationLinkedToCase)
    assert linked.match is CaseMatch.LIKELY_SAME_PERSON and linked.needs_confirmation


async def test_a_similar_name_is_linked_pending_confirmation(intake, journal, people, application):
    first = await intake.submit(application(), WORKER, WORKER_AREA)
    # What the people projection knows once it has read the first application.
    people.knows(PersonName(last_name="Yoʻldosheva", first_name="Malika"), BORN, first.case_id)

    likely = await intake.submit(application("Yuldosheva", "Malika"), WORKER, WORKER_AREA)

    assert likely.case_id == first.case_id
    assert likely.outcome is Outcome.LINKED_PENDING_CONFIRMATION
    [linked] = journal.outbox.events_of_type(ApplicationLinkedToCase)
    assert linked.match is CaseMatch.LIKELY_SAME_PERSON and linked.needs_confirmation


async def test_a_retry_with_the_same_key_answers_as_before_and_records_nothing(
    intake, journal, clock, application
):
    first = await intake.submit(
        application(pinfl=PINFL), WORKER, WORKER_AREA, idempotency_key="tablet-7-0001"
    )
    clock.advance(timedelta(minutes=3))  # the tablet retries later: a new server time

    retry = await intake.submit(
        application(pinfl=PINFL), WORKER, WORKER_AREA, idempotency_key="tablet-7-0001"
    )

    assert retry.replayed and not first.replayed
    assert (retry.application_id, retry.case_id, retry.outcome) == (
        first.application_id,
        first.case_id,
        first.outcome,
    )
    assert first.application_id == derived_id("application", WORKER.id, "tablet-7-0001")
    assert len(journal.outbox.published) == 1


async def test_a_key_reused_for_another_application_is_refused(intake, journal, application):
    await intake.submit(application(pinfl=PINFL), WORKER, WORKER_AREA, idempotency_key="key-0001")

    with pytest.raises(IdempotencyKeyReused):
        await intake.submit(
            application(pinfl=PINFL, circumstances=(Circumstance.HOMELESS,)),
            WORKER,
            WORKER_AREA,
            idempotency_key="key-0001",
        )
    assert len(journal.outbox.published) == 1


async def test_the_same_key_of_another_caller_is_another_application(intake, journal, application):
    mine = await intake.submit(application(), WORKER, WORKER_AREA, idempotency_key="key-0001")
    other = Actor(id="sw-2", role="social_worker")

    theirs = await intake.submit(
        application(pinfl=PINFL), other, WORKER_AREA, idempotency_key="key-0001"
    )

    assert theirs.application_id != mine.application_id and not theirs.replayed


async def test_a_window_operator_submits_only_through_the_window(intake, journal, application):
    with pytest.raises(WrongChannel):
        await intake.submit(application(), WINDOW, EVERYWHERE)
    assert journal.outbox.published == []

    answer = await intake.submit(application(channel=Channel.SERVICE_WINDOW), WINDOW, EVERYWHERE)
    assert answer.outcome is Outcome.CASE_OPENED


async def test_a_social_worker_submits_only_for_their_mahallas(intake, journal, application):
    with pytest.raises(OutsideArea, match=OTHER_MAHALLA):
        await intake.submit(application(mahalla=OTHER_MAHALLA), WORKER, WORKER_AREA)
    assert journal.outbox.published == []


async def test_a_supervisor_submits_for_any_mahalla(intake, application):
    supervisor = Actor(id="sup-1", role="supervisor")

    answer = await intake.submit(
        application(mahalla=OTHER_MAHALLA), supervisor, Area(district="1703236")
    )

    assert answer.outcome is Outcome.CASE_OPENED


async def test_two_first_applications_at_once_make_one_case(
    intake, journal, people, application, monkeypatch
):
    first = await intake.submit(application(pinfl=PINFL), WORKER, WORKER_AREA)

    # The second looked the keys up just before the first reserved them: the
    # reservation settles the race, and the loser joins the winner's case.
    look_up = people.reservations
    looks: list[object] = []

    async def not_reserved_yet(keys: object, /) -> object:
        looks.append(keys)
        return {} if len(looks) == 1 else await look_up(keys)

    monkeypatch.setattr(people, "reservations", not_reserved_yet)
    second = await intake.submit(application(pinfl=PINFL), WORKER, WORKER_AREA)

    assert (second.case_id, second.outcome) == (first.case_id, Outcome.LINKED)
    assert len(journal.outbox.events_of_type(CaseOpened)) == 1


async def test_a_case_reserved_by_a_crashed_request_is_opened_by_its_retry(
    intake, journal, people, clock, application
):
    application_id = derived_id("application", WORKER.id, "key-0002")
    case_id = derived_id("case", application_id)
    # Reserved (the name first), then the process died before writing the case.
    name = PersonName(last_name="Yoʻldosheva", first_name="Malika")
    for key in (name_birth_key(name, BORN), pinfl_key(PINFL)):
        people.holds(key, case_id, reserved_at=clock() - timedelta(seconds=1), settled=False)

    answer = await intake.submit(
        application(pinfl=PINFL), WORKER, WORKER_AREA, idempotency_key="key-0002"
    )

    assert (answer.case_id, answer.outcome) == (case_id, Outcome.CASE_OPENED)
    assert [e.case_id for e in journal.outbox.events_of_type(CaseOpened)] == [case_id]


async def test_a_write_to_the_case_meanwhile_is_decided_again(
    intake, journal, application, monkeypatch
):
    first = await intake.submit(application(pinfl=PINFL), WORKER, WORKER_AREA)
    record = journal.record
    conflicts = []

    async def conflicting_once(stream_id, expected_version, *args, **kwargs):
        if not conflicts:
            conflicts.append(stream_id)
            raise ConcurrencyConflict(stream_id, expected_version)
        return await record(stream_id, expected_version, *args, **kwargs)

    monkeypatch.setattr(journal, "record", conflicting_once)
    again = await intake.submit(application(pinfl=PINFL), WORKER, WORKER_AREA)

    assert conflicts == [f"case-{first.case_id}"]
    assert (again.case_id, again.outcome) == (first.case_id, Outcome.LINKED)
    assert len(journal.outbox.events_of_type(ApplicationLinkedToCase)) == 1
