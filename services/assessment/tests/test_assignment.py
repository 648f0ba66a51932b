"""Assignment to the least-loaded covering worker, and the home-visit deadline."""

from __future__ import annotations

import pickle
from collections import Counter
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from assessment.domain.assignment import (
    TASHKENT,
    NoWorkerCovers,
    choose_worker,
    schedule_home_visit,
)
from hypothesis import given
from hypothesis import strategies as st
from inson_contracts.codes.mahallas import mahallas
from inson_contracts.codes.staff import Worker, workers, workers_covering

M = "1735207001"


def make(worker_id: str, *codes: str, active: bool = True) -> Worker:
    return Worker(
        worker_id=worker_id,
        district="1735207",
        mahallas=codes or (M,),
        inson_center="inson-1735207",
        name=worker_id,
        active=active,
    )


# --- choose_worker ---------------------------------------------------------


def test_picks_the_least_loaded_covering_worker() -> None:
    a, b, c = make("a"), make("b"), make("c")
    assert choose_worker(M, [a, b, c], {"a": 4, "b": 2, "c": 3}) is b


def test_a_worker_missing_from_the_caseloads_has_none() -> None:
    a, b = make("a"), make("b")
    assert choose_worker(M, [a, b], {"a": 1}) is b


def test_ties_go_to_fewer_mahallas_then_the_lower_id_whatever_the_order() -> None:
    wide = make("a", M, "1735207002", "1735207003")
    narrow_b, narrow_c = make("c"), make("b")
    loads = {"a": 1, "b": 1, "c": 1}
    for order in (
        [wide, narrow_b, narrow_c],
        [narrow_c, wide, narrow_b],
        [narrow_b, narrow_c, wide],
    ):
        assert choose_worker(M, order, loads).worker_id == "b"
    assert choose_worker(M, [wide, narrow_b], {"a": 0, "c": 1}) is wide  # load comes first


def test_excluded_inactive_and_non_covering_workers_are_passed_over() -> None:
    current, away, elsewhere, other = (
        make("a"),
        make("b", active=False),
        make("c", "1735207002"),
        make("d"),
    )
    pool = [current, away, elsewhere, other]
    loads = {"a": 0, "b": 0, "c": 0, "d": 9}
    assert choose_worker(M, pool, loads) is current
    assert choose_worker(M, pool, loads, exclude={"a"}) is other


def test_no_worker_left_raises_no_worker_covers() -> None:
    with pytest.raises(NoWorkerCovers, match=f"no active social worker covers mahalla {M}$"):
        choose_worker(M, [make("c", "1735207002"), make("b", active=False)], {})
    with pytest.raises(NoWorkerCovers, match="apart from a") as caught:
        choose_worker(M, [make("a")], {}, exclude=["a"])
    assert caught.value.mahalla == M and caught.value.excluded == ("a",)
    # Survives pickling (bytes made right here, so S301 does not apply).
    again = pickle.loads(pickle.dumps(caught.value))  # noqa: S301
    assert (again.mahalla, again.excluded, str(again)) == (M, ("a",), str(caught.value))
    with pytest.raises(NoWorkerCovers):
        choose_worker(M, [], {})


def test_cases_in_a_shared_mahalla_of_the_directory_alternate() -> None:
    shared = next(m.code for m in mahallas() if len(workers_covering(m.code)) == 2)
    pair = workers_covering(shared)
    loads: Counter[str] = Counter()
    chosen = []
    for _ in range(6):
        picked = choose_worker(shared, pair, loads)
        loads[picked.worker_id] += 1
        chosen.append(picked.worker_id)
    assert chosen[0::2] == [chosen[0]] * 3 and chosen[1::2] == [chosen[1]] * 3
    assert chosen[0] != chosen[1]
    # The whole directory works as candidates too: the non-covering are skipped.
    assert choose_worker(shared, workers(), {}) == choose_worker(shared, pair, {})


def test_a_reassignment_leaves_a_single_covered_mahalla_with_nobody() -> None:
    only = next(m.code for m in mahallas() if len(workers_covering(m.code)) == 1)
    current = workers_covering(only)[0]
    with pytest.raises(NoWorkerCovers):
        choose_worker(only, workers_covering(only), {}, exclude={current.worker_id})


_ids = st.lists(
    st.text(alphabet="abcdefghij-0123456789", min_size=1, max_size=6),
    min_size=1,
    max_size=6,
    unique=True,
)


@given(
    ids=_ids,
    extra=st.lists(st.integers(0, 2), min_size=6, max_size=6),
    cases=st.integers(0, 60),
    start=st.lists(st.integers(0, 20), min_size=6, max_size=6),
)
def test_caseloads_over_one_mahalla_stay_within_one(
    ids: list[str], extra: list[int], cases: int, start: list[int]
) -> None:
    other = [f"1735207{n:03d}" for n in range(2, 5)]
    pool = [make(i, M, *other[: extra[n]]) for n, i in enumerate(ids)]
    # From empty caseloads, one at a time, nobody gets two cases ahead.
    loads = dict.fromkeys(ids, 0)
    for _ in range(cases):
        loads[choose_worker(M, pool, loads).worker_id] += 1
    assert max(loads.values()) - min(loads.values()) <= 1
    # From any caseloads, the spread never grows beyond what it was (or one).
    loads = {i: start[n] for n, i in enumerate(ids)}
    gap = max(loads.values()) - min(loads.values())
    for _ in range(cases):
        loads[choose_worker(M, pool, loads).worker_id] += 1
        assert max(loads.values()) - min(loads.values()) <= max(gap, 1)


@given(st.permutations(range(5)), st.lists(st.integers(0, 3), min_size=5, max_size=5))
def test_the_choice_does_not_depend_on_the_order_of_candidates(
    order: list[int], loads: list[int]
) -> None:
    pool = [make(f"w{n}", M, *[f"1735207{k:03d}" for k in range(2, 2 + n % 3)]) for n in range(5)]
    caseloads = {f"w{n}": load for n, load in enumerate(loads)}
    assert choose_worker(M, [pool[n] for n in order], caseloads) == choose_worker(
        M, pool, caseloads
    )


# --- schedule_home_visit ---------------------------------------------------


def local(year: int, month: int, day: int, hour: int = 15) -> datetime:
    return datetime(year, month, day, hour, tzinfo=TASHKENT)


@pytest.mark.parametrize(
    ("assigned", "urgent", "due_local_day"),
    [
        (local(2024, 3, 4), True, date(2024, 3, 5)),  # Monday -> Tuesday
        (local(2024, 3, 4), False, date(2024, 3, 7)),  # Monday -> Thursday
        (local(2024, 3, 6), False, date(2024, 3, 11)),  # Wednesday -> Monday, weekend skipped
        (local(2024, 3, 8), True, date(2024, 3, 11)),  # Friday -> Monday
        (local(2024, 3, 8), False, date(2024, 3, 13)),  # Friday -> Wednesday
        (local(2024, 3, 9), True, date(2024, 3, 11)),  # Saturday -> Monday
        (local(2024, 3, 10), False, date(2024, 3, 13)),  # Sunday -> Wednesday
        (local(2024, 3, 4, hour=0), True, date(2024, 3, 5)),  # the assignment day never counts
    ],
)
def test_visits_are_due_after_working_days_at_ten_in_tashkent(
    assigned: datetime, urgent: bool, due_local_day: date
) -> None:
    due = schedule_home_visit(assigned, urgent=urgent)
    assert due.tzinfo is UTC
    assert due.astimezone(TASHKENT) == datetime.combine(
        due_local_day, datetime.min.time().replace(hour=10), tzinfo=TASHKENT
    )
    assert due.hour == 5  # 10:00 at UTC+5, all year round


def test_urgent_cases_are_due_no_later_than_standard_ones() -> None:
    start = local(2024, 3, 1)
    for hours in range(0, 24 * 14, 5):
        at = start + timedelta(hours=hours)
        urgent = schedule_home_visit(at, urgent=True)
        standard = schedule_home_visit(at, urgent=False)
        assert at < urgent < standard
        assert urgent.astimezone(TASHKENT).weekday() < 5
        assert standard.astimezone(TASHKENT).weekday() < 5


def test_the_day_is_the_tashkent_day_not_the_utc_day() -> None:
    # Friday 22:00 UTC is already Saturday 03:00 in Tashkent: next working day is Monday.
    friday_night_utc = datetime(2024, 3, 8, 22, tzinfo=UTC)
    assert schedule_home_visit(friday_night_utc, urgent=True) == datetime(
        2024, 3, 11, 5, tzinfo=UTC
    )
    # Thursday 18:00 UTC is Thursday 23:00 in Tashkent: next working day is Friday.
    new_york = timezone(timedelta(hours=-5))
    thursday = datetime(2024, 3, 7, 13, tzinfo=new_york)
    assert schedule_home_visit(thursday, urgent=True) == datetime(2024, 3, 8, 5, tzinfo=UTC)


def test_holidays_are_skipped_like_weekends() -> None:
    navruz = date(2024, 3, 21)  # a Thursday
    due = schedule_home_visit(local(2024, 3, 20), urgent=True, holidays={navruz})
    assert due == datetime(2024, 3, 22, 5, tzinfo=UTC)


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        schedule_home_visit(datetime(2024, 3, 4, 10), urgent=False)
