"""What the referral API accepts, and the answers of its commands.

Every request model forbids unknown fields and every value is typed, so a
bad request is refused with 422 naming the field before anything is written.
Answers carry no personal data: a referral has none by contract, and the
free-text notes staff write stay in the events; the one exception is
:class:`PersonDetail`, the person a referral is for, read through its own
audited route. The read answers (queue, one referral, boards) are the
queries' results, in ``projections/results.py``.
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime
from typing import Annotated, Any

from inson_contracts.codes.errors import UnknownCode
from inson_contracts.codes.mahallas import mahalla
from inson_contracts.codes.names import LocalizedName
from inson_contracts.events.referral import Destination, RejectionCode
from inson_contracts.events.values import Actor
from inson_runtime.apikit import Problem
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, TypeAdapter

from referral.domain.person import HomeAddress as Address
from referral.domain.referral import IllegalTransition, Referral, Status
from referral.handlers.commands import PersonOnReferral, ReferralThen

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


_MOMENT = TypeAdapter(datetime)


class TransitionProblem(Problem):
    """The step is not allowed now (``referral.transition_not_allowed``), or was taken
    already by another actor or with other words (``referral.already_done``: their
    note would otherwise be dropped). ``state`` is the referral's current state,
    ``acted_by`` and ``acted_at`` who moved it there and when (absent when the plan
    or the clock did)."""

    state: Status
    acted_by: Actor | None = None
    acted_at: datetime | None = None

    @staticmethod
    def members_of(refused: IllegalTransition) -> dict[str, Any]:
        """The members this problem adds to every problem's, as sent."""
        acted = refused.acted
        members: dict[str, Any] = {"state": refused.status.value}
        if acted is not None and acted.by is not None:
            members["acted_by"] = acted.by.model_dump(mode="json")
        if acted is not None:
            members["acted_at"] = _MOMENT.dump_python(acted.at, mode="json")
        return members


class PersonName(BaseModel):
    last_name: str | None = None
    first_name: str | None = None
    patronymic: str | None = None


class HomeAddress(BaseModel):
    region: str | None = None
    district: str | None = None
    mahalla: str | None = None
    mahalla_name: LocalizedName | None = None
    street: str | None = None
    house: str | None = None
    apartment: str | None = None

    @classmethod
    def of(cls, address: Address) -> HomeAddress:
        named = None
        if address.mahalla:
            with contextlib.suppress(UnknownCode):
                named = mahalla(address.mahalla).name
        return cls(**vars(address), mahalla_name=named)


class PersonDetail(BaseModel):
    """Whom the referral is for. Personal data: every read is in the access audit.

    ``name`` and ``birth_date`` always; ``address`` only when the service is
    delivered at home (``at_home``). A field is absent when nothing is known:
    the person was erased, or their application has not reached this service.
    """

    referral_id: str
    case_id: str
    service_code: str
    at_home: bool = Field(description="Whether the service is delivered where the person lives.")
    name: PersonName | None = None
    birth_date: date | None = None
    address: HomeAddress | None = None

    @classmethod
    def of(cls, found: PersonOnReferral) -> PersonDetail:
        person = found.person
        return cls(
            referral_id=found.referral_id,
            case_id=found.case_id,
            service_code=found.service_code,
            at_home=found.at_home,
            name=PersonName(**vars(person.name)) if person.name else None,
            birth_date=person.birth_date,
            address=HomeAddress.of(person.address) if person.address else None,
        )

    def personal_fields(self) -> list[str]:
        """The personal fields this answer holds, for the access audit."""
        return [f for f in ("name", "birth_date", "address") if getattr(self, f) is not None]


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
