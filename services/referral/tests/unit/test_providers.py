"""Every provider can act: the plan policy routes each non-window item to its chosen
provider (when that serves the item's type and the person's district) or the
directory's default, refuses a plan whose chosen provider cannot take it, and a
provider operator acts on the referrals to their providers only. On the
in-memory journal and fakes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from inson_contracts.codes.mahallas import mahallas_of
from inson_contracts.codes.providers import PROVIDERS_FILE_ENV, reload_providers
from inson_contracts.codes.service_model import ProviderType
from inson_contracts.events.referral import ReferralAccepted, ReferralIssued
from inson_contracts.events.values import Actor, PlanItem
from inson_runtime.consumer import Unprocessable
from referral.domain.area import Area
from referral.domain.referral import Status
from referral.handlers.commands import NotInArea

DISTRICT = "1735207"
PACKAGED = (
    Path(__file__).resolve().parents[4] / "contracts/src/inson_contracts/codes/data/providers.json"
)
CLINIC = "health-ayol-1735207"  # a second health facility of the district, not its default
NURSE = Actor(id="po-health-1", role="provider_operator")
AT_THE_HOSPITAL = Area(providers=frozenset({f"health-{DISTRICT}"}))


def item(item_id: str, provider_type: str, provider: str | None = None, **extra: Any) -> PlanItem:
    fields = {"service_code": "HOME-02", **extra}
    return PlanItem(item_id=item_id, provider_type=provider_type, provider=provider, **fields)


@pytest.fixture
def a_second_clinic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The directory replaced by one with a second health facility in the district."""
    entries = json.loads(PACKAGED.read_text(encoding="utf-8"))["providers"]
    entries.append(
        {
            "code": CLINIC,
            "provider_type": "health_facility",
            "district": DISTRICT,
            "name": {
                "uz_latn": "Ayollar klinikasi",
                "uz_cyrl": "Аёллар клиникаси",
                "ru": "Клиника",
            },
        }
    )
    path = tmp_path / "providers.json"
    path.write_text(json.dumps({"providers": entries}), encoding="utf-8")
    monkeypatch.setenv(PROVIDERS_FILE_ENV, str(path))
    reload_providers()
    yield CLINIC
    monkeypatch.delenv(PROVIDERS_FILE_ENV)
    reload_providers()


async def refer(policies, plans, items: list[PlanItem], **plan: Any):
    events = plans()
    approved = events.approved(items, **plan)
    await policies.on_plan_in_force(approved, events.envelope(approved))
    return events


async def test_items_without_a_choice_go_to_the_district_s_default(
    policies, plans, journal
) -> None:
    mahalla = mahallas_of(DISTRICT)[2].code
    types = [t for t in ProviderType if t is not ProviderType.SOCIAL_SERVICE_WINDOW]
    await refer(policies, plans, [item(t.value, t.value) for t in types], mahalla=mahalla)

    providers = {
        e.item_id: e.destination.provider for e in journal.outbox.events_of_type(ReferralIssued)
    }
    assert providers == {
        "inson_center": f"inson-{DISTRICT}",
        "health_facility": f"health-{DISTRICT}",
        "education_body": f"education-{DISTRICT}",
        "employment_center": f"employment-{DISTRICT}",
        "mahalla": f"mahalla-{mahalla}",  # the person's own
        "ngo_partner": f"ngo-{DISTRICT}",
        "other": f"other-{DISTRICT}",
    }


async def test_a_chosen_provider_that_serves_is_the_destination(
    policies, plans, journal, a_second_clinic
) -> None:
    neighbours = mahallas_of(DISTRICT)[5].code  # another mahalla of the person's district
    await refer(
        policies,
        plans,
        [
            item("h", "health_facility", a_second_clinic),
            item("d", "health_facility", f"health-{DISTRICT}"),  # the default, chosen by name
            item("m", "mahalla", f"mahalla-{neighbours}", service_code="HOME-07"),
        ],
    )

    chosen = {e.item_id: e.destination for e in journal.outbox.events_of_type(ReferralIssued)}
    assert chosen["h"].provider == CLINIC and chosen["h"].district == DISTRICT
    assert chosen["d"].provider == f"health-{DISTRICT}"
    assert chosen["m"].provider == f"mahalla-{neighbours}"


@pytest.mark.parametrize(
    "chosen",
    [
        item("b", "health_facility", "health-0000000"),  # no such provider
        item("b", "health_facility", "health-1703401"),  # another district's
        item("b", "health_facility", f"inson-{DISTRICT}"),  # of another type
        item("b", "mahalla", f"mahalla-{mahallas_of('1703401')[0].code}"),  # another district's
    ],
    ids=["unknown", "another district", "another type", "a mahalla elsewhere"],
)
async def test_a_chosen_provider_that_cannot_take_the_item_refuses_the_plan_whole(
    policies, plans, journal, plan_records, chosen
) -> None:
    events = plans()
    approved = events.approved([item("a", "inson_center"), chosen])

    with pytest.raises(Unprocessable, match="item b"):
        await policies.on_plan_in_force(approved, events.envelope(approved))

    assert journal.outbox.published == []
    assert await plan_records.of_case(events.case_id) == []


async def test_a_provider_operator_acts_on_their_provider_s_referrals_only(
    policies, referrals, plans, journal
) -> None:
    events = await refer(policies, plans, [item("h", "health_facility"), item("i", "inson_center")])
    hospital, inson = events.referral("h"), events.referral("i")
    journal.outbox.clear()

    for step in (referrals.accept, referrals.start, referrals.complete):
        await step(hospital, AT_THE_HOSPITAL, NURSE)

    assert (await referrals.referrals.load(hospital)).status is Status.COMPLETED
    [accepted] = journal.outbox.events_of_type(ReferralAccepted)
    assert accepted.accepted_by == NURSE
    with pytest.raises(NotInArea):
        await referrals.accept(inson, AT_THE_HOSPITAL, NURSE)  # another provider's referral
    with pytest.raises(NotInArea):
        await referrals.accept(inson, Area(providers=frozenset({"inson-1703401"})), NURSE)
    # A window's area never covers a provider's referral.
    with pytest.raises(NotInArea):
        await referrals.accept(inson, Area(service_center=f"psc-{DISTRICT}"), NURSE)
    assert len(journal.outbox.published) == 3


async def test_a_provider_operator_with_several_providers_works_each(
    policies, referrals, plans
) -> None:
    events = await refer(policies, plans, [item("h", "health_facility"), item("i", "inson_center")])
    both = Area(providers=frozenset({f"health-{DISTRICT}", f"inson-{DISTRICT}"}))
    for item_id in "hi":
        done = await referrals.accept(events.referral(item_id), both, NURSE)
        assert done.status is Status.ACCEPTED
