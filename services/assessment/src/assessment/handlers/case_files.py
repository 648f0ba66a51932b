"""The case-file repository as every handler uses it: loads in the caller's scope, ids, records.

One stream per case (``assessment-<case_id>``). A caller acts on a case file
that exists (a worker is assigned) and is theirs to see. Ids are derived
from what they identify under assessment's own namespace, so a redelivered
event or a retried command names the same visit, plan, conflict or entry again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from uuid import UUID

from inson_contracts.events import Event
from inson_runtime.auth import Principal, Role
from inson_runtime.eventstore import AppendResult
from inson_runtime.ids import DerivedIds
from inson_runtime.journal import EventJournal
from inson_runtime.repository import Repository
from pydantic import ValidationError

from assessment.domain.case_file import CaseFile, replay
from assessment.domain.housing import InvalidRegistration
from assessment.domain.plan_items import InvalidPlanItems
from assessment.handlers.errors import NotFound, OutOfScope, Unprocessable

CaseFiles = Repository[CaseFile]
derived_id = DerivedIds(UUID("0b6f3d8e-2a41-4c55-9f0e-6c1d2e3f4a5b"))


def case_files(journal: EventJournal) -> CaseFiles:
    return Repository(journal, source="inson/assessment", stream_prefix="assessment", replay=replay)


async def record(
    files: CaseFiles,
    file: CaseFile,
    events: Sequence[Event],
    *,
    commit_id: str | None = None,
    cause: str | None = None,
) -> AppendResult | None:
    """Append after the version ``file`` was read at, located where the case is."""
    return await files.record(
        file.case_id,
        file.version,
        events,
        commit_id=commit_id,
        cause=cause,
        region=file.region,
        district=file.district,
    )


def decided(decide: Callable[[], list[Event]]) -> list[Event]:
    """The events of a decision; values the events or the plan rules refuse are the caller's
    to fix."""
    try:
        return decide()
    except ValidationError as exc:
        raise Unprocessable(exc.errors(include_url=False, include_context=False)) from None
    except InvalidPlanItems as exc:
        raise Unprocessable(exc.errors) from None
    except InvalidRegistration as exc:
        raise Unprocessable([{**e, "loc": ["body", *e["loc"]]} for e in exc.errors]) from None


async def case_file_for(files: CaseFiles, caller: Principal, case_id: str) -> CaseFile:
    """The case file, if there is one (a worker is assigned) and the caller may act on it."""
    return _in_scope(caller, _existing(await files.load(case_id)))


async def based(
    files: CaseFiles, caller: Principal, case_id: str, base_version: int | None
) -> tuple[CaseFile, CaseFile | None]:
    """The case file now and, for a tablet command, as it was at its base version."""
    if base_version is None:
        return await case_file_for(files, caller, case_id), None
    return await at_version(files, caller, case_id, base_version)


async def at_version(
    files: CaseFiles, caller: Principal, case_id: str, version: int
) -> tuple[CaseFile, CaseFile]:
    """The case file now and at ``version`` (``VersionAhead`` if it never had it), one read."""
    now, then = await files.load_at(case_id, version)
    return _in_scope(caller, _existing(now)), then


def _existing(file: CaseFile) -> CaseFile:
    if file.worker_id is None:
        raise NotFound(f"no case file {file.case_id}")
    return file


def _in_scope(caller: Principal, file: CaseFile) -> CaseFile:
    """A social worker acts on their own cases and mahallas; a supervisor in their district."""
    scope = caller.scope
    if (
        caller.role is Role.SOCIAL_WORKER
        and file.worker_id != caller.sub
        and file.mahalla not in scope.mahallas
    ):
        raise OutOfScope("this case is assigned to another social worker")
    if caller.role is Role.SUPERVISOR and scope.district != file.district:
        raise OutOfScope(f"district {file.district} is outside your scope")
    return file
