"""Which plan items may go into a plan: the checks every draft, edit and revision passes.

Referral routes every item of a plan in force and dead-letters a plan it
cannot route, so assessment accepts only items it knows referral can: a
catalogue service, the provider type the catalogue gives that service (the
one routing expects), a chosen provider that exists in the shared directory
and serves that type in the person's district, distinct item ids, and at
least one item (closing a plan is its own action). A completed item keeps
its service: a new service is a new item. Pure.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Any

from inson_contracts.codes.errors import UnknownCode
from inson_contracts.codes.providers import provider, serves
from inson_contracts.codes.services import service
from inson_contracts.events.values import PlanItem

FieldError = dict[str, Any]
ITEMS = ("items",)


class InvalidPlanItems(ValueError):
    """The items cannot go into a plan; ``errors`` name each field and why (422)."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(str(e["msg"]) for e in errors))
        self.errors = errors


def _error(loc: Sequence[str | int], msg: str) -> FieldError:
    # Codes and ids only: an item's goal (personal) is never echoed.
    return {"loc": list(loc), "msg": msg, "type": "value_error"}


def _item_errors(item: PlanItem, loc: list[str | int], district: str) -> list[FieldError]:
    errors: list[FieldError] = []
    try:
        entry = service(item.service_code)
    except UnknownCode:
        errors.append(
            _error([*loc, "service_code"], f"{item.service_code} is no catalogue service")
        )
    else:
        if item.provider_type is not entry.provider:
            errors.append(
                _error(
                    [*loc, "provider_type"],
                    f"{item.service_code} is provided by provider type {entry.provider.value}, "
                    f"not {item.provider_type.value}",
                )
            )
    if item.provider is not None:
        try:
            chosen = provider(item.provider)
        except UnknownCode:
            errors.append(
                _error([*loc, "provider"], f"no provider {item.provider} in the directory")
            )
        else:
            if not serves(chosen, item.provider_type, district):
                errors.append(
                    _error(
                        [*loc, "provider"],
                        f"{item.provider} is of provider type {chosen.provider_type.value} in "
                        f"district {chosen.district}: it does not take {item.provider_type.value} "
                        f"items for district {district}",
                    )
                )
    return errors


def plan_item_errors(
    items: Sequence[PlanItem],
    district: str,
    *,
    loc: Sequence[str] = ITEMS,
    completed: Collection[PlanItem] = (),
) -> list[FieldError]:
    """What is wrong with ``items`` for a person of ``district`` (empty: nothing).

    ``completed`` are the plan's completed items: kept under their id, they
    keep their service.
    """
    if not items:
        return [
            _error(
                loc,
                "a plan needs at least one item; to end the plan, close it "
                "(POST /v1/cases/{case_id}/plan/close)",
            )
        ]
    done = {i.item_id: i.service_code for i in completed}
    errors: list[FieldError] = []
    first: dict[str, int] = {}
    for n, item in enumerate(items):
        at: list[str | int] = [*loc, n]
        if item.item_id in first:
            errors.append(
                _error(
                    [*at, "item_id"],
                    f"item id {item.item_id} is used twice (also item {first[item.item_id]})",
                )
            )
        first.setdefault(item.item_id, n)
        if done.get(item.item_id, item.service_code) != item.service_code:
            errors.append(
                _error(
                    [*at, "service_code"],
                    f"item {item.item_id} was completed as {done[item.item_id]}: "
                    "a new service is a new item",
                )
            )
        errors.extend(_item_errors(item, at, district))
    return errors


def require_valid(
    items: Sequence[PlanItem],
    district: str,
    *,
    loc: Sequence[str] = ITEMS,
    completed: Collection[PlanItem] = (),
) -> None:
    if errors := plan_item_errors(items, district, loc=loc, completed=completed):
        raise InvalidPlanItems(errors)
