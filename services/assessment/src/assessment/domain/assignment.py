"""Which social worker takes a case, and by when they visit the home (pure, no I/O).

A case goes to a worker who covers the applicant's mahalla; among several, to
the one with the fewest open cases, so the work spreads over the people who
can reach the family. The choice must be the same for the same inputs, because
a handler replaying an event has to come to the decision it came to the first
time. The directory and the caseloads are read by the caller and passed in.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Protocol, TypeVar


class CoveringWorker(Protocol):
    """What assignment needs to know of a worker.

    A protocol rather than the directory's ``Worker`` class, because the
    domain imports nothing but the contracts and the standard library; the
    directory's workers fit it as they are.
    """

    @property
    def worker_id(self) -> str: ...

    @property
    def mahallas(self) -> tuple[str, ...]: ...

    @property
    def active(self) -> bool: ...


W = TypeVar("W", bound=CoveringWorker)


class NoWorkerCovers(Exception):
    """No active worker covers the mahalla (after the exclusions); a supervisor must decide."""

    def __init__(self, mahalla: str, excluded: Collection[str] = ()) -> None:
        self.mahalla = mahalla
        self.excluded = tuple(sorted(excluded))
        message = f"no active social worker covers mahalla {mahalla}"
        if self.excluded:
            message += f" apart from {', '.join(self.excluded)}"
        super().__init__(message)

    def __reduce__(self) -> tuple[type[NoWorkerCovers], tuple[str, tuple[str, ...]]]:
        return (type(self), (self.mahalla, self.excluded))


def choose_worker(
    mahalla: str,
    candidates: Sequence[W],
    caseloads: Mapping[str, int],
    *,
    exclude: Collection[str] = (),
) -> W:
    """The active candidate covering ``mahalla`` with the smallest open caseload.

    ``candidates`` may be the workers covering the mahalla or any larger list
    (the whole directory): workers who do not cover it, are inactive, or whose
    id is in ``exclude`` (the current worker, when reassigning) are passed
    over. A worker missing from ``caseloads`` has no open cases. Ties go to
    the worker covering fewer mahallas, whose time is spread over less ground,
    then to the lower worker_id, so the order of ``candidates`` never matters.

    Raises NoWorkerCovers when nobody is left.
    """
    eligible = [
        w for w in candidates if w.active and mahalla in w.mahallas and w.worker_id not in exclude
    ]
    if not eligible:
        raise NoWorkerCovers(mahalla, exclude)
    return min(
        eligible, key=lambda w: (caseloads.get(w.worker_id, 0), len(w.mahallas), w.worker_id)
    )


# Uzbekistan has kept UTC+5 without daylight saving since 1992, so a fixed
# offset is exact and spares the domain a dependency on the system's tz database.
TASHKENT = timezone(timedelta(hours=5), "Asia/Tashkent")

VISIT_TIME = time(10, 0)
"""Local time visits are scheduled for: after the morning at the Inson center."""

URGENT_WORKING_DAYS = 1
"""Child at risk, domestic violence, homelessness: the next working day."""

STANDARD_WORKING_DAYS = 3

# Assumption, not from the sources: home visits follow the five-day week of
# the Inson centers' civil servants, so Saturdays and Sundays are skipped even
# though some mahalla institutions open on Saturdays. The due time is a
# deadline, not an appointment: a worker may go sooner, and a danger to life
# goes to the police and emergency lines, not to this schedule.
_WEEKEND = frozenset({5, 6})  # date.weekday(): Saturday, Sunday


def _working_day(day: date, holidays: Collection[date]) -> bool:
    return day.weekday() not in _WEEKEND and day not in holidays


def schedule_home_visit(
    assigned_at: datetime,
    *,
    urgent: bool,
    holidays: Collection[date] = frozenset(),
) -> datetime:
    """When the home visit is due, as an aware UTC datetime.

    The visit is due at 10:00 Tashkent time on the first working day after
    the day of assignment when ``urgent``, otherwise on the third; the day of
    assignment itself never counts, since a case assigned in the afternoon
    cannot be prepared and visited the same day. ``holidays`` are local dates
    to skip as well: the public-holiday calendar (Navruz, the Eids, whose
    dates move) is not in our sources, so the caller supplies it.
    """
    if assigned_at.tzinfo is None or assigned_at.utcoffset() is None:
        raise ValueError("assigned_at must be timezone-aware")
    day = assigned_at.astimezone(TASHKENT).date()
    remaining = URGENT_WORKING_DAYS if urgent else STANDARD_WORKING_DAYS
    while remaining:
        day += timedelta(days=1)
        if _working_day(day, holidays):
            remaining -= 1
    return datetime.combine(day, VISIT_TIME, tzinfo=TASHKENT).astimezone(UTC)
