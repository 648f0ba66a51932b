"""Intake's reactions to other services' events: a case closes when its plan ends.

- assessment's ``plan.completed`` and ``plan.closed`` (consumer group
  ``policy.plans``): the case is closed (``CaseClosed``, reason
  ``plan_completed`` or ``plan_closed``), once. The commit id derives from the
  plan event, so a redelivered record finds its commit; a later plan event
  for a case already closed decides nothing new (``decide_closure``).

A plan event for a case intake does not hold (its stream was never written
here: another environment's data, a bug upstream) is logged and skipped:
intake closes only cases it opened, and never makes one up to close it.

Applications still reach intake only through its API; the platform audit
topic feeds a read model (``projections/access_log.py``), not a policy.
"""

from __future__ import annotations

from datetime import datetime

import structlog
from inson_contracts.envelope import Envelope
from inson_contracts.events import PlanClosed, PlanCompleted
from inson_contracts.events.intake import CaseClosureReason
from inson_runtime.eventstore import ConcurrencyConflict
from inson_runtime.repository import Repository

from intake.domain.case import Case, decide_closure
from intake.handlers.commands import ATTEMPTS

log = structlog.get_logger(__name__)


class Policies:
    """The consumer entry points; ``main.py`` registers each on ``policy.plans``."""

    def __init__(self, cases: Repository[Case]) -> None:
        self.cases = cases

    async def plan_completed(self, completed: PlanCompleted, envelope: Envelope) -> None:
        await self._close(
            completed.case_id,
            completed.plan_id,
            CaseClosureReason.PLAN_COMPLETED,
            completed.completed_at,
            envelope,
        )

    async def plan_closed(self, closed: PlanClosed, envelope: Envelope) -> None:
        await self._close(
            closed.case_id,
            closed.plan_id,
            CaseClosureReason.PLAN_CLOSED,
            closed.closed_at,
            envelope,
        )

    async def _close(
        self,
        case_id: str,
        plan_id: str,
        reason: CaseClosureReason,
        at: datetime,
        envelope: Envelope,
    ) -> None:
        for _ in range(ATTEMPTS):
            case = await self.cases.load(case_id)
            if not case.opened:
                log.warning(
                    "plan ended for a case intake does not hold; not closed",
                    case_id=case_id,
                    plan_id=plan_id,
                    event_type=envelope.type,
                )
                return
            events = decide_closure(case, plan_id, reason, at)
            try:
                await self.cases.record(
                    case_id,
                    case.version,
                    events,
                    commit_id=f"close:{envelope.id}",
                    cause=envelope.id,
                    region=case.region,
                    district=case.district,
                )
            except ConcurrencyConflict:
                continue  # an application joined meanwhile: decide again on the newer case
            return
        # Retried by the consumer, then dead-lettered with this reason.
        raise ConcurrencyConflict(self.cases.stream(case_id), case.version)
