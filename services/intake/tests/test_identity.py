"""A person's keys, how a reservation stands, and which matches wait for a worker (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from inson_contracts.events.intake import CaseMatch
from inson_contracts.events.values import PersonName
from intake.domain.case import Case, match_with
from intake.domain.identity import (
    LEASE,
    Reservation,
    Standing,
    first_reservation,
    key_kind,
    name_birth_key,
    person_keys,
    pinfl_key,
    standing,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
BORN = date(1985, 4, 12)


def test_the_name_key_comes_first_and_is_one_across_scripts() -> None:
    latin = person_keys(PersonName(last_name="Aliyev", first_name="Jasur"), BORN, "31204850000018")
    cyrillic = person_keys(PersonName(last_name="Алиев", first_name="Жасур"), BORN, None)

    assert latin == (cyrillic[0], pinfl_key("31204850000018"))
    assert cyrillic == (name_birth_key(PersonName(last_name="ALIYEV", first_name="jasur"), BORN),)
    assert [key_kind(k) for k in latin] == ["name", "pinfl"]


@pytest.mark.parametrize(
    ("reservation", "written", "expected"),
    [
        (first_reservation("k", "c", NOW), True, Standing.HELD),
        (
            first_reservation("k", "c", NOW - LEASE + timedelta(seconds=1)),
            False,
            Standing.IN_FLIGHT,
        ),
        (first_reservation("k", "c", NOW - LEASE), False, Standing.LOST),
        # Settled: its case was written, and the store no longer has it.
        (first_reservation("k", "c", NOW, settled=True), False, Standing.LOST),
        # Made before reservations were timed.
        (Reservation("k", 0, "c"), False, Standing.LOST),
        (Reservation("k", 0, "c"), True, Standing.HELD),
    ],
)
def test_how_a_reservation_stands(
    reservation: Reservation, written: bool, expected: Standing
) -> None:
    assert standing(reservation, case_written=written, now=NOW) is expected


def test_a_reservation_is_written_by_only_in_the_first_half_of_its_lease() -> None:
    mine = first_reservation("k", "c", NOW)

    assert mine.fresh(NOW + LEASE / 2 - timedelta(milliseconds=1))
    assert not mine.fresh(NOW + LEASE / 2)
    assert not Reservation("k", 0, "c").fresh(NOW)
    assert mine.successor("d", NOW) == Reservation("k", 1, "d", NOW, settled=False)


@pytest.mark.parametrize(
    ("how", "district", "waits"),
    [
        (CaseMatch.SAME_PINFL, "1714237", False),
        (CaseMatch.SAME_NAME_AND_BIRTH_DATE, "1733217", False),
        (CaseMatch.SAME_NAME_AND_BIRTH_DATE, "1714237", True),
        (CaseMatch.LIKELY_SAME_PERSON, "1733217", True),
        (CaseMatch.LIKELY_SAME_PERSON, "1714237", True),
    ],
)
def test_a_match_by_name_across_districts_waits_for_a_worker(
    how: CaseMatch, district: str, waits: bool
) -> None:
    urganch = Case("c1", opened=True, district="1733217")

    match = match_with(urganch, how, district)

    assert (match.case_id, match.how, match.needs_confirmation) == ("c1", how, waits)
