"""The person a referral is for, on the in-memory journal and fakes: intake's events
kept sealed by the person policy, opened only at the read, name and birth date
always, the address for a service at home, nothing after an erasure; refused
outside the caller's area."""

from __future__ import annotations

from datetime import date

import pytest
from inson_contracts.events.values import PlanItem
from inson_contracts.personal import SEALED
from referral.domain.area import Area
from referral.domain.person import delivered_at_home
from referral.domain.referral import UnknownReferral
from referral.handlers.commands import NotInArea
from referral.handlers.people import PersonPolicies

DISTRICT = "1735207"
AT_THE_HOSPITAL = Area(providers=frozenset({f"health-{DISTRICT}"}))


@pytest.fixture
def people(applicants) -> PersonPolicies:
    return PersonPolicies(applicants)


@pytest.fixture
def person_known(people, sealer, applications):
    """Intake's application and case for a case id, delivered sealed as on the wire."""

    async def know(case_id: str):
        person = applications(case_id)
        submitted, opened = person.submitted(), person.opened()
        wire = sealer.seal(submitted.TYPE, submitted.model_dump(mode="json"), case_id)
        await people.on_application_submitted(submitted, person.envelope(submitted, 1, wire))
        await people.on_case_opened(opened, person.envelope(opened, 2))
        return person

    return know


@pytest.fixture
def referred(policies, plans):
    """A plan with a home-care item (HOME-02, a health facility's) and a health one."""

    async def refer():
        events = plans()
        approved = events.approved(
            [
                PlanItem(item_id="home", service_code="HOME-02", provider_type="health_facility"),
                PlanItem(item_id="drugs", service_code="HLTH-02", provider_type="health_facility"),
            ]
        )
        await policies.on_plan_in_force(approved, events.envelope(approved))
        return events

    return refer


def test_the_address_is_for_services_delivered_at_home() -> None:
    assert all(delivered_at_home(code) for code in ("HOME-01", "HOME-02", "HOME-07"))
    assert all(delivered_at_home(code) for code in ("HLTH-03", "DIS-01", "EDU-04"))
    assert not any(delivered_at_home(code) for code in ("HLTH-02", "CASH-01", "REHAB-01"))
    assert not delivered_at_home("ZZZ-99")


async def test_the_person_policy_keeps_only_the_sealed_form(person_known, applicants) -> None:
    person = await person_known("case-p1")

    [kept] = applicants.applications.values()
    assert kept["case_id"] == "case-p1" and kept[SEALED]["kid"] == "case-p1"
    text = repr(kept)
    for clear in ("Qodirova", "Malika", "1948-05-17", person.STREET, "+998901234567"):
        assert clear not in text
    assert kept["address"] == {"region": "1735", "district": DISTRICT, "mahalla": person.mahalla}
    assert applicants.people["case-p1"] == {"application_id": person.application_id}


async def test_a_provider_reads_name_birth_date_and_for_home_care_the_address(
    person_known, referred, referrals, sealer
) -> None:
    events = await referred()
    person = await person_known(events.case_id)

    home = await referrals.person(events.referral("home"), AT_THE_HOSPITAL)
    drugs = await referrals.person(events.referral("drugs"), AT_THE_HOSPITAL)

    assert (home.case_id, home.service_code, home.at_home) == (events.case_id, "HOME-02", True)
    name = home.person.name
    assert name is not None
    assert (name.last_name, name.first_name, name.patronymic) == (
        "Qodirova",
        "Malika",
        "Rustamovna",
    )
    assert home.person.birth_date == date(1948, 5, 17)
    address = home.person.address
    assert address is not None
    assert (address.mahalla, address.street, address.house, address.apartment) == (
        person.mahalla,
        person.STREET,
        "12",
        "3",
    )
    assert drugs.at_home is False and drugs.person.address is None
    assert drugs.person.name == name and drugs.person.birth_date == home.person.birth_date
    assert sealer.opened == [events.case_id, events.case_id]  # opened at each read only


async def test_after_an_erasure_nothing_is_known_of_the_person(
    person_known, referred, referrals, people, applicants, sealer, applications
) -> None:
    events = await referred()
    await person_known(events.case_id)
    sealer.erase(events.case_id)  # intake destroys the key first
    erased = applications(events.case_id).erased()
    await people.on_person_erased(erased, applications(events.case_id).envelope(erased, 3))
    await people.on_person_erased(erased, applications(events.case_id).envelope(erased, 3))

    found = await referrals.person(events.referral("home"), AT_THE_HOSPITAL)

    assert found.at_home is True and found.case_id == events.case_id
    assert (found.person.name, found.person.birth_date, found.person.address) == (None,) * 3
    assert all(kept[SEALED] is None for kept in applicants.applications.values())


async def test_a_key_destroyed_before_the_erasure_event_arrives_opens_to_nothing(
    person_known, referred, referrals, sealer
) -> None:
    events = await referred()
    await person_known(events.case_id)
    sealer.erase(events.case_id)

    found = await referrals.person(events.referral("home"), AT_THE_HOSPITAL)

    assert (found.person.name, found.person.birth_date, found.person.address) == (None,) * 3


async def test_an_application_not_read_yet_answers_nothing_known(referred, referrals) -> None:
    events = await referred()
    found = await referrals.person(events.referral("home"), AT_THE_HOSPITAL)
    assert found.person.name is None and found.at_home is True


async def test_a_moved_application_names_the_new_case_s_person_and_erases_with_it(
    people, referred, referrals, sealer, applications, applicants
) -> None:
    """A refused likely match: the application sealed under the first case opens the new one."""
    events = await referred()
    first = applications("case-first")
    submitted = first.submitted()
    wire = sealer.seal(submitted.TYPE, submitted.model_dump(mode="json"), "case-first")
    await people.on_application_submitted(submitted, first.envelope(submitted, 1, wire))
    moved = applications(events.case_id)
    opened = moved.opened().model_copy(update={"application_id": first.application_id})
    await people.on_case_opened(opened, moved.envelope(opened, 1))

    found = await referrals.person(events.referral("home"), AT_THE_HOSPITAL)
    assert found.person.name is not None and found.person.name.first_name == "Malika"

    erased = moved.erased()
    await people.on_person_erased(erased, moved.envelope(erased, 2))
    found = await referrals.person(events.referral("home"), AT_THE_HOSPITAL)
    assert found.person.name is None
    assert applicants.applications[first.application_id][SEALED] is None


async def test_the_person_is_refused_outside_the_caller_s_area(
    person_known, referred, referrals
) -> None:
    events = await referred()
    await person_known(events.case_id)
    with pytest.raises(NotInArea):
        await referrals.person(
            events.referral("home"), Area(providers=frozenset({"inson-1735207"}))
        )
    with pytest.raises(NotInArea):
        await referrals.person(events.referral("home"), Area(service_center=f"psc-{DISTRICT}"))
    with pytest.raises(UnknownReferral):
        await referrals.person("no-such-referral", AT_THE_HOSPITAL)
