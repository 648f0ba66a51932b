"""The plan's use cases: edit the draft, approve, revise (or propose), close.

``Assessments`` (``commands.py``) takes them from here, so each stays one
method of the service's command class. Items a caller sends are checked
before anything else happens (``domain/plan_items.py``): an invalid item is
answered 422 with its field and reason, and nothing is recorded, not even
the conflict of a stale tablet command. Who must approve what is
``domain/plans.py``'s rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from inson_contracts.events import EditedCommand, Event, PlanRevisionProposed
from inson_contracts.events.plans import ClosureReason
from inson_contracts.events.values import PlanItem
from inson_runtime.apikit import actor_of
from inson_runtime.auth import Principal, Role

from assessment.domain import plans as rules
from assessment.domain.case_file import CaseFile
from assessment.domain.plan_items import plan_item_errors
from assessment.handlers.case_files import (
    CaseFiles,
    based,
    case_file_for,
    decided,
    derived_id,
    record,
)
from assessment.handlers.errors import Unprocessable
from assessment.handlers.tablets import Applied, merge_items

# Who approves plans, and so puts a revision's added services in force at once.
APPROVERS = frozenset({Role.SUPERVISOR, Role.ADMIN})
BODY_ITEMS = ("body", "items")


@dataclass(frozen=True)
class Revision:
    """A revision's outcome: applied (in force) or, ``proposed``, waiting for the supervisor."""

    applied: Applied
    proposed: PlanRevisionProposed | None = None


def approves(caller: Principal) -> bool:
    return caller.role in APPROVERS


def check_submitted(file: CaseFile, items: list[PlanItem]) -> None:
    """The caller's items, checked as sent: 422 naming ``body.items.<n>.<field>``."""
    plan = file.plan
    done = [i for i in plan.items if i.item_id in plan.completed_items] if plan else []
    errors = plan_item_errors(items, file.district or "", loc=BODY_ITEMS, completed=done)
    if errors:
        raise Unprocessable(errors)


class PlanCommands:
    files: CaseFiles
    clock: Callable[[], datetime]

    async def edit_plan(
        self, caller: Principal, case_id: str, items: list[PlanItem], base_version: int | None
    ) -> Applied:
        """Replace the drafted plan's items (or draft the first plan from the offered services)."""
        file, base = await based(self.files, caller, case_id, base_version)
        check_submitted(file, items)
        actor = actor_of(caller)
        merged = await merge_items(
            self.files, file, base, EditedCommand.PLAN_EDIT, items, by=actor, now=self.clock()
        )
        now = self.clock()
        new_plan_id = derived_id("plan", case_id)
        events = decided(
            lambda: rules.edited_plan(
                file, merged.content, caller.sub, now, new_plan_id=new_plan_id
            )
        )
        return Applied(await self._recorded(file, events), merged.merged_from)

    async def approve(self, caller: Principal, case_id: str) -> None:
        """Put the drafted plan, or the revision proposed for the plan in force, in force."""
        file = await case_file_for(self.files, caller, case_id)
        now = self.clock()
        await self._recorded(
            file, decided(lambda: rules.decide_approval(file, actor_of(caller), now))
        )

    async def revise(
        self,
        caller: Principal,
        case_id: str,
        items: list[PlanItem],
        reason: str,
        base_version: int | None,
    ) -> Revision:
        """A new version of the plan in force, or a proposal when it adds services (see
        ``domain/plans.py``); a stale tablet command is merged first."""
        file, base = await based(self.files, caller, case_id, base_version)
        check_submitted(file, items)
        actor = actor_of(caller)
        merged = await merge_items(
            self.files,
            file,
            base,
            EditedCommand.PLAN_REVISION,
            items,
            by=actor,
            now=self.clock(),
            reason=reason,
        )
        now = self.clock()
        events = decided(
            lambda: rules.decide_revision(
                file, merged.content, reason, actor, now, approver=approves(caller)
            )
        )
        version = await self._recorded(file, events)
        proposed = next((e for e in events if isinstance(e, PlanRevisionProposed)), None)
        return Revision(Applied(version, merged.merged_from), proposed)

    async def close_plan(
        self, caller: Principal, case_id: str, reason: ClosureReason, note: str | None
    ) -> None:
        file = await case_file_for(self.files, caller, case_id)
        now = self.clock()
        await self._recorded(
            file,
            decided(
                lambda: rules.decide_closure(
                    file, reason=reason, note=note, closed_by=actor_of(caller), now=now
                )
            ),
        )

    async def _recorded(self, file: CaseFile, events: list[Event]) -> int:
        """Record the events after the version ``file`` was read at; the version after them."""
        result = await record(self.files, file, events)
        return result.commit.last_version if result else file.version
