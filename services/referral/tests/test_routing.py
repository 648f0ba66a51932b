"""Where each plan item goes: a window of the person's center, or a named provider."""

from __future__ import annotations

import pytest
from inson_contracts.codes.mahallas import mahallas_of
from inson_contracts.codes.service_model import ProviderType
from inson_contracts.events.values import PlanItem
from referral.domain.routing import (
    NoServiceCenter,
    ServicePoint,
    UnroutableProvider,
    choose_window,
    destination,
    provider_for,
    referral_id,
    withdrawn_items,
)
from referral.reference.centers import center_serving

DISTRICT = "1735207"
MAHALLA = mahallas_of(DISTRICT)[0].code
POINT = ServicePoint("psc-1735207", ("psc-1735207-w1", "psc-1735207-w2", "psc-1735207-w3"))


def item(provider_type: ProviderType, item_id: str = "i1") -> PlanItem:
    return PlanItem(item_id=item_id, service_code="CASH-01", provider_type=provider_type)


def test_a_window_item_goes_to_the_least_loaded_window_of_the_center() -> None:
    where = destination(
        item(ProviderType.SOCIAL_SERVICE_WINDOW),
        district=DISTRICT,
        mahalla=MAHALLA,
        point=POINT,
        open_referrals={"psc-1735207-w1": 4, "psc-1735207-w2": 1, "psc-1735207-w3": 2},
    )
    assert where.provider_type is ProviderType.SOCIAL_SERVICE_WINDOW
    assert (where.service_center, where.window) == ("psc-1735207", "psc-1735207-w2")
    assert where.district == DISTRICT and where.provider is None


@pytest.mark.parametrize(
    ("provider_type", "provider"),
    [
        (ProviderType.INSON_CENTER, "inson-1735207"),
        (ProviderType.HEALTH_FACILITY, "health-1735207"),
        (ProviderType.EDUCATION_BODY, "education-1735207"),
        (ProviderType.EMPLOYMENT_CENTER, "employment-1735207"),
        (ProviderType.MAHALLA, f"mahalla-{MAHALLA}"),
        (ProviderType.NGO_PARTNER, "ngo-1735207"),
        (ProviderType.OTHER, "other-1735207"),
    ],
)
def test_other_providers_are_named_by_type_and_district(
    provider_type: ProviderType, provider: str
) -> None:
    where = destination(
        item(provider_type), district=DISTRICT, mahalla=MAHALLA, point=None, open_referrals={}
    )
    assert (where.provider_type, where.district, where.provider) == (
        provider_type,
        DISTRICT,
        provider,
    )
    assert where.service_center is None and where.window is None


def test_every_provider_type_is_routed() -> None:
    for provider_type in ProviderType:
        point = POINT if provider_type is ProviderType.SOCIAL_SERVICE_WINDOW else None
        destination(
            item(provider_type), district=DISTRICT, mahalla=MAHALLA, point=point, open_referrals={}
        )


def test_a_window_item_without_a_center_cannot_be_routed() -> None:
    with pytest.raises(NoServiceCenter):
        destination(
            item(ProviderType.SOCIAL_SERVICE_WINDOW),
            district=DISTRICT,
            mahalla=MAHALLA,
            point=None,
            open_referrals={},
        )


def test_window_ties_go_to_the_window_listed_first_whatever_the_counts_order() -> None:
    assert choose_window(POINT, {}) == "psc-1735207-w1"
    loads = {"psc-1735207-w3": 0, "psc-1735207-w1": 1, "psc-1735207-w2": 0}
    assert choose_window(POINT, loads) == "psc-1735207-w2"


def test_filling_windows_one_by_one_keeps_them_balanced() -> None:
    loads: dict[str, int] = {}
    for _ in range(7):
        window = choose_window(POINT, loads)
        loads[window] = loads.get(window, 0) + 1
    assert sorted(loads.values()) == [2, 2, 3]


def test_a_branch_serves_its_mahallas_and_the_main_center_the_rest() -> None:
    city = "1703401"  # Andijon city has a branch
    codes = [m.code for m in mahallas_of(city)]
    assert center_serving(city, codes[0]).code == "psc-1703401"
    assert center_serving(city, codes[-1]).code == "psc-1703401-b1"
    assert center_serving(DISTRICT, MAHALLA).code == "psc-1735207"


def test_referral_ids_follow_plan_and_item() -> None:
    assert referral_id("p1", "i1") == referral_id("p1", "i1")
    assert len({referral_id("p1", "i1"), referral_id("p1", "i2"), referral_id("p2", "i1")}) == 3


def test_a_revision_withdraws_only_the_item_ids_it_dropped() -> None:
    kept = [item(ProviderType.INSON_CENTER, "b"), item(ProviderType.MAHALLA, "c")]
    assert withdrawn_items(["a", "b"], kept) == ["a"]
    assert withdrawn_items([], kept) == []


def test_each_round_of_an_item_has_its_own_id_the_first_the_one_it_always_had() -> None:
    first = referral_id("plan-1", "item-1")
    rounds = [referral_id("plan-1", "item-1", n) for n in (1, 2, 3)]
    assert rounds[0] == first and len(set(rounds)) == 3
    assert rounds == [referral_id("plan-1", "item-1", n) for n in (1, 2, 3)]
    with pytest.raises(ValueError, match="counts from 1"):
        referral_id("plan-1", "item-1", 0)


def test_a_chosen_provider_must_be_of_the_item_s_type_and_the_person_s_district() -> None:
    chosen = PlanItem(
        item_id="i1",
        service_code="HOME-02",
        provider_type="health_facility",
        provider="ngo-1735207",
    )
    with pytest.raises(UnroutableProvider, match="does not serve"):
        provider_for(chosen, district=DISTRICT, mahalla=MAHALLA)
    fine = chosen.model_copy(update={"provider": "health-1735207"})
    assert provider_for(fine, district=DISTRICT, mahalla=MAHALLA).code == "health-1735207"
    with pytest.raises(UnroutableProvider):
        provider_for(fine.model_copy(update={"provider": None}), district="1703202", mahalla="")
