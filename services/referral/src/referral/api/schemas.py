"""What the referral API accepts, and the answers of its commands.

Every request model forbids unknown fields and every value is typed, so a
bad request is refused with 422 naming the field before anything is written.
Answers carry no personal data: a referral has none by contract, and the
free-text notes staff write stay in the events. The read answers (queue,
one referral, board) are the queries' results, in ``projections/results.py``.
"""

from __future__ import annotations

from typing import Annotated

from inson_contracts.events.referral import Destination, RejectionCode
from inson_runtime.apikit import Problem
from pydantic import BaseModel, ConfigDict, StringConstraints

from referral.domain.referral import Referral, Status
from referral.handlers.commands import ReferralThen

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Text | None = None


class RejectionIn(BaseModel):
    """Why the window will not deliver it: the worker re-plans from this."""

    model_config = ConfigDict(extra="forbid")

    code: RejectionCode
    reason: Text


class ReferralState(BaseModel):
    referral_id: str
    status: Status
    escalation_level: int

    @classmethod
    def of(cls, referral: Referral) -> ReferralState:
        return cls(
            referral_id=referral.referral_id,
            status=referral.status,
            escalation_level=referral.escalation_level,
        )


class TransitionProblem(Problem):
    """The command is not allowed now; ``status`` is the referral's current state."""

    status: Status


class ReferralAsOf(BaseModel):
    """A referral as it stood at the moment asked about, folded from its events."""

    referral_id: str
    plan_id: str
    plan_version: int
    item_id: str
    service_code: str
    destination: Destination
    status: Status
    escalation_level: int
    version: int

    @classmethod
    def of(cls, then: ReferralThen) -> ReferralAsOf:
        issued = then.issued
        return cls(
            referral_id=issued.referral_id,
            plan_id=issued.plan_id,
            plan_version=issued.plan_version,
            item_id=issued.item_id,
            service_code=issued.service_code,
            destination=issued.destination,
            status=then.status,
            escalation_level=then.escalation_level,
            version=then.version,
        )
