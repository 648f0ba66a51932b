"""What the plan policy reads of a plan event, and whether every item can be routed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from inson_contracts.codes.errors import UnknownCode
from inson_contracts.codes.service_model import ProviderType
from inson_contracts.codes.services import service
from inson_contracts.events import PlanApproved, PlanRevised
from inson_contracts.events.values import PlanItem
from inson_runtime.consumer import Unprocessable

from referral.domain.routing import ServicePoint
from referral.reference.centers import center_serving


@dataclass(frozen=True)
class PlanInForce:
    """What the policy needs of an approved or revised plan: the same for both."""

    case_id: str
    plan_id: str
    plan_version: int
    district: str
    mahalla: str
    items: Sequence[PlanItem]

    @classmethod
    def of(cls, event: PlanApproved | PlanRevised) -> PlanInForce:
        return cls(
            event.case_id,
            event.plan_id,
            event.plan_version,
            event.district,
            event.mahalla,
            event.items,
        )


def routable(plan: PlanInForce) -> dict[str, ServicePoint]:
    """The service center of each window item; Unprocessable if any item cannot be routed.

    A plan naming a service or district the reference data does not know is
    dead-lettered whole, to be replayed once the data is fixed, rather than
    half-referred.
    """
    points: dict[str, ServicePoint] = {}
    for item in plan.items:
        try:
            service(item.service_code)
            if item.provider_type is ProviderType.SOCIAL_SERVICE_WINDOW:
                center = center_serving(plan.district, plan.mahalla)
                points[item.item_id] = ServicePoint(center.code, center.window_codes)
        except UnknownCode as exc:
            raise Unprocessable(f"plan {plan.plan_id} item {item.item_id}: {exc}") from None
    return points
