"""Offline tablets: a stale command is merged over the newer case file or recorded as a conflict.

A tablet's command names the stream version it was based on. When the stream
moved since, ``domain/offline.py`` compares base, current and submitted: what
merges is applied (the answer says from which base), a clash is recorded as
``EditConflicted`` and nothing is applied. The conflict's id derives from the
command, so a tablet that sends it again finds the same conflict.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from inson_contracts.events import EditConflicted, EditedCommand, Event
from inson_contracts.events.assessment import HouseholdSituation
from inson_contracts.events.values import Actor, PlanItem

from assessment.domain import plans as rules
from assessment.domain.case_file import CaseFile
from assessment.domain.offline import (
    Reconciled,
    conflicted,
    plan_items,
    reconcile_answers,
    reconcile_items,
)
from assessment.handlers.case_files import CaseFiles, decided, derived_id, record
from assessment.handlers.errors import Refused

T = TypeVar("T", HouseholdSituation, list[PlanItem])


class ConflictRecorded(Exception):
    """A stale tablet command was recorded as a conflict instead of being applied (409)."""

    def __init__(self, conflict: EditConflicted) -> None:
        super().__init__(conflict.conflict_id)
        self.conflict = conflict


@dataclass(frozen=True)
class Applied:
    """A tablet command's outcome: the stream version after it, the base it was merged from."""

    version: int
    merged_from: int | None = None


@dataclass(frozen=True)
class Merged(Generic[T]):
    """What to apply, and the base it was merged from (None: the command was not stale)."""

    content: T
    merged_from: int | None


async def merge_answers(
    files: CaseFiles,
    file: CaseFile,
    base: CaseFile | None,
    submitted: HouseholdSituation,
    *,
    by: Actor,
    now: datetime,
) -> Merged[HouseholdSituation]:
    """A questionnaire merged answer by answer over what changed since ``base``."""
    return await _merge_or_conflict(
        files,
        file,
        base,
        EditedCommand.ASSESSMENT_COMPLETION,
        submitted,
        lambda b: reconcile_answers(b.situation, file.situation, submitted),
        by=by,
        now=now,
    )


async def merge_items(
    files: CaseFiles,
    file: CaseFile,
    base: CaseFile | None,
    command: EditedCommand,
    submitted: list[PlanItem],
    *,
    by: Actor,
    now: datetime,
    reason: str | None = None,
) -> Merged[list[PlanItem]]:
    """Plan items merged item by item over what changed since ``base``."""
    return await _merge_or_conflict(
        files,
        file,
        base,
        command,
        submitted,
        lambda b: reconcile_items(plan_items(b), plan_items(file), submitted),
        by=by,
        now=now,
        reason=reason,
    )


async def _merge_or_conflict(
    files: CaseFiles,
    file: CaseFile,
    base: CaseFile | None,
    command: EditedCommand,
    submitted: T,
    reconcile: Callable[[CaseFile], Reconciled[T]],
    *,
    by: Actor,
    now: datetime,
    reason: str | None = None,
) -> Merged[T]:
    """``submitted`` merged over what changed since ``base``, or the conflict recorded (raised)."""
    if base is None or base.version == file.version:
        return Merged(submitted, None)
    merged = reconcile(base)
    if not merged.conflicts:
        return Merged(merged.merged, base.version)
    proposal = merged.merged
    conflict_id = derived_id(
        "conflict",
        file.case_id,
        str(base.version),
        command.value,
        by.id,
        _fingerprint(proposal, reason),
    )
    situation = proposal if isinstance(proposal, HouseholdSituation) else None
    event = conflicted(
        file,
        conflict_id=conflict_id,
        command=command,
        base_version=base.version,
        clashes=merged.conflicts,
        submitted_by=by,
        now=now,
        situation=situation,
        items=None if isinstance(proposal, HouseholdSituation) else proposal,
        reason=reason,
    )
    result = await record(files, file, [event], commit_id=f"conflict:{conflict_id}")
    if result is not None and not result.created:
        # The same command again: the conflict as first recorded.
        first = files.events_of(result.commit.events[:1])[0]
        if isinstance(first, EditConflicted):
            event = first
    raise ConflictRecorded(event)


# Fields a plan item gained after conflict ids were first derived, with their
# defaults: left out of the digest while they hold them, so a command a tablet
# queued before they existed finds its conflict under the same id.
_ITEM_FIELDS_SINCE: dict[str, object] = {"needs": [], "provider": None}
# Likewise for a household member's answers.
_MEMBER_FIELDS_SINCE: dict[str, object] = {"functional_limitations": []}


def _without_defaults(dumped: dict[str, object], since: dict[str, object]) -> dict[str, object]:
    for name, default in since.items():
        if dumped.get(name) == default:
            dumped.pop(name, None)
    return dumped


def _item_digest(item: PlanItem) -> dict[str, object]:
    return _without_defaults(item.model_dump(mode="json", by_alias=True), _ITEM_FIELDS_SINCE)


def _situation_digest(situation: HouseholdSituation) -> dict[str, object]:
    dumped: dict[str, object] = situation.model_dump(mode="json", by_alias=True)
    members = dumped.get("members")
    if isinstance(members, list):
        dumped["members"] = [_without_defaults(m, _MEMBER_FIELDS_SINCE) for m in members]
    return dumped


def _fingerprint(proposal: HouseholdSituation | list[PlanItem], reason: str | None) -> str:
    """A digest of the proposal, the same however often the tablet sends it."""
    content = (
        _situation_digest(proposal)
        if isinstance(proposal, HouseholdSituation)
        else [_item_digest(item) for item in proposal]
    )
    body = json.dumps([content, reason], sort_keys=True)
    return hashlib.sha256(body.encode()).hexdigest()


def settled(merged: Reconciled[T]) -> T:
    """A conflict's proposal merged again over anything newer, unless it clashes again."""
    if merged.conflicts:
        paths = ", ".join(f.path for f in merged.conflicts)
        raise Refused(f"the same answers or items changed again since ({paths}): reload")
    return merged.merged


async def proposal(
    conflict: EditConflicted,
    file: CaseFile,
    then: CaseFile,
    *,
    assess: Callable[[HouseholdSituation], Awaitable[list[Event]]],
    by: Actor,
    now: datetime,
    approver: bool,
) -> list[Event]:
    """The events of a conflict's proposal, merged again over what changed since it was met.

    ``file`` is the case file now, ``then`` as it was when the conflict was
    recorded; ``assess`` scores a questionnaire into the completion's events.
    A revision goes through the same approval rule as any (``approver``: the
    person settling it approves plans).
    """
    if conflict.command is EditedCommand.ASSESSMENT_COMPLETION:
        if conflict.proposed_situation is None:
            raise Refused(_ERASED)
        situation = settled(
            reconcile_answers(then.situation, file.situation, conflict.proposed_situation)
        )
        return await assess(situation)
    if conflict.proposed_items is None:
        raise Refused(_ERASED)
    items = settled(reconcile_items(plan_items(then), plan_items(file), conflict.proposed_items))
    if conflict.command is EditedCommand.PLAN_EDIT:
        plan_id = derived_id("plan", file.case_id)
        return decided(lambda: rules.edited_plan(file, items, by.id, now, new_plan_id=plan_id))
    reason = conflict.proposed_reason or "resolved conflict"
    return decided(lambda: rules.decide_revision(file, items, reason, by, now, approver=approver))


# The proposal's personal data was erased (crypto-shredding): nothing left to apply.
_ERASED = "the tablet's proposal can no longer be read: keep the current data"
