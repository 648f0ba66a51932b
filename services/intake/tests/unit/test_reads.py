"""Reads that see the caller's own writes: the read model first, the event store
while it lags, in the same scope (the caller's area; the author, for an application)."""

from __future__ import annotations

from datetime import date

import pytest
from inson_contracts.events.intake import CaseMatch, ErasureBasis
from inson_contracts.events.values import Actor, PersonName
from intake.domain.area import NOWHERE, Area, NoArea
from intake.handlers.reads import Reads
from intake.projections.queries import NotInArea
from intake.projections.records import ApplicationRecord, CaseRecord, PersonRecord

from .fakes import new_application

MAHALLA = "1735207001"
WORKER = Actor(id="sw-1", role="social_worker")
AREA = Area(mahallas=(MAHALLA,))
NEIGHBOUR = Actor(id="sw-2", role="social_worker")
SUPERVISOR = Actor(id="sup-1", role="supervisor")
ELSEWHERE = Area(mahallas=("1735207002",))
BORN = date(1948, 3, 8)


class ReadModel:
    """The read side as the projection has it so far: here, whatever a test puts in."""

    def __init__(self) -> None:
        self.applications: dict[str, ApplicationRecord] = {}
        self.cases: dict[str, CaseRecord] = {}

    async def application(
        self, application_id: str, area: Area, *, author: str | None = None
    ) -> ApplicationRecord:
        if application_id not in self.applications:
            raise NotInArea(f"no application {application_id} in your area")
        return self.applications[application_id]

    async def case(self, case_id: str, area: Area) -> CaseRecord:
        if case_id not in self.cases:
            raise NotInArea(f"no case {case_id} in your area")
        return self.cases[case_id]


@pytest.fixture
def read_model() -> ReadModel:
    return ReadModel()


@pytest.fixture
def reads(intake, read_model) -> Reads:
    return Reads(read_model, intake.cases)  # type: ignore[arg-type]


async def test_the_author_reads_an_application_the_read_model_has_not_seen(intake, reads):
    answer = await intake.submit(new_application(), WORKER, AREA)

    found = await reads.application(answer.application_id, WORKER, AREA)

    assert found == answer.application
    assert (found.case_id, found.status, found.submitted_by) == (
        answer.case_id,
        "opened_case",
        WORKER.id,
    )
    assert found.applicant == PersonRecord(
        last_name="Yoʻldosheva", first_name="Malika", patronymic=None, birth_date=BORN
    )
    assert found.model_fields_set >= {"channel", "district", "mahalla", "household_size"}
    assert "erased" not in found.model_fields_set and "match" not in found.model_fields_set


async def test_from_the_store_an_application_is_read_in_the_same_scope(intake, reads):
    answer = await intake.submit(new_application(), WORKER, AREA)

    assert (await reads.application(answer.application_id, NEIGHBOUR, AREA)).id
    with pytest.raises(NotInArea):
        await reads.application(answer.application_id, NEIGHBOUR, ELSEWHERE)
    with pytest.raises(NotInArea):
        await reads.application("nope", WORKER, AREA)
    with pytest.raises(NoArea):
        await reads.application(answer.application_id, NEIGHBOUR, NOWHERE)


async def test_the_author_reads_their_application_outside_their_area(intake, reads):
    # A supervisor of another district applying for someone here.
    answer = await intake.submit(new_application(), SUPERVISOR, Area(district="1703236"))

    found = await reads.application(answer.application_id, SUPERVISOR, Area(district="1703236"))

    assert found.id == answer.application_id


async def test_a_read_model_record_not_yet_decided_is_read_from_the_store(
    intake, reads, read_model
):
    answer = await intake.submit(new_application(), WORKER, AREA)
    read_model.applications[answer.application_id] = ApplicationRecord(
        id=answer.application_id, status="submitted"
    )

    found = await reads.application(answer.application_id, WORKER, AREA)

    assert found.status == "opened_case"


async def test_a_decided_read_model_record_is_answered_as_it_is(intake, reads, read_model):
    answer = await intake.submit(new_application(), WORKER, AREA)
    projected = ApplicationRecord(id=answer.application_id, status="opened_case")
    read_model.applications[answer.application_id] = projected

    assert await reads.application(answer.application_id, WORKER, AREA) is projected


async def test_a_pending_application_reads_with_its_match(intake, reads, people):
    first = await intake.submit(new_application(), WORKER, AREA)
    people.knows(PersonName(last_name="Yoʻldosheva", first_name="Malika"), BORN, first.case_id)
    likely = await intake.submit(new_application("Yuldosheva", "Malika"), WORKER, AREA)

    found = await reads.application(likely.application_id, WORKER, AREA)

    assert (found.case_id, found.status, found.match) == (
        first.case_id,
        "pending_confirmation",
        CaseMatch.LIKELY_SAME_PERSON,
    )


async def test_a_moved_application_reads_in_its_own_case(intake, reads, people):
    first = await intake.submit(new_application(), WORKER, AREA)
    people.knows(PersonName(last_name="Yoʻldosheva", first_name="Malika"), BORN, first.case_id)
    likely = await intake.submit(new_application("Yuldosheva", "Malika"), WORKER, AREA)
    own = await intake.refuse_link(first.case_id, likely.application_id, WORKER, AREA)

    found = await reads.application(likely.application_id, WORKER, AREA)

    assert (found.case_id, found.moved_from, found.status) == (own, first.case_id, "opened_case")


async def test_a_case_the_read_model_has_not_seen_is_read_from_the_store(intake, reads, clock):
    answer = await intake.submit(new_application(), WORKER, AREA)

    found = await reads.case(answer.case_id, AREA)

    assert found.model_dump(exclude_unset=True) == {
        "id": answer.case_id,
        "status": "open",
        "region": "1735",
        "district": "1735207",
        "mahalla": MAHALLA,
        "circumstances": ["lonely_elderly"],
        "household_size": 1,
        "language": "uz-Cyrl",
        "opened_at": clock(),
        "opening_application_id": answer.application_id,
        "applicant": {
            "last_name": "Yoʻldosheva",
            "first_name": "Malika",
            "patronymic": None,
            "birth_date": BORN,
        },
        "pending_confirmations": 0,
        "applications": 1,
    }


async def test_a_case_is_read_from_the_store_only_in_the_callers_area(intake, reads, read_model):
    answer = await intake.submit(new_application(), WORKER, AREA)

    with pytest.raises(NotInArea, match="no case"):
        await reads.case(answer.case_id, ELSEWHERE)
    with pytest.raises(NotInArea):
        await reads.case("nope", AREA)
    read_model.cases[answer.case_id] = CaseRecord(id=answer.case_id, status="open")
    assert (await reads.case(answer.case_id, AREA)).model_fields_set == {"id", "status"}


async def test_an_erased_case_reads_without_its_person(intake, reads):
    answer = await intake.submit(new_application(), WORKER, AREA)
    await intake.erase(
        answer.case_id, ErasureBasis.SUBJECT_REQUEST, "Ariza 2026/1", Actor(id="a-1", role="admin")
    )

    case = await reads.case(answer.case_id, AREA)
    application = await reads.application(answer.application_id, WORKER, AREA)

    assert (case.applicant, case.erased) == (None, True)
    assert (application.applicant, application.erased) == (None, True)
