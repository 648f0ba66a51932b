"""Where a plan item goes, and what a plan revision withdraws (pure).

A Social service window item goes to a window of the Public Services Center
that serves the person's mahalla; every other provider type is named by its
type and district (``inson-1735207``), or by the mahalla for a mahalla
provider, until a directory of those providers exists.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from inson_contracts.codes.service_model import ProviderType
from inson_contracts.events.referral import Destination
from inson_contracts.events.values import PlanItem

_IDS = uuid.UUID("3f0c2b8e-6a4d-4e9b-b1c7-8d2e5f6a7b90")


def referral_id(plan_id: str, item_id: str) -> str:
    """One referral per plan item, whichever event or replay asks for it."""
    return str(uuid.uuid5(_IDS, f"{plan_id}/{item_id}"))


class NoServiceCenter(LookupError):
    """No Public Services Center in the directory serves the person's district."""


@dataclass(frozen=True)
class ServicePoint:
    """A Public Services Center or branch as routing sees it: its code and windows."""

    center: str
    windows: tuple[str, ...]


PROVIDER_PREFIX: Mapping[ProviderType, str] = MappingProxyType(
    {
        ProviderType.INSON_CENTER: "inson",
        ProviderType.HEALTH_FACILITY: "health",
        ProviderType.EDUCATION_BODY: "education",
        ProviderType.EMPLOYMENT_CENTER: "employment",
        ProviderType.NGO_PARTNER: "ngo",
        ProviderType.OTHER: "other",
    }
)


def provider_code(provider_type: ProviderType, district: str, mahalla: str) -> str:
    if provider_type is ProviderType.MAHALLA:
        # The person's own mahalla (its chairperson and activists) serves them.
        return f"mahalla-{mahalla}"
    return f"{PROVIDER_PREFIX[provider_type]}-{district}"


def choose_window(point: ServicePoint, open_referrals: Mapping[str, int]) -> str:
    """The window with the fewest open referrals; a tie goes to the one listed first."""
    if not point.windows:
        raise ValueError(f"service center {point.center} has no windows")
    order = {code: n for n, code in enumerate(point.windows)}
    return min(point.windows, key=lambda code: (open_referrals.get(code, 0), order[code]))


def destination(
    item: PlanItem,
    *,
    district: str,
    mahalla: str,
    point: ServicePoint | None,
    open_referrals: Mapping[str, int],
) -> Destination:
    if item.provider_type is ProviderType.SOCIAL_SERVICE_WINDOW:
        if point is None:
            raise NoServiceCenter(f"no Public Services Center serves district {district}")
        return Destination(
            provider_type=item.provider_type,
            district=district,
            service_center=point.center,
            window=choose_window(point, open_referrals),
        )
    return Destination(
        provider_type=item.provider_type,
        district=district,
        provider=provider_code(item.provider_type, district, mahalla),
    )


@dataclass(frozen=True)
class PlanRecord:
    """A plan as the plan policy last referred it: the highest version it acted on,
    every item it ever referred, and whether the plan is closed."""

    version: int = 0
    items: tuple[str, ...] = ()
    closed: bool = False


def withdrawn_items(referred: Collection[str], items: Sequence[PlanItem]) -> list[str]:
    """Item ids referred under an earlier version that the new version no longer has.

    A new item id is a new service; an id that disappeared is withdrawn. An id
    kept keeps its referral, whatever became of it.
    """
    kept = {item.item_id for item in items}
    return sorted(set(referred) - kept)
