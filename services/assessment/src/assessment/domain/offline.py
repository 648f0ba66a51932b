"""Offline tablets: a three-way merge of a stale command over the newer case file.

A tablet's command carries the stream version it was based on (``base``).
When the stream moved since (``current``), what each side changed is found by
comparing with the base, answer by answer (the questionnaire, flattened to
paths such as ``housing`` or ``resources.owns_home``; lists are one answer)
or plan item by plan item (by ``item_id``):

- only one side changed a path, or both to the same value: merged;
- both changed it to different values: a conflict. The command is then not
  applied at all; the conflict event keeps the three values and the proposal
  (the submitted changes over the current data) for a person to settle.

Pure: no I/O, no clock.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from inson_contracts.events import (
    ConflictResolution,
    EditConflicted,
    EditConflictResolved,
    EditedCommand,
    Event,
)
from inson_contracts.events.assessment import HouseholdSituation
from inson_contracts.events.edits import ConflictingField
from inson_contracts.events.values import Actor, PlanItem

from assessment.domain.case_file import CaseFile, CaseFileRuleViolation

_ABSENT: Any = object()
T = TypeVar("T")


@dataclass(frozen=True)
class Reconciled(Generic[T]):
    """The submitted changes merged over the current data, and where they clash."""

    merged: T
    conflicts: tuple[ConflictingField, ...]


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    # Objects are walked so that two workers answering different parts of
    # ``resources`` do not clash; a list (members, income sources) is one answer.
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, inner in value.items():
            out.update(_flatten(inner, f"{prefix}{key}."))
        return out
    return {prefix[:-1]: value}


def _unflatten(flat: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path, value in flat.items():
        *parents, leaf = path.split(".")
        node = out
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    return out


def _json(value: Any) -> str:
    return "null" if value is _ABSENT else json.dumps(value, ensure_ascii=False, sort_keys=True)


def _three_way(
    keys: list[str],
    base: dict[str, Any],
    current: dict[str, Any],
    submitted: dict[str, Any],
    path: Callable[[str], str],
) -> tuple[dict[str, Any], list[ConflictingField]]:
    merged = dict(current)
    clashes: list[ConflictingField] = []
    for key in keys:
        b, c, s = base.get(key, _ABSENT), current.get(key, _ABSENT), submitted.get(key, _ABSENT)
        if s == b:
            continue  # the tablet did not touch it: the current value stands
        if c != b and c != s:
            clashes.append(
                ConflictingField(
                    path=path(key), base=_json(b), current=_json(c), submitted=_json(s)
                )
            )
        if s is _ABSENT:
            merged.pop(key, None)
        else:
            merged[key] = s
    return merged, clashes


def reconcile_answers(
    base: HouseholdSituation | None,
    current: HouseholdSituation | None,
    submitted: HouseholdSituation,
) -> Reconciled[HouseholdSituation]:
    flat = [_flatten(s.model_dump(mode="json")) if s else {} for s in (base, current, submitted)]
    keys = sorted(set().union(*flat))
    merged, clashes = _three_way(keys, flat[0], flat[1], flat[2], path=lambda k: k)
    return Reconciled(HouseholdSituation.model_validate(_unflatten(merged)), tuple(clashes))


def reconcile_items(
    base: list[PlanItem], current: list[PlanItem], submitted: list[PlanItem]
) -> Reconciled[list[PlanItem]]:
    by_id = [
        {i.item_id: i.model_dump(mode="json") for i in items}
        for items in (base, current, submitted)
    ]
    # The current order first, then what the tablet added in its own order.
    keys = list(dict.fromkeys([*by_id[1], *by_id[2], *by_id[0]]))
    merged, clashes = _three_way(keys, by_id[0], by_id[1], by_id[2], path=lambda k: f"items/{k}")
    ordered = [merged[k] for k in keys if k in merged]
    if not ordered and not clashes:
        # Each side removed what the other kept: every removal merges, and
        # nothing is left. A plan needs an item, so that is for a person to
        # settle, as a clash over the whole list.
        clashes.append(
            ConflictingField(
                path="items",
                base=_json(list(by_id[0].values())),
                current=_json(list(by_id[1].values())),
                submitted=_json(list(by_id[2].values())),
            )
        )
    return Reconciled([PlanItem.model_validate(i) for i in ordered], tuple(clashes))


def plan_items(file: CaseFile) -> list[PlanItem]:
    return list(file.plan.items) if file.plan else []


def conflicted(
    file: CaseFile,
    *,
    conflict_id: str,
    command: EditedCommand,
    base_version: int,
    clashes: tuple[ConflictingField, ...],
    submitted_by: Actor,
    now: datetime,
    situation: HouseholdSituation | None = None,
    items: list[PlanItem] | None = None,
    reason: str | None = None,
) -> EditConflicted:
    return EditConflicted(
        case_id=file.case_id,
        conflict_id=conflict_id,
        command=command,
        base_version=base_version,
        current_version=file.version,
        fields=list(clashes),
        proposed_situation=situation,
        proposed_items=items,
        proposed_reason=reason,
        submitted_by=submitted_by,
        submitted_at=now,
    )


def decide_resolution(
    file: CaseFile,
    conflict_id: str,
    resolution: ConflictResolution,
    applied: list[Event],
    resolved_by: Actor,
    now: datetime,
) -> list[Event]:
    """Settle an open conflict; ``applied`` are the events of the submitted edit, if taken."""
    if conflict_id not in file.conflicts:
        raise CaseFileRuleViolation(f"no open conflict {conflict_id} in this case")
    if resolution is ConflictResolution.KEEP_CURRENT and applied:
        raise ValueError("keeping the current data applies nothing")
    resolved = EditConflictResolved(
        case_id=file.case_id,
        conflict_id=conflict_id,
        resolution=resolution,
        resolved_by=resolved_by,
        resolved_at=now,
    )
    return [resolved, *applied]
