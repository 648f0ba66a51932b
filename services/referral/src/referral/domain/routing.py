"""Where a plan item goes, what a plan revision withdraws, and the ids of referrals (pure).

A Social service window item goes to a window of the Public Services Center
that serves the person's mahalla. Every other item goes to a provider of the
shared directory (``inson_contracts.codes.providers``): the one the plan item
chose, when it is of the item's type and serves the person's district, else
the district's default of that type (for a mahalla item, the person's own
mahalla). A chosen provider that does not exist or does not serve is a plan
the platform cannot route (assessment checks it first).
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from inson_contracts.codes.errors import UnknownCode
from inson_contracts.codes.providers import Provider, default_provider, provider, serves
from inson_contracts.codes.service_model import ProviderType
from inson_contracts.events.referral import Destination
from inson_contracts.events.values import PlanItem

_IDS = uuid.UUID("3f0c2b8e-6a4d-4e9b-b1c7-8d2e5f6a7b90")


def referral_id(plan_id: str, item_id: str, round_: int = 1) -> str:
    """One referral per plan item and round, whichever event or replay asks for it.

    The first round keeps the id referrals always had; a round issued again
    after a refusal (``round_`` 2, 3, ...) is derived from the round number too.
    """
    if round_ < 1:
        raise ValueError(f"a referral round counts from 1, not {round_}")
    if round_ == 1:
        return str(uuid.uuid5(_IDS, f"{plan_id}/{item_id}"))
    return str(uuid.uuid5(_IDS, f"{plan_id}/{item_id}/{round_}"))


class NoServiceCenter(LookupError):
    """No Public Services Center in the directory serves the person's district."""


class UnroutableProvider(LookupError):
    """The item's provider cannot be named: the chosen one is unknown or does not
    serve the item's type and district, or the district has no default."""


@dataclass(frozen=True)
class ServicePoint:
    """A Public Services Center or branch as routing sees it: its code and windows."""

    center: str
    windows: tuple[str, ...]


def provider_for(item: PlanItem, *, district: str, mahalla: str) -> Provider:
    """The provider a non-window item goes to: the chosen one, or the default."""
    try:
        if item.provider is None:
            return default_provider(item.provider_type, district, mahalla)
        chosen = provider(item.provider)
    except UnknownCode as exc:
        raise UnroutableProvider(str(exc)) from None
    if not serves(chosen, item.provider_type, district):
        raise UnroutableProvider(
            f"provider {chosen.code} is a {chosen.provider_type.value} of district "
            f"{chosen.district}: it does not serve a {item.provider_type.value} item "
            f"in district {district}"
        )
    return chosen


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
        provider=provider_for(item, district=district, mahalla=mahalla).code,
    )


@dataclass(frozen=True)
class PlanRecord:
    """A plan as the plan policy last referred it: the highest version it acted on,
    every item it ever referred, whether the plan is closed, and each item's rounds.

    ``rounds`` holds, per item issued again after a refusal, its referral ids
    oldest first; an item without an entry has had one round, under
    :func:`referral_id` of the plan and item.
    """

    plan_id: str
    version: int = 0
    items: tuple[str, ...] = ()
    closed: bool = False
    rounds: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))

    def referrals_of(self, item_id: str) -> tuple[str, ...]:
        """Every referral of the item, the first round first."""
        return self.rounds.get(item_id) or (referral_id(self.plan_id, item_id),)

    def current(self, item_id: str) -> tuple[int, str]:
        """The item's latest round and its referral id."""
        rounds = self.referrals_of(item_id)
        return len(rounds), rounds[-1]

    def referral_ids(self) -> list[str]:
        """Every referral of every item the plan referred, in item and round order."""
        return [rid for item_id in self.items for rid in self.referrals_of(item_id)]


def withdrawn_items(referred: Collection[str], items: Sequence[PlanItem]) -> list[str]:
    """Item ids referred under an earlier version that the new version no longer has.

    A new item id is a new service; an id that disappeared is withdrawn. An id
    kept keeps its referral while that is open; a refused one is issued again.
    """
    kept = {item.item_id for item in items}
    return sorted(set(referred) - kept)
