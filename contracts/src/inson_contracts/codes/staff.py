"""The social workers and Inson-center supervisors of the pilot, and the mahallas they cover.

Shared reference data: assessment assigns cases to the workers, referral
escalates overdue referrals to the district's supervisor, and both must name
the same people, so the directory lives here, not in either service.

The source gives only totals (698 social workers for the 1,351 mahallas of the
pilot districts and cities, "about two mahallas per worker"), so the packaged
directory is generated placeholder data (``contracts/tools/generate_workers.py``): the
right number of workers, spread over the districts in proportion to their
mahallas, with stable ids and names that say they are placeholders.

Like the mahalla list it is data, not code: read from ``data/workers.json``
inside this package or, when ``INSON_WORKERS_FILE`` names a file, from that
file, so the real staff list can replace the placeholders without a release.
It is checked as it is loaded against the mahalla list in use (ids unique,
districts known, every mahalla listed and inside the worker's district, every
mahalla covered by an active worker, one supervisor per district) and a bad
entry stops the load with a message naming it: a directory that silently
leaves a mahalla uncovered would leave that mahalla's cases with nobody.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Annotated, Any, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from inson_contracts.codes.errors import UnknownCode
from inson_contracts.codes.geography import DISTRICTS_BY_CODE, DistrictCode
from inson_contracts.codes.mahallas import MahallaCode, mahallas
from inson_contracts.codes.reference import (
    ReferenceDataError,
    ReferenceFile,
    describe,
    validated,
)

# The shape of ids on the wire (contracts' Id): they travel in events as
# social_worker_id, so a file may use real personnel ids as long as they fit.
StaffId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_:-]{1,64}$")]
DisplayName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

WORKER_COUNT_PILOT = 698
"""Social workers the source counts for the pilot mahallas."""

WORKERS_FILE_ENV = "INSON_WORKERS_FILE"

_PACKAGED = "data/workers.json"


def inson_center_of(district_code: str) -> str:
    """The code of a district's Inson center: one center per district or city."""
    return f"inson-{district_code}"


def _check_center(district: str, inson_center: str) -> None:
    if inson_center != inson_center_of(district):
        raise ValueError(
            f"inson_center {inson_center} is not the center of district {district}"
            f" ({inson_center_of(district)})"
        )


class Worker(BaseModel):
    """A social worker (ijtimoiy xodim) and the mahallas they cover."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    worker_id: StaffId
    district: DistrictCode
    mahallas: tuple[MahallaCode, ...] = Field(min_length=1)
    inson_center: str
    name: DisplayName
    # True while the name is generated, so no screen or letter to a citizen
    # can pass a placeholder off as a real person.
    placeholder: bool = False
    active: bool = True

    @model_validator(mode="after")
    def _consistent(self) -> Worker:
        _check_center(self.district, self.inson_center)
        if len(set(self.mahallas)) != len(self.mahallas):
            raise ValueError("a mahalla is listed twice")
        outside = [code for code in self.mahallas if not code.startswith(self.district)]
        if outside:
            raise ValueError(f"mahallas {outside} are not inside district {self.district}")
        return self


class Supervisor(BaseModel):
    """The Inson-center supervisor a district's workers escalate to."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    supervisor_id: StaffId
    district: DistrictCode
    inson_center: str
    name: DisplayName
    placeholder: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> Supervisor:
        _check_center(self.district, self.inson_center)
        return self


class WorkerDataError(ReferenceDataError):
    """The worker file cannot be used; the message names the file and the entry."""


class _Table(NamedTuple):
    source: str
    workers: tuple[Worker, ...]
    by_id: Mapping[str, Worker]
    by_mahalla: Mapping[str, tuple[Worker, ...]]
    supervisors: Mapping[str, Supervisor]


def _lists(source: str, document: Any) -> tuple[list[Any], list[Any]]:
    if not isinstance(document, dict) or not all(
        isinstance(document.get(key), list) for key in ("workers", "supervisors")
    ):
        raise WorkerDataError(
            f'{source}: expected an object with "workers" and "supervisors" lists'
        )
    return document["workers"], document["supervisors"]


def _parse_workers(source: str, entries: list[Any]) -> dict[str, Worker]:
    known = {m.code: m.district_code for m in mahallas()}
    parsed: dict[str, Worker] = {}
    seen: dict[str, int] = {}
    for number, entry in enumerate(entries, start=1):
        where = describe(source, "worker", number, entry, limit=None)
        worker = validated(Worker, where, entry, WorkerDataError)
        if worker.worker_id in seen:
            raise WorkerDataError(
                f"{where}: worker_id {worker.worker_id} is listed twice"
                f" (first as worker #{seen[worker.worker_id]})"
            )
        if worker.district not in DISTRICTS_BY_CODE:
            raise WorkerDataError(f"{where}: unknown district {worker.district}")
        unlisted = [code for code in worker.mahallas if code not in known]
        if unlisted:
            raise WorkerDataError(f"{where}: mahallas {unlisted} are not in the mahalla list")
        seen[worker.worker_id] = number
        parsed[worker.worker_id] = worker
    if not parsed:
        raise WorkerDataError(f"{source}: lists no workers")
    return parsed


def _parse_supervisors(source: str, entries: list[Any]) -> dict[str, Supervisor]:
    by_district: dict[str, Supervisor] = {}
    seen: dict[str, int] = {}
    for number, entry in enumerate(entries, start=1):
        where = describe(source, "supervisor", number, entry, limit=None)
        supervisor = validated(Supervisor, where, entry, WorkerDataError)
        if supervisor.supervisor_id in seen:
            raise WorkerDataError(
                f"{where}: supervisor_id {supervisor.supervisor_id} is listed twice"
                f" (first as supervisor #{seen[supervisor.supervisor_id]})"
            )
        if supervisor.district not in DISTRICTS_BY_CODE:
            raise WorkerDataError(f"{where}: unknown district {supervisor.district}")
        if supervisor.district in by_district:
            raise WorkerDataError(
                f"{where}: district {supervisor.district} already has supervisor"
                f" {by_district[supervisor.district].supervisor_id}"
            )
        seen[supervisor.supervisor_id] = number
        by_district[supervisor.district] = supervisor
    return by_district


def _parse(source: str, document: Any) -> _Table:
    worker_entries, supervisor_entries = _lists(source, document)
    by_id = _parse_workers(source, worker_entries)
    supervisors = _parse_supervisors(source, supervisor_entries)

    ordered = tuple(by_id[key] for key in sorted(by_id))
    covering: dict[str, list[Worker]] = {}
    for worker in ordered:
        for code in worker.mahallas:
            covering.setdefault(code, []).append(worker)
    # Checked over the whole list rather than per entry: a gap is a property
    # of the file, and naming the first few is enough to find the rest.
    uncovered = [m.code for m in mahallas() if not any(w.active for w in covering.get(m.code, ()))]
    if uncovered:
        shown = ", ".join(uncovered[:5]) + (" ..." if len(uncovered) > 5 else "")
        raise WorkerDataError(f"{source}: {len(uncovered)} mahallas have no active worker: {shown}")
    unsupervised = sorted({w.district for w in ordered} - supervisors.keys())
    if unsupervised:
        raise WorkerDataError(f"{source}: districts without a supervisor: {unsupervised}")
    return _Table(
        source=source,
        workers=ordered,
        by_id=MappingProxyType(dict(by_id)),
        by_mahalla=MappingProxyType({code: tuple(ws) for code, ws in covering.items()}),
        supervisors=MappingProxyType(supervisors),
    )


_FILE = ReferenceFile(
    package="inson_contracts.codes",
    resource=_PACKAGED,
    env=WORKERS_FILE_ENV,
    parse=_parse,
    error=WorkerDataError,
)
_table = _FILE.get


def reload_workers() -> None:
    """Forget the loaded directory; the next lookup reads the file again.

    For tests and for a process pointed at a new file through
    ``INSON_WORKERS_FILE``. The directory is checked against the mahalla list
    in use, so after ``reload_mahallas()`` call this too.
    """
    _FILE.reload()


def workers_source() -> str:
    """Where the directory in use was read from: the packaged file or the replacement's path."""
    return _table().source


def workers() -> tuple[Worker, ...]:
    """Every worker in the directory in use, active or not, by worker_id."""
    return _table().workers


def worker(worker_id: str) -> Worker:
    """A worker by id."""
    try:
        return _table().by_id[worker_id]
    except KeyError:
        raise UnknownCode("social worker", worker_id) from None


def workers_covering(mahalla_code: str) -> tuple[Worker, ...]:
    """The workers covering a mahalla, active or not, by worker_id."""
    table = _table()
    if mahalla_code not in table.by_mahalla:
        # Every listed mahalla is covered (checked on load), so a miss is a
        # code that is not in the mahalla list at all.
        raise UnknownCode("mahalla", mahalla_code)
    return table.by_mahalla[mahalla_code]


def supervisors() -> tuple[Supervisor, ...]:
    """Every supervisor, by district."""
    table = _table()
    return tuple(table.supervisors[code] for code in sorted(table.supervisors))


def supervisor_of(district_code: str) -> Supervisor:
    """The Inson-center supervisor of a district or city."""
    if district_code not in DISTRICTS_BY_CODE:
        raise UnknownCode("district", district_code)
    try:
        return _table().supervisors[district_code]
    except KeyError:
        raise UnknownCode("supervisor for district", district_code) from None
